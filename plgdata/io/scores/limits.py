"""What a file may expand to when read: a small hostile file must not fill the memory.

A 15 KB workbook can hold one shared string of 4 MB used in 600 cells (2.4 GB of text once
read), an HTML table saved as .xls can ask for ``colspan=30000000``.  Before such a file is
unpacked, plgdata checks it against Excel's own limits and refuses it in Dutch:

* one cell holds at most :data:`MAX_CELL_CHARS` characters and a row at most
  :data:`MAX_COLUMNS` columns (Excel itself cannot make more, so no real export has more);
* the parts of a workbook unpack to at most :data:`MAX_UNPACKED_BYTES`, and to at most
  :data:`MAX_RATIO` times their packed size once they are larger than :data:`RATIO_FROM_BYTES`
  (real workbooks pack 5–20×; a "zip bomb" thousands of times);
* the text all cells of a sheet refer to is at most :data:`MAX_TEXT_CHARS` characters, and a
  sheet reaches at most :data:`MAX_SHEET_CELLS` cells (last row × last column: a cell in A1 and
  one in XFD1048576 would unfold into 17 billion).

The checks read the zip directory, the shared strings and each sheet once, streaming (stopping
at a limit), before the workbook reader unpacks anything.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from plgdata.io.scores.errors import ReadError
from plgdata.model.labels import fmt_num

#: Excel's limit on the text of one cell
MAX_CELL_CHARS = 32_767
#: Excel's limit on the columns of a sheet
MAX_COLUMNS = 16_384
#: what the parts of one workbook may unpack to
MAX_UNPACKED_BYTES = 800_000_000
#: unpacked / packed size above which a large workbook is a zip bomb
MAX_RATIO = 100
RATIO_FROM_BYTES = 50_000_000
#: the text the cells of one sheet may refer to (about 100 characters for each of 4 million cells)
MAX_TEXT_CHARS = 400_000_000
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHARED_REF = re.compile(rb'<c\b[^>]*\bt="s"[^>]*>\s*<v>(\d+)</v>')
_CELL_REF = re.compile(rb' r="([A-Z]{1,3})(\d{1,7})"')  # a cell's reference, wherever its attributes stand
#: the cells one sheet may reach (rows × columns a reader unfolds; a million rows of 25 columns)
MAX_SHEET_CELLS = 25_000_000
#: a sheet reaching more than SPARSE_FROM cells must hold at least one in SPARSE_RATIO of them
#: (an export writes its cells side by side; three cells spread over A1:Z100000 are a trap)
SPARSE_FROM, SPARSE_RATIO = 1_000_000, 50


def refuse(name: str, what: str) -> ReadError:
    """The Dutch refusal of a file that would expand beyond a limit (nothing of it is read)."""
    return ReadError(
        f"Het bestand {name} is niet ingelezen: {what}. Zo'n bestand komt niet uit een leerlingvolgsysteem en zou het "
        "geheugen van de computer vullen. Maak de export opnieuw (of open hem in Excel en sla hem op als .xlsx) en lees "
        "hem daarna in."
    )


def check_cell(name: str, chars: int) -> None:
    if chars > MAX_CELL_CHARS:
        raise refuse(
            name, f"een cel bevat {fmt_num(chars, 0)} tekens (Excel zelf staat hoogstens {fmt_num(MAX_CELL_CHARS, 0)} toe)"
        )


def check_columns(name: str, columns: int, at_least: bool = False) -> None:
    """Refuse a row wider than Excel allows (``at_least``: only part of the row was counted)."""
    if columns > MAX_COLUMNS:
        many = ("meer dan " if at_least else "") + fmt_num(columns, 0)
        raise refuse(name, f"een rij zou {many} kolommen breed worden (Excel zelf staat hoogstens {fmt_num(MAX_COLUMNS, 0)} toe)")


def _shared_string_lengths(zf: zipfile.ZipFile, name: str) -> list[int]:
    """The length of every shared string (refused when one is longer than a cell may be)."""
    try:
        info = zf.getinfo("xl/sharedStrings.xml")
    except KeyError:
        return []
    lengths: list[int] = []
    with zf.open(info) as fh:
        if b"<!DOCTYPE" in fh.read(4096).upper():
            raise refuse(name, "het bevat een DOCTYPE-verklaring (die maakt Excel nooit)")
    try:
        with zf.open(info) as fh:
            for _, el in iterparse(fh, events=("end",)):
                if el.tag == f"{_NS}si":
                    n = sum(len(t) for t in el.itertext())
                    check_cell(name, n)
                    lengths.append(n)
                    el.clear()
    except ParseError:
        return lengths  # damaged XML: the workbook reader says so in Dutch
    return lengths


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int]:
    """One streaming pass over a sheet: (last row, last column, cells written); stops past a limit.

    A sheet with a cell in A1 and one in XFD1048576 is two cells that a reader unfolds into 17
    billion: the last row and column tell how far the sheet reaches, whatever it claims.
    """
    last_row, last_col, cells, tail = 0, 0, 0, b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 22):
            buf = tail + chunk
            last = buf.rfind(b">")
            done, tail = (buf[: last + 1], buf[last + 1 :]) if last >= 0 else (b"", buf)
            refs = _CELL_REF.findall(done)
            if refs:
                cells += len(refs)
                letters = {a for a, _ in refs}  # few distinct values: the maximum is cheap
                last_col = max(last_col, max(_column_number(a) for a in letters))
                last_row = max(last_row, max(map(int, {b for _, b in refs})))
            if last_row * last_col > MAX_SHEET_CELLS:
                break
    return last_row, last_col, cells


def _referenced_chars(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lengths: list[int]) -> int:
    """The text the cells of one sheet refer to, counted while streaming (stops past the limit)."""
    total, tail = 0, b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 22):
            buf = tail + chunk
            last = buf.rfind(b">")
            done, tail = (buf[: last + 1], buf[last + 1 :]) if last >= 0 else (b"", buf)
            total += sum(lengths[i] if i < len(lengths) else 0 for i in map(int, _SHARED_REF.findall(done)))
            if total > MAX_TEXT_CHARS:
                break
    return total


def check_workbook(path: Path) -> None:
    """Refuse (:class:`ReadError`, Dutch) a workbook that would unpack beyond the limits above."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the workbook reader says so in Dutch
    with zf:
        infos = zf.infolist()
        unpacked = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if unpacked > MAX_UNPACKED_BYTES or (unpacked > RATIO_FROM_BYTES and unpacked > MAX_RATIO * packed):
            raise refuse(path.name, f"het pakt uit tot {fmt_num(unpacked / 1e6, 0)} MB (ingepakt {fmt_num(packed / 1e3, 0)} kB)")
        lengths = _shared_string_lengths(zf, path.name)
        longest = max(lengths, default=0)
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            rows, cols, cells = _scan_sheet(zf, info)
            # every cell could refer to the longest shared string: count only when that could pass the limit
            if longest * cells > MAX_TEXT_CHARS and _referenced_chars(zf, info, lengths) > MAX_TEXT_CHARS:
                raise refuse(
                    path.name,
                    f"de cellen van één blad verwijzen samen naar meer dan {fmt_num(MAX_TEXT_CHARS, 0)} tekens "
                    "(steeds dezelfde lange tekst)",
                )
            check_columns(path.name, cols)
            if rows * cols > MAX_SHEET_CELLS or (rows * cols > SPARSE_FROM and rows * cols > SPARSE_RATIO * cells):
                raise refuse(
                    path.name,
                    f"een blad met {fmt_num(cells, 0)} ingevulde cellen reikt tot rij {fmt_num(rows, 0)} en kolom "
                    f"{fmt_num(cols, 0)} ({fmt_num(rows * cols, 0)} cellen om uit te vouwen)",
                )
