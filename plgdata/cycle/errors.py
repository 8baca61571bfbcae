"""The two error values of the cycle record: one problem, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass

from plgdata.model.errors import PlgdataError


@dataclass(frozen=True)
class CycleProblem:
    """One thing in a cycle record that does not hold together.

    Attributes
    ----------
    step : int or None
        Step (datateam) or phase (actieonderzoek) number; ``None`` for the record as a
        whole (title, loops).
    step_name : str
        Dutch name of the step, e.g. ``"Hypothesen"``; ``"Lussen"`` or ``"Cyclus"``
        when ``step`` is ``None``.
    field : str
        The YAML field the problem is about, e.g. ``"beslisregel"``.
    message : str
        The full Dutch message, naming the step and the field.
    item : str or None
        The hypothesis or measure id (``"H2"``, ``"M1"``) when the problem is about one.
    """

    step: int | None
    step_name: str
    field: str
    message: str
    item: str | None = None

    def __str__(self) -> str:
        return self.message


class CycleError(PlgdataError, ValueError):
    """A cycle file could not be read or saved, or a record does not hold together.

    The message is Dutch and meant for a teacher; ``problems`` holds the separate
    :class:`CycleProblem` values when the error came from :func:`check_cycle`.
    """

    def __init__(self, message: str, problems: list[CycleProblem] | None = None):
        super().__init__(message)
        self.problems: list[CycleProblem] = list(problems or [])
