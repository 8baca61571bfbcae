"""The mean of a sample with its t interval (scipy), for tables and figures."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["mean_ci"]


def mean_ci(values, confidence: float = 0.95) -> tuple[float, float, float]:
    """``(mean, low, high)`` of ``values`` (NaN ignored) with the one-sample t interval.

    No values: three NaN; one value: the value and NaN bounds.
    """
    v = np.asarray(values, dtype="float64")
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return math.nan, math.nan, math.nan
    m = float(v.mean())
    if len(v) < 2:
        return m, math.nan, math.nan
    lo, hi = stats.t.interval(confidence, len(v) - 1, loc=m, scale=stats.sem(v))
    return m, float(lo), float(hi)
