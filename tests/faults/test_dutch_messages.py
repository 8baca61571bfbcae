"""No 'Er ging iets mis dat plgdata niet verwachtte' where plgdata can say what is wrong (issue 19)."""

from __future__ import annotations

import errno
import os

from plgdata.reporting.jobs import data_report_jobs

from .helpers import CITO, run_cli

UNEXPECTED = "Er ging iets mis dat plgdata niet verwachtte"


def test_a_file_name_that_is_no_utf8_is_said_in_dutch_and_the_other_files_are_read(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.csv"), "wb") as fh:  # a name made on Windows
        fh.write(CITO.read_bytes())
    (folder / CITO.name).write_bytes(CITO.read_bytes())
    code, out, err = run_cli("controleer", "--sleutel", tmp_path / "k.key", folder)
    assert UNEXPECTED not in out + err and "Traceback" not in err
    assert "café.csv" in out + err and "nieuwe naam" in out + err
    assert f"{CITO.name} (Cito (lang))" in out  # the other file is read
    code, out, err = run_cli(
        "controleer",
        "--sleutel",
        tmp_path / "k.key",
        os.path.join(os.fsencode(folder), b"caf\xe9.csv").decode(errors="surrogateescape"),
    )
    assert code == 1 and UNEXPECTED not in out + err and "nieuwe naam" in err


def test_a_key_file_where_nothing_can_be_written_is_said_in_dutch(tmp_path, monkeypatch):
    import tempfile

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    code, out, err = run_cli("controleer", "--sleutel", tmp_path / "alleen-lezen" / "sleutel.key", CITO)
    assert code == 1 and UNEXPECTED not in err
    assert "sleutelbestand kan niet worden bewaard" in err and "--sleutel" in err


def test_a_key_file_under_a_file_is_said_in_dutch(tmp_path):
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    code, out, err = run_cli("controleer", "--sleutel", tmp_path / "bestand" / "sleutel.key", CITO)
    assert code == 1 and UNEXPECTED not in err and "sleutelbestand kan niet worden bewaard" in err


def test_a_read_only_reports_folder_is_said_in_dutch_without_claiming_it_may_be_incomplete(tmp_path, monkeypatch):
    import plgdata.reporting.lock as lock

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system", str(args[0]))

    monkeypatch.setattr(lock.os, "open", read_only)
    code, out, err = run_cli("rapport", CITO, "--sleutel", tmp_path / "k.key", "--out", tmp_path / "rapporten")
    assert code == 1 and UNEXPECTED not in err
    assert "kan niet schrijven in de map" in err and "niets veranderd" in err
    assert "onvolledig" not in err


def test_a_write_error_elsewhere_is_said_in_dutch(tmp_path, monkeypatch):
    from plgdata.model.dataset import Dataset

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "werk" / "scores.parquet"))

    monkeypatch.setattr(Dataset, "save", full)
    code, out, err = run_cli("rapport", CITO, "--sleutel", tmp_path / "k.key", "--out", tmp_path / "rapporten")
    assert code == 1 and UNEXPECTED not in err and "kon niet schrijven" in err


def test_an_intervention_id_of_279_characters_gives_a_file_name_that_fits(tmp_path):
    long_id = "INT-" + "x" * 275
    jobs = [j for j in data_report_jobs(tmp_path, tmp_path, [], [(long_id, "Lang"), ("INT-1", "Kort")])]
    names = [j.out_html.name for j in jobs if j.parameters.get("interventie_id")]
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(n.encode("utf-8")) < 200 for n in names)
    for j in jobs:  # the file can be written
        j.out_html.write_text("x", encoding="utf-8")
