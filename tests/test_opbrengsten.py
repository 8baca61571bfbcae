"""The opbrengstenrapport makes no number of its own: its levels, growth, trend, referentieniveaus and
intervention verdicts are those of the groepsoverzicht, trendanalyse and interventie-evaluatie."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest
from identities import SAMPLE
from scipy import stats
from statsmodels.stats.multitest import multipletests
from test_reports_content import small_dataset

from plgdata.cycle import load_cycle
from plgdata.io.plgscan import read_plg_scan
from plgdata.io.signalering import read_signaleringswaarden
from plgdata.reporting.groepsoverzicht import group_overview
from plgdata.reporting.interventie import intervention_evaluation
from plgdata.reporting.opbrengsten import bestuur_overview, opbrengsten_report
from plgdata.reporting.trendanalyse import trend_overview
from plgdata.sample.leerteams import load_sample_with_fixed_key, write_leerteam_samples

CYCLES = ("cyclus_begrijpend_lezen.yaml", "actieonderzoek_rt_rekenen_groep4.yaml", "lessonstudy_rekenen_groep5.yaml")
PLANS = ("jaarplan_taal.yaml", "jaarplan_rekenen.yaml")


@pytest.fixture(scope="module")
def sample_ds():
    return load_sample_with_fixed_key(SAMPLE)


@pytest.fixture(scope="module")
def report(sample_ds):
    sw, _ = read_signaleringswaarden(SAMPLE / "signaleringswaarden.csv")
    scan, _ = read_plg_scan(SAMPLE / "plgscan.xlsx")
    op = opbrengsten_report(
        sample_ds,
        cycles=[load_cycle(SAMPLE / f) for f in CYCLES],
        year_plans=[load_cycle(SAMPLE / f) for f in PLANS],
        signaleringswaarde_2f=sw,
        plg_scan=scan,
    )
    yield op, sw
    for f in [op.trend_figure, *op.plg_scan_figures.values()]:
        if f is not None:
            f.close()


def _close(*figs):
    for f in figs:
        if f is not None:
            f.close()


def test_levels_and_growth_are_the_groepsoverzicht_numbers(sample_ds, report):
    op, _ = report
    assert op.school_year == "2025-2026" and sorted(op.growth["groep"].unique()) == [3, 4, 5, 6, 7]
    focus = {"Begrijpend lezen", "Spelling", "Rekenen-wiskunde"}
    for groep in (4, 6):
        go = group_overview(sample_ds, groep, "2025-2026")
        _close(go.level_figure, go.growth_figure)
        mine = op.growth[op.growth["groep"] == groep].drop(columns="groep").reset_index(drop=True)
        theirs = go.growth[go.growth["Vak"].isin(focus)].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine[theirs.columns], theirs)
        lv = (
            go.levels[(go.levels["Klas"] == "hele groep") & go.levels["Vak"].isin(focus)]
            .drop(columns="Klas")
            .reset_index(drop=True)
        )
        pd.testing.assert_frame_equal(op.levels[op.levels["groep"] == groep].drop(columns="groep").reset_index(drop=True), lv)
        assert op.pupils.set_index("groep").loc[groep, "Extra aandacht"] == go.attention["pupil_id"].nunique()
    # the report makes 14 comparisons with the norm: a groep is "aantoonbaar" sneller only after Holm's
    # correction (issue 17); the reference here is Holm (statsmodels) on p-values from the rows' own intervals
    rows = op.growth[op.growth["Vak"].isin(focus)]
    se = (rows["z bovengrens"] - rows["z ondergrens"]) / (2 * stats.norm.ppf(0.975))
    p = 2 * stats.norm.sf((rows["Gemiddelde groei in z"] / se).abs())
    holm = multipletests(p, method="holm")[0] & (rows["z ondergrens"] > 0).to_numpy()
    expected = {f"{v.lower()} groep {g}" for v, g in zip(rows.loc[holm, "Vak"], rows.loc[holm, "groep"])}
    claimed = [c for c in op.can_conclude if c.startswith("Aantoonbaar sneller gegroeid dan de landelijke norm: ")]
    said = {x.strip(" .") for c in claimed for x in c.split(": ", 1)[1].split(";")}
    assert said == expected and len(rows) == 14
    assert any(
        c.startswith("We maakten 14 vergelijkingen (per groep en vak de groei met de landelijke norm)") for c in op.can_conclude
    )


def test_trend_and_referentieniveaus_are_the_trendanalyse_numbers(sample_ds, report):
    op, sw = report
    tr = trend_overview(sample_ds, sw)
    _close(tr.school_figure, *tr.cross_figures.values(), *tr.cohort_figures.values(), tr.referentie_figure)
    pd.testing.assert_frame_equal(op.referentie, tr.referentie_average)
    expected = tr.school_trend[tr.school_trend["Vak"].isin(["Begrijpend lezen", "Spelling", "Rekenen-wiskunde"])].reset_index(
        drop=True
    )
    pd.testing.assert_frame_equal(op.trend, expected)
    assert op.referentie["sw_2f"].tolist() == [0.435]  # the school's one value from signaleringswaarden.csv
    assert op.referentie["sw_1f"].tolist() == [0.85]
    # issue 20: both reports show the one indicator, the same figure and the same sentence
    pd.testing.assert_frame_equal(op.indicator_table, tr.indicator_table)
    assert op.referentie_sentence == tr.referentie_sentence
    assert "Referentieniveaus groep 8: " + tr.indicator.sentence() in op.can_conclude
    assert "signaleringswaarde –" not in " ".join(op.can_conclude + tr.kernboodschap)


@pytest.mark.parametrize(
    "iid, verdict",
    [
        ("INT-BL-6A", "niet te scheiden"),
        ("INT-RW-RT4", "te weinig leerlingen"),
        ("INT-SP-SCHOOL", "positief"),
        ("INT-TL-MB", "positief"),
    ],
)
def test_every_intervention_verdict_is_the_interventie_evaluatie(sample_ds, report, iid, verdict):
    op, _ = report
    ev = intervention_evaluation(sample_ds, iid)
    _close(ev.estimation_figure)
    name = sample_ds.interventions.set_index("intervention_id").loc[iid, "name"]
    row = op.interventions.set_index("Interventie").loc[name]
    assert row["Oordeel"] == ev.verdict == verdict
    if verdict in (
        "te weinig leerlingen",
        "niet te scheiden",
    ):  # no number where nothing can be concluded (the sentence says why)
        assert np.isnan(row["Effectgrootte"]) and np.isnan(row["95%-BI onder"]) and np.isnan(row["95%-BI boven"])
    else:
        assert row["Effectgrootte"] == ev.result.headline  # the same float, not a recomputation
        assert (row["95%-BI onder"], row["95%-BI boven"]) == ev.result.headline_ci
    assert row["Wat de data zeggen"] == ev.kernboodschap[0]


def test_chapters_cycles_borgen_and_honest_limits(report):
    op, _ = report
    assert sorted(op.questions) == [1, 2, 3, 4]  # one chapter per PLG question
    assert op.focus["Focusvak"].tolist() == ["Begrijpend lezen", "Begrijpend lezen", "Spelling"] + ["Rekenen-wiskunde"] * 3
    assert op.cycles["Stand"].tolist() == ["afgerond"] * 3
    assert op.cycles["Doel gehaald"].tolist() == ["nee", "nee", "–"]
    ls = op.kept[op.kept["Cyclus"] == "Verhaaltjessommen met het strookmodel"].iloc[0]
    assert ls["Borgen / vervolg"].startswith("In elke rekenles met verhaaltjessommen eerst samen een strook tekenen.")
    assert any(c.startswith("RT-groep rekenen groep 4: te weinig leerlingen") for c in op.cannot_conclude)
    assert any("zegt niets over oorzaak en gevolg" in c for c in op.cannot_conclude)


def test_plg_scan_in_the_report_never_shows_a_leerteam_year_under_five(report):
    op, _ = report
    shown = set(map(tuple, op.plg_scan[["leerteam", "school_year"]].drop_duplicates().to_numpy()))
    assert ("Leerteam Rekenen onderbouw", "2024-2025") not in shown
    assert shown == {
        ("Leerteam Rekenen onderbouw", "2025-2026"),
        ("Leerteam Taal middenbouw", "2024-2025"),
        ("Leerteam Taal middenbouw", "2025-2026"),
    }
    assert op.plg_scan["n"].min() >= 5
    assert "2024-2025" not in op.plg_scan_figures["Leerteam Rekenen onderbouw"].alt
    assert "2024-2025" in op.plg_scan_figures["Leerteam Taal middenbouw"].alt
    # the focus-subject growth beside the scan is the groepsoverzicht's, rows of rekenen-wiskunde only
    assert set(op.team_growth["Leerteam Rekenen onderbouw"]["Vak"]) == {"Rekenen-wiskunde"}


def test_builder_reproduces_the_committed_leerteam_samples(sample_ds, tmp_path):
    shutil.copy(SAMPLE / "leerlingen.csv", tmp_path)  # the own quiz uses the sample's pupil numbers
    written = [p.relative_to(tmp_path).as_posix() for p in write_leerteam_samples(tmp_path, sample_ds)]
    assert written == [
        "eigen_meting/strookmodel_5A_5B.csv",
        "eigen_meting/koppeling_strookmodel.yaml",
        "lessonstudy_rekenen_groep5.yaml",
        "jaarplan_taal.yaml",
        "jaarplan_rekenen.yaml",
        "plgscan.xlsx",
    ]
    for name in written:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_bestuur_puts_schools_side_by_side_by_name_with_intervals_and_suppresses_small_ones():
    from statsmodels.stats.proportion import proportion_confint

    big = small_dataset()
    tiny = small_dataset()
    s = tiny.scores
    keep = {f"L-{i:010x}" for i in range(200, 204)}  # 4 of the 10 groep-8 pupils
    tiny.scores = s[~((s["groep"] == 8) & ~s["pupil_id"].astype(str).isin(keep))].reset_index(drop=True)
    table, notes = bestuur_overview({"OBS Zuid": big, "OBS Noord": tiny}, {"OBS Zuid": 0.40})
    assert table["School"].tolist() == ["OBS Noord", "OBS Zuid"]  # by name, never by result
    noord, zuid = table.iloc[0], table.iloc[1]
    assert noord["n"] < 5 and math.isnan(noord["avg_1f"]) and math.isnan(noord["ci_low"])
    assert zuid["n"] == 10 and zuid["avg_1f"] == pytest.approx(0.9) and zuid["sw_2f"] == 0.40
    assert (zuid["ci_low"], zuid["ci_high"]) == pytest.approx(proportion_confint(9, 10, method="wilson"))
    assert any(n.startswith("OBS Noord, rekenen-wiskunde: minder dan 5 leerlingen") for n in notes)
    assert np.isnan(noord["sw_2f"])
