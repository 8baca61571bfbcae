"""Forms instead of code in the notebooks' input cells (✏️ *Invullen door het team*).

One function per input cell; each shows what the cycle record holds, checks what the
team types with a Dutch message next to the field, and writes the record atomically on
*Opslaan in het cyclusverslag*.  A run without a person uses the record as it is, or —
when the record does not hold the value yet — the example filling given as the
notebooks' ``invulling`` parameter (:mod:`plgdata.forms.filling`).
"""

from plgdata.forms.base import Field, Form, FormError
from plgdata.forms.evidence import evidence
from plgdata.forms.filling import read_filling
from plgdata.forms.hypotheses import (
    hypothesis_correction_form,
    hypothesis_form,
    measure_correction_form,
    open_verdicts_form,
    revised_hypothesis_form,
    verdicts_form,
)
from plgdata.forms.leerteam import (
    RESEARCH_LESSON,
    REVISED_LESSON,
    case_pupils,
    conclusions_form,
    lesson_plan_form,
    observations_form,
    open_year_plan,
    periods_form,
    planned_cycle_form,
    predictions_form,
    record_check,
    research_question_form,
    talks_form,
)
from plgdata.forms.reading import mapping_files, preview_html, read_preview, reading_form
from plgdata.forms.steps import (
    action_research_start_form,
    data_sources_form,
    data_sources_summary,
    deepening_form,
    evaluation_form,
    goal_check_form,
    goal_check_outcome,
    measures_form,
    problem_form,
    problem_summary,
    quality_form,
    start_form,
)

__all__ = [
    "case_pupils",
    "RESEARCH_LESSON",
    "REVISED_LESSON",
    "conclusions_form",
    "lesson_plan_form",
    "observations_form",
    "open_year_plan",
    "periods_form",
    "planned_cycle_form",
    "predictions_form",
    "record_check",
    "research_question_form",
    "talks_form",
    "Field",
    "Form",
    "FormError",
    "action_research_start_form",
    "data_sources_form",
    "data_sources_summary",
    "deepening_form",
    "evidence",
    "evaluation_form",
    "goal_check_form",
    "goal_check_outcome",
    "hypothesis_correction_form",
    "hypothesis_form",
    "measure_correction_form",
    "measures_form",
    "open_verdicts_form",
    "problem_form",
    "problem_summary",
    "quality_form",
    "read_filling",
    "mapping_files",
    "preview_html",
    "read_preview",
    "reading_form",
    "revised_hypothesis_form",
    "start_form",
    "verdicts_form",
]
