"""Data quality: datateam step 4 (*Datakwaliteit*).

:func:`check_quality` takes the canonical tables and returns one tidy DataFrame of
findings, one row per finding: ``severity`` (``fout`` / ``waarschuwing`` / ``info``),
``code`` (a stable English key for programs and tests), ``check`` (Dutch name),
``count``, ``message`` (Dutch explanation a teacher reads) and ``examples`` (where to
look: file and row, pseudonym only — never a name or pupil number).

Each check is a small function ``_check_<name>(ctx) -> list[dict]`` so that a new check
is one new function added to :data:`CHECKS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from plgdata.io.dialects import month_periods_of
from plgdata.model import loadreport as lr
from plgdata.model.dataset import Dataset
from plgdata.model.labels import fmt_pct
from plgdata.model.loadreport import LoadReport
from plgdata.model.vocabulary import CONTINUOUS_SCALES, PLAUSIBLE_RANGES, SUBJECT_LABELS, scale_family

FINDING_COLUMNS = ("severity", "code", "check", "count", "message", "examples")
SEVERITY_ORDER = {"fout": 0, "waarschuwing": 1, "info": 2}

MIN_GROUP_SIZE = 10
MIN_COVERAGE = 0.90
MIN_COHORTS = 3
ROBUST_Z = 5.0


@dataclass
class _Context:
    scores: pd.DataFrame
    pupils: pd.DataFrame
    interventions: pd.DataFrame
    participation: pd.DataFrame
    max_examples: int
    min_group_size: int
    report: LoadReport | None = None


def _subject(s: str) -> str:
    return SUBJECT_LABELS.get(str(s), str(s))


def _where(rows: pd.DataFrame, n: int) -> list[str]:
    """``['cito_rw_2024-2025.csv regel 12 (L-0a1b2c3d4e)', ...]`` for the first n rows."""
    out = []
    for f, r, p in rows[["source_file", "source_row", "pupil_id"]].head(n).itertuples(index=False):
        out.append(f"{f} regel {r} ({p})")
    return out


def _finding(severity, code, check, count, message, examples=()) -> dict:
    return {
        "severity": severity,
        "code": code,
        "check": check,
        "count": int(count),
        "message": message,
        "examples": list(examples),
    }


# ---------------------------------------------------------------------------
# the checks
# ---------------------------------------------------------------------------


def _check_duplicates(ctx: _Context) -> list[dict]:
    key = ["pupil_id", "subject", "scale", "school_year", "moment"]
    # the records of one export row (a Leerling in beeld row's niveau and referentieniveau) are one result
    s = ctx.scores.drop_duplicates([*key, "source_file", "source_row"])
    dup = s[s.duplicated(key, keep=False) & s["moment"].notna()]
    if dup.empty:
        return []
    n_pairs = dup.groupby(key, observed=True).ngroups
    return [
        _finding(
            "waarschuwing",
            "duplicate_results",
            "Dubbele resultaten",
            n_pairs,
            f"{n_pairs} keer heeft een leerling twee of meer verschillende resultaten voor hetzelfde vak, "
            "dezelfde toets en hetzelfde moment in één schooljaar (bijvoorbeeld een herkansing of een "
            "dubbele invoer). Kies in het leerlingvolgsysteem welke telt; in analyses telt nu het laatste.",
            _where(dup.sort_values(key), ctx.max_examples),
        )
    ]


def _check_plausible_range(ctx: _Context) -> list[dict]:
    s = ctx.scores[ctx.scores["score"].notna()]
    if s.empty:
        return []
    scale = s["scale"].astype("string")
    lo = scale.map({k: v[0] for k, v in PLAUSIBLE_RANGES.items()}).astype("Float64")
    hi = scale.map({k: v[1] for k, v in PLAUSIBLE_RANGES.items()}).astype("Float64")
    outside_fixed = ((s["score"] < lo) | (s["score"] > hi)).fillna(False).astype(bool)
    # robust outliers within subject x scale x moment (median +- ROBUST_Z * 1.4826 MAD)
    grp = s.groupby(["subject", "scale", "moment"], observed=True)["score"]
    med = grp.transform("median")
    mad = (s["score"] - med).abs().groupby([s["subject"], s["scale"], s["moment"]], observed=True).transform("median")
    robust_sd = 1.4826 * mad
    outside_robust = ((s["score"] - med).abs() > ROBUST_Z * robust_sd) & (robust_sd > 0) & (grp.transform("size") >= 20)
    bad = s[outside_fixed | outside_robust.fillna(False).astype(bool)]
    if bad.empty:
        return []
    per_scale = ", ".join(f"{sc}: {n}" for sc, n in bad.groupby("scale", observed=True).size().items() if n)
    return [
        _finding(
            "waarschuwing",
            "implausible_score",
            "Onwaarschijnlijke scores",
            len(bad),
            f"{len(bad)} scores liggen ver buiten wat bij hun toetsschaal past ({per_scale}). "
            "Controleer of de score goed is overgenomen (een tikfout, of een score van een andere toetsversie).",
            _where(bad, ctx.max_examples),
        )
    ]


def _check_mixed_scales(ctx: _Context) -> list[dict]:
    s = ctx.scores[ctx.scores["score"].notna()]
    if s.empty:
        return []
    out = []
    # the DMT cards of one version are parallel results of one sitting: one version (per distinct scale)
    scale = s["scale"].astype("category")
    lut = np.array([scale_family(c) for c in scale.cat.categories] + [""], dtype=object)
    s = s.assign(version=lut[np.asarray(scale.cat.codes)])
    per_subject = s.groupby("subject", observed=True)["version"].nunique()
    for subject in per_subject[per_subject > 1].index:
        sub = s[s["subject"] == subject]
        # a scale break matters where one pupil has results on two test versions in one subject
        scales_per_pupil = sub.groupby("pupil_id", observed=True)["version"].nunique()
        affected = int((scales_per_pupil > 1).sum())
        years = (
            sub.groupby("scale", observed=True)["school_year"]
            .agg(lambda x: ", ".join(sorted(str(v) for v in x.dropna().unique())))
            .to_dict()
        )
        desc = "; ".join(f"{sc} ({yrs})" for sc, yrs in years.items())
        ex = sub[sub["pupil_id"].isin(scales_per_pupil[scales_per_pupil > 1].index)]
        out.append(
            _finding(
                "fout" if affected else "waarschuwing",
                "mixed_scales",
                "Verschillende toetsschalen binnen één vak",
                affected,
                f"{_subject(subject)} is gemeten op meer dan één schaal: {desc}. "
                + (
                    f"Voor {affected} leerlingen liggen resultaten op verschillende schalen; leerwinst tussen "
                    "die schalen wordt niet berekend, want scores van verschillende toetsversies of leveranciers "
                    "kun je niet van elkaar aftrekken of vergelijken."
                    if affected
                    else "Geen leerling heeft resultaten op twee van deze schalen, dus er wordt geen leerwinst "
                    "tussen schalen berekend; vergelijk gemiddelden van verschillende schalen niet met elkaar."
                ),
                _where(ex.sort_values(["pupil_id", "date"]), ctx.max_examples),
            )
        )
    return out


def _check_moment_date(ctx: _Context) -> list[dict]:
    """Moments that do not fit their test date, by the test windows of the scale's own system
    (IEP: M from late November; Cito: M December-March) with a month of slack at each edge;
    continuously normed scales always fit."""
    s = ctx.scores[ctx.scores["date"].notna() & ctx.scores["period"].notna()]
    s = s[~s["scale"].astype("string").isin(CONTINUOUS_SCALES)]
    if s.empty:
        return []
    month = s["date"].dt.month.to_numpy()
    period = s["period"].astype("string").to_numpy(dtype=object)
    scale = s["scale"].astype("string").fillna("").to_numpy(dtype=object)
    ok = np.zeros(len(s), dtype=bool)
    for sc in pd.unique(scale):
        w = month_periods_of(sc)
        # a month of slack at each edge of a window: a test taken a little early or late still fits
        fits = {(m, p) for m in range(1, 13) for p in (w[m], w[(m - 2) % 12 + 1], w[m % 12 + 1]) if p}
        here = np.flatnonzero(scale == sc)
        ok[here] = [(m, p) in fits for m, p in zip(month[here].tolist(), period[here].tolist())]
    bad = s[~ok]
    if bad.empty:
        return []
    return [
        _finding(
            "waarschuwing",
            "moment_date_mismatch",
            "Moment past niet bij de afnamedatum",
            len(bad),
            f"Bij {len(bad)} resultaten past het toetsmoment niet bij de afnamedatum volgens de toetsvensters van "
            "het toetssysteem, met een maand speling (Cito: M december–maart, E april–juli, B augustus–november; "
            "IEP: M vanaf eind november). De normen gelden dan niet goed: controleer datum en moment.",
            _where(bad, ctx.max_examples),
        )
    ]


def _check_test_level(ctx: _Context) -> list[dict]:
    s = ctx.scores[ctx.scores["groep"].notna() & ctx.scores["test_level"].notna()]
    bad = s[s["groep"] != s["test_level"]]
    if bad.empty:
        return []
    return [
        _finding(
            "info",
            "test_level_differs",
            "Toets van een ander niveau dan de groep",
            len(bad),
            f"{len(bad)} resultaten komen van een toets van een ander niveau dan de groep van de leerling "
            "(bijvoorbeeld M5 gemaakt in groep 6). Dat kan terecht zijn (een aangepaste leerlijn), maar "
            "tel deze leerlingen apart bij groepsgemiddelden.",
            _where(bad, ctx.max_examples),
        )
    ]


def _check_no_groep(ctx: _Context) -> list[dict]:
    bad = ctx.scores[ctx.scores["groep"].isna()]
    if bad.empty:
        return []
    n_pupils = bad["pupil_id"].nunique()
    return [
        _finding(
            "waarschuwing",
            "no_groep",
            "Leerlingen zonder groep",
            n_pupils,
            f"{n_pupils} leerlingen hebben resultaten zonder groep ({len(bad)} resultaten). "
            "Zij tellen niet mee in groepsoverzichten.",
            _where(bad, ctx.max_examples),
        )
    ]


#: results without a field every analysis needs: (column, code, check, why and what to do)
_MISSING_FIELDS = (
    (
        "school_year",
        "no_school_year",
        "Resultaten zonder schooljaar",
        "hebben geen schooljaar: het bestand noemt geen afnamedatum en geen schooljaar (in de titel of de "
        "bestandsnaam). Zij tellen niet mee in trends en cohorten. Zet het schooljaar in de bestandsnaam "
        '(bijvoorbeeld "groep5_2024-2025.csv") of in een koppelbestand (schooljaar: "2024-2025").',
    ),
    (
        "moment",
        "no_moment",
        "Resultaten zonder toetsmoment",
        "hebben geen toetsmoment (zoals M5 of E5): het bestand noemt geen moment, en de afnamedatum of de groep "
        "ontbreekt of valt buiten de toetsvensters. Zij tellen niet mee in groepsoverzichten, leerwinst en "
        "trends. Het inleesverslag zegt per bestand waarom.",
    ),
)


def _check_missing_fields(ctx: _Context) -> list[dict]:
    """Results loaded without a school year or a moment: said, never counted as complete."""
    out = []
    for column, code, check, why in _MISSING_FIELDS:
        bad = ctx.scores[ctx.scores[column].isna()]
        if len(bad):
            text = f"{len(bad)} resultaten ({bad['pupil_id'].nunique()} leerlingen) {why}"
            out.append(_finding("waarschuwing", code, check, len(bad), text, _where(bad, ctx.max_examples)))
    return out


def coverage(scores: pd.DataFrame) -> pd.DataFrame:
    """Share of pupils tested per school year x groep x period x subject.

    The pupils of a groep in a school year are those with any result in that year and
    groep; ``tested`` counts those with a result for the subject at that period.
    """
    s = scores[scores["groep"].notna() & scores["school_year"].notna() & scores["period"].notna()]
    known = s.groupby(["school_year", "groep"], observed=True)["pupil_id"].nunique().rename("pupils")
    tested = s.groupby(["school_year", "groep", "period", "subject"], observed=True)["pupil_id"].nunique().rename("tested")
    out = tested.reset_index().merge(known.reset_index(), on=["school_year", "groep"], how="left")
    out["share"] = out["tested"] / out["pupils"]
    return out


def _check_coverage(ctx: _Context) -> list[dict]:
    cov = coverage(ctx.scores)
    if cov.empty:
        return []
    low = cov[cov["share"] < MIN_COVERAGE].sort_values("share")
    overall = cov["tested"].sum() / cov["pupils"].sum()
    out = [
        _finding(
            "info",
            "coverage",
            "Dekking per moment",
            len(cov),
            f"Gemiddeld is {fmt_pct(overall)} van de leerlingen getoetst per vak en moment "
            f"({len(cov)} combinaties van schooljaar, groep, moment en vak).",
        )
    ]
    if not low.empty:
        ex = [
            f"{r.school_year} groep {r.groep} {r.period} {_subject(r.subject)}: {fmt_pct(r.share)} ({r.tested} van {r.pupils})"
            for r in low.head(ctx.max_examples).itertuples()
        ]
        out.append(
            _finding(
                "waarschuwing",
                "low_coverage",
                "Lage dekking",
                len(low),
                f"Bij {len(low)} combinaties van schooljaar, groep, moment en vak is minder dan "
                f"{fmt_pct(MIN_COVERAGE)} van de leerlingen getoetst. Een groepsgemiddelde zegt dan minder: "
                "wie ontbreekt er, en waarom?",
                ex,
            )
        )
    return out


def _check_small_groups(ctx: _Context) -> list[dict]:
    """Class results of a test at the groep's own level that rest on fewer than ``min_group_size`` pupils.

    The few pupils of a class who took the test of another level (an M5 in groep 6) are no
    group result of their own: ``_check_test_level`` reports them.  Counting them here made
    every class with one such pupil a "small group" (2,004 warnings for a school of 108
    classes, none of them a real small class).
    """
    s = ctx.scores[ctx.scores["class_name"].notna()]
    s = s[~(s["groep"].notna() & s["test_level"].notna() & (s["groep"] != s["test_level"])).fillna(False)]
    if s.empty:
        return []
    n = s.groupby(["school_year", "class_name", "subject", "moment"], observed=True)["pupil_id"].nunique()
    small = n[n < ctx.min_group_size].reset_index(name="n")
    if small.empty:
        return []
    ex = [
        f"{r.school_year} {r.class_name} {_subject(r.subject)} {r.moment}: {r.n} leerlingen"
        for r in small.head(ctx.max_examples).itertuples()
    ]
    return [
        _finding(
            "waarschuwing",
            "small_groups",
            "Kleine groepen",
            len(small),
            f"{len(small)} groepsresultaten rusten op minder dan {ctx.min_group_size} leerlingen. "
            "Cito noemt groepsrapporten van zulke kleine groepen onbetrouwbaar: trek er geen conclusies uit "
            "zonder meer gegevens.",
            ex,
        )
    ]


def _check_cohorts(ctx: _Context) -> list[dict]:
    s = ctx.scores[ctx.scores["school_year"].notna()]
    if s.empty:
        return []
    years = s.groupby("subject", observed=True)["school_year"].nunique()
    few = years[years < MIN_COHORTS]
    if few.empty:
        return []
    ex = [f"{_subject(sub)}: {n} schooljaar/-jaren" for sub, n in few.items()]
    return [
        _finding(
            "info",
            "few_cohorts",
            "Te weinig jaren voor een trend",
            len(few),
            f"Voor {len(few)} vakken zijn er minder dan {MIN_COHORTS} schooljaren. Eén of twee jaren "
            "zijn geen trend: de inspectie en de datateammethode kijken naar drie cohorten.",
            ex,
        )
    ]


def _check_participation(ctx: _Context) -> list[dict]:
    part = ctx.participation
    if part is None or part.empty:
        return []
    out = []
    known = set(ctx.scores["pupil_id"].astype("string").dropna()) | set(ctx.pupils["pupil_id"].astype("string").dropna())
    unknown = part[~part["pupil_id"].astype("string").isin(known)]
    if not unknown.empty:
        ex = [f"{r.intervention_id}: {r.pupil_id}" for r in unknown.head(ctx.max_examples).itertuples()]
        out.append(
            _finding(
                "fout",
                "participation_unknown_pupil",
                "Deelname van onbekende leerlingen",
                len(unknown),
                f"{len(unknown)} deelnames horen bij leerlingen die in geen enkel toetsbestand of "
                "leerlingbestand voorkomen. Klopt het leerlingnummer in het interventiebestand?",
                ex,
            )
        )
    if ctx.interventions is not None and not ctx.interventions.empty:
        merged = part.merge(
            ctx.interventions[["intervention_id", "start", "end"]].rename(columns={"start": "i_start", "end": "i_end"}),
            on="intervention_id",
            how="left",
        )
        outside = merged[
            (
                (merged["start"] < merged["i_start"])
                | (merged["end"] > merged["i_end"])
                | (merged["end"] < merged["i_start"])
                | (merged["start"] > merged["i_end"])
            )
            .fillna(False)
            .astype(bool)
        ]
        if not outside.empty:
            ex = [f"{r.intervention_id}: {r.pupil_id}" for r in outside.head(ctx.max_examples).itertuples()]
            out.append(
                _finding(
                    "waarschuwing",
                    "participation_outside_dates",
                    "Deelname buiten de looptijd van de interventie",
                    len(outside),
                    f"{len(outside)} deelnames beginnen of eindigen buiten de start- en einddatum van hun "
                    "interventie. Controleer de data: de evaluatie kiest voor- en nameting op grond van deze datums.",
                    ex,
                )
            )
        missing = part[~part["intervention_id"].isin(ctx.interventions["intervention_id"])]
        if not missing.empty:
            out.append(
                _finding(
                    "fout",
                    "participation_unknown_intervention",
                    "Deelname aan een onbekende interventie",
                    len(missing),
                    f"{len(missing)} deelnames noemen een interventie-id dat niet in de interventietabel staat.",
                    sorted(set(missing["intervention_id"].astype(str)))[: ctx.max_examples],
                )
            )
    return out


def _check_nothing_loaded(ctx: _Context) -> list[dict]:
    """No result at all: the data cannot be complete, whatever else is checked."""
    if len(ctx.scores):
        return []
    rep = ctx.report
    read = f" ({rep.rows_read} regels gelezen, 0 ingelezen)" if rep is not None and rep.rows_read else ""
    return [
        _finding(
            "fout",
            "niets_ingelezen",
            "Ingelezen gegevens",
            0,
            f"Er zijn geen toetsresultaten ingelezen{read}. Bekijk het inleesverslag: daar staat per bestand "
            "waarom regels niet zijn ingelezen.",
        )
    ]


#: set-aside rows that hold no data (not mentioned), and those that hold no result to read (info only)
_NOT_DATA = {lr.REASON_SUMMARY, lr.REASON_EMPTY, lr.REASON_REPEATED_HEADER, lr.REASON_EXAMPLE_ROW}
_NOT_READ_BUT_FINE = {lr.REASON_NO_RESULT, lr.REASON_DUPLICATE}


def _check_set_aside(ctx: _Context) -> list[dict]:
    """Rows of the exports that were set aside or files that could not be read: say what and why."""
    rep = ctx.report
    if rep is None:
        return []
    out = []
    reasons = sorted(((r, n) for r, n in rep.set_aside_reasons.items() if r not in _NOT_DATA), key=lambda kv: (-kv[1], kv[0]))
    if reasons:
        n_aside = sum(n for _, n in reasons)
        unread = any(r not in _NOT_READ_BUT_FINE for r, _ in reasons)
        why = "; ".join(f"{n}× {reason}" for reason, n in reasons)
        n_no_data = sum(n for r, n in rep.set_aside_reasons.items() if r in _NOT_DATA)
        if n_no_data:  # so the count adds up to the load report's
            why += f". Daarnaast {n_no_data} regel(s) zonder leerlinggegevens (samenvattingsregels, lege regels, herhaalde kopregels, voorbeeldregels)"
        out.append(
            _finding(
                "waarschuwing" if unread else "info",
                "regels_apart",
                "Ingelezen gegevens",
                n_aside,
                f"{n_aside} van de {rep.rows_read} gelezen regels zijn apart gezet en niet ingelezen: {why}.",
                [f.source for f in rep.files if f.rows_set_aside][: ctx.max_examples],
            )
        )
    if rep.errors:
        out.append(
            _finding(
                "fout",
                "bestand_niet_gelezen",
                "Ingelezen gegevens",
                len(rep.errors),
                f"{len(rep.errors)} bestand(en) konden niet worden ingelezen.",
                rep.errors[: ctx.max_examples],
            )
        )
    out.extend(_note_findings(ctx))
    return out


#: load-report notes that are findings: (how the note begins, code, check, Dutch message)
_NOTE_FINDINGS = (
    (
        lr.NOTE_SCALE_ASSUMED,
        "schaal_aangenomen",
        "Schaal",
        "In deze bestanden staat geen toetsversie; de schaal is aangenomen. Controleer de toetsversie "
        "(bijvoorbeeld Cito 3.0 of 2.0) en geef hem zo nodig op in een koppelbestand (schaal: ...).",
    ),
    (
        lr.NOTE_TWO_NAMES,
        "nummer_twee_namen",
        "Leerlingnummers",
        "In deze bestanden staat één leerlingnummer bij twee verschillende namen; die resultaten zijn als "
        "één leerling ingelezen. Controleer de nummers in het leerlingvolgsysteem (de regels staan in het "
        "inleesverslag).",
    ),
)


def _note_findings(ctx: _Context) -> list[dict]:
    """Load-report notes that are findings (a warning naming the files): an assumed scale, one pupil number with two names."""
    out = []
    for prefix, code, check, message in _NOTE_FINDINGS:
        files = [f.source for f in ctx.report.files if any(n.startswith(prefix) for n in f.notes)]
        if files:
            out.append(_finding("waarschuwing", code, check, len(files), message, files[: ctx.max_examples]))
    return out


CHECKS = (
    _check_nothing_loaded,
    _check_set_aside,
    _check_duplicates,
    _check_plausible_range,
    _check_mixed_scales,
    _check_moment_date,
    _check_test_level,
    _check_no_groep,
    _check_missing_fields,
    _check_coverage,
    _check_small_groups,
    _check_cohorts,
    _check_participation,
)


def check_quality(
    data: Dataset | pd.DataFrame,
    *,
    pupils: pd.DataFrame | None = None,
    interventions: pd.DataFrame | None = None,
    participation: pd.DataFrame | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    max_examples: int = 5,
) -> pd.DataFrame:
    """Run every data-quality check of datateam step 4 on the canonical tables.

    Parameters
    ----------
    data : Dataset or DataFrame
        A :class:`~plgdata.model.dataset.Dataset`, or the canonical ``scores`` table.
    pupils, interventions, participation : DataFrame, optional
        The other canonical tables when ``data`` is a scores table.
    min_group_size : int
        Groups below this size are reported (Cito: below 10 pupils a group report is unreliable).
    max_examples : int
        At most this many examples per finding.

    Returns
    -------
    DataFrame
        One row per finding with columns ``severity``, ``code``, ``check``, ``count``,
        ``message``, ``examples``; sorted with errors first.  Empty when all is well.
    """
    if isinstance(data, Dataset):
        scores, pupils, interventions, participation = data.scores, data.pupils, data.interventions, data.participation
    else:
        scores = data
    empty = Dataset()
    ctx = _Context(
        scores=scores,
        pupils=pupils if pupils is not None else empty.pupils,
        interventions=interventions if interventions is not None else empty.interventions,
        participation=participation if participation is not None else empty.participation,
        max_examples=max_examples,
        min_group_size=min_group_size,
        report=data.report if isinstance(data, Dataset) else None,
    )
    rows: list[dict] = []
    for check in CHECKS:
        rows.extend(check(ctx))
    out = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    if not out.empty:
        out = out.sort_values("severity", key=lambda s: s.map(SEVERITY_ORDER), kind="stable").reset_index(drop=True)
    return out


def findings_to_text(findings: pd.DataFrame) -> str:
    """The findings as Dutch text for the command line."""
    if findings.empty:
        return "Geen bevindingen: de gegevens zien er compleet en consistent uit."
    lines = []
    for r in findings.itertuples():
        lines.append(f"[{r.severity.upper()}] {r.check} ({r.count}): {r.message}")
        for ex in r.examples:
            lines.append(f"    - {ex}")
    return "\n".join(lines)


__all__ = ["check_quality", "coverage", "findings_to_text", "PLAUSIBLE_RANGES"]
