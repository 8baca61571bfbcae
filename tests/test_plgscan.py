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


def test_summary_interval_stays_inside_the_scale_and_has_width():
    """Issue 17: the t interval of [1, 2, 3, 4, 4] ran to 4,42 (beyond the 1-4 scale) and five equal
    answers got a zero-width interval.  Now Wilson's score interval on the rescaled mean."""
    answers = pd.DataFrame(
        {
            "school_year": "2025-2026",
            "leerteam": "Taal",
            "respondent": [f"R{i}" for i in range(5)] * 2,
            "bouwsteen": [BOUWSTENEN[0]] * 5 + [BOUWSTENEN[1]] * 5,
            "score": [1, 2, 3, 4, 4] + [4] * 5,
        }
    )
    summary = plg_scan_summary(answers)[0].set_index("bouwsteen")
    spread, equal = summary.loc[BOUWSTENEN[0]], summary.loc[BOUWSTENEN[1]]
    assert spread["mean"] == pytest.approx(2.8)
    # p = 0.6, n = 5, z = 1.959964: Wilson (0.23072, 0.88238) -> 1 + 3 * bound
    assert (spread["ci_low"], spread["ci_high"]) == pytest.approx((1.69217, 3.64714), abs=1e-5)
    assert equal["mean"] == 4.0 and (equal["ci_low"], equal["ci_high"]) == pytest.approx((2.69655, 4.0), abs=1e-5)


def test_a_bouwsteen_with_fewer_than_five_answers_is_not_shown():
    """Five respondents in the leerteam-year, but one left a bouwsteen empty: that mean has four answers."""
    answers = pd.DataFrame(
        [
            {"school_year": "2025-2026", "leerteam": "Taal", "respondent": f"R{r}", "bouwsteen": b, "score": 3}
            for r in range(5)
            for b in BOUWSTENEN
            if not (r == 0 and b == BOUWSTENEN[2])
        ]
    )
    summary, notes = plg_scan_summary(answers, MIN_N)
    assert BOUWSTENEN[2] not in set(summary["bouwsteen"]) and len(summary) == 8 and summary["n"].min() == 5
    assert notes == ["Taal (2025-2026): bij één bouwsteen vulden minder dan 5 leerkrachten iets in; die staan er niet bij."]


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
