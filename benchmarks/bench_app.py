"""Benchmark: `plgdata app`, seconds from the command until its first page is interactive.

"Interactive" = in Debian's headless Chromium the start page has finished executing
(Voilà's loading text is gone) and shows the team's cycles; then every step page of the
datateam cycle, one after the other, until its bar (where the team is) is drawn.  Two
starts on a copy of the sample school:

* **warm**: the werkmap already holds the read exports (any start after the first);
* **cold**: the very first start, which reads and pseudonymises the exports first.

Baseline, measured in the same run: a bare Voilà server on a one-cell notebook (the
least any Voilà page costs on this machine).  Targets (issue 21): the first page
<= 1.5x the bare Voilà page, and each step page <= 2 s after the first; each is printed
with PASS or FAIL, and each step page with where its time went (first byte from the server:
a kernel is there; computed: every cell ran and was converted; loaded: the browser has the
page; the rest until the bar is the browser drawing the widgets).

Usage: ``python benchmarks/bench_app.py [--pauze SECONDEN] [--lege-cache]``

``--pauze``: seconds spent on each step page before the next is opened (a teacher reads it;
default 0: straight on, the hardest case, since the app prepares the next page's kernel
while the pages are being opened).

The pages of one start are opened in one browser (one Playwright context), as a teacher's
browser opens them: the scripts every page shares (4.8 MB) come from its cache after the start
page.  ``--lege-cache``: every page in a new, empty browser context instead (each page fetches
all of them again; how this benchmark measured until 7 December 2026).
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from plgdata.app_pages import METHODS

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
TARGET_RATIO = 1.5
TARGET_STEP = 2.0
STEP_PAGES = [name for name, _ in METHODS[0].pages]


#: where a page's time went (the browser's navigation timing, seconds after the request)
PHASES = {"responseStart": "eerste byte", "responseEnd": "berekend", "loadEventEnd": "geladen"}


def _until_interactive(browser, url: str, ready: str, process, timeout: float = 180.0, phases: dict | None = None) -> float:
    """The moment ``url`` shows ``ready`` (a selector), after waiting for the server and loading it.

    ``phases`` receives when the server sent its first byte (the kernel is there), finished the
    page (every cell computed and converted) and the browser loaded it; the rest until ``ready``
    is the browser drawing the widgets.
    """
    import json

    from plgdata.app import wait_for_port

    port = int(url.split(":")[2].split("/")[0])
    if not wait_for_port(port, process, timeout):
        raise SystemExit(f"server op poort {port} startte niet")
    page = browser.new_page()  # a Browser (a new context per page) or a BrowserContext (one browser's cache)
    try:
        page.goto(url, timeout=timeout * 1000)
        page.wait_for_selector("#loading", state="detached", timeout=timeout * 1000)
        page.wait_for_selector(ready, state="attached", timeout=timeout * 1000)
        done = time.perf_counter()
        if phases is not None:
            nav = json.loads(page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])"))
            phases.update({label: nav[key] / 1000 for key, label in PHASES.items()})
        return done
    finally:
        page.close()


def _stop(process) -> None:
    # SIGTERM, not SIGINT: a benchmark started in the background ignores SIGINT (and so do its
    # children), and the app's Voilà server and kernels were left running after process.kill()
    process.send_signal(signal.SIGTERM)
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


def app_start(
    browser, tmp: Path, label: str, steps: bool, pause: float = 0.0, empty_cache: bool = False
) -> tuple[float, list[float]]:
    """(start page seconds after the command, [seconds per step page]) for one start of ``plgdata app``."""
    context = browser if empty_cache else browser.new_context()
    try:
        return _app_start(context, tmp, label, steps, pause)
    finally:
        if context is not browser:
            context.close()


def _app_start(browser, tmp: Path, label: str, steps: bool, pause: float) -> tuple[float, list[float]]:
    import re

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
        line = ""
        while "draait op" not in line:  # the address (with its token) is printed once the pages exist
            line = p.stdout.readline()
            if not line:
                raise SystemExit("plgdata app startte niet")
        url = re.search(r"http://\S+", line).group(0)
        token = url.split("token=")[1]
        t_start = _until_interactive(browser, url, "text=Waar staat het team?", p) - t0
        per_step = []
        for name in STEP_PAGES if steps else []:
            time.sleep(pause)
            t1 = time.perf_counter()
            page_url = f"http://127.0.0.1:{port}/voila/render/{name}?token={token}"
            phases: dict = {}
            per_step.append(_until_interactive(browser, page_url, ".plg-paginabalk", p, phases=phases) - t1)
            split = ", ".join(f"{label} {t:.1f}" for label, t in phases.items())
            print(f"    {name}: {per_step[-1]:.1f} s ({split} s)", flush=True)
    finally:
        _stop(p)
    print(f"  {label}: startpagina {t_start:.1f} s na de opdracht")
    if per_step:
        print("  stappagina's: " + ", ".join(f"{n[:2]} {t:.1f} s" for n, t in zip(STEP_PAGES, per_step)))
    return t_start, per_step


def main(pause: float = 0.0, empty_cache: bool = False) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="plgdata-bench-app-") as tmp, sync_playwright() as pw:
        tmp = Path(tmp)
        shutil.copytree(ROOT / "data" / "sample", tmp / "school")
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            out["baseline"] = baseline(browser, tmp)
            print(f"Baseline (kale Voilà-pagina met één cel): {out['baseline']:.1f} s")
            out["cold"], _ = app_start(browser, tmp, "eerste start (exports inlezen)", steps=False)
            out["warm"], out["steps"] = app_start(
                browser, tmp, "volgende start (werkmap bestaat)", steps=True, pause=pause, empty_cache=empty_cache
            )
        finally:
            browser.close()
    loads = (" / ".join(f"{x:.1f}" for x in load) for load in (load_before, os.getloadavg()))
    print(f"Belasting van de machine (load average 1/5/15 min) voor en na: {' en '.join(loads)} op {os.cpu_count()} kernen")
    ratio = out["warm"] / out["baseline"]
    worst = max(out["steps"])
    out["ratio_ok"], out["steps_ok"] = ratio <= TARGET_RATIO, worst <= TARGET_STEP
    print(
        f"{_verdict(out['ratio_ok'])} plgdata app, eerste pagina interactief: {out['warm']:.1f} s = {ratio:.2f}x de kale "
        f"Voilà-pagina (doel <= {TARGET_RATIO}x); eerste start {out['cold']:.1f} s ({out['cold'] / out['baseline']:.2f}x)"
    )
    print(
        f"{_verdict(out['steps_ok'])} stappagina's na de eerste ({len(out['steps'])}, {pause:.0f} s pauze ertussen"
        f"{', elk met lege cache' if empty_cache else ''}): mediaan {statistics.median(out['steps']):.1f} s, "
        f"langzaamste {worst:.1f} s (doel <= {TARGET_STEP:.0f} s per pagina)"
    )
    return out


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="plgdata app: eerste pagina en stappagina's")
    parser.add_argument("--pauze", type=float, default=0.0, help="seconden op elke stappagina voor de volgende")
    parser.add_argument("--lege-cache", action="store_true", help="elke pagina in een nieuwe browsercontext zonder cache")
    args = parser.parse_args()
    main(args.pauze, args.lege_cache)
