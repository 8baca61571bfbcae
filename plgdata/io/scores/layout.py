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
from plgdata.io.columns import HEADER_VARIANTS, VARIANT_INDEX, normalise_header
from plgdata.model.vocabulary import AVI_SCALE, WIDE_ABBREVIATIONS, scale_of, subject_alias, subject_of

#: subject abbreviations used in wide overviews -> canonical subject
WIDE_SUBJECTS = WIDE_ABBREVIATIONS

#: what a column under a test and moment holds ("RW M5 Niv"), also the words a mapping file's
#: ``brede_kolommen`` take for ``veld``; the empty word (a bare "RW M5") is the score
SUB_FIELDS: dict[str, str] = {
    "": "score",
    "score": "score",
    "vs": "score",
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
    r"^\s*("
    + "|".join(sorted(WIDE_SUBJECTS, key=len, reverse=True))
    + r")\s*[-_ ]?\s*([BME])\s*[-_ ]?\s*([1-8])\b\s*[-_:.]?\s*(.*?)\s*$",
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


#: a wide header with the subject's full name (and maybe its version): "Rekenen-Wiskunde 3.0 M6 niveau"
_WIDE_FULL_RE = re.compile(r"^\s*([^\W\d_][^\d]*?(?:\s+\d[.,]\d)?)\s*[-_ ]?\s*([BME])\s*[-_ ]?\s*([1-8])\b\s*[-_:.]?\s*(.*?)\s*$")


@functools.lru_cache(maxsize=65536)
def _wide_parts(text: str) -> tuple[str, str, str, str | None] | None:
    """``(subject, moment, rest, scale)`` of a wide header (abbreviation or full subject name)."""
    m = _WIDE_RE.match(text)
    if m:
        abbr, period, level, rest = m.groups()
        return WIDE_SUBJECTS[abbr.upper()], period.upper() + level, rest, None
    m = _WIDE_FULL_RE.match(text)
    if not m:
        return None
    name, period, level, rest = m.groups()
    subject = subject_alias(re.sub(r"\s+\d[.,]\d$", "", name)) or subject_of(name)
    if subject is None or not re.search(r"[a-z]{4}", name.lower()):
        return None
    return subject, period + level, rest, scale_of(name)


def wide_header(text: str) -> tuple[str, str, str] | None:
    """``'RW M5 Niv'``, ``'Rekenen-Wiskunde M6 niveau'`` -> ``('rekenen-wiskunde', 'M5', 'level')``; else None."""
    parts = _wide_parts(str(text))
    if parts is None:
        return None
    sub = SUB_FIELDS.get(normalise_header(parts[2]))
    return None if sub is None else (parts[0], parts[1], sub)


def wide_scale(text: str) -> str | None:
    """The scale a wide header states (``'Spelling 3.0 M5'`` -> ``'Cito 3.0'``), else None."""
    parts = _wide_parts(str(text))
    return parts[3] if parts else None


def wide_group_label(text: str) -> tuple[str, str] | None:
    """``'RW M5'`` (a group label of a two-row header) -> ``('rekenen-wiskunde', 'M5')``."""
    parts = _wide_parts(str(text))
    if parts is None or normalise_header(parts[2]):
        return None
    return parts[0], parts[1]


def field_of_header(text: object) -> str | None:
    """The field a column header names: a known variant, or one a registered dialect adds."""
    key = normalise_header(text)
    return VARIANT_INDEX.get(key) or dialects.header_variants().get(key)


@functools.lru_cache(maxsize=65536)
def _known_header(c: str, registry_version: int) -> bool:
    return field_of_header(c) is not None or wide_header(c) is not None


def header_score(cells: list[str], known: frozenset[str] = frozenset()) -> int:
    """How many cells of a row look like known headers (used to find the header row).

    ``known`` are the column names a mapping file gives: a file whose headers plgdata does not
    know is found by them.
    """
    version = dialects.version()
    return sum(1 for c in cells if c and str(c).strip() and (_known_header(str(c), version) or str(c).strip() in known))


def is_sub_header_row(cells: list[str]) -> bool:
    """A second header row: mostly ``VS``/``Niv``/``Pc`` tokens (two-row wide header)."""
    filled = [c for c in cells if c and str(c).strip()]
    if len(filled) < 2:
        return False
    subs = sum(1 for c in filled if normalise_header(c) in SUB_FIELDS and normalise_header(c) != "")
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


def _filled(cells: list[str], n: int) -> list[str]:
    """Merged cells spread to the right: each empty cell takes the text to its left."""
    out, last = [], ""
    for c in list(cells) + [""] * (n - len(cells)):
        last = (c or "").strip() or last
        out.append(last)
    return out


def combine_header_rows(rows: list[list[str]]) -> list[str]:
    """Header cells of one to three header rows: (test / moment /) sub-header, merged cells spread.

    ``Rekenen-Wiskunde`` over ``M6`` over ``VS | Niv`` gives ``Rekenen-Wiskunde M6 VS``,
    ``Rekenen-Wiskunde M6 Niv``.
    """
    if len(rows) == 1:
        return list(rows[0])
    if len(rows) == 2:
        return combine_two_row_header(rows[0], rows[1])
    n = max(len(r) for r in rows)
    top, mid = _filled(rows[0], n), _filled(rows[1], n)
    raw_top = list(rows[0]) + [""] * (n - len(rows[0]))
    raw_mid = list(rows[1]) + [""] * (n - len(rows[1]))
    labels = [
        f"{t} {m}" if (raw_top[j] or "").strip() or (raw_mid[j] or "").strip() else "" for j, (t, m) in enumerate(zip(top, mid))
    ]
    return combine_two_row_header(labels, rows[2])


def header_rows_note(idx: int, nh: int, header_cells: list[str]) -> str | None:
    """The load report's note on a header over two or three rows (``idx`` 0-based, rows named 1-based).

    It names the rows taken as the header and the first merged column name, so a teacher can see
    how a merged cell was read.
    """
    if nh < 2:
        return None
    what = "vak en moment boven VS/niveau" if nh == 2 else "toets, moment en VS/niveau onder elkaar"
    count = "twee" if nh == 2 else "drie"
    example = next((c for c in header_cells if wide_header(c)), None)
    shown = f" (bijvoorbeeld '{example}')" if example else ""
    return (
        f"kop over {count} regels (regel {idx + 1}-{idx + nh}: {what}), samengevoegd tot één kopregel{shown}; "
        "een samengevoegde cel geldt voor de kolommen eronder tot de volgende gevulde cel"
    )


def header_rows_above(rows: list[list[str]], idx: int) -> int:
    """How many rows above the header row ``idx`` belong to it (test and moment over VS/Niv): 0-2.

    They do when merging them gives at least two more wide headers than any of the rows alone.
    """
    for k in (2, 1):
        if idx - k >= 0:
            base = max(sum(1 for c in r if wide_header(c)) for r in rows[idx - k : idx + 1])
            merged = combine_header_rows(rows[idx - k : idx + 1])
            if sum(1 for c in merged if wide_header(c)) >= max(2, base + 2):
                return k
    return 0


def find_header(rows: list[list[str]], known: frozenset[str] = frozenset()) -> tuple[int, int]:
    """Index of the (first) header row among the first rows and the number of header rows (1-3).

    Returns ``(-1, 0)`` when no row looks like a header (fewer than two known headers).
    """
    return sniff.find_header(rows, scorer(known), is_sub_header_row, above=header_rows_above)


def scorer(known: frozenset[str]):
    """:func:`header_score` that also counts the mapping file's column names."""
    return functools.partial(header_score, known=known) if known else header_score


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
    scale: str | None = None  # the scale the header states ("Spelling 3.0 M5"), else None
    scale_suffix: str = ""  # added to the row's scale ("kaart 1": every DMT card is its own scale)


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
    cards: list[WideGroup] = field(default_factory=list)  # DMT "Kaart 1/2/3": a result per card
    avi: WideGroup | None = None  # an "AVI" column: AVI levels as their own result (technisch lezen)

    @property
    def has_identity(self) -> bool:
        return any(f in self.fields for f in IDENTITY_FIELDS)

    @property
    def has_result(self) -> bool:
        return bool(self.wide) or bool(self.cards) or self.avi is not None or any(f in self.fields for f in RESULT_FIELDS)

    @property
    def has_test_info(self) -> bool:
        return any(f in self.fields or f in self.fixed for f in TEST_FIELDS)

    @property
    def has_background(self) -> bool:
        return any(f in self.fields for f in BACKGROUND_FIELDS)


def _declared_groups(headers: list[str], declared: dict | None, taken: set[str]) -> dict[tuple[str, str], WideGroup]:
    """Column groups of a wide layout the mapping file declares column by column (``brede_kolommen``)."""
    groups: dict[tuple[str, str], WideGroup] = {}
    for h in headers:
        d = (declared or {}).get(h)
        if d is None or h in taken:
            continue
        g = groups.setdefault((d.subject, d.moment), WideGroup(d.subject, d.moment, scale=d.scale))
        g.columns.setdefault(d.field, h)
        taken.add(h)
    return groups


def recognise(
    headers: list[str],
    column_map: dict[str, str] | None = None,
    fixed: dict[str, str] | None = None,
    declared: dict | None = None,
    ignore: frozenset[str] = frozenset(),
) -> Layout:
    """Map column names to canonical fields (mapping file first, then known variants).

    ``declared`` is the mapping file's wide layout: header -> :class:`~plgdata.io.scores.mapping.WideColumn`;
    ``ignore`` the columns it says are not used.
    """
    lay = Layout(fixed=dict(fixed or {}))
    taken: set[str] = set()
    for fld, col in (column_map or {}).items():
        if col in headers:
            lay.fields[fld] = col
            taken.add(col)
    groups = _declared_groups(headers, declared, taken)
    scores: list[str] = []
    for h in headers:
        if h in taken:
            continue
        if h in ignore:  # the mapping file says: not used
            lay.unknown.append(h)
            continue
        fld = field_of_header(h)
        if fld is None:
            # de-duplicated names "Naam (2)" keep their base meaning
            base = re.sub(r"\s*\(\d+\)$", "", h)
            fld = field_of_header(base) if base != h else None
        card = _DMT_CARD.match(h)
        if card:
            lay.cards.append(WideGroup(subject_alias("DMT"), "", {"score": h}, scale_suffix=f"kaart {card.group(1)}"))
            continue
        if _AVI_COLUMN.match(h) and lay.avi is None:
            lay.avi = WideGroup(subject_alias("AVI"), "", {"level": h}, scale=AVI_SCALE)
            continue
        if fld == "score" and "score" not in (column_map or {}):
            scores.append(h)
            continue
        if fld == "level" and normalise_header(h) in _REF_LEVEL_HEADERS and lay.ref_level is None:
            lay.ref_level = h
            continue
        if fld is not None:
            if fld not in lay.fields:
                lay.fields[fld] = h
            elif _variant_rank(fld, h) < _variant_rank(fld, lay.fields[fld]):
                # the better-known name wins whatever the column order ("Leerlingnummer" before "Stamnummer")
                lay.duplicates.append(lay.fields[fld])
                lay.fields[fld] = h
            else:
                lay.duplicates.append(h)
            continue
        w = wide_header(h)
        if w is not None:
            g = groups.setdefault((w[0], w[1]), WideGroup(w[0], w[1], scale=wide_scale(h)))
            if w[2] not in g.columns:
                g.columns[w[2]] = h
            continue
        lay.unknown.append(h)
    _choose_score(lay, scores)
    if lay.ref_level is not None and "level" not in lay.fields:
        lay.fields["level"], lay.ref_level = lay.ref_level, None  # the only level column
    lay.wide = [g for g in groups.values() if any(k in g.columns for k in RESULT_FIELDS)]
    return lay


#: DMT raw counts per card ("Kaart 1", "DMT kaart 2"): each card is its own result and scale
_DMT_CARD = re.compile(r"^\s*(?:dmt\s*)?kaart\s*([123])\s*$", re.IGNORECASE)

#: an AVI column ("AVI", "AVI-niveau"): AVI levels, a result of its own
_AVI_COLUMN = re.compile(r"^\s*avi(?:[\s-]*niveau)?\s*$", re.IGNORECASE)

#: headers of a referentieniveau column (kept as its own result next to a Niveau I-V column)
_REF_LEVEL_HEADERS = {normalise_header(h) for h in ("Referentieniveau", "Ref. niveau", "Beheersingsniveau")}

#: the kinds of score column in the order the rule prefers them (vaardigheidsscore first, a bare
#: "Score" last); names of one kind are synonyms, so two of them are ambiguous
_SCORE_KINDS: tuple[tuple[str, ...], ...] = (
    ("Vaardigheidsscore", "VS", "Vaardigheid"),
    ("Ontwikkelscore",),
    ("Standaardscore",),
    ("Score",),
    ("Percentage goed", "% goed"),
)
_SCORE_RANK = {normalise_header(v): i for i, kind in enumerate(_SCORE_KINDS) for v in kind}


def _variant_rank(fld: str, header: str) -> int:
    """Position of ``header`` among the known variants of ``fld`` (lower is better known)."""
    key = normalise_header(re.sub(r"\s*\(\d+\)$", "", header))
    ranks = [normalise_header(v) for v in HEADER_VARIANTS.get(fld, ())]
    return ranks.index(key) if key in ranks else len(ranks)


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


def canonical_header(word: str) -> str | None:
    """The column name a field name stands for: ``'VS'`` -> ``'Vaardigheidsscore'``, ``'Niv'`` -> ``'Niveau'``,
    ``'Pc'`` -> ``'Percentiel'`` (a kind of score such as ``'Standaardscore'`` keeps its own name);
    None for a word that names no result field (a long-by-field export's ``Soort`` column holds these)."""
    key = normalise_header(word)
    fld = VARIANT_INDEX.get(key) or (SUB_FIELDS.get(key) if key else None)
    if fld is None or fld == "date":
        return None
    if fld == "score":
        rank = _score_rank(word)
        return _SCORE_KINDS[rank][0] if rank < len(_SCORE_KINDS) else HEADER_VARIANTS["score"][0]
    if fld == "level" and key in _REF_LEVEL_HEADERS:
        return "Referentieniveau"
    return HEADER_VARIANTS[fld][0]
