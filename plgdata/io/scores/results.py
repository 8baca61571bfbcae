"""Step 4 of reading a table: the results of each row (score, level, percentile,
functioneringsniveau, DLE), one record per row and column group, with a reason code
when a record is set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plgdata.io.scores.cleaning import BAD, EMPTY, OK, Coded, clean, parse_dle, parse_func_level, parse_level, parse_percent
from plgdata.io.scores.context import TableContext, empty_codes
from plgdata.io.scores.fields import RowFields
from plgdata.io.scores.layout import WideGroup
from plgdata.model import loadreport as lr
from plgdata.model.vocabulary import AVI_SCALE, LEVEL_NOTATIONS, PERIOD_CODE

#: reason codes (0 = loaded); order within a row: lower code wins when a row has several records
REASONS: tuple[str | None, ...] = (
    None,
    lr.REASON_DUPLICATE,
    lr.REASON_BAD_SCORE,
    lr.REASON_BAD_LEVEL,
    lr.REASON_BAD_PERCENTILE,
    lr.REASON_NO_SUBJECT,
    lr.REASON_NO_RESULT,
    lr.REASON_BAD_DATE,
    lr.REASON_BAD_GROEP,
    lr.REASON_NO_PUPIL,
    lr.REASON_REPEATED_HEADER,
    lr.REASON_SUMMARY,
    lr.REASON_EMPTY,
)
R = {r: i for i, r in enumerate(REASONS)}

_RESULT_KEYS = ("score", "level", "percentile", "func_level", "dle")


@dataclass
class ResultCounts:
    """What the load report says about result cells that were changed or left empty."""

    pct_scaled: bool = False
    func_bad: int = 0
    dle_bad: int = 0
    dle_clip: int = 0
    date_bad: int = 0
    bad_levels: set[str] = field(default_factory=set)

    def notes(self) -> list[str]:
        out = []
        if self.bad_levels:
            # only texts that look like a notation are shown (a shifted column could hold a name)
            shown = sorted(v for v in self.bad_levels if len(v) <= 10 and (v.isupper() or any(c.isdigit() for c in v)))
            rest = len(self.bad_levels) - len(shown[:5])
            what = ", ".join(f"'{v}'" for v in shown[:5]) + (f" en {rest} andere waarde(n)" if rest > 0 and shown else "")
            out.append(
                f"niveau niet te lezen: {what or f'{rest} waarde(n)'} is geen notatie die plgdata kent "
                f"(wel: {LEVEL_NOTATIONS}); geef de betekenis in een koppelbestand onder 'waarden: niveau:'"
            )
        if self.pct_scaled:
            out.append("percentielen als fractie (0,61) omgerekend naar 61")
        if self.func_bad:
            out.append(f"{self.func_bad} functioneringsniveau(s) niet te lezen: leeg gelaten")
        if self.dle_bad:
            out.append(f"{self.dle_bad} DLE-waarde(n) niet te lezen: leeg gelaten")
        if self.date_bad:
            out.append(
                f"{self.date_bad} resultaat/resultaten niet ingelezen: de afnamedatum in de kolom van die toets is geen datum"
            )
        if self.dle_clip:
            out.append(f"{self.dle_clip} DLE-waarde(n) boven 60 (zoals '>60') als 60 gelezen")
        return out


@dataclass
class ResultPart:
    """The records of one column group (one per table row)."""

    values: dict[str, object] = field(default_factory=dict)
    subject: Coded | None = None
    period: np.ndarray | None = None
    level_num: np.ndarray | None = None
    reason: np.ndarray | None = None
    scale: Coded | None = None  # the scale a wide header states; None = the row's scale
    percent_sign: np.ndarray | None = None  # the score was written with a % sign ("78%"): a percentage correct
    #: the group's own test dates ("RW M5 datum"): distinct dates and a code per row (-1 = the row's date)
    own_dates: tuple[np.ndarray, np.ndarray] | None = None


def result_groups(ctx: TableContext) -> list[WideGroup]:
    """The column groups that hold results: one per subject x moment (wide) or the one long group."""
    F, lay = ctx.F, ctx.lay
    if lay.wide and not any(k in F for k in ("score", "level", "percentile")):
        ctx.notes.append(f"brede indeling: {len(lay.wide)} kolomgroepen (vak x moment) omgezet naar een regel per toets")
        return lay.wide
    g = WideGroup(subject="", moment="")
    for k in _RESULT_KEYS:
        if k in F:
            g.columns[k] = F[k]
    groups = [g] if g.columns else []
    if lay.ref_level is not None:
        ctx.notes.append(
            f'referentieniveau (kolom "{lay.ref_level}") als eigen resultaat opgenomen naast het niveau ("{F["level"]}")'
        )
        groups.append(WideGroup(subject="", moment="", columns={"level": lay.ref_level}))
    if lay.cards:
        ctx.notes.append(
            f"DMT: {len(lay.cards)} kaarten als eigen resultaten gelezen (ruwe aantallen woorden; elke kaart een eigen schaal)"
        )
        groups.extend(lay.cards)
    if lay.avi is not None:
        ctx.notes.append(
            f'AVI-niveaus (kolom "{lay.avi.columns["level"]}") als eigen resultaat gelezen (technisch lezen, schaal {AVI_SCALE})'
        )
        groups.append(lay.avi)
    return groups


def _percentiles(ctx: TableContext, column: str, counts: ResultCounts) -> tuple[np.ndarray, Status]:
    """Percentiles 0-100 and their :data:`Status`; a column of fractions (0,61) is scaled to 61."""
    pf = ctx.factor(column)
    parsed = [parse_percent(u) for u in pf.uniques]
    vals = np.array([p[0] if p[0] is not None else np.nan for p in parsed] or [np.nan], dtype=np.float64)
    sts = np.array([p[1] for p in parsed] or [EMPTY], dtype=np.int8)
    ok_vals = vals[(sts == OK) & ~np.array([p[2] for p in parsed] or [False])]
    if len(ok_vals) and np.nanmax(ok_vals) <= 1 and (ok_vals % 1 != 0).any():
        vals = np.where(np.array([not p[2] for p in parsed] or [False]), vals * 100, vals)
        counts.pct_scaled = True
    sts = np.where((sts == OK) & ((vals < 0) | (vals > 100)), BAD, sts).astype(np.int8)
    if not ctx.n:
        return np.full(0, np.nan), (sts, pf.codes)
    return vals[pf.codes], (sts, pf.codes)


_DOT_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+%?$")  # "1.050": 1050, or 1,05 with a decimal point?
_COMMA_DECIMAL = re.compile(r"^\d+,\d+%?$")
_DOT_DECIMAL = re.compile(r"^\d+\.(\d{1,2}|\d{4,})%?$")


def _decimal_mark(ctx: TableContext, column: str, uniques: list[str]) -> dict[str, float]:
    """The reading of scores such as "1.050" by a stated rule per column, said in the load report.

    A column that writes decimals with a comma ("231,5") uses the dot for thousands: "1.050" is 1050.
    Otherwise the dot is the decimal mark ("1.050" is 1,05), and the note names the value so a
    teacher can check it.  Returns the values read as thousands.
    """
    texts = {u: clean(u).replace(" ", "") for u in uniques}
    grouped = {u: t for u, t in texts.items() if _DOT_GROUPS.match(t)}
    if not grouped:
        return {}
    shown = ", ".join(f"'{t}'" for t in list(grouped.values())[:3])
    if any(_COMMA_DECIMAL.match(t) for t in texts.values()) and not any(_DOT_DECIMAL.match(t) for t in texts.values()):
        ctx.notes.append(
            f'score {shown} in kolom "{column}" gelezen met een punt als duizendtal (de kolom schrijft decimalen met een komma)'
        )
        return {u: float(t.rstrip("%").replace(".", "")) for u, t in grouped.items()}
    ctx.notes.append(
        f'score {shown} in kolom "{column}" gelezen met een punt als decimaalteken (dus 1.050 = 1,05); bedoelde het '
        "bestand duizendtallen, maak de export dan opnieuw zonder scheidingsteken voor duizendtallen"
    )
    return {}


def _scores(ctx: TableContext, column: str) -> tuple[np.ndarray, Status, np.ndarray]:
    """Scores, their :data:`Status` and whether each was written with a % sign ("78%" is a percentage correct)."""
    f = ctx.factor(column)
    thousands = _decimal_mark(ctx, column, f.uniques)
    parsed = [(thousands[u], OK, clean(u).endswith("%")) if u in thousands else parse_percent(u) for u in f.uniques]
    vals = np.array([np.nan if p[0] is None else p[0] for p in parsed] or [np.nan], dtype=np.float64)
    sts = np.array([p[1] for p in parsed] or [EMPTY], dtype=np.int8)
    pct = np.array([p[2] and p[1] == OK for p in parsed] or [False], dtype=bool)
    if not f.uniques:
        return np.full(0, np.nan), (sts, f.codes), np.zeros(0, dtype=bool)
    return vals[f.codes], (sts, f.codes), pct[f.codes]


def _dle(ctx: TableContext, column: str, counts: ResultCounts) -> np.ndarray:
    """DLE in months: above 60 read as 60, below 0 left empty (decided per distinct value)."""
    f = ctx.factor(column)
    dl, dst = f.lut_pair(parse_dle, dtype=np.float64)
    counts.dle_bad += f.count_where(dst == BAD)
    over = dl > 60
    counts.dle_clip += f.count_where(over)
    return np.where(over, 60.0, np.where(dl < 0, np.nan, dl))[f.codes]


def _avi_digit(text: str) -> str:
    """``'9'`` -> ``'AVI 9'`` (an old AVI level written without "AVI"); other text unchanged."""
    t = clean(text)
    return f"AVI {t}" if len(t) == 1 and t in "123456789" else text


#: per row the status (OK, EMPTY, BAD) of a column's value, kept as ``(status of each distinct
#: value, the rows' codes)``; codes None: every row has the one status given
Status = tuple[np.ndarray, np.ndarray | None]
_NOTHING: Status = (np.array([EMPTY], dtype=np.int8), None)


def _rows_where(flags: np.ndarray, status: Status, n: int) -> np.ndarray | None:
    """Per row whether the flag of its value's status is set; None when it is set for no row."""
    codes = status[1]
    if not flags.any():
        return None
    return np.ones(n, dtype=bool) if codes is None else flags[codes]


def _reasons(n: int, score: Status, level: Status, percentile: Status) -> np.ndarray:
    """The reason per row (0 = loaded): no result at all, or a bad percentile, level or score
    (later ones win).  Worked out from the statuses of the distinct values: only rows whose
    score is not fine are looked at for a result in the other columns."""
    reason = np.zeros(n, dtype=np.int8)
    no_score = _rows_where(score[0] != OK, score, n)
    if no_score is not None:
        rows = np.flatnonzero(no_score)
        for per_value, codes in (level, percentile):
            bad = per_value != OK
            rows = rows[bad[codes[rows]]] if codes is not None else (rows if bad[0] else rows[:0])
        reason[rows] = R[lr.REASON_NO_RESULT]
    for status, why in ((percentile, lr.REASON_BAD_PERCENTILE), (level, lr.REASON_BAD_LEVEL), (score, lr.REASON_BAD_SCORE)):
        hit = _rows_where(status[0] == BAD, status, n)
        if hit is not None:
            reason[hit] = R[why]
    return reason


def _values(ctx: TableContext, g: WideGroup, counts: ResultCounts) -> tuple[dict[str, object], np.ndarray, np.ndarray]:
    """The result values of one group, the reason per row (0 = loaded) and where the score had a % sign."""
    n = ctx.n

    def none_cat() -> pd.Categorical:
        return pd.Categorical.from_codes(empty_codes(n), categories=[])

    # the values of the columns the group has; empty ones only for those it lacks
    if "score" in g.columns:
        sc, sc_st, sc_pct = _scores(ctx, g.columns["score"])
    else:
        sc, sc_st, sc_pct = np.full(n, np.nan), _NOTHING, np.zeros(n, dtype=bool)
    if "level" not in g.columns:
        lv_cat, lv_st = none_cat(), _NOTHING
    else:
        lf = ctx.factor(g.columns["level"])
        # in an AVI column a bare 1-9 is the old AVI level
        avi = g.scale == AVI_SCALE
        parsed = {u: parse_level(_avi_digit(ctx.translate("level", u)) if avi else ctx.translate("level", u)) for u in lf.uniques}
        lv_cat = lf.categorical(lambda u: parsed[u][0])
        lv_st = (np.array([parsed[u][1] for u in lf.uniques] or [EMPTY], dtype=np.int8), lf.codes)
        # the column's own header (a repeated header row) is no level
        bad = {clean(u) for u in lf.uniques if parsed[u][1] == BAD} - {clean(g.columns["level"])}
        if bad:
            used = lf.row_counts() > 0
            counts.bad_levels |= {clean(u) for i, u in enumerate(lf.uniques) if used[i] and clean(u) in bad}
    pc, pc_st = (
        _percentiles(ctx, g.columns["percentile"], counts) if "percentile" in g.columns else (np.full(n, np.nan), _NOTHING)
    )
    if "func_level" not in g.columns:
        fl_cat = none_cat()
    else:
        ff = ctx.factor(g.columns["func_level"])
        fl_parsed = {u: parse_func_level(u) for u in ff.uniques}
        fl_cat = ff.categorical(lambda u: fl_parsed[u][0])
        counts.func_bad += ff.count_where([fl_parsed[u][1] == BAD for u in ff.uniques])
    dl = _dle(ctx, g.columns["dle"], counts) if "dle" in g.columns else np.full(n, np.nan)
    reason = _reasons(n, sc_st, lv_st, pc_st)
    return {"score": sc, "level": lv_cat, "percentile": pc, "func_level": fl_cat, "dle": dl}, reason, sc_pct


def result_part(ctx: TableContext, g: WideGroup, rf: RowFields, counts: ResultCounts) -> ResultPart:
    """The records of one column group, with subject, period and test level."""
    n = ctx.n
    values, reason, pct = _values(ctx, g, counts)
    scale = Coded.const(g.scale, n) if g.scale else None
    if g.scale_suffix:
        scale = Coded(rf.scale.codes, [f"{c} {g.scale_suffix}" for c in rf.scale.cats])
    if g.subject and not g.moment:  # a subject of its own, the row's moment (DMT cards)
        subj = Coded.const(g.subject, n)
        per, lvl = rf.m_period.copy(), rf.m_level.copy()
    elif g.subject:  # "M6"; or "M": the groep gives the year
        subj = Coded.const(g.subject, n)
        per = np.full(n, PERIOD_CODE[g.moment[0]], dtype=np.int64)
        lvl = np.full(n, int(g.moment[1:] or 0), dtype=np.int64)
    else:
        subj = rf.subject
        for fb in (rf.fixed_subject, rf.file_subject):
            if fb:
                subj = subj.fill_value(fb)
        per, lvl = rf.m_period.copy(), rf.m_level.copy()
    reason[(reason == 0) & subj.isna()] = R[lr.REASON_NO_SUBJECT]
    own = None
    if "date" in g.columns:
        own, bad = _own_dates(ctx, g.columns["date"])
        bad &= reason == 0
        reason[bad] = R[lr.REASON_BAD_DATE]  # as for the row's date: set aside, never guessed
        counts.date_bad += int(bad.sum())
    return ResultPart(
        values=values, subject=subj, period=per, level_num=lvl, reason=reason, scale=scale, percent_sign=pct, own_dates=own
    )


def _own_dates(ctx: TableContext, column: str) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """A column group's own date column: (distinct dates, a code per row; -1 where it is empty and
    the row's date counts), and per row whether the cell is not a date."""
    f = ctx.factor(column)
    date_u, status = f.dates()
    if not ctx.n:
        return (date_u, np.zeros(0, dtype=np.int64)), np.zeros(0, dtype=bool)
    ok = (status == OK) & ~np.isnat(date_u)
    return (date_u, np.where(ok[f.codes], f.codes, -1)), status[f.codes] == BAD
