"""Boom LVS: continuously normed, so the moment follows from the test date.

The period is derived from the month (Dec-Mar = M, Apr-Jul = E, Aug-Nov = B) and the
test level is the pupil's groep (see :func:`plgdata.io.scores.cleaning.period_from_month`).
"""

from __future__ import annotations

from plgdata.io.dialects import Dialect, TableInfo, register
from plgdata.model.vocabulary import BOOM_TEST_WORDS, normalise_header, scale_of

KIND = "Boom"
SCALE = "Boom"


#: words of test names that say Boom LVS (normalised; its own test words are in the vocabulary)
TESTS = ("boom", *BOOM_TEST_WORDS)


class Boom(Dialect):
    def detect(self, table: TableInfo) -> bool:
        """Boom LVS named in the title, file name or mapping file's scale, or a test name only Boom has."""
        if "boom" in normalise_header(table.title) or "boom" in normalise_header(table.file_name):
            return True
        if scale_of(table.fixed.get("scale", "")) == SCALE:
            return True
        return any(w in normalise_header(t) for t in table.test_names[:50] for w in TESTS)


DIALECT = register(Boom(KIND, scale=SCALE, priority=20, continuous=True, vendor="Boom LVS"))
