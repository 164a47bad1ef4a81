"""快速录入 (issue 21): spoken sentences become the plan decisions they mean, the words not understood are said, and
a decision entered this way is the same decision as one entered by form.

The test set (tests/fixtures/quick/*.yaml, written before the parser was tuned) is scored as exact decisions:
a parsed decision counts when the expected list holds the same decision; the score is the decisions matched over
the larger of (expected, parsed) per sentence, so a missed and an invented decision both cost.
"""

from __future__ import annotations

import json
from collections import Counter

import yaml
from pydantic import TypeAdapter
from streamlit.testing.v1 import AppTest

from simulator import library
from simulator.formats.plan import Decision
from simulator.quick import parse
from tests.accounts import signed_in
from tests.conftest import ROOT
from tests.test_app import PASSCODE, TIMEOUT, _decide, db, facilitator  # noqa: F401  (the console's fixtures, used by name)

FIXTURES = ROOT / "tests" / "fixtures" / "quick"
DECISION = TypeAdapter(Decision)
THRESHOLD = 0.90


def _scenarios():
    return {entry.id: entry.scenario for entry in library.catalog()[0]}


def _key(decision) -> str:
    """A decision's content, whatever the order its parameters were written in."""
    return json.dumps(decision.model_dump(mode="json", exclude={"at", "note"}), sort_keys=True, ensure_ascii=False)


def score_test_set() -> tuple[int, int, list[str]]:
    """(decisions matched, decisions counted, the sentences that missed) over the whole test set."""
    scenarios = _scenarios()
    matched = counted = 0
    misses = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scenario = scenarios[data["scenario"]]
        for case in data["sentences"]:
            result = parse(scenario, case["say"], by=case.get("by"), at=0)
            by = result.decisions[0].by if result.decisions else case.get("by", "duty_office")
            expected = Counter(_key(DECISION.validate_python({"at": 0, "by": by, **e})) for e in case["expect"])
            got = Counter(_key(d) for d in result.decisions)
            hits = sum((expected & got).values())
            matched += hits
            counted += max(sum(expected.values()), sum(got.values()))
            if hits < max(sum(expected.values()), sum(got.values())):
                misses.append(f"{path.stem}: {case['say']}")
    return matched, counted, misses


def test_the_test_set_parses_to_at_least_ninety_percent_exact_decisions():
    matched, counted, misses = score_test_set()
    accuracy = matched / counted
    print(f"快速录入测试集：{matched}/{counted} 项决策完全正确（{accuracy:.1%}）")
    sentences = sum(len(yaml.safe_load(p.read_text(encoding="utf-8"))["sentences"]) for p in FIXTURES.glob("*.yaml"))
    assert sentences >= 80
    assert accuracy >= THRESHOLD, f"{accuracy:.1%} < 90%:\n" + "\n".join(misses)


def test_unknown_words_are_said_and_assumptions_are_noted_never_guessed():
    scenario = _scenarios()["hazchem_leak"]
    result = parse(scenario, "通知消访、公安，今天风有点大，王强任现场指挥")
    assert [d.action for d in result.decisions] == ["notify", "appoint_commander"]
    assert result.decisions[0].to == ["fire", "police"]
    assert result.unparsed_text() == "「今天风有点大」"
    notes = [n.zh for n in result.notes]
    assert "「消访」按「消防」理解" in notes  # the typo mended, and said
    assert any(n.startswith("王强：未说明所在部门") for n in notes)  # the department assumed, and said
    said = "通知消访、公安，今天风有点大，王强任现场指挥"
    assert [said[a:b] for a, b in result.spans[1]] == ["王强", "任现场指挥"]


def test_the_command_line_prints_a_plan_and_fails_on_nothing_understood(capsys):
    from simulator.cli import main
    from simulator.formats import Plan

    assert main(["parse", "hazchem_leak", "街道办十分钟内疏散1.5公里范围群众", "--at", "20m"]) == 0
    plan = Plan.model_validate(yaml.safe_load(capsys.readouterr().out))
    (order,) = plan.decisions
    assert (order.at, order.department, order.measure, order.params, order.due) == (
        20,
        "street",
        "evacuate",
        {"radius_m": 1500},
        30,
    )
    assert main(["parse", "scenarios/gas_explosion.yaml", "今天天气不错"]) == 1
    assert "未识别：「今天天气不错」" in capsys.readouterr().err
    assert main(["parse", "hazchem_leak", "通知消防", "--by", "nobody"]) == 1
    assert "nobody" in capsys.readouterr().err


def _log(store, drill_id: int) -> list[str]:
    from simulator.engine import replay

    record = store.load(drill_id)
    scenario = library.find("hazchem_leak").scenario
    drill = replay(scenario, record.seed, record.decisions, record.clock, record.finished)
    return [e.to_json() for e in drill.log]


def test_a_quick_entry_decision_replays_exactly_like_the_same_decision_entered_by_form(facilitator, db):  # noqa: F811
    quick_id = facilitator.session_state["drill_id"]
    facilitator.switch_page("views/console.py").run()
    said = "通知消访、公安、街道立即赶赴现场，今天风有点大。街道办疏散1500米范围群众"
    facilitator.text_area(key="quick_text").input(said).run()
    facilitator.button(key="quick_parse").click().run()
    shown = "\n".join(m.value for m in facilitator.markdown)
    assert ":orange-background[通知消访]、:orange-background[公安]" in shown  # the words it came from
    assert any("未识别：「今天风有点大」" in w.value for w in facilitator.warning)
    facilitator.button(key="quick_submit").click().run()
    assert not facilitator.exception

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    account = signed_in(at, db)  # the facilitator's account (one organisation: both drills are its own)
    form = db.create("hazchem_leak", "1", 1, "二组", PASSCODE, org_id=account.org_id)
    at.session_state["drill_id"] = form.id
    at.session_state["role"] = "facilitator"
    at.run()
    at.switch_page("views/console.py").run()
    _decide(at, "notify", to=["fire", "police", "street"])
    _decide(at, "order", measure="evacuate", dept="street", radius_m=1500.0)

    assert [d.action for d in db.load(quick_id).decisions] == ["notify", "order"]
    assert "decision_rejected" not in {json.loads(line)["kind"] for line in _log(db, quick_id)}
    assert _log(db, quick_id) == _log(db, form.id)
