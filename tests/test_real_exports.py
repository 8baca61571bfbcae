"""Exports shaped after what schools really download (issue 9): each read to the right canonical
rows, with the counting rule (read = loaded + set aside), or refused with the fix.

The fixtures are in tests/fixtures/exports/real/; every pupil number and name in them is made up.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from plgdata.analysis.levels import referentieniveaus
from plgdata.analysis.quality import check_quality, findings_to_text
from plgdata.io.scores import ReadError, read_scores
from plgdata.model.dataset import Dataset
from plgdata.model.loadreport import REASON_BAD_SCORE, REASON_NO_RESULT, REASON_SUMMARY, FileReport, LoadReport

REAL = Path(__file__).parent / "fixtures" / "exports" / "real"
SECRET = b"r" * 32
COLS = ["subject", "scale", "moment", "school_year", "score", "level"]


def _read(name: str):
    ds = read_scores(REAL / name, secret=SECRET)
    (f,) = ds.report.files
    assert f.rows_read == f.rows_loaded + f.rows_set_aside  # the counting rule, per file
    return ds, f


def _read_text(tmp_path, name: str, text: str, **kwargs):
    """Write ``text`` as a file and read it; the counting rule checked as in :func:`_read`."""
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    ds = read_scores(p, secret=SECRET, **kwargs)
    (f,) = ds.report.files
    assert f.rows_read == f.rows_loaded + f.rows_set_aside
    return ds, f


def _rows(ds, cols=COLS) -> list[tuple]:
    d = ds.scores[cols].astype(object).where(ds.scores[cols].notna(), None)
    return [tuple(r) for r in d.itertuples(index=False)]


# --- (1) two score columns: the VS is the score, by rule and with a note ---------------------------


def test_old_cito_lovs_rs_before_vs_takes_the_vs():
    ds, f = _read("cito_lovs_rs_vs.csv")
    assert _rows(ds) == [
        ("rekenen-wiskunde", "Cito 2.0", "M6", "2024-2025", 68.0, "II"),
        ("rekenen-wiskunde", "Cito 2.0", "M6", "2024-2025", 55.0, "III"),
    ]
    assert (f.rows_read, f.rows_loaded, dict(f.set_aside)) == (3, 2, {REASON_SUMMARY: 1})
    assert 'ruwe score "RS" (aantal goed) niet als score gebruikt: de vaardigheidsscore "VS" is de score' in f.notes


def test_score_and_vaardigheidsscore_vaardigheidsscore_wins_by_rule():
    ds, f = _read("score_en_vs.csv")
    assert ds.scores["score"].tolist() == [205.0, 190.0]
    assert any(n.startswith('meer kolommen kunnen de score zijn: "Vaardigheidsscore" is als score genomen') for n in f.notes)


def test_two_vaardigheidsscore_columns_are_refused_with_the_mapping_fix():
    with pytest.raises(ReadError) as err:
        read_scores(REAL / "twee_vs.csv", secret=SECRET)
    msg = str(err.value)
    assert 'kunnen meer kolommen de score zijn ("VS", "Vaardigheidsscore")' in msg
    assert "nooit zomaar de eerste" in msg and 'score: "VS"' in msg


def test_only_a_raw_score_is_refused_and_says_why():
    with pytest.raises(ReadError, match=r'De kolom "RS" is een ruwe score \(aantal goed\), geen vaardigheidsscore'):
        read_scores(REAL / "alleen_rs.csv", secret=SECRET)


def test_a_raw_score_next_to_a_percentile_only_is_dropped_with_a_note(tmp_path):
    """The percentile is loaded; the raw score is never the score, and the report says it was left out."""
    ds, f = _read_text(
        tmp_path,
        "export.csv",
        "Leerlingnummer;Groep;Toets;Afnamedatum;Ruwe score;Percentiel\n2401;5;Spelling 3.0 M5;21-01-2025;35;40\n",
    )
    assert _rows(ds, ["subject", "scale", "moment", "score", "percentile"]) == [("spelling", "Cito 3.0", "M5", None, 40.0)]
    assert (f.rows_read, f.rows_loaded) == (1, 1)
    assert (
        'ruwe score "Ruwe score" (aantal goed) niet ingelezen: een ruwe score is nooit de score en er is geen '
        "vaardigheidsscore; exporteer de vaardigheidsscore (VS) mee"
    ) in f.notes


def test_a_datum_toets_column_is_the_test_date_and_gives_the_school_year():
    ds, f = _read("datum_toets.csv")
    assert _rows(ds, [*COLS, "groep", "class_name"]) == [
        ("begrijpend lezen", "Cito 3.0", "E7", "2024-2025", 190.0, "II", 7, "7A")
    ]
    assert ds.scores["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-06-05"]
    assert (f.rows_read, f.rows_loaded, dict(f.set_aside)) == (3, 1, {REASON_NO_RESULT: 1, REASON_SUMMARY: 1})


def test_a_leerling_column_holding_only_numbers_is_the_pupil_number(tmp_path):
    """ "Leerling" may hold a name or a number: decided from its values.  Numbers give the same
    pseudonym as a Leerlingnummer column in another file (never a name-only pseudonym)."""
    ds, f = _read("leerling_kolom_nummers.csv")
    assert _rows(ds, ["subject", "scale", "moment", "score"]) == [
        ("rekenen-wiskunde", "Cito 2.0", "M7", 98.0),
        ("rekenen-wiskunde", "Cito 2.0", "M7", 87.0),
    ]
    assert (f.rows_read, f.rows_loaded, dict(f.set_aside)) == (3, 2, {REASON_SUMMARY: 1})
    assert 'kolom "Leerling" bevat alleen nummers: gelezen als leerlingnummer' in f.notes
    assert ds.pupils["id_basis"].astype(str).tolist() == ["leerlingnummer", "leerlingnummer"]
    later = tmp_path / "spelling.csv"
    later.write_text("Leerlingnummer;Groep;Toets;Afnamedatum;VS\n1701;7;Spelling 3.0 M7;21-01-2025;330\n", encoding="utf-8")
    both = read_scores([REAL / "leerling_kolom_nummers.csv", later], secret=SECRET)
    assert both.scores["pupil_id"].nunique() == 2  # pupil 1701 is one pupil in both files


# --- (2) stated test versions are scales --------------------------------------------------------


def test_versions_in_test_names_are_scales_never_an_assumed_cito_3():
    ds, f = _read("versies_in_toetsnaam.csv")
    assert _rows(ds, ["test_name", "subject", "scale", "moment"]) == [
        ("SP 2011", "spelling", "Cito 2011", "M4"),
        ("BL 2011 E4 S+V2", "begrijpend lezen", "Cito 2011", "E4"),
        ("DMT 2018", "technisch lezen", "DMT 2018", "M4"),
        ("DMT 2009", "technisch lezen", "DMT 2009", "M4"),
        ("Begrijpend lezen 3.0", "begrijpend lezen", "Cito 3.0", "M4"),
    ]
    assert (f.rows_read, f.rows_loaded) == (5, 5)
    assert not any("aangenomen" in n for n in f.notes)


def test_a_toetsversie_column_is_the_scale():
    ds, f = _read("toetsversie_kolom.csv")
    assert _rows(ds, ["subject", "scale", "moment", "school_year", "score"]) == [
        ("spelling", "Cito 2011", "M6", "2024-2025", 130.0),
        ("spelling", "Cito 3.0", "M6", "2024-2025", 310.0),
    ]
    assert (f.rows_read, f.rows_loaded) == (2, 2)


def test_no_version_stated_is_said_and_flagged_for_the_scale_check():
    ds, f = _read("geen_versie.csv")
    assert set(ds.scores["scale"]) == {"Cito 3.0"}
    assert (
        "geen toetsversie vermeld: schaal Cito 3.0 aangenomen voor 2 resultaten; "
        "controleer de schaal bij de datakwaliteit (stap 4)"
    ) in f.notes
    found = check_quality(ds)
    row = found[found["code"] == "schaal_aangenomen"]
    assert row["examples"].iloc[0] == ["geen_versie.csv"]


def test_lovs_in_a_title_is_the_system_not_a_version(tmp_path):
    """ "Cito LOVS" names the pupil monitoring system, which held 2.0 and 3.0 tests: a title saying
    it states no version (it was silently read as Cito 2.0), so the scale is assumed, said and flagged."""
    ds, f = _read_text(
        tmp_path,
        "export.csv",
        "Cito LOVS - Groepsoverzicht 5A\nLeerlingnummer;Groep;Toets;Afnamedatum;VS\n"
        "1501;5;Spelling M5;20-01-2025;142\n1502;5;Spelling M5;20-01-2025;128\n",
    )
    assert _rows(ds, ["subject", "scale", "moment", "score"]) == [
        ("spelling", "Cito 3.0", "M5", 142.0),
        ("spelling", "Cito 3.0", "M5", 128.0),
    ]
    assert any(n.startswith("geen toetsversie vermeld: schaal Cito 3.0 aangenomen voor 2 resultaten") for n in f.notes)
    assert "schaal_aangenomen" in set(check_quality(ds)["code"])


def test_a_vendor_without_a_version_is_no_stated_version():
    """An LVS column saying only "Cito" states no version: said and flagged, as when nothing is stated;
    "Cito 2.0" on another row is kept."""
    ds, f = _read("alleen_leverancier.csv")
    assert _rows(ds, ["subject", "scale", "moment", "score"]) == [
        ("spelling", "Cito 3.0", "M6", 300.0),
        ("spelling", "Cito 3.0", "M6", 310.0),
        ("spelling", "Cito 2.0", "M6", 120.0),
    ]
    assert (f.rows_read, f.rows_loaded) == (3, 3)
    assert (
        "geen toetsversie vermeld: schaal Cito 3.0 aangenomen voor 2 resultaten; "
        "controleer de schaal bij de datakwaliteit (stap 4)"
    ) in f.notes
    assert "schaal_aangenomen" in check_quality(ds)["code"].tolist()


# --- (3) Leerling in beeld is not IEP; 2F/1S counts as 2F and as 1S ------------------------------


def test_leerling_in_beeld_with_niveau_and_referentieniveau():
    ds, f = _read("leerling_in_beeld.csv")
    assert f.kind == "Leerling in beeld"
    rows = _rows(ds)
    assert rows[:3] == [
        ("rekenen-wiskunde", "Leerling in beeld", "M8", "2024-2025", 250.0, "I+"),
        ("rekenen-wiskunde", "Leerling in beeld", "M8", "2024-2025", 230.0, "III"),
        ("rekenen-wiskunde", "Leerling in beeld", "M8", "2024-2025", 200.0, "V-"),
    ]
    assert rows[3:] == [
        ("rekenen-wiskunde", "Leerling in beeld", "M8", "2024-2025", None, level) for level in ("2F", "1F", "onder 1F")
    ]
    assert ds.scores["func_level"].astype(str).tolist()[:3] == [">E8", "M8", "M6"]
    assert ds.scores["percentile"].tolist()[:3] == [92.0, 50.0, 5.0]
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (3, 3, 0)  # rows, not records, are counted


def test_iep_level_tests_2f1s_and_one_test_window_is_one_moment():
    ds, f = _read("iep_rekenen_1f2f.csv")
    assert f.kind == "IEP"
    # 28 November and 12 December are one IEP test window: one moment (M), not B and M
    assert _rows(ds) == [
        ("rekenen-wiskunde", "IEP", "M8", "2024-2025", 82.0, "2F/1S"),
        ("rekenen-wiskunde", "IEP", "M8", "2024-2025", 70.0, "1F"),
        ("rekenen-wiskunde", "IEP", "M8", "2024-2025", 55.0, "op weg naar 1F"),
    ]
    assert (f.rows_read, f.rows_loaded) == (3, 3)
    assert any("M nov-mrt" in n for n in f.notes)
    per_year = referentieniveaus(ds.scores, 0.5).per_year
    assert per_year[["n", "share_1f", "share_2f"]].iloc[0].tolist() == pytest.approx([3, 2 / 3, 1 / 3])


# --- (4) ESIS ------------------------------------------------------------------------------------


def test_esis_headers_short_dates_and_1_2_gender():
    ds, f = _read("esis_spelling.csv")
    assert _rows(ds, [*COLS, "dle"]) == [
        ("spelling", "Cito 3.0", "M5", "2024-2025", 212.0, None, 22.0),
        ("spelling", "Cito 3.0", "M5", "2024-2025", 198.0, None, 18.0),
    ]
    assert ds.scores["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-21", "2025-01-22"]
    assert ds.pupils["gender"].astype(str).tolist() == ["J", "M"]
    assert ds.pupils["birth_year"].tolist() == [2015, 2015]
    assert "geslacht als 1/2 (EDEX-codering): 1 = jongen, 2 = meisje" in f.notes
    assert (f.rows_read, f.rows_loaded) == (2, 2)


# --- (5) the quality check never calls data complete when it is not ------------------------------


def test_quality_check_names_set_aside_rows_and_never_says_complete():
    rep = LoadReport()
    fr = FileReport(source="x.csv", kind="Cito (lang)", rows_read=8)
    fr.add_set_aside(REASON_BAD_SCORE, range(2, 10))
    rep.add(fr)
    found = check_quality(Dataset(report=rep))
    assert found["code"].tolist()[:2] == ["niets_ingelezen", "regels_apart"]
    text = findings_to_text(found)
    assert "compleet en consistent" not in text
    assert "Er zijn geen toetsresultaten ingelezen (8 regels gelezen, 0 ingelezen)" in text
    assert f"8 van de 8 gelezen regels zijn apart gezet en niet ingelezen: 8× {REASON_BAD_SCORE}." in text


def test_quality_check_on_an_empty_scores_table_says_nothing_was_loaded():
    found = check_quality(pd.DataFrame(Dataset().scores))
    assert found["code"].tolist() == ["niets_ingelezen"]


def test_quality_check_says_when_the_school_year_of_results_is_unknown():
    """A group overview without a date, title or file name with a year: loaded, but never "complete"."""
    ds, f = _read("overzicht_zonder_schooljaar.csv")
    assert _rows(ds)[0] == ("rekenen-wiskunde", "Cito 3.0", "M5", None, 190.0, "III")
    assert (f.rows_read, f.rows_loaded) == (5, 5)
    found = check_quality(ds)
    assert found["code"].tolist() == ["no_school_year"]
    text = findings_to_text(found)
    assert "compleet en consistent" not in text
    assert (
        "5 resultaten (5 leerlingen) hebben geen schooljaar: het bestand noemt geen afnamedatum en geen schooljaar "
        "(in de titel of de bestandsnaam)."
    ) in text


# --- (7) combination classes and the moment inside the test name ---------------------------------


def test_combination_class_groep_from_the_test_level_and_moment_from_the_test_name():
    ds, f = _read("combinatieklas.csv")
    assert _rows(ds, ["class_name", "moment", "groep", "school_year"]) == [
        ("5/6", "M5", 5, "2024-2025"),
        ("Groep 5/6", "M6", 6, "2024-2025"),
        ("5/6", "M7", None, "2024-2025"),  # M7 is not 5 or 6: the groep stays unknown, and the report says so
    ]
    assert "combinatieklas: bij 1 resultaat/resultaten is de groep onbekend gebleven" in f.notes
    assert (f.rows_read, f.rows_loaded) == (3, 3)


def test_a_combination_class_in_the_groep_column_gets_its_groep_from_the_test_level():
    """ParnasSys-like exports put "5/6" in the Groep column itself: never a silently missing groep."""
    ds, f = _read("combinatie_in_groepkolom.csv")
    assert _rows(ds, ["subject", "class_name", "moment", "groep", "school_year", "score"]) == [
        ("spelling", "5/6", "M5", 5, "2024-2025", 190.0),
        ("rekenen-wiskunde", "Groep 5/6", "M6", 6, "2024-2025", 230.0),
        ("spelling", None, "M6", 6, "2024-2025", 285.0),
    ]
    assert (
        "combinatieklas: groep van 2 resultaat/resultaten afgeleid uit het toetsniveau (bijvoorbeeld M5 in klas 5/6 is groep 5)"
        in f.notes
    )
    assert (f.rows_read, f.rows_loaded) == (3, 3)


def test_a_moment_stated_in_the_title_is_the_moment_before_the_date():
    """Dia: "Meting: Eind groep 5" in the title, taken in September: E5 of groep 5's school year."""
    ds, f = _read("dia_meting_in_titel.csv")
    assert _rows(ds, [*COLS, "groep"]) == [
        ("begrijpend lezen", "Dia", "E5", "2024-2025", 150.0, None, 5),
        ("begrijpend lezen", "Dia", "E5", "2024-2025", 141.0, None, 5),
    ]
    assert (f.rows_read, f.rows_loaded) == (2, 2)
    assert "toetsmoment E5 gelezen uit de titel ('Eind groep 5')" in f.notes
    assert "2 eindmeting(en) na de zomer afgenomen (aug-okt): bij het schooljaar daarvoor gerekend" in f.notes


# --- mapping files map values too; "vak onbekend" names the value and the line that fixes it ------


def test_unknown_subject_names_the_test_and_the_mapping_line(tmp_path):
    _, f = _read_text(
        tmp_path, "export.csv", "Leerlingnummer;Groep;Toets;Toetsmoment;Vaardigheidsscore\n1;5;Tekstvaardigheid;M5;33\n"
    )
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (1, 0, 1)
    assert (
        "vak onbekend bij 1 resultaat/resultaten, toets 'Tekstvaardigheid': zet in het koppelbestand welk vak dat is "
        '(bijvoorbeeld begrijpend lezen):\nwaarden:\n  vak:\n    "Tekstvaardigheid": ...'
    ) in f.notes


# --- AVI and unreadable level notations ----------------------------------------------------------


def test_avi_levels_are_their_own_system_and_an_unknown_notation_is_named(tmp_path):
    ds, f = _read_text(
        tmp_path,
        "avi.csv",
        "Leerlingnummer;Groep;Toets;Toetsmoment;Niveau\n1;4;AVI;M4;AVI-Start\n2;4;AVI;M4;E4\n3;4;AVI;M4;AVI 5\n4;4;AVI;M4;Q9\n",
    )
    assert ds.scores["level"].astype(str).tolist() == ["AVI-Start", "E4", "AVI 5"]
    assert set(ds.scores["subject"]) == {"technisch lezen"}
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (4, 3, 1)
    assert any(n.startswith("niveau niet te lezen: 'Q9' is geen notatie die plgdata kent (wel: I–V") for n in f.notes)


def test_an_avi_column_next_to_dmt_cards_is_read_as_avi_levels_never_dropped():
    """An "AVI" column beside the DMT cards is its own result (technisch lezen, AVI levels, scale AVI);
    a bare 1-9 in that column is the old AVI level."""
    ds, f = _read("dmt_met_avi.csv")
    rows = _rows(ds, ["subject", "scale", "moment", "groep", "score", "level"])
    assert [r for r in rows if r[1] == "AVI"] == [
        ("technisch lezen", "AVI", "M4", 4, None, "M4"),
        ("technisch lezen", "AVI", "M5", 5, None, "AVI-Plus"),
        ("technisch lezen", "AVI", "M5", 5, None, "AVI 9"),
    ]
    assert sorted(set(ds.scores["scale"])) == ["AVI", "DMT 2009 kaart 1", "DMT 2009 kaart 2", "DMT 2009 kaart 3"]
    assert len(ds.scores) == 3 + 3 * 3
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (4, 4, 0)
    assert 'AVI-niveaus (kolom "AVI") als eigen resultaat gelezen (technisch lezen, schaal AVI)' in f.notes


def test_dmt_cards_of_one_sitting_are_no_scale_break_in_the_quality_check():
    """Three cards of one DMT version are three parallel results, not a change of test version: no
    "Verschillende toetsschalen" error; two DMT versions for one pupil still are one."""
    ds, _ = _read("dmt_met_avi.csv")
    assert "mixed_scales" not in check_quality(ds)["code"].tolist()
    scores = ds.scores.copy()
    later = scores[scores["scale"] == "DMT 2009 kaart 1"].assign(
        scale="DMT 2018 kaart 1", school_year="2025-2026", date=pd.Timestamp("2026-01-20")
    )
    both = pd.concat([scores, later], ignore_index=True)
    both["scale"] = both["scale"].astype("category")
    both["school_year"] = both["school_year"].astype("category")
    found = check_quality(both)
    assert found.loc[found["code"] == "mixed_scales", "count"].tolist() == [3]


def test_boom_hoofdrekenen_is_its_own_subject_and_contextrijk_is_rekenen(tmp_path):
    ds, _ = _read_text(
        tmp_path,
        "boom_lvs.csv",
        "Leerlingnummer;Groep;Toets;Afnamedatum;Vaardigheidsscore\n"
        "1;5;Hoofdrekenen;10-02-2025;40\n1;5;Rekenen-wiskunde contextrijk;11-02-2025;210\n",
    )
    assert _rows(ds, ["subject", "scale", "moment"]) == [("hoofdrekenen", "Boom", "M5"), ("rekenen-wiskunde", "Boom", "M5")]


def test_boom_is_recognised_from_its_own_test_names_when_nothing_else_names_it(tmp_path):
    """ "Rekenen-wiskunde contextrijk" and "Hoofdrekenen" are Boom LVS tests: never an assumed Cito 3.0."""
    ds, f = _read_text(
        tmp_path,
        "resultaten_6a.csv",
        "Leerlingnummer;Groep;Toets;Afnamedatum;Vaardigheidsscore\n"
        "1;6;Hoofdrekenen;03-11-2024;51\n1;6;Rekenen-wiskunde contextrijk;15-01-2025;498\n2;6;Spelling;10-06-2025;470\n",
    )
    assert _rows(ds, ["subject", "scale", "moment", "school_year", "score"]) == [
        ("hoofdrekenen", "Boom", "B6", "2024-2025", 51.0),
        ("rekenen-wiskunde", "Boom", "M6", "2024-2025", 498.0),
        ("spelling", "Boom", "E6", "2024-2025", 470.0),
    ]
    assert f.kind == "Boom" and (f.rows_read, f.rows_loaded) == (3, 3)
    assert not any(n.startswith("geen toetsversie vermeld") for n in f.notes)


# --- wide group overviews: full subject names, and three merged header rows ----------------------


def test_wide_overview_with_full_subject_names_and_a_stated_version():
    ds, f = _read("overzicht_volledige_namen.csv")
    assert _rows(ds, ["subject", "scale", "moment", "score", "level"]) == [
        ("rekenen-wiskunde", "Cito 3.0", "M6", 231.0, "III"),
        ("rekenen-wiskunde", "Cito 3.0", "M6", 215.0, "IV"),
        ("spelling", "Cito 3.0", "M6", 318.0, "II"),
        ("spelling", "Cito 3.0", "M6", 300.0, "III"),
    ]
    # only the rekenen-wiskunde group states no version: 2 results, not 4
    assert any(n.startswith("geen toetsversie vermeld: schaal Cito 3.0 aangenomen voor 2 resultaten") for n in f.notes)
    assert (f.rows_read, f.rows_loaded) == (2, 2)


def test_wide_overview_with_test_moment_and_vs_niv_on_three_merged_header_rows():
    ds, f = _read("overzicht_drie_kopregels.csv")
    assert _rows(ds) == [
        ("rekenen-wiskunde", "Cito 3.0", "M6", "2024-2025", 231.0, "III"),
        ("rekenen-wiskunde", "Cito 3.0", "M6", "2024-2025", 215.0, "IV"),
        ("spelling", "Cito 3.0", "M6", "2024-2025", 318.0, "II"),
        ("spelling", "Cito 3.0", "M6", "2024-2025", 300.0, "III"),
    ]
    assert f.kind == "Cito (breed overzicht)"
    assert (f.rows_read, f.rows_loaded) == (2, 2)
    assert ds.scores["source_row"].tolist() == [5, 6, 5, 6]
    # the load report says which rows were taken as the header and how a merged cell was read
    assert f.notes[0] == (
        "kop over drie regels (regel 2-4: toets, moment en VS/niveau onder elkaar), samengevoegd tot één kopregel "
        "(bijvoorbeeld 'Rekenen-Wiskunde M6 VS'); een samengevoegde cel geldt voor de kolommen eronder tot de "
        "volgende gevulde cel"
    )


def test_a_workbook_with_merged_cells_over_three_header_rows_is_read_the_same(tmp_path):
    """The same overview as an .xlsx with real merged cells (only the top-left cell holds the text)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Overzicht"
    for row in (
        ["Groepsoverzicht groep 6 - 2024-2025"],
        ["", "", "Rekenen-Wiskunde", "", "Spelling", ""],
        ["", "", "M6", "", "M6", ""],
        ["Leerlingnummer", "Groep", "VS", "Niv", "VS", "Niv"],
        [1101, 6, 231, "III", 318, "II"],
        [1102, 6, 215, "IV", 300, "III"],
    ):
        ws.append(row)
    for cells in ("C2:D2", "E2:F2", "C3:D3", "E3:F3"):
        ws.merge_cells(cells)
    path = tmp_path / "overzicht.xlsx"
    wb.save(path)
    ds = read_scores(path, secret=SECRET)
    (f,) = ds.report.files
    assert _rows(ds) == [
        ("rekenen-wiskunde", "Cito 3.0", "M6", "2024-2025", 231.0, "III"),
        ("rekenen-wiskunde", "Cito 3.0", "M6", "2024-2025", 215.0, "IV"),
        ("spelling", "Cito 3.0", "M6", "2024-2025", 318.0, "II"),
        ("spelling", "Cito 3.0", "M6", "2024-2025", 300.0, "III"),
    ]
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (2, 2, 0)
    assert f.notes[0].startswith("kop over drie regels (regel 2-4: toets, moment en VS/niveau onder elkaar)")


def test_identity_headers_merged_down_over_three_header_rows_are_read(tmp_path):
    """Leerlingnummer and Groep merged over the three header rows stand in the top row (the top-left
    cell of a vertical merge): test and moment below them, VS/Niv last.  Read, not refused."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in (REAL / "overzicht_naam_bovenaan.csv").read_text(encoding="utf-8").splitlines():
        ws.append([float(c.replace(",", ".")) if c[:1].isdigit() else (c or None) for c in row.split(";")])
    for cells in ("A1:A3", "B1:B3", "C1:D1", "E1:F1", "C2:D2", "E2:F2"):
        ws.merge_cells(cells)
    wb.save(tmp_path / "overzicht.xlsx")
    xlsx = read_scores(tmp_path / "overzicht.xlsx", secret=SECRET)
    for ds, f in (_read("overzicht_naam_bovenaan.csv"), (xlsx, xlsx.report.files[0])):
        assert _rows(ds, ["subject", "scale", "moment", "groep", "score", "level"]) == [
            ("spelling", "Cito 3.0", "M5", 5, 190.0, "III"),
            ("spelling", "Cito 3.0", "M5", 5, 200.0, "II"),
            ("rekenen-wiskunde", "Cito 3.0", "M5", 5, 180.5, "II"),
        ]
        assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (2, 2, 0)
        assert f.notes[0].startswith("kop over drie regels (regel 1-3: toets, moment en VS/niveau onder elkaar)")


# --- files that are not what their name says -------------------------------------------------------


def test_excel_97_xls_and_an_html_table_saved_as_xls_are_read_and_named(tmp_path):
    import shutil

    for name in ("cito_lovs_excel97.xls", "webexport_als_xls.xls"):
        shutil.copy(REAL / name, tmp_path / name)
    ds = read_scores(tmp_path, secret=SECRET)
    by_source = {f.source: f for f in ds.report.files}
    xls, html = by_source["cito_lovs_excel97.xls:Resultaten"], by_source["webexport_als_xls.xls:tabel 1"]
    assert "oud Excel-bestand (.xls, Excel 97-2003): gelezen" in xls.notes
    assert html.notes[0].startswith("webexport_als_xls.xls is geen echt Excel-bestand maar een webpagina (HTML-tabel)")
    assert [(f.rows_read, f.rows_loaded) for f in (xls, html)] == [(2, 2), (2, 2)]
    assert _rows(ds, ["subject", "scale", "moment", "school_year", "score"]) == [
        ("rekenen-wiskunde", "Cito 2.0", "M7", "2024-2025", 98.0),
        ("rekenen-wiskunde", "Cito 2.0", "M7", "2024-2025", 87.0),
        ("spelling", "Cito 3.0", "M4", "2024-2025", 158.0),
        ("spelling", "Cito 3.0", "M4", "2024-2025", 142.0),
    ]


def test_an_html_table_saved_as_csv_is_recognised_as_html_and_read(tmp_path):
    """A web system's "export" saved under .csv is a web page: read as an HTML table and said so,
    never refused with "no header found"."""
    import shutil

    shutil.copy(REAL / "webexport_als_xls.xls", tmp_path / "webexport.csv")
    ds = read_scores(tmp_path / "webexport.csv", secret=SECRET)
    (f,) = ds.report.files
    assert f.notes[0].startswith("webexport.csv is geen CSV-bestand maar een webpagina (HTML-tabel)")
    assert (f.rows_read, f.rows_loaded) == (2, 2)
    assert _rows(ds, ["subject", "scale", "moment", "school_year", "score"]) == [
        ("spelling", "Cito 3.0", "M4", "2024-2025", 158.0),
        ("spelling", "Cito 3.0", "M4", "2024-2025", 142.0),
    ]


# --- a column there but not understood: the message says which row was the header ----------------


def test_a_result_like_column_not_understood_is_named_with_the_header_row(tmp_path):
    _, f = _read_text(
        tmp_path,
        "export.csv",
        "Groepsoverzicht\n\nLeerlingnummer;Toets;Toetsmoment;Vaardigheidsscore;Groei M6\n1;Spelling 3.0;M6;300;+12\n",
    )
    assert (
        'kolommen die op resultaten lijken maar niet zijn herkend (niet ingelezen): "Groei M6" (kopregel: regel 3); '
        "zet ze zo nodig in een koppelbestand"
    ) in f.notes


def test_a_refused_file_says_which_row_was_taken_as_the_header(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("Overzicht\nLeerlingnummer;Toets;Resultaat\n1;Spelling 3.0;300\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r'Gevonden kolommen: "Leerlingnummer", "Toets", "Resultaat" \(kopregel: regel 2\)'):
        read_scores(p, secret=SECRET)


def test_the_readme_mapping_file_maps_subjects_levels_gender_and_moments_of_an_unknown_system(tmp_path):
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block, wide = re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)
    (tmp_path / "koppeling.yaml").write_text(block, encoding="utf-8")
    ds = read_scores(REAL / "toetsplein.csv", secret=SECRET, mapping=tmp_path / "koppeling.yaml")
    (f,) = ds.report.files
    assert _rows(ds) == [
        ("begrijpend lezen", "Toetsplein 2024", "M5", "2024-2025", 33.0, "II"),
        ("begrijpend lezen", "Toetsplein 2024", "M5", "2024-2025", 25.0, "IV"),
    ]
    assert ds.pupils["gender"].astype(str).tolist() == ["J", "M"]
    assert (f.rows_read, f.rows_loaded) == (2, 2)
    # the README's second mapping file declares a wide layout and reads the export it is made for
    (tmp_path / "breed.yaml").write_text(wide, encoding="utf-8")
    ds = read_scores(REAL / "eigen_systeem_breed.csv", secret=SECRET, mapping=tmp_path / "breed.yaml")
    assert _rows(ds, ["subject", "moment", "score"]) == [
        ("rekenen-wiskunde", "M6", 231.0),
        ("rekenen-wiskunde", "M6", 215.0),
        ("rekenen-wiskunde", "M6", 240.0),
        ("spelling", "M6", 318.0),
        ("spelling", "M7", 325.0),
    ]


# --- IEP groep 3-5: percentages correct are their own scale ------------------------------------------


def test_iep_percentage_goed_column_is_its_own_scale():
    ds, f = _read("iep_leerjaar4_6.csv")
    assert _rows(ds, ["subject", "scale", "moment", "school_year", "groep", "score"]) == [
        ("rekenen-wiskunde", "IEP % goed", "E4", "2024-2025", 4, 78.0),
        ("rekenen-wiskunde", "IEP % goed", "E6", "2024-2025", 6, 64.0),
    ]
    assert (f.rows_read, f.rows_loaded) == (2, 2)


def test_iep_groep_3_to_5_with_a_bare_score_column_is_not_mixed_with_ontwikkelscores(tmp_path):
    p = tmp_path / "IEP_rekenen.csv"
    p.write_text(
        "Leerlingnummer;Leerjaar;Toets;Afnamedatum;Score\n1;4;Rekenen;10-06-2025;78\n2;6;Rekenen;10-06-2025;64\n",
        encoding="utf-8",
    )
    ds = read_scores(p, secret=SECRET)
    (f,) = ds.report.files
    assert _rows(ds, ["groep", "scale", "score"]) == [(4, "IEP % goed", 78.0), (6, "IEP", 64.0)]
    assert (
        "1 resultaat/resultaten (groep 3-5) zijn percentages goed, geen scores: op een eigen schaal (IEP % goed) gezet, "
        "nooit gemengd met scores"
    ) in f.notes


def test_iep_scores_written_with_a_percent_sign_are_percentages_correct_on_their_own_scale():
    """ "78%" in an IEP score column is read (never set aside as "no number") and gets the % goed scale;
    the note counts only the results that were loaded."""
    ds, f = _read("iep_procentteken.csv")
    assert _rows(ds, ["subject", "scale", "moment", "school_year", "groep", "score"]) == [
        ("rekenen-wiskunde", "IEP % goed", "E4", "2024-2025", 4, 78.0),
        ("taalverzorging", "IEP % goed", "E5", "2024-2025", 5, 64.0),
        ("rekenen-wiskunde", "IEP", "E6", "2024-2025", 6, 71.0),
    ]
    assert (f.rows_read, f.rows_loaded, dict(f.set_aside)) == (4, 3, {REASON_NO_RESULT: 1})
    assert (
        "2 resultaat/resultaten (groep 3-5 of met een %-teken) zijn percentages goed, geen scores: op een eigen schaal "
        "(IEP % goed) gezet, nooit gemengd met scores"
    ) in f.notes


def test_dmt_cards_are_raw_counts_each_on_its_own_scale():
    ds, f = _read("dmt_kaarten.csv")
    assert _rows(ds, ["subject", "scale", "moment", "score"]) == [
        ("technisch lezen", "DMT 2018 kaart 1", "M4", 52.0),
        ("technisch lezen", "DMT 2018 kaart 1", "M4", 48.0),
        ("technisch lezen", "DMT 2018 kaart 2", "M4", 41.0),
        ("technisch lezen", "DMT 2018 kaart 3", "M4", 30.0),
        ("technisch lezen", "DMT 2018 kaart 3", "M4", 25.0),
    ]
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (2, 2, 0)  # the empty card 2 is no row set aside


def test_a_mapping_file_gives_the_test_windows_of_an_unknown_system(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text(
        "Leerlingnummer;Groep;Toets;Afnamedatum;Vaardigheidsscore\n"
        "1;5;Spelling 3.0;25-11-2024;200\n1;5;Spelling 3.0;12-06-2025;230\n1;5;Spelling 3.0;03-03-2025;215\n",
        encoding="utf-8",
    )
    (tmp_path / "koppeling.yaml").write_text("toetsvensters:\n  M: nov-jan\n  E: [mei, jun]\n", encoding="utf-8")
    ds = read_scores(p, secret=SECRET, mapping=tmp_path / "koppeling.yaml")
    (f,) = ds.report.files
    # November is M by the school's windows (Cito's would say B); March falls in no window: no moment
    assert _rows(ds, ["moment", "score"]) == [("M5", 200.0), ("E5", 230.0), (None, 215.0)]
    assert any("(M nov-jan, E mei-jun)" in n for n in f.notes)


def test_results_left_without_a_moment_are_said_in_the_load_report_and_the_quality_check():
    """A date in no test window of the mapping file, or no date at all: loaded without a moment, and said."""
    ds = read_scores(REAL / "buiten_toetsvenster.csv", secret=SECRET, mapping=REAL / "buiten_toetsvenster.yaml")
    (f,) = ds.report.files
    assert _rows(ds, ["moment", "school_year", "score"]) == [
        ("M5", "2024-2025", 200.0),
        ("E5", "2024-2025", 230.0),
        (None, "2024-2025", 215.0),
        (None, None, 221.0),
    ]
    assert (f.rows_read, f.rows_loaded) == (4, 4)
    assert (
        "2 resultaat/resultaten zonder toetsmoment ingelezen: bij 1 valt de afnamedatum in geen toetsvenster "
        "(M nov-jan, E mei-jun); bij 1 staat geen toetsmoment en geen afnamedatum; geef het moment in een kolom "
        "Toetsmoment of in het koppelbestand"
    ) in f.notes
    found = check_quality(ds)
    assert found.loc[found["code"] == "no_moment", "count"].tolist() == [2]
    assert "compleet en consistent" not in findings_to_text(found)


# --- a wide layout of a system plgdata does not know, declared in the mapping file -------------------


def test_a_wide_layout_is_declared_column_by_column_in_the_mapping_file():
    """``brede_kolommen:`` says per column: subject, moment (M6, or M: the groep gives the year),
    what it holds (score by default, or niveau ...) and the scale. The headers are found by the
    mapping's column names, although plgdata knows none of them."""
    mapping = REAL / "eigen_systeem_breed.yaml"
    ds = read_scores(REAL / "eigen_systeem_breed.csv", secret=SECRET, mapping=mapping)
    (f,) = ds.report.files
    assert _rows(ds, [*COLS, "groep", "source_row"]) == [
        ("rekenen-wiskunde", "Cito 3.0", "M6", "2024-2025", 231.0, "III", 6.0, 3),
        ("rekenen-wiskunde", "Cito 3.0", "M6", "2024-2025", 215.0, "IV", 6.0, 4),
        ("rekenen-wiskunde", "Cito 3.0", "M6", "2024-2025", 240.0, "II", 7.0, 5),
        ("spelling", "Cito 3.0", "M6", "2024-2025", 318.0, "II", 6.0, 3),
        ("spelling", "Cito 3.0", "M7", "2024-2025", 325.0, "I", 7.0, 5),
    ]
    # the counting rule per table row: pupil 1202 has no spelling result ("afw"), but a rekenen one
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (3, 3, 0)
    assert "kolommen gekoppeld met eigen_systeem_breed.yaml" in f.notes
    assert "brede indeling: 2 kolomgroepen (vak x moment) omgezet naar een regel per toets" in f.notes
    # without the mapping the file is refused with the fix, never read as something else
    with pytest.raises(ReadError, match="niet herkend"):
        read_scores(REAL / "eigen_systeem_breed.csv", secret=SECRET)


def test_a_declared_wide_column_that_is_not_in_the_file_is_named(tmp_path):
    import yaml

    spec = yaml.safe_load((REAL / "eigen_systeem_breed.yaml").read_text(encoding="utf-8"))
    spec["brede_kolommen"]["Rek mei"] = {"vak": "rekenen", "moment": "E6"}
    ds = read_scores(REAL / "eigen_systeem_breed.csv", secret=SECRET, mapping=spec)
    (f,) = ds.report.files
    assert (
        'brede kolommen uit koppelbestand niet in dit bestand (niet ingelezen): "Rek mei"; controleer de kolomnamen '
        "(precies zoals in de kopregel)"
    ) in f.notes
    assert f.rows_loaded == 3


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ({"moment": "M6"}, 'bij brede kolom "Rek nov": het vak ontbreekt'),
        ({"vak": "rekenen", "moment": "november"}, "'november' is geen toetsmoment (gebruik bijvoorbeeld M6, E6, B7 of M)"),
        ({"vak": "rekenen", "veld": "ruwe score"}, "veld 'ruwe score' is onbekend. Toegestaan: score, vs,"),
        ({"vak": "rekenen", "kleur": "rood"}, "onbekende sleutel(s) kleur. Toegestaan: vak, moment, veld, schaal."),
        ("rekenen M6", "schrijf wat de kolom bevat"),
    ],
)
def test_a_wrong_wide_column_in_the_mapping_file_is_refused_in_dutch(column, message):
    with pytest.raises(ReadError) as exc:
        read_scores(REAL / "eigen_systeem_breed.csv", secret=SECRET, mapping={"brede_kolommen": {"Rek nov": column}})
    assert message in exc.value.message


# --- a dot in a score: thousands or decimals, by a stated rule per column -----------------------------


def test_a_dot_in_a_score_is_read_by_the_columns_decimal_mark_and_said(tmp_path):
    """ "1.050" is 1050 in a column that writes decimals with a comma, and 1,05 otherwise; either way
    the load report names the value and the rule (it was silently 1,05)."""
    head = "Boom LVS - Rekenen-wiskunde\nLeerlingnummer;Groep;Toets;Afnamedatum;Score\n"
    ds, f = _read_text(
        tmp_path, "komma.csv", head + "1;8;Rekenen-wiskunde;20-01-2025;1.050\n2;8;Rekenen-wiskunde;20-01-2025;987,5\n"
    )
    assert ds.scores["score"].tolist() == [1050.0, 987.5]
    assert (
        "score '1.050' in kolom \"Score\" gelezen met een punt als duizendtal (de kolom schrijft decimalen met een komma)"
        in f.notes
    )
    ds, f = _read_text(
        tmp_path, "punt.csv", head + "1;8;Rekenen-wiskunde;20-01-2025;1.050\n2;8;Rekenen-wiskunde;20-01-2025;98.5\n"
    )
    assert ds.scores["score"].tolist() == [1.05, 98.5]
    assert any(
        n.startswith("score '1.050' in kolom \"Score\" gelezen met een punt als decimaalteken (dus 1.050 = 1,05)")
        for n in f.notes
    )
    ds, f = _read_text(
        tmp_path, "gewoon.csv", head + "1;8;Rekenen-wiskunde;20-01-2025;231\n2;8;Rekenen-wiskunde;20-01-2025;98,5\n"
    )
    assert ds.scores["score"].tolist() == [231.0, 98.5] and not any("punt als" in n for n in f.notes)


def test_a_date_column_per_test_in_a_wide_overview_gives_that_tests_date_and_school_year():
    """ "RW M5 datum" beside "RW M5 VS" is the date of that test (it was recognised and then ignored,
    so the results had no date and no school year). An empty cell leaves the row's date (none here);
    a cell that is no date sets that result aside with a note, never a guessed date."""
    ds, f = _read("overzicht_datum_per_toets.csv")
    ds.scores["date"] = ds.scores["date"].dt.strftime("%d-%m-%Y")
    assert _rows(ds, ["subject", "moment", "school_year", "date", "score"]) == [
        ("rekenen-wiskunde", "M5", "2024-2025", "20-01-2025", 180.0),
        ("rekenen-wiskunde", "M5", "2024-2025", "20-01-2025", 171.0),
        ("spelling", "M5", "2024-2025", "03-02-2025", 142.0),
        ("spelling", "M5", None, None, 128.0),
        ("spelling", "M5", "2024-2025", "04-02-2025", 131.0),
    ]
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (3, 3, 0)
    assert "1 resultaat/resultaten niet ingelezen: de afnamedatum in de kolom van die toets is geen datum" in f.notes


def test_a_declared_wide_column_may_hold_the_tests_date(tmp_path):
    ds, f = _read_text(
        tmp_path,
        "eigen.csv",
        "Leerling;Gr;Rek nov;Rek nov dag\n1201;6;231;18-11-2024\n1202;6;215;19-11-2024\n",
        mapping={
            "kolommen": {"leerlingnummer": "Leerling", "groep": "Gr"},
            "brede_kolommen": {
                "Rek nov": {"vak": "rekenen-wiskunde", "moment": "M", "schaal": "Cito 3.0"},
                "Rek nov dag": {"vak": "rekenen-wiskunde", "moment": "M", "veld": "datum"},
            },
        },
    )
    assert _rows(ds, ["subject", "moment", "school_year", "score"]) == [
        ("rekenen-wiskunde", "M6", "2024-2025", 231.0),
        ("rekenen-wiskunde", "M6", "2024-2025", 215.0),
    ]
    assert ds.scores["date"].dt.day.tolist() == [18, 19]


def test_a_leerling_in_beeld_pupil_is_analysed_on_the_score_not_on_the_referentieniveau_record():
    """A Leerling in beeld row gives two records (niveau I-V with score and percentile, and the
    referentieniveau). Every 'one result per pupil' took the last record, the referentieniveau, so
    score, percentile, z and niveau IV/V were lost for every pupil, and the quality check called the
    pair a double result. Now the record with the score counts and one row is one result."""
    from plgdata import workflow

    ds, _ = _read("leerling_in_beeld.csv")
    r = workflow.pupil_results(ds, "rekenen-wiskunde", "M", "2024-2025")
    assert r["score"].tolist() == [250.0, 230.0, 200.0]
    assert r["level"].astype(str).tolist() == ["I+", "III", "V-"]
    assert r["low_level"].tolist() == [False, False, True]
    assert r["z"].round(2).tolist() == [1.41, 0.0, -1.64]
    assert "duplicate_results" not in set(check_quality(ds)["code"])
    # the referentieniveaus are still read for the referentieniveau analysis
    assert set(ds.scores["level"].astype(str)) >= {"2F", "1F", "onder 1F"}
