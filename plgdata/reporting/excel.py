"""The summary tables of a report, also as one Excel file beside it (for the IB'er).

A workbook a person can read: shares as percentages, one or two decimals, columns wide enough,
the header row frozen and bold, one sheet per table named after it.  Excel allows 31 characters in
a sheet name: when a table's name had to be shortened, a first sheet *Inhoud* gives every table's
full name and its sheet.  Sheet names are unique by construction, so no table is lost when long
names agree in their first 31 characters.  Each sheet's columns follow the same
spec as the HTML table (:func:`plgdata.reporting.tablespec.column_specs`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from plgdata.model.vocabulary import MIN_N
from plgdata.reporting.suppression import suppress_small
from plgdata.reporting.tablespec import Column, column_specs

#: a text cell starting with one of these would be read by Excel as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Excel's limit for a sheet name
SHEET_NAME_MAX = 31
#: the first sheet: every table's full name and the sheet it is on
CONTENTS_SHEET = "Inhoud"
_MAX_WIDTH = 60


def keep_as_text(ws) -> int:
    """Make every text cell of ``ws`` that Excel would run as a formula plain text; returns how many."""
    n = 0
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # stored as a string: shown as typed, never evaluated
                n += 1
    return n


def sheet_names(names: list[str]) -> list[str]:
    """Excel sheet names for ``names``: at most 31 characters, no ``[]:*?/\\``, unique (Excel
    compares them without case).  A long name keeps its start and its end; names that still agree get ``(2)``, ``(3)``.

    >>> sheet_names(["Leerteam Rekenen en wiskunde onderbouw perioden", "Leerteam Rekenen en wiskunde onderbouw cycli", "Groei", "groei"])
    ['Leerteam Rekenen…rbouw perioden', 'Leerteam Rekenen…nderbouw cycli', 'Groei', 'groei (2)']
    """
    taken: set[str] = {CONTENTS_SHEET.casefold()}
    out = []
    for i, name in enumerate(names):
        base = re.sub(r"[\[\]:*?/\\]", " ", str(name)).strip().strip("'") or f"Tabel {i + 1}"
        if len(base) > SHEET_NAME_MAX:
            head = base[:16].rstrip()
            base = head + "…" + base[len(base) - (SHEET_NAME_MAX - len(head) - 1) :].lstrip()
        sheet, k = base, 2
        while sheet.casefold() in taken:
            suffix = f" ({k})"
            sheet = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
            k += 1
        taken.add(sheet.casefold())
        out.append(sheet)
    return out


class ReportTables:
    """Collects a report's summary tables and writes them to one ``.xlsx``.

    Small groups are suppressed exactly as in the HTML report; :meth:`table` keeps a table and
    returns its HTML, both from one column spec.
    """

    def __init__(self, path: str | Path | None, min_n: int = MIN_N):
        self.path = Path(path) if path else None
        self.min_n = min_n
        self.tables: dict[str, pd.DataFrame] = {}
        self.specs: dict[str, list[Column]] = {}

    def add(
        self, name: str, df: pd.DataFrame, n_col: str = "n", *, decimals: int | dict[str, int] = 1, percent=()
    ) -> pd.DataFrame:
        """Keep ``df`` as the table ``name`` (a second table of the same name gets its own sheet)."""
        if n_col in df.columns:
            df, _ = suppress_small(df, n_col, self.min_n)
        key, k = str(name), 2
        while key in self.tables:
            key, k = f"{name} ({k})", k + 1
        self.tables[key] = df
        self.specs[key] = column_specs(df, decimals, percent)
        return df

    def table(self, name: str, df: pd.DataFrame, caption: str | None = None, **kwargs):
        """Keep ``df`` for the workbook and return it as an HTML table: one spec for both.

        ``kwargs`` are those of :func:`plgdata.reporting.html.table` (``decimals``, ``percent``,
        ``n_col``, ``min_n``).
        """
        from plgdata.reporting import html as h

        n_col = kwargs.get("n_col", "n")
        self.add(name, df, n_col or "", decimals=kwargs.get("decimals", 1), percent=kwargs.get("percent", ()))
        return h.table(df, caption, **kwargs)

    def write(self) -> Path | None:
        if self.path is None or not self.tables:
            return None
        from openpyxl import Workbook

        self.path.parent.mkdir(parents=True, exist_ok=True)
        wb = Workbook()
        wb.remove(wb.active)
        names = list(self.tables)
        sheets = sheet_names(names)
        for name, sheet in zip(names, sheets):
            _write_sheet(wb.create_sheet(sheet), self.tables[name], self.specs[name])
        if any(name != sheet for name, sheet in zip(names, sheets)):  # a name was shortened: say every full name
            _write_contents(wb.create_sheet(CONTENTS_SHEET, 0), names, sheets, [len(self.tables[n]) for n in names])
        wb.save(self.path)
        return self.path


def _excel_value(col: Column, v):
    """A cell value as Excel should hold it: numbers stay numbers, nothing stays empty, ja/nee for yes/no."""
    if v is None or v is pd.NA or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
        return None
    if isinstance(v, bool) or col.kind == "bool":
        return "ja" if bool(v) else "nee"
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()  # numpy scalar
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v if isinstance(v, int | float | str) or hasattr(v, "strftime") else str(v)


def _shown_length(col: Column, v) -> int:
    """About how many characters a cell takes on screen (for the column width)."""
    if v is None:
        return 1
    if isinstance(v, int | float) and not isinstance(v, bool):
        return len(f"{v * (100 if col.kind == 'percent' else 1):,.{col.decimals}f}") + (1 if col.kind == "percent" else 0)
    if hasattr(v, "strftime"):
        return 10
    return len(str(v))


def _plain_format(value, decimals: int) -> str:
    """A number among text (a count beside "< 5"): a whole number, or the column's decimals."""
    return "0" if isinstance(value, int) or decimals == 0 else "0." + "0" * decimals


def _write_sheet(ws, df: pd.DataFrame, specs: list[Column]) -> None:
    """One table: a bold, wrapped, frozen header row; number formats and widths from the spec."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append([c.label for c in specs])
    for rec in df.itertuples(index=False):
        ws.append([_excel_value(c, v) for c, v in zip(specs, rec)])
    keep_as_text(ws)
    for j, col in enumerate(specs, start=1):
        letter = get_column_letter(j)
        head = ws.cell(row=1, column=j)
        head.font = Font(bold=True)
        head.alignment = Alignment(wrap_text=True, vertical="top")
        longest = 0
        for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            longest = max(longest, _shown_length(col, cell.value))
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = col.excel_format if col.kind != "text" else _plain_format(cell.value, col.decimals)
            elif hasattr(cell.value, "strftime"):
                cell.number_format = "dd-mm-yyyy"
            elif isinstance(cell.value, str) and len(cell.value) > _MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        head_word = max((len(w) for w in col.label.split()), default=4)
        ws.column_dimensions[letter].width = min(max(longest, head_word, 6) + 2, _MAX_WIDTH)
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def _write_contents(ws, names: list[str], sheets: list[str], rows: list[int]) -> None:
    """The contents sheet: each table's full name, its sheet and its number of rows."""
    from openpyxl.styles import Font

    ws.append(["Tabel", "Tabblad", "Aantal rijen"])
    for name, sheet, n in zip(names, sheets, rows):
        ws.append([name, sheet, n])
    keep_as_text(ws)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = min(max(len(n) for n in names) + 2, 80)
    ws.column_dimensions["B"].width = max(len(s) for s in sheets) + 2
    ws.column_dimensions["C"].width = 13
    ws.freeze_panes = "A2"
