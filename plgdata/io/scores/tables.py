"""Turning one recognised table (CSV file or workbook sheet) into canonical arrays.

The result of :func:`process_table` is a :class:`Parsed`: per table row the pupil
code (or what is needed to resolve it by name), per result record the canonical
fields and a reason code when the record is set aside.  Everything is vectorised:
each distinct cell text is parsed once (:class:`~plgdata.io.scores.cleaning.Factor`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from plgdata.io.columns import normalise_header
from plgdata.io.dialects import boom, cito, iep
from plgdata.io.scores.cleaning import (
    BAD,
    EMPTY,
    OK,
    Coded,
    Factor,
    clean,
    groep_from_class,
    parse_date,
    parse_dle,
    parse_func_level,
    parse_groep,
    parse_level,
    parse_moment,
    parse_number,
    parse_percent,
    parse_school_year,
    period_from_month,
    to_text,
)
from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.identity import PupilRegistry, gender_mapper, name_key
from plgdata.io.scores.layout import Layout, WideGroup, recognise
from plgdata.io.scores.mapping import Mapping, mapping_template
from plgdata.io.scores.rawtable import RawTable
from plgdata.io.sniff import is_summary_label
from plgdata.model import loadreport as lr
from plgdata.model.vocabulary import PERIOD_CODE, PERIODS, scale_of, subject_of

KIND_PUPILS = "leerlinggegevens"
KIND_MAPPED = "met koppelbestand"

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

_SCHOOL_RE = re.compile(
    r"^(obs|cbs|rkbs|pcbs|kbs|rk|sbo|so|ikc|kc|basisschool|daltonschool|montessorischool|jenaplanschool|"
    r"vrije school|de school|school)\b",
    re.IGNORECASE,
)


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
    numbered_names: object = None  # callable(births_needed) -> list of (namekey, birth, code)



def _remember_names(raw, F, registry, row_pid: np.ndarray, has_number: np.ndarray) -> None:
    """Put each numbered pupil's name in the key file's local look-up (display order)."""
    from plgdata.io.scores.cleaning import clean

    idx = np.flatnonzero(has_number)
    _, first = np.unique(row_pid[idx], return_index=True)
    idx = idx[first]
    cols = [F[k] for k in ("raw_first_name", "raw_prefix", "raw_last_name", "raw_name") if k in F]
    parts = []
    for c in cols:
        f = _factor(raw, c)
        u = f.uniques
        parts.append([u[i] for i in f.codes[idx].tolist()])
    names = [" ".join(clean(x) for x in p if x is not None and clean(x)) for p in zip(*parts)]
    pids = [registry.ids[c] for c in row_pid[idx].tolist()]
    registry.p.remember_names(pd.Series(pids), pd.Series(names))

def _cat_from_object(values: np.ndarray) -> pd.Categorical:
    """Object array with None -> Categorical (only used on small or already-shared values)."""
    return pd.Categorical(pd.Series(values, dtype=object))


def _title_school(title: str) -> str | None:
    for part in re.split(r"\s+[-|–]\s+", title or ""):
        if _SCHOOL_RE.match(part.strip()):
            return part.strip()
    return None


def not_recognised(raw: RawTable, lay: Layout) -> ReadError:
    """The Dutch error for a file whose columns say nothing we know, with a mapping template."""
    missing = []
    if not lay.has_identity:
        missing.append("geen kolom met de leerling (leerlingnummer, of naam en geboortedatum)")
    if not lay.has_result:
        missing.append("geen kolom met een resultaat (vaardigheidsscore, niveau of percentiel)")
    cols = ", ".join(f'"{h}"' for h in raw.headers)
    tmpl = mapping_template(raw.headers)
    msg = (
        f"Het bestand {raw.source} is niet herkend als export met toetsresultaten: {' en '.join(missing)}. "
        f"Gevonden kolommen: {cols}. "
        "Maak een koppelbestand (YAML) waarin staat welke kolom wat is, en lees opnieuw in met "
        "mapping=\"koppeling.yaml\" (of --koppeling koppeling.yaml). Een leeg koppelbestand om in te vullen:\n\n" + tmpl
    )
    return ReadError(msg, columns=list(raw.headers), mapping_template=tmpl)


def _factor(raw: RawTable, name: str) -> Factor:
    cache = raw.__dict__.setdefault("_factors", {})
    f = cache.get(name)
    if f is None:
        f = cache[name] = Factor(raw.table.column(name), raw.encoding)
    return f


def _prefetch(raw: RawTable, names: list[str]) -> None:
    """Dictionary-encode the columns we will parse, two at a time (pyarrow releases the GIL)."""
    names = [c for c in dict.fromkeys(names) if c in raw.headers]
    if raw.table.num_rows < 100_000 or len(names) < 2:
        return
    if all(pa.types.is_dictionary(raw.table.schema.field(c).type) for c in names):
        return  # read as dictionaries already (CSV): nothing left to encode
    from concurrent.futures import ThreadPoolExecutor

    cache = raw.__dict__.setdefault("_factors", {})
    with ThreadPoolExecutor(max_workers=2) as ex:
        for c, f in zip(names, ex.map(lambda c: Factor(_col(raw, c), raw.encoding), names)):
            cache[c] = f


def _col(raw: RawTable, name: str) -> pa.Array:
    c = raw.table.column(name)
    return c.combine_chunks() if c.num_chunks != 1 else c.chunk(0)


def _int8(values: np.ndarray) -> pd.arrays.IntegerArray:
    """float array with NaN -> nullable Int8."""
    mask = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int8), mask)


def _moment_cats(period: np.ndarray, level: np.ndarray) -> tuple[pd.Categorical, pd.Categorical]:
    """period codes (0 none, 1 B, 2 M, 3 E) and levels (0 none) -> moment and period categoricals."""
    cats = [p + str(g) for p in PERIODS for g in range(1, 9)]
    if len(period) and period.min() >= 0 and period.max() <= 3:
        # one small look-up over (period, level in 1-8 or 0): codes without row-wise arithmetic
        pair = period * 9 + np.where((level >= 1) & (level <= 8), level, 0)
        p_lut = np.repeat(np.array([-1, 0, 1, 2], dtype=np.int8), 9)
        m_lut = np.array([-1 if (p == 0 or g == 0) else (p - 1) * 8 + (g - 1) for p in range(4) for g in range(9)], dtype=np.int64)
        period_cat = pd.Categorical.from_codes(p_lut[pair], categories=list(PERIODS))
        mcode = m_lut[pair]
    else:
        pc_ = np.where(period > 0, period - 1, -1)
        period_cat = pd.Categorical.from_codes(pc_.astype(np.int64), categories=list(PERIODS))
        ok = (period > 0) & (level >= 1) & (level <= 8)
        mcode = np.where(ok, (period - 1) * 8 + (level - 1), -1).astype(np.int64)
    # only the moments that occur, in canonical order
    used = np.flatnonzero(np.bincount(mcode + 1, minlength=len(cats) + 1)[1:])
    lut = np.full(len(cats) + 1, -1, dtype=np.int64)
    lut[used + 1] = np.arange(len(used))
    moment_cat = pd.Categorical.from_codes(lut[mcode + 1], categories=[cats[i] for i in used])
    return moment_cat, period_cat




def process_table(
    raw: RawTable,
    registry: PupilRegistry,
    *,
    mapping: Mapping | None = None,
    school: str | None = None,
) -> Parsed:
    """Clean one table into canonical arrays (raises :class:`ReadError` when not recognised)."""
    notes = list(raw.notes)
    cols_map, fixed, applies = ({}, {}, False)
    if mapping is not None:
        cols_map, fixed, applies = mapping.for_headers(raw.headers)
    lay = recognise(raw.headers, cols_map if applies else None, fixed if applies else None)
    if mapping is not None and not applies:
        if not (lay.has_identity and lay.has_result) and fixed:
            # not recognised on its own: use the mapping's fixed values too
            lay = recognise(raw.headers, cols_map, fixed)
            applies = lay.has_identity and lay.has_result
        if not applies:
            cols_map, fixed = {}, {}
            lay = recognise(raw.headers)
    if not lay.has_identity:
        raise not_recognised(raw, lay)
    n = raw.table.num_rows
    F = lay.fields
    _prefetch(raw, [raw.headers[0]] + list(F.values()) + [c for g in lay.wide for c in g.columns.values()])
    title_ctx = " ".join(x for x in (raw.title, raw.sheet or "") if x)

    # ---------------------------------------------------------------- kind
    test_uniques: list[str] = []
    test_f = _factor(raw, (F["test_name"])) if "test_name" in F else None
    if test_f is not None:
        test_uniques = [u for u in test_f.uniques if clean(u)]
    if not lay.has_result:
        if lay.has_test_info or not lay.has_background:
            raise not_recognised(raw, lay)
        kind = KIND_PUPILS
    elif iep.is_iep(raw.headers, raw.sheet, raw.title, raw.file_name):
        kind = iep.KIND
    elif boom.is_boom(raw.title, raw.file_name, test_uniques) or scale_of(fixed.get("scale", "")) == "Boom":
        kind = boom.KIND
    elif lay.wide:
        kind = cito.KIND_WIDE
    else:
        kind = cito.KIND_LONG
    if applies:
        kind = f"{kind}, {KIND_MAPPED}" if kind != KIND_PUPILS else kind
        notes.append(f"kolommen gekoppeld met {mapping.source}")
    if lay.duplicates:
        notes.append("dubbele kolommen genegeerd (de eerste is gebruikt): " + ", ".join(lay.duplicates))

    # ---------------------------------------------------------------- identity
    row_pid = np.full(n, -1, dtype=np.int64)
    has_number = np.zeros(n, dtype=bool)
    num_f = None
    if "raw_number" in F:
        num_f = _factor(raw, (F["raw_number"]))
        lut = registry.number_codes(num_f.uniques)
        row_pid = lut[num_f.codes] if n else row_pid
        has_number = row_pid >= 0
    birth_u = np.array([np.datetime64("NaT")], dtype="datetime64[ns]")
    birth_codes = np.zeros(n, dtype=np.int64)
    if "raw_birth_date" in F:
        bf = _factor(raw, (F["raw_birth_date"]))
        birth_u, _ = bf.lut_pair(parse_date, dtype="datetime64[ns]")
        birth_codes = bf.codes
    birth = birth_u[birth_codes]
    name_cols = [F[k] for k in ("raw_name", "raw_first_name", "raw_prefix", "raw_last_name") if k in F]

    def names_of(idx: np.ndarray) -> list[str]:
        if not name_cols or len(idx) == 0:
            return [""] * len(idx)
        parts = []
        for c in name_cols:
            f = _factor(raw, c)
            u = f.uniques
            parts.append([u[i] for i in f.codes[idx].tolist()])
        return [name_key(*p) for p in zip(*parts)]

    if name_cols and registry.p.keeps_lookup and has_number.any():
        _remember_names(raw, F, registry, row_pid, has_number)
    no_number = np.flatnonzero(~has_number)
    keys_nn = names_of(no_number)
    has_name_nn = np.array([bool(k) for k in keys_nn], dtype=bool)
    unresolved = no_number[has_name_nn] if len(no_number) else no_number
    bdays = np.datetime_as_string(birth[unresolved], unit="D") if len(unresolved) else np.array([], dtype=str)
    unresolved_keys = [(k, "" if b == "NaT" else b) for k, b in zip(np.array(keys_nn, dtype=object)[has_name_nn], bdays)]
    no_pupil = np.zeros(n, dtype=bool)
    no_pupil[no_number[~has_name_nn]] = True

    def numbered_names(needed_births: set[str]) -> list[tuple[str, str, int]]:
        """(namekey, birth, code) of numbered rows born on one of the needed dates."""
        if not name_cols or not needed_births:
            return []
        bday = birth.astype("datetime64[D]").astype(np.int64)
        need = np.array(sorted(needed_births), dtype="datetime64[D]").astype(np.int64)
        idx = np.flatnonzero(has_number & np.isin(bday, need))
        # one row per (pupil, birth date): names are the same on all rows of a pupil
        if len(idx):
            _, first = np.unique(row_pid[idx] * 100000 + (birth[idx].astype("datetime64[D]").astype(np.int64) % 100000), return_index=True)
            idx = idx[np.sort(first)]
        ks = names_of(idx)
        bstr = np.datetime_as_string(birth[idx], unit="D")
        return [(k, b, int(c)) for k, b, c in zip(ks, bstr, row_pid[idx]) if k]

    # ---------------------------------------------------------------- row-level flags
    row_reason = np.zeros(n, dtype=np.int8)
    label_cols = [raw.headers[0]] + [F[k] for k in ("raw_number", "raw_name", "raw_last_name", "raw_first_name") if k in F]
    summary = np.zeros(n, dtype=bool)
    rep_header = np.zeros(n, dtype=bool)
    for c in dict.fromkeys(label_cols):
        f = num_f if (num_f is not None and c == F.get("raw_number")) else _factor(raw, (c))
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
    # empty rows among rows without any pupil
    empty = np.zeros(n, dtype=bool)
    cand = np.flatnonzero(no_pupil & ~summary & ~rep_header)
    if len(cand):
        sub = raw.table.take(pa.array(cand))
        blank = np.ones(len(cand), dtype=bool)
        for c in sub.column_names:
            vals = to_text(sub.column(c), raw.encoding)
            blank &= np.array([not clean(v) for v in vals], dtype=bool)
        empty[cand[blank]] = True

    # ---------------------------------------------------------------- pupil-list files
    background: dict[str, object] = {}
    gmap_note = None
    if "gender" in F:
        gf = _factor(raw, (F["gender"]))
        gmap, gmap_note = gender_mapper(gf.uniques)
        background["gender"] = gf.categorical(lambda u: gmap.get(u))
        if gmap_note:
            notes.append(gmap_note)
    years_u = birth_u.astype("datetime64[Y]").astype(np.float64) + 1970
    years_u[np.isnat(birth_u)] = np.nan
    years_u[(years_u < 1990) | (years_u > 2030)] = np.nan
    background["birth_year"] = years_u[birth_codes]
    for k in ("thuistaal", "instroom"):
        if k in F:
            background[k] = _factor(raw, (F[k])).categorical(lambda u: clean(u) or None)

    # school
    school_fixed = fixed.get("school") or school
    if "school" in F:
        school_cat = _factor(raw, (F["school"])).categorical(lambda u: clean(u) or school_fixed or None)
    else:
        s = school_fixed or _title_school(raw.title)
        school_cat = pd.Categorical.from_codes(np.zeros(n, dtype=np.int64) if s else np.full(n, -1, dtype=np.int64), categories=[s] if s else [])
    background["school"] = school_cat

    if kind == KIND_PUPILS:
        row_reason[no_pupil] = R[lr.REASON_NO_PUPIL]
        row_reason[rep_header] = R[lr.REASON_REPEATED_HEADER]
        row_reason[summary] = R[lr.REASON_SUMMARY]
        row_reason[empty] = R[lr.REASON_EMPTY]
        raw.__dict__.pop("_factors", None)  # free the per-row codes (made again if names are needed later)
        return Parsed(
            raw=raw, kind=kind, n_rows=n, row_numbers=raw.rows, row_pid=row_pid, unresolved=unresolved,
            unresolved_keys=unresolved_keys, row_reason=row_reason, rec_row=np.zeros(0, dtype=np.int64),
            rec_reason=np.zeros(0, dtype=np.int8), rec={}, background=background, notes=notes,
            numbered_names=numbered_names,
        )

    # ---------------------------------------------------------------- row-level test fields
    groep = np.full(n, np.nan)
    groep_bad = np.zeros(n, dtype=bool)
    if "groep" in F:
        gv, gs = _factor(raw, (F["groep"])).map_pair(parse_groep, dtype=np.float64)
        groep = gv.astype(np.float64)
        groep_bad = gs == BAD
    elif "groep" in fixed:
        g, s = parse_groep(fixed["groep"])
        groep[:] = g if g else np.nan
    if "class_name" in F:
        cf = _factor(raw, (F["class_name"]))
        class_cat = cf.categorical(lambda u: clean(u) or None)
        if np.isnan(groep).any():
            gc = cf.map(lambda u: groep_from_class(u) or np.nan, dtype=np.float64)
            fill = np.isnan(groep) & ~groep_bad
            groep[fill] = gc[fill]
    else:
        cn = fixed.get("class_name")
        class_cat = pd.Categorical.from_codes(np.zeros(n, dtype=np.int64) if cn else np.full(n, -1, dtype=np.int64), categories=[cn] if cn else [])

    # dates as codes into the distinct dates (year and month are computed per distinct date)
    date_u = np.array([np.datetime64("NaT")], dtype="datetime64[ns]")
    date_codes = np.zeros(n, dtype=np.int64)
    date_bad = np.zeros(n, dtype=bool)
    if "date" in F:
        df_ = _factor(raw, (F["date"]))
        date_u, ds_u = df_.lut_pair(parse_date, dtype="datetime64[ns]")
        date_codes = df_.codes
        date_bad = ds_u[date_codes] == BAD
    elif "date" in fixed:
        d, s = parse_date(fixed["date"])
        if d is not None:
            date_u = np.array([d], dtype="datetime64[ns]")
    date = date_u[date_codes]

    # moment from a column (period code + level)
    m_period = np.zeros(n, dtype=np.int64)
    m_level = np.zeros(n, dtype=np.int64)
    moment_bad = 0
    if "moment" in F or "moment" in fixed:
        mf = _factor(raw, (F["moment"])) if "moment" in F else Factor.constant(fixed["moment"], n)

        def mparse(u):
            v, s = parse_moment(u)
            if v is None:
                return (0, 0, s)
            return (PERIOD_CODE[v[0]], v[1] or 0, s)

        res = [mparse(u) for u in mf.uniques]
        if res:
            m_period = np.array([r[0] for r in res], dtype=np.int64)[mf.codes]
            m_level = np.array([r[1] for r in res], dtype=np.int64)[mf.codes]
            moment_bad = int((np.array([r[2] for r in res], dtype=np.int8)[mf.codes] == BAD).sum())
    if moment_bad:
        notes.append(f"{moment_bad} toetsmoment(en) niet te lezen: afgeleid uit afnamedatum en groep")

    # school year: column, else from the date, else from the title or file name
    sy_text = parse_school_year(fixed.get("school_year", "")) or parse_school_year(raw.title) or parse_school_year(raw.file_name)
    if "school_year" in F:
        sy_col = Coded.from_factor(_factor(raw, (F["school_year"])), parse_school_year)
    else:
        sy_col = Coded.missing(n)

    # test name, subject, scale
    test_cat = test_f.categorical(lambda u: clean(u) or None) if test_f is not None else (
        pd.Categorical([fixed["test_name"]] * n) if "test_name" in fixed else pd.Categorical.from_codes(np.full(n, -1, dtype=np.int64), categories=[])
    )
    file_subject = None
    for t in ((raw.sheet,) if kind.startswith(iep.KIND) else ()) + (raw.file_name.rsplit(".", 1)[0], raw.title):
        if kind.startswith(iep.KIND) and t == raw.sheet:
            file_subject = iep.sheet_subject(t) or subject_of(t)
        else:
            file_subject = subject_of(t)
        if file_subject:
            break
    fixed_subject = None
    if "subject" in fixed:
        fixed_subject = subject_of(fixed["subject"]) or clean(fixed["subject"])
    if kind.startswith(iep.KIND) and raw.sheet and iep.sheet_subject(raw.sheet):
        fixed_subject = fixed_subject or iep.sheet_subject(raw.sheet)
    row_subject = Coded.missing(n)
    unknown_subjects: set[str] = set()
    if "subject" in F:
        sf = _factor(raw, (F["subject"]))

        def subj(u):
            t = clean(u)
            if not t:
                return None
            s = subject_of(t)
            if s is None:
                unknown_subjects.add(t)
                return t.lower()
            return s

        row_subject = Coded.from_factor(sf, subj)
    if test_f is not None:
        row_subject = row_subject.fill(Coded.from_factor(test_f, subject_of))
    if unknown_subjects:
        notes.append("onbekende vakken overgenomen zoals ze in het bestand staan: " + ", ".join(sorted(unknown_subjects)[:5]))

    # scale
    if kind.startswith(iep.KIND):
        default_scale, assumed = iep.SCALE, False
    elif kind.startswith(boom.KIND):
        default_scale, assumed = boom.SCALE, False
    else:
        default_scale, assumed = cito.default_scale(raw.title, raw.file_name)
    if "scale" in fixed:
        default_scale, assumed = scale_of(fixed["scale"]) or clean(fixed["scale"]), False
    row_scale = Coded.missing(n)
    if "scale" in F:
        row_scale = Coded.from_factor(_factor(raw, (F["scale"])), lambda u: scale_of(u) or (clean(u) or None))
    if test_f is not None:
        row_scale = row_scale.fill(Coded.from_factor(test_f, scale_of))
    missing_scale = row_scale.isna()
    if missing_scale.any():
        row_scale = row_scale.fill_value(default_scale)

    # ---------------------------------------------------------------- result groups
    groups: list[WideGroup] = []
    if lay.wide and not any(k in F for k in ("score", "level", "percentile")):
        groups = lay.wide
        notes.append(f"brede indeling: {len(groups)} kolomgroepen (vak x moment) omgezet naar een regel per toets")
    else:
        g = WideGroup(subject="", moment="")
        for k in ("score", "level", "percentile", "func_level", "dle"):
            if k in F:
                g.columns[k] = F[k]
        groups = [g]

    if kind.startswith(iep.KIND):
        dom = iep.domain_columns(lay.unknown)
        if dom:
            bad = 0
            for c in dom:
                _, st = _factor(raw, (c)).map_pair(lambda u: parse_percent(u)[:2], dtype=object)
                bad += int((st == BAD).sum())
            notes.append(
                "domeinpercentages (" + ", ".join(dom) + ") gelezen en gecontroleerd, niet opgenomen in de scores-tabel"
                + (f"; {bad} cel(len) niet te lezen" if bad else "")
            )

    rec_parts: list[dict[str, object]] = []
    pct_scaled = False
    func_bad = dle_bad = dle_clip = 0
    for g in groups:
        part: dict[str, object] = {}
        sc = np.full(n, np.nan)
        sc_st = np.full(n, EMPTY, dtype=np.int8)
        if "score" in g.columns:
            sc, sc_st = _factor(raw, (g.columns["score"])).map_pair(parse_number, dtype=np.float64)
            sc = sc.astype(np.float64)
        lv_cat = pd.Categorical.from_codes(np.full(n, -1, dtype=np.int64), categories=[])
        lv_st = np.full(n, EMPTY, dtype=np.int8)
        if "level" in g.columns:
            lf = _factor(raw, (g.columns["level"]))
            lv_cat = lf.categorical(lambda u: parse_level(u)[0])
            lv_st = lf.map(lambda u: parse_level(u)[1], dtype=np.int8)
        pc = np.full(n, np.nan)
        pc_st = np.full(n, EMPTY, dtype=np.int8)
        if "percentile" in g.columns:
            pf = _factor(raw, (g.columns["percentile"]))
            parsed = [parse_percent(u) for u in pf.uniques]
            vals = np.array([p[0] if p[0] is not None else np.nan for p in parsed] or [np.nan], dtype=np.float64)
            sts = np.array([p[1] for p in parsed] or [EMPTY], dtype=np.int8)
            ok_vals = vals[(sts == OK) & ~np.array([p[2] for p in parsed] or [False])]
            if len(ok_vals) and np.nanmax(ok_vals) <= 1 and (ok_vals % 1 != 0).any():
                vals = np.where(np.array([not p[2] for p in parsed] or [False]), vals * 100, vals)
                pct_scaled = True
            out_of_range = (sts == OK) & ((vals < 0) | (vals > 100))
            sts = np.where(out_of_range, BAD, sts).astype(np.int8)
            if n:
                pc, pc_st = vals[pf.codes], sts[pf.codes]
        fl_cat = pd.Categorical.from_codes(np.full(n, -1, dtype=np.int64), categories=[])
        if "func_level" in g.columns:
            ff = _factor(raw, (g.columns["func_level"]))
            fl_cat = ff.categorical(lambda u: parse_func_level(u)[0])
            func_bad += int((ff.map(lambda u: parse_func_level(u)[1], dtype=np.int8) == BAD).sum())
        dl = np.full(n, np.nan)
        if "dle" in g.columns:
            dv, dst = _factor(raw, (g.columns["dle"])).map_pair(parse_dle, dtype=np.float64)
            dl = dv.astype(np.float64)
            dle_bad += int((dst == BAD).sum())
            over = dl > 60
            dle_clip += int(over.sum())
            dl = np.where(over, 60.0, np.where(dl < 0, np.nan, dl))
        has_result = (sc_st == OK) | (lv_st == OK) | (pc_st == OK)
        reason = np.zeros(n, dtype=np.int8)
        # lowest precedence first; later assignments win
        reason[~has_result] = R[lr.REASON_NO_RESULT]
        reason[pc_st == BAD] = R[lr.REASON_BAD_PERCENTILE]
        reason[lv_st == BAD] = R[lr.REASON_BAD_LEVEL]
        reason[sc_st == BAD] = R[lr.REASON_BAD_SCORE]
        part["score"], part["level"], part["percentile"] = sc, lv_cat, pc
        part["func_level"], part["dle"] = fl_cat, dl
        # subject and moment of this group
        if g.subject:
            subj = Coded.const(g.subject, n)
            per = np.full(n, PERIOD_CODE[g.moment[0]], dtype=np.int64)
            lvl = np.full(n, int(g.moment[1]), dtype=np.int64)
        else:
            subj = row_subject
            for fb in (fixed_subject, file_subject):
                if fb:
                    subj = subj.fill_value(fb)
            per, lvl = m_period.copy(), m_level.copy()
        subj_missing = subj.isna()
        reason[(reason == 0) & subj_missing] = R[lr.REASON_NO_SUBJECT]
        part["subject"] = subj
        part["period"], part["level_num"] = per, lvl
        part["reason"] = reason
        rec_parts.append(part)

    if pct_scaled:
        notes.append("percentielen als fractie (0,61) omgerekend naar 61")
    if func_bad:
        notes.append(f"{func_bad} functioneringsniveau(s) niet te lezen: leeg gelaten")
    if dle_bad:
        notes.append(f"{dle_bad} DLE-waarde(n) niet te lezen: leeg gelaten")
    if dle_clip:
        notes.append(f"{dle_clip} DLE-waarde(n) boven 60 (zoals '>60') als 60 gelezen")

    G = len(rec_parts)
    rec_row = np.tile(np.arange(n, dtype=np.int64), G)

    def cat_concat(key):
        cats = [p[key] for p in rec_parts]
        return cats[0] if G == 1 else pd.api.types.union_categoricals(cats)

    def arr_concat(key):
        arrs = [p[key] for p in rec_parts]
        return arrs[0] if G == 1 else np.concatenate(arrs)

    reason = arr_concat("reason")
    period = arr_concat("period")
    level_num = arr_concat("level_num")
    # moment from date + groep where no moment was given
    groep_r = groep[rec_row] if G > 1 else groep
    date_r = date[rec_row] if G > 1 else date
    date_codes_r = date_codes[rec_row] if G > 1 else date_codes
    date_nat_u = np.isnat(date_u)
    date_month_u = np.where(date_nat_u, 0, date_u.astype("datetime64[M]").astype(np.int64) % 12 + 1)
    need = period == 0
    if need.any():
        # period_from_month per distinct date, as codes (0 none, 1 B, 2 M, 3 E)
        p_from_date = period_from_month(date_month_u.astype(np.float64))
        pcode_u = np.array([PERIOD_CODE.get(x, 0) if x else 0 for x in p_from_date], dtype=np.int64)
        period = np.where(need, pcode_u[date_codes_r], period)
        if not (kind.startswith(boom.KIND)) and "moment" not in F and "moment" not in fixed and (period > 0).any() and not lay.wide:
            notes.append("geen toetsmoment in het bestand: afgeleid uit de afnamedatum (M dec-mrt, E apr-jul, B aug-nov) en de groep")
        if kind.startswith(boom.KIND):
            notes.append("Boom LVS: moment afgeleid uit de afnamedatum (M dec-mrt, E apr-jul, B aug-nov), toetsniveau = groep")
    lvl_missing = (level_num == 0) & (period > 0)
    if lvl_missing.any():
        level_num = np.where(lvl_missing, np.nan_to_num(groep_r, nan=0).astype(np.int64), level_num)
    moment_cat, period_cat = _moment_cats(period, level_num)
    test_level = np.where((level_num >= 1) & (level_num <= 8), level_num, np.nan).astype(np.float64)

    # school year per record
    sy_r = sy_col.take(rec_row) if G > 1 else sy_col
    miss = sy_r.isna()
    if miss.any():
        yrs_u = date_u.astype("datetime64[Y]").astype(np.int64) + 1970
        start_u = np.where(date_month_u < 8, yrs_u - 1, yrs_u)
        start = start_u[date_codes_r]
        okd = ~date_nat_u[date_codes_r] & miss
        if okd.any():
            lo = int(start[okd].min())
            hi = int(start[okd].max())
            cats = [f"{y}-{y + 1}" for y in range(lo, hi + 1)]
            sy_r = sy_r.fill(Coded(np.where(okd, np.clip(start - lo, 0, hi - lo), -1).astype(np.int64), cats))
        if sy_text:
            sy_r = sy_r.fill_value(sy_text)
    school_year_cat = sy_r.categorical()

    # row-level reasons onto records (higher precedence last)
    row_reason[groep_bad] = R[lr.REASON_BAD_GROEP]
    row_reason[date_bad] = R[lr.REASON_BAD_DATE]
    row_reason[no_pupil] = R[lr.REASON_NO_PUPIL]
    row_reason[rep_header] = R[lr.REASON_REPEATED_HEADER]
    row_reason[summary] = R[lr.REASON_SUMMARY]
    row_reason[empty] = R[lr.REASON_EMPTY]
    rr = row_reason[rec_row] if G > 1 else row_reason
    reason = np.where(rr > 0, rr, reason).astype(np.int8)

    if assumed and missing_scale.any():
        n_assumed = int(((missing_scale[rec_row] if G > 1 else missing_scale) & (reason == 0)).sum())
        if n_assumed:
            notes.append(f"geen toetsversie gevonden: schaal {default_scale} aangenomen voor {n_assumed} resultaten")
    subj_all = Coded.concat([p["subject"] for p in rec_parts])
    rec = {
        "school": school_cat if G == 1 else pd.Categorical.from_codes(np.asarray(school_cat.codes)[rec_row], categories=school_cat.categories),
        "school_year": school_year_cat,
        "groep": groep_r,
        "class_name": class_cat if G == 1 else pd.Categorical.from_codes(np.asarray(class_cat.codes)[rec_row], categories=class_cat.categories),
        "subject": subj_all.categorical(),
        "test_name": test_cat if G == 1 else pd.Categorical.from_codes(np.asarray(test_cat.codes)[rec_row], categories=test_cat.categories),
        "scale": (row_scale if G == 1 else row_scale.take(rec_row)).categorical(),
        "moment": moment_cat,
        "period": period_cat,
        "test_level": test_level,
        "date": date_r,
        "score": arr_concat("score"),
        "level": cat_concat("level"),
        "percentile": arr_concat("percentile"),
        "func_level": cat_concat("func_level"),
        "dle": arr_concat("dle"),
    }
    raw.__dict__.pop("_factors", None)  # free the per-row codes (made again if names are needed later)
    return Parsed(
        raw=raw, kind=kind, n_rows=n, row_numbers=raw.rows, row_pid=row_pid, unresolved=unresolved,
        unresolved_keys=unresolved_keys, row_reason=row_reason, rec_row=rec_row, rec_reason=reason, rec=rec,
        background=background, notes=notes, numbered_names=numbered_names,
    )
