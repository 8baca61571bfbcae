"""The small figure beside a tested hypothesis: the estimate, its 95% interval, zero and the team's threshold."""

from __future__ import annotations

from matplotlib.figure import Figure

from plgdata.model.labels import fmt_num
from plgdata.plots.style import new_figure, plot_style, set_alt_text, use_decimal_comma


def evidence_plot(estimate: float, low: float, high: float, threshold: float | None, unit: str) -> Figure:
    """One line: the interval as a bar, the estimate as a dot, 0 solid, the threshold dashed.

    ``threshold`` is signed in the expected direction (−0,3 when a group is expected lower).
    """
    with plot_style():
        fig, ax = new_figure(figsize=(6.0, 1.35))
        ax.hlines(0, low, high, color="#1f4e79", linewidth=5, alpha=0.45)
        ax.plot([estimate], [0], "o", color="#1f4e79", markersize=9)
        ax.axvline(0, color="#444444", linewidth=1)
        if threshold is not None:
            ax.axvline(threshold, color="#b35806", linewidth=1.5, linestyle="--")
            ax.annotate("drempel", (threshold, 0.75), ha="center", fontsize=10, color="#b35806")
        values = [estimate, low, high, 0.0] + ([threshold] if threshold is not None else [])
        pad = (max(values) - min(values)) * 0.15 or 0.1
        ax.set_xlim(min(values) - pad, max(values) + pad)
        ax.set_ylim(-1, 1.2)
        ax.set_yticks([])
        ax.set_xlabel(unit)
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        use_decimal_comma(ax, "x")
        set_alt_text(
            fig,
            f"Schatting {fmt_num(estimate)} {unit} met 95%-interval van {fmt_num(low)} tot {fmt_num(high)}"
            + (f"; drempel {fmt_num(threshold)}." if threshold is not None else "."),
        )
    return fig
