"""Doorstroomtoets lists, the plain long file, `plgdata indicator` and the reconciliation (issue 20)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plgdata.analysis.indicator import inspection_indicator
from plgdata.cli import main
from plgdata.io.doorstroom import NotDoorstroomError, read_doorstroom

FIX = Path(__file__).parent / "fixtures" / "doorstroom"
ROUTE8 = FIX / "route8_groepsrapportage_2022-2023.csv"
IEP = FIX / "iep_doorstroomtoets_uitslagen.xlsx"
LIB = FIX / "leerling_in_beeld_doorstroomtoets.csv"
LONG = FIX / "referentieniveaus_lang.csv"
OPEN_DATA = Path(__file__).parent / "fixtures" / "inspectie" / "referentieniveaus_per_school.csv"
SECRET = b"s" * 32


@pytest.mark.parametrize(
    "path,vendor,year,rows",
    [(ROUTE8, "ROUTE 8", "2022-2023", 19), (IEP, "IEP", "2023-2024", 13), (LIB, "Cito/Leerling in beeld", "2024-2025", 12)],
)
def test_each_vendor_list_is_read(path, vendor, year, rows):
    d = read_doorstroom([path], secret=SECRET)
    assert vendor in d.kinds[0] and year in d.kinds[0]
    assert len(d.results) == 3 * rows  # three subjects per pupil, nothing else
    assert set(d.results["subject"]) == {"lezen", "taalverzorging", "rekenen"}
    assert set(d.results["level"]) <= {"1F", "2F", "1S", "onder 1F"}
    assert len(d.pupils) == rows


def test_eindscore_and_advice_are_not_levels():
    d = read_doorstroom([ROUTE8], secret=SECRET)
    assert "HAVO/VWO" not in set(d.results["level"]) and "VWO" not in set(d.results["level"])
    assert d.pupils["eindscore"].between(100, 300).sum() == 18  # ROUTE 8 standaardscore, the exempt pupil has none
    assert "VWO" in set(d.pupils["toetsadvies"])
    assert any("'Standaardscore' is de eindscore van de hele toets, geen vakscore" in n for n in d.notes)
    assert any("'Toetsadvies' is het toetsadvies (schoolsoort), geen referentieniveau" in n for n in d.notes)


def test_no_pupil_number_or_name_in_what_is_read():
    d = read_doorstroom([ROUTE8, IEP], secret=SECRET)
    text = d.results.to_csv() + d.pupils.to_csv() + " ".join(d.notes + d.kinds)
    for secret_text in ("40000", "40105", "Noor", "Jansen", "Yilmaz"):
        assert secret_text not in text


def test_three_vendors_together_reproduce_00ap():
    d = read_doorstroom([ROUTE8, IEP, LIB], secret=SECRET)
    r = inspection_indicator(d.results, schoolweging=31.47)
    assert [round(v, 2) for v in r.years["pct_1f"]] == [94.44, 92.31, 91.67]
    assert [round(v, 2) for v in r.years["pct_2f1s"]] == [55.56, 51.28, 47.22]
    assert (round(r.pct_1f, 2), round(r.pct_2f1s, 2), r.n) == (93.02, 51.94, 43)
    assert r.years["n_exempt"].tolist() == [1, 0, 0]  # ROUTE 8's pupil with ontheffing: left out, counted


def test_an_lvs_export_is_not_a_doorstroom_list(tmp_path):
    f = tmp_path / "lvs.csv"
    f.write_text(
        "Leerlingnummer;Groep;Toets;Vak;Afnamedatum;Vaardigheidsscore;Referentieniveau\n1;8;M8 Rekenen;Rekenen;20-01-2025;250;1F\n"
    )
    with pytest.raises(NotDoorstroomError):
        read_doorstroom([f], secret=SECRET)


def _cli_json(capsys, *args) -> dict:
    assert main(["indicator", *map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_json_plain_long_file(capsys):
    out = _cli_json(capsys, LONG, "--schoolweging", "31,47")
    assert [y["n"] for y in out["jaren"]] == [18, 13, 12]
    assert [y["pct_1f"] for y in out["jaren"]] == [94.44, 92.31, 91.67]
    assert [y["pct_2f1s"] for y in out["jaren"]] == [55.56, 51.28, 47.22]
    assert out["driejaars"]["n"] == 43 and out["driejaars"]["pct_1f"] == 93.02 and out["driejaars"]["pct_2f1s"] == 51.94
    assert out["signaleringswaarde_1f"] == 85.0 and out["signaleringswaarde_2f1s"] == 43.5
    assert out["oordeel_1f"] == "boven" and out["oordeel_2f1s"] == "boven"
    assert {"schooljaar", "n", "pct_1f", "pct_2f1s"} <= set(out["jaren"][0])


def test_cli_own_signaleringswaarde(capsys):
    out = _cli_json(capsys, LONG, "--signaleringswaarde", "52")
    assert out["signaleringswaarde_2f1s"] == 52.0 and out["oordeel_2f1s"] == "onder"


def test_cli_unknown_band_refuses_in_dutch(capsys):
    assert main(["indicator", str(LONG), "--schoolweging", "28,4"]) == 1
    err = capsys.readouterr().err
    assert "kent plgdata de signaleringswaarde 1S/2F" in err and "--signaleringswaarde" in err
    assert "Traceback" not in err


def test_cli_lvs_only_is_labelled(tmp_path, capsys):
    lines = ["Leerlingnummer;Groep;Toets;Vak;Afnamedatum;Vaardigheidsscore;Referentieniveau"]
    for g in (8, 7):
        for i in range(10):
            for vak, lv in (("Begrijpend lezen", "2F"), ("Spelling", "1F"), ("Rekenen-wiskunde", "1S" if i < 4 else "<1F")):
                lines.append(f"{1000 * g + i};{g};M{g} {vak};{vak};20-01-2025;{200 + i};{lv}")
    f = tmp_path / "lvs_export.csv"
    f.write_text("\n".join(lines) + "\n")
    out = _cli_json(capsys, f, "--signaleringswaarde", "43,5")
    assert out["bron"] == "indicatie uit het LVS"
    assert out["jaren"][0]["pct_2f1s"] == pytest.approx(100 * 14 / 30, abs=0.01)
    assert out["verwachting"]["schooljaren"][-1] == "2025-2026"
    lo, hi = out["verwachting"]["interval_2f1s"]
    assert lo < out["verwachting"]["pct_2f1s"] < hi
    assert main(["indicator", str(f), "--signaleringswaarde", "43,5"]) == 0
    assert "indicatie uit het LVS" in capsys.readouterr().out.splitlines()[0]


def test_reconciliation_explains_a_missing_year_and_missing_pupils(tmp_path, capsys):
    # drop the IEP year and two pupils of 2024-2025: the comparison names both
    lines = LIB.read_text(encoding="utf-8-sig").splitlines()
    short = tmp_path / "lib_2024-2025.csv"
    short.write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")
    out = _cli_json(capsys, ROUTE8, short, "--schoolweging", "31,47", "--inspectiebestand", OPEN_DATA, "--brin", "00AP")
    rows = {r["Schooljaar"]: r for r in out["vergelijking_inspectie"]}
    assert rows["2022-2023"]["Verklaring"] == "gelijk"
    assert "niet in je bestanden" in rows["2023-2024"]["Verklaring"]
    assert rows["2024-2025"]["n plgdata"] == 10 and rows["2024-2025"]["n Inspectie"] == 12
    assert "2 leerling(en) telt de Inspectie mee" in rows["2024-2025"]["Verklaring"]
    assert rows["gewogen driejaarsgemiddelde"]["%1S/2F Inspectie"] == 51.94


def test_reconciliation_all_equal(capsys):
    out = _cli_json(capsys, ROUTE8, IEP, LIB, "--schoolweging", "31,47", "--inspectiebestand", OPEN_DATA, "--brin", "00AP")
    assert all(r["Verklaring"] == "gelijk" for r in out["vergelijking_inspectie"])


def test_dia_list_with_bare_toets_year(tmp_path):
    f = tmp_path / "uitslagen.csv"
    f.write_text(
        "DIA-doorstroomtoets groepsoverzicht\n"
        "Leerlingnummer;Jaar;Eindscore;Advies;Lezen;Taalverzorging;Rekenen;Vrijgesteld\n"
        "1;2025;210;HAVO;2F;1F;1S;nee\n2;2025;180;VMBO KB;1F;<1F;1F;nee\n3;2025;;;-;-;-;ja\n",
        encoding="utf-8",
    )
    d = read_doorstroom([f], secret=SECRET)
    assert "DIA (2024-2025)" in d.kinds[0]  # the toets's year 2025 is school year 2024-2025
    r = inspection_indicator(d.results, signaleringswaarde_2f1s=43.5)
    assert r.years["n"].tolist() == [2] and r.years["n_exempt"].tolist() == [1]
    assert round(r.pct_1f, 2) == 83.33 and round(r.pct_2f1s, 2) == 33.33


def test_unreadable_school_year_is_named(tmp_path, capsys):
    f = tmp_path / "lang.csv"
    f.write_text("Leerlingnummer;Schooljaar;Vak;Referentieniveau\n1;vorig jaar;Lezen;1F\n", encoding="utf-8")
    assert main(["indicator", str(f), "--signaleringswaarde", "43,5"]) == 1
    err = capsys.readouterr().err
    assert "schooljaar niet te lezen" in err and "vorig jaar" in err and "Traceback" not in err


def test_signaleringswaarde_from_the_inspectie_file_and_a_different_one_named(capsys):
    out = _cli_json(capsys, LONG, "--inspectiebestand", OPEN_DATA, "--brin", "00AP")
    assert out["signaleringswaarde_2f1s"] == 43.5 and out["oordeel_2f1s"] == "boven"
    assert any("uit het inspectiebestand" in n for n in out["leesnotities"])
    out = _cli_json(capsys, LONG, "--signaleringswaarde", "52", "--inspectiebestand", OPEN_DATA, "--brin", "00AP")
    rows = {r["Schooljaar"]: r for r in out["vergelijking_inspectie"]}
    assert "De Inspectie gebruikt 43,5%" in rows["signaleringswaarde 1S/2F"]["Verklaring"]
    assert "plgdata: onder de signaleringswaarde; Inspectie: Boven" in rows["uitkomst 1S/2F"]["Verklaring"]


def test_a_file_with_several_schools_needs_brin(tmp_path, capsys):
    lines = ["BRIN;Leerlingnummer;Schooljaar;Vak;Referentieniveau"]
    for brin, lv in (("00AP", "2F"), ("01ZZ", "1F")):
        lines += [f"{brin};{i};2024-2025;{v};{lv}" for i in range(6) for v in ("Lezen", "Taalverzorging", "Rekenen")]
    f = tmp_path / "twee_scholen.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["indicator", str(f), "--signaleringswaarde", "43,5"]) == 1
    assert "2 scholen (00AP, 01ZZ)" in capsys.readouterr().err
    out = _cli_json(capsys, f, "--signaleringswaarde", "43,5", "--brin", "01ZZ")
    assert out["driejaars"] == {"schooljaren": ["2024-2025"], "n": 6, "pct_1f": 100.0, "pct_2f1s": 0.0}


def test_unverified_band_with_the_inspectie_file_uses_its_value(tmp_path, capsys):
    text = OPEN_DATA.read_text(encoding="utf-8-sig").replace("31,47", "28,40").replace(";43,5;", ";48,2;")
    official = tmp_path / "open.csv"
    official.write_text(text, encoding="utf-8")
    out = _cli_json(capsys, LONG, "--schoolweging", "28,4", "--inspectiebestand", official, "--brin", "00AP")
    assert out["signaleringswaarde_2f1s"] == 48.2 and out["oordeel_2f1s"] == "boven"


def test_reports_count_the_doorstroomtoets_when_it_is_among_the_files(tmp_path, capsys):
    """Issue 20: `plgdata rapport`'s reports and `plgdata indicator` show one figure for the same files."""
    from identities import SAMPLE

    from plgdata.model.dataset import Dataset
    from plgdata.reporting.indicator import read_sources
    from plgdata.reporting.trendanalyse import trend_overview

    _, ds, _, _ = read_sources([SAMPLE, LONG], interventions=None)
    assert len(ds.interventions) == 3 and len(ds.doorstroom) == 132  # the folder's interventions; the toets apart
    tr = trend_overview(Dataset.open(ds.save(tmp_path / "werk")), 0.435)
    for fig in [tr.school_figure, tr.referentie_figure, *tr.cross_figures.values(), *tr.cohort_figures.values()]:
        if fig is not None:
            fig.close()
    assert tr.indicator.source_label == "doorstroomtoets" and "bron: doorstroomtoets" in tr.indicator_caption
    table = tr.indicator_table.set_index("Schooljaar")
    assert table.loc["Gewogen driejaarsgemiddelde", "% 1S/2F"] == "51,9%"
    assert not any("indicatie uit het LVS" in n for n in tr.notes)
    out = _cli_json(capsys, SAMPLE, LONG, "--signaleringswaarde", "43,5")
    assert out["bron"] == "doorstroomtoets" and out["driejaars"]["pct_2f1s"] == round(tr.indicator.pct_2f1s, 2) == 51.94


def test_schoolweging_and_signaleringswaarde_together_is_refused_in_dutch(capsys):
    with pytest.raises(SystemExit) as e:
        main(["indicator", str(LONG), "--schoolweging", "31,47", "--signaleringswaarde", "43,5"])
    assert e.value.code == 2
    assert "mag niet samen met --schoolweging" in capsys.readouterr().err
