"""Validate means runs: whatever ``validate`` accepts runs, scores and writes every report format.

Hypothesis builds scenarios and plans meant to be valid — each of the bundled scenarios (all five hazard models) and
the small flood fixture, with departments, channels and injects added, names and texts in odd but legal Unicode
(``$`` signs that matplotlib could take for mathematics, markup characters, right-to-left marks, emoji, characters
outside the BMP, combining marks), the answer key redrawn (level and its changes, required departments, partial
report-deadline tables, inject responses, triggers, tempo), and a plan drawn from every action — and drives each
through the loaders (from YAML text, as ``validate`` reads it), the drill, the scoring and the 调研报告 (.docx bytes,
.md, the 台账 .xlsx). A file the loaders refuse must be refused with located messages; one they accept must finish.

The strategies are shared with ``python -m benchmarks.fuzz``, which runs them hundreds of times; here a few.
Besides, the findings of issue 19 (6) each have a case that failed before: a control character in a name passed
validate and crashed the .docx, a partial ``report_deadlines`` table crashed the drill's scoring, NaN and infinity
in the answer key and a negative deadline were accepted.
"""

from __future__ import annotations

import functools
import io
import string

import docx
import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import FileFormatError
from simulator.experiment import single_run
from simulator.formats import load_plan, load_scenario
from simulator.formats.plan import CONTROL, REVIEW_SECTIONS
from simulator.report import build_report_of, render_markdown
from simulator.report.docx import docx_bytes
from simulator.report.ledger import ledger_bytes
from tests.conftest import FIXTURES, SCENARIOS

BASES = ("hazchem_leak", "urban_flood", "gas_explosion", "highrise_fire", "crowd_crush", "flood_min")
SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))


@functools.cache
def base(name: str) -> dict:
    path = FIXTURES / f"{name}.yaml" if name == "flood_min" else SCENARIOS / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@functools.cache
def known_params() -> dict[str, list[dict]]:
    """The parameters the bundled plans give each measure: an order drawn here takes one of them (or none)."""
    seen: dict[str, list[dict]] = {}
    for path in sorted(SCENARIOS.glob("*.*.yaml")):
        for decision in yaml.safe_load(path.read_text(encoding="utf-8")).get("decisions", []):
            if decision.get("action") in ("order", "adjust") and decision.get("params"):
                seen.setdefault(decision["measure"], []).append(decision["params"])
    return seen


# -- odd but legal text -------------------------------------------------------------------------------------------
ODD = [
    "$",
    "$x^2$",
    "\\",
    "<b>",
    "&amp;",
    "|",
    "*",
    "_",
    "#",
    "`",
    "[链接](http://x)",
    "![图](http://x/p.png)",
    "{",
    "}",
    "%s",
    "{0}",
    "\u200b",
    "\u202e",
    "\u200f",
    "\ufeff",
    "🚒",
    "👨‍👩‍👧",
    "𠀀",
    "e\u0301",
    "\u3000",
    " ",
    "'",
    '"',
    "—",
    "①",
    "Ⅲ级",
    "ﾃｽﾄ",
    "\u00a0",
]
LETTER = st.characters(
    exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\ufffe\uffff", max_codepoint=0x2FFFF
)
PIECE = st.one_of(
    st.sampled_from(ODD), st.text(LETTER, min_size=1, max_size=4), st.sampled_from(["消防", "应急局", "A"])
)


def line(max_size: int = 20) -> st.SearchStrategy[str]:
    """One line of odd but legal text, 1..max_size characters."""
    return st.lists(PIECE, min_size=1, max_size=6).map(lambda parts: "".join(parts)[:max_size] or "A")


def lines(max_size: int = 300) -> st.SearchStrategy[str]:
    """Text over several lines (an inject's text, a note): line breaks and tabs too."""
    return st.lists(st.one_of(PIECE, st.sampled_from(["\n", "\t", "\r\n", "\n\n"])), max_size=12).map(
        lambda parts: "".join(parts)[:max_size]
    )


IDENT = st.text(string.ascii_lowercase, min_size=1, max_size=6).map(lambda s: f"x_{s}")
MINUTE = st.integers(0, 600)
DIST = st.one_of(
    st.integers(0, 30),
    st.floats(0, 30),
    st.builds(
        lambda a, b: {"dist": "uniform", "low": min(a, b), "high": max(a, b)}, st.floats(0, 20), st.floats(0, 20)
    ),
    st.builds(
        lambda *v: dict(zip(("dist", "low", "mode", "high"), ("triangular", *sorted(v)), strict=True)),
        st.integers(0, 20),
        st.integers(0, 20),
        st.integers(0, 20),
    ),
    st.builds(lambda m, sd: {"dist": "lognormal", "mean": m, "sd": sd}, st.floats(0.5, 30), st.floats(0, 10)),
    st.builds(lambda m: {"dist": "exponential", "mean": m}, st.floats(0.5, 30)),
)


# -- valid scenarios ----------------------------------------------------------------------------------------------
@st.composite
def valid_scenario(draw, bases: tuple[str, ...] = BASES) -> dict:
    """A scenario meant to validate: a bundled one with departments, channels and injects added and its texts,
    timings and answer key redrawn."""
    data = yaml.safe_load(yaml.safe_dump(base(draw(st.sampled_from(bases))), allow_unicode=True))  # a deep copy
    data["title"] = draw(line(100))
    data["summary"], data["location"] = draw(lines()), draw(line(40))
    data["version"] = draw(line(10))
    data["start_clock"] = f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"
    data["duration"] = draw(st.sampled_from([30, 90, "2h", "3h30m", 600, "1d"]))
    depts = data["departments"]
    coordinator = next(d["id"] for d in depts if d["kind"] == "coordinator")
    for dept in draw(st.lists(st.sampled_from(depts), max_size=3, unique_by=lambda d: d["id"])):
        dept["name"] = draw(line(100))
    taken = {d["id"] for d in depts} | {c["id"] for c in data["channels"]}
    for ident in draw(st.lists(IDENT, max_size=3, unique=True)):
        if ident in taken or f"c_{ident}" in taken:
            continue
        kind = draw(st.sampled_from(["responder", "support", "enterprise", "coordinator", "higher_level"]))
        depts.append(
            {
                "id": ident,
                "name": draw(line(100)),
                "kind": kind,
                "resources": {"crews": draw(st.integers(0, 4))},
                "mobilise": draw(DIST),
                "travel": draw(DIST),
                "goes_to_scene": draw(st.booleans()),
            }
        )
        data["channels"].append(
            {
                "id": f"c_{ident}",
                "from": coordinator,
                "to": ident,
                "medium": draw(st.sampled_from(["phone", "radio", "gov_system", "on_scene", "runner"])),
                "delay": draw(DIST),
                "reliability": draw(st.sampled_from([0.0, 0.5, 0.9, 1.0])),
                "both_ways": draw(st.booleans()),
            }
        )
    dept_ids = [d["id"] for d in depts]
    channel_ids = [c["id"] for c in data["channels"]]
    injects = data.setdefault("injects", [])
    for inj in draw(st.lists(st.sampled_from(injects), max_size=3, unique_by=lambda i: i["id"])) if injects else []:
        inj.update(title=draw(line(100)), text=draw(lines()), source=draw(line(50)))
    for n in range(draw(st.integers(0, 3))):
        ident = f"z{n}_{draw(IDENT)}"
        inject = {"id": ident, "to": draw(st.sampled_from(dept_ids)), "title": draw(line(100)), "text": draw(lines())}
        if injects and draw(st.booleans()):
            inject.update(after=draw(st.sampled_from(injects))["id"], delay=draw(MINUTE))
        else:
            inject["at"] = draw(MINUTE)
        effect = st.one_of(
            st.builds(lambda d: {"alert": d}, st.lists(st.sampled_from(dept_ids), min_size=1, max_size=3)),
            st.builds(lambda n: {"add_casualties": n}, st.integers(0, 500)),
            st.builds(lambda n: {"add_dead": n}, st.integers(0, 50)),
            st.builds(lambda c: {"cut_channel": c}, st.sampled_from(channel_ids)),
            st.builds(lambda c: {"restore_channel": c}, st.sampled_from(channel_ids)),
        )
        inject["effects"] = draw(st.lists(effect, max_size=3))
        inject["reveals"] = draw(st.dictionaries(line(10), lines(40), max_size=2))
        injects.append(inject)
    inject_ids = [i["id"] for i in injects]
    measure_ids = [m["id"] for m in data.get("measures", [])]
    key = data["answer_key"]
    key["event_type"] = draw(line(50))
    key["level"] = draw(st.sampled_from([1, 2, 3, 4, "Ⅲ级", "II"]))
    key["required_departments"] = draw(st.lists(st.sampled_from(dept_ids), min_size=1, max_size=5, unique=True))
    key["working_groups"] = draw(st.lists(line(20), max_size=3))
    deadlines = st.dictionaries(st.integers(1, 4), st.one_of(st.integers(1, 240), st.floats(0.5, 240)), max_size=4)
    key["report_deadlines"] = {"phone": draw(deadlines), "written": draw(deadlines)}
    if draw(st.booleans()):
        key["report_deadlines"]["follow_up"] = draw(st.sampled_from([1, 30, "1h", 200]))
    if inject_ids:
        key["levels"] = [
            {"inject": draw(st.sampled_from(inject_ids)), "level": draw(st.integers(1, 4))}
            for _ in range(draw(st.integers(0, 2)))
        ]
        responses = key.setdefault("inject_responses", [])
        for _ in range(draw(st.integers(0, 2))):
            expect = draw(st.lists(st.sampled_from([*measure_ids, "notify", "report_up", "assess"]), min_size=1))
            responses.append(
                {"inject": draw(st.sampled_from(inject_ids)), "expect": expect, "within": draw(st.integers(1, 120))}
            )
        if measure_ids and draw(st.booleans()):
            key.setdefault("triggers", []).append(
                {
                    "on": {"inject": draw(st.sampled_from(inject_ids))},
                    "measures": draw(st.lists(st.sampled_from(measure_ids), min_size=1, max_size=3)),
                    "within": draw(st.integers(1, 90)),
                    "name": draw(line(30)),
                }
            )
        if draw(st.booleans()):
            key["clock_from"] = draw(st.sampled_from(inject_ids))
    if draw(st.booleans()):
        key["after_control"] = draw(st.integers(1, 4))
    if draw(st.booleans()):
        key["tempo"] = draw(st.sampled_from([0.5, 1, 3, 6]))
    if draw(st.booleans()):
        key["first_window"] = draw(st.integers(0, 60))
    return data


# -- valid plans --------------------------------------------------------------------------------------------------
@st.composite
def valid_plan(draw, scenario: dict) -> dict:
    """A plan for ``scenario`` drawn from every action, naming only what the scenario has."""
    depts = [d["id"] for d in scenario["departments"]]
    coordinator = next(d["id"] for d in scenario["departments"] if d["kind"] == "coordinator")
    measures = scenario.get("measures", [])
    injects = [i["id"] for i in scenario.get("injects", [])]
    end = {30: 30, 90: 90, "2h": 120, "3h30m": 210, 600: 600, "1d": 1440}.get(scenario.get("duration"), 180)
    at = st.integers(0, end)
    dept = st.sampled_from(depts)
    stated = st.one_of(st.none(), st.integers(0, 100), st.just("known"))
    choices = [
        st.fixed_dictionaries({"action": st.just("notify"), "to": st.lists(dept, min_size=1, max_size=4)}),
        st.fixed_dictionaries({"action": st.just("assess"), "event_type": line(50), "level": st.integers(1, 4)}),
        st.fixed_dictionaries({"action": st.just("appoint_commander"), "person": line(50), "department": dept}),
        st.fixed_dictionaries(
            {
                "action": st.just("establish_command_post"),
                "location": line(100),
                "groups": st.lists(
                    st.fixed_dictionaries({"name": line(50), "lead": dept, "owner": line(50)}), max_size=3
                ),
            }
        ),
        st.fixed_dictionaries(
            {"action": st.just("assign"), "task": line(100), "department": dept, "text": lines(), "due": at}
        ),
        st.fixed_dictionaries({"action": st.just("request_info"), "to": dept, "topic": line(50)}),
        st.fixed_dictionaries(
            {
                "action": st.just("report_up"),
                "mode": st.sampled_from(["phone", "written"]),
                "text": lines(),
                "dead": stated,
                "injured": stated,
                "missing": stated,
                "trapped": stated,
            }
        ),
        st.fixed_dictionaries(
            {"action": st.just("report_office"), "by": dept, "text": lines().map(lambda t: t or "x")}
        ),
        st.one_of(
            st.fixed_dictionaries({"action": st.just("set_level"), "level": st.integers(1, 4)}),
            st.fixed_dictionaries({"action": st.just("set_level"), "change": st.just("终止")}),
        ),
        st.fixed_dictionaries(
            {
                "action": st.just("advise"),
                "kind": st.sampled_from(["advice", "warning", "stand_down", "may_return", "all_clear", "群众可返回"]),
                "to": st.sampled_from(["public", "departments", "command"]),
                "text": lines(),
            }
        ),
        st.fixed_dictionaries({"action": st.just("close")}),
    ]
    if measures:
        measure = st.sampled_from(measures)
        choices.append(
            measure.flatmap(
                lambda m: st.fixed_dictionaries(
                    {
                        "action": st.just("order"),
                        "measure": st.just(m["id"]),
                        "department": st.sampled_from(m["departments"]),
                        "params": st.sampled_from([{}, *known_params().get(m["id"], [])]),
                        "owner": line(50),
                        "text": lines(),
                        "due": at,
                    }
                )
            )
        )
    if injects:
        inject = st.sampled_from(injects)
        for action in ("release_inject", "hold_inject", "skip_inject"):
            choices.append(st.fixed_dictionaries({"action": st.just(action), "by": st.just(CONTROL), "inject": inject}))
    choices.append(
        st.fixed_dictionaries(
            {
                "action": st.just("message"),
                "by": st.just(CONTROL),
                "to": st.lists(dept, min_size=1, max_size=3),
                "title": line(100),
                "text": lines().map(lambda t: t or "x"),
            }
        )
    )
    decisions = []
    for decision in draw(st.lists(st.one_of(choices), max_size=14)):
        decisions.append({"at": draw(at), "by": coordinator, "note": draw(lines(80)), **decision})
    if draw(st.booleans()):
        sections = draw(st.dictionaries(st.sampled_from(REVIEW_SECTIONS), lines(), min_size=1))
        decisions.append({"at": end, "by": coordinator, "action": "review", "sections": sections})
    plan = {"name": draw(line(100)), "team": draw(line(100)), "decisions": decisions}
    if draw(st.booleans()):
        plan["scenario"] = scenario["id"]
    return plan


@st.composite
def valid_drill(draw) -> tuple[bytes, bytes, int]:
    """A scenario and a plan as the YAML files a user would hand to ``validate``, and a seed."""
    scenario = draw(valid_scenario())
    plan = draw(valid_plan(scenario))
    dump = functools.partial(yaml.safe_dump, allow_unicode=True, sort_keys=False)
    return dump(scenario).encode(), dump(plan).encode(), draw(st.integers(0, 2**32))


# -- the property -------------------------------------------------------------------------------------------------
def validate(scenario_yaml: bytes, plan_yaml: bytes):
    """What ``python -m simulator validate`` does with the two files: the scenario, then the plan against it."""
    scenario = load_scenario("s.yaml", scenario_yaml)
    return scenario, load_plan("p.yaml", plan_yaml, scenario=scenario)


def drive(scenario, plan, seed: int) -> dict[str, bytes]:
    """Run, score (against the same plan as the reference, so the comparison columns are filled) and write the
    report in every format: what the CLI's ``run`` and the app's report page do."""
    result = single_run(scenario, plan, seed, reference=plan)
    report = build_report_of(result)
    return {"docx": docx_bytes(report), "md": render_markdown(report).encode(), "xlsx": ledger_bytes(report)}


def located(exc: FileFormatError) -> bool:
    """Every problem names its file and says something."""
    return bool(exc.problems) and all(
        str(p).startswith(("s.yaml", "p.yaml")) and p.message.strip() for p in exc.problems
    )


@SETTINGS
@given(valid_drill())
def test_whatever_validates_runs_scores_and_writes_every_report(drill):
    scenario_yaml, plan_yaml, seed = drill
    try:
        scenario, plan = validate(scenario_yaml, plan_yaml)
    except FileFormatError as exc:
        assert located(exc), exc
        return
    files = drive(scenario, plan, seed)
    assert docx.Document(io.BytesIO(files["docx"])).paragraphs  # each file opens again
    assert openpyxl.load_workbook(io.BytesIO(files["xlsx"])).sheetnames
    assert files["md"].decode("utf-8").startswith("#")


# -- the findings of issue 19 (6), each refused where it is written ----------------------------------------------
FLOOD = (FIXTURES / "flood_min.yaml").read_text(encoding="utf-8")
PLAN = b"""decisions:
  - {at: 2m, by: duty_office, action: notify, to: [water, police, metro]}
  - {at: 5m, by: duty_office, action: report_up, mode: phone, dead: known}
  - {at: 10m, by: duty_office, action: order, measure: close_underpass, department: police}
"""


def refused(text: str) -> list[str]:
    with pytest.raises(FileFormatError) as caught:
        load_scenario("s.yaml", text.encode())
    return [str(p) for p in caught.value.problems]


def test_a_control_character_in_a_name_is_refused_where_it_is_written():
    [problem] = refused(FLOOD.replace("name: 区水务局", 'name: "区水\\x01务局"'))
    assert problem.startswith("s.yaml:7: departments[1].name: 含有不可打印的控制字符"), problem
    [problem] = refused(FLOOD.replace("title: 雨势加大", 'title: "雨势\\n加大"'))
    assert problem.startswith("s.yaml:30: injects[1].title: 此处应为一行文字"), problem
    [problem] = refused(FLOOD.replace("name: 解放路下穿隧道", 'name: "解放路\\x1b[31m下穿隧道"'))
    assert problem.startswith("s.yaml:22: hazard.params.sites[0].name: 含有不可打印的控制字符"), problem


def test_a_line_break_in_a_text_is_taken_and_reported():
    text = FLOOD.replace("text: 气象台发布暴雨红色预警。", 'text: "气象台发布\\n暴雨红色预警。\\t请注意。"')
    scenario = load_scenario("s.yaml", text.encode())
    files = drive(scenario, load_plan("p.yaml", PLAN, scenario=scenario), 1)
    assert files["docx"].startswith(b"PK")


def test_a_control_character_in_a_plan_is_refused_where_it_is_written():
    scenario = load_scenario("s.yaml", FLOOD.encode())
    plan = PLAN + b'  - {at: 20m, by: duty_office, action: assign, task: "\\x07", department: water}\n'
    with pytest.raises(FileFormatError) as caught:
        load_plan("p.yaml", plan, scenario=scenario)
    assert str(caught.value).startswith("p.yaml:5: decisions[3].task: 含有不可打印的控制字符"), caught.value


def test_a_partial_report_deadline_table_keeps_the_default_for_the_levels_it_leaves_out():
    scenario = load_scenario("s.yaml", (FLOOD + "  report_deadlines: {phone: {1: 15}}\n").encode())
    deadlines = scenario.answer_key.report_deadlines
    assert deadlines.phone == {1: 15, 2: 30, 3: 30, 4: 30} and deadlines.written == {1: 60, 2: 60, 3: 60, 4: 60}
    result = single_run(scenario, load_plan("p.yaml", PLAN, scenario=scenario), 1)  # level IV: the default's 30
    evidence = [e for k in result.score["keywords"].values() for i in k["indicators"] for e in i["evidence"]]
    reports = [e["facts"] for e in evidence if e["facts"].get("action") in ("phone", "written")]
    assert {f["action"]: f["deadline"] for f in reports} == {"phone": 30, "written": 60}, reports


@pytest.mark.parametrize(
    "addition, field",
    [
        (
            "  measures: [{measure: close_underpass, params: {x: {value: .nan}}}]\n",
            "answer_key.measures[0].params.x.value",
        ),
        ("  measures: [{measure: close_underpass, params: {x: {value: 1, tolerance: .inf}}}]\n", "params.x.tolerance"),
        ("  report_deadlines: {phone: {1: -5, 2: 30, 3: 30, 4: 30}}\n", "answer_key.report_deadlines.phone[1]"),
        ("  report_deadlines: {written: {4: 0}}\n", "answer_key.report_deadlines.written[4]"),
        ("  report_deadlines: {phone: {4: .nan}}\n", "answer_key.report_deadlines.phone[4]"),
    ],
)
def test_nan_infinity_and_deadlines_that_cannot_be_met_are_refused(addition, field):
    problems = refused(FLOOD + addition)
    assert any(f"{field}: " in p and p.startswith("s.yaml:36: answer_key.") for p in problems), problems


def test_a_control_character_in_the_drills_own_facts_is_refused():
    """The report's 演练基本信息 (venue, units, people) are typed on the report page: the same rule holds."""
    from pydantic import ValidationError

    from simulator.report import DrillFacts, Participant

    with pytest.raises(ValidationError, match="控制字符"):
        DrillFacts(venue="会议\x0b室")
    with pytest.raises(ValidationError, match="控制字符"):
        Participant(unit="消防", names=("张\x00三",))
