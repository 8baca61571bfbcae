"""The forms in the notebooks' input cells: no Python to edit, Dutch messages next to the field,
nothing written when a field does not hold, and a headless run that uses the record as it is.

(That every cycle notebook still runs top to bottom without a person, in a fresh kernel, is
``test_cycle_notebooks.py``: it runs them with the sample's example filling.)
"""

from __future__ import annotations

import ast
import json
import shutil

import pytest
from identities import SAMPLE
from sample_truth import low_share

from plgdata import forms, workflow
from plgdata.cycle import load_cycle
from plgdata.forms.base import parse_number, show_number
from plgdata.reporting.notebooks import CYCLE_NOTEBOOKS, NOTEBOOK_DIR

FILLING = SAMPLE / "voorbeeldinvulling.yaml"
ACTION_RESEARCH = "actieonderzoek.ipynb"
#: the leerteam notebooks (Lesson Study and the year plan), also forms only since issue 21
LEERTEAM_NOTEBOOKS = ("lesson_study.ipynb", "jaarplan.ipynb")
INPUT_HEADING = "✏️ Invullen door het team"


def _cells(name):
    return json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))["cells"]


def _literals(tree) -> list[str]:
    """Every literal a teacher would have to edit (text, numbers, lists, dicts)."""
    kinds = (ast.Constant, ast.List, ast.Dict, ast.Set, ast.JoinedStr)
    return [ast.dump(n)[:60] for n in ast.walk(tree) if isinstance(n, kinds)]


def _form_calls(tree) -> list[str]:
    return [
        n.func.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == "forms"
    ]


def test_no_input_cell_needs_python_editing():
    """Every ✏️ cell is a form call: no literal a team would edit, and a form after every ✏️ heading."""
    per_notebook = {}
    names = (*CYCLE_NOTEBOOKS, ACTION_RESEARCH, *LEERTEAM_NOTEBOOKS)
    assert sorted(names) == sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb"))  # every notebook a team fills in
    for name in names:
        cells = _cells(name)
        inputs = [c for c in cells if "invullen" in c.get("metadata", {}).get("tags", [])]
        for c in inputs:
            tree = ast.parse("".join(c["source"]))
            assert _literals(tree) == [], f"{name}: een invulcel bevat nog Python-waarden: {''.join(c['source'])}"
            assert len(_form_calls(tree)) == 1, f"{name}: een invulcel roept geen formulier aan"
        for i, c in enumerate(cells):
            if c["cell_type"] == "markdown" and INPUT_HEADING in "".join(c["source"]):
                assert "invullen" in cells[i + 1].get("metadata", {}).get("tags", []), f"{name}: ✏️ zonder formulier"
                assert "Pas de waarden" not in "".join(c["source"])
        per_notebook[name[:2]] = sorted(f for c in inputs for f in _form_calls(ast.parse("".join(c["source"]))))
    assert per_notebook == {
        "00": ["reading_form", "start_form"],
        "01": ["problem_form"],
        "02": ["hypothesis_correction_form", "hypothesis_form"],
        "03": ["data_sources_form"],
        "04": ["quality_form"],
        "05": [],
        "06": ["open_verdicts_form", "revised_hypothesis_form", "verdicts_form"],
        "07": ["measure_correction_form", "measures_form"],
        "08": ["evaluation_form", "goal_check_form"],
        "ac": [
            "action_research_start_form",
            "deepening_form",
            "evaluation_form",
            "goal_check_form",
            "measures_form",
            "problem_form",
        ],
        "ja": ["periods_form", "planned_cycle_form", "talks_form"],
        "le": [
            "conclusions_form",
            "lesson_plan_form",
            "lesson_plan_form",
            "observations_form",
            "observations_form",
            "predictions_form",
            "predictions_form",
            "research_question_form",
        ],
    }


def test_the_literal_check_sees_python_values():
    assert len(_literals(ast.parse('doel = 0.35\nvak = "begrijpend lezen"\ngroepen = [5, 6]'))) == 5
    assert _literals(ast.parse("f = forms.problem_form(c, cyclusbestand, ds, invulling=invulling)\nf")) == []


def test_dutch_numbers():
    assert parse_number("0,3") == 0.3 and parse_number(" 0.3 ") == 0.3 and parse_number("35%") == 0.35
    assert parse_number("1,5") == 1.5
    for bad in ("0,3x", "", "drie", "1,2,3", "%"):
        with pytest.raises(ValueError):
            parse_number(bad)
    assert show_number(0.35) == "0,35" and show_number(0.1) == "0,1" and show_number(2) == "2"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("formulieren")
    ds = workflow.load_into_workdir(SAMPLE, tmp / "werk", interventions=SAMPLE / "interventies.xlsx", key_file=tmp / "k.key")
    return tmp, ds


def _fresh_record(tmp, ds, name):
    path = tmp / f"{name}.yaml"
    forms.start_form(path, ds, invulling=FILLING)
    return path


def test_a_bad_field_is_named_in_dutch_next_to_it_and_nothing_is_written(sample):
    tmp, ds = sample
    path = _fresh_record(tmp, ds, "fout")
    form = forms.problem_form(load_cycle(path), path, ds)
    assert form.doel is None  # a fresh record without a filling: nothing to show
    before = path.read_bytes()
    raw = {
        "vak": "begrijpend lezen",
        "groepen": (5, 6),
        "periode": "M",
        "schooljaar": "2025-2026",
        "doel": "35 procent",
        "doel_is": "hoogstens",
        "deadline": "31-02-2026",
    }
    assert form.widget is not None  # the browser side is built as in JupyterLab
    assert form.submit(raw) is False
    assert form.problems == {
        "doel": "Doel (aandeel IV/V): '35 procent' is geen getal; schrijf bijvoorbeeld 0,3 of 10%.",
        "deadline": "Deadline: '31-02-2026' is geen datum; schrijf bijvoorbeeld 30-06-2026.",
    }
    assert "35 procent" in form._ui.messages["doel"].value and form._ui.messages["vak"].value == ""
    assert "Niet opgeslagen" in form._ui.status.value
    assert path.read_bytes() == before
    assert form.submit({**raw, "doel": "120%", "deadline": "30-06-2026"}) is False
    assert form.problems == {"doel": "Doel (aandeel IV/V): schrijf een aandeel tussen 0% en 100% (bijv. 35%)."}
    assert form.submit({**raw, "doel": "35%", "deadline": "30-06-2026"}) is True
    p = load_cycle(path).problem
    share = low_share("begrijpend-lezen", "2025-2026", [5, 6], "M")[1]  # from the Cito file, with pandas
    assert p.goal_value == 0.35 and p.deadline == "2026-06-30" and p.current_value == pytest.approx(share, abs=0.001)
    assert p.metric_params == {"vak": "begrijpend lezen", "groepen": [5, 6], "periode": "M", "schooljaar": "2025-2026"}
    assert "Opgeslagen" in form._ui.status.value


def test_a_headless_run_uses_the_record_as_it_is(sample):
    """The filling fills only what the record lacks; what the team saved stays."""
    tmp, ds = sample
    path = tmp / "team.yaml"
    shutil.copyfile(SAMPLE / "cyclus_begrijpend_lezen.yaml", path)
    c = load_cycle(path)
    c.problem.goal_value = 0.3
    from plgdata.cycle import save_cycle

    save_cycle(c, path)
    before = path.read_bytes()
    f1 = forms.problem_form(load_cycle(path), path, ds, invulling=FILLING)
    f2 = forms.hypothesis_form(load_cycle(path), path, ds, invulling=FILLING)
    f3 = forms.verdicts_form(load_cycle(path), path, invulling=FILLING)
    f4 = forms.measures_form(load_cycle(path), path, ds, invulling=FILLING)
    assert path.read_bytes() == before
    assert f1.doel == 0.3 and f2.id == "H5" and f3.values["oordeel_H3"] == "verworpen" and f4.id == "M2"


def test_a_fresh_record_gets_the_filling_through_the_same_checks(sample, tmp_path):
    tmp, ds = sample
    path = _fresh_record(tmp, ds, "vers")
    assert load_cycle(path).title == "Begrijpend lezen groep 5/6"
    forms.problem_form(load_cycle(path), path, ds, invulling=FILLING)
    forms.hypothesis_form(load_cycle(path), path, ds, invulling=FILLING)
    c = load_cycle(path)
    assert [h.id for h in c.hypotheses] == ["H1", "H2", "H3"]
    assert c.hypotheses[2].test_params["min_effect"] == 0.5 and c.hypotheses[0].test_params["groepen"] == [5, 6]
    bad = tmp_path / "fout.yaml"
    bad.write_text(FILLING.read_text(encoding="utf-8").replace("min_effect: 0.5", "min_effect: -1"), encoding="utf-8")
    other = _fresh_record(tmp, ds, "fout2")
    with pytest.raises(forms.FormError, match="Drempel: de drempel moet groter dan 0 zijn"):
        forms.hypothesis_form(load_cycle(other), other, ds, invulling=bad)
    assert [h.id for h in load_cycle(other).hypotheses] == ["H1", "H2"]  # H3 was refused, the others kept


def test_a_rejection_in_the_verdicts_form_loops_back_once(sample):
    tmp, _ = sample
    path = tmp / "oordeel.yaml"
    shutil.copyfile(SAMPLE / "cyclus_begrijpend_lezen.yaml", path)
    form = forms.verdicts_form(load_cycle(path), path)
    loops = len(load_cycle(path).loops)
    assert form.submit({"oordeel_H2": "verworpen", "interpretatie_H2": ""}) is False
    assert form.problems == {"interpretatie_H2": "Waarom (H2): schrijf op waarom het team tot dit oordeel komt."}
    assert form.submit({"oordeel_H2": "verworpen", "interpretatie_H2": "Toch geen verschil."}) is True
    assert form.submit({"interpretatie_H2": "Toch geen verschil, ook niet in 5B."}) is True  # same verdict: only the text
    c = load_cycle(path)
    assert c.verdicts["H2"].verdict == "verworpen" and c.verdicts["H2"].interpretation.endswith("5B.")
    assert len(c.loops) == loops + 1


def test_the_actieonderzoek_notebook_runs_headless_and_fills_its_four_phases(tmp_path):
    """The lighter cycle through its forms, in a fresh kernel, with the RT-group's example filling."""
    from plgdata.reporting.notebooks import run_cycle_notebooks

    params = {
        "data_map": str(SAMPLE),
        "interventiebestand": str(SAMPLE / "interventies.xlsx"),
        "werkmap": str(tmp_path / "werk"),
        "cyclusbestand": str(tmp_path / "ao.yaml"),
        "sleutel": str(tmp_path / "k.key"),
        "invulling": str(SAMPLE / "voorbeeldinvulling_actieonderzoek.yaml"),
    }
    run_cycle_notebooks(params, out_dir=tmp_path / "uit", notebooks=(ACTION_RESEARCH,))
    c = load_cycle(tmp_path / "ao.yaml")
    assert c.method == "actieonderzoek" and c.title == "RT-groep rekenen groep 4"
    assert [c.steps[i].status for i in range(1, 5)] == ["klaar"] * 4
    share = low_share("rekenen-wiskunde", "2025-2026", [4], "M")[1]
    assert c.problem.current_value == pytest.approx(share, abs=0.001) and c.problem.goal_value == 0.3
    assert len(c.deepening.sources) == 3 and c.deepening.insights.startswith("De acht leerlingen")
    assert [(m.id, m.intervention_id) for m in c.measures] == [("M1", "INT-RW-RT4")]
    ev = c.evaluation.comparisons[0]
    committed = load_cycle(SAMPLE / "actieonderzoek_rt_rekenen_groep4.yaml").evaluation.comparisons[0]
    assert ev["n_interventie"] == committed["n_interventie"] <= 8  # the eight lowest on M4 with an E4
    assert ev["bi_onder"] < 0 < ev["bi_boven"]  # no effect: the planted truth
    assert c.evaluation.note.startswith("De RT-groep ging vooruit")


def test_the_goal_check_before_step_1_says_in_dutch_what_comes_first(sample):
    """Notebook 08 on a record without step 1 failed with "Periode 'N' bestaat niet" (the text of
    None); it now says that step 1 comes first, and an empty moment says to fill in the form."""
    tmp, ds = sample
    path = _fresh_record(tmp, ds, "zonder_stap1.yaml")
    with pytest.raises(forms.FormError, match=r"Stap 1 \(probleemdefinitie\) is nog niet ingevuld"):
        forms.goal_check_form(load_cycle(path), path, ds)
    with pytest.raises(ValueError, match="Er is nog geen toetsmoment gekozen: vul eerst het formulier hierboven in"):
        workflow.share_low_levels(ds, None, None, None, None)


def test_a_year_plan_period_without_its_dates_is_named_in_dutch_and_nothing_is_written(tmp_path):
    path = tmp_path / "jaarplan.yaml"
    plan = forms.open_year_plan(path, leerteam="Taal", school_year="2025-2026")
    form = forms.periods_form(plan, path)
    period = {"focusvak_1": "spelling", "doel_1": "Werkwoorden groep 6."}
    assert not form.submit(period)
    assert form.problems == {"van_1": "Periode 1: vul ook 'van' in, of maak de hele periode leeg."}
    period.update(van_1="25-08-2025", tot_1="28-11-2025")
    assert not form.submit({**period, "bijeenkomsten": "02-09-2025\n31-02-2025"})
    assert form.problems == {"bijeenkomsten": "Bijeenkomsten: '31-02-2025' is geen datum; schrijf bijvoorbeeld 02-09-2025."}
    assert not path.exists()
    assert form.submit({**period, "bijeenkomsten": "16-09-2025\n02-09-2025"})
    saved = load_cycle(path).year_plan
    assert saved.periods == [
        {"periode": "1", "van": "2025-08-25", "tot": "2025-11-28", "focusvak": "spelling", "doel": "Werkwoorden groep 6."}
    ]
    assert [m["datum"] for m in saved.meetings] == ["2025-09-02", "2025-09-16"]
    # a cycle can only go into a period the plan has; the talks keep a talk still to come empty
    cyc = forms.planned_cycle_form(load_cycle(path), path)
    assert [v for _, v in cyc.fields[2].choices({})] == ["1"]
    talks = forms.talks_form(load_cycle(path), path)
    assert not talks.submit({"uitkomst_startgesprek": "Focus spelling."})
    assert talks.problems == {"datum_startgesprek": "Startgesprek: geef ook de datum."}
    assert not talks.submit({"datum_startgesprek": "11-09-2025"})
    assert list(talks.problems) == ["uitkomst_startgesprek"]
    assert not forms.periods_form(load_cycle(path), path).submit({**period, "tot_1": "01-08-2025"})
    assert load_cycle(path).year_plan.periods[0]["tot"] == "2025-11-28"


def test_the_record_check_is_dutch_text_on_the_page():
    from plgdata.cycle import new_cycle, record_talk

    plan = new_cycle("jaarplan", title="Jaarplan")
    assert forms.record_check(plan, "Het jaarplan klopt.").data == "<p>Het jaarplan klopt.</p>"
    record_talk(plan, "startgesprek", "2025-09-11")  # held, but nobody wrote down the outcome
    shown = forms.record_check(plan).data
    assert shown.startswith("<p>Nog niet compleet of niet in orde:</p><ul><li>") and "geen uitkomst" in shown


def test_lesson_study_forms_show_a_full_record_and_leave_it_alone(tmp_path, sample):
    _, ds = sample
    path = tmp_path / "ls.yaml"
    shutil.copy(SAMPLE / "lessonstudy_rekenen_groep5.yaml", path)
    before = path.read_bytes()
    c = load_cycle(path)
    filling = SAMPLE / "voorbeeldinvulling_lessonstudy.yaml"
    question = forms.research_question_form(c, path, ds, vak="spelling", klas="6B", invulling=filling)
    assert (question.vak, question.klas) == ("rekenen-wiskunde", "5A")  # the record's, not the parameters'
    plan = forms.lesson_plan_form(c, path, forms.REVISED_LESSON, invulling=filling)
    assert plan.docent == "juf Eva (5B)" and plan.fases.splitlines()[0] == "Introductie"
    seen = forms.observations_form(c, path, forms.RESEARCH_LESSON, invulling=filling)
    predicted = forms.predictions_form(c, path, forms.RESEARCH_LESSON, invulling=filling)
    phases = c.lesson_study.lessons[1].phase_names()
    assert len(predicted.fields) == 3 * len(phases) and len(seen.fields) == 2 * 3 * len(phases) + 3 + 1
    forms.conclusions_form(c, path, invulling=filling)
    assert path.read_bytes() == before
    # a 'klopt' outside ja/deels/nee is refused next to the field, and nothing is written
    assert not seen.submit({"klopt_A_1": "misschien"})
    assert seen.problems["klopt_A_1"].endswith("staat niet in de lijst; kies een van de mogelijkheden.")
    assert path.read_bytes() == before


def test_the_lesson_forms_wait_for_the_case_pupils(tmp_path):
    from plgdata.cycle import new_cycle

    c = new_cycle("lessonstudy", title="Nieuw")
    form = forms.lesson_plan_form(c, tmp_path / "ls.yaml", forms.RESEARCH_LESSON)
    assert form.fields == [] and "Kies eerst de onderzoeksvraag en de klas" in form.intro


def test_a_lesson_page_opened_earlier_saves_only_what_it_changed(tmp_path):
    """Two laptops in one meeting: the second saves observer A; the teacher the first saved stays."""
    path = tmp_path / "ls.yaml"
    shutil.copy(SAMPLE / "lessonstudy_rekenen_groep5.yaml", path)
    first = forms.lesson_plan_form(load_cycle(path), path, forms.RESEARCH_LESSON)
    second = forms.lesson_plan_form(load_cycle(path), path, forms.RESEARCH_LESSON)
    assert first.widget is not None and second.widget is not None  # both shown in a browser
    first._ui.inputs["docent"].value = "juf Fatima"
    assert first.submit()
    second._ui.inputs["observant_A"].value = "meester Gerrit"
    assert second.submit()
    les = load_cycle(path).lesson_study.lessons[1]
    assert (les.teacher, les.observers["A"], les.observers["B"]) == ("juf Fatima", "meester Gerrit", "juf Carla")
    assert les.predictions["A"]  # planning again keeps the predictions of the same phases


def test_the_observation_form_is_one_fold_per_case_pupil_each_saved_on_its_own(tmp_path):
    """Issue 21: the observation form was one endless list (3 pupils x 5 phases x 2 fields, the
    interviews, the nabespreking) with one button at the bottom. Now each case pupil is a fold with
    its own save button: what observer A saves lands in the record and stays there when B saves
    later, text typed in another fold is neither written nor lost, and a wrong field gets the same
    message beside it (its fold opened)."""
    path = tmp_path / "ls.yaml"
    shutil.copy(SAMPLE / "lessonstudy_rekenen_groep5.yaml", path)
    c = load_cycle(path)
    first_phase = c.lesson_study.lessons[1].phase_names()[0]
    seen_b = c.lesson_study.lessons[1].observations["B"][first_phase]
    form = forms.observations_form(c, path, forms.RESEARCH_LESSON)
    assert form.widget is not None
    ui = form._ui
    assert [ui.parts.get_title(i) for i in range(len(ui.parts.children))] == [
        "Casusleerling A",
        "Casusleerling B",
        "Casusleerling C",
        "Nabespreking",
    ]
    assert ui.parts.selected_index == 0  # one fold open, not the whole form
    fold_b = ui.parts.children[1]
    assert ui.rows["waarneming_B_1"] in fold_b.children and ui.rows["interview_B"] in fold_b.children
    assert ui.rows["waarneming_A_1"] not in fold_b.children and len(ui.buttons) == 4
    # observer A writes and saves fold A; B has started typing in fold B but not saved
    ui.inputs["waarneming_A_1"].value = "A tekende meteen een strook en rekende hardop."
    ui.inputs["klopt_A_1"].value = "nee"
    ui.inputs["waarneming_B_1"].value = "B wacht nog"
    ui.buttons[0].click()
    assert "Opgeslagen" in ui.statuses[0].value and ui.statuses[1].value == ""
    les = load_cycle(path).lesson_study.lessons[1]
    assert les.observations["A"][first_phase] == {"waarneming": "A tekende meteen een strook en rekende hardop.", "klopt": "nee"}
    assert les.observations["B"][first_phase] == seen_b  # fold B's unsaved text is not written ...
    assert ui.inputs["waarneming_B_1"].value == "B wacht nog"  # ... and not wiped from the page
    # a wrong field in fold C: the same message beside it, its fold opened, nothing written
    before = path.read_bytes()
    assert not form.submit({"klopt_C_1": "misschien"}, section=2)
    assert ui.messages["klopt_C_1"].value.endswith("staat niet in de lijst; kies een van de mogelijkheden.")
    assert ui.parts.selected_index == 2 and "Niet opgeslagen" in ui.statuses[2].value
    assert path.read_bytes() == before
    # observer B saves fold B later: A's answers survive and both are in the record
    ui.inputs["waarneming_B_1"].value = "B keek eerst bij de buurman."
    ui.buttons[1].click()
    les = load_cycle(path).lesson_study.lessons[1]
    assert les.observations["A"][first_phase]["waarneming"] == "A tekende meteen een strook en rekende hardop."
    assert les.observations["B"][first_phase]["waarneming"] == "B keek eerst bij de buurman."
    assert les.debrief == c.lesson_study.lessons[1].debrief  # the nabespreking fold untouched


def test_a_fold_saved_without_a_browser_keeps_the_other_folds_as_on_disk(tmp_path):
    path = tmp_path / "ls.yaml"
    shutil.copy(SAMPLE / "lessonstudy_rekenen_groep5.yaml", path)
    c = load_cycle(path)
    old = c.lesson_study.lessons[1]
    form = forms.predictions_form(c, path, forms.RESEARCH_LESSON)
    assert [t for t, _ in form.sections] == ["Casusleerling A", "Casusleerling B", "Casusleerling C"]
    assert form.submit({"voorspelling_A_1": "A pakt de strook niet", "voorspelling_B_1": "niet bewaard"}, section=0)
    new = load_cycle(path).lesson_study.lessons[1]
    first_phase = old.phase_names()[0]
    assert new.predictions["A"][first_phase] == "A pakt de strook niet"
    assert new.predictions["B"] == old.predictions["B"]  # only fold A's fields were taken


def _models(widget, seen=None) -> set:
    """Every widget model a form's box brings to the page (children, layouts, styles)."""
    import ipywidgets as w

    seen = set() if seen is None else seen
    if id(widget) in seen:
        return seen
    seen.add(id(widget))
    for name in ("children", "layout", "style"):
        value = getattr(widget, name, None)
        for child in value if isinstance(value, tuple) else [value]:
            if isinstance(child, w.Widget):
                _models(child, seen)
    return seen


def test_a_form_shares_its_layouts_and_styles_but_hides_each_row_on_its_own(sample):
    """Issue 21 (pages <= 2 s): every widget had a layout and a style of its own, 8 models per field
    (about 350 on step 6) for the kernel to open and the browser to build. The unchanging ones are
    shared per form (5-6 per field now); a row hidden for one analysis kind still hides alone."""
    tmp, ds = sample
    path = SAMPLE / "cyclus_begrijpend_lezen.yaml"
    form = forms.hypothesis_form(load_cycle(path), path, ds)
    assert form.widget is not None
    ui = form._ui
    assert len(_models(ui.box)) <= 6 * len(ui.rows) + 10  # 8 per field before
    conditional = [f.name for f in form.fields if f.when is not None]
    assert len({id(ui.rows[n].layout) for n in conditional}) == len(conditional) > 1
    shown = {name: row.layout.display for name, row in ui.rows.items()}
    assert "none" in shown.values() and None in shown.values()  # one analysis kind's fields hidden, the others not
    hidden = next(n for n in conditional if shown[n] == "none")
    assert all(shown[n] is None for n in ui.rows if n not in conditional)  # the shared layout is never hidden
    assert hidden in conditional
