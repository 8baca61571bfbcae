"""Reading a CSV/text export: encoding, delimiter and header-row detection, fast parsing.

The dialect is sniffed from the first 64 KB; the file is decoded once and parsed
with :mod:`pyarrow.csv` with every column as text (cleaning happens later,
vectorised).  Row numbers are kept so every row can be named in the load report.
"""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.layout import (
    combine_header_rows,
    header_rows_above,
    header_score,
    is_sub_header_row,
    unique_names,
)
from plgdata.io.scores.rawtable import RawTable
from plgdata.io.sniff import (  # noqa: F401 (sniff_kind re-exported)
    CODECS,
    DELIMITERS,
    SNIFF_BYTES,
    decode,
    sniff_dialect,
    sniff_kind,
    sniff_lines,
    split_lines,
)

#: files at least this large are memory-mapped instead of read into memory
MMAP_MIN_BYTES = 8 * 1024 * 1024


def _file_bytes(path: Path) -> bytes | mmap.mmap:
    """The file's bytes; large files are memory-mapped (no copy of the whole file in memory)."""
    if path.stat().st_size >= MMAP_MIN_BYTES:
        with open(path, "rb") as fh:
            try:
                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # pragma: no cover - file systems without mmap
                pass
    return path.read_bytes()


def read_text_table(path: Path, data: bytes | None = None) -> RawTable:
    """Read one CSV/text export into a :class:`RawTable` (all cells as text)."""
    path = Path(path)
    if data is None:
        data = _file_bytes(path)
    text, buf, encoding, notes = decode(data)
    if text is not None:
        sample = text[:SNIFF_BYTES]
        truncated = len(text) > SNIFF_BYTES
    else:
        sample = buf[:SNIFF_BYTES].decode(CODECS.get(encoding, "utf-8"), errors="ignore")
        truncated = len(buf) > SNIFF_BYTES
    lines = sniff_lines(sample, truncated)[:80]
    idx, nh, delim = sniff_dialect(lines, header_score, is_sub_header_row, above=header_rows_above)
    if idx < 0:
        nonempty = [ln for ln in lines if ln.strip()]
        if not nonempty:
            raise ReadError(f"Het bestand {path.name} bevat geen tekst. Maak de export opnieuw en lees hem daarna in.")
        # the first line that looks like column names (no digits: a data row with a pupil
        # number, score or date never gets shown) is offered as the header to map
        candidate = next((ln for ln in nonempty if not any(ch.isdigit() for ch in ln)), None)
        columns: list[str] = []
        if candidate is not None:
            d = max(DELIMITERS, key=lambda x: candidate.count(x))
            columns = [c.strip().strip('"') for c in candidate.split(d) if c.strip().strip('"')]
        if len(columns) >= 2:
            from plgdata.io.scores.mapping import mapping_template

            template = mapping_template(columns)
            raise ReadError(
                f"{path.name} is niet herkend: geen kolom die plgdata kent (zoals Leerlingnummer, Toets, Vaardigheidsscore). "
                f"Gevonden kolommen: {', '.join(columns)}.\nMaak een koppelbestand dat zegt welke kolom wat is, en geef "
                "het mee met --koppeling. Een koppelbestand om in te vullen:\n\n" + template,
                columns=columns,
                mapping_template=template,
            )
        raise ReadError(
            f"In {path.name} is geen kopregel gevonden (een regel met kolomnamen zoals Leerlingnummer, Toets, "
            "Vaardigheidsscore). Controleer of het bestand een export met toetsresultaten is en of de kolomnamen erin staan."
        )
    rows = split_lines(lines[: idx + nh + 40], delim)
    header_cells = combine_header_rows(rows[idx: idx + nh])
    # strip trailing empty header cells when the data rows do not have them, add one when they do
    data_rows = rows[idx + nh:]
    counts = [len(r) for r in data_rows if any(c.strip() for c in r)]
    if counts:
        mode = max(set(counts), key=counts.count)
        while len(header_cells) > mode and not header_cells[-1].strip():
            header_cells = header_cells[:-1]
        if mode == len(header_cells) + 1:
            header_cells = header_cells + [""]
    headers = unique_names(header_cells)
    title = " ".join(" ".join(c for c in r if c.strip()) for r in split_lines(lines[:idx], delim))
    # character offset of the first data line
    start = idx + nh
    offset = sum(len(ln) + 1 for ln in lines[:start])
    binary_enc = None
    if text is None and encoding in CODECS:
        # single-byte, ASCII-compatible: parse the bytes as they are and decode only distinct values
        body = pa.py_buffer(buf)[offset:]  # no copy of the file
        binary_enc = CODECS[encoding]
    elif text is not None:
        body = text[offset:].encode("utf-8")
    else:
        off_b = len(sample[:offset].encode("utf-8")) if offset <= len(sample) else len("\n".join(lines[:start]).encode("utf-8")) + 1
        body = pa.py_buffer(buf)[off_b:]
    if encoding not in ("UTF-8",):
        notes.append(f"tekenset {encoding}")
    first_row = start + 1  # 1-based file row of the first data line
    table, rows_abs, bad = _parse(body, headers, delim, first_row, binary=binary_enc is not None)
    if nh == 2:
        notes.append("kop over twee regels (vak en moment boven VS/niveau)")
    if idx > 0:
        notes.append(f"{idx} regel(s) boven de kopregel overgeslagen (titel)")
    return RawTable(
        source=path.name,
        file_name=path.name,
        headers=headers,
        table=table,
        rows=rows_abs,
        bad_rows=bad,
        title=title,
        notes=notes,
        header_cells=header_cells,
        encoding=binary_enc,
    )


def _parse(body: bytes | pa.Buffer, headers: list[str], delim: str, first_row: int, binary: bool = False) -> tuple[pa.Table, np.ndarray, list[int]]:
    """Parse the data lines with pyarrow (all text); return table, row numbers, bad rows.

    Every column is read straight into a dictionary array (codes into the distinct
    cell texts), so the cleaning step parses each distinct text once without a
    separate dictionary-encoding pass over the rows.
    """
    if not len(body):
        empty = pa.table({h: pa.array([], pa.binary() if binary else pa.string()) for h in headers})
        return empty, np.zeros(0, dtype=np.int64), []
    value_type = pa.binary() if binary else pa.string()
    col_type = pa.dictionary(pa.int32(), value_type)

    def parse(threads: bool):
        bad: list[tuple[int | None, str]] = []

        def handler(row):
            bad.append((row.number, row.text))
            return "skip"

        t = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=headers, use_threads=threads, block_size=1 << 23),
            parse_options=pacsv.ParseOptions(delimiter=delim, invalid_row_handler=handler, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={h: col_type for h in headers},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        return t, bad

    table, bad = parse(True)
    if bad and any(b[0] is None for b in bad):
        table, bad = parse(False)
    bad_rel = sorted(int(b[0]) for b in bad if b[0] is not None)
    if bad_rel:
        data = body.to_pybytes() if isinstance(body, pa.Buffer) else body
        n_lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        rel = np.arange(1, n_lines + 1, dtype=np.int64)
        rel = np.setdiff1d(rel, np.asarray(bad_rel, dtype=np.int64), assume_unique=True)
        if len(rel) != table.num_rows:  # quoted line breaks: fall back to consecutive numbering
            rel = np.arange(1, table.num_rows + 1, dtype=np.int64)
    else:
        # without bad rows the lines map one-to-one onto table rows, or (quoted line
        # breaks) the rows are numbered consecutively: both give 1..num_rows
        rel = np.arange(1, table.num_rows + 1, dtype=np.int64)
    rows_abs = rel + (first_row - 1)
    return table, rows_abs, [b + first_row - 1 for b in bad_rel]
