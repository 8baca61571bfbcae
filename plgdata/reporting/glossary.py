"""The *begrippenlijst* at the end of every report: the terms it uses, explained for the board.

A report for readers outside the datateam uses words such as ANCOVA, Hedges' g or MDE.  The
renderer looks in the finished report for the terms of :data:`TERMS` and adds a short list of
only those that appear (:func:`glossary_html`), just above the footer.
"""

from __future__ import annotations

import re

from plgdata.reporting.html import esc

#: (term as shown, what in a report's text means it is used, the plain Dutch explanation)
TERMS: tuple[tuple[str, str, str], ...] = (
    (
        "95%-BI (betrouwbaarheidsinterval)",
        r"95%-BI|betrouwbaarheidsinterval",
        "De marge rond een schatting. Het echte effect ligt met 95% zekerheid tussen de twee grenzen; "
        "ligt 0 binnen die grenzen, dan kan het verschil ook toeval zijn.",
    ),
    (
        "Effectgrootte (g, sd)",
        r"effectgrootte|Hedges|\bsd\b|standaardafwijking",
        "Een verschil uitgedrukt in standaardafwijkingen (sd) van de scores, zodat toetsen met verschillende schalen "
        "te vergelijken zijn. Hedges' g is zo'n maat; 0,20 betekent een vijfde standaardafwijking.",
    ),
    (
        "Verschil in punten",
        r"\bpunten\b",
        "Hetzelfde verschil in de vaardigheidsscore van de toets zelf, zoals het leerlingvolgsysteem die geeft.",
    ),
    (
        "ANCOVA",
        r"ANCOVA",
        "Vergelijkt de nameting van twee groepen en houdt daarbij rekening met hoe de leerlingen op de voormeting scoorden. "
        "Zo telt een groep die al hoger begon niet als 'beter gegroeid'.",
    ),
    (
        "Regressie naar het gemiddelde",
        r"regressie naar het gemiddelde",
        "Leerlingen die zijn gekozen omdat ze laag scoorden, scoren de volgende keer gemiddeld vanzelf wat hoger, "
        "ook zonder hulp. Dat deel van hun vooruitgang komt niet door de interventie.",
    ),
    (
        "MDE (kleinste aantoonbare effect)",
        r"\bMDE\b|met redelijke zekerheid|kleinste aantoonbare",
        "Het kleinste effect dat met dit aantal leerlingen betrouwbaar te zien is: een echt effect van die grootte vinden we "
        "in 8 van de 10 keer. Bij kleine groepen is dat groot; een kleiner effect kan er zijn zonder dat de cijfers het laten zien.",
    ),
    (
        "Kraft (2020)",
        r"Kraft",
        "Maatstaf uit ongeveer 750 onderwijsexperimenten: onder 0,05 sd is een klein effect, 0,05 tot 0,20 een middelgroot "
        "en vanaf 0,20 een groot effect (de helft van de experimenten vond minder dan 0,10).",
    ),
    (
        "WWC (What Works Clearinghouse)",
        r"What Works Clearinghouse|\bWWC\b",
        "Amerikaans instituut dat onderwijsonderzoek beoordeelt. Zijn regel: verschillen twee groepen vooraf meer dan "
        "0,25 sd, dan zijn ze niet eerlijk te vergelijken.",
    ),
    (
        "Bootstrap",
        r"[Bb]ootstrap",
        "Een tweede manier om de marge te berekenen: de computer trekt duizenden keren opnieuw leerlingen uit de eigen "
        "gegevens. We noemen iets pas aantoonbaar als beide marges 0 uitsluiten.",
    ),
    (
        "Morris d_ppc2",
        r"d_ppc2|Morris",
        "Effectgrootte voor een voor- en nameting met een vergelijkingsgroep: het verschil in vooruitgang, gedeeld door "
        "de spreiding op de voormeting.",
    ),
    (
        "p-waarde",
        r"\bp\s*=|p-waarde",
        "De kans op een verschil van minstens deze grootte als er in werkelijkheid geen verschil is. Een kleine p "
        "(onder 0,05) maakt toeval minder waarschijnlijk, maar zegt niets over hoe groot het effect is.",
    ),
    ("Helling", r"\bhelling\b", "Hoeveel de nameting gemiddeld hoger ligt per punt hoger op de voormeting; ANCOVA rekent ermee."),
    (
        "Groei in z",
        r"groei in z|\bz-score|\bin z\b",
        "Groei vergeleken met de landelijke normgroep: 0 is gegroeid zoals gemiddeld in het land, positief sneller, "
        "negatief langzamer (in standaardafwijkingen).",
    ),
    (
        "Cohortvergelijking",
        r"cohort|jaargang",
        "De leerlingen van dit jaar vergeleken met die van eerdere jaren in dezelfde groep. Een verschil kan ook door "
        "iets anders komen dan de aanpak (een andere leerkracht, een andere methode).",
    ),
    (
        "Signaleringswaarde",
        r"signaleringswaarde",
        "De grens van de inspectie voor het percentage leerlingen dat een referentieniveau haalt (1F: 85%; 2F/1S hangt af "
        "van de schoolweging), gemiddeld over drie jaar.",
    ),
    (
        "Referentieniveau (1F, 2F/1S)",
        r"\b1F\b|2F/1S",
        "Wat leerlingen aan het eind van groep 8 minstens (1F) of bij voorkeur (2F of 1S) beheersen; gemeten met de doorstroomtoets.",
    ),
    (
        "Niveau I–V",
        r"niveau I|I–III|IV–V|niveau IV",
        "Elk niveau is een vijfde (20%) van de landelijke normgroep: I is de hoogste 20%, V de laagste 20%.",
    ),
    (
        "Holm / Benjamini-Hochberg",
        r"Holm|Benjamini",
        "Correctie voor veel vergelijkingen tegelijk: hoe meer je vergelijkt, hoe vaker er toevallig iets 'aantoonbaar' lijkt.",
    ),
    (
        "Cliff's δ",
        r"Cliff",
        "Hoe vaak een leerling uit de ene groep hoger scoort dan een uit de andere (tussen -1 en 1); "
        "werkt ook bij scheve verdelingen.",
    ),
)

_COMPILED = [(term, re.compile(pattern), text) for term, pattern, text in TERMS]


def visible_text(html: str) -> str:
    """The words a reader sees in an HTML report (no styles, no embedded images, no tags)."""
    html = re.sub(r"<style.*?</style>|<script.*?</script>", " ", html, flags=re.S | re.I)
    html = re.sub(r"data:[^\"' )]+", " ", html)
    html = re.sub(r'\balt="[^"]*"', " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text.replace("&nbsp;", " ").replace("&#x27;", "'").replace("&amp;", "&"))


def terms_used(text: str) -> list[tuple[str, str]]:
    """The (term, explanation) pairs whose term occurs in ``text``, in the order of :data:`TERMS`.

    >>> [t for t, _ in terms_used("Hedges' g 0,36 (95%-BI 0,08 tot 0,65), ANCOVA")]
    ['95%-BI (betrouwbaarheidsinterval)', 'Effectgrootte (g, sd)', 'ANCOVA']
    """
    return [(term, expl) for term, rx, expl in _COMPILED if rx.search(text)]


def glossary_html(report_html: str) -> str:
    """The *Begrippenlijst* section for a finished report, or ``""`` when it uses none of the terms."""
    used = terms_used(visible_text(report_html))
    if not used:
        return ""
    items = "".join(f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>" for term, text in used)
    return (
        '<section class="plg-begrippen" aria-label="Begrippenlijst"><h2>Begrippenlijst</h2>'
        f'<dl class="plg-begrippenlijst">{items}</dl></section>'
    )
