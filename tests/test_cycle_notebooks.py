"""The cycle notebooks 00-08: executed in order, each in a fresh kernel, on the sample
school; afterwards the cycle record holds all eight steps with the expected verdicts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from identities import SAMPLE, leaks
from sample_truth import low_share

from plgdata.cycle import check_cycle, load_cycle, next_step
from plgdata.model.dataset import Dataset
from plgdata.reporting.notebooks import CYCLE_NOTEBOOKS, NOTEBOOK_DIR, run_cycle_notebooks
from plgdata.sample.school import estimate_planted_effects

ALL_NOTEBOOKS = sorted(NOTEBOOK_DIR.rglob("*.ipynb"))


def test_every_committed_notebook_is_without_outputs():
    assert len(ALL_NOTEBOOKS) >= 13  # 00-08 plus the four report notebooks
    for path in ALL_NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [] and cell.get("execution_count") is None, f"{path.name} heeft uitvoer"


def test_each_cycle_notebook_has_one_parameters_cell_and_marked_input_cells():
    for name in CYCLE_NOTEBOOKS:
        nb = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, name
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        # thin notebooks: a few lines per cell (input cells with the team's text may be longer)
        for c in code:
            if "invullen" not in c.get("metadata", {}).get("tags", []) and "parameters" not in c["metadata"].get("tags", []):
                assert len("".join(c["source"]).splitlines()) <= 8, f"{name}: te veel code in één cel"
    for name in CYCLE_NOTEBOOKS[1:]:
        text = (NOTEBOOK_DIR / name).read_text(encoding="utf-8")
        assert "Invullen door het team" in text or name in ("03_dataverzameling.ipynb", "05_data_analyse.ipynb")


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cyclus")
    params = {
        "data_map": str(SAMPLE),
        "interventiebestand": str(SAMPLE / "interventies.xlsx"),
        "werkmap": str(tmp / "werk"),
        "cyclusbestand": str(tmp / "cyclus.yaml"),
        "sleutel": str(tmp / "sleutel.key"),
        "invulling": str(SAMPLE / "voorbeeldinvulling.yaml"),
    }
    executed = run_cycle_notebooks(params, out_dir=tmp / "uitgevoerd")
    return tmp, params, executed


def test_all_notebooks_ran_in_order(ran):
    _, _, executed = ran
    assert [p.name for p in executed] == list(CYCLE_NOTEBOOKS)


def test_record_holds_all_eight_steps_with_expected_verdicts(ran):
    tmp, params, _ = ran
    c = load_cycle(params["cyclusbestand"])
    ds = Dataset.open(params["werkmap"])
    check_cycle(c, ds.interventions)  # the record holds together
    assert all(c.steps[i].status == "klaar" for i in range(1, 9))
    assert next_step(c) is None
    # step 1: the metric computed from the data
    assert c.problem.current_value == pytest.approx(low_share("begrijpend-lezen", "2025-2026", [5, 6], "M")[1], abs=0.001)
    assert c.problem.goal_value == 0.35 and str(c.problem.deadline) == "2026-06-30"
    # steps 5-6: the rule's verdicts and the team's
    rule = {h: a["oordeel_volgens_regel"] for h, a in c.analyses.items()}
    assert rule == {"H1": "bevestigd", "H2": "onbeslist", "H3": "verworpen", "H4": "bevestigd"}
    assert {h: v.verdict for h, v in c.verdicts.items()} == rule
    # the rejected hypothesis sent the team back to step 2, and H4 revises it
    assert [(l.from_step, l.to_step) for l in c.loops] == [(6, 2)]
    assert next(h for h in c.hypotheses if h.id == "H4").revises == "H3"
    # step 7: the measure is tied to the whole-class intervention
    assert [(m.id, m.intervention_id, m.hypothesis_id) for m in c.measures] == [("M1", "INT-BL-6A", "H1")]
    # step 8: one class against one class: the planted difference (about 0.3 SD) is described, not judged
    ev = c.evaluation.comparisons[0]
    truth = estimate_planted_effects(SAMPLE)["bl_6a"]  # pandas and statsmodels on the files
    assert ev["interventie"] == "INT-BL-6A" and ev["n_interventie"] + ev["n_vergelijking"] == truth["n"]
    assert ev["schatting"] == pytest.approx(truth["ancova"], abs=0.1)
    assert ev["bi_onder"] is None and ev["uitkomst"] == "niet te scheiden"
    assert low_share("begrijpend-lezen", "2025-2026", [5, 6], "E")[1] > 0.35
    assert c.evaluation.goal_met is False  # IV/V in groep 5/6 at E above the goal of at most 35%


def test_executed_notebooks_show_no_identities_and_no_errors(ran):
    _, _, executed = ran
    for p in executed:
        nb = json.loads(Path(p).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                assert out.get("output_type") != "error", p.name
                text = json.dumps(out.get("data", {})) + "".join(out.get("text", ""))
                assert leaks(text) == [], p.name


def test_evaluation_shows_each_measure_with_its_estimation_plot(ran):
    _, _, executed = ran
    nb = json.loads(Path(executed[-1]).read_text(encoding="utf-8"))
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    assert "Maatregel M1 (interventie INT-BL-6A):" in text
    assert "data:image/png;base64," in text  # the plot is shown, not only drawn


def test_teachers_see_small_dutch_tables_never_a_python_dict_or_raw_shares(ran):
    """03 and 08 showed a Python dict ({'Aantal bestanden': ...}); 00's overview showed shares as
    0.250 and missing growth as NaN. They are now Dutch tables with percentages and '–'."""
    _, _, executed = ran
    by_name = {Path(p).name: json.loads(Path(p).read_text(encoding="utf-8")) for p in executed}

    def shown(name: str) -> str:
        outs = [o for c in by_name[name]["cells"] for o in c.get("outputs", [])]
        return "\n".join("".join(o.get("data", {}).get("text/plain", "")) + "".join(o.get("text", "")) for o in outs)

    for name in ("03_dataverzameling.ipynb", "08_evaluatie.ipynb"):
        assert "{'" not in shown(name) and '{"' not in shown(name), name
    assert "Aantal bestanden" in shown("03_dataverzameling.ipynb")
    goal = shown("08_evaluatie.ipynb")
    now = round(100 * low_share("begrijpend-lezen", "2025-2026", [5, 6], "E")[1])  # step 8: the value now, at E
    assert "Doel" in goal and "hoogstens 35%" in goal and f"{now}%" in goal and "Gebaseerd op" in goal
    overview = shown("00_start.ipynb")
    assert "Aandeel IV–V" in overview and re.search(r"\d+%", overview)
    assert not re.search(r"0\.\d{3}", overview) and "NaN" not in overview
