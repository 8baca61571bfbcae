"""The PLG-scan: a short self-assessment per teacher on the nine bouwstenen, template and reader.

Every teacher scores, once a school year, how far the leerteam is on each of the nine
*bouwstenen* of a professionele leergemeenschap (Myriam Lieskamp, *Professionele
leergemeenschap in het primair onderwijs*, CNV Onderwijs) on a four-point scale.  The
answers are anonymous: a respondent code (R01, R02 ...), never a name.
:func:`write_plg_scan_template` writes the Excel template (``plgdata sjabloon plgscan``
style, with the interventions template's workbook helpers); :func:`read_plg_scan` turns a
filled workbook into the canonical long table ``school_year, leerteam, respondent,
bouwsteen, score`` and counts every row it sets aside.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from plgdata.io.interventions import (
    EXAMPLE_PREFIX,
    _cell,
    _data_rows,
    _match_header,
    _rows_from,
    _text,
    save_workbook_reproducibly,
    style_sheet,
    write_explanation,
)
from plgdata.model.errors import PlgdataError

#: Lieskamp's nine bouwstenen, in the order of the template
BOUWSTENEN: tuple[str, ...] = (
    "Gemeenschappelijke visie",
    "Ondersteunende leerstructuur",
    "Open en veilige leercultuur",
    "Ondersteunend leiderschap",
    "Rijke leeromgeving",
    "Mogelijkheid tot samenwerken",
    "Onderzoekende, reflectieve houding",
    "Gezamenlijke verantwoordelijkheid voor het leren van leerlingen",
    "Uitdagend, haalbaar en gedegen leerprogramma",
)

#: the four-point scale
SCALE: dict[int, str] = {1: "nog niet", 2: "een beetje", 3: "grotendeels", 4: "helemaal"}

SHEET_ANSWERS = "Antwoorden"
SCAN_HEADER: tuple[str, ...] = ("Schooljaar", "Leerteam", "Respondent") + BOUWSTENEN
SCAN_COLUMNS = ["school_year", "leerteam", "respondent", "bouwsteen", "score"]
_FIELDS = {
    "school_year": ("Schooljaar",),
    "leerteam": ("Leerteam", "Team"),
    "respondent": ("Respondent", "Code"),
    **{f"b{i}": (b,) for i, b in enumerate(BOUWSTENEN)},
}
_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")

_EXPLANATION = (
    "PLG-scan: hoe ver is ons leerteam als professionele leergemeenschap?",
    "",
    "Bron van de negen bouwstenen: Myriam Lieskamp, 'Professionele leergemeenschap in het primair onderwijs' (CNV Onderwijs).",
    "Elke leerkracht vult één regel in per schooljaar, anoniem: een code (R01, R02 ...), nooit een naam.",
    "Geef per bouwsteen een cijfer: 1 = nog niet, 2 = een beetje, 3 = grotendeels, 4 = helemaal.",
    "Een leerteam wordt pas getoond als minstens 5 leerkrachten de scan invulden: dan is niet te herleiden wie wat antwoordde.",
    f"De grijze regel met respondent '{EXAMPLE_PREFIX}' is een voorbeeld en wordt niet ingelezen.",
    "De scan laat zien hoe het team zichzelf ziet. Hij staat in de rapporten naast de leerwinst, maar bewijst geen oorzaak.",
)


class PlgScanError(PlgdataError, ValueError):
    """The PLG-scan file cannot be read at all (the message is Dutch)."""


def write_plg_scan_template(path: str | Path) -> Path:
    """Write the empty PLG-scan workbook: sheet ``Antwoorden`` (1–4 validated) and ``Uitleg``."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_ANSWERS
    style_sheet(
        ws, SCAN_HEADER, (12, 16, 12) + (18,) * len(BOUWSTENEN), ("2025-2026", "Taal", EXAMPLE_PREFIX) + (3,) * len(BOUWSTENEN)
    )
    dv = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2="4",
        allow_blank=True,
        errorTitle="Geen cijfer van 1 tot en met 4",
        error="Vul 1 (nog niet), 2, 3 of 4 (helemaal) in.",
    )
    dv.add(f"D2:{ws.cell(row=1000, column=len(SCAN_HEADER)).coordinate}")
    ws.add_data_validation(dv)
    write_explanation(wb, _EXPLANATION)
    return save_workbook_reproducibly(wb, path)


def fill_plg_scan(path: str | Path, rows) -> Path:
    """Append answer rows (school year, leerteam, respondent, nine scores) to a template (in place)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[SHEET_ANSWERS]
    for r in rows:
        ws.append(list(r))
    return save_workbook_reproducibly(wb, path)


def _score(value) -> int | None:
    try:
        f = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() and 1 <= f <= 4 else None


def read_plg_scan(path: str | Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """Read a filled PLG-scan (xlsx sheet ``Antwoorden`` or a CSV with the same header).

    Returns
    -------
    (DataFrame, dict)
        The long table (``school_year``, ``leerteam``, ``respondent``, ``bouwsteen``,
        ``score`` 1–4), and the count of answers set aside per Dutch reason (an empty
        answer is not counted as set aside).
    """
    path = Path(path)
    rows, where = _rows_from(path, SHEET_ANSWERS, f"'{SHEET_ANSWERS}'")
    header = next(
        (
            (pos, found)
            for pos, (_, cells) in enumerate(rows[:15])
            if all(k in (found := _match_header(cells, _FIELDS)) for k in ("school_year", "leerteam", "respondent"))
        ),
        None,
    )
    if header is None:
        raise PlgScanError(
            f"De kolommen van {where} zijn niet herkend. Verwacht (kopregel): {' | '.join(SCAN_HEADER[:4])} | ... "
            "Gebruik het sjabloon van de PLG-scan."
        )
    pos, colmap = header
    out, aside = [], {}
    for _, cells in _data_rows(rows, pos):
        resp = _text(_cell(cells, colmap, "respondent"))
        if resp is None or resp.upper().startswith(EXAMPLE_PREFIX):
            continue
        year, team = _text(_cell(cells, colmap, "school_year")), _text(_cell(cells, colmap, "leerteam"))
        if year is None or not _YEAR_RE.match(year) or team is None:
            aside["regel zonder geldig schooljaar (2024-2025) of leerteam"] = (
                aside.get("regel zonder geldig schooljaar (2024-2025) of leerteam", 0) + 1
            )
            continue
        for i, b in enumerate(BOUWSTENEN):
            raw = _cell(cells, colmap, f"b{i}")
            if _text(raw) is None:
                continue
            score = _score(raw)
            if score is None:
                aside["antwoord is geen cijfer van 1 tot en met 4"] = (
                    aside.get("antwoord is geen cijfer van 1 tot en met 4", 0) + 1
                )
                continue
            out.append({"school_year": year, "leerteam": team, "respondent": resp, "bouwsteen": b, "score": score})
    return pd.DataFrame(out, columns=SCAN_COLUMNS).astype({"score": "int64"}), aside
