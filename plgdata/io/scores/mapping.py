"""Mapping files: the user says which column holds which field (and fixed values).

A mapping file is YAML.  Each line names a canonical field (or its Dutch alias) and
either a column header of the export or a fixed value for the whole file::

    raw_number: "Lln. nummer"     # column
    score: "Resultaat"            # column
    scale: "Boom"                 # fixed value (no such column in the file)
    subject: "rekenen-wiskunde"   # fixed value

Sections ``kolommen:``/``columns:`` and ``vaste_waarden:``/``values:`` make the choice
explicit.  A mapping is used for a file when at least one of its columns occurs in
that file's header (or when the file is not recognised without it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from plgdata.io.scores.cleaning import OK, parse_moment
from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.layout import SUB_FIELDS
from plgdata.model.vocabulary import MONTH_NAMES, PERIODS, normalise_header, stated_scale, stated_subject

#: Dutch aliases -> canonical field
ALIASES: dict[str, str] = {
    "leerlingnummer": "raw_number",
    "nummer": "raw_number",
    "naam": "raw_name",
    "voornaam": "raw_first_name",
    "tussenvoegsel": "raw_prefix",
    "achternaam": "raw_last_name",
    "geboortedatum": "raw_birth_date",
    "geslacht": "gender",
    "schooljaar": "school_year",
    "klas": "class_name",
    "vak": "subject",
    "toets": "test_name",
    "schaal": "scale",
    "toetsmoment": "moment",
    "datum": "date",
    "afnamedatum": "date",
    "vaardigheidsscore": "score",
    "niveau": "level",
    "percentiel": "percentile",
    "functioneringsniveau": "func_level",
    "pupil_number": "raw_number",
    "number": "raw_number",
    "name": "raw_name",
    "birth_date": "raw_birth_date",
}

#: fields a mapping may name, with the Dutch explanation used in the template
FIELDS: dict[str, str] = {
    "raw_number": "leerlingnummer (wordt direct vervangen door een pseudoniem)",
    "raw_name": "volledige naam in één kolom (alleen nodig zonder leerlingnummer)",
    "raw_first_name": "voornaam (als de naam over kolommen verdeeld is)",
    "raw_prefix": "tussenvoegsel",
    "raw_last_name": "achternaam",
    "raw_birth_date": "geboortedatum",
    "gender": "geslacht (J/M of M/V)",
    "school": "school of vestiging (kolom of vaste waarde)",
    "school_year": "schooljaar, bijv. 2024-2025 (kolom of vaste waarde)",
    "groep": "jaargroep 1-8 van de leerling",
    "class_name": "klas, bijv. 6A",
    "subject": "vak, bijv. rekenen-wiskunde, begrijpend lezen, spelling (kolom of vaste waarde)",
    "test_name": "naam van de toets",
    "scale": "schaal, bijv. Cito 3.0, Leerling in beeld, IEP, Boom (kolom of vaste waarde)",
    "moment": "toetsmoment, bijv. M6 of E6 (kolom of vaste waarde)",
    "date": "afnamedatum",
    "score": "vaardigheidsscore / ontwikkelscore",
    "level": "niveau (I-V, A-E of 1F/2F)",
    "percentile": "percentiel",
    "func_level": "functioneringsniveau",
    "dle": "DLE",
}

#: fields that may be given as a fixed value for the whole file
FIXED_FIELDS = ("school", "school_year", "subject", "scale", "moment", "test_name", "groep", "class_name", "date")


@dataclass
class Mapping:
    """A parsed mapping: columns by field and fixed values by field."""

    columns: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, str] = field(default_factory=dict)  # column if present, else fixed value
    source: str = "koppelbestand"
    #: per field: cell text (compared case-insensitively) -> what it means, e.g. subject "Lezen-B" -> "begrijpend lezen"
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: test windows: period per month (index 1-12), replacing the dialect's rule; None = the dialect's
    month_periods: tuple[str | None, ...] | None = None
    #: a wide layout declared column by column: header -> what the column holds
    wide: dict[str, WideColumn] = field(default_factory=dict)
    #: columns the teacher says plgdata must not use (``negeren:``), whatever their header suggests
    ignore: frozenset[str] = frozenset()

    @property
    def headers(self) -> frozenset[str]:
        """Every column name the mapping gives (to find the header row of a file plgdata does not know)."""
        return frozenset([*self.columns.values(), *self.ambiguous.values(), *self.wide])

    def for_headers(self, headers: list[str]) -> tuple[dict[str, str], dict[str, str], bool]:
        """Columns and fixed values for a file with these headers; and whether the mapping applies
        (one of its columns, or of its declared wide columns, is in the header)."""
        hs = set(headers)
        cols = {f: c for f, c in self.columns.items() if c in hs}

        fixed = dict(self.fixed)
        for f, v in self.ambiguous.items():
            if v in hs:
                cols[f] = v
            elif f in FIXED_FIELDS:
                fixed[f] = v
        return cols, fixed, bool(cols) or any(h in hs for h in self.wide) or bool(self.ignore & hs)


def _field(key: str) -> str | None:
    k = str(key).strip()
    if k in FIELDS:
        return k
    return ALIASES.get(k.lower().replace(" ", ""))


def load_mapping(mapping: str | os.PathLike | dict | None) -> Mapping | None:
    """Read a mapping file (YAML) or dict; raises :class:`ReadError` with a Dutch message when invalid."""
    if mapping is None:
        return None
    source = "koppelbestand"
    if not isinstance(mapping, dict):
        import yaml

        p = Path(mapping)
        source = p.name
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
        except FileNotFoundError as exc:
            raise ReadError(f"Het koppelbestand {p.name} bestaat niet. Controleer het pad.") from exc
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ReadError(
                f"Het koppelbestand {p.name} is geen geldig YAML-bestand. Controleer de aanhalingstekens en de "
                "inspringing (gebruik spaties, geen tabs)."
            ) from exc
        mapping = data or {}
        if not isinstance(mapping, dict):
            raise ReadError(f"Het koppelbestand {p.name} moet regels hebben als 'score: \"Kolomnaam\"'.")
    out = Mapping(source=source)
    unknown = []
    for key, value in mapping.items():
        k = str(key).strip().lower()
        if k in ("kolommen", "columns") and isinstance(value, dict):
            for f, v in value.items():
                fld = _field(f)
                if fld is None:
                    unknown.append(str(f))
                elif v not in (None, ""):
                    out.columns[fld] = str(v)
            continue
        if k in WIDE_SECTIONS and isinstance(value, dict):
            out.wide = {str(h): _wide_column(h, v, source) for h, v in value.items()}
            continue
        if k in IGNORE_SECTIONS and isinstance(value, list):
            out.ignore = frozenset(str(v) for v in value if v not in (None, ""))
            continue
        if k in WINDOW_SECTIONS and isinstance(value, dict):
            out.month_periods = _read_windows(value, source)
            continue
        if k in VALUE_SECTIONS and isinstance(value, dict):
            unknown.extend(_read_values(out, value))
            continue
        if k in ("vaste_waarden", "vaste waarden", "values", "fixed") and isinstance(value, dict):
            for f, v in value.items():
                fld = _field(f)
                if fld is None:
                    unknown.append(str(f))
                elif v not in (None, ""):
                    out.fixed[fld] = str(v)
            continue
        fld = _field(key)
        if fld is None:
            unknown.append(str(key))
        elif value not in (None, ""):
            out.ambiguous[fld] = str(value)
    if unknown:
        raise ReadError(
            f"Het koppelbestand {source} noemt onbekende velden: {', '.join(unknown)}. Toegestaan zijn: {', '.join(FIELDS)}."
        )
    return out


#: section of a mapping file that maps cell values, and the fields whose values may be mapped
VALUE_SECTIONS = ("waarden", "betekenis", "value_map")
VALUE_FIELDS = ("subject", "level", "gender", "moment", "scale")


WINDOW_SECTIONS = ("toetsvensters", "windows")
IGNORE_SECTIONS = ("negeren", "ignore")
WIDE_SECTIONS = ("brede_kolommen", "brede kolommen", "wide_columns")


@dataclass(frozen=True)
class WideColumn:
    """One column of a wide layout declared in a mapping file."""

    subject: str
    moment: str  # "M6", "M" (the groep gives the year) or "" (the row's date gives it)
    field: str = "score"
    scale: str | None = None


def _wide_column(header: object, spec: object, source: str) -> WideColumn:
    """``"Rek nov": {vak: rekenen-wiskunde, moment: M6, veld: niveau, schaal: Cito 3.0}`` -> WideColumn."""
    where = f'In het koppelbestand {source}, bij brede kolom "{header}":'
    if not isinstance(spec, dict):
        raise ReadError(f"{where} schrijf wat de kolom bevat, bijvoorbeeld  {{vak: rekenen-wiskunde, moment: M6}}.")
    spec = {str(k).strip().lower(): v for k, v in spec.items()}
    unknown = sorted(set(spec) - {"vak", "moment", "veld", "schaal", "subject", "field", "scale"})
    if unknown:
        raise ReadError(f"{where} onbekende sleutel(s) {', '.join(unknown)}. Toegestaan: vak, moment, veld, schaal.")
    subject = spec.get("vak", spec.get("subject"))
    if subject in (None, ""):
        raise ReadError(f"{where} het vak ontbreekt, bijvoorbeeld  vak: rekenen-wiskunde.")
    moment = ""
    if spec.get("moment") not in (None, ""):
        parsed, status = parse_moment(str(spec["moment"]))
        if status != OK or parsed is None:
            raise ReadError(f"{where} '{spec['moment']}' is geen toetsmoment (gebruik bijvoorbeeld M6, E6, B7 of M).")
        moment = parsed[0] + (str(parsed[1]) if parsed[1] else "")
    word = normalise_header(spec.get("veld", spec.get("field", "score")))
    if not word or word not in SUB_FIELDS:
        raise ReadError(
            f"{where} veld '{spec.get('veld', spec.get('field'))}' is onbekend. Toegestaan: {', '.join(w for w in SUB_FIELDS if w)}."
        )
    scale = spec.get("schaal", spec.get("scale"))
    return WideColumn(stated_subject(subject), moment, SUB_FIELDS[word], stated_scale(scale) if scale not in (None, "") else None)


_MONTHS = {m: i for i, m in enumerate(MONTH_NAMES) if m}


def _month(text: object, source: str) -> int:
    t = str(text).strip().lower()[:3]
    if t.isdigit() and 1 <= int(t) <= 12:
        return int(t)
    if t in _MONTHS:
        return _MONTHS[t]
    raise ReadError(f"In het koppelbestand {source} is '{text}' geen maand (gebruik 1-12 of jan, feb, ... dec).")


def _months(spec: object, source: str) -> list[int]:
    """``[nov, dec, 1]`` or ``'nov-feb'`` (a range, over the new year) -> month numbers."""
    if isinstance(spec, list):
        return [_month(m, source) for m in spec]
    out: list[int] = []
    for part in str(spec).split(","):
        if "-" in part:
            a, b = (_month(x, source) for x in part.split("-", 1))
            out.extend((a - 1 + i) % 12 + 1 for i in range((b - a) % 12 + 1))
        elif part.strip():
            out.append(_month(part, source))
    return out


def _read_windows(section: dict, source: str) -> tuple[str | None, ...]:
    """``toetsvensters: {M: [nov, dec, jan, feb], E: [mei, jun]}`` -> period per month (index 1-12)."""
    periods: list[str | None] = [None] * 13
    for period, months in section.items():
        p = str(period).strip().upper()[:1]
        if p not in PERIODS:
            raise ReadError(f"In het koppelbestand {source} is '{period}' geen toetsmoment (B, M of E).")
        for m in _months(months, source):
            periods[m] = p
    return tuple(periods)


def _read_values(out: Mapping, section: dict) -> list[str]:
    """Read ``waarden:`` (field -> {cell text: meaning}) into ``out``; return unknown field names."""
    unknown = []
    for f, table in section.items():
        fld = _field(f)
        if fld not in VALUE_FIELDS or not isinstance(table, dict):
            unknown.append(str(f))
            continue
        out.values[fld] = {str(k).strip().lower(): str(v).strip() for k, v in table.items() if v not in (None, "")}
    return unknown


def mapping_template(columns: list[str]) -> str:
    """A ready-to-fill mapping file (YAML, Dutch comments) for a file with these columns.

    Examples
    --------
    >>> print(mapping_template(["Lln", "Resultaat"]).splitlines()[0])
    # Koppelbestand voor plgdata: vertel welke kolom wat is.
    """
    cols = ", ".join(f'"{c}"' for c in columns)
    lines = [
        "# Koppelbestand voor plgdata: vertel welke kolom wat is.",
        "# Zet achter elk veld tussen aanhalingstekens de kolomnaam uit uw bestand,",
        "# precies zoals hij in de kopregel staat. Velden die uw bestand niet heeft laat u leeg.",
        "# Bij schaal, vak, schooljaar, school en toetsmoment mag u ook een vaste waarde invullen",
        '# die voor het hele bestand geldt, bijvoorbeeld  scale: "Boom"  of  subject: "rekenen-wiskunde".',
        "# Nodig: een leerlingnummer (of naam + geboortedatum) en minstens een score, niveau of percentiel.",
        f"# Gevonden kolommen: {cols}",
        "",
    ]
    for f, expl in FIELDS.items():
        lines.append(f'{f}: ""'.ljust(24) + f"  # {expl}")
    return "\n".join(lines) + "\n"
