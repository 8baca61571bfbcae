"""Recognising subjects and scales in free text (test names, Vak/Schaal columns, file names)."""

from __future__ import annotations

import re
import unicodedata

#: Smallest group whose statistics a report shows: smaller groups are suppressed (privacy) and
#: get "te weinig leerlingen" (honesty).  The one definition; every default refers to it.
MIN_N = 5


def _plain(text: object) -> str:
    t = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[_\-]+", " ", t)


_SUBJECT_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bspelling\s*(niet\s*)?werkwoord|\bww\b|\bspww\b", "spelling werkwoorden"),
    (r"\bleestekens\b", "leestekens"),
    (r"\btaalverzorging\b", "taalverzorging"),
    (r"\bbegrijpend\b|\bbl\b|\btekstbegrip\b", "begrijpend lezen"),
    (r"\btechnisch\b|\bdmt\b|\bavi\b|\btl\b|\bdrie minuten\b", "technisch lezen"),
    (r"\bwoordenschat\b|\bws\b", "woordenschat"),
    (r"\bspelling\b|\bsp\b", "spelling"),
    (r"\breken|\bwiskunde\b|\brw\b|\bgetallen\b", "rekenen-wiskunde"),
    (r"^\s*lezen\s*$|\blezen\b", "begrijpend lezen"),  # IEP 'Lezen' is reading comprehension
)


def subject_of(text: object) -> str | None:
    """Canonical subject named in ``text`` (``'Rekenen-Wiskunde 3.0'`` -> ``'rekenen-wiskunde'``)."""
    t = _plain(text)
    if not t.strip():
        return None
    for pat, subj in _SUBJECT_PATTERNS:
        if re.search(pat, t):
            return subj
    return None


def scale_of(text: object) -> str | None:
    """Scale named in a test name, version or vendor text; None when it says nothing about it."""
    t = _plain(text)
    if not t.strip():
        return None
    if re.search(r"leerling in beeld|\blib\b", t):
        return "Leerling in beeld"
    if re.search(r"\biep\b", t):
        return "IEP"
    if re.search(r"\bboom\b", t):
        return "Boom"
    if re.search(r"\b3[.,]0\b", t):
        return "Cito 3.0"
    if re.search(r"\b2[.,]0\b", t) or re.search(r"\blovs\b", t):
        return "Cito 2.0"
    if re.search(r"\bcito\b", t):
        return None  # Cito without a version: the caller decides
    return None


def vendor_of(text: object) -> str | None:
    """'IEP', 'Boom', 'Cito' when ``text`` names a vendor (titles, file names)."""
    t = _plain(text)
    if re.search(r"\biep\b", t):
        return "IEP"
    if re.search(r"\bboom\b", t):
        return "Boom"
    if re.search(r"\bcito\b|\blovs\b|leerling in beeld|\blib\b", t):
        return "Cito"
    return None
