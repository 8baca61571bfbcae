"""`plgdata demo` and `plgdata rapport` say each report as it finishes (issue 21 item 5).

Before, nothing was printed until every report was done (85 s of silence under load).  Now
:func:`plgdata.reporting.render.collect` calls back as each report finishes and the command
prints a line at once (flushed, also when the output goes to a file or a pipe); in a terminal a
tqdm bar runs as well.
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from faults.helpers import CITO, run_cli

from plgdata import cli
from plgdata.reporting.render import RenderOutcome, ReportError, ReportJob, collect


def _job(name: str) -> ReportJob:
    return ReportJob(Path("x.ipynb"), Path(f"/tmp/{name}.html"), f"Rapport {name}")


def test_collect_calls_back_as_each_report_finishes_in_the_order_they_finish():
    gates = {n: threading.Event() for n in ("a", "b", "c")}
    seen: list[tuple[str, str | None]] = []

    def work(name):
        gates[name].wait(5)
        if name == "b":
            raise ReportError("Het rapport 'Rapport b' kon niet worden gemaakt: proef.")
        return Path(f"/tmp/{name}.html")

    def on_done(job, message):
        seen.append((job.title, message))
        nxt = {"Rapport c": "a", "Rapport a": "b"}.get(job.title)
        if nxt:
            gates[nxt].set()  # the next report finishes only after this one was said

    with ThreadPoolExecutor(3) as pool:
        futures = {pool.submit(work, n): _job(n) for n in ("a", "b", "c")}
        gates["c"].set()
        outcome = collect(futures, RenderOutcome(), on_done=on_done)
    assert seen == [
        ("Rapport c", None),
        ("Rapport a", None),
        ("Rapport b", "Het rapport 'Rapport b' kon niet worden gemaakt: proef."),
    ]
    assert len(outcome.done) == 2 and len(outcome.failed) == 1


class _Pipe(io.StringIO):
    """stdout as a pipe or a file: remembers what had been flushed."""

    def __init__(self, tty: bool = False):
        super().__init__()
        self.tty, self.flushed = tty, ""

    def isatty(self):
        return self.tty

    def flush(self):
        self.flushed = self.getvalue()


def test_without_a_terminal_each_report_is_one_line_flushed_at_once():
    out = _Pipe()
    progress = cli.ReportProgress(2, stream=out)
    progress(_job("groepsoverzicht_groep6"), None)
    assert out.flushed == "  [1/2] klaar: Rapport groepsoverzicht_groep6 (groepsoverzicht_groep6.html)\n"
    progress(_job("trendanalyse"), "Het rapport kon niet worden gemaakt.")
    assert out.flushed.splitlines()[-1] == "  [2/2] niet gemaakt: Rapport trendanalyse (trendanalyse.html)"
    progress.close()


def test_in_a_terminal_a_progress_bar_runs_beside_the_lines():
    out = _Pipe(tty=True)
    progress = cli.ReportProgress(stream=out)
    progress.expect(3)
    progress(_job("a"), None)
    progress.close()
    text = out.getvalue()
    assert "[1/3] klaar: Rapport a (a.html)" in text
    assert "Rapporten" in text and "1/3" in text  # tqdm's bar


def test_rapport_prints_each_report_before_the_next_is_done(tmp_path, monkeypatch):
    """Through the command: while the second report is still being made, the first one's line is out."""
    import plgdata.reporting as reporting

    printed_before_second: list[str] = []

    def fake_render_all(jobs, *, on_done=None, **kwargs):
        import sys

        outcome = RenderOutcome()
        for i, job in enumerate(jobs[:2]):
            if i == 1:
                printed_before_second.append(sys.stdout.getvalue())
            outcome.done.append(job.out_html)
            on_done(job, None)
        return outcome

    monkeypatch.setattr(reporting, "render_all", fake_render_all)
    code, out, err = run_cli("rapport", "--sleutel", tmp_path / "k.key", "--out", tmp_path / "rapporten", CITO)
    assert "klaar: " in printed_before_second[0] and "[1/" in printed_before_second[0]
    assert "[2/" in out
