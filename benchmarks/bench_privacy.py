"""Benchmark: privacycheck of one report against a key with 30,000 pupils.

Builds a synthetic look-up (30,000 numbers and names) and a report-sized HTML text
(2,000 table rows and a 500 KB embedded plot), then times :func:`plgdata.reporting.privacy.check_html` best of 3, against the
baseline of parsing the same HTML without any names (same run).  Target: <= 1 s.

Usage: ``python benchmarks/bench_privacy.py [--pupils 30000]``
"""

from __future__ import annotations

import argparse
import random
import time

TARGET_SECONDS = 1.0


def main(argv: list[str] | None = None) -> dict:
    from plgdata.reporting.privacy import Identities, check_html

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pupils", type=int, default=30_000)
    args = ap.parse_args(argv)
    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    numbers = {str(rng.randrange(100_000, 999_999_999)) for _ in range(args.pupils)}
    names = {
        f"{''.join(rng.choices(letters, k=6)).title()} {''.join(rng.choices(letters, k=9)).title()}" for _ in range(args.pupils)
    }
    rows = "".join(
        f"<tr><td>L-{rng.getrandbits(40):010x}</td><td>{rng.randrange(100, 300)}</td><td>niveau III</td></tr>"
        for _ in range(2_000)
    )
    html = f"<html><body><p>Kernboodschap van de groep</p><table>{rows}</table><img alt='figuur' src='data:image/png;base64,{'A' * 500_000}'></body></html>"

    def best(fn) -> float:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    base = best(lambda: check_html(html))
    ids = Identities.from_key(numbers, names)
    full = best(lambda: check_html(html, identities=ids))
    prep = best(lambda: Identities.from_key(numbers, names))
    print(f"rapport: {len(html) / 1e6:.1f} MB; sleutel: {len(numbers)} nummers, {len(names)} namen")
    print(
        f"zonder namen: {base:.2f} s; met namen en nummers: {full:.2f} s (x{full / base:.2f}); sleutel voorbereiden: {prep:.2f} s"
    )
    verdict = "PASS" if full + prep <= TARGET_SECONDS else "FAIL"
    print(f"{verdict}: {full + prep:.2f} s per rapport (doel <= {TARGET_SECONDS:.0f} s)")
    return {"baseline": base, "check": full, "prepare": prep}


if __name__ == "__main__":
    main()
