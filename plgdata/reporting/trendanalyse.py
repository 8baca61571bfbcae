"""The *Trendanalyse* of the school: dwarsdoorsnede, cohorts, three-year averages and
groep 8's referentieniveaus against the signaleringswaarden."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plgdata.analysis.indicator import indicator_table
from plgdata.analysis.levels import referentieniveaus, share_at_or_above
from plgdata.analysis.multiplicity import family_sentence, holm_claims
from plgdata.analysis.trends import ShareChange, share_change, trend_cohort, trend_cross_section
from plgdata.model.dataset import Dataset
from plgdata.model.labels import PERIOD_TEST_LABELS, fmt_pct, report_columns
from plgdata.model.vocabulary import MIN_N
from plgdata.plots.figures import plot_trend
from plgdata.plots.trends import plot_cross_sections, plot_referentieniveaus, plot_share_trend
from plgdata.reporting.common import ReportFigure, plural, report_figure, school_years, subject_name, subjects_in

__all__ = ["TrendOverview", "trend_overview"]

#: the questions the team asks itself
TEAM_QUESTIONS: tuple[str, ...] = (
    "Bij welk vak en welke groep zien we drie jaar achter elkaar dezelfde richting, en wat veranderde er in die jaren in ons onderwijs?",
    "Liggen dalingen bij één groep (een cohort dat we volgen) of op hetzelfde moment bij elke groep (ons aanbod op dat moment)?",
    "Waar wisselde de toetsversie, en lezen we de cijfers daar als percentages in plaats van scores?",
    "Halen we de signaleringswaarden over drie jaar, en welke groep 8 komt eraan?",
)

_THREE_YEAR_STATS = ["mean", "mean_3jr", "share_at_or_above", "share_3jr"]


@dataclass
class TrendOverview:
    """Everything the *Trendanalyse* of the school shows."""

    title: str
    years: list[str]
    kernboodschap: list[str]
    tone: str
    school_trend: pd.DataFrame  # Vak, Periode, Schooljaar, n, share (level III+, period E or M)
    school_figure: ReportFigure | None
    cross_sections: dict[str, pd.DataFrame]  # per subject: trend_cross_section rows
    cross_figures: dict[str, ReportFigure]
    three_year: pd.DataFrame  # Vak, groep, Toetsversie, Laatste jaar, Aantal jaren, n, mean, mean_3jr, share…, share_3jr
    cohorts: dict[str, pd.DataFrame]
    cohort_figures: dict[str, ReportFigure]
    cohort_label: str | None
    referentieniveaus: pd.DataFrame  # Vak, Schooljaar, n, share_1f, share_2f
    referentie_average: pd.DataFrame
    referentie_figure: ReportFigure | None
    referentie_sentence: str
    notes: list[str] = field(default_factory=list)
    #: the Inspectie's indicator (plgdata.analysis.indicator.IndicatorResult; None without referentieniveaus)
    indicator: object = None
    indicator_table: pd.DataFrame = field(default_factory=pd.DataFrame)  # one decimal, as text

    @property
    def indicator_caption(self) -> str:
        """The caption of the indicator table: it names the source (doorstroomtoets or LVS)."""
        return self.indicator_table.attrs.get("caption", "De indicator van de inspectie")

    questions: list[str] = field(default_factory=list)
    min_n: int = MIN_N


def _period_for(d: pd.DataFrame, period: str) -> str:
    """``period`` when the subject has it, else M, else its first period."""
    periods = set(d["period"].dropna().astype(str))
    return period if period in periods else ("M" if "M" in periods else (min(periods) if periods else period))


def _school_trend(s: pd.DataFrame, subjects: list[str], period: str, level: str, min_n: int) -> tuple[pd.DataFrame, dict]:
    """The school-wide share at ``level`` or higher per subject and year, and the period used per subject."""
    rows, period_of = [], {}
    for subj in subjects:
        d = s[s["subject"] == subj]
        p = period_of[subj] = _period_for(d, period)
        t = share_at_or_above(d, level, by=["school_year"], period=p, min_n=min_n)
        rows += [
            {
                "subject": subject_name(subj),
                "period": p,
                "school_year": str(r.school_year),
                "n": int(r.n),
                "share": float(r.share),
            }
            for r in t[t["n"] > 0].itertuples(index=False)
        ]
    trend = pd.DataFrame(rows, columns=["subject", "period", "school_year", "n", "share"])
    return trend.sort_values(["subject", "school_year"], kind="stable").reset_index(drop=True), period_of


def _three_year_rows(subj: str, t: pd.DataFrame) -> list[dict]:
    """Per groep and test version: the latest year and its three-year average."""
    rows = []
    for (g, sc), part in t.groupby(["groep", "scale"], observed=True, sort=True):
        last = part.sort_values("school_year", key=lambda x: x.astype(str)).iloc[-1]
        rows.append(
            {
                "subject": subject_name(subj),
                "groep": int(g),
                "scale": str(sc),
                "last_year": str(last["school_year"]),
                "n_years": int(part["school_year"].nunique()),
                "n": int(last["n"]),
                **{k: float(last[k]) for k in _THREE_YEAR_STATS},
            }
        )
    return rows


def _cross_sections(s, subjects, period_of, period_text, level, min_n) -> tuple[dict, dict, pd.DataFrame, list[str]]:
    """Dwarsdoorsnede per subject: the tables, their figures, the three-year table and notes."""
    cross, figs, three, notes = {}, {}, [], []
    for subj in subjects:
        t = trend_cross_section(s, subj, period=period_of[subj], level=level, min_n=min_n)
        if t.empty:
            continue
        cross[subj] = t
        notes += [f"{subject_name(subj)}: {m}" for m in t.attrs.get("notes", []) if "toetsversie" in m]
        figs[subj] = report_figure(
            lambda t=t, subj=subj: plot_cross_sections(t, subj, period_text, level),
            "Elk paneel is één groep op hetzelfde moment in opeenvolgende schooljaren (steeds andere leerlingen). "
            "Een andere toetsversie staat als aparte lijn: die scores zijn niet met elkaar te vergelijken.",
        )
        three += _three_year_rows(subj, t)
    table = pd.DataFrame(three, columns=["subject", "groep", "scale", "last_year", "n_years", "n", *_THREE_YEAR_STATS])
    if len(table):
        table.loc[table["n"] < min_n, _THREE_YEAR_STATS] = np.nan
    return cross, figs, report_columns(table), notes


def _cohorts(s, years, subjects, level, min_n) -> tuple[dict, dict, str | None]:
    """The pupils in the highest groep in the latest year, followed back to their first year in the data."""
    cohorts, figs = {}, {}
    top = s[(s["school_year"].astype("string") == years[-1]).fillna(False)]["groep"].dropna() if years else []
    if not len(top):
        return cohorts, figs, None
    g_top = int(top.max())
    k = min(len(years) - 1, g_top - 1)
    start_year, start_groep = years[-1 - k], g_top - k
    label = f"de leerlingen van groep {g_top} in {years[-1]}, gevolgd vanaf groep {start_groep} ({start_year})"
    for subj in subjects:
        c = trend_cohort(s, subj, start_year, start_groep, level=level, min_n=min_n)
        if c.empty:
            continue
        c = c[c.groupby(["school_year", "period"], observed=True)["n"].transform("max") == c["n"]].reset_index(drop=True)
        cohorts[subj] = c
        title = f"{subject_name(subj)}: cohort (dezelfde leerlingen door de jaren)"
        draw = lambda c=c, title=title: plot_trend(c, y="share_at_or_above", show_average=False, title=title)
        figs[subj] = report_figure(draw, f"Cohort: {label}. n is het aantal leerlingen van dit cohort met een resultaat.")
    return cohorts, figs, label


@dataclass
class _Referentie:
    per_year: pd.DataFrame
    average: pd.DataFrame
    figure: ReportFigure | None
    sentence: str
    notes: list[str]
    indicator: object = None


def _indicator_table(indicator, min_n: int) -> pd.DataFrame:
    """The indicator table; its caption (with the source) rides along in ``attrs`` to the opbrengstenrapport."""
    if indicator is None:
        return pd.DataFrame()
    table = indicator_table(indicator, min_n)
    table.attrs["caption"] = (
        f"De indicator van de inspectie: lezen, taalverzorging en rekenen samen (bron: {indicator.source_label})"
    )
    return table


def _forecast_note(s: pd.DataFrame, indicator) -> str | None:
    """Next year's three-year value with the current groep 7 (its LVS indication), or None without groep 7."""
    from plgdata.analysis.indicator import IndicatorError, indicator_forecast, results_from_scores

    g7 = results_from_scores(s, groep=7)
    if g7.empty or str(g7["school_year"].max()) < indicator.window[-1]:
        return None  # no groep 7 of the latest year: nothing comes next
    try:
        return "Welke groep 8 komt eraan? " + indicator_forecast(indicator, g7).sentence
    except IndicatorError:
        return None


def _referentie(s: pd.DataFrame, signaleringswaarde_2f, min_n: int, doorstroom=None) -> _Referentie:
    """Groep 8's referentieniveaus: the Inspectie's one indicator, per-subject figures as detail."""
    ref = referentieniveaus(s, signaleringswaarde_2f, doorstroom=doorstroom)
    per_year = ref.per_year.copy()
    per_year.loc[per_year["n"] < min_n, ["share_1f", "share_2f"]] = np.nan
    sentence, notes = ref.sentence, []
    if ref.indicator is not None and ref.indicator.sw_2f1s is None:
        sentence += " De signaleringswaarde voor 1S/2F hangt af van de schoolweging; vul die in om ook 1S/2F te beoordelen."
    if ref.indicator is not None and ref.indicator.source == "lvs":
        notes.append(
            "Referentieniveaus: dit is een indicatie uit het LVS (groep 8), niet de doorstroomtoets waarmee de inspectie "
            "rekent. Het precieze cijfer geeft 'plgdata indicator' met de uitslagen van de doorstroomtoets."
        )
        forecast = _forecast_note(s, ref.indicator)
        if forecast:
            notes.append(forecast)
        if len(ref.indicator.window) < 3:
            notes.append(
                "Referentieniveaus: de inspectie beoordeelt het gewogen gemiddelde over drie jaar; er zijn minder jaren, "
                "dus lees dit als een voorlopig beeld."
            )
    figure = report_figure(
        (lambda: plot_referentieniveaus(per_year, ref.average)) if not per_year.empty else None,
        "Per vak (detail): staven zijn het percentage per jaar; stippellijnen de signaleringswaarden van de school. "
        "De inspectie beoordeelt de drie vakken samen (zie de tabel).",
    )
    return _Referentie(per_year, ref.average, figure, sentence, notes, ref.indicator)


def _share_changes(school_trend: pd.DataFrame) -> list[tuple[str, pd.Series, pd.Series, ShareChange]]:
    """Per subject the first and the last year with a share, and the tested change between them."""
    out = []
    for subj, part in school_trend.groupby("subject", sort=False):
        ok = part[part["share"].notna()]
        if len(ok) >= 2:
            a, b = ok.iloc[0], ok.iloc[-1]
            out.append((subj, a, b, share_change(a["share"], int(a["n"]), b["share"], int(b["n"]))))
    return out


def _kernboodschap(school_trend: pd.DataFrame, ref: _Referentie, level: str, n_years: int) -> tuple[list[str], str]:
    """The message first: per subject whether its share changed (a word only where the change survives
    the test and the Holm correction over the subjects), the referentieniveau indicator, too few years."""
    kern, tone = [], "neutraal"
    changes = _share_changes(school_trend)
    claims = holm_claims([c.p if c.word in ("steeg", "daalde") else np.nan for *_, c in changes])
    for (subj, a, b, c), claim in zip(changes, claims, strict=True):
        move = c.word if claim else "bleef ongeveer gelijk"
        kern.append(
            f"{subj}: het percentage op niveau I–{level} {move} van {fmt_pct(a['share'])} ({a['school_year']}) "
            f"naar {fmt_pct(b['share'])} ({b['school_year']}; {c.interval_text})."
        )
    if len(changes) > 1:
        kern.append(family_sentence(len(changes), "per vak het eerste met het laatste schooljaar"))
    if ref.indicator is not None:
        tone = "let-op" if "onder" in (ref.indicator.oordeel_1f, ref.indicator.oordeel_2f1s) else tone
        kern.append("Referentieniveaus groep 8: " + ref.sentence)
    if n_years < 3:
        kern.append("Let op: minder dan drie schooljaren, dus nog geen betrouwbare trend.")
    return kern or ["Er zijn te weinig gegevens om een trend te tonen."], tone


def _few_years_notes(n_years: int, three_year: pd.DataFrame) -> list[str]:
    if n_years < 3:
        return [
            (
                f"Er zijn gegevens van {plural(n_years, 'schooljaar', 'schooljaren')}: minder dan drie cohorten. "
                "Eén of twee jaar is nog geen trend; trek pas conclusies bij drie opeenvolgende jaren."
            )
        ]
    if len(three_year) and (three_year["Aantal jaren"] < 3).any():
        return ["Bij sommige groepen zijn er minder dan drie jaren met dezelfde toetsversie: daar is geen driejaarsgemiddelde."]
    return []


def _with_subject_names(df: pd.DataFrame) -> pd.DataFrame:
    return report_columns(df.assign(subject=df["subject"].map(subject_name)))


def trend_overview(
    ds: Dataset,
    signaleringswaarde_2f: float | dict | None = None,
    *,
    subjects: list[str] | None = None,
    period: str = "E",
    level: str = "III",
    min_n: int = MIN_N,
) -> TrendOverview:
    """The *Trendanalyse* of the school.

    ``signaleringswaarde_2f``: the school's own value for 2F/1S (depends on its
    schoolweging; ``0.47`` or ``47``; a dict per subject; ``None``: only 1F (85%) is
    judged).  ``subjects`` (default all present), ``period`` of the dwarsdoorsnede
    (default E; subjects without E use M), ``level`` for "op niveau … of hoger"
    (default III); points with fewer than ``min_n`` pupils show no statistics.

    Dwarsdoorsnede: :func:`plgdata.analysis.trends.trend_cross_section` (same groep and
    moment over the years; a change of test version starts a new line).  Cohort: the
    pupils in the highest groep in the latest year, followed back to their first year
    (:func:`plgdata.analysis.trends.trend_cohort`).  Shares on I–V levels are comparable
    across test versions (each level is relative to its own norm group); scores are not.
    Referentieniveaus: the Inspectie's one indicator (:func:`plgdata.analysis.indicator.inspection_indicator`
    through :func:`plgdata.analysis.levels.referentieniveaus`), per-subject figures as detail.
    """
    s = ds.scores
    years = school_years(s["school_year"].dropna().unique())
    subj_list = [str(x) for x in subjects] if subjects else subjects_in(s)
    period_text = PERIOD_TEST_LABELS.get(period, period)
    school_trend, period_of = _school_trend(s, subj_list, period, level, min_n)
    cross, cross_figs, three_year, notes = _cross_sections(s, subj_list, period_of, period_text, level, min_n)
    few = _few_years_notes(len(years), three_year)
    notes = few + notes if len(years) < 3 else notes + few
    cohorts, cohort_figs, cohort_label = _cohorts(s, years, subj_list, level, min_n)
    ref = _referentie(s, signaleringswaarde_2f, min_n, getattr(ds, "doorstroom", None))
    kern, tone = _kernboodschap(school_trend, ref, level, len(years))
    per_year = (
        _with_subject_names(ref.per_year)
        if len(ref.per_year)
        else report_columns(pd.DataFrame(columns=["subject", "school_year", "n", "share_1f", "share_2f"]))
    )
    return TrendOverview(
        title="Trendanalyse" + (f" {years[0]} tot en met {years[-1]}" if years else ""),
        years=years,
        kernboodschap=kern,
        tone=tone,
        school_trend=report_columns(school_trend),
        school_figure=report_figure(
            (lambda: plot_share_trend(school_trend, level, period_text)) if not school_trend.empty else None,
            "Alle groepen samen; n is het aantal leerlingen met een niveau. De stippellijn is het landelijke aandeel (60% op I–III).",
        ),
        cross_sections=cross,
        cross_figures=cross_figs,
        three_year=three_year,
        cohorts=cohorts,
        cohort_figures=cohort_figs,
        cohort_label=cohort_label,
        referentieniveaus=per_year,
        referentie_average=_with_subject_names(ref.average),
        referentie_figure=ref.figure,
        referentie_sentence=ref.sentence,
        notes=list(dict.fromkeys(notes + ref.notes)),
        questions=list(TEAM_QUESTIONS),
        min_n=min_n,
        indicator=ref.indicator,
        indicator_table=_indicator_table(ref.indicator, min_n),
    )
