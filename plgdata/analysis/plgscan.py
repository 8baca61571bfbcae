"""The PLG-scan per leerteam and bouwsteen, over the years — only means of at least ``min_n`` answers.

A leerteam of four teachers who fill in the scan can each be recognised in a mean; so a mean
of fewer than :data:`plgdata.model.vocabulary.MIN_N` answers is **left out** (its row does not
exist in the result, not even as a blank beside the real count).  The rule holds per
bouwsteen: a teacher may leave a bouwsteen empty, so a leerteam-year of five respondents can
have a bouwsteen with four answers, and that one mean is left out.
"""

from __future__ import annotations

import math

import pandas as pd

from plgdata.model.vocabulary import MIN_N

#: the four-point scale of the scan
SCALE_MIN, SCALE_MAX = 1, 4


def bounded_mean_interval(mean: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Interval for the mean of ``n`` answers on the 1–4 scale: Wilson's score interval on the
    mean rescaled to 0–1, mapped back.

    Notes
    -----
    With p = (mean − 1)/3, an answer on [0, 1] with mean p has variance at most p(1 − p) (the
    variance of a 0/1 answer), so Wilson's interval for a proportion,

        (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n),

    is a conservative interval for the mean that always lies inside the scale and is never of
    zero width — five equal answers of 4 give 2,70 to 4,00, where a t interval gave 4,00 to 4,00,
    and [1, 2, 3, 4, 4] gives 1,69 to 3,65 where the t interval ran to 4,42, beyond the scale.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *Journal of the American Statistical Association*, 22(158), 209–212.

    Examples
    --------
    >>> [round(v, 2) for v in bounded_mean_interval(4.0, 5)]
    [2.7, 4.0]
    """
    from scipy import stats

    if n < 1 or not math.isfinite(mean):
        return math.nan, math.nan
    width = SCALE_MAX - SCALE_MIN
    p = min(max((mean - SCALE_MIN) / width, 0.0), 1.0)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo, hi = SCALE_MIN + width * max(centre - half, 0.0), SCALE_MIN + width * min(centre + half, 1.0)
    return min(lo, mean), max(hi, mean)  # at the scale's ends rounding must not push a bound past the mean


def _notes(teams: pd.Series, shown: pd.Series, min_n: int) -> list[str]:
    """Dutch notes naming what is left out (never how many answered): ``teams`` respondents per
    leerteam and year, ``shown`` per leerteam, year and bouwsteen."""
    notes = [
        f"{t} ({y}): minder dan {min_n} leerkrachten vulden de scan in; niet getoond." for (t, y), n in teams.items() if n < min_n
    ]
    part = (~shown).groupby(level=[0, 1]).sum()
    for (t, y), k in part.items():
        if teams[(t, y)] >= min_n and k:
            what = "één bouwsteen" if k == 1 else f"{k} bouwstenen"
            notes.append(f"{t} ({y}): bij {what} vulden minder dan {min_n} leerkrachten iets in; die staan er niet bij.")
    return notes


def plg_scan_summary(answers: pd.DataFrame, min_n: int = MIN_N) -> tuple[pd.DataFrame, list[str]]:
    """Mean score (1–4) per leerteam, school year and bouwsteen, with a 95% interval inside the scale.

    Parameters
    ----------
    answers : DataFrame
        The long table of :func:`plgdata.io.plgscan.read_plg_scan`.
    min_n : int
        Fewest answers (respondents with a score for that bouwsteen) for a mean to be shown.

    Returns
    -------
    (DataFrame, list of str)
        Columns ``leerteam``, ``school_year``, ``bouwsteen``, ``n`` (respondents who answered that
        bouwsteen), ``mean``, ``ci_low``, ``ci_high``; and Dutch notes naming the leerteams,
        years and bouwstenen left out (how many respondents there were is not said).

    Notes
    -----
    The interval is :func:`bounded_mean_interval` (Wilson's score interval on the rescaled mean):
    it stays within 1–4 and has width even when all answers are equal.  The scale is ordinal,
    read as a number: a rough picture.
    """
    cols = ["leerteam", "school_year", "bouwsteen", "n", "mean", "ci_low", "ci_high"]
    if answers.empty:
        return pd.DataFrame(columns=cols), []
    a = answers[answers["score"].notna()]
    grp = a.groupby(["leerteam", "school_year", "bouwsteen"], sort=True)
    per = pd.DataFrame({"n": grp["respondent"].nunique(), "mean": grp["score"].mean().astype(float)})
    n_team = a.groupby(["leerteam", "school_year"])["respondent"].nunique()
    shown = per["n"] >= min_n
    notes = _notes(n_team, shown, min_n)
    per = per[shown]
    bounds = [bounded_mean_interval(m, int(n)) for m, n in zip(per["mean"], per["n"], strict=True)]
    per["ci_low"] = [b[0] for b in bounds]
    per["ci_high"] = [b[1] for b in bounds]
    out = per.reset_index()
    out["n"] = out["n"].astype(int)
    return out[cols], notes
