"""Turn analysis output into plain YAML values, and read dates the Dutch way.

Everything stored in a cycle record is one of ``None``, ``bool``, ``int``,
``float``, ``str``, a list of those or a mapping with string keys.  Analyses hand
back numpy scalars, ``NaN``, pandas ``Timestamp`` values, DataFrames and small
result objects; :func:`to_plain` converts them once, at the moment they are recorded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import math
import re
from collections.abc import Mapping
from pathlib import PurePath

import numpy as np
import pandas as pd

from plgdata.cycle.errors import CycleError
from plgdata.model.parsing import OK, parse_day

_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None and value.time() == dt.time(0, 0):
        return value.date().isoformat()
    return value.isoformat(timespec="seconds")


#: what :func:`_plain_scalar` answers for a value that is not a scalar
_NOT_SCALAR = object()


def _plain_scalar(obj):
    """The plain form of a scalar (number, text, date, missing value), else ``_NOT_SCALAR``."""
    if obj is None or type(obj) in (bool, int, str):
        return obj
    if isinstance(obj, float):  # includes np.float64
        f = float(obj)
        return None if math.isnan(f) else f
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, enum.Enum):
        return to_plain(obj.value)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, np.floating):
        f = float(obj)
        return None if math.isnan(f) else f
    if isinstance(obj, str):  # str subclasses such as np.str_
        return str(obj)
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, decimal.Decimal):
        return to_plain(float(obj))
    if isinstance(obj, pd.Timestamp):
        return _iso_datetime(obj.to_pydatetime())
    if isinstance(obj, dt.datetime):
        return _iso_datetime(obj)
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, np.datetime64):
        return None if np.isnat(obj) else to_plain(pd.Timestamp(obj))
    if isinstance(obj, (pd.Timedelta, dt.timedelta)):
        return str(obj)
    if isinstance(obj, PurePath):
        return str(obj)
    return _NOT_SCALAR


def to_plain(obj):
    """Convert ``obj`` to plain YAML types (recursively).

    Parameters
    ----------
    obj : object
        A value from an analysis: numpy scalars and arrays, ``NaN``/``pd.NA``/``NaT``,
        pandas ``Timestamp``, ``date``/``datetime``, ``DataFrame`` (becomes a list of
        records), ``Series`` (a mapping index -> value), objects with a ``to_dict()``
        method (such as :class:`plgdata.model.loadreport.LoadReport`), dataclasses, mappings,
        lists, tuples and sets.

    Returns
    -------
    None, bool, int, float, str, list or dict
        ``NaN`` and missing values become ``None``; dates become ISO strings
        (``"2025-06-30"``, or ``"2025-06-30T14:05:00"`` when there is a time of day);
        mapping keys become strings.

    Raises
    ------
    CycleError
        For a value that has no plain form (the message names its type).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> to_plain({"n": np.int64(3), "g": np.float64("nan"), "d": pd.Timestamp("2025-06-30")})
    {'n': 3, 'g': None, 'd': '2025-06-30'}
    """
    scalar = _plain_scalar(obj)
    if scalar is not _NOT_SCALAR:
        return scalar
    if isinstance(obj, pd.DataFrame):
        return [to_plain(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return {str(to_plain(k)): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return [to_plain(v) for v in obj.tolist()]
    if isinstance(obj, Mapping):
        return {str(to_plain(k)): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        items = [to_plain(v) for v in obj]
        try:
            return sorted(items)
        except TypeError:
            return items
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        return to_plain(obj.to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return to_plain({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    try:  # other scalar missing values (e.g. pd.NaT subclasses)
        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    raise CycleError(
        f"Een waarde van het type '{type(obj).__name__}' kan niet in het cyclusbestand worden bewaard; "
        "geef een getal, tekst, datum, lijst of tabel."
    )


def to_iso_date(value, what: str = "datum") -> str | None:
    """A date as ``"JJJJ-MM-DD"``; reads every notation of :func:`plgdata.model.parsing.parse_day`
    (ISO, Dutch ``"30-06-2026"``, ``"30 jun. 2026"`` ...), dates and Timestamps.

    Raises :class:`CycleError` (Dutch) for text that is no date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, pd.Timestamp, np.datetime64)):
        plain = to_plain(value)
        return plain[:10] if plain else None
    text = str(value).strip()
    day, status = parse_day(text)
    if status != OK:
        _fail(text, what)
    return day.isoformat()


def _fail(text: str, what: str):
    raise CycleError(f"'{text}' is geen geldige {what}; schrijf de datum als JJJJ-MM-DD (bijv. 2026-06-30).")


def is_iso_date(value) -> bool:
    """True when ``value`` is text of the form ``JJJJ-MM-DD`` naming a real date."""
    if not isinstance(value, str) or not _ISO_DATE_RE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
