"""The class teacher's own overview with names: kept local, bannered, never shared.

A class teacher cannot act on ``L-eef496941d``.  On request (``plgdata rapport
--met-namen``, or ``met_namen = True`` in the groepsoverzicht notebook) the pupils in
"Leerlingen die extra aandacht vragen" and "... meer uitdaging aankunnen" get their name
from the school's local key file (:func:`plgdata.io.pseudonyms.lookup`).  Such a report:

* is written only under ``reports/vertrouwelijk/`` (:data:`CONFIDENTIAL_DIR`), never
  linked from ``index.html``;
* carries the banner "Vertrouwelijk — bevat namen, niet delen" at the top and bottom;
* fails ``plgdata privacycheck`` by design: the banner holds a marker
  (:data:`CONFIDENTIAL_MARK`) the check reports, besides the names it finds through the
  key file.

Every other report stays name-free.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from plgdata.model.vocabulary import MIN_N
from plgdata.reporting.jobs import REPORT_DIR
from plgdata.reporting.render import ReportJob

CONFIDENTIAL_DIR = "vertrouwelijk"
BANNER_TEXT = "Vertrouwelijk — bevat namen, niet delen"
#: a class in the banner; ``plgdata privacycheck`` reports every file that holds it
CONFIDENTIAL_MARK = "plg-vertrouwelijk"
NAME_COLUMN = "Naam"
UNKNOWN_NAME = "(niet in het sleutelbestand)"


def banner():
    """The confidential banner as an HTML display object."""
    from IPython.display import HTML

    return HTML(
        f'<div class="{CONFIDENTIAL_MARK}" style="border:3px solid #9b1c1c;background:#fdecea;color:#6b0f0f;'
        f'padding:0.6em 1em;margin:0.5em 0 1em 0;font-size:1.2em;font-weight:700">{BANNER_TEXT}. '
        '<span style="font-weight:400">Dit overzicht is alleen voor de eigen leerkracht en blijft op deze computer.</span></div>'
    )


def add_names(table: pd.DataFrame, key_file=None) -> pd.DataFrame:
    """``table`` with a ``Naam`` column right after ``pupil_id``, from the local key file."""
    from plgdata.io.pseudonyms import lookup

    out = table.copy()
    if "pupil_id" not in out.columns:
        return out
    cache: dict[str, str] = {}
    for p in out["pupil_id"].astype(str).unique():
        entry = lookup(p, key_file) or {}
        cache[p] = entry.get("naam") or UNKNOWN_NAME
    out.insert(out.columns.get_loc("pupil_id") + 1, NAME_COLUMN, out["pupil_id"].astype(str).map(cache))
    return out


def with_names(overview, key_file=None):
    """A group overview whose pupil lists (attention, challenge) also show names."""
    return dataclasses.replace(
        overview, attention=add_names(overview.attention, key_file), challenge=add_names(overview.challenge, key_file)
    )


def confidential_jobs(werkmap: Path, out_dir: Path, groepen, key_file=None, min_n: int = MIN_N) -> list[ReportJob]:
    """A groepsoverzicht with names per groep, under ``out_dir/vertrouwelijk/`` (not for the index)."""
    folder = Path(out_dir) / CONFIDENTIAL_DIR
    jobs = []
    for g in groepen:
        out = folder / f"groepsoverzicht_groep{g}_met_namen.html"
        params = {
            "werkmap": str(werkmap),
            "groep": int(g),
            "excel_pad": str(out.with_suffix(".xlsx")),
            "min_n": min_n,
            "met_namen": True,
            "sleutel": str(key_file) if key_file else None,
        }
        jobs.append(
            ReportJob(
                REPORT_DIR / "groepsoverzicht.ipynb",
                out,
                f"Groepsoverzicht groep {g} met namen (vertrouwelijk)",
                params,
                BANNER_TEXT,
                "Vertrouwelijk",
            )
        )
    return jobs
