"""Lesson Study and the leerteam year plan on the cycle engine: round trip, atomic save with a
backup, Dutch validation naming the field, and a Lesson Study completed with both lessons compared."""

from __future__ import annotations

import os

import pytest
import yaml
from identities import SAMPLE

import plgdata.cycle as cy
from plgdata.cycle import CycleError, backup_path, load_cycle, save_cycle, storage, validate_cycle

CASES = [
    {"code": "A", "pupil_id": "L-00000000a1", "niveau": "I–II", "reden": "niveau I op E5"},
    {"code": "B", "pupil_id": "L-00000000b2", "niveau": "III", "reden": "niveau III op E5"},
    {"code": "C", "pupil_id": "L-00000000c3", "niveau": "IV–V", "reden": "niveau V op E5"},
]


def _lesson(c, k: int, phases, predicted, seen) -> None:
    cy.plan_lesson(
        c,
        k,
        phases,
        "juf Anouk",
        {"A": "Bas", "B": "Carla", "C": "Dilan"},
        date=f"2026-03-{10 + k}",
        changes="Samen oefenen toegevoegd." if k == 2 else None,
        when=f"2026-03-0{k}T15:00:00",
    )
    cy.record_predictions(
        c, k, {code: {ph: f"{code} {ph}: {predicted}" for ph in phases} for code in "ABC"}, when=f"2026-03-0{k}T16:00:00"
    )
    cy.record_observations(
        c, k, {code: {ph: (f"{code} {ph} gezien", seen[code]) for ph in phases} for code in "ABC"}, when=f"2026-03-1{k}T11:00:00"
    )
    cy.record_interviews(c, k, {"A": "Makkelijk.", "B": "Handig.", "C": "<b>Moeilijk</b>"}, when=f"2026-03-1{k}T12:00:00")
    cy.record_debrief(c, k, f"Nabespreking les {k}", when=f"2026-03-1{k}T15:00:00")


def full_lesson_study():
    c = cy.new_cycle(
        "lessonstudy", title="Verhaaltjessommen", leerteam="Rekenen", school_year="2025-2026", when="2026-02-23T15:00:00"
    )
    cy.set_research_question(
        c,
        "Helpt het strookmodel?",
        "De leerling tekent zelf een strook.",
        "rekenen-wiskunde",
        klas="5A",
        when="2026-02-23T16:00:00",
    )
    cy.set_case_pupils(c, CASES, "rekenen-wiskunde E5 2025-2026", when="2026-02-24T15:00:00")
    _lesson(c, 1, ["Instructie", "Zelf werken"], "volgt", {"A": "nee", "B": "ja", "C": "deels"})
    _lesson(c, 2, ["Instructie", "Samen oefenen", "Zelf werken"], "doet mee", {"A": "ja", "B": "ja", "C": "ja"})
    cy.record_conclusions(c, "Samen tekenen helpt.", ["Eerst samen een strook.", "Tweetallen."], when="2026-04-20T16:00:00")
    return c


def full_year_plan():
    c = cy.new_cycle(
        "jaarplan", title="Jaarplan Rekenen", leerteam="Rekenen", school_year="2025-2026", when="2025-08-25T09:00:00"
    )
    cy.set_periods(
        c,
        [
            {"periode": "1", "van": "2025-08-25", "tot": "2025-12-19", "focusvak": "rekenen-wiskunde", "doel": "Automatiseren"},
            {"periode": "2", "van": "05-01-2026", "tot": "2026-07-10", "focusvak": "rekenen-wiskunde"},
        ],
        when="2025-08-25T10:00:00",
    )
    cy.add_planned_cycle(c, "lessonstudy", "Verhaaltjessommen", "2", file="ls.yaml", when="2025-08-25T10:30:00")
    cy.set_meetings(c, ["2025-09-16", "2025-09-02"], when="2025-08-25T11:00:00")
    for kind, date in (("startgesprek", "2025-09-10"), ("ontwikkelgesprek", "2026-02-03"), ("evaluatiegesprek", "2026-07-02")):
        cy.record_talk(c, kind, date, f"Uitkomst {kind}", when=f"{date}T16:00:00")
    return c


def test_completed_lesson_study_compares_both_lessons():
    c = full_lesson_study()
    assert [c.steps[i].status for i in range(1, 6)] == ["klaar"] * 5 and cy.next_step(c) is None
    assert validate_cycle(c) == []
    cmp = cy.lesson_comparison(c)
    # 3 case pupils x 3 phases (the revised lesson's order; 'Samen oefenen' only in lesson 2)
    assert len(cmp) == 9 and list(cmp["Fase"][:3]) == ["Instructie", "Samen oefenen", "Zelf werken"]
    row = cmp[(cmp["Casusleerling"] == "A") & (cmp["Fase"] == "Zelf werken")].iloc[0]
    assert row["Voorspelling les 1"] == "A Zelf werken: volgt" and row["Klopt les 1"] == "nee"
    assert row["Observatie les 2"] == "A Zelf werken gezien" and row["Klopt les 2"] == "ja"
    new = cmp[cmp["Fase"] == "Samen oefenen"]
    assert new["Voorspelling les 1"].isna().all() and (new["Klopt les 2"] == "ja").all()
    summary = cy.prediction_summary(c).set_index("Les")
    assert summary.loc["onderzoeksles", ["Waarnemingen", "Klopt: ja", "Klopt: deels", "Klopt: nee"]].tolist() == [6, 2, 2, 2]
    assert summary.loc["herziene les", "Aandeel zoals voorspeld"] == 1.0
    assert c.lesson_study.lessons[2].changes == "Samen oefenen toegevoegd."


def test_lesson_study_and_year_plan_round_trip(tmp_path):
    for c, name in ((full_lesson_study(), "ls.yaml"), (full_year_plan(), "jaarplan.yaml")):
        assert cy.Cycle.from_dict(c.to_dict()) == c
        path = save_cycle(c, tmp_path / name)
        back = load_cycle(path)
        assert back == c and back.unknown_fields == []
        assert cy.cycle_to_yaml(back) == cy.cycle_to_yaml(c)
    text = (tmp_path / "ls.yaml").read_text(encoding="utf-8")
    assert "methode: lessonstudy" in text and "  4_herziene_les:" in text and "wijzigingen: Samen oefenen toegevoegd." in text
    assert "interviews:" in text and "<b>Moeilijk</b>" in text  # typed text kept exactly


def test_atomic_save_keeps_backup_and_survives_a_failing_replace(tmp_path, monkeypatch):
    path = tmp_path / "ls.yaml"
    c = full_lesson_study()
    save_cycle(c, path)
    first = path.read_text(encoding="utf-8")
    cy.record_debrief(c, 1, "Herziene nabespreking", when="2026-03-12T09:00:00")
    save_cycle(c, path)
    assert backup_path(path).read_text(encoding="utf-8") == first
    assert load_cycle(backup_path(path)).lesson_study.lessons[1].debrief == "Nabespreking les 1"
    before = path.read_bytes()
    real_replace = os.replace

    def failing(src, dst):
        if str(dst) == str(path):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", failing)
    c.lesson_study.conclusions = "Nieuw"
    with pytest.raises(CycleError, match="Het vorige cyclusbestand is ongewijzigd"):
        save_cycle(c, path)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_hand_edited_file_gets_dutch_messages_naming_fase_and_field(tmp_path):
    data = full_lesson_study().to_dict()
    les = data["stappen"]["3_onderzoeksles"]
    les["observaties"]["A"]["Instructie"]["klopt"] = "misschien"
    les["voorspellingen"]["D"] = {"Instructie": "?"}
    les["nabespreking"] = None
    data["stappen"]["2_casusleerlingen"]["casusleerlingen"][1]["pseudoniem"] = "Zoë de Vries"
    data["stappen"]["5_conclusies"]["borgen"] = []
    data["stappen"]["4_herziene_les"]["datum"] = "31-02-2026"
    path = tmp_path / "ls.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    messages = [p.message for p in validate_cycle(load_cycle(path))]
    assert (
        "Fase 2 (Casusleerlingen), casusleerling B, veld 'pseudoniem': 'Zoë de Vries' is geen pseudoniem (L- met tien tekens); "
        "zet nooit een naam of leerlingnummer in het verslag."
    ) in messages
    assert (
        "Fase 3 (Onderzoeksles), casusleerling A, veld 'klopt': 'misschien' bij lesfase 'Instructie' is onbekend; kies 'ja', 'deels' of 'nee'."
        in messages
    )
    assert (
        "Fase 3 (Onderzoeksles), casusleerling D, veld 'voorspellingen': casusleerling 'D' staat niet bij de casusleerlingen (fase 2)."
        in messages
    )
    assert "Fase 3 (Onderzoeksles), veld 'nabespreking': de les staat op 'klaar', maar de nabespreking ontbreekt." in messages
    assert "Fase 4 (Herziene les), veld 'datum': '31-02-2026' is geen geldige datum; schrijf de datum als JJJJ-MM-DD." in messages
    assert (
        "Fase 5 (Conclusies en borgen), veld 'borgen': de fase staat op 'klaar', maar er staat niet wat het team borgt "
        "(wat houden we vast?)."
    ) in messages
    assert len(messages) == 6


def test_operations_refuse_what_makes_a_fase_meaningless():
    c = full_lesson_study()
    with pytest.raises(
        CycleError,
        match=r"Fase 3 \(Onderzoeksles\), veld 'voorspellingen': casusleerling 'D' staat niet bij de casusleerlingen \(bekend: A, B, C\)\.",
    ):
        cy.record_predictions(c, 1, {"D": {"Instructie": "?"}})
    with pytest.raises(
        CycleError,
        match=r"casusleerling A, veld 'voorspellingen': lesfase 'Pauze' staat niet bij de fases van deze les \(Instructie, Zelf werken\)\.",
    ):
        cy.record_predictions(c, 1, {"A": {"Pauze": "?"}})
    with pytest.raises(CycleError, match="veld 'klopt': 'misschien' is onbekend; kies 'ja', 'deels' of 'nee'."):
        cy.record_observations(c, 2, {"A": {"Instructie": ("gezien", "misschien")}})
    with pytest.raises(CycleError, match="veld 'pseudoniem': geef het pseudoniem .*nooit een naam of leerlingnummer."):
        cy.set_case_pupils(c, [{"code": "A", "pseudoniem": "Zoë de Vries", "niveau": "III"}])
    with pytest.raises(CycleError, match="Les 3 bestaat niet"):
        cy.record_debrief(c, 3, "?")


def test_lesson_is_busy_until_every_prediction_observation_and_debrief_is_there():
    c = cy.new_cycle("lessonstudy", title="LS", when="2026-02-23T15:00:00")
    cy.set_case_pupils(c, CASES[:2], when="2026-02-23T15:10:00")
    assert c.steps[2].status == "bezig"  # two case pupils: Lesson Study follows three
    assert [p.message for p in validate_cycle(cy.set_status(c, 2, "klaar"))][-1] == (
        "Fase 2 (Casusleerlingen), veld 'casusleerlingen': Lesson Study volgt drie casusleerlingen; er staan er 2."
    )
    cy.plan_lesson(c, 1, ["Instructie"], "juf", {"A": "Bas"}, when="2026-02-23T15:20:00")
    cy.record_predictions(c, 1, {"A": {"Instructie": "x"}, "B": {"Instructie": "y"}}, when="2026-02-23T15:30:00")
    cy.record_observations(c, 1, {"A": {"Instructie": ("x", "ja")}}, when="2026-02-23T15:40:00")
    cy.record_debrief(c, 1, "Besproken", when="2026-02-23T15:50:00")
    assert c.steps[3].status == "bezig"  # B has no observation yet
    cy.record_observations(c, 1, {"B": {"Instructie": ("y", "nee")}}, when="2026-02-23T16:00:00")
    assert c.steps[3].status == "klaar"


def test_year_plan_validation_and_tables():
    c = full_year_plan()
    assert validate_cycle(c) == [] and cy.next_step(c) is None
    t = cy.year_plan_tables(c)
    assert t["perioden"]["Van"].tolist() == ["25-08-2025", "05-01-2026"]
    assert t["cycli"].iloc[0].tolist() == ["2", "Lesson Study", "Verhaaltjessommen"]
    assert t["bijeenkomsten"]["Datum"].tolist() == ["02-09-2025", "16-09-2025"]  # sorted
    assert t["gesprekken"]["Gesprek"].tolist() == ["startgesprek", "ontwikkelgesprek", "evaluatiegesprek"]
    with pytest.raises(CycleError, match="veld 'periode': periode '4' staat niet bij de perioden."):
        cy.add_planned_cycle(c, "datateam", "X", "4")
    with pytest.raises(
        CycleError,
        match="veld 'soort': 'kletspraatje' is onbekend; kies 'startgesprek', 'ontwikkelgesprek' of 'evaluatiegesprek'.",
    ):
        cy.record_talk(c, "kletspraatje", "2026-01-01")
    data = c.to_dict()
    data["stappen"]["4_gesprekken"]["gesprekken"] = data["stappen"]["4_gesprekken"]["gesprekken"][:2]
    data["stappen"]["2_cycli"]["cycli"][0]["methode"] = "jaarplan"
    messages = [p.message for p in validate_cycle(cy.Cycle.from_dict(data))]
    assert messages == [
        "Onderdeel 2 (Cycli), cyclus 1, veld 'methode': 'jaarplan' is geen methode; kies 'datateam', 'actieonderzoek' of 'lessonstudy'.",
        "Onderdeel 4 (Gesprekkencyclus), veld 'gesprekken': de gesprekkencyclus staat op 'klaar', maar het evaluatiegesprek ontbreekt.",
    ]


def test_committed_sample_records_hold_together_and_are_finished():
    ls = load_cycle(SAMPLE / "lessonstudy_rekenen_groep5.yaml")
    assert ls.method == "lessonstudy" and validate_cycle(ls) == [] and cy.next_step(ls) is None
    assert [c.level for c in ls.lesson_study.cases] == ["I–II", "III", "IV–V"]
    assert all(len(les.phase_names()) >= 4 for les in ls.lesson_study.lessons.values())
    for name in ("jaarplan_taal.yaml", "jaarplan_rekenen.yaml"):
        plan = load_cycle(SAMPLE / name)
        assert plan.method == "jaarplan" and validate_cycle(plan) == [] and cy.next_step(plan) is None
        for row in plan.year_plan.cycles:  # every planned cycle's record is in the sample
            assert (SAMPLE / row["bestand"]).exists(), row["bestand"]
