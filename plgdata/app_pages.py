"""What ``plgdata app`` adds to a page: where the team is, previous/next, the start page, no leftovers.

Runs inside a page's kernel (the cells :mod:`plgdata.app` puts around each notebook).
Every text a team wrote (a cycle title, a leerteam, a file name) is escaped before it
reaches a page: Voilà trusts Markdown and HTML outputs, so an ``<img onerror>`` in a
title would otherwise run on the origin of the kernel websockets.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Method:
    """One way of working a team can choose, and its pages in order: ``(notebook, title)``."""

    key: str
    label: str
    pages: tuple[tuple[str, str], ...]


METHODS: tuple[Method, ...] = (
    Method(
        "datateam",
        "Datateamcyclus",
        (
            ("00_start.ipynb", "Start: gegevens inlezen en overzicht"),
            ("01_probleemdefinitie.ipynb", "Stap 1 · Probleemdefinitie"),
            ("02_hypothesen.ipynb", "Stap 2 · Hypothesen"),
            ("03_dataverzameling.ipynb", "Stap 3 · Dataverzameling"),
            ("04_datakwaliteit.ipynb", "Stap 4 · Datakwaliteit"),
            ("05_data_analyse.ipynb", "Stap 5 · Data-analyse"),
            ("06_interpretatie.ipynb", "Stap 6 · Interpretatie en conclusie"),
            ("07_maatregelen.ipynb", "Stap 7 · Maatregelen"),
            ("08_evaluatie.ipynb", "Stap 8 · Evaluatie"),
        ),
    ),
    Method("actieonderzoek", "Actieonderzoek", (("actieonderzoek.ipynb", "Actieonderzoek in vier fasen"),)),
    Method("lessonstudy", "Lesson Study", (("lesson_study.ipynb", "Lesson Study in vijf fasen"),)),
    Method("jaarplan", "Jaarplan van het leerteam", (("jaarplan.ipynb", "Jaarplan: perioden, cycli en gesprekken"),)),
)
START_PAGE = "start.ipynb"
#: the app's werkmap and cycle record by default: the files the notebooks use (their parameters
#: say ``../data/werk`` … from ``notebooks/``), so a cycle done in the app is the one Lab shows
APP_WORKDIR = "data/werk"
APP_CYCLE = "data/werk/cyclus_begrijpend_lezen.yaml"
#: the record each method keeps beside the datateam's cycle record (as in the notebooks' parameters)
RECORD_NAMES = {"actieonderzoek": "actieonderzoek.yaml", "lessonstudy": "lessonstudy.yaml", "jaarplan": "jaarplan.yaml"}


def esc(text) -> str:
    """A team's text as HTML text (never markup)."""
    return html.escape("" if text is None else str(text), quote=True)


def method_of(page: str) -> Method:
    return next(m for m in METHODS if page in dict(m.pages))


def _link(page: str, text: str, cls: str = "") -> str:
    return f'<a class="{cls}" href="{esc(page)}">{esc(text)}</a>'


# ---------------------------------------------------------------------------
# reading a record's status (what the start page and each page header show)
# ---------------------------------------------------------------------------


def record_status(path) -> dict:
    """``{"title", "steps": [(name, status)], "done", "error"}`` of one record; nothing when it does not exist."""
    from plgdata.cycle import CycleError, load_cycle

    p = Path(path)
    if not p.exists():
        return {"title": None, "steps": [], "done": 0, "error": None}
    try:
        c = load_cycle(p)
    except CycleError as exc:
        return {"title": None, "steps": [], "done": 0, "error": str(exc)}
    steps = [(s.name, c.steps[s.number].status if s.number in c.steps else "open") for s in c.method_def.steps]
    return {"title": c.title, "steps": steps, "done": sum(st == "klaar" for _, st in steps), "error": None}


def _status_words(status: dict) -> str:
    if status["error"]:
        return f"kan niet worden gelezen: {esc(status['error'])}"
    if not status["steps"]:
        return "nog niet begonnen"
    n, done = len(status["steps"]), status["done"]
    if done == n:
        return f"klaar (alle {n} stappen)"
    todo = next(name for name, st in status["steps"] if st != "klaar")
    return f"{done} van de {n} stappen klaar; nu: {esc(todo)}"


def start_overview(files: dict) -> str:
    """The start page's body: per method the cycle, its status and where to go on (HTML, escaped)."""
    rows = []
    for m in METHODS:
        path = Path(files[m.key])
        status = record_status(path)
        title = esc(status["title"]) if status["title"] else "<i>nog zonder titel</i>"
        first, first_title = m.pages[0]
        rows.append(
            f'<tr class="plg-methode-{m.key}"><td><b>{esc(m.label)}</b></td><td>{title}<br>'
            f'<span class="plg-bestand">bestand: {esc(path.name)}</span></td>'
            f'<td class="plg-status-tekst">{_status_words(status)}</td>'
            f"<td>{_link(first, 'Openen' if status['steps'] else 'Beginnen', 'plg-knop')}</td></tr>"
        )
    return (
        _CSS + '<table class="plg-start"><thead><tr><th>Werkwijze</th><th>Cyclus</th><th>Waar staat het team?</th>'
        "<th></th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def show_start(files: dict):
    from IPython.display import HTML

    return HTML(start_overview(files))


# ---------------------------------------------------------------------------
# the bar on top of every page and the links at its foot
# ---------------------------------------------------------------------------

_CSS = """<style>
.plg-balk { border-bottom: 2px solid #1f4e79; padding: 0.3em 0 0.5em 0; margin-bottom: 0.8em; }
.plg-balk .plg-waar { font-size: 15px; color: #333; }
.plg-nav { display: flex; gap: 1.5em; flex-wrap: wrap; margin: 0.4em 0; font-size: 16px; }
.plg-nav a, a.plg-knop { color: #1f4e79; font-weight: 600; text-decoration: none; }
a.plg-knop { border: 1px solid #1f4e79; border-radius: 4px; padding: 0.15em 0.6em; white-space: nowrap; }
.plg-stappen { font-size: 14px; color: #444; }
.plg-stappen span { margin-right: 0.9em; white-space: nowrap; }
.plg-start { border-collapse: collapse; font-size: 16px; }
.plg-start td, .plg-start th { padding: 0.45em 0.8em; border-bottom: 1px solid #ccc; text-align: left !important; vertical-align: top; }
.plg-bestand { font-size: 13px; color: #555; }
</style>"""

_MARK = {"klaar": "✓", "bezig": "…", "open": "○"}


def neighbours(page: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """The pages before and after ``page`` in its method (``(notebook, title)`` or ``None``)."""
    pages = method_of(page).pages
    i = [p for p, _ in pages].index(page)
    return (pages[i - 1] if i > 0 else None), (pages[i + 1] if i + 1 < len(pages) else None)


def nav_links(page: str) -> str:
    before, after = neighbours(page)
    parts = [_link(START_PAGE, "⌂ Startpagina")]
    if before:
        parts.append(_link(before[0], f"← Vorige: {before[1]}"))
    if after:
        parts.append(_link(after[0], f"Volgende: {after[1]} →", "plg-volgende"))
    return '<div class="plg-nav">' + "".join(parts) + "</div>"


def steps_line(status: dict) -> str:
    if not status["steps"]:
        return '<div class="plg-stappen">Nog niets opgeslagen in dit verslag.</div>'
    marks = "".join(f"<span>{_MARK.get(st, '○')} {esc(name)}</span>" for name, st in status["steps"])
    return f'<div class="plg-stappen">{marks}</div>'


def page_bar(page: str, record) -> str:
    """Top of a page: method, step, the record it edits (named), the steps' status, previous/next."""
    m = method_of(page)
    title = dict(m.pages)[page]
    status = record_status(record)
    cycle = esc(status["title"]) if status["title"] else "nog zonder titel"
    where = (
        f'<div class="plg-waar"><b>{esc(m.label)}</b> · {esc(title)} · cyclus: <b>{cycle}</b> '
        f'<span class="plg-bestand">(bestand {esc(Path(record).name)})</span></div>'
    )
    return _CSS + '<div class="plg-balk">' + where + steps_line(status) + nav_links(page) + "</div>"


class PageBar:
    """The bar as a widget, redrawn after every save (the status never lags behind a form)."""

    def __init__(self, page: str, record):
        import ipywidgets as w

        self.page, self.record = page, record
        self.widget = w.HTML(value=page_bar(page, record))
        self.widget.add_class("plg-paginabalk")

    def refresh(self) -> None:
        self.widget.value = page_bar(self.page, self.record)


def next_step(page: str) -> tuple[str, str] | None:
    """Where *Volgende stap* after saving leads: the next page of the method, else the start page."""
    _, after = neighbours(page)
    return after or (START_PAGE, "Startpagina")


def foot(page: str):
    from IPython.display import HTML

    return HTML(_CSS + nav_links(page))


# ---------------------------------------------------------------------------
# tables as a teacher reads them: no 0, 1, 2 … column, nothing missing written as NaN/NaT/None
# (one home: forms.tables, also used by the forms' own pages)
# ---------------------------------------------------------------------------


def table_html(df) -> str:
    """:func:`plgdata.forms.tables.table_html`, imported when a page first shows a table: importing
    :mod:`plgdata.forms` here would load every form into the app's server and its start page."""
    from plgdata.forms.tables import table_html as as_html

    return as_html(df)


def table_text(df, printer, _cycle) -> None:
    """What a page sends beside a table's HTML and never shows: one line instead of pandas' whole
    text rendering (on step 0, 136 KB of a 395 KB page, made and sent for nothing)."""
    printer.text(f"Tabel met {len(df)} rijen")


def install_table_format(shell) -> None:
    html_formatter = shell.display_formatter.formatters["text/html"]
    text_formatter = shell.display_formatter.formatters["text/plain"]
    for module in ("pandas", "pandas.core.frame"):  # where DataFrame says it lives depends on the pandas version
        html_formatter.for_type_by_name(module, "DataFrame", table_html)
        text_formatter.for_type_by_name(module, "DataFrame", table_text)
