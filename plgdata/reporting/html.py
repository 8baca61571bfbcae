"""HTML building blocks that report notebooks display.

Every function returns an ``IPython.display.HTML`` object (so a report notebook cell
shows it and nbconvert keeps it as ``text/html``), and every text that may come from a
user or a data file is escaped.  Figures are embedded as PNG data URIs with Dutch alt
text, so a report needs nothing from outside its own file.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable

import pandas as pd

from plgdata.model.labels import fmt_num, fmt_pct
from plgdata.model.vocabulary import MIN_N
from plgdata.reporting.suppression import complement_note, suppress_small  # noqa: F401 (suppress_small re-exported)

#: a table with this many columns or more prints smaller on A4 (words are never broken to fit)
WIDE_TABLE_COLUMNS = 8
#: a table of at most this many rows is kept on one page in print
SHORT_TABLE_ROWS = 12


def _html(markup: str):
    from IPython.display import HTML

    return HTML(markup)


#: Unicode bidirectional controls (LRE … RLO, LRI … PDI, LRM/RLM/ALM): typed or pasted into a
#: record they would silently reverse the text after them in a report ("Trojan source")
_BIDI_CONTROLS = dict.fromkeys([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None)


def esc(text: object) -> str:
    """Escape any text for HTML (a ``<script>`` typed by a user shows as text; bidirectional
    control characters are dropped, so text reads in a report as it was typed).

    >>> esc("<b>M1</b> \u202egnirpsnevo")
    '&lt;b&gt;M1&lt;/b&gt; gnirpsnevo'
    """
    plain = "" if text is None else str(text)
    return html.escape(plain.translate(_BIDI_CONTROLS), quote=True)


def title(text: str, subtitle: str | None = None):
    """The report's h1 (never pupil data)."""
    sub = f'<p class="plg-noot">{esc(subtitle)}</p>' if subtitle else ""
    return _html(f"<h1>{esc(text)}</h1>{sub}")


def heading(text: str, level: int = 2):
    level = min(max(int(level), 2), 4)
    return _html(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: str):
    return _html(f"<p>{esc(text)}</p>")


def kernboodschap(text: str | Iterable[str], tone: str = "neutraal"):
    """The message first: a highlighted box. ``tone``: ``neutraal``, ``goed``, ``let-op``."""
    items = [text] if isinstance(text, str) else list(text)
    cls = {"goed": " plg-goed", "let-op": " plg-let-op"}.get(tone, "")
    body = "".join(f"<p>{esc(t)}</p>" for t in items)
    return _html(f'<section class="plg-kernboodschap{cls}" aria-label="Kernboodschap"><h2>Kernboodschap</h2>{body}</section>')


def summary_section(title_text: str, parts: Iterable[tuple[str, Iterable[str]]]):
    """A summary that leads a report (the board summary): per part a heading and its sentences;
    in print it ends its page(s), so it can be handed out on its own."""
    body = "".join(
        f'<h3 class="plg-kop">{esc(head)}</h3><ul class="plg-lijst">{"".join(f"<li>{esc(s)}</li>" for s in items)}</ul>'
        for head, items in parts
    )
    return _html(f'<section class="plg-samenvatting" aria-label="{esc(title_text)}"><h2>{esc(title_text)}</h2>{body}</section>')


def note(text: str):
    return _html(f'<p class="plg-noot">{esc(text)}</p>')


def bullet_list(items: Iterable[str], css: str = "plg-lijst"):
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return _html(f'<ul class="{css}">{lis}</ul>')


def questions(items: Iterable[str]):
    """*Vraag jezelf af*: the questions the team should ask itself next."""
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return _html(f'<section class="plg-vragen"><h3>Vraag jezelf af</h3><ul>{lis}</ul></section>')


def figure(fig, alt: str, caption: str | None = None, dpi: int = 110):
    """Embed a matplotlib figure as a PNG data URI with Dutch alt text, then close it."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return _html(f'<figure class="plg-figuur"><img src="data:image/png;base64,{data}" alt="{esc(alt)}">{cap}</figure>')


def _cell(col, v) -> str:
    """One table cell as the column's spec shows it (the same spec writes the Excel sheet)."""
    if col.kind == "percent":
        return f'<td class="plg-getal">{esc(fmt_pct(v, col.decimals))}</td>'
    if isinstance(v, bool):
        return f"<td>{'ja' if v else 'nee'}</td>"
    if isinstance(v, int):
        return f'<td class="plg-getal">{esc(fmt_num(v, 0))}</td>'
    if isinstance(v, float) or (v is pd.NA):
        return f'<td class="plg-getal">{esc(fmt_num(None if v is pd.NA else v, col.decimals))}</td>'
    if hasattr(v, "strftime") and not pd.isna(v):
        return f"<td>{esc(v.strftime('%d-%m-%Y'))}</td>"
    return f"<td>{esc('–' if v is None or (not isinstance(v, str) and pd.isna(v)) else v)}</td>"


def table(
    df: pd.DataFrame,
    caption: str | None = None,
    *,
    decimals: int | dict[str, int] = 1,
    percent: Iterable[str] = (),
    n_col: str | None = "n",
    min_n: int = MIN_N,
    index: bool = False,
):
    """A small Dutch table: labels from :mod:`plgdata.model.labels`, decimal comma, escaped text.

    Columns in ``percent`` hold shares (0-1) shown as ``41%``.  When ``n_col`` is in the
    table, rows with fewer than ``min_n`` pupils are suppressed with a Dutch note.  The
    columns are read by :func:`plgdata.reporting.tablespec.column_specs`, as the Excel sheet is.
    """
    from plgdata.reporting.tablespec import column_specs

    if index:
        df = df.reset_index()
    suppressed = 0
    if n_col and n_col in df.columns:
        df, suppressed = suppress_small(df, n_col, min_n)
    specs = column_specs(df, decimals, percent)
    head = "".join(f'<th scope="col">{esc(c.label)}</th>' for c in specs)
    rows = ["<tr>" + "".join(_cell(c, v) for c, v in zip(specs, rec)) + "</tr>" for rec in df.itertuples(index=False)]
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    foot = (
        f'<p class="plg-noot">{suppressed} groep(en) met minder dan {min_n} leerlingen: geen cijfers getoond '
        "(te klein om iets over te zeggen, en om leerlingen te beschermen).</p>"
        if suppressed
        else ""
    )
    if complement_note(df, min_n):
        foot += f'<p class="plg-noot">{esc(complement_note(df, min_n))}</p>'
    css = (
        "plg-tabel"
        + (" plg-breed" if len(df.columns) >= WIDE_TABLE_COLUMNS else "")
        + (" plg-kort" if len(df) <= SHORT_TABLE_ROWS else "")
    )
    return _html(
        f'<div class="plg-tabelkader"><table class="{css}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>{foot}"
    )
