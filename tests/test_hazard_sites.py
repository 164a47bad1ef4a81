"""Populations and sites (issue 16, finding 8): the hazards run alone, minute by minute, no engine.

Closing an entrance keeps people out only before the water comes; public measures thin out the people at risk;
critical sites (a substation feeding a hospital and a metro station) have consequences of their own.
"""

from __future__ import annotations

import pytest

from simulator import load_plan, load_scenario
from simulator.engine.drill import run_plan
from simulator.errors import FileFormatError
from simulator.hazards.base import seeded
from simulator.hazards.crowd import Crowd
from simulator.hazards.flood import Flood
from simulator.hazards.toxic_plume import ToxicPlume
from simulator.scoring import score_drill
from tests.conftest import SCENARIOS


def _site(sid: str, kind: str, population: int, fill: float = 0.01, **extra) -> dict:
    return {
        "id": sid,
        "name": sid,
        "kind": kind,
        "population": population,
        "fill_m_per_mm": fill,
        "drain_m_per_min": 0.0,
        "danger_depth_m": 0.3,
        **extra,
    }


def _flood(*sites: dict, rain: float = 60.0) -> Flood:
    params = Flood.Params.model_validate({"rain_mm_h": rain, "rain_wander": 0.0, "sites": list(sites)})
    return Flood(params, seeded(3))


def _order(model, measure: str, params: dict, start: float, end: float) -> None:
    parsed, problem = model.validate_measure(measure, params)
    assert problem is None, problem
    model.start_measure(measure, parsed, start, end)


def _run(model, minutes: int) -> list[int]:
    """The people exposed at the end of each minute."""
    exposed = []
    for t in range(1, minutes + 1):
        model.step(float(t), 1.0)
        exposed.append(model.exposed)
    return exposed


# -- people already inside -----------------------------------------------------------------------------------------
def test_closing_an_underpass_after_it_flooded_does_not_save_those_trapped_inside():
    # 0.01 m per minute per mm/h at 60 mm/h: the underpass passes 0.3 m in the first minute
    late = _flood(_site("tunnel", "underpass", 100))
    _order(late, "close_underpass", {"sites": ["tunnel"]}, 5.0, 6.0)
    exposed = _run(late, 15)
    assert exposed[-1] == 100, "the cars already in the flooded underpass are still there after it was closed"

    early = _flood(_site("tunnel", "underpass", 100, fill=0.001))  # floods at minute 5
    _order(early, "close_underpass", {"sites": ["tunnel"]}, 0.0, 1.0)
    assert max(_run(early, 15)) == 0, "closed before the water came: nobody was inside"


def test_only_rescue_brings_out_the_people_trapped_at_a_flooded_metro_station():
    stopped = _flood(_site("station", "metro", 400))
    _order(stopped, "stop_trains", {"sites": ["station"]}, 3.0, 4.0)
    rescued = _flood(_site("station", "metro", 400))
    _order(rescued, "water_rescue", {"sites": ["station"]}, 3.0, 10.0)
    assert _run(stopped, 20)[-1] == 400
    assert _run(rescued, 20)[-1] == 0
    assert rescued.exposed_person_minutes < stopped.exposed_person_minutes


# -- public measures -----------------------------------------------------------------------------------------------
def test_suspending_classes_and_work_lowers_the_people_caught_at_flooded_sites():
    sites = (_site("street", "street", 500, fill=0.0002), _site("tunnel", "underpass", 100, fill=0.0002))
    alone = _flood(*sites)
    warned = _flood(*sites)
    _order(warned, "suspend_activities", {}, 0.0, 5.0)  # 停课停工停业 before the water comes (at minute 25)
    assert _run(warned, 40)[-1] < 0.5 * _run(alone, 40)[-1]


def test_a_public_warning_lowers_the_people_in_the_plume_and_the_arrivals_at_the_event():
    plume = load_scenario(SCENARIOS / "hazchem_leak.yaml").hazard.params
    quiet, warned = ToxicPlume(plume, seeded(3)), ToxicPlume(plume, seeded(3))
    _order(warned, "public_information", {"share": 0.5}, 0.0, 5.0)
    _run(quiet, 60)
    _run(warned, 60)
    assert warned.exposed_person_minutes < 0.7 * quiet.exposed_person_minutes

    crowd = load_scenario(SCENARIOS / "crowd_crush.yaml").hazard.params
    quiet, warned = Crowd(crowd, seeded(3)), Crowd(crowd, seeded(3))
    _order(warned, "public_information", {"share": 0.5}, 0.0, 5.0)
    _run(quiet, 40)
    _run(warned, 40)
    assert sum(warned.persons.values()) < sum(quiet.persons.values())


# -- critical sites ------------------------------------------------------------------------------------------------
def _grid(**orders: dict) -> Flood:
    model = _flood(
        _site("sub", "substation", 0, fill=0.002, feeds=["hospital", "station"]),
        _site("hospital", "hospital", 80, fill=0.000001),
        _site("station", "metro", 300, fill=0.000001),
        rain=30.0,  # the substation passes 0.3 m at minute 5; the hospital and the station stay dry
    )
    for measure, params in orders.items():
        _order(model, measure, params, 0.0, 2.0)
    return model


def test_a_flooded_substation_cuts_the_power_of_the_hospital_and_the_metro_it_feeds():
    model = _grid()
    exposed = _run(model, 30)
    events = [(e.event, e.site, e.sites) for e in model.take_events()]
    assert ("power_lost", "sub", ("hospital", "station")) in events
    assert ("site_flooded", "sub", ()) in events
    assert exposed[2] == 0 and exposed[-1] == 380, "patients and passengers at risk once the power went"
    assert model.figures()["dark_sites"] == 2
    assert model.happened("power_lost") and not model.contained


def test_emergency_power_or_trains_stopped_in_time_spare_the_people_of_a_powerless_site():
    model = _grid(emergency_power={"sites": ["hospital"]}, stop_trains={"sites": ["station"]})
    assert _run(model, 30)[-1] == 0


# -- the right measure at the right site ---------------------------------------------------------------------------
def _measures_indicator(score: dict) -> dict:
    return next(i for k in score["keywords"].values() for i in k["indicators"] if i["id"] == "measures")


def test_the_right_measure_at_the_wrong_site_is_faulted_naming_both_sites():

    scenario = load_scenario(SCENARIOS / "urban_flood.yaml")
    key = scenario.answer_key
    measures = [
        km.model_copy(update={"sites": ["s_metro"]}) if km.measure == "flood_barrier" else km for km in key.measures
    ]
    scenario = scenario.model_copy(update={"answer_key": key.model_copy(update={"measures": measures})})
    plan = load_plan(SCENARIOS / "urban_flood.reference.yaml")
    # the reference puts the barriers at the metro entrances; the variant at the old town's lanes
    moved = [
        d.model_copy(update={"params": {"sites": ["s_oldtown"]}})
        if getattr(d, "measure", None) == "flood_barrier"
        else d
        for d in plan.decisions
    ]
    right = _measures_indicator(score_drill(scenario, run_plan(scenario, plan, 3).log))
    wrong = _measures_indicator(
        score_drill(scenario, run_plan(scenario, plan.model_copy(update={"decisions": moved}), 3).log)
    )
    assert wrong["points"] < right["points"]
    faults = [e for e in wrong["evidence"] if e["facts"]["kind"] == "wrong_site"]
    assert len(faults) == 1 and faults[0]["against"]
    assert faults[0]["facts"]["expected"] == ["s_metro"] and faults[0]["facts"]["actual"] == ["s_oldtown"]
    assert "东关低洼平房区" in faults[0]["text"] and "地铁2号线滨河路站" in faults[0]["text"]
    assert not [e for e in right["evidence"] if e["facts"]["kind"] == "wrong_site"]


def test_an_answer_key_site_the_hazard_does_not_have_is_a_file_line_problem(tmp_path):

    text = (SCENARIOS / "urban_flood.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "{measure: flood_barrier, departments: [metro, housing], by: 30m}",
        "{measure: flood_barrier, departments: [metro, housing], by: 30m, sites: [s_metor]}",
    )
    path = tmp_path / "urban_flood.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError) as exc:
        load_scenario(path)
    assert "answer_key.measures[3].sites[0]" in str(exc.value) and "s_metor" in str(exc.value)


def test_answer_key_sites_round_trip_through_the_excel_msel():
    from simulator.formats.msel import dump_xlsx, load_xlsx

    scenario = load_scenario(SCENARIOS / "urban_flood.yaml")
    key = scenario.answer_key
    measures = [
        km.model_copy(update={"sites": ["s_metro"]}) if km.measure == "flood_barrier" else km for km in key.measures
    ]
    scenario = scenario.model_copy(update={"answer_key": key.model_copy(update={"measures": measures})})
    back = load_xlsx("urban_flood.xlsx", dump_xlsx(scenario))
    assert [km.sites for km in back.answer_key.measures] == [km.sites for km in measures]


def test_closing_an_underground_garage_keeps_people_out_only_before_it_floods():
    late = _flood(_site("garage", "underground", 50))
    _order(late, "close_underground", {}, 3.0, 4.0)
    early = _flood(_site("garage", "underground", 50, fill=0.001))
    _order(early, "close_underground", {}, 0.0, 1.0)
    assert _run(late, 10)[-1] == 50 and max(_run(early, 10)) == 0
