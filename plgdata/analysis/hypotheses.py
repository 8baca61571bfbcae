"""Testing a datateam's hypotheses (steps 5 and 6 of the datateammethode).

Each test returns a :class:`HypothesisResult` with a verdict in
``{"bevestigd", "verworpen", "onbeslist"}``, the evidence and a Dutch sentence.
The threshold that matters (``min_effect``, ``min_r``, ``min_diff``) is an explicit
parameter: the team states beforehand how large a difference must be to count.

Decision rule (the same for every test; ``s`` is +1 for the expected direction
"groter/positief" and −1 for "kleiner/negatief", estimates and CI bounds are
multiplied by ``s`` so that "beyond" means "in the expected direction")
-----------------------------------------------------------------------------
* **bevestigd** — the estimate reaches the threshold (``s·est ≥ threshold``) **and**
  the 95% CI excludes 0 (``s·low > 0``): a difference in the expected direction
  that is unlikely to be chance and large enough to matter.
* **verworpen** — the whole CI lies below the threshold (``s·high < threshold``):
  whatever the true value, it is smaller than what the team said matters, or it
  goes the other way.  This is an equivalence-style rejection: with few pupils
  the CI is wide and the hypothesis stays *onbeslist* rather than being wrongly
  rejected.
* **onbeslist** — everything else: an estimate near the threshold, or a group
  under the minimum size of :mod:`plgdata.analysis.policy` (the same ``MIN_N`` as
  :func:`plgdata.analysis.compare.compare`, so 3 against 3 pupils is never
  *bevestigd* here while *te weinig leerlingen* there).

So "bevestigd" needs evidence *for*, "verworpen" needs evidence *against*, and
small samples give "onbeslist".
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from plgdata.analysis import effects as fx
from plgdata.analysis import policy
from plgdata.model.labels import fmt_num

__all__ = [
    "HypothesisResult",
    "no_data_result",
    "group_difference",
    "correlation",
    "proportion_difference",
    "growth_vs_norm",
    "decide",
]

VERDICTS = ("bevestigd", "verworpen", "onbeslist")


@dataclass(frozen=True)
class HypothesisResult:
    """Verdict, evidence (plain values) and a Dutch sentence for the team."""

    verdict: str
    evidence: dict = field(default_factory=dict)
    text_nl: str = ""
    rule_nl: str = ""


def _sign(expected_direction: str) -> int:
    d = str(expected_direction).strip().lower()
    if d in ("groter", "hoger", "positief", ">", "+", "greater", "larger", "positive"):
        return 1
    if d in ("kleiner", "lager", "negatief", "<", "-", "less", "smaller", "negative"):
        return -1
    raise ValueError("verwachte richting moet 'groter' of 'kleiner' (of 'positief'/'negatief') zijn")


def decide(
    estimate: float, ci: tuple[float, float], threshold: float, sign: int = 1, *, n: int | None = None, min_n: int = policy.MIN_N
) -> str:
    """Apply the decision rule of this module.

    Parameters
    ----------
    estimate : float
    ci : (low, high)
    threshold : float
        Smallest effect that matters (≥ 0), in the units of ``estimate``.
    sign : {1, -1}
        Expected direction.
    n, min_n : int, optional
        Size of the smallest group; under ``min_n`` (:data:`plgdata.analysis.policy.MIN_N`)
        the verdict is ``"onbeslist"`` whatever the interval says.

    Returns
    -------
    {"bevestigd", "verworpen", "onbeslist"}

    Examples
    --------
    >>> decide(0.5, (0.2, 0.8), 0.2), decide(0.0, (-0.1, 0.1), 0.2), decide(0.3, (-0.2, 0.8), 0.2)
    ('bevestigd', 'verworpen', 'onbeslist')
    >>> decide(-0.5, (-0.8, -0.2), 0.2, sign=-1)
    'bevestigd'
    """
    if (n is not None and policy.too_few(n, min_n=min_n)) or not all(np.isfinite(v) for v in (estimate, ci[0], ci[1])):
        return "onbeslist"
    lo, hi = sorted((sign * ci[0], sign * ci[1]))
    est = sign * estimate
    if est >= threshold and lo > 0:
        return "bevestigd"
    if hi < threshold:
        return "verworpen"
    return "onbeslist"


def _rule_text(threshold_text: str) -> str:
    return (
        f"Bevestigd als de schatting minstens {threshold_text} is in de verwachte richting en het 95%-BI 0 niet "
        f"bevat; verworpen als het hele 95%-BI onder {threshold_text} blijft; anders onbeslist."
    )


def _verdict_text(verdict: str, what: str, est_text: str, ci_text: str, n_text: str) -> str:
    if verdict == "bevestigd":
        return f"Bevestigd: {what} ({est_text}, {ci_text}; {n_text})."
    if verdict == "verworpen":
        return f"Verworpen: {what} is er niet, of kleiner dan wat ertoe doet ({est_text}, {ci_text}; {n_text})."
    return f"Onbeslist: de gegevens zijn niet duidelijk genoeg om {what} te bevestigen of te verwerpen ({est_text}, {ci_text}; {n_text})."


def _too_few_text(n_text: str, min_n: int) -> str:
    return f"Onbeslist: te weinig leerlingen om iets te concluderen ({n_text}; minder dan {min_n} in een groep)."


def no_data_result(reason: str, what: str) -> HypothesisResult:
    """*Onbeslist* with the Dutch reason the data cannot test the hypothesis (no test is run)."""
    return HypothesisResult("onbeslist", {"reden": reason}, f"Onbeslist: {reason}; daarmee is {what} niet mogelijk.", "")


def _numeric(s: pd.Series) -> np.ndarray:
    a = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
    return a[~np.isnan(a)]


def group_difference(
    df: pd.DataFrame,
    outcome: str,
    group: str,
    a,
    b,
    *,
    min_effect: float = policy.KRAFT_LARGE,
    expected_direction: str = "groter",
    alpha: float = 0.05,
    min_n: int = policy.MIN_N,
) -> HypothesisResult:
    """Hypothesis "group *a* scores higher (lower) than group *b*".

    Parameters
    ----------
    df : DataFrame
        One row per pupil.
    outcome, group : str
        Score column and group column.
    a, b : value
        The two groups (``a`` is the one the hypothesis is about).
    expected_direction : {"groter", "kleiner"}
        Whether ``a`` is expected to score higher or lower.
    min_effect : float
        Smallest Hedges' g that matters (default :data:`~plgdata.analysis.policy.KRAFT_LARGE`,
        "groot" after Kraft 2020).
    alpha, min_n : float, int
        1 − confidence; smallest group that gets a verdict (the policy's ``MIN_N``).

    Notes
    -----
    Estimate: Hedges' g of a vs b (exact J) with the noncentral-t CI
    (:func:`plgdata.analysis.effects.g_ci_nct`); Welch t p-value as evidence.  Rule: see
    the module docstring.

    References
    ----------
    Kraft, M. A. (2020). *Educational Researcher*, 49(4), 241–253.

    Examples
    --------
    >>> df = pd.DataFrame({"bl": list(range(40)) + list(range(10, 50)), "g": ["J"] * 40 + ["M"] * 40})
    >>> group_difference(df, "bl", "g", "M", "J", expected_direction="groter").verdict
    'bevestigd'
    """
    s = _sign(expected_direction)
    x = _numeric(df.loc[df[group] == a, outcome])
    y = _numeric(df.loc[df[group] == b, outcome])
    g = fx.hedges_g(x, y)
    ci = fx.g_ci_nct(g, len(x), len(y), 1 - alpha)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = float(stats.ttest_ind(x, y, equal_var=False).pvalue) if len(x) >= 2 and len(y) >= 2 else float("nan")
    verdict = decide(g, ci, min_effect, s, n=min(len(x), len(y)), min_n=min_n)
    evidence = {
        "n_a": len(x),
        "n_b": len(y),
        "mean_a": float(x.mean()) if len(x) else float("nan"),
        "mean_b": float(y.mean()) if len(y) else float("nan"),
        "hedges_g": g,
        "ci_low": ci[0],
        "ci_high": ci[1],
        "p_welch": p,
        "min_effect": min_effect,
        "mde": fx.minimum_detectable_effect(len(x), len(y), alpha),
    }
    what = f"de groep {a} scoort {'hoger' if s > 0 else 'lager'} dan de groep {b}"
    text = _verdict_text(
        verdict,
        what,
        f"g = {fmt_num(g, 2)}",
        f"95%-BI {fmt_num(ci[0], 2)} tot {fmt_num(ci[1], 2)}",
        f"{len(x)} en {len(y)} leerlingen",
    )
    if policy.too_few(len(x), len(y), min_n=min_n):
        text = _too_few_text(f"{len(x)} en {len(y)} leerlingen", min_n)
    return HypothesisResult(verdict, evidence, text, _rule_text(f"g = {fmt_num(min_effect, 2)}"))


def correlation(
    df: pd.DataFrame, x: str, y: str, *, min_r: float = 0.3, expected_direction: str = "positief", alpha: float = 0.05
) -> HypothesisResult:
    """Hypothesis "x and y go together" (Pearson r with a Fisher-z CI, plus Spearman ρ).

    Notes
    -----
    :math:`z = \\operatorname{artanh} r`, :math:`SE = 1/\\sqrt{n-3}`, CI
    :math:`\\tanh(z \\pm z_{1-\\alpha/2} SE)`.  Spearman's ρ and its p-value are
    reported as a check for outliers / non-linearity.  Rule: module docstring
    with threshold ``min_r``.

    References
    ----------
    Fisher, R. A. (1921). On the "probable error" of a coefficient of
    correlation deduced from a small sample. *Metron*, 1, 3–32.

    Examples
    --------
    >>> df = pd.DataFrame({"a": range(30), "b": [v + (v % 3) for v in range(30)]})
    >>> correlation(df, "a", "b").verdict
    'bevestigd'
    """
    s = _sign(expected_direction)
    sub = df[[x, y]].apply(pd.to_numeric, errors="coerce").dropna()
    n = len(sub)
    r = lo = hi = rho = p_rho = p = float("nan")
    if n >= 4 and sub[x].std() > 0 and sub[y].std() > 0:
        pr = stats.pearsonr(sub[x], sub[y])
        r, p = float(pr.statistic), float(pr.pvalue)
        z = math.atanh(max(min(r, 0.999999), -0.999999))
        se = 1 / math.sqrt(n - 3)
        q = stats.norm.ppf(1 - alpha / 2)
        lo, hi = math.tanh(z - q * se), math.tanh(z + q * se)
        sp = stats.spearmanr(sub[x], sub[y])
        rho, p_rho = float(sp.statistic), float(sp.pvalue)
    verdict = decide(r, (lo, hi), min_r, s, n=n)
    evidence = {"n": n, "r": r, "ci_low": lo, "ci_high": hi, "p": p, "spearman_rho": rho, "spearman_p": p_rho, "min_r": min_r}
    what = f"een {'positieve' if s > 0 else 'negatieve'} samenhang tussen {x} en {y}"
    text = _verdict_text(
        verdict, what, f"r = {fmt_num(r, 2)}", f"95%-BI {fmt_num(lo, 2)} tot {fmt_num(hi, 2)}", f"{n} leerlingen"
    )
    return HypothesisResult(verdict, evidence, text, _rule_text(f"r = {fmt_num(min_r, 2)}"))


def proportion_difference(
    df: pd.DataFrame,
    indicator: str,
    group: str,
    a,
    b,
    *,
    min_diff: float = 0.10,
    expected_direction: str = "groter",
    alpha: float = 0.05,
) -> HypothesisResult:
    """Hypothesis "the share of pupils with *indicator* is larger (smaller) in group a than in b".

    Parameters
    ----------
    indicator : str
        Column of booleans / 0-1 (e.g. "scoort IV of V").
    min_diff : float
        Smallest difference in proportion that matters (default 0.10 = 10
        percentage points).

    Notes
    -----
    Estimate :math:`p_a - p_b`; CI: Newcombe's hybrid score interval (method 10)
    via ``statsmodels confint_proportions_2indep(method="newcomb")``; p-value of
    the two-proportion z-test (``proportions_ztest``).  Rule: module docstring.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between
    independent proportions. *Statistics in Medicine*, 17(8), 873–890.

    Examples
    --------
    >>> df = pd.DataFrame({"laag": [1] * 30 + [0] * 70 + [1] * 10 + [0] * 90, "g": ["A"] * 100 + ["B"] * 100})
    >>> proportion_difference(df, "laag", "g", "A", "B").verdict
    'bevestigd'
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    s = _sign(expected_direction)
    va = pd.to_numeric(df.loc[df[group] == a, indicator], errors="coerce").dropna().astype(float)
    vb = pd.to_numeric(df.loc[df[group] == b, indicator], errors="coerce").dropna().astype(float)
    na, nb = len(va), len(vb)
    ca, cb = int(va.sum()), int(vb.sum())
    diff = lo = hi = p = float("nan")
    if na > 0 and nb > 0:
        diff = ca / na - cb / nb
        lo, hi = (float(v) for v in confint_proportions_2indep(ca, na, cb, nb, method="newcomb", compare="diff", alpha=alpha))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = float(proportions_ztest([ca, cb], [na, nb])[1]) if 0 < ca + cb < na + nb else float("nan")
    verdict = decide(diff, (lo, hi), min_diff, s, n=min(na, nb))
    evidence = {
        "n_a": na,
        "n_b": nb,
        "proportion_a": ca / na if na else float("nan"),
        "proportion_b": cb / nb if nb else float("nan"),
        "difference": diff,
        "ci_low": lo,
        "ci_high": hi,
        "p": p,
        "min_diff": min_diff,
    }
    what = f"het aandeel met {indicator} is bij {a} {'groter' if s > 0 else 'kleiner'} dan bij {b}"
    pct = lambda v: fmt_num(100 * v, 0) + " procentpunt"  # noqa: E731
    text = _verdict_text(verdict, what, f"verschil {pct(diff)}", f"95%-BI {pct(lo)} tot {pct(hi)}", f"{na} en {nb} leerlingen")
    if policy.too_few(na, nb):
        text = _too_few_text(f"{na} en {nb} leerlingen", policy.MIN_N)
    return HypothesisResult(verdict, evidence, text, _rule_text(pct(min_diff)))


def growth_vs_norm(
    gains, norm_gain: float, *, min_diff: float, expected_direction: str = "groter", alpha: float = 0.05, missing_reason: str = ""
) -> HypothesisResult:
    """Hypothesis "the pupils grew more (less) than the norm growth".

    Parameters
    ----------
    gains : array_like
        Per-pupil gains (same subject and scale).
    norm_gain : float
        Expected gain (norm table, earlier cohorts; 0 for z-score growth).
    min_diff : float
        Smallest difference from the norm that matters, in gain units.
    missing_reason : str
        Why there are no gains against a norm (e.g. :data:`plgdata.analysis.growth.NO_NORM_TEXT`
        when the data hold no percentiles): with no gains the verdict is *onbeslist* and the text
        says this reason instead of testing anything.

    Notes
    -----
    Estimate :math:`\\bar g - \\text{norm}` with the one-sample t interval.  Rule:
    module docstring.  For a group chosen for low scores, the gain includes
    regression to the mean: use :func:`plgdata.analysis.compare.compare` (one-group design)
    for that case.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1–25.

    Examples
    --------
    >>> growth_vs_norm([12, 14, 15, 13, 16, 14, 15, 13], norm_gain=8, min_diff=2).verdict
    'bevestigd'
    """
    s = _sign(expected_direction)
    g = np.asarray(pd.to_numeric(pd.Series(gains), errors="coerce"), dtype=float)
    g = g[~np.isnan(g)]
    n = len(g)
    est = lo = hi = p = float("nan")
    if n >= 2:
        est = float(g.mean() - norm_gain)
        se = g.std(ddof=1) / math.sqrt(n)
        q = stats.t.ppf(1 - alpha / 2, n - 1)
        lo, hi = est - q * se, est + q * se
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = float(stats.ttest_1samp(g, norm_gain).pvalue)
    verdict = decide(est, (lo, hi), min_diff, s, n=n)
    evidence = {
        "n": n,
        "mean_gain": float(g.mean()) if n else float("nan"),
        "norm_gain": float(norm_gain),
        "difference": est,
        "ci_low": lo,
        "ci_high": hi,
        "p": p,
        "min_diff": min_diff,
    }
    what = f"de leerlingen groeiden {'meer' if s > 0 else 'minder'} dan de norm"
    if n == 0 and missing_reason:
        text = f"Onbeslist: {missing_reason}. Zonder norm is niet te zeggen of de leerlingen {'meer' if s > 0 else 'minder'} groeiden dan de norm."
        return HypothesisResult("onbeslist", {**evidence, "reden": missing_reason}, text, _rule_text(fmt_num(min_diff)))
    text = _verdict_text(
        verdict,
        what,
        f"gemiddelde groei {fmt_num(evidence['mean_gain'])} tegen norm {fmt_num(norm_gain)}",
        f"verschil 95%-BI {fmt_num(lo)} tot {fmt_num(hi)}",
        f"{n} leerlingen",
    )
    return HypothesisResult(verdict, evidence, text, _rule_text(fmt_num(min_diff)))


#: The analyses a hypothesis in a cycle record can name (``analyse.soort``) and the parameters
#: each one needs.  The one list: the cycle's validation checks records against it and the
#: workflow runs exactly these (:func:`plgdata.workflow.run_hypothesis`).
ANALYSIS_KINDS: dict[str, tuple[str, ...]] = {
    "groepsverschil": ("vak", "periode", "schooljaar", "groepen", "kenmerk", "a", "b"),
    "samenhang": ("vak_x", "vak_y", "periode", "schooljaar", "groepen"),
    "verschil_in_aandelen": ("vak", "periode", "schooljaar", "groepen", "kenmerk", "a", "b"),
    "groei_tegen_norm": ("vak", "schooljaar", "groepen"),
}


def analysis_kind_problem(kind: object, parameters: dict | None) -> tuple[str, str] | None:
    """``(field, Dutch message)`` when ``kind``/``parameters`` cannot be run, else ``None``.

    >>> print(analysis_kind_problem("vergelijking aandelen", {})[1])
    'vergelijking aandelen' is geen analyse die plgdata kent; kies uit groepsverschil, samenhang, verschil_in_aandelen, groei_tegen_norm.
    >>> analysis_kind_problem("samenhang", {"vak_x": "woordenschat"})
    ('analyse.parameters', 'de parameters vak_y, periode, schooljaar, groepen ontbreken voor de analyse samenhang.')
    """
    text = str(kind or "").strip().lower()
    if text not in ANALYSIS_KINDS:
        choices = ", ".join(ANALYSIS_KINDS)
        return "analyse.soort", f"'{kind}' is geen analyse die plgdata kent; kies uit {choices}."
    missing = [p for p in ANALYSIS_KINDS[text] if p not in (parameters or {})]
    if missing:
        word = "de parameter" if len(missing) == 1 else "de parameters"
        verb = "ontbreekt" if len(missing) == 1 else "ontbreken"
        return "analyse.parameters", f"{word} {', '.join(missing)} {verb} voor de analyse {text}."
    return None
