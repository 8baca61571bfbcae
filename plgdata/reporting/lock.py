"""One plgdata command at a time per output folder.

``plgdata demo`` and ``plgdata rapport`` clear and refill their output folder (its ``.werk``
part, the reports, the index).  Two runs into the same folder at once would remove each
other's files halfway, so each run holds an exclusive lock on a small file in that folder for
as long as it writes; a second run is refused at once, before it changes anything.  The lock is
an ``flock`` on an open file: the operating system releases it when the process ends, also
after a crash or ``kill -9``, so a stale lock never blocks the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from plgdata.model.errors import PlgdataError

LOCK_NAME = ".plgdata-bezig.lock"


class FolderBusy(PlgdataError):
    """This run may not write into the folder (another run does, or it is no folder); ``message`` is Dutch."""

    def __init__(self, folder: Path, message: str | None = None):
        self.message = message or (
            f"In de map {folder} schrijft al een andere plgdata-opdracht (demo of rapport). Wacht tot die "
            "klaar is en probeer het daarna opnieuw, of kies een andere map met --out. Deze opdracht is "
            "niet begonnen en heeft niets in de map veranderd."
        )
        super().__init__(self.message)


@contextlib.contextmanager
def output_folder_lock(folder: str | Path) -> Iterator[Path]:
    """Hold the folder's lock while the block runs; :class:`FolderBusy` when another run has it."""
    folder = Path(folder).resolve()
    if folder.exists() and not folder.is_dir():
        raise FolderBusy(
            folder,
            f"{folder} is een bestand, geen map. Kies met --out een (nieuwe) map voor de rapporten. Deze opdracht "
            "is niet begonnen en heeft niets veranderd.",
        )
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(folder) from None
        yield folder
    finally:
        os.close(fd)  # closing the file releases the lock
