"""The board summary leads the opbrengstenrapport and drops no caveat (issue 21 item 6).

Per PLG question plain sentences that name the school year, the points gained, the design of
the comparison and its caveat; at most two A4 pages.  The kernboodschap names the years of the
referentieniveaus and the design of each intervention; the interventie-evaluatie gives the
effect in the test's points and explains the MDE so that it does not read as a contradiction.
"""

from __future__ import annotations

import os
import re

import test_opbrengsten
from test_demo_reports import CHROMIUM, CHROMIUM_ARGS

from plgdata.model.labels import fmt_num
from plgdata.reporting import html as h
from plgdata.reporting.common import effect_in_points
from plgdata.reporting.interventie import intervention_evaluation
from plgdata.reporting.render import CSS_FILE
from plgdata.reporting.summary import ATTENTION_RULE, CHALLENGE_RULE, design_short

#: the sample school and its opbrengstenrapport (with the signaleringswaarden), as test_opbrengsten makes them
sample_ds = test_opbrengsten.sample_ds
report = test_opbrengsten.report


def _section(op, number: int) -> list[str]:
    return next(items for head, items in op.board_summary if head.startswith(f"{number}."))


def test_one_part_per_plg_question(report):
    report = report[0]  # (report, signaleringswaarden) of test_opbrengsten
    assert [head[:2] for head, _ in report.board_summary] == ["1.", "2.", "3.", "4."]
    assert all(items for _, items in report.board_summary)


def test_every_intervention_sentence_names_year_design_size_and_caveat(report):
    report = report[0]  # (report, signaleringswaarden) of test_opbrengsten
    q3 = _section(report, 3)
    for _, row in report.interventions.iterrows():
        sentence = next(s for s in q3 if s.startswith(row["Interventie"]))
        assert re.search(r"\(\d{4}-\d{4}", sentence), sentence  # the school year
        assert "Opzet:" in sentence
        if row["Oordeel"] in ("positief", "negatief"):
            assert "standaardafwijking" in sentence and "95%-BI" in sentence
            if row["Opzet"] == "vergelijkingsgroep, ANCOVA":
                assert "punten verschil op de toets" in sentence and "één klas tegen één klas" in sentence
        if row["Oordeel"] == "niet te scheiden":  # one class against one: a size is a description, said so
            assert "beschrijvend, geen bewijs" in sentence and "punten" in sentence
    spelling = next(s for s in q3 if s.startswith("Spelling in de lift"))
    assert "cohortvergelijking" in spelling and "kunnen meespelen" in spelling


def test_growth_sentences_give_points_year_and_design(report):
    report = report[0]  # (report, signaleringswaarden) of test_opbrengsten
    q2 = _section(report, 2)
    growth = report.growth
    for vak, part in growth.groupby("Vak"):
        sentence = next(s for s in q2 if s.startswith(f"{vak} ({report.school_year}"))
        assert fmt_num(part["Gemiddelde leerwinst"].min()) in sentence and "punten" in sentence
    assert any(s.startswith("Opzet bij deze groei") and "zonder vergelijkingsgroep" in s for s in q2)


def test_referentieniveaus_never_without_their_years(report):
    report = report[0]
    q2 = [s for s in _section(report, 2) if s.startswith("Referentieniveaus groep 8")]
    kern = [s for s in report.kernboodschap if s.startswith("Referentieniveaus groep 8")]
    assert q2 and kern  # "gemiddeld 100% haalde 1F (over 1 jaar)" named no year
    for sentence in q2 + kern:
        assert re.search(r"\(\d{4}-\d{4}", sentence), sentence
        assert "drie schooljaren" in sentence or " t/m " in sentence  # fewer than three years: said


def test_the_conclusions_name_each_intervention_s_design(report):
    report = report[0]  # (report, signaleringswaarden) of test_opbrengsten
    can = " ".join(report.can_conclude)
    shown = report.interventions[report.interventions["Oordeel"].isin(["positief", "negatief"])]
    assert len(shown)
    for _, row in shown.iterrows():  # "Spelling in de lift: positief effect, 0,20 sd" did not say it was a cohort comparison
        assert f"{row['Interventie']} ({row['Opzet']})" in can


def test_extra_aandacht_and_meer_uitdaging_are_defined_and_add_up(report):
    report = report[0]  # (report, signaleringswaarden) of test_opbrengsten
    attention = next(s for s in _section(report, 3) if s.startswith("Extra aandacht"))
    challenge = next(s for s in _section(report, 4) if s.startswith("Meer uitdaging"))
    n = int(report.pupils["n"].sum())
    assert f"{int(report.pupils['Extra aandacht'].sum())} van de {n} leerlingen" in attention and ATTENTION_RULE in attention
    assert f"{int(report.pupils['Meer uitdaging'].sum())} van de {n} leerlingen" in challenge and CHALLENGE_RULE in challenge


def test_the_summary_fits_two_a4_pages(report, tmp_path):
    report = report[0]  # (report, signaleringswaarden) of test_opbrengsten
    assert os.path.exists(CHROMIUM)
    from playwright.sync_api import sync_playwright

    css = CSS_FILE.read_text(encoding="utf-8")
    body = h.title(report.title).data + h.kernboodschap(report.kernboodschap).data
    body += h.summary_section("Samenvatting voor het bestuur", report.board_summary).data + "<p>Hoofdstuk 1</p>"
    page_html = tmp_path / "samenvatting.html"
    page_html.write_text(
        f'<html lang="nl"><head><meta charset="utf-8"><style>{css}</style></head><body><main>{body}</main></body></html>'
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(page_html.as_uri())
            data = page.pdf(prefer_css_page_size=True)
        finally:
            browser.close()
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert 2 <= pages <= 3  # the summary ends its page(s): at most two, then chapter 1 on the next


def _with_comparison_group(ds):
    """The sample's interventions with a comparison group and an effect shown (verdict positief or negatief)."""
    out = []
    for iid in ds.interventions["intervention_id"].astype(str):
        ev = intervention_evaluation(ds, iid)
        if ev.result is not None and ev.result.design == "pre_post_control" and ev.verdict in ("positief", "negatief"):
            out.append(ev)
    return out


def test_the_interventie_kernboodschap_gives_points_and_a_plain_mde(sample_ds):
    evs = _with_comparison_group(sample_ds)
    assert evs
    for ev in evs:
        kern = " ".join(ev.kernboodschap)
        assert "In punten van de toets" in kern and fmt_num(effect_in_points(ev.result)[0]) in kern
        assert "8 van de 10 keer" in kern and "MDE" in kern
        if abs(ev.result.headline) < ev.result.mde:  # below the MDE and yet beyond 0: said, not left as a riddle
            assert "kleiner en toch van 0 te onderscheiden" in kern


def test_the_summary_gives_whole_classes_the_interval_of_the_class_means(report, sample_ds):
    """Whole classes: the summary's points and interval are those of the class means, never the narrower pupil ANCOVA."""
    res = intervention_evaluation(sample_ds, "INT-TL-MB").result
    [sentence] = [s for s in _section(report[0], 3) if s.startswith("Herhaald lezen in groep 3 t/m 7")]
    lo, hi = res.unit_difference_ci
    assert f"{fmt_num(res.unit_difference)} punten verschil op de toets (95%-BI {fmt_num(lo)} tot {fmt_num(hi)})" in sentence
    assert f"95%-BI {fmt_num(res.ancova_ci[0])}" not in sentence and "hele klassen vergeleken" in sentence


def test_the_interventions_table_gives_the_effect_in_points_too(report, sample_ds):
    report = report[0]
    table = report.interventions.set_index("Interventie")
    for ev in _with_comparison_group(sample_ds):
        row = table.loc[ev.title.split(": ", 1)[-1]]  # "Interventie-evaluatie: <name>"
        assert row["Opzet"] == design_short(ev.result)
        assert row["Verschil (punten)"] == effect_in_points(ev.result)[0]  # the interventie-evaluatie's number
    one_class = table.loc["Close reading in 6A"]  # 'niet te scheiden': no effect, no points
    assert one_class["Oordeel"] == "niet te scheiden" and one_class["Verschil (punten)"] != one_class["Verschil (punten)"]
    spelling = table.loc["Spelling in de lift, schoolbreed"]
    assert spelling["Opzet"] == "cohortvergelijking" and spelling["Verschil (punten)"] != spelling["Verschil (punten)"]  # NaN


def test_the_summary_claims_faster_growth_only_where_the_conclusions_do(report):
    """One family (Holm), as the report's conclusions: the summary never calls a groep 'aantoonbaar sneller'
    that the kernboodschap does not."""
    report = report[0]
    can = " ".join(report.can_conclude)
    for sentence in (s for s in _section(report, 2) if "aantoonbaar sneller dan de landelijke norm in" in s):
        vak = sentence.split(" (", 1)[0].lower()
        groepen = re.search(r"aantoonbaar sneller dan de landelijke norm in (groep(?:en)? [\d, t/m]+)", sentence).group(1)
        first = re.search(r"\d", groepen).group(0)
        assert f"{vak} groep {first}" in can, sentence
    assert "na correctie voor" in " ".join(_section(report, 2))
