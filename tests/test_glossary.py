"""Every report ends with a short begrippenlijst of the terms it uses (issue 21 item 6)."""

from __future__ import annotations

import nbformat

from plgdata.reporting.glossary import TERMS, glossary_html, terms_used, visible_text
from plgdata.reporting.render import _export_html


def _notebook(*html_outputs: str):
    nb = nbformat.v4.new_notebook()
    for markup in html_outputs:
        cell = nbformat.v4.new_code_cell("x")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": markup})]
        nb.cells.append(cell)
    return nb


def test_a_rendered_report_ends_with_the_terms_it_uses_and_only_those():
    html = _export_html(
        _notebook(
            '<section class="plg-kernboodschap"><p>Close reading in 6A: 0,36 sd (95%-BI 0,08 tot 0,65), '
            "geschat met ANCOVA.</p></section>"
        ),
        "Interventie-evaluatie",
        5,
    )
    assert html.index("Begrippenlijst") < html.index('<footer class="plg-voet">')
    glossary = html[html.index("Begrippenlijst") : html.index("<footer")]
    assert "<dt>95%-BI (betrouwbaarheidsinterval)</dt>" in glossary and "<dt>ANCOVA</dt>" in glossary
    assert "<dt>Effectgrootte (g, sd)</dt>" in glossary
    assert "Kraft" not in glossary and "WWC" not in glossary and "Regressie" not in glossary
    assert "rekening met hoe de leerlingen op de voormeting scoorden" in glossary  # the plain explanation


def test_a_report_without_such_terms_gets_no_list():
    html = _export_html(_notebook("<p>Het jaarplan van het leerteam: drie perioden.</p>"), "Jaaroverzicht", 5)
    assert "Begrippenlijst" not in html


def test_the_issue_s_jargon_is_all_explained():
    text = (
        "ANCOVA, Hedges' g, Morris d_ppc2, bootstrap, MDE, What Works Clearinghouse, helling 0,81, p = 0,018, "
        "regressie naar het gemiddelde, Kraft (2020), 95%-BI"
    )
    found = [t for t, _ in terms_used(text)]
    for term in ("ANCOVA", "Effectgrootte (g, sd)", "Morris d_ppc2", "Bootstrap", "MDE (kleinste aantoonbare effect)"):
        assert term in found
    for term in ("WWC (What Works Clearinghouse)", "Helling", "p-waarde", "Regressie naar het gemiddelde", "Kraft (2020)"):
        assert term in found
    assert len({t for t, _, _ in TERMS}) == len(TERMS)


def test_only_what_a_reader_sees_counts():
    """A term inside a style, an image or its alt text does not put it in the list."""
    html = '<style>.ANCOVA{}</style><img src="data:image/png;base64,QU5DT1ZB" alt="ANCOVA-figuur"><p>Niets.</p>'
    assert "ANCOVA" not in visible_text(html)
    assert glossary_html(html) == ""
