"""The content of the four teammeeting reports, one module per report kind.

Kept so ``from plgdata.reporting import content as reports`` keeps working; the
report notebooks import the modules themselves:

* :mod:`plgdata.reporting.groepsoverzicht` — :func:`group_overview`, :func:`group_overviews`
* :mod:`plgdata.reporting.trendanalyse` — :func:`trend_overview`
* :mod:`plgdata.reporting.interventie` — :func:`intervention_evaluation`
* :mod:`plgdata.reporting.cyclusrapport` — :func:`cycle_overview`

What they share (:class:`ReportFigure`) lives in :mod:`plgdata.reporting.common`.
"""

from __future__ import annotations

from plgdata.reporting.common import ReportFigure
from plgdata.reporting.cyclusrapport import CycleOverview, cycle_overview
from plgdata.reporting.groepsoverzicht import (
    PLG_QUESTIONS,
    GroupOverview,
    group_overview,
    group_overviews,
)
from plgdata.reporting.interventie import (
    InterventionEvaluation,
    intervention_evaluation,
)
from plgdata.reporting.trendanalyse import TrendOverview, trend_overview

__all__ = [
    "PLG_QUESTIONS",
    "CycleOverview",
    "GroupOverview",
    "InterventionEvaluation",
    "ReportFigure",
    "TrendOverview",
    "cycle_overview",
    "group_overview",
    "group_overviews",
    "intervention_evaluation",
    "trend_overview",
]
