"""One result per pupil at one test moment, with its position against the national norm.

:func:`pupil_results` is the one place that turns the canonical scores of a subject, period
and school year into one row per pupil (the result that counts, :func:`latest_per_pupil`)
with:

* ``z_norm`` — the pupil's position against the **national** norm group, Φ⁻¹(percentile/100)
  (percentile clipped to [0,5; 99,5]); NaN when the export has no percentile.  Only this z
  may be read as "against the norm" (growth against the norm, notebook 00's overview).
* ``z`` — ``z_norm`` where there is one, else the score standardised within the test
  moment and scale of the selected pupils.  This is a position *among these pupils*: fine
  for comparing two groups of them or for a correlation, never a norm (its mean is 0 by
  construction, so a growth in it is always 0).
* ``low_level`` — the pupil's own niveau is IV or V; NA for a pupil without a niveau I–V (a
  referentieniveau or an A–E level is neither IV/V nor not).
* the pupils' background (``gender``, ``thuistaal``, ``thuistaal_nl``, ``instroom``).

The workflow (notebooks), the hypothesis tests and the groepsoverzicht read pupils through
this function, so one pupil has one result everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plgdata.analysis.frames import latest_per_pupil
from plgdata.analysis.growth import probit_percentile
from plgdata.analysis.levels import level_info, level_share
from plgdata.model.dataset import Dataset
from plgdata.model.vocabulary import PERIODS, normalise_subject

__all__ = ["GROUP_VALUE_LABELS", "LOW_LEVELS", "group_label", "period_code", "pupil_results", "with_group_column"]

#: the levels a "problem" counts by default (niveau IV and V: the lowest 40% of the country)
LOW_LEVELS: tuple[str, ...] = ("IV", "V")


def period_code(p) -> str:
    """``'M'``, ``'midden'``, ``'M6'`` -> ``'M'``; a Dutch message when empty or unknown."""
    if p is None or not str(p).strip():
        raise ValueError("Er is nog geen toetsmoment gekozen: vul eerst het formulier hierboven in.")
    p = str(p).strip().upper()[:1]
    if p not in PERIODS:
        raise ValueError(f"Periode '{p}' bestaat niet; kies B, M of E.")
    return p


def _thuistaal_nl(t) -> object:
    return pd.NA if pd.isna(t) else ("Nederlands" if str(t).strip().lower() == "nederlands" else "anders")


def pupil_results(ds: Dataset, subject: str, period: str, school_year: str, groepen=None) -> pd.DataFrame:
    """One row per pupil: the result for a subject at a period (B/M/E) of a school year.

    Parameters
    ----------
    ds : Dataset
    subject : str
        Subject (aliases such as ``'BL'`` are understood).
    period : str
        ``'B'``, ``'M'`` or ``'E'``.
    school_year : str
        ``'2024-2025'``.
    groepen : int or sequence of int, optional
        Only these groepen.

    Returns
    -------
    DataFrame
        The score columns of the result that counts per pupil plus ``z_norm``, ``z``,
        ``level_system``, ``low_level`` and the background columns (module docstring).

    Notes
    -----
    z_norm = Φ⁻¹(P/100) with P clipped to [0,5; 99,5]; z = z_norm, else
    (score − mean)/sd within the moment and scale of the selection.
    """
    s = ds.scores
    sel = (s["subject"] == normalise_subject(subject)) & (s["period"] == period_code(period)) & (s["school_year"] == school_year)
    if groepen is not None:
        sel &= s["groep"].isin([int(g) for g in np.atleast_1d(groepen)])
    r = latest_per_pupil(s[sel]).copy()
    r["z_norm"] = probit_percentile(r["percentile"].to_numpy(dtype="float64"))
    grp = r.groupby(["moment", "scale"], observed=True)["score"]
    z_within = (r["score"] - grp.transform("mean")) / grp.transform("std")
    r["z"] = r["z_norm"].where(r["percentile"].notna(), z_within)
    info = level_info(r["level"])
    r["level_system"] = info["level_system"].to_numpy()
    low = pd.array(info["level_main"].isin(LOW_LEVELS).to_numpy(), dtype="boolean")
    low[(info["level_system"] != "I-V").to_numpy()] = pd.NA
    r["low_level"] = low
    bg = ds.pupils[["pupil_id", "gender", "thuistaal", "instroom"]].copy()
    bg["pupil_id"] = bg["pupil_id"].astype("string")
    r["pupil_id"] = r["pupil_id"].astype("string")
    r = r.merge(bg, on="pupil_id", how="left")
    r["thuistaal_nl"] = r["thuistaal"].astype("string").map(_thuistaal_nl)
    return r.reset_index(drop=True)


#: how group values read in a Dutch sentence
GROUP_VALUE_LABELS = {
    "gender": {"J": "jongens", "M": "meisjes", "X": "leerlingen met geslacht X"},
    "thuistaal_nl": {"anders": "leerlingen met een andere thuistaal", "Nederlands": "leerlingen met Nederlands als thuistaal"},
}


def group_label(col: str, value) -> str:
    """A group value as it reads in a Dutch sentence (``'M'`` -> ``'meisjes'``)."""
    if col.startswith("niveau IV/V op "):
        return {"ja": f"leerlingen met {col}", "nee": "de andere leerlingen"}.get(str(value), str(value))
    return GROUP_VALUE_LABELS.get(col, {}).get(str(value), str(value))


def with_group_column(ds: Dataset, r: pd.DataFrame, kenmerk: str, period, school_year, groepen=None) -> tuple[pd.DataFrame, str]:
    """Add the column a hypothesis groups pupils on, its values as they read in Dutch.

    ``kenmerk``: ``geslacht``, ``thuistaal`` (Nederlands/anders), ``instroom`` or ``laag op <vak>``
    (niveau IV/V in that subject at the same moment: ``ja``/``nee``; a pupil without a niveau I–V
    in that subject is in neither group).
    """
    k = str(kenmerk).strip().lower()
    if k.startswith("laag op "):
        other = pupil_results(ds, k[len("laag op ") :], period, school_year, groepen)
        low = other.set_index("pupil_id")["low_level"]
        col = f"niveau IV/V op {k[len('laag op ') :]}"
        r = r.copy()
        r[col] = r["pupil_id"].map(low).map({True: "ja", False: "nee"})
    else:
        col = {"geslacht": "gender", "thuistaal": "thuistaal_nl", "instroom": "instroom"}.get(k, k)
        if col not in r.columns:
            raise ValueError(f"Kenmerk '{kenmerk}' ken ik niet; kies geslacht, thuistaal, instroom of 'laag op <vak>'.")
    return r.assign(**{col: r[col].map(lambda v: group_label(col, v) if pd.notna(v) else v)}), col


def with_level_indicator(r: pd.DataFrame, levels) -> tuple[pd.DataFrame, str, str]:
    """Keep the pupils with a level in the system of ``levels`` and add the column "niveau IV/V"
    (True/False).  Returns ``(rows, column name, why there are none)``: the last is '' when there
    are pupils, else the Dutch reason (e.g. "geen niveau I–V (44 leerlingen met een referentieniveau …)").
    """
    ls = level_share(r, levels)
    info = level_info(r["level"])
    col = f"{ls.label}"
    keep = (info["level_system"] == ls.system).to_numpy()
    out = r[keep].copy()
    out[col] = info.loc[keep, "level_main"].isin([str(x) for x in levels]).to_numpy()
    return out, col, ls.missing_text
