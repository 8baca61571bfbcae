"""Turning one recognised table (CSV file or workbook sheet) into canonical arrays.

:func:`process_table` runs the steps in order - recognise the table and its dialect
(:mod:`.context`), who each row is (:mod:`.rows`), the test fields (:mod:`.fields`), the
results (:mod:`.results`) - and assembles a :class:`Parsed`: per table row the pupil code (or
what is needed to resolve it by name), per result record the canonical fields and a reason
code when the record is set aside.  Everything is vectorised: each distinct cell text is
parsed once (:class:`~plgdata.io.scores.cleaning.Factor`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plgdata.io.scores import threads
from plgdata.io.scores.cleaning import BAD, Coded, parse_percent, period_from_month
from plgdata.io.scores.context import KIND_MAPPED, KIND_PUPILS, TableContext, forget_factors, open_table
from plgdata.io.scores.fields import RowFields, row_fields, unknown_subject_note
from plgdata.io.scores.identity import PupilRegistry
from plgdata.io.scores.mapping import Mapping
from plgdata.io.scores.rawtable import RawTable
from plgdata.io.scores.results import REASONS, R, ResultCounts, ResultPart, result_groups, result_part
from plgdata.io.scores.rows import RowFlags, RowIdentity, background, flag_rows, identify_rows
from plgdata.model import loadreport as lr
from plgdata.model.vocabulary import MONTH_NAMES, PERIOD_CODE, PERIODS, normalise_header

__all__ = ["KIND_MAPPED", "KIND_PUPILS", "REASONS", "Parsed", "R", "process_table"]


@dataclass
class Parsed:
    """One table after cleaning, before duplicates are removed across files."""

    raw: RawTable
    kind: str
    n_rows: int
    row_numbers: np.ndarray
    row_pid: np.ndarray  # int64 pupil code per row, -1 = none/unresolved
    unresolved: np.ndarray  # row indices with a name but no number
    unresolved_keys: list[tuple[str, str]]  # (namekey, birth iso) per unresolved row
    row_reason: np.ndarray  # int8 row-level reason (empty/summary/header/no pupil/groep/date), 0 = none
    # result records
    rec_row: np.ndarray  # int64 index into the table rows
    rec_reason: np.ndarray  # int8
    rec: dict[str, object]  # canonical score columns (no pupil_id/source)
    # background per row
    background: dict[str, object]
    notes: list[str] = field(default_factory=list)
    numbered_names: Callable | None = None  # callable(births_needed) -> list of (namekey, birth, code)


def _moment_cats(period: np.ndarray, level: np.ndarray) -> tuple[pd.Categorical, pd.Categorical]:
    """period codes (0 none, 1 B, 2 M, 3 E) and levels (0 none) -> moment and period categoricals."""
    cats = [p + str(g) for p in PERIODS for g in range(1, 9)]
    if len(period) and period.min() >= 0 and period.max() <= 3:
        # one small look-up over (period 0-3, level clipped to 0-9: 1-8 is a test level, 0 and 9 none)
        pair = period * 10 + np.clip(level, 0, 9)
        p_lut = np.repeat(np.array([-1, 0, 1, 2], dtype=np.int8), 10)
        m_lut = np.array([(p - 1) * 8 + (g - 1) if p and 1 <= g <= 8 else -1 for p in range(4) for g in range(10)])
        # only the moments that occur, in canonical order
        used = sorted({int(m_lut[i]) for i in np.flatnonzero(np.bincount(pair, minlength=40))} - {-1})
        # code of each moment among those used; the extra last entry (-1) is where m_lut's -1 lands
        final = np.full(len(cats) + 1, -1, dtype=np.int8)  # pandas' own code dtype for up to 127 categories
        final[np.array(used, dtype=np.int64)] = np.arange(len(used))
        period_cat = pd.Categorical.from_codes(p_lut[pair], categories=list(PERIODS), validate=False)
        moment_cat = pd.Categorical.from_codes(final[m_lut][pair], categories=[cats[i] for i in used], validate=False)
        return moment_cat, period_cat
    pc_ = np.where(period > 0, period - 1, -1)
    period_cat = pd.Categorical.from_codes(pc_.astype(np.int64), categories=list(PERIODS))
    ok = (period > 0) & (level >= 1) & (level <= 8)
    mcode = np.where(ok, (period - 1) * 8 + (level - 1), -1).astype(np.int64)
    used = np.flatnonzero(np.bincount(mcode + 1, minlength=len(cats) + 1)[1:])
    lut = np.full(len(cats) + 1, -1, dtype=np.int64)
    lut[used + 1] = np.arange(len(used))
    moment_cat = pd.Categorical.from_codes(lut[mcode + 1], categories=[cats[i] for i in used])
    return moment_cat, period_cat


def _row_reasons(ident: RowIdentity, flags: RowFlags, rf: RowFields | None) -> np.ndarray:
    """Reason per table row (higher precedence last)."""
    row_reason = np.zeros(len(ident.row_pid), dtype=np.int8)
    if rf is not None:
        row_reason[rf.groep_bad] = R[lr.REASON_BAD_GROEP]
        row_reason[rf.date_bad] = R[lr.REASON_BAD_DATE]
    row_reason[ident.no_pupil] = R[lr.REASON_NO_PUPIL]
    row_reason[flags.repeated_header] = R[lr.REASON_REPEATED_HEADER]
    row_reason[flags.summary] = R[lr.REASON_SUMMARY]
    row_reason[flags.empty] = R[lr.REASON_EMPTY]
    return row_reason


def _parsed(ctx: TableContext, ident: RowIdentity, row_reason: np.ndarray, bg: dict, **records) -> Parsed:
    forget_factors(ctx.raw)
    raw = ctx.raw
    rec = records or {"rec_row": np.zeros(0, dtype=np.int64), "rec_reason": np.zeros(0, dtype=np.int8), "rec": {}}
    return Parsed(
        raw=raw,
        kind=ctx.kind,
        n_rows=ctx.n,
        row_numbers=raw.rows,
        row_pid=ident.row_pid,
        unresolved=ident.unresolved,
        unresolved_keys=ident.unresolved_keys,
        row_reason=row_reason,
        background=bg,
        notes=ctx.notes,
        numbered_names=ident.numbered_names,
        **rec,
    )


def windows_text(month_periods: tuple[str | None, ...]) -> str:
    """``'M dec-mrt, E apr-jul, B aug-nov'``: a month -> period rule in words."""
    parts = []
    for p in ("M", "E", "B"):
        months = [m for m in range(1, 13) if month_periods[m] == p]
        if months:
            start = next((m for m in months if month_periods[(m - 2) % 12 + 1] != p), months[0])
            end = next((m for m in months if month_periods[m % 12 + 1] != p), months[-1])
            parts.append(f"{p} {MONTH_NAMES[start]}-{MONTH_NAMES[end]}")
    return ", ".join(parts)


def _period_from_dates(
    ctx: TableContext, period: np.ndarray, date_codes_r: np.ndarray, month_u: np.ndarray, row_ok: np.ndarray
) -> np.ndarray:
    """The dialect's moment rule: where no moment was given, the period follows from the test date."""
    need = period == 0
    at = np.flatnonzero(need)
    if not len(at):
        return period
    d = ctx.dialect
    windows = ctx.month_periods or d.month_periods
    p_from_date = period_from_month(month_u.astype(np.float64), windows)
    pcode_u = np.array([PERIOD_CODE.get(x, 0) if x else 0 for x in p_from_date], dtype=np.int64)
    if len(at) == len(period):
        period = pcode_u[date_codes_r]
    else:
        period = period.copy()
        period[at] = pcode_u[date_codes_r[at]]
    if d.continuous:
        ctx.notes.append(f"{d.label}: moment afgeleid uit de afnamedatum ({windows_text(windows)}), toetsniveau = groep")
    elif "moment" not in ctx.F and "moment" not in ctx.fixed and (need & row_ok & (period > 0)).any() and not ctx.lay.wide:
        ctx.notes.append(f"geen toetsmoment in het bestand: afgeleid uit de afnamedatum ({windows_text(windows)}) en de groep")
    left = need & row_ok & (period == 0)
    if left.any():
        n_out = int((left & (month_u[date_codes_r] > 0)).sum())
        why = [f"bij {n_out} valt de afnamedatum in geen toetsvenster ({windows_text(windows)})"] if n_out else []
        if int(left.sum()) > n_out:
            why.append(f"bij {int(left.sum()) - n_out} staat geen toetsmoment en geen afnamedatum")
        ctx.notes.append(
            f"{int(left.sum())} resultaat/resultaten zonder toetsmoment ingelezen: {'; '.join(why)}; "
            "geef het moment in een kolom Toetsmoment of in het koppelbestand"
        )
    return period


#: months after the summer in which an "eind" measurement still belongs to the school year before
_LATE_EIND_MONTHS = (8, 9, 10)


def _school_years(
    ctx: TableContext, rf: RowFields, rec_row: np.ndarray, date_codes_r: np.ndarray, month_u: np.ndarray, period: np.ndarray
) -> tuple[pd.Categorical, np.ndarray]:
    """School year per record: column, else from the date, else from the title or file name.

    A result stated as *eind* (E5) but taken in August-October belongs to the school year
    that ended before the summer (groep 5's year), not to the new one; those records are
    returned as a mask.
    """
    sy_r = rf.sy_col.take(rec_row) if len(rec_row) != ctx.n else rf.sy_col
    miss = sy_r.isna()
    late = np.zeros(len(rec_row), dtype=bool)
    if miss.any():
        yrs_u = rf.date_u.astype("datetime64[Y]").astype(np.int64) + 1970
        start_u = np.where(month_u < 8, yrs_u - 1, yrs_u)  # the first year of each distinct date's school year
        dated_u = ~np.isnat(rf.date_u)
        late = miss & (period == PERIOD_CODE["E"]) & np.isin(month_u, _LATE_EIND_MONTHS)[date_codes_r]
        key = date_codes_r
        if late.any():
            ctx.notes.append(
                f"{int(late.sum())} eindmeting(en) na de zomer afgenomen (aug-okt): bij het schooljaar daarvoor gerekend"
            )
            # per (distinct date, late): a late one belongs to the school year before
            key = date_codes_r * 2 + late
            start_u, dated_u = (start_u[:, None] - np.array([0, 1])).ravel(), np.repeat(dated_u, 2)
        used = np.bincount(key if miss.all() else key[miss], minlength=len(start_u)) > 0
        if (used & dated_u).any():
            lo, hi = int(start_u[used & dated_u].min()), int(start_u[used & dated_u].max())
            cats = [f"{y}-{y + 1}" for y in range(lo, hi + 1)]
            code_u = np.where(dated_u, np.clip(start_u - lo, 0, hi - lo), -1).astype(np.int64)
            sy_r = sy_r.fill(Coded(code_u[key], cats))  # fills only the records without a school year
        if rf.sy_text:
            sy_r = sy_r.fill_value(rf.sy_text)
    return sy_r.categorical(), late


_COMBINATION_RE = re.compile(r"^\s*(?:groep\s*)?([1-8])\s*/\s*([1-8])\b", re.IGNORECASE)


def _combination_groep(
    ctx: TableContext, groep: np.ndarray, class_codes: np.ndarray, class_names, level_num: np.ndarray
) -> np.ndarray:
    """In a combination class ("5/6", "Groep 5/6") without a groep, the groep is the test level when it is one of the two."""
    missing = np.isnan(groep)
    if not missing.any() or not len(class_names):
        return groep
    pairs = [_COMBINATION_RE.match(str(c)) for c in class_names]
    if not any(pairs):
        return groep
    lo = np.array([int(m.group(1)) if m else 0 for m in pairs] + [0], dtype=np.int64)[class_codes]
    hi = np.array([int(m.group(2)) if m else 0 for m in pairs] + [0], dtype=np.int64)[class_codes]
    fits = missing & (lo > 0) & ((level_num == lo) | (level_num == hi))
    if fits.any():
        groep = np.where(fits, level_num, groep).astype(np.float64)
        ctx.notes.append(
            f"combinatieklas: groep van {int(fits.sum())} resultaat/resultaten afgeleid uit het toetsniveau "
            "(bijvoorbeeld M5 in klas 5/6 is groep 5)"
        )
    unknown = missing & (lo > 0) & ~fits
    if unknown.any():
        ctx.notes.append(f"combinatieklas: bij {int(unknown.sum())} resultaat/resultaten is de groep onbekend gebleven")
    return groep


def _scales(rf: RowFields, parts: list[ResultPart], rec_row: np.ndarray) -> pd.Categorical:
    """Scale per record: the one a wide header states, else the row's."""
    if all(p.scale is None for p in parts):
        return (rf.scale if len(parts) == 1 else rf.scale.take(rec_row)).categorical()
    return Coded.concat([rf.scale if p.scale is None else p.scale for p in parts]).categorical()


def _note_assumed_scale(ctx: TableContext, rf: RowFields, parts: list[ResultPart], take, reason: np.ndarray) -> None:
    if rf.scale_assumed and rf.scale_missing.any():
        own = np.concatenate([np.full(ctx.n, p.scale is not None) for p in parts])
        n_assumed = int((take(rf.scale_missing) & ~own & (reason == 0)).sum())
        if n_assumed:
            ctx.notes.append(
                f"{lr.NOTE_SCALE_ASSUMED}: schaal {rf.default_scale} aangenomen voor {n_assumed} resultaten; "
                "controleer de schaal bij de datakwaliteit (stap 4)"
            )


_PERCENT_HEADERS = {normalise_header(h) for h in ("Percentage goed", "% goed")}


def _percent_correct(
    ctx: TableContext, scale: pd.Categorical, groep_level: Callable[[], np.ndarray], pct_sign: np.ndarray, loaded: np.ndarray
) -> pd.Categorical:
    """Percentages correct get their own scale, never mixed with scores.

    A "Percentage goed" column holds them on every row, a score written with a % sign ("78%") is
    one; a dialect may name groepen whose results are percentages (IEP groep 3-5) unless the export
    calls the column an ontwikkelscore (``groep_level`` gives each record's test level, else its
    groep: made only for such a dialect).  The note counts the loaded results only.
    """
    d = ctx.dialect
    own = f"{d.scale or d.name} % goed"
    header = normalise_header(ctx.F.get("score", ""))
    hit, why = pct_sign.copy(), "met een %-teken"
    if header in _PERCENT_HEADERS:
        hit[:], why = True, f'kolom "{ctx.F["score"]}"'
    elif d.percent_correct_groups and d.scale in scale.categories and header != "ontwikkelscore":
        is_default = np.asarray(scale.codes) == scale.categories.get_loc(d.scale)
        hit |= np.isin(groep_level(), d.percent_correct_groups) & is_default
        why = f"groep {min(d.percent_correct_groups)}-{max(d.percent_correct_groups)}" + (
            " of met een %-teken" if pct_sign.any() else ""
        )
    if not hit.any():
        return scale
    out = pd.Categorical(np.where(hit, own, np.asarray(scale, dtype=object)), categories=[*scale.categories, own])
    if (hit & loaded).any():
        ctx.notes.append(
            f"{int((hit & loaded).sum())} resultaat/resultaten ({why}) zijn percentages goed, geen scores: op een eigen "
            f"schaal ({own}) gezet, nooit gemengd met scores"
        )
    return out.remove_unused_categories()


def _take_cat(cat: pd.Categorical, rec_row: np.ndarray, G: int) -> pd.Categorical:
    return cat if G == 1 else pd.Categorical.from_codes(np.asarray(cat.codes)[rec_row], categories=cat.categories)


def _group_dates(rf: RowFields, parts: list[ResultPart], take) -> tuple[RowFields, np.ndarray]:
    """Per record the code of its test date: a column group's own date ("RW M5 datum") where it has
    one, else the row's.  Returns the row fields with the distinct dates of both, and the codes."""
    if all(p.own_dates is None for p in parts):
        return rf, take(rf.date_codes)
    date_u, codes = [rf.date_u], []
    for p in parts:
        if p.own_dates is None:
            codes.append(rf.date_codes)
            continue
        offset = sum(len(d) for d in date_u)
        own_u, own_codes = p.own_dates
        date_u.append(own_u)
        codes.append(np.where(own_codes >= 0, own_codes + offset, rf.date_codes))
    return dataclasses.replace(rf, date_u=np.concatenate(date_u)), np.concatenate(codes)


def _records(ctx: TableContext, rf: RowFields, parts: list[ResultPart], row_reason: np.ndarray, school_cat) -> dict:
    """Concatenate the column groups into records: moment, school year, reason and every field."""
    G = len(parts)
    rec_row = np.tile(np.arange(ctx.n, dtype=np.int64), G) if G > 1 else np.arange(ctx.n, dtype=np.int64)

    def concat(key: str):
        vals = [p.values[key] for p in parts]
        if G == 1:
            return vals[0]
        return pd.api.types.union_categoricals(vals) if isinstance(vals[0], pd.Categorical) else np.concatenate(vals)

    reason = np.concatenate([p.reason for p in parts]) if G > 1 else parts[0].reason
    period = np.concatenate([p.period for p in parts]) if G > 1 else parts[0].period
    level_num = np.concatenate([p.level_num for p in parts]) if G > 1 else parts[0].level_num
    take = (lambda a: a[rec_row]) if G > 1 else (lambda a: a)
    rf, date_codes_r = _group_dates(rf, parts, take)
    groep_r = take(rf.groep)
    month_u = np.where(np.isnat(rf.date_u), 0, rf.date_u.astype("datetime64[M]").astype(np.int64) % 12 + 1)
    period = _period_from_dates(ctx, period, date_codes_r, month_u, (take(row_reason) == 0) & (reason == 0))
    lvl_missing = (level_num == 0) & (period > 0)
    if lvl_missing.any():
        level_num = np.where(lvl_missing, np.nan_to_num(groep_r, nan=0).astype(np.int64), level_num)
    moment_cat, period_cat = _moment_cats(period, level_num)
    groep_r = _combination_groep(ctx, groep_r, take(np.asarray(rf.class_cat.codes)), list(rf.class_cat.categories), level_num)
    school_year, late = _school_years(ctx, rf, rec_row, date_codes_r, month_u, period)
    # a late eind measurement: the pupil's groep of that school year (one lower than after the summer)
    if late.any():
        groep_r = np.where(late & (groep_r == level_num + 1), level_num, groep_r).astype(np.float64)
    rr = take(row_reason)
    reason = np.where(rr > 0, rr, reason).astype(np.int8)
    _note_assumed_scale(ctx, rf, parts, take, reason)
    scale = _percent_correct(
        ctx,
        _scales(rf, parts, rec_row),
        lambda: np.where(level_num > 0, level_num, np.nan_to_num(groep_r)),
        np.concatenate([p.percent_sign for p in parts]) if G > 1 else parts[0].percent_sign,
        reason == 0,
    )
    rec = {
        "school": _take_cat(school_cat, rec_row, G),
        "school_year": school_year,
        "groep": groep_r,
        "class_name": _take_cat(rf.class_cat, rec_row, G),
        "subject": Coded.concat([p.subject for p in parts]).categorical(),
        "test_name": _take_cat(rf.test_cat, rec_row, G),
        "scale": scale,
        "moment": moment_cat,
        "period": period_cat,
        "test_level": np.where((level_num >= 1) & (level_num <= 8), level_num, np.nan).astype(np.float64),
        "date": rf.date_u[date_codes_r],
        **{k: concat(k) for k in ("score", "level", "percentile", "func_level", "dle")},
    }
    return {"rec_row": rec_row, "rec_reason": reason, "rec": rec}


def _note_unknown_subjects(
    ctx: TableContext, rf: RowFields, parts: list[ResultPart], flags: RowFlags, ident: RowIdentity
) -> None:
    """Name the test names without a subject (rows that are no data are left out)."""
    no_data = flags.summary | flags.repeated_header | flags.empty | ident.no_pupil
    missing = np.zeros(ctx.n, dtype=bool)
    for p in parts:
        missing |= p.subject.isna()
    missing &= ~no_data
    if missing.any():
        note = unknown_subject_note(ctx, rf, missing)
        if note:
            ctx.notes.append(note)


def _bad_percent_cells(ctx: TableContext) -> Callable[[str], int]:
    def count(column: str) -> int:
        _, st = ctx.factor(column).map_pair(lambda u: parse_percent(u)[:2], dtype=object)
        return int((st == BAD).sum())

    return count


def _who(ctx: TableContext, registry: PupilRegistry) -> tuple[RowIdentity, RowFlags, dict]:
    """Who each row is: pseudonym codes, rows that are no pupil, and the pupils' background."""
    ident = identify_rows(ctx, registry)
    flags = flag_rows(ctx, ident)
    return ident, flags, background(ctx, ident)


@contextmanager
def _beside(ctx: TableContext, registry: PupilRegistry):
    """Work out who each row is beside the block (in a second thread for a large table, see
    :mod:`.threads`); yields the function giving the result after the block.

    The result is the same as working it out first: it gets its own list of notes, put before the
    notes the block made, and it is the only one to touch ``registry``; the block reads other
    columns (a column's codes are made once per table, whichever side asks first).
    """
    if not threads.large(ctx.n):
        done = _who(ctx, registry)
        yield lambda: done
        return
    start = len(ctx.notes)
    own = dataclasses.replace(ctx, notes=[])
    result = threads.beside(_who, own, registry)
    try:
        yield result
    except BaseException:
        threads.settle(result)  # the thread ends before the block's error goes on
        raise
    result()  # its notes are complete (an error of its own is raised here)
    ctx.notes[start:start] = own.notes


def process_table(
    raw: RawTable,
    registry: PupilRegistry,
    *,
    mapping: Mapping | None = None,
    school: str | None = None,
    ctx: TableContext | None = None,
) -> Parsed:
    """Clean one table into canonical arrays (raises :class:`ReadError` when not recognised).

    ``ctx`` is the table already opened (:func:`open_table`); ``school`` is the school of a
    table that names none.
    """
    ctx = ctx if ctx is not None else open_table(raw, mapping=mapping, school=school)
    if ctx.dialect is None:  # a pupil list: background only
        ident, flags, bg = _who(ctx, registry)
        return _parsed(ctx, ident, _row_reasons(ident, flags, None), bg)
    with _beside(ctx, registry) as who:
        rf = row_fields(ctx)
        groups = result_groups(ctx)
        ctx.notes.extend(ctx.dialect.notes(ctx.info, ctx.lay.unknown, _bad_percent_cells(ctx)))
        counts = ResultCounts()
        parts = [result_part(ctx, g, rf, counts) for g in groups]
        ctx.notes.extend(counts.notes())
    ident, flags, bg = who()
    _note_unknown_subjects(ctx, rf, parts, flags, ident)
    row_reason = _row_reasons(ident, flags, rf)
    return _parsed(ctx, ident, row_reason, bg, **_records(ctx, rf, parts, row_reason, bg["school"]))
