"""What the year-plan notebook calls: periods, cycles, meetings and the three talks.

Examples
--------
>>> from plgdata.cycle import new_cycle
>>> c = new_cycle("jaarplan", title="Jaarplan leerteam Taal", leerteam="Taal", when="2025-08-25T09:00:00")
>>> c = record_talk(c, "startgesprek", "2025-09-10", "Focus op begrijpend lezen; Lesson Study in periode 2.", when="2025-09-10T16:00:00")
>>> year_plan_tables(c)["gesprekken"].iloc[0]["Datum"]
'10-09-2025'
"""

from __future__ import annotations

import pandas as pd

from plgdata.cycle import methods as m
from plgdata.cycle.errors import CycleError
from plgdata.cycle.operations import _dutch_stamp, _log, _mark, _stamp, _step, _text
from plgdata.cycle.plain import to_iso_date
from plgdata.cycle.record import Cycle


def set_periods(cycle: Cycle, periods: list[dict], *, when=None) -> Cycle:
    """Onderdeel 1: the periods of the year, each ``{periode, van, tot, focusvak, doel}``."""
    n = _step(cycle, m.YP_PERIODS)
    rows = []
    for p in periods:
        if not p.get("focusvak"):
            raise CycleError(f"{cycle.label(n)}, periode {p.get('periode')}, veld 'focusvak': elke periode heeft een focusvak.")
        rows.append(
            {
                "periode": _text(p.get("periode")),
                "van": to_iso_date(p.get("van"), "datum"),
                "tot": to_iso_date(p.get("tot"), "datum"),
                "focusvak": _text(p["focusvak"]),
                "doel": _text(p.get("doel")),
            }
        )
    cycle.year_plan.periods = rows
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE if rows else m.STATUS_BUSY, stamp)
    _log(cycle, n, f"{len(rows)} perioden vastgelegd", stamp)
    return cycle


def add_planned_cycle(cycle: Cycle, method: str, title: str, period: str, *, file: str | None = None, when=None) -> Cycle:
    """Onderdeel 2: a cycle (datateam, actieonderzoek or Lesson Study) that runs in a period."""
    n = _step(cycle, m.YP_CYCLES)
    choices = [k for k in m.METHODS if k != m.YEARPLAN.name]
    if method not in choices:
        raise CycleError(f"{cycle.label(n)}, veld 'methode': '{method}' is onbekend; kies {m.dutch_list(choices)}.")
    if str(period) not in cycle.year_plan.period_names():
        raise CycleError(f"{cycle.label(n)}, veld 'periode': periode '{period}' staat niet bij de perioden.")
    cycle.year_plan.cycles.append({"methode": method, "titel": _text(title), "bestand": _text(file), "periode": str(period)})
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE, stamp)
    _log(cycle, n, f"Cyclus '{title}' ({m.METHODS[method].title}) in periode {period}", stamp)
    return cycle


def set_meetings(cycle: Cycle, meetings, *, when=None) -> Cycle:
    """Onderdeel 3: the meeting dates, as dates or ``{datum, onderwerp}``."""
    n = _step(cycle, m.YP_MEETINGS)
    rows = []
    for x in meetings:
        d = x if isinstance(x, dict) else {"datum": x, "onderwerp": None}
        rows.append({"datum": to_iso_date(d.get("datum"), "datum"), "onderwerp": _text(d.get("onderwerp"))})
    cycle.year_plan.meetings = sorted(rows, key=lambda r: r["datum"] or "")
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE if rows else m.STATUS_BUSY, stamp)
    _log(cycle, n, f"{len(rows)} bijeenkomsten gepland", stamp)
    return cycle


def record_talk(cycle: Cycle, kind: str, date, outcome: str | None = None, *, when=None) -> Cycle:
    """Onderdeel 4: one talk of the gesprekkencyclus with its date and one-line outcome (replaces an earlier entry)."""
    n = _step(cycle, m.YP_TALKS)
    if kind not in m.TALKS:
        raise CycleError(f"{cycle.label(n)}, veld 'soort': '{kind}' is onbekend; kies {m.dutch_list(m.TALKS)}.")
    talks = [t for t in cycle.year_plan.talks if t.get("soort") != kind]
    talks.append({"soort": kind, "datum": to_iso_date(date, "datum"), "uitkomst": _text(outcome)})
    cycle.year_plan.talks = sorted(talks, key=lambda t: m.TALKS.index(t["soort"]) if t["soort"] in m.TALKS else 9)
    done = all(any(t["soort"] == k and t.get("uitkomst") for t in talks) for k in m.TALKS)
    stamp = _stamp(when)
    _mark(cycle, n, m.STATUS_DONE if done else m.STATUS_BUSY, stamp)
    _log(cycle, n, f"{kind.capitalize()} vastgelegd", stamp)
    return cycle


def year_plan_tables(cycle: Cycle) -> dict[str, pd.DataFrame]:
    """The plan as Dutch tables: ``perioden``, ``cycli``, ``bijeenkomsten``, ``gesprekken`` (dates dd-mm-jjjj)."""
    yp = cycle.year_plan
    periods = pd.DataFrame(
        [
            {
                "Periode": p["periode"],
                "Van": _dutch_stamp(p["van"]),
                "Tot": _dutch_stamp(p["tot"]),
                "Focusvak": p["focusvak"],
                "Doel": p["doel"],
            }
            for p in yp.periods
        ],
        columns=["Periode", "Van", "Tot", "Focusvak", "Doel"],
    )
    cycles = pd.DataFrame(
        [
            {
                "Periode": c["periode"],
                "Methode": m.METHODS[c["methode"]].title if c["methode"] in m.METHODS else c["methode"],
                "Cyclus": c["titel"],
            }
            for c in yp.cycles
        ],
        columns=["Periode", "Methode", "Cyclus"],
    )
    meetings = pd.DataFrame(
        [{"Datum": _dutch_stamp(x["datum"]), "Onderwerp": x["onderwerp"]} for x in yp.meetings], columns=["Datum", "Onderwerp"]
    )
    talks = pd.DataFrame(
        [{"Gesprek": t["soort"], "Datum": _dutch_stamp(t["datum"]), "Uitkomst": t["uitkomst"]} for t in yp.talks],
        columns=["Gesprek", "Datum", "Uitkomst"],
    )
    return {"perioden": periods, "cycli": cycles, "bijeenkomsten": meetings, "gesprekken": talks}
