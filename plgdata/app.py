"""``plgdata app`` and ``plgdata lab``: the cycle as web pages without code, or JupyterLab in Dutch.

``plgdata app`` serves the same cycle notebooks (``00`` … ``08``) through Voilà, on this
computer only (``127.0.0.1``): a team on a projector sees text, forms, tables and plots,
never code.  Each notebook is copied into a scratch folder with its parameters filled in
(papermill's parameter cell, as in a headless run), so every page reads the team's own
werkmap and cycle record; the committed notebooks are never touched.  A start page links
the steps and shows where the team is.  Voilà's lab template loads Font Awesome from the
internet; plgdata's template (``templates/jupyter/voila/templates/plgapp``) does not and
speaks Dutch while a page loads.

``plgdata lab`` starts JupyterLab in the notebooks folder with the Dutch language pack
(``jupyterlab-language-pack-nl-NL``) selected.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from plgdata.reporting.notebooks import CYCLE_NOTEBOOKS, NOTEBOOK_DIR

#: where plgdata's Voilà template lives (added to JUPYTER_PATH for the Voilà process)
TEMPLATE_ROOT = Path(__file__).resolve().parent / "templates" / "jupyter"
APP_TEMPLATE = "plgapp"
START_PAGE = "start.ipynb"
LOCALHOST = "127.0.0.1"

_STEP_TITLES = {
    "00_start.ipynb": "Start: gegevens inlezen en overzicht",
    "01_probleemdefinitie.ipynb": "Stap 1 · Probleemdefinitie",
    "02_hypothesen.ipynb": "Stap 2 · Hypothesen",
    "03_dataverzameling.ipynb": "Stap 3 · Dataverzameling",
    "04_datakwaliteit.ipynb": "Stap 4 · Datakwaliteit",
    "05_data_analyse.ipynb": "Stap 5 · Data-analyse",
    "06_interpretatie.ipynb": "Stap 6 · Interpretatie en conclusie",
    "07_maatregelen.ipynb": "Stap 7 · Maatregelen",
    "08_evaluatie.ipynb": "Stap 8 · Evaluatie",
}


@dataclass
class AppPaths:
    """What the pages work on: the exports, the interventions, the werkmap, the cycle record, the key file."""

    data_dir: Path
    interventions: Path | None
    workdir: Path
    cycle_file: Path
    key_file: Path | None = None

    def parameters(self) -> dict:
        return {
            "data_map": str(self.data_dir),
            "interventiebestand": str(self.interventions) if self.interventions else None,
            "werkmap": str(self.workdir),
            "cyclusbestand": str(self.cycle_file),
            "sleutel": str(self.key_file) if self.key_file else None,
            "invulling": None,
        }


def ensure_record(paths: AppPaths) -> None:
    """Read the exports into the werkmap once, and make an empty cycle record when there is none."""
    if (paths.workdir / "scores.parquet").exists() and paths.cycle_file.exists():
        return  # the usual start: nothing to read, and no pandas in this process
    from plgdata import workflow

    if not (paths.workdir / "scores.parquet").exists():
        ds = workflow.load_into_workdir(paths.data_dir, paths.workdir, interventions=paths.interventions, key_file=paths.key_file)
    else:
        ds = workflow.open_workdir(paths.workdir)
    paths.cycle_file.parent.mkdir(parents=True, exist_ok=True)
    workflow.open_cycle(paths.cycle_file, title=None, leerteam=None, ds=ds)


def _cell(kind: str, source: str, tags=()) -> dict:
    cell = {"cell_type": kind, "metadata": {"tags": list(tags)}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _notebook(cells: list[dict]) -> dict:
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 4}


def _start_page(cycle_file: Path) -> dict:
    links = "\n".join(f"- [{_STEP_TITLES[n]}]({n})" for n in CYCLE_NOTEBOOKS)
    return _notebook(
        [
            _cell(
                "markdown",
                "# De datateamcyclus\n"
                "Elke stap is een pagina met uitleg, formulieren, tabellen en figuren. Wat het team invult, komt met "
                "**Opslaan in het cyclusverslag** in het cyclusverslag; je kunt na elke stap stoppen en later verder.\n\n"
                + links,
            ),
            _cell("markdown", "## Waar staat het team?"),
            _cell("code", f"from plgdata.app import step_overview\nstep_overview({str(cycle_file)!r})"),
        ]
    )


def step_overview(cycle_file):
    """The start page's table: each step with its status, read straight from the YAML (fast: no pandas)."""
    import yaml
    from IPython.display import Markdown

    data = yaml.safe_load(Path(cycle_file).read_text(encoding="utf-8")) or {}
    rows = ["| Stap | Status |", "|---|---|"]
    for key, step in (data.get("stappen") or {}).items():
        number, _, name = str(key).partition("_")
        rows.append(f"| {number}. {name.replace('_', ' ').capitalize()} | {(step or {}).get('status', 'open')} |")
    title = data.get("titel") or "(nog zonder titel)"
    return Markdown(f"**{title}**\n\n" + "\n".join(rows))


def page_setup() -> None:
    """First cell of every page: no warnings on the projector, and every figure a cell draws is shown.

    The notebooks draw with matplotlib's Agg backend (so a headless run writes no windows);
    on a page the figures a cell leaves open are displayed after the cell and closed.
    """
    import warnings

    from IPython import get_ipython

    warnings.filterwarnings("ignore")
    shell = get_ipython()
    if shell is not None:
        shell.events.register("post_run_cell", _show_open_figures)
        shell.set_custom_exc((Exception,), _dutch_error)


#: what a page says when a step cannot be shown yet (instead of Voilà's English error line)
NOT_YET = (
    "**Deze stap kan nog niet helemaal worden getoond.** Meestal ontbreekt er nog iets uit een eerdere stap: "
    "vul eerst de vorige stappen in (begin op de startpagina) en open deze pagina dan opnieuw."
)


def _dutch_error(_shell, etype, value, _tb, tb_offset=None):
    """A cell failed on a page: a Dutch sentence, never a traceback (our own errors carry a Dutch message)."""
    from IPython.display import Markdown, display

    from plgdata.cycle import CycleError
    from plgdata.forms import FormError

    own = isinstance(value, (CycleError, FormError))
    display(Markdown(NOT_YET + (f"\n\n{value}" if own else "")))


def _show_open_figures(_result=None) -> None:
    import sys as _sys

    plt = _sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return
    import io

    from IPython.display import Image, display

    for number in plt.get_fignums():
        buf = io.BytesIO()
        plt.figure(number).savefig(buf, format="png", dpi=110, bbox_inches="tight")
        display(Image(data=buf.getvalue(), format="png"))
    plt.close("all")


def _with_parameters(nb: dict, parameters: dict) -> dict:
    """The notebook with a cell after its parameters cell that sets ``parameters`` (as papermill does)."""
    code = "# parameters van plgdata app\n" + "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    cells = nb["cells"]
    at = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    quiet = _cell("code", "from plgdata.app import page_setup\npage_setup()")
    nb["cells"] = [quiet, *cells[:at], _cell("code", code, ["injected-parameters"]), *cells[at:]]
    return nb


def prepare_pages(folder: Path, paths: AppPaths) -> list[Path]:
    """The start page and the cycle notebooks with the team's parameters, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {START_PAGE: _start_page(paths.cycle_file)}
    for name in CYCLE_NOTEBOOKS:
        nb = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
        pages[name] = _with_parameters(nb, paths.parameters())
    for name, nb in pages.items():
        (folder / name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return [folder / n for n in pages]


def voila_command(folder: Path, port: int) -> list[str]:
    """The Voilà server for ``folder``: localhost only, plgdata's template, no tracebacks, no browser of its own."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={LOCALHOST}",
        f"--template={APP_TEMPLATE}",
        "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaExporter.language_code=nl",
        "--ServerApp.open_browser=False",
    ]


def app_env() -> dict:
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATE_ROOT), *filter(None, [env.get("JUPYTER_PATH")])])
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCALHOST, 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60.0) -> bool:
    """``True`` once something listens on ``port``; ``False`` when the process stopped or time ran out."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if process.poll() is not None:
            return False
        with socket.socket() as s:
            if s.connect_ex((LOCALHOST, port)) == 0:
                return True
        time.sleep(0.1)
    return False


def start_app(paths: AppPaths, port: int, folder: Path) -> tuple[subprocess.Popen, str]:
    """Prepare the record and the pages, start Voilà; returns the process and the start page's address."""
    folder.mkdir(parents=True, exist_ok=True)
    log = open(folder / "voila.log", "wb")  # noqa: SIM115 - closed with the process by the caller
    # the server boots while the pages are written (it serves nothing before the first request)
    process = subprocess.Popen(voila_command(folder, port), env=app_env(), stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    ensure_record(paths)
    prepare_pages(folder, paths)
    return process, f"http://{LOCALHOST}:{port}/voila/render/{START_PAGE}"


def serve(process: subprocess.Popen, port: int, url: str, open_browser: bool, say) -> int:
    """Wait until the server listens, open the browser, and keep running until Ctrl+C."""
    if not wait_for_port(port, process):
        say("De app kon niet starten (zie voila.log in de werkmap van de app).")
        stop(process)
        return 1
    say(f"plgdata draait op {url} (alleen op deze computer). Stoppen: Ctrl+C.")
    signal.signal(signal.SIGTERM, _interrupt)  # a plain kill stops Voilà too
    if open_browser:
        webbrowser.open(url)
    try:
        return process.wait()
    except KeyboardInterrupt:
        stop(process)
        say("Gestopt.")
        return 0


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_app(paths: AppPaths, *, port: int = 8866, open_browser: bool = True, say=print) -> int:
    """``plgdata app``: the cycle as web pages until Ctrl+C; the scratch folder is removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="plgdata-app-"))
    try:
        say(f"Cyclusverslag: {paths.cycle_file}")
        process, url = start_app(paths, port, folder)
        return serve(process, port, url, open_browser, say)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------
# plgdata lab
# ---------------------------------------------------------------------------

#: JupyterLab's language setting, in a settings folder of plgdata's own
LAB_SETTINGS = Path("@jupyterlab") / "translation-extension" / "plugin.jupyterlab-settings"


def lab_settings_dir(home: Path | None = None) -> Path:
    """A JupyterLab settings folder with Dutch selected (kept when the user changes it later)."""
    d = (home or Path.home()) / ".plgdata" / "jupyterlab-instellingen"
    f = d / LAB_SETTINGS
    if not f.exists():
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps({"locale": "nl_NL"}, indent=2), encoding="utf-8")
    return d


#: the notebook ``plgdata lab`` opens first (not the launcher)
LAB_START_NOTEBOOK = "00_start.ipynb"


def lab_command(notebook_dir: Path, port: int) -> list[str]:
    """The JupyterLab command of ``plgdata lab``: on this computer only, opening ``00_start`` when the folder has it."""
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={notebook_dir}",
        f"--ServerApp.ip={LOCALHOST}",
        f"--ServerApp.port={port}",
    ]
    if (Path(notebook_dir) / LAB_START_NOTEBOOK).is_file():
        cmd.append(f"--LabApp.default_url=/lab/tree/{LAB_START_NOTEBOOK}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # a container or CI machine; a teacher's laptop is not root
        cmd.append("--ServerApp.allow_root=True")
    return cmd


def run_lab(notebook_dir: Path, *, port: int = 8888, say=print) -> int:
    """``plgdata lab``: JupyterLab in ``notebook_dir``, in Dutch, on this computer only."""
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(lab_settings_dir()))
    say(f"JupyterLab start in {notebook_dir} (Nederlands). Stoppen: Ctrl+C.")
    process = subprocess.Popen(lab_command(notebook_dir, port), env=env)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return process.wait()
    except KeyboardInterrupt:
        stop(process)
        return 0
