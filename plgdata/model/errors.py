"""The one base class of every error plgdata raises for a teacher to read.

Every user-facing exception class in the package derives from :class:`PlgdataError`, so
the command line (and the report renderer) can show the Dutch message it was raised with
instead of "something unexpected".  The message is written for a teacher: Dutch, naming
files, columns and rows, never a pupil.  This module sits in the lowest layer so that
every layer may import it.
"""

from __future__ import annotations


class PlgdataError(Exception):
    """An error whose ``message`` is Dutch and safe to show to a teacher.

    Subclasses may add attributes (a load report, the separate problems); ``str(exc)`` is
    the message.

    Examples
    --------
    >>> class ProbeError(PlgdataError, ValueError):
    ...     pass
    >>> exc = ProbeError("Het bestand 'x.csv' is leeg.")
    >>> exc.message, str(exc), isinstance(exc, ValueError)
    ("Het bestand 'x.csv' is leeg.", "Het bestand 'x.csv' is leeg.", True)
    """

    def __init__(self, message: str, *args):
        super().__init__(message, *args)
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


def user_error_names() -> frozenset[str]:
    """The class names of every :class:`PlgdataError` subclass defined so far.

    A report notebook runs in another process; its failure reaches the renderer only as
    the exception's class name and text.  A name in this set means the text is one of
    plgdata's Dutch messages and may be shown.
    """
    seen: set[str] = set()
    todo = [PlgdataError]
    while todo:
        cls = todo.pop()
        seen.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return frozenset(seen)
