"""*Maak het rapport* on an app page: the cyclusrapport of the page's record, rendered and opened.

The report is made exactly as ``plgdata rapport`` makes it (:func:`plgdata.reporting.jobs.cycle_report_jobs`
and :func:`plgdata.reporting.render.render_all`: the privacy check included) into the app's reports
folder, the folder a team shares; the werkmap with pupil data stays outside it.

Opening the report: the app runs on this computer only, and so does the page's kernel, so the
kernel asks this computer's browser to open the report as a local file (:func:`webbrowser.open`).
Nothing is served.  Voilà's ``/voila/files/`` route is a plain static file handler without the
token check (anyone on this computer who knows the port could fetch a report served there), and
a ``file://`` link on an ``http://`` page is blocked by Chromium and Firefox; so neither is used.
"""

from __future__ import annotations

import threading
import time
import webbrowser
from pathlib import Path

from plgdata.app_pages import esc
from plgdata.model.errors import PlgdataError


class AppReportError(PlgdataError):
    """The report could not be made from the app; ``message`` is Dutch and holds no pupil data."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def make_cycle_report(record, reports_dir, werkmap) -> Path:
    """Render the cyclusrapport of ``record`` into ``reports_dir``; its path, or :class:`AppReportError`/``PlgdataError``."""
    from plgdata.cycle import load_cycle
    from plgdata.reporting.jobs import CYCLE_REPORT_METHODS, cycle_report_entry, cycle_report_jobs
    from plgdata.reporting.lock import FolderBusy, output_folder_lock
    from plgdata.reporting.render import render_all

    out, work = Path(reports_dir).resolve(), Path(werkmap).resolve()
    if _inside(work, out) or _inside(out, work):
        raise AppReportError(
            f"De rapportenmap {out} en de werkmap met leerlinggegevens {work} liggen in elkaar. De rapportenmap deelt het "
            "team; kies met --rapporten een map buiten de werkmap (bijvoorbeeld reports)."
        )
    cycle = load_cycle(record)  # a broken record says what is wrong, in Dutch
    if cycle.method not in CYCLE_REPORT_METHODS:
        raise AppReportError("Voor deze werkwijze maakt plgdata geen cyclusrapport; gebruik plgdata rapport.")
    try:
        with output_folder_lock(out):
            jobs = cycle_report_jobs(work, out, [cycle_report_entry(record, cycle.title)])
            outcome = render_all(jobs, workers=1, progress=False)
    except FolderBusy:
        raise AppReportError(
            "In de rapportenmap schrijft nu een andere plgdata-opdracht (demo of rapport). Probeer het over een paar "
            "minuten opnieuw."
        ) from None
    if outcome.failed:
        raise AppReportError(outcome.failed[0][1])
    return outcome.done[0]


def open_in_browser(path: Path) -> bool:
    """Open the local report in this computer's browser; ``False`` when no browser could be started."""
    try:
        return bool(webbrowser.open(Path(path).resolve().as_uri()))
    except webbrowser.Error:
        return False


class ReportButton:
    """*Maak het rapport*, its progress and result in Dutch beside it, and *Open het rapport* once it is made."""

    def __init__(self, record, reports_dir, werkmap):
        import ipywidgets as w

        self.record, self.reports_dir, self.werkmap = record, reports_dir, werkmap
        self.path: Path | None = None
        self.button = w.Button(description="Maak het rapport", button_style="primary", icon="")
        self.open = w.Button(description="Open het rapport", layout=w.Layout(display="none"))
        self.status = w.HTML(value="")
        self.button.on_click(lambda _b: threading.Thread(target=self.run, daemon=True).start())
        self.open.on_click(lambda _b: self.show())
        self.widget = w.VBox([w.HBox([self.button, self.open]), self.status])
        self.widget.add_class("plg-rapport")

    def _say(self, text: str, kind: str = "") -> None:
        self.status.value = f'<p class="plg-rapport-melding {kind}">{text}</p>'

    def run(self) -> None:
        """Make the report (in this thread), saying every few seconds that it is still busy."""
        self.button.disabled, self.open.layout.display = True, "none"
        done, result = threading.Event(), {}

        def work():
            try:
                result["path"] = make_cycle_report(self.record, self.reports_dir, self.werkmap)
            except PlgdataError as exc:
                result["error"] = exc.message
            except Exception as exc:  # noqa: BLE001 - never a traceback on a page
                result["error"] = f"Het rapport kon niet worden gemaakt ({type(exc).__name__})."
            done.set()

        threading.Thread(target=work, daemon=True).start()
        t0 = time.monotonic()
        while not done.wait(2):
            self._say(f"Het cyclusrapport wordt gemaakt … ({int(time.monotonic() - t0)} s; meestal minder dan een minuut)")
        self.button.disabled = False
        if "error" in result:
            self._say(f"Het rapport is niet gemaakt: {esc(result['error'])}", "plg-fout")
            return
        self.path = result["path"]
        self.open.layout.display = ""
        self._say(f"Klaar: het cyclusrapport staat in <b>{esc(self.path)}</b>.", "plg-ok")

    def show(self) -> None:
        if self.path is None:
            return
        if open_in_browser(self.path):
            self._say(f"Het rapport is geopend in je browser. Het staat in <b>{esc(self.path)}</b>.", "plg-ok")
        else:
            self._say(f"Deze computer kon geen browser openen; open het bestand zelf: <b>{esc(self.path)}</b>.", "plg-fout")


def report_button(record, reports_dir, werkmap):
    """The widget of :class:`ReportButton` (the cell an app page ends with where a report fits)."""
    return ReportButton(record, reports_dir, werkmap).widget


def report_buttons(records: dict, reports_dir, werkmap):
    """The start page's *Maak het rapport* per cycle (``{method label: record}``) whose record exists."""
    import ipywidgets as w

    rows = []
    for label, record in records.items():
        if Path(record).exists():
            heading = w.HTML(value=f"<b>{esc(label)}</b> <span class='plg-bestand'>({esc(Path(record).name)})</span>")
            rows += [heading, report_button(record, reports_dir, werkmap)]
    return w.VBox(rows or [w.HTML(value="<p>Er is nog geen cyclus begonnen; een rapport kan nog niet.</p>")])
