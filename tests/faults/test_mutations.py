"""Property: whatever happens to an export (cut lines, stray quotes and separators,
another encoding, blank and summary rows), plgdata never crashes, every physical line
is counted, and no name or number from the input reaches any output or saved file."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plgdata.io.scores import load

from .helpers import SAMPLE, holds_a_number, run_cli

EXPORTS = sorted(SAMPLE.glob("cito_*.csv"))[:4]
HEADER_LINES = 3


def _mutate(lines: list[bytes], ops) -> list[bytes]:
    lines = list(lines)
    for kind, where, pos in ops:
        i = HEADER_LINES + where % max(1, len(lines) - HEADER_LINES)
        if i >= len(lines):
            continue
        line = lines[i]
        p = pos % (len(line) + 1)
        if kind == "cut":
            lines[i] = line[:p]
        elif kind == "quote":
            lines[i] = line[:p] + b'"' + line[p:]
        elif kind == "separator":
            lines[i] = line[:p] + b";" + line[p:]
        elif kind == "blank":
            lines.insert(i, b"")
        elif kind == "summary":
            lines.insert(i, b"Groepsgemiddelde;;;;;;;;;;;180;;;;")
        elif kind == "utf8":
            lines[i] = line.decode("cp1252").encode("utf-8")
        elif kind == "cr":
            lines[i] = line[:p] + b"\r" + line[p:]
    return lines


def _saved_text(folder) -> str:
    """Every saved file as text: Parquet tables as CSV (their bytes are compressed), the rest as is."""
    import pandas as pd

    parts = [
        pd.read_parquet(p).astype(str).to_csv() if p.suffix == ".parquet" else p.read_text(encoding="utf-8")
        for p in folder.iterdir()
    ]
    return "\n".join(parts)


OPS = st.lists(
    st.tuples(
        st.sampled_from(["cut", "quote", "separator", "blank", "summary", "utf8", "cr"]), st.integers(0, 600), st.integers(0, 200)
    ),
    min_size=1,
    max_size=6,
)


def _identities(lines: list[bytes]) -> tuple[set[str], set[str]]:
    numbers, surnames = set(), set()
    for ln in lines[HEADER_LINES:]:
        cells = ln.decode("cp1252", errors="replace").split(";")
        if len(cells) > 3 and cells[0].isdigit():
            numbers.add(cells[0])
            surnames.add(cells[1])
    return numbers, surnames


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(which=st.integers(0, len(EXPORTS) - 1), ops=OPS, whole_file_utf8=st.booleans())
def test_no_mutant_crashes_loses_a_line_or_leaks_a_pupil(tmp_path_factory, which, ops, whole_file_utf8):
    tmp = tmp_path_factory.mktemp("mutant")
    lines = _mutate(EXPORTS[which].read_bytes().splitlines(), ops)
    data = b"\r\n".join(lines) + b"\r\n"
    if whole_file_utf8:
        data = data.decode("cp1252", errors="replace").encode("utf-8")
    path = tmp / "cito.csv"
    path.write_bytes(data)
    code, out, err = run_cli("controleer", "--json", "--sleutel", tmp / "k.key", path)
    assert code in (0, 1) and "Traceback" not in err and "plgdata niet verwachtte" not in err
    report = json.loads(out)
    physical = len(data.splitlines()) - HEADER_LINES
    assert report["rows_read"] == report["rows_loaded"] + report["rows_set_aside"]
    if code == 0 or report["rows_read"]:
        assert report["rows_read"] == physical
    numbers, surnames = _identities(lines)
    if code == 0:
        load([path], key_file=tmp / "k.key", interventions=False).save(tmp / "werk")
        saved = _saved_text(tmp / "werk")
    else:
        saved = ""
    for text in (out, err, saved):
        assert not holds_a_number(text, numbers)
        assert not any(len(s) >= 4 and s in text for s in surnames)
