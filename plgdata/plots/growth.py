"""Growth per pupil and per subject: points, the mean and its 95% interval.

:func:`plot_growth_by_subject` takes the tidy output of
:func:`plgdata.analysis.growth.pupil_growth` (one row per pupil, several subjects stacked)
and returns the figure, with a Dutch alt text (:func:`plgdata.plots.style.get_alt_text`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plgdata.analysis.intervals import mean_ci
from plgdata.model.labels import fmt_num
from plgdata.model.vocabulary import MIN_N
from plgdata.plots import style

__all__ = ["plot_growth_by_subject"]


def _points(ax, vals: np.ndarray, y: float, first: bool, rng, decimals: int) -> str:
    """Jittered points, the mean with its 95% interval and an ``n`` label; returns the alt text part."""
    n = len(vals)
    ax.scatter(
        vals,
        y + rng.uniform(-0.18, 0.18, n),
        s=28,
        alpha=0.45,
        color=style.COLORS["norm"],
        edgecolor="none",
        label="één leerling" if first else None,
    )
    m, lo, hi = mean_ci(vals)
    ax.errorbar(
        [m],
        [y],
        xerr=[[m - lo], [hi - m]],
        fmt="o",
        color=style.COLORS["primary"],
        markersize=10,
        capsize=6,
        linewidth=2.5,
        label="gemiddelde met 95%-BI" if first else None,
        zorder=5,
    )
    style.label_point(ax, f"{fmt_num(m, decimals)} (n = {n})", (m, y), offset=14, box=True)
    return f"gemiddeld {fmt_num(m, decimals)} (95%-BI {fmt_num(lo, decimals)} tot {fmt_num(hi, decimals)}, n = {n})"


def _finish_raw_panel(ax, name: str) -> None:
    ax.axvline(0, color=style.COLORS["reference"], linestyle=":", linewidth=1.5)
    ax.set_title(name)
    ax.set_yticks([])
    ax.set_xlabel("Leerwinst (punten)")
    style.use_decimal_comma(ax, "x")


def _finish_z_panel(ax, names: list[str], who: str) -> None:
    ax.axvline(0, color=style.COLORS["target"], linestyle="--", linewidth=2, label="groei gelijk aan de landelijke norm")
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlabel("Groei in z-scores (0 = groeide als de landelijke normgroep)")
    style.use_decimal_comma(ax, "x")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=style.FONT_SIZES["legend"])
    ax.set_title(f"Groei van midden naar eind schooljaar – {who}")


def plot_growth_by_subject(growth: pd.DataFrame, *, use_z: bool, who: str, min_n: int = MIN_N):
    """Per subject every pupil's growth, the mean and its 95% t interval.

    Parameters
    ----------
    growth : DataFrame
        One row per pupil and subject: ``subject`` and ``z_growth`` (``use_z``) or ``gain``.
    use_z : bool
        Growth in z-scores against the national norm (one panel, one row per subject)
        instead of raw gain in points (one panel per subject).
    who : str
        Who the pupils are (``"groep 6"``), for the title.
    min_n : int
        A subject with fewer pupils shows "te weinig leerlingen" instead of points.

    Returns
    -------
    Figure or None
        ``None`` when ``growth`` is empty.
    """
    value = "z_growth" if use_z else "gain"
    subjects = list(dict.fromkeys(growth["subject"].astype(str))) if len(growth) else []
    if not subjects:
        return None
    rng = np.random.default_rng(2026)
    decimals = 2 if use_z else 1
    names = [style.subject_label(s) for s in subjects]
    with style.plot_style():
        ncols = 1 if use_z else len(subjects)
        size = (9.0, 1.1 * len(subjects) + 3.0) if use_z else (max(4.2 * ncols, 6.0), 5.5)
        fig, axes = style.new_figure(1, ncols, figsize=size)
        axes = [axes] if ncols == 1 else list(np.atleast_1d(axes))
        parts = []
        for i, (subject, name) in enumerate(zip(subjects, names)):
            ax, y = (axes[0], i) if use_z else (axes[i], 0)
            vals = growth.loc[growth["subject"].astype(str) == subject, value].to_numpy(dtype="float64")
            vals = vals[~np.isnan(vals)]
            if len(vals) < min_n:
                ax.text(0, y, "te weinig leerlingen", ha="center", va="center", fontsize=style.FONT_SIZES["annotation"])
                parts.append(f"{name}: te weinig leerlingen")
            else:
                parts.append(f"{name}: " + _points(ax, vals, y, i == 0, rng, decimals))
            if not use_z:
                _finish_raw_panel(ax, name)
        if use_z:
            _finish_z_panel(axes[0], names, who)
        else:
            fig.suptitle(f"Leerwinst van midden naar eind schooljaar – {who}")
    what = "groei in z-scores ten opzichte van de landelijke norm" if use_z else "leerwinst in vaardigheidsscore"
    style.set_alt_text(
        fig,
        f"Puntenwolk per vak van de {what} per leerling, met het gemiddelde en het "
        "95%-betrouwbaarheidsinterval: " + "; ".join(parts) + ".",
    )
    return fig
