"""Honest comparisons for small groups: did an intervention produce leerwinst?

One call, :func:`compare`, on a plain DataFrame with one row per pupil, returns a
frozen :class:`CompareResult` holding every statistic plgdata stands behind
(DESIGN.md §4), the headline estimate with an analytic and a seeded BCa bootstrap
interval, and a plain-Dutch verdict.

Three designs
-------------
``"pre_post_control"``
    Intervention vs comparison group with a pre- and a posttest: ANCOVA
    (``post ~ pre + group``) and the gain-score difference (= difference in
    differences) side by side, slope homogeneity check, baseline equivalence.
``"cohort"``
    Two independent groups on one outcome (this cohort vs earlier cohorts, or any
    two groups without a pretest): Hedges' g.
``"one_group"``
    One group pre/post without a comparison group: the gain against the norm
    growth and against regression to the mean.

Decision rule of the verdict (documented, tested)
-------------------------------------------------
1. Any group smaller than ``min_n`` → *"te weinig leerlingen om iets te concluderen"*.
2. Pre/post with pre-existing groups (not selected on the pretest) and
   |baseline g| > 0.25 → *niet vergelijkbaar* (WWC); no effect claim.
3. The headline CI "excludes 0" only when the analytic **and** the bootstrap
   interval both exclude 0 (the stricter of the two).
4. CI includes 0 and the minimum detectable effect (MDE, power .80) is above
   0.8 SD → *"te weinig leerlingen om iets te concluderen"*: only effects four
   times Kraft's "large" threshold could have been seen, so "no effect found"
   would be misleading.
5. CI includes 0, MDE ≤ 0.8 → *geen aantoonbaar effect* (adding that a large
   effect, ≥ 0.20, is unlikely when the upper bound is below 0.20).
6. CI entirely above 0 → *positief*, sized by Kraft (2020): < 0.05 klein,
   0.05–0.20 middelgroot, ≥ 0.20 groot.  Only design ``"pre_post_control"``
   may say the intervention *werkt waarschijnlijk*; a cohort difference or a
   one-group gain is described, not attributed.
7. CI entirely below 0 → *negatief*.
8. One group, positive, but no ``norm_growth`` given for raw scores →
   *niet te beoordelen*: ordinary growth would be counted as effect.

Hattie's 0.40 "hinge point" is not used: it comes from averaged, mostly
uncontrolled pre/post gains that include normal growth, so it means nothing for a
controlled comparison, for gains beyond the norm, or for groups of 5–30 pupils.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd
from scipy import special, stats

from plgdata.model.vocabulary import MIN_N
from plgdata.analysis import effects as fx
from plgdata.model import labels

__all__ = ["CompareResult", "compare", "DESIGN_LABELS", "baseline_category"]

DESIGN_LABELS: dict[str, str] = {
    "pre_post_control": "interventie- en vergelijkingsgroep met voor- en nameting",
    "cohort": "dit cohort (of deze groep) tegenover eerdere cohorten (of een andere groep)",
    "one_group": "één groep met voor- en nameting, zonder vergelijkingsgroep",
}

#: verdict keys (``CompareResult.verdict``)
VERDICTS: tuple[str, ...] = (
    "te weinig leerlingen",
    "niet te beoordelen",
    "niet vergelijkbaar",
    "geen aantoonbaar effect",
    "positief",
    "negatief",
)

#: an MDE above this (in SD) makes a null result uninformative (rule 4)
MDE_UNINFORMATIVE = 0.8

NAN = float("nan")
NAN2 = (NAN, NAN)


def _nan_tuple() -> tuple[float, float]:
    return NAN2


def _empty() -> np.ndarray:
    a = np.array([], dtype=float)
    a.setflags(write=False)
    return a


def _ro(a) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def baseline_category(g: float) -> str:
    """What Works Clearinghouse baseline-equivalence category of a pretest g.

    Notes
    -----
    |g| ≤ 0.05 ``"gelijkwaardig"``; 0.05 < |g| ≤ 0.25 ``"alleen met correctie"``
    (statistical adjustment such as ANCOVA required); |g| > 0.25
    ``"niet vergelijkbaar"``.

    References
    ----------
    What Works Clearinghouse (2022). *Procedures and Standards Handbook*, v5.0.

    Examples
    --------
    >>> baseline_category(0.03), baseline_category(-0.2), baseline_category(0.3)
    ('gelijkwaardig', 'alleen met correctie', 'niet vergelijkbaar')
    """
    if g is None or not np.isfinite(g):
        return "onbekend"
    a = abs(g)
    if a <= 0.05:
        return "gelijkwaardig"
    if a <= 0.25:
        return "alleen met correctie"
    return "niet vergelijkbaar"


@dataclass(frozen=True, eq=False)
class CompareResult:
    """Everything :func:`compare` found, as values (no printing).

    Arrays are read-only; ``==`` compares every field (NaN-aware), so the same
    input gives an equal result.  Fields that do not apply to the design are
    ``nan`` (or ``(nan, nan)`` for intervals).  Treatment = ``treatment`` group;
    for ``"one_group"`` the "treatment" values are the posttest and the "control"
    values the pretest of the same pupils.
    """

    design: str
    outcome: str
    pre: str | None
    treatment: str
    control: str | None
    n_treatment: int
    n_control: int
    mean_treatment: float
    sd_treatment: float
    mean_control: float
    sd_control: float
    alpha: float
    seed: int
    n_boot: int
    min_n: int
    selection_on_pretest: bool
    # raw difference on the outcome (post) and the t-test
    mean_difference: float = NAN
    mean_difference_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    t_stat: float = NAN
    p_value: float = NAN
    p_welch: float = NAN
    # standardised, two groups on the outcome
    hedges_g: float = NAN
    hedges_g_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    hedges_g_ci_normal: tuple[float, float] = field(default_factory=_nan_tuple)
    glass_delta: float = NAN
    # non-parametric
    mannwhitney_u: float = NAN
    mannwhitney_p: float = NAN
    cliffs_delta: float = NAN
    # pre/post with control
    pre_mean_treatment: float = NAN
    pre_sd_treatment: float = NAN
    pre_mean_control: float = NAN
    pre_sd_control: float = NAN
    ancova_difference: float = NAN
    ancova_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    ancova_p: float = NAN
    ancova_slope: float = NAN
    ancova_g: float = NAN
    ancova_g_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    gain_difference: float = NAN
    gain_difference_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    gain_difference_p: float = NAN
    morris_dppc2: float = NAN
    morris_dppc2_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    slope_interaction_p: float = NAN
    baseline_g: float = NAN
    baseline_category: str = "n.v.t."
    # one group pre/post
    naive_gain: float = NAN
    naive_gain_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    norm_growth: float = NAN
    rtm_expected_gain: float = NAN
    gain_beyond_rtm: float = NAN
    gain_beyond_rtm_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    reliability_used: float = NAN
    reliability_source: str = "n.v.t."
    reference_mean: float = NAN
    reference_sd: float = NAN
    d_z: float = NAN
    g_av: float = NAN
    # power
    mde: float = NAN
    mde_unadjusted: float = NAN
    # headline
    effect_size_name: str = ""
    ci_method: str = ""
    headline: float = NAN
    headline_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    headline_ci_boot: tuple[float, float] = field(default_factory=_nan_tuple)
    bootstrap_method: str = "geen"
    bootstrap_distribution: np.ndarray = field(default_factory=_empty)
    kraft: str = "onbekend"
    verdict: str = ""
    verdict_nl: str = ""
    notes: tuple[str, ...] = ()
    # raw values for the estimation plot
    values_treatment: np.ndarray = field(default_factory=_empty)
    values_control: np.ndarray = field(default_factory=_empty)
    label_treatment: str = ""
    label_control: str = ""

    def __eq__(self, other) -> bool:
        if not isinstance(other, CompareResult):
            return NotImplemented
        return all(_same(getattr(self, f.name), getattr(other, f.name)) for f in fields(self))

    __hash__ = None  # type: ignore[assignment]

    @property
    def design_nl(self) -> str:
        """Dutch description of the design."""
        return DESIGN_LABELS.get(self.design, self.design)

    # ------------------------------------------------------------------ output
    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per statistic, with a Dutch label, value and 95%-BI.

        Columns: ``statistic`` (key), ``label`` (Dutch, from
        :data:`plgdata.model.labels.STATISTIC_LABELS`), ``value``, ``ci_low``, ``ci_high``.
        Statistics that do not apply to the design are left out.
        """
        rows: list[tuple[str, str, object, float, float]] = []

        def add(key, value, ci=None, lab=None):
            if isinstance(value, float) and not np.isfinite(value):
                return
            lo, hi = ci if ci is not None else NAN2
            rows.append((key, lab or labels.STATISTIC_LABELS.get(key, key), value, lo, hi))

        add("design", self.design_nl)
        add("n_treatment", self.n_treatment, lab=f"Aantal leerlingen {self.label_treatment}")
        if self.design != "one_group":
            add("n_control", self.n_control, lab=f"Aantal leerlingen {self.label_control}")
        add("mean_treatment", self.mean_treatment, lab=f"Gemiddelde {self.label_treatment}")
        add("sd_treatment", self.sd_treatment, lab=f"Standaardafwijking {self.label_treatment}")
        add("mean_control", self.mean_control, lab=f"Gemiddelde {self.label_control}")
        add("sd_control", self.sd_control, lab=f"Standaardafwijking {self.label_control}")
        if self.design == "pre_post_control":
            add("pre_mean_treatment", self.pre_mean_treatment)
            add("pre_mean_control", self.pre_mean_control)
            add("baseline_g", self.baseline_g)
            add("baseline_category", self.baseline_category)
            add("ancova_difference", self.ancova_difference, self.ancova_ci)
            add("ancova_p", self.ancova_p)
            add("ancova_slope", self.ancova_slope)
            add("ancova_g", self.ancova_g, self.ancova_g_ci)
            add("gain_difference", self.gain_difference, self.gain_difference_ci)
            add("gain_difference_p", self.gain_difference_p)
            add("morris_dppc2", self.morris_dppc2, self.morris_dppc2_ci)
            add("slope_interaction_p", self.slope_interaction_p)
        if self.design != "one_group":
            add("mean_difference", self.mean_difference, self.mean_difference_ci)
            add("p_value", self.p_value)
            add("hedges_g", self.hedges_g, self.hedges_g_ci)
            add("glass_delta", self.glass_delta)
            add("mannwhitney_u", self.mannwhitney_u)
            add("mannwhitney_p", self.mannwhitney_p)
            add("cliffs_delta", self.cliffs_delta)
        else:
            add("naive_gain", self.naive_gain, self.naive_gain_ci)
            add("p_value", self.p_value)
            add("d_z", self.d_z)
            add("g_av", self.g_av)
            add("norm_growth", self.norm_growth)
            add("rtm_expected_gain", self.rtm_expected_gain)
            add("reliability_used", self.reliability_used)
            add("gain_beyond_rtm", self.gain_beyond_rtm, self.gain_beyond_rtm_ci)
        add("mde", self.mde)
        add("headline", self.headline, self.headline_ci, lab=f"{labels.STATISTIC_LABELS['headline']}: {self.effect_size_name}")
        add("headline_boot", self.headline, self.headline_ci_boot)
        add("kraft", self.kraft)
        add("verdict", self.verdict_nl)
        return pd.DataFrame(rows, columns=["statistic", "label", "value", "ci_low", "ci_high"])

    def summary_nl(self) -> str:
        """Plain-Dutch summary for a report: verdict first, then the evidence."""
        f = labels.fmt_num
        lines = [self.verdict_nl, ""]
        lines.append(f"Opzet: {self.design_nl}.")
        if self.design == "one_group":
            lines.append(
                f"{self.n_treatment} leerlingen; voormeting gemiddeld {f(self.mean_control)}, "
                f"nameting {f(self.mean_treatment)}; leerwinst {f(self.naive_gain)} "
                f"(95%-BI {f(self.naive_gain_ci[0])} tot {f(self.naive_gain_ci[1])})."
            )
            lines.append(
                f"Verwachte groei volgens de norm: {f(self.norm_growth)}; verwachte schijnwinst door "
                f"regressie naar het gemiddelde: {f(self.rtm_expected_gain)}; leerwinst boven verwachting: "
                f"{f(self.gain_beyond_rtm)}."
            )
        else:
            lines.append(
                f"{self.label_treatment}: {self.n_treatment} leerlingen, gemiddeld {f(self.mean_treatment)}; "
                f"{self.label_control}: {self.n_control} leerlingen, gemiddeld {f(self.mean_control)}."
            )
        lines.append(
            f"{self.effect_size_name}: {f(self.headline, 2)} (95%-BI {f(self.headline_ci[0], 2)} tot "
            f"{f(self.headline_ci[1], 2)}; bootstrap {f(self.headline_ci_boot[0], 2)} tot {f(self.headline_ci_boot[1], 2)})."
        )
        if np.isfinite(self.mde):
            lines.append(
                f"Met deze aantallen is een effect pas met redelijke zekerheid (80%) op te merken vanaf "
                f"ongeveer {f(self.mde, 2)} standaardafwijking."
            )
        lines.extend(self.notes)
        return "\n".join(lines).strip()


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _as_list(v) -> list:
    if v is None:
        return []
    if isinstance(v, (list, tuple, set, np.ndarray, pd.Index)):
        return list(v)
    return [v]


def _name(v) -> str:
    vals = _as_list(v)
    return ", ".join(str(x) for x in vals)


def _t_ci_mean(values: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """(mean, low, high) with the one-sample t interval."""
    n = len(values)
    m = float(values.mean()) if n else NAN
    if n < 2:
        return m, NAN, NAN
    se = values.std(ddof=1) / math.sqrt(n)
    q = special.stdtrit(n - 1, 1 - alpha / 2)
    return m, float(m - q * se), float(m + q * se)


def _two_sample_t(x: np.ndarray, y: np.ndarray, alpha: float):
    """Student t (pooled) difference, CI, t, p and the Welch p (same as scipy.stats.ttest_ind)."""
    nx, ny = len(x), len(y)
    vx, vy = x.var(ddof=1), y.var(ddof=1)
    diff = float(x.mean() - y.mean())
    df = nx + ny - 2
    sp2 = ((nx - 1) * vx + (ny - 1) * vy) / df
    se = math.sqrt(sp2 * (1 / nx + 1 / ny))
    q = special.stdtrit(df, 1 - alpha / 2)
    if se > 0:
        t = diff / se
        p = float(2 * special.stdtr(df, -abs(t)))
    else:
        t, p = NAN, NAN
    sw = vx / nx + vy / ny
    if sw > 0:
        dfw = sw**2 / ((vx / nx) ** 2 / (nx - 1) + (vy / ny) ** 2 / (ny - 1))
        pw = float(2 * special.stdtr(dfw, -abs(diff / math.sqrt(sw))))
    else:
        pw = NAN
    return diff, (diff - q * se, diff + q * se), float(t), p, pw


def _ols(X: np.ndarray, y: np.ndarray):
    import statsmodels.api as sm

    return sm.OLS(y, X).fit()


def _ancova_g_stat(pre_t, post_t, pre_c, post_c, sp_j_factor=None):
    """Vectorised J·(ANCOVA adjusted difference)/pooled post SD, index arrays in."""

    def stat(it, ic, axis=-1):
        it = it.astype(np.intp)
        ic = ic.astype(np.intp)
        xt, yt, xc, yc = pre_t[it], post_t[it], pre_c[ic], post_c[ic]
        mxt, myt = xt.mean(-1, keepdims=True), yt.mean(-1, keepdims=True)
        mxc, myc = xc.mean(-1, keepdims=True), yc.mean(-1, keepdims=True)
        dxt, dyt, dxc, dyc = xt - mxt, yt - myt, xc - mxc, yc - myc
        sxx = (dxt**2).sum(-1) + (dxc**2).sum(-1)
        sxy = (dxt * dyt).sum(-1) + (dxc * dyc).sum(-1)
        syy = (dyt**2).sum(-1) + (dyc**2).sum(-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            b = sxy / sxx
            adj = (myt - myc)[..., 0] - b * (mxt - mxc)[..., 0]
            n = it.shape[-1] + ic.shape[-1]
            sp = np.sqrt(syy / (n - 2))
            return fx.hedges_correction(n - 2) * adj / sp

    return stat


def _verdict(
    design: str,
    n_min: int,
    min_n: int,
    headline: float,
    ci: tuple[float, float],
    ci_boot: tuple[float, float],
    mde: float,
    baseline_cat: str,
    selection_on_pretest: bool,
    label_t: str,
    label_c: str,
    norm_missing: bool = False,
) -> tuple[str, str]:
    f = labels.fmt_num
    if n_min < min_n:
        return (
            "te weinig leerlingen",
            f"Te weinig leerlingen om iets te concluderen: de kleinste groep telt {n_min} "
            f"leerling{'en' if n_min != 1 else ''}, minder dan {min_n}.",
        )
    if design == "pre_post_control" and not selection_on_pretest and baseline_cat == "niet vergelijkbaar":
        return (
            "niet vergelijkbaar",
            "De groepen zijn niet vergelijkbaar: ze verschilden op de voormeting al meer dan 0,25 "
            "standaardafwijking. Ook een correctie maakt het effect dan niet betrouwbaar; kies een andere "
            "vergelijkingsgroep.",
        )
    ci_text = f"95%-betrouwbaarheidsinterval {f(ci[0], 2)} tot {f(ci[1], 2)}"
    lows = [ci[0]] + ([ci_boot[0]] if np.isfinite(ci_boot[0]) else [])
    highs = [ci[1]] + ([ci_boot[1]] if np.isfinite(ci_boot[1]) else [])
    above = all(np.isfinite(v) and v > 0 for v in lows)
    below = all(np.isfinite(v) and v < 0 for v in highs)
    if not (above or below):
        if not np.isfinite(mde) or mde > MDE_UNINFORMATIVE:
            return (
                "te weinig leerlingen",
                f"Te weinig leerlingen om iets te concluderen: met deze groepen is pas een effect van "
                f"ongeveer {f(mde, 1)} standaardafwijking met redelijke zekerheid op te merken, veel groter "
                f"dan wat onderwijsinterventies meestal bereiken (mediaan 0,10; Kraft 2020). De schatting is "
                f"{f(headline, 2)} ({ci_text}) en dat interval bevat 0.",
            )
        extra = (
            " Een groot effect (0,20 of meer) is onwaarschijnlijk."
            if np.isfinite(ci[1]) and ci[1] < 0.20
            else " Een klein of middelgroot effect is niet uit te sluiten."
        )
        return (
            "geen aantoonbaar effect",
            f"Geen aantoonbaar effect: de schatting is {f(headline, 2)} ({ci_text}); het verschil kan "
            f"toeval zijn.{extra}",
        )
    size = fx.kraft_label(headline)
    if above:
        if design == "pre_post_control":
            head = "De interventie werkt waarschijnlijk"
            tail = "."
        elif design == "cohort":
            head = f"{label_t} scoort hoger dan {label_c}"
            tail = "; of dat door de interventie komt, laat deze vergelijking niet zien (cohorten verschillen ook op andere punten)."
        else:
            if norm_missing:
                return (
                    "niet te beoordelen",
                    f"Niet te beoordelen: de groep ging vooruit ({f(headline, 2)} standaardafwijking, {ci_text}), "
                    "maar er is geen verwachte groei (normgroei) opgegeven, dus gewone groei telt nu mee als winst. "
                    "Geef de verwachte groei op (normtabel of eerdere cohorten) om te zien of dit meer is dan verwacht.",
                )
            head = "De groep groeide meer dan verwacht"
            tail = "; zonder vergelijkingsgroep is niet te zeggen dat de interventie dat veroorzaakte."
        return (
            "positief",
            f"{head}: een {size} effect volgens de maatstaf van Kraft (2020), {f(headline, 2)} "
            f"({ci_text}){tail}",
        )
    if design == "pre_post_control":
        head = "De interventiegroep deed het slechter dan de vergelijkingsgroep"
    elif design == "cohort":
        head = f"{label_t} scoort lager dan {label_c}"
    else:
        head = "De groep groeide minder dan verwacht"
    return ("negatief", f"{head}: een {size} negatief effect, {f(headline, 2)} ({ci_text}).")


# ---------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------


def compare(
    df: pd.DataFrame,
    outcome: str,
    group: str | None,
    treatment=None,
    control=None,
    pre: str | None = None,
    *,
    design: str | None = None,
    selection_on_pretest: bool = False,
    reliability: float | None = None,
    norm_growth: float | None = None,
    pre_reference: tuple[float, float] | None = None,
    seed: int = 2026,
    n_boot: int = 2000,
    alpha: float = 0.05,
    min_n: int = MIN_N,
) -> CompareResult:
    """Compare an intervention group with a comparison (or with expectation), honestly.

    Parameters
    ----------
    df : DataFrame
        One row per pupil.
    outcome : str
        Column with the outcome (posttest, or the score for a cohort comparison).
    group : str or None
        Column saying which group a pupil belongs to (``None`` for one group).
    treatment : value or list of values
        Value(s) of ``group`` marking the intervention group / this cohort.
    control : value, list of values or None
        Value(s) marking the comparison group / earlier cohorts.  ``None`` with
        ``pre`` given → one group pre/post (other rows of ``df``, if any, serve as
        the reference population for regression to the mean, not as comparison).
    pre : str, optional
        Column with the pretest (same subject and scale as ``outcome``).
    design : {"pre_post_control", "cohort", "one_group"}, optional
        Inferred when omitted: ``pre`` and ``control`` → pre_post_control;
        no ``pre`` → cohort; ``pre`` without ``control`` → one_group.
    selection_on_pretest : bool
        Pupils were chosen because of their pretest (RT-group).  Then ANCOVA is the
        only defensible estimate and baseline differences are expected; in the
        one-group design the regression-to-the-mean shift is subtracted.
    reliability : float, optional
        Test reliability / test–retest r for the regression-to-the-mean estimate.
        Default: the observed pre–post correlation in the reference population.
    norm_growth : float, optional
        Expected gain without intervention in outcome units (0 when the outcome
        is a z-score or norm-referenced growth).  Default 0.
    pre_reference : (mean, sd), optional
        Pretest mean and SD of the population the group was selected from (one-
        group design).  Default: all rows of ``df``; when ``df`` holds only the
        group and ``norm_growth == 0``, the scores are taken as z-scores (0, 1).
    seed, n_boot : int
        Bootstrap seed and resamples (default 2026 and 2000).
    alpha : float
        1 − confidence level.
    min_n : int
        Smallest group for which a verdict is given (default 5).

    Returns
    -------
    CompareResult

    Notes
    -----
    *Pre/post with control.*  ANCOVA: OLS ``post = b0 + b1·pre + b2·T`` and the
    adjusted difference :math:`b_2 = (\\bar y_T - \\bar y_C) - b_1(\\bar x_T - \\bar x_C)`;
    the gain-score difference :math:`(\\bar y_T - \\bar x_T) - (\\bar y_C - \\bar x_C)`
    assumes :math:`b_1 = 1`, so the two differ by
    :math:`(1 - b_1)(\\bar x_T - \\bar x_C)`.  The headline is the ANCOVA effect size
    :math:`g_{ANCOVA} = J(N-2)\\,b_2 / s_{p,post}` (WWC), with interval
    :math:`J\\cdot CI(b_2)/s_{p,post}`; slope homogeneity is the p-value of the
    ``pre × group`` term.  The MDE is the two-group MDE times
    :math:`\\sqrt{1-\\rho^2}` (a covariate with within-group correlation ρ
    removes that share of variance).

    *Cohort.*  Headline Hedges' g (exact J) with the noncentral-t interval.

    *One group.*  With reference mean μ and SD σ of the pretest and reliability r,
    the expected posttest without intervention is
    :math:`\\mu + r(\\bar x - \\mu) + \\text{norm}` (regression to the mean;
    Barnett et al. 2005), so the regression shift is :math:`(1-r)(\\mu - \\bar x)`
    and the gain beyond expectation is
    :math:`\\overline{y - r x} - (1-r)\\mu - \\text{norm}`, with a t interval over
    pupils.  Headline: that gain divided by σ.  Without ``selection_on_pretest``
    no shift is subtracted (r = 1).

    The bootstrap (BCa, ``n_boot`` resamples, seeded) resamples pupils within each
    group and recomputes the headline.  Verdict rules: see the module docstring.
    Hattie's 0.40 hinge point is not used (see module docstring).

    References
    ----------
    Van Breukelen, G. J. P. (2013). ANCOVA versus CHANGE from baseline in
    nonrandomized studies: The difference. *Multivariate Behavioral Research*,
    48(6), 895–922.
    Barnett, A. G., van der Pols, J. C., & Dobson, A. J. (2005). Regression to the
    mean: what it is and how to deal with it. *International Journal of
    Epidemiology*, 34(1), 215–220.
    Morris, S. B. (2008). *Organizational Research Methods*, 11(2), 364–386.
    Kraft, M. A. (2020). *Educational Researcher*, 49(4), 241–253.
    What Works Clearinghouse (2022). *Procedures and Standards Handbook*, v5.0.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"score": [34, 54, 33, 44, 45, 53, 37, 26, 38, 58, 66, 38, 35, 55, 48, 39, 65, 32, 57, 41],
    ...                    "groep": ["controle"] * 10 + ["experiment"] * 10})
    >>> res = compare(df, "score", "groep", "experiment", "controle", n_boot=500)
    >>> round(res.mean_difference, 1), round(res.hedges_g, 4), res.verdict
    (5.4, 0.4505, 'te weinig leerlingen')
    """
    if outcome not in df.columns:
        raise KeyError(f"kolom '{outcome}' (uitkomst) staat niet in de tabel; gevonden: {', '.join(map(str, df.columns))}")
    if pre is not None and pre not in df.columns:
        raise KeyError(f"kolom '{pre}' (voormeting) staat niet in de tabel; gevonden: {', '.join(map(str, df.columns))}")
    if group is not None and group not in df.columns:
        raise KeyError(f"kolom '{group}' (groep) staat niet in de tabel; gevonden: {', '.join(map(str, df.columns))}")
    if design is None:
        if pre is None:
            design = "cohort"
        elif control is None:
            design = "one_group"
        else:
            design = "pre_post_control"
    if design not in DESIGN_LABELS:
        raise ValueError(f"onbekende opzet '{design}'; kies uit: {', '.join(DESIGN_LABELS)}")
    if design in ("pre_post_control", "one_group") and pre is None:
        raise ValueError("voor deze opzet is een voormeting nodig (geef 'pre' op)")
    if design != "one_group" and (control is None or group is None):
        raise ValueError("voor een vergelijking zijn een groepskolom en een vergelijkingsgroep nodig")

    if group is None:
        is_t = np.ones(len(df), dtype=bool)
    else:
        tvals = _as_list(treatment)
        if not tvals:
            raise ValueError("geef aan welke groep de interventiegroep is ('treatment')")
        is_t = df[group].isin(tvals).to_numpy()
    is_c = df[group].isin(_as_list(control)).to_numpy() if control is not None else np.zeros(len(df), bool)

    y_all = pd.to_numeric(df[outcome], errors="coerce").to_numpy(dtype=float)
    x_all = pd.to_numeric(df[pre], errors="coerce").to_numpy(dtype=float) if pre is not None else None
    ok = ~np.isnan(y_all)
    if x_all is not None:
        ok &= ~np.isnan(x_all)
    notes: list[str] = []
    dropped = int(((is_t | is_c) & ~ok).sum()) if design != "one_group" else int((is_t & ~ok).sum())
    if dropped:
        notes.append(
            f"{dropped} leerling{'en' if dropped != 1 else ''} zonder "
            f"{'voor- of nameting' if pre else 'score'} {'tellen' if dropped != 1 else 'telt'} niet mee."
        )

    common = dict(
        design=design,
        outcome=outcome,
        pre=pre,
        treatment=_name(treatment) if group is not None else "groep",
        control=_name(control) if control is not None else None,
        alpha=float(alpha),
        seed=int(seed),
        n_boot=int(n_boot),
        min_n=int(min_n),
        selection_on_pretest=bool(selection_on_pretest),
    )
    if design == "one_group":
        return _one_group(y_all, x_all, is_t, ok, common, notes, reliability, norm_growth, pre_reference)
    yt, yc = y_all[is_t & ok], y_all[is_c & ok]
    if design == "cohort":
        return _cohort(yt, yc, common, notes)
    return _pre_post(yt, yc, x_all[is_t & ok], x_all[is_c & ok], common, notes)


def _two_group_basics(yt, yc, alpha) -> dict:
    out: dict = {}
    if len(yt) >= 2 and len(yc) >= 2:
        diff, ci, t, p, pw = _two_sample_t(yt, yc, alpha)
        g = fx.hedges_g(yt, yc)
        u = stats.mannwhitneyu(yt, yc, alternative="two-sided")
        out.update(
            mean_difference=diff,
            mean_difference_ci=ci,
            t_stat=t,
            p_value=p,
            p_welch=pw,
            hedges_g=g,
            hedges_g_ci=fx.g_ci_nct(g, len(yt), len(yc), 1 - alpha),
            hedges_g_ci_normal=fx.g_ci_normal(g, len(yt), len(yc), 1 - alpha),
            glass_delta=fx.glass_delta(yt, yc),
            mannwhitney_u=float(u.statistic),
            mannwhitney_p=float(u.pvalue),
            cliffs_delta=fx.cliffs_delta(yt, yc),
        )
    return out


def _desc(v: np.ndarray) -> tuple[float, float]:
    m = float(v.mean()) if len(v) else NAN
    s = float(v.std(ddof=1)) if len(v) >= 2 else NAN
    return m, s


def _boot(stat, samples, common, n_min) -> fx.BootstrapResult | None:
    if n_min < max(common["min_n"], 3) or common["n_boot"] <= 0:
        return None
    return fx.bootstrap_ci(stat, samples, n_resamples=common["n_boot"], seed=common["seed"], confidence=1 - common["alpha"])


def _ci_method(analytic: str, boot: fx.BootstrapResult | None) -> str:
    if boot is None:
        return f"{analytic}; geen bootstrap (te weinig leerlingen)"
    if boot.method == "BCa":
        return f"{analytic}; BCa-bootstrap met {boot.n_resamples} trekkingen (seed {boot.seed})"
    return (
        f"{analytic}; percentiel-bootstrap met {boot.n_resamples} trekkingen (seed {boot.seed}; "
        "BCa was niet bruikbaar of te zwaar voor zoveel leerlingen)"
    )


def _finish(common, notes, boot, norm_missing: bool = False, **kw) -> CompareResult:
    n_min = min(kw["n_treatment"], kw["n_control"]) if common["design"] != "one_group" else kw["n_treatment"]
    ci_boot = (boot.ci_low, boot.ci_high) if boot is not None else NAN2
    verdict, text = _verdict(
        common["design"],
        n_min,
        common["min_n"],
        kw.get("headline", NAN),
        kw.get("headline_ci", NAN2),
        ci_boot,
        kw.get("mde", NAN),
        kw.get("baseline_category", "n.v.t."),
        common["selection_on_pretest"],
        kw.get("label_treatment", ""),
        kw.get("label_control", ""),
        norm_missing,
    )
    return CompareResult(
        **common,
        **kw,
        headline_ci_boot=ci_boot,
        bootstrap_method=boot.method if boot is not None else "geen",
        bootstrap_distribution=boot.distribution if boot is not None else _empty(),
        kraft=fx.kraft_label(kw.get("headline", NAN)),
        verdict=verdict,
        verdict_nl=text,
        notes=tuple(notes),
    )


def _cohort(yt, yc, common, notes) -> CompareResult:
    alpha = common["alpha"]
    nt, nc = len(yt), len(yc)
    mt, st = _desc(yt)
    mc, sc = _desc(yc)
    basics = _two_group_basics(yt, yc, alpha)
    mde = fx.minimum_detectable_effect(nt, nc, alpha)
    boot = _boot(fx._g_stat, (yt, yc), common, min(nt, nc))
    if np.isfinite(st) and np.isfinite(sc) and min(st, sc) > 0 and max(st, sc) / min(st, sc) > 1.5:
        notes.append("De spreiding verschilt sterk tussen de groepen; kijk ook naar Glass' Δ.")
    return _finish(
        common,
        notes,
        boot,
        n_treatment=nt,
        n_control=nc,
        mean_treatment=mt,
        sd_treatment=st,
        mean_control=mc,
        sd_control=sc,
        **basics,
        mde=mde,
        mde_unadjusted=mde,
        effect_size_name="Hedges' g (exacte correctie)",
        ci_method=_ci_method("noncentrale t (exact)", boot),
        headline=basics.get("hedges_g", NAN),
        headline_ci=basics.get("hedges_g_ci", NAN2),
        values_treatment=_ro(yt),
        values_control=_ro(yc),
        label_treatment=common["treatment"],
        label_control=common["control"],
    )


def _pre_post(yt, yc, xt, xc, common, notes) -> CompareResult:
    alpha = common["alpha"]
    nt, nc = len(yt), len(yc)
    mt, st = _desc(yt)
    mc, sc = _desc(yc)
    pmt, pst = _desc(xt)
    pmc, psc = _desc(xc)
    kw: dict = dict(
        n_treatment=nt,
        n_control=nc,
        mean_treatment=mt,
        sd_treatment=st,
        mean_control=mc,
        sd_control=sc,
        pre_mean_treatment=pmt,
        pre_sd_treatment=pst,
        pre_mean_control=pmc,
        pre_sd_control=psc,
        effect_size_name="ANCOVA-effectgrootte g (nameting gecorrigeerd voor voormeting, exacte correctie)",
        label_treatment="interventiegroep",
        label_control="vergelijkingsgroep",
        values_treatment=_ro(yt),
        values_control=_ro(yc),
    )
    kw.update(_two_group_basics(yt, yc, alpha))
    boot = None
    if nt >= 2 and nc >= 2 and nt + nc >= 5:
        n = nt + nc
        x = np.concatenate([xt, xc])
        y = np.concatenate([yt, yc])
        tr = np.concatenate([np.ones(nt), np.zeros(nc)])
        X = np.column_stack([np.ones(n), x, tr])
        fit = _ols(X, y)
        ci = fit.conf_int(alpha)
        b2, b1 = float(fit.params[2]), float(fit.params[1])
        sp = float(fx._pooled_sd(yt, yc))
        j = fx.hedges_correction(n - 2)
        inter_p = NAN
        if n >= 6:
            fit_i = _ols(np.column_stack([X, x * tr]), y)
            inter_p = float(fit_i.pvalues[3])
        gain_t, gain_c = yt - xt, yc - xc
        gd, gci, _, gp, _ = _two_sample_t(gain_t, gain_c, alpha)
        dm, dlo, dhi = fx.morris_dppc2_ci(xt, yt, xc, yc, 1 - alpha)
        bg = fx.hedges_g(xt, xc)
        cat = baseline_category(bg)
        # pooled within-group pre-post correlation for the covariate-adjusted MDE
        sxy = ((xt - xt.mean()) * (yt - yt.mean())).sum() + ((xc - xc.mean()) * (yc - yc.mean())).sum()
        sxx = ((xt - xt.mean()) ** 2).sum() + ((xc - xc.mean()) ** 2).sum()
        syy = ((yt - yt.mean()) ** 2).sum() + ((yc - yc.mean()) ** 2).sum()
        rho = float(sxy / math.sqrt(sxx * syy)) if sxx > 0 and syy > 0 else 0.0
        mde_u = fx.minimum_detectable_effect(nt, nc, alpha)
        mde = mde_u * math.sqrt(max(1 - rho**2, 0.0))
        g_anc = j * b2 / sp if sp > 0 else NAN
        g_anc_ci = (j * float(ci[2, 0]) / sp, j * float(ci[2, 1]) / sp) if sp > 0 else NAN2
        boot = _boot(
            _ancova_g_stat(xt, yt, xc, yc),
            (np.arange(nt, dtype=float), np.arange(nc, dtype=float)),
            common,
            min(nt, nc),
        )
        kw.update(
            ancova_difference=b2,
            ancova_ci=(float(ci[2, 0]), float(ci[2, 1])),
            ancova_p=float(fit.pvalues[2]),
            ancova_slope=b1,
            ancova_g=g_anc,
            ancova_g_ci=g_anc_ci,
            gain_difference=gd,
            gain_difference_ci=gci,
            gain_difference_p=gp,
            morris_dppc2=dm,
            morris_dppc2_ci=(dlo, dhi),
            slope_interaction_p=inter_p,
            baseline_g=bg,
            baseline_category=cat,
            mde=mde,
            mde_unadjusted=mde_u,
            headline=g_anc,
            headline_ci=g_anc_ci,
        )
        f = labels.fmt_num
        if common["selection_on_pretest"]:
            notes.append(
                "De leerlingen zijn gekozen op hun voormeting. Dan is alleen ANCOVA een eerlijke schatting: "
                "de vergelijking van leerwinst bevat regressie naar het gemiddelde (laag scorende leerlingen "
                "scoren de volgende keer vanzelf wat hoger)."
            )
        else:
            notes.append(
                f"Gelijkwaardigheid vooraf (What Works Clearinghouse): verschil op de voormeting g = {f(bg, 2)}, "
                f"'{cat}'."
            )
        diff_between = b2 - gd
        notes.append(
            f"ANCOVA geeft een verschil van {f(b2)} punten, de vergelijking van leerwinst (verschil-in-verschillen) "
            f"{f(gd)} punten. Ze verschillen {f(abs(diff_between))} punten omdat ANCOVA de nameting corrigeert met "
            f"helling {f(b1, 2)} in plaats van 1, terwijl de groepen op de voormeting {f(pmt - pmc)} punten "
            f"verschilden (verschil = (1 − helling) × verschil vooraf)."
        )
        if np.isfinite(inter_p) and inter_p < 0.05:
            notes.append(
                f"Let op: de samenhang tussen voor- en nameting verschilt per groep (p = {f(inter_p, 3)}). "
                "Het ANCOVA-effect is dan een gemiddelde; het effect hangt af van het beginniveau."
            )
        kw["ci_method"] = _ci_method("t-interval van het ANCOVA-verschil gedeeld door de gepoolde sd", boot)
    else:
        kw["ci_method"] = _ci_method("geen (te weinig leerlingen)", None)
        kw["mde"] = fx.minimum_detectable_effect(nt, nc, alpha)
    return _finish(common, notes, boot, **kw)


def _one_group(y_all, x_all, is_t, ok, common, notes, reliability, norm_growth, pre_reference) -> CompareResult:
    alpha = common["alpha"]
    sel = is_t & ok
    y, x = y_all[sel], x_all[sel]
    n = len(y)
    norm = 0.0 if norm_growth is None else float(norm_growth)
    f = labels.fmt_num
    ref_rows = ok  # the whole population the group belongs to
    has_ref = int(ref_rows.sum()) > n and int(ref_rows.sum()) >= 3
    if pre_reference is not None:
        mu, sigma = float(pre_reference[0]), float(pre_reference[1])
        ref_src = "opgegeven"
    elif has_ref:
        mu, sigma = float(x_all[ref_rows].mean()), float(x_all[ref_rows].std(ddof=1))
        ref_src = "alle leerlingen in de tabel"
    elif norm == 0.0:
        mu, sigma = 0.0, 1.0
        ref_src = "z-scores (landelijke norm)"
    else:
        mu, sigma = NAN, float(x.std(ddof=1)) if n >= 2 else NAN
        ref_src = "onbekend"

    if reliability is not None:
        r = float(reliability)
        r_src = "opgegeven betrouwbaarheid"
    elif has_ref:
        r = float(np.corrcoef(x_all[ref_rows], y_all[ref_rows])[0, 1])
        r_src = "samenhang voor- en nameting in alle leerlingen"
    elif n >= 3:
        r = float(np.corrcoef(x, y)[0, 1])
        r_src = "samenhang voor- en nameting binnen de groep (onderschat r; voorzichtige schatting)"
    else:
        r, r_src = NAN, "onbekend"

    kw: dict = dict(
        n_treatment=n,
        n_control=n,
        label_treatment="nameting",
        label_control="voormeting",
        values_treatment=_ro(y),
        values_control=_ro(x),
        norm_growth=norm,
        reference_mean=mu,
        reference_sd=sigma,
    )
    mt, st = _desc(y)
    mc, sc = _desc(x)
    kw.update(mean_treatment=mt, sd_treatment=st, mean_control=mc, sd_control=sc)
    boot = None
    if n >= 2:
        gains = y - x
        g_m, g_lo, g_hi = _t_ci_mean(gains, alpha)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = float(stats.ttest_rel(y, x).pvalue)
        kw.update(naive_gain=g_m, naive_gain_ci=(g_lo, g_hi), p_value=p, d_z=fx.cohens_dz(x, y), g_av=fx.cohens_dav(x, y, correct=True))
        if common["selection_on_pretest"]:
            if not np.isfinite(mu):
                notes.append(
                    "De verwachte schijnwinst door regressie naar het gemiddelde is niet te schatten: geef het "
                    "gemiddelde en de sd van de hele groep waaruit gekozen is (pre_reference) of neem alle "
                    "leerlingen op in de tabel."
                )
                r_use = 1.0
            else:
                r_use = r
        else:
            r_use = 1.0
        shift = (1 - r_use) * (mu - x.mean()) if r_use != 1.0 else 0.0
        v = y - r_use * x - ((1 - r_use) * mu if r_use != 1.0 else 0.0) - norm
        b_m, b_lo, b_hi = _t_ci_mean(v, alpha)
        scale = sigma if np.isfinite(sigma) and sigma > 0 else NAN
        sd_v = float(v.std(ddof=1)) if n >= 2 else NAN
        mde_dz = fx.minimum_detectable_effect_paired(n, alpha)
        mde = mde_dz * sd_v / scale if np.isfinite(scale) else NAN
        kw.update(
            rtm_expected_gain=float(shift),
            gain_beyond_rtm=b_m,
            gain_beyond_rtm_ci=(b_lo, b_hi),
            reliability_used=float(r_use) if common["selection_on_pretest"] else NAN,
            reliability_source=r_src if common["selection_on_pretest"] else "n.v.t. (niet gekozen op de voormeting)",
            mde=mde,
            mde_unadjusted=mde,
            headline=b_m / scale,
            headline_ci=(b_lo / scale, b_hi / scale),
        )
        ru, mu_c, nm = r_use, ((1 - r_use) * mu if r_use != 1.0 else 0.0), norm

        def stat(idx, axis=-1):
            i = idx.astype(np.intp)
            return (y[i].mean(-1) - ru * x[i].mean(-1) - mu_c - nm) / scale

        if np.isfinite(scale):
            boot = _boot(stat, (np.arange(n, dtype=float),), common, n)
        if common["selection_on_pretest"] and np.isfinite(mu):
            notes.append(
                f"Regressie naar het gemiddelde: leerlingen die gekozen zijn omdat ze laag scoorden, scoren de "
                f"volgende keer vanzelf hoger. Met betrouwbaarheid r = {f(r_use, 2)} ({r_src}) is "
                f"{f(shift)} punten van de winst te verwachten zonder dat er iets gebeurt."
            )
        notes.append(
            f"Ruwe leerwinst {f(g_m)} punten; verwachte groei {f(norm)}; winst boven verwachting {f(b_m)} punten "
            f"(referentie voor de voormeting: {ref_src})."
        )
    kw["effect_size_name"] = "leerwinst boven verwachting (norm en regressie naar het gemiddelde) in sd van de voormeting"
    kw["ci_method"] = _ci_method("t-interval over leerlingen", boot)
    notes.append("Zonder vergelijkingsgroep blijft onzeker of de interventie de oorzaak is.")
    norm_missing = norm_growth is None and ref_src != "z-scores (landelijke norm)"
    if norm_missing:
        notes.append(
            "Er is geen verwachte groei (normgroei) opgegeven; die is op 0 gezet. Bij vaardigheidsscores groeit "
            "elke leerling ook zonder interventie, dus de winst boven verwachting is dan te hoog."
        )
    return _finish(common, notes, boot, norm_missing=norm_missing, **kw)
