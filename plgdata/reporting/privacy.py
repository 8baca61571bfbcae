"""The privacy check of a rendered report (``plgdata privacycheck``).

Finds, in an HTML file (parsed, so text that merely *shows* HTML is no problem):

* references to anything outside the file (``http://``, ``https://``, ``//host``) in
  URL attributes (``src``, ``href`` …), in CSS (``url(...)``, ``@import``) of
  ``<style>`` elements and ``style`` attributes — a report must load nothing from the
  internet; embedded data (``data:`` URIs, e.g. the PNG plots) is fine;
* any ``<script>`` element and inline event handlers (``onerror=`` …);
* any pupil number or name known in the school's key file (its local look-up), in
  the visible text, comments, text attributes (``alt``, ``title``, ``srcdoc`` …), links
  (``mailto:…``), CSS (``content: "…"``) and embedded files (an SVG or a page in a
  ``data:`` URI, a PNG's metadata); a word split over inline elements
  (``Qwer<b>tyuiop</b>``) is one word;
* links that run a script (``javascript:``).

Names and numbers are compared after normalising both sides (:func:`normalise_text`:
accents, soft hyphens, zero-width characters, non-breaking spaces and line breaks do
not hide a name); a surname of four letters or more is found on its own, a shorter one
(or one that is an ordinary word, :data:`SURNAME_WORDS`) next to the first name.  Numbers are found with leading zeros, a prefix (``nr123``) or
written in groups (``987 654 321``, ``987.654.321``, also with a non-breaking or thin space) or
in full-width digits.  A number of fewer than four digits (:data:`MIN_BARE_NUMBER_DIGITS`) is
found only after a word such as ``nr`` or ``leerlingnummer``: on its own it is a score or a count
far more often than a pupil, and the command line says so.  All names and numbers are
matched in one pass over the text (set look-ups), so a key with 30,000 pupils costs
well under a second per report.  Excel files (``.xlsx``) are checked cell by cell (sheet names
and comments too, and everything outside the cells: title, creator, defined names, print headers,
validation lists); a CSV or text file is searched as text, a PNG in its metadata, a working table
per pupil (``.parquet``) is a finding of its own; a file that is none of these (a PDF, a Word
file) or cannot be read is reported as not checked, never as clean.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"))
_URL_ATTRS = {"src", "href", "action", "poster", "data", "srcset", "formaction", "background", "xlink:href", "cite", "manifest"}
_TEXT_ATTRS = {"alt", "title", "aria-label", "placeholder", "value", "content", "label", "summary", "srcdoc"}
#: a link that runs a script; browsers ignore tabs, line breaks and leading control characters in it
_JAVASCRIPT_URL = re.compile(
    r"^[\x00-\x20]*j[\t\n\r]*a[\t\n\r]*v[\t\n\r]*a[\t\n\r]*s[\t\n\r]*c[\t\n\r]*r[\t\n\r]*i[\t\n\r]*p[\t\n\r]*t[\t\n\r]*:", re.I
)
_EXTERNAL_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_EXTERNAL = re.compile(
    r"(?:url\(\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:)?//|@import\s+(?:url\()?\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:)?//)", re.IGNORECASE
)
_WORD = re.compile(r"[a-z]+")
#: Dutch surnames that are also ordinary words a report uses ("meer dan de helft"):
#: these are found next to the first name only, like surnames under four letters
SURNAME_WORDS = frozenset(
    "meer groot klein berg beek brink jong lange dijk veen haan hoek laan graaf kamp water boer kort burg heuvel huis "
    "molen wijk koning post bakker visser zwart vos kok wit mulder smit schouten bosch linden velde vries leeuw wolf "
    "hart hout steen kuiper goede beste vaart weide akker baan bron dekker".split()
)
_DATA_URI = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,3}(?:[ .,/-]\d{3})+(?!\d)|\d+")
#: pupil numbers shorter than this are found only after a word that says "number" (a bare 123 in a
#: report is a score or a count far more often than a pupil: every report would be flagged)
MIN_BARE_NUMBER_DIGITS = 4
_PREFIXED_NUMBER = re.compile(r"(?<![a-z])(?:leerlingnummer|leerlingnr|lln\.?\s?nr|nummer|nr|lln)\.?\s*[:#]?\s*0*(\d{1,3})(?!\d)")
#: a number after "nr" or "leerlingnummer" written in groups of any size ("nr. 765 4325", "nr 98-76-54")
_PREFIXED_GROUPED = re.compile(
    r"(?<![a-z])(?:leerlingnummer|leerlingnr|lln\.?\s?nr|nummer|nr|lln)\.?\s*[:#]?\s*(\d(?:[ .\-/]?\d){1,14})(?!\d)"
)
#: elements inside a line of text: a word split over two of them ("Qwer<b>tyuiop</b>") is one word
_INLINE = frozenset(
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strong sub sup time u var wbr".split()
)


@dataclass(frozen=True)
class PrivacyFinding:
    file: str
    kind: str  # "extern", "script", "leerlingnummer", "naam", "niet gecontroleerd", "vertrouwelijk"
    message: str


def normalise_text(text: str) -> str:
    """Lower case, no accents, no invisible characters, every run of spaces one space; a name
    read in the wrong encoding (``Ãœnal``) is put right first (:func:`plgdata.io.mojibake.repair_mojibake`)."""
    if not text.isascii():
        from plgdata.io.mojibake import repair_mojibake

        text = unicodedata.normalize("NFKD", repair_mojibake(text).translate(_INVISIBLE))
        text = "".join(ch for ch in text if ch.isascii() or not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


@dataclass
class Identities:
    """Known pupil numbers and names, prepared for one-pass matching."""

    numbers: set[str] = field(default_factory=set)  # without leading zeros
    short_numbers: set[str] = field(default_factory=set)  # fewer digits than MIN_BARE_NUMBER_DIGITS
    surnames: set[str] = field(default_factory=set)  # normalised, >= 4 letters
    short_pairs: set[tuple[str, str]] = field(default_factory=set)  # (first name, short surname)

    @classmethod
    def from_key(cls, numbers, names) -> Identities:
        all_numbers = {n.lstrip("0") or n for n in (re.sub(r"\D", "", str(x)) for x in numbers) if n}
        short = {n for n in all_numbers if len(n) < MIN_BARE_NUMBER_DIGITS}
        ids = cls(all_numbers - short, short)
        for name in names:
            words = _WORD.findall(normalise_text(str(name)))
            if not words:
                continue
            if len(words[-1]) >= 4 and words[-1] not in SURNAME_WORDS:
                ids.surnames.add(words[-1])
            elif len(words) > 1:
                ids.short_pairs.add((words[0], words[-1]))
        return ids

    def __bool__(self) -> bool:
        return bool(self.numbers or self.short_numbers or self.surnames or self.short_pairs)

    def numbers_in(self, text: str) -> int:
        """Known numbers in ``text`` (normalised first: full-width digits, digits grouped with a
        non-breaking or thin space, a soft hyphen or zero-width space inside)."""
        text = normalise_text(text)
        found = {d for d in (re.sub(r"\D", "", m).lstrip("0") for m in _NUMBER.findall(text)) if d in self.numbers}
        found |= {d for d in (re.sub(r"\D", "", m).lstrip("0") for m in _PREFIXED_GROUPED.findall(text)) if d in self.numbers}
        if self.short_numbers:
            found |= {d for d in (m.lstrip("0") or m for m in _PREFIXED_NUMBER.findall(text)) if d in self.short_numbers}
        return len(found)

    def names_in(self, text: str) -> int:
        words = _WORD.findall(normalise_text(text))
        found = {w for w in words if w in self.surnames}
        if self.short_pairs:
            firsts = {f for f, _ in self.short_pairs}
            for i, w in enumerate(words):
                if w in firsts:
                    near = words[max(0, i - 4) : i] + words[i + 1 : i + 5]
                    found.update(f"{w} {s}" for s in near if (w, s) in self.short_pairs)
        return len(found)


class _ReportParser(HTMLParser):
    """Collects visible text, text attributes, URLs, CSS, scripts and handlers.

    Text is everything that is in the file, not only what a browser shows: comments and
    CDATA too, and the words in a URL (``mailto:…``; an embedded ``data:`` image is no text).
    Pieces of text are separated by a line break, except at inline elements (``<b>``,
    ``<span>``): a name split over those still reads as one word.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.urls: list[str] = []
        self.css: list[str] = []
        self.scripts = 0
        self.handlers = 0
        self.script_links = 0
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in _INLINE:
            self.text.append("\n")
        if tag == "script":
            self.scripts += 1
        if tag in ("script", "style"):
            self._in.append(tag)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.handlers += 1
            elif name in _URL_ATTRS:
                self.urls.extend(value.split(",") if name == "srcset" else [value])
                self.script_links += bool(_JAVASCRIPT_URL.match(value))
                if not value.lstrip().lower().startswith("data:"):
                    self.text.append(f"\n{value}\n")
            elif name == "style":
                self.css.append(value)
            elif name in _TEXT_ATTRS and not value.startswith("data:"):
                self.text.append(f"\n{value}\n")

    def handle_endtag(self, tag):
        if tag not in _INLINE:
            self.text.append("\n")
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_comment(self, data):
        self.text.append(f"\n{data}\n")

    def unknown_decl(self, data):  # <![CDATA[ … ]]> in an SVG
        self.text.append(f"\n{data}\n")

    def handle_data(self, data):
        if self._in and self._in[-1] == "style":
            self.css.append(data)
        elif not self._in:
            self.text.append(data)


_ANY_DATA_URI = re.compile(r"data:([a-z]+/[a-z0-9.+-]+)?((?:;[a-z0-9=._+-]+)*),([^\"'\s)<>]*)", re.IGNORECASE)
_TEXT_TYPES = ("image/svg+xml", "text/", "application/xhtml+xml", "application/xml", "application/json")


def data_uri_texts(html: str) -> list[str]:
    """The text inside every embedded file (``data:`` URI): an SVG or a page as text, a PNG's metadata."""
    import base64
    import binascii
    from urllib.parse import unquote_to_bytes

    out = []
    for m in _ANY_DATA_URI.finditer(html):
        kind, params, payload = (m.group(1) or "text/plain").lower(), m.group(2).lower(), m.group(3)
        try:
            data = base64.b64decode(payload + "=" * (-len(payload) % 4)) if ";base64" in params else unquote_to_bytes(payload)
        except (binascii.Error, ValueError):
            continue
        if kind == "image/png":
            out.append(png_text(data))
        elif kind.startswith(_TEXT_TYPES):
            out.append(data.decode("utf-8", errors="replace"))
    return out


def png_text(data: bytes) -> str:
    """The text chunks of a PNG (``tEXt``, ``zTXt``, ``iTXt``: title, author, comments …)."""
    import struct
    import zlib

    texts, pos = [], 8
    while pos + 8 <= len(data):
        (length,), kind = struct.unpack(">I", data[pos : pos + 4]), data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        try:
            if kind == b"tEXt":
                texts.append(body.replace(b"\0", b" ").decode("latin-1"))
            elif kind == b"zTXt":
                key, _, rest = body.partition(b"\0")
                texts.append(
                    key.decode("latin-1") + " " + zlib.decompress(rest[1:], bufsize=1 << 16)[: 1 << 20].decode("latin-1")
                )
            elif kind == b"iTXt":
                key, _, rest = body.partition(b"\0")
                flag, rest = rest[:1], rest[2:]
                _, _, rest = rest.partition(b"\0")  # language tag
                _, _, rest = rest.partition(b"\0")  # translated keyword
                texts.append(
                    key.decode("latin-1") + " " + (zlib.decompress(rest) if flag == b"\x01" else rest).decode("utf-8", "replace")
                )
        except (zlib.error, UnicodeDecodeError):
            continue
    return "\n".join(texts)


def _external(parser: _ReportParser) -> list[str]:
    out = [u.strip()[:60] for u in parser.urls if _EXTERNAL_URL.match(u)]
    out += [m.group(0)[:60] for css in parser.css for m in _CSS_EXTERNAL.finditer(css)]
    return out


def check_html(
    html: str,
    *,
    numbers: set[str] = frozenset(),
    names: set[str] = frozenset(),
    file: str = "",
    identities: Identities | None = None,
) -> list[PrivacyFinding]:
    """All privacy problems in one HTML text (empty list when it is clean)."""
    embedded = data_uri_texts(html)  # what embedded files say (an SVG's text, a PNG's metadata, a page in a page)
    parser = _ReportParser()
    parser.feed(_DATA_URI.sub("data:", html))  # embedded images: no reference, and slow to parse
    parser.close()
    found = [PrivacyFinding(file, "extern", f"verwijzing naar buiten het bestand: {u}") for u in _external(parser)]
    if parser.scripts:
        found.append(PrivacyFinding(file, "script", f"{parser.scripts} script-element(en) in het rapport"))
    if parser.handlers:
        found.append(PrivacyFinding(file, "script", f"{parser.handlers} HTML-element(en) met een script-attribuut (on...=)"))
    if parser.script_links:
        found.append(PrivacyFinding(file, "script", f"{parser.script_links} link(s) met javascript: (een script)"))
    ids = identities if identities is not None else Identities.from_key(numbers, names)
    # CSS too: content: "…" puts text on the page
    return found + _identity_findings("\n".join(["".join(parser.text), *parser.css, *embedded]), ids, file)


def _identity_findings(text: str, ids: Identities, file: str) -> list[PrivacyFinding]:
    from plgdata.io.pseudonyms import PSEUDONYM_IN_TEXT

    # a pseudonym is no pupil data, even when its hex digits happen to spell a pupil number
    text = PSEUDONYM_IN_TEXT.sub(" ", text)
    found = []
    if (ids.numbers or ids.short_numbers) and ids.numbers_in(text):
        # never print the number itself: say only that one was found
        found.append(PrivacyFinding(file, "leerlingnummer", "een leerlingnummer uit het sleutelbestand staat in het rapport"))
    n_names = ids.names_in(text) if ids.surnames or ids.short_pairs else 0
    if n_names:
        found.append(PrivacyFinding(file, "naam", f"{n_names} leerlingnaam/-namen uit het sleutelbestand staan in het rapport"))
    return found


_XML_TAG = re.compile(r"<[^>]*>")
_NAMING_ATTR = re.compile(r'\b(?:name|descr|title)="([^"]*)"')
_SHEET_DATA = re.compile(r"<(?:\w+:)?sheetData\b.*?</(?:\w+:)?sheetData>", re.DOTALL)


def _xlsx_parts_text(path: Path) -> str:
    """The text of a workbook outside its cells: title, creator and other properties, defined
    names, print headers and footers, validation lists, drawings and charts (every XML part,
    tags removed; the cells themselves are read by :func:`_xlsx_text`)."""
    import html as html_lib
    import zipfile

    texts = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not info.filename.endswith((".xml", ".vml")) or info.filename.endswith("sharedStrings.xml"):
                continue
            if info.file_size > 50_000_000:
                continue  # a sheet's cells: read cell by cell below
            xml = zf.read(info).decode("utf-8", errors="replace")
            if "/worksheets/" in info.filename:
                xml = _SHEET_DATA.sub(" ", xml)
            texts.append(html_lib.unescape(_XML_TAG.sub("\n", xml)))
            texts += map(html_lib.unescape, _NAMING_ATTR.findall(xml))  # defined names, alt text of drawings
    return "\n".join(texts)


def _xlsx_text(path: Path) -> str:
    """Every text of a workbook: sheet names, cell values (formulas as written), comments and
    everything outside the cells (:func:`_xlsx_parts_text`)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=False)
    try:
        texts = [ws.title for ws in wb.worksheets]
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                texts += [str(c.value) for c in row if c.value is not None]
                texts += [c.comment.text for c in row if c.comment is not None]
        return "\n".join(texts) + "\n" + _xlsx_parts_text(path)
    finally:
        wb.close()


#: files read as HTML (an SVG too: its text is text); any other text file is searched as plain text
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")
#: tables per pupil (the working data): never in a folder a team shares, whatever they contain
WORK_DATA_SUFFIXES = (".parquet", ".feather", ".arrow", ".pkl", ".pickle")


def _unchecked(path: Path, why: str) -> PrivacyFinding:
    return PrivacyFinding(path.name, "niet gecontroleerd", f"dit bestand kon niet worden gecontroleerd: {why}")


def _check_one(p: Path, ids: Identities) -> list[PrivacyFinding]:
    """The findings of one HTML or Excel file; any other file is said to be unchecked."""
    from plgdata.reporting.names import CONFIDENTIAL_MARK

    if p.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            text = _xlsx_text(p)
        except Exception:  # not a zip, damaged XML: nothing can be said about its cells
            return [_unchecked(p, "het is geen leesbaar Excel-bestand")]
        return _identity_findings(text, ids, p.name)
    data = p.read_bytes()
    if p.suffix.lower() in WORK_DATA_SUFFIXES or data.startswith(b"PAR1"):
        return [
            PrivacyFinding(
                p.name, "leerlinggegevens", "werkbestand met gegevens per leerling: hoort niet in een map die je deelt"
            )
        ]
    if data.startswith(b"\x89PNG"):
        return _identity_findings(png_text(data), ids, p.name)
    if b"\x00" in data[:8192] or data.startswith((b"PK\x03\x04", b"%PDF")):
        return [
            _unchecked(
                p,
                "alleen HTML-rapporten, Excel-bestanden (.xlsx), tekstbestanden en PNG-afbeeldingen kunnen worden gecontroleerd",
            )
        ]
    if p.suffix.lower() not in HTML_SUFFIXES:  # a CSV, a text file, JSON: every word and number counts
        return _identity_findings(data.decode("utf-8", errors="replace"), ids, p.name)
    html = data.decode("utf-8", errors="replace")
    found = check_html(html, file=p.name, identities=ids)
    if CONFIDENTIAL_MARK in html:  # a class teacher's overview with names: never to be shared
        found.append(PrivacyFinding(p.name, "vertrouwelijk", "vertrouwelijk overzicht met leerlingnamen: niet delen"))
    return found


def short_numbers_note(key_file=None) -> str | None:
    """A Dutch note when the key file holds pupil numbers too short to search for on their own."""
    from plgdata.io.pseudonyms import key_file_path, known_identities

    if not key_file_path(key_file).is_file():
        return None
    n = len(Identities.from_key(*known_identities(key_file)).short_numbers)
    if not n:
        return None
    return (
        f"Let op: {n} leerlingnummer(s) in het sleutelbestand hebben minder dan {MIN_BARE_NUMBER_DIGITS} cijfers. "
        "Zulke nummers zijn alleen gezocht na een woord als 'nr' of 'leerlingnummer': los zouden ze bij elke "
        "score of elk aantal een melding geven. Kijk zelf of er geen leerlingnummer in de rapporten staat."
    )


def check_files(paths, key_file=None) -> list[PrivacyFinding]:
    """Check HTML and Excel files; names and numbers come from the key file's look-up.

    Without a key file names and numbers cannot be checked: every file then gets a
    "niet gecontroleerd" finding (the check fails rather than say "no problems").
    """
    from plgdata.io.pseudonyms import key_file_path, known_identities

    ids = Identities()
    if key_file_path(key_file).is_file():
        ids = Identities.from_key(*known_identities(key_file))
    found: list[PrivacyFinding] = []
    for p in map(Path, paths):
        if not ids:
            found.append(
                PrivacyFinding(
                    p.name,
                    "niet gecontroleerd",
                    "namen en leerlingnummers konden niet worden gecontroleerd: "
                    "er is geen sleutelbestand (geef het op met --sleutel)",
                )
            )
        found.extend(_check_one(p, ids))
    return found
