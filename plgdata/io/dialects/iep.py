"""IEP LVS: a workbook with a sheet per subject, ontwikkelscore and referentieniveau."""

from __future__ import annotations

import re
from collections.abc import Callable

from plgdata.io.dialects import Dialect, TableInfo, register
from plgdata.model.vocabulary import normalise_header, subject_alias, subject_of

KIND = "IEP"
SCALE = "IEP"

#: domain columns of the IEP export (percentages; parsed and checked, not stored)
DOMAIN_COLUMNS: tuple[str, ...] = (
    "Getallen",
    "Verhoudingen",
    "Meten en meetkunde",
    "Verbanden",
    "Meetkunde",
    "Meten",
    "Grammatica",
    "Spelling",
    "Interpunctie",
    "Werkwoordspelling",
    "Woordenschat",
    "Tekstbegrip",
    "Leesstrategieen",
    "Leesstrategieën",
    "Begrijpen",
    "Interpreteren",
    "Reflecteren",
)
_DOMAIN_NORM = {normalise_header(c) for c in DOMAIN_COLUMNS}


#: IEP names its tests by level: "Rekenen 1F-2F", "Lezen <1F-1F-2F"
_LEVEL_TEST_RE = re.compile(r"(<\s*)?[12][FS]\s*-\s*[12][FS]", re.IGNORECASE)


def is_iep(headers: list[str], sheet: str | None, title: str, file_name: str, test_names=()) -> bool:
    """An IEP table, decided from the whole header set and the test names.

    An ontwikkelscore column, IEP in the title or file name, or tests named by level
    ("Rekenen 1F-2F").  A Referentieniveau column alone does not make a file IEP: Leerling
    in beeld exports carry one too.
    """
    norm = {normalise_header(h) for h in headers}
    if "ontwikkelscore" in norm:
        return True
    if "iep" in normalise_header(title) or normalise_header(file_name).startswith("iep"):
        return True
    return bool(test_names) and all(_LEVEL_TEST_RE.search(t) for t in test_names[:50])


def domain_columns(unknown: list[str]) -> list[str]:
    """The unrecognised columns that are IEP domain percentages."""
    return [c for c in unknown if normalise_header(c) in _DOMAIN_NORM]


class IEP(Dialect):
    def detect(self, table: TableInfo) -> bool:
        return is_iep(list(table.headers), table.sheet, table.title, table.file_name, table.test_names)

    def sheet_subject(self, sheet: str | None) -> str | None:
        """Canonical subject of a sheet named after it (``Rekenen``, ``Lezen``, ``Rekenen groep 5``)."""
        return subject_alias(sheet) or subject_of(sheet)

    def notes(self, table: TableInfo, unknown_columns: list[str], bad_cells: Callable[[str], int]) -> list[str]:
        dom = domain_columns(unknown_columns)
        if not dom:
            return []
        bad = sum(bad_cells(c) for c in dom)
        return [
            "domeinpercentages ("
            + ", ".join(dom)
            + ") gelezen en gecontroleerd, niet opgenomen in de scores-tabel"
            + (f"; {bad} cel(len) niet te lezen" if bad else "")
        ]


#: IEP's test windows: one window is one moment, whatever weeks it spans (late November to
#: mid December, or January-February, is "midden"; May-June "eind")
IEP_MONTH_PERIODS = (None, "M", "M", "M", "E", "E", "E", "E", "B", "B", "B", "M", "M")

DIALECT = register(IEP(KIND, scale=SCALE, priority=10, month_periods=IEP_MONTH_PERIODS, percent_correct_groups=(3, 4, 5)))
