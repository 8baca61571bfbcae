"""Shared helpers of the fault tests: run the CLI in-process, build broken exports."""

from __future__ import annotations

import contextlib
import io
import re
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


#: a pseudonym or the key's fingerprint: hex digits that are no pupil number, even when six in a
#: row happen to be decimal (a fresh key per test made that a rare flake)
PSEUDONYM = re.compile(r"L-[0-9a-f]{10}|\b[0-9a-f]{16}\b")


def holds_a_number(text: str, numbers) -> bool:
    """``text`` shows one of the pupil ``numbers`` (as a number of its own, not inside a pseudonym)."""
    text = PSEUDONYM.sub("L-…", text)
    return any(re.search(rf"(?<!\d){re.escape(nr)}(?!\d)", text) for nr in numbers)
