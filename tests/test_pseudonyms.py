"""Pseudonyms: stable per key, different across keys, the key file and its local look-up."""

from __future__ import annotations

import json
import os
import stat

import pandas as pd
import pytest

from plgdata.io.pseudonyms import KeyFileError, Pseudonymiser, known_identities, lookup


def test_same_key_same_pseudonym_across_instances(tmp_path):
    key = tmp_path / "sleutel.key"
    a = Pseudonymiser(key).from_number("104512")
    b = Pseudonymiser(key).from_number(104512)  # Excel made it a number
    c = Pseudonymiser(key).from_number("0104512 ")
    assert a == b == c
    assert a.startswith("L-") and len(a) == 12
    assert "104512" not in a


def test_other_school_key_gives_other_pseudonyms(tmp_path):
    a = Pseudonymiser(tmp_path / "school1.key").from_number("104512")
    b = Pseudonymiser(tmp_path / "school2.key").from_number("104512")
    assert a != b


def test_key_file_is_private_and_holds_the_lookup(tmp_path):
    key = tmp_path / "k" / "sleutel.key"
    p = Pseudonymiser(key)
    s = p.numbers(pd.Series(["104512", "104513", None, "104512"]))
    p.remember_names(s, pd.Series(["Zoë de Vries", "Daan  Bakker", None, "Zoë de Vries"]))
    p.save()
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert s.isna().tolist() == [False, False, True, False]
    assert s.iloc[0] == s.iloc[3] != s.iloc[1]
    assert lookup(s.iloc[0], key) == {"nummer": "104512", "naam": "Zoë de Vries"}
    assert lookup(s.iloc[1], key)["naam"] == "Daan Bakker"
    numbers, names = known_identities(key)
    assert numbers == {"104512", "104513"} and names == {"Zoë de Vries", "Daan Bakker"}
    # a second instance keeps the earlier entries and the secret
    q = Pseudonymiser(key)
    assert q.from_number("104512") == s.iloc[0]
    q.from_name("Sem Jansen", "03-04-2015")
    q.save()
    assert len(json.loads(key.read_text(encoding="utf-8"))["leerlingen"]) == 3


def test_name_and_birth_date_fallback_is_stable_and_normalised(tmp_path):
    p = Pseudonymiser(secret=b"1" * 32)
    assert p.from_name("Zoë de Vries", "03-04-2015") == p.from_name("zoe  DE vries", "03-04-2015")
    assert p.from_name("Zoë de Vries", "03-04-2015") != p.from_name("Zoë de Vries", "04-04-2015")
    assert p.from_name("Zoë de Vries", "03-04-2015") != p.from_number("1")


def test_damaged_key_file_gives_dutch_message(tmp_path):
    key = tmp_path / "sleutel.key"
    key.write_text("dit is geen sleutel", encoding="utf-8")
    with pytest.raises(KeyFileError) as err:
        Pseudonymiser(key)
    assert "beschadigd" in err.value.message and "reservekopie" in err.value.message


def test_a_replaced_key_file_is_never_overwritten(tmp_path):
    key = tmp_path / "sleutel.key"
    p = Pseudonymiser(key)
    p.from_number("104512")
    key.unlink()
    other = Pseudonymiser(key)  # a new secret appears on disk
    with pytest.raises(KeyFileError) as err:
        p.save()
    assert "niets overschreven" in err.value.message
    assert Pseudonymiser(key).from_number("1") == other.from_number("1")
