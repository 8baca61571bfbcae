"""One vocabulary: subjects, aliases, periods, scales and level systems live in
plgdata/model/vocabulary.py and every reader answers alike."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from plgdata.io.dialects import iep
from plgdata.io.interventions import normalise_intervention_subject
from plgdata.io.norms import normalise_subject as norms_normalise_subject
from plgdata.io.scores.layout import wide_header
from plgdata.model import labels, schema, vocabulary
from plgdata.model.vocabulary import PERIODS, SUBJECTS, normalise_subject, subject_of

PACKAGE = Path(__file__).resolve().parent.parent / "plgdata"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BL", "begrijpend lezen"),
        ("Rekenen", "rekenen-wiskunde"),
        ("RW", "rekenen-wiskunde"),
        ("Lezen", "begrijpend lezen"),
        ("DMT", "technisch lezen"),
        ("Spelling werkwoorden", "spelling werkwoorden"),
    ],
)
def test_every_reader_maps_an_alias_to_the_same_subject(text, code):
    assert normalise_subject(text) == code
    assert norms_normalise_subject(text) == code
    assert normalise_intervention_subject(text) == code
    assert subject_of(text) == code
    assert iep.DIALECT.sheet_subject(text) == code


def test_wide_overview_abbreviations_come_from_the_vocabulary():
    assert wide_header("BL M6 VS") == ("begrijpend lezen", "M6", "score")
    assert set(vocabulary.WIDE_ABBREVIATIONS.values()) <= set(SUBJECTS)


def test_schema_and_labels_use_the_vocabulary_objects():
    assert schema.SUBJECTS is vocabulary.SUBJECTS and schema.PERIODS is vocabulary.PERIODS
    assert labels.SUBJECT_LABELS is vocabulary.SUBJECT_LABELS and labels.PERIOD_LABELS is vocabulary.PERIOD_LABELS
    assert schema.SCORES_SCHEMA.columns["period"].checks[0].statistics["allowed_values"] == list(PERIODS)


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in SUBJECTS]
    found += [
        (n.lineno, "B/M/E")
        for n in ast.walk(tree)
        if isinstance(n, (ast.Tuple, ast.List)) and [getattr(e, "value", None) for e in n.elts] == list(PERIODS)
    ]
    return found


def test_no_subject_or_period_list_outside_the_vocabulary_in_model_and_io():
    offenders = {
        str(p.relative_to(PACKAGE)): _literals(p)
        for layer in ("model", "io")
        for p in sorted((PACKAGE / layer).rglob("*.py"))
        if p.name != "vocabulary.py" and _literals(p)
    }
    assert offenders == {}
