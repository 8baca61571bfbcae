"""Every page of the app as a teacher sees it (issues 19 item 4 and 21 items 1-4), in Chromium.

The sample's cycle record gets a hostile title, leerteam and hypothesis (an ``<img onerror>``,
a ``<script>``, a ``javascript:`` link): on no page does any of it run or become markup, and
each page shows it as text where it names the cycle.  Each page is walked as a teacher opens
it; none shows Python or Jupyter leftovers (NaN, NaT, None, a traceback, "Executing 4 of 17",
code names), each names the cycle it edits and links to the previous/next page.  A screenshot
of every page is written to the test's tmp folder.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml
from appserver import RECORD, school_copy, start
from identities import SAMPLE
from test_demo_reports import CHROMIUM, CHROMIUM_ARGS

from plgdata.app import free_port
from plgdata.app_pages import METHODS, START_PAGE, method_of
from plgdata.cycle import load_cycle
from plgdata.model.labels import fmt_num

HOSTILE_TITLE = '<img src=x onerror="window.plgAanval=1">[klik](javascript:window.plgAanval=2) titel'
HOSTILE_TEAM = "<script>window.plgAanval=3</script>Leerteam"
HOSTILE_HYPOTHESIS = 'Jongens <b onmouseover="window.plgAanval=4">lezen</b> minder [uitleg](javascript:alert(1)).'
#: what a teacher must never read on a page
LEFTOVERS = ("NaN", "NaT", "None", "Traceback", "Executing", "Select items to open", "Run All Cells", "verschil_in_aandelen")
LEFTOVER_WORDS = re.compile(r"\b(" + "|".join(map(re.escape, LEFTOVERS)) + r")\b")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("paginas")
    data = school_copy(tmp)
    record = data / RECORD
    raw = yaml.safe_load(record.read_text(encoding="utf-8"))
    raw["titel"], raw["leerteam"] = HOSTILE_TITLE, HOSTILE_TEAM
    raw["stappen"]["2_hypothesen"]["hypothesen"][0]["stelling"] = HOSTILE_HYPOTHESIS
    record.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    records = {"actieonderzoek": "actieonderzoek_rt_rekenen_groep4.yaml", "lessonstudy": "lessonstudy_rekenen_groep5.yaml"}
    lesson_before = (data / records["lessonstudy"]).read_bytes()
    run = start(tmp, data, free_port(), *(x for k, v in records.items() for x in (f"--{k}", str(data / v))))
    run.lesson = (data / records["lessonstudy"], lesson_before)
    try:
        yield run
    finally:
        run.stop()


def _pages():
    return [START_PAGE] + [name for m in METHODS for name, _ in m.pages]


@pytest.fixture(scope="module")
def browser():
    assert os.path.exists(CHROMIUM), "Chromium ontbreekt: installeer Debian's pakket 'chromium' (.ci/run doet dat)."
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser, app, name, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app.page(name), timeout=180_000)
    page.wait_for_selector("#loading", state="detached", timeout=180_000)
    try:
        if name != START_PAGE:  # the bar is a widget: drawn once the page's widgets are
            page.wait_for_selector(".plg-paginabalk", timeout=180_000)
        page.wait_for_timeout(500)
    finally:
        height = page.evaluate("Math.max(document.body.scrollHeight, document.querySelector('#rendered_cells').scrollHeight)")
        page.set_viewport_size({"width": 1280, "height": min(height + 50, 16_000)})  # the whole page in one picture
        page.screenshot(path=str(shots / f"{name.removesuffix('.ipynb')}.png"), full_page=True)
    return page, dialogs


@pytest.mark.parametrize("name", _pages())
def test_a_page_runs_no_team_text_and_shows_no_leftovers(app, browser, tmp_path_factory, name):
    shots = tmp_path_factory.getbasetemp() / "schermafdrukken"
    shots.mkdir(exist_ok=True)
    page, dialogs = _open(browser, app, name, shots)
    try:
        cells = page.locator("#rendered_cells")
        page.mouse.move(400, 400)
        for b in page.locator("#rendered_cells b").all()[:50]:
            b.hover(timeout=2_000, trial=False) if b.is_visible() else None
        assert page.evaluate("window.plgAanval") is None, "tekst van het team liep als script"
        assert dialogs == []
        assert cells.locator("img[src='x']").count() == 0
        assert cells.locator("script:not([type])", has_text="plgAanval").count() == 0
        assert page.locator("a[href^='javascript:' i]").count() == 0
        text = cells.inner_text()
        assert "Traceback" not in page.content()
        assert LEFTOVER_WORDS.findall(text) == [], f"{name}: {LEFTOVER_WORDS.findall(text)}"
        for failed in ("Er ging iets mis", "kan nog niet helemaal worden getoond", "Error displaying widget"):
            assert failed not in text, text[max(0, text.find(failed) - 1500) : text.find(failed) + 500]
        if name == START_PAGE:
            assert HOSTILE_TITLE.split("[")[0] in text  # the title is shown, as text
            for m in METHODS:
                assert m.label in text
        else:
            bar = page.locator(".plg-paginabalk").inner_text()
            assert "Startpagina" in bar
            if len(method_of(name).pages) > 1:
                assert "Vorige" in bar or "Volgende" in bar
            named = (HOSTILE_TITLE, "actieonderzoek_rt_rekenen_groep4.yaml", "lessonstudy_rekenen_groep5.yaml", "jaarplan.yaml")
            assert any(n in bar for n in named)  # the cycle a page edits is named
        if name in ("lesson_study.ipynb", "jaarplan.ipynb"):  # forms, as on every other method's page
            assert "Opslaan in het cyclusverslag" in text and "plgdata lab" not in text
        if name == "lesson_study.ipynb":  # the record shown in the forms, never overwritten with example values
            assert page.locator(".plg-veld-docent input").first.input_value() == "juf Anouk (5A)"
            assert app.lesson[0].read_bytes() == app.lesson[1]
    finally:
        page.close()


@pytest.mark.parametrize("name", ["05_data_analyse.ipynb", "06_interpretatie.ipynb"])
def test_steps_5_and_6_show_the_evidence_per_hypothesis(app, browser, tmp_path_factory, name):
    page, _ = _open(browser, app, name, tmp_path_factory.mktemp("bewijs"))
    try:
        cards = page.locator(".plg-bewijs")
        assert cards.count() == 4  # H1-H4 of the sample
        h1 = cards.nth(0).inner_text()
        # the full sentence, n, the estimate with its interval, as the sample's record holds them
        r1, r2 = (load_cycle(SAMPLE / RECORD).analyses[h]["bewijs"] for h in ("H1", "H2"))
        assert "Bevestigd: een positieve samenhang tussen woordenschat en begrijpend lezen" in h1
        assert f"{r1['n']} leerlingen" in h1 and f"{fmt_num(r1['r'], 2)} (correlatie r)" in h1
        assert f"{fmt_num(r1['ci_low'], 2)} tot {fmt_num(r1['ci_high'], 2)}" in h1
        figure = cards.nth(0).locator("img[src^='data:image/png']")
        assert figure.count() == 1
        assert figure.evaluate("img => img.complete && img.naturalWidth > 100")  # inside the page, not from /voila/files/
        h2 = cards.nth(1).inner_text()
        assert f"{r2['n_a']} en {r2['n_b']} leerlingen" in h2
        assert f"{round(100 * r2['ci_low'])} tot {round(100 * r2['ci_high'])}" in h2  # procentpunt
        if name.startswith("06"):
            assert page.get_by_text("Oordelen van het team", exact=True).count() == 1
    finally:
        page.close()
