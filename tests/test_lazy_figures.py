"""A report that only reads another report's numbers draws none of its figures (issue 21 item 5, speed).

The opbrengstenrapport reads six groepsoverzichten, the trendanalyse and every interventie-evaluatie;
it used to draw their figures (about 20, each measured with a full draw) and close them again.
Figures are now drawn when a report shows them.
"""

from __future__ import annotations

import test_opbrengsten

from plgdata.cycle import load_cycle
from plgdata.plots import style
from plgdata.reporting.common import report_figure
from plgdata.reporting.groepsoverzicht import group_overview
from plgdata.reporting.opbrengsten import opbrengsten_report

#: the sample school, as test_opbrengsten reads it
sample_ds = test_opbrengsten.sample_ds


def _count_figures(monkeypatch) -> list:
    made = []
    original = style.new_figure

    def counting(*args, **kwargs):
        made.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(style, "new_figure", counting)
    return made


def test_the_opbrengstenrapport_draws_no_figure_of_the_reports_it_reads(sample_ds, monkeypatch):
    made = _count_figures(monkeypatch)
    op = opbrengsten_report(
        sample_ds,
        cycles=[load_cycle(test_opbrengsten.SAMPLE / f) for f in test_opbrengsten.CYCLES],
        year_plans=[load_cycle(test_opbrengsten.SAMPLE / f) for f in test_opbrengsten.PLANS],
    )
    assert len(op.growth) and len(op.interventions)  # the numbers are all there
    assert made == []
    assert (
        op.trend_figure is not None and op.trend_figure.alt.startswith(("Percentage", "Het", "De", "Per", "Aandeel")) is not None
    )
    assert len(made) == 1  # the one figure the report shows is drawn when it is shown
    op.trend_figure.close()


def test_a_figure_is_drawn_once_when_shown_and_a_closed_one_never(sample_ds, monkeypatch):
    made = _count_figures(monkeypatch)
    ov = group_overview(sample_ds, 6)
    assert made == []
    fig = ov.level_figure.fig
    assert fig is ov.level_figure.fig and len(made) == 1 and ov.level_figure.alt
    ov.level_figure.close()
    ov.growth_figure.close()  # closed before it was shown: never drawn
    assert ov.growth_figure.fig is None and len(made) == 1


def test_a_drawing_that_gives_nothing_stays_nothing():
    assert report_figure(None) is None
    assert report_figure(lambda: None, "x").fig is None
