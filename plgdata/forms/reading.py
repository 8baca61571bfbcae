"""Notebook 00's form "Zo heeft plgdata je bestand gelezen": correct how one export is read.

The form shows, for one file, each column with the role plgdata gave it (see
:func:`plgdata.io.scores.preview.read_preview`); the teacher picks another role where it is
wrong, and may give the subject and the scale for the whole file.  *Opslaan als
koppelbestand* writes the mapping file (YAML) that the next read uses, and shows how the file
is read with it.  A file plgdata refuses is the one the form opens on.
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

import pandas as pd

from plgdata.forms.base import Field, Form
from plgdata.forms.tables import table_html
from plgdata.io.scores import ReadError
from plgdata.io.scores.mapping import FIELDS
from plgdata.io.scores.preview import mapping_from_roles
from plgdata.io.scores.preview import read_preview as _read_preview
from plgdata.model.labels import ROLE_LABELS
from plgdata.model.vocabulary import SCALES, SUBJECT_LABELS

#: the choice "this column is not used"
NOT_USED = "niet gebruikt"
#: label -> field of the roles a column can be given (the mapping file's fields)
_ROLE_BY_LABEL = {ROLE_LABELS.get(f, f): f for f in FIELDS}
ROLE_OPTIONS = [(label, label) for label in _ROLE_BY_LABEL] + [(NOT_USED, NOT_USED)]


#: what the closed form says when every file is read
ALL_READ = (
    "Elk bestand wordt ingelezen. Klopt de rol van een kolom toch niet? Open dan het formulier, kies de goede rol "
    "en sla die op als koppelbestand."
)


def mapping_files(koppeling, werkmap) -> tuple[Path, Path | None]:
    """``(where the form saves, what the next read uses)``: the given mapping file, else
    ``<werkmap>/koppeling.yaml``; used only once it exists."""
    target = Path(koppeling) if koppeling else Path(werkmap) / "koppeling.yaml"
    return target, (target if target.exists() else None)


#: the latest preview read in this process, by the state of what it read (step 0 shows the
#: preview and opens the form on it: one reading of the exports for both)
_PREVIEWS: dict[str, pd.DataFrame] = {}


#: what the preview says per column; the file's scale, moment, date rule and layout stand once above them
_COLUMN_PART = ["Kolom", "Rol", "Herkend aan", "Zekerheid", "Voorbeelden", "Melding"]
_FILE_PART = ("Schaal", "Moment", "Datum", "Indeling")


def preview_html(preview: pd.DataFrame):
    """The preview as a page shows it: one fold per file, its scale, moment, date rule and layout
    once at the top, then a table of its columns (the same content as :func:`preview_text`).

    A file with something to check (a refusal, a remark on a column, a role of low confidence)
    is open; the others are closed, so step 0 leads with the overview instead of a table of
    every column of every file repeating each file's rules on each row.
    """
    from IPython.display import HTML

    parts = []
    for source, part in preview.groupby("Bestand", sort=False):
        first, cols = part.iloc[0], part[part["Kolom"] != "—"][_COLUMN_PART]
        check = bool((part["Melding"] != "—").any() or (part["Zekerheid"] == "laag").any())
        rules = [(c, first[c]) for c in _FILE_PART if first[c] != "—"]
        remarks = list(part.loc[part["Kolom"] == "—", "Melding"])
        if cols["Melding"].nunique() <= 1:  # one remark for every column (a refusal), or none: said once
            remarks += list(cols["Melding"].iloc[:1])
            cols = cols.drop(columns="Melding")
        rules += [("Melding", m) for m in dict.fromkeys(remarks) if m != "—"]
        items = "".join(f"<li><b>{html.escape(c)}:</b> {html.escape(str(v))}</li>" for c, v in rules)
        n = len(cols)
        summary = f"{html.escape(str(source))} · {n} {'kolom' if n == 1 else 'kolommen'}" + (
            " · <b>kijk hier extra goed</b>" if check else ""
        )
        parts.append(
            f"<details class='plg-bestand'{' open' if check else ''}><summary>{summary}</summary>"
            f"<ul>{items}</ul>{table_html(cols) if n else ''}</details>"
        )
    return HTML("".join(parts))


def read_preview(paths, *, mapping=None) -> pd.DataFrame:
    """:func:`plgdata.io.scores.preview.read_preview`, read again only when the exports or the
    mapping file changed (:func:`plgdata.workflow.read_stamp`) since the last call."""
    import json

    from plgdata.workflow import read_stamp

    stamp = read_stamp([paths] if isinstance(paths, (str, Path)) else list(paths), None, mapping)
    if stamp is None:
        return _read_preview(paths, mapping=mapping)
    key = json.dumps(stamp)
    if key not in _PREVIEWS:
        _PREVIEWS.clear()
        _PREVIEWS[key] = _read_preview(paths, mapping=mapping)
    return _PREVIEWS[key].copy()


def _chosen_file(preview: pd.DataFrame, bestand: str | None) -> str | None:
    """The file the form opens on: the one asked for, else the first refused one, else the first."""
    sources = list(dict.fromkeys(preview["Bestand"]))
    if bestand is not None:
        return next((s for s in sources if s == bestand or s.split(":")[0] == bestand), None)
    refused = [s for s in sources if preview.loc[preview["Bestand"] == s, "Melding"].iloc[0] != "—"]
    return (refused or sources or [None])[0]


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".koppeling-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def reading_form(paths, koppeling, *, bestand: str | None = None) -> Form:
    """The form for one file among ``paths``; saving writes the mapping file ``koppeling``.

    The form starts from the mapping file when it exists (so it shows what is used now).  It is
    shown open on a refused file and on the file asked for; when every file is read it is shown
    closed, a button away (its widgets are then built only when a teacher opens it).
    """
    target = Path(koppeling)
    mapping = target if target.exists() else None
    try:
        preview = read_preview(paths, mapping=mapping)
    except ReadError as exc:  # the mapping file itself cannot be read: start without it
        preview = read_preview(paths)
        mapping = None
        intro_problem = f" Het koppelbestand kon niet worden gelezen: {exc.message}"
    else:
        intro_problem = ""
    source = _chosen_file(preview, bestand)
    rows = preview[(preview["Bestand"] == source) & (preview["Kolom"] != "—")] if source else preview.iloc[:0]
    fields, values, columns, before = [], {}, {}, {}
    for i, r in enumerate(rows.to_dict("records"), start=1):
        name = f"kolom_{i}"
        columns[name] = r["Kolom"]
        shown = f"; voorbeelden: {r['Voorbeelden']}" if r["Voorbeelden"] not in ("", "—") else ""
        sure = f"zekerheid {r['Zekerheid']}" if r["Zekerheid"] != "—" else "niet herkend"
        fields.append(Field(name, f"{r['Kolom']} ({sure}{shown})", "choice", ROLE_OPTIONS, required=False))
        values[name] = r["Rol"] if r["Rol"] in _ROLE_BY_LABEL else NOT_USED
        before[name] = (values[name], r["Herkend aan"] == "koppelbestand")
    fields.append(Field("vak", "Vak (hele bestand)", "choice", [(v, k) for k, v in SUBJECT_LABELS.items()], required=False))
    fields.append(Field("schaal", "Schaal (hele bestand)", "choice", [(s, s) for s in SCALES], required=False))

    def save(vals):
        # only corrections (and what the mapping file said before): a column plgdata reads right on its
        # own stays out, so the mapping file applies to the files that need it
        changed = {k: v for k, v in vals.items() if k in columns and (v != before[k][0] or before[k][1])}
        roles = {columns[k]: _ROLE_BY_LABEL[v] for k, v in changed.items() if v in _ROLE_BY_LABEL}
        ignore = [columns[k] for k, v in changed.items() if v == NOT_USED]
        fixed = {"subject": vals.get("vak"), "scale": vals.get("schaal")}
        _write_atomic(target, mapping_from_roles(roles, fixed, ignore))
        after = read_preview(paths, mapping=target)
        return after[after["Bestand"] == source][
            ["Kolom", "Rol", "Herkend aan", "Zekerheid", "Voorbeelden", "Indeling", "Melding"]
        ]

    melding = rows["Melding"].iloc[0] if len(rows) else "—"
    indeling = rows["Indeling"].iloc[0] if len(rows) else "—"
    state = "wordt niet ingelezen" if melding != "—" else "wordt ingelezen zoals hieronder"
    if indeling != "—":  # a result spread over several rows or cells, put together
        state += f" (indeling: {indeling})"
    intro = (
        f"{source or 'Geen bestand'} {state}. Klopt de rol van een kolom niet, kies dan de goede en klik op "
        f"'Opslaan als koppelbestand': plgdata bewaart dat in {target.name} en gebruikt het bij het volgende inlezen "
        "(voer daarna het notebook opnieuw uit)." + intro_problem
    )
    return Form(
        "Zo heeft plgdata je bestand gelezen",
        fields,
        values,
        save,
        intro=intro,
        save_label="Opslaan als koppelbestand",
        saved_in=target.name,
        folded="" if melding != "—" or bestand is not None else ALL_READ,
    )
