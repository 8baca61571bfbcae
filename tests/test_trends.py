"""Trends: cross-section, cohort and the three-year average."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from plgdata.analysis import trends


def pid(i: int) -> str:
    return f"L-{i:010x}"


def trow(i, year, groep, period, score, level, scale="Cito 3.0", subject="spelling"):
    return dict(
        pupil_id=pid(i),
        school="OBS Test",
        school_year=year,
        groep=groep,
        class_name=f"{groep}A",
        subject=subject,
        scale=scale,
        moment=f"{period}{groep}",
        score=score,
        level=level,
    )


def test_three_year_average_needs_consecutive_years():
    t = pd.DataFrame(
        {
            "school_year": ["2020-2021", "2021-2022", "2022-2023", "2024-2025", "2025-2026", "2026-2027"],
            "v": [1.0, 2.0, 6.0, 10.0, 20.0, 30.0],
        }
    )
    out = trends.three_year_average(t, "v")
    assert np.isnan(out.iloc[:2]).all()
    assert out.iloc[2] == pytest.approx(3.0)
    assert np.isnan(out.iloc[3]) and np.isnan(out.iloc[4])  # 2023-2024 missing: not bridged
    assert out.iloc[5] == pytest.approx(20.0)


def test_cross_section_means_shares_and_scale_break(scores_factory):
    rows = []
    k = 0
    lv = ["I", "II", "III", "IV", "V"]
    for y in range(2021, 2025):
        scale = "Cito 2.0" if y == 2021 else "Cito 3.0"
        for i in range(5):
            k += 1
            rows.append(trow(k, f"{y}-{y + 1}", 6, "E", 100.0 + 10 * (y - 2021) + i, lv[i], scale=scale))
        rows.append(trow(k + 1000, f"{y}-{y + 1}", 5, "E", 50.0, "I", scale=scale))  # other groep
    t = trends.trend_cross_section(scores_factory(rows), "spelling", groep=6, period="E")
    assert t["school_year"].astype(str).tolist() == ["2021-2022", "2022-2023", "2023-2024", "2024-2025"]
    assert t["n"].tolist() == [5, 5, 5, 5]
    assert t["mean"].tolist() == pytest.approx([102.0, 112.0, 122.0, 132.0])
    assert t["share_at_or_above"].tolist() == pytest.approx([0.6] * 4)
    assert t["scale"].astype(str).tolist() == ["Cito 2.0", "Cito 3.0", "Cito 3.0", "Cito 3.0"]
    assert t["scale_break"].all()
    # the rolling average never mixes scales: only 2024-2025 has three Cito 3.0 years
    assert np.isnan(t["mean_3jr"].iloc[:3]).all() and t["mean_3jr"].iloc[3] == pytest.approx(122.0)
    assert any("De toetsversie wisselt (Cito 2.0, Cito 3.0)" in m for m in t.attrs["notes"])
    assert not any("Minder dan drie cohorten" in m for m in t.attrs["notes"])


def test_cross_section_fewer_than_three_cohorts_note(scores_factory):
    rows = [trow(i, "2024-2025", 4, "M", 150.0, "II") for i in range(6)]
    t = trends.trend_cross_section(scores_factory(rows), "spelling", 4, "M", min_n=7)
    assert t["suppressed"].iloc[0] and np.isnan(t["mean"].iloc[0]) and t["n"].iloc[0] == 6
    assert any(m.startswith("Minder dan drie cohorten: één of twee jaar is nog geen trend") for m in t.attrs["notes"])


def test_cohort_follows_the_same_pupils(scores_factory):
    rows = []
    for i in range(6):  # cohort: groep 4 in 2022-2023
        rows += [trow(i, "2022-2023", 4, "M", 150.0 + i, "III"), trow(i, "2022-2023", 4, "E", 160.0 + i, "II")]
        if i < 5:  # one pupil leaves
            rows += [trow(i, "2023-2024", 5, "M", 170.0 + i, "II")]
    rows += [trow(50, "2023-2024", 5, "M", 100.0, "V")]  # zij-instromer: not in the cohort
    rows += [trow(51, "2022-2023", 5, "M", 100.0, "V")]  # other groep
    c = trends.trend_cohort(scores_factory(rows), "spelling", "2022-2023", 4)
    assert c["moment"].tolist() == ["M4", "E4", "M5"]
    assert c["n"].tolist() == [6, 6, 5]
    assert c["mean"].tolist() == pytest.approx([152.5, 162.5, 172.0])
    assert c.attrs["n_cohort"] == 6
    assert any(
        "Het cohort telde 6 leerlingen in groep 4 (2022-2023); op het laatste meetpunt hebben er 5" in m for m in c.attrs["notes"]
    )
