"""What the four report kinds share: the figure with its alt text, subject order, small words.

The report content modules (:mod:`~plgdata.reporting.groepsoverzicht`,
:mod:`~plgdata.reporting.trendanalyse`, :mod:`~plgdata.reporting.interventie`,
:mod:`~plgdata.reporting.cyclusrapport`) each return a small dataclass holding everything
one report shows: the *kernboodschap* (Dutch sentences, message first), tidy tables,
figures with Dutch alt text (:class:`ReportFigure`), notes and the questions the team
should ask itself.  The notebooks in ``notebooks/rapporten/`` only call them and hand the
values to :mod:`plgdata.reporting.html`.

Privacy: tables hold pseudonyms only; statistics of groups with fewer than ``min_n``
pupils are blanked in the content already (and again by :func:`plgdata.reporting.html.table`);
text a user typed (cycle file, intervention names) is returned as plain text and is
escaped by the html building blocks.
"""

from __future__ import annotations

import pandas as pd

from plgdata.model.labels import SUBJECT_LABELS
from plgdata.plots import style

__all__ = ["ReportFigure", "effect_in_points", "plural", "report_figure", "school_years", "subject_name", "subjects_in"]

# vocabulary: see issue 8 (the subject order belongs with the one subject vocabulary in plgdata.model)
_SUBJECT_ORDER = ("rekenen-wiskunde", "begrijpend lezen", "spelling", "technisch lezen", "woordenschat")


class ReportFigure:
    """A matplotlib figure with its Dutch alt text and caption (``html.figure(f.fig, f.alt, f.caption)``).

    Made from a function (:func:`report_figure` with a callable), the figure is drawn the first
    time ``fig`` or ``alt`` is read: a report that only needs the numbers of another report (the
    opbrengstenrapport reads six groepsoverzichten, the trendanalyse and every interventie-evaluatie)
    never draws their figures.
    """

    def __init__(self, fig=None, alt: str = "", caption: str | None = None, *, make=None):
        self._fig, self._alt, self.caption, self._make = fig, alt, caption, make

    @property
    def fig(self):
        if self._fig is None and self._make is not None:
            made, self._make = self._make(), None
            if made is None:
                return None
            self._fig = made if hasattr(made, "savefig") else made.figure
            self._alt = self._alt or style.get_alt_text(self._fig)
        return self._fig

    @property
    def alt(self) -> str:
        self.fig  # noqa: B018 - draws a deferred figure, which sets its alt text
        return self._alt

    @property
    def drawn(self) -> bool:
        """True once the figure exists (always for a figure given directly)."""
        return self._fig is not None

    def close(self) -> None:
        """Close the figure; a deferred figure that was never drawn is not drawn at all."""
        import matplotlib.pyplot as plt

        self._make = None
        if self._fig is not None:
            plt.close(self._fig)


def report_figure(fig_or_ax, caption: str | None = None) -> ReportFigure | None:
    """Wrap a figure (or the figure of an Axes) with its alt text; ``None`` stays ``None``.

    A function (no arguments, returning a figure or an Axes) is drawn only when the figure is
    first needed (see :class:`ReportFigure`).
    """
    if fig_or_ax is None:
        return None
    if callable(fig_or_ax) and not hasattr(fig_or_ax, "savefig") and not hasattr(fig_or_ax, "figure"):
        return ReportFigure(caption=caption, make=fig_or_ax)
    fig = fig_or_ax if hasattr(fig_or_ax, "savefig") else fig_or_ax.figure
    return ReportFigure(fig, style.get_alt_text(fig), caption)


def subject_name(subject) -> str:
    """Dutch display name of a subject code."""
    return SUBJECT_LABELS.get(str(subject), str(subject))


def subjects_in(scores: pd.DataFrame) -> list[str]:
    """The subjects in ``scores``, in the report order."""
    present = [str(s) for s in scores["subject"].dropna().unique()]
    return [s for s in _SUBJECT_ORDER if s in present] + sorted(s for s in present if s not in _SUBJECT_ORDER)


def school_years(values) -> list[str]:
    """Distinct school years, sorted, missing values left out."""
    return sorted({str(v) for v in values if not pd.isna(v)})


def plural(n: int, one: str, many: str) -> str:
    """``plural(1, "leerling", "leerlingen")`` -> ``'1 leerling'``."""
    return f"{n} {one if n == 1 else many}"


def effect_in_points(res) -> tuple[float, tuple[float, float]]:
    """An effect in the test's own points with its 95% interval, as every report gives it.

    Pupils as the unit: the ANCOVA difference.  Whole classes (or groep x year): the difference
    of the adjusted unit means with the units' interval (a pupil-level interval would be too
    narrow there).  NaN for a design without a comparison group on one pre- and posttest.
    """
    nan = float("nan")
    if res is None or res.design != "pre_post_control":
        return nan, (nan, nan)
    if getattr(res, "unit", "leerling") == "leerling":
        return res.ancova_difference, tuple(res.ancova_ci)
    return res.unit_difference, tuple(res.unit_difference_ci)
