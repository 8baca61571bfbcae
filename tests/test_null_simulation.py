"""Issue 17, "how it is checked": a small seeded version of benchmarks/bench_null.py.

Schools where the intervention does nothing, with class (teacher) effects of ICC 0.20 and
groep x school year effects.  The audit measured, on the old code, 'positief' or 'negatief'
in 27-37% of such data sets and intervals covering 0 in 57-75%.  Bounded: a few seconds."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from plgdata.analysis.clustered import cluster_difference

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from nullsim import R_PRE_POST, null_rates  # noqa: E402


@pytest.mark.parametrize("k", [2, 3])
def test_class_level_interval_covers_the_null_95_percent(k):
    """Adjusted class means with K - 2 df hold 95% with class ICC 0.20 (1000 seeded data sets)."""
    rng = np.random.default_rng(17 + k)
    n, icc, sims = 24, 0.20, 1000
    unit = np.repeat(np.arange(2 * k), n)
    treat = unit < k
    covered = 0
    for _ in range(sims):
        pre = rng.normal(0, 1, 2 * k * n) + np.repeat(rng.normal(0, math.sqrt(0.05), 2 * k), n)
        post = R_PRE_POST * pre + rng.normal(0, math.sqrt(1 - R_PRE_POST**2 - icc), 2 * k * n)
        post += np.repeat(rng.normal(0, math.sqrt(icc), 2 * k), n)
        lo, hi = cluster_difference(post, treat, unit, x=pre).ci
        covered += lo <= 0 <= hi
    assert 0.93 <= covered / sims <= 0.97


def test_groep_by_year_interval_covers_the_null_95_percent():
    """Six groepen x four years, a groep x year effect (ICC 0.10), groep as a block: coverage 95%."""
    rng = np.random.default_rng(29)
    n, icc, sims = 25, 0.10, 1000
    unit = np.repeat(np.arange(24), n)
    groep, year = unit // 4, unit % 4
    covered = 0
    for _ in range(sims):
        y = rng.normal(0, math.sqrt(1 - icc), 24 * n) + np.repeat(rng.normal(0, math.sqrt(icc), 24), n) + 0.3 * groep
        lo, hi = cluster_difference(y, year >= 2, unit, block=groep).ci
        covered += lo <= 0 <= hi
    assert 0.93 <= covered / sims <= 0.97


def test_whole_classes_without_effect_rarely_get_a_verdict():
    # through the entry point; a claim rate of 5% allows up to 3 of 20 (old code: 37% at ICC 0.20)
    r = null_rates("3v3", 0.20, 20, seed=2026)
    assert r["positief"] + r["negatief"] <= 3 / 20
    one = null_rates("1v1", 0.20, 5, seed=2026)
    assert one["verdicts"] == {"niet te scheiden": 5}  # one class against one: never a claim


def test_school_wide_cohorts_run_through_the_entry_point_with_an_interval():
    r = null_rates("cohort", 0.10, 5, seed=2026)
    assert r["with_ci"] == 5 and r["positief"] + r["negatief"] <= 1 / 5
