"""The canonical data model: the single truth about tables, columns and dtypes.

Everything downstream of the readers reads only these tables:

* ``scores``        one row per pupil x test taken (long format), with provenance;
* ``pupils``        one row per pupil pseudonym with the background the exports carry;
* ``interventions`` one row per intervention a leerteam carried out;
* ``participation`` one row per pupil x intervention.

Column names are English identifiers; :mod:`plgdata.model.labels` maps them to the Dutch
labels a teacher sees.  Each table is declared once, as a pandera ``DataFrameModel``
(dtype, checks, nullability, Dutch label as the field's title); the schemas, column tuples
and dtype dicts are derived from it.

The *scale* column is the comparability key: two scores may be subtracted, averaged
or compared only when ``subject`` and ``scale`` are equal (Cito 2.0 and 3.0 scales
differ wildly; IEP uses one ontwikkelscore scale; Boom its own).
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import dtypes
from pandera.engines import pandas_engine
from pandera.typing import Series

from plgdata.model.labels import _TABLE_LABELS
from plgdata.model.vocabulary import ALL_LEVELS, LEVELS_A_E, LEVELS_I_V, LEVELS_I_V_PLAIN, LEVELS_REF, PERIODS, SCALES, SUBJECTS  # noqa: F401 (re-exported: the vocabulary's one home is vocabulary.py)

SCHOOL_YEAR_RE = r"^\d{4}-\d{4}$"
MOMENT_RE = r"^[BME][1-8]$"
FUNC_LEVEL_RE = r"^[<>]?[BME][1-8]$"
PUPIL_ID_RE = r"^L-[0-9a-f]{10}$"

#: memory-sensible dtypes: categoricals for repeated text, Arrow-backed strings for unique text
STRING = pd.StringDtype("pyarrow")


@pandas_engine.Engine.register_dtype
@dtypes.immutable
class ArrowString(pandas_engine.DataType, dtypes.String):
    """``string[pyarrow]`` with ``pd.NA`` for missing values (pandera's own string type uses NaN)."""

    type = STRING

    def check(self, pandera_dtype, data_container=None) -> bool:
        if data_container is not None:
            return data_container.dtype == STRING
        return isinstance(pandera_dtype, ArrowString)

    def __str__(self) -> str:
        return "string[pyarrow]"


Category = pd.CategoricalDtype
Int8 = pd.Int8Dtype
DateTime = pa.typing.DateTime


def _field(name: str, *, nullable: bool = True, **checks) -> object:
    """A pandera field titled with the column's Dutch label."""
    return pa.Field(nullable=nullable, title=_TABLE_LABELS[name], **checks)


_PUPIL_ID = {"str_matches": PUPIL_ID_RE}

# ---------------------------------------------------------------------------
# The canonical tables, declared once.  Order of the fields is the column order.
# ---------------------------------------------------------------------------


class Scores(pa.DataFrameModel):
    """One row per pupil x test taken (long format), with provenance."""

    pupil_id: Series[Category] = _field("pupil_id", nullable=False, **_PUPIL_ID)  # pseudonym, never a name or number
    school: Series[Category] = _field("school")
    school_year: Series[Category] = _field("school_year", str_matches=SCHOOL_YEAR_RE)  # "2024-2025"
    groep: Series[Int8] = _field("groep", in_range={"min_value": 1, "max_value": 8})  # jaargroep at the test
    class_name: Series[Category] = _field("class_name")  # "6A", "5/6"
    subject: Series[Category] = _field("subject", nullable=False)  # one of SUBJECTS (or a mapped name)
    test_name: Series[Category] = _field("test_name")  # as the export calls it
    scale: Series[Category] = _field("scale", nullable=False)  # comparability key with subject
    moment: Series[Category] = _field("moment", str_matches=MOMENT_RE)  # "M5": period + test level
    period: Series[Category] = _field("period", isin=list(PERIODS))
    test_level: Series[Int8] = _field("test_level", in_range={"min_value": 1, "max_value": 8})
    date: Series[DateTime] = _field("date")  # afnamedatum
    score: Series[float] = _field("score")  # vaardigheidsscore / ontwikkelscore
    level: Series[Category] = _field("level")  # I-V (+/-), A-E or referentieniveau
    percentile: Series[float] = _field("percentile", in_range={"min_value": 0, "max_value": 100})
    func_level: Series[Category] = _field("func_level", str_matches=FUNC_LEVEL_RE)  # "M5", ">M7", "<M3"
    dle: Series[float] = _field("dle", in_range={"min_value": 0, "max_value": 60})  # months
    source_file: Series[Category] = _field("source_file", nullable=False)  # file name (no path)
    source_row: Series[np.int32] = _field("source_row", nullable=False, ge=1)  # 1-based row (sheet:row)

    @pa.dataframe_check(error="een resultaat zonder score, niveau en percentiel")
    def has_result(cls, df: pd.DataFrame) -> pd.Series:
        return df["score"].notna() | df["level"].notna() | df["percentile"].notna()

    class Config:
        coerce = True
        strict = True
        ordered = True
        name = "scores"


class Pupils(pa.DataFrameModel):
    """One row per pupil pseudonym with the background the exports carry."""

    pupil_id: Series[ArrowString] = _field("pupil_id", nullable=False, unique=True, **_PUPIL_ID)
    school: Series[Category] = _field("school")
    gender: Series[Category] = _field("gender", isin=["J", "M", "X"])  # jongen | meisje | X
    birth_year: Series[pd.Int16Dtype] = _field("birth_year", in_range={"min_value": 1990, "max_value": 2030})
    thuistaal: Series[Category] = _field("thuistaal")  # "Nederlands" | "anders" | free text
    instroom: Series[Category] = _field("instroom")  # e.g. "groep 1", "zij-instromer"
    id_basis: Series[Category] = _field("id_basis", isin=["leerlingnummer", "naam+geboortedatum"])

    class Config:
        coerce = True
        strict = True
        ordered = True
        name = "pupils"


class Interventions(pa.DataFrameModel):
    """One row per intervention a leerteam carried out."""

    intervention_id: Series[ArrowString] = _field("intervention_id", nullable=False, unique=True)
    name: Series[ArrowString] = _field("name", nullable=False)
    description: Series[ArrowString] = _field("description")
    leerteam: Series[ArrowString] = _field("leerteam")
    subject: Series[Category] = _field("subject")
    groepen: Series[ArrowString] = _field("groepen")  # text such as "5,6"
    start: Series[DateTime] = _field("start")
    end: Series[DateTime] = _field("end")
    minutes_per_week: Series[pd.Float64Dtype] = _field("minutes_per_week", ge=0)

    @pa.dataframe_check(error="einddatum ligt voor de startdatum")
    def end_after_start(cls, df: pd.DataFrame) -> pd.Series:
        return ~(df["end"] < df["start"])

    class Config:
        coerce = True
        strict = True
        ordered = True
        name = "interventions"


class Participation(pa.DataFrameModel):
    """One row per pupil x intervention."""

    pupil_id: Series[ArrowString] = _field("pupil_id", nullable=False, **_PUPIL_ID)
    intervention_id: Series[ArrowString] = _field("intervention_id", nullable=False)
    start: Series[DateTime] = _field("start")
    end: Series[DateTime] = _field("end")

    class Config:
        coerce = True
        strict = True
        ordered = True
        name = "participation"


# ---------------------------------------------------------------------------
# Derived from the models above: schemas, column tuples, dtype dicts
# ---------------------------------------------------------------------------

SCORES_SCHEMA = Scores.to_schema()
PUPILS_SCHEMA = Pupils.to_schema()
INTERVENTIONS_SCHEMA = Interventions.to_schema()
PARTICIPATION_SCHEMA = Participation.to_schema()


def _is_categorical(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.CategoricalDtype)


def _exact(s: pa.DataFrameSchema) -> pa.DataFrameSchema:
    """``s`` without coercion: for a table built in the canonical dtypes (the reader's own), where
    coercing converts nothing but costs a quarter of the validation.  Every check and the dtype of
    every column are still checked: a wrong dtype is an error here, never silently converted.

    A categorical column (any categories) is checked with ``isinstance``: pandera's own check
    builds a new categorical dtype from the column's categories first (for 30,000 pseudonyms a
    third of the validation of a large table), to find that any categories will do.
    """
    out = copy.deepcopy(s)
    out.coerce = False
    for name, col in out.columns.items():
        if isinstance(col.dtype, pandas_engine.Category) and col.dtype.categories is None:
            check = pa.Check(_is_categorical, element_wise=False, error="geen categorische kolom")
            out.columns[name] = col.set_checks([check, *col.checks])
            out.columns[name].dtype = None
    return out


#: :data:`SCORES_SCHEMA` and :data:`PUPILS_SCHEMA` without coercion (see :func:`_exact`)
SCORES_EXACT, PUPILS_EXACT = _exact(SCORES_SCHEMA), _exact(PUPILS_SCHEMA)


def _columns(s: pa.DataFrameSchema) -> tuple[str, ...]:
    return tuple(s.columns)


def _dtypes(s: pa.DataFrameSchema) -> dict[str, object]:
    return {name: col.dtype.type for name, col in s.columns.items()}


SCORE_COLUMNS, SCORE_DTYPES = _columns(SCORES_SCHEMA), _dtypes(SCORES_SCHEMA)
PUPIL_COLUMNS, PUPIL_DTYPES = _columns(PUPILS_SCHEMA), _dtypes(PUPILS_SCHEMA)
INTERVENTION_COLUMNS, INTERVENTION_DTYPES = _columns(INTERVENTIONS_SCHEMA), _dtypes(INTERVENTIONS_SCHEMA)
PARTICIPATION_COLUMNS, PARTICIPATION_DTYPES = _columns(PARTICIPATION_SCHEMA), _dtypes(PARTICIPATION_SCHEMA)


def empty_table(columns: tuple[str, ...], dtypes: dict[str, object]) -> pd.DataFrame:
    """An empty DataFrame with the canonical columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in columns})


def _coerce_column(s: pd.Series, dt: object) -> pd.Series:
    """One column to its canonical dtype; unreadable values become missing (never an error)."""
    if str(dt) == "category":
        # categories are always text, also when every value is missing
        if not (isinstance(s.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(s.cat.categories)):
            s = s.astype("string").astype("category")
        return s
    if str(dt).startswith("datetime64"):
        return pd.to_datetime(s, errors="coerce").astype(dt)
    if str(s.dtype) != str(dt):
        if str(dt).lower().startswith(("float", "int")) and not pd.api.types.is_numeric_dtype(s):
            s = pd.to_numeric(s, errors="coerce")
        s = s.astype(dt)
    return s


def coerce(df: pd.DataFrame, columns: tuple[str, ...], dtypes: dict[str, object]) -> pd.DataFrame:
    """``df`` with exactly the canonical columns (missing ones filled with NA) and dtypes.

    Lenient where the schemas' own coercion is strict: a value that cannot be read becomes
    missing.  ``columns`` and ``dtypes`` are the ones derived from a model above.
    """
    out = {}
    for c in columns:
        s = df[c] if c in df.columns else pd.Series(index=df.index, dtype="object")
        out[c] = _coerce_column(s, dtypes[c])
    return pd.DataFrame(out, index=df.index)


def school_year_of(dates: pd.Series) -> pd.Series:
    """School year (1 Aug - 31 Jul) of each date, written ``2024-2025``."""
    d = pd.to_datetime(dates, errors="coerce")
    start = d.dt.year - (d.dt.month < 8).astype("Int64")
    out = start.astype("string") + "-" + (start + 1).astype("string")
    return out.where(d.notna())
