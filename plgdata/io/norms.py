"""Reading the norm table a school supplies (national means and sds per subject, scale, moment).

The table is a small CSV a user fills in from the vendor's norm tables (for Cito: the
HCO "normeringstabellen"), for example::

    vak;schaal;moment;gemiddelde;sd
    begrijpend lezen;Cito 3.0;M6;174;14,2
    begrijpend lezen;Cito 3.0;E6;181;14,5

``;`` or ``,`` delimiters and decimal commas are tolerated; the header may use the Dutch
names (``vak``, ``schaal``, ``moment``, ``gemiddelde``, ``sd``/``standaardafwijking``)
or the English canonical ones.  The result has the canonical columns
``subject, scale, moment, mean, sd``.  An example ships in
``plgdata/data/normtabel_voorbeeld.csv`` (values to be verified by the school).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from plgdata.io.columns import normalise_header
from plgdata.io.sniff import read_text_rows
from plgdata.model.errors import PlgdataError
from plgdata.model.vocabulary import normalise_subject

NORM_COLUMNS: tuple[str, ...] = ("subject", "scale", "moment", "mean", "sd")

_HEADER_MAP: dict[str, str] = {
    "vak": "subject",
    "vakgebied": "subject",
    "subject": "subject",
    "schaal": "scale",
    "toetsversie": "scale",
    "versie": "scale",
    "scale": "scale",
    "moment": "moment",
    "toetsmoment": "moment",
    "gemiddelde": "mean",
    "gem": "mean",
    "mean": "mean",
    "landelijkgemiddelde": "mean",
    "sd": "sd",
    "standaardafwijking": "sd",
    "stdev": "sd",
    "spreiding": "sd",
}

EXAMPLE_PATH = Path(__file__).parent.parent / "data" / "normtabel_voorbeeld.csv"


class NormTableError(PlgdataError, ValueError):
    """The norm table cannot be used; the message (Dutch) lists every problem."""


def _to_float(s: pd.Series) -> pd.Series:
    txt = s.astype("string").str.strip().str.replace(r"\s", "", regex=True)
    # "1.234,5" -> "1234.5"; "14,2" -> "14.2"
    has_comma = txt.str.contains(",", regex=False).fillna(False)
    txt = txt.where(~has_comma, txt.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    return pd.to_numeric(txt, errors="coerce")


_DUTCH_NAMES = {"subject": "vak", "scale": "schaal", "moment": "moment", "mean": "gemiddelde", "sd": "sd"}


def _known_cells(row: list[str]) -> int:
    return sum(1 for c in row if normalise_header(c) in _HEADER_MAP)


def _read_source(path: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, str, int]:
    """The table as text cells, the name used in messages and the file line of its header."""
    if isinstance(path, pd.DataFrame):
        return path.copy(), "de normtabel", 1
    p = Path(path)
    where = f"normtabel '{p.name}'"
    if not p.exists():
        raise NormTableError(f"De {where} bestaat niet (gezocht op {p}).")
    rows, idx, _, _ = read_text_rows(p, _known_cells)
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    hpos = next((i for i, (n, _) in enumerate(rows) if n == idx + 1), 0) if idx >= 0 else 0
    header_line, header = rows[hpos] if rows else (1, [])
    body = [r + [None] * (len(header) - len(r)) for _, r in rows[hpos + 1 :]]
    raw = pd.DataFrame([r[: len(header)] for r in body], columns=header, dtype=object)
    raw.index = pd.Index([n for n, _ in rows[hpos + 1 :]]) - header_line - 1
    return raw, where, header_line


def _canonical(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    """The five norm columns under their canonical names (raises when one is missing)."""
    rename = {c: _HEADER_MAP[normalise_header(c)] for c in raw.columns if normalise_header(c) in _HEADER_MAP}
    df = raw.rename(columns=rename)
    missing = [c for c in NORM_COLUMNS if c not in df.columns]
    if missing:
        raise NormTableError(
            f"De {where} is niet te gebruiken:\n- kolommen ontbreken: "
            + ", ".join(_DUTCH_NAMES[c] for c in missing)
            + f" (gevonden: {', '.join(map(str, raw.columns))}; verwacht: vak;schaal;moment;gemiddelde;sd)"
        )
    df = df[list(NORM_COLUMNS)].copy()
    df = df[~df.isna().all(axis=1)]
    df["subject"] = df["subject"].map(normalise_subject)
    df["scale"] = df["scale"].astype("string").str.strip()
    df["moment"] = df["moment"].astype("string").str.strip().str.upper()
    df["mean"] = _to_float(df["mean"])
    df["sd"] = _to_float(df["sd"])
    return df


def _problems(df: pd.DataFrame, header_line: int) -> list[str]:
    """Every problem of the canonical table, with its file line."""
    problems: list[str] = []
    rows = df.index.to_series() + header_line + 1  # 1-based file line
    bad_moment = ~df["moment"].fillna("").str.match(r"^[BME][1-8]$")
    for r, m in zip(rows[bad_moment], df.loc[bad_moment, "moment"]):
        problems.append(f"regel {r}: moment '{m}' is geen toetsmoment zoals M6 of E6")
    for col, name in (("mean", "gemiddelde"), ("sd", "sd")):
        for r in rows[df[col].isna()]:
            problems.append(f"regel {r}: {name} is geen getal")
    for r in rows[df["sd"].notna() & (df["sd"] <= 0)]:
        problems.append(f"regel {r}: sd moet groter dan 0 zijn")
    for r in rows[df["scale"].isna() | (df["scale"] == "")]:
        problems.append(f"regel {r}: schaal is leeg (bijvoorbeeld 'Cito 3.0')")
    dup = df.duplicated(["subject", "scale", "moment"], keep=False) & ~bad_moment
    for (s, sc, m), _ in df[dup].groupby(["subject", "scale", "moment"], observed=True):
        problems.append(f"{s} / {sc} / {m} staat meer dan één keer in de tabel")
    return problems


def read_norm_table(path: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read a norm table (vak; schaal; moment; gemiddelde; sd).

    Parameters
    ----------
    path : str, Path or DataFrame
        CSV file (``;`` or ``,`` delimited, decimal comma allowed, UTF-8 or cp1252; encoding,
        delimiter and header row found by :mod:`plgdata.io.sniff`) or an already loaded
        DataFrame with those columns.

    Returns
    -------
    DataFrame
        Columns ``subject, scale, moment, mean, sd``; subject names normalised to the
        canonical codes (``'Begrijpend lezen'`` -> ``'begrijpend lezen'``), moments upper
        case (``'m6'`` -> ``'M6'``).

    Raises
    ------
    NormTableError
        With a Dutch message listing every problem found (missing columns, non-numeric
        or non-positive sd, bad moments, duplicate rows).
    """
    raw, where, header_line = _read_source(path)
    df = _canonical(raw, where)
    problems = _problems(df, header_line)
    if problems:
        raise NormTableError(f"De {where} is niet te gebruiken:\n- " + "\n- ".join(problems))
    for c in ("scale", "moment", "subject"):
        df[c] = df[c].astype(str)
    return df.reset_index(drop=True)
