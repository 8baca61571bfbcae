"""Shared test helpers: small canonical tables built by hand."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from plgdata.model import schema

# never touch the user's real key file from a test
# (one per xdist worker, so two workers never create the same key file at once)
os.environ.setdefault(
    "PLGDATA_SLEUTEL",
    os.path.join(os.path.dirname(__file__), f".test-sleutel-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.key"),
)
# nor the user's working folders (pupil-level data of a reports folder lives outside it, see reporting.jobs.work_dir)
os.environ.setdefault(
    "PLGDATA_WERK", os.path.join(os.path.dirname(__file__), f".test-werk-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
)


def make_scores(rows: list[dict]) -> pd.DataFrame:
    """A canonical scores table from a few dicts (missing columns become NA)."""
    df = pd.DataFrame(rows)
    if "moment" in df and "period" not in df:
        df["period"] = df["moment"].str[0]
        df["test_level"] = df["moment"].str[1:].astype("Int8")
    default_rows = pd.Series(range(2, len(df) + 2), index=df.index)
    df["source_file"] = df["source_file"].fillna("test.csv") if "source_file" in df else "test.csv"
    df["source_row"] = df["source_row"].fillna(default_rows) if "source_row" in df else default_rows
    if "date" in df:
        df["date"] = pd.to_datetime(df["date"], dayfirst=True)
    out = schema.coerce(df, schema.SCORE_COLUMNS, schema.SCORE_DTYPES)
    schema.SCORES_SCHEMA.validate(out)
    return out


@pytest.fixture
def scores_factory():
    return make_scores
