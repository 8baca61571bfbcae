"""PLG-scan: the Excel template, its reader, and an aggregate that never shows a leerteam with fewer than 5 respondents."""

from __future__ import annotations

import pandas as pd
import pytest
from identities import SAMPLE
from openpyxl import load_workbook

from plgdata.analysis.plgscan import plg_scan_summary
from plgdata.io.plgscan import BOUWSTENEN, SCAN_HEADER, fill_plg_scan, read_plg_scan, write_plg_scan_template
from plgdata.model.vocabulary import MIN_N


def _rows(year, team, n, score=3):
    return [(year, team, f"R{i:02d}", *([score] * len(BOUWSTENEN))) for i in range(1, n + 1)]


def test_template_has_nine_bouwstenen_a_validated_scale_and_a_cited_source(tmp_path):
    path = write_plg_scan_template(tmp_path / "plgscan.xlsx")
    wb = load_workbook(path)
    ws = wb["Antwoorden"]
    assert [c.value for c in ws[1]] == list(SCAN_HEADER) and len(BOUWSTENEN) == 9
    assert ws.cell(row=2, column=3).value == "VOORBEELD"
    dv = ws.data_validations.dataValidation[0]
    assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1", "4")
    uitleg = " ".join(str(c.value) for c in wb["Uitleg"]["A"] if c.value)
    assert "Myriam Lieskamp" in uitleg and "minstens 5 leerkrachten" in uitleg
    assert write_plg_scan_template(tmp_path / "b.xlsx").read_bytes() == path.read_bytes()  # reproducible


def test_reader_skips_the_example_and_sets_aside_what_is_not_1_to_4(tmp_path):
    path = write_plg_scan_template(tmp_path / "plgscan.xlsx")
    bad = ("2025-2026", "Taal", "R09", 5, "drie", *([2] * 7))
    fill_plg_scan(path, _rows("2025-2026", "Taal", 2) + [bad, ("2025", "Taal", "R10", *([1] * 9))])
    answers, aside = read_plg_scan(path)
    assert len(answers) == 2 * 9 + 7
    assert answers.loc[answers["respondent"] == "R09", "score"].tolist() == [2] * 7
    assert aside == {"antwoord is geen cijfer van 1 tot en met 4": 2, "regel zonder geldig schooljaar (2024-2025) of leerteam": 1}
    assert "VOORBEELD" not in set(answers["respondent"])


def test_a_leerteam_with_fewer_than_five_respondents_is_never_shown():
    answers = pd.DataFrame(
        [
            {"school_year": y, "leerteam": t, "respondent": f"R{r}", "bouwsteen": b, "score": 2}
            for y, t, n in (("2024-2025", "Taal", 5), ("2024-2025", "Rekenen", 4), ("2025-2026", "Rekenen", 6))
            for r in range(n)
            for b in BOUWSTENEN
        ]
    )
    # 5 respondents: shown (MIN_N is 5); 4: absent altogether, with a note that does not say how many answered
    summary, notes = plg_scan_summary(answers, MIN_N)
    assert set(map(tuple, summary[["leerteam", "school_year"]].drop_duplicates().to_numpy())) == {
        ("Taal", "2024-2025"),
        ("Rekenen", "2025-2026"),
    }
    assert summary["n"].min() == 5 and len(summary) == 2 * 9
    assert notes == ["Rekenen (2024-2025): minder dan 5 leerkrachten vulden de scan in; niet getoond."]
    assert summary.loc[summary["leerteam"] == "Taal", "mean"].eq(2.0).all()


def test_summary_interval_is_scipy_t_interval():
    answers = pd.DataFrame(
        {
            "school_year": "2025-2026",
            "leerteam": "Taal",
            "respondent": [f"R{i}" for i in range(5)],
            "bouwsteen": BOUWSTENEN[0],
            "score": [1, 2, 3, 4, 4],
        }
    )
    row = plg_scan_summary(answers)[0].iloc[0]
    assert row["mean"] == pytest.approx(2.8)
    # t(0.975, 4) = 2.776445; sd = 1.30384; se = 0.583095
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((2.8 - 2.776445 * 0.583095, 2.8 + 2.776445 * 0.583095), abs=1e-5)


def test_sample_scan_has_two_years_and_one_suppressed_leerteam_year():
    answers, aside = read_plg_scan(SAMPLE / "plgscan.xlsx")
    assert aside == {} and sorted(answers["school_year"].unique()) == ["2024-2025", "2025-2026"]
    summary, notes = plg_scan_summary(answers)
    assert notes == ["Leerteam Rekenen onderbouw (2024-2025): minder dan 5 leerkrachten vulden de scan in; niet getoond."]
    assert not ((summary["leerteam"] == "Leerteam Rekenen onderbouw") & (summary["school_year"] == "2024-2025")).any()


def test_score_reader_leaves_the_scan_and_the_signaleringswaarden_alone():
    from plgdata.io.scores.core import discover

    files, skipped = discover(SAMPLE)
    names = {f.name for f in files}
    assert "plgscan.xlsx" not in names and "signaleringswaarden.csv" not in names
    notes = {f.source: f.notes[0] for f in skipped}
    assert (
        notes["plgscan.xlsx"]
        == notes["signaleringswaarden.csv"]
        == (
            "interventie-, deelname-, PLG-scan- of signaleringswaardenbestand: niet als toetsresultaten gelezen (wordt apart ingelezen)"
        )
    )
