"""A school's aggregate file for the board: figures only, no pupil data.

``plgdata samenvatting`` writes one JSON file per school: the Inspectie indicator, the school
trend (share at niveau III or higher per subject and year) and the verdicts and effect sizes of
its interventions with n and design.  It holds **no pupil rows and no pseudonyms**, and every
figure of a group under ``min_n`` pupils is left out (``null``, with the reason).  The board
report (:mod:`plgdata.reporting.bestuur`) is made from these files only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd

from plgdata.analysis.indicator import IndicatorResult, indicator_margin, inspection_indicator
from plgdata.analysis.pooling import se_from_ci
from plgdata.model.errors import PlgdataError
from plgdata.model.vocabulary import MIN_N
from plgdata.reporting.common import subject_name

__all__ = ["FORMAT", "SummaryError", "intervention_kind", "read_summary", "school_summary", "write_summary"]

FORMAT = "plgdata-samenvatting"
VERSION = 1


class SummaryError(PlgdataError, ValueError):
    """A summary file cannot be used (``message`` in Dutch)."""


def intervention_kind(name: str) -> str:
    """The kind of an intervention, for pooling across schools: its name without groep or class.

    >>> intervention_kind("Close reading in 6A"), intervention_kind("RT-groep rekenen groep 4")
    ('close reading', 'rt-groep rekenen')
    """
    t = str(name or "").lower()
    t = re.sub(r"\b(groep|gr\.?|klas|in|voor)\s*\d[a-z]?(/\d[a-z]?)?\b", " ", t)
    t = re.sub(r"\b\d[a-z]?(/\d[a-z]?)?\b", " ", t)
    t = re.sub(r"\b(in|voor)\s*$", " ", t.strip())
    return re.sub(r"[\s,;:]+", " ", t).strip(" -") or "overig"


def _indicator_part(res: IndicatorResult, min_n: int) -> dict:
    d = res.to_dict()
    for y in d["jaren"]:
        if y["n"] < min_n:  # a small year: its percentages would point at single pupils
            y["pct_1f"] = y["pct_2f1s"] = None
            y["onderdrukt"] = f"minder dan {min_n} leerlingen"
    if res.n < min_n:
        d["driejaars"].update(pct_1f=None, pct_2f1s=None, onderdrukt=f"minder dan {min_n} leerlingen")
        d["oordeel_1f"] = d["oordeel_2f1s"] = None
    else:
        d["marge_2f1s"] = indicator_margin(res, "2f1s")["zin"] if res.sw_2f1s is not None else None
    return d


def _trend_part(ds, min_n: int) -> list[dict]:
    from plgdata.reporting.trendanalyse import trend_overview

    tr = trend_overview(ds, min_n=min_n)
    for fig in [tr.school_figure, *tr.cross_figures.values(), *tr.cohort_figures.values(), tr.referentie_figure]:
        if fig is not None:
            fig.close()
    rows = []
    for r in tr.school_trend.itertuples(index=False):
        small = int(r.n) < min_n
        rows.append(
            {
                "vak": r.Vak,
                "periode": r.Periode,
                "schooljaar": r.Schooljaar,
                "n": int(r.n),
                "aandeel_iii_of_hoger": None if small or pd.isna(r.share) else round(float(r.share), 4),
            }
        )
    return rows


def _intervention_part(ds, min_n: int, n_boot: int) -> list[dict]:
    from plgdata.reporting.interventie import intervention_evaluation

    rows = []
    for iv in ds.interventions.itertuples(index=False):
        ev = intervention_evaluation(ds, str(iv.intervention_id), min_n=min_n, n_boot=n_boot)
        if ev.estimation_figure is not None:
            ev.estimation_figure.close()
        r = ev.result
        ok = r is not None and ev.verdict != "te weinig leerlingen" and int(r.n_treatment) >= min_n
        lo, hi = (float(r.headline_ci[0]), float(r.headline_ci[1])) if ok else (None, None)
        rows.append(
            {
                "soort": intervention_kind(iv.name),
                "naam": str(iv.name),
                "vak": subject_name(iv.subject) if pd.notna(iv.subject) else None,
                "ontwerp": r.design_nl if r is not None else "geen vergelijking",
                "n_interventie": int(r.n_treatment) if r is not None else None,
                "n_vergelijking": int(r.n_control) if r is not None and r.n_control else None,
                "oordeel": ev.verdict,
                "effectgrootte_sd": round(float(r.headline), 4) if ok else None,
                "bi_onder": round(lo, 4) if ok else None,
                "bi_boven": round(hi, 4) if ok else None,
                "se": round(se_from_ci(lo, hi), 4) if ok else None,
            }
        )
    return rows


def school_summary(
    school: str,
    *,
    doorstroom: pd.DataFrame | None = None,
    ds=None,
    schoolweging=None,
    signaleringswaarde=None,
    min_n: int = MIN_N,
    n_boot: int = 1000,
) -> dict:
    """The aggregate of one school (see the module docstring); ``ds`` the LVS Dataset, ``doorstroom`` its toets results."""
    from plgdata.reporting.indicator import indicator_results, one_school

    out: dict = {"formaat": FORMAT, "versie": VERSION, "school": school, "gemaakt": dt.date.today().isoformat(), "min_n": min_n}
    try:
        results, notes = indicator_results(doorstroom, ds)
        results = one_school(results, None)  # a file with several schools: not one school's summary
        res = inspection_indicator(results, schoolweging=schoolweging, signaleringswaarde_2f1s=signaleringswaarde)
        out["indicator"] = _indicator_part(res, min_n)
        out["indicator"]["opmerkingen"] += notes
    except ValueError as exc:
        out["indicator"] = None
        out["indicator_reden"] = getattr(exc, "message", "geen referentieniveaus")
    out["trend"] = _trend_part(ds, min_n) if ds is not None else []
    out["interventies"] = _intervention_part(ds, min_n, n_boot) if ds is not None and len(ds.interventions) else []
    return out


def write_summary(summary: dict, path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(p.suffix + ".tmp")
    tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(p)
    return p


def read_summary(path: str | Path) -> dict:
    """A summary file; raises :class:`SummaryError` (Dutch) for anything else."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise SummaryError(f"'{p.name}' is geen samenvatting van plgdata (maak die met 'plgdata samenvatting').") from None
    if not isinstance(data, dict) or data.get("formaat") != FORMAT:
        raise SummaryError(f"'{p.name}' is geen samenvatting van plgdata (maak die met 'plgdata samenvatting').")
    return data
