"""Where reading a large table uses a second thread (issue 18: a million rows in well under a second).

After pyarrow's parse (which uses every core) the cleaning of one large table is numpy and pandas
work on a million rows.  These parts run beside the main line:

* pyarrow's parse of a large file's batch, while the main line looks for a quote in it
  (:mod:`plgdata.io.scores.text`, files of :data:`PARALLEL_MIN_BYTES` or more);
* who each row is (pseudonyms, flags, background) beside the test fields and results
  (:func:`plgdata.io.scores.tables.process_table`);
* the pupils frame beside the assembly of the scores, the duplicates beside their validation,
  and half of the scores' columns when they are taken at the loaded records
  (:mod:`plgdata.io.scores.core`).

Each is arranged so that its result is exactly that of one thread (``tests/test_read_threads.py``
reads every real-shaped fixture both ways).  Much of the work holds Python's GIL between numpy
calls, so while a large table is read the interpreter switches threads every
:data:`SWITCH_SECONDS` instead of every 5 ms: a thread back from a numpy call that released the
GIL then waits for it a fraction of a millisecond, not up to 5 ms, each time.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

#: from this many rows on, a table is cleaned with a second thread
PARALLEL_MIN_ROWS = 100_000
#: from this many bytes on, a batch of a text file is parsed in a second thread
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
#: the interpreter's thread switch interval while a large table is read (Python's default: 0.005)
SWITCH_SECONDS = 0.0002


def large(n_rows: int) -> bool:
    """Whether a table of ``n_rows`` rows is cleaned with a second thread."""
    return n_rows >= PARALLEL_MIN_ROWS


def beside(func: Callable[..., T], *args) -> Callable[[], T]:
    """Start ``func(*args)`` in a second thread; returns the function that waits for its result
    (and raises what it raised)."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(func, *args)
    pool.shutdown(wait=False)  # the thread ends when func does
    return future.result


def settle(result: Callable[[], object]) -> None:
    """Wait for a thread started by :func:`beside` whose result is no longer wanted (its error too)."""
    try:
        result()
    except Exception:  # noqa: BLE001, S110 - an error elsewhere is being raised; this one adds nothing
        pass


_switching = threading.Lock()
_readers = [0, 0.005]  # large reads going on, and the interval before the first of them


@contextmanager
def quick_switching(n_rows: int):
    """Switch threads every :data:`SWITCH_SECONDS` while a large table is read; the interval the
    first of several reads at once found is put back when the last one ends."""
    if not large(n_rows):
        yield
        return
    with _switching:
        if not _readers[0]:
            _readers[1] = sys.getswitchinterval()
            sys.setswitchinterval(min(_readers[1], SWITCH_SECONDS))
        _readers[0] += 1
    try:
        yield
    finally:
        with _switching:
            _readers[0] -= 1
            if not _readers[0]:
                sys.setswitchinterval(_readers[1])
