"""The sample school's leerteams: a finished Lesson Study, two year plans and two years of PLG-scan.

All of it is built reproducibly (fixed time stamps, a seeded generator, a fixed sample
key) and committed in ``data/sample``:

* ``lessonstudy_rekenen_groep5.yaml`` — Lesson Study *Verhaaltjessommen met het
  strookmodel* of leerteam Rekenen in 5A: three case pupils chosen from the data at
  niveau I–II, III and IV–V on E5 rekenen-wiskunde 2025-2026, two research lessons with
  predictions and observations per phase, conclusions and borgen;
* ``jaarplan_taal.yaml`` and ``jaarplan_rekenen.yaml`` — the year plans of the two
  leerteams (periods, cycles, meetings, the three talks);
* ``eigen_meting/`` — the team's own before/after quiz of 5A (the Lesson Study class) and 5B
  (the comparison class) with its mapping file: read onto its own scale, compared two-group,
  the summary kept in the Lesson Study record;
* ``plgscan.xlsx`` — PLG-scan answers for 2024-2025 and 2025-2026 (in 2024-2025 only four
  teachers of leerteam Rekenen answered: that leerteam-year is never shown).

The case pupils' pseudonyms come from a fixed *sample* key (:data:`SAMPLE_SECRET`), so
the committed record is the same on every machine; a real school uses its own key.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import numpy as np

from plgdata.model.dataset import Dataset

LS_RECORD_NAME = "lessonstudy_rekenen_groep5.yaml"
YEAR_PLAN_NAMES = {"Taal": "jaarplan_taal.yaml", "Rekenen": "jaarplan_rekenen.yaml"}
#: the leerteams as the sample's other records name them
LEERTEAMS = {"Taal": "Leerteam Taal middenbouw", "Rekenen": "Leerteam Rekenen onderbouw"}
PLG_SCAN_NAME = "plgscan.xlsx"
SIGNALERING_NAME = "signaleringswaarden.csv"
QUIZ_DIR = "eigen_meting"
QUIZ_NAME = "strookmodel_5A_5B.csv"
QUIZ_MAPPING = "koppeling_strookmodel.yaml"
QUIZ_SCALE = "eigen meting: strookmodel-toets"
_QUIZ_MAPPING_TEXT = f"""# Koppelbestand voor de eigen toets van de Lesson Study (strookmodel, 5A en 5B).
# De vaste schaal zorgt dat deze punten nooit met toetsen van het leerlingvolgsysteem worden vermengd.
kolommen:
  leerlingnummer: Leerlingnummer
  klas: Klas
  toets: Toets
  datum: Datum
  score: Score
vaste_waarden:
  school: OBS De Vlonder
  vak: rekenen-wiskunde
  schaal: "{QUIZ_SCALE}"
  schooljaar: 2025-2026
  groep: 5
"""
#: the fictitious sample school's key (never use a fixed key for a real school)
SAMPLE_SECRET = hashlib.sha256(b"OBS De Vlonder (fictief)").digest()

_PHASES_1 = [
    {"fase": "Introductie", "omschrijving": "Verhaal over een schoolreisje voorlezen; wat wil je weten?"},
    {"fase": "Instructie", "omschrijving": "De leerkracht doet het strookmodel voor bij twee verhaaltjessommen."},
    {"fase": "Zelfstandig werken", "omschrijving": "Vier verhaaltjessommen met een strook."},
    {"fase": "Afsluiting", "omschrijving": "Twee leerlingen laten hun strook zien."},
]
_PHASES_2 = [
    _PHASES_1[0],
    {"fase": "Instructie", "omschrijving": "Samen een strook tekenen; leerlingen vertellen welke getallen waar horen."},
    {"fase": "Samen oefenen", "omschrijving": "In tweetallen één som: de een tekent, de ander legt uit."},
    {"fase": "Zelfstandig werken", "omschrijving": "Drie verhaaltjessommen; keuze uit een lege of voorgetekende strook."},
    _PHASES_1[3],
]


def load_sample_with_fixed_key(data_dir: str | Path) -> Dataset:
    """The sample school read with :data:`SAMPLE_SECRET`, so pseudonyms are the same everywhere."""
    from plgdata.io.scores import load

    d = Path(data_dir)
    files = sorted(d.glob("cito_*.csv")) + [d / "IEP_2023-2024.xlsx", d / "leerlingen.csv"]
    with tempfile.TemporaryDirectory(prefix="plgdata-voorbeeld-") as tmp:
        key = Path(tmp) / "voorbeeld.key"
        key.write_text(SAMPLE_SECRET.hex(), encoding="utf-8")
        return load([str(f) for f in files], interventions=str(d / "interventies.xlsx"), key_file=key)


def write_quiz(data_dir: str | Path, seed: int = 2026) -> tuple[Path, Path]:
    """The own quiz (10 points, before and after the lessons) of 5A and 5B, and its mapping file.

    5A (the Lesson Study class) gains about 2 points, 5B about 1 (practice alone).
    """
    import pandas as pd

    d = Path(data_dir)
    pupils = pd.read_csv(d / "leerlingen.csv", sep=";", encoding="cp1252", skiprows=1, dtype=str)
    pupils = pupils[pupils["Klas"].isin(["5A", "5B"])].sort_values(["Klas", "Leerlingnummer"])
    rng = np.random.default_rng(seed)
    lines = ["Leerlingnummer;Klas;Toets;Datum;Score"]
    for r in pupils.itertuples(index=False):
        pre = float(np.clip(np.rint(rng.normal(5.0, 1.6)), 0, 10))
        post = float(np.clip(np.rint(pre + (2.0 if r.Klas == "5A" else 1.0) + rng.normal(0, 1.0)), 0, 10))
        lines += [
            f"{r.Leerlingnummer};{r.Klas};voormeting;09-03-2026;{pre:.0f}",
            f"{r.Leerlingnummer};{r.Klas};nameting;26-03-2026;{post:.0f}",
        ]
    (d / QUIZ_DIR).mkdir(exist_ok=True)
    quiz = d / QUIZ_DIR / QUIZ_NAME
    quiz.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = d / QUIZ_DIR / QUIZ_MAPPING
    mapping.write_text(_QUIZ_MAPPING_TEXT, encoding="utf-8")
    return quiz, mapping


def read_quiz(data_dir: str | Path) -> Dataset:
    """The own quiz read through its mapping file (with the sample key)."""
    from plgdata.io.scores import load

    d = Path(data_dir) / QUIZ_DIR
    return load([str(d / QUIZ_NAME)], interventions=False, secret=SAMPLE_SECRET, mapping=str(d / QUIZ_MAPPING))


def build_lesson_study(ds: Dataset, quiz: Dataset | None = None):
    """The finished Lesson Study of leerteam Rekenen in 5A, case pupils chosen from ``ds``;
    with ``quiz`` (:func:`read_quiz`) the own measurement's comparison is kept too."""
    from plgdata import cycle as cyc
    from plgdata.analysis.casepupils import pick_case_pupils

    c = cyc.new_cycle(
        "lessonstudy",
        title="Verhaaltjessommen met het strookmodel",
        leerteam=LEERTEAMS["Rekenen"],
        school="OBS De Vlonder",
        school_year="2025-2026",
        when="2026-02-23T15:30:00",
    )
    cyc.set_research_question(
        c,
        "Hoe helpt het strookmodel leerlingen van groep 5 om van een verhaaltjessom een bewerking te maken?",
        "De leerling tekent bij een verhaaltjessom zelf een strook en kiest daarmee de juiste bewerking.",
        "rekenen-wiskunde",
        klas="5A",
        note="Focusvak van periode 3: rekenen-wiskunde (redactiesommen).",
        when="2026-02-23T16:00:00",
    )
    cases = pick_case_pupils(ds, "5A", "rekenen-wiskunde")
    basis = f"rekenen-wiskunde {cases['moment'].iloc[0]} {cases['school_year'].iloc[0]}, klas 5A"
    cyc.set_case_pupils(c, cases, basis, when="2026-03-02T15:30:00")
    _lesson_one(c)
    _lesson_two(c)
    cyc.record_conclusions(
        c,
        "Het strookmodel helpt pas als leerlingen het zelf tekenen en erover praten. Onze voorspellingen voor de "
        "sterkste en de zwakste rekenaar klopten in les 1 het minst: de sterke leerling sloeg de strook over, de zwakke "
        "begon niet. Na het samen oefenen in tweetallen klopte het beeld veel vaker.",
        [
            "In elke rekenles met verhaaltjessommen eerst samen een strook tekenen.",
            "Tweetallen: één tekent, één legt uit (ook in groep 4 en 6).",
            "Een voorgetekende strook als keuze voor wie niet op gang komt.",
        ],
        when="2026-04-20T16:00:00",
    )
    if quiz is not None:
        from plgdata.analysis.ownmeasure import compare_own_measurement, own_measurement_record

        result, _ = compare_own_measurement(quiz, QUIZ_SCALE, treatment="5A", control="5B")
        summary = own_measurement_record(
            result, QUIZ_SCALE, "Toets verhaaltjessommen (10 punten) voor en na de lessen, 5A tegenover 5B"
        )
        cyc.record_own_measurement(c, summary, when="2026-04-20T16:10:00")
    c.changed = "2026-04-20T16:10:00" if quiz is not None else "2026-04-20T16:00:00"
    return c


def _lesson_one(c) -> None:
    from plgdata import cycle as cyc

    cyc.plan_lesson(
        c,
        1,
        _PHASES_1,
        "juf Anouk (5A)",
        {"A": "meester Bas", "B": "juf Carla", "C": "juf Dilan"},
        date="2026-03-10",
        when="2026-03-03T15:30:00",
    )
    cyc.record_predictions(
        c,
        1,
        {
            "A": {
                "Introductie": "Weet meteen de som.",
                "Instructie": "Luistert, vindt het makkelijk.",
                "Zelfstandig werken": "Tekent netjes een strook bij elke som.",
                "Afsluiting": "Wil graag laten zien.",
            },
            "B": {
                "Introductie": "Luistert.",
                "Instructie": "Volgt het voorbeeld.",
                "Zelfstandig werken": "Tekent een strook bij de eerste twee sommen.",
                "Afsluiting": "Luistert.",
            },
            "C": {
                "Introductie": "Haakt af bij het lange verhaal.",
                "Instructie": "Kijkt mee.",
                "Zelfstandig werken": "Vraagt hulp, tekent een strook met hulp.",
                "Afsluiting": "Luistert.",
            },
        },
        when="2026-03-03T16:00:00",
    )
    cyc.record_observations(
        c,
        1,
        {
            "A": {
                "Introductie": ("Roept het antwoord al.", "ja"),
                "Instructie": ("Kijkt uit het raam.", "deels"),
                "Zelfstandig werken": ("Rekent uit het hoofd, tekent geen strook.", "nee"),
                "Afsluiting": ("Steekt vinger op.", "ja"),
            },
            "B": {
                "Introductie": ("Luistert.", "ja"),
                "Instructie": ("Schrijft mee.", "ja"),
                "Zelfstandig werken": ("Strook bij som 1 en 2, daarna niet meer.", "ja"),
                "Afsluiting": ("Luistert.", "ja"),
            },
            "C": {
                "Introductie": ("Speelt met een gum.", "ja"),
                "Instructie": ("Kijkt mee.", "ja"),
                "Zelfstandig werken": ("Begint niet; wacht vijf minuten op hulp.", "nee"),
                "Afsluiting": ("Luistert half.", "deels"),
            },
        },
        when="2026-03-10T11:00:00",
    )
    cyc.record_interviews(
        c,
        1,
        {
            "A": "Ik wist het al, dan hoef je toch niet te tekenen?",
            "B": "De strook is handig bij lange sommen.",
            "C": "Ik wist niet waar ik moest beginnen.",
        },
        when="2026-03-10T12:00:00",
    )
    cyc.record_debrief(
        c,
        1,
        "Sterke en zwakke rekenaar reageerden anders dan voorspeld bij het zelfstandig werken. "
        "Aanpassing: eerst samen een strook tekenen en een fase 'samen oefenen' in tweetallen.",
        when="2026-03-10T15:30:00",
    )


#: the team's predictions per case pupil and phase for the revised lesson
_PREDICTIONS_2 = {
    "A": {
        "Introductie": "Weet meteen de som.",
        "Instructie": "Doet mee met tekenen.",
        "Samen oefenen": "Legt uit aan de ander.",
        "Zelfstandig werken": "Tekent bij de moeilijkste som een strook.",
        "Afsluiting": "Wil laten zien.",
    },
    "B": {
        "Introductie": "Luistert.",
        "Instructie": "Tekent mee.",
        "Samen oefenen": "Tekent, laat de ander uitleggen.",
        "Zelfstandig werken": "Strook bij elke som.",
        "Afsluiting": "Luistert.",
    },
    "C": {
        "Introductie": "Haakt af bij het lange verhaal.",
        "Instructie": "Tekent mee met hulp.",
        "Samen oefenen": "Tekent met de ander.",
        "Zelfstandig werken": "Kiest de voorgetekende strook en begint zelf.",
        "Afsluiting": "Luistert.",
    },
}

#: what the observers saw (and whether the prediction held) in the revised lesson
_OBSERVATIONS_2 = {
    "A": {
        "Introductie": ("Roept het antwoord.", "ja"),
        "Instructie": ("Tekent mee, stelt een vraag.", "ja"),
        "Samen oefenen": ("Legt uit met de strook.", "ja"),
        "Zelfstandig werken": ("Strook bij som 3.", "ja"),
        "Afsluiting": ("Laat zien.", "ja"),
    },
    "B": {
        "Introductie": ("Luistert.", "ja"),
        "Instructie": ("Tekent mee.", "ja"),
        "Samen oefenen": ("Tekent én legt uit.", "deels"),
        "Zelfstandig werken": ("Strook bij elke som.", "ja"),
        "Afsluiting": ("Luistert.", "ja"),
    },
    "C": {
        "Introductie": ("Luistert nu wel: het verhaal is korter.", "nee"),
        "Instructie": ("Tekent mee.", "ja"),
        "Samen oefenen": ("Tekent met de ander.", "ja"),
        "Zelfstandig werken": ("Kiest voorgetekende strook, maakt twee sommen.", "ja"),
        "Afsluiting": ("Luistert.", "ja"),
    },
}


def _lesson_two(c) -> None:
    from plgdata import cycle as cyc

    cyc.plan_lesson(
        c,
        2,
        _PHASES_2,
        "juf Eva (5B)",
        {"A": "juf Carla", "B": "meester Bas", "C": "juf Anouk"},
        date="2026-03-24",
        changes="Samen een strook tekenen in de instructie; nieuwe fase 'samen oefenen' in tweetallen; "
        "keuze tussen een lege en een voorgetekende strook.",
        when="2026-03-17T15:30:00",
    )
    cyc.record_predictions(c, 2, _PREDICTIONS_2, when="2026-03-17T16:00:00")
    cyc.record_observations(c, 2, _OBSERVATIONS_2, when="2026-03-24T11:00:00")
    cyc.record_interviews(
        c,
        2,
        {
            "A": "Bij de laatste som had ik de strook echt nodig.",
            "B": "Uitleggen aan mijn maatje hielp mij ook.",
            "C": "Met de strook wist ik waar ik moest beginnen.",
        },
        when="2026-03-24T12:00:00",
    )
    cyc.record_debrief(
        c,
        2,
        "Voorspelling en observatie kwamen veel vaker overeen; samen tekenen en uitleggen in tweetallen "
        "hielp juist de zwakste en de sterkste rekenaar.",
        when="2026-03-24T15:30:00",
    )


def build_year_plan(leerteam: str):
    """The year plan 2025-2026 of leerteam ``"Taal"`` or ``"Rekenen"``."""
    from plgdata import cycle as cyc

    plan = _PLANS[leerteam]
    c = cyc.new_cycle(
        "jaarplan",
        title=f"Jaarplan leerteam {leerteam} 2025-2026",
        leerteam=LEERTEAMS[leerteam],
        school="OBS De Vlonder",
        school_year="2025-2026",
        when="2025-08-25T09:00:00",
    )
    cyc.set_periods(c, plan["perioden"], when="2025-08-25T10:00:00")
    for method, title, period, file in plan["cycli"]:
        cyc.add_planned_cycle(c, method, title, period, file=file, when="2025-08-25T10:30:00")
    start = np.datetime64("2025-09-02")
    meetings = [{"datum": str(start + np.timedelta64(int(d), "D")), "onderwerp": None} for d in range(0, 280, 14)]
    cyc.set_meetings(c, meetings, when="2025-08-25T11:00:00")
    for kind, date, outcome in plan["gesprekken"]:
        cyc.record_talk(c, kind, date, outcome, when=f"{date}T16:00:00")
    c.changed = f"{plan['gesprekken'][-1][1]}T16:00:00"
    return c


_PLANS = {
    "Taal": {
        "perioden": [
            {
                "periode": "1",
                "van": "2025-08-25",
                "tot": "2025-11-28",
                "focusvak": "begrijpend lezen",
                "doel": "Probleem in kaart (M5/M6).",
            },
            {
                "periode": "2",
                "van": "2025-12-01",
                "tot": "2026-03-13",
                "focusvak": "begrijpend lezen",
                "doel": "Close reading in 6A.",
            },
            {
                "periode": "3",
                "van": "2026-03-16",
                "tot": "2026-07-10",
                "focusvak": "spelling",
                "doel": "Spelling in de lift borgen.",
            },
        ],
        "cycli": [("datateam", "Begrijpend lezen groep 5/6", "1", "cyclus_begrijpend_lezen.yaml")],
        "gesprekken": [
            ("startgesprek", "2025-09-09", "Focus begrijpend lezen in groep 5/6; datateamcyclus in periode 1 en 2."),
            ("ontwikkelgesprek", "2026-01-27", "Hypothese over jongens verworpen; close reading in 6A gestart."),
            (
                "evaluatiegesprek",
                "2026-06-30",
                "Close reading in 6A: niet te scheiden van de klas; volgend jaar in 5A, 5B en 6B, om de beurt.",
            ),
        ],
    },
    "Rekenen": {
        "perioden": [
            {
                "periode": "1",
                "van": "2025-08-25",
                "tot": "2025-11-28",
                "focusvak": "rekenen-wiskunde",
                "doel": "Automatiseren groep 4.",
            },
            {
                "periode": "2",
                "van": "2025-12-01",
                "tot": "2026-02-20",
                "focusvak": "rekenen-wiskunde",
                "doel": "RT-groep groep 4.",
            },
            {
                "periode": "3",
                "van": "2026-02-23",
                "tot": "2026-07-10",
                "focusvak": "rekenen-wiskunde",
                "doel": "Verhaaltjessommen groep 5.",
            },
        ],
        "cycli": [
            ("actieonderzoek", "RT-groep rekenen groep 4", "2", "actieonderzoek_rt_rekenen_groep4.yaml"),
            ("lessonstudy", "Verhaaltjessommen met het strookmodel", "3", LS_RECORD_NAME),
        ],
        "gesprekken": [
            ("startgesprek", "2025-09-11", "Focus rekenen-wiskunde; RT-groep en een Lesson Study gepland."),
            ("ontwikkelgesprek", "2026-02-03", "RT-groep gestart; Lesson Study voorbereid in periode 3."),
            ("evaluatiegesprek", "2026-07-02", "RT-groep: geen bewijs van effect; strookmodel borgen in groep 4-6."),
        ],
    },
}


def plg_scan_rows(seed: int = 2026) -> list[tuple]:
    """Answer rows for 2024-2025 and 2025-2026 (leerteam Rekenen had only four respondents in 2024-2025)."""
    from plgdata.io.plgscan import BOUWSTENEN

    rng = np.random.default_rng(seed)
    rows = []
    for year, lift in (("2024-2025", 0.0), ("2025-2026", 0.4)):
        for team, n, base in (("Taal", 6, 2.6), ("Rekenen", 4 if year == "2024-2025" else 6, 2.3)):
            for r in range(1, n + 1):
                scores = np.clip(np.rint(base + lift + rng.normal(0, 0.6, len(BOUWSTENEN))), 1, 4).astype(int)
                rows.append((year, LEERTEAMS[team], f"{team[0]}{r:02d}", *map(int, scores)))
    return rows


def write_leerteam_samples(data_dir: str | Path, ds: Dataset | None = None) -> list[Path]:
    """Write the own quiz, the Lesson Study, both year plans and the PLG-scan into ``data_dir``.

    ``data_dir`` must hold the sample's ``leerlingen.csv`` (the quiz uses its pupil numbers).
    """
    from plgdata.cycle import save_cycle
    from plgdata.io.plgscan import fill_plg_scan, write_plg_scan_template

    d = Path(data_dir)
    ds = ds if ds is not None else load_sample_with_fixed_key(d)
    out = list(write_quiz(d))
    out.append(save_cycle(build_lesson_study(ds, read_quiz(d)), d / LS_RECORD_NAME))
    out += [save_cycle(build_year_plan(team), d / name) for team, name in YEAR_PLAN_NAMES.items()]
    scan = write_plg_scan_template(d / PLG_SCAN_NAME)
    out.append(fill_plg_scan(scan, plg_scan_rows()))
    return out
