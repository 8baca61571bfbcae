"""A synthetic bestuur (many schools, many years) for the benchmarks — not part of the runtime.

``write_bestuur_export`` writes a Cito-dialect CSV of exactly ``n_rows`` sittings (the read
benchmark); ``generate_bestuur_scores`` builds the canonical scores table directly (the statistics
benchmark).  Both reuse the sample school's norms, names and level rules from
:mod:`plgdata.sample.school`, vectorised (no Python loop over rows).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from plgdata.model import schema
from plgdata.sample.school import (
    _BOYS,
    _GIRLS,
    _LEVEL_CUTS,
    _OTHER_BOYS,
    _OTHER_GIRLS,
    _SURNAMES,
    RELIABILITY,
    SUBJECTS,
    TEST_NAMES,
    TRUE_CORRELATION,
    _fmt_dec,
    _func_level_and_dle,
    _moments_for,
    _norms_by_subject,
    _percentiles,
    load_example_norms,
)

# ---------------------------------------------------------------------------
# a bestuur: many schools, many years, vectorised (benchmarks)
# ---------------------------------------------------------------------------

_SCHOOL_PREFIXES = ("OBS", "CBS", "RKBS", "IKC", "Daltonschool", "Basisschool")
_SCHOOL_NAMES = (
    "De Regenboog",
    "De Wilgen",
    "Het Kompas",
    "De Springplank",
    "De Linde",
    "De Wegwijzer",
    "Het Palet",
    "De Zonnewijzer",
    "De Vlinder",
    "De Klimop",
    "Het Baken",
    "De Meander",
    "De Bron",
    "De Horizon",
    "De Sterrenboog",
    "Het Kwetternest",
    "De Eiken",
    "De Notenkraker",
    "De Triangel",
    "De Ark",
    "Het Anker",
    "De Boomgaard",
    "De Fontein",
    "De Kameleon",
    "De Vuurtoren",
    "De Tweemaster",
    "Het Carillon",
    "De Lindeboom",
    "De Pijler",
    "De Korenaar",
    "De Sleutelbloem",
    "Het Mozaïek",
    "De Zevensprong",
    "De Waterlelie",
    "De Merel",
    "De Octopus",
    "De Bongerd",
    "Het Drieluik",
    "De Parel",
    "De Windroos",
)


def _school_names(n: int) -> list[str]:
    out = []
    for i in range(n):
        base = f"{_SCHOOL_PREFIXES[i % len(_SCHOOL_PREFIXES)]} {_SCHOOL_NAMES[i % len(_SCHOOL_NAMES)]}"
        out.append(base if i < len(_SCHOOL_NAMES) else f"{base} {i // len(_SCHOOL_NAMES) + 1}")
    return out


def _bestuur_core(n_rows: int, seed: int, n_schools: int, nonresult_rate: float) -> dict:
    """Exactly ``n_rows`` test sittings of a bestuur as numpy arrays (no Python loop over rows)."""
    rng = np.random.default_rng(seed)
    norms = _norms_by_subject(load_example_norms())
    # occasions: (groep, subject, period); BL has no M3, groep 8 only M8
    occ = [(g, si, p) for g in range(3, 9) for si, subj in enumerate(SUBJECTS) for p in _moments_for(subj, g)]
    occ_g = np.array([o[0] for o in occ])
    occ_s = np.array([o[1] for o in occ])
    occ_p = np.array([o[2] == "E" for o in occ])
    k = rng.integers(18, 29, size=n_schools)  # pupils per class
    slots_school = np.repeat(np.arange(n_schools), 2 * k)
    slots_class = np.concatenate([np.repeat([0, 1], ki) for ki in k])
    n_slots = len(slots_school)
    per_year = n_slots * len(occ)
    n_years = max(1, math.ceil(n_rows / per_year))
    last_start = 2025
    first_start = last_start - n_years + 1
    total = per_year * n_years
    keep = np.sort(rng.choice(total, size=n_rows, replace=False)) if total > n_rows else np.arange(total)
    # grid index -> (year, occasion, slot); occasions outer so rows come grouped like exports
    year_i = keep // per_year
    rem = keep % per_year
    occ_i = rem // n_slots
    slot = rem % n_slots
    groep = occ_g[occ_i]
    subj = occ_s[occ_i]
    is_e = occ_p[occ_i]
    start_year = first_start + year_i
    cohort = start_year - (groep - 3)  # calendar year the pupil entered groep 3
    n_cohorts = n_years + 5
    pupil = slot * n_cohorts + (cohort - (first_start - 5))
    n_pupils = n_slots * n_cohorts
    # latent ability per pupil and subject, school offsets, measurement error
    chol = np.linalg.cholesky(TRUE_CORRELATION * RELIABILITY)
    latent = rng.standard_normal((n_pupils, len(SUBJECTS))) @ chol.T
    school_eff = rng.normal(0, 0.25, n_schools)
    z = (
        latent[pupil, subj]
        + school_eff[slots_school[slot]]
        + rng.normal(0, 0.15, n_rows)  # drift
        + rng.normal(0, math.sqrt(1 - RELIABILITY), n_rows)
    )
    # norms per (subject, groep, period)
    mean_t = np.zeros((len(SUBJECTS), 9, 2))
    sd_t = np.ones((len(SUBJECTS), 9, 2))
    for si, s in enumerate(SUBJECTS):
        nm = norms[s]
        for m, mu, sd in zip(nm.moments, nm.mean, nm.sd):
            mean_t[si, int(m[1]), int(m[0] == "E")] = mu
            sd_t[si, int(m[1]), int(m[0] == "E")] = sd
    mu = mean_t[subj, groep, is_e.astype(int)]
    sd = sd_t[subj, groep, is_e.astype(int)]
    score = np.rint(mu + sd * z)
    z_obs = (score - mu) / sd
    func = np.empty(n_rows, dtype=object)
    dle = np.empty(n_rows, dtype=int)
    for si, s in enumerate(SUBJECTS):
        sel = subj == si
        func[sel], dle[sel] = _func_level_and_dle(norms[s], score[sel])
    # dates: per school/year/groep/subject/period a class date
    m_base = np.array([f"{y + 1}-01-12" for y in range(first_start, last_start + 1)], dtype="datetime64[D]")
    e_base = np.array([f"{y + 1}-05-19" for y in range(first_start, last_start + 1)], dtype="datetime64[D]")
    base = np.where(is_e, e_base[year_i], m_base[year_i])
    offset = (slots_school[slot] * 7 + groep * 3 + subj * 5 + slots_class[slot]) % 15
    date = base + offset.astype("timedelta64[D]")
    wd = (date.astype("datetime64[D]").astype(np.int64) - 4) % 7  # 0 = Monday
    date = date + np.where(wd >= 5, 7 - wd, 0).astype("timedelta64[D]")
    # pupils' background
    gender = rng.integers(0, 2, n_pupils)  # 0 = J, 1 = M
    first_idx = rng.integers(0, 10_000, n_pupils)
    last_idx = rng.integers(0, len(_SURNAMES), n_pupils)
    birth_off = rng.integers(0, 365, n_pupils)
    return {
        "n_years": n_years,
        "first_start": first_start,
        "school": slots_school[slot],
        "class": slots_class[slot],
        "groep": groep,
        "subject": subj,
        "is_e": is_e,
        "start_year": start_year,
        "cohort": cohort,
        "pupil": pupil,
        "n_pupils": n_pupils,
        "score": score,
        "z": z_obs,
        "func": func,
        "dle": dle,
        "date": date,
        "nonresult": rng.random(n_rows) < nonresult_rate,
        "gender": gender,
        "first_idx": first_idx,
        "last_idx": last_idx,
        "birth_off": birth_off,
        "seed_rng": rng,
    }


def write_bestuur_export(path: str | Path, n_rows: int = 1_000_000, seed: int = 1, n_schools: int = 40) -> Path:
    """Write a bestuur-sized Cito-style long export (many schools, many years).

    Parameters
    ----------
    path : str or Path
        The CSV file to write.
    n_rows : int, default 1_000_000
        Exact number of data rows (pupil x test sittings, including about 2% rows
        without a result such as ``afw``); the title, empty, header and two summary
        rows come on top.
    seed : int, default 1
    n_schools : int, default 40

    Returns
    -------
    Path
        The file written: cp1252, ``;``, CRLF, decimal comma, a title row, a
        ``School`` column after ``Klas``, summary rows ``Groepsgemiddelde`` and
        ``Aantal leerlingen`` at the end.

    Notes
    -----
    Built column-wise with numpy lookups and written with one ``to_csv`` call; about
    a second or two per million rows.
    """
    import pyarrow as pa
    import pyarrow.compute as pac
    import pyarrow.csv as pcsv

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    c = _bestuur_core(n_rows, seed, n_schools, nonresult_rate=0.02)
    rng = c["seed_rng"]
    pupil = c["pupil"]
    nonres = c["nonresult"]

    def col(codes, dictionary) -> pa.Array:
        return pac.take(pa.array(list(dictionary), pa.string()), pa.array(np.asarray(codes, dtype=np.int32)))

    g = c["gender"][pupil]
    boys, girls = list(_BOYS) + list(_OTHER_BOYS), list(_GIRLS) + list(_OTHER_GIRLS)
    fi = c["first_idx"][pupil]
    first_code = np.where(g == 0, fi % len(boys), len(boys) + fi % len(girls))
    sur = c["last_idx"][pupil]
    birth = (
        np.datetime64(f"{c['first_start'] - 12}-10-01")
        + (
            np.array([f"{y}-10-01" for y in range(c["first_start"] - 12, 2026)], dtype="datetime64[D]")
            - np.datetime64(f"{c['first_start'] - 12}-10-01")
        )[c["cohort"] - 7 - (c["first_start"] - 12)]
        + c["birth_off"][pupil].astype("timedelta64[D]")
    )
    all_days = np.concatenate([birth, c["date"]])
    uniq, inv = np.unique(all_days, return_inverse=True)
    day_txt = list(pd.to_datetime(uniq).strftime("%d-%m-%Y"))
    groep = c["groep"]
    score = c["score"].astype(int)
    lo, hi = int(score.min()), int(score.max())
    n_sc = hi - lo + 1
    score_dict = [str(i) for i in range(lo, hi + 1)] + [f"{i},0" for i in range(lo, hi + 1)] + ["afw", "ziek", "-", "n.v.t."]
    score_code = (score - lo) + np.where(c["school"] % 3 == 0, n_sc, 0)
    score_code = np.where(nonres, 2 * n_sc + rng.integers(0, 4, n_rows), score_code)
    z = c["z"]
    lv_code = 4 - np.searchsorted(_LEVEL_CUTS, z)  # 0 = I ... 4 = V
    pc_code = _percentiles(z)
    func_cat = pd.Categorical(c["func"])
    blank = " "
    table = pa.table(
        {
            "Leerlingnummer": col(pupil, (str(i) for i in range(100000, 100000 + c["n_pupils"]))),
            "Achternaam": col(sur, (s for _, s in _SURNAMES)),
            "Tussenvoegsel": col(sur, (p for p, _ in _SURNAMES)),
            "Voornaam": col(first_code, boys + girls),
            "Geboortedatum": col(inv[: len(birth)], day_txt),
            "Geslacht": col(g, ["J", "M"]),
            "Groep": col(groep, [str(i) for i in range(9)]),
            "Klas": col(groep * 2 + c["class"], [f"{gg}{k}" for gg in range(9) for k in "AB"]),
            "School": col(c["school"], _school_names(n_schools)),
            "Toets": col(c["subject"], [TEST_NAMES[s] for s in SUBJECTS]),
            "Toetsmoment": col(c["is_e"].astype(int) * 9 + groep, [f"{p}{gg}" for p in "ME" for gg in range(9)]),
            "Afnamedatum": col(inv[len(birth) :], day_txt),
            "Vaardigheidsscore": col(score_code, score_dict),
            "Niveau": col(np.where(nonres, 5, lv_code), ["I", "II", "III", "IV", "V", blank]),
            "Percentiel": col(np.where(nonres, 100, pc_code), [str(i) for i in range(100)] + [blank]),
            "Functioneringsniveau": col(
                np.where(nonres, len(func_cat.categories), func_cat.codes), [str(x) for x in func_cat.categories] + [blank]
            ),
            "DLE": col(np.where(nonres, 62, c["dle"]), [str(i) for i in range(61)] + [">60", blank]),
        }
    )
    buf = io.BytesIO()
    pcsv.write_csv(
        table,
        buf,
        write_options=pcsv.WriteOptions(delimiter=";", eol="\r\n", quoting_style="none", quoting_header="none", batch_size=65536),
    )
    mean_score = float(c["score"][~nonres].mean()) if (~nonres).any() else float("nan")
    years = f"{c['first_start']}-{c['first_start'] + 1} t/m 2025-2026"
    ncol = table.num_columns
    head = f"Toetsresultaten alle scholen - Stichting De Voorbeeldscholen - schooljaren {years} - export 14-07-2026\r\n\r\n"
    tail = (
        "Groepsgemiddelde"
        + ";" * 12
        + _fmt_dec(mean_score)
        + ";" * (ncol - 13)
        + "\r\n"
        + "Aantal leerlingen"
        + ";" * 12
        + str(len(np.unique(pupil)))
        + ";" * (ncol - 13)
        + "\r\n"
    )
    body = buf.getvalue()
    if not body.isascii():
        body = body.decode("utf-8").encode("cp1252")
    with open(path, "wb") as fh:
        fh.write(head.encode("cp1252"))
        fh.write(body)
        fh.write(tail.encode("cp1252"))
    return path


def generate_bestuur_scores(n_rows: int = 1_000_000, seed: int = 1, n_schools: int = 40) -> pd.DataFrame:
    """A canonical ``scores`` table of a bestuur, built directly (no file, no reader).

    Parameters
    ----------
    n_rows : int
        Exact number of rows.
    seed : int
    n_schools : int, default 40

    Returns
    -------
    DataFrame
        :data:`plgdata.model.schema.SCORE_COLUMNS` with their dtypes, validated with
        :data:`plgdata.model.schema.SCORES_SCHEMA`; pupil ids are pseudonyms ``L-`` + 10 hex.
    """
    c = _bestuur_core(n_rows, seed, n_schools, nonresult_rate=0.0)
    rng = c["seed_rng"]
    n_p = c["n_pupils"]
    codes = rng.choice(16**10, size=int(n_p * 1.05) + 10, replace=False)[:n_p]
    ids = np.array([f"L-{int(x):010x}" for x in codes], dtype=object)
    uniq_p, p_codes = np.unique(c["pupil"], return_inverse=True)
    groep = c["groep"]
    is_e = c["is_e"]
    years = [f"{y}-{y + 1}" for y in range(c["first_start"], 2026)]
    moments = [f"{p}{g}" for p in "ME" for g in range(9)]
    levels = ["I", "II", "III", "IV", "V"]
    lv_codes = 4 - np.searchsorted(_LEVEL_CUTS, c["z"])
    func_cat = pd.Categorical(c["func"])
    schools = _school_names(n_schools)

    def cat(codes, categories):
        return pd.Categorical.from_codes(np.asarray(codes), categories=pd.Index(categories, dtype="string"))

    df = pd.DataFrame(
        {
            "pupil_id": cat(p_codes, ids[uniq_p]),
            "school": cat(c["school"], schools),
            "school_year": cat(c["start_year"] - c["first_start"], years),
            "groep": pd.array(groep, dtype="Int8"),
            "class_name": cat(groep * 2 + c["class"], [f"{g}{k}" for g in range(9) for k in "AB"]),
            "subject": cat(c["subject"], list(SUBJECTS)),
            "test_name": cat(c["subject"], [TEST_NAMES[s] for s in SUBJECTS]),
            "scale": cat(np.zeros(n_rows, dtype=int), ["Cito 3.0"]),
            "moment": cat(is_e.astype(int) * 9 + groep, moments),
            "period": cat(is_e.astype(int), ["M", "E"]),
            "test_level": pd.array(groep, dtype="Int8"),
            "date": c["date"].astype("datetime64[ns]"),
            "score": c["score"].astype("float64"),
            "level": cat(lv_codes, levels),
            "percentile": _percentiles(c["z"]).astype("float64"),
            "func_level": cat(func_cat.codes, [str(x) for x in func_cat.categories]),
            "dle": np.minimum(c["dle"], 60).astype("float64"),
            "source_file": cat(np.zeros(n_rows, dtype=int), ["bestuur_export.csv"]),
            "source_row": (np.arange(n_rows) + 4).astype("int32"),
        }
    )
    df = df[list(schema.SCORE_COLUMNS)]
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            df[col] = df[col].cat.remove_unused_categories()
    df = schema.coerce(df, schema.SCORE_COLUMNS, schema.SCORE_DTYPES)
    return schema.SCORES_SCHEMA.validate(df)
