"""What the four report kinds share: the figure with its alt text, subject order, small words.

The report content modules (:mod:`~plgdata.reporting.groepsoverzicht`,
:mod:`~plgdata.reporting.trendanalyse`, :mod:`~plgdata.reporting.interventie`,
:mod:`~plgdata.reporting.cyclusrapport`) each return a small dataclass holding everything
one report shows: the *kernboodschap* (Dutch sentences, message first), tidy tables,
figures with Dutch alt text (:class:`ReportFigure`), notes and the questions the team
should ask itself.  The notebooks in ``notebooks/rapporten/`` only call them and hand the
values to :mod:`plgdata.reporting.html`.

Privacy: tables hold pseudonyms only; statistics of groups with fewer than ``min_n``
pupils are blanked in the content already (and again by :func:`plgdata.reporting.html.table`);
text a user typed (cycle file, intervention names) is returned as plain text and is
escaped by the html building blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from plgdata.model.labels import SUBJECT_LABELS
from plgdata.plots import style

__all__ = ["ReportFigure", "plural", "report_figure", "school_years", "subject_name", "subjects_in"]

# vocabulary: see issue 8 (the subject order belongs with the one subject vocabulary in plgdata.model)
_SUBJECT_ORDER = ("rekenen-wiskunde", "begrijpend lezen", "spelling", "technisch lezen", "woordenschat")


@dataclass
class ReportFigure:
    """A matplotlib figure with its Dutch alt text and caption (``html.figure(f.fig, f.alt, f.caption)``)."""

    fig: object
    alt: str
    caption: str | None = None

    def close(self) -> None:
        import matplotlib.pyplot as plt

        plt.close(self.fig)


def report_figure(fig_or_ax, caption: str | None = None) -> ReportFigure | None:
    """Wrap a figure (or the figure of an Axes) with its alt text; ``None`` stays ``None``."""
    if fig_or_ax is None:
        return None
    fig = fig_or_ax if hasattr(fig_or_ax, "savefig") else fig_or_ax.figure
    return ReportFigure(fig, style.get_alt_text(fig), caption)


def subject_name(subject) -> str:
    """Dutch display name of a subject code."""
    return SUBJECT_LABELS.get(str(subject), str(subject))


def subjects_in(scores: pd.DataFrame) -> list[str]:
    """The subjects in ``scores``, in the report order."""
    present = [str(s) for s in scores["subject"].dropna().unique()]
    return [s for s in _SUBJECT_ORDER if s in present] + sorted(s for s in present if s not in _SUBJECT_ORDER)


def school_years(values) -> list[str]:
    """Distinct school years, sorted, missing values left out."""
    return sorted({str(v) for v in values if not pd.isna(v)})


def plural(n: int, one: str, many: str) -> str:
    """``plural(1, "leerling", "leerlingen")`` -> ``'1 leerling'``."""
    return f"{n} {one if n == 1 else many}"
