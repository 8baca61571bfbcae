"""Levels, goals and referentieniveaus against hand counts."""

from __future__ import annotations

import numpy as np
import pytest

from plgdata.analysis import levels


def pid(i: int) -> str:
    return f"L-{i:010x}"


def lrow(i, level, year="2024-2025", groep=6, moment="E6", subject="spelling", date=None, klas=None):
    return dict(
        pupil_id=pid(i),
        school="OBS Test",
        school_year=year,
        groep=groep,
        class_name=klas or f"{groep}A",
        subject=subject,
        scale="Cito 3.0",
        moment=moment,
        score=100.0,
        level=level,
        date=date,
    )


@pytest.fixture
def ten_levels(scores_factory):
    lv = ["I+", "I", "II", "III", "III", "IV", "V-", "V", "A", "C"]
    return scores_factory([lrow(i, l) for i, l in enumerate(lv)])


def test_level_distribution_folds_plus_minus_and_keeps_systems_apart(ten_levels):
    d = levels.level_distribution(ten_levels, by=("school_year", "groep"))
    iv = d[d["level_system"] == "I-V"]
    assert iv["level"].tolist() == ["I", "II", "III", "IV", "V"]
    assert iv["n"].tolist() == [2, 1, 2, 1, 2]
    assert iv["share"].tolist() == pytest.approx([0.25, 0.125, 0.25, 0.125, 0.25])
    assert iv["share"].sum() == pytest.approx(1.0)
    ae = d[d["level_system"] == "A-E"]
    assert ae["level"].tolist() == ["A", "B", "C", "D", "E"]
    assert ae["n"].tolist() == [1, 0, 1, 0, 0] and ae["n_total"].iloc[0] == 2
    only = levels.level_distribution(ten_levels, system="I-V", min_n=10)
    assert only["suppressed"].all() and only["share"].isna().all()


def test_share_at_or_above_and_below(ten_levels):
    s = levels.share_at_or_above(ten_levels, "III", subject="spelling")
    assert s.loc[0, "n"] == 8 and s.loc[0, "n_at_or_above"] == 5 and s.loc[0, "share"] == pytest.approx(5 / 8)
    b = levels.share_at_or_below(ten_levels, "IV", subject="spelling")
    assert b.loc[0, "n_at_or_below"] == 3 and b.loc[0, "share"] == pytest.approx(3 / 8)
    with pytest.raises(ValueError, match="Niveau 'VI' is onbekend"):
        levels.share_at_or_above(ten_levels, "VI")


def test_goal_progress_sentence_and_gap(scores_factory):
    rows = [lrow(i, lv, year="2024-2025") for i, lv in enumerate(["I", "II", "III", "IV", "V"] * 2)]
    rows += [lrow(100 + i, lv, year="2025-2026") for i, lv in enumerate(["I", "II", "III", "III", "IV", "II", "I", "V"])]
    s = scores_factory(rows)
    goal = levels.goal_progress(s, "spelling", "E6", "III", 0.75, "E 2026")
    assert goal.current_year == "2025-2026" and goal.n == 8
    assert goal.current_share == pytest.approx(6 / 8)
    assert goal.gap == pytest.approx(0.0) and goal.met
    assert goal.history["share"].tolist() == pytest.approx([0.6, 0.75])
    assert "Doel: minstens 75% van de leerlingen op niveau III of hoger bij E6 (spelling), uiterlijk E 2026." in goal.sentence
    assert "Het doel is gehaald." in goal.sentence
    earlier = levels.goal_progress(s, "spelling", "E6", "III", 80, "E 2026", school_year="2024-2025")
    assert earlier.current_share == pytest.approx(0.6) and earlier.gap == pytest.approx(0.2) and not earlier.met
    assert "Er ontbreekt nog 20 procentpunt." in earlier.sentence
    at_most = levels.goal_progress(s, "spelling", "E6", "IV", 0.25, 2026, scope="at_or_below", direction="at_most")
    # IV or V in 2025-2026: 2 of 8 = 25% -> met
    assert at_most.current_share == pytest.approx(0.25) and at_most.met
    assert "hoogstens 25%" in at_most.sentence


def test_goal_progress_small_group_not_shown(scores_factory):
    s = scores_factory([lrow(i, "I") for i in range(3)])
    goal = levels.goal_progress(s, "spelling", "E6", "III", 0.75, "E 2026")
    assert np.isnan(goal.current_share) and not goal.met
    assert "te weinig om een percentage te tonen" in goal.sentence


def test_referentieniveaus_shares_and_three_year_average(scores_factory):
    rows = []
    k = 0
    per_year = {
        "2022-2023": ["2F", "1F", "1F", "op weg naar 1F"],  # 1F+: 3/4, 2F: 1/4
        "2023-2024": ["2F", "2F", "1F", "1F"],  # 1F+: 1, 2F: 1/2
        "2024-2025": ["1S", "1F", "op weg naar 1F", "op weg naar 1F"],  # 1F+: 1/2, 2F/1S: 1/4
    }
    for year, lvls in per_year.items():
        y1 = int(year[5:])
        for lv in lvls:
            k += 1
            rows.append(lrow(k, lv, year=year, groep=8, moment="E8", subject="rekenen-wiskunde", date=f"01-06-{y1}"))
    # an earlier M8 result of one pupil is superseded by the later E8 result
    rows.append(lrow(k, "2F", year="2024-2025", groep=8, moment="M8", subject="rekenen-wiskunde", date="15-01-2025"))
    # groep 7 does not count
    rows.append(lrow(999, "2F", year="2024-2025", groep=7, moment="E7", subject="rekenen-wiskunde", date="01-06-2025"))
    res = levels.referentieniveaus(scores_factory(rows), signaleringswaarde_2f=47)
    py = res.per_year
    assert py["n"].tolist() == [4, 4, 4]
    assert py["share_1f"].tolist() == pytest.approx([0.75, 1.0, 0.5])
    assert py["share_2f"].tolist() == pytest.approx([0.25, 0.5, 0.25])
    av = res.average.iloc[0]  # detail per subject: weighted by pupils (4 each year here)
    assert av["avg_1f"] == pytest.approx(0.75) and av["avg_2f"] == pytest.approx(1 / 3)
    assert av["sw_1f"] == pytest.approx(0.85) and av["sw_2f"] == pytest.approx(0.47)
    ind = res.indicator  # the judgement: the Inspectie's one indicator, labelled as an LVS indication
    assert ind.source_label == "indicatie uit het LVS"
    assert (round(ind.pct_1f, 2), round(ind.pct_2f1s, 2), ind.n) == (75.0, 33.33, 12)
    assert (ind.oordeel_1f, ind.oordeel_2f1s) == ("onder", "onder")
    assert "75,0% 1F (onder de signaleringswaarde van 85,0%)" in res.sentence


def test_referentieniveaus_is_one_pupil_weighted_indicator_over_the_subjects(scores_factory):
    """Issue 20: the old code judged each subject separately and averaged years unweighted (33.3%, 'onder')."""
    rows, k = [], 0
    for year, n, n_2f in (("2022-2023", 30, 15), ("2023-2024", 8, 2), ("2024-2025", 8, 2)):
        y1 = int(year[5:])
        for i in range(n):
            k += 1
            for subj in ("begrijpend lezen", "spelling", "rekenen-wiskunde"):
                lv = ("1S" if subj == "rekenen-wiskunde" else "2F") if i < n_2f else "1F"
                rows.append(lrow(k, lv, year=year, groep=8, moment="E8", subject=subj, date=f"01-06-{y1}"))
    res = levels.referentieniveaus(scores_factory(rows), signaleringswaarde_2f=0.387)
    assert round(res.indicator.pct_2f1s, 1) == 41.3  # (15 + 2 + 2) / 46 pupils, not (50 + 25 + 25) / 3
    assert res.indicator.oordeel_2f1s == "boven"
    assert "41,3% 1S/2F (boven de signaleringswaarde van 38,7%)" in res.sentence


def test_referentieniveaus_refuses_a_value_per_subject(scores_factory):
    rows = [lrow(1, "2F", year="2024-2025", groep=8, moment="E8", subject="rekenen-wiskunde", date="01-06-2025")]
    res = levels.referentieniveaus(scores_factory(rows), {"rekenen-wiskunde": 0.42, "begrijpend lezen": 0.55})
    assert res.indicator.sw_2f1s is None
    assert "één signaleringswaarde 1S/2F per school" in res.sentence
