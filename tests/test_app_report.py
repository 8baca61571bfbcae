"""*Maak het rapport* in the app (issue 21 item 1): the cyclusrapport made and opened from step 8.

In Chromium: a click on step 8 writes the cyclusrapport into the app's reports folder (its HTML holds
the Kernboodschap and passes the privacy check; no working data lands there), the page says so in
Dutch, and *Open het rapport* opens the local file in this computer's browser (a recorder stands in
for the browser).  Without a browser: a reports folder inside the werkmap, a broken record and a busy
folder each give their Dutch reason beside the button.
"""

from __future__ import annotations

import json
import os
import stat

from appserver import RECORD, school_copy, start
from identities import SAMPLE
from test_app_pages import browser  # noqa: F401 - the module's Chromium fixture

from plgdata.app import AppPaths, free_port, prepare_pages
from plgdata.app_report import ReportButton
from plgdata.reporting.lock import output_folder_lock
from plgdata.reporting.privacy import check_html


def test_step_8_makes_the_cycle_report_and_opens_it(tmp_path, browser):  # noqa: F811
    data = school_copy(tmp_path)
    reports = tmp_path / "gedeeld" / "reports"
    opened = tmp_path / "geopend.txt"
    recorder = tmp_path / "browser.sh"
    recorder.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n', encoding="utf-8")
    recorder.chmod(recorder.stat().st_mode | stat.S_IXUSR)
    run = start(tmp_path, data, free_port(), "--rapporten", str(reports), env={"BROWSER": str(recorder)})
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(run.page("08_evaluatie.ipynb"), timeout=180_000)
        page.wait_for_selector("#loading", state="detached", timeout=180_000)
        text = page.locator("#rendered_cells").inner_text()
        assert "Maak onderaan deze pagina met Maak het rapport" in text and "plgdata rapport" not in text
        page.get_by_role("button", name="Maak het rapport").click(timeout=120_000)
        page.get_by_text("Klaar: het cyclusrapport staat in").wait_for(timeout=300_000)
        page.locator(".plg-rapport").screenshot(path=str(tmp_path / "stap8_rapport.png"))
        made = reports / f"cyclusrapport_{data.joinpath(RECORD).stem}.html"
        assert made.exists(), sorted(os.listdir(reports))
        html = made.read_text(encoding="utf-8")
        assert "Kernboodschap" in html and check_html(html) == []
        assert not any(p.suffix == ".parquet" for p in reports.rglob("*"))  # working data stays outside
        page.get_by_role("button", name="Open het rapport").click()
        page.get_by_text("Het rapport is geopend in je browser").wait_for(timeout=30_000)
        assert opened.read_text(encoding="utf-8").split() == [made.resolve().as_uri()]
    finally:
        page.close()
        run.stop()


def test_the_last_pages_and_the_start_page_offer_the_report_and_no_other_page_does(tmp_path):
    paths = AppPaths(SAMPLE, None, tmp_path / "werk", SAMPLE / RECORD, reports=tmp_path / "reports")
    offered = set()
    for nb in prepare_pages(tmp_path / "paginas", paths):
        sources = ["".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]]
        if any("app_report import report_button" in s for s in sources):
            offered.add(nb.name)
            assert any(repr(str(tmp_path / "reports")) in s for s in sources)  # the app's reports folder
    assert offered == {"start.ipynb", "08_evaluatie.ipynb", "actieonderzoek.ipynb"}


def _run(record, reports, werkmap) -> str:
    button = ReportButton(record, reports, werkmap)
    button.run()
    return button.status.value


def test_a_reports_folder_inside_the_werkmap_is_refused_in_dutch(tmp_path):
    werkmap = tmp_path / "werk"
    said = _run(tmp_path / "cyclus.yaml", werkmap / "reports", werkmap)
    assert "Het rapport is niet gemaakt: De rapportenmap" in said and "werkmap met leerlinggegevens" in said
    assert not (werkmap / "reports").exists()


def test_a_broken_record_names_its_dutch_reason(tmp_path):
    record = tmp_path / "cyclus.yaml"
    record.write_text("titel: [onaf\n", encoding="utf-8")
    said = _run(record, tmp_path / "reports", tmp_path / "werk")
    assert said.startswith('<p class="plg-rapport-melding plg-fout">Het rapport is niet gemaakt: ')
    assert "Traceback" not in said and "Error" not in said


def test_a_folder_another_run_writes_into_is_named(tmp_path):
    record = school_copy(tmp_path) / RECORD
    with output_folder_lock(tmp_path / "reports"):
        said = _run(record, tmp_path / "reports", tmp_path / "werk")
    assert "schrijft nu een andere plgdata-opdracht" in said


def test_a_report_that_fails_its_privacy_check_names_the_reason_and_leaves_no_file(tmp_path, monkeypatch):
    from plgdata.reporting import render

    record = school_copy(tmp_path) / RECORD
    export = render._export_html
    monkeypatch.setattr(render, "_export_html", lambda *a: export(*a).replace("</body>", "<script>x()</script></body>"))
    said = _run(record, tmp_path / "reports", tmp_path / "werk")
    assert "Het rapport is niet gemaakt: Het rapport &#x27;Cyclusrapport: " in said
    assert "de privacycontrole vond: 1 script-element(en) in het rapport" in said
    assert [p.name for p in (tmp_path / "reports").iterdir() if not p.name.startswith(".")] == []
