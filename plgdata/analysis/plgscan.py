"""The PLG-scan per leerteam and bouwsteen, over the years — only where at least ``min_n`` teachers answered.

A leerteam of four teachers who fill in the scan can each be recognised in a mean;
so a leerteam × school year with fewer than :data:`plgdata.model.vocabulary.MIN_N`
respondents is **left out** (its rows do not exist in the result, not even as blanks
beside the real count).
"""

from __future__ import annotations

import pandas as pd

from plgdata.model.vocabulary import MIN_N


def plg_scan_summary(answers: pd.DataFrame, min_n: int = MIN_N) -> tuple[pd.DataFrame, list[str]]:
    """Mean score (1–4) per leerteam, school year and bouwsteen, with its 95% t-interval.

    Parameters
    ----------
    answers : DataFrame
        The long table of :func:`plgdata.io.plgscan.read_plg_scan`.
    min_n : int
        Fewest respondents for a leerteam in a school year to be shown.

    Returns
    -------
    (DataFrame, list of str)
        Columns ``leerteam``, ``school_year``, ``bouwsteen``, ``n`` (respondents),
        ``mean``, ``ci_low``, ``ci_high``; and Dutch notes naming the leerteams and years
        left out (how many respondents there were is not said).

    Notes
    -----
    The interval is ``scipy.stats.t.interval`` around the mean of the respondents'
    scores (an ordinal scale treated as a number: read it as a rough picture).
    """
    from scipy import stats

    cols = ["leerteam", "school_year", "bouwsteen", "n", "mean", "ci_low", "ci_high"]
    if answers.empty:
        return pd.DataFrame(columns=cols), []
    n_resp = answers.groupby(["leerteam", "school_year"])["respondent"].nunique()
    shown = n_resp[n_resp >= min_n].index
    notes = [
        f"{t} ({y}): minder dan {min_n} leerkrachten vulden de scan in; niet getoond."
        for t, y in n_resp.index
        if (t, y) not in shown
    ]
    keep = answers.set_index(["leerteam", "school_year"]).index.isin(shown)
    rows = []
    for (team, year, b), part in answers[keep].groupby(["leerteam", "school_year", "bouwsteen"], sort=True):
        x = part["score"].astype(float)
        lo, hi = (
            stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
            if len(x) > 1 and x.std() > 0
            else (x.mean(), x.mean())
        )
        rows.append(
            {
                "leerteam": team,
                "school_year": year,
                "bouwsteen": b,
                "n": int(part["respondent"].nunique()),
                "mean": float(x.mean()),
                "ci_low": float(lo),
                "ci_high": float(hi),
            }
        )
    return pd.DataFrame(rows, columns=cols), notes
