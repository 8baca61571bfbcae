"""Issue 17 items 1, 2, 3 and 8: the assigned unit (a class, a groep in a school year) is the unit.

Reference values are computed here independently (scipy's two-sample t on class means,
statsmodels OLS on groep x year means), not read from plgdata."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from plgdata.analysis.clustered import cluster_difference
from plgdata.analysis.compare import compare
from plgdata.analysis.evaluation import evaluate_intervention
from plgdata.model.dataset import Dataset
from plgdata.reporting.interventie import intervention_evaluation

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from nullsim import class_dataset, cohort_dataset  # noqa: E402


def _report(ds, iid):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rep = intervention_evaluation(ds, iid)
    if rep.estimation_figure is not None:
        rep.estimation_figure.close()
    return rep


def _shift(ds: Dataset, klas: str, moment: str, points: float) -> Dataset:
    s = ds.scores.copy()
    sel = (s["class_name"] == klas) & (s["moment"] == moment)
    s.loc[sel, "score"] = s.loc[sel, "score"] + points
    return Dataset(scores=s, interventions=ds.interventions, participation=ds.participation)


def _by_hand(frame: pd.DataFrame) -> tuple[float, tuple[float, float]]:
    """Adjusted class means (pooled within-class slope) and the pooled t interval on them."""
    f = frame.copy()
    f["dx"] = f["pre"] - f.groupby("class_name")["pre"].transform("mean")
    f["dy"] = f["post"] - f.groupby("class_name")["post"].transform("mean")
    b = (f["dx"] * f["dy"]).sum() / (f["dx"] ** 2).sum()
    f["adj"] = f["post"] - b * (f["pre"] - f["pre"].mean())
    m = f.groupby(["class_name", "group"])["adj"].mean().reset_index()
    t, c = m.loc[m["group"] == "interventie", "adj"], m.loc[m["group"] == "vergelijking", "adj"]
    ci = stats.ttest_ind(t, c).confidence_interval(0.95)
    return float(t.mean() - c.mean()), (float(ci.low), float(ci.high))


def test_whole_classes_are_compared_as_classes_with_k_minus_2_df():
    ds = class_dataset(3, 0.10, np.random.default_rng(7), effect=0.8)
    ev = evaluate_intervention(ds, "INT-NUL")
    res = ev.result
    assert ev.info["unit"] == "klas" and res.unit == "klas"
    assert (res.n_units_treatment, res.n_units_control, res.units_df) == (3, 3, 4.0)
    diff, ci = _by_hand(ev.frame)
    assert res.unit_difference == pytest.approx(diff, rel=1e-9)
    assert res.unit_difference_ci == pytest.approx(ci, rel=1e-9)
    # the headline is that difference in pupil SDs, and the verdict follows the class-level interval
    sd = np.sqrt(sum((g["post"].count() - 1) * g["post"].var() for _, g in ev.frame.groupby("group")) / (len(ev.frame) - 2))
    assert res.headline == pytest.approx(diff / sd) and res.headline_ci == pytest.approx((ci[0] / sd, ci[1] / sd))
    assert res.verdict == ("positief" if ci[0] > 0 else res.verdict)
    assert "Vergeleken zijn klassen, geen losse leerlingen: 3 met en 3 zonder de interventie" in res.verdict_nl


def test_the_report_says_classes_not_pupils_were_compared():
    rep = _report(class_dataset(3, 0.10, np.random.default_rng(7), effect=0.8), "INT-NUL")
    text = " ".join(rep.design_text)
    assert "Daarom vergelijken we klassen, geen losse leerlingen: 3 klassen met de interventie tegen 3 klassen zonder" in text
    assert list(rep.units["Klas"]) == ["6A", "6B", "6C", "6D", "6E", "6F"]
    assert list(rep.units["Met interventie"]) == [True] * 3 + [False] * 3
    assert any(k.startswith("Met 3 + 3 klassen is pas een effect vanaf") for k in rep.kernboodschap)


def test_one_class_against_one_class_never_says_it_works():
    # a pure teacher difference: 6A's teacher adds 0.6 SD, the intervention nothing (old code: 'werkt waarschijnlijk')
    ds = class_dataset(1, 0.0, np.random.default_rng(3), effect=0.6, pre_icc=0.0)
    ev = evaluate_intervention(ds, "INT-NUL")
    assert ev.verdict == "niet te scheiden" and ev.result.units_df == 0
    text = ev.verdict_nl
    assert "werkt waarschijnlijk" not in text
    assert text.startswith("Niet te scheiden: er is 1 klas met de interventie en 1 vergelijkingsklas.")
    assert "een andere leerkracht" in text and "switching replications" in text and "vooraf vastleggen" in text
    assert "Beschrijvend: de interventieklas scoorde na correctie voor de voormeting" in text
    rep = _report(ds, "INT-NUL")
    assert rep.kernboodschap[0] == text and rep.verdict == "niet te scheiden" and rep.tone == "let-op"
    assert any("meer klassen tegelijk" in q for q in rep.questions)


def test_whole_class_with_a_low_pretest_is_not_an_rt_group():
    # 6A started 0.8 SD lower: old code took it for pupils selected on the pretest and skipped the WWC check
    ds = _shift(class_dataset(1, 0.0, np.random.default_rng(5)), "6A", "M6", -12.0)
    ev = evaluate_intervention(ds, "INT-NUL")
    assert ev.info["selection_on_pretest"] is False and ev.reference is None
    assert ev.info["selection_reason"].startswith("De deelnemers zijn hele klassen: niet gekozen op hun voormeting.")
    assert ev.result.selection_on_pretest is False
    two = _shift(class_dataset(2, 0.0, np.random.default_rng(5)), "6A", "M6", -12.0)
    two = _shift(two, "6B", "M6", -12.0)
    ev2 = evaluate_intervention(two, "INT-NUL")
    assert ev2.info["selection_on_pretest"] is False and ev2.verdict == "niet vergelijkbaar"  # the WWC guard applies


def test_school_wide_cohorts_use_groep_by_school_year_as_the_unit():
    import statsmodels.formula.api as smf

    ds = cohort_dataset(0.10, np.random.default_rng(11))
    ev = evaluate_intervention(ds, "INT-NUL-SCHOOL")
    res = ev.result
    assert ev.design == "cohort" and ev.info["unit"] == "jaargroep"
    assert (res.n_units_treatment, res.n_units_control, res.units_df) == (12, 12, 24 - 6 - 1)
    means = ev.frame.groupby(["groep", "school_year"], as_index=False).agg(z=("z", "mean"))
    means["new"] = (means["school_year"] >= "2024-2025").astype(int)
    fit = smf.ols("z ~ new + C(groep)", data=means).fit()
    assert res.unit_difference == pytest.approx(fit.params["new"], rel=1e-9)
    assert res.unit_difference_ci == pytest.approx(tuple(fit.conf_int().loc["new"]), rel=1e-9)
    rep = _report(ds, "INT-NUL-SCHOOL")
    assert any(
        t.startswith("Elke groep in één schooljaar (bijvoorbeeld groep 5 in 2024-2025) telt als één waarneming")
        for t in rep.design_text
    )


def test_one_school_year_against_one_cannot_be_separated():
    df = pd.DataFrame({"z": np.r_[np.linspace(-1, 1, 30), np.linspace(-0.5, 1.5, 30)], "cohort": ["oud"] * 30 + ["nieuw"] * 30})
    df["unit"] = df["cohort"]
    res = compare(df, "z", "cohort", "nieuw", "oud", design="cohort", cluster="unit", unit="jaargroep", n_boot=0)
    assert res.verdict == "niet te scheiden" and "te weinig groepen en schooljaren" in res.verdict_nl


def test_cluster_difference_without_pretest_is_the_t_test_on_unit_means():
    rng = np.random.default_rng(1)
    y = rng.normal(size=60)
    unit = np.repeat(np.arange(6), 10)
    treat = unit < 3
    est = cluster_difference(y, treat, unit)
    means = pd.Series(y).groupby(unit).mean().to_numpy()
    ci = stats.ttest_ind(means[:3], means[3:]).confidence_interval()
    assert est.df == 4 and est.ci == pytest.approx((ci.low, ci.high))
    same = cluster_difference(np.ones(60), treat, unit)  # identical unit means: no interval, no verdict
    assert np.isnan(same.ci[0])


def test_whole_classes_in_several_groepen_are_each_compared_with_their_parallel_class():
    # 4A, 5A, 6A, 7A took part; old code kept only the groep of the most common pretest (one class each side)
    ds = class_dataset(1, 0.10, np.random.default_rng(4), effect=0.5, groepen=(4, 5, 6, 7))
    ev = evaluate_intervention(ds, "INT-NUL")
    res, info = ev.result, ev.info
    assert info["pre_moment"] == "M4, M5, M6, M7" and info["post_moment"] == "E4, E5, E6, E7"
    assert info["n_treatment"] == info["n_control"] == 96 and info["n_dropped"] == 0
    assert (res.n_units_treatment, res.n_units_control, res.units_df) == (4, 4, 8 - 2 - 3)  # groep is a block
    means = ev.frame.assign(t=(ev.frame["group"] == "interventie").astype(int))
    f = means.copy()
    f["dx"] = f["pre"] - f.groupby("class_name")["pre"].transform("mean")
    f["dy"] = f["post"] - f.groupby("class_name")["post"].transform("mean")
    b = (f["dx"] * f["dy"]).sum() / (f["dx"] ** 2).sum()
    f["adj"] = f["post"] - b * (f["pre"] - f["pre"].mean())
    m = f.groupby(["class_name", "groep", "t"], as_index=False)["adj"].mean()
    paired = m.pivot(index="groep", columns="t", values="adj")
    diff = paired[1] - paired[0]  # with one class per arm and groep, the block model is the paired t-test
    ci = stats.ttest_1samp(diff, 0).confidence_interval()
    assert res.unit_difference == pytest.approx(diff.mean()) and res.unit_difference_ci == pytest.approx((ci.low, ci.high))
