"""Correcting and deleting what a team saved in steps 2 and 7 (a hypothesis, a measure).

A correction changes the words (statement and decision rule; a measure's description);
a hypothesis whose analysis must change is deleted and added anew, so a result in the
record always belongs to the test that made it.  Deleting a hypothesis takes its result
and verdict with it; a hypothesis a measure answers, or that another hypothesis revises,
is not deleted (the Dutch message says what to delete first).  Every change is in the
history.
"""

from __future__ import annotations

from plgdata.cycle import methods as m
from plgdata.cycle.errors import CycleError
from plgdata.cycle.operations import _log, _stamp, _step, _text


def _hypothesis(cycle, n: int, hid: str):
    for h in cycle.hypotheses:
        if h.id == hid:
            return h
    raise CycleError(f"{cycle.label(n)}: hypothese {hid} staat niet in het verslag.")


def _reword(cycle, n: int, item, attr: str, text, what: str, field: str, when) -> None:
    """Put ``text`` into ``item.attr`` (never empty) and note it in the history."""
    if not _text(text):
        raise CycleError(f"{cycle.label(n)}, {what} {item.id}: de {field} mag niet leeg zijn.")
    setattr(item, attr, _text(text))
    _log(cycle, n, f"{what.capitalize()} {item.id} verbeterd", _stamp(when))


def correct_hypothesis(cycle, hid: str, statement: str, decision_rule: str | None = None, *, when=None):
    """New words for hypothesis ``hid`` (its analysis and result stay)."""
    n = _step(cycle, m.HYPOTHESES)
    h = _hypothesis(cycle, n, hid)
    if decision_rule is not None:
        h.decision_rule = _text(decision_rule)
    _reword(cycle, n, h, "statement", statement, "hypothese", "stelling", when)
    return cycle


def remove_hypothesis(cycle, hid: str, *, when=None):
    """Delete hypothesis ``hid`` with its result and verdict."""
    n = _step(cycle, m.HYPOTHESES)
    _hypothesis(cycle, n, hid)
    users = [x.id for x in cycle.measures if x.hypothesis_id == hid]
    users += [h.id for h in cycle.hypotheses if h.revises == hid]
    if users:
        raise CycleError(
            f"{cycle.label(n)}: hypothese {hid} kan niet weg, want {', '.join(users)} verwijst ernaar; "
            "verwijder of verbeter dat eerst."
        )
    cycle.hypotheses = [h for h in cycle.hypotheses if h.id != hid]
    cycle.analyses.pop(hid, None)
    cycle.verdicts.pop(hid, None)
    _log(cycle, n, f"Hypothese {hid} verwijderd", _stamp(when))
    return cycle


def _measure(cycle, n: int, mid: str):
    for x in cycle.measures:
        if x.id == mid:
            return x
    raise CycleError(f"{cycle.label(n)}: maatregel {mid} staat niet in het verslag.")


def correct_measure(cycle, mid: str, description: str, *, when=None):
    n = _step(cycle, m.MEASURES)
    _reword(cycle, n, _measure(cycle, n, mid), "description", description, "maatregel", "omschrijving", when)
    return cycle


def remove_measure(cycle, mid: str, *, when=None):
    n = _step(cycle, m.MEASURES)
    _measure(cycle, n, mid)
    cycle.measures = [x for x in cycle.measures if x.id != mid]
    _log(cycle, n, f"Maatregel {mid} verwijderd", _stamp(when))
    return cycle
