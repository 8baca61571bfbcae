"""Step 2 of reading a table: who each row is about, which rows are no pupil, and background.

Pupil numbers are turned into pseudonym codes at once; rows with a name but no number are
kept as *unresolved* (resolved across files by :mod:`plgdata.io.scores.core`).  Summary rows,
repeated header rows and empty rows are flagged here (the one rule for summary rows is
:func:`plgdata.io.sniff.is_summary_label`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from plgdata.io.columns import normalise_header
from plgdata.io.scores.cleaning import clean, to_text
from plgdata.io.scores.context import TableContext, empty_codes
from plgdata.io.scores.identity import PupilRegistry, gender_mapper, name_key, school_name_key
from plgdata.io.sniff import is_summary_label
from plgdata.model.loadreport import NOTE_TWO_NAMES

_NAME_FIELDS = ("raw_name", "raw_first_name", "raw_prefix", "raw_last_name")
_SCHOOL_RE = re.compile(
    r"^(obs|cbs|rkbs|pcbs|kbs|rk|sbo|so|ikc|kc|basisschool|daltonschool|montessorischool|jenaplanschool|"
    r"vrije school|de school|school)\b",
    re.IGNORECASE,
)


@dataclass
class RowIdentity:
    """Per table row: the pupil code (-1 = none or not yet resolved) and what is needed to resolve it."""

    ctx: TableContext
    row_pid: np.ndarray
    has_number: np.ndarray
    birth_u: np.ndarray  # distinct birth dates
    birth_codes: np.ndarray
    unresolved: np.ndarray  # rows with a name but no number
    unresolved_keys: list[tuple[str, str]]  # (namekey, birth iso) per unresolved row
    no_pupil: np.ndarray  # rows with neither number nor name
    school: pd.Categorical | None = None  # per row: the school (a pupil is a school plus a number)

    def schools_of(self, idx: np.ndarray) -> list[str | None]:
        """The school of the rows ``idx`` (None where the row has none)."""
        if self.school is None:
            return [None] * len(idx)
        cats = list(self.school.categories)
        return [cats[c] if c >= 0 else None for c in np.asarray(self.school.codes)[idx].tolist()]

    @property
    def birth(self) -> np.ndarray:
        return self.birth_u[self.birth_codes]

    def _name_columns(self) -> list[str]:
        return [self.ctx.F[k] for k in _NAME_FIELDS if k in self.ctx.F]

    def names_of(self, idx: np.ndarray) -> list[str]:
        """Name keys of the rows ``idx`` (empty when the table has no name columns)."""
        cols = self._name_columns()
        if not cols or len(idx) == 0:
            return [""] * len(idx)
        parts = []
        for c in cols:
            f = self.ctx.factor(c)
            parts.append([f.uniques[i] for i in f.codes[idx].tolist()])
        return [name_key(*p) for p in zip(*parts)]

    def numbered_names(self, needed_births: set[str]) -> list[tuple[str, str, int]]:
        """(namekey, birth, code) of numbered rows born on one of the needed dates."""
        if not self._name_columns() or not needed_births:
            return []
        birth = self.birth
        bday = birth.astype("datetime64[D]").astype(np.int64)
        need = np.array(sorted(needed_births), dtype="datetime64[D]").astype(np.int64)
        idx = np.flatnonzero(self.has_number & np.isin(bday, need))
        # one row per (pupil, birth date): names are the same on all rows of a pupil
        if len(idx):
            key = self.row_pid[idx] * 100000 + (bday[idx] % 100000)
            _, first = np.unique(key, return_index=True)
            idx = idx[np.sort(first)]
        ks = [school_name_key(s, k) for s, k in zip(self.schools_of(idx), self.names_of(idx))]
        bstr = np.datetime_as_string(birth[idx], unit="D")
        return [(k, b, int(c)) for k, b, c in zip(ks, bstr, self.row_pid[idx]) if k]


def _remember_names(ctx: TableContext, registry: PupilRegistry, row_pid: np.ndarray, has_number: np.ndarray) -> None:
    """Put each numbered pupil's name in the key file's local look-up (display order)."""
    idx = np.flatnonzero(has_number)
    _, first = np.unique(row_pid[idx], return_index=True)
    idx = idx[first]
    cols = [ctx.F[k] for k in ("raw_first_name", "raw_prefix", "raw_last_name", "raw_name") if k in ctx.F]
    parts = []
    for c in cols:
        f = ctx.factor(c)
        cleaned = [clean(u) for u in f.uniques]  # each distinct text cleaned once
        parts.append([cleaned[i] for i in f.codes[idx].tolist()])
    names = [" ".join(x for x in p if x) for p in zip(*parts)]
    pids = [registry.ids[c] for c in row_pid[idx].tolist()]
    registry.p.remember_names(pids, names)


def _combined_codes(factors: list) -> np.ndarray:
    """One integer per row for the combination of several factor columns (no sort when it fits in 62 bits)."""
    combo, size = factors[0].codes, max(len(factors[0].uniques), 1)
    for f in factors[1:]:
        k = max(len(f.uniques), 1)
        if size * k >= 2**62:
            combo, uniq = pd.factorize(combo, sort=False)
            size = max(len(uniq), 1)
        combo, size = combo * k + f.codes, size * k
    return combo.astype(np.int64, copy=False)


def two_names_note(ident: RowIdentity) -> str | None:
    """A Dutch note when one pupil number stands with two different names in this table.

    Vectorised without a sort: per pupil the lowest and highest raw name combination; only pupils
    where they differ get their names normalised
    (``Vries, Zoë de`` and ``Zoe de Vries`` are one name).  The note names row numbers only.
    """
    cols = ident._name_columns()
    idx = np.flatnonzero(ident.has_number)
    if not cols or len(idx) < 2:
        return None
    ctx = ident.ctx
    combo = _combined_codes([ctx.factor(c) for c in cols])[idx]
    pid = ident.row_pid[idx]
    lo = np.full(int(pid.max()) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(len(lo), -1, dtype=np.int64)
    np.minimum.at(lo, pid, combo)
    np.maximum.at(hi, pid, combo)
    multi = lo != hi  # per pupil: more than one raw name combination
    if not multi[pid].any():
        return None
    # of such pupils: every row with another spelling than the lowest, and one row with the lowest
    on_lo = np.flatnonzero(multi[pid] & (combo == lo[pid]))
    on_lo = on_lo[np.unique(pid[on_lo], return_index=True)[1]]
    cand_pos = np.union1d(on_lo, np.flatnonzero(multi[pid] & (combo != lo[pid])))
    cand = idx[cand_pos]
    names: dict[int, set[str]] = {}
    rows: dict[int, int] = {}
    for row, p, k in zip(cand.tolist(), ident.row_pid[cand].tolist(), ident.names_of(cand)):
        if k:
            names.setdefault(p, set()).add(k)
            rows[p] = max(rows.get(p, 0), row)
    clash = sorted(rows[p] for p, ks in names.items() if len(ks) > 1)
    if not clash:
        return None
    where = ", ".join(str(int(r)) for r in ctx.raw.rows[clash[:5]])
    return (
        f"{NOTE_TWO_NAMES}: {len(clash)}× in dit bestand (bijvoorbeeld regel {where}); de resultaten van die "
        "regels zijn als één leerling ingelezen. Controleer in het leerlingvolgsysteem of het nummer klopt."
    )


def _number_pids(ctx: TableContext, registry: PupilRegistry, school: pd.Categorical) -> np.ndarray:
    """Per row the pupil code of (school, number); -1 without a number. Each pair hashed once."""
    num_f = ctx.field_factor("raw_number")
    if num_f is None or not ctx.n:
        return np.full(ctx.n, -1, dtype=np.int64)
    cats, sc = list(school.categories), np.asarray(school.codes)
    present = np.flatnonzero(np.bincount(sc + 1, minlength=len(cats) + 1)) - 1
    if len(present) == 1:  # the common case: one school in the file
        name = cats[present[0]] if present[0] >= 0 else ""
        return registry.number_codes(num_f.uniques, name)[num_f.codes]
    # the distinct (school, number) pairs, in the order of (school, number code)
    k = max(len(num_f.uniques), 1)
    pair = (sc.astype(np.int64) + 1) * k + num_f.codes
    size = (len(cats) + 1) * k
    if size <= 4 * len(pair):  # without a sort: one flag per possible pair
        seen = np.zeros(size, dtype=bool)
        seen[pair] = True
        used = np.flatnonzero(seen)
    else:
        used, pair = np.unique(pair, return_inverse=True)
    codes = np.full(len(used), -1, dtype=np.int64)
    bounds = np.searchsorted(used, (present + 1) * k)
    for school_code, lo, hi in zip(present.tolist(), bounds.tolist(), bounds[1:].tolist() + [len(used)]):
        nums = used[lo:hi] - (school_code + 1) * k  # each school's distinct numbers hashed at once
        codes[lo:hi] = registry.number_codes(
            [num_f.uniques[i] for i in nums.tolist()], cats[school_code] if school_code >= 0 else ""
        )
    if size > 4 * len(pair):
        return codes[pair]  # pair is the position in used here
    lut = np.full(size, -1, dtype=np.int64)
    lut[used] = codes
    return lut[pair]


def identify_rows(ctx: TableContext, registry: PupilRegistry) -> RowIdentity:
    """Pseudonym codes of the numbered rows (school plus number); the name keys of the others."""
    n = ctx.n
    school = _school(ctx)
    row_pid = _number_pids(ctx, registry, school)
    has_number = row_pid >= 0
    birth_u = np.array([np.datetime64("NaT")], dtype="datetime64[ns]")
    birth_codes = np.zeros(n, dtype=np.int64)
    bf = ctx.field_factor("raw_birth_date")
    if bf is not None:
        birth_u, _ = bf.dates()
        birth_codes = bf.codes
    ident = RowIdentity(
        ctx, row_pid, has_number, birth_u, birth_codes, np.zeros(0, dtype=np.int64), [], np.zeros(n, dtype=bool), school
    )
    if ident._name_columns() and registry.p.keeps_lookup and has_number.any():
        _remember_names(ctx, registry, row_pid, has_number)
    note = two_names_note(ident)
    if note:
        ctx.notes.append(note)
    no_number = np.flatnonzero(~has_number)
    keys_nn = ident.names_of(no_number)
    has_name_nn = np.array([bool(k) for k in keys_nn], dtype=bool)
    ident.unresolved = no_number[has_name_nn] if len(no_number) else no_number
    birth = ident.birth
    bdays = np.datetime_as_string(birth[ident.unresolved], unit="D") if len(ident.unresolved) else np.array([], dtype=str)
    names_nn = np.array(keys_nn, dtype=object)[has_name_nn]
    schools_nn = ident.schools_of(ident.unresolved)
    ident.unresolved_keys = [(school_name_key(s, k), "" if b == "NaT" else b) for s, k, b in zip(schools_nn, names_nn, bdays)]
    ident.no_pupil[no_number[~has_name_nn]] = True
    return ident


@dataclass
class RowFlags:
    """Rows that are no pupil: summary rows, repeated header rows, empty rows."""

    summary: np.ndarray
    repeated_header: np.ndarray
    empty: np.ndarray


def _label_flags(ctx: TableContext) -> tuple[np.ndarray, np.ndarray]:
    """Summary and repeated-header rows, from the first column and the identity columns."""
    raw, F, n = ctx.raw, ctx.F, ctx.n
    label_cols = [raw.headers[0]] + [F[k] for k in ("raw_number", "raw_name", "raw_last_name", "raw_first_name") if k in F]
    summary = np.zeros(n, dtype=bool)
    rep_header = np.zeros(n, dtype=bool)
    for c in dict.fromkeys(label_cols):
        f = ctx.factor(c)
        hdr = normalise_header(c)
        # values starting with a digit (pupil numbers, dates) are never a label: test only the others
        texts = [(i, u) for i, u in enumerate(f.uniques) if not u[:1].isdigit()]
        for flags, test in (
            (summary, is_summary_label),
            (rep_header, lambda u, hdr=hdr: bool(hdr) and normalise_header(u) == hdr),
        ):
            hits = [i for i, u in texts if test(u)]
            if hits:  # spread to the rows only when some value matches
                lut = np.zeros(len(f.uniques), dtype=bool)
                lut[hits] = True
                flags |= lut[f.codes]
    return summary, rep_header


def flag_rows(ctx: TableContext, ident: RowIdentity) -> RowFlags:
    """Summary, repeated-header and (among rows without a pupil) empty rows."""
    summary, rep_header = _label_flags(ctx)
    empty = np.zeros(ctx.n, dtype=bool)
    cand = np.flatnonzero(ident.no_pupil & ~summary & ~rep_header)
    if len(cand):
        sub = ctx.raw.table.take(pa.array(cand))
        blank = np.ones(len(cand), dtype=bool)
        for c in sub.column_names:
            vals = to_text(sub.column(c), ctx.raw.encoding)
            blank &= np.array([not clean(v) for v in vals], dtype=bool)
        empty[cand[blank]] = True
    return RowFlags(summary, rep_header, empty)


def _title_school(title: str) -> str | None:
    for part in re.split(r"\s+[-|–]\s+", title or ""):
        if _SCHOOL_RE.match(part.strip()):
            return part.strip()
    return None


def named_schools(ctx: TableContext) -> set[str]:
    """The schools a table names itself (a column, the mapping's fixed value or the title); empty when none."""
    fixed = clean(ctx.fixed.get("school") or "")
    sf = ctx.field_factor("school")
    if sf is not None:
        return {clean(u) for u in sf.uniques if clean(u)} or ({fixed} if fixed else set())
    s = fixed or _title_school(ctx.raw.title)
    return {s} if s else set()


def _school(ctx: TableContext) -> pd.Categorical:
    """Per row the school: the table's own, else ``ctx.school`` (the reader's decision for a file without one)."""
    school_fixed = clean(ctx.fixed.get("school") or "") or ctx.school
    sf = ctx.field_factor("school")
    if sf is not None:
        return sf.categorical(lambda u: clean(u) or school_fixed or None)
    s = school_fixed or _title_school(ctx.raw.title) or ctx.school
    codes = np.zeros(ctx.n, dtype=np.int64) if s else empty_codes(ctx.n)
    return pd.Categorical.from_codes(codes, categories=[s] if s else [])


def background(ctx: TableContext, ident: RowIdentity) -> dict[str, object]:
    """Per row: gender, birth year, thuistaal, instroom and school (notes on gender codes)."""
    out: dict[str, object] = {}
    gf = ctx.field_factor("gender")
    if gf is not None:
        meant = {u: ctx.translate("gender", u) for u in gf.uniques}
        gmap, gmap_note = gender_mapper(list(dict.fromkeys(meant.values())), ctx.F["gender"])
        out["gender"] = gf.categorical(lambda u: gmap.get(meant[u]))
        if gmap_note:
            ctx.notes.append(gmap_note)
    years_u = ident.birth_u.astype("datetime64[Y]").astype(np.float64) + 1970
    years_u[np.isnat(ident.birth_u)] = np.nan
    years_u[(years_u < 1990) | (years_u > 2030)] = np.nan
    out["birth_year"] = years_u[ident.birth_codes]
    for k in ("thuistaal", "instroom"):
        f = ctx.field_factor(k)
        if f is not None:
            out[k] = f.categorical(lambda u: clean(u) or None)
    out["school"] = ident.school if ident.school is not None else _school(ctx)
    return out
