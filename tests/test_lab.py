"""`plgdata lab` opens the start notebook in Dutch, and the notebooks name the Dutch menus (issue 21 item 8).

The menu words are checked against the translation files of the language pack installed here,
so the text a teacher reads matches the menu the teacher sees.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from importlib import metadata, resources
from pathlib import Path

from plgdata.app import LAB_START_NOTEBOOK, lab_command, lab_settings_dir, stop

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def _translations() -> dict:
    pack = resources.files("jupyterlab_language_pack_nl_NL") / "locale" / "nl_NL" / "LC_MESSAGES" / "jupyterlab.json"
    return json.loads(pack.read_text(encoding="utf-8"))


def _dutch(text: str, context: str | None = None) -> str:
    """What the Dutch JupyterLab shows for an English menu word (the English word when the pack has none)."""
    t = _translations()
    found = t.get(f"{context}\x04{text}" if context else text) or t.get(text)
    return found[0] if found else text


def _minor(version: str) -> tuple[int, int]:
    major, minor = re.match(r"(\d+)\.(\d+)", version).groups()
    return int(major), int(minor)


def test_the_language_pack_matches_the_jupyterlab_version():
    assert _minor(metadata.version("jupyterlab")) == _minor(metadata.version("jupyterlab-language-pack-nl-NL"))
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    lab = next(d for d in deps if d.startswith("jupyterlab>") or d.startswith("jupyterlab<"))
    pack = next(d for d in deps if d.startswith("jupyterlab-language-pack-nl-NL"))
    assert "<4.6" in lab and "<4.6" in pack and ">=4.5" in lab and ">=4.5" in pack  # pinned to one minor version


def test_notebooks_name_the_menus_as_the_dutch_jupyterlab_shows_them():
    run_menu, run_all = _dutch("Run", "menu"), _dutch("Run All Cells")
    assert run_menu == "Uitvoeren"  # the pack's own word for the Run menu
    mentioned = 0
    for nb in sorted(NOTEBOOKS.rglob("*.ipynb")):
        text = " ".join(
            "".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown"
        )
        assert "Run →" not in text and "**Run**" not in text, nb.name
        for path in re.findall(r"\*\*([^*]*→[^*]*)\*\*", text):
            menu, item = (s.strip() for s in path.split("→", 1))
            assert menu == run_menu and item == run_all, f"{nb.name}: {path}"
            mentioned += 1
    assert mentioned >= 2  # 00_start and actieonderzoek say how to run every cell


def test_lab_opens_the_start_notebook_not_the_launcher(tmp_path):
    cmd = lab_command(NOTEBOOKS, 8888)
    assert f"--LabApp.default_url=/lab/tree/{LAB_START_NOTEBOOK}" in cmd
    assert not any("default_url" in c for c in lab_command(tmp_path, 8888))  # a folder without it: JupyterLab's own start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_lab_server_sends_the_browser_to_00_start_in_dutch(tmp_path):
    """Start JupyterLab as `plgdata lab` does (no browser, a known token) and follow its front door."""
    port = _free_port()
    settings = lab_settings_dir(tmp_path)
    assert (
        json.loads((settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings").read_text())["locale"]
        == "nl_NL"
    )
    cmd = lab_command(NOTEBOOKS, port) + ["--no-browser", "--IdentityProvider.token=proef"]
    env = {"JUPYTERLAB_SETTINGS_DIR": str(settings), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        location = None
        deadline = time.monotonic() + 90
        while location is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.build_opener(NoRedirect).open(f"http://127.0.0.1:{port}/?token=proef", timeout=5)
            except urllib.error.HTTPError as exc:
                location = exc.headers.get("Location")
            except OSError:
                time.sleep(0.5)
        assert location is not None, "JupyterLab answered no redirect"
        assert location.split("?")[0].endswith(f"/lab/tree/{LAB_START_NOTEBOOK}")
    finally:
        stop(proc)
