"""Reports up, checked and not only timed (issue 16, finding 5): the first report named by its medium, figures
against the toll when the report was made (漏报/瞒报), 续报 at the answer key's interval, and reporting earlier
never scoring lower.

Small runs of the bundled hazardous-chemicals scenario under seed 3 (its golden seed): 1 dead at T+36, the
injured rising from T+7; the reference run is made once and every plan is scored against it.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from simulator import load_plan, load_scenario
from simulator.engine import run_plan
from simulator.engine.seat import seat_view
from simulator.experiment import evaluate
from simulator.formats import plan as p
from simulator.formats.scenario import ReportDeadlines
from simulator.narrator import Narrator
from simulator.report import build_report_of, render_markdown
from simulator.scoring import score_drill
from tests.conftest import SCENARIOS
from tests.test_app import _decide, db, facilitator  # noqa: F401  (fixtures)

SEED = 3


def _report(at, mode="written", **figures):
    return p.ReportUp(action="report_up", at=at, by="duty_office", mode=mode, to="city_duty", level=3, **figures)


def _without_reports(plan):
    return [d for d in plan.decisions if d.action != "report_up"]


def _with_follow_up(scenario, every):
    key = scenario.answer_key
    deadlines = ReportDeadlines(follow_up=every)
    return scenario.model_copy(update={"answer_key": key.model_copy(update={"report_deadlines": deadlines})})


@pytest.fixture(scope="module")
def reference_run(hazchem, reference_plan):
    return run_plan(hazchem, reference_plan, SEED)


def _score(scenario, plan, decisions, reference_run):
    drill = run_plan(scenario, plan.model_copy(update={"decisions": decisions}), SEED)
    return score_drill(scenario, drill.log, reference=reference_run.log), drill


def _indicator(score, ident):
    for keyword in score["keywords"].values():
        for ind in keyword["indicators"]:
            if ind["id"] == ident:
                return ind
    raise KeyError(ident)


def _kinds(ind):
    return [e["facts"]["kind"] for e in ind["evidence"]]


def test_a_written_first_report_is_named_by_its_medium(hazchem, reference_plan, reference_run):
    decisions = [*_without_reports(reference_plan), _report(5, "written")]
    score, _ = _score(hazchem, reference_plan, decisions, reference_run)
    texts = [e["text"] for e in _indicator(score, "report_up")["evidence"]]
    assert any("首次报告（书面）" in t for t in texts), texts
    assert not any("电话" in t for t in texts), texts


def test_understated_figures_are_louling_and_concealed_deaths_are_manbao(hazchem, reference_plan, reference_run):
    """A written report at T+50 (1 dead and 15 or more injured by then) that states 0 dead and 3 injured: 瞒报 of
    the death and 漏报 of the injured, each citing the report, the stated and the true figure; the casualties
    behind the truth are cited; a true report in its place scores higher; the 调研报告 names the 瞒报."""
    base = _without_reports(reference_plan)
    false, drill = _score(
        hazchem, reference_plan, [*base, _report(4, "phone"), _report(50, dead=0, injured=3)], reference_run
    )
    casualties = [e for e in drill.log.events if e.kind == "casualties" and e.t <= 50]
    dead, injured = casualties[-1]["total_dead"], casualties[-1]["total_injured"]
    assert dead >= 1 and injured > 5  # the situation the finding needs
    ind = _indicator(false, "report_accuracy")
    by_kind = {e["facts"]["kind"]: e for e in ind["evidence"] if e["against"]}
    concealed, understated = by_kind["report_concealed"], by_kind["report_understated"]
    assert concealed["facts"]["figure"] == "dead"
    assert (concealed["facts"]["expected"], concealed["facts"]["actual"]) == (dead, 0)
    assert understated["facts"]["figure"] == "injured"
    assert (understated["facts"]["expected"], understated["facts"]["actual"]) == (injured, 3)
    received = [e for e in drill.log.events if e.kind == "report_received" and e.get("mode") == "written"]
    assert concealed["event_id"] == received[0].id and "瞒报" in concealed["text"]
    assert any(e["facts"]["kind"] == "toll" and e["event_id"] == casualties[-1].id for e in ind["evidence"])

    true, _ = _score(
        hazchem, reference_plan, [*base, _report(4, "phone"), _report(50, dead=dead, injured=injured)], reference_run
    )
    assert _indicator(true, "report_accuracy")["points"] > ind["points"]
    assert true["total"] > false["total"]
    assert "report_concealed" not in _kinds(_indicator(true, "report_accuracy"))

    report = render_markdown(build_report_of(evaluate(hazchem, drill, SEED, reference=reference_run)))
    assert "瞒报" in report


def test_a_missing_follow_up_report_costs(hazchem, reference_plan, reference_run):
    """With 续报 every 60 minutes, a plan that reports twice in the first hour and never again (closing at T+150)
    loses points a plan with a 续报 at T+85 keeps; without a 续报 rule the two score the same."""
    base = [*_without_reports(reference_plan), _report(5, "phone"), _report(20)]
    hourly = _with_follow_up(hazchem, 60)
    missing, drill = _score(hourly, reference_plan, base, reference_run)
    # the 续报 gives the toll at T+85 truly (the two plans are the same until then): a 续报 leaving deaths out
    # would be 瞒报, a fault of its own
    toll = [e for e in drill.log.of("casualties") if e.t <= 85]
    dead, injured = (toll[-1]["total_dead"], toll[-1]["total_injured"]) if toll else (0, 0)
    follow = [*base, _report(85, dead=dead, injured=injured)]
    kept, _ = _score(hourly, reference_plan, follow, reference_run)
    assert "follow_up_missing" in _kinds(_indicator(missing, "report_up"))
    assert "follow_up" in _kinds(_indicator(kept, "report_up"))
    assert _indicator(missing, "report_up")["points"] < _indicator(kept, "report_up")["points"]
    assert missing["total"] < kept["total"]
    plain = _with_follow_up(hazchem, None)
    a, _ = _score(plain, reference_plan, base, reference_run)
    b, _ = _score(plain, reference_plan, follow, reference_run)
    assert _indicator(a, "report_up")["points"] == _indicator(b, "report_up")["points"]


@pytest.mark.parametrize("offset", [3, 10, 18])
def test_reporting_earlier_never_scores_lower(hazchem, reference_plan, reference_run, offset):
    """The same reports (figures and all), made earlier: every report together, and each one alone."""
    hourly = _with_follow_up(hazchem, 60)
    reports = [_report(20, "phone"), _report(40, dead=0, injured=9), _report(110, dead=1, injured=15)]
    base = _without_reports(reference_plan)
    before, _ = _score(hourly, reference_plan, [*base, *reports], reference_run)
    moved = [r.model_copy(update={"at": max(0.0, r.at - offset)}) for r in reports]
    after, _ = _score(hourly, reference_plan, [*base, *moved], reference_run)
    assert after["total"] >= before["total"]
    one = [*reports[:2], moved[2]]
    alone, _ = _score(hourly, reference_plan, [*base, *one], reference_run)
    assert alone["total"] >= before["total"]


def test_the_seat_and_the_log_read_the_figures_naturally(hazchem, reference_run):
    """The reference's 续报 states 死亡1人、受伤14人: the higher level's seat and the narrated log say so in words."""
    log = reference_run.log.events
    seat = seat_view(hazchem, log, "city_duty", hazchem.duration)
    reports = [item for item in seat.items if item.kind == "report"]
    assert any("死亡1人、受伤14人" in item.text for item in reports), [i.text for i in reports]
    narrator = Narrator(hazchem, log)
    said = [narrator.tell(e) for e in log if e.kind == "report_received"]
    assert any(t is not None and "（死亡1人、受伤14人）" in t.text for t in said)
    assert not any(t is not None and "None" in t.text for t in said)


def test_moving_one_report_before_the_others_keeps_their_leeway(hazchem, reference_plan, reference_run):
    """A phone report at T+25 without figures (people already hurt) is a 初报 within the first deadline; the
    written report with figures moved from T+40 to T+10, ahead of it, does not make it a 漏报."""
    base = _without_reports(reference_plan)
    phone = _report(25, "phone")
    before, _ = _score(hazchem, reference_plan, [*base, phone, _report(40, dead=1, injured=40)], reference_run)
    after, _ = _score(hazchem, reference_plan, [*base, _report(10, dead=1, injured=40), phone], reference_run)
    assert after["total"] >= before["total"]
    assert "report_understated" not in _kinds(_indicator(after, "report_accuracy"))


def test_the_console_form_takes_the_figures_in_chinese(facilitator: AppTest, db):  # noqa: F811
    """报告情况 on the console: number inputs labelled 死亡人数 … ; an empty one is not stated (not 0)."""
    facilitator.switch_page("views/console.py").run()
    facilitator.selectbox(key="action").set_value("report_up").run()
    labels = {w.key: w.label for w in facilitator.number_input}
    assert labels["f_report_up_dead"] == "死亡人数" and labels["f_report_up_trapped"] == "被困人数"
    _decide(facilitator, "report_up", mode="written", dead=1, injured=15)
    [decision] = db.load(facilitator.session_state["drill_id"]).decisions
    assert (decision.dead, decision.injured, decision.missing, decision.trapped) == (1, 15, None, None)


def test_a_scripted_report_of_the_known_toll_is_true_under_every_seed():
    """A reference plan is run under many seeds; ``dead: known`` states the toll so far, so the expert's 续报 is
    true whatever the seed (numbers written for seed 3 were 瞒报 under seed 4, where the explosion kills two)."""
    scenario = load_scenario(SCENARIOS / "gas_explosion.yaml")
    plan = load_plan(SCENARIOS / "gas_explosion.reference.yaml")
    assert any(d.action == "report_up" and d.dead == "known" for d in plan.decisions)
    stated = set()
    for seed in (3, 4):
        drill = run_plan(scenario, plan, seed)
        score = score_drill(scenario, drill.log)
        accuracy = _indicator(score, "report_accuracy")
        assert accuracy["points"] == accuracy["max"], seed
        stated.add(tuple(e["figures"].get("dead") for e in drill.log.of("report_received") if e["figures"]))
    assert len(stated) == 2  # different tolls, each reported as it was


def test_the_injured_figure_counts_the_living_as_a_bulletin_does(hazchem, reference_plan, reference_run):
    """造成1人死亡、14人受伤: the dead are not also counted among the injured, in the outcome, the log's totals and
    the truth a report is checked against; a report that moves a person from 受伤 to 死亡 is no 漏报."""
    hazard = reference_run.hazard
    assert hazard.dead >= 1 and hazard.wounded == hazard.injured - hazard.dead
    assert reference_run.outcome().injured == hazard.wounded
    assert reference_run.log.of("casualties")[-1]["total_injured"] == hazard.wounded
    toll = [e for e in reference_run.log.of("casualties") if e.t <= 100][-1]
    decisions = [
        *_without_reports(reference_plan),
        _report(100, dead=toll["total_dead"], injured=toll["total_injured"]),
    ]
    bulletin, drill = _score(hazchem, reference_plan, decisions, reference_run)
    assert toll["total_dead"] >= 1 and drill.log.of("report_received")  # a death by then, and the report arrived
    assert "report_understated" not in _kinds(_indicator(bulletin, "report_accuracy"))
