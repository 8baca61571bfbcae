"""Promises about making reports: one broken report never stops the others, nothing hangs."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from plgdata.reporting import ReportJob, render_all
from plgdata.reporting import jobs as report_jobs

from .helpers import CITO, run_cli, sample_lines


def _notebook(path, code: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)
    return path


def _small_export(tmp_path):
    """The sample's rekenen export cut to groep 3 and 4 (few reports, so the test is quick)."""
    lines = sample_lines(CITO)
    keep = lines[:3] + [ln for ln in lines[3:] if ln.split(b";")[6:7] in ([b"3"], [b"4"])]
    path = tmp_path / "cito.csv"
    path.write_bytes(b"\r\n".join(keep) + b"\r\n")
    return path


def test_rapport_with_a_dying_report_finishes_the_others_writes_the_index_and_names_it(tmp_path, monkeypatch):
    notebooks = tmp_path / "rapporten"
    shutil.copytree(report_jobs.REPORT_DIR, notebooks)
    _notebook(notebooks / "trendanalyse.ipynb", "import os\nos._exit(3)  # the kernel dies")
    monkeypatch.setattr(report_jobs, "REPORT_DIR", notebooks)
    out = tmp_path / "uit"
    leftover = out / "trendanalyse.xlsx"
    out.mkdir()
    leftover.write_bytes(b"oud")  # an Excel file of an earlier run must not stay without its report
    code, stdout, err = run_cli(
        "rapport", _small_export(tmp_path), "--sleutel", tmp_path / "k.key", "--out", out, "--tijdslimiet", "100"
    )
    assert code == 1
    assert "Trendanalyse van de school" in err and "rekenkern stopte onverwacht" in err
    assert "1 van de 4 rapporten zijn niet gemaakt" in err
    assert sorted(p.name for p in out.glob("*.html")) == [
        "groepsoverzicht_groep3.html",
        "groepsoverzicht_groep4.html",
        "index.html",
        "opbrengstenrapport.html",
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="groepsoverzicht_groep3.html"' in index and 'href="trendanalyse.html"' not in index
    assert "niet gemaakt" in index
    assert not leftover.exists() and not list(out.glob("*.tmp"))


def test_a_report_that_hangs_and_ignores_sigterm_is_stopped_after_its_time(tmp_path):
    hang = _notebook(
        tmp_path / "hangt.ipynb", "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(3600)"
    )
    ok = _notebook(tmp_path / "goed.ipynb", "1 + 1")
    jobs = [ReportJob(hang, tmp_path / "hangt.html", "Hangend rapport"), ReportJob(ok, tmp_path / "goed.html", "Goed rapport")]
    outcome = render_all(jobs, workers=2, progress=False, timeout=15)
    assert [p.name for p in outcome.done] == ["goed.html"]
    assert len(outcome.failed) == 1 and outcome.failed[0][0].title == "Hangend rapport"
    assert "Hangend rapport" in outcome.failed[0][1]
    assert not (tmp_path / "hangt.html").exists()


def test_relative_signaleringswaarden_and_plgscan_paths_reach_the_kernel_absolute(tmp_path, monkeypatch):
    """The opbrengstenrapport's kernel runs in the notebooks' folder: a relative path broke it (issue 19)."""
    from plgdata.reporting.jobs import leerteam_report_jobs

    monkeypatch.chdir(tmp_path)
    (tmp_path / "sw.csv").write_text("x", encoding="utf-8")
    (tmp_path / "scan.xlsx").write_bytes(b"x")
    (job,) = leerteam_report_jobs(tmp_path / "werk", tmp_path / "out", [], signaleringswaarden="sw.csv", plgscan="scan.xlsx")
    assert job.parameters["signaleringswaarden"] == str(tmp_path / "sw.csv")
    assert job.parameters["plgscan"] == str(tmp_path / "scan.xlsx")


def test_a_report_that_fails_on_a_plgdata_error_shows_its_dutch_reason(tmp_path):
    from plgdata.reporting.render import ReportError, ReportJob, render_report

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from plgdata.io.signalering import SignaleringError\n"
            "raise SignaleringError('Het bestand sw.csv met signaleringswaarden bestaat niet.')"
        )
    ]
    path = tmp_path / "rapport.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ReportError) as ei:
        render_report(ReportJob(path, tmp_path / "rapport.html", "Opbrengstenrapport"), timeout=120)
    msg = str(ei.value)
    assert "signaleringswaarden bestaat niet" in msg and "liep vast" not in msg and "SignaleringError" not in msg
