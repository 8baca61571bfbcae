"""Notebook 00's form 'Zo heeft plgdata je bestand gelezen': corrections become the mapping file that is then used."""

from __future__ import annotations

import shutil
from pathlib import Path

from plgdata import forms
from plgdata.io.scores import read_scores

GOOD = Path(__file__).parent / "fixtures" / "exports" / "good"
KEY = b"test-key-0123456789abcdef0123456"


def _folder(tmp_path) -> Path:
    d = tmp_path / "exports"
    d.mkdir()
    for name in ("cito_begrijpend-lezen_2025-2026.csv", "eigen_tabel.csv"):
        shutil.copy(GOOD / name, d / name)
    return d


def _field(form, column):
    return next(f for f in form.fields if f.label.startswith(column + " "))


def test_the_form_opens_on_the_refused_file_with_each_column_s_role(tmp_path):
    form = forms.reading_form(_folder(tmp_path), tmp_path / "koppeling.yaml")
    assert form.intro.startswith("eigen_tabel.csv wordt niet ingelezen.")
    assert [f.label.split(" (")[0] for f in form.fields[:5]] == ["LLNR", "Resultaat", "Wanneer", "Jaar", "Klasje"]
    assert form.values[_field(form, "Jaar").name] == "Schooljaar"
    assert _field(form, "Jaar").label == "Jaar (zekerheid laag; voorbeelden: 6)"
    assert _field(form, "LLNR").label == "LLNR (zekerheid hoog; voorbeelden: (verborgen))"
    assert "734511" not in " ".join(f.label for f in form.fields)


def test_saving_corrections_writes_the_mapping_file_and_the_file_then_reads(tmp_path):
    folder, target = _folder(tmp_path), tmp_path / "werk" / "koppeling.yaml"
    form = forms.reading_form(folder, target)
    choice = {"Resultaat": "Vaardigheidsscore", "Wanneer": "Afnamedatum", "Jaar": "Groep", "Klasje": "Klas"}
    assert form.submit({_field(form, c).name: role for c, role in choice.items()} | {"schaal": "Boom", "vak": "rekenen-wiskunde"})
    assert target.read_text(encoding="utf-8").startswith('kolommen:\n  score: "Resultaat"\n')
    assert "LLNR" not in target.read_text(encoding="utf-8")  # read right without help: not in the mapping
    assert list(form.result["Herkend aan"]) == ["kopregel", "koppelbestand", "koppelbestand", "koppelbestand", "koppelbestand"]
    ds = read_scores(folder, secret=KEY, mapping=target)
    mine = ds.scores[ds.scores["source_file"] == "eigen_tabel.csv"]
    assert len(mine) == 2 and set(mine["scale"]) == {"Boom"} and set(mine["groep"]) == {6}
    assert set(mine["date"].astype(str)) == {"2025-03-12"}
    # the Cito file is read as before (the mapping names none of its columns)
    assert set(ds.scores.loc[ds.scores["source_file"] != "eigen_tabel.csv", "scale"]) == {"Cito 3.0"}
    # opened again, the form shows what the mapping file says
    again = forms.reading_form(folder, target, bestand="eigen_tabel.csv")
    assert again.values[_field(again, "Resultaat").name] == "Vaardigheidsscore"
    assert _field(again, "Resultaat").label.startswith("Resultaat (zekerheid zeker")


def test_the_form_s_button_says_where_it_saves(tmp_path):
    form = forms.reading_form(_folder(tmp_path), tmp_path / "koppeling.yaml")
    box = form.widget
    assert form._ui.button.description == "Opslaan als koppelbestand"
    assert box is form.widget


def test_notebook_00_shows_how_each_file_was_read_and_then_uses_the_saved_mapping(tmp_path):
    import json

    from test_own_exports_notebooks import _params

    from plgdata.reporting.notebooks import run_cycle_notebooks

    folder = _folder(tmp_path)
    params = _params(tmp_path, folder)

    def run(out):
        [nb] = run_cycle_notebooks(params, out_dir=tmp_path / out, notebooks=("00_start.ipynb",))
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        return "\n".join(json.dumps(c.get("outputs", []), ensure_ascii=False) for c in cells if c["cell_type"] == "code")

    first = run("eerst")
    assert "eigen_tabel.csv: FOUT" in first
    assert "Herkend aan" in first and "kopregel en inhoud" in first and "734511" not in first
    # the team corrects the roles in the form (as in the notebook) and runs the notebook again
    form = forms.reading_form(folder, tmp_path / "werk" / "koppeling.yaml")
    choice = {"Resultaat": "Vaardigheidsscore", "Wanneer": "Afnamedatum", "Jaar": "Groep", "Klasje": "Klas"}
    assert form.submit({_field(form, c).name: r for c, r in choice.items()} | {"vak": "rekenen-wiskunde", "schaal": "Boom"})
    second = run("daarna")
    assert "eigen_tabel.csv: FOUT" not in second
    assert "eigen_tabel.csv (Boom, met koppelbestand): 2 gelezen, 2 ingelezen, 0 apart gezet" in second


def _shown(form, monkeypatch):
    """What the page shows for ``form`` (what its ``_ipython_display_`` displays)."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(obj))
    form._ipython_display_()
    [box] = shown
    return box


def test_when_every_file_is_read_the_form_is_closed_and_built_when_a_teacher_opens_it(tmp_path, monkeypatch):
    """Issue 21 (step 0 <= 2 s): the form's 4 widgets per column were built and drawn on every visit
    of step 0, also when every file is read and no one corrects anything."""
    from test_forms import _models

    from plgdata.forms.widgets import OPEN_LABEL

    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(GOOD / "cito_begrijpend-lezen_2025-2026.csv", folder)
    form = forms.reading_form(folder, tmp_path / "koppeling.yaml")
    box = _shown(form, monkeypatch)
    assert form._ui is None  # no widget of a field built yet
    head, button = box.children
    assert "Elk bestand wordt ingelezen" in head.value and "Zo heeft plgdata je bestand gelezen" in head.value
    assert button.description == OPEN_LABEL
    assert len(_models(box)) <= 8 < len(form.fields) * 4
    button.click()
    assert box.children == (form.widget,)  # the whole form in its place
    assert form._ui.button.description == "Opslaan als koppelbestand"
    assert form.intro.startswith("cito_begrijpend-lezen_2025-2026.csv wordt ingelezen zoals hieronder.")
    assert _shown(form, monkeypatch) is form.widget  # shown again (a second display): open


def test_a_refused_file_or_a_file_asked_for_opens_the_form_at_once(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    refused = forms.reading_form(folder, tmp_path / "koppeling.yaml")
    assert _shown(refused, monkeypatch) is refused.widget
    assert refused.intro.startswith("eigen_tabel.csv wordt niet ingelezen.")
    asked = forms.reading_form(folder, tmp_path / "koppeling.yaml", bestand="cito_begrijpend-lezen_2025-2026.csv")
    assert _shown(asked, monkeypatch) is asked.widget
