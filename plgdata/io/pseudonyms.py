"""Pseudonyms at the door: names and pupil numbers become stable keyed hashes.

A per-school secret lives in a local **key file** (created on first use, outside the
repository and outside reports, mode 0600).  A pupil is a **school plus a pupil number**:
two schools (of one bestuur) may hand out the same numbers.  The pseudonym of a pupil is
``"L-" + HMAC-SHA256(secret, "nr:" + school key + "|" + pupil number)[:10]``, the school
key being the school's name normalised (:func:`school_key`: case, accents and spaces do not
count).  A file that names no school is read as one school: its pupils get the school the
reader decides (the only school of the call or of the key file, or none: then the message
is ``"nr:" + number``); the load report says so.  When an export has no pupil number the
school plus name plus birth date is used instead (and the pupil is flagged as
``id_basis = "naam+geboortedatum"``).  With the same key file the same pupil gets the
same pseudonym in every file and every year.

The key file also keeps the school's **local look-up** (pseudonym -> pupil number and
name), so the IB'er can find a pupil again (:func:`lookup`, ``plgdata zoek``) and
``plgdata privacycheck`` can search reports for every known name and number.  It is
JSON::

    {"versie": 1, "geheim": "<64 hex>",
     "leerlingen": {"L-3fa2...": {"nummer": "104512", "naam": "Zoë de Vries", "school": "OBS De Vlonder"}}}

The key file path is, in order: the ``key_file`` argument, the environment variable
``PLGDATA_SLEUTEL``, or ``~/.plgdata/sleutel.key``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd

from plgdata.model.errors import PlgdataError

ENV_VAR = "PLGDATA_SLEUTEL"
DEFAULT_KEY_FILE = Path.home() / ".plgdata" / "sleutel.key"
#: a pseudonym inside a text; :data:`PSEUDONYM_RE` is a whole value that is one
PSEUDONYM_IN_TEXT = re.compile(r"\bL-[0-9a-f]{10}\b")
PSEUDONYM_RE = re.compile(r"^L-[0-9a-f]{10}$")


def key_file_path(key_file: str | os.PathLike | None = None) -> Path:
    """Where the school's secret and look-up are kept."""
    if key_file is not None:
        return Path(key_file).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return DEFAULT_KEY_FILE


class KeyFileError(PlgdataError):
    """The key file exists but cannot be read; ``message`` is Dutch."""


#: length of the secret plgdata makes (and requires) in bytes
KEY_BYTES = 32


def restore_hint(path: Path | None = None) -> str:
    """The Dutch way back when a key file is missing or broken."""
    where = str(path) if path is not None else "de plek van het sleutelbestand"
    return (
        f"Zet de reservekopie van het sleutelbestand terug: kopieer het bestand van je reservekopie "
        f"(bijvoorbeeld de schoolschijf of een USB-stick) naar {where} en probeer het opnieuw. Maak geen nieuwe "
        "sleutel, want dan krijgen alle leerlingen andere pseudoniemen."
    )


def loose_key_file_note(key_file: str | os.PathLike | None = None) -> str | None:
    """A Dutch warning when other users of this computer may read the key file; the file is then
    made private (mode 0600, as plgdata creates it).  None when all is well (or on Windows)."""
    path = key_file_path(key_file)
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return None
    if os.name == "nt" or not mode & 0o077:
        return None
    try:
        os.chmod(path, 0o600)
        done = "plgdata heeft dat nu rechtgezet (alleen jij mag het lezen)."
    except OSError:
        done = f"Zet het op alleen-jij, bijvoorbeeld met: chmod 600 {path}"
    return (
        f"LET OP: het sleutelbestand {path} was leesbaar voor andere gebruikers van deze computer (rechten {mode:04o}). "
        f"Met de sleutel zijn de pseudoniemen terug te rekenen naar leerlingen. {done}"
    )


def check_same_key(directory: str | Path, fingerprint: str | None) -> None:
    """Refuse to save into a werkmap made with another key (earlier work could no longer be joined)."""
    from plgdata.model.dataset import FINGERPRINT_FILE

    d = Path(directory)
    kept = d / FINGERPRINT_FILE
    if not fingerprint or not kept.is_file():
        return
    if kept.read_text(encoding="utf-8").strip() != fingerprint:
        raise KeyFileError(
            f"De map {d} bevat gegevens die met een ander sleutelbestand zijn gemaakt; er is niets in "
            "overschreven. Met deze sleutel krijgen alle leerlingen andere pseudoniemen en past eerder werk "
            "er niet meer bij. " + restore_hint() + " Of kies een andere map."
        )


def _checked_secret(secret: bytes, path: Path) -> bytes:
    """``secret`` when it is a full-length random secret; refuses an empty, short or constant one."""
    if len(secret) < KEY_BYTES or len(set(secret)) < 8:
        raise KeyFileError(
            f"Het sleutelbestand {path} bevat geen volledige geheime sleutel (leeg of te kort). plgdata gebruikt het "
            "niet, want zonder geheim kan iedereen de pseudoniemen uit de leerlingnummers narekenen. " + restore_hint(path)
        )
    return secret


def read_key_file(key_file: str | os.PathLike | None = None) -> dict:
    """The key file's content (``geheim`` as bytes, ``leerlingen`` look-up); {} when absent.

    Raises :class:`KeyFileError` (Dutch, with the way to restore the backup) for a key
    file that cannot be read, is damaged, or holds no full-length secret.
    """
    path = key_file_path(key_file)
    damaged = f"Het sleutelbestand {path} is beschadigd, onleesbaar of geen plgdata-sleutel. " + restore_hint(path)
    try:
        if not path.exists():
            return {}
        text = path.read_bytes().decode("utf-8-sig").strip()  # a BOM added by an editor is harmless
    except (OSError, UnicodeDecodeError):
        raise KeyFileError(damaged) from None
    try:
        if text.startswith("{"):
            data = json.loads(text)
            secret, people = bytes.fromhex(data["geheim"]), dict(data.get("leerlingen", {}))
        else:
            secret, people = bytes.fromhex(text), {}
        if not all(isinstance(entry, dict) for entry in people.values()):
            raise TypeError("a look-up entry is not {nummer, naam}")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KeyFileError(damaged) from None
    return {"geheim": _checked_secret(secret, path), "leerlingen": people}


def _write_key_file(path: Path, secret: bytes, lookup: dict) -> None:
    _checked_secret(secret, path)  # never write an empty or short secret
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".sleutel-", dir=path.parent)
    except OSError:
        raise KeyFileError(
            f"Het sleutelbestand kan niet worden bewaard in {path.parent}: die map is alleen-lezen, bestaat niet of je hebt "
            "er geen schrijfrechten. Kies een map waarin je mag schrijven (buiten de gedeelde map met rapporten) met "
            f"--sleutel of de omgevingsvariabele {ENV_VAR}. Er is niets veranderd."
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"versie": 1, "geheim": secret.hex(), "leerlingen": lookup}, fh, ensure_ascii=False, indent=0)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError:
        raise KeyFileError(
            f"Het sleutelbestand {path} kon niet worden geschreven (schijf vol, alleen-lezen of geen schrijfrechten). "
            "Het oude sleutelbestand is niet veranderd. Maak ruimte of kies een andere plek met --sleutel."
        ) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load_or_create_key(key_file: str | os.PathLike | None = None) -> bytes:
    """Read the secret from the key file, creating the file on first use."""
    data = read_key_file(key_file)
    if data:
        return data["geheim"]
    secret = secrets.token_bytes(KEY_BYTES)
    _write_key_file(key_file_path(key_file), secret, {})
    return secret


def key_fingerprint(secret: bytes) -> str:
    """A short keyed value that tells two secrets apart without revealing either."""
    return hmac.new(secret, b"plgdata-sleutel-vingerafdruk", hashlib.sha256).hexdigest()[:16]


def _missing(value: object) -> bool:
    """None, ``pd.NA`` or NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def normalise_number(value: object) -> str | None:
    """Pupil number as text without spaces, leading zeros or a trailing ``.0`` (Excel), or None."""
    if _missing(value):
        return None
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    text = text.lstrip("0") or text
    return text or None


def normalise_numbers(texts: list[str]) -> list[str | None]:
    """:func:`normalise_number` for many texts at once (plain digit strings take a fast path)."""
    out: list[str | None] = []
    append = out.append
    for t in texts:
        if t.isascii() and t.isdigit():
            append(t.lstrip("0") or t)
        else:
            append(normalise_number(t))
    return out


def normalise_name(name: object) -> str:
    """Lower-case name without accents and extra spaces (``Zoë  de Vries`` -> ``zoe de vries``)."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().replace(",", " ").split())


def school_key(school: object) -> str:
    """The part of a pseudonym that says which school: the name normalised, "" for no school.

    >>> school_key("OBS  De Vlönder") == school_key("obs de vlonder")
    True
    """
    if school is None or school is pd.NA or (isinstance(school, float) and school != school):
        return ""
    return normalise_name(school)


def _number_prefix(school: object) -> str:
    """What goes before the pupil number in the hashed message (see the module docstring)."""
    key = school_key(school)
    return f"nr:{key}|" if key else "nr:"


class Pseudonymiser:
    """Turns pupil numbers (or name + birth date) into stable pseudonyms.

    With a key file, every pseudonym made is remembered in the file's local look-up
    (call :meth:`save`, which the readers do once per call).

    Examples
    --------
    >>> p = Pseudonymiser(secret=b"0" * 32)
    >>> p.from_number("12345")
    'L-a9b451bbd2'
    >>> p.from_number("012345") == p.from_number(12345)
    True
    """

    def __init__(self, key_file: str | os.PathLike | None = None, *, secret: bytes | None = None):
        self._path: Path | None = None
        self._lookup: dict[str, dict] = {}
        self._dirty = False
        #: the school of pupil numbers read without one (see the module docstring); None = no school
        self.school: str | None = None
        #: True when this call made a new key file (every pseudonym differs from earlier work)
        self.created_key = False
        if secret is not None:
            self._secret = secret
        else:
            self._path = key_file_path(key_file)
            self.created_key = not self._path.exists()
            self._secret = load_or_create_key(self._path)
            self._lookup = read_key_file(self._path).get("leerlingen", {})

    def _keyed(self) -> tuple:
        """SHA-256 states after the HMAC inner and outer key pads (RFC 2104), made once.

        Copying these per message gives exactly ``hmac.new(secret, message, sha256)``
        without re-deriving the pads for each of many pupil numbers.
        """
        pads = self.__dict__.get("_pads")
        if pads is None:
            key = self._secret
            if len(key) > 64:  # the SHA-256 block size
                key = hashlib.sha256(key).digest()
            key = key.ljust(64, b"\0")
            pads = self._pads = (hashlib.sha256(key.translate(hmac.trans_36)), hashlib.sha256(key.translate(hmac.trans_5C)))
        return pads

    @property
    def fingerprint(self) -> str:
        """:func:`key_fingerprint` of this secret (stored beside saved tables)."""
        return key_fingerprint(self._secret)

    @property
    def keeps_lookup(self) -> bool:
        """True when pseudonyms are remembered in a key file (not with a bare secret)."""
        return self._path is not None

    def _hash(self, message: str) -> str:
        inner, outer = self._keyed()
        i = inner.copy()
        i.update(message.encode("utf-8"))
        o = outer.copy()
        o.update(i.digest())
        return "L-" + o.hexdigest()[:10]

    def hash_numbers(self, numbers: list[str], school: str | None = None) -> list[str]:
        """Pseudonyms of already normalised pupil numbers (see :func:`normalise_numbers`) of one
        ``school`` (default :attr:`school`), in order.

        Same values as :meth:`from_number`, and remembered in the local look-up the same
        way, without the per-number overhead (for the ~30,000 distinct numbers of a
        large export).
        """
        school = self.school if school is None else school
        school_name = " ".join(str(school).split()) if school_key(school) else None
        inner, outer = self._keyed()
        inner = inner.copy()
        inner.update(_number_prefix(school).encode("utf-8"))
        lookup = self._lookup
        out: list[str] = []
        append = out.append
        for nr in numbers:
            i = inner.copy()
            i.update(nr.encode("utf-8"))
            o = outer.copy()
            o.update(i.digest())
            p = "L-" + o.hexdigest()[:10]
            append(p)
            if not (nr.isdigit() or any(ch.isdigit() for ch in nr)):
                continue  # a summary row's label ("Aantal leerlingen") is no pupil number to remember
            entry = lookup.get(p)
            if entry is None:
                entry = lookup[p] = {"nummer": nr}
                self._dirty = True
            elif entry.get("nummer") != nr:
                entry["nummer"] = nr
                self._dirty = True
            if school_name and entry.get("school") != school_name:
                entry["school"] = school_name
                self._dirty = True
        return out

    def _remember(self, pseudonym: str, **fields) -> None:
        entry = self._lookup.setdefault(pseudonym, {})
        for k, v in fields.items():
            if v and entry.get(k) != v:
                entry[k] = v
                self._dirty = True

    def from_number(self, number: object, school: str | None = None) -> str | None:
        """Pseudonym for a pupil number of ``school`` (default :attr:`school`); ``None`` without a number."""
        nr = normalise_number(number)
        if nr is None:
            return None
        return self.hash_numbers([nr], school)[0]

    def from_name(self, name: object, birth_date: object = "", school: str | None = None) -> str:
        """Pseudonym for a pupil without a number: school (default :attr:`school`), name and birth date."""
        bd = (
            ""
            if birth_date is None or birth_date is pd.NA or (isinstance(birth_date, float) and birth_date != birth_date)
            else str(birth_date)
        )
        school = self.school if school is None else school
        key = school_key(school)
        p = self._hash("naam:" + (f"{key}|" if key else "") + normalise_name(name) + "|" + bd.strip())
        self._remember(p, naam=" ".join(str(name).split()), school=" ".join(str(school).split()) if key else None)
        return p

    def schools_of(self) -> dict[str, set[str]]:
        """Per pupil number the schools the look-up knows it at (for a list that names no school)."""
        out: dict[str, set[str]] = {}
        for entry in self._lookup.values():
            if entry.get("nummer"):
                out.setdefault(entry["nummer"], set()).add(entry.get("school") or "")
        return out

    def known_schools(self) -> set[str]:
        """The schools of every pupil in the look-up (by name as first read)."""
        return {e["school"] for e in self._lookup.values() if e.get("school")}

    def numbers(self, values: pd.Series) -> pd.Series:
        """Vectorised :meth:`from_number` (pupils of :attr:`school`): hashes each distinct number once (categorical out)."""
        s = pd.Series(values, copy=False).astype("string")
        distinct = [str(v) for v in s.dropna().unique()]
        norm = normalise_numbers(distinct)
        valid = list(dict.fromkeys(n for n in norm if n is not None))  # first-seen order, as before
        pseud = dict(zip(valid, self.hash_numbers(valid)))
        mapping = {v: (pseud[n] if n is not None else None) for v, n in zip(distinct, norm)}
        return s.map(mapping).astype("category")

    def remember_names(self, pseudonyms: pd.Series | list, names: pd.Series | list) -> None:
        """Add names to the local look-up (for ``plgdata zoek`` and ``privacycheck``)."""
        seen: set[str] = set()
        for p, n in zip(list(pseudonyms), list(names)):  # the first name of each pseudonym, missing values skipped
            if not (isinstance(p, str) and isinstance(n, str)):
                if _missing(p) or _missing(n):
                    continue
                p, n = str(p), str(n)
            if p in seen:
                continue
            seen.add(p)
            n = " ".join(n.split())
            if n:
                self._remember(p, naam=n)

    def save(self) -> None:
        """Write new look-up entries to the key file (no-op without a key file)."""
        if self._path is None or not self._dirty:
            return
        current = read_key_file(self._path)
        if current and current["geheim"] != self._secret:
            # never overwrite another secret: that would give every pupil a new pseudonym
            raise KeyFileError(
                f"Het sleutelbestand {self._path} is vervangen terwijl plgdata ermee werkte. Er is niets "
                "overschreven; lees de bestanden opnieuw in."
            )
        on_disk = current.get("leerlingen", {})
        for p, entry in self._lookup.items():
            on_disk.setdefault(p, {}).update(entry)
        _write_key_file(self._path, self._secret, on_disk)
        self._lookup = on_disk
        self._dirty = False


def lookup(pseudonym: str, key_file: str | os.PathLike | None = None) -> dict | None:
    """The pupil number and name behind a pseudonym, from the local key file (IB'er only)."""
    return read_key_file(key_file).get("leerlingen", {}).get(pseudonym)


def known_identities(key_file: str | os.PathLike | None = None) -> tuple[set[str], set[str]]:
    """All pupil numbers and names in the key file's look-up (for the privacy check)."""
    entries = read_key_file(key_file).get("leerlingen", {}).values()
    numbers = {e["nummer"] for e in entries if e.get("nummer")}
    names = {e["naam"] for e in entries if e.get("naam")}
    return numbers, names
