"""A record that does not hold together gets a Dutch message naming the step and the field."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from test_cycle_builders import full_actieonderzoek_cycle, full_datateam_cycle

from plgdata.cycle import CycleError, check_cycle, load_cycle, save_cycle, validate_cycle
from plgdata.cycle.model import Verdict


def messages(cycle, interventions=("INT-01", "INT-02")):
    return [p.message for p in validate_cycle(cycle, list(interventions) if interventions is not None else None)]


def test_complete_cycle_has_no_problems_and_check_returns_it():
    c = full_datateam_cycle()
    assert validate_cycle(c, ["INT-01"]) == []
    assert check_cycle(c, pd.DataFrame({"intervention_id": ["INT-01"]})) is c


def test_hypothesis_without_decision_rule():
    c = full_datateam_cycle()
    c.hypotheses[1].decision_rule = None
    (p,) = validate_cycle(c, ["INT-01"])
    assert (p.step, p.step_name, p.field, p.item) == (2, "Hypothesen", "beslisregel", "H2")
    assert p.message.startswith("Stap 2 (Hypothesen), hypothese H2, veld 'beslisregel': er is geen beslisregel")


def test_measure_naming_unknown_intervention():
    c = full_datateam_cycle()
    c.measures[0].intervention_id = "INT-XX"
    (p,) = validate_cycle(c, pd.DataFrame({"intervention_id": ["INT-01", "INT-02"]}))
    assert p.message == (
        "Stap 7 (Maatregelen), maatregel M1, veld 'interventie': interventie 'INT-XX' staat niet in de interventietabel."
    )
    # without an interventions table the link cannot be checked, and is not reported
    assert validate_cycle(c) == []


def test_goal_without_deadline():
    c = full_datateam_cycle()
    c.problem.deadline = None
    (p,) = validate_cycle(c, ["INT-01"])
    assert (p.step, p.field) == (1, "deadline")
    assert p.message.startswith("Stap 1 (Probleemdefinitie), veld 'deadline': een doel zonder deadline")


def test_unknown_verdict():
    c = full_datateam_cycle()
    c.verdicts["H2"] = dataclasses.replace(c.verdicts["H2"], verdict="misschien")
    (p,) = validate_cycle(c, ["INT-01"])
    assert p.message == (
        "Stap 6 (Interpretatie en conclusie), hypothese H2, veld 'oordeel': 'misschien' is geen geldig oordeel; "
        "kies 'bevestigd', 'verworpen' of 'onbeslist'."
    )


def test_unknown_step_status():
    c = full_datateam_cycle()
    c.steps[4].status = "afgerond"
    (p,) = validate_cycle(c, ["INT-01"])
    assert p.message == (
        "Stap 4 (Datakwaliteit), veld 'status': 'afgerond' is geen geldige status; kies 'open', 'bezig', 'klaar' of 'terug'."
    )


def test_hypothesis_kind_not_verkennend_or_verklarend():
    c = full_datateam_cycle()
    c.hypotheses[0].kind = "verklarende"
    (p,) = validate_cycle(c, ["INT-01"])
    assert p.message == (
        "Stap 2 (Hypothesen), hypothese H1, veld 'soort': 'verklarende' is geen soort hypothese; kies 'verkennend' of 'verklarend'."
    )


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda c: setattr(c.hypotheses[0], "data", None),
            "Stap 2 (Hypothesen), hypothese H1, veld 'data': er staat niet met welke data",
        ),
        (lambda c: setattr(c.hypotheses[0], "test_kind", ""), "Stap 2 (Hypothesen), hypothese H1, veld 'analyse.soort':"),
        (
            lambda c: setattr(c.hypotheses[1], "id", "H1"),
            "Stap 2 (Hypothesen), hypothese H1, veld 'id': het id 'H1' komt vaker voor",
        ),
        (
            lambda c: setattr(c.problem, "deadline", "30 juni"),
            "Stap 1 (Probleemdefinitie), veld 'deadline': '30 juni' is geen geldige datum",
        ),
        (lambda c: setattr(c.problem, "goal_value", "25%"), "Stap 1 (Probleemdefinitie), veld 'doelwaarde': '25%' is geen getal"),
        (
            lambda c: setattr(c.data_sources, "years", ["2024"]),
            "Stap 3 (Dataverzameling), veld 'jaren': '2024' is geen schooljaar",
        ),
        (lambda c: setattr(c.quality, "decision", "verder"), "Stap 4 (Datakwaliteit), veld 'besluit': 'verder' is geen besluit"),
        (lambda c: c.analyses.update(H9={"x": 1}), "Stap 5 (Data-analyse), hypothese H9, veld 'resultaten':"),
        (
            lambda c: c.verdicts.update(H9=Verdict("bevestigd", "x")),
            "Stap 6 (Interpretatie en conclusie), hypothese H9, veld 'oordelen':",
        ),
        (
            lambda c: setattr(c.verdicts["H2"], "interpretation", None),
            "Stap 6 (Interpretatie en conclusie), hypothese H2, veld 'interpretatie':",
        ),
        (
            lambda c: c.loops.clear(),
            "Stap 6 (Interpretatie en conclusie), hypothese H1, veld 'oordeel': de hypothese is verworpen, maar de lus",
        ),
        (
            lambda c: setattr(c.measures[0], "hypothesis_id", "H1"),
            "Stap 7 (Maatregelen), maatregel M1, veld 'hypothese': hypothese 'H1' is verworpen",
        ),
        (
            lambda c: setattr(c.measures[0], "intervention_id", None),
            "Stap 7 (Maatregelen), maatregel M1, veld 'interventie': de maatregel noemt geen interventie",
        ),
        (
            lambda c: c.measures.clear(),
            "Stap 8 (Evaluatie), veld 'maatregelen': er is een evaluatie, maar geen maatregel in stap 7 (Maatregelen)",
        ),
        (
            lambda c: setattr(c.evaluation, "goal_met", "misschien"),
            "Stap 8 (Evaluatie), veld 'doel_gehaald': 'misschien' is geen ja of nee.",
        ),
        (
            lambda c: setattr(c.loops[0], "to_step", 9),
            "Lussen, lus 1, veld 'naar_stap': '9' is geen stapnummer van 1 tot en met 8.",
        ),
        (lambda c: setattr(c, "title", " "), "Cyclus, veld 'titel': de cyclus heeft geen titel"),
    ],
)
def test_other_broken_fields_name_step_and_field(change, expected):
    c = full_datateam_cycle()
    change(c)
    msgs = messages(c)
    assert any(m.startswith(expected) for m in msgs), msgs


def test_interventions_from_a_dataset():
    from plgdata.model.dataset import Dataset

    c = full_datateam_cycle()
    ds = Dataset(interventions=pd.DataFrame({"intervention_id": ["INT-02"]}))
    assert [p.field for p in validate_cycle(c, ds)] == ["interventie"]


def test_unknown_top_level_and_step_keys_are_reported(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "methode: actieonderzoek\ntitel: x\ntitle: dubbel\nstappen:\n  5_extra: {}\n  1_probleemanalyse:\n    stelingg: y\n",
        encoding="utf-8",
    )
    msgs = messages(load_cycle(path))
    tail = "dit veld kent plgdata niet (een tikfout?); het wordt bij opslaan niet bewaard."
    assert msgs == [
        f"Fase 1 (Probleemanalyse), veld 'stelingg': {tail}",
        f"Stappen, veld '5_extra': {tail}",
        f"Cyclus, veld 'title': {tail}",
    ]


def test_check_cycle_joins_all_problems():
    c = full_datateam_cycle()
    c.hypotheses[0].decision_rule = ""
    c.problem.deadline = None
    with pytest.raises(CycleError) as info:
        check_cycle(c, ["INT-01"])
    text = str(info.value)
    assert text.splitlines()[0] == "De cyclus 'Begrijpend lezen groep 6' klopt nog niet (2 punten):"
    assert [p.field for p in info.value.problems] == ["deadline", "beslisregel"]
    assert "- Stap 1 (Probleemdefinitie), veld 'deadline'" in text
    assert "- Stap 2 (Hypothesen), hypothese H1, veld 'beslisregel'" in text


def test_malformed_fields_in_a_hand_edited_file(tmp_path):
    path = save_cycle(full_datateam_cycle(), tmp_path / "c.yaml")
    text = path.read_text(encoding="utf-8")
    text = text.replace("beslisregel: bevestigd bij ≥ 10 pp", "beslisregel:")
    text = text.replace("    status: klaar\n    gewijzigd: '2025-09-05", "    status: afgerond\n    gewijzigd: '2025-09-05")
    text = text.replace("      interventie: INT-01", "      interventie: INT-XX\n      intervnetie: INT-01")
    path.write_text(text, encoding="utf-8")
    msgs = messages(load_cycle(path))
    assert any(m.startswith("Stap 2 (Hypothesen), hypothese H2, veld 'beslisregel': er is geen beslisregel") for m in msgs)
    assert any(m.startswith("Stap 4 (Datakwaliteit), veld 'status': 'afgerond' is geen geldige status") for m in msgs)
    assert (
        "Stap 7 (Maatregelen), maatregel M1, veld 'interventie': interventie 'INT-XX' staat niet in de interventietabel." in msgs
    )
    assert (
        "Stap 7 (Maatregelen), maatregel M1, veld 'intervnetie': dit veld kent plgdata niet (een tikfout?); "
        "het wordt bij opslaan niet bewaard."
    ) in msgs


def test_shape_errors_stop_the_load_with_step_and_field(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("methode: datateam\nstappen:\n  2_hypothesen:\n    hypothesen: H1 is de oorzaak\n", encoding="utf-8")
    with pytest.raises(CycleError, match=r"^c\.yaml: Stap 2 \(Hypothesen\), veld 'hypothesen': hier hoort een lijst"):
        load_cycle(path)
    path.write_text("methode: lesson study\n", encoding="utf-8")
    with pytest.raises(
        CycleError,
        match="veld 'methode': 'lesson study' is onbekend; kies 'datateam', 'actieonderzoek', 'lessonstudy' of 'jaarplan'",
    ):
        load_cycle(path)


def test_actieonderzoek_problems_use_fase():
    c = full_actieonderzoek_cycle()
    c.measures.clear()
    c.steps[3].status = "open"
    c.problem.deadline = None
    msgs = messages(c)
    assert msgs == [
        "Fase 1 (Probleemanalyse), veld 'deadline': een doel zonder deadline is niet meetbaar; "
        "vul in wanneer het doel bereikt moet zijn (JJJJ-MM-DD).",
        "Fase 4 (Evaluatie), veld 'maatregelen': er is een evaluatie, maar geen maatregel in fase 3 (Interventie): "
        "wat wordt er geëvalueerd?",
    ]
    c2 = full_actieonderzoek_cycle()
    c2.measures[0].intervention_id = "INT-77"
    assert messages(c2) == [
        "Fase 3 (Interventie), maatregel M1, veld 'interventie': interventie 'INT-77' staat niet in de interventietabel."
    ]


def test_analysis_kind_must_be_one_plgdata_can_run():
    """The record's analysis kind is checked against the one list the workflow runs."""
    c = full_datateam_cycle()
    c.hypotheses[0].test_kind = "vergelijking aandelen"
    problem = [m for m in messages(c) if "analyse.soort" in m]
    assert len(problem) == 1
    assert "'vergelijking aandelen' is geen analyse die plgdata kent" in problem[0]
    assert "verschil_in_aandelen" in problem[0]


def test_analysis_parameters_that_are_missing_are_named():
    c = full_datateam_cycle()
    del c.hypotheses[0].test_params["kenmerk"]
    problem = [m for m in messages(c) if "analyse.parameters" in m]
    assert len(problem) == 1 and "de parameter kenmerk ontbreekt voor de analyse verschil_in_aandelen" in problem[0]


def test_the_cycle_docstring_example_is_a_valid_record(tmp_path):
    """The example in plgdata.cycle's docstring is a record the package accepts."""
    import textwrap

    import plgdata.cycle as cycle_module

    doc = cycle_module.__doc__
    after = doc.split("Example file (datateam; geschiedenis shortened)::", 1)[1]
    lines = []
    for line in after.split("\n")[1:]:
        if line.strip() and not line.startswith("    "):
            break
        lines.append(line)
    block = textwrap.dedent("\n".join(lines))
    path = tmp_path / "voorbeeld.yaml"
    path.write_text(block, encoding="utf-8")
    record = load_cycle(path)
    assert [h.test_kind for h in record.hypotheses] == ["verschil_in_aandelen", "verschil_in_aandelen"]
    assert not [m for m in messages(record, None) if "analyse" in m]
