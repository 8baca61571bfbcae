"""Dropdown options filled from the loaded data: subjects, school years, groepen, interventions."""

from __future__ import annotations

from plgdata.cycle import HYPOTHESIS_KINDS, QUALITY_DECISIONS, VERDICTS
from plgdata.model.labels import PERIOD_LABELS, SUBJECT_LABELS

PERIODS = [(f"{p} ({PERIOD_LABELS[p]})", p) for p in ("B", "M", "E")]
DIRECTIONS_GOAL = [("hoogstens (het getal moet omlaag)", "hoogstens"), ("minstens (het getal moet omhoog)", "minstens")]
KINDS = [(k, k) for k in HYPOTHESIS_KINDS]
DECISIONS = [(d, d) for d in QUALITY_DECISIONS]
VERDICT_CHOICES = [(v, v) for v in VERDICTS]
LEVELS = [(lv, lv) for lv in ("I", "II", "III", "IV", "V")]


def subjects(ds) -> list[tuple[str, str]]:
    found = sorted(ds.scores["subject"].dropna().astype(str).unique())
    return [(SUBJECT_LABELS.get(s, s), s) for s in found]


def school_years(ds) -> list[tuple[str, str]]:
    return [(y, y) for y in sorted(ds.scores["school_year"].dropna().astype(str).unique())]


def groepen(ds) -> list[tuple[str, int]]:
    return [(f"groep {int(g)}", int(g)) for g in sorted(ds.scores["groep"].dropna().unique())]


def interventions(ds) -> list[tuple[str, str]]:
    iv = ds.interventions
    if iv is None or not len(iv):
        return []
    return [(f"{r.intervention_id} — {r.name}", str(r.intervention_id)) for r in iv.itertuples()]


def characteristics(ds) -> list[tuple[str, str]]:
    """Pupil characteristics a hypothesis can group on; ``laag op <vak>`` = niveau IV/V in that subject."""
    out = [("geslacht", "geslacht"), ("thuistaal (Nederlands of anders)", "thuistaal")]
    if "instroom" in ds.pupils and ds.pupils["instroom"].notna().any():
        out.append(("instroom", "instroom"))
    out += [(f"niveau IV/V op {label.lower()}", f"laag op {code}") for label, code in subjects(ds)]
    return out


def group_values(ds, kenmerk) -> list[tuple[str, str]]:
    """The two (or more) groups a characteristic splits pupils into."""
    k = str(kenmerk or "")
    if k == "geslacht":
        names = {"J": "jongens", "M": "meisjes", "X": "geslacht X"}
        found = sorted(ds.pupils["gender"].dropna().astype(str).unique())
        return [(names.get(g, g), g) for g in found]
    if k == "thuistaal":
        return [("andere thuistaal", "anders"), ("Nederlands", "Nederlands")]
    if k == "instroom":
        return [(v, v) for v in sorted(ds.pupils["instroom"].dropna().astype(str).unique())]
    if k.startswith("laag op "):
        return [(f"wel niveau IV/V op {k[8:]}", "ja"), ("de andere leerlingen", "nee")]
    return []
