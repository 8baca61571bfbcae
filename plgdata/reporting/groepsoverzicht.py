"""The *Groepsoverzicht* of one groep (or class), framed by the four PLG questions (DuFour)."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plgdata.analysis.frames import latest_per_pupil
from plgdata.analysis.growth import ScaleMismatchError, conditional_growth, pupil_growth
from plgdata.analysis.intervals import mean_ci
from plgdata.analysis.levels import level_distribution, level_info, level_share
from plgdata.analysis.multiplicity import family_sentence, holm_claims, t_p_value
from plgdata.analysis.pupils import LOW_LEVELS
from plgdata.model.dataset import Dataset
from plgdata.model.labels import fmt_num, fmt_pct, report_columns
from plgdata.model.vocabulary import MIN_N
from plgdata.plots.figures import plot_level_distribution
from plgdata.plots.growth import plot_growth_by_subject
from plgdata.reporting import memo
from plgdata.reporting.common import ReportFigure, plural, report_figure, school_years, subject_name, subjects_in
from plgdata.reporting.suppression import complement_rows, suppress_complement

__all__ = ["PLG_QUESTIONS", "GroupOverview", "group_overview", "group_overviews", "growth_claims"]

#: the four questions of a professionele leergemeenschap (DuFour)
PLG_QUESTIONS: tuple[str, ...] = (
    "Wat moeten leerlingen leren?",
    "Hoe weten we dat ze het leren?",
    "Wat doen we als ze het niet leren?",
    "Wat doen we als ze het al kunnen?",
)

#: the questions the team asks itself, per PLG question
TEAM_QUESTIONS: dict[int, list[str]] = {
    1: [
        "Welke doelen stonden dit halfjaar centraal, en passen de toetsen daarbij?",
        "Welke leerdoelen uit de methode of de leerlijn wil het team volgend halfjaar voorop zetten?",
    ],
    2: [
        "Bij welk vak groeide de groep minder dan verwacht, en zat dat bij alle leerlingen of bij een deel?",
        "Past dit beeld bij wat de leerkracht in de klas ziet (methodetoetsen, observaties)?",
    ],
    3: [
        "Wat krijgen deze leerlingen nu al extra, en weten we of dat werkt?",
        "Is de lage score bij deze leerlingen een uitschieter of een patroon over meerdere toetsen?",
    ],
    4: [
        "Welke verrijking of versnelling bieden we, en wie organiseert die?",
        "Krijgen deze leerlingen genoeg nieuwe leerstof, of vooral herhaling?",
    ],
}

#: a groep with several classes whose pupil list is longer than this shows the count per class
#: in the report and the list itself (with each pupil's class) only in the Excel workbook: a
#: list of 200 pseudonyms cannot be read on a projector, nor found by the teacher of one class
LIST_MAX_ROWS = 30

_PERIOD_ORDER = {"B": 0, "M": 1, "E": 2}
_LEVEL_STATS = ["Aandeel I–III", "Aandeel IV–V"]
_GROWTH_STATS = ["gain_mean", "gain_ci_low", "gain_ci_high", "z_growth_mean", "z_ci_low", "z_ci_high"]


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
    attention: pd.DataFrame  # pupil_id, [Klas], Aantal vakken, Waarom  (question 3)
    challenge: pd.DataFrame  # pupil_id, [Klas], Aantal vakken, Waarom  (question 4)
    notes: list[str] = field(default_factory=list)
    questions: dict[int, list[str]] = field(default_factory=dict)
    min_n: int = MIN_N
    by_class: pd.DataFrame = field(default_factory=pd.DataFrame)  # Klas, n, Extra aandacht, Meer uitdaging

    @property
    def plg_questions(self) -> tuple[str, ...]:
        return PLG_QUESTIONS

    @property
    def lists_by_class(self) -> bool:
        """True when the report shows the count per class instead of the pupil lists (see ``LIST_MAX_ROWS``)."""
        return len(self.by_class) > 0 and max(len(self.attention), len(self.challenge)) > LIST_MAX_ROWS

    @property
    def levels_by_class(self) -> pd.DataFrame:
        """The share at I–III as one row per class (and the whole groep), one column per subject.

        For a groep of several classes whose level table (a row per subject and class) is longer
        than ``LIST_MAX_ROWS``; empty otherwise.  Classes under ``min_n`` pupils stay empty (NaN).
        """
        if "Klas" not in self.levels.columns or len(self.levels) <= LIST_MAX_ROWS:
            return pd.DataFrame()
        wide = self.levels.pivot_table(index="Klas", columns="Vak", values="Aandeel I–III", aggfunc="first", dropna=False)
        order = [c for c in dict.fromkeys(self.levels["Klas"]) if c != "hele groep"] + ["hele groep"]
        subjects = list(dict.fromkeys(self.levels["Vak"]))
        return wide.reindex(index=order, columns=subjects).rename_axis(index="Klas", columns=None).reset_index()

    @property
    def by_class_note(self) -> str:
        """The Dutch note under the count per class: where the pupils themselves are."""
        n_classes = int((self.by_class["Klas"] != "hele groep").sum()) if len(self.by_class) else 0
        return (
            f"Groep {self.groep} telt {n_classes} klassen: een lijst van "
            f"{len(self.attention)} en {len(self.challenge)} leerlingen is op een scherm niet te lezen. Daarom hier het "
            "aantal per klas. De leerlingen zelf (pseudoniem, klas en waarom) staan in het Excel-bestand bij dit rapport, "
            "tabbladen Extra aandacht en Meer uitdaging; of maak het groepsoverzicht van één klas."
        )


@dataclass
class _Selection:
    """The results of one groep (or class) in one school year."""

    groep: int
    klas: str | None
    who: str
    school_year: str | None
    years: list[str]
    scores: pd.DataFrame  # all scores of the dataset
    rows: pd.DataFrame  # the selected results
    pupils: set[str]
    min_n: int
    #: a class hidden although large enough: with it shown a smaller class is the groep minus the shown classes
    complement: bool = False

    @property
    def suppressed(self) -> bool:
        return len(self.pupils) < self.min_n or self.complement


def _select(ds: Dataset, groep: int, school_year: str | None, klas: str | None, min_n: int) -> _Selection:
    s = ds.scores
    in_groep = (s["groep"] == groep).fillna(False)
    if klas is not None:
        in_groep &= (s["class_name"].astype("string") == str(klas)).fillna(False)
    years = school_years(s.loc[in_groep, "school_year"].dropna().unique())
    if school_year is None:
        school_year = years[-1] if years else None
    in_year = (s["school_year"].astype("string") == str(school_year)).fillna(False)
    rows = s[in_groep & in_year]
    who = f"klas {klas}" if klas else f"groep {groep}"
    complement = False
    if klas is not None:  # the groep's report shows the whole: a small class must not be the groep minus this one
        whole = s[(s["groep"] == groep).fillna(False) & in_year]
        sizes = whole.groupby(whole["class_name"].astype("string").fillna("zonder klas"), sort=True)["pupil_id"].nunique()
        complement = bool(complement_rows(sizes, min_n=min_n).get(str(klas), False))
    return _Selection(groep, klas, who, school_year, years, s, rows, set(rows["pupil_id"].astype(str)), min_n, complement)


def _tests_table(sel: pd.DataFrame) -> pd.DataFrame:
    """PLG question 1: which tests were taken (subject, moment, test version, n)."""
    if sel.empty:
        return report_columns(pd.DataFrame(columns=["subject", "moment", "scale", "n"]))
    t = (
        sel.assign(
            subject=sel["subject"].astype(str).map(subject_name), moment=sel["moment"].astype(str), scale=sel["scale"].astype(str)
        )
        .groupby(["subject", "moment", "scale"], observed=True)["pupil_id"]
        .nunique()
        .rename("n")
        .reset_index()
    )
    t["_o"] = t["moment"].str[0].map(_PERIOD_ORDER)
    return report_columns(t.sort_values(["subject", "_o", "moment"]).drop(columns="_o").reset_index(drop=True))


def _latest_rows(sel: pd.DataFrame, subject: str) -> pd.DataFrame:
    """Rows of the latest period of ``subject`` in ``sel`` (one school year), last result per pupil."""
    d = sel[sel["subject"] == subject]
    periods = [p for p in d["period"].dropna().astype(str).unique() if p in _PERIOD_ORDER]
    if not periods:
        return d.iloc[0:0]
    last = max(periods, key=_PERIOD_ORDER.get)
    return latest_per_pupil(d[d["period"] == last])


def _level_rows(subject: str, rows: pd.DataFrame, klas: str | None) -> list[dict]:
    """Shares at I–III and IV–V of the whole groep and of each class, among the pupils with a niveau
    I–V (:func:`plgdata.analysis.levels.level_share`, the measure of steps 1 and 8)."""
    iv = rows[rows["_sys"] == "I-V"]
    moment = ", ".join(sorted(iv["moment"].astype(str).unique()))
    groups = [(None, rows)]
    if not klas:
        groups += list(rows.groupby(rows["class_name"].astype(str), sort=True))
    out = []
    for cls, part in groups:
        ls = level_share(part, LOW_LEVELS)
        if ls.n:
            out.append(
                {
                    "subject": subject_name(subject),
                    "moment": moment,
                    "class_name": cls if cls else (klas or "hele groep"),
                    "n": ls.n,
                    "share_i_iii": 1.0 - ls.share,
                    "share_iv_v": ls.share,
                }
            )
    return out


def _level_section(sel: _Selection, subjects: list[str]) -> tuple[pd.DataFrame, ReportFigure | None, dict]:
    """PLG question 2a: levels at the latest moment per subject, the figure, and those rows per subject."""
    rows, dists, latest = [], [], {}
    for subject in subjects:
        r = _latest_rows(sel.rows, subject)
        if r.empty:
            continue
        info = level_info(r["level"])
        r = r.assign(
            _sys=info["level_system"].to_numpy(), _main=info["level_main"].to_numpy(), _rank=info["level_rank"].to_numpy()
        )
        latest[subject] = r
        iv = r[r["_sys"] == "I-V"]
        if not iv.empty:
            rows += _level_rows(subject, r, sel.klas)
            dists.append(level_distribution(iv.drop(columns=["_sys", "_main", "_rank"]), by=[], system="I-V", min_n=sel.min_n))
    levels = report_columns(pd.DataFrame(rows, columns=["subject", "moment", "class_name", "n", "share_i_iii", "share_iv_v"]))
    if sel.klas and len(levels):
        levels = levels.drop(columns="Klas")
    if len(levels):
        levels.loc[(levels["n"] < sel.min_n) | sel.complement, _LEVEL_STATS] = np.nan
        if "Klas" in levels.columns:  # a class under min_n must not be the groep minus the other classes
            levels = suppress_complement(
                levels, _LEVEL_STATS, by=["Vak", "Moment"], part_col="Klas", total_label="hele groep", min_n=sel.min_n
            )
    figure = None
    if dists and not sel.suppressed:
        dist = pd.concat(dists, ignore_index=True)
        dist["subject"] = dist["subject"].astype(str).map(subject_name)
        title = f"Niveaus op het laatste meetmoment – {sel.who}"

        def draw():  # drawn when the report shows it (not when another report only reads the numbers)
            ax = plot_level_distribution(dist, x="subject", title=title)
            ax.set_xlabel("Vak")
            return ax

        figure = report_figure(
            draw, "Per vak het percentage leerlingen per niveau (I = hoogste 20% van het land, V = laagste 20%)."
        )
    return levels, figure, latest


def _growth_for(sel: _Selection, subject: str, years: list[str]) -> tuple[pd.DataFrame, str | None, list[str]]:
    """M→E growth of the selected pupils in the latest of ``years`` that has pairs (same scale)."""
    notes: list[str] = []
    s = sel.scores
    # the whole groep of the year: each pupil is compared with the groep's pupils who started alike
    in_groep = (s["groep"] == sel.groep).fillna(False) & s["school_year"].astype("string").isin(years).fillna(False)
    pool = set(s.loc[in_groep, "pupil_id"].astype(str)) | sel.pupils
    sub = s[(s["subject"] == subject) & s["pupil_id"].astype(str).isin(pool)]
    for year in sorted(years, reverse=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                g = pupil_growth(sub, subject, "M", "E", from_year=year)
            except ScaleMismatchError as exc:
                notes.append(str(exc))
                continue
        g = g[g["gain"].notna() & (g["groep"] == sel.groep).fillna(False)]
        if len(g):
            g = conditional_growth(g)
            notes.extend(m for m in g.attrs.get("notes", []) if "verschillende toetsversies" in m)
            return g, year, notes
    return pd.DataFrame(), None, notes


def _growth_rows(subject: str, year: str, g: pd.DataFrame) -> list[dict]:
    """One row per test version: mean gain and mean z growth, each with its 95% interval."""
    rows = []
    for scale, part in g.groupby(g["scale"].astype(str), sort=True):
        m, lo, hi = mean_ci(part["gain"])
        z = part["z_growth"].to_numpy(dtype="float64")
        zm, zlo, zhi = mean_ci(z) if np.isfinite(z).any() else (math.nan,) * 3
        rows.append(
            {
                "subject": subject_name(subject),
                "school_year": year,
                "moment_from": ", ".join(sorted(part["moment_pre"].astype(str).unique())),
                "moment_to": ", ".join(sorted(part["moment_post"].astype(str).unique())),
                "scale": scale,
                "n": len(part),
                "gain_mean": m,
                "gain_ci_low": lo,
                "gain_ci_high": hi,
                "z_growth_mean": zm,
                "z_ci_low": zlo,
                "z_ci_high": zhi,
            }
        )
    return rows


def _growth_section(sel: _Selection, subjects: list[str]) -> tuple[pd.DataFrame, dict, str | None, list[str]]:
    """PLG question 2b: growth M→E per subject (table), the pupils' growth per subject, the year, notes."""
    rows, per_subject, growth_year, notes = [], {}, None, []
    years = [y for y in sel.years if y <= str(sel.school_year)] if sel.school_year else []
    for subject in subjects:
        g, gy, gnotes = _growth_for(sel, subject, years)
        notes.extend(gnotes)
        if not g.empty:
            g = g[(g["groep"] == sel.groep).fillna(False)]
            if sel.klas is not None:
                g = g[g["class_name"].astype(str) == str(sel.klas)]
        if g.empty:
            continue
        growth_year = growth_year or gy
        per_subject[subject] = g
        rows += _growth_rows(subject, gy, g)
    growth = pd.DataFrame(rows, columns=["subject", "school_year", "moment_from", "moment_to", "scale", "n", *_GROWTH_STATS])
    if len(growth):
        growth.loc[(growth["n"] < sel.min_n) | sel.complement, _GROWTH_STATS] = np.nan
        if growth["z_growth_mean"].isna().all() and growth["n"].ge(sel.min_n).any():
            growth = growth.drop(columns=["z_growth_mean", "z_ci_low", "z_ci_high"])
    if growth_year and sel.school_year and growth_year != sel.school_year:
        notes.append(f"In {sel.school_year} zijn er nog geen midden- én eindtoetsen; de groei is die van {growth_year}.")
    return report_columns(growth), per_subject, growth_year, notes


def _growth_figure(sel: _Selection, per_subject: dict, use_z: bool) -> ReportFigure | None:
    if sel.suppressed or not per_subject:
        return None
    tidy = pd.concat([g.assign(subject=s) for s, g in per_subject.items()], ignore_index=True)
    if tidy.empty:
        return None
    return report_figure(
        lambda: plot_growth_by_subject(tidy, use_z=use_z, who=sel.who, min_n=sel.min_n),
        "Elk grijs punt is één leerling; de blauwe stip is het gemiddelde, de streep het 95%-betrouwbaarheidsinterval.",
    )


@dataclass(frozen=True)
class _Thresholds:
    attention_levels: tuple[str, ...]
    attention_z: float
    challenge_z: float


def _pupil_flags(subject: str, rows: pd.DataFrame | None, g: pd.DataFrame | None, t: _Thresholds) -> tuple[list, list]:
    """Per pupil of one subject: why it needs attention, and whether it may need more challenge."""
    lvl = (
        rows.set_index(rows["pupil_id"].astype(str))[["_main", "_rank", "_sys"]]
        if rows is not None
        else pd.DataFrame(columns=["_main", "_rank", "_sys"])
    )
    lvl = lvl[lvl["_sys"] == "I-V"]
    gr = (
        g.set_index(g["pupil_id"].astype(str))[["gain", "z_vs_expected"]]
        if g is not None
        else pd.DataFrame(columns=["gain", "z_vs_expected"])
    )
    has_z = gr["z_vs_expected"].notna().any()
    med = gr["gain"].median() if len(gr) else math.nan
    att, cha = [], []
    for pid in sorted(set(lvl.index) | set(gr.index)):
        level = lvl["_main"].get(pid) if pid in lvl.index else None
        rank = lvl["_rank"].get(pid) if pid in lvl.index else math.nan
        zg = float(gr["z_vs_expected"].get(pid)) if pid in gr.index else math.nan
        gain = float(gr["gain"].get(pid)) if pid in gr.index else math.nan
        reasons = [f"niveau {level}"] if level in t.attention_levels else []
        if has_z and zg < t.attention_z:
            reasons.append(f"groei {fmt_num(zg, 2)} sd t.o.v. leerlingen met dezelfde beginscore")
        elif not has_z and gain < 0:
            reasons.append("score daalde van midden naar eind")
        row = {"pupil_id": pid, "Vak": subject_name(subject)}
        if reasons:
            att.append({**row, "Reden": "; ".join(reasons)})
        if rank == 1 and ((zg >= t.challenge_z) if has_z else (gain >= med)):
            cha.append(
                {
                    **row,
                    "Reden": "niveau I, "
                    + (
                        f"groei {fmt_num(zg, 2)} sd t.o.v. leerlingen met dezelfde beginscore"
                        if has_z
                        else "groei boven de mediaan van de groep"
                    ),
                }
            )
    return att, cha


def _classes_of(sel: _Selection) -> pd.Series | None:
    """Each selected pupil's class (the latest of the year), or None when the selection is one class."""
    r = sel.rows[["pupil_id", "class_name", "date"]].astype({"pupil_id": str, "class_name": "string"})
    r = r.fillna({"class_name": "zonder klas"})
    if sel.klas or r["class_name"].nunique() < 2:
        return None
    last = r.sort_values("date", kind="stable").drop_duplicates("pupil_id", keep="last")
    return last.set_index("pupil_id")["class_name"].astype(str)


def _per_pupil(rows: list[dict], classes: pd.Series | None = None) -> pd.DataFrame:
    """One row per pupil: pseudonym, [class,] number of subjects, and per subject why.

    With ``classes`` (several classes) each pupil's class follows the pseudonym and the list
    runs class by class, so a teacher finds the own pupils together.
    """
    cols = ["pupil_id"] + (["class_name"] if classes is not None else []) + ["n_subjects", "why"]
    if not rows:
        return report_columns(pd.DataFrame(columns=cols))
    df = pd.DataFrame(rows)
    df["_txt"] = df["Vak"] + " (" + df["Reden"] + ")"
    out = df.groupby("pupil_id", sort=True).agg(n_subjects=("Vak", "nunique"), why=("_txt", "; ".join)).reset_index()
    order, ascending = ["n_subjects", "pupil_id"], [False, True]
    if classes is not None:
        out["class_name"] = out["pupil_id"].map(classes).fillna("zonder klas")
        order, ascending = ["class_name"] + order, [True] + ascending
    out = out.sort_values(order, ascending=ascending, kind="stable").reset_index(drop=True)
    return report_columns(out[cols])


def _by_class(classes: pd.Series | None, attention: pd.DataFrame, challenge: pd.DataFrame) -> pd.DataFrame:
    """Per class (and the whole groep): pupils with results, how many need attention, how many challenge."""
    if classes is None:
        return pd.DataFrame()
    rows = []
    for cls, pupils in [(c, set(p.index)) for c, p in classes.groupby(classes, sort=True)] + [("hele groep", set(classes.index))]:
        rows.append(
            {
                "class_name": cls,
                "n": len(pupils),
                "Extra aandacht": int(attention["pupil_id"].isin(pupils).sum()),
                "Meer uitdaging": int(challenge["pupil_id"].isin(pupils).sum()),
            }
        )
    return report_columns(pd.DataFrame(rows))


def growth_claims(growth: pd.DataFrame) -> tuple[pd.Series, pd.Series, int]:
    """Which growth rows (a report's growth table, one row per group and subject) grew demonstrably
    faster or slower than the national norm, as one family: a row counts only when its mean z growth
    survives Holm's correction over every shown row (:mod:`plgdata.analysis.multiplicity`; p from
    the row's one-sample t interval).  Returns ``(faster, slower, number of comparisons)``.
    """
    if "Gemiddelde groei in z" not in growth.columns:
        empty = pd.Series(False, index=growth.index)
        return empty, empty, 0
    mean, lo, hi = growth["Gemiddelde groei in z"], growth["z ondergrens"], growth["z bovengrens"]
    p = pd.Series(t_p_value(mean.to_numpy(), lo.to_numpy(), hi.to_numpy(), growth["n"].to_numpy()), index=growth.index)
    claim = pd.Series(holm_claims(p.to_numpy()), index=growth.index)
    return claim & (lo > 0), claim & (hi < 0), int(p.notna().sum())


def _growth_sentences(growth: pd.DataFrame) -> tuple[list[str], str]:
    """Subjects that grew demonstrably faster or slower than the national norm (Holm over the subjects), and the tone."""
    ok = growth[growth["Gemiddelde groei in z"].notna()]
    is_faster, is_slower, m = growth_claims(ok)
    faster = list(dict.fromkeys(ok.loc[is_faster, "Vak"]))
    slower = list(dict.fromkeys(ok.loc[is_slower, "Vak"]))
    out, tone = [], "neutraal"
    if faster:
        out.append(f"Aantoonbaar sneller gegroeid dan de landelijke norm: {', '.join(faster)}.")
        tone = "goed"
    if slower:
        out.append(f"Aantoonbaar langzamer gegroeid dan de landelijke norm: {', '.join(slower)}.")
        tone = "let-op"
    if not faster and not slower and len(ok):
        out.append("Bij geen enkel vak week de groei aantoonbaar af van de landelijke norm.")
    if m > 1:
        out.append(family_sentence(m, "per vak de groei met de landelijke norm"))
    return out, tone


def _kernboodschap(sel: _Selection, levels, growth, use_z: bool, attention, challenge) -> tuple[list[str], str]:
    who = sel.who[0].upper() + sel.who[1:]
    if sel.school_year is None or not sel.pupils:
        return [f"Er zijn geen toetsresultaten van {sel.who}."], "neutraal"
    if sel.suppressed and sel.complement:
        return [
            (
                f"Van {sel.who} tonen we in {sel.school_year} geen cijfers: een andere klas van groep {sel.groep} telt minder "
                f"dan {sel.min_n} leerlingen, en met de cijfers van {sel.who} en van de hele groep zijn die terug te rekenen. "
                "Bekijk het groepsoverzicht van de hele groep."
            )
        ], "neutraal"
    if sel.suppressed:
        return [
            (
                f"{who} telde in {sel.school_year} minder dan {sel.min_n} leerlingen met een resultaat: te weinig om "
                "cijfers te tonen (te klein om iets over te zeggen, en om leerlingen te beschermen)."
            )
        ], "neutraal"
    kern = [f"{who} in {sel.school_year}: {len(sel.pupils)} leerlingen met toetsresultaten."]
    whole = levels[levels["Klas"].eq(sel.klas or "hele groep")] if "Klas" in levels.columns else levels
    for _, r in whole.iterrows():
        if pd.notna(r["Aandeel I–III"]):
            kern.append(
                f"{r['Vak']} ({r['Moment']}): {fmt_pct(r['Aandeel I–III'])} op niveau I–III, "
                f"{fmt_pct(r['Aandeel IV–V'])} op niveau IV–V (landelijk 60% en 40%)."
            )
    tone = "neutraal"
    if use_z and "Gemiddelde groei in z" in growth.columns:
        sentences, tone = _growth_sentences(growth)
        kern += sentences
    n_att, n_cha = attention["pupil_id"].nunique(), challenge["pupil_id"].nunique()
    kern.append(
        f"{plural(n_att, 'leerling vraagt', 'leerlingen vragen')} extra aandacht; "
        f"{plural(n_cha, 'leerling kan', 'leerlingen kunnen')} waarschijnlijk meer uitdaging aan."
    )
    return kern, tone


def _size_notes(sel: _Selection, growth: pd.DataFrame) -> list[str]:
    notes = []
    if len(growth) and (growth["n"] < sel.min_n).any() and not sel.suppressed:
        notes.append(f"Bij een vak of klas met minder dan {sel.min_n} leerlingen tonen we geen cijfers.")
    if 0 < len(sel.pupils) < 10 and not sel.suppressed:
        notes.append(
            "Minder dan 10 leerlingen: Cito noemt groepsresultaten dan onbetrouwbaar. Lees de cijfers als een indicatie."
        )
    return notes


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

    ``school_year`` defaults to the latest year with results; ``klas`` (``'6A'``) limits
    it to one class.  Groups (the groep, a class, a subject) with fewer than ``min_n``
    pupils show no statistics.  Levels are the pupils' own levels (I–V) at the latest
    moment of the year per subject (shares at I–III and IV–V).  Growth is M→E of the
    latest year with pairs on the same scale: the mean raw gain and the mean z growth
    Φ⁻¹(P_E) − Φ⁻¹(P_M), each with a t interval (:func:`plgdata.analysis.growth.pupil_growth`).

    A pupil needs attention at a level in ``attention_levels`` (default V, the lowest
    20% of the country) or a growth below ``attention_z`` compared with the pupils of the
    groep **who started at the same score** (z_post − E[z_post | z_pre],
    :func:`plgdata.analysis.growth.conditional_growth`; default −1,1: with a test–retest
    correlation of about 0,85 the spread of the later z around that expectation is about
    √(1 − 0,85²) ≈ 0,53, so only a shortfall beyond 1,96 · 0,53 ≈ 1,1 is more than chance;
    without percentiles: negative raw growth).  Against plain z growth, regression to the
    mean flagged high starters 13 times as often as low ones.  A pupil at niveau I whose
    growth for its start is at least ``challenge_z`` (without percentiles: growth at or above
    the group median) may need more challenge.  Both lists hold one row per pupil
    (pseudonym) with the subjects and reasons; for a groep of several classes also the
    pupil's class, class by class, and ``by_class`` counts both lists per class (the
    report shows those counts instead of lists longer than ``LIST_MAX_ROWS``).
    """
    sel = _select(ds, int(groep), school_year, klas, min_n)
    subjects = subjects_in(sel.rows)
    levels, level_figure, latest = _level_section(sel, subjects)
    growth, per_subject, _, notes = _growth_section(sel, subjects)
    use_z = bool(per_subject) and all(g["z_growth"].notna().any() for g in per_subject.values())
    t = _Thresholds(tuple(attention_levels), attention_z, challenge_z)
    att, cha = [], []
    for subject in subjects:
        a, c = _pupil_flags(subject, latest.get(subject), per_subject.get(subject), t)
        att += a
        cha += c
    classes = _classes_of(sel)
    attention, challenge = _per_pupil(att, classes), _per_pupil(cha, classes)
    kern, tone = _kernboodschap(sel, levels, growth, use_z, attention, challenge)
    title = f"Groepsoverzicht {sel.who}" + (f" – {sel.school_year}" if sel.school_year else "")
    go = GroupOverview(
        groep=sel.groep,
        klas=klas,
        school_year=sel.school_year,
        title=title,
        n_pupils=len(sel.pupils),
        suppressed=sel.suppressed,
        kernboodschap=kern,
        tone=tone,
        tests=_tests_table(sel.rows),
        levels=levels,
        level_figure=level_figure,
        growth=growth,
        growth_figure=_growth_figure(sel, per_subject, use_z),
        attention=attention,
        challenge=challenge,
        notes=list(dict.fromkeys(notes + _size_notes(sel, growth))),
        questions={k: list(v) for k, v in TEAM_QUESTIONS.items()},
        min_n=min_n,
        by_class=_by_class(classes, attention, challenge),
    )
    if klas is None:  # the opbrengstenrapport of the same run reads these instead of computing them again
        memo.keep("groepsoverzicht", ds, (sel.groep, sel.school_year, min_n, t), group_numbers_of(go))
    return go


#: the thresholds of a groepsoverzicht report (``group_overview``'s defaults)
_DEFAULT_THRESHOLDS = _Thresholds(*(group_overview.__kwdefaults__[k] for k in ("attention_levels", "attention_z", "challenge_z")))


def group_numbers_of(go: GroupOverview) -> tuple[pd.DataFrame, pd.DataFrame, int, int, int]:
    """What the opbrengstenrapport shows of a groepsoverzicht: levels, growth, pupils, and how many
    pupils need attention or more challenge (counts only, no pseudonyms)."""
    return go.levels, go.growth, go.n_pupils, int(go.attention["pupil_id"].nunique()), int(go.challenge["pupil_id"].nunique())


def group_numbers(ds: Dataset, groep: int, school_year: str, *, min_n: int = MIN_N):
    """:func:`group_numbers_of` the groepsoverzicht of ``groep`` (whole groep, default thresholds): the
    groepsoverzicht report's own numbers when it ran before in the same run of reports
    (:mod:`plgdata.reporting.memo`), else computed now."""
    key = (int(groep), school_year, min_n, _DEFAULT_THRESHOLDS)
    found = memo.recall("groepsoverzicht", ds, key)
    if found is not None:
        return found
    go = group_overview(ds, groep, school_year, min_n=min_n)
    for fig in (go.level_figure, go.growth_figure):
        if fig is not None:
            fig.close()
    return group_numbers_of(go)


def group_overviews(
    ds: Dataset, groep: int, school_year: str | None = None, *, per_class: bool = False, min_n: int = MIN_N
) -> list[GroupOverview]:
    """:func:`group_overview` of the groep, and with ``per_class=True`` one per class as well."""
    out = [group_overview(ds, groep, school_year, min_n=min_n)]
    if per_class:
        year = out[0].school_year
        s = ds.scores
        mask = (s["groep"] == int(groep)).fillna(False) & (s["school_year"].astype("string") == str(year)).fillna(False)
        for cls in sorted(s.loc[mask, "class_name"].dropna().astype(str).unique()):
            out.append(group_overview(ds, groep, year, klas=cls, min_n=min_n))
    return out


# ---------------------------------------------------------------------------
# the tables the report notebook shows (and keeps for the Excel workbook)
# ---------------------------------------------------------------------------


def level_tables(ov: GroupOverview, tables) -> list:
    """Question 2's level table as HTML, each table also kept in ``tables`` (the Excel workbook).

    A groep of many classes gets one row per class (share at I–III per subject); the long table
    (a row per subject and class) then stays in the workbook only.
    """

    shares = ["Aandeel I–III", "Aandeel IV–V"]
    wide = ov.levels_by_class
    if not len(wide):
        return [tables.table("Niveaus", ov.levels, "Aandeel leerlingen per niveau", percent=shares, min_n=ov.min_n)]
    tables.add("Niveaus", ov.levels, percent=shares)
    caption = f"Aandeel leerlingen op niveau I–III per klas (IV–V is de rest; – : minder dan {ov.min_n} leerlingen)"
    return [tables.table("Niveaus per klas", wide, caption, percent=list(wide.columns[1:]), n_col=None)]


def pupil_tables(ov: GroupOverview, tables, question: int) -> list:
    """Question 3 (extra aandacht) or 4 (meer uitdaging) as HTML, each table also kept in ``tables``.

    Over ``LIST_MAX_ROWS`` pupils in a groep of several classes, question 3 shows the count per
    class (both lists stay in the workbook) and question 4 points to it.
    """
    from plgdata.reporting import html as h

    if ov.lists_by_class:
        if question == 4:
            return [h.note("Het aantal leerlingen per klas dat meer uitdaging aankan staat in de tabel per klas bij vraag 3.")]
        tables.add("Extra aandacht", ov.attention)
        tables.add("Meer uitdaging", ov.challenge)
        caption = "Leerlingen die extra aandacht vragen of meer uitdaging aankunnen, per klas"
        return [tables.table("Per klas", ov.by_class, caption, min_n=ov.min_n), h.note(ov.by_class_note)]
    name, df, caption = (
        ("Extra aandacht", ov.attention, "Leerlingen die extra aandacht vragen")
        if question == 3
        else ("Meer uitdaging", ov.challenge, "Leerlingen die meer uitdaging aankunnen")
    )
    return [tables.table(name, df, caption, n_col=None)]
