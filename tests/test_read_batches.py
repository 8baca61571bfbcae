"""Reading a large text export in batches gives exactly what reading it at once gives (issue 18).

The batch size is made tiny here (:data:`plgdata.io.scores.text.BATCH_BYTES`), so a file of a few
hundred lines is read in many batches: the canonical frames and the load report must equal those of
the one-shot read, also for a duplicate split over a batch boundary, a set-aside row in a later
batch, summary rows at the end, quoted cells, a ragged row and a quoted field over two lines.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import plgdata.io.scores.text as text
from plgdata.io.scores import read_scores, threads
from plgdata.model import loadreport as lr

KEY = b"test-key-0123456789abcdef0123456"
HEADER = (
    "Leerlingnummer;Achternaam;Tussenvoegsel;Voornaam;Geboortedatum;Geslacht;Groep;Klas;Toets;Toetsmoment;"
    "Afnamedatum;Vaardigheidsscore;Niveau;Percentiel;Functioneringsniveau;DLE"
)
NAMES = ["Zoë", "Daniël", "Anouk", "Noël", "Sem", "Fleur"]
#: the data line (0-based) that is repeated on the next line: a duplicate result
DUP_AT = 40
#: the data line with a score that is no number (set aside), after the first boundary
BAD_AT = 120


def _line(i: int) -> str:
    pupil = 700000 + i % 97
    groep = 4 + i % 4
    level = ("I", "II", "III", "IV", "V")[i % 5]
    return (
        f"{pupil};Fictief{i % 13};{'de' if i % 7 == 0 else ''};{NAMES[i % len(NAMES)]};0{1 + i % 9}-03-2015;"
        f"{'JM'[i % 2]};{groep};{groep}A;Rekenen-Wiskunde 3.0;M{groep};2{i % 8}-01-2025;{100 + i % 60},{i % 10};"
        f"{level};{i % 100};M{groep};{i % 40}"
    )


def _set(lines: list[str], i: int, field: int, value: str) -> None:
    cells = lines[i].split(";")
    cells[field] = value
    lines[i] = ";".join(cells)


def write_export(path, n: int = 300, variant: str = "plain", eol: str = "\r\n", encoding: str = "cp1252"):
    """A Cito-style export (title, header, ``n`` data lines, two summary rows); returns its bytes and
    the byte offset where each data line starts (for cp1252 with Windows line ends)."""
    lines = [_line(i) for i in range(n)]
    lines.insert(DUP_AT + 1, lines[DUP_AT])  # the same result twice, on adjacent lines
    _set(lines, BAD_AT, 11, "onleesbaar")
    if variant in ("quoted", "ragged", "multiline"):
        _set(lines, 200, 1, '"Fictief; ""Jr."""')  # a delimiter and a quote inside a quoted cell
    if variant == "ragged":
        lines[230] += ";over"
    if variant == "multiline":
        _set(lines, 250, 8, '"Rekenen-Wiskunde\r\n3.0"')
    summary = ["Groepsgemiddelde" + ";" * 11 + "130,4;;;;", "Aantal leerlingen" + ";" * 11 + f"{n};;;;"]
    head = ["Toetsresultaten Rekenen - OBS De Proefschool - schooljaar 2024-2025", "", HEADER]
    data = "\r\n".join(head + lines + summary).encode("cp1252") + b"\r\n"
    path.write_bytes(data.decode("cp1252").replace("\r\n", eol).encode(encoding))
    first = data.index(b"\r\n", data.index(HEADER.encode())) + 2
    starts, pos = [], first
    for ln in lines:
        starts.append(pos)
        pos += len(ln.encode("cp1252")) + 2
    return data, starts


def _read(path, batch_bytes: int, monkeypatch, threaded: bool = False):
    """Read in batches of ``batch_bytes``; ``threaded``: the file memory-mapped and every batch parsed
    in a second thread while the quote search runs (what a file of 8 MB or more gets)."""
    monkeypatch.setattr(text, "BATCH_BYTES", batch_bytes)
    monkeypatch.setattr(text, "MMAP_MIN_BYTES", 0 if threaded else 8 * 1024 * 1024)
    monkeypatch.setattr(threads, "PARALLEL_MIN_BYTES", 0 if threaded else 8 * 1024 * 1024)
    return read_scores(path, secret=KEY, school="OBS De Proefschool")


def assert_same(a, b) -> None:
    pd.testing.assert_frame_equal(a.scores, b.scores)
    pd.testing.assert_frame_equal(a.pupils, b.pupils)
    assert [dataclasses.asdict(f) for f in a.report.files] == [dataclasses.asdict(f) for f in b.report.files]


def test_batches_equal_one_read_with_duplicate_over_a_boundary(tmp_path, monkeypatch):
    path = tmp_path / "rekenen_2024-2025.csv"
    data, starts = write_export(path)
    # the first batch ends just after the duplicate's first copy: its second copy opens batch two
    size = starts[DUP_AT] - starts[0] + 1
    ends = text._batch_ends(data, starts[0], size)
    assert ends[0] == starts[DUP_AT + 1] and len(ends) > 3
    assert any(e <= starts[BAD_AT] for e in ends[:-1])  # the unreadable score lies in a later batch
    batched = _read(path, size, monkeypatch)
    whole = _read(path, 1 << 30, monkeypatch)
    assert_same(batched, whole)
    f = batched.report.files[0]
    # 301 data lines and 2 summary rows; one duplicate, one unreadable score, the two summary rows
    assert (f.rows_read, f.rows_loaded) == (303, 299)
    assert f.set_aside[lr.REASON_DUPLICATE] == 1 and f.examples[lr.REASON_DUPLICATE] == [4 + DUP_AT + 1]
    assert f.set_aside[lr.REASON_BAD_SCORE] == 1 and f.examples[lr.REASON_BAD_SCORE] == [4 + BAD_AT]
    assert f.set_aside[lr.REASON_SUMMARY] == 2 and f.examples[lr.REASON_SUMMARY] == [305, 306]
    assert batched.scores["source_row"].tolist() == [r for r in range(4, 305) if r not in (4 + DUP_AT + 1, 4 + BAD_AT)]


@pytest.mark.parametrize("variant", ["quoted", "ragged", "multiline"])
def test_batches_equal_one_read_for_quotes_and_ragged_rows(tmp_path, monkeypatch, variant):
    path = tmp_path / "rekenen_2024-2025.csv"
    write_export(path, variant=variant)
    batched = _read(path, 500, monkeypatch)
    assert_same(batched, _read(path, 1 << 30, monkeypatch))
    f = batched.report.files[0]
    assert f.rows_read == 303  # 301 data records and 2 summary rows
    if variant == "multiline":  # the record over two lines is one row: the summary rows move down one line
        assert f.examples[lr.REASON_SUMMARY] == [306, 307] and 4 + 250 in set(batched.scores["source_row"])
    if variant == "ragged":
        assert f.set_aside[lr.REASON_BAD_ROW] == 1 and f.examples[lr.REASON_BAD_ROW] == [4 + 230]
    if variant == "quoted":
        assert f.rows_loaded == 299 and 4 + 200 in set(batched.scores["source_row"])


def test_large_memory_mapped_file_with_a_quote_is_read(tmp_path, monkeypatch):
    """A file large enough to be memory-mapped that holds a quote: the line count was taken on the
    mmap (which has no ``count``) and the read failed with a traceback."""
    path = tmp_path / "rekenen_2024-2025.csv"
    write_export(path, variant="quoted")
    monkeypatch.setattr(text, "MMAP_MIN_BYTES", 0)
    ds = _read(path, 1 << 30, monkeypatch)
    assert ds.report.files[0].rows_loaded == 299 and not ds.report.files[0].error


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    size=st.integers(min_value=1, max_value=30_000),
    variant=st.sampled_from(["plain", "quoted", "multiline", "ragged"]),
    eol=st.sampled_from(["\r\n", "\n", "\r"]),
    encoding=st.sampled_from(["cp1252", "utf-8", "utf-8-sig", "utf-16"]),
    threaded=st.booleans(),
)
def test_any_batch_size_reads_the_same(tmp_path, monkeypatch, size, variant, eol, encoding, threaded):
    """Any batch size, with Windows, Unix or old Mac line ends (a file without a ``\\n`` is one batch),
    in Windows-1252, UTF-8 with or without BOM, or UTF-16, with the batches parsed in a second thread
    (as a large file's are) or not."""
    path = tmp_path / f"rekenen_{variant}_{eol.encode().hex()}_{encoding}_2024-2025.csv"
    if not path.exists():
        write_export(path, variant=variant, eol=eol, encoding=encoding)
    assert_same(_read(path, size, monkeypatch, threaded), _read(path, 1 << 30, monkeypatch))


#: bytes planted in one cell: Windows-1252 cannot decode \x81 (the file is then ISO-8859-1); \xc3\xa9 is
#: a UTF-8 "é" in Windows-1252 text (the mixed-encoding note); a lone \xc3 at a cell's end is neither
PLANTS = [b"\x81", b"Ren\xc3\xa9", b"Andr\xc3", b"\xa9ric", b"M\xfcller"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plants=st.lists(
        st.tuples(
            st.integers(0, 799), st.sampled_from([1, 3, 7, 9]), st.sampled_from(PLANTS), st.sampled_from(["bij", "in", '"'])
        ),
        min_size=0,
        max_size=3,
    ),
    ragged=st.booleans(),
)
# a cell ending in \xc3 and the next new value of that column starting with \xa9: one after the other
# among the distinct values, never one after the other in the file
@example(plants=[(500, 3, b"Andr\xc3", "in"), (501, 3, b"\xa9ric", "in")], ragged=False)
@example(plants=[(700, 1, b"\x81", "bij")], ragged=True)
def test_encoding_from_the_cells_equals_the_whole_file(tmp_path, plants, ragged):
    """A Windows-1252 file's encoding is decided from its distinct cell values (not by scanning the
    whole file again): with any byte planted in any cell, also far below the first 64 KB, quoted or
    in a line that is set aside, the encoding and the notes are those a scan of the whole file gives."""
    from plgdata.io.sniff import single_byte_encoding

    path = tmp_path / "export.csv"
    data, starts = write_export(path, n=800)
    lines = data.split(b"\r\n")
    first = lines.index(HEADER.encode("cp1252")) + 1
    for row, field, plant, how in plants:  # added to the cell, as the cell, or added and quoted
        cells = lines[first + row].split(b";")
        cells[field] = {"bij": cells[field] + plant, "in": plant, '"': b'"' + cells[field] + plant + b'"'}[how]
        lines[first + row] = b";".join(cells)
    if ragged:
        lines[first + 700] += b";over\x81" if plants and plants[0][2] == b"\x81" else b";over"
    data = b"\r\n".join(lines)
    path.write_bytes(data)
    expected, expected_notes = single_byte_encoding(data)
    raw = text.read_text_table(path)
    assert raw.encoding == {"Windows-1252": "cp1252", "ISO-8859-1": "latin-1"}[expected]
    assert f"tekenset {expected}" in raw.notes
    assert [n for n in raw.notes if "UTF-8" in n] == expected_notes
    assert raw.rows_read == 800 + 1 + 2  # every data line (with the duplicate and the summary rows)
