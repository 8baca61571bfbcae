"""What ``plgdata indicator`` shows: the Inspectie indicator from the files a school has.

Doorstroomtoets lists (and the plain long file) are the source; without them the groep-8
referentieniveaus of the LVS exports stand in, labelled "indicatie uit het LVS".  Groep 7's
LVS indications, when present, give the forecast; the Inspectie's open-data file, when
given, the reconciliation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from plgdata.analysis.indicator import (
    Forecast,
    IndicatorError,
    IndicatorResult,
    fmt_pct1,
    indicator_forecast,
    indicator_margin,
    inspection_indicator,
    reconcile,
    results_from_scores,
    signaleringswaarde_for,
)
from plgdata.io.doorstroom import NotDoorstroomError, read_doorstroom

__all__ = ["IndicatorReport", "build_indicator", "indicator_from_dataset", "indicator_results", "one_school", "read_sources"]


@dataclass
class IndicatorReport:
    """The indicator with its margin, forecast and reconciliation, ready for text or JSON."""

    result: IndicatorResult
    margins: dict[str, dict]
    forecast: Forecast | None = None
    reconciliation: pd.DataFrame | None = None
    files: list[str] = field(default_factory=list)  # what each file was read as
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = self.result.to_dict()
        out["marge"] = {"1f": self.margins["1f"], "2f1s": self.margins["2f1s"]}
        out["bestanden"] = list(self.files)
        out["leesnotities"] = list(self.notes)
        if self.forecast is not None:
            f = self.forecast
            out["verwachting"] = {
                "schooljaren": f.window,
                "n_nieuw": f.n_new,
                "pct_2f1s": round(f.pct_2f1s, 2),
                "interval_2f1s": [round(f.low, 2), round(f.high, 2)],
                "pct_1f": round(f.pct_1f, 2),
                "interval_1f": [round(f.low_1f, 2), round(f.high_1f, 2)],
            }
        if self.reconciliation is not None:
            out["vergelijking_inspectie"] = (
                self.reconciliation.astype(object).where(self.reconciliation.notna(), None).to_dict(orient="records")
            )
        return out

    def to_text(self) -> str:
        r = self.result
        title = "Referentieniveaus: de indicator van de Inspectie"
        if r.source == "lvs":
            title += " (indicatie uit het LVS, niet de doorstroomtoets)"
        lines = [title, "=" * len(title), r.sentence(), ""]
        lines.append(f"{'Schooljaar':<12} {'leerlingen':>10} {'ontheffing':>10} {'1F':>8} {'1S/2F':>8}")
        for y in r.years.itertuples():
            mark = "" if y.school_year in r.window else "  (buiten de drie jaar)"
            lines.append(
                f"{y.school_year:<12} {y.n:>10} {y.n_exempt:>10} {fmt_pct1(y.pct_1f):>8} {fmt_pct1(y.pct_2f1s):>8}{mark}"
            )
        lines.append(f"{'gewogen':<12} {r.n:>10} {'':>10} {fmt_pct1(r.pct_1f):>8} {fmt_pct1(r.pct_2f1s):>8}")
        lines += ["", "Per vak (detail; de Inspectie beoordeelt de drie vakken samen):"]
        for s in r.subjects[r.subjects["school_year"].isin(r.window)].itertuples():
            lines.append(
                f"  {s.school_year} {s.subject:<15} n={s.n:<3} 1F {fmt_pct1(s.pct_1f):>7}  1S/2F {fmt_pct1(s.pct_2f1s):>7}"
            )
        lines += ["", self.margins["2f1s"]["zin"], self.margins["1f"]["zin"]]
        if self.forecast is not None:
            lines += ["", self.forecast.sentence]
        if self.reconciliation is not None:
            lines += ["", "Vergelijking met het open-databestand van de Inspectie:"]
            for row in self.reconciliation.itertuples(index=False):
                if pd.isna(row[1]) and pd.isna(row[2]):  # a signaleringswaarde or outcome row: the explanation says it
                    lines.append(f"  {row[0]}: {row[7]}")
                    continue
                lines.append(
                    f"  {row[0]}: plgdata {_pair(row[3], row[5])} (n {_n(row[1])}), Inspectie {_pair(row[4], row[6])} "
                    f"(n {_n(row[2])}) — {row[7]}"
                )
        if r.notes or self.notes:
            lines += ["", "Opmerkingen:"] + [f"  - {n}" for n in r.notes + self.notes]
        return "\n".join(lines)


def _n(v) -> str:
    return "–" if v is None or pd.isna(v) else str(int(v))


def _pair(p1, p2) -> str:
    def f(v):
        return "–" if v is None or pd.isna(v) else fmt_pct1(float(v))

    return f"1F {f(p1)}, 1S/2F {f(p2)}"


def read_sources(files, key_file=None, interventions=False, mapping=None, school=None):
    """Doorstroomtoets results (or None), the LVS Dataset of the other files (or None), what each file was, notes.

    Folders give their export files (as :func:`plgdata.io.scores.load` reads them).  A file without a
    referentieniveau per subject is read as an LVS export, with ``interventions`` (a path; ``None``:
    a folder's ``interventies.xlsx``; ``False``: none) and ``mapping``.  The Dataset carries the
    doorstroomtoets results too (``Dataset.doorstroom``), so every report counts the same rows.
    """
    from plgdata.io.scores import load
    from plgdata.io.scores.core import discover

    doorstroom, lvs_files, kinds, notes = [], [], [], []
    for f in discover(files)[0]:
        try:
            d = read_doorstroom([f], key_file=key_file)
        except NotDoorstroomError:
            lvs_files.append(f)
            continue
        doorstroom.append(d.results)
        kinds += d.kinds
        notes += d.notes
    if interventions is None and doorstroom:  # as load() does for a folder: its interventies.xlsx / .csv
        found = [Path(d) / n for d in files if Path(d).is_dir() for n in ("interventies.xlsx", "interventies.csv")]
        interventions = next((str(f) for f in found if f.exists()), False)
    # without a doorstroomtoets list the files go to load() exactly as given (folders and their load report)
    lvs = (lvs_files if doorstroom else list(files)) if lvs_files else []
    ds = load(lvs, key_file=key_file, interventions=interventions, mapping=mapping, school=school) if lvs else None
    kinds += [f"{Path(f).name}: LVS-export" for f in lvs_files]
    results = pd.concat(doorstroom, ignore_index=True) if doorstroom else None
    if ds is not None:
        ds.doorstroom = results
    return results, ds, kinds, notes


def indicator_results(doorstroom: pd.DataFrame | None, ds) -> tuple[pd.DataFrame, list[str]]:
    """The results the indicator counts: the doorstroomtoets, else the LVS's groep 8 (said in the notes)."""
    if doorstroom is not None:
        return doorstroom, []
    results = results_from_scores(ds.scores, groep=8) if ds is not None else pd.DataFrame()
    if results.empty:
        raise IndicatorError("In de bestanden staan geen referentieniveaus van groep 8 (doorstroomtoets of LVS).")
    return results, ["Geen doorstroomtoets gevonden: de cijfers zijn een indicatie uit het LVS (groep 8), niet het oordeel."]


def indicator_from_dataset(scores: pd.DataFrame, **kwargs) -> IndicatorResult:
    """The indicator from a dataset's LVS rows (groep 8): labelled "indicatie uit het LVS"."""
    return inspection_indicator(results_from_scores(scores, groep=8), **kwargs)


def one_school(results: pd.DataFrame, brin: str | None) -> pd.DataFrame:
    """The rows of one school when a file holds several (a School/BRIN column): the one ``brin`` names."""
    from plgdata.model.vocabulary import normalise_header

    if "school" not in results.columns:
        return results
    names = sorted({str(x) for x in results["school"].dropna() if str(x).strip()})
    if len(names) <= 1:
        return results
    if brin:
        keep = results["school"].map(lambda x: normalise_header(str(x)).startswith(normalise_header(brin)))
        if keep.any():
            return results[keep.to_numpy()]
    shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
    raise IndicatorError(
        f"De bestanden bevatten {len(names)} scholen ({shown}). Kies er één met --brin (bijvoorbeeld --brin {names[0]})."
    )


def build_indicator(
    files,
    *,
    schoolweging=None,
    signaleringswaarde=None,
    inspectiebestand=None,
    brin: str | None = None,
    ambitie=None,
    key_file=None,
) -> IndicatorReport:
    """Read the files, compute the indicator, its margins, the forecast and the reconciliation."""
    official = None
    if inspectiebestand is not None:
        from plgdata.io.inspectie import read_official_indicator

        official = read_official_indicator(inspectiebestand, brin)
    doorstroom, ds, kinds, notes = read_sources(files, key_file)
    results, more = indicator_results(doorstroom, ds)
    results = one_school(results, brin)
    notes += more
    if schoolweging is not None and signaleringswaarde is None and official is not None and official.values.get("sw_2f1s"):
        try:
            signaleringswaarde_for(schoolweging)
        except IndicatorError:  # a band plgdata has not verified: the Inspectie's own file has the value
            schoolweging = None
    if schoolweging is None and signaleringswaarde is None and official is not None and official.values.get("sw_2f1s"):
        signaleringswaarde = official.values["sw_2f1s"]  # the school's own value, as the Inspectie publishes it
        notes.append(f"Signaleringswaarde 1S/2F ({fmt_pct1(signaleringswaarde)}) uit het inspectiebestand.")
    res = inspection_indicator(results, schoolweging=schoolweging, signaleringswaarde_2f1s=signaleringswaarde)
    report = IndicatorReport(
        res, {"1f": indicator_margin(res, "1f"), "2f1s": indicator_margin(res, "2f1s")}, files=kinds, notes=notes
    )
    if ds is not None:
        g7 = results_from_scores(ds.scores, groep=7)
        if not g7.empty:
            report.forecast = indicator_forecast(res, g7, ambitie_2f1s=ambitie)
    if official is not None:
        report.reconciliation = reconcile(res, official)
    return report
