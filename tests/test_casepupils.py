"""The case-pupil picker: three pupils at niveau I–II, III and IV–V on the latest test of a class."""

from __future__ import annotations

import pandas as pd
import pytest

from plgdata.analysis.casepupils import CasePupilError, pick_case_pupils, with_names
from plgdata.io.pseudonyms import Pseudonymiser


def pid(i: int) -> str:
    return f"L-{i:010x}"


def _class(scores_factory, levels: dict[int, tuple[str, float]], *, klas="5A", moment="E5", date="10-06-2026", year="2025-2026"):
    return [
        {
            "pupil_id": pid(i),
            "school_year": year,
            "groep": int(klas[0]),
            "class_name": klas,
            "subject": "rekenen-wiskunde",
            "scale": "Cito 3.0",
            "moment": moment,
            "date": date,
            "score": score,
            "level": level,
            "source_file": "t.csv",
        }
        for i, (level, score) in levels.items()
    ]


@pytest.fixture
def scores(scores_factory):
    latest = {
        1: ("I+", 240.0),
        2: ("I", 236.0),
        3: ("II", 224.0),
        4: ("III", 210.0),
        5: ("III", 206.0),
        6: ("III", 214.0),
        7: ("IV", 196.0),
        8: ("V-", 170.0),
        9: ("V", 188.0),
    }
    earlier = {i: ("V", 150.0) for i in range(1, 10)}  # M5 of the same year: all at V, must be ignored
    other_level_test = {10: ("IV", 160.0)}  # a pupil of 5A who sat E4 (another norm group): left out
    other_class = {20 + i: ("III", 200.0 + i) for i in range(5)}
    rows = (
        _class(scores_factory, latest)
        + _class(scores_factory, earlier, moment="M5", date="20-01-2026")
        + _class(scores_factory, other_level_test, moment="E4", date="11-06-2026")
        + _class(scores_factory, other_class, klas="5B")
    )
    return scores_factory(rows)


def test_picks_one_typical_pupil_per_level_band_on_the_latest_test(scores):
    cases = pick_case_pupils(scores, "5A", "Rekenen-Wiskunde")
    assert cases["code"].tolist() == ["A", "B", "C"]
    assert cases["niveau"].tolist() == ["I–II", "III", "IV–V"]
    # I–II: scores 240, 236, 224 -> median 236 (pupil 2); III: 210 is the median; IV–V: 170, 188, 196 -> median 188 (pupil 9)
    assert cases["pupil_id"].tolist() == [pid(2), pid(4), pid(9)]
    assert cases["level"].tolist() == ["I", "III", "V"]
    assert set(cases["moment"]) == {"E5"} and set(cases["school_year"]) == {"2025-2026"}
    assert cases["reden"].iloc[2] == "niveau V op rekenen-wiskunde E5 2025-2026 (typisch voor niveau IV–V in klas 5A)"


def test_refuses_in_dutch_naming_the_level_when_a_class_has_none(scores_factory):
    rows = _class(scores_factory, {1: ("I", 240.0), 2: ("III", 210.0), 3: ("II", 220.0), 4: ("III", 205.0)})
    with pytest.raises(CasePupilError) as err:
        pick_case_pupils(scores_factory(rows), "5A", "rekenen-wiskunde")
    assert str(err.value) == (
        "Klas 5A heeft op de laatste toets rekenen-wiskunde (E5 2025-2026) geen leerling op niveau IV–V; "
        "kies een andere klas, een eerdere toets of een ander niveau voor deze casusleerling."
    )
    assert "L-" not in str(err.value)


def test_refuses_when_the_class_has_no_results_in_the_subject(scores):
    with pytest.raises(
        CasePupilError,
        match="^Klas 7B heeft geen toetsresultaten met een niveau voor rekenen-wiskunde; kies een andere klas of een ander vak.$",
    ):
        pick_case_pupils(scores, "7B", "rekenen-wiskunde")


def test_names_come_only_from_the_local_key_file(tmp_path, scores_factory):
    key = tmp_path / "sleutel.key"
    p = Pseudonymiser(key)
    a = p.from_number("104512")
    p.remember_names(pd.Series([a]), pd.Series(["Zoë de Vries"]))
    p.save()
    rows = _class(scores_factory, {0: ("I", 240.0), 1: ("III", 210.0), 2: ("V", 180.0)})
    rows[0]["pupil_id"] = a
    cases = pick_case_pupils(scores_factory(rows), "5A", "rekenen-wiskunde")
    named = with_names(cases, key)
    assert named["naam"].tolist() == ["Zoë de Vries", "(onbekend)", "(onbekend)"]
    assert "pupil_id" not in named.columns
