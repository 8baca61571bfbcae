"""Report content (plgdata.reporting.groepsoverzicht, trendanalyse, interventie, cyclusrapport)
on a small hand-made canonical Dataset: fast, no kernels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from plgdata import cycle as cy
from plgdata.model import schema
from plgdata.model.dataset import Dataset
from plgdata.reporting import cyclusrapport, groepsoverzicht, interventie, trendanalyse
from plgdata.reporting import html as h


def pid(i: int) -> str:
    return f"L-{i:010x}"


def _level(p: float) -> str:
    return "I" if p >= 80 else "II" if p >= 60 else "III" if p >= 40 else "IV" if p >= 20 else "V"


#: groep 6 in 2025-2026: 6A pupils 0-7 (percentiles M 10..80), 6B pupils 8-10 (only 3: suppressed)
PCT_M = {i: 10 + 10 * i for i in range(8)} | {8: 30, 9: 50, 10: 70}


def small_dataset() -> Dataset:
    rows = []

    def add(i, year, groep, cls, subject, scale, moment, date, score, pct, level=None):
        rows.append(
            {
                "pupil_id": pid(i),
                "school": "OBS Test",
                "school_year": year,
                "groep": groep,
                "class_name": cls,
                "subject": subject,
                "test_name": "toets",
                "scale": scale,
                "moment": moment,
                "period": moment[0],
                "test_level": int(moment[1]),
                "date": pd.Timestamp(date),
                "score": score,
                "percentile": pct,
                "level": level if level is not None else (_level(pct) if pct is not None else None),
                "source_file": "test.csv",
                "source_row": len(rows) + 2,
            }
        )

    for i, pm in PCT_M.items():
        cls = "6A" if i < 8 else "6B"
        pe = pm + (6 if i % 2 else -6)  # odd pupils grow faster than the norm
        add(i, "2025-2026", 6, cls, "begrijpend lezen", "Cito 3.0", "M6", "2026-01-20", 160 + pm / 2, pm)
        add(i, "2025-2026", 6, cls, "begrijpend lezen", "Cito 3.0", "E6", "2026-06-10", 166 + pe / 2, pe)
    # the year before: other pupils (ids 100+), same groep: a second point in the trend
    for k in range(10):
        add(100 + k, "2024-2025", 6, "6A", "begrijpend lezen", "Cito 3.0", "E6", "2025-06-10", 170 + k, 15 + 8 * k)
    # groep 8 referentieniveaus rekenen (IEP): 9 of 10 at 1F or higher, 4 at 2F/1S
    ref = ["2F", "2F", "1S", "2F", "1F", "1F", "1F", "1F", "1F", "op weg naar 1F"]
    for k, lv in enumerate(ref):
        add(200 + k, "2025-2026", 8, "8A", "rekenen-wiskunde", "IEP", "M8", "2026-02-01", 80.0 + k, None, lv)
    scores = schema.coerce(pd.DataFrame(rows), schema.SCORE_COLUMNS, schema.SCORE_DTYPES)
    schema.SCORES_SCHEMA.validate(scores)
    interventions = schema.coerce(
        pd.DataFrame(
            [
                {
                    "intervention_id": "INT-6B",
                    "name": "Leesclub 6B <b>",
                    "description": "Hele klas 6B leest samen",
                    "leerteam": "Taal",
                    "subject": "begrijpend lezen",
                    "groepen": "6",
                    "start": pd.Timestamp("2026-02-10"),
                    "end": pd.Timestamp("2026-06-01"),
                    "minutes_per_week": 60.0,
                }
            ]
        ),
        schema.INTERVENTION_COLUMNS,
        schema.INTERVENTION_DTYPES,
    )
    participation = schema.coerce(
        pd.DataFrame([{"pupil_id": pid(i), "intervention_id": "INT-6B"} for i in (8, 9, 10)]),
        schema.PARTICIPATION_COLUMNS,
        schema.PARTICIPATION_DTYPES,
    )
    return Dataset(scores=scores, interventions=interventions, participation=participation).validate()


def small_cycle():
    c = cy.new_cycle(
        "datateam", title="Begrijpend lezen groep 6", leerteam="Bovenbouw", school_year="2025-2026", when="2025-09-15T15:00:00"
    )
    cy.set_problem(
        c,
        "<script>alert(1)</script> 44% scoort IV/V",
        "aandeel IV/V BL groep 6",
        0.44,
        0.30,
        "2026-06-30",
        direction="hoogstens",
        when="2025-09-16T10:00:00",
    )
    cy.add_hypothesis(
        c,
        "H1",
        "verklarend",
        "Jongens scoren lager",
        "Cito BL",
        "vergelijking",
        {},
        "verschil >= 10 pp",
        when="2025-09-17T10:00:00",
    )
    cy.record_verdict(c, "H1", "verworpen", "Geen verschil", when="2025-09-20T10:00:00")
    cy.add_hypothesis(c, "H2", "verkennend", "6B scoort lager", revises="H1", when="2025-09-21T10:00:00")
    cy.record_verdict(c, "H2", "bevestigd", "Ja, in 6B", when="2025-09-22T10:00:00")
    cy.add_measure(c, "M1", "Leesclub in 6B", "INT-6B", "H2", when="2025-09-23T10:00:00")
    return c


@pytest.fixture(scope="module")
def ds():
    return small_dataset()


@pytest.fixture(scope="module")
def overview(ds):
    ov = groepsoverzicht.group_overview(ds, 6, min_n=5)
    yield ov
    for f in (ov.level_figure, ov.growth_figure):
        if f is not None:
            f.close()


def test_group_overview_levels_and_suppression(overview, ds):
    lv = overview.levels.set_index("Klas")
    # 6A: percentiles at E are M±6 -> levels of 8 pupils; I–III = percentile >= 40
    pe = [PCT_M[i] + (6 if i % 2 else -6) for i in range(8)]
    assert lv.loc["6A", "n"] == 8
    shown = groepsoverzicht.group_overview(ds, 6, min_n=3).levels.set_index("Klas")  # nothing small at min_n = 3
    assert shown.loc["6A", "Aandeel I–III"] == pytest.approx(np.mean([p >= 40 for p in pe]))
    # 6B has 3 pupils: no statistics; and 6A's are hidden too (complementary suppression),
    # else 6B's share is the whole groep's minus 6A's (issue 19, High 6)
    assert lv.loc["6B", "n"] == 3 and pd.isna(lv.loc["6B", "Aandeel I–III"])
    assert pd.isna(lv.loc["6A", "Aandeel I–III"])
    assert lv.loc["hele groep", "n"] == 11
    six_a = groepsoverzicht.group_overview(ds, 6, klas="6A", min_n=5)
    assert six_a.suppressed  # the report of 6A alone would give 6B away as well
    assert overview.n_pupils == 11 and not overview.suppressed
    html = h.table(overview.levels, percent=["Aandeel I–III", "Aandeel IV–V"]).data
    assert "&lt; 5" in html and "minder dan 5 leerlingen" in html and "terug te rekenen" in html


def test_group_overview_growth_matches_hand_computation(overview):
    g = overview.growth.iloc[0]
    pm = np.array(list(PCT_M.values()), dtype=float)
    pe = np.array([PCT_M[i] + (6 if i % 2 else -6) for i in PCT_M])
    gain = (166 + pe / 2) - (160 + pm / 2)
    assert g["n"] == 11 and g["Gemiddelde leerwinst"] == pytest.approx(gain.mean())
    from scipy import stats

    z = stats.norm.ppf(pe / 100) - stats.norm.ppf(pm / 100)
    assert g["Gemiddelde groei in z"] == pytest.approx(z.mean())
    assert overview.growth_figure is not None and "groei in z-scores" in overview.growth_figure.alt


def test_group_overview_pupils_need_attention_or_challenge(overview):
    att = overview.attention
    # pupil 0: M percentile 10, E 4 -> niveau V and negative z growth
    row = att[att["pupil_id"] == pid(0)].iloc[0]
    assert "niveau V" in row["Waarom"]
    # pupil 7: percentile 80 -> 86 (niveau I, grew faster than the norm): more challenge
    assert pid(7) in set(overview.challenge["pupil_id"])
    assert pid(7) not in set(att["pupil_id"])
    assert all(p.startswith("L-") for p in att["pupil_id"])
    assert any("extra aandacht" in k for k in overview.kernboodschap)


def many_classes_dataset() -> Dataset:
    """Groep 6 with 6A and 6B (16 pupils each) and 6C (3): per class two pupils at niveau I who
    grew faster than the norm (challenge), all others at niveau V (attention): 29 + 6 pupils."""
    rows = []
    for k in range(35):
        cls = "6A" if k < 16 else "6B" if k < 32 else "6C"
        top = k in (0, 1, 16, 17, 32, 33)
        for moment, date, pct in (("M6", "2026-01-20", 85 if top else 10), ("E6", "2026-06-10", 92 if top else 8)):
            rows.append(
                {
                    "pupil_id": pid(500 + k),
                    "school_year": "2025-2026",
                    "groep": 6,
                    "class_name": cls,
                    "subject": "spelling",
                    "scale": "Cito 3.0",
                    "moment": moment,
                    "period": moment[0],
                    "test_level": 6,
                    "date": pd.Timestamp(date),
                    "score": 100.0 + pct,
                    "percentile": pct,
                    "level": _level(pct),
                    "source_file": "test.csv",
                    "source_row": len(rows) + 2,
                }
            )
    scores = schema.coerce(pd.DataFrame(rows), schema.SCORE_COLUMNS, schema.SCORE_DTYPES)
    return Dataset(scores=scores).validate()


def test_group_overview_of_many_classes_counts_per_class_instead_of_a_long_list(monkeypatch):
    monkeypatch.setattr(groepsoverzicht, "LIST_MAX_ROWS", 20)
    ov = groepsoverzicht.group_overview(many_classes_dataset(), 6, min_n=5)
    # each pupil's class follows the pseudonym, and the list runs class by class
    assert list(ov.attention.columns) == ["pupil_id", "Klas", "Aantal vakken", "Waarom"]
    assert ov.attention["Klas"].tolist() == ["6A"] * 14 + ["6B"] * 14 + ["6C"]
    assert set(ov.challenge.loc[ov.challenge["Klas"] == "6C", "pupil_id"]) == {pid(532), pid(533)}
    # the counts per class add up to the whole groep
    bc = ov.by_class.set_index("Klas")
    assert bc["n"].to_dict() == {"6A": 16, "6B": 16, "6C": 3, "hele groep": 35}
    assert bc["Extra aandacht"].to_dict() == {"6A": 14, "6B": 14, "6C": 1, "hele groep": 29}
    assert bc["Meer uitdaging"].to_dict() == {"6A": 2, "6B": 2, "6C": 2, "hele groep": 6}
    assert ov.lists_by_class and "3 klassen" in ov.by_class_note and "Excel" in ov.by_class_note
    html = h.table(ov.by_class, min_n=5).data
    assert "&lt; 5" in html and "L-" not in html  # 6C is too small to show counts; no pseudonyms
    # a short list, or one class, is shown in full
    monkeypatch.setattr(groepsoverzicht, "LIST_MAX_ROWS", 30)
    assert not groepsoverzicht.group_overview(many_classes_dataset(), 6, min_n=5).lists_by_class
    one = groepsoverzicht.group_overview(many_classes_dataset(), 6, klas="6A", min_n=5)
    assert "Klas" not in one.attention.columns and one.by_class.empty and not one.lists_by_class


def test_group_overview_of_many_classes_shows_levels_as_a_class_by_subject_table(monkeypatch):
    monkeypatch.setattr(groepsoverzicht, "LIST_MAX_ROWS", 3)  # the level table has 4 rows: 3 classes + groep
    ov = groepsoverzicht.group_overview(many_classes_dataset(), 6, min_n=5)
    wide = ov.levels_by_class
    assert list(wide.columns) == ["Klas", "Spelling"] and wide["Klas"].tolist() == ["6A", "6B", "6C", "hele groep"]
    sp = wide.set_index("Klas")["Spelling"]
    assert sp["6B"] == pytest.approx(2 / 16) and sp["hele groep"] == pytest.approx(6 / 35)
    assert pd.isna(sp["6C"])  # 3 pupils: no share
    # and 6A's share is hidden as well, else 6C's is (6 − 2 − 2) / 3 (complementary suppression, issue 19 High 6)
    assert pd.isna(sp["6A"])
    html = h.table(wide, percent=["Spelling"], n_col=None).data
    assert ">17%<" in html and ">–<" in html and html.count("%") == 2  # 6B and the groep
    monkeypatch.setattr(groepsoverzicht, "LIST_MAX_ROWS", 30)
    assert groepsoverzicht.group_overview(many_classes_dataset(), 6, min_n=5).levels_by_class.empty


def test_group_overview_of_a_tiny_class_shows_no_statistics(ds):
    ov = groepsoverzicht.group_overview(ds, 6, klas="6B", min_n=5)
    assert ov.suppressed and ov.level_figure is None and ov.growth_figure is None
    assert "minder dan 5 leerlingen" in ov.kernboodschap[0]


def test_trend_overview_referentieniveaus_and_few_cohorts(ds):
    tr = trendanalyse.trend_overview(ds, 0.40, min_n=5)
    avg = tr.referentie_average.iloc[0]
    assert avg["avg_1f"] == pytest.approx(0.9) and avg["avg_2f"] == pytest.approx(0.4)
    assert (tr.indicator.oordeel_1f, tr.indicator.oordeel_2f1s) == ("boven", "boven")  # 90 >= 85, 40 >= 40
    assert any("minder dan drie cohorten" in n for n in tr.notes)
    assert any(
        k.startswith("Referentieniveaus groep 8: Gewogen driejaarsgemiddelde")
        and "bron: indicatie uit het LVS" in k
        and "90,0% 1F (boven de signaleringswaarde van 85,0%)" in k
        and "40,0% 1S/2F" in k
        for k in tr.kernboodschap
    )
    table = tr.indicator_table.set_index("Schooljaar")
    assert table.loc["Gewogen driejaarsgemiddelde", "% 1S/2F"] == "40,0%"
    assert table.loc["Signaleringswaarde", "% 1S/2F"] == "40,0%"
    st = tr.school_trend[tr.school_trend["Vak"] == "Begrijpend lezen"].set_index("Schooljaar")
    assert st.loc["2024-2025", "n"] == 10 and st.loc["2024-2025", "share"] == pytest.approx(
        np.mean([15 + 8 * k >= 40 for k in range(10)])
    )
    # the alt texts carry the numbers a sighted reader sees (60% of 10 in 2024-2025, 7 of 11 = 64% in 2025-2026)
    assert tr.school_figure.alt == (
        "Lijngrafiek van het percentage leerlingen op niveau III of hoger per vak en schooljaar (eindtoetsen, alle "
        "groepen samen): Begrijpend lezen van 60% (2024-2025) naar 64% (2025-2026)."
    )
    assert tr.referentie_figure.alt.endswith(
        "met de signaleringswaarden als stippellijn: Rekenen-wiskunde: driejaarsgemiddelde 1F 90%, 2F/1S 40%."
    )
    assert (
        "groep 6: het percentage leerlingen op niveau III of hoger voor Begrijpend lezen van 2024-2025 (60%, n = 10) tot 2025-2026 (64%, n = 11)"
        in tr.cross_figures["begrijpend lezen"].alt
    )
    for f in [tr.school_figure, tr.referentie_figure, *tr.cross_figures.values(), *tr.cohort_figures.values()]:
        f.close()


def test_intervention_with_three_pupils_says_too_few(ds):
    ev = interventie.intervention_evaluation(ds, "INT-6B", min_n=5, n_boot=200)
    assert ev.verdict == "te weinig leerlingen"
    assert ev.kernboodschap[0].startswith("Te weinig leerlingen om iets te concluderen")
    assert ev.info["comparison"] == "parallel_class" and ev.info["n_treatment"] == 3 and ev.info["n_control"] == 8
    assert ev.estimates.empty and ev.estimation_figure is None  # nothing shown for a group under min_n
    assert "Leesclub 6B <b>" in set(ev.description["Waarde"])  # raw here, escaped by html.table
    assert "&lt;b&gt;" in h.table(ev.description, n_col=None).data


def test_unknown_intervention_gives_dutch_message(ds):
    ev = interventie.intervention_evaluation(ds, "BESTAAT-NIET")
    assert ev.verdict == "niet te evalueren" and "staat niet in de interventietabel" in ev.kernboodschap[0]


def test_cycle_overview_reads_the_recorded_evaluation_and_escapes(ds):
    from plgdata.workflow import evaluate_measures, evaluation_record

    c = small_cycle()
    assert cyclusrapport.cycle_overview(c).measures.iloc[0]["Wat de data zeggen"] == cyclusrapport.NOT_EVALUATED
    cy.record_evaluation(
        c, [evaluation_record(m, e) for m, e in evaluate_measures(c, ds)], note="Te klein.", when="2026-06-20T10:00:00"
    )
    co = cyclusrapport.cycle_overview(c)
    assert co.next_step == "Stap 3 (Dataverzameling)"
    hyp = co.hypotheses.set_index("Id")
    assert hyp.loc["H1", "Oordeel"] == "verworpen" and hyp.loc["H2", "Herziet"] == "H1"
    assert list(co.loops[["Van stap", "Naar stap"]].iloc[0]) == [6, 2]
    said = co.measures.iloc[0]["Wat de data zeggen"]
    assert said.startswith("Te weinig leerlingen") and said == c.evaluation.comparisons[0]["oordeel"]
    # the comparison reads as prose, not as a dump of keys
    text = co.evaluation.set_index("Onderdeel").loc["Vergelijking 1", "Waarde"]
    assert text.startswith(
        "Maatregel M1 (interventie INT-6B). Opzet: interventie- en vergelijkingsgroep met voor- en nameting, "
        "vergeleken met de parallelklas (niet deelnemende klassen van dezelfde groep)."
    )
    assert "3 leerlingen in de interventie, 8 in de vergelijking." in text and "maatregel:" not in text and "bi_onder" not in text
    assert "Deadline" in set(co.problem["Onderdeel"]) and "30-06-2026" in set(co.problem["Waarde"])
    kb = h.kernboodschap(co.kernboodschap).data
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in kb and "<script" not in kb
    assert co.goal_figure is not None and "doel: 30%" in co.goal_figure.alt
    co.goal_figure.close()


def test_other_recorded_comparisons_read_with_dutch_labels():
    assert cyclusrapport.evaluation_text({"hedges_g": 0.41, "n": 24}) == "Hedges' g (nameting): 0,41; Aantal leerlingen: 24"


def test_the_report_shows_per_class_tables_and_keeps_the_long_ones_in_the_workbook(monkeypatch):
    """What the groepsoverzicht notebook shows for a groep of many classes (the choice lives in
    plgdata, not in the notebook): the per-class tables on screen, every table in the workbook."""
    from plgdata.reporting.excel import ReportTables

    monkeypatch.setattr(groepsoverzicht, "LIST_MAX_ROWS", 3)
    ov = groepsoverzicht.group_overview(many_classes_dataset(), 6, min_n=5)
    tables = ReportTables(None, 5)
    shown = [
        *groepsoverzicht.level_tables(ov, tables),
        *groepsoverzicht.pupil_tables(ov, tables, 3),
        *groepsoverzicht.pupil_tables(ov, tables, 4),
    ]
    assert list(tables.tables) == ["Niveaus", "Niveaus per klas", "Extra aandacht", "Meer uitdaging", "Per klas"]
    html = "".join(x.data for x in shown)
    assert "Aandeel leerlingen op niveau I–III per klas" in html and "per klas bij vraag 3" in html
    assert "L-" not in html  # the pupil lists are in the workbook only
    monkeypatch.setattr(groepsoverzicht, "LIST_MAX_ROWS", 100)
    ov = groepsoverzicht.group_overview(many_classes_dataset(), 6, min_n=5)
    tables = ReportTables(None, 5)
    shown = [*groepsoverzicht.level_tables(ov, tables), *groepsoverzicht.pupil_tables(ov, tables, 3)]
    shown += groepsoverzicht.pupil_tables(ov, tables, 4)
    assert list(tables.tables) == ["Niveaus", "Extra aandacht", "Meer uitdaging"]
    assert "L-" in "".join(x.data for x in shown)  # short lists are shown in full
