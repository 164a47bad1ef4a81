"""Injects that wait on the hazard (issue 16, finding 9): ``when: {hazard: <event>}`` and ``when: {figure: depth,
site: s_metro, above: 0.3}``, released at the first minute the condition holds; ``only_if``/``unless`` on the same.
"""

from __future__ import annotations

import pytest
import yaml

from simulator import load_scenario
from simulator.engine.drill import run_plan
from simulator.engine.state import inject_board
from simulator.errors import FileFormatError
from simulator.formats.msel import dump_xlsx, load_xlsx
from simulator.formats.plan import Plan
from simulator.hazards.base import seeded
from simulator.hazards.flood import Flood
from tests.conftest import FIXTURES

DEPTH = 0.3


def _scenario(tmp_path, *injects: dict, name: str = "flood_min.yaml"):
    data = yaml.safe_load((FIXTURES / "flood_min.yaml").read_text(encoding="utf-8"))
    data["injects"].extend(injects)
    data["hazard"]["params"]["rain_wander"] = 0.0  # a steady rain: the model alone gives the very same water
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_scenario(path)


def _metro_past(depth: float, scenario) -> int:
    """The first minute the water at the metro station is above ``depth``, the hazard run alone (with i2's heavier
    rain from T+30)."""
    model = Flood(scenario.hazard.params, seeded(0))
    for t in range(1, 200):
        if t == 30:
            model.set_param("rain_mm_h", 90)
        model.step(float(t), 1.0)
        if model.depth["s_metro"] > depth:
            return t
    raise AssertionError("the water never got there")


WATER = {
    "id": "w1",
    "when": {"figure": "depth", "site": "s_metro", "above": DEPTH},
    "to": "duty_office",
    "source": "地铁运营公司",
    "title": "地铁站出入口进水",
    "text": "滨河路站A口积水没过台阶，开始倒灌。",
}


def test_an_inject_is_released_the_minute_the_water_at_the_metro_passes_the_depth(tmp_path):
    scenario = _scenario(tmp_path, WATER)
    drill = run_plan(scenario, Plan(), seed=0)
    expected = _metro_past(DEPTH, scenario)
    assert drill.released_at["w1"] == expected
    released = [e for e in drill.log if e.kind == "inject_released" and e["inject"] == "w1"]
    assert len(released) == 1, "released once, not every minute the water stays high"


def test_an_inject_waits_on_the_hazard_event_and_only_if_reads_the_hazard_too(tmp_path):
    flooded = {**WATER, "id": "w2", "when": {"hazard": "site_flooded", "site": "s_underpass"}}
    # at T+100 the metro has long been under water: this one goes out; the other waits on a depth never reached
    deep = {**WATER, "id": "w3", "at": 100, "only_if": {"figure": "depth", "site": "s_metro", "above": DEPTH}}
    deeper = {**WATER, "id": "w4", "at": 100, "only_if": {"figure": "depth", "site": "s_metro", "above": 50}}
    deep.pop("when"), deeper.pop("when")
    scenario = _scenario(tmp_path, flooded, deep, deeper)
    drill = run_plan(scenario, Plan(), seed=0)
    turns = [e for e in drill.log if e.kind == "hazard_event" and e["site"] == "s_underpass"]
    assert turns and drill.released_at["w2"] == turns[0].t
    assert drill.released_at["w3"] == 100 and "w4" not in drill.released_at


def test_the_inject_board_shows_a_waiting_inject_with_its_condition_in_words(tmp_path):
    scenario = _scenario(tmp_path, WATER)
    drill = run_plan(scenario, Plan(), seed=0)
    before = {s.inject: s for s in inject_board(scenario, drill.log, 1.0)}["w1"]
    assert before.status == "waiting"
    assert before.condition("zh") == "积水深度（地铁2号线人民广场站）超过0.3米"
    after = {s.inject: s for s in inject_board(scenario, drill.log, drill.end)}["w1"]
    assert after.status == "released"


@pytest.mark.parametrize(
    "when, field, word",
    [
        ({"figure": "depht", "site": "s_metro", "above": 0.3}, "figure", "depht"),
        ({"figure": "depth", "site": "s_metor", "above": 0.3}, "site", "s_metor"),
        ({"hazard": "explosion"}, "hazard", "explosion"),
    ],
)
def test_an_unknown_figure_site_or_event_is_a_file_line_problem(tmp_path, when, field, word):
    with pytest.raises(FileFormatError) as exc:
        _scenario(tmp_path, {**WATER, "when": when})
    text = str(exc.value)
    assert f"injects[3].when.{field}" in text and word in text and "flood_min.yaml:" in text


def test_a_hazard_inject_round_trips_through_the_excel_msel(tmp_path):
    later = {k: v for k, v in WATER.items() if k != "when"}
    scenario = _scenario(
        tmp_path,
        WATER,
        {**WATER, "id": "w2", "when": {"hazard": "site_flooded"}},
        {**later, "id": "w3", "at": 100, "only_if": {"figure": "depth", "site": "s_metro", "below": 0.1}},
        {**later, "id": "w4", "at": 100, "unless": {"hazard": "site_flooded", "site": "s_underpass"}},
    )
    back = load_xlsx("flood_min.xlsx", dump_xlsx(scenario))
    for field in ("when", "only_if", "unless"):
        assert [getattr(i, field) for i in back.injects] == [getattr(i, field) for i in scenario.injects]
    assert back.injects[-3].when is not None and back.injects[-1].unless is not None
