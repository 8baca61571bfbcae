"""Plots for levels, trends, growth and goals (seaborn/matplotlib, styled by :mod:`plgdata.plots.style`).

Every function takes the tidy output of an analysis function, draws on ``ax`` (or a new
figure), and **returns the Axes**.  Labels are Dutch, tick labels use a decimal comma and
the sizes are readable on a projector.

Alt text: every function attaches a one-sentence Dutch description to the figure;
read it with ``plgdata.plots.style.get_alt_text(ax)``.
The report renderer uses it as the ``alt`` of the image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from plgdata.analysis.levels import SYSTEM_LABELS, GoalProgress
from plgdata.model.labels import fmt_num, fmt_pct
from plgdata.plots import style

_META_COLS = {"subject", "level_system", "level", "level_rank", "n", "n_total", "share", "suppressed"}


def _group_label(row: pd.Series, cols: Sequence[str]) -> str:
    """A bar's label (wrapped when the ticks are set, see :func:`plgdata.plots.style.wrap_label`)."""
    parts = []
    for c in cols:
        v = row[c]
        if c == "groep":
            parts.append(f"groep {v}")
        elif c == "period":
            parts.append(f"{style.labels.PERIOD_LABELS.get(str(v), v)}")
        elif c == "subject":
            parts.append(style.subject_label(str(v)))
        else:
            parts.append(str(v))
    return "\n".join(parts)


def plot_level_distribution(
    dist: pd.DataFrame, *, x: Sequence[str] | str | None = None, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Stacked bars of the share of pupils per level (I at the top, V at the bottom).

    Parameters
    ----------
    dist : DataFrame
        Output of :func:`plgdata.analysis.levels.level_distribution` for one subject and one
        level system (the first system present is used when there are several).
    x : str or sequence of str, optional
        Columns that name a bar (default: the grouping columns of ``dist``).
    ax : Axes, optional
    title : str, optional

    Returns
    -------
    Axes
        Each bar sums to 100%; ``n`` is written above it; groups with suppressed
        statistics show "te weinig leerlingen".
    """
    if dist.empty:
        raise ValueError("Er zijn geen niveaus om te tonen.")
    lt = _level_table(dist, x)
    colors = dict(zip(lt.order, style.level_palette(len(lt.order))))
    with style.plot_style():
        _fig, ax = style.new_figure(ax=ax, figsize=(max(6.0, 1.1 * len(lt.wide) + 3.5), 5.5))
        _stacked_level_bars(ax, lt, colors)
        ax.set_ylim(0, 1.12)
        ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
        style.use_decimal_comma(ax, "y", decimals=0, percent=True)
        ax.set_ylabel("Percentage leerlingen")
        ax.set_xlabel(" · ".join(style.label(c) for c in lt.x))
        ax.grid(axis="x", visible=False)
        handles = [Patch(color=colors[lv], label=lv) for lv in lt.order]
        legend_title = {"I-V": "Niveau I–V", "A-E": "Niveau A–E", "ref": "Referentieniveau"}.get(lt.system, "Niveau")
        style.legend_outside(ax, title=legend_title, handles=handles, labels_=lt.order)
        subj = ", ".join(style.subject_label(s) for s in lt.subjects)
        ax.set_title(title or f"Niveauverdeling {subj}")
        style.keep_ticks_apart(ax)
    style.set_alt_text(ax, _level_alt_text(lt, subj))
    return ax


@dataclass
class _LevelTable:
    """One level system of a level distribution, wide: one row per bar, one column per level."""

    system: str
    subjects: list[str]
    x: list[str]
    order: list[str]
    wide: pd.DataFrame
    totals: np.ndarray
    suppressed: np.ndarray
    labels_x: list[str]


def _level_table(dist: pd.DataFrame, x) -> _LevelTable:
    system = next(iter(dict.fromkeys(dist["level_system"])))
    d = dist[dist["level_system"] == system]
    subjects = list(dict.fromkeys(d["subject"].astype(str)))
    if x is None:
        x = [c for c in d.columns if c not in _META_COLS] + (["subject"] if len(subjects) > 1 else [])
    x = [x] if isinstance(x, str) else list(x)
    order = list(style.LEVEL_ORDER.get(system, ())) or list(dict.fromkeys(d["level"]))
    order = [lv for lv in order if lv in set(d["level"])]
    wide = d.pivot_table(index=x, columns="level", values="share", aggfunc="sum", observed=True, dropna=False, sort=True)
    wide = wide.reindex(columns=order)
    totals = d.groupby(x, observed=True, sort=True)[["n_total"]].max().reindex(wide.index)["n_total"].to_numpy()
    suppressed = d.groupby(x, observed=True, sort=True)["suppressed"].any().reindex(wide.index).to_numpy()
    labels_x = [_group_label(pd.Series(dict(zip(x, idx if isinstance(idx, tuple) else (idx,)))), x) for idx in wide.index]
    return _LevelTable(system, subjects, x, order, wide, totals, suppressed, labels_x)


def _stacked_level_bars(ax: Axes, lt: _LevelTable, colors: dict) -> None:
    """Bars from the lowest level up (level I on top), percentages inside, ``n`` above."""
    pos = np.arange(len(lt.wide))
    bottom = np.zeros(len(lt.wide))
    for lv in reversed(lt.order):
        h = lt.wide[lv].fillna(0).to_numpy(dtype="float64")
        ax.bar(pos, h, bottom=bottom, color=colors[lv], label=lv, width=0.7, edgecolor="white", linewidth=0.8)
        for xi, (hh, bb) in enumerate(zip(h, bottom)):
            if hh >= 0.07:
                ax.text(
                    xi,
                    bb + hh / 2,
                    fmt_pct(hh),
                    ha="center",
                    va="center",
                    fontsize=style.FONT_SIZES["annotation"],
                    color=style.text_color_on(colors[lv]),
                )
        bottom += h
    for xi, (n, sup) in enumerate(zip(lt.totals, lt.suppressed)):
        if bool(sup):
            ax.bar(xi, 1.0, width=0.7, color="none", edgecolor=style.COLORS["norm"], hatch="//")
            ax.text(xi, 0.5, "te weinig\nleerlingen", ha="center", va="center", fontsize=style.FONT_SIZES["annotation"])
        ax.text(xi, 1.02, f"n = {int(n)}", ha="center", va="bottom", fontsize=style.FONT_SIZES["annotation"])
    ax.set_xticks(pos, [style.wrap_label(lab) for lab in lt.labels_x])


def _level_alt_text(lt: _LevelTable, subj: str) -> str:
    system, order = lt.system, lt.order
    upper = order[:3] if system in ("I-V", "A-E") else [lv for lv in order if lv in ("2F", "1S", "1F")]
    upper_txt = f"{upper[0]}–{upper[-1]}" if system in ("I-V", "A-E") else "1F of hoger"
    share_top = (
        ", ".join(
            f"{lab.replace(chr(10), ' ')}: {fmt_pct(v)} op {upper_txt}"
            for lab, v in zip(lt.labels_x, lt.wide[upper].fillna(0).sum(axis=1).to_numpy())
        )
        if upper
        else ""
    )
    return (
        f"Gestapelde staafgrafiek van de verdeling over {SYSTEM_LABELS.get(system, 'niveaus')} voor {subj}, "
        f"per {' en '.join(style.label(c).lower() for c in lt.x)} ({share_top})."
    )


def plot_trend(
    trend: pd.DataFrame, y: str = "mean", *, ax: Axes | None = None, title: str | None = None, show_average: bool = True
) -> Axes:
    """Trend lines with the number of pupils written at every point.

    Parameters
    ----------
    trend : DataFrame
        Output of :func:`plgdata.analysis.trends.trend_cross_section` (x = school year; one line per
        groep × moment × scale) or :func:`plgdata.analysis.trends.trend_cohort` (x = moment and year).
    y : {"mean", "share_at_or_above"}
        What to show; shares are drawn as percentages.
    ax : Axes, optional
    title : str, optional
    show_average : bool
        Also draw the three-year rolling average (dashed) when present.

    Returns
    -------
    Axes
    """
    if trend.empty:
        raise ValueError("Er is geen trend om te tonen.")
    is_share = y.startswith("share")
    t, xs, cohort = _trend_points(trend)
    pos = {v: i for i, v in enumerate(xs)}
    lines = list(dict.fromkeys(t["_line"]))
    level = trend.attrs.get("level", "III")
    subj = style.subject_label(trend.attrs.get("subject", "")) if trend.attrs.get("subject") else ""
    with style.plot_style():
        _fig, ax = style.new_figure(ax=ax)
        for i, ln in enumerate(lines):
            _trend_line(ax, t[t["_line"] == ln], pos, y, style.series_style(i), show_average)
        ax.set_xticks(range(len(xs)), xs)
        ax.set_xlim(-0.5, len(xs) - 0.5)
        if is_share:
            ax.set_ylim(0, 1.05)
            style.use_decimal_comma(ax, "y", decimals=0, percent=True)
            ax.set_ylabel(f"Percentage op niveau {level} of hoger")
        else:
            style.use_decimal_comma(ax, "y")
            ax.set_ylabel("Gemiddelde vaardigheidsscore")
            lo, hi = ax.get_ylim()
            ax.set_ylim(lo, hi + 0.08 * (hi - lo))
        ax.set_xlabel("Meetmoment" if cohort else "Schooljaar")
        ax.grid(axis="x", visible=False)
        if len(lines) > 1 or show_average:
            style.legend_outside(ax, title="Lijn")
        ax.set_title(title or f"Trend {subj} ({'cohort' if cohort else 'dwarsdoorsnede'})".replace("  ", " "))
    what = f"het percentage leerlingen op niveau {level} of hoger" if is_share else "de gemiddelde vaardigheidsscore"
    first, last = t.iloc[0], t.iloc[-1]
    style.set_alt_text(
        ax,
        f"Lijngrafiek ({'cohort' if cohort else 'dwarsdoorsnede'}) van {what}{' voor ' + subj if subj else ''} "
        f"van {first['_x'].replace(chr(10), ' ')} ({_fmt_val(first[y], is_share)}, n = {int(first['n'])}) "
        f"tot {last['_x'].replace(chr(10), ' ')} ({_fmt_val(last[y], is_share)}, n = {int(last['n'])})"
        f"{'; verschillende toetsversies staan als aparte lijnen' if len(set(t['scale'].astype(str))) > 1 else ''}.",
    )
    return ax


def _trend_points(trend: pd.DataFrame) -> tuple[pd.DataFrame, list[str], bool]:
    """The trend with its x label (``_x``) and line (``_line``) per row, the x order, and whether it is a cohort."""
    cohort = "n_cohort" in trend.attrs or (
        "moment" in trend.columns and "school_year" in trend.columns and "mean_3jr" not in trend.columns
    )
    t = trend.copy()
    if cohort:
        # on a crowded axis (more than five moments) the school year is written short: 2022-2023 -> 22-23
        crowded = t[["moment", "school_year"]].drop_duplicates().shape[0] > 5
        year = t["school_year"].astype(str)
        t["_x"] = (
            t["moment"].astype(str) + "\n" + (year.str.replace(r"^20(\d\d)-20(\d\d)$", r"\1-\2", regex=True) if crowded else year)
        )
        t["_line"] = t["scale"].astype(str)
    else:
        t["_x"] = t["school_year"].astype(str)
        multi_line = t[["groep", "period"]].drop_duplicates().shape[0] > 1
        t["_line"] = ("groep " + t["groep"].astype(str) + " " + t["period"].astype(str) + " · " if multi_line else "") + t[
            "scale"
        ].astype(str)
    xs = list(dict.fromkeys(t["_x"]))
    return t, (xs if cohort else sorted(xs)), cohort


def _trend_line(ax: Axes, part: pd.DataFrame, pos: dict, y: str, series: dict, show_average: bool) -> None:
    """One line with ``n`` at every point, and its three-year average (dashed) when asked and present.

    ``series`` (:func:`plgdata.plots.style.series_style`) gives the line its own colour, dash pattern
    and marker, so the lines stay apart in greyscale.

    The line breaks where it has no point (a year on another test version), never bridging the gap;
    a point without a value says why (too few pupils, or no level in the I-V system, as in IEP).
    """
    ln = str(part["_line"].iloc[0])
    full = part.drop_duplicates("_x").set_index("_x").reindex(list(pos))
    px = np.arange(len(pos))
    py = full[y].to_numpy(dtype="float64")
    ax.plot(px, py, label=ln, **series)
    color = series["color"]
    missing: dict[str, list[tuple[int, int]]] = {}  # why -> (x, n) of the points without a value
    for xx, yy, (_, row) in zip(px, py, full.iterrows()):
        if pd.isna(row["n"]):
            continue  # no result of this line in that year
        n = int(row["n"])
        if np.isnan(yy):
            why = (
                "te weinig leerlingen"
                if bool(row.get("suppressed", False))
                else "geen niveau I–V"
                if y.startswith("share")
                else "geen score"
            )
            missing.setdefault(why, []).append((xx, n))
            continue
        style.label_point(ax, f"n = {n}", (xx, yy), color=color, box=True)
    for why, points in missing.items():  # one note per reason, centred under its points
        ns = sorted({n for _, n in points})
        n_text = f"n = {ns[0]}" if len(ns) == 1 else f"n = {ns[0]}–{ns[-1]}"
        ax.annotate(
            f"{why}\n({ln}, {n_text})",
            (
                float(np.mean([x for x, _ in points])),
                0.25 if y.startswith("share") else (np.nanmean(py) if np.isfinite(py).any() else 0),
            ),
            ha="center",
            fontsize=style.FONT_SIZES["annotation"] - 1,
            color=color,
        )
    avg_col = "share_3jr" if y.startswith("share") else "mean_3jr"
    if show_average and avg_col in full.columns and full[avg_col].notna().any():
        ax.plot(
            px,
            full[avg_col].to_numpy(dtype="float64"),
            linestyle="--",
            color=color,
            alpha=0.7,
            label=f"{ln}: driejaarsgemiddelde",
        )


def _fmt_val(v, share: bool) -> str:
    return fmt_pct(v) if share else fmt_num(v)


def plot_growth_scatter(
    growth_df: pd.DataFrame,
    *,
    hue: str | None = None,
    norm_table: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Pre versus post score per pupil, with the line y = x and the norm line.

    Parameters
    ----------
    growth_df : DataFrame
        Output of :func:`plgdata.analysis.growth.pupil_growth`, optionally with the columns of
        :func:`plgdata.analysis.growth.norm_growth` (``expected_post``).
    hue : str, optional
        Column that colours the points (e.g. ``'class_name'``).
    norm_table : DataFrame, optional
        When given and ``expected_post`` is missing, the norm line is computed from it.
    ax : Axes, optional
    title : str, optional

    Returns
    -------
    Axes
        Points above the norm line grew more than expected; points above y = x grew at all.

    Notes
    -----
    Norm line: expected post = μ_post + (pre − μ_pre)·σ_post/σ_pre (the same z score at
    both moments), see :func:`plgdata.analysis.growth.norm_growth`.
    """
    from plgdata.analysis.growth import norm_growth

    g = growth_df[growth_df["pre"].notna() & growth_df["post"].notna()].copy()
    if g.empty:
        raise ValueError("Er zijn geen leerlingen met een voor- en nameting om te tonen.")
    if "expected_post" not in g.columns and norm_table is not None:
        g = norm_growth(g, norm_table)
    m_pre = ", ".join(dict.fromkeys(g["moment_pre"].astype(str))) if "moment_pre" in g else ""
    m_post = ", ".join(dict.fromkeys(g["moment_post"].astype(str))) if "moment_post" in g else ""
    subj = style.subject_label(str(g["subject"].iloc[0])) if "subject" in g else ""
    with style.plot_style():
        _fig, ax = style.new_figure(ax=ax, figsize=(7.5, 6.5))
        _growth_points(ax, g, hue)
        lo = float(np.nanmin([g["pre"].min(), g["post"].min()]))
        hi = float(np.nanmax([g["pre"].max(), g["post"].max()]))
        pad = 0.05 * (hi - lo if hi > lo else 1.0)
        xs = np.array([lo - pad, hi + pad])
        ax.plot(xs, xs, linestyle=":", color=style.COLORS["reference"], label="geen groei (nameting = voormeting)")
        has_norm = "expected_post" in g.columns and g["expected_post"].notna().any()
        if has_norm:
            _norm_lines(ax, g, xs)
        ax.set_xlim(*xs)
        ax.set_ylim(*xs)
        ax.set_xlabel(f"Voormeting{' (' + m_pre + ')' if m_pre else ''}: vaardigheidsscore")
        ax.set_ylabel(f"Nameting{' (' + m_post + ')' if m_post else ''}: vaardigheidsscore")
        style.use_decimal_comma(ax, "both")
        ax.legend(loc="upper left", frameon=False, fontsize=style.FONT_SIZES["annotation"])
        ax.set_title(title or f"Voor- en nameting per leerling{' – ' + subj if subj else ''}")
    style.set_alt_text(ax, _growth_alt_text(g, subj, m_pre, m_post, has_norm))
    return ax


def _growth_points(ax: Axes, g: pd.DataFrame, hue: str | None) -> None:
    if hue is None:
        ax.scatter(
            g["pre"],
            g["post"],
            s=45,
            alpha=0.8,
            color=style.COLORS["primary"],
            label=f"leerlingen (n = {len(g)})",
            edgecolor="white",
            linewidth=0.5,
        )
        return
    for i, h in enumerate(sorted(dict.fromkeys(g[hue].astype(str)))):
        part = g[g[hue].astype(str) == h]
        ax.scatter(
            part["pre"],
            part["post"],
            s=45,
            alpha=0.8,
            color=style.series_style(i)["color"],
            marker=style.series_style(i)["marker"],  # each group its own marker: apart in greyscale too
            label=f"{h} (n = {len(part)})",
            edgecolor="white",
            linewidth=0.5,
        )


def _norm_lines(ax: Axes, g: pd.DataFrame, xs: np.ndarray) -> None:
    """The expected posttest (same z at both moments) per scale and pair of moments, as a dashed line."""
    keys = [c for c in ("scale", "moment_pre", "moment_post") if c in g.columns]
    for j, (_, part) in enumerate(g[g["expected_post"].notna()].groupby(keys, observed=True)):
        p = part.sort_values("pre")
        x0, x1 = p["pre"].iloc[0], p["pre"].iloc[-1]
        slope = (p["expected_post"].iloc[-1] - p["expected_post"].iloc[0]) / (x1 - x0) if x1 != x0 else 1.0
        intercept = p["expected_post"].iloc[0] - slope * x0
        ax.plot(
            xs,
            intercept + slope * xs,
            linestyle="--",
            color=style.COLORS["target"],
            label="verwachte nameting (landelijke norm)" if j == 0 else None,
        )


def _growth_alt_text(g: pd.DataFrame, subj: str, m_pre: str, m_post: str, has_norm: bool) -> str:
    share_up = float((g["post"] > g["pre"]).mean())
    txt = (
        f"Spreidingsdiagram van {len(g)} leerlingen{' (' + subj + ')' if subj else ''}: voormeting "
        f"{m_pre} tegen nameting {m_post}; {fmt_pct(share_up)} ligt boven de lijn zonder groei"
    )
    if has_norm:
        share_norm = float((g["post"] >= g["expected_post"]).where(g["expected_post"].notna()).mean())
        txt += f" en {fmt_pct(share_norm)} op of boven de verwachte groei volgens de norm"
    return txt + "."


def plot_goal_progress(goal: GoalProgress, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """The share per school year against the target line, with the deadline.

    Parameters
    ----------
    goal : GoalProgress
        Output of :func:`plgdata.analysis.levels.goal_progress`.
    ax : Axes, optional
    title : str, optional

    Returns
    -------
    Axes
    """
    h = goal.history
    with style.plot_style():
        _fig, ax = style.new_figure(ax=ax)
        xs = list(h["school_year"].astype(str)) if not h.empty else []
        pos = np.arange(len(xs))
        vals = h["share"].to_numpy(dtype="float64") if not h.empty else np.array([])
        colors = [style.COLORS["primary"]] * len(xs)
        if goal.current_year in xs:
            colors[xs.index(goal.current_year)] = style.COLORS["intervention"]
        ax.bar(pos, np.nan_to_num(vals), color=colors, width=0.6, label="gemeten")
        for xi, v, n in zip(pos, vals, h["n"].to_numpy() if not h.empty else []):
            label_txt = f"{fmt_pct(v)}\nn = {int(n)}" if not np.isnan(v) else f"te weinig\nn = {int(n)}"
            ax.text(
                xi,
                (0 if np.isnan(v) else v) + 0.02,
                label_txt,
                ha="center",
                va="bottom",
                fontsize=style.FONT_SIZES["annotation"],
                zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
            )
        ax.axhline(
            goal.target_share,
            color=style.COLORS["target"],
            linestyle="--",
            linewidth=2.5,
            label=f"doel: {'minstens' if goal.direction == 'at_least' else 'hoogstens'} {fmt_pct(goal.target_share)} (uiterlijk {goal.deadline})",
        )
        ax.set_xticks(pos, xs)
        ax.set_xlim(-0.6, max(len(xs), 1) - 0.4)
        ax.set_ylim(0, 1.15)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        style.use_decimal_comma(ax, "y", decimals=0, percent=True)
        scope = "of hoger" if goal.scope == "at_or_above" else "of lager"
        ax.set_ylabel(f"Percentage op niveau {goal.level} {scope}")
        ax.set_xlabel("Schooljaar")
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper left", frameon=False)
        ax.set_title(title or f"Doel {style.subject_label(goal.subject)} {goal.moment}: stand van zaken")
    scope_txt = f"op niveau {goal.level} {'of hoger' if goal.scope == 'at_or_above' else 'of lager'}"
    now = (
        f"nu {fmt_pct(goal.current_share)} in {goal.current_year} (n = {goal.n})"
        if goal.current_year and not np.isnan(goal.current_share)
        else "nog geen percentage te tonen"
    )
    style.set_alt_text(
        ax,
        f"Staafgrafiek van het percentage leerlingen {scope_txt} bij {goal.moment} per schooljaar: {now}, "
        f"doel {'minstens' if goal.direction == 'at_least' else 'hoogstens'} {fmt_pct(goal.target_share)} "
        f"uiterlijk {goal.deadline} ({'gehaald' if goal.met else 'nog niet gehaald'}).",
    )
    return ax
