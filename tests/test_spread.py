"""One result spread over several rows, cells or sheets (issue 18): read as one result per pupil, test and moment.

Each shape is rendered by the layout generator (:mod:`tests.layouts`) from one truth and must
read into the truth's canonical frame with every row counted; the hypothesis test in
``test_metamorphic.py`` draws the same shapes among all the other dimensions.

What the reader did before (each a test here that failed):

- one row per field (``Soort``/``Waarde``) and a score row followed by a level row: refused whole
  ("geen kolom met een resultaat");
- score and level in one cell (``231 (III)``): every row set aside as "score is geen getal";
- the date in ``Dag``/``Maand``/``Jaar``: read without a date, and ``Jaar`` taken for the school year;
- one sheet per subject without a test column: every row set aside as "vak onbekend".

One sheet per moment (the sheet's name ``M6``) and one sheet per subject with a test column were
read right already (generator dimensions ``moment_in_sheet`` and ``sheet_per_subject``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layouts import SUBJECTS, Layout, Pupil, Result, Truth, canonical, data_rows, expected, render, table, truths

from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.io.scores import ReadError, read_scores
from plgdata.io.scores.preview import preview_text, read_preview
from plgdata.model import loadreport as lr

KEY = b"test-key-0123456789abcdef0123456"

TRUTH = Truth(
    tuple(
        Pupil(
            nr,
            klas,
            dt.date(2014, 11, 2),
            (
                Result("rekenen-wiskunde", dt.date(2025, 1, 20), score, level),
                Result("begrijpend lezen", dt.date(2025, 1, 22), score / 2 + 0.5, "II"),
            ),
        )
        for nr, klas, score, level in ((101, "6A", 231.0, "III"), (2087, "6B", 244.5, "I"), (33, "6A", 210.0, "V"))
    )
)

#: one shape each, as the generator writes it (today's code refuses or misreads every one of them)
SHAPES = {
    "een regel per gegeven (Soort/Waarde)": Layout(shape="per_field"),
    "een regel per gegeven, VS/Niv, per veld gegroepeerd, Excel": Layout(
        shape="per_field", fmt="xlsx", field_headers=("Kenmerk", "Score"), field_words=("VS", "Niv"), fields_grouped=True
    ),
    "scoreregel gevolgd door niveauregel": Layout(shape="per_row", field_headers=("Soort", "Resultaat")),
    "alleen de eerste regel van een resultaat noemt leerling en toets": Layout(
        shape="per_field", follow_blank=True, fmt="xlsx", sheet_per_subject=True, extras=("BSN", "DL")
    ),
    "score en niveau in een cel": Layout(score_level_cell=True),
    "score en niveau in een cel, brede indeling": Layout(shape="wide", score_level_cell=True),
    "datum in Dag/Maand/Jaar": Layout(date_parts=("Dag", "Maand", "Jaar")),
    "een regel per gegeven met datum in drie kolommen": Layout(
        shape="per_field", date_parts=("Afnamedag", "Afnamemaand", "Afnamejaar")
    ),
    "een blad per vak zonder toetskolom": Layout(fmt="xlsx", sheet_per_subject=True, subject_in_sheet=True),
    "oud Excel (.xls)": Layout(fmt="xls", excel_dates=True),
    "oud Excel, een blad per vak, verborgen blad, een regel per gegeven": Layout(
        fmt="xls", shape="per_field", sheet_per_subject=True, hidden_targets=True, summary_rows=2
    ),
}


def _with_headers(lay: Layout) -> Layout:
    lay.headers = {
        "number": "Leerlingnummer",
        "groep": "Groep",
        "class": "Klas",
        "test": "Toets",
        "moment": "Toetsmoment",
        "date": "Afnamedatum",
        "score": "Vaardigheidsscore",
        "level": "Niveau",
        "wide_sub": {"score": "VS", "level": "Niv", "date": "datum"},
    }
    return lay


@pytest.mark.parametrize("name", list(SHAPES))
def test_each_spread_shape_reads_into_the_truth(name, tmp_path):
    lay = _with_headers(SHAPES[name])
    ds = read_scores([render(TRUTH, lay, tmp_path)], secret=KEY)
    pd.testing.assert_frame_equal(canonical(ds.scores), expected(TRUTH, KEY), check_dtype=False)
    files = ds.report.files
    sheets = 2 if lay.sheet_per_subject else 1
    assert sum(f.rows_loaded for f in files) == data_rows(TRUTH, lay)
    assert sum(f.rows_read for f in files) == data_rows(TRUTH, lay) + sheets * lay.summary_rows
    assert all(f.rows_read == f.rows_loaded + f.rows_set_aside for f in files)


def _write(path, lines: list[str]):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HEADER = "Leerlingnummer;Groep;Toets;Toetsmoment;Afnamedatum;Soort;Waarde"


def test_one_row_per_field_is_pivoted_and_said_in_the_load_report(tmp_path):
    f = _write(
        tmp_path / "lang_per_gegeven.csv",
        [
            HEADER,
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Vaardigheidsscore;231",
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Niveau;III",
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Percentiel;55",
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;DLE;34",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Vaardigheidsscore;240,5",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Niveau;II",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Percentiel;70",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;DLE;36",
        ],
    )
    ds = read_scores([f], secret=KEY)
    s = ds.scores.sort_values("score")
    assert s[["score", "level", "percentile", "dle"]].astype(object).values.tolist() == [
        [231.0, "III", 55.0, 34.0],
        [240.5, "II", 70.0, 36.0],
    ]
    assert list(s["moment"].astype(str)) == ["M6", "M6"]
    fr = ds.report.files[0]
    assert (fr.rows_read, fr.rows_loaded, fr.rows_set_aside) == (8, 8, 0)
    assert (
        'één regel per gegeven (kolom "Soort": Vaardigheidsscore, Niveau, Percentiel, DLE; de waarde in kolom "Waarde"): '
        "8 regels samengevoegd tot 2 resultaten, één per leerling, toets en moment"
    ) in fr.notes


def test_two_different_scores_for_one_result_are_set_aside_never_chosen(tmp_path):
    f = _write(
        tmp_path / "tegenstrijdig.csv",
        [
            HEADER,
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Vaardigheidsscore;231",
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Niveau;III",
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Vaardigheidsscore;236",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Vaardigheidsscore;240",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Niveau;II",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Niveau;II",  # the same value twice: no conflict
            "Groepsgemiddelde;;;;;;",
        ],
    )
    ds = read_scores([f], secret=KEY)
    assert ds.scores[["score", "level"]].astype(object).values.tolist() == [[240.0, "II"]]
    fr = ds.report.files[0]
    assert (fr.rows_read, fr.rows_loaded) == (7, 3)
    assert fr.set_aside[lr.REASON_CONFLICT] == 3  # the whole result of pupil 101: which level goes with which score?
    assert fr.set_aside[lr.REASON_SUMMARY] == 1
    assert fr.rows_read == fr.rows_loaded + fr.rows_set_aside
    assert any(
        "3 regel(s) apart gezet: tegenstrijdige waarden voor hetzelfde resultaat (vaardigheidsscore)" in n for n in fr.notes
    )


def test_a_field_column_with_words_that_are_no_fields_is_refused_with_the_preview(tmp_path):
    """Not every two-column pair is a field and its value: 'Opmerking' rows are no result."""
    f = _write(
        tmp_path / "geen_velden.csv",
        [
            HEADER,
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Opmerking;goed gewerkt",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Opmerking;ziek",
        ],
    )
    preview = read_preview(f)
    assert preview.iloc[0]["Melding"].startswith("niet ingelezen: Het bestand geen_velden.csv is niet herkend")
    assert set(preview["Indeling"]) == {"—"}


def test_the_preview_shows_the_reading_of_one_row_per_field(tmp_path):
    lay = _with_headers(Layout(shape="per_field", field_headers=("Gegeven", "Waarde")))
    path = render(TRUTH, lay, tmp_path)
    p = read_preview(path)
    rows = p.set_index("Kolom")
    assert rows.loc["Gegeven", "Rol"] == "soort gegeven (één regel per gegeven)"
    assert rows.loc["Gegeven", "Voorbeelden"] == "Vaardigheidsscore, Niveau"
    assert rows.loc["Waarde", "Rol"] == "waarde van het gegeven (vaardigheidsscore, niveau)"
    assert rows.loc["Waarde", "Zekerheid"] == "hoog"
    assert rows.loc["Leerlingnummer", "Voorbeelden"] == "(verborgen)"
    text = preview_text(p)
    assert (
        '  indeling: één regel per gegeven (kolom "Gegeven": Vaardigheidsscore, Niveau; de waarde in kolom "Waarde"): '
        "12 regels samengevoegd tot 6 resultaten, één per leerling, toets en moment"
    ) in text.splitlines()
    assert "2087" not in text  # no pupil number in the preview


def test_the_preview_shows_score_and_level_in_one_cell_and_the_date_in_three_columns(tmp_path):
    lay = _with_headers(Layout(score_level_cell=True, date_parts=("Dag", "Maand", "Jaar")))
    p = read_preview(render(TRUTH, lay, tmp_path)).set_index("Kolom")
    assert p.loc["Vaardigheidsscore", "Rol"] == "vaardigheidsscore en niveau in één cel"
    assert p.loc["Jaar", "Rol"] == "afnamedatum (jaar)"  # not the school year
    indeling = p["Indeling"].iloc[0]
    assert 'de afnamedatum staat in drie kolommen ("Dag", "Maand", "Jaar"): samengevoegd tot één datum' in indeling
    assert "kolom \"Vaardigheidsscore\" bevat score en niveau in één cel (zoals '231 (III)')" in indeling
    assert p["Datum"].iloc[0].startswith('kolom "Afnamedatum"')


def test_plgdata_controleer_says_how_a_file_of_one_row_per_field_was_read(tmp_path):
    import subprocess
    import sys

    path = render(TRUTH, _with_headers(Layout(shape="per_field")), tmp_path)
    env = {"PLGDATA_SLEUTEL": str(tmp_path / "sleutel.key"), "PATH": "/usr/bin:/bin"}
    res = subprocess.run(
        [sys.executable, "-m", "plgdata", "controleer", str(path)], capture_output=True, text=True, env=env, timeout=300
    )
    assert res.returncode == 0, res.stderr
    # the load report: every row loaded, and the reading said
    assert "- export.csv (Cito (lang)): 12 gelezen, 12 ingelezen, 0 apart gezet" in res.stdout
    # the preview "Zo heeft plgdata je bestand gelezen"
    assert (
        '  indeling: één regel per gegeven (kolom "Soort": Vaardigheidsscore, Niveau; de waarde in kolom "Waarde"): '
        "12 regels samengevoegd tot 6 resultaten, één per leerling, toets en moment"
    ) in res.stdout.splitlines()
    assert "Traceback" not in res.stderr and "2087" not in res.stdout


def test_the_reading_form_names_the_reading_of_one_row_per_field(tmp_path):
    from plgdata import forms

    folder = tmp_path / "exports"
    folder.mkdir()
    render(TRUTH, _with_headers(Layout(shape="per_row", field_headers=("Soort", "Uitslag"))), folder)
    form = forms.reading_form(folder, tmp_path / "koppeling.yaml")
    assert form.intro.startswith(
        'export.csv wordt ingelezen zoals hieronder (indeling: kolom "Uitslag" bevat per regel één gegeven van een '
        "resultaat (herkend aan de inhoud: een getal is de vaardigheidsscore, I-V of A-E het niveau): 12 regels "
        "samengevoegd tot 6 resultaten, één per leerling, toets en moment)."
    )


def test_notebook_00_shows_the_reading_of_one_row_per_field(tmp_path):
    import json

    from test_own_exports_notebooks import _params

    from plgdata.reporting.notebooks import run_cycle_notebooks

    folder = tmp_path / "exports"
    folder.mkdir()
    render(TRUTH, _with_headers(Layout(shape="per_field", fmt="xls")), folder)
    [nb] = run_cycle_notebooks(_params(tmp_path, folder), out_dir=tmp_path / "uit", notebooks=("00_start.ipynb",))
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    out = "\n".join(json.dumps(c.get("outputs", []), ensure_ascii=False) for c in cells if c["cell_type"] == "code")
    assert "export.xls:Blad1 (Cito (lang)): 12 gelezen, 12 ingelezen, 0 apart gezet" in out
    assert "Indeling" in out and "12 regels samengevoegd tot 6 resultaten, één per leerling, toets en moment" in out
    assert "2087" not in out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(truth=truths(), data=st.data())
def test_repeated_and_conflicting_rows_of_one_row_per_field_are_counted_never_lost(truth, data):
    """Rows of one result in any order; a repeated row (same value) is folded, a second different
    score sets the whole result aside with the conflict reason; every row is loaded or set aside."""
    lay = _with_headers(Layout(shape="per_field"))
    rows = table(truth, lay)
    header, body = rows[0], rows[1:]
    at = {c: i for i, c in enumerate(header)}
    results = [(p.number, r) for p in truth.pupils for r in p.results]
    repeated = data.draw(st.lists(st.integers(0, len(body) - 1), max_size=4), label="repeated rows")
    clashing = data.draw(st.sets(st.integers(0, len(results) - 1), max_size=2), label="results with a second score")
    extra = [list(body[i]) for i in repeated]
    for k in clashing:
        row = next(
            r
            for r in body
            if r[at["Leerlingnummer"]] == str(results[k][0])
            and r[at["Soort"]] == "Vaardigheidsscore"
            and r[at["Toets"]] == SUBJECTS[results[k][1].subject][0]
        )
        extra.append([*row[: at["Waarde"]], str(int(results[k][1].score) + 7), *row[at["Waarde"] + 1 :]])
    body = data.draw(st.permutations(body + extra), label="row order")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lang.csv"
        path.write_text("\n".join(";".join(map(str, r)) for r in [header, *body]) + "\n", encoding="utf-8")
        ds = read_scores([path], secret=KEY)
    fr = ds.report.files[0]
    assert fr.rows_read == len(body) == fr.rows_loaded + fr.rows_set_aside
    conflict_rows = sum(
        1
        for r in body
        for k in clashing
        if r[at["Leerlingnummer"]] == str(results[k][0]) and r[at["Toets"]] == SUBJECTS[results[k][1].subject][0]
    )
    assert fr.set_aside.get(lr.REASON_CONFLICT, 0) == conflict_rows
    assert fr.rows_loaded == len(body) - conflict_rows
    want = expected(truth, KEY)
    p = Pseudonymiser(secret=KEY)
    gone = {(p.from_number(str(results[k][0])), results[k][1].subject) for k in clashing}
    want = want[[(a, b) not in gone for a, b in zip(want["pupil_id"], want["subject"])]].reset_index(drop=True)
    pd.testing.assert_frame_equal(canonical(ds.scores), want, check_dtype=False)


def test_a_field_plgdata_does_not_know_is_set_aside_with_its_reason_the_rest_is_read(tmp_path):
    f = _write(
        tmp_path / "onbekend_gegeven.csv",
        [
            HEADER,
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Vaardigheidsscore;231",
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Niveau;III",
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Groei;+12",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Vaardigheidsscore;240",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Niveau;II",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Groei;+3",
        ],
    )
    ds = read_scores([f], secret=KEY)
    assert sorted(ds.scores["score"]) == [231.0, 240.0]
    fr = ds.report.files[0]
    assert (fr.rows_read, fr.rows_loaded, fr.set_aside[lr.REASON_UNKNOWN_FIELD]) == (6, 4, 2)
    assert any('2 regel(s) apart gezet: soort gegeven onbekend ("Groei"), niet ingelezen' in n for n in fr.notes)


def test_one_row_per_field_without_a_value_column_is_refused_saying_why_and_what_to_do(tmp_path):
    """The column next to the field names is empty and the values stand under a header plgdata does not know."""
    f = _write(
        tmp_path / "geen_waardekolom.csv",
        [
            "Leerlingnummer;Groep;Toets;Toetsmoment;Afnamedatum;Soort;Opmerking;Uitkomst score",
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Vaardigheidsscore;;231",
            "101;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Niveau;;III",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Vaardigheidsscore;;240",
            "102;6;Rekenen-Wiskunde 3.0;M6;20-01-2025;Niveau;;II",
        ],
    )
    why = (
        "kolom \"Soort\" lijkt per regel één gegeven van een resultaat te noemen ('Vaardigheidsscore', 'Niveau'), maar er "
        "is geen kolom met de waarden die erbij passen; noem die kolom 'Waarde' (een getal bij een score, I-V of A-E bij "
        "een niveau)"
    )
    with pytest.raises(ReadError) as exc:
        read_scores([f], secret=KEY)
    assert f"Een regel per gegeven? De {why}." in exc.value.message
    preview = read_preview(f)
    assert preview.iloc[0]["Melding"].startswith("niet ingelezen: Het bestand geen_waardekolom.csv is niet herkend")
    assert preview.iloc[0]["Indeling"] == "niet samengevoegd: " + why
    # renamed as the message says, the file reads
    f.write_text(f.read_text(encoding="utf-8").replace("Uitkomst score", "Waarde"), encoding="utf-8")
    assert sorted(read_scores([f], secret=KEY).scores["score"]) == [231.0, 240.0]
