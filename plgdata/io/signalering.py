"""The school's own signaleringswaarde for 1S/2F: a small table it fills in, and its reader.

The inspectorate judges groep-8 referentieniveaus over three years against two
signaleringswaarden: 85% of pupils at 1F for every school, and for 1S/2F **one** value per
school that depends on its *schoolweging* (see :mod:`plgdata.analysis.indicator`).  The school
copies its value from its own Inspectie page into ``signaleringswaarden.csv`` made from
:data:`TEMPLATE_PATH` (``schoolweging;signaleringswaarde_1s_2f``).  An older table with a
``vak`` column is still read; the indicator then needs its values to be one and the same.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from plgdata.io.columns import normalise_header
from plgdata.io.sniff import decode_text
from plgdata.model.errors import PlgdataError
from plgdata.model.vocabulary import normalise_subject

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "data" / "signaleringswaarden_sjabloon.csv"


class SignaleringError(PlgdataError, ValueError):
    """The table cannot be read (Dutch message)."""


def _fraction(text: str) -> float | None:
    t = str(text).strip().replace("%", "").replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        return None
    v = v / 100 if v > 1 else v
    return v if 0 <= v <= 1 else None


def read_signaleringswaarden(path: str | Path) -> tuple[dict[str, float], str | None]:
    """The 1S/2F signaleringswaarde (as a share, 0.435; keyed ``'alle vakken'``, or per subject in an old table) and the schoolweging (text).

    Raises :class:`SignaleringError` naming the row and column of anything that is not a percentage.
    """
    p = Path(path)
    if not p.exists():
        raise SignaleringError(f"Het bestand met signaleringswaarden '{p.name}' bestaat niet (gezocht op {p}).")
    raw = pd.read_csv(io.StringIO(decode_text(p.read_bytes())[0]), sep=";", dtype=str, comment="#", skip_blank_lines=True)
    cols = {normalise_header(c): c for c in raw.columns}
    if "signaleringswaarde1s2f" in cols and "signaleringswaarde2f1s" not in cols:
        cols["signaleringswaarde2f1s"] = cols["signaleringswaarde1s2f"]
    need = {"signaleringswaarde2f1s": "signaleringswaarde_1s_2f"}
    missing = [nl for key, nl in need.items() if key not in cols]
    if missing:
        raise SignaleringError(
            f"'{p.name}' mist de kolom(men) {', '.join(missing)}; gebruik het sjabloon (schoolweging;signaleringswaarde_1s_2f)."
        )
    out, problems = {}, []
    for i, r in enumerate(raw.itertuples(index=False), start=2):
        rec = dict(zip(raw.columns, r))
        v = _fraction(rec[cols["signaleringswaarde2f1s"]])
        if v is None:
            problems.append(f"regel {i}: '{rec[cols['signaleringswaarde2f1s']]}' is geen percentage")
            continue
        out[normalise_subject(rec[cols["vak"]]) if "vak" in cols else "alle vakken"] = v
    if problems:
        raise SignaleringError(f"'{p.name}', kolom signaleringswaarde_1s_2f: " + "; ".join(problems) + ".")
    weging = (
        raw[cols["schoolweging"]].dropna().iloc[0] if "schoolweging" in cols and raw[cols["schoolweging"]].notna().any() else None
    )
    return out, weging
