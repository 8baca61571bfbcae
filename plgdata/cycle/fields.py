"""Reading one mapping of a hand-editable YAML file defensively, with Dutch errors.

A teacher may open the cycle file in an editor.  A field with the wrong shape (a
list where a mapping belongs) cannot be represented and stops the load with a
Dutch :class:`CycleError` naming the place; a field the record does not know (a
typo) is remembered so :func:`validate_cycle` can point at it.
"""

from __future__ import annotations

from plgdata.cycle.errors import CycleError
from plgdata.cycle.plain import to_plain


def kind_of(value) -> str:
    """Dutch word for the shape of a YAML value."""
    if isinstance(value, dict):
        return "velden (naam: waarde)"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, bool):
        return "ja/nee"
    if isinstance(value, (int, float)):
        return f"het getal {value}"
    if value is None:
        return "niets"
    return f"de tekst '{value}'"


class Fields:
    """Pops known keys from a mapping; what is left is unknown.

    Parameters
    ----------
    mapping : dict or None
    where : str
        Dutch place for messages, e.g. ``"Stap 2 (Hypothesen), hypothese H1"``.
    unknown : list
        Receives ``(step, item, field)`` for every key nobody asked for.
    step, item :
        Recorded with unknown keys.
    """

    def __init__(self, mapping, where: str, unknown: list, step: int | None = None, item: str | None = None):
        if mapping is None:
            mapping = {}
        if not isinstance(mapping, dict):
            raise CycleError(f"{where}: hier horen velden (naam: waarde), maar er staat {kind_of(mapping)}.")
        self._m = dict(mapping)
        self.where = where
        self._unknown = unknown
        self._step = step
        self._item = item

    def has(self, key: str) -> bool:
        return key in self._m

    def raw(self, key: str):
        return self._m.pop(key, None)

    def value(self, key: str):
        """Any plain value (dates become ISO text)."""
        return to_plain(self._m.pop(key, None))

    def text(self, key: str) -> str | None:
        v = to_plain(self._m.pop(key, None))
        if v is None or isinstance(v, str):
            return v
        if isinstance(v, (list, dict)):
            raise CycleError(f"{self.where}, veld '{key}': hier hoort één tekst, maar er staat {kind_of(v)}.")
        return str(v)

    def yes_no(self, key: str):
        v = to_plain(self._m.pop(key, None))
        if isinstance(v, str) and v.strip().lower() in ("ja", "nee"):
            return v.strip().lower() == "ja"
        return v

    def list(self, key: str) -> list:
        v = self._m.pop(key, None)
        if v is None:
            return []
        if not isinstance(v, list):
            raise CycleError(
                f"{self.where}, veld '{key}': hier hoort een lijst (regels die met '- ' beginnen), maar er staat {kind_of(v)}."
            )
        return to_plain(v)

    def mapping(self, key: str) -> dict:
        v = self._m.pop(key, None)
        if v is None:
            return {}
        if not isinstance(v, dict):
            raise CycleError(f"{self.where}, veld '{key}': hier horen velden (naam: waarde), maar er staat {kind_of(v)}.")
        return v

    def done(self) -> None:
        for k in self._m:
            self._unknown.append((self._step, self._item, str(k)))
