"""Reading Excel workbooks (.xlsx): every sheet with a recognisable header becomes a table."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa

from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.layout import combine_header_rows, find_header, unique_names
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


def read_workbook(path: Path) -> tuple[list[RawTable], list[str]]:
    """All sheets of a workbook that have a header; plus Dutch notes on skipped sheets."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise ReadError(f"Het bestand {path.name} is leeg (0 bytes). Maak de export opnieuw en lees hem daarna in.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(
            f"Het bestand {path.name} is met een wachtwoord beveiligd of is een oud Excel-bestand (.xls). "
            "Open het in Excel, haal een eventueel wachtwoord weg en sla het op als Excel-werkmap (.xlsx)."
        )
    if not head.startswith(b"PK"):
        raise ReadError(
            f"Het bestand {path.name} is geen Excel-werkmap (.xlsx), al heeft het die extensie. "
            "Open het in Excel en sla het op als Excel-werkmap (.xlsx) of als CSV."
        )
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, EOFError, ValueError) as exc:
        raise ReadError(
            f"Het Excel-bestand {path.name} is beschadigd of onvolledig en kan niet worden geopend. "
            "Maak de export opnieuw (of open het in Excel en sla het opnieuw op) en lees hem daarna in."
        ) from exc
    tables: list[RawTable] = []
    notes: list[str] = []
    try:
        for ws in wb.worksheets:
            try:
                rows = [[cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
            except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as exc:
                raise ReadError(
                    f"Het Excel-bestand {path.name} is beschadigd of onvolledig (blad {ws.title}). "
                    "Maak de export opnieuw en lees hem daarna in."
                ) from exc
            t = _sheet_table(path, ws.title, rows)
            if t is None:
                if any(any(c.strip() for c in r) for r in rows):
                    notes.append(f"blad {ws.title} overgeslagen: geen kopregel met bekende kolomnamen")
                continue
            tables.append(t)
    finally:
        wb.close()
    return tables, notes


def _sheet_table(path: Path, sheet: str, rows: list[list[str]]) -> RawTable | None:
    idx, nh = find_header(rows[:80])
    if idx < 0:
        return None
    header_cells = combine_header_rows(rows[idx: idx + nh])
    data = rows[idx + nh:]
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
    notes = []
    if nh == 2:
        notes.append("kop over twee regels (vak en moment boven VS/niveau)")
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
