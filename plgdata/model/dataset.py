"""The container every analysis reads: the four canonical tables plus the load report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from plgdata.model import schema
from plgdata.model.loadreport import LoadReport, report_from_dict

#: file beside the saved tables naming the key they were made with
FINGERPRINT_FILE = "sleutel-vingerafdruk.txt"

_TABLES = {
    "scores": (schema.SCORE_COLUMNS, schema.SCORE_DTYPES),
    "pupils": (schema.PUPIL_COLUMNS, schema.PUPIL_DTYPES),
    "interventions": (schema.INTERVENTION_COLUMNS, schema.INTERVENTION_DTYPES),
    "participation": (schema.PARTICIPATION_COLUMNS, schema.PARTICIPATION_DTYPES),
}


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
    #: :func:`plgdata.pseudonyms.key_fingerprint` of the key the pseudonyms were made with (None: unknown)
    key_fingerprint: str | None = None
    #: True when reading made a new key file (the pseudonyms differ from any earlier work)
    key_created: bool = False
    #: doorstroomtoets referentieniveaus (plgdata.io.doorstroom: pupil_id, school_year, subject, level, exempt,
    #: source); None when no doorstroomtoets list was read
    doorstroom: pd.DataFrame | None = None

    def validate(self) -> Dataset:
        """Validate every table against its pandera schema (raises on violation)."""
        schema.SCORES_SCHEMA.validate(self.scores)
        schema.PUPILS_SCHEMA.validate(self.pupils)
        schema.INTERVENTIONS_SCHEMA.validate(self.interventions)
        schema.PARTICIPATION_SCHEMA.validate(self.participation)
        return self

    def save(self, directory: str | Path) -> Path:
        """Keep the canonical tables (pseudonyms only) as Parquet, so a notebook or report
        reads them without parsing the exports again.  The key's fingerprint goes beside them;
        :func:`plgdata.io.pseudonyms.check_same_key` refuses to mix two keys in one folder."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        if self.key_fingerprint:
            (d / FINGERPRINT_FILE).write_text(self.key_fingerprint + "\n", encoding="utf-8")
        for name in _TABLES:
            getattr(self, name).to_parquet(d / f"{name}.parquet", index=False)
        if self.doorstroom is not None:
            self.doorstroom.to_parquet(d / "doorstroom.parquet", index=False)
        else:
            (d / "doorstroom.parquet").unlink(missing_ok=True)  # never a stale list from an earlier run
        (d / "inleesverslag.json").write_text(json.dumps(self.report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        return d

    @classmethod
    def open(cls, directory: str | Path) -> Dataset:
        """The tables kept by :meth:`save`, with canonical dtypes and the key's fingerprint kept beside them."""
        d = Path(directory)
        tables = {}
        for name, (cols, dtypes) in _TABLES.items():
            tables[name] = schema.coerce(pd.read_parquet(d / f"{name}.parquet"), cols, dtypes)
        report = report_from_dict(json.loads((d / "inleesverslag.json").read_text(encoding="utf-8")))
        extra, kept = d / "doorstroom.parquet", d / FINGERPRINT_FILE
        fingerprint = kept.read_text(encoding="utf-8").strip() if kept.is_file() else None
        return cls(
            report=report, doorstroom=pd.read_parquet(extra) if extra.exists() else None, key_fingerprint=fingerprint, **tables
        )
