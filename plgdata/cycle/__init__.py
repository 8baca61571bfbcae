"""The cycle record: one human-readable YAML file per cycle of a leerteam.

A leerteam works in cycles (DESIGN.md §3).  This package keeps the record of one
cycle: what the problem is in numbers, which hypotheses the team tested and how,
which data it used and what it thought of that data, the results and verdicts, the
measures (linked to the interventions table by id) and the evaluation, plus the
status of every step and the loops back (a rejected hypothesis sends the team back
to step 2; poor data back to step 3).  The same engine carries the lighter
*actieonderzoek* template of four phases.

The file is YAML with Dutch keys, so an IB'er may open and edit it by hand.  It is
read with ``yaml.safe_load`` and written atomically with a backup of the previous
version (``cyclus.yaml`` -> ``cyclus.vorige.yaml``).  Text a teacher typed is kept
exactly (newlines, quotes, ``<script>``); reports escape it when they render it.

Layout
------
Top level: ``methode`` (``datateam`` | ``actieonderzoek``), ``versie``, ``titel``,
``leerteam``, ``school``, ``schooljaar``, ``aangemaakt``, ``gewijzigd``,
``vorige_cyclus``, ``stappen``, ``lussen``, ``geschiedenis``.

``stappen`` maps ``<nummer>_<naam>`` to the step; every step has ``status``
(``open`` / ``bezig`` / ``klaar`` / ``terug``) and ``gewijzigd`` and then its own fields:

================================  ===================================================================
datateam                          fields
================================  ===================================================================
``1_probleemdefinitie``           stelling, maat, huidige_waarde, berekend_uit, doelwaarde,
                                  doel_is (hoogstens|minstens), deadline (JJJJ-MM-DD), onderzoeksvraag
``2_hypothesen``                  hypothesen: list of {id, soort (verkennend|verklarend), stelling,
                                  data, analyse: {soort, parameters}, beslisregel, herziet, toegevoegd}
``3_dataverzameling``             bestanden, jaren, laadrapport
``4_datakwaliteit``               bevindingen (records), besluit (doorgaan|terug naar stap 3), toelichting
``5_data_analyse``                resultaten: {hypothese-id: result}
``6_interpretatie``               oordelen: {hypothese-id: {oordeel (bevestigd|verworpen|onbeslist),
                                  interpretatie, datum}}
``7_maatregelen``                 maatregelen: list of {id, omschrijving, interventie, hypothese}
``8_evaluatie``                   vergelijkingen, behaalde_waarde, doel_gehaald (ja/nee),
                                  toelichting, volgende_cyclus
================================  ===================================================================

Actieonderzoek has ``1_probleemanalyse`` (as step 1 above),
``2_inhoudelijke_verdieping`` (bronnen, inzichten, keuze), ``3_interventie`` (as
``7_maatregelen``) and ``4_evaluatie`` (as ``8_evaluatie``).  ``lussen`` is a list of
{van_stap, naar_stap, reden, datum}; ``geschiedenis`` a list of {datum, stap,
gebeurtenis}.  An empty value is written as nothing after the colon.

``methode: lessonstudy`` (five fases: question, case pupils, research lesson, revised
lesson, conclusions and borgen; :mod:`plgdata.cycle.lessonstudy`) and ``methode:
jaarplan`` (the leerteam's year: periods, cycles, meetings, the three talks;
:mod:`plgdata.cycle.yearplan`) run on the same engine.

Python side: :class:`Cycle` with English attributes (``problem``, ``hypotheses``,
``data_sources``, ``quality``, ``analyses``, ``verdicts``, ``measures``,
``deepening``, ``evaluation``, ``loops``, ``history``, ``steps``); the step
operations (:func:`set_problem`, :func:`add_hypothesis`, ... :func:`record_evaluation`)
update the status and history; :func:`validate_cycle` lists what does not hold
together as Dutch messages naming step and field.

Example file (datateam; geschiedenis shortened)::

    methode: datateam
    versie: 1
    titel: Begrijpend lezen groep 6
    leerteam: Bovenbouw
    school:
    schooljaar: 2025-2026
    aangemaakt: '2025-09-15T15:30:00'
    gewijzigd: '2025-09-26T15:30:00'
    vorige_cyclus:
    stappen:
      1_probleemdefinitie:
        status: klaar
        gewijzigd: '2025-09-16T15:30:00'
        stelling: 40% van groep 6 scoort IV of V op begrijpend lezen.
        maat: aandeel IV/V begrijpend lezen, groep 6, M-toets
        huidige_waarde: 0.4
        berekend_uit: M6 2024-2025, 52 leerlingen
        doelwaarde: 0.25
        doel_is: hoogstens
        deadline: '2026-06-30'
        onderzoeksvraag:
      2_hypothesen:
        status: klaar
        gewijzigd: '2025-09-22T15:30:00'
        hypothesen:
        - id: H1
          soort: verklarend
          stelling: Leerlingen met een andere thuistaal scoren vaker IV/V (verschil minstens 15 procentpunt).
          data: Cito begrijpend lezen M6 2024-2025 + thuistaal
          analyse:
            soort: verschil_in_aandelen
            parameters:
              vak: begrijpend lezen
              periode: M
              schooljaar: 2024-2025
              groepen: [6]
              kenmerk: thuistaal
              a: anders
              b: Nederlands
          beslisregel: bevestigd als het verschil in aandeel IV/V minstens 15 procentpunt is
          herziet:
          toegevoegd: '2025-09-17T15:30:00'
        - id: H2
          soort: verkennend
          stelling: Jongens scoren minstens 10 procentpunt vaker IV/V dan meisjes.
          data: Cito begrijpend lezen M6 2024-2025
          analyse:
            soort: verschil_in_aandelen
            parameters:
              vak: begrijpend lezen
              periode: M
              schooljaar: 2024-2025
              groepen: [6]
              kenmerk: geslacht
              a: J
              b: M
          beslisregel: bevestigd als de jongens minstens 10 procentpunt vaker IV/V scoren
          herziet: H1
          toegevoegd: '2025-09-22T15:30:00'
      3_dataverzameling:
        status: klaar
        gewijzigd: '2025-09-18T15:30:00'
        bestanden:
        - cito_bl_2425.csv
        jaren:
        - 2024-2025
        laadrapport:
          rows_read: 60
          rows_loaded: 58
          rows_set_aside: 2
          set_aside_reasons:
            geen resultaat (leeg, afw, ziek, n.v.t. of -): 2
          bestanden:
          - bestand: cito_bl_2425.csv
            soort: Cito (lang)
            rows_read: 60
            rows_loaded: 58
            rows_set_aside: 2
            set_aside_reasons:
              geen resultaat (leeg, afw, ziek, n.v.t. of -): 2
            voorbeelden:
              geen resultaat (leeg, afw, ziek, n.v.t. of -):
              - 12
              - 40
            opmerkingen: []
            fout:
      4_datakwaliteit:
        status: klaar
        gewijzigd: '2025-09-19T15:30:00'
        bevindingen:
        - check: ontbrekend
          severity: waarschuwing
          count: 2
          message: 2 leerlingen zonder M6
        besluit: doorgaan
        toelichting: Klein aantal ontbrekend.
      5_data_analyse:
        status: klaar
        gewijzigd: '2025-09-23T15:30:00'
        resultaten:
          H1:
            n_thuistaal_nl: 38
            n_thuistaal_anders: 14
            aandeel_nl: 0.34
            aandeel_anders: 0.57
            verschil_pp: 23.0
          H2:
            aandeel_6A: 0.3
            aandeel_6B: 0.5
      6_interpretatie:
        status: klaar
        gewijzigd: '2025-09-24T15:30:00'
        oordelen:
          H1:
            oordeel: verworpen
            interpretatie: |-
              Het verschil is er, maar het groepje is klein;
              we zoeken verder bij woordenschat.
            datum: '2025-09-21'
          H2:
            oordeel: bevestigd
            interpretatie: In 6B zit het probleem.
            datum: '2025-09-24'
      7_maatregelen:
        status: klaar
        gewijzigd: '2025-09-25T15:30:00'
        maatregelen:
        - id: M1
          omschrijving: Dagelijks 20 minuten modelen van leesstrategieën in 6B.
          interventie: INT-01
          hypothese: H2
      8_evaluatie:
        status: klaar
        gewijzigd: '2025-09-26T15:30:00'
        vergelijkingen:
        - vergelijking: M6 -> E6
          hedges_g: 0.41
          ci_low: 0.05
          ci_high: 0.77
        behaalde_waarde: 0.22
        doel_gehaald: true
        toelichting: Leerwinst in 6B groter dan verwacht.
        volgende_cyclus: cyclus-2026-2027.yaml
    lussen:
    - van_stap: 6
      naar_stap: 2
      reden: |-
        Hypothese H1 verworpen: Het verschil is er, maar het groepje is klein;
        we zoeken verder bij woordenschat.
      datum: '2025-09-21'
    geschiedenis:
    - datum: '2025-09-15T15:30:00'
      stap:
      gebeurtenis: Cyclus aangemaakt (datateammethode)
    - datum: '2025-09-16T15:30:00'
      stap: 1
      gebeurtenis: Probleem en doel vastgelegd
    - datum: '2025-09-17T15:30:00'
      stap: 2
      gebeurtenis: Hypothese H1 toegevoegd
    - datum: '2025-09-21T15:30:00'
      stap: 6
      gebeurtenis: 'Oordeel over H1: verworpen'
    - datum: '2025-09-21T15:30:00'
      stap: 6
      gebeurtenis: 'Terug naar stap 2: nieuwe of herziene hypothese nodig'
"""

from __future__ import annotations

from plgdata.cycle.errors import CycleError, CycleProblem
from plgdata.cycle.evaluations import entry_for_measure, evaluation_entry
from plgdata.cycle.lessonstudy import CasePupil, Lesson, LessonStudy
from plgdata.cycle.lessonstudy_steps import (
    lesson_comparison,
    plan_lesson,
    prediction_summary,
    record_conclusions,
    record_debrief,
    record_interviews,
    record_observations,
    record_own_measurement,
    record_predictions,
    set_case_pupils,
    set_research_question,
)
from plgdata.cycle.methods import ACTIEONDERZOEK, DATATEAM, HYPOTHESIS_KINDS, METHODS, QUALITY_DECISIONS, STATUSES, VERDICTS
from plgdata.cycle.model import (
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
from plgdata.cycle.operations import (
    add_hypothesis,
    add_measure,
    go_back,
    goal_reached,
    loops_table,
    new_cycle,
    next_step,
    record_analysis,
    record_data_sources,
    record_deepening,
    record_evaluation,
    record_quality,
    record_verdict,
    set_problem,
    set_status,
    step_status,
)
from plgdata.cycle.plain import to_iso_date, to_plain
from plgdata.cycle.record import Cycle
from plgdata.cycle.storage import backup_path, cycle_to_yaml, load_cycle, save_cycle
from plgdata.cycle.validate import check_cycle, validate_cycle
from plgdata.cycle.yearplan import YearPlan
from plgdata.cycle.yearplan_steps import add_planned_cycle, record_talk, set_meetings, set_periods, year_plan_tables

__all__ = [
    "ACTIEONDERZOEK",
    "DATATEAM",
    "HYPOTHESIS_KINDS",
    "METHODS",
    "QUALITY_DECISIONS",
    "STATUSES",
    "VERDICTS",
    "CasePupil",
    "Cycle",
    "CycleError",
    "CycleProblem",
    "DataSources",
    "Deepening",
    "Evaluation",
    "HistoryEntry",
    "Hypothesis",
    "Lesson",
    "LessonStudy",
    "Loop",
    "Measure",
    "Problem",
    "Quality",
    "StepState",
    "Verdict",
    "YearPlan",
    "add_hypothesis",
    "add_measure",
    "add_planned_cycle",
    "backup_path",
    "check_cycle",
    "cycle_to_yaml",
    "entry_for_measure",
    "evaluation_entry",
    "go_back",
    "goal_reached",
    "lesson_comparison",
    "load_cycle",
    "loops_table",
    "new_cycle",
    "next_step",
    "plan_lesson",
    "prediction_summary",
    "record_analysis",
    "record_conclusions",
    "record_data_sources",
    "record_debrief",
    "record_deepening",
    "record_evaluation",
    "record_interviews",
    "record_observations",
    "record_own_measurement",
    "record_predictions",
    "record_quality",
    "record_talk",
    "record_verdict",
    "save_cycle",
    "set_case_pupils",
    "set_meetings",
    "set_periods",
    "set_problem",
    "set_research_question",
    "set_status",
    "step_status",
    "to_iso_date",
    "to_plain",
    "validate_cycle",
    "year_plan_tables",
]
