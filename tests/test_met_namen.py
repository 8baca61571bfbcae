"""`plgdata rapport --met-namen`: the class teacher's overview with names stays local and apart.

The names come from the local key file and land only under ``vertrouwelijk/``, bannered,
never linked from ``index.html``; ``plgdata privacycheck`` exits 1 on those files; every
default report holds no name or pupil number.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from identities import SAMPLE, leaks, sample_identities

from plgdata.cli import main
from plgdata.reporting.names import BANNER_TEXT

#: one school year of one subject and the pupils' file: every groep gets its overview, quickly
EXPORTS = [SAMPLE / "leerlingen.csv", SAMPLE / "cito_begrijpend-lezen_2025-2026.csv"]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("metnamen")
    key, out = tmp / "sleutel.key", tmp / "rapporten"
    # a process of its own, as a teacher runs it (the report workers are forked from it)
    res = subprocess.run(
        [sys.executable, "-m", "plgdata", "rapport", *map(str, EXPORTS), "--out", str(out), "--sleutel", str(key), "--met-namen"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert "vertrouwelijk bevat namen" in res.stdout.replace("\n", " ")
    return out, key


def test_names_only_under_vertrouwelijk_bannered_and_unlinked(made):
    out, _ = made
    confidential = sorted((out / "vertrouwelijk").glob("*.html"))
    assert [p.name for p in confidential] == [f"groepsoverzicht_groep{g}_met_namen.html" for g in range(3, 9)]
    _, names = sample_identities()
    for p in confidential:
        html = p.read_text(encoding="utf-8")
        assert html.count(BANNER_TEXT) == 2, p.name  # at the top and at the bottom
        assert html.index(BANNER_TEXT) < html.index("<h1")
    g6 = (out / "vertrouwelijk" / "groepsoverzicht_groep6_met_namen.html").read_text(encoding="utf-8")
    shown = [n for n in names if n in g6]
    assert len(shown) >= 3  # the pupils in "extra aandacht" / "meer uitdaging" by name
    assert "(niet in het sleutelbestand)" not in g6
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "vertrouwelijk" not in index.lower() and "met_namen" not in index
    assert not list(out.glob("*met_namen*"))


def test_default_reports_hold_no_names(made):
    out, _ = made
    default = sorted(out.glob("*.html"))
    assert len(default) == 9  # six groepsoverzichten, the trend analysis, the opbrengstenrapport and the index
    for p in default:
        html = p.read_text(encoding="utf-8")
        assert leaks(html) == [], p.name
        assert BANNER_TEXT not in html
    g6 = (out / "groepsoverzicht_groep6.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r"L-[0-9a-f]{10}", g6))) >= 3  # the same pupils, by pseudonym only


def test_privacycheck_fails_on_the_confidential_files_by_design(made, capsys):
    out, key = made
    confidential = sorted((out / "vertrouwelijk").glob("*.html"))
    capsys.readouterr()
    assert main(["privacycheck", *map(str, confidential), "--sleutel", str(key)]) == 1
    said = capsys.readouterr().out
    assert said.count("vertrouwelijk overzicht met leerlingnamen") == len(confidential)
    assert "leerlingnaam" in said
    # without the key file the banner alone still makes it fail
    assert main(["privacycheck", str(confidential[0]), "--sleutel", str(out / "geen.key")]) == 1
    said = capsys.readouterr().out
    assert "vertrouwelijk overzicht met leerlingnamen" in said and "leerlingnaam/-namen" not in said
    assert main(["privacycheck", *map(str, sorted(out.glob("*.html"))), "--sleutel", str(key)]) == 0
