"""Render each of the four report notebooks once on a small Dataset (papermill + offline template)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from plgdata import cycle as cy
from plgdata.reporting import ReportJob, render_report
from plgdata.reporting.privacy import check_html

from test_reports_content import pid, small_cycle, small_dataset

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks" / "rapporten"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rapporten")
    werkmap = small_dataset().save(tmp / "werkmap")
    cyclusbestand = cy.save_cycle(small_cycle(), tmp / "cyclus.yaml")
    return tmp, werkmap, cyclusbestand


def _render(inputs, notebook: str, title: str, **params) -> str:
    tmp, werkmap, _ = inputs
    out = tmp / (Path(notebook).stem + ".html")
    job = ReportJob(NB_DIR / notebook, out, title, {"werkmap": str(werkmap), "excel_pad": str(out.with_suffix(".xlsx")), "min_n": 5, **params})
    html = render_report(job).read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "<script" not in html.lower() and "http" not in html
    assert check_html(html, numbers={"104512"}, names={"Zoë de Vries"}) == []
    assert "Kernboodschap" in html and "Traceback" not in html and "import " not in html
    assert out.with_suffix(".xlsx").exists()
    return html


def test_notebooks_are_committed_without_outputs():
    for path in sorted(NB_DIR.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1, path.name


def test_groepsoverzicht(inputs):
    html = _render(inputs, "groepsoverzicht.ipynb", "Groepsoverzicht groep 6", groep=6)
    assert "Groep 6 in 2025-2026: 11 leerlingen met toetsresultaten." in html
    assert "Wat doen we als ze het al kunnen?" in html
    assert pid(0) in html  # a pupil who needs attention, by pseudonym
    assert "minder dan 5 leerlingen" in html and "&lt; 5" in html  # class 6B suppressed
    assert 'alt="Gestapelde staafgrafiek' in html


def test_trendanalyse(inputs):
    html = _render(inputs, "trendanalyse.ipynb", "Trendanalyse", signaleringswaarde_2f=0.40)
    assert "Referentieniveaus rekenen-wiskunde groep 8: gemiddeld 90% haalde 1F" in html
    assert "minder dan drie cohorten" in html


def test_interventie_evaluatie(inputs):
    html = _render(inputs, "interventie_evaluatie.ipynb", "Interventie-evaluatie", interventie_id="INT-6B")
    assert "Te weinig leerlingen om iets te concluderen" in html
    assert "Leesclub 6B &lt;b&gt;" in html


def test_cyclusrapport(inputs):
    _, _, cyclusbestand = inputs
    html = _render(inputs, "cyclusrapport.ipynb", "Cyclusrapport", cyclusbestand=str(cyclusbestand))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 44% scoort IV/V" in html
    assert "De cyclus staat bij Stap 3 (Dataverzameling)." in html
    assert "Hypothese H1 verworpen" in html
