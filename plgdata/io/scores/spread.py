"""One result spread over several rows or cells, put back together before the columns are read.

Real exports sometimes spread what the long and wide layouts keep in one row:

- **one row per field** (*een regel per gegeven*): a column whose few distinct values are field
  names of the vocabulary (``Vaardigheidsscore``, ``Niveau``, ``Percentiel``, ``DLE``; its header
  often ``Soort``, ``Kenmerk`` or ``Gegeven``) next to a value column (``Waarde``,
  ``Resultaat`` …).  Without such a column, a value column may hold a score on one row and the
  level on the next: the content decides (a number is the score, I-V or A-E the level).  The rows
  of one pupil x test x moment (the recognised columns; a row whose recognised cells are all blank
  continues the result above it) are folded into one row with a column per field
  (:func:`fold_fields`).  Two different values for one field of one result are a conflict: the
  rows of that result are set aside with :data:`~plgdata.model.loadreport.REASON_CONFLICT`, never
  one of the values chosen (nor a level kept that may belong to the other score).  A row naming a
  field plgdata does not know is set aside with its own reason.  Every other row is folded into
  the row of its result and counted as loaded when
  that result is (the load report's ``rows_read == loaded + set aside`` holds).
- **score and level in one cell** (``212 (III)``): split into a score and a level column.
- **the test date in three columns** (``Dag``, ``Maand``, ``Jaar``): joined into one date column
  (``Jaar`` is then no school year).

:func:`spread_out` applies the one that fits to a raw table in place and returns a
:class:`Spread` (what the load report and the preview say), or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from plgdata.io.columns import HEADER_VARIANTS, VARIANT_INDEX
from plgdata.io.scores.cleaning import OK, Factor, clean, parse_level, parse_number, to_text
from plgdata.io.scores.layout import RESULT_FIELDS, Layout, canonical_header
from plgdata.io.scores.rawtable import RawTable
from plgdata.io.sniff import is_summary_label
from plgdata.model.loadreport import REASON_CONFLICT, REASON_UNKNOWN_FIELD
from plgdata.model.parsing import NON_RESULTS
from plgdata.model.vocabulary import normalise_header

#: headers of a column that says which field a row holds (the content decides; these only add confidence)
FIELD_KIND_HEADERS = frozenset(
    normalise_header(h) for h in ("Soort", "Kenmerk", "Gegeven", "Veld", "Type", "Soort score", "Scoresoort", "Scoretype")
)
#: headers of the column holding the value of that field
VALUE_HEADERS = frozenset(normalise_header(h) for h in ("Waarde", "Resultaat", "Uitslag", "Uitkomst", "Score", "Waarde/score"))
#: share of a score column's distinct values that must be a score with a level ("212 (III)") to split it
SPLIT_SHARE = 0.8
#: at most this many distinct field names in a field column
MAX_FIELDS = 12
#: fields a row of a long-by-field export may hold
_FOLD_FIELDS = (*RESULT_FIELDS, "func_level", "dle", "number_correct")


@dataclass
class Spread:
    """What was put back together: the load report's note, the preview's line and column roles."""

    text: str  # "Indeling" in the preview, and the load report's note
    roles: dict[str, str] = field(default_factory=dict)  # original column -> Dutch role
    by_header: set[str] = field(default_factory=set)  # columns whose header also said the role


def _factor(raw: RawTable, column: str) -> Factor:
    """The column's codes, made once per table (shared with the later steps of reading)."""
    from plgdata.io.scores.context import factor  # context calls this module: imported when used

    return factor(raw, column)


#: rows of a column looked at first (a column of field names shows it on its first rows)
_SAMPLE = 2000


def _few_field_names(raw: RawTable, column: str) -> bool:
    """A cheap first look: the column's first rows hold at most :data:`MAX_FIELDS` texts, field names among them."""
    head = {clean(v) for v in to_text(raw.table.column(column).slice(0, _SAMPLE), raw.encoding)} - {""}
    head = {v for v in head if not is_summary_label(v)}
    return 0 < len(head) <= MAX_FIELDS and any(canonical_header(v) for v in head)


def _distinct(f: Factor) -> list[str]:
    """The distinct filled texts of a column (summary labels left out)."""
    return [v for v in dict.fromkeys(clean(u) for u in f.uniques) if v and not is_summary_label(v)]


def _fit(field_name: str, values: list[str]) -> float | None:
    """Share of ``values`` that read as ``field_name`` (the one rule of :func:`plgdata.io.scores.context.fit_share`);
    None when none can be judged (only blanks, ``afw`` …, or a field without a rule such as a raw score)."""
    from plgdata.io.scores.context import FITS, fit_share  # context calls this module: imported when used

    return fit_share(field_name, values) if field_name in FITS else None


# ---------------------------------------------------------------------------
# one row per field
# ---------------------------------------------------------------------------


def _field_column(raw: RawTable, lay: Layout) -> tuple[str, dict[str, str], list[str]] | None:
    """An unrecognised column whose few distinct values are field names:
    ``(column, value -> column name, values that name no field)``.

    Rule: its values name at least one result field (score, level, percentile) and no other role
    (a ``Groep`` among them: not this layout); values that name nothing are allowed when at least
    two known fields are there and they are fewer than the known ones (their rows are set aside).
    """
    for h in lay.unknown:
        if not _few_field_names(raw, h):
            continue
        values = [v for v in _distinct(_factor(raw, h)) if normalise_header(v) != normalise_header(h)]
        if not values or len(values) > MAX_FIELDS:
            continue
        names = {v: n for v in values if (n := canonical_header(v)) is not None}
        unknown = [v for v in values if v not in names]
        kinds = {VARIANT_INDEX.get(normalise_header(n)) for n in names.values()}
        if not kinds & set(RESULT_FIELDS) or not kinds <= set(_FOLD_FIELDS):
            continue
        n_known = len(set(names.values()))
        if unknown and (n_known < 2 or len(unknown) >= len(names)):
            continue
        if n_known < 2 and normalise_header(h) not in FIELD_KIND_HEADERS:
            continue
        return h, names, unknown
    return None


def _value_candidates(raw: RawTable, lay: Layout, taken: str | None) -> list[str]:
    """Columns that may hold the values: by header (``Waarde``, ``Resultaat`` …), else the one right of ``taken``."""
    score = lay.fields.get("score")
    named = [h for h in [*lay.unknown, score] if h and h != taken and normalise_header(h) in VALUE_HEADERS]
    if named or taken is None:
        return named
    at = raw.headers.index(taken) + 1
    return [raw.headers[at]] if at < len(raw.headers) and raw.headers[at] in lay.unknown else []


#: the code of a row whose field column names no field plgdata knows
_UNKNOWN = -2


def _codes_by_column(raw: RawTable, column: str, names: dict[str, str], unknown: list[str]) -> tuple[np.ndarray, list[str]]:
    """Per row the index of its field's column name (-1: none; :data:`_UNKNOWN`: a field plgdata does not know), and those names."""
    f = _factor(raw, column)
    cols = list(dict.fromkeys(names.values()))
    code = {v: cols.index(n) for v, n in names.items()} | dict.fromkeys(unknown, _UNKNOWN)
    lut = np.array([code.get(clean(u), -1) for u in f.uniques] + [-1], dtype=np.int64)
    return lut[f.codes] if len(f.uniques) else np.full(raw.table.num_rows, -1, dtype=np.int64), cols


def _values_fit(raw: RawTable, value_col: str, codes: np.ndarray, cols: list[str]) -> bool:
    """Whether each field's values read as that field (levels on the Niveau rows …), and some do."""
    from plgdata.io.scores.context import FIT_SHARE

    f = _factor(raw, value_col)
    shares = []
    for i, name in enumerate(cols):
        used = np.flatnonzero(np.bincount(f.codes[codes == i], minlength=len(f.uniques)))
        shares.append(_fit(VARIANT_INDEX[normalise_header(name)], [clean(f.uniques[u]) for u in used]))
    judged = [x for x in shares if x is not None]
    return bool(judged) and all(x >= FIT_SHARE for x in judged)


def _codes_by_content(raw: RawTable, value_col: str) -> tuple[np.ndarray, list[str]] | None:
    """A value column holding a score on some rows and a level on others: the content names the field."""
    f = _factor(raw, value_col)
    kind = []
    for u in f.uniques:
        v = clean(u)
        if not v or v.lower() in NON_RESULTS or is_summary_label(v):
            kind.append(-1)
        elif parse_number(v)[1] == OK:
            kind.append(0)
        elif parse_level(v)[1] == OK:
            kind.append(1)
        else:
            return None  # a value that is neither: not this layout
    if not {0, 1} <= set(kind):
        return None
    lut = np.array(kind + [-1], dtype=np.int64)
    return lut[f.codes], [HEADER_VARIANTS["score"][0], HEADER_VARIANTS["level"][0]]


def _group_ids(raw: RawTable, key_cols: list[str], codes: np.ndarray) -> tuple[np.ndarray, int]:
    """One id per pupil x test x moment (the recognised columns), in the order of first appearance,
    and how many rows continued the row above.

    A row without a field (a summary or empty row) is its own group.  A row with a field whose
    recognised cells are all blank continues the result of the row above (an export that names
    the pupil and the test on the first row of a result only).
    """
    n = raw.table.num_rows
    factors = [_factor(raw, c) for c in key_cols]
    keys = [f.codes.astype(np.int64) for f in factors]
    keys.append(np.where(codes == -1, np.arange(n), -1))
    # hash-based grouping, numbered in the order of first appearance (sort=False)
    group = (
        pd.DataFrame(dict(enumerate(keys)))
        .groupby(list(range(len(keys))), sort=False)
        .ngroup()
        .to_numpy(dtype=np.int64, copy=True)
    )
    blank = np.ones(n, dtype=bool)
    for f in factors:
        blank &= np.array([not u or u.isspace() for u in f.uniques] + [True])[f.codes] if len(f.uniques) else True
    anchor = np.where((codes != -1) & ~blank, np.arange(n), -1)
    last = np.maximum.accumulate(anchor) if n else anchor
    follow = np.flatnonzero((codes != -1) & blank & (last >= 0))
    group[follow] = group[last[follow]]
    return group, len(follow)


@dataclass
class _Folded:
    table: pa.Table
    rep: np.ndarray  # the row each result keeps
    folded: np.ndarray  # rows folded into another row
    into: np.ndarray  # the new index of the row each folded row went into
    conflict: np.ndarray  # rows set aside: two different values for one field of one result
    conflict_fields: list[str]
    unknown: np.ndarray  # rows set aside: a field plgdata does not know


def _fold(raw: RawTable, group: np.ndarray, codes: np.ndarray, cols: list[str], value_col: str, drop: list[str]) -> _Folded:
    """Fold the rows of each group into one: a column per field, the first value given."""
    n = raw.table.num_rows
    f = _factor(raw, value_col)
    texts = [clean(u) for u in f.uniques]
    vid = pd.factorize(np.array(texts + [""], dtype=object))[0]
    empty = np.array([t.lower() in NON_RESULTS for t in texts] + [True])
    val = np.where(empty[f.codes], -1, vid[f.codes]) if n else np.zeros(0, dtype=np.int64)
    frame = pd.DataFrame({"g": group, "c": codes, "v": val, "row": np.arange(n)})
    given = frame[(frame.c >= 0) & (frame.v >= 0)]
    distinct = given.groupby(["g", "c"])["v"].nunique()
    bad = distinct[distinct > 1].index
    # a result with two different values for one field is set aside whole: which level goes with which score is unknown
    in_conflict = frame.g.isin(bad.get_level_values("g")).to_numpy() & (codes >= 0)
    conflict = np.flatnonzero(in_conflict)
    keep = frame[~in_conflict & (codes != _UNKNOWN)]
    rep = keep.groupby("g", sort=True)["row"].min().to_numpy()
    new_index = np.full(int(group.max()) + 1 if n else 0, -1, dtype=np.int64)
    new_index[group[rep]] = np.arange(len(rep))
    is_other = np.zeros(n, dtype=bool)
    is_other[keep.row.to_numpy()] = True
    is_other[rep] = False
    others = np.flatnonzero(is_other)
    table = raw.table.take(pa.array(rep, pa.int64())).drop_columns(drop)
    firsts = keep[(keep.c >= 0) & (keep.v >= 0)].groupby(["g", "c"])["row"].min()
    for i, name in enumerate(cols):
        cells = np.full(len(rep), "", dtype=object)
        sel = firsts[firsts.index.get_level_values("c") == i]
        at = new_index[sel.index.get_level_values("g").to_numpy()]
        cells[at] = np.array(texts, dtype=object)[f.codes[sel.to_numpy()]]
        table = table.append_column(name, pa.array(cells.tolist(), pa.string()))
    names = sorted({cols[c] for c in bad.get_level_values("c")}) if len(bad) else []
    return _Folded(table, rep, others, new_index[group[others]], conflict, names, np.flatnonzero(codes == _UNKNOWN))


def _unique_name(name: str, headers: list[str]) -> str:
    out, i = name, 1
    while out in headers:
        i += 1
        out = f"{name} ({i})"
    return out


def fold_fields(raw: RawTable, lay: Layout) -> Spread | None:
    """Fold a long-by-field table (one row per pupil x test x field) into one row per result; None when it is none."""
    if lay.wide or not lay.has_identity or raw.table.num_rows == 0 or len(raw.folded_rows):
        return None
    values = _value_candidates(raw, lay, None)
    if any(lay.fields.get(k) and lay.fields[k] not in values for k in RESULT_FIELDS):
        return None  # a result column of its own: not this layout
    found = _field_column(raw, lay)
    field_col, how = (found[0], "column") if found else (None, "content")
    for value_col in _value_candidates(raw, lay, field_col):
        if found:
            codes, cols = _codes_by_column(raw, field_col, found[1], found[2])
            if not _values_fit(raw, value_col, codes, cols):
                continue
        else:
            by_content = _codes_by_content(raw, value_col)
            if by_content is None:
                continue
            codes, cols = by_content
        drop = [c for c in (field_col, value_col) if c]
        key_cols = [c for c in dict.fromkeys(lay.fields.values()) if c not in drop]
        group, n_follow = _group_ids(raw, key_cols, codes)
        if len(pd.unique(group[codes >= 0])) == int((codes >= 0).sum()):
            return None  # every result on one row already: nothing spread
        unknown = found[2] if found else []
        spread = _apply(raw, _fold(raw, group, codes, cols, value_col, drop), field_col, value_col, cols, how, codes, unknown)
        if n_follow:
            spread.text += (
                f"; {n_follow} regel(s) zonder leerling en toets horen bij het resultaat op de regel erboven (alleen de "
                "eerste regel van een resultaat noemt de leerling)"
            )
        return spread
    return None


def fold_hint(raw: RawTable, lay: Layout) -> str | None:
    """Why a table that looks like one row per field was not folded (for the refusal), else None."""
    for h in lay.unknown:
        if not _few_field_names(raw, h):
            continue
        values = [v for v in _distinct(_factor(raw, h)) if normalise_header(v) != normalise_header(h)]
        known = [v for v in values if canonical_header(v)]
        others = [v for v in values if v not in known]
        shown = ", ".join(f"'{v[:30]}'" for v in known[:4])
        if others:
            why = (
                f"maar {', '.join(repr(v[:30]) for v in others[:3])} is geen gegeven dat plgdata kent; noem het "
                "Vaardigheidsscore, Niveau, Percentiel, DLE of Functioneringsniveau"
            )
        else:
            why = (
                "maar er is geen kolom met de waarden die erbij passen; noem die kolom 'Waarde' (een getal bij een "
                "score, I-V of A-E bij een niveau)"
            )
        return f'kolom "{h}" lijkt per regel één gegeven van een resultaat te noemen ({shown}), {why}'
    return None


def _apply(
    raw: RawTable, fo: _Folded, field_col: str | None, value_col: str, cols: list[str], how: str, codes, unknown: list[str]
) -> Spread:
    """Put the folded table in place of the raw one (row numbers, folded and set-aside rows) and say so."""
    n_in = int((codes >= 0).sum())
    n_out = int((codes[fo.rep] >= 0).sum()) if len(fo.rep) else 0
    rows = raw.rows
    names = [_unique_name(c, [h for h in raw.headers if h not in (field_col, value_col)]) for c in cols]
    fo.table = fo.table.rename_columns(fo.table.column_names[: len(fo.table.column_names) - len(cols)] + names)
    raw.__dict__.pop("_factors", None)
    raw.table = fo.table
    raw.headers = list(fo.table.column_names)
    raw.rows = rows[fo.rep]
    raw.folded_rows = rows[fo.folded]
    raw.folded_into = fo.into
    aside = ((REASON_CONFLICT, fo.conflict), (REASON_UNKNOWN_FIELD, fo.unknown))
    raw.folded_aside = {reason: [int(r) for r in rows[idx]] for reason, idx in aside if len(idx)}
    fields = ", ".join(cols)
    if how == "column":
        what = f'één regel per gegeven (kolom "{field_col}": {fields}; de waarde in kolom "{value_col}")'
        roles = {field_col: "soort gegeven (één regel per gegeven)", value_col: f"waarde van het gegeven ({fields.lower()})"}
    else:
        what = (
            f'kolom "{value_col}" bevat per regel één gegeven van een resultaat (herkend aan de inhoud: '
            "een getal is de vaardigheidsscore, I-V of A-E het niveau)"
        )
        roles = {value_col: "vaardigheidsscore of niveau (één regel per gegeven)"}
    text = f"{what}: {n_in} regels samengevoegd tot {n_out} resultaten, één per leerling, toets en moment"
    if len(fo.conflict):
        text += (
            f"; {len(fo.conflict)} regel(s) apart gezet: tegenstrijdige waarden voor hetzelfde resultaat "
            f"({', '.join(fo.conflict_fields).lower()})"
        )
    if len(fo.unknown):
        shown = ", ".join(f'"{v[:30]}"' for v in unknown[:5])
        text += f"; {len(fo.unknown)} regel(s) apart gezet: soort gegeven onbekend ({shown}), niet ingelezen"
    by_header = {c for c in (field_col, value_col) if c and normalise_header(c) in FIELD_KIND_HEADERS | VALUE_HEADERS}
    return Spread(text, roles, by_header)


# ---------------------------------------------------------------------------
# several cells: score and level in one cell, the date in three columns
# ---------------------------------------------------------------------------

_SCORE_LEVEL_RE = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*(?:\(\s*([^()]+?)\s*\)|\[\s*([^\[\]]+?)\s*\]|[/|]\s*(\S+)|\s(\S+))$")


def _score_and_level(text: str) -> tuple[str, str] | None:
    m = _SCORE_LEVEL_RE.match(clean(text))
    if not m:
        return None
    level = next(g for g in m.groups()[1:] if g)
    return (m.group(1), level) if parse_level(level)[1] == OK else None


def _split_targets(lay: Layout) -> list[tuple[str, str]]:
    """``(score column, name of its level column)`` for every score column without a level column."""
    if "score" in lay.fields and "level" not in lay.fields and not lay.wide:
        return [(lay.fields["score"], HEADER_VARIANTS["level"][0])]
    return [
        (g.columns["score"], f"{g.subject} {g.moment} niveau")
        for g in lay.wide
        if "score" in g.columns and "level" not in g.columns
    ]


def _split_column(raw: RawTable, col: str, level_name: str) -> str | None:
    """Split one column of ``212 (III)`` cells into the score and a new level column; an example, or None."""
    f = _factor(raw, col)
    values = [v for v in _distinct(f) if v.lower() not in NON_RESULTS]
    pairs = [_score_and_level(v) for v in values]
    if not values or sum(p is not None for p in pairs) < SPLIT_SHARE * len(values):
        return None
    parts = [_score_and_level(u) for u in f.uniques]
    scores = np.array([p[0] if p else u for p, u in zip(parts, f.uniques)] + [""], dtype=object)[f.codes]
    levels = np.array([p[1] if p else "" for p in parts] + [""], dtype=object)[f.codes]
    at = raw.headers.index(col)
    raw.__dict__.pop("_factors", None)
    raw.table = raw.table.set_column(at, col, pa.array(scores.tolist(), pa.string())).add_column(
        at + 1, _unique_name(level_name, raw.headers), pa.array(levels.tolist(), pa.string())
    )
    raw.headers = list(raw.table.column_names)
    return next(v for v, p in zip(values, pairs) if p)


def split_score_level(raw: RawTable, lay: Layout) -> Spread | None:
    """Score columns whose cells hold a score and a level (``212 (III)``) without a level column: split in two."""
    done = {col: ex for col, name in _split_targets(lay) if (ex := _split_column(raw, col, name)) is not None}
    if not done:
        return None
    cols = ", ".join(f'"{c}"' for c in done)
    what = "kolom" if len(done) == 1 else "kolommen"
    return Spread(
        f"{what} {cols} bevat score en niveau in één cel (zoals '{next(iter(done.values()))}'): "
        "gesplitst in een vaardigheidsscore en een niveau",
        dict.fromkeys(done, "vaardigheidsscore en niveau in één cel"),
        set(done),
    )


_DATE_PARTS = {
    "day": ("dag", "afnamedag", "dag afname"),
    "month": ("maand", "afnamemaand", "maand afname"),
    "year": ("jaar", "afnamejaar", "jaar afname"),
}


def join_date_parts(raw: RawTable, lay: Layout) -> Spread | None:
    """``Dag``, ``Maand`` and ``Jaar`` columns (and no date column): one test date."""
    if "date" in lay.fields:
        return None
    found = {}
    for part, words in _DATE_PARTS.items():
        found[part] = next((h for h in raw.headers if normalise_header(h) in words), None)
    if None in found.values():
        return None
    cols = [Factor(raw.table.column(found[p]), raw.encoding) for p in ("day", "month", "year")]
    day, month, year = (np.array([clean(u) for u in c.uniques] + [""], dtype=object)[c.codes] for c in cols)
    if not all(d.isdigit() for d in set(day) - {""}) or not all(y.isdigit() for y in set(year) - {""}):
        return None
    joined = [
        "" if not (d and m and y) else (f"{d}-{m}-{y}" if m.isdigit() else f"{d} {m} {y}")
        for d, m, y in zip(day.tolist(), month.tolist(), year.tolist())
    ]
    name = _unique_name(HEADER_VARIANTS["date"][0], raw.headers)
    at = min(raw.headers.index(c) for c in found.values())
    raw.__dict__.pop("_factors", None)
    raw.table = raw.table.drop_columns(list(found.values())).add_column(at, name, pa.array(joined, pa.string()))
    raw.headers = list(raw.table.column_names)
    shown = ", ".join(f'"{c}"' for c in found.values())
    return Spread(
        f"de afnamedatum staat in drie kolommen ({shown}): samengevoegd tot één datum"
        + (f' (kolom "{found["year"]}" is dus geen schooljaar)' if found["year"] == lay.fields.get("school_year") else ""),
        {found["day"]: "afnamedatum (dag)", found["month"]: "afnamedatum (maand)", found["year"]: "afnamedatum (jaar)"},
        set(found.values()),
    )


def spread_out(raw: RawTable, lay: Layout, relayout: Callable[[], Layout]) -> list[Spread]:
    """Put a result spread over several cells or rows back together (in place); what was done.

    ``relayout`` recognises the changed table again (with the mapping file, if any).
    """
    done = []
    for step in (join_date_parts, split_score_level, fold_fields):
        s = step(raw, lay)
        if s is not None:
            done.append(s)
            lay = relayout()
    return done
