"""Tables as a teacher reads them on a page: escaped, no 0, 1, 2 … column, nothing missing written as NaN/NaT/None."""

from __future__ import annotations

#: what a page shows for a missing value
MISSING = "–"


def table_html(df) -> str:
    """A DataFrame as HTML: escaped, without a bare row-number index, missing values as '–'."""
    import pandas as pd

    index = not (isinstance(df.index, pd.RangeIndex) and df.index.name is None)
    shown = df.astype(object).where(df.notna(), MISSING) if len(df) else df
    return shown.to_html(index=index, escape=True, border=0, na_rep=MISSING, classes="plg-tabel")
