"""The one place that owns the visual style of every plgdata plot.

Every plotting function in plgdata draws inside :func:`plot_style` (or after
:func:`apply_style`) and makes its figure with :func:`new_figure`, so reports look
the same everywhere: a colour-blind safe palette, fonts readable on a projector,
Dutch labels (taken from :mod:`plgdata.model.labels`, never duplicated here) and numbers
with a decimal comma.

Alt text convention
-------------------
Each plotting function attaches a one-sentence Dutch description of what the plot
shows to its figure with :func:`set_alt_text`; the report renderer reads it back with
:func:`get_alt_text` (kept beside the figure, not on it).

The module selects the non-interactive ``Agg`` backend when no display is available
and no backend was chosen yet, so it is safe in tests and on servers.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import weakref
from collections.abc import Iterator, Sequence

import matplotlib

if not os.environ.get("DISPLAY") and "MPLBACKEND" not in os.environ and "inline" not in str(matplotlib.get_backend()):
    try:  # pragma: no cover - depends on environment
        matplotlib.use("Agg")
    except Exception:  # noqa: BLE001
        pass

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from plgdata.model import labels
from plgdata.model.labels import fmt_num, fmt_pct, label  # noqa: E402,F401  (re-exported for plot modules)
from plgdata.model.vocabulary import LEVEL_SYSTEMS

# ---------------------------------------------------------------------------
# Palette and sizes
# ---------------------------------------------------------------------------

#: qualitative colour-blind safe palette (seaborn "colorblind", after Okabe & Ito / Wong)
PALETTE: list[tuple[float, float, float]] = list(sns.color_palette("colorblind"))

#: named roles, so "intervention" is the same colour in every plot
COLORS: dict[str, tuple[float, float, float]] = {
    "primary": PALETTE[0],  # blue
    "intervention": PALETTE[1],  # orange
    "comparison": PALETTE[0],  # blue
    "norm": PALETTE[7],  # grey
    "good": PALETTE[2],  # green
    "bad": PALETTE[3],  # red-ish
    "target": PALETTE[4],  # purple
    "reference": (0.35, 0.35, 0.35),
}

#: level order for stacked bars, per system (highest first)
LEVEL_ORDER: dict[str, tuple[str, ...]] = LEVEL_SYSTEMS

FONT_SIZES: dict[str, float] = {"base": 14, "title": 17, "label": 15, "tick": 13, "legend": 12, "annotation": 11}

#: default figure size in inches (wide enough for a projector, fits A4 at 100 dpi)
FIGSIZE: tuple[float, float] = (9.0, 5.5)
DPI: int = 100

RC_PARAMS: dict[str, object] = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": FONT_SIZES["base"],
    "axes.titlesize": FONT_SIZES["title"],
    "axes.titleweight": "bold",
    "axes.labelsize": FONT_SIZES["label"],
    "xtick.labelsize": FONT_SIZES["tick"],
    "ytick.labelsize": FONT_SIZES["tick"],
    "legend.fontsize": FONT_SIZES["legend"],
    "legend.title_fontsize": FONT_SIZES["legend"],
    "lines.linewidth": 2.5,
    "lines.markersize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.use_locale": False,
    "svg.fonttype": "none",
}


#: the five level colours, best first: light blue through grey to dark red.  Their lightness falls
#: in even steps (CIE L* about 82, 70, 55, 43, 30), so the levels stay apart in greyscale and
#: on a black-and-white print (a diverging palette made niveau III almost white and I ≈ V in grey);
#: red never turns green, and each carries black or white text at a WCAG contrast of at least 4.5
LEVEL_COLOURS: tuple[tuple[float, float, float], ...] = (
    (0.62, 0.82, 0.98),  # I    light blue   L* 82
    (0.54, 0.68, 0.84),  # II   grey blue    L* 70
    (0.55, 0.51, 0.51),  # III  warm grey    L* 55
    (0.74, 0.20, 0.20),  # IV   red          L* 43
    (0.58, 0.02, 0.03),  # V    dark red     L* 30
)


#: line style and marker of each series of a line plot (the subjects of a trend, the test versions of a
#: cohort): every line also differs in dash pattern and marker shape, so it stays apart in greyscale, on a
#: black-and-white print and for a colour-blind reader (never the colour alone).  The plain dashed ``"--"``
#: and the dotted ``":"`` are left to the three-year averages and the reference lines (landelijk 60%).
SERIES_LINESTYLES: tuple = ("-", (0, (6, 2)), "-.", (0, (3, 1, 1, 1, 1, 1)), (0, (12, 2, 2, 2)), (0, (1, 1.5)), (0, (10, 3)))
SERIES_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")


def series_style(i: int) -> dict:
    """Colour, line style and marker of the ``i``-th series: ``ax.plot(x, y, **series_style(i))``.

    The ``i``-th colour of :data:`PALETTE`, dash pattern of :data:`SERIES_LINESTYLES` and marker of
    :data:`SERIES_MARKERS`; the first ``len(SERIES_LINESTYLES)`` series (seven) differ in all three, also
    without colour.

    >>> series_style(0)["linestyle"], series_style(1)["marker"]
    ('-', 's')
    """
    return {
        "color": PALETTE[i % len(PALETTE)],
        "linestyle": SERIES_LINESTYLES[i % len(SERIES_LINESTYLES)],
        "marker": SERIES_MARKERS[i % len(SERIES_MARKERS)],
    }


def level_palette(n: int) -> list[tuple[float, float, float]]:
    """Colours of ``n`` ordered levels, best first: light blue (good) through grey to dark red
    (concern), each one darker than the one before (:data:`LEVEL_COLOURS`, spread over ``n``).

    >>> [round(lightness(c)) for c in level_palette(5)]
    [82, 70, 55, 43, 30]
    """
    if n <= 1:
        return [COLORS["primary"]]
    anchors = np.asarray(LEVEL_COLOURS)
    pos = np.linspace(0, len(anchors) - 1, n)
    return [tuple(float(np.interp(p, range(len(anchors)), anchors[:, k])) for k in range(3)) for p in pos]


def lightness(color) -> float:
    """CIE L* (0 black … 100 white) of an RGB colour: how light it prints in greyscale."""
    y = luminance(color)
    return 116 * y ** (1 / 3) - 16 if y > (6 / 29) ** 3 else y * (29 / 3) ** 3


def luminance(color) -> float:
    """Relative luminance of an RGB colour (WCAG 2)."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_color_on(color) -> str:
    """``"white"`` or ``"black"``, whichever has the higher WCAG contrast on ``color``."""
    lum = luminance(color)
    return "white" if 1.05 / (lum + 0.05) > (lum + 0.05) / 0.05 else "black"


def wrap_label(text: str, width: int = 12) -> str:
    """Break a tick label over lines of at most ``width`` characters (also after a hyphen)."""
    import textwrap

    return "\n".join(textwrap.fill(part, width, break_on_hyphens=True) for part in str(text).split("\n"))


def keep_ticks_apart(ax: Axes, axis: str = "x") -> bool:
    """Turn the tick labels of ``axis`` upright (90°) when two of them overlap; True when turned.

    Upright labels take one line height each, so they never collide; wrap long labels
    (:func:`wrap_label`) first, so this is needed only for many bars.  Measures the labels
    where the figure's layout puts them, without drawing (rasterising) the figure.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    if fig.get_layout_engine() is not None:
        fig.get_layout_engine().execute(fig)  # the axes where a draw would put them
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    boxes = [t.get_window_extent(renderer) for t in ticks if t.get_text()]
    if not any(a.overlaps(b) for a, b in itertools.pairwise(boxes)):
        return False
    ax.tick_params(axis=axis, labelrotation=90)
    return True


def apply_style() -> None:
    """Set the plgdata style globally (seaborn theme + projector-readable rcParams)."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, rc=RC_PARAMS)
    plt.rcParams.update(RC_PARAMS)


@contextlib.contextmanager
def plot_style() -> Iterator[None]:
    """Context manager: draw with the plgdata style, restore the previous rcParams afterwards.

    Examples
    --------
    >>> with plot_style():
    ...     fig, ax = new_figure()
    >>> plt.close(fig)
    """
    with matplotlib.rc_context():
        apply_style()
        yield


# ---------------------------------------------------------------------------
# Decimal comma
# ---------------------------------------------------------------------------


def decimal_comma_formatter(decimals: int | None = None, percent: bool = False) -> FuncFormatter:
    """Tick formatter writing numbers the Dutch way (``1.234,5``).

    Parameters
    ----------
    decimals : int or None
        Fixed number of decimals; ``None`` picks the fewest decimals (0–3) that
        represent the tick value exactly.
    percent : bool
        Treat values as shares (0–1) and write them as percentages (``40%``).

    Examples
    --------
    >>> decimal_comma_formatter(1)(2.5, 0)
    '2,5'
    >>> decimal_comma_formatter(0, percent=True)(0.75, 0)
    '75%'
    """

    def _fmt(x: float, _pos: int | None = None) -> str:
        value = 100 * x if percent else x
        if decimals is None:
            d = 0
            for d in range(4):
                if abs(round(value, d) - value) < 1e-9 * max(1.0, abs(value)):
                    break
        else:
            d = decimals
        text = fmt_num(value, d)
        if text.startswith("-") and set(text[1:]) <= {"0", ",", "."}:
            text = text[1:]  # no "-0,0"
        return text + ("%" if percent else "")

    return FuncFormatter(_fmt)


def use_decimal_comma(ax: Axes, axis: str = "both", decimals: int | None = None, percent: bool = False) -> Axes:
    """Make the tick labels of ``ax`` use a decimal comma.

    Parameters
    ----------
    ax : matplotlib Axes
    axis : {"both", "x", "y"}
    decimals : int or None
        See :func:`decimal_comma_formatter`.
    percent : bool
        Write shares (0–1) as percentages.
    """
    if axis not in ("both", "x", "y"):
        raise ValueError("axis moet 'both', 'x' of 'y' zijn")
    if axis in ("both", "x"):
        ax.xaxis.set_major_formatter(decimal_comma_formatter(decimals, percent))
    if axis in ("both", "y"):
        ax.yaxis.set_major_formatter(decimal_comma_formatter(decimals, percent))
    return ax


# ---------------------------------------------------------------------------
# Figures, labels, alt text
# ---------------------------------------------------------------------------


def new_figure(
    nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None, ax: Axes | None = None, **kwargs
) -> tuple[Figure, Axes]:
    """A figure and axes in the plgdata style (or the figure of a given ``ax``).

    Call it inside :func:`plot_style` (the plot functions do) so the rcParams apply.
    Returns ``(fig, ax)``; with several rows/columns ``ax`` is an array as in
    :func:`matplotlib.pyplot.subplots`.
    """
    if ax is not None:
        return ax.figure, ax
    if figsize is None:
        figsize = (FIGSIZE[0] * max(1, ncols) ** 0.5, FIGSIZE[1] * max(1, nrows) ** 0.5)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", **kwargs)
    return fig, axes


def subject_label(subject: str) -> str:
    """Dutch display name of a subject code (from :mod:`plgdata.model.labels`)."""
    return labels.SUBJECT_LABELS.get(str(subject), str(subject))


def set_labels(ax: Axes, x: str | None = None, y: str | None = None, title: str | None = None) -> Axes:
    """Set axis labels, translating canonical column names via :func:`plgdata.model.labels.label`."""
    if x is not None:
        ax.set_xlabel(label(x))
    if y is not None:
        ax.set_ylabel(label(y))
    if title is not None:
        ax.set_title(title)
    return ax


#: figure -> its Dutch alt text; weak, so a closed figure takes its text with it
_ALT_TEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def label_point(ax: Axes, text: str, xy, *, color=None, offset: float = 11, smaller: bool = False, box: bool = False):
    """Write ``text`` centred just above the point ``xy`` (the ``n`` or mean of a point); ``box`` puts
    it on a white ground so it stays readable over dots and lines."""
    return ax.annotate(
        text,
        xy,
        textcoords="offset points",
        xytext=(0, offset),
        ha="center",
        fontsize=FONT_SIZES["annotation"] - (1 if smaller else 0),
        color=color,
        zorder=6,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.0} if box else None,
    )


def set_alt_text(fig_or_ax: Figure | Axes, text: str) -> str:
    """Attach a Dutch one-sentence description (alt text) to a figure; returns the text."""
    fig = fig_or_ax.figure if isinstance(fig_or_ax, Axes) else fig_or_ax
    _ALT_TEXTS[fig] = text
    return text


def get_alt_text(fig_or_ax: Figure | Axes, default: str = "Grafiek") -> str:
    """The alt text set by :func:`set_alt_text` (``default`` when none was set)."""
    fig = fig_or_ax.figure if isinstance(fig_or_ax, Axes) else fig_or_ax
    return _ALT_TEXTS.get(fig, default)


def legend_outside(ax: Axes, title: str | None = None, handles: Sequence | None = None, labels_: Sequence | None = None):
    """Place the legend to the right of the axes (keeps bars and lines readable)."""
    kwargs = {"title": title, "loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "frameon": False}
    if handles is not None:
        return ax.legend(handles, labels_, **kwargs)
    return ax.legend(**kwargs)


__all__ = [
    "PALETTE",
    "COLORS",
    "LEVEL_ORDER",
    "FONT_SIZES",
    "FIGSIZE",
    "level_palette",
    "series_style",
    "SERIES_LINESTYLES",
    "SERIES_MARKERS",
    "LEVEL_COLOURS",
    "lightness",
    "text_color_on",
    "luminance",
    "wrap_label",
    "keep_ticks_apart",
    "apply_style",
    "plot_style",
    "decimal_comma_formatter",
    "use_decimal_comma",
    "new_figure",
    "subject_label",
    "set_labels",
    "set_alt_text",
    "get_alt_text",
    "legend_outside",
    "fmt_num",
    "fmt_pct",
    "label",
]
