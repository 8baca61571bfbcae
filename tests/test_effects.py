"""Effect sizes against published reference values (DESIGN.md §4) and against scipy/statsmodels."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from scipy import special, stats

from plgdata.analysis import effects as fx

CUMMING_CONTROL = [34, 54, 33, 44, 45, 53, 37, 26, 38, 58]
CUMMING_EXPERIMENTAL = [66, 38, 35, 55, 48, 39, 65, 32, 57, 41]
LAKENS_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
LAKENS_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
PG_A = [3.2, 6.4, 1.8, 2.4, 5.8, 6.5]
PG_B = [2.4, 3.2, 3.2, 1.4, 2.8, 3.5]
CLIFF_CONTROL = [1, 2, 3, 4, 4, 5]
CLIFF_TEST = [1, 1, 2, 2, 2, 3, 3, 3, 4, 5]


def test_doctests_of_effects_run():
    res = doctest.testmod(fx, optionflags=doctest.ELLIPSIS)
    assert res.attempted >= 15 and res.failed == 0


def test_cumming_table_11_1():
    assert np.mean(CUMMING_EXPERIMENTAL) - np.mean(CUMMING_CONTROL) == pytest.approx(5.4)
    d = fx.cohens_d(CUMMING_EXPERIMENTAL, CUMMING_CONTROL)
    assert round(d, 4) == 0.4704
    # the published g (0.4505) used pingouin's approximate J; the exact J of DESIGN §4,
    # computed here independently with scipy's log-gamma, lands on the same 4 decimals
    g = fx.hedges_g(CUMMING_EXPERIMENTAL, CUMMING_CONTROL)
    assert round(g, 4) == 0.4505
    exact_j = np.exp(special.gammaln(9) - special.gammaln(8.5)) / np.sqrt(9)
    assert g == pytest.approx(d * exact_j, rel=1e-12)
    assert g != pytest.approx(d * (1 - 3 / (4 * 18 - 1)), abs=1e-5)  # not the approximation


def test_hedges_correction_is_exact_gamma_form():
    for df in (4, 10, 18, 58):
        exact = special.gamma(df / 2) / (math.sqrt(df / 2) * special.gamma((df - 1) / 2))
        assert fx.hedges_correction(df) == pytest.approx(exact, rel=1e-12)
    assert fx.hedges_correction(18) == pytest.approx(0.957646, abs=1e-6)
    assert fx.hedges_correction(100_000) == pytest.approx(1.0, abs=1e-5)  # no overflow
    assert math.isnan(fx.hedges_correction(1))


def test_lakens_2013_and_scipy_agreement():
    t = stats.ttest_ind(LAKENS_1, LAKENS_2)
    assert round(t.statistic, 4) == 2.5175
    assert round(t.pvalue, 4) == 0.0215
    d = fx.cohens_d(LAKENS_1, LAKENS_2)
    assert round(d, 4) == 1.1259
    # d_s = t * sqrt(1/n1 + 1/n2)
    assert d == pytest.approx(t.statistic * math.sqrt(1 / 10 + 1 / 10), rel=1e-12)
    # statsmodels gives the same t
    from statsmodels.stats.weightstats import ttest_ind as sm_ttest

    assert sm_ttest(LAKENS_1, LAKENS_2)[0] == pytest.approx(t.statistic, rel=1e-12)


def test_lakens_2013_paired_effect_sizes():
    # Lakens 2013, the same data as a within design: d_z = 1.50, d_av = 1.13, g_av = 1.08
    assert round(fx.cohens_dz(LAKENS_2, LAKENS_1), 2) == 1.50
    assert round(fx.cohens_dav(LAKENS_2, LAKENS_1), 2) == 1.13
    assert round(fx.cohens_dav(LAKENS_2, LAKENS_1, correct=True), 2) == 1.08
    t = stats.ttest_rel(LAKENS_1, LAKENS_2)
    assert fx.cohens_dz(LAKENS_2, LAKENS_1) == pytest.approx(t.statistic / math.sqrt(10))


def test_pingouin_a_b_cohens_d():
    assert fx.cohens_d(PG_A, PG_B) == pytest.approx(1.002549, abs=1e-6)
    assert fx.cohens_d(PG_B, PG_A) == pytest.approx(-1.002549, abs=1e-6)


def test_power_and_mde_reference_values():
    assert fx.power(0.5, 20, 20) == pytest.approx(0.337939, abs=1e-6)
    assert round(fx.minimum_detectable_effect(20, 20), 3) == 0.909
    assert fx.minimum_detectable_effect(5, 5) == pytest.approx(2.0, abs=0.05)
    assert fx.minimum_detectable_effect(30, 30) == pytest.approx(0.74, abs=0.01)
    # consistency: power at the MDE is .80
    mde = fx.minimum_detectable_effect(12, 17)
    assert fx.power(mde, 12, 17) == pytest.approx(0.80, abs=1e-4)
    assert math.isnan(fx.minimum_detectable_effect(1, 20))


def test_cliffs_delta_reference_and_direction():
    # direction: delta(x, y) = P(x > y) - P(x < y); the test group scores lower than control
    assert fx.cliffs_delta(CLIFF_TEST, CLIFF_CONTROL) == pytest.approx(-0.25)
    assert fx.cliffs_delta(CLIFF_CONTROL, CLIFF_TEST) == pytest.approx(0.25)
    # brute force over all pairs
    x, y = np.array(CLIFF_TEST)[:, None], np.array(CLIFF_CONTROL)[None, :]
    assert fx.cliffs_delta(CLIFF_TEST, CLIFF_CONTROL) == pytest.approx((x > y).mean() - (x < y).mean())
    # agreement with scipy's Mann-Whitney U
    u = stats.mannwhitneyu(CLIFF_TEST, CLIFF_CONTROL).statistic
    assert fx.cliffs_delta(CLIFF_TEST, CLIFF_CONTROL) == pytest.approx(2 * u / (10 * 6) - 1)


def test_glass_delta_uses_control_sd():
    x, y = [10.0, 20, 30], [1.0, 2, 3]
    assert fx.glass_delta(x, y) == pytest.approx((20 - 2) / 1.0)
    assert fx.glass_delta(x, y, control="x") == pytest.approx((20 - 2) / 10.0)
    with pytest.raises(ValueError, match="control moet"):
        fx.glass_delta(x, y, control="z")


def test_nct_ci_inverts_the_noncentral_t():
    d, n1, n2 = 0.4704, 10, 10
    lo, hi = fx.g_ci_nct(d, n1, n2, corrected=False)
    scale = math.sqrt(n1 * n2 / (n1 + n2))
    t = d * scale
    assert stats.nct.cdf(t, 18, lo * scale) == pytest.approx(0.975, abs=1e-8)
    assert stats.nct.cdf(t, 18, hi * scale) == pytest.approx(0.025, abs=1e-8)
    assert lo < d < hi
    # a large sample: the exact and the normal interval agree
    lo_n, hi_n = fx.g_ci_normal(0.3, 2000, 2000)
    lo_x, hi_x = fx.g_ci_nct(0.3, 2000, 2000)
    assert lo_x == pytest.approx(lo_n, abs=0.003) and hi_x == pytest.approx(hi_n, abs=0.003)


def test_morris_dppc2_formula_and_ci():
    pre_t, post_t = [10, 12, 14, 11, 13], [14, 17, 18, 15, 16]
    pre_c, post_c = [10, 12, 14, 13, 11], [11, 13, 16, 14, 12]
    sd_pre = math.sqrt((4 * np.var(pre_t, ddof=1) + 4 * np.var(pre_c, ddof=1)) / 8)
    raw = (np.mean(post_t) - np.mean(pre_t)) - (np.mean(post_c) - np.mean(pre_c))
    expected = fx.hedges_correction(8) * raw / sd_pre
    d = fx.morris_dppc2(pre_t, post_t, pre_c, post_c)
    assert d == pytest.approx(expected)
    d2, lo, hi = fx.morris_dppc2_ci(pre_t, post_t, pre_c, post_c)
    assert d2 == d and lo < d < hi


def test_bootstrap_is_seeded_and_matches_scipy():
    x = np.array(CUMMING_EXPERIMENTAL, float)
    y = np.array(CUMMING_CONTROL, float)
    a = fx.bootstrap_ci(fx._g_stat, (x, y), n_resamples=2000, seed=7)
    b = fx.bootstrap_ci(fx._g_stat, (x, y), n_resamples=2000, seed=7)
    assert a == b and a.method == "BCa" and a.distribution.shape == (2000,)
    direct = stats.bootstrap((x, y), fx._g_stat, n_resamples=2000, method="BCa", rng=np.random.default_rng(7))
    assert a.ci_low == pytest.approx(direct.confidence_interval.low)
    assert a.ci_high == pytest.approx(direct.confidence_interval.high)
    c = fx.bootstrap_ci(fx._g_stat, (x, y), n_resamples=2000, seed=8)
    assert c.ci_low != a.ci_low
    assert not a.distribution.flags.writeable


def test_bootstrap_degenerate_falls_back_to_percentile():
    res = fx.bootstrap_ci(lambda v, axis=-1: v.mean(axis=axis), ([3.0] * 8,), n_resamples=200, seed=1)
    assert res.method == "percentile" and res.ci_low == 3.0 and res.ci_high == 3.0


def test_kraft_labels():
    assert [fx.kraft_label(v) for v in (0.0, 0.049, 0.05, 0.19, 0.20, -0.5)] == [
        "klein",
        "klein",
        "middelgroot",
        "middelgroot",
        "groot",
        "groot",
    ]


def test_simulation_analytic_ci_coverage():
    """Over 600 small studies the 95% noncentral-t CI of g covers the true δ 93-97% of the time."""
    rng = np.random.default_rng(2026)
    delta, n_sim = 0.5, 600
    hits = 0
    for i in range(n_sim):
        n1, n2 = int(rng.integers(10, 31)), int(rng.integers(10, 31))
        x = rng.normal(delta, 1, n1)
        y = rng.normal(0, 1, n2)
        lo, hi = fx.g_ci_nct(fx.hedges_g(x, y), n1, n2)
        hits += lo <= delta <= hi
    coverage = hits / n_sim
    assert 0.93 <= coverage <= 0.97, coverage


def test_hedges_g_is_nearly_unbiased_where_d_is_not():
    rng = np.random.default_rng(11)
    x = rng.normal(0.5, 1, (4000, 6))
    y = rng.normal(0.0, 1, (4000, 6))
    g = fx._g_stat(x, y, axis=-1)
    d = fx._d_stat(x, y, axis=-1)
    assert abs(g.mean() - 0.5) < 0.02
    assert d.mean() - 0.5 > 0.03  # d overestimates in groups of 6


def test_bootstrap_switches_to_percentile_for_large_n(monkeypatch):
    monkeypatch.setattr(fx, "BCA_MAX_N", 30)
    x = np.arange(20.0)
    y = np.arange(15.0)
    res = fx.bootstrap_ci(fx._g_stat, (x, y), n_resamples=300, seed=3)
    assert res.method == "percentile"
    assert res.ci_low == pytest.approx(np.quantile(res.distribution, 0.025))
    import pandas as pd

    from plgdata.analysis.compare import compare

    df = pd.DataFrame({"s": np.concatenate([x, y]), "g": ["a"] * 20 + ["b"] * 15})
    out = compare(df, "s", "g", "a", "b", n_boot=300)
    assert "percentiel-bootstrap met 300 trekkingen" in out.ci_method and out.bootstrap_method == "percentile"
