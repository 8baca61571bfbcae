"""Reading Excel workbooks (.xlsx, .xlsm, .xls; with calamine) and HTML tables saved as .xls:
every sheet with a recognisable header becomes a table."""

from __future__ import annotations

import datetime as dt
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pyarrow as pa

from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.layout import combine_header_rows, find_header, header_rows_note, unique_names
from plgdata.io.scores.limits import MAX_COLUMNS, check_cell, check_columns, check_workbook, refuse
from plgdata.io.scores.rawtable import RawTable


def cell_text(v: object) -> str:
    """An Excel cell value as text: dates as ISO, whole floats without ``.0``."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        if v != v:
            return ""
        if v.is_integer():
            return str(int(v))
        return repr(v)
    return str(v)


def _workbook_rows(path: Path) -> tuple[list[tuple[str, list[list[str]]]], list[str]]:
    """Every visible sheet as text rows, read with calamine (.xlsx, .xlsm and Excel 97 .xls), and the
    names of the hidden sheets (never read: a hidden sheet holds helper tables such as target scores)."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    check_workbook(path)  # a small file that would unpack to gigabytes is refused before it is unpacked
    try:
        wb = CalamineWorkbook.from_path(str(path))
        hidden = [m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible]
        sheets = [
            (name, [[cell_text(v) for v in r] for r in wb.get_sheet_by_name(name).to_python()])
            for name in wb.sheet_names
            if name not in hidden
        ]
        return sheets, hidden
    except MemoryError as exc:
        raise refuse(path.name, "het past niet in het geheugen van deze computer") from exc
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a panic inside calamine (Rust) is a BaseException: never a traceback
        raise _workbook_error(path, exc) from exc


def _workbook_error(path: Path, exc: BaseException) -> ReadError:
    """The Dutch error for what calamine raised: a password, a damaged file, or it got stuck."""
    from python_calamine import CalamineError, PasswordError

    if isinstance(exc, PasswordError):
        return ReadError(
            f"Het bestand {path.name} is met een wachtwoord beveiligd. "
            "Open het in Excel, haal het wachtwoord weg en sla het op als Excel-werkmap (.xlsx)."
        )
    if isinstance(exc, (CalamineError, OSError, ValueError, zipfile.BadZipFile)):
        return ReadError(
            f"Het Excel-bestand {path.name} is beschadigd of onvolledig en kan niet worden geopend. "
            "Maak de export opnieuw (of open het in Excel en sla het opnieuw op) en lees hem daarna in."
        )
    return refuse(path.name, "het Excel-leesprogramma liep erop vast")


def _check_head(path: Path, head: bytes) -> str:
    """'xlsx', 'xls' or 'html' (an HTML table saved as .xls); raises for anything else."""
    if not head:
        raise ReadError(f"Het bestand {path.name} is leeg (0 bytes). Maak de export opnieuw en lees hem daarna in.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if path.suffix.lower() == ".xls":
            return "xls"
        raise ReadError(
            f"Het bestand {path.name} is met een wachtwoord beveiligd of is een oud Excel-bestand (.xls). "
            "Open het in Excel, haal een eventueel wachtwoord weg en sla het op als Excel-werkmap (.xlsx)."
        )
    if is_html(head):
        return "html"
    if not head.startswith(b"PK"):
        raise ReadError(
            f"Het bestand {path.name} is geen Excel-werkmap (.xlsx), al heeft het die extensie. "
            "Open het in Excel en sla het op als Excel-werkmap (.xlsx) of als CSV."
        )
    return "xlsx"


def read_workbook(path: Path, known: frozenset[str] = frozenset()) -> tuple[list[RawTable], list[str]]:
    """All sheets of a workbook that have a header; plus Dutch notes on skipped sheets.

    Reads .xlsx/.xlsm and real Excel 97 .xls files (with calamine), and an HTML table saved
    as .xls (the "export to Excel" of many web systems), which is said in the notes.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(1024)
    kind = _check_head(path, head)
    notes: list[str] = []
    if kind == "html":
        sheets = html_tables(path.read_bytes(), path.name)
        what = "echt Excel-bestand" if path.suffix.lower().startswith(".xls") else "CSV-bestand"
        notes.append(
            f"{path.name} is geen {what} maar een webpagina (HTML-tabel) met de extensie {path.suffix}: als HTML-tabel gelezen"
        )
    else:
        sheets, hidden = _workbook_rows(path)
        notes.extend(f"blad {name} is verborgen in Excel: overgeslagen (niet ingelezen)" for name in hidden)
        if kind == "xls":
            notes.append("oud Excel-bestand (.xls, Excel 97-2003): gelezen")
    tables: list[RawTable] = []
    for name, rows in sheets:
        t = _sheet_table(path, name, rows, known)
        if t is None:
            if any(any(c.strip() for c in r) for r in rows):
                notes.append(f"blad {name} overgeslagen: geen kopregel met bekende kolomnamen")
            continue
        tables.append(t)
    return tables, notes


def is_html(head: bytes) -> bool:
    """Whether a file starts like an HTML page or table (after a BOM and white space)."""
    start = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<table")) or (start.startswith(b"<") and b"<table" in head.lower())


class _TableParser(HTMLParser):
    """The cells of every <table> in an HTML page (rows of text; colspan cells repeated as empty)."""

    def __init__(self, name: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = str(dict(attrs).get("colspan") or "1").strip()
            self._span = int(span[:9]) if span.isdigit() and len(span) <= 9 else (MAX_COLUMNS + 1 if span.isdigit() else 1)
            check_columns(self.name, len(self._row) + self._span)  # colspan=30000000 is refused, not padded

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = " ".join("".join(self._cell).split())
            check_cell(self.name, len(text))
            self._row.extend([text] + [""] * (self._span - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(data: bytes, name: str = "") -> list[tuple[str, list[list[str]]]]:
    """Every table of an HTML page as ``(name, rows)``; decoded as UTF-8 or Windows-1252.

    Raises :class:`ReadError` for a span or cell beyond Excel's limits (:mod:`plgdata.io.scores.limits`).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    parser = _TableParser(name)
    parser.feed(text)
    return [(f"tabel {i + 1}", rows) for i, rows in enumerate(parser.tables) if rows]


def _sheet_table(path: Path, sheet: str, rows: list[list[str]], known: frozenset[str] = frozenset()) -> RawTable | None:
    idx, nh = find_header(rows[:80], known)
    if idx < 0:
        return None
    header_cells = combine_header_rows(rows[idx : idx + nh])
    data = rows[idx + nh :]
    # trailing empty rows of a sheet are formatting, not data
    while data and not any(c.strip() for c in data[-1]):
        data.pop()
    width = max([len(header_cells)] + [len(r) for r in data])
    while width > len(header_cells) and all((len(r) < width or not r[width - 1].strip()) for r in data):
        width -= 1
    header_cells = list(header_cells) + [""] * (width - len(header_cells))
    headers = unique_names(header_cells)
    cols = [[(r[j] if j < len(r) else "") for r in data] for j in range(width)]
    table = pa.table({h: pa.array(c, pa.string()) for h, c in zip(headers, cols)})
    title = " ".join(" ".join(c for c in r if c.strip()) for r in rows[:idx])
    notes = [n for n in (header_rows_note(idx, nh, header_cells),) if n]
    return RawTable(
        source=f"{path.name}:{sheet}",
        file_name=path.name,
        headers=headers,
        table=table,
        rows=np.arange(idx + nh + 1, idx + nh + 1 + len(data), dtype=np.int64),
        title=title,
        sheet=sheet,
        notes=notes,
        header_cells=header_cells,
    )
