"""Levels (niveaus), goals and referentieniveaus.

Three level systems live side by side in the ``level`` column and are always kept
separate: Cito's I–V (each 20% of the national norm group; the split bands I+/I-/V+/V-
are folded into their main level for distributions), the older A–E (25/25/25/15/10%)
and the referentieniveaus (2F/1S, 1F, op weg naar 1F / onder 1F).

**Pupil cut-offs are never applied to a group mean.**  A group whose *mean* score lies
at the pupil cut-off of level III is not "a level III group": Cito publishes separate
cut-offs for group means (much narrower).  Every function here therefore counts
*pupils* by their own stored level and reports shares of pupils.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plgdata.model.labels import fmt_num, fmt_pct
from plgdata.model.vocabulary import LEVEL_INFO, LEVEL_SYSTEM_LABELS, LEVEL_SYSTEMS, MIN_N, normalise_subject

SYSTEM_LEVELS = LEVEL_SYSTEMS
SYSTEM_LABELS = LEVEL_SYSTEM_LABELS
_LEVEL_INFO = LEVEL_INFO


def _norm_level_text(x: object) -> str:
    t = str(x).strip().upper().replace("–", "-").replace("−", "-")
    return re.sub(r"\s+", " ", t)


def level_info(levels: pd.Series) -> pd.DataFrame:
    """System, folded main level and rank (1 = highest) of each level value.

    Works on the categories of a categorical column, so it is fast on a million rows.
    Unknown values get NA.
    """
    s = levels.astype("category") if not isinstance(levels.dtype, pd.CategoricalDtype) else levels
    cats = [str(c) for c in s.cat.categories]
    info = [_LEVEL_INFO.get(_norm_level_text(c), (None, None, np.nan)) for c in cats]
    codes = s.cat.codes.to_numpy()
    ok = codes >= 0
    idx = np.clip(codes, 0, None)
    system = np.array([i[0] for i in info] + [None], dtype=object)
    main = np.array([i[1] for i in info] + [None], dtype=object)
    rank = np.array([i[2] for i in info] + [np.nan], dtype="float64")
    last = len(info)
    idx = np.where(ok, idx, last)
    return pd.DataFrame({"level_system": system[idx], "level_main": main[idx], "level_rank": rank[idx]}, index=levels.index)


def _system_of_level(level: str) -> tuple[str, str, int]:
    key = _norm_level_text(level)
    if key not in _LEVEL_INFO:
        raise ValueError(
            f"Niveau '{level}' is onbekend. Kies uit I–V (bijvoorbeeld 'III'), A–E of een referentieniveau ('1F', '2F')."
        )
    return _LEVEL_INFO[key]


def _as_list(by) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _filter(scores: pd.DataFrame, subject=None, period=None, moment=None, groep=None, school_year=None) -> pd.DataFrame:
    mask = pd.Series(True, index=scores.index)
    if subject is not None:
        mask &= scores["subject"] == normalise_subject(subject)
    if period is not None:
        mask &= scores["period"] == str(period).upper()
    if moment is not None:
        mask &= scores["moment"] == str(moment).upper()
    if groep is not None:
        mask &= scores["groep"] == int(groep)
    if school_year is not None:
        mask &= scores["school_year"] == school_year
    return scores[mask.fillna(False)]


def level_distribution(
    scores: pd.DataFrame,
    by: Sequence[str] | str | None = ("school_year", "groep"),
    *,
    subject: str | None = None,
    period: str | None = None,
    moment: str | None = None,
    system: str | None = None,
    min_n: int = 0,
) -> pd.DataFrame:
    """Share of pupils per level, per group (tidy).

    Parameters
    ----------
    scores : DataFrame
        Canonical scores table.
    by : sequence of str
        Grouping columns (default school year and groep).  ``subject`` is always added
        to the key, and so is the level system.
    subject, period, moment : str, optional
        Filters (``period='E'``, ``moment='E6'``).
    system : {"I-V", "A-E", "ref"}, optional
        Keep only one level system.
    min_n : int
        Groups with fewer pupils get NaN shares and ``suppressed=True`` (default 0: none).

    Returns
    -------
    DataFrame
        ``by…, subject, level_system, level, level_rank, n, n_total, share,
        suppressed`` — every level of the system appears for every group (n = 0 when
        nobody), in order from highest (I) to lowest (V), so shares sum to 1 per group.

    Notes
    -----
    I+/I- and V+/V- are folded into I and V.  Levels are the pupils' own levels; never
    apply pupil cut-offs to a group mean (see the module docstring).
    """
    by = _as_list(by)
    keys = [c for c in by if c != "subject"] + ["subject"]
    d = _filter(scores, subject, period, moment)
    # count per raw level first (a small table), then fold I+/I- into I and attach the system
    level = d["level"] if isinstance(d["level"].dtype, pd.CategoricalDtype) else d["level"].astype("category")
    raw = d[keys].assign(level=level).groupby(keys + ["level"], observed=True, dropna=False).size().rename("n").reset_index()
    d = pd.concat([raw.drop(columns="level"), level_info(raw["level"]).drop(columns="level_rank")], axis=1)
    d = d[d["level_system"].notna()]
    if system is not None:
        d = d[d["level_system"] == system]
    for c in keys:
        if isinstance(d[c].dtype, pd.CategoricalDtype):
            d[c] = d[c].cat.remove_unused_categories()
    counts = d.groupby(keys + ["level_system", "level_main"], observed=True, dropna=False)["n"].sum().reset_index()
    totals = d.groupby(keys + ["level_system"], observed=True, dropna=False)["n"].sum().rename("n_total").reset_index()
    grid_levels = pd.DataFrame(
        [(s, lv, i + 1) for s, lvls in SYSTEM_LEVELS.items() for i, lv in enumerate(lvls)],
        columns=["level_system", "level", "level_order"],
    )
    rank = {lv: r for _, (s, lv, r) in _LEVEL_INFO.items()}
    grid = totals.merge(grid_levels, on="level_system", how="left")
    counts = counts.rename(columns={"level_main": "level"})
    out = grid.merge(counts, on=keys + ["level_system", "level"], how="left")
    # drop ref categories nobody uses in a group's system (e.g. 1S in a taal-only export) only if empty everywhere
    out["n"] = out["n"].fillna(0).astype("int64")
    used = out.groupby(["level_system", "level"], observed=True)["n"].transform("sum")
    out = out[(out["level_system"] != "ref") | (used > 0) | out["level"].isin(["2F", "1F"])]
    out["level_rank"] = out["level"].map(rank).astype("int64")
    out["share"] = out["n"] / out["n_total"]
    out["suppressed"] = out["n_total"] < min_n
    out.loc[out["suppressed"], "share"] = np.nan
    out = out.sort_values(keys + ["level_system", "level_order"], kind="stable")
    out = out[keys + ["level_system", "level", "level_rank", "n", "n_total", "share", "suppressed"]]
    return out.reset_index(drop=True)


def _share(scores, level, by, subject, period, moment, min_n, below: bool) -> pd.DataFrame:
    system, _main, target_rank = _system_of_level(level)
    by = _as_list(by)
    d = _filter(scores, subject, period, moment)
    info = level_info(d["level"])
    d = pd.concat([d[by].reset_index(drop=True), info.reset_index(drop=True)], axis=1)
    d = d[d["level_system"] == system]
    hit = (d["level_rank"] >= target_rank) if below else (d["level_rank"] <= target_rank)
    d = d.assign(_hit=hit.astype("float64"))
    if by:
        for c in by:
            if isinstance(d[c].dtype, pd.CategoricalDtype):
                d[c] = d[c].cat.remove_unused_categories()
        g = d.groupby(by, observed=True, dropna=False)["_hit"]
        res = g.agg(n="count", n_hit="sum").reset_index()
    else:
        res = pd.DataFrame([{"n": int(d["_hit"].count()), "n_hit": d["_hit"].sum()}])
    col = "n_at_or_below" if below else "n_at_or_above"
    res = res.rename(columns={"n_hit": col})
    res[col] = res[col].astype("int64")
    res["n"] = res["n"].astype("int64")
    res["share"] = res[col] / res["n"]
    res["suppressed"] = res["n"] < min_n
    res.loc[res["suppressed"], "share"] = np.nan
    res.attrs["level"] = level
    res.attrs["level_system"] = system
    return res


def share_at_or_above(
    scores: pd.DataFrame,
    level: str = "III",
    by: Sequence[str] | str | None = ("school_year", "groep"),
    *,
    subject: str | None = None,
    period: str | None = None,
    moment: str | None = None,
    min_n: int = 0,
) -> pd.DataFrame:
    """Share of pupils at ``level`` or higher (e.g. III or higher = I, II, III).

    Only rows of the level system of ``level`` count (I–V, A–E or referentieniveau).
    For referentieniveaus, ``'1F'`` or higher includes 2F and 1S, and ``'2F'`` means 2F/1S.

    Returns
    -------
    DataFrame
        ``by…, n, n_at_or_above, share, suppressed``.

    Notes
    -----
    share = (pupils whose own level is at or above ``level``) / (pupils with a level in
    that system).  Never derived from a group mean (see the module docstring).
    """
    return _share(scores, level, by, subject, period, moment, min_n, below=False)


def share_at_or_below(
    scores: pd.DataFrame,
    level: str = "IV",
    by: Sequence[str] | str | None = ("school_year", "groep"),
    *,
    subject: str | None = None,
    period: str | None = None,
    moment: str | None = None,
    min_n: int = 0,
) -> pd.DataFrame:
    """Share of pupils at ``level`` or lower (e.g. IV or lower = IV and V); see :func:`share_at_or_above`."""
    return _share(scores, level, by, subject, period, moment, min_n, below=True)


# ---------------------------------------------------------------------------
# goals
# ---------------------------------------------------------------------------


@dataclass
class GoalProgress:
    """Where a measurable goal stands ("≥ 75% op niveau III of hoger bij E6 in 2026")."""

    subject: str
    moment: str
    level: str
    scope: str  # "at_or_above" | "at_or_below"
    direction: str  # "at_least" | "at_most"
    target_share: float
    deadline: str
    current_share: float
    current_year: str | None
    n: int
    gap: float  # > 0: not yet met (percentage points as a share), <= 0: met
    met: bool
    sentence: str
    history: pd.DataFrame = field(default_factory=pd.DataFrame)

    def _repr_html_(self) -> str:  # notebooks
        import html

        return f"<p>{html.escape(self.sentence)}</p>"


def _goal_sentence(level, scope: str, direction: str, target_share: float, where: str, now: tuple, mom: str) -> str:
    """The goal and where the group stands now, in Dutch (``now`` = year, share, n, gap, met)."""
    year, current, n, gap, met = now
    scope_txt = f"op niveau {level} of hoger" if scope == "at_or_above" else f"op niveau {level} of lager"
    if str(level) in ("2F", "1S"):
        scope_txt = "op niveau 2F/1S" if scope == "at_or_above" else f"op niveau {level} of lager"
    dir_txt = "minstens" if direction == "at_least" else "hoogstens"
    goal_txt = f"Doel: {dir_txt} {fmt_pct(target_share)} van de leerlingen {scope_txt} {where}."
    if year is None:
        return f"{goal_txt} Er zijn nog geen resultaten bij {mom}."
    if np.isnan(current):
        return f"{goal_txt} In {year} deden {n} leerlingen mee: te weinig om een percentage te tonen."
    now_txt = f"Nu ({year}, n = {n}): {fmt_pct(current)}."
    if met:
        return f"{goal_txt} {now_txt} Het doel is gehaald."
    pp = fmt_num(100 * abs(gap), 1).removesuffix(",0")
    tail = f" Er ontbreekt nog {pp} procentpunt." if direction == "at_least" else f" Dat is nog {pp} procentpunt te veel."
    return f"{goal_txt} {now_txt}{tail}"


def _current_share(hist: pd.DataFrame, school_year: str | None) -> tuple[float, str | None, int]:
    """Share, year and n of the "current" year (the given one, else the latest)."""
    cur = hist[hist["school_year"] == str(school_year)] if school_year is not None else hist.tail(1)
    if cur.empty:
        return np.nan, (str(school_year) if school_year else None), 0
    return float(cur["share"].iloc[0]), str(cur["school_year"].iloc[0]), int(cur["n"].iloc[0])


def goal_progress(
    scores: pd.DataFrame,
    subject: str,
    moment: str,
    level: str,
    target_share: float,
    deadline: object,
    *,
    scope: str = "at_or_above",
    direction: str = "at_least",
    school_year: str | None = None,
    min_n: int = MIN_N,
) -> GoalProgress:
    """Progress towards a goal such as "≥ 75% op niveau III of hoger bij E6 in 2026".

    Parameters
    ----------
    scores : DataFrame
        Canonical scores table.
    subject : str
        Subject of the goal.
    moment : str
        Test moment (``'E6'``): rows whose ``moment`` equals it count.
    level : str
        Level of the goal (``'III'``, ``'IV'``, ``'1F'``).
    target_share : float
        Target share (0–1; ``75`` is read as 75%).
    deadline : str, int or date
        When the goal should be met (shown as given, e.g. ``'E 2026'``).
    scope : {"at_or_above", "at_or_below"}
        Count pupils at ``level`` or higher (default) or at ``level`` or lower
        ("hoogstens 25% op niveau IV of V" = scope ``'at_or_below'``, level ``'IV'``,
        direction ``'at_most'``).
    direction : {"at_least", "at_most"}
        Whether the share must reach at least or at most the target.
    school_year : str, optional
        Year of the "current" value (default: the latest year with results at ``moment``).
    min_n : int
        Below this many pupils the current share is not shown.

    Returns
    -------
    GoalProgress
        Current share, target, gap (> 0 means not yet met), history per school year and a
        Dutch sentence.
    """
    if target_share > 1:
        target_share = target_share / 100.0
    if scope not in ("at_or_above", "at_or_below") or direction not in ("at_least", "at_most"):
        raise ValueError("scope moet 'at_or_above' of 'at_or_below' zijn en direction 'at_least' of 'at_most'.")
    fn = share_at_or_above if scope == "at_or_above" else share_at_or_below
    hist = fn(scores, level, by=["school_year"], subject=subject, moment=moment, min_n=min_n)
    hist = hist[hist["n"] > 0].copy()
    hist["school_year"] = hist["school_year"].astype(str)
    hist = hist.sort_values("school_year").reset_index(drop=True)
    subj = normalise_subject(subject)
    mom = str(moment).upper()
    current, year, n = _current_share(hist, school_year)
    gap = (target_share - current) if direction == "at_least" else (current - target_share)
    met = bool(gap <= 1e-12) if not np.isnan(gap) else False
    sentence = _goal_sentence(
        level, scope, direction, target_share, f"bij {mom} ({subj}), uiterlijk {deadline}", (year, current, n, gap, met), mom
    )
    return GoalProgress(
        subject=subj,
        moment=mom,
        level=str(level),
        scope=scope,
        direction=direction,
        target_share=float(target_share),
        deadline=str(deadline),
        current_share=current,
        current_year=year,
        n=n,
        gap=float(gap),
        met=met,
        sentence=sentence,
        history=hist,
    )


# ---------------------------------------------------------------------------
# referentieniveaus
# ---------------------------------------------------------------------------


@dataclass
class ReferentieniveauResult:
    """Groep-8 referentieniveaus: the Inspectie's indicator, with the per-subject figures as detail."""

    per_year: pd.DataFrame  # detail: subject, school_year, n, share_1f, share_2f
    average: pd.DataFrame  # detail: subject, years, n_years, n, avg_1f, avg_2f (pupil-weighted), sw_1f, sw_2f
    sentence: str
    indicator: object = None  # plgdata.analysis.indicator.IndicatorResult (None without referentieniveaus)

    def _repr_html_(self) -> str:
        import html

        return f"<p>{html.escape(self.sentence)}</p>"


def _referentie_per_year(scores: pd.DataFrame, subject: str | None) -> pd.DataFrame:
    """Groep 8 per subject and year: n, share at 1F or higher, share at 2F/1S (latest result per pupil)."""
    d = scores[(scores["groep"] == 8).fillna(False)]
    if subject is not None:
        d = d[d["subject"] == normalise_subject(subject)]
    info = level_info(d["level"])
    d = d.assign(_sys=info["level_system"].to_numpy(), _rank=info["level_rank"].to_numpy())
    d = d[d["_sys"] == "ref"]
    d = d.sort_values(["date"], kind="stable").drop_duplicates(["pupil_id", "subject", "school_year"], keep="last")
    d = d.assign(
        _1f=(d["_rank"] <= 2).astype("float64"),
        _2f=(d["_rank"] <= 1).astype("float64"),
        subject=d["subject"].astype(str),
        school_year=d["school_year"].astype(str),
    )
    return (
        d.groupby(["subject", "school_year"], observed=True)
        .agg(n=("_1f", "count"), share_1f=("_1f", "mean"), share_2f=("_2f", "mean"))
        .reset_index()
        .sort_values(["subject", "school_year"])
        .reset_index(drop=True)
    )


def _toets_per_year(indicator, subject: str | None) -> pd.DataFrame:
    """The indicator's per-subject detail in the shape of :func:`_referentie_per_year` (shares 0–1)."""
    d = (
        indicator.subjects
        if indicator is not None
        else pd.DataFrame(columns=["school_year", "subject", "n", "pct_1f", "pct_2f1s"])
    )
    if subject is not None:
        d = d[d["subject"] == subject]
    from plgdata.analysis.indicator import INDICATOR_SUBJECT_LABELS

    return pd.DataFrame(
        {
            "subject": d["subject"].astype(str).map(lambda x: INDICATOR_SUBJECT_LABELS.get(x, x)),
            "school_year": d["school_year"].astype(str),
            "n": d["n"].astype(int),
            "share_1f": d["pct_1f"] / 100.0,
            "share_2f": d["pct_2f1s"] / 100.0,
        }
    ).reset_index(drop=True)


def _one_value(signaleringswaarde_2f) -> tuple[float | None, str]:
    """The school's one 1S/2F value (a dict per subject must hold one value: the Inspectie uses one per school)."""
    if signaleringswaarde_2f is None:
        return None, ""
    if isinstance(signaleringswaarde_2f, dict):
        values = {float(v) for v in signaleringswaarde_2f.values() if v is not None and not np.isnan(float(v))}
        if len(values) != 1:
            return None, (
                " De tabel met signaleringswaarden geeft verschillende waarden per vak; de inspectie gebruikt één "
                "signaleringswaarde 1S/2F per school (bij de schoolweging). Vul die ene waarde in."
                if values
                else ""
            )
        return values.pop(), ""
    v = float(signaleringswaarde_2f)
    return (None, "") if np.isnan(v) else (v, "")


def referentieniveaus(
    scores: pd.DataFrame,
    signaleringswaarde_2f: float | dict[str, float] | None = None,
    *,
    subject: str | None = None,
    years: Sequence[str] | None = None,
    signaleringswaarde_1f: float = 0.85,
    schoolweging: float | None = None,
    doorstroom: pd.DataFrame | None = None,
) -> ReferentieniveauResult:
    """Groep 8's referentieniveaus from the LVS: the Inspectie's indicator, per-subject figures as detail.

    The judgement is :func:`plgdata.analysis.indicator.inspection_indicator` (one percentage per
    year over lezen, taalverzorging and rekenen together; pupil-weighted over three years; one
    signaleringswaarde 1S/2F per school).  LVS rows are an *indication*, labelled so.

    Parameters
    ----------
    scores : DataFrame
        Canonical scores table; rows of groep 8 whose level is a referentieniveau count
        (per pupil, subject and year the latest result).
    signaleringswaarde_2f : float or dict, optional
        The school's one 1S/2F value (``0.435`` or ``43.5``); a dict per subject must hold one value.
    subject : str, optional
        Only this subject in the detail tables.
    years : sequence of str, optional
        The school years of the three-year value (default: the latest three with results).
    signaleringswaarde_1f : float
        85% for every school.
    schoolweging : float, optional
        Gives the 1S/2F value when it is not given (verified bands only).
    doorstroom : DataFrame, optional
        Doorstroomtoets results (``Dataset.doorstroom``): then they, not the LVS, are counted.

    Returns
    -------
    ReferentieniveauResult
        ``indicator`` (the judgement), ``per_year`` and ``average`` (per subject, detail:
        shares 0–1, the three-year value weighted by pupils) and the Dutch sentence.
    """
    from plgdata.analysis.indicator import inspection_indicator, results_from_scores

    from_toets = doorstroom is not None and len(doorstroom) > 0
    results = doorstroom if from_toets else results_from_scores(scores, groep=8)
    sw2, note = _one_value(signaleringswaarde_2f)
    indicator = None
    sentence = "Er zijn geen referentieniveaus van groep 8 in de gegevens."
    if len(results):
        indicator = inspection_indicator(
            results,
            signaleringswaarde_2f1s=sw2,
            schoolweging=schoolweging,
            signaleringswaarde_1f=signaleringswaarde_1f,
            years=years,
        )
        sentence = indicator.sentence() + note
    per_year = _referentie_per_year(scores, subject) if not from_toets else _toets_per_year(indicator, subject)
    rows = []
    for subj, grp in per_year.groupby("subject", sort=True):
        sel = grp[grp["school_year"].isin(indicator.window)] if indicator is not None else grp.tail(3)
        w = sel["n"].to_numpy(dtype=float)
        rows.append(
            {
                "subject": subj,
                "years": ", ".join(sel["school_year"]),
                "n_years": len(sel),
                "n": int(w.sum()),
                "avg_1f": float(np.average(sel["share_1f"], weights=w)) if w.sum() else np.nan,
                "avg_2f": float(np.average(sel["share_2f"], weights=w)) if w.sum() else np.nan,
                "sw_1f": indicator.sw_1f / 100 if indicator is not None else np.nan,
                "sw_2f": indicator.sw_2f1s / 100 if indicator is not None and indicator.sw_2f1s is not None else np.nan,
            }
        )
    average = pd.DataFrame(rows, columns=["subject", "years", "n_years", "n", "avg_1f", "avg_2f", "sw_1f", "sw_2f"])
    return ReferentieniveauResult(per_year=per_year, average=average, sentence=sentence, indicator=indicator)


# ---------------------------------------------------------------------------
# the problem measure: share of pupils at some levels, within one level system
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelShare:
    """Share of pupils whose own level is one of ``levels``, counted only among pupils with a
    level in the same system; the pupils with a level in another system are counted apart."""

    levels: tuple[str, ...]
    system: str
    share: float  # NaN when no pupil has a level in ``system``
    n: int  # pupils with a level in ``system``
    n_hit: int
    n_other: int  # pupils whose level is in another system (never counted as in or out)
    other_systems: tuple[str, ...]
    other_scales: tuple[str, ...]

    @property
    def label(self) -> str:
        """``'niveau IV/V'``"""
        return f"{SYSTEM_LABELS.get(self.system, self.system).split(' ')[0]} {'/'.join(self.levels)}"

    @property
    def missing_text(self) -> str:
        """Why there is no share, in Dutch (empty when there is one)."""
        if self.n:
            return ""
        sys_label = SYSTEM_LABELS.get(self.system, self.system)
        if not self.n_other:
            return f"geen {sys_label} in deze gegevens (geen leerling met een niveau)"
        others = " en ".join(SYSTEM_LABELS.get(s, s) for s in self.other_systems)
        tests = f", toets {', '.join(self.other_scales)}" if self.other_scales else ""
        return f"geen {sys_label} ({self.n_other} leerlingen met een {others}{tests})"


def level_share(rows: pd.DataFrame, levels: Sequence[str] = ("IV", "V")) -> LevelShare:
    """Share of pupils (one row each) whose own level is one of ``levels``, within their system.

    Parameters
    ----------
    rows : DataFrame
        One row per pupil with a ``level`` column (and optionally ``scale``).
    levels : sequence of str
        Levels of one system (``('IV', 'V')``, ``('D', 'E')``, ``('op weg naar 1F',)``).

    Returns
    -------
    LevelShare
        share = pupils whose folded level (I+ → I, V- → V) is in ``levels`` / pupils with a level
        in that system.  Pupils with a level of another system (an IEP referentieniveau, A–E)
        count neither way: a year on another system has no share (``share`` NaN, ``n`` 0) and
        :attr:`LevelShare.missing_text` says so, instead of 0% of 44 pupils.

    Examples
    --------
    >>> r = pd.DataFrame({"level": ["IV", "V-", "II", "1F", "2F"]})
    >>> s = level_share(r)
    >>> (s.n, s.n_hit, s.n_other, round(s.share, 3))
    (3, 2, 2, 0.667)
    """
    infos = [_system_of_level(lv) for lv in levels]
    systems = {i[0] for i in infos}
    if len(systems) != 1:
        raise ValueError(f"De niveaus {', '.join(map(str, levels))} horen niet bij één niveausysteem; kies bijvoorbeeld IV en V.")
    system = systems.pop()
    wanted = {i[1] for i in infos}
    info = level_info(rows["level"]) if len(rows) else pd.DataFrame(columns=["level_system", "level_main"])
    in_sys = (info["level_system"] == system).to_numpy(dtype=bool)
    other = (info["level_system"].notna() & (info["level_system"] != system)).to_numpy(dtype=bool)
    n, n_hit = int(in_sys.sum()), int((in_sys & info["level_main"].isin(wanted).to_numpy()).sum())
    scales = rows.loc[other, "scale"].dropna().astype(str).unique() if "scale" in rows.columns else []
    return LevelShare(
        levels=tuple(str(lv) for lv in levels),
        system=system,
        share=n_hit / n if n else float("nan"),
        n=n,
        n_hit=n_hit,
        n_other=int(other.sum()),
        other_systems=tuple(sorted(set(info.loc[other, "level_system"]))),
        other_scales=tuple(sorted(scales)),
    )
