"""The one decision policy: when plgdata may give a verdict, and which words it uses.

:func:`plgdata.analysis.compare.compare` (the verdict on an intervention) and the
hypothesis tests of :mod:`plgdata.analysis.hypotheses` both read their rules here, so
"too few pupils", "the interval excludes 0" and the size words mean the same thing
everywhere.

Rules
-----
* **Minimum group size** — a group under :data:`MIN_N` pupils gets no verdict
  (Cito calls group reports under 10 unreliable; 5 is the floor below which even a
  description identifies pupils).  :func:`too_few`.
* **Assigned unit** — when whole classes (or whole groepen per school year) were
  assigned, each arm needs at least :data:`MIN_CLUSTERS_PER_ARM` units: one class
  against one class cannot separate the teacher from the intervention.
* **Interval rule** — an estimate "excludes 0" only when *every* interval that was
  computed for it (analytic and, where run, the seeded bootstrap) lies on the same
  side of 0.  :func:`ci_side`.
* **Size words** — Kraft (2020): below :data:`KRAFT_MEDIUM` *klein*, up to
  :data:`KRAFT_LARGE` *middelgroot*, from there *groot*.
* **Baseline equivalence** — What Works Clearinghouse: |g| ≤ :data:`WWC_EQUIVALENT`
  equivalent, ≤ :data:`WWC_ADJUSTABLE` only with adjustment, above that not comparable.
* **Uninformative null** — a minimum detectable effect above
  :data:`MDE_UNINFORMATIVE` SD makes "no effect found" misleading.

References
----------
Kraft, M. A. (2020). Interpreting effect sizes of education interventions.
*Educational Researcher*, 49(4), 241–253.
What Works Clearinghouse (2022). *Procedures and Standards Handbook*, version 5.0.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from plgdata.model.vocabulary import MIN_N

__all__ = [
    "ALPHA",
    "KRAFT_LARGE",
    "KRAFT_MEDIUM",
    "MDE_UNINFORMATIVE",
    "MIN_CLUSTERS_PER_ARM",
    "MIN_N",
    "WWC_ADJUSTABLE",
    "WWC_EQUIVALENT",
    "ci_side",
    "too_few",
]

#: 1 − confidence level of every interval
ALPHA = 0.05
#: Kraft (2020): |effect| below this is "klein"
KRAFT_MEDIUM = 0.05
#: Kraft (2020): |effect| from this on is "groot" (between the two: "middelgroot")
KRAFT_LARGE = 0.20
#: WWC: |baseline g| up to this is equivalent
WWC_EQUIVALENT = 0.05
#: WWC: |baseline g| up to this needs statistical adjustment; above it the groups are not comparable
WWC_ADJUSTABLE = 0.25
#: a minimum detectable effect above this (SD) makes a null result uninformative
MDE_UNINFORMATIVE = 0.8
#: assigned units (classes, groep × school year) per arm below which no effect can be separated from the unit
MIN_CLUSTERS_PER_ARM = 2


def too_few(*sizes: int, min_n: int = MIN_N) -> bool:
    """True when any group is smaller than ``min_n`` (no verdict then).

    Examples
    --------
    >>> too_few(3, 3), too_few(5, 12), too_few(4, 30, min_n=4)
    (True, False, False)
    """
    return any(int(n) < int(min_n) for n in sizes)


def ci_side(intervals: Iterable[tuple[float, float]]) -> int | None:
    """Which side of 0 every interval lies on: ``1`` above, ``-1`` below, ``0`` when one contains 0.

    ``None`` when an interval is missing (not finite): then no verdict is possible.

    Examples
    --------
    >>> ci_side([(0.1, 0.5), (0.05, 0.6)]), ci_side([(0.1, 0.5), (-0.01, 0.6)]), ci_side([(-0.4, -0.1)])
    (1, 0, -1)
    >>> ci_side([(0.1, float("nan"))]) is None
    True
    """
    ivs = [tuple(map(float, iv)) for iv in intervals]
    if not ivs or not all(np.isfinite(v) for iv in ivs for v in iv):
        return None
    if all(lo > 0 for lo, _ in ivs):
        return 1
    if all(hi < 0 for _, hi in ivs):
        return -1
    return 0
