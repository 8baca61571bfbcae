"""Parsing cell columns: each distinct text once (the parsers of one value live in :mod:`plgdata.model.parsing`).

Every parser works on one *distinct* value; :class:`Factor` dictionary-encodes a
column (pyarrow) so each distinct text is parsed once and the result is spread
back to all rows with a numpy take.  No Python loop ever runs over rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from plgdata.io.mojibake import decode_cell, repair_mojibake
from plgdata.model.parsing import (  # noqa: F401 (the parsers' one home, re-exported for the readers)
    BAD,
    EMPTY,
    NON_RESULTS,
    OK,
    clean,
    groep_from_class,
    parse_date,
    parse_dates,
    parse_dle,
    parse_func_level,
    parse_groep,
    parse_groep_class,
    parse_level,
    parse_moment,
    parse_number,
    parse_percent,
    parse_school_year,
)
from plgdata.model.vocabulary import MONTH_PERIOD


class Factor:
    """A text column as codes into its distinct values (parse each distinct value once)."""

    def __init__(self, arr: pa.Array | pa.ChunkedArray, encoding: str | None = None):
        if isinstance(arr, pa.ChunkedArray) and pa.types.is_dictionary(arr.type) and arr.num_chunks > 1:
            # read straight into dictionaries (CSV): one shared dictionary, codes side by side
            arr = arr.unify_dictionaries()
            d_values = arr.chunk(0).dictionary
            codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in arr.chunks], dtype=np.int32)
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
        # int32 codes (a column has far fewer than 2**31 distinct texts): half the memory of a large file
        self.codes = codes.astype(np.int32, copy=False)
        self.uniques: list[str] = to_text(dictionary, encoding)
        self.n = len(self.codes)

    @classmethod
    def constant(cls, value: str, n: int) -> Factor:
        f = cls.__new__(cls)
        f.codes = np.zeros(n, dtype=np.int32)
        f.uniques = [value]
        f.n = n
        return f

    def row_counts(self) -> np.ndarray:
        """How many rows hold each distinct value (counted once): a count of rows whose value
        parses badly is a sum over the distinct values, not a pass over the rows."""
        counts = self.__dict__.get("_row_counts")
        if counts is None:
            counts = self._row_counts = np.bincount(self.codes, minlength=len(self.uniques))
        return counts

    def count_where(self, flags) -> int:
        """The number of rows whose distinct value has ``flags`` (one flag per distinct value) set."""
        flags = np.asarray(flags, dtype=bool)[: len(self.uniques)]
        return int(self.row_counts()[flags].sum()) if len(flags) else 0

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

    def dates(self) -> tuple[np.ndarray, np.ndarray]:
        """:func:`~plgdata.model.parsing.parse_dates` of the distinct values, as :meth:`lut_pair`
        gives ``parse_date``'s: ``(datetime64[ns] values, statuses)``, index with :attr:`codes`."""
        if not self.uniques:
            return np.array([np.datetime64("NaT")], dtype="datetime64[ns]"), np.array([EMPTY], dtype=np.int8)
        return parse_dates(self.uniques)

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
        lut = np.array([pos[m] if m is not None else -1 for m in mapped] or [-1], dtype=np.int32)
        codes = lut[self.codes] if self.uniques else np.empty(0, dtype=np.int32)
        cats = pd.Index(cats, dtype=object) if cats else pd.Index([], dtype=object)
        return pd.Categorical.from_codes(codes, categories=cats, validate=False)  # codes from the look-up: valid


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
        return cls(np.full(n, -1, dtype=np.int32), [])

    @classmethod
    def const(cls, value, n: int) -> Coded:
        if value is None:
            return cls.missing(n)
        return cls(np.zeros(n, dtype=np.int32), [value])

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
        table = np.array(lut + [-1], dtype=np.int32)
        return cls(table[f.codes] if f.uniques else np.full(f.n, -1, dtype=np.int32), cats)

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
        return cats, np.array(lut + [-1], dtype=np.int32)

    def fill(self, other: Coded) -> Coded:
        """Missing entries taken from ``other``."""
        cats, lut = self._lut_into(other)
        if not len(self.codes) or self.codes.min() >= 0:  # nothing missing (the categories still grow)
            return Coded(self.codes, cats)
        if self.codes.max() < 0:  # everything missing: all from other
            return Coded(lut[other.codes], cats)
        return Coded(np.where(self.codes >= 0, self.codes, lut[other.codes]), cats)

    def fill_value(self, value) -> Coded:
        """Missing entries set to ``value`` (what :meth:`fill` with a constant gives, without one)."""
        if value is None:
            return self
        cats, lut = self._lut_into(Coded(np.zeros(0, dtype=np.int32), [value]))
        if not len(self.codes) or self.codes.min() >= 0:
            return Coded(self.codes, cats)
        return Coded(np.where(self.codes >= 0, self.codes, lut[0]).astype(self.codes.dtype, copy=False), cats)

    def take(self, idx: np.ndarray) -> Coded:
        return Coded(self.codes[idx], self.cats)

    @staticmethod
    def concat(parts: list[Coded]) -> Coded:
        out = parts[0]
        codes = [out.codes]
        cats = out.cats
        for p in parts[1:]:
            cats, lut = Coded(np.zeros(0, dtype=np.int32), cats)._lut_into(p)
            codes.append(lut[p.codes])
        return Coded(np.concatenate(codes), cats)

    def categorical(self) -> pd.Categorical:
        return pd.Categorical.from_codes(self.codes, categories=pd.Index([str(c) for c in self.cats], dtype="str"))
