"""Running the cycle notebooks (``notebooks/00`` … ``08``) in order with papermill.

Each notebook runs in a fresh kernel with the same parameters (data paths, werkmap,
cycle file), exactly as a team would run them one meeting after another.  The
executed copies go to a scratch folder, never over the committed notebooks (which
stay without outputs).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from plgdata.model.errors import PlgdataError

# The notebooks are package data: ``plgdata/notebooks`` is the repository's ``notebooks/`` folder
# (a link in the source tree, real files in an installed wheel), so there is one source.
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"

CYCLE_NOTEBOOKS: tuple[str, ...] = (
    "00_start.ipynb",
    "01_probleemdefinitie.ipynb",
    "02_hypothesen.ipynb",
    "03_dataverzameling.ipynb",
    "04_datakwaliteit.ipynb",
    "05_data_analyse.ipynb",
    "06_interpretatie.ipynb",
    "07_maatregelen.ipynb",
    "08_evaluatie.ipynb",
)


class NotebookError(PlgdataError):
    """A cycle notebook stopped; ``message`` is Dutch and names the notebook."""


def run_cycle_notebooks(
    parameters: dict, *, out_dir: str | Path | None = None, notebooks=CYCLE_NOTEBOOKS, kernel_name: str = "python3"
) -> list[Path]:
    """Execute the cycle notebooks in order, each in a fresh kernel.

    Parameters
    ----------
    parameters : dict
        Values for the notebooks' ``parameters`` cell (``data_map``,
        ``interventiebestand``, ``werkmap``, ``cyclusbestand``, ``sleutel``); paths
        should be absolute because the notebooks run in ``notebooks/``.
    out_dir : path, optional
        Where the executed copies go (default: a temporary folder).

    Returns
    -------
    list of Path
        The executed notebooks.
    """
    import papermill as pm

    from plgdata.reporting.kernel import execute_fresh

    out = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="plgdata-cyclus-"))
    out.mkdir(parents=True, exist_ok=True)
    done = []
    for name in notebooks:
        target = out / name
        try:
            execute_fresh(NOTEBOOK_DIR / name, target, parameters, cwd=NOTEBOOK_DIR, kernel_name=kernel_name)
        except pm.PapermillExecutionError as exc:
            raise NotebookError(f"Notebook {name} liep vast ({exc.ename}: {exc.evalue[:200]}).") from None
        done.append(target)
    return done
