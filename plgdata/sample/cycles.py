"""The finished actieonderzoek record of the sample school's RT-group.

The sample school's RT-group (INT-RW-RT4: the eight pupils of groep 4 with the lowest
M4 rekenen score in 2025-2026) had **no** true effect.  Their naive M4→E4 gain looks
good — regression to the mean — and the honest estimate (ANCOVA against the rest of
groep 4) finds nothing.  :func:`build_rt_actieonderzoek` writes that lesson into a
four-phase *actieonderzoek* record from the data, with fixed time stamps so the
committed file (``data/sample/actieonderzoek_rt_rekenen_groep4.yaml``) is reproducible.
"""

from __future__ import annotations

from pathlib import Path

from plgdata.model.dataset import Dataset
from plgdata.model.labels import fmt_num, fmt_pct

RT_INTERVENTION = "INT-RW-RT4"
RT_RECORD_NAME = "actieonderzoek_rt_rekenen_groep4.yaml"


def build_rt_actieonderzoek(ds: Dataset):
    """The finished actieonderzoek record of the RT-group, computed from ``ds``."""
    from plgdata import cycle as cyc
    from plgdata.workflow import evaluate_intervention, evaluation_record, share_low_levels

    c = cyc.new_cycle(
        "actieonderzoek",
        title="RT-groep rekenen groep 4",
        leerteam="Leerteam Rekenen onderbouw",
        school="OBS De Vlonder",
        school_year="2025-2026",
        when="2026-01-26T15:30:00",
    )
    m4 = share_low_levels(ds, "rekenen-wiskunde", "M", "2025-2026", [4])
    cyc.set_problem(
        c,
        f"In groep 4 scoort {fmt_pct(m4.value)} van de leerlingen IV of V op rekenen-wiskunde (M4 2025-2026); "
        "de acht laagst scorende leerlingen lopen het verst achter.",
        m4.description,
        round(m4.value, 3),
        0.30,
        "2026-06-30",
        direction="hoogstens",
        basis=m4.basis,
        question="Helpt een RT-groep van een uur per week de zwakste rekenaars van groep 4?",
        when="2026-01-26T15:45:00",
    )
    cyc.record_deepening(
        c,
        ["Cito M4 rekenen-wiskunde 2025-2026", "Observaties in de rekenles", "Handleiding van de methode (remediërende lessen)"],
        "De acht leerlingen missen vooral automatisering van optellen en aftrekken tot 20. "
        "Let op: wie op één toets het laagst scoort, scoort de volgende keer gemiddeld vanzelf wat hoger (regressie naar het gemiddelde).",
        "RT-groep van 60 minuten per week, februari tot juni, gericht op automatiseren.",
        when="2026-01-30T15:30:00",
    )
    cyc.add_measure(
        c,
        "M1",
        "RT-groep rekenen: 60 minuten per week met de acht laagst scorende leerlingen van groep 4.",
        RT_INTERVENTION,
        interventions=ds.interventions,
        when="2026-02-02T08:30:00",
    )
    evaluation = evaluate_intervention(ds, RT_INTERVENTION)
    result, naive = evaluation.result, evaluation.reference  # ANCOVA, and the naive gain against regression to the mean
    e4 = share_low_levels(ds, "rekenen-wiskunde", "E", "2025-2026", [4])
    note = (
        f"De RT-groep ging gemiddeld {fmt_num(naive.naive_gain)} punten vooruit van M4 naar E4: dat lijkt een succes. "
        f"Maar de leerlingen zijn gekozen omdat ze op M4 het laagst scoorden; ongeveer {fmt_num(naive.rtm_expected_gain)} punten "
        "daarvan is regressie naar het gemiddelde. De eerlijke schatting vergelijkt met de rest van groep 4 en corrigeert voor de "
        f"voormeting (ANCOVA): {fmt_num(result.headline, 2)} standaardafwijking (95%-BI {fmt_num(result.headline_ci[0], 2)} tot "
        f"{fmt_num(result.headline_ci[1], 2)}). {result.verdict_nl} Met {result.n_treatment} leerlingen met een voor- en nameting is pas een effect vanaf ongeveer "
        f"{fmt_num(result.mde, 2)} standaardafwijking zichtbaar. Conclusie van het leerteam: geen bewijs dat de RT-groep werkt; "
        "niet opschalen zonder betere opzet (bijvoorbeeld loting tussen twee groepen)."
    )
    cyc.record_evaluation(
        c,
        [evaluation_record(c.measures[0], evaluation)],
        note=note,
        achieved_value=round(e4.value, 3),
        when="2026-06-24T15:30:00",
    )
    c.changed = "2026-06-24T15:30:00"
    return c


def write_rt_actieonderzoek(ds: Dataset, path: str | Path) -> Path:
    """Build the record and save it (atomically) at ``path``."""
    from plgdata.cycle import save_cycle

    return save_cycle(build_rt_actieonderzoek(ds), path)
