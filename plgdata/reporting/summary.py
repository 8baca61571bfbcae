"""The *samenvatting voor het bestuur* that leads the opbrengstenrapport.

Per PLG question a few plain sentences, each naming the school year, the points gained (the
test's own score points where they exist), the design of the comparison and its caveat, so a
board member who reads only this page reads nothing that the report's evidence does not carry.
It makes no number of its own: every figure comes from the report's own tables and from the
interventie-evaluaties the report already made.  At most about two A4 pages: one sentence per
focus subject, per groep-8 subject and per intervention.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plgdata.model.labels import fmt_num, fmt_pct
from plgdata.reporting.common import effect_in_points

#: the comparison behind an intervention's estimate, in a board member's words
DESIGN_WORDS: dict[str, str] = {
    "pre_post_control": "vergelijking met een vergelijkingsgroep, gecorrigeerd voor de voormeting (ANCOVA)",
    "whole_classes": "hele klassen vergeleken: klasgemiddelden, gecorrigeerd voor de voormeting (elke klas telt als één waarneming)",
    "cohort": "cohortvergelijking: de jaargangen sinds de start tegenover de jaargangen ervoor",
    "one_group": "één groep voor en na, zonder vergelijkingsgroep",
}
#: a short name of the design, for the kernboodschap and the interventions table
DESIGN_SHORT: dict[str, str] = {
    "pre_post_control": "vergelijkingsgroep, ANCOVA",
    "whole_classes": "hele klassen vergeleken, voormeting meegenomen",
    "cohort": "cohortvergelijking",
    "one_group": "één groep voor en na",
}


def design_key(result) -> str:
    """The key of ``result``'s design in the design vocabularies above: whole classes compared by their
    adjusted class means are a design of their own (``whole_classes``)."""
    if result.design == "pre_post_control" and getattr(result, "unit", "leerling") == "klas":
        return "whole_classes"
    return result.design


def design_short(result) -> str:
    """The short name of ``result``'s design (:data:`DESIGN_SHORT`)."""
    return DESIGN_SHORT.get(design_key(result), result.design)


#: what a design cannot show
DESIGN_CAVEATS: dict[str, str] = {
    "pre_post_control": "Klassen verschillen ook in leerkracht en samenstelling; één klas tegen één klas scheidt die niet van de aanpak.",
    "cohort": "Andere veranderingen in dezelfde jaren (een andere leerkracht, methode of populatie) kunnen meespelen.",
    "one_group": "Zonder vergelijkingsgroep is niet te zeggen wat er zonder de aanpak was gebeurd (regressie naar het gemiddelde).",
}
_VERDICT_WORDS: dict[str, str] = {
    "positief": "een aantoonbaar positief effect",
    "negatief": "een aantoonbaar negatief effect",
    "geen aantoonbaar effect": "geen aantoonbaar effect (de marge bevat 0)",
    "te weinig leerlingen": "te weinig leerlingen om iets te concluderen",
    "niet te scheiden": "niet te scheiden van het verschil tussen de klassen zelf (te weinig klassen aan een kant)",
    "niet vergelijkbaar": "de groepen waren vooraf niet vergelijkbaar",
    "niet te beoordelen": "met deze gegevens niet te beoordelen",
}
#: verdicts whose estimate is evidence; with the others a size is only a description, or not shown
_EVIDENCE = ("positief", "negatief", "geen aantoonbaar effect")
_DESCRIPTIVE = ("niet te scheiden", "niet vergelijkbaar")

#: who counts for "extra aandacht" and "meer uitdaging" (the rules of the groepsoverzicht)
ATTENTION_RULE = (
    "bij niveau V op de laatste toets van een vak (de laagste 20% van het land) of bij een groei van meer dan 1,1 "
    "standaardafwijking onder de landelijke norm"
)
CHALLENGE_RULE = "niveau I (de hoogste 20% van het land) en minstens zo snel gegroeid als de landelijke norm"


def _groepen(values) -> str:
    gs = sorted({int(g) for g in values})
    if len(gs) > 2 and gs == list(range(gs[0], gs[-1] + 1)):
        return f"groep {gs[0]} t/m {gs[-1]}"
    return ("groep " if len(gs) == 1 else "groepen ") + ", ".join(map(str, gs))


def growth_sentences(growth: pd.DataFrame, year: str) -> list[str]:
    """Per subject: the points gained from midden to eind, and where growth beat or trailed the norm."""
    out = []
    if not len(growth) or "Gemiddelde leerwinst" not in growth.columns:
        return out
    from plgdata.reporting.groepsoverzicht import growth_claims

    rows = growth[growth["Gemiddelde groei in z"].notna()] if "Gemiddelde groei in z" in growth.columns else growth.iloc[:0]
    is_faster, is_slower, m = growth_claims(rows)  # one family, as the report's conclusions (Holm)
    family = f" (na correctie voor {m} vergelijkingen)" if m > 1 else ""
    for vak, part in growth.groupby("Vak", sort=False):
        part = part[part["Gemiddelde leerwinst"].notna()]
        if part.empty:
            continue
        lo, hi = part["Gemiddelde leerwinst"].min(), part["Gemiddelde leerwinst"].max()
        points = f"{fmt_num(lo)} punten" if np.isclose(lo, hi) else f"{fmt_num(lo)} tot {fmt_num(hi)} punten"
        versions = ", ".join(dict.fromkeys(part["Toetsversie"].astype(str)))
        faster = rows[is_faster & (rows["Vak"] == vak)]
        slower = rows[is_slower & (rows["Vak"] == vak)]
        norm = []
        if len(faster):
            norm.append(f"aantoonbaar sneller dan de landelijke norm in {_groepen(faster['groep'])}")
        if len(slower):
            norm.append(f"aantoonbaar langzamer in {_groepen(slower['groep'])}")
        norm_text = "; ".join(norm) if norm else "nergens aantoonbaar sneller of langzamer dan de landelijke norm"
        out.append(
            f"{vak} ({year}, {versions}): {_groepen(part['groep'])} gingen van midden naar eind schooljaar gemiddeld "
            f"{points} vooruit; {norm_text}."
        )
    if out:
        out.append(
            f"Opzet bij deze groei: vergelijking met de landelijke normgroep{family}, zonder vergelijkingsgroep op school; "
            "of de groei door het werk van de leerteams komt, laat dit niet zien."
        )
    return out


def trend_sentences(trend: pd.DataFrame) -> list[str]:
    """One sentence: per subject the share at I–III in the first and the last school year of the trend."""
    parts = []
    for vak, part in trend.groupby("Vak", sort=False):
        part = part[part["share"].notna()].sort_values("Schooljaar")
        if len(part) >= 2:
            first, last = part.iloc[0], part.iloc[-1]
            parts.append(
                f"{str(vak).lower()} {fmt_pct(first['share'])} ({first['Schooljaar']}) → {fmt_pct(last['share'])} ({last['Schooljaar']})"
            )
    if not parts:
        return []
    return [
        "Aandeel op niveau I–III, hele school, eind schooljaar: " + "; ".join(parts) + ". Elk jaar zijn het andere "
        "leerlingen: een beeld van de school, geen groei van dezelfde kinderen."
    ]


def _year_of(ev) -> str:
    info = ev.info or {}
    if info.get("years_new"):
        return ", ".join(info["years_new"])
    return str(info.get("post_school_year") or info.get("pre_school_year") or "")


def intervention_sentence(name: str, ev, claimed: bool = True) -> str:
    """One intervention: year, design, points (or sd), verdict and the design's caveat.

    ``claimed`` is False for a positive or negative verdict that does not stand once every
    intervention of the year is taken together (the report's conclusions decide, Holm).
    """
    res = ev.result
    year = _year_of(ev)
    head = f"{name}{f' ({year})' if year else ''}"
    if res is None:
        return f"{head}: geen voor- en nameting om te vergelijken."
    design = DESIGN_WORDS.get(design_key(res), res.design)
    verdict = _VERDICT_WORDS.get(ev.verdict, ev.verdict)
    if ev.verdict in ("positief", "negatief") and not claimed:
        verdict += " op zichzelf, maar niet meer na correctie voor alle interventies samen (een aanwijzing, geen bewijs)"
    if ev.verdict not in _EVIDENCE + _DESCRIPTIVE:
        return f"{head}: {verdict}. Opzet: {design}."
    diff, ci = effect_in_points(res)  # whole classes: the adjusted class means, as the interventie-evaluatie
    if np.isfinite(diff):
        interval = f" (95%-BI {fmt_num(ci[0])} tot {fmt_num(ci[1])})" if np.isfinite(ci[0]) and np.isfinite(ci[1]) else ""
        size = f"{fmt_num(diff)} punten verschil op de toets{interval}, {fmt_num(res.headline, 2)} standaardafwijking"
    else:
        size = (
            f"{fmt_num(res.headline, 2)} standaardafwijking (95%-BI {fmt_num(res.headline_ci[0], 2)} tot "
            f"{fmt_num(res.headline_ci[1], 2)})"
        )
    size = size if ev.verdict in _EVIDENCE else f"beschrijvend, geen bewijs: {size}"
    return f"{head}: {verdict}; {size}. Opzet: {design}. {DESIGN_CAVEATS.get(res.design, '')}".rstrip()


def pupil_sentences(pupils: pd.DataFrame, year: str) -> tuple[str, str]:
    """The 'extra aandacht' and 'meer uitdaging' counts of the year, each with the rule that defines it."""
    n = int(pupils["n"].sum()) if len(pupils) else 0
    att = int(pupils["Extra aandacht"].sum()) if len(pupils) else 0
    cha = int(pupils["Meer uitdaging"].sum()) if len(pupils) else 0
    groepen = _groepen(pupils["groep"]) if len(pupils) else "geen groep"
    return (
        f"Extra aandacht, schooljaar {year}: {att} van de {n} leerlingen ({groepen}). Een leerling telt mee "
        f"{ATTENTION_RULE}; één keer, ook bij meer vakken.",
        f"Meer uitdaging, schooljaar {year}: {cha} van de {n} leerlingen kunnen waarschijnlijk meer aan: {CHALLENGE_RULE}.",
    )


def board_summary(op, evaluations=()) -> list[tuple[str, list[str]]]:
    """The board summary of an :class:`~plgdata.reporting.opbrengsten.OpbrengstenReport`: per PLG question
    a heading and its plain sentences.

    ``evaluations`` are the (intervention name, :class:`~plgdata.reporting.interventie.InterventionEvaluation`)
    pairs the report already made for its interventions table.
    """
    year = op.school_year
    cycles = op.cycles
    done = int((cycles["Stand"] == "afgerond").sum()) if len(cycles) else 0
    met = int((cycles["Doel gehaald"] == "ja").sum()) if len(cycles) else 0
    judged = int(cycles["Doel gehaald"].isin(["ja", "nee"]).sum()) if len(cycles) else 0
    teams = sorted(set(op.focus["Leerteam"])) if len(op.focus) else []
    focus = sorted(set(op.focus["Focusvak"].astype(str).str.lower())) if len(op.focus) else []
    q1 = [
        f"Schooljaar {year}: {len(teams)} leerteam(s) werkten aan {', '.join(focus) if focus else 'de vakken met resultaten'}; "
        f"{len(cycles)} cyclus/cycli, waarvan {done} afgerond; doel gehaald in {met} van de {judged} met een meetbaar doel."
    ]
    # groep 8's referentieniveaus: the Inspectie indicator's own sentence (its school years, pupils and caveat)
    referentie = [f"Referentieniveaus groep 8: {op.referentie_sentence}"] if op.referentie_sentence else []
    q2 = growth_sentences(op.growth, year) + trend_sentences(op.trend) + referentie
    attention, challenge = pupil_sentences(op.pupils, year)
    claimed = " ".join(op.can_conclude)  # the report's own conclusions say which effects stand
    q3 = [intervention_sentence(name, ev, f"{name} (" in claimed) for name, ev in evaluations] + [attention]
    kept = op.kept[op.kept["Borgen / vervolg"].astype(str) != "–"] if len(op.kept) else op.kept
    q4 = [challenge, f"{len(kept)} van de {len(op.kept)} cycli leggen vast wat het leerteam borgt of als vervolg doet."]
    return [
        ("1. Wat moeten leerlingen leren?", q1),
        ("2. Hoe weten we dat ze het leren?", q2 or ["Er zijn geen groeicijfers voor dit schooljaar."]),
        ("3. Wat doen we als ze het niet leren?", q3),
        ("4. Wat doen we als ze het al kunnen?", q4),
    ]
