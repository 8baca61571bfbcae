"""The forms of the other input cells: start (00), problem and goal (01), data quality (04),
measures (07), goal check and evaluation (08).

Each function takes the record as loaded and the path it is saved at, shows what the
record holds, and applies its section of the example filling only when the record does
not hold the value yet (see :mod:`plgdata.forms.filling`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from plgdata import workflow
from plgdata.cycle import (
    CycleError,
    add_measure,
    load_cycle,
    record_data_sources,
    record_deepening,
    record_evaluation,
    record_quality,
    save_cycle,
    set_problem,
)
from plgdata.forms import choices as ch
from plgdata.forms.base import Field, Form, FormError, escape
from plgdata.forms.filling import current, section
from plgdata.model.labels import facts, fmt_pct


def _measured(metric):
    """The problem measure, or a Dutch message next to the form when this moment has no such levels
    (an IEP or A–E year has no niveau IV/V: never record 0% of it as a goal met)."""
    if not metric.n:
        raise CycleError(f"Het aandeel is hier niet te bepalen: {metric.basis}. Kies een toetsmoment met niveaus I–V.")
    return metric


def _share_ok(value):
    return None if 0 <= value <= 1 else "schrijf een aandeel tussen 0% en 100% (bijv. 35%)."


def start_form(path, ds=None, *, invulling=None, method: str = "datateam") -> Form:
    """Notebook 00: title and leerteam of the cycle (a new record is made on saving)."""
    p = Path(path)
    c = load_cycle(p) if p.exists() else None

    def save(values):
        cycle = workflow.open_cycle(p, title=values["titel"], leerteam=values.get("leerteam"), ds=ds, method=method)
        cycle.title, cycle.leerteam = values["titel"], values.get("leerteam")
        save_cycle(cycle, p)

    fields = [
        Field("titel", "Titel van de cyclus", hint="bijv. Begrijpend lezen groep 5/6"),
        Field("leerteam", "Leerteam", required=False),
    ]

    def values_of(rec):
        return {"titel": rec.title, "leerteam": rec.leerteam} if rec else {}

    form = Form("De cyclus", fields, values_of(c), save, reload=lambda: values_of(load_cycle(p) if p.exists() else None))
    if c is None and section(invulling, "start"):
        form.apply(section(invulling, "start"))
    return form


def action_research_start_form(path, ds=None, *, invulling=None) -> Form:
    """The actieonderzoek notebook: title and leerteam of a new *actieonderzoek* record."""
    return start_form(path, ds, invulling=invulling, method="actieonderzoek")


def deepening_form(cycle, path, *, invulling=None) -> Form:
    """Actieonderzoek fase 2 (*inhoudelijke verdieping*): what the team read, learned and chose."""
    d = cycle.deepening
    fields = [
        Field("bronnen", "Wat we lazen of bekeken", "area", hint="één bron per regel"),
        Field("inzichten", "Wat we leerden", "area"),
        Field("keuze", "Daarom kiezen we", "area", required=False, hint="welke interventie, en waarom"),
    ]

    def save(vals):
        c = current(cycle, path)
        sources = [line.strip() for line in vals["bronnen"].splitlines() if line.strip()]
        record_deepening(c, sources, vals["inzichten"], vals.get("keuze"))
        save_cycle(c, path)

    def values_of(rec):
        dd = rec.deepening
        return {"bronnen": "\n".join(map(str, dd.sources)) or None, "inzichten": dd.insights, "keuze": dd.choice}

    form = Form("Inhoudelijke verdieping", fields, values_of(cycle), save, reload=lambda: values_of(current(cycle, path)))
    given = section(invulling, "verdieping")
    if d.insights is None and given:
        form.apply({**given, "bronnen": "\n".join(given.get("bronnen") or [])})
    return form


def problem_sentence(metric, values) -> tuple[str, str]:
    """The problem statement and research question plgdata writes from the numbers."""
    g = "/".join(map(str, values["groepen"]))
    vak = values["vak"]
    statement = (
        f"In groep {g} scoort {fmt_pct(metric.value)} van de leerlingen op niveau IV of V bij {vak} "
        f"({values['periode']}-toets {values['schooljaar']}). Dat is te veel."
    )
    word = "hoogstens" if values["doel_is"] == "hoogstens" else "minstens"
    question = f"Hoe krijgen we het aandeel IV/V bij {vak} in groep {g} naar {word} {fmt_pct(values['doel'])}?"
    return statement, question


def problem_form(cycle, path, ds, *, invulling=None) -> Form:
    """Notebook 01: which test shows the problem, the goal and the deadline.

    On saving, plgdata computes the share IV/V from the data; a statement left empty is
    written from that number.
    """
    fields = [
        Field("vak", "Vak", "choice", ch.subjects(ds)),
        Field("groepen", "Groepen", "multi", ch.groepen(ds)),
        Field("periode", "Toets (moment)", "choice", ch.PERIODS),
        Field("schooljaar", "Schooljaar", "choice", ch.school_years(ds)),
        Field("doel", "Doel (aandeel IV/V)", "number", hint="bijv. 35%", check=_share_ok, percent=True),
        Field("doel_is", "Het aandeel moet", "choice", ch.DIRECTIONS_GOAL),
        Field("deadline", "Deadline", "date", hint="bijv. 30-06-2026"),
        Field("stelling", "Probleemstelling", "area", required=False, hint="leeg: plgdata schrijft de zin uit de cijfers"),
        Field("onderzoeksvraag", "Onderzoeksvraag", "area", required=False),
    ]
    p = cycle.problem

    def values_of(rec):
        q = rec.problem
        return {
            **q.metric_params,
            "doel": q.goal_value,
            "doel_is": q.direction or "hoogstens",
            "deadline": q.deadline,
            "stelling": q.statement,
            "onderzoeksvraag": q.question,
        }

    def save(vals):
        c = current(cycle, path)
        metric = _measured(workflow.share_low_levels(ds, vals["vak"], vals["periode"], vals["schooljaar"], vals["groepen"]))
        statement, question = problem_sentence(metric, vals)
        set_problem(
            c,
            vals.get("stelling") or statement,
            metric.description,
            round(metric.value, 3),
            vals["doel"],
            vals["deadline"],
            direction=vals["doel_is"],
            basis=metric.basis,
            question=vals.get("onderzoeksvraag") or question,
            metric_params={k: vals[k] for k in ("vak", "groepen", "periode", "schooljaar")},
        )
        save_cycle(c, path)
        return problem_summary(c)

    form = Form("Probleem en doel", fields, values_of(cycle), save, reload=lambda: values_of(current(cycle, path)))
    if p.statement is None and section(invulling, "probleemdefinitie"):
        form.apply(section(invulling, "probleemdefinitie"))
    return form


def problem_summary(cycle) -> pd.DataFrame:
    """Step 1 as the record holds it, in Dutch."""
    p = cycle.problem
    rows = [
        ("Probleem", p.statement),
        ("Maat", p.metric),
        ("Huidige waarde", fmt_pct(p.current_value) if p.current_value is not None else ""),
        ("Gebaseerd op", p.basis),
        ("Doel", f"{p.direction or ''} {fmt_pct(p.goal_value) if p.goal_value is not None else ''}".strip()),
        ("Deadline", p.deadline),
        ("Onderzoeksvraag", p.question),
    ]
    return pd.DataFrame([(k, v or "") for k, v in rows], columns=["", "Stap 1"]).set_index("")


def data_sources_form(cycle, path, ds, *, invulling=None) -> Form:
    """Notebook 03: the school years the analyses rest on (all loaded files); saved only on *Opslaan*.

    Opening the page changes nothing in the record; a run without a person records every
    year when the record holds no data sources yet.
    """
    years = ch.school_years(ds)
    fields = [Field("jaren", "Schooljaren", "multi", years, hint="voor een trend: minstens drie")]

    def values_of(rec):
        return {"jaren": [y for y in rec.data_sources.years if y in dict(years).values()] or [v for _, v in years]}

    def save(vals):
        c = current(cycle, path)
        record_data_sources(c, [f.source for f in ds.report.files], vals["jaren"], ds.report)
        save_cycle(c, path)
        return data_sources_summary(c)

    form = Form("Deze gegevens gebruiken we", fields, values_of(cycle), save, reload=lambda: values_of(current(cycle, path)))
    if invulling and not cycle.data_sources.files:
        form.apply(values_of(cycle))
    return form


def data_sources_summary(cycle) -> pd.DataFrame:
    """Step 3 as the record holds it."""
    d = cycle.data_sources
    if not d.files:
        return facts({"Vastgelegd": "nog niets: kies de schooljaren en klik op Opslaan"})
    return facts({"Aantal bestanden": len(d.files), "Schooljaren": ", ".join(map(str, d.years))})


def quality_form(cycle, path, findings, *, invulling=None) -> Form:
    """Notebook 04: go on, or back to step 3, and why."""
    fields = [Field("besluit", "Besluit", "choice", ch.DECISIONS), Field("toelichting", "Toelichting", "area")]
    q = cycle.quality

    def save(vals):
        c = current(cycle, path)
        record_quality(
            c,
            findings.to_dict(orient="records") if hasattr(findings, "to_dict") else findings,
            vals["besluit"],
            vals["toelichting"],
        )
        save_cycle(c, path)

    def values_of(rec):
        return {"besluit": rec.quality.decision, "toelichting": rec.quality.note}

    form = Form("Besluit over de datakwaliteit", fields, values_of(cycle), save, reload=lambda: values_of(current(cycle, path)))
    if q.decision is None and section(invulling, "datakwaliteit"):
        form.apply(section(invulling, "datakwaliteit"))
    return form


def measures_table(cycle) -> pd.DataFrame:
    rows = [
        {"Maatregel": m.id, "Omschrijving": m.description, "Interventie": m.intervention_id, "Hypothese": m.hypothesis_id or ""}
        for m in cycle.measures
    ]
    return pd.DataFrame(rows, columns=["Maatregel", "Omschrijving", "Interventie", "Hypothese"])


def measures_form(cycle, path, ds, *, invulling=None) -> Form:
    """Notebook 07: a measure, linked to an intervention id from the interventions table."""

    def taken():
        return {m.id for m in current(cycle, path).measures}

    confirmed = [(f"{h.id} ({cycle.verdicts[h.id].verdict})", h.id) for h in cycle.hypotheses if h.id in cycle.verdicts]
    fields = [
        Field("id", "Id", hint="bijv. M2", check=lambda v: f"{v} bestaat al; kies een nieuw id." if v in taken() else None),
        Field("omschrijving", "Wat gaat het team doen?", "area"),
        Field("interventie", "Interventie", "choice", ch.interventions(ds)),
        Field("hypothese", "Bij hypothese", "choice", confirmed, required=False),
    ]

    def save(vals):
        c = current(cycle, path)
        add_measure(
            c, vals["id"], vals["omschrijving"], vals["interventie"], vals.get("hypothese"), interventions=ds.interventions
        )
        save_cycle(c, path)
        return measures_table(c)

    def fresh():
        ids, n = taken(), 1
        while f"M{n}" in ids:
            n += 1
        return {"id": f"M{n}"}

    form = Form(
        "Een nieuwe maatregel",
        fields,
        fresh(),
        save,
        fresh=fresh,
        intro=f"Het verslag heeft {len(cycle.measures)} maatregel(en)." if cycle.measures else "",
    )
    for item in section(invulling, "maatregelen") or []:
        if item.get("id") not in taken():
            form.apply(item)
    return form


def _deadline_moment(deadline) -> tuple[str | None, str | None]:
    """The test moment and school year of a deadline: B Aug–Nov, M Dec–Mar, E Apr–Jul."""
    try:
        d = dt.date.fromisoformat(str(deadline)[:10])
    except ValueError:
        return None, None
    period = "B" if d.month in (8, 9, 10, 11) else "M" if d.month in (12, 1, 2, 3) else "E"
    start = d.year if d.month >= 8 else d.year - 1
    return period, f"{start}-{start + 1}"


def goal_check_form(cycle, path, ds, *, invulling=None) -> Form:
    """Notebook 08: the same measure as in step 1, at the test of the deadline.

    Shown: subject and groepen of step 1, moment and school year of the deadline; saving
    records the value now and whether the goal is met.
    """
    p = cycle.problem
    if p.goal_value is None:
        raise FormError(
            "Stap 1 (probleemdefinitie) is nog niet ingevuld: zonder doel is er niets om te controleren. "
            "Vul eerst het doel in in notebook 01 en open dan deze stap opnieuw."
        )
    period, year = _deadline_moment(p.deadline)
    values = {**(section(invulling, "doelcheck") or {}), **p.metric_params}
    values.update({k: v for k, v in (("periode", period), ("schooljaar", year)) if v})
    fields = [
        Field("vak", "Vak", "choice", ch.subjects(ds)),
        Field("groepen", "Groepen", "multi", ch.groepen(ds)),
        Field("periode", "Toets (moment)", "choice", ch.PERIODS),
        Field("schooljaar", "Schooljaar", "choice", ch.school_years(ds)),
    ]

    def save(vals):
        c = current(cycle, path)
        now = _measured(workflow.share_low_levels(ds, vals["vak"], vals["periode"], vals["schooljaar"], vals["groepen"]))
        e = c.evaluation
        record_evaluation(c, e.comparisons, note=e.note, next_cycle=e.next_cycle, achieved_value=round(now.value, 3))
        save_cycle(c, path)
        return goal_outcome(c.problem, now)

    form = Form("Is het doel gehaald?", fields, values, save)
    complete = all(values.get(f.name) for f in fields)
    if invulling and complete and cycle.evaluation.achieved_value is None:
        form.apply(values)  # a run without a person records the value now, as a team's save does
    return form


def goal_outcome(problem, now) -> pd.DataFrame:
    """The goal of step 1 next to the value now, and in words whether it is met."""
    table = workflow.goal_status(problem, now)
    met = now.value <= problem.goal_value if problem.direction == "hoogstens" else now.value >= problem.goal_value
    table.loc["Doel gehaald?"] = "ja, gehaald" if met else "nee, nog niet gehaald"
    return table


def goal_check_outcome(cycle, ds, form):
    """Under the goal check: the outcome once the form is complete, else what to do (never an error)."""
    v = form.values
    if not all(v.get(k) for k in ("vak", "groepen", "periode", "schooljaar")) or cycle.problem.goal_value is None:
        from IPython.display import HTML

        return HTML(
            "<p>Kies hierboven vak, groepen, toets en schooljaar en klik op <b>Opslaan</b>: dan staat hier of het doel gehaald is.</p>"
        )
    now = workflow.share_low_levels(ds, v["vak"], v["periode"], v["schooljaar"], v["groepen"])
    if not now.n:
        from IPython.display import HTML

        return HTML(f"<p>Het aandeel is hier niet te bepalen: {escape(now.basis)}. Kies een toetsmoment met niveaus I–V.</p>")
    return goal_outcome(cycle.problem, now)


def evaluation_form(cycle, path, *, invulling=None, comparisons=None) -> Form:
    """Notebook 08: the team's conclusion and the next cycle.

    ``comparisons``: the evaluated measures as record entries
    (:func:`plgdata.workflow.evaluation_record`); saving stores them with the conclusion, so
    merely opening the page changes nothing in the record.
    """
    e = cycle.evaluation
    fields = [Field("toelichting", "Conclusie van het team", "area"), Field("volgende_cyclus", "Volgende cyclus", required=False)]

    def save(vals):
        c = current(cycle, path)
        ev = c.evaluation
        record_evaluation(
            c,
            ev.comparisons if comparisons is None else comparisons,
            note=vals["toelichting"],
            next_cycle=vals.get("volgende_cyclus"),
            achieved_value=ev.achieved_value,
        )
        save_cycle(c, path)

    def values_of(rec):
        return {"toelichting": rec.evaluation.note, "volgende_cyclus": rec.evaluation.next_cycle}

    form = Form("Conclusie en volgende cyclus", fields, values_of(cycle), save, reload=lambda: values_of(current(cycle, path)))
    if e.note is None and section(invulling, "evaluatie"):
        form.apply(section(invulling, "evaluatie"))
    return form
