"""Steps 5 and 6: the evidence per hypothesis where the team judges it.

Per tested hypothesis: the statement, the full Dutch sentence of the decision rule's
outcome, the number of pupils, the estimate with its 95% interval and the threshold, and a
small figure (:func:`plgdata.plots.evidence.evidence_plot`).  Read from the record's
``resultaten`` (step 5), so steps 5 and 6 show the same numbers the record holds.
"""

from __future__ import annotations

import base64
import functools
import io

from plgdata.forms.base import escape
from plgdata.model.labels import fmt_num

#: per analysis kind: the estimate's key in the evidence, the threshold's key, its unit, a factor and decimals for display
_KINDS = {
    "samenhang": ("r", "min_r", "correlatie r", 1.0, 2),
    "groepsverschil": ("hedges_g", "min_effect", "effectgrootte g (standaardafwijkingen)", 1.0, 2),
    "verschil_in_aandelen": ("difference", "min_diff", "verschil in procentpunten", 100.0, 0),
    "groei_tegen_norm": ("difference", "min_diff", "groei min de norm (punten)", 1.0, 1),
}
_NEGATIVE = ("kleiner", "negatief")


def _pupils(ev: dict) -> str:
    if "n" in ev:
        return f"{ev['n']} leerlingen"
    return f"{ev.get('n_a', '?')} en {ev.get('n_b', '?')} leerlingen"


@functools.lru_cache(maxsize=64)
def _figure_png(estimate, low, high, threshold, unit) -> str:
    """The figure as base64 PNG; drawn once per set of numbers in a process (75 ms each: step 6
    shows four, and ``plgdata app`` draws them before the page is opened, :func:`plgdata.app.warm_page`)."""
    import matplotlib.pyplot as plt

    from plgdata.plots.evidence import evidence_plot

    fig = evidence_plot(estimate, low, high, threshold, unit)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def evidence_card(hypothesis, analysis: dict) -> str:
    """One hypothesis's evidence as HTML (every text escaped)."""
    kind, params = hypothesis.test_kind, hypothesis.test_params or {}
    ev = analysis.get("bewijs") or {}
    head = (
        f'<div class="plg-bewijs"><h4>{escape(hypothesis.id)} · volgens de beslisregel: '
        f"<b>{escape(analysis.get('oordeel_volgens_regel', ''))}</b></h4>"
        f"<p><i>{escape(hypothesis.statement)}</i></p><p>{escape(analysis.get('uitleg', ''))}</p>"
    )
    spec = _KINDS.get(kind)
    if spec is None or spec[0] not in ev or ev.get("ci_low") is None:
        return head + "</div>"
    key, tkey, unit, factor, d = spec
    sign = -1 if params.get("richting") in _NEGATIVE else 1
    est, lo, hi = (float(ev[k]) * factor for k in (key, "ci_low", "ci_high"))
    threshold = sign * float(ev[tkey]) * factor if ev.get(tkey) is not None else None
    facts = (
        f"<table class='plg-tabel'><tr><th>Leerlingen</th><td>{escape(_pupils(ev))}</td></tr>"
        f"<tr><th>Schatting</th><td>{fmt_num(est, d)} ({escape(unit)})</td></tr>"
        f"<tr><th>95%-betrouwbaarheidsinterval</th><td>{fmt_num(lo, d)} tot {fmt_num(hi, d)}</td></tr>"
        + (f"<tr><th>Drempel van het team</th><td>{fmt_num(threshold, d)}</td></tr>" if threshold is not None else "")
        + "</table>"
    )
    png = _figure_png(est, lo, hi, threshold, unit)
    img = f'<img alt="Schatting met interval en drempel" src="data:image/png;base64,{png}" style="max-width: 36em">'
    return head + facts + img + "</div>"


def evidence(cycle):
    """Every tested hypothesis's evidence, for a page or a notebook."""
    from IPython.display import HTML

    cards = [evidence_card(h, cycle.analyses[h.id]) for h in cycle.hypotheses if h.id in cycle.analyses]
    style = "<style>.plg-bewijs { border-left: 4px solid #1f4e79; padding: 0.2em 0 0.4em 1em; margin: 1em 0; }</style>"
    return HTML(style + ("".join(cards) or "<p>Er is nog geen hypothese getoetst.</p>"))
