"""The one vocabulary: subjects and their aliases, scales, level systems, periods, MIN_N.

Every module that needs to know what a subject, scale, level or period is imports it from
here; nothing else defines one.  Readers recognise free text (test names, ``Vak``/``Schaal``
columns, sheet and file names) with :func:`subject_of`, :func:`normalise_subject` and
:func:`scale_of`.  A new LVS dialect adds its own words (e.g. *Diatekst*) to the tables below
and nothing else here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Smallest group whose statistics a report shows: smaller groups are suppressed (privacy) and
#: get "te weinig leerlingen" (honesty).  The one definition; every default refers to it.
MIN_N = 5


def normalise_header(text: object) -> str:
    """``' Vaardigheids-score '`` -> ``'vaardigheidsscore'`` (lower case, no accents/punctuation/space)."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]", "", t)


def _plain(text: object) -> str:
    t = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[_\-]+", " ", t)


# ---------------------------------------------------------------------------
# subjects
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """One canonical subject: its code (value of ``scores.subject``), Dutch label and aliases.

    ``aliases`` are whole texts that mean this subject (compared with :func:`normalise_header`);
    ``abbreviations`` are the short forms used in wide overviews (``RW M5``); ``template`` says
    whether the interventions template offers it in its drop-down list.
    """

    code: str
    label: str
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    template: bool = False


SUBJECT_INFO: tuple[Subject, ...] = (
    Subject(
        "rekenen-wiskunde",
        "Rekenen-wiskunde",
        ("rekenen", "rekenen-wiskunde", "wiskunde", "rw", "rekenen wiskunde", "diacijfer"),
        ("RW", "RE"),
        True,
    ),
    Subject(
        "begrijpend lezen", "Begrijpend lezen", ("begrijpend lezen", "bl", "lezen", "tekstbegrip", "diatekst"), ("BL",), True
    ),
    Subject("spelling", "Spelling", ("spelling", "sp", "diaspel"), ("SP",), True),
    Subject("spelling werkwoorden", "Spelling werkwoorden", ("spelling werkwoorden", "spww"), ("SPWW",)),
    Subject("leestekens", "Leestekens", ("leestekens",)),
    Subject("technisch lezen", "Technisch lezen", ("technisch lezen", "tl", "dmt", "avi"), ("TL", "DMT"), True),
    Subject("woordenschat", "Woordenschat", ("woordenschat", "ws", "diawoord"), ("WS",), True),
    Subject("taalverzorging", "Taalverzorging", ("taalverzorging",), ("TV",)),
    # Boom LVS: mental arithmetic is its own test and scale, never mixed with rekenen-wiskunde
    Subject("hoofdrekenen", "Hoofdrekenen", ("hoofdrekenen",)),
)

#: words of test names only Boom LVS uses ("Rekenen-wiskunde contextrijk", "Hoofdrekenen"; normalised)
BOOM_TEST_WORDS: tuple[str, ...] = ("contextrijk", "hoofdrekenen")

#: canonical subject codes (values of ``scores.subject``)
SUBJECTS: tuple[str, ...] = tuple(s.code for s in SUBJECT_INFO)
#: canonical subject -> Dutch label
SUBJECT_LABELS: dict[str, str] = {s.code: s.label for s in SUBJECT_INFO}
#: normalised alias (see :func:`normalise_header`) -> canonical subject
SUBJECT_ALIASES: dict[str, str] = {normalise_header(a): s.code for s in SUBJECT_INFO for a in (s.code, *s.aliases)}
#: abbreviation of a wide overview (``RW`` in ``RW M5 VS``) -> canonical subject
WIDE_ABBREVIATIONS: dict[str, str] = {a: s.code for s in SUBJECT_INFO for a in s.abbreviations}
#: the subjects the interventions template offers (Dutch labels, in this order)
TEMPLATE_SUBJECTS: tuple[str, ...] = tuple(s.label for s in SUBJECT_INFO if s.template)

#: free-text patterns, tried in this order (the more specific first)
_SUBJECT_PATTERNS: tuple[tuple[str, str | None], ...] = (
    # "Spelling niet-werkwoorden" is Cito's name for the ordinary spelling test: never werkwoorden
    (r"\bniet\s*werkwoord", "spelling"),
    (
        r"\bspelling\s*(van\s*)?werkwoord|\bwerkwoord(en)?\s*spelling|\bwerkwoordspelling|\bwerkwoorden\b|\bww\b|\bspww\b",
        "spelling werkwoorden",
    ),
    (r"\bleestekens\b", "leestekens"),
    (r"\btaalverzorging\b", "taalverzorging"),
    # "Begrijpend luisteren" (groep 1-3) is a listening test, no reading
    (r"\bbegrijpend\s+luisteren\b", None),
    (r"\bbegrijpend\b|\bbl\b|\btekstbegrip\b|\bdiatekst\b", "begrijpend lezen"),
    (r"\btechnisch\b|\bdmt\b|\bavi\b|\btl\b|\bdrie minuten\b", "technisch lezen"),
    (r"\bwoordenschat\b|\bws\b|\bdiawoord\b", "woordenschat"),
    (r"\bspelling\b|\bsp\b|\bdiaspel\b", "spelling"),
    (r"\bhoofdreken", "hoofdrekenen"),
    (r"\breken|\bwiskunde\b|\brw\b|\bgetallen\b|\bdiacijfer\b", "rekenen-wiskunde"),
    (r"^\s*lezen\s*$|\blezen\b", "begrijpend lezen"),  # IEP 'Lezen' is reading comprehension
)


def subject_of(text: object) -> str | None:
    """Canonical subject named in ``text`` (``'Rekenen-Wiskunde 3.0'`` -> ``'rekenen-wiskunde'``)."""
    t = _plain(text)
    if not t.strip():
        return None
    for pat, subj in _SUBJECT_PATTERNS:
        if re.search(pat, t):
            return subj
    return None


def subject_alias(text: object) -> str | None:
    """Canonical subject when ``text`` as a whole is one of its aliases (``'BL'``), else None."""
    return SUBJECT_ALIASES.get(normalise_header(text or ""))


def stated_subject(text: object) -> str:
    """The subject a user states (mapping file): the canonical one it names, else their own text."""
    return subject_of(text) or " ".join(str(text).split())


def normalise_subject(text: object) -> str:
    """``'Begrijpend Lezen'``/``'BL'`` -> ``'begrijpend lezen'`` (unknown text is lower-cased)."""
    return subject_alias(text) or str(text).strip().lower()


# ---------------------------------------------------------------------------
# periods (moments)
# ---------------------------------------------------------------------------

#: moment periods in school-year order: begin, midden, eind
PERIODS: tuple[str, ...] = ("B", "M", "E")
#: period -> Dutch word
PERIOD_LABELS: dict[str, str] = {"B": "begin", "M": "midden", "E": "eind"}
#: period -> code used in the readers' arrays (0 = none)
PERIOD_CODE: dict[str, int] = {p: i + 1 for i, p in enumerate(PERIODS)}
#: words that name a period in an export (lower case)
PERIOD_WORDS: dict[str, str] = {
    "b": "B",
    "begin": "B",
    "m": "M",
    "midden": "M",
    "medio": "M",
    "e": "E",
    "eind": "E",
    "einde": "E",
}
#: month (1-12) -> period: Cito's windows and Boom's continuous norms (Dec-Mar M, Apr-Jul E, Aug-Nov B)
MONTH_PERIOD: tuple[str | None, ...] = (None, "M", "M", "M", "E", "E", "E", "E", "B", "B", "B", "B", "M")
#: short Dutch month names, index 1-12
MONTH_NAMES: tuple[str, ...] = ("", "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

# ---------------------------------------------------------------------------
# scales
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """A score scale (vendor + version); with the subject the key for comparability."""

    name: str
    plausible: tuple[float, float]  # a score outside is almost certainly an export error
    continuous: bool = False  # continuously normed: any test date fits


SCALE_INFO: tuple[Scale, ...] = (
    Scale("Cito 3.0", (0.0, 600.0)),
    Scale("Cito 2.0", (-100.0, 250.0)),
    Scale("Leerling in beeld", (0.0, 600.0)),
    Scale("IEP", (0.0, 200.0)),
    Scale("Boom", (0.0, 1000.0), continuous=True),
    Scale("DMT", (0.0, 200.0)),
    Scale("DMT 2009", (0.0, 200.0)),
    Scale("DMT 2018", (0.0, 200.0)),
    Scale("Dia", (0.0, 1000.0)),
)
#: Known scales.  Readers may add other scale names (from a mapping file).
SCALES: tuple[str, ...] = tuple(s.name for s in SCALE_INFO)
PLAUSIBLE_RANGES: dict[str, tuple[float, float]] = {s.name: s.plausible for s in SCALE_INFO}
CONTINUOUS_SCALES: frozenset[str] = frozenset(s.name for s in SCALE_INFO if s.continuous)
#: the scale assumed for a Cito file that names no version (said in the load report)
ASSUMED_CITO_SCALE = "Cito 3.0"


def scale_of(text: object) -> str | None:
    """Scale named in a test name, version or vendor text; None when it says nothing about it."""
    t = _plain(text)
    if not t.strip():
        return None
    for pattern, scale in _SCALE_PATTERNS:
        m = re.search(pattern, t)
        if m:
            return m.expand(scale)
    return None


def stated_scale(text: object) -> str:
    """The scale a user states (mapping file): the known one it names, else their own text."""
    return scale_of(text) or " ".join(str(text).split())


def is_lvs_scale(text: object) -> bool:
    """True when ``text`` names a scale of a pupil monitoring system (a known scale, or a vendor
    word such as Cito or Dia first): an own measurement must never be read onto one.

    >>> is_lvs_scale("Cito 2011"), is_lvs_scale("Dia"), is_lvs_scale("eigen meting: strookmodel"), is_lvs_scale("diagnose")
    (True, True, False, False)
    """
    words = _plain(text).split()
    vendor_words = {name.split()[0].lower() for name in SCALES}
    return scale_of(text) is not None or (bool(words) and words[0] in vendor_words)


_CARD_RE = re.compile(r"\s+kaart\s+[1-9]$", re.IGNORECASE)


def scale_family(scale: object) -> str:
    """The test version a scale belongs to: the parallel parts of one sitting (the DMT cards, each
    its own scale ``'DMT 2018 kaart 1'``) are one version, never a scale break.

    >>> scale_family("DMT 2018 kaart 2"), scale_family("Cito 3.0")
    ('DMT 2018', 'Cito 3.0')
    """
    return _CARD_RE.sub("", str(scale))


_VERSION_YEAR = re.compile(r"(?<![\d./-])(19[89]\d|20[0-4]\d)(?![\d./-])")


def version_year(text: object) -> str | None:
    """A test version written as a year (``'SP 2011'``, ``'BL 2011 E4 S+V2'``, ``'2011'``), else None.

    School years (``2024-2025``) and dates are no version.
    """
    m = _VERSION_YEAR.search(str(text or ""))
    return m.group(1) if m else None


_SCALE_PATTERNS: tuple[tuple[str, str | None], ...] = (
    (r"leerling in beeld|\blib\b", "Leerling in beeld"),
    (r"\bdmt\b.*?(?<![\d./-])(2009|2018)(?![\d./-])", "DMT \\1"),
    (r"\biep\b", "IEP"),
    (r"\bboom\b", "Boom"),
    (r"\b3[.,]0\b", "Cito 3.0"),
    # "LOVS" is the system's name (it held 2.0 and 3.0 tests), never a version
    (r"\b2[.,]0\b", "Cito 2.0"),
)

# ---------------------------------------------------------------------------
# level systems
# ---------------------------------------------------------------------------

#: level system -> levels from highest to lowest (display order of distributions)
LEVEL_SYSTEMS: dict[str, tuple[str, ...]] = {
    "I-V": ("I", "II", "III", "IV", "V"),
    "A-E": ("A", "B", "C", "D", "E"),
    "ref": ("2F", "1S", "1F", "op weg naar 1F", "onder 1F"),
    # AVI (technisch lezen): the current levels and the old 1-9, each its own system
    "AVI": ("AVI-Plus", "E7", "M7", "E6", "M6", "E5", "M5", "E4", "M4", "E3", "M3", "AVI-Start"),
    "AVI-oud": tuple(f"AVI {i}" for i in range(9, 0, -1)),
}
LEVEL_SYSTEM_LABELS: dict[str, str] = {
    "I-V": "niveau I–V",
    "A-E": "niveau A–E",
    "ref": "referentieniveau",
    "AVI": "AVI-niveau",
    "AVI-oud": "AVI-niveau (oud, 1-9)",
}

#: every stored level value per system, highest first (I-V with the split outer bands)
LEVELS_I_V: tuple[str, ...] = ("I+", "I", "I-", "II", "III", "IV", "V+", "V", "V-")
LEVELS_I_V_PLAIN: tuple[str, ...] = LEVEL_SYSTEMS["I-V"]
LEVELS_A_E: tuple[str, ...] = LEVEL_SYSTEMS["A-E"]
LEVELS_REF: tuple[str, ...] = LEVEL_SYSTEMS["ref"]
ALL_LEVELS: tuple[str, ...] = LEVELS_I_V + LEVELS_A_E + LEVELS_REF + ("2F/1S",)

#: level text (upper case, single spaces) -> (system, main level, rank: 1 = highest)
LEVEL_INFO: dict[str, tuple[str, str, int]] = {
    "I+": ("I-V", "I", 1),
    "I": ("I-V", "I", 1),
    "I-": ("I-V", "I", 1),
    "II": ("I-V", "II", 2),
    "III": ("I-V", "III", 3),
    "IV": ("I-V", "IV", 4),
    "V+": ("I-V", "V", 5),
    "V": ("I-V", "V", 5),
    "V-": ("I-V", "V", 5),
    "A": ("A-E", "A", 1),
    "B": ("A-E", "B", 2),
    "C": ("A-E", "C", 3),
    "D": ("A-E", "D", 4),
    "E": ("A-E", "E", 5),
    "2F": ("ref", "2F", 1),
    "1S": ("ref", "1S", 1),
    "2F/1S": ("ref", "2F", 1),
    "1F": ("ref", "1F", 2),
    "OP WEG NAAR 1F": ("ref", "op weg naar 1F", 3),
    "ONDER 1F": ("ref", "onder 1F", 3),
    "<1F": ("ref", "onder 1F", 3),
    **{lv.upper(): (s, lv, i + 1) for s in ("AVI", "AVI-oud") for i, lv in enumerate(LEVEL_SYSTEMS[s])},
}

#: AVI notations (upper case, no spaces or hyphens) -> stored level
AVI_LEVEL_WORDS: dict[str, str] = {
    **{re.sub(r"[\s-]", "", lv.upper()): lv for s in ("AVI", "AVI-oud") for lv in LEVEL_SYSTEMS[s]},
    **{f"AVI{lv}": lv for lv in LEVEL_SYSTEMS["AVI"] if lv[0] in "ME"},
    "START": "AVI-Start",
    "PLUS": "AVI-Plus",
}

#: the level notations plgdata reads, in words (for "niveau niet te lezen")
LEVEL_NOTATIONS = (
    "I–V (met + en -), A–E, referentieniveaus (1F, 2F, 1S, 2F/1S, <1F) en AVI (AVI-Start, M3 … E7, AVI-Plus, "
    "oud AVI 1 … AVI 9; een kaal cijfer alleen in een kolom AVI)"
)
#: the scale of the results of an AVI column (levels only: technisch lezen, never on a score scale)
AVI_SCALE = "AVI"

#: referentieniveau notations (lower case, single spaces) -> stored level
REF_LEVEL_WORDS: dict[str, str] = {
    "1f": "1F",
    "2f": "2F",
    "1s": "1S",
    "2f/1s": "2F/1S",
    "2f / 1s": "2F/1S",
    "1s/2f": "2F/1S",
    "op weg naar 1f": "op weg naar 1F",
    "op weg naar 1 f": "op weg naar 1F",
    "owm 1f": "op weg naar 1F",
    "richting 1f": "op weg naar 1F",
    "<1f": "onder 1F",
    "< 1f": "onder 1F",
    "onder 1f": "onder 1F",
    "niet 1f": "onder 1F",
    "nog niet 1f": "onder 1F",
}


#: doorstroomtoets lists (io.doorstroom): header words naming an indicator subject, and the vendors
#: (a word in the file's headers or title -> the name the report shows)
DOORSTROOM_SUBJECT_WORDS = (
    ("lezen", "lezen"),
    ("leesvaardigheid", "lezen"),
    ("taalverzorging", "taalverzorging"),
    ("rekenen", "rekenen"),
)
DOORSTROOM_VENDORS = (
    ("route8", "ROUTE 8"),
    ("iep", "IEP"),
    ("leerlinginbeeld", "Cito/Leerling in beeld"),
    ("cito", "Cito/Leerling in beeld"),
    ("dia", "DIA"),
    ("amn", "AMN"),
)
