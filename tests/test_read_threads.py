"""Reading a large table uses a second thread (issue 18: speed); what it reads is exactly what one
thread reads.

Who each row is (pseudonyms, flags, background) is worked out beside the test fields and results
and the scores are validated while the duplicates are found (:mod:`plgdata.io.scores.threads`).
Here the threshold is set to 0, so every table of every real-shaped export goes the threaded way, and the frames, the
notes and the load report must equal those of reading it in one thread.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from plgdata.io.scores import read_scores, threads
from plgdata.io.scores.errors import ReadError
from plgdata.model import loadreport as lr

KEY = b"test-key-0123456789abcdef0123456"
FIXTURES = Path(__file__).parent / "fixtures" / "exports"
SAMPLE = Path(__file__).parent.parent / "data" / "sample"
FILES = sorted(
    p for d in ("good", "real", "malformed") for p in (FIXTURES / d).iterdir() if p.suffix in (".csv", ".xlsx", ".xls", ".txt")
)


def _read(path: Path, threshold: int, monkeypatch):
    monkeypatch.setattr(threads, "PARALLEL_MIN_ROWS", threshold)
    try:
        return read_scores(path, secret=KEY, school="OBS De Proefschool")
    except ReadError as exc:
        return exc.message


@pytest.mark.parametrize("path", [*FILES, SAMPLE], ids=lambda p: p.name)
def test_threaded_read_equals_one_thread(path, monkeypatch):
    one = _read(path, 10**12, monkeypatch)
    two = _read(path, 0, monkeypatch)
    if isinstance(one, str):  # a refused file is refused alike
        assert two == one
        return
    pd.testing.assert_frame_equal(two.scores, one.scores)
    pd.testing.assert_frame_equal(two.pupils, one.pupils)
    assert [dataclasses.asdict(f) for f in two.report.files] == [dataclasses.asdict(f) for f in one.report.files]
    assert len(one.scores) or len(one.pupils) or path.parent.name == "malformed"


def test_notes_of_who_each_row_is_come_first(tmp_path, monkeypatch):
    """The notes made while working out who each row is (here: M/V gender codes) stand where one
    thread puts them, before those of the test fields (here: the moment read from the test name)."""
    path = tmp_path / "spelling_2024-2025.csv"
    path.write_text(
        "Leerlingnummer;Achternaam;Voornaam;Geslacht;Groep;Toets;Afnamedatum;Vaardigheidsscore\n"
        "1001;Jansen;Piet;M;5;Spelling 3.0 M5;20-01-2025;130\n"
        "1002;Bakker;Els;V;5;Spelling 3.0 M5;21-01-2025;125\n",
        encoding="utf-8",
    )
    for threshold in (10**12, 0):
        notes = _read(path, threshold, monkeypatch).report.files[0].notes
        gender = next(i for i, n in enumerate(notes) if "M/V-codering" in n)
        moment = next(i for i, n in enumerate(notes) if "uit de toetsnaam" in n)
        assert gender < moment, notes


def test_pupils_made_ahead_are_made_again_when_a_duplicate_row_is_dropped(tmp_path, monkeypatch):
    """The pupils frame made beside the scores uses the rows loaded before duplicates are removed.
    Here the only row that gives pupil 1001's gender is a duplicate result: once it is dropped the
    gender is unknown, as in one thread, not the gender of the dropped row."""
    path = tmp_path / "spelling_2024-2025.csv"
    path.write_text(
        "Leerlingnummer;Achternaam;Voornaam;Geslacht;Groep;Toets;Toetsmoment;Afnamedatum;Vaardigheidsscore\n"
        "1001;Jansen;Piet;;5;Spelling 3.0;M5;20-01-2025;130\n"
        "1002;Bakker;Els;M;5;Spelling 3.0;M5;21-01-2025;125\n"
        "1001;Jansen;Piet;J;5;Spelling 3.0;M5;20-01-2025;130\n",
        encoding="utf-8",
    )
    one, two = _read(path, 10**12, monkeypatch), _read(path, 0, monkeypatch)
    pd.testing.assert_frame_equal(two.pupils, one.pupils)
    assert one.pupils["gender"].isna().sum() == 1  # 1001's gender came only from the dropped row
    assert one.report.files[0].set_aside == {lr.REASON_DUPLICATE: 1}


def test_the_thread_switch_interval_is_put_back(monkeypatch):
    """A large read switches threads more often while it runs, and leaves the interpreter's
    interval as it found it, also when the read is refused."""
    import sys

    before = sys.getswitchinterval()
    _read(FIXTURES / "good" / "boom_rekenen.csv", 0, monkeypatch)
    assert sys.getswitchinterval() == before
    assert isinstance(_read(FIXTURES / "malformed" / "alleen_kop.csv", 0, monkeypatch), str)
    assert sys.getswitchinterval() == before


def test_reads_at_the_same_time_put_the_interval_back_once(monkeypatch):
    """Two large reads in two threads at once (an app serving two pages): the interval the first
    found is the one left when both are done, whichever ends first."""
    import sys
    import threading

    before = sys.getswitchinterval()
    monkeypatch.setattr(threads, "PARALLEL_MIN_ROWS", 0)
    paths = [FIXTURES / "good" / "boom_rekenen.csv", FIXTURES / "good" / "cito_begrijpend-lezen_2024-2025.csv"]
    done = []
    readers = [threading.Thread(target=lambda p=p: done.append(read_scores(p, secret=KEY))) for p in paths * 3]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    assert len(done) == 6 and sys.getswitchinterval() == before
