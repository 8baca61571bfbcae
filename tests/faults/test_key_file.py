"""Promises about the key file: never a weak secret, never a silent new key, always the way back."""

from __future__ import annotations

import json

import pytest

from plgdata.io.pseudonyms import KeyFileError, Pseudonymiser

from .helpers import CITO, run_cli


def _controleer(key):
    return run_cli("controleer", "--sleutel", key, CITO)


@pytest.mark.parametrize("content", [b"", b'{"versie": 1, "geheim": "", "leerlingen": {}}', b"00" * 32, b"abcd" * 4])
def test_an_empty_or_short_secret_is_refused_and_never_written_back(tmp_path, content):
    key = tmp_path / "sleutel.key"
    key.write_bytes(content)
    code, out, err = _controleer(key)
    assert code == 1
    assert "geen volledige geheime sleutel" in err and "reservekopie" in err
    assert "KeyFileError" not in err and "Traceback" not in err
    assert key.read_bytes() == content  # untouched: no empty secret written back


@pytest.mark.parametrize(
    "content", [b"zz" * 32, b"\x00\xff\x10binary\x81", b'{"geheim": 12}', b"[1, 2]"], ids=["bad hex", "binary", "number", "list"]
)
def test_a_damaged_key_file_says_restore_the_backup_in_dutch(tmp_path, content):
    key = tmp_path / "sleutel.key"
    key.write_bytes(content)
    code, out, err = _controleer(key)
    assert code == 1
    assert "Zet de reservekopie van het sleutelbestand terug" in err
    for name in ("KeyFileError", "UnicodeDecodeError", "IsADirectoryError", "Traceback"):
        assert name not in err


def test_a_key_file_that_is_a_folder_says_restore_the_backup(tmp_path):
    key = tmp_path / "sleutel.key"
    key.mkdir()
    code, out, err = _controleer(key)
    assert code == 1 and "Zet de reservekopie van het sleutelbestand terug" in err
    assert "IsADirectoryError" not in err


def test_a_bom_before_a_good_key_file_is_harmless(tmp_path):
    key = tmp_path / "sleutel.key"
    first = Pseudonymiser(key).from_number("104512")
    key.write_bytes(b"\xef\xbb\xbf" + key.read_bytes())
    assert Pseudonymiser(key).from_number("104512") == first


def test_plgdata_never_writes_an_empty_secret():
    from plgdata.io.pseudonyms import _write_key_file

    with pytest.raises(KeyFileError):
        _write_key_file(__import__("pathlib").Path("/nonexistent/never.key"), b"", {})


def test_a_new_key_is_announced_loudly(tmp_path):
    code, out, err = _controleer(tmp_path / "nieuw.key")
    assert code == 0
    assert "LET OP" in err and "nieuwe sleutel" in err and "andere pseudoniemen" in err
    code, out, err = _controleer(tmp_path / "nieuw.key")
    assert "LET OP" not in err  # the second time the key exists


def test_rapport_refuses_a_folder_made_with_another_key(tmp_path):
    from plgdata.io.scores import load
    from plgdata.reporting.jobs import work_dir

    out = tmp_path / "rapporten"
    werk = work_dir(out) / "gegevens"
    load([CITO], key_file=tmp_path / "oud.key", interventions=False).save(werk)
    before = (werk / "scores.parquet").read_bytes()
    code, stdout, err = run_cli("rapport", CITO, "--sleutel", tmp_path / "nieuw.key", "--out", out)
    assert code == 1
    assert "ander sleutelbestand" in err and "reservekopie" in err
    assert (werk / "scores.parquet").read_bytes() == before
    assert json.loads((werk / "inleesverslag.json").read_text())["rows_read"] > 0


@pytest.mark.parametrize("entry", ['"104512"', "[1, 2]", "null"], ids=["text", "list", "empty"])
def test_a_damaged_look_up_in_the_key_file_says_restore_the_backup(tmp_path, entry):
    """A hand-edited look-up entry that is not {nummer, naam} crashed the save (AttributeError);
    the key file is left as it was and the way back is said."""
    key = tmp_path / "sleutel.key"
    Pseudonymiser(key)  # a good key file with a full secret
    secret = json.loads(key.read_text(encoding="utf-8"))["geheim"]
    content = json.dumps({"versie": 1, "geheim": secret, "leerlingen": {"L-0123456789": json.loads(entry)}})
    key.write_text(content, encoding="utf-8")
    code, out, err = _controleer(key)
    assert code == 1 and "Zet de reservekopie van het sleutelbestand terug" in err
    assert "AttributeError" not in err and "Traceback" not in err
    assert key.read_text(encoding="utf-8") == content


def test_a_key_file_readable_by_others_is_warned_about_and_made_private(tmp_path):
    """A key file with mode 0644 gave no warning (issue 19, Low); plgdata makes its own 0600."""
    import os
    import stat

    key = tmp_path / "sleutel.key"
    Pseudonymiser(key)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # created private
    os.chmod(key, 0o644)
    code, out, err = _controleer(key)
    assert code == 0 and "leesbaar voor andere gebruikers" in err and "0644" in err
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    code, out, err = _controleer(key)
    assert "leesbaar voor andere gebruikers" not in err  # once private, no warning
