"""Tables as a teacher reads them on a page: escaped, no 0, 1, 2 … column, nothing missing written as NaN/NaT/None."""

from __future__ import annotations

import re

#: what a page shows for a missing value
MISSING = "–"


def table_html(df) -> str:
    """A DataFrame as HTML: escaped, without a bare row-number index, missing values as '–'.

    Without pandas' indentation between the tags (a quarter of a table's text, sent JSON-escaped in a
    Voilà page: step 0 shows a table per export file)."""
    import pandas as pd

    index = not (isinstance(df.index, pd.RangeIndex) and df.index.name is None)
    shown = df.astype(object).where(df.notna(), MISSING) if len(df) else df
    return _BETWEEN_TAGS.sub("><", shown.to_html(index=index, escape=True, border=0, na_rep=MISSING, classes="plg-tabel"))


#: white space between two tags (never a cell's text: a cell of only spaces shows nothing either way)
_BETWEEN_TAGS = re.compile(r">\s+<")
