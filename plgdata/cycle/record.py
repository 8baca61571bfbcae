"""The :class:`Cycle` record and its round trip to the Dutch YAML mapping."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plgdata.cycle import methods as m
from plgdata.cycle.errors import CycleError
from plgdata.cycle.fields import Fields
from plgdata.cycle.lessonstudy import LessonStudy
from plgdata.cycle.model import (
    FORMAT_VERSION,
    DataSources,
    Deepening,
    Evaluation,
    HistoryEntry,
    Hypothesis,
    Loop,
    Measure,
    Problem,
    Quality,
    StepState,
    Verdict,
)
from plgdata.cycle.plain import to_plain
from plgdata.cycle.yearplan import YearPlan


@dataclass
class Cycle:
    """One cycle of a leerteam: the record behind the notebooks.

    Build one with :func:`plgdata.cycle.new_cycle`, change it with the step operations
    (``set_problem``, ``add_hypothesis`` ...), store it with ``save_cycle``.
    ``to_dict``/``from_dict`` map it to the Dutch YAML layout of the package docstring.
    """

    method: str = "datateam"  # methode
    title: str | None = None  # titel
    leerteam: str | None = None  # leerteam
    school: str | None = None  # school
    school_year: str | None = None  # schooljaar
    created: str | None = None  # aangemaakt
    changed: str | None = None  # gewijzigd
    previous_cycle: str | None = None  # vorige_cyclus
    steps: dict[int, StepState] = field(default_factory=dict)  # stappen.<n>_<naam>.status/gewijzigd
    problem: Problem = field(default_factory=Problem)
    hypotheses: list[Hypothesis] = field(default_factory=list)
    data_sources: DataSources = field(default_factory=DataSources)
    quality: Quality = field(default_factory=Quality)
    analyses: dict[str, Any] = field(default_factory=dict)  # result per hypothesis id
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # verdict per hypothesis id
    measures: list[Measure] = field(default_factory=list)
    deepening: Deepening = field(default_factory=Deepening)
    evaluation: Evaluation = field(default_factory=Evaluation)
    loops: list[Loop] = field(default_factory=list)  # lussen
    history: list[HistoryEntry] = field(default_factory=list)  # geschiedenis
    lesson_study: LessonStudy = field(default_factory=LessonStudy)  # Lesson Study fases (methode lessonstudy)
    year_plan: YearPlan = field(default_factory=YearPlan)  # jaarplan onderdelen (methode jaarplan)
    #: (step, item, field) of keys in the file the record does not know (not saved)
    unknown_fields: list = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self):
        if self.method in m.METHODS:
            for s in self.method_def.steps:
                self.steps.setdefault(s.number, StepState())

    # -- method helpers -----------------------------------------------------
    @property
    def method_def(self) -> m.MethodDef:
        try:
            return m.METHODS[self.method]
        except KeyError:
            raise CycleError(f"Methode '{self.method}' is onbekend; kies {m.dutch_list(m.METHODS)}.") from None

    def label(self, step: int) -> str:
        """``"Stap 2 (Hypothesen)"`` (or ``"Fase 2 (...)"`` for actieonderzoek)."""
        return self.method_def.label(step)

    def hypothesis(self, hypothesis_id: str) -> Hypothesis | None:
        for h in self.hypotheses:
            if h.id == hypothesis_id:
                return h
        return None

    # -- to the file ----------------------------------------------------------
    def _section_dict(self, section: str) -> dict:
        if section in m.PART_OF:
            return getattr(self, m.PART_OF[section]).section_dict(section)
        if section == m.PROBLEM:
            return self.problem.to_dict()
        if section == m.HYPOTHESES:
            return {"hypothesen": [h.to_dict() for h in self.hypotheses]}
        if section == m.DATA:
            d = self.data_sources
            return {"bestanden": list(d.files), "jaren": list(d.years), "laadrapport": d.load_report}
        if section == m.QUALITY:
            q = self.quality
            return {"bevindingen": list(q.findings), "besluit": q.decision, "toelichting": q.note}
        if section == m.ANALYSIS:
            return {"resultaten": dict(self.analyses)}
        if section == m.VERDICTS_SECTION:
            return {
                "oordelen": {
                    k: {"oordeel": v.verdict, "interpretatie": v.interpretation, "datum": v.date}
                    for k, v in self.verdicts.items()
                }
            }
        if section == m.MEASURES:
            return {"maatregelen": [x.to_dict() for x in self.measures]}
        if section == m.DEEPENING:
            d = self.deepening
            return {"bronnen": list(d.sources), "inzichten": d.insights, "keuze": d.choice}
        if section == m.EVALUATION:
            e = self.evaluation
            return {
                "vergelijkingen": list(e.comparisons),
                "behaalde_waarde": e.achieved_value,
                "doel_gehaald": e.goal_met,
                "toelichting": e.note,
                "volgende_cyclus": e.next_cycle,
            }
        raise KeyError(section)

    def to_dict(self) -> dict:
        """The Dutch mapping written to the YAML file (plain values only)."""
        steps = {}
        for s in self.method_def.steps:
            state = self.steps.get(s.number, StepState())
            steps[s.key] = {"status": state.status, "gewijzigd": state.changed, **self._section_dict(s.section)}
        out = {
            "methode": self.method,
            "versie": FORMAT_VERSION,
            "titel": self.title,
            "leerteam": self.leerteam,
            "school": self.school,
            "schooljaar": self.school_year,
            "aangemaakt": self.created,
            "gewijzigd": self.changed,
            "vorige_cyclus": self.previous_cycle,
            "stappen": steps,
            "lussen": [lp.to_dict() for lp in self.loops],
            "geschiedenis": [h.to_dict() for h in self.history],
        }
        return to_plain(out)

    # -- from the file ----------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict) -> Cycle:
        """Build a record from the Dutch mapping; a shape that cannot be read raises :class:`CycleError`."""
        unknown: list = []
        top = Fields(data, "Het cyclusbestand", unknown)
        method = top.text("methode")
        if method is None:
            raise CycleError(
                "Het cyclusbestand zegt niet welke methode het volgt: zet bovenaan "
                "'methode: datateam' of 'methode: actieonderzoek'."
            )
        if method not in m.METHODS:
            raise CycleError(f"Het cyclusbestand, veld 'methode': '{method}' is onbekend; kies {m.dutch_list(m.METHODS)}.")
        c = cls(method=method)
        top.raw("versie")
        c.title = top.text("titel")
        c.leerteam = top.text("leerteam")
        c.school = top.text("school")
        c.school_year = top.text("schooljaar")
        c.created = top.text("aangemaakt")
        c.changed = top.text("gewijzigd")
        c.previous_cycle = top.text("vorige_cyclus")
        steps = top.mapping("stappen")
        known = {s.key for s in c.method_def.steps}
        for s in c.method_def.steps:
            where = c.label(s.number)
            f = Fields(steps.get(s.key), where, unknown, s.number)
            c.steps[s.number] = StepState(status=f.text("status") or m.STATUS_OPEN, changed=f.text("gewijzigd"))
            c._read_section(s, f, unknown)
            f.done()
        for key in steps:
            if key not in known:
                unknown.append((None, "stappen", str(key)))
        for i, raw in enumerate(top.list("lussen"), start=1):
            f = Fields(raw, f"Lussen, lus {i}", unknown, None, f"lus {i}")
            c.loops.append(Loop(f.value("van_stap"), f.value("naar_stap"), f.text("reden"), f.text("datum")))
            f.done()
        for i, raw in enumerate(top.list("geschiedenis"), start=1):
            f = Fields(raw, f"Geschiedenis, regel {i}", unknown, None, f"geschiedenis {i}")
            c.history.append(HistoryEntry(f.text("datum"), f.value("stap"), f.text("gebeurtenis") or ""))
            f.done()
        top.done()
        c.unknown_fields = unknown
        return c

    def _read_section(self, s: m.StepDef, f: Fields, unknown: list) -> None:
        where = f.where
        if s.section in m.PART_OF:
            getattr(self, m.PART_OF[s.section]).read_section(s.section, f, unknown)
        elif s.section == m.PROBLEM:
            self.problem = Problem.read(f)
        elif s.section == m.HYPOTHESES:
            for i, raw in enumerate(f.list("hypothesen"), start=1):
                hid = raw.get("id") if isinstance(raw, dict) and raw.get("id") is not None else i
                hf = Fields(raw, f"{where}, hypothese {hid}", unknown, s.number)
                h = Hypothesis.read(hf)
                hf._item = f"hypothese {h.id or i}"
                hf.done()
                self.hypotheses.append(h)
        elif s.section == m.DATA:
            self.data_sources = DataSources(f.list("bestanden"), f.list("jaren"), f.value("laadrapport"))
        elif s.section == m.QUALITY:
            self.quality = Quality(f.list("bevindingen"), f.text("besluit"), f.text("toelichting"))
        elif s.section == m.ANALYSIS:
            self.analyses = {str(k): to_plain(v) for k, v in f.mapping("resultaten").items()}
        elif s.section == m.VERDICTS_SECTION:
            for hid, raw in f.mapping("oordelen").items():
                vf = Fields(raw, f"{where}, hypothese {hid}", unknown, s.number, f"hypothese {hid}")
                self.verdicts[str(hid)] = Verdict(vf.text("oordeel"), vf.text("interpretatie"), vf.text("datum"))
                vf.done()
        elif s.section == m.MEASURES:
            for i, raw in enumerate(f.list("maatregelen"), start=1):
                mid0 = raw.get("id") if isinstance(raw, dict) and raw.get("id") is not None else i
                mf = Fields(raw, f"{where}, maatregel {mid0}", unknown, s.number)
                mid = mf.text("id") or ""
                mf._item = f"maatregel {mid or i}"
                self.measures.append(Measure(mid, mf.text("omschrijving"), mf.text("interventie"), mf.text("hypothese")))
                mf.done()
        elif s.section == m.DEEPENING:
            self.deepening = Deepening(f.list("bronnen"), f.text("inzichten"), f.text("keuze"))
        elif s.section == m.EVALUATION:
            self.evaluation = Evaluation(
                f.list("vergelijkingen"),
                f.value("behaalde_waarde"),
                f.yes_no("doel_gehaald"),
                f.text("toelichting"),
                f.text("volgende_cyclus"),
            )
