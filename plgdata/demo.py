"""The main job: the whole sample cycle on the sample school (``plgdata demo``).

1. The cycle notebooks ``00`` … ``08`` run in order on ``data/sample`` (notebook 00 reads
   and pseudonymises the exports into a werkmap; the others read the werkmap and fill a
   fresh copy of the cycle record).
2. Meanwhile the data reports render: a *groepsoverzicht* per groep, the *trendanalyse*
   and an *interventie-evaluatie* per intervention.
3. Then the *cyclusrapport* of the datateam cycle and of the sample's finished
   actieonderzoek (the RT-group), an ``index.html`` and one Excel file per report.

Two worker threads each hold one kernel (see :mod:`plgdata.reporting.kernel` and
:class:`plgdata.reporting.render.KernelPool`), so the libraries are imported twice in all
rather than once per notebook.  A report that fails is named and the others finish.
"""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from plgdata.reporting.jobs import (
    cycle_report_jobs,
    data_report_jobs,
    groepen_of,
    interventions_of,
    leerteam_report_jobs,
    remove_old_work_dir,
    work_dir,
)
from plgdata.reporting.notebooks import CYCLE_NOTEBOOKS, NOTEBOOK_DIR
from plgdata.reporting.render import KernelPool, RenderOutcome, ReportJob, collect, render_guarded, write_index
from plgdata.sample import FILLING_NAME


@dataclass
class DemoResult:
    """What the demo did: the files written, the load report and the cycle's state."""

    data_dir: Path
    out_dir: Path
    reports: list[Path] = field(default_factory=list)
    index: Path | None = None
    load_report: dict = field(default_factory=dict)
    steps: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    failed: list[str] = field(default_factory=list)  # Dutch messages of reports not made
    work_dir: Path | None = None  # the working data (outside out_dir: never shared)

    def to_text(self) -> str:
        lr = self.load_report
        lines = [
            f"Voorbeeldschool ingelezen uit {self.data_dir}: {lr.get('rows_read', 0)} regels gelezen, "
            f"{lr.get('rows_loaded', 0)} ingelezen, {lr.get('rows_set_aside', 0)} apart gezet.",
            "Datateamcyclus doorlopen (notebooks 00 t/m 08):",
        ]
        lines += [f"  stap {s}: {status}" for s, status in self.steps]
        lines.append(
            f"{len(self.reports)} rapporten geschreven in {self.out_dir} (overzicht: {self.index.name if self.index else '-'}):"
        )
        lines += [f"  - {p.name}" for p in self.reports]
        lines += [f"Niet gemaakt: {m}" for m in self.failed]
        if self.work_dir is not None:
            lines.append(f"Werkgegevens (leerlinggegevens en de cyclus; niet delen): {self.work_dir}")
        lines.append(f"Klaar in {self.seconds:.0f} seconden.")
        return "\n".join(lines)


def _cycle_parameters(data_dir: Path, work: Path, key_file: Path | None) -> dict:
    return {
        "data_map": str(data_dir),
        "interventiebestand": str(data_dir / "interventies.xlsx"),
        "werkmap": str(work / "gegevens"),
        "cyclusbestand": str(work / "cyclus_begrijpend_lezen.yaml"),
        "sleutel": str(key_file) if key_file else None,
        # nobody fills in the forms in the demo: the sample's example filling does
        "invulling": str(data_dir / FILLING_NAME) if (data_dir / FILLING_NAME).exists() else None,
    }


def _wait_for(path: Path, stop: threading.Event, timeout: float = 300.0) -> None:
    t0 = time.monotonic()
    while not path.exists():
        if stop.is_set() or time.monotonic() - t0 > timeout:
            raise TimeoutError(f"De ingelezen gegevens verschenen niet op tijd in {path.parent}.")
        time.sleep(0.2)


def _run_cycle(params: dict, kernels: KernelPool, finished: threading.Event, progress=None) -> None:
    """The cycle notebooks 00 … 08 in order, in this thread's kernel (each said to ``progress.step``)."""
    try:
        session = kernels.session()
        for name in CYCLE_NOTEBOOKS:
            session.run(NOTEBOOK_DIR / name, params)
            if progress is not None and hasattr(progress, "step"):
                progress.step(f"cyclusnotebook {Path(name).stem} klaar")
    finally:
        finished.set()


def _data_jobs(werkmap: Path, out_dir: Path, kernels: KernelPool, cycle_done: threading.Event) -> list[ReportJob]:
    """Warm this thread's kernel up, wait for notebook 00's werkmap, then list the data reports."""
    from plgdata.model.dataset import Dataset

    kernels.session().run_code(
        "import pandas, matplotlib, scipy, statsmodels.api, seaborn, plgdata.reporting.groepsoverzicht, plgdata.reporting.opbrengsten"
    )
    _wait_for(werkmap / "inleesverslag.json", cycle_done)
    ds = Dataset.open(werkmap)
    return data_report_jobs(werkmap, out_dir, groepen_of(ds), interventions_of(ds))


def _records_in(data_dir: Path) -> list[Path]:
    """The sample's cycle records (not the example fillings the forms use in a headless run)."""
    filling = Path(FILLING_NAME).stem
    return [p for p in sorted(data_dir.glob("*.yaml")) if not p.stem.startswith(filling)]


def _collect_while_cycling(futures: dict, f_cycle, cycle_futures, outcome: RenderOutcome, progress) -> None:
    """Say each report as it finishes (also while the cycle notebooks still run); when the cycle
    is done, add its reports (``cycle_futures()``).  A cycle notebook that fails stops the demo
    (its record would be incomplete)."""
    pending = dict(futures)
    cycling = True
    while pending or cycling:
        done, _ = wait([*pending, f_cycle] if cycling else list(pending), return_when=FIRST_COMPLETED)
        if cycling and f_cycle in done:
            f_cycle.result()
            pending.update(cycle_futures())
            cycling = False
        for fut in [f for f in done if f in pending]:
            collect({fut: pending.pop(fut)}, outcome, on_done=progress)


def _render_demo(
    params: dict, out_dir: Path, cycle_jobs: list[ReportJob], team_jobs: list[ReportJob], progress=None
) -> tuple[RenderOutcome, list[ReportJob]]:
    """Two threads with one kernel each: the cycle notebooks in one while the other renders the
    reports that need no werkmap (Lesson Study, jaaroverzicht) and then waits for it; then every
    report as a future of its own, the data reports first: the opbrengstenrapport, last, reads
    the groepsoverzichten' numbers they computed (:mod:`plgdata.reporting.memo`) instead of
    computing them again."""
    from plgdata.reporting.memo import shared_numbers

    werkmap = Path(params["werkmap"])
    outcome = RenderOutcome()
    with shared_numbers(), KernelPool() as kernels, ThreadPoolExecutor(max_workers=2, thread_name_prefix="demo") as pool:
        try:
            cycle_done = threading.Event()
            f_cycle = pool.submit(_run_cycle, params, kernels, cycle_done, progress)
            early = [j for j in team_jobs if "werkmap" not in j.parameters]  # while notebook 00 reads the exports
            futures = {pool.submit(render_guarded, j, kernels): j for j in early}
            data_jobs = pool.submit(_data_jobs, werkmap, out_dir, kernels, cycle_done).result()
            if progress is not None:
                progress.expect(len(team_jobs) + len(data_jobs) + len(cycle_jobs))
            late = [j for j in team_jobs if j not in early]
            futures.update({pool.submit(render_guarded, j, kernels): j for j in data_jobs + late})
            _collect_while_cycling(
                futures, f_cycle, lambda: {pool.submit(render_guarded, j, kernels): j for j in cycle_jobs}, outcome, progress
            )
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            kernels.kill_all()
            raise
    return outcome, data_jobs


def run_demo(data_dir: Path, out_dir: Path, *, key_file: Path | None = None, progress=None) -> DemoResult:
    """Run the whole sample cycle and write all reports into ``out_dir``.

    ``progress``, when given, is told how many reports to expect (``progress.expect(n)``) and
    is called as each one finishes (``progress(job, message)``, see :func:`plgdata.reporting.render.collect`).
    """
    from plgdata.cycle import load_cycle, step_status
    from plgdata.sample.cycles import RT_RECORD_NAME

    t0 = time.monotonic()
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_old_work_dir(out_dir)  # pupil-level data of an older version: not in the shared folder
    work = work_dir(out_dir)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    params = _cycle_parameters(data_dir, work, key_file)
    werkmap = Path(params["werkmap"])
    cycle_file = Path(params["cyclusbestand"])
    cycle_jobs = cycle_report_jobs(
        werkmap,
        out_dir,
        [
            (cycle_file, "cyclusrapport_begrijpend_lezen", "Cyclusrapport: begrijpend lezen groep 5/6"),
            (data_dir / RT_RECORD_NAME, "cyclusrapport_rt_rekenen", "Cyclusrapport: RT-groep rekenen groep 4 (actieonderzoek)"),
        ],
    )
    team_jobs = leerteam_report_jobs(
        werkmap,
        out_dir,
        _records_in(data_dir),
        signaleringswaarden=data_dir / "signaleringswaarden.csv",
        plgscan=data_dir / "plgscan.xlsx",
    )
    outcome, data_jobs = _render_demo(params, out_dir, cycle_jobs, team_jobs, progress)
    from plgdata.model.dataset import Dataset

    ds = Dataset.open(werkmap)
    all_jobs = data_jobs + cycle_jobs + team_jobs  # the index lists every report in a fixed order
    index = write_index(out_dir, all_jobs, failed=[j for j, _ in outcome.failed])
    cycle = load_cycle(cycle_file)
    status = step_status(cycle)
    steps = [(f"{r.Stap} {r.Naam}", r.Status) for r in status.itertuples()]
    written = {p.resolve() for p in outcome.done}
    reports = [j.out_html for j in all_jobs if j.out_html.resolve() in written]
    failed = [m for _, m in outcome.failed]
    return DemoResult(data_dir, out_dir, reports, index, ds.report.to_dict(), steps, time.monotonic() - t0, failed, work)
