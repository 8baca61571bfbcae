"""The *opbrengsten- en verantwoordingsrapport* of the IB'er: one school year, the four PLG questions.

Did the school's work as a professionele leergemeenschap produce leerwinst, where, and
how sure are we?  The report's chapters are the four PLG questions (DuFour).  It makes
**no number of its own**: levels and growth come from :func:`group_overview` (the
groepsoverzicht), the three-year trend and the referentieniveaus from
:func:`trend_overview` (the trendanalyse), every intervention's verdict from
:func:`intervention_evaluation` (the interventie-evaluatie) — called with the same
arguments the report notebooks use, so the numbers are the same by construction.
It adds what only the records know: the leerteams' focus subjects (year plans), the
cycles of the year and what the teams concluded and kept, and the PLG-scan.

Privacy: only group statistics (groups under ``min_n`` blanked by the source functions
and again by the html tables); no pupil list; a PLG-scan mean (leerteam, year, bouwsteen)
of fewer than ``min_n`` answers does not appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plgdata.analysis.multiplicity import family_sentence, holm_claims, normal_p_value
from plgdata.model.dataset import Dataset
from plgdata.model.labels import SUBJECT_LABELS, fmt_num
from plgdata.model.vocabulary import MIN_N
from plgdata.reporting.common import ReportFigure, effect_in_points
from plgdata.reporting.groepsoverzicht import group_numbers, growth_claims
from plgdata.reporting.interventie import evaluation_numbers
from plgdata.reporting.summary import board_summary, design_short
from plgdata.reporting.trendanalyse import trend_overview


@dataclass
class OpbrengstenReport:
    """Everything the opbrengstenrapport shows, chapter by chapter (the four PLG questions)."""

    title: str
    school_year: str
    kernboodschap: list[str]
    tone: str
    focus: pd.DataFrame  # 1: Leerteam, Periode, Focusvak, Doel
    goals: pd.DataFrame  # 1: Leerteam, Cyclus, Methode, Doel
    levels: pd.DataFrame  # 2: groep, Vak, Moment, n, Aandeel I–III, Aandeel IV–V   (groepsoverzicht)
    growth: pd.DataFrame  # 2: groep + groepsoverzicht growth columns
    trend: pd.DataFrame  # 2: Vak, Periode, Schooljaar, n, share   (trendanalyse)
    trend_figure: ReportFigure | None
    referentie: pd.DataFrame  # 2: trendanalyse referentie_average
    referentie_sentence: str  # the Inspectie indicator's sentence (trendanalyse)
    interventions: pd.DataFrame  # 3: one row per intervention of the year (interventie-evaluatie)
    cycles: pd.DataFrame  # 3: Leerteam, Methode, Cyclus, Stand, Doel gehaald
    pupils: pd.DataFrame  # 3/4: groep, Extra aandacht, Meer uitdaging (counts, groepsoverzicht)
    kept: pd.DataFrame  # 4: Leerteam, Cyclus, Conclusie, Borgen
    plg_scan: pd.DataFrame  # leerteam, school_year, bouwsteen, n, mean, ci_low, ci_high
    plg_scan_notes: list[str]
    plg_scan_figures: dict[str, ReportFigure]  # leerteam -> bouwstenen over the years
    team_growth: dict[str, pd.DataFrame]  # leerteam -> growth rows of its focus subjects (from the groepsoverzicht)
    can_conclude: list[str]
    cannot_conclude: list[str]
    notes: list[str] = field(default_factory=list)
    questions: dict[int, list[str]] = field(default_factory=dict)  # per PLG question (content.PLG_QUESTIONS), 1-4
    min_n: int = MIN_N
    indicator_table: pd.DataFrame = field(default_factory=pd.DataFrame)  # 2: the trendanalyse's indicator table
    board_summary: list[tuple[str, list[str]]] = field(default_factory=list)  # summary.board_summary: per question

    @property
    def indicator_caption(self) -> str:
        """The trendanalyse's caption of the indicator table (it names the source)."""
        return self.indicator_table.attrs.get("caption", "De indicator van de inspectie")


def _subj(s) -> str:
    return SUBJECT_LABELS.get(str(s), str(s))


def focus_subjects(year_plans, ds: Dataset) -> list[str]:
    """The leerteams' focus subjects (canonical), in plan order; all subjects with results when there is no plan."""
    from plgdata.io.norms import normalise_subject

    found = [normalise_subject(p["focusvak"]) for plan in year_plans for p in plan.year_plan.periods if p.get("focusvak")]
    present = set(ds.scores["subject"].dropna().astype(str))
    return [s for s in dict.fromkeys(found) if s in present] or sorted(present)


def group_parts(
    ds: Dataset, school_year: str, subjects: list[str], min_n: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Levels, growth and pupil counts per groep from :func:`group_overview` (the groepsoverzicht's own numbers)."""
    s = ds.scores
    groepen = sorted(
        int(g) for g in s.loc[(s["school_year"].astype("string") == school_year).fillna(False), "groep"].dropna().unique()
    )
    labels = {_subj(x) for x in subjects}
    levels, growth, pupils = [], [], []
    for g in groepen:
        go_levels, go_growth, n_pupils, n_attention, n_challenge = group_numbers(ds, g, school_year, min_n=min_n)
        lv = go_levels[go_levels["Vak"].isin(labels)]
        if "Klas" in lv.columns:
            lv = lv[lv["Klas"] == "hele groep"].drop(columns="Klas")
        levels.append(lv.assign(groep=g))
        growth.append(go_growth[go_growth["Vak"].isin(labels)].assign(groep=g))
        pupils.append({"groep": g, "n": n_pupils, "Extra aandacht": n_attention, "Meer uitdaging": n_challenge})

    def first(df):
        return df[["groep"] + [c for c in df.columns if c != "groep"]]

    levels, growth = [x for x in levels if len(x)], [x for x in growth if len(x)]
    lv = first(pd.concat(levels, ignore_index=True)) if levels else pd.DataFrame()
    gr = first(pd.concat(growth, ignore_index=True)) if growth else pd.DataFrame()
    return lv, gr, pd.DataFrame(pupils, columns=["groep", "n", "Extra aandacht", "Meer uitdaging"])


def _active_in(ds: Dataset, school_year: str) -> list[str]:
    """Ids of the interventions that ran (partly) in the school year (1 Aug – 31 Jul)."""
    y0 = int(school_year[:4])
    start, end = pd.Timestamp(y0, 8, 1), pd.Timestamp(y0 + 1, 7, 31)
    iv = ds.interventions
    ok = (iv["start"].isna() | (iv["start"] <= end)) & (iv["end"].isna() | (iv["end"] >= start))
    return iv.loc[ok.fillna(True), "intervention_id"].astype(str).tolist()


def intervention_parts(ds: Dataset, school_year: str, min_n: int) -> tuple[pd.DataFrame, list]:
    """One row per intervention of the year with the verdict of :func:`intervention_evaluation`."""
    rows, evaluations = [], []
    for iid in _active_in(ds, school_year):
        ev = evaluation_numbers(ds, iid, min_n=min_n)  # the interventie-evaluatie's own result
        evaluations.append(ev)
        r = ev.result
        row = ds.interventions[ds.interventions["intervention_id"].astype(str) == iid].iloc[0]
        ok = r is not None and ev.verdict not in ("te weinig leerlingen", "niet te scheiden")  # no effect size to show
        rows.append(
            {
                "Interventie": str(row["name"]),
                "Leerteam": row["leerteam"] if pd.notna(row["leerteam"]) else "–",
                "Vak": _subj(row["subject"]) if pd.notna(row["subject"]) else "–",
                "Opzet": design_short(r) if r is not None else "–",
                "Oordeel": ev.verdict,
                "Effectgrootte": r.headline if ok else np.nan,
                "95%-BI onder": r.headline_ci[0] if ok else np.nan,
                "95%-BI boven": r.headline_ci[1] if ok else np.nan,
                # the same effect in the test's own score points (ANCOVA), where both groups sat one test
                # (with whole classes the difference between the adjusted class means, as the interventie-evaluatie)
                "Verschil (punten)": effect_in_points(r)[0] if ok else np.nan,
                "Wat de data zeggen": ev.kernboodschap[0],
            }
        )
    cols = [
        "Interventie",
        "Leerteam",
        "Vak",
        "Opzet",
        "Oordeel",
        "Effectgrootte",
        "95%-BI onder",
        "95%-BI boven",
        "Verschil (punten)",
        "Wat de data zeggen",
    ]
    return pd.DataFrame(rows, columns=cols), evaluations


def cycle_parts(cycles, school_year: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The year's cycles (goals, state, goal met) and what each team concluded and keeps."""
    from plgdata.cycle import next_step

    goals, state, kept = [], [], []
    for c in cycles:
        if c.school_year and c.school_year != school_year or c.method == "jaarplan":
            continue
        md = c.method_def
        nxt = next_step(c)
        ls = c.lesson_study
        goal = ls.goal if c.method == "lessonstudy" else c.problem.statement
        goals.append({"Leerteam": c.leerteam, "Cyclus": c.title, "Methode": md.title, "Doel": goal})
        met = c.evaluation.goal_met
        state.append(
            {
                "Leerteam": c.leerteam,
                "Methode": md.title,
                "Cyclus": c.title,
                "Stand": "afgerond" if nxt is None else f"bij {c.label(nxt)}",
                "Doel gehaald": "–" if c.method == "lessonstudy" or met is None else ("ja" if met else "nee"),
            }
        )
        conclusion = ls.conclusions if c.method == "lessonstudy" else c.evaluation.note
        keep = "; ".join(ls.keep) if c.method == "lessonstudy" else (c.evaluation.next_cycle or "–")
        kept.append({"Leerteam": c.leerteam, "Cyclus": c.title, "Conclusie": conclusion or "–", "Borgen / vervolg": keep})
    return (
        pd.DataFrame(goals, columns=["Leerteam", "Cyclus", "Methode", "Doel"]),
        pd.DataFrame(state, columns=["Leerteam", "Methode", "Cyclus", "Stand", "Doel gehaald"]),
        pd.DataFrame(kept, columns=["Leerteam", "Cyclus", "Conclusie", "Borgen / vervolg"]),
    )


def _focus_table(year_plans) -> pd.DataFrame:
    rows = [
        {"Leerteam": plan.leerteam, "Periode": p["periode"], "Focusvak": _subj(p["focusvak"]), "Doel": p.get("doel")}
        for plan in year_plans
        for p in plan.year_plan.periods
    ]
    return pd.DataFrame(rows, columns=["Leerteam", "Periode", "Focusvak", "Doel"])


def opbrengsten_report(
    ds: Dataset,
    school_year: str | None = None,
    *,
    cycles=(),
    year_plans=(),
    signaleringswaarde_2f=None,
    plg_scan: pd.DataFrame | None = None,
    min_n: int = MIN_N,
) -> OpbrengstenReport:
    """The opbrengsten- en verantwoordingsrapport of one school year.

    Parameters
    ----------
    ds : Dataset
    school_year : str, optional
        Default: the latest year with results.
    cycles : iterable of Cycle
        The records of the year's cycles (datateam, actieonderzoek, Lesson Study).
    year_plans : iterable of Cycle
        The leerteams' year plans (``methode: jaarplan``): their focus subjects choose the subjects shown.
    signaleringswaarde_2f : float or dict, optional
        The school's 2F/1S values (:func:`plgdata.io.signalering.read_signaleringswaarden`).
    plg_scan : DataFrame, optional
        PLG-scan answers (:func:`plgdata.io.plgscan.read_plg_scan`).
    min_n : int
    """
    from plgdata.analysis.plgscan import plg_scan_summary

    year = school_year or max(ds.scores["school_year"].dropna().astype(str).unique())
    year_plans, cycles = list(year_plans), list(cycles)
    subjects = focus_subjects(year_plans, ds)
    levels, growth, pupils = group_parts(ds, year, subjects, min_n)
    tr = trend_overview(ds, signaleringswaarde_2f, min_n=min_n)  # its figures are drawn only when shown: none here
    labels = {_subj(x) for x in subjects}
    interventions, evaluations = intervention_parts(ds, year, min_n)
    goals, state, kept = cycle_parts(cycles, year)
    scan, scan_notes = plg_scan_summary(plg_scan, min_n) if plg_scan is not None else (pd.DataFrame(), [])
    trend = tr.school_trend[tr.school_trend["Vak"].isin(labels)].reset_index(drop=True)
    figures = {team: plg_scan_figure(scan, team) for team in dict.fromkeys(scan["leerteam"])} if len(scan) else {}
    team_growth = {
        plan.leerteam: growth[growth["Vak"].isin({_subj(x) for x in focus_subjects([plan], ds)})].reset_index(drop=True)
        for plan in year_plans
        if plan.leerteam in figures and len(growth)
    }
    can, cannot = _what_we_can_conclude(growth, interventions, tr.indicator, len(tr.years), plg_scan is not None, min_n)
    kern = [f"Schooljaar {year}: focusvakken {', '.join(_subj(s).lower() for s in subjects)}."] + can[:3]
    kern.append("Wat we niet kunnen concluderen staat in het laatste hoofdstuk; lees dat mee.")
    tone = "let-op" if any("onder de signaleringswaarde" in c for c in can) else "neutraal"
    op = OpbrengstenReport(
        title=f"Opbrengsten- en verantwoordingsrapport {year}",
        school_year=year,
        kernboodschap=kern,
        tone=tone,
        focus=_focus_table(year_plans),
        goals=goals,
        levels=levels,
        growth=growth,
        trend=trend,
        trend_figure=tr.school_figure,
        referentie=tr.referentie_average,
        referentie_sentence=tr.referentie_sentence,
        interventions=interventions,
        cycles=state,
        pupils=pupils,
        kept=kept,
        plg_scan=scan,
        plg_scan_notes=scan_notes,
        plg_scan_figures=figures,
        team_growth=team_growth,
        can_conclude=can,
        cannot_conclude=cannot,
        notes=list(tr.notes),
        questions=_questions(),
        min_n=min_n,
        indicator_table=tr.indicator_table,
    )
    op.board_summary = board_summary(op, list(zip(interventions["Interventie"], evaluations)))
    return op


def _what_we_can_conclude(
    growth, interventions, indicator, n_years: int, has_scan: bool, min_n: int
) -> tuple[list[str], list[str]]:
    """Plain-Dutch sentences: what the numbers show, and what they cannot show."""
    can, cannot = [], []
    if len(growth) and "z ondergrens" in growth.columns:
        ok = growth[growth["Gemiddelde groei in z"].notna()]
        faster, slower, m = growth_claims(ok)
        for lab, mask in (("sneller", faster), ("langzamer", slower)):
            hits = [f"{r['Vak'].lower()} groep {r['groep']}" for _, r in ok[mask].iterrows()]
            if hits:
                can.append(f"Aantoonbaar {lab} gegroeid dan de landelijke norm: {', '.join(hits)}.")
        if m:
            can.append(family_sentence(m, "per groep en vak de groei met de landelijke norm"))
    if indicator is not None:  # the Inspectie's one indicator (trendanalyse), not a judgement per subject
        can.append("Referentieniveaus groep 8: " + indicator.sentence())
    _intervention_claims(interventions, can, cannot)
    cannot.append(
        "Of de leerwinst dóór het werk van de leerteams komt, bewijzen deze cijfers niet: er is geen vergelijking met een school "
        "die het niet deed, en veel andere dingen veranderen in een jaar."
    )
    if n_years < 3:
        cannot.append("Er zijn minder dan drie schooljaren: nog geen trend.")
    if has_scan:
        cannot.append(
            "De PLG-scan is hoe leerkrachten hun leerteam zelf zien; dat hij naast de leerwinst staat, zegt niets over oorzaak en gevolg."
        )
    cannot.append(
        f"Groepen met minder dan {min_n} leerlingen tonen geen cijfers; bij minder dan 10 leerlingen zijn cijfers een indicatie."
    )
    return can, cannot


def _design(r) -> str:
    """`` (cohortvergelijking)``: the design beside an intervention's name, when the table has one."""
    return f" ({r['Opzet']})" if "Opzet" in r.index and r["Opzet"] not in (None, "", "–") else ""


def _intervention_claims(interventions: pd.DataFrame, can: list[str], cannot: list[str]) -> None:
    """The interventions' verdicts as one family: a 'positief'/'negatief' verdict stands only when its
    effect also survives Holm's correction over every intervention with an estimate (p from the
    headline's 95% interval, normal approximation); the rest is said under what we cannot conclude."""
    est, lo, hi = (interventions[c].to_numpy(dtype="float64") for c in ("Effectgrootte", "95%-BI onder", "95%-BI boven"))
    p = np.array([normal_p_value(e, a, b) for e, a, b in zip(est, lo, hi, strict=True)])
    claims = holm_claims(p)
    m = int(np.isfinite(p).sum())
    for (_, r), claim in zip(interventions.iterrows(), claims, strict=True):
        effect = (
            f"{fmt_num(r['Effectgrootte'], 2)} sd (95%-BI {fmt_num(r['95%-BI onder'], 2)} tot {fmt_num(r['95%-BI boven'], 2)})"
        )
        if r["Oordeel"] in ("positief", "negatief") and (claim or m < 2):
            can.append(f"{r['Interventie']}{_design(r)}: {r['Oordeel']} effect, {effect}.")
        elif r["Oordeel"] in ("positief", "negatief"):
            cannot.append(
                f"{r['Interventie']}{_design(r)}: {r['Oordeel']} effect op zichzelf ({effect}), maar het houdt geen stand na de "
                f"Holm-correctie voor {m} interventies: lees het als een aanwijzing, niet als bewijs."
            )
        else:
            cannot.append(f"{r['Interventie']}: {r['Oordeel']} — {r['Wat de data zeggen']}")
    if m > 1:
        can.append(family_sentence(m, "de effecten van de interventies van dit jaar"))


def _questions() -> dict[int, list[str]]:
    return {
        1: ["Kozen de leerteams hun focusvakken op grond van de data van vorig jaar?"],
        2: ["Waar groeiden leerlingen aantoonbaar sneller of langzamer dan de norm, en wat deden we daar anders?"],
        3: ["Welke interventie zetten we voort, welke passen we aan en welke stoppen we, en waarom?"],
        4: ["Krijgen leerlingen die het al kunnen genoeg uitdaging, en wat borgen de leerteams daarvoor?"],
    }


def plg_scan_figure(scan: pd.DataFrame, team: str) -> ReportFigure:
    """Mean score per bouwsteen with its 95%-BI, one colour per school year (only years with enough respondents)."""
    from plgdata.io.plgscan import BOUWSTENEN
    from plgdata.plots import style

    part = scan[scan["leerteam"] == team]
    years = sorted(part["school_year"].unique())
    with style.plot_style():
        # tall enough for two-line bouwsteen names; the legend above the axes, the scale words under their number
        fig, ax = style.new_figure(figsize=(9.0, 0.75 * len(BOUWSTENEN) + 1.8))
        for i, year in enumerate(years):
            d = part[part["school_year"] == year].set_index("bouwsteen").reindex(list(BOUWSTENEN))
            y = np.arange(len(BOUWSTENEN)) + (i - (len(years) - 1) / 2) * 0.25
            ax.errorbar(
                d["mean"],
                y,
                xerr=[d["mean"] - d["ci_low"], d["ci_high"] - d["mean"]],
                fmt=style.series_style(i)["marker"],  # each year its own marker: apart in greyscale too
                capsize=3,
                color=style.series_style(i)["color"],
                label=f"{year} (n = {int(d['n'].max())})",
            )
        ax.set_yticks(range(len(BOUWSTENEN)), [style.wrap_label(b, 30) for b in BOUWSTENEN])
        ax.invert_yaxis()
        ax.set_xlim(0.85, 4.15)
        ax.set_xticks([1, 2, 3, 4], ["1\nnog niet", "2\neen beetje", "3\ngrotendeels", "4\nhelemaal"])
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=max(1, len(years)), frameon=False)
        ax.set_title(f"PLG-scan: {team}", loc="left", pad=34)
    means = "; ".join(f"{y}: gemiddeld {fmt_num(part.loc[part['school_year'] == y, 'mean'].mean(), 1)}" for y in years)
    style.set_alt_text(
        fig, f"Gemiddelde score per bouwsteen met 95%-betrouwbaarheidsinterval voor {team}, per schooljaar ({means})."
    )
    return ReportFigure(
        fig,
        style.get_alt_text(fig),
        "Hoe de leerkrachten hun leerteam zelf zien (1 tot en met 4). Alleen gemiddelden van minstens "
        f"{MIN_N} leerkrachten; de strepen zijn 95%-intervallen die binnen de schaal blijven.",
    )


def bestuur_overview(
    datasets: dict, signaleringswaarden: dict | None = None, *, min_n: int = MIN_N
) -> tuple[pd.DataFrame, list[str]]:
    """Several schools side by side: groep-8 referentieniveaus (trendanalyse numbers) with a 95% interval.

    Parameters
    ----------
    datasets : dict
        School name -> Dataset.
    signaleringswaarden : dict, optional
        School name -> its 2F/1S value(s) (they differ per school: schoolweging).

    Returns
    -------
    (DataFrame, list of str)
        One row per school and subject, **ordered by school name, never by result**:
        ``School``, ``Vak``, ``n`` (groep-8 pupils in the years the average is taken over, the
        latest three: never the pupils of other years), ``avg_1f`` with its Wilson interval
        ``ci_low``/``ci_high`` (statsmodels, from round(avg_1f · n) of those n), ``sw_1f``, ``avg_2f``, ``sw_2f``.  A school
        with fewer than ``min_n`` pupils shows no numbers; the notes say which.
    """
    from statsmodels.stats.proportion import proportion_confint

    rows, notes = [], []
    for school in sorted(datasets):
        tr = trend_overview(datasets[school], (signaleringswaarden or {}).get(school), min_n=min_n)
        for fig in [tr.school_figure, *tr.cross_figures.values(), *tr.cohort_figures.values(), tr.referentie_figure]:
            if fig is not None:
                fig.close()
        per_year = tr.referentieniveaus
        for _, r in tr.referentie_average.iterrows():
            years = {y.strip() for y in str(r["years"]).split(",")}
            same = (per_year["Vak"] == r["Vak"]) & per_year["Schooljaar"].astype(str).isin(years)
            n = int(per_year.loc[same, "n"].sum())
            small = n < min_n
            lo, hi = proportion_confint(round(r["avg_1f"] * n), n, method="wilson") if not small else (np.nan, np.nan)
            rows.append(
                {
                    "School": school,
                    "Vak": r["Vak"],
                    "n": n,
                    "avg_1f": np.nan if small else r["avg_1f"],
                    "ci_low": lo,
                    "ci_high": hi,
                    "sw_1f": r["sw_1f"],
                    "avg_2f": np.nan if small else r["avg_2f"],
                    "sw_2f": r["sw_2f"],
                }
            )
            if small:
                notes.append(f"{school}, {str(r['Vak']).lower()}: minder dan {min_n} leerlingen in groep 8; geen cijfers.")
    notes.append(
        "De scholen staan op naam, niet op volgorde van resultaat: verschillen binnen de betrouwbaarheidsintervallen zijn geen rangorde."
    )
    return pd.DataFrame(rows, columns=["School", "Vak", "n", "avg_1f", "ci_low", "ci_high", "sw_1f", "avg_2f", "sw_2f"]), notes
