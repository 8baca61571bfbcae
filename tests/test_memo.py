"""Within one run of reports the opbrengstenrapport reads the groepsoverzichten' numbers instead of
computing them again (issue 21: the cold demo computed every groepsoverzicht twice); outside a run,
and for other data, nothing is shared."""

from __future__ import annotations

import os

import pandas as pd
from test_reports_content import small_dataset

from plgdata.reporting import groepsoverzicht as go_module
from plgdata.reporting import memo
from plgdata.reporting.opbrengsten import group_parts


def _year(ds) -> str:
    return max(ds.scores["school_year"].dropna().astype(str))


def test_the_opbrengstenrapport_reads_the_groepsoverzicht_of_the_same_run(monkeypatch):
    ds = small_dataset()
    year = _year(ds)
    alone = group_parts(ds, year, ["begrijpend lezen"], 5)  # no run: computed here
    with memo.shared_numbers() as folder:
        assert os.environ[memo.MEMO_ENV] == str(folder)
        s = ds.scores
        groepen = sorted(int(g) for g in s.loc[s["school_year"].astype(str) == year, "groep"].unique())
        assert len(groepen) > 1
        # the groepsoverzicht reports, in another kernel (its defaults: the groep's latest year)
        overviews = [go_module.group_overview(ds, g, None, min_n=5) for g in groepen]
        calls = []
        real = go_module.group_overview
        monkeypatch.setattr(go_module, "group_overview", lambda *a, **k: calls.append(a) or real(*a, **k))
        shared = group_parts(ds, year, ["begrijpend lezen"], 5)
        assert calls == []  # no groep computed again
        ds_other = small_dataset()
        ds_other.scores = ds_other.scores.assign(score=ds_other.scores["score"] + 1)
        go_module.group_numbers(ds_other, 6, year, min_n=5)  # other data: its own numbers
        assert len(calls) == 1
    assert memo.MEMO_ENV not in os.environ and not folder.exists()  # the run's folder is gone
    for a, b in zip(alone, shared):
        pd.testing.assert_frame_equal(a, b)
    assert shared[2]["n"].tolist() == [o.n_pupils for o in overviews]


def test_the_opbrengstenrapport_reads_the_interventie_evaluatie_of_the_same_run(monkeypatch):
    from plgdata.reporting import interventie
    from plgdata.reporting.opbrengsten import intervention_parts

    ds = small_dataset()
    year = _year(ds)
    alone, alone_evs = intervention_parts(ds, year, 5)
    assert len(alone)
    with memo.shared_numbers():
        for iid in ds.interventions["intervention_id"].astype(str):
            interventie.intervention_evaluation(ds, iid, min_n=5)  # the interventie-evaluatie reports
        monkeypatch.setattr(interventie, "_evaluation", lambda *a, **k: (_ for _ in ()).throw(AssertionError("again")))
        shared, shared_evs = intervention_parts(ds, year, 5)
    pd.testing.assert_frame_equal(alone, shared)
    assert [e.kernboodschap for e in shared_evs] == [e.kernboodschap for e in alone_evs]
    assert all(e.estimation_figure is None for e in shared_evs)  # numbers only: no figure kept
