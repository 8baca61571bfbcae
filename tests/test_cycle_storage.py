"""Atomic save with a backup, and Dutch errors for files that are not a cycle."""

from __future__ import annotations

import os

import pytest
from test_cycle_builders import full_datateam_cycle

import plgdata.cycle as cyc
import plgdata.cycle.storage as storage
from plgdata.cycle import CycleError, backup_path, load_cycle, save_cycle


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_backup_holds_the_previous_version(tmp_path):
    path = tmp_path / "cyclus.yaml"
    c = full_datateam_cycle()
    save_cycle(c, path)
    assert not backup_path(path).exists()  # nothing to back up the first time
    first_text = path.read_text(encoding="utf-8")
    c.title = "Tweede versie"
    save_cycle(c, path)
    assert backup_path(path) == tmp_path / "cyclus.vorige.yaml"
    assert backup_path(path).read_text(encoding="utf-8") == first_text
    assert load_cycle(backup_path(path)).title == "Begrijpend lezen groep 6"
    assert load_cycle(path).title == "Tweede versie"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failing_call", [1, 2])
def test_interrupted_replace_leaves_previous_record(tmp_path, monkeypatch, failing_call):
    path = tmp_path / "cyclus.yaml"
    c = full_datateam_cycle()
    save_cycle(c, path)
    before = path.read_bytes()
    calls = {"n": 0}
    real_replace = os.replace

    def flaky_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == failing_call:  # 1: making the backup, 2: putting the new file in place
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", flaky_replace)
    c.title = "Nieuw"
    with pytest.raises(
        CycleError, match=r"Het opslaan van de cyclus in 'cyclus.yaml' is mislukt .* Het vorige cyclusbestand is ongewijzigd\."
    ):
        save_cycle(c, path)
    assert path.read_bytes() == before
    assert load_cycle(path).title == "Begrijpend lezen groep 6"
    assert _leftovers(tmp_path) == []


def test_dump_failing_midway_leaves_previous_record(tmp_path, monkeypatch):
    path = tmp_path / "cyclus.yaml"
    c = full_datateam_cycle()
    save_cycle(c, path)
    before = path.read_bytes()

    def half_dump(data, stream):
        stream.write("methode: datateam\nstappen:\n  1_probleemdefinitie:\n    stel")
        raise RuntimeError("stroom uitgevallen")

    monkeypatch.setattr(storage, "dump_yaml", half_dump)
    with pytest.raises(CycleError, match="RuntimeError: stroom uitgevallen"):
        save_cycle(c, path)
    assert path.read_bytes() == before
    assert load_cycle(path) == c
    assert _leftovers(tmp_path) == []


def test_value_that_is_not_plain_fails_before_touching_disk(tmp_path):
    path = tmp_path / "cyclus.yaml"
    c = full_datateam_cycle()
    save_cycle(c, path)
    before = path.read_bytes()
    c.analyses["H1"] = object()
    with pytest.raises(CycleError, match="kan niet in het cyclusbestand worden bewaard"):
        save_cycle(c, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cyclus.yaml"]


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "kapot.yaml"
    path.write_text(
        'methode: datateam\ntitel: Lezen\nstappen:\n  1_probleemdefinitie:\n    stelling: "niet gesloten\n', encoding="utf-8"
    )
    with pytest.raises(CycleError) as info:
        load_cycle(path)
    msg = str(info.value)
    assert msg.startswith("Het cyclusbestand 'kapot.yaml' is geen geldige YAML op regel 6, kolom 1.")
    path.write_text("methode: datateam\ntitel: Lezen\n  leerteam: fout ingesprongen\n", encoding="utf-8")
    with pytest.raises(CycleError, match=r"^Het cyclusbestand 'kapot.yaml' is geen geldige YAML op regel 3, kolom 11\."):
        load_cycle(path)


def test_file_that_is_a_list_is_not_a_cycle(tmp_path):
    path = tmp_path / "lijst.yaml"
    path.write_text("- methode: datateam\n- titel: Lezen\n", encoding="utf-8")
    with pytest.raises(CycleError) as info:
        load_cycle(path)
    assert str(info.value) == (
        "Het cyclusbestand 'lijst.yaml' bevat geen cyclus: bovenaan horen velden zoals "
        "'methode: datateam', maar het bestand is een lijst."
    )


def test_missing_empty_and_non_utf8_files(tmp_path):
    with pytest.raises(CycleError, match="bestaat niet"):
        load_cycle(tmp_path / "weg.yaml")
    (tmp_path / "leeg.yaml").write_text("# alleen commentaar\n", encoding="utf-8")
    with pytest.raises(CycleError, match="^Het cyclusbestand 'leeg.yaml' is leeg.$"):
        load_cycle(tmp_path / "leeg.yaml")
    (tmp_path / "latin.yaml").write_bytes("methode: datateam\ntitel: caf\xe9\n".encode("latin-1"))
    with pytest.raises(CycleError, match="niet als UTF-8 opgeslagen"):
        load_cycle(tmp_path / "latin.yaml")


def test_unsafe_yaml_tags_are_refused(tmp_path):
    path = tmp_path / "eng.yaml"
    path.write_text("methode: !!python/object/apply:os.system ['echo hoi']\n", encoding="utf-8")
    with pytest.raises(CycleError, match="is geen geldige YAML op regel 1"):
        load_cycle(path)


def test_save_into_missing_folder(tmp_path):
    with pytest.raises(CycleError, match="bestaat niet; de cyclus 'c.yaml' is niet opgeslagen"):
        save_cycle(cyc.new_cycle(title="x"), tmp_path / "geen_map" / "c.yaml")


# -- libyaml's loader (every app page reads the record several times) reads what PyYAML's own reads --

_SAMPLE = os.path.join(os.path.dirname(__file__), "..", "data", "sample")


@pytest.mark.parametrize(
    "name",
    [
        "cyclus_begrijpend_lezen.yaml",
        "actieonderzoek_rt_rekenen_groep4.yaml",
        "lessonstudy_rekenen_groep5.yaml",
        "jaarplan_taal.yaml",
    ],
)
def test_the_fast_loader_reads_every_sample_record_as_pyyaml_does(name):
    with open(os.path.join(_SAMPLE, name), encoding="utf-8") as fh:
        text = fh.read()
    assert storage._load_plain(text) == storage.yaml.load(text, Loader=storage._PlainLoader)


def test_a_deep_block_nesting_and_an_alias_are_refused_before_anything_is_built(tmp_path):
    deep = tmp_path / "diep.yaml"
    deep.write_text("methode: datateam\nx:\n" + "".join(" " * i + "-\n" for i in range(2, 600)), encoding="utf-8")
    with pytest.raises(CycleError, match="te diep genest"):
        load_cycle(deep)
    alias = tmp_path / "alias.yaml"
    alias.write_text("methode: datateam\na: &x [1, 2]\ntitel: *x\n", encoding="utf-8")
    with pytest.raises(CycleError, match="verwijzing \\(\\*naam\\) op regel 3"):
        load_cycle(alias)


def test_a_saved_record_reads_back_the_same_with_both_loaders(tmp_path):
    path = tmp_path / "cyclus.yaml"
    save_cycle(full_datateam_cycle(), path)
    text = path.read_text(encoding="utf-8")
    assert storage._load_plain(text) == storage.yaml.load(text, Loader=storage._PlainLoader)
