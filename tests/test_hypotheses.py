"""hypotheses.py: each branch of the decision rule for every test kind, and reference values."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from plgdata.analysis import hypotheses as hy


def test_doctests_run():
    res = doctest.testmod(hy)
    assert res.attempted >= 6 and res.failed == 0


def test_decide_branches():
    assert hy.decide(0.5, (0.1, 0.9), 0.2) == "bevestigd"
    assert hy.decide(0.5, (-0.1, 1.1), 0.2) == "onbeslist"  # CI includes 0
    assert hy.decide(0.1, (0.05, 0.15), 0.2) == "verworpen"  # real but too small to matter
    assert hy.decide(-0.5, (-0.9, -0.1), 0.2) == "verworpen"  # wrong direction
    assert hy.decide(-0.5, (-0.9, -0.1), 0.2, sign=-1) == "bevestigd"
    assert hy.decide(float("nan"), (0, 1), 0.2) == "onbeslist"


def _groups(n, shift, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n)
    x = (x - x.mean()) / x.std(ddof=1)
    y = rng.normal(0, 1, n)
    y = (y - y.mean()) / y.std(ddof=1)
    return pd.DataFrame({"bl": np.concatenate([x + shift, y]), "geslacht": ["M"] * n + ["J"] * n})


def test_group_difference_all_branches():
    conf = hy.group_difference(_groups(60, 0.8), "bl", "geslacht", "M", "J", expected_direction="groter")
    assert conf.verdict == "bevestigd" and conf.text_nl.startswith("Bevestigd: de groep M scoort hoger dan de groep J")
    # boys and girls do NOT differ (many pupils): rejected
    rej = hy.group_difference(_groups(400, 0.0), "bl", "geslacht", "M", "J", expected_direction="groter")
    assert rej.verdict == "verworpen" and rej.evidence["ci_high"] < 0.2
    assert rej.text_nl.startswith("Verworpen")
    # wrong direction
    wrong = hy.group_difference(_groups(60, -0.8), "bl", "geslacht", "M", "J", expected_direction="groter")
    assert wrong.verdict == "verworpen"
    assert hy.group_difference(_groups(60, -0.8), "bl", "geslacht", "M", "J", expected_direction="kleiner").verdict == "bevestigd"
    # few pupils: undecided
    und = hy.group_difference(_groups(6, 0.5), "bl", "geslacht", "M", "J", expected_direction="groter")
    assert und.verdict == "onbeslist" and "Onbeslist" in und.text_nl and "6 en 6 leerlingen" in und.text_nl
    assert "0,2" in conf.rule_nl
    assert conf.evidence["hedges_g"] == pytest.approx(0.8 * (1 - 3 / (4 * 118 - 1)), abs=1e-3)


def test_correlation_fisher_ci_and_branches():
    rng = np.random.default_rng(5)
    n = 200
    x = rng.normal(size=n)
    y = 0.6 * x + 0.8 * rng.normal(size=n)
    df = pd.DataFrame({"woordenschat": x, "begrijpend": y})
    res = hy.correlation(df, "woordenschat", "begrijpend", min_r=0.3)
    r = stats.pearsonr(x, y).statistic
    z, se = math.atanh(r), 1 / math.sqrt(n - 3)
    assert res.evidence["r"] == pytest.approx(r)
    assert res.evidence["ci_low"] == pytest.approx(math.tanh(z - 1.959964 * se), abs=1e-6)
    assert res.evidence["spearman_rho"] == pytest.approx(stats.spearmanr(x, y).statistic)
    assert res.verdict == "bevestigd"
    none = hy.correlation(pd.DataFrame({"a": x, "b": rng.normal(size=n)}), "a", "b", min_r=0.3)
    assert none.verdict == "verworpen"
    small = hy.correlation(pd.DataFrame({"a": [1, 2, 3, 4, 5, 6], "b": [2, 1, 4, 3, 6, 2]}), "a", "b", min_r=0.3)
    assert small.evidence["r"] > 0.3 and small.evidence["ci_low"] < 0
    assert small.verdict == "onbeslist"


def test_proportion_difference_newcombe_and_branches():
    from statsmodels.stats.proportion import confint_proportions_2indep

    df = pd.DataFrame({"iv_v": [1] * 40 + [0] * 60 + [1] * 20 + [0] * 80, "thuistaal": ["anders"] * 100 + ["NL"] * 100})
    res = hy.proportion_difference(df, "iv_v", "thuistaal", "anders", "NL", min_diff=0.10)
    assert res.evidence["difference"] == pytest.approx(0.20)
    lo, hi = confint_proportions_2indep(40, 100, 20, 100, method="newcomb")
    assert (res.evidence["ci_low"], res.evidence["ci_high"]) == pytest.approx((lo, hi))
    assert res.verdict == "bevestigd" and "procentpunt" in res.text_nl
    eq = pd.DataFrame({"iv_v": ([1] * 300 + [0] * 700) * 2, "g": ["a"] * 1000 + ["b"] * 1000})
    assert hy.proportion_difference(eq, "iv_v", "g", "a", "b", min_diff=0.10).verdict == "verworpen"
    few = pd.DataFrame({"iv_v": [1, 1, 0, 0, 1, 0], "g": ["a"] * 3 + ["b"] * 3})
    assert hy.proportion_difference(few, "iv_v", "g", "a", "b").verdict == "onbeslist"


def test_growth_vs_norm_branches():
    assert hy.growth_vs_norm([12, 14, 15, 13, 16, 14, 15, 13], 8, min_diff=2).verdict == "bevestigd"
    near = hy.growth_vs_norm(np.full(50, 8.0) + np.tile([-0.5, 0.5], 25), 8, min_diff=2)
    assert near.verdict == "verworpen" and near.evidence["difference"] == pytest.approx(0.0)
    assert hy.growth_vs_norm([5, 15, 2, 20], 8, min_diff=2).verdict == "onbeslist"
    less = hy.growth_vs_norm([3, 4, 5, 4, 3, 5, 4, 4], 8, min_diff=2, expected_direction="kleiner")
    assert less.verdict == "bevestigd" and "minder dan de norm" in less.text_nl


def test_dutch_error_for_direction():
    with pytest.raises(ValueError, match="verwachte richting"):
        hy.growth_vs_norm([1, 2, 3], 0, min_diff=1, expected_direction="omhoog")


def test_threshold_and_direction_are_named_the_same_way_everywhere():
    """Every hypothesis test takes its threshold and direction as keywords, never by position
    (group_difference once took them in the opposite order from proportion_difference)."""
    import inspect

    for fn in (hy.group_difference, hy.correlation, hy.proportion_difference, hy.growth_vs_norm):
        params = inspect.signature(fn).parameters
        assert params["expected_direction"].kind is inspect.Parameter.KEYWORD_ONLY, fn.__name__
        threshold = [p for p in params.values() if p.name.startswith("min_") and p.name != "min_n"]  # min_n: the policy's
        assert len(threshold) == 1 and threshold[0].kind is inspect.Parameter.KEYWORD_ONLY, fn.__name__
    with pytest.raises(TypeError):
        hy.group_difference(_groups(60, 0.8), "bl", "geslacht", "M", "J", "groter", 0.2)
