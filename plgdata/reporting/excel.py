"""The summary tables of a report, also as one Excel file beside it (for the IB'er)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from plgdata.model.labels import dutch_columns
from plgdata.model.vocabulary import MIN_N
from plgdata.reporting.suppression import suppress_small

#: a text cell starting with one of these would be read by Excel as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def keep_as_text(ws) -> int:
    """Make every text cell of ``ws`` that Excel would run as a formula plain text; returns how many."""
    n = 0
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # stored as a string: shown as typed, never evaluated
                n += 1
    return n


class ReportTables:
    """Collects a report's summary tables and writes them to one ``.xlsx``.

    Small groups are suppressed exactly as in the HTML report.
    """

    def __init__(self, path: str | Path | None, min_n: int = MIN_N):
        self.path = Path(path) if path else None
        self.min_n = min_n
        self.tables: dict[str, pd.DataFrame] = {}

    def add(self, name: str, df: pd.DataFrame, n_col: str = "n") -> pd.DataFrame:
        if n_col in df.columns:
            df, _ = suppress_small(df, n_col, self.min_n)
        sheet = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or f"Tabel {len(self.tables) + 1}"
        self.tables[sheet] = df
        return df

    def write(self) -> Path | None:
        if self.path is None or not self.tables:
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(self.path, engine="openpyxl") as xl:
            for sheet, df in self.tables.items():
                out = dutch_columns(df.copy())
                for c in out.columns:
                    if isinstance(out[c].dtype, pd.CategoricalDtype):
                        out[c] = out[c].astype("object")
                    elif pd.api.types.is_extension_array_dtype(out[c].dtype):
                        out[c] = out[c].astype("object").where(out[c].notna(), None)
                out.to_excel(xl, sheet_name=sheet, index=False)
                ws = xl.sheets[sheet]
                keep_as_text(ws)
                for col in ws.columns:
                    width = max(len(str(c.value)) if c.value is not None else 0 for c in col)
                    ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
        return self.path
