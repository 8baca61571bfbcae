"""Cito LOVS / Leerling in beeld specifics: default scale and the wide overview layout."""

from __future__ import annotations

from plgdata.model.vocabulary import ASSUMED_CITO_SCALE, scale_of

KIND_LONG = "Cito (lang)"
KIND_WIDE = "Cito (breed overzicht)"
DEFAULT_SCALE = ASSUMED_CITO_SCALE


def default_scale(*texts: str) -> tuple[str, bool]:
    """Scale for a Cito file without a version per row: from the title or file name, else Cito 3.0.

    Returns ``(scale, assumed)``; ``assumed`` is True when nothing named a version.
    """
    for t in texts:
        s = scale_of(t)
        if s is not None:
            return s, False
    return DEFAULT_SCALE, True
