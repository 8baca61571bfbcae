"""`plgdata demo`: the whole sample cycle and every report, checked as a teammeeting
would get them — offline, Dutch, no pupil data — and opened in a real browser."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from identities import SAMPLE, leaks

from plgdata.demo import run_demo
from plgdata.reporting import ReportJob, render_report
from plgdata.reporting.privacy import check_files

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPORT_DIR = Path(__file__).resolve().parent.parent / "notebooks" / "rapporten"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    key = tmp / "sleutel.key"
    result = run_demo(SAMPLE, tmp / "rapporten", key_file=key)
    return result, key


def test_no_pupil_level_data_in_the_reports_folder(demo):
    """reports/.werk/gegevens/*.parquet held every pupil's scores inside the folder a team shares
    (issue 19, Medium): the working data now lives outside it, and the demo says where."""
    result, _ = demo
    assert not list(result.out_dir.rglob("*.parquet")) and not (result.out_dir / ".werk").exists()
    assert result.out_dir not in result.work_dir.parents
    assert list((result.work_dir / "gegevens").glob("*.parquet"))
    assert f"Werkgegevens (leerlinggegevens en de cyclus; niet delen): {result.work_dir}" in result.to_text()


def html_files(result):
    return [p for p in result.reports] + [result.index]


def test_demo_writes_every_report_an_index_and_excel(demo):
    result, _ = demo
    names = sorted(p.name for p in result.reports)
    assert len(names) == 16
    assert {f"groepsoverzicht_groep{g}.html" for g in range(3, 9)} <= set(names)
    assert {
        "trendanalyse.html",
        "interventie_INT-BL-6A.html",
        "interventie_INT-RW-RT4.html",
        "interventie_INT-SP-SCHOOL.html",
        "interventie_INT-TL-MB.html",
        "cyclusrapport_begrijpend_lezen.html",
        "cyclusrapport_rt_rekenen.html",
        "lessonstudy_rekenen_groep5.html",
        "jaaroverzicht_leerteams.html",
        "opbrengstenrapport.html",
    } <= set(names)
    index = result.index.read_text(encoding="utf-8")
    for p in result.reports:
        assert f'href="{p.name}"' in index
        assert p.with_suffix(".xlsx").exists(), f"{p.name} heeft geen Excel-bestand"
    assert result.load_report["rows_read"] == result.load_report["rows_loaded"] + result.load_report["rows_set_aside"]
    assert [s for _, s in result.steps] == ["klaar"] * 8


def test_reports_are_offline_dutch_and_without_code(demo):
    result, key = demo
    for p in html_files(result):
        html = p.read_text(encoding="utf-8")
        assert '<html lang="nl">' in html, p.name
        assert "<script" not in html.lower(), p.name
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html), p.name
        assert "Traceback" not in html and "Error" not in html, p.name
        assert "@page" in html and "A4" in html, p.name  # print CSS for A4
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        assert not re.search(r"L-[0-9a-f]{10}", title), p.name
    assert check_files(html_files(result), key_file=key) == []


def test_reports_and_excel_hold_no_names_or_pupil_numbers(demo):
    from openpyxl import load_workbook

    result, _ = demo
    for p in html_files(result):
        html = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", p.read_text(encoding="utf-8"))
        assert leaks(html) == [], p.name
    for p in result.reports:
        wb = load_workbook(p.with_suffix(".xlsx"), read_only=True)
        text = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
        assert leaks(text) == [], p.with_suffix(".xlsx").name


def test_kernboodschap_first_and_honest_verdicts(demo):
    result, _ = demo
    six_a = (result.out_dir / "interventie_INT-BL-6A.html").read_text(encoding="utf-8")
    rt = (result.out_dir / "interventie_INT-RW-RT4.html").read_text(encoding="utf-8")
    assert six_a.index("Kernboodschap") < six_a.index("<img")
    # one class against one class: described, never "werkt" (issue 17 item 2)
    assert "Niet te scheiden: er is 1 klas met de interventie en 1 vergelijkingsklas." in six_a
    assert "werkt waarschijnlijk" not in six_a
    assert "regressie naar het gemiddelde" in rt and "werkt waarschijnlijk" not in rt


def test_plots_have_dutch_alt_text(demo):
    result, _ = demo
    for p in result.reports:
        for alt in re.findall(r'<img [^>]*alt="([^"]*)"', p.read_text(encoding="utf-8")):
            assert len(alt) > 15 and "No description" not in alt, p.name


def test_script_typed_into_the_cycle_record_shows_as_text(demo, tmp_path):
    from plgdata.cycle import load_cycle, save_cycle

    result, _ = demo
    c = load_cycle(result.work_dir / "cyclus_begrijpend_lezen.yaml")
    c.problem.statement = "<script>alert('hallo')</script> & 45% scoort <IV>"
    save_cycle(c, tmp_path / "cyclus.yaml")
    out = render_report(
        ReportJob(
            REPORT_DIR / "cyclusrapport.ipynb",
            tmp_path / "c.html",
            "Cyclusrapport",
            {"werkmap": str(result.work_dir / "gegevens"), "cyclusbestand": str(tmp_path / "cyclus.yaml")},
        )
    )
    html = out.read_text(encoding="utf-8")
    shown = html.replace("&#x27;", "'").replace("&#39;", "'")
    assert "&lt;script&gt;alert('hallo')&lt;/script&gt; &amp; 45% scoort &lt;IV&gt;" in shown
    assert "<script" not in html


def test_small_groups_are_suppressed(demo, tmp_path):
    result, _ = demo
    out = render_report(
        ReportJob(
            REPORT_DIR / "groepsoverzicht.ipynb",
            tmp_path / "g.html",
            "Groepsoverzicht",
            {"werkmap": str(result.work_dir / "gegevens"), "groep": 6, "min_n": 60},
        )
    )
    html = out.read_text(encoding="utf-8")
    assert "minder dan 60 leerlingen" in html


def test_every_report_in_a_real_browser_makes_no_network_request(demo, tmp_path):
    """Headless Chromium (Debian's package) opens each report from disk."""
    assert os.path.exists(CHROMIUM), "Chromium ontbreekt: installeer Debian's pakket 'chromium' (.ci/run doet dat)."
    from playwright.sync_api import sync_playwright

    result, _ = demo
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for p in html_files(result):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                requests, errors = [], []
                page.on("request", lambda r, requests=requests: requests.append(r.url))
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto(p.as_uri())
                page.wait_for_load_state("networkidle")
                external = [u for u in requests if not u.startswith(("file://", "data:"))]
                assert external == [], f"{p.name}: {external}"
                assert errors == [], f"{p.name}: {errors}"
                assert page.evaluate("document.documentElement.lang") == "nl"
                # on a projector (1280 px) nothing runs off the screen: no horizontal scrolling
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{p.name} is {overflow} px breder dan het scherm"
                imgs = page.evaluate("Array.from(document.images).map(i => [i.naturalWidth, i.naturalHeight])")
                assert all(w > 100 and h > 100 for w, h in imgs), p.name
                if p.name == "interventie_INT-BL-6A.html":
                    assert len(imgs) >= 1
                    shot = tmp_path / "interventie.png"
                    page.screenshot(path=str(shot), full_page=True)
                    assert shot.stat().st_size > 50_000  # the page with its plots, not an empty page
                page.close()
        finally:
            browser.close()


def test_opbrengstenrapport_repeats_the_other_reports_verdicts_and_hides_small_plg_scan_teams(demo):
    result, _ = demo
    op = (result.out_dir / "opbrengstenrapport.html").read_text(encoding="utf-8")
    for iid in ("INT-BL-6A", "INT-RW-RT4", "INT-SP-SCHOOL", "INT-TL-MB"):
        own = (result.out_dir / f"interventie_{iid}.html").read_text(encoding="utf-8")
        verdict = re.search(r"Kernboodschap</h2>\s*<p>(.*?)</p>", own, re.DOTALL).group(1)
        assert verdict in op, iid  # the interventie-evaluatie's own first sentence, word for word
    assert "Leerteam Rekenen onderbouw (2024-2025): minder dan 5 leerkrachten vulden de scan in; niet getoond." in op
    ls = (result.out_dir / "lessonstudy_rekenen_groep5.html").read_text(encoding="utf-8")
    assert "in de herziene les bij 87%" in ls and not re.search(r"L-[0-9a-f]{10}", ls)
    assert "Toets verhaaltjessommen (10 punten) voor en na de lessen, 5A tegenover 5B" in ls
