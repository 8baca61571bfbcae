"""Tiny hostile files are refused in Dutch, fast, before they fill the memory."""

from __future__ import annotations

import json
import time
import zipfile

from plgdata.io.scores.limits import MAX_CELL_CHARS, MAX_COLUMNS

from .helpers import run_cli

#: a sanity bound only (the real check is that the refusal comes before unpacking; before the fix
#: these files took 33 s and 45 s and gigabytes of memory)
SANE_SECONDS = 20


def _controleer(tmp_path, path):
    t0 = time.monotonic()
    code, out, err = run_cli("controleer", "--json", "--sleutel", tmp_path / "k.key", path)
    return code, out, err, time.monotonic() - t0


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
_HEADER = ["Leerlingnummer", "Achternaam", "Toets", "Vaardigheidsscore"]


def _shared_string_bomb(path, chars: int, cells: int):
    """A workbook whose ``cells`` rows all refer to one shared string of ``chars`` characters (a small file)."""
    strings = _HEADER + ["Rekenen-Wiskunde 3.0 M5", "A" * chars]
    long_i, test_i = len(strings) - 1, len(strings) - 2

    def c(ref, i):
        return f'<c r="{ref}" t="s"><v>{i}</v></c>'

    rows = ['<row r="1">' + "".join(c(f"{col}1", i) for i, col in enumerate("ABCD")) + "</row>"]
    for r in range(2, cells + 2):
        rows.append(
            f'<row r="{r}"><c r="A{r}"><v>{1000 + r}</v></c>{c(f"B{r}", long_i)}{c(f"C{r}", test_i)}<c r="D{r}"><v>200</v></c></row>'
        )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>" + "".join(rows) + "</sheetData></worksheet>"
    )
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in _PARTS.items():
            zf.writestr(name, text)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        zf.writestr("xl/sharedStrings.xml", shared)
    return path


def test_one_huge_shared_string_in_600_cells_is_refused_in_dutch(tmp_path):
    path = _shared_string_bomb(tmp_path / "bom.xlsx", 4_000_000, 600)
    assert path.stat().st_size < 100_000
    code, out, err, seconds = _controleer(tmp_path, path)
    assert seconds < SANE_SECONDS
    assert "Traceback" not in err and "Arrow" not in err and "panic" not in err.lower()
    text = out + err
    assert "niet ingelezen" in text and "tekens" in text and "32.767" in text
    assert code != 0


def test_a_zip_that_unpacks_a_thousandfold_is_refused(tmp_path):
    path = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + " " * 200_000_000 + "</worksheet>")
    assert path.stat().st_size < 1_000_000
    code, out, err, seconds = _controleer(tmp_path, path)
    assert seconds < SANE_SECONDS and "Traceback" not in err
    assert "niet ingelezen" in out + err and "pakt uit tot" in out + err


def test_html_as_xls_with_a_giant_colspan_is_refused_in_dutch(tmp_path):
    path = tmp_path / "export.xls"
    rows = "".join(f"<tr><td>{1000 + i}</td><td>Jansen</td><td>Rekenen-Wiskunde 3.0 M5</td><td>200</td></tr>" for i in range(40))
    path.write_text(
        "<html><body><table><tr><th>Leerlingnummer</th><th>Achternaam</th><th>Toets</th><th>Vaardigheidsscore</th></tr>"
        + rows
        + '<tr><td colspan="30000000">x</td></tr></table></body></html>',
        encoding="utf-8",
    )
    assert path.stat().st_size < 5_000
    code, out, err, seconds = _controleer(tmp_path, path)
    assert seconds < SANE_SECONDS and "Traceback" not in err
    assert "niet ingelezen" in out + err and "kolommen" in out + err and f"{MAX_COLUMNS:,}".replace(",", ".") in out + err


def test_a_refused_file_beside_a_good_one_keeps_the_counts_adding_up(tmp_path):
    from .helpers import CITO

    bad = _shared_string_bomb(tmp_path / "bom.xlsx", MAX_CELL_CHARS + 1, 10)
    good = tmp_path / CITO.name
    good.write_bytes(CITO.read_bytes())
    code, out, err = run_cli("controleer", "--json", "--sleutel", tmp_path / "k.key", good, bad)
    rep = json.loads(out)
    assert rep["rows_read"] == rep["rows_loaded"] + rep["rows_set_aside"] and rep["rows_loaded"] > 500
    refused = [f for f in rep["bestanden"] if f["bestand"].startswith("bom.xlsx")]
    assert refused and "niet ingelezen" in json.dumps(refused, ensure_ascii=False)


def test_a_workbook_at_the_limits_of_excel_is_still_read(tmp_path):
    path = _shared_string_bomb(tmp_path / "lang.xlsx", 300, 30)  # long but real cells
    code, out, err, _ = _controleer(tmp_path, path)
    rep = json.loads(out)
    assert rep["rows_loaded"] == 30


def test_a_header_of_a_million_columns_is_refused_with_its_reason(tmp_path):
    path = tmp_path / "breed.csv"
    header = ";".join(["Leerlingnummer", "Toets", "Vaardigheidsscore"] + [f"k{i}" for i in range(10**6)])
    row = ";".join(["1001", "Rekenen-Wiskunde 3.0 M5", "200"] + [""] * 10**6)
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    code, out, err, seconds = _controleer(tmp_path, path)
    assert seconds < SANE_SECONDS and "Traceback" not in err
    assert "zie de redenen" not in out + err
    assert "niet ingelezen" in out + err and "kolommen" in out + err


def test_a_file_without_one_readable_row_names_the_reasons(tmp_path):
    path = tmp_path / "scheef.csv"
    path.write_text("Leerlingnummer;Toets;Vaardigheidsscore\n1001;Rekenen-Wiskunde 3.0 M5;200;x;y\n1002;a\n", encoding="utf-8")
    code, out, err = run_cli("controleer", "--sleutel", tmp_path / "k.key", path)
    assert "zie de redenen" not in out + err
    assert "ander aantal kolommen" in out + err


def test_two_cells_far_apart_are_not_unfolded_into_billions(tmp_path):
    """A cell in A1 and one in XFD1048576: a reader unfolds the range between them (17 billion cells)."""
    path = tmp_path / "hoek.xlsx"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Leerlingnummer</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Vaardigheidsscore</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in _PARTS.items():
            zf.writestr(name, text)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        zf.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    code, out, err, seconds = _controleer(tmp_path, path)
    assert seconds < SANE_SECONDS and "Traceback" not in err
    assert "niet ingelezen" in out + err and "1.048.576" in out + err and "3 ingevulde cellen" in out + err
