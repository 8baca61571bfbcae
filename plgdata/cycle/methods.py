"""The two methods the cycle engine carries, their steps, and the Dutch vocabularies.

A method is a list of steps.  Each step has a number, the key it has in the YAML file
(``"2_hypothesen"``), its Dutch name and the *section* of the record it holds.  The
same section may sit at a different step number in each method: measures are step 7
of the datateammethode and phase 3 of actieonderzoek.
"""

from __future__ import annotations

from typing import NamedTuple

#: step status values (Dutch, as written in the file)
STATUS_OPEN = "open"
STATUS_BUSY = "bezig"
STATUS_DONE = "klaar"
STATUS_BACK = "terug"
STATUSES: tuple[str, ...] = (STATUS_OPEN, STATUS_BUSY, STATUS_DONE, STATUS_BACK)

#: hypothesis kinds
KIND_EXPLORATORY = "verkennend"
KIND_EXPLANATORY = "verklarend"
HYPOTHESIS_KINDS: tuple[str, ...] = (KIND_EXPLORATORY, KIND_EXPLANATORY)

#: verdicts on a hypothesis (step 6)
VERDICT_CONFIRMED = "bevestigd"
VERDICT_REJECTED = "verworpen"
VERDICT_UNDECIDED = "onbeslist"
VERDICTS: tuple[str, ...] = (VERDICT_CONFIRMED, VERDICT_REJECTED, VERDICT_UNDECIDED)

#: the team's decision after the quality check (step 4)
DECISION_GO_ON = "doorgaan"
DECISION_BACK = "terug naar stap 3"
QUALITY_DECISIONS: tuple[str, ...] = (DECISION_GO_ON, DECISION_BACK)

#: how the goal value is read: the metric must end at most / at least at the goal
DIRECTION_AT_MOST = "hoogstens"
DIRECTION_AT_LEAST = "minstens"
DIRECTIONS: tuple[str, ...] = (DIRECTION_AT_MOST, DIRECTION_AT_LEAST)

#: sections of the record (the Python side of each step)
PROBLEM = "problem"
HYPOTHESES = "hypotheses"
DATA = "data"
QUALITY = "quality"
ANALYSIS = "analysis"
VERDICTS_SECTION = "verdicts"
MEASURES = "measures"
EVALUATION = "evaluation"
DEEPENING = "deepening"


class StepDef(NamedTuple):
    number: int
    key: str  # YAML key, e.g. "2_hypothesen"
    name: str  # Dutch name, e.g. "Hypothesen"
    section: str  # one of the section constants above


class MethodDef(NamedTuple):
    name: str  # "datateam" | "actieonderzoek"
    title: str  # Dutch name of the method
    word: str  # "Stap" | "Fase": how a teacher calls one step
    steps: tuple[StepDef, ...]

    def step(self, number: int) -> StepDef:
        for s in self.steps:
            if s.number == number:
                return s
        raise KeyError(number)

    def step_of(self, section: str) -> StepDef | None:
        for s in self.steps:
            if s.section == section:
                return s
        return None

    def label(self, number: int) -> str:
        """``"Stap 2 (Hypothesen)"``."""
        return f"{self.word} {number} ({self.step(number).name})"


DATATEAM = MethodDef(
    "datateam",
    "datateammethode",
    "Stap",
    (
        StepDef(1, "1_probleemdefinitie", "Probleemdefinitie", PROBLEM),
        StepDef(2, "2_hypothesen", "Hypothesen", HYPOTHESES),
        StepDef(3, "3_dataverzameling", "Dataverzameling", DATA),
        StepDef(4, "4_datakwaliteit", "Datakwaliteit", QUALITY),
        StepDef(5, "5_data_analyse", "Data-analyse", ANALYSIS),
        StepDef(6, "6_interpretatie", "Interpretatie en conclusie", VERDICTS_SECTION),
        StepDef(7, "7_maatregelen", "Maatregelen", MEASURES),
        StepDef(8, "8_evaluatie", "Evaluatie", EVALUATION),
    ),
)

ACTIEONDERZOEK = MethodDef(
    "actieonderzoek",
    "actieonderzoek",
    "Fase",
    (
        StepDef(1, "1_probleemanalyse", "Probleemanalyse", PROBLEM),
        StepDef(2, "2_inhoudelijke_verdieping", "Inhoudelijke verdieping", DEEPENING),
        StepDef(3, "3_interventie", "Interventie", MEASURES),
        StepDef(4, "4_evaluatie", "Evaluatie", EVALUATION),
    ),
)

METHODS: dict[str, MethodDef] = {m.name: m for m in (DATATEAM, ACTIEONDERZOEK)}


def dutch_list(values) -> str:
    """``("a", "b", "c")`` -> ``"'a', 'b' of 'c'"``."""
    quoted = [f"'{v}'" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " of " + quoted[-1]


# ---------------------------------------------------------------------------
# Lesson Study and the leerteam's year plan (same engine, own parts of the record)
# ---------------------------------------------------------------------------

#: sections of a Lesson Study (held by ``Cycle.lesson_study``)
LS_QUESTION = "ls_question"
LS_CASES = "ls_cases"
LS_LESSON_1 = "ls_lesson_1"
LS_LESSON_2 = "ls_lesson_2"
LS_CONCLUSIONS = "ls_conclusions"

#: sections of a leerteam year plan (held by ``Cycle.year_plan``)
YP_PERIODS = "yp_periods"
YP_CYCLES = "yp_cycles"
YP_MEETINGS = "yp_meetings"
YP_TALKS = "yp_talks"

LESSONSTUDY = MethodDef(
    "lessonstudy",
    "Lesson Study",
    "Fase",
    (
        StepDef(1, "1_onderzoeksvraag", "Onderzoeksvraag en leerdoel", LS_QUESTION),
        StepDef(2, "2_casusleerlingen", "Casusleerlingen", LS_CASES),
        StepDef(3, "3_onderzoeksles", "Onderzoeksles", LS_LESSON_1),
        StepDef(4, "4_herziene_les", "Herziene les", LS_LESSON_2),
        StepDef(5, "5_conclusies", "Conclusies en borgen", LS_CONCLUSIONS),
    ),
)

YEARPLAN = MethodDef(
    "jaarplan",
    "jaarplan van het leerteam",
    "Onderdeel",
    (
        StepDef(1, "1_perioden", "Perioden en focusvakken", YP_PERIODS),
        StepDef(2, "2_cycli", "Cycli", YP_CYCLES),
        StepDef(3, "3_bijeenkomsten", "Bijeenkomsten", YP_MEETINGS),
        StepDef(4, "4_gesprekken", "Gesprekkencyclus", YP_TALKS),
    ),
)

METHODS.update({LESSONSTUDY.name: LESSONSTUDY, YEARPLAN.name: YEARPLAN})

#: section -> the attribute of :class:`plgdata.cycle.record.Cycle` that reads, writes and checks it
PART_OF: dict[str, str] = {
    **dict.fromkeys((LS_QUESTION, LS_CASES, LS_LESSON_1, LS_LESSON_2, LS_CONCLUSIONS), "lesson_study"),
    **dict.fromkeys((YP_PERIODS, YP_CYCLES, YP_MEETINGS, YP_TALKS), "year_plan"),
}

#: how a case pupil's prediction compares with what the observer saw
MATCHES: tuple[str, ...] = ("ja", "deels", "nee")

#: the three talks of the gesprekkencyclus of a leerteam
TALKS: tuple[str, ...] = ("startgesprek", "ontwikkelgesprek", "evaluatiegesprek")
