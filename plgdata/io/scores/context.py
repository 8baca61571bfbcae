"""Step 1 of reading a table: which column is what (layout, mapping file) and whose dialect it is.

:func:`open_table` returns a :class:`TableContext` that the later steps (rows, fields,
results; see :mod:`plgdata.io.scores.tables`) read from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from plgdata.io import dialects
from plgdata.io.dialects import Dialect, TableInfo
from plgdata.io.scores.cleaning import (
    BAD,
    OK,
    Factor,
    clean,
    parse_date,
    parse_dle,
    parse_groep,
    parse_level,
    parse_moment,
    parse_number,
    parse_percent,
    parse_school_year,
)
from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.layout import Layout, field_of_header, recognise
from plgdata.io.scores.mapping import Mapping, mapping_template
from plgdata.io.scores.rawtable import RawTable
from plgdata.io.scores.spread import Spread, fold_hint, spread_out
from plgdata.io.sniff import is_summary_label
from plgdata.model.labels import ROLE_LABELS
from plgdata.model.parsing import is_bsn
from plgdata.model.vocabulary import normalise_header, scale_of

KIND_PUPILS = "leerlinggegevens"
KIND_MAPPED = "met koppelbestand"


@dataclass
class TableContext:
    """One table, recognised: its layout, the mapping's fixed values, its dialect and notes."""

    raw: RawTable
    lay: Layout
    fixed: dict[str, str]
    kind: str
    dialect: Dialect | None  # None for a pupil list (no results)
    info: TableInfo
    school: str | None = None
    notes: list[str] = field(default_factory=list)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # the mapping file's value maps
    month_periods: tuple[str | None, ...] | None = None  # the mapping file's test windows, else the dialect's
    spread: list[Spread] = field(default_factory=list)  # a result spread over several rows or cells, put together

    def translate(self, name: str, text: str) -> str:
        """``text`` as the mapping file says field ``name`` means it (unchanged when it says nothing)."""
        table = self.values.get(name)
        return table.get(clean(text).lower(), text) if table else text

    @property
    def n(self) -> int:
        return self.raw.table.num_rows

    @property
    def F(self) -> dict[str, str]:
        return self.lay.fields

    def factor(self, column: str) -> Factor:
        """The column as codes into its distinct texts (made once per table)."""
        return factor(self.raw, column)

    def field_factor(self, name: str) -> Factor | None:
        """The factor of the column holding field ``name``, None when there is none."""
        return self.factor(self.F[name]) if name in self.F else None


def factor(raw: RawTable, name: str) -> Factor:
    cache = raw.__dict__.setdefault("_factors", {})
    f = cache.get(name)
    if f is None:
        f = cache[name] = Factor(raw.table.column(name), raw.encoding)
    return f


def forget_factors(raw: RawTable) -> None:
    """Free the per-row codes (made again if names are needed later)."""
    raw.__dict__.pop("_factors", None)


def _col(raw: RawTable, name: str) -> pa.Array:
    c = raw.table.column(name)
    return c.combine_chunks() if c.num_chunks != 1 else c.chunk(0)


def prefetch(raw: RawTable, names: list[str]) -> None:
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


def not_recognised(raw: RawTable, lay: Layout) -> ReadError:
    """The Dutch error for a file whose columns say nothing we know, with a mapping template."""
    missing = []
    if not lay.has_identity:
        missing.append("geen kolom met de leerling (leerlingnummer, of naam en geboortedatum)")
    if not lay.has_result:
        missing.append("geen kolom met een resultaat (vaardigheidsscore, niveau of percentiel)")
    cols = ", ".join(f'"{h}"' for h in raw.headers)
    tmpl = mapping_template(raw.headers)
    rs = lay.fields.get("number_correct")
    raw_score = (
        f'De kolom "{rs}" is een ruwe score (aantal goed), geen vaardigheidsscore: plgdata neemt een ruwe score '
        "nooit als score. Exporteer de vaardigheidsscore (VS) mee. "
        if rs and not lay.has_result
        else ""
    )
    hint = fold_hint(raw, lay) if not lay.has_result else None
    msg = (
        f"Het bestand {raw.source} is niet herkend als export met toetsresultaten: {' en '.join(missing)}. "
        + (f"Een regel per gegeven? De {hint}. " if hint else "")
        + f"Gevonden kolommen: {cols}{header_row_text(raw)}. {raw_score}"
        "Maak een koppelbestand (YAML) waarin staat welke kolom wat is, en lees opnieuw in: "
        f"{HOW_TO_MAP}. Een leeg koppelbestand om in te vullen:\n\n" + tmpl
    )
    return ReadError(msg, columns=list(raw.headers), mapping_template=tmpl)


#: how a teacher gives a mapping file, in every message that asks for one
HOW_TO_MAP = 'in notebook 00 met koppeling = "koppeling.yaml" bovenaan, of op de opdrachtregel met --koppeling koppeling.yaml'


def header_row_text(raw: RawTable) -> str:
    """`` (kopregel: regel 3)``: which row was taken as the header (the last one of a merged header)."""
    first = min([int(r) for r in raw.rows[:1]] + list(raw.bad_rows[:1]), default=None)
    return f" (kopregel: regel {first - 1})" if first is not None and first > 1 else ""


#: an unrecognised column that looks like a result (a moment, VS, Niv ...) is worth a note
_RESULT_LIKE = re.compile(r"(?<![A-Za-z])[BME]\s?[1-8](?!\d)|\b(vs|niv|niveau|score|pc)\b", re.IGNORECASE)


def _unknown_result_columns(raw: RawTable, lay: Layout) -> list[str]:
    cols = [c for c in lay.unknown if _RESULT_LIKE.search(c)]
    if not cols:
        return []
    return [
        "kolommen die op resultaten lijken maar niet zijn herkend (niet ingelezen): "
        + ", ".join(f'"{c}"' for c in cols[:8])
        + header_row_text(raw)
        + "; zet ze zo nodig in een koppelbestand"
    ]


def _layout(raw: RawTable, mapping: Mapping | None) -> tuple[Layout, dict[str, str], bool]:
    """The layout, the mapping's fixed values and whether the mapping applies to this table."""
    cols_map, fixed, applies = ({}, {}, False)
    if mapping is not None:
        cols_map, fixed, applies = mapping.for_headers(raw.headers)
    wide = mapping.wide if mapping is not None else None
    ignore = mapping.ignore if mapping is not None else frozenset()
    lay = recognise(raw.headers, cols_map if applies else None, fixed if applies else None, wide if applies else None, ignore)
    if mapping is not None and not applies:
        if not (lay.has_identity and lay.has_result) and fixed:
            # not recognised on its own: use the mapping's fixed values too
            lay = recognise(raw.headers, cols_map, fixed, wide, ignore)
            applies = lay.has_identity and lay.has_result
        if not applies:
            fixed = {}
            lay = recognise(raw.headers)
    return lay, fixed, applies


def _ambiguous_score(raw: RawTable, lay: Layout) -> ReadError:
    cols = ", ".join(f'"{h}"' for h in lay.ambiguous_scores)
    example = f'score: "{lay.ambiguous_scores[0]}"'
    return ReadError(
        f"In {raw.source} kunnen meer kolommen de score zijn ({cols}) en geen regel kiest er één. "
        "plgdata neemt nooit zomaar de eerste. Zeg in een koppelbestand welke kolom de vaardigheidsscore is, "
        f"bijvoorbeeld:\n\n{example}\n\nen lees opnieuw in: {HOW_TO_MAP}.",
        columns=list(raw.headers),
        mapping_template=mapping_template(raw.headers),
    )


def _score_notes(lay: Layout) -> list[str]:
    """What the load report says about the score rule (several candidates, a raw score)."""
    notes = []
    if lay.other_scores:
        notes.append(
            f'meer kolommen kunnen de score zijn: "{lay.fields["score"]}" is als score genomen '
            f"(regel: vaardigheidsscore gaat voor ontwikkelscore, standaardscore en 'Score'); niet gebruikt: "
            + ", ".join(f'"{h}"' for h in lay.other_scores)
        )
    if "number_correct" in lay.fields and "score" in lay.fields:
        notes.append(
            f'ruwe score "{lay.fields["number_correct"]}" (aantal goed) niet als score gebruikt: '
            f'de vaardigheidsscore "{lay.fields["score"]}" is de score'
        )
    elif "number_correct" in lay.fields and not lay.wide:
        notes.append(
            f'ruwe score "{lay.fields["number_correct"]}" (aantal goed) niet ingelezen: een ruwe score is nooit de score '
            "en er is geen vaardigheidsscore; exporteer de vaardigheidsscore (VS) mee"
        )
    return notes


def _numbers_in_name_column(raw: RawTable, lay: Layout) -> list[str]:
    """A "Leerling"/"Naam" column holding only numbers is the pupil number (decided from its distinct values)."""
    F = lay.fields
    if "raw_number" in F or "raw_name" not in F or any(k in F for k in ("raw_first_name", "raw_last_name")):
        return []
    values = [clean(u) for u in factor(raw, F["raw_name"]).uniques]
    values = [v for v in values if v and not is_summary_label(v) and normalise_header(v) != normalise_header(F["raw_name"])]
    if not values or not all(v.isascii() and v.isdigit() for v in values):
        return []
    F["raw_number"] = F.pop("raw_name")
    return [f'kolom "{F["raw_number"]}" bevat alleen nummers: gelezen als leerlingnummer']


def _content_values(raw: RawTable, column: str) -> list[str]:
    """The distinct, non-empty texts of a column (summary labels and a repeated header left out)."""
    values = [clean(u) for u in factor(raw, column).uniques]
    return [v for v in values if v and not is_summary_label(v) and normalise_header(v) != normalise_header(column)]


def _dates_by_content(raw: RawTable, lay: Layout) -> list[str]:
    """An unknown column whose values are dates is the test date when the file has no date column.

    Rule: every non-empty value is a date, the header does not say birth ("geb…"), and the column
    has few distinct dates (at most a third of its filled cells): a test is taken on a few days,
    birth dates differ per pupil.  Too few rows to tell: not decided (the preview shows it).
    """
    if "date" in lay.fields or "date" in lay.fixed:
        return []
    for h in lay.unknown:
        if "geb" in normalise_header(h):
            continue
        values = _content_values(raw, h)
        if not values or any(parse_date(v)[1] != OK for v in values):
            continue
        if len(values) > int(np.count_nonzero(_filled_mask(factor(raw, h)))) // 3:
            continue
        lay.fields["date"] = h
        lay.unknown.remove(h)
        return [f'kolom "{h}" bevat datums (herkend aan de inhoud): gelezen als afnamedatum']
    return []


def _filled_mask(f: Factor) -> np.ndarray:
    """Rows whose cell holds text."""
    lut = np.array([bool(clean(u)) for u in f.uniques] + [False])
    return lut[f.codes]


def _moment_or_scale(raw: RawTable, lay: Layout) -> list[str]:
    """A column the header calls a moment ("Normering") but whose values name a scale is the scale,
    and the other way round: the values decide when they clearly say the other role."""
    notes = []
    for here, there, reads in (("moment", "scale", _names_scale), ("scale", "moment", _names_moment)):
        col = lay.fields.get(here)
        if col is None or there in lay.fields:
            continue
        values = _content_values(raw, col)
        if values and all(reads(v) for v in values):
            lay.fields[there] = lay.fields.pop(here)
            word = {"moment": "toetsmoment", "scale": "schaal"}
            notes.append(f'kolom "{col}" bevat een {word[there]}, geen {word[here]} (herkend aan de inhoud)')
    return notes


def _names_scale(v: str) -> bool:
    return parse_moment(v)[1] != OK and scale_of(v) is not None


def _names_moment(v: str) -> bool:
    return parse_moment(v)[1] == OK and scale_of(v) is None


#: role -> a parser whose status says whether a value fits the role
FITS: dict[str, Callable[[str], tuple[object, int]]] = {
    "score": parse_number,
    "percentile": lambda v: parse_percent(v)[:2],
    "dle": parse_dle,
    "date": parse_date,
    "level": parse_level,
    "groep": parse_groep,
    "moment": parse_moment,
    "school_year": lambda v: (None, OK if parse_school_year(v) else BAD),
}
#: share of the judged values that must fit a role for the header to be trusted without a word
FIT_SHARE = 0.8


def fit_share(role: str, values: list[str]) -> float | None:
    """Share of ``values`` that read as ``role`` (non-results such as ``afw`` left out); None when unknown."""
    parse = FITS.get(role)
    statuses = [parse(v)[1] for v in values] if parse is not None else []
    judged = [st for st in statuses if st in (OK, BAD)]
    return sum(st == OK for st in judged) / len(judged) if judged else None


def _mismatches(raw: RawTable, lay: Layout) -> list[str]:
    """Columns whose header names a role their values do not fit (said; the preview marks them 'laag')."""
    notes = []
    for fld, col in lay.fields.items():
        values = _content_values(raw, col)[:1000] if fld in FITS else []  # a sample of the distinct values decides
        share = fit_share(fld, values)
        if share is not None and share < 0.5 and len(values) >= 2:
            bad = next(v for v in values if FITS[fld](v)[1] == BAD)
            notes.append(
                f'kolom "{col}" heet {ROLE_LABELS.get(fld, fld).lower()}, maar de meeste waarden passen daar niet bij '
                f"(zoals '{bad[:20]}'): controleer de kolom in 'Zo heeft plgdata je bestand gelezen' (notebook 00)"
            )
    return notes


def roles_from_content(raw: RawTable, lay: Layout) -> list[str]:
    """Roles the values decide where the header alone does not (each said in the load report)."""
    return _numbers_in_name_column(raw, lay) + _moment_or_scale(raw, lay) + _dates_by_content(raw, lay) + _mismatches(raw, lay)


def _test_names(raw: RawTable, lay: Layout) -> tuple[str, ...]:
    if "test_name" not in lay.fields:
        return ()
    return tuple(u for u in factor(raw, lay.fields["test_name"]).uniques if clean(u))


#: a column is a BSN by content when at least this share of its (at least 3) distinct values
#: are nine digits passing the elfproef and all are eight or nine digits
BSN_SHARE = 0.8


def _is_bsn_column(raw: RawTable, column: str) -> bool:
    values: set[str] = set()
    for u in factor(raw, column).uniques:  # stops at the first value that is no BSN (names, scores ...)
        v = clean(u)
        if v.isascii() and v.isdigit() and len(v) in (8, 9):  # digits are never a summary label
            values.add(v)
        elif v and not is_summary_label(v):
            return False
    if len(values) < 3:
        return False
    return sum(is_bsn(v) for v in values) >= BSN_SHARE * len(values)


def bsn_columns(raw: RawTable) -> list[str]:
    """The columns that hold a BSN: by header (``BSN``, ``Burgerservicenummer``) or by content
    (nine digits passing the elfproef, see :data:`BSN_SHARE`), whatever their header says."""
    named = [h for h in raw.headers if field_of_header(h) == "raw_bsn"]
    others = [h for h in raw.headers if h not in named and field_of_header(h) not in _NEVER_BSN]
    return named + [h for h in others if _is_bsn_column(raw, h)]


#: fields whose values are never a BSN (scores, dates ...): not checked by content
_NEVER_BSN = ("score", "level", "percentile", "date", "test_name", "subject", "moment", "groep", "class_name", "school_year")


def drop_bsn(raw: RawTable) -> list[str]:
    """Remove every BSN column from ``raw`` before anything reads it (never an identity, never stored).

    Returns the load report's notes (empty when there is none).
    """
    cols = bsn_columns(raw)
    if not cols:
        return []
    forget_factors(raw)
    raw.table = raw.table.drop_columns(cols)
    raw.headers = [h for h in raw.headers if h not in cols]
    names = ", ".join(f'"{c}"' for c in cols)
    return [
        f"kolom {names} bevat een burgerservicenummer (BSN): weggelaten bij het inlezen. Een BSN is nooit het "
        "leerlingnummer en wordt nergens bewaard; de leerling wordt herkend aan het leerlingnummer"
    ]


def _duplicates_note(lay: Layout) -> str:
    """Which of two columns for one field was used, and the rule that chose it."""
    parts = []
    for h in lay.duplicates:
        fld = field_of_header(re.sub(r"\s*\(\d+\)$", "", h))
        used = lay.fields.get(fld) if fld else None
        parts.append(f'"{h}" (gebruikt: "{used}")' if used else f'"{h}"')
    return (
        "dubbele kolommen genegeerd: "
        + ", ".join(parts)
        + "; regel: de bekendste kolomnaam gaat voor (Leerlingnummer voor Stamnummer), bij gelijke namen de eerste"
    )


def open_table(raw: RawTable, *, mapping: Mapping | None = None, school: str | None = None) -> TableContext:
    """Recognise one table (raises :class:`ReadError` when it says nothing we know)."""
    lay, fixed, applies = _layout(raw, mapping)
    bsn_notes = drop_bsn(raw)
    if bsn_notes:
        lay, fixed, applies = _layout(raw, mapping)
    spread = spread_out(raw, lay, lambda: _layout(raw, mapping)[0])
    if spread:
        lay, fixed, applies = _layout(raw, mapping)
    if lay.ambiguous_scores:
        raise _ambiguous_score(raw, lay)
    if not lay.has_identity:
        raise not_recognised(raw, lay)
    number_note = roles_from_content(raw, lay)
    F = lay.fields
    prefetch(raw, [raw.headers[0]] + list(F.values()) + [c for g in lay.wide for c in g.columns.values()])
    info = TableInfo(
        headers=tuple(raw.headers),
        fields=dict(F),
        test_names=_test_names(raw, lay),
        title=raw.title,
        file_name=raw.file_name,
        sheet=raw.sheet,
        fixed=dict(fixed),
        wide=bool(lay.wide),
    )
    notes = list(raw.notes) + bsn_notes + [s.text for s in spread] + number_note
    if not lay.has_result:
        if lay.has_test_info or not lay.has_background:
            raise not_recognised(raw, lay)
        dialect, kind = None, KIND_PUPILS
    else:
        dialect = dialects.detect(info)
        kind = dialect.kind(info)
        if applies:
            kind = f"{kind}, {KIND_MAPPED}"
    if applies:
        notes.append(f"kolommen gekoppeld met {mapping.source}")
        absent = [h for h in mapping.wide if h not in raw.headers]
        if absent:
            notes.append(
                f"brede kolommen uit {mapping.source} niet in dit bestand (niet ingelezen): "
                + ", ".join(f'"{h}"' for h in absent[:8])
                + "; controleer de kolomnamen (precies zoals in de kopregel)"
            )
    if lay.duplicates:
        notes.append(_duplicates_note(lay))
    notes.extend(_score_notes(lay))
    notes.extend(_unknown_result_columns(raw, lay))
    return TableContext(
        raw=raw,
        lay=lay,
        fixed=fixed,
        kind=kind,
        dialect=dialect,
        info=info,
        school=school,
        notes=notes,
        values=dict(mapping.values) if mapping is not None else {},
        month_periods=mapping.month_periods if mapping is not None else None,
        spread=spread,
    )


def empty_codes(n: int) -> np.ndarray:
    """Codes of a categorical column with nothing in it."""
    return np.full(n, -1, dtype=np.int64)
