"""The dataclasses of a cycle record and their mapping to the Dutch YAML keys.

English attribute names on the Python side; the Dutch keys of the file are listed
next to each attribute (see the package docstring for a full file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plgdata.cycle import methods as m
from plgdata.cycle.fields import Fields
from plgdata.cycle.plain import to_plain

FORMAT_VERSION = 1


@dataclass
class StepState:
    """Status of one step: ``status`` (open / bezig / klaar / terug), ``changed`` (gewijzigd)."""

    status: str = m.STATUS_OPEN
    changed: str | None = None


@dataclass
class Problem:
    """Step 1: the problem in numbers and a measurable goal with a deadline."""

    statement: str | None = None  # stelling
    metric: str | None = None  # maat
    current_value: Any = None  # huidige_waarde (computed from the data)
    basis: str | None = None  # berekend_uit: which data / which moment
    goal_value: Any = None  # doelwaarde
    direction: str | None = None  # doel_is: "hoogstens" | "minstens"
    deadline: str | None = None  # deadline, "JJJJ-MM-DD"
    question: str | None = None  # onderzoeksvraag
    #: berekening: which data the metric is computed from (vak, periode, schooljaar, groepen),
    #: so a form can show the team's choice again and step 8 measures the same thing
    metric_params: dict = field(default_factory=dict)

    KEYS = (
        ("statement", "stelling"),
        ("metric", "maat"),
        ("current_value", "huidige_waarde"),
        ("basis", "berekend_uit"),
        ("goal_value", "doelwaarde"),
        ("direction", "doel_is"),
        ("deadline", "deadline"),
        ("question", "onderzoeksvraag"),
    )

    def to_dict(self) -> dict:
        return {**{nl: getattr(self, en) for en, nl in self.KEYS}, "berekening": dict(self.metric_params)}

    @classmethod
    def read(cls, f: Fields) -> Problem:
        p = cls()
        for en, nl in cls.KEYS:
            setattr(p, en, f.value(nl) if en in ("current_value", "goal_value") else f.text(nl))
        p.metric_params = to_plain(f.mapping("berekening"))
        return p


@dataclass
class Hypothesis:
    """Step 2: one possible cause, stated measurably, with its data, test and decision rule."""

    id: str
    kind: str | None = None  # soort: verkennend | verklarend
    statement: str | None = None  # stelling
    data: Any = None  # data: which data will test it (text or list)
    test_kind: str | None = None  # analyse.soort
    test_params: dict = field(default_factory=dict)  # analyse.parameters
    decision_rule: str | None = None  # beslisregel
    revises: str | None = None  # herziet: id of the rejected hypothesis this one revises
    added: str | None = None  # toegevoegd

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "soort": self.kind,
            "stelling": self.statement,
            "data": self.data,
            "analyse": {"soort": self.test_kind, "parameters": dict(self.test_params)},
            "beslisregel": self.decision_rule,
            "herziet": self.revises,
            "toegevoegd": self.added,
        }

    @classmethod
    def read(cls, f: Fields) -> Hypothesis:
        h = cls(id=f.text("id") or "")
        h.kind = f.text("soort")
        h.statement = f.text("stelling")
        h.data = f.value("data")
        test = Fields(f.raw("analyse"), f"{f.where}, veld 'analyse'", f._unknown, f._step, f"hypothese {h.id}")
        h.test_kind = test.text("soort")
        h.test_params = to_plain(test.mapping("parameters"))
        test.done()
        h.decision_rule = f.text("beslisregel")
        h.revises = f.text("herziet")
        h.added = f.text("toegevoegd")
        return h


@dataclass
class DataSources:
    """Step 3: which files and which school years, with their load reports."""

    files: list = field(default_factory=list)  # bestanden
    years: list = field(default_factory=list)  # jaren
    load_report: Any = None  # laadrapport (LoadReport.to_dict())


@dataclass
class Quality:
    """Step 4: the quality findings and the team's decision (doorgaan / terug naar stap 3)."""

    findings: list = field(default_factory=list)  # bevindingen (records)
    decision: str | None = None  # besluit
    note: str | None = None  # toelichting


@dataclass
class Verdict:
    """Step 6: the verdict on one hypothesis and the team's interpretation."""

    verdict: str | None = None  # oordeel: bevestigd | verworpen | onbeslist
    interpretation: str | None = None  # interpretatie
    date: str | None = None  # datum


@dataclass
class Measure:
    """Step 7 (phase 3): a measure, linked to an intervention in the interventions table."""

    id: str
    description: str | None = None  # omschrijving
    intervention_id: str | None = None  # interventie
    hypothesis_id: str | None = None  # hypothese (the confirmed cause it answers)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "omschrijving": self.description,
            "interventie": self.intervention_id,
            "hypothese": self.hypothesis_id,
        }


@dataclass
class Deepening:
    """Actieonderzoek phase 2: what the team read and learned, and why this intervention."""

    sources: list = field(default_factory=list)  # bronnen
    insights: str | None = None  # inzichten
    choice: str | None = None  # keuze


@dataclass
class Evaluation:
    """Step 8 (phase 4): comparison results, whether the goal was met, the next cycle."""

    comparisons: list = field(default_factory=list)  # vergelijkingen
    achieved_value: Any = None  # behaalde_waarde
    goal_met: Any = None  # doel_gehaald (ja/nee)
    note: str | None = None  # toelichting
    next_cycle: str | None = None  # volgende_cyclus


@dataclass
class Loop:
    """The team went back: from a step to an earlier step, with the reason."""

    from_step: int
    to_step: int
    reason: str | None = None
    date: str | None = None

    def to_dict(self) -> dict:
        return {"van_stap": self.from_step, "naar_stap": self.to_step, "reden": self.reason, "datum": self.date}


@dataclass
class HistoryEntry:
    """One line of the record's history: when, which step, what happened (Dutch)."""

    date: str | None
    step: int | None
    event: str

    def to_dict(self) -> dict:
        return {"datum": self.date, "stap": self.step, "gebeurtenis": self.event}
