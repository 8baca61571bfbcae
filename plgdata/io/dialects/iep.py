"""IEP LVS: a workbook with a sheet per subject, ontwikkelscore and referentieniveau."""

from __future__ import annotations

from collections.abc import Callable

from plgdata.io.dialects import Dialect, TableInfo, register
from plgdata.model.vocabulary import normalise_header, subject_alias, subject_of

KIND = "IEP"
SCALE = "IEP"

#: domain columns of the IEP export (percentages; parsed and checked, not stored)
DOMAIN_COLUMNS: tuple[str, ...] = (
    "Getallen", "Verhoudingen", "Meten en meetkunde", "Verbanden", "Meetkunde", "Meten",
    "Grammatica", "Spelling", "Interpunctie", "Werkwoordspelling", "Woordenschat", "Tekstbegrip",
    "Leesstrategieen", "Leesstrategieën", "Begrijpen", "Interpreteren", "Reflecteren",
)
_DOMAIN_NORM = {normalise_header(c) for c in DOMAIN_COLUMNS}


def is_iep(headers: list[str], sheet: str | None, title: str, file_name: str) -> bool:
    """An IEP table: ontwikkelscore or referentieniveau columns, or IEP in the title/file name."""
    norm = {normalise_header(h) for h in headers}
    if "ontwikkelscore" in norm or "referentieniveau" in norm:
        return True
    return "iep" in normalise_header(title) or normalise_header(file_name).startswith("iep")


def domain_columns(unknown: list[str]) -> list[str]:
    """The unrecognised columns that are IEP domain percentages."""
    return [c for c in unknown if normalise_header(c) in _DOMAIN_NORM]


class IEP(Dialect):
    def detect(self, table: TableInfo) -> bool:
        return is_iep(list(table.headers), table.sheet, table.title, table.file_name)

    def sheet_subject(self, sheet: str | None) -> str | None:
        """Canonical subject of a sheet named after it (``Rekenen``, ``Lezen``, ``Rekenen groep 5``)."""
        return subject_alias(sheet) or subject_of(sheet)

    def notes(self, table: TableInfo, unknown_columns: list[str], bad_cells: Callable[[str], int]) -> list[str]:
        dom = domain_columns(unknown_columns)
        if not dom:
            return []
        bad = sum(bad_cells(c) for c in dom)
        return [
            "domeinpercentages (" + ", ".join(dom) + ") gelezen en gecontroleerd, niet opgenomen in de scores-tabel"
            + (f"; {bad} cel(len) niet te lezen" if bad else "")
        ]


DIALECT = register(IEP(KIND, scale=SCALE, priority=10))
