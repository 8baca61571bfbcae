"""The one home of small-group suppression in every report (HTML and Excel alike).

Two rules protect pupils in a group smaller than ``min_n`` (default 5):

1. **Primary suppression** (:func:`suppress_small`): every statistic of a row with fewer than
   ``min_n`` pupils is blanked and its ``n`` shown as ``< min_n``.
2. **Complementary suppression** (:func:`suppress_complement`): a hidden cell must not be
   recoverable by subtraction.  When the parts of a whole are shown beside the whole (classes
   beside the *hele groep*), or the whole is shown elsewhere (the comparison group beside a
   small intervention group: together they are the groep another report shows), the hidden
   parts together are ``total − shown parts``.  So more parts are hidden, smallest first,
   until the hidden parts together hold at least ``min_n`` pupils; what can then be derived is
   a group of ``min_n`` or more, never a small one.

Example from a groepsoverzicht: groep 5 (n = 29, 59% at I–III) with 5A (n = 26, 62%) and
5B (n = 3, hidden): 5B's share is ``(0.59·29 − 0.62·26) / 3``.  With the complement rule 5A's
shares are hidden too; the groep's own figures stay.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from plgdata.model.vocabulary import MIN_N

#: ``DataFrame.attrs`` key: how many rows were hidden only to protect a small group beside them
COMPLEMENT_ATTR = "plg_aanvullend_verborgen"


def suppress_small(df: pd.DataFrame, n_col: str = "n", min_n: int = MIN_N, keep: Iterable[str] = ()) -> tuple[pd.DataFrame, int]:
    """Blank every statistic of rows with fewer than ``min_n`` pupils.

    Returns the table (statistics as NA for small groups; ``n`` itself shown as
    ``< min_n``) and the number of rows suppressed.
    """
    if df.empty or n_col not in df.columns:
        return df, 0
    out = df.copy()
    small = pd.to_numeric(out[n_col], errors="coerce") < min_n
    if not small.any():
        return out, 0
    keep = set(keep) | {n_col}
    for c in out.columns:
        if c not in keep and pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].astype("Float64").mask(small)
    out[n_col] = out[n_col].astype("object").mask(small, f"< {min_n}")
    return out, int(small.sum())


def complement_rows(n: pd.Series, is_total: pd.Series | None = None, min_n: int = MIN_N) -> pd.Series:
    """Which parts must be hidden besides the small ones so that no small group can be derived.

    ``n`` holds each row's pupil count; ``is_total`` marks the row of the whole (when absent the
    whole is taken to be shown elsewhere, e.g. in another report).  Returns a boolean Series:
    True for each part hidden *only* to protect the small parts (primary suppression is not
    included).  Parts are hidden smallest first until the hidden parts hold ``min_n`` pupils.

    Examples
    --------
    >>> complement_rows(pd.Series([26, 3, 29]), pd.Series([False, False, True])).tolist()
    [True, False, False]
    >>> complement_rows(pd.Series([40, 3])).tolist()  # the whole (43) is shown in another report
    [True, False]
    >>> complement_rows(pd.Series([20, 10, 3, 33]), pd.Series([False, False, False, True])).tolist()
    [False, True, False, False]
    """
    counts = pd.to_numeric(n, errors="coerce").fillna(0)
    parts = ~is_total.astype(bool) if is_total is not None else pd.Series(True, index=n.index)
    out = pd.Series(False, index=n.index)
    small = parts & (counts < min_n) & (counts > 0)
    if not small.any():
        return out
    hidden = int(counts[small].sum())
    for i in counts[parts & ~small].sort_values(kind="stable").index:
        if hidden >= min_n:
            break
        out[i] = True
        hidden += int(counts[i])
    return out


def suppress_complement(
    df: pd.DataFrame,
    stats: Iterable[str],
    *,
    n_col: str = "n",
    by: Iterable[str] = (),
    part_col: str | None = None,
    total_label: str | None = None,
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """Hide ``stats`` of the parts that would let a small part be derived (see the module docstring).

    Rows are grouped by ``by`` (e.g. subject and moment); within a group the row whose
    ``part_col`` equals ``total_label`` is the whole, the others its parts.  Without
    ``part_col`` every row is a part of a whole shown elsewhere.  Primary suppression is left
    to :func:`suppress_small` (statistics of small rows are blanked here as well, ``n`` stays a
    number).  The count of rows hidden only for the complement is kept in
    ``df.attrs[COMPLEMENT_ATTR]``.
    """
    stats = [c for c in stats if c in df.columns]
    if df.empty or n_col not in df.columns or not stats:
        return df
    out = df.copy()
    counts = pd.to_numeric(out[n_col], errors="coerce")
    by = [c for c in by if c in out.columns]
    groups = out.groupby(by, sort=False, dropna=False).groups.values() if by else [out.index]
    extra = pd.Series(False, index=out.index)
    for idx in groups:
        total = (out.loc[idx, part_col] == total_label) if part_col else None
        extra |= complement_rows(counts.loc[idx], total, min_n).reindex(out.index, fill_value=False)
    hide = extra | (counts < min_n)
    for c in stats:
        out[c] = out[c].astype("Float64").mask(hide) if pd.api.types.is_numeric_dtype(out[c]) else out[c].mask(hide)
    out.attrs[COMPLEMENT_ATTR] = int(extra.sum()) + int(df.attrs.get(COMPLEMENT_ATTR, 0))
    return out


def complement_note(df: pd.DataFrame, min_n: int = MIN_N) -> str | None:
    """The Dutch note under a table with rows hidden for the complement (None when there are none)."""
    k = int(df.attrs.get(COMPLEMENT_ATTR, 0))
    if not k:
        return None
    return (
        f"Bij {k} groep(en) zijn de cijfers ook verborgen, hoewel die groter zijn: anders is een groep met minder dan "
        f"{min_n} leerlingen terug te rekenen uit het totaal."
    )
