"""Recognising a header: which column holds which field, and the wide overview layout.

Columns are recognised by the known Dutch header variants in :mod:`plgdata.io.columns`.
The wide overview layout (one column group per subject and moment) is recognised
from headers such as ``RW M5``, ``RW M5 VS``, ``BL E5 Niv`` or a two-row header
(``RW M5`` above ``VS | Niv``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from plgdata.io import dialects, sniff
from plgdata.io.columns import VARIANT_INDEX, normalise_header
from plgdata.model.vocabulary import WIDE_ABBREVIATIONS

#: subject abbreviations used in wide overviews -> canonical subject
WIDE_SUBJECTS = WIDE_ABBREVIATIONS

_SUB_FIELDS: dict[str, str] = {
    "": "score",
    "vs": "score",
    "score": "score",
    "vaardigheidsscore": "score",
    "vaardigheid": "score",
    "ontwikkelscore": "score",
    "niv": "level",
    "niveau": "level",
    "nv": "level",
    "pc": "percentile",
    "perc": "percentile",
    "percentiel": "percentile",
    "fn": "func_level",
    "func": "func_level",
    "functioneringsniveau": "func_level",
    "dle": "dle",
    "datum": "date",
    "afnamedatum": "date",
}

_WIDE_RE = re.compile(
    r"^\s*(" + "|".join(sorted(WIDE_SUBJECTS, key=len, reverse=True)) + r")\s*[-_ ]?\s*([BME])\s*[-_ ]?\s*([1-8])\b\s*[-_:.]?\s*(.*?)\s*$",
    re.IGNORECASE,
)

#: fields that say "this row is about one pupil"
IDENTITY_FIELDS = ("raw_number", "raw_name", "raw_last_name", "raw_first_name")
#: fields that hold a result
RESULT_FIELDS = ("score", "level", "percentile")
#: fields that only describe a test (a file with one of these is a results file)
TEST_FIELDS = ("test_name", "moment", "date", "subject", "scale", "func_level", "dle")
#: background fields of a pupil list
BACKGROUND_FIELDS = ("gender", "thuistaal", "instroom", "raw_birth_date")


def wide_header(text: str) -> tuple[str, str, str] | None:
    """``'RW M5 Niv'`` -> ``('rekenen-wiskunde', 'M5', 'level')``; None when not a wide header."""
    m = _WIDE_RE.match(str(text))
    if not m:
        return None
    abbr, period, level, rest = m.groups()
    sub = _SUB_FIELDS.get(normalise_header(rest))
    if sub is None:
        return None
    return WIDE_SUBJECTS[abbr.upper()], period.upper() + level, sub


def wide_group_label(text: str) -> tuple[str, str] | None:
    """``'RW M5'`` (a group label of a two-row header) -> ``('rekenen-wiskunde', 'M5')``."""
    w = wide_header(text)
    if w is None or normalise_header(_WIDE_RE.match(str(text)).group(4)):
        return None
    return w[0], w[1]


def field_of_header(text: object) -> str | None:
    """The field a column header names: a known variant, or one a registered dialect adds."""
    key = normalise_header(text)
    return VARIANT_INDEX.get(key) or dialects.header_variants().get(key)


@functools.lru_cache(maxsize=65536)
def _known_header(c: str, registry_version: int) -> bool:
    return field_of_header(c) is not None or wide_header(c) is not None


def header_score(cells: list[str]) -> int:
    """How many cells of a row look like known headers (used to find the header row)."""
    version = dialects.version()
    return sum(1 for c in cells if c and str(c).strip() and _known_header(str(c), version))


def is_sub_header_row(cells: list[str]) -> bool:
    """A second header row: mostly ``VS``/``Niv``/``Pc`` tokens (two-row wide header)."""
    filled = [c for c in cells if c and str(c).strip()]
    if len(filled) < 2:
        return False
    subs = sum(1 for c in filled if normalise_header(c) in _SUB_FIELDS and normalise_header(c) != "")
    return subs >= max(2, len(filled) // 2)


def combine_two_row_header(top: list[str], sub: list[str]) -> list[str]:
    """Merge a group row (``RW M5`` spanning merged cells) with a sub-header row."""
    n = max(len(top), len(sub))
    top = list(top) + [""] * (n - len(top))
    sub = list(sub) + [""] * (n - len(sub))
    out, group = [], None
    for t, s in zip(top, sub):
        t, s = (t or "").strip(), (s or "").strip()
        if t:
            group = t if wide_group_label(t) else None
        if group and s:
            out.append(f"{group} {s}")
        elif t:
            out.append(t)
        else:
            out.append(s)
    return out


def find_header(rows: list[list[str]]) -> tuple[int, int]:
    """Index of the header row among the first rows and the number of header rows (1 or 2).

    Returns ``(-1, 0)`` when no row looks like a header (fewer than two known headers).
    """
    return sniff.find_header(rows, header_score, is_sub_header_row)


def unique_names(cells: list[str]) -> list[str]:
    """Header cells as unique, non-empty column names."""
    out, seen = [], {}
    for i, c in enumerate(cells):
        name = (str(c).strip() if c is not None else "") or f"kolom {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


@dataclass
class WideGroup:
    subject: str
    moment: str
    columns: dict[str, str] = field(default_factory=dict)  # sub-field -> column name


@dataclass
class Layout:
    """Which column holds which field."""

    fields: dict[str, str] = field(default_factory=dict)
    wide: list[WideGroup] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    fixed: dict[str, str] = field(default_factory=dict)
    other_scores: list[str] = field(default_factory=list)  # score candidates the rule did not take
    ambiguous_scores: list[str] = field(default_factory=list)  # equally good score candidates: refused
    ref_level: str | None = None  # a Referentieniveau column next to a Niveau column: its own record

    @property
    def has_identity(self) -> bool:
        return any(f in self.fields for f in IDENTITY_FIELDS)

    @property
    def has_result(self) -> bool:
        return bool(self.wide) or any(f in self.fields for f in RESULT_FIELDS)

    @property
    def has_test_info(self) -> bool:
        return any(f in self.fields or f in self.fixed for f in TEST_FIELDS)

    @property
    def has_background(self) -> bool:
        return any(f in self.fields for f in BACKGROUND_FIELDS)


def recognise(headers: list[str], column_map: dict[str, str] | None = None, fixed: dict[str, str] | None = None) -> Layout:
    """Map column names to canonical fields (mapping file first, then known variants)."""
    lay = Layout(fixed=dict(fixed or {}))
    taken: set[str] = set()
    for fld, col in (column_map or {}).items():
        if col in headers:
            lay.fields[fld] = col
            taken.add(col)
    groups: dict[tuple[str, str], WideGroup] = {}
    scores: list[str] = []
    for h in headers:
        if h in taken:
            continue
        fld = field_of_header(h)
        if fld is None:
            # de-duplicated names "Naam (2)" keep their base meaning
            base = re.sub(r"\s*\(\d+\)$", "", h)
            fld = field_of_header(base) if base != h else None
        if fld == "score" and "score" not in (column_map or {}):
            scores.append(h)
            continue
        if fld == "level" and normalise_header(h) in _REF_LEVEL_HEADERS and lay.ref_level is None:
            lay.ref_level = h
            continue
        if fld is not None:
            if fld in lay.fields:
                lay.duplicates.append(h)
            else:
                lay.fields[fld] = h
            continue
        w = wide_header(h)
        if w is not None:
            g = groups.setdefault((w[0], w[1]), WideGroup(w[0], w[1]))
            if w[2] not in g.columns:
                g.columns[w[2]] = h
            continue
        lay.unknown.append(h)
    _choose_score(lay, scores)
    if lay.ref_level is not None and "level" not in lay.fields:
        lay.fields["level"], lay.ref_level = lay.ref_level, None  # the only level column
    lay.wide = [g for g in groups.values() if any(k in g.columns for k in RESULT_FIELDS)]
    return lay


#: headers of a referentieniveau column (kept as its own result next to a Niveau I-V column)
_REF_LEVEL_HEADERS = {normalise_header(h) for h in ("Referentieniveau", "Ref. niveau", "Beheersingsniveau")}

#: the kinds of score column in the order the rule prefers them (vaardigheidsscore first, a bare
#: "Score" last); names of one kind are synonyms, so two of them are ambiguous
_SCORE_KINDS: tuple[tuple[str, ...], ...] = (
    ("Vaardigheidsscore", "VS", "Vaardigheid"), ("Ontwikkelscore",), ("Standaardscore",),
)
_SCORE_RANK = {normalise_header(v): i for i, kind in enumerate(_SCORE_KINDS) for v in kind}


def _score_rank(header: str) -> int:
    return _SCORE_RANK.get(normalise_header(re.sub(r"\s*\(\d+\)$", "", header)), len(_SCORE_KINDS))


def _choose_score(lay: Layout, candidates: list[str]) -> None:
    """The score column by rule: the best-ranked name wins; two equally good ones are ambiguous."""
    if not candidates:
        return
    ranked = sorted(candidates, key=_score_rank)
    best = [h for h in ranked if _score_rank(h) == _score_rank(ranked[0])]
    if len(best) > 1:
        lay.ambiguous_scores = best
        return
    lay.fields["score"] = ranked[0]
    lay.other_scores = ranked[1:]
