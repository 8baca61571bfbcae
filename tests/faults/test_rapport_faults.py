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


def _old_reports(out):
    out.mkdir(parents=True)
    (out / "index.html").write_text("<p>oude index</p>", encoding="utf-8")
    (out / "trendanalyse.html").write_text("<p>oud rapport</p>", encoding="utf-8")
    return {p.name: p.read_bytes() for p in out.iterdir()}


def test_sigterm_during_rapport_leaves_the_old_reports_and_index_as_they_were(tmp_path, monkeypatch):
    """SIGTERM during 'rapport' left old and new reports mixed with an old index (issue 19, Low)."""
    import os
    import signal

    import plgdata.reporting as reporting

    out = tmp_path / "rapporten"
    before = _old_reports(out)
    handler = signal.getsignal(signal.SIGTERM)

    def stopped_halfway(jobs, **kwargs):
        jobs[0].out_html.write_text("<p>nieuw rapport</p>", encoding="utf-8")  # one new report is done …
        os.kill(os.getpid(), signal.SIGTERM)  # … when the run is stopped
        raise AssertionError("SIGTERM did not stop the run")

    monkeypatch.setattr(reporting, "render_all", stopped_halfway)
    code, stdout, err = run_cli("rapport", CITO, "--sleutel", tmp_path / "k.key", "--out", out)
    assert code == 130 and "Afgebroken" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name != ".plgdata-bezig.lock"} == before
    assert signal.getsignal(signal.SIGTERM) == handler  # the run's own handler is gone again


def test_a_finished_rapport_replaces_the_reports_and_writes_the_index_last(tmp_path, monkeypatch):
    import plgdata.reporting as reporting
    from plgdata.reporting.render import RenderOutcome

    out = tmp_path / "rapporten"
    _old_reports(out)

    def all_made(jobs, **kwargs):
        outcome = RenderOutcome()
        for j in jobs:
            j.out_html.parent.mkdir(parents=True, exist_ok=True)
            j.out_html.write_text(f"<p>nieuw: {j.title}</p>", encoding="utf-8")
            outcome.done.append(j.out_html)
        return outcome

    monkeypatch.setattr(reporting, "render_all", all_made)
    code, stdout, err = run_cli("rapport", CITO, "--sleutel", tmp_path / "k.key", "--out", out)
    assert code == 0, err
    assert (out / "trendanalyse.html").read_text(encoding="utf-8").startswith("<p>nieuw")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "oude index" not in index and "trendanalyse.html" in index
    assert not list(out.glob(".plgdata-nieuw-*"))
