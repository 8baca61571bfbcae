"""The Lesson Study and year-plan notebooks run top to bottom on small data and fill their records
through their forms (a run without a person: the sample's example filling)."""

from __future__ import annotations

import json

from identities import SAMPLE
from test_reports_content import pid, small_dataset

from plgdata.cycle import load_cycle, next_step, validate_cycle
from plgdata.reporting.kernel import KernelSession
from plgdata.reporting.notebooks import NOTEBOOK_DIR


def test_notebooks_are_thin_with_marked_input_cells():
    for name in ("lesson_study.ipynb", "jaarplan.ipynb"):
        nb = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert sum("parameters" in c["metadata"].get("tags", []) for c in code) == 1, name
        for c in code:
            if not {"invullen", "parameters"} & set(c["metadata"].get("tags", [])):
                assert len("".join(c["source"]).splitlines()) <= 8, name
        assert "Invullen door het team" in json.dumps(nb)


def test_lesson_study_and_year_plan_notebooks_fill_their_records(tmp_path):
    werkmap = small_dataset().save(tmp_path / "werk")
    quiz = tmp_path / "quiz.csv"  # the sample's own quiz, as if 6A (the Lesson Study class) and 6B had taken it
    quiz.write_text(
        (SAMPLE / "eigen_meting" / "strookmodel_5A_5B.csv")
        .read_text(encoding="utf-8")
        .replace(";5A;", ";6A;")
        .replace(";5B;", ";6B;"),
        encoding="utf-8",
    )
    ls_file, plan_file = tmp_path / "ls.yaml", tmp_path / "jaarplan.yaml"
    with KernelSession() as k:
        k.run(
            NOTEBOOK_DIR / "lesson_study.ipynb",
            {
                "werkmap": str(werkmap),
                "lessonstudybestand": str(ls_file),
                "sleutel": str(tmp_path / "sleutel.key"),
                "vak": "begrijpend lezen",
                "klas": "6A",
                "eigen_meting": str(quiz),
                "koppeling": str(SAMPLE / "eigen_meting" / "koppeling_strookmodel.yaml"),
                "vergelijkingsklas": "6B",
                "invulling": str(SAMPLE / "voorbeeldinvulling_lessonstudy.yaml"),
            },
        )
        plan_params = {
            "jaarplanbestand": str(plan_file),
            "leerteam": "Taal",
            "invulling": str(SAMPLE / "voorbeeldinvulling_jaarplan.yaml"),
        }
        k.run(NOTEBOOK_DIR / "jaarplan.ipynb", plan_params)
        k.run(NOTEBOOK_DIR / "jaarplan.ipynb", plan_params)  # running again is safe: the filling only fills what is empty
    ls = load_cycle(ls_file)
    assert validate_cycle(ls) == [] and next_step(ls) is None
    # E6 in 6A: I–II scores 199/198/209 (pupil 5 is the median); III 189/188 (tie -> lower pseudonym, pupil 3);
    # IV–V 168/179/178 (pupil 2 is the median)
    assert [(c.code, c.pseudonym, c.level) for c in ls.lesson_study.cases] == [
        ("A", pid(5), "I–II"),
        ("B", pid(3), "III"),
        ("C", pid(2), "IV–V"),
    ]
    assert (
        ls.lesson_study.subject == "begrijpend lezen" and ls.lesson_study.test_basis == "begrijpend lezen E6 2025-2026, klas 6A"
    )
    # the own quiz on its own scale, 6A against 6B: the same numbers as the sample record's 5A against 5B
    [m] = ls.lesson_study.own_measurements
    [sample] = load_cycle(SAMPLE / "lessonstudy_rekenen_groep5.yaml").lesson_study.own_measurements
    assert m["schaal"] == "eigen meting: strookmodel-toets"
    assert (m["n_interventie"], m["n_vergelijking"]) == (sample["n_interventie"], sample["n_vergelijking"])
    # one class against one: teacher and lesson cannot be separated (issue 17), in the record as in the sample's
    assert (m["effect"], m["oordeel"]) == (sample["effect"], "niet te scheiden")
    plan = load_cycle(plan_file)
    assert plan.leerteam == "Taal" and len(plan.year_plan.cycles) == 1 and len(plan.year_plan.talks) == 1
    assert [plan.steps[i].status for i in range(1, 5)] == ["klaar", "klaar", "klaar", "bezig"]
    assert validate_cycle(plan) == []  # the talks are 'bezig' until all three are held: nothing wrong yet


def test_the_lesson_study_page_shows_the_case_pupils_by_code_never_by_name(tmp_path):
    """Issue 21: the Lesson Study page showed the case pupils' real names in a cell meant to be
    'local only', but every notebook is an app page and the app is shown on a projector. Run as
    the app runs it (its parameters, the school's key file at hand), nothing the page shows (the
    outputs, and the state of every widget on it) holds a name or pupil number of the sample."""
    import shutil

    from identities import leaks, sample_identities

    from plgdata import workflow
    from plgdata.analysis.casepupils import pick_case_pupils, with_names
    from plgdata.app import AppPaths
    from plgdata.cycle import save_cycle, set_case_pupils
    from plgdata.forms import case_pupils

    key = tmp_path / "sleutel.key"
    werkmap = tmp_path / "werk"
    ds = workflow.load_into_workdir(SAMPLE, werkmap, interventions=SAMPLE / "interventies.xlsx", key_file=key)
    record = tmp_path / "lessonstudy.yaml"
    shutil.copy(SAMPLE / "lessonstudy_rekenen_groep5.yaml", record)
    ls = load_cycle(record)  # the sample's study, its case pupils picked again under this key file
    set_case_pupils(ls, pick_case_pupils(ds, "5A", "rekenen-wiskunde"), ls.lesson_study.test_basis)
    save_cycle(ls, record)
    before = record.read_bytes()
    cases = case_pupils(record)
    names = set(with_names(cases, key)["naam"])
    assert names <= sample_identities()[1] and len(names) == 3  # the key file would tell who they are
    app = AppPaths(SAMPLE, SAMPLE / "interventies.xlsx", werkmap, tmp_path / "cyclus.yaml", key, {"lessonstudy": str(record)})
    state = tmp_path / "widgets.ipynb"  # what Voilà sends the browser besides the outputs: the widgets' state
    nbformat = __import__("nbformat")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import json, ipywidgets.widgets.widget as w\nprint(json.dumps([x.get_state() for x in list(w._instances.values())], default=str))"
        )
    ]
    nbformat.write(nb, state)
    with KernelSession() as k:
        page = k.run(NOTEBOOK_DIR / "lesson_study.ipynb", app.parameters("lessonstudy"))
        widgets = k.run(state)
    shown = json.dumps([c.get("outputs", []) for c in page.cells], ensure_ascii=False)
    shown += json.dumps(widgets.cells[0]["outputs"], ensure_ascii=False)
    assert "juf Anouk (5A)" in shown  # the page did show the record's forms (a teacher's name is fine)
    assert all(c.code in shown for c in load_cycle(record).lesson_study.cases)
    assert leaks(shown) == [] and not [n for n in names if n in shown]
    assert record.read_bytes() == before  # the page only showed the record
