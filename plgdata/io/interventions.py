"""Interventions and who took part: the Excel template and its reader.

A leerteam records what it did in a workbook made by :func:`write_intervention_template`
(``plgdata sjabloon interventies PATH``):

* sheet ``Interventies``: ``ID | Naam | Omschrijving | Leerteam | Vak | Groepen |
  Startdatum | Einddatum | Minuten per week`` (one row per intervention);
* sheet ``Deelname``: ``Leerlingnummer | Interventie-ID | Startdatum | Einddatum``
  (one row per pupil per intervention; empty dates mean "the intervention's dates");
* sheet ``Uitleg``: instructions in Dutch.

The same content may come as two CSV files, ``interventies.csv`` and ``deelname.csv``.
:func:`read_interventions` turns either into the canonical ``interventions`` and
``participation`` tables of :mod:`plgdata.model.schema`, pseudonymises pupil numbers at the
door and accounts for every row read: it is loaded or set aside with a Dutch reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from plgdata.io.columns import HEADER_VARIANTS, normalise_header
from plgdata.io.pseudonyms import Pseudonymiser, normalise_number
from plgdata.io.sniff import find_header, read_text_rows
from plgdata.model import loadreport as lr
from plgdata.model import schema
from plgdata.model.errors import PlgdataError
from plgdata.model.loadreport import FileReport
from plgdata.model.parsing import BAD, EMPTY, OK, parse_day, parse_number
from plgdata.model.vocabulary import SUBJECTS, TEMPLATE_SUBJECTS, normalise_subject

__all__ = [
    "EXAMPLE_PREFIX",
    "INTERVENTION_HEADER",
    "PARTICIPATION_HEADER",
    "InterventionFileError",
    "fill_intervention_workbook",
    "normalise_intervention_subject",
    "read_interventions",
    "save_workbook_reproducibly",
    "write_intervention_csv",
    "write_intervention_template",
]

#: Dutch headers of the two data sheets, in template order
INTERVENTION_HEADER: tuple[str, ...] = (
    "ID",
    "Naam",
    "Omschrijving",
    "Leerteam",
    "Vak",
    "Groepen",
    "Startdatum",
    "Einddatum",
    "Minuten per week",
)
PARTICIPATION_HEADER: tuple[str, ...] = ("Leerlingnummer", "Interventie-ID", "Startdatum", "Einddatum")

#: rows whose intervention ID starts with this text are template examples and are ignored
EXAMPLE_PREFIX = "VOORBEELD"

SHEET_INTERVENTIONS = "Interventies"
SHEET_PARTICIPATION = "Deelname"
SHEET_EXPLANATION = "Uitleg"

# canonical field -> accepted header variants (compared with columns.normalise_header)
_INTERVENTION_FIELDS: dict[str, tuple[str, ...]] = {
    "intervention_id": ("ID", "Interventie-ID", "Interventie ID", "ID interventie", "Code", "Interventiecode"),
    "name": ("Naam", "Naam interventie", "Interventie", "Titel"),
    "description": ("Omschrijving", "Beschrijving", "Toelichting"),
    "leerteam": ("Leerteam", "Team", "Werkgroep"),
    "subject": ("Vak", "Vakgebied", "Leergebied"),
    "groepen": ("Groepen", "Groep", "Jaargroepen", "Groep(en)"),
    "start": ("Startdatum", "Start", "Begindatum", "Begin", "Vanaf"),
    "end": ("Einddatum", "Eind", "Einde", "Tot", "Tot en met"),
    "minutes_per_week": ("Minuten per week", "Minuten", "Min per week", "Min/week", "Tijd per week (min)"),
}
_PARTICIPATION_FIELDS: dict[str, tuple[str, ...]] = {
    "raw_number": HEADER_VARIANTS["raw_number"],
    "intervention_id": ("Interventie-ID", "Interventie ID", "ID interventie", "Interventie", "Interventiecode", "ID"),
    "start": _INTERVENTION_FIELDS["start"],
    "end": _INTERVENTION_FIELDS["end"],
}
_REQUIRED_INTERVENTION = ("intervention_id", "name")
_REQUIRED_PARTICIPATION = ("raw_number", "intervention_id")

_FIXED_TIMESTAMP = dt.datetime(2026, 1, 1, 0, 0, 0)


class InterventionFileError(PlgdataError, ValueError):
    """The interventions file cannot be read at all (the message is Dutch)."""


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------

_EXPLANATION_LINES: tuple[str, ...] = (
    "Interventies en deelname vastleggen",
    "",
    "Dit werkboek gebruikt het leerteam om vast te leggen welke interventies (maatregelen) jullie uitvoeren "
    "en welke leerlingen eraan meedoen. plgdata leest het in en vergelijkt daarna de leerwinst van de "
    "deelnemers met die van een vergelijkingsgroep.",
    "",
    "Tabblad 'Interventies': één regel per interventie.",
    "- ID: een korte, unieke code, bijvoorbeeld INT-BL-6A. Deze code gebruik je ook in het tabblad 'Deelname'.",
    "- Naam: een korte naam, bijvoorbeeld 'Close reading in 6A'.",
    "- Omschrijving: wat jullie doen, hoe vaak en door wie (mag leeg blijven).",
    "- Leerteam: het leerteam dat de interventie uitvoert, bijvoorbeeld 'Taal'.",
    "- Vak: kies uit de lijst (Rekenen-wiskunde, Begrijpend lezen, Spelling, Technisch lezen, Woordenschat).",
    "- Groepen: de jaargroep(en), bijvoorbeeld 6 of 4,5 of 3 t/m 8.",
    "- Startdatum en Einddatum: als dd-mm-jjjj, bijvoorbeeld 03-02-2026. Einddatum mag leeg als de interventie nog loopt.",
    "- Minuten per week: de extra onderwijstijd per week per leerling (een heel getal).",
    "",
    "Tabblad 'Deelname': één regel per leerling per interventie.",
    "- Leerlingnummer: het leerlingnummer uit ParnasSys/ESIS (geen naam). plgdata vervangt het bij het "
    "inlezen direct door een pseudoniem; in rapporten komt het nummer nooit terug.",
    "- Interventie-ID: de ID uit het tabblad 'Interventies'.",
    "- Startdatum en Einddatum: alleen invullen als de leerling later begon of eerder stopte; leeg "
    "betekent: de data van de interventie.",
    "",
    "De grijze regel die met VOORBEELD begint is een voorbeeld en wordt bij het inlezen overgeslagen. "
    "Je mag hem laten staan of verwijderen.",
    "Verander de kopregels (de eerste regel van elk tabblad) niet, en voeg geen kolommen tussen.",
    "",
    "Bij het inlezen telt plgdata elke regel: ingelezen of apart gezet met een reden (bijvoorbeeld een "
    "onbekende interventie-ID, een ontbrekend leerlingnummer, een datum die niet te lezen is of een "
    "einddatum voor de startdatum). Controleer dat overzicht na het inlezen.",
)

_EXAMPLE_INTERVENTION = (
    EXAMPLE_PREFIX + "-1",
    "Voorbeeld: extra instructie begrijpend lezen",
    "Voorbeeldregel, wordt niet ingelezen. Twee keer per week 45 minuten close reading in de instructiegroep.",
    "Taal",
    "Begrijpend lezen",
    "6",
    dt.datetime(2026, 2, 2),
    dt.datetime(2026, 6, 12),
    90,
)
_EXAMPLE_PARTICIPATION = ("123456", EXAMPLE_PREFIX + "-1", None, None)


def save_workbook_reproducibly(workbook, path: str | Path) -> Path:
    """Save an openpyxl workbook so that the same content gives the same bytes.

    openpyxl stamps the save time into ``docProps/core.xml`` and every zip entry; both
    are replaced by a fixed timestamp.
    """
    path = Path(path)
    workbook.properties.created = _FIXED_TIMESTAMP
    workbook.properties.modified = _FIXED_TIMESTAMP
    workbook.properties.creator = "plgdata"
    buf = io.BytesIO()
    workbook.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    stamp = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = stamp.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            zout.writestr(zi, data)
    path.write_bytes(out.getvalue())
    return path


def style_sheet(ws, header: Sequence[str], widths: Sequence[float], example: Sequence[object]) -> None:
    """A template sheet: bold white-on-blue frozen header with column widths, and one grey example row."""
    from openpyxl.styles import Alignment, Font, PatternFill

    for j, (title, width) in enumerate(zip(header, widths), start=1):
        cell = ws.cell(row=1, column=j, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="305496")
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    for j, value in enumerate(example, start=1):
        cell = ws.cell(row=2, column=j, value=value)
        cell.font = Font(italic=True, color="808080")
        cell.fill = PatternFill("solid", fgColor="EDEDED")
        if isinstance(value, dt.datetime):
            cell.number_format = "DD-MM-YYYY"
    ws.freeze_panes = "A2"


def _validations(ws_i, ws_d) -> None:
    """Drop-down list for Vak, date and whole-number validation."""
    from openpyxl.worksheet.datavalidation import DataValidation

    vak = DataValidation(
        type="list",
        formula1='"' + ",".join(TEMPLATE_SUBJECTS) + '"',
        allow_blank=True,
        errorTitle="Onbekend vak",
        error="Kies een vak uit de lijst.",
        promptTitle="Vak",
        prompt="Kies het vak waarop de interventie gericht is.",
    )
    vak.add("E2:E1000")
    ws_i.add_data_validation(vak)
    for ws, ref in ((ws_i, "G2:H1000"), (ws_d, "C2:D5000")):
        date_dv = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",  # 01-01-2000
            allow_blank=True,
            errorTitle="Geen datum",
            error="Vul een datum in als dd-mm-jjjj, bijvoorbeeld 03-02-2026.",
        )
        date_dv.add(ref)
        ws.add_data_validation(date_dv)
    minutes = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        errorTitle="Geen heel getal",
        error="Vul het aantal minuten per week in als heel getal, bijvoorbeeld 90.",
    )
    minutes.add("I2:I1000")
    ws_i.add_data_validation(minutes)


def write_explanation(workbook, lines: Sequence[str]) -> None:
    """Add the sheet ``Uitleg``: one wrapped line per row, the first as a title."""
    from openpyxl.styles import Alignment, Font

    ws_u = workbook.create_sheet(SHEET_EXPLANATION)
    ws_u.column_dimensions["A"].width = 120
    for i, line in enumerate(lines, start=1):
        cell = ws_u.cell(row=i, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14)


def write_intervention_template(path: str | Path) -> Path:
    """Write the empty Excel template for interventions and participation.

    Parameters
    ----------
    path : str or Path
        Where to write the ``.xlsx`` file (parent folders are created).

    Returns
    -------
    Path
        The file written.

    Notes
    -----
    Sheets ``Interventies`` and ``Deelname`` have a bold, frozen header row, column
    widths, date formats ``dd-mm-jjjj``, a drop-down list for *Vak*, date and whole-number
    validation, and one grey example row whose ID starts with ``VOORBEELD`` (ignored by
    :func:`read_interventions`).  Sheet ``Uitleg`` explains in Dutch how to fill it in.
    """
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws_i = wb.active
    ws_i.title = SHEET_INTERVENTIONS
    style_sheet(ws_i, INTERVENTION_HEADER, (14, 34, 50, 14, 20, 10, 13, 13, 17), _EXAMPLE_INTERVENTION)
    for col in ("G", "H"):
        ws_i.column_dimensions[col].number_format = "DD-MM-YYYY"
    ws_i.column_dimensions["A"].number_format = "@"
    ws_i.column_dimensions["F"].number_format = "@"
    ws_d = wb.create_sheet(SHEET_PARTICIPATION)
    style_sheet(ws_d, PARTICIPATION_HEADER, (16, 16, 13, 13), _EXAMPLE_PARTICIPATION)
    for col in ("C", "D"):
        ws_d.column_dimensions[col].number_format = "DD-MM-YYYY"
    ws_d.column_dimensions["A"].number_format = "@"
    ws_d.column_dimensions["B"].number_format = "@"
    _validations(ws_i, ws_d)
    write_explanation(wb, _EXPLANATION_LINES)
    return save_workbook_reproducibly(wb, path)


def fill_intervention_workbook(
    path: str | Path, interventions: Sequence[Sequence[object]], participation: Sequence[Sequence[object]]
) -> Path:
    """Append rows to a workbook made by :func:`write_intervention_template` (in place).

    ``interventions`` rows follow :data:`INTERVENTION_HEADER`, ``participation`` rows
    :data:`PARTICIPATION_HEADER`; dates may be ``datetime``/``date`` objects or ``None``.
    """
    from openpyxl import load_workbook

    path = Path(path)
    wb = load_workbook(path)
    for name, rows in ((SHEET_INTERVENTIONS, interventions), (SHEET_PARTICIPATION, participation)):
        ws = wb[name]
        start = ws.max_row + 1
        for i, row in enumerate(rows):
            for j, value in enumerate(row, start=1):
                if isinstance(value, pd.Timestamp):
                    value = value.to_pydatetime()
                elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                    value = dt.datetime(value.year, value.month, value.day)
                cell = ws.cell(row=start + i, column=j, value=value)
                if isinstance(value, dt.datetime):
                    cell.number_format = "DD-MM-YYYY"
    return save_workbook_reproducibly(wb, path)


def write_intervention_csv(
    folder: str | Path, interventions: Sequence[Sequence[object]], participation: Sequence[Sequence[object]]
) -> tuple[Path, Path]:
    """Write ``interventies.csv`` and ``deelname.csv`` (``;``, UTF-8 with BOM, dd-mm-yyyy)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    def fmt(v):
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if isinstance(v, (dt.date, pd.Timestamp)):
            return v.strftime("%d-%m-%Y")
        return str(v)

    out = []
    for name, header, rows in (
        ("interventies.csv", INTERVENTION_HEADER, interventions),
        ("deelname.csv", PARTICIPATION_HEADER, participation),
    ):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow(header)
        for row in rows:
            w.writerow([fmt(v) for v in row])
        p = folder / name
        p.write_bytes(buf.getvalue().encode("utf-8-sig"))
        out.append(p)
    return out[0], out[1]


# ---------------------------------------------------------------------------
# reading helpers
# ---------------------------------------------------------------------------


def normalise_intervention_subject(value: object) -> str | None:
    """``'BL'``/``'Begrijpend lezen'`` -> ``'begrijpend lezen'``; empty -> ``None``.

    Unknown text is returned stripped and lower-cased (the reader adds a note).

    Examples
    --------
    >>> normalise_intervention_subject("RW"), normalise_intervention_subject("DMT")
    ('rekenen-wiskunde', 'technisch lezen')
    """
    text = _text(value)
    if text is None:
        return None
    return normalise_subject(text)


def _text(value: object) -> str | None:
    """Cell value as stripped text in one Unicode form (NFC: a typed "é" and "e" + accent are one
    letter, so an id matches across sheets); ``None`` for empty cells (also a lone space)."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d-%m-%Y")
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def _parse_date(value: object) -> tuple[pd.Timestamp | None, bool]:
    """``(date or None, readable)`` by the one date rule (:func:`plgdata.model.parsing.parse_day`);
    an empty cell is readable and gives ``None``."""
    if value is None:
        return None, True
    d, status = parse_day(value)
    return (pd.Timestamp(d) if d is not None else None), status != BAD


def _parse_minutes(value: object) -> tuple[float | None, bool]:
    if value is None:
        return None, True
    text = re.sub(r"\s*(min(uten|\.)?)\s*$", "", str(value).strip().lower()) if isinstance(value, str) else value
    f, status = parse_number(text)
    if status == EMPTY or (status == OK and f is None):
        return None, True
    return (f, True) if status == OK and f >= 0 else (None, False)


def _match_header(row: Sequence[object], fields: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map canonical field -> column index for the cells of one candidate header row."""
    index = {normalise_header(v): f for f, variants in fields.items() for v in variants}
    found: dict[str, int] = {}
    for j, cell in enumerate(row):
        text = _text(cell)
        if text is None:
            continue
        field = index.get(normalise_header(text))
        if field is not None and field not in found:
            found[field] = j
    return found


def _locate_header(
    rows: list[tuple[int, list[object]]],
    fields: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    where: str,
    expected: tuple[str, ...],
) -> tuple[int, dict[str, int]]:
    """Position (in ``rows``) of the header row and its column map; raise when absent.

    The header row is found by the one sniffer (:func:`plgdata.io.sniff.find_header`).
    """
    pos, _ = find_header([cells for _, cells in rows[:15]], lambda r: len(_match_header(r, fields)), minimum=1)
    found = _match_header(rows[pos][1], fields) if pos >= 0 else {}
    if pos >= 0 and all(r in found for r in required):
        return pos, found
    first = next((cells for _, cells in rows if any(_text(c) for c in cells)), [])
    seen = [t for t in (_text(c) for c in first) if t]
    raise InterventionFileError(
        f"De kolommen van {where} zijn niet herkend. "
        f"Gevonden kolommen: {', '.join(seen) if seen else '(geen)'}. "
        f"Verwacht (kopregel): {' | '.join(expected)}. "
        "Gebruik het sjabloon (plgdata sjabloon interventies BESTAND.xlsx) of hernoem de kolommen."
    )


def _known_cells(row: Sequence[object]) -> int:
    """How many cells of a row are headers of the interventions or the participation table."""
    return max(len(_match_header(row, _INTERVENTION_FIELDS)), len(_match_header(row, _PARTICIPATION_FIELDS)))


def _read_csv_rows(path: Path) -> list[tuple[int, list[object]]]:
    rows, _, _, _ = read_text_rows(path, _known_cells)
    return rows


def _read_sheet_rows(workbook, name: str, path: Path, expected: str | None = None) -> list[tuple[int, list[object]]]:
    lookup = {normalise_header(s): s for s in workbook.sheetnames}
    real = lookup.get(normalise_header(name))
    if real is None:
        expected = expected or f"'{SHEET_INTERVENTIONS}' en '{SHEET_PARTICIPATION}'"
        raise InterventionFileError(
            f"In {path.name} ontbreekt het tabblad '{name}'. "
            f"Gevonden tabbladen: {', '.join(workbook.sheetnames)}. "
            f"Verwacht: {expected} (zoals in het sjabloon)."
        )
    ws = workbook[real]
    return [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]


def _data_rows(rows, header_pos):
    """Non-empty rows below the header as ``(row number, cells)``."""
    return [(n, cells) for n, cells in rows[header_pos + 1 :] if any(_text(c) is not None for c in cells)]


def _cell(cells: list[object], colmap: dict[str, int], field: str) -> object:
    j = colmap.get(field)
    if j is None or j >= len(cells):
        return None
    return cells[j]


# ---------------------------------------------------------------------------
# the reader
# ---------------------------------------------------------------------------


def _parse_interventions(rows, source: str) -> tuple[pd.DataFrame, FileReport]:
    pos, colmap = _locate_header(
        rows, _INTERVENTION_FIELDS, _REQUIRED_INTERVENTION, f"'{source}' (interventies)", INTERVENTION_HEADER
    )
    report = FileReport(source=source, kind="interventies")
    records = []
    seen: set[str] = set()
    unknown_subjects: set[str] = set()
    bad_minutes: list[int] = []
    for n, cells in _data_rows(rows, pos):
        report.rows_read += 1
        iid = _text(_cell(cells, colmap, "intervention_id"))
        if iid is None:
            report.add_set_aside(lr.REASON_NO_INTERVENTION_ID, [n])
            continue
        if iid.upper().startswith(EXAMPLE_PREFIX):
            report.add_set_aside(lr.REASON_EXAMPLE_ROW, [n])
            continue
        name = _text(_cell(cells, colmap, "name"))
        if name is None:
            report.add_set_aside(lr.REASON_NO_INTERVENTION_NAME, [n])
            continue
        start, ok_s = _parse_date(_cell(cells, colmap, "start"))
        end, ok_e = _parse_date(_cell(cells, colmap, "end"))
        if not (ok_s and ok_e):
            report.add_set_aside(lr.REASON_BAD_DATE, [n])
            continue
        if start is not None and end is not None and end < start:
            report.add_set_aside(lr.REASON_END_BEFORE_START, [n])
            continue
        if iid in seen:
            report.add_set_aside(lr.REASON_DUPLICATE_INTERVENTION, [n])
            continue
        raw_subject = _text(_cell(cells, colmap, "subject"))
        subject = normalise_intervention_subject(raw_subject)
        if subject is not None and subject not in SUBJECTS:
            unknown_subjects.add(raw_subject)
        minutes, ok_m = _parse_minutes(_cell(cells, colmap, "minutes_per_week"))
        if not ok_m:
            bad_minutes.append(n)
        seen.add(iid)
        report.rows_loaded += 1
        records.append(
            {
                "intervention_id": iid,
                "name": name,
                "description": _text(_cell(cells, colmap, "description")),
                "leerteam": _text(_cell(cells, colmap, "leerteam")),
                "subject": subject,
                "groepen": _text(_cell(cells, colmap, "groepen")),
                "start": start,
                "end": end,
                "minutes_per_week": minutes,
            }
        )
    for s in sorted(unknown_subjects):
        report.notes.append(
            f"vak '{s}' is niet herkend (bekend: rekenen-wiskunde, begrijpend lezen, spelling, "
            "technisch lezen, woordenschat); de interventie is wel ingelezen"
        )
    if bad_minutes:
        report.notes.append(
            "minuten per week is geen (positief) getal in regel "
            + ", ".join(str(r) for r in bad_minutes[:5])
            + "; daar is het aantal minuten leeg gelaten"
        )
    report.check()
    df = pd.DataFrame.from_records(records, columns=list(schema.INTERVENTION_COLUMNS))
    df = schema.coerce(df, schema.INTERVENTION_COLUMNS, schema.INTERVENTION_DTYPES).reset_index(drop=True)
    return schema.INTERVENTIONS_SCHEMA.validate(df), report


def _school_of(number: str, schools: dict[str, set[str]], default: str) -> str | None:
    """The school of a participant: the one school the pupil number is known at, else ``default``;
    None when it is known at two (a pupil is a school plus a number)."""
    at = schools.get(normalise_number(number) or "", set()) - {""}
    if len(at) > 1:
        return None
    return next(iter(at)) if at else default


def _parse_participation(
    rows, source: str, interventions: pd.DataFrame, pseudonymiser: Pseudonymiser
) -> tuple[pd.DataFrame, FileReport]:
    pos, colmap = _locate_header(
        rows, _PARTICIPATION_FIELDS, _REQUIRED_PARTICIPATION, f"'{source}' (deelname)", PARTICIPATION_HEADER
    )
    report = FileReport(source=source, kind="deelname")
    dates = {
        r.intervention_id: (None if pd.isna(r.start) else r.start, None if pd.isna(r.end) else r.end)
        for r in interventions.itertuples()
    }
    numbers, records = [], []
    schools = pseudonymiser.schools_of()
    seen: set[tuple[str, str, str, object]] = set()
    for n, cells in _data_rows(rows, pos):
        report.rows_read += 1
        iid = _text(_cell(cells, colmap, "intervention_id"))
        if iid is not None and iid.upper().startswith(EXAMPLE_PREFIX):
            report.add_set_aside(lr.REASON_EXAMPLE_ROW, [n])
            continue
        number = _text(_cell(cells, colmap, "raw_number"))
        if number is None:
            report.add_set_aside(lr.REASON_NO_PUPIL_NUMBER, [n])
            continue
        if iid is None:
            report.add_set_aside(lr.REASON_NO_INTERVENTION_ID, [n])
            continue
        if iid not in dates:
            report.add_set_aside(lr.REASON_UNKNOWN_INTERVENTION, [n])
            continue
        start, ok_s = _parse_date(_cell(cells, colmap, "start"))
        end, ok_e = _parse_date(_cell(cells, colmap, "end"))
        if not (ok_s and ok_e):
            report.add_set_aside(lr.REASON_BAD_DATE, [n])
            continue
        start = start if start is not None else dates[iid][0]
        end = end if end is not None else dates[iid][1]
        if start is not None and end is not None and end < start:
            report.add_set_aside(lr.REASON_END_BEFORE_START, [n])
            continue
        school = _school_of(number, schools, pseudonymiser.school or "")
        if school is None:
            report.add_set_aside(lr.REASON_NUMBER_AT_TWO_SCHOOLS, [n])
            continue
        key = (school, number.lstrip("0") or number, iid, start)
        if key in seen:
            report.add_set_aside(lr.REASON_DUPLICATE_PARTICIPATION, [n])
            continue
        seen.add(key)
        report.rows_loaded += 1
        numbers.append((school, number))
        records.append({"intervention_id": iid, "start": start, "end": end})
    report.check()
    df = pd.DataFrame.from_records(records, columns=["intervention_id", "start", "end"])
    df.insert(0, "pupil_id", pd.array([pseudonymiser.from_number(nr, school) for school, nr in numbers], dtype="string"))
    df = schema.coerce(df, schema.PARTICIPATION_COLUMNS, schema.PARTICIPATION_DTYPES).reset_index(drop=True)
    return schema.PARTICIPATION_SCHEMA.validate(df), report


def _rows_from(path: Path, sheet: str, expected: str | None = None) -> tuple[list[tuple[int, list[object]]], str]:
    """Rows of one table: a sheet of a workbook or a whole CSV file."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # zip/xml errors: not a workbook
            raise InterventionFileError(f"{path.name} is geen leesbaar Excel-bestand ({type(exc).__name__}).") from exc
        try:
            return _read_sheet_rows(wb, sheet, path, expected), f"{path.name}:{sheet}"
        finally:
            wb.close()
    if path.suffix.lower() in (".csv", ".txt"):
        return _read_csv_rows(path), path.name
    raise InterventionFileError(
        f"{path.name}: onbekend bestandstype '{path.suffix}'. Gebruik het Excel-sjabloon (.xlsx) of "
        "twee CSV-bestanden (interventies.csv en deelname.csv)."
    )


def read_interventions(
    path: str | Path, participation_path: str | Path | None = None, *, pseudonymiser: Pseudonymiser
) -> tuple[pd.DataFrame, pd.DataFrame, list[FileReport]]:
    """Read interventions and participation into the canonical tables.

    Parameters
    ----------
    path : str or Path
        The workbook made from the template (sheets ``Interventies`` and ``Deelname``)
        or ``interventies.csv``.
    participation_path : str or Path, optional
        Where the participation is, when not in ``path``: a CSV file or a workbook with
        a ``Deelname`` sheet.  For a CSV ``path`` the default is ``deelname.csv`` in the
        same folder.
    pseudonymiser : Pseudonymiser
        Turns pupil numbers into pseudonyms; numbers are never kept.

    Returns
    -------
    interventions : DataFrame
        :data:`plgdata.model.schema.INTERVENTION_COLUMNS`, validated.
    participation : DataFrame
        :data:`plgdata.model.schema.PARTICIPATION_COLUMNS`, validated; start/end default to the
        intervention's dates.
    reports : list of FileReport
        One per table read; in each ``rows_read == rows_loaded + rows_set_aside``.
        Entirely empty rows are not counted as rows read.

    Raises
    ------
    InterventionFileError
        When a file, a sheet or the header row is not recognised (Dutch message listing
        the columns or sheets found).

    Notes
    -----
    Rows are set aside (with a reason from :mod:`plgdata.model.loadreport`) when they are the
    template's example (ID starting with ``VOORBEELD``), lack an ID, name or pupil
    number, refer to an unknown intervention, have an unreadable date, end before they
    start or repeat an earlier row.  Dates may be ``dd-mm-jjjj``, ISO, ``jjjjmmdd``,
    Excel dates or Excel serial numbers.
    """
    path = Path(path)
    if not path.exists():
        raise InterventionFileError(f"Het bestand {path} bestaat niet.")
    rows_i, source_i = _rows_from(path, SHEET_INTERVENTIONS)
    if participation_path is None:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            participation_path = path
        else:
            participation_path = path.with_name("deelname.csv")
            if not participation_path.exists():
                raise InterventionFileError(
                    f"Naast {path.name} staat geen deelname.csv. Geef het deelnamebestand op of zet deelname.csv in dezelfde map."
                )
    participation_path = Path(participation_path)
    if not participation_path.exists():
        raise InterventionFileError(f"Het bestand {participation_path} bestaat niet.")
    rows_p, source_p = _rows_from(participation_path, SHEET_PARTICIPATION)
    interventions, rep_i = _parse_interventions(rows_i, source_i)
    participation, rep_p = _parse_participation(rows_p, source_p, interventions, pseudonymiser)
    return interventions, participation, [rep_i, rep_p]
