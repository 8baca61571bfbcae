"""The planted effects of the committed sample school are recovered by plgdata's own
pipeline (readers -> canonical tables -> evaluate_intervention -> compare), within their CIs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from identities import SAMPLE

from plgdata.analysis.evaluation import evaluate_intervention
from plgdata.io.scores import load
from plgdata.reporting.interventie import intervention_evaluation
from plgdata.sample.school import PLANTED_EFFECTS, estimate_planted_effects


@pytest.fixture(scope="module")
def ds():
    return load([SAMPLE], secret=b"planted-effects-test-key-0000000")


@pytest.fixture(scope="module")
def truth():
    """The planted effects estimated from the committed files with pandas and statsmodels only."""
    return estimate_planted_effects(SAMPLE)


def test_one_class_against_one_class_is_described_not_judged(ds, truth):
    # 6A got +0.30 SD, 6B is its only comparison: the teacher cannot be separated from the intervention
    ev = evaluate_intervention(ds, "INT-BL-6A")
    res, info = ev.result, ev.info
    assert ev.design == "two_group" and info["comparison"] == "parallel_class" and info["unit"] == "klas"
    assert res.n_treatment + res.n_control == truth["bl_6a"]["n"]  # 6A and 6B with M6 and E6
    assert (res.n_units_treatment, res.n_units_control) == (1, 1)
    assert res.verdict == "niet te scheiden" and "werkt waarschijnlijk" not in res.verdict_nl
    # the descriptive difference is the adjusted class means' (close to the pupil-level ANCOVA of the files)
    assert res.headline == pytest.approx(truth["bl_6a"]["ancova"], abs=0.1)
    assert all(np.isnan(res.headline_ci))  # but no interval: one class per arm leaves 0 degrees of freedom


def test_five_classes_against_five_are_judged_on_class_means(ds):
    # 3A-7A got +0.60 SD on technisch lezen (E), 3B-7B are the parallel classes: a design plgdata can judge
    ev = evaluate_intervention(ds, "INT-TL-MB")
    res, info = ev.result, ev.info
    assert ev.design == "two_group" and info["unit"] == "klas" and info["pre_moment"] == "M3, M4, M5, M6, M7"
    assert (res.n_units_treatment, res.n_units_control, res.units_df) == (5, 5, 4.0)  # 10 classes - 2 - 4 groepen
    lo, hi = res.headline_ci
    assert lo < PLANTED_EFFECTS["INT-TL-MB"]["effect_sd"] < hi  # the planted effect lies in the class-level interval
    assert lo > 0 and res.verdict == "positief" and res.verdict_nl.startswith("De interventie werkt waarschijnlijk")
    assert "Vergeleken zijn klassen, geen losse leerlingen: 5 met en 5 zonder de interventie" in res.verdict_nl


def test_rt_group_has_no_effect_but_a_naive_gain(ds, truth):
    ev = evaluate_intervention(ds, "INT-RW-RT4")
    res, info = ev.result, ev.info
    assert info["selection_on_pretest"] is True and res.n_treatment == truth["rt_group"]["n_rt"]
    assert ev.reference.naive_gain > 0 and ev.reference.rtm_expected_gain > 0  # the naive gain is partly regression to the mean
    assert res.headline_ci[0] < 0 < res.headline_ci[1]  # honest estimate: nothing shown
    assert res.gain_difference > 0  # the naive gain comparison looks like a success (regression to the mean)
    assert res.verdict != "positief"


def test_school_wide_spelling_cohorts_recover_030(ds):
    ev = evaluate_intervention(ds, "INT-SP-SCHOOL")
    assert ev.design == "cohort" and ev.verdict == "positief"
    assert ev.result.headline_ci[0] < PLANTED_EFFECTS["INT-SP-SCHOOL"]["effect_sd"] < ev.result.headline_ci[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = intervention_evaluation(ds, "INT-SP-SCHOOL")
    assert ev.info["comparison"] == "cohort"
    lo, hi = ev.result.headline_ci
    assert lo < PLANTED_EFFECTS["INT-SP-SCHOOL"]["effect_sd"] < hi and lo > 0
    assert "geen experiment" in " ".join(ev.kernboodschap)


def test_committed_rt_actieonderzoek_record_is_reproduced_from_the_data(ds):
    from plgdata.cycle import check_cycle, cycle_to_yaml, load_cycle
    from plgdata.sample.cycles import RT_RECORD_NAME, build_rt_actieonderzoek

    committed = load_cycle(SAMPLE / RT_RECORD_NAME)
    check_cycle(committed, ds.interventions)
    assert cycle_to_yaml(build_rt_actieonderzoek(ds)) == cycle_to_yaml(committed)
    ev = committed.evaluation
    assert ev.goal_met is False
    assert "regressie naar het gemiddelde" in ev.note and "geen bewijs dat de RT-groep werkt" in ev.note
    assert ev.comparisons[0]["bi_onder"] < 0 < ev.comparisons[0]["bi_boven"]


def test_committed_datateam_record_holds_the_whole_cycle(ds):
    from plgdata.cycle import check_cycle, load_cycle, next_step

    c = load_cycle(SAMPLE / "cyclus_begrijpend_lezen.yaml")
    check_cycle(c, ds.interventions)
    assert next_step(c) is None and [(l.from_step, l.to_step) for l in c.loops] == [(6, 2)]
    assert {h: v.verdict for h, v in c.verdicts.items()} == {
        "H1": "bevestigd",
        "H2": "onbeslist",
        "H3": "verworpen",
        "H4": "bevestigd",
    }
