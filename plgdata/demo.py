"""The main job: the whole sample cycle on the sample school (``plgdata demo``).

1. The cycle notebooks ``00`` … ``08`` run in order on ``data/sample`` (notebook 00 reads
   and pseudonymises the exports into a werkmap; the others read the werkmap and fill a
   fresh copy of the cycle record).
2. Meanwhile the data reports render: a *groepsoverzicht* per groep, the *trendanalyse*
   and an *interventie-evaluatie* per intervention.
3. Then the *cyclusrapport* of the datateam cycle and of the sample's finished
   actieonderzoek (the RT-group), an ``index.html`` and one Excel file per report.

Two worker processes each hold one kernel (see :mod:`plgdata.reporting.kernel`), so the
libraries are imported twice in all rather than once per notebook.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Manager
from dataclasses import dataclass, field
from pathlib import Path

from plgdata.reporting.notebooks import CYCLE_NOTEBOOKS, NOTEBOOK_DIR
from plgdata.sample import FILLING_NAME
from plgdata.reporting.jobs import WORK_SUBDIR, cycle_report_jobs, data_report_jobs, groepen_of, interventions_of
from plgdata.reporting.render import ReportJob, render_report, write_index


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

    def to_text(self) -> str:
        lr = self.load_report
        lines = [
            f"Voorbeeldschool ingelezen uit {self.data_dir}: {lr.get('rows_read', 0)} regels gelezen, "
            f"{lr.get('rows_loaded', 0)} ingelezen, {lr.get('rows_set_aside', 0)} apart gezet.",
            "Datateamcyclus doorlopen (notebooks 00 t/m 08):",
        ]
        lines += [f"  stap {s}: {status}" for s, status in self.steps]
        lines.append(f"{len(self.reports)} rapporten geschreven in {self.out_dir} (overzicht: {self.index.name if self.index else '-'}):")
        lines += [f"  - {p.name}" for p in self.reports]
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


def _wait_for(path: Path, timeout: float = 300.0) -> None:
    t0 = time.monotonic()
    while not path.exists():
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(f"De ingelezen gegevens verschenen niet op tijd in {path.parent}.")
        time.sleep(0.2)


def _drain(queue, session) -> list[Path]:
    """Render report jobs from the shared queue until it is empty."""
    import queue as queue_mod

    done = []
    while True:
        try:
            job = queue.get_nowait()
        except queue_mod.Empty:
            return done
        done.append(render_report(job, session=session))


def _chain_cycle(params: dict, cycle_jobs: list[ReportJob], queue, ready) -> list[Path]:
    """Worker 1: the cycle notebooks in order and the cycle reports in one kernel, then
    it helps with the data reports still waiting in the queue."""
    from plgdata.reporting.kernel import KernelSession

    with KernelSession() as k:
        for name in CYCLE_NOTEBOOKS:
            k.run(NOTEBOOK_DIR / name, params)
        done = [render_report(j, session=k) for j in cycle_jobs]
        ready.wait(timeout=600)
        return done + _drain(queue, k)


def _chain_data(werkmap: Path, out_dir: Path, queue, ready) -> list[Path]:
    """Worker 2: once notebook 00 has written the werkmap, queue the data reports and render them."""
    from plgdata.model.dataset import Dataset
    from plgdata.reporting.kernel import KernelSession

    with KernelSession() as k:
        k.run_code("import pandas, matplotlib, scipy, statsmodels.api, seaborn, plgdata.reporting.content")  # warm up while waiting
        _wait_for(werkmap / "inleesverslag.json")
        ds = Dataset.open(werkmap)
        for job in data_report_jobs(werkmap, out_dir, groepen_of(ds), interventions_of(ds)):
            queue.put(job)
        ready.set()
        return _drain(queue, k)


def run_demo(data_dir: Path, out_dir: Path, *, key_file: Path | None = None) -> DemoResult:
    """Run the whole sample cycle and write all reports into ``out_dir``."""
    from plgdata.cycle import load_cycle, step_status
    from plgdata.sample.cycles import RT_RECORD_NAME

    t0 = time.monotonic()
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / WORK_SUBDIR
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
    with Manager() as manager, ProcessPoolExecutor(max_workers=2) as pool:
        queue, ready = manager.Queue(), manager.Event()
        f_cycle = pool.submit(_chain_cycle, params, cycle_jobs, queue, ready)
        f_data = pool.submit(_chain_data, werkmap, out_dir, queue, ready)
        data_paths = f_data.result()
        cycle_paths = f_cycle.result()
    # the index lists every report in a fixed order
    from plgdata.model.dataset import Dataset

    ds = Dataset.open(werkmap)
    all_jobs = data_report_jobs(werkmap, out_dir, groepen_of(ds), interventions_of(ds)) + cycle_jobs
    index = write_index(out_dir, all_jobs)
    cycle = load_cycle(cycle_file)
    status = step_status(cycle)
    steps = [(f"{r.Stap} {r.Naam}", r.Status) for r in status.itertuples()]
    written = {p.resolve() for p in data_paths + cycle_paths}
    reports = [j.out_html for j in all_jobs if j.out_html.resolve() in written]
    return DemoResult(data_dir, out_dir, reports, index, ds.report.to_dict(), steps, time.monotonic() - t0)
