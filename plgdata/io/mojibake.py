"""Text that was read in the wrong encoding, repaired ("mojibake": ``Ãœnal`` for ``Ünal``).

An export in Windows-1252 may hold a line pasted in as UTF-8 (one pupil added by hand in
another program): read as Windows-1252 that line says ``Ãœnal Ã‡elik``.  A pupil's name must
be kept as it was meant, or the privacy check cannot find it in a report.  Two repairs, per
cell (never per file, so the rest of the file keeps its own encoding):

* :func:`decode_cell` — the cell's bytes are valid UTF-8 with a multi-byte sequence: they are
  UTF-8 (Windows-1252 text almost never forms valid UTF-8 by chance: ``é`` alone is byte
  ``E9``, which UTF-8 only allows before two continuation bytes);
* :func:`repair_mojibake` — text already decoded (a UTF-8 file, an Excel cell) that holds the
  Windows-1252 reading of UTF-8 bytes: each run of non-ASCII characters that encodes back to
  valid UTF-8 is replaced by that.

No library is needed for these two cases (``ftfy`` handles many more, at a cost per cell).
"""

from __future__ import annotations

import re

#: a Windows-1252 reading of a UTF-8 lead byte (C2-F4) followed by one of a continuation byte (80-BF)
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _cp1252_bytes(text: str) -> bytes | None:
    """``text`` encoded back to Windows-1252 (C1 control characters as their own byte); None if impossible."""
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if o < 0x100:  # Latin-1 is Windows-1252 here; C1 controls stand for their own byte
            out.append(o)
        else:
            try:
                out += ch.encode("cp1252")
            except UnicodeEncodeError:
                return None
    return bytes(out)


def _repair_run(match: re.Match) -> str:
    run = match.group(0)
    raw = _cp1252_bytes(run)
    if raw is None:
        return run
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def is_suspect(text: str) -> bool:
    """True when ``text`` may hold mojibake (a cheap test before :func:`repair_mojibake`)."""
    return not text.isascii() and _SUSPECT.search(text) is not None


def repair_mojibake(text: str) -> str:
    """``text`` with every Windows-1252 reading of UTF-8 put right; other text unchanged.

    >>> repair_mojibake("Ãœnal Ã‡elik")
    'Ünal Çelik'
    >>> repair_mojibake("Zoë Ünal, café")  # already right: unchanged
    'Zoë Ünal, café'
    """
    if not is_suspect(text):
        return text
    return _NON_ASCII_RUN.sub(_repair_run, text)


def decode_cell(value: bytes, encoding: str) -> str:
    """One cell's bytes as text: UTF-8 when they are valid UTF-8 beyond ASCII, else ``encoding``.

    >>> decode_cell("Ünal".encode("utf-8"), "cp1252"), decode_cell("Zoë".encode("cp1252"), "cp1252")
    ('Ünal', 'Zoë')
    """
    if not value.isascii():
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return repair_mojibake(value.decode(encoding, errors="replace"))
