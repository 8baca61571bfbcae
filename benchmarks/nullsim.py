"""Null simulations: schools where the intervention does nothing, run through ``evaluate_intervention``.

Two kinds of school, both as canonical :class:`~plgdata.model.dataset.Dataset` tables so the
simulation goes through the same entry point as a team's data:

* :func:`class_dataset` — one groep 6 with ``k`` classes that get the intervention and ``k``
  parallel classes that do not; M6 before, E6 after.  Each class has its own effect on the
  posttest (a teacher), drawn with intra-class correlation ``icc`` (share of the posttest
  variance), and classes also differ a little on the pretest.
* :func:`cohort_dataset` — groepen 3–8, two classes each, four school years; a school-wide
  approach from the third year on; every groep × school year has its own effect with
  variance ``icc``.

:func:`null_rates` counts how often the verdict is 'positief' or 'negatief' and how often the
95% interval of the headline covers the true value 0.  Used by ``bench_null.py`` (printed
figures) and, small and seeded, by ``tests/test_null_simulation.py``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from plgdata.analysis.evaluation import evaluate_intervention
from plgdata.model import schema
from plgdata.model.dataset import Dataset

SUBJECT = "begrijpend lezen"
SCALE = "Cito 3.0"
#: correlation of pretest and posttest within a class
R_PRE_POST = 0.8


def _score_rows(pupils, scores, groep, classes, year, moment, date) -> list[dict]:
    return [
        {
            "pupil_id": p,
            "school": "Nulschool",
            "school_year": year,
            "groep": groep,
            "class_name": c,
            "subject": SUBJECT,
            "test_name": f"Begrijpend lezen {moment}",
            "scale": SCALE,
            "moment": moment,
            "period": moment[0],
            "test_level": int(moment[1:]),
            "date": date,
            "score": float(round(s, 1)),
            "source_file": "nul.csv",
            "source_row": 1,
        }
        for p, c, s in zip(pupils, classes, scores)
    ]


def _dataset(rows: list[dict], iid: str, start: str, end: str | None, participants, groepen: str) -> Dataset:
    scores = schema.coerce(pd.DataFrame(rows), schema.SCORE_COLUMNS, schema.SCORE_DTYPES)
    interventions = schema.coerce(
        pd.DataFrame(
            [
                {
                    "intervention_id": iid,
                    "name": "Nulinterventie",
                    "subject": SUBJECT,
                    "groepen": groepen,
                    "start": start,
                    "end": end,
                    "minutes_per_week": 60,
                }
            ]
        ),
        schema.INTERVENTION_COLUMNS,
        schema.INTERVENTION_DTYPES,
    )
    part = pd.DataFrame({"pupil_id": sorted(participants), "intervention_id": iid})
    participation = schema.coerce(part, schema.PARTICIPATION_COLUMNS, schema.PARTICIPATION_DTYPES)
    return Dataset(scores=scores, interventions=interventions, participation=participation)


def class_dataset(
    k: int, icc: float, rng: np.random.Generator, n: int = 24, effect: float = 0.0, pre_icc: float = 0.05, groepen=(6,)
) -> Dataset:
    """Per groep ``k`` intervention classes and ``k`` parallel classes (``effect`` in SD on the E-test).

    Classes differ on the pretest with intra-class correlation ``pre_icc``.
    """
    rows, treated = [], set()
    for g in groepen:
        for c in range(2 * k):
            name = f"{g}{chr(ord('A') + c)}"
            ids = [f"L-{g}{c:02d}{i:03d}" for i in range(n)]
            pre = rng.normal(rng.normal(0, math.sqrt(pre_icc)), 1, n)
            noise = rng.normal(0, math.sqrt(1 - R_PRE_POST**2 - icc), n)
            post = R_PRE_POST * pre + noise + rng.normal(0, math.sqrt(icc)) + (effect if c < k else 0.0)
            rows += _score_rows(ids, 150 + 10 * g + 15 * pre, g, [name] * n, "2025-2026", f"M{g}", "2026-01-20")
            rows += _score_rows(ids, 170 + 10 * g + 15 * post, g, [name] * n, "2025-2026", f"E{g}", "2026-06-10")
            if c < k:
                treated.update(ids)
    return _dataset(rows, "INT-NUL", "2026-02-01", "2026-06-01", treated, ", ".join(map(str, groepen)))


def cohort_dataset(icc: float, rng: np.random.Generator, n: int = 25, effect: float = 0.0) -> Dataset:
    """Groepen 3–8, two classes of ``n``, 2022-2023 … 2025-2026; school-wide from 2024-2025.

    One result per pupil a year (E3–E7, M8); a pupil keeps a stable ability (r = 0.8
    between years); every groep × school year has its own shift with variance ``icc``.
    """
    years = ["2022-2023", "2023-2024", "2024-2025", "2025-2026"]
    ability: dict[str, float] = {}
    rows, part = [], set()
    for y, year in enumerate(years):
        for groep in range(3, 9):
            shift = rng.normal(0, math.sqrt(icc)) + (effect if y >= 2 else 0.0)
            cohort = y - groep  # pupils of one cohort move up a groep each year
            moment = f"M{groep}" if groep == 8 else f"E{groep}"
            date = f"{2023 + y}-{'01-25' if groep == 8 else '06-05'}"
            for klas in "AB":
                ids = [f"L-{cohort + 10}{klas}{i:03d}" for i in range(n)]
                z = []
                for p in ids:
                    ability[p] = (
                        R_PRE_POST * ability[p] + math.sqrt(1 - R_PRE_POST**2) * rng.normal() if p in ability else rng.normal()
                    )
                    z.append(ability[p])
                z = np.asarray(z) * math.sqrt(1 - icc) + shift
                rows += _score_rows(ids, 100 + 20 * groep + 15 * z, groep, [f"{groep}{klas}"] * n, year, moment, date)
                if y >= 2:
                    part.update(ids)
    return _dataset(rows, "INT-NUL-SCHOOL", "2024-09-02", None, part, "3 t/m 8")


def null_rates(design: str, icc: float, n_sims: int, seed: int, effect: float = 0.0) -> dict:
    """Run ``n_sims`` data sets of ``design`` (``"1v1"``, ``"2v2"``, ``"3v3"``, ``"cohort"``) through
    :func:`~plgdata.analysis.evaluation.evaluate_intervention`.

    Returns the share 'positief', 'negatief', the coverage of the true value ``effect`` by
    the headline's 95% interval (among data sets with an interval) and the verdict counts.
    """
    rng = np.random.default_rng([seed, int(icc * 1000), len(design)])
    verdicts: dict[str, int] = {}
    covered = with_ci = 0
    for _ in range(n_sims):
        ds = (
            cohort_dataset(icc, rng, effect=effect)
            if design == "cohort"
            else class_dataset(int(design[0]), icc, rng, effect=effect)
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ev = evaluate_intervention(ds, "INT-NUL-SCHOOL" if design == "cohort" else "INT-NUL")
        verdicts[ev.verdict] = verdicts.get(ev.verdict, 0) + 1
        if ev.result is not None and all(np.isfinite(ev.result.headline_ci)):
            lo, hi = ev.result.headline_ci
            with_ci += 1
            covered += lo <= effect <= hi
    return {
        "design": design,
        "icc": icc,
        "n": n_sims,
        "positief": verdicts.get("positief", 0) / n_sims,
        "negatief": verdicts.get("negatief", 0) / n_sims,
        "coverage": covered / with_ci if with_ci else float("nan"),
        "with_ci": with_ci,
        "verdicts": verdicts,
    }
