"""Numbers one report computes and another reads, within one run of reports.

The *opbrengstenrapport* shows the numbers of the six groepsoverzichten ("no numbers of its
own"), so a run that renders both (``plgdata demo``, ``plgdata rapport``) computed every
groepsoverzicht twice, in two kernels.  Inside :func:`shared_numbers` the kernels that run
the reports share a private folder (named in ``$PLGDATA_REKENMAP``): :func:`keep` stores a
result there under its question and the data it was computed from, :func:`recall` finds it.
Outside such a run both do nothing, so a notebook opened by a team computes everything
itself.  The folder lives as long as the run and is removed with everything in it; it holds
numbers per groep (already suppressed for small groups), never a pupil's name or number.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: environment variable naming the run's folder (inherited by the report kernels)
MEMO_ENV = "PLGDATA_REKENMAP"
_MISSING = object()


@contextlib.contextmanager
def shared_numbers() -> Iterator[Path]:
    """A private folder for the run's shared numbers, named in the environment the report kernels inherit."""
    folder = Path(tempfile.mkdtemp(prefix="plgdata-rekenmap-"))
    before = os.environ.get(MEMO_ENV)
    os.environ[MEMO_ENV] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop(MEMO_ENV, None)
        else:
            os.environ[MEMO_ENV] = before
        shutil.rmtree(folder, ignore_errors=True)


def _path(question: str, ds, key: tuple) -> Path | None:
    folder = os.environ.get(MEMO_ENV)
    if not folder or not Path(folder).is_dir():
        return None
    data = fingerprint(ds)
    if data is None:
        return None
    digest = hashlib.sha256(repr((question, data, key)).encode("utf-8")).hexdigest()[:24]
    return Path(folder) / f"{question}-{digest}.pkl"


def fingerprint(ds) -> tuple | None:
    """The data a question is asked about (the same question about other data is another one):
    per table its length and a hash of its values (3 ms for the sample school), ``None`` when a
    cell cannot be hashed."""
    import pandas as pd

    try:
        return tuple(
            (len(t), int(pd.util.hash_pandas_object(t, index=False).sum()))
            for t in (ds.scores, ds.pupils, ds.interventions, ds.participation)
        )
    except (TypeError, ValueError):  # a cell pandas cannot hash: then nothing is shared
        return None


def recall(question: str, ds, key: tuple):
    """The value :func:`keep` stored for ``question`` about ``ds`` with ``key`` in this run, else ``None``."""
    path = _path(question, ds, key)
    if path is None or not path.exists():
        return None
    try:
        return pickle.loads(path.read_bytes())  # noqa: S301 - written by this run, in its own private folder
    except Exception:  # noqa: BLE001 - half written or unreadable: compute it again
        return None


def keep(question: str, ds, key: tuple, value) -> None:
    """Store ``value`` for the rest of the run (nothing outside :func:`shared_numbers`)."""
    path = _path(question, ds, key)
    if path is None:
        return
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:  # a full disk costs only time
        tmp.unlink(missing_ok=True)
