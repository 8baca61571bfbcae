"""Reports read well on a 1280-px projector and on A4 (issue 21 item 6).

- Table cells wrap between words, never inside one (``overflow-wrap: anywhere`` printed
  "Groe p", "Toetsversi e"); a table too wide for the screen scrolls in its own box, and on
  paper a wide table prints smaller.  Checked in Chromium on a page made of the report CSS and
  :func:`plgdata.reporting.html.table`: every word of every cell lies on one line.
- In print, headings and the text that introduces a table stay with what follows.
- The PLG-scan chart has no overprinted labels or legend.
"""

from __future__ import annotations

import itertools
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from test_demo_reports import CHROMIUM, CHROMIUM_ARGS

from plgdata.reporting import html as h
from plgdata.reporting.render import CSS_FILE

#: printable width of A4 with the 15 mm margins of @page, in CSS pixels
A4_PRINT_WIDTH = round((210 - 2 * 15) / 25.4 * 96)

#: the words of each table cell that Chromium laid out over more than one line (a hyphen is a fair break)
_BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('table.plg-tabel th, table.plg-tabel td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /[^\\s\\-\\u2013]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        const lines = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def _growth_table() -> pd.DataFrame:
    """The widest table of the reports: the groepsoverzicht's growth table (twelve columns)."""
    rows = [
        ("Rekenen-wiskunde", "2025-2026", "M6", "E6", "Cito 3.0", 49, 11.6, 7.5, 15.6, -0.03, -0.19, 0.13),
        ("Begrijpend lezen", "2025-2026", "M4, M5", "E4, E5", "Cito 3.0", 48, 11.7, 8.5, 14.9, 0.19, 0.03, 0.34),
        ("Technisch lezen", "2025-2026", "M5, M6", "E5, E6", "Leerling in beeld", 47, 6.1, 2.4, 9.7, -0.13, -0.3, 0.04),
    ]
    cols = [
        "Vak",
        "Schooljaar",
        "Van",
        "Naar",
        "Toetsversie",
        "Aantal leerlingen",
        "Gemiddelde leerwinst",
        "95%-BI onder",
        "95%-BI boven",
        "Gemiddelde groei in z",
        "z ondergrens",
        "z bovengrens",
    ]
    return pd.DataFrame(rows, columns=cols)


def _text_table() -> pd.DataFrame:
    """A table with a long text column beside short ones (the 'Conclusies en borgen' table)."""
    long = (
        "De RT-groep ging gemiddeld 23,9 punten vooruit van M4 naar E4: dat lijkt een succes, maar de leerlingen "
        "zijn gekozen omdat ze op M4 het laagst scoorden (regressie naar het gemiddelde)."
    )
    return pd.DataFrame(
        {
            "Leerteam": ["Leerteam Rekenen onderbouw", "Leerteam Taal middenbouw"],
            "Cyclus": ["RT-groep rekenen groep 4", "Verhaaltjessommen met het strookmodel"],
            "Methode": ["actieonderzoek", "datateammethode"],
            "Conclusie": [long, long],
            "Borgen / vervolg": ["Tweetallen: één tekent, één legt uit (ook in groep 4 en 6).", "–"],
        }
    )


def _page() -> str:
    css = CSS_FILE.read_text(encoding="utf-8")
    parts = [
        '<div class="jp-Cell jp-MarkdownCell"><h2>2. Hoe weten we dat ze het leren?</h2><p>Uitleg bij de tabel.</p></div>',
        h.table(_growth_table(), "Groei van midden naar eind schooljaar", decimals=2, n_col="Aantal leerlingen").data,
        '<div class="jp-Cell jp-MarkdownCell"><h3>Conclusies</h3></div>',
        h.table(_text_table(), "Conclusies en borgen per cyclus", n_col=None).data,
    ]
    return f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><style>{css}</style></head><body><main>{"".join(parts)}</main></body></html>'


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    assert os.path.exists(CHROMIUM), "Chromium ontbreekt: installeer Debian's pakket 'chromium' (.ci/run doet dat)."
    from playwright.sync_api import sync_playwright

    path = tmp_path_factory.mktemp("opmaak") / "tabellen.html"
    path.write_text(_page(), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            pg.goto(path.as_uri())
            yield pg
        finally:
            browser.close()


def test_on_a_1280_px_screen_no_word_breaks_and_no_table_runs_off(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="screen")
    assert page.evaluate(_BROKEN_WORDS) == []
    # a table may scroll inside its own box, but the box itself stays on the screen
    right = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('.plg-tabelkader')).map(e => e.getBoundingClientRect().right))"
    )
    assert right <= 1280


def test_on_a4_no_word_breaks_and_tables_fit_the_page(page):
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINT_WIDTH, "height": 1100})
    assert page.evaluate(_BROKEN_WORDS) == []
    widest = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('table')).map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= A4_PRINT_WIDTH + 1


def test_in_print_headings_and_introductions_stay_with_what_follows(page):
    page.emulate_media(media="print")
    after = page.evaluate(
        "['h2', 'h3', '.jp-MarkdownCell', 'caption', 'thead'].map(s => getComputedStyle(document.querySelector(s)).breakAfter)"
    )
    assert after == ["avoid"] * 5
    first_row = page.evaluate("getComputedStyle(document.querySelector('tbody tr')).breakBefore")
    assert first_row == "avoid"


def test_wide_tables_are_marked_to_print_smaller():
    assert "plg-tabel plg-breed" in h.table(_growth_table(), n_col=None).data
    assert "plg-breed" not in h.table(_text_table(), n_col=None).data
    # a short table is kept on one page in print; a long one may run on (its header repeats)
    assert "plg-kort" in h.table(_text_table(), n_col=None).data
    assert "plg-kort" not in h.table(pd.concat([_growth_table()] * 5, ignore_index=True), n_col=None).data


def test_in_print_a_short_table_and_every_caption_stay_in_one_piece(page):
    page.emulate_media(media="print")
    inside = page.evaluate(
        "[getComputedStyle(document.querySelector('table.plg-kort')).breakInside, "
        "getComputedStyle(document.querySelector('caption')).breakInside]"
    )
    assert inside == ["avoid", "avoid"]


def _scan() -> pd.DataFrame:
    from plgdata.io.plgscan import BOUWSTENEN

    rng = np.random.default_rng(3)
    rows = []
    for year in ("2024-2025", "2025-2026"):
        for b in BOUWSTENEN:
            m = float(rng.uniform(2, 3.5))
            rows.append({"leerteam": "Leerteam Taal middenbouw", "school_year": year, "bouwsteen": b, "n": 6, "mean": m})
            rows[-1].update(ci_low=m - 0.6, ci_high=m + 0.6)
    return pd.DataFrame(rows)


def test_the_plg_scan_chart_has_no_overprinted_labels_or_legend():
    from plgdata.reporting.opbrengsten import plg_scan_figure

    fig = plg_scan_figure(_scan(), "Leerteam Taal middenbouw").fig
    fig.canvas.draw()
    ax = fig.axes[0]
    xt = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]
    yt = [t.get_window_extent() for t in ax.get_yticklabels() if t.get_text()]
    legend = ax.get_legend().get_window_extent()
    title = ax.title.get_window_extent()
    plot_area = ax.get_window_extent()
    width_px = fig.get_size_inches()[0] * 110  # as the report embeds it (html.figure, dpi 110)
    plt.close(fig)
    assert not any(a.overlaps(b) for a, b in itertools.pairwise(sorted(xt, key=lambda b: b.x0)))
    assert not any(a.overlaps(b) for a, b in itertools.pairwise(sorted(yt, key=lambda b: b.y0)))
    assert not legend.overlaps(plot_area) and not legend.overlaps(title)
    assert not any(legend.overlaps(b) for b in xt + yt)
    assert width_px <= 1280
