"""The fictional sample school "OBS De Vlonder" and a bestuur-sized export, both seeded.

:func:`generate_sample_school` writes the exports a Dutch primary school would take
from its LVS (Cito-style long CSVs per subject and year, an IEP workbook, a
ParnasSys-style pupil list, interventions and participation) with known effects
planted in them, so that every analysis in plgdata can be checked against the truth.
:func:`write_bestuur_export` and :func:`generate_bestuur_scores` make a large,
many-school data set quickly (vectorised) for benchmarks.

The model
---------
Each pupil has a latent (true) ability per subject in national z-units: a pupil mean
(school offset plus the thuistaal effects) plus a stationary AR(1) path over the
half-year steps (``rho = 0.98``) with variance ``RELIABILITY`` and correlated
innovations (woordenschat-begrijpend lezen about 0.6 on observed scores, other
pairs moderate).  An observed score is
``norm mean + norm sd * (true z + planted effect + error)`` with error variance
``1 - RELIABILITY``, so the test reliability is about 0.85 and a group selected on a
low pretest regresses to the mean.  Niveau (I-V, national quintiles), percentile,
functioneringsniveau and DLE are derived from the observed score and the example
norm table ``plgdata/data/normtabel_voorbeeld.csv`` (fictional values; a school must
fill in the real HCO values).

No real pupil is in any of these files: names are drawn from lists of common first
names and surnames, numbers and birth dates are random.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "SCHOOL_NAME",
    "SCHOOL_YEARS",
    "NORM_TABLE_PATH",
    "PLANTED_EFFECTS",
    "load_example_norms",
    "generate_sample_school",
    "estimate_planted_effects",
]

SCHOOL_NAME = "OBS De Vlonder"
SCHOOL_YEARS: tuple[str, ...] = ("2022-2023", "2023-2024", "2024-2025", "2025-2026")
NORM_TABLE_PATH = Path(__file__).parent.parent / "data" / "normtabel_voorbeeld.csv"

#: the subjects of the Cito exports, in the order of the latent ability vector
SUBJECTS: tuple[str, ...] = ("rekenen-wiskunde", "begrijpend lezen", "spelling", "technisch lezen", "woordenschat")
FILE_SLUGS: dict[str, str] = {
    "rekenen-wiskunde": "rekenen-wiskunde",
    "begrijpend lezen": "begrijpend-lezen",
    "spelling": "spelling",
    "technisch lezen": "technisch-lezen",
    "woordenschat": "woordenschat",
}
TEST_NAMES: dict[str, str] = {
    "rekenen-wiskunde": "Rekenen-Wiskunde 3.0",
    "begrijpend lezen": "Begrijpend lezen 3.0",
    "spelling": "Spelling 3.0",
    "technisch lezen": "DMT 3.0",
    "woordenschat": "Woordenschat 3.0",
}
TITLE_NAMES: dict[str, str] = {
    "rekenen-wiskunde": "Rekenen-Wiskunde",
    "begrijpend lezen": "Begrijpend lezen",
    "spelling": "Spelling",
    "technisch lezen": "Technisch lezen (DMT)",
    "woordenschat": "Woordenschat",
}

#: test reliability: var(true) / var(observed) in the national population
RELIABILITY = 0.85
#: AR(1) correlation of the latent z between two half-year steps
RHO_STEP = 0.98
#: correlations of the *true* scores (observed r = RELIABILITY * true r)
TRUE_CORRELATION = np.array(
    [
        # RW    BL    SP    TL    WS
        [1.00, 0.55, 0.50, 0.45, 0.50],
        [0.55, 1.00, 0.55, 0.55, 0.78],
        [0.50, 0.55, 1.00, 0.60, 0.45],
        [0.45, 0.55, 0.60, 1.00, 0.45],
        [0.50, 0.78, 0.45, 0.45, 1.00],
    ]
)
SCHOOL_OFFSET = -0.05
#: thuistaal not Nederlands: mean shift (national SD units) per subject
THUISTAAL_EFFECT = {"woordenschat": -0.40, "begrijpend lezen": -0.20}

#: Every class has its own teacher: per school year, class and subject a shift of the E-test
#: (the growth from M to E) with this SD, in national SD units.  Nye, Konstantopoulos & Hedges
#: (2004) report teacher effects on achievement gains of about 0.1-0.3 SD; 0.10 keeps the
#: class-level intraclass correlation of the ANCOVA residual near 0.03-0.05.  It is why one class
#: against one class cannot be judged: 6A and 6B differ by a teacher even without close reading.
CLASS_EFFECT_SD = 0.10

#: the planted truth (see data/sample/README.md)
PLANTED_EFFECTS: dict[str, dict] = {
    "INT-BL-6A": {
        "vak": "begrijpend lezen",
        "schooljaar": "2025-2026",
        "klas": "6A",
        "moment": "E6",
        "effect_sd": 0.30,
        "vergelijking": "6B",
    },
    "INT-RW-RT4": {"vak": "rekenen-wiskunde", "schooljaar": "2025-2026", "groep": 4, "n": 8, "effect_sd": 0.0},
    # school-wide, judged on 12 groep x school year units against 12: about 99% power at 0.30
    "INT-SP-SCHOOL": {"vak": "spelling", "vanaf": "2024-08-01", "effect_sd": 0.30},
    "INT-TL-MB": {
        "vak": "technisch lezen",
        "schooljaar": "2025-2026",
        "klassen": ["3A", "4A", "5A", "6A", "7A"],
        "moment": "E",
        # five classes against five, one pair per groep (K - 2 - 4 groepen = 4 df), teacher effects
        # of CLASS_EFFECT_SD: about 99% power at 0.60 (tests/test_sample_power.py); real
        # interventions are usually far smaller (Kraft 2020: median 0.10)
        "effect_sd": 0.60,
        "vergelijking": ["3B", "4B", "5B", "6B", "7B"],
    },
    "thuistaal": dict(THUISTAAL_EFFECT),
    "geslacht_begrijpend_lezen": 0.0,
}

# DLE (months of schooling from groep 3) at each moment
_DLE_AT = {f"{p}{g}": 10 * (g - 3) + (5 if p == "M" else 10) for g in range(3, 9) for p in "ME"}

_LEVEL_CUTS = stats.norm.ppf([0.2, 0.4, 0.6, 0.8])
_PLUS_CUT = stats.norm.ppf(0.9)

# ---------------------------------------------------------------------------
# names (common Dutch and other first names / surnames; fictional combinations)
# ---------------------------------------------------------------------------

_BOYS = (
    "Noah Daan Sem Lucas Liam Levi Finn Luuk Milan Jesse Bram Mees Thomas Ruben Thijs Sam Julian Lars "
    "Gijs Tim Max Jens Stijn Teun Jayden Hugo Floris Ties Olivier Boaz Mats Siem Ryan Cas Dex Joep "
    "Jurre Tygo Morris Wouter Rens Niek Guus Pepijn Noé Raphaël René Joël Mathéo Stefan"
).split()
_GIRLS = (
    "Emma Julia Mila Tess Sophie Zoë Sara Nora Yara Eva Anna Lotte Liv Evi Saar Fenna Lieke Noor "
    "Isa Roos Fleur Sanne Femke Elin Maud Floor Lynn Amber Jasmijn Lisa Vera Hanna Ilse Merel Daniëlle "
    "Noëlle Joëlle Anaïs Inès Chloë Maëlle Esmée Renée Loïs Chloé"
).split()
_OTHER_BOYS = "Yusuf Mohammed Ayoub Emir Adam Ibrahim Omar Kerem Mert Jakub Szymon Filmon Yonas Amanuel Bilal Hamza".split()
_OTHER_GIRLS = "Fatima Aya Elif Zeynep Meryem Nour Ikram Hiba Zofia Maja Lena Selam Meron Hiwet Sara Yasmina".split()
_SURNAMES: tuple[tuple[str, str], ...] = (
    ("de", "Jong"),
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Janssen"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("de", "Bruin"),
    ("van der", "Heijden"),
    ("", "Schouten"),
    ("van", "Beek"),
    ("", "Willems"),
    ("van", "Vliet"),
    ("van de", "Ven"),
    ("", "Hoekstra"),
    ("", "Maas"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("van", "Dam"),
    ("van der", "Wal"),
    ("", "Prins"),
    ("", "Blom"),
    ("", "Huisman"),
    ("", "Peeters"),
    ("de", "Lange"),
    ("", "Kuipers"),
    ("van", "Wijk"),
    ("", "Post"),
    ("", "Kuiper"),
    ("", "Veenstra"),
    ("", "Kramer"),
    ("van den", "Brink"),
    ("", "Scholten"),
    ("van", "Wijngaarden"),
    ("", "Hoogendoorn"),
    ("van 't", "Hof"),
    ("", "Timmermans"),
    ("in 't", "Veld"),
    ("", "Groen"),
    ("", "Geleën"),
    ("", "Wuyts"),
)
_OTHER_SURNAMES: tuple[tuple[str, str], ...] = tuple(
    ("", s)
    for s in (
        "Yilmaz",
        "Kaya",
        "Demir",
        "Sahin",
        "Çelik",
        "Öztürk",
        "El Amrani",
        "Bakkali",
        "El Idrissi",
        "Amrani",
        "Boukhari",
        "Ouali",
        "Kowalski",
        "Nowak",
        "Zielinska",
        "Tesfay",
        "Haile",
        "Gebremedhin",
        "Tekle",
        "Ahmadi",
        "Haidari",
    )
)
_OTHER_LANGUAGES = ("Arabisch", "Turks", "Pools", "Tigrinya", "Berbers", "Engels", "Dari", "Oekraïens")

# ---------------------------------------------------------------------------
# norms and derived scores (vectorised; shared by the sample and the bestuur data)
# ---------------------------------------------------------------------------


def load_example_norms(path: str | Path | None = None) -> pd.DataFrame:
    """The example norm table (``vak;schaal;moment;gemiddelde;sd``, decimal comma).

    Returns a DataFrame with columns ``subject, scale, moment, mean, sd``.  The values
    are fictional (interpolated from the typical Cito 3.0 means in the design notes) and
    meant for the sample school only.
    """
    df = pd.read_csv(path or NORM_TABLE_PATH, sep=";", decimal=",", comment="#", dtype={"moment": str})
    df = df.rename(columns={"vak": "subject", "schaal": "scale", "gemiddelde": "mean"})
    return df[["subject", "scale", "moment", "mean", "sd"]]


@dataclass(frozen=True)
class _SubjectNorms:
    moments: tuple[str, ...]
    mean: np.ndarray
    sd: np.ndarray
    dle: np.ndarray

    def lookup(self, moment: str) -> tuple[float, float]:
        i = self.moments.index(moment)
        return float(self.mean[i]), float(self.sd[i])


def _norms_by_subject(norms: pd.DataFrame) -> dict[str, _SubjectNorms]:
    order = {m: i for i, m in enumerate(_DLE_AT)}
    out = {}
    for subj, g in norms.groupby("subject", sort=False):
        g = g.assign(_o=g["moment"].map(order)).sort_values("_o")
        moments = tuple(g["moment"])
        out[subj] = _SubjectNorms(
            moments, g["mean"].to_numpy(float), g["sd"].to_numpy(float), np.array([_DLE_AT[m] for m in moments], float)
        )
    return out


def _levels(z: np.ndarray, plus_minus: bool = False) -> np.ndarray:
    """Niveau I (highest) to V from national quintiles; optionally I+ / V- for the outer 10%."""
    names = np.array(["V", "IV", "III", "II", "I"], dtype=object)
    out = names[np.searchsorted(_LEVEL_CUTS, z)]
    if plus_minus:
        out = np.where(z > _PLUS_CUT, "I+", out)
        out = np.where(z < -_PLUS_CUT, "V-", out)
    return out


def _percentiles(z: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(stats.norm.cdf(z) * 100), 1, 99).astype(int)


def _func_level_and_dle(n: _SubjectNorms, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Functioneringsniveau (moment whose norm mean is nearest) and DLE (months, 0-60; 61 = '>60')."""
    m = n.mean
    nearest = np.abs(score[:, None] - m[None, :]).argmin(axis=1)
    labels = np.array(n.moments, dtype=object)[nearest]
    low = score < m[0] - (m[1] - m[0]) / 2
    high = score > m[-1] + (m[-1] - m[-2]) / 2
    labels = np.where(low, "<" + n.moments[0], labels)
    labels = np.where(high, ">" + n.moments[-1], labels)
    # DLE: piecewise linear through (mean, dle) points, extrapolated at both ends
    xs = np.concatenate([[m[0] - (m[1] - m[0]) * n.dle[0] / 5], m, [m[-1] + (m[-1] - m[-2]) * (60 - n.dle[-1]) / 5]])
    ys = np.concatenate([[0.0], n.dle, [60.0]])
    dle = np.interp(score, xs, ys)
    dle = np.where(score > xs[-1], 61, np.clip(np.rint(dle), 1, 60)).astype(int)
    return labels, dle


# ---------------------------------------------------------------------------
# the sample school: simulation
# ---------------------------------------------------------------------------


def _school_day(d: dt.date) -> dt.date:
    """Move a Saturday/Sunday to the next Monday."""
    wd = d.weekday()
    return d + dt.timedelta(days=7 - wd) if wd >= 5 else d


def _moments_for(subject: str, groep: int) -> list[str]:
    periods = ["M"] if groep == 8 else ["M", "E"]
    if subject == "begrijpend lezen" and groep == 3:
        periods = ["E"]
    return periods


def _population(r_pop, first_year: int, n_years: int) -> list[dict]:
    """Who sits in which class in which year: 22-28 pupils per class, 3% leave a year,
    a new groep 3 each year and a few zij-instromers."""
    pupils: list[dict] = []

    def new_pupil(cohort3: int, klas: str, year_idx: int, instroom: str) -> dict:
        p = {"cohort3": cohort3, "klas": klas, "first": year_idx, "last": year_idx, "instroom": instroom}
        pupils.append(p)
        return p

    present: list[dict] = []
    for g in range(3, 9):
        for k in "AB":
            for _ in range(int(np.clip(r_pop.normal(25, 1.8), 22, 28))):
                ins = r_pop.choice(["groep 1", "groep 2", "zij-instromer"], p=[0.86, 0.07, 0.07])
                present.append(new_pupil(first_year - (g - 3), k, 0, str(ins)))
    for y in range(1, n_years):
        year = first_year + y
        stay = []
        for p in present:
            g = year - 1 - p["cohort3"] + 3  # groep last year
            if g < 8 and r_pop.random() > 0.03:
                p["last"] = y
                stay.append(p)
        for k in "AB":  # new groep 3
            for _ in range(int(np.clip(r_pop.normal(25, 1.8), 22, 28))):
                ins = r_pop.choice(["groep 1", "groep 2", "zij-instromer"], p=[0.88, 0.07, 0.05])
                stay.append(new_pupil(year, k, y, str(ins)))
        for g in range(4, 9):  # zij-instromers
            for k in "AB":
                for _ in range(r_pop.poisson(0.5)):
                    stay.append(new_pupil(year - (g - 3), k, y, "zij-instromer"))
        present = stay
    return pupils


def _background(pupils: list[dict], r_pop, r_names) -> np.ndarray:
    """Number, gender, birth date, home language and name of every pupil; returns who speaks
    another language at home."""
    n = len(pupils)
    gender = r_pop.choice(np.array(["J", "M"]), size=n)
    other_lang = r_pop.random(n) < 0.20
    numbers = 100000 + np.sort(r_pop.choice(np.arange(1, 99999), size=n, replace=False)) * 1
    order = np.argsort([p["first"] * 100 - p["cohort3"] for p in pupils], kind="stable")
    nr = np.empty(n, dtype=int)
    nr[order] = np.sort(numbers)
    born = [dt.date(p["cohort3"] - 7, 10, 1) + dt.timedelta(days=int(r_pop.integers(0, 365))) for p in pupils]
    for i, p in enumerate(pupils):
        p.update(number=int(nr[i]), gender=str(gender[i]), birth=born[i])
        if other_lang[i]:
            p["thuistaal"] = str(r_names.choice(_OTHER_LANGUAGES))
            use_other = r_names.random() < 0.7
        else:
            p["thuistaal"] = "Nederlands"
            use_other = False
        if use_other:
            first = r_names.choice(_OTHER_BOYS if p["gender"] == "J" else _OTHER_GIRLS)
            pre, last = _OTHER_SURNAMES[r_names.integers(len(_OTHER_SURNAMES))]
        else:
            first = r_names.choice(_BOYS if p["gender"] == "J" else _GIRLS)
            pre, last = _SURNAMES[r_names.integers(len(_SURNAMES))]
        p.update(first_name=str(first), prefix=pre, last_name=last)
    return other_lang


def _latent_abilities(n: int, n_years: int, other_lang: np.ndarray, r_lat) -> np.ndarray:
    """True z per pupil, half-year step and subject (correlated subjects, stable over time)."""
    n_steps = 2 * n_years
    chol = np.linalg.cholesky(TRUE_CORRELATION * RELIABILITY)
    u = np.empty((n, n_steps, len(SUBJECTS)))
    u[:, 0] = r_lat.standard_normal((n, len(SUBJECTS))) @ chol.T
    for s in range(1, n_steps):
        eps = r_lat.standard_normal((n, len(SUBJECTS))) @ chol.T
        u[:, s] = RHO_STEP * u[:, s - 1] + math.sqrt(1 - RHO_STEP**2) * eps
    mu = np.full((n, len(SUBJECTS)), SCHOOL_OFFSET)
    for subj, eff in THUISTAAL_EFFECT.items():
        mu[other_lang, SUBJECTS.index(subj)] += eff
    return mu[:, None, :] + u


def _sittings(pupils: list[dict], true_z: np.ndarray, norms, r_mess, first_year: int, n_years: int) -> pd.DataFrame:
    """One row per test taken; weak pupils sometimes take the test of the groep below."""
    rows = []
    for i, p in enumerate(pupils):
        for y in range(p["first"], p["last"] + 1):
            g = first_year + y - p["cohort3"] + 3
            klas = f"{g}{p['klas']}"
            for si, subj in enumerate(SUBJECTS):
                protected = (y == n_years - 1) and (
                    (subj == "begrijpend lezen" and g == 6) or (subj == "rekenen-wiskunde" and g == 4)
                )
                off_level = g >= 4 and not protected and true_z[i, 2 * y, si] < -1.4 and r_mess.random() < 0.5
                for period in _moments_for(subj, g):
                    lower = off_level and f"{period}{g - 1}" in norms[subj].moments
                    rows.append((i, y, g, klas, subj, si, period, g - 1 if lower else g))
    return pd.DataFrame(rows, columns=["pupil", "y", "groep", "klas", "subject", "si", "period", "test_level"])


def _planted_mask(res: pd.DataFrame, iid: str) -> np.ndarray:
    """The results an intervention of :data:`PLANTED_EFFECTS` shifts (its E-tests of its classes, or from its start on)."""
    t = PLANTED_EFFECTS[iid]
    if "n" in t:
        raise ValueError(f"{iid} is chosen on its pretest after the results exist: its planted effect stays 0")
    rows = res["subject"] == t["vak"]
    if "vanaf" in t:
        return (rows & (res["date"] >= dt.date.fromisoformat(t["vanaf"]))).to_numpy()
    klassen = t["klassen"] if "klassen" in t else [t["klas"]]
    rows &= (res["school_year"] == t["schooljaar"]) & res["klas"].isin(klassen) & (res["period"] == t["moment"][0])
    return rows.to_numpy()


def _observed(res: pd.DataFrame, true_z: np.ndarray, r_err, r_class, effects: dict[str, float]) -> None:
    """Observed z = true z + the planted effects + the class's teacher effect + measurement error (in place).

    ``effects`` maps an intervention of :data:`PLANTED_EFFECTS` to its effect in SD; the
    teacher effects are drawn per school year, class and subject (in sorted order) and shift
    the E-tests only.
    """
    step = 2 * res["y"].to_numpy() + (res["period"].to_numpy() == "E")
    tz = true_z[res["pupil"].to_numpy(), step, res["si"].to_numpy()]
    err = r_err.normal(0.0, math.sqrt(1 - RELIABILITY), len(res))
    res["school_year"] = np.array(SCHOOL_YEARS, dtype=object)[res["y"].to_numpy()]
    effect = np.zeros(len(res))
    for iid, size in effects.items():
        if size:
            effect[_planted_mask(res, iid)] += size
    keys = res["school_year"] + "|" + res["klas"] + "|" + res["subject"]
    classes = np.unique(keys.to_numpy())
    teacher = dict(zip(classes, r_class.normal(0.0, CLASS_EFFECT_SD, len(classes))))
    effect += np.where(res["period"].to_numpy() == "E", keys.map(teacher).to_numpy(float), 0.0)
    res["z_true"] = tz
    res["z_obs"] = tz + effect + err
    res["moment"] = res["period"] + res["groep"].astype(str)
    res["test_moment"] = res["period"] + res["test_level"].astype(str)


def _sitting_dates(res: pd.DataFrame, r_date, first_year: int) -> list[dt.date]:
    """One date per class x subject x moment; a few pupils catch up a few days later."""
    class_dates: dict[tuple, dt.date] = {}
    dates = []
    for y, klas, subj, period in zip(res["y"], res["klas"], res["subject"], res["period"]):
        key = (y, klas, subj, period)
        if key not in class_dates:
            year = first_year + y + 1
            base = dt.date(year, 1, 12) if period == "M" else dt.date(year, 5, 19)
            span = 10 if period == "M" else 14
            class_dates[key] = _school_day(base + dt.timedelta(days=int(r_date.integers(0, span + 1))))
        d = class_dates[key]
        if r_date.random() < 0.08:
            d = _school_day(d + dt.timedelta(days=int(r_date.integers(1, 7))))
        dates.append(d)
    return dates


def _cito_scores(res: pd.DataFrame, norms) -> None:
    """Scores on the Cito scale and the z of the test actually taken (in place)."""
    score = np.empty(len(res))
    z_test = np.empty(len(res))
    for subj in SUBJECTS:
        nm = norms[subj]
        sel = (res["subject"] == subj).to_numpy()
        mean = np.array([nm.lookup(m)[0] for m in res.loc[sel, "moment"].to_numpy()])
        sd = np.array([nm.lookup(m)[1] for m in res.loc[sel, "moment"].to_numpy()])
        sc = np.rint(mean + sd * res.loc[sel, "z_obs"].to_numpy())
        tmean = np.array([nm.lookup(m)[0] for m in res.loc[sel, "test_moment"].to_numpy()])
        tsd = np.array([nm.lookup(m)[1] for m in res.loc[sel, "test_moment"].to_numpy()])
        score[sel] = sc
        z_test[sel] = (sc - tmean) / tsd
    res["score"] = score
    res["z_test"] = z_test


def planted_sizes(effects: dict[str, float] | None = None) -> dict[str, float]:
    """The effect (SD) of each planted intervention: :data:`PLANTED_EFFECTS`, with ``effects`` replacing some."""
    sizes = {iid: float(t["effect_sd"]) for iid, t in PLANTED_EFFECTS.items() if iid.startswith("INT-")}
    unknown = set(effects or {}) - set(sizes)
    if unknown:
        raise ValueError(f"no planted intervention {sorted(unknown)}")
    return sizes | {k: float(v) for k, v in (effects or {}).items()}


def _simulate(seed: int, effects: dict[str, float] | None = None):
    """Pupils and every test result of the sample school (internal tables).

    The randomness comes from ``seed`` alone, in a fixed layout: ``SeedSequence(seed)``
    spawns seven streams (population, latent abilities, measurement error, dates, export
    mess, names, teacher effects), so each part draws from its own stream and the parts can
    change order freely.  No seed or constant is chosen by looking at the outcome: the
    planted designs are large enough to show their verdicts for (nearly) every seed, which
    ``tests/test_sample_power.py`` checks on other seeds.
    """
    streams = np.random.SeedSequence(seed).spawn(7)
    r_pop, r_lat, r_err, r_date, r_mess, r_names, r_class = (np.random.default_rng(s) for s in streams)
    n_years = len(SCHOOL_YEARS)
    first_year = int(SCHOOL_YEARS[0][:4])
    pupils = _population(r_pop, first_year, n_years)
    other_lang = _background(pupils, r_pop, r_names)
    true_z = _latent_abilities(len(pupils), n_years, other_lang, r_lat)
    norms = _norms_by_subject(load_example_norms())
    res = _sittings(pupils, true_z, norms, r_mess, first_year, n_years)
    res["date"] = _sitting_dates(res, r_date, first_year)
    _observed(res, true_z, r_err, r_class, planted_sizes(effects))
    _cito_scores(res, norms)  # rekenen 2023-2024 is replaced by IEP later
    res["nonresult"] = r_mess.random(len(res)) < 0.02
    return pupils, res, norms, r_mess


# ---------------------------------------------------------------------------
# the sample school: writers
# ---------------------------------------------------------------------------


def _fmt_date(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")


def _fmt_dec(x: float, decimals: int = 1) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


def _write_text(path: Path, lines: list[str], encoding: str) -> None:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


def _csv_line(fields) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="").writerow(fields)
    return buf.getvalue()


CITO_HEADER = (
    "Leerlingnummer;Achternaam;Tussenvoegsel;Voornaam;Geboortedatum;Geslacht;Groep;Klas;Toets;Toetsmoment;"
    "Afnamedatum;Vaardigheidsscore;Niveau;Percentiel;Functioneringsniveau;DLE"
)


def _write_cito_file(out: Path, pupils, res: pd.DataFrame, norms, subj: str, year: str, rng) -> tuple[str, int]:
    end_year = int(year[5:])
    name = f"cito_{FILE_SLUGS[subj]}_{year}.csv"
    d = res[(res["subject"] == subj) & (res["school_year"] == year)].copy()
    d["_last"] = [pupils[i]["last_name"] for i in d["pupil"]]
    d["_first"] = [pupils[i]["first_name"] for i in d["pupil"]]
    d["_po"] = (d["period"] == "E").astype(int)
    d = d.sort_values(["klas", "_last", "_first", "pupil", "_po"], kind="stable")
    plus_minus = year == "2025-2026"
    decimal_scores = year == "2022-2023"
    nm = norms[subj]
    lv = _levels(d["z_test"].to_numpy(), plus_minus)
    pc = _percentiles(d["z_test"].to_numpy())
    fl, dle = _func_level_and_dle(nm, d["score"].to_numpy())
    eligible = np.flatnonzero(~d["nonresult"].to_numpy())
    no_number = set(rng.choice(eligible, size=int(rng.integers(1, 4)), replace=False).tolist())
    pct_sign = rng.random(len(d)) < (0.1 if year == "2024-2025" else 0.0)
    tokens = ("afw", "ziek", "-", "n.v.t.")
    lines = [
        f"Toetsresultaten {TITLE_NAMES[subj]} - {SCHOOL_NAME} - schooljaar {year} - export 14-07-{end_year}",
        "",
        CITO_HEADER,
    ]
    scores = []
    for k, r in enumerate(d.itertuples(index=False)):
        p = pupils[r.pupil]
        ident = [
            "" if k in no_number else str(p["number"]),
            p["last_name"],
            p["prefix"],
            p["first_name"],
            _fmt_date(p["birth"]),
            p["gender"],
            str(r.groep),
            r.klas,
            TEST_NAMES[subj],
            r.test_moment,
            _fmt_date(r.date),
        ]
        if r.nonresult:
            blank = " " if rng.random() < 0.5 else ""
            result = [str(rng.choice(tokens)), blank, blank, blank, blank]
        else:
            s = int(r.score)
            scores.append(s)
            result = [
                f"{s},0" if decimal_scores else str(s),
                str(lv[k]),
                f"{pc[k]}%" if pct_sign[k] else str(pc[k]),
                str(fl[k]),
                ">60" if dle[k] > 60 else str(dle[k]),
            ]
        lines.append(_csv_line(ident + result))
    n_pupils = d["pupil"].nunique()
    lines.append("Groepsgemiddelde" + ";" * 11 + _fmt_dec(float(np.mean(scores))) + ";" * 4)
    lines.append("Aantal leerlingen" + ";" * 11 + str(n_pupils) + ";" * 4)
    _write_text(out / name, lines, "cp1252")
    return name, len(d)


# IEP: one ontwikkelscore scale for all groepen (60 ~ 1F, 80 ~ 2F/1S)
def _iep_mean(moment: str) -> float:
    t = int(moment[1]) + (0.45 if moment[0] == "E" else 0.0)
    return 45.0 + 8.0 * (t - 3)


def _write_iep(out: Path, pupils, res: pd.DataFrame, norms, rng) -> tuple[str, int]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from plgdata.io.interventions import save_workbook_reproducibly

    year = "2023-2024"
    d = res[(res["subject"] == "rekenen-wiskunde") & (res["school_year"] == year) & ~res["nonresult"]].copy()
    d["_last"] = [pupils[i]["last_name"] for i in d["pupil"]]
    d["_po"] = (d["period"] == "E").astype(int)
    d = d.sort_values(["klas", "_last", "pupil", "_po"], kind="stable")
    z = d["z_test"].to_numpy()
    os_ = np.clip(np.rint([_iep_mean(m) for m in d["test_moment"]] + 10.0 * z), 20, 130).astype(int)
    ref = np.where(os_ < 60, "op weg naar 1F", np.where(os_ < 80, "1F", np.where(os_ < 90, "2F", "1S")))
    _, dle = _func_level_and_dle(norms["rekenen-wiskunde"], d["score"].to_numpy())
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekenen"
    ws.append([f"IEP LVS - {SCHOOL_NAME} - {year}"])
    ws["A1"].font = Font(bold=True)
    ws.append([])
    ws.append(
        [
            "Leerlingnummer",
            "Naam",
            "Geboortedatum",
            "Groep",
            "Klas",
            "Toetsmoment",
            "Afnamedatum",
            "Ontwikkelscore",
            "Referentieniveau",
            "DLE",
            "Getallen",
            "Verhoudingen",
            "Meten en meetkunde",
            "Verbanden",
        ]
    )
    for k, r in enumerate(d.itertuples(index=False)):
        p = pupils[r.pupil]
        naam = " ".join(x for x in (p["first_name"], p["prefix"], p["last_name"]) if x)
        dom = np.clip(0.55 + 0.16 * (z[k] + rng.normal(0, 0.6, 4)), 0.05, 0.99)
        ws.append(
            [
                p["number"],
                naam,
                dt.datetime.combine(p["birth"], dt.time()),
                int(r.groep),
                r.klas,
                r.test_moment,
                dt.datetime.combine(r.date, dt.time()),
                int(os_[k]),
                str(ref[k]),
                int(min(dle[k], 60)),
                float(round(dom[0], 2)),
                float(round(dom[1], 2)),
                f"{round(100 * dom[2])}%",
                f"{round(100 * dom[3])}%",
            ]
        )
        row = ws.max_row
        for col in ("C", "G"):
            ws[f"{col}{row}"].number_format = "DD-MM-YYYY"
        for col in ("K", "L"):
            ws[f"{col}{row}"].number_format = "0%"
    for col, w in zip("ABCDEFGHIJKLMN", (15, 28, 13, 7, 6, 12, 13, 14, 17, 6, 10, 13, 19, 11)):
        ws.column_dimensions[col].width = w
    name = f"IEP_{year}.xlsx"
    save_workbook_reproducibly(wb, out / name)
    return name, len(d)


def _write_pupils(out: Path, pupils) -> tuple[str, int]:
    last_year = len(SCHOOL_YEARS) - 1
    first_year = int(SCHOOL_YEARS[0][:4])
    current = [p for p in pupils if p["last"] == last_year]
    left = [p for p in pupils if p["last"] < last_year]
    current.sort(key=lambda p: (first_year + last_year - p["cohort3"], p["klas"], p["last_name"], p["first_name"]))
    left.sort(key=lambda p: (p["last_name"], p["first_name"], p["number"]))
    lines = [
        f"Leerlingen {SCHOOL_NAME} - schooljaar {SCHOOL_YEARS[-1]} (met uitgeschreven leerlingen) - export 01-07-2026",
        "Leerlingnummer;Achternaam;Tussenvoegsel;Voornaam;Geboortedatum;Geslacht;Thuistaal;Instroom;Groep;Klas",
    ]
    for p in current + left:
        g = first_year + last_year - p["cohort3"] + 3
        here = p["last"] == last_year
        lines.append(
            _csv_line(
                [
                    p["number"],
                    p["last_name"],
                    p["prefix"],
                    p["first_name"],
                    _fmt_date(p["birth"]),
                    p["gender"],
                    p["thuistaal"],
                    p["instroom"],
                    g if here else "",
                    f"{g}{p['klas']}" if here else "",
                ]
            )
        )
    _write_text(out / "leerlingen.csv", lines, "cp1252")
    return "leerlingen.csv", len(current) + len(left)


def _interventions_content(pupils, res: pd.DataFrame):
    last = SCHOOL_YEARS[-1]
    first_year = int(SCHOOL_YEARS[0][:4])
    interventions = [
        (
            "INT-BL-6A",
            "Close reading in 6A",
            "Twee keer per week 45 minuten close reading met zaakvakteksten in de hele klas 6A; 6B werkt zoals altijd "
            "en is de vergelijkingsgroep.",
            "Taal",
            "Begrijpend lezen",
            "6",
            dt.datetime(2026, 2, 3),
            dt.datetime(2026, 6, 12),
            90,
        ),
        (
            "INT-RW-RT4",
            "RT-groep rekenen groep 4",
            "Drie keer per week 20 minuten extra instructie en inoefening bij de RT'er voor de acht leerlingen van groep 4 "
            "met de laagste M4-score rekenen-wiskunde.",
            "Rekenen",
            "Rekenen-wiskunde",
            "4",
            dt.datetime(2026, 2, 9),
            dt.datetime(2026, 6, 12),
            60,
        ),
        (
            "INT-SP-SCHOOL",
            "Spelling in de lift, schoolbreed",
            "Nieuwe spellingaanpak in alle groepen: dagelijks 10 minuten inoefenen van de spellingcategorieën en "
            "wekelijks dictee met directe feedback.",
            "Taal",
            "Spelling",
            "3 t/m 8",
            dt.datetime(2024, 9, 2),
            None,
            50,
        ),
        (
            "INT-TL-MB",
            "Herhaald lezen in groep 3 t/m 7",
            "Vier keer per week 15 minuten klassikaal herhaald lezen (koorlezen en duo-lezen) in de hele klassen 3A, 4A, "
            "5A, 6A en 7A; de parallelklassen 3B t/m 7B werken zoals altijd en zijn de vergelijkingsklassen.",
            "Taal",
            "Technisch lezen",
            "3 t/m 7",
            dt.datetime(2026, 2, 9),
            dt.datetime(2026, 6, 12),
            60,
        ),
    ]
    y_last = len(SCHOOL_YEARS) - 1
    rows = []
    # 6A in 2025-2026
    for p in sorted(pupils, key=lambda p: p["number"]):
        if p["last"] == y_last and first_year + y_last - p["cohort3"] + 3 == 6 and p["klas"] == "A":
            rows.append((str(p["number"]), "INT-BL-6A", None, None))
    # RT group: the 8 lowest M4 rekenen scores of groep 4 in 2025-2026
    m4 = res[(res["subject"] == "rekenen-wiskunde") & (res["school_year"] == last) & (res["moment"] == "M4") & ~res["nonresult"]]
    rt = m4.sort_values(["score", "pupil"]).head(8)["pupil"].tolist()
    for i in sorted(rt, key=lambda i: pupils[i]["number"]):
        rows.append((str(pupils[i]["number"]), "INT-RW-RT4", None, None))
    # school-wide spelling: everybody at school from 2024-2025 on
    y0 = SCHOOL_YEARS.index("2024-2025")
    for p in sorted(pupils, key=lambda p: p["number"]):
        if p["last"] >= y0:
            start = None if p["first"] <= y0 else dt.datetime(first_year + p["first"], 9, 1)
            end = dt.datetime(first_year + p["last"] + 1, 7, 31) if p["last"] < y_last else None
            rows.append((str(p["number"]), "INT-SP-SCHOOL", start, end))
    # whole classes 3A-7A in 2025-2026 (technisch lezen)
    tl = PLANTED_EFFECTS["INT-TL-MB"]["klassen"]
    for p in sorted(pupils, key=lambda p: p["number"]):
        if p["last"] == y_last and f"{first_year + y_last - p['cohort3'] + 3}{p['klas']}" in tl:
            rows.append((str(p["number"]), "INT-TL-MB", None, None))
    return interventions, rows, rt


_README_TEMPLATE = """\
# Voorbeeldschool OBS De Vlonder (fictief)

Deze map bevat **verzonnen** gegevens van een fictieve basisschool, "OBS De Vlonder". Er staat
**geen enkele echte leerling** in: namen zijn willekeurig gecombineerd uit lijsten met veelvoorkomende
voornamen en achternamen, leerlingnummers en geboortedata zijn door het toeval gekozen. De bestanden
zijn gemaakt met `plgdata.sample.school.generate_sample_school(map, seed={seed})` en zien eruit als echte
exports uit een leerlingvolgsysteem, inclusief de rommel die je daarin tegenkomt.

## Wat staat erin

| Bestand | Inhoud | Regels |
|---|---|---|
{file_table}

- Schooljaren 2022-2023 t/m 2025-2026, groepen 3-8, twee klassen per groep (3A, 3B, … 8B),
  ongeveer 25 leerlingen per klas. Elk jaar vertrekt groep 8, komt er een nieuwe groep 3 bij,
  vertrekken enkele leerlingen en komen er zij-instromers bij.
- Toetsmomenten M (half januari - begin februari) en E (half mei - begin juni); groep 8 alleen M8.
- Cito-bestanden: cp1252, `;`, decimale komma, een titelregel, samenvattingsregels onderaan
  (Groepsgemiddelde, Aantal leerlingen), ongeveer 2% regels zonder resultaat (`afw`, `ziek`, `-`,
  `n.v.t.`), per bestand een paar regels zonder leerlingnummer, een paar leerlingen die een toets van
  een lager niveau maken (bijv. M5 in groep 6), in 2022-2023 scores als `171,0`, in 2024-2025 soms een
  percentiel als `48%`, in 2025-2026 niveaus I+ en V-.
- Rekenen-wiskunde is in 2023-2024 met **IEP** getoetst (`IEP_2023-2024.xlsx`, ontwikkelscore), niet met Cito.
- `interventies.xlsx` is het ingevulde sjabloon (`plgdata sjabloon interventies`); de grijze
  VOORBEELD-regel wordt bij het inlezen overgeslagen. `interventies.csv` en `deelname.csv` bevatten
  hetzelfde (zonder voorbeeldregel).

## Cyclusverslagen

- `cyclus_begrijpend_lezen.yaml`: de datateamcyclus *Begrijpend lezen groep 5/6*, zoals de notebooks
  `00` t/m `08` hem invullen (`make demo` maakt hem opnieuw in zijn werkmap, buiten `reports/`). Hypothese H3 (jongens
  scoren lager; bekeken in groep 4 t/m 8, zodat er genoeg leerlingen zijn om haar te kunnen verwerpen) is
  verworpen; het team ging terug naar stap 2 en formuleerde H4. De maatregel (close reading in 6A) laat de
  eerlijke weigering zien: één klas tegen één klas. In 6A zit een ingebouwd effect, maar 6A en 6B hebben
  ook elk hun eigen leerkracht; met één klas aan elke kant is dat niet van elkaar te scheiden. De evaluatie
  beschrijft het verschil en geeft geen oordeel ('niet te scheiden'), met een opzet die het wel kan (meer
  klassen, om de beurt starten).
- `actieonderzoek_rt_rekenen_groep4.yaml`: een afgerond actieonderzoek van de RT-groep rekenen. De
  evaluatie laat de valkuil zien: de groep ging flink vooruit, maar dat is vooral regressie naar het
  gemiddelde; de eerlijke schatting (ANCOVA tegen de rest van groep 4) vindt geen effect. Gemaakt met
  `plgdata.sample.cycles.write_rt_actieonderzoek`.

## Leerteams (Lesson Study, jaarplannen, PLG-scan)

- `lessonstudy_rekenen_groep5.yaml`: een afgeronde Lesson Study van leerteam Rekenen in 5A
  (*Verhaaltjessommen met het strookmodel*): drie casusleerlingen uit de data (niveau I–II, III en IV–V
  op E5 rekenen-wiskunde 2025-2026, als pseudoniem), twee onderzoekslessen met voorspelling en observatie
  per lesfase, interviews, nabesprekingen, conclusies en borgen, en de uitkomst van de eigen meting.
- `eigen_meting/strookmodel_5A_5B.csv` met `eigen_meting/koppeling_strookmodel.yaml`: de eigen toets
  (10 punten) voor en na de lessen in 5A (Lesson Study) en 5B (vergelijking). Het koppelbestand zet de
  punten op een eigen schaal (`eigen meting: strookmodel-toets`), zodat ze nooit met het
  leerlingvolgsysteem worden vermengd. De submap wordt niet meegelezen als exportmap.
- `jaarplan_taal.yaml`, `jaarplan_rekenen.yaml`: de jaarplannen 2025-2026 van de twee leerteams
  (perioden met focusvak, cycli, bijeenkomsten, start-, ontwikkel- en evaluatiegesprek).
- `plgscan.xlsx`: PLG-scan (negen bouwstenen, schaal 1-4) voor 2024-2025 en 2025-2026. In 2024-2025
  vulden maar vier leerkrachten van leerteam Rekenen de scan in: dat leerteam-jaar wordt nooit getoond.
- `signaleringswaarden.csv`: de signaleringswaarden 2F/1S van de voorbeeldschool (**fictief**; een school
  vult de echte waarden van de inspectie in, bij haar schoolweging).

Gemaakt met `plgdata.sample.leerteams.write_leerteam_samples` (vaste sleutel van de voorbeeldschool,
vaste tijdstempels), behalve `signaleringswaarden.csv` (met de hand).

## Normtabel (voorbeeld)

De generator gebruikt `plgdata/data/normtabel_voorbeeld.csv` (`vak;schaal;moment;gemiddelde;sd`,
decimale komma). **Die waarden zijn fictief** en alleen bedoeld voor deze voorbeeldschool: een paar
typische Cito 3.0-gemiddelden (rekenen-wiskunde M3 115, M6 227, M8 274; spelling M3 145, M6 317,
M8 366; begrijpend lezen E3 117, M6 174, M8 205), de rest vloeiend geïnterpoleerd, met verzonnen
standaardafwijkingen. Een school vult zelf de echte landelijke waarden in uit de normeringstabellen
(HCO) van haar toetsen, in `plgdata/data/normtabel_sjabloon.csv`. Dat sjabloon heeft alleen de kopregel
en één voorbeeldregel die met `#` begint (`# rekenen-wiskunde;Cito 3.0;M6;227,0;24,0`): zo'n regel is
commentaar en wordt niet ingelezen. Vervang hem door echte regels in dezelfde vorm.

## Wat er "waar" is (de ingebouwde effecten)

De analyses van plgdata moeten deze effecten terugvinden. Eenheid: de landelijke standaardafwijking
(sd) van de normtabel, dus z = (score - landelijk gemiddelde) / landelijke sd.

| Interventie / effect | Wat is er ingebouwd | Wat de voorbeelddata laat zien (seed {seed}) |
|---|---|---|
| **INT-BL-6A** "Close reading in 6A" (begrijpend lezen, leerteam Taal, 03-02-2026 t/m 12-06-2026, 90 min/week) | {p_bl} sd op E6 begrijpend lezen 2025-2026 in 6A, gegeven M6; 6B is de vergelijkingsklas (één klas tegen één: plgdata geeft hier bewust geen oordeel, want 6A en 6B verschillen ook door hun leerkracht) | ANCOVA per leerling (E6 ~ M6 + klas, n = {a_n}): **{a_coef}** sd, 95%-BI {a_ci}; verschil in leerwinst (z) {a_did} |
| **INT-RW-RT4** "RT-groep rekenen groep 4" (60 min/week, feb-jun 2026) | effect **0**; de 8 leerlingen met de laagste M4-score | naïeve groei M4→E4 in z: **{b_gain}** (regressie naar het gemiddelde!); ANCOVA tegen de rest van groep 4: **{b_coef}** sd, 95%-BI {b_ci} |
| **INT-TL-MB** "Herhaald lezen in groep 3 t/m 7" (technisch lezen, leerteam Taal, 09-02-2026 t/m 12-06-2026, 60 min/week) | {p_tl} sd op E3-E7 technisch lezen 2025-2026 in de hele klassen 3A, 4A, 5A, 6A en 7A, gegeven M; 3B-7B zijn de vergelijkingsklassen: vijf klassen tegen vijf, zodat plgdata klassen met klassen kan vergelijken (zo groot gekozen dat vijf tegen vijf klassen het vrijwel altijd zien; echte effecten zijn meestal veel kleiner, mediaan 0,10) | ANCOVA per leerling (E ~ M + klas + groep, n = {e_n}): **{e_coef}** sd, 95%-BI {e_ci} |
| **INT-SP-SCHOOL** "Spelling in de lift, schoolbreed" (vanaf 2024-2025) | {p_sp} sd op elk spellingresultaat vanaf 01-08-2024; plgdata vergelijkt groepen per schooljaar (12 sinds de start tegen 12 ervoor) | zelfde groep en moment, 2024-2025/2025-2026 tegen 2022-2023/2023-2024: **{d_diff}** sd, 95%-BI {d_ci} |
| Jongens en meisjes, begrijpend lezen | geen verschil (deze hypothese moet verworpen worden) | meisjes - jongens (gemiddelde z per leerling): **{c_diff}** sd, p = {c_p} |
| Thuistaal niet Nederlands (ongeveer 20%) | woordenschat -0,40 sd, begrijpend lezen -0,20 sd | woordenschat {t_ws} sd, begrijpend lezen {t_bl} sd |
| Samenhang woordenschat - begrijpend lezen | r ≈ 0,6 | r = {r_wsbl} (zelfde leerling, zelfde moment) |
| Leerkracht (elke klas, elk schooljaar, elk vak) | een eigen verschuiving van de E-toets (de groei van M naar E), sd {p_class} | |

Het model: elke leerling heeft per vak een "echte" vaardigheid in z-eenheden die van jaar tot jaar weinig
verandert (de leerling groeit zoals het landelijk gemiddelde). Een toetsscore is landelijk gemiddelde + sd ×
(echte z + effect + leerkracht + meetfout), met een betrouwbaarheid van ongeveer 0,85. Daardoor scoren leerlingen
die op een lage score zijn geselecteerd de volgende keer vanzelf hoger: regressie naar het gemiddelde.

### Geen uitgezochte seed

De voorbeeldschool komt uit één getal, de seed ({seed}); er is geen seed of andere constante gezocht
waarbij de effecten "mooi uitkomen". De opzetten zijn zo gekozen dat plgdata bij vrijwel elke seed hetzelfde
oordeel geeft: vijf klassen tegen vijf met een groot effect (technisch lezen), twaalf groepen per schooljaar
tegen twaalf (spelling), en voor de hypothesen genoeg leerlingen om een verschil dat er niet is te verwerpen
(H3 kijkt daarom naar groep 4 t/m 8). Twee uitkomsten zijn bewust eerlijk onzeker: één klas tegen één klas
(close reading in 6A) krijgt nooit een oordeel, en H2 (thuistaal) blijft *onbeslist* omdat er in groep 5/6
maar ongeveer twintig leerlingen met een andere thuistaal zijn: zo'n 95%-betrouwbaarheidsinterval is
ongeveer 45 procentpunt breed. Bij ongeveer één seed op zes valt zo'n ondermaatse opzet toevallig toch naar
een kant uit; dat hoort bij een te kleine groep. Een test (`tests/test_sample_power.py`) maakt de school met andere
seeds en controleert dat de oordelen dan ook uitkomen, en dat technisch lezen zonder effect geen 'werkt' krijgt.

## Note for maintainers (English)

Generated by `plgdata.sample.school.generate_sample_school(out_dir, seed={seed})`; the generator is
deterministic (same bytes for the same seed, including the xlsx files), and its randomness comes from the seed
alone (`SeedSequence(seed)` spawns one stream per part; nothing was searched). The realised effect estimates above
are computed from the written files by `plgdata.sample.school.estimate_planted_effects(out_dir)` (no plgdata
readers involved) and are asserted within bounds in `tests/test_sample.py`. Planted truths: BL 6A ANCOVA
{p_bl} SD (one class against one: plgdata refuses a verdict); TL 3A-7A against 3B-7B {p_tl} SD (whole classes,
judged on class means); RT group effect 0 (naive gain positive through regression to the mean, reliability 0.85);
spelling {p_sp} SD from 2024-08-01; teacher effect per class, year and subject on the E-test, SD {p_class}; no
gender difference in begrijpend lezen; thuistaal effects on woordenschat (-0.40) and begrijpend lezen (-0.20).
`tests/test_sample_power.py` regenerates the school for other seeds and checks the verdicts. The norm table is
fictional. Regenerate with
`python -c "from plgdata.sample.school import generate_sample_school as g; g('data/sample')"`, then the
records that are computed from the data: `plgdata.sample.leerteams.write_leerteam_samples('data/sample')`,
`plgdata.sample.cycles.write_rt_actieonderzoek` (on the sample read with the fixed sample key) and the
datateam record `cyclus_begrijpend_lezen.yaml` from the werkmap of a `plgdata demo` run (notebooks 00-08 with
`voorbeeldinvulling.yaml`).
"""


def generate_sample_school(out_dir: str | Path, seed: int = 2026, effects: dict[str, float] | None = None) -> dict:
    """Write the fictional sample school "OBS De Vlonder" into ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created when missing).
    seed : int, default 2026
        Seed of every random choice; the same seed gives byte-identical files.
    effects : dict, optional
        Planted effects (SD) replacing those of :data:`PLANTED_EFFECTS`, by intervention
        (``{"INT-TL-MB": 0.0}`` makes the null twin of a design); the README states them.

    Returns
    -------
    dict
        ``files`` (name -> number of data rows), ``planted_effects`` (the truth, see
        :data:`PLANTED_EFFECTS`), ``rt_group_size`` and ``realised`` (the estimates of
        :func:`estimate_planted_effects` on the files written).

    Notes
    -----
    Files: ``cito_<vak>_<schooljaar>.csv`` (5 subjects x 4 years, except rekenen-wiskunde
    2023-2024), ``IEP_2023-2024.xlsx``, ``leerlingen.csv``, ``interventies.xlsx``,
    ``interventies.csv``, ``deelname.csv`` and ``README.md`` (Dutch, with the realised
    effects).  Formats: see the module docstring and ``data/sample/README.md``.
    """
    from plgdata.io.interventions import fill_intervention_workbook, write_intervention_csv, write_intervention_template

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sizes = planted_sizes(effects)
    pupils, res, norms, rng = _simulate(seed, sizes)
    files: dict[str, int] = {}
    for year in SCHOOL_YEARS:
        for subj in SUBJECTS:
            if subj == "rekenen-wiskunde" and year == "2023-2024":
                continue
            name, n = _write_cito_file(out, pupils, res, norms, subj, year, rng)
            files[name] = n
    name, n = _write_iep(out, pupils, res, norms, rng)
    files[name] = n
    name, n = _write_pupils(out, pupils)
    files[name] = n
    interventions, participation, rt = _interventions_content(pupils, res)
    xlsx = write_intervention_template(out / "interventies.xlsx")
    fill_intervention_workbook(xlsx, interventions, participation)
    files["interventies.xlsx"] = len(interventions) + len(participation)
    write_intervention_csv(out, interventions, participation)
    files["interventies.csv"] = len(interventions)
    files["deelname.csv"] = len(participation)
    realised = estimate_planted_effects(out)
    _write_readme(out, seed, files, realised, sizes)
    files["README.md"] = 0
    return {
        "school": SCHOOL_NAME,
        "school_years": list(SCHOOL_YEARS),
        "files": files,
        "n_pupils": len(pupils),
        "rt_group_size": len(rt),
        "planted_effects": PLANTED_EFFECTS,
        "planted_sizes": sizes,
        "realised": realised,
    }


def _write_readme(out: Path, seed: int, files: dict[str, int], r: dict, sizes: dict[str, float]) -> None:
    def f(x, d=2):
        return _fmt_dec(x, d)

    def ci(lo, hi):
        return f"[{f(lo)}; {f(hi)}]"

    descr = {
        "leerlingen.csv": "leerlingenlijst (ParnasSys-achtig): achtergrond, huidige groep; uitgeschreven leerlingen zonder groep",
        "IEP_2023-2024.xlsx": "IEP rekenen 2023-2024 (tabblad Rekenen)",
        "interventies.xlsx": "interventies en deelname (ingevuld sjabloon)",
        "interventies.csv": "interventies (zelfde inhoud als de xlsx)",
        "deelname.csv": "deelname per leerling (zelfde inhoud als de xlsx)",
    }
    table = []
    for name, n in files.items():
        if name.startswith("cito_"):
            text = "Cito-export (lang), één vak, één schooljaar"
        else:
            text = descr.get(name, "")
        table.append(f"| `{name}` | {text} | {n} |")
    a, b, c, d, t, e = r["bl_6a"], r["rt_group"], r["gender_bl"], r["spelling"], r["thuistaal"], r["tl_mb"]
    text = _README_TEMPLATE.format(
        seed=seed,
        p_bl=f"{sizes['INT-BL-6A']:+.2f}".replace(".", ","),
        p_tl=f"{sizes['INT-TL-MB']:+.2f}".replace(".", ","),
        p_sp=f"{sizes['INT-SP-SCHOOL']:+.2f}".replace(".", ","),
        p_class=f(CLASS_EFFECT_SD),
        file_table="\n".join(table),
        a_n=a["n"],
        a_coef=f(a["ancova"]),
        a_ci=ci(a["ci_low"], a["ci_high"]),
        a_did=f(a["gain_difference"]),
        b_gain=f(b["naive_gain"]),
        b_coef=f(b["ancova"]),
        b_ci=ci(b["ci_low"], b["ci_high"]),
        c_diff=f(c["difference"]),
        c_p=f(c["p"], 2),
        e_n=e["n"],
        e_coef=f(e["ancova"]),
        e_ci=ci(e["ci_low"], e["ci_high"]),
        d_diff=f(d["difference"]),
        d_ci=ci(d["ci_low"], d["ci_high"]),
        t_ws=f(t["woordenschat"]),
        t_bl=f(t["begrijpend lezen"]),
        r_wsbl=f(r["r_woordenschat_begrijpend_lezen"]),
    )
    (out / "README.md").write_text(text, encoding="utf-8", newline="\n")


# ---------------------------------------------------------------------------
# recovering the planted effects from the files (independent of plgdata.io.scores)
# ---------------------------------------------------------------------------


def _read_cito_minimal(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep=";", encoding="cp1252", skiprows=2, dtype=str, keep_default_na=False)
    df = df[~df["Leerlingnummer"].isin(["Groepsgemiddelde", "Aantal leerlingen"])]
    df["score"] = pd.to_numeric(df["Vaardigheidsscore"].str.replace(",", ".", regex=False), errors="coerce")
    df = df[df["score"].notna()].copy()
    df["school_year"] = path.stem.rsplit("_", 1)[1]
    return df


def _minimal_scores(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sample's Cito results with z on the example norms, and leerlingen.csv (pandas only)."""
    key = load_example_norms().set_index(["subject", "moment"])
    frames = []
    for subj in SUBJECTS:
        for path in sorted(folder.glob(f"cito_{FILE_SLUGS[subj]}_*.csv")):
            frames.append(_read_cito_minimal(path).assign(subject=subj))
    s = pd.concat(frames, ignore_index=True)
    pupils = pd.read_csv(folder / "leerlingen.csv", sep=";", encoding="cp1252", skiprows=1, dtype=str, keep_default_na=False)
    pupils["pupil"] = pupils["Leerlingnummer"].astype(int)

    def name_key(df):  # rows without a pupil number: the same pupil by name + birth date
        return df["Achternaam"] + "|" + df["Tussenvoegsel"] + "|" + df["Voornaam"] + "|" + df["Geboortedatum"]

    by_name = dict(zip(name_key(pupils), pupils["Leerlingnummer"]))
    missing = s["Leerlingnummer"].str.strip() == ""
    s.loc[missing, "Leerlingnummer"] = name_key(s[missing]).map(by_name)
    idx = pd.MultiIndex.from_arrays([s["subject"], s["Toetsmoment"]])
    s["z"] = (s["score"].to_numpy() - key["mean"].reindex(idx).to_numpy()) / key["sd"].reindex(idx).to_numpy()
    s["pupil"] = s["Leerlingnummer"].astype(int)
    return s, pupils


def _prepost(s: pd.DataFrame, subj: str, year: str, pre: str, post: str) -> pd.DataFrame:
    d = s[(s["subject"] == subj) & (s["school_year"] == year)]
    a = d[d["Toetsmoment"] == pre][["pupil", "z", "Klas"]].rename(columns={"z": "pre"})
    b = d[d["Toetsmoment"] == post][["pupil", "z"]].rename(columns={"z": "post"})
    return a.merge(b, on="pupil").drop_duplicates("pupil")


def _planted_bl_6a(s: pd.DataFrame) -> dict:
    """(a) begrijpend lezen 6A against 6B: ANCOVA, gain difference, baseline g."""
    import statsmodels.formula.api as smf

    pp = _prepost(s, "begrijpend lezen", "2025-2026", "M6", "E6")
    pp = pp[pp["Klas"].isin(["6A", "6B"])].assign(treat=lambda x: (x["Klas"] == "6A").astype(int))
    fit = smf.ols("post ~ pre + treat", data=pp).fit()
    lo, hi = fit.conf_int().loc["treat"]
    gain = pp["post"] - pp["pre"]
    t, c = pp.loc[pp["treat"] == 1, "pre"], pp.loc[pp["treat"] == 0, "pre"]
    return {
        "n": int(len(pp)),
        "ancova": float(fit.params["treat"]),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "gain_difference": float(gain[pp["treat"] == 1].mean() - gain[pp["treat"] == 0].mean()),
        "baseline_g": float((t.mean() - c.mean()) / np.sqrt((t.var() + c.var()) / 2)),
    }


def _planted_tl_mb(s: pd.DataFrame) -> dict:
    """(e) technisch lezen 4A-7A against 4B-7B: pupil-level ANCOVA with the groep as a fixed effect."""
    import statsmodels.formula.api as smf

    groepen = sorted({int(k[:-1]) for k in PLANTED_EFFECTS["INT-TL-MB"]["klassen"]})
    frames = [_prepost(s, "technisch lezen", "2025-2026", f"M{g}", f"E{g}").assign(groep=g) for g in groepen]
    pp = pd.concat(frames, ignore_index=True)
    pp = pp[pp["Klas"].isin(PLANTED_EFFECTS["INT-TL-MB"]["klassen"] + PLANTED_EFFECTS["INT-TL-MB"]["vergelijking"])]
    pp = pp.assign(treat=pp["Klas"].isin(PLANTED_EFFECTS["INT-TL-MB"]["klassen"]).astype(int))
    fit = smf.ols("post ~ pre + treat + C(groep)", data=pp).fit()
    lo, hi = fit.conf_int().loc["treat"]
    return {"n": int(len(pp)), "ancova": float(fit.params["treat"]), "ci_low": float(lo), "ci_high": float(hi)}


def _planted_rt_group(s: pd.DataFrame, folder: Path) -> dict:
    """(b) the RT-group of groep 4: naive gain against ANCOVA with the rest of the groep."""
    import statsmodels.formula.api as smf

    dn = pd.read_csv(folder / "deelname.csv", sep=";", encoding="utf-8-sig", dtype=str)
    rt_ids = set(dn.loc[dn["Interventie-ID"] == "INT-RW-RT4", "Leerlingnummer"].astype(int))
    pp = _prepost(s, "rekenen-wiskunde", "2025-2026", "M4", "E4").assign(rt=lambda x: x["pupil"].isin(rt_ids).astype(int))
    fit = smf.ols("post ~ pre + rt", data=pp).fit()
    lo, hi = fit.conf_int().loc["rt"]
    rt = pp[pp["rt"] == 1]
    return {
        "n_rt": int(len(rt)),
        "n_rest": int((pp["rt"] == 0).sum()),
        "naive_gain": float((rt["post"] - rt["pre"]).mean()),
        "ancova": float(fit.params["rt"]),
        "ci_low": float(lo),
        "ci_high": float(hi),
    }


def _planted_background(s: pd.DataFrame, pupils: pd.DataFrame) -> dict:
    """(c) gender, (d) spelling cohorts, home language and the woordenschat/begrijpend lezen r."""
    import statsmodels.formula.api as smf

    out: dict = {}
    bl = s[s["subject"] == "begrijpend lezen"].groupby("pupil")["z"].mean().rename("z").reset_index()
    bl = bl.merge(pupils[["pupil", "Geslacht", "Thuistaal"]], on="pupil")
    girls, boys = bl.loc[bl["Geslacht"] == "M", "z"], bl.loc[bl["Geslacht"] == "J", "z"]
    t = stats.ttest_ind(girls, boys, equal_var=False)
    out["gender_bl"] = {
        "difference": float(girls.mean() - boys.mean()),
        "p": float(t.pvalue),
        "n_girls": int(len(girls)),
        "n_boys": int(len(boys)),
    }
    sp = s[s["subject"] == "spelling"].assign(after=lambda x: (x["school_year"] >= "2024-2025").astype(int))
    fit = smf.ols("z ~ after + C(Toetsmoment)", data=sp).fit(cov_type="cluster", cov_kwds={"groups": sp["pupil"]})
    lo, hi = fit.conf_int().loc["after"]
    out["spelling"] = {"difference": float(fit.params["after"]), "ci_low": float(lo), "ci_high": float(hi), "n": int(len(sp))}
    th = {}
    for subj in ("woordenschat", "begrijpend lezen"):
        z = (
            s[s["subject"] == subj]
            .groupby("pupil")["z"]
            .mean()
            .rename("z")
            .reset_index()
            .merge(pupils[["pupil", "Thuistaal"]], on="pupil")
        )
        nl = z["Thuistaal"] == "Nederlands"
        th[subj] = float(z.loc[~nl, "z"].mean() - z.loc[nl, "z"].mean())
    out["thuistaal"] = th
    w = s[s["subject"] == "woordenschat"][["pupil", "school_year", "Toetsmoment", "z"]]
    b2 = s[s["subject"] == "begrijpend lezen"][["pupil", "school_year", "Toetsmoment", "z"]]
    m = w.merge(b2, on=["pupil", "school_year", "Toetsmoment"])
    out["r_woordenschat_begrijpend_lezen"] = float(np.corrcoef(m["z_x"], m["z_y"])[0, 1])
    return out


def estimate_planted_effects(folder: str | Path) -> dict:
    """Estimate the planted effects from the sample's Cito files and leerlingen.csv.

    Uses only pandas and statsmodels (not :mod:`plgdata.io.scores`), so it can check a
    freshly generated sample independently of the readers.

    Returns
    -------
    dict
        ``bl_6a`` (ANCOVA coefficient of class 6A on E6 z given M6 z, its 95% CI, n,
        and the gain-score difference), ``tl_mb`` (technisch lezen 4A-7A against 4B-7B:
        pupil-level ANCOVA with groep fixed effects), ``rt_group`` (naive M4->E4 z gain of the RT group,
        ANCOVA coefficient against the rest of groep 4 and CI), ``gender_bl`` (girls minus
        boys in mean begrijpend lezen z per pupil, Welch p), ``spelling`` (2024-2025 on
        minus earlier years, same moment, with CI), ``thuistaal`` (mean z difference
        other language minus Nederlands) and ``r_woordenschat_begrijpend_lezen``.

    Notes
    -----
    z = (score - national mean) / national sd of the example norm table at the moment
    of the test taken.  ANCOVA: ``post_z ~ pre_z + group`` by OLS (van Breukelen 2013).
    """
    folder = Path(folder)
    s, pupils = _minimal_scores(folder)
    out = {"bl_6a": _planted_bl_6a(s), "rt_group": _planted_rt_group(s, folder), "tl_mb": _planted_tl_mb(s)}
    out.update(_planted_background(s, pupils))
    return out
