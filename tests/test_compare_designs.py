"""designs.py: building compare() frames from a tiny hand-made canonical Dataset."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from plgdata.analysis.compare import compare
from plgdata.analysis.frames import CONTROL, NEW, OLD, TREATMENT, cohort_frame, intervention_frame
from plgdata.model import schema
from plgdata.model.dataset import Dataset


def pid(i: int) -> str:
    return "L-" + hashlib.sha256(str(i).encode()).hexdigest()[:10]


def _score(i, year, groep, cls, subject, scale, moment, date, score):
    return {
        "pupil_id": pid(i),
        "school": "De Regenboog",
        "school_year": year,
        "groep": groep,
        "class_name": cls,
        "subject": subject,
        "test_name": f"{subject} {moment}",
        "scale": scale,
        "moment": moment,
        "period": moment[0],
        "test_level": int(moment[1]),
        "date": date,
        "score": float(score),
        "source_file": "export.csv",
        "source_row": 1,
    }


# 20 pupils in groep 4: 4A = pupils 0-9, 4B = pupils 10-19; M4 scores ascending with i
M4 = [100, 104, 106, 108, 110, 115, 118, 120, 122, 125, 101, 112, 116, 119, 121, 123, 126, 128, 130, 133]


def _dataset() -> Dataset:
    rows = []
    rng = np.random.default_rng(3)
    for i, m4 in enumerate(M4):
        cls = "4A" if i < 10 else "4B"
        rows.append(_score(i, "2024-2025", 3, cls.replace("4", "3"), "rekenen-wiskunde", "Cito 3.0", "E3", "2025-06-10", m4 - 20))
        rows.append(_score(i, "2025-2026", 4, cls, "rekenen-wiskunde", "Cito 3.0", "M4", "2026-01-20", m4))
        if i != 19:  # pupil 19 has no E4
            rows.append(
                _score(i, "2025-2026", 4, cls, "rekenen-wiskunde", "Cito 3.0", "E4", "2026-06-15", m4 + 12 + rng.normal(0, 2))
            )
    # a participant also sat an E4 on the old scale: must be ignored
    rows.append(_score(0, "2025-2026", 4, "4A", "rekenen-wiskunde", "Cito 2.0", "E4", "2026-06-10", 55))
    # spelling M4 in three years, 8 pupils each; 2022-2023 on Cito 2.0
    for y, (year, scale, base) in enumerate(
        [
            ("2022-2023", "Cito 2.0", 40),
            ("2023-2024", "Cito 3.0", 140),
            ("2024-2025", "Cito 3.0", 141),
            ("2025-2026", "Cito 3.0", 146),
        ]
    ):
        for k in range(8):
            i = 100 + 10 * y + k
            rows.append(
                _score(i, year, 4, "4A", "spelling", scale, "M4", f"{year[:4]}-01-25".replace(year[:4], year[5:]), base + k)
            )
    # a pupil at groep 4 who took a M3 test: not at own level, excluded
    rows.append(_score(999, "2025-2026", 4, "4B", "spelling", "Cito 3.0", "M3", "2026-01-25", 120))
    scores = schema.coerce(pd.DataFrame(rows), schema.SCORE_COLUMNS, schema.SCORE_DTYPES)
    interventions = schema.coerce(
        pd.DataFrame(
            [
                {
                    "intervention_id": "INT-RW-RT4",
                    "name": "RT-groep rekenen",
                    "subject": "rekenen-wiskunde",
                    "groepen": "4",
                    "start": "2026-02-02",
                    "end": "2026-06-05",
                    "minutes_per_week": 60,
                },
                {
                    "intervention_id": "INT-RW-4A",
                    "name": "Hele klas 4A",
                    "subject": "rekenen-wiskunde",
                    "groepen": "4",
                    "start": "2026-02-02",
                    "end": "2026-06-05",
                    "minutes_per_week": 90,
                },
                {
                    "intervention_id": "INT-RW-LANG",
                    "name": "Tot de zomer",
                    "subject": "rekenen-wiskunde",
                    "groepen": "4",
                    "start": "2026-02-02",
                    "end": "2026-07-10",
                    "minutes_per_week": 30,
                },
            ]
        ),
        schema.INTERVENTION_COLUMNS,
        schema.INTERVENTION_DTYPES,
    )
    rt = [0, 1, 2, 10, 3]  # the five lowest M4 scores (100, 104, 106, 101, 108)
    part = [{"pupil_id": pid(i), "intervention_id": "INT-RW-RT4"} for i in rt]
    part += [{"pupil_id": pid(i), "intervention_id": "INT-RW-4A"} for i in range(10)]
    part += [{"pupil_id": pid(i), "intervention_id": "INT-RW-LANG"} for i in rt]
    participation = schema.coerce(pd.DataFrame(part), schema.PARTICIPATION_COLUMNS, schema.PARTICIPATION_DTYPES)
    ds = Dataset(scores=scores, interventions=interventions, participation=participation)
    return ds.validate()


def test_intervention_frame_rt_group_is_selected_on_pretest():
    ds = _dataset()
    frame, info = intervention_frame(ds, "INT-RW-RT4")
    assert info["pre_moment"] == "M4" and info["pre_school_year"] == "2025-2026"  # last before start, not E3
    assert info["post_moment"] == "E4" and info["scale"] == "Cito 3.0"
    assert info["n_treatment"] == 5 and info["n_control"] == 14  # pupil 19 has no E4
    assert info["n_dropped"] == 1
    assert info["selection_on_pretest"] is True
    assert "RT-groep" in info["selection_reason"]
    assert list(frame.columns) == ["pupil_id", "group", "pre", "post", "school", "groep", "class_name"]
    rt = frame[frame["group"] == TREATMENT].set_index("pupil_id")
    assert rt.loc[pid(0), "pre"] == 100.0
    assert rt.loc[pid(0), "post"] > 100  # the Cito 2.0 E4 (55) was not used
    assert set(frame["group"]) == {TREATMENT, CONTROL}
    assert frame["pupil_id"].str.match(r"^L-[0-9a-f]{10}$").all()
    res = compare(
        frame, "post", "group", TREATMENT, CONTROL, pre="pre", selection_on_pretest=info["selection_on_pretest"], n_boot=200
    )
    assert res.n_treatment == 5 and res.n_control == 14
    assert res.selection_on_pretest


def test_intervention_frame_whole_class_vs_parallel_class():
    ds = _dataset()
    frame, info = intervention_frame(ds, "INT-RW-4A", comparison="parallel_class")
    assert info["n_treatment"] == 10 and info["n_control"] == 9
    assert set(frame.loc[frame["group"] == CONTROL, "class_name"]) == {"4B"}
    assert info["selection_on_pretest"] is False  # half of the groep, not a minority picked low
    one, info1 = intervention_frame(ds, "INT-RW-4A", comparison="none")
    assert info1["n_control"] == 0 and len(one) == 10


def test_intervention_frame_explicit_moments_and_dutch_errors():
    ds = _dataset()
    frame, info = intervention_frame(ds, "INT-RW-RT4", pre_moment="M4", post_moment="E4")
    assert (info["pre_moment"], info["post_moment"]) == ("M4", "E4")
    assert info["post_during_intervention"] is False
    # E4 (15 June) falls inside an intervention running to 10 July: the last result during it is the posttest
    _, lang = intervention_frame(ds, "INT-RW-LANG")
    assert lang["post_moment"] == "E4" and lang["post_during_intervention"] is True
    with pytest.raises(ValueError, match="niet gevonden; bekende interventies: INT-RW-4A, INT-RW-LANG, INT-RW-RT4"):
        intervention_frame(ds, "INT-XX")
    with pytest.raises(ValueError, match="geen nameting gevonden"):
        intervention_frame(ds, "INT-RW-RT4", post_moment="E5")
    with pytest.raises(ValueError, match="comparison moet"):
        intervention_frame(ds, "INT-RW-RT4", comparison="klas")


def test_cohort_frame_same_scale_only():
    ds = _dataset()
    frame, info = cohort_frame(ds, "spelling", 4, "M", "2025-2026", ["2022-2023", "2023-2024", "2024-2025"])
    assert info["moment"] == "M4" and info["scale"] == "Cito 3.0"
    assert info["n_new"] == 8 and info["n_old"] == 16  # 2022-2023 was on Cito 2.0: left out
    assert info["scales_dropped"] == ["Cito 2.0"]
    assert info["n_per_year"] == {"2023-2024": 8, "2024-2025": 8, "2025-2026": 8}
    assert set(frame["cohort"]) == {NEW, OLD}
    assert frame.loc[frame["cohort"] == NEW, "score"].mean() == pytest.approx(149.5)
    res = compare(frame, "score", "cohort", NEW, OLD, n_boot=200)
    assert res.design == "cohort" and res.mean_difference == pytest.approx(149.5 - 144.0)


def test_cohort_frame_refuses_different_scales():
    ds = _dataset()
    with pytest.raises(ValueError, match="verschillende schalen"):
        cohort_frame(ds, "spelling", 4, "M", "2025-2026", "2022-2023")
    with pytest.raises(ValueError, match="zowel bij het nieuwe"):
        cohort_frame(ds, "spelling", 4, "M", "2025-2026", ["2025-2026"])
