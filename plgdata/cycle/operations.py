"""The step operations a notebook calls: each records one step, updates status and history.

Every operation changes the cycle in place and returns it, so a notebook cell can
read ``cycle = add_hypothesis(cycle, ...)``.  Operations refuse what would make the
step meaningless (an unknown hypothesis id, a verdict outside *bevestigd /
verworpen / onbeslist*) with a Dutch :class:`CycleError`; what is merely incomplete
(a hypothesis without a decision rule yet) is recorded and reported by
:func:`validate_cycle`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from plgdata.cycle import methods as m
from plgdata.cycle.errors import CycleError
from plgdata.cycle.model import (
    DataSources,
    Deepening,
    Evaluation,
    HistoryEntry,
    Hypothesis,
    Loop,
    Measure,
    Problem,
    Quality,
    StepState,
    Verdict,
)
from plgdata.cycle.plain import to_iso_date, to_plain
from plgdata.cycle.record import Cycle
from plgdata.cycle.validate import intervention_ids


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _stamp(when) -> str:
    if when is None:
        return _now()
    plain = to_plain(when)
    if not isinstance(plain, str):
        raise CycleError(f"'{when}' is geen datum.")
    return plain


def _step(cycle: Cycle, section: str) -> int:
    s = cycle.method_def.step_of(section)
    if s is None:
        raise CycleError(f"Deze stap hoort niet bij de methode {cycle.method_def.title}.")
    return s.number


def _mark(cycle: Cycle, step: int, status: str, stamp: str) -> None:
    cycle.steps[step] = StepState(status, stamp)
    cycle.changed = stamp


def _log(cycle: Cycle, step: int | None, event: str, stamp: str) -> None:
    cycle.history.append(HistoryEntry(stamp, step, event))
    cycle.changed = stamp


def _status(cycle: Cycle, step: int) -> str:
    return cycle.steps.get(step, StepState()).status


def _text(value) -> str | None:
    """User text kept exactly as typed (only ``None`` stays ``None``)."""
    return None if value is None else str(value)


# ---------------------------------------------------------------------------
# a new record
# ---------------------------------------------------------------------------


def new_cycle(
    method: str = "datateam",
    title: str | None = None,
    leerteam: str | None = None,
    *,
    school: str | None = None,
    school_year: str | None = None,
    previous_cycle: str | None = None,
    when=None,
) -> Cycle:
    """A new, empty cycle record with every step ``open``.

    Parameters
    ----------
    method : {"datateam", "actieonderzoek"}
        The eight-step datateammethode or the four phases of actieonderzoek.
    title, leerteam, school, school_year : str, optional
    previous_cycle : str, optional
        File or title of the cycle this one follows on (``vorige_cyclus``).
    when : str or datetime, optional
        Time stamp (default: now).

    Examples
    --------
    >>> c = new_cycle("datateam", title="Begrijpend lezen groep 6", leerteam="Bovenbouw", when="2025-09-15T15:00:00")
    >>> next_step(c), c.steps[1].status
    (1, 'open')
    """
    if method not in m.METHODS:
        raise CycleError(f"Methode '{method}' is onbekend; kies {m.dutch_list(m.METHODS)}.")
    stamp = _stamp(when)
    c = Cycle(
        method=method,
        title=_text(title),
        leerteam=_text(leerteam),
        school=_text(school),
        school_year=_text(school_year),
        created=stamp,
        changed=stamp,
        previous_cycle=_text(previous_cycle),
    )
    _log(c, None, f"Cyclus aangemaakt ({c.method_def.title})", stamp)
    return c


def set_status(cycle: Cycle, step: int, status: str, *, when=None) -> Cycle:
    """Set the status of one step by hand (``open``, ``bezig``, ``klaar`` or ``terug``)."""
    if status not in m.STATUSES:
        raise CycleError(f"'{status}' is geen geldige status; kies {m.dutch_list(m.STATUSES)}.")
    label = cycle.label(step)
    stamp = _stamp(when)
    _mark(cycle, step, status, stamp)
    _log(cycle, step, f"{label}: status '{status}'", stamp)
    return cycle


# ---------------------------------------------------------------------------
# step 1 / fase 1
# ---------------------------------------------------------------------------


def set_problem(
    cycle: Cycle,
    statement: str,
    metric: str | None = None,
    current_value=None,
    goal_value=None,
    deadline=None,
    *,
    direction: str | None = None,
    basis: str | None = None,
    question: str | None = None,
    metric_params: dict | None = None,
    when=None,
) -> Cycle:
    """Step 1 (*probleemdefinitie*; actieonderzoek fase 1): the problem in numbers and the goal.

    Parameters
    ----------
    statement : str
        The problem in the team's words ("40% scoort IV/V op begrijpend lezen in groep 6").
    metric : str
        What is measured ("aandeel IV/V, begrijpend lezen, groep 6, M-toets").
    current_value : float
        Its current value, computed from the data (a share as 0.40).
    goal_value : float
        The value to reach (0.25).
    deadline : str or date
        When (``"2026-06-30"``; ``"30-06-2026"`` is accepted too).
    direction : {"hoogstens", "minstens"}, optional
        Whether the metric must end at most or at least at the goal.
    basis : str, optional
        Which data the current value was computed from.
    question : str, optional
        The research question (*onderzoeksvraag*).
    metric_params : dict, optional
        Which data the metric is computed from (*berekening*: vak, periode,
        schooljaar, groepen), so the goal check in step 8 measures the same thing.

    Notes
    -----
    The step becomes ``klaar`` when statement, metric, goal value and deadline are
    all given, otherwise ``bezig``.
    """
    n = _step(cycle, m.PROBLEM)
    if direction is not None and direction not in m.DIRECTIONS:
        raise CycleError(f"doel_is '{direction}' is onbekend; kies {m.dutch_list(m.DIRECTIONS)}.")
    cycle.problem = Problem(
        statement=_text(statement),
        metric=_text(metric),
        current_value=to_plain(current_value),
        basis=_text(basis),
        goal_value=to_plain(goal_value),
        direction=direction,
        deadline=to_iso_date(deadline, "deadline"),
        question=_text(question),
        metric_params=to_plain(dict(metric_params or {})),
    )
    p = cycle.problem
    complete = all(v not in (None, "") for v in (p.statement, p.metric, p.goal_value, p.deadline))
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE if complete else m.STATUS_BUSY, stamp)
    _log(cycle, n, "Probleem en doel vastgelegd", stamp)
    return cycle


# ---------------------------------------------------------------------------
# steps 2-6 (datateammethode)
# ---------------------------------------------------------------------------


def _refresh_analysis_steps(cycle: Cycle, stamp: str) -> None:
    """Steps 5 and 6 are ``klaar`` only when every hypothesis has a result / verdict."""
    ids = [h.id for h in cycle.hypotheses]
    for section, done in ((m.ANALYSIS, cycle.analyses), (m.VERDICTS_SECTION, cycle.verdicts)):
        n = _step(cycle, section)
        if _status(cycle, n) == m.STATUS_OPEN and not done:
            continue
        status = m.STATUS_DONE if ids and all(i in done for i in ids) else m.STATUS_BUSY
        if status != _status(cycle, n):
            _mark(cycle, n, status, stamp)


def add_hypothesis(
    cycle: Cycle,
    id: str,
    kind: str,
    statement: str,
    data=None,
    test_kind: str | None = None,
    test_params: dict | None = None,
    decision_rule: str | None = None,
    *,
    revises: str | None = None,
    when=None,
) -> Cycle:
    """Step 2 (*hypothesen*): add one possible cause.

    Parameters
    ----------
    id : str
        Short code, unique in the cycle ("H1"); a revision of a rejected hypothesis
        gets a new id and ``revises="H1"``.
    kind : {"verkennend", "verklarend"}
        *Verkennend*: where / with whom is the problem largest?  *Verklarend*: is X the cause?
    statement : str
        Stated measurably, ideally in percentages.
    data : str or list
        Which data will test it.
    test_kind : str
        Which analysis tests it (e.g. ``"vergelijking twee groepen"``).
    test_params : dict
        Its parameters (groups, subject, moments ...).
    decision_rule : str
        The rule, fixed in advance, that decides ("bevestigd als het verschil ≥ 10 procentpunt").
    revises : str, optional
        Id of the hypothesis this one revises.
    """
    n = _step(cycle, m.HYPOTHESES)
    hid = _text(id)
    if not hid:
        raise CycleError(f"{cycle.label(n)}: geef de hypothese een id (bijv. H1).")
    if cycle.hypothesis(hid) is not None:
        raise CycleError(
            f"{cycle.label(n)}, hypothese {hid}: dit id bestaat al; geef een herziene hypothese een nieuw id (bijv. {hid}b)."
        )
    if kind not in m.HYPOTHESIS_KINDS:
        raise CycleError(
            f"{cycle.label(n)}, hypothese {hid}, veld 'soort': '{kind}' is onbekend; kies {m.dutch_list(m.HYPOTHESIS_KINDS)}."
        )
    if revises is not None and cycle.hypothesis(revises) is None:
        raise CycleError(f"{cycle.label(n)}, hypothese {hid}, veld 'herziet': hypothese '{revises}' bestaat niet.")
    stamp = _stamp(when)
    cycle.hypotheses.append(
        Hypothesis(
            id=hid,
            kind=kind,
            statement=_text(statement),
            data=to_plain(data),
            test_kind=_text(test_kind),
            test_params=to_plain(dict(test_params or {})),
            decision_rule=_text(decision_rule),
            revises=revises,
            added=stamp,
        )
    )
    _mark(cycle, n, m.STATUS_DONE, stamp)
    _refresh_analysis_steps(cycle, stamp)
    _log(cycle, n, f"Hypothese {hid} toegevoegd" + (f" (herziet {revises})" if revises else ""), stamp)
    return cycle


def record_data_sources(cycle: Cycle, files, years, load_report=None, *, when=None) -> Cycle:
    """Step 3 (*dataverzameling*): which files and school years, with the load report.

    ``load_report`` may be a :class:`plgdata.model.loadreport.LoadReport` or its ``to_dict()``.
    New data makes a finished quality check (step 4) ``bezig`` again.
    """
    n = _step(cycle, m.DATA)
    files = [files] if isinstance(files, (str, bytes)) or not hasattr(files, "__iter__") else list(files)
    years = [years] if isinstance(years, str) else list(years or [])
    cycle.data_sources = DataSources(to_plain(files), [str(y) for y in years], to_plain(load_report))
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE, stamp)
    q = _step(cycle, m.QUALITY)
    if _status(cycle, q) != m.STATUS_OPEN:
        _mark(cycle, q, m.STATUS_BUSY, stamp)
    _log(cycle, n, f"Data vastgelegd: {len(files)} bestand(en), jaren {', '.join(cycle.data_sources.years) or '-'}", stamp)
    return cycle


def record_quality(cycle: Cycle, findings, decision: str = m.DECISION_GO_ON, note: str | None = None, *, when=None) -> Cycle:
    """Step 4 (*datakwaliteit*): the findings and the team's decision.

    Parameters
    ----------
    findings : DataFrame or list of dict
        The quality findings (e.g. the table from ``check_quality``).
    decision : {"doorgaan", "terug naar stap 3"}
        ``"terug naar stap 3"`` records a loop 4 -> 3 and sets step 3 to ``terug``.
    note : str, optional
        Why (``toelichting``).
    """
    n = _step(cycle, m.QUALITY)
    if decision not in m.QUALITY_DECISIONS:
        raise CycleError(f"{cycle.label(n)}, veld 'besluit': '{decision}' is onbekend; kies {m.dutch_list(m.QUALITY_DECISIONS)}.")
    if hasattr(findings, "to_frame") and not isinstance(findings, (pd.DataFrame, pd.Series)):
        findings = findings.to_frame()
    records = to_plain(findings if findings is not None else [])
    if isinstance(records, dict):
        records = [records]
    cycle.quality = Quality(records, decision, _text(note))
    stamp = _stamp(when)
    if decision == m.DECISION_BACK:
        cycle.loops.append(Loop(n, 3, _text(note) or "datakwaliteit onvoldoende", stamp[:10]))
        _mark(cycle, n, m.STATUS_BUSY, stamp)
        _mark(cycle, 3, m.STATUS_BACK, stamp)
        _log(cycle, n, "Datakwaliteit onvoldoende: terug naar stap 3", stamp)
    else:
        _mark(cycle, n, m.STATUS_DONE, stamp)
        _log(cycle, n, f"Datakwaliteit beoordeeld ({len(records)} bevinding(en)): doorgaan", stamp)
    return cycle


def _known_hypothesis(cycle: Cycle, step: int, hypothesis_id: str) -> str:
    if cycle.hypothesis(hypothesis_id) is None:
        known = ", ".join(h.id for h in cycle.hypotheses) or "geen"
        raise CycleError(f"{cycle.label(step)}: hypothese '{hypothesis_id}' staat niet in stap 2 (bekend: {known}).")
    return hypothesis_id


def record_analysis(cycle: Cycle, hypothesis_id: str, result, *, when=None) -> Cycle:
    """Step 5 (*data-analyse*): the analysis result of one hypothesis.

    ``result`` is any analysis output (dict, DataFrame, result object with
    ``to_dict``); it is stored as plain values (:func:`to_plain`).  The step is
    ``klaar`` once every hypothesis has a result.
    """
    n = _step(cycle, m.ANALYSIS)
    hid = _known_hypothesis(cycle, n, hypothesis_id)
    cycle.analyses[hid] = to_plain(result)
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_BUSY, stamp)
    _refresh_analysis_steps(cycle, stamp)
    _log(cycle, n, f"Analyseresultaat voor {hid} vastgelegd", stamp)
    return cycle


def record_verdict(cycle: Cycle, hypothesis_id: str, verdict: str, interpretation: str | None = None, *, when=None) -> Cycle:
    """Step 6 (*interpretatie en conclusie*): the verdict on one hypothesis.

    Parameters
    ----------
    verdict : {"bevestigd", "verworpen", "onbeslist"}
    interpretation : str
        What the team concludes.

    Notes
    -----
    A rejected hypothesis records a loop 6 -> 2 (:class:`Loop`) and sets step 2 to
    ``terug``: :func:`next_step` is then 2, until the team adds a new or revised
    hypothesis.
    """
    n = _step(cycle, m.VERDICTS_SECTION)
    hid = _known_hypothesis(cycle, n, hypothesis_id)
    if verdict not in m.VERDICTS:
        raise CycleError(
            f"{cycle.label(n)}, hypothese {hid}, veld 'oordeel': '{verdict}' is onbekend; kies {m.dutch_list(m.VERDICTS)}."
        )
    stamp = _stamp(when)
    cycle.verdicts[hid] = Verdict(verdict, _text(interpretation), stamp[:10])
    _mark(cycle, n, m.STATUS_BUSY, stamp)
    _refresh_analysis_steps(cycle, stamp)
    _log(cycle, n, f"Oordeel over {hid}: {verdict}", stamp)
    if verdict == m.VERDICT_REJECTED:
        h2 = _step(cycle, m.HYPOTHESES)
        reason = f"Hypothese {hid} verworpen" + (f": {interpretation}" if interpretation else "")
        cycle.loops.append(Loop(n, h2, reason, stamp[:10]))
        _mark(cycle, h2, m.STATUS_BACK, stamp)
        _log(cycle, n, f"Terug naar stap {h2}: nieuwe of herziene hypothese nodig", stamp)
    return cycle


# ---------------------------------------------------------------------------
# measures, deepening, evaluation (both methods)
# ---------------------------------------------------------------------------


def add_measure(
    cycle: Cycle,
    id: str,
    description: str,
    intervention_id: str,
    hypothesis_id: str | None = None,
    *,
    interventions=None,
    when=None,
) -> Cycle:
    """Step 7 (*maatregelen*; actieonderzoek fase 3 *interventie*): one measure.

    Parameters
    ----------
    id : str
        Short code ("M1").
    description : str
        What the team will do.
    intervention_id : str
        The id of the intervention in the interventions table ("INT-01").
    hypothesis_id : str, optional
        The confirmed hypothesis (cause) it answers (datateammethode).
    interventions : DataFrame, Dataset or iterable of ids, optional
        When given, ``intervention_id`` must be in it.
    """
    n = _step(cycle, m.MEASURES)
    mid = _text(id)
    if not mid:
        raise CycleError(f"{cycle.label(n)}: geef de maatregel een id (bijv. M1).")
    if any(x.id == mid for x in cycle.measures):
        raise CycleError(f"{cycle.label(n)}, maatregel {mid}: dit id bestaat al.")
    if hypothesis_id is not None and cycle.method_def.step_of(m.HYPOTHESES):
        _known_hypothesis(cycle, n, hypothesis_id)
    ids = intervention_ids(interventions)
    if ids is not None and intervention_id not in ids:
        raise CycleError(
            f"{cycle.label(n)}, maatregel {mid}, veld 'interventie': interventie '{intervention_id}' staat niet in de interventietabel."
        )
    cycle.measures.append(Measure(mid, _text(description), _text(intervention_id), hypothesis_id))
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE, stamp)
    _log(cycle, n, f"Maatregel {mid} toegevoegd (interventie {intervention_id})", stamp)
    return cycle


def record_deepening(cycle: Cycle, sources, insights: str, choice: str | None = None, *, when=None) -> Cycle:
    """Actieonderzoek fase 2 (*inhoudelijke verdieping*): sources read, insights, why this intervention."""
    n = _step(cycle, m.DEEPENING)
    sources = [sources] if isinstance(sources, str) else list(sources or [])
    cycle.deepening = Deepening(to_plain(sources), _text(insights), _text(choice))
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE if insights else m.STATUS_BUSY, stamp)
    _log(cycle, n, "Inhoudelijke verdieping vastgelegd", stamp)
    return cycle


def goal_reached(problem: Problem, value) -> bool | None:
    """Whether ``value`` meets the goal of ``problem`` (``None`` when the direction or goal is unknown)."""
    value = to_plain(value)
    if value is None or problem.goal_value is None or problem.direction not in m.DIRECTIONS:
        return None
    if problem.direction == m.DIRECTION_AT_MOST:
        return bool(value <= problem.goal_value)
    return bool(value >= problem.goal_value)


def record_evaluation(
    cycle: Cycle,
    comparison_results,
    goal_met: bool | None = None,
    note: str | None = None,
    next_cycle: str | None = None,
    *,
    achieved_value=None,
    when=None,
) -> Cycle:
    """Step 8 (*evaluatie*; actieonderzoek fase 4): did the measures work, is the goal met?

    Parameters
    ----------
    comparison_results : result, DataFrame, dict or list of those
        Output of the comparisons (stored as plain values, one list entry per result).
    goal_met : bool, optional
        Whether the goal is met.  When omitted and ``achieved_value`` is given, it is
        decided from the goal value and ``doel_is`` of step 1.
    note : str, optional
        The team's conclusion.
    next_cycle : str, optional
        File or title of the next cycle.
    achieved_value : float, optional
        The metric's value at the deadline.
    """
    n = _step(cycle, m.EVALUATION)
    if isinstance(comparison_results, (list, tuple)):
        comparisons = [to_plain(x) for x in comparison_results]
    elif comparison_results is None:
        comparisons = []
    else:
        plain = to_plain(comparison_results)
        comparisons = plain if isinstance(plain, list) else [plain]
    if goal_met is None:
        goal_met = goal_reached(cycle.problem, achieved_value)
    elif not isinstance(goal_met, bool):
        goal_met = to_plain(goal_met)
        if not isinstance(goal_met, bool):
            raise CycleError(f"{cycle.label(n)}, veld 'doel_gehaald': '{goal_met}' is geen ja of nee.")
    cycle.evaluation = Evaluation(comparisons, to_plain(achieved_value), goal_met, _text(note), _text(next_cycle))
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE if goal_met is not None else m.STATUS_BUSY, stamp)
    verdict = {True: "doel gehaald", False: "doel niet gehaald", None: "nog niet bekend of het doel gehaald is"}[goal_met]
    _log(cycle, n, f"Evaluatie vastgelegd: {verdict}", stamp)
    return cycle


def go_back(cycle: Cycle, from_step: int, to_step: int, reason: str, *, when=None) -> Cycle:
    """Record that the team goes back from one step to an earlier one (a :class:`Loop`)."""
    numbers = [s.number for s in cycle.method_def.steps]
    if from_step not in numbers or to_step not in numbers or to_step >= from_step:
        raise CycleError(f"Een lus gaat terug naar een eerdere stap; {from_step} -> {to_step} kan niet.")
    stamp = _stamp(when)
    cycle.loops.append(Loop(from_step, to_step, _text(reason), stamp[:10]))
    _mark(cycle, to_step, m.STATUS_BACK, stamp)
    _log(cycle, from_step, f"Terug naar {cycle.label(to_step)}", stamp)
    return cycle


# ---------------------------------------------------------------------------
# where is the team?
# ---------------------------------------------------------------------------


def next_step(cycle: Cycle) -> int | None:
    """The first step that is not ``klaar`` (``open``, ``bezig`` or ``terug``); ``None`` when all are."""
    for s in cycle.method_def.steps:
        if _status(cycle, s.number) != m.STATUS_DONE:
            return s.number
    return None


def _dutch_stamp(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        t = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if len(stamp) <= 10:
        return t.strftime("%d-%m-%Y")
    return t.strftime("%d-%m-%Y %H:%M")


def step_status(cycle: Cycle) -> pd.DataFrame:
    """One row per step: ``Stap``, ``Naam``, ``Status``, ``Laatst gewijzigd`` (Dutch date)."""
    rows = []
    for s in cycle.method_def.steps:
        state = cycle.steps.get(s.number, StepState())
        rows.append({"Stap": s.number, "Naam": s.name, "Status": state.status, "Laatst gewijzigd": _dutch_stamp(state.changed)})
    return pd.DataFrame(rows, columns=["Stap", "Naam", "Status", "Laatst gewijzigd"])


def loops_table(cycle: Cycle) -> pd.DataFrame:
    """The loops as a Dutch table: ``Van stap``, ``Naar stap``, ``Reden``, ``Datum``."""
    rows = [
        {"Van stap": lp.from_step, "Naar stap": lp.to_step, "Reden": lp.reason, "Datum": _dutch_stamp(lp.date)}
        for lp in cycle.loops
    ]
    return pd.DataFrame(rows, columns=["Van stap", "Naar stap", "Reden", "Datum"])
