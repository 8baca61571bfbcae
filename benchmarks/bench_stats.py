"""Benchmark: the statistics on a bestuur-sized (1M rows) or national (11M rows) scores table.

The table comes from :func:`bestuur.generate_bestuur_scores` (beside this script) (canonical
``scores``, 40 schools, 11 school years).  Timed (wall clock, after imports and
after generating the table):

* growth and trends (``plgdata.analysis.growth`` / ``plgdata.analysis.trends``) — section marked
  below, filled in by the growth/trends owner;
* three comparisons with :func:`plgdata.analysis.compare.compare`, 2,000 bootstrap
  resamples each:

  1. cohort comparison for the whole bestuur (spelling M6, 2025-2026 vs the
     three earlier years), built with :func:`plgdata.analysis.frames.cohort_frame`;
  2. pre/post with a comparison group for the whole bestuur (begrijpend lezen
     M6 → E6 in 2024-2025: ten schools vs the other thirty; ANCOVA + gain scores);
  3. one school's RT-group (the lowest quarter of groep 4 on rekenen M4 in
     2025-2026) against the rest of its groep, selected on the pretest, plus the
     one-group regression-to-the-mean estimate for the same pupils.

Targets for the whole (growth, trends, three comparisons): <= 2.5 s at 1,000,000
rows; <= 30 s and a peak memory (``ru_maxrss`` of the process, table generation
included) <= 4 GiB at 11,000,000 rows (national scale: ~1.4M pupils × 4 subjects ×
2 moments).  As a machine-independent yardstick the run also times a baseline — one
pandas ``groupby(...).mean()`` of the score per school, year, groep and subject on
the same table — and prints the ratio.

Usage: ``python benchmarks/bench_stats.py [--rows N] [--boot 2000]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

#: (rows up to, seconds) — the target for the whole run
TARGETS = ((1_000_000, 2.5), (11_000_000, 30.0))
MAX_PEAK_BYTES = 4 * 2**30


def _target(rows: int) -> float:
    for limit, seconds in TARGETS:
        if rows <= limit:
            return seconds
    return TARGETS[-1][1] * rows / TARGETS[-1][0]


def _baseline(scores: pd.DataFrame) -> float:
    t = time.perf_counter()
    scores.groupby(["school", "school_year", "groep", "subject"], observed=True)["score"].mean()
    return time.perf_counter() - t


def _peak_bytes() -> int:
    import resource
    import sys

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)


def _wide(scores: pd.DataFrame, subject: str, year: str, pre: str, post: str) -> pd.DataFrame:
    """One row per pupil with ``pre`` and ``post`` scores (same subject, scale, school year)."""
    s = scores[
        (scores["subject"] == subject)
        & (scores["school_year"] == year)
        & scores["moment"].isin([pre, post])
        & scores["score"].notna()
    ]
    s = s[s["scale"] == s["scale"].mode().iloc[0]]
    w = s.pivot_table(index=["pupil_id", "school"], columns="moment", values="score", aggfunc="last", observed=True)
    w = w.reset_index().rename(columns={pre: "pre", post: "post"}).dropna(subset=["pre", "post"])
    w["school"] = w["school"].astype(str)
    return w


def bench_growth_trends(scores: pd.DataFrame) -> dict[str, float]:
    """Growth and trends timings on the whole bestuur table."""
    import warnings

    from plgdata.analysis import growth, levels, trends

    out: dict[str, float] = {}

    def timed(name, fn):
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = fn()
        out[name] = time.perf_counter() - t
        return value

    g = timed(
        "groei per leerling (begrijpend lezen M->E, alle jaren)",
        lambda: growth.pupil_growth(scores, "begrijpend lezen", "M", "E"),
    )
    timed("groei per school, jaar en groep", lambda: growth.group_growth(g, by=("school", "school_year", "groep")))
    timed("groei t.o.v. landelijke norm (percentielen)", lambda: growth.percentile_growth(g, by=("school", "groep")))
    timed(
        "verwachte groei uit eigen eerdere cohorten",
        lambda: growth.cohort_expected_growth(scores, "spelling", "M", "E", "2025-2026"),
    )
    timed("trend dwarsdoorsnede (spelling, alle groepen)", lambda: trends.trend_cross_section(scores, "spelling"))
    timed("trend cohort (spelling vanaf groep 4)", lambda: trends.trend_cohort(scores, "spelling", "2022-2023", 4))
    timed(
        "niveauverdeling per school, jaar en groep",
        lambda: levels.level_distribution(scores, by=("school", "school_year", "groep")),
    )
    return out


def bench_comparisons(scores: pd.DataFrame, n_boot: int = 2000) -> dict[str, float]:
    from plgdata.analysis.compare import compare
    from plgdata.analysis.frames import NEW, OLD, cohort_frame
    from plgdata.model.dataset import Dataset

    times: dict[str, float] = {}

    # 1. cohort comparison, whole bestuur
    t0 = time.perf_counter()
    frame, info = cohort_frame(Dataset(scores=scores), "spelling", 6, "M", "2025-2026", ["2022-2023", "2023-2024", "2024-2025"])
    r1 = compare(frame, "score", "cohort", NEW, OLD, n_boot=n_boot)
    times[f"1 cohort bestuur (n = {r1.n_treatment} / {r1.n_control}, {r1.bootstrap_method})"] = time.perf_counter() - t0

    # 2. pre/post with comparison group, whole bestuur
    t0 = time.perf_counter()
    w = _wide(scores, "begrijpend lezen", "2024-2025", "M6", "E6")
    schools = sorted(w["school"].unique())
    w["group"] = np.where(w["school"].isin(schools[:10]), "interventie", "vergelijking")
    r2 = compare(w, "post", "group", "interventie", "vergelijking", pre="pre", n_boot=n_boot)
    times[f"2 voor/na bestuur (n = {r2.n_treatment} / {r2.n_control}, {r2.bootstrap_method})"] = time.perf_counter() - t0

    # 3. one school's RT-group, selected on the pretest, and its one-group RTM estimate
    t0 = time.perf_counter()
    w = _wide(scores, "rekenen-wiskunde", "2025-2026", "M4", "E4")
    school = w["school"].value_counts().index[0]
    w = w[w["school"] == school].copy()
    cut = w["pre"].quantile(0.25)
    w["group"] = np.where(w["pre"] <= cut, "RT", "rest")
    r3 = compare(w, "post", "group", "RT", "rest", pre="pre", selection_on_pretest=True, n_boot=n_boot)
    r3b = compare(w, "post", "group", "RT", None, pre="pre", selection_on_pretest=True, reliability=0.85, n_boot=n_boot)
    times[f"3 RT-groep één school (n = {r3.n_treatment} / {r3.n_control}) + regressie naar het gemiddelde"] = (
        time.perf_counter() - t0
    )
    assert r3b.design == "one_group"
    return times


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--boot", type=int, default=2000)
    args = ap.parse_args(argv)

    import statsmodels.api  # noqa: F401
    from bestuur import generate_bestuur_scores

    import plgdata.analysis.compare  # noqa: F401  imports are not part of the timing

    t0 = time.perf_counter()
    scores = generate_bestuur_scores(args.rows, seed=1)
    gen = time.perf_counter() - t0
    print(f"scores-tabel gemaakt: {len(scores):,} rijen in {gen:.1f} s (telt niet mee)".replace(",", "."))

    base = _baseline(scores)
    times: dict[str, float] = {}
    times.update(bench_growth_trends(scores))
    times.update(bench_comparisons(scores, args.boot))
    total = sum(times.values())
    width = max(len(k) for k in times)
    for name, sec in times.items():
        print(f"  {name:<{width}}  {sec:6.2f} s")
    target = _target(args.rows)
    peak = _peak_bytes()
    verdict = "binnen" if total <= target else "BOVEN"
    print(f"totaal: {total:.2f} s ({verdict} het doel van {target:g} s)".replace(".", ","))
    print(
        f"basislijn (pandas groupby-gemiddelde): {base:.3f} s; verhouding totaal/basislijn: {total / base:.0f}".replace(".", ",")
    )
    mem = "binnen" if peak <= MAX_PEAK_BYTES else "BOVEN"
    print(f"piekgeheugen: {peak / 2**30:.2f} GiB ({mem} het doel van 4 GiB)".replace(".", ","))
    times["total"] = total
    times["baseline"] = base
    times["peak_bytes"] = float(peak)
    return times


if __name__ == "__main__":
    main()
