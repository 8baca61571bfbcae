"""plgdata: de datateammethode voor PLG-basisscholen, van LVS-export tot teamrapport.

The public API is re-exported here lazily, so ``import plgdata`` stays fast and
each function lives in the module named after what it holds.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # data foundation
    "Dataset": "plgdata.model.dataset",
    "read_scores": "plgdata.io.scores",
    "read_interventions": "plgdata.io.interventions",
    "write_intervention_template": "plgdata.io.interventions",
    "load": "plgdata.io.scores",
    "ReadError": "plgdata.io.scores",
    "check_quality": "plgdata.analysis.quality",
    "Pseudonymiser": "plgdata.io.pseudonyms",
    "generate_sample_school": "plgdata.sample.school",
    # statistics
    "compare": "plgdata.analysis.compare",
    "hedges_g": "plgdata.analysis.effects",
    "cliffs_delta": "plgdata.analysis.effects",
    "minimum_detectable_effect": "plgdata.analysis.effects",
    "pupil_growth": "plgdata.analysis.growth",
    "cohort_expected_growth": "plgdata.analysis.growth",
    "share_at_or_above": "plgdata.analysis.levels",
    "goal_progress": "plgdata.analysis.levels",
    "referentieniveaus": "plgdata.analysis.levels",
    "inspection_indicator": "plgdata.analysis.indicator",
    "read_doorstroom": "plgdata.io.doorstroom",
    "read_norm_table": "plgdata.io.norms",
    "intervention_frame": "plgdata.analysis.frames",
    "cohort_frame": "plgdata.analysis.frames",
    "estimation_plot": "plgdata.plots.estimation",
    "group_growth": "plgdata.analysis.growth",
    "norm_growth": "plgdata.analysis.growth",
    "percentile_growth": "plgdata.analysis.growth",
    "level_distribution": "plgdata.analysis.levels",
    "trend_cross_section": "plgdata.analysis.trends",
    "trend_cohort": "plgdata.analysis.trends",
    # cycle
    "Cycle": "plgdata.cycle",
    "load_cycle": "plgdata.cycle",
    "save_cycle": "plgdata.cycle",
    "new_cycle": "plgdata.cycle",
    "check_cycle": "plgdata.cycle",
    "validate_cycle": "plgdata.cycle",
    "run_demo": "plgdata.demo",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'plgdata' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
