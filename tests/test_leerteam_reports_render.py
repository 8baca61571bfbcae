"""The Lesson Study report, the jaaroverzicht and the opbrengstenrapport rendered on small data:
offline, Dutch, escaped, without pupil names or numbers, with an Excel file beside each."""

from __future__ import annotations

import pytest
from test_lessonstudy_record import full_lesson_study, full_year_plan
from test_reports_content import small_dataset

from plgdata import cycle as cy
from plgdata.io.plgscan import fill_plg_scan, write_plg_scan_template
from plgdata.reporting import render_report
from plgdata.reporting.jobs import leerteam_report_jobs
from plgdata.reporting.kernel import KernelSession
from plgdata.reporting.privacy import check_html


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("leerteams")
    werkmap = small_dataset().save(tmp / "werkmap")
    ls = full_lesson_study()
    ls.leerteam = "Taal"
    plan = full_year_plan()
    plan.leerteam = "Taal"
    plan.year_plan.periods[1]["focusvak"] = "begrijpend lezen"
    plan.year_plan.cycles[0]["bestand"] = "ls.yaml"
    records = [cy.save_cycle(ls, tmp / "ls.yaml"), cy.save_cycle(plan, tmp / "jaarplan.yaml")]
    scan = write_plg_scan_template(tmp / "plgscan.xlsx")
    rows = [("2025-2026", team, f"R{i}", *([3] * 9)) for team, n in (("Taal", 6), ("Rekenen", 4)) for i in range(n)]
    fill_plg_scan(scan, rows)
    sw = tmp / "sw.csv"
    sw.write_text("schoolweging;vak;signaleringswaarde_2f_1s\n30;rekenen-wiskunde;40%\n", encoding="utf-8")
    jobs = leerteam_report_jobs(werkmap, tmp / "out", records, signaleringswaarden=sw, plgscan=scan)
    with KernelSession() as k:
        return {j.out_html.stem: (j, render_report(j, session=k).read_text(encoding="utf-8")) for j in jobs}


def _check(job, html):
    assert '<html lang="nl">' in html and "<script" not in html.lower() and "http" not in html
    assert check_html(html, numbers={"104512"}, names={"Zoë de Vries"}) == []
    assert "Kernboodschap" in html and "Traceback" not in html and "import " not in html
    assert job.out_html.with_suffix(".xlsx").exists()


def test_jobs_by_method(rendered):
    assert sorted(rendered) == ["jaaroverzicht_leerteams", "lessonstudy_ls", "opbrengstenrapport"]


def test_lesson_study_report(rendered):
    job, html = rendered["lessonstudy_ls"]
    _check(job, html)
    assert (
        "In de onderzoeksles klopte de voorspelling van het team bij 33% van de waarnemingen, in de herziene les bij 100%."
        in html
    )
    assert "&lt;b&gt;Moeilijk&lt;/b&gt;" in html  # typed text escaped
    assert "L-00000000a1" not in html  # case pupils by letter, never by pseudonym
    assert "Samen oefenen toegevoegd." in html and "Eerst samen een strook." in html
    assert 'alt="Liggende staven per les' in html
    assert '<h2 id="Casusleerlingen">' in html
    assert "Het team deed geen eigen meting; de Lesson Study zegt daarom niets over leerwinst." in html


def test_jaaroverzicht(rendered):
    job, html = rendered["jaaroverzicht_leerteams"]
    _check(job, html)
    assert "Taal: focus op rekenen-wiskunde, begrijpend lezen; 1 van 1 cycli afgerond; 3 van 3 gesprekken gevoerd." in html
    assert "Uitkomst evaluatiegesprek" in html


def test_opbrengstenrapport(rendered):
    job, html = rendered["opbrengstenrapport"]
    _check(job, html)
    assert "Wat doen we als ze het niet leren?" in html and "Wat kunnen we wel en niet concluderen?" in html
    assert "Leesclub 6B &lt;b&gt;" in html and "te weinig leerlingen" in html
    # the PLG-scan: one leerteam shown; the leerteam with 4 respondents only as a note
    assert html.count('alt="Gemiddelde score per bouwsteen') == 1 and "voor Taal, per schooljaar" in html
    assert "Rekenen (2025-2026): minder dan 5 leerkrachten vulden de scan in; niet getoond." in html
    assert "PLG-scan: Rekenen" not in html
