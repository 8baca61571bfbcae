"""Benchmark: `plgdata app`, seconds from the command until its first page is interactive.

"Interactive" = in Debian's headless Chromium the start page has finished executing
(Voilà's loading text is gone) and shows where the team is; then the hypotheses page
until its form accepts input.  Two starts on a copy of the sample school:

* **warm**: the werkmap already holds the read exports (any start after the first);
* **cold**: the very first start, which reads and pseudonymises the exports first.

Baseline, measured in the same run: a bare Voilà server on a one-cell notebook (the
least any Voilà page costs on this machine).  Target: warm start <= 10 s.

Usage: ``python benchmarks/bench_app.py``
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TARGET = 10.0


def _until_interactive(browser, url: str, ready: str, process, timeout: float = 180.0) -> float:
    """Seconds spent waiting for the server, loading ``url`` and seeing ``ready`` (a selector)."""
    from plgdata.app import wait_for_port

    port = int(url.split(":")[2].split("/")[0])
    if not wait_for_port(port, process, timeout):
        raise SystemExit(f"server op poort {port} startte niet")
    page = browser.new_page()
    page.goto(url, timeout=timeout * 1000)
    page.wait_for_selector(ready, timeout=timeout * 1000)
    page.wait_for_selector("#loading", state="detached", timeout=timeout * 1000)
    page.close()
    return time.perf_counter()


def _stop(process) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def baseline(browser, tmp: Path) -> float:
    from plgdata.app import free_port

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('klaar')")])
    nbformat.write(nb, tmp / "kaal.ipynb")
    port = free_port()
    t0 = time.perf_counter()
    p = subprocess.Popen(
        [sys.executable, "-m", "voila", str(tmp / "kaal.ipynb"), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return _until_interactive(browser, f"http://127.0.0.1:{port}/", "text=klaar", p) - t0
    finally:
        _stop(p)


def app_start(browser, tmp: Path, label: str) -> tuple[float, float]:
    """(start page, hypotheses page) seconds after the command, for one start of ``plgdata app``."""
    from plgdata.app import free_port

    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "plgdata",
        "app",
        "--data",
        str(tmp / "school"),
        "--cyclus",
        str(tmp / "school" / "cyclus_begrijpend_lezen.yaml"),
        "--werkmap",
        str(tmp / "werk"),
        "--sleutel",
        str(tmp / "sleutel.key"),
        "--poort",
        str(port),
        "--geen-browser",
    ]
    t0 = time.perf_counter()
    p = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1")
    )
    try:
        while "draait op" not in (p.stdout.readline() or "draait op"):  # the address is printed once the pages exist
            pass
        t_start = (
            _until_interactive(browser, f"http://127.0.0.1:{port}/voila/render/start.ipynb", "text=Waar staat het team?", p) - t0
        )
        t1 = time.perf_counter()
        t_hyp = (
            _until_interactive(browser, f"http://127.0.0.1:{port}/voila/render/02_hypothesen.ipynb", ".plg-veld-id input", p) - t1
        )
    finally:
        _stop(p)
    print(f"  {label}: startpagina {t_start:.1f} s na de opdracht; daarna hypothesenpagina met formulier {t_hyp:.1f} s")
    return t_start, t_hyp


def main() -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="plgdata-bench-app-") as tmp, sync_playwright() as pw:
        tmp = Path(tmp)
        shutil.copytree(ROOT / "data" / "sample", tmp / "school")
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            out["baseline"] = baseline(browser, tmp)
            print(f"Baseline (kale Voilà-pagina met één cel): {out['baseline']:.1f} s")
            out["cold"], _ = app_start(browser, tmp, "eerste start (exports inlezen)")
            out["warm"], out["hypotheses"] = app_start(browser, tmp, "volgende start (werkmap bestaat)")
        finally:
            browser.close()
    print(
        f"Belasting van de machine (load average 1/5/15 min): {' / '.join(f'{x:.1f}' for x in os.getloadavg())} op {os.cpu_count()} kernen"
    )
    ok = "gehaald" if out["warm"] <= TARGET else "NIET gehaald"
    print(
        f"plgdata app, eerste pagina interactief: {out['warm']:.1f} s (doel <= {TARGET:.0f} s: {ok}); "
        f"{out['warm'] / out['baseline']:.2f}x de kale Voilà-pagina; eerste start {out['cold']:.1f} s "
        f"({out['cold'] / out['baseline']:.2f}x)"
    )
    return out


if __name__ == "__main__":
    main()
