"""Leerwinst: growth of pupils between two test moments, and what growth to expect.

Three sources of *expected* growth, in order of preference (DESIGN §4):

a. a norm table the school supplies (:func:`norm_growth`);
b. the school's own earlier cohorts (:func:`cohort_expected_growth`);
c. the export's own percentiles: z growth, 0 = grew like the national norm group
   (:func:`percentile_growth`; the z columns of :func:`pupil_growth`).

Raw gain is only computed between scores of the same subject **on the same scale**
(the scale is part of the comparability key, see :mod:`plgdata.model.schema`).  Everything is
vectorised (merge/groupby), so a bestuur with a million score rows is fine.

Messages for the user (Dutch) that do not stop the computation are stored in
``result.attrs["notes"]`` (a list of str).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from plgdata.io.norms import normalise_subject
from plgdata.model.errors import PlgdataError
from plgdata.model.vocabulary import MIN_N

#: NCE = 50 + NCE_SCALE * z  (normal curve equivalent; NCE 1 and 99 meet percentiles 1 and 99)
NCE_SCALE = 21.06

#: percentiles are clipped to this range before the probit (percentile 0 or 100 would give ±inf)
PERCENTILE_CLIP: tuple[float, float] = (0.5, 99.5)

#: default minimum group size below which statistics are suppressed (privacy, DESIGN §6)

_PERIOD_ORDER = {"B": 0, "M": 1, "E": 2}


class ScaleMismatchError(PlgdataError, ValueError):
    """Scores on different scales (test versions) cannot be subtracted (Dutch message)."""


class ScaleMismatchWarning(UserWarning):
    """Some pupils were left out because their two scores are on different scales."""


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _parse_moment(moment: str, what: str) -> tuple[str, int | None]:
    m = re.match(r"^\s*([BMEbme])\s*([1-8])?\s*$", str(moment))
    if not m:
        raise ValueError(
            f"Het {what} '{moment}' is geen toetsmoment. Schrijf het als periode + groep "
            "(bijvoorbeeld 'M5' of 'E5'), of alleen de periode ('B', 'M' of 'E') met een schooljaar."
        )
    return m.group(1).upper(), (int(m.group(2)) if m.group(2) else None)


def normalise_school_year(year: object) -> str | None:
    """``2024`` / ``'2024'`` / ``'2024-2025'`` / ``'2024/2025'`` -> ``'2024-2025'`` (``None`` stays ``None``)."""
    if year is None:
        return None
    m = re.match(r"^\s*(\d{4})(?:\s*[-/]\s*(\d{4}))?\s*$", str(year))
    if not m:
        raise ValueError(f"Het schooljaar '{year}' is niet te lezen; schrijf het als 2024-2025.")
    start = int(m.group(1))
    return f"{start}-{start + 1}"


def year_start(s: pd.Series) -> pd.Series:
    """First calendar year of a school-year column (``'2024-2025'`` -> 2024), fast for categoricals."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = pd.Series(s.cat.categories.astype(str))
        starts = pd.to_numeric(cats.str[:4], errors="coerce").to_numpy(dtype="float64")
        codes = s.cat.codes.to_numpy()
        out = np.where(codes >= 0, starts[np.clip(codes, 0, None)] if len(starts) else np.nan, np.nan)
        return pd.Series(out, index=s.index, dtype="float64")
    return pd.to_numeric(s.astype("string").str[:4], errors="coerce").astype("float64")


def probit_percentile(percentile, clip: tuple[float, float] = PERCENTILE_CLIP):
    """z score of a percentile: Φ⁻¹(p/100), with p clipped to ``clip``.

    Examples
    --------
    >>> round(float(probit_percentile(50)), 6)
    0.0
    >>> round(float(probit_percentile(84.13)), 3)
    1.0
    """
    p = np.clip(np.asarray(percentile, dtype="float64"), *clip)
    return stats.norm.ppf(p / 100.0)


def nce(z):
    """Normal curve equivalent: NCE = 50 + 21.06·z.

    Examples
    --------
    >>> round(float(nce(1.0)), 2)
    71.06
    """
    return 50.0 + NCE_SCALE * np.asarray(z, dtype="float64")


def _fmt_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _select(scores: pd.DataFrame, period: str, level: int | None, year: str | None) -> pd.DataFrame:
    mask = scores["period"] == period
    if level is not None:
        mask &= scores["moment"] == f"{period}{level}"
    if year is not None:
        mask &= scores["school_year"] == year
    mask &= scores["score"].notna() | scores["percentile"].notna()
    cols = ["pupil_id", "school", "school_year", "groep", "class_name", "scale", "moment", "date", "score", "percentile"]
    out = scores.loc[mask, cols].copy()
    out["_key"] = year_start(out["school_year"]) * 3 + _PERIOD_ORDER[period]
    out["_rid"] = np.arange(len(out))
    return out


# ---------------------------------------------------------------------------
# pupil growth
# ---------------------------------------------------------------------------

GROWTH_COLUMNS: tuple[str, ...] = (
    "pupil_id",
    "groep",
    "class_name",
    "scale",
    "pre",
    "post",
    "gain",
    "z_pre",
    "z_post",
    "z_growth",
    "nce_pre",
    "nce_post",
    "nce_growth",
    "percentile_pre",
    "percentile_post",
    "subject",
    "school",
    "school_year",
    "school_year_post",
    "groep_post",
    "class_name_post",
    "moment_pre",
    "moment_post",
    "date_pre",
    "date_post",
)


def pupil_growth(
    scores: pd.DataFrame,
    subject: str,
    from_moment: str,
    to_moment: str,
    *,
    from_year: object = None,
    to_year: object = None,
    across_years: bool = False,
    return_excluded: bool = False,
):
    """Growth per pupil between two moments of one subject, on one scale.

    Parameters
    ----------
    scores : DataFrame
        The canonical ``scores`` table.
    subject : str
        Subject code (``'begrijpend lezen'``; ``'BL'`` etc. are understood).
    from_moment, to_moment : str
        Moment codes (``'M5'``, ``'E5'``) or period letters (``'M'``, ``'E'``), the
        latter usually with ``from_year``/``to_year``.
    from_year, to_year : str or int, optional
        School years (``'2024-2025'`` or ``2024``).  When only ``from_year`` is given and
        both moments are in the same school year (``M``→``E``), ``to_year`` defaults to it.
    across_years : bool
        Pair a result with the nearest later one even when that lies in another
        school year than the moments imply (default False: a repeater's M5 of one
        year is never paired with the E5 of the next).
    return_excluded : bool
        Also return the pairs that were left out because their scales differ.

    Returns
    -------
    DataFrame
        One row per pupil × pair (:data:`GROWTH_COLUMNS`): ``pre, post, gain``, z and
        NCE columns (NaN without percentiles) and context (``groep``/``class_name``/
        ``school_year`` at the first moment, ``_post`` at the second).
        ``attrs["notes"]`` counts, in Dutch, every result that was left out:
        no result at the other moment, only one in another school year, other scale.
        With ``return_excluded=True`` a tuple ``(growth, excluded)``.

    Raises :class:`ScaleMismatchError` when every pair crosses scales; warns
    :class:`ScaleMismatchWarning` when some do.

    Notes
    -----
    Each first-moment result is paired with the nearest later result at the second
    moment (same pupil and subject) that lies the implied number of school years
    later: the same year for ``M``→``E``, the next for ``E``→``M`` or ``M``→``M``,
    ``to_year − from_year`` when both are given.  The same scale is preferred; a
    pair on two scales is left out (never bridged).  gain = post − pre; z =
    Φ⁻¹(percentile/100) (percentile clipped to [0,5; 99,5]); NCE = 50 + 21,06·z.
    Mertler (2002), ERIC Digest ED470589 (normal curve equivalents).
    """
    subject = normalise_subject(subject)
    p1, l1 = _parse_moment(from_moment, "beginmoment")
    p2, l2 = _parse_moment(to_moment, "eindmoment")
    y1, y2 = _years(p1, l1, p2, l2, from_year, to_year)
    s = scores[scores["subject"] == subject]
    pre, post = _select(s, p1, l1, y1), _select(s, p2, l2, y2)
    label_from = str(from_moment).strip().upper() + (f" ({y1})" if y1 else "")
    label_to = str(to_moment).strip().upper() + (f" ({y2})" if y2 else "")
    m, other_year = _pair_results(pre, post, None if across_years else _expected_gap(p1, p2, y1, y2))
    notes = _unpaired_notes(pre, post, m, other_year, label_from, label_to)
    cross = m[~m["_same"]]
    same = m[m["_same"]]
    if len(m) and same.empty:
        raise ScaleMismatchError(_mismatch_message(cross, label_from, label_to, all_pairs=True))
    if len(cross):
        msg = _mismatch_message(cross, label_from, label_to, all_pairs=False)
        notes.append(msg)
        warnings.warn(msg, ScaleMismatchWarning, stacklevel=2)
    if m.empty:
        notes.append(f"Er zijn geen leerlingen met een resultaat voor {subject} op zowel {label_from} als {label_to}.")
    out = _growth_frame(same, subject)
    out.attrs.update(notes=notes, subject=subject, moment_from=label_from, moment_to=label_to)
    return (out, _excluded_frame(cross)) if return_excluded else out


def _years(p1, l1, p2, l2, from_year, to_year) -> tuple[str | None, str | None]:
    y1, y2 = normalise_school_year(from_year), normalise_school_year(to_year)
    if y1 is not None and y2 is None and l1 is None and l2 is None and _PERIOD_ORDER[p2] > _PERIOD_ORDER[p1]:
        y2 = y1
    return y1, y2


def _expected_gap(p1: str, p2: str, y1: str | None, y2: str | None) -> int:
    """Distance in ``_key`` units (3 per school year) between the two moments of a pair."""
    if y1 is not None and y2 is not None:
        years = int(y2[:4]) - int(y1[:4])
    else:
        years = 0 if _PERIOD_ORDER[p2] > _PERIOD_ORDER[p1] else 1
    return 3 * years + _PERIOD_ORDER[p2] - _PERIOD_ORDER[p1]


def _pair_results(pre: pd.DataFrame, post: pd.DataFrame, gap: int | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Pairs (nearest later result, same scale preferred) and which first results only had a later one in another year."""
    other_year = np.zeros(len(pre), dtype=bool)
    if gap is None:
        m = pre.merge(post, on="pupil_id", suffixes=("_pre", "_post"), sort=False)
        m = m[m["_key_post"] > m["_key_pre"]]
        m["_gap"] = m["_key_post"] - m["_key_pre"]
    else:  # merge on the implied moment directly: no pupil × years² intermediate
        left = pre.assign(_target=pre["_key"] + gap)
        right = post.assign(_target=post["_key"])
        m = left.merge(right, on=["pupil_id", "_target"], suffixes=("_pre", "_post"), sort=False)
        m["_gap"] = gap
        last = post.groupby("pupil_id", observed=True)["_key"].max()
        later = (pre["pupil_id"].map(last).astype("float64") > pre["_key"]).to_numpy()
        other_year[later] = True
        other_year[m["_rid_pre"].to_numpy()] = False
    m["_same"] = (m["scale_pre"].astype("string") == m["scale_post"].astype("string")).fillna(False)
    # nearest later moment first; among results at that moment prefer the same scale
    m = m.sort_values(["_gap", "_same", "date_post"], ascending=[True, False, True], kind="stable")
    m = m.drop_duplicates("_rid_pre", keep="first")
    m = m.sort_values(["_gap", "_same", "date_pre"], ascending=[True, False, False], kind="stable")
    m = m.drop_duplicates("_rid_post", keep="first")
    return m, other_year


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _unpaired_notes(pre, post, m, other_year, label_from: str, label_to: str) -> list[str]:
    """Dutch notes counting every first or second result that found no partner."""
    paired_pre = np.zeros(len(pre), dtype=bool)
    paired_pre[m["_rid_pre"].to_numpy()] = True
    paired_post = np.zeros(len(post), dtype=bool)
    paired_post[m["_rid_post"].to_numpy()] = True
    later_year = int((~paired_pre & other_year).sum())
    no_post = int((~paired_pre & ~other_year).sum())
    no_pre = int((~paired_post).sum())
    notes = []
    if no_post:
        notes.append(
            f"{_count(no_post, 'leerling', 'leerlingen')} met een resultaat op {label_from} "
            f"{'heeft' if no_post == 1 else 'hebben'} geen resultaat op {label_to} en "
            f"{'telt' if no_post == 1 else 'tellen'} niet mee."
        )
    if no_pre:
        notes.append(
            f"{_count(no_pre, 'leerling', 'leerlingen')} met een resultaat op {label_to} "
            f"{'heeft' if no_pre == 1 else 'hebben'} geen resultaat op {label_from} en "
            f"{'telt' if no_pre == 1 else 'tellen'} niet mee."
        )
    if later_year:
        notes.append(
            f"{_count(later_year, 'leerling', 'leerlingen')} met een resultaat op {label_from} "
            f"{'heeft' if later_year == 1 else 'hebben'} alleen een resultaat op {label_to} in een ander "
            "schooljaar (bijvoorbeeld na doubleren); die meting is niet gekoppeld, want dat is geen groei "
            "binnen de bedoelde periode (across_years=True koppelt toch)."
        )
    return notes


def _growth_frame(same: pd.DataFrame, subject: str) -> pd.DataFrame:
    """One row per pupil pair; the identifying columns keep the source table's (categorical) dtypes."""
    same = same.reset_index(drop=True)
    z_pre = probit_percentile(same["percentile_pre"].to_numpy())
    z_post = probit_percentile(same["percentile_post"].to_numpy())
    out = pd.DataFrame(
        {
            "pupil_id": same["pupil_id"],
            "groep": same["groep_pre"],
            "class_name": same["class_name_pre"],
            "scale": same["scale_pre"],
            "pre": same["score_pre"].to_numpy(dtype="float64"),
            "post": same["score_post"].to_numpy(dtype="float64"),
        }
    )
    out["gain"] = out["post"] - out["pre"]
    out["z_pre"] = z_pre
    out["z_post"] = z_post
    out["z_growth"] = z_post - z_pre
    out["nce_pre"] = nce(z_pre)
    out["nce_post"] = nce(z_post)
    out["nce_growth"] = out["nce_post"] - out["nce_pre"]
    out["percentile_pre"] = same["percentile_pre"].to_numpy(dtype="float64")
    out["percentile_post"] = same["percentile_post"].to_numpy(dtype="float64")
    out["subject"] = subject
    context = (
        ("school", "school_pre"),
        ("school_year", "school_year_pre"),
        ("school_year_post", "school_year_post"),
        ("groep_post", "groep_post"),
        ("class_name_post", "class_name_post"),
        ("moment_pre", "moment_pre"),
        ("moment_post", "moment_post"),
    )
    for col, src in context:
        out[col] = same[src]
    out["date_pre"] = same["date_pre"].to_numpy()
    out["date_post"] = same["date_post"].to_numpy()
    out = out.sort_values(["school_year", "groep", "class_name", "pupil_id"], kind="stable").reset_index(drop=True)
    return out[list(GROWTH_COLUMNS)]


def _excluded_frame(cross: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pupil_id": cross["pupil_id"].to_numpy(),
            "groep": cross["groep_pre"].to_numpy(),
            "class_name": cross["class_name_pre"].to_numpy(),
            "scale_pre": cross["scale_pre"].astype("string").to_numpy(),
            "scale_post": cross["scale_post"].astype("string").to_numpy(),
            "moment_pre": cross["moment_pre"].astype("string").to_numpy(),
            "moment_post": cross["moment_post"].astype("string").to_numpy(),
            "reden": "voormeting en nameting op verschillende schalen",
        }
    )


def _mismatch_message(cross: pd.DataFrame, label_from: str, label_to: str, all_pairs: bool) -> str:
    combos = (
        cross.assign(a=cross["scale_pre"].astype(str), b=cross["scale_post"].astype(str))
        .groupby(["a", "b"], observed=True)
        .size()
    )
    scales = sorted(set(combos.index.get_level_values(0)) | set(combos.index.get_level_values(1)))
    parts = [
        f"bij {n} leerling{'en' if n != 1 else ''} is de voormeting ({label_from}) op de schaal {a} "
        f"en de nameting ({label_to}) op de schaal {b}"
        for (a, b), n in combos.items()
    ]
    head = (
        f"Vaardigheidsscores van verschillende toetsversies ({_fmt_list(scales)}) kun je niet van "
        f"elkaar aftrekken: {'; '.join(parts)}."
    )
    if all_pairs:
        return (
            head + " Voor geen enkele leerling liggen beide metingen op dezelfde schaal, dus er is geen "
            "leerwinst te berekenen. Kies twee momenten van dezelfde toetsversie, of vergelijk de "
            "percentielen (groei in z-scores) in plaats van de vaardigheidsscores."
        )
    n = len(cross)
    return head + (
        " Voor deze leerling is geen leerwinst berekend." if n == 1 else f" Voor deze {n} leerlingen is geen leerwinst berekend."
    )


# ---------------------------------------------------------------------------
# group summaries
# ---------------------------------------------------------------------------


#: what a pupil lacks when a value is missing (for the Dutch note of :func:`_summarise`)
_MISSING_WHAT = {
    "gain": "vaardigheidsscore op beide momenten",
    "z_growth": "percentiel op beide momenten",
    "nce_growth": "percentiel op beide momenten",
    "growth_vs_expected": "verwachte groei",
}


def _summarise(df: pd.DataFrame, value: str, by: list[str], min_n: int, extra: dict[str, tuple[str, str]]) -> pd.DataFrame:
    d = df[df[value].notna()]
    res = _summary_table(d, value, by, min_n, extra)
    notes = list(df.attrs.get("notes", []))
    missing = len(df) - len(d)
    if missing:
        what = _MISSING_WHAT.get(value, f"waarde in '{value}'")
        notes.append(
            f"{_count(missing, 'leerling', 'leerlingen')} zonder {what} {'telt' if missing == 1 else 'tellen'} hier niet mee."
        )
    res.attrs["notes"] = notes
    return res


def _summary_table(d: pd.DataFrame, value: str, by: list[str], min_n: int, extra: dict[str, tuple[str, str]]) -> pd.DataFrame:
    if by:
        g = d.groupby(by, observed=True, sort=True, dropna=False)
        res = g[value].agg(n="count", mean="mean", median="median", sd="std")
        for name, (col, how) in extra.items():
            res[name] = g[col].agg(how)
        res = res.reset_index()
    else:
        vals = d[value]
        row = {"n": int(vals.count()), "mean": vals.mean(), "median": vals.median(), "sd": vals.std()}
        for name, (col, how) in extra.items():
            row[name] = getattr(d[col], how)()
        res = pd.DataFrame([row])
    n = res["n"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        tcrit = stats.t.ppf(0.975, n - 1)
        half = tcrit * res["sd"].to_numpy(dtype="float64") / np.sqrt(n)
    res["ci_low"] = res["mean"] - half
    res["ci_high"] = res["mean"] + half
    res["suppressed"] = res["n"] < min_n
    stat_cols = [c for c in res.columns if c not in (*by, "n", "suppressed")]
    res[stat_cols] = res[stat_cols].astype("float64")
    res.loc[res["suppressed"], stat_cols] = np.nan
    res["n"] = res["n"].astype("int64")
    return res


def group_growth(
    growth_df: pd.DataFrame, by: Sequence[str] | str | None = ("groep",), *, value: str = "gain", min_n: int = MIN_N
) -> pd.DataFrame:
    """Summary of pupil growth per group: n, mean, median, sd and a 95% t-interval.

    Parameters
    ----------
    growth_df : DataFrame
        Output of :func:`pupil_growth` (optionally with the expected-growth columns of
        :func:`norm_growth` / :func:`compare_to_expected`).
    by : sequence of str, str or None
        Grouping columns (``None`` or ``()``: one row for everybody).
    value : str
        Column to summarise (``'gain'``, ``'z_growth'``, ``'nce_growth'``, ``'growth_vs_expected'``).
    min_n : int
        Groups with fewer pupils get NaN statistics and ``suppressed=True`` (privacy and
        reliability; default 5).

    Returns
    -------
    DataFrame
        ``by…, n, mean, median, sd, ci_low, ci_high, suppressed`` plus, when the input has
        them, ``mean_expected_gain`` and ``share_at_least_expected`` (share of pupils whose
        growth was at least the expected growth).

    Notes
    -----
    CI = mean ± t₀.₉₇₅(n−1) · sd/√n, sd with n − 1 in the denominator.
    """
    if by is None:
        by = []
    elif isinstance(by, str):
        by = [by]
    by = list(by)
    if value not in growth_df.columns:
        raise KeyError(f"De kolom '{value}' staat niet in de groeitabel.")
    extra: dict[str, tuple[str, str]] = {}
    if "expected_gain" in growth_df.columns:
        extra["mean_expected_gain"] = ("expected_gain", "mean")
    if "at_least_expected" in growth_df.columns:
        df = growth_df.copy()
        df["_ale"] = df["at_least_expected"].astype("float64")
        extra["share_at_least_expected"] = ("_ale", "mean")
        growth_df = df
    return _summarise(growth_df, value, by, min_n, extra)


# ---------------------------------------------------------------------------
# expected growth
# ---------------------------------------------------------------------------


def norm_growth(
    growth_df: pd.DataFrame,
    norm_table: pd.DataFrame,
    subject: str | None = None,
    *,
    by: Sequence[str] | str | None = None,
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """Expected growth from a norm table (a), per pupil or as a group summary.

    Parameters
    ----------
    growth_df : DataFrame
        Output of :func:`pupil_growth`.
    norm_table : DataFrame
        Output of :func:`plgdata.io.norms.read_norm_table` (subject, scale, moment, mean, sd).
    subject : str, optional
        Subject of the growth table (default: the ``subject`` column).
    by : sequence of str, optional
        When given, return :func:`group_growth` of ``growth_vs_expected`` by these
        columns (with ``share_at_least_expected``); otherwise the per-pupil table.
    min_n : int
        Suppression threshold for the group summary.

    Returns
    -------
    DataFrame
        The growth table plus ``norm_mean_pre, norm_sd_pre, norm_mean_post, norm_sd_post,
        expected_post, expected_gain, growth_vs_expected, expected_post_start, at_least_expected``
        (NaN / NA where the norm table lacks the subject, scale or moment; a Dutch note in
        ``attrs["notes"]``).

    Notes
    -----
    A pupil who keeps the same z score relative to the norm group grew as expected:

    expected_post = μ_post + (pre − μ_pre) · σ_post/σ_pre,
    expected_gain = expected_post − pre, growth_vs_expected = post − expected_post.

    ``at_least_expected`` compares a pupil with pupils **who started at the same score**:
    post ≥ expected_post_start = μ_post + σ_post · E[z_post | z_pre]
    (:func:`conditional_expectation`, per school year and moment pair).  Comparing with
    expected_post itself would call most low starters "at least expected" and few high
    starters, from regression to the mean alone (under no effect 67% against 34%).

    References
    ----------
    Cito (2014). *Wetenschappelijke verantwoording LOVS* — vaardigheidsgroei ten opzichte
    van de landelijke normgroep.
    """
    df = growth_df.copy()
    subj = normalise_subject(subject) if subject is not None else None
    nt = norm_table[["subject", "scale", "moment", "mean", "sd"]].copy()
    nt["subject"] = nt["subject"].astype(str)
    nt["scale"] = nt["scale"].astype(str)
    nt["moment"] = nt["moment"].astype(str)
    key_subject = pd.Series(subj if subj else df["subject"].astype(str), index=df.index).astype(str)
    keys = pd.DataFrame({"subject": key_subject.to_numpy(), "scale": df["scale"].astype(str).to_numpy()})
    for side in ("pre", "post"):
        k = keys.assign(moment=df[f"moment_{side}"].astype(str).to_numpy())
        hit = k.merge(nt, on=["subject", "scale", "moment"], how="left")
        df[f"norm_mean_{side}"] = hit["mean"].to_numpy(dtype="float64")
        df[f"norm_sd_{side}"] = hit["sd"].to_numpy(dtype="float64")
    df["expected_post"] = df["norm_mean_post"] + (df["pre"] - df["norm_mean_pre"]) * (df["norm_sd_post"] / df["norm_sd_pre"])
    df["expected_gain"] = df["expected_post"] - df["pre"]
    df["growth_vs_expected"] = df["post"] - df["expected_post"]
    z_pre = (df["pre"] - df["norm_mean_pre"]) / df["norm_sd_pre"]
    z_post = (df["post"] - df["norm_mean_post"]) / df["norm_sd_post"]
    pools = keys.assign(m1=df["moment_pre"].to_numpy(), m2=df["moment_post"].to_numpy(), y=df["school_year"].to_numpy())
    z_exp, _ = conditional_expectation(z_pre, z_post, pools)
    df["expected_post_start"] = df["norm_mean_post"] + z_exp * df["norm_sd_post"]
    ale = pd.array(df["post"].to_numpy() >= df["expected_post_start"].to_numpy(), dtype="boolean")
    ale[np.isnan(df["expected_post_start"].to_numpy())] = pd.NA
    df["at_least_expected"] = ale
    df.attrs["notes"] = list(growth_df.attrs.get("notes", [])) + _missing_norm_notes(df)
    if by is not None:
        return group_growth(df, by=by, value="growth_vs_expected", min_n=min_n)
    return df


def _missing_norm_notes(df: pd.DataFrame) -> list[str]:
    missing = df["expected_post"].isna() & df["pre"].notna()
    if not missing.any():
        return []
    combos = df.loc[missing, ["scale", "moment_pre", "moment_post"]].astype(str).drop_duplicates().itertuples(index=False)
    txt = _fmt_list([f"{sc} {a}→{b}" for sc, a, b in combos])
    return [
        (
            f"De normtabel heeft geen gemiddelde en sd voor {txt}; voor {int(missing.sum())} "
            "leerlingen is geen verwachte groei berekend."
        )
    ]


def cohort_expected_growth(
    scores: pd.DataFrame,
    subject: str,
    from_moment: str,
    to_moment: str,
    school_year: object,
    *,
    n_years: int = 3,
    by: Sequence[str] | str = ("groep",),
) -> pd.DataFrame:
    """Expected growth (b): the mean gain of the school's own earlier cohorts.

    Parameters
    ----------
    scores : DataFrame
        Canonical scores table.
    subject, from_moment, to_moment : str
        As in :func:`pupil_growth` (moment codes ``'M6'``/``'E6'`` or periods ``'M'``/``'E'``).
    school_year : str or int
        The current school year (of the first moment); cohorts from the ``n_years``
        school years before it are used.
    n_years : int
        How many earlier years to use (default 3).
    by : sequence of str
        Grouping (default groep); the scale is always part of the key.

    Returns
    -------
    DataFrame
        ``by…, scale, expected_gain, sd, n, mean_pre, slope, n_cohorts, years`` — the
        pupil-weighted mean gain of the earlier cohorts on the same scale, their mean pretest and
        the slope of post on pre (for an expectation conditional on the start,
        :func:`compare_to_expected`).  ``attrs["notes"]`` notes when
        fewer than three earlier cohorts exist.

    Notes
    -----
    expected_gain = Σ gains of earlier pupils / n (pupils pooled across cohorts).  Only
    gains on the same scale are pooled; a scale change splits the rows.
    """
    if isinstance(by, str):
        by = [by]
    by = list(by)
    current = normalise_school_year(school_year)
    start = int(current[:4])
    earlier = {f"{y}-{y + 1}" for y in range(start - n_years, start)}
    # only the years a pair starting in an earlier year can touch (faster on a national table)
    touched = {f"{y}-{y + 1}" for y in range(start - n_years, start + 1)}
    scores = scores[scores["school_year"].isin(touched)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScaleMismatchWarning)
        try:
            g = pupil_growth(scores, subject, from_moment, to_moment)
        except ScaleMismatchError:
            g = pupil_growth(scores.iloc[0:0], subject, from_moment, to_moment)
    g = g[g["school_year"].astype(str).isin(earlier) & g["gain"].notna()]
    keys = by + ["scale"]
    grp = g.groupby(keys, observed=True, sort=True)
    res = grp["gain"].agg(expected_gain="mean", sd="std", n="count")
    res["mean_pre"] = grp["pre"].mean()
    res["slope"] = _slopes(g, keys)
    res["n_cohorts"] = grp["school_year"].nunique()
    res["years"] = grp["school_year"].agg(lambda s: ", ".join(sorted(set(map(str, s)))))
    res = res.reset_index()
    notes = []
    few = res["n_cohorts"] < 3
    if res.empty:
        notes.append(
            f"Er zijn geen eerdere cohorten met {from_moment} en {to_moment} vóór {current}; "
            "verwachte groei uit eigen cohorten is niet te bepalen."
        )
    elif few.any():
        notes.append(
            "Minder dan drie eerdere cohorten: de verwachte groei uit eigen cohorten is nog weinig "
            "betrouwbaar (de inspectie en de datateammethode kijken naar drie cohorten)."
        )
    res.attrs["notes"] = notes
    return res


def _slopes(g: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Slope of post on pre per key (cov/var, at least 0); :data:`DEFAULT_RETEST_R` under :data:`MIN_FIT` pupils.

    One pass of sums (x, y, x², xy, n) per key, on values centred at their overall means."""
    d = g[keys + ["pre", "post"]].dropna(subset=["pre", "post"])
    x = d["pre"].to_numpy(dtype="float64")
    y = d["post"].to_numpy(dtype="float64")
    x, y = x - (x.mean() if len(x) else 0.0), y - (y.mean() if len(y) else 0.0)
    parts = pd.DataFrame({"x": x, "y": y, "xx": x * x, "xy": x * y, "n": 1.0}, index=d.index)
    sums = parts.groupby([d[k] for k in keys], observed=True, sort=True).sum()
    xx = sums["xx"] - sums["x"] ** 2 / sums["n"]
    xy = sums["xy"] - sums["x"] * sums["y"] / sums["n"]
    with np.errstate(invalid="ignore", divide="ignore"):
        b = (xy / xx).clip(lower=0.0)
    return b.where((sums["n"] >= MIN_FIT) & (xx > 1e-12 * sums["n"]), DEFAULT_RETEST_R)


def compare_to_expected(growth_df: pd.DataFrame, expected: pd.DataFrame, on: Sequence[str] = ("groep", "scale")) -> pd.DataFrame:
    """Add ``expected_gain, growth_vs_expected, at_least_expected`` from a table of expected gains.

    ``expected`` is e.g. the output of :func:`cohort_expected_growth` (columns ``on…`` and
    ``expected_gain``).  at_least_expected = gain ≥ expected_gain.  When ``expected`` also has
    ``mean_pre`` and ``slope`` (earlier cohorts' post on pre), the expected gain is conditional on
    the pupil's start, so a low starter is compared with earlier pupils who started low:

        expected_gain_i = expected_gain + (slope − 1) · (pre_i − mean_pre).
    """
    on = list(on)
    left = growth_df.copy()
    keys = pd.DataFrame({c: left[c].astype(str).to_numpy() for c in on})
    extra = [c for c in ("mean_pre", "slope") if c in expected.columns]
    right = expected[on + ["expected_gain"] + extra].copy()
    for c in on:
        right[c] = right[c].astype(str)
    hit = keys.merge(right, on=on, how="left")
    exp = hit["expected_gain"].to_numpy(dtype="float64")
    if len(extra) == 2:
        shift = (hit["slope"].to_numpy(dtype="float64") - 1.0) * (
            left["pre"].to_numpy(dtype="float64") - hit["mean_pre"].to_numpy(dtype="float64")
        )
        exp = exp + np.where(np.isfinite(shift), shift, 0.0)
    left["expected_gain"] = exp
    left["growth_vs_expected"] = left["gain"] - left["expected_gain"]
    ale = pd.array(left["gain"].to_numpy() >= left["expected_gain"].to_numpy(), dtype="boolean")
    ale[np.isnan(left["expected_gain"].to_numpy()) | np.isnan(left["gain"].to_numpy())] = pd.NA
    left["at_least_expected"] = ale
    return left


def percentile_growth(
    growth_df: pd.DataFrame, by: Sequence[str] | str | None = ("groep",), *, min_n: int = MIN_N
) -> pd.DataFrame:
    """Expected growth (c) without a norm table: growth in z and NCE from the percentiles.

    Parameters
    ----------
    growth_df : DataFrame
        Output of :func:`pupil_growth` (its ``z_pre``/``z_post`` columns).
    by : sequence of str or None
        Grouping columns.
    min_n : int
        Suppression threshold.

    Returns
    -------
    DataFrame
        ``by…, n, mean_z_pre, mean_z_post, mean (= mean z_growth), median, sd, ci_low,
        ci_high, mean_nce_pre, mean_nce_post, mean_nce_growth, share_grew_like_norm,
        share_at_least_expected, suppressed``.  A mean z growth of 0 means the group grew like
        the national norm group; positive: faster.  ``share_grew_like_norm`` is the share with
        z_growth ≥ 0 (its percentile did not drop); ``share_at_least_expected`` the share that grew
        at least as expected **for its start** (:func:`conditional_growth`): only this share is
        the same for low and high starters when nobody grew differently.

    Notes
    -----
    z = Φ⁻¹(percentile/100); NCE = 50 + 21,06·z; z growth = z_post − z_pre.  Percentiles
    are coarse (integers) and both measurements contain error, so a group's z growth
    also shows regression to the mean when the group was selected on its first score.
    """
    if by is None:
        by = []
    elif isinstance(by, str):
        by = [by]
    by = list(by)
    d = conditional_growth(growth_df) if len(growth_df) else growth_df.assign(z_vs_expected=np.nan)
    d["_like"] = (d["z_growth"] >= 0).astype("float64").where(d["z_growth"].notna())
    d["_ale"] = (d["z_vs_expected"] >= 0).astype("float64").where(d["z_vs_expected"].notna())
    extra = {
        "mean_z_pre": ("z_pre", "mean"),
        "mean_z_post": ("z_post", "mean"),
        "mean_nce_pre": ("nce_pre", "mean"),
        "mean_nce_post": ("nce_post", "mean"),
        "mean_nce_growth": ("nce_growth", "mean"),
        "share_grew_like_norm": ("_like", "mean"),
        "share_at_least_expected": ("_ale", "mean"),
    }
    res = _summarise(d, "z_growth", by, min_n, extra)
    if len(growth_df) and growth_df["z_growth"].isna().all():
        res.attrs["notes"] = ["De export bevat geen percentielen; groei in z-scores is niet te berekenen."]
    return res


#: what every "growth against the norm" says when the data hold no national norm
NO_NORM_TEXT = "geen landelijke norm in deze gegevens"


@dataclass(frozen=True)
class NormGrowth:
    """Growth against the national norm of a set of pupils (z from percentiles), or why there is none."""

    values: np.ndarray  # per pupil z_post − z_pre (only pupils with a percentile at both moments)
    n_pairs: int  # pupils with both results on one scale (with or without percentile)
    note: str  # Dutch: why there is no norm growth ('' when there is)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float:
        return float(self.values.mean()) if self.n else float("nan")


def growth_against_norm(
    scores: pd.DataFrame,
    subject: str,
    from_moment: str,
    to_moment: str,
    school_year: object,
    groepen=None,
    *,
    norm_table: pd.DataFrame | None = None,
) -> NormGrowth:
    """Per pupil growth against the national norm (z from percentiles) between two moments of a year.

    Parameters
    ----------
    scores : DataFrame
        Canonical scores table.
    subject, from_moment, to_moment : str
        As in :func:`pupil_growth` (``'M'``, ``'E'`` with ``school_year``).
    school_year : str
        School year of the first moment.
    groepen : int or sequence of int, optional
        Only pupils in these groepen at the first moment.
    norm_table : DataFrame, optional
        The school's norm table (:func:`plgdata.io.norms.read_norm_table`): where a pupil has no
        percentiles, z = (score − μ)/σ of the norm at each moment.

    Returns
    -------
    NormGrowth
        The z growth of every pupil with a percentile (or a norm-table row) at both moments (same
        scale).  Without percentiles or a norm table there is **no** norm: ``values`` is empty and ``note`` says
        :data:`NO_NORM_TEXT`.  (A z standardised within the selected pupils has mean 0 at both
        moments, so its "growth" is 0 by construction and would read as "grew like the norm".)

    Notes
    -----
    z = Φ⁻¹(P/100) at each moment (:func:`probit_percentile`); growth = z_post − z_pre, 0 = grew
    like the national norm group.
    """
    s = scores
    if groepen is not None:
        s = s[s["groep"].isin([int(g) for g in np.atleast_1d(groepen)])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScaleMismatchWarning)
        try:
            g = pupil_growth(s, subject, from_moment, to_moment, from_year=school_year)
        except ScaleMismatchError as exc:
            return NormGrowth(np.array([]), 0, str(exc))
    z = g["z_growth"].to_numpy(dtype="float64")
    if norm_table is not None and len(g):
        ng = norm_growth(g, norm_table)
        z_tab = (ng["post"] - ng["norm_mean_post"]) / ng["norm_sd_post"] - (ng["pre"] - ng["norm_mean_pre"]) / ng["norm_sd_pre"]
        z = np.where(np.isfinite(z), z, z_tab.to_numpy(dtype="float64"))
    z = z[np.isfinite(z)]
    if not len(g):
        note = "geen leerlingen met een resultaat op beide momenten"
    elif not len(z):
        note = (
            f"{NO_NORM_TEXT} (de export heeft geen percentielen en er is geen normtabel voor deze toets, dus groei "
            "tegen de landelijke norm is niet te berekenen)"
        )
    else:
        note = ""
    return NormGrowth(z, len(g), note)


# ---------------------------------------------------------------------------
# growth conditional on the start
# ---------------------------------------------------------------------------

#: slope of the later on the earlier z when a pool is too small to estimate it: a test–retest
#: correlation of about 0.85 (LVS tests M→E; DESIGN §4, regression to the mean)
DEFAULT_RETEST_R = 0.85

#: fewest pupils in a pool to estimate its own slope
MIN_FIT = 20


def _pool_codes(pools, n: int) -> np.ndarray:
    """One integer per pupil for its pool (``pools``: None, one key per pupil, or a frame of key columns)."""
    if pools is None:
        return np.zeros(n, dtype="int64")
    if isinstance(pools, pd.DataFrame):
        if pools.shape[1] == 0:
            return np.zeros(n, dtype="int64")
        cols = list(pools.columns)
        return pools.groupby(cols, observed=True, dropna=False, sort=False).ngroup().to_numpy(dtype="int64")
    return pd.factorize(pd.Series(np.asarray(pools)).astype(str))[0]


def conditional_expectation(z_pre, z_post, pools=None, *, min_fit: int = MIN_FIT) -> tuple[np.ndarray, np.ndarray]:
    """What a pupil who grew like the norm is expected to reach, given where it started.

    Parameters
    ----------
    z_pre, z_post : array_like
        Positions against the norm at the two moments (z from percentiles, or (score − μ)/σ of a
        norm table).  NaN where missing.
    pools : array_like or DataFrame, optional
        A key per pupil (or key columns): pupils with one key (e.g. one groep, school year and
        moment pair) are compared with each other.  Default: all pupils one pool.
    min_fit : int
        A pool with fewer pupils (with both values) uses :data:`DEFAULT_RETEST_R` as its slope.

    Returns
    -------
    (expected_post, slope) : arrays aligned with the input

    Notes
    -----
    A pupil's two scores both carry measurement error, so pupils who started low score higher
    next time and pupils who started high lower, even when nobody grew differently (regression to
    the mean).  Comparing a pupil's z growth with 0 therefore calls low starters "boven
    verwachting" and flags high starters.  The expectation here is conditional on the start:

        expected_post = z̄_pre + b · (z_pre − z̄_pre),   b = cov(z_pre, z_post) / var(z_pre),

    per pool, b clipped to [0, 1].  It regresses towards the pool's own mean (so the rate of
    "boven verwachting" is the same for low and high starters), and keeps z̄_post = z̄_pre as the
    norm (so a pool that grew faster than the norm still has most pupils above expectation: the
    pool's mean residual is its mean z growth).  A regression expectation with a residual, as in
    value-added and student-growth-percentile models with one prior score.

    References
    ----------
    Betebenner, D. W. (2009). Norm- and criterion-referenced student growth. *Educational
    Measurement: Issues and Practice*, 28(4), 42–51.
    Barnett, A. G., van der Pols, J. C., & Dobson, A. J. (2005). Regression to the mean: what it is
    and how to deal with it. *International Journal of Epidemiology*, 34(1), 215–220.

    Examples
    --------
    >>> e, b = conditional_expectation([-1.0, 0.0, 1.0], [0.0, 0.0, 0.0])
    >>> [round(float(v), 2) for v in e], float(b[0])
    ([-0.85, 0.0, 0.85], 0.85)
    """
    pre = np.asarray(z_pre, dtype="float64")
    post = np.asarray(z_post, dtype="float64")
    key = _pool_codes(pools, len(pre))
    d = pd.DataFrame({"k": key, "x": pre, "y": post})
    ok = d[np.isfinite(d["x"]) & np.isfinite(d["y"])]
    g = ok.groupby("k")
    stats_ = pd.DataFrame({"n": g["x"].size(), "mx": g["x"].mean(), "my": g["y"].mean()})
    dx, dy = ok["x"] - ok["k"].map(stats_["mx"]), ok["y"] - ok["k"].map(stats_["my"])
    cov = (dx * dy).groupby(ok["k"]).sum()
    var = (dx * dx).groupby(ok["k"]).sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        b = (cov / var).clip(0.0, 1.0)
    b = b.where((stats_["n"] >= min_fit) & (var > 0), DEFAULT_RETEST_R)
    slope = d["k"].map(b).to_numpy(dtype="float64")
    mean_pre = d["k"].map(stats_["mx"]).to_numpy(dtype="float64")
    return mean_pre + slope * (pre - mean_pre), slope


def conditional_growth(growth_df: pd.DataFrame, by: Sequence[str] = ("school_year", "moment_pre", "moment_post")) -> pd.DataFrame:
    """Add ``z_expected_post`` and ``z_vs_expected`` (z_post − z_expected_post) to a growth table.

    Each pupil is compared with the pupils in ``growth_df`` who share its ``by`` values and started
    at the same z (:func:`conditional_expectation`).  NaN without percentiles.
    """
    out = growth_df.copy()
    exp, slope = conditional_expectation(out["z_pre"], out["z_post"], out[list(by)].reset_index(drop=True))
    out["z_expected_post"] = exp
    out["z_vs_expected"] = out["z_post"].to_numpy(dtype="float64") - exp
    out["z_slope"] = slope
    return out
