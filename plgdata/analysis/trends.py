"""Trends over school years: cross-sections (dwarsdoorsnede) and cohorts.

* :func:`trend_cross_section` — the same groep and moment over successive school years
  (different pupils each year): "how does our E6 begrijpend lezen develop?".
* :func:`trend_cohort` — the same pupils followed through the groepen.
* :func:`three_year_average` — the three-year rolling average the inspectorate and the
  datateammethode use (one year is not a trend).

Means are only taken within one scale: a change of test version (Cito 2.0 → 3.0,
Cito → IEP) starts a separate line and is flagged.  The number of pupils is part of
every point.  Dutch notes that belong with the result are in ``attrs["notes"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from plgdata.analysis.growth import normalise_school_year, year_start
from plgdata.analysis.levels import _system_of_level, level_info
from plgdata.model.vocabulary import normalise_subject

MIN_COHORTS = 3


def three_year_average(
    df: pd.DataFrame, value: str, *, year_col: str = "school_year", by: Sequence[str] = (), window: int = 3
) -> pd.Series:
    """Rolling average of ``value`` over the last ``window`` consecutive school years.

    Parameters
    ----------
    df : DataFrame
        One row per line (``by``) and school year.
    value : str
        Column to average (a yearly mean or share).
    year_col : str
        School-year column (``'2024-2025'``).
    by : sequence of str
        Columns identifying a line (e.g. groep, period, scale).
    window : int
        Number of years (default 3).

    Returns
    -------
    Series
        Aligned with ``df``: the mean of the values of years y−window+1 … y, NaN unless all
        ``window`` years are present (a missing year is not bridged).

    Notes
    -----
    Unweighted mean of the yearly values, as the inspectorate averages yearly
    percentages over three years.

    Examples
    --------
    >>> t = pd.DataFrame({"school_year": ["2021-2022", "2022-2023", "2023-2024", "2024-2025"],
    ...                   "mean": [10.0, 20.0, 30.0, 40.0]})
    >>> three_year_average(t, "mean").tolist()
    [nan, nan, 20.0, 30.0]
    """
    by = list(by)
    base = pd.DataFrame({c: df[c].astype(str).to_numpy() for c in by})
    base["_y"] = year_start(df[year_col]).to_numpy()
    base["_v"] = df[value].to_numpy(dtype="float64")
    if base.duplicated(by + ["_y"]).any():
        raise ValueError("three_year_average: per lijn mag elk schooljaar maar één keer voorkomen.")
    acc = np.zeros(len(base))
    cnt = np.zeros(len(base))
    for k in range(window):
        shifted = base.copy()
        shifted["_y"] = shifted["_y"] + k
        hit = base[by + ["_y"]].merge(shifted, on=by + ["_y"], how="left")["_v"].to_numpy()
        ok = ~np.isnan(hit)
        acc += np.where(ok, hit, 0.0)
        cnt += ok
    out = np.where(cnt == window, acc / window, np.nan)
    return pd.Series(out, index=df.index, name=f"{value}_3jr")


def _aggregate(d: pd.DataFrame, keys: list[str], level: str, min_n: int) -> pd.DataFrame:
    system, _main, target_rank = _system_of_level(level)
    info = level_info(d["level"])
    in_sys = (info["level_system"] == system).to_numpy()
    hit = np.where(in_sys, (info["level_rank"].to_numpy() <= target_rank).astype("float64"), np.nan)
    d = d[keys + ["score", "pupil_id"]].copy()
    d["_lvl"] = hit
    for c in keys:
        if isinstance(d[c].dtype, pd.CategoricalDtype):
            d[c] = d[c].cat.remove_unused_categories()
    g = d.groupby(keys, observed=True, sort=True)
    res = g.agg(
        n=("pupil_id", "nunique"),
        n_score=("score", "count"),
        mean=("score", "mean"),
        sd=("score", "std"),
        n_level=("_lvl", "count"),
        share_at_or_above=("_lvl", "mean"),
    ).reset_index()
    small = res["n"] < min_n
    res["suppressed"] = small
    res.loc[small, ["mean", "sd", "share_at_or_above"]] = np.nan
    return res


def _cross_section_notes(res: pd.DataFrame, subj: str) -> list[str]:
    """What a team must know before reading the dwarsdoorsnede (too few years, a change of scale)."""
    if res.empty:
        return [f"Er zijn geen resultaten voor {subj} bij deze groep en dit moment."]
    notes = []
    n_years = res.groupby(["groep", "period"], observed=True)["school_year"].nunique()
    if (n_years < MIN_COHORTS).any():
        notes.append(
            "Minder dan drie cohorten: één of twee jaar is nog geen trend. "
            "Kijk naar drie opeenvolgende jaren voordat je een conclusie trekt."
        )
    if res["scale_break"].any():
        scales = sorted(res[res["scale_break"]]["scale"].astype(str).unique())
        notes.append(
            f"De toetsversie wisselt ({', '.join(scales)}): vaardigheidsscores van verschillende "
            "schalen staan als aparte lijnen en zijn niet met elkaar te vergelijken. "
            "Het percentage op niveau III of hoger is wel per jaar te volgen, omdat elk niveau "
            "ten opzichte van de eigen landelijke normgroep is bepaald."
        )
    return notes


def trend_cross_section(
    scores: pd.DataFrame,
    subject: str,
    groep: int | None = None,
    period: str | None = None,
    *,
    level: str = "III",
    window: int = 3,
    min_n: int = 0,
) -> pd.DataFrame:
    """Dwarsdoorsnede: the same groep and moment over successive school years.

    Parameters
    ----------
    scores : DataFrame
        Canonical scores table.
    subject : str
        Subject.
    groep : int, optional
        The pupils' groep (default: every groep, one line each).
    period : str, optional
        ``'M'`` or ``'E'`` (default: every period, one line each).
    level : str
        Level for ``share_at_or_above`` (default III: share of pupils at I, II or III).
    window : int
        Years in the rolling average (default 3).
    min_n : int
        Points with fewer pupils get NaN statistics and ``suppressed=True``.

    Returns
    -------
    DataFrame
        ``groep, period, scale, school_year, n, n_score, mean, sd, n_level,
        share_at_or_above, suppressed, mean_3jr, share_3jr, scale_break`` — one row per
        line and year.  A line is groep × period × scale: scores on different scales are
        never averaged together; ``scale_break`` is True for every row of a groep ×
        period that has more than one scale.  ``attrs["notes"]``: Dutch notes (fewer
        than three cohorts, a change of scale).

    Notes
    -----
    mean = mean vaardigheidsscore of the pupils in that groep at that moment in that
    school year; share_at_or_above = pupils whose own level is ≥ ``level`` / pupils
    with an I–V level; mean_3jr/share_3jr = :func:`three_year_average`.
    """
    subj = normalise_subject(subject)
    mask = scores["subject"] == subj
    if groep is not None:
        mask &= scores["groep"] == int(groep)
    if period is not None:
        mask &= scores["period"] == str(period).upper()
    d = scores[mask.fillna(False)]
    keys = ["groep", "period", "scale", "school_year"]
    res = _aggregate(d, keys, level, min_n)
    line = ["groep", "period", "scale"]
    if not res.empty:
        res["_ys"] = year_start(res["school_year"])
        res = res.sort_values(["groep", "period", "_ys", "scale"], kind="stable").drop(columns="_ys")
        res["mean_3jr"] = three_year_average(res, "mean", by=line, window=window)
        res["share_3jr"] = three_year_average(res, "share_at_or_above", by=line, window=window)
        nscales = res.groupby(["groep", "period"], observed=True)["scale"].transform("nunique")
        res["scale_break"] = nscales > 1
    else:
        res["mean_3jr"] = pd.Series(dtype="float64")
        res["share_3jr"] = pd.Series(dtype="float64")
        res["scale_break"] = pd.Series(dtype="bool")
    res = res.reset_index(drop=True)
    notes = _cross_section_notes(res, subj)
    res.attrs["notes"] = notes
    res.attrs["subject"] = subj
    res.attrs["level"] = level
    return res


def trend_cohort(
    scores: pd.DataFrame, subject: str, start_year: object, start_groep: int, *, level: str = "III", min_n: int = 0
) -> pd.DataFrame:
    """Cohort trend: the pupils of one groep in one school year, followed through the groepen.

    Parameters
    ----------
    scores : DataFrame
        Canonical scores table.
    subject : str
        Subject.
    start_year : str or int
        School year in which the cohort is defined (``'2022-2023'``).
    start_groep : int
        The cohort's groep in that year.
    level : str
        Level for ``share_at_or_above``.
    min_n : int
        Points with fewer pupils get NaN statistics and ``suppressed=True``.

    Returns
    -------
    DataFrame
        ``school_year, groep, period, scale, moment, n, n_score, mean, sd, n_level,
        share_at_or_above, suppressed, scale_break`` in time order; n is the number of
        cohort pupils with a result at that point (pupils leave, some sit another level).
        ``attrs["notes"]``: Dutch notes; ``attrs["n_cohort"]`` the cohort size.

    Notes
    -----
    The cohort = every pupil with any result in ``start_groep`` in ``start_year``.
    Later points contain only those pupils (zij-instromers are not added).
    """
    subj = normalise_subject(subject)
    y0 = normalise_school_year(start_year)
    in_start = (scores["school_year"] == y0) & (scores["groep"] == int(start_groep))
    cohort = scores.loc[in_start.fillna(False), "pupil_id"].unique()
    d = scores[(scores["subject"] == subj) & scores["pupil_id"].isin(cohort)]
    ys = year_start(d["school_year"])
    d = d[ys >= int(y0[:4])]
    keys = ["school_year", "groep", "period", "scale"]
    res = _aggregate(d, keys, level, min_n)
    notes: list[str] = []
    if not res.empty:
        order = {"B": 0, "M": 1, "E": 2}
        res["_k"] = year_start(res["school_year"]) * 3 + res["period"].astype(str).map(order).astype("float64")
        res = res.sort_values(["_k", "groep", "scale"], kind="stable").drop(columns="_k").reset_index(drop=True)
        res["moment"] = res["period"].astype(str) + res["groep"].astype("Int64").astype(str)
        res["scale_break"] = res["scale"].astype(str).nunique() > 1
        if res["scale_break"].any():
            notes.append(
                "De toetsversie wisselt binnen dit cohort: vaardigheidsscores van verschillende schalen "
                "zijn niet met elkaar te vergelijken; volg dan het percentage per niveau."
            )
        main = res.groupby(["school_year", "period"], observed=True)["n"].transform("max") == res["n"]
        last_n = int(res.loc[main, "n"].iloc[-1])
        if last_n < len(cohort):
            notes.append(
                f"Het cohort telde {len(cohort)} leerlingen in groep {start_groep} ({y0}); "
                f"op het laatste meetpunt hebben er {last_n} een resultaat."
            )
    else:
        res["moment"] = pd.Series(dtype="str")
        res["scale_break"] = pd.Series(dtype="bool")
        notes.append(f"Er zijn geen resultaten voor {subj} van leerlingen uit groep {start_groep} in {y0}.")
    res.attrs["notes"] = notes
    res.attrs["n_cohort"] = int(len(cohort))
    res.attrs["subject"] = subj
    return res


@dataclass(frozen=True)
class ShareChange:
    """The change of a share between two school years, with its interval and the word it earns."""

    share_from: float
    share_to: float
    n_from: int
    n_to: int
    diff: float  # share_to − share_from
    ci_low: float
    ci_high: float
    word: str  # "steeg" | "daalde" | "bleef ongeveer gelijk" | "" (no test possible)
    p: float = float("nan")  # two-proportion z-test of "no change" (for a family correction)

    @property
    def interval_text(self) -> str:
        """``'verschil +5,4 procentpunt, 95%-BI −3,4 tot +14,1'``"""
        pp = lambda v: f"{100 * v:+.1f}".replace(".", ",").replace("-", "−")  # noqa: E731
        return f"verschil {pp(self.diff)} procentpunt, 95%-BI {pp(self.ci_low)} tot {pp(self.ci_high)}"


def share_change(share_from: float, n_from: int, share_to: float, n_to: int, *, alpha: float = 0.05) -> ShareChange:
    """Did a share go up or down between two years?  "steeg"/"daalde" only when the interval excludes 0.

    Parameters
    ----------
    share_from, share_to : float
        The shares (0–1) in the first and the last year.
    n_from, n_to : int
        The pupils each share is of.
    alpha : float
        1 − confidence of the interval (default 0.05).

    Returns
    -------
    ShareChange
        The difference share_to − share_from with Newcombe's hybrid score interval, the
        two-proportion z-test's p (for a family correction) and the word:
        *steeg* when the whole interval lies above 0, *daalde* when below, else *bleef ongeveer
        gelijk*.  A fixed rule ("5 procentpunt is een verandering") said *steeg* or *daalde* for
        about a third of subjects that did not change at school size.

    Notes
    -----
    Newcombe (1998) method 10 (``statsmodels confint_proportions_2indep(method="newcomb")``), from
    the counts round(share · n).  It treats the two years as independent samples; when many pupils
    are in both years (a school-wide share) the true interval is narrower, so the words err on
    the side of "ongeveer gelijk".

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions. *Statistics in Medicine*, 17(8), 873–890.

    Examples
    --------
    >>> share_change(0.575, 240, 0.629, 240).word
    'bleef ongeveer gelijk'
    >>> share_change(0.50, 240, 0.75, 240).word
    'steeg'
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    if not (n_from > 0 and n_to > 0 and np.isfinite(share_from) and np.isfinite(share_to)):
        return ShareChange(share_from, share_to, int(n_from), int(n_to), np.nan, np.nan, np.nan, "")
    k1, k2 = round(share_from * n_from), round(share_to * n_to)
    lo, hi = confint_proportions_2indep(k2, n_to, k1, n_from, method="newcomb", compare="diff", alpha=alpha)
    word = "steeg" if lo > 0 else ("daalde" if hi < 0 else "bleef ongeveer gelijk")
    p = float(proportions_ztest([k2, k1], [n_to, n_from])[1]) if 0 < k1 + k2 < n_from + n_to else 1.0
    return ShareChange(share_from, share_to, int(n_from), int(n_to), k2 / n_to - k1 / n_from, float(lo), float(hi), word, p)
