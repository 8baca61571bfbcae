"""The Dutch command line: load report, quality findings, JSON, exit codes, no traceback,
no pupil name or number in any output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from identities import SAMPLE, leaks

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exports"


def run(*args, key):
    env = {"PLGDATA_SLEUTEL": str(key), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "plgdata", *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    return tmp_path_factory.mktemp("sleutel") / "sleutel.key"


@pytest.fixture(scope="module")
def controleer_json(key):
    return run("controleer", str(SAMPLE), "--json", key=key)


def test_controleer_json_counts_add_up(controleer_json):
    assert controleer_json.returncode == 0, controleer_json.stderr
    out = json.loads(controleer_json.stdout)
    for k in ("rows_read", "rows_loaded", "rows_set_aside", "set_aside_reasons", "findings"):
        assert k in out
    assert out["rows_read"] == out["rows_loaded"] + out["rows_set_aside"]
    assert out["rows_set_aside"] == sum(out["set_aside_reasons"].values())
    for f in out["bestanden"]:
        assert f["rows_read"] == f["rows_loaded"] + f["rows_set_aside"]
    # the IEP year of rekenen-wiskunde is a real scale break the check must find
    codes = {f["code"] for f in out["findings"]}
    assert "mixed_scales" in codes
    assert any("afw" in r for r in out["set_aside_reasons"])


def test_controleer_text_is_dutch_and_has_no_identities(key, controleer_json):
    res = run("controleer", str(SAMPLE), key=key)
    assert res.returncode == 0
    assert "Inleesverslag" in res.stdout and "Datakwaliteit (stap 4)" in res.stdout
    assert "Verschillende toetsschalen binnen één vak" in res.stdout
    assert "Traceback" not in res.stdout + res.stderr
    assert leaks(res.stdout + res.stderr) == []
    assert leaks(controleer_json.stdout + controleer_json.stderr) == []


def test_controleer_unreadable_file_exit_1_dutch_message(key, tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_bytes(b"\x00\x01\x02 geen export \xff\xfe")
    res = run("controleer", str(bad), key=key)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and res.stdout == ""
    assert "Geen enkel bestand kon worden ingelezen" in res.stderr


def test_controleer_missing_file(key, tmp_path):
    res = run("controleer", str(tmp_path / "bestaat-niet.csv"), key=key)
    assert res.returncode == 1 and "niet gevonden" in res.stderr and "Traceback" not in res.stderr


def test_unknown_columns_print_a_mapping_file(key, tmp_path):
    f = tmp_path / "onbekend.csv"
    f.write_text("Kind;Uitslag;Wanneer\nA;12;01-02-2025\n", encoding="utf-8")
    res = run("controleer", str(f), key=key)
    assert res.returncode == 1
    assert "Kind" in res.stderr and "Uitslag" in res.stderr  # the columns found
    assert "koppel" in res.stderr.lower()  # and a mapping file to fill in


def test_usage_errors_are_dutch(key):
    res = run("controleer", key=key)
    assert res.returncode == 2
    assert "gebruik: plgdata controleer" in res.stderr and "deze argumenten ontbreken" in res.stderr


def test_sjabloon_writes_the_intervention_template(key, tmp_path):
    res = run("sjabloon", "interventies", str(tmp_path / "interventies.xlsx"), key=key)
    assert res.returncode == 0 and "Sjabloon geschreven" in res.stdout
    from openpyxl import load_workbook

    assert {"Interventies", "Deelname", "Uitleg"} <= set(load_workbook(tmp_path / "interventies.xlsx").sheetnames)


def test_zoek_finds_a_pupil_again_only_from_the_key_file(key, controleer_json):
    data = json.loads(key.read_text(encoding="utf-8"))
    pseudonym, entry = next(iter(data["leerlingen"].items()))
    res = run("zoek", pseudonym, key=key)
    assert res.returncode == 0
    assert "persoonsgegevens" in res.stdout and entry["nummer"] in res.stdout
    assert run("zoek", "L-0000000000", key=key).returncode == 1


def test_rapport_refuses_a_broken_cycle_record_before_making_reports(key, tmp_path):
    bad = tmp_path / "cyclus.yaml"
    bad.write_text("methode: datateam\nstappen: [dit: is: geen yaml\n", encoding="utf-8")
    res = run("rapport", str(SAMPLE), "--cyclus", str(bad), "--out", str(tmp_path / "uit"), key=key)
    assert res.returncode == 1
    assert "cyclus.yaml" in res.stderr and "regel" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "uit" / "index.html").exists()


def test_privacycheck_exit_codes(key, tmp_path):
    clean = tmp_path / "schoon.html"
    clean.write_text('<html lang="nl"><body><p>L-0123456789</p></body></html>', encoding="utf-8")
    dirty = tmp_path / "vuil.html"
    dirty.write_text('<html><head><link rel="stylesheet" href="https://cdn.example/x.css"></head></html>', encoding="utf-8")
    assert run("privacycheck", str(clean), key=key).returncode == 0
    res = run("privacycheck", str(clean), str(dirty), key=key)
    assert res.returncode == 1 and "vuil.html: verwijzing naar buiten het bestand" in res.stdout


def test_dutch_argparse_words_do_not_leak_into_other_programs(capsys):
    """plgdata speaks Dutch in its own help, but leaves argparse as it found it."""
    import argparse

    from plgdata.cli import main

    before = argparse._("usage: ")
    assert main([]) == 2
    assert "gebruik: plgdata" in capsys.readouterr().out
    assert argparse._("usage: ") == before == "usage: "


@pytest.mark.parametrize("soort, name", [("plgscan", "plgscan.xlsx"), ("signaleringswaarden", "signaleringswaarden.csv")])
def test_sjabloon_writes_the_plg_scan_and_signaleringswaarden_templates(key, tmp_path, soort, name):
    res = run("sjabloon", soort, str(tmp_path / "sub" / name), key=key)
    assert res.returncode == 0, res.stderr
    assert f"Sjabloon geschreven: {tmp_path / 'sub' / name}" in res.stdout
    if soort == "plgscan":
        from plgdata.io.plgscan import read_plg_scan

        answers, aside = read_plg_scan(tmp_path / "sub" / name)
        assert answers.empty and aside == {}  # only the example row, which is skipped
    else:
        text = (tmp_path / "sub" / name).read_text(encoding="utf-8")
        assert "schoolweging;signaleringswaarde_1s_2f" in text and "geen waarde per vak" in text
