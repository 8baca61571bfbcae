"""`plgdata app` in a real browser: a team adds a hypothesis through the form, on a copy of the sample.

One test on purpose (a browser and a Voilà server are slow): it starts the command, opens
the hypotheses page in Debian's Chromium, types a malformed threshold (the Dutch message
appears next to the field and the record is untouched), corrects it, saves, and reads the
YAML record back.  Every request the page makes must go to the app on this computer.
"""

from __future__ import annotations

import os

import pytest
import yaml
from appserver import RECORD, school_copy, start
from test_demo_reports import CHROMIUM, CHROMIUM_ARGS

from plgdata.app import free_port


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    data = school_copy(tmp)
    run = start(tmp, data, free_port())
    try:
        yield run, data / RECORD
    finally:
        run.stop()


def _new_hypothesis_form(page):
    """The form that adds a hypothesis (page 02 also has the form that corrects one)."""
    return page.locator(".plg-form", has_text="Een nieuwe hypothese")


def _fill_new_hypothesis(page, threshold: str) -> None:
    page = _new_hypothesis_form(page)
    page.locator(".plg-veld-soort select").select_option(label="verkennend")
    page.locator(".plg-veld-stelling textarea").fill("Jongens scoren minstens 0,3 sd lager dan meisjes <op begrijpend lezen>.")
    page.locator(".plg-veld-analyse select").select_option(label="groepsverschil: verschillen twee groepen leerlingen in score?")
    page.locator(".plg-veld-vak select").select_option(label="Begrijpend lezen")
    page.locator(".plg-veld-periode select").select_option(label="M (midden)")
    page.locator(".plg-veld-schooljaar select").select_option(label="2025-2026")
    page.locator(".plg-veld-groepen select").select_option(label=["groep 5", "groep 6"])
    page.locator(".plg-veld-kenmerk select").select_option(label="geslacht")
    page.locator(".plg-veld-a select").select_option(label="jongens")
    page.locator(".plg-veld-b select").select_option(label="meisjes")
    page.locator(".plg-veld-richting select").select_option(label="kleiner (groep A lager of minder vaak)")
    page.locator(".plg-veld-drempel input").fill(threshold)
    page.locator(".plg-veld-beslisregel textarea").fill("Bevestigd bij minstens 0,3 sd verschil met een BI zonder 0.")


def test_team_adds_a_hypothesis_in_the_app_and_a_bad_threshold_is_refused(app, tmp_path):
    assert os.path.exists(CHROMIUM), "Chromium ontbreekt: installeer Debian's pakket 'chromium' (.ci/run doet dat)."
    from playwright.sync_api import expect, sync_playwright

    run, record = app
    before = record.read_bytes()
    local = (f"http://127.0.0.1:{run.port}/", f"ws://127.0.0.1:{run.port}/", "data:", "blob:")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(run.page("02_hypothesen.ipynb"), timeout=120_000)
            expect(_new_hypothesis_form(page).locator(".plg-veld-id input")).to_have_value("H5", timeout=120_000)
            assert page.evaluate("document.documentElement.lang") == "nl"
            assert page.locator(".jp-InputArea-editor").count() == 0  # no code on the page
            _fill_new_hypothesis(page, "0,3x")
            form = _new_hypothesis_form(page)
            form.locator(".plg-opslaan").click()
            message = form.locator(".plg-veld-drempel .plg-fout")
            expect(message).to_contain_text("Drempel: '0,3x' is geen getal", timeout=20_000)
            expect(form.locator(".plg-status")).to_contain_text("Niet opgeslagen")
            assert record.read_bytes() == before  # nothing written
            page.screenshot(path=str(tmp_path / "hypothese_fout.png"))

            form.locator(".plg-veld-drempel input").fill("0,3")
            form.locator(".plg-opslaan").click()
            expect(form.locator(".plg-status")).to_contain_text("Opgeslagen in het cyclusverslag", timeout=30_000)
            # after saving: the way on, and the bar's status redrawn at once
            expect(form.locator(".plg-volgende-stap")).to_contain_text("Volgende stap: Stap 3")
            expect(message).to_have_text("")
            assert "Traceback" not in page.content()
            external = [u for u in requests if not u.startswith(local)]
            assert external == []
            assert len(requests) > 10  # the page's own scripts and styles did come from the app
        finally:
            browser.close()
    saved = yaml.safe_load(record.read_text(encoding="utf-8"))
    hyps = {h["id"]: h for h in saved["stappen"]["2_hypothesen"]["hypothesen"]}
    assert list(hyps) == ["H1", "H2", "H3", "H4", "H5"]
    h5 = hyps["H5"]
    assert h5["soort"] == "verkennend" and h5["stelling"].endswith("<op begrijpend lezen>.")
    assert h5["analyse"] == {
        "soort": "groepsverschil",
        "parameters": {
            "vak": "begrijpend lezen",
            "periode": "M",
            "schooljaar": "2025-2026",
            "groepen": [5, 6],
            "kenmerk": "geslacht",
            "a": "J",
            "b": "M",
            "richting": "kleiner",
            "min_effect": 0.3,
        },
    }
    assert (record.parent / "cyclus_begrijpend_lezen.vorige.yaml").read_bytes() == before  # the backup of the previous version
