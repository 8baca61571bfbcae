"""The sample school's real-looking identities (names, pupil numbers), read straight from
the export files, so tests can prove none of them reaches an output."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


@lru_cache(maxsize=1)
def sample_identities() -> tuple[frozenset[str], frozenset[str]]:
    """(pupil numbers, full names) of every pupil in ``data/sample/leerlingen.csv``."""
    df = pd.read_csv(SAMPLE / "leerlingen.csv", sep=";", encoding="cp1252", skiprows=1, dtype=str).fillna("")
    numbers = frozenset(df["Leerlingnummer"].str.strip()) - {""}
    names = frozenset(" ".join(p for p in (r.Voornaam, r.Tussenvoegsel, r.Achternaam) if p).strip() for r in df.itertuples())
    return numbers, names


def leaks(text: str) -> list[str]:
    """Which sample numbers or full names occur in ``text`` (word-bounded numbers)."""
    import re

    numbers, names = sample_identities()
    found = [n for n in numbers if re.search(rf"(?<![\w-]){n}(?![\w-])", text)]
    found += [n for n in names if n in text]
    return found
