"""Interventions template and reader: round trip, CSV variant, every malformed case."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook

from plgdata.io.interventions import (
    InterventionFileError,
    normalise_intervention_subject,
    read_interventions,
    write_intervention_template,
)
from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.model import loadreport as lr
from plgdata.model import schema

PS = Pseudonymiser(secret=b"k" * 32)


def _fill(path, interventions, participation):
    """Fill the template the way a teacher would: openpyxl, below the example row."""
    wb = load_workbook(path)
    for name, rows in (("Interventies", interventions), ("Deelname", participation)):
        ws = wb[name]
        for row in rows:
            ws.append(list(row))
    wb.save(path)


def test_template_layout(tmp_path):
    p = write_intervention_template(tmp_path / "sjabloon.xlsx")
    wb = load_workbook(p)
    assert wb.sheetnames == ["Interventies", "Deelname", "Uitleg"]
    ws = wb["Interventies"]
    assert [c.value for c in ws[1]] == [
        "ID",
        "Naam",
        "Omschrijving",
        "Leerteam",
        "Vak",
        "Groepen",
        "Startdatum",
        "Einddatum",
        "Minuten per week",
    ]
    assert ws.freeze_panes == "A2"
    assert ws["A2"].value.startswith("VOORBEELD") and ws["A2"].font.color.rgb.endswith("808080")
    assert ws.column_dimensions["B"].width > 20
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("Begrijpend lezen" in (f or "") for f in formulas)
    assert [c.value for c in wb["Deelname"][1]] == ["Leerlingnummer", "Interventie-ID", "Startdatum", "Einddatum"]
    uitleg = " ".join(str(c.value) for c in wb["Uitleg"]["A"] if c.value)
    assert "Leerlingnummer" in uitleg and "VOORBEELD" in uitleg and "dd-mm-jjjj" in uitleg
    # the empty template reads as nothing, the example rows set aside
    i, d, reps = read_interventions(p, pseudonymiser=PS)
    assert len(i) == 0 and len(d) == 0
    assert reps[0].set_aside[lr.REASON_EXAMPLE_ROW] == 1 and reps[1].set_aside[lr.REASON_EXAMPLE_ROW] == 1


def test_template_round_trip(tmp_path):
    p = write_intervention_template(tmp_path / "interventies.xlsx")
    _fill(
        p,
        [
            (
                "INT-BL-6A",
                "Close reading",
                "Twee keer per week",
                "Taal",
                "Begrijpend lezen",
                6,
                dt.datetime(2026, 2, 3),
                dt.datetime(2026, 6, 12),
                90,
            ),
            ("INT-RW", "RT-groep", None, "Rekenen", "RW", "4", "09-02-2026", "2026-06-12", "60"),
            ("INT-TL", "Leesestafette", None, None, "DMT", "3,4", 46000, None, None),
        ],
        [
            (104512, "INT-BL-6A", None, None),
            ("104513", "INT-BL-6A", dt.datetime(2026, 3, 1), None),
            ("0104514", "INT-RW", None, "01-05-2026"),
            ("104515", "INT-TL", None, None),
        ],
    )
    i, d, reps = read_interventions(p, pseudonymiser=PS)
    schema.INTERVENTIONS_SCHEMA.validate(i)
    schema.PARTICIPATION_SCHEMA.validate(d)
    assert list(i.columns) == list(schema.INTERVENTION_COLUMNS)
    assert list(i["intervention_id"]) == ["INT-BL-6A", "INT-RW", "INT-TL"]
    assert list(i["subject"].astype(str)) == ["begrijpend lezen", "rekenen-wiskunde", "technisch lezen"]
    assert list(i["groepen"]) == ["6", "4", "3,4"]
    assert i.loc[1, "start"] == pd.Timestamp(2026, 2, 9) and i.loc[1, "end"] == pd.Timestamp(2026, 6, 12)
    assert i.loc[2, "start"] == pd.Timestamp(2025, 12, 9)  # Excel serial 46000
    assert i.loc[0, "minutes_per_week"] == 90 and i.loc[1, "minutes_per_week"] == 60
    assert pd.isna(i.loc[2, "end"])
    # participation: dates default to the intervention's, pseudonyms only
    assert len(d) == 4
    assert d.loc[0, "start"] == pd.Timestamp(2026, 2, 3) and d.loc[0, "end"] == pd.Timestamp(2026, 6, 12)
    assert d.loc[1, "start"] == pd.Timestamp(2026, 3, 1)
    assert d.loc[2, "end"] == pd.Timestamp(2026, 5, 1)
    assert d.loc[0, "pupil_id"] == PS.from_number("104512")
    assert d.loc[2, "pupil_id"] == PS.from_number("104514")  # leading zero ignored
    for r in reps:
        assert r.rows_read == r.rows_loaded + r.rows_set_aside
    assert reps[0].rows_read == 4 and reps[0].rows_loaded == 3
    assert reps[1].rows_read == 5 and reps[1].rows_loaded == 4


def test_csv_variant_comma_cp1252_found_beside(tmp_path):
    (tmp_path / "interventies.csv").write_bytes(
        "ID,Naam,Omschrijving,Leerteam,Vak,Groepen,Startdatum,Einddatum,Minuten per week\r\n"
        "INT-SP,Spelling één,Categorieën oefenen,Taal,SP,3 t/m 8,2024-09-02,,45\r\n"
        "INT-WS,Woordenschat,,Taal,WS,5,02-09-2024,20-12-2024,30\r\n".encode("cp1252")
    )
    (tmp_path / "deelname.csv").write_bytes(
        "Leerlingnummer,Interventie-ID,Startdatum,Einddatum\r\n111,INT-SP,,\r\n112,INT-WS,20240915,\r\n".encode("cp1252")
    )
    i, d, reps = read_interventions(tmp_path / "interventies.csv", pseudonymiser=PS)
    assert list(i["name"]) == ["Spelling één", "Woordenschat"]
    assert list(i["subject"].astype(str)) == ["spelling", "woordenschat"]
    assert d.loc[0, "start"] == pd.Timestamp(2024, 9, 2) and pd.isna(d.loc[0, "end"])
    assert d.loc[1, "start"] == pd.Timestamp(2024, 9, 15) and d.loc[1, "end"] == pd.Timestamp(2024, 12, 20)
    assert [r.source for r in reps] == ["interventies.csv", "deelname.csv"]


def test_malformed_rows_are_set_aside_with_dutch_reasons(tmp_path):
    (tmp_path / "interventies.csv").write_bytes(
        (
            "\ufeffID;Naam;Omschrijving;Leerteam;Vak;Groepen;Startdatum;Einddatum;Minuten per week\n"
            "INT-1;Goed;;Taal;BL;6;03-02-2026;12-06-2026;90\n"
            ";Geen id;;;;;;;\n"
            "INT-2;;;;;;;;\n"
            "INT-3;Datum kapot;;;;;31-02-2026;;\n"
            "INT-4;Achterstevoren;;;;;12-06-2026;03-02-2026;\n"
            "INT-1;Dubbel;;;;;;;\n"
            "VOORBEELD-1;Voorbeeld;;;;;;;\n"
            "INT-5;Onbekend vak;;;Sociaal-emotioneel;;;;2 x 30\n"
        ).encode("utf-8")
    )
    (tmp_path / "deelname.csv").write_bytes(
        b"Leerlingnummer;Interventie-ID;Startdatum;Einddatum\n"
        b"731201;INT-1;;\n"
        b";INT-1;;\n"
        b"731202;;;\n"
        b"731203;INT-9;;\n"
        b"731204;INT-3;;\n"
        b"731205;INT-1;gisteren;\n"
        b"731206;INT-1;;01-01-2026\n"
        b"731201;INT-1;;\n"
        b"731207;VOORBEELD-1;;\n"
        b"731208;INT-5;;\n"
    )
    i, d, (ri, rd) = read_interventions(tmp_path / "interventies.csv", tmp_path / "deelname.csv", pseudonymiser=PS)
    assert list(i["intervention_id"]) == ["INT-1", "INT-5"]
    assert ri.rows_read == 8 and ri.rows_loaded == 2 and ri.rows_set_aside == 6
    assert dict(ri.set_aside) == {
        lr.REASON_NO_INTERVENTION_ID: 1,
        lr.REASON_NO_INTERVENTION_NAME: 1,
        lr.REASON_BAD_DATE: 1,
        lr.REASON_END_BEFORE_START: 1,
        lr.REASON_DUPLICATE_INTERVENTION: 1,
        lr.REASON_EXAMPLE_ROW: 1,
    }
    assert ri.examples[lr.REASON_BAD_DATE] == [5]
    assert any("Sociaal-emotioneel" in n and "niet herkend" in n for n in ri.notes)
    assert any("minuten per week" in n for n in ri.notes)
    assert pd.isna(i.loc[1, "minutes_per_week"])
    assert rd.rows_read == 10 and rd.rows_loaded == 2
    assert dict(rd.set_aside) == {
        lr.REASON_NO_PUPIL_NUMBER: 1,
        lr.REASON_NO_INTERVENTION_ID: 1,
        lr.REASON_UNKNOWN_INTERVENTION: 2,  # INT-9 never existed, INT-3 was set aside
        lr.REASON_BAD_DATE: 1,
        lr.REASON_END_BEFORE_START: 1,
        lr.REASON_DUPLICATE_PARTICIPATION: 1,
        lr.REASON_EXAMPLE_ROW: 1,
    }
    assert rd.rows_read == rd.rows_loaded + rd.rows_set_aside
    # no pupil number anywhere in the outputs or the report
    text = d.to_csv() + i.to_csv() + str(ri.to_dict()) + str(rd.to_dict())
    for nr in [f"73120{k}" for k in range(1, 9)]:
        assert nr not in text
    assert set(d["pupil_id"]) == {PS.from_number("731201"), PS.from_number("731208")}


def test_unrecognised_headers_raise_dutch_error_listing_columns(tmp_path):
    (tmp_path / "interventies.csv").write_text("Nummer;Wat;Iets\nA;B;C\n", encoding="utf-8")
    (tmp_path / "deelname.csv").write_text("Leerlingnummer;Interventie-ID\n1;A\n", encoding="utf-8")
    with pytest.raises(InterventionFileError) as exc:
        read_interventions(tmp_path / "interventies.csv", pseudonymiser=PS)
    msg = str(exc.value)
    assert "niet herkend" in msg and "Gevonden kolommen: Nummer, Wat, Iets" in msg and "ID | Naam" in msg
    assert isinstance(exc.value, ValueError)


def test_missing_sheet_and_missing_participation_file(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Blad1"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(InterventionFileError, match="ontbreekt het tabblad 'Interventies'.*Gevonden tabbladen: Blad1"):
        read_interventions(tmp_path / "x.xlsx", pseudonymiser=PS)
    (tmp_path / "interventies.csv").write_text("ID;Naam\nA;B\n", encoding="utf-8")
    with pytest.raises(InterventionFileError, match="geen deelname.csv"):
        read_interventions(tmp_path / "interventies.csv", pseudonymiser=PS)


def test_subject_mapping():
    cases = {
        "RW": "rekenen-wiskunde",
        "Rekenen": "rekenen-wiskunde",
        "rekenen-wiskunde": "rekenen-wiskunde",
        "BL": "begrijpend lezen",
        "Begrijpend lezen": "begrijpend lezen",
        "SP": "spelling",
        "Spelling": "spelling",
        "TL": "technisch lezen",
        "DMT": "technisch lezen",
        "Technisch lezen": "technisch lezen",
        "WS": "woordenschat",
    }
    assert {k: normalise_intervention_subject(k) for k in cases} == cases
    assert normalise_intervention_subject("  ") is None


def test_sample_xlsx_and_csv_agree(tmp_path):
    from plgdata.io.interventions import fill_intervention_workbook, write_intervention_csv
    from plgdata.sample.school import _interventions_content, _simulate

    pupils, res, _, _ = _simulate(2026)
    interventions, participation, rt = _interventions_content(pupils, res)
    x = write_intervention_template(tmp_path / "interventies.xlsx")
    fill_intervention_workbook(x, interventions, participation)
    write_intervention_csv(tmp_path, interventions, participation)
    i1, d1, r1 = read_interventions(x, pseudonymiser=PS)
    i2, d2, r2 = read_interventions(tmp_path / "interventies.csv", pseudonymiser=PS)
    pd.testing.assert_frame_equal(i1, i2)
    pd.testing.assert_frame_equal(d1, d2)
    assert r1[1].rows_loaded == len(participation) and r1[1].set_aside[lr.REASON_EXAMPLE_ROW] == 1
    assert (d1["intervention_id"] == "INT-RW-RT4").sum() == 8 == len(rt)
    assert i1.set_index("intervention_id").loc["INT-BL-6A", "start"] == pd.Timestamp(2026, 2, 3)
