"""Did this intervention work?  The one place that picks the design and calls compare().

:func:`evaluate_intervention` is what notebook 08, the *interventie-evaluatie* report
and the cycle record all use, so every path gives the same verdict.  It picks one of
three designs from the data:

* **two groups** (``"two_group"``): participants against comparison pupils, with a
  pre- and posttest.  Whole classes are compared with their parallel class(es) of the
  same groep **with the class as the unit** (adjusted class means, K − 2 degrees of
  freedom; one class against one gives no verdict); pupils picked from a class (an
  RT-group) with the rest of their groep.
  Pupils selected on their pretest get ANCOVA as the headline, and the one-group
  analysis (naive gain against regression to the mean) alongside.
* **cohorts** (``"cohort"``): a school-wide approach has no comparison pupils in the
  same year; the school years from the start on are compared with the earlier years,
  same groep and moment, each groep standardised on its earlier cohorts, with groep ×
  school year as the unit.
* **one group** (``"one_group"``): participants only, their gain against the
  gain expected from regression to the mean.

When nothing can be evaluated (unknown intervention, no pretest) the design is
``"none"`` and :attr:`Evaluation.message` says why, in Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from plgdata.analysis.compare import CompareResult, compare
from plgdata.analysis.frames import CONTROL, TREATMENT, cohort_frame, intervention_frame
from plgdata.model.dataset import Dataset
from plgdata.model.schema import school_year_of
from plgdata.model.vocabulary import MIN_N

__all__ = [
    "NOT_EVALUABLE",
    "SCHOOLWIDE_SHARE",
    "WHOLE_CLASS_SHARE",
    "Evaluation",
    "comparison_kind",
    "evaluate_intervention",
    "is_schoolwide",
    "whole_class_share",
]

#: verdict key when there is nothing to compare
NOT_EVALUABLE = "niet te evalueren"
#: participants who make up at least this share of their classes: a whole-class intervention
WHOLE_CLASS_SHARE = 0.9
#: participants who make up at least this share of the school's pupils in the subject: school-wide
SCHOOLWIDE_SHARE = 0.9
#: why whole classes are never an RT-group selected on the pretest (item 8 of issue 17)
WHOLE_CLASS_REASON = (
    "De deelnemers zijn hele klassen: niet gekozen op hun voormeting. Een lage voormeting is dan een verschil "
    "tussen klassen, geen selectie; de klassen moeten vooraf vergelijkbaar zijn."
)


@dataclass
class Evaluation:
    """The evaluation of one intervention: the design, the comparison and its frame.

    ``design`` is ``"two_group"``, ``"cohort"``, ``"one_group"`` or ``"none"``;
    ``result`` the :class:`~plgdata.analysis.compare.CompareResult` (``None`` when
    ``design == "none"``); ``reference`` the one-group analysis of an RT-group (its
    naive gain against regression to the mean) next to the two-group result; ``info``
    what :func:`~plgdata.analysis.frames.intervention_frame` tells about the frame,
    plus ``comparison`` (``parallel_class``, ``same_groep``, ``cohort``, ``none``).
    Unpacks as ``result, info`` (as ``evaluate_intervention`` returned before).
    """

    intervention_id: str
    design: str
    result: CompareResult | None
    info: dict
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    reference: CompareResult | None = None
    message: str | None = None

    @property
    def verdict(self) -> str:
        """The verdict key of :func:`~plgdata.analysis.compare.compare` (or ``niet te evalueren``)."""
        return self.result.verdict if self.result is not None else NOT_EVALUABLE

    @property
    def verdict_nl(self) -> str:
        """The verdict as a Dutch sentence."""
        if self.result is None:
            return f"Deze interventie is (nog) niet te evalueren: {self.message}."
        return self.result.verdict_nl

    def summary_nl(self) -> str:
        """Plain-Dutch summary: the verdict first, then the evidence."""
        return self.result.summary_nl() if self.result is not None else self.verdict_nl

    def __iter__(self):
        return iter((self.result, self.info))


def _participants(ds: Dataset, intervention_id: str) -> pd.DataFrame:
    return ds.participation[ds.participation["intervention_id"].astype("string") == str(intervention_id)]


def whole_class_share(ds: Dataset, intervention_id: str) -> float:
    """Share of the pupils of the participants' classes (in the start year) who took part.

    1.0 when whole classes took part; small for an RT-group picked from a class.
    """
    part = _participants(ds, intervention_id)
    ids = set(part["pupil_id"].astype(str))
    s = ds.scores
    start = part["start"].min()
    if pd.isna(start):
        row = ds.interventions.loc[ds.interventions["intervention_id"].astype(str) == str(intervention_id), "start"]
        start = row.iloc[0] if len(row) else start
    year = None
    if pd.notna(start):
        years = s.loc[s["date"] <= start, "school_year"].dropna()
        year = years.iloc[-1] if len(years) else None
    cur = s[s["school_year"] == year] if year else s
    members = cur[cur["pupil_id"].astype(str).isin(ids)]
    classes = set(members["class_name"].dropna().astype(str))
    if not classes:
        return 0.0
    in_classes = cur[cur["class_name"].astype("string").isin(classes)]["pupil_id"].astype(str).nunique()
    return len(ids & set(members["pupil_id"].astype(str))) / in_classes if in_classes else 0.0


def comparison_kind(ds: Dataset, intervention_id: str) -> str:
    """``parallel_class`` when the participants are (almost) whole classes, else ``same_groep``.

    A whole-class intervention is compared with the parallel class(es) of the same
    groep; pupils picked from a class (an RT-group) with the rest of their groep.
    """
    return "parallel_class" if whole_class_share(ds, intervention_id) >= WHOLE_CLASS_SHARE else "same_groep"


def _start_year(ds: Dataset, intervention_id: str) -> str | None:
    start = ds.interventions.loc[ds.interventions["intervention_id"].astype(str) == str(intervention_id), "start"]
    if len(start) and pd.notna(start.iloc[0]):
        return str(school_year_of(start).iloc[0])
    return None


def is_schoolwide(ds: Dataset, intervention_id: str, subject: str) -> bool:
    """True when (almost) every pupil with a result in ``subject`` in the start year took part."""
    part = set(_participants(ds, intervention_id)["pupil_id"].astype(str))
    s = ds.scores[ds.scores["subject"].astype(str) == str(subject)]
    year = _start_year(ds, intervention_id)
    if year:
        s = s[s["school_year"].astype(str) == year]
    pupils = set(s["pupil_id"].astype(str))
    return bool(pupils) and len(pupils & part) / len(pupils) >= SCHOOLWIDE_SHARE


def _cohort_frames(ds: Dataset, subject: str, new: list[str], old: list[str]) -> list[pd.DataFrame]:
    """Per groep the first moment (E, else M) with earlier and later cohorts, in z of the earlier ones."""
    frames = []
    for groep in range(1, 9):
        for period in ("E", "M"):
            try:
                f, _ = cohort_frame(ds, subject, groep, period, new, old)
            except ValueError:
                continue
            base = f.loc[f["cohort"] == "eerder", "score"]
            if len(base) < 2 or not np.isfinite(base.std()) or base.std() == 0:
                continue
            frames.append(f.assign(z=(f["score"] - base.mean()) / base.std(), groep=groep, moment=f"{period}{groep}"))
            break
    return frames


def _cohort_evaluation(ds: Dataset, iid: str, info: dict, **kw) -> Evaluation:
    """Same groep and moment, school years from the start on ("nieuw") against the earlier
    years ("eerder"); each groep standardised on its earlier cohorts (z = (score − mean
    earlier) / sd earlier) so the groepen can be pooled."""
    subject = str(info["subject"])
    start_year = _start_year(ds, iid)
    s = ds.scores
    years = sorted(s.loc[s["subject"].astype(str) == subject, "school_year"].dropna().astype(str).unique())
    new = [y for y in years if start_year and y >= start_year]
    old = [y for y in years if start_year and y < start_year]
    frames = _cohort_frames(ds, subject, new, old) if new and old else []
    info = {**info, "comparison": "cohort", "years_new": new, "years_old": old, "start_year": start_year}
    if not frames:
        msg = "er zijn geen eerdere en latere jaargangen op dezelfde toetsversie"
        return Evaluation(iid, "none", None, info, message=msg)
    frame = pd.concat(frames, ignore_index=True)
    new_label, old_label = f"het cohort sinds {start_year}", "de eerdere cohorten"
    frame["cohort"] = frame["cohort"].map({"nieuw": new_label, "eerder": old_label})
    frame["unit"] = frame["moment"].astype(str) + " " + frame["school_year"].astype(str)
    res = compare(
        frame, "z", "cohort", new_label, old_label, design="cohort", cluster="unit", block="groep", unit="jaargroep", **kw
    )
    info.update(
        n_treatment=res.n_treatment,
        n_control=res.n_control,
        moments=sorted(frame["moment"].unique()),
        unit="jaargroep",
        n_units_treatment=res.n_units_treatment,
        n_units_control=res.n_units_control,
    )
    return Evaluation(iid, "cohort", res, info, frame)


def _participants_by_groep(ds: Dataset, intervention_id: str) -> dict[int, set[str]]:
    """The participants per groep they were in during the start year."""
    ids = set(_participants(ds, intervention_id)["pupil_id"].astype(str))
    s = ds.scores[ds.scores["pupil_id"].astype(str).isin(ids) & ds.scores["groep"].notna()]
    year = _start_year(ds, intervention_id)
    if year:
        s = s[s["school_year"].astype(str) == year]
    groep = s.groupby(s["pupil_id"].astype(str))["groep"].agg(lambda v: int(v.mode().iloc[0]))
    out: dict[int, set[str]] = {}
    for pid, g in groep.items():
        out.setdefault(int(g), set()).add(pid)
    return out


def _frame(ds: Dataset, iid: str, comparison: str, whole: bool) -> tuple[pd.DataFrame, dict]:
    """The intervention frame; whole classes in several groepen get one frame per groep (each its own
    pre- and posttest moment, compared with the parallel classes of that groep), stacked."""
    by_groep = _participants_by_groep(ds, iid) if whole and comparison == "parallel_class" else {}
    if len(by_groep) < 2:
        return intervention_frame(ds, iid, comparison=comparison)
    part = _participants(ds, iid)
    frames, infos = [], []
    for g in sorted(by_groep):
        sub = part[part["pupil_id"].astype(str).isin(by_groep[g])]
        try:
            f, i = intervention_frame(replace(ds, participation=sub), iid, comparison=comparison)
        except ValueError:
            continue
        frames.append(f)
        infos.append(i)
    if not frames:
        return intervention_frame(ds, iid, comparison=comparison)
    info = dict(infos[0])
    for key in ("pre_moment", "pre_school_year", "post_moment", "post_school_year"):
        info[key] = ", ".join(dict.fromkeys(str(i[key]) for i in infos))
    for key in ("n_treatment", "n_control", "n_dropped"):
        info[key] = sum(int(i[key]) for i in infos)
    info["post_during_intervention"] = any(i["post_during_intervention"] for i in infos)
    return pd.concat(frames, ignore_index=True), info


def evaluate_intervention(
    ds: Dataset,
    intervention_id: str,
    *,
    comparison: str | None = None,
    selection_on_pretest: bool | None = None,
    min_n: int = MIN_N,
    n_boot: int = 2000,
    seed: int = 2026,
) -> Evaluation:
    """Evaluate an intervention: pick the design and the unit from the data and call ``compare()``.

    Parameters
    ----------
    ds : Dataset
        Canonical tables (scores, interventions, participation).
    intervention_id : str
        Id in the interventions table.
    comparison : {"same_groep", "parallel_class", "none"}, optional
        Who is compared (default: :func:`comparison_kind`).  When nobody is left to
        compare with and (almost) the whole school took part, cohorts are compared.
    selection_on_pretest : bool, optional
        Whether pupils were chosen on their pretest (default: the heuristic of
        :func:`~plgdata.analysis.frames.intervention_frame`; never for whole classes).
    min_n, n_boot, seed : int
        Passed to :func:`~plgdata.analysis.compare.compare`.

    Returns
    -------
    Evaluation
        ``info["unit"]`` says what was compared: ``"klas"`` (whole classes),
        ``"jaargroep"`` (groep × school year, school-wide) or ``"leerling"``.

    Notes
    -----
    *The assigned unit is the unit.*  Participants that are (almost,
    :data:`WHOLE_CLASS_SHARE`) whole classes — read from the participation table and the
    pupils' ``class_name`` — share a teacher (class ICC of gains 0.07–0.21, Nye et al.
    2004).  Estimate, interval and verdict then come from adjusted class means (posttest
    adjusted with the pooled within-class slope, averaged per class, t interval on
    K − 2 df; :func:`plgdata.analysis.clustered.cluster_difference`).  One class against
    one has 0 df: *niet te scheiden*.  School-wide: groep × school year means with the
    groep as a fixed block.  Whole classes are never an RT-group selected on the
    pretest, so the WWC baseline check applies to them.

    References
    ----------
    Murray (1998), *Design and Analysis of Group-Randomized Trials*; Raudenbush & Bryk
    (2002), *Hierarchical Linear Models*, ch. 5; Hedges (2007), *JEBS* 32(4); What Works
    Clearinghouse (2022), *Handbook* v5.0 (full references: :mod:`plgdata.analysis.clustered`).
    """
    iid = str(intervention_id)
    kw = {"min_n": min_n, "n_boot": n_boot, "seed": seed}
    iv = ds.interventions
    if not (iv["intervention_id"].astype(str) == iid).any():
        return Evaluation(iid, "none", None, {}, message=f"interventie '{iid}' staat niet in de interventietabel")
    try:
        whole = whole_class_share(ds, iid) >= WHOLE_CLASS_SHARE
        comparison = comparison or ("parallel_class" if whole else "same_groep")
        frame, info = _frame(ds, iid, comparison, whole)
    except ValueError as exc:
        return Evaluation(iid, "none", None, {}, message=str(exc))
    if info["n_control"] == 0 and comparison != "none" and is_schoolwide(ds, iid, info["subject"]):
        return _cohort_evaluation(ds, iid, info, **kw)
    info = {**info, "unit": "klas" if whole else "leerling"}
    if whole:
        info["selection_on_pretest"] = False
        info["selection_reason"] = WHOLE_CLASS_REASON
    sel = bool(info["selection_on_pretest"]) if selection_on_pretest is None else bool(selection_on_pretest)
    info["selection_on_pretest"] = sel
    one_group = dict(design="one_group", selection_on_pretest=sel, **kw)
    if info["n_control"] == 0:
        res = compare(frame, "post", "group", TREATMENT, None, pre="pre", **one_group)
        return Evaluation(iid, "one_group", res, info, frame)
    units = {"cluster": "class_name", "block": "groep", "unit": "klas"} if whole else {}
    res = compare(frame, "post", "group", TREATMENT, CONTROL, pre="pre", selection_on_pretest=sel, **units, **kw)
    if whole:
        info.update(n_classes_treatment=res.n_units_treatment, n_classes_control=res.n_units_control)
    ref = compare(frame, "post", "group", TREATMENT, None, pre="pre", **one_group) if sel else None
    return Evaluation(iid, "two_group", res, info, frame, ref)
