"""Every level colour stays distinguishable in greyscale (issue 21 item 6).

The diverging palette made niveau III almost white (gone on a black-and-white print) and put
I beside V and II beside IV in grey.  The levels now fall in lightness from I to V in even
steps; these tests measure the grey values, in CIE L* and as Pillow converts a picture to grey.
"""

from __future__ import annotations

import io
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from plgdata.plots import style
from plgdata.plots.figures import plot_level_distribution

#: a difference of about 10 L* is plainly visible on paper; neighbouring levels keep more than that
MIN_STEP_L = 10.0
#: Pillow's grey (ITU-R 601 luma, 0-255): neighbouring levels at least this far apart
MIN_STEP_GREY = 25


def _grey(colour) -> float:
    """The grey value (0-255) Pillow gives an RGB colour (``Image.convert("L")``)."""
    px = Image.new("RGB", (1, 1), tuple(round(255 * c) for c in colour[:3])).convert("L")
    return float(px.getpixel((0, 0)))


def test_level_lightness_falls_in_clear_steps_from_I_to_V():
    colours = style.level_palette(5)
    lstar = [style.lightness(c) for c in colours]
    grey = [_grey(c) for c in colours]
    for a, b in itertools.pairwise(lstar):
        assert a - b >= MIN_STEP_L, lstar
    for a, b in itertools.pairwise(grey):
        assert a - b >= MIN_STEP_GREY, grey
    # niveau III is no longer near-white: it prints as a clear grey, darker than paper by far
    assert lstar[2] < 70 and grey[2] < 180


@pytest.mark.parametrize("n", [2, 3, 4, 5, 7, 12])
def test_every_level_system_gets_darker_level_by_level(n):
    lstar = [style.lightness(c) for c in style.level_palette(n)]
    assert all(a > b for a, b in itertools.pairwise(lstar)), lstar
    assert lstar[0] - lstar[-1] >= 45  # the whole range, whatever the number of levels


def test_lightness_is_cie_lstar():
    assert style.lightness((1.0, 1.0, 1.0)) == pytest.approx(100.0)
    assert style.lightness((0.0, 0.0, 0.0)) == pytest.approx(0.0)
    assert style.lightness((0.5, 0.5, 0.5)) == pytest.approx(53.39, abs=0.05)  # sRGB 128 grey


def _dist() -> pd.DataFrame:
    rows = []
    for klas, shares in (("6A", [0.2, 0.2, 0.2, 0.2, 0.2]), ("6B", [0.1, 0.3, 0.2, 0.25, 0.15])):
        for lv, sh in zip(["I", "II", "III", "IV", "V"], shares):
            rows.append(
                {
                    "class_name": klas,
                    "subject": "rekenen-wiskunde",
                    "level_system": "I-V",
                    "level": lv,
                    "n": round(sh * 20),
                    "n_total": 20,
                    "share": sh,
                    "suppressed": False,
                }
            )
    return pd.DataFrame(rows)


def test_the_level_chart_in_greyscale_keeps_five_distinct_greys():
    """The rendered chart, turned grey like a black-and-white print: each level's bar segment
    has its own grey, neighbouring levels at least MIN_STEP_GREY apart."""
    ax = plot_level_distribution(_dist(), x="class_name")
    fig = ax.figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)  # no tight box: display coordinates are pixels
    height = fig.bbox.height
    grey = np.asarray(Image.open(buf).convert("L"))
    per_level = {}
    for bars in ax.containers:
        patch = bars.patches[0]  # the 6A bar: every level 20%
        box = patch.get_window_extent()
        x, y = int(box.x0 + 4), int(height - box.y0 - 4)  # inside the corner, away from the percentage
        per_level[bars.get_label()] = float(grey[y, x])
    plt.close(fig)
    values = [per_level[lv] for lv in ["I", "II", "III", "IV", "V"]]
    for a, b in itertools.pairwise(values):
        assert a - b >= MIN_STEP_GREY, values
