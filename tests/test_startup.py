"""plgdata's own processes leave out ``rfc3987_syntax`` (0.7 s of every process that imports
nbformat or jupyter_server, for two JSON-schema formats nothing uses): issue 21, the app's first page.

The import is refused, every other check of a notebook stays, and the servers the app and
``plgdata lab`` start, and the command line, go through :mod:`plgdata.startup`.
"""

from __future__ import annotations

import subprocess
import sys

from plgdata.app import lab_command, voila_command

CHECK = """
import sys
{before}
import json, nbformat, jsonschema
import jupyter_server.serverapp
print(json.dumps({{
    "loaded": sys.modules.get("rfc3987_syntax", "afwezig") is not None and "rfc3987_syntax" in sys.modules,
    "valid": nbformat.validate(nbformat.read({notebook!r}, as_version=4)) is None,
    "refused": not nbformat.validator.isvalid({{"cells": [{{"cell_type": "tekst"}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}),
    "format_checked": not jsonschema.Draft7Validator({{"format": "ipv4"}}, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).is_valid("999.1.1.1"),
}}))
"""


def _run(before: str) -> dict:
    import json
    from pathlib import Path

    notebook = str(Path(__file__).resolve().parent.parent / "notebooks" / "00_start.ipynb")
    out = subprocess.run(
        [sys.executable, "-c", CHECK.format(before=before, notebook=notebook)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_slow_iri_checker_is_left_out_and_notebooks_are_still_checked():
    skipped = _run("from plgdata.startup import skip_slow_imports\nskip_slow_imports()")
    plain = _run("")
    assert plain["loaded"]  # what it costs without plgdata.startup: nbformat and jupyter_server import it
    assert not skipped["loaded"]
    # a valid notebook passes, an invalid one is still refused, other formats are still checked
    assert skipped["valid"] and skipped["refused"] and skipped["format_checked"]
    assert plain["valid"] and plain["refused"] and plain["format_checked"]


def test_the_app_the_lab_and_the_command_line_start_without_it(tmp_path):
    assert voila_command(tmp_path, 8866)[1:4] == ["-m", "plgdata.startup", "voila"]
    assert lab_command(tmp_path, 8888)[1:4] == ["-m", "plgdata.startup", "jupyterlab"]
    code = "import sys\nfrom plgdata.cli import main\nmain([])\nprint(sys.modules.get('rfc3987_syntax', 'afwezig'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "None"  # refused before anything could import it
