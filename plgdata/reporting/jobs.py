"""Which reports to render for a school: the list of :class:`ReportJob` for a werkmap."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from plgdata.model.vocabulary import MIN_N
from plgdata.reporting.notebooks import NOTEBOOK_DIR
from plgdata.reporting.render import ReportJob

REPORT_DIR = NOTEBOOK_DIR / "rapporten"
#: the hidden working folder older versions kept *inside* the reports folder (removed when found)
WORK_SUBDIR = ".werk"
#: environment variable naming the folder that holds the working data of every reports folder
WORK_ENV = "PLGDATA_WERK"


def work_dir(out_dir: str | Path) -> Path:
    """Where the working data (pupil-level tables, the demo's cycle record) of a reports folder lives.

    Never inside the reports folder, which a team shares: in the user's own folder
    ``~/.plgdata/werk/<folder name>-<8 hex of its full path>`` (or under ``$PLGDATA_WERK``),
    beside the key file.  The same reports folder always gets the same working folder.
    """
    out = Path(out_dir).resolve()
    base = Path(os.environ.get(WORK_ENV) or Path.home() / ".plgdata" / "werk").expanduser()
    return base / f"{_safe(out.name)}-{hashlib.sha256(str(out).encode('utf-8')).hexdigest()[:8]}"


def remove_old_work_dir(out_dir: str | Path) -> bool:
    """Remove the ``.werk`` folder an older version left inside the reports folder; True if there was one."""
    import shutil

    old = Path(out_dir) / WORK_SUBDIR
    if not old.is_dir():
        return False
    shutil.rmtree(old, ignore_errors=True)
    return True


def _safe(text: str) -> str:
    """A file-name-safe version of an id a user typed."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", str(text)).strip("_") or "interventie"


#: the longest readable part of a report's file name taken from an id (an id of 279 characters broke the run)
MAX_STEM = 80


def unique_stems(ids: list, names: dict | None = None) -> dict:
    """A file-name part per id that no other id shares, also on case-insensitive disks.

    An id that is already safe and unique keeps its name; otherwise a short hash of
    the id itself is added ("A/B" and "A B" both become "A_B", so they get
    ``A_B_<hash>``), the same on every run.  ``names`` gives the readable part when it
    is not the id itself: two cycle files both called ``cyclus.yaml`` in two folders
    (ids: their paths) get ``cyclus_<hash>`` each.
    """
    label = {i: str(names[i]) if names is not None else str(i) for i in ids}
    # a file name has room for 255 bytes: a long id is cut (and gets its hash below)
    safe = {i: _safe(label[i])[:MAX_STEM] for i in ids}
    counts: dict[str, int] = {}
    for i in dict.fromkeys(ids):
        counts[safe[i].lower()] = counts.get(safe[i].lower(), 0) + 1
    out = {}
    for i in ids:
        clash = safe[i] != label[i] or counts[safe[i].lower()] > 1
        out[i] = f"{safe[i]}_{hashlib.sha256(str(i).encode('utf-8')).hexdigest()[:6]}" if clash else safe[i]
    return out


def groepen_of(ds) -> list[int]:
    """The groepen with results."""
    return sorted(int(g) for g in ds.scores["groep"].dropna().unique())


def interventions_of(ds) -> list[tuple[str, str]]:
    """(id, name) of every intervention."""
    return list(zip(ds.interventions["intervention_id"].astype(str), ds.interventions["name"].astype(str)))


def data_report_jobs(
    werkmap: Path, out_dir: Path, groepen, interventions, min_n: int = MIN_N, signaleringswaarde_2f=None
) -> list[ReportJob]:
    """Groepsoverzicht per groep, trendanalyse and an interventie-evaluatie per intervention."""
    jobs = []
    for g in groepen:
        out = out_dir / f"groepsoverzicht_groep{g}.html"
        jobs.append(
            ReportJob(
                REPORT_DIR / "groepsoverzicht.ipynb",
                out,
                f"Groepsoverzicht groep {g}",
                {"werkmap": str(werkmap), "groep": int(g), "excel_pad": str(out.with_suffix(".xlsx")), "min_n": min_n},
                "Niveaus, leerwinst en welke leerlingen aandacht of uitdaging nodig hebben",
                "Groepsoverzichten",
            )
        )
    out = out_dir / "trendanalyse.html"
    trend_params = {"werkmap": str(werkmap), "excel_pad": str(out.with_suffix(".xlsx")), "min_n": min_n}
    if signaleringswaarde_2f is not None:
        trend_params["signaleringswaarde_2f"] = signaleringswaarde_2f
    jobs.append(
        ReportJob(
            REPORT_DIR / "trendanalyse.ipynb",
            out,
            "Trendanalyse van de school",
            trend_params,
            "Dwarsdoorsnede, cohorten en referentieniveaus groep 8",
            "Trendanalyse",
        )
    )
    stems = unique_stems([iid for iid, _ in interventions])
    for iid, name in interventions:
        out = out_dir / f"interventie_{stems[iid]}.html"
        jobs.append(
            ReportJob(
                REPORT_DIR / "interventie_evaluatie.ipynb",
                out,
                f"Interventie-evaluatie: {name}",
                {"werkmap": str(werkmap), "interventie_id": iid, "excel_pad": str(out.with_suffix(".xlsx")), "min_n": min_n},
                "Werkte de interventie? Effect, onzekerheid en regressie naar het gemiddelde",
                "Interventie-evaluaties",
            )
        )
    return jobs


#: the methods whose record gets a *cyclusrapport* (Lesson Study and the year plan have reports of their own)
CYCLE_REPORT_METHODS = ("datateam", "actieonderzoek")


def cycle_report_entry(path: str | Path, title: str | None) -> tuple[Path, str, str]:
    """(cycle file, file stem, title) of a record's *cyclusrapport*, as ``plgdata rapport`` and the app name it."""
    p = Path(path).resolve()
    return p, f"cyclusrapport_{p.stem}", f"Cyclusrapport: {title or p.stem}"


def cycle_report_jobs(werkmap: Path, out_dir: Path, cycles: list[tuple[Path, str, str]], min_n: int = MIN_N) -> list[ReportJob]:
    """A *cyclusrapport* per (cycle file, file stem, title)."""
    jobs = []
    once = {Path(p).resolve(): (stem, title) for p, stem, title in cycles}  # a file given twice: one report
    stems = unique_stems(list(once), {p: stem for p, (stem, _) in once.items()})
    for path, (_, title) in once.items():
        out = out_dir / f"{stems[path]}.html"
        jobs.append(
            ReportJob(
                REPORT_DIR / "cyclusrapport.ipynb",
                out,
                title,
                {"werkmap": str(werkmap), "cyclusbestand": str(path), "excel_pad": str(out.with_suffix(".xlsx")), "min_n": min_n},
                "Waar staat de cyclus: probleem, hypothesen, maatregelen en evaluatie",
                "Cyclusrapporten",
            )
        )
    return jobs


def leerteam_report_jobs(
    werkmap: Path,
    out_dir: Path,
    records,
    *,
    signaleringswaarden: Path | None = None,
    plgscan: Path | None = None,
    min_n: int = MIN_N,
) -> list[ReportJob]:
    """The leerteams' reports for a school's records: a Lesson Study report per Lesson Study, one
    *jaaroverzicht* of all year plans and the *opbrengstenrapport* (which reads every cycle record).

    ``records`` are cycle files (YAML; backups ``*.vorige.yaml`` are skipped); they must exist now,
    because their ``methode`` decides the report.
    """
    from plgdata.cycle import load_cycle

    paths = list(dict.fromkeys(Path(p).resolve() for p in records if not str(p).endswith(".vorige.yaml")))
    methods = {p: load_cycle(p).method for p in paths}
    jobs = []
    studies = [p for p in paths if methods[p] == "lessonstudy"]
    stems = unique_stems(studies, {p: p.stem if p.stem.startswith("lessonstudy") else "lessonstudy_" + p.stem for p in studies})
    for p in studies:
        out = out_dir / f"{stems[p]}.html"
        jobs.append(
            ReportJob(
                REPORT_DIR / "lessonstudy.ipynb",
                out,
                f"Lesson Study: {load_cycle(p).title or p.stem}",
                {"cyclusbestand": str(p), "excel_pad": str(out.with_suffix(".xlsx")), "min_n": min_n},
                "Voorspelling en observatie van de casusleerlingen, wat veranderde en wat we borgen",
                "Lesson Study",
            )
        )
    plans = [str(p) for p in paths if methods[p] == "jaarplan"]
    if plans:
        out = out_dir / "jaaroverzicht_leerteams.html"
        jobs.append(
            ReportJob(
                REPORT_DIR / "jaaroverzicht.ipynb",
                out,
                "Jaaroverzicht van de leerteams",
                {
                    "jaarplannen": plans,
                    "cyclusmap": str(Path(plans[0]).parent),
                    "excel_pad": str(out.with_suffix(".xlsx")),
                    "min_n": min_n,
                },
                "Perioden, focusvakken, cycli en de gesprekkencyclus per leerteam",
                "Leerteams",
            )
        )
    out = out_dir / "opbrengstenrapport.html"
    jobs.append(
        ReportJob(
            REPORT_DIR / "opbrengstenrapport.ipynb",
            out,
            "Opbrengsten- en verantwoordingsrapport",
            {
                "werkmap": str(werkmap),
                "cyclusbestanden": [str(p) for p in paths if methods[p] != "jaarplan"],
                "jaarplannen": plans,
                # absolute: the report's kernel runs in another folder than the command
                "signaleringswaarden": str(Path(signaleringswaarden).resolve()) if signaleringswaarden else None,
                "plgscan": str(Path(plgscan).resolve()) if plgscan else None,
                "excel_pad": str(out.with_suffix(".xlsx")),
                "min_n": min_n,
            },
            "De vier PLG-vragen: leerwinst, interventies, cycli en wat we wel en niet kunnen concluderen",
            "Leerteams",
        )
    )
    return jobs
