"""Build the one-row-per-pupil frames :func:`plgdata.analysis.compare.compare` needs from a Dataset.

* :func:`intervention_frame` — pupils in an intervention vs the rest of their groep
  (or the parallel class), pre = last result before the start, post = first
  result after the end, same subject and **same scale** (design
  ``"pre_post_control"``, or ``"one_group"`` when there is no comparison).
* :func:`cohort_frame` — this cohort vs earlier cohorts at the same groep and
  moment (design ``"cohort"``).

Both return ``(frame, info)``: ``info`` is a plain dict saying which moments and
school years were used, the group sizes, and (for interventions) whether the
pupils look selected on the pretest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from plgdata.model.dataset import Dataset
from plgdata.model.labels import fmt_num

__all__ = ["intervention_frame", "cohort_frame", "TREATMENT", "CONTROL", "NEW", "OLD"]

TREATMENT = "interventie"
CONTROL = "vergelijking"
NEW = "nieuw"
OLD = "eerder"

#: selection heuristic: participants' pre mean this many pooled SDs below the rest ...
SELECTION_SD_GAP = 0.5
#: ... and participants at most this share of their groep
SELECTION_MAX_SHARE = 0.5


def latest_per_pupil(d: pd.DataFrame, by: Sequence[str] = ("pupil_id",)) -> pd.DataFrame:
    """The result that counts per pupil (per ``by``): the latest by date, and on one date a record
    with a score or percentile before one without.

    One export row can give two records: a Leerling in beeld row's referentieniveau is a record of
    its own next to the score and niveau I-V.  Taking simply the last record took the
    referentieniveau, so the score, percentile and niveau of that pupil were lost.
    """
    has = pd.Series(False, index=d.index)
    for c in ("score", "percentile"):
        if c in d.columns:
            has |= d[c].notna()
    out = d.assign(_has=has.astype("int8")).sort_values(["date", "_has"], kind="stable")
    return out.drop_duplicates(list(by), keep="last").drop(columns="_has")


def _str(v) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else str(v)


def _mode_key(df: pd.DataFrame, cols: list[str]) -> tuple | None:
    if df.empty:
        return None
    counts = df.groupby(cols, observed=True, dropna=False).size()
    if counts.empty:
        return None
    counts = counts.sort_values(ascending=False, kind="stable")
    key = counts.index[0]
    return key if isinstance(key, tuple) else (key,)


def _subject_scores(ds: Dataset, subject: str, moment: str | None = None, years: list[str] | None = None) -> pd.DataFrame:
    s = ds.scores
    s = s[(s["subject"] == str(subject)) & s["score"].notna()]
    if moment is not None:  # filter before the string conversion below (fast on a national table)
        s = s[s["moment"] == moment]
    if years is not None:
        s = s[s["school_year"].isin(years)]
    out = s.copy()
    for c in ("pupil_id", "school", "school_year", "class_name", "subject", "scale", "moment", "period"):
        out[c] = out[c].astype("string")
    return out


def intervention_frame(
    ds: Dataset,
    intervention_id: str,
    pre_moment: str | None = None,
    post_moment: str | None = None,
    comparison: str = "same_groep",
) -> tuple[pd.DataFrame, dict]:
    """One row per pupil: intervention pupils vs the rest of their groep, with pre and post.

    Parameters
    ----------
    ds : Dataset
        Canonical tables (scores, interventions, participation).
    intervention_id : str
        The intervention to evaluate.
    pre_moment, post_moment : str, optional
        Moments such as ``"M4"`` / ``"E4"``.  Default: the pretest is the moment
        most participants took last **before the start** of the intervention, the
        posttest the moment most took first **after its end** (the start when no
        end is known).  When nobody has a result after the end — the E-toets is
        often taken in the last weeks of an intervention that runs to the summer
        — the posttest is the last result *during* the intervention
        (``info["post_during_intervention"]`` is then True).
    comparison : {"same_groep", "parallel_class", "none"}
        ``"same_groep"``: all non-participants of the participants' groep at the
        pretest (same school).  ``"parallel_class"``: only non-participants in
        *other* classes of that groep (for a whole-class intervention).
        ``"none"``: participants only (one-group design).

    Returns
    -------
    frame : DataFrame
        Columns ``pupil_id``, ``group`` (``"interventie"`` / ``"vergelijking"``),
        ``pre``, ``post``, ``school``, ``groep``, ``class_name``.
    info : dict
        ``subject``, ``scale``, ``pre_moment``, ``pre_school_year``,
        ``post_moment``, ``post_school_year``, ``post_during_intervention``, ``n_treatment``,
        ``n_control``, ``n_dropped`` (pupils without pre or post), ``comparison``,
        ``selection_on_pretest``, ``selection_reason`` (Dutch), ``pre_gap_sd``.

    Notes
    -----
    Only scores on the same subject **and scale** as the pretest enter; a
    posttest on another scale is never used.

    *Selection heuristic.*  ``selection_on_pretest`` is True when the
    participants' pretest mean lies more than 0.5 pooled SD below that of the
    comparison pupils **and** participants are at most half of the pupils
    (an RT-group picked for low scores looks like this; a whole class or a
    random half does not).  A team that knows how pupils were chosen should pass
    that knowledge to :func:`plgdata.analysis.compare.compare` instead.
    ``tests/test_compare_designs.py`` has a worked example on a tiny Dataset.
    """
    subject, participants, start, end = _intervention_setup(ds, intervention_id, comparison)
    sc = _subject_scores(ds, subject)
    is_part = sc["pupil_id"].isin(participants)
    pre_rows, pre_year, pre_mom, scale = _pretest(sc, is_part, start, pre_moment, intervention_id, subject)
    post_rows, post_year, post_mom, post_during = _posttest(sc, is_part, start, end, scale, post_moment, intervention_id)
    frame, n_dropped = _build_frame(pre_rows, post_rows, participants, comparison)
    gap, selected, reason = _selection(frame)
    info = {
        "intervention_id": str(intervention_id),
        "subject": subject,
        "scale": scale,
        "pre_moment": pre_mom,
        "pre_school_year": pre_year,
        "post_moment": post_mom,
        "post_school_year": post_year,
        "post_during_intervention": post_during,
        "start": start,
        "end": end,
        "n_treatment": int((frame["group"] == TREATMENT).sum()),
        "n_control": int((frame["group"] == CONTROL).sum()),
        "n_dropped": n_dropped,
        "comparison": comparison,
        "selection_on_pretest": selected,
        "selection_reason": reason,
        "pre_gap_sd": gap,
    }
    return frame, info


def _intervention_setup(ds: Dataset, intervention_id: str, comparison: str):
    """Subject, participants, start and end of an intervention (Dutch errors when something is missing)."""
    if comparison not in ("same_groep", "parallel_class", "none"):
        raise ValueError("comparison moet 'same_groep', 'parallel_class' of 'none' zijn")
    iv = ds.interventions
    row = iv[iv["intervention_id"].astype("string") == str(intervention_id)]
    if row.empty:
        known = ", ".join(sorted(iv["intervention_id"].astype(str))) or "geen"
        raise ValueError(f"interventie '{intervention_id}' niet gevonden; bekende interventies: {known}")
    row = row.iloc[0]
    subject = _str(row["subject"])
    if not subject:
        raise ValueError(f"bij interventie '{intervention_id}' staat geen vak; vul het vak in het interventiebestand in")
    part = ds.participation
    part = part[part["intervention_id"].astype("string") == str(intervention_id)]
    participants = set(part["pupil_id"].astype(str))
    if not participants:
        raise ValueError(f"bij interventie '{intervention_id}' staan geen deelnemende leerlingen")
    start = row["start"] if pd.notna(row["start"]) else part["start"].min()
    end = row["end"] if pd.notna(row["end"]) else part["end"].max()
    if pd.isna(start):
        raise ValueError(f"interventie '{intervention_id}' heeft geen startdatum")
    if pd.isna(end):
        end = start
    return subject, participants, start, end


def _pretest(sc: pd.DataFrame, is_part: pd.Series, start, pre_moment, intervention_id: str, subject: str):
    """Last result before the start at the moment (and scale) most participants took."""
    before = sc[sc["date"] < start]
    if pre_moment is not None:
        before = before[before["moment"] == pre_moment]
    last_pre_part = before[is_part.loc[before.index]].sort_values("date").groupby("pupil_id", observed=True).tail(1)
    key = _mode_key(last_pre_part, ["school_year", "moment", "scale"])
    if key is None:
        raise ValueError(
            f"geen voormeting gevonden voor interventie '{intervention_id}': de deelnemers hebben geen "
            f"{subject}-resultaat{' op ' + pre_moment if pre_moment else ''} vóór de start"
        )
    pre_year, pre_mom, scale = key
    pre_rows = before[(before["school_year"] == pre_year) & (before["moment"] == pre_mom) & (before["scale"] == scale)]
    pre_rows = pre_rows.sort_values("date").groupby("pupil_id", observed=True).tail(1)
    return pre_rows, pre_year, pre_mom, scale


def _posttest(sc: pd.DataFrame, is_part: pd.Series, start, end, scale, post_moment, intervention_id: str):
    """First result after the end on the same scale (or the last one during the intervention)."""
    after = sc[(sc["date"] > end) & (sc["scale"] == scale)]
    if post_moment is not None:
        after = after[after["moment"] == post_moment]
    first_post_part = after[is_part.loc[after.index]].sort_values("date").groupby("pupil_id", observed=True).head(1)
    key = _mode_key(first_post_part, ["school_year", "moment"])
    post_during = False
    if key is None:
        # the E-toets is often taken in the last weeks of the intervention (June):
        # then the last result during the intervention is the posttest
        during = sc[(sc["date"] > start) & (sc["date"] <= end) & (sc["scale"] == scale)]
        if post_moment is not None:
            during = during[during["moment"] == post_moment]
        last_during = during[is_part.loc[during.index]].sort_values("date").groupby("pupil_id", observed=True).tail(1)
        key = _mode_key(last_during, ["school_year", "moment"])
        if key is not None:
            after = during
            post_during = True
    if key is None:
        other = sc[(sc["date"] > end) & is_part & (sc["scale"] != scale)]
        extra = (
            f" (er zijn wel resultaten op een andere schaal: {', '.join(sorted(other['scale'].dropna().unique()))}; "
            "die zijn niet te vergelijken)"
            if len(other)
            else ""
        )
        raise ValueError(f"geen nameting gevonden voor interventie '{intervention_id}' op schaal '{scale}' na de start{extra}")
    post_year, post_mom = key
    post_rows = after[(after["school_year"] == post_year) & (after["moment"] == post_mom)]
    post_rows = post_rows.sort_values("date").groupby("pupil_id", observed=True).head(1)
    return post_rows, post_year, post_mom, post_during


def _build_frame(pre_rows: pd.DataFrame, post_rows: pd.DataFrame, participants: set, comparison: str):
    """Participants and comparison pupils with pre and post; also how many pupils were dropped."""
    pre_part = pre_rows[pre_rows["pupil_id"].isin(participants)]
    groepen = set(pre_part["groep"].dropna().astype(int))
    schools = set(pre_part["school"].dropna())
    classes = set(pre_part["class_name"].dropna())
    pool = pre_rows[pre_rows["groep"].astype("Int64").isin(groepen)]
    if schools:
        pool = pool[pool["school"].isin(schools)]
    others = pool[~pool["pupil_id"].isin(participants)]
    if comparison == "parallel_class":
        others = others[~others["class_name"].isin(classes)]
    elif comparison == "none":
        others = others.iloc[0:0]

    frame = pd.concat([pre_part.assign(group=TREATMENT), others.assign(group=CONTROL)], ignore_index=True)[
        ["pupil_id", "group", "score", "school", "groep", "class_name"]
    ].rename(columns={"score": "pre"})
    post_map = post_rows.set_index("pupil_id")["score"]
    frame["post"] = frame["pupil_id"].map(post_map).astype(float)
    n_before = len(frame)
    n_part_no_pre = len(participants) - len(pre_part)
    frame = frame.dropna(subset=["pre", "post"]).reset_index(drop=True)
    frame = frame[["pupil_id", "group", "pre", "post", "school", "groep", "class_name"]]
    frame["group"] = frame["group"].astype("string")
    return frame, int(n_before - len(frame) + max(n_part_no_pre, 0))


def _selection(frame: pd.DataFrame) -> tuple[float, bool, str]:
    """The selection heuristic: (pre gap in pooled SD, selected?, Dutch reason)."""
    t = frame.loc[frame["group"] == TREATMENT, "pre"]
    c = frame.loc[frame["group"] == CONTROL, "pre"]
    gap = np.nan
    selected = False
    if len(t) >= 2 and len(c) >= 2:
        sp = np.sqrt(((len(t) - 1) * t.var() + (len(c) - 1) * c.var()) / (len(t) + len(c) - 2))
        gap = float((c.mean() - t.mean()) / sp) if sp > 0 else np.nan
        share = len(t) / (len(t) + len(c))
        selected = bool(np.isfinite(gap) and gap > SELECTION_SD_GAP and share <= SELECTION_MAX_SHARE)
        if selected:
            reason = (
                f"De deelnemers scoorden op de voormeting {fmt_num(gap, 2)} sd lager dan de andere leerlingen en "
                "zijn een minderheid van de groep: waarschijnlijk gekozen op hun voormeting (zoals een RT-groep)."
            )
        else:
            reason = "Geen aanwijzing dat de deelnemers op hun voormeting zijn gekozen."
    else:
        reason = "Te weinig leerlingen om te beoordelen of de deelnemers op hun voormeting zijn gekozen."
    return gap, selected, reason


def _years(v) -> list[str]:
    if isinstance(v, str):
        return [v]
    if isinstance(v, Sequence) or isinstance(v, (set, np.ndarray, pd.Index)):
        return [str(x) for x in v]
    return [str(v)]


def _shared_scale(sc: pd.DataFrame, new: list[str], old: list[str]) -> tuple[str, set]:
    """The scale both cohorts were tested on (the most common one when several); all scales seen."""
    scales_new = set(sc.loc[sc["school_year"].isin(new), "scale"])
    scales_old = set(sc.loc[sc["school_year"].isin(old), "scale"])
    shared = scales_new & scales_old
    if not shared:
        raise ValueError(
            f"de cohorten zijn op verschillende schalen getoetst (nieuw: {', '.join(sorted(scales_new)) or '–'}; "
            f"eerder: {', '.join(sorted(scales_old)) or '–'}); scores op verschillende schalen zijn niet te vergelijken"
        )
    if len(shared) > 1:
        counts = sc[sc["scale"].isin(shared)].groupby("scale").size().sort_values(ascending=False, kind="stable")
        return str(counts.index[0]), scales_new | scales_old
    return next(iter(shared)), scales_new | scales_old


def cohort_frame(ds: Dataset, subject: str, groep: int, moment_period: str, years_new, years_old) -> tuple[pd.DataFrame, dict]:
    """One row per pupil × year: this cohort (or cohorts) vs earlier cohorts, same groep and moment.

    Parameters
    ----------
    ds : Dataset
    subject : str
        Canonical subject code (``"spelling"``).
    groep : int
        Jaargroep of the pupils at the test.
    moment_period : {"B", "M", "E"}
        Period of the moment (``"M"`` with ``groep=6`` is M6).
    years_new, years_old : str or list of str
        School years of the new cohort(s) and of the earlier cohort(s).

    Returns
    -------
    frame : DataFrame
        ``pupil_id``, ``school_year``, ``cohort`` (``"nieuw"`` / ``"eerder"``),
        ``score``, ``school``, ``class_name``.
    info : dict
        ``subject``, ``groep``, ``moment``, ``scale``, ``years_new``,
        ``years_old``, ``n_new``, ``n_old``, ``n_per_year``.

    Notes
    -----
    Only tests at the pupils' own level (moment = period + groep) count, and all
    rows must be on **one scale** present in both the new and the earlier years
    (scores on different scales cannot be compared); when a pupil sat the test
    twice in a year the last sitting counts.

    Examples
    --------
    See ``tests/test_compare_designs.py``.
    """
    if moment_period not in ("B", "M", "E"):
        raise ValueError("moment_period moet 'B', 'M' of 'E' zijn")
    new, old = _years(years_new), _years(years_old)
    overlap = set(new) & set(old)
    if overlap:
        raise ValueError(f"schooljaar {', '.join(sorted(overlap))} staat zowel bij het nieuwe als bij het eerdere cohort")
    moment = f"{moment_period}{int(groep)}"
    sc = _subject_scores(ds, subject, moment, new + old)
    sc = sc[(sc["groep"].astype("Int64") == int(groep)) & (sc["moment"] == moment) & sc["school_year"].isin(new + old)]
    if sc.empty:
        raise ValueError(f"geen {subject}-resultaten op {moment} in de schooljaren {', '.join(new + old)}")
    scale, scales_all = _shared_scale(sc, new, old)
    sc = sc[sc["scale"] == scale].sort_values("date")
    sc = sc.groupby(["pupil_id", "school_year"], observed=True).tail(1)
    frame = pd.DataFrame(
        {
            "pupil_id": sc["pupil_id"].to_numpy(),
            "school_year": sc["school_year"].to_numpy(),
            "cohort": np.where(sc["school_year"].isin(new), NEW, OLD),
            "score": sc["score"].to_numpy(dtype=float),
            "school": sc["school"].to_numpy(),
            "class_name": sc["class_name"].to_numpy(),
        }
    ).sort_values(["school_year", "pupil_id"], ignore_index=True)
    frame["cohort"] = frame["cohort"].astype("string")
    info = {
        "subject": subject,
        "groep": int(groep),
        "moment": moment,
        "scale": scale,
        "years_new": new,
        "years_old": old,
        "n_new": int((frame["cohort"] == NEW).sum()),
        "n_old": int((frame["cohort"] == OLD).sum()),
        "n_per_year": {str(k): int(v) for k, v in frame.groupby("school_year").size().items()},
        "scales_dropped": sorted(scales_all - {scale}),
    }
    return frame, info
