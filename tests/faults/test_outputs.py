"""Promises about what plgdata writes: spreadsheets run no formulas, file names never collide."""

from __future__ import annotations

import openpyxl
import pandas as pd

from plgdata.reporting.excel import ReportTables
from plgdata.reporting.jobs import data_report_jobs


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    texts = ['=HYPERLINK("http://x.example","klik")', "+1+2", "-3", "@SUM(A1)", "gewone tekst"]
    tables = ReportTables(tmp_path / "cyclusrapport.xlsx")
    tables.add("Maatregelen", pd.DataFrame({"Beschrijving": texts}))
    tables.write()
    ws = openpyxl.load_workbook(tmp_path / "cyclusrapport.xlsx")["Maatregelen"]
    cells = [c for c in ws["A"][1:]]
    assert [c.value for c in cells] == texts
    assert all(c.data_type == "s" for c in cells)


def test_intervention_ids_that_differ_only_in_punctuation_or_case_get_their_own_file(tmp_path):
    ids = [("A/B", "een"), ("A B", "twee"), ("a_b", "drie"), ("A_B", "vier")]
    jobs = [j for j in data_report_jobs(tmp_path, tmp_path, [], ids) if j.kind == "Interventie-evaluaties"]
    names = [j.out_html.name.lower() for j in jobs]
    assert len(set(names)) == 4
    assert len({j.out_html.with_suffix(".xlsx").name.lower() for j in jobs}) == 4
