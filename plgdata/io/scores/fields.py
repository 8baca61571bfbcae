"""Step 3 of reading a table: the test fields of each row (groep, class, date, moment,
school year, test name, subject, scale), from columns, the mapping's fixed values, the
dialect's rules and the title or file name, in that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from plgdata.io.scores.cleaning import (
    BAD,
    EMPTY,
    NON_RESULTS,
    OK,
    Coded,
    Factor,
    clean,
    groep_from_class,
    parse_date,
    parse_groep,
    parse_groep_class,
    parse_moment,
    parse_school_year,
)
from plgdata.io.scores.context import TableContext, empty_codes
from plgdata.model.vocabulary import PERIOD_CODE, scale_of, stated_scale, stated_subject, subject_of, version_year


@dataclass
class RowFields:
    """The test fields of each table row."""

    groep: np.ndarray  # float, NaN = unknown
    groep_bad: np.ndarray
    class_cat: pd.Categorical
    date_u: np.ndarray  # distinct dates
    date_codes: np.ndarray
    date_bad: np.ndarray
    m_period: np.ndarray  # 0 none, 1 B, 2 M, 3 E
    m_level: np.ndarray  # 0 none
    sy_col: Coded  # school year from a column
    sy_text: str | None  # school year from a fixed value, the title or the file name
    test_cat: pd.Categorical
    subject: Coded
    fixed_subject: str | None
    file_subject: str | None
    scale: Coded
    scale_missing: np.ndarray
    default_scale: str | None
    scale_assumed: bool

    @property
    def date(self) -> np.ndarray:
        return self.date_u[self.date_codes]


def _combination_groepen(gf: Factor) -> set[str]:
    """The groep column's values that are a combination class ("5/6", "Groep 5/6")."""
    return {u for u in gf.uniques if parse_groep(u)[1] == EMPTY and clean(u).lower() not in NON_RESULTS}


def _lettered_groepen(gf: Factor) -> dict[str, str]:
    """The groep column's values that also name a class ("Groep 6a" -> "6A")."""
    out = {}
    for u in gf.uniques:
        (_, cls), status = parse_groep_class(u)
        if status == OK and cls:
            out[u] = cls
    return out


def _groep_and_class(ctx: TableContext) -> tuple[np.ndarray, np.ndarray, pd.Categorical]:
    n = ctx.n
    groep = np.full(n, np.nan)
    groep_bad = np.zeros(n, dtype=bool)
    gf = ctx.field_factor("groep")
    if gf is not None:
        gv, gs = gf.lut_pair(parse_groep, dtype=np.float64)
        groep, groep_bad = gv[gf.codes], (gs == BAD)[gf.codes]
    elif "groep" in ctx.fixed:
        g, _ = parse_groep(ctx.fixed["groep"])
        groep[:] = g if g else np.nan
    cf = ctx.field_factor("class_name")
    if cf is not None:
        class_cat = cf.categorical(lambda u: clean(u) or None)
        if np.isnan(groep).any():
            gc = cf.map(lambda u: groep_from_class(u) or np.nan, dtype=np.float64)
            fill = np.isnan(groep) & ~groep_bad
            groep[fill] = gc[fill]
    elif gf is not None and any(classes := (_combination_groepen(gf), _lettered_groepen(gf))):
        combination, lettered = classes
        # a class in the groep column: a combination class ("5/6", its groep follows from the test level)
        # or a groep with a class letter ("Groep 6a", "5b": groep 6, class 6A)
        class_cat = gf.categorical(lambda u: clean(u) if u in combination else lettered.get(u))
        if lettered:
            ctx.notes.append(f'klas gelezen uit de kolom "{ctx.F["groep"]}" (zoals {next(iter(lettered.values()))})')
    else:
        cn = ctx.fixed.get("class_name")
        codes = np.zeros(n, dtype=np.int64) if cn else empty_codes(n)
        class_cat = pd.Categorical.from_codes(codes, categories=[cn] if cn else [])
    return groep, groep_bad, class_cat


def _dates(ctx: TableContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dates as codes into the distinct dates (year and month are computed per distinct date)."""
    date_u = np.array([np.datetime64("NaT")], dtype="datetime64[ns]")
    date_codes = np.zeros(ctx.n, dtype=np.int64)
    date_bad = np.zeros(ctx.n, dtype=bool)
    df_ = ctx.field_factor("date")
    if df_ is not None:
        date_u, ds_u = df_.dates()
        date_codes = df_.codes
        date_bad = (ds_u == BAD)[date_codes]
    elif "date" in ctx.fixed:
        d, _ = parse_date(ctx.fixed["date"])
        if d is not None:
            date_u = np.array([d], dtype="datetime64[ns]")
    return date_u, date_codes, date_bad


_TEST_NAME_MOMENT = re.compile(r"(?<![A-Za-z0-9])([BME])\s?([1-8])(?![0-9])")


def _moment_from_test_name(ctx: TableContext, m_period: np.ndarray, m_level: np.ndarray) -> None:
    """Where no moment was given, the moment inside the test name ("Spelling 3.0 M5" -> M5), before the date."""
    tf = ctx.field_factor("test_name")
    need = m_period == 0
    if tf is None or not need.any():
        return
    found = [_TEST_NAME_MOMENT.search(u) for u in tf.uniques]
    if not any(found):
        return
    per_u = np.array([PERIOD_CODE[m.group(1)] if m else 0 for m in found], dtype=np.int64)
    lvl_u = np.array([int(m.group(2)) if m else 0 for m in found], dtype=np.int64)
    use = need & (per_u[tf.codes] > 0)
    m_period[use] = per_u[tf.codes][use]
    m_level[use] = lvl_u[tf.codes][use]
    ctx.notes.append(f"toetsmoment van {int(use.sum())} resultaat/resultaten gelezen uit de toetsnaam (zoals 'Spelling 3.0 M5')")


_TITLE_MOMENT = re.compile(r"\b(?:begin|midden|medio|einde?)\s*(?:jaargroep|groep|gr\.?)?\s*[1-8]\b", re.IGNORECASE)


def _moment_from_title(ctx: TableContext, m_period: np.ndarray, m_level: np.ndarray) -> None:
    """Where still no moment: the one the title states in words ("Meting: Eind groep 5"), before the date."""
    need = m_period == 0
    found = _TITLE_MOMENT.search(ctx.raw.title or "")
    if found is None or not need.any():
        return
    moment, _ = parse_moment(found.group(0))
    if moment is None or not moment[1]:
        return
    m_period[need], m_level[need] = PERIOD_CODE[moment[0]], moment[1]
    ctx.notes.append(f"toetsmoment {moment[0]}{moment[1]} gelezen uit de titel ('{found.group(0)}')")


def _moment_from_sheet(ctx: TableContext, m_period: np.ndarray, m_level: np.ndarray) -> None:
    """Where still no moment: the one a workbook's sheet names ("M6", "Rekenen E5"), one sheet per moment."""
    need = m_period == 0
    found = _TEST_NAME_MOMENT.search(ctx.raw.sheet or "")
    if found is None or not need.any():
        return
    m_period[need], m_level[need] = PERIOD_CODE[found.group(1)], int(found.group(2))
    ctx.notes.append(f"toetsmoment {found.group(1)}{found.group(2)} gelezen uit de naam van het blad ('{ctx.raw.sheet}')")


def _moment_column(ctx: TableContext) -> tuple[np.ndarray, np.ndarray]:
    """Period code and test level from a moment column or fixed value, else from the test name or the title (zeros where none)."""
    n = ctx.n
    m_period = np.zeros(n, dtype=np.int64)
    m_level = np.zeros(n, dtype=np.int64)
    if "moment" not in ctx.F and "moment" not in ctx.fixed:
        _moment_from_test_name(ctx, m_period, m_level)
        _moment_from_sheet(ctx, m_period, m_level)
        _moment_from_title(ctx, m_period, m_level)
        return m_period, m_level
    mf = ctx.field_factor("moment") or Factor.constant(ctx.fixed["moment"], n)

    def mparse(u):
        v, s = parse_moment(ctx.translate("moment", u))
        return (0, 0, s) if v is None else (PERIOD_CODE[v[0]], v[1] or 0, s)

    res = [mparse(u) for u in mf.uniques]
    moment_bad = 0
    if res:
        m_period = np.array([r[0] for r in res], dtype=np.int64)[mf.codes]
        m_level = np.array([r[1] for r in res], dtype=np.int64)[mf.codes]
        moment_bad = mf.count_where([r[2] == BAD for r in res])
    if moment_bad:
        ctx.notes.append(f"{moment_bad} toetsmoment(en) niet te lezen: afgeleid uit afnamedatum en groep")
    return m_period, m_level


def _school_year(ctx: TableContext) -> tuple[Coded, str | None]:
    raw = ctx.raw
    sy_text = (
        parse_school_year(ctx.fixed.get("school_year", ""))
        or parse_school_year(raw.sheet or "")
        or parse_school_year(raw.title)
        or parse_school_year(raw.file_name)
    )
    sf = ctx.field_factor("school_year")
    return (Coded.from_factor(sf, parse_school_year) if sf is not None else Coded.missing(ctx.n)), sy_text


def _test_names(ctx: TableContext) -> pd.Categorical:
    tf = ctx.field_factor("test_name")
    if tf is not None:
        return tf.categorical(lambda u: clean(u) or None)
    if "test_name" in ctx.fixed:
        return pd.Categorical([ctx.fixed["test_name"]] * ctx.n)
    return pd.Categorical.from_codes(empty_codes(ctx.n), categories=[])


def _file_subjects(ctx: TableContext) -> tuple[str | None, str | None]:
    """``(subject of the mapping file or the sheet, subject named by the file name or title)``."""
    raw, d = ctx.raw, ctx.dialect
    fixed_subject = None
    if "subject" in ctx.fixed:
        fixed_subject = stated_subject(ctx.fixed["subject"])
    if fixed_subject is None and d is not None and raw.sheet:
        fixed_subject = d.sheet_subject(raw.sheet)
    if fixed_subject is None and raw.sheet and not any(k in ctx.F for k in ("subject", "test_name")):
        # one sheet per subject without a test column: the sheet's name is the subject ("Rekenen", "BL M6")
        fixed_subject = subject_of(raw.sheet)
        if fixed_subject:
            ctx.notes.append(f"vak {fixed_subject} gelezen uit de naam van het blad ('{raw.sheet}')")
    file_subject = subject_of(raw.file_name.rsplit(".", 1)[0]) or subject_of(raw.title)
    return fixed_subject, file_subject


def _row_subjects(ctx: TableContext) -> Coded:
    """Subject per row from the subject column, else from the test name."""
    row_subject = Coded.missing(ctx.n)
    unknown: set[str] = set()
    sf = ctx.field_factor("subject")
    if sf is not None:

        def subj(u):
            t = clean(ctx.translate("subject", u))
            if not t:
                return None
            s = subject_of(t)
            if s is None:
                unknown.add(t)
                return t.lower()
            return s

        row_subject = Coded.from_factor(sf, subj)
    tf = ctx.field_factor("test_name")
    if tf is not None:
        from_test = Coded.from_factor(tf, lambda u: subject_of(ctx.translate("subject", u)))
        row_subject = row_subject.fill(from_test) if sf is not None else from_test
    if unknown:
        ctx.notes.append("onbekende vakken overgenomen zoals ze in het bestand staan: " + ", ".join(sorted(unknown)[:5]))
    return row_subject


#: a bare test generation in a version column: "2", "3", "2.0"
_GENERATION = re.compile(r"^[23](?:[.,]0)?$")


def _scales(ctx: TableContext) -> tuple[Coded, np.ndarray, str | None, bool]:
    """Scale per row: scale column, test name, mapping file, dialect's scale rule (in that order)."""
    default_scale, assumed = ctx.dialect.default_scale(ctx.info)
    if "scale" in ctx.fixed:
        default_scale, assumed = stated_scale(ctx.fixed["scale"]), False
    row_scale = Coded.missing(ctx.n)

    def stated(u: str) -> str | None:
        """The scale a test name or version states: named, or a version year (never assumed)."""
        u = ctx.translate("scale", u)
        s = scale_of(u)
        if s is None and version_year(u):
            s = ctx.dialect.version_scale(version_year(u))
        return s

    # only the vendor of the default scale ("Cito", "Cito LVS"): no version stated, the default is assumed
    vendor = default_scale.split()[0].lower() if default_scale and assumed else None

    def column(u: str) -> str | None:
        t = clean(u)
        if _GENERATION.match(t) and vendor == "cito":
            t = f"{t[0]}.0"  # a bare generation ("2", "3") in a Cito file's version column
        return stated(t) or (None if not t or t.lower().split()[0] == vendor else t)

    sf = ctx.field_factor("scale")
    if sf is not None:
        row_scale = Coded.from_factor(sf, column)
        if not row_scale.isna().all():
            ctx.notes.append(
                f'schaal per regel gelezen uit de kolom "{ctx.F["scale"]}" ({", ".join(map(str, row_scale.cats[:4]))})'
            )
    tf = ctx.field_factor("test_name")
    if tf is not None:
        from_test = Coded.from_factor(tf, stated)
        row_scale = row_scale.fill(from_test) if sf is not None else from_test
    missing = row_scale.isna()
    if missing.any():
        row_scale = row_scale.fill_value(default_scale)
    return row_scale, missing, default_scale, assumed


def unknown_subject_note(ctx: TableContext, rf: RowFields, missing: np.ndarray) -> str | None:
    """'vak onbekend': the test names (or subject texts) that said no subject, and the mapping line that fixes it."""
    codes = np.asarray(rf.test_cat.codes)[missing]
    names = [str(rf.test_cat.categories[c]) for c in np.unique(codes[codes >= 0])]
    sf = ctx.field_factor("subject")
    if not names and sf is not None:
        names = sorted({clean(sf.uniques[c]) for c in np.unique(sf.codes[missing])} - {""})
    if not names:
        return (
            f"vak onbekend bij {int(missing.sum())} resultaat/resultaten: geen kolom Vak of Toets en geen vak in de "
            'bestandsnaam; geef het vak in een koppelbestand, bijvoorbeeld  subject: "rekenen-wiskunde"'
        )
    lines = "".join(f'\n    "{n}": ...' for n in names[:5])
    return (
        f"vak onbekend bij {int(missing.sum())} resultaat/resultaten, toets {', '.join(repr(n) for n in names[:5])}: "
        f"zet in het koppelbestand welk vak dat is (bijvoorbeeld begrijpend lezen):\nwaarden:\n  vak:{lines}"
    )


def row_fields(ctx: TableContext) -> RowFields:
    """Every test field of each row."""
    groep, groep_bad, class_cat = _groep_and_class(ctx)
    date_u, date_codes, date_bad = _dates(ctx)
    m_period, m_level = _moment_column(ctx)
    sy_col, sy_text = _school_year(ctx)
    test_cat = _test_names(ctx)
    fixed_subject, file_subject = _file_subjects(ctx)
    subject = _row_subjects(ctx)
    scale, scale_missing, default_scale, assumed = _scales(ctx)
    return RowFields(
        groep,
        groep_bad,
        class_cat,
        date_u,
        date_codes,
        date_bad,
        m_period,
        m_level,
        sy_col,
        sy_text,
        test_cat,
        subject,
        fixed_subject,
        file_subject,
        scale,
        scale_missing,
        default_scale,
        assumed,
    )
