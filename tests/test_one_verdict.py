"""Did the intervention work?  One answer on every path.

Notebook 08 (workflow.evaluate_measures), the interventie-evaluatie report, the cycle
record (written, saved and read back) and the cyclusrapport (which reads the record)
give the same verdict for each of the sample school's three interventions, and the
committed sample records hold that verdict too."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import pytest
from identities import SAMPLE

from plgdata import cycle as cy
from plgdata.io.scores import load
from plgdata.reporting.cyclusrapport import cycle_overview
from plgdata.reporting.interventie import intervention_evaluation
from plgdata.workflow import evaluate_measures, evaluation_record

#: the planted truth: a whole-class effect in one class against one (teacher and intervention cannot be
#: separated), an RT-group without effect, a school-wide effect over groep x school year, and four whole
#: classes against four
EXPECTED = {
    "INT-BL-6A": ("niet te scheiden", "two_group", "parallel_class"),
    "INT-RW-RT4": ("te weinig leerlingen", "two_group", "same_groep"),
    "INT-SP-SCHOOL": ("positief", "cohort", "cohort"),
    "INT-TL-MB": ("positief", "two_group", "parallel_class"),
}


@pytest.fixture(scope="module")
def ds():
    return load([SAMPLE], secret=b"one-verdict-test-key-00000000000")


@pytest.fixture(scope="module")
def paths(ds, tmp_path_factory):
    """Per intervention: the verdict on every path."""
    c = cy.new_cycle("datateam", title="Drie interventies", leerteam="Test", when="2026-01-05T10:00:00")
    for i, iid in enumerate(EXPECTED, start=1):
        cy.add_measure(c, f"M{i}", f"Maatregel {iid}", iid, interventions=ds.interventions, when="2026-01-06T10:00:00")
    evaluated = evaluate_measures(c, ds)  # what notebook 08 runs
    cy.record_evaluation(
        c, [evaluation_record(m, e) for m, e in evaluated], note="Drie interventies.", when="2026-06-30T10:00:00"
    )
    stored = cy.load_cycle(cy.save_cycle(c, tmp_path_factory.mktemp("cyclus") / "cyclus.yaml"))
    overview = cycle_overview(stored).measures.set_index("Interventie")
    out = {}
    for (m, ev), entry in zip(evaluated, stored.evaluation.comparisons):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = intervention_evaluation(ds, m.intervention_id)
        if report.estimation_figure is not None:
            report.estimation_figure.close()
        out[m.intervention_id] = {
            "workflow": ev,
            "report": report,
            "entry": entry,
            "cyclusrapport": overview.loc[m.intervention_id, "Wat de data zeggen"],
        }
    return out


@pytest.mark.parametrize("iid", list(EXPECTED))
def test_every_path_gives_the_same_verdict(paths, iid):
    verdict, design, comparison = EXPECTED[iid]
    p = paths[iid]
    ev, report, entry = p["workflow"], p["report"], p["entry"]
    assert (ev.verdict, ev.design, ev.info["comparison"]) == (verdict, design, comparison)
    assert report.verdict == verdict and report.info["comparison"] == comparison
    assert report.kernboodschap[0] == ev.verdict_nl
    assert entry["uitkomst"] == verdict and entry["oordeel"] == ev.verdict_nl
    assert p["cyclusrapport"] == ev.verdict_nl
    # the same numbers too: effect size and interval
    assert entry["schatting"] == pytest.approx(report.result.headline, abs=5e-5)  # the record keeps four decimals
    stored = tuple(float("nan") if v is None else v for v in (entry["bi_onder"], entry["bi_boven"]))  # YAML null
    assert stored == pytest.approx(report.result.headline_ci, abs=5e-5, nan_ok=True)


def test_school_wide_approach_is_judged_on_cohorts_everywhere(paths):
    entry = paths["INT-SP-SCHOOL"]["entry"]
    assert entry["vergelijkingsgroep"].startswith("de eerdere jaargangen")
    assert entry["jaargangen_nieuw"] == "2024-2025, 2025-2026" and entry["jaargangen_eerder"] == "2022-2023, 2023-2024"
    assert 0.0 < entry["bi_onder"] < 0.25 < entry["bi_boven"]


def test_committed_sample_records_hold_the_same_verdicts():
    for name, iid in (("cyclus_begrijpend_lezen.yaml", "INT-BL-6A"), ("actieonderzoek_rt_rekenen_groep4.yaml", "INT-RW-RT4")):
        c = cy.load_cycle(SAMPLE / name)
        entry = cy.entry_for_measure(c, c.measures[0].id)
        assert entry["interventie"] == iid and entry["uitkomst"] == EXPECTED[iid][0]
        assert cycle_overview(c).measures.iloc[0]["Wat de data zeggen"] == entry["oordeel"]


def test_the_figure_says_what_a_dot_is(paths):
    # school-wide: one dot per pupil and school year, so pupils of two earlier years count twice
    frame = paths["INT-SP-SCHOOL"]["workflow"].frame
    assert len(frame) > frame["pupil_id"].nunique()
    assert paths["INT-SP-SCHOOL"]["report"].estimation_figure.caption.startswith(
        "Elke stip is één resultaat: een leerling in één schooljaar"
    )
    assert paths["INT-BL-6A"]["report"].estimation_figure.caption.startswith("Elke stip is één leerling;")


def test_every_verdict_sentence_opens_with_a_capital(paths):
    """The cohort verdict opened the report's kernboodschap with a lower-case group label
    ("het cohort sinds 2024-2025 ..."); every verdict is a sentence."""
    for iid, p in paths.items():
        text = p["report"].kernboodschap[0]
        assert text[:1].isupper(), (iid, text[:40])
    assert paths["INT-SP-SCHOOL"]["report"].kernboodschap[0].startswith("Het cohort sinds")
