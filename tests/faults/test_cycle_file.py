"""Promises about cycle files: hostile or broken YAML is refused in Dutch, never half-loaded."""

from __future__ import annotations

import pytest

from plgdata.cycle import CycleError, load_cycle

from .helpers import SAMPLE

BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    + "methode: datateam\n"
)


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_text(BOMB, encoding="utf-8")
    with pytest.raises(CycleError) as err:
        load_cycle(path)
    assert "verwijzing" in str(err.value) and "regel 2" in str(err.value)


def test_a_huge_cycle_file_is_refused_unread(tmp_path):
    path = tmp_path / "groot.yaml"
    path.write_text("methode: datateam\n" + "# vulling\n" * 300_000, encoding="utf-8")
    with pytest.raises(CycleError) as err:
        load_cycle(path)
    assert "te groot" in str(err.value)


def test_a_cut_off_record_is_refused_not_loaded_with_open_steps(tmp_path):
    text = (SAMPLE / "cyclus_begrijpend_lezen.yaml").read_text(encoding="utf-8")
    path = tmp_path / "half.yaml"
    path.write_text(text[: len(text) // 2].rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    with pytest.raises(CycleError) as err:
        load_cycle(path)
    assert "afgebroken" in str(err.value) and "vorige versie" in str(err.value)


@pytest.mark.parametrize(
    "text, words",
    [
        ("methode: datateam\ndeadline: 2026-02-30\n", "niet bestaat"),
        ("methode: datateam\nx: " + "[" * 5000 + "]" * 5000 + "\n", "te diep"),
    ],
    ids=["impossible date", "deep nesting"],
)
def test_impossible_dates_and_deep_nesting_get_a_dutch_message(tmp_path, text, words):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CycleError) as err:
        load_cycle(path)
    assert words in str(err.value)


def test_the_sample_records_still_load():
    assert load_cycle(SAMPLE / "cyclus_begrijpend_lezen.yaml").title


def test_saving_keeps_the_records_permissions(tmp_path):
    """A record a team shares (0644) stays 0644 after a save; a new record gets the usual mode."""
    import os
    import shutil

    from plgdata.cycle import save_cycle

    path = tmp_path / "cyclus.yaml"
    shutil.copyfile(SAMPLE / "cyclus_begrijpend_lezen.yaml", path)
    os.chmod(path, 0o644)
    save_cycle(load_cycle(path), path)
    assert path.stat().st_mode & 0o777 == 0o644
    os.chmod(path, 0o664)
    save_cycle(load_cycle(path), path)
    assert path.stat().st_mode & 0o777 == 0o664
    fresh = tmp_path / "nieuw.yaml"
    old = os.umask(0o022)
    try:
        save_cycle(load_cycle(path), fresh)
    finally:
        os.umask(old)
    assert fresh.stat().st_mode & 0o777 == 0o644


def test_a_temporary_file_left_by_a_killed_save_is_cleaned_up(tmp_path):
    """kill -9 during a save leaves '.cyclus.yaml.XXXX.tmp'; the next save removes it."""
    import os
    import shutil
    import time

    from plgdata.cycle import save_cycle

    path = tmp_path / "cyclus.yaml"
    shutil.copyfile(SAMPLE / "cyclus_begrijpend_lezen.yaml", path)
    orphan = tmp_path / ".cyclus.yaml.k9x2ab.tmp"
    orphan.write_text("half geschreven", encoding="utf-8")
    old = time.time() - 300
    os.utime(orphan, (old, old))
    other = tmp_path / ".ander.yaml.k9x2ab.tmp"  # another record's file is not ours to remove
    other.write_text("x", encoding="utf-8")
    os.utime(other, (old, old))
    save_cycle(load_cycle(path), path)
    assert not orphan.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ander.yaml.k9x2ab.tmp", "cyclus.vorige.yaml", "cyclus.yaml"]
