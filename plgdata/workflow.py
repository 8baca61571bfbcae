"""What the cycle notebooks call: one small function per thing a step does.

The notebooks stay thin (a few calls per cell); everything they compute comes from
here, and everything here reads only the canonical tables of a
:class:`~plgdata.model.dataset.Dataset`.

The canonical tables are read from the exports once (notebook ``00``) and kept as
Parquet in a *werkmap* (pseudonyms only); the later notebooks and the reports open
that werkmap instead of parsing the exports again.

Hypothesis tests are chosen by ``analyse.soort`` in the cycle record, with Dutch
parameter names a team can read and edit:

==================== ==============================================================
soort                parameters
==================== ==============================================================
groepsverschil       vak, periode, schooljaar, groepen, kenmerk (geslacht /
                     thuistaal / instroom), a, b, richting (groter/kleiner), min_effect
samenhang            vak_x, vak_y, periode, schooljaar, groepen, min_r
verschil_in_aandelen vak, periode, schooljaar, groepen, kenmerk, a, b, niveaus,
                     richting, min_verschil
groei_tegen_norm     vak, van, naar, schooljaar, groepen, richting, min_verschil
==================== ==============================================================
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from plgdata.analysis.evaluation import comparison_kind, evaluate_intervention
from plgdata.analysis.growth import growth_against_norm
from plgdata.analysis.levels import level_share
from plgdata.analysis.pupils import (
    GROUP_VALUE_LABELS,
    LOW_LEVELS,
    group_label,
    period_code,
    pupil_results,
    with_group_column,
    with_level_indicator,
)
from plgdata.model.dataset import Dataset
from plgdata.model.labels import facts, fmt_pct
from plgdata.model.vocabulary import SUBJECT_LABELS, normalise_subject

# ---------------------------------------------------------------------------
# data: read once, keep the canonical tables in a werkmap
# ---------------------------------------------------------------------------


def load_into_workdir(data_paths, workdir, *, interventions=None, key_file=None, mapping=None) -> Dataset:
    """Read the exports (pseudonymising at the door) and keep the canonical tables in ``workdir``;
    ``mapping`` is a mapping file for exports plgdata does not recognise by itself.

    The exports are read again only when something the tables were read from changed (see
    :func:`read_stamp`); otherwise the tables kept in ``workdir`` are opened.  Notebook 00 (and
    the app's step-0 page) opened a second time then takes a fraction of a second instead of
    reading every export again.
    """
    from plgdata.io.scores import load

    paths = [data_paths] if isinstance(data_paths, (str, Path)) else list(data_paths)
    inputs = read_stamp(paths, interventions, mapping)
    kept = Path(workdir) / READ_STAMP
    if inputs is not None and kept.is_file() and kept.read_text(encoding="utf-8") == _full_stamp(inputs, key_file, workdir):
        return open_workdir(workdir)
    ds = load(paths, interventions=interventions, key_file=key_file, mapping=mapping)
    from plgdata.io.pseudonyms import check_same_key

    check_same_key(workdir, ds.key_fingerprint)
    kept.unlink(missing_ok=True)  # tables half written are never taken for read ones
    ds.save(workdir)
    if inputs is not None:
        kept.write_text(_full_stamp(inputs, key_file, workdir), encoding="utf-8")
    return ds


#: beside the tables in a werkmap: what :func:`load_into_workdir` read them from
READ_STAMP = "inleesstempel.json"


def _file_state(path: Path) -> list:
    try:
        st = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), st.st_size, st.st_mtime_ns]


def read_stamp(paths: list, interventions=None, mapping=None) -> list | None:
    """What reading the exports depends on: every export (each entry of a folder, as the reader
    lists it), the interventions and mapping files, and plgdata's readers (version and source
    files); ``None`` when a mapping is not a file (then the exports are always read)."""
    if mapping is not None and not isinstance(mapping, (str, Path)):
        return None
    import plgdata

    files = []
    for p in map(Path, paths):
        files.append(_file_state(p))
        if p.is_dir():
            files.extend(_file_state(q) for q in sorted(p.iterdir()))
    extra = [_file_state(Path(f)) if f not in (None, False) else f for f in (interventions, mapping)]
    package = Path(plgdata.__file__).parent
    code = [_file_state(f) for part in ("io", "model") for f in sorted((package / part).rglob("*.py"))]
    return [plgdata.__version__, files, extra, code]


def _full_stamp(inputs: list, key_file, workdir) -> str:
    """The stamp kept beside the tables: the inputs, the key file and the tables themselves
    (tables saved by anything else never pass for the ones read from these exports)."""
    from plgdata.io.pseudonyms import key_file_path
    from plgdata.model.dataset import FINGERPRINT_FILE

    d = Path(workdir)
    tables = [_file_state(f) for f in sorted(d.glob("*.parquet"))]
    tables += [_file_state(d / name) for name in ("inleesverslag.json", FINGERPRINT_FILE)]
    return json.dumps([inputs, _file_state(key_file_path(key_file)), tables])


def open_workdir(workdir) -> Dataset:
    """The canonical tables kept by :func:`load_into_workdir`, with a Dutch message when absent."""
    d = Path(workdir)
    if not (d / "scores.parquet").exists():
        raise FileNotFoundError(f"In de werkmap {d} staan nog geen ingelezen gegevens. Draai eerst notebook 00 (start).")
    return Dataset.open(d)


def _subject_code(vak: str) -> str:
    return normalise_subject(vak)


_period = period_code


# ---------------------------------------------------------------------------
# 00: how do we know all pupils learn?
# ---------------------------------------------------------------------------


def school_overview(ds: Dataset, school_year: str | None = None, *, norm_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per subject, the latest E (or M) moment of a school year: n, share niveau I–III and IV/V
    (among the pupils with a niveau I–V; a year on IEP or A–E has none), and the mean growth
    against the national norm M→E of that year (z from percentiles; 0 = grew like the norm group).

    ``norm_table`` (the school's norm table) is used where a result has no percentile.  Without
    percentiles or a norm table there is no norm: ``z_growth`` stays empty and ``growth_note`` says
    "geen landelijke norm in deze gegevens" (a z standardised within the school's own pupils
    always has mean growth 0 and is no norm)."""
    from plgdata.reporting.memo import fingerprint

    data = fingerprint(ds) if norm_table is None else None
    key = None if data is None else (data, school_year)
    if key is not None and key in _OVERVIEWS:
        return _OVERVIEWS[key].copy()
    overview = _school_overview(ds, school_year, norm_table)
    if key is not None:
        _OVERVIEWS.clear()  # the latest only: a page shows one school's data
        _OVERVIEWS[key] = overview.copy()
    return overview


#: the latest school overview computed in this process, by the data it was computed from (0.15 s of
#: step 0; ``plgdata app`` computes it before the page is opened, :func:`plgdata.app.warm_page`)
_OVERVIEWS: dict = {}


def _school_overview(ds: Dataset, school_year: str | None, norm_table: pd.DataFrame | None) -> pd.DataFrame:
    s = ds.scores
    year = school_year or sorted(s["school_year"].dropna().unique())[-1]
    rows = []
    for subject in sorted(s.loc[s["school_year"] == year, "subject"].dropna().unique()):
        for period in ("E", "M"):
            r = pupil_results(ds, subject, period, year)
            if len(r):
                break
        if r.empty:
            continue
        ls = level_share(r, LOW_LEVELS)
        g = growth_against_norm(s, subject, "M", "E", year, norm_table=norm_table)
        rows.append(
            {
                "subject": SUBJECT_LABELS.get(subject, subject),
                "moment": f"{period} {year}",
                "n": len(r),
                "share_i_iii": 1.0 - ls.share,
                "share_iv_v": ls.share,
                "level_note": ls.missing_text,
                "z_growth": g.mean,
                "n_growth": g.n,
                "growth_note": g.note,
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# 01: the problem in numbers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """The problem's metric computed from the data."""

    value: float
    n: int
    description: str
    basis: str


def share_low_levels(ds: Dataset, subject: str, period: str, school_year: str, groepen, levels=LOW_LEVELS) -> Metric:
    """Share of pupils at niveau IV or V (or other ``levels``) at a moment, among the pupils with a
    level of that system (:func:`plgdata.analysis.levels.level_share`).

    A year on another level system (IEP's referentieniveaus, A–E) has no such share: ``value`` is
    NaN, ``n`` 0 and ``basis`` says "geen niveau I–V …" (never 0% of pupils who have no niveau I–V).
    """
    r = pupil_results(ds, subject, period, school_year, groepen)
    ls = level_share(r, levels)
    g = "/".join(str(x) for x in np.atleast_1d(groepen))
    desc = (
        f"aandeel {ls.label}, {SUBJECT_LABELS.get(_subject_code(subject), subject).lower()}, groep {g}, {_period(period)}-toets"
    )
    basis = (
        f"{ls.n} leerlingen, {_period(period)}-toets {school_year}"
        if ls.n
        else f"{ls.missing_text}, {_period(period)}-toets {school_year}"
    )
    return Metric(ls.share, ls.n, desc, basis)


def goal_status(problem, now: Metric):
    """Notebook 08: the goal of step 1 next to the value now, as a small Dutch table."""
    value = fmt_pct(now.value) if now.n else "niet te bepalen"
    return facts({"Doel": f"{problem.direction} {fmt_pct(problem.goal_value)}", "Nu": value, "Gebaseerd op": now.basis})


# ---------------------------------------------------------------------------
# 05: run one hypothesis test from its record
# ---------------------------------------------------------------------------


def _groepen(p: dict):
    return p.get("groepen")


def run_hypothesis(ds: Dataset, hypothesis, *, norm_table: pd.DataFrame | None = None):
    """Run the test a hypothesis names (``analyse.soort`` with its parameters).

    ``groei_tegen_norm`` needs a norm: the percentiles in the export, or ``norm_table`` (the
    school's norm table); without either it is *onbeslist* with "geen landelijke norm in deze gegevens".

    Returns a :class:`plgdata.analysis.hypotheses.HypothesisResult` (verdict, evidence, Dutch text).
    """
    from plgdata.analysis import hypotheses as hyp

    kind = (hypothesis.test_kind or "").strip().lower()
    p = dict(hypothesis.test_params or {})
    try:
        if kind == "groepsverschil":
            r = pupil_results(ds, p["vak"], p["periode"], p["schooljaar"], _groepen(p))
            r, col = with_group_column(ds, r, p["kenmerk"], p["periode"], p["schooljaar"], _groepen(p))
            return hyp.group_difference(
                r,
                "z",
                col,
                group_label(col, p["a"]),
                group_label(col, p["b"]),
                min_effect=float(p.get("min_effect", 0.2)),
                expected_direction=p.get("richting", "groter"),
            )
        if kind == "samenhang":
            xname = SUBJECT_LABELS.get(_subject_code(p["vak_x"]), p["vak_x"]).lower()
            yname = SUBJECT_LABELS.get(_subject_code(p["vak_y"]), p["vak_y"]).lower()
            x = pupil_results(ds, p["vak_x"], p["periode"], p["schooljaar"], _groepen(p))[["pupil_id", "z"]]
            y = pupil_results(ds, p["vak_y"], p["periode"], p["schooljaar"], _groepen(p))[["pupil_id", "z"]]
            both = x.rename(columns={"z": xname}).merge(y.rename(columns={"z": yname}), on="pupil_id")
            return hyp.correlation(
                both, xname, yname, min_r=float(p.get("min_r", 0.3)), expected_direction=p.get("richting", "positief")
            )
        if kind == "verschil_in_aandelen":
            r = pupil_results(ds, p["vak"], p["periode"], p["schooljaar"], _groepen(p))
            levels = tuple(p.get("niveaus", LOW_LEVELS))
            r, ind, missing = with_level_indicator(r, levels)
            if missing:
                return hyp.no_data_result(missing, f"het aandeel {ind} per groep te vergelijken")
            r, col = with_group_column(ds, r, p["kenmerk"], p["periode"], p["schooljaar"], _groepen(p))
            return hyp.proportion_difference(
                r,
                ind,
                col,
                group_label(col, p["a"]),
                group_label(col, p["b"]),
                min_diff=float(p.get("min_verschil", 0.10)),
                expected_direction=p.get("richting", "groter"),
            )
        if kind == "groei_tegen_norm":
            g = growth_against_norm(
                ds.scores, p["vak"], p.get("van", "M"), p.get("naar", "E"), p["schooljaar"], _groepen(p), norm_table=norm_table
            )
            return hyp.growth_vs_norm(
                g.values,
                0.0,
                min_diff=float(p.get("min_verschil", 0.1)),
                expected_direction=p.get("richting", "groter"),
                missing_reason=g.note,
            )
    except KeyError as exc:
        raise ValueError(f"Hypothese {hypothesis.id}: parameter {exc} ontbreekt bij de analyse '{kind}'.") from None
    raise ValueError(f"Hypothese {hypothesis.id}: {hyp.analysis_kind_problem(hypothesis.test_kind, p)[1]}")


def result_record(result) -> dict:
    """A hypothesis result as plain values for the cycle record."""
    return {
        "oordeel_volgens_regel": result.verdict,
        "uitleg": result.text_nl,
        "regel": result.rule_nl,
        "bewijs": dict(result.evidence),
    }


# ---------------------------------------------------------------------------
# 08: evaluate a measure
# ---------------------------------------------------------------------------


# ``evaluate_intervention`` and ``comparison_kind`` live in plgdata.analysis.evaluation (imported above):
# notebook 08, the interventie-evaluatie report and the cycle record all use that one function.


# ---------------------------------------------------------------------------
# the cycle record, as the notebooks use it (re-running a notebook is safe)
# ---------------------------------------------------------------------------


def open_cycle(path, *, title: str, leerteam: str, ds: Dataset | None = None, method: str = "datateam"):
    """The cycle record at ``path``; a new one is made (and saved) when there is none yet.

    A new record takes the school and the latest school year from ``ds``.
    """
    from plgdata.cycle import load_cycle, new_cycle, save_cycle

    p = Path(path)
    if p.exists():
        return load_cycle(p)
    school = school_year = None
    if ds is not None and len(ds.scores):
        schools = ds.scores["school"].dropna().astype(str)
        school = schools.iloc[0] if len(schools) else None
        years = sorted(ds.scores["school_year"].dropna().astype(str).unique())
        school_year = years[-1] if years else None
    cycle = new_cycle(method, title=title, leerteam=leerteam, school=school, school_year=school_year)
    save_cycle(cycle, p)
    return cycle


def add_new_hypotheses(cycle, items: list[dict]):
    """Add the hypotheses from a notebook's input cell that the record does not hold yet.

    Each item: ``id``, ``soort`` (verkennend/verklarend), ``stelling``, ``data``,
    ``analyse`` (one of the kinds in this module's docstring), ``parameters``,
    ``beslisregel`` and optionally ``herziet`` (the id of a rejected hypothesis).
    """
    from plgdata.cycle import add_hypothesis

    known = {h.id for h in cycle.hypotheses}
    for it in items:
        if it["id"] in known:
            continue
        add_hypothesis(
            cycle,
            it["id"],
            it["soort"],
            it["stelling"],
            it.get("data"),
            it.get("analyse"),
            it.get("parameters", {}),
            it.get("beslisregel"),
            revises=it.get("herziet"),
        )
    return cycle


def analyse_open_hypotheses(cycle, ds: Dataset) -> pd.DataFrame:
    """Run the test of every hypothesis without a result yet and record it (step 5).

    Returns one row per hypothesis: id, statement, the verdict by the decision rule and
    the Dutch explanation.
    """
    from plgdata.cycle import record_analysis

    rows = []
    for h in cycle.hypotheses:
        if h.id not in cycle.analyses:
            record_analysis(cycle, h.id, result_record(run_hypothesis(ds, h)))
        a = cycle.analyses[h.id]
        rows.append(
            {
                "Hypothese": h.id,
                "Stelling": h.statement,
                "Volgens de beslisregel": a["oordeel_volgens_regel"],
                "Uitleg": a["uitleg"],
            }
        )
    return pd.DataFrame(rows)


def record_team_verdicts(cycle, verdicts: dict[str, tuple[str, str]]):
    """Record the team's verdict and interpretation per hypothesis (step 6).

    ``verdicts`` maps hypothesis id to ``(oordeel, interpretatie)``; an id whose verdict
    the record already holds with the same value is left alone.
    """
    from plgdata.cycle import record_verdict

    for hid, (verdict, interpretation) in verdicts.items():
        have = cycle.verdicts.get(hid)
        if have is not None and have.verdict == verdict:
            continue
        record_verdict(cycle, hid, verdict, interpretation)
    return cycle


def verdict_table(cycle) -> pd.DataFrame:
    """Hypotheses with the rule's verdict, the team's verdict and the interpretation."""
    rows = []
    for h in cycle.hypotheses:
        a = cycle.analyses.get(h.id, {})
        v = cycle.verdicts.get(h.id)
        rows.append(
            {
                "Hypothese": h.id,
                "Soort": h.kind,
                "Stelling": h.statement,
                "Herziet": h.revises or "",
                "Volgens de beslisregel": a.get("oordeel_volgens_regel", ""),
                "Oordeel van het team": v.verdict if v else "",
                "Interpretatie": (v.interpretation or "") if v else "",
            }
        )
    columns = ["Hypothese", "Soort", "Stelling", "Herziet", "Volgens de beslisregel", "Oordeel van het team", "Interpretatie"]
    return pd.DataFrame(rows, columns=columns)


def add_new_measures(cycle, items: list[dict], ds: Dataset):
    """Add the measures from a notebook's input cell that the record does not hold yet (step 7)."""
    from plgdata.cycle import add_measure

    known = {m.id for m in cycle.measures}
    for it in items:
        if it["id"] in known:
            continue
        add_measure(cycle, it["id"], it["omschrijving"], it["interventie"], it.get("hypothese"), interventions=ds.interventions)
    return cycle


def evaluate_measures(cycle, ds: Dataset) -> list:
    """Evaluate the intervention of every measure: ``[(measure, Evaluation), ...]``
    (:func:`plgdata.analysis.evaluation.evaluate_intervention`)."""
    return [(m, evaluate_intervention(ds, m.intervention_id)) for m in cycle.measures]


def evaluation_text(evaluations: list) -> str:
    """What notebook 08 says of the evaluated measures (:func:`evaluate_measures`), in Dutch:
    per measure its summary, or, when the record holds no measure yet, what to do first."""
    if not evaluations:
        return (
            "Er staat nog geen maatregel in het cyclusverslag, dus er is niets te evalueren. Leg eerst in "
            "notebook 07 (stap 7) een maatregel vast bij een interventie uit het interventiesjabloon "
            "(plgdata sjabloon interventies). Of het doel gehaald is, kun je hieronder wel al bekijken."
        )
    parts = [f"Maatregel {m.id} (interventie {m.intervention_id}):\n{ev.summary_nl()}" for m, ev in evaluations]
    return "\n\n".join(parts)


def evaluation_figures(evaluations: list) -> list:
    """The estimation plot of every evaluated measure that has a comparison, ready to show in a
    notebook (PNG with its Dutch alt text); a measure without one has none (its text says why)."""
    from plgdata.plots.estimation import estimation_plot
    from plgdata.plots.style import get_alt_text
    from plgdata.reporting.html import figure

    out = []
    for m, ev in evaluations:
        if ev.result is not None:
            title = f"Maatregel {m.id}: interventie {m.intervention_id}"
            key = _content_key(title, ev.result)
            if key is None or key not in _FIGURES:
                fig = estimation_plot(ev.result, title=title).figure
                shown = figure(fig, get_alt_text(fig))
                if key is None:
                    out.append(shown)
                    continue
                if len(_FIGURES) > 16:
                    _FIGURES.clear()
                _FIGURES[key] = shown
            out.append(_FIGURES[key])
    return out


#: estimation plots already drawn in this process, by what they show (0.3 s each: ``plgdata app``
#: draws step 8's before the page is opened, :func:`plgdata.app.warm_page`)
_FIGURES: dict = {}


def _content_key(*parts) -> str | None:
    """A digest of what a figure is drawn from (``None`` when it cannot be pickled: then it is drawn each time)."""
    import hashlib
    import pickle

    try:
        return hashlib.sha256(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    except Exception:  # noqa: BLE001 - anything unpicklable is simply not remembered
        return None


def evaluation_record(measure, evaluation) -> dict:
    """One evaluated measure as plain values for the cycle record
    (:func:`plgdata.cycle.evaluation_entry`: design, effect, interval and verdict)."""
    from plgdata.cycle import evaluation_entry

    return evaluation_entry(measure, evaluation)


__all__ = [
    "GROUP_VALUE_LABELS",
    "Metric",
    "add_new_hypotheses",
    "add_new_measures",
    "analyse_open_hypotheses",
    "comparison_kind",
    "evaluate_intervention",
    "evaluate_measures",
    "evaluation_figures",
    "evaluation_record",
    "evaluation_text",
    "load_into_workdir",
    "open_cycle",
    "open_workdir",
    "pupil_results",
    "record_team_verdicts",
    "result_record",
    "run_hypothesis",
    "school_overview",
    "share_low_levels",
    "verdict_table",
]
