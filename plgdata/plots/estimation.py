"""Gardner–Altman estimation plot of a :class:`plgdata.analysis.compare.CompareResult`.

Left: every pupil's score per group (a swarm, or a strip for big groups) with the
group mean and its 95% interval.  Right, on its own axis: the headline effect
(in standard deviations), its bootstrap distribution as a half-violin and its
95% interval, with a dashed line at 0.  Style (palette, fonts, decimal comma)
comes from :mod:`plgdata.plots.style`; labels are Dutch.
"""

from __future__ import annotations

import numpy as np
import seaborn as sns
from matplotlib.axes import Axes
from scipy import stats

from plgdata.analysis.intervals import mean_ci
from plgdata.model.labels import fmt_num, label
from plgdata.plots import style

__all__ = ["estimation_plot"]

#: above this many pupils in a group a jittered strip replaces the swarm
SWARM_MAX = 150


def _short_effect_name(result) -> str:
    if result.design == "pre_post_control":
        return "Effect (g, gecorrigeerd voor voormeting)"
    if result.design == "one_group":
        return "Winst boven verwachting (sd)"
    return "Effect (Hedges' g)"


def estimation_plot(result, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Draw the estimation plot of a comparison; returns the left (data) axes.

    Parameters
    ----------
    result : CompareResult
        From :func:`plgdata.analysis.compare.compare`.
    ax : matplotlib Axes, optional
        Axes for the data panel; the effect panel is added to its right as an
        inset.  Without ``ax`` a new figure with two panels is made.
    title : str, optional
        Dutch title (default: the verdict key and the design).

    Returns
    -------
    Axes
        The data axes; the effect axes is ``ax.effect_ax``.  The figure carries a
        Dutch alt text (:func:`plgdata.plots.style.get_alt_text`).

    Notes
    -----
    For the one-group design the two "groups" are the pre- and posttest of the
    same pupils, joined by thin lines.  The effect panel shows the headline
    statistic (``result.effect_size_name``), not the raw difference, so its axis
    is in standard deviations; the half-violin is a Gaussian kernel density of
    ``result.bootstrap_distribution`` (seeded, so the plot is reproducible).

    References
    ----------
    Gardner, M. J., & Altman, D. G. (1986). Confidence intervals rather than P
    values. *BMJ*, 292, 746–750.
    Ho, J., Tumkaya, T., Aryal, S., Choi, H., & Claridge-Chang, A. (2019). Moving
    beyond P values: data analysis with estimation graphics. *Nature Methods*, 16,
    565–566.
    """
    with style.plot_style():
        if ax is None:
            fig, axes = style.new_figure(1, 2, figsize=(10.0, 5.5), gridspec_kw={"width_ratios": [3, 2]})
            ax, eax = axes[0], axes[1]
        else:
            fig = ax.figure
            eax = ax.inset_axes([1.12, 0.0, 0.55, 1.0])
        _data_panel(ax, result)
        _effect_panel(eax, result)
        ax.effect_ax = eax  # type: ignore[attr-defined]
        if title is None:
            title = f"Vergelijking: {result.verdict}" if result.verdict else "Vergelijking"
        ax.set_title(title)
        lo, hi = result.headline_ci
        style.set_alt_text(
            fig,
            f"Scores per leerling van de {result.label_control} en de {result.label_treatment}, en rechts het effect "
            f"{fmt_num(result.headline, 2)} met 95%-betrouwbaarheidsinterval {fmt_num(lo, 2)} tot {fmt_num(hi, 2)}.",
        )
    return ax


def _data_panel(ax: Axes, result) -> None:
    """Every pupil's score per group (swarm, or a strip for big groups) with the mean and its 95% interval."""
    groups = [
        (result.label_control, np.asarray(result.values_control, float), style.COLORS["comparison"]),
        (result.label_treatment, np.asarray(result.values_treatment, float), style.COLORS["intervention"]),
    ]
    big = max(len(v) for _, v, _ in groups) > SWARM_MAX
    for i, (_, vals, col) in enumerate(groups):
        if len(vals) == 0:
            continue
        xs = np.full(len(vals), i, dtype=float)
        if big:
            sns.stripplot(x=xs, y=vals, native_scale=True, jitter=0.18, color=col, alpha=0.35, size=3, ax=ax)
        else:
            sns.swarmplot(x=xs, y=vals, native_scale=True, color=col, size=6, ax=ax, warn_thresh=1.0)
        m, lo, hi = mean_ci(vals)
        ax.errorbar(
            i + 0.32,
            m,
            yerr=[[m - lo], [hi - m]] if np.isfinite(lo) else None,
            fmt="o",
            color="black",
            capsize=4,
            markersize=7,
            zorder=5,
        )
    if result.design == "one_group" and len(groups[0][1]) == len(groups[1][1]) <= SWARM_MAX:
        for a, b in zip(groups[0][1], groups[1][1]):
            ax.plot([0, 1], [a, b], color=style.COLORS["norm"], alpha=0.35, linewidth=1, zorder=1)
    ax.set_xticks([0, 1])
    ax.set_xticklabels([f"{name}\n(n = {len(v)})" for name, v, _ in groups])
    ax.set_xlim(-0.6, 1.6)
    ax.set_xlabel("")
    ax.set_ylabel(label(result.outcome) if result.design != "one_group" else "Score")
    style.use_decimal_comma(ax, "y")


def _effect_panel(eax: Axes, result) -> None:
    """The headline effect in sd, its bootstrap distribution as a half-violin and its 95% interval."""
    dist = np.asarray(result.bootstrap_distribution, float)
    dist = dist[np.isfinite(dist)]
    if len(dist) > 2 and np.ptp(dist) > 0:
        grid = np.linspace(np.quantile(dist, 0.001), np.quantile(dist, 0.999), 200)
        dens = stats.gaussian_kde(dist)(grid)
        eax.fill_betweenx(grid, 0, 0.4 * dens / dens.max(), color=style.COLORS["intervention"], alpha=0.35, linewidth=0)
    else:
        eax.text(
            0.5,
            0.02,
            "geen bootstrap (te weinig leerlingen)",
            transform=eax.transAxes,
            ha="center",
            va="bottom",
            fontsize=style.FONT_SIZES["annotation"],
        )
    lo, hi = result.headline_ci
    if np.isfinite(lo) and np.isfinite(hi):
        eax.vlines(0, lo, hi, color="black", linewidth=2.5)
    if np.isfinite(result.headline):
        eax.plot(0, result.headline, "o", color="black", markersize=9, zorder=5)
        eax.annotate(
            fmt_num(result.headline, 2),
            (0, result.headline),
            xytext=(-10, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=style.FONT_SIZES["annotation"],
        )
    eax.axhline(0, color=style.COLORS["reference"], linestyle="--", linewidth=1.2)
    eax.set_xlim(-0.6, 0.6)
    eax.set_xticks([])
    eax.set_ylabel(_short_effect_name(result))
    eax.yaxis.set_label_position("right")
    eax.yaxis.tick_right()
    style.use_decimal_comma(eax, "y")
