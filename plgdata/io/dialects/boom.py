"""Boom LVS specifics: continuously normed, so the moment follows from the test date.

The period is derived from the month (Dec-Mar = M, Apr-Jul = E, Aug-Nov = B) and the
test level is the pupil's groep (see :func:`plgdata.io.scores.cleaning.period_from_month`).
"""

from __future__ import annotations

from plgdata.io.columns import normalise_header

KIND = "Boom"
SCALE = "Boom"


def is_boom(title: str, file_name: str, test_names: list[str]) -> bool:
    """Boom LVS named in the title, file name or a test name."""
    if "boom" in normalise_header(title) or "boom" in normalise_header(file_name):
        return True
    return any("boom" in normalise_header(t) for t in test_names[:50])
