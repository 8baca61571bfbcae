"""Effect sizes, their confidence intervals, power and the minimum detectable effect.

One public function per statistic (pingouin style): arrays in, a float or a small
tuple out.  Every docstring gives the formula (*Notes*), the source (*References*)
and a doctest that runs (*Examples*).

Sign convention used throughout plgdata: the **first** argument is the treatment
(intervention, this cohort), the second the comparison.  A positive effect means
the first group scored higher.

Statistics that are resampled by :func:`bootstrap_ci` have vectorised private
twins (``_g_stat`` ...) taking an ``axis`` argument.
"""

from __future__ import annotations

import functools
import inspect
import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from plgdata.analysis.policy import KRAFT_LARGE, KRAFT_MEDIUM

__all__ = [
    "hedges_correction",
    "cohens_d",
    "hedges_g",
    "g_ci_nct",
    "g_ci_normal",
    "glass_delta",
    "cohens_dz",
    "cohens_dav",
    "morris_dppc2",
    "morris_dppc2_ci",
    "cliffs_delta",
    "BootstrapResult",
    "bootstrap_ci",
    "power",
    "minimum_detectable_effect",
    "minimum_detectable_effect_paired",
    "power_multiplier",
    "kraft_label",
]


def _as_array(x) -> np.ndarray:
    a = np.asarray(x, dtype=float).ravel()
    return a[~np.isnan(a)]


# ---------------------------------------------------------------------------
# Small-sample correction
# ---------------------------------------------------------------------------


def hedges_correction(df: float) -> float:
    """Exact small-sample bias correction factor J(df) of Hedges (1981).

    Parameters
    ----------
    df : float
        Degrees of freedom of the standardiser (``n1 + n2 - 2`` for two groups).

    Returns
    -------
    J : float
        Multiply Cohen's d by J to get the (nearly) unbiased Hedges' g.  ``nan``
        when ``df <= 1``.

    Notes
    -----
    .. math:: J(\\nu) = \\frac{\\Gamma(\\nu/2)}{\\sqrt{\\nu/2}\\,\\Gamma((\\nu-1)/2)}

    computed with :func:`scipy.special.gammaln` so large ``df`` do not overflow.
    The familiar approximation :math:`1 - 3/(4\\nu - 1)` (used by pingouin)
    differs from the exact value in the 4th decimal for small groups.

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size
    and related estimators. *Journal of Educational Statistics*, 6(2), 107–128.

    Examples
    --------
    >>> round(hedges_correction(18), 6)
    0.957646
    >>> round(1 - 3 / (4 * 18 - 1), 6)
    0.957746
    """
    df = float(df)
    if not df > 1:
        return float("nan")
    return float(math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2))


# ---------------------------------------------------------------------------
# Two independent groups
# ---------------------------------------------------------------------------


def _pooled_sd(x: np.ndarray, y: np.ndarray, axis=-1) -> np.ndarray:
    nx, ny = x.shape[axis], y.shape[axis]
    vx = np.var(x, axis=axis, ddof=1)
    vy = np.var(y, axis=axis, ddof=1)
    return np.sqrt(((nx - 1) * vx + (ny - 1) * vy) / (nx + ny - 2))


def _d_stat(x, y, axis=-1):
    return (np.mean(x, axis=axis) - np.mean(y, axis=axis)) / _pooled_sd(x, y, axis=axis)


def _g_stat(x, y, axis=-1):
    nx, ny = np.shape(x)[axis], np.shape(y)[axis]
    return hedges_correction(nx + ny - 2) * _d_stat(x, y, axis=axis)


def cohens_d(x, y) -> float:
    """Cohen's d for two independent groups (pooled standard deviation).

    Parameters
    ----------
    x, y : array_like
        Scores of the treatment group and of the comparison group (NaN dropped).

    Returns
    -------
    d : float
        Positive when ``x`` scored higher.

    Notes
    -----
    .. math:: d_s = \\frac{\\bar x - \\bar y}{s_p}, \\quad
              s_p = \\sqrt{\\frac{(n_x-1)s_x^2 + (n_y-1)s_y^2}{n_x+n_y-2}}

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate
    cumulative science. *Frontiers in Psychology*, 4, 863.

    Examples
    --------
    >>> round(cohens_d([9, 7, 8, 9, 8, 9, 9, 10, 9, 9], [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]), 4)
    1.1259
    """
    x, y = _as_array(x), _as_array(y)
    if len(x) < 2 or len(y) < 2:
        return float("nan")
    return float(_d_stat(x, y))


def hedges_g(x, y) -> float:
    """Hedges' g: Cohen's d times the exact small-sample correction J(n_x + n_y − 2).

    Parameters
    ----------
    x, y : array_like
        Treatment and comparison scores.

    Returns
    -------
    g : float

    Notes
    -----
    .. math:: g = J(n_x + n_y - 2)\\, d_s

    with J from :func:`hedges_correction` (exact gamma form, not the
    :math:`1 - 3/(4\\,df - 1)` approximation).  Its confidence interval:
    :func:`g_ci_nct` (exact, noncentral t) or :func:`g_ci_normal` (large-sample).

    References
    ----------
    Hedges, L. V., & Olkin, I. (1985). *Statistical methods for meta-analysis*.
    Academic Press.

    Examples
    --------
    Cumming (2012), Table 11.1:

    >>> control = [34, 54, 33, 44, 45, 53, 37, 26, 38, 58]
    >>> experimental = [66, 38, 35, 55, 48, 39, 65, 32, 57, 41]
    >>> round(hedges_g(experimental, control), 5)
    0.45048
    """
    x, y = _as_array(x), _as_array(y)
    if len(x) < 2 or len(y) < 2:
        return float("nan")
    return float(_g_stat(x, y))


def _nct_cdf(df: float, ncp: float, t: float) -> float:
    """Noncentral-t cdf at ``t``; far in the tails scipy returns NaN: then 0 or 1 (the side it lies on)."""
    v = float(special.nctdtr(df, ncp, t))  # = stats.nct.cdf, faster
    if np.isnan(v):
        return 0.0 if ncp > t else 1.0
    return v


def _ncp_bounds(t: float, df: float, confidence: float) -> tuple[float, float]:
    """Noncentrality parameters whose noncentral-t puts ``t`` at the upper/lower tail."""
    a = (1 - confidence) / 2

    def root(target):
        f = lambda ncp: _nct_cdf(df, ncp, t) - target
        lo, hi = t - 4.0, t + 4.0
        step = 4.0
        while f(lo) < 0:  # cdf decreases in ncp: need f(lo) > 0
            lo -= step
            step *= 2
        step = 4.0
        while f(hi) > 0:
            hi += step
            step *= 2
        return optimize.brentq(f, lo, hi, xtol=1e-10)

    return root(1 - a), root(a)


def g_ci_nct_checked(g: float, n1: int, n2: int, confidence: float = 0.95, corrected: bool = True) -> tuple[float, float, bool]:
    """:func:`g_ci_nct` plus whether the exact interval could be computed.

    Returns ``(low, high, exact)``.  When the noncentral-t root cannot be found
    (extreme t with very few pupils), the large-sample interval of
    :func:`g_ci_normal` is returned with ``exact=False`` so the caller can say so.
    """
    nan = float("nan")
    if not (n1 >= 2 and n2 >= 2) or not np.isfinite(g):
        return (nan, nan, True)
    df = n1 + n2 - 2
    d = g / hedges_correction(df) if corrected else g
    scale = math.sqrt(n1 * n2 / (n1 + n2))
    try:
        lo, hi = _ncp_bounds(d * scale, df, confidence)
    except (ValueError, RuntimeError, OverflowError):
        lo, hi = g_ci_normal(g, n1, n2, confidence)
        return (lo, hi, False)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        lo, hi = g_ci_normal(g, n1, n2, confidence)
        return (lo, hi, False)
    return (float(lo / scale), float(hi / scale), True)


def g_ci_nct(g: float, n1: int, n2: int, confidence: float = 0.95, corrected: bool = True) -> tuple[float, float]:
    """Exact confidence interval of the standardised mean difference δ (noncentral t).

    Parameters
    ----------
    g : float
        Hedges' g (``corrected=True``) or Cohen's d (``corrected=False``).
    n1, n2 : int
        Group sizes.
    confidence : float
        Confidence level, default 0.95.
    corrected : bool
        Whether ``g`` carries the J correction (it is removed to recover t).

    Returns
    -------
    (low, high) : tuple of float

    Notes
    -----
    With :math:`t = d\\sqrt{n_1 n_2/(n_1+n_2)}` and :math:`\\nu = n_1+n_2-2`, find
    the noncentrality parameters :math:`\\lambda_L, \\lambda_U` with
    :math:`F_{t'}(t;\\nu,\\lambda_L) = 1-\\alpha/2` and
    :math:`F_{t'}(t;\\nu,\\lambda_U) = \\alpha/2` (root finding with
    :func:`scipy.optimize.brentq` on :func:`scipy.stats.nct.cdf`) and return
    :math:`\\lambda\\sqrt{(n_1+n_2)/(n_1 n_2)}`.  This interval is exact for the
    population δ, so J is not applied to its bounds; g lies slightly off-centre.
    Far in the tails scipy's cdf is NaN; it is then taken as 0 or 1, and when no
    root can be found the large-sample interval is returned (see
    :func:`g_ci_nct_checked`, which also says whether that happened).

    References
    ----------
    Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation and
    the evaluation of statistical models. In *What if there were no significance
    tests?* (pp. 221–257). Erlbaum.
    Cumming, G. (2012). *Understanding the new statistics*, ch. 11. Routledge.

    Examples
    --------
    >>> lo, hi = g_ci_nct(0.4704, 10, 10, corrected=False)
    >>> round(lo, 2), round(hi, 2)
    (-0.43, 1.35)
    """
    lo, hi, _ = g_ci_nct_checked(g, n1, n2, confidence, corrected)
    return (lo, hi)


def g_ci_normal(g: float, n1: int, n2: int, confidence: float = 0.95) -> tuple[float, float]:
    """Large-sample (normal) confidence interval of Hedges' g.

    Notes
    -----
    .. math:: SE(g) = \\sqrt{\\frac{n_1+n_2}{n_1 n_2} + \\frac{g^2}{2(n_1+n_2)}},
              \\quad g \\pm z_{1-\\alpha/2} SE

    A fallback for when the noncentral t is not wanted (e.g. very large n).

    References
    ----------
    Borenstein, M., Hedges, L. V., Higgins, J. P. T., & Rothstein, H. R. (2009).
    *Introduction to meta-analysis*, eq. 4.20. Wiley.

    Examples
    --------
    >>> [round(v, 3) for v in g_ci_normal(0.5, 20, 20)]
    [-0.129, 1.129]
    """
    if not (n1 >= 2 and n2 >= 2) or not np.isfinite(g):
        return (float("nan"), float("nan"))
    se = math.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    return (float(g - z * se), float(g + z * se))


def glass_delta(x, y, control: str = "y") -> float:
    """Glass's Δ: the mean difference in units of the comparison group's SD.

    Parameters
    ----------
    x, y : array_like
        Treatment and comparison scores.
    control : {"y", "x"}
        Which group's SD standardises (default the comparison group ``y``).

    Returns
    -------
    delta : float

    Notes
    -----
    .. math:: \\Delta = \\frac{\\bar x - \\bar y}{s_{control}}

    Preferred over g when the intervention changed the spread of scores.

    References
    ----------
    Glass, G. V., McGaw, B., & Smith, M. L. (1981). *Meta-analysis in social
    research*. Sage.

    Examples
    --------
    >>> round(glass_delta([3, 4, 5], [1, 2, 3]), 3)
    2.0
    """
    x, y = _as_array(x), _as_array(y)
    if control not in ("x", "y"):
        raise ValueError("control moet 'x' of 'y' zijn")
    ref = y if control == "y" else x
    if len(ref) < 2 or len(x) == 0 or len(y) == 0:
        return float("nan")
    return float((x.mean() - y.mean()) / ref.std(ddof=1))


# ---------------------------------------------------------------------------
# One group, pre and post (paired)
# ---------------------------------------------------------------------------


def cohens_dz(pre, post, correct: bool = False) -> float:
    """d_z: mean gain divided by the SD of the gains (paired design).

    Parameters
    ----------
    pre, post : array_like
        Paired scores of the same pupils (pairs with a NaN are dropped).
    correct : bool
        Multiply by J(n − 1) (gives g_z).

    Notes
    -----
    .. math:: d_z = \\frac{\\overline{post - pre}}{s_{post-pre}} = \\frac{t}{\\sqrt n}

    d_z depends on the pre–post correlation, so it is not comparable with a
    between-groups d; use :func:`cohens_dav` for that.

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate
    cumulative science. *Frontiers in Psychology*, 4, 863.

    Examples
    --------
    >>> round(cohens_dz([9, 6, 7, 8, 7, 9, 8, 8, 8, 7], [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]), 2)
    1.5
    """
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    ok = ~(np.isnan(pre) | np.isnan(post))
    diff = post[ok] - pre[ok]
    if len(diff) < 2 or not diff.std(ddof=1) > 0:
        return float("nan")
    dz = diff.mean() / diff.std(ddof=1)
    return float(dz * hedges_correction(len(diff) - 1)) if correct else float(dz)


def cohens_dav(pre, post, correct: bool = False) -> float:
    """d_av: mean gain divided by the average of the pre and post SDs (paired design).

    Parameters
    ----------
    pre, post : array_like
        Paired scores of the same pupils.
    correct : bool
        Multiply by J(2(n − 1)) (gives Lakens' g_av; the averaged standardiser
        pools two SDs, so Lakens (2013) uses the two-group degrees of freedom).

    Notes
    -----
    .. math:: d_{av} = \\frac{\\overline{post} - \\overline{pre}}{(s_{pre} + s_{post})/2}

    Comparable with a between-groups d (it ignores the pre–post correlation).

    References
    ----------
    Cumming, G. (2012). *Understanding the new statistics*. Routledge.
    Lakens, D. (2013), *Frontiers in Psychology*, 4, 863.

    Examples
    --------
    >>> round(cohens_dav([9, 6, 7, 8, 7, 9, 8, 8, 8, 7], [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]), 2)
    1.13
    """
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    ok = ~(np.isnan(pre) | np.isnan(post))
    pre, post = pre[ok], post[ok]
    if len(pre) < 2:
        return float("nan")
    dav = (post.mean() - pre.mean()) / ((pre.std(ddof=1) + post.std(ddof=1)) / 2)
    return float(dav * hedges_correction(2 * (len(pre) - 1))) if correct else float(dav)


# ---------------------------------------------------------------------------
# Pre/post with a control group: Morris (2008)
# ---------------------------------------------------------------------------


def _paired(pre, post):
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    ok = ~(np.isnan(pre) | np.isnan(post))
    return pre[ok], post[ok]


def morris_dppc2(pre_t, post_t, pre_c, post_c) -> float:
    """Morris's d_ppc2: difference in mean gains over the pooled pretest SD.

    Parameters
    ----------
    pre_t, post_t : array_like
        Pre and post scores of the treatment group (paired by position).
    pre_c, post_c : array_like
        Pre and post scores of the control group.

    Returns
    -------
    d_ppc2 : float

    Notes
    -----
    .. math:: d_{ppc2} = J(n_T+n_C-2)\\,
              \\frac{(\\bar M_{post,T} - \\bar M_{pre,T}) - (\\bar M_{post,C} - \\bar M_{pre,C})}
                    {SD_{pre,pooled}}

    the standardised gain-score difference (= difference-in-differences).
    Morris used the approximate J; plgdata uses the exact J of
    :func:`hedges_correction`.  Variance and CI: :func:`morris_dppc2_ci`.

    References
    ----------
    Morris, S. B. (2008). Estimating effect sizes from pretest-posttest-control
    group designs. *Organizational Research Methods*, 11(2), 364–386.

    Examples
    --------
    >>> round(morris_dppc2([10, 12, 14], [14, 16, 18], [10, 12, 14], [11, 13, 15]), 4)
    1.1968
    """
    pre_t, post_t = _paired(pre_t, post_t)
    pre_c, post_c = _paired(pre_c, post_c)
    n_t, n_c = len(pre_t), len(pre_c)
    if n_t < 2 or n_c < 2:
        return float("nan")
    sd_pre = float(_pooled_sd(pre_t, pre_c))
    diff = (post_t.mean() - pre_t.mean()) - (post_c.mean() - pre_c.mean())
    return float(hedges_correction(n_t + n_c - 2) * diff / sd_pre)


def morris_dppc2_ci(pre_t, post_t, pre_c, post_c, confidence: float = 0.95) -> tuple[float, float, float]:
    """d_ppc2 with its large-sample confidence interval (Morris 2008, eq. 25).

    Returns
    -------
    (d_ppc2, low, high) : tuple of float

    Notes
    -----
    With ρ the pooled within-group pre–post correlation, :math:`N = n_T + n_C`:

    .. math:: \\sigma^2(d_{ppc2}) = 2J^2(1-\\rho)\\frac{N}{n_T n_C}\\frac{N-2}{N-4}
              \\left(1 + \\frac{d^2}{2(1-\\rho) N/(n_T n_C)}\\right) - d^2

    and the interval :math:`d \\pm z_{1-\\alpha/2}\\,\\sigma`.

    References
    ----------
    Morris, S. B. (2008). *Organizational Research Methods*, 11(2), 364–386.

    Examples
    --------
    >>> d, lo, hi = morris_dppc2_ci([10, 12, 14, 11], [14, 16, 18, 15], [10, 12, 14, 13], [11, 13, 15, 14])
    >>> lo < d < hi
    True
    """
    d = morris_dppc2(pre_t, post_t, pre_c, post_c)
    pre_t, post_t = _paired(pre_t, post_t)
    pre_c, post_c = _paired(pre_c, post_c)
    n_t, n_c = len(pre_t), len(pre_c)
    n = n_t + n_c
    if not np.isfinite(d) or n <= 4:
        return (d, float("nan"), float("nan"))
    sxy = np.sum((pre_t - pre_t.mean()) * (post_t - post_t.mean())) + np.sum((pre_c - pre_c.mean()) * (post_c - post_c.mean()))
    sxx = np.sum((pre_t - pre_t.mean()) ** 2) + np.sum((pre_c - pre_c.mean()) ** 2)
    syy = np.sum((post_t - post_t.mean()) ** 2) + np.sum((post_c - post_c.mean()) ** 2)
    rho = float(sxy / math.sqrt(sxx * syy)) if sxx > 0 and syy > 0 else 0.0
    rho = min(rho, 0.999)
    j = hedges_correction(n - 2)
    k = n / (n_t * n_c)
    var = 2 * j**2 * (1 - rho) * k * ((n - 2) / (n - 4)) * (1 + d**2 / (2 * (1 - rho) * k)) - d**2
    se = math.sqrt(max(var, 0.0))
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    return (d, float(d - z * se), float(d + z * se))


# ---------------------------------------------------------------------------
# Non-parametric
# ---------------------------------------------------------------------------


def cliffs_delta(x, y) -> float:
    """Cliff's δ: P(X > Y) − P(X < Y) over all pairs (x from the first group).

    Parameters
    ----------
    x, y : array_like
        Treatment and comparison scores.

    Returns
    -------
    delta : float in [−1, 1]
        Positive when values of ``x`` tend to be larger than values of ``y``.

    Notes
    -----
    .. math:: \\delta = \\frac{\\#(x_i > y_j) - \\#(x_i < y_j)}{n_x n_y}
              = \\frac{2U_x}{n_x n_y} - 1

    with :math:`U_x` the Mann–Whitney U of ``x`` (ties count ½), computed by
    ranking (O(n log n)).  Direction: ``cliffs_delta(x, y) == -cliffs_delta(y, x)``.

    References
    ----------
    Cliff, N. (1993). Dominance statistics: Ordinal analyses to answer ordinal
    questions. *Psychological Bulletin*, 114(3), 494–509.

    Examples
    --------
    >>> control = [1, 2, 3, 4, 4, 5]
    >>> test = [1, 1, 2, 2, 2, 3, 3, 3, 4, 5]
    >>> cliffs_delta(test, control)
    -0.25
    """
    x, y = _as_array(x), _as_array(y)
    nx, ny = len(x), len(y)
    if nx == 0 or ny == 0:
        return float("nan")
    ranks = stats.rankdata(np.concatenate([x, y]))
    u_x = ranks[:nx].sum() - nx * (nx + 1) / 2
    return float(2 * u_x / (nx * ny) - 1)


# ---------------------------------------------------------------------------
# Bootstrap
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """A bootstrap confidence interval with its distribution (for the estimation plot)."""

    ci_low: float
    ci_high: float
    distribution: np.ndarray
    method: str
    n_resamples: int
    seed: int

    def __eq__(self, other) -> bool:  # NaN-aware, array-aware equality
        if not isinstance(other, BootstrapResult):
            return NotImplemented
        return (
            _same(self.ci_low, other.ci_low)
            and _same(self.ci_high, other.ci_high)
            and self.method == other.method
            and self.n_resamples == other.n_resamples
            and self.seed == other.seed
            and np.array_equal(self.distribution, other.distribution, equal_nan=True)
        )

    __hash__ = None  # type: ignore[assignment]


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


#: above this total n the BCa jackknife (O(n^2)) is replaced by the percentile method
#: (with thousands of pupils the two intervals agree to the printed decimals)
BCA_MAX_N = 5_000
#: cap on elements per vectorised bootstrap batch (memory)
_BATCH_ELEMENTS = 4_000_000


def bootstrap_ci(
    func, samples, n_resamples: int = 2000, seed: int = 2026, method: str = "BCa", confidence: float = 0.95
) -> BootstrapResult:
    """Seeded bootstrap confidence interval of any statistic (wraps :func:`scipy.stats.bootstrap`).

    Parameters
    ----------
    func : callable
        ``func(*samples, axis=-1)`` (vectorised, preferred) or ``func(*samples)``.
    samples : sequence of array_like
        One array per independent group; each is resampled with replacement
        within itself (a stratified bootstrap).
    n_resamples : int
        Number of resamples, default 2000.
    seed : int
        Seed of :func:`numpy.random.default_rng`: the same input gives the same
        interval and distribution to the last digit.
    method : {"BCa", "percentile", "basic"}
        Interval method.  BCa (bias-corrected and accelerated) is used unless the
        total n exceeds :data:`BCA_MAX_N` (its jackknife costs O(n²)); then the
        percentile method is used and ``result.method`` says so.  When BCa is
        undefined (e.g. all values equal) the percentile interval is returned.
    confidence : float
        Default 0.95.

    Returns
    -------
    BootstrapResult
        ``ci_low``, ``ci_high``, ``distribution`` (the ``n_resamples`` bootstrap
        values, read-only), ``method``, ``n_resamples``, ``seed``.

    Notes
    -----
    The BCa interval takes the percentiles
    :math:`\\Phi\\left(z_0 + \\frac{z_0 + z_\\alpha}{1 - a(z_0 + z_\\alpha)}\\right)`
    of the bootstrap distribution, with bias correction :math:`z_0` and
    acceleration :math:`a` from the jackknife.  To bootstrap a statistic of paired
    columns (ANCOVA, gains), pass index arrays as samples and look the values up
    inside ``func``.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An introduction to the bootstrap*,
    ch. 14. Chapman & Hall.

    Examples
    --------
    >>> res = bootstrap_ci(lambda x, axis=-1: x.mean(axis=axis), [[1.0, 2, 3, 4, 5, 6]], n_resamples=500, seed=1)
    >>> res.ci_low < 3.5 < res.ci_high, res.distribution.shape
    (True, (500,))
    """
    data = tuple(np.asarray(s) for s in samples)
    total_n = int(sum(len(s) for s in data))
    used = "percentile" if method == "BCa" and total_n > BCA_MAX_N else method
    res = _scipy_bootstrap(func, data, n_resamples, seed, used, confidence)
    lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    dist = np.asarray(res.bootstrap_distribution, dtype=float)
    if used == "BCa" and not (np.isfinite(lo) and np.isfinite(hi)):
        finite = dist[np.isfinite(dist)]
        if len(finite):
            a = (1 - confidence) / 2
            lo, hi = float(np.quantile(finite, a)), float(np.quantile(finite, 1 - a))
        used = "percentile"
    dist = dist.copy()
    dist.setflags(write=False)
    return BootstrapResult(lo, hi, dist, used, int(n_resamples), int(seed))


def _scipy_bootstrap(func, data, n_resamples: int, seed: int, method: str, confidence: float):
    """:func:`scipy.stats.bootstrap`, stratified, batched so memory stays bounded."""
    total_n = int(sum(len(s) for s in data))
    try:
        vectorized = "axis" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        vectorized = False
    batch = max(1, min(n_resamples, _BATCH_ELEMENTS // max(total_n, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return stats.bootstrap(
            data,
            func,
            n_resamples=n_resamples,
            batch=batch,
            vectorized=vectorized,
            paired=False,
            axis=-1,
            confidence_level=confidence,
            method=method,
            rng=np.random.default_rng(seed),
        )


# ---------------------------------------------------------------------------
# Power and minimum detectable effect
# ---------------------------------------------------------------------------


def power(d: float, n1: int, n2: int, alpha: float = 0.05) -> float:
    """Power of a two-sided independent-samples t-test (statsmodels ``TTestIndPower``).

    Parameters
    ----------
    d : float
        True standardised difference δ.
    n1, n2 : int
        Group sizes.
    alpha : float
        Two-sided significance level.

    Notes
    -----
    Power :math:`= P(|T'| > t_{1-\\alpha/2,\\nu})` with :math:`T'` noncentral t,
    :math:`\\nu = n_1+n_2-2`, :math:`\\lambda = d\\sqrt{n_1 n_2/(n_1+n_2)}`.

    References
    ----------
    Cohen, J. (1988). *Statistical power analysis for the behavioral sciences*
    (2nd ed.). Erlbaum.

    Examples
    --------
    >>> round(power(0.5, 20, 20), 6)
    0.337939
    """
    from statsmodels.stats.power import TTestIndPower

    return float(TTestIndPower().power(effect_size=d, nobs1=n1, alpha=alpha, ratio=n2 / n1, alternative="two-sided"))


def minimum_detectable_effect(n1: int, n2: int, alpha: float = 0.05, power: float = 0.80) -> float:
    """Minimum detectable effect (in SD units) of a two-group comparison.

    The smallest true δ that a two-sided t-test with these group sizes detects
    with the given power.

    Parameters
    ----------
    n1, n2 : int
        Group sizes (``nan`` when either is below 2).
    alpha : float
        Two-sided significance level.
    power : float
        Desired power, default 0.80.

    Notes
    -----
    Solves :func:`power` ``(δ, n1, n2, α) = 1 − β`` for δ: the noncentrality
    of :func:`power_multiplier` times :math:`\\sqrt{1/n_1 + 1/n_2}` (the same
    root ``TTestIndPower.solve_power`` looks for, but a float for every n).  With equal groups and power .80: about
    2.0 at n = 5, 0.91 at n = 20, 0.74 at n = 30 per group.

    References
    ----------
    Bloom, H. S. (1995). Minimum detectable effects: A simple way to report the
    statistical power of experimental designs. *Evaluation Review*, 19(5), 547–556.

    Examples
    --------
    >>> round(minimum_detectable_effect(20, 20), 3)
    0.909
    """
    if n1 < 2 or n2 < 2:
        return float("nan")
    return _mde_cached(int(n1), int(n2), float(alpha), float(power))


def _power_of_ncp(ncp: float, df: float, alpha: float) -> float:
    """Power of a two-sided t-test with ``df`` degrees of freedom at noncentrality ``ncp``."""
    tc = float(stats.t.ppf(1 - alpha / 2, df))
    return (1.0 - _nct_cdf(df, ncp, tc)) + _nct_cdf(df, ncp, -tc)


@functools.lru_cache(maxsize=4096)
def power_multiplier(df: float, alpha: float = 0.05, power: float = 0.80) -> float:
    """Noncentrality at which a two-sided t-test with ``df`` degrees of freedom has this power.

    The minimum detectable effect is this multiplier times the standard error of
    the effect size (Bloom 1995): about 2.80 for large ``df``, α = .05, power .80.
    Solved with :func:`scipy.optimize.brentq` on the noncentral-t power (so it is
    a plain float for every ``df``, unlike ``TTestIndPower.solve_power``).

    Examples
    --------
    >>> round(power_multiplier(10**7), 3)
    2.802
    """
    if not df > 0:
        return float("nan")
    f = lambda nc: _power_of_ncp(nc, df, alpha) - power
    hi = float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) + 1.0
    while f(hi) < 0:
        hi *= 2
    return float(optimize.brentq(f, 0.0, hi, xtol=1e-12))


def _mde_cached(n1: int, n2: int, alpha: float, power: float) -> float:
    return power_multiplier(float(n1 + n2 - 2), alpha, power) * math.sqrt(1 / n1 + 1 / n2)


def minimum_detectable_effect_paired(n: int, alpha: float = 0.05, power: float = 0.80) -> float:
    """Minimum detectable effect (d_z units) of a one-group pre/post t-test.

    Notes
    -----
    Solves the power of the one-sample t-test on the gains for the effect size:
    :func:`power_multiplier` (df = n − 1) divided by √n.

    References
    ----------
    Cohen, J. (1988). *Statistical power analysis for the behavioral sciences*.

    Examples
    --------
    >>> round(minimum_detectable_effect_paired(20), 2)
    0.66
    """
    if n < 2:
        return float("nan")
    return _mde_paired_cached(int(n), float(alpha), float(power))


def _mde_paired_cached(n: int, alpha: float, power: float) -> float:
    return power_multiplier(float(n - 1), alpha, power) / math.sqrt(n)


# ---------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------


def kraft_label(effect: float) -> str:
    """Dutch size label of an effect in SD units after Kraft (2020).

    Notes
    -----
    Kraft's benchmarks for education interventions (about 750 RCTs, median 0.10):
    :math:`|g| < 0.05` klein, :math:`0.05 \\le |g| < 0.20` middelgroot,
    :math:`|g| \\ge 0.20` groot.  Hattie's 0.40 "hinge point" is deliberately not
    used: it averages mostly uncontrolled pre/post gains (which include normal
    growth) and does not hold for small groups or for gains without comparison.

    References
    ----------
    Kraft, M. A. (2020). Interpreting effect sizes of education interventions.
    *Educational Researcher*, 49(4), 241–253.

    Examples
    --------
    >>> kraft_label(0.03), kraft_label(-0.12), kraft_label(0.2)
    ('klein', 'middelgroot', 'groot')
    """
    if effect is None or not np.isfinite(effect):
        return "onbekend"
    a = abs(effect)
    if a < KRAFT_MEDIUM:
        return "klein"
    if a < KRAFT_LARGE:
        return "middelgroot"
    return "groot"
