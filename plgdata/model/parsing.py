"""The one home for reading a single cell: numbers, dates, groep and class, levels, moments.

Score exports (:mod:`plgdata.io.scores`), the interventions file (:mod:`plgdata.io.interventions`),
the cycle record (:mod:`plgdata.cycle`) and the forms all read text a person or a system wrote
with these functions, so one notation means one thing everywhere (``2024-09-02T00:00:00`` is a
date in every file; ``69`` as a year is 2069 in every file).

Every parser takes one value and returns ``(value, status)`` with status :data:`OK`,
:data:`EMPTY` (a blank or a non-result such as ``afw``) or :data:`BAD` (text that is no such
value).  Readers parse each *distinct* text of a column once (see
:class:`plgdata.io.scores.cleaning.Factor`), so nothing here is vectorised.

Rules
-----
- Numbers: decimal comma or point, thousands points (``1.234,5``), spaces inside.
- Dates: ``dd-mm-yyyy`` (also ``/`` and ``.``, and a two-digit year), ISO ``yyyy-mm-dd`` with or
  without a time (``2024-09-02T00:00:00``), ``yyyymmdd``, Dutch month names (``22 jan. 2025``,
  ``3 februari 2025``, ``21-mei-25``), Excel serial day numbers (20000-80000: 1954-2119) and
  date objects.  A two-digit year ``yy`` is ``20yy`` below 70 and ``19yy`` from 70 on.
- Groep and class: ``6``, ``groep 6``, ``Gr. 8`` (groep, no class), ``Groep 6a``, ``5b``
  (groep and class ``6A``, ``5B``); a combination class ``5/6`` is a class without one groep.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np

from plgdata.model.vocabulary import AVI_LEVEL_WORDS, MONTH_NAMES, PERIOD_WORDS, REF_LEVEL_WORDS

#: texts that mean "no result" (compared lower-case, without surrounding space)
NON_RESULTS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "—",
        "–",
        "afw",
        "afw.",
        "afwezig",
        "ziek",
        "n.v.t.",
        "n.v.t",
        "nvt",
        "vrijgesteld",
        "vrijst.",
        "ntb",
        "n.b.",
        "nb",
        "geen",
        "x",
        "?",
        "niet afgenomen",
        "na",
        "n/a",
    }
)

# statuses of a parsed value
OK, EMPTY, BAD = 0, 1, 2


def clean(v: object) -> str:
    """Cell text without surrounding white space (also non-breaking spaces)."""
    return str(v).replace("\xa0", " ").strip() if v is not None else ""


# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------

_NUM_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_number(v: object) -> tuple[float | None, int]:
    """``'171,0'`` -> 171.0; non-results (``afw``, ``-``, blank) -> EMPTY; other text -> BAD.

    >>> parse_number("1.234,5"), parse_number("afw"), parse_number("12a")
    ((1234.5, 0), (None, 1), (None, 2))
    """
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return (None, EMPTY) if isinstance(v, float) and math.isnan(v) else (float(v), OK)
    t = clean(v)
    if t.lower() in NON_RESULTS:
        return None, EMPTY
    t2 = t.replace(" ", "")
    if _NUM_RE.match(t2):
        return float(t2.replace(",", ".")), OK
    if _THOUSANDS_RE.match(t2):
        return float(t2.replace(".", "").replace(",", ".")), OK
    return None, BAD


def parse_percent(v: object) -> tuple[float | None, int, bool]:
    """``'61%'`` -> (61.0, OK, True); ``'0,61'`` -> (0.61, OK, False); the flag says a % sign was present."""
    t = clean(v)
    has_pct = t.endswith("%")
    if has_pct:
        t = t[:-1].strip()
    x, s = parse_number(t)
    return x, s, has_pct


def parse_dle(v: object) -> tuple[float | None, int]:
    """``'>60'`` -> 60; ``'<10'`` -> 10; plain numbers as they are."""
    return parse_number(clean(v).lstrip("<>=").strip())


# ---------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------

#: Dutch (and English) month names and abbreviations -> month number
MONTH_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(MONTH_NAMES) if w},
    **{
        w: i + 1
        for i, w in enumerate(
            (
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            )
        )
    },
    "mar": 3,
    "maa": 3,
    "sept": 9,
    "oct": 10,
    "may": 5,
}
_TIME = r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_DMY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})" + _TIME + "$")
_YMD_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_WORD_DATE_RE = re.compile(
    r"^(?:[a-z]{2,9}\.?,?\s+)?(\d{1,2})[\s.-]*([a-z]{3,9})\.?[\s.-]*(\d{4}|\d{2})" + _TIME + "$", re.IGNORECASE
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Excel serial day numbers read as dates (1954-10-03 .. 2119-01-10)
EXCEL_SERIALS = (20000, 80000)


def full_year(y: int) -> int:
    """A two-digit year as a full year: ``20yy`` below 70, ``19yy`` from 70 on (the one rule)."""
    if y >= 100:
        return y
    return 2000 + y if y < 70 else 1900 + y


def _ymd(y: int, mo: int, d: int) -> tuple[dt.date | None, int]:
    try:
        return dt.date(full_year(y), mo, d), OK
    except ValueError:
        return None, BAD


def parse_day(v: object) -> tuple[dt.date | None, int]:
    """One date as a :class:`datetime.date` (see the module's rules); ``'22 jan. 2025'`` -> 2025-01-22.

    >>> parse_day("22 jan. 2025"), parse_day("2024-09-02T00:00:00"), parse_day("1-2-69")
    ((datetime.date(2025, 1, 22), 0), (datetime.date(2024, 9, 2), 0), (datetime.date(2069, 2, 1), 0))
    """
    if isinstance(v, dt.datetime):
        return v.date(), OK
    if isinstance(v, dt.date):
        return v, OK
    if isinstance(v, np.datetime64):
        return (None, EMPTY) if np.isnat(v) else (v.astype("datetime64[D]").item(), OK)
    if hasattr(v, "to_pydatetime"):  # pandas Timestamp / NaT
        return (None, EMPTY) if v != v else (v.to_pydatetime().date(), OK)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _serial(v)
    t = clean(v)
    if t.lower() in NON_RESULTS:
        return None, EMPTY
    m = _DMY_RE.match(t)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        return _ymd(y, mo, d)
    m = _YMD_RE.match(t) or _COMPACT_RE.match(t)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        return _ymd(y, mo, d)
    m = _WORD_DATE_RE.match(t)
    if m:
        month = MONTH_WORDS.get(m.group(2).lower())
        return _ymd(int(m.group(3)), month, int(m.group(1))) if month else (None, BAD)
    x, s = parse_number(t)
    return _serial(x) if s == OK else (None, BAD)


def _serial(x: float) -> tuple[dt.date | None, int]:
    """An Excel serial day number as a date (only inside :data:`EXCEL_SERIALS`)."""
    if x != x:
        return None, EMPTY
    if EXCEL_SERIALS[0] <= x <= EXCEL_SERIALS[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=int(math.floor(x))), OK
    return None, BAD


#: the years a ``datetime64[ns]`` holds (outside them numpy wraps around: year 1000 became 2169)
NS_YEARS = (1678, 2261)


def parse_date(v: object) -> tuple[np.datetime64 | None, int]:
    """:func:`parse_day` as a ``datetime64[ns]`` (what the readers store); a year it cannot hold
    (a typing error such as ``01-01-0201``) is a bad date."""
    d, s = parse_day(v)
    if d is None:
        return None, s
    return (np.datetime64(d, "ns"), OK) if NS_YEARS[0] <= d.year <= NS_YEARS[1] else (None, BAD)


#: the common notation of a date: day, month, four-digit year, nothing around it (``26-07-2009``)
_DMY_PLAIN = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.ASCII)


def parse_dates(values) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_date` of many texts: ``(datetime64[ns] values, statuses)``, NaT where no date.

    Texts in the common notation (:data:`_DMY_PLAIN`, years 1900-2100) are turned into dates in one
    numpy step (a day that does not exist, such as 31-02-2015, is bad, as in :func:`parse_day`);
    every other text goes through :func:`parse_date` itself.
    """
    n = len(values)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    status = np.empty(n, dtype=np.int8)
    fast: list[int] = []
    parts: list[tuple[str, str, str]] = []
    for i, v in enumerate(values):
        m = _DMY_PLAIN.fullmatch(v) if isinstance(v, str) else None
        if m is not None and "1900" <= m.group(3) <= "2100":
            fast.append(i)
            parts.append(m.groups())
            continue
        d, status[i] = parse_date(v)
        if d is not None:
            out[i] = d
    if fast:
        day, month, year = np.array(parts, dtype=np.int64).T
        first = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
        date = first.astype("datetime64[D]") + (day - 1)
        ok = (month >= 1) & (month <= 12) & (day >= 1) & (date.astype("datetime64[M]") == first)
        out[fast] = np.where(ok, date, np.datetime64("NaT"))
        status[fast] = np.where(ok, OK, BAD)
    return out, status


# ---------------------------------------------------------------------------
# levels
# ---------------------------------------------------------------------------

_ROMAN_RE = re.compile(r"^(I|II|III|IV|V)\s*([+-])?$")
_AE_RE = re.compile(r"^([A-E])\s*([+-])?$")


def parse_level(v: object) -> tuple[str | None, int]:
    """Normalise a level to the vocabulary in :mod:`plgdata.model.vocabulary` (``IV-`` -> ``IV``, ``1f`` -> ``1F``)."""
    t = clean(v)
    low = t.lower()
    if low in NON_RESULTS:
        return None, EMPTY
    up = t.upper().replace("–", "-")
    m = _ROMAN_RE.match(up)
    if m:
        base, sign = m.groups()
        if sign and base in ("I", "V"):
            return base + sign, OK
        return base, OK
    m = _AE_RE.match(up)
    if m:
        return m.group(1), OK
    ref = REF_LEVEL_WORDS.get(re.sub(r"\s+", " ", low)) or AVI_LEVEL_WORDS.get(re.sub(r"[\s-]", "", up))
    return (ref, OK) if ref else (None, BAD)


_FUNC_RE = re.compile(r"^([<>])?\s*([BME])\s*-?\s*([1-8])$")


def parse_func_level(v: object) -> tuple[str | None, int]:
    """``'> E7'`` -> ``'>E7'``; ``'M5'`` stays."""
    t = clean(v)
    if t.lower() in NON_RESULTS:
        return None, EMPTY
    m = _FUNC_RE.match(t.upper().replace("GROEP", "").replace("  ", " ").strip())
    if not m:
        return None, BAD
    return (m.group(1) or "") + m.group(2) + m.group(3), OK


# ---------------------------------------------------------------------------
# moments, groepen, classes, school years
# ---------------------------------------------------------------------------

_MOMENT_RE = re.compile(r"^(begin|midden|medio|einde|eind|b|m|e)[\s\-_.]*(?:groep|gr\.?|jaargroep)?[\s\-_.]*([1-8])?$")
_MOMENT_REV_RE = re.compile(r"^(?:groep|gr\.?)?\s*([1-8])\s*[-_ ]?\s*(b|m|e)$")
_MOMENT_IN_TEXT_RE = re.compile(
    r"\b(begin|midden|medio|einde|eind)\s*(?:jaar)?(?:groep|gr\.?)?\s*([1-8])(?![0-9])|(?<![a-z0-9])([bme])\s?([1-8])(?![0-9])"
)


def parse_moment(v: object) -> tuple[tuple[str | None, int | None] | None, int]:
    """``'M6'``, ``'E 6'``, ``'midden 6'``, ``'Medio groep 6'``, ``'Medio groep 6 (2023)'`` -> ``(('M', 6), OK)``;
    ``'M'`` -> ``(('M', None), OK)``."""
    t = clean(v).lower()
    if t in NON_RESULTS:
        return None, EMPTY
    m = _MOMENT_RE.match(t)
    if m:
        return (PERIOD_WORDS[m.group(1)], int(m.group(2)) if m.group(2) else None), OK
    m = _MOMENT_REV_RE.match(t)
    if m:
        return (m.group(2).upper(), int(m.group(1))), OK
    # a moment inside a longer text: "Medio groep 6 (2023)", "Normering M6 - midden"
    m = _MOMENT_IN_TEXT_RE.search(t)
    if m:
        word, num = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return (PERIOD_WORDS[word], int(num)), OK
    return None, BAD


_GROEP_WORD = re.compile(r"^(?:jaar)?groep\s*|^gr\s*\.?\s*|^leerjaar\s*")
_GROEP_CLASS_RE = re.compile(r"^(\d+)(?:[.,]0+)?\s*-?\s*([a-z])?$")


def parse_groep_class(v: object) -> tuple[tuple[int | None, str | None], int]:
    """``((groep, class), status)``: ``'Groep 6a'`` -> ``((6, '6A'), OK)``, ``'Gr. 8'`` -> ``((8, None), OK)``,
    ``'5/6'`` -> ``((None, '5/6'), EMPTY)`` (a combination class: no one groep).

    >>> parse_groep_class("5b"), parse_groep_class("Gr. 8"), parse_groep_class("groep 9")
    (((5, '5B'), 0), ((8, None), 0), ((None, None), 2))
    """
    t = clean(v).lower()
    if t in NON_RESULTS:
        return (None, None), EMPTY
    t = _GROEP_WORD.sub("", t)
    if re.match(r"^\d+\s*/\s*\d+", t):
        return (None, re.sub(r"\s+", "", t)), EMPTY
    m = _GROEP_CLASS_RE.match(t)
    if not m:
        return (None, None), BAD
    g = int(m.group(1))
    if not 1 <= g <= 8:
        return (None, None), BAD
    return (g, f"{g}{m.group(2).upper()}" if m.group(2) else None), OK


def parse_groep(v: object) -> tuple[int | None, int]:
    """``'6'``, ``'groep 6'``, ``'6A'`` -> 6; combination groups (``5/6``) -> EMPTY; others BAD."""
    (g, _), s = parse_groep_class(v)
    return g, s


def groep_from_class(v: object) -> int | None:
    """``'6A'`` -> 6 (None for ``'5/6'`` or names without a leading digit)."""
    m = re.match(r"^\s*(?:groep\s*)?([1-8])(?![\d/])", clean(v).lower())
    return int(m.group(1)) if m else None


_YEAR_RE = re.compile(r"(20\d{2})\s*[-/]\s*(20\d{2}|\d{2})")


def parse_school_year(v: object) -> str | None:
    """``'2024-2025'``, ``'2024/2025'``, ``'2024-25'`` -> ``'2024-2025'``."""
    m = _YEAR_RE.search(clean(v))
    if not m:
        return None
    y1 = int(m.group(1))
    y2 = int(m.group(2)) if len(m.group(2)) == 4 else 2000 + int(m.group(2))
    return f"{y1}-{y1 + 1}" if y2 == y1 + 1 else None


# ---------------------------------------------------------------------------
# identity numbers
# ---------------------------------------------------------------------------


def is_bsn(v: object) -> bool:
    """True when ``v`` is nine digits (leading zeros allowed, eight digits get one) passing the *elfproef*.

    A BSN (burgerservicenummer) is never a pupil's identity and is never stored.

    >>> is_bsn("111222333"), is_bsn("111222334"), is_bsn("1001")
    (True, False, False)
    """
    t = clean(v).replace(" ", "").replace(".", "")
    if not t.isascii() or not t.isdigit() or len(t) not in (8, 9):
        return False
    t = t.zfill(9)
    if t == "000000000":
        return False
    total = sum(int(c) * w for c, w in zip(t[:8], range(9, 1, -1))) - int(t[8])
    return total % 11 == 0
