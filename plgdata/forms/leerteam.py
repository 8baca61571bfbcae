"""The forms of the Lesson Study and year-plan notebooks: no Python dicts or lists to edit.

Lesson Study: the research question with the class and subject (saving picks the three
case pupils), each lesson's phases, teacher and observers, the predictions per case pupil
and phase, the observations with *klopt* (ja/deels/nee), the interviews and the
nabespreking, and the conclusions.  Year plan: the periods and meetings, a planned cycle,
the talks.  As in :mod:`plgdata.forms.steps` each form shows what the record holds, writes
only on *Opslaan* (or, in a run without a person, applies its section of the example
filling when the record does not hold it yet), and reads the record on disk when saving.
A form whose fields depend on an earlier fase (the phases of a lesson, the case pupils)
says what to fill in first instead.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from plgdata.analysis.casepupils import CasePupilError, pick_case_pupils
from plgdata.cycle import (
    CycleError,
    add_planned_cycle,
    load_cycle,
    new_cycle,
    plan_lesson,
    record_conclusions,
    record_debrief,
    record_interviews,
    record_observations,
    record_predictions,
    record_talk,
    save_cycle,
    set_case_pupils,
    set_meetings,
    set_periods,
    set_research_question,
    to_iso_date,
    validate_cycle,
)
from plgdata.cycle import methods as m
from plgdata.forms.base import Field, Form, escape
from plgdata.forms.choices import subjects
from plgdata.forms.filling import current, section
from plgdata.model.vocabulary import SUBJECT_LABELS

MATCH_CHOICES = [(x, x) for x in m.MATCHES]
#: how many periods the year-plan form offers (a school year has two to four)
PERIOD_SLOTS = 4
#: the two lessons of a Lesson Study, as the notebook names them (fase 3 and fase 4)
RESEARCH_LESSON, REVISED_LESSON = 1, 2
LESSON_NAMES = {RESEARCH_LESSON: "De onderzoeksles", REVISED_LESSON: "De herziene les"}


def _lines(text) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _classes(ds) -> list[tuple[str, str]]:
    found = sorted(ds.scores["class_name"].dropna().astype(str).unique())
    return [(f"klas {k}", k) for k in found]


def _waiting(title: str, what: str) -> Form:
    """A form with nothing to fill in yet: one sentence saying what comes first."""
    return Form(title, [], {}, lambda _v: None, intro=what)


# ---------------------------------------------------------------------------
# Lesson Study
# ---------------------------------------------------------------------------


def research_question_form(cycle, path, ds, *, vak=None, klas=None, invulling=None) -> Form:
    """Fase 1 (and 2): question, learning goal, subject and class; saving picks the three case pupils."""
    fields = [
        Field("vak", "Focusvak", "choice", subjects(ds)),
        Field("klas", "Klas van de onderzoeksles", "choice", _classes(ds)),
        Field("onderzoeksvraag", "Onderzoeksvraag", "area"),
        Field("leerdoel", "Leerdoel", "area", hint="wat kan een leerling na de les?"),
    ]

    def values_of(rec):
        ls = rec.lesson_study
        return {"vak": ls.subject or vak, "klas": ls.klas or klas, "onderzoeksvraag": ls.question, "leerdoel": ls.goal}

    def save(vals):
        c = current(cycle, path)
        ls = c.lesson_study
        changed = not ls.cases or (ls.subject, ls.klas) != (vals["vak"], vals["klas"])
        set_research_question(c, vals["onderzoeksvraag"], vals["leerdoel"], vals["vak"], klas=vals["klas"])
        if changed:
            try:
                cases = pick_case_pupils(ds, vals["klas"], vals["vak"])
            except CasePupilError as exc:
                raise CycleError(exc.message) from None
            basis = f"{vals['vak']} {cases.moment[0]} {cases.school_year[0]}, klas {vals['klas']}"
            set_case_pupils(c, cases, basis)
        save_cycle(c, path)

    form = Form("Onderzoeksvraag en leerdoel", fields, values_of(cycle), save, reload=lambda: values_of(current(cycle, path)))
    given = section(invulling, "onderzoeksvraag")
    if cycle.lesson_study.question is None and given:
        form.apply({**values_of(cycle), **given})
    return form


def case_pupils(path) -> pd.DataFrame:
    """The case pupils the record holds (``code``, ``niveau``, ``reden``, ``pupil_id`` for
    :func:`plgdata.analysis.casepupils.with_names`); empty until fase 1 is saved."""
    p = Path(path)
    cases = load_cycle(p).lesson_study.cases if p.exists() else []
    rows = [{"code": x.code, "niveau": x.level, "reden": x.reason, "pupil_id": x.pseudonym} for x in cases]
    return pd.DataFrame(rows, columns=["code", "niveau", "reden", "pupil_id"])


def _codes(rec) -> list[str]:
    return [c.code for c in rec.lesson_study.cases]


def lesson_plan_form(cycle, path, lesson: int, *, invulling=None) -> Form:
    """Fase 3 / 4: the phases of the lesson (one per line), who teaches it and who observes each case pupil."""
    rec = current(cycle, path)
    codes = _codes(rec)
    if not codes:
        return _waiting(LESSON_NAMES[lesson], "Kies eerst de onderzoeksvraag en de klas (fase 1) en klik op Opslaan.")
    fields = [
        Field("fases", "Lesfases", "area", hint="één fase per regel, in de volgorde van de les"),
        Field("docent", "Wie geeft de les?"),
        *[Field(f"observant_{k}", f"Observant van casusleerling {k}") for k in codes],
    ]
    if lesson == 2:
        fields.insert(0, Field("wijzigingen", "Wat veranderde er tegenover les 1?", "area"))

    def values_of(r):
        les = r.lesson_study.lessons[lesson]
        observers = les.observers or (r.lesson_study.lessons[1].observers if lesson == 2 else {})
        out = {"fases": "\n".join(les.phase_names()) or None, "docent": les.teacher, "wijzigingen": les.changes}
        return {**out, **{f"observant_{k}": observers.get(k) for k in codes}}

    def validate(vals):
        phases = _lines(vals.get("fases"))
        if len(set(phases)) != len(phases):
            return {"fases": "Lesfases: elke fase heeft een eigen naam nodig (een fase staat er twee keer)."}
        return {}

    def save(vals):
        c = current(cycle, path)
        observers = {k: vals[f"observant_{k}"] for k in codes}
        plan_lesson(c, lesson, _lines(vals["fases"]), vals["docent"], observers, changes=vals.get("wijzigingen"))
        save_cycle(c, path)

    form = Form(
        LESSON_NAMES[lesson], fields, values_of(rec), save, validate=validate, reload=lambda: values_of(current(cycle, path))
    )
    given = section(invulling, f"les_{lesson}")
    if not rec.lesson_study.lessons[lesson].phases and given:
        observers = given.get("observanten") or {}
        shown = values_of(rec)
        form.apply(
            {
                "fases": "\n".join(given.get("fases") or []),
                "docent": given.get("docent"),
                "wijzigingen": given.get("wijzigingen"),
                **{f"observant_{k}": observers.get(k) or shown[f"observant_{k}"] for k in codes},
            }
        )
    return form


def _grid(rec, lesson: int) -> list[tuple[str, int, str]]:
    """``(code, phase number, phase)`` for every case pupil and phase of the lesson."""
    phases = rec.lesson_study.lessons[lesson].phase_names()
    return [(k, i, ph) for k in _codes(rec) for i, ph in enumerate(phases, 1)]


def _planned(cycle, path, lesson: int, title: str):
    """``(record, grid, None)``, or a form saying what to fill in first when the lesson has no phases yet."""
    rec = current(cycle, path)
    grid = _grid(rec, lesson)
    if grid:
        return rec, grid, None
    return rec, grid, _waiting(title, f"Leg eerst de lesfases en de observanten van les {lesson} vast en open de pagina opnieuw.")


def predictions_form(cycle, path, lesson: int, *, invulling=None) -> Form:
    """Before the lesson: what the team expects of each case pupil in each phase."""
    title = f"Voorspellingen voor les {lesson}"
    rec, grid, waiting = _planned(cycle, path, lesson, title)
    if waiting is not None:
        return waiting
    fields = [Field(f"voorspelling_{k}_{i}", f"{k} · {ph}", "area", required=False) for k, i, ph in grid]

    def values_of(r):
        table = r.lesson_study.lessons[lesson].predictions
        return {f"voorspelling_{k}_{i}": (table.get(k) or {}).get(ph) for k, i, ph in grid}

    def save(vals):
        c = current(cycle, path)
        table: dict = {}
        for k, i, ph in grid:
            if vals.get(f"voorspelling_{k}_{i}"):
                table.setdefault(k, {})[ph] = vals[f"voorspelling_{k}_{i}"]
        record_predictions(c, lesson, table)
        save_cycle(c, path)

    parts = [(f"Casusleerling {k}", [f"voorspelling_{k}_{i}" for kk, i, _ in grid if kk == k]) for k in _codes(rec)]
    form = Form(title, fields, values_of(rec), save, reload=lambda: values_of(current(cycle, path)), sections=parts)
    given = (section(invulling, f"les_{lesson}") or {}).get("voorspellingen")
    if not rec.lesson_study.lessons[lesson].predictions and given:
        form.apply({f"voorspelling_{k}_{i}": (given.get(k) or {}).get(ph) for k, i, ph in grid})
    return form


def _pupil_parts(rec, grid) -> list[tuple[str, list[str]]]:
    """The observation form in parts: per case pupil what was seen in each phase and the interview,
    then the nabespreking (a teacher observes one pupil, and saves that part alone)."""
    parts = [
        (
            f"Casusleerling {k}",
            [f"{kind}_{k}_{i}" for kk, i, _ in grid if kk == k for kind in ("waarneming", "klopt")] + [f"interview_{k}"],
        )
        for k in _codes(rec)
    ]
    return parts + [("Nabespreking", ["nabespreking"])]


def observations_form(cycle, path, lesson: int, *, invulling=None) -> Form:
    """After the lesson: what the observer saw, whether the prediction held, the interviews and the nabespreking."""
    title = f"Na les {lesson}: observaties en nabespreking"
    rec, grid, waiting = _planned(cycle, path, lesson, title)
    if waiting is not None:
        return waiting
    fields = []
    for k, i, ph in grid:
        fields.append(Field(f"waarneming_{k}_{i}", f"{k} · {ph}: wat zag de observant?", "area", required=False))
        fields.append(Field(f"klopt_{k}_{i}", f"{k} · {ph}: klopte de voorspelling?", "choice", MATCH_CHOICES, required=False))
    fields += [Field(f"interview_{k}", f"Interview met {k}", "area", required=False) for k in _codes(rec)]
    fields.append(Field("nabespreking", "Nabespreking", "area", required=False, hint="wat leerde het team?"))

    def values_of(r):
        les = r.lesson_study.lessons[lesson]
        out = {"nabespreking": les.debrief, **{f"interview_{k}": les.interviews.get(k) for k in _codes(r)}}
        for k, i, ph in grid:
            seen = (les.observations.get(k) or {}).get(ph) or {}
            out[f"waarneming_{k}_{i}"], out[f"klopt_{k}_{i}"] = seen.get("waarneming"), seen.get("klopt")
        return out

    def save(vals):
        c = current(cycle, path)
        table: dict = {}
        for k, i, ph in grid:
            if vals.get(f"waarneming_{k}_{i}") or vals.get(f"klopt_{k}_{i}"):
                table.setdefault(k, {})[ph] = (vals.get(f"waarneming_{k}_{i}"), vals.get(f"klopt_{k}_{i}"))
        record_observations(c, lesson, table)
        record_interviews(c, lesson, {k: vals[f"interview_{k}"] for k in _codes(c) if vals.get(f"interview_{k}")})
        record_debrief(c, lesson, vals.get("nabespreking"))
        save_cycle(c, path)

    form = Form(
        title, fields, values_of(rec), save, reload=lambda: values_of(current(cycle, path)), sections=_pupil_parts(rec, grid)
    )
    given = section(invulling, f"les_{lesson}") or {}
    if not rec.lesson_study.lessons[lesson].observations and given.get("observaties"):
        seen, said = given["observaties"], given.get("interviews") or {}
        values = {"nabespreking": given.get("nabespreking"), **{f"interview_{k}": said.get(k) for k in _codes(rec)}}
        for k, i, ph in grid:
            text, match = ((seen.get(k) or {}).get(ph) or (None, None))[:2]
            values[f"waarneming_{k}_{i}"], values[f"klopt_{k}_{i}"] = text, match
        form.apply(values)
    return form


def conclusions_form(cycle, path, *, invulling=None) -> Form:
    """Fase 5: the team's conclusions and what it keeps (*borgen*), one agreement per line."""
    fields = [Field("conclusies", "Conclusies", "area"), Field("borgen", "Wat we borgen", "area", hint="één afspraak per regel")]

    def values_of(r):
        ls = r.lesson_study
        return {"conclusies": ls.conclusions, "borgen": "\n".join(map(str, ls.keep)) or None}

    def save(vals):
        c = current(cycle, path)
        record_conclusions(c, vals["conclusies"], _lines(vals["borgen"]))
        save_cycle(c, path)

    rec = current(cycle, path)
    form = Form("Conclusies en borgen", fields, values_of(rec), save, reload=lambda: values_of(current(cycle, path)))
    given = section(invulling, "conclusies")
    if rec.lesson_study.conclusions is None and given:
        form.apply({"conclusies": given.get("conclusies"), "borgen": "\n".join(given.get("borgen") or [])})
    return form


def record_check(cycle, done: str = "Het verslag klopt."):
    """What :func:`plgdata.cycle.validate_cycle` finds, as Dutch text on the page (never a Python list)."""
    from IPython.display import HTML

    problems = [p.message for p in validate_cycle(cycle)]
    if not problems:
        return HTML(f"<p>{escape(done)}</p>")
    items = "".join(f"<li>{escape(m)}</li>" for m in problems)
    return HTML(f"<p>Nog niet compleet of niet in orde:</p><ul>{items}</ul>")


# ---------------------------------------------------------------------------
# the leerteam's year plan
# ---------------------------------------------------------------------------


def open_year_plan(path, *, leerteam: str | None, school_year: str | None):
    """The year plan at ``path``, or a new one in memory (saved by the first form that saves)."""
    p = Path(path)
    if p.exists():
        return load_cycle(p)
    return new_cycle(
        "jaarplan", title=f"Jaarplan {leerteam or ''} {school_year or ''}".strip(), leerteam=leerteam, school_year=school_year
    )


def _focus_subjects() -> list[tuple[str, str]]:
    return [(label, code) for code, label in SUBJECT_LABELS.items()]


def periods_form(cycle, path, *, invulling=None) -> Form:
    """The periods of the year with their focus subject and goal, and the meeting dates."""
    fields = []
    for n in range(1, PERIOD_SLOTS + 1):
        fields += [
            Field(f"van_{n}", f"Periode {n}: van", "date", required=False, hint="bijv. 25-08-2025"),
            Field(f"tot_{n}", f"Periode {n}: tot", "date", required=False),
            Field(f"focusvak_{n}", f"Periode {n}: focusvak", "choice", _focus_subjects(), required=False),
            Field(f"doel_{n}", f"Periode {n}: doel", required=False),
        ]
    fields.append(Field("bijeenkomsten", "Bijeenkomsten", "area", required=False, hint="één datum per regel, bijv. 02-09-2025"))

    def values_of(r):
        out = {"bijeenkomsten": "\n".join(_dutch_date(x["datum"]) for x in r.year_plan.meetings) or None}
        for n, p in enumerate(r.year_plan.periods[:PERIOD_SLOTS], 1):
            out.update(
                {
                    f"van_{n}": p.get("van"),
                    f"tot_{n}": p.get("tot"),
                    f"focusvak_{n}": p.get("focusvak"),
                    f"doel_{n}": p.get("doel"),
                }
            )
        return out

    def validate(vals):
        problems = {}
        for n in range(1, PERIOD_SLOTS + 1):
            row = [vals.get(f"{k}_{n}") for k in ("van", "tot", "focusvak", "doel")]
            missing = [k for k, v in zip(("van", "tot", "focusvak"), row[:3]) if not v]
            if any(row) and missing:
                problems[f"{missing[0]}_{n}"] = f"Periode {n}: vul ook '{missing[0]}' in, of maak de hele periode leeg."
            elif row[0] and row[1] and row[1] < row[0]:
                problems[f"tot_{n}"] = f"Periode {n}: de periode eindigt voordat ze begint."
        for line in _lines(vals.get("bijeenkomsten")):
            try:
                to_iso_date(line, "datum")
            except CycleError:
                problems["bijeenkomsten"] = f"Bijeenkomsten: '{line}' is geen datum; schrijf bijvoorbeeld 02-09-2025."
        return problems

    def save(vals):
        c = current(cycle, path)
        rows = [
            {"periode": str(n), **{k: vals.get(f"{k}_{n}") for k in ("van", "tot", "focusvak", "doel")}}
            for n in range(1, PERIOD_SLOTS + 1)
            if vals.get(f"van_{n}")
        ]
        set_periods(c, rows)
        set_meetings(c, _lines(vals.get("bijeenkomsten")))
        save_cycle(c, path)

    form = Form(
        "Perioden, focusvakken en bijeenkomsten",
        fields,
        values_of(cycle),
        save,
        validate=validate,
        reload=lambda: values_of(current(cycle, path)),
    )
    rec = current(cycle, path)
    if not rec.year_plan.periods and section(invulling, "perioden"):
        values = {"bijeenkomsten": "\n".join(map(str, section(invulling, "bijeenkomsten") or []))}
        for n, p in enumerate(section(invulling, "perioden")[:PERIOD_SLOTS], 1):
            values.update({f"{k}_{n}": p.get(k) for k in ("van", "tot", "focusvak", "doel")})
        form.apply(values)
    return form


def _dutch_date(iso) -> str:
    from plgdata.forms.base import show_date

    return show_date(iso)


def planned_cycle_form(cycle, path, *, invulling=None) -> Form:
    """One cycle the leerteam runs in a period (datateam, actieonderzoek or Lesson Study)."""
    rec = current(cycle, path)
    periods = [(f"periode {p}", p) for p in rec.year_plan.period_names()]
    if not periods:
        return _waiting("Een cyclus in het jaarplan", "Leg eerst de perioden vast (hierboven) en open de pagina opnieuw.")
    methods = [(m.METHODS[k].title, k) for k in m.METHODS if k != m.YEARPLAN.name]

    def titles():
        return {x.get("titel") for x in current(cycle, path).year_plan.cycles}

    fields = [
        Field("methode", "Werkwijze", "choice", methods),
        Field("titel", "Titel", check=lambda v: f"'{v}' staat al in het jaarplan." if v in titles() else None),
        Field("periode", "Periode", "choice", periods),
        Field("bestand", "Verslag (bestandsnaam)", required=False, hint="bijv. lessonstudy.yaml"),
    ]

    def save(vals):
        c = current(cycle, path)
        add_planned_cycle(c, vals["methode"], vals["titel"], vals["periode"], file=vals.get("bestand"))
        save_cycle(c, path)

    intro = f"Het jaarplan heeft {len(rec.year_plan.cycles)} cyclus/cycli." if rec.year_plan.cycles else ""
    form = Form("Een cyclus in het jaarplan", fields, {}, save, fresh=dict, intro=intro)
    for item in section(invulling, "cycli") or []:
        if item.get("titel") not in titles():
            form.apply(item)
    return form


def talks_form(cycle, path, *, invulling=None) -> Form:
    """The gesprekkencyclus: per talk the date and the outcome in one line; a talk still to come stays empty."""
    fields = []
    for kind in m.TALKS:
        fields += [
            Field(f"datum_{kind}", f"{kind.capitalize()}: datum", "date", required=False),
            Field(f"uitkomst_{kind}", f"{kind.capitalize()}: uitkomst", required=False, hint="één regel: wat spraken we af?"),
        ]

    def values_of(r):
        held = {t.get("soort"): t for t in r.year_plan.talks}
        out = {}
        for kind in m.TALKS:
            out[f"datum_{kind}"], out[f"uitkomst_{kind}"] = (
                (held.get(kind) or {}).get("datum"),
                (held.get(kind) or {}).get("uitkomst"),
            )
        return out

    def validate(vals):
        problems = {}
        for kind in m.TALKS:
            date, outcome = vals.get(f"datum_{kind}"), vals.get(f"uitkomst_{kind}")
            if outcome and not date:
                problems[f"datum_{kind}"] = f"{kind.capitalize()}: geef ook de datum."
            elif date and not outcome:
                problems[f"uitkomst_{kind}"] = (
                    f"{kind.capitalize()}: schrijf in één regel wat jullie afspraken (of laat de datum leeg tot het gesprek is geweest)."
                )
        return problems

    def save(vals):
        c = current(cycle, path)
        for kind in m.TALKS:
            if vals.get(f"datum_{kind}"):
                record_talk(c, kind, vals[f"datum_{kind}"], vals.get(f"uitkomst_{kind}"))
        save_cycle(c, path)

    form = Form(
        "Gesprekkencyclus", fields, values_of(cycle), save, validate=validate, reload=lambda: values_of(current(cycle, path))
    )
    given = section(invulling, "gesprekken") or []
    if not current(cycle, path).year_plan.talks and given:
        form.apply(
            {
                k: v
                for t in given
                for k, v in ((f"datum_{t['soort']}", t.get("datum")), (f"uitkomst_{t['soort']}", t.get("uitkomst")))
            }
        )
    return form
