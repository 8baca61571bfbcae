"""Issue 17 item 12: one decision policy for compare() and the hypothesis tests."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd

from plgdata.analysis import compare as cmp
from plgdata.analysis import effects as fx
from plgdata.analysis import hypotheses as hy
from plgdata.analysis import policy


def _three_vs_three() -> pd.DataFrame:
    # a huge difference between two groups of 3 pupils
    return pd.DataFrame({"score": [10.0, 11, 12, 20, 21, 22], "groep": ["b"] * 3 + ["a"] * 3})


def test_three_against_three_pupils_is_too_few_everywhere():
    df = _three_vs_three()
    assert cmp.compare(df, "score", "groep", "a", "b", n_boot=0).verdict == "te weinig leerlingen"
    res = hy.group_difference(df, "score", "groep", "a", "b")  # old code: 'bevestigd' (g = 7.2, CI above 0.2)
    assert res.verdict == "onbeslist"
    assert res.text_nl == "Onbeslist: te weinig leerlingen om iets te concluderen (3 en 3 leerlingen; minder dan 5 in een groep)."
    ind = pd.DataFrame({"laag": [1, 1, 1, 0, 0, 0], "g": ["a"] * 3 + ["b"] * 3})
    assert hy.proportion_difference(ind, "laag", "g", "a", "b", min_diff=0.1).verdict == "onbeslist"
    assert hy.decide(0.9, (0.5, 1.3), 0.2, n=4) == "onbeslist" and hy.decide(0.9, (0.5, 1.3), 0.2, n=5) == "bevestigd"


def test_thresholds_are_the_named_constants():
    assert (policy.KRAFT_MEDIUM, policy.KRAFT_LARGE) == (0.05, 0.20)
    assert (policy.WWC_EQUIVALENT, policy.WWC_ADJUSTABLE) == (0.05, 0.25)
    assert inspect.signature(hy.group_difference).parameters["min_effect"].default == policy.KRAFT_LARGE
    assert inspect.signature(hy.group_difference).parameters["min_n"].default == policy.MIN_N
    assert inspect.signature(cmp.compare).parameters["min_n"].default == policy.MIN_N
    assert cmp.MDE_UNINFORMATIVE == policy.MDE_UNINFORMATIVE
    # the words change exactly at the constants
    eps = 1e-9
    assert fx.kraft_label(policy.KRAFT_MEDIUM - eps) == "klein" and fx.kraft_label(policy.KRAFT_MEDIUM) == "middelgroot"
    assert fx.kraft_label(policy.KRAFT_LARGE - eps) == "middelgroot" and fx.kraft_label(policy.KRAFT_LARGE) == "groot"
    assert cmp.baseline_category(policy.WWC_EQUIVALENT) == "gelijkwaardig"
    assert cmp.baseline_category(policy.WWC_ADJUSTABLE) == "alleen met correctie"
    assert cmp.baseline_category(policy.WWC_ADJUSTABLE + eps) == "niet vergelijkbaar"


def test_the_interval_rule_needs_every_interval_on_one_side():
    assert policy.ci_side([(0.1, 0.4), (0.02, 0.5)]) == 1
    assert policy.ci_side([(0.1, 0.4), (-0.02, 0.5)]) == 0
    assert policy.ci_side([(-0.4, -0.1)]) == -1
    assert policy.ci_side([(0.1, np.nan)]) is None
