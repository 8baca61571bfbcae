"""Issue 18 item 3 in the app: a teacher corrects the columns of a refused file on page 00 and sees it read.

``plgdata app`` runs on a data folder with a Cito export and ``eigen_tabel.csv`` (the file
plgdata refuses, as in ``test_reading_form``).  In Chromium, page 00 says the file is not read;
the teacher picks the right roles, the subject and the scale in *Zo heeft plgdata je bestand
gelezen*, clicks *Opslaan als koppelbestand*, reloads the page, and the load report shows the
file's two rows loaded with the mapping file.  With every file read, the form is closed (issue 21:
step 0 <= 2 s): *Formulier openen* builds it, on the file read first.
"""

from __future__ import annotations

import shutil

from appserver import start
from test_app_pages import browser  # noqa: F401 - the module's Chromium fixture
from test_reading_form import GOOD

from plgdata.app import free_port

READ = "eigen_tabel.csv (Boom, met koppelbestand): 2 gelezen, 2 ingelezen, 0 apart gezet"


def _open_page_00(page, run):
    page.goto(run.page("00_start.ipynb"), timeout=180_000)
    page.wait_for_selector("#loading", state="detached", timeout=180_000)
    form = page.locator(".plg-form", has_text="Zo heeft plgdata je bestand gelezen")
    form.wait_for(timeout=180_000)
    return form


def test_a_teacher_corrects_the_columns_in_the_app_and_the_file_is_read(tmp_path, browser):  # noqa: F811
    data = tmp_path / "exports"
    data.mkdir()
    for name in ("cito_begrijpend-lezen_2025-2026.csv", "eigen_tabel.csv"):
        shutil.copy(GOOD / name, data / name)
    run = start(tmp_path, data, free_port(), record=tmp_path / "cyclus.yaml")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        form = _open_page_00(page, run)
        cells = page.locator("#rendered_cells")
        assert "eigen_tabel.csv: FOUT" in cells.text_content()
        assert "eigen_tabel.csv wordt niet ingelezen" in form.inner_text()
        choice = {"Resultaat": "Vaardigheidsscore", "Wanneer": "Afnamedatum", "Jaar": "Groep", "Klasje": "Klas"}
        choice |= {"Vak": "Rekenen-wiskunde", "Schaal": "Boom"}
        for column, role in choice.items():
            form.locator(".widget-hbox", has_text=f"{column} (").locator("select").select_option(label=role)
        form.get_by_role("button", name="Opslaan als koppelbestand").click()
        form.locator(".plg-status", has_text="Opgeslagen").wait_for(timeout=60_000)
        assert (tmp_path / "werk" / "koppeling.yaml").read_text(encoding="utf-8").startswith('kolommen:\n  score: "Resultaat"')
        page.reload(timeout=180_000)
        form = _open_page_00(page, run)
        text = page.locator("#rendered_cells").text_content()
        assert READ in text and "eigen_tabel.csv: FOUT" not in text
        assert "734511" not in text  # the pupil number never reaches the page
        assert "Elk bestand wordt ingelezen" in form.inner_text()  # no refused file left to open on: closed
        assert form.locator("select").count() == 0
        form.get_by_role("button", name="Formulier openen").click()
        form = page.locator(".plg-form", has_text="Opslaan als koppelbestand")
        form.locator("select").first.wait_for(timeout=60_000)
        assert "cito_begrijpend-lezen_2025-2026.csv wordt ingelezen zoals hieronder" in form.inner_text()
    finally:
        page.close()
        run.stop()
