"""Shared builders for the cycle tests (holds no tests itself)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from plgdata.cycle import (
    add_hypothesis,
    add_measure,
    new_cycle,
    record_analysis,
    record_data_sources,
    record_deepening,
    record_evaluation,
    record_quality,
    record_verdict,
    set_problem,
)

NASTY = "Regel één: \"40%\" scoort <script>alert('x')</script> & co.\nRegel twee:  met  spaties en # geen commentaar\n  ingesprongen: ja\n"


def stamps():
    return iter(f"2025-09-{d:02d}T15:30:00" for d in range(1, 31))


def full_datateam_cycle():
    """A complete datateam cycle with one rejected and one confirmed hypothesis."""
    w = stamps()
    c = new_cycle("datateam", title="Begrijpend lezen groep 6", leerteam="Bovenbouw", school_year="2025-2026", when=next(w))
    set_problem(
        c,
        NASTY,
        "aandeel IV/V begrijpend lezen, groep 6, M-toets",
        np.float64(0.4),
        0.25,
        "30-06-2026",
        direction="hoogstens",
        basis="M6 2024-2025",
        when=next(w),
    )
    add_hypothesis(
        c,
        "H1",
        "verklarend",
        "Leerlingen met een andere thuistaal scoren vaker IV/V.",
        "Cito M6 + thuistaal",
        "verschil_in_aandelen",
        {
            "vak": "begrijpend lezen",
            "periode": "M",
            "schooljaar": "2024-2025",
            "groepen": [6],
            "kenmerk": "thuistaal",
            "a": "anders",
            "b": "Nederlands",
            "drempel_pp": np.int64(15),
        },
        "bevestigd als het verschil minstens 15 procentpunt is",
        when=next(w),
    )
    record_data_sources(
        c,
        ["cito_bl_2425.csv", "cito_bl_2324.csv"],
        ["2023-2024", "2024-2025"],
        {"rows_read": 120, "rows_loaded": 118},
        when=next(w),
    )
    findings = pd.DataFrame({"check": ["ontbrekend"], "count": [np.int64(2)], "examples": [np.nan]})
    record_quality(c, findings, "doorgaan", "Akkoord.", when=next(w))
    record_analysis(c, "H1", {"verschil_pp": np.float64(8.0), "p": np.nan, "datum": pd.Timestamp("2025-01-20")}, when=next(w))
    record_verdict(c, "H1", "verworpen", "Verschil te klein.", when=next(w))
    add_hypothesis(
        c,
        "H2",
        "verkennend",
        "6B ligt 10 procentpunt hoger dan 6A.",
        "Cito M6",
        "verschil_in_aandelen",
        {
            "vak": "begrijpend lezen",
            "periode": "M",
            "schooljaar": "2024-2025",
            "groepen": [6],
            "kenmerk": "geslacht",
            "a": "J",
            "b": "M",
        },
        "bevestigd bij ≥ 10 pp",
        revises="H1",
        when=next(w),
    )
    record_analysis(c, "H2", {"aandeel_6A": 0.3, "aandeel_6B": 0.5}, when=next(w))
    record_verdict(c, "H2", "bevestigd", "In 6B zit het probleem.", when=next(w))
    add_measure(c, "M1", "Modelen van leesstrategieën in 6B.", "INT-01", "H2", when=next(w))
    record_evaluation(
        c, [{"hedges_g": np.float64(0.41)}], None, "Doel gehaald.", "cyclus-2.yaml", achieved_value=0.22, when=next(w)
    )
    return c


def full_actieonderzoek_cycle():
    w = stamps()
    c = new_cycle("actieonderzoek", title="Rekenen groep 4", leerteam="Middenbouw", when=next(w))
    set_problem(
        c, "Automatiseren blijft achter.", "aandeel tafels vlot", 0.55, 0.8, "2026-03-01", direction="minstens", when=next(w)
    )
    record_deepening(
        c,
        ["Kennisrotonde: automatiseren", "Boek <Rekenen>"],
        "Korte dagelijkse oefening werkt.",
        "Dagelijks 10 minuten",
        when=next(w),
    )
    add_measure(c, "M1", "Dagelijks 10 minuten tafels oefenen.", "INT-02", when=next(w))
    record_evaluation(c, {"n": 24, "aandeel_na": 0.83}, True, "Gelukt.", when=next(w))
    return c
