"""The board's view (issue 20): the school summary holds no pupil data, the bestuur report pools interventions.

The bestuur report is made from four summaries (the sample school and De Akker made here by
`plgdata samenvatting`, two more schools' files as a board receives them), rendered in Chromium
and checked by the privacy check.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from identities import SAMPLE, leaks
from test_demo_reports import CHROMIUM, CHROMIUM_ARGS

from plgdata.analysis.indicator import fmt_pct1
from plgdata.analysis.pooling import random_effects
from plgdata.cli import main
from plgdata.reporting.bestuur import bestuur_report
from plgdata.reporting.samenvatting import intervention_kind, read_summary, school_summary

FIX = Path(__file__).parent / "fixtures"
OTHERS = [FIX / "bestuur" / "het_anker.json", FIX / "bestuur" / "de_regenboog.json"]
PSEUDONYM = re.compile(r"L-[0-9a-f]{10}")


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bestuur")
    vlonder, akker = tmp / "vlonder.json", tmp / "akker.json"
    args = ["--signaleringswaarde", "43,5", "--uit", str(vlonder), "--school", "OBS De Vlonder"]
    assert main(["samenvatting", str(SAMPLE), *args]) == 0
    long_file = FIX / "doorstroom" / "referentieniveaus_lang.csv"
    assert main(["samenvatting", str(long_file), "--schoolweging", "31,47", "--uit", str(akker), "--school", "De Akker"]) == 0
    return tmp, [vlonder, akker, *OTHERS]


def _walk(value, path=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    else:
        yield path, value


def test_summary_holds_no_pupil_level_data(summaries):
    _, files = summaries
    text = files[0].read_text(encoding="utf-8")
    data = json.loads(text)
    assert leaks(text) == []
    assert not PSEUDONYM.search(text)
    keys = {p.rsplit(".", 1)[-1].split("[")[0] for p, _ in _walk(data)}
    assert not keys & {"pupil_id", "leerling", "leerlingnummer", "naam_leerling", "pseudoniem", "level", "score"}
    # only aggregates: every count with a percentage beside it is at least min_n
    for year in data["indicator"]["jaren"]:
        assert year["n"] >= data["min_n"] or year["pct_2f1s"] is None
    for t in data["trend"]:
        assert t["n"] >= data["min_n"] or t["aandeel_iii_of_hoger"] is None
    rt = next(i for i in data["interventies"] if i["soort"] == "rt-groep rekenen")
    assert rt["n_interventie"] < 10 and rt["effectgrootte_sd"] is None  # too few pupils: no effect size


def test_small_years_are_suppressed_in_the_summary():
    rows = [
        {"pupil_id": f"p{y}{i}", "school_year": y, "subject": s, "level": "2F" if i % 2 else "1F"}
        for y, n in (("2023-2024", 12), ("2024-2025", 3))
        for i in range(n)
        for s in ("lezen", "taalverzorging", "rekenen")
    ]
    s = school_summary("Klein", doorstroom=pd.DataFrame(rows), signaleringswaarde=43.5, min_n=5)
    years = {y["schooljaar"]: y for y in s["indicator"]["jaren"]}
    assert years["2024-2025"]["pct_2f1s"] is None and years["2024-2025"]["onderdrukt"] == "minder dan 5 leerlingen"
    assert years["2023-2024"]["pct_2f1s"] == 50.0
    assert s["indicator"]["driejaars"]["n"] == 15


def test_summary_indicator_is_the_indicator(summaries):
    _, files = summaries
    akker = read_summary(files[1])
    assert akker["indicator"]["driejaars"] == {
        "schooljaren": ["2022-2023", "2023-2024", "2024-2025"],
        "n": 43,
        "pct_1f": 93.02,
        "pct_2f1s": 51.94,
    }


def test_intervention_kind_pools_names_without_class():
    assert intervention_kind("Close reading in 6A") == intervention_kind("Close reading groep 7") == "close reading"
    assert intervention_kind("Close reading in 8B") == "close reading"


def test_random_effects_matches_statsmodels_and_the_formula():
    from statsmodels.stats.meta_analysis import combine_effects

    y, v = np.array([0.62, 0.05, 0.36, 0.9]), np.array([0.057, 0.042, 0.021, 0.08])
    r = random_effects(y, v)
    sm = combine_effects(y, v, method_re="dl")
    assert r.tau2 > 0 and r.tau2 == pytest.approx(sm.tau2)
    frame = sm.summary_frame()
    assert r.estimate == pytest.approx(frame.loc["random effect", "eff"])
    assert r.ci == pytest.approx((frame.loc["random effect", "ci_low"], frame.loc["random effect", "ci_upp"]))
    assert r.i2 == pytest.approx(sm.i2)
    # identical studies: no heterogeneity, the fixed-effect mean
    same = random_effects([0.3, 0.3], [0.04, 0.04])
    assert same.tau2 == 0 and same.i2 == 0 and same.estimate == pytest.approx(0.3)


def test_bestuur_report_side_by_side_and_pooled(summaries):
    _, files = summaries
    rep = bestuur_report([read_summary(f) for f in files])
    assert list(rep.schools["school"]) == ["Basisschool Het Anker", "De Akker", "De Regenboog", "OBS De Vlonder"]  # by name
    own = dict(zip(rep.schools["school"], rep.schools["sw_2f1s"]))
    assert own == {"Basisschool Het Anker": 50.1, "De Akker": 43.5, "De Regenboog": 38.7, "OBS De Vlonder": 43.5}
    assert rep.schools.set_index("school").loc["Basisschool Het Anker", "oordeel_2f1s"] == "onder"
    kinds = {k: (rows, pooled) for k, rows, pooled in rep.portfolio}
    rows, pooled = kinds["close reading"]
    assert list(rows["school"]) == ["Basisschool Het Anker", "De Regenboog", "OBS De Vlonder"]
    ok = rows[rows["effectgrootte_sd"].notna()]
    expected = random_effects(ok["effectgrootte_sd"].astype(float), ok["se"].astype(float) ** 2)
    assert pooled == expected and pooled.k == 3
    assert kinds["rt-groep rekenen"][1] is None  # no school with enough pupils: not pooled
    assert any("Interventie 'close reading': Samen (3 scholen, random-effects DerSimonian–Laird)" in k for k in rep.kernboodschap)
    assert any("I² =" in k for k in rep.kernboodschap)
    assert any("geen ranglijst" in k for k in rep.kernboodschap)
    akker = rep.years[rep.years["School"] == "De Akker"]
    assert list(akker["% 1S/2F"]) == ["55,6%", "51,3%", "47,2%"] and list(akker["Leerlingen"]) == ["18", "13", "12"]


def test_bestuur_report_in_chromium_passes_privacycheck(summaries, tmp_path):
    assert os.path.exists(CHROMIUM), "Chromium ontbreekt: installeer Debian's pakket 'chromium' (.ci/run doet dat)."
    from playwright.sync_api import sync_playwright

    from plgdata.reporting.privacy import check_files

    tmp, files = summaries
    out = tmp_path / "bestuursrapport.html"
    assert main(["bestuur", *map(str, files), "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "93,0%" in html and "51,9%" in html and "43,5%" in html  # De Akker, one decimal
    assert "<script" not in html and "http" not in html.split("</style>", 1)[1]
    assert leaks(html) == [] and not PSEUDONYM.search(html)
    assert check_files([out], key_file=os.environ["PLGDATA_SLEUTEL"]) == []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(out.as_uri())
            page.wait_for_load_state("load")
            assert page.locator("h1").inner_text().startswith("Bestuursrapport")
            assert page.locator("img").count() >= 2  # the schools figure and a forest plot
            widths = page.evaluate("Array.from(document.images).map(i => i.naturalWidth)")
            assert all(w > 0 for w in widths)  # every figure decoded
            shot = tmp_path / "bestuursrapport.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000
        finally:
            browser.close()


def test_trendanalyse_opbrengsten_and_bestuur_show_the_same_indicator(summaries):
    """Issue 20: one figure for the same data in every report (here the sample school, LVS indication)."""
    from plgdata.analysis.levels import referentieniveaus
    from plgdata.reporting.bestuur import _schools_table
    from plgdata.sample.leerteams import load_sample_with_fixed_key

    _, files = summaries
    ind = referentieniveaus(load_sample_with_fixed_key(SAMPLE).scores, 0.435).indicator  # what both reports use
    row = bestuur_report([read_summary(files[0])]).schools.iloc[0]
    assert (row["pct_1f"], row["pct_2f1s"], row["n"]) == (round(ind.pct_1f, 2), round(ind.pct_2f1s, 2), ind.n)
    assert row["bron"] == ind.source_label == "indicatie uit het LVS"
    shown = _schools_table(bestuur_report([read_summary(files[0])]).schools).iloc[0]
    assert shown["% 1S/2F"] == fmt_pct1(ind.pct_2f1s)


def test_bestuur_refuses_a_file_that_is_no_summary(tmp_path, capsys):
    f = tmp_path / "export.json"
    f.write_text('{"leerlingen": []}', encoding="utf-8")
    assert main(["bestuur", str(f), "--out", str(tmp_path / "b.html")]) == 1
    err = capsys.readouterr().err
    assert "'export.json' is geen samenvatting van plgdata" in err and "Traceback" not in err
    assert not (tmp_path / "b.html").exists()
