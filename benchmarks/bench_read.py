"""Benchmark: reading a 1,000,000-row Cito-dialect export with plgdata vs. plain pandas.

The file (cp1252, ``;``, decimal comma, a title row, summary rows) is generated once
into ``benchmarks/out/`` with :func:`bestuur.write_bestuur_export` (beside this script).  Both the
baseline ``pandas.read_csv(path, engine="pyarrow", sep=";", encoding="cp1252",
skiprows=2)`` and :func:`plgdata.read_scores` (read, clean, pseudonymise, remove
duplicates, validate) are timed best of 3 in the same run, each in a fresh
subprocess so the peak memory (``VmHWM`` of that process) of each is measured separately.  Before the timed
read each child reads a small file of the same layout (the first rows of the export) once, the
same way: what the first call of a process does once (imports inside pandas and pandera, such as
pandera's check backends, which import ``hypothesis`` when it is installed) is not part of the
timing, for either side.

Target: plgdata <= 1.5 x baseline, peak memory <= 2 GiB; with ``--rows 11000000`` (a whole
board's history) peak memory <= 4 GiB (issue 18): plgdata parses a large text file in batches
(:data:`plgdata.io.scores.text.BATCH_BYTES`) and keeps its columns as dictionary codes.

Usage: ``python benchmarks/bench_read.py [--rows N] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
MAX_RATIO = 1.5
MAX_PEAK_BYTES = 2 * 2**30
#: the peak allowed for a very large file (more than 2M rows)
MAX_PEAK_BYTES_LARGE = 4 * 2**30

_CHILD = r"""
import json, resource, sys, time
which, path, warm = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
if which == "baseline":
    import pandas as pd
    pd.read_csv(warm, engine="pyarrow", sep=";", encoding="cp1252", skiprows=2)  # imports are not part of the timing
    t0 = time.perf_counter()
    df = pd.read_csv(path, engine="pyarrow", sep=";", encoding="cp1252", skiprows=2)
    n = len(df)
else:
    import plgdata.io.scores as r
    r.read_scores(warm, secret=b"benchmark-key-0123456789abcdef!!")  # imports are not part of the timing
    t0 = time.perf_counter()
    ds = r.read_scores(path, secret=b"benchmark-key-0123456789abcdef!!")
    n = len(ds.scores)
    assert ds.report.rows_read == ds.report.rows_loaded + ds.report.rows_set_aside
elapsed = time.perf_counter() - t0
# VmHWM: this process's own peak. ru_maxrss is not: Linux carries it over exec from the forked
# copy of the parent, so right after the parent wrote an 11M-row file it reported the writer's 7.5 GiB.
try:
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "rows": n}))
"""


#: rows of the export the children read before the timed read (see the module docstring)
WARM_ROWS = 200


def warm_up_file(path: Path) -> Path:
    """The first :data:`WARM_ROWS` data rows of ``path`` (with its title and header) as a small file beside it."""
    warm = path.with_name(path.stem + "_warm.csv")
    with open(path, "rb") as src:
        head = b"".join(src.readline() for _ in range(WARM_ROWS + 3))
    warm.write_bytes(head)
    return warm


def run(which: str, path: Path) -> dict:
    warm = warm_up_file(path)
    out = subprocess.run([sys.executable, "-c", _CHILD, which, str(path), str(warm)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from bestuur import write_bestuur_export

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"bestuur_export_{args.rows}.csv"
    if not path.exists():
        write_bestuur_export(path, n_rows=args.rows, seed=2026)
    base, ours = [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        base.append(run("baseline", path))
        ours.append(run("plgdata", path))
    b = min(r["seconds"] for r in base)
    o = min(r["seconds"] for r in ours)
    peak = max(r["peak_bytes"] for r in ours)
    result = {
        "file": str(path),
        "size_mb": round(path.stat().st_size / 1e6, 1),
        "baseline_s": round(b, 3),
        "plgdata_s": round(o, 3),
        "ratio": round(o / b, 2),
        "plgdata_peak_mib": round(peak / 2**20),
        "baseline_peak_mib": round(max(r["peak_bytes"] for r in base) / 2**20),
        "rows_loaded": ours[0]["rows"],
    }
    max_peak = MAX_PEAK_BYTES_LARGE if args.rows > 2_000_000 else MAX_PEAK_BYTES
    result["load"] = round(os.getloadavg()[0], 1)
    print(f"bestand: {path.name} ({result['size_mb']} MB); belasting van de machine {result['load']} op {os.cpu_count()} kernen")
    print(f"pandas.read_csv (pyarrow): {b:.2f} s (beste van {args.repeat})")
    print(f"plgdata.read_scores:       {o:.2f} s (beste van {args.repeat}), {result['rows_loaded']} resultaten")
    print(
        f"verhouding: {o / b:.2f}x (doel <= 1,5x); piekgeheugen plgdata: {result['plgdata_peak_mib']} MiB "
        f"(doel <= {max_peak // 2**20} MiB)"
    )
    ok_ratio = o / b <= MAX_RATIO
    ok_memory = peak <= max_peak
    result["pass"] = ok_ratio and ok_memory
    print(
        f"{'PASS' if result['pass'] else 'FAIL'}: verhouding {'PASS' if ok_ratio else 'FAIL'} (<= 1,5x), "
        f"piekgeheugen {'PASS' if ok_memory else 'FAIL'} (<= {max_peak // 2**30} GiB)"
    )
    return result


if __name__ == "__main__":
    main()
