"""Figures of the bestuur report: each school against its own signaleringswaarde, and the forest plot."""

from __future__ import annotations

import numpy as np
import pandas as pd

from plgdata.model.labels import fmt_num
from plgdata.plots import style

__all__ = ["plot_forest", "plot_schools_indicator"]


def plot_schools_indicator(schools: pd.DataFrame):
    """Per school (by name, never ranked) its three-year 1S/2F value and its own signaleringswaarde.

    ``schools``: ``school``, ``pct_2f1s``, ``sw_2f1s``, ``pct_1f`` (percent).  Returns the figure
    (``None`` when no school has a value).
    """
    d = schools[schools["pct_2f1s"].notna()].sort_values("school")
    if d.empty:
        return None
    y = np.arange(len(d))[::-1]
    with style.plot_style():
        fig, ax = style.new_figure(figsize=(9.0, 1.2 + 0.7 * len(d)))
        ax.scatter(d["pct_2f1s"], y, s=80, color=style.COLORS["primary"], zorder=3, label="gewogen driejaarsgemiddelde 1S/2F")
        has_sw = d["sw_2f1s"].notna().to_numpy()
        ax.scatter(
            d["sw_2f1s"][has_sw], y[has_sw], marker="|", s=600, linewidths=3, color=style.COLORS["bad"], zorder=2,
            label="eigen signaleringswaarde 1S/2F",
        )  # fmt: skip
        for yi, v in zip(y, d["pct_2f1s"]):
            ax.annotate(f"{fmt_num(v, 1)}%", (v, yi), xytext=(0, 9), textcoords="offset points", ha="center")
        ax.set_yticks(y, list(d["school"]))
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.8, len(d) - 0.2)
        ax.set_xlabel("Percentage 1S/2F (lezen, taalverzorging en rekenen samen)")
        style.use_decimal_comma(ax, "x", decimals=0)
        style.legend_outside(ax)
    parts = [
        f"{r.school}: {fmt_num(r.pct_2f1s, 1)}% tegenover {fmt_num(r.sw_2f1s, 1) + '%' if pd.notna(r.sw_2f1s) else 'onbekend'}"
        for r in d.itertuples()
    ]
    style.set_alt_text(
        fig,
        "Stippen per school (op naam): gewogen driejaarsgemiddelde 1S/2F tegenover de eigen signaleringswaarde: "
        + "; ".join(parts)
        + ".",
    )
    return fig


def plot_forest(rows: pd.DataFrame, pooled, title: str):
    """Forest plot: each school's effect (sd) with its 95% interval, and the pooled random-effects estimate."""
    d = rows[rows["effectgrootte_sd"].notna()].sort_values("school")
    if d.empty:
        return None
    y = np.arange(len(d) + 1)[::-1]
    with style.plot_style():
        fig, ax = style.new_figure(figsize=(9.0, 1.6 + 0.6 * (len(d) + 1)))
        ax.errorbar(
            d["effectgrootte_sd"], y[:-1],
            xerr=[d["effectgrootte_sd"] - d["bi_onder"], d["bi_boven"] - d["effectgrootte_sd"]],
            fmt="s", color=style.COLORS["primary"], capsize=4,
        )  # fmt: skip
        labels = list(d["school"])
        if pooled is not None:
            ax.errorbar(
                [pooled.estimate], [y[-1]], xerr=[[pooled.estimate - pooled.ci[0]], [pooled.ci[1] - pooled.estimate]],
                fmt="D", markersize=10, color=style.COLORS["intervention"], capsize=6,
            )  # fmt: skip
        labels.append("samen (random effects)")
        ax.axvline(0, color=style.COLORS["norm"], linestyle="--")
        ax.set_yticks(y, labels)
        ax.set_xlabel("Effectgrootte (standaardafwijkingen)")
        ax.set_title(title)
        style.use_decimal_comma(ax, "x", decimals=1)
    parts = [f"{r.school} {fmt_num(r.effectgrootte_sd, 2)}" for r in d.itertuples()]
    alt = f"Forest plot {title}: " + "; ".join(parts)
    if pooled is not None:
        alt += f"; samen {fmt_num(pooled.estimate, 2)} (95%-BI {fmt_num(pooled.ci[0], 2)} tot {fmt_num(pooled.ci[1], 2)})"
    style.set_alt_text(fig, alt + ".")
    return fig
