"""Pseudonyms at the door, and the pupil background a file carries.

Pupil numbers are pseudonymised per distinct number (:meth:`Pseudonymiser.numbers`).
A row without a number is matched on name + birth date to a numbered row of the
same pupil in any file of the same call; when no number exists anywhere the
pseudonym is made from name + birth date (``id_basis = "naam+geboortedatum"``).
Raw identity values never leave this module's caller: only pseudonym codes do.

Gender
------
Dutch exports write gender as J/M (jongen/meisje) or M/V (man/vrouw), so ``M``
means *meisje* in one and *man* in the other.  The set of values present in a
file's column decides: a column with ``V`` (or ``vrouw``) and no ``J`` is M/V
(``M`` -> ``J``, ``V`` -> ``M``); otherwise J/M (``J`` -> ``J``, ``M`` -> ``M``;
a column with only ``M`` is read as J/M and noted).  ``X``, ``O``, ``anders`` -> ``X``.
"""

from __future__ import annotations

import numpy as np

from plgdata.io.pseudonyms import Pseudonymiser, normalise_name, normalise_number
from plgdata.io.scores.cleaning import clean


class PupilRegistry:
    """Global pseudonym codes for one ``read_scores`` call (categories shared by all files)."""

    def __init__(self, pseudonymiser: Pseudonymiser):
        self.p = pseudonymiser
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.by_name: dict[str, int] = {}  # 'namekey|birth' -> code (from numbered rows)
        self.name_only: set[int] = set()  # codes made from name + birth date

    def code(self, pid: str) -> int:
        c = self.index.get(pid)
        if c is None:
            c = len(self.ids)
            self.ids.append(pid)
            self.index[pid] = c
        return c

    def number_codes(self, uniques: list[str], school: str | None = None) -> np.ndarray:
        """Codes for distinct raw number texts of one school (-1 for blanks); each distinct number hashed once."""
        norm = [
            (u.lstrip("0") or u)
            if (u.isascii() and u.isdigit())  # plain digits: the common case
            else (normalise_number(u.replace("\xa0", " ")) if u and not u.isspace() else None)
            for u in uniques
        ]
        valid = sorted({n for n in norm if n})
        pids = self.p.hash_numbers(valid, school)
        index, ids = self.index, self.ids
        lut: dict[str, int] = {}
        for v, p in zip(valid, pids):
            c = index.get(p)
            if c is None:
                c = index[p] = len(ids)
                ids.append(p)
            lut[v] = c
        get = lut.get
        return np.array([get(n, -1) if n else -1 for n in norm] or [-1], dtype=np.int64)

    def from_name(self, namekey: str, birth: str) -> int:
        """Code of a pupil known by name and birth date only (``namekey`` from :func:`school_name_key`)."""
        school, _, name = namekey.rpartition(SCHOOL_SEP)
        c = self.code(self.p.from_name(name, birth, school or ""))
        self.name_only.add(c)
        return c


#: separates the school from the name in a name key (never in a normalised name)
SCHOOL_SEP = "\x1f"


def school_name_key(school: str | None, namekey: str) -> str:
    """A name key that belongs to one school: the same name at two schools is two pupils."""
    return f"{school}{SCHOOL_SEP}{namekey}" if school and namekey else namekey


def name_key(*parts: object) -> str:
    """Order-insensitive key of a name (``'Vries, Zoë de'`` == ``'Zoë de Vries'``)."""
    text = " ".join(clean(p) for p in parts if p is not None and clean(p))
    return " ".join(sorted(normalise_name(text).split()))


_FEMALE_WORDS = {"V", "VROUW", "VROUWELIJK", "F", "FEMALE"}
_MALE_WORDS = {"MAN", "MANNELIJK"}
_BOY_WORDS = {"J", "JONGEN"}
_GIRL_WORDS = {"MEISJE"}
_EDEX = {"1": "J", "2": "M"}
_OTHER_WORDS = {"X", "O", "ANDERS", "OVERIG", "ONBEKEND", "NEUTRAAL"}


def _gender_of(v: str, mv: bool, edex: bool) -> str | None:
    if not v:
        return None
    if edex and v in _EDEX:
        return _EDEX[v]
    if v in _BOY_WORDS or v in _MALE_WORDS:
        return "J"
    if v in _GIRL_WORDS or v in _FEMALE_WORDS:
        return "M"
    if v == "M":
        return "J" if mv else "M"
    return "X" if v in _OTHER_WORDS else None


def gender_mapper(uniques: list[str], header: str = "") -> tuple[dict[str, str | None], str | None]:
    """Decide J/M, M/V or 1/2 (EDEX) from the values present; return value->J/M/X and a Dutch note (or None).

    Values that fit no coding are named in the note (gender is never dropped silently); the
    column's own ``header`` (a repeated header row) is no value.
    """
    uniques = [u for u in uniques if not (header and clean(u).lower() == clean(header).lower())]
    vals = {clean(u).upper() for u in uniques if clean(u)}
    mv = bool(vals & _FEMALE_WORDS) and not (vals & _BOY_WORDS)
    edex = bool(vals) and vals <= set(_EDEX) | _OTHER_WORDS and bool(vals & set(_EDEX))
    notes = []
    if vals and vals <= {"M"}:
        notes.append("geslacht bevat alleen 'M': gelezen als meisje (J/M-codering)")
    if mv:
        notes = ["geslacht in M/V-codering (man/vrouw): omgezet naar J/M (jongen/meisje)"]
    if edex:
        notes.append("geslacht als 1/2 (EDEX-codering): 1 = jongen, 2 = meisje")
    out = {u: _gender_of(clean(u).upper(), mv, edex) for u in uniques}
    unread = sorted({clean(u) for u, g in out.items() if g is None and clean(u)})
    if unread:
        notes.append(
            "geslacht niet te lezen bij de waarde(n) "
            + ", ".join(f"'{v}'" for v in unread[:5])
            + ": daar leeg gelaten (zet de codering in een koppelbestand)"
        )
    return out, "; ".join(notes) or None
