"""Dia (Diatoetsen): Diatekst, Diacijfer, Diaspel and Diawoord, measured *midden* and *eind*.

An export names the measurement in a *Meting* column ("Eind groep 5"); a Dia test is recognised
from its test names (the words are in :mod:`plgdata.model.vocabulary`) or Dia in the title or
file name.  Dia scores are on Dia's own scale.
"""

from __future__ import annotations

import re

from plgdata.io.dialects import Dialect, TableInfo, register
from plgdata.model.vocabulary import normalise_header

KIND = "Dia"
SCALE = "Dia"
#: Dia's test names (normalised); their subjects are in the vocabulary
TESTS = ("diatekst", "diacijfer", "diaspel", "diawoord")
_DIA_RE = re.compile(r"(?<![a-z])dia(toets(en)?)?(?![a-z])")


class Dia(Dialect):
    def detect(self, table: TableInfo) -> bool:
        names = " ".join((table.title, table.file_name, table.sheet or "")).lower()
        if _DIA_RE.search(names):
            return True
        return any(normalise_header(t).startswith(TESTS) for t in table.test_names[:50])


DIALECT = register(Dia(KIND, scale=SCALE, priority=25, header_variants={"moment": ("Meting",)}))
