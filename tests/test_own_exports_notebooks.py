"""The cycle notebooks on a school's own, messy exports instead of the sample: what a teacher
reads after a file is refused or only partly read (executed end to end, outputs asserted)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from identities import SAMPLE, leaks

from plgdata.reporting.notebooks import run_cycle_notebooks

REAL = Path(__file__).resolve().parent / "fixtures" / "exports" / "real"
#: pupil numbers in the real-shaped fixtures copied below
FIXTURE_NUMBERS = ("2201", "4201", "4202")


def _outputs(path: Path) -> list[str]:
    """The text of every output of an executed notebook, one string per code cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    texts = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        parts = []
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"{path.name}: {out.get('ename')}: {out.get('evalue')}"
            parts.append("".join(out.get("text", "")) + json.dumps(out.get("data", {}), ensure_ascii=False))
        texts.append("\n".join(parts))
    return texts


def _params(tmp: Path, data: Path, **extra) -> dict:
    """Notebook parameters for exports in ``data``, working files in ``tmp``, the sample's filling."""
    return {
        "data_map": str(data),
        "interventiebestand": None,
        "werkmap": str(tmp / "werk"),
        "cyclusbestand": str(tmp / "cyclus.yaml"),
        "sleutel": str(tmp / "sleutel.key"),
        "invulling": str(SAMPLE / "voorbeeldinvulling.yaml"),
        **extra,
    }


@pytest.fixture(scope="module")
def own_exports(tmp_path_factory):
    """One year of the sample school plus a refused export (two score columns) and one without a test version."""
    tmp = tmp_path_factory.mktemp("eigen")
    data = tmp / "exports"
    data.mkdir()
    for name in ("cito_begrijpend-lezen_2025-2026.csv", "cito_woordenschat_2025-2026.csv", "leerlingen.csv"):
        shutil.copy(SAMPLE / name, data / name)
    for name in ("twee_vs.csv", "geen_versie.csv"):
        shutil.copy(REAL / name, data / name)
    return tmp, _params(tmp, data)


def test_start_says_which_file_was_refused_why_and_what_to_do(own_exports):
    tmp, params = own_exports
    [nb] = run_cycle_notebooks(params, out_dir=tmp / "00", notebooks=("00_start.ipynb",))
    text = "\n".join(_outputs(nb))
    # the refused file: named, why, and what to do
    assert "twee_vs.csv: FOUT" in text
    assert "kunnen meer kolommen de score zijn" in text and "--koppeling koppeling.yaml" in text
    # what was assumed for a file that was read
    assert "let op: geen toetsversie vermeld: schaal Cito 3.0 aangenomen" in text
    # the overview speaks Dutch
    assert "share_i_iii" not in text and "share_iv_v" not in text and "n_growth" not in text
    assert "Aandeel IV–V" in text
    assert leaks(text) == [] and not [n for n in FIXTURE_NUMBERS if re.search(rf"(?<![\w-]){n}(?![\w-])", text)]


def test_data_quality_shows_each_finding_in_full(own_exports):
    tmp, params = own_exports
    executed = run_cycle_notebooks(params, out_dir=tmp / "04", notebooks=("00_start.ipynb", "04_datakwaliteit.ipynb"))
    text = "\n".join(_outputs(executed[-1]))
    # the whole message, not cut off after 50 characters
    assert "twee_vs.csv: In twee_vs.csv kunnen meer kolommen de score zijn" in text
    assert "Controleer de toetsversie (bijvoorbeeld Cito 3.0 of 2.0)" in text
    assert "[FOUT] Ingelezen gegevens (1): 1 bestand(en) konden niet worden ingelezen." in text
    assert leaks(text) == [] and not [n for n in FIXTURE_NUMBERS if re.search(rf"(?<![\w-]){n}(?![\w-])", text)]


def test_evaluation_without_measures_says_what_to_do_first(own_exports):
    tmp, params = own_exports
    executed = run_cycle_notebooks(
        params, out_dir=tmp / "08", notebooks=("00_start.ipynb", "01_probleemdefinitie.ipynb", "08_evaluatie.ipynb")
    )
    outputs = _outputs(executed[-1])  # no error output in any cell
    text = "\n".join(outputs)
    assert "Er staat nog geen maatregel in het cyclusverslag, dus er is niets te evalueren" in text
    assert "notebook 07 (stap 7)" in text and "image/png" not in text  # no plot of nothing


def test_a_mapping_file_is_given_in_notebook_00(tmp_path):
    """The refusal message asks for a mapping file, but notebook 00 had no way to take one: a
    teacher on a system plgdata does not know was stuck. ``koppeling`` is now a parameter of 00."""
    data = tmp_path / "exports"
    data.mkdir()
    shutil.copy(REAL / "eigen_systeem_breed.csv", data / "eigen_systeem_breed.csv")
    params = _params(tmp_path, data, koppeling=str(REAL / "eigen_systeem_breed.yaml"))
    [nb] = run_cycle_notebooks(params, out_dir=tmp_path / "00", notebooks=("00_start.ipynb",))
    text = "\n".join(_outputs(nb))
    assert "kolommen gekoppeld met eigen_systeem_breed.yaml" in text
    assert "eigen_systeem_breed.csv (Cito (breed overzicht), met koppelbestand): 3 gelezen, 3 ingelezen, 0 apart gezet" in text
