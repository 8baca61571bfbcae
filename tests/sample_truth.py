"""Reference values read straight from the sample school's export files with pandas (never through
plgdata's readers), so tests compare plgdata's numbers with the committed data instead of quoting them."""

from __future__ import annotations

import pandas as pd
from identities import SAMPLE

LOW_LEVELS = ("IV", "V", "V-")


def cito(slug: str, year: str) -> pd.DataFrame:
    """The result rows of ``cito_<slug>_<year>.csv`` (title, blank line, header and summary rows left out)."""
    df = pd.read_csv(SAMPLE / f"cito_{slug}_{year}.csv", sep=";", encoding="cp1252", skiprows=2, dtype=str, keep_default_na=False)
    return df[~df["Leerlingnummer"].isin(["Groepsgemiddelde", "Aantal leerlingen"])]


def low_share(slug: str, year: str, groepen, period: str) -> tuple[int, float]:
    """(pupils with a niveau, share IV/V) of the groepen at their ``period`` test of ``year``."""
    df = cito(slug, year)
    df = df[df["Groep"].isin([str(g) for g in groepen]) & df["Toetsmoment"].str.startswith(period) & (df["Niveau"] != "")]
    df = df[df["Niveau"].str.strip() != ""]
    return len(df), float(df["Niveau"].isin(LOW_LEVELS).mean())


def iep_pupils(groep: int, period: str | None = None) -> int:
    """Pupils of ``groep`` in the IEP workbook (2023-2024), optionally at one period (M/E)."""
    iep = pd.read_excel(SAMPLE / "IEP_2023-2024.xlsx", sheet_name="Rekenen", header=2)
    rows = iep["Groep"] == groep
    if period is not None:
        rows &= iep["Toetsmoment"].str.startswith(period)
    return int(iep.loc[rows, "Leerlingnummer"].nunique())


def numbers_in(year: str, groep: int) -> set[str]:
    """Pupil numbers with any Cito result in ``groep`` in ``year`` (all subjects)."""
    out: set[str] = set()
    for path in SAMPLE.glob(f"cito_*_{year}.csv"):
        df = cito(path.stem.split("_")[1], year)
        out |= set(df.loc[(df["Groep"] == str(groep)) & (df["Leerlingnummer"] != ""), "Leerlingnummer"])
    return out


def iep_numbers(groep: int) -> set[str]:
    """Pupil numbers of ``groep`` in the IEP workbook (2023-2024)."""
    iep = pd.read_excel(SAMPLE / "IEP_2023-2024.xlsx", sheet_name="Rekenen", header=2)
    return set(iep.loc[iep["Groep"] == groep, "Leerlingnummer"].astype(str))
