"""The Inspectie's referentieniveau indicator (issue 20): published example, weighting, exemptions, bands."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plgdata.analysis.indicator import (
    IndicatorError,
    fmt_pct1,
    indicator_forecast,
    indicator_margin,
    inspection_indicator,
    signaleringswaarde_for,
)

SUBJECTS = ("lezen", "taalverzorging", "rekenen")


def cohort(year: str, n: int, n_1f: int, n_2f: int, prefix: str = "p", exempt: int = 0) -> list[dict]:
    """n pupils x 3 subjects with exactly n_1f pupil-subjects at 1F or higher and n_2f at 1S/2F (n_2f <= n_1f)."""
    cells = ["2F"] * n_2f + ["1F"] * (n_1f - n_2f) + ["<1F"] * (3 * n - n_1f)
    rows = []
    for i in range(3 * n):
        pupil, subj = divmod(i, 3)
        level = cells[i]
        if SUBJECTS[subj] == "rekenen" and level == "2F":
            level = "1S"
        rows.append({"pupil_id": f"{prefix}{year}-{pupil}", "school_year": year, "subject": SUBJECTS[subj], "level": level})
    for j in range(exempt):  # exempt pupils: all at <1F, must not count
        for s in SUBJECTS:
            rows.append({"pupil_id": f"x{year}-{j}", "school_year": year, "subject": s, "level": "<1F", "exempt": True})
    return rows


def school_00ap(exempt: int = 0) -> pd.DataFrame:
    # published: 1F 94.44 / 92.31 / 91.67, 1S/2F 55.56 / 51.28 / 47.22, n 18 / 13 / 12
    # 94.44% of 54 = 51, 55.56% of 54 = 30; 92.31% of 39 = 36, 51.28% of 39 = 20; 91.67% of 36 = 33, 47.22% of 36 = 17
    rows = cohort("2022-2023", 18, 51, 30, exempt=exempt) + cohort("2023-2024", 13, 36, 20) + cohort("2024-2025", 12, 33, 17)
    df = pd.DataFrame(rows)
    df["exempt"] = df.get("exempt", pd.Series(False, index=df.index)).fillna(False).astype(bool)
    return df


def test_published_example_00ap():
    r = inspection_indicator(school_00ap(), schoolweging=31.47)
    assert r.years["n"].tolist() == [18, 13, 12]
    assert [round(v, 2) for v in r.years["pct_1f"]] == [94.44, 92.31, 91.67]
    assert [round(v, 2) for v in r.years["pct_2f1s"]] == [55.56, 51.28, 47.22]
    assert r.n == 43
    assert round(r.pct_1f, 2) == 93.02
    assert round(r.pct_2f1s, 2) == 51.94
    assert (r.sw_1f, r.sw_2f1s) == (85.0, 43.5)
    assert (r.oordeel_1f, r.oordeel_2f1s) == ("boven", "boven")
    d = r.to_dict()
    assert d["driejaars"] == {"schooljaren": ["2022-2023", "2023-2024", "2024-2025"], "n": 43, "pct_1f": 93.02, "pct_2f1s": 51.94}
    assert d["signaleringswaarde_2f1s"] == 43.5 and d["oordeel_2f1s"] == "boven"
    assert "51,9% 1S/2F (boven de signaleringswaarde van 43,5%)" in r.sentence()


def test_small_school_is_weighted_by_pupils_not_years():
    # cohorts 30/8/8 at 50/25/25% -> 41.3 weighted ("boven" 38.7), 33.3 unweighted ("onder")
    rows = cohort("2022-2023", 30, 90, 45) + cohort("2023-2024", 8, 24, 6) + cohort("2024-2025", 8, 24, 6)
    r = inspection_indicator(pd.DataFrame(rows), schoolweging=33.2)
    assert round(r.pct_2f1s, 1) == 41.3
    assert r.sw_2f1s == 38.7
    assert r.oordeel_2f1s == "boven"
    assert fmt_pct1(r.pct_2f1s) == "41,3%"


def test_exempt_pupils_are_left_out_and_counted():
    r = inspection_indicator(school_00ap(exempt=2), schoolweging=31.47)
    assert round(r.pct_2f1s, 2) == 51.94 and r.n == 43
    assert r.years["n_exempt"].tolist() == [2, 0, 0]
    assert any("2 leerling(en) met ontheffing" in n for n in r.notes)


def test_one_decimal_near_the_boundary():
    assert fmt_pct1(43.5) == "43,5%"
    assert fmt_pct1(43.46) == "43,5%"


@pytest.mark.parametrize("weging,value", [(27.0, 50.1), (27.99, 50.1), (30.5, 45.5), (31.47, 43.5), (33.9, 38.7)])
def test_verified_bands(weging, value):
    assert signaleringswaarde_for(weging) == value


def test_schoolweging_is_the_mean_of_three_years():
    assert signaleringswaarde_for([30.6, 31.2, 32.6]) == 43.5  # mean 31.47


def test_unknown_band_refuses_in_dutch():
    with pytest.raises(IndicatorError) as e:
        signaleringswaarde_for(28.4)
    assert "--signaleringswaarde" in e.value.message and "Inspectie" in e.value.message


def test_own_signaleringswaarde_wins_and_share_is_read_as_percent():
    rows = cohort("2024-2025", 10, 30, 12)
    assert inspection_indicator(pd.DataFrame(rows), signaleringswaarde_2f1s=0.47).sw_2f1s == 47.0
    r = inspection_indicator(pd.DataFrame(rows), signaleringswaarde_2f1s=47, schoolweging=28.4)
    assert r.oordeel_2f1s == "onder"


def test_margin_00ap():
    r = inspection_indicator(school_00ap(), schoolweging=31.47)
    m = indicator_margin(r)
    # weighted 2233.36/43; dropping k of the last year's 17 of 36: (1000 + 666.67 + 12*100*(17-k)/36)/43 < 43.5
    expected = next(k for k in range(1, 18) if (1000 + 20 / 39 * 100 * 13 + 12 * 100 * (17 - k) / 36) / 43 < 43.5)
    assert m["oordeel"] == "boven" and m["vakresultaten"] == expected
    assert m["leerlingen"] == -(-expected // 3)
    assert "minder" in m["zin"]


def test_margin_when_below():
    rows = cohort("2024-2025", 10, 30, 12)  # 40% 1S/2F
    r = inspection_indicator(pd.DataFrame(rows), signaleringswaarde_2f1s=43.5)
    m = indicator_margin(r)
    assert r.oordeel_2f1s == "onder" and m["vakresultaten"] == 2  # 14/30 = 46.7% >= 43.5, 13/30 = 43.3% not
    assert "méér" in m["zin"]


def test_forecast_replaces_the_oldest_year_with_groep_7():
    r = inspection_indicator(school_00ap(), schoolweging=31.47)
    g7 = pd.DataFrame(cohort("2024-2025", 20, 60, 30, prefix="g7"))
    f = indicator_forecast(r, g7)
    expected = (20 + 17 + 30) / (39 + 36 + 60) * 100  # 2023-24, 2024-25 and 20 new pupils at 50%
    assert f.window == ["2023-2024", "2024-2025", "2025-2026"]
    assert f.pct_2f1s == pytest.approx(expected)
    assert f.low < f.pct_2f1s < f.high
    assert "95%-interval" in f.sentence


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=5))
def test_three_year_value_is_pupil_weighted(cohorts):
    rows, expected_w = [], []
    for i, (n, a, b) in enumerate(cohorts):
        n1 = round(a * 3 * n)
        n2 = round(b * n1)
        rows += cohort(f"{2020 + i}-{2021 + i}", n, n1, n2)
        expected_w.append((n, 100 * n2 / (3 * n)))
    last = expected_w[-3:]
    r = inspection_indicator(pd.DataFrame(rows), signaleringswaarde_2f1s=50)
    assert r.n == sum(n for n, _ in last)
    assert r.pct_2f1s == pytest.approx(sum(n * p for n, p in last) / sum(n for n, _ in last))
    assert min(p for _, p in last) - 1e-9 <= r.pct_2f1s <= max(p for _, p in last) + 1e-9


def test_exemption_words_in_a_table_given_by_hand():
    rows = pd.DataFrame(cohort("2024-2025", 4, 12, 6))
    rows["exempt"] = ["nee"] * 9 + ["ja"] * 3  # the fourth pupil is exempt; 'nee' is not
    r = inspection_indicator(rows, signaleringswaarde_2f1s=43.5)
    assert r.years["n"].tolist() == [3] and r.years["n_exempt"].tolist() == [1]
