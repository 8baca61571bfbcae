"""The Lesson Study part of a cycle record: question, case pupils, two research lessons, borgen.

A Lesson Study (DESIGN.md §3) observes three *casusleerlingen* in a research lesson the
team designed together.  Before the lesson the team writes down, per case pupil and per
lesson phase, how it expects the pupil to respond (*voorspelling*); observers each
follow one case pupil and note what they saw (*observatie*) and whether it matched
(``klopt``: ``ja`` / ``deels`` / ``nee``); the case pupils are interviewed; the
*nabespreking* puts prediction and observation side by side.  The revised lesson is
taught again with the same comparison, and the team ends with conclusions and what it
keeps (*borgen*).

File layout (``methode: lessonstudy``; every fase has ``status`` and ``gewijzigd``)::

    1_onderzoeksvraag:   onderzoeksvraag, leerdoel, vak, klas, toelichting
    2_casusleerlingen:   toets, casusleerlingen: [{code, pseudoniem, niveau, reden}]
    3_onderzoeksles:     datum, docent, fases: [{fase, omschrijving}],
    4_herziene_les:      observanten: {code: naam observant},
                         voorspellingen: {code: {fase: tekst}},
                         observaties: {code: {fase: {waarneming, klopt}}},
                         interviews: {code: tekst}, nabespreking
                         (4 also: wijzigingen — what changed against lesson 1)
    5_conclusies:        conclusies, borgen: [tekst],
                         eigen_metingen: [{meting, schaal, ontwerp, n_interventie, n_vergelijking,
                         effectmaat, effect, bi_onder, bi_boven, oordeel, uitleg}] (optional; see
                         :mod:`plgdata.analysis.ownmeasure`)

Case pupils are stored by **pseudonym only**; the class teacher sees names through the
local key file (:func:`plgdata.io.pseudonyms.lookup`), never in the record or a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from plgdata.cycle import methods as m
from plgdata.cycle.fields import Fields
from plgdata.cycle.plain import is_iso_date, to_plain
from plgdata.io.pseudonyms import PSEUDONYM_RE


@dataclass
class CasePupil:
    """One *casusleerling*: a short code (A, B, C), the pseudonym and the level it was chosen at."""

    code: str
    pseudonym: str | None = None  # pseudoniem
    level: str | None = None  # niveau, e.g. "I-II"
    reason: str | None = None  # reden (why this pupil: level and score on the latest test)

    def to_dict(self) -> dict:
        return {"code": self.code, "pseudoniem": self.pseudonym, "niveau": self.level, "reden": self.reason}


@dataclass
class Lesson:
    """One research lesson: its phases, who teaches and observes, predictions and observations."""

    date: str | None = None  # datum
    teacher: str | None = None  # docent
    phases: list = field(default_factory=list)  # fases: [{fase, omschrijving}]
    observers: dict = field(default_factory=dict)  # observanten: {code: name}
    predictions: dict = field(default_factory=dict)  # voorspellingen: {code: {fase: text}}
    observations: dict = field(default_factory=dict)  # observaties: {code: {fase: {waarneming, klopt}}}
    interviews: dict = field(default_factory=dict)  # interviews: {code: text}
    debrief: str | None = None  # nabespreking
    changes: str | None = None  # wijzigingen (the revised lesson only)

    def phase_names(self) -> list[str]:
        return [str(p.get("fase")) for p in self.phases if isinstance(p, dict) and p.get("fase")]

    def to_dict(self, revised: bool) -> dict:
        out = {
            "datum": self.date,
            "docent": self.teacher,
            "fases": list(self.phases),
            "observanten": dict(self.observers),
            "voorspellingen": dict(self.predictions),
            "observaties": dict(self.observations),
            "interviews": dict(self.interviews),
            "nabespreking": self.debrief,
        }
        if revised:
            out["wijzigingen"] = self.changes
        return out

    @classmethod
    def read(cls, f: Fields, revised: bool) -> Lesson:
        les = cls(f.text("datum"), f.text("docent"), f.list("fases"))
        for attr, key in (
            ("observers", "observanten"),
            ("predictions", "voorspellingen"),
            ("observations", "observaties"),
            ("interviews", "interviews"),
        ):
            setattr(les, attr, {str(k): to_plain(v) for k, v in f.mapping(key).items()})
        les.debrief = f.text("nabespreking")
        if revised:
            les.changes = f.text("wijzigingen")
        return les


@dataclass
class LessonStudy:
    """The Lesson Study part of a :class:`~plgdata.cycle.record.Cycle` (``cycle.lesson_study``)."""

    question: str | None = None  # onderzoeksvraag
    goal: str | None = None  # leerdoel
    subject: str | None = None  # vak (the leerteam's focus subject)
    klas: str | None = None  # klas
    note: str | None = None  # toelichting
    test_basis: str | None = None  # toets: the test the case pupils were chosen on
    cases: list[CasePupil] = field(default_factory=list)
    lessons: dict[int, Lesson] = field(default_factory=lambda: {1: Lesson(), 2: Lesson()})
    conclusions: str | None = None  # conclusies
    keep: list = field(default_factory=list)  # borgen
    own_measurements: list = field(default_factory=list)  # eigen_metingen (pupil-free comparison summaries)

    LESSON_OF: ClassVar[dict[str, int]] = {m.LS_LESSON_1: 1, m.LS_LESSON_2: 2}

    def case(self, code: str) -> CasePupil | None:
        return next((c for c in self.cases if c.code == code), None)

    def section_dict(self, section: str) -> dict:
        if section == m.LS_QUESTION:
            return {
                "onderzoeksvraag": self.question,
                "leerdoel": self.goal,
                "vak": self.subject,
                "klas": self.klas,
                "toelichting": self.note,
            }
        if section == m.LS_CASES:
            return {"toets": self.test_basis, "casusleerlingen": [c.to_dict() for c in self.cases]}
        if section in self.LESSON_OF:
            n = self.LESSON_OF[section]
            return self.lessons[n].to_dict(revised=n == 2)
        if section == m.LS_CONCLUSIONS:
            return {
                "conclusies": self.conclusions,
                "borgen": list(self.keep),
                "eigen_metingen": [dict(x) for x in self.own_measurements],
            }
        raise KeyError(section)

    def read_section(self, section: str, f: Fields, unknown: list) -> None:
        if section == m.LS_QUESTION:
            for attr, key in (
                ("question", "onderzoeksvraag"),
                ("goal", "leerdoel"),
                ("subject", "vak"),
                ("klas", "klas"),
                ("note", "toelichting"),
            ):
                setattr(self, attr, f.text(key))
        elif section == m.LS_CASES:
            self.test_basis = f.text("toets")
            for i, raw in enumerate(f.list("casusleerlingen"), start=1):
                cf = Fields(raw, f"{f.where}, casusleerling {i}", unknown, f._step, f"casusleerling {i}")
                self.cases.append(CasePupil(cf.text("code") or "", cf.text("pseudoniem"), cf.text("niveau"), cf.text("reden")))
                cf.done()
        elif section in self.LESSON_OF:
            n = self.LESSON_OF[section]
            self.lessons[n] = Lesson.read(f, revised=n == 2)
        elif section == m.LS_CONCLUSIONS:
            self.conclusions = f.text("conclusies")
            self.keep = f.list("borgen")
            self.own_measurements = [x if isinstance(x, dict) else {"meting": x} for x in f.list("eigen_metingen")]

    def problems(self, section: str, status: str):
        """``(field, Dutch text, item, item word)`` for everything in ``section`` that does not hold together."""
        done = status == m.STATUS_DONE
        if section == m.LS_QUESTION:
            for key, value, what in (
                ("onderzoeksvraag", self.question, "onderzoeksvraag"),
                ("leerdoel", self.goal, "leerdoel"),
                ("vak", self.subject, "focusvak"),
            ):
                if done and _empty(value):
                    yield key, f"de fase staat op 'klaar', maar er is geen {what}.", None, ""
        elif section == m.LS_CASES:
            yield from self._case_problems(done)
        elif section in self.LESSON_OF:
            yield from self._lesson_problems(self.LESSON_OF[section], done)
        elif section == m.LS_CONCLUSIONS:
            if done and _empty(self.conclusions):
                yield "conclusies", "de fase staat op 'klaar', maar de conclusies van het team ontbreken.", None, ""
            if done and not self.keep:
                yield "borgen", "de fase staat op 'klaar', maar er staat niet wat het team borgt (wat houden we vast?).", None, ""
            yield from _measurement_problems(self.own_measurements)

    def _case_problems(self, done: bool):
        if done and len(self.cases) < 3:
            yield "casusleerlingen", f"Lesson Study volgt drie casusleerlingen; er staan er {len(self.cases)}.", None, ""
        seen: set[str] = set()
        for i, c in enumerate(self.cases, start=1):
            item = c.code or f"nr. {i}"
            if _empty(c.code):
                yield "code", "de casusleerling heeft geen code; geef een letter (A, B of C).", item, "casusleerling"
            elif c.code in seen:
                yield (
                    "code",
                    f"de code '{c.code}' komt vaker voor; geef elke casusleerling een eigen code.",
                    item,
                    "casusleerling",
                )
            seen.add(c.code)
            if c.pseudonym is None or not PSEUDONYM_RE.match(str(c.pseudonym)):
                text = f"'{c.pseudonym or ''}' is geen pseudoniem (L- met tien tekens); zet nooit een naam of leerlingnummer in het verslag."
                yield "pseudoniem", text, item, "casusleerling"
            if _empty(c.level):
                yield "niveau", "het niveau ontbreekt: op welk niveau is deze leerling gekozen?", item, "casusleerling"

    def _lesson_problems(self, n: int, done: bool):
        les = self.lessons[n]
        phases = les.phase_names()
        codes = [c.code for c in self.cases]
        if done and not phases:
            yield "fases", "de les staat op 'klaar', maar er staan geen lesfases.", None, ""
        if not _empty(les.date) and not is_iso_date(les.date):
            yield "datum", f"'{les.date}' is geen geldige datum; schrijf de datum als JJJJ-MM-DD.", None, ""
        for key, table in (("voorspellingen", les.predictions), ("observaties", les.observations)):
            for code, per_phase in table.items():
                if code not in codes:
                    yield key, f"casusleerling '{code}' staat niet bij de casusleerlingen (fase 2).", code, "casusleerling"
                for ph in per_phase or {}:
                    if ph not in phases:
                        yield key, f"lesfase '{ph}' staat niet bij de fases van deze les.", code, "casusleerling"
        for code, per_phase in les.observations.items():
            for ph, obs in (per_phase or {}).items():
                match = obs.get("klopt") if isinstance(obs, dict) else None
                if match is not None and match not in m.MATCHES:
                    yield (
                        "klopt",
                        f"'{match}' bij lesfase '{ph}' is onbekend; kies {m.dutch_list(m.MATCHES)}.",
                        code,
                        "casusleerling",
                    )
        if done:
            yield from self._lesson_complete(n, les, phases, codes)

    def _lesson_complete(self, n: int, les: Lesson, phases: list[str], codes: list[str]):
        for key, table, what in (
            ("voorspellingen", les.predictions, "voorspelling"),
            ("observaties", les.observations, "observatie"),
        ):
            for code in codes:
                missing = [ph for ph in phases if _empty((table.get(code) or {}).get(ph))]
                if missing:
                    yield key, f"de les staat op 'klaar', maar er is geen {what} bij {', '.join(missing)}.", code, "casusleerling"
        if _empty(les.debrief):
            yield "nabespreking", "de les staat op 'klaar', maar de nabespreking ontbreekt.", None, ""
        if n == 2 and _empty(les.changes):
            yield (
                "wijzigingen",
                "de herziene les staat op 'klaar', maar er staat niet wat er veranderd is ten opzichte van les 1.",
                None,
                "",
            )


def _measurement_problems(entries: list):
    from plgdata.model.vocabulary import scale_of

    for i, x in enumerate(entries, start=1):
        if _empty(x.get("meting")) or _empty(x.get("oordeel")):
            yield "eigen_metingen", "een eigen meting heeft een omschrijving ('meting') en een oordeel nodig.", str(i), "meting"
        if not _empty(x.get("schaal")) and scale_of(x["schaal"]) is not None:
            yield (
                "schaal",
                f"'{x['schaal']}' is een schaal van het leerlingvolgsysteem; een eigen meting staat op een eigen schaal.",
                str(i),
                "meting",
            )


def _empty(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, dict)) and not v)
