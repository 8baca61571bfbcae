"""Notebook 00 (and the app's step-0 page) reads the exports only when they changed (issue 21, fast pages).

``workflow.load_into_workdir`` keeps a stamp of what it read beside the tables; called again with
the same exports, mapping, interventions and key, it opens the werkmap instead of reading every
export again (1.4 s of the step-0 page before).  Anything that changed is read again.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from identities import SAMPLE

import plgdata.io.scores as scores_io
from plgdata import workflow


@pytest.fixture
def school(tmp_path):
    data = tmp_path / "school"
    data.mkdir()
    for f in SAMPLE.iterdir():
        if f.is_file() and f.suffix in (".csv", ".xlsx"):
            shutil.copy2(f, data / f.name)
    return data, tmp_path / "werk", tmp_path / "k.key"


def _count_reads(monkeypatch) -> list:
    reads = []
    real = scores_io.load

    def counting(*args, **kwargs):
        reads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(scores_io, "load", counting)
    return reads


def test_second_load_opens_the_werkmap_with_the_same_tables_and_report(school, monkeypatch):
    data, werk, key = school
    first = workflow.load_into_workdir(data, werk, key_file=key)
    reads = _count_reads(monkeypatch)
    again = workflow.load_into_workdir(data, werk, key_file=key)
    assert reads == []
    pd.testing.assert_frame_equal(again.scores.reset_index(drop=True), first.scores.reset_index(drop=True))
    assert again.report.to_text() == first.report.to_text()
    assert again.key_fingerprint == first.key_fingerprint
    assert not again.key_created


def test_a_removed_export_is_read_again(school, monkeypatch):
    data, werk, key = school
    first = workflow.load_into_workdir(data, werk, key_file=key)
    gone = max((f for f in data.iterdir() if f.suffix == ".csv"), key=lambda f: f.stat().st_size)
    gone.unlink()
    reads = _count_reads(monkeypatch)
    again = workflow.load_into_workdir(data, werk, key_file=key)
    assert len(reads) == 1
    assert len(again.scores) < len(first.scores)
    assert len(workflow.open_workdir(werk).scores) == len(again.scores)


def test_a_changed_mapping_file_or_tables_saved_by_something_else_are_read_again(school, monkeypatch):
    data, werk, key = school
    mapping = data.parent / "koppeling.yaml"
    mapping.write_text("kolommen: {}\n", encoding="utf-8")
    first = workflow.load_into_workdir(data, werk, key_file=key, mapping=mapping)
    reads = _count_reads(monkeypatch)
    mapping.write_text("kolommen: {}\n# gewijzigd\n", encoding="utf-8")
    workflow.load_into_workdir(data, werk, key_file=key, mapping=mapping)
    assert len(reads) == 1
    # other tables written into the werkmap (not read from these exports) are never taken for them
    first.scores.iloc[:10].to_parquet(werk / "scores.parquet", index=False)
    again = workflow.load_into_workdir(data, werk, key_file=key, mapping=mapping)
    assert len(reads) == 2
    assert len(again.scores) == len(first.scores)
