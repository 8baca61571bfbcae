"""A leerteam's own small measurement (a before/after quiz), compared honestly and never mixed with the LVS.

A Lesson Study team may give a short quiz before and after the lessons.  Its export is read
like any other file through a mapping file (``plgdata controleer quiz.csv --koppeling
koppeling.yaml``) with a **fixed scale of its own** (``schaal: "eigen meting: strookmodel"``),
so its points can never be subtracted from or averaged with an LVS score: the scale is part
of every key.  :func:`compare_own_measurement` then compares it in one of two honest ways:

* **classes against classes** (the Lesson Study class(es) against parallel class(es) that
  took the same quiz): :func:`plgdata.analysis.compare.compare` with pre- and posttest and
  **the class as the unit** (adjusted class means, K − 2 degrees of freedom).  One class
  against one class cannot separate the teacher from the lessons: the result is
  *niet te scheiden*, with the difference described in quiz points and a design that can
  answer (more classes, switching replications, a pre-registered comparison);
* **one group with a norm**: the team states beforehand how many points a class gains
  without the lessons (``norm_growth``); the gain beyond it is judged, in standard
  deviations *of the quiz's own pretest* — quiz points are never read as national z-scores.

Without a comparison group and without a norm there is no honest verdict, and it refuses.
"""

from __future__ import annotations

import pandas as pd

from plgdata.model.errors import PlgdataError
from plgdata.model.vocabulary import MIN_N, is_lvs_scale

GROUP_ALL = "de hele groep"


class OwnMeasurementError(PlgdataError, ValueError):
    """The own measurement cannot be compared honestly (Dutch message, no pupil data)."""


def own_measurement_frame(
    scores: pd.DataFrame, scale: str, pre_test: str = "voormeting", post_test: str = "nameting"
) -> pd.DataFrame:
    """One row per pupil with ``pre`` and ``post`` on the own scale, and the class as ``group``.

    Refuses a scale that is an LVS scale (Cito, IEP, Boom, Leerling in beeld): an own
    measurement is read onto a scale of its own.  Pupils without both tests are left out
    (their number is in ``frame.attrs["n_dropped"]``).
    """
    if is_lvs_scale(scale):
        raise OwnMeasurementError(
            f"'{scale}' is een schaal van het leerlingvolgsysteem. Lees een eigen meting in op een eigen "
            'schaal (bijvoorbeeld schaal: "eigen meting: strookmodel" in het koppelbestand).'
        )
    rows = scores[(scores["scale"].astype("string") == str(scale)).fillna(False)]
    if rows.empty:
        raise OwnMeasurementError(
            f"Er zijn geen resultaten op de schaal '{scale}'; controleer de vaste waarde 'schaal' in het koppelbestand."
        )
    rows = rows.sort_values("date", kind="stable")
    wide = {}
    for col, test in (("pre", pre_test), ("post", post_test)):
        part = rows[(rows["test_name"].astype("string") == test).fillna(False)].drop_duplicates("pupil_id", keep="last")
        if part.empty:
            raise OwnMeasurementError(f"Bij de schaal '{scale}' staat geen toets met de naam '{test}'.")
        wide[col] = part.set_index(part["pupil_id"].astype(str))["score"]
        if col == "pre":
            wide["group"] = part.set_index(part["pupil_id"].astype(str))["class_name"].astype("string")
    frame = pd.DataFrame(wide)
    both = frame["pre"].notna() & frame["post"].notna()
    out = frame[both].rename_axis("pupil_id").reset_index()
    out["group"] = out["group"].fillna(GROUP_ALL).astype(str)
    out.attrs["n_dropped"] = int((~both).sum())
    return out


def _as_list(v) -> list:
    return list(v) if isinstance(v, (list, tuple, set)) else [v]


def compare_own_measurement(
    data,
    scale: str,
    *,
    pre_test: str = "voormeting",
    post_test: str = "nameting",
    treatment: str | None = None,
    control: str | None = None,
    norm_growth: float | None = None,
    min_n: int = MIN_N,
    n_boot: int = 2000,
    seed: int = 2026,
):
    """The honest comparison of an own measurement: two groups, or one group against a stated norm.

    Parameters
    ----------
    data : Dataset or DataFrame
        Canonical scores holding the own measurement (read through a mapping file).
    scale : str
        The own scale (never an LVS scale).
    treatment, control : str or list of str, optional
        Classes (``class_name``) of the Lesson Study class(es) and of the comparison
        class(es).  Each class is one unit: one against one gives *niet te scheiden*.
    norm_growth : float, optional
        Without a comparison class: the gain in quiz points the team expects without the lessons.

    Returns
    -------
    (CompareResult, DataFrame)
        :func:`plgdata.analysis.compare.compare`'s result (verdict, effect size with
        analytic and bootstrap CI, MDE) and the per-pupil frame used.
    """
    from plgdata.analysis.compare import compare

    frame = own_measurement_frame(getattr(data, "scores", data), scale, pre_test, post_test)
    if treatment is None:
        frame["group"], treatment = GROUP_ALL, GROUP_ALL
    if control is not None:
        classes = _as_list(treatment) + _as_list(control)
        sub = frame[frame["group"].isin(classes)].reset_index(drop=True)
        res = compare(
            sub,
            "post",
            "group",
            treatment,
            control,
            pre="pre",
            cluster="group",
            unit="klas",
            min_n=min_n,
            n_boot=n_boot,
            seed=seed,
        )
        return res, sub
    if norm_growth is None:
        raise OwnMeasurementError(
            "Zonder vergelijkingsklas en zonder verwachte groei (hoeveel punten gaat een klas er zonder deze lessen "
            "op vooruit?) is een voor- en nameting niet eerlijk te beoordelen: leerlingen scoren de tweede keer "
            "vaak vanzelf hoger. Geef een vergelijkingsklas of een verwachte groei op."
        )
    sub = frame[frame["group"] == treatment].reset_index(drop=True)
    return compare(
        sub,
        "post",
        "group",
        treatment,
        None,
        pre="pre",
        design="one_group",
        norm_growth=float(norm_growth),
        z_scores=False,
        min_n=min_n,
        n_boot=n_boot,
        seed=seed,
    ), sub


def own_measurement_record(result, scale: str, description: str) -> dict:
    """The plain, pupil-free summary of a comparison, as kept in the Lesson Study record (``eigen_metingen``).

    ``effect`` is in standard deviations of the quiz itself (never national z-scores);
    ``verschil_punten`` is the difference in the quiz's own points (classes: between the
    class means adjusted for the pretest; one group: the gain beyond the stated norm),
    ``eenheid`` says whether classes or pupils were compared.
    """

    def num(v):
        return None if v is None or pd.isna(v) else round(float(v), 3)

    per_class = result.unit != "leerling"
    points = result.unit_difference if per_class else result.gain_beyond_rtm
    return {
        "meting": description,
        "schaal": scale,
        "ontwerp": result.design,
        "eenheid": "klas" if per_class else "leerling",
        "n_interventie": int(result.n_treatment),
        "n_vergelijking": int(result.n_control),
        "n_klassen_interventie": int(result.n_units_treatment) if per_class else None,
        "n_klassen_vergelijking": int(result.n_units_control) if per_class else None,
        "verschil_punten": num(points),
        "effectmaat": result.effect_size_name,
        "effect": num(result.headline),
        "bi_onder": num(result.headline_ci[0]),
        "bi_boven": num(result.headline_ci[1]),
        "oordeel": result.verdict,
        "uitleg": result.verdict_nl,
    }
