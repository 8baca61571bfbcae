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
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
CSS_FILE = Path(__file__).resolve().parent / "style.css"


class ReportError(Exception):
    """A report could not be made; ``message`` is Dutch and holds no pupil data."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
    return body


def _execute(job: ReportJob, session, kernel_name: str, timeout: int):
    """Run the report notebook: in ``session`` (a shared kernel) or a fresh kernel via papermill."""
    import papermill as pm
    from nbclient.exceptions import CellExecutionError

    try:
        if session is not None:
            return session.run(job.notebook, job.parameters, cwd=job.notebook.parent)
        from plgdata.reporting.kernel import execute_fresh

        with tempfile.TemporaryDirectory(prefix="plgdata-") as tmp:
            executed = Path(tmp) / (job.out_html.stem + ".ipynb")
            return execute_fresh(job.notebook, executed, job.parameters, cwd=job.notebook.parent, kernel_name=kernel_name, timeout=timeout)
    except (pm.PapermillExecutionError, CellExecutionError) as exc:
        kind = getattr(exc, "ename", type(exc).__name__)
        raise ReportError(
            f"Het rapport '{job.title}' kon niet worden gemaakt: een stap in {job.notebook.name} "
            f"liep vast ({kind}). Er is geen half rapport geschreven."
        ) from None


def render_report(job: ReportJob, *, session=None, kernel_name: str = "python3", timeout: int = 600, keep_notebook: bool = False) -> Path:
    """Execute ``job.notebook`` with its parameters and write ``job.out_html``.

    ``session`` is an optional :class:`plgdata.reporting.kernel.KernelSession` to reuse one kernel
    for several reports; without it the notebook runs in a fresh kernel.
    """
    import nbformat

    from plgdata.reporting.privacy import check_html

    job.out_html.parent.mkdir(parents=True, exist_ok=True)
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
    tmp_out.write_text(html, encoding="utf-8")
    os.replace(tmp_out, job.out_html)
    return job.out_html


def _render_from_queue(jobs, done) -> int:
    """A worker: one shared kernel renders jobs from the queue; each finished path goes to ``done``."""
    import queue as queue_mod

    from plgdata.reporting.kernel import KernelSession

    n = 0
    with KernelSession() as session:
        while True:
            try:
                job = jobs.get_nowait()
            except queue_mod.Empty:
                return n
            done.put(str(render_report(job, session=session)))
            n += 1


def render_many(jobs: list[ReportJob], *, workers: int = 2, progress: bool = True) -> list[Path]:
    """Render several reports with a Dutch progress bar: ``workers`` processes, each
    with one shared kernel, take the next report from a common queue."""
    import queue as queue_mod
    from multiprocessing import Manager

    from tqdm.auto import tqdm

    if not jobs:
        return []
    workers = max(1, min(workers, len(jobs)))
    done: list[Path] = []
    with tqdm(total=len(jobs), desc="Rapporten", unit="rapport", disable=not progress or len(jobs) < 2) as bar:
        with Manager() as manager, ProcessPoolExecutor(max_workers=workers) as pool:
            todo, finished = manager.Queue(), manager.Queue()
            for j in jobs:
                todo.put(j)
            futures = [pool.submit(_render_from_queue, todo, finished) for _ in range(workers)]
            while len(done) < len(jobs):
                try:
                    done.append(Path(finished.get(timeout=0.5)))
                    bar.update()
                except queue_mod.Empty:
                    failed = [f for f in futures if f.done() and f.exception() is not None]
                    if failed:
                        raise failed[0].exception()
                    if all(f.done() for f in futures) and finished.empty():
                        break
    order = {j.out_html: i for i, j in enumerate(jobs)}
    return sorted(done, key=lambda p: order.get(p, 0))


def write_index(out_dir: Path, jobs: list[ReportJob], heading: str = "Rapporten van de datateamcyclus") -> Path:
    """``index.html``: a self-contained list of the reports, grouped by kind."""
    from plgdata.reporting.html import esc

    css = CSS_FILE.read_text(encoding="utf-8")
    groups: dict[str, list[ReportJob]] = {}
    for j in jobs:
        groups.setdefault(j.kind or "Rapporten", []).append(j)
    parts = []
    for kind, items in groups.items():
        lis = "".join(
            f'<li><a href="{esc(j.out_html.name)}">{esc(j.title)}</a>'
            + (f' <span class="plg-noot">— {esc(j.description)}</span>' if j.description else "")
            + (
                f' <span class="plg-noot">(Excel: <a href="{esc(j.out_html.with_suffix(".xlsx").name)}">tabellen</a>)</span>'
                if j.out_html.with_suffix(".xlsx").exists()
                else ""
            )
            + "</li>"
            for j in items
        )
        parts.append(f"<h2>{esc(kind)}</h2><ul class=\"plg-lijst\">{lis}</ul>")
    made = dt.date.today().strftime("%d-%m-%Y")
    html = (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{esc(heading)}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{esc(heading)}</h1>\n<p class=\"plg-noot\">Gemaakt met plgdata op {made}. Open een rapport om het te lezen; "
        "alle rapporten werken zonder internet.</p>\n" + "\n".join(parts) + "\n</main>\n</body>\n</html>\n"
    )
    path = Path(out_dir) / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
