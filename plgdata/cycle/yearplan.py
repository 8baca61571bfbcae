"""The leerteam's year plan: periods with focus subjects, the cycles that ran, meetings, talks.

A leerteam plans its school year in periods, each with a focus subject (rekenen-wiskunde,
technisch lezen, begrijpend lezen, spelling ...), runs cycles in them (datateam,
actieonderzoek, Lesson Study), meets on fixed dates and has a *gesprekkencyclus*: a
start-, ontwikkel- and evaluatiegesprek, each with a date and a one-line outcome.  The
plan is a record on the cycle engine (``methode: jaarplan``), so it is saved atomically
with a backup and checked with the same Dutch messages.

File layout::

    1_perioden:      perioden: [{periode, van, tot, focusvak, doel}]
    2_cycli:         cycli: [{methode, titel, bestand, periode}]
    3_bijeenkomsten: bijeenkomsten: [{datum, onderwerp}]
    4_gesprekken:    gesprekken: [{soort, datum, uitkomst}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from plgdata.cycle import methods as m
from plgdata.cycle.fields import Fields
from plgdata.cycle.lessonstudy import _empty
from plgdata.cycle.plain import is_iso_date, to_plain

_KEYS = {m.YP_PERIODS: "perioden", m.YP_CYCLES: "cycli", m.YP_MEETINGS: "bijeenkomsten", m.YP_TALKS: "gesprekken"}
_FIELDS = {
    m.YP_PERIODS: ("periode", "van", "tot", "focusvak", "doel"),
    m.YP_CYCLES: ("methode", "titel", "bestand", "periode"),
    m.YP_MEETINGS: ("datum", "onderwerp"),
    m.YP_TALKS: ("soort", "datum", "uitkomst"),
}
_ITEM = {m.YP_PERIODS: "periode", m.YP_CYCLES: "cyclus", m.YP_MEETINGS: "bijeenkomst", m.YP_TALKS: "gesprek"}


@dataclass
class YearPlan:
    """The year-plan part of a :class:`~plgdata.cycle.record.Cycle` (``cycle.year_plan``).

    Each list holds plain mappings with the Dutch keys of the file.
    """

    periods: list = field(default_factory=list)  # perioden
    cycles: list = field(default_factory=list)  # cycli
    meetings: list = field(default_factory=list)  # bijeenkomsten
    talks: list = field(default_factory=list)  # gesprekken

    _ATTR: ClassVar[dict[str, str]] = {
        m.YP_PERIODS: "periods",
        m.YP_CYCLES: "cycles",
        m.YP_MEETINGS: "meetings",
        m.YP_TALKS: "talks",
    }

    def section_dict(self, section: str) -> dict:
        return {_KEYS[section]: [dict(x) for x in getattr(self, self._ATTR[section])]}

    def read_section(self, section: str, f: Fields, unknown: list) -> None:
        rows = []
        for i, raw in enumerate(f.list(_KEYS[section]), start=1):
            rf = Fields(raw, f"{f.where}, {_ITEM[section]} {i}", unknown, f._step, f"{_ITEM[section]} {i}")
            rows.append({k: to_plain(rf.text(k)) for k in _FIELDS[section]})
            rf.done()
        setattr(self, self._ATTR[section], rows)

    def period_names(self) -> list[str]:
        return [str(p["periode"]) for p in self.periods if not _empty(p.get("periode"))]

    def problems(self, section: str, status: str):
        """``(field, Dutch text, item, item word)`` for everything in ``section`` that does not hold together."""
        rows = getattr(self, self._ATTR[section])
        word = _ITEM[section]
        if status == m.STATUS_DONE and not rows:
            yield _KEYS[section], f"dit onderdeel staat op 'klaar', maar er staat nog geen {word}.", None, ""
        for i, row in enumerate(rows, start=1):
            item = str(i)
            for key in ("van", "tot", "datum"):
                if key in row and not _empty(row[key]) and not is_iso_date(row[key]):
                    yield key, f"'{row[key]}' is geen geldige datum; schrijf de datum als JJJJ-MM-DD.", item, word
            yield from self._row_problems(section, row, item, word)
        if section == m.YP_TALKS:
            yield from self._talk_set_problems(status)

    def _row_problems(self, section: str, row: dict, item: str, word: str):
        if section == m.YP_PERIODS:
            if _empty(row.get("focusvak")):
                yield "focusvak", "de periode heeft geen focusvak.", item, word
            if is_iso_date(row.get("van")) and is_iso_date(row.get("tot")) and row["tot"] < row["van"]:
                yield "tot", "de periode eindigt voordat ze begint.", item, word
        elif section == m.YP_CYCLES:
            if row.get("methode") not in m.METHODS or row.get("methode") == m.YEARPLAN.name:
                choices = [k for k in m.METHODS if k != m.YEARPLAN.name]
                yield "methode", f"'{row.get('methode') or ''}' is geen methode; kies {m.dutch_list(choices)}.", item, word
            if not _empty(row.get("periode")) and row["periode"] not in self.period_names():
                yield "periode", f"periode '{row['periode']}' staat niet bij de perioden.", item, word
        elif section == m.YP_TALKS:
            if row.get("soort") not in m.TALKS:
                yield (
                    "soort",
                    f"'{row.get('soort') or ''}' is geen gesprek uit de gesprekkencyclus; kies {m.dutch_list(m.TALKS)}.",
                    item,
                    word,
                )
            if not _empty(row.get("datum")) and _empty(row.get("uitkomst")):
                yield "uitkomst", "het gesprek heeft een datum, maar geen uitkomst (één regel: wat spraken we af?).", item, word

    def _talk_set_problems(self, status: str):
        kinds = [t.get("soort") for t in self.talks]
        for kind in m.TALKS:
            if kinds.count(kind) > 1:
                yield "soort", f"het {kind} staat er {kinds.count(kind)} keer; elk gesprek één keer per jaar.", None, ""
            elif status == m.STATUS_DONE and kind not in kinds:
                yield "gesprekken", f"de gesprekkencyclus staat op 'klaar', maar het {kind} ontbreekt.", None, ""
