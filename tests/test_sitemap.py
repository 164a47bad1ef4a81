"""The site map: what it shows follows the drill (the wind shift turns the plume, an evacuation order draws its
radius, pumps bring the water down), a logged drill's map equals the live one, the report's PNG, and the 大屏 page:
it renders for a running drill, holds no answer key and no grade unless the facilitator turns the grade on."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from simulator import load_plan, load_scenario, run_plan
from simulator.engine import replay
from simulator.formats import plan as p
from simulator.report.sitemap import render_map
from simulator.sitemap import live_map, map_at, track
from tests.accounts import signed_in
from tests.conftest import ROOT
from tests.test_app import TIMEOUT, _shown, _under_way
from tests.test_app import db as db  # the fixture: a fresh store in a temporary SQLite file

SCENARIOS = ROOT / "scenarios"


def _run(scenario_id: str, plan: str = "reference", seed: int = 3):
    scenario = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    return scenario, run_plan(scenario, load_plan(SCENARIOS / f"{scenario_id}.{plan}.yaml"), seed).log


def _off_axis(a: float, b: float) -> float:
    d = abs(a - b) % 360.0
    return min(d, 360.0 - d)


def test_the_plume_turns_with_the_wind_shift_inject():
    scenario, log = _run("hazchem_leak", "poor")
    shift = next(e for e in log.of("inject_released") if e["inject"] == "i10").t  # 风向转为东南风
    before, after = map_at(scenario, log, shift - 1), map_at(scenario, log, shift + 1)
    assert _off_axis(before.plume.downwind_deg, 225) < 20  # 东北风: the plume goes south-west
    assert _off_axis(after.plume.downwind_deg, 315) < 5  # 东南风: now north-west, towards 滨海花园小区
    assert before.wind.label("zh").startswith("东北风") and after.wind.label("zh").startswith("东南风")
    residential = next(m for m in after.marks if m.name == "滨海花园小区")
    assert residential.x < 0 < residential.y  # north-west of the tank, where the plume now points


def test_an_evacuation_order_draws_its_radius():
    scenario, log = _run("hazchem_leak")
    ordered = next(e for e in log.of("task_ordered") if e["measure"] == "evacuate")
    assert not [r for r in map_at(scenario, log, ordered.t - 1).rings if r.measure == "evacuate"]
    [ring] = [r for r in map_at(scenario, log, ordered.t).rings if r.measure == "evacuate"]
    assert ring.radius_m == ordered["params"]["radius_m"]
    assert ring.state == "ordered" and "疏散" in ring.label("zh") and "米" in ring.label("zh")
    finished = next(e for e in log.of("task_finished") if e["task"] == ordered["task"])
    assert [r.state for r in map_at(scenario, log, finished.t).rings if r.measure == "evacuate"] == ["finished"]


def _depths(scenario, log, site: str) -> list[float]:
    found = track(scenario, log)
    assert found is not None
    return [found.at(float(t))["depth"][site] for t in range(int(scenario.duration) + 1)]


def test_the_flood_s_water_depth_at_a_site_rises_then_falls_with_pumps():
    scenario = load_scenario(SCENARIOS / "urban_flood.yaml")
    reference = load_plan(SCENARIOS / "urban_flood.reference.yaml")
    log = run_plan(scenario, reference, 3).log
    # the reference's last pumping order: pumps sent on to the underground garage at T+95
    pumped = [e for e in log.of("task_ordered") if e["measure"] == "deploy_pumps"][-1]
    site = pumped["params"]["sites"][-1]
    arrived = next(e for e in log.of("task_finished") if e["task"] == pumped["task"]).t
    depth = _depths(scenario, log, site)
    peak = depth.index(max(depth))
    assert depth[10] < depth[50] < depth[90] < max(depth)  # the storm fills it
    assert pumped.t <= peak <= arrived + 5  # until the pumps work …
    assert depth[-1] < max(depth) - 1.0  # … then the water comes down
    shown = map_at(scenario, log, float(peak))
    mark = next(m for m in shown.marks if m.id == site)
    assert re.search(r"积水\d+\.\d\d米（警戒", mark.note("zh")) and mark.level >= 1
    later = next(m for m in map_at(scenario, log, arrived + 1).marks if m.id == site)
    assert "泵车" in later.note("zh")
    # the same storm with no pumps sent there: the water stays up
    kept = [d for d in reference.decisions if not (d.action == "adjust" and d.at == pumped.t)]
    without = _depths(scenario, run_plan(scenario, reference.model_copy(update={"decisions": kept}), 3).log, site)
    assert without[-1] > depth[-1] + 0.5


@pytest.mark.parametrize(
    "scenario_id", ["hazchem_leak", "urban_flood", "crowd_crush", "gas_explosion", "highrise_fire"]
)
def test_a_logged_drill_s_map_is_the_live_drill_s_map(scenario_id):
    """Replay rebuilds the drill from its log's decisions: the same map as the drill showed live at that minute."""
    scenario, full = _run(scenario_id)
    plan = load_plan(SCENARIOS / f"{scenario_id}.reference.yaml")
    live = replay(scenario, 3, [d for d in plan.timed() if d.at <= 47], 47)
    assert map_at(scenario, live.log, 47) == live_map(live)
    assert track(scenario, full) is not None  # the rebuilt log equals the given one, byte for byte


def test_a_log_that_does_not_rebuild_falls_back_to_its_figures():
    _, log = _run("hazchem_leak")
    other = load_scenario(SCENARIOS / "hazchem_leak.yaml")
    other = other.model_copy(
        update={
            "hazard": other.hazard.model_copy(
                update={"params": other.hazard.params.model_copy(update={"release_rate_kg_min": 5.0})}
            )
        }
    )
    assert track(other, log) is None
    shown = map_at(other, log, 60)
    assert shown.plume is not None and shown.plume.downwind_deg == pytest.approx(
        next(e for e in reversed(log.of("hazard_sample")) if e.t <= 60)["figures"]["downwind_deg"]
    )


def test_coordinates_are_map_only_and_a_scenario_without_them_is_drawn_schematically():
    scenario, log = _run("urban_flood")
    sites = [s.model_copy(update={"x_m": None, "y_m": None}) for s in scenario.hazard.params.sites]
    bare = scenario.model_copy(
        update={
            "hazard": scenario.hazard.model_copy(
                update={"params": scenario.hazard.params.model_copy(update={"sites": sites})}
            )
        }
    )
    assert run_plan(bare, load_plan(SCENARIOS / "urban_flood.reference.yaml"), 3).log.to_jsonl() == log.to_jsonl()
    assert map_at(scenario, log, 30).schematic is False
    schematic = map_at(bare, log, 30)
    assert schematic.schematic and len({(m.x, m.y) for m in schematic.marks}) == len(sites)


def test_the_report_gets_the_map_as_a_png():
    scenario, log = _run("highrise_fire")
    png = render_map(scenario, log, 30)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


# -- the 大屏 page --------------------------------------------------------------------------------------------------
@pytest.fixture
def big_screen(db, hazchem, reference_plan):
    record = _under_way(db, reference_plan, decisions=12, clock=60)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    signed_in(at, db)
    at.session_state["drill_id"] = record.id
    at.session_state["role"] = "facilitator"
    at.run()
    at.switch_page("views/bigscreen.py").run()
    assert not at.exception, at.exception
    return at, record


def _answer_key_texts(scenario) -> list[str]:
    key = scenario.answer_key
    texts = [key.event_type]
    for m in key.measures:
        for param in m.params.values():
            if param.tolerance:
                texts += [f"±{param.tolerance:g}", f"（±{param.tolerance:g}"]
    return texts


def _everything(at: AppTest) -> list[str]:
    """What the page shows, tables included (``test_app._shown`` looks for the element type ``arrow_data_frame``,
    which this Streamlit calls ``dataframe``)."""
    cells = [str(v) for df in at.dataframe for v in [*df.value.columns, *df.value.astype(str).to_numpy().ravel()]]
    return _shown(at) + cells


def test_the_big_screen_shows_the_drill_without_answer_key_or_grade(big_screen, hazchem):
    at, record = big_screen
    shown = _everything(at)
    text = "\n".join(shown)
    assert record.code in text and "T+60（09:10）" in text
    assert [d.name for d in hazchem.departments if d.name not in text] == []  # the whole board
    assert "现场态势图" in text and "疏散转移群众" in text  # the site map with the evacuation ordered
    assert [s for s in shown for bad in _answer_key_texts(hazchem) if bad in s] == []
    assert not any(word in text for word in ("等级", "实时评分", "不合格", "答案"))
    assert [m for m in at.metric if m.label in ("等级", "实时评分")] == []


def test_the_big_screen_shows_the_grade_once_the_facilitator_turns_it_on(big_screen, db, monkeypatch):
    """Shown once turned on, and scored once per state of the drill however often the screens redraw."""
    import ui.common

    scored = []
    evaluate = ui.common.evaluate
    monkeypatch.setattr(ui.common, "evaluate", lambda *a, **k: scored.append(1) or evaluate(*a, **k))
    at, record = big_screen
    db.set_flag(record.id, "big_screen_grade", True)
    for _ in range(3):
        at.run()
        assert not at.exception
        assert [m.label for m in at.metric if m.label == "实时评分"] == ["实时评分"]
    assert len(scored) == 1
    db.set_clock(record.id, 90)  # the drill moves on (from T+60): scored again
    at.run()
    assert len(scored) == 2


def test_a_trainee_cannot_open_the_big_screen(db, hazchem, reference_plan):
    """The app gives a trainee no such page; the page itself, run directly, shows a trainee nothing of the drill."""
    record = _under_way(db, reference_plan, decisions=4, clock=20)
    at = AppTest.from_file(str(ROOT / "views" / "bigscreen.py"), default_timeout=TIMEOUT)
    for key, value in {"drill_id": record.id, "role": "trainee", "dept": "street"}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert record.code not in "\n".join(_everything(at)) and not at.dataframe and not at.metric


def test_exercise_control_releasing_the_wind_shift_early_turns_the_plume_early():
    """导调组's decisions are in the log too, so a drill it steered rebuilds: the map follows the early wind shift."""
    scenario = load_scenario(SCENARIOS / "hazchem_leak.yaml")
    plan = load_plan(SCENARIOS / "hazchem_leak.reference.yaml")
    early = p.ReleaseInject(at=20, by=p.CONTROL, action="release_inject", inject="i10")
    log = run_plan(scenario, plan.model_copy(update={"decisions": [*plan.decisions, early]}), 3).log
    assert log.of("control_accepted") and track(scenario, log) is not None
    assert _off_axis(map_at(scenario, log, 21).plume.downwind_deg, 315) < 5
