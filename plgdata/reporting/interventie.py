"""The *Interventie-evaluatie*: the verdict of :func:`plgdata.analysis.evaluation.evaluate_intervention`,
the design and why, both intervals, baseline equivalence, regression to the mean, the MDE."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plgdata.analysis.evaluation import Evaluation, evaluate_intervention
from plgdata.analysis.frames import CONTROL, TREATMENT
from plgdata.model.dataset import Dataset
from plgdata.model.labels import COMPARISON_LABELS, fmt_num, label, report_columns
from plgdata.model.vocabulary import MIN_N
from plgdata.plots.estimation import estimation_plot
from plgdata.reporting import memo
from plgdata.reporting.common import ReportFigure, effect_in_points, plural, report_figure, subject_name
from plgdata.reporting.suppression import suppress_complement

__all__ = ["InterventionEvaluation", "intervention_evaluation"]

#: what the description table shows of the intervention, in this order
_DESCRIPTION = ("name", "description", "leerteam", "subject", "groepen", "start", "end", "minutes_per_week")
_ESTIMATE_COLUMNS = ["estimate", "value", "ci_low", "ci_high", "boot_low", "boot_high"]
NAN2 = (math.nan, math.nan)


@dataclass
class InterventionEvaluation:
    """Everything the *Interventie-evaluatie* of one intervention shows."""

    intervention_id: str
    title: str
    kernboodschap: list[str]
    tone: str
    verdict: str  # CompareResult.verdict key ("te weinig leerlingen", "positief", ...)
    description: pd.DataFrame  # what the intervention was (user text; escaped by html.table)
    design_text: list[str]  # the design and why
    result: object | None  # CompareResult (None when no frame could be built)
    one_group: object | None  # CompareResult of the one-group analysis (naive gain vs RTM)
    info: dict
    groups: pd.DataFrame  # group, n, pre mean, post mean, gain
    estimates: pd.DataFrame  # Schatting, value, ci_low, ci_high, Bootstrap-BI
    rtm: pd.DataFrame  # naive gain vs honest estimate (RT group)
    estimation_figure: ReportFigure | None
    notes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    min_n: int = MIN_N
    units: pd.DataFrame = field(default_factory=pd.DataFrame)  # per class (or groep x year): arm, n, adjusted mean


def _description(row: pd.DataFrame) -> pd.DataFrame:
    rows = []
    if len(row):
        r = row.iloc[0]
        for col in _DESCRIPTION:
            v = r[col]
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                continue
            if hasattr(v, "strftime"):
                v = v.strftime("%d-%m-%Y")
            elif col == "subject":
                v = subject_name(v)
            elif col == "minutes_per_week":
                v = fmt_num(v, 0)
            rows.append({"part": label(col), "text": str(v)})
    return report_columns(pd.DataFrame(rows, columns=["part", "text"]))


def _tone(verdict: str) -> str:
    if verdict == "positief":
        return "goed"
    return "let-op" if verdict in ("negatief", "niet vergelijkbaar", "niet te evalueren", "niet te scheiden") else "neutraal"


def _questions(res) -> list[str]:
    q = [
        "Is de interventie uitgevoerd zoals bedoeld (hoe vaak, hoe lang, door wie)?",
        "Wat zagen de leerkrachten in de klas, los van de toetsscores?",
    ]
    if res is not None and res.verdict == "niet te scheiden":
        q.append(
            "Kunnen we de interventie een volgende keer in meer klassen tegelijk invoeren, of in de klassen om de beurt, "
            "zodat we het effect van de interventie kunnen scheiden van dat van de leerkracht?"
        )
    elif res is not None and res.verdict == "te weinig leerlingen":
        q.append("Kunnen we de interventie langer of met meer leerlingen volgen, zodat we wél iets kunnen concluderen?")
    elif res is not None and res.verdict == "positief":
        q.append("Willen we de interventie voortzetten of uitbreiden, en hoe blijven we het effect volgen?")
    else:
        q.append("Stoppen we, passen we de interventie aan, of geven we haar meer tijd?")
    q.append("Welke vergelijkingsgroep zou het eerlijkste beeld geven bij een volgende evaluatie?")
    return q


def _estimation_figure(res) -> ReportFigure | None:
    # the cohort design has one row per pupil and school year: a pupil of two earlier years is two dots
    dots = (
        "Elke stip is één resultaat: een leerling in één schooljaar (wie in meer jaren meetelt, staat er vaker in)"
        if res.design == "cohort"
        else "Elke stip is één leerling"
    )
    return report_figure(
        lambda: estimation_plot(res), f"{dots}; rechts het geschatte verschil met zijn betrouwbaarheidsinterval."
    )


def _estimate_row(lab: str, v, ci, boot=NAN2) -> list[dict]:
    if v is None or not np.isfinite(v):
        return []
    return [{"estimate": lab, "value": float(v), "ci_low": ci[0], "ci_high": ci[1], "boot_low": boot[0], "boot_high": boot[1]}]


def _estimates(res) -> pd.DataFrame:
    rows = _estimate_row(f"Effectgrootte: {res.effect_size_name}", res.headline, res.headline_ci, res.headline_ci_boot)
    per_unit = res.unit != "leerling"
    if per_unit:
        what = "klasgemiddelden" if res.unit == "klas" else "gemiddelden per groep en schooljaar"
        rows += _estimate_row(f"Verschil tussen de {what} (punten)", res.unit_difference, res.unit_difference_ci)
    if res.design == "pre_post_control":
        # with whole classes the pupil-level intervals are too narrow: values only, said in the label
        ci = (lambda v: NAN2) if per_unit else (lambda v: v)
        tail = ", per leerling; alleen ter vergelijking" if per_unit else ""
        rows += _estimate_row(f"Gecorrigeerd verschil, ANCOVA (punten{tail})", res.ancova_difference, ci(res.ancova_ci))
        rows += _estimate_row(
            f"Verschil in leerwinst, verschil-in-verschillen (punten{tail})", res.gain_difference, ci(res.gain_difference_ci)
        )
        rows += _estimate_row(f"Morris d_ppc2 (leerwinst{tail})", res.morris_dppc2, ci(res.morris_dppc2_ci))
        rows += _estimate_row("Verschil op de voormeting (Hedges' g)", res.baseline_g, NAN2)
    rows += _estimate_row("Kleinste aantoonbare effect bij deze aantallen (MDE, sd)", res.mde, NAN2)
    return report_columns(pd.DataFrame(rows, columns=_ESTIMATE_COLUMNS))


def _rtm_table(res, ref) -> pd.DataFrame:
    """The naive gain of the group next to the gain beyond regression to the mean (and ANCOVA)."""
    rows = [
        {
            "estimate": "Naïeve leerwinst van de groep (nameting − voormeting, punten)",
            "value": ref.naive_gain,
            "ci_low": ref.naive_gain_ci[0],
            "ci_high": ref.naive_gain_ci[1],
        },
        {
            "estimate": "Verwachte schijnwinst door regressie naar het gemiddelde (punten)",
            "value": ref.rtm_expected_gain,
            "ci_low": math.nan,
            "ci_high": math.nan,
        },
        {
            "estimate": "Leerwinst boven verwachting (punten)",
            "value": ref.gain_beyond_rtm,
            "ci_low": ref.gain_beyond_rtm_ci[0],
            "ci_high": ref.gain_beyond_rtm_ci[1],
        },
    ]
    if res.design == "pre_post_control":
        rows.append(
            {
                "estimate": "Eerlijke schatting: gecorrigeerd verschil met de vergelijkingsgroep, ANCOVA (punten)",
                "value": res.ancova_difference,
                "ci_low": res.ancova_ci[0],
                "ci_high": res.ancova_ci[1],
            }
        )
    return report_columns(pd.DataFrame(rows))


def _groups_table(frame: pd.DataFrame, min_n: int) -> pd.DataFrame:
    rows = []
    for g, lab in ((TREATMENT, "interventiegroep"), (CONTROL, "vergelijkingsgroep")):
        p = frame[frame["group"] == g]
        if len(p):
            rows.append(
                {
                    "groep_label": lab,
                    "n": len(p),
                    "pre": float(p["pre"].mean()),
                    "post": float(p["post"].mean()),
                    "gain": float((p["post"] - p["pre"]).mean()),
                }
            )
    groups = pd.DataFrame(rows, columns=["groep_label", "n", "pre", "post", "gain"])
    # the two groups together are the groep other reports show: a small group is never that minus the other
    groups = suppress_complement(groups, ["pre", "post", "gain"], min_n=min_n)
    return report_columns(groups)


def _design_text(ev: Evaluation) -> list[str]:
    info, res, nc = ev.info, ev.result, ev.info["n_control"]
    text = [
        (
            f"Voormeting: {info['pre_moment']} ({info['pre_school_year']}); nameting: {info['post_moment']} ({info['post_school_year']}); "
            f"vak {subject_name(info['subject']).lower()}, toetsversie {info['scale']} (alleen scores op dezelfde schaal tellen)."
        ),
        f"Vergeleken met: {COMPARISON_LABELS[info['comparison']]}.",
        info.get("selection_reason", ""),
    ]
    if info.get("unit") == "klas" and nc > 0:
        kt, kc = res.n_units_treatment, res.n_units_control
        text.append(
            f"De interventie ging naar hele klassen. Daarom vergelijken we klassen, geen losse leerlingen: {kt} "
            f"{'klas' if kt == 1 else 'klassen'} met de interventie tegen {kc} {'klas' if kc == 1 else 'klassen'} zonder. "
            "Leerlingen in één klas delen een leerkracht en lijken daardoor op elkaar; elke klas telt als één waarneming "
            "(klasgemiddelden gecorrigeerd voor de voormeting)."
        )
    if nc == 0:
        text.append(
            "Zonder vergelijkingsgroep vergelijken we de groei met de verwachte groei, en houden we rekening met regressie naar het gemiddelde."
        )
    elif res.selection_on_pretest:
        text.append(
            "Omdat de leerlingen op hun voormeting zijn gekozen, is ANCOVA (nameting gecorrigeerd voor de voormeting) de eerlijke schatting "
            "(Van Breukelen 2013). De vergelijking van leerwinst staat ernaast, maar die bevat regressie naar het gemiddelde."
        )
    else:
        text.append(
            "De groepen bestonden al (hele klassen). We tonen ANCOVA en de vergelijking van leerwinst (verschil-in-verschillen) naast elkaar; "
            "verschillen ze, dan komt dat door het verschil tussen de groepen op de voormeting."
        )
    return [t for t in text if t]


def _pupil_groups(ev: Evaluation, iid: str, title: str, description: pd.DataFrame, min_n: int) -> InterventionEvaluation:
    """Two groups or one group, with a pre- and posttest."""
    res, info = ev.result, ev.info
    nt, nc = info["n_treatment"], info["n_control"]
    small = min(nt, nc) < min_n if nc > 0 else nt < min_n
    ref = ev.reference if ev.reference is not None else (res if res.design == "one_group" else None)
    notes = []
    if info.get("n_dropped"):
        notes.append(
            f"{plural(int(info['n_dropped']), 'leerling telt', 'leerlingen tellen')} niet mee (geen voor- of nameting op dezelfde schaal)."
        )
    kern = [res.verdict_nl]
    if not small and ref is not None and np.isfinite(ref.naive_gain):
        kern.append(
            f"De groep ging gemiddeld {fmt_num(ref.naive_gain)} punten vooruit, maar ongeveer {fmt_num(ref.rtm_expected_gain)} punten daarvan "
            "is regressie naar het gemiddelde: laag scorende leerlingen scoren de volgende keer vanzelf wat hoger."
        )
    if not small:
        kern += _size_sentences(ev, nt, nc)
    return InterventionEvaluation(
        iid,
        title,
        kern,
        _tone(res.verdict),
        res.verdict,
        description,
        _design_text(ev),
        res,
        ev.reference,
        info,
        _groups_table(ev.frame, min_n),
        report_columns(pd.DataFrame(columns=_ESTIMATE_COLUMNS)) if small else _estimates(res),
        _rtm_table(res, ref) if ref is not None and not small else pd.DataFrame(),
        None if small or res.n_treatment == 0 else _estimation_figure(res),
        list(dict.fromkeys(notes + list(res.notes))),
        _questions(res),
        min_n,
        _units_table(res, min_n),
    )


def _units_table(res, min_n: int) -> pd.DataFrame:
    """One row per class (or groep x school year): arm, pupils, mean adjusted for the pretest.

    Means of units under ``min_n`` pupils are suppressed by the table (``n`` column).
    """
    if res is None or res.unit == "leerling" or not res.unit_means:
        return pd.DataFrame()
    first = "class_name" if res.unit == "klas" else "unit"
    value = "adjusted_mean" if res.design == "pre_post_control" else "mean_z"
    rows = [
        {first: u, "treated": bool(arm), "n": n, value: m} for u, arm, n, m in sorted(res.unit_means, key=lambda r: (-r[1], r[0]))
    ]
    return report_columns(pd.DataFrame(rows))


def _size_sentences(ev: Evaluation, nt: int, nc: int) -> list[str]:
    """The effect in the test's own points, and the MDE in plain words.

    The MDE sentence never reads as a contradiction of the estimate: it says what the MDE is
    (the effect found 8 times in 10), and whether this estimate lies above or below it.
    """
    res, out = ev.result, []
    labels = ("de interventiegroep", "de vergelijkingsgroep")
    if res.design == "pre_post_control" and nc > 0:
        gains = [float((p["post"] - p["pre"]).mean()) for p in (ev.frame[ev.frame["group"] == g] for g in (TREATMENT, CONTROL))]
        head = f"In punten van de toets: {labels[0]} ging gemiddeld {fmt_num(gains[0])} punten vooruit, {labels[1]} {fmt_num(gains[1])}; "
        diff, ci = effect_in_points(res)
        if res.unit == "leerling":
            head += f"na correctie voor de voormeting (ANCOVA) is het verschil {fmt_num(diff)} punten"
        else:  # whole classes: the interval of the class means (a pupil-level interval would be too narrow)
            head += f"tussen de {'klasgemiddelden' if res.unit == 'klas' else 'gemiddelden'}, gecorrigeerd voor de voormeting, is het verschil {fmt_num(diff)} punten"
        ci_text = f" (95%-BI {fmt_num(ci[0])} tot {fmt_num(ci[1])})" if np.isfinite(ci[0]) and np.isfinite(ci[1]) else ""
        out.append(head + ci_text + ".")
    if not np.isfinite(res.mde):
        return out
    if getattr(res, "unit", "leerling") == "klas":
        who = f"{res.n_units_treatment} + {res.n_units_control} klassen"
    else:
        who = f"{nt} + {nc} leerlingen" if nc else f"{nt} leerlingen"
    text = (
        f"Met {who} is een effect pas vanaf ongeveer {fmt_num(res.mde, 2)} standaardafwijking met redelijke zekerheid aan te "
        "tonen (het kleinste aantoonbare effect, MDE: een echt effect van die grootte vinden we 8 van de 10 keer)."
    )
    if res.verdict in ("positief", "negatief") and abs(res.headline) < res.mde:
        text += (
            f" Deze schatting ({fmt_num(res.headline, 2)}) is kleiner en toch van 0 te onderscheiden: dat kan, maar bij zulke "
            "aantallen valt een herhaling vaak lager uit."
        )
    elif res.verdict not in ("positief", "negatief"):
        text += " Een kleiner effect kan er dus zijn zonder dat deze cijfers het laten zien."
    out.append(text)
    return out


def _cohorts(ev: Evaluation, iid: str, title: str, description: pd.DataFrame, min_n: int) -> InterventionEvaluation:
    """A school-wide approach: the cohorts since the start against the earlier cohorts."""
    res, info, frame = ev.result, ev.info, ev.frame
    start, new, old = info["start_year"], info["years_new"], info["years_old"]
    design_text = [
        f"Schoolbrede aanpak sinds {start}: er is geen vergelijkingsgroep in hetzelfde jaar, want alle leerlingen doen mee.",
        (
            f"Daarom vergelijken we de jaargangen vanaf {start} ({', '.join(new)}) met de jaargangen ervoor ({', '.join(old)}), "
            f"steeds bij dezelfde groep en hetzelfde moment ({', '.join(info['moments'])}), op dezelfde toetsversie."
        ),
        "Per groep is de score omgerekend naar standaardafwijkingen van de eerdere jaargangen (z), zodat groepen samen te nemen zijn.",
        (
            f"Elke groep in één schooljaar (bijvoorbeeld groep 5 in {start}) telt als één waarneming, niet elke leerling: "
            f"een schooljaar heeft zijn eigen leerkracht en omstandigheden. {res.n_units_treatment} groepen per schooljaar "
            f"sinds de start tegen {res.n_units_control} ervoor, vergeleken binnen dezelfde groep."
        ),
    ]
    notes = [
        (
            "Een verschil tussen jaargangen kan ook andere oorzaken hebben (een andere leerkracht, een nieuwe methode, een andere populatie): "
            "dit laat zien óf er iets veranderde, niet zeker waardoor."
        ),
        *res.notes,
    ]
    groups = frame.groupby(["moment", "cohort"], observed=True)["score"].agg(["size", "mean"]).reset_index()
    groups = report_columns(groups.rename(columns={"size": "n"}))
    big = min(res.n_treatment, res.n_control) >= min_n
    estimates = _estimates(res) if big else report_columns(pd.DataFrame(columns=_ESTIMATE_COLUMNS))
    kern = [
        res.verdict_nl,
        "Dit is een vergelijking van jaargangen, geen experiment: andere veranderingen in dezelfde jaren kunnen meespelen.",
    ]
    return InterventionEvaluation(
        iid,
        title,
        kern,
        _tone(res.verdict),
        res.verdict,
        description,
        design_text,
        res,
        None,
        info,
        groups,
        estimates,
        pd.DataFrame(),
        _estimation_figure(res) if res.n_treatment else None,
        list(dict.fromkeys(notes)),
        _questions(res),
        min_n,
        _units_table(res, min_n),
    )


def intervention_evaluation(ds: Dataset, intervention_id: str, **options) -> InterventionEvaluation:
    """The *Interventie-evaluatie* of one intervention (:func:`_evaluation`); within a run of
    reports its numbers are kept for the opbrengstenrapport (:func:`evaluation_numbers`)."""
    ev = _evaluation(ds, intervention_id, **options)
    memo.keep("interventie", ds, (str(intervention_id), sorted(options.items())), dataclasses.replace(ev, estimation_figure=None))
    return ev


def evaluation_numbers(ds: Dataset, intervention_id: str, **options) -> InterventionEvaluation:
    """:func:`intervention_evaluation` without its figure: the interventie-evaluatie report's own result
    when it ran before in the same run of reports (:mod:`plgdata.reporting.memo`), else computed now."""
    found = memo.recall("interventie", ds, (str(intervention_id), sorted(options.items())))
    if found is not None:
        return found
    ev = _evaluation(ds, intervention_id, **options)
    if ev.estimation_figure is not None:
        ev.estimation_figure.close()
    return dataclasses.replace(ev, estimation_figure=None)


def _evaluation(ds: Dataset, intervention_id: str, **options) -> InterventionEvaluation:
    """The *Interventie-evaluatie* of one intervention.

    The design, the comparison and the verdict are those of
    :func:`plgdata.analysis.evaluation.evaluate_intervention`, which gets ``options``
    (``comparison``, ``selection_on_pretest``, ``min_n``, ``n_boot``, ``seed``), so the
    report says what notebook 08 and the cycle record say.  Pupils selected on the
    pretest: ANCOVA is the estimate and the naive gain of the group is shown next to
    the gain beyond regression to the mean.  Whole classes: ANCOVA and the gain-score
    difference side by side.  A school-wide approach: the cohorts since the start
    against the earlier cohorts.  Statistics of groups under ``min_n`` are not shown.
    """
    iid = str(intervention_id)
    row = ds.interventions[ds.interventions["intervention_id"].astype(str) == iid]
    name = str(row["name"].iloc[0]) if len(row) and pd.notna(row["name"].iloc[0]) else iid
    title = f"Interventie-evaluatie: {name}"
    description = _description(row)
    ev = evaluate_intervention(ds, iid, **options)
    min_n = options.get("min_n", MIN_N)
    if ev.design == "cohort":
        return _cohorts(ev, iid, title, description, min_n)
    if ev.design != "none":
        return _pupil_groups(ev, iid, title, description, min_n)
    empty = pd.DataFrame()
    return InterventionEvaluation(
        iid,
        title,
        [ev.verdict_nl],
        _tone(ev.verdict),
        ev.verdict,
        description,
        [],
        None,
        None,
        ev.info,
        empty,
        empty,
        empty,
        None,
        [],
        _questions(None),
        min_n,
    )
