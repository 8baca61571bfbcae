"""Render report notebooks into self-contained Dutch HTML files.

A report notebook is a function with a tagged ``parameters`` cell (papermill).  It is
executed in a fresh kernel, then exported with nbconvert's HTMLExporter using the
``plgrapport`` template (no code, no prompts, no scripts, nothing loaded from outside),
and the result is checked with :func:`plgdata.reporting.privacy.check_html` before it is
kept.  An execution error never ends up in a report: it becomes a :class:`ReportError`
with a Dutch message.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from plgdata.model.errors import PlgdataError

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
CSS_FILE = Path(__file__).resolve().parent / "style.css"
#: seconds one report may take before its kernel is stopped
REPORT_TIMEOUT = 300


class ReportError(PlgdataError):
    """A report could not be made; ``message`` is Dutch and holds no pupil data."""


@dataclass
class ReportJob:
    """One report to render: which notebook, with which parameters, to which file."""

    notebook: Path
    out_html: Path
    title: str
    parameters: dict = field(default_factory=dict)
    description: str = ""
    kind: str = ""


def _export_html(nb, title: str, min_n: int) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="plgrapport",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    nb.metadata["title"] = title
    resources = {
        "plg_css": CSS_FILE.read_text(encoding="utf-8"),
        "plg_made": dt.date.today().strftime("%d-%m-%Y"),
        "plg_min_n": min_n,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return with_glossary(body)


def with_glossary(html: str) -> str:
    """The report with its *Begrippenlijst* (only the terms it uses) just above the footer."""
    from plgdata.reporting.glossary import glossary_html

    footer = '<footer class="plg-voet">'
    if footer not in html:
        return html
    return html.replace(footer, glossary_html(html) + footer, 1)


def _execute(job: ReportJob, session, kernel_name: str, timeout: int):
    """Run the report notebook: in ``session`` (a shared kernel) or a fresh kernel via papermill.

    Every way a run can fail (a cell error, a kernel that dies or is stopped, a cell
    that takes too long, a kernel that does not start) becomes a Dutch
    :class:`ReportError` naming the report.
    """
    import papermill as pm
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        if session is not None:
            return session.run(job.notebook, job.parameters, cwd=job.notebook.parent)
        from plgdata.reporting.kernel import execute_fresh

        with tempfile.TemporaryDirectory(prefix="plgdata-") as tmp:
            executed = Path(tmp) / (job.out_html.stem + ".ipynb")
            return execute_fresh(
                job.notebook, executed, job.parameters, cwd=job.notebook.parent, kernel_name=kernel_name, timeout=timeout
            )
    except (pm.PapermillExecutionError, CellExecutionError) as exc:
        why = _cell_failure(job, exc)
    except (CellTimeoutError, TimeoutError):
        why = f"een stap in {job.notebook.name} duurde langer dan {timeout} seconden"
    except (DeadKernelError, RuntimeError):
        why = f"de rekenkern stopte onverwacht tijdens {job.notebook.name} (of duurde langer dan {timeout} seconden)"
    raise ReportError(f"Het rapport '{job.title}' kon niet worden gemaakt: {why}. Er is geen half rapport geschreven.")


def _cell_failure(job: ReportJob, exc) -> str:
    """Why a cell stopped: plgdata's own Dutch message when the kernel raised one, else only the error's kind.

    The text of any other error may hold file contents, so it is never shown.
    """
    ename = getattr(exc, "ename", type(exc).__name__)
    if ename in _user_error_names():
        return str(getattr(exc, "evalue", "")).strip().rstrip(".")
    return f"een stap in {job.notebook.name} liep vast ({ename})"


#: the modules whose Dutch error classes a report notebook may raise
_ERROR_MODULES = (
    "plgdata.analysis.casepupils",
    "plgdata.analysis.growth",
    "plgdata.analysis.ownmeasure",
    "plgdata.cycle",
    "plgdata.io.interventions",
    "plgdata.io.norms",
    "plgdata.io.plgscan",
    "plgdata.io.pseudonyms",
    "plgdata.io.scores",
    "plgdata.io.signalering",
)


def _user_error_names() -> frozenset[str]:
    """Names of plgdata's Dutch error classes (the modules that define them imported first)."""
    import importlib

    from plgdata.model.errors import user_error_names

    for name in _ERROR_MODULES:
        importlib.import_module(name)
    return user_error_names()


def render_report(
    job: ReportJob, *, session=None, kernel_name: str = "python3", timeout: int = 600, keep_notebook: bool = False
) -> Path:
    """Execute ``job.notebook`` with its parameters and write ``job.out_html``.

    ``session`` is an optional :class:`plgdata.reporting.kernel.KernelSession` to reuse one kernel
    for several reports; without it the notebook runs in a fresh kernel.  On any failure
    the report's HTML, Excel and temporary files are removed.
    """
    job.out_html.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _render_checked(job, session, kernel_name, timeout, keep_notebook)
    except BaseException:
        remove_outputs(job)  # no half report, no Excel file without its report
        raise


def remove_outputs(job: ReportJob) -> None:
    """Remove what a failed report may have left: its HTML, its Excel file, temporary files."""
    for path in (job.out_html, job.out_html.with_suffix(".html.tmp"), job.out_html.with_suffix(".xlsx")):
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _render_checked(job: ReportJob, session, kernel_name: str, timeout: int, keep_notebook: bool) -> Path:
    """Execute, export, privacy-check and atomically write one report."""
    import nbformat

    from plgdata.reporting.privacy import check_html

    nb = _execute(job, session, kernel_name, timeout)
    if keep_notebook:
        nbformat.write(nb, job.out_html.with_suffix(".ipynb"))
    html = _export_html(nb, job.title, int(job.parameters.get("min_n", 5)))
    problems = check_html(html)
    if problems:
        raise ReportError(
            f"Het rapport '{job.title}' is niet geschreven, want de privacycontrole vond: "
            + "; ".join(p.message for p in problems[:3])
        )
    tmp_out = job.out_html.with_suffix(".html.tmp")
    try:
        tmp_out.write_text(html, encoding="utf-8")
        os.replace(tmp_out, job.out_html)
    except OSError as exc:  # e.g. a full disk: no truncated file stays behind
        raise ReportError(
            f"Het rapport '{job.title}' kon niet worden opgeslagen ({exc.strerror or type(exc).__name__})."
        ) from None
    return job.out_html


@dataclass
class RenderOutcome:
    """What :func:`render_all` made: the reports written and, per failed report, why (Dutch)."""

    done: list[Path] = field(default_factory=list)
    failed: list[tuple[ReportJob, str]] = field(default_factory=list)


class KernelPool:
    """One :class:`~plgdata.reporting.kernel.KernelSession` per worker thread, started on first use.

    A kernel that died or was stopped is replaced for the thread's next report; on
    leaving, every kernel is shut down and its process group killed.
    """

    def __init__(self, timeout: int = REPORT_TIMEOUT):
        self.timeout = timeout
        self._local = threading.local()
        self._all: list = []
        self._lock = threading.Lock()

    def session(self):
        from plgdata.reporting.kernel import KernelSession

        s = getattr(self._local, "session", None)
        if s is None or not s.alive():
            if s is not None:
                s.__exit__(None, None, None)
            s = KernelSession(timeout=self.timeout).__enter__()
            self._local.session = s
            with self._lock:
                self._all.append(s)
        return s

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            sessions, self._all = self._all, []
        for s in sessions:
            s.__exit__(None, None, None)

    def kill_all(self) -> None:
        with self._lock:
            for s in self._all:
                s.kill()


def render_guarded(job: ReportJob, kernels: KernelPool) -> Path:
    """:func:`render_report` in this thread's kernel; past ``kernels.timeout`` seconds the
    kernel's process group is killed, which ends the report with a :class:`ReportError`."""
    try:
        session = kernels.session()
    except Exception as exc:  # noqa: BLE001 - the kernel did not start, whatever the reason
        raise ReportError(
            f"Het rapport '{job.title}' kon niet worden gemaakt: de rekenkern startte niet ({type(exc).__name__})."
        ) from None
    watchdog = threading.Timer(kernels.timeout, session.kill)
    watchdog.daemon = True
    watchdog.start()
    try:
        return render_report(job, session=session, timeout=kernels.timeout)
    finally:
        watchdog.cancel()


def collect(futures: dict, outcome: RenderOutcome, bar=None, on_done=None) -> RenderOutcome:
    """Wait for every report future; a failed one is named with its reason, the others go on.

    ``on_done(job, message)`` is called as each report finishes (``message`` is ``None`` when
    it was written, else the Dutch reason), so a command can say so at once.
    """
    for fut in as_completed(futures):
        job, message = futures[fut], None
        try:
            outcome.done.append(fut.result())
        except ReportError as exc:
            message = exc.message
        except Exception as exc:  # noqa: BLE001 - one report's unexpected error must not stop the others
            remove_outputs(job)
            message = f"Het rapport '{job.title}' kon niet worden gemaakt ({type(exc).__name__})."
        if message is not None:
            outcome.failed.append((job, message))
        if bar is not None:
            bar.update()
        if on_done is not None:
            on_done(job, message)
    return outcome


def render_all(
    jobs: list[ReportJob], *, workers: int = 2, progress: bool = True, timeout: int = REPORT_TIMEOUT, on_done=None
) -> RenderOutcome:
    """Render several reports with a Dutch progress bar: ``workers`` threads, each with
    one shared kernel (a separate process), take the next report.

    A report that fails, whose kernel dies, or that runs longer than ``timeout``
    seconds is stopped and listed in :attr:`RenderOutcome.failed`; the others finish.
    ``on_done`` is called as each report finishes (see :func:`collect`).  The kernels share the
    numbers one report computes for another (:func:`plgdata.reporting.memo.shared_numbers`): list
    the groepsoverzichten before the opbrengstenrapport.
    """
    from tqdm.auto import tqdm

    from plgdata.reporting.memo import shared_numbers

    outcome = RenderOutcome()
    if not jobs:
        return outcome
    workers = max(1, min(workers, len(jobs)))
    bar = tqdm(total=len(jobs), desc="Rapporten", unit="rapport", disable=not progress or len(jobs) < 2)
    with (
        bar,
        shared_numbers(),
        KernelPool(timeout) as kernels,
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rapport") as pool,
    ):
        try:
            futures = {pool.submit(render_guarded, j, kernels): j for j in jobs}
            collect(futures, outcome, bar, on_done)
        except BaseException:  # Ctrl-C: stop the kernels first, so no thread waits for them
            pool.shutdown(wait=False, cancel_futures=True)
            kernels.kill_all()
            raise
    order = {j.out_html: i for i, j in enumerate(jobs)}
    outcome.done.sort(key=lambda p: order.get(p, 0))
    return outcome


def render_many(jobs: list[ReportJob], *, workers: int = 2, progress: bool = True, timeout: int = REPORT_TIMEOUT) -> list[Path]:
    """:func:`render_all`, raising one :class:`ReportError` naming every failed report
    (after the others finished)."""
    outcome = render_all(jobs, workers=workers, progress=progress, timeout=timeout)
    if outcome.failed:
        raise ReportError("\n".join(message for _, message in outcome.failed))
    return outcome.done


def _index_item(j: ReportJob, failed: bool) -> str:
    from plgdata.reporting.html import esc

    if failed:
        return (
            f'<li>{esc(j.title)} <span class="plg-noot">— niet gemaakt: er ging iets mis (zie de melding van plgdata)</span></li>'
        )
    xlsx = j.out_html.with_suffix(".xlsx")
    return (
        f'<li><a href="{esc(j.out_html.name)}">{esc(j.title)}</a>'
        + (f' <span class="plg-noot">— {esc(j.description)}</span>' if j.description else "")
        + (f' <span class="plg-noot">(Excel: <a href="{esc(xlsx.name)}">tabellen</a>)</span>' if xlsx.exists() else "")
        + "</li>"
    )


def write_index(out_dir: Path, jobs: list[ReportJob], heading: str = "Rapporten van de datateamcyclus", failed=()) -> Path:
    """``index.html``: a self-contained list of the reports, grouped by kind.

    Reports in ``failed`` (jobs or their HTML paths) are listed as not made, without a link.
    """
    from plgdata.reporting.html import esc

    css = CSS_FILE.read_text(encoding="utf-8")
    not_made = {getattr(f, "out_html", f) for f in failed}
    groups: dict[str, list[ReportJob]] = {}
    for j in jobs:
        groups.setdefault(j.kind or "Rapporten", []).append(j)
    parts = [
        f'<h2>{esc(kind)}</h2><ul class="plg-lijst">' + "".join(_index_item(j, j.out_html in not_made) for j in items) + "</ul>"
        for kind, items in groups.items()
    ]
    made = dt.date.today().strftime("%d-%m-%Y")
    html = (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{esc(heading)}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n<main>\n"
        f'<h1>{esc(heading)}</h1>\n<p class="plg-noot">Gemaakt met plgdata op {made}. Open een rapport om het te lezen; '
        "alle rapporten werken zonder internet.</p>\n" + "\n".join(parts) + "\n</main>\n</body>\n</html>\n"
    )
    path = Path(out_dir) / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path
