"""How the level chart reads on a projector and on A4: labels that never overlap, colours from good to concern."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import itertools

from plgdata.analysis import levels
from plgdata.plots import figures as plots
from plgdata.plots import style

SUBJECTS = ["begrijpend lezen", "rekenen-wiskunde", "spelling", "technisch lezen", "woordenschat", "spelling werkwoorden"]


def _chart(scores_factory):
    rows, k = [], 0
    for subject in SUBJECTS:
        for lv in ["I", "II", "III", "IV", "V", "V"]:
            k += 1
            rows.append(
                {
                    "pupil_id": f"L-{k:010x}",
                    "school_year": "2025-2026",
                    "groep": 6,
                    "class_name": "6A",
                    "subject": subject,
                    "scale": "Cito 3.0",
                    "moment": "E6",
                    "score": 100.0,
                    "level": lv,
                }
            )
    dist = levels.level_distribution(scores_factory(rows), by="class_name")
    return plots.plot_level_distribution(dist, x="subject")


def test_subject_names_under_the_level_bars_never_overlap(scores_factory):
    ax = _chart(scores_factory)
    fig = ax.figure
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.get_xticklabels()]
    assert len(boxes) == len(SUBJECTS)
    for left, right in itertools.pairwise(boxes):
        assert left.x1 < right.x0, "twee vaknamen onder de staven overlappen"
    assert "Rekenen-\nwiskunde" in [t.get_text() for t in ax.get_xticklabels()]


def test_level_colours_run_from_good_to_concern_and_text_stays_readable():
    i, ii, iii, iv, v = style.level_palette(5)
    assert i[2] > i[0] and v[0] > v[2]  # niveau I blue, niveau V red (not green)
    assert v[1] < 0.5 * v[0]
    for colour in (i, ii, iii, iv, v):  # the percentages written on the bars: WCAG contrast of at least 4.5
        lum = style.luminance(colour)
        text = 1.0 if style.text_color_on(colour) == "white" else 0.0
        lo, hi = sorted((lum, text))
        assert (hi + 0.05) / (lo + 0.05) >= 4.5
