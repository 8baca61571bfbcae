"""compare(): designs, agreement with scipy/statsmodels, verdict rules, simulations, determinism."""

from __future__ import annotations

import dataclasses
import doctest
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from plgdata.analysis import compare as compare_mod
from plgdata.analysis import effects as fx
from plgdata.analysis.compare import CompareResult, baseline_category, compare

CUMMING_CONTROL = [34, 54, 33, 44, 45, 53, 37, 26, 38, 58]
CUMMING_EXPERIMENTAL = [66, 38, 35, 55, 48, 39, 65, 32, 57, 41]


def _cumming_frame():
    return pd.DataFrame({"score": CUMMING_CONTROL + CUMMING_EXPERIMENTAL, "cohort": ["2023-2024"] * 10 + ["2024-2025"] * 10})


def _pre_post_frame(n_t=20, n_c=20, effect=0.0, baseline_shift=0.0, seed=1, noise=0.5):
    rng = np.random.default_rng(seed)
    true_t = rng.normal(baseline_shift, 1, n_t)
    true_c = rng.normal(0, 1, n_c)
    pre = np.concatenate([true_t + rng.normal(0, noise, n_t), true_c + rng.normal(0, noise, n_c)])
    post = np.concatenate([true_t + effect + rng.normal(0, noise, n_t), true_c + rng.normal(0, noise, n_c)])
    post = post + 0.4  # everybody grows
    return pd.DataFrame({"pre": 100 + 10 * pre, "post": 100 + 10 * post, "groep": ["RT"] * n_t + ["rest"] * n_c})


def test_doctests_of_compare_run():
    res = doctest.testmod(compare_mod)
    assert res.attempted >= 2 and res.failed == 0


def test_cohort_design_agrees_with_scipy_and_references():
    res = compare(_cumming_frame(), "score", "cohort", "2024-2025", "2023-2024")
    assert res.design == "cohort"
    assert (res.n_treatment, res.n_control) == (10, 10)
    assert res.mean_difference == pytest.approx(5.4)
    assert res.hedges_g == pytest.approx(fx.hedges_g(CUMMING_EXPERIMENTAL, CUMMING_CONTROL))
    assert round(res.hedges_g, 4) == 0.4505
    t = stats.ttest_ind(CUMMING_EXPERIMENTAL, CUMMING_CONTROL)
    assert res.p_value == pytest.approx(t.pvalue) and res.t_stat == pytest.approx(t.statistic)
    ci = t.confidence_interval()
    assert res.mean_difference_ci == pytest.approx((ci.low, ci.high))
    u = stats.mannwhitneyu(CUMMING_EXPERIMENTAL, CUMMING_CONTROL)
    assert res.mannwhitney_u == u.statistic and res.mannwhitney_p == pytest.approx(u.pvalue)
    assert res.cliffs_delta == pytest.approx(2 * u.statistic / 100 - 1)
    assert res.headline == res.hedges_g and res.headline_ci == res.hedges_g_ci
    assert res.effect_size_name.startswith("Hedges' g")
    assert "BCa-bootstrap met 2000 trekkingen" in res.ci_method
    assert res.bootstrap_distribution.shape == (2000,)
    lo, hi = res.headline_ci_boot
    assert lo < res.headline < hi
    assert res.mde == pytest.approx(fx.minimum_detectable_effect(10, 10))
    # MDE ~1.3 > 0.8 and the CI includes 0 -> cannot tell
    assert res.verdict == "te weinig leerlingen"
    assert res.verdict_nl.startswith("Te weinig leerlingen om iets te concluderen")


def test_cohort_accepts_several_earlier_cohorts():
    df = pd.DataFrame({"score": np.arange(30.0), "jaar": ["a"] * 10 + ["b"] * 10 + ["c"] * 10})
    res = compare(df, "score", "jaar", "c", ["a", "b"], n_boot=200)
    assert (res.n_treatment, res.n_control) == (10, 20)
    assert res.mean_treatment == pytest.approx(24.5) and res.mean_control == pytest.approx(9.5)
    assert res.control == "a, b"


def test_pre_post_ancova_matches_statsmodels_formula():
    df = _pre_post_frame(effect=0.5, seed=3)
    res = compare(df, "post", "groep", "RT", "rest", pre="pre", n_boot=300)
    fit = smf.ols("post ~ pre + C(groep, Treatment('rest'))", data=df).fit()
    key = "C(groep, Treatment('rest'))[T.RT]"
    assert res.ancova_difference == pytest.approx(fit.params[key])
    assert res.ancova_p == pytest.approx(fit.pvalues[key])
    assert res.ancova_ci == pytest.approx(tuple(fit.conf_int().loc[key]))
    fit_i = smf.ols("post ~ pre * C(groep, Treatment('rest'))", data=df).fit()
    assert res.slope_interaction_p == pytest.approx(fit_i.pvalues["pre:" + key])
    t = df[df.groep == "RT"]
    c = df[df.groep == "rest"]
    gains = stats.ttest_ind(t.post - t.pre, c.post - c.pre)
    assert res.gain_difference == pytest.approx((t.post - t.pre).mean() - (c.post - c.pre).mean())
    assert res.gain_difference_p == pytest.approx(gains.pvalue)
    assert res.morris_dppc2 == pytest.approx(fx.morris_dppc2(t.pre, t.post, c.pre, c.post))
    # ANCOVA - gain difference = (1 - slope) * (pre difference)
    assert res.ancova_difference - res.gain_difference == pytest.approx((1 - res.ancova_slope) * (t.pre.mean() - c.pre.mean()))
    # headline = J * adjusted difference / pooled post SD
    sp = math.sqrt((19 * t.post.var() + 19 * c.post.var()) / 38)
    assert res.headline == pytest.approx(fx.hedges_correction(38) * res.ancova_difference / sp)
    assert res.baseline_g == pytest.approx(fx.hedges_g(t.pre, c.pre))
    assert res.baseline_category == baseline_category(res.baseline_g)
    assert any("ANCOVA geeft een verschil van" in n for n in res.notes)


def test_bootstrap_of_ancova_headline_matches_direct_recomputation():
    """Each bootstrap resample is the ANCOVA g of the resampled pupils: recomputed here for
    three resamples with statsmodels (post ~ pre + group) on the resampled rows."""
    df = _pre_post_frame(effect=0.5, seed=5, n_t=8, n_c=9)
    res = compare(df, "post", "groep", "RT", "rest", pre="pre", n_boot=50, seed=4)
    assert len(res.bootstrap_distribution) == 50
    t = df[df.groep == "RT"].reset_index(drop=True)
    c = df[df.groep == "rest"].reset_index(drop=True)
    stat = compare_mod._ancova_g_stat(t.pre.to_numpy(), t.post.to_numpy(), c.pre.to_numpy(), c.post.to_numpy())
    assert stat(np.arange(8)[None, :], np.arange(9)[None, :])[0] == pytest.approx(res.headline)
    rng = np.random.default_rng(11)
    it, ic = rng.integers(0, 8, size=(3, 8)), rng.integers(0, 9, size=(3, 9))
    vectorised = stat(it, ic)
    for k in range(3):
        sample = pd.concat([t.iloc[it[k]].assign(rt=1), c.iloc[ic[k]].assign(rt=0)], ignore_index=True)
        fit = smf.ols("post ~ pre + rt", data=sample).fit()
        within = sample.groupby("rt")["post"].var(ddof=1)
        sizes = sample.groupby("rt").size()
        sd_pooled = np.sqrt(((sizes - 1) * within).sum() / (len(sample) - 2))
        expected = fx.hedges_correction(len(sample) - 2) * fit.params["rt"] / sd_pooled
        assert vectorised[k] == pytest.approx(expected, rel=1e-9)


def test_verdict_positive_says_werkt_and_kraft_size():
    df = _pre_post_frame(n_t=60, n_c=60, effect=0.6, seed=2)
    res = compare(df, "post", "groep", "RT", "rest", pre="pre", n_boot=500)
    assert res.verdict == "positief"
    assert res.verdict_nl.startswith("De interventie werkt waarschijnlijk")
    assert res.kraft == "groot" and "groot effect" in res.verdict_nl
    assert res.headline_ci[0] > 0 and res.headline_ci_boot[0] > 0


def test_verdict_negative():
    df = _pre_post_frame(n_t=60, n_c=60, effect=-0.6, seed=2)
    res = compare(df, "post", "groep", "RT", "rest", pre="pre", n_boot=500)
    assert res.verdict == "negatief"
    assert "slechter" in res.verdict_nl


def test_verdict_no_effect_with_enough_pupils():
    df = _pre_post_frame(n_t=150, n_c=150, effect=0.0, seed=8)
    res = compare(df, "post", "groep", "RT", "rest", pre="pre", n_boot=300)
    assert res.mde <= compare_mod.MDE_UNINFORMATIVE
    assert res.headline_ci[0] < 0 < res.headline_ci[1]
    assert res.verdict == "geen aantoonbaar effect"
    assert res.verdict_nl.startswith("Geen aantoonbaar effect")


def test_verdict_too_few_pupils_below_min_n():
    df = _pre_post_frame(n_t=4, n_c=20, effect=2.0, seed=1)
    res = compare(df, "post", "groep", "RT", "rest", pre="pre")
    assert res.verdict == "te weinig leerlingen"
    assert "te weinig leerlingen om iets te concluderen" in res.verdict_nl.lower()
    assert "4 leerlingen" in res.verdict_nl
    assert res.bootstrap_method == "geen" and len(res.bootstrap_distribution) == 0


def test_verdict_not_comparable_when_baseline_differs():
    df = _pre_post_frame(n_t=40, n_c=40, effect=0.5, baseline_shift=1.0, seed=4)
    res = compare(df, "post", "groep", "RT", "rest", pre="pre", n_boot=200)
    assert res.baseline_category == "niet vergelijkbaar"
    assert res.verdict == "niet vergelijkbaar"
    assert "niet vergelijkbaar" in res.verdict_nl
    # with selection on the pretest a baseline difference is expected: ANCOVA decides
    res2 = compare(df, "post", "groep", "RT", "rest", pre="pre", selection_on_pretest=True, n_boot=200)
    assert res2.verdict != "niet vergelijkbaar"
    assert any("gekozen op hun voormeting" in n for n in res2.notes)


def test_never_werkt_when_ci_includes_zero():
    seen = set()
    for seed in range(25):
        df = _pre_post_frame(n_t=12, n_c=14, effect=0.4, seed=100 + seed)
        res = compare(df, "post", "groep", "RT", "rest", pre="pre", n_boot=300, seed=seed)
        if "werkt" in res.verdict_nl:
            assert res.headline_ci[0] > 0 and res.headline_ci_boot[0] > 0
        if res.headline_ci[0] <= 0 <= res.headline_ci[1]:
            assert res.verdict in ("te weinig leerlingen", "geen aantoonbaar effect", "niet vergelijkbaar")
        seen.add(res.verdict)
    assert "positief" in seen and "te weinig leerlingen" in seen  # both branches were exercised


def test_determinism_same_input_same_result():
    df = _pre_post_frame(n_t=9, n_c=11, effect=0.5, seed=12)
    a = compare(df, "post", "groep", "RT", "rest", pre="pre")
    b = compare(df.copy(), "post", "groep", "RT", "rest", pre="pre")
    assert isinstance(a, CompareResult) and a == b
    assert np.array_equal(a.bootstrap_distribution, b.bootstrap_distribution)
    assert a.headline_ci_boot == b.headline_ci_boot
    assert a.to_frame().equals(b.to_frame())
    c = compare(df, "post", "groep", "RT", "rest", pre="pre", seed=1)
    assert c != a and c.headline == a.headline
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.headline = 1.0  # frozen


def test_to_frame_and_summary_are_dutch():
    res = compare(_cumming_frame(), "score", "cohort", "2024-2025", "2023-2024", n_boot=300)
    fr = res.to_frame()
    assert list(fr.columns) == ["statistic", "label", "value", "ci_low", "ci_high"]
    assert fr["statistic"].is_unique
    row = fr.set_index("statistic").loc["hedges_g"]
    assert row["label"] == "Hedges' g (nameting)"
    assert row["value"] == pytest.approx(res.hedges_g) and row["ci_low"] == pytest.approx(res.hedges_g_ci[0])
    assert fr.set_index("statistic").loc["cliffs_delta", "label"] == "Cliff's δ"
    assert "ancova_difference" not in set(fr["statistic"])  # not this design
    text = res.summary_nl()
    assert text.splitlines()[0] == res.verdict_nl
    assert "Hedges' g" in text and "0,45" in text  # decimal comma
    assert "standaardafwijking" in text


def test_one_group_regression_to_the_mean_arithmetic():
    # a class of 20; the RT-group (lowest 5 on pre) gains; reliability given
    pre = np.array([80, 85, 88, 90, 92] + [100 + i for i in range(15)], float)
    post = pre + 5.0
    post[:5] += [5.0, 6.0, 7.0, 6.5, 5.5]
    df = pd.DataFrame({"pre": pre, "post": post, "g": ["RT"] * 5 + ["klas"] * 15})
    res = compare(df, "post", "g", "RT", None, pre="pre", selection_on_pretest=True, reliability=0.8, norm_growth=5.0, n_boot=300)
    assert res.design == "one_group" and res.n_treatment == 5
    mu, sigma = pre.mean(), pre.std(ddof=1)
    assert res.naive_gain == pytest.approx(11.0)
    assert res.rtm_expected_gain == pytest.approx(0.2 * (mu - pre[:5].mean()))
    assert res.gain_beyond_rtm == pytest.approx(11.0 - 5.0 - res.rtm_expected_gain)
    assert res.headline == pytest.approx(res.gain_beyond_rtm / sigma)
    assert res.reliability_used == 0.8 and res.reliability_source == "opgegeven betrouwbaarheid"
    assert any("Regressie naar het gemiddelde" in n for n in res.notes)
    assert "zonder vergelijkingsgroep" in res.verdict_nl.lower() or res.verdict in (
        "te weinig leerlingen",
        "geen aantoonbaar effect",
    )


def test_one_group_z_scores_without_reference():
    df = pd.DataFrame({"pre": [-1.5, -1.2, -1.4, -1.1, -1.3, -1.6], "post": [-0.9, -0.8, -1.0, -0.7, -0.6, -1.1]})
    res = compare(df, "post", None, pre="pre", selection_on_pretest=True, reliability=0.85, n_boot=200)
    assert res.reference_mean == 0.0 and res.reference_sd == 1.0
    assert res.rtm_expected_gain == pytest.approx(0.15 * (0 - df.pre.mean()))


def test_dutch_errors():
    df = _cumming_frame()
    with pytest.raises(KeyError, match="staat niet in de tabel"):
        compare(df, "vaardigheid", "cohort", "a", "b")
    with pytest.raises(ValueError, match="onbekende opzet"):
        compare(df, "score", "cohort", "2024-2025", "2023-2024", design="rct")
    with pytest.raises(ValueError, match="voormeting nodig"):
        compare(df, "score", "cohort", "2024-2025", "2023-2024", design="pre_post_control")


def test_simulation_selection_on_pretest_rtm():
    """Lowest 25% chosen on the pretest, zero true effect: the naive gain looks like an effect,
    the ANCOVA headline does not (300 simulated classes of 28)."""
    rng = np.random.default_rng(2026)
    n_sim, n, n_rt, rel = 300, 28, 7, 0.7
    noise = math.sqrt((1 - rel) / rel)
    naive, ancova, did, beyond = [], [], [], []
    for _ in range(n_sim):
        true = rng.normal(0, 1, n)
        pre = true + rng.normal(0, noise, n)
        post = true + rng.normal(0, noise, n)
        order = np.argsort(pre)
        grp = np.full(n, "klas", dtype=object)
        grp[order[:n_rt]] = "RT"
        df = pd.DataFrame({"pre": pre, "post": post, "g": grp})
        res = compare(df, "post", "g", "RT", "klas", pre="pre", selection_on_pretest=True, n_boot=0)
        rt = grp == "RT"
        naive.append((post[rt] - pre[rt]).mean() / pre.std(ddof=1))
        ancova.append(res.headline)
        did.append(res.morris_dppc2)
        one = compare(df, "post", "g", "RT", None, pre="pre", selection_on_pretest=True, reliability=rel, n_boot=0)
        beyond.append(one.headline)
    assert np.mean(naive) > 0.2
    assert abs(np.mean(ancova)) < 0.1
    assert np.mean(did) > 0.2  # the gain-score comparison absorbs regression to the mean
    assert abs(np.mean(beyond)) < 0.1  # the RTM-corrected one-group gain does not


def test_one_group_without_norm_growth_is_not_judged_positive():
    rng = np.random.default_rng(9)
    pre = rng.normal(150, 10, 30)
    post = pre + 12 + rng.normal(0, 3, 30)  # ordinary growth of 12 points
    df = pd.DataFrame({"pre": pre, "post": post, "g": ["RT"] * 10 + ["klas"] * 20})
    res = compare(df, "post", "g", "RT", None, pre="pre", n_boot=300)
    assert res.verdict == "niet te beoordelen"
    assert "geen verwachte groei" in res.verdict_nl
    assert any("normgroei" in n for n in res.notes)
    ok = compare(df, "post", "g", "RT", None, pre="pre", norm_growth=12.0, n_boot=300)
    assert ok.verdict in ("geen aantoonbaar effect", "te weinig leerlingen")
    assert abs(ok.gain_beyond_rtm) < 3
