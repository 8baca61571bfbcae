"""School-wide trends: shares per school year, the dwarsdoorsnede per groep, referentieniveaus.

Every function takes a tidy table and returns the figure with a Dutch alt text
(:func:`plgdata.plots.style.get_alt_text`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from plgdata.model.labels import fmt_pct
from plgdata.plots import style
from plgdata.plots.figures import plot_trend

__all__ = ["plot_cross_sections", "plot_referentieniveaus", "plot_share_trend"]


def _school_years(values) -> list[str]:
    return sorted({str(v) for v in values if pd.notna(v)})


def _share_line(ax, part: pd.DataFrame, pos: dict, series: dict, label_n: bool) -> str | None:
    """One subject's line in its own colour, dash pattern and marker (``series``:
    :func:`plgdata.plots.style.series_style`), broken at a school year without results; ``n`` at
    every point when ``label_n``; returns its alt text part (or None)."""
    subj = str(part["subject"].iloc[0])
    part = part.sort_values("school_year")
    full = part.set_index("school_year").reindex(list(pos))  # a missing year breaks the line, never bridges it
    px = np.arange(len(pos))
    py = full["share"].to_numpy(dtype="float64")
    ax.plot(px, py, label=subj, linewidth=2.5, **series)
    for xx, yy, n in zip(px, py, full["n"].to_numpy(dtype="float64")):
        if label_n and np.isfinite(yy):
            style.label_point(ax, f"n = {int(n)}", (xx, yy), color=series["color"], offset=9, smaller=True)
    ok = part[np.isfinite(part["share"].to_numpy(dtype="float64"))]
    if not len(ok):
        return None
    return (
        f"{subj} van {fmt_pct(ok['share'].iloc[0])} ({ok['school_year'].iloc[0]}) "
        f"naar {fmt_pct(ok['share'].iloc[-1])} ({ok['school_year'].iloc[-1]})"
    )


def _year_ticks(trend: pd.DataFrame, years: list[str], with_n: bool) -> list[str]:
    """School-year tick labels; with several subjects the ``n`` of each year sits under its label
    (one label per year, where five labels per year piled up on the lines)."""
    if not with_n:
        return years
    out = []
    for y in years:
        n = trend.loc[trend["school_year"].astype(str) == y, "n"].dropna().astype(int)
        lo, hi = (int(n.min()), int(n.max())) if len(n) else (0, 0)
        out.append(f"{y}\n(n = {lo})" if lo == hi else f"{y}\n(n = {lo}–{hi})")
    return out


def plot_share_trend(trend: pd.DataFrame, level: str, period_text: str):
    """The school-wide share at ``level`` or higher per subject and school year.

    ``trend``: columns ``subject`` (as shown), ``school_year``, ``n``, ``share``.  Returns the figure
    (``None`` for an empty table).
    """
    if trend.empty:
        return None
    with style.plot_style():
        fig, ax = style.new_figure()
        years = _school_years(trend["school_year"])
        pos = {y: i for i, y in enumerate(years)}
        several = trend["subject"].nunique() > 1
        parts = [
            _share_line(ax, part, pos, style.series_style(i), label_n=not several)
            for i, (_, part) in enumerate(trend.groupby("subject", sort=False))
        ]
        ax.axhline(0.6, color=style.COLORS["reference"], linestyle=":", linewidth=1.5, label="landelijk: 60%")
        ax.set_xticks(range(len(years)), _year_ticks(trend, years, several))
        ax.set_xlim(-0.4, len(years) - 0.6)
        ax.set_ylim(0, 1.05)
        style.use_decimal_comma(ax, "y", decimals=0, percent=True)
        ax.set_ylabel(f"Percentage op niveau {level} of hoger")
        ax.set_xlabel("Schooljaar")
        ax.grid(axis="x", visible=False)
        style.legend_outside(ax, title="Vak")
        ax.set_title(f"Hele school, {period_text}: percentage op niveau I–{level}")
    style.set_alt_text(
        fig,
        f"Lijngrafiek van het percentage leerlingen op niveau {level} of hoger per vak en schooljaar "
        f"({period_text}, alle groepen samen): " + "; ".join(p for p in parts if p) + ".",
    )
    return fig


def plot_cross_sections(trend: pd.DataFrame, subject: str, period_text: str, level: str):
    """Small multiples of :func:`plgdata.analysis.trends.trend_cross_section`: one panel per
    groep, one line per test version, ``n`` at every point.  Returns the figure."""
    groepen = sorted(int(g) for g in trend["groep"].dropna().unique())
    ncols = min(3, len(groepen))
    nrows = math.ceil(len(groepen) / ncols)
    alts = []
    with style.plot_style():
        fig, axes = style.new_figure(nrows, ncols, figsize=(4.6 * ncols, 3.9 * nrows), sharey=True)
        axes = list(np.atleast_1d(axes).ravel())
        for i, (ax, g) in enumerate(zip(axes, groepen)):
            part = trend[trend["groep"] == g].copy()
            part.attrs = dict(trend.attrs)
            plot_trend(part, y="share_at_or_above", ax=ax, show_average=False, title=f"groep {g}")
            alts.append(f"groep {g}: " + style.get_alt_text(ax).split(" van ", 1)[-1].rstrip("."))
            if ax.get_legend() is not None:
                ax.get_legend().remove()
            ax.set_xlabel("")
            if i % ncols:
                ax.set_ylabel("")
            ax.tick_params(axis="x", labelsize=style.FONT_SIZES["annotation"])
            if part["scale"].astype(str).nunique() > 1:
                ax.legend(loc="lower left", frameon=False, fontsize=style.FONT_SIZES["annotation"] - 1)
        for ax in axes[len(groepen) :]:
            ax.set_visible(False)
        name = style.subject_label(subject)
        fig.suptitle(f"{name}: dwarsdoorsnede per groep ({period_text}), percentage op niveau I–{level}")
    style.set_alt_text(
        fig,
        f"Lijngrafieken per groep van het percentage leerlingen op niveau {level} of hoger voor "
        f"{name} per schooljaar: " + "; ".join(alts) + ".",
    )
    return fig


def _referentie_panel(ax, part: pd.DataFrame, avg: pd.DataFrame) -> str | None:
    """Bars of 1F and 2F/1S per year and the signaleringswaarden; returns the alt text part."""
    x = np.arange(len(part))
    ax.bar(x - 0.2, part["share_1f"].fillna(0), width=0.38, color=style.COLORS["primary"], label="1F of hoger")
    ax.bar(x + 0.2, part["share_2f"].fillna(0), width=0.38, color=style.COLORS["intervention"], label="2F/1S")
    for xi, n, a in zip(x, part["n"], part["share_1f"]):
        ax.text(xi, 1.02, f"n = {int(n)}", ha="center", fontsize=style.FONT_SIZES["annotation"])
        if np.isnan(a):
            ax.text(xi, 0.5, "te weinig\nleerlingen", ha="center", fontsize=style.FONT_SIZES["annotation"])
    ax.set_xticks(x, list(part["school_year"]))
    ax.set_ylim(0, 1.12)
    style.use_decimal_comma(ax, "y", decimals=0, percent=True)
    ax.grid(axis="x", visible=False)
    if not len(avg):
        return None
    sw1, sw2 = float(avg["sw_1f"].iloc[0]), float(avg["sw_2f"].iloc[0])
    ax.axhline(
        sw1, color=style.COLORS["primary"], linestyle="--", linewidth=2, label=f"signaleringswaarde 1F ({fmt_pct(sw1, 1)})"
    )
    if np.isfinite(sw2):
        ax.axhline(
            sw2,
            color=style.COLORS["intervention"],
            linestyle="--",
            linewidth=2,
            label=f"signaleringswaarde 1S/2F ({fmt_pct(sw2, 1)})",
        )
    return f"driejaarsgemiddelde 1F {fmt_pct(float(avg['avg_1f'].iloc[0]))}, 2F/1S {fmt_pct(float(avg['avg_2f'].iloc[0]))}"


def plot_referentieniveaus(per_year: pd.DataFrame, average: pd.DataFrame):
    """Groep 8's share at 1F and at 2F/1S per school year against the signaleringswaarden.

    ``per_year`` and ``average``: the tables of :func:`plgdata.analysis.levels.referentieniveaus`
    (``subject``, ``school_year``, ``n``, ``share_1f``, ``share_2f``; ``avg_*``, ``sw_*``).
    Returns the figure (``None`` for an empty table).
    """
    if per_year.empty:
        return None
    subjects = list(dict.fromkeys(per_year["subject"]))
    with style.plot_style():
        fig, axes = style.new_figure(1, len(subjects), figsize=(max(6.0, 4.8 * len(subjects)), 5.0), sharey=True)
        axes = list(np.atleast_1d(axes))
        parts = []
        for ax, subj in zip(axes, subjects):
            part = per_year[per_year["subject"] == subj].sort_values("school_year")
            txt = _referentie_panel(ax, part, average[average["subject"] == subj])
            if txt:
                parts.append(f"{style.subject_label(subj)}: {txt}")
            ax.set_title(style.subject_label(subj))
        axes[0].set_ylabel("Percentage leerlingen groep 8")
        style.legend_outside(axes[-1])
        fig.suptitle("Referentieniveaus groep 8 tegenover de signaleringswaarden")
    style.set_alt_text(
        fig,
        "Staafgrafiek van het percentage leerlingen in groep 8 dat 1F en 2F/1S haalde per schooljaar, "
        "met de signaleringswaarden als stippellijn: " + "; ".join(parts) + ".",
    )
    return fig
