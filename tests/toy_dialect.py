"""A toy LVS dialect, kept in the test folder: proof that a new vendor is one module.

"Toetsmeester" exports say *Leerlingcode* and *Punten*, name their tests "TM Rekenen blok 2",
have their own scale and are continuously normed (the moment follows from the date).
"""

from __future__ import annotations

from plgdata.io.dialects import Dialect, TableInfo


class Toetsmeester(Dialect):
    def detect(self, table: TableInfo) -> bool:
        return "punten" in table.normalised_headers() and any(t.startswith("TM ") for t in table.test_names)


DIALECT = Toetsmeester(
    "Toetsmeester",
    scale="Toetsmeester",
    priority=30,
    continuous=True,
    header_variants={"raw_number": ("Leerlingcode",), "score": ("Punten",), "date": ("Afgenomen",), "test_name": ("Onderdeel",)},
)
