"""The hazard models on their own: plain arithmetic stepped minute by minute, measures handed in as the engine
hands them (``start_measure(measure, params, start, end)`` with a linear phase-in), and what matters in life
mattering in the model. Random outcomes are compared over many seeds, never on one."""

from __future__ import annotations

import types
import typing

import numpy as np
import pytest
from pydantic import BaseModel, ValidationError

from simulator import load_scenario
from simulator.hazards import REGISTRY
from simulator.hazards.base import NoParams, seeded
from simulator.hazards.crowd import Cordon, Crowd, Exits, Inflow
from simulator.hazards.fire import Fire, Floors, Lines
from simulator.hazards.flood import Barrier, Flood, Pumps, Rescue, Sites
from simulator.hazards.gas import Gas, Radius, Ventilation

SEEDS = range(40)
REQUIRED_FIGURES = {"exposed", "exposed_person_minutes", "injured", "dead"}


def simulate(cls, params: dict, measures=(), minutes: int = 180, seed: int = 0, changes=None):
    """Run one model alone: ``measures`` as (id, params, start, end[, "adjust"]); ``changes`` as
    {minute: {param: value}}."""
    model = cls(cls.Params.model_validate(params), seeded(seed))
    for measure, prm, start, end, *adjust in measures:
        model.start_measure(measure, prm, start, end, replaces=adjust == ["adjust"])
    trace = []
    for t in range(1, minutes + 1):
        for name, value in (changes or {}).get(t, {}).items():
            model.set_param(name, value)
        model.step(float(t), 1.0)
        trace.append(model.figures())
    return model, trace


def over_seeds(cls, params, measures=(), **kw):
    return [simulate(cls, params, measures, seed=seed, **kw) for seed in SEEDS]


# -- scenario-like parameters for each model --------------------------------------------------------------
GAS = {
    "leak_rate_m3_min": 20,
    "electrical_share": 0.6,
    "areas": [
        {"id": "trench", "name": "排水管沟", "distance_m": 0, "population": 0, "volume_m3": 200,
         "intake_share": 0.3, "air_change_per_min": 0.02, "ignition_per_min": 0.002, "initial_lel": 3.5},
        {"id": "basement", "name": "地下室", "distance_m": 10, "population": 20, "volume_m3": 1500,
         "intake_share": 0.12, "air_change_per_min": 0.008, "ignition_per_min": 0.012, "initial_lel": 0.15},
        {"id": "shops", "name": "早餐店", "distance_m": 15, "population": 45, "volume_m3": 600,
         "intake_share": 0.03, "air_change_per_min": 0.03, "ignition_per_min": 0.08, "initial_lel": 0.05},
        {"id": "flats", "name": "住户", "distance_m": 15, "population": 150},
        {"id": "street", "name": "公交站", "distance_m": 30, "population": 200},
        {"id": "school", "name": "小学", "distance_m": 200, "population": 900},
    ],
}  # fmt: skip
FIRE = {
    "floors": 33,
    "fire_floor": 11,
    "residents_per_floor": 12,
    "fire_injury_rate_per_min": 0.03,
    "smoke_injury_rate_per_min": 0.0015,
    "smoke_clearing_per_min": 0.03,
}
CROWD = {
    "areas": [
        {"id": "stairs", "name": "大台阶", "area_m2": 400, "initial_persons": 1560, "inflow_per_min": 105,
         "outflow_per_min": 100},
        {"id": "bridge", "name": "天桥", "area_m2": 600, "initial_persons": 1300, "inflow_per_min": 150,
         "outflow_per_min": 170},
        {"id": "gate", "name": "北门通道", "area_m2": 500, "initial_persons": 400, "inflow_per_min": 80,
         "outflow_per_min": 160, "flow": "departure"},
    ],
}  # fmt: skip
CROWD_SURGE = {15: {"inflow_factor": 1.5}, 50: {"inflow_factor": 0.4, "departure_factor": 2.4}}
FLOOD = {
    "rain_mm_h": 90,
    "rain_wander": 0.1,
    "pump_m_per_min": 0.002,
    "sites": [
        {"id": "underpass", "name": "下穿隧道", "kind": "underpass", "population": 150, "fill_m_per_mm": 0.0005,
         "drain_m_per_min": 0.02, "danger_depth_m": 0.4},
        {"id": "metro", "name": "地铁站", "kind": "metro", "population": 1200, "fill_m_per_mm": 0.00018,
         "drain_m_per_min": 0.008, "danger_depth_m": 0.5},
        {"id": "lowland", "name": "低洼平房区", "kind": "street", "population": 500, "fill_m_per_mm": 0.0002,
         "drain_m_per_min": 0.01, "danger_depth_m": 0.5},
    ],
}  # fmt: skip
NEW_MODELS = [(Gas, GAS), (Fire, FIRE), (Crowd, CROWD)]


# -- what every model promises ------------------------------------------------------------------------------
def test_the_new_models_are_registered():
    assert REGISTRY["gas"] is Gas and REGISTRY["fire"] is Fire and REGISTRY["crowd"] is Crowd
    assert {"toxic_plume", "flood"} <= set(REGISTRY)


@pytest.mark.parametrize(("cls", "params"), [*NEW_MODELS, (Flood, FLOOD)])
def test_figures_carry_what_the_engine_and_the_views_read(cls, params):
    model, trace = simulate(cls, params, minutes=10)
    assert set(model.figures()) >= REQUIRED_FIGURES
    assert all(isinstance(v, int | float | bool | str) for v in model.figures().values())
    assert isinstance(model.contained, bool)
    assert model.exposed == trace[-1]["exposed"]


@pytest.mark.parametrize(("cls", "params"), NEW_MODELS)
def test_the_same_seed_gives_the_same_run(cls, params):
    _, a = simulate(cls, params, seed=7, changes=CROWD_SURGE if cls is Crowd else None)
    _, b = simulate(cls, params, seed=7, changes=CROWD_SURGE if cls is Crowd else None)
    assert a == b


@pytest.mark.parametrize("cls", [Gas, Fire, Crowd])
def test_docstrings_say_what_is_covered_and_which_scenario(cls):
    doc = typing.cast(str, __import__(cls.__module__, fromlist=["_"]).__doc__)
    assert "Covers:" in doc and "Scenario:" in doc


def _numeric_fields(model: type[BaseModel]):
    for name, field in model.model_fields.items():
        annotation = field.annotation
        args = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
        if any(a in (int, float) for a in args):
            yield name, field
        for a in args:
            inner = typing.get_args(a) if typing.get_origin(a) is list else (a,)
            for sub in inner:
                if isinstance(sub, type) and issubclass(sub, BaseModel):
                    yield from _numeric_fields(sub)


@pytest.mark.parametrize("cls", [Gas, Fire, Crowd])
def test_every_number_has_bounds_and_unknown_keys_are_typos(cls):
    for model in (cls.Params, *cls.measures.values()):
        assert model.model_config.get("extra") == "forbid"
        for name, field in _numeric_fields(model):
            kinds = {type(m).__name__ for m in field.metadata}
            assert kinds & {"Ge", "Gt"} and kinds & {"Le", "Lt"}, f"{model.__name__}.{name} needs bounds"
    params = {Gas: GAS, Fire: FIRE, Crowd: CROWD}[cls]
    with pytest.raises(ValidationError):
        cls.Params.model_validate({**params, "typo": 1})


def test_a_bad_measure_parameter_is_explained_in_chinese():
    parsed, problem = Fire.validate_measure("evacuate_floors", {"from_floor": 20, "to_floor": 9})
    assert parsed is None and "措施参数不正确" in problem
    parsed, problem = Gas.validate_measure("evacuate", {"radius_m": -5})
    assert parsed is None and problem


# -- gas ----------------------------------------------------------------------------------------------------
def _explosions(runs):
    return [model.explosions > 0 for model, _ in runs]


def test_gas_collects_in_the_confined_spaces_and_not_in_the_open():
    model, trace = simulate(Gas, GAS, minutes=30)
    basement = next(a for a in model.params.areas if a.id == "basement")
    street = next(a for a in model.params.areas if a.id == "street")
    assert model.lel_share(basement) > 0.15  # rising from its initial 15 % of the LEL
    assert model.lel_share(street) == 0.0
    assert trace[0]["leaking"] and trace[0]["leak_rate_m3_min"] == 20


def test_shutting_the_gas_off_early_makes_an_explosion_less_likely():
    early = _explosions(over_seeds(Gas, GAS, [("shut_off_gas", NoParams(), 8, 20)]))
    late = _explosions(over_seeds(Gas, GAS, [("shut_off_gas", NoParams(), 60, 75)]))
    assert sum(early) < sum(late) / 2
    # the same seed with less gas never explodes where more gas did not: ignition is coupled across plans
    assert all(b for a, b in zip(early, late, strict=True) if a)


def test_removing_the_ignition_sources_makes_an_explosion_less_likely():
    nothing = _explosions(over_seeds(Gas, GAS))
    no_sources = _explosions(
        over_seeds(
            Gas,
            GAS,
            [("cut_power", Radius(radius_m=100), 10, 18), ("ban_ignition", Radius(radius_m=100), 12, 22)],
        )
    )
    too_small = _explosions(over_seeds(Gas, GAS, [("ban_ignition", Radius(radius_m=5), 12, 22)]))
    assert sum(no_sources) < sum(nothing) / 2
    assert sum(too_small) > sum(no_sources)  # a radius that misses the shops and the basement does little


def test_ventilation_brings_the_concentration_down():
    _, still = simulate(Gas, GAS, minutes=40)
    _, fanned = simulate(Gas, GAS, [("ventilate", Ventilation(fan_m3_min=300), 10, 20)], minutes=40)
    assert fanned[-1]["max_gas_vol_pct"] < still[-1]["max_gas_vol_pct"]


def test_evacuation_cuts_exposure_and_the_harm_of_an_explosion():
    stay = over_seeds(Gas, GAS)
    leave = over_seeds(Gas, GAS, [("evacuate", Radius(radius_m=100), 5, 20)])
    assert np.mean([m.exposed_person_minutes for m, _ in leave]) < 0.5 * np.mean(
        [m.exposed_person_minutes for m, _ in stay]
    )
    assert sum(m.injured for m, _ in leave) < sum(m.injured for m, _ in stay)


def test_an_explosion_hurts_most_near_its_centre():
    """A basement certain to blow at once, with a thousand people in every area."""
    areas = [{**a, "population": 1000} for a in GAS["areas"]]
    areas[1] = {**areas[1], "ignition_per_min": 10, "initial_lel": 2.0}  # the basement, well in the explosive range
    hurt: dict[str, list[int]] = {a["name"]: [] for a in areas}
    for seed in range(10):
        model = Gas(Gas.Params.model_validate({**GAS, "areas": areas}), seeded(seed))
        harms = model.step(1.0, 1.0)
        assert model.explosions == 1 and model.exploded == {"basement"}
        for area in areas:
            hurt[area["name"]].append(sum(h.injured for h in harms if h.where.startswith(area["name"])))
        assert sum(h.dead for h in harms) <= sum(h.injured for h in harms)  # the dead are among the injured
        assert model.figures()["damaged_areas"] >= 1
    mean = {name: np.mean(v) for name, v in hurt.items()}
    assert mean["地下室"] > mean["住户"] > mean["公交站"] > mean["小学"] == 0


def test_gas_is_contained_once_the_leak_is_shut_and_the_spaces_cleared():
    measures = [("shut_off_gas", NoParams(), 5, 15), ("ventilate", Ventilation(fan_m3_min=400), 5, 15)]
    model, trace = simulate(Gas, GAS, measures, minutes=2)
    assert trace[0]["leaking"] and not model.contained
    model, trace = simulate(Gas, GAS, measures, minutes=60)
    assert model.contained and not trace[-1]["leaking"] and trace[-1]["leak_rate_m3_min"] == 0


def test_gas_parameters_are_checked():
    with pytest.raises(ValidationError):
        Gas.Params.model_validate({**GAS, "lel": 0.2, "uel": 0.1})
    with pytest.raises(ValidationError):
        Gas.Params.model_validate({**GAS, "areas": [{**a, "intake_share": 0.5} for a in GAS["areas"]]})


# -- fire ---------------------------------------------------------------------------------------------------
def test_the_fire_climbs_and_its_smoke_climbs_faster():
    model, trace = simulate(Fire, FIRE, minutes=60)
    assert trace[-1]["floors_burnt"] >= 1
    assert trace[19]["smoke_floors"] > trace[19]["burning_floors"]  # after 20 minutes: smoke ahead of flames
    assert model.smoke[FIRE["fire_floor"] + 5] > model.smoke[FIRE["fire_floor"] - 5]


def test_an_early_fire_attack_limits_the_floors_that_burn():
    early = over_seeds(Fire, FIRE, [("fire_attack", Lines(lines=4), 10, 22)])
    late = over_seeds(Fire, FIRE, [("fire_attack", Lines(lines=4), 45, 57)])
    burnt = lambda runs: np.mean([len(m.ever_burnt) for m, _ in runs])  # noqa: E731
    assert burnt(early) < burnt(late)
    assert all(m.contained for m, _ in early)  # knocked down within the drill
    assert np.mean([m.dead for m, _ in early]) <= np.mean([m.dead for m, _ in late])


def test_too_few_lines_or_too_little_water_do_not_hold_the_fire():
    enough = over_seeds(Fire, FIRE, [("fire_attack", Lines(lines=4), 10, 22)], minutes=90)
    starved = over_seeds(
        Fire, FIRE, [("fire_attack", Lines(lines=4), 10, 22)], minutes=90, changes={12: {"water_supply": 0.3}}
    )
    relayed = over_seeds(
        Fire,
        FIRE,
        [("fire_attack", Lines(lines=4), 10, 22), ("water_relay", NoParams(), 15, 23)],
        minutes=90,
        changes={12: {"water_supply": 0.3}},
    )
    burnt = lambda runs: np.mean([len(m.ever_burnt) for m, _ in runs])  # noqa: E731
    assert burnt(enough) < burnt(starved)
    assert burnt(relayed) < burnt(starved)
    assert sum(m.contained for m, _ in relayed) > sum(m.contained for m, _ in starved)


def test_evacuation_by_floors_cuts_exposed_person_minutes():
    attack = [("fire_attack", Lines(lines=4), 10, 22)]
    stay = over_seeds(Fire, FIRE, attack)
    leave = over_seeds(Fire, FIRE, [*attack, ("evacuate_floors", Floors(from_floor=9, to_floor=33), 8, 30)])
    wrong = over_seeds(Fire, FIRE, [*attack, ("evacuate_floors", Floors(from_floor=1, to_floor=5), 8, 30)])
    epm = lambda runs: np.mean([m.exposed_person_minutes for m, _ in runs])  # noqa: E731
    assert epm(leave) < 0.8 * epm(stay)
    assert epm(wrong) > epm(leave)  # the floors below the fire were never the problem


def test_rescue_and_smoke_control_save_the_trapped():
    attack = [("fire_attack", Lines(lines=4), 10, 22)]
    alone = over_seeds(Fire, FIRE, attack)
    helped = over_seeds(
        Fire,
        FIRE,
        [*attack, ("smoke_control", NoParams(), 8, 14), ("rescue_trapped", Floors(from_floor=11, to_floor=33), 12, 50)],
    )
    harm = lambda runs: np.mean([m.injured + 5 * m.dead for m, _ in runs])  # noqa: E731
    assert harm(helped) < 0.5 * harm(alone)
    _, plain = simulate(Fire, FIRE, attack, minutes=30)
    _, controlled = simulate(Fire, FIRE, [*attack, ("smoke_control", NoParams(), 5, 10)], minutes=30)
    assert controlled[-1]["smoke_floors"] < plain[-1]["smoke_floors"]


def test_floors_are_a_range_or_a_list():
    assert Floors(from_floor=9, to_floor=12).covers(10) and not Floors(from_floor=9, to_floor=12).covers(13)
    assert Floors(floors=[3, 7]).covers(7) and not Floors(floors=[3, 7]).covers(5)
    for bad in ({}, {"from_floor": 9}, {"from_floor": 12, "to_floor": 9}, {"floors": [0]}):
        with pytest.raises(ValidationError):
            Floors.model_validate(bad)
    with pytest.raises(ValidationError):
        Fire.Params.model_validate({**FIRE, "fire_floor": 40})


# -- crowd --------------------------------------------------------------------------------------------------
def _peak(runs, area=None):
    if area is None:
        return np.mean([m.peak_density for m, _ in runs])
    return np.mean([max(f["max_density"] for f in trace if f["worst_area"] == area) for _, trace in runs])


def test_the_crowd_thickens_at_the_bottleneck_when_the_show_draws_people():
    _, trace = simulate(Crowd, CROWD, changes=CROWD_SURGE, minutes=40)
    assert trace[-1]["max_density"] > trace[0]["max_density"]
    assert trace[-1]["worst_area"] == "stairs"


def test_flow_control_lowers_the_peak_density():
    nothing = over_seeds(Crowd, CROWD, changes=CROWD_SURGE)
    limited = over_seeds(Crowd, CROWD, [("limit_inflow", Inflow(share=0.6), 8, 18)], changes=CROWD_SURGE)
    assert _peak(limited) < _peak(nothing) - 1.0
    assert sum(m.crushed != set() for m, _ in limited) < sum(m.crushed != set() for m, _ in nothing)


def test_relaxing_an_inflow_limit_lets_people_back_in():
    limit = ("limit_inflow", Inflow(share=0.6), 8, 18)
    relax = ("limit_inflow", Inflow(share=0.1), 30, 35, "adjust")
    for seed in range(5):
        _, kept = simulate(Crowd, CROWD, [limit], changes=CROWD_SURGE, minutes=60, seed=seed)
        _, relaxed = simulate(Crowd, CROWD, [limit, relax], changes=CROWD_SURGE, minutes=60, seed=seed)
        assert kept[29] == relaxed[29]  # nothing changes before the adjustment starts
        assert relaxed[-1]["persons"] > kept[-1]["persons"]


def test_crush_risk_rises_steeply_with_density():
    def crush_share(inflow):
        params = {"areas": [{**CROWD["areas"][0], "initial_persons": 1200, "inflow_per_min": inflow}]}
        return np.mean([bool(m.crushed) for m, _ in over_seeds(Crowd, params, minutes=60)])

    thin, busy, packed = crush_share(90), crush_share(115), crush_share(140)
    assert thin < 0.1 < packed
    assert thin <= busy <= packed


def test_exits_and_a_cordon_help_where_they_are_placed():
    surge = CROWD_SURGE
    nothing = over_seeds(Crowd, CROWD, changes=surge)
    exits = over_seeds(Crowd, CROWD, [("open_exits", Exits(areas=["stairs"], factor=2.0), 8, 18)], changes=surge)
    elsewhere = over_seeds(Crowd, CROWD, [("open_exits", Exits(areas=["bridge"], factor=2.0), 8, 18)], changes=surge)
    crushes = lambda runs: sum("stairs" in m.crushed for m, _ in runs)  # noqa: E731
    assert crushes(exits) < crushes(nothing)
    assert crushes(elsewhere) >= crushes(exits)
    # a cordon damps the pressure waves: in a crowd that is dense but not hopeless, fewer crushes
    dense = {"areas": [{**CROWD["areas"][0], "initial_persons": 1200, "inflow_per_min": 115}]}
    plain = over_seeds(Crowd, dense, minutes=60)
    cordoned = over_seeds(Crowd, dense, [("police_cordon", Cordon(areas=["stairs"]), 5, 15)], minutes=60)
    assert crushes(cordoned) < crushes(plain)


def test_stopping_the_event_empties_the_stands_but_fills_the_way_out():
    surge = CROWD_SURGE
    _, going_on = simulate(Crowd, CROWD, changes=surge, minutes=70)
    model, stopped = simulate(Crowd, CROWD, [("stop_event", NoParams(), 5, 10)], changes=surge, minutes=70)
    gate = next(a for a in model.params.areas if a.id == "gate")
    assert stopped[30]["max_density"] < going_on[30]["max_density"]  # fewer arrive for the show
    assert model.density(gate) > 0  # … and they leave by the gate, which the plan must also look after
    assert stopped[-1]["persons"] < going_on[-1]["persons"]


def test_the_crowd_is_contained_once_every_area_is_below_the_safe_density():
    model, _ = simulate(Crowd, CROWD, [("limit_inflow", Inflow(share=0.8), 2, 8)], minutes=40)
    assert model.contained
    model, _ = simulate(Crowd, CROWD, changes=CROWD_SURGE, minutes=40)
    assert not model.contained


# -- flood: the backward-compatible extensions ------------------------------------------------------------
def test_pumps_still_take_one_site_and_now_several():
    assert Pumps(site="underpass", units=4).covers("underpass")
    both = Pumps(sites=["underpass", "lowland"], units=4)
    assert both.covers("lowland") and not both.covers("metro")
    with pytest.raises(ValidationError):
        Pumps.model_validate({"units": 4})
    _, one = simulate(Flood, FLOOD, [("deploy_pumps", Pumps(site="underpass", units=10), 5, 20)], minutes=60)
    _, two = simulate(Flood, FLOOD, [("deploy_pumps", both.model_copy(update={"units": 10}), 5, 20)], minutes=60)
    assert two[-1]["exposed_person_minutes"] <= one[-1]["exposed_person_minutes"]


def test_re_setting_pumps_to_fewer_units_leaves_fewer_pumping():
    steady = {**FLOOD, "rain_wander": 0.0}
    ten = ("deploy_pumps", Pumps(site="underpass", units=10), 5, 20)
    two = ("deploy_pumps", Pumps(site="underpass", units=2), 30, 40)
    kept, _ = simulate(Flood, steady, [ten], minutes=90)
    re_set, _ = simulate(Flood, steady, [ten, (*two, "adjust")], minutes=90)
    added, _ = simulate(Flood, steady, [ten, two], minutes=90)  # a second order adds its pumps to the first's
    assert added.depth["underpass"] <= kept.depth["underpass"] < re_set.depth["underpass"]


def test_flood_barriers_hold_back_the_water():
    steady = {**FLOOD, "rain_wander": 0.0}
    model, _ = simulate(Flood, steady, [("flood_barrier", Barrier(sites=["metro"], share=0.7), 5, 20)], minutes=90)
    plain, _ = simulate(Flood, steady, minutes=90)
    assert model.depth["metro"] < plain.depth["metro"]
    assert model.depth["underpass"] == plain.depth["underpass"]


def test_water_rescue_brings_people_out_of_a_flooded_site():
    stay = over_seeds(Flood, FLOOD, minutes=90)
    rescued = over_seeds(Flood, FLOOD, [("water_rescue", Rescue(sites=["lowland", "underpass"]), 20, 40)], minutes=90)
    epm = lambda runs: np.mean([m.exposed_person_minutes for m, _ in runs])  # noqa: E731
    assert epm(rescued) < epm(stay)
    with pytest.raises(ValidationError):
        Rescue(sites=[])
    # the old measures behave as before
    closed = over_seeds(Flood, FLOOD, [("close_underpass", Sites(), 2, 10)], minutes=90)
    assert epm(closed) < epm(stay)


def test_two_plans_under_one_seed_face_the_same_weather():
    """Common random numbers: what the trainees do (and so who gets hurt) must not change the rain or the wind."""
    from simulator import Plan, load_scenario, run_plan
    from simulator.formats import plan as p
    from tests.conftest import FIXTURES, SCENARIOS

    cases = (
        (FIXTURES / "flood_min.yaml", "rain_mm_h", "police", "close_underpass", {}),
        (SCENARIOS / "hazchem_leak.yaml", "downwind_deg", "street", "evacuate", {"radius_m": 2000}),
    )
    for path, figure, dept, measure, params in cases:
        scenario = load_scenario(path)
        acting = Plan(
            decisions=[
                p.Notify(action="notify", at=1, by="duty_office", to=[dept]),
                p.Order(action="order", at=1, by="duty_office", measure=measure, department=dept, params=params),
            ]
        )
        idle, acted = run_plan(scenario, Plan(), seed=3), run_plan(scenario, acting, seed=3)
        assert idle.outcome().injured != acted.outcome().injured  # the casualty draws did differ
        weather = [[e["figures"][figure] for e in d.log.of("hazard_sample")] for d in (idle, acted)]
        assert weather[0] == weather[1]


def _weather_by_minute(scenario, plan, seed: int):
    """Run ``plan`` as ``run_plan`` does, noting what the weather and noise streams gave at every minute."""
    from simulator import Drill

    drill, minute, seen = Drill(scenario, seed), 0, []

    def to(t: float) -> None:
        nonlocal minute
        while minute + 1 <= t:
            minute += 1
            drill.advance(minute)
            seen.append(drill.hazard.weather())

    for decision in plan.timed():
        to(decision.at)
        drill.advance(decision.at)
        drill.submit(decision)
    to(drill.end)
    return drill, seen


WEATHER_MODELS = [name for name, cls in REGISTRY.items() if len(cls.STREAMS) > 1]


@pytest.mark.parametrize("model", WEATHER_MODELS)
def test_in_an_eight_hour_drill_the_reference_and_the_poor_plan_see_the_same_weather(model):
    """Past the first block of noise draws (256 minutes for the wind) the weather must still not depend on the
    plan: the reference and the poor plan under seed 1, each minute of an 8-hour copy of the bundled scenario."""
    from simulator import load_plan, load_scenario
    from tests.conftest import SCENARIOS

    name = next(
        path.stem
        for path in sorted(SCENARIOS.glob("*.yaml"))
        if path.stem.count(".") == 0 and load_scenario(path).hazard.model == model
    )
    scenario = load_scenario(SCENARIOS / f"{name}.yaml").model_copy(update={"duration": 8 * 60.0})
    runs = [
        _weather_by_minute(scenario, load_plan(SCENARIOS / f"{name}.{plan}.yaml"), 1) for plan in ("reference", "poor")
    ]
    (good, good_weather), (poor, poor_weather) = runs
    assert good.outcome() != poor.outcome()  # the plans did differ, and so did the harm draws
    assert len(good_weather) == len(poor_weather) == 480 and good_weather[0]
    for minute, (a, b) in enumerate(zip(good_weather, poor_weather, strict=True), start=1):
        assert a == b, f"{name}: the weather differs from T+{minute}"


# -- what every model says about itself ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_measure_parameter_has_a_title_a_unit_and_a_default(name):
    """The forms, the report and the scores read the model's own table: nothing may be left to guess."""
    from simulator.hazards import measure_fields

    cls = REGISTRY[name]
    assert cls.title.zh and cls.title.en and cls.title.zh != cls.title.en
    scenario = _bundled(name)
    for measure, model in cls.measures.items():
        specs = measure_fields(scenario.hazard, measure)
        covered = {key for spec in specs for key in spec.keys}
        assert covered == set(model.model_fields), f"{name}.{measure}: {set(model.model_fields) ^ covered}"
        for spec in specs:
            assert spec.title.zh and spec.title.en, f"{name}.{measure}.{spec.key}"
            assert _has_chinese(spec.title.zh) and not _has_chinese(spec.title.en + spec.unit.en)
            if spec.kind in ("number", "integer"):
                assert spec.default and spec.min is not None and spec.max is not None  # never 0.00
                assert spec.min <= spec.default <= spec.max
                assert spec.unit.zh or spec.percent or spec.kind == "number", f"{name}.{measure}.{spec.key} unit"
            elif spec.form and spec.kind != "choice":
                assert spec.choices, f"{name}.{measure}.{spec.key}: the scenario's places or floors"
        defaults = {}
        for spec in specs:
            if spec.form:
                defaults |= (
                    dict(zip(spec.keys, spec.default, strict=True)) if len(spec.keys) > 1 else {spec.key: spec.default}
                )
        _, problem = cls.validate_measure(measure, defaults)
        assert problem is None, f"{name}.{measure}: the form's defaults are refused: {problem}"


def _bundled(model: str):
    """The bundled scenario of a hazard model."""
    from tests.conftest import SCENARIOS

    paths = [path for path in sorted(SCENARIOS.glob("*.yaml")) if path.stem.count(".") == 0]
    return next(s for s in map(load_scenario, paths) if s.hazard.model == model)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_figure_has_a_label_in_both_languages(name):
    from simulator.hazards import figure_label, figure_unit

    scenario = _bundled(name)
    model = REGISTRY[name](scenario.hazard.params, seeded(0))
    for key in model.figures():
        label = figure_label(name, key)
        assert _has_chinese(label.zh) and label.en and not _has_chinese(label.en + figure_unit(name, key).en), key


def test_parameters_are_put_in_words_with_their_units():
    from simulator.hazards import describe_params, places
    from tests.conftest import SCENARIOS

    flood, fire, plume, crowd = (
        load_scenario(SCENARIOS / f"{n}.yaml") for n in ("urban_flood", "highrise_fire", "hazchem_leak", "crowd_crush")
    )
    assert describe_params(plume.hazard, "evacuate", {"radius_m": 1500.0}) == "疏散半径1500米"
    assert describe_params(plume.hazard, "evacuate", {"radius_m": 1500.0}, lang="en") == "evacuation radius 1500 m"
    site = flood.hazard.params.sites[0]
    pumps = describe_params(flood.hazard, "deploy_pumps", {"sites": [site.id], "units": 16})
    assert pumps == f"排涝地点：{site.name}，每处泵车16台" and places(flood.hazard.params)[site.id] == site.name
    assert describe_params(fire.hazard, "evacuate_floors", {"from_floor": 3, "to_floor": 8}) == "疏散楼层第3至第8层"
    assert describe_params(crowd.hazard, "limit_inflow", {"share": 0.6}) == "限流比例60%"
    assert describe_params(crowd.hazard, "limit_inflow", {"areas": []}, lang="en") == "areas: all"
