"""Many claims in one report are a family: control the chance of a false "aantoonbaar".

A report that compares 30 groepen and subjects with the norm at 5% each makes on average 1,5
false claims when nothing differs (80% of such reports hold at least one).  Every report that
makes a family of claims (the opbrengstenrapport, the groepsoverzicht, the trendanalyse) lets a
claim stand only when it survives **Holm's** step-down correction over the whole family, and
says so in one Dutch sentence (:func:`family_sentence`).

Holm (1979) controls the family-wise error rate (the chance of even one false claim) at α for
any dependence between the tests, and is uniformly more powerful than Bonferroni.  Benjamini–
Hochberg would control the expected share of false claims instead; a teammeeting reads every
claim as true, so we control the chance of any false one.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["holm_claims", "family_sentence", "normal_p_value", "t_p_value"]


def holm_claims(p_values, alpha: float = 0.05) -> np.ndarray:
    """Which claims stand after Holm's correction over the family (NaN p-values: no claim, not counted).

    Notes
    -----
    Holm's step-down: sort the m p-values, p₍₁₎ ≤ … ≤ p₍ₘ₎; claim i stands while
    p₍ⱼ₎ ≤ α/(m − j + 1) for every j ≤ i.  The same decisions as
    ``statsmodels.stats.multitest.multipletests(p, alpha, method="holm")`` (a test checks it);
    written out because that function runs a full garbage collection on every call, which a
    report with many families and the simulations cannot afford.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65–70.

    Examples
    --------
    >>> holm_claims([0.01, 0.04, 0.03, float("nan")]).tolist()
    [True, False, False, False]
    """
    p = np.asarray(p_values, dtype="float64")
    out = np.zeros(len(p), dtype=bool)
    idx = np.flatnonzero(np.isfinite(p))
    if len(idx):
        order = idx[np.argsort(p[idx], kind="stable")]
        m = len(order)
        ok = p[order] <= alpha / (m - np.arange(m))
        n_claims = m if ok.all() else int(np.argmin(ok))
        out[order[:n_claims]] = True
    return out


def family_sentence(m: int, what: str) -> str:
    """The one Dutch sentence that says how many comparisons a report made.

    >>> family_sentence(30, "groep en vak met de landelijke norm")
    'We maakten 30 vergelijkingen (groep en vak met de landelijke norm); een verschil heet pas aantoonbaar als het ook na de Holm-correctie voor 30 vergelijkingen overeind blijft, zodat de kans op één of meer toevalstreffers in het hele rapport hoogstens 5% is.'
    """
    word = "vergelijking" if m == 1 else "vergelijkingen"
    return (
        f"We maakten {m} {word} ({what}); een verschil heet pas aantoonbaar als het ook na de Holm-correctie "
        f"voor {m} {word} overeind blijft, zodat de kans op één of meer toevalstreffers in het hele rapport "
        "hoogstens 5% is."
    )


def t_p_value(mean, low, high, n, confidence: float = 0.95):
    """Two-sided p-value of "mean = 0" from a one-sample t interval (``mean ± t·se``, n − 1 df).

    Scalars or arrays (one p per row of a report's table); NaN where the interval is missing.

    >>> round(float(t_p_value(1.0, 0.0, 2.0, 10)), 3)
    0.05
    """
    m, lo, hi = (np.asarray(v, dtype="float64") for v in (mean, low, high))
    df = np.asarray(n, dtype="float64") - 1
    ok = (df >= 1) & np.isfinite(m) & np.isfinite(lo) & np.isfinite(hi) & (hi > lo)
    df = np.where(ok, df, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = (hi - lo) / (2 * stats.t.ppf(0.5 + confidence / 2, df))
        p = 2 * stats.t.sf(np.abs(m) / se, df)
    p = np.where(ok, p, np.nan)
    return float(p) if p.ndim == 0 else p


def normal_p_value(estimate: float, low: float, high: float, confidence: float = 0.95) -> float:
    """Two-sided p-value of "effect = 0" from an estimate and its (approximately normal) interval.

    >>> round(normal_p_value(1.96, 0.0, 3.92), 3)
    0.05
    """
    if not all(math.isfinite(v) for v in (estimate, low, high)) or high <= low:
        return math.nan
    se = (high - low) / (2 * stats.norm.ppf(0.5 + confidence / 2))
    return float(2 * stats.norm.sf(abs(estimate) / se))
