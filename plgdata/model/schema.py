"""The canonical data model: the single truth about tables, columns and dtypes.

Everything downstream of the readers reads only these tables:

* ``scores``        one row per pupil x test taken (long format), with provenance;
* ``pupils``        one row per pupil pseudonym with the background the exports carry;
* ``interventions`` one row per intervention a leerteam carried out;
* ``participation`` one row per pupil x intervention.

Column names are English identifiers; :mod:`plgdata.model.labels` maps them to the Dutch
labels a teacher sees.  The pandera schemas below are declared once and used by the
readers (``validate``) and the tests.

The *scale* column is the comparability key: two scores may be subtracted, averaged
or compared only when ``subject`` and ``scale`` are equal (Cito 2.0 and 3.0 scales
differ wildly; IEP uses one ontwikkelscore scale; Boom its own).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

# ---------------------------------------------------------------------------
# Controlled vocabularies
# ---------------------------------------------------------------------------

#: canonical subject codes (values of ``scores.subject``)
SUBJECTS: tuple[str, ...] = (
    "rekenen-wiskunde",
    "begrijpend lezen",
    "spelling",
    "spelling werkwoorden",
    "leestekens",
    "technisch lezen",
    "woordenschat",
    "taalverzorging",
)

#: moment periods: begin, midden, eind
PERIODS: tuple[str, ...] = ("B", "M", "E")

#: Known scales.  A scale is vendor + version; with the subject it is the key for
#: comparability.  Readers may add other scale names (from a mapping file).
SCALES: tuple[str, ...] = (
    "Cito 3.0",
    "Cito 2.0",
    "Leerling in beeld",
    "IEP",
    "Boom",
    "DMT",
)

#: levels in their order from highest to lowest, per level system
LEVELS_I_V: tuple[str, ...] = ("I+", "I", "I-", "II", "III", "IV", "V+", "V", "V-")
LEVELS_I_V_PLAIN: tuple[str, ...] = ("I", "II", "III", "IV", "V")
LEVELS_A_E: tuple[str, ...] = ("A", "B", "C", "D", "E")
LEVELS_REF: tuple[str, ...] = ("2F", "1S", "1F", "op weg naar 1F", "onder 1F")
ALL_LEVELS: tuple[str, ...] = LEVELS_I_V + LEVELS_A_E + LEVELS_REF

SCHOOL_YEAR_RE = r"^\d{4}-\d{4}$"
MOMENT_RE = r"^[BME][1-8]$"
FUNC_LEVEL_RE = r"^[<>]?[BME][1-8]$"

# ---------------------------------------------------------------------------
# Column lists (order is the canonical order of each table)
# ---------------------------------------------------------------------------

SCORE_COLUMNS: tuple[str, ...] = (
    "pupil_id",  # pseudonym, never a name or pupil number
    "school",
    "school_year",  # "2024-2025"
    "groep",  # jaargroep 1-8 of the pupil at the time of the test
    "class_name",  # "6A", "5/6"
    "subject",  # one of SUBJECTS (or a mapped name)
    "test_name",  # as the export calls it
    "scale",  # comparability key with subject
    "moment",  # "M5": period + test level
    "period",  # "B" | "M" | "E"
    "test_level",  # the groep the test is meant for (5 in "M5")
    "date",  # afnamedatum
    "score",  # vaardigheidsscore / ontwikkelscore
    "level",  # I-V (+/-), A-E or referentieniveau
    "percentile",  # 0-100
    "func_level",  # functioneringsniveau "M5", ">M7", "<M3"
    "dle",  # didactische leeftijdsequivalent (months)
    "source_file",  # provenance: file name (no path)
    "source_row",  # provenance: 1-based row number in that file (sheet:row for Excel)
)

PUPIL_COLUMNS: tuple[str, ...] = (
    "pupil_id",
    "school",
    "gender",  # "J" (jongen) | "M" (meisje) | "X"
    "birth_year",
    "thuistaal",  # "Nederlands" | "anders" | free text
    "instroom",  # e.g. "groep 1", "zij-instromer"
    "id_basis",  # "leerlingnummer" | "naam+geboortedatum"
)

INTERVENTION_COLUMNS: tuple[str, ...] = (
    "intervention_id",
    "name",
    "description",
    "leerteam",
    "subject",
    "groepen",  # text such as "5,6"
    "start",
    "end",
    "minutes_per_week",
)

PARTICIPATION_COLUMNS: tuple[str, ...] = ("pupil_id", "intervention_id", "start", "end")

# ---------------------------------------------------------------------------
# dtypes: memory-sensible (categoricals for repeated text, Arrow-backed strings)
# ---------------------------------------------------------------------------

STRING = pd.StringDtype("pyarrow")

SCORE_DTYPES: dict[str, object] = {
    "pupil_id": "category",
    "school": "category",
    "school_year": "category",
    "groep": "Int8",
    "class_name": "category",
    "subject": "category",
    "test_name": "category",
    "scale": "category",
    "moment": "category",
    "period": "category",
    "test_level": "Int8",
    "date": "datetime64[ns]",
    "score": "float64",
    "level": "category",
    "percentile": "float64",
    "func_level": "category",
    "dle": "float64",
    "source_file": "category",
    "source_row": "int32",
}

PUPIL_DTYPES: dict[str, object] = {
    "pupil_id": STRING,
    "school": "category",
    "gender": "category",
    "birth_year": "Int16",
    "thuistaal": "category",
    "instroom": "category",
    "id_basis": "category",
}

INTERVENTION_DTYPES: dict[str, object] = {
    "intervention_id": STRING,
    "name": STRING,
    "description": STRING,
    "leerteam": STRING,
    "subject": "category",
    "groepen": STRING,
    "start": "datetime64[ns]",
    "end": "datetime64[ns]",
    "minutes_per_week": "Float64",
}

PARTICIPATION_DTYPES: dict[str, object] = {
    "pupil_id": STRING,
    "intervention_id": STRING,
    "start": "datetime64[ns]",
    "end": "datetime64[ns]",
}


def empty_table(columns: tuple[str, ...], dtypes: dict[str, object]) -> pd.DataFrame:
    """An empty DataFrame with the canonical columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in columns})


def coerce(df: pd.DataFrame, columns: tuple[str, ...], dtypes: dict[str, object]) -> pd.DataFrame:
    """Return ``df`` with exactly the canonical columns (missing ones filled with NA) and dtypes."""
    out = {}
    for c in columns:
        dt = dtypes[c]
        if c not in df.columns:
            s = pd.Series(index=df.index, dtype="object")
        else:
            s = df[c]
        if dt == "category":
            # categories are always text, also when every value is missing
            if not (isinstance(s.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(s.cat.categories)):
                s = s.astype("string").astype("category")
        elif str(dt).startswith("datetime64"):
            s = pd.to_datetime(s, errors="coerce").astype(dt)
        elif str(s.dtype) != str(dt):
            if str(dt).lower().startswith(("float", "int")) and not pd.api.types.is_numeric_dtype(s):
                s = pd.to_numeric(s, errors="coerce")
            s = s.astype(dt)
        out[c] = s
    return pd.DataFrame(out, index=df.index)


# ---------------------------------------------------------------------------
# pandera schemas
# ---------------------------------------------------------------------------

_PUPIL_ID_CHECK = pa.Check.str_matches(r"^L-[0-9a-f]{10}$", error="pseudoniem heeft niet de vorm L-xxxxxxxxxx")

SCORES_SCHEMA = pa.DataFrameSchema(
    {
        "pupil_id": pa.Column("category", _PUPIL_ID_CHECK, nullable=False),
        "school": pa.Column("category", nullable=True),
        "school_year": pa.Column("category", pa.Check.str_matches(SCHOOL_YEAR_RE), nullable=True),
        "groep": pa.Column("Int8", pa.Check.in_range(1, 8), nullable=True),
        "class_name": pa.Column("category", nullable=True),
        "subject": pa.Column("category", nullable=False),
        "test_name": pa.Column("category", nullable=True),
        "scale": pa.Column("category", nullable=False),
        "moment": pa.Column("category", pa.Check.str_matches(MOMENT_RE), nullable=True),
        "period": pa.Column("category", pa.Check.isin(PERIODS), nullable=True),
        "test_level": pa.Column("Int8", pa.Check.in_range(1, 8), nullable=True),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "score": pa.Column("float64", nullable=True),
        "level": pa.Column("category", nullable=True),
        "percentile": pa.Column("float64", pa.Check.in_range(0, 100), nullable=True),
        "func_level": pa.Column("category", pa.Check.str_matches(FUNC_LEVEL_RE), nullable=True),
        "dle": pa.Column("float64", pa.Check.in_range(0, 60), nullable=True),
        "source_file": pa.Column("category", nullable=False),
        "source_row": pa.Column("int32", pa.Check.ge(1), nullable=False),
    },
    checks=[
        pa.Check(
            lambda df: df["score"].notna() | df["level"].notna() | df["percentile"].notna(),
            error="een resultaat zonder score, niveau en percentiel",
        )
    ],
    strict=True,
    ordered=True,
    name="scores",
)

PUPILS_SCHEMA = pa.DataFrameSchema(
    {
        "pupil_id": pa.Column(STRING, _PUPIL_ID_CHECK, nullable=False, unique=True),
        "school": pa.Column("category", nullable=True),
        "gender": pa.Column("category", pa.Check.isin(["J", "M", "X"]), nullable=True),
        "birth_year": pa.Column("Int16", pa.Check.in_range(1990, 2030), nullable=True),
        "thuistaal": pa.Column("category", nullable=True),
        "instroom": pa.Column("category", nullable=True),
        "id_basis": pa.Column("category", pa.Check.isin(["leerlingnummer", "naam+geboortedatum"]), nullable=True),
    },
    strict=True,
    ordered=True,
    name="pupils",
)

INTERVENTIONS_SCHEMA = pa.DataFrameSchema(
    {
        "intervention_id": pa.Column(STRING, nullable=False, unique=True),
        "name": pa.Column(STRING, nullable=False),
        "description": pa.Column(STRING, nullable=True),
        "leerteam": pa.Column(STRING, nullable=True),
        "subject": pa.Column("category", nullable=True),
        "groepen": pa.Column(STRING, nullable=True),
        "start": pa.Column("datetime64[ns]", nullable=True),
        "end": pa.Column("datetime64[ns]", nullable=True),
        "minutes_per_week": pa.Column("Float64", pa.Check.ge(0), nullable=True),
    },
    checks=[pa.Check(lambda df: ~(df["end"] < df["start"]), error="einddatum ligt voor de startdatum")],
    strict=True,
    ordered=True,
    name="interventions",
)

PARTICIPATION_SCHEMA = pa.DataFrameSchema(
    {
        "pupil_id": pa.Column(STRING, _PUPIL_ID_CHECK, nullable=False),
        "intervention_id": pa.Column(STRING, nullable=False),
        "start": pa.Column("datetime64[ns]", nullable=True),
        "end": pa.Column("datetime64[ns]", nullable=True),
    },
    strict=True,
    ordered=True,
    name="participation",
)


def school_year_of(dates: pd.Series) -> pd.Series:
    """School year (1 Aug - 31 Jul) of each date, written ``2024-2025``."""
    d = pd.to_datetime(dates, errors="coerce")
    start = d.dt.year - (d.dt.month < 8).astype("Int64")
    out = start.astype("string") + "-" + (start + 1).astype("string")
    return out.where(d.notna())
