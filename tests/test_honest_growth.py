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
