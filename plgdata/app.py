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
import re
import secrets
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

from plgdata.app_pages import METHODS, RECORD_NAMES, START_PAGE
from plgdata.reporting.jobs import CYCLE_REPORT_METHODS
from plgdata.reporting.notebooks import NOTEBOOK_DIR

#: where plgdata's Voilà template lives (added to JUPYTER_PATH for the Voilà process)
TEMPLATE_ROOT = Path(__file__).resolve().parent / "templates" / "jupyter"
APP_TEMPLATE = "plgapp"
LOCALHOST = "127.0.0.1"
#: a notebook line that starts so says how to work in JupyterLab; pages leave it out
LAB_ONLY = "Zo werk je:"


@dataclass
class AppPaths:
    """What the pages work on: the exports, the interventions, the werkmap, the records, the key file.

    The datateam's cycle record is ``cycle_file``; the other methods keep theirs beside it
    (``actieonderzoek.yaml``, ``lessonstudy.yaml``, ``jaarplan.yaml``, as the notebooks'
    parameters say) unless ``records`` names another file.  ``reports`` is the folder the
    pages' *Maak het rapport* writes into.
    """

    data_dir: Path
    interventions: Path | None
    workdir: Path
    cycle_file: Path
    key_file: Path | None = None
    records: dict | None = None
    #: where *Maak het rapport* writes (the team's shared reports folder, as ``plgdata rapport --out``)
    reports: Path = Path("reports")

    def record(self, method: str) -> Path:
        if method == "datateam":
            return self.cycle_file
        given = (self.records or {}).get(method)
        return Path(given) if given else self.cycle_file.parent / RECORD_NAMES[method]

    def record_files(self) -> dict:
        return {m.key: str(self.record(m.key)) for m in METHODS}

    def parameters(self, method: str = "datateam") -> dict:
        common = {"werkmap": str(self.workdir), "sleutel": str(self.key_file) if self.key_file else None}
        record = str(self.record(method))
        # nobody's example values on a page: a form shows and saves only what the team types
        if method == "lessonstudy":
            return {**common, "lessonstudybestand": record, "invulling": None}
        if method == "jaarplan":
            return {"jaarplanbestand": record, "invulling": None}
        return {
            "data_map": str(self.data_dir),
            "interventiebestand": str(self.interventions) if self.interventions else None,
            **common,
            "cyclusbestand": record,
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


def _start_page(paths: AppPaths) -> dict:
    intro = (
        "# plgdata: de cycli van het team\n"
        "Kies hieronder een werkwijze. Elke stap is een pagina met uitleg, formulieren, tabellen en figuren. "
        "Wat het team invult, komt met **Opslaan in het cyclusverslag** in het verslag van die cyclus; "
        "je kunt na elke stap stoppen en later verder."
    )
    files = paths.record_files()
    reports = {m.label: files[m.key] for m in METHODS if m.key in CYCLE_REPORT_METHODS}
    return _notebook(
        [
            _cell("code", "from plgdata.app import page_setup\npage_setup()"),
            _cell("markdown", intro),
            _cell("code", f"from plgdata.app_pages import show_start\nshow_start({files!r})"),
            _cell("markdown", "## Cyclusrapporten\nMaak hier het cyclusrapport van een cyclus voor de teamvergadering."),
            _cell(
                "code",
                "from plgdata.app_report import report_buttons\n"
                f"report_buttons({reports!r}, {str(Path(paths.reports).resolve())!r}, {str(paths.workdir)!r})",
            ),
        ]
    )


def page_setup(page: str | None = None, record=None) -> None:
    """First cell of every page: no warnings, figures shown, Dutch errors, plain tables, and the page's bar.

    The notebooks draw with matplotlib's Agg backend (so a headless run writes no windows);
    on a page the figures a cell leaves open are displayed after the cell and closed.
    With ``page`` and ``record``: the bar with the method, the step, the record it edits
    and the steps' status (redrawn after every save), and *Volgende stap* after saving.
    """
    import warnings

    from IPython import get_ipython

    from plgdata import app_pages

    warnings.filterwarnings("ignore")
    shell = get_ipython()
    if shell is not None:
        shell.events.register("post_run_cell", _show_open_figures)
        shell.set_custom_exc((Exception,), _dutch_error)
        app_pages.install_table_format(shell)
    if page is None:
        return
    from IPython.display import display

    from plgdata.forms import base

    bar = app_pages.PageBar(page, record)
    base.after_save.append(lambda _form: bar.refresh())
    base.next_step[:] = [app_pages.next_step(page)]
    display(bar.widget)


def page_parameters(page: str | Path) -> dict:
    """The parameters ``plgdata app`` filled into a page (its ``injected-parameters`` cell), as values."""
    import ast

    nb = json.loads(Path(page).read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "injected-parameters" in c.get("metadata", {}).get("tags", []))
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    tree = ast.parse(source)
    return {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)}


def warm_page(page: str) -> None:
    """In a prepared kernel, before ``page`` is opened: compute what the page will show, and keep nothing of it.

    Only the slow parts that are remembered by what they are computed from (the exports' preview by
    the files' stamp, the evidence figures by their numbers, the estimation plots by their data):
    the page still computes everything itself when it is opened, with the record as it is then, and
    finds these already drawn when nothing changed (0.2-0.4 s of steps 0, 5, 6 and 8).  Nothing is
    saved, shown or left in the page's namespace; anything that fails is left to the page.
    """
    try:
        _warm(page, page_parameters(page))
    except Exception:  # noqa: BLE001 - the page itself says what is wrong
        pass
    finally:
        import sys as _sys

        plt = _sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            plt.close("all")


def _warm(page: str, p: dict) -> None:
    from plgdata import forms, workflow
    from plgdata.cycle import load_cycle

    name = Path(page).name
    if name == "00_start.ipynb":
        _, mapping = forms.mapping_files(p.get("koppeling"), p["werkmap"])
        forms.preview_html(forms.read_preview(p["data_map"], mapping=mapping))
    if "cyclusbestand" not in p or not Path(p["werkmap"], "scores.parquet").exists():
        return
    ds = workflow.open_workdir(p["werkmap"])
    if name == "00_start.ipynb":
        workflow.school_overview(ds)
        return
    c = load_cycle(p["cyclusbestand"])
    if name in ("05_data_analyse.ipynb", "06_interpretatie.ipynb"):
        workflow.analyse_open_hypotheses(c, ds)  # in memory only: the page saves what it computes
        forms.evidence(c)
    elif name == "08_evaluatie.ipynb":
        workflow.evaluation_figures(workflow.evaluate_measures(c, ds))


#: what a page says when a step cannot be shown yet (instead of Voilà's English error line)
NOT_YET = (
    "**Deze stap kan nog niet helemaal worden getoond.** Meestal ontbreekt er nog iets uit een eerdere stap: "
    "vul eerst de vorige stappen in (begin op de startpagina) en open deze pagina dan opnieuw."
)


def _dutch_error(_shell, etype, value, _tb, tb_offset=None):
    """A cell failed on a page: a Dutch sentence, never a traceback (our own errors carry a Dutch message)."""
    from IPython.display import Markdown, display

    from plgdata.app_pages import esc
    from plgdata.cycle import CycleError
    from plgdata.forms import FormError

    own = isinstance(value, (CycleError, FormError))
    display(Markdown(NOT_YET + (f"\n\n{esc(value)}" if own else "")))


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


def _with_parameters(nb: dict, parameters: dict, page: str, record: str, reports: str | None = None) -> dict:
    """The notebook with a cell after its parameters cell that sets ``parameters`` (as papermill does),
    the page's bar on top, *Maak het rapport* when ``reports`` is given, and previous/next at its foot."""
    code = "# parameters van plgdata app\n" + "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    cells = nb["cells"]
    at = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    for c in cells:  # how to run a notebook in JupyterLab means nothing on a page
        if c["cell_type"] == "markdown":
            text = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            text = "\n".join(line for line in text.split("\n") if not line.startswith(LAB_ONLY))
            c["source"] = COMMAND_REPORT.sub(PAGE_REPORT, text) if reports is not None else text
    top = _cell("code", f"from plgdata.app import page_setup\npage_setup({page!r}, {record!r})")
    foot = _cell("code", f"from plgdata.app_pages import foot\nfoot({page!r})")
    made = [_report_cell(record, reports, parameters["werkmap"])] if reports is not None else []
    nb["cells"] = [top, *cells[:at], _cell("code", code, ["injected-parameters"]), *cells[at:], *made, foot]
    return nb


#: where a notebook tells the team to make the cyclusrapport with the command, and what a page says instead
COMMAND_REPORT = re.compile(r"Maak met `plgdata rapport[^`]*` het cyclusrapport")
PAGE_REPORT = "Maak onderaan deze pagina met **Maak het rapport** het cyclusrapport"
#: the pages that end with *Maak het rapport* (the last page of a method with a cyclusrapport)
REPORT_PAGES = ("08_evaluatie.ipynb", "actieonderzoek.ipynb")


def _report_cell(record: str, reports: str, werkmap: str) -> dict:
    return _cell(
        "code",
        "from plgdata.app_report import report_button\n"
        "from IPython.display import Markdown, display\n"
        "display(Markdown('## Het cyclusrapport'))\n"
        f"report_button({record!r}, {reports!r}, {werkmap!r})",
    )


def prepare_pages(folder: Path, paths: AppPaths) -> list[Path]:
    """The start page and every method's notebooks with the team's parameters, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {START_PAGE: _start_page(paths)}
    for method in METHODS:
        record = str(paths.record(method.key))
        for name, _title in method.pages:
            nb = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
            reports = str(Path(paths.reports).resolve()) if name in REPORT_PAGES else None
            pages[name] = _with_parameters(nb, paths.parameters(method.key), name, record, reports)
    for name, nb in pages.items():
        (folder / name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return [folder / n for n in pages]


#: a page whose browser tab is gone is stopped by its ``beforeunload`` request; a kernel left
#: without a connection (a crashed browser, a laptop closed) is stopped after this many seconds
CULL_IDLE_SECONDS = 40
CULL_INTERVAL_SECONDS = 10
#: kernels kept started, with plgdata imported, for the next pages (about 250 MB each)
PREPARED_KERNELS = 3


#: JupyterLab extensions Voilà would load into every page, which the pages do not use
UNUSED_EXTENSIONS = ("jupyterlab_pygments", "@voila-dashboards/jupyterlab-preview")


def voila_config(token: str) -> dict:
    """Voilà's settings (``voila.json``, read from the server's working folder, never shown in ``ps``).

    * a random ``token``: the printed address carries it (``?token=…``, like Jupyter); a request
      without it, or without the cookie the first request set, is refused;
    * ``allow_remote_access`` off: a request whose ``Host`` is not this computer (DNS rebinding:
      ``evil.example`` pointing at 127.0.0.1) gets 403; a websocket or API call from a foreign
      ``Origin`` is refused by jupyter_server's origin check;
    * ``port_retries`` 0: Voilà never moves to another port behind plgdata's back;
    * idle culling: a kernel without a page is stopped (``cull_connected`` stays off, so an
      open page keeps its kernel however long the meeting takes);
    * a request without the token sees a Dutch page (:class:`plgdata.app_server.DutchIdentityProvider`);
    * ``/voila/files/`` serves nothing: the pages carry their figures inside the page, and
      Voilà's file route has no token check;
    * prepared kernels (:class:`plgdata.app_server.PreparedKernelManager`): ``PREPARED_KERNELS``
      kernels wait, started and with plgdata imported, so a step page need not start one;
      a page's kernel client is ready without waiting 0.2 s for silence (:class:`plgdata.app_server.PageKernelClient`).
    """
    return {
        "Voila": {
            "token": token,
            "port_retries": 0,
            "open_browser": False,
            "tornado_settings": {"allow_remote_access": False, "local_hostnames": ["localhost"]},
            "identity_provider_class": "plgdata.app_server.DutchIdentityProvider",
        },
        "VoilaConfiguration": {
            "file_allowlist": [],
            "file_denylist": [".*"],
            "multi_kernel_manager_class": "plgdata.app_server.PreparedKernelManager",
            # JupyterLab extensions a page without code does not use (syntax colours, Lab's preview button)
            "extension_denylist": list(UNUSED_EXTENSIONS),
        },
        "PreparedKernelManager": {"pool_size": PREPARED_KERNELS},
        "ServerKernelManager": {"client_class": "plgdata.app_server.PageKernelClient"},
        "MappingKernelManager": {
            "cull_idle_timeout": CULL_IDLE_SECONDS,
            "cull_interval": CULL_INTERVAL_SECONDS,
            "cull_connected": False,
            "cull_busy": False,
        },
    }


def write_voila_config(folder: Path, token: str) -> Path:
    """``voila.json`` in ``folder`` (readable by this user only); returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    f = folder / "voila.json"
    fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(voila_config(token), fh)
    return folder


def voila_command(folder: Path, port: int) -> list[str]:
    """The Voilà server for ``folder``: localhost only, plgdata's template, no tracebacks, no browser of its own.

    The token and the other settings come from ``voila.json`` in the server's working folder
    (:func:`write_voila_config`).
    """
    return [
        sys.executable,
        "-m",
        "plgdata.startup",  # Voilà without an import of 0.7 s that checks nothing of ours
        "voila",
        str(folder),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={LOCALHOST}",
        f"--template={APP_TEMPLATE}",
        "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaExporter.language_code=nl",
    ]


def app_env() -> dict:
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATE_ROOT), *filter(None, [env.get("JUPYTER_PATH")])])
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCALHOST, 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    """``True`` when nothing listens on ``port`` of this computer (so Voilà can take it)."""
    with socket.socket() as s:
        try:
            s.bind((LOCALHOST, port))
        except OSError:
            return False
    with socket.socket() as s:
        return s.connect_ex((LOCALHOST, port)) != 0


def choose_port(port: int) -> tuple[int, str | None]:
    """``port`` when it is free, else a free one and a Dutch sentence saying so.

    A second ``plgdata app`` on a taken port must never show the first app's pages (the
    team would edit the other cycle): it gets a port of its own and prints that address.
    """
    if port_is_free(port):
        return port, None
    other = free_port()
    return other, f"Poort {port} is al in gebruik (draait plgdata app al?); deze app gebruikt poort {other}."


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


def serves_us(port: int, token: str, process: subprocess.Popen, timeout: float = 60.0) -> bool:
    """``True`` once the server on ``port`` is this app's Voilà (it accepts this app's token).

    Another program on the port (a first ``plgdata app``) does not know the token, and a
    Voilà that could not take the port has stopped: both give ``False``.
    """
    import urllib.error
    import urllib.request

    if not wait_for_port(port, process, timeout):
        return False
    url = f"http://{LOCALHOST}:{port}/voila/api/contents?token={token}"
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server on 127.0.0.1
                return response.status == 200 and process.poll() is None
        except urllib.error.HTTPError:
            return False
        except OSError:
            time.sleep(0.2)
    return False


def start_app(paths: AppPaths, port: int, folder: Path, token: str | None = None) -> tuple[subprocess.Popen, str]:
    """Prepare the record and the pages, start Voilà; returns the process and the start page's address (with token)."""
    token = token or secrets.token_urlsafe(24)
    pages = folder / "paginas"
    pages.mkdir(parents=True, exist_ok=True)
    settings = write_voila_config(folder / "instellingen", token)
    log = open(folder / "voila.log", "wb")  # noqa: SIM115 - closed with the process by the caller
    # the server boots while the pages are written (it serves nothing before the first request)
    process = subprocess.Popen(voila_command(pages, port), env=app_env(), stdout=log, stderr=subprocess.STDOUT, cwd=settings)
    process.token = token
    ensure_record(paths)
    prepare_pages(pages, paths)
    return process, f"http://{LOCALHOST}:{port}/voila/render/{START_PAGE}?token={token}"


def serve(process: subprocess.Popen, port: int, url: str, open_browser: bool, say) -> int:
    """Wait until this app's server answers, open the browser, and keep running until Ctrl+C."""
    if not serves_us(port, process.token, process):
        say(f"De app kon niet starten op poort {port}. Kies een andere poort met --poort (zie ook voila.log).")
        stop(process)
        return 1
    say(f"plgdata draait op {url} (alleen op deze computer; het adres bevat een sleutel, deel het niet). Stoppen: Ctrl+C.")
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
        port, moved = choose_port(port)
        if moved:
            say(moved)
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
        "plgdata.startup",  # JupyterLab without an import of 0.7 s that checks nothing of ours
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
