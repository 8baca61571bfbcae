"""Cito Leerling in beeld (LiB): Niveau (I-V, with I+ ... V-), Referentieniveau (1F, 1S, 2F,
<1F), Functioneringsniveau and Percentiel side by side, on the Leerling in beeld scale.

Detected from the vendor's name in the title, file name or test names, or from the whole header
set: a Referentieniveau column *together with* a Niveau column and a Functioneringsniveau or
Percentiel column (an IEP export has an ontwikkelscore instead).
"""

from __future__ import annotations

from plgdata.io.dialects import Dialect, TableInfo, register
from plgdata.model.vocabulary import normalise_header

KIND = "Leerling in beeld"
SCALE = "Leerling in beeld"


class LeerlingInBeeld(Dialect):
    def detect(self, table: TableInfo) -> bool:
        names = table.names() + " " + " ".join(normalise_header(t) for t in table.test_names[:50])
        if "leerlinginbeeld" in names:
            return True
        h = table.normalised_headers()
        return "referentieniveau" in h and "niveau" in h and bool(h & {"functioneringsniveau", "percentiel"})


DIALECT = register(LeerlingInBeeld(KIND, scale=SCALE, priority=15))
