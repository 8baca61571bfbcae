"""IEP LVS specifics: a workbook with a sheet per subject, ontwikkelscore and referentieniveau."""

from __future__ import annotations

from plgdata.io.columns import normalise_header
from plgdata.model.vocabulary import subject_alias

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


def sheet_subject(sheet: str | None) -> str | None:
    """Canonical subject of a sheet named after it (``Rekenen``, ``Lezen``)."""
    return subject_alias(sheet)


def domain_columns(unknown: list[str]) -> list[str]:
    """The unrecognised columns that are IEP domain percentages."""
    return [c for c in unknown if normalise_header(c) in _DOMAIN_NORM]
