"""A hidden small group can not be recovered by subtraction from what a report shows (HTML and Excel).

Each test recomputes the hidden cells from the shown ones, as an attacker would: when the whole
and all parts but one are shown, the missing part is ``whole − shown parts``.
"""

from __future__ import annotations

import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from plgdata.analysis.frames import CONTROL, TREATMENT
from plgdata.model.dataset import Dataset
from plgdata.reporting import groepsoverzicht as go
from plgdata.reporting.excel import ReportTables
from plgdata.reporting.interventie import _groups_table
from plgdata.reporting.suppression import complement_rows
from plgdata.sample.leerteams import load_sample_with_fixed_key

from .helpers import SAMPLE

YEAR, MIN_N = "2025-2026", 5


@pytest.fixture(scope="module")
def small_5b():
    """The sample school with only three pupils left in 5B (2025-2026): 5A is large, 5B is not."""
    ds = load_sample_with_fixed_key(SAMPLE)
    s = ds.scores
    in_5b = (s["school_year"] == YEAR) & (s["class_name"] == "5B")
    keep = sorted(s.loc[in_5b, "pupil_id"].astype(str).unique())[:3]
    drop = in_5b & ~s["pupil_id"].astype(str).isin(keep)
    return Dataset(scores=s[~drop].reset_index(drop=True), pupils=ds.pupils, report=ds.report)


def _recoverable(rows: pd.DataFrame, share: str) -> list[str]:
    """Classes whose hidden share follows from the whole groep and the other classes (n·share sums)."""
    whole = rows[rows["Klas"] == "hele groep"]
    parts = rows[rows["Klas"] != "hele groep"]
    hidden = parts[parts[share].isna()]
    if whole.empty or whole[share].isna().all() or len(hidden) != 1:
        return []
    n_whole = int(whole["n"].iloc[0])
    shown = parts[parts[share].notna()]
    # n of a hidden row is '< 5' on screen, but whole − shown parts gives it
    n_hidden = n_whole - int(shown["n"].astype(int).sum())
    count = float(whole[share].iloc[0]) * n_whole - float((shown[share].astype(float) * shown["n"].astype(int)).sum())
    return [hidden["Klas"].iloc[0]] if n_hidden > 0 and 0 <= count / n_hidden <= 1 else []


def test_a_small_class_beside_the_whole_groep_is_not_recoverable(small_5b):
    ov = go.group_overview(small_5b, 5, YEAR, min_n=MIN_N)
    lv = ov.levels
    assert set(lv.loc[lv["Klas"] == "5B", "n"]) <= {1, 2, 3}
    assert lv.loc[lv["Klas"] == "hele groep", "Aandeel I–III"].notna().all()  # the groep itself is still shown
    for _, rows in lv.groupby(["Vak", "Moment"]):
        assert _recoverable(rows, "Aandeel I–III") == [] and _recoverable(rows, "Aandeel IV–V") == []
    # and the table on screen says why a large class is empty
    html = go.level_tables(ov, ReportTables(None))[0].data
    assert "terug te rekenen" in html


def test_the_workbook_hides_the_same_cells(small_5b, tmp_path):
    ov = go.group_overview(small_5b, 5, YEAR, min_n=MIN_N)
    tables = ReportTables(tmp_path / "groep5.xlsx", min_n=MIN_N)
    go.level_tables(ov, tables)
    tables.write()
    ws = openpyxl.load_workbook(tmp_path / "groep5.xlsx")["Niveaus"]
    values = list(ws.values)
    book = pd.DataFrame(values[1:], columns=values[0]).rename(columns={"Aantal leerlingen": "n"})
    book["n"] = [int(v) if isinstance(v, int) or (isinstance(v, str) and v.isdigit()) else v for v in book["n"]]
    book.loc[book["n"] == f"< {MIN_N}", "n"] = 3  # the attacker knows n from the subtraction anyway
    for _, rows in book.groupby(["Vak", "Moment"]):
        assert _recoverable(rows, "Aandeel I–III") == []


def test_the_report_of_the_large_class_is_withheld_when_it_gives_the_small_one_away(small_5b):
    whole = go.group_overview(small_5b, 5, YEAR, min_n=MIN_N)
    five_a = go.group_overview(small_5b, 5, YEAR, klas="5A", min_n=MIN_N)
    assert whole.levels.loc[whole.levels["Klas"] == "hele groep", "Aandeel I–III"].notna().any()
    assert five_a.suppressed and five_a.levels.empty or five_a.levels["Aandeel I–III"].isna().all()
    assert five_a.growth.empty or five_a.growth["Gemiddelde leerwinst"].isna().all()
    assert "terug te rekenen" in " ".join(five_a.kernboodschap)


def test_a_small_intervention_group_is_not_the_groep_minus_the_comparison_group():
    # the case: the groep (43 pupils, mean growth 19.1395 in the groepsoverzicht) and the
    # comparison group (40, 18.4) gave the RT group of 3: (43 × 19.1395 − 40 × 18.4) / 3 = 29.0
    rng = np.random.default_rng(1)
    pre = rng.normal(100, 10, 43)
    gain = np.r_[np.full(3, 29.0), rng.normal(18.4, 3, 40)]
    frame = pd.DataFrame({"group": [TREATMENT] * 3 + [CONTROL] * 40, "pre": pre, "post": pre + gain})
    t = _groups_table(frame, MIN_N)
    shown = t[t.iloc[:, 0] == "vergelijkingsgroep"]
    assert int(shown["n"].iloc[0]) == 40
    stats = [c for c in t.columns if c not in (t.columns[0], "n")]
    assert shown[stats].isna().all().all()  # else 3 × x = 43 × whole − 40 × this
    whole_mean = gain.mean()
    assert abs((43 * whole_mean - 40 * gain[3:].mean()) / 3 - 29.0) < 1e-9  # what was recoverable before


def test_complement_rows_hide_smallest_parts_until_the_hidden_hold_min_n():
    n = pd.Series([20, 10, 3, 33])
    total = pd.Series([False, False, False, True])
    assert complement_rows(n, total).tolist() == [False, True, False, False]
    assert not complement_rows(pd.Series([20, 10, 6, 36]), total).any()


def test_the_whole_suppression_rule_lives_in_one_module():
    import plgdata.reporting.excel as excel
    import plgdata.reporting.html as h
    from plgdata.reporting import suppression

    assert h.suppress_small is suppression.suppress_small and excel.suppress_small is suppression.suppress_small
    assert not re.search(r"def suppress_small", open(h.__file__, encoding="utf-8").read())


def test_a_suppressed_share_in_the_per_class_table_is_a_dash_not_na():
    from plgdata.reporting import html as h

    wide = pd.DataFrame({"Klas": ["5A", "5B", "hele groep"], "Rekenen": pd.array([0.6, None, 0.59], dtype="Float64")})
    out = h.table(wide, "per klas", percent=["Rekenen"], n_col=None).data
    assert "NA" not in out and '<td class="plg-getal">–</td>' in out
