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

import io
from pathlib import Path

import pandas as pd

from plgdata.io.columns import normalise_header
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


class NormTableError(ValueError):
    """The norm table cannot be used; the message (Dutch) lists every problem."""


def _to_float(s: pd.Series) -> pd.Series:
    txt = s.astype("string").str.strip().str.replace(r"\s", "", regex=True)
    # "1.234,5" -> "1234.5"; "14,2" -> "14.2"
    has_comma = txt.str.contains(",", regex=False).fillna(False)
    txt = txt.where(~has_comma, txt.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    return pd.to_numeric(txt, errors="coerce")


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_norm_table(path: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read a norm table (vak; schaal; moment; gemiddelde; sd).

    Parameters
    ----------
    path : str, Path or DataFrame
        CSV file (``;`` or ``,`` delimited, decimal comma allowed, UTF-8 or cp1252) or an
        already loaded DataFrame with those columns.

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
    if isinstance(path, pd.DataFrame):
        raw = path.copy()
        where = "de normtabel"
    else:
        p = Path(path)
        where = f"normtabel '{p.name}'"
        if not p.exists():
            raise NormTableError(f"De {where} bestaat niet (gezocht op {p}).")
        text = _read_text(p)
        first = next((ln for ln in text.splitlines() if ln.strip()), "")
        sep = ";" if first.count(";") >= first.count(",") else ","
        raw = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, skip_blank_lines=True, comment="#")
    rename = {}
    for c in raw.columns:
        key = normalise_header(c)
        if key in _HEADER_MAP:
            rename[c] = _HEADER_MAP[key]
    df = raw.rename(columns=rename)
    problems: list[str] = []
    missing = [c for c in NORM_COLUMNS if c not in df.columns]
    if missing:
        dutch = {"subject": "vak", "scale": "schaal", "moment": "moment", "mean": "gemiddelde", "sd": "sd"}
        problems.append(
            "kolommen ontbreken: "
            + ", ".join(dutch[c] for c in missing)
            + f" (gevonden: {', '.join(map(str, raw.columns))}; verwacht: vak;schaal;moment;gemiddelde;sd)"
        )
        raise NormTableError(f"De {where} is niet te gebruiken:\n- " + "\n- ".join(problems))
    df = df[list(NORM_COLUMNS)].copy()
    df = df[~df.isna().all(axis=1)]
    df["subject"] = df["subject"].map(normalise_subject)
    df["scale"] = df["scale"].astype("string").str.strip()
    df["moment"] = df["moment"].astype("string").str.strip().str.upper()
    df["mean"] = _to_float(df["mean"])
    df["sd"] = _to_float(df["sd"])
    rows = df.index.to_series() + 2  # 1-based file line (header is line 1)
    bad_moment = ~df["moment"].fillna("").str.match(r"^[BME][1-8]$")
    for r, m in zip(rows[bad_moment], df.loc[bad_moment, "moment"]):
        problems.append(f"regel {r}: moment '{m}' is geen toetsmoment zoals M6 of E6")
    for col, name in (("mean", "gemiddelde"), ("sd", "sd")):
        bad = df[col].isna()
        for r in rows[bad]:
            problems.append(f"regel {r}: {name} is geen getal")
    bad_sd = df["sd"].notna() & (df["sd"] <= 0)
    for r in rows[bad_sd]:
        problems.append(f"regel {r}: sd moet groter dan 0 zijn")
    bad_scale = df["scale"].isna() | (df["scale"] == "")
    for r in rows[bad_scale]:
        problems.append(f"regel {r}: schaal is leeg (bijvoorbeeld 'Cito 3.0')")
    dup = df.duplicated(["subject", "scale", "moment"], keep=False) & ~bad_moment
    if dup.any():
        for (s, sc, m), _ in df[dup].groupby(["subject", "scale", "moment"], observed=True):
            problems.append(f"{s} / {sc} / {m} staat meer dan één keer in de tabel")
    if problems:
        raise NormTableError(f"De {where} is niet te gebruiken:\n- " + "\n- ".join(problems))
    df["scale"] = df["scale"].astype(str)
    df["moment"] = df["moment"].astype(str)
    df["subject"] = df["subject"].astype(str)
    return df.reset_index(drop=True)
