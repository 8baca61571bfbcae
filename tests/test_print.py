"""Reports on A4: each kind of report printed by Chromium has no element wider than the page.

One report of each kind (groepsoverzicht, trendanalyse, interventie-evaluatie,
cyclusrapport) on the sample school, opened in Debian's Chromium with print media: no
element may stick out beyond the printable width of A4 (210 mm minus the 15 mm margins of
``@page``).  Each report is also printed to PDF, and its first page is kept as a PNG in the
test's output folder for a person to look at.
"""

from __future__ import annotations

import os

import pytest
from identities import SAMPLE
from test_demo_reports import CHROMIUM, CHROMIUM_ARGS

from plgdata import workflow
from plgdata.reporting import render_report
from plgdata.reporting.jobs import cycle_report_jobs, data_report_jobs
from plgdata.reporting.kernel import KernelSession

#: printable width of A4 with 15 mm margins, in CSS pixels (96 per inch)
A4_PRINT_WIDTH = round((210 - 2 * 15) / 25.4 * 96)
A4_PAGE = {"width": round(210 / 25.4 * 96), "height": round(297 / 25.4 * 96)}

_TOO_WIDE = """(limit) => Array.from(document.querySelectorAll('main *'))
  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > limit + 1)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
       + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("print")
    werkmap = tmp / "werk"
    ds = workflow.load_into_workdir(SAMPLE, werkmap, interventions=SAMPLE / "interventies.xlsx", key_file=tmp / "k.key")
    name = dict(zip(ds.interventions["intervention_id"].astype(str), ds.interventions["name"].astype(str)))["INT-BL-6A"]
    jobs = data_report_jobs(werkmap, tmp / "rapporten", [6], [("INT-BL-6A", name)])
    jobs += cycle_report_jobs(
        werkmap, tmp / "rapporten", [(SAMPLE / "cyclus_begrijpend_lezen.yaml", "cyclusrapport", "Cyclusrapport")]
    )
    with KernelSession() as kernel:  # one kernel, in this process: no worker processes forked from the test runner
        return [render_report(job, session=kernel) for job in jobs]


def test_every_report_fits_a4_and_prints(reports, tmp_path):
    assert os.path.exists(CHROMIUM), "Chromium ontbreekt: installeer Debian's pakket 'chromium' (.ci/run doet dat)."
    from playwright.sync_api import sync_playwright

    assert sorted(p.name for p in reports) == [
        "cyclusrapport.html",
        "groepsoverzicht_groep6.html",
        "interventie_INT-BL-6A.html",
        "trendanalyse.html",
    ]
    too_wide = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": A4_PRINT_WIDTH, "height": A4_PAGE["height"]})
            page.emulate_media(media="print")
            for p in reports:
                page.goto(p.as_uri())
                page.wait_for_load_state("load")
                wide = page.evaluate(_TOO_WIDE, A4_PRINT_WIDTH)
                if wide:
                    too_wide[p.name] = wide[:5]
                pdf = tmp_path / f"{p.stem}.pdf"
                page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
                data = pdf.read_bytes()
                assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 1
                page.set_viewport_size(A4_PAGE)
                shot = tmp_path / f"{p.stem}_pagina1.png"
                page.screenshot(path=str(shot))  # the first A4 page, for a person to look at
                assert shot.stat().st_size > 20_000
                page.set_viewport_size({"width": A4_PRINT_WIDTH, "height": A4_PAGE["height"]})
        finally:
            browser.close()
    assert too_wide == {}
