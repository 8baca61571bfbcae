""" "Zo heeft plgdata je bestand gelezen": roles, confidence, masked examples, corrections as a mapping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from identities import SAMPLE, leaks, sample_identities

from plgdata.io.scores import read_scores
from plgdata.io.scores.preview import HIDDEN, mapping_from_roles, preview_text, read_preview

GOOD = Path(__file__).parent / "fixtures" / "exports" / "good"
KEY = b"test-key-0123456789abcdef0123456"
BSNS = ("111222333", "123456782", "100000009")


def _by_column(preview, source):
    return preview[preview["Bestand"] == source].set_index("Kolom")


def test_each_column_gets_its_role_how_it_was_recognised_and_how_sure():
    p = _by_column(read_preview(GOOD / "cito_begrijpend-lezen_2024-2025.csv"), "cito_begrijpend-lezen_2024-2025.csv")
    assert tuple(p.loc["Afnamedatum", ["Rol", "Herkend aan", "Zekerheid"]]) == ("Afnamedatum", "kopregel en inhoud", "hoog")
    # 'afw' is no score and does not lower the confidence; '61%' is a percentile
    assert tuple(p.loc["Vaardigheidsscore", ["Rol", "Zekerheid"]]) == ("Vaardigheidsscore", "hoog")
    assert p.loc["Percentiel", "Zekerheid"] == "hoog"
    assert p.loc["Toetsmoment", "Voorbeelden"] == "M6, M5, E6"
    rules = p.iloc[0]
    assert rules["Schaal"] == "Cito 3.0 aangenomen (geen versie vermeld) of uit de toetsnaam"
    assert rules["Moment"] == 'uit de kolom "Toetsmoment"'
    assert rules["Datum"] == 'kolom "Afnamedatum" (herkend aan kopregel)'


def test_names_numbers_birth_dates_and_bsns_are_never_shown(tmp_path):
    bsn = tmp_path / "bsn.csv"
    bsn.write_text(
        "BSN;Leerlingnummer;Roepnaam;Groep;Toets;Toetsmoment;Afnamedatum;Vaardigheidsscore\n"
        + "".join(f"{b};{1001 + i};Zoë;6;Rekenen-Wiskunde 3.0;M6;22-01-2025;{220 + i}\n" for i, b in enumerate(BSNS))
    )
    p = read_preview([GOOD, bsn, SAMPLE])
    text = preview_text(p)
    assert leaks(text) == []
    numbers, names = sample_identities()
    first_names = {n.split()[0] for n in names}
    shown = set(", ".join(p["Voorbeelden"]).split(", "))
    assert not shown & (numbers | first_names | set(BSNS) | {"734511", "Zoë", "Fictiefsma", "03-04-2015", "1001"})
    row = _by_column(p, "bsn.csv").loc["BSN"]
    assert tuple(row[["Rol", "Voorbeelden"]]) == ("BSN (weggelaten, nooit bewaard)", HIDDEN)


def test_roles_decided_by_content_say_so(tmp_path):
    f = tmp_path / "wanneer.csv"
    f.write_text("Leerlingnummer;Groep;Toets;Wanneer;Vaardigheidsscore\n" + "1001;6;Rekenen-Wiskunde 3.0;22 jan. 2025;220\n" * 3)
    p = _by_column(read_preview(f), "wanneer.csv")
    assert tuple(p.loc["Wanneer", ["Rol", "Herkend aan", "Zekerheid"]]) == ("Afnamedatum", "inhoud", "middel")
    assert p.iloc[0]["Datum"] == "kolom \"Wanneer\" (herkend aan inhoud; bijvoorbeeld '22 jan. 2025' gelezen als 22-01-2025)"


def test_a_header_whose_values_do_not_fit_gets_low_confidence():
    p = _by_column(read_preview(GOOD / "eigen_tabel.csv"), "eigen_tabel.csv")
    # 'Jaar' holds groepen (6), not school years: the header alone says school year
    assert tuple(p.loc["Jaar", ["Rol", "Zekerheid"]]) == ("Schooljaar", "laag")


def test_a_refused_file_gets_a_preview_and_the_corrections_make_it_readable(tmp_path):
    p = read_preview(GOOD / "eigen_tabel.csv")
    assert p.iloc[0]["Melding"].startswith("niet ingelezen: Het bestand eigen_tabel.csv is niet herkend")
    assert list(p["Kolom"]) == ["LLNR", "Resultaat", "Wanneer", "Jaar", "Klasje"]
    # the teacher corrects the roles; what is saved is the mapping file that is then used
    text = mapping_from_roles(
        {"LLNR": "raw_number", "Resultaat": "score", "Wanneer": "date", "Jaar": "groep", "Klasje": "class_name"},
        {"scale": "eigen toets rekenen", "subject": "rekenen-wiskunde"},
    )
    (tmp_path / "koppeling.yaml").write_text(text, encoding="utf-8")
    ds = read_scores([GOOD / "eigen_tabel.csv"], secret=KEY, mapping=tmp_path / "koppeling.yaml")
    f = ds.report.files[0]
    assert (f.rows_read, f.rows_loaded) == (2, 2)
    assert set(ds.scores["scale"]) == {"eigen toets rekenen"} and set(ds.scores["groep"]) == {6}
    after = _by_column(read_preview(GOOD / "eigen_tabel.csv", mapping=tmp_path / "koppeling.yaml"), "eigen_tabel.csv")
    assert tuple(after.loc["Resultaat", ["Rol", "Herkend aan", "Zekerheid"]]) == ("Vaardigheidsscore", "koppelbestand", "zeker")


def test_a_column_the_teacher_sets_to_not_used_is_not_read(tmp_path):
    f = tmp_path / "twee_datums.csv"
    f.write_text(
        "Leerlingnummer;Groep;Toets;Toetsmoment;Toetsdatum;Afnamedatum;Vaardigheidsscore\n"
        "1001;6;Rekenen-Wiskunde 3.0;M6;22-01-2025;01-07-2025;220\n"
    )
    ds = read_scores([f], secret=KEY)
    assert str(ds.scores["date"].iloc[0].date()) == "2025-07-01"  # the better-known header was taken
    (tmp_path / "k.yaml").write_text(mapping_from_roles({}, ignore=["Afnamedatum"]), encoding="utf-8")
    ds = read_scores([f], secret=KEY, mapping=tmp_path / "k.yaml")
    assert str(ds.scores["date"].iloc[0].date()) == "2025-01-22"
    p = _by_column(read_preview(f, mapping=tmp_path / "k.yaml"), "twee_datums.csv")
    assert p.loc["Afnamedatum", "Rol"] == "niet gebruikt" and p.loc["Toetsdatum", "Rol"] == "Afnamedatum"


@pytest.mark.parametrize("value", ["x" * 200])
def test_a_long_cell_is_cut_in_the_examples(tmp_path, value):
    f = tmp_path / "lang.csv"
    f.write_text(f"Leerlingnummer;Toets;Vaardigheidsscore\n1001;{value};220\n")
    p = _by_column(read_preview(f), "lang.csv")
    assert len(p.loc["Toets", "Voorbeelden"]) == 40


def test_unrecognised_columns_never_show_what_could_be_a_number_or_birth_date(tmp_path):
    f = tmp_path / "onbekend.csv"
    f.write_text(
        "Leerlingnummer;Volgnr;Geb;Toets;Vaardigheidsscore;Punten\n"
        "1001;734511;03-04-2015;Rekenen-Wiskunde 3.0;220;55\n"
        "1002;734512;05-06-2015;Rekenen-Wiskunde 3.0;221;61,5\n"
    )
    p = _by_column(read_preview(f), "onbekend.csv")
    assert p.loc["Volgnr", "Voorbeelden"] == HIDDEN and p.loc["Geb", "Voorbeelden"] == HIDDEN
    assert p.loc["Punten", "Voorbeelden"] == "55, 61,5"


def test_a_page_shows_each_files_rules_once_and_opens_only_the_files_to_check():
    from plgdata.forms import preview_html

    clean, check = "cito_begrijpend-lezen_2024-2025.csv", "eigen_tabel.csv"
    preview = read_preview([GOOD / clean, GOOD / check])
    page = preview_html(preview).data
    folds = page.split("<details")[1:]
    assert len(folds) == 2 and [clean in folds[0], check in folds[1]] == [True, True]
    # the clean file is closed, the one with a low-confidence role is open and says so
    assert not folds[0].startswith(" class='plg-bestand' open") and folds[1].startswith(" class='plg-bestand' open")
    assert "kijk hier extra goed" in folds[1] and "kijk hier extra goed" not in folds[0]
    # the scale rule stands once per file (the table repeated it on every row of the file)
    rule = preview.loc[preview["Bestand"] == clean, "Schaal"].iloc[0]
    assert folds[0].count(rule) == 1 and (preview["Bestand"] == clean).sum() > 5
    # every column is there, with how it was recognised, and no personal data
    assert folds[0].count("<tr>") == (preview["Bestand"] == clean).sum()  # one body row per column
    # issue 21 (step 0 <= 2 s, 175 KB): no column of dashes, a refusal said once, not on every column's row,
    # no indentation between the tags
    assert "<th>Melding</th>" not in page and "<td>—</td></tr>" not in folds[0]
    refusal = preview.loc[preview["Bestand"] == check, "Melding"].iloc[0]
    assert refusal.startswith("niet ingelezen") and folds[1].count(refusal) == 1
    assert re.search(r">\s+<", page) is None
    import pandas as pd

    pupils = pd.read_csv(GOOD / clean, sep=";", skiprows=2, dtype=str, encoding="cp1252")
    assert "Herkend aan" in page and HIDDEN in page
    personal = pupils[["Leerlingnummer", "Achternaam"]].stack().dropna()
    assert len(personal) > 10 and not [v for v in personal if v in page]
