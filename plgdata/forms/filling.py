"""The example filling (*voorbeeldinvulling*): what a headless run fills in when the record is empty.

The notebooks' input cells are forms that show what the cycle record holds.  A run
without a person (``plgdata demo``, papermill, the tests) on a fresh record has nobody
to fill them in; it gets the path of a small YAML file instead (parameter
``invulling``), one section per form, in the record's own Dutch words.  A form applies
its section only when the record does not hold the value yet, and checks it exactly as
it checks what a teacher typed.  The sample school ships
``data/sample/voorbeeldinvulling.yaml``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from plgdata.cycle import CycleError, load_cycle

#: the sections a filling may hold, one per form
SECTIONS = (
    "start",
    "probleemdefinitie",
    "hypothesen",
    "datakwaliteit",
    "oordelen",
    "nieuwe_hypothesen",
    "maatregelen",
    "doelcheck",
    "evaluatie",
    "verdieping",
    # the Lesson Study notebook
    "onderzoeksvraag",
    "les_1",
    "les_2",
    "conclusies",
    # the year-plan notebook
    "perioden",
    "bijeenkomsten",
    "cycli",
    "gesprekken",
)


def read_filling(path) -> dict:
    """The example filling at ``path`` (``None`` -> empty), with a Dutch message when it cannot be read."""
    if path is None or path == "":
        return {}
    p = Path(path)
    if not p.is_file():
        raise CycleError(f"De voorbeeldinvulling '{p}' bestaat niet.")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1})" if mark is not None else ""
        raise CycleError(f"De voorbeeldinvulling '{p.name}' is geen geldige YAML{where}.") from None
    if not isinstance(data, dict):
        raise CycleError(f"De voorbeeldinvulling '{p.name}' hoort velden (naam: waarde) te bevatten.")
    unknown = sorted(set(map(str, data)) - set(SECTIONS))
    if unknown:
        raise CycleError(
            f"De voorbeeldinvulling '{p.name}' kent het onderdeel {', '.join(unknown)} niet; bekend zijn: {', '.join(SECTIONS)}."
        )
    return data


def section(filling, name: str):
    """One section of a filling given as a dict or a path."""
    data = filling if isinstance(filling, dict) else read_filling(filling)
    return data.get(name)


def current(cycle, path):
    """The record as it is on disk now (another page may have saved it), else ``cycle``."""
    p = Path(path)
    return load_cycle(p) if p.exists() else cycle
