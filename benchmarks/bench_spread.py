"""Benchmark: reading one row per field (``Soort``/``Waarde``) against the same results in one row each.

Writes the same results twice into ``benchmarks/out/`` — long (one row per result with a score
and a level column) and one row per field (a ``Vaardigheidsscore`` row and a ``Niveau`` row per
result, twice the rows) — and times :func:`plgdata.read_scores` on both, best of ``--repeat``, in
the same run.  The folding (:mod:`plgdata.io.scores.spread`) is what the second file costs more
than twice the rows' parsing.  Both must give the same scores.

Usage: ``python benchmarks/bench_spread.py [--results 500000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "out"
KEY = b"benchmark-key-0123456789abcdef!!"
TESTS = ("Rekenen-Wiskunde 3.0", "Begrijpend lezen 3.0", "Spelling 3.0")
LEVELS = ("I", "II", "III", "IV", "V")


def write(n: int) -> tuple[Path, Path]:
    """The two files for ``n`` results (made once per size)."""
    OUT.mkdir(exist_ok=True)
    long, per_field = OUT / f"spread_long_{n}.csv", OUT / f"spread_per_field_{n}.csv"
    if long.exists() and per_field.exists():
        return long, per_field
    rng = np.random.default_rng(18)
    pupil = np.arange(n) // len(TESTS) + 100_000
    test = np.arange(n) % len(TESTS)
    score = rng.integers(150, 350, n)
    level = rng.integers(0, 5, n)
    day = rng.integers(13, 31, n)
    with open(long, "w", encoding="utf-8") as a, open(per_field, "w", encoding="utf-8") as b:
        a.write("Leerlingnummer;Groep;Klas;Toets;Toetsmoment;Afnamedatum;Vaardigheidsscore;Niveau\n")
        b.write("Leerlingnummer;Groep;Klas;Toets;Toetsmoment;Afnamedatum;Soort;Waarde\n")
        for p, t, s, lv, d in zip(pupil.tolist(), test.tolist(), score.tolist(), level.tolist(), day.tolist()):
            key = f"{p};6;6A;{TESTS[t]};M6;{d}-01-2025"
            a.write(f"{key};{s};{LEVELS[lv]}\n")
            b.write(f"{key};Vaardigheidsscore;{s}\n{key};Niveau;{LEVELS[lv]}\n")
    return long, per_field


def best(path: Path, repeat: int) -> tuple[float, object]:
    from plgdata.io.scores import read_scores

    times, ds = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        ds = read_scores(path, secret=KEY)
        times.append(time.perf_counter() - t0)
    return min(times), ds


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=int, default=500_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    long, per_field = write(args.results)
    t_long, a = best(long, args.repeat)
    t_field, b = best(per_field, args.repeat)
    cols = ["pupil_id", "subject", "score", "level", "date"]
    same = (
        a.scores[cols]
        .sort_values(cols[:2])
        .reset_index(drop=True)
        .equals(b.scores[cols].sort_values(cols[:2]).reset_index(drop=True))
    )
    load = os.getloadavg()[0]
    print(f"belasting van de machine (1 min): {load:.1f} op {os.cpu_count()} kernen")
    print(f"lang, een regel per resultaat ({args.results} regels):    {t_long:.2f} s (beste van {args.repeat})")
    print(f"een regel per gegeven ({2 * args.results} regels, samengevoegd): {t_field:.2f} s (beste van {args.repeat})")
    print(f"verhouding: {t_field / t_long:.2f}x (twee keer zoveel regels); zelfde scores: {'ja' if same else 'NEE'}")
    return {"long": t_long, "per_field": t_field, "same": same}


if __name__ == "__main__":
    main()
