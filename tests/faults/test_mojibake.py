"""A name from a UTF-8 line inside a Windows-1252 export is kept as meant, and privacycheck finds it."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from plgdata.io.pseudonyms import Pseudonymiser, read_key_file
from plgdata.io.scores import load

from .helpers import run_cli, sample_lines

HEADER_LINES = 3


def _mixed_file(tmp_path):
    """The sample's cp1252 export with one pupil's line typed in as UTF-8 (name Ünal Çelikbaş)."""
    lines = sample_lines()
    first = lines[HEADER_LINES]
    nr = first.split(b";")[0]
    for i in range(HEADER_LINES, len(lines)):
        cells = lines[i].split(b";")
        if cells[0] == nr:
            cells[1], cells[2], cells[3] = "Çelikbaş".encode(), b"", "Ünal".encode()
            lines[i] = b";".join(cells)
    path = tmp_path / "cito.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path, nr.decode()


def test_a_utf8_line_in_a_cp1252_file_keeps_the_name_as_meant(tmp_path):
    path, nr = _mixed_file(tmp_path)
    load([path], key_file=tmp_path / "k.key", interventions=False)
    names = {e.get("naam") for e in read_key_file(tmp_path / "k.key")["leerlingen"].values()}
    assert "Ünal Çelikbaş" in names
    assert not any("Ã" in (n or "") for n in names)
    # the other pupils' cp1252 names (ë, é …) are still read as cp1252
    text = path.read_bytes().decode("cp1252", errors="replace")
    accented = {ln.split(";")[3] for ln in text.splitlines()[HEADER_LINES:] if not ln.split(";")[3].isascii()}
    firsts = {n.split()[0] for n in names if n}
    assert accented - {"Ãœnal"} <= firsts


def test_privacycheck_finds_the_name_from_a_mixed_encoding_export(tmp_path):
    path, _ = _mixed_file(tmp_path)
    key = tmp_path / "k.key"
    load([path], key_file=key, interventions=False)
    report = tmp_path / "rapport.html"
    report.write_text("<html><body><p>Ünal Çelikbaş groeide hard.</p></body></html>", encoding="utf-8")
    code, out, err = run_cli("privacycheck", report, "--sleutel", key)
    assert code == 1 and "leerlingnaam" in out


def test_a_key_file_that_kept_the_broken_name_still_finds_the_real_one(tmp_path):
    key = tmp_path / "k.key"
    p = Pseudonymiser(key)
    p._remember(p.from_number("4455667"), naam="Ãœnal Ã‡elik")  # read by an older plgdata
    p.save()
    assert json.loads(key.read_text(encoding="utf-8"))["leerlingen"]
    report = tmp_path / "rapport.html"
    report.write_text("<html><body><p>Over Çelik: goed bezig.</p></body></html>", encoding="utf-8")
    code, out, err = run_cli("privacycheck", report, "--sleutel", key)
    assert code == 1 and "leerlingnaam" in out


def test_double_encoded_text_in_a_utf8_export_is_repaired(tmp_path):
    lines = [ln.decode("cp1252").encode("utf-8") for ln in sample_lines()]
    cells = lines[HEADER_LINES].split(b";")
    cells[1], cells[2], cells[3] = "Ã‡elik".encode(), b"", "Ãœnal".encode()
    lines[HEADER_LINES] = b";".join(cells)
    path = tmp_path / "utf8.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    load([path], key_file=tmp_path / "k.key", interventions=False)
    names = {e.get("naam") for e in read_key_file(tmp_path / "k.key")["leerlingen"].values()}
    assert "Ünal Çelik" in names


_NAMES = st.text(alphabet=st.sampled_from(list("abcdeijklmnoprstuvzAEIOUZ éëïöüçÉÜÇñøåß-'")), min_size=1, max_size=20)


@given(_NAMES)
def test_repair_undoes_a_cp1252_reading_of_utf8_and_leaves_correct_text_alone(name):
    from plgdata.io.mojibake import repair_mojibake

    assert repair_mojibake(name.encode("utf-8").decode("cp1252", errors="strict")) == name
    assert repair_mojibake(name) == name
