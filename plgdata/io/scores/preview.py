""" "Zo heeft plgdata je bestand gelezen": per column the role plgdata gave it, how sure it is,
three example values (never a name or a pupil number), the scale, moment and date rule, and the
layout when a result was spread over several rows or cells (``Indeling``, see
:mod:`plgdata.io.scores.spread`).

:func:`read_preview` returns one tidy DataFrame (one row per column of every table) that
``plgdata controleer``, notebook 00 and the app show; :func:`preview_text` is its Dutch text;
:func:`mapping_from_roles` turns a teacher's corrections into the mapping file that is then
used.  A file plgdata refuses gets a preview too (its columns with the roles their headers
suggest), so the teacher can correct it instead of facing a dead end.

Confidence
----------
``zeker``: the mapping file says so.  ``hoog``: the header is a known name and the values fit
the role (at least 80 % of the filled cells read as such).  ``middel``: the header alone (too
few values to tell) or the values alone (see :func:`plgdata.io.scores.context.roles_from_content`).
``laag``: the header says the role but most values do not fit.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pandas as pd

from plgdata.io.scores.cleaning import OK, clean, parse_date, parse_level, parse_moment, parse_number
from plgdata.io.scores.context import FIT_SHARE, FITS, TableContext, bsn_columns, factor, fit_share, open_table
from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.layout import field_of_header, recognise, wide_header
from plgdata.io.scores.mapping import FIELDS, Mapping, load_mapping
from plgdata.io.scores.rawtable import RawTable
from plgdata.io.scores.tables import windows_text
from plgdata.model.labels import ROLE_LABELS, fmt_date
from plgdata.model.parsing import is_bsn

#: roles whose values identify a pupil: never shown
PERSONAL_ROLES = frozenset(
    {"raw_number", "raw_name", "raw_first_name", "raw_prefix", "raw_last_name", "raw_birth_date", "raw_bsn"}
)
#: the columns of :func:`read_preview`
PREVIEW_COLUMNS = [
    "Bestand",
    "Kolom",
    "Rol",
    "Herkend aan",
    "Zekerheid",
    "Voorbeelden",
    "Schaal",
    "Moment",
    "Datum",
    "Indeling",
    "Melding",
]
HIDDEN = "(verborgen)"
#: longest example value shown (longer ones are cut: a cell can hold anything)
MAX_EXAMPLE = 40


def _values(raw: RawTable, column: str) -> tuple[list[str], Counter]:
    f = factor(raw, column)
    counts = Counter(f.codes.tolist())
    values = [(clean(u), counts.get(i, 0)) for i, u in enumerate(f.uniques)]
    return [v for v, _ in values if v], Counter({v: c for v, c in values if v})


def _examples(role: str, values: list[str], counts: Counter, n_rows: int, safe: bool = False) -> str:
    """Three example values; personal data never (masked), other free text only when it repeats
    (a name appears once, a category such as 'Getallen' on many rows).  ``safe``: the values are
    known to be results or field names (a long-by-field export's ``Soort`` column)."""
    if role in PERSONAL_ROLES:
        return HIDDEN
    shown = []
    safe = safe or role in FITS or role in ("subject", "test_name", "scale", "class_name", "school", "func_level", "gender")
    for v in values:
        if is_bsn(v):
            continue
        if safe or _harmless(v) or counts[v] >= max(3, n_rows // 5):
            shown.append(v if len(v) <= MAX_EXAMPLE else v[: MAX_EXAMPLE - 1] + "…")
        if len(shown) == 3:
            break
    if not shown and values:
        return HIDDEN
    return ", ".join(shown)


def _harmless(v: str) -> bool:
    """A value of a column plgdata did not recognise that can be shown although it occurs once: a
    short number (a score, never a number of four or more digits, which may be a pupil number), a
    level or a moment.  A date is not (it may be a birth date): it is shown only when it repeats."""
    digits = v.replace(" ", "")
    if parse_number(v)[1] == OK:
        return not (digits.isdigit() and len(digits.lstrip("0")) >= 4)
    return parse_level(v)[1] == OK or parse_moment(v)[1] == OK


def _how(column: str, role: str | None, mapped: set[str], values: list[str]) -> tuple[str, str]:
    """``(herkend aan, zekerheid)`` of one column's role."""
    if role is None:
        return "niet herkend", "—"
    if column in mapped:
        return "koppelbestand", "zeker"
    header_role = field_of_header(column) or ("wide" if wide_header(column) else None)
    fit = fit_share(role, values)
    if header_role == "wide":
        return "kopregel (brede indeling)", "hoog"
    if header_role != role:
        return "inhoud", "middel"
    if fit is None:
        return "kopregel", "hoog" if role in PERSONAL_ROLES or len(values) >= 3 else "middel"
    return ("kopregel en inhoud", "hoog") if fit >= FIT_SHARE else ("kopregel", "laag")


def _roles(ctx_lay, bsn: list[str]) -> dict[str, str]:
    """column -> role (field name, or a wide 'rekenen-wiskunde M6: score')."""
    roles = {c: f for f, c in ctx_lay.fields.items()}
    for g in [*ctx_lay.wide, *ctx_lay.cards] + ([ctx_lay.avi] if ctx_lay.avi else []):
        for sub, c in g.columns.items():
            roles[c] = f"{g.subject} {g.moment} {ROLE_LABELS.get(sub, sub).lower()}".replace("  ", " ")
    if ctx_lay.ref_level:
        roles[ctx_lay.ref_level] = "level"
    for c in bsn:
        roles[c] = "raw_bsn"
    return roles


def _scale_rule(ctx: TableContext) -> str:
    if "scale" in ctx.F:
        return f'per regel uit de kolom "{ctx.F["scale"]}"'
    if "scale" in ctx.fixed:
        return f"{ctx.fixed['scale']} (koppelbestand)"
    if ctx.dialect is None:
        return "—"
    scale, assumed = ctx.dialect.default_scale(ctx.info)
    from_name = " of uit de toetsnaam" if "test_name" in ctx.F else ""
    if scale is None:
        return "uit de toetsnaam" if from_name else "geen schaal"
    return f"{scale}{' aangenomen (geen versie vermeld)' if assumed else ''}{from_name}"


def _moment_rule(ctx: TableContext) -> str:
    if "moment" in ctx.F:
        return f'uit de kolom "{ctx.F["moment"]}"'
    if "moment" in ctx.fixed:
        return f"{ctx.fixed['moment']} (koppelbestand)"
    if ctx.lay.wide:
        return "uit de kolomnamen (zoals RW M6)"
    windows = ctx.month_periods or (ctx.dialect.month_periods if ctx.dialect else None)
    where = "uit de toetsnaam, de titel of " if "test_name" in ctx.F else ""
    return f"{where}uit de afnamedatum ({windows_text(windows)})" if windows else "—"


def _date_rule(ctx: TableContext, roles: dict[str, str], mapped: set[str]) -> str:
    if "date" in ctx.F:
        col = ctx.F["date"]
        how = "koppelbestand" if col in mapped else ("inhoud" if field_of_header(col) != "date" else "kopregel")
        first = next((v for v in _values(ctx.raw, col)[0] if parse_date(v)[1] == OK), None)
        day = fmt_date(str(parse_date(first)[0])[:10]) if first else None
        shown = f"; bijvoorbeeld '{first}' gelezen als {day}" if first and day != first else ""
        return f'kolom "{col}" (herkend aan {how}{shown})'
    if "date" in ctx.fixed:
        return f"{ctx.fixed['date']} (koppelbestand)"
    own = [c for c, r in roles.items() if r.endswith(" afnamedatum")]
    return f"per toets uit {', '.join(own[:2])}" if own else "geen afnamedatum in het bestand"


def _first_sentence(message: str) -> str:
    return message.split(". ")[0].split("\n")[0].rstrip(".") + "."


def _table_rows(raw: RawTable, mapping: Mapping | None) -> list[dict]:
    """The preview rows of one table (a refused one gets the roles its headers suggest)."""
    bsn = bsn_columns(raw)
    headers = list(raw.headers)
    mapped: set[str] = set()
    if mapping is not None:
        cols, _, applies = mapping.for_headers(raw.headers)
        mapped = set(cols.values()) if applies else set()
    spread_roles: dict[str, tuple[str, str, str]] = {}
    try:
        # a copy: a result spread over several rows or cells is put together in the copy, the columns shown are the file's
        ctx = open_table(dataclasses.replace(raw), mapping=mapping)
        roles = _roles(ctx.lay, bsn)
        rules = {"Schaal": _scale_rule(ctx), "Moment": _moment_rule(ctx), "Datum": _date_rule(ctx, roles, mapped)}
        if ctx.spread:
            rules["Indeling"] = "; ".join(s.text for s in ctx.spread)
        for s in ctx.spread:
            for col, role in s.roles.items():
                how = ("kopregel en inhoud", "hoog") if col in s.by_header else ("inhoud", "middel")
                spread_roles[col] = (role, *how)
    except ReadError as exc:
        roles = _roles(recognise([h for h in headers if h not in bsn]), bsn)
        rules = {"Schaal": "—", "Moment": "—", "Datum": "—", "Melding": f"niet ingelezen: {_first_sentence(exc.message)}"}
        if "Een regel per gegeven? De " in exc.message:  # looked like one row per field: say why it was not folded
            rules["Indeling"] = "niet samengevoegd: " + exc.message.split("Een regel per gegeven? De ", 1)[1].split(". ")[0]
    n = raw.table.num_rows
    out = []
    for h in headers:
        role = roles.get(h)
        values, counts = _values(raw, h) if h in raw.table.column_names else ([], Counter())
        how, sure = _how(h, role, mapped, values)
        if h in spread_roles:
            role, how, sure = spread_roles[h]
        if role == "raw_bsn":
            how, sure = ("kopregel" if field_of_header(h) == "raw_bsn" else "inhoud (elfproef)"), "hoog"
        out.append(
            {
                "Bestand": raw.source,
                "Kolom": h,
                "Rol": ROLE_LABELS.get(role, role) if role else "niet gebruikt",
                "Herkend aan": how,
                "Zekerheid": sure,
                "Voorbeelden": _examples(role or "", values, counts, n, safe=h in spread_roles),
                **rules,
            }
        )
    return out


#: rows of a table the preview looks at (roles, confidence and examples of a large file come from its start)
PREVIEW_ROWS = 20_000


def _head(raw: RawTable) -> RawTable:
    """The first :data:`PREVIEW_ROWS` rows of a table (the whole table when smaller)."""
    if raw.table.num_rows <= PREVIEW_ROWS:
        return raw
    return dataclasses.replace(raw, table=raw.table.slice(0, PREVIEW_ROWS), rows=raw.rows[:PREVIEW_ROWS])


def read_preview(paths, *, mapping=None) -> pd.DataFrame:
    """How plgdata reads each column of every file: "Zo heeft plgdata je bestand gelezen".

    Returns a DataFrame with :data:`PREVIEW_COLUMNS`: per column its role (Dutch), what the role
    was recognised by, the confidence, three example values (personal data as ``(verborgen)``)
    and per table the scale, moment and date rule.  A file that cannot be opened at all gets one
    row saying why.  Reading the preview stores nothing (no key file, no pseudonyms).
    """
    from plgdata.io.scores.core import discover, read_tables

    m = load_mapping(mapping)
    files, _ = discover(paths)
    rows: list[dict] = []
    for path in files:
        try:
            tables, _ = read_tables(Path(path), m.headers if m is not None else frozenset())
        except ReadError as exc:
            rows.append(
                {
                    "Bestand": Path(path).name,
                    "Kolom": "—",
                    "Rol": "—",
                    "Melding": f"niet ingelezen: {_first_sentence(exc.message)}",
                }
            )
            continue
        for raw in tables:
            rows.extend(_table_rows(_head(raw), m))
    return pd.DataFrame([{c: r.get(c, "—") for c in PREVIEW_COLUMNS} for r in rows], columns=PREVIEW_COLUMNS, dtype=object)


def preview_text(preview: pd.DataFrame) -> str:
    """The preview as Dutch text (``plgdata controleer``): per file its rules, then its columns."""
    lines = ["Zo heeft plgdata je bestand gelezen", "==================================="]
    for source, part in preview.groupby("Bestand", sort=False):
        first = part.iloc[0]
        lines += ["", f"{source}"]
        if first["Melding"] != "—":
            lines.append(f"  {first['Melding']}")
        lines += [f"  schaal: {first['Schaal']}", f"  moment: {first['Moment']}", f"  datum:  {first['Datum']}"]
        if first["Indeling"] != "—":
            lines.append(f"  indeling: {first['Indeling']}")
        for _, r in part.iterrows():
            if r["Kolom"] == "—":
                continue
            ex = f"  voorbeelden: {r['Voorbeelden']}" if r["Voorbeelden"] not in ("", "—") else ""
            lines.append(f"  - {r['Kolom']}: {r['Rol']} (herkend aan {r['Herkend aan']}, zekerheid {r['Zekerheid']}){ex}")
    lines += [
        "",
        "Klopt een rol niet? Corrigeer hem in notebook 00 (formulier 'Zo heeft plgdata je bestand gelezen') of in een koppelbestand.",
    ]
    return "\n".join(lines)


def mapping_from_roles(roles: dict[str, str], fixed: dict[str, str] | None = None, ignore: list[str] | None = None) -> str:
    """A mapping file (YAML) from a teacher's corrections: column -> field, fixed values, ignored columns.

    >>> print(mapping_from_roles({"Resultaat": "score", "Lln": "raw_number"}, {"scale": "Boom"}))
    kolommen:
      score: "Resultaat"
      raw_number: "Lln"
    vaste_waarden:
      scale: "Boom"
    <BLANKLINE>
    """
    import yaml

    def q(text: str) -> str:
        return yaml.safe_dump(str(text), allow_unicode=True, default_style='"').strip()

    columns = [f"  {f}: {q(c)}" for c, f in roles.items() if f in FIELDS]
    lines = ["kolommen:", *columns] if columns else []
    if fixed:
        lines += ["vaste_waarden:"] + [f"  {f}: {q(v)}" for f, v in fixed.items() if v not in (None, "")]
    if ignore:
        lines += ["negeren:"] + [f"  - {q(c)}" for c in ignore]
    return "\n".join(lines) + "\n"
