"""The container every analysis reads: the four canonical tables plus the load report."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import schema
from .loadreport import LoadReport


@dataclass
class Dataset:
    """Canonical tables of one school (or bestuur) as read from its exports."""

    scores: pd.DataFrame = field(default_factory=lambda: schema.empty_table(schema.SCORE_COLUMNS, schema.SCORE_DTYPES))
    pupils: pd.DataFrame = field(default_factory=lambda: schema.empty_table(schema.PUPIL_COLUMNS, schema.PUPIL_DTYPES))
    interventions: pd.DataFrame = field(
        default_factory=lambda: schema.empty_table(schema.INTERVENTION_COLUMNS, schema.INTERVENTION_DTYPES)
    )
    participation: pd.DataFrame = field(
        default_factory=lambda: schema.empty_table(schema.PARTICIPATION_COLUMNS, schema.PARTICIPATION_DTYPES)
    )
    report: LoadReport = field(default_factory=LoadReport)

    def validate(self) -> "Dataset":
        """Validate every table against its pandera schema (raises on violation)."""
        schema.SCORES_SCHEMA.validate(self.scores)
        schema.PUPILS_SCHEMA.validate(self.pupils)
        schema.INTERVENTIONS_SCHEMA.validate(self.interventions)
        schema.PARTICIPATION_SCHEMA.validate(self.participation)
        return self
