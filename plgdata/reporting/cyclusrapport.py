"""The *Cyclusrapport*: where the datateam cycle (or actieonderzoek) stands.

Everything comes from the cycle record: the evaluation of each measure is what step 8
recorded (:func:`plgdata.cycle.evaluation_entry`, written by notebook 08 through
:func:`plgdata.analysis.evaluation.evaluate_intervention`), read back, not computed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from plgdata.cycle import entry_for_measure, loops_table, next_step, step_status
from plgdata.model.labels import fmt_date, fmt_num, fmt_pct, label, report_columns
from plgdata.plots.goals import plot_goal_values
from plgdata.reporting.common import ReportFigure, plural, report_figure

__all__ = ["CycleOverview", "cycle_overview", "evaluation_text"]

#: the questions the team asks itself
TEAM_QUESTIONS: tuple[str, ...] = (
    "Klopt de probleemdefinitie nog, of weten we nu meer?",
    "Welke hypothese toetsen we als volgende, en met welke data?",
    "Wordt elke maatregel uitgevoerd zoals afgesproken, en wanneer evalueren we?",
    "Wat nemen we mee naar de volgende cyclus?",
)

#: what the cyclusrapport says for a measure whose evaluation the record does not hold yet
NOT_EVALUATED = "Nog niet geëvalueerd (stap 8 van de cyclus)."


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
    measures: pd.DataFrame  # Id, Omschrijving, Interventie, Hypothese, Wat de data zeggen
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


def _parts_table(rows) -> pd.DataFrame:
    """``[(part, text), ...]`` as an Onderdeel/Waarde table, empty texts left out."""
    return report_columns(
        pd.DataFrame([{"part": k, "text": v} for k, v in rows if v not in (None, "")], columns=["part", "text"])
    )


def _problem_table(p) -> pd.DataFrame:
    goal = (f"{p.direction} " if p.direction else "") + _val(p.goal_value) if p.goal_value is not None else None
    return _parts_table(
        [
            ("Probleem", p.statement),
            ("Maat", p.metric),
            ("Huidige waarde", _val(p.current_value) if p.current_value is not None else None),
            ("Berekend uit", p.basis),
            ("Doel", goal),
            ("Deadline", fmt_date(p.deadline)),
            ("Onderzoeksvraag", p.question),
        ]
    )


def _goal_figure(problem, evaluation) -> ReportFigure | None:
    vals = [("nu (start)", problem.current_value), ("doel", problem.goal_value), ("behaald", evaluation.achieved_value)]
    vals = [(k, float(v)) for k, v in vals if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(vals) < 2 or not any(k == "doel" for k, _ in vals):
        return None
    return report_figure(plot_goal_values(vals))


def _hypotheses_table(cycle) -> pd.DataFrame:
    rows = []
    for h in cycle.hypotheses:
        v = cycle.verdicts.get(h.id)
        rows.append(
            {
                "id": h.id,
                "kind": h.kind or "–",
                "statement": h.statement or "–",
                "decision_rule": h.decision_rule or "–",
                "verdict": (v.verdict if v and v.verdict else "nog geen oordeel"),
                "interpretation": (v.interpretation if v and v.interpretation else "–"),
                "revises": h.revises or "–",
            }
        )
    return report_columns(
        pd.DataFrame(rows, columns=["id", "kind", "statement", "decision_rule", "verdict", "interpretation", "revises"])
    )


def _measures_table(cycle) -> pd.DataFrame:
    """The measures with what the recorded evaluation of each says."""
    rows = []
    for mz in cycle.measures:
        entry = entry_for_measure(cycle, mz.id)
        said = entry.get("oordeel") if entry and entry.get("oordeel") else (NOT_EVALUATED if mz.intervention_id else "–")
        rows.append(
            {
                "id": mz.id,
                "description": mz.description or "–",
                "intervention_id": mz.intervention_id or "–",
                "hypothesis_id": mz.hypothesis_id or "–",
                "data_says": said,
            }
        )
    table = pd.DataFrame(rows, columns=["id", "description", "intervention_id", "hypothesis_id", "data_says"])
    return report_columns(table).rename(columns={"description": label("description")})


def _number(v, decimals: int = 2) -> str:
    if isinstance(v, float):
        return fmt_num(v, decimals)
    return _val(v)


def evaluation_text(entry) -> str:
    """One recorded comparison as Dutch prose (a :func:`plgdata.cycle.evaluation_entry`;
    other mappings as "label: value" pairs)."""
    if not isinstance(entry, dict):
        return str(entry)
    if "maatregel" not in entry or "oordeel" not in entry:
        return "; ".join(f"{label(k)}: {_number(v)}" for k, v in entry.items())
    e = entry
    parts = [f"Maatregel {e['maatregel']}" + (f" (interventie {e['interventie']})" if e.get("interventie") else "") + "."]
    if e.get("opzet"):
        parts.append(
            f"Opzet: {e['opzet']}" + (f", vergeleken met {e['vergelijkingsgroep']}" if e.get("vergelijkingsgroep") else "") + "."
        )
    if e.get("voormeting"):
        parts.append(f"Voormeting {e['voormeting']}, nameting {e['nameting']}.")
    if e.get("jaargangen_nieuw"):
        parts.append(f"Jaargangen {e['jaargangen_nieuw']} tegenover {e['jaargangen_eerder']}.")
    if e.get("n_interventie") is not None:
        parts.append(
            f"{plural(int(e['n_interventie']), 'leerling', 'leerlingen')} in de interventie, "
            f"{int(e.get('n_vergelijking') or 0)} in de vergelijking."
        )
    if e.get("schatting") is not None and e.get("effectgrootte"):
        parts.append(f"Effectmaat: {e['effectgrootte']}.")
    parts.append(str(e["oordeel"]))  # the verdict names the estimate and its 95% interval
    return " ".join(parts)


def _evaluation_table(e) -> pd.DataFrame:
    rows = [
        ("Behaalde waarde", _val(e.achieved_value) if e.achieved_value is not None else None),
        ("Doel gehaald", None if e.goal_met is None else _val(e.goal_met)),
        ("Toelichting", e.note),
        ("Volgende cyclus", e.next_cycle),
    ]
    rows += [(f"Vergelijking {i}", evaluation_text(c)) for i, c in enumerate(e.comparisons, start=1)]
    return _parts_table(rows)


def _kernboodschap(cycle, next_label: str | None) -> tuple[list[str], str]:
    p, e, md = cycle.problem, cycle.evaluation, cycle.method_def
    kern = [
        f"Alle {len(md.steps)} {md.word.lower()}pen van de cyclus zijn klaar."
        if next_label is None
        else f"De cyclus staat bij {next_label}."
    ]
    if p.statement:
        kern.append(f"Probleem: {p.statement}")
    if p.goal_value is not None:
        kern.append(
            f"Doel: {(p.direction + ' ') if p.direction else ''}{_val(p.goal_value)}"
            + (f", uiterlijk {fmt_date(p.deadline)}" if p.deadline else "")
            + "."
        )
    if cycle.hypotheses:
        n_conf = sum(1 for v in cycle.verdicts.values() if v.verdict == "bevestigd")
        n_rej = sum(1 for v in cycle.verdicts.values() if v.verdict == "verworpen")
        kern.append(
            f"{plural(len(cycle.hypotheses), 'hypothese', 'hypothesen')}: {n_conf} bevestigd, {n_rej} verworpen"
            + (f"; het team ging {plural(len(cycle.loops), 'keer', 'keer')} terug naar een eerdere stap." if cycle.loops else ".")
        )
    if e.goal_met is True:
        return [*kern, "Het doel is gehaald."], "goed"
    if e.goal_met is False:
        return [*kern, "Het doel is (nog) niet gehaald."], "let-op"
    return kern, "neutraal"


def cycle_overview(cycle) -> CycleOverview:
    """The *Cyclusrapport* of a cycle record (:func:`plgdata.cycle.load_cycle`).

    The measures show the evaluation step 8 recorded for them; every text typed by
    the team is returned as is (plain text); the report's building blocks escape it.
    """
    md = cycle.method_def
    nxt = next_step(cycle)
    next_label = cycle.label(nxt) if nxt is not None else None
    kern, tone = _kernboodschap(cycle, next_label)
    subtitle = ", ".join(x for x in (f"leerteam {cycle.leerteam}" if cycle.leerteam else None, cycle.school_year, md.title) if x)
    return CycleOverview(
        title=f"Cyclusrapport: {cycle.title}" if cycle.title else "Cyclusrapport",
        subtitle=subtitle,
        kernboodschap=kern,
        tone=tone,
        steps=step_status(cycle),
        next_step=next_label,
        problem=_problem_table(cycle.problem),
        goal_figure=_goal_figure(cycle.problem, cycle.evaluation),
        hypotheses=_hypotheses_table(cycle),
        loops=loops_table(cycle),
        measures=_measures_table(cycle),
        evaluation=_evaluation_table(cycle.evaluation),
        questions=list(TEAM_QUESTIONS),
    )
