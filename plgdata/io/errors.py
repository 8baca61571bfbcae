"""The one exception the readers raise for a file that cannot be read at all."""

from __future__ import annotations

from plgdata.model.errors import PlgdataError


class ReadError(PlgdataError):
    """A file (or a whole call) that cannot be read.

    ``message`` is Dutch and safe to show to a teacher: it names files, columns
    and row numbers, never a pupil.  ``mapping_template`` holds a ready-to-fill
    mapping file when the file was not recognised (else ``None``); ``report`` the
    load report of what was tried (a :class:`~plgdata.model.loadreport.LoadReport`), if any.
    """

    def __init__(self, message: str, *, columns: list[str] | None = None, mapping_template: str | None = None, report=None):
        super().__init__(message)
        self.report = report
        self.columns = list(columns or [])
        self.mapping_template = mapping_template
