"""One canonical truth rendered into many export layouts (the metamorphic tests' generator).

A :class:`Truth` is what a school's results *are* (pupils, groep, class, tests, dates, scores,
levels).  A :class:`Layout` is one way an LVS or an administration system writes it down:
long or wide or one row per field (a ``Soort``/``Waarde`` pair, or a score row followed by a
level row), CSV/XLSX/old binary XLS/HTML, separator, encoding, header synonyms, column order,
date and number notation (also the date in ``Dag``/``Maand``/``Jaar`` columns, score and level in
one cell), title and summary rows, leading zeros, extra columns (BSN, DL, Geboortedatum,
Onderdeel, Opmerking).  :func:`render` writes the file; :func:`expected`
gives the canonical frame every layout must read into.  A new quirk of real exports becomes
one more field of :class:`Layout` (and a strategy in :func:`layouts`), not one more fixture.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import xlwt
from hypothesis import strategies as st

from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.model.parsing import is_bsn

#: subject -> (test name in a long export, abbreviation in a wide one)
SUBJECTS = {"rekenen-wiskunde": ("Rekenen-Wiskunde 3.0", "RW"), "begrijpend lezen": ("Begrijpend lezen 3.0", "BL")}
LEVELS = ("I", "II", "III", "IV", "V")
MONTHS = ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")

#: header synonyms per field, as exports write them (every one must read the same)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("Leerlingnummer", "Leerlingnr", "Leerlingnr.", "Lln.nr", "Llnr", "Leerling nummer", "Leerling-ID", "Stamnummer"),
    "groep": ("Groep", "Jaargroep", "Leerjaar", "Groep (jaargroep)"),
    "class": ("Klas", "Groepsnaam", "Klasnaam", "Stamgroep", "Groep naam"),
    "test": ("Toets", "Toetsnaam", "Naam toets"),
    "moment": ("Toetsmoment", "Moment", "Afnamemoment", "Periode", "Normering"),
    "date": ("Afnamedatum", "Datum", "Datum afname", "Toetsdatum", "Datum toets", "Afgenomen op", "Afgenomen"),
    "score": ("Vaardigheidsscore", "VS", "Vaardigheid", "Score"),
    "level": ("Niveau", "Niveauwaarde", "Niveau (I-V)", "Niveau I-V"),
}
#: wide sub-headers ("RW M6 VS")
WIDE_SUB = {"score": ("VS", "Vaardigheidsscore", "Score"), "level": ("Niv", "Niveau"), "date": ("datum", "Afnamedatum")}
MOMENT_NOTATIONS = {
    "M6": lambda: "M6",
    "M 6": lambda: "M 6",
    "midden 6": lambda: "midden 6",
    "Medio groep 6": lambda: "Medio groep 6",
}
DATE_NOTATIONS = {
    "dd-mm-jjjj": lambda d: d.strftime("%d-%m-%Y"),
    "d-m-jj": lambda d: f"{d.day}-{d.month}-{d.strftime('%y')}",
    "iso": lambda d: d.isoformat(),
    "iso met tijd": lambda d: d.isoformat() + "T00:00:00",
    "jjjjmmdd": lambda d: d.strftime("%Y%m%d"),
    "maandnaam": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    "excel": lambda d: str((d - dt.date(1899, 12, 30)).days),
}
EXTRAS = ("BSN", "DL", "Geboortedatum", "Onderdeel", "Opmerking")
#: one row per field: the column naming the field, the column holding its value, and the field names
FIELD_KIND_HEADERS = ("Soort", "Kenmerk", "Gegeven", "Type", "Soort score")
FIELD_VALUE_HEADERS = ("Waarde", "Resultaat", "Uitslag", "Score")
FIELD_WORDS = {"score": ("Vaardigheidsscore", "VS", "Vaardigheid"), "level": ("Niveau", "Niv", "Niveau (I-V)")}
#: a score row followed by a level row: the value column without a field column (the content says which)
ROW_VALUE_HEADERS = ("Waarde", "Resultaat", "Uitslag")
#: the test date in three columns
DATE_PART_HEADERS = (("Dag", "Maand", "Jaar"), ("Afnamedag", "Afnamemaand", "Afnamejaar"))
#: shapes: one row per result, per pupil (wide), per result and field with a field column, per result and field without
SHAPES = ("long", "long", "wide", "per_field", "per_row")
#: shapes with a test column (one row per result)
LONG_SHAPES = ("long", "per_field", "per_row")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")


@dataclass(frozen=True)
class Result:
    subject: str
    date: dt.date
    score: float  # whole or half points
    level: str


@dataclass(frozen=True)
class Pupil:
    number: int
    klas: str  # "6A"
    birth: dt.date
    results: tuple[Result, ...]


@dataclass(frozen=True)
class Truth:
    pupils: tuple[Pupil, ...]
    groep: int = 6


@dataclass
class Layout:
    fmt: str = "csv"  # csv, xlsx, xls (Excel 97-2003, BIFF), html
    shape: str = "long"  # see SHAPES
    delimiter: str = ";"
    encoding: str = "utf-8"
    headers: dict[str, str] = field(default_factory=dict)  # field -> synonym
    order_seed: int = 0  # permutation of the columns
    date_notation: str = "dd-mm-jjjj"
    moment_notation: str = "M6"
    decimal_comma: bool = True
    title_rows: int = 0
    summary_rows: int = 0
    zeros: int = 0  # pupil numbers padded to this width
    extras: tuple[str, ...] = ()
    class_in_groep: bool = False  # "Groep 6a" in the groep column instead of a class column
    excel_dates: bool = False  # real date cells in a workbook
    sheet_per_subject: bool = False  # a workbook with one sheet per subject (long shape)
    hidden_targets: bool = False  # a workbook with a hidden sheet of target scores (never results)
    moment_in_sheet: bool = False  # a workbook whose sheet name gives the moment ("M6"), no moment column
    subject_in_sheet: bool = False  # one sheet per subject whose name is the subject: no test column
    field_headers: tuple[str, str] = ("Soort", "Waarde")  # per_field: field column, value column (per_row: value only)
    field_words: tuple[str, str] = ("Vaardigheidsscore", "Niveau")  # per_field: how the fields are named
    fields_grouped: bool = False  # per_field/per_row: all score rows first, then all level rows
    follow_blank: bool = False  # per_field/per_row, not grouped: only a result's first row names the pupil and test
    score_level_cell: bool = False  # long and wide: "231 (III)" in the score column, no level column
    date_parts: tuple[str, str, str] | None = None  # long shapes: the date in Dag/Maand/Jaar columns


def bsn_of(number: int) -> str:
    """A made-up nine-digit number passing the elfproef, one per pupil number (never a real one)."""
    x = 200_000_000 + number * 97
    while not is_bsn(str(x)):
        x += 1
    return str(x)


# ---------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------


@st.composite
def truths(draw) -> Truth:
    n = draw(st.integers(2, 5))
    numbers = draw(st.lists(st.integers(1, 99_999), min_size=n, max_size=n, unique=True))
    pupils = []
    for i, nr in enumerate(numbers):
        results = tuple(
            Result(
                subject,
                dt.date(2025, 1, draw(st.integers(13, 31))),
                draw(st.integers(200, 600)) / 2,
                draw(st.sampled_from(LEVELS)),
            )
            for subject in SUBJECTS
        )
        birth = dt.date(2014, 10, 1) + dt.timedelta(days=37 * i + draw(st.integers(0, 30)))
        pupils.append(Pupil(nr, draw(st.sampled_from(("6A", "6B"))), birth, results))
    return Truth(tuple(pupils))


@st.composite
def layouts(draw) -> Layout:
    fmt = draw(st.sampled_from(("csv", "csv", "xlsx", "xls", "html")))
    book = fmt in ("xlsx", "xls")
    shape = draw(st.sampled_from(SHAPES))
    lay = Layout(
        fmt=fmt,
        shape=shape,
        delimiter=draw(st.sampled_from((";", ",", "\t"))),
        encoding=draw(st.sampled_from(ENCODINGS)),
        headers={f: draw(st.sampled_from(v)) for f, v in SYNONYMS.items()},
        order_seed=draw(st.integers(0, 10_000)),
        date_notation=draw(st.sampled_from(sorted(DATE_NOTATIONS))),
        moment_notation=draw(st.sampled_from(sorted(MOMENT_NOTATIONS))),
        decimal_comma=draw(st.booleans()),
        title_rows=draw(st.integers(0, 2)),
        summary_rows=draw(st.integers(0, 2)),
        zeros=draw(st.sampled_from((0, 0, 6, 8))),
        extras=tuple(e for e in EXTRAS if draw(st.booleans())),
        class_in_groep=draw(st.booleans()),
        excel_dates=book and draw(st.booleans()),
        sheet_per_subject=book and draw(st.booleans()),
        hidden_targets=book and draw(st.booleans()),
        moment_in_sheet=book and draw(st.booleans()),
        subject_in_sheet=book and draw(st.booleans()),
        field_headers=(
            draw(st.sampled_from(FIELD_KIND_HEADERS)),
            draw(st.sampled_from(FIELD_VALUE_HEADERS if shape == "per_field" else ROW_VALUE_HEADERS)),
        ),
        field_words=(draw(st.sampled_from(FIELD_WORDS["score"])), draw(st.sampled_from(FIELD_WORDS["level"]))),
        fields_grouped=(grouped := draw(st.booleans())),
        follow_blank=shape in ("per_field", "per_row") and not grouped and draw(st.booleans()),
        score_level_cell=shape in ("long", "wide") and draw(st.booleans()),
        date_parts=draw(st.sampled_from(DATE_PART_HEADERS)) if shape in LONG_SHAPES and draw(st.booleans()) else None,
    )
    lay.headers["wide_sub"] = {k: draw(st.sampled_from(v)) for k, v in WIDE_SUB.items()}
    return lay


def data_rows(truth: Truth, lay: Layout) -> int:
    """How many data rows ``lay`` writes for ``truth`` (summary rows not counted)."""
    per_pupil = {"wide": 1, "long": len(SUBJECTS)}.get(lay.shape, 2 * len(SUBJECTS))
    return len(truth.pupils) * per_pupil


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------


def _num(x: float, lay: Layout) -> str:
    text = f"{x:g}"
    return text.replace(".", ",") if lay.decimal_comma else text


def _date(d: dt.date, lay: Layout):
    if lay.excel_dates and lay.fmt in ("xlsx", "xls"):
        return dt.datetime(d.year, d.month, d.day)
    return DATE_NOTATIONS[lay.date_notation](d)


def _pupil_cells(p: Pupil, truth: Truth, lay: Layout) -> dict[str, object]:
    h = lay.headers
    cells: dict[str, object] = {h["number"]: str(p.number).zfill(lay.zeros)}
    if lay.class_in_groep:
        cells[h["groep"]] = f"Groep {p.klas[0]}{p.klas[1].lower()}"
    else:
        cells[h["groep"]] = str(truth.groep)
        cells[h["class"]] = p.klas
    extra = {
        "BSN": bsn_of(p.number),
        "DL": str(20 + p.number % 7),
        "Geboortedatum": p.birth.strftime("%d-%m-%Y"),
        "Onderdeel": "Getallen",
        "Opmerking": "",
    }
    cells.update({e: extra[e] for e in lay.extras})
    return cells


def _result_cells(r: Result, lay: Layout) -> list[dict[str, object]]:
    """The cells of one result: one row (long), or one row per field (score, then level)."""
    h = lay.headers
    if lay.shape == "per_field":
        kind, value = lay.field_headers
        return [{kind: lay.field_words[0], value: _num(r.score, lay)}, {kind: lay.field_words[1], value: r.level}]
    if lay.shape == "per_row":
        value = lay.field_headers[1]
        return [{value: _num(r.score, lay)}, {value: r.level}]
    if lay.score_level_cell:
        return [{h["score"]: f"{_num(r.score, lay)} ({r.level})"}]
    return [{h["score"]: _num(r.score, lay), h["level"]: r.level}]


def _date_cells(d: dt.date, lay: Layout) -> dict[str, object]:
    if lay.date_parts:
        return dict(zip(lay.date_parts, (str(d.day), str(d.month), str(d.year))))
    return {lay.headers["date"]: _date(d, lay)}


def _long_rows(truth: Truth, lay: Layout) -> tuple[list[str], list[dict[str, object]]]:
    h = lay.headers
    rows: list[list[dict[str, object]]] = []  # per result its rows
    for p in truth.pupils:
        for r in p.results:
            base = _pupil_cells(p, truth, lay)
            base.update({h["test"]: SUBJECTS[r.subject][0], h["moment"]: MOMENT_NOTATIONS[lay.moment_notation]()})
            base.update(_date_cells(r.date, lay))
            blank = dict.fromkeys(base, "")
            rows.append([{**(blank if i and lay.follow_blank else base), **c} for i, c in enumerate(_result_cells(r, lay))])
    if lay.fields_grouped:  # all score rows first, then all level rows
        flat = [res[i] for i in range(len(rows[0])) for res in rows]
    else:  # a score row followed by its level row
        flat = [row for res in rows for row in res]
    return list(flat[0]), flat


def _wide_rows(truth: Truth, lay: Layout) -> tuple[list[str], list[dict[str, object]]]:
    sub = lay.headers["wide_sub"]
    rows = []
    for p in truth.pupils:
        row = _pupil_cells(p, truth, lay)
        for r in p.results:
            abbr = SUBJECTS[r.subject][1]
            if lay.score_level_cell:
                row[f"{abbr} M6 {sub['score']}"] = f"{_num(r.score, lay)} ({r.level})"
            else:
                row[f"{abbr} M6 {sub['score']}"] = _num(r.score, lay)
                row[f"{abbr} M6 {sub['level']}"] = r.level
            row[f"{abbr} M6 {sub['date']}"] = _date(r.date, lay)
        rows.append(row)
    return list(rows[0]), rows


def _ordered(columns: list[str], seed: int) -> list[str]:
    """A permutation of the columns (deterministic in ``seed``)."""
    import random

    out = list(columns)
    random.Random(seed).shuffle(out)
    return out


def table(truth: Truth, lay: Layout) -> list[list[object]]:
    """The export as rows of cells: title rows, header, data, summary rows."""
    columns, rows = (_wide_rows if lay.shape == "wide" else _long_rows)(truth, lay)
    columns = _ordered(columns, lay.order_seed)
    out: list[list[object]] = [[("Toetsresultaten OBS De Proefschool" if i == 0 else "Cito LOVS")] for i in range(lay.title_rows)]
    out.append(columns)
    out.extend([row.get(c, "") for c in columns] for row in rows)
    labels = ("Groepsgemiddelde", "Aantal leerlingen")
    for i in range(lay.summary_rows):
        out.append([labels[i] if c == lay.headers["number"] else "" for c in columns])
    return out


def _sheets(rows: list[list[object]], lay: Layout) -> list[tuple[str, list[list[object]], bool]]:
    """The rows as workbook sheets ``(name, rows, hidden)``: one sheet, or one per subject, and maybe a
    hidden sheet of targets."""
    header_at = lay.title_rows
    name = "Blad1"
    if lay.moment_in_sheet and lay.shape in LONG_SHAPES:  # no moment column: the sheet's name says it
        at = rows[header_at].index(lay.headers["moment"])
        rows = [r[:at] + r[at + 1 :] if i >= header_at else r for i, r in enumerate(rows)]
        name = "M6"
    test_col = rows[header_at].index(lay.headers["test"]) if lay.headers["test"] in rows[header_at] else None
    sheets: list[tuple[str, list[list[object]], bool]] = []
    if lay.sheet_per_subject and lay.shape in LONG_SHAPES and test_col is not None:
        tests, last = [], None  # per row its test (a row with a blank test continues the row above)
        for r in rows:
            last = (r[test_col] if test_col < len(r) else "") or last
            tests.append(last)
        for subject, (test, abbr) in SUBJECTS.items():
            part = [
                list(r) for i, r in enumerate(rows) if i <= header_at or i > len(rows) - 1 - lay.summary_rows or tests[i] == test
            ]
            if lay.subject_in_sheet:  # the sheet's name is the subject: no test column
                part = [r[:test_col] + r[test_col + 1 :] if i >= header_at else r for i, r in enumerate(part)]
            sheets.append((f"{abbr} M6" if lay.moment_in_sheet else abbr, part, False))
    else:
        sheets.append((name, [list(r) for r in rows], False))
    if lay.hidden_targets:
        targets = [[lay.headers["groep"], lay.headers["test"], lay.headers["score"]], ["6", "Rekenen-Wiskunde 3.0", 250]]
        sheets.append(("Streefscores", targets, True))
    return sheets


def _xlsx(sheets: list[tuple[str, list[list[object]], bool]], path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows, hidden in sheets:
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        if hidden:
            ws.sheet_state = "hidden"
    wb.save(path)


def _xls(sheets: list[tuple[str, list[list[object]], bool]], path: Path) -> None:
    """An old binary Excel 97-2003 workbook (BIFF8, written with xlwt): real date cells get a date format."""
    wb = xlwt.Workbook()
    day = xlwt.easyxf(num_format_str="DD-MM-YYYY")
    for name, rows, hidden in sheets:
        ws = wb.add_sheet(name)
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if isinstance(v, dt.date):
                    ws.write(i, j, v, day)
                else:
                    ws.write(i, j, v)
        if hidden:
            ws.visibility = 1
    wb.save(str(path))


def _csv_text(rows: list[list[object]], delim: str) -> str:
    def cell(v: object) -> str:
        t = str(v)
        return f'"{t}"' if delim in t or '"' in t else t

    return "".join(delim.join(cell(v) for v in r) + "\r\n" for r in rows)


def render(truth: Truth, lay: Layout, folder: Path) -> Path:
    """Write the export of ``truth`` in ``lay`` into ``folder``; returns its path."""
    rows = table(truth, lay)
    if lay.fmt in ("xlsx", "xls"):
        path = folder / f"export.{lay.fmt}"
        (_xlsx if lay.fmt == "xlsx" else _xls)(_sheets(rows, lay), path)
        return path
    if lay.fmt == "html":
        buf = io.StringIO()
        buf.write("<html><body><table>")
        for r in rows:
            buf.write("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>")
        buf.write("</table></body></html>")
        path = folder / "export.xls"
        path.write_text(buf.getvalue(), encoding="utf-8")
        return path
    path = folder / "export.csv"
    path.write_bytes(_csv_text(rows, lay.delimiter).encode(lay.encoding))
    return path


# ---------------------------------------------------------------------------
# the canonical frame
# ---------------------------------------------------------------------------

#: the columns a layout must not change
CANONICAL = ["pupil_id", "groep", "class_name", "subject", "scale", "moment", "date", "score", "level", "school_year"]


def canonical(scores: pd.DataFrame) -> pd.DataFrame:
    """The read scores as plain values in one order (what every layout must agree on)."""
    df = scores[CANONICAL].astype(object).where(scores[CANONICAL].notna(), None)
    df["groep"] = df["groep"].map(lambda g: None if g is None else int(g))
    df["date"] = df["date"].map(lambda d: None if d is None else pd.Timestamp(d).date())
    df["score"] = df["score"].map(float)
    return df.sort_values(["pupil_id", "subject"]).reset_index(drop=True)


def expected(truth: Truth, secret: bytes) -> pd.DataFrame:
    """The canonical frame ``truth`` must read into (pupil ids from the pupil numbers)."""
    p = Pseudonymiser(secret=secret)
    rows = [
        {
            "pupil_id": p.from_number(str(pupil.number)),
            "groep": truth.groep,
            "class_name": pupil.klas,
            "subject": r.subject,
            "scale": "Cito 3.0",
            "moment": f"M{truth.groep}",
            "date": r.date,
            "score": float(r.score),
            "level": r.level,
            "school_year": "2024-2025",
        }
        for pupil in truth.pupils
        for r in pupil.results
    ]
    return pd.DataFrame(rows, columns=CANONICAL).sort_values(["pupil_id", "subject"]).reset_index(drop=True)
