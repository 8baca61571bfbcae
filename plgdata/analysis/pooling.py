"""Pooling one kind of intervention across schools: a random-effects meta-analysis.

A board sees the same approach (say "Leesclub") tried at several schools, each with its own
effect size and interval.  :func:`random_effects` pools them with DerSimonian–Laird and says
how much the schools' effects differ (τ², I², Q).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["PooledEffect", "random_effects", "se_from_ci"]


@dataclass(frozen=True)
class PooledEffect:
    """A random-effects pooled estimate with its interval and the heterogeneity."""

    k: int
    estimate: float
    ci: tuple[float, float]
    tau2: float
    i2: float  # 0–1
    q: float
    q_p: float

    def sentence(self) -> str:
        """The pooled effect and how much schools differ, in Dutch."""
        from plgdata.model.labels import fmt_num

        if self.k < 2:
            return "Maar één school: er valt niets samen te nemen."
        spread = (
            "de scholen verschillen weinig"
            if self.i2 < 0.25
            else ("de scholen verschillen matig" if self.i2 < 0.75 else "de scholen verschillen sterk")
        )
        return (
            f"Samen ({self.k} scholen, random-effects DerSimonian–Laird): effect {fmt_num(self.estimate, 2)} sd "
            f"(95%-BI {fmt_num(self.ci[0], 2)} tot {fmt_num(self.ci[1], 2)}); heterogeniteit I² = "
            f"{fmt_num(100 * self.i2, 0)}%, τ² = {fmt_num(self.tau2, 3)} (Q = {fmt_num(self.q, 2)}, p = {fmt_num(self.q_p, 3)}): "
            f"{spread}."
        )


def se_from_ci(low: float, high: float, confidence: float = 0.95) -> float:
    """Standard error from a symmetric normal interval: (high − low) / (2·z)."""
    return (high - low) / (2 * stats.norm.ppf(0.5 + confidence / 2))


def random_effects(effects: Sequence[float], variances: Sequence[float], confidence: float = 0.95) -> PooledEffect:
    """DerSimonian–Laird random-effects pooling.

    Notes
    -----
    wᵢ = 1/vᵢ; fixed θ_F = Σwᵢyᵢ/Σwᵢ; Q = Σwᵢ(yᵢ − θ_F)²; C = Σwᵢ − Σwᵢ²/Σwᵢ;
    τ² = max(0, (Q − (k − 1))/C); wᵢ* = 1/(vᵢ + τ²); θ = Σwᵢ*yᵢ/Σwᵢ*, SE = √(1/Σwᵢ*);
    I² = max(0, (Q − (k − 1))/Q).  τ² is truncated at 0 (statsmodels' ``combine_effects``
    gives the same estimate whenever τ² > 0).

    References
    ----------
    DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled
    Clinical Trials*, 7(3), 177–188.  Higgins, J. P. T., & Thompson, S. G. (2002).
    Quantifying heterogeneity in a meta-analysis. *Statistics in Medicine*, 21, 1539–1558.

    Examples
    --------
    >>> r = random_effects([0.3, 0.1, 0.5], [0.04, 0.05, 0.06])
    >>> round(r.estimate, 4), r.tau2
    (0.2892, 0.0)
    """
    y, v = np.asarray(effects, dtype=float), np.asarray(variances, dtype=float)
    k = len(y)
    w = 1 / v
    fixed = float((w * y).sum() / w.sum())
    q = float((w * (y - fixed) ** 2).sum())
    c = float(w.sum() - (w**2).sum() / w.sum())
    tau2 = max(0.0, (q - (k - 1)) / c) if k > 1 and c > 0 else 0.0
    ws = 1 / (v + tau2)
    est = float((ws * y).sum() / ws.sum())
    se = math.sqrt(1 / ws.sum())
    z = stats.norm.ppf(0.5 + confidence / 2)
    i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    q_p = float(stats.chi2.sf(q, k - 1)) if k > 1 else math.nan
    return PooledEffect(k, est, (est - z * se, est + z * se), tau2, i2, q, q_p)
