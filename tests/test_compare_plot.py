"""estimation_plot: Dutch labels, decimal comma, every pupil drawn, style colours, alt text."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from plgdata.analysis.compare import compare  # noqa: E402
from plgdata.plots import style  # noqa: E402
from plgdata.plots.estimation import estimation_plot  # noqa: E402


def _result(n_t=12, n_c=15, one_group=False):
    rng = np.random.default_rng(4)
    pre = rng.normal(100, 10, n_t + n_c)
    post = pre + 8 + rng.normal(0, 4, n_t + n_c)
    post[:n_t] += 3
    df = pd.DataFrame({"pre": pre, "post": post, "g": ["RT"] * n_t + ["rest"] * n_c})
    if one_group:
        return compare(df, "post", "g", "RT", None, pre="pre", norm_growth=8.0, n_boot=500)
    return compare(df, "post", "g", "RT", "rest", pre="pre", n_boot=500)


def _points(ax):
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def test_estimation_plot_two_groups():
    res = _result()
    ax = estimation_plot(res)
    fig = ax.figure
    try:
        assert _points(ax) == res.n_treatment + res.n_control
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        assert ticks == ["vergelijkingsgroep\n(n = 15)", "interventiegroep\n(n = 12)"]
        assert ax.get_ylabel() == "Nameting"
        eax = ax.effect_ax
        assert eax.get_ylabel() == "Effect (g, gecorrigeerd voor voormeting)"
        fig.canvas.draw()
        labels = [t.get_text() for t in eax.get_yticklabels() if t.get_text()]
        assert any("," in t for t in labels) and not any("." in t for t in labels)
        colours = {tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in ax.collections if isinstance(c, PathCollection)}
        assert tuple(np.round(to_rgb(style.COLORS["intervention"]), 3)) in colours
        assert tuple(np.round(to_rgb(style.COLORS["comparison"]), 3)) in colours
        alt = style.get_alt_text(fig)
        assert alt.startswith("Scores per leerling") and "betrouwbaarheidsinterval" in alt
        assert any(t.get_text() == style.fmt_num(res.headline, 2) for t in eax.texts)
    finally:
        plt.close(fig)


def test_estimation_plot_one_group_on_given_axes_and_without_bootstrap():
    res = _result(one_group=True)
    fig, ax = plt.subplots()
    try:
        out = estimation_plot(res, ax=ax, title="RT-groep rekenen")
        assert out is ax and ax.get_title() == "RT-groep rekenen"
        assert [t.get_text() for t in ax.get_xticklabels()] == ["voormeting\n(n = 12)", "nameting\n(n = 12)"]
        assert len(ax.lines) >= res.n_treatment  # pre-post lines per pupil
        assert ax.effect_ax.get_ylabel() == "Winst boven verwachting (sd)"
    finally:
        plt.close(fig)
    small = _result(n_t=3, n_c=4)
    ax = estimation_plot(small)
    try:
        assert any("geen bootstrap" in t.get_text() for t in ax.effect_ax.texts)
    finally:
        plt.close(ax.figure)
