"""The forms of steps 2 and 6: a new hypothesis with its analysis, and the team's verdicts.

A hypothesis form asks for the analysis kind and, for that kind only, subject,
groepen, school year, characteristic, the two groups and the threshold, each as a
dropdown filled from the loaded data (or a field for the threshold).  What it saves is
the item :func:`plgdata.workflow.add_new_hypotheses` takes, so the record looks exactly
as before the forms.
"""

from __future__ import annotations

import pandas as pd

from plgdata import workflow
from plgdata.cycle import Verdict, record_verdict, save_cycle
from plgdata.forms import choices as ch
from plgdata.forms.base import Field, Form
from plgdata.forms.filling import current, section

#: analysis kinds with a Dutch explanation, and the fields each one uses
ANALYSES = [
    ("groepsverschil: verschillen twee groepen leerlingen in score?", "groepsverschil"),
    ("samenhang: hangen twee vakken samen?", "samenhang"),
    ("verschil in aandelen: scoort de ene groep vaker IV/V?", "verschil_in_aandelen"),
    ("groei tegen de norm: groeien leerlingen zoals landelijk?", "groei_tegen_norm"),
]
#: an analysis kind as a teacher reads it ("verschil in aandelen", never the record's code name)
ANALYSIS_NAMES = {kind: label.split(":")[0] for label, kind in ANALYSES}
KIND_FIELDS = {
    "groepsverschil": ("vak", "periode", "schooljaar", "groepen", "kenmerk", "a", "b", "richting", "drempel"),
    "samenhang": ("vak_x", "vak_y", "periode", "schooljaar", "groepen", "richting", "drempel"),
    "verschil_in_aandelen": ("vak", "periode", "schooljaar", "groepen", "kenmerk", "a", "b", "niveaus", "richting", "drempel"),
    "groei_tegen_norm": ("vak", "van", "naar", "schooljaar", "groepen", "richting", "drempel"),
}
THRESHOLD_KEY = {
    "groepsverschil": "min_effect",
    "samenhang": "min_r",
    "verschil_in_aandelen": "min_verschil",
    "groei_tegen_norm": "min_verschil",
}
_ITEM_KEYS = ("id", "soort", "stelling", "data", "analyse", "beslisregel", "herziet")


def _for_kind(name):
    return lambda raw: name in KIND_FIELDS.get(raw.get("analyse"), ())


def _directions(raw):
    if raw.get("analyse") == "samenhang":
        return [("positief (samen hoger)", "positief"), ("negatief", "negatief")]
    return [("groter (groep A hoger of vaker)", "groter"), ("kleiner (groep A lager of minder vaak)", "kleiner")]


def _threshold_ok(value):
    if value <= 0:
        return "de drempel moet groter dan 0 zijn."
    if value > 3:
        return "de drempel is in standaardafwijkingen, een correlatie of een aandeel; kies iets tussen 0 en 3."
    return None


def hypothesis_fields(ds, known_ids, taken) -> list[Field]:
    """The fields of a new hypothesis, options filled from ``ds``; ``taken()`` gives the ids in the record now."""
    subj, k = ch.subjects(ds), _for_kind
    return [
        Field("id", "Id", hint="bijv. H5", check=lambda v: f"{v} bestaat al; kies een nieuw id." if v in taken() else None),
        Field("soort", "Soort", "choice", ch.KINDS),
        Field("stelling", "Stelling", "area", hint="meetbaar, liefst in procenten"),
        Field("data", "Welke data", required=False, hint="bijv. Cito begrijpend lezen M 2025-2026"),
        Field("analyse", "Analyse", "choice", ANALYSES),
        Field("vak", "Vak", "choice", subj, when=k("vak")),
        Field("vak_x", "Eerste vak", "choice", subj, when=k("vak_x")),
        Field("vak_y", "Tweede vak", "choice", subj, when=k("vak_y")),
        Field("periode", "Toets (moment)", "choice", ch.PERIODS, when=k("periode")),
        Field("van", "Van moment", "choice", ch.PERIODS, when=k("van")),
        Field("naar", "Naar moment", "choice", ch.PERIODS, when=k("naar")),
        Field("schooljaar", "Schooljaar", "choice", ch.school_years(ds), when=k("schooljaar")),
        Field("groepen", "Groepen", "multi", ch.groepen(ds), when=k("groepen")),
        Field("kenmerk", "Kenmerk", "choice", ch.characteristics(ds), when=k("kenmerk")),
        Field("a", "Groep A", "choice", lambda raw: ch.group_values(ds, raw.get("kenmerk")), when=k("a")),
        Field("b", "Groep B", "choice", lambda raw: ch.group_values(ds, raw.get("kenmerk")), when=k("b")),
        Field("niveaus", "Niveaus die tellen", "multi", ch.LEVELS, when=k("niveaus")),
        Field("richting", "Verwachte richting", "choice", _directions, required=False, when=k("richting")),
        Field("drempel", "Drempel", "number", hint="sd, r of aandeel, bijv. 0,3 of 10%", when=k("drempel"), check=_threshold_ok),
        Field("beslisregel", "Beslisregel", "area", hint="wanneer is de hypothese bevestigd, wanneer verworpen?"),
        Field("herziet", "Herziet hypothese", "choice", [(i, i) for i in known_ids], required=False),
    ]


def item_of(values: dict) -> dict:
    """Form values -> the hypothesis item of the record (``parameters`` by analysis kind)."""
    kind = values["analyse"]
    params = {n: values[n] for n in KIND_FIELDS[kind] if n != "drempel" and values.get(n) is not None}
    params[THRESHOLD_KEY[kind]] = values["drempel"]
    item = {k: values.get(k) for k in _ITEM_KEYS}
    item["parameters"] = params
    return item


def values_of(item: dict) -> dict:
    """A hypothesis item (as in the record or a filling) -> form values."""
    params = dict(item.get("parameters") or {})
    kind = item.get("analyse")
    values = {k: item.get(k) for k in _ITEM_KEYS}
    values.update({k: v for k, v in params.items() if k not in THRESHOLD_KEY.values()})
    values["drempel"] = params.get(THRESHOLD_KEY.get(kind, ""))
    return values


def hypotheses_table(cycle) -> pd.DataFrame:
    """What the record holds: one row per hypothesis."""
    rows = [
        {
            "Hypothese": h.id,
            "Soort": h.kind,
            "Stelling": h.statement,
            "Analyse": ANALYSIS_NAMES.get(h.test_kind, h.test_kind or ""),
            "Herziet": h.revises or "",
        }
        for h in cycle.hypotheses
    ]
    return pd.DataFrame(rows, columns=["Hypothese", "Soort", "Stelling", "Analyse", "Herziet"])


def _next_id(cycle, prefix: str, ids) -> str:
    n = 1
    while f"{prefix}{n}" in ids:
        n += 1
    return f"{prefix}{n}"


def hypothesis_form(cycle, path, ds, *, invulling=None, onderdeel: str = "hypothesen", analyse: bool = False) -> Form:
    """Step 2 (and the loop back from step 6): add a hypothesis to the record.

    The example filling's section ``onderdeel`` is applied, item by item, for the ids the
    record does not hold yet.  With ``analyse=True`` (notebook 06) a saved hypothesis is
    tested at once and the rule's verdict is shown.
    """
    known = [h.id for h in cycle.hypotheses]

    def save(values):
        c = current(cycle, path)
        workflow.add_new_hypotheses(c, [item_of(values)])
        if analyse:
            workflow.analyse_open_hypotheses(c, ds)
        save_cycle(c, path)
        return workflow.verdict_table(c)[["Hypothese", "Stelling", "Volgens de beslisregel"]] if analyse else hypotheses_table(c)

    def validate(values):
        if "a" in values and values.get("a") == values.get("b"):
            return {"b": "Groep B: kies een andere groep dan groep A."}
        return {}

    title = (
        "Een nieuwe hypothese"
        if not known
        else f"Een nieuwe hypothese (het verslag heeft er al {len(known)}: {', '.join(known)})"
    )

    def taken():
        return {h.id for h in current(cycle, path).hypotheses}

    def fresh():
        return {"id": _next_id(cycle, "H", taken()), "niveaus": ["IV", "V"]}

    form = Form(
        title,
        hypothesis_fields(ds, known, taken),
        fresh(),
        save,
        validate=validate,
        fresh=fresh,
        intro="Vul de velden in; welke velden er zijn, hangt af van de analyse.",
    )
    for item in section(invulling, onderdeel) or []:
        if item.get("id") not in taken():
            form.apply(values_of(item))
    return form


def verdicts_form(cycle, path, *, invulling=None, alleen_open: bool = False) -> Form:
    """Step 6: the team's verdict and interpretation per hypothesis with an analysis result.

    Shows the verdicts the record holds; ``alleen_open`` asks only for hypotheses without a
    verdict (after a new hypothesis).  The filling's ``oordelen`` are applied for hypotheses
    the record holds no verdict for.
    """
    ids = [h.id for h in cycle.hypotheses if h.id in cycle.analyses and not (alleen_open and h.id in cycle.verdicts)]
    fields = []
    for hid in ids:
        rule = cycle.analyses[hid].get("oordeel_volgens_regel", "")
        fields.append(
            Field(
                f"oordeel_{hid}",
                f"Oordeel {hid}",
                "choice",
                ch.VERDICT_CHOICES,
                required=False,
                hint=f"volgens de beslisregel: {rule}",
            )
        )
        fields.append(Field(f"interpretatie_{hid}", f"Waarom ({hid})", "area", required=False))

    def values_of(rec):
        out = {}
        for hid in ids:
            v = rec.verdicts.get(hid)
            out[f"oordeel_{hid}"] = v.verdict if v else None
            out[f"interpretatie_{hid}"] = v.interpretation if v else None
        return out

    values = values_of(cycle)

    def validate(vals):
        return {
            f"interpretatie_{h}": f"Waarom ({h}): schrijf op waarom het team tot dit oordeel komt."
            for h in ids
            if vals.get(f"oordeel_{h}") and not vals.get(f"interpretatie_{h}")
        }

    def save(vals):
        c = current(cycle, path)
        for hid in ids:
            _record_verdict(c, hid, vals.get(f"oordeel_{hid}"), vals.get(f"interpretatie_{hid}"))
        save_cycle(c, path)
        return workflow.verdict_table(c)[["Hypothese", "Volgens de beslisregel", "Oordeel van het team", "Interpretatie"]]

    rules = ", ".join(f"{h}: {cycle.analyses[h].get('oordeel_volgens_regel', '')}" for h in ids)
    none_left = (
        "Er wacht geen nieuwe hypothese op een oordeel." if alleen_open else "Er is geen hypothese die op een oordeel wacht."
    )
    intro = f"Volgens de beslisregels: {rules}." if ids else none_left
    form = Form(
        "Oordeel over de nieuwe hypothese" if alleen_open else "Oordelen van het team",
        fields,
        values,
        save,
        validate=validate,
        intro=intro,
        reload=lambda: values_of(current(cycle, path)),
    )
    given = section(invulling, "oordelen") or {}
    todo = {h: given[h] for h in ids if h in given and h not in cycle.verdicts}
    if todo:
        form.apply(
            {
                **values,
                **{f"oordeel_{h}": v.get("oordeel") for h, v in todo.items()},
                **{f"interpretatie_{h}": v.get("interpretatie") for h, v in todo.items()},
            }
        )
    return form


def _record_verdict(c, hid, verdict, interpretation) -> None:
    """A new or changed verdict is recorded (a rejection loops back to step 2); the same verdict only gets the new text."""
    if not verdict:
        return
    have = c.verdicts.get(hid)
    if have is not None and have.verdict == verdict:
        if have.interpretation != interpretation:
            c.verdicts[hid] = Verdict(verdict, interpretation, have.date)
        return
    record_verdict(c, hid, verdict, interpretation)


def revised_hypothesis_form(cycle, path, ds, *, invulling=None) -> Form:
    """Notebook 06, back to step 2: a new or revised hypothesis, tested at once (filling: ``nieuwe_hypothesen``)."""
    return hypothesis_form(cycle, path, ds, invulling=invulling, onderdeel="nieuwe_hypothesen", analyse=True)


def open_verdicts_form(cycle, path, *, invulling=None) -> Form:
    """Notebook 06: the verdicts still missing (the new hypothesis)."""
    return verdicts_form(cycle, path, invulling=invulling, alleen_open=True)


_ACTIONS = [("de tekst verbeteren", "verbeteren"), ("verwijderen uit het verslag", "verwijderen")]


def _correction_form(title, items, field_label, correct, remove, table, path) -> Form:
    """A form to correct the text of, or delete, one saved item (a hypothesis, a measure)."""

    def options(_raw=None):
        return [(f"{i}: {text}"[:90], i) for i, text in items()]

    fields = [
        Field("welke", "Welke", "choice", options),
        Field("wat", "Wat wil je doen?", "choice", _ACTIONS),
        Field(field_label[0], field_label[1], "area", when=lambda raw: raw.get("wat") == "verbeteren"),
    ]
    if field_label[0] == "stelling":
        fields.append(
            Field("beslisregel", "Beslisregel", "area", required=False, when=lambda raw: raw.get("wat") == "verbeteren")
        )

    def save(vals):
        c = current(None, path)
        if vals["wat"] == "verwijderen":
            remove(c, vals["welke"])
        else:
            correct(c, vals)
        save_cycle(c, path)
        return table(c)

    return Form(title, fields, {}, save, fresh=dict, intro="Kies wat je wilt verbeteren of verwijderen; de rest blijft staan.")


def hypothesis_correction_form(cycle, path, *, invulling=None) -> Form:
    """Step 2: correct a saved hypothesis's words, or delete it (with its result and verdict)."""
    from plgdata.cycle.corrections import correct_hypothesis, remove_hypothesis

    return _correction_form(
        "Een hypothese verbeteren of verwijderen",
        lambda: [(h.id, h.statement or "") for h in current(cycle, path).hypotheses],
        ("stelling", "Nieuwe stelling"),
        lambda c, v: correct_hypothesis(c, v["welke"], v["stelling"], v.get("beslisregel")),
        remove_hypothesis,
        hypotheses_table,
        path,
    )


def measure_correction_form(cycle, path, *, invulling=None) -> Form:
    """Step 7: correct a saved measure's description, or delete it."""
    from plgdata.cycle.corrections import correct_measure, remove_measure
    from plgdata.forms.steps import measures_table

    return _correction_form(
        "Een maatregel verbeteren of verwijderen",
        lambda: [(x.id, x.description or "") for x in current(cycle, path).measures],
        ("omschrijving", "Nieuwe omschrijving"),
        lambda c, v: correct_measure(c, v["welke"], v["omschrijving"]),
        remove_measure,
        measures_table,
        path,
    )
