"""The console's decision forms, built from what each hazard declares: every measure of every bundled hazard can
be ordered from the form with its defaults and accepted by the drill, one can be adjusted, and the form in English
shows no Chinese outside scenario data."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from simulator import library
from simulator.formats import plan as p
from simulator.hazards import REGISTRY
from simulator.store import DrillStore
from tests.accounts import make_account
from tests.conftest import ROOT
from tests.test_app import PASSCODE, _chinese_outside, _library_words, _shown

TIMEOUT = 120  # seconds per script run: each submission rebuilds the drill from the store

BUNDLED = {e.scenario.hazard.model: e for e in library.catalog()[0] if e.scenario.id in {
    "hazchem_leak", "urban_flood", "gas_explosion", "highrise_fire", "crowd_crush"}}  # fmt: skip


@pytest.fixture
def db(tmp_path, monkeypatch) -> DrillStore:
    url = f"sqlite:///{tmp_path / 'drills.db'}"
    monkeypatch.setenv("DRILL_DB_URL", url)
    return DrillStore(url)


def _console(db, entry, lang: str = "zh") -> AppTest:
    """A facilitator at the console of a new drill of ``entry`` in which every department has been notified."""
    scenario = entry.scenario
    account = make_account(db, name="Facilitator A", org="Test district")  # names are data: English for English
    record = db.create(scenario.id, scenario.version, 1, "Team one", PASSCODE, org_id=account.org_id)
    everyone = [d.id for d in scenario.departments]
    db.append_decision(record.id, p.Notify(action="notify", at=0, by=scenario.departments[0].id, to=everyone))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["account_id"] = account.id
    at.session_state["drill_id"] = record.id
    at.session_state["role"] = "facilitator"
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/console.py").run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest) -> str:
    at.button(key="submit_decision").click().run()
    assert not at.exception, at.exception
    return "\n".join(m.value for m in (*at.success, *at.error))


def test_every_bundled_hazard_has_a_bundled_scenario():
    assert set(BUNDLED) == set(REGISTRY)


@pytest.mark.parametrize("model", sorted(REGISTRY))
def test_every_measure_can_be_ordered_from_the_console_with_its_defaults(db, model):
    entry = BUNDLED[model]
    at = _console(db, entry)
    for measure in entry.scenario.measures:
        at.selectbox(key="action").set_value("order").run()
        at.selectbox(key="f_order_measure").set_value(measure.id).run()
        result = _submit(at)
        assert "决策已受理" in result, (measure.id, result)
    # adjust one measure with parameters: the form starts from its setting; change a number, a place or the floors
    adjustable = [m.id for m in entry.scenario.measures if m.id in REGISTRY[model].MEASURE_PARAMS]
    at.selectbox(key="action").set_value("adjust").run()
    at.selectbox(key="f_adjust_measure").set_value(adjustable[0]).run()
    numbers = [w for w in at.number_input if w.key.startswith("f_adjust_")]
    if numbers:
        numbers[0].set_value(numbers[0].value + (numbers[0].step or 1)).run()
    at.text_input(key="f_adjust_reason").input("现场情况变化").run()
    result = _submit(at)
    assert "决策已受理" in result, (adjustable[0], result)


def test_the_places_and_floors_are_offered_by_name():
    entry = BUNDLED["fire"]
    from simulator.hazards import measure_fields

    [floors, extra] = measure_fields(entry.scenario.hazard, "evacuate_floors")
    assert floors.kind == "floor_range" and floors.max == entry.scenario.hazard.params.floors
    assert extra.choices[2][1].zh == "3层"
    flood = BUNDLED["flood"].scenario
    [sites, *_] = measure_fields(flood.hazard, "deploy_pumps")
    assert [label.zh for _, label in sites.choices] == [s.name for s in flood.hazard.params.sites]


def test_the_form_in_english_shows_no_chinese_outside_scenario_data(db):
    allowed = _library_words()
    for model in sorted(REGISTRY):
        entry = BUNDLED[model]
        at = _console(db, entry, lang="en")
        for action in ("assess", "notify", "establish_command_post", "report_up", "review", "order"):
            at.selectbox(key="action").set_value(action).run()
            assert _chinese_outside(_shown(at), allowed) == [], (model, action)
        for measure in entry.scenario.measures:
            at.selectbox(key="f_order_measure").set_value(measure.id).run()
            assert _chinese_outside(_shown(at), allowed) == [], (model, measure.id)


def test_a_refused_form_names_its_field_by_its_label_in_the_users_language():
    from pydantic import TypeAdapter, ValidationError

    from simulator.formats.plan import Decision
    from ui import common

    bad = [
        {"action": "assess", "at": 3, "by": "duty_office", "event_type": "", "level": 3},
        {"action": "notify", "at": 3, "by": "duty_office", "to": []},
        {"action": "establish_command_post", "at": 1, "by": "duty_office", "groups": [{"name": "a", "lead": "-"}]},
    ]
    shown = []
    for raw in bad:
        try:
            TypeAdapter(Decision).validate_python(raw)
        except ValidationError as exc:
            shown += common.validation_messages(exc)
    assert shown[:2] == ["事件类型：不能为空", "通知部门：请至少选择一项"]
    assert shown[2].startswith("牵头部门第1行：")
    assert not any(re.search(r"[A-Za-z]", line) for line in shown), shown  # no field path, no pydantic English
