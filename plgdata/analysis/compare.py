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
2. Nothing to judge → *niet te beoordelen*, saying what is missing: no spread
   ("geen spreiding": all scores equal), a pretest without spread or collinear
   with the groups (rank-deficient ANCOVA), or — one group — raw scores without
   ``norm_growth`` (ordinary growth would be counted as effect).
3. Pre/post with pre-existing groups (not selected on the pretest) and
   |baseline g| > 0.25 → *niet vergelijkbaar* (WWC); no effect claim, but the
   ANCOVA estimate is shown "onder voorbehoud" and the text says that a group
   chosen on its pretest needs ``selection_on_pretest=True``.
4. The headline CI "excludes 0" only when the analytic **and** the bootstrap
   interval both exclude 0 (the stricter of the two); when the bootstrap was
   run but gave no interval → *niet te beoordelen*.
5. CI includes 0 and the minimum detectable effect (MDE, power .80, computed
   from the standard error of the headline) is above 0.8 SD → *"te weinig
   leerlingen om iets te concluderen"*: only effects four times Kraft's "large"
   threshold could have been seen, so "no effect found" would be misleading.
6. CI includes 0, MDE ≤ 0.8 → *geen aantoonbaar effect* (adding that a large
   effect, ≥ 0.20, is unlikely when the upper bound is below 0.20).
7. CI entirely above 0 → *positief*, sized by Kraft (2020): < 0.05 klein,
   0.05–0.20 middelgroot, ≥ 0.20 groot — judged on the value as printed (two
   decimals), so "0,05" is never called "klein".  Only design
   ``"pre_post_control"`` may say the intervention *werkt waarschijnlijk*; a
   cohort difference or a one-group gain is described, not attributed.
8. CI entirely below 0 → *negatief*.
9. The BCa bootstrap interval undercovers when a small group is compared with a
   much larger one (audit: 5 vs 25 pupils 89%, 5 vs 100 84%), so it is left out
   of the summary (with a note) when the smaller group has fewer than
   :data:`BOOT_SHOW_MIN_N` pupils and the larger is more than
   :data:`BOOT_SHOW_MAX_RATIO` times as big; the verdict still uses it.

Statistics
----------
*Pre/post with control.*  ANCOVA: OLS ``post = b0 + b1·pre + b2·T`` and the
adjusted difference :math:`b_2 = (\\bar y_T - \\bar y_C) - b_1(\\bar x_T - \\bar x_C)`;
the gain-score difference assumes :math:`b_1 = 1`, so the two differ by
:math:`(1 - b_1)(\\bar x_T - \\bar x_C)`.  Headline :math:`g = J(N-2)\\,b_2/s_{p,post}`
(WWC) with interval :math:`J\\cdot CI(b_2)/s_{p,post}`; slope homogeneity is the
p-value of ``pre × group``.  The MDE is :func:`plgdata.effects.power_multiplier`
(df = N − 3) times the standard error of that g, so it includes the
:math:`(\\bar x_T - \\bar x_C)^2/S_{xx}` term that selection on the pretest adds.

*Cohort.*  Hedges' g (exact J) with the noncentral-t interval (normal interval,
with a note, when the noncentral t cannot be solved far in the tails).

*One group.*  With reference pretest mean μ and SD σ and the regression slope
:math:`b = r\\,s_{post}/s_{pre}` (so a spread that changes between the tests is
not mistaken for growth), the expected posttest without intervention is
:math:`\\mu + b(\\bar x - \\mu) + \\text{norm}` (regression to the mean; Barnett
et al. 2005); the gain beyond expectation :math:`\\overline{y - b x} - (1-b)\\mu -
\\text{norm}` gets a t interval whose variance adds
:math:`(\\bar x - \\mu)^2 Var(b) + (1-b)^2 Var(\\mu)` when b and μ are estimated.
Headline: that gain divided by σ.  Without selection no shift is subtracted
(b = 1).  The bootstrap resamples pupils within each group (BCa, seeded).

References: Van Breukelen (2013), *Multivariate Behavioral Research* 48(6);
Barnett, van der Pols & Dobson (2005), *Int. J. Epidemiology* 34(1); Morris
(2008), *Organizational Research Methods* 11(2); Kraft (2020), *Educational
Researcher* 49(4); What Works Clearinghouse (2022), *Handbook* v5.0; Bloom
(1995), *Evaluation Review* 19(5).

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
from scipy import stats

from plgdata.analysis import effects as fx
from plgdata.analysis import policy
from plgdata.analysis.clustered import ClusterEstimate, cluster_difference
from plgdata.analysis.frames import SELECTION_MAX_SHARE, SELECTION_SD_GAP
from plgdata.model import labels
from plgdata.model.vocabulary import MIN_N

__all__ = ["CompareResult", "compare", "DESIGN_LABELS", "baseline_category"]

DESIGN_LABELS: dict[str, str] = {
    "pre_post_control": "interventie- en vergelijkingsgroep met voor- en nameting",
    "cohort": "dit cohort (of deze groep) tegenover eerdere cohorten (of een andere groep)",
    "one_group": "één groep met voor- en nameting, zonder vergelijkingsgroep",
}

#: verdict keys (``CompareResult.verdict``)
VERDICTS: tuple[str, ...] = (
    "te weinig leerlingen",
    "niet te scheiden",
    "niet te beoordelen",
    "niet vergelijkbaar",
    "geen aantoonbaar effect",
    "positief",
    "negatief",
)

#: an MDE above this (in SD) makes a null result uninformative (rule 5; :mod:`plgdata.analysis.policy`)
MDE_UNINFORMATIVE = policy.MDE_UNINFORMATIVE

#: the assigned units compare() knows: singular, plural (Dutch)
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "leerling": ("leerling", "leerlingen"),
    "klas": ("klas", "klassen"),
    "jaargroep": ("groep in één schooljaar", "groepen per schooljaar"),
}

#: the BCa interval is printed only when the smaller group has at least this many pupils ...
BOOT_SHOW_MIN_N = 10
#: ... or the larger group is at most this many times the smaller one (rule 9)
BOOT_SHOW_MAX_RATIO = 2.0

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
    if a <= policy.WWC_EQUIVALENT:
        return "gelijkwaardig"
    if a <= policy.WWC_ADJUSTABLE:
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
    rtm_slope: float = NAN
    gain_beyond_rtm_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    reliability_used: float = NAN
    reliability_source: str = "n.v.t."
    reference_mean: float = NAN
    reference_sd: float = NAN
    d_z: float = NAN
    g_av: float = NAN
    # the assigned unit (classes, groep x school year): adjusted unit means, K - 2 df
    unit: str = "leerling"
    n_units_treatment: int = 0
    n_units_control: int = 0
    units_df: float = NAN
    unit_difference: float = NAN
    unit_difference_ci: tuple[float, float] = field(default_factory=_nan_tuple)
    unit_means: tuple = ()
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
    bootstrap_shown: bool = True
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
        boot = (
            f"; bootstrap {f(self.headline_ci_boot[0], 2)} tot {f(self.headline_ci_boot[1], 2)}"
            if self.bootstrap_shown and self.bootstrap_method != "geen"
            else ""
        )
        lines.append(
            f"{self.effect_size_name}: {f(self.headline, 2)} (95%-BI {f(self.headline_ci[0], 2)} tot "
            f"{f(self.headline_ci[1], 2)}{boot})."
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
    """(mean, low, high) with the one-sample t interval (``scipy.stats.t.interval``)."""
    n = len(values)
    m = float(values.mean()) if n else NAN
    if n < 2:
        return m, NAN, NAN
    lo, hi = stats.t.interval(1 - alpha, n - 1, loc=m, scale=stats.sem(values))
    return m, float(lo), float(hi)


def _two_sample_t(x: np.ndarray, y: np.ndarray, alpha: float):
    """Student t (pooled): difference, CI, t, p, and the Welch p (``scipy.stats.ttest_ind``)."""
    diff = float(x.mean() - y.mean())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        student = stats.ttest_ind(x, y)
        welch = stats.ttest_ind(x, y, equal_var=False)
        ci = student.confidence_interval(1 - alpha)
    return diff, (float(ci.low), float(ci.high)), float(student.statistic), float(student.pvalue), float(welch.pvalue)


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


# ---------------------------------------------------------------------------
# verdict
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Evidence:
    """What the verdict rule looks at (one object instead of a dozen arguments)."""

    design: str
    n_min: int
    min_n: int
    headline: float
    ci: tuple[float, float]
    ci_boot: tuple[float, float]
    boot_expected: bool
    mde: float
    baseline_g: float
    baseline_cat: str
    selection_on_pretest: bool
    label_t: str
    label_c: str
    problem: str | None = None
    unit: str = "leerling"
    units: tuple[int, int, int] = (0, 0, 0)  # units in the treatment arm, the control arm, df
    unit_difference: float = NAN


def _verdict(e: _Evidence) -> tuple[str, str]:
    """Apply the documented decision rule (module docstring) to the evidence."""
    if policy.too_few(e.n_min, min_n=e.min_n):
        return (
            "te weinig leerlingen",
            (
                f"Te weinig leerlingen om iets te concluderen: de kleinste groep telt {e.n_min} "
                f"leerling{'en' if e.n_min != 1 else ''}, minder dan {e.min_n}."
            ),
        )
    if e.problem:
        return ("niet te beoordelen", f"Niet te beoordelen: {e.problem}")
    if e.unit != "leerling" and (min(e.units[:2]) < policy.MIN_CLUSTERS_PER_ARM or e.units[2] < 1):
        return ("niet te scheiden", _inseparable_text(e))
    if e.design == "pre_post_control" and not e.selection_on_pretest and e.baseline_cat == "niet vergelijkbaar":
        return ("niet vergelijkbaar", _not_comparable_text(e) + _unit_sentence(e))
    side = policy.ci_side([e.ci] + ([e.ci_boot] if e.boot_expected else []))
    if side is None:
        return (
            "niet te beoordelen",
            (
                "Niet te beoordelen: het betrouwbaarheidsinterval (analytisch of bootstrap) is niet te berekenen, "
                "bijvoorbeeld omdat de scores (bijna) geen spreiding hebben. Zonder beide intervallen geeft plgdata "
                "geen oordeel."
            ),
        )
    if side == 1:
        key, text = "positief", _effect_text(e, positive=True)
    elif side == -1:
        key, text = "negatief", _effect_text(e, positive=False)
    else:
        key, text = _null_verdict(e)
    return key, text + _unit_sentence(e)


def _unit_sentence(e: _Evidence) -> str:
    """Say that units, not pupils, were compared (and how many)."""
    if e.unit == "leerling":
        return ""
    kt, kc, df = e.units
    return (
        f" Vergeleken zijn {UNIT_WORDS[e.unit][1]}, geen losse leerlingen: {kt} met en {kc} zonder de interventie "
        f"(interval met {df} vrijheidsgraden)."
    )


def _inseparable_text(e: _Evidence) -> str:
    """One class against one class (or one school year against one): describe, do not conclude."""
    f = labels.fmt_num
    kt, kc, _ = e.units
    if e.unit == "klas":
        what = (
            f"er {'is' if kt == 1 else 'zijn'} {kt} {'klas' if kt == 1 else 'klassen'} met de interventie en "
            f"{kc} {'vergelijkingsklas' if kc == 1 else 'vergelijkingsklassen'}. Twee klassen verschillen ook zonder "
            "interventie: een andere leerkracht, andere leerlingen, een ander rooster. Met één klas aan een kant is het "
            "effect van de interventie daar niet van te scheiden"
        )
        diff = "na correctie voor de voormeting" if e.design == "pre_post_control" else ""
        advice = (
            "Wat wel een antwoord kan geven: de interventie in meer klassen tegelijk (minstens twee aan elke kant, liever "
            "meer), de klassen om de beurt laten starten (eerst de ene klas, een periode later de andere: 'switching "
            "replications'), of vooraf vastleggen welke klassen vergeleken worden en welk verschil als effect telt."
        )
    else:
        what = (
            "er zijn te weinig groepen en schooljaren aan elke kant. Een schooljaar verschilt ook zonder interventie "
            "(andere leerlingen, een andere leerkracht, iets anders dat dat jaar veranderde); met zo weinig jaargangen "
            "is het effect van de aanpak daar niet van te scheiden"
        )
        diff = ""
        advice = (
            "Wat wel een antwoord kan geven: meer jaargangen of groepen meenemen, of de aanpak in groepen om de beurt "
            "laten starten, en vooraf vastleggen welk verschil als effect telt."
        )
    desc = ""
    if np.isfinite(e.unit_difference) and np.isfinite(e.headline):
        word = "hoger" if e.unit_difference >= 0 else "lager"
        one_one = e.unit == "klas" and kt == 1 and kc == 1
        who_t, who_c = ("de interventieklas", "de vergelijkingsklas") if one_one else (e.label_t, e.label_c)
        desc = (
            f" Beschrijvend: {who_t} scoorde {diff + ' ' if diff else ''}{f(abs(e.unit_difference))} punten "
            f"{word} dan {who_c} (ongeveer {f(abs(e.headline), 2)} standaardafwijking); dat is een beschrijving, "
            "geen bewijs dat de interventie werkt."
        )
    return f"Niet te scheiden: {what}.{desc} {advice}"


def _ci_text(ci: tuple[float, float]) -> str:
    f = labels.fmt_num
    return f"95%-betrouwbaarheidsinterval {f(ci[0], 2)} tot {f(ci[1], 2)}"


def _not_comparable_text(e: _Evidence) -> str:
    f = labels.fmt_num
    return (
        f"De groepen zijn niet vergelijkbaar: ze verschilden op de voormeting al {f(abs(e.baseline_g), 2)} "
        "standaardafwijking, meer dan 0,25 (What Works Clearinghouse). Onder voorbehoud: na correctie voor de "
        f"voormeting (ANCOVA) is het verschil {f(e.headline, 2)} ({_ci_text(e.ci)}). Die correctie is alleen "
        "te vertrouwen als de groepen verder op elkaar lijken; bij twee klassen van zo'n 25 leerlingen ontstaat "
        "een verschil vooraf van deze grootte ook vaak door toeval (ongeveer 4 op de 10 keer). "
        + (
            "Hele klassen zijn niet op hun voormeting gekozen; kies zo mogelijk vergelijkingsklassen die vooraf meer "
            "op de interventieklassen leken, of meer klassen aan elke kant."
            if e.unit == "klas"
            else "Is de interventiegroep gekozen op haar voormeting (zoals een RT-groep)? Geef dan "
            "selection_on_pretest=True op: dan is ANCOVA de eerlijke schatting. Anders: kies zo mogelijk een "
            "vergelijkingsgroep die vooraf meer op de interventiegroep leek."
        )
    )


def _null_verdict(e: _Evidence) -> tuple[str, str]:
    f = labels.fmt_num
    if not np.isfinite(e.mde) or e.mde > MDE_UNINFORMATIVE:
        who = UNIT_WORDS.get(e.unit, UNIT_WORDS["leerling"])[1]
        return (
            "te weinig leerlingen",
            (
                f"Te weinig {who} om iets te concluderen: met deze groepen is pas een effect van "
                f"ongeveer {f(e.mde, 1)} standaardafwijking met redelijke zekerheid op te merken, veel groter "
                f"dan wat onderwijsinterventies meestal bereiken (mediaan 0,10; Kraft 2020). De schatting is "
                f"{f(e.headline, 2)} ({_ci_text(e.ci)}) en dat interval bevat 0."
            ),
        )
    extra = (
        f" Een groot effect ({f(policy.KRAFT_LARGE, 2)} of meer) is onwaarschijnlijk."
        if e.ci[1] < policy.KRAFT_LARGE
        else " Een klein of middelgroot effect is niet uit te sluiten."
    )
    return (
        "geen aantoonbaar effect",
        (f"Geen aantoonbaar effect: de schatting is {f(e.headline, 2)} ({_ci_text(e.ci)}); het verschil kan toeval zijn.{extra}"),
    )


def _effect_text(e: _Evidence, positive: bool) -> str:
    f = labels.fmt_num
    size = fx.kraft_label(_printed(e.headline))
    if not positive:
        head = {
            "pre_post_control": "De interventiegroep deed het slechter dan de vergelijkingsgroep",
            "cohort": f"{e.label_t} scoort lager dan {e.label_c}",
        }.get(e.design, "De groep groeide minder dan verwacht")
        return f"{head}: een {size} negatief effect, {f(e.headline, 2)} ({_ci_text(e.ci)})."
    if e.design == "pre_post_control":
        head, tail = "De interventie werkt waarschijnlijk", "."
    elif e.design == "cohort":
        head = f"{e.label_t} scoort hoger dan {e.label_c}"
        tail = "; of dat door de interventie komt, laat deze vergelijking niet zien (cohorten verschillen ook op andere punten)."
    else:
        head = "De groep groeide meer dan verwacht"
        tail = "; zonder vergelijkingsgroep is niet te zeggen dat de interventie dat veroorzaakte."
    return f"{head}: een {size} effect volgens de maatstaf van Kraft (2020), {f(e.headline, 2)} ({_ci_text(e.ci)}){tail}"


def _printed(v: float) -> float:
    """The value as the reports print it (2 decimals): labels follow the printed number."""
    return round(float(v), 2) if np.isfinite(v) else v


# ---------------------------------------------------------------------------
# input: columns, labels, numbers
# ---------------------------------------------------------------------------


def _check_columns(df: pd.DataFrame, outcome: str, pre: str | None, group: str | None, cluster=None, block=None) -> None:
    found = ", ".join(map(str, df.columns))
    for col, what in ((outcome, "uitkomst"), (pre, "voormeting"), (group, "groep"), (cluster, "eenheid"), (block, "blok")):
        if col is not None and col not in df.columns:
            raise KeyError(f"kolom '{col}' ({what}) staat niet in de tabel; gevonden: {found}")


def _infer_design(design: str | None, pre, group, control) -> str:
    if design is None:
        design = "cohort" if pre is None else ("one_group" if control is None else "pre_post_control")
    if design not in DESIGN_LABELS:
        raise ValueError(f"onbekende opzet '{design}'; kies uit: {', '.join(DESIGN_LABELS)}")
    if design in ("pre_post_control", "one_group") and pre is None:
        raise ValueError("voor deze opzet is een voormeting nodig (geef 'pre' op)")
    if design != "one_group" and (control is None or group is None):
        raise ValueError("voor een vergelijking zijn een groepskolom en een vergelijkingsgroep nodig")
    return design


def _label_mask(col: pd.Series, values: list, what: str, group: str, notes: list[str]) -> np.ndarray:
    """Rows whose group value is one of ``values``; a Dutch error listing what is there when none is."""
    mask = col.isin(values).to_numpy()
    missing = [v for v in values if not col.isin([v]).any()]
    if mask.any():
        if missing:
            notes.append(f"De {what} {', '.join(map(repr, missing))} komt niet voor in kolom '{group}'.")
        return mask
    present = sorted(pd.unique(col.dropna()), key=str)
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in present[:20])
    hint = ""
    if any(str(v) in {str(p) for p in present} for v in missing):
        hint = (
            " Let op: tekst en getal tellen als verschillend (bijvoorbeeld '1' en 1); geef de waarde zoals ze in de kolom staat."
        )
    raise ValueError(
        f"de {what} {', '.join(map(repr, missing))} komt niet voor in kolom '{group}'; gevonden waarden: {shown or 'geen'}.{hint}"
    )


def _group_masks(df: pd.DataFrame, group, treatment, control, notes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    if group is None:
        return np.ones(len(df), dtype=bool), np.zeros(len(df), dtype=bool)
    tvals = _as_list(treatment)
    if not tvals:
        raise ValueError("geef aan welke groep de interventiegroep is ('treatment')")
    cvals = _as_list(control)
    both = [v for v in tvals if v in cvals]
    if both:
        raise ValueError(
            f"{', '.join(map(repr, both))} staat zowel bij de interventiegroep als bij de vergelijkingsgroep; "
            "een leerling kan maar in één van beide groepen zitten"
        )
    is_t = _label_mask(df[group], tvals, "interventiegroep", group, notes)
    is_c = _label_mask(df[group], cvals, "vergelijkingsgroep", group, notes) if cvals else np.zeros(len(df), dtype=bool)
    return is_t, is_c


def _numeric(df: pd.DataFrame, col: str, what: str, notes: list[str]) -> np.ndarray:
    """Scores as floats: decimal commas understood, ±inf counted as missing (with a note)."""
    s = df[col]
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        text = s.astype("string").str.strip().str.replace(",", ".", regex=False)
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        unreadable = int((s.notna() & text.fillna("").ne("") & np.isnan(values)).sum())
        if unreadable:
            notes.append(
                f"{unreadable} waarde{'n' if unreadable != 1 else ''} in de kolom '{col}' ({what}) "
                f"{'zijn' if unreadable != 1 else 'is'} geen getal en {'tellen' if unreadable != 1 else 'telt'} als ontbrekend."
            )
    else:
        values = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
    inf = np.isinf(values)
    if inf.any():
        k = int(inf.sum())
        values = np.where(inf, np.nan, values)
        notes.append(
            f"{k} oneindige waarde{'n' if k != 1 else ''} in de kolom '{col}' ({what}) "
            f"{'tellen' if k != 1 else 'telt'} als ontbrekend."
        )
    return values


def _drop_note(dropped: int, design: str, pre: str | None) -> str:
    missing = "voor- of nameting" if design != "cohort" and pre else "score"
    return f"{dropped} leerling{'en' if dropped != 1 else ''} zonder {missing} {'tellen' if dropped != 1 else 'telt'} niet mee."


# ---------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------


def _labels(design, outcome, pre, group, treatment, control) -> dict:
    """What was compared, as a result records it."""
    return {
        "design": design,
        "outcome": outcome,
        "pre": pre,
        "treatment": _name(treatment) if group is not None else "groep",
        "control": _name(control) if control is not None else None,
    }


def _settings(alpha, seed, n_boot, min_n, selection_on_pretest) -> dict:
    """The settings a result records, as plain values."""
    return {
        "alpha": float(alpha),
        "seed": int(seed),
        "n_boot": int(n_boot),
        "min_n": int(min_n),
        "selection_on_pretest": bool(selection_on_pretest),
    }


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
    cluster: str | None = None,
    block: str | None = None,
    unit: str = "klas",
    z_scores: bool | None = None,
) -> CompareResult:
    """Compare an intervention group with a comparison (or with expectation), honestly.

    Parameters
    ----------
    df : DataFrame
        One row per pupil; scores may be text with a decimal comma, ±inf counts as missing.
    outcome, pre, group : str
        Columns: outcome (posttest, or a cohort's score), pretest, group (``None``: one group).
    treatment, control : value or list of values
        Values of ``group`` for the intervention group / this cohort and the comparison
        (Dutch error when absent or in both).  ``control=None`` with ``pre`` → one group.
    design : {"pre_post_control", "cohort", "one_group"}, optional
        Inferred when omitted.  ``"cohort"`` ignores ``pre``.
    selection_on_pretest : bool
        Pupils were chosen on their pretest (RT-group).  One group: also assumed,
        with a note, when the group's pretest mean is > 0.5 SD below the reference.
    reliability, norm_growth, pre_reference : optional
        Test–retest r (regression-to-the-mean slope r·s_post/s_pre; default: the slope
        in the reference population); the expected gain without intervention (needed
        unless z-scores); pretest (mean, sd) of the population the group came from.
    seed, n_boot, alpha, min_n :
        Bootstrap seed and resamples (0: none); 1 − confidence; smallest group judged.
    cluster, block, unit : str, optional
        Column with the **assigned unit** (class; groep × school year) when whole units
        got the intervention: verdict from adjusted unit means, K − 2 df
        (:mod:`plgdata.analysis.clustered`; one unit per arm → *niet te scheiden*);
        ``block``: a fixed block per unit (groep); ``unit``: ``"klas"``/``"jaargroep"``.
    z_scores : bool, optional
        One group: national z-scores?  Default: only scores that can be nothing else
        (within ±6, SD ≤ 3, not all whole numbers); ``False`` for a quiz.

    Returns :class:`CompareResult`; formulas, decision rule and references: module docstring.

    Examples
    --------
    >>> df = pd.DataFrame({"score": [34, 54, 33, 44, 45, 53, 37, 26, 38, 58, 66, 38, 35, 55, 48, 39, 65, 32, 57, 41],
    ...                    "groep": ["controle"] * 10 + ["experiment"] * 10})
    >>> res = compare(df, "score", "groep", "experiment", "controle", n_boot=500)
    >>> round(res.mean_difference, 1), round(res.hedges_g, 4), res.verdict
    (5.4, 0.4505, 'te weinig leerlingen')
    """
    _check_columns(df, outcome, pre, group, cluster, block)
    design, notes = _infer_design(design, pre, group, control), []
    is_t, is_c = _group_masks(df, group, treatment, control, notes)
    y_all = _numeric(df, outcome, "uitkomst", notes)
    x_all = _numeric(df, pre, "voormeting", notes) if pre is not None and design != "cohort" else None
    ok = _select_rows(design, is_t, is_c, y_all, x_all, notes, pre)
    common = {
        **_labels(design, outcome, pre, group, treatment, control),
        **_settings(alpha, seed, n_boot, min_n, selection_on_pretest),
    }
    if design == "one_group":
        return _one_group(y_all, x_all, is_t, ok, common, notes, reliability, norm_growth, (pre_reference, z_scores))
    yt, yc = y_all[is_t & ok], y_all[is_c & ok]
    units = _units(df, cluster, block, unit, is_t & ok, is_c & ok)
    if design == "cohort":
        return _cohort(yt, yc, common, notes, units)
    return _pre_post(yt, yc, x_all[is_t & ok], x_all[is_c & ok], common, notes, units)


def _units(df: pd.DataFrame, cluster, block, unit: str, in_t: np.ndarray, in_c: np.ndarray) -> dict | None:
    """The assigned unit (and block) of each pupil in the treatment and control arm, or None."""
    if cluster is None:
        return None
    if unit not in UNIT_WORDS or unit == "leerling":
        raise ValueError(f"onbekende eenheid '{unit}'; kies 'klas' of 'jaargroep'")
    u = df[cluster].astype("string").fillna("onbekend").to_numpy(dtype=object)
    b = df[block].astype("string").fillna("onbekend").to_numpy(dtype=object) if block is not None else None
    return {
        "unit": unit,
        "t": u[in_t],
        "c": u[in_c],
        "block_t": b[in_t] if b is not None else None,
        "block_c": b[in_c] if b is not None else None,
    }


def _apply_units(kw: dict, units: dict, yt, yc, xt, xc, alpha: float, notes: list[str]) -> ClusterEstimate:
    """Make the unit-level estimate (adjusted unit means, K − 2 df) the headline of ``kw``."""
    y = np.concatenate([yt, yc])
    treat = np.concatenate([np.ones(len(yt), bool), np.zeros(len(yc), bool)])
    x = np.concatenate([xt, xc]) if xt is not None else None
    blocks = np.concatenate([units["block_t"], units["block_c"]]) if units["block_t"] is not None else None
    ce = cluster_difference(y, treat, np.concatenate([units["t"], units["c"]]), x=x, block=blocks, alpha=alpha)
    one, many = UNIT_WORDS[units["unit"]]
    se_g = ce.se / ce.sd if np.isfinite(ce.sd) and ce.sd > 0 else NAN
    adjusted = "gecorrigeerd voor de voormeting, " if x is not None else ""
    kw.update(
        unit=units["unit"],
        n_units_treatment=ce.k_treatment,
        n_units_control=ce.k_control,
        units_df=float(ce.df),
        unit_difference=ce.difference,
        unit_difference_ci=ce.ci,
        unit_means=ce.units,
        headline=ce.g,
        headline_ci=ce.g_ci,
        mde=fx.power_multiplier(float(ce.df), alpha) * se_g if ce.df > 0 else NAN,
        effect_size_name=f"verschil tussen de gemiddelden per {one} ({adjusted}in sd van de leerlingen)",
        ci_method=(
            f"t-interval over de {many} ({ce.k_treatment} + {ce.k_control}, {ce.df} vrijheidsgraden); "
            "geen bootstrap (te weinig eenheden)"
        ),
    )
    if ce.df > 0:
        notes.append(
            f"De interventie ging naar hele {many}. Daarom telt elke {one} als één waarneming: leerlingen in één {one} "
            f"lijken op elkaar (zelfde leerkracht, zelfde jaar), dus {ce.k_treatment + ce.k_control} {many} geven minder "
            f"zekerheid dan {len(y)} losse leerlingen. Het interval is daardoor breder dan bij een vergelijking van leerlingen."
        )
    return ce


def _bootstrap_shown(design: str, nt: int, nc: int) -> bool:
    """Whether the BCa interval is printed: not for small, unbalanced groups (it undercovers there)."""
    if design == "one_group":
        return True
    small, large = min(nt, nc), max(nt, nc)
    return small >= BOOT_SHOW_MIN_N or large <= BOOT_SHOW_MAX_RATIO * small


def _select_rows(design, is_t, is_c, y_all, x_all, notes, pre) -> np.ndarray:
    """Rows with the values the design needs; the drop is counted in a note."""
    ok = ~np.isnan(y_all)
    if x_all is not None and design != "cohort":
        ok &= ~np.isnan(x_all)
    rows = (is_t | is_c) if design != "one_group" else is_t
    dropped = int((rows & ~ok).sum())
    if dropped:
        notes.append(_drop_note(dropped, design, pre))
    return ok


def _finish(common, notes, boot, problem: str | None = None, **kw) -> CompareResult:
    design = common["design"]
    n_min = min(kw["n_treatment"], kw["n_control"]) if design != "one_group" else kw["n_treatment"]
    ci_boot = (boot.ci_low, boot.ci_high) if boot is not None else NAN2
    shown = boot is None or _bootstrap_shown(design, kw["n_treatment"], kw["n_control"])
    if not shown:
        notes.append(
            f"Het bootstrap-interval ({labels.fmt_num(ci_boot[0], 2)} tot {labels.fmt_num(ci_boot[1], 2)}) staat niet "
            "in de samenvatting: bij een kleine groep naast een veel grotere is het te smal (het bevat de echte "
            "waarde minder vaak dan 95 van de 100 keer). Het analytische interval houdt die 95% wel; het oordeel "
            "gebruikt beide."
        )
    evidence = _Evidence(
        design=design,
        n_min=n_min,
        min_n=common["min_n"],
        headline=kw.get("headline", NAN),
        ci=kw.get("headline_ci", NAN2),
        ci_boot=ci_boot,
        boot_expected=boot is not None,
        mde=kw.get("mde", NAN),
        baseline_g=kw.get("baseline_g", NAN),
        baseline_cat=kw.get("baseline_category", "n.v.t."),
        selection_on_pretest=common["selection_on_pretest"],
        label_t=kw.get("label_treatment", ""),
        label_c=kw.get("label_control", ""),
        problem=problem,
        unit=kw.get("unit", "leerling"),
        units=(kw.get("n_units_treatment", 0), kw.get("n_units_control", 0), int(np.nan_to_num(kw.get("units_df", 0)))),
        unit_difference=kw.get("unit_difference", NAN),
    )
    verdict, text = _verdict(evidence)
    text = text[:1].upper() + text[1:]  # a sentence may open with a group label ("het cohort sinds ...")
    return CompareResult(
        **common,
        **kw,
        headline_ci_boot=ci_boot,
        bootstrap_method=boot.method if boot is not None else "geen",
        bootstrap_distribution=boot.distribution if boot is not None else _empty(),
        bootstrap_shown=shown,
        kraft=fx.kraft_label(_printed(kw.get("headline", NAN))),
        verdict=verdict,
        verdict_nl=text,
        notes=tuple(notes),
    )


def _no_spread(sd: float, what: str) -> str | None:
    if np.isfinite(sd) and sd > 0:
        return None
    if sd == 0:
        return (
            f"geen spreiding — alle {what} zijn gelijk, dus een verschil in standaardafwijkingen is niet te "
            "berekenen. Kijk naar de scores zelf of kies een toets die de leerlingen beter onderscheidt."
        )
    return None


def _two_group_basics(yt, yc, alpha, notes) -> dict:
    out: dict = {}
    if len(yt) >= 2 and len(yc) >= 2:
        diff, ci, t, p, pw = _two_sample_t(yt, yc, alpha)
        g = fx.hedges_g(yt, yc) if fx._pooled_sd(yt, yc) > 0 else NAN
        g_lo, g_hi, exact = fx.g_ci_nct_checked(g, len(yt), len(yc), 1 - alpha)
        if not exact:
            notes.append(
                "Het exacte interval (noncentrale t) is bij zo'n groot verschil met zo weinig leerlingen niet te "
                "berekenen; het interval van g komt uit de normale benadering."
            )
        u = stats.mannwhitneyu(yt, yc, alternative="two-sided")
        out.update(
            mean_difference=diff,
            mean_difference_ci=ci,
            t_stat=t,
            p_value=p,
            p_welch=pw,
            hedges_g=g,
            hedges_g_ci=(g_lo, g_hi),
            hedges_g_ci_normal=fx.g_ci_normal(g, len(yt), len(yc), 1 - alpha),
            glass_delta=fx.glass_delta(yt, yc) if np.std(yc) > 0 else NAN,
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
        return f"{analytic}; geen bootstrap (te weinig leerlingen of niet gevraagd)"
    if boot.method == "BCa":
        return f"{analytic}; BCa-bootstrap met {boot.n_resamples} trekkingen (seed {boot.seed})"
    return (
        f"{analytic}; percentiel-bootstrap met {boot.n_resamples} trekkingen (seed {boot.seed}; "
        "BCa was niet bruikbaar of te zwaar voor zoveel leerlingen)"
    )


def _cohort(yt, yc, common, notes, units=None) -> CompareResult:
    alpha = common["alpha"]
    nt, nc = len(yt), len(yc)
    mt, st = _desc(yt)
    mc, sc = _desc(yc)
    basics = _two_group_basics(yt, yc, alpha, notes)
    mde = fx.minimum_detectable_effect(nt, nc, alpha)
    problem = _no_spread(float(fx._pooled_sd(yt, yc)) if nt >= 2 and nc >= 2 else NAN, "scores")
    if np.isfinite(st) and np.isfinite(sc) and min(st, sc) > 0 and max(st, sc) / min(st, sc) > 1.5:
        notes.append("De spreiding verschilt sterk tussen de groepen; kijk ook naar Glass' Δ.")
    kw = dict(
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
        headline=basics.get("hedges_g", NAN),
        headline_ci=basics.get("hedges_g_ci", NAN2),
        values_treatment=_ro(yt),
        values_control=_ro(yc),
        label_treatment=common["treatment"],
        label_control=common["control"],
    )
    boot = None
    if units is not None and problem is None and nt >= 2 and nc >= 2:
        _apply_units(kw, units, yt, yc, None, None, alpha, notes)
    else:
        boot = None if problem else _boot(fx._g_stat, (yt, yc), common, min(nt, nc))
        kw["ci_method"] = _ci_method("noncentrale t (exact)", boot)
    return _finish(common, notes, boot, problem, **kw)


def _within_ss(a: np.ndarray, b: np.ndarray) -> float:
    return float(((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum())


def _ancova(xt, yt, xc, yc, alpha) -> tuple[dict, str | None]:
    """ANCOVA ``post ~ pre + group`` (statsmodels OLS), its g, MDE and slope check; ``problem`` when rank deficient."""
    nt, nc = len(yt), len(yc)
    n = nt + nc
    sp = float(fx._pooled_sd(yt, yc))
    if _within_ss(xt, xc) == 0:
        return {}, (
            "de voormeting heeft binnen de groepen geen spreiding (bijvoorbeeld overal dezelfde score), dus ANCOVA "
            "kan niet corrigeren voor de voormeting. Controleer de kolom met de voormeting."
        )
    if sp == 0:
        return {}, _no_spread(0.0, "nametingen")
    x, y = np.concatenate([xt, xc]), np.concatenate([yt, yc])
    tr = np.concatenate([np.ones(nt), np.zeros(nc)])
    X = np.column_stack([np.ones(n), x, tr])
    fit = _ols(X, y)
    if fit.model.rank < X.shape[1]:
        return {}, "de voormeting en de groepsindeling vallen samen (rangtekort), dus ANCOVA is niet te schatten."
    ci = fit.conf_int(alpha)
    b2, b1 = float(fit.params[2]), float(fit.params[1])
    j = fx.hedges_correction(n - 2)
    se_g = j * float(fit.bse[2]) / sp
    inter_p = NAN
    if n >= 6 and min(np.var(xt), np.var(xc)) > 0:
        fit_i = _ols(np.column_stack([X, x * tr]), y)
        if fit_i.model.rank == 4:
            inter_p = float(fit_i.pvalues[3])
    return {
        "ancova_difference": b2,
        "ancova_ci": (float(ci[2, 0]), float(ci[2, 1])),
        "ancova_p": float(fit.pvalues[2]),
        "ancova_slope": b1,
        "ancova_g": j * b2 / sp,
        "ancova_g_ci": (j * float(ci[2, 0]) / sp, j * float(ci[2, 1]) / sp),
        "slope_interaction_p": inter_p,
        "mde": fx.power_multiplier(float(n - 3), alpha) * se_g,
    }, None


def _pre_post_notes(kw: dict, common: dict, notes: list[str]) -> None:
    f = labels.fmt_num
    if common["selection_on_pretest"]:
        notes.append(
            "De leerlingen zijn gekozen op hun voormeting. Dan is alleen ANCOVA een eerlijke schatting: "
            "de vergelijking van leerwinst bevat regressie naar het gemiddelde (laag scorende leerlingen "
            "scoren de volgende keer vanzelf wat hoger)."
        )
    else:
        notes.append(
            f"Gelijkwaardigheid vooraf (What Works Clearinghouse): verschil op de voormeting g = "
            f"{f(kw['baseline_g'], 2)}, '{kw['baseline_category']}'."
        )
    if "ancova_difference" not in kw:
        return
    b2, gd, b1 = kw["ancova_difference"], kw["gain_difference"], kw["ancova_slope"]
    notes.append(
        f"ANCOVA geeft een verschil van {f(b2)} punten, de vergelijking van leerwinst (verschil-in-verschillen) "
        f"{f(gd)} punten. Ze verschillen {f(abs(b2 - gd))} punten omdat ANCOVA de nameting corrigeert met "
        f"helling {f(b1, 2)} in plaats van 1, terwijl de groepen op de voormeting "
        f"{f(kw['pre_mean_treatment'] - kw['pre_mean_control'])} punten verschilden "
        "(verschil = (1 − helling) × verschil vooraf)."
    )
    inter_p = kw["slope_interaction_p"]
    if np.isfinite(inter_p) and inter_p < 0.05:
        notes.append(
            f"Let op: de samenhang tussen voor- en nameting verschilt per groep (p = {f(inter_p, 3)}). "
            "Het ANCOVA-effect is dan een gemiddelde; het effect hangt af van het beginniveau."
        )


def _pre_post_stats(yt, yc, xt, xc, common, notes) -> tuple[dict, str | None]:
    """ANCOVA, gain scores, Morris d_ppc2 and baseline equivalence (needs 2 + 2 pupils and 5 in all)."""
    alpha = common["alpha"]
    nt, nc = len(yt), len(yc)
    bg = fx.hedges_g(xt, xc) if fx._pooled_sd(xt, xc) > 0 else NAN
    kw: dict = {"baseline_g": bg, "baseline_category": baseline_category(_printed(bg))}
    anc, problem = _ancova(xt, yt, xc, yc, alpha)
    kw.update(anc)
    gd, gci, _, gp, _ = _two_sample_t(yt - xt, yc - xc, alpha)
    dm, dlo, dhi = fx.morris_dppc2_ci(xt, yt, xc, yc, 1 - alpha) if np.isfinite(bg) else (NAN, NAN, NAN)
    kw.update(
        gain_difference=gd,
        gain_difference_ci=gci,
        gain_difference_p=gp,
        morris_dppc2=dm,
        morris_dppc2_ci=(dlo, dhi),
        mde_unadjusted=fx.minimum_detectable_effect(nt, nc, alpha),
        headline=kw.get("ancova_g", NAN),
        headline_ci=kw.get("ancova_g_ci", NAN2),
    )
    kw.setdefault("mde", kw["mde_unadjusted"])
    return kw, problem


def _pre_post(yt, yc, xt, xc, common, notes, units=None) -> CompareResult:
    nt, nc = len(yt), len(yc)
    mt, st = _desc(yt)
    mc, sc = _desc(yc)
    pmt, pst = _desc(xt)
    pmc, psc = _desc(xc)
    kw: dict = {
        "n_treatment": nt,
        "n_control": nc,
        "mean_treatment": mt,
        "sd_treatment": st,
        "mean_control": mc,
        "sd_control": sc,
        "pre_mean_treatment": pmt,
        "pre_sd_treatment": pst,
        "pre_mean_control": pmc,
        "pre_sd_control": psc,
        "effect_size_name": "ANCOVA-effectgrootte g (nameting gecorrigeerd voor voormeting, exacte correctie)",
        "label_treatment": "interventiegroep",
        "label_control": "vergelijkingsgroep",
        "values_treatment": _ro(yt),
        "values_control": _ro(yc),
    }
    kw.update(_two_group_basics(yt, yc, common["alpha"], notes))
    boot, problem = None, None
    if nt >= 2 and nc >= 2 and nt + nc >= 5:
        stats_kw, problem = _pre_post_stats(yt, yc, xt, xc, common, notes)
        kw.update(stats_kw)
        if problem is None and units is not None:
            _apply_units(kw, units, yt, yc, xt, xc, common["alpha"], notes)
        elif problem is None:
            boot = _boot(
                _ancova_g_stat(xt, yt, xc, yc), (np.arange(nt, dtype=float), np.arange(nc, dtype=float)), common, min(nt, nc)
            )
        _pre_post_notes(kw, common, notes)
        kw.setdefault("ci_method", _ci_method("t-interval van het ANCOVA-verschil gedeeld door de gepoolde sd", boot))
    else:
        kw["ci_method"] = _ci_method("geen (te weinig leerlingen)", None)
        kw["mde"] = fx.minimum_detectable_effect(nt, nc, common["alpha"])
    return _finish(common, notes, boot, problem, **kw)


def _looks_like_z(*arrays: np.ndarray) -> bool:
    """Scores that can only be z-scores: all within ±6, a spread of at most 3, and not all whole numbers.

    A quiz scored 0–6 passes the first two tests; its whole-number points are not z-scores.
    """
    v = np.concatenate([a[np.isfinite(a)] for a in arrays])
    if len(v) < 2 or np.all(v == np.round(v)):
        return False
    return float(np.abs(v).max()) <= 6 and float(v.std(ddof=1)) <= 3


def _reference(x_all, ok, x, y, pre_reference, z_scores: bool | None = None) -> dict:
    """Pretest mean/SD of the population the group comes from, and where they came from."""
    n = len(x)
    n_ref = int(ok.sum())
    has_ref = n_ref > n and n_ref >= 3
    z_like = _looks_like_z(x, y) if z_scores is None else bool(z_scores)
    if pre_reference is not None:
        mu, sigma, src, var_mu = float(pre_reference[0]), float(pre_reference[1]), "opgegeven", 0.0
    elif has_ref:
        mu, sigma = float(x_all[ok].mean()), float(x_all[ok].std(ddof=1))
        src, var_mu = "alle leerlingen in de tabel", sigma**2 / n_ref
    elif z_like:
        mu, sigma, src, var_mu = 0.0, 1.0, "z-scores (landelijke norm)", 0.0
    else:
        mu, sigma, src, var_mu = NAN, (float(x.std(ddof=1)) if n >= 2 else NAN), "onbekend", 0.0
    return {"mu": mu, "sigma": sigma, "src": src, "var_mu": var_mu, "has_ref": has_ref, "z_like": z_like, "n_ref": n_ref}


def _rest_regression(x_all, y_all, rest) -> tuple[float, float, float] | None:
    """Slope of post on pre in the reference pupils outside the group, its variance and residual variance.

    Selection on the pretest does not bias this slope (it conditions on the
    pretest), and the group's own posttest — which holds the effect being
    estimated — is not used.
    """
    if rest.sum() < 3 or np.var(x_all[rest]) == 0:
        return None
    x, y = x_all[rest], y_all[rest]
    res = stats.linregress(x, y)
    resid = y - res.intercept - res.slope * x
    return float(res.slope), float(res.stderr) ** 2, float(resid @ resid) / (len(x) - 2)


def _rtm_slope(x_all, y_all, ok, sel, x, y, reliability, ref) -> tuple[float, float, float, str]:
    """(b, var_b, r, source): b = r·s_post/s_pre, the regression slope of the posttest on the pretest.

    s_post/s_pre is the population's: :math:`\\sqrt{b_{rest}^2\\sigma^2 + s_e^2}/\\sigma`
    from the regression outside the group and the pretest SD σ of all pupils.
    """
    rest = _rest_regression(x_all, y_all, ok & ~sel) if ref["has_ref"] else None
    sigma = ref["sigma"]
    if rest is not None and np.isfinite(sigma) and sigma > 0:
        b_rest, var_b, s2e = rest
        ratio = math.sqrt(b_rest**2 * sigma**2 + s2e) / sigma
        if reliability is not None:
            r = float(reliability)
            return r * ratio, 0.0, r, "opgegeven betrouwbaarheid"
        r = b_rest / ratio if ratio > 0 else NAN
        return b_rest, var_b, r, "helling van nameting op voormeting bij de leerlingen buiten de groep"
    if reliability is not None:
        r = float(reliability)
        return r, 0.0, r, "opgegeven betrouwbaarheid"
    if len(x) >= 3 and np.var(x) > 0:
        res = stats.linregress(x, y)
        return (
            float(res.slope),
            float(res.stderr) ** 2,
            float(res.rvalue),
            ("helling van nameting op voormeting binnen de groep (onzeker bij weinig leerlingen)"),
        )
    return NAN, 0.0, NAN, "onbekend"


def _detect_selection(common, ref, x, notes) -> bool:
    """Selection on the pretest, also when the flag was forgotten (same heuristic as :mod:`plgdata.designs`)."""
    if common["selection_on_pretest"]:
        return True
    mu, sigma = ref["mu"], ref["sigma"]
    if not (np.isfinite(mu) and np.isfinite(sigma) and sigma > 0 and len(x) >= 2):
        return False
    gap = (mu - float(x.mean())) / sigma
    share = len(x) / ref["n_ref"] if ref["has_ref"] else 0.0
    if gap > SELECTION_SD_GAP and share <= SELECTION_MAX_SHARE:
        notes.append(
            f"De groep scoorde op de voormeting {labels.fmt_num(gap, 2)} standaardafwijking onder de referentie "
            f"({ref['src']}): waarschijnlijk gekozen op de voormeting (zoals een RT-groep). Daarom is de "
            "correctie voor regressie naar het gemiddelde toegepast. Geef selection_on_pretest=True op als dat "
            "klopt."
        )
        return True
    return False


def _beyond_expectation(x, y, b, var_b, mu, var_mu, norm, alpha) -> tuple[float, float, float, float]:
    """Mean of y − b·x − (1−b)·μ − norm with a t interval that includes the uncertainty of b and μ."""
    n = len(y)
    mu_term = (1 - b) * mu if b != 1.0 else 0.0
    v = y - b * x - mu_term - norm
    est = float(v.mean())
    var = float(v.var(ddof=1)) / n
    if b != 1.0:
        var += (float(x.mean()) - mu) ** 2 * var_b + (1 - b) ** 2 * var_mu
    se = math.sqrt(var)
    if se > 0:
        lo, hi = stats.t.interval(1 - alpha, n - 1, loc=est, scale=se)
    else:
        lo, hi = NAN, NAN
    return est, float(lo), float(hi), se


def _one_group_problem(ref, norm_growth, scale, se) -> str | None:
    if norm_growth is None and not ref["z_like"]:
        return (
            "er is geen verwachte groei (normgroei) opgegeven en de scores zijn geen z-scores, dus gewone groei "
            "zou als winst tellen. Geef de verwachte groei op (norm_growth, uit een normtabel of eerdere "
            "cohorten) en het gemiddelde en de sd van de voormeting in de groep waaruit gekozen is "
            "(pre_reference), of neem alle leerlingen op in de tabel."
        )
    if scale == 0 or se == 0:
        return _no_spread(0.0, "scores")
    return None


def _one_group_notes(notes, common, ref, selected, b, r, r_src, shift, g_m, norm, b_m) -> None:
    f = labels.fmt_num
    if selected and not np.isfinite(ref["mu"]):
        notes.append(
            "De verwachte schijnwinst door regressie naar het gemiddelde is niet te schatten: geef het "
            "gemiddelde en de sd van de hele groep waaruit gekozen is (pre_reference) of neem alle "
            "leerlingen op in de tabel."
        )
    elif selected:
        notes.append(
            f"Regressie naar het gemiddelde: leerlingen die gekozen zijn omdat ze laag scoorden, scoren de "
            f"volgende keer vanzelf hoger. Met samenhang r = {f(r, 2)} en helling {f(b, 2)} ({r_src}) is "
            f"{f(shift)} punten van de winst te verwachten zonder dat er iets gebeurt."
        )
    notes.append(
        f"Ruwe leerwinst {f(g_m)} punten; verwachte groei {f(norm)}; winst boven verwachting {f(b_m)} punten "
        f"(referentie voor de voormeting: {ref['src']})."
    )


def _one_group(y_all, x_all, is_t, ok, common, notes, reliability, norm_growth, ref_opts) -> CompareResult:
    alpha = common["alpha"]
    sel = is_t & ok
    y, x = y_all[sel], x_all[sel]
    n = len(y)
    ref = _reference(x_all, ok, x, y, *ref_opts)
    norm = 0.0 if norm_growth is None else float(norm_growth)
    selected = _detect_selection(common, ref, x, notes)
    common = {**common, "selection_on_pretest": selected}
    mt, st = _desc(y)
    mc, sc = _desc(x)
    kw: dict = {
        "n_treatment": n,
        "n_control": n,
        "label_treatment": "nameting",
        "label_control": "voormeting",
        "values_treatment": _ro(y),
        "values_control": _ro(x),
        "norm_growth": norm,
        "reference_mean": ref["mu"],
        "reference_sd": ref["sigma"],
        "mean_treatment": mt,
        "sd_treatment": st,
        "mean_control": mc,
        "sd_control": sc,
    }
    boot, problem = None, None
    if n >= 2:
        b, var_b, r, r_src = _rtm_slope(x_all, y_all, ok, sel, x, y, reliability, ref)
        use = selected and np.isfinite(ref["mu"]) and np.isfinite(b)
        b_use = b if use else 1.0
        g_m, g_lo, g_hi = _t_ci_mean(y - x, alpha)
        b_m, b_lo, b_hi, se = _beyond_expectation(x, y, b_use, var_b, ref["mu"], ref["var_mu"], norm, alpha)
        scale = ref["sigma"] if np.isfinite(ref["sigma"]) and ref["sigma"] > 0 else NAN
        shift = (1 - b_use) * (ref["mu"] - x.mean()) if use else 0.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = float(stats.ttest_rel(y, x).pvalue)
        kw.update(
            naive_gain=g_m,
            naive_gain_ci=(g_lo, g_hi),
            p_value=p,
            d_z=fx.cohens_dz(x, y),
            g_av=fx.cohens_dav(x, y, correct=True),
            rtm_expected_gain=float(shift),
            rtm_slope=float(b_use) if use else NAN,
            gain_beyond_rtm=b_m,
            gain_beyond_rtm_ci=(b_lo, b_hi),
            reliability_used=float(r) if selected else NAN,
            reliability_source=r_src if selected else "n.v.t. (niet gekozen op de voormeting)",
            mde=fx.power_multiplier(float(n - 1), alpha) * se / scale,
            headline=b_m / scale,
            headline_ci=(b_lo / scale, b_hi / scale),
        )
        kw["mde_unadjusted"] = kw["mde"]
        problem = _one_group_problem(ref, norm_growth, ref["sigma"], se)
        if np.isfinite(scale) and problem is None:
            boot = _boot(
                _one_group_stat(x, y, b_use, (1 - b_use) * ref["mu"] if use else 0.0, norm, scale),
                (np.arange(n, dtype=float),),
                common,
                n,
            )
        _one_group_notes(notes, common, ref, selected, b_use, r, r_src, shift, g_m, norm, b_m)
    kw["effect_size_name"] = "leerwinst boven verwachting (norm en regressie naar het gemiddelde) in sd van de voormeting"
    kw["ci_method"] = _ci_method("t-interval over leerlingen (met de onzekerheid van de helling)", boot)
    notes.append("Zonder vergelijkingsgroep blijft onzeker of de interventie de oorzaak is.")
    if norm_growth is None and not ref["z_like"]:
        notes.append(
            "Er is geen verwachte groei (normgroei) opgegeven; die is op 0 gezet. Bij vaardigheidsscores groeit "
            "elke leerling ook zonder interventie, dus de winst boven verwachting is dan te hoog."
        )
    return _finish(common, notes, boot, problem, **kw)


def _one_group_stat(x, y, b, mu_c, norm, scale):
    def stat(idx, axis=-1):
        i = idx.astype(np.intp)
        return (y[i].mean(-1) - b * x[i].mean(-1) - mu_c - norm) / scale

    return stat
