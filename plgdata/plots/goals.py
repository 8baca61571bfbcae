"""The problem's metric at the start, the goal and what was achieved, as bars."""

from __future__ import annotations

from plgdata.model.labels import fmt_num, fmt_pct
from plgdata.plots import style

__all__ = ["plot_goal_values"]

#: bar colour per value kind
_KIND_COLORS = {"nu (start)": "primary", "doel": "target", "behaald": "intervention"}


def plot_goal_values(values: list[tuple[str, float]]):
    """Bars of the metric: ``[("nu (start)", 0.44), ("doel", 0.30), ("behaald", 0.35)]``.

    Values between 0 and 1 are shown as percentages.  Returns the figure with a
    Dutch alt text.
    """
    share = all(0 <= v <= 1 for _, v in values)
    show = fmt_pct if share else fmt_num
    with style.plot_style():
        fig, ax = style.new_figure(figsize=(7.0, 4.5))
        for i, (kind, v) in enumerate(values):
            ax.bar(i, v, color=style.COLORS[_KIND_COLORS.get(kind, "primary")], width=0.6)
            ax.text(i, v, show(v), ha="center", va="bottom", fontsize=style.FONT_SIZES["label"])
        ax.set_xticks(range(len(values)), [k for k, _ in values])
        if share:
            ax.set_ylim(0, max(1.0, max(v for _, v in values) * 1.15))
            style.use_decimal_comma(ax, "y", decimals=0, percent=True)
        ax.grid(axis="x", visible=False)
        ax.set_ylabel("Waarde van de maat")
        ax.set_title("Probleem en doel")
    txt = "; ".join(f"{k}: {show(v)}" for k, v in values)
    style.set_alt_text(fig, f"Staafgrafiek van de maat uit de probleemdefinitie: {txt}.")
    return fig
