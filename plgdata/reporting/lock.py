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
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise FolderBusy(
            folder,
            f"plgdata kan niet schrijven in de map {folder} ({os.strerror(exc.errno) if exc.errno else 'geen toegang'}: "
            "de map is alleen-lezen of je hebt er geen schrijfrechten). Kies met --out een map waarin je mag schrijven. "
            "Deze opdracht is niet begonnen en heeft niets veranderd.",
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(folder) from None
        yield folder
    finally:
        os.close(fd)  # closing the file releases the lock


#: the hidden folder (inside the output folder) where a run writes its reports before they replace the old ones
STAGE_PREFIX = ".plgdata-nieuw-"


@contextlib.contextmanager
def staged_output(folder: str | Path) -> Iterator[Path]:
    """Write a run's reports into a hidden folder first; put them in ``folder`` only when the run ends.

    A run that is stopped (an error, Ctrl+C, ``SIGTERM`` via :func:`stop_on_sigterm`) leaves the
    old reports and the old index exactly as they were: no mix of old and new.  When the block ends
    normally every file is moved into ``folder`` (same-named files replaced) and ``index.html`` last,
    so the index never points at reports that are not there yet.  Leftovers of a run that was
    killed outright (``kill -9``) are removed the next time.
    """
    import shutil
    import tempfile

    folder = Path(folder)
    for old in folder.glob(STAGE_PREFIX + "*"):
        shutil.rmtree(old, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=folder))
    try:
        yield stage
        files = sorted((p for p in stage.rglob("*") if p.is_file()), key=lambda p: p.name == "index.html")
        for src in files:
            dest = folder / src.relative_to(stage)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Within the block a ``SIGTERM`` stops the run like Ctrl+C does (clean-up runs, nothing half is left)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _stop(signum, frame):
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, _stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
