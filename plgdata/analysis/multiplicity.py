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

__all__ = ["holm_claims", "family_sentence", "t_p_value"]

#: the correction every report uses (``statsmodels.stats.multitest.multipletests`` method)
METHOD = "holm"


def holm_claims(p_values, alpha: float = 0.05) -> np.ndarray:
    """Which claims stand after Holm's correction over the family (NaN p-values: no claim, not counted).

    Examples
    --------
    >>> holm_claims([0.01, 0.04, 0.03, float("nan")]).tolist()
    [True, False, False, False]
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype="float64")
    out = np.zeros(len(p), dtype=bool)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], alpha=alpha, method=METHOD)[0]
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


def t_p_value(mean: float, low: float, high: float, n: int, confidence: float = 0.95) -> float:
    """Two-sided p-value of "mean = 0" from a one-sample t interval (``mean ± t·se``, n − 1 df).

    >>> round(t_p_value(1.0, 0.0, 2.0, 10), 3)
    0.05
    """
    if not (n >= 2 and all(math.isfinite(v) for v in (mean, low, high))) or high <= low:
        return math.nan
    se = (high - low) / (2 * stats.t.ppf(0.5 + confidence / 2, n - 1))
    return float(2 * stats.t.sf(abs(mean) / se, n - 1))
