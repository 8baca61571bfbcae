"""Parsing cell values: numbers with a decimal comma, dates, levels, moments, groepen.

Every parser works on one *distinct* value; :class:`Factor` dictionary-encodes a
column (pyarrow) so each distinct text is parsed once and the result is spread
back to all rows with a numpy take.  No Python loop ever runs over rows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from plgdata.io.mojibake import decode_cell, repair_mojibake
from plgdata.model.vocabulary import AVI_LEVEL_WORDS, MONTH_PERIOD, PERIOD_WORDS, REF_LEVEL_WORDS

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


class Factor:
    """A text column as codes into its distinct values (parse each distinct value once)."""

    def __init__(self, arr: pa.Array | pa.ChunkedArray, encoding: str | None = None):
        if isinstance(arr, pa.ChunkedArray) and pa.types.is_dictionary(arr.type) and arr.num_chunks > 1:
            # read straight into dictionaries (CSV): one shared dictionary, codes side by side
            arr = arr.unify_dictionaries()
            d_values = arr.chunk(0).dictionary
            codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in arr.chunks], dtype=np.int64)
            self._set(codes, d_values, encoding)
            return
        if isinstance(arr, pa.ChunkedArray):
            if arr.num_chunks == 0:
                arr = pa.array([], type=arr.type.value_type if pa.types.is_dictionary(arr.type) else arr.type)
            else:
                arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
        d = arr if pa.types.is_dictionary(arr.type) else pc.dictionary_encode(arr)
        self._set(d.indices.to_numpy(zero_copy_only=False), d.dictionary, encoding)

    def _set(self, codes: np.ndarray, dictionary: pa.Array, encoding: str | None) -> None:
        self.codes = codes.astype(np.int64, copy=False)
        self.uniques: list[str] = to_text(dictionary, encoding)
        self.n = len(self.codes)

    @classmethod
    def constant(cls, value: str, n: int) -> Factor:
        f = cls.__new__(cls)
        f.codes = np.zeros(n, dtype=np.int64)
        f.uniques = [value]
        f.n = n
        return f

    def map(self, func: Callable[[str], object], dtype=object) -> np.ndarray:
        """Apply ``func`` to each distinct value; return the per-row numpy result."""
        table = np.array([func(u) for u in self.uniques] or [None], dtype=dtype)
        if not self.uniques:
            return np.empty(0, dtype=dtype)
        return table[self.codes]

    def lut_pair(self, func: Callable[[str], tuple[object, int]], dtype=object) -> tuple[np.ndarray, np.ndarray]:
        """Per distinct value ``(values, statuses)`` of a ``(value, status)`` parser; index with :attr:`codes`."""
        res = [func(u) for u in self.uniques]
        vals = np.array([r[0] for r in res] or [None], dtype=dtype)
        stat = np.array([r[1] for r in res] or [EMPTY], dtype=np.int8)
        return vals, stat

    def map_pair(self, func: Callable[[str], tuple[object, int]], dtype=object) -> tuple[np.ndarray, np.ndarray]:
        """Like :meth:`map` for parsers returning ``(value, status)``."""
        res = [func(u) for u in self.uniques]
        vals = np.array([r[0] for r in res] or [None], dtype=dtype)
        stat = np.array([r[1] for r in res] or [EMPTY], dtype=np.int8)
        if not self.uniques:
            return np.empty(0, dtype=dtype), np.empty(0, dtype=np.int8)
        return vals[self.codes], stat[self.codes]

    def categorical(self, func: Callable[[str], str | None]) -> pd.Categorical:
        """Apply ``func`` to each distinct value and return a pandas Categorical."""
        mapped = [func(u) for u in self.uniques]
        cats = sorted({m for m in mapped if m is not None})
        pos = {c: i for i, c in enumerate(cats)}
        lut = np.array([pos[m] if m is not None else -1 for m in mapped] or [-1], dtype=np.int64)
        codes = lut[self.codes] if self.uniques else np.empty(0, dtype=np.int64)
        return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype=object) if cats else pd.Index([], dtype=object))


def to_text(arr: pa.Array | pa.ChunkedArray, encoding: str | None = None) -> list[str]:
    """Cells as Python text; binary columns (single-byte encodings) are decoded here, per value."""
    if isinstance(arr, pa.ChunkedArray):
        return [v for c in arr.chunks for v in to_text(c, encoding)]
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if pa.types.is_binary(arr.type) and arr.null_count == 0 and len(arr) > 64:
        # single-byte encodings: decode the whole value buffer once, then slice per value
        # (one byte is one character, so byte offsets are character offsets)
        enc = encoding or "latin-1"
        _, offsets_buf, data_buf = arr.buffers()
        offsets = np.frombuffer(offsets_buf, dtype=np.int32)[arr.offset : arr.offset + len(arr) + 1]
        lo, hi = int(offsets[0]), int(offsets[-1])
        raw = data_buf.slice(lo, hi - lo).to_pybytes() if data_buf is not None else b""
        text = raw.decode(enc, errors="replace")
        if len(text) == hi - lo:
            o = (offsets - lo).tolist()
            out = [text[a:b] for a, b in zip(o, o[1:])]
            if raw.isascii():
                return out
            # a UTF-8 line inside a single-byte file: such cells are decoded as UTF-8 (plgdata.io.mojibake)
            return [decode_cell(raw[a:b], enc) if not t.isascii() else t for t, a, b in zip(out, o, o[1:])]
    vals = arr.to_pylist()
    if pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type):
        enc = encoding or "latin-1"
        return [decode_cell(v, enc) if v is not None else "" for v in vals]
    return ["" if v is None else (repair_mojibake(v) if not v.isascii() else v) for v in vals]


def clean(v: object) -> str:
    """Cell text without surrounding white space (also non-breaking spaces)."""
    return str(v).replace("\xa0", " ").strip() if v is not None else ""


_NUM_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_number(v: str) -> tuple[float | None, int]:
    """``'171,0'`` -> 171.0; non-results (``afw``, ``-``, blank) -> EMPTY; other text -> BAD."""
    t = clean(v)
    if t.lower() in NON_RESULTS:
        return None, EMPTY
    t2 = t.replace(" ", "")
    if _NUM_RE.match(t2):
        return float(t2.replace(",", ".")), OK
    # thousands separators "1.234,5"
    if re.match(r"^\d{1,3}(\.\d{3})+(,\d+)?$", t2):
        return float(t2.replace(".", "").replace(",", ".")), OK
    return None, BAD


def parse_percent(v: str) -> tuple[float | None, int, bool]:
    """``'61%'`` -> (61.0, OK, True); ``'0,61'`` -> (0.61, OK, False); the flag says a % sign was present."""
    t = clean(v)
    has_pct = t.endswith("%")
    if has_pct:
        t = t[:-1].strip()
    x, s = parse_number(t)
    return x, s, has_pct


def parse_dle(v: str) -> tuple[float | None, int]:
    """``'>60'`` -> 60; ``'<10'`` -> 10; plain numbers as they are."""
    t = clean(v).lstrip("<>=").strip()
    return parse_number(t)


# ---------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------

_DMY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:[ T].*)?$")
_YMD_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(v: str) -> tuple[np.datetime64 | None, int]:
    """Dutch export dates: ``dd-mm-yyyy``, ``d-m-yyyy``, ``yyyymmdd``, ISO, Excel serial numbers."""
    t = clean(v)
    if t.lower() in NON_RESULTS:
        return None, EMPTY
    try:
        m = _DMY_RE.match(t)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            if y < 100:
                y += 2000 if y < 70 else 1900
            return np.datetime64(dt.date(y, mo, d), "ns"), OK
        m = _YMD_RE.match(t)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            return np.datetime64(dt.date(y, mo, d), "ns"), OK
        m = _COMPACT_RE.match(t)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            return np.datetime64(dt.date(y, mo, d), "ns"), OK
        x, s = parse_number(t)
        if s == OK and x is not None and 20000 <= x <= 80000:  # Excel serial day number
            return np.datetime64(_EXCEL_EPOCH + dt.timedelta(days=int(math.floor(x))), "ns"), OK
    except ValueError:
        return None, BAD
    return None, BAD


# ---------------------------------------------------------------------------
# levels
# ---------------------------------------------------------------------------

_ROMAN_RE = re.compile(r"^(I|II|III|IV|V)\s*([+-])?$")
_AE_RE = re.compile(r"^([A-E])\s*([+-])?$")


def parse_level(v: str) -> tuple[str | None, int]:
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


def parse_func_level(v: str) -> tuple[str | None, int]:
    """``'> E7'`` -> ``'>E7'``; ``'M5'`` stays."""
    t = clean(v)
    if t.lower() in NON_RESULTS:
        return None, EMPTY
    m = _FUNC_RE.match(t.upper().replace("GROEP", "").replace("  ", " ").strip())
    if not m:
        return None, BAD
    return (m.group(1) or "") + m.group(2) + m.group(3), OK


# ---------------------------------------------------------------------------
# moments, groepen, school years
# ---------------------------------------------------------------------------

_MOMENT_RE = re.compile(r"^(begin|midden|medio|einde|eind|b|m|e)[\s\-_.]*(?:groep|gr\.?|jaargroep)?[\s\-_.]*([1-8])?$")
_MOMENT_REV_RE = re.compile(r"^(?:groep|gr\.?)?\s*([1-8])\s*[-_ ]?\s*(b|m|e)$")


def parse_moment(v: str) -> tuple[tuple[str | None, int | None] | None, int]:
    """``'M6'``, ``'E 6'``, ``'midden 6'``, ``'Midden groep 6'`` -> ``(('M', 6), OK)``; ``'M'`` -> ``(('M', None), OK)``."""
    t = clean(v).lower()
    if t in NON_RESULTS:
        return None, EMPTY
    m = _MOMENT_RE.match(t)
    if m:
        return (PERIOD_WORDS[m.group(1)], int(m.group(2)) if m.group(2) else None), OK
    m = _MOMENT_REV_RE.match(t)
    if m:
        return (m.group(2).upper(), int(m.group(1))), OK
    return None, BAD


def parse_groep(v: str) -> tuple[int | None, int]:
    """``'6'``, ``'groep 6'``, ``'6A'`` -> 6; combination groups (``5/6``) -> EMPTY; others BAD."""
    t = clean(v).lower()
    if t in NON_RESULTS:
        return None, EMPTY
    t = re.sub(r"^(jaar)?groep\s*|^gr\.?\s*", "", t)
    if re.match(r"^\d+\s*/\s*\d+", t):
        return None, EMPTY
    m = re.match(r"^(\d+)(?:[.,]0+)?\s*[a-z]?$", t)
    if not m:
        return None, BAD
    g = int(m.group(1))
    return (g, OK) if 1 <= g <= 8 else (None, BAD)


def groep_from_class(v: str) -> int | None:
    """``'6A'`` -> 6 (None for ``'5/6'`` or names without a leading digit)."""
    m = re.match(r"^\s*(?:groep\s*)?([1-8])(?![\d/])", clean(v).lower())
    return int(m.group(1)) if m else None


_YEAR_RE = re.compile(r"(20\d{2})\s*[-/]\s*(20\d{2}|\d{2})")


def parse_school_year(v: str) -> str | None:
    """``'2024-2025'``, ``'2024/2025'``, ``'2024-25'`` -> ``'2024-2025'``."""
    m = _YEAR_RE.search(clean(v))
    if not m:
        return None
    y1 = int(m.group(1))
    y2 = int(m.group(2)) if len(m.group(2)) == 4 else 2000 + int(m.group(2))
    return f"{y1}-{y1 + 1}" if y2 == y1 + 1 else None


def period_from_month(month: np.ndarray, periods: tuple[str | None, ...] = MONTH_PERIOD) -> np.ndarray:
    """Period per month (object array, None for NaN); default Cito's windows: Dec-Mar M, Apr-Jul E, Aug-Nov B.

    ``periods`` is a dialect's own rule (13 entries, index = month, 0 = none).
    """
    lut = np.array(periods, dtype=object)
    m = np.nan_to_num(month, nan=0).astype(np.int64)
    return lut[m]


class Coded:
    """A categorical column under construction: int codes (-1 = missing) into a list of categories."""

    def __init__(self, codes: np.ndarray, cats: list):
        self.codes = codes
        self.cats = list(cats)

    @classmethod
    def missing(cls, n: int) -> Coded:
        return cls(np.full(n, -1, dtype=np.int64), [])

    @classmethod
    def const(cls, value, n: int) -> Coded:
        if value is None:
            return cls.missing(n)
        return cls(np.zeros(n, dtype=np.int64), [value])

    @classmethod
    def from_factor(cls, f: Factor, func: Callable[[str], object]) -> Coded:
        mapped = [func(u) for u in f.uniques]
        cats: list = []
        pos: dict = {}
        lut = []
        for m in mapped:
            if m is None:
                lut.append(-1)
                continue
            if m not in pos:
                pos[m] = len(cats)
                cats.append(m)
            lut.append(pos[m])
        table = np.array(lut + [-1], dtype=np.int64)
        return cls(table[f.codes] if f.uniques else np.full(f.n, -1, dtype=np.int64), cats)

    def isna(self) -> np.ndarray:
        return self.codes < 0

    def _lut_into(self, other: Coded) -> tuple[list, np.ndarray]:
        cats = list(self.cats)
        pos = {c: i for i, c in enumerate(cats)}
        lut = []
        for c in other.cats:
            if c not in pos:
                pos[c] = len(cats)
                cats.append(c)
            lut.append(pos[c])
        return cats, np.array(lut + [-1], dtype=np.int64)

    def fill(self, other: Coded) -> Coded:
        """Missing entries taken from ``other``."""
        cats, lut = self._lut_into(other)
        if not len(self.codes) or self.codes.min() >= 0:  # nothing missing (the categories still grow)
            return Coded(self.codes, cats)
        if self.codes.max() < 0:  # everything missing: all from other
            return Coded(lut[other.codes], cats)
        return Coded(np.where(self.codes >= 0, self.codes, lut[other.codes]), cats)

    def fill_value(self, value) -> Coded:
        if value is None:
            return self
        return self.fill(Coded.const(value, len(self.codes)))

    def take(self, idx: np.ndarray) -> Coded:
        return Coded(self.codes[idx], self.cats)

    @staticmethod
    def concat(parts: list[Coded]) -> Coded:
        out = parts[0]
        codes = [out.codes]
        cats = out.cats
        for p in parts[1:]:
            cats, lut = Coded(np.zeros(0, dtype=np.int64), cats)._lut_into(p)
            codes.append(lut[p.codes])
        return Coded(np.concatenate(codes), cats)

    def categorical(self) -> pd.Categorical:
        return pd.Categorical.from_codes(self.codes, categories=pd.Index([str(c) for c in self.cats], dtype="str"))
