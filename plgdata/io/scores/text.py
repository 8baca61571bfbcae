"""Reading a CSV/text export: encoding, delimiter and header-row detection, fast parsing.

The dialect is sniffed from the first 64 KB; the file is decoded once and parsed
with :mod:`pyarrow.csv` with every column as text (cleaning happens later,
vectorised).  Row numbers are kept so every row can be named in the load report.

A large file is parsed in batches of :data:`BATCH_BYTES` split at line ends: each batch
becomes dictionary columns (codes into the distinct texts) at once, and the batches'
columns are combined into one dictionary each, so a board's 11 million rows never exist
as text cells at once (issue 18).  The cleaning then sees the whole table, exactly as
when it is parsed in one go: decisions that depend on all values of a column (gender
coding, date order, percentages as fractions) and duplicates across batch boundaries
are unchanged.
"""

from __future__ import annotations

import csv
import io
import mmap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from plgdata.io.scores import threads
from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.layout import (
    combine_header_rows,
    header_rows_above,
    header_rows_note,
    is_sub_header_row,
    scorer,
    unique_names,
)
from plgdata.io.scores.limits import check_columns
from plgdata.io.scores.rawtable import RawTable
from plgdata.io.sniff import (  # noqa: F401 (sniff_kind re-exported)
    CODECS,
    DELIMITERS,
    SINGLE_BYTE_PENDING,
    SNIFF_BYTES,
    decode,
    single_byte_encoding,
    sniff_dialect,
    sniff_kind,
    sniff_lines,
    split_lines,
)

#: files at least this large are memory-mapped instead of read into memory
MMAP_MIN_BYTES = 8 * 1024 * 1024
#: the body of a text file is parsed in batches of about this many bytes (split at line ends)
BATCH_BYTES = 64 * 1024 * 1024


def _file_bytes(path: Path) -> bytes | mmap.mmap:
    """The file's bytes; large files are memory-mapped (no copy of the whole file in memory)."""
    if path.stat().st_size >= MMAP_MIN_BYTES:
        with open(path, "rb") as fh:
            try:
                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # pragma: no cover - file systems without mmap
                pass
    return path.read_bytes()


def _no_header_error(path: Path, lines: list[str]) -> ReadError:
    """The Dutch error for a text file without a recognisable header row."""
    nonempty = [ln for ln in lines if ln.strip()]
    if not nonempty:
        return ReadError(f"Het bestand {path.name} bevat geen tekst. Maak de export opnieuw en lees hem daarna in.")
    # the first line that looks like column names (no digits: a data row with a pupil
    # number, score or date never gets shown) is offered as the header to map, and only
    # when lines with digits (the data) follow it: in a file of names alone, without a
    # header, the first line is a pupil's name and is never shown
    has_digits = [any(ch.isdigit() for ch in ln) for ln in nonempty]
    first = next((i for i, d in enumerate(has_digits) if not d), None)
    candidate = nonempty[first] if first is not None and any(has_digits[first + 1 :]) else None
    columns: list[str] = []
    if candidate is not None and len(candidate) <= SNIFF_BYTES // 4:
        d = max(DELIMITERS, key=lambda x: candidate.count(x))
        columns = [c.strip().strip('"') for c in candidate.split(d) if c.strip().strip('"')]
    if 2 <= len(columns) <= 200:
        from plgdata.io.scores.mapping import mapping_template

        template = mapping_template(columns)
        return ReadError(
            f"{path.name} is niet herkend: geen kolom die plgdata kent (zoals Leerlingnummer, Toets, Vaardigheidsscore). "
            f"Gevonden kolommen: {', '.join(columns)}.\nMaak een koppelbestand dat zegt welke kolom wat is, en geef "
            "het mee met --koppeling. Een koppelbestand om in te vullen:\n\n" + template,
            columns=columns,
            mapping_template=template,
        )
    return ReadError(
        f"In {path.name} is geen kopregel gevonden (een regel met kolomnamen zoals Leerlingnummer, Toets, "
        "Vaardigheidsscore) in het begin van het bestand. Controleer of het bestand een export met toetsresultaten is "
        "en of de kolomnamen erin staan."
    )


def _header_cells(rows: list[list[str]], idx: int, nh: int) -> list[str]:
    """The header's cells, trimmed or padded to the width of the data rows below it."""
    header_cells = combine_header_rows(rows[idx : idx + nh])
    # strip trailing empty header cells when the data rows do not have them, add one when they do
    counts = [len(r) for r in rows[idx + nh :] if any(c.strip() for c in r)]
    if counts:
        mode = max(set(counts), key=counts.count)
        while len(header_cells) > mode and not header_cells[-1].strip():
            header_cells = header_cells[:-1]
        if mode == len(header_cells) + 1:
            header_cells = header_cells + [""]
    return header_cells


def _body(text, buf, encoding: str, sample: str, offset: int):
    """Where the data lines start: ``(raw, byte offset, codec)``.

    ``raw`` is the file's buffer (bytes or mmap, never copied) or, for text decoded
    from UTF-16, that text as UTF-8; ``codec`` is the single-byte encoding the cells
    are in (None for UTF-8).
    """
    if text is not None:
        return text[offset:].encode("utf-8"), 0, None
    if encoding in CODECS:
        # single-byte, ASCII-compatible: parse the bytes as they are and decode only distinct values
        return buf, offset, CODECS[encoding]
    return buf, len(sample[:offset].encode("utf-8")), None


def _check_header_width(name: str, source, sample: str, ends: list[int], idx: int, nh: int, delim: str) -> None:
    """Refuse a header with more columns than Excel allows, also when its line is longer than the sample."""
    start = ends[idx - 1] if idx else 0
    if len(source) <= SNIFF_BYTES or ends[idx + nh - 1] < len(sample):
        return  # the header line ends within the sample: its cells are counted as usual
    nl, d = ("\n", delim) if isinstance(source, str) else (b"\n", delim.encode())
    end = source.find(nl, start, start + (4 << 20))  # 16,384 columns fit in 4 MB (a mmap has no count())
    check_columns(name, source[start : end if end >= 0 else start + (4 << 20)].count(d) + 1, at_least=end < 0)


def read_text_table(path: Path, data: bytes | None = None, known: frozenset[str] = frozenset()) -> RawTable:
    """Read one CSV/text export into a :class:`RawTable` (all cells as text).

    Every physical line below the header is counted: it becomes a table row, or a
    bad row (wrong number of columns), or a quote row (a quoted field that does not
    close on its own line); see :func:`_parse`.
    """
    path = Path(path)
    if data is None:
        data = _file_bytes(path)
    text, buf, encoding, notes = decode(data, check_single_byte=False)
    pending = encoding == SINGLE_BYTE_PENDING
    encoding = "Windows-1252" if pending else encoding
    _release(data, 0, len(data))  # the pages decoding read (a UTF-8 file with a BOM is a copy from here)
    source = text if text is not None else buf
    sample = source[:SNIFF_BYTES]
    if text is None:
        sample = sample.decode(CODECS.get(encoding, "utf-8"), errors="ignore")
    lines, ends = sniff_lines(sample, len(source) > SNIFF_BYTES)
    lines, ends = lines[:80], ends[:80]
    idx, nh, delim = sniff_dialect(lines, scorer(known), is_sub_header_row, above=header_rows_above, name=path.name)
    if idx < 0:
        raise _no_header_error(path, lines)
    _check_header_width(path.name, source, sample, ends, idx, nh, delim)
    rows = split_lines(lines[: idx + nh + 40], delim, path.name)
    header_cells = _header_cells(rows, idx, nh)
    check_columns(path.name, len(header_cells))
    headers = unique_names(header_cells)
    title = " ".join(" ".join(c for c in r if c.strip()) for r in split_lines(lines[:idx], delim))
    start = idx + nh
    raw, off, codec = _body(text, buf, encoding, sample, ends[start - 1])
    parsed = _parse(raw, off, headers, delim, start + 1, binary=codec is not None)
    if pending:
        encoding, more = single_byte_encoding(_texts(buf, off, parsed))
        codec = CODECS[encoding]
        notes.extend(more)
    if encoding not in ("UTF-8",):
        notes.append(f"tekenset {encoding}")
    if nh > 1:
        notes.append(header_rows_note(idx, nh, header_cells))
    if idx > 0:
        notes.append(f"{idx} regel(s) boven de kopregel overgeslagen (titel)")
    return RawTable(
        source=path.name,
        file_name=path.name,
        headers=headers,
        table=parsed.table,
        rows=parsed.rows,
        bad_rows=parsed.bad_rows,
        quote_rows=parsed.quote_rows,
        title=title,
        notes=notes,
        header_cells=header_cells,
        encoding=codec,
    )


def _texts(buf, off: int, parsed: _Parsed):
    """Every byte of a single-byte file that is not a delimiter, quote or line end, as the texts
    :func:`~plgdata.io.sniff.single_byte_encoding` checks: the lines above the data, then each
    column's distinct cell values one after the other (with where each ends) - a few megabytes
    instead of the whole file.  A file with lines set aside is checked whole (their text is in no cell).
    """
    if parsed.bad_rows or parsed.quote_rows:
        return buf
    texts = [(bytes(buf[: max(off, SNIFF_BYTES)]), None)]
    for column in parsed.table.columns:
        for chunk in column.chunks:
            values = chunk.dictionary
            if not len(values):
                continue
            offsets = np.frombuffer(values.buffers()[1], dtype=np.int32, count=len(values) + 1, offset=values.offset * 4)
            lo = int(offsets[0])
            texts.append((values.buffers()[2].to_pybytes()[lo : int(offsets[-1])], (offsets[1:] - lo).tolist()))
    return texts


@dataclass
class _Parsed:
    table: pa.Table
    rows: np.ndarray  # file row number of each table row
    bad_rows: list[int]  # lines with another number of fields than the header
    quote_rows: list[int]  # lines whose quoted field does not close on the line


def _pyarrow_table(body, headers: list[str], delim: str, binary: bool, threads: bool = True) -> pa.Table:
    """Parse with pyarrow, every column as a dictionary array of text; raises
    ``pyarrow.ArrowInvalid`` on any line with another number of fields."""
    col_type = pa.dictionary(pa.int32(), pa.binary() if binary else pa.string())

    def read(block_size: int) -> pa.Table:
        return pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=headers, use_threads=threads, block_size=block_size),
            parse_options=pacsv.ParseOptions(delimiter=delim, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={h: col_type for h in headers}, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )

    try:
        return read(1 << 23)
    except pa.ArrowInvalid as exc:
        if "straddl" not in str(exc):
            raise
        # a line longer than a block (8 MiB): read the whole body as one block
        return read(len(body) + 1)


def count_lines(data, start: int = 0) -> int:
    """Physical lines in ``data[start:]`` (bytes; a mmap has no ``count``): ``\\r\\n``, ``\\r``
    and ``\\n`` each end one, and a last line without an end counts too."""
    n = data.count(b"\n", start) + data.count(b"\r", start) - data.count(b"\r\n", start)
    return n + (1 if len(data) > start and data[-1:] not in (b"\n", b"\r") else 0)


def _line_fields(line: bytes, delim: int) -> tuple[int, bool]:
    """(number of fields, quote still open at the end) of one line, as pyarrow splits it:
    a quote opens a quoted field only at the start of a field, ``""`` inside is a quote."""
    n, i, size, at_start = 1, 0, len(line), True
    while i < size:
        c = line[i]
        if at_start and c == 34:  # '"'
            i += 1
            while True:
                j = line.find(b'"', i)
                if j < 0:
                    return n, True
                if line[j + 1 : j + 2] == b'"':
                    i = j + 2
                    continue
                i = j + 1
                break
            at_start = False
            continue
        if c == delim:
            n += 1
            at_start = True
        else:
            at_start = False
        i += 1
    return n, False


def _parse_by_line(data: bytes, headers: list[str], delim: str, first_row: int, binary: bool) -> _Parsed:
    """The careful path: each physical line on its own.  A line whose quoted field does
    not close on it is set aside (its text never becomes a cell, nor do the lines after
    it: each line is read by itself); a line with another number of fields is a bad row."""
    d = ord(delim)
    width = len(headers)
    good: list[bytes] = []
    rows: list[int] = []
    bad: list[int] = []
    quote: list[int] = []
    for i, line in enumerate(data.splitlines()):
        if b'"' in line:
            n, is_open = _line_fields(line, d)
        else:
            n, is_open = line.count(delim.encode()) + 1, False
        if is_open:
            quote.append(first_row + i)
        elif n != width:
            bad.append(first_row + i)
        else:
            good.append(line)
            rows.append(first_row + i)
    body = b"\n".join(good) + b"\n" if good else b""
    table = _pyarrow_table(body, headers, delim, binary, threads=False) if good else _empty(headers, binary)
    return _Parsed(table, np.asarray(rows, dtype=np.int64), bad, quote)


def _empty(headers: list[str], binary: bool) -> pa.Table:
    return pa.table({h: pa.array([], pa.binary() if binary else pa.string()) for h in headers})


def _parse(raw, start: int, headers: list[str], delim: str, first_row: int, binary: bool = False) -> _Parsed:
    """Parse the data lines ``raw[start:]`` (all text); every physical line is accounted for.

    The fast path hands the body to pyarrow batch by batch (:func:`_batched_table`); it is
    kept only when every line has the header's number of fields and, where a batch holds a
    quote at all, that batch has exactly one row per physical line.  Otherwise the whole
    body is parsed at once: quoted fields that legitimately hold line breaks
    (:func:`_record_starts`), else :func:`_parse_by_line` reads line by line.  Every column
    is a dictionary array (codes into the distinct cell texts), so cleaning parses each
    distinct text once.
    """
    if len(raw) <= start:
        return _Parsed(_empty(headers, binary), np.zeros(0, dtype=np.int64), [], [])
    table = _batched_table(raw, start, headers, delim, binary)
    if table is not None:
        return _Parsed(table, np.arange(first_row, first_row + table.num_rows, dtype=np.int64), [], [])
    body = bytes(raw[start:])
    try:
        table = _pyarrow_table(pa.py_buffer(body), headers, delim, binary)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        table = None
    if table is not None:
        rows = _record_starts(body, delim, len(headers), first_row)
        if rows is not None and len(rows) == table.num_rows:
            return _Parsed(table, rows, [], [])
    return _parse_by_line(body, headers, delim, first_row, binary)


def _batch_ends(raw, start: int, size: int) -> list[int]:
    """Where the batches of ``raw[start:]`` end: just past a ``\\n`` about every ``size`` bytes, and at the end."""
    ends, pos, n = [], start, len(raw)
    while n - pos > size:
        cut = raw.find(b"\n", pos + size)
        if cut < 0 or cut + 1 >= n:
            break
        pos = cut + 1
        ends.append(pos)
    return ends + [n]


def _release(raw, start: int, end: int) -> None:
    """Let the operating system drop the pages of a memory-mapped file that have been parsed
    (they count as the process's memory until then; they are read again from disk if needed)."""
    if isinstance(raw, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED") and end > start:
        lo = start - start % mmap.PAGESIZE
        raw.madvise(mmap.MADV_DONTNEED, lo, end - lo)


def _batched_table(raw, start: int, headers: list[str], delim: str, binary: bool) -> pa.Table | None:
    """The body parsed in batches of about :data:`BATCH_BYTES` split at line ends, as one table of
    dictionary columns; None when a line has another number of fields, or a batch with a quote
    has another number of rows than lines (a quoted field over several lines: parsed whole).

    Each batch is turned into dictionary columns at once, so the file's text and its table never
    both exist whole; a file of one batch is parsed exactly as before.
    """
    buf = pa.py_buffer(raw)
    parts: list[pa.Table] = []
    a = start
    for b in _batch_ends(raw, start, BATCH_BYTES):
        # a large batch is parsed (pyarrow, without the GIL) while this thread looks for a quote in it
        parse = threads.beside(_pyarrow_table, buf[a:b], headers, delim, binary) if b - a >= threads.PARALLEL_MIN_BYTES else None
        quoted = raw.find(b'"', a, b) >= 0
        try:
            t = parse() if parse is not None else _pyarrow_table(buf[a:b], headers, delim, binary)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            return None
        if quoted and t.num_rows != count_lines(raw[a:b]):
            return None
        _release(raw, a, b)
        parts.append(t)
        a = b
    return _concat_compact(parts)


def _concat_compact(parts: list[pa.Table]) -> pa.Table:
    """The batches as one table whose columns are each one array with one dictionary (the
    distinct texts in order of first appearance, as :meth:`pyarrow.ChunkedArray.unify_dictionaries`
    gives them), so cleaning reads the codes without a copy.  ``parts`` is emptied: each
    column's batches are released as soon as that column is combined (two columns at a time:
    pyarrow and numpy release the GIL).
    """
    names = parts[0].column_names
    chunks: list = [[c for p in parts for c in p.column(i).chunks] for i in range(len(names))]
    types = [f.type for f in parts[0].schema]
    parts.clear()

    def combine(i: int) -> pa.Array:
        col, chunks[i] = pa.chunked_array(chunks[i], types[i]), None
        if col.num_chunks == 1:
            return col.chunk(0)
        col = col.unify_dictionaries()
        idx = [c.indices.to_numpy(zero_copy_only=False) for c in col.chunks]
        dictionary = col.chunk(0).dictionary if col.num_chunks else pa.array([], types[i].value_type)
        return pa.DictionaryArray.from_arrays(pa.array(np.concatenate(idx) if idx else [], pa.int32()), dictionary)

    if sum(len(c) for c in chunks[0]) < 100_000:
        arrays = [combine(i) for i in range(len(names))]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as ex:
            arrays = list(ex.map(combine, range(len(names))))
    # the parse's buffers are free now: hand them back to the system (pyarrow's allocator keeps
    # them otherwise, out of reach of the numpy arrays the cleaning makes)
    pa.default_memory_pool().release_unused()
    return pa.Table.from_arrays(arrays, names=names)


def _record_starts(body: bytes, delim: str, width: int, first_row: int) -> np.ndarray | None:
    """The first line of each record when quoted fields legitimately hold line breaks (RFC 4180:
    ``"ziek; ingehaald<newline>op 3 feb"`` in an Opmerking column), else None.

    A quoted field over several lines is legitimate only when it holds fewer delimiters than a
    whole row: a stray quote that swallows the rows below it is never read as one cell (those
    lines go to the careful path, which sets the line with the open quote aside).
    """
    reader = csv.reader(io.StringIO(body.decode("latin-1"), newline=""), delimiter=delim, quotechar='"')
    starts: list[int] = []
    try:
        while True:
            line = reader.line_num
            try:
                rec = next(reader)
            except StopIteration:
                break
            if len(rec) != width:
                return None
            if any(("\n" in f or "\r" in f) and f.count(delim) >= width - 1 for f in rec):
                return None
            starts.append(first_row + line)
    except csv.Error:
        return None
    return np.asarray(starts, dtype=np.int64)
