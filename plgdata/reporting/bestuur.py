"""The bestuur report: several schools side by side, made only from their summary files.

Schools stand by name, never ranked; each school's indicator is set against *its own*
signaleringswaarden (they differ with the schoolweging); trends per school; and an
intervention portfolio that pools the same kind of intervention across schools with a
random-effects meta-analysis (:func:`plgdata.analysis.pooling.random_effects`), its interval
and the heterogeneity stated.  No pupil data reaches this module: it reads
:mod:`plgdata.reporting.samenvatting` files only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from plgdata.analysis.indicator import fmt_pct1
from plgdata.analysis.pooling import PooledEffect, random_effects
from plgdata.reporting.common import plural

__all__ = ["BestuurReport", "bestuur_report", "write_bestuur_html"]

TITLE = "Bestuursrapport: referentieniveaus, trends en interventies"


@dataclass
class BestuurReport:
    """Everything the bestuur report shows (values; :func:`write_bestuur_html` renders it)."""

    schools: pd.DataFrame  # school, bron, schooljaren, n, pct_1f, sw_1f, oordeel_1f, pct_2f1s, sw_2f1s, oordeel_2f1s, marge
    trend: pd.DataFrame  # School, Vak, one column per school year (share III+ as text)
    years: pd.DataFrame  # School, Schooljaar, Leerlingen, % 1F, % 1S/2F (the indicator per year, text)
    portfolio: list[tuple[str, pd.DataFrame, PooledEffect | None]]  # kind, rows per school, pooled
    kernboodschap: list[str]
    notes: list[str] = field(default_factory=list)


def _school_row(s: dict) -> dict:
    ind = s.get("indicator") or {}
    three = ind.get("driejaars") or {}
    return {
        "school": s["school"],
        "bron": ind.get("bron", "–"),
        "schooljaren": ", ".join(three.get("schooljaren", [])) or "–",
        "n": three.get("n"),
        "pct_1f": three.get("pct_1f"),
        "sw_1f": ind.get("signaleringswaarde_1f"),
        "oordeel_1f": ind.get("oordeel_1f"),
        "pct_2f1s": three.get("pct_2f1s"),
        "sw_2f1s": ind.get("signaleringswaarde_2f1s"),
        "oordeel_2f1s": ind.get("oordeel_2f1s"),
        "marge": ind.get("marge_2f1s"),
    }


def _years_table(summaries: list[dict]) -> pd.DataFrame:
    """The indicator per school and school year (percentages with one decimal; suppressed years '–')."""
    rows = [
        {
            "School": s["school"],
            "Schooljaar": y["schooljaar"],
            "Leerlingen": str(y["n"]),
            "% 1F": "–" if y.get("pct_1f") is None else fmt_pct1(y["pct_1f"]),
            "% 1S/2F": "–" if y.get("pct_2f1s") is None else fmt_pct1(y["pct_2f1s"]),
        }
        for s in summaries
        for y in (s.get("indicator") or {}).get("jaren", [])
    ]
    return pd.DataFrame(rows, columns=["School", "Schooljaar", "Leerlingen", "% 1F", "% 1S/2F"])


def _trend_table(summaries: list[dict]) -> pd.DataFrame:
    rows = [
        {"School": s["school"], "Vak": t["vak"], "Schooljaar": t["schooljaar"], "v": t["aandeel_iii_of_hoger"], "n": t["n"]}
        for s in summaries
        for t in s.get("trend", [])
    ]
    if not rows:
        return pd.DataFrame(columns=["School", "Vak"])
    d = pd.DataFrame(rows)
    d["tekst"] = ["–" if v is None or pd.isna(v) else f"{fmt_pct1(100 * v)} (n = {n})" for v, n in zip(d["v"], d["n"])]
    wide = d.pivot_table(index=["School", "Vak"], columns="Schooljaar", values="tekst", aggfunc="first").reset_index()
    wide.columns.name = None
    return wide.fillna("–").sort_values(["School", "Vak"]).reset_index(drop=True)


def _portfolio(summaries: list[dict]) -> tuple[list[tuple[str, pd.DataFrame, PooledEffect | None]], list[str]]:
    rows = [{"school": s["school"], **iv} for s in summaries for iv in s.get("interventies", [])]
    if not rows:
        return [], []
    d = pd.DataFrame(rows)
    out, notes = [], []
    for kind, part in d.groupby("soort", sort=True):
        ok = part[part["effectgrootte_sd"].notna() & part["se"].notna()]
        pooled = None
        if ok["school"].nunique() >= 2:
            pooled = random_effects(ok["effectgrootte_sd"].astype(float), ok["se"].astype(float) ** 2)
            if ok["ontwerp"].nunique() > 1:
                notes.append(
                    f"'{kind}': de scholen gebruikten verschillende onderzoeksopzetten; lees het samengenomen effect met extra voorzichtigheid."
                )
        out.append((str(kind), part.sort_values("school").reset_index(drop=True), pooled))
    return out, notes


def _kernboodschap(schools: pd.DataFrame, portfolio) -> list[str]:
    known = schools[schools["oordeel_1f"].notna()]
    both = known[(known["oordeel_1f"] == "boven") & (known["oordeel_2f1s"] == "boven")]
    kern = [
        f"{len(both)} van de {plural(len(schools), 'school', 'scholen')} liggen met beide indicatoren boven hun eigen "
        "signaleringswaarden (de inspectie-indicator: lezen, taalverzorging en rekenen samen, gewogen over drie jaar)."
    ]
    below = known[(known["oordeel_1f"] == "onder") | (known["oordeel_2f1s"] == "onder")]
    if len(below):
        kern.append(
            "Onder een signaleringswaarde: " + ", ".join(below["school"]) + ". Vraag die scholen naar hun verklaring en plan."
        )
    for kind, _, pooled in portfolio:
        if pooled is not None:
            kern.append(f"Interventie '{kind}': " + pooled.sentence())
    kern.append("De scholen staan op naam, niet op volgorde: dit is geen ranglijst.")
    return kern


def bestuur_report(summaries: list[dict]) -> BestuurReport:
    """The bestuur report's content from the schools' summary files (:func:`plgdata.reporting.samenvatting.read_summary`)."""
    summaries = sorted(summaries, key=lambda s: str(s["school"]).lower())
    schools = pd.DataFrame([_school_row(s) for s in summaries])
    portfolio, notes = _portfolio(summaries)
    for s in summaries:
        if not s.get("indicator"):
            notes.append(f"{s['school']}: geen indicator ({s.get('indicator_reden', 'geen referentieniveaus')}).")
        elif s["indicator"].get("bron") == "indicatie uit het LVS":
            notes.append(f"{s['school']}: de indicator is een indicatie uit het LVS, niet de doorstroomtoets.")
    notes.append("Percentages van groepen met minder leerlingen dan de ondergrens van de school zijn niet opgenomen (–).")
    return BestuurReport(
        schools, _trend_table(summaries), _years_table(summaries), portfolio, _kernboodschap(schools, portfolio), notes
    )


def _schools_table(schools: pd.DataFrame) -> pd.DataFrame:
    def pct(v):
        return "–" if v is None or pd.isna(v) else fmt_pct1(float(v))

    return pd.DataFrame(
        {
            "School": schools["school"],
            "Bron": schools["bron"],
            "Schooljaren": schools["schooljaren"],
            "Leerlingen": [("–" if v is None or pd.isna(v) else str(int(v))) for v in schools["n"]],
            "% 1F": [pct(v) for v in schools["pct_1f"]],
            "Signaleringswaarde 1F": [pct(v) for v in schools["sw_1f"]],
            "Uitkomst 1F": schools["oordeel_1f"].fillna("–"),
            "% 1S/2F": [pct(v) for v in schools["pct_2f1s"]],
            "Eigen signaleringswaarde 1S/2F": [
                pct(v) if v is not None and not pd.isna(v) else "onbekend" for v in schools["sw_2f1s"]
            ],
            "Uitkomst 1S/2F": schools["oordeel_2f1s"].fillna("–"),
        }
    )


def _portfolio_html(h, portfolio) -> list[str]:
    from plgdata.model.labels import fmt_num
    from plgdata.plots.bestuur import plot_forest

    parts = []
    for kind, rows, pooled in portfolio:
        parts.append(h.heading(f"Interventie: {kind}", 3).data)
        view = pd.DataFrame(
            {
                "School": rows["school"],
                "Interventie": rows["naam"],
                "Opzet": rows["ontwerp"],
                "n interventie": rows["n_interventie"].astype("Int64"),
                "n vergelijking": rows["n_vergelijking"].astype("Int64"),
                "Oordeel school": rows["oordeel"],
                "Effect (sd) en 95%-BI": [
                    "–" if pd.isna(e) else f"{fmt_num(e, 2)} ({fmt_num(lo, 2)} tot {fmt_num(hi, 2)})"
                    for e, lo, hi in zip(rows["effectgrootte_sd"], rows["bi_onder"], rows["bi_boven"])
                ],
            }
        )
        parts.append(h.table(view, n_col=None).data)
        if pooled is None:
            parts.append(h.note("Op minder dan twee scholen met een effect: niet samengenomen.").data)
            continue
        parts.append(h.paragraph(pooled.sentence()).data)
        fig = plot_forest(rows, pooled, kind)
        if fig is not None:
            from plgdata.plots import style

            parts.append(
                h.figure(fig, style.get_alt_text(fig), "Per school het effect met 95%-interval; onderaan samengenomen.").data
            )
    return parts


def write_bestuur_html(report: BestuurReport, path: str | Path) -> Path:
    """One self-contained HTML file (no internet, no script), Dutch, printable."""
    from plgdata.plots import style
    from plgdata.plots.bestuur import plot_schools_indicator
    from plgdata.reporting import html as h
    from plgdata.reporting.render import CSS_FILE

    body = [
        h.title(
            TITLE, f"{plural(len(report.schools), 'school', 'scholen')}, gemaakt uit samenvattingen zonder leerlinggegevens"
        ).data
    ]
    body.append(h.kernboodschap(report.kernboodschap, tone="neutraal").data)
    body.append(h.heading("Scholen naast elkaar: de indicator van de inspectie").data)
    body.append(
        h.paragraph(
            "Elke school tegenover haar eigen signaleringswaarden: 85% voor 1F, en voor 1S/2F de waarde bij haar schoolweging. De volgorde is alfabetisch."
        ).data
    )
    body.append(h.table(_schools_table(report.schools), n_col=None).data)
    fig = plot_schools_indicator(report.schools)
    if fig is not None:
        body.append(h.figure(fig, style.get_alt_text(fig), "Stip: de school; streep: haar eigen signaleringswaarde 1S/2F.").data)
    margins = [f"{r.school}: {r.marge}" for r in report.schools.itertuples() if isinstance(r.marge, str)]
    if margins:
        body.append(h.bullet_list(margins).data)
    body.append(h.heading("Trends per school").data)
    body.append(h.paragraph("De indicator per schooljaar (lezen, taalverzorging en rekenen samen).").data)
    body.append(h.table(report.years, n_col=None).data if len(report.years) else h.note("Geen indicator per jaar.").data)
    body.append(
        h.paragraph("En het percentage leerlingen op niveau I–III per vak (alle groepen, eindtoetsen), per schooljaar.").data
    )
    body.append(h.table(report.trend, n_col=None).data if len(report.trend) else h.note("Geen trendgegevens.").data)
    body.append(h.heading("Interventieportfolio").data)
    body.append(
        h.paragraph(
            "Dezelfde soort interventie op meer scholen samengenomen (random-effects meta-analyse, DerSimonian–Laird). I² zegt hoeveel van de verschillen tussen scholen echt is en niet toeval."
        ).data
    )
    body += _portfolio_html(h, report.portfolio) or [h.note("Geen interventies in de samenvattingen.").data]
    body.append(h.heading("Zo lees je dit rapport").data)
    body.append(h.bullet_list(report.notes).data)
    css = CSS_FILE.read_text(encoding="utf-8")
    made = dt.date.today().strftime("%d-%m-%Y")
    page = (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{h.esc(TITLE)}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + f'\n<p class="plg-voet">Gemaakt met plgdata op {made}.</p>\n</main>\n</body>\n</html>\n'
    )
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(page, encoding="utf-8")
    return p
