"""The content of the four teammeeting reports, as values.

One function per report returns a small dataclass holding everything the report
notebook shows: the *kernboodschap* (Dutch sentences, message first), tidy tables,
matplotlib figures with Dutch alt text (:class:`ReportFigure`), notes and the
questions the team should ask itself.  The notebooks in ``notebooks/rapporten/`` only
call these functions and hand the values to :mod:`plgdata.reporting.html`.

* :func:`group_overview` — *Groepsoverzicht*, framed by the four PLG questions (DuFour).
* :func:`trend_overview` — *Trendanalyse* of the school: dwarsdoorsnede, cohorts,
  three-year averages, groep-8 referentieniveaus against the signaleringswaarden.
* :func:`intervention_evaluation` — *Interventie-evaluatie*: the verdict of
  :func:`plgdata.analysis.compare.compare`, the design and why, both intervals, baseline
  equivalence, regression to the mean, the MDE.
* :func:`cycle_overview` — *Cyclusrapport*: where the datateam cycle stands.

Privacy: tables hold pseudonyms only; statistics of groups with fewer than ``min_n``
pupils are blanked here already (and again by :func:`plgdata.reporting.html.table`);
text a user typed (cycle file, intervention names) is returned as plain text and is
escaped by the html building blocks.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plgdata.model.vocabulary import MIN_N
from plgdata.plots import style
from plgdata.model.dataset import Dataset
from plgdata.analysis.growth import ScaleMismatchError, pupil_growth
from plgdata.model.labels import SUBJECT_LABELS, fmt_num, fmt_pct
from plgdata.analysis.levels import level_distribution, level_info, referentieniveaus

__all__ = [
    "ReportFigure",
    "GroupOverview",
    "TrendOverview",
    "InterventionEvaluation",
    "CycleOverview",
    "PLG_QUESTIONS",
    "group_overview",
    "group_overviews",
    "trend_overview",
    "intervention_evaluation",
    "cycle_overview",
]


#: the four questions of a professionele leergemeenschap (DuFour)
PLG_QUESTIONS: tuple[str, ...] = (
    "Wat moeten leerlingen leren?",
    "Hoe weten we dat ze het leren?",
    "Wat doen we als ze het niet leren?",
    "Wat doen we als ze het al kunnen?",
)

#: subject order in reports
_SUBJECT_ORDER = ("rekenen-wiskunde", "begrijpend lezen", "spelling", "technisch lezen", "woordenschat")


@dataclass
class ReportFigure:
    """A matplotlib figure with its Dutch alt text and caption (``html.figure(f.fig, f.alt, f.caption)``)."""

    fig: object
    alt: str
    caption: str | None = None

    def close(self) -> None:
        import matplotlib.pyplot as plt

        plt.close(self.fig)


def _subj(s: str) -> str:
    return SUBJECT_LABELS.get(str(s), str(s))


def _subjects(scores: pd.DataFrame) -> list[str]:
    present = [str(s) for s in scores["subject"].dropna().unique()]
    return [s for s in _SUBJECT_ORDER if s in present] + sorted(s for s in present if s not in _SUBJECT_ORDER)


def _years_sorted(values) -> list[str]:
    return sorted({str(v) for v in values if v is not None and not (isinstance(v, float) and np.isnan(v)) and str(v) != "<NA>"})


def _fig(ax_or_fig, caption: str | None = None) -> ReportFigure:
    fig = ax_or_fig.figure if hasattr(ax_or_fig, "figure") and not hasattr(ax_or_fig, "savefig") else ax_or_fig
    return ReportFigure(fig, style.get_alt_text(fig), caption)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# ===========================================================================
# 1. Groepsoverzicht
# ===========================================================================


@dataclass
class GroupOverview:
    """Everything the *Groepsoverzicht* of one groep (or class) shows."""

    groep: int
    klas: str | None
    school_year: str | None
    title: str
    n_pupils: int
    suppressed: bool  # fewer than min_n pupils: no statistics at all
    kernboodschap: list[str]
    tone: str
    tests: pd.DataFrame  # Vak, Moment, Toetsversie, n  (PLG question 1)
    levels: pd.DataFrame  # Vak, Moment, [Klas], n, share_top, share_low   (question 2)
    level_figure: ReportFigure | None
    growth: pd.DataFrame  # Vak, Van, Naar, Schaal, n, mean, ci_low, ci_high, [z]  (question 2)
    growth_figure: ReportFigure | None
    attention: pd.DataFrame  # pupil_id, Vak, Niveau, growth, Reden  (question 3)
    challenge: pd.DataFrame  # pupil_id, Vak, Niveau, growth, Reden  (question 4)
    notes: list[str] = field(default_factory=list)
    questions: dict[int, list[str]] = field(default_factory=dict)
    min_n: int = MIN_N

    @property
    def plg_questions(self) -> tuple[str, ...]:
        return PLG_QUESTIONS


def _latest_rows(sel: pd.DataFrame, subject: str) -> tuple[pd.DataFrame, str | None]:
    """Rows of the latest period of ``subject`` in ``sel`` (one school year), last result per pupil."""
    d = sel[(sel["subject"] == subject)]
    if d.empty:
        return d, None
    order = {"B": 0, "M": 1, "E": 2}
    periods = [p for p in d["period"].dropna().astype(str).unique() if p in order]
    if not periods:
        return d.iloc[0:0], None
    last = max(periods, key=order.get)
    d = d[d["period"] == last].sort_values("date", kind="stable").drop_duplicates("pupil_id", keep="last")
    return d, last


def _growth_for(scores: pd.DataFrame, subject: str, years: list[str], pupils: set[str]) -> tuple[pd.DataFrame, str | None, list[str]]:
    """M→E growth of ``pupils`` in the latest of ``years`` that has pairs (same scale)."""
    notes: list[str] = []
    sub = scores[(scores["subject"] == subject) & scores["pupil_id"].astype(str).isin(pupils)]
    for year in sorted(years, reverse=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                g = pupil_growth(sub, subject, "M", "E", from_year=year)
            except ScaleMismatchError as exc:
                notes.append(str(exc))
                continue
        g = g[g["gain"].notna()]
        if len(g):
            notes.extend(m for m in g.attrs.get("meldingen", []) if "verschillende toetsversies" in m)
            return g, year, notes
    return pd.DataFrame(), None, notes


def _mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    from scipy import stats

    v = values[~np.isnan(values)]
    n = len(v)
    if n == 0:
        return math.nan, math.nan, math.nan
    m = float(v.mean())
    if n < 2:
        return m, math.nan, math.nan
    half = float(stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / math.sqrt(n))
    return m, m - half, m + half


def _growth_figure(per_subject: dict[str, pd.DataFrame], use_z: bool, min_n: int, who: str) -> ReportFigure | None:
    items = [(s, g) for s, g in per_subject.items() if len(g)]
    if not items:
        return None
    value = "z_growth" if use_z else "gain"
    rng = np.random.default_rng(2026)
    with style.plot_style():
        ncols = 1 if use_z else len(items)
        fig, axes = style.new_figure(1, ncols, figsize=(9.0 if use_z else max(4.2 * ncols, 6.0), 1.1 * len(items) + 3.0 if use_z else 5.5))
        axes = [axes] if ncols == 1 else list(np.atleast_1d(axes))
        parts = []
        for i, (subject, g) in enumerate(items):
            ax = axes[0] if use_z else axes[i]
            y = i if use_z else 0
            vals = g[value].to_numpy(dtype="float64")
            vals = vals[~np.isnan(vals)]
            n = len(vals)
            if n < min_n:
                ax.text(0, y, "te weinig leerlingen", ha="center", va="center", fontsize=style.FONT_SIZES["annotation"])
                parts.append(f"{_subj(subject)}: te weinig leerlingen")
                if not use_z:
                    ax.set_title(_subj(subject))
                    ax.set_yticks([])
                continue
            jitter = rng.uniform(-0.18, 0.18, n)
            ax.scatter(vals, y + jitter, s=28, alpha=0.45, color=style.COLORS["norm"], edgecolor="none",
                       label="één leerling" if i == 0 else None)
            m, lo, hi = _mean_ci(vals)
            ax.errorbar([m], [y], xerr=[[m - lo], [hi - m]], fmt="o", color=style.COLORS["primary"], markersize=10,
                        capsize=6, linewidth=2.5, label="gemiddelde met 95%-BI" if i == 0 else None, zorder=5)
            ax.annotate(f"{fmt_num(m, 2 if use_z else 1)} (n = {n})", (m, y), textcoords="offset points", xytext=(0, 14),
                        ha="center", fontsize=style.FONT_SIZES["annotation"], zorder=6)
            parts.append(f"{_subj(subject)}: gemiddeld {fmt_num(m, 2 if use_z else 1)} (95%-BI {fmt_num(lo, 2 if use_z else 1)} tot {fmt_num(hi, 2 if use_z else 1)}, n = {n})")
            if not use_z:
                ax.axvline(0, color=style.COLORS["reference"], linestyle=":", linewidth=1.5)
                ax.set_title(_subj(subject))
                ax.set_yticks([])
                ax.set_xlabel("Leerwinst (punten)")
                style.use_decimal_comma(ax, "x")
        if use_z:
            ax = axes[0]
            ax.axvline(0, color=style.COLORS["target"], linestyle="--", linewidth=2, label="groei gelijk aan de landelijke norm")
            ax.set_yticks(range(len(items)), [_subj(s) for s, _ in items])
            ax.set_ylim(len(items) - 0.5, -0.5)
            ax.set_xlabel("Groei in z-scores (0 = groeide als de landelijke normgroep)")
            style.use_decimal_comma(ax, "x")
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=style.FONT_SIZES["legend"])
            ax.set_title(f"Groei van midden naar eind schooljaar – {who}")
        else:
            fig.suptitle(f"Leerwinst van midden naar eind schooljaar – {who}")
    what = "groei in z-scores ten opzichte van de landelijke norm" if use_z else "leerwinst in vaardigheidsscore"
    style.set_alt_text(fig, f"Puntenwolk per vak van de {what} per leerling, met het gemiddelde en het 95%-betrouwbaarheidsinterval: " + "; ".join(parts) + ".")
    return ReportFigure(fig, style.get_alt_text(fig),
                        "Elk grijs punt is één leerling; de blauwe stip is het gemiddelde, de streep het 95%-betrouwbaarheidsinterval.")


def _per_pupil(rows: list[dict]) -> pd.DataFrame:
    """One row per pupil: pseudonym, number of subjects, and per subject why."""
    if not rows:
        return pd.DataFrame(columns=["pupil_id", "Aantal vakken", "Waarom"])
    df = pd.DataFrame(rows)
    df["_txt"] = df["Vak"] + " (" + df["Reden"] + ")"
    out = df.groupby("pupil_id", sort=True).agg(**{"Aantal vakken": ("Vak", "nunique"), "Waarom": ("_txt", "; ".join)}).reset_index()
    return out.sort_values(["Aantal vakken", "pupil_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def group_overview(
    ds: Dataset,
    groep: int,
    school_year: str | None = None,
    *,
    klas: str | None = None,
    min_n: int = MIN_N,
    attention_levels: tuple[str, ...] = ("V",),
    attention_z: float = -1.1,
    challenge_z: float = 0.0,
) -> GroupOverview:
    """The *Groepsoverzicht* of one groep (or one class) in one school year.

    Parameters
    ----------
    ds : Dataset
        Canonical tables.
    groep : int
        Jaargroep (1–8).
    school_year : str, optional
        School year (default: the latest year with results for this groep).
    klas : str, optional
        Only this class (``'6A'``).
    min_n : int
        Groups (the groep, a class, a subject) with fewer pupils show no statistics.
    attention_levels : tuple of str
        Levels at the latest moment that ask for attention (default niveau V, the
        lowest 20% of the country; ``("IV", "V")`` makes the list much longer).
    attention_z : float
        A pupil whose growth in z-scores is below this needs attention (default −1,1).
        One pupil's growth between two tests carries the measurement error of both:
        with a test reliability of about 0,85 its noise has a standard deviation of
        √(2·(1 − 0,85)) ≈ 0,55, so only a drop beyond 1,96 · 0,55 ≈ 1,1 is more than
        chance.  A smaller threshold fills the list with pupils who merely had a bad
        day.  Without percentiles: negative raw growth.
    challenge_z : float
        A pupil at niveau I whose z growth is at least this (default 0: grew at least
        like the norm) may need more challenge.  Without percentiles: growth at or above
        the group median.

    Returns
    -------
    GroupOverview

    Notes
    -----
    Levels are the pupils' own levels (I–V) at the latest moment of the year per
    subject; shares are pupils at I–III and at IV–V.  Growth is M→E of the latest
    year with pairs on the same scale: mean raw gain with a t interval, and the mean
    z growth Φ⁻¹(P_E) − Φ⁻¹(P_M) (:func:`plgdata.analysis.growth.pupil_growth`).  Pupils needing
    attention: a level in ``attention_levels`` at the latest moment, or z growth <
    ``attention_z``.  The pupil lists hold one row per pupil (pseudonym) with the
    subjects and reasons.
    """
    groep = int(groep)
    s = ds.scores
    in_groep = (s["groep"] == groep).fillna(False)
    if klas is not None:
        in_groep &= (s["class_name"].astype("string") == str(klas)).fillna(False)
    years = _years_sorted(s.loc[in_groep, "school_year"].dropna().unique())
    who = f"klas {klas}" if klas else f"groep {groep}"
    if school_year is None:
        school_year = years[-1] if years else None
    title = f"Groepsoverzicht {who}" + (f" – {school_year}" if school_year else "")
    sel = s[in_groep & (s["school_year"].astype("string") == str(school_year)).fillna(False)]
    pupils = set(sel["pupil_id"].astype(str))
    n_pupils = len(pupils)
    suppressed = n_pupils < min_n
    notes: list[str] = []
    subjects = _subjects(sel)

    # --- question 1: which tests -------------------------------------------------------
    if len(sel):
        tests = (
            sel.assign(Vak=sel["subject"].astype(str).map(_subj), Moment=sel["moment"].astype(str), Toetsversie=sel["scale"].astype(str))
            .groupby(["Vak", "Moment", "Toetsversie"], observed=True)["pupil_id"].nunique().rename("n").reset_index()
        )
        tests["_o"] = tests["Moment"].str[0].map({"B": 0, "M": 1, "E": 2})
        tests = tests.sort_values(["Vak", "_o", "Moment"]).drop(columns="_o").reset_index(drop=True)
    else:
        tests = pd.DataFrame(columns=["Vak", "Moment", "Toetsversie", "n"])

    # --- question 2a: levels at the latest moment -----------------------------------------
    level_rows, dist_parts, latest = [], [], {}
    for subject in subjects:
        rows, period = _latest_rows(sel, subject)
        if rows.empty:
            continue
        info = level_info(rows["level"])
        rows = rows.assign(_sys=info["level_system"].to_numpy(), _main=info["level_main"].to_numpy(), _rank=info["level_rank"].to_numpy())
        latest[subject] = rows
        iv = rows[rows["_sys"] == "I-V"]
        if iv.empty:
            continue
        moment = ", ".join(sorted(iv["moment"].astype(str).unique()))
        groups = [(None, iv)] if klas else [(None, iv)] + [(c, part) for c, part in iv.groupby(iv["class_name"].astype(str), sort=True)]
        for cls, part in groups:
            n = int(part["pupil_id"].nunique())
            level_rows.append({
                "Vak": _subj(subject), "Moment": moment, "Klas": cls if cls else (klas or "hele groep"),
                "n": n, "Aandeel I–III": float((part["_rank"] <= 3).mean()), "Aandeel IV–V": float((part["_rank"] >= 4).mean()),
            })
        dist = level_distribution(iv.drop(columns=["_sys", "_main", "_rank"]), by=[], system="I-V", min_n=min_n)
        dist_parts.append(dist)
    levels = pd.DataFrame(level_rows, columns=["Vak", "Moment", "Klas", "n", "Aandeel I–III", "Aandeel IV–V"])
    if klas and len(levels):
        levels = levels.drop(columns="Klas")
    small = levels["n"] < min_n if len(levels) else pd.Series(dtype=bool)
    if len(levels):
        levels.loc[small, ["Aandeel I–III", "Aandeel IV–V"]] = np.nan
    level_figure = None
    if dist_parts and not suppressed:
        from plgdata.plots.figures import plot_level_distribution

        dist = pd.concat(dist_parts, ignore_index=True)
        dist["subject"] = dist["subject"].astype(str).map(_subj)
        ax = plot_level_distribution(dist, x="subject", title=f"Niveaus op het laatste meetmoment – {who}")
        ax.set_xlabel("Vak")
        level_figure = _fig(ax, "Per vak het percentage leerlingen per niveau (I = hoogste 20% van het land, V = laagste 20%).")

    # --- question 2b: growth M -> E ----------------------------------------------------------
    growth_rows, per_subject, growth_year = [], {}, None
    gyears = [y for y in years if y <= str(school_year)] if school_year else []
    for subject in subjects:
        g, gy, gnotes = _growth_for(s, subject, gyears, pupils)
        notes.extend(gnotes)
        if g.empty:
            continue
        g = g[(g["groep"] == groep).fillna(False)]
        if klas is not None:
            g = g[g["class_name"].astype(str) == str(klas)]
        if g.empty:
            continue
        growth_year = growth_year or gy
        per_subject[subject] = g
        for scale, part in g.groupby(g["scale"].astype(str), sort=True):
            n = len(part)
            m, lo, hi = _mean_ci(part["gain"].to_numpy(dtype="float64"))
            z = part["z_growth"].to_numpy(dtype="float64")
            zm, zlo, zhi = _mean_ci(z) if np.isfinite(z).any() else (math.nan,) * 3
            growth_rows.append({
                "Vak": _subj(subject), "Schooljaar": gy,
                "Van": ", ".join(sorted(part["moment_pre"].astype(str).unique())), "Naar": ", ".join(sorted(part["moment_post"].astype(str).unique())),
                "Toetsversie": scale, "n": n, "mean": m, "ci_low": lo, "ci_high": hi,
                "z_growth": zm, "z ondergrens": zlo, "z bovengrens": zhi,
            })
    growth = pd.DataFrame(growth_rows, columns=["Vak", "Schooljaar", "Van", "Naar", "Toetsversie", "n", "mean", "ci_low", "ci_high", "z_growth", "z ondergrens", "z bovengrens"])
    if len(growth):
        growth.loc[growth["n"] < min_n, ["mean", "ci_low", "ci_high", "z_growth", "z ondergrens", "z bovengrens"]] = np.nan
        growth = growth.rename(columns={"mean": "Gemiddelde leerwinst", "ci_low": "95%-BI onder", "ci_high": "95%-BI boven", "z_growth": "Gemiddelde groei in z"})
        if growth["Gemiddelde groei in z"].isna().all() and growth["n"].ge(min_n).any():
            growth = growth.drop(columns=["Gemiddelde groei in z", "z ondergrens", "z bovengrens"])
    use_z = bool(per_subject) and all(g["z_growth"].notna().any() for g in per_subject.values())
    growth_figure = None if suppressed else _growth_figure(per_subject, use_z, min_n, who)
    if growth_year and school_year and growth_year != school_year:
        notes.append(f"In {school_year} zijn er nog geen midden- én eindtoetsen; de groei is die van {growth_year}.")

    # --- questions 3 and 4: pupils ---------------------------------------------------------
    att, cha = [], []
    for subject in subjects:
        rows = latest.get(subject)
        g = per_subject.get(subject)
        lvl = rows.set_index(rows["pupil_id"].astype(str))[["_main", "_rank", "_sys"]] if rows is not None else pd.DataFrame(columns=["_main", "_rank", "_sys"])
        lvl = lvl[lvl["_sys"] == "I-V"]
        gr = g.set_index(g["pupil_id"].astype(str))[["gain", "z_growth"]] if g is not None else pd.DataFrame(columns=["gain", "z_growth"])
        has_z = gr["z_growth"].notna().any()
        med = gr["gain"].median() if len(gr) else math.nan
        for pid in sorted(set(lvl.index) | set(gr.index)):
            level = lvl["_main"].get(pid) if pid in lvl.index else None
            rank = lvl["_rank"].get(pid) if pid in lvl.index else math.nan
            zg = float(gr["z_growth"].get(pid)) if pid in gr.index else math.nan
            gain = float(gr["gain"].get(pid)) if pid in gr.index else math.nan
            reasons = []
            if level in attention_levels:
                reasons.append(f"niveau {level}")
            if has_z and zg < attention_z:
                reasons.append(f"groei {fmt_num(zg, 2)} sd t.o.v. de norm")
            elif not has_z and gain < 0:
                reasons.append("score daalde van midden naar eind")
            row = {"pupil_id": pid, "Vak": _subj(subject), "Niveau": level or "–",
                   "Groei in z-scores" if has_z else "Leerwinst": zg if has_z else gain}
            if reasons:
                att.append({**row, "Reden": "; ".join(reasons)})
            high = (zg >= challenge_z) if has_z else (gain >= med)
            if rank == 1 and high:
                cha.append({**row, "Reden": "niveau I, " + (f"groei {fmt_num(zg, 2)} sd t.o.v. de norm" if has_z else "groei boven de mediaan van de groep")})
    attention = _per_pupil(att)
    challenge = _per_pupil(cha)

    # --- kernboodschap --------------------------------------------------------------------
    kern: list[str] = []
    tone = "neutraal"
    if school_year is None or n_pupils == 0:
        kern.append(f"Er zijn geen toetsresultaten van {who}.")
    elif suppressed:
        kern.append(
            f"{who[0].upper() + who[1:]} telde in {school_year} minder dan {min_n} leerlingen met een resultaat: te weinig om "
            "cijfers te tonen (te klein om iets over te zeggen, en om leerlingen te beschermen)."
        )
    else:
        kern.append(f"{who[0].upper() + who[1:]} in {school_year}: {n_pupils} leerlingen met toetsresultaten.")
        whole = levels[levels["Klas"].eq(klas or "hele groep")] if "Klas" in levels.columns else levels
        for _, r in whole.iterrows():
            if pd.notna(r["Aandeel I–III"]):
                kern.append(f"{r['Vak']} ({r['Moment']}): {fmt_pct(r['Aandeel I–III'])} op niveau I–III, {fmt_pct(r['Aandeel IV–V'])} op niveau IV–V (landelijk 60% en 40%).")
        if use_z and "Gemiddelde groei in z" in growth.columns:
            ok = growth[growth["Gemiddelde groei in z"].notna()]
            faster = list(dict.fromkeys(ok.loc[ok["z ondergrens"] > 0, "Vak"]))
            slower = list(dict.fromkeys(ok.loc[ok["z bovengrens"] < 0, "Vak"]))
            if faster:
                kern.append(f"Aantoonbaar sneller gegroeid dan de landelijke norm: {', '.join(faster)}.")
                tone = "goed"
            if slower:
                kern.append(f"Aantoonbaar langzamer gegroeid dan de landelijke norm: {', '.join(slower)}.")
                tone = "let-op"
            if not faster and not slower and len(ok):
                kern.append("Bij geen enkel vak week de groei aantoonbaar af van de landelijke norm (de betrouwbaarheidsintervallen bevatten 0).")
        n_att = attention["pupil_id"].nunique()
        n_cha = challenge["pupil_id"].nunique()
        kern.append(f"{_plural(n_att, 'leerling vraagt', 'leerlingen vragen')} extra aandacht; {_plural(n_cha, 'leerling kan', 'leerlingen kunnen')} waarschijnlijk meer uitdaging aan.")
    if len(growth) and (growth["n"] < min_n).any() and not suppressed:
        notes.append(f"Bij een vak of klas met minder dan {min_n} leerlingen tonen we geen cijfers.")
    if 0 < n_pupils < 10 and not suppressed:
        notes.append("Minder dan 10 leerlingen: Cito noemt groepsresultaten dan onbetrouwbaar. Lees de cijfers als een indicatie.")

    questions = {
        1: ["Welke doelen stonden dit halfjaar centraal, en passen de toetsen daarbij?",
            "Welke leerdoelen uit de methode of de leerlijn wil het team volgend halfjaar voorop zetten?"],
        2: ["Bij welk vak groeide de groep minder dan verwacht, en zat dat bij alle leerlingen of bij een deel?",
            "Past dit beeld bij wat de leerkracht in de klas ziet (methodetoetsen, observaties)?"],
        3: ["Wat krijgen deze leerlingen nu al extra, en weten we of dat werkt?",
            "Is de lage score bij deze leerlingen een uitschieter of een patroon over meerdere toetsen?"],
        4: ["Welke verrijking of versnelling bieden we, en wie organiseert die?",
            "Krijgen deze leerlingen genoeg nieuwe leerstof, of vooral herhaling?"],
    }
    return GroupOverview(
        groep=groep, klas=klas, school_year=school_year, title=title, n_pupils=n_pupils, suppressed=suppressed,
        kernboodschap=kern, tone=tone, tests=tests, levels=levels, level_figure=level_figure, growth=growth,
        growth_figure=growth_figure, attention=attention, challenge=challenge, notes=list(dict.fromkeys(notes)),
        questions=questions, min_n=min_n,
    )


def group_overviews(ds: Dataset, groep: int, school_year: str | None = None, *, per_class: bool = False, min_n: int = MIN_N) -> list[GroupOverview]:
    """:func:`group_overview` of the groep, and with ``per_class=True`` one per class as well."""
    out = [group_overview(ds, groep, school_year, min_n=min_n)]
    if per_class:
        year = out[0].school_year
        s = ds.scores
        mask = (s["groep"] == int(groep)).fillna(False) & (s["school_year"].astype("string") == str(year)).fillna(False)
        for cls in sorted(s.loc[mask, "class_name"].dropna().astype(str).unique()):
            out.append(group_overview(ds, groep, year, klas=cls, min_n=min_n))
    return out


# ===========================================================================
# 2. Trendanalyse
# ===========================================================================


@dataclass
class TrendOverview:
    """Everything the *Trendanalyse* of the school shows."""

    title: str
    years: list[str]
    kernboodschap: list[str]
    tone: str
    school_trend: pd.DataFrame  # Vak, Schooljaar, n, share (level III+, period E or M)
    school_figure: ReportFigure | None
    cross_sections: dict[str, pd.DataFrame]  # per subject: trend_cross_section rows
    cross_figures: dict[str, ReportFigure]
    three_year: pd.DataFrame  # Vak, Groep, Toetsversie, Laatste jaar, n, share, share_3jr
    cohorts: dict[str, pd.DataFrame]
    cohort_figures: dict[str, ReportFigure]
    cohort_label: str | None
    referentieniveaus: pd.DataFrame  # Vak, Schooljaar, n, share_1f, share_2f
    referentie_average: pd.DataFrame
    referentie_figure: ReportFigure | None
    referentie_sentence: str
    notes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    min_n: int = MIN_N


def _share_trend_figure(t: pd.DataFrame, level: str, period_txt: str) -> ReportFigure | None:
    if t.empty:
        return None
    with style.plot_style():
        fig, ax = style.new_figure()
        years = _years_sorted(t["Schooljaar"])
        pos = {y: i for i, y in enumerate(years)}
        parts = []
        for i, (subj, part) in enumerate(t.groupby("Vak", sort=False)):
            part = part.sort_values("Schooljaar")
            px = part["Schooljaar"].map(pos).to_numpy()
            py = part["share"].to_numpy(dtype="float64")
            color = style.PALETTE[i % len(style.PALETTE)]
            ax.plot(px, py, marker="o", color=color, label=subj, linewidth=2.5)
            for xx, yy, n in zip(px, py, part["n"].to_numpy()):
                if np.isfinite(yy):
                    ax.annotate(f"n = {int(n)}", (xx, yy), textcoords="offset points", xytext=(0, 9), ha="center",
                                fontsize=style.FONT_SIZES["annotation"] - 1, color=color)
            ok = part[np.isfinite(py)]
            if len(ok):
                parts.append(f"{subj} van {fmt_pct(ok['share'].iloc[0])} ({ok['Schooljaar'].iloc[0]}) naar {fmt_pct(ok['share'].iloc[-1])} ({ok['Schooljaar'].iloc[-1]})")
        ax.axhline(0.6, color=style.COLORS["reference"], linestyle=":", linewidth=1.5, label="landelijk: 60%")
        ax.set_xticks(range(len(years)), years)
        ax.set_xlim(-0.4, len(years) - 0.6)
        ax.set_ylim(0, 1.05)
        style.use_decimal_comma(ax, "y", decimals=0, percent=True)
        ax.set_ylabel(f"Percentage op niveau {level} of hoger")
        ax.set_xlabel("Schooljaar")
        ax.grid(axis="x", visible=False)
        style.legend_outside(ax, title="Vak")
        ax.set_title(f"Hele school, {period_txt}: percentage op niveau I–{level}")
    style.set_alt_text(fig, f"Lijngrafiek van het percentage leerlingen op niveau {level} of hoger per vak en schooljaar ({period_txt}, alle groepen samen): " + "; ".join(parts) + ".")
    return ReportFigure(fig, style.get_alt_text(fig), "Alle groepen samen; n is het aantal leerlingen met een niveau. De stippellijn is het landelijke aandeel (60% op I–III).")


def _referentie_figure(per_year: pd.DataFrame, avg: pd.DataFrame) -> ReportFigure | None:
    if per_year.empty:
        return None
    subjects = list(dict.fromkeys(per_year["subject"]))
    with style.plot_style():
        fig, axes = style.new_figure(1, len(subjects), figsize=(max(6.0, 4.8 * len(subjects)), 5.0), sharey=True)
        axes = list(np.atleast_1d(axes))
        parts = []
        for ax, subj in zip(axes, subjects):
            part = per_year[per_year["subject"] == subj].sort_values("school_year")
            x = np.arange(len(part))
            ax.bar(x - 0.2, part["share_1f"].fillna(0), width=0.38, color=style.COLORS["primary"], label="1F of hoger")
            ax.bar(x + 0.2, part["share_2f"].fillna(0), width=0.38, color=style.COLORS["intervention"], label="2F/1S")
            for xi, n, a, b in zip(x, part["n"], part["share_1f"], part["share_2f"]):
                ax.text(xi, 1.02, f"n = {int(n)}", ha="center", fontsize=style.FONT_SIZES["annotation"])
                if np.isnan(a):
                    ax.text(xi, 0.5, "te weinig\nleerlingen", ha="center", fontsize=style.FONT_SIZES["annotation"])
            a = avg[avg["subject"] == subj]
            if len(a):
                ax.axhline(float(a["sw_1f"].iloc[0]), color=style.COLORS["primary"], linestyle="--", linewidth=2,
                           label=f"signaleringswaarde 1F ({fmt_pct(float(a['sw_1f'].iloc[0]))})")
                sw2 = float(a["sw_2f"].iloc[0])
                if np.isfinite(sw2):
                    ax.axhline(sw2, color=style.COLORS["intervention"], linestyle="--", linewidth=2,
                               label=f"signaleringswaarde 2F/1S ({fmt_pct(sw2)})")
                parts.append(f"{_subj(subj)}: driejaarsgemiddelde 1F {fmt_pct(float(a['avg_1f'].iloc[0]))}, 2F/1S {fmt_pct(float(a['avg_2f'].iloc[0]))}")
            ax.set_xticks(x, list(part["school_year"]))
            ax.set_ylim(0, 1.12)
            style.use_decimal_comma(ax, "y", decimals=0, percent=True)
            ax.set_title(_subj(subj))
            ax.grid(axis="x", visible=False)
        axes[0].set_ylabel("Percentage leerlingen groep 8")
        style.legend_outside(axes[-1])
        fig.suptitle("Referentieniveaus groep 8 tegenover de signaleringswaarden")
    style.set_alt_text(fig, "Staafgrafiek van het percentage leerlingen in groep 8 dat 1F en 2F/1S haalde per schooljaar, met de signaleringswaarden als stippellijn: " + "; ".join(parts) + ".")
    return ReportFigure(fig, style.get_alt_text(fig), "Staven: percentage per jaar; stippellijnen: de signaleringswaarden van de inspectie.")


def _cross_section_figure(t: pd.DataFrame, subj: str, period_txt: str, level: str) -> ReportFigure:
    """Small multiples: one panel per groep, one line per test version, n at every point."""
    from plgdata.plots.figures import plot_trend

    groepen = sorted(int(g) for g in t["groep"].dropna().unique())
    ncols = min(3, len(groepen))
    nrows = math.ceil(len(groepen) / ncols)
    alts = []
    with style.plot_style():
        fig, axes = style.new_figure(nrows, ncols, figsize=(4.6 * ncols, 3.9 * nrows), sharey=True)
        axes = list(np.atleast_1d(axes).ravel())
        for ax, g in zip(axes, groepen):
            part = t[t["groep"] == g].copy()
            part.attrs = dict(t.attrs)
            plot_trend(part, y="share_at_or_above", ax=ax, show_average=False, title=f"groep {g}")
            alts.append(f"groep {g}: " + style.get_alt_text(ax).split(" van ", 1)[-1].rstrip("."))
            if ax.get_legend() is not None:
                ax.get_legend().remove()
            ax.set_xlabel("")
            ax.tick_params(axis="x", labelsize=style.FONT_SIZES["annotation"])
            if part["scale"].astype(str).nunique() > 1:
                ax.legend(loc="lower left", frameon=False, fontsize=style.FONT_SIZES["annotation"] - 1)
        for ax in axes[len(groepen):]:
            ax.set_visible(False)
        for i, ax in enumerate(axes[: len(groepen)]):
            if i % ncols:
                ax.set_ylabel("")
        fig.suptitle(f"{_subj(subj)}: dwarsdoorsnede per groep ({period_txt}), percentage op niveau I–{level}")
    style.set_alt_text(fig, f"Lijngrafieken per groep van het percentage leerlingen op niveau {level} of hoger voor {_subj(subj)} per schooljaar: " + "; ".join(alts) + ".")
    return ReportFigure(fig, style.get_alt_text(fig),
                        "Elk paneel is één groep op hetzelfde moment in opeenvolgende schooljaren (steeds andere leerlingen). "
                        "Een andere toetsversie staat als aparte lijn: die scores zijn niet met elkaar te vergelijken.")


def trend_overview(
    ds: Dataset,
    signaleringswaarde_2f: float | dict | None = None,
    *,
    subjects: list[str] | None = None,
    period: str = "E",
    level: str = "III",
    min_n: int = MIN_N,
) -> TrendOverview:
    """The *Trendanalyse* of the school.

    Parameters
    ----------
    ds : Dataset
        Canonical tables.
    signaleringswaarde_2f : float or dict, optional
        The school's own signaleringswaarde for 2F/1S (depends on its schoolweging;
        ``0.47`` or ``47``); a dict per subject.  ``None``: only 1F (85%) is judged.
    subjects : list of str, optional
        Subjects to show (default: all present).
    period : {"E", "M", "B"}
        Moment of the dwarsdoorsnede (default E; subjects without E use M).
    level : str
        Level for the share "op niveau … of hoger" (default III).
    min_n : int
        Points with fewer pupils show no statistics.

    Returns
    -------
    TrendOverview

    Notes
    -----
    Dwarsdoorsnede: :func:`plgdata.analysis.trends.trend_cross_section` (same groep and moment
    over the years; a change of test version starts a new line).  Cohort: the pupils
    in the highest groep in the latest year, followed back to their first year in the
    data (:func:`plgdata.analysis.trends.trend_cohort`).  Shares on I–V levels are comparable
    across test versions (each level is relative to its own norm group); scores are not.
    Referentieniveaus: :func:`plgdata.analysis.levels.referentieniveaus`, three-year average
    against 85% (1F) and the school's own value (2F/1S).
    """
    from plgdata.analysis.levels import share_at_or_above
    from plgdata.plots.figures import plot_trend
    from plgdata.analysis.trends import trend_cohort, trend_cross_section

    s = ds.scores
    years = _years_sorted(s["school_year"].dropna().unique())
    subj_list = [str(x) for x in subjects] if subjects else _subjects(s)
    notes: list[str] = []

    # --- school-wide share per subject and year ----------------------------------------
    rows = []
    period_of: dict[str, str] = {}
    for subj in subj_list:
        d = s[s["subject"] == subj]
        periods = set(d["period"].dropna().astype(str))
        p = period if period in periods else ("M" if "M" in periods else (sorted(periods)[0] if periods else period))
        period_of[subj] = p
        t = share_at_or_above(d, level, by=["school_year"], period=p, min_n=min_n)
        t = t[t["n"] > 0]
        for r in t.itertuples(index=False):
            rows.append({"Vak": _subj(subj), "Periode": p, "Schooljaar": str(r.school_year), "n": int(r.n), "share": float(r.share)})
    school_trend = pd.DataFrame(rows, columns=["Vak", "Periode", "Schooljaar", "n", "share"]).sort_values(["Vak", "Schooljaar"], kind="stable").reset_index(drop=True)
    period_txt = {"E": "eindtoetsen", "M": "middentoetsen", "B": "begintoetsen"}.get(period, period)
    school_figure = _share_trend_figure(school_trend, level, period_txt)

    # --- dwarsdoorsnede per subject -------------------------------------------------------
    cross, cross_figs, three = {}, {}, []
    for subj in subj_list:
        t = trend_cross_section(s, subj, period=period_of[subj], level=level, min_n=min_n)
        if t.empty:
            continue
        cross[subj] = t
        notes.extend(f"{_subj(subj)}: {m}" for m in t.attrs.get("meldingen", []) if "toetsversie" in m)
        cross_figs[subj] = _cross_section_figure(t, subj, period_txt, level)
        for (g, sc), part in t.groupby(["groep", "scale"], observed=True, sort=True):
            part = part.sort_values("school_year", key=lambda x: x.astype(str))
            last = part.iloc[-1]
            three.append({
                "Vak": _subj(subj), "groep": int(g), "Toetsversie": str(sc), "Laatste jaar": str(last["school_year"]),
                "Aantal jaren": int(part["school_year"].nunique()), "n": int(last["n"]),
                "mean": float(last["mean"]), "mean_3jr": float(last["mean_3jr"]),
                "share_at_or_above": float(last["share_at_or_above"]), "share_3jr": float(last["share_3jr"]),
            })
    three_year = pd.DataFrame(three, columns=["Vak", "groep", "Toetsversie", "Laatste jaar", "Aantal jaren", "n", "mean", "mean_3jr", "share_at_or_above", "share_3jr"])
    if len(three_year):
        three_year.loc[three_year["n"] < min_n, ["mean", "mean_3jr", "share_at_or_above", "share_3jr"]] = np.nan
    n_years = len(years)
    if n_years < 3:
        notes.insert(0, f"Er zijn gegevens van {_plural(n_years, 'schooljaar', 'schooljaren')}: minder dan drie cohorten. "
                        "Eén of twee jaar is nog geen trend; trek pas conclusies bij drie opeenvolgende jaren.")
    elif len(three_year) and (three_year["Aantal jaren"] < 3).any():
        notes.append("Bij sommige groepen zijn er minder dan drie jaren met dezelfde toetsversie: daar is geen driejaarsgemiddelde.")

    # --- cohort ---------------------------------------------------------------------------
    cohorts, cohort_figs, cohort_label = {}, {}, None
    if years:
        last_year = years[-1]
        top = s[(s["school_year"].astype("string") == last_year).fillna(False)]["groep"].dropna()
        if len(top):
            g_top = int(top.max())
            k = min(len(years) - 1, g_top - 1)
            start_year, start_groep = years[-1 - k], g_top - k
            cohort_label = f"de leerlingen van groep {g_top} in {last_year}, gevolgd vanaf groep {start_groep} ({start_year})"
            for subj in subj_list:
                c = trend_cohort(s, subj, start_year, start_groep, level=level, min_n=min_n)
                if c.empty:
                    continue
                main = c.groupby(["school_year", "period"], observed=True)["n"].transform("max") == c["n"]
                c = c[main].reset_index(drop=True) if len(c) else c
                cohorts[subj] = c
                ax = plot_trend(c, y="share_at_or_above", show_average=False, title=f"{_subj(subj)}: cohort (dezelfde leerlingen door de jaren)")
                cohort_figs[subj] = _fig(ax, f"Cohort: {cohort_label}. n is het aantal leerlingen van dit cohort met een resultaat.")

    # --- referentieniveaus groep 8 ------------------------------------------------------
    sw2 = signaleringswaarde_2f if signaleringswaarde_2f is not None else math.nan
    ref = referentieniveaus(s, sw2)
    per_year = ref.per_year.copy()
    per_year.loc[per_year["n"] < min_n, ["share_1f", "share_2f"]] = np.nan
    ref_figure = _referentie_figure(per_year, ref.average)
    ref_sentence = ref.sentence
    if signaleringswaarde_2f is None and len(ref.average):
        ref_sentence += " De signaleringswaarde voor 2F/1S hangt af van de schoolweging; vul die in om ook 2F/1S te beoordelen."
    if len(ref.average) and (ref.average["n_years"] < 3).any():
        notes.append("Referentieniveaus: de inspectie beoordeelt het gemiddelde over drie jaar; er zijn minder jaren, dus lees dit als een voorlopig beeld.")

    # --- kernboodschap -------------------------------------------------------------------------
    kern: list[str] = []
    tone = "neutraal"
    for subj, part in school_trend.groupby("Vak", sort=False):
        ok = part[part["share"].notna()]
        if len(ok) >= 2:
            a, b = ok.iloc[0], ok.iloc[-1]
            diff = 100 * (b["share"] - a["share"])
            move = "steeg" if diff >= 5 else ("daalde" if diff <= -5 else "bleef ongeveer gelijk")
            kern.append(f"{subj}: het percentage op niveau I–{level} {move} van {fmt_pct(a['share'])} ({a['Schooljaar']}) naar {fmt_pct(b['share'])} ({b['Schooljaar']}).")
    for r in ref.average.itertuples(index=False):
        if r.below_1f:
            tone = "let-op"
        kern.append(
            f"Referentieniveaus {_subj(r.subject).lower()} groep 8: gemiddeld {fmt_pct(r.avg_1f)} haalde 1F "
            f"({'onder' if r.below_1f else 'op of boven'} de signaleringswaarde van {fmt_pct(r.sw_1f)})"
            + (f" en {fmt_pct(r.avg_2f)} 2F/1S ({'onder' if r.below_2f else 'op of boven'} {fmt_pct(r.sw_2f)})" if np.isfinite(r.sw_2f) else "")
            + f", over {_plural(int(r.n_years), 'jaar', 'jaar')}."
        )
    if n_years < 3:
        kern.append("Let op: minder dan drie schooljaren, dus nog geen betrouwbare trend.")
    if not kern:
        kern.append("Er zijn te weinig gegevens om een trend te tonen.")
    questions = [
        "Bij welk vak en welke groep zien we drie jaar achter elkaar dezelfde richting, en wat veranderde er in die jaren in ons onderwijs?",
        "Liggen dalingen bij één groep (een cohort dat we volgen) of op hetzelfde moment bij elke groep (ons aanbod op dat moment)?",
        "Waar wisselde de toetsversie, en lezen we de cijfers daar als percentages in plaats van scores?",
        "Halen we de signaleringswaarden over drie jaar, en welke groep 8 komt eraan?",
    ]
    return TrendOverview(
        title="Trendanalyse" + (f" {years[0]} tot en met {years[-1]}" if years else ""),
        years=years, kernboodschap=kern, tone=tone, school_trend=school_trend, school_figure=school_figure,
        cross_sections=cross, cross_figures=cross_figs, three_year=three_year, cohorts=cohorts,
        cohort_figures=cohort_figs, cohort_label=cohort_label,
        referentieniveaus=per_year.rename(columns={"subject": "Vak"}).assign(Vak=lambda d: d["Vak"].map(_subj)) if len(per_year) else pd.DataFrame(columns=["Vak", "school_year", "n", "share_1f", "share_2f"]),
        referentie_average=ref.average.assign(subject=ref.average["subject"].map(_subj)).rename(columns={"subject": "Vak"}),
        referentie_figure=ref_figure, referentie_sentence=ref_sentence, notes=list(dict.fromkeys(notes)),
        questions=questions, min_n=min_n,
    )


# ===========================================================================
# 3. Interventie-evaluatie
# ===========================================================================


@dataclass
class InterventionEvaluation:
    """Everything the *Interventie-evaluatie* of one intervention shows."""

    intervention_id: str
    title: str
    kernboodschap: list[str]
    tone: str
    verdict: str  # CompareResult.verdict key ("te weinig leerlingen", "positief", ...)
    description: pd.DataFrame  # what the intervention was (user text; escaped by html.table)
    design_text: list[str]  # the design and why
    result: object | None  # CompareResult (None when no frame could be built)
    one_group: object | None  # CompareResult of the one-group analysis (naive gain vs RTM)
    info: dict
    groups: pd.DataFrame  # group, n, pre mean, post mean, gain
    estimates: pd.DataFrame  # Schatting, value, ci_low, ci_high, Bootstrap-BI
    rtm: pd.DataFrame  # naive gain vs honest estimate (RT group)
    estimation_figure: ReportFigure | None
    notes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    min_n: int = MIN_N


def _own_estimation_figure(res) -> ReportFigure:
    """Raw values per group with their means, and the headline effect with both intervals."""
    f2 = lambda v: fmt_num(v, 2)  # noqa: E731
    with style.plot_style():
        fig, (a1, a2) = style.new_figure(1, 2, figsize=(11.0, 5.2), gridspec_kw={"width_ratios": [2, 1]})
        rng = np.random.default_rng(2026)
        groups = [(res.label_control or "vergelijking", res.values_control, style.COLORS["comparison"]),
                  (res.label_treatment or "interventie", res.values_treatment, style.COLORS["intervention"])]
        if res.design == "one_group":
            groups = [("voormeting", res.values_control, style.COLORS["comparison"]), ("nameting", res.values_treatment, style.COLORS["intervention"])]
        for i, (lab, vals, col) in enumerate(groups):
            vals = np.asarray(vals, dtype=float)
            if len(vals) == 0:
                continue
            a1.scatter(i + rng.uniform(-0.15, 0.15, len(vals)), vals, color=col, alpha=0.6, s=40, edgecolor="white")
            m, lo, hi = _mean_ci(vals)
            a1.errorbar([i + 0.32], [m], yerr=[[m - lo], [hi - m]] if np.isfinite(lo) else None, fmt="o", color="black", capsize=6, markersize=8)
        a1.set_xticks(range(len(groups)), [f"{lab}\n(n = {len(v)})" for lab, v, _ in groups])
        a1.set_ylabel("Nameting: vaardigheidsscore" if res.design != "one_group" else "Vaardigheidsscore")
        style.use_decimal_comma(a1, "y")
        a1.grid(axis="x", visible=False)
        a1.set_title("Score per leerling")
        h, (lo, hi), (blo, bhi) = res.headline, res.headline_ci, res.headline_ci_boot
        if np.isfinite(h):
            if np.isfinite(lo):
                a2.errorbar([0], [h], yerr=[[h - lo], [hi - h]], fmt="o", color=style.COLORS["primary"], capsize=8, markersize=10, linewidth=2.5, label="analytisch 95%-BI")
            else:
                a2.plot([0], [h], "o", color=style.COLORS["primary"])
            if np.isfinite(blo):
                a2.errorbar([0.4], [h], yerr=[[max(h - blo, 0)], [max(bhi - h, 0)]], fmt="s", color=style.COLORS["target"], capsize=8, markersize=9, linewidth=2.5, label="bootstrap 95%-BI")
        a2.axhline(0, color=style.COLORS["reference"], linestyle=":", linewidth=1.5)
        for v, txt in ((0.2, "groot (Kraft)"), (0.05, "middelgroot")):
            a2.axhline(v, color=style.COLORS["norm"], linestyle="--", linewidth=1)
            a2.text(0.75, v, txt, va="bottom", ha="right", fontsize=style.FONT_SIZES["annotation"], color=style.COLORS["reference"])
        a2.set_xlim(-0.5, 0.9)
        a2.set_xticks([])
        a2.set_ylabel("Effectgrootte (standaardafwijkingen)")
        style.use_decimal_comma(a2, "y")
        a2.legend(loc="upper left", frameon=False, fontsize=style.FONT_SIZES["annotation"])
        a2.set_title("Effect")
    alt = (f"Links de scores per leerling per groep met gemiddelde en 95%-BI; rechts de effectgrootte {f2(h)} met analytisch "
           f"95%-BI {f2(lo)} tot {f2(hi)} en bootstrap-BI {f2(blo)} tot {f2(bhi)}; de stippellijn is 0 (geen effect).")
    style.set_alt_text(fig, alt)
    return ReportFigure(fig, alt, "Links: elke stip is één leerling. Rechts: de geschatte effectgrootte met twee betrouwbaarheidsintervallen; raakt een interval de 0-lijn, dan kan het verschil toeval zijn.")


def _estimation_figure(res) -> ReportFigure | None:
    if res is None or res.n_treatment == 0:
        return None
    try:
        from plgdata.plots.estimation import estimation_plot  # owned by another module; optional

        ax = estimation_plot(res)
        fig = ax.figure if hasattr(ax, "figure") else ax
        return ReportFigure(fig, style.get_alt_text(fig, "Schattingsgrafiek van het effect met betrouwbaarheidsintervallen"),
                            "Elke stip is één leerling; rechts het geschatte verschil met zijn betrouwbaarheidsinterval.")
    except Exception:  # noqa: BLE001 - fall back to our own plot
        return _own_estimation_figure(res)


def intervention_evaluation(
    ds: Dataset,
    intervention_id: str,
    *,
    comparison: str | None = None,
    selection_on_pretest: bool | None = None,
    min_n: int = MIN_N,
    n_boot: int = 2000,
    seed: int = 2026,
) -> InterventionEvaluation:
    """The *Interventie-evaluatie* of one intervention.

    Parameters
    ----------
    ds : Dataset
        Canonical tables (scores, interventions, participation).
    intervention_id : str
        Id in the interventions table.
    comparison : {"same_groep", "parallel_class", "none"}, optional
        Who is compared (:func:`plgdata.analysis.frames.intervention_frame`).  Default: the
        parallel class when whole classes took part, else the rest of the groep.
    selection_on_pretest : bool, optional
        Whether pupils were chosen on their pretest (RT-group).  Default: the
        heuristic of :func:`~plgdata.analysis.frames.intervention_frame`.
    min_n : int
        Smallest group for a verdict and for shown statistics.
    n_boot, seed : int
        Bootstrap resamples and seed (a report is reproducible).

    Returns
    -------
    InterventionEvaluation

    Notes
    -----
    The verdict is that of :func:`plgdata.analysis.compare.compare` (decision rule in its module
    docstring).  Pupils selected on the pretest: ANCOVA is the estimate; the naive gain
    of the group is shown next to the gain beyond regression to the mean
    (design ``one_group``, the rest of the groep as reference population).  Otherwise
    ANCOVA and the gain-score difference are shown side by side.
    """
    from plgdata.analysis.compare import compare
    from plgdata.analysis.frames import CONTROL, TREATMENT, intervention_frame

    iid = str(intervention_id)
    iv = ds.interventions
    row = iv[iv["intervention_id"].astype(str) == iid]
    name = str(row["name"].iloc[0]) if len(row) and pd.notna(row["name"].iloc[0]) else iid
    title = f"Interventie-evaluatie: {name}"
    desc_rows = []
    if len(row):
        r = row.iloc[0]
        for col, lab in (("name", "Naam"), ("description", "Omschrijving"), ("leerteam", "Leerteam"), ("subject", "Vak"),
                         ("groepen", "Groepen"), ("start", "Start"), ("end", "Einde"), ("minutes_per_week", "Minuten per week")):
            v = r[col]
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                continue
            if hasattr(v, "strftime"):
                v = v.strftime("%d-%m-%Y")
            elif col == "subject":
                v = _subj(v)
            elif col == "minutes_per_week":
                v = fmt_num(v, 0)
            desc_rows.append({"Onderdeel": lab, "Waarde": str(v)})
    description = pd.DataFrame(desc_rows, columns=["Onderdeel", "Waarde"])
    notes: list[str] = []
    empty = pd.DataFrame()

    def _fail(msg: str) -> InterventionEvaluation:
        return InterventionEvaluation(
            iid, title, [f"Deze interventie is (nog) niet te evalueren: {msg}."], "let-op", "niet te evalueren",
            description, [], None, None, {}, empty, empty, empty, None, notes, _intervention_questions(None), min_n)

    if row.empty:
        return _fail(f"interventie '{iid}' staat niet in de interventietabel")
    if comparison is None:
        comparison = "same_groep"
        part = ds.participation[ds.participation["intervention_id"].astype(str) == iid]
        pids = set(part["pupil_id"].astype(str))
        try:
            f0, _ = intervention_frame(ds, iid, comparison="same_groep")
            t0 = f0[f0["group"] == TREATMENT]
            classes = set(t0["class_name"].dropna().astype(str))
            in_classes = f0[f0["class_name"].astype(str).isin(classes)]
            if classes and in_classes["pupil_id"].astype(str).isin(pids).all() and (f0["group"] == CONTROL).any():
                comparison = "parallel_class"
        except ValueError:
            pass
    try:
        frame, info = intervention_frame(ds, iid, comparison=comparison)
    except ValueError as exc:
        return _fail(str(exc))
    if info["n_control"] == 0 and _is_schoolwide(ds, iid, info):
        return _schoolwide_evaluation(ds, iid, title, description, info, min_n=min_n, n_boot=n_boot, seed=seed)
    sel = bool(info["selection_on_pretest"]) if selection_on_pretest is None else bool(selection_on_pretest)
    info = {**info, "selection_on_pretest": sel}
    nt, nc = info["n_treatment"], info["n_control"]
    if nc > 0:
        res = compare(frame, "post", "group", TREATMENT, CONTROL, pre="pre", selection_on_pretest=sel,
                      min_n=min_n, n_boot=n_boot, seed=seed)
    else:
        res = compare(frame, "post", "group", TREATMENT, None, pre="pre", design="one_group", selection_on_pretest=sel,
                      min_n=min_n, n_boot=n_boot, seed=seed)
    one = None
    if sel and nc > 0:
        one = compare(frame, "post", "group", TREATMENT, None, pre="pre", design="one_group", selection_on_pretest=True,
                      min_n=min_n, n_boot=n_boot, seed=seed)

    # --- design and why -------------------------------------------------------------------
    who_c = {"parallel_class": "de parallelklas (niet deelnemende klassen van dezelfde groep)",
             "same_groep": "de andere leerlingen van dezelfde groep", "none": "geen vergelijkingsgroep"}[comparison]
    design_text = [
        f"Voormeting: {info['pre_moment']} ({info['pre_school_year']}); nameting: {info['post_moment']} ({info['post_school_year']}); "
        f"vak {_subj(info['subject']).lower()}, toetsversie {info['scale']} (alleen scores op dezelfde schaal tellen).",
        f"Vergeleken met: {who_c}.",
        info.get("selection_reason", ""),
    ]
    if nc == 0:
        design_text.append("Zonder vergelijkingsgroep vergelijken we de groei met de verwachte groei, en houden we rekening met regressie naar het gemiddelde.")
    elif sel:
        design_text.append("Omdat de leerlingen op hun voormeting zijn gekozen, is ANCOVA (nameting gecorrigeerd voor de voormeting) de eerlijke schatting "
                           "(Van Breukelen 2013). De vergelijking van leerwinst staat ernaast, maar die bevat regressie naar het gemiddelde.")
    else:
        design_text.append("De groepen bestonden al (hele klassen). We tonen ANCOVA en de vergelijking van leerwinst (verschil-in-verschillen) naast elkaar; "
                           "verschillen ze, dan komt dat door het verschil tussen de groepen op de voormeting.")
    if info.get("n_dropped"):
        notes.append(f"{_plural(int(info['n_dropped']), 'leerling telt', 'leerlingen tellen')} niet mee (geen voor- of nameting op dezelfde schaal).")

    # --- tables ---------------------------------------------------------------------------
    grows = []
    for g, lab in ((TREATMENT, "interventiegroep"), (CONTROL, "vergelijkingsgroep")):
        p = frame[frame["group"] == g]
        if len(p):
            grows.append({"Groep": lab, "n": len(p), "pre": float(p["pre"].mean()), "post": float(p["post"].mean()), "gain": float((p["post"] - p["pre"]).mean())})
    groups = pd.DataFrame(grows, columns=["Groep", "n", "pre", "post", "gain"])
    if len(groups):
        groups.loc[groups["n"] < min_n, ["pre", "post", "gain"]] = np.nan

    small = min(nt, nc) < min_n if nc > 0 else nt < min_n
    est = []

    def add(lab, v, ci, boot=(math.nan, math.nan)):
        if v is None or not np.isfinite(v):
            return
        est.append({"Schatting": lab, "value": float(v), "ci_low": ci[0], "ci_high": ci[1], "Bootstrap onder": boot[0], "Bootstrap boven": boot[1]})

    if not small:
        add(f"Effectgrootte: {res.effect_size_name}", res.headline, res.headline_ci, res.headline_ci_boot)
        if res.design == "pre_post_control":
            add("Gecorrigeerd verschil, ANCOVA (punten)", res.ancova_difference, res.ancova_ci)
            add("Verschil in leerwinst, verschil-in-verschillen (punten)", res.gain_difference, res.gain_difference_ci)
            add("Morris d_ppc2 (leerwinst)", res.morris_dppc2, res.morris_dppc2_ci)
            add("Verschil op de voormeting (Hedges' g)", res.baseline_g, (math.nan, math.nan))
        add("Kleinste aantoonbare effect bij deze aantallen (MDE, sd)", res.mde, (math.nan, math.nan))
    estimates = pd.DataFrame(est, columns=["Schatting", "value", "ci_low", "ci_high", "Bootstrap onder", "Bootstrap boven"])

    rtm_src = one if one is not None else (res if res.design == "one_group" else None)
    rtm = pd.DataFrame()
    if rtm_src is not None and not small:
        rtm = pd.DataFrame([
            {"Schatting": "Naïeve leerwinst van de groep (nameting − voormeting, punten)", "value": rtm_src.naive_gain, "ci_low": rtm_src.naive_gain_ci[0], "ci_high": rtm_src.naive_gain_ci[1]},
            {"Schatting": "Verwachte schijnwinst door regressie naar het gemiddelde (punten)", "value": rtm_src.rtm_expected_gain, "ci_low": math.nan, "ci_high": math.nan},
            {"Schatting": "Leerwinst boven verwachting (punten)", "value": rtm_src.gain_beyond_rtm, "ci_low": rtm_src.gain_beyond_rtm_ci[0], "ci_high": rtm_src.gain_beyond_rtm_ci[1]},
        ] + ([{"Schatting": "Eerlijke schatting: gecorrigeerd verschil met de vergelijkingsgroep, ANCOVA (punten)", "value": res.ancova_difference,
               "ci_low": res.ancova_ci[0], "ci_high": res.ancova_ci[1]}] if res.design == "pre_post_control" else []))
    notes.extend(res.notes)

    # --- kernboodschap -------------------------------------------------------------------------
    kern = [res.verdict_nl]
    if res.verdict == "positief":
        tone = "goed"
    elif res.verdict in ("negatief", "niet vergelijkbaar"):
        tone = "let-op"
    else:
        tone = "neutraal"
    if not small and rtm_src is not None and np.isfinite(rtm_src.naive_gain):
        kern.append(
            f"De groep ging gemiddeld {fmt_num(rtm_src.naive_gain)} punten vooruit, maar ongeveer {fmt_num(rtm_src.rtm_expected_gain)} punten daarvan "
            "is regressie naar het gemiddelde: laag scorende leerlingen scoren de volgende keer vanzelf wat hoger."
        )
    if not small and np.isfinite(res.mde):
        kern.append(f"Met {nt} + {nc} leerlingen is pas een effect vanaf ongeveer {fmt_num(res.mde, 2)} standaardafwijking met redelijke zekerheid te zien.")
    return InterventionEvaluation(
        iid, title, kern, tone, res.verdict, description, [t for t in design_text if t], res, one, info, groups,
        estimates, rtm, None if small else _estimation_figure(res), list(dict.fromkeys(notes)), _intervention_questions(res), min_n)


def _is_schoolwide(ds: Dataset, iid: str, info: dict) -> bool:
    """True when (almost) every pupil with a result in the subject took part."""
    part = set(ds.participation.loc[ds.participation["intervention_id"].astype(str) == iid, "pupil_id"].astype(str))
    s = ds.scores[(ds.scores["subject"].astype(str) == str(info["subject"]))]
    from plgdata.model.schema import school_year_of

    start = ds.interventions.loc[ds.interventions["intervention_id"].astype(str) == iid, "start"]
    year = str(school_year_of(start).iloc[0]) if len(start) and pd.notna(start.iloc[0]) else None
    if year:
        s = s[s["school_year"].astype(str) == str(year)]
    pupils = set(s["pupil_id"].astype(str))
    return bool(pupils) and len(pupils & part) / len(pupils) >= 0.9


def _schoolwide_evaluation(ds: Dataset, iid: str, title: str, description, info: dict, *, min_n: int, n_boot: int, seed: int):
    """A school-wide approach has no comparison pupils in the same year: compare cohorts.

    Same groep and moment (E, else M), school years from the start on ("nieuw") against
    the earlier years ("eerder"), each groep standardised on its earlier cohorts so the
    groepen can be pooled (z = (score − mean earlier) / sd earlier).
    """
    from plgdata.analysis.compare import compare
    from plgdata.analysis.frames import cohort_frame
    from plgdata.model.schema import school_year_of

    row = ds.interventions[ds.interventions["intervention_id"].astype(str) == iid].iloc[0]
    subject = str(info["subject"])
    start_year = str(school_year_of(pd.Series([row["start"]])).iloc[0])
    years = sorted(ds.scores.loc[ds.scores["subject"].astype(str) == subject, "school_year"].dropna().astype(str).unique())
    new, old = [y for y in years if y >= start_year], [y for y in years if y < start_year]
    notes: list[str] = []
    frames = []
    for groep in range(1, 9):
        for period in ("E", "M"):
            try:
                f, _ = cohort_frame(ds, subject, groep, period, new, old)
            except ValueError:
                continue
            base = f[f["cohort"] == "eerder"]["score"]
            if len(base) < 2 or not np.isfinite(base.std()) or base.std() == 0:
                continue
            frames.append(f.assign(z=(f["score"] - base.mean()) / base.std(), groep=groep, moment=f"{period}{groep}"))
            break
    if not frames or not old or not new:
        return InterventionEvaluation(
            iid, title, ["Deze schoolbrede aanpak is (nog) niet te evalueren: er zijn geen eerdere en latere jaargangen op dezelfde toetsversie."],
            "let-op", "niet te evalueren", description, [], None, None, info, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), None, notes,
            _intervention_questions(None), min_n)
    frame = pd.concat(frames, ignore_index=True)
    new_label, old_label = f"het cohort sinds {start_year}", "de eerdere cohorten"
    frame["cohort"] = frame["cohort"].map({"nieuw": new_label, "eerder": old_label})
    res = compare(frame, "z", "cohort", new_label, old_label, design="cohort", min_n=min_n, n_boot=n_boot, seed=seed)
    moments = ", ".join(sorted(frame["moment"].unique()))
    design_text = [
        f"Schoolbrede aanpak sinds {start_year}: er is geen vergelijkingsgroep in hetzelfde jaar, want alle leerlingen doen mee.",
        f"Daarom vergelijken we de jaargangen vanaf {start_year} ({', '.join(new)}) met de jaargangen ervoor ({', '.join(old)}), "
        f"steeds bij dezelfde groep en hetzelfde moment ({moments}), op dezelfde toetsversie.",
        "Per groep is de score omgerekend naar standaardafwijkingen van de eerdere jaargangen (z), zodat groepen samen te nemen zijn.",
    ]
    notes.append("Een verschil tussen jaargangen kan ook andere oorzaken hebben (een andere leerkracht, een nieuwe methode, een andere populatie): "
                 "dit laat zien óf er iets veranderde, niet zeker waardoor.")
    notes.append("Leerlingen komen in meerdere jaren voor (in een andere groep); het betrouwbaarheidsinterval is daardoor iets te smal.")
    notes.extend(res.notes)
    per_group = frame.groupby(["moment", "cohort"], observed=True)["score"].agg(["size", "mean"]).reset_index()
    groups = per_group.rename(columns={"moment": "Moment", "cohort": "Jaargangen", "size": "n", "mean": "mean"})
    est = []
    if min(res.n_treatment, res.n_control) >= min_n:
        est.append({"Schatting": f"Effectgrootte: {res.effect_size_name}", "value": res.headline, "ci_low": res.headline_ci[0],
                    "ci_high": res.headline_ci[1], "Bootstrap onder": res.headline_ci_boot[0], "Bootstrap boven": res.headline_ci_boot[1]})
    estimates = pd.DataFrame(est, columns=["Schatting", "value", "ci_low", "ci_high", "Bootstrap onder", "Bootstrap boven"])
    tone = "goed" if res.verdict == "positief" else ("let-op" if res.verdict == "negatief" else "neutraal")
    kern = [res.verdict_nl, "Dit is een vergelijking van jaargangen, geen experiment: andere veranderingen in dezelfde jaren kunnen meespelen."]
    info = {**info, "comparison": "cohort", "years_new": new, "years_old": old}
    return InterventionEvaluation(
        iid, title, kern, tone, res.verdict, description, design_text, res, None, info, groups, estimates, pd.DataFrame(),
        _estimation_figure(res), list(dict.fromkeys(notes)), _intervention_questions(res), min_n)


def _intervention_questions(res) -> list[str]:
    q = [
        "Is de interventie uitgevoerd zoals bedoeld (hoe vaak, hoe lang, door wie)?",
        "Wat zagen de leerkrachten in de klas, los van de toetsscores?",
    ]
    if res is not None and res.verdict == "te weinig leerlingen":
        q.append("Kunnen we de interventie langer of met meer leerlingen volgen, zodat we wél iets kunnen concluderen?")
    elif res is not None and res.verdict == "positief":
        q.append("Willen we de interventie voortzetten of uitbreiden, en hoe blijven we het effect volgen?")
    else:
        q.append("Stoppen we, passen we de interventie aan, of geven we haar meer tijd?")
    q.append("Welke vergelijkingsgroep zou het eerlijkste beeld geven bij een volgende evaluatie?")
    return q


# ===========================================================================
# 4. Cyclusrapport
# ===========================================================================


@dataclass
class CycleOverview:
    """Everything the *Cyclusrapport* shows.  All user text is plain text; escape on output."""

    title: str
    subtitle: str
    kernboodschap: list[str]
    tone: str
    steps: pd.DataFrame  # Stap, Naam, Status, Laatst gewijzigd
    next_step: str | None
    problem: pd.DataFrame  # Onderdeel, Waarde
    goal_figure: ReportFigure | None
    hypotheses: pd.DataFrame  # Id, Soort, Stelling, Beslisregel, Oordeel, Interpretatie, Herziet
    loops: pd.DataFrame  # Van stap, Naar stap, Reden, Datum
    measures: pd.DataFrame  # Id, Omschrijving, Interventie, Hypothese, Oordeel interventie
    evaluation: pd.DataFrame  # Onderdeel, Waarde
    questions: list[str] = field(default_factory=list)


def _val(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, float):
        return fmt_pct(v) if 0 <= v <= 1 else fmt_num(v)
    return str(v)


def _dutch_date(iso) -> str | None:
    """``'2026-06-30'`` -> ``'30-06-2026'`` (other text unchanged)."""
    if not iso:
        return iso
    try:
        return pd.Timestamp(str(iso)).strftime("%d-%m-%Y")
    except (ValueError, TypeError):
        return str(iso)


def _goal_figure(problem, evaluation) -> ReportFigure | None:
    vals = [("nu (start)", problem.current_value), ("doel", problem.goal_value), ("behaald", evaluation.achieved_value)]
    vals = [(k, float(v)) for k, v in vals if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(vals) < 2 or not any(k == "doel" for k, _ in vals):
        return None
    share = all(0 <= v <= 1 for _, v in vals)
    with style.plot_style():
        fig, ax = style.new_figure(figsize=(7.0, 4.5))
        cols = {"nu (start)": style.COLORS["primary"], "doel": style.COLORS["target"], "behaald": style.COLORS["intervention"]}
        for i, (k, v) in enumerate(vals):
            ax.bar(i, v, color=cols[k], width=0.6)
            ax.text(i, v, fmt_pct(v) if share else fmt_num(v), ha="center", va="bottom", fontsize=style.FONT_SIZES["label"])
        ax.set_xticks(range(len(vals)), [k for k, _ in vals])
        if share:
            ax.set_ylim(0, max(1.0, max(v for _, v in vals) * 1.15))
            style.use_decimal_comma(ax, "y", decimals=0, percent=True)
        ax.grid(axis="x", visible=False)
        ax.set_ylabel("Waarde van de maat")
        ax.set_title("Probleem en doel")
    txt = "; ".join(f"{k}: {fmt_pct(v) if share else fmt_num(v)}" for k, v in vals)
    style.set_alt_text(fig, f"Staafgrafiek van de maat uit de probleemdefinitie: {txt}.")
    return ReportFigure(fig, style.get_alt_text(fig), None)


def cycle_overview(cycle, ds: Dataset | None = None, *, min_n: int = MIN_N, n_boot: int = 1000) -> CycleOverview:
    """The *Cyclusrapport*: where the datateam cycle (or actieonderzoek) stands.

    Parameters
    ----------
    cycle : plgdata.cycle.Cycle
        The record (:func:`plgdata.cycle.load_cycle`).
    ds : Dataset, optional
        When given, every measure's linked intervention is evaluated
        (:func:`intervention_evaluation`) and its verdict shown.
    min_n, n_boot : int
        Passed to :func:`intervention_evaluation`.

    Returns
    -------
    CycleOverview
        Every text typed by the team is returned as is (plain text); the report's
        building blocks escape it.
    """
    from plgdata.cycle import loops_table, next_step, step_status

    md = cycle.method_def
    steps = step_status(cycle)
    nxt = next_step(cycle)
    next_label = cycle.label(nxt) if nxt is not None else None
    p = cycle.problem
    prob_rows = [("Probleem", p.statement), ("Maat", p.metric), ("Huidige waarde", _val(p.current_value) if p.current_value is not None else None),
                 ("Berekend uit", p.basis), ("Doel", (f"{p.direction} " if p.direction else "") + _val(p.goal_value) if p.goal_value is not None else None),
                 ("Deadline", _dutch_date(p.deadline)), ("Onderzoeksvraag", p.question)]
    problem = pd.DataFrame([{"Onderdeel": k, "Waarde": v} for k, v in prob_rows if v not in (None, "")], columns=["Onderdeel", "Waarde"])
    hyps = []
    for h in cycle.hypotheses:
        v = cycle.verdicts.get(h.id)
        hyps.append({"Id": h.id, "Soort": h.kind or "–", "Stelling": h.statement or "–", "Beslisregel": h.decision_rule or "–",
                     "Oordeel": (v.verdict if v and v.verdict else "nog geen oordeel"), "Interpretatie": (v.interpretation if v and v.interpretation else "–"),
                     "Herziet": h.revises or "–"})
    hypotheses = pd.DataFrame(hyps, columns=["Id", "Soort", "Stelling", "Beslisregel", "Oordeel", "Interpretatie", "Herziet"])
    loops = loops_table(cycle)
    meas = []
    verdicts_iv = []
    for mz in cycle.measures:
        verdict = "–"
        if ds is not None and mz.intervention_id:
            ev = intervention_evaluation(ds, mz.intervention_id, min_n=min_n, n_boot=n_boot)
            verdict = ev.kernboodschap[0]
            verdicts_iv.append((mz.intervention_id, ev.verdict))
            for fig in (ev.estimation_figure,):
                if fig is not None:
                    fig.close()
        meas.append({"Id": mz.id, "Omschrijving": mz.description or "–", "Interventie": mz.intervention_id or "–",
                     "Hypothese": mz.hypothesis_id or "–", "Wat de data zeggen": verdict})
    measures = pd.DataFrame(meas, columns=["Id", "Omschrijving", "Interventie", "Hypothese", "Wat de data zeggen"])
    e = cycle.evaluation
    ev_rows = [("Behaalde waarde", _val(e.achieved_value) if e.achieved_value is not None else None),
               ("Doel gehaald", None if e.goal_met is None else _val(e.goal_met)), ("Toelichting", e.note), ("Volgende cyclus", e.next_cycle)]
    for i, c in enumerate(e.comparisons, start=1):
        if isinstance(c, dict):
            txt = "; ".join(f"{k}: {_val(v) if not isinstance(v, float) else fmt_num(v, 2)}" for k, v in c.items())
        else:
            txt = str(c)
        ev_rows.append((f"Vergelijking {i}", txt))
    evaluation = pd.DataFrame([{"Onderdeel": k, "Waarde": v} for k, v in ev_rows if v not in (None, "")], columns=["Onderdeel", "Waarde"])

    kern = []
    if nxt is None:
        kern.append(f"Alle {len(md.steps)} {md.word.lower()}pen van de cyclus zijn klaar.")
    else:
        kern.append(f"De cyclus staat bij {next_label}.")
    if p.statement:
        kern.append(f"Probleem: {p.statement}")
    if p.goal_value is not None:
        kern.append(f"Doel: {(p.direction + ' ') if p.direction else ''}{_val(p.goal_value)}" + (f", uiterlijk {_dutch_date(p.deadline)}" if p.deadline else "") + ".")
    n_conf = sum(1 for v in cycle.verdicts.values() if v.verdict == "bevestigd")
    n_rej = sum(1 for v in cycle.verdicts.values() if v.verdict == "verworpen")
    if cycle.hypotheses:
        kern.append(f"{_plural(len(cycle.hypotheses), 'hypothese', 'hypothesen')}: {n_conf} bevestigd, {n_rej} verworpen"
                    + (f"; het team ging {_plural(len(cycle.loops), 'keer', 'keer')} terug naar een eerdere stap." if cycle.loops else "."))
    tone = "neutraal"
    if e.goal_met is True:
        kern.append("Het doel is gehaald.")
        tone = "goed"
    elif e.goal_met is False:
        kern.append("Het doel is (nog) niet gehaald.")
        tone = "let-op"
    questions = [
        "Klopt de probleemdefinitie nog, of weten we nu meer?",
        "Welke hypothese toetsen we als volgende, en met welke data?",
        "Wordt elke maatregel uitgevoerd zoals afgesproken, en wanneer evalueren we?",
        "Wat nemen we mee naar de volgende cyclus?",
    ]
    return CycleOverview(
        title=f"Cyclusrapport: {cycle.title}" if cycle.title else "Cyclusrapport",
        subtitle=", ".join(x for x in (f"leerteam {cycle.leerteam}" if cycle.leerteam else None, cycle.school_year, md.title) if x),
        kernboodschap=kern, tone=tone, steps=steps, next_step=next_label, problem=problem,
        goal_figure=_goal_figure(p, e), hypotheses=hypotheses, loops=loops, measures=measures, evaluation=evaluation,
        questions=questions,
    )
