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


def test_step_0_reads_the_preview_once_for_its_table_and_its_form(school, monkeypatch):
    import plgdata.forms.reading as reading
    from plgdata import forms

    data, werk, _ = school
    reads = []
    real = reading._read_preview
    monkeypatch.setattr(reading, "_read_preview", lambda *a, **k: reads.append(a) or real(*a, **k))
    target, used = forms.mapping_files(None, werk)
    shown = forms.read_preview(data, mapping=used)
    form = forms.reading_form(data, target)
    assert len(reads) == 1
    assert len(shown) == len(real(data))  # the same table as a fresh reading
    assert form is not None
    # a changed export is read again
    gone = next(f for f in data.iterdir() if f.suffix == ".csv")
    gone.unlink()
    again = forms.read_preview(data, mapping=used)
    assert len(reads) == 2
    assert gone.name not in set(again["Bestand"].str.split(":").str[0])


def test_a_page_sends_one_line_of_text_beside_a_table_not_pandas_whole_rendering():
    from IPython.core.interactiveshell import InteractiveShell

    from plgdata.app_pages import install_table_format

    shell = InteractiveShell.instance()
    install_table_format(shell)
    df = pd.DataFrame({"Kolom": [f"waarde {i}" for i in range(400)], "Rol": ["Toets"] * 400})
    data, _ = shell.display_formatter.format(df)
    assert data["text/plain"] == "Tabel met 400 rijen"
    assert data["text/html"].count("<td>Toets</td>") == 400  # the table itself is whole
    assert "waarde 399" in data["text/html"]
