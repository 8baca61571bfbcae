"""The one place that maps canonical names to the Dutch words a teacher reads,
and formats numbers the Dutch way (decimal comma)."""

from __future__ import annotations

import math

#: canonical column -> Dutch label (tables, axes, Excel headers)
COLUMN_LABELS: dict[str, str] = {
    "pupil_id": "Leerling (pseudoniem)",
    "school": "School",
    "school_year": "Schooljaar",
    "groep": "Groep",
    "class_name": "Klas",
    "subject": "Vak",
    "test_name": "Toets",
    "scale": "Schaal",
    "moment": "Moment",
    "period": "Periode",
    "test_level": "Toetsniveau (groep)",
    "date": "Afnamedatum",
    "score": "Vaardigheidsscore",
    "level": "Niveau",
    "percentile": "Percentiel",
    "func_level": "Functioneringsniveau",
    "dle": "DLE",
    "source_file": "Bestand",
    "source_row": "Regel",
    "gender": "Geslacht",
    "birth_year": "Geboortejaar",
    "thuistaal": "Thuistaal",
    "instroom": "Instroom",
    "id_basis": "Herkend op",
    "intervention_id": "Interventie-id",
    "name": "Naam",
    "description": "Omschrijving",
    "leerteam": "Leerteam",
    "groepen": "Groepen",
    "start": "Start",
    "end": "Einde",
    "minutes_per_week": "Minuten per week",
    "n": "Aantal leerlingen",
    "mean": "Gemiddelde",
    "median": "Mediaan",
    "sd": "Standaardafwijking",
    "ci_low": "95%-BI onder",
    "ci_high": "95%-BI boven",
    "gain": "Leerwinst",
    "pre": "Voormeting",
    "post": "Nameting",
    "severity": "Ernst",
    "check": "Controle",
    "count": "Aantal",
    "message": "Uitleg",
    "examples": "Voorbeelden",
}

SUBJECT_LABELS: dict[str, str] = {
    "rekenen-wiskunde": "Rekenen-wiskunde",
    "begrijpend lezen": "Begrijpend lezen",
    "spelling": "Spelling",
    "spelling werkwoorden": "Spelling werkwoorden",
    "leestekens": "Leestekens",
    "technisch lezen": "Technisch lezen",
    "woordenschat": "Woordenschat",
    "taalverzorging": "Taalverzorging",
}

PERIOD_LABELS: dict[str, str] = {"B": "begin", "M": "midden", "E": "eind"}

SEVERITY_LABELS: dict[str, str] = {"fout": "Fout", "waarschuwing": "Waarschuwing", "info": "Ter info"}


def label(name: str) -> str:
    """Dutch label of a canonical column (the name itself when unknown)."""
    return COLUMN_LABELS.get(name, name)


def dutch_columns(df):
    """Copy of ``df`` with Dutch column labels."""
    return df.rename(columns={c: label(c) for c in df.columns})


def fmt_num(value, decimals: int = 1) -> str:
    """``1234.5`` -> ``'1.234,5'``; NaN -> ``'–'``."""
    if value is None:
        return "–"
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(f):
        return "–"
    text = f"{f:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_pct(value, decimals: int = 0) -> str:
    """``0.405`` -> ``'41%'`` (a share between 0 and 1)."""
    if value is None:
        return "–"
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(f):
        return "–"
    return fmt_num(100 * f, decimals) + "%"
