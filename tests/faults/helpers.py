"""Shared helpers of the fault tests: run the CLI in-process, build broken exports."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from plgdata.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
CITO = SAMPLE / "cito_rekenen-wiskunde_2025-2026.csv"


def run_cli(*argv: str) -> tuple[int, str, str]:
    """``plgdata argv...`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def physical_lines(data: bytes) -> list[bytes]:
    """The file's lines as a text editor shows them (``\\r\\n``, ``\\r`` and ``\\n`` end a line)."""
    return data.splitlines()


def sample_lines(path: Path = CITO) -> list[bytes]:
    return path.read_bytes().splitlines()
