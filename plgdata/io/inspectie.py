"""The Inspectie's open-data file "gemiddelde referentieniveaus per school": one school's official row.

The school downloads the file (onderwijsinspectie.nl, open data) and gives its path; plgdata
reads only the row of the school asked for.  Columns (names as published; the year written
in the header, e.g. ``Gemiddelde %1F 2023/24``, or a ``Schooljaar`` column with one row per
year): per year ``Gemiddelde %1F``, ``Gemiddelde %1S/2F``, ``Aantal leerlingen``; and
``Schoolweging``, ``Schoolwegingscategorie``, ``Signaleringswaarde 1F``, ``Signaleringswaarde 1S/2F``,
``Gewogen driejaarsgemiddelde %1F``, ``Gewogen driejaarsgemiddelde %1S/2F``, ``Totaal aantal
leerlingen 3 jaar``, ``Uitkomst indicator 1F``, ``Uitkomst indicator 1S/2F``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from plgdata.io.errors import ReadError
from plgdata.io.scores.cleaning import parse_number, parse_school_year
from plgdata.io.sniff import read_text_rows
from plgdata.model.vocabulary import normalise_header

__all__ = ["OfficialIndicator", "read_official_indicator"]

_KEYS = ("brin", "brinnummer", "vestiging", "vestigingsnummer", "brinvestiging", "instellingscode", "vestigingscode")
_YEAR_RE = re.compile(r"(20\d{2})\s*[/-]\s*(\d{2,4})")
_FIELDS = {
    "gemiddelde1f": "pct_1f",
    "gemiddelde1s2f": "pct_2f1s",
    "aantalleerlingen": "n",
    "schoolweging": "schoolweging",
    "schoolwegingscategorie": "categorie",
    "signaleringswaarde1f": "sw_1f",
    "signaleringswaarde1s2f": "sw_2f1s",
    "gewogendriejaarsgemiddelde1f": "three_1f",
    "gewogendriejaarsgemiddelde1s2f": "three_2f1s",
    "totaalaantalleerlingen3jaar": "three_n",
    "uitkomstindicator1f": "outcome_1f",
    "uitkomstindicator1s2f": "outcome_2f1s",
}


@dataclass
class OfficialIndicator:
    """One school's row of the Inspectie's open data."""

    school: str
    years: dict[str, dict[str, float | None]] = field(default_factory=dict)  # school_year -> n, pct_1f, pct_2f1s
    values: dict[str, object] = field(default_factory=dict)  # schoolweging, sw_1f, three_2f1s, outcome_1f ...


def _field(header: str) -> tuple[str | None, str | None]:
    """Field and school year a header names (``'Gemiddelde %1F 2023/24'`` -> ``('pct_1f', '2023-2024')``)."""
    m = _YEAR_RE.search(header)
    year = parse_school_year(m.group(0)) if m else None
    name = normalise_header(_YEAR_RE.sub("", header).replace("%", ""))
    return _FIELDS.get(name), year


def _known(cells: list[str]) -> int:
    return sum(1 for c in cells if _field(str(c))[0] or normalise_header(str(c)) in _KEYS)


def _value(key: str, text: str) -> object:
    if key in ("categorie", "outcome_1f", "outcome_2f1s"):
        return text.strip() or None
    v, _ = parse_number(text.replace("%", ""))
    return v


def read_official_indicator(path: str | Path, school: str | None = None) -> OfficialIndicator:
    """The row(s) of ``school`` (BRIN or BRIN + vestiging, e.g. ``00AP``) in the open-data file.

    With one school in the file ``school`` may be left out.  Raises :class:`ReadError` (Dutch).
    """
    p = Path(path)
    if not p.exists():
        raise ReadError(f"Het inspectiebestand '{p.name}' bestaat niet (gezocht op {p}).")
    rows, idx, _, _ = read_text_rows(p, _known, minimum=2)
    if idx < 0:
        raise ReadError(
            f"In '{p.name}' staan geen kolommen van het open-databestand van de Inspectie "
            "(zoals BRIN, Gemiddelde %1F, Gewogen driejaarsgemiddelde %1S/2F)."
        )
    header = [str(c).strip() for c in rows[idx][1]]
    keys = [j for j, h in enumerate(header) if normalise_header(h) in _KEYS]
    body = [cells for _, cells in rows[idx + 1 :] if any(str(c).strip() for c in cells)]
    if school:
        want = normalise_header(school)
        body = [r for r in body if any(j < len(r) and normalise_header(r[j]).startswith(want) for j in keys)]
    names = {normalise_header(r[j]) for r in body for j in keys[:1] if j < len(r)}
    if not body or (school is None and len(names) > 1):
        raise ReadError(
            f"In '{p.name}' staat {'geen rij voor school ' + school if school else 'meer dan één school'}. "
            "Geef de BRIN-code van je school op met --brin (bijvoorbeeld --brin 00AP)."
        )
    out = OfficialIndicator(school=school or (body[0][keys[0]] if keys else ""))
    year_col = next((j for j, h in enumerate(header) if normalise_header(h) == "schooljaar"), None)
    for r in body:
        row_year = parse_school_year(r[year_col]) if year_col is not None and year_col < len(r) else None
        for j, h in enumerate(header):
            key, year = _field(h)
            if key is None or j >= len(r):
                continue
            year = year or (row_year if key in ("pct_1f", "pct_2f1s", "n") else None)
            if year and key in ("pct_1f", "pct_2f1s", "n"):
                out.years.setdefault(year, {})[key] = _value(key, r[j])
            elif _value(key, r[j]) is not None:
                out.values[key] = _value(key, r[j])
    return out
