"""The ipywidgets side of a :class:`plgdata.forms.base.Form`: one row per field, a message next to it.

Each row is ``label | widget | message``; the row carries the CSS class
``plg-veld-<name>`` and the message ``plg-fout``, so a browser test (and a stylesheet)
can find them.  Fields that do not apply to the current choice (the analysis kind of a
hypothesis) are hidden; dropdowns whose options depend on another field are refreshed
when that field changes.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w
from IPython.display import display

from plgdata.forms import base
from plgdata.forms.base import NOTHING, Field, escape

_LABEL_WIDTH = "15em"
_CSS = """<style>
.plg-form { border: 1px solid #c8c8c8; border-radius: 6px; padding: 0.6em 1em; max-width: 60em; }
.plg-form h3 { margin: 0.2em 0 0.5em 0; }
.plg-fout { color: #9b1c1c; font-weight: 600; }
.plg-ok { color: #1b5e20; font-weight: 600; }
</style>"""


def _widget_for(f: Field, raw: dict, value, shared: _Shared):
    opts = f.choices(raw)
    if f.kind == "area":
        return shared.make(w.Textarea, value=value or "", placeholder=f.hint, layout=shared.layout(width="38em", height="5em"))
    if f.kind == "choice":
        options = opts if value in [v for _, v in opts] and f.required else [(NOTHING, None)] + opts
        return shared.make(
            w.Dropdown,
            options=options,
            value=value if value in [v for _, v in options] else None,
            layout=shared.layout(width="26em"),
        )
    if f.kind == "multi":
        keep = tuple(v for _, v in opts if v in (value or ()))
        rows = min(max(len(opts), 2), 6)
        return shared.make(w.SelectMultiple, options=opts, value=keep, rows=rows, layout=shared.layout(width="14em"))
    return shared.make(w.Text, value=value or "", placeholder=f.hint, layout=shared.layout(width="26em"))


class _Shared:
    """One ``Layout`` per size and one style per widget class for all the widgets of a form.

    ipywidgets gives every widget a layout and a style of its own: two more models for the
    kernel to open and the browser to build per widget, about half the ~350 models of a page
    with four forms.  Only what no one changes later is shared: the rows shown and hidden by
    another field's choice and the buttons keep layouts of their own.
    """

    def __init__(self):
        self._layouts: dict = {}
        self._styles: dict = {}

    def layout(self, **sizes) -> w.Layout:
        key = tuple(sorted(sizes.items()))
        if key not in self._layouts:
            self._layouts[key] = w.Layout(**sizes)
        return self._layouts[key]

    def make(self, cls, **kwargs):
        """``cls(**kwargs)`` with the form's one style of that kind."""
        style_class = cls.class_traits()["style"].klass
        if style_class not in self._styles:
            self._styles[style_class] = style_class()
        return cls(style=self._styles[style_class], **kwargs)


class FormView:
    """The widgets of one form."""

    def __init__(self, form):
        self.form = form
        raw = form.raw_values()
        self.inputs, self.messages, self.rows = {}, {}, {}
        shared = _Shared()
        for f in form.fields:
            self.inputs[f.name] = _widget_for(f, raw, raw.get(f.name), shared)
            self.messages[f.name] = shared.make(w.HTML, value="", layout=shared.layout())
            self.messages[f.name].add_class("plg-fout")
            label = shared.make(
                w.HTML,
                value=f"<b>{escape(f.label)}</b>" + ("" if f.required else " <i>(mag leeg)</i>"),
                layout=shared.layout(width=_LABEL_WIDTH, min_width=_LABEL_WIDTH),
            )
            # a row hidden and shown by another field's choice needs a layout of its own
            row = w.HBox([label, self.inputs[f.name], self.messages[f.name]], layout=w.Layout() if f.when else shared.layout())
            row.add_class(f"plg-veld-{f.name}")
            self.rows[f.name] = row
            self.inputs[f.name].observe(self._changed, names="value")
        self.button, self.status = self._save_row(None)
        if not form.fields:  # nothing to fill in (e.g. every hypothesis has a verdict)
            self.button.layout.display = "none"
        self.output = w.Output()
        head = w.HTML(value=_CSS + f"<h3>{escape(form.title)}</h3>" + (f"<p>{escape(form.intro)}</p>" if form.intro else ""))
        body = self._parts() if form.sections else [*self.rows.values(), w.HBox([self.button, self.status])]
        self.box = w.VBox([head, *body, self.output])
        self.box.add_class("plg-form")
        self._refresh()

    def _save_row(self, section: int | None):
        """A save button (for the whole form, or for one part) and its status line."""
        button = w.Button(description=self.form.save_label, button_style="primary", layout=w.Layout(width="auto"))
        button.add_class("plg-opslaan")
        button.on_click(lambda _: self.form.submit(section=section))
        status = w.HTML(value="")
        status.add_class("plg-status")
        return button, status

    def _parts(self) -> list:
        """A long form as folds (one per part, the first open), each with its own save button."""
        self.buttons, self.statuses, folds = [], [], []
        for i, (_, names) in enumerate(self.form.sections):
            button, status = self._save_row(i)
            self.buttons.append(button)
            self.statuses.append(status)
            folds.append(w.VBox([self.rows[n] for n in names] + [w.HBox([button, status])]))
        self.parts = w.Accordion(children=folds, selected_index=0)
        for i, (title, _) in enumerate(self.form.sections):
            self.parts.set_title(i, title)
        self.parts.add_class("plg-delen")
        in_part = {n for _, names in self.form.sections for n in names}
        loose = [row for name, row in self.rows.items() if name not in in_part]
        self.button, self.status = self.buttons[0], self.statuses[0]
        return [*loose, self.parts]

    def read(self) -> dict:
        return {name: widget.value for name, widget in self.inputs.items()}

    def fill(self, raw: dict) -> None:
        """Put raw values into the widgets (an empty form after adding an item)."""
        for name, value in raw.items():
            widget = self.inputs[name]
            allowed = [v for _, v in widget.options] if hasattr(widget, "options") else None
            if isinstance(widget, w.SelectMultiple):
                widget.value = tuple(v for v in (value or ()) if v in allowed)
            elif allowed is not None:
                widget.value = value if value in allowed else None
            else:
                widget.value = value or ""
        self._refresh()

    def _changed(self, _change) -> None:
        self._refresh()

    def _refresh(self) -> None:
        raw = self.read()
        for f in self.form.fields:
            if f.when is not None:
                self.rows[f.name].layout.display = None if f.shown(raw) else "none"
            if callable(f.options) and f.kind == "choice":
                widget = self.inputs[f.name]
                new = [(NOTHING, None)] + f.choices(raw)
                if list(widget.options) != new:
                    keep = widget.value if widget.value in [v for _, v in new] else None
                    widget.options = new
                    widget.value = keep

    def show(self, problems: dict, result, section: int | None = None) -> None:
        for name, msg in self.messages.items():
            msg.value = escape(problems.get(name, ""))
        status = self.status if section is None else self.statuses[section]
        if problems:
            general = problems.get("", "")
            self._open_fold_of(problems)
            status.value = f'<span class="plg-fout">Niet opgeslagen: verbeter de velden met een melding. {escape(general)}</span>'
            return
        link = ""
        if base.next_step:
            page, title = base.next_step[0]
            link = f' <a class="plg-volgende-stap" href="{escape(page)}">Volgende stap: {escape(title)} →</a>'
        saved = f"Opgeslagen in {escape(self.form.saved_in)} ({dt.datetime.now():%H:%M})."
        status.value = f'<span class="plg-ok">{saved}</span>{link}'
        self.output.clear_output()
        if result is not None:
            with self.output:
                display(result)

    def _open_fold_of(self, problems: dict) -> None:
        """Open the fold that holds the first field with a message (a closed fold hides it)."""
        for i, (_, names) in enumerate(self.form.sections):
            if any(n in problems for n in names):
                self.parts.selected_index = i
                return


#: the button that opens a form shown closed
OPEN_LABEL = "Formulier openen"


def folded_box(form):
    """A form shown closed: its title, ``form.folded`` and a button that puts the form's widgets in its place.

    Six widget models instead of four per field (issue 21: step 0's reading form has 18 fields).
    """
    head = w.HTML(value=_CSS + f"<h3>{escape(form.title)}</h3><p>{escape(form.folded)}</p>")
    button = w.Button(description=OPEN_LABEL, layout=w.Layout(width="auto"))
    button.add_class("plg-openen")
    box = w.VBox([head, button])
    box.add_class("plg-form")

    def open_form(_):
        box.remove_class("plg-form")  # the form's own box has the class (one border, not two)
        box.children = [form.widget]

    button.on_click(open_form)
    return box
