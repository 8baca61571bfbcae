"""Pseudonyms at the door: names and pupil numbers become stable keyed hashes.

A per-school secret lives in a local key file (created on first use, outside the
repository and outside reports).  The pseudonym of a pupil is
``"L-" + HMAC-SHA256(secret, "nr:" + pupil number)[:10]``; when an export has no
pupil number the name plus birth date is used instead (and the pupil is flagged as
``id_basis = "naam+geboortedatum"``).  With the same key file the same pupil gets the
same pseudonym in every file and every year.

The key file path is, in order: the ``key_file`` argument, the environment variable
``PLGDATA_SLEUTEL``, or ``~/.plgdata/sleutel.key``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path

import pandas as pd

ENV_VAR = "PLGDATA_SLEUTEL"
DEFAULT_KEY_FILE = Path.home() / ".plgdata" / "sleutel.key"
PSEUDONYM_RE = re.compile(r"^L-[0-9a-f]{10}$")


def key_file_path(key_file: str | os.PathLike | None = None) -> Path:
    """Where the school's secret is kept."""
    if key_file is not None:
        return Path(key_file).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return DEFAULT_KEY_FILE


def load_or_create_key(key_file: str | os.PathLike | None = None) -> bytes:
    """Read the secret from the key file, creating it (mode 0600) on first use."""
    path = key_file_path(key_file)
    if path.exists():
        text = path.read_text(encoding="ascii").strip()
        return bytes.fromhex(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="ascii") as fh:
        fh.write(secret.hex() + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return secret


def normalise_number(value: object) -> str | None:
    """Pupil number as text without spaces or a trailing ``.0`` (Excel), or None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    text = text.lstrip("0") or text
    return text or None


def normalise_name(name: object) -> str:
    """Lower-case name without accents and extra spaces (``Zoë  de Vries`` -> ``zoe de vries``)."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().replace(",", " ").split())


class Pseudonymiser:
    """Turns pupil numbers (or name + birth date) into stable pseudonyms.

    Examples
    --------
    >>> p = Pseudonymiser(secret=b"0" * 32)
    >>> p.from_number("12345")
    'L-a9b451bbd2'
    >>> p.from_number("012345") == p.from_number(12345)
    True
    """

    def __init__(self, key_file: str | os.PathLike | None = None, *, secret: bytes | None = None):
        self._secret = secret if secret is not None else load_or_create_key(key_file)

    def _hash(self, message: str) -> str:
        return "L-" + hmac.new(self._secret, message.encode("utf-8"), hashlib.sha256).hexdigest()[:10]

    def from_number(self, number: object) -> str | None:
        """Pseudonym for a pupil number (``None`` when there is no number)."""
        nr = normalise_number(number)
        return None if nr is None else self._hash("nr:" + nr)

    def from_name(self, name: object, birth_date: object = "") -> str:
        """Pseudonym for a pupil without a number: name plus birth date."""
        bd = "" if birth_date is None or (isinstance(birth_date, float) and birth_date != birth_date) else str(birth_date)
        return self._hash("naam:" + normalise_name(name) + "|" + bd.strip())

    def numbers(self, values: pd.Series) -> pd.Series:
        """Vectorised :meth:`from_number`: hashes each distinct number once (categorical out)."""
        s = pd.Series(values, copy=False).astype("string")
        mapping = {v: self.from_number(v) for v in s.dropna().unique()}
        return s.map(mapping).astype("category")
