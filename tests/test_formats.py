"""Broken scenario and plan files give located errors (file, line, field, what was expected), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import FileFormatError, load_plan, load_scenario
from simulator.formats.durations import format_minutes, parse_minutes
from simulator.formats.loader import MAX_FILE_BYTES
from tests.conftest import SCENARIOS

SCENARIO_TEXT = (SCENARIOS / "hazchem_leak.yaml").read_text(encoding="utf-8")


def _problems(loader, text: str | bytes, name: str = "broken.yaml"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(FileFormatError) as caught:
        loader(name, data)
    return caught.value.problems


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_the_bundled_files_are_valid(hazchem, reference_plan, poor_plan):
    assert len(hazchem.departments) >= 10
    assert len(hazchem.injects) >= 12
    assert reference_plan.scenario == poor_plan.scenario == hazchem.id


def test_a_bad_duration_names_line_and_field():
    text = SCENARIO_TEXT.replace("    at: 8m\n", "    at: 八分钟\n")
    [problem] = _problems(load_scenario, text)
    assert problem.file == "broken.yaml"
    assert problem.line == _line_of(text, "at: 八分钟")
    assert problem.field == "injects[2].at"
    assert "5m" in problem.message


def test_an_unknown_key_is_reported_as_a_probable_typo():
    text = SCENARIO_TEXT.replace("  reliability: 0.99\n", "  reliabilty: 0.99\n")
    [problem] = _problems(load_scenario, text)
    assert problem.field == "command_post.reliabilty"
    assert problem.line == _line_of(text, "reliabilty")
    assert "拼写" in problem.message


def test_a_dangling_reference_points_at_its_line():
    text = SCENARIO_TEXT.replace("cut_channel: c_duty_street", "cut_channel: c_nowhere")
    [problem] = _problems(load_scenario, text)
    assert problem.field == "injects[7].effects[0].cut_channel"
    assert problem.line == _line_of(text, "c_nowhere")
    assert "c_nowhere" in problem.message


def test_injects_waiting_on_each_other_are_a_cycle():
    text = SCENARIO_TEXT.replace("  - id: i14\n    after: i09", "  - id: i14\n    after: i15").replace(
        "\nanswer_key:",
        "  - {id: i15, after: i14, to: duty_office, title: 循环, text: 循环}\n\nanswer_key:",
        1,
    )
    problems = _problems(load_scenario, text)
    assert [p.field for p in problems] == ["injects[13].after"]
    assert "循环" in problems[0].message and "i14" in problems[0].message


def test_syntax_errors_name_the_line():
    text = SCENARIO_TEXT.replace("duration: 3h", "duration: [3h", 1)
    [problem] = _problems(load_scenario, text)
    assert problem.line is not None and "语法" in problem.message


def test_duplicate_keys_are_not_silently_overwritten():
    text = SCENARIO_TEXT.replace("duration: 3h\n", "duration: 3h\nduration: 2h\n", 1)
    [problem] = _problems(load_scenario, text)
    assert problem.field == "duration" and "重复" in problem.message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "为空"),
        (b"   \n# only a comment\n", "为空"),
        ("id: x\ntitle: \xe6".encode("latin-1") + b"\xff\xfe", "UTF-8"),
        (b"- just\n- a list\n", "映射"),
        (b"a: " + b"[" * 200 + b"]" * 200, "嵌套"),
        (b"x" * (MAX_FILE_BYTES + 1), "过大"),
    ],
)
def test_files_nobody_meant_to_give_are_refused_clearly(data, expected):
    problems = _problems(load_scenario, data)
    assert any(expected in p.message for p in problems)


def test_a_plan_with_a_wrong_action_lists_the_actions():
    text = "decisions:\n  - {at: 5m, by: duty_office, action: panic}\n"
    [problem] = _problems(load_plan, text, "plan.yaml")
    assert problem.line == 2 and problem.field == "decisions[0]"
    assert "notify" in problem.message


def test_a_plan_field_error_points_into_the_decision():
    text = "decisions:\n  - at: 5m\n    by: duty_office\n    action: assess\n    event_type: 泄漏\n    level: V\n"
    [problem] = _problems(load_plan, text, "plan.yaml")
    assert (problem.line, problem.field) == (6, "decisions[0].level")
    assert "Ⅰ" in problem.message


def test_huge_numbers_are_refused_not_simulated():
    text = SCENARIO_TEXT.replace("inventory_kg: 3000", "inventory_kg: 1e300")
    [problem] = _problems(load_scenario, text)
    assert problem.field == "hazard.params.inventory_kg"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("5m", 5), ("1h30m", 90), ("2h", 120), (45, 45), ("12.5", 12.5), ("5min", 5),
        ("15分钟", 15), ("15分", 15), ("1小时", 60), ("1小时30分", 90), ("1小时30分钟", 90), ("1.5小时", 90),
        ("2 小时", 120), ("1个小时", 60),
    ],
)  # fmt: skip
def test_durations_are_read_as_people_write_them(text, minutes):
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["八分钟", "分钟", "小时", "很快", "", "15秒", "-5m"])
def test_a_duration_that_is_not_one_says_which_forms_are(text):
    with pytest.raises(ValueError, match="15分钟") as info:
        parse_minutes(text)
    assert "1h30m" in str(info.value)


def test_a_scenario_written_in_chinese_durations_loads():
    text = SCENARIO_TEXT.replace("    at: 8m\n", "    at: 8分钟\n").replace("duration: 3h", "duration: 3小时", 1)
    assert "8分钟" in text and "3小时" in text
    scenario = load_scenario("drill.yaml", text.encode("utf-8"))
    assert scenario.duration == 180
    assert 8 in [inject.at for inject in scenario.injects]


def test_exported_durations_read_back():
    for minutes in (0, 5, 60, 90, 12.5, 179.25):
        assert parse_minutes(format_minutes(minutes)) == minutes


_yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(["departments", "channels", "hazard", "injects", "answer_key", "duration", "measures"]),
    value=_yaml_values,
)
def test_any_corruption_of_a_scenario_gives_located_errors(path, value):
    raw = yaml.safe_load(SCENARIO_TEXT)
    raw[path] = value
    text = yaml.safe_dump(raw, allow_unicode=True)
    try:
        load_scenario("fuzz.yaml", text.encode("utf-8"))
    except FileFormatError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" and str(p) for p in exc.problems)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_never_crash_the_plan_loader(data):
    try:
        load_plan(Path("noise.yaml"), data)
    except FileFormatError as exc:
        assert exc.problems


def test_an_alias_bomb_is_refused_quickly_and_located():
    """A few hundred bytes of YAML aliases that would expand to billions of nodes."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 9)]
    problems = _problems(load_scenario, "\n".join(lines) + "\n")
    assert any("别名" in p.message for p in problems)


def test_an_expected_response_must_be_a_measure_or_an_action():
    text = SCENARIO_TEXT.replace("expect: [medical_treatment]", "expect: [medical_treatmnet]")
    [problem] = _problems(load_scenario, text)
    assert problem.field == "answer_key.inject_responses[0].expect[0]"
    assert "medical_treatmnet" in problem.message


def test_field_errors_and_dangling_references_come_in_one_round():
    text = SCENARIO_TEXT.replace("    at: 8m\n", "    at: 八分钟\n", 1).replace(
        "{id: c_duty_street, from: duty_office, to: street,", "{id: c_duty_street, from: duty_office, to: nobody,"
    )
    problems = _problems(load_scenario, text)
    assert [(p.field, p.line) for p in problems] == [
        ("injects[2].at", _line_of(text, "at: 八分钟")),
        ("channels[5].to", _line_of(text, "to: nobody")),  # the place in the file, though injects[2] was left out
    ]


def test_an_item_with_an_error_of_its_own_is_not_also_called_unknown():
    street = "  - {id: c_duty_street, from: duty_office, to: street, medium: "
    broken = SCENARIO_TEXT.replace(street + "phone,", street + "pigeon,")
    assert broken != SCENARIO_TEXT
    problems = _problems(load_scenario, broken)
    assert [p.field for p in problems] == ["channels[5].medium"]  # no "unknown channel c_duty_street" besides
