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


def test_a_second_run_into_the_same_folder_is_refused_before_it_changes_anything(tmp_path):
    """Two runs into one folder at once: the second is refused at once, in Dutch, and the
    folder keeps what the first run has written so far (issue 11, item 5)."""
    from plgdata.reporting.jobs import work_dir
    from plgdata.reporting.lock import output_folder_lock

    from .helpers import run_cli

    out = tmp_path / "rapporten"
    out.mkdir()
    (work_dir(out) / "gegevens").mkdir(parents=True)
    (work_dir(out) / "gegevens" / "scores.parquet").write_bytes(b"van de eerste run")
    (out / "trendanalyse.html").write_text("<p>eerste run</p>", encoding="utf-8")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    with output_folder_lock(out):  # the first run is still busy
        code, stdout, err = run_cli("demo", "--out", out)
        code_r, _, err_r = run_cli("rapport", tmp_path / "bestaat-niet.csv", "--out", out)
    assert code == 1 and code_r == 1
    assert "schrijft al een andere plgdata-opdracht" in err and "niets in de map veranderd" in err
    assert "schrijft al een andere plgdata-opdracht" in err_r
    assert "Traceback" not in err + stdout
    after = sorted(p.relative_to(out) for p in out.rglob("*") if p.name != ".plgdata-bezig.lock")
    assert after == before
    assert (work_dir(out) / "gegevens" / "scores.parquet").read_bytes() == b"van de eerste run"


def test_the_folder_lock_is_free_again_when_a_run_ends(tmp_path):
    """The lock goes with the run: after it (also after an error inside it) the next run may start."""
    import pytest

    from plgdata.reporting.lock import FolderBusy, output_folder_lock

    with pytest.raises(RuntimeError), output_folder_lock(tmp_path):
        with pytest.raises(FolderBusy):
            with output_folder_lock(tmp_path):
                pass
        raise RuntimeError("de eerste run stopt met een fout")
    with output_folder_lock(tmp_path):
        pass


def test_a_right_to_left_override_never_reaches_a_report():
    """A pasted U+202E (right-to-left override) would silently reverse text in a report; every
    piece of user text in a report goes through one escape that drops such controls."""
    from plgdata.reporting import html as rh

    typed = "Maatregel \u202eM1 tset\u202c en <b>vet</b>"
    table = pd.DataFrame({"maatregel": [typed], "n": [12]})
    for block in (rh.paragraph(typed), rh.table(table), rh.bullet_list([typed]), rh.heading(typed)):
        markup = block.data if hasattr(block, "data") else str(block)
        assert "\u202e" not in markup and "\u202c" not in markup
        assert "&lt;b&gt;vet&lt;/b&gt;" in markup and "M1 tset" in markup


def test_two_cycle_records_with_the_same_file_name_each_get_their_own_report(tmp_path):
    """Two leerteams each keep a 'cyclus.yaml' in their own folder: both get a cyclusrapport
    (one once overwrote the other while the run said all reports were made)."""
    import shutil

    from plgdata.reporting.jobs import cycle_report_jobs, leerteam_report_jobs

    from .helpers import SAMPLE

    records = []
    for team, sample in (("a", "cyclus_begrijpend_lezen.yaml"), ("b", "lessonstudy_rekenen_groep5.yaml")):
        for name in ("cyclus.yaml", "Cyclus.yaml"):  # the second differs only in case
            (tmp_path / team).mkdir(exist_ok=True)
            records.append(shutil.copyfile(SAMPLE / sample, tmp_path / team / name))
    cycles = [(p, f"cyclusrapport_{p.stem}", p.stem) for p in records[:2]] + [(records[0], "cyclusrapport_cyclus", "x")]
    jobs = cycle_report_jobs(tmp_path, tmp_path, cycles) + leerteam_report_jobs(tmp_path, tmp_path, records[2:])
    names = [j.out_html.name.lower() for j in jobs]
    assert len(names) == len(set(names)) == 2 + 2 + 1  # the file given twice is one report


def test_an_output_folder_that_is_a_file_is_refused_in_dutch_and_left_alone(tmp_path):
    from .helpers import CITO, run_cli

    out = tmp_path / "rapporten"
    out.write_text("mijn aantekeningen", encoding="utf-8")
    code, stdout, err = run_cli("rapport", CITO, "--sleutel", tmp_path / "k.key", "--out", out)
    assert code == 1 and "is een bestand, geen map" in err
    assert "FileExistsError" not in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "mijn aantekeningen"


def test_the_working_data_of_a_reports_folder_lives_outside_it(tmp_path, monkeypatch):
    """Pupil-level tables must not sit in the folder a team shares (issue 19, Medium)."""
    from plgdata.reporting.jobs import WORK_ENV, remove_old_work_dir, work_dir

    monkeypatch.setenv(WORK_ENV, str(tmp_path / "eigen"))
    out = tmp_path / "gedeeld" / "reports"
    assert work_dir(out).parent == tmp_path / "eigen" and out not in work_dir(out).parents
    assert work_dir(out) == work_dir(tmp_path / "gedeeld" / "." / "reports")  # the same folder, the same work
    assert work_dir(out) != work_dir(tmp_path / "ander" / "reports")  # two folders never share one
    (out / ".werk" / "gegevens").mkdir(parents=True)
    (out / ".werk" / "gegevens" / "scores.parquet").write_bytes(b"oude leerlinggegevens")
    assert remove_old_work_dir(out) and not (out / ".werk").exists()
