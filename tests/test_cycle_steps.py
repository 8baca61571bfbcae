"""Step operations: status, history, loops and where the team is next."""

from __future__ import annotations

import pandas as pd
import pytest
from test_cycle_builders import full_datateam_cycle

import plgdata.cycle as cyc
from plgdata.cycle import CycleError, next_step, step_status
from plgdata.model.loadreport import FileReport, LoadReport


def _start():
    c = cyc.new_cycle("datateam", title="Lezen", leerteam="Bovenbouw", when="2025-09-01T09:00:00")
    cyc.set_problem(c, "Te veel IV/V", "aandeel IV/V", 0.4, 0.25, "2026-06-30", direction="hoogstens", when="2025-09-02T09:00:00")
    cyc.add_hypothesis(
        c,
        "H1",
        "verklarend",
        "Thuistaal",
        "M6",
        "verschil_in_aandelen",
        {
            "vak": "begrijpend lezen",
            "periode": "M",
            "schooljaar": "2024-2025",
            "groepen": [6],
            "kenmerk": "thuistaal",
            "a": "anders",
            "b": "Nederlands",
        },
        "≥ 15 pp",
        when="2025-09-03T09:00:00",
    )
    cyc.record_data_sources(c, ["a.csv"], ["2024-2025"], when="2025-09-04T09:00:00")
    cyc.record_quality(c, [], "doorgaan", when="2025-09-05T09:00:00")
    cyc.record_analysis(c, "H1", {"verschil_pp": 5.0}, when="2025-09-06T09:00:00")
    return c


def test_new_cycle_starts_open_at_step_1():
    c = cyc.new_cycle("datateam", title="Lezen", when="2025-09-01T09:00:00")
    table = step_status(c)
    assert list(table.columns) == ["Stap", "Naam", "Status", "Laatst gewijzigd"]
    assert table["Naam"].tolist() == [
        "Probleemdefinitie",
        "Hypothesen",
        "Dataverzameling",
        "Datakwaliteit",
        "Data-analyse",
        "Interpretatie en conclusie",
        "Maatregelen",
        "Evaluatie",
    ]
    assert set(table["Status"]) == {"open"}
    assert next_step(c) == 1
    with pytest.raises(CycleError, match="Methode 'pdca' is onbekend"):
        cyc.new_cycle("pdca")


def test_rejected_hypothesis_records_loop_and_sends_team_back_to_step_2():
    c = _start()
    assert next_step(c) == 6
    cyc.record_verdict(c, "H1", "verworpen", "Verschil te klein.", when="2025-09-07T10:15:00")
    assert c.loops == [cyc.Loop(6, 2, "Hypothese H1 verworpen: Verschil te klein.", "2025-09-07")]
    assert c.steps[2].status == "terug"
    assert next_step(c) == 2
    row = step_status(c).set_index("Stap").loc[2]
    assert (row["Status"], row["Laatst gewijzigd"]) == ("terug", "07-09-2025 10:15")
    assert c.history[-1].event == "Terug naar stap 2: nieuwe of herziene hypothese nodig"
    assert cyc.loops_table(c).to_dict("records") == [
        {"Van stap": 6, "Naar stap": 2, "Reden": "Hypothese H1 verworpen: Verschil te klein.", "Datum": "07-09-2025"}
    ]
    # a revised hypothesis: step 2 done again, the new hypothesis still needs analysis
    cyc.add_hypothesis(
        c, "H1b", "verklarend", "Woordenschat", "M6", "correlatie", {}, "r ≥ 0,3", revises="H1", when="2025-09-08T09:00:00"
    )
    assert c.steps[2].status == "klaar"
    assert (c.steps[5].status, c.steps[6].status) == ("bezig", "bezig")
    assert next_step(c) == 5
    cyc.record_analysis(c, "H1b", {"r": 0.45}, when="2025-09-09T09:00:00")
    cyc.record_verdict(c, "H1b", "bevestigd", "Woordenschat telt mee.", when="2025-09-10T09:00:00")
    assert next_step(c) == 7
    assert len(c.loops) == 1


def test_undecided_or_confirmed_verdict_records_no_loop():
    c = _start()
    cyc.record_verdict(c, "H1", "onbeslist", "Te weinig leerlingen.", when="2025-09-07T09:00:00")
    assert c.loops == [] and c.steps[6].status == "klaar" and next_step(c) == 7


def test_poor_quality_goes_back_to_step_3():
    c = _start()
    cyc.record_quality(
        c,
        pd.DataFrame({"check": ["schaal"], "count": [12]}),
        "terug naar stap 3",
        "Twee schalen door elkaar.",
        when="2025-09-07T09:00:00",
    )
    assert c.loops[-1] == cyc.Loop(4, 3, "Twee schalen door elkaar.", "2025-09-07")
    assert (c.steps[3].status, c.steps[4].status) == ("terug", "bezig")
    assert next_step(c) == 3
    assert c.quality.findings == [{"check": "schaal", "count": 12}]
    cyc.record_data_sources(c, ["b.csv"], "2024-2025", when="2025-09-08T09:00:00")
    assert next_step(c) == 4
    assert cyc.validate_cycle(c) == []


def test_operations_refuse_meaningless_values_in_dutch():
    c = _start()
    with pytest.raises(
        CycleError, match=r"Stap 6 \(Interpretatie en conclusie\), hypothese H1, veld 'oordeel': 'wellicht' is onbekend"
    ):
        cyc.record_verdict(c, "H1", "wellicht", "")
    with pytest.raises(CycleError, match=r"Stap 5 \(Data-analyse\): hypothese 'H7' staat niet in stap 2 \(bekend: H1\)"):
        cyc.record_analysis(c, "H7", {})
    with pytest.raises(CycleError, match="hypothese H1: dit id bestaat al; geef een herziene hypothese een nieuw id"):
        cyc.add_hypothesis(c, "H1", "verkennend", "x")
    with pytest.raises(CycleError, match="veld 'soort': 'oorzaak' is onbekend; kies 'verkennend' of 'verklarend'"):
        cyc.add_hypothesis(c, "H2", "oorzaak", "x")
    with pytest.raises(CycleError, match=r"veld 'besluit': 'doorgaan\?' is onbekend; kies 'doorgaan' of 'terug naar stap 3'"):
        cyc.record_quality(c, [], "doorgaan?")
    with pytest.raises(
        CycleError, match="maatregel M1, veld 'interventie': interventie 'INT-9' staat niet in de interventietabel"
    ):
        cyc.add_measure(c, "M1", "x", "INT-9", interventions=pd.DataFrame({"intervention_id": ["INT-1"]}))
    with pytest.raises(CycleError, match="Deze stap hoort niet bij de methode actieonderzoek"):
        cyc.add_hypothesis(cyc.new_cycle("actieonderzoek"), "H1", "verkennend", "x")
    with pytest.raises(CycleError, match="'31-13-2026' is geen geldige deadline"):
        cyc.set_problem(c, "x", "y", 0.1, 0.2, "31-13-2026")


def test_problem_incomplete_is_busy_and_load_report_is_stored():
    c = cyc.new_cycle(title="x", when="2025-09-01T09:00:00")
    cyc.set_problem(c, "Te laag", when="2025-09-02T09:00:00")
    assert c.steps[1].status == "bezig" and next_step(c) == 1
    rep = LoadReport()
    fr = FileReport("a.csv", "IEP", 10, 9)
    fr.add_set_aside("lege regel", [4])
    rep.add(fr)
    cyc.add_hypothesis(c, "H1", "verkennend", "x", "y", "z", {}, "r", when="2025-09-03T09:00:00")
    cyc.record_data_sources(c, ["a.csv"], ["2024-2025"], rep, when="2025-09-04T09:00:00")
    assert c.data_sources.load_report["rows_read"] == 10
    assert c.data_sources.load_report["bestanden"][0]["voorbeelden"] == {"lege regel": [4]}


def test_evaluation_decides_goal_from_direction():
    c = full_datateam_cycle()
    assert c.evaluation.goal_met is True  # 0,22 <= 0,25 with doel_is 'hoogstens'
    cyc.record_evaluation(c, [], None, achieved_value=0.31, when="2025-10-01T09:00:00")
    assert c.evaluation.goal_met is False and c.steps[8].status == "klaar"
    cyc.record_evaluation(c, [], None, when="2025-10-02T09:00:00")
    assert c.evaluation.goal_met is None and c.steps[8].status == "bezig" and next_step(c) == 8
    assert c.history[-1].event == "Evaluatie vastgelegd: nog niet bekend of het doel gehaald is"


def test_actieonderzoek_phases_and_status():
    c = cyc.new_cycle("actieonderzoek", title="Rekenen", when="2025-09-01T09:00:00")
    assert step_status(c)["Naam"].tolist() == ["Probleemanalyse", "Inhoudelijke verdieping", "Interventie", "Evaluatie"]
    cyc.set_problem(c, "Tafels", "aandeel vlot", 0.5, 0.8, "2026-03-01", direction="minstens", when="2025-09-02T09:00:00")
    assert next_step(c) == 2
    cyc.record_deepening(c, "Kennisrotonde", "Dagelijks kort oefenen werkt.", when="2025-09-03T09:00:00")
    cyc.add_measure(c, "M1", "Tafels oefenen", "INT-2", when="2025-09-04T09:00:00")
    assert next_step(c) == 4
    cyc.go_back(c, 4, 2, "Interventie niet uitvoerbaar", when="2025-09-05T09:00:00")
    assert next_step(c) == 2 and c.loops == [cyc.Loop(4, 2, "Interventie niet uitvoerbaar", "2025-09-05")]
    with pytest.raises(CycleError, match="Deze stap hoort niet bij de methode actieonderzoek"):
        cyc.record_verdict(c, "H1", "bevestigd")


def test_set_status_by_hand():
    c = cyc.new_cycle(title="x", when="2025-09-01T09:00:00")
    cyc.set_status(c, 1, "bezig", when="2025-09-02T09:00:00")
    assert c.steps[1] == cyc.StepState("bezig", "2025-09-02T09:00:00")
    with pytest.raises(CycleError, match="'gedaan' is geen geldige status; kies 'open', 'bezig', 'klaar' of 'terug'"):
        cyc.set_status(c, 1, "gedaan")
