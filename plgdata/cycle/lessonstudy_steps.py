"""What the Lesson Study notebook calls, fase by fase; each updates status and history.

Like the datateam operations (:mod:`plgdata.cycle.operations`) every function changes the
record in place and returns it; what would make a fase meaningless (a prediction for a
case pupil who is not in fase 2, a ``klopt`` outside ja/deels/nee) is refused with a
Dutch :class:`CycleError`; what is merely incomplete is reported by ``validate_cycle``.

Examples
--------
>>> from plgdata.cycle import new_cycle
>>> c = new_cycle("lessonstudy", title="Verhaaltjessommen groep 5", when="2025-10-01T15:00:00")
>>> c = set_research_question(c, "Hoe helpt een schema bij verhaaltjessommen?", "De leerling kiest zelf een passend schema.",
...                           "rekenen-wiskunde", when="2025-10-01T15:30:00")
>>> c.steps[1].status
'klaar'
"""

from __future__ import annotations

import pandas as pd

from plgdata.cycle import methods as m
from plgdata.cycle.errors import CycleError
from plgdata.cycle.lessonstudy import PSEUDONYM_RE, CasePupil, Lesson
from plgdata.cycle.operations import _log, _mark, _stamp, _step, _text
from plgdata.cycle.plain import to_iso_date, to_plain
from plgdata.cycle.record import Cycle

_LESSON_SECTION = {1: m.LS_LESSON_1, 2: m.LS_LESSON_2}


def set_research_question(
    cycle: Cycle, question: str, goal: str, subject: str, *, klas: str | None = None, note: str | None = None, when=None
) -> Cycle:
    """Fase 1: the research question and the learning goal, linked to the leerteam's focus subject."""
    n = _step(cycle, m.LS_QUESTION)
    ls = cycle.lesson_study
    ls.question, ls.goal, ls.subject, ls.klas, ls.note = _text(question), _text(goal), _text(subject), _text(klas), _text(note)
    stamp = _stamp(when)
    complete = all(v not in (None, "") for v in (ls.question, ls.goal, ls.subject))
    _mark(cycle, n, m.STATUS_DONE if complete else m.STATUS_BUSY, stamp)
    _log(cycle, n, "Onderzoeksvraag en leerdoel vastgelegd", stamp)
    return cycle


def set_case_pupils(cycle: Cycle, cases, basis: str | None = None, *, when=None) -> Cycle:
    """Fase 2: the three case pupils (the table of :func:`plgdata.analysis.casepupils.pick_case_pupils`).

    ``cases`` is a DataFrame or list of dicts with ``code``, ``pupil_id`` (or
    ``pseudoniem``), ``niveau`` and optionally ``reden``.  Only pseudonyms are accepted.
    """
    n = _step(cycle, m.LS_CASES)
    rows = to_plain(cases) if isinstance(cases, pd.DataFrame) else list(cases)
    out = []
    for r in rows:
        pid = r.get("pseudoniem", r.get("pupil_id"))
        if pid is None or not PSEUDONYM_RE.match(str(pid)):
            raise CycleError(
                f"{cycle.label(n)}, casusleerling {r.get('code')}, veld 'pseudoniem': geef het pseudoniem "
                "(L- met tien tekens), nooit een naam of leerlingnummer."
            )
        out.append(CasePupil(str(r["code"]), str(pid), _text(r.get("niveau")), _text(r.get("reden"))))
    cycle.lesson_study.cases = out
    cycle.lesson_study.test_basis = _text(basis)
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE if len(out) >= 3 else m.STATUS_BUSY, stamp)
    _log(cycle, n, f"{len(out)} casusleerlingen gekozen", stamp)
    return cycle


def _lesson(cycle: Cycle, lesson: int) -> tuple[int, Lesson]:
    if lesson not in _LESSON_SECTION:
        raise CycleError(f"Les {lesson} bestaat niet: kies 1 (onderzoeksles) of 2 (herziene les).")
    return _step(cycle, _LESSON_SECTION[lesson]), cycle.lesson_study.lessons[lesson]


def _refresh(cycle: Cycle, lesson: int, stamp: str, event: str) -> Cycle:
    """A lesson is ``klaar`` once every prediction, observation and the nabespreking are there."""
    n, les = _lesson(cycle, lesson)
    codes = [c.code for c in cycle.lesson_study.cases]
    phases = les.phase_names()
    filled = all(
        (table.get(code) or {}).get(ph) not in (None, "")
        for table in (les.predictions, les.observations)
        for code in codes
        for ph in phases
    )
    complete = bool(phases and codes and filled and les.debrief and (lesson == 1 or les.changes))
    _mark(cycle, n, m.STATUS_DONE if complete else m.STATUS_BUSY, stamp)
    _log(cycle, n, event, stamp)
    return cycle


def plan_lesson(
    cycle: Cycle, lesson: int, phases, teacher: str, observers: dict, *, date=None, changes: str | None = None, when=None
) -> Cycle:
    """Fase 3 / 4: the lesson's phases, who teaches it and who observes which case pupil.

    Parameters
    ----------
    lesson : {1, 2}
        1 = the research lesson, 2 = the revised lesson.
    phases : list of str or dict
        The lesson phases in order (``"Instructie"`` or ``{"fase": ..., "omschrijving": ...}``).
    observers : dict
        Case-pupil code -> the colleague who observes that pupil.
    changes : str, optional
        The revised lesson: what changed against lesson 1 (*wijzigingen*).
    """
    n, les = _lesson(cycle, lesson)
    plain = [p if isinstance(p, dict) else {"fase": str(p), "omschrijving": None} for p in phases]
    names = [str(p.get("fase")) for p in plain]
    if len(set(names)) != len(names):
        raise CycleError(f"{cycle.label(n)}, veld 'fases': elke lesfase heeft een eigen naam nodig.")
    _known_codes(cycle, n, observers, "observanten")
    les.phases, les.teacher, les.observers = to_plain(plain), _text(teacher), {str(k): _text(v) for k, v in observers.items()}
    les.date = to_iso_date(date, "datum")
    if lesson == 2:
        les.changes = _text(changes)
    return _refresh(cycle, lesson, _stamp(when), f"Les {lesson} gepland ({len(names)} fases)")


def _known_codes(cycle: Cycle, n: int, table: dict, key: str) -> None:
    codes = {c.code for c in cycle.lesson_study.cases}
    for code in table:
        if code not in codes:
            raise CycleError(
                f"{cycle.label(n)}, veld '{key}': casusleerling '{code}' staat niet bij de casusleerlingen "
                f"(bekend: {', '.join(sorted(codes)) or 'geen'})."
            )


def _known_phases(cycle: Cycle, n: int, les: Lesson, table: dict, key: str) -> None:
    phases = les.phase_names()
    for code, per_phase in table.items():
        for ph in per_phase:
            if ph not in phases:
                raise CycleError(
                    f"{cycle.label(n)}, casusleerling {code}, veld '{key}': lesfase '{ph}' staat niet bij de fases "
                    f"van deze les ({', '.join(phases) or 'nog geen fases'})."
                )


def record_predictions(cycle: Cycle, lesson: int, predictions: dict, *, when=None) -> Cycle:
    """The team's prediction per case pupil per lesson phase: ``{"A": {"Instructie": "..."}}``."""
    n, les = _lesson(cycle, lesson)
    _known_codes(cycle, n, predictions, "voorspellingen")
    _known_phases(cycle, n, les, predictions, "voorspellingen")
    for code, per_phase in predictions.items():
        les.predictions.setdefault(str(code), {}).update({str(k): _text(v) for k, v in per_phase.items()})
    return _refresh(cycle, lesson, _stamp(when), f"Voorspellingen voor les {lesson} vastgelegd")


def record_observations(cycle: Cycle, lesson: int, observations: dict, *, when=None) -> Cycle:
    """What the observer saw per case pupil per phase, and whether the prediction held.

    ``observations``: ``{"A": {"Instructie": ("Kijkt mee, schrijft niets op.", "nee")}}``;
    the second value is ``klopt``: ``ja``, ``deels`` or ``nee``.
    """
    n, les = _lesson(cycle, lesson)
    _known_codes(cycle, n, observations, "observaties")
    _known_phases(cycle, n, les, observations, "observaties")
    for code, per_phase in observations.items():
        for ph, value in per_phase.items():
            seen, match = value if isinstance(value, (tuple, list)) else (value, None)
            if match is not None and match not in m.MATCHES:
                raise CycleError(
                    f"{cycle.label(n)}, casusleerling {code}, veld 'klopt': '{match}' is onbekend; kies {m.dutch_list(m.MATCHES)}."
                )
            les.observations.setdefault(str(code), {})[str(ph)] = {"waarneming": _text(seen), "klopt": match}
    return _refresh(cycle, lesson, _stamp(when), f"Observaties van les {lesson} vastgelegd")


def record_interviews(cycle: Cycle, lesson: int, interviews: dict, *, when=None) -> Cycle:
    """What each case pupil said in the short interview after the lesson."""
    n, les = _lesson(cycle, lesson)
    _known_codes(cycle, n, interviews, "interviews")
    les.interviews.update({str(k): _text(v) for k, v in interviews.items()})
    return _refresh(cycle, lesson, _stamp(when), f"Interviews na les {lesson} vastgelegd")


def record_debrief(cycle: Cycle, lesson: int, debrief: str, *, when=None) -> Cycle:
    """The *nabespreking*: what the team learned from prediction against observation."""
    _, les = _lesson(cycle, lesson)
    les.debrief = _text(debrief)
    return _refresh(cycle, lesson, _stamp(when), f"Nabespreking van les {lesson} vastgelegd")


def record_conclusions(cycle: Cycle, conclusions: str, keep, *, when=None) -> Cycle:
    """Fase 5: the team's conclusions and what it keeps (*borgen*), one line each."""
    n = _step(cycle, m.LS_CONCLUSIONS)
    keep = [keep] if isinstance(keep, str) else [str(k) for k in keep]
    cycle.lesson_study.conclusions, cycle.lesson_study.keep = _text(conclusions), keep
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE if conclusions and keep else m.STATUS_BUSY, stamp)
    _log(cycle, n, f"Conclusies en {len(keep)} afspraak/afspraken om te borgen vastgelegd", stamp)
    return cycle


def record_own_measurement(cycle: Cycle, summary: dict, *, when=None) -> Cycle:
    """Fase 5: keep the summary of an own small measurement (:func:`plgdata.analysis.ownmeasure.own_measurement_record`).

    A measurement with the same ``meting`` replaces the earlier one (running a notebook again is safe).
    """
    n = _step(cycle, m.LS_CONCLUSIONS)
    entry = to_plain(dict(summary))
    if not entry.get("meting"):
        raise CycleError(f"{cycle.label(n)}, veld 'eigen_metingen': geef de meting een omschrijving ('meting').")
    ls = cycle.lesson_study
    ls.own_measurements = [x for x in ls.own_measurements if x.get("meting") != entry["meting"]] + [entry]
    stamp = _stamp(when)
    _log(cycle, n, f"Eigen meting vastgelegd: {entry['meting']}", stamp)
    return cycle


def _merged_phases(first: list[str], second: list[str]) -> list[str]:
    """The revised lesson's phases, with phases only in lesson 1 after their predecessor there."""
    order = list(second) or list(first)
    for i, ph in enumerate(first):
        if ph not in order:
            before = next((p for p in reversed(first[:i]) if p in order), None)
            order.insert(order.index(before) + 1 if before else 0, ph)
    return order


def lesson_comparison(cycle: Cycle) -> pd.DataFrame:
    """Prediction against observation per case pupil and phase, both lessons side by side.

    One row per (case pupil, phase) in the order of the lessons' phases; columns
    ``Casusleerling``, ``Niveau``, ``Fase``, then per lesson ``Voorspelling les k``,
    ``Observatie les k``, ``Klopt les k``.  A phase that is only in one lesson has ``None``
    in the other.
    """
    ls = cycle.lesson_study
    order = _merged_phases(ls.lessons[1].phase_names(), ls.lessons[2].phase_names())
    rows = []
    for c in ls.cases:
        for ph in order:
            row = {"Casusleerling": c.code, "Niveau": c.level, "Fase": ph}
            for k, les in ls.lessons.items():
                obs = (les.observations.get(c.code) or {}).get(ph) or {}
                row[f"Voorspelling les {k}"] = (les.predictions.get(c.code) or {}).get(ph)
                row[f"Observatie les {k}"] = obs.get("waarneming") if isinstance(obs, dict) else obs
                row[f"Klopt les {k}"] = obs.get("klopt") if isinstance(obs, dict) else None
            rows.append(row)
    cols = ["Casusleerling", "Niveau", "Fase"] + [f"{w} les {k}" for k in (1, 2) for w in ("Voorspelling", "Observatie", "Klopt")]
    return pd.DataFrame(rows, columns=cols)


def prediction_summary(cycle: Cycle) -> pd.DataFrame:
    """Per lesson: how many predictions held (``ja``), held partly (``deels``) or not (``nee``)."""
    rows = []
    for k, les in cycle.lesson_study.lessons.items():
        matches = [o.get("klopt") for per in les.observations.values() for o in (per or {}).values() if isinstance(o, dict)]
        judged = [x for x in matches if x in m.MATCHES]
        rows.append(
            {
                "Les": "onderzoeksles" if k == 1 else "herziene les",
                "Waarnemingen": len(matches),
                **{f"Klopt: {x}": judged.count(x) for x in m.MATCHES},
                "Aandeel zoals voorspeld": judged.count("ja") / len(judged) if judged else None,
            }
        )
    return pd.DataFrame(rows)
