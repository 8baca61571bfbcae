"""Cito LOVS / Leerling in beeld: the fallback dialect (long lists and wide group overviews).

Its scale rule: the version named in the title or file name, else Cito 3.0 *assumed* (the
load report says so).
"""

from __future__ import annotations

from plgdata.io.dialects import Dialect, TableInfo, register
from plgdata.model.vocabulary import ASSUMED_CITO_SCALE, scale_of

KIND_LONG = "Cito (lang)"
KIND_WIDE = "Cito (breed overzicht)"
DEFAULT_SCALE = ASSUMED_CITO_SCALE


def default_scale(*texts: str) -> tuple[str, bool]:
    """Scale for a Cito file without a version per row: from the title or file name, else Cito 3.0.

    Returns ``(scale, assumed)``; ``assumed`` is True when nothing named a version.
    """
    for t in texts:
        s = scale_of(t)
        if s is not None:
            return s, False
    return DEFAULT_SCALE, True


class Cito(Dialect):
    def detect(self, table: TableInfo) -> bool:
        return True  # the fallback: every table no other dialect claims

    def kind(self, table: TableInfo) -> str:
        return KIND_WIDE if table.wide else KIND_LONG

    def default_scale(self, table: TableInfo) -> tuple[str | None, bool]:
        return default_scale(table.title, table.file_name)

    def version_scale(self, year: str) -> str:
        return f"Cito {year}"


DIALECT = register(Cito("Cito", scale=DEFAULT_SCALE, priority=1000))
