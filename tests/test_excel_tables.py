"""Excel a person can read (issue 21 item 7, issue 19 High 8).

Shares as percentages, one or two decimals, columns wide enough, the header row frozen, every
table on a sheet of its own with its full name on the contents sheet, and one column spec for the
HTML table and the Excel sheet.  The workbooks are opened with openpyxl and read back.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from plgdata.reporting.excel import CONTENTS_SHEET, SHEET_NAME_MAX, ReportTables, sheet_names


def _levels() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Vak": ["Rekenen-wiskunde", "Spelling"],
            "n": [47, 3],
            "Aandeel I–III": [0.5531914893617021, 0.6],
            "Aandeel IV–V": [0.4468085106382979, 0.4],
        }
    )


def _growth() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Vak": ["Begrijpend lezen"],
            "Aantal leerlingen": [48],
            "Gemiddelde leerwinst": [11.714285],
            "Gemiddelde groei in z": [0.19284],
        }
    )


def _workbook(tmp_path, tables: ReportTables):
    path = tables.write()
    assert path is not None
    return openpyxl.load_workbook(path)


def test_shares_are_percentages_numbers_have_their_decimals_and_the_header_is_frozen(tmp_path):
    tables = ReportTables(tmp_path / "groepsoverzicht.xlsx", min_n=5)
    tables.table("Niveaus", _levels(), "Niveaus", percent=["Aandeel I–III", "Aandeel IV–V"])
    tables.table("Groei", _growth(), "Groei", decimals={"Gemiddelde groei in z": 2}, n_col="Aantal leerlingen")
    wb = _workbook(tmp_path, tables)
    assert wb.sheetnames == ["Niveaus", "Groei"]  # one sheet per table, under its own name
    ws = wb["Niveaus"]
    assert [c.value for c in ws[1]] == ["Vak", "Aantal leerlingen", "Aandeel I–III", "Aandeel IV–V"]
    assert ws["C2"].value == 0.5531914893617021 and ws["C2"].number_format == "0%"  # a number, shown as 55%
    assert ws["B2"].number_format == "0"
    assert ws["B3"].value == "< 5" and ws["C3"].value is None  # a small group suppressed as in the HTML
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    assert ws.column_dimensions["A"].width >= len("Rekenen-wiskunde")
    g = wb["Groei"]
    assert g["C2"].number_format == "0.0" and g["D2"].number_format == "0.00"
    assert g.freeze_panes == "A2"


def test_one_spec_for_the_html_table_and_the_sheet(tmp_path):
    tables = ReportTables(tmp_path / "r.xlsx")
    html = tables.table("Groei", _growth(), "Groei", decimals={"Gemiddelde groei in z": 2}, n_col=None).data
    assert ">11,7<" in html and ">0,19<" in html
    html = tables.table("Niveaus", _levels(), "Niveaus", percent=["Aandeel I–III"], n_col=None).data
    assert ">55%<" in html and ">45%<" in html  # a share column is a percentage even when not named
    wb = _workbook(tmp_path, tables)
    assert wb["Niveaus"]["C2"].number_format == "0%" and wb["Niveaus"]["D2"].number_format == "0%"
    assert wb["Groei"]["D2"].number_format == "0.00"


def test_long_leerteam_names_keep_every_table_on_a_sheet_of_its_own(tmp_path):
    """Issue 19 High 8: the jaaroverzicht names its tables '<leerteam> <table>'; with a leerteam name
    of 31+ characters the four names agreed after cutting to 31 and one sheet was left."""
    team = "Leerteam Rekenen-wiskunde onderbouw en middenbouw"
    tables = ReportTables(tmp_path / "jaaroverzicht.xlsx")
    parts = ("perioden", "cycli", "bijeenkomsten", "gesprekken")
    for i, naam in enumerate(parts):
        tables.table(f"{team} {naam}", pd.DataFrame({"Wat": [naam] * (i + 1)}), naam, n_col=None)
    wb = _workbook(tmp_path, tables)
    assert len(wb.sheetnames) == len(tables.tables) + 1 == len(parts) + 1  # every table, and the contents sheet
    assert wb.sheetnames[0] == CONTENTS_SHEET  # names were shortened: the full ones are on the first sheet
    assert all(len(s) <= SHEET_NAME_MAX for s in wb.sheetnames)
    for sheet, naam, i in zip(wb.sheetnames[1:], parts, range(4)):
        assert [r[0] for r in wb[sheet].iter_rows(min_row=2, values_only=True)] == [naam] * (i + 1)
    contents = list(wb[CONTENTS_SHEET].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in contents] == [f"{team} {naam}" for naam in parts]  # the full names
    assert [row[1] for row in contents] == wb.sheetnames[1:]


def test_the_same_name_twice_gets_two_sheets(tmp_path):
    tables = ReportTables(tmp_path / "r.xlsx")
    tables.add("Groei", _growth())
    tables.add("Groei", _growth())
    wb = _workbook(tmp_path, tables)
    assert wb.sheetnames == ["Groei", "Groei (2)"]  # every name whole: no contents sheet, one sheet per table


_FORBIDDEN = set("[]:*?/\\")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=12))
def test_sheet_names_are_valid_and_unique_by_construction(names):
    out = sheet_names(names)
    assert len(out) == len(names)
    assert len({s.casefold() for s in out} | {CONTENTS_SHEET.casefold()}) == len(out) + 1
    for s in out:
        assert 1 <= len(s) <= SHEET_NAME_MAX
        assert not (_FORBIDDEN & set(s)) and not s.startswith("'") and not s.endswith("'")
