"""The one sniffer for every text and Excel file: file kind, encoding, delimiter, header row,
summary rows.

Score exports (:mod:`plgdata.io.scores`), the interventions file (:mod:`plgdata.io.interventions`)
and the norm table (:mod:`plgdata.io.norms`) all go through these functions; each passes its own
*header scorer* (how many cells of a row are column names it knows), so the rule that picks the
header row and the delimiter is the same everywhere.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import mmap
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from plgdata.io.errors import ReadError

SNIFF_BYTES = 64 * 1024
DELIMITERS = (";", ",", "\t", "|")
_BOM_UTF8 = b"\xef\xbb\xbf"
#: single-byte encodings parsed as bytes (decoded per distinct value later)
CODECS = {"Windows-1252": "cp1252", "ISO-8859-1": "latin-1"}


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except zipfile.BadZipFile:
        return "kapot"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    return "zip"


def sniff_kind(path: Path, head: bytes) -> str:
    """'text', 'xlsx', or raises :class:`ReadError` for files that are clearly no export."""
    name = path.name
    if not head:
        raise ReadError(f"Het bestand {name} is leeg (0 bytes). Maak de export opnieuw en lees hem daarna in.")
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(path)
        if kind == "xlsx":
            return "xlsx"
        if kind == "docx":
            raise ReadError(
                f"Het bestand {name} is een Word-document, geen export met toetsresultaten. "
                "Exporteer de resultaten uit het leerlingvolgsysteem als CSV of Excel (.xlsx)."
            )
        raise ReadError(
            f"Het bestand {name} is een (beschadigd) zip-bestand, geen CSV- of Excel-export. "
            "Exporteer de resultaten opnieuw als CSV of Excel (.xlsx)."
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(
            f"Het bestand {name} is een oud Excel-bestand (.xls) of is met een wachtwoord beveiligd. "
            "Open het in Excel, haal een eventueel wachtwoord weg en sla het op als Excel-werkmap (.xlsx) of CSV."
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if b"\x00" in head[:SNIFF_BYTES]:
        raise ReadError(
            f"Het bestand {name} is geen tekstbestand (het bevat binaire gegevens). "
            "Controleer of u het goede bestand heeft gekozen en exporteer het zo nodig opnieuw als CSV of Excel (.xlsx)."
        )
    return "text"


def _utf8_head_ok(data: bytes) -> bool:
    """False when the first 64 KB already show the file is not UTF-8.

    Decoding a large non-UTF-8 file in full only to fail is slow (the error copies
    the whole buffer); an invalid sequence in the head decides it at once.  A
    sequence cut off at the end of the head is no evidence either way.
    """
    head = data[:SNIFF_BYTES]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3
    return True


#: a UTF-8 letter with an accent (é, ë, ü, Ü …: lead byte C3); in Windows-1252 text "Ã" followed
#: by a byte 80-BF is practically never meant
_UTF8_ACCENT = re.compile(rb"\xc3[\x80-\xbf]")


#: bytes checked at a time by :func:`is_utf8`
UTF8_CHUNK = 1 << 24


def is_utf8(data, start: int = 0) -> bool:
    """Whether ``data[start:]`` is valid UTF-8, checked in chunks of :data:`UTF8_CHUNK` bytes.

    Decoding a large file in one go held the whole text, and a failure copied the whole buffer
    into the error (gigabytes for an 11M-row export); chunks keep the memory to one chunk.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for i in range(start, len(data), UTF8_CHUNK):
            decoder.decode(data[i : i + UTF8_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


#: the only bytes Windows-1252 cannot decode: a file holding one is read as ISO-8859-1
_NOT_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_NOTE_MIXED = (
    "het bestand mengt UTF-8 en Windows-1252 (bijvoorbeeld regels die later zijn toegevoegd): gelezen als "
    "Windows-1252, dus letters met accenten in die regels staan verkeerd gespeld; maak de export opnieuw "
    "in één tekenset"
)
_NOTE_LATIN1 = (
    "het bestand bevat tekens die niet als UTF-8 of Windows-1252 te lezen zijn; "
    "gelezen als ISO-8859-1 (namen en teksten kunnen verkeerd gespeld zijn)"
)


def _has_utf8_letters(data, ends=None) -> bool:
    """True when text that is not UTF-8 as a whole still holds UTF-8 accented letters (mixed lines).
    ``find`` of one byte is a memchr: cheap even on a large file without any.

    ``ends``: where ``data`` is several texts one after the other (the distinct cell values of a
    column), the offset just past each; a letter must lie within one text.
    """
    start = data.find(b"\xc3")
    while start >= 0:
        if _UTF8_ACCENT.match(data, start) and (ends is None or ends[bisect.bisect_right(ends, start)] > start + 1):
            return True
        start = data.find(b"\xc3", start + 1)
    return False


def single_byte_encoding(texts) -> tuple[str, list[str]]:
    """The single-byte encoding of text that is not UTF-8, and the notes to make about it.

    ``texts``: the file's bytes, or pairs ``(bytes, ends)`` that together hold every byte of the
    file that is not a delimiter, quote or line end (the lines above the data, and each column's
    distinct cell values one after the other; ``ends`` as in :func:`_has_utf8_letters`).
    Windows-1252 unless a byte it cannot decode occurs: then ISO-8859-1.
    """
    parts = [(texts, None)] if isinstance(texts, (bytes, bytearray, mmap.mmap)) else list(texts)
    if any(data.find(b) >= 0 for data, _ in parts for b in _NOT_CP1252):
        return "ISO-8859-1", [_NOTE_LATIN1]
    mixed = any(_has_utf8_letters(data, ends) for data, ends in parts)
    return "Windows-1252", [_NOTE_MIXED] if mixed else []


#: the encoding :func:`decode` gives a single-byte file when asked to leave the check to its caller
SINGLE_BYTE_PENDING = "Windows-1252?"


def decode(
    data: bytes | mmap.mmap, check_single_byte: bool = True
) -> tuple[str | None, bytes | mmap.mmap | None, str, list[str]]:
    """Decode the file once.

    Returns ``(text, utf8_bytes, encoding, notes)``: for UTF-8 input ``text`` is
    None and ``utf8_bytes`` is the original buffer (no copy); otherwise ``text``
    is the decoded text.

    ``check_single_byte=False``: a file that is neither UTF-8 nor UTF-16 is not scanned for the
    single-byte encoding (:func:`single_byte_encoding`) when its first :data:`SNIFF_BYTES` can be
    read as Windows-1252; the encoding is :data:`SINGLE_BYTE_PENDING` and the caller decides it
    from the distinct cell values it parsed (the text reader, which parses such files as bytes).
    """
    notes: list[str] = []
    if data[: len(_BOM_UTF8)] == _BOM_UTF8 and is_utf8(data, len(_BOM_UTF8)):
        return None, data[len(_BOM_UTF8) :], "UTF-8 (met BOM)", notes
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return str(data, "utf-16"), None, "UTF-16", notes  # a mmap is decoded without a copy of its bytes
    if _utf8_head_ok(data) and is_utf8(data):
        return None, data, "UTF-8", notes
    if not check_single_byte and single_byte_encoding(data[:SNIFF_BYTES])[0] == "Windows-1252":
        return None, data, SINGLE_BYTE_PENDING, notes
    encoding, notes = single_byte_encoding(data)
    return None, data, encoding, notes


_LINE_END = re.compile(r"\r\n|\r|\n")


def sniff_lines(sample: str, truncated: bool) -> tuple[list[str], list[int]]:
    """The sample's physical lines (``\\r\\n``, ``\\r`` or ``\\n`` ends a line) and the
    character offset just past each line's end (a line cut off by the sample's end is left out)."""
    lines: list[str] = []
    ends: list[int] = []
    pos = 0
    for m in _LINE_END.finditer(sample):
        lines.append(sample[pos : m.start()])
        ends.append(m.end())
        pos = m.end()
    if pos < len(sample) and not truncated:
        lines.append(sample[pos:])
        ends.append(len(sample))
    elif not lines and sample:
        lines, ends = [sample], [len(sample)]
    return lines, ends


def _field_too_long(name: str) -> ReadError:
    limit_kb = csv.field_size_limit() // 1024
    return ReadError(
        f"In {name} staat een veld dat langer is dan {limit_kb} KB (vaak een aanhalingsteken dat niet sluit, of een "
        "hele tekst in één cel). Maak het veld korter of zet het aanhalingsteken recht, en lees het bestand opnieuw in."
    )


def split_lines(lines: list[str], delimiter: str, name: str = "het bestand") -> list[list[str]]:
    try:
        return [r for r in csv.reader((ln.rstrip("\r") for ln in lines), delimiter=delimiter)] if lines else []
    except csv.Error:
        raise _field_too_long(name) from None


#: a header scorer: how many cells of a row are column names the reader knows
Scorer = Callable[[list[str]], int]


def find_header(
    rows: Sequence[Sequence[object]],
    score: Scorer,
    is_sub_header: Callable[[list[str]], bool] | None = None,
    *,
    minimum: int = 2,
    above: Callable[[list[list[str]], int], int] | None = None,
) -> tuple[int, int]:
    """Index of the first header row and the number of header rows.

    The header is the first row with the highest score.  A second header row (``VS | Niv``
    under merged ``RW M5`` cells) is recognised with ``is_sub_header``; rows above it that
    belong to it (test and moment over ``VS | Niv``) with ``above``, and so are rows below it
    when the best row holds names merged down over the header rows (``Leerlingnummer`` in the
    top row, ``VS | Niv`` two rows lower).  Returns ``(-1, 0)`` when
    no row has ``minimum`` known headers.
    """
    best, best_i = 0, -1
    for i, r in enumerate(rows):
        s = score(list(r))
        if s > best:
            best, best_i = s, i
    if best < minimum:
        return -1, 0
    if is_sub_header is not None and best_i + 1 < len(rows) and is_sub_header(list(rows[best_i + 1])):
        return best_i, 2
    if above is None:
        return best_i, 1
    cells = [list(r) for r in rows]
    k = above(cells, best_i)
    if k == 0:
        # names merged down over the header rows stand in the top one (the top-left cell of a
        # vertical merge): test and moment below them, VS/Niv last
        if best_i + 2 < len(cells) and above(cells, best_i + 2) == 2:
            return best_i, 3
    return best_i - k, 1 + k


def sniff_dialect(
    lines: list[str],
    score: Scorer,
    is_sub_header: Callable[[list[str]], bool] | None = None,
    *,
    minimum: int = 2,
    above: Callable[[list[list[str]], int], int] | None = None,
    name: str = "het bestand",
) -> tuple[int, int, str]:
    """``(header index, header rows, delimiter)`` of text lines: the delimiter whose header scores best.

    The header index is ``-1`` when no delimiter gives a header.
    """
    best = (-1, 0, ";", 0)
    for d in DELIMITERS:
        rows = split_lines(lines, d, name)
        idx, nh = find_header(rows, score, is_sub_header, minimum=minimum, above=above)
        top = max((score(r) for r in rows[idx : idx + nh]), default=0) if idx >= 0 else 0
        if idx >= 0 and top > best[3]:
            best = (idx, nh, d, top)
    return best[0], best[1], best[2]


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """A small file's whole text, its encoding and notes (same rules as the score exports)."""
    text, buf, encoding, notes = decode(data)
    if text is None:
        text = bytes(buf).decode(CODECS.get(encoding, "utf-8"), errors="replace")
    return text, encoding, notes


def read_text_rows(path: Path, score: Scorer, *, minimum: int = 1) -> tuple[list[tuple[int, list[str]]], int, str, list[str]]:
    """A small text file as ``(line number, cells)`` rows, with the header index, delimiter and notes."""
    text, _, notes = decode_text(Path(path).read_bytes())
    lines = text.splitlines()
    idx, _, delim = sniff_dialect(lines[:80], score, minimum=minimum, name=Path(path).name)
    if idx < 0:  # nothing known: the delimiter that splits the first line most
        first = next((ln for ln in lines if ln.strip()), "")
        delim = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ";"
    try:
        rows = [(i, list(r)) for i, r in enumerate(csv.reader(text.splitlines(keepends=True), delimiter=delim), start=1)]
    except csv.Error:
        raise _field_too_long(Path(path).name) from None
    return rows, idx, delim, notes


# ---------------------------------------------------------------------------
# summary rows
# ---------------------------------------------------------------------------

SUMMARY_RE = re.compile(
    r"^\s*(groeps?gemiddelde|schoolgemiddelde|gemiddelde|gem\.|aantal( leerlingen)?|totaal|totalen|mediaan|"
    r"standaardafwijking|landelijk gemiddelde|minimum|maximum)\b",
    re.IGNORECASE,
)


def is_summary_label(text: str) -> bool:
    """``'Groepsgemiddelde'``, ``'Aantal leerlingen'`` ...: a summary row's label, not a pupil."""
    return bool(SUMMARY_RE.match(str(text).replace("\xa0", " ").strip()))
