"""LVS dialects: one module per vendor behind one protocol, found through a registry.

A dialect says, for the tables of one pupil monitoring system (LVS):

* **detect** - whether a table is its own, from the *whole* header set, the test names, the
  title, the file and sheet name (never from one column alone);
* **header variants** - column names only this vendor uses (``field -> names``);
* **value vocabulary** - subject words (e.g. a sheet named ``Lezen``), added to
  :mod:`plgdata.model.vocabulary` or given by :meth:`Dialect.sheet_subject`;
* **scale rule** - which scale a result has when the row and the test name say none;
* **moment rule** - whether the moment follows from the test date (continuously normed);
* **notes** - what the load report says about columns only this vendor has.

Adding a vendor is one new module in this package that calls :func:`register` with an
instance of a :class:`Dialect` subclass; every module here is imported the first time the
registry is asked.  A dialect kept elsewhere (a school's own, a test's toy) is registered the
same way and taken out again with :func:`unregister`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from plgdata.model.vocabulary import MONTH_PERIOD, normalise_header


@dataclass(frozen=True)
class TableInfo:
    """What a dialect sees when it decides whether a table is its own."""

    headers: tuple[str, ...]
    fields: Mapping[str, str]  # recognised field -> column
    test_names: tuple[str, ...]  # distinct, non-empty test names
    title: str = ""
    file_name: str = ""
    sheet: str | None = None
    fixed: Mapping[str, str] = field(default_factory=dict)  # fixed values of a mapping file
    wide: bool = False  # one column group per subject and moment

    def normalised_headers(self) -> set[str]:
        return {normalise_header(h) for h in self.headers}

    def names(self) -> str:
        """Title, file and sheet name as one normalised text (for vendor names)."""
        return " ".join(normalise_header(t) for t in (self.title, self.file_name, self.sheet or ""))


@dataclass(frozen=True)
class Dialect:
    """One LVS vendor's export conventions (see the module docstring for each facet)."""

    name: str  # the file's kind in the load report
    scale: str | None = None  # scale of a result whose row and test name name none
    priority: int = 50  # dialects are tried in this order (lowest first); the fallback is last
    header_variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    continuous: bool = False  # moment rule: moment from the test date, test level = groep
    vendor: str = ""  # the name a teacher knows (load-report notes); defaults to ``name``
    #: moment rule for a test date: period per month (index 1-12; 0 unused); Cito's windows by default
    month_periods: tuple[str | None, ...] = MONTH_PERIOD
    #: groepen whose results are percentages correct, not scores on ``scale``: their own scale
    percent_correct_groups: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return self.vendor or self.name

    def detect(self, table: TableInfo) -> bool:
        """True when ``table`` is an export of this vendor."""
        return False

    def kind(self, table: TableInfo) -> str:
        """The kind named in the load report."""
        return self.name

    def sheet_subject(self, sheet: str | None) -> str | None:
        """Subject named by a sheet (workbooks with a sheet per subject), else None."""
        return None

    def default_scale(self, table: TableInfo) -> tuple[str | None, bool]:
        """``(scale, assumed)`` for results whose row and test name name no scale."""
        return self.scale, False

    def version_scale(self, year: str) -> str:
        """The scale of a test version written as a year (``'SP 2011'`` -> ``'Cito 2011'``)."""
        return f"{self.name} {year}"

    def notes(self, table: TableInfo, unknown_columns: list[str], bad_cells: Callable[[str], int]) -> list[str]:
        """Load-report notes on columns only this vendor has (``bad_cells(column)`` counts unreadable cells)."""
        return []


_REGISTRY: dict[str, Dialect] = {}
_loaded = False
_version = [0]  # bumped on every change: caches of known headers depend on it


def register(dialect: Dialect) -> Dialect:
    """Add (or replace) a dialect; returns it."""
    _REGISTRY[dialect.name] = dialect
    _changed()
    return dialect


def unregister(name: str) -> None:
    """Take a dialect out of the registry (a toy dialect after a test)."""
    _REGISTRY.pop(name, None)
    _changed()


def _changed() -> None:
    _version[0] += 1


def version() -> int:
    """A number that changes whenever the registry changes."""
    _load_builtin()
    return _version[0]


def builtin_modules() -> tuple[str, ...]:
    """The modules of plgdata's own dialects (each registers its dialect when imported)."""
    return tuple(f"{__name__}.{mod.name}" for mod in pkgutil.iter_modules(__path__))


def _load_builtin() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for name in builtin_modules():
            importlib.import_module(name)


def registered() -> list[Dialect]:
    """Every dialect, in the order they are tried."""
    _load_builtin()
    return sorted(_REGISTRY.values(), key=lambda d: d.priority)


def detect(table: TableInfo) -> Dialect:
    """The first dialect that recognises ``table`` (the fallback dialect accepts every table)."""
    for d in registered():
        if d.detect(table):
            return d
    raise LookupError("geen dialect herkent deze tabel")  # pragma: no cover - the fallback accepts all


def month_periods_of(scale: str) -> tuple[str | None, ...]:
    """The test windows (period per month, index 1-12) of the system whose scale this is; Cito's otherwise.

    >>> month_periods_of("IEP")[11], month_periods_of("Cito 3.0")[11]
    ('M', 'B')
    """
    for d in registered():
        if d.scale and d.scale == scale:
            return d.month_periods
    return MONTH_PERIOD


def header_variants() -> dict[str, str]:
    """Normalised header -> field, for the variants every registered dialect adds."""
    key = version()
    if _variants_cache.get("version") != key:
        _variants_cache.clear()
        _variants_cache["version"] = key
        _variants_cache["index"] = {
            normalise_header(v): f for d in registered() for f, vs in d.header_variants.items() for v in vs
        }
    return _variants_cache["index"]


_variants_cache: dict[str, object] = {}
