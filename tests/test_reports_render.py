"""Render each of the four report notebooks once on a small Dataset (papermill + offline template).

The begrijpend-lezen results are read from exports holding real-looking names and pupil numbers
(from the sample school), so the privacy check on every report is one that can fail."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest
from identities import SAMPLE, leaks
from test_reports_content import pid, small_cycle, small_dataset

from plgdata import cycle as cy
from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.io.scores import load
from plgdata.model import schema
from plgdata.model.dataset import Dataset
from plgdata.reporting import ReportJob, render_report
from plgdata.reporting.privacy import check_html

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks" / "rapporten"
SECRET = b"reports-render-test-key-00000000"
HEADER = "Leerlingnummer;Achternaam;Tussenvoegsel;Voornaam;Geslacht;Groep;Klas;Toets;Toetsmoment;Afnamedatum;Vaardigheidsscore;Niveau;Percentiel"


def _identities(n: int) -> pd.DataFrame:
    """The first ``n`` real-looking pupils of the sample school (number and name)."""
    df = pd.read_csv(SAMPLE / "leerlingen.csv", sep=";", encoding="cp1252", skiprows=1, dtype=str).fillna("")
    return df.head(n).reset_index(drop=True)


def _export(scores: pd.DataFrame, who: dict, year: str, path: Path) -> Path:
    """The begrijpend-lezen rows of ``scores`` in one year as a Cito export, with names and pupil numbers."""
    lines = [f"Toetsresultaten Begrijpend lezen - OBS Test - schooljaar {year} - export 14-07-2026", "", HEADER]
    for r in scores[(scores["subject"] == "begrijpend lezen") & (scores["school_year"] == year)].itertuples():
        p = who[r.pupil_id]
        lines.append(
            ";".join(
                [
                    p.Leerlingnummer,
                    p.Achternaam,
                    p.Tussenvoegsel,
                    p.Voornaam,
                    p.Geslacht,
                    str(r.groep),
                    r.class_name,
                    "Begrijpend lezen 3.0",
                    r.moment,
                    r.date.strftime("%d-%m-%Y"),
                    f"{r.score:.0f}",
                    r.level,
                    f"{r.percentile:.0f}",
                ]
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The small Dataset, but its begrijpend-lezen results read from exports that hold the names and
    pupil numbers of sample pupils (pseudonymised at the door), so the privacy check can fail."""
    tmp = tmp_path_factory.mktemp("rapporten")
    small = small_dataset()
    s = small.scores
    bl = sorted(s.loc[s["subject"] == "begrijpend lezen", "pupil_id"].unique())
    people = _identities(len(bl))
    who = dict(zip(bl, people.itertuples()))
    files = [_export(s, who, y, tmp / f"cito_begrijpend-lezen_{y}.csv") for y in ("2024-2025", "2025-2026")]
    read = load(files, secret=SECRET, interventions=False)
    p = Pseudonymiser(secret=SECRET)
    p.school = "OBS Test"  # the school the exports' title names: a pupil is a school plus a number
    part = small.participation.assign(pupil_id=[p.from_number(who[x].Leerlingnummer) for x in small.participation["pupil_id"]])
    scores = schema.coerce(
        pd.concat([read.scores.astype(object), s[s["subject"] != "begrijpend lezen"].astype(object)], ignore_index=True),
        schema.SCORE_COLUMNS,
        schema.SCORE_DTYPES,
    )
    ds = Dataset(
        scores=scores,
        pupils=read.pupils,
        interventions=small.interventions,
        participation=part.astype(small.participation.dtypes),
    ).validate()
    werkmap = ds.save(tmp / "werkmap")
    cyclusbestand = cy.save_cycle(small_cycle(), tmp / "cyclus.yaml")
    numbers = set(people["Leerlingnummer"])
    names = {" ".join(x for x in (r.Voornaam, r.Tussenvoegsel, r.Achternaam) if x) for r in people.itertuples()}
    exported = "".join(f.read_text(encoding="cp1252") for f in files)
    assert all(n in exported for n in numbers) and all(r.Achternaam in exported for r in people.itertuples())
    return tmp, werkmap, cyclusbestand, numbers, names, p.from_number(who[pid(0)].Leerlingnummer)


def _render(inputs, notebook: str, title: str, **params) -> str:
    tmp, werkmap, _, numbers, names, _ = inputs
    out = tmp / (Path(notebook).stem + ".html")
    job = ReportJob(
        NB_DIR / notebook, out, title, {"werkmap": str(werkmap), "excel_pad": str(out.with_suffix(".xlsx")), "min_n": 5, **params}
    )
    html = render_report(job).read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "<script" not in html.lower() and "http" not in html
    assert check_html(html, numbers=numbers, names=names) == [] and leaks(html) == []
    assert "Kernboodschap" in html and "Traceback" not in html and "import " not in html
    assert out.with_suffix(".xlsx").exists()
    return html


def test_the_privacy_check_sees_these_pupils_when_they_leak(inputs):
    _, _, _, numbers, names, _ = inputs
    number, name = min(numbers), min(names)
    assert [f.kind for f in check_html(f"<p>leerling {number}</p>", numbers=numbers, names=names)] == ["leerlingnummer"]
    assert [f.kind for f in check_html(f"<td>{name}</td>", numbers=numbers, names=names)] == ["naam"]
    assert leaks(f"<td>{name}</td>") == [name]


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
    assert inputs[5] in html  # a pupil who needs attention, by pseudonym
    assert "minder dan 5 leerlingen" in html and "&lt; 5" in html  # class 6B suppressed
    assert 'alt="Gestapelde staafgrafiek' in html


def test_trendanalyse(inputs):
    html = _render(inputs, "trendanalyse.ipynb", "Trendanalyse", signaleringswaarde_2f=0.40)
    assert "Referentieniveaus groep 8: Gewogen driejaarsgemiddelde" in html
    assert "90,0% 1F (boven de signaleringswaarde van 85,0%)" in html  # one decimal, the one indicator
    assert "De indicator van de inspectie: lezen, taalverzorging en rekenen samen" in html
    assert "minder dan drie cohorten" in html


def test_interventie_evaluatie(inputs):
    html = _render(inputs, "interventie_evaluatie.ipynb", "Interventie-evaluatie", interventie_id="INT-6B")
    assert "Te weinig leerlingen om iets te concluderen" in html
    assert "Leesclub 6B &lt;b&gt;" in html


def test_cyclusrapport(inputs):
    cyclusbestand = inputs[2]
    html = _render(inputs, "cyclusrapport.ipynb", "Cyclusrapport", cyclusbestand=str(cyclusbestand))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 44% scoort IV/V" in html
    assert "De cyclus staat bij Stap 3 (Dataverzameling)." in html
    assert "Hypothese H1 verworpen" in html
