"""The Inspectie's referentieniveau indicator, computed exactly as the inspectorate does.

One function, :func:`inspection_indicator`, answers "where does the school stand on the
referentieniveaus?" for every report (trendanalyse, opbrengstenrapport, bestuur report,
``plgdata indicator``); the per-subject figures are detail beneath it.

How the Inspectie computes it (Onderwijsresultatenmodel PO; Regeling leerresultaten PO
2020, Stcrt. 2019, 69886, amended Stcrt. 2023, 27547 for the doorstroomtoets):

* two indicators: the share of **1F** and the share of **1S/2F** (1S for rekenen, 2F for
  lezen and taalverzorging);
* per school year **one** percentage per indicator over the three subjects together
  (lezen, taalverzorging, rekenen): every pupil counts once per subject, so the share is
  over 3·n pupil-subjects;
* the three-year value is the **pupil-weighted** mean of the yearly percentages
  ("gewogen driejaarsgemiddelde") over the last three school years;
* pupils who meet the exemption grounds (art. 10a lid 3 WPO) are left out (and counted);
* **one** signaleringswaarde per indicator and school: 85% for 1F; for 1S/2F a value set
  by the school's schoolweging (the unweighted mean of its last three years) in one-point
  bands (:data:`SIGNALERINGSWAARDEN_2F1S`).

Results are percentages 0–100 (the Inspectie's open data writes 93.02); reports show one
decimal (43,5%, never 44%).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plgdata.analysis.levels import level_info
from plgdata.model.errors import PlgdataError
from plgdata.model.labels import fmt_num
from plgdata.model.vocabulary import normalise_subject

__all__ = [
    "INDICATOR_SUBJECTS",
    "SIGNALERINGSWAARDE_1F",
    "SIGNALERINGSWAARDEN_2F1S",
    "IndicatorError",
    "IndicatorResult",
    "Forecast",
    "fmt_pct1",
    "indicator_subject",
    "inspection_indicator",
    "indicator_forecast",
    "indicator_margin",
    "indicator_table",
    "results_from_scores",
    "signaleringswaarde_for",
]

#: the three subjects of the indicator, in the Inspectie's order
INDICATOR_SUBJECTS: tuple[str, ...] = ("lezen", "taalverzorging", "rekenen")
INDICATOR_SUBJECT_LABELS = {"lezen": "Lezen", "taalverzorging": "Taalverzorging", "rekenen": "Rekenen"}
#: canonical subjects (model.vocabulary) -> indicator subject; LVS spelling indicates taalverzorging
_SUBJECT_MAP = {
    "begrijpend lezen": "lezen",
    "taalverzorging": "taalverzorging",
    "spelling": "taalverzorging",
    "rekenen-wiskunde": "rekenen",
}

#: 85% for every school (Inspectie, "Hoe zijn de signaleringswaarden bepaald?": the Meijerink ambition)
SIGNALERINGSWAARDE_1F = 85.0

#: 1S/2F signaleringswaarde per schoolweging band [w, w+1), in percent.
#: Only the bands plgdata could verify against a published source are listed (Inspectie van het
#: Onderwijs, Onderwijsresultatenmodel PO and its open data "gemiddelde referentieniveaus per school",
#: e.g. school 00AP, schoolweging 31,47 -> 43,5).  For any other band the school enters the value
#: shown on its own Inspectie page (``--signaleringswaarde``); plgdata never guesses one.
SIGNALERINGSWAARDEN_2F1S: dict[int, float] = {27: 50.1, 30: 45.5, 31: 43.5, 33: 38.7}

SOURCE_DOORSTROOM = "doorstroomtoets"
SOURCE_LVS = "lvs"
SOURCE_LABELS = {SOURCE_DOORSTROOM: "doorstroomtoets", SOURCE_LVS: "indicatie uit het LVS"}

#: columns of the tidy results table every function here reads
RESULT_COLUMNS = ("pupil_id", "school_year", "subject", "level", "exempt", "source")


class IndicatorError(PlgdataError, ValueError):
    """The indicator cannot be computed as asked (``message`` is Dutch, without pupil data)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def fmt_pct1(value: float | None) -> str:
    """A percentage 0–100 with one decimal and a decimal comma: ``43.5`` -> ``'43,5%'``."""
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else fmt_num(value, 1) + "%"


def indicator_subject(text: object) -> str | None:
    """``'Rekenen'``, ``'rekenen-wiskunde'``, ``'Leesvaardigheid'``, ``'Spelling'`` -> indicator subject (or None)."""
    t = str(text or "").strip().lower()
    if t in INDICATOR_SUBJECTS:
        return t
    if t.startswith("lees") or t == "lezen":
        return "lezen"
    return _SUBJECT_MAP.get(normalise_subject(t))


def signaleringswaarde_for(schoolweging: float | Sequence[float]) -> float:
    """The 1S/2F signaleringswaarde (percent) for a schoolweging.

    ``schoolweging`` is the mean of the school's last three years, or those (up to three)
    yearly values, of which the unweighted mean is taken.  Raises :class:`IndicatorError`
    (Dutch) for a band plgdata has not verified: the school then enters its own value.

    Examples
    --------
    >>> signaleringswaarde_for(31.47)
    43.5
    >>> signaleringswaarde_for([30.9, 31.6, 31.9])
    43.5
    """
    values = [float(schoolweging)] if np.isscalar(schoolweging) else [float(v) for v in schoolweging]
    if not values or any(math.isnan(v) for v in values):
        raise IndicatorError("Geef de schoolweging als getal, bijvoorbeeld 31,47.")
    weging = float(np.mean(values[-3:]))
    band = math.floor(weging + 1e-9)
    if band in SIGNALERINGSWAARDEN_2F1S:
        return SIGNALERINGSWAARDEN_2F1S[band]
    known = ", ".join(f"[{b},{b + 1}) → {fmt_pct1(v)}" for b, v in sorted(SIGNALERINGSWAARDEN_2F1S.items()))
    raise IndicatorError(
        f"Voor schoolweging {fmt_num(weging, 2)} (klasse {band}–{band + 1}) kent plgdata de signaleringswaarde 1S/2F "
        f"niet zeker (wel voor {known}). Zoek de waarde op de pagina van je school bij de Inspectie "
        "(onderwijsinspectie.nl, 'Resultaten') en geef die op met --signaleringswaarde, bijvoorbeeld --signaleringswaarde 43,5."
    )


# ---------------------------------------------------------------------------
# the tidy results table
# ---------------------------------------------------------------------------


def _as_bool(values: pd.Series) -> np.ndarray:
    """Exemption marks as booleans: True/1 and the words ja/j/x/waar count; empty, nee and 0 do not."""
    if values.dtype == bool:
        return values.to_numpy()
    yes = {"true", "1", "ja", "j", "x", "waar", "yes", "1.0"}
    return np.array([str(v).strip().lower() in yes if pd.notna(v) else False for v in values], dtype=bool)


def _tidy(results: pd.DataFrame) -> pd.DataFrame:
    """Indicator subjects only, level rank (1 = 1S/2F, 2 = 1F, 3 = below), exempt as bool, one row per pupil-subject-year."""
    missing = [c for c in ("pupil_id", "school_year", "subject", "level") if c not in results.columns]
    if missing:
        raise IndicatorError(f"De resultaten missen de kolom(men) {', '.join(missing)}.")
    d = results.copy()
    d["subject"] = [indicator_subject(s) for s in d["subject"]]
    d = d[d["subject"].notna()]
    info = level_info(d["level"].astype("string").fillna(""))
    d["_rank"] = np.where(info["level_system"].to_numpy() == "ref", info["level_rank"].to_numpy(), np.nan)
    d["exempt"] = _as_bool(d["exempt"]) if "exempt" in d.columns else False
    if "source" not in d.columns:
        d["source"] = SOURCE_DOORSTROOM
    d["school_year"] = d["school_year"].astype(str)
    d["pupil_id"] = d["pupil_id"].astype(str)
    return d.drop_duplicates(["pupil_id", "school_year", "subject"], keep="last")


def results_from_scores(scores: pd.DataFrame, groep: int = 8) -> pd.DataFrame:
    """The LVS's referentieniveau rows of one groep as indicator results (source ``'lvs'``).

    Per pupil, subject and school year the latest result counts.  These are an *indication*
    ("indicatie uit het LVS"), not the doorstroomtoets the Inspectie uses.
    """
    d = scores[(scores["groep"] == groep).fillna(False)]
    info = level_info(d["level"])
    d = d[(info["level_system"] == "ref").to_numpy()]
    subj = d["subject"].astype(str).map(lambda s: _SUBJECT_MAP.get(s))
    d = d.assign(subject=subj)[subj.notna().to_numpy()]
    d = d.sort_values("date", kind="stable") if "date" in d.columns else d
    d = d.drop_duplicates(["pupil_id", "subject", "school_year"], keep="last")
    return pd.DataFrame(
        {
            "pupil_id": d["pupil_id"].astype(str).to_numpy(),
            "school_year": d["school_year"].astype(str).to_numpy(),
            "subject": d["subject"].to_numpy(),
            "level": d["level"].astype(str).to_numpy(),
            "exempt": False,
            "source": SOURCE_LVS,
        }
    )


# ---------------------------------------------------------------------------
# the indicator
# ---------------------------------------------------------------------------


def _round2(v) -> float | None:
    return None if v is None or math.isnan(v) else round(float(v), 2)


@dataclass
class IndicatorResult:
    """The indicator per school year, over three years, against the signaleringswaarden."""

    years: pd.DataFrame  # school_year, n, n_exempt, n_results, pct_1f, pct_2f1s (all years)
    subjects: pd.DataFrame  # school_year, subject, n, pct_1f, pct_2f1s
    window: list[str]  # the (up to) three school years of the three-year value
    n: int  # pupils over the window
    pct_1f: float
    pct_2f1s: float
    sw_1f: float
    sw_2f1s: float | None
    source: str
    notes: list[str] = field(default_factory=list)

    @property
    def oordeel_1f(self) -> str:
        return "onder" if self.pct_1f < self.sw_1f else "boven"

    @property
    def oordeel_2f1s(self) -> str | None:
        if self.sw_2f1s is None:
            return None
        return "onder" if self.pct_2f1s < self.sw_2f1s else "boven"

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    def to_dict(self) -> dict:
        """The JSON of ``plgdata indicator --json`` (percentages 0–100, two decimals)."""
        r2 = _round2
        return {
            "bron": self.source_label,
            "jaren": [
                {
                    "schooljaar": r.school_year,
                    "n": int(r.n),
                    "n_ontheffing": int(r.n_exempt),
                    "pct_1f": r2(r.pct_1f),
                    "pct_2f1s": r2(r.pct_2f1s),
                }
                for r in self.years.itertuples()
            ],
            "driejaars": {
                "schooljaren": list(self.window),
                "n": int(self.n),
                "pct_1f": r2(self.pct_1f),
                "pct_2f1s": r2(self.pct_2f1s),
            },
            "signaleringswaarde_1f": self.sw_1f,
            "signaleringswaarde_2f1s": self.sw_2f1s,
            "oordeel_1f": self.oordeel_1f,
            "oordeel_2f1s": self.oordeel_2f1s,
            "opmerkingen": list(self.notes),
        }

    def sentence(self) -> str:
        """The message in Dutch: both indicators against the school's own signaleringswaarden."""
        years = f"{self.window[0]} t/m {self.window[-1]}" if len(self.window) > 1 else self.window[0]
        words = {"boven": "boven", "onder": "onder"}
        s = (
            f"Gewogen driejaarsgemiddelde ({years}, {self.n} leerlingen, bron: {self.source_label}): "
            f"{fmt_pct1(self.pct_1f)} 1F ({words[self.oordeel_1f]} de signaleringswaarde van {fmt_pct1(self.sw_1f)}) en "
        )
        if self.sw_2f1s is None:
            s += f"{fmt_pct1(self.pct_2f1s)} 1S/2F (signaleringswaarde onbekend: geef de schoolweging of de waarde op)."
        else:
            s += f"{fmt_pct1(self.pct_2f1s)} 1S/2F ({words[self.oordeel_2f1s]} de signaleringswaarde van {fmt_pct1(self.sw_2f1s)})."
        if len(self.window) < 3:
            s += f" Let op: de inspectie kijkt naar drie schooljaren; hier zijn er {len(self.window)}."
        return s

    def _repr_html_(self) -> str:  # notebooks
        import html

        return f"<p>{html.escape(self.sentence())}</p>"


def _per_year(d: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Yearly n, exemptions and the two shares over pupil-subjects; and the same per subject."""
    exempt_pupils = d[d["exempt"]].groupby("school_year")["pupil_id"].nunique()
    ex_keys = set(zip(d.loc[d["exempt"], "pupil_id"], d.loc[d["exempt"], "school_year"]))
    keep = np.array([(p, y) not in ex_keys for p, y in zip(d["pupil_id"], d["school_year"])], dtype=bool)
    ok = d[keep & d["_rank"].notna().to_numpy()]
    ok = ok.assign(_1f=(ok["_rank"] <= 2).astype(float), _2f=(ok["_rank"] <= 1).astype(float))
    years = (
        ok.groupby("school_year")
        .agg(n=("pupil_id", "nunique"), n_results=("_1f", "size"), r_1f=("_1f", "sum"), r_2f=("_2f", "sum"))
        .reset_index()
    )
    years["n_exempt"] = years["school_year"].map(exempt_pupils).fillna(0).astype(int)
    years["pct_1f"] = 100.0 * years["r_1f"] / years["n_results"]
    years["pct_2f1s"] = 100.0 * years["r_2f"] / years["n_results"]
    years = years.sort_values("school_year").reset_index(drop=True)
    subjects = (
        ok.groupby(["school_year", "subject"])
        .agg(n=("pupil_id", "nunique"), pct_1f=("_1f", "mean"), pct_2f1s=("_2f", "mean"))
        .reset_index()
    )
    subjects[["pct_1f", "pct_2f1s"]] *= 100.0
    order = subjects["subject"].map({s: i for i, s in enumerate(INDICATOR_SUBJECTS)})
    subjects = subjects.assign(_o=order).sort_values(["school_year", "_o"]).drop(columns="_o")
    return years, subjects.reset_index(drop=True)


def _as_percent(value: float) -> float:
    """A percentage given as 43.5 or as a share 0.435."""
    v = float(value)
    return 100.0 * v if v <= 1 else v


def weighted_three_year(years: pd.DataFrame, column: str) -> float:
    """Pupil-weighted mean of yearly percentages: Σ nᵧ·pᵧ / Σ nᵧ."""
    return float((years["n"] * years[column]).sum() / years["n"].sum())


def _notes(d: pd.DataFrame, years: pd.DataFrame) -> list[str]:
    notes = []
    unreadable = int(d["_rank"].isna().sum())
    if unreadable:
        notes.append(f"{unreadable} vakresultaten zonder referentieniveau tellen niet mee.")
    incomplete = years[years["n_results"] < 3 * years["n"]]
    for r in incomplete.itertuples():
        notes.append(
            f"{r.school_year}: {3 * r.n - r.n_results} van de {3 * r.n} vakresultaten ontbreken; "
            "het percentage is over de aanwezige vakresultaten berekend."
        )
    for r in years[years["n_exempt"] > 0].itertuples():
        notes.append(f"{r.school_year}: {r.n_exempt} leerling(en) met ontheffing tellen niet mee.")
    return notes


def inspection_indicator(
    results: pd.DataFrame,
    *,
    schoolweging: float | Sequence[float] | None = None,
    signaleringswaarde_2f1s: float | None = None,
    signaleringswaarde_1f: float = SIGNALERINGSWAARDE_1F,
    years: Sequence[str] | None = None,
) -> IndicatorResult:
    """The Inspectie's referentieniveau indicator: per school year and over three years, 1F and 1S/2F.

    Parameters
    ----------
    results : DataFrame
        One row per pupil, school year and subject: ``pupil_id``, ``school_year``, ``subject``
        (lezen, taalverzorging, rekenen, or their LVS names), ``level`` (``1F``, ``2F``, ``1S``,
        ``<1F`` ...), optional ``exempt`` (bool) and ``source`` (``'doorstroomtoets'`` or ``'lvs'``).
    schoolweging : float or sequence, optional
        Mean of the last three years (or those values): 1S/2F value by :func:`signaleringswaarde_for`.
    signaleringswaarde_2f1s : float, optional
        The 1S/2F value from the school's Inspectie page (``43.5`` or ``0.435``); wins over schoolweging.
    signaleringswaarde_1f : float
        85 for every school.
    years : sequence of str, optional
        The school years of the three-year value (default the latest three with results).

    Returns an :class:`IndicatorResult`.

    Notes
    -----
    Per year y: pct = 100 · (pupil-subjects at the level) / (pupil-subjects), each non-exempt
    pupil counting once per subject (3·nᵧ when complete).  Three-year value
    = Σ nᵧ·pctᵧ / Σ nᵧ over the window (pupils, not years, weigh).  A school is "onder" an
    indicator when the three-year value is below its signaleringswaarde, else "boven".
    A pupil exempt in a year (any subject marked) is left out of that year and counted.

    References
    ----------
    Inspectie van het Onderwijs. Onderwijsresultatenmodel primair onderwijs; Regeling
    leerresultaten PO 2020 (Stcrt. 2019, 69886), gewijzigd Stcrt. 2023, 27547.

    Examples
    --------
    >>> rows = [("a", "2024-2025", s, lv) for s, lv in (("lezen", "2F"), ("taalverzorging", "1F"), ("rekenen", "1S"))]
    >>> df = pd.DataFrame(rows, columns=["pupil_id", "school_year", "subject", "level"])
    >>> r = inspection_indicator(df, signaleringswaarde_2f1s=43.5)
    >>> round(r.pct_2f1s, 2), r.oordeel_2f1s
    (66.67, 'boven')
    """
    d = _tidy(results)
    all_years, subjects = _per_year(d)
    if all_years.empty:
        raise IndicatorError(
            "Er zijn geen referentieniveaus voor lezen, taalverzorging of rekenen gevonden om de indicator mee te berekenen."
        )
    if years is not None:
        window = [str(y) for y in years if str(y) in set(all_years["school_year"])]
        if not window:
            raise IndicatorError(f"Geen resultaten in de gevraagde schooljaren ({', '.join(map(str, years))}).")
    else:
        window = list(all_years["school_year"].tail(3))
    sel = all_years[all_years["school_year"].isin(window)]
    sw2 = _as_percent(signaleringswaarde_2f1s) if signaleringswaarde_2f1s is not None else None
    if sw2 is None and schoolweging is not None:
        sw2 = signaleringswaarde_for(schoolweging)
    source = SOURCE_LVS if SOURCE_LVS in set(d["source"].astype(str)) else SOURCE_DOORSTROOM
    return IndicatorResult(
        years=all_years[["school_year", "n", "n_exempt", "n_results", "r_1f", "r_2f", "pct_1f", "pct_2f1s"]],
        subjects=subjects,
        window=window,
        n=int(sel["n"].sum()),
        pct_1f=weighted_three_year(sel, "pct_1f"),
        pct_2f1s=weighted_three_year(sel, "pct_2f1s"),
        sw_1f=_as_percent(signaleringswaarde_1f),
        sw_2f1s=sw2,
        source=source,
        notes=_notes(d, sel),
    )


def indicator_table(res: IndicatorResult, min_n: int = 0) -> pd.DataFrame:
    """The indicator as a small Dutch table: a row per school year of the window and the weighted value.

    Percentages are text with one decimal (``'43,5%'``) so no report rounds 43,5 to 44.  A year
    with fewer than ``min_n`` pupils shows no percentages (the weighted value still counts them).
    """
    rows = []
    for y in res.years[res.years["school_year"].isin(res.window)].itertuples():
        small = y.n < min_n
        rows.append(
            {
                "Schooljaar": y.school_year,
                "Leerlingen": int(y.n),
                "Met ontheffing (telt niet mee)": int(y.n_exempt),
                "% 1F": "–" if small else fmt_pct1(y.pct_1f),
                "% 1S/2F": "–" if small else fmt_pct1(y.pct_2f1s),
            }
        )
    rows.append(
        {
            "Schooljaar": "Gewogen driejaarsgemiddelde",
            "Leerlingen": int(res.n),
            "Met ontheffing (telt niet mee)": int(res.years[res.years["school_year"].isin(res.window)]["n_exempt"].sum()),
            "% 1F": fmt_pct1(res.pct_1f),
            "% 1S/2F": fmt_pct1(res.pct_2f1s),
        }
    )
    rows.append(
        {
            "Schooljaar": "Signaleringswaarde",
            "Leerlingen": None,
            "Met ontheffing (telt niet mee)": None,
            "% 1F": fmt_pct1(res.sw_1f),
            "% 1S/2F": fmt_pct1(res.sw_2f1s) if res.sw_2f1s is not None else "onbekend",
        }
    )
    rows.append(
        {
            "Schooljaar": "Uitkomst",
            "Leerlingen": None,
            "Met ontheffing (telt niet mee)": None,
            "% 1F": f"{res.oordeel_1f} de signaleringswaarde",
            "% 1S/2F": f"{res.oordeel_2f1s} de signaleringswaarde" if res.oordeel_2f1s else "–",
        }
    )
    return pd.DataFrame(rows).astype({"Leerlingen": "Int64", "Met ontheffing (telt niet mee)": "Int64"})


# ---------------------------------------------------------------------------
# margin and forecast
# ---------------------------------------------------------------------------


def _value_with(res: IndicatorResult, column: str, extra: int) -> float:
    """The three-year value when the latest year has ``extra`` pupil-subjects more (or fewer) at the level."""
    sel = res.years[res.years["school_year"].isin(res.window)].copy()
    reached = "r_1f" if column == "pct_1f" else "r_2f"
    last = sel.index[-1]
    sel.loc[last, column] = 100.0 * (sel.loc[last, reached] + extra) / sel.loc[last, "n_results"]
    return weighted_three_year(sel, column)


def indicator_margin(res: IndicatorResult, level: str = "2f1s") -> dict:
    """How many pupil-subjects more (when "onder") or fewer (when "boven") at the level would flip the outcome.

    Counted in the latest school year of the window; a pupil who moves in all three subjects
    counts three times, so ``pupils`` is the smallest number of whole pupils.  Returns
    ``{'oordeel', 'vakresultaten', 'leerlingen', 'zin'}`` (``vakresultaten`` None when no
    change within that year flips it).
    """
    column, sw = ("pct_1f", res.sw_1f) if level == "1f" else ("pct_2f1s", res.sw_2f1s)
    name = "1F" if level == "1f" else "1S/2F"
    if sw is None:
        return {
            "oordeel": None,
            "vakresultaten": None,
            "leerlingen": None,
            "zin": f"Zonder signaleringswaarde {name} geen marge.",
        }
    last = res.years[res.years["school_year"] == res.window[-1]].iloc[0]
    reached, total = int(round(last["r_1f" if level == "1f" else "r_2f"])), int(last["n_results"])
    below = (res.pct_1f if level == "1f" else res.pct_2f1s) < sw
    steps = range(1, total - reached + 1) if below else range(1, reached + 1)
    k = next((k for k in steps if (_value_with(res, column, k if below else -k) < sw) != below), None)
    oordeel = "onder" if below else "boven"
    if k is None:
        zin = f"Ook met alle vakresultaten van {res.window[-1]} anders blijft de school {oordeel} de signaleringswaarde {name}."
        return {"oordeel": oordeel, "vakresultaten": None, "leerlingen": None, "zin": zin}
    pupils = math.ceil(k / 3)
    if below:
        zin = (
            f"Marge {name}: met {k} vakresultaten méér op {name} in {res.window[-1]} (minstens {pupils} leerling(en), "
            f"elk op alle drie de vakken) was de school boven de signaleringswaarde van {fmt_pct1(sw)} gekomen."
        )
    else:
        zin = (
            f"Marge {name}: met {k} vakresultaten minder op {name} in {res.window[-1]} (minstens {pupils} leerling(en), "
            f"elk op alle drie de vakken) was de school onder de signaleringswaarde van {fmt_pct1(sw)} gekomen."
        )
    return {"oordeel": oordeel, "vakresultaten": k, "leerlingen": pupils, "zin": zin}


@dataclass
class Forecast:
    """Next year's three-year value with the current groep 7 as the new cohort."""

    window: list[str]
    n_new: int
    pct_2f1s: float
    low: float
    high: float
    pct_1f: float
    low_1f: float
    high_1f: float
    sentence: str


def _wilson(share: float, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a share (0–1) of n."""
    if n <= 0:
        return (math.nan, math.nan)
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def indicator_forecast(res: IndicatorResult, groep7: pd.DataFrame, *, ambitie_2f1s: float | None = None) -> Forecast:
    """Forecast of next year's three-year value: the last two years of the window plus the current groep 7.

    ``groep7``: the groep-7 pupils' LVS referentieniveau indications (a results table, e.g.
    :func:`results_from_scores` with ``groep=7`` for the latest school year).

    Notes
    -----
    The new cohort's share p̂ is its LVS indication over pupil-subjects; its 95% interval is
    Wilson's with n = the number of pupils (not 3n: one pupil's three subjects hang together),
    pushed through the same weighted mean.  It leaves out that pupils join or leave and that
    the LVS indication and the doorstroomtoets disagree for some pupils: read it as a rough guide.
    """
    g = _tidy(groep7)
    g = g[g["_rank"].notna() & ~g["exempt"]]
    if g.empty:
        raise IndicatorError("Er zijn geen referentieniveau-indicaties van groep 7 om een verwachting op te baseren.")
    g = g[g["school_year"] == sorted(g["school_year"])[-1]]
    n_new = int(g["pupil_id"].nunique())
    keep = res.years[res.years["school_year"].isin(res.window[-2:])]
    out = {}
    for col, cut in (("pct_1f", 2), ("pct_2f1s", 1)):
        share = float((g["_rank"] <= cut).mean())
        lo, hi = _wilson(share, n_new)
        wsum = keep["n"].sum() + n_new
        base = float((keep["n"] * keep[col]).sum())
        out[col] = tuple((base + n_new * 100.0 * s) / wsum for s in (share, lo, hi))
    nxt = _next_year(res.window[-1])
    window = [*res.window[-2:], nxt]
    p, lo, hi = out["pct_2f1s"]
    s = (
        f"Verwachting {window[0]} t/m {nxt} (met de huidige groep 7, {n_new} leerlingen, volgens hun LVS-indicatie): "
        f"1S/2F ongeveer {fmt_pct1(p)} (95%-interval {fmt_pct1(lo)} tot {fmt_pct1(hi)})"
    )
    if res.sw_2f1s is not None:
        side = "boven" if lo >= res.sw_2f1s else ("onder" if hi < res.sw_2f1s else "rond")
        s += f", {side} de signaleringswaarde van {fmt_pct1(res.sw_2f1s)}"
    if ambitie_2f1s is not None:
        amb = _as_percent(ambitie_2f1s)
        s += f"; de eigen ambitie van {fmt_pct1(amb)} wordt {'waarschijnlijk' if lo >= amb else 'mogelijk niet'} gehaald"
    s += ". Dit is een ruwe schatting: de doorstroomtoets kan anders uitvallen dan het LVS."
    p1, lo1, hi1 = out["pct_1f"]
    return Forecast(window, n_new, p, lo, hi, p1, lo1, hi1, s)


def _next_year(school_year: str) -> str:
    start = int(str(school_year)[:4]) + 1
    return f"{start}-{start + 1}"


# ---------------------------------------------------------------------------
# reconciliation with the Inspectie's open data
# ---------------------------------------------------------------------------


def _explain_year(mine, official: dict, source: str) -> str:
    """Why plgdata's yearly figure differs from the Inspectie's (Dutch), or 'gelijk'."""
    if mine is None:
        return "Dit schooljaar staat niet in je bestanden: voeg de uitslagen van dat jaar toe."
    if not official:
        return "Dit schooljaar staat niet in het inspectiebestand (een ander jaar, of nog niet gepubliceerd)."
    n_off = official.get("n")
    same_pct = all(
        official.get(k) is None or abs(round(float(getattr(mine, k)), 2) - float(official[k])) < 0.011
        for k in ("pct_1f", "pct_2f1s")
    )
    if n_off is not None and int(n_off) != int(mine.n):
        diff = int(n_off) - int(mine.n)
        if diff > 0 and diff <= int(mine.n_exempt):
            return f"De Inspectie telt {diff} leerling(en) mee die in je bestand een ontheffing hebben: controleer de ontheffingsgronden."
        if diff > 0:
            return f"{diff} leerling(en) telt de Inspectie mee die niet (of zonder referentieniveaus) in je bestanden staan."
        return (
            f"In je bestanden staan {-diff} leerling(en) meer dan de Inspectie telt: de Inspectie laat hen weg "
            "(ontheffing) of ze horen bij een ander jaar."
        )
    if same_pct:
        return "gelijk"
    if source == SOURCE_LVS:
        return "plgdata rekent hier met de indicatie uit het LVS, de Inspectie met de doorstroomtoets."
    return "Zelfde aantal leerlingen, ander percentage: een of meer niveaus verschillen (herkansing of correctie na de uitslag?)."


def reconcile(res: IndicatorResult, official) -> pd.DataFrame:
    """plgdata's figure beside the Inspectie's (``official``: :class:`plgdata.io.inspectie.OfficialIndicator`).

    One row per school year (and one for the three-year value) with both figures and a Dutch
    explanation of any difference: pupils missing, exemptions, another year, another source.
    """
    mine = {r.school_year: r for r in res.years.itertuples()}
    rows = []
    for year in sorted(set(mine) | set(official.years)):
        m, o = mine.get(year), official.years.get(year, {})
        rows.append(
            {
                "Schooljaar": year,
                "n plgdata": None if m is None else int(m.n),
                "n Inspectie": o.get("n"),
                "%1F plgdata": None if m is None else round(float(m.pct_1f), 2),
                "%1F Inspectie": o.get("pct_1f"),
                "%1S/2F plgdata": None if m is None else round(float(m.pct_2f1s), 2),
                "%1S/2F Inspectie": o.get("pct_2f1s"),
                "Verklaring": _explain_year(m, o, res.source),
            }
        )
    v = official.values
    same = all(
        v.get(k) is None or abs(round(val, 2) - float(v[k])) < 0.011
        for k, val in (("three_1f", res.pct_1f), ("three_2f1s", res.pct_2f1s))
    )
    rows.append(
        {
            "Schooljaar": "gewogen driejaarsgemiddelde",
            "n plgdata": res.n,
            "n Inspectie": v.get("three_n"),
            "%1F plgdata": round(res.pct_1f, 2),
            "%1F Inspectie": v.get("three_1f"),
            "%1S/2F plgdata": round(res.pct_2f1s, 2),
            "%1S/2F Inspectie": v.get("three_2f1s"),
            "Verklaring": "gelijk"
            if same
            else "Verschil volgt uit de jaren hierboven (of de Inspectie neemt andere schooljaren).",
        }
    )
    rows += _judgement_rows(res, v)
    return pd.DataFrame(rows)


def _judgement_rows(res: IndicatorResult, v: dict) -> list[dict]:
    """The signaleringswaarde and the outcome beside the Inspectie's, when they differ."""
    rows = []
    sw = v.get("sw_2f1s")
    if sw is not None and (res.sw_2f1s is None or abs(float(sw) - res.sw_2f1s) > 0.05):
        rows.append(
            {
                "Schooljaar": "signaleringswaarde 1S/2F",
                "%1S/2F plgdata": res.sw_2f1s,
                "%1S/2F Inspectie": float(sw),
                "Verklaring": f"De Inspectie gebruikt {fmt_pct1(float(sw))}: geef die op met --signaleringswaarde.",
            }
        )
    for key, mine in (("outcome_1f", res.oordeel_1f), ("outcome_2f1s", res.oordeel_2f1s)):
        theirs = str(v.get(key) or "").lower()
        if theirs and mine and mine not in theirs:
            rows.append(
                {
                    "Schooljaar": "uitkomst " + ("1F" if key == "outcome_1f" else "1S/2F"),
                    "Verklaring": f"plgdata: {mine} de signaleringswaarde; Inspectie: {v.get(key)}. Zie de verschillen hierboven.",
                }
            )
    return rows
