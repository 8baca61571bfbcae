"""Report rendering: one self-contained Dutch HTML file, no code, no scripts, escaped text."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from plgdata.reporting import ReportError, ReportJob, render_report, write_index
from plgdata.reporting.privacy import check_files, check_html


def _notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    nb = nbformat.v4.new_notebook()
    for kind, src in cells:
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(src))
        else:
            c = nbformat.v4.new_code_cell(src)
            if kind == "params":
                c.metadata["tags"] = ["parameters"]
            nb.cells.append(c)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rapport")
    nb = _notebook(
        tmp / "r.ipynb",
        [
            ("params", "probleem = 'x'\nmin_n = 5"),
            ("md", "## Uitleg\nDit is **Markdown**."),
            (
                "code",
                "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nimport pandas as pd\nfrom plgdata.reporting import html as h\nimport warnings\nwarnings.warn('English warning text')\nprint('debug output')",
            ),
            ("code", "h.kernboodschap(probleem)"),
            ("code", "fig, ax = plt.subplots(); ax.plot([1, 2], [3, 4]); h.figure(fig, alt='Een lijn die stijgt')"),
            ("code", "h.table(pd.DataFrame({'groep': ['6A', '6B'], 'n': [20, 3], 'mean': [171.25, 160.0]}), 'Gemiddelden')"),
        ],
    )
    out = render_report(ReportJob(nb, tmp / "r.html", "Testrapport", {"probleem": "<script>alert(1)</script> & meer"}))
    return out.read_text(encoding="utf-8")


def test_report_is_dutch_self_contained_and_has_no_code(rendered):
    assert '<html lang="nl">' in rendered
    assert "<title>Testrapport</title>" in rendered
    assert "<script" not in rendered.lower()
    assert "https://" not in rendered and "http://" not in rendered
    assert "import matplotlib" not in rendered and "In&nbsp;[" not in rendered
    assert "English warning text" not in rendered and "debug output" not in rendered
    assert check_html(rendered) == []


def test_user_text_is_escaped(rendered):
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer" in rendered


def test_plot_is_embedded_with_dutch_alt_text(rendered):
    assert 'alt="Een lijn die stijgt"' in rendered
    assert "data:image/png;base64," in rendered


def test_table_uses_decimal_comma_and_suppresses_small_groups(rendered):
    assert "171,2" in rendered or "171,3" in rendered  # one decimal, Dutch comma
    assert "160,0" not in rendered  # group of 3: suppressed
    assert "&lt; 5" in rendered and "minder dan 5 leerlingen" in rendered
    assert "Aantal leerlingen" in rendered  # Dutch label for n


def test_failing_notebook_gives_dutch_error_and_no_file(tmp_path):
    nb = _notebook(tmp_path / "kapot.ipynb", [("code", "raise ValueError('geheim 104512')")])
    with pytest.raises(ReportError) as err:
        render_report(ReportJob(nb, tmp_path / "kapot.html", "Kapot"))
    assert "kon niet worden gemaakt" in err.value.message and "104512" not in err.value.message
    assert not (tmp_path / "kapot.html").exists()


def test_privacy_check_finds_external_scripts_numbers_and_names(tmp_path):
    from plgdata.io.pseudonyms import Pseudonymiser

    key = tmp_path / "sleutel.key"
    p = Pseudonymiser(key)
    s = p.numbers(pd.Series(["104512"]))
    p.remember_names(s, pd.Series(["Zoë de Vries"]))
    p.save()
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<html><head><script src="https://cdn.example/require.js"></script></head>'
        '<body><p>Leerling 104512, Zoë de Vries</p><img src="data:image/png;base64,MTA0NTEy104512"></body></html>',
        encoding="utf-8",
    )
    kinds = sorted(f.kind for f in check_files([bad], key_file=key))
    assert kinds == ["extern", "leerlingnummer", "naam", "script"]
    good = tmp_path / "good.html"
    good.write_text(
        '<html><body><p>Leerling L-0123456789</p><img src="data:image/png;base64,MTA0NTEy104512" alt="x"></body></html>',
        encoding="utf-8",
    )
    assert check_files([good], key_file=key) == []


def test_index_lists_reports(tmp_path):
    job = ReportJob(Path("x.ipynb"), tmp_path / "groep6.html", "Groepsoverzicht groep 6", kind="Groepsoverzichten")
    idx = write_index(tmp_path, [job]).read_text(encoding="utf-8")
    assert '<a href="groep6.html">Groepsoverzicht groep 6</a>' in idx and '<html lang="nl">' in idx
    assert check_html(idx) == []
