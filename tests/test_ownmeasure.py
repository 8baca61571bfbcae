"""A leerteam's own before/after quiz: read onto its own scale, compared two-group or against a stated norm, never with the LVS."""

from __future__ import annotations

import numpy as np
import pytest
from identities import SAMPLE

from plgdata.analysis.compare import compare
from plgdata.analysis.ownmeasure import (
    OwnMeasurementError,
    compare_own_measurement,
    own_measurement_frame,
    own_measurement_record,
)
from plgdata.cycle import load_cycle
from plgdata.sample.leerteams import QUIZ_SCALE, read_quiz

SCALE = "eigen meting: breuken"


def _quiz(scores_factory, gains: dict[str, float], n: int = 12, seed: int = 1):
    rng = np.random.default_rng(seed)
    rows = []
    for k, (klas, gain) in enumerate(gains.items()):
        for i in range(n):
            pre = float(rng.normal(5, 1.5))
            for test, date, score in (
                ("voormeting", "09-03-2026", pre),
                ("nameting", "26-03-2026", pre + gain + float(rng.normal(0, 0.5))),
            ):
                rows.append(
                    {
                        "pupil_id": f"L-{100 * k + i:010x}",
                        "school_year": "2025-2026",
                        "groep": 5,
                        "class_name": klas,
                        "subject": "rekenen-wiskunde",
                        "scale": SCALE,
                        "test_name": test,
                        "moment": "M5",
                        "date": date,
                        "score": score,
                    }
                )
    rows.append({**rows[0], "pupil_id": "L-00000fffff", "test_name": "voormeting"})  # a pupil without a nameting
    rows.append({**rows[0], "scale": "Cito 3.0", "test_name": "voormeting", "score": 250.0})  # an LVS score: never mixed in
    return scores_factory(rows)


def test_frame_pairs_pre_and_post_on_the_own_scale_only(scores_factory):
    frame = own_measurement_frame(_quiz(scores_factory, {"5A": 2.0, "5B": 0.0}), SCALE)
    assert len(frame) == 24 and frame.attrs["n_dropped"] == 1
    assert sorted(frame["group"].unique()) == ["5A", "5B"]
    assert frame["pre"].max() < 20  # the Cito score of 250 is not in it


def test_one_class_against_one_class_is_described_not_judged(scores_factory):
    # old code called 5A against 5B 'positief' ("eerlijk"): the class and its teacher are not separable from the lessons
    scores = _quiz(scores_factory, {"5A": 2.0, "5B": 0.0})
    result, frame = compare_own_measurement(scores, SCALE, treatment="5A", control="5B", n_boot=500)
    assert result.design == "pre_post_control" and result.verdict == "niet te scheiden"
    assert result.verdict_nl.startswith("Niet te scheiden: er is 1 klas met de interventie en 1 vergelijkingsklas.")
    assert "switching replications" in result.verdict_nl
    rec = own_measurement_record(result, SCALE, "Breukentoets")
    assert rec["n_interventie"] == 12 and rec["n_vergelijking"] == 12 and rec["eenheid"] == "klas"
    assert rec["oordeel"] == "niet te scheiden" and rec["bi_onder"] is None and rec["schaal"] == SCALE
    # the difference in quiz points: class means adjusted for the pretest (the planted gain is 2 points)
    assert 1.4 < rec["verschil_punten"] < 2.6


def test_several_classes_are_compared_as_classes(scores_factory):
    scores = _quiz(scores_factory, {"5A": 2.0, "5C": 2.0, "5E": 2.0, "5B": 0.0, "5D": 0.0, "5F": 0.0})
    result, frame = compare_own_measurement(scores, SCALE, treatment=["5A", "5C", "5E"], control=["5B", "5D", "5F"], n_boot=0)
    direct = compare(frame, "post", "group", ["5A", "5C", "5E"], ["5B", "5D", "5F"], pre="pre", cluster="group", n_boot=0)
    assert result.verdict == "positief" and (result.n_units_treatment, result.n_units_control, result.units_df) == (3, 3, 4)
    assert result.headline == direct.headline and result.headline_ci == direct.headline_ci


def test_one_group_is_judged_against_the_stated_norm(scores_factory):
    scores = _quiz(scores_factory, {"5A": 2.0})
    as_expected, _ = compare_own_measurement(scores, SCALE, treatment="5A", norm_growth=2.0, n_boot=500)
    assert as_expected.design == "one_group" and as_expected.verdict == "geen aantoonbaar effect"
    beyond, _ = compare_own_measurement(scores, SCALE, treatment="5A", norm_growth=0.5, n_boot=500)
    assert beyond.verdict == "positief"


def test_refusals_in_dutch(scores_factory):
    scores = _quiz(scores_factory, {"5A": 2.0})
    with pytest.raises(OwnMeasurementError, match="^Zonder vergelijkingsklas en zonder verwachte groei"):
        compare_own_measurement(scores, SCALE, treatment="5A")
    with pytest.raises(
        OwnMeasurementError,
        match="^'Cito 3.0' is een schaal van het leerlingvolgsysteem. Lees een eigen meting in op een eigen schaal",
    ):
        own_measurement_frame(scores, "Cito 3.0")
    with pytest.raises(OwnMeasurementError, match="^Bij de schaal 'eigen meting: breuken' staat geen toets met de naam 'na'."):
        own_measurement_frame(scores, SCALE, post_test="na")


def test_sample_quiz_through_the_mapping_route_matches_the_record():
    quiz = read_quiz(SAMPLE)
    assert set(quiz.scores["scale"].astype(str)) == {QUIZ_SCALE} and set(quiz.scores["class_name"].astype(str)) == {"5A", "5B"}
    lines = (SAMPLE / "eigen_meting" / "strookmodel_5A_5B.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert quiz.report.rows_read == quiz.report.rows_loaded == len(lines)  # the pupils of 5A and 5B, before and after
    result, _ = compare_own_measurement(quiz, QUIZ_SCALE, treatment="5A", control="5B")
    kept = load_cycle(SAMPLE / "lessonstudy_rekenen_groep5.yaml").lesson_study.own_measurements
    assert len(kept) == 1 and kept[0]["effect"] == round(result.headline, 3)
    assert kept[0]["oordeel"] == result.verdict == "niet te scheiden" and kept[0]["bi_onder"] is None
    assert kept[0]["verschil_punten"] == round(result.unit_difference, 3)


def _quiz_0_6(scores_factory, n: int = 20):
    """A quiz scored 0-6 (whole points): 5A before and after, 1.5 points gained on average."""
    pre = [1, 2, 2, 3, 3, 3, 4, 4, 2, 1, 3, 2, 4, 3, 2, 3, 1, 2, 3, 4][:n]
    gain = [2, 1, 2, 1, 2, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1][:n]
    rows = []
    for i, (p, g) in enumerate(zip(pre, gain)):
        for test, date, score in (("voormeting", "09-03-2026", p), ("nameting", "26-03-2026", min(p + g, 6))):
            rows.append(
                {
                    "pupil_id": f"L-{i:010x}",
                    "school_year": "2025-2026",
                    "groep": 5,
                    "class_name": "5A",
                    "subject": "rekenen-wiskunde",
                    "scale": SCALE,
                    "test_name": test,
                    "moment": "M5",
                    "date": date,
                    "score": float(score),
                }
            )
    return scores_factory(rows)


def test_a_quiz_0_to_6_is_never_read_as_national_z_scores(scores_factory):
    # old code took whole points 0-6 for z-scores (mean 0, sd 1): the effect 'in sd' was the gain in points
    scores = _quiz_0_6(scores_factory)
    result, frame = compare_own_measurement(scores, SCALE, treatment="5A", norm_growth=1.0, n_boot=0)
    beyond = float((frame["post"] - frame["pre"]).mean() - 1.0)
    sd_pre = float(frame["pre"].std(ddof=1))
    assert result.reference_sd == pytest.approx(sd_pre) and result.reference_sd != 1.0
    assert result.headline == pytest.approx(beyond / sd_pre)  # in sd of the quiz's own pretest
    rec = own_measurement_record(result, SCALE, "Quiz 0-6")
    assert rec["verschil_punten"] == round(beyond, 3) and rec["effect"] == round(beyond / sd_pre, 3)
    assert rec["eenheid"] == "leerling"
    # through compare() itself: whole points without a norm are not z-scores, so no verdict without norm growth
    plain = compare(frame, "post", "group", "5A", None, pre="pre", design="one_group", n_boot=0)
    assert plain.verdict == "niet te beoordelen" and "geen verwachte groei (normgroei)" in plain.verdict_nl
