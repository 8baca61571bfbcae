"""The content of the *Lesson Study-rapport* and the *jaaroverzicht* of the leerteams, as values.

Lesson Study data is mostly qualitative: the report puts the team's predictions next to
what the observers saw, per case pupil and lesson phase, for both lessons, counts how
often the prediction held, and says what changed between the lessons and what the team
keeps.  Case pupils appear by their code (A, B, C) and the level they were chosen at —
never by pseudonym or name.  All text a teacher typed is returned as plain text; the
html building blocks escape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from plgdata.cycle import lesson_comparison, prediction_summary, year_plan_tables
from plgdata.cycle.methods import MATCHES
from plgdata.model.labels import SUBJECT_LABELS, fmt_date, fmt_pct
from plgdata.plots import style
from plgdata.reporting.common import ReportFigure


@dataclass
class LessonStudyOverview:
    """Everything the Lesson Study report shows (user text plain; escape on output)."""

    title: str
    subtitle: str
    kernboodschap: list[str]
    tone: str
    question: pd.DataFrame  # Onderdeel, Waarde
    cases: pd.DataFrame  # Casusleerling, Niveau, Gekozen op
    lessons: pd.DataFrame  # Les, Datum, Docent, Fases
    comparison: pd.DataFrame  # lesson_comparison
    summary: pd.DataFrame  # prediction_summary
    figure: ReportFigure | None
    changes: str | None
    interviews: pd.DataFrame  # Casusleerling, Les 1, Les 2
    debriefs: pd.DataFrame  # Les, Nabespreking
    conclusions: str | None
    keep: list[str]
    own_measurements: pd.DataFrame  # Meting, Schaal, Ontwerp, n ..., Effect, 95%-BI, Wat de data zeggen
    questions: list[str] = field(default_factory=list)


def _match_figure(summary: pd.DataFrame) -> ReportFigure | None:
    if summary.empty or summary["Waarnemingen"].sum() == 0:
        return None
    with style.plot_style():
        fig, ax = style.new_figure(figsize=(7.5, 3.8))
        colors = {"ja": style.COLORS["good"], "deels": style.COLORS["norm"], "nee": style.COLORS["bad"]}
        left = [0] * len(summary)
        for m in MATCHES:
            vals = summary[f"Klopt: {m}"].tolist()
            ax.barh(summary["Les"], vals, left=left, color=colors[m], label=f"voorspelling klopte: {m}")
            left = [a + b for a, b in zip(left, vals)]
        ax.set_xlabel("Aantal waarnemingen (casusleerling × lesfase)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, frameon=False)
        ax.invert_yaxis()
        ax.set_title("Klopte de voorspelling van het team?")
    parts = "; ".join(
        f"{r['Les']}: {r['Klopt: ja']} keer ja, {r['Klopt: deels']} keer deels, {r['Klopt: nee']} keer nee"
        for _, r in summary.iterrows()
    )
    style.set_alt_text(fig, f"Liggende staven per les met hoe vaak de voorspelling klopte: {parts}.")
    return ReportFigure(fig, style.get_alt_text(fig), "Per les: hoe vaak zag de observant wat het team voorspeld had.")


def lesson_study_overview(cycle) -> LessonStudyOverview:
    """The *Lesson Study-rapport* of one record (``methode: lessonstudy``)."""
    ls = cycle.lesson_study
    subj = SUBJECT_LABELS.get(ls.subject or "", ls.subject or "–")
    question = pd.DataFrame(
        [
            {"Onderdeel": k, "Waarde": v}
            for k, v in (
                ("Onderzoeksvraag", ls.question),
                ("Leerdoel", ls.goal),
                ("Focusvak", subj),
                ("Klas", ls.klas),
                ("Casusleerlingen gekozen op", ls.test_basis),
                ("Toelichting", ls.note),
            )
            if v
        ],
        columns=["Onderdeel", "Waarde"],
    )
    cases = pd.DataFrame(
        [{"Casusleerling": c.code, "Niveau": c.level, "Gekozen op": c.reason} for c in ls.cases],
        columns=["Casusleerling", "Niveau", "Gekozen op"],
    )
    lessons = pd.DataFrame(
        [
            {
                "Les": "onderzoeksles" if k == 1 else "herziene les",
                "Datum": fmt_date(les.date),
                "Docent": les.teacher,
                "Fases": " → ".join(les.phase_names()),
            }
            for k, les in ls.lessons.items()
        ],
        columns=["Les", "Datum", "Docent", "Fases"],
    )
    summary = prediction_summary(cycle)
    interviews = pd.DataFrame(
        [
            {
                "Casusleerling": c.code,
                "Les 1": ls.lessons[1].interviews.get(c.code),
                "Les 2": ls.lessons[2].interviews.get(c.code),
            }
            for c in ls.cases
        ],
        columns=["Casusleerling", "Les 1", "Les 2"],
    )
    debriefs = pd.DataFrame(
        [{"Les": f"les {k}", "Nabespreking": les.debrief} for k, les in ls.lessons.items() if les.debrief],
        columns=["Les", "Nabespreking"],
    )
    kern, tone = _ls_kernboodschap(cycle, summary)
    return LessonStudyOverview(
        title=f"Lesson Study: {cycle.title}" if cycle.title else "Lesson Study",
        subtitle=", ".join(x for x in (cycle.leerteam, cycle.school_year, subj) if x),
        kernboodschap=kern,
        tone=tone,
        question=question,
        cases=cases,
        lessons=lessons,
        comparison=lesson_comparison(cycle),
        summary=summary,
        figure=_match_figure(summary),
        changes=ls.lessons[2].changes,
        interviews=interviews,
        debriefs=debriefs,
        conclusions=ls.conclusions,
        keep=[str(k) for k in ls.keep],
        own_measurements=_own_measurements(ls.own_measurements),
        questions=[
            "Waar zat onze voorspelling ernaast, en wat zegt dat over hoe wij naar deze leerlingen kijken?",
            "Welke verandering tussen les 1 en les 2 maakte het verschil, en voor welke casusleerling?",
            "Hoe zorgen we dat wat we borgen ook in de andere groepen gebeurt?",
            "Willen we het effect ook meten (een korte voor- en nameting), of blijft dit een kwalitatief inzicht?",
        ],
    )


def _own_measurements(entries: list) -> pd.DataFrame:
    """The own small measurements as a Dutch table (they are on their own scale, never an LVS score)."""
    from plgdata.analysis.compare import DESIGN_LABELS

    rows = [
        {
            "Meting": x.get("meting"),
            "Schaal": x.get("schaal"),
            "Ontwerp": DESIGN_LABELS.get(x.get("ontwerp"), x.get("ontwerp")),
            "n Lesson Study-klas": x.get("n_interventie"),
            "n vergelijking": x.get("n_vergelijking"),
            "Effect": x.get("effect"),
            "95%-BI onder": x.get("bi_onder"),
            "95%-BI boven": x.get("bi_boven"),
            "Wat de data zeggen": x.get("uitleg"),
        }
        for x in entries
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "Meting",
            "Schaal",
            "Ontwerp",
            "n Lesson Study-klas",
            "n vergelijking",
            "Effect",
            "95%-BI onder",
            "95%-BI boven",
            "Wat de data zeggen",
        ],
    )


def _ls_kernboodschap(cycle, summary: pd.DataFrame) -> tuple[list[str], str]:
    ls = cycle.lesson_study
    kern = [f"Onderzoeksvraag: {ls.question}"] if ls.question else []
    shares = summary["Aandeel zoals voorspeld"].tolist()
    if len(shares) == 2 and all(s is not None and not pd.isna(s) for s in shares):
        kern.append(
            f"In de onderzoeksles klopte de voorspelling van het team bij {fmt_pct(shares[0])} van de waarnemingen, "
            f"in de herziene les bij {fmt_pct(shares[1])}."
        )
    if ls.keep:
        kern.append(f"Het team borgt {len(ls.keep)} afspra{'ak' if len(ls.keep) == 1 else 'ken'}; zie 'Wat we borgen'.")
    kern.append(
        "Dit zijn waarnemingen bij drie leerlingen in twee lessen: een inzicht voor ons onderwijs, geen meting van leerwinst."
    )
    kern += [f"Eigen meting ({x.get('meting')}): {x.get('uitleg')}" for x in ls.own_measurements if x.get("uitleg")]
    done = all(s.status == "klaar" for s in cycle.steps.values())
    return kern, "goed" if done else "neutraal"


# ===========================================================================
# Jaaroverzicht van de leerteams
# ===========================================================================


@dataclass
class YearOverview:
    """The *jaaroverzicht*: per leerteam its plan, the cycles and their state, the talks."""

    title: str
    kernboodschap: list[str]
    teams: dict[str, dict[str, pd.DataFrame]]  # leerteam -> perioden, cycli, bijeenkomsten, gesprekken
    questions: list[str] = field(default_factory=list)


def _cycle_state(row: pd.Series, record_dir: Path | None) -> str:
    from plgdata.cycle import CycleError, load_cycle, next_step

    file = row.get("_bestand")
    if not file or record_dir is None or not (record_dir / file).exists():
        return "geen verslag gevonden"
    try:
        c = load_cycle(record_dir / file)
    except CycleError:
        return "verslag niet te lezen"
    nxt = next_step(c)
    return "afgerond" if nxt is None else f"bij {c.label(nxt)}"


def year_overview(plans, record_dir: str | Path | None = None) -> YearOverview:
    """The jaaroverzicht of one or more year plans; cycle files are looked up in ``record_dir``."""
    record_dir = Path(record_dir) if record_dir else None
    teams, kern = {}, []
    for plan in plans:
        t = year_plan_tables(plan)
        files = [c.get("bestand") for c in plan.year_plan.cycles]
        cyc = t["cycli"].assign(_bestand=files)
        cyc["Stand"] = [_cycle_state(r, record_dir) for _, r in cyc.iterrows()]
        t["cycli"] = cyc.drop(columns="_bestand")
        t["bijeenkomsten"] = pd.DataFrame(
            {
                "Bijeenkomsten": [len(t["bijeenkomsten"])],
                "Eerste": [t["bijeenkomsten"]["Datum"].iloc[0] if len(t["bijeenkomsten"]) else None],
                "Laatste": [t["bijeenkomsten"]["Datum"].iloc[-1] if len(t["bijeenkomsten"]) else None],
            }
        )
        team = plan.leerteam or plan.title or "leerteam"
        teams[team] = t
        focus = ", ".join(dict.fromkeys(SUBJECT_LABELS.get(p["focusvak"], p["focusvak"]).lower() for p in plan.year_plan.periods))
        done = sum(s == "afgerond" for s in t["cycli"]["Stand"])
        talks = len([x for x in plan.year_plan.talks if x.get("uitkomst")])
        kern.append(
            f"{team}: focus op {focus or '–'}; {done} van {len(t['cycli'])} cycli afgerond; {talks} van 3 gesprekken gevoerd."
        )
    years = sorted({p.school_year for p in plans if p.school_year})
    return YearOverview(
        title="Jaaroverzicht van de leerteams" + (f" {', '.join(years)}" if years else ""),
        kernboodschap=kern or ["Er is nog geen jaarplan."],
        teams=teams,
        questions=[
            "Paste het focusvak van elke periode bij wat de data van vorig jaar lieten zien?",
            "Welke cyclus liep niet af, en wat hield hem tegen?",
            "Wat nemen we uit het evaluatiegesprek mee naar het jaarplan van volgend jaar?",
        ],
    )
