"""Growth (leerwinst): values against hand-computed references."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from plgdata.analysis import growth
from plgdata.analysis.growth import ScaleMismatchError, ScaleMismatchWarning
from plgdata.io.norms import EXAMPLE_PATH, NormTableError, read_norm_table

# t(0.975, df=4) from any t table
T_975_4 = 2.776445


def pid(i: int) -> str:
    return f"L-{i:010x}"


def row(i, year, groep, klas, moment, score, pct=None, scale="Cito 3.0", subject="begrijpend lezen", level=None):
    y0 = int(year[:4])
    date = f"15-01-{y0 + 1}" if moment[0] == "M" else (f"15-06-{y0 + 1}" if moment[0] == "E" else f"15-10-{y0}")
    return dict(
        pupil_id=pid(i),
        school="OBS Test",
        school_year=year,
        groep=groep,
        class_name=klas,
        subject=subject,
        test_name="t",
        scale=scale,
        moment=moment,
        score=score,
        percentile=pct,
        level=level,
        date=date,
    )


@pytest.fixture
def five_pupils(scores_factory):
    gains = [(100, 110), (120, 125), (130, 150), (90, 99), (110, 116)]
    rows = []
    for i, (a, b) in enumerate(gains):
        rows.append(row(i, "2024-2025", 5, "5A", "M5", a, 50))
        rows.append(row(i, "2024-2025", 5, "5A", "E5", b, 84.13))
    return scores_factory(rows)


def test_probit_and_nce_reference_values():
    assert growth.probit_percentile(50) == pytest.approx(0.0, abs=1e-12)
    assert growth.probit_percentile(84.13) == pytest.approx(1.0, abs=1e-3)
    assert growth.probit_percentile(2.275) == pytest.approx(-2.0, abs=1e-3)
    assert growth.nce(1.0) == pytest.approx(71.06)
    assert growth.nce(0.0) == pytest.approx(50.0)
    # percentile 100 is clipped, not infinite
    assert np.isfinite(growth.probit_percentile(100))


def test_pupil_growth_gain_and_z_columns(five_pupils):
    g = growth.pupil_growth(five_pupils, "begrijpend lezen", "M5", "E5")
    assert len(g) == 5
    assert sorted(g["gain"].tolist()) == [5.0, 6.0, 9.0, 10.0, 20.0]
    assert list(g.columns[:7]) == ["pupil_id", "groep", "class_name", "scale", "pre", "post", "gain"]
    assert g["z_pre"].tolist() == pytest.approx([0.0] * 5, abs=1e-12)
    assert g["z_growth"].tolist() == pytest.approx([1.0] * 5, abs=1e-3)
    assert g["nce_post"].tolist() == pytest.approx([71.06] * 5, abs=0.01)
    assert g["nce_growth"].tolist() == pytest.approx([21.06] * 5, abs=0.01)
    assert all(str(p).startswith("L-") for p in g["pupil_id"])


def test_group_growth_mean_median_sd_ci_by_hand(five_pupils):
    g = growth.pupil_growth(five_pupils, "BL", "M5", "E5")
    s = growth.group_growth(g, by=("groep",))
    r = s.iloc[0]
    sd = math.sqrt((0 + 25 + 100 + 1 + 16) / 4)  # gains 10,5,20,9,6 around mean 10
    assert r["n"] == 5 and r["mean"] == pytest.approx(10.0) and r["median"] == pytest.approx(9.0)
    assert r["sd"] == pytest.approx(sd)
    half = T_975_4 * sd / math.sqrt(5)
    assert r["ci_low"] == pytest.approx(10 - half, abs=1e-5)
    assert r["ci_high"] == pytest.approx(10 + half, abs=1e-5)
    assert not r["suppressed"]


def test_small_groups_are_suppressed(scores_factory):
    rows = []
    for i in range(4):  # only 4 pupils in 5B
        rows += [row(i, "2024-2025", 5, "5B", "M5", 100 + i), row(i, "2024-2025", 5, "5B", "E5", 110 + i)]
    for i in range(10, 16):
        rows += [row(i, "2024-2025", 5, "5A", "M5", 100), row(i, "2024-2025", 5, "5A", "E5", 104)]
    g = growth.pupil_growth(scores_factory(rows), "begrijpend lezen", "M5", "E5")
    s = growth.group_growth(g, by="class_name").set_index("class_name")
    assert s.loc["5B", "suppressed"] and s.loc["5B", "n"] == 4
    assert np.isnan(s.loc["5B", "mean"]) and np.isnan(s.loc["5B", "ci_low"])
    assert not s.loc["5A", "suppressed"] and s.loc["5A", "mean"] == pytest.approx(4.0)
    # lowering the threshold shows the group
    s2 = growth.group_growth(g, by="class_name", min_n=3).set_index("class_name")
    assert s2.loc["5B", "mean"] == pytest.approx(10.0)


def test_cross_scale_pupil_is_left_out_with_dutch_warning(five_pupils, scores_factory):
    extra = scores_factory([row(99, "2024-2025", 5, "5B", "M5", 100, scale="Cito 2.0"), row(99, "2024-2025", 5, "5B", "E5", 190)])
    scores = pd.concat([five_pupils, extra], ignore_index=True)
    scores = scores.astype({c: "category" for c in ("pupil_id", "scale", "class_name")})
    with pytest.warns(ScaleMismatchWarning, match="kun je niet van elkaar aftrekken"):
        g, excluded = growth.pupil_growth(scores, "begrijpend lezen", "M5", "E5", return_excluded=True)
    assert len(g) == 5 and pid(99) not in set(g["pupil_id"].astype(str))
    assert excluded["pupil_id"].astype(str).tolist() == [pid(99)]
    msg = g.attrs["notes"][0]
    assert msg.startswith(
        "Vaardigheidsscores van verschillende toetsversies (Cito 2.0 en Cito 3.0) kun je niet van elkaar aftrekken:"
    )
    assert "bij 1 leerling is de voormeting (M5) op de schaal Cito 2.0 en de nameting (E5) op de schaal Cito 3.0" in msg


def test_all_pairs_cross_scale_raises(scores_factory):
    rows = []
    for i in range(3):
        rows += [
            row(i, "2022-2023", 8, "8A", "M8", 110, scale="Cito 2.0", subject="rekenen-wiskunde"),
            row(i, "2022-2023", 8, "8A", "E8", 274, scale="Cito 3.0", subject="rekenen-wiskunde"),
        ]
    with pytest.raises(ScaleMismatchError) as err:
        growth.pupil_growth(scores_factory(rows), "rekenen-wiskunde", "M8", "E8")
    text = str(err.value)
    assert text.startswith(
        "Vaardigheidsscores van verschillende toetsversies (Cito 2.0 en Cito 3.0) kun je niet van elkaar aftrekken"
    )
    assert "bij 3 leerlingen" in text and "geen leerwinst te berekenen" in text


def test_periods_with_years_and_across_years(scores_factory):
    rows = []
    for i in range(3):
        rows += [
            row(i, "2023-2024", 5, "5A", "M5", 100),
            row(i, "2023-2024", 5, "5A", "E5", 105),
            row(i, "2024-2025", 6, "6A", "M6", 112 + i),
            row(i, "2024-2025", 6, "6A", "E6", 118),
        ]
    s = scores_factory(rows)
    me = growth.pupil_growth(s, "begrijpend lezen", "M", "E", from_year="2024-2025")
    assert me["gain"].tolist() == [6.0, 5.0, 4.0]
    assert set(me["school_year"].astype(str)) == {"2024-2025"}
    em = growth.pupil_growth(s, "begrijpend lezen", "E5", "M6")  # across the summer
    assert em["gain"].tolist() == [7.0, 8.0, 9.0]
    assert set(em["groep"].astype(int)) == {5} and set(em["groep_post"].astype(int)) == {6}
    mm = growth.pupil_growth(s, "begrijpend lezen", "M", "M", from_year=2023, to_year=2024)
    assert mm["gain"].tolist() == [12.0, 13.0, 14.0]
    # without years: each M is paired with the nearest later E (two pairs per pupil)
    allme = growth.pupil_growth(s, "begrijpend lezen", "M", "E")
    assert len(allme) == 6 and sorted(set(allme["gain"])) == [4.0, 5.0, 6.0]


def test_bad_moment_gives_dutch_error(five_pupils):
    with pytest.raises(ValueError, match="is geen toetsmoment"):
        growth.pupil_growth(five_pupils, "begrijpend lezen", "X5", "E5")


def test_norm_growth_expected_post_same_z(scores_factory):
    rows = [
        row(1, "2024-2025", 6, "6A", "M6", 110),
        row(1, "2024-2025", 6, "6A", "E6", 125),
        row(2, "2024-2025", 6, "6A", "M6", 90),
        row(2, "2024-2025", 6, "6A", "E6", 95),
    ]
    g = growth.pupil_growth(scores_factory(rows), "begrijpend lezen", "M6", "E6")
    norm = pd.DataFrame(
        {
            "subject": ["begrijpend lezen"] * 2,
            "scale": ["Cito 3.0"] * 2,
            "moment": ["M6", "E6"],
            "mean": [100.0, 110.0],
            "sd": [10.0, 20.0],
        }
    )
    ng = growth.norm_growth(g, norm).set_index(g["pupil_id"].astype(str))
    # pupil 1: z = +1 at M6 -> expected E6 = 110 + 1*20 = 130; got 125
    assert ng.loc[pid(1), "expected_post"] == pytest.approx(130.0)
    assert ng.loc[pid(1), "expected_gain"] == pytest.approx(20.0)
    assert ng.loc[pid(1), "growth_vs_expected"] == pytest.approx(-5.0)
    assert not ng.loc[pid(1), "at_least_expected"]
    # pupil 2: z = -1 -> expected 90; got 95
    assert ng.loc[pid(2), "expected_post"] == pytest.approx(90.0)
    assert ng.loc[pid(2), "at_least_expected"]
    summary = growth.group_growth(ng, by=None, min_n=1)
    assert summary.loc[0, "share_at_least_expected"] == pytest.approx(0.5)
    assert summary.loc[0, "mean_expected_gain"] == pytest.approx((20.0 + 0.0) / 2)


def test_norm_growth_notes_missing_norm(five_pupils):
    g = growth.pupil_growth(five_pupils, "begrijpend lezen", "M5", "E5")
    norm = pd.DataFrame({"subject": ["begrijpend lezen"], "scale": ["Cito 3.0"], "moment": ["M5"], "mean": [100.0], "sd": [10.0]})
    ng = growth.norm_growth(g, norm)
    assert ng["expected_post"].isna().all()
    assert any("De normtabel heeft geen gemiddelde en sd voor Cito 3.0 M5→E5" in m for m in ng.attrs["notes"])


def test_cohort_expected_growth_from_earlier_years(scores_factory):
    rows = []
    k = 0
    for y, gain in ((2021, 4.0), (2022, 6.0), (2023, 8.0), (2024, 20.0)):
        for j in range(3):
            k += 1
            rows += [row(k, f"{y}-{y + 1}", 6, "6A", "M6", 100 + j), row(k, f"{y}-{y + 1}", 6, "6A", "E6", 100 + j + gain)]
    s = scores_factory(rows)
    exp = growth.cohort_expected_growth(s, "begrijpend lezen", "M6", "E6", school_year="2024-2025")
    assert len(exp) == 1
    assert exp.loc[0, "expected_gain"] == pytest.approx(6.0)  # (4+6+8)/3, 2024 itself excluded
    assert exp.loc[0, "n"] == 9 and exp.loc[0, "n_cohorts"] == 3
    cur = growth.pupil_growth(s, "begrijpend lezen", "M6", "E6", from_year="2024-2025")
    cmp = growth.compare_to_expected(cur, exp)
    # nine earlier pupils are too few to fit their own slope: the expectation leans towards the earlier
    # cohorts' mean pretest with the default test-retest slope 0.85 (pre 100, 101, 102 vs mean 101)
    assert cmp["growth_vs_expected"].tolist() == pytest.approx([14.0 - 0.15, 14.0, 14.0 + 0.15])
    assert cmp["at_least_expected"].all()
    few = growth.cohort_expected_growth(s, "begrijpend lezen", "M6", "E6", school_year="2023-2024", n_years=1)
    assert few.loc[0, "expected_gain"] == pytest.approx(6.0)
    assert "Minder dan drie eerdere cohorten" in few.attrs["notes"][0]


def test_percentile_growth_zero_means_like_norm(scores_factory):
    rows = []
    pcts = [(50, 50), (84.13, 84.13), (15.87, 50), (50, 15.87), (30, 30)]
    for i, (a, b) in enumerate(pcts):
        rows += [row(i, "2024-2025", 7, "7A", "M7", 200, a), row(i, "2024-2025", 7, "7A", "E7", 205, b)]
    g = growth.pupil_growth(scores_factory(rows), "begrijpend lezen", "M7", "E7")
    res = growth.percentile_growth(g, by="groep")
    r = res.iloc[0]
    assert r["n"] == 5
    assert r["mean"] == pytest.approx(0.0, abs=1e-3)  # +1 and -1 cancel, rest 0
    assert r["mean_nce_growth"] == pytest.approx(0.0, abs=0.05)
    assert r["share_grew_like_norm"] == pytest.approx(0.8)  # only the pupil who went 50 -> 15.87 fell behind


def test_read_norm_table_decimal_comma_and_example(tmp_path):
    p = tmp_path / "norm.csv"
    p.write_text(
        "Vak;Schaal;Moment;Gemiddelde;SD\nBegrijpend lezen;Cito 3.0;m6;174;14,2\nBL;Cito 3.0;E6;181,5;14,5\n", encoding="cp1252"
    )
    t = read_norm_table(p)
    assert list(t.columns) == ["subject", "scale", "moment", "mean", "sd"]
    assert t["subject"].tolist() == ["begrijpend lezen", "begrijpend lezen"]
    assert t["moment"].tolist() == ["M6", "E6"]
    assert t["mean"].tolist() == [174.0, 181.5] and t["sd"].tolist() == [14.2, 14.5]
    ex = read_norm_table(EXAMPLE_PATH)
    hit = ex[(ex["subject"] == "rekenen-wiskunde") & (ex["scale"] == "Cito 3.0") & (ex["moment"] == "M6")]
    assert hit["mean"].iloc[0] == pytest.approx(227.0)  # DESIGN §2: rekenen-wiskunde M6 about 227


def test_read_norm_table_lists_problems_in_dutch(tmp_path):
    p = tmp_path / "norm.csv"
    p.write_text("vak;schaal;moment;gemiddelde;sd\nspelling;Cito 3.0;X6;abc;0\nspelling;Cito 3.0;M6;100;-1\n", encoding="utf-8")
    with pytest.raises(NormTableError) as err:
        read_norm_table(p)
    text = str(err.value)
    assert "regel 2: moment 'X6' is geen toetsmoment" in text
    assert "regel 2: gemiddelde is geen getal" in text
    assert "regel 3: sd moet groter dan 0 zijn" in text
    p2 = tmp_path / "norm2.csv"
    p2.write_text("vak;moment;gemiddelde\nspelling;M6;100\n", encoding="utf-8")
    with pytest.raises(NormTableError, match="kolommen ontbreken: schaal, sd"):
        read_norm_table(p2)


def test_scale_change_year_is_not_bridged_and_same_scale_preferred(scores_factory):
    rows = []
    for i in range(3):
        rows += [
            row(i, "2022-2023", 5, "5A", "M5", 200, subject="rekenen-wiskunde"),
            row(i, "2023-2024", 6, "6A", "M6", 70, scale="IEP", subject="rekenen-wiskunde"),
            row(i, "2024-2025", 7, "7A", "M7", 260, subject="rekenen-wiskunde"),
        ]
    # pupil 9 sat M5 on both Cito 2.0 and Cito 3.0; E5 on Cito 3.0: the 3.0 pair is used, no warning
    rows += [
        row(9, "2024-2025", 5, "5B", "M5", 150, scale="Cito 2.0"),
        row(9, "2024-2025", 5, "5B", "M5", 200),
        row(9, "2024-2025", 5, "5B", "E5", 210),
    ]
    s = scores_factory(rows)
    with pytest.raises(ScaleMismatchError, match="Cito 3.0 en IEP"):
        # M -> M: the nearest later M is always on another scale (IEP in 2023-2024)
        growth.pupil_growth(s, "rekenen-wiskunde", "M", "M")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = growth.pupil_growth(s, "begrijpend lezen", "M5", "E5")
    assert g["gain"].tolist() == [10.0] and g["scale"].astype(str).tolist() == ["Cito 3.0"]
