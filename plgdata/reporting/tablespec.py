"""One column spec per report table, shared by the HTML table and its Excel sheet.

A report shows a table on screen (:func:`plgdata.reporting.html.table`) and keeps the same
table in its workbook (:class:`plgdata.reporting.excel.ReportTables`).  Both read the columns
from :func:`column_specs`, so a share is a percentage in both, a number has the same decimals in
both, and the Dutch label is the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from plgdata.model.labels import label

#: what a column holds: text, a count, a number with decimals, a share shown as a percentage, a date, ja/nee
KINDS = ("text", "int", "number", "percent", "date", "bool")


@dataclass(frozen=True)
class Column:
    """How one column of a report table is shown: its Dutch label, kind and decimals."""

    name: str
    label: str
    kind: str = "text"
    decimals: int = 1

    @property
    def excel_format(self) -> str:
        """The cell's number format in Excel (Excel shows it with the reader's decimal mark)."""
        if self.kind == "percent":
            return "0" + ("." + "0" * self.decimals if self.decimals else "") + "%"
        if self.kind == "number":
            return "0" + ("." + "0" * self.decimals if self.decimals else "")
        if self.kind == "int":
            return "0"
        if self.kind == "date":
            return "dd-mm-yyyy"
        return "General"


def _is_share_column(name: str, values: pd.Series) -> bool:
    """A column named as a share (``share…``, ``Aandeel …``, ``Percentage …``) whose numbers lie in 0–1."""
    words = (str(name).lower(), label(name).lower())
    if not any(w.startswith(("share", "aandeel", "percentage")) for w in words):
        return False
    nums = pd.to_numeric(values, errors="coerce").dropna()
    return len(nums) > 0 and bool(((nums >= 0) & (nums <= 1)).all())


def column_specs(df: pd.DataFrame, decimals: int | dict[str, int] = 1, percent: Iterable[str] = ()) -> list[Column]:
    """The spec of every column of ``df``.

    ``percent`` names the columns that hold shares (0–1); columns named as a share are
    recognised too.  ``decimals`` is one number for every numeric column or a number per column
    (default 1).  Integer columns are counts; a column of objects is text (a suppressed count
    such as ``"< 5"`` stays as it is).

    >>> df = pd.DataFrame({"n": [12], "share": [0.41], "mean": [3.14159], "Vak": ["Spelling"]})
    >>> [(c.label, c.kind, c.decimals) for c in column_specs(df, {"mean": 2})]
    [('Aantal leerlingen', 'int', 0), ('Aandeel', 'percent', 0), ('Gemiddelde', 'number', 2), ('Vak', 'text', 1)]
    """
    percent = set(percent)
    out = []
    for c in df.columns:
        s = df[c]
        d = decimals.get(c, 1) if isinstance(decimals, dict) else int(decimals)
        if c in percent or (s.dtype.kind == "f" and _is_share_column(c, s)):
            kind, d = "percent", (decimals.get(c, 0) if isinstance(decimals, dict) else 0)
        elif s.dtype.kind == "b" or pd.api.types.is_bool_dtype(s.dtype):
            kind, d = "bool", 0
        elif pd.api.types.is_integer_dtype(s.dtype):
            kind, d = "int", 0
        elif pd.api.types.is_numeric_dtype(s.dtype):
            kind = "number"
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            kind, d = "date", 0
        else:
            kind = "text"  # numbers among text (a column with "< 5" in it) keep the decimals asked for
        out.append(Column(str(c), label(c), kind, d))
    return out
