"""Doorstroomtoets results (ROUTE 8, IEP, Cito/Leerling in beeld and the other admitted tests) and the plain long file.

The Inspectie's indicator (:mod:`plgdata.analysis.indicator`) uses the referentieniveaus of
the doorstroomtoets in groep 8.  Schools get them from the toets's portal as a group list,
one row per pupil, with (names vary per vendor and year):

* a **referentieniveau per subject**: ``Lezen``, ``Referentieniveau taalverzorging``,
  ``Rekenen (ref.niveau)`` ... holding ``1F``, ``2F``, ``1S``, ``<1F``, ``niet behaald``;
* the **eindscore** (``Standaardscore`` 100–300 for ROUTE 8, ``IEP score``, ``Toetsscore``):
  one number over the whole toets, *not* a subject score and never read as a level;
* the **toetsadvies** (``HAVO/VWO``): a school-type advice, *not* a level;
* **vrijgesteld / ontheffing**: pupils who meet the exemption grounds (art. 10a lid 3 WPO).

A school may also give a **plain long file** with one row per pupil and subject:
``Leerlingnummer;Schooljaar;Vak;Referentieniveau`` (plus an optional ``Ontheffing``).

The file is read by the package's one reader (:func:`plgdata.io.scores.core.read_tables`:
sniffer, encoding, title rows, Excel); this module only says which column is what.  Pupil
numbers are pseudonymised at the door; names are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from plgdata.io.columns import HEADER_VARIANTS
from plgdata.io.errors import ReadError
from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.io.scores.cleaning import BAD, parse_date, parse_level, parse_number, parse_school_year
from plgdata.io.sniff import CODECS
from plgdata.model.schema import school_year_of
from plgdata.model.vocabulary import DOORSTROOM_SUBJECT_WORDS as _SUBJECT_WORDS
from plgdata.model.vocabulary import DOORSTROOM_VENDORS as _VENDORS
from plgdata.model.vocabulary import normalise_header

__all__ = ["DoorstroomData", "NotDoorstroomError", "read_doorstroom"]

_SCORE_WORDS = ("score", "vaardigheid", "ontwikkel", "percentiel", "aantal", "goed")
_EINDSCORE = {
    "standaardscore",
    "eindscore",
    "toetsscore",
    "totaalscore",
    "score",
    "iepscore",
    "doorstroomtoetsscore",
    "schoolscore",
    "route8score",
    "diascore",
}
_EXEMPT = ("ontheffing", "vrijgesteld", "vrijstelling", "uitzondering", "ontheffingsgrond", "telt niet mee")
_NOT_EXEMPT = {"", "nee", "n", "0", "false", "onwaar", "-", "nvt", "n.v.t.", "geen"}
#: words doorstroomtoets lists use for a level beside the vocabulary's (model.vocabulary.REF_LEVEL_WORDS)
_EXTRA_LEVELS = {
    "niet behaald": "onder 1F",
    "niet gehaald": "onder 1F",
    "1f niet behaald": "onder 1F",
    "lager dan 1f": "onder 1F",
    "onder 1 f": "onder 1F",
    "geen": "onder 1F",
    "geen niveau": "onder 1F",
    "geen referentieniveau": "onder 1F",
    "1s/2f": "2F/1S",
}
#: headers that help the one sniffer find the header row of a doorstroomtoets list
KNOWN_HEADERS = frozenset(
    {
        "Standaardscore",
        "Eindscore",
        "Toetsscore",
        "Toetsadvies",
        "Advies",
        "Ontheffing",
        "Vrijgesteld",
        "Lezen",
        "Taalverzorging",
        "Rekenen",
        "Referentieniveau",
        "Vak",
    }
)


class NotDoorstroomError(ReadError):
    """The file has no referentieniveau per subject: not a doorstroomtoets list (perhaps an LVS export)."""


@dataclass
class DoorstroomData:
    """Doorstroomtoets results as an indicator results table, plus what else each pupil's row holds."""

    results: pd.DataFrame  # pupil_id, school_year, subject, level, exempt, source
    pupils: pd.DataFrame  # pupil_id, school_year, eindscore, toetsadvies, exempt, toets
    kinds: list[str] = field(default_factory=list)  # per file: 'ROUTE 8 (2024-2025)', ...
    notes: list[str] = field(default_factory=list)


@dataclass
class _Columns:
    number: str | None = None
    school_year: str | None = None
    date: str | None = None
    subjects: dict[str, str] = field(default_factory=dict)  # column -> indicator subject
    subject_scores: list[str] = field(default_factory=list)
    eindscore: str | None = None
    advice: str | None = None
    exempt: str | None = None
    subject: str | None = None  # long file
    level: str | None = None  # long file
    lvs: list[str] = field(default_factory=list)  # columns only an LVS export has (test name, ability score ...)
    school: str | None = None  # School, BRIN, Vestiging: files with several schools


def _variants(field_name: str) -> set[str]:
    return {normalise_header(v) for v in HEADER_VARIANTS.get(field_name, ())}


def _subject_of(norm: str) -> str | None:
    return next((s for w, s in _SUBJECT_WORDS if w in norm), None)


def _recognise(headers: list[str]) -> _Columns:
    """Which column is what (first match wins; headers compared normalised)."""
    c = _Columns()
    numbers, years, dates = _variants("raw_number") | {"leerlingid"}, _variants("school_year"), _variants("date")
    lvs = (
        _variants("test_name")
        | _variants("moment")
        | _variants("percentile")
        | _variants("func_level")
        | {"vaardigheidsscore", "vs"}
    )
    schools = _variants("school") | {"brin", "brinnummer", "brincode", "vestigingsnummer", "brinvestiging"}
    for h in headers:
        n = normalise_header(h)
        if n in lvs:
            c.lvs.append(h)
        elif n in schools and c.school is None:
            c.school = h
        elif n in numbers and c.number is None:
            c.number = h
        elif n in years and c.school_year is None:
            c.school_year = h
        elif n in dates and c.date is None:
            c.date = h
        elif any(w.replace(" ", "") in n for w in _EXEMPT) and c.exempt is None:
            c.exempt = h
        elif "advies" in n and c.advice is None:
            c.advice = h
        elif n in ("vak", "vakgebied", "domein", "onderdeel") and c.subject is None:
            c.subject = h
        elif n in ("referentieniveau", "niveau", "refniveau", "behaaldniveau") and c.level is None:
            c.level = h
        elif _subject_of(n) and any(w in n for w in _SCORE_WORDS):
            c.subject_scores.append(h)
        elif _subject_of(n):
            c.subjects.setdefault(h, _subject_of(n))
        elif (n in _EINDSCORE or n.endswith("score")) and c.eindscore is None:
            c.eindscore = h
    return c


def _level(text: str) -> str | None:
    t = re.sub(r"\s+", " ", str(text).strip().lower())
    if t in _EXTRA_LEVELS:
        return _EXTRA_LEVELS[t]
    level, status = parse_level(t)
    return None if status == BAD else level


def _is_exempt(values: pd.Series) -> np.ndarray:
    return np.array([str(v).strip().lower() not in _NOT_EXEMPT for v in values], dtype=bool)


def _frame(table) -> pd.DataFrame:
    """A raw table's cells as text (single-byte encodings decoded)."""
    df = table.table.to_pandas()
    df.columns = table.headers
    if table.encoding:
        codec = CODECS.get(table.encoding, table.encoding)
        for col in df.columns:
            df[col] = [v.decode(codec, errors="replace") if isinstance(v, bytes | bytearray) else v for v in df[col]]
    return df.fillna("").astype(str)


def _vendor(table, cols: _Columns) -> str:
    names = " ".join([table.title, table.file_name, table.sheet or "", *table.headers]).lower()
    names = re.sub(r"[^a-z0-9]+", " ", names)
    squeezed = names.replace(" ", "")
    return next(
        (label for word, label in _VENDORS if (re.search(rf"\b{word}\b", names) if len(word) <= 4 else word in squeezed)),
        "doorstroomtoets",
    )


def _school_year(text: str) -> str | None:
    """``'2024-2025'``, ``'2024/25'`` -> ``'2024-2025'``; a bare year is the toets's (spring) year: ``'2025'`` -> ``'2024-2025'``."""
    year = parse_school_year(text)
    if year is None and re.fullmatch(r"\s*20\d{2}\s*", str(text)):
        y = int(str(text).strip())
        year = f"{y - 1}-{y}"
    return year


def _school_years(df: pd.DataFrame, cols: _Columns, table) -> pd.Series:
    """School year per row: its column, else its test date, else the title or file name."""
    if cols.school_year is not None:
        years = df[cols.school_year].map(_school_year)
        bad = sorted({str(v) for v, y in zip(df[cols.school_year], years) if y is None})
        if bad:
            raise ReadError(
                f"In {table.source} is het schooljaar niet te lezen in de kolom '{cols.school_year}': {', '.join(bad[:5])}. "
                "Schrijf het als 2024-2025 (of 2024/2025, of het jaar van de toets: 2025)."
            )
        return years
    if cols.date is not None:
        return school_year_of(pd.Series([parse_date(v)[0] for v in df[cols.date]], index=df.index, dtype="datetime64[ns]"))
    year = parse_school_year(table.title) or parse_school_year(table.file_name)
    if year is None:
        raise ReadError(
            f"In {table.source} staat geen schooljaar: geen kolom Schooljaar of Afnamedatum, en ook niet in de titel of "
            "de bestandsnaam. Zet het schooljaar in de bestandsnaam (bijvoorbeeld route8_2024-2025.csv) of voeg een "
            "kolom Schooljaar toe."
        )
    return pd.Series(year, index=df.index)


def _pupil_ids(df: pd.DataFrame, cols: _Columns, table, pseudo: Pseudonymiser) -> pd.Series:
    """Pseudonyms of the pupil numbers; without numbers each row is its own pupil (wide lists only)."""
    if cols.number is not None:
        ids = [pseudo.from_number(v) for v in df[cols.number]]
        return pd.Series([i if i else f"{table.source}:rij{k}" for k, i in enumerate(ids)], index=df.index)
    if cols.subject is not None:
        raise ReadError(
            f"In {table.source} staat geen kolom met het leerlingnummer (bijvoorbeeld Leerlingnummer); "
            "in een lange tabel is die nodig om de vakken van één leerling bij elkaar te houden."
        )
    return pd.Series([f"{table.source}:rij{k}" for k in range(len(df))], index=df.index)


def _table_results(table, pseudo: Pseudonymiser) -> tuple[pd.DataFrame, pd.DataFrame, str, list[str]]:
    """One table: its results (one row per pupil and subject), its pupils' other columns, vendor, notes."""
    cols = _recognise(table.headers)
    long = cols.subject is not None and cols.level is not None
    if cols.lvs or (not cols.subjects and not long):
        raise NotDoorstroomError(
            f"In {table.source} staat geen referentieniveau per vak (kolommen Lezen, Taalverzorging, Rekenen, of Vak en "
            f"Referentieniveau; zonder toetsnaam of vaardigheidsscore, die een LVS-export heeft). "
            f"Gevonden kolommen: {', '.join(h for h in table.headers if h)}."
        )
    df = _frame(table)
    df = df[[any(str(v).strip() for v in r) for r in df.itertuples(index=False)]]
    base = pd.DataFrame(
        {
            "pupil_id": _pupil_ids(df, cols, table, pseudo).to_numpy(),
            "school_year": _school_years(df, cols, table).to_numpy(),
            "exempt": _is_exempt(df[cols.exempt]) if cols.exempt is not None else np.zeros(len(df), dtype=bool),
            "school": df[cols.school].str.strip().to_numpy() if cols.school is not None else "",
        }
    )
    vendor = "lange tabel" if long else _vendor(table, cols)
    if long:
        subj = [_subject_of(normalise_header(v)) for v in df[cols.subject]]
        results = base.assign(subject=subj, level=[_level(v) for v in df[cols.level]])
    else:
        parts = [base.assign(subject=s, level=[_level(v) for v in df[c]]) for c, s in cols.subjects.items()]
        results = pd.concat(parts, ignore_index=True)
    notes = _table_notes(table, cols, results, long)
    results = results[results["subject"].notna()].assign(source="doorstroomtoets")
    pupils = base.assign(
        eindscore=[parse_number(v)[0] for v in df[cols.eindscore]] if cols.eindscore else np.nan,
        toetsadvies=df[cols.advice].to_numpy() if cols.advice else "",
        toets=vendor,
    ).drop_duplicates(["pupil_id", "school_year"])
    return results, pupils, vendor, notes


def _table_notes(table, cols: _Columns, results: pd.DataFrame, long: bool) -> list[str]:
    """What was read from where, in Dutch: the eindscore and the advice are named as not-a-level."""
    notes = []
    if not long:
        notes.append(
            f"{table.source}: referentieniveaus uit de kolommen " + ", ".join(f"{c} ({s})" for c, s in cols.subjects.items())
        )
    if cols.eindscore:
        notes.append(f"{table.source}: '{cols.eindscore}' is de eindscore van de hele toets, geen vakscore: niet in de indicator")
    if cols.advice:
        notes.append(
            f"{table.source}: '{cols.advice}' is het toetsadvies (schoolsoort), geen referentieniveau: niet in de indicator"
        )
    if cols.subject_scores:
        notes.append(f"{table.source}: vakscores ({', '.join(cols.subject_scores)}) gelezen als score, niet als niveau")
    no_subject = int(results["subject"].isna().sum())
    if no_subject:
        notes.append(f"{table.source}: {no_subject} regel(s) met een ander vak dan lezen, taalverzorging of rekenen overgeslagen")
    unreadable = int((results["subject"].notna() & results["level"].isna()).sum())
    if unreadable:
        notes.append(f"{table.source}: {unreadable} vakresultaat/-resultaten zonder leesbaar referentieniveau")
    return notes


def read_doorstroom(paths, *, key_file=None, secret: bytes | None = None) -> DoorstroomData:
    """Read doorstroomtoets lists (or plain long files) into one indicator results table.

    Raises :class:`NotDoorstroomError` for a file without a referentieniveau per subject
    (the caller may then read it as an LVS export) and :class:`ReadError` for anything else,
    both with a Dutch message.
    """
    from plgdata.io.scores.core import read_tables

    pseudo = Pseudonymiser(key_file, secret=secret) if secret is not None else Pseudonymiser(key_file)
    results, pupils, kinds, notes = [], [], [], []
    for p in [Path(x) for x in (paths if isinstance(paths, list | tuple) else [paths])]:
        tables, file_notes = read_tables(p, known=KNOWN_HEADERS)
        notes += [f"{p.name}: {n}" for n in file_notes]
        for t in tables:
            r, pu, vendor, n = _table_results(t, pseudo)
            results.append(r)
            pupils.append(pu)
            years = ", ".join(sorted({str(y) for y in r["school_year"].dropna()}))
            kinds.append(f"{t.source}: {vendor} ({years or 'schooljaar onbekend'})")
            notes += n
    pseudo.save()
    return DoorstroomData(pd.concat(results, ignore_index=True), pd.concat(pupils, ignore_index=True), kinds, notes)
