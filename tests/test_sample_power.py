"""Issue 17 item 14: the sample school's verdicts come from its designs, not from a lucky seed.

The committed sample uses seed 2026 with no salt or other constant picked by looking at the
outcome.  Here the same generator makes the school for eight *other* seeds (1-8, the first
eight, not chosen) and runs plgdata's own pipeline (readers -> evaluate_intervention -> the
team's hypotheses of the committed datateam record).  Every planted verdict must come out in
(nearly) all of them, and a null twin (no effect in technisch lezen or spelling) must not be
judged 'positief'.  Measured once on seeds 1-40 with the same pipeline: 6A 'niet te scheiden'
40/40, technisch lezen 'positief' 40/40, spelling 'positief' 39/40, H1 and H4 'bevestigd' 40/40,
H3 'verworpen' 39/40, H2 'onbeslist' 33/40 (honestly underpowered: about 20 pupils with another
home language), the RT-group (no effect) 'positief' 2/40.
Bounded: 14 small schools, about 2 s each.
"""

from __future__ import annotations

import warnings
from collections import Counter

import pytest
from identities import SAMPLE

from plgdata.analysis.evaluation import evaluate_intervention
from plgdata.cycle import load_cycle
from plgdata.io.scores import load
from plgdata.sample.school import generate_sample_school
from plgdata.workflow import run_hypothesis

SEEDS = range(1, 9)
NULL_SEEDS = range(1, 7)
INTERVENTIONS = ("INT-BL-6A", "INT-TL-MB", "INT-SP-SCHOOL", "INT-RW-RT4")


def _verdicts(folder, interventions, hypotheses) -> dict[str, str]:
    ds = load([folder], secret=b"sample-power-test-key-0000000000")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {iid: evaluate_intervention(ds, iid).verdict for iid in interventions}
        out |= {h.id: run_hypothesis(ds, h).verdict for h in hypotheses}
    return out


def _count(tmp_path_factory, seeds, effects: dict | None, interventions=INTERVENTIONS, hypotheses=True) -> dict[str, Counter]:
    hyps = load_cycle(SAMPLE / "cyclus_begrijpend_lezen.yaml").hypotheses if hypotheses else []
    counts: dict[str, Counter] = {}
    for seed in seeds:
        folder = tmp_path_factory.mktemp(f"seed{seed}")
        generate_sample_school(folder, seed=seed, effects=effects)
        for key, verdict in _verdicts(folder, interventions, hyps).items():
            counts.setdefault(key, Counter())[verdict] += 1
    return counts


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return _count(tmp_path_factory, SEEDS, None)


@pytest.fixture(scope="module")
def null_twin(tmp_path_factory):
    nulls = {"INT-TL-MB": 0.0, "INT-SP-SCHOOL": 0.0}
    return _count(tmp_path_factory, NULL_SEEDS, nulls, interventions=tuple(nulls), hypotheses=False)


def test_committed_record_holds_the_hypotheses_the_power_is_measured_on():
    c = load_cycle(SAMPLE / "cyclus_begrijpend_lezen.yaml")
    assert [h.id for h in c.hypotheses] == ["H1", "H2", "H3", "H4"]
    assert c.hypotheses[2].test_params["groepen"] == [4, 5, 6, 7, 8]  # enough pupils to reject a difference that is not there


def test_one_class_against_one_is_never_judged_whatever_the_seed(planted):
    assert planted["INT-BL-6A"] == Counter({"niet te scheiden": len(SEEDS)})


def test_planted_effects_are_found_for_other_seeds(planted):
    # five classes against five (+0.60 SD) and twelve groep x school years against twelve (+0.30 SD)
    assert planted["INT-TL-MB"]["positief"] >= len(SEEDS) - 1, planted["INT-TL-MB"]
    assert planted["INT-SP-SCHOOL"]["positief"] >= len(SEEDS) - 1, planted["INT-SP-SCHOOL"]
    assert planted["INT-RW-RT4"]["positief"] <= 1  # the RT-group has no effect


def test_hypothesis_verdicts_hold_for_other_seeds(planted):
    assert planted["H1"]["bevestigd"] == len(SEEDS)  # r about 0.65 against a threshold of 0.3
    assert planted["H4"]["bevestigd"] == len(SEEDS)  # about 45 points more IV/V against a threshold of 20
    assert planted["H3"]["verworpen"] >= len(SEEDS) - 1, planted["H3"]  # no gender difference, groep 4-8
    # honestly underpowered (about 20 pupils with another home language): onbeslist, rarely otherwise
    assert planted["H2"]["onbeslist"] >= len(SEEDS) - 2, planted["H2"]


def test_null_twin_is_not_judged_to_work(null_twin):
    # the same designs without an effect: a 'positief' would be a false claim (5% at most per seed)
    assert null_twin["INT-TL-MB"]["positief"] <= 1, null_twin["INT-TL-MB"]
    assert null_twin["INT-SP-SCHOOL"]["positief"] <= 1, null_twin["INT-SP-SCHOOL"]
    assert null_twin["INT-TL-MB"]["positief"] + null_twin["INT-SP-SCHOOL"]["positief"] <= 1
