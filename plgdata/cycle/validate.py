"""Does a cycle record hold together?  Every problem as a Dutch message naming step and field."""

from __future__ import annotations

import math
import re

from plgdata.cycle import methods as m
from plgdata.cycle.errors import CycleError, CycleProblem
from plgdata.cycle.plain import is_iso_date
from plgdata.cycle.record import Cycle

_SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")


class _Collector:
    def __init__(self, cycle: Cycle):
        self.cycle = cycle
        self.problems: list[CycleProblem] = []

    def add(self, step: int | None, field: str, text: str, item: str | None = None, item_word: str = "") -> None:
        if step is None:
            name = item_word or "Cyclus"
            head = name if not item else f"{name}, {item}"
        else:
            name = self.cycle.method_def.step(step).name
            head = self.cycle.label(step)
            if item:
                head += f", {item_word} {item}" if item_word else f", {item}"
        self.problems.append(CycleProblem(step, name, field, f"{head}, veld '{field}': {text}", item))


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))


def _empty(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, dict)) and not v)


def intervention_ids(interventions) -> set[str] | None:
    """The set of intervention ids in a table, a :class:`Dataset` or an iterable of ids."""
    if interventions is None:
        return None
    table = getattr(interventions, "interventions", interventions)
    columns = getattr(table, "columns", None)
    if columns is not None:
        for col in ("intervention_id", "Interventie-id"):
            if col in columns:
                return {str(v).strip() for v in table[col].dropna()}
        raise CycleError("De interventietabel heeft geen kolom 'intervention_id' (Interventie-id).")
    return {str(v).strip() for v in interventions}


def validate_cycle(cycle: Cycle, interventions=None) -> list[CycleProblem]:
    """All problems in ``cycle``, in step order; an empty list when it holds together.

    Parameters
    ----------
    cycle : Cycle
    interventions : DataFrame, Dataset, iterable of str, optional
        The interventions table (column ``intervention_id``) or its ids.  When given,
        every measure must name an intervention in it.

    Returns
    -------
    list of CycleProblem
        Each with the step number, the Dutch step name, the field and a Dutch message
        such as ``"Stap 2 (Hypothesen), hypothese H2, veld 'beslisregel': er is geen
        beslisregel ..."``.
    """
    c = _Collector(cycle)
    method = cycle.method_def
    ids = intervention_ids(interventions)

    if _empty(cycle.title):
        c.add(None, "titel", "de cyclus heeft geen titel; geef hem een korte naam (bijv. 'Begrijpend lezen groep 6').")
    for s in method.steps:
        state = cycle.steps.get(s.number)
        status = state.status if state else m.STATUS_OPEN
        if status not in m.STATUSES:
            c.add(s.number, "status", f"'{status}' is geen geldige status; kies {m.dutch_list(m.STATUSES)}.")
        if s.section in m.PART_OF:
            for field, text, item, word in getattr(cycle, m.PART_OF[s.section]).problems(s.section, status):
                c.add(s.number, field, text, item, word)
        elif s.section == m.PROBLEM:
            _check_problem(c, cycle, s.number, status)
        elif s.section == m.HYPOTHESES:
            _check_hypotheses(c, cycle, s.number, status)
        elif s.section == m.DATA:
            _check_data(c, cycle, s.number, status)
        elif s.section == m.QUALITY:
            _check_quality(c, cycle, s.number, status)
        elif s.section == m.ANALYSIS:
            for hid in cycle.analyses:
                if cycle.hypothesis(hid) is None:
                    c.add(
                        s.number,
                        "resultaten",
                        f"er is een resultaat voor hypothese '{hid}', maar die staat niet in stap 2.",
                        hid,
                        "hypothese",
                    )
        elif s.section == m.VERDICTS_SECTION:
            _check_verdicts(c, cycle, s.number)
        elif s.section == m.MEASURES:
            _check_measures(c, cycle, s.number, status, ids)
        elif s.section == m.DEEPENING:
            if status == m.STATUS_DONE and _empty(cycle.deepening.insights):
                c.add(s.number, "inzichten", "deze fase staat op 'klaar', maar er staan geen inzichten uit de verdieping.")
        elif s.section == m.EVALUATION:
            _check_evaluation(c, cycle, s.number, status)
    _check_loops(c, cycle)
    for step, item, key in cycle.unknown_fields:
        text = "dit veld kent plgdata niet (een tikfout?); het wordt bij opslaan niet bewaard."
        if step is None:
            c.add(None, key, text, None, "Cyclus" if item is None else item.capitalize())
        else:
            c.add(step, key, text, item, "")
    return c.problems


def _check_problem(c: _Collector, cycle: Cycle, n: int, status: str) -> None:
    p = cycle.problem
    if status == m.STATUS_DONE:
        for field, value, what in (
            ("stelling", p.statement, "probleemstelling"),
            ("maat", p.metric, "maat"),
            ("doelwaarde", p.goal_value, "doelwaarde"),
        ):
            if _empty(value):
                c.add(n, field, f"de stap staat op 'klaar', maar er is geen {what}.")
    for field, value in (("huidige_waarde", p.current_value), ("doelwaarde", p.goal_value)):
        if value is not None and not _is_number(value):
            c.add(n, field, f"'{value}' is geen getal; schrijf een aandeel als getal tussen 0 en 1 (25% wordt 0.25).")
    if p.goal_value is not None and _empty(p.deadline):
        c.add(n, "deadline", "een doel zonder deadline is niet meetbaar; vul in wanneer het doel bereikt moet zijn (JJJJ-MM-DD).")
    if not _empty(p.deadline) and not is_iso_date(p.deadline):
        c.add(n, "deadline", f"'{p.deadline}' is geen geldige datum; schrijf de datum als JJJJ-MM-DD (bijv. 2026-06-30).")
    if not _empty(p.deadline) and p.goal_value is None:
        c.add(n, "doelwaarde", "er is een deadline, maar geen doelwaarde: wat moet er op die datum bereikt zijn?")
    if p.direction is not None and p.direction not in m.DIRECTIONS:
        c.add(n, "doel_is", f"'{p.direction}' is onbekend; kies {m.dutch_list(m.DIRECTIONS)}.")


def _check_hypotheses(c: _Collector, cycle: Cycle, n: int, status: str) -> None:
    if status == m.STATUS_DONE and not cycle.hypotheses:
        c.add(n, "hypothesen", "de stap staat op 'klaar', maar er is nog geen hypothese.")
    seen: set[str] = set()
    for i, h in enumerate(cycle.hypotheses, start=1):
        item = h.id or f"nr. {i}"
        if _empty(h.id):
            c.add(n, "id", "de hypothese heeft geen id; geef haar een korte code (bijv. H1).", item, "hypothese")
        elif h.id in seen:
            c.add(n, "id", f"het id '{h.id}' komt vaker voor; geef elke hypothese een eigen id.", item, "hypothese")
        seen.add(h.id)
        if _empty(h.kind):
            c.add(n, "soort", f"de soort ontbreekt; kies {m.dutch_list(m.HYPOTHESIS_KINDS)}.", item, "hypothese")
        elif h.kind not in m.HYPOTHESIS_KINDS:
            c.add(n, "soort", f"'{h.kind}' is geen soort hypothese; kies {m.dutch_list(m.HYPOTHESIS_KINDS)}.", item, "hypothese")
        if _empty(h.statement):
            c.add(n, "stelling", "er is geen stelling: wat denkt het team dat de oorzaak is?", item, "hypothese")
        if _empty(h.data):
            c.add(n, "data", "er staat niet met welke data de hypothese getoetst wordt.", item, "hypothese")
        if _empty(h.test_kind):
            c.add(n, "analyse.soort", "er staat niet met welke analyse de hypothese getoetst wordt.", item, "hypothese")
        else:
            from plgdata.analysis.hypotheses import analysis_kind_problem

            problem = analysis_kind_problem(h.test_kind, h.test_params)
            if problem:
                c.add(n, problem[0], problem[1], item, "hypothese")
        if _empty(h.decision_rule):
            c.add(
                n,
                "beslisregel",
                "er is geen beslisregel; leg vooraf vast wanneer de hypothese bevestigd of verworpen is "
                "(bijv. 'bevestigd als het verschil minstens 10 procentpunt is').",
                item,
                "hypothese",
            )
        if h.revises is not None and cycle.hypothesis(h.revises) is None:
            c.add(n, "herziet", f"hypothese '{h.revises}' bestaat niet in deze cyclus.", item, "hypothese")


def _check_data(c: _Collector, cycle: Cycle, n: int, status: str) -> None:
    d = cycle.data_sources
    if status == m.STATUS_DONE and not d.files:
        c.add(n, "bestanden", "de stap staat op 'klaar', maar er staan geen bestanden.")
    for y in d.years:
        mt = _SCHOOL_YEAR_RE.match(str(y))
        if not mt or int(mt.group(2)) != int(mt.group(1)) + 1:
            c.add(n, "jaren", f"'{y}' is geen schooljaar; schrijf het als 2024-2025.")


def _check_quality(c: _Collector, cycle: Cycle, n: int, status: str) -> None:
    q = cycle.quality
    if q.decision is not None and q.decision not in m.QUALITY_DECISIONS:
        c.add(n, "besluit", f"'{q.decision}' is geen besluit; kies {m.dutch_list(m.QUALITY_DECISIONS)}.")
    if status == m.STATUS_DONE and _empty(q.decision):
        c.add(n, "besluit", "de stap staat op 'klaar', maar het besluit van het team ontbreekt.")
    if q.decision == m.DECISION_BACK and not any(lp.from_step == n and lp.to_step == 3 for lp in cycle.loops):
        c.add(n, "besluit", "het team ging terug naar stap 3, maar die lus staat niet bij 'lussen'.")


def _check_verdicts(c: _Collector, cycle: Cycle, n: int) -> None:
    for hid, v in cycle.verdicts.items():
        if cycle.hypothesis(hid) is None:
            c.add(n, "oordelen", f"er is een oordeel over hypothese '{hid}', maar die staat niet in stap 2.", hid, "hypothese")
            continue
        if v.verdict not in m.VERDICTS:
            shown = "geen oordeel" if v.verdict is None else f"'{v.verdict}' is geen geldig oordeel"
            c.add(n, "oordeel", f"{shown}; kies {m.dutch_list(m.VERDICTS)}.", hid, "hypothese")
        if _empty(v.interpretation):
            c.add(
                n,
                "interpretatie",
                "de interpretatie van het team ontbreekt: wat betekent dit oordeel voor de klas?",
                hid,
                "hypothese",
            )
        if hid not in cycle.analyses:
            c.add(n, "oordeel", "er is een oordeel, maar geen analyseresultaat in stap 5.", hid, "hypothese")
        if v.verdict == m.VERDICT_REJECTED and not any(lp.from_step == n and lp.to_step == 2 for lp in cycle.loops):
            c.add(
                n,
                "oordeel",
                "de hypothese is verworpen, maar de lus terug naar stap 2 staat niet bij 'lussen'.",
                hid,
                "hypothese",
            )


def _check_measures(c: _Collector, cycle: Cycle, n: int, status: str, ids: set[str] | None) -> None:
    if status == m.STATUS_DONE and not cycle.measures:
        c.add(n, "maatregelen", f"de {cycle.method_def.word.lower()} staat op 'klaar', maar er is geen maatregel.")
    seen: set[str] = set()
    for i, x in enumerate(cycle.measures, start=1):
        item = x.id or f"nr. {i}"
        if _empty(x.id):
            c.add(n, "id", "de maatregel heeft geen id; geef hem een korte code (bijv. M1).", item, "maatregel")
        elif x.id in seen:
            c.add(n, "id", f"het id '{x.id}' komt vaker voor; geef elke maatregel een eigen id.", item, "maatregel")
        seen.add(x.id)
        if _empty(x.description):
            c.add(n, "omschrijving", "er staat niet wat het team gaat doen.", item, "maatregel")
        if _empty(x.intervention_id):
            c.add(n, "interventie", "de maatregel noemt geen interventie uit de interventietabel.", item, "maatregel")
        elif ids is not None and x.intervention_id not in ids:
            c.add(n, "interventie", f"interventie '{x.intervention_id}' staat niet in de interventietabel.", item, "maatregel")
        if x.hypothesis_id is not None and cycle.method_def.step_of(m.HYPOTHESES):
            h = cycle.hypothesis(x.hypothesis_id)
            if h is None:
                c.add(n, "hypothese", f"hypothese '{x.hypothesis_id}' staat niet in stap 2.", item, "maatregel")
            elif cycle.verdicts.get(h.id) and cycle.verdicts[h.id].verdict == m.VERDICT_REJECTED:
                c.add(
                    n,
                    "hypothese",
                    f"hypothese '{h.id}' is verworpen; een maatregel hoort bij een bevestigde oorzaak.",
                    item,
                    "maatregel",
                )


def _check_evaluation(c: _Collector, cycle: Cycle, n: int, status: str) -> None:
    e = cycle.evaluation
    started = status in (m.STATUS_BUSY, m.STATUS_DONE) or e.comparisons or e.goal_met is not None or not _empty(e.note)
    measures_step = cycle.method_def.step_of(m.MEASURES)
    if started and not cycle.measures:
        where = cycle.label(measures_step.number)
        c.add(
            n,
            "maatregelen",
            f"er is een evaluatie, maar geen maatregel in {where[0].lower() + where[1:]}: wat wordt er geëvalueerd?",
        )
    if e.goal_met is not None and not isinstance(e.goal_met, bool):
        c.add(n, "doel_gehaald", f"'{e.goal_met}' is geen ja of nee.")
    if status == m.STATUS_DONE and e.goal_met is None:
        c.add(n, "doel_gehaald", "de stap staat op 'klaar', maar er staat niet of het doel gehaald is (ja of nee).")
    if e.achieved_value is not None and not _is_number(e.achieved_value):
        c.add(n, "behaalde_waarde", f"'{e.achieved_value}' is geen getal.")


def _check_loops(c: _Collector, cycle: Cycle) -> None:
    numbers = {s.number for s in cycle.method_def.steps}
    for i, lp in enumerate(cycle.loops, start=1):
        for field, v in (("van_stap", lp.from_step), ("naar_stap", lp.to_step)):
            if not (isinstance(v, int) and not isinstance(v, bool) and v in numbers):
                c.add(None, field, f"'{v}' is geen stapnummer van 1 tot en met {max(numbers)}.", f"lus {i}", "Lussen")
        if isinstance(lp.from_step, int) and isinstance(lp.to_step, int) and lp.to_step >= lp.from_step:
            c.add(
                None,
                "naar_stap",
                f"een lus gaat terug naar een eerdere stap, maar {lp.to_step} komt niet voor {lp.from_step}.",
                f"lus {i}",
                "Lussen",
            )


def check_cycle(cycle: Cycle, interventions=None) -> Cycle:
    """Raise :class:`CycleError` with all problems (one per line) when the record does not hold together.

    Returns the cycle unchanged when it does.
    """
    problems = validate_cycle(cycle, interventions)
    if problems:
        title = f"'{cycle.title}'" if cycle.title else "zonder titel"
        lines = [f"De cyclus {title} klopt nog niet ({len(problems)} punt{'en' if len(problems) > 1 else ''}):"]
        lines += [f"- {p.message}" for p in problems]
        raise CycleError("\n".join(lines), problems)
    return cycle
