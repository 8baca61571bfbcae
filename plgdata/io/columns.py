"""Known Dutch header variants of export columns, by the field they hold.

No vendor publishes its export layout and names drift between systems and years,
so readers recognise columns by these variants (compared case-, space-, accent- and
punctuation-insensitively, see :func:`normalise_header`).  Fields starting with
``raw_`` hold personal data that is pseudonymised and then dropped at the door.
"""

from __future__ import annotations

from plgdata.model.vocabulary import normalise_header

HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "raw_number": (
        "Leerlingnummer",
        "Leerlingnr",
        "Leerlingnr.",
        "Lln.nr",
        "Llnr",
        "Leerling nummer",
        "Leerling-ID",
        "Leerlingid",
        "ID leerling",
        "Stamnummer",
    ),
    # a BSN is never an identity and never stored: recognised to be dropped at the door
    "raw_bsn": ("BSN", "Burgerservicenummer", "Burgerservicenr", "BSN leerling", "Sofinummer", "Sofi-nummer"),
    "raw_name": ("Naam", "Leerling", "Leerlingnaam", "Naam leerling", "Volledige naam"),
    "raw_first_name": ("Voornaam", "Roepnaam"),
    "raw_prefix": ("Tussenvoegsel", "Tussenv.", "Tussenvoegsels", "Voorvoegsel", "Voorv."),
    "raw_last_name": ("Achternaam", "Familienaam"),
    "raw_birth_date": ("Geboortedatum", "Geb.datum", "Geb. datum", "Geboren"),
    "gender": ("Geslacht", "M/V", "J/M"),
    "thuistaal": ("Thuistaal", "Taal thuis", "Moedertaal"),
    "instroom": ("Instroom", "Instroomgroep", "Instroom groep"),
    "school": ("School", "Schoolnaam", "Vestiging", "Locatie"),
    "school_year": ("Schooljaar", "Jaar"),
    "groep": ("Groep", "Jaargroep", "Leerjaar", "Groep (jaargroep)"),
    "class_name": ("Klas", "Groepsnaam", "Klasnaam", "Stamgroep", "Groep naam"),
    "subject": ("Vak", "Vakgebied", "Leergebied", "Domein", "Toetsgebied"),
    "test_name": ("Toets", "Toetsnaam", "Naam toets", "Afname"),
    # Leerling in beeld's "Normering" ("Medio groep 6") is the moment and the norm's groep, not the scale
    "moment": ("Toetsmoment", "Moment", "Afnamemoment", "Periode", "Normering", "Normeringsmoment", "Normperiode"),
    "date": (
        "Afnamedatum",
        "Datum",
        "Datum afname",
        "Toetsdatum",
        "Datum toets",
        "Afgenomen op",
        "Afgenomen",
        "Afname op",
        "Datum afgenomen",
        "Afnamedatum toets",
        "Gemaakt op",
        "Datum gemaakt",
    ),
    # several columns may be "the score": the first in this order is taken (see layout.recognise)
    "score": ("Vaardigheidsscore", "VS", "Vaardigheid", "Ontwikkelscore", "Standaardscore", "Score", "Percentage goed", "% goed"),
    # the raw score (number correct) is never the score: read, named in the load report, not stored
    "number_correct": ("Ruwe score", "RS", "Aantal goed", "Ruwe sc."),
    "level": (
        "Niveau",
        "Niveauwaarde",
        "Niveau (I-V)",
        "Niveau I-V",
        "Niveau A-E",
        "Referentieniveau",
        "Ref. niveau",
        "Beheersingsniveau",
    ),
    "percentile": ("Percentiel", "Percentielscore", "Pc", "Perc."),
    "func_level": ("Functioneringsniveau", "Func. niveau", "FN", "Functioneringsniveau (FN)"),
    "dle": ("DLE", "Didactische leeftijd", "DLE-score"),
    # a generation or version column decides the scale per row (Cito 2.0 for groep 6-7, 3.0 for 4-5)
    "scale": (
        "Schaal",
        "Versie",
        "Toetsversie",
        "Toetsgeneratie",
        "Generatie",
        "Versie toets",
        "LOVS-versie",
        "Cito-versie",
        "LVS",
        "Leverancier",
    ),
}


#: normalised variant -> field
VARIANT_INDEX: dict[str, str] = {normalise_header(v): field for field, variants in HEADER_VARIANTS.items() for v in variants}
