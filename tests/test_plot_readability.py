"""Figures that read right on a projector and on paper (issue 12, item 4): the level chart's
tick labels never overlap, and its colours run from good (blue) to concern (red), colour-blind
safe, with no green at the lowest level."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from plgdata.analysis.levels import level_distribution
from plgdata.plots import style
from plgdata.plots.figures import plot_level_distribution

SUBJECTS = ["Rekenen-wiskunde", "Begrijpend lezen", "Spelling werkwoorden", "Technisch lezen", "Woordenschat"]


def _dist(names: list[str]) -> pd.DataFrame:
    """Ten pupils per subject, two at each level I–V."""
    rows = [
        {
            "pupil_id": f"L-{i:010x}",
            "subject": s,
            "level": lv,
            "moment": "E6",
            "period": "E",
            "groep": 6,
            "school_year": "2025-2026",
        }
        for s in names
        for i, lv in enumerate(["I", "II", "III", "IV", "V"] * 2)
    ]
    return level_distribution(pd.DataFrame(rows), by=[], system="I-V", min_n=5)


def _tick_boxes(ax):
    ax.figure.canvas.draw()
    return [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]


@pytest.mark.parametrize("names", [SUBJECTS, [f"{s} groep {g}" for s in SUBJECTS for g in (5, 6)]])
def test_level_chart_tick_labels_never_overlap(names):
    ax = plot_level_distribution(_dist(names), x="subject")
    boxes = _tick_boxes(ax)
    assert len(boxes) == len(names)
    assert not [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]
    # the labels are wrapped, not cut: every word is still there
    shown = " ".join(t.get_text().replace("\n", " ").replace("- ", "-") for t in ax.get_xticklabels())
    assert all(n in shown for n in names)
    plt.close(ax.figure)


def test_without_the_guard_the_long_labels_would_overlap():
    """The overlap the guard prevents is real: the same labels, unrotated, collide."""
    names = [f"{s} groep {g}" for s in SUBJECTS for g in (5, 6)]
    ax = plot_level_distribution(_dist(names), x="subject")
    ax.tick_params(axis="x", labelrotation=0)
    for t in ax.get_xticklabels():
        t.set_horizontalalignment("center")
    boxes = _tick_boxes(ax)
    assert any(a.overlaps(b) for a, b in itertools.pairwise(boxes))
    plt.close(ax.figure)


def test_level_colours_run_from_good_blue_to_concern_red():
    ax = plot_level_distribution(_dist(SUBJECTS[:2]), x="subject")
    colours = {h.get_label(): h.get_facecolor()[:3] for h in ax.get_legend().legend_handles}
    plt.close(ax.figure)
    r, g, b = colours["V"]
    assert r > g + 0.3 and r > b + 0.3  # concern reads red, not green
    r, g, b = colours["I"]
    assert b > r + 0.3  # good reads blue
    assert not any(g > r and g > b and g > 0.5 for r, g, b in colours.values())  # no green level at all
    # ordered: blue share falls and red share rises from I to V
    blue_minus_red = [colours[lv][2] - colours[lv][0] for lv in ["I", "II", "III", "IV", "V"]]
    assert blue_minus_red == sorted(blue_minus_red, reverse=True)


def test_percentages_inside_the_bars_have_enough_contrast():
    """WCAG: at least 4.5:1 between the percentage and the level colour it is written on."""
    for fill in style.level_palette(5):
        text = (1.0, 1.0, 1.0) if style.text_color_on(fill) == "white" else (0.0, 0.0, 0.0)
        hi, lo = sorted((style.luminance(fill), style.luminance(text)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5
