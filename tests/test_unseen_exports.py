"""Exports in shapes no earlier fixture had (issue 18, "Found"): each reads right, counts add up."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.io.scores import read_scores
from plgdata.model import loadreport as lr
from plgdata.model.parsing import is_bsn
from plgdata.model.vocabulary import subject_of

KEY = b"test-key-0123456789abcdef0123456"
HEADER = "Leerlingnummer;Groep;Toets;Toetsmoment;Afnamedatum;Vaardigheidsscore"


def _read(tmp_path, name: str, text: str | bytes, **kw):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    ds = read_scores([path], secret=KEY, **kw)
    for f in ds.report.files:
        assert f.rows_read == f.rows_loaded + f.rows_set_aside, f.source
    return ds


def _bsns(n: int) -> list[str]:
    """``n`` made-up nine-digit numbers that pass the elfproef (no real person's: generated)."""
    out, x = [], 100000000
    while len(out) < n:
        x += 7919
        if is_bsn(str(x)):
            out.append(str(x))
    return out


# ---------------------------------------------------------------------------
# BSN
# ---------------------------------------------------------------------------


def _bsn_file(order: str, bsn_header: str = "BSN") -> str:
    bsn = _bsns(3)
    rows = []
    for i, (b, nr) in enumerate(zip(bsn, ("1001", "1002", "1003"))):
        cells = {"bsn": b, "nr": nr}
        first, second = (cells["bsn"], cells["nr"]) if order == "bsn-first" else (cells["nr"], cells["bsn"])
        rows.append(f"{first};{second};6;Rekenen-Wiskunde 3.0;M6;22-01-2025;{220 + i}")
    head = f"{bsn_header};Leerlingnummer" if order == "bsn-first" else f"Leerlingnummer;{bsn_header}"
    return f"{head};Groep;Toets;Toetsmoment;Afnamedatum;Vaardigheidsscore\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize("order", ["bsn-first", "number-first"])
@pytest.mark.parametrize("bsn_header", ["BSN", "Nummer"])  # "Nummer": a BSN recognised by its content
def test_a_bsn_is_never_the_identity_and_never_stored(tmp_path, order, bsn_header):
    key_file = tmp_path / "sleutel.key"
    path = tmp_path / "bsn.csv"
    path.write_text(_bsn_file(order, bsn_header))
    ds = read_scores([path], key_file=key_file)
    expected = set(Pseudonymiser(key_file).numbers(pd.Series(["1001", "1002", "1003"])))
    assert set(ds.scores["pupil_id"].astype(str)) == expected
    stored = key_file.read_bytes()
    assert not any(b.encode() in stored for b in _bsns(3))
    notes = " ".join(ds.report.files[0].notes)
    assert f'kolom "{bsn_header}" bevat een burgerservicenummer (BSN): weggelaten bij het inlezen' in notes
    assert "dubbele kolommen" not in notes
    assert ds.report.files[0].rows_loaded == 3


def test_leerlingnummer_wins_over_another_number_column_whatever_the_order(tmp_path):
    text = "Stamnummer;Leerlingnummer;Groep;Toets;Toetsmoment;Afnamedatum;Vaardigheidsscore\n77;1001;6;Rekenen-Wiskunde 3.0;M6;22-01-2025;220\n"
    ds = _read(tmp_path, "stam.csv", text)
    assert list(ds.scores["pupil_id"].astype(str)) == [Pseudonymiser(secret=KEY).from_number("1001")]
    assert ds.report.files[0].notes[0] == (
        'dubbele kolommen genegeerd: "Stamnummer" (gebruikt: "Leerlingnummer"); regel: de bekendste kolomnaam gaat '
        "voor (Leerlingnummer voor Stamnummer), bij gelijke namen de eerste"
    )


def test_a_pupil_number_column_that_happens_to_have_nine_digits_stays_when_they_fail_the_elfproef(tmp_path):
    text = (
        HEADER
        + "\n"
        + "\n".join(f"{n};6;Rekenen-Wiskunde 3.0;M6;22-01-2025;220" for n in ("100000001", "100000002", "100000003"))
    )
    ds = _read(tmp_path, "negen.csv", text + "\n")
    assert ds.report.files[0].rows_loaded == 3 and "BSN" not in " ".join(ds.report.files[0].notes)


# ---------------------------------------------------------------------------
# scale from a generation column; Leerling in beeld's Normering is the moment
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Toetsgeneratie", "Generatie", "Versie", "Toetsversie"])
@pytest.mark.parametrize("notation", [("2.0", "3.0"), ("2", "3"), ("LOVS 2.0", "Cito 3.0")])
def test_a_generation_column_decides_the_scale_per_row(tmp_path, header, notation):
    old, new = notation
    text = (
        f"Leerlingnummer;Groep;Toets;{header};Toetsmoment;Afnamedatum;Vaardigheidsscore\n"
        f"1001;6;Rekenen-Wiskunde;{old};M6;22-01-2025;80\n"
        f"1002;7;Rekenen-Wiskunde;{old};M7;22-01-2025;95\n"
        f"1003;4;Rekenen-Wiskunde;{new};M4;22-01-2025;150\n"
    )
    ds = _read(tmp_path, "generatie.csv", text)
    s = ds.scores.set_index("source_row")
    assert list(s.loc[[2, 3, 4], "scale"]) == ["Cito 2.0", "Cito 2.0", "Cito 3.0"]
    assert not any(lr.NOTE_SCALE_ASSUMED in n for n in ds.report.files[0].notes)


def test_leerling_in_beeld_normering_is_the_moment_not_the_scale(tmp_path):
    text = (
        "Leerlingnummer;Toets;Normering;Afnamedatum;Vaardigheidsscore\n"
        "1001;Rekenen-Wiskunde;Medio groep 6;22-01-2025;220\n"
        "1002;Begrijpend lezen;Begin groep 7;02-10-2024;180\n"
        "1003;Spelling;Eind groep 5;02-06-2025;150\n"
    )
    ds = _read(tmp_path, "LiB_export.csv", text)
    s = ds.scores.set_index("source_row")
    assert list(s.loc[[2, 3, 4], "moment"]) == ["M6", "B7", "E5"]
    assert list(s.loc[[2, 3, 4], "test_level"]) == [6, 7, 5]
    assert not s["scale"].astype(str).str.contains("groep").any()


# ---------------------------------------------------------------------------
# subjects: a table of real test names, with the negative cases
# ---------------------------------------------------------------------------

TEST_NAMES = [
    ("Spelling niet-werkwoorden 3.0", "spelling"),
    ("Spelling Niet-Werkwoorden", "spelling"),
    ("Taalverzorging - Spelling niet-werkwoorden", "spelling"),
    ("Spelling 3.0 M5", "spelling"),
    ("Spelling werkwoorden", "spelling werkwoorden"),
    ("Spelling Werkwoorden 3.0", "spelling werkwoorden"),
    ("Werkwoordspelling", "spelling werkwoorden"),
    ("Taalverzorging - Werkwoorden", "spelling werkwoorden"),
    ("Taalverzorging - Leestekens", "leestekens"),
    ("Taalverzorging", "taalverzorging"),
    ("Begrijpend lezen 3.0", "begrijpend lezen"),
    ("Begrijpend Lezen", "begrijpend lezen"),
    ("IEP Lezen", "begrijpend lezen"),
    ("Rekenen-Wiskunde 3.0", "rekenen-wiskunde"),
    ("Rekenen-Wiskunde contextrijk", "rekenen-wiskunde"),
    ("Hoofdrekenen", "hoofdrekenen"),
    ("DMT kaart 1", "technisch lezen"),
    ("Drie-Minuten-Toets", "technisch lezen"),
    ("AVI", "technisch lezen"),
    ("Woordenschat 2.0", "woordenschat"),
    ("Diatekst", "begrijpend lezen"),
    # negative cases: no subject of ours
    ("Begrijpend luisteren", None),
    ("Studievaardigheden", None),
    ("Wereldoriëntatie", None),
    ("Sociaal-emotionele ontwikkeling", None),
    ("Engels", None),
    ("", None),
]


@pytest.mark.parametrize(("name", "subject"), TEST_NAMES)
def test_real_test_names_map_to_the_right_subject(name, subject):
    assert subject_of(name) == subject


def test_spelling_niet_werkwoorden_and_werkwoorden_are_two_subjects_and_both_load(tmp_path):
    text = (
        HEADER + "\n1001;6;Spelling niet-werkwoorden 3.0;M6;22-01-2025;300\n1001;6;Spelling werkwoorden 3.0;M6;22-01-2025;200\n"
    )
    ds = _read(tmp_path, "spelling.csv", text)
    assert sorted(ds.scores["subject"].astype(str)) == ["spelling", "spelling werkwoorden"]
    assert ds.report.files[0].rows_loaded == 2


# ---------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------


def test_a_date_column_headed_afgenomen_gives_date_and_school_year(tmp_path):
    text = "Leerlingnummer;Groep;Toets;Afgenomen;Vaardigheidsscore\n1001;6;Rekenen-Wiskunde 3.0;22-01-2025;220\n"
    ds = _read(tmp_path, "afgenomen.csv", text)
    row = ds.scores.iloc[0]
    assert row["date"] == pd.Timestamp("2025-01-22") and row["school_year"] == "2024-2025" and row["moment"] == "M6"


def test_a_date_column_is_recognised_by_its_content(tmp_path):
    text = "Leerlingnummer;Groep;Toets;Wanneer;Vaardigheidsscore\n" + "".join(
        f"{1001 + i};6;Rekenen-Wiskunde 3.0;{22 + i % 2} jan. 2025;{220 + i}\n" for i in range(6)
    )
    ds = _read(tmp_path, "wanneer.csv", text)
    assert set(ds.scores["date"]) == {pd.Timestamp("2025-01-22"), pd.Timestamp("2025-01-23")}
    assert 'kolom "Wanneer" bevat datums (herkend aan de inhoud): gelezen als afnamedatum' in ds.report.files[0].notes


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("22 jan. 2025", "2025-01-22"),
        ("3 feb. 2025", "2025-02-03"),
        ("21 mei 2025", "2025-05-21"),
        ("12 jun. 2024", "2024-06-12"),
        ("13 mrt. 2025", "2025-03-13"),
        ("13 maart 2025", "2025-03-13"),
        ("45679", "2025-01-22"),
        ("2025-01-22T09:30:00", "2025-01-22"),
        ("2024-09-02T00:00:00", "2024-09-02"),
    ],
)
def test_dates_in_every_notation_load(tmp_path, text, date):
    ds = _read(tmp_path, "datum.csv", f"{HEADER}\n1001;6;Rekenen-Wiskunde 3.0;M6;{text};220\n")
    assert ds.report.files[0].rows_loaded == 1
    assert ds.scores["date"].iloc[0] == pd.Timestamp(date)


# ---------------------------------------------------------------------------
# class from the groep column
# ---------------------------------------------------------------------------


def test_the_class_is_kept_from_the_groep_column(tmp_path):
    text = (
        HEADER + "\n1001;Groep 6a;Rekenen-Wiskunde 3.0;M6;22-01-2025;220\n1002;5b;Rekenen-Wiskunde 3.0;M5;22-01-2025;230\n"
        "1003;Gr. 8;Rekenen-Wiskunde 3.0;M8;22-01-2025;240\n"
    )
    ds = _read(tmp_path, "klassen.csv", text)
    s = ds.scores.set_index("source_row")
    assert list(s.loc[[2, 3, 4], "groep"]) == [6, 5, 8]
    assert list(s.loc[[2, 3], "class_name"]) == ["6A", "5B"] and pd.isna(s.loc[4, "class_name"])


# ---------------------------------------------------------------------------
# a hidden sheet; a quoted field over two lines (RFC 4180)
# ---------------------------------------------------------------------------


def test_a_hidden_sheet_is_skipped_and_said_not_refused(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Resultaten"
    ws.append(["Leerlingnummer", "Groep", "Toets", "Toetsmoment", "Afnamedatum", "Vaardigheidsscore"])
    ws.append(["1001", "6", "Rekenen-Wiskunde 3.0", "M6", dt.datetime(2025, 1, 22), 220])
    hidden = wb.create_sheet("Streefscores")
    hidden.append(["Groep", "Toets", "Vaardigheidsscore"])
    hidden.append(["6", "Rekenen-Wiskunde 3.0", 230])
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "met_streefscores.xlsx")
    ds = read_scores([tmp_path / "met_streefscores.xlsx"], secret=KEY)
    assert not ds.report.errors
    assert [f.source for f in ds.report.files] == ["met_streefscores.xlsx:Resultaten"]
    assert "blad Streefscores is verborgen in Excel: overgeslagen (niet ingelezen)" in ds.report.files[0].notes
    assert list(ds.scores["score"]) == [220]


def test_a_quoted_field_with_a_delimiter_and_a_line_break_reads(tmp_path):
    text = (
        HEADER + ";Opmerking\r\n"
        '1001;6;Rekenen-Wiskunde 3.0;M6;22-01-2025;220;"ziek geweest; ingehaald\r\nop 3 feb"\r\n'
        "1002;6;Rekenen-Wiskunde 3.0;M6;22-01-2025;230;\r\n"
    )
    ds = _read(tmp_path, "opmerking.csv", text)
    f = ds.report.files[0]
    assert (f.rows_read, f.rows_loaded) == (2, 2) and not f.error
    assert list(ds.scores.sort_values("source_row")["source_row"]) == [2, 4]


def test_a_header_whose_values_do_not_fit_its_role_is_said(tmp_path):
    text = (
        "Leerlingnummer;Jaar;Groep;Toets;Toetsmoment;Afnamedatum;Vaardigheidsscore\n"
        "1001;6;6;Rekenen-Wiskunde 3.0;M6;22-01-2025;220\n1002;7;7;Rekenen-Wiskunde 3.0;M7;22-01-2025;221\n"
    )
    ds = _read(tmp_path, "jaar.csv", text)
    assert (
        "kolom \"Jaar\" heet schooljaar, maar de meeste waarden passen daar niet bij (zoals '6'): controleer de kolom "
        "in 'Zo heeft plgdata je bestand gelezen' (notebook 00)"
    ) in ds.report.files[0].notes
    assert set(ds.scores["school_year"]) == {"2024-2025"}  # from the date, as the column says none


def test_one_sheet_per_moment_gives_each_result_its_sheet_s_moment_and_year(tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, score in (("M6 2024-2025", 220), ("E6 2024-2025", 231)):
        ws = wb.create_sheet(sheet)
        ws.append(["Leerlingnummer", "Groep", "Toets", "Vaardigheidsscore"])
        ws.append(["1001", "6", "Rekenen-Wiskunde 3.0", score])
    wb.save(tmp_path / "per_moment.xlsx")
    ds = read_scores([tmp_path / "per_moment.xlsx"], secret=KEY)
    got = ds.scores.set_index("moment")
    assert list(got.loc[["M6", "E6"], "score"]) == [220, 231] and set(got["school_year"]) == {"2024-2025"}
    assert "toetsmoment M6 gelezen uit de naam van het blad ('M6 2024-2025')" in ds.report.files[0].notes


def test_birth_dates_in_an_unknown_column_are_never_the_test_date(tmp_path):
    text = "Leerlingnummer;Groep;Toets;Geb;Vaardigheidsscore\n" + "".join(
        f"{1001 + i};6;Rekenen-Wiskunde 3.0;0{i + 1}-04-2015;{220 + i}\n" for i in range(6)
    )
    ds = _read(tmp_path, "geb.csv", text)
    assert ds.scores["date"].isna().all()
    assert not any("herkend aan de inhoud" in n for n in ds.report.files[0].notes)
