"""Choosing the three *casusleerlingen* of a Lesson Study from the data.

A Lesson Study follows three case pupils who stand for the range of a class: one at
niveau I–II, one at III and one at IV–V on the latest test of the leerteam's focus
subject.  :func:`pick_case_pupils` chooses them from the canonical scores table, by
pseudonym; the class teacher sees the names locally through the key file
(:func:`plgdata.io.pseudonyms.lookup`), never in a record or report.
"""

from __future__ import annotations

import pandas as pd

from plgdata.analysis.frames import latest_per_pupil
from plgdata.analysis.levels import level_info
from plgdata.io.norms import normalise_subject
from plgdata.model.errors import PlgdataError
from plgdata.model.labels import SUBJECT_LABELS

#: the default bands: (label, main levels) from high to low
CASE_BANDS: tuple[tuple[str, tuple[str, ...]], ...] = (("I–II", ("I", "II")), ("III", ("III",)), ("IV–V", ("IV", "V")))


class CasePupilError(PlgdataError, ValueError):
    """No case pupil can be chosen; the message is Dutch and names no pupil."""


def latest_class_test(scores: pd.DataFrame, klas: str, subject: str) -> pd.DataFrame:
    """The rows of the latest test of ``subject`` in class ``klas``.

    Latest: the school year and period (B/M/E) of the most recent result; within it the
    moment most pupils sat (the class's own test: a pupil who sat a test of another
    level is measured against another norm group and is left out).
    """
    subj = normalise_subject(subject) or str(subject)
    sel = scores[
        (scores["class_name"].astype("string") == str(klas)).fillna(False)
        & (scores["subject"].astype("string") == subj).fillna(False)
    ]
    sel = sel[sel["level"].notna()]
    if sel.empty:
        label = SUBJECT_LABELS.get(subj, subj).lower()
        raise CasePupilError(
            f"Klas {klas} heeft geen toetsresultaten met een niveau voor {label}; kies een andere klas of een ander vak."
        )
    last = sel.sort_values("date", kind="stable").iloc[-1]
    same = (sel["school_year"].astype("string") == str(last["school_year"])) & (
        sel["period"].astype("string") == str(last["period"])
    )
    sel = sel[same.fillna(False)]
    moment = sel["moment"].astype("string").value_counts().index[0]
    return sel[(sel["moment"].astype("string") == moment).fillna(False)]


def pick_case_pupils(data, klas: str, subject: str, bands=CASE_BANDS) -> pd.DataFrame:
    """Three case pupils of class ``klas``: one per level band on the latest test of ``subject``.

    Parameters
    ----------
    data : Dataset or DataFrame
        The canonical scores table (or a Dataset holding it).
    klas : str
        The class (``"5A"``).
    subject : str
        The leerteam's focus subject (``"rekenen-wiskunde"``).
    bands : sequence of (label, levels)
        Default niveau I–II, III and IV–V (split levels I+ and V- count as I and V).

    Returns
    -------
    DataFrame
        One row per band: ``code`` (A, B, C), ``pupil_id`` (pseudonym), ``niveau`` (the
        band), ``level`` (the pupil's own level), ``moment``, ``school_year``, ``score``
        and ``reden`` (Dutch).  Within a band the pupil whose score lies closest to the
        band's median is chosen: a typical pupil of that band, not an extreme one (ties:
        the lower pseudonym, so the choice is reproducible).

    Raises
    ------
    CasePupilError
        When the class has no pupil at a band, naming the band, the class and the test.
    """
    scores = getattr(data, "scores", data)
    test = latest_per_pupil(latest_class_test(scores, klas, subject))
    levels = level_info(test["level"].astype("string").astype("category"))["level_main"]
    test = test.assign(_main=levels.to_numpy())
    year, moment = str(test["school_year"].iloc[0]), str(test["moment"].iloc[0])
    label = SUBJECT_LABELS.get(str(test["subject"].iloc[0]), subject).lower()
    rows = []
    for code, (band, members) in zip("ABCDEFG", bands):
        part = test[test["_main"].isin(members)]
        if part.empty:
            raise CasePupilError(
                f"Klas {klas} heeft op de laatste toets {label} ({moment} {year}) geen leerling op niveau {band}; "
                "kies een andere klas, een eerdere toets of een ander niveau voor deze casusleerling."
            )
        dist = (part["score"] - part["score"].median()).abs()
        part = part.assign(_d=dist.fillna(float("inf")), _p=part["pupil_id"].astype(str)).sort_values(["_d", "_p"], kind="stable")
        r = part.iloc[0]
        rows.append(
            {
                "code": code,
                "pupil_id": str(r["pupil_id"]),
                "niveau": band,
                "level": str(r["level"]),
                "moment": moment,
                "school_year": year,
                "score": float(r["score"]) if pd.notna(r["score"]) else None,
                "reden": f"niveau {r['level']} op {label} {moment} {year} (typisch voor niveau {band} in klas {klas})",
            }
        )
    return pd.DataFrame(rows, columns=["code", "pupil_id", "niveau", "level", "moment", "school_year", "score", "reden"])


def with_names(cases: pd.DataFrame, key_file=None) -> pd.DataFrame:
    """The case pupils with their names from the **local** key file.

    No notebook or app page shows this (every page may be on a projector; CONTRIBUTING, "No page
    shows a pupil's name"): the IB'er looks a case pupil up with ``plgdata zoek``.  Never put the
    result in a record, report, page or file: names exist only in the key file
    (:func:`plgdata.io.pseudonyms.lookup`).  A pseudonym the key file does not know gets ``"(onbekend)"``.
    """
    from plgdata.io.pseudonyms import lookup

    names = [(lookup(str(p), key_file) or {}).get("naam") or "(onbekend)" for p in cases["pupil_id"]]
    return cases[["code", "niveau"]].assign(naam=names)
