"""What the cycle record holds about an evaluated measure (step 8, ``vergelijkingen``).

:func:`evaluation_entry` turns an :class:`plgdata.analysis.evaluation.Evaluation` into
the plain values the record stores: the design, who was compared, the effect size with
its 95% interval, the verdict key (``uitkomst``) and the Dutch verdict (``oordeel``).
The cyclusrapport reads these back with :func:`entry_for_measure` instead of evaluating
again, so the report shows what the team recorded.
"""

from __future__ import annotations

from plgdata.model.labels import COMPARISON_LABELS

__all__ = ["entry_for_measure", "evaluation_entry"]


def _moment(info: dict, which: str) -> str:
    return f"{info.get(which + '_moment')} {info.get(which + '_school_year')}"


def _rounded(x, digits: int = 4):
    return None if x is None or x != x else round(float(x), digits)


def evaluation_entry(measure, evaluation) -> dict:
    """One evaluated measure as plain values for the cycle record."""
    info, res = evaluation.info, evaluation.result
    entry = {
        "maatregel": measure.id,
        "interventie": measure.intervention_id,
        "opzet": res.design_nl if res is not None else "niet te evalueren",
        "vergelijkingsgroep": COMPARISON_LABELS.get(info.get("comparison"), info.get("comparison")),
    }
    if evaluation.design == "cohort":
        entry["jaargangen_eerder"] = ", ".join(info.get("years_old", []))
        entry["jaargangen_nieuw"] = ", ".join(info.get("years_new", []))
    elif info.get("pre_moment"):
        entry["voormeting"] = _moment(info, "pre")
        entry["nameting"] = _moment(info, "post")
    if res is not None:
        entry.update(
            {
                "n_interventie": info.get("n_treatment"),
                "n_vergelijking": info.get("n_control"),
                "effectgrootte": res.effect_size_name,
                # four decimals: a readable record that another machine's BLAS reproduces exactly
                "schatting": _rounded(res.headline),
                "bi_onder": _rounded(res.headline_ci[0]),
                "bi_boven": _rounded(res.headline_ci[1]),
            }
        )
    entry["uitkomst"] = evaluation.verdict
    entry["oordeel"] = evaluation.verdict_nl
    return entry


def entry_for_measure(cycle, measure_id: str) -> dict | None:
    """The recorded evaluation of measure ``measure_id`` (``None`` when there is none)."""
    for c in cycle.evaluation.comparisons:
        if isinstance(c, dict) and str(c.get("maatregel")) == str(measure_id):
            return c
    return None
