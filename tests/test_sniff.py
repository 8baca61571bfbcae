"""One sniffer for every file: the score exports, the interventions CSV and the norm table
find encoding, delimiter and header row by the same rules (plgdata.io.sniff)."""

from __future__ import annotations

import pytest

from plgdata.io import sniff
from plgdata.io.interventions import read_interventions
from plgdata.io.norms import NormTableError, read_norm_table
from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.io.scores.layout import header_score, is_sub_header_row

PS = Pseudonymiser(secret=b"s" * 32)


def test_find_header_takes_the_best_row_and_a_sub_header():
    rows = [["Groepsoverzicht 6A"], ["Leerlingnummer", "RW M6", ""], ["", "VS", "Niv"], ["1", "220", "II"]]
    assert sniff.find_header(rows, header_score, is_sub_header_row) == (1, 2)
    assert sniff.find_header(rows, header_score) == (1, 1)
    assert sniff.find_header([["a", "b"], ["1", "2"]], header_score) == (-1, 0)


def test_sniff_dialect_picks_the_delimiter_whose_header_is_known():
    lines = ["Titel; met puntkomma", "Leerlingnummer,Toets,Vaardigheidsscore", "1,Spelling 3.0,120"]
    assert sniff.sniff_dialect(lines, header_score) == (1, 1, ",")


def test_summary_labels():
    assert sniff.is_summary_label("Groepsgemiddelde")
    assert sniff.is_summary_label("\xa0Aantal leerlingen ")
    assert not sniff.is_summary_label("Anna de Vries")


def test_norm_table_with_title_row_comma_delimiter_and_cp1252(tmp_path):
    p = tmp_path / "norm.csv"
    p.write_bytes(
        "Normen Cito 3.0 – door de IB'er overgenomen\nVak,Schaal,Moment,Gemiddelde,SD\n"
        'Begrijpend lezen,Cito 3.0,M6,174,"14,2"\n'.encode("cp1252")
    )
    t = read_norm_table(p)
    assert t.to_dict("records") == [
        {"subject": "begrijpend lezen", "scale": "Cito 3.0", "moment": "M6", "mean": 174.0, "sd": 14.2}
    ]


def test_norm_table_problem_lines_count_from_the_file_with_a_title_row(tmp_path):
    p = tmp_path / "norm.csv"
    p.write_text("Normtabel\nvak;schaal;moment;gemiddelde;sd\nspelling;Cito 3.0;X6;100;10\n", encoding="utf-8")
    with pytest.raises(NormTableError, match="regel 3: moment 'X6'"):
        read_norm_table(p)


def test_interventions_csv_with_comma_cp1252_and_a_title_row(tmp_path):
    (tmp_path / "interventies.csv").write_bytes(
        "Interventies schooljaar 2025-2026\nID,Naam,Vak,Groepen,Startdatum,Einddatum\n"
        "INT-1,Close reading,Begrijpend lezen,6,03-02-2026,12-06-2026\n".encode("cp1252")
    )
    (tmp_path / "deelname.csv").write_bytes("Leerlingnummer\tInterventie-ID\n1001\tINT-1\n1002\tINT-1\n".encode("utf-8-sig"))
    interventions, participation, reports = read_interventions(tmp_path / "interventies.csv", pseudonymiser=PS)
    assert interventions["intervention_id"].tolist() == ["INT-1"]
    assert interventions["subject"].tolist() == ["begrijpend lezen"]
    assert len(participation) == 2
    assert [(r.rows_read, r.rows_loaded) for r in reports] == [(1, 1), (2, 2)]


def test_utf8_is_checked_in_chunks_and_a_letter_across_a_chunk_boundary_is_valid(monkeypatch):
    from plgdata.io import sniff

    monkeypatch.setattr(sniff, "UTF8_CHUNK", 7)
    text = "Leerling;Zoë;Daniël;Noëlle\n" * 5
    assert sniff.is_utf8(text.encode("utf-8"))
    assert not sniff.is_utf8(text.encode("cp1252"))
    assert sniff.decode(text.encode("cp1252"))[2] == "Windows-1252"
    assert sniff.decode(b"\xef\xbb\xbf" + text.encode("utf-8"))[2] == "UTF-8 (met BOM)"
