"""Round trip of the cycle record: save -> load gives the same record, text kept exactly."""

from __future__ import annotations

import datetime as dt
import textwrap

import numpy as np
import pandas as pd
import pytest
import yaml
from test_cycle_builders import NASTY, full_actieonderzoek_cycle, full_datateam_cycle

import plgdata.cycle as cyc
from plgdata.cycle import CycleError, load_cycle, save_cycle, to_plain, validate_cycle


def test_datateam_round_trip_equal_and_text_exact(tmp_path):
    c = full_datateam_cycle()
    path = save_cycle(c, tmp_path / "cyclus.yaml")
    back = load_cycle(path)
    assert back == c
    assert back.problem.statement == NASTY
    # the loop and the analysis values survive as plain values
    assert [(lp.from_step, lp.to_step) for lp in back.loops] == [(6, 2)]
    assert back.analyses["H1"] == {"verschil_pp": 8.0, "p": None, "datum": "2025-01-20"}
    assert back.hypotheses[0].test_params == {
        "vak": "begrijpend lezen",
        "periode": "M",
        "schooljaar": "2024-2025",
        "groepen": [6],
        "kenmerk": "thuistaal",
        "a": "anders",
        "b": "Nederlands",
        "drempel_pp": 15,
    }
    # a second round trip writes the same bytes
    text1 = path.read_text(encoding="utf-8")
    save_cycle(back, path)
    assert path.read_text(encoding="utf-8") == text1


@pytest.mark.parametrize(
    "text",
    [
        NASTY,
        "eindigt op spatie \nen nog een regel ",
        "\n begint met witregel",
        "windows\r\nregeleinde",
        "met\ttab\nen regel",
        "ja",
        "null",
        "2026-06-30",
        "- lijstje",
        "'aanhalingstekens' en \"dubbele\"",
        "émigré ü ß 😀 — “quotes”",
        "a: b",
        "",
        "tekst met \\ backslash en \x85 next-line",
    ],
)
def test_any_typed_text_round_trips_exactly(tmp_path, text):
    c = cyc.new_cycle("datateam", title=text, leerteam=text, when="2025-09-01T10:00:00")
    cyc.add_hypothesis(c, "H1", "verkennend", text, text, "beschrijving", {"notitie": text}, text, when="2025-09-02T10:00:00")
    back = load_cycle(save_cycle(c, tmp_path / "c.yaml"))
    assert back.title == text
    assert back.hypotheses[0].statement == text
    assert back.hypotheses[0].decision_rule == text
    assert back.hypotheses[0].test_params == {"notitie": text}


def test_file_is_readable_dutch_yaml(tmp_path):
    path = save_cycle(full_datateam_cycle(), tmp_path / "cyclus.yaml")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["methode"] == "datateam"
    assert list(data["stappen"]) == [s.key for s in cyc.DATATEAM.steps]
    assert data["stappen"]["1_probleemdefinitie"]["deadline"] == "2026-06-30"
    assert data["stappen"]["6_interpretatie"]["oordelen"]["H1"]["oordeel"] == "verworpen"
    assert "<script>alert('x')</script>" in text  # kept as typed, multi-line block
    assert "stelling: |" in text


def test_actieonderzoek_round_trips_and_validates(tmp_path):
    c = full_actieonderzoek_cycle()
    assert validate_cycle(c, ["INT-02"]) == []
    back = load_cycle(save_cycle(c, tmp_path / "ao.yaml"))
    assert back == c
    data = yaml.safe_load((tmp_path / "ao.yaml").read_text(encoding="utf-8"))
    assert list(data["stappen"]) == ["1_probleemanalyse", "2_inhoudelijke_verdieping", "3_interventie", "4_evaluatie"]
    assert data["stappen"]["4_evaluatie"]["vergelijkingen"] == [{"n": 24, "aandeel_na": 0.83}]
    assert back.deepening.sources == ["Kennisrotonde: automatiseren", "Boek <Rekenen>"]
    assert cyc.next_step(back) is None


def test_docstring_example_is_a_valid_file(tmp_path):
    doc = cyc.__doc__
    block = doc.split("Example file (datateam; geschiedenis shortened)::\n")[1]
    path = tmp_path / "voorbeeld.yaml"
    path.write_text(textwrap.dedent(block), encoding="utf-8")
    c = load_cycle(path)
    assert c.title == "Begrijpend lezen groep 6"
    assert validate_cycle(c, ["INT-01"]) == []
    assert c.verdicts["H1"].verdict == "verworpen" and c.loops[0].to_step == 2


def test_hand_edited_values_are_normalised(tmp_path):
    path = tmp_path / "hand.yaml"
    path.write_text(
        "methode: datateam\ntitel: Hand\nstappen:\n  1_probleemdefinitie:\n    status: klaar\n"
        "    stelling: Te laag\n    maat: aandeel\n    doelwaarde: 0.3\n    deadline: 2026-06-30\n"
        "  8_evaluatie:\n    doel_gehaald: nee\n",
        encoding="utf-8",
    )
    c = load_cycle(path)
    assert c.problem.deadline == "2026-06-30"  # YAML date -> ISO text
    assert c.evaluation.goal_met is False  # 'nee' -> False
    assert c.steps[2].status == "open"  # missing steps start open


def test_to_plain_converts_analysis_values():
    value = {
        1: np.int64(3),
        "f": np.float32(0.5),
        "nan": float("nan"),
        "na": pd.NA,
        "nat": pd.NaT,
        "ts": pd.Timestamp("2025-06-30 14:05"),
        "d": dt.date(2025, 1, 2),
        "b": np.bool_(True),
        "arr": np.array([1, 2]),
        "s": pd.Series([1.0, np.nan], index=["a", "b"]),
        "df": pd.DataFrame({"x": [1, 2]}),
        "set": {"b", "a"},
    }
    assert to_plain(value) == {
        "1": 3,
        "f": 0.5,
        "nan": None,
        "na": None,
        "nat": None,
        "ts": "2025-06-30T14:05:00",
        "d": "2025-01-02",
        "b": True,
        "arr": [1, 2],
        "s": {"a": 1.0, "b": None},
        "df": [{"x": 1}, {"x": 2}],
        "set": ["a", "b"],
    }
    assert type(to_plain({"n": np.int64(3)})["n"]) is int
    with pytest.raises(CycleError, match="type 'object' kan niet in het cyclusbestand"):
        to_plain(object())


def test_to_iso_date_reads_dutch_dates():
    assert cyc.to_iso_date("30-06-2026") == "2026-06-30"
    assert cyc.to_iso_date(pd.Timestamp("2026-06-30")) == "2026-06-30"
    with pytest.raises(CycleError, match="'31-02-2026' is geen geldige deadline; schrijf de datum als JJJJ-MM-DD"):
        cyc.to_iso_date("31-02-2026", "deadline")
