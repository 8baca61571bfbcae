"""A form of labelled fields for the notebooks: a Dutch message next to each field, one save button.

A :class:`Form` holds its valid ``values`` (what the cycle record holds, or an example
filling applied in a headless run).  In a browser (JupyterLab or ``plgdata app``) the
team edits the widgets and clicks *Opslaan in het cyclusverslag*: every field is read
and checked; a field that does not hold shows a Dutch message naming the field right
next to it and nothing is written; otherwise the form's ``save`` function updates the
record and stores it atomically (:func:`plgdata.cycle.save_cycle`).

Widgets are built only when the form is shown, so a headless run (papermill, the
tests) never needs a browser.  Text fields are used for numbers and dates on purpose:
a team writes ``0,3`` or ``35%`` or ``30-06-2026`` the Dutch way, and a typo gets a
message instead of being silently refused by the browser.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from plgdata.cycle import CycleError, to_iso_date
from plgdata.cycle.storage import MAX_CYCLE_BYTES
from plgdata.model.errors import PlgdataError
from plgdata.model.labels import fmt_num
from plgdata.model.parsing import OK, parse_percent

SAVE_LABEL = "Opslaan in het cyclusverslag"
#: the empty choice of a dropdown
NOTHING = "— kies —"
#: the longest text one field takes; a record must stay under the size the loader accepts
#: (:data:`plgdata.cycle.storage.MAX_CYCLE_BYTES`), and a form says so at the field
MAX_TEXT_CHARS = MAX_CYCLE_BYTES // 100 // 1000 * 1000  # 20.000
#: called with the form after each save (``plgdata app`` redraws the page's status bar)
after_save: list = []
#: ``[(page, title)]`` of the page after this one: *Volgende stap* after saving (``plgdata app``)
next_step: list = []


class FormError(PlgdataError, ValueError):
    """Values given to a form (an example filling) do not hold; the message lists every field."""


@dataclass
class Field:
    """One field of a form.

    ``kind``: ``text``, ``area`` (several lines), ``choice`` (dropdown), ``multi``
    (several choices), ``number`` (Dutch decimal, ``%`` allowed) or ``date``.
    ``options`` are ``(label, value)`` pairs, or a function of the raw values of the
    other fields (e.g. the groups to compare depend on the characteristic).
    ``when`` shows the field only for some raw values; ``check`` returns a Dutch
    problem (without the label) for a parsed value, or ``None``.
    """

    name: str
    label: str
    kind: str = "text"
    options: Any = ()
    required: bool = True
    hint: str = ""
    when: Callable[[dict], bool] | None = None
    check: Callable[[Any], str | None] | None = None
    percent: bool = False  # a share (0,35) shown as the team typed it: 35%

    def choices(self, raw: dict) -> list[tuple[str, Any]]:
        opts = self.options(raw) if callable(self.options) else self.options
        return [tuple(o) if isinstance(o, (tuple, list)) else (str(o), o) for o in opts]

    def shown(self, raw: dict) -> bool:
        return self.when is None or bool(self.when(raw))


# ---------------------------------------------------------------------------
# parsing a raw widget value (text typed by a teacher) into a record value
# ---------------------------------------------------------------------------


def parse_number(text) -> float:
    """``"0,3"``, ``"0.3"``, ``"30%"`` -> 0.3; raises ``ValueError`` for anything else
    (numbers by the one rule, :func:`plgdata.model.parsing.parse_percent`)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    value, status, pct = parse_percent(str(text or ""))
    if status != OK or value is None:
        raise ValueError(text)
    return value / 100.0 if pct else value


def show_number(value) -> str:
    """A number as a team writes it (decimal comma, no trailing zeros)."""
    if value is None or value == "":
        return ""
    text = fmt_num(float(value), 3).rstrip("0").rstrip(",")
    return text or "0"


def show_date(value) -> str:
    """``"2026-06-30"`` -> ``"30-06-2026"``."""
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return str(value)


def parse_field(f: Field, raw, options: list) -> tuple[Any, str | None]:
    """``(value, problem)`` for one field; ``problem`` is a Dutch sentence naming the field."""
    empty = raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, (tuple, list)) and not raw)
    if empty:
        return (None if f.kind != "multi" else []), (f"{f.label}: vul dit veld in." if f.required else None)
    if f.kind in ("text", "area"):
        value = str(raw).strip()
        if len(value) > MAX_TEXT_CHARS:
            return None, (
                f"{f.label}: de tekst is te lang ({fmt_num(len(value), 0)} tekens; hoogstens {fmt_num(MAX_TEXT_CHARS, 0)}). "
                "Zet een lang stuk in een apart document en noem het hier."
            )
    elif f.kind == "number":
        try:
            value = parse_number(raw)
        except ValueError:
            return None, f"{f.label}: '{raw}' is geen getal; schrijf bijvoorbeeld 0,3 of 10%."
    elif f.kind == "date":
        try:
            value = to_iso_date(str(raw).strip(), f.label.lower())
        except CycleError:
            return None, f"{f.label}: '{raw}' is geen datum; schrijf bijvoorbeeld 30-06-2026."
    elif f.kind == "choice":
        allowed = [v for _, v in options]
        if raw not in allowed:
            return None, f"{f.label}: '{raw}' staat niet in de lijst; kies een van de mogelijkheden."
        value = raw
    elif f.kind == "multi":
        allowed = [v for _, v in options]
        wrong = [v for v in raw if v not in allowed]
        if wrong:
            return None, f"{f.label}: {', '.join(map(str, wrong))} staat niet in de lijst."
        value = [v for v in allowed if v in raw]
    else:  # pragma: no cover - a programming error, not a teacher's
        raise ValueError(f.kind)
    problem = f.check(value) if f.check else None
    return value, (f"{f.label}: {problem}" if problem else None)


def parse_values(fields: list[Field], raw: dict) -> tuple[dict, dict]:
    """Parse every shown field: ``(values, problems)``, both keyed by field name."""
    values, problems = {}, {}
    for f in fields:
        if not f.shown(raw):
            continue
        value, problem = parse_field(f, raw.get(f.name), f.choices(raw))
        values[f.name] = value
        if problem:
            problems[f.name] = problem
    return values, problems


def raw_of(f: Field, value):
    """The widget value that shows a record value."""
    if f.kind == "number":
        if f.percent and value not in (None, ""):
            return f"{show_number(round(float(value) * 100, 6))}%"
        return show_number(value)
    if f.kind == "date":
        return show_date(value)
    if f.kind == "multi":
        return tuple(value or ())
    if f.kind in ("text", "area"):
        return "" if value is None else str(value)
    return value


# ---------------------------------------------------------------------------
# the form
# ---------------------------------------------------------------------------


class Form:
    """Fields, their current values, and what saving does.

    Parameters
    ----------
    title : str
        Dutch heading above the fields.
    fields : list of Field
    values : dict
        The values shown (what the record holds).
    save : callable
        ``save(values)`` updates and stores the record; what it returns is shown
        under the form (a table, a sentence).  A :class:`CycleError` it raises is shown
        as a message and counts as not saved.
    validate : callable, optional
        ``validate(values)`` -> ``{field: problem}`` for checks across fields.
    intro : str, optional
        A sentence above the fields (what the record holds already).
    fresh : callable, optional
        For a form that adds an item (a hypothesis, a measure): ``fresh()`` gives the
        values of an empty form (the next id), shown after each save.
    reload : callable, optional
        For a form that edits one section: ``reload()`` gives the values the record on
        disk holds now.  Saving then writes only the fields the team changed on this
        page and keeps the rest as on disk, so a page opened earlier (another tab, another
        laptop) never restores what a later save changed.
    save_label, saved_in : str, optional
        The button's text and where a save lands (a form that writes a mapping file, not the record).
    sections : list of (title, field names), optional
        A long form split into parts (one per case pupil, say): in a browser each part is a
        fold of its own with its own save button, and saving a part writes only the fields
        of that part (the rest as on disk, as with ``reload``); unsaved text in another part
        stays on the page.  Needs ``reload``.
    folded : str, optional
        Shown closed: the title, this sentence and a button *Formulier openen*; the form's
        widgets are built only when the team clicks it (a page with a form most teams never
        need, such as correcting how a file is read, draws quicker).  Empty: shown open.
    """

    def __init__(
        self,
        title: str,
        fields: list[Field],
        values: dict,
        save,
        *,
        validate=None,
        intro: str = "",
        fresh=None,
        reload=None,
        save_label: str = SAVE_LABEL,
        saved_in: str = "het cyclusverslag",
        sections: list[tuple[str, list[str]]] | None = None,
        folded: str = "",
    ):
        self.title = title
        self.folded = folded
        self.save_label = save_label
        self.saved_in = saved_in
        self.fields = list(fields)
        self.values = dict(values)
        self._save = save
        self._validate = validate
        self.intro = intro
        self._fresh = fresh
        self._reload = reload
        self._shown: dict | None = None  # the raw values the page showed (when shown, and after each save)
        self.problems: dict[str, str] = {}
        self.result = None
        self._ui = None
        self.sections = [(t, list(names)) for t, names in sections or []]
        if self.sections and reload is None:  # pragma: no cover - a programming error
            raise ValueError("a form in sections needs reload")

    def __getattr__(self, name):
        if name.startswith("_") or name not in {f.name for f in self.__dict__.get("fields", [])}:
            raise AttributeError(name)
        return self.values.get(name)

    # -- checking and saving -------------------------------------------------
    def raw_values(self) -> dict:
        """The raw values: from the widgets when shown, else from ``values``."""
        if self._ui is not None:
            return self._ui.read()
        return {f.name: raw_of(f, self.values.get(f.name)) for f in self.fields}

    def check(self, raw: dict) -> tuple[dict, dict]:
        values, problems = parse_values(self.fields, raw)
        if not problems and self._validate:
            problems = {k: v for k, v in (self._validate(values) or {}).items() if v}
        return values, problems

    def _merged(self, raw: dict) -> dict:
        """``raw`` with every field the team did not change on this page taken from the record on disk."""
        if self._reload is None or self._shown is None:
            return raw
        changed = {k for k, v in raw.items() if v != self._shown.get(k)}
        disk = self._reload()
        merged = {f.name: raw_of(f, disk.get(f.name)) for f in self.fields}
        return {**merged, **{k: raw[k] for k in changed}}

    def section_fields(self, section: int | None) -> list[str]:
        """The field names of part ``section`` (all fields for ``None``)."""
        return [f.name for f in self.fields] if section is None else list(self.sections[section][1])

    def submit(self, raw: dict | None = None, section: int | None = None) -> bool:
        """Check the raw values and, when every field holds, save; ``True`` when saved.

        With ``section`` only that part's fields are taken from the page (or ``raw``); every
        other field is saved as the record on disk holds it.
        """
        raw = self.raw_values() if raw is None else {**self.raw_values(), **raw}
        if section is not None and self._shown is not None:
            part = set(self.section_fields(section))
            raw = {k: (v if k in part else self._shown.get(k)) for k, v in raw.items()}
        elif section is not None:  # not shown in a browser: the other parts as the record holds them
            part = set(self.section_fields(section))
            kept = self._reload()
            raw = {f.name: raw[f.name] if f.name in part else raw_of(f, kept.get(f.name)) for f in self.fields}
        raw = self._merged(raw)
        values, problems = self.check(raw)
        self.problems = problems
        if not problems:
            try:
                self.result = self._save(values)
            except CycleError as exc:
                self.problems = {"": str(exc)}
        if self.problems:
            self._show(None, section)
            return False
        self.values.update(values)
        if self._fresh is not None:
            self.values = dict(self._fresh())
        if self._ui is not None:
            part = self.section_fields(section)  # another part's unsaved text stays on the page
            self._ui.fill({f.name: raw_of(f, self.values.get(f.name)) for f in self.fields if f.name in part})
            self._shown = {**(self._shown or {}), **{k: v for k, v in self._ui.read().items() if k in part}}
        self._show(self.result, section)
        for hook in after_save:
            hook(self)
        return True

    def apply(self, values: dict) -> None:
        """Submit record-shaped ``values`` (an example filling); :class:`FormError` when they do not hold."""
        raw = {f.name: raw_of(f, values.get(f.name)) for f in self.fields if f.name in values}
        if not self.submit(raw):
            raise FormError(f"{self.title}: " + " ".join(self.problems.values()))

    def _show(self, result, section: int | None = None) -> None:
        if self._ui is not None:
            self._ui.show(self.problems, result, section)

    # -- in a browser ------------------------------------------------------------
    @property
    def widget(self):
        if self._ui is None:
            from plgdata.forms.widgets import FormView

            self._ui = FormView(self)
            self._shown = self._ui.read()
        return self._ui.box

    def _ipython_display_(self):
        from IPython.display import HTML, display

        if not self.fields:  # nothing to fill in: one sentence, not an empty form with a button
            display(HTML(f'<p class="plg-niets-in-te-vullen">{escape(self.intro)}</p>'))
            return
        display(self.widget if self._ui is not None or not self.folded else self.folded_widget())

    def folded_widget(self):
        """The form shown closed (see ``folded``): its widgets are built when the button is clicked."""
        from plgdata.forms.widgets import folded_box

        return folded_box(self)


def escape(text) -> str:
    return html.escape("" if text is None else str(text))
