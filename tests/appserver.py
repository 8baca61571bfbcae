"""Starting and stopping ``plgdata app`` in the app tests: on 127.0.0.1 only, every process stopped.

``AppRun`` starts the command on a copy of the sample school and reads the address it
prints (with its token); ``stop`` sends Ctrl+C, then kills what is left, children included.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from identities import SAMPLE

RECORD = "cyclus_begrijpend_lezen.yaml"


@dataclass
class AppRun:
    """One ``plgdata app`` process and what it printed."""

    proc: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def port(self) -> int:
        return urlparse(self.url).port

    @property
    def token(self) -> str:
        return parse_qs(urlparse(self.url).query)["token"][0]

    def page(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/{name}?token={self.token}"

    def kernels(self) -> int:
        """How many kernels (ipykernel processes) the app runs now."""
        import psutil

        try:
            kids = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return 0
        count = 0
        for k in kids:
            try:
                count += any("ipykernel" in part for part in k.cmdline())
            except psutil.Error:
                pass
        return count

    def stop(self) -> None:
        import psutil

        try:
            kids = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            kids = []
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for k in kids:  # only the processes this app started
            try:
                k.kill()
            except psutil.Error:
                pass
        if self.proc.stdout:
            self.proc.stdout.close()


def school_copy(tmp: Path) -> Path:
    data = tmp / "school"
    shutil.copytree(SAMPLE, data)
    return data


def start(
    tmp: Path, data: Path, port: int, *extra: str, record: Path | None = None, wait: float = 180, env: dict | None = None
) -> AppRun:
    """``plgdata app`` on ``data`` (its cycle record by default), until it prints its address (``env``: added variables)."""
    cmd = [
        sys.executable,
        "-m",
        "plgdata",
        "app",
        "--data",
        str(data),
        "--cyclus",
        str(record or data / RECORD),
        "--werkmap",
        str(tmp / "werk"),
        "--sleutel",
        str(tmp / "sleutel.key"),
        "--poort",
        str(port),
        "--geen-browser",
        *extra,
    ]
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    run = AppRun(proc)
    t0 = time.monotonic()
    while time.monotonic() - t0 < wait:
        line = proc.stdout.readline()
        if not line:
            break
        run.lines.append(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/\S+", line)
        if "draait op" in line and found:
            run.url = found.group(0)
            break
    if not run.url:
        run.stop()
        raise AssertionError("plgdata app startte niet:\n" + "".join(run.lines))
    return run
