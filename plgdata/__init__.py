"""plgdata: de datateammethode voor PLG-basisscholen, van LVS-export tot teamrapport.

The public API is re-exported here lazily, so ``import plgdata`` stays fast and
each function lives in the module named after what it holds.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # data foundation
    "Dataset": "plgdata.dataset",
    "read_scores": "plgdata.readers",
    "read_interventions": "plgdata.interventions",
    "write_intervention_template": "plgdata.interventions",
    "load": "plgdata.readers",
    "ReadError": "plgdata.readers",
    "check_quality": "plgdata.quality",
    "Pseudonymiser": "plgdata.pseudonyms",
    "generate_sample_school": "plgdata.sample",
    # statistics
    "compare": "plgdata.comparisons",
    "hedges_g": "plgdata.effects",
    "cliffs_delta": "plgdata.effects",
    "minimum_detectable_effect": "plgdata.effects",
    "pupil_growth": "plgdata.growth",
    "cohort_expected_growth": "plgdata.growth",
    "share_at_or_above": "plgdata.levels",
    "goal_progress": "plgdata.levels",
    "referentieniveaus": "plgdata.levels",
    "read_norm_table": "plgdata.norms",
    "intervention_frame": "plgdata.designs",
    "cohort_frame": "plgdata.designs",
    "estimation_plot": "plgdata.estimation",
    "group_growth": "plgdata.growth",
    "norm_growth": "plgdata.growth",
    "percentile_growth": "plgdata.growth",
    "level_distribution": "plgdata.levels",
    "trend_cross_section": "plgdata.trends",
    "trend_cohort": "plgdata.trends",
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
