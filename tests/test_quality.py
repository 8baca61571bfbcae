"""Data-quality checks (datateam step 4) on small hand-built canonical tables."""

from __future__ import annotations

import pandas as pd
from conftest import make_scores

from plgdata.analysis.quality import check_quality, coverage, findings_to_text
from plgdata.model import schema


def pid(i: int) -> str:
    return f"L-{i:010x}"


def base_rows(
    n=12,
    year="2024-2025",
    groep=6,
    cls="6A",
    subject="begrijpend lezen",
    scale="Cito 3.0",
    moment="M6",
    date="20-01-2025",
    score0=170,
):
    return [
        dict(
            pupil_id=pid(i),
            school_year=year,
            groep=groep,
            class_name=cls,
            subject=subject,
            scale=scale,
            moment=moment,
            date=date,
            score=score0 + i,
            level="III",
        )
        for i in range(n)
    ]


def codes(findings: pd.DataFrame) -> set[str]:
    return set(findings["code"])


def finding(findings, code):
    rows = findings[findings["code"] == code]
    assert len(rows) == 1, f"expected one {code} finding, got {len(rows)}"
    return rows.iloc[0]


def test_clean_data_gives_only_info():
    rows = []
    for y, d in [("2022-2023", "20-01-2023"), ("2023-2024", "20-01-2024"), ("2024-2025", "20-01-2025")]:
        rows += base_rows(year=y, date=d)
    f = check_quality(make_scores(rows))
    assert set(f["severity"]) == {"info"}
    assert codes(f) == {"coverage"}
    assert "100%" in finding(f, "coverage")["message"]


def test_duplicate_results_found_with_provenance_and_pseudonym_only():
    rows = base_rows()
    rows.append(dict(rows[3], score=999 - 800, source_file="tweede.csv", source_row=40))
    f = check_quality(make_scores(rows))
    r = finding(f, "duplicate_results")
    assert r["count"] == 1
    assert any("tweede.csv regel 40" in e and pid(3) in e for e in r["examples"])


def test_score_outside_plausible_range():
    rows = base_rows(n=30)
    rows[5]["score"] = 1700  # typo: an extra digit
    rows.append(dict(base_rows(n=1)[0], pupil_id=pid(99), scale="IEP", score=350))
    f = check_quality(make_scores(rows))
    r = finding(f, "implausible_score")
    assert r["count"] == 2
    assert "Cito 3.0: 1" in r["message"] and "IEP: 1" in r["message"]


def test_mixed_scales_in_one_subject_is_an_error():
    rows = base_rows(subject="rekenen-wiskunde", year="2022-2023", date="20-01-2023", moment="M5", groep=5, cls="5A")
    rows += base_rows(subject="rekenen-wiskunde", scale="IEP", year="2023-2024", date="20-01-2024", score0=80)
    f = check_quality(make_scores(rows))
    r = finding(f, "mixed_scales")
    assert r["severity"] == "fout"
    assert r["count"] == 12
    assert "Rekenen-wiskunde" in r["message"] and "Cito 3.0 (2022-2023)" in r["message"] and "IEP (2023-2024)" in r["message"]
    assert "niet berekend" in r["message"]


def test_moment_not_fitting_date():
    rows = base_rows()
    rows[0]["date"] = "15-06-2025"  # an M moment in June
    f = check_quality(make_scores(rows))
    assert finding(f, "moment_date_mismatch")["count"] == 1


def test_moment_fits_by_the_windows_of_its_own_system_with_a_month_of_slack():
    """IEP's M window opens in late November: an IEP M8 on 28 November was flagged by Cito's
    windows although the reader itself gave it M. A Cito M a few days early still fits; E in
    September does not."""
    rows = base_rows(scale="IEP")
    rows[0]["date"] = "28-11-2024"
    assert "moment_date_mismatch" not in codes(check_quality(make_scores(rows)))
    rows = base_rows()
    rows[0]["date"] = "28-11-2024"  # M, a few days before Cito's window
    assert "moment_date_mismatch" not in codes(check_quality(make_scores(rows)))
    rows[0]["moment"], rows[0]["date"] = "E" + rows[0]["moment"][1:], "15-09-2025"
    assert finding(check_quality(make_scores(rows)), "moment_date_mismatch")["count"] == 1


def test_boom_is_continuously_normed_so_any_date_fits():
    rows = base_rows(scale="Boom")
    rows[0]["date"] = "15-06-2025"
    f = check_quality(make_scores(rows))
    assert "moment_date_mismatch" not in codes(f)


def test_test_level_differs_from_groep():
    rows = base_rows()
    rows[0]["moment"] = "M5"
    f = check_quality(make_scores(rows))
    assert finding(f, "test_level_differs")["count"] == 1


def test_pupils_without_groep():
    rows = base_rows()
    rows[0]["groep"] = None
    rows[1]["groep"] = None
    f = check_quality(make_scores(rows))
    assert finding(f, "no_groep")["count"] == 2


def test_coverage_share_per_moment():
    rows = base_rows(n=10, subject="spelling")
    rows += base_rows(n=6, subject="rekenen-wiskunde")
    s = make_scores(rows)
    cov = coverage(s).set_index("subject")
    assert cov.loc["spelling", "share"] == 1.0
    assert cov.loc["rekenen-wiskunde", "share"] == 0.6
    f = check_quality(s)
    low = finding(f, "low_coverage")
    assert low["count"] == 1 and "60%" in low["examples"][0] and "6 van 10" in low["examples"][0]


def test_a_few_pupils_on_a_test_of_another_level_are_no_small_group():
    # 6A: 12 pupils took M6 and two others the M5 test in groep 6
    rows = base_rows(n=12) + [dict(r, pupil_id=pid(50 + i), moment="M5") for i, r in enumerate(base_rows(n=2))]
    f = check_quality(make_scores(rows))
    assert "small_groups" not in codes(f)
    assert finding(f, "test_level_differs")["count"] == 2
    # a class that really is small is still said
    f = check_quality(make_scores(rows + base_rows(n=4, cls="6B")))
    assert finding(f, "small_groups")["count"] == 1 and "6B" in finding(f, "small_groups")["examples"][0]


def test_small_groups_and_few_cohorts():
    f = check_quality(make_scores(base_rows(n=7)))
    assert finding(f, "small_groups")["count"] == 1
    assert "7 leerlingen" in finding(f, "small_groups")["examples"][0]
    assert finding(f, "few_cohorts")["count"] == 1


def test_participation_unknown_pupil_and_outside_dates():
    s = make_scores(base_rows())
    interventions = schema.coerce(
        pd.DataFrame([dict(intervention_id="INT-1", name="Close reading", start="2025-02-01", end="2025-06-15")]),
        schema.INTERVENTION_COLUMNS,
        schema.INTERVENTION_DTYPES,
    )
    part = schema.coerce(
        pd.DataFrame(
            [
                dict(pupil_id=pid(1), intervention_id="INT-1", start="2025-02-01", end="2025-06-15"),
                dict(pupil_id=pid(500), intervention_id="INT-1", start="2025-02-01", end="2025-06-15"),
                dict(pupil_id=pid(2), intervention_id="INT-1", start="2025-01-01", end="2025-06-15"),
                dict(pupil_id=pid(3), intervention_id="INT-9", start="2025-02-01", end="2025-06-15"),
            ]
        ),
        schema.PARTICIPATION_COLUMNS,
        schema.PARTICIPATION_DTYPES,
    )
    f = check_quality(s, interventions=interventions, participation=part)
    assert finding(f, "participation_unknown_pupil")["count"] == 1
    assert finding(f, "participation_outside_dates")["count"] == 1
    assert finding(f, "participation_unknown_intervention")["examples"] == ["INT-9"]
    assert list(f["severity"])[:2] == ["fout", "fout"]  # errors first


def test_text_rendering_is_dutch():
    f = check_quality(make_scores(base_rows(n=7)))
    text = findings_to_text(f)
    assert "[WAARSCHUWING] Kleine groepen (1)" in text
    assert findings_to_text(f.iloc[0:0]).startswith("Geen bevindingen")


def test_the_set_aside_finding_adds_up_to_the_load_report(tmp_path):
    """The finding said "7 van de 522 gelezen regels zijn apart gezet" while the load report said 9:
    the two summary rows were left out without a word. It now names them, so both counts agree."""
    from identities import SAMPLE

    from plgdata.io.scores import load

    path = SAMPLE / "cito_rekenen-wiskunde_2025-2026.csv"
    rows = [
        line.split(";") for line in path.read_text(encoding="cp1252").splitlines()[3:-2]
    ]  # title, blank, header; 2 summary rows
    no_result = sum(r[11].strip() in ("", "afw", "ziek", "-", "n.v.t.") for r in rows)
    assert no_result > 0
    ds = load([path], secret=b"q" * 32, interventions=False)
    assert ds.report.rows_set_aside == no_result + 2
    msg = finding(check_quality(ds), "regels_apart")["message"]
    assert msg.startswith(
        f"{no_result} van de {len(rows) + 2} gelezen regels zijn apart gezet en niet ingelezen: {no_result}× geen resultaat"
    )
    assert "Daarnaast 2 regel(s) zonder leerlinggegevens (samenvattingsregels" in msg


def test_two_scales_without_a_pupil_on_both_do_not_say_for_0_pupils():
    """Two scales in one subject with no pupil on both said "Voor 0 leerlingen liggen resultaten op
    verschillende schalen"; the warning now says what does matter then."""
    rows = base_rows(subject="rekenen-wiskunde", scale="Cito 3.0")
    rows += [dict(r, pupil_id=pid(100 + i), scale="IEP") for i, r in enumerate(base_rows(subject="rekenen-wiskunde"))]
    r = finding(check_quality(make_scores(rows)), "mixed_scales")
    assert r["severity"] == "waarschuwing" and r["count"] == 0
    assert "Voor 0 leerlingen" not in r["message"]
    assert "Geen leerling heeft resultaten op twee van deze schalen" in r["message"]
