"""Issue 17, items 4, 5, 6, 7, 10, 11 and 13: the problem measure respects level systems, growth
against a norm needs a norm, growth expectations are conditional on the start, a family of claims
controls false discoveries, trend words follow a test, the bestuur interval uses the same years as
its average, and the PLG-scan shows only means of at least five answers inside the 1-4 scale."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from identities import SAMPLE
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


# ---------------------------------------------------------------------------
# item 13: the problem measure of steps 1 and 8 respects level systems
# ---------------------------------------------------------------------------


def test_the_problem_measure_has_no_share_on_the_samples_iep_year(sample_ds):
    """On the sample's IEP year (rekenen 2023-2024: referentieniveaus, no niveau I-V) the old measure
    said 0% IV/V of every pupil with a level; there is no such share."""
    m = workflow.share_low_levels(sample_ds, "rekenen-wiskunde", "M", "2023-2024", [4])
    assert np.isnan(m.value) and m.n == 0
    assert m.basis.startswith("geen niveau I–V (54 leerlingen met een referentieniveau, toets IEP)")
    now = workflow.share_low_levels(sample_ds, "rekenen-wiskunde", "M", "2025-2026", [4])
    assert now.n == 43 and now.value == pytest.approx(25 / 43)


def test_a_e_and_referentieniveaus_are_never_counted_as_niveau_iv_v():
    r = pd.DataFrame({"level": ["IV", "V-", "II", "I+", "1F", "op weg naar 1F", "D", "E", None]})
    s = level_share(r)
    assert (s.n, s.n_hit, s.n_other, s.share) == (4, 2, 4, 0.5)
    ae = level_share(pd.DataFrame({"level": ["D", "E", "A"], "scale": ["Cito 2.0"] * 3}))
    assert np.isnan(ae.share) and ae.missing_text == "geen niveau I–V (3 leerlingen met een niveau A–E, toets Cito 2.0)"
    assert level_share(r, ("D", "E")).share == pytest.approx(2 / 2)
    with pytest.raises(ValueError, match="horen niet bij één niveausysteem"):
        level_share(r, ("IV", "E"))


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
    assert "geen niveau I–V (54 leerlingen met een referentieniveau, toets IEP)" in check.problems[""]
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

    norm = pd.DataFrame(
        {
            "subject": ["rekenen-wiskunde"] * 2,
            "scale": ["Cito 3.0"] * 2,
            "moment": ["M5", "E5"],
            "mean": [100.0, 110.0],
            "sd": [10.0] * 2,
        }
    )
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
