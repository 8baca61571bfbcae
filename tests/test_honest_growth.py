"""Issue 17, items 4, 5, 6, 7, 10, 11 and 13: the problem measure respects level systems, growth
against a norm needs a norm, growth expectations are conditional on the start, a family of claims
controls false discoveries, trend words follow a test, the bestuur interval uses the same years as
its average, and the PLG-scan shows only means of at least five answers inside the 1-4 scale."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from identities import SAMPLE
from sample_truth import iep_pupils, low_share
from scipy import stats

from plgdata import forms, workflow
from plgdata.analysis.levels import level_share
from plgdata.cycle import load_cycle
from plgdata.model import schema
from plgdata.model.dataset import Dataset
from plgdata.sample.leerteams import load_sample_with_fixed_key


@pytest.fixture(scope="module")
def sample_ds():
    return load_sample_with_fixed_key(SAMPLE)


def dataset(rows: list[dict]) -> Dataset:
    """A Dataset from a few score rows (columns the rows lack are empty)."""
    df = pd.DataFrame(rows)
    df["period"] = df["moment"].str[0]
    df["test_level"] = df["moment"].str[1:].astype(int)
    df["source_file"] = "test.csv"
    df["source_row"] = range(2, len(df) + 2)
    scores = schema.coerce(df, schema.SCORE_COLUMNS, schema.SCORE_DTYPES)
    return Dataset(scores=scores).validate()


def row(i, moment, date, score, pct=None, level=None, *, groep=5, year="2025-2026", subject="rekenen-wiskunde", **kw):
    return {
        "pupil_id": f"L-{i:010x}",
        "school": "OBS Test",
        "school_year": year,
        "groep": groep,
        "class_name": kw.get("klas", f"{groep}A"),
        "subject": subject,
        "test_name": "toets",
        "scale": kw.get("scale", "Cito 3.0"),
        "moment": moment,
        "date": pd.Timestamp(date),
        "score": score,
        "percentile": pct,
        "level": level,
    }


def norm_table(e_mean: float) -> pd.DataFrame:
    """A norm table for rekenen M5 (mean 100) and E5 (``e_mean``), sd 10."""
    return pd.DataFrame(
        {"subject": "rekenen-wiskunde", "scale": "Cito 3.0", "moment": ["M5", "E5"], "mean": [100.0, e_mean], "sd": 10.0}
    )


# ---------------------------------------------------------------------------
# item 13: the problem measure of steps 1 and 8 respects level systems
# ---------------------------------------------------------------------------


def _iep_m4_pupils() -> int:
    return iep_pupils(4, "M")


def test_the_problem_measure_has_no_share_on_the_samples_iep_year(sample_ds):
    """On the sample's IEP year (rekenen 2023-2024: referentieniveaus, no niveau I-V) the old measure
    said 0% IV/V of every pupil with a level; there is no such share."""
    m = workflow.share_low_levels(sample_ds, "rekenen-wiskunde", "M", "2023-2024", [4])
    assert np.isnan(m.value) and m.n == 0
    assert m.basis.startswith(f"geen niveau I–V ({_iep_m4_pupils()} leerlingen met een referentieniveau, toets IEP)")
    now = workflow.share_low_levels(sample_ds, "rekenen-wiskunde", "M", "2025-2026", [4])
    n, share = low_share("rekenen-wiskunde", "2025-2026", [4], "M")
    assert now.n == n and now.value == pytest.approx(share)  # a Cito year: the share exists


def test_a_e_and_referentieniveaus_are_never_counted_as_niveau_iv_v():
    r = pd.DataFrame({"level": ["IV", "V-", "II", "I+", "1F", "op weg naar 1F", "D", "E", None]})
    s = level_share(r)
    assert (s.n, s.n_hit, s.n_other, s.share) == (4, 2, 4, 0.5)
    ae = level_share(pd.DataFrame({"level": ["D", "E", "A"], "scale": ["Cito 2.0"] * 3}))
    assert np.isnan(ae.share) and ae.missing_text == "geen niveau I–V (3 leerlingen met een niveau A–E, toets Cito 2.0)"
    assert level_share(r, ("D", "E")).share == pytest.approx(2 / 2)
    with pytest.raises(ValueError, match="horen niet bij één niveausysteem"):
        level_share(r, ("IV", "E"))


def test_a_share_hypothesis_on_the_iep_year_says_there_is_no_niveau_i_v(sample_ds):
    """verschil_in_aandelen counted every IEP pupil as 'not IV/V' (0% against 0%)."""
    h = SimpleNamespace(
        id="H2",
        test_kind="verschil_in_aandelen",
        test_params={
            "vak": "rekenen",
            "periode": "M",
            "schooljaar": "2023-2024",
            "groepen": [4],
            "kenmerk": "geslacht",
            "a": "J",
            "b": "M",
        },
    )
    res = workflow.run_hypothesis(sample_ds, h)
    assert res.verdict == "onbeslist"
    assert res.text_nl.startswith(
        f"Onbeslist: geen niveau I–V ({_iep_m4_pupils()} leerlingen met een referentieniveau, toets IEP)"
    )


def test_notebook_00s_overview_of_the_iep_year_shows_no_niveau_and_no_norm_growth(sample_ds):
    """The overview called every IEP pupil 'niveau I–III' (100%) and gave a within-school z growth."""
    ov = workflow.school_overview(sample_ds, "2023-2024").set_index("subject")
    rw = ov.loc["Rekenen-wiskunde"]
    assert np.isnan(rw["share_i_iii"]) and np.isnan(rw["share_iv_v"]) and np.isnan(rw["z_growth"])
    assert rw["level_note"].startswith("geen niveau I–V (") and "referentieniveau, toets IEP)" in rw["level_note"]
    assert rw["growth_note"].startswith("geen landelijke norm in deze gegevens")
    bl = ov.loc["Begrijpend lezen"]
    assert 0 < bl["share_iv_v"] < 1 and bl["share_i_iii"] == pytest.approx(1 - bl["share_iv_v"]) and bl["level_note"] == ""


@pytest.fixture(scope="module")
def form_sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("doelcheck")
    ds = workflow.load_into_workdir(SAMPLE, tmp / "werk", interventions=SAMPLE / "interventies.xlsx", key_file=tmp / "k.key")
    return tmp, ds


def test_step_8_does_not_record_a_goal_met_on_a_year_without_niveau_i_v(form_sample):
    """Step 8 recorded "hoogstens 35%" as met from 0% IV/V on the IEP year."""
    tmp, ds = form_sample
    path = tmp / "iep.yaml"
    forms.start_form(path, ds, invulling=SAMPLE / "voorbeeldinvulling.yaml")
    problem = forms.problem_form(load_cycle(path), path, ds)
    base = {"vak": "rekenen-wiskunde", "groepen": (4,), "periode": "M", "schooljaar": "2025-2026"}
    assert problem.submit({**base, "doel": "35%", "doel_is": "hoogstens", "deadline": "30-06-2026"}) is True
    before = path.read_bytes()
    check = forms.goal_check_form(load_cycle(path), path, ds)
    assert check.submit({**base, "schooljaar": "2023-2024"}) is False
    assert f"geen niveau I–V ({_iep_m4_pupils()} leerlingen met een referentieniveau, toets IEP)" in check.problems[""]
    assert path.read_bytes() == before and load_cycle(path).evaluation.goal_met is None


def test_the_groepsoverzicht_counts_levels_with_the_same_function():
    from plgdata.reporting.groepsoverzicht import group_overview

    rows = [row(i, "E5", "2026-06-01", 100 + i, 50, lv) for i, lv in enumerate(["IV", "V", "II", "III", "I", "1F", "2F"])]
    ov = group_overview(dataset(rows), 5, min_n=1)
    lv = ov.levels.iloc[0]
    assert lv["n"] == 5 and lv["Aandeel IV–V"] == pytest.approx(2 / 5) and lv["Aandeel I–III"] == pytest.approx(3 / 5)


# ---------------------------------------------------------------------------
# item 4: growth against a norm needs a norm
# ---------------------------------------------------------------------------


def _no_percentiles(n=25, growth=10.0):
    """Every pupil grows ``growth`` points (about 1 sd) from M to E; the export has no percentiles."""
    rng = np.random.default_rng(4)
    pre = rng.normal(100, 10, n)
    rows = [row(i, "M5", "2026-01-20", pre[i]) for i in range(n)]
    rows += [row(i, "E5", "2026-06-10", pre[i] + growth + rng.normal(0, 2)) for i in range(n)]
    return dataset(rows)


def test_growth_against_the_norm_without_percentiles_says_there_is_no_norm():
    """Every pupil grew 1 sd more; the within-sample z gave mean growth 1.5e-16 and 'verworpen'."""
    ds = _no_percentiles()
    h = SimpleNamespace(
        id="H1",
        test_kind="groei_tegen_norm",
        test_params={"vak": "rekenen", "schooljaar": "2025-2026", "groepen": [5], "richting": "groter", "min_verschil": 0.1},
    )
    res = workflow.run_hypothesis(ds, h)
    assert res.verdict == "onbeslist"
    assert res.text_nl.startswith("Onbeslist: geen landelijke norm in deze gegevens")
    overview = workflow.school_overview(ds)
    assert np.isnan(overview.loc[0, "z_growth"]) and overview.loc[0, "n_growth"] == 0
    assert overview.loc[0, "growth_note"].startswith("geen landelijke norm in deze gegevens")


def test_growth_against_the_norm_with_percentiles_is_still_judged():
    rows = [row(i, "M5", "2026-01-20", 100 + i, 30 + i) for i in range(30)]
    rows += [row(i, "E5", "2026-06-10", 110 + i, 50 + i) for i in range(30)]
    ds = dataset(rows)
    h = SimpleNamespace(
        id="H1", test_kind="groei_tegen_norm", test_params={"vak": "RW", "schooljaar": "2025-2026", "groepen": [5]}
    )
    res = workflow.run_hypothesis(ds, h)
    expected = np.mean(stats.norm.ppf(np.arange(50, 80) / 100) - stats.norm.ppf(np.arange(30, 60) / 100))
    assert res.verdict == "bevestigd" and res.evidence["mean_gain"] == pytest.approx(expected)
    assert workflow.school_overview(ds).loc[0, "z_growth"] == pytest.approx(expected)


# ---------------------------------------------------------------------------
# item 5: growth expectations conditional on the start
# ---------------------------------------------------------------------------


def _null_growth_rows(n=4000, rel=0.8, seed=5):
    """Nobody grows differently from the norm; both tests measure with error (reliability ``rel``),
    so the later score regresses to the mean.  Percentiles and scores from the observed z."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, np.sqrt(rel), n)
    z_m = theta + rng.normal(0, np.sqrt(1 - rel), n)
    z_e = theta + rng.normal(0, np.sqrt(1 - rel), n)
    pct = lambda z: np.clip(np.round(100 * stats.norm.cdf(z)), 1, 99)  # noqa: E731
    rows = [row(i, "M5", "2026-01-20", 100 + 10 * z_m[i], pct(z_m[i])) for i in range(n)]
    rows += [row(i, "E5", "2026-06-10", 110 + 10 * z_e[i], pct(z_e[i])) for i in range(n)]
    return rows, z_m


def _by_start_quintile(values, z_start) -> np.ndarray:
    q = pd.qcut(pd.Series(z_start), 5, labels=False)
    return pd.Series(np.asarray(values, dtype="float64")).groupby(q.to_numpy()).mean().to_numpy()


@pytest.fixture(scope="module")
def null_growth():
    from plgdata.analysis import growth

    rows, _ = _null_growth_rows()
    g = growth.pupil_growth(dataset(rows).scores, "rekenen-wiskunde", "M5", "E5")
    return g


def test_at_least_expected_is_balanced_across_start_quintiles_under_no_effect(null_growth):
    """The audit: 67% of the lowest fifth of starters 'at least expected' against 34% of the highest."""
    from plgdata.analysis import growth

    norm = norm_table(e_mean=110.0)
    ng = growth.norm_growth(null_growth, norm)
    rates = _by_start_quintile(ng["at_least_expected"].astype(float), ng["z_pre"])
    assert rates.max() - rates.min() < 0.10 and 0.42 < rates.mean() < 0.58
    # the unconditional comparison (same z at both moments) shows the audit's imbalance
    same_z = _by_start_quintile(ng["post"] >= ng["expected_post"], ng["z_pre"])
    assert same_z[0] > 0.6 and same_z[-1] < 0.4
    pg = growth.percentile_growth(null_growth, by=None, min_n=1)
    assert pg.loc[0, "share_at_least_expected"] == pytest.approx(0.5, abs=0.03)
    cond = growth.conditional_growth(null_growth)
    share = _by_start_quintile(cond["z_vs_expected"] >= 0, cond["z_pre"])
    assert share.max() - share.min() < 0.10


def test_a_group_that_grew_faster_still_grows_above_expectation(null_growth):
    from plgdata.analysis import growth

    faster = null_growth.assign(z_post=null_growth["z_post"] + 0.5)
    cond = growth.conditional_growth(faster)
    assert cond["z_vs_expected"].mean() == pytest.approx(null_growth["z_growth"].mean() + 0.5)
    assert (cond["z_vs_expected"] >= 0).mean() > 0.75


def test_the_attention_flag_hits_low_and_high_starters_alike_under_no_effect():
    """The −1,1 flag on plain z growth hit high starters 13× as often as low ones."""
    from plgdata.reporting.groepsoverzicht import group_overview

    rows, z_m = _null_growth_rows(n=3000, seed=6)
    ds = dataset(rows)
    ov = group_overview(ds, 5, attention_levels=())
    for f in (ov.level_figure, ov.growth_figure):
        if f is not None:
            f.close()
    ids = pd.Series([f"L-{i:010x}" for i in range(len(z_m))])
    flagged = ids.isin(set(ov.attention["pupil_id"]))
    rates = _by_start_quintile(flagged.astype(float), z_m)
    assert 0.01 < flagged.mean() < 0.06
    assert rates.max() / rates.min() < 2.5
    assert all("leerlingen met dezelfde beginscore" in w for w in ov.attention["Waarom"])


# ---------------------------------------------------------------------------
# item 7: trend words follow a test
# ---------------------------------------------------------------------------


def _trend_rows(subject: str, counts: dict[str, tuple[int, int]], start: int) -> list[dict]:
    """Per school year ``(pupils at I–III, pupils)`` at E, spread over groepen 3-8."""
    rows, i = [], start
    for year, (k, n) in counts.items():
        for j in range(n):
            lv = ["I", "II", "III"][j % 3] if j < k else ["IV", "V"][j % 2]
            g = 3 + j % 6
            rows.append(row(i, f"E{g}", f"{year[5:]}-06-10", 100.0, 50, lv, groep=g, year=year, subject=subject))
            i += 1
    return rows


def test_a_change_within_chance_is_ongeveer_gelijk_with_its_interval():
    """The fixed 5-point rule said 'steeg' for 57,5% -> 62,9% of 240 pupils, well within chance."""
    from plgdata.reporting.trendanalyse import trend_overview

    years = ("2023-2024", "2024-2025", "2025-2026")
    rows = _trend_rows("rekenen-wiskunde", dict(zip(years, [(138, 240), (144, 240), (151, 240)], strict=True)), 0)
    rows += _trend_rows("begrijpend lezen", dict(zip(years, [(120, 240), (150, 240), (180, 240)], strict=True)), 5000)
    tr = trend_overview(dataset(rows))
    for f in [tr.school_figure, *tr.cross_figures.values(), *tr.cohort_figures.values(), tr.referentie_figure]:
        if f is not None:
            f.close()
    kern = " ".join(tr.kernboodschap)
    assert (
        "Rekenen-wiskunde: het percentage op niveau I–III bleef ongeveer gelijk van 57% (2023-2024) naar 63% "
        "(2025-2026; verschil +5,4 procentpunt, 95%-BI −3,3 tot +14,0)." in kern
    )
    assert "Begrijpend lezen: het percentage op niveau I–III steeg van 50% (2023-2024) naar 75%" in kern
    assert "We maakten 2 vergelijkingen (per vak het eerste met het laatste schooljaar)" in kern


def test_trend_words_under_no_change_are_rarely_steeg_or_daalde():
    """Bounded, seeded null simulation: 400 subjects whose share stays 60% (240 pupils a year)."""
    from plgdata.analysis.trends import share_change

    rng = np.random.default_rng(7)
    k = rng.binomial(240, 0.6, size=(400, 2)) / 240
    words = [share_change(a, 240, b, 240).word for a, b in k]
    assert np.mean([w != "bleef ongeveer gelijk" for w in words]) <= 0.07
    assert np.mean(np.abs(k[:, 1] - k[:, 0]) >= 0.05) > 0.2  # what the fixed 5-point rule called a change


# ---------------------------------------------------------------------------
# item 6: many claims in one report control false discoveries
# ---------------------------------------------------------------------------

SUBJECTS = ("rekenen-wiskunde", "begrijpend lezen", "spelling", "technisch lezen", "woordenschat")


def _level_of(p: float) -> str:
    return ["V", "IV", "III", "II", "I"][min(int(p // 20), 4)]


def _null_school(seed: int, n: int = 25, rel: float = 0.85) -> Dataset:
    """Every groep (3-8) grows like the norm in every subject: 30 comparisons with the norm."""
    rng = np.random.default_rng(seed)
    rows, i = [], 0
    for g in range(3, 9):
        for subject in SUBJECTS:
            theta = rng.normal(0, np.sqrt(rel), n)
            for k in range(n):
                zm, ze = theta[k] + rng.normal(0, np.sqrt(1 - rel), 2)
                pm, pe = (float(np.clip(round(100 * stats.norm.cdf(z)), 1, 99)) for z in (zm, ze))
                rows.append(row(i + k, f"M{g}", "2026-01-20", 100 + 10 * zm, pm, _level_of(pm), groep=g, subject=subject))
                rows.append(row(i + k, f"E{g}", "2026-06-10", 110 + 10 * ze, pe, _level_of(pe), groep=g, subject=subject))
        i += n
    return dataset(rows)


def _growth_table(rng, n_rows: int, n: int = 25) -> pd.DataFrame:
    """A report's growth table: ``n_rows`` groups of ``n`` pupils whose z growth is pure noise (sd 0,55)."""
    z = rng.normal(0, 0.55, (n_rows, n))
    m, half = z.mean(axis=1), stats.t.ppf(0.975, n - 1) * z.std(axis=1, ddof=1) / np.sqrt(n)
    return pd.DataFrame(
        {
            "Vak": [f"vak {j}" for j in range(n_rows)],
            "n": n,
            "Gemiddelde groei in z": m,
            "z ondergrens": m - half,
            "z bovengrens": m + half,
        }
    )


def test_a_family_of_thirty_growth_claims_holds_the_family_wise_error_under_no_effect():
    """Bounded, seeded: 200 reports of 30 groep × vak rows that all grow like the norm.  Each row's own
    95% interval makes at least one false claim in about 80% of reports (the audit: 1,45 a report)."""
    from plgdata.reporting.groepsoverzicht import growth_claims

    rng = np.random.default_rng(6)
    any_claim, any_raw, claims = [], [], []
    for _ in range(200):
        t = _growth_table(rng, 30)
        faster, slower, m = growth_claims(t)
        assert m == 30
        any_claim.append(bool((faster | slower).any()))
        claims.append(int((faster | slower).sum()))
        any_raw.append(bool(((t["z ondergrens"] > 0) | (t["z bovengrens"] < 0)).any()))
    assert np.mean(any_claim) <= 0.08 and np.mean(claims) <= 0.1
    assert np.mean(any_raw) > 0.6


def test_the_opbrengstenrapport_on_a_school_that_grows_like_the_norm_claims_nothing():
    from plgdata.reporting.opbrengsten import opbrengsten_report

    op = opbrengsten_report(_null_school(11))
    for f in [op.trend_figure, *op.plg_scan_figures.values()]:
        if f is not None:
            f.close()
    assert not any(c.startswith("Aantoonbaar") for c in op.can_conclude)
    assert any(
        c.startswith("We maakten 30 vergelijkingen (per groep en vak de groei met de landelijke norm)") for c in op.can_conclude
    )


def test_holm_claims_decide_as_statsmodels():
    from statsmodels.stats.multitest import multipletests

    from plgdata.analysis.multiplicity import holm_claims

    rng = np.random.default_rng(8)
    for m in (1, 2, 5, 30, 30, 30):  # statsmodels collects garbage on every call: a few families only
        p = rng.uniform(0, 0.2, m) ** 2
        assert holm_claims(p).tolist() == multipletests(p, alpha=0.05, method="holm")[0].tolist()


# ---------------------------------------------------------------------------
# item 10: bestuur_overview takes n from the years of its average
# ---------------------------------------------------------------------------


def test_the_bestuur_interval_counts_the_pupils_of_the_averaged_years_only():
    """n summed every year (here 160 pupils over four years) while the average is over the latest
    three (60 pupils): the interval was sqrt(160/60) = 1,63 times too narrow."""
    from statsmodels.stats.proportion import proportion_confint

    from plgdata.reporting.opbrengsten import bestuur_overview

    rows, i = [], 0
    for year, n, k in (("2021-2022", 100, 50), ("2022-2023", 20, 17), ("2023-2024", 20, 18), ("2024-2025", 20, 16)):
        for j in range(n):
            lv = "1F" if j < k else "op weg naar 1F"
            rows.append(row(i, "E8", f"{year[5:]}-05-01", 80.0, None, lv, groep=8, year=year, scale="IEP"))
            i += 1
    table, _ = bestuur_overview({"OBS Test": dataset(rows)})
    r = table.iloc[0]
    avg = (17 + 18 + 16) / 60
    assert r["n"] == 60 and r["avg_1f"] == pytest.approx(avg)
    lo, hi = proportion_confint(round(avg * 60), 60, method="wilson")
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((lo, hi))


def test_intervention_verdicts_in_the_opbrengstenrapport_are_one_family():
    """Three 'positief' verdicts each just beyond 0 on their own interval: after Holm over the three,
    none is listed as a conclusion; each is said as a hint under what we cannot conclude."""
    from plgdata.reporting.opbrengsten import _intervention_claims

    iv = pd.DataFrame(
        {
            "Interventie": ["A", "B", "C"],
            "Oordeel": ["positief"] * 3,
            "Effectgrootte": [0.20] * 3,
            "95%-BI onder": [0.02] * 3,
            "95%-BI boven": [0.38] * 3,
            "Wat de data zeggen": [""] * 3,
        }
    )
    can, cannot = [], []
    _intervention_claims(iv, can, cannot)
    assert not any(c.startswith(("A:", "B:", "C:")) for c in can)
    assert cannot[0].startswith("A: positief effect op zichzelf (0,20 sd (95%-BI 0,02 tot 0,38)), maar het houdt geen stand")
    assert can == [
        "We maakten 3 vergelijkingen (de effecten van de interventies van dit jaar); een verschil heet pas aantoonbaar "
        "als het ook na de Holm-correctie voor 3 vergelijkingen overeind blijft, zodat de kans op één of meer "
        "toevalstreffers in het hele rapport hoogstens 5% is."
    ]
    strong = iv.assign(**{"95%-BI onder": [0.10] * 3, "Effectgrootte": [0.5] * 3, "95%-BI boven": [0.9] * 3})
    can, cannot = [], []
    _intervention_claims(strong, can, cannot)
    assert can[0] == "A: positief effect, 0,50 sd (95%-BI 0,10 tot 0,90)." and not cannot


def test_a_norm_table_is_a_norm_when_the_export_has_no_percentiles():
    ds = _no_percentiles()
    norm = norm_table(e_mean=100.0)
    h = SimpleNamespace(
        id="H1", test_kind="groei_tegen_norm", test_params={"vak": "rekenen", "schooljaar": "2025-2026", "groepen": [5]}
    )
    res = workflow.run_hypothesis(ds, h, norm_table=norm)
    # every pupil gained about 10 points where the norm gains 0: one sd more than the norm
    assert res.verdict == "bevestigd" and res.evidence["mean_gain"] == pytest.approx(1.0, abs=0.1)
    overview = workflow.school_overview(ds, norm_table=norm)
    assert overview.loc[0, "z_growth"] == pytest.approx(res.evidence["mean_gain"]) and overview.loc[0, "growth_note"] == ""


# ---------------------------------------------------------------------------
# properties over classes of inputs
# ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=40))
def test_plg_scan_interval_is_inside_the_scale_and_never_zero_width(answers):
    from plgdata.analysis.plgscan import bounded_mean_interval

    mean = float(np.mean(answers))
    lo, hi = bounded_mean_interval(mean, len(answers))
    assert 1.0 <= lo <= mean <= hi <= 4.0 and hi - lo > 0.05


LEVELS = ["I+", "I", "II", "III", "IV", "V", "V-", "A", "C", "E", "1F", "2F", "op weg naar 1F", None]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LEVELS), max_size=60))
def test_level_share_counts_every_pupil_once_and_only_within_i_v(levels):
    s = level_share(pd.DataFrame({"level": pd.Series(levels, dtype="object")}))
    in_iv = [lv for lv in levels if lv in ("I+", "I", "II", "III", "IV", "V", "V-")]
    assert s.n == len(in_iv) and s.n_hit == sum(lv in ("IV", "V", "V-") for lv in in_iv)
    assert s.n + s.n_other == sum(lv is not None for lv in levels)
    assert (np.isnan(s.share) and s.n == 0) or 0.0 <= s.share <= 1.0
