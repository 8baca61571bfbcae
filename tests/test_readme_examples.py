"""The Python examples in the README run as written (on the sample school)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from identities import SAMPLE

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_examples_run_on_the_sample(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLGDATA_SLEUTEL", str(tmp_path / "sleutel.key"))
    blocks = python_blocks()
    assert len(blocks) == 2
    ns: dict = {}
    exec(
        blocks[0]
        .replace('"exports/"', repr(str(SAMPLE)))
        .replace('"interventies.xlsx"', repr(str(SAMPLE / "interventies.xlsx"))),
        ns,
    )
    assert len(ns["groei"]) > 40 and ns["groei"]["gain"].notna().all()
    import plgdata

    frame, _ = plgdata.intervention_frame(ns["ds"], "INT-BL-6A", comparison="parallel_class")
    ns["tabel"] = frame.rename(columns={"post": "nameting", "pre": "voormeting", "group": "deelname"})
    exec(blocks[1], ns)
    out = capsys.readouterr().out
    assert "Niet te scheiden: er is 1 klas met de interventie en 1 vergelijkingsklas." in out  # 6A against 6B
    assert isinstance(ns["uitkomst"].to_frame(), pd.DataFrame)
