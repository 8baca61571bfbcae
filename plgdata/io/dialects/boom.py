"""Boom LVS: continuously normed, so the moment follows from the test date.

The period is derived from the month (Dec-Mar = M, Apr-Jul = E, Aug-Nov = B) and the
test level is the pupil's groep (see :func:`plgdata.io.scores.cleaning.period_from_month`).
"""

from __future__ import annotations

from plgdata.io.dialects import Dialect, TableInfo, register
from plgdata.model.vocabulary import normalise_header, scale_of

KIND = "Boom"
SCALE = "Boom"


class Boom(Dialect):
    def detect(self, table: TableInfo) -> bool:
        """Boom LVS named in the title, file name, a test name or the mapping file's scale."""
        if "boom" in normalise_header(table.title) or "boom" in normalise_header(table.file_name):
            return True
        if scale_of(table.fixed.get("scale", "")) == SCALE:
            return True
        return any("boom" in normalise_header(t) for t in table.test_names[:50])


DIALECT = register(Boom(KIND, scale=SCALE, priority=20, continuous=True, vendor="Boom LVS"))
