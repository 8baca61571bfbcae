"""Benchmark: a school's 40 XLSX exports read with plgdata vs. plain pandas with calamine.

Two sample schools (:func:`plgdata.sample.school.generate_sample_school`, seeds 2026 and 2027)
give 19 Cito exports and one IEP workbook each; the Cito CSV files are saved as Excel workbooks
(title row, header, data and summary rows as they are), so the folder ``benchmarks/out/xlsx/``
holds 40 XLSX files.  Timed best of 3, interleaved in one process:

* baseline: ``pandas.read_excel(path, sheet_name=None, engine="calamine")`` for every file;
* plgdata: :func:`plgdata.read_scores` on the folder (read, recognise, clean, pseudonymise,
  remove duplicates, validate).

Target: plgdata <= 3 x baseline.

Usage: ``python benchmarks/bench_xlsx.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "xlsx"
MAX_RATIO = 3.0


def _csv_to_xlsx(src: Path, dest: Path) -> None:
    from openpyxl import Workbook

    from plgdata.io.sniff import decode_text

    text, _, _ = decode_text(src.read_bytes())
    first = next((ln for ln in text.splitlines()[1:] if ln.strip()), "")
    delim = max(";,\t", key=first.count)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Export")
    for row in csv.reader(text.splitlines(), delimiter=delim):
        ws.append(row)
    wb.save(dest)


def make_files() -> list[Path]:
    """The 40 XLSX exports (made once)."""
    from plgdata.sample.school import generate_sample_school

    files = sorted(OUT.glob("*.xlsx"))
    if len(files) >= 40:
        return files[:40]
    OUT.mkdir(parents=True, exist_ok=True)
    for seed in (2026, 2027):
        with tempfile.TemporaryDirectory() as tmp:
            generate_sample_school(tmp, seed=seed)
            for src in sorted(Path(tmp).glob("cito_*.csv")):
                _csv_to_xlsx(src, OUT / f"{seed}_{src.stem}.xlsx")
            for src in sorted(Path(tmp).glob("*.xlsx")):
                if src.name.lower().startswith("iep"):
                    (OUT / f"{seed}_{src.name}").write_bytes(src.read_bytes())
    return sorted(OUT.glob("*.xlsx"))[:40]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    import pandas as pd

    import plgdata

    files = make_files()
    base, ours, n = [], [], 0
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        t0 = time.perf_counter()
        for p in files:
            pd.read_excel(p, sheet_name=None, engine="calamine")
        base.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ds = plgdata.read_scores(files, secret=b"benchmark-key-0123456789abcdef!!")
        ours.append(time.perf_counter() - t0)
        n = len(ds.scores)
    b, o = min(base), min(ours)
    result = {
        "files": len(files),
        "baseline_s": round(b, 3),
        "plgdata_s": round(o, 3),
        "ratio": round(o / b, 2),
        "rows_loaded": n,
        "pass": o / b <= MAX_RATIO,
    }
    print(
        f"{len(files)} XLSX-exports ({sum(p.stat().st_size for p in files) / 1e6:.1f} MB); "
        f"belasting van de machine {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen"
    )
    print(f"pandas.read_excel (calamine): {b:.2f} s (beste van {args.repeat})")
    print(f"plgdata.read_scores:          {o:.2f} s (beste van {args.repeat}), {n} resultaten")
    print(f"verhouding: {o / b:.2f}x (doel <= 3x): {'PASS' if result['pass'] else 'FAIL'}")
    return result


if __name__ == "__main__":
    main()
