"""When whole classes (or whole groepen per school year) were assigned, the assigned unit is the unit.

Pupils in one class share a teacher, a timetable and each other: their gains are
correlated (class ICCs for achievement gains 0.07–0.21, Nye, Konstantopoulos & Hedges
2004).  A pupil-level interval then pretends to have many independent observations
where there are only a few classes, and a teacher difference passes for an effect
(audit: one class against one class with ICC 0.20, 'positief' or 'negatief' in 27%
of data sets without any effect).  :func:`cluster_difference` estimates the
difference between the arms from **adjusted unit means** with the degrees of freedom
of the units.

Method (two-stage analysis of a group-randomised design)
---------------------------------------------------------
1. With a pretest :math:`x`: the pooled *within-unit* slope
   :math:`b_w = \\sum (x - \\bar x_k)(y - \\bar y_k) / \\sum (x - \\bar x_k)^2` and the
   adjusted outcome :math:`y^{adj} = y - b_w (x - \\bar x)` (ANCOVA adjustment at the
   pupil level; it uses no unit-level degrees of freedom).
2. The mean :math:`m_k` of :math:`y^{adj}` per unit :math:`k`.
3. OLS of the unit means on the arm (and on block dummies such as groep, when the
   units are groep × school year): :math:`m_k = a + \\Delta T_k (+ \\gamma_{blok})`.
   :math:`\\Delta` gets a t interval with :math:`K - 2` degrees of freedom (:math:`K - 1 -
   B'` with :math:`B'` block dummies), so the spread *between* units decides.
4. :math:`\\Delta` is divided by the pupil-level pooled standard deviation of the
   outcome within the arms (within arm × block when there are blocks, so groepen on
   one vertical scale do not inflate it) — the total-variance effect size
   :math:`\\delta_T` of Hedges 2007, without the small-sample correction — so the
   verdict's words (Kraft) apply; the interval is divided by the same number.

With one unit in an arm :math:`K - 2 = 0`: no interval exists and the unit (teacher,
year) cannot be separated from the intervention.  Null simulations in
``benchmarks/bench_null.py`` (1, 2 and 3 classes per arm, ICC 0.05–0.20; school-wide
cohorts with a groep × year effect) give coverage 94–96%.

References
----------
Raudenbush, S. W., & Bryk, A. S. (2002). *Hierarchical Linear Models* (2nd ed.),
ch. 5 (the between-unit model for unit means).
Murray, D. M. (1998). *Design and Analysis of Group-Randomized Trials*. Oxford
University Press, ch. 6 (two-stage analysis, adjusted unit means, df = K − 2).
Hedges, L. V. (2007). Effect sizes in cluster-randomized designs. *Journal of
Educational and Behavioral Statistics*, 32(4), 341–370.
What Works Clearinghouse (2022). *Procedures and Standards Handbook*, v5.0
(clustering correction; the unit of assignment is the unit of analysis).
Nye, B., Konstantopoulos, S., & Hedges, L. V. (2004). How large are teacher effects?
*Educational Evaluation and Policy Analysis*, 26(3), 237–257.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["ClusterEstimate", "cluster_difference"]

NAN = float("nan")


@dataclass(frozen=True)
class ClusterEstimate:
    """The difference between the arms with the assigned units as the unit (plain values).

    ``difference`` is in outcome units, ``g`` in pupil SDs; ``df`` is ``K − 2`` (or
    ``K − 1 − blocks``); ``units`` holds one ``(unit, arm, n, adjusted mean)`` per unit
    (arm 1 = treatment).  ``slope`` is the within-unit slope on the pretest (NaN
    without one).
    """

    k_treatment: int
    k_control: int
    df: int
    difference: float
    ci: tuple[float, float]
    se: float
    slope: float
    sd: float
    g: float
    g_ci: tuple[float, float]
    units: tuple[tuple[str, int, int, float], ...]


def _within_slope(y: np.ndarray, x: np.ndarray, codes: np.ndarray) -> float:
    k = codes.max() + 1
    n = np.bincount(codes, minlength=k)
    mx = np.bincount(codes, weights=x, minlength=k) / np.maximum(n, 1)
    my = np.bincount(codes, weights=y, minlength=k) / np.maximum(n, 1)
    dx, dy = x - mx[codes], y - my[codes]
    sxx = float(dx @ dx)
    return float(dx @ dy) / sxx if sxx > 0 else NAN


def _pooled_sd(y: np.ndarray, groups: np.ndarray) -> float:
    """Pooled within-group SD (groups: arm, or arm × block); NaN without two pupils in two groups."""
    k = int(groups.max()) + 1
    n = np.bincount(groups, minlength=k)
    if (n >= 2).sum() < 2:
        return NAN
    m = np.bincount(groups, weights=y, minlength=k) / np.maximum(n, 1)
    ss = float(((y - m[groups]) ** 2).sum())
    return math.sqrt(ss / (len(y) - (n > 0).sum()))


def _arm_coefficient(X: np.ndarray, means: np.ndarray, df: int, alpha: float) -> tuple[float, float, float, float]:
    """OLS coefficient of the arm (column 1) on the unit means: estimate, SE and t interval (NaN when df < 1)."""
    beta, *_ = np.linalg.lstsq(X, means, rcond=None)
    diff = float(beta[1])
    if df < 1:
        return diff, NAN, NAN, NAN
    resid = means - X @ beta
    se = math.sqrt(max(float(resid @ resid) / df * float(np.linalg.pinv(X.T @ X)[1, 1]), 0.0))
    if se <= 1e-12 * max(1.0, abs(diff)):  # identical unit means: no spread, no interval
        return diff, NAN, NAN, NAN
    q = float(stats.t.ppf(1 - alpha / 2, df))
    return diff, se, diff - q * se, diff + q * se


def cluster_difference(y, treat, unit, x=None, block=None, alpha: float = 0.05) -> ClusterEstimate:
    """Treatment − control difference from adjusted unit means, with the units' degrees of freedom.

    Parameters
    ----------
    y : array_like
        Outcome per pupil (posttest, or a cohort's z).
    treat : array_like of bool
        True for pupils in the treatment arm.
    unit : array_like
        The assigned unit of each pupil (class; groep × school year).  A unit that
        holds pupils of both arms counts as two units.
    x : array_like, optional
        Pretest per pupil; the outcome is adjusted with the pooled within-unit slope.
    block : array_like, optional
        A fixed block of each unit (the groep when units are groep × school year).
    alpha : float
        1 − confidence level.

    Returns
    -------
    ClusterEstimate
        ``df <= 0`` (and NaN interval) when an arm has a single unit or blocks use up
        the degrees of freedom.

    Notes
    -----
    See the module docstring (two-stage analysis; Murray 1998, Raudenbush & Bryk 2002,
    Hedges 2007).

    Examples
    --------
    Two classes per arm, class means 10, 12 (control) and 15, 17 (treatment):

    >>> y = [9, 11, 11, 13, 14, 16, 16, 18]
    >>> t = [False] * 4 + [True] * 4
    >>> u = ["A", "A", "B", "B", "C", "C", "D", "D"]
    >>> est = cluster_difference(y, t, u)
    >>> round(est.difference, 6), est.df, round(est.ci[0], 3), round(est.ci[1], 3)
    (5.0, 2, -1.085, 11.085)
    """
    y = np.asarray(y, dtype=float)
    treat = np.asarray(treat, dtype=bool)
    unit_codes, unit_names = pd.factorize(pd.Series(np.asarray(unit, dtype=object)).astype(str), sort=True)
    pair, codes = np.unique(np.asarray(unit_codes) * 2 + treat, return_inverse=True)  # a unit in both arms: two units
    codes = codes.ravel()
    slope = NAN
    y_adj = y
    if x is not None:
        x = np.asarray(x, dtype=float)
        slope = _within_slope(y, x, codes)
        if np.isfinite(slope):
            y_adj = y - slope * (x - x.mean())
    k = len(pair)
    n = np.bincount(codes, minlength=k)
    means = np.bincount(codes, weights=y_adj, minlength=k) / n
    arm = np.zeros(k, dtype=int)
    arm[codes[treat]] = 1
    cols = [np.ones(k), arm.astype(float)]
    groups = treat.astype(int)
    if block is not None:
        block_codes = np.asarray(pd.factorize(pd.Series(np.asarray(block, dtype=object)).astype(str), sort=True)[0])
        of_unit = np.empty(k, dtype=int)
        of_unit[codes] = block_codes
        cols += [(of_unit == b).astype(float) for b in range(1, int(block_codes.max()) + 1)]
        groups = groups * (int(block_codes.max()) + 1) + block_codes
    X = np.column_stack(cols)
    df = int(k - np.linalg.matrix_rank(X))
    sd = _pooled_sd(y, groups)
    kt, kc = int(arm.sum()), int(k - arm.sum())
    units = tuple((str(unit_names[p // 2]), int(a), int(c), float(m)) for p, a, c, m in zip(pair, arm, n, means))
    if kt == 0 or kc == 0:
        return ClusterEstimate(kt, kc, 0, NAN, (NAN, NAN), NAN, slope, sd, NAN, (NAN, NAN), units)
    diff, se, lo, hi = _arm_coefficient(X, means, df, alpha)
    g = diff / sd if np.isfinite(sd) and sd > 0 else NAN
    g_ci = (lo / sd, hi / sd) if np.isfinite(sd) and sd > 0 else (NAN, NAN)
    return ClusterEstimate(kt, kc, df, diff, (float(lo), float(hi)), se, slope, sd, g, g_ci, units)
