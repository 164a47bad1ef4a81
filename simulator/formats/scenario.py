"""The scenario file: departments, channels, hazard, measures, injects (the MSEL) and the hidden answer key.

Content is Chinese, ids are ASCII. ``Scenario.model_json_schema()`` is what ``python -m simulator schema``
prints, so an editor can check a file as it is written. Cross-references (a channel to an unknown department,
an inject after an unknown inject, a cycle of conditions) are checked by ``reference_problems``, which returns
the field path of each, so the loader can point at the line.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

import networkx as nx
from pydantic import Field, ValidationError, create_model, model_validator

from simulator.formats.common import Id, Level, Multiline, Strict, Text, Version
from simulator.formats.distributions import Dist, Fixed
from simulator.formats.durations import MAX_MINUTES, Minutes
from simulator.formats.plan import ACTIONS, CONTROL
from simulator.hazards import REGISTRY
from simulator.hazards.base import PUBLIC_MEASURES
from simulator.hazards.conditions import problems as hazard_condition_problems
from simulator.hazards.describe import place_keys, places

DepartmentKind = Literal["coordinator", "responder", "higher_level", "enterprise", "support"]
Medium = Literal["phone", "radio", "gov_system", "on_scene", "runner"]


class Department(Strict):
    id: Id
    name: str = Field(min_length=1, max_length=100)
    kind: DepartmentKind
    resources: dict[Id, Annotated[int, Field(ge=0, le=10_000)]] = Field(
        default_factory=dict, description="counts of crews, vehicles, beds …; 'crews' limits parallel tasks"
    )
    mobilise: Dist = Field(default_factory=lambda: Fixed(value=0), description="minutes from notice to departure")
    travel: Dist = Field(default_factory=lambda: Fixed(value=0), description="minutes from departure to the scene")
    goes_to_scene: bool = Field(default=True, description="whether a notice sends this department to the scene")


class Channel(Strict):
    id: Id
    from_: Id = Field(alias="from")
    to: Id
    medium: Medium
    delay: Dist = Field(description="minutes a message takes on this channel")
    reliability: float = Field(default=1.0, ge=0, le=1, description="chance a message gets through")
    both_ways: bool = True


def _hazard_spec(model: type) -> type[Strict]:
    """``{model: <name>, params: <the model's Params>}`` for one registered hazard model."""
    return create_model(
        f"{model.__name__}Hazard", __base__=Strict, model=(Literal[model.name], ...), params=(model.Params, ...)
    )


# one entry per registered hazard model: adding a model to hazards.REGISTRY is all a new hazard needs here
Hazard = Annotated[Union[tuple(_hazard_spec(m) for m in REGISTRY.values())], Field(discriminator="model")]  # noqa: UP007


class Measure(Strict):
    """A measure this scenario offers (the catalogue the trainees order from)."""

    id: Id
    name: str = Field(min_length=1, max_length=100)
    departments: list[Id] = Field(min_length=1, description="who can carry it out")
    duration: Dist = Field(description="minutes to carry it out once the crew starts")
    on_scene: bool = Field(default=True, description="whether the department must be on scene first")


class Fact(Strict):
    """Something a department knows and tells when asked (request_info)."""

    topic: str = Field(min_length=1, max_length=50)
    held_by: Id
    text: Text


class Condition(Strict):
    """What must (or must not) have happened by the inject's time: a decision (a measure ordered or done, an
    action taken) or the hazard's state (a named event of the model happened — ``hazard: explosion`` —, or a
    figure — at a site — is above or below a value: ``{figure: depth, site: s_metro, above: 0.3}``)."""

    measure_ordered: Id | None = None
    measure_done: Id | None = None
    action: str | None = Field(default=None, description="a decision action taken, e.g. report_up")
    hazard: Id | None = Field(default=None, description="a named event of the hazard model happened, e.g. explosion")
    figure: Id | None = Field(default=None, description="a figure of the hazard (at `site`), with `above` or `below`")
    site: Id | None = Field(default=None, description="the place of `hazard` or `figure` (empty: anywhere / overall)")
    above: float | None = Field(default=None, description="`figure` holds once it is above this value")
    below: float | None = Field(default=None, description="`figure` holds once it is below this value")

    @model_validator(mode="after")
    def _one(self) -> Condition:
        what = (self.measure_ordered, self.measure_done, self.action, self.hazard, self.figure)
        if sum(v is not None for v in what) != 1:
            raise ValueError(
                "条件应恰好给出 measure_ordered、measure_done、action、hazard、figure 之一 (expected exactly one)"
            )
        if self.figure is not None and (self.above is None) == (self.below is None):
            raise ValueError("figure 条件应恰好给出 above 或 below 之一 (expected exactly one of above, below)")
        if self.figure is None and (self.above is not None or self.below is not None):
            raise ValueError("above/below 只用于 figure 条件 (above and below go with a figure)")
        if self.site is not None and self.hazard is None and self.figure is None:
            raise ValueError("site 只用于 hazard 或 figure 条件 (a site goes with a hazard or a figure)")
        return self

    @property
    def on_hazard(self) -> bool:
        """Whether it waits on the hazard's state (rather than on a decision)."""
        return self.hazard is not None or self.figure is not None


class Effect(Strict):
    """What an inject changes in the world when it is released."""

    cut_channel: Id | None = None
    restore_channel: Id | None = None
    set_hazard: dict[str, float | int | str] | None = None
    add_casualties: Annotated[int, Field(ge=0, le=100_000)] | None = None
    add_dead: Annotated[int, Field(ge=0, le=100_000)] | None = None
    alert: list[Id] | None = Field(default=None, description="departments alerted directly (e.g. a 119 call)")

    @model_validator(mode="after")
    def _one(self) -> Effect:
        if sum(v is not None for v in self.__dict__.values()) != 1:
            raise ValueError("每条效果应恰好给出一项 (expected exactly one effect per entry)")
        return self


class Inject(Strict):
    id: Id
    at: Minutes | None = Field(default=None, description="sim minute of release")
    after: Id | None = Field(default=None, description="released `delay` after this inject")
    delay: Minutes = 0.0
    when: Condition | None = Field(
        default=None, description="released at the first minute this holds, e.g. {hazard: explosion}"
    )
    unless: Condition | None = Field(default=None, description="conditional: skipped if this has happened")
    only_if: Condition | None = Field(default=None, description="conditional: released only if this happened")
    to: Id = Field(description="the department (node) it reaches")
    source: str = Field(default="现场", max_length=50, description="who sends it in the story, e.g. 群众来电")
    title: str = Field(min_length=1, max_length=100)
    text: Text
    reveals: dict[str, Multiline] = Field(default_factory=dict)
    effects: list[Effect] = Field(default_factory=list)

    @model_validator(mode="after")
    def _when(self) -> Inject:
        if sum(v is not None for v in (self.at, self.after, self.when)) != 1:
            raise ValueError("注入应给出 at、after、when 之一 (expected exactly one of at, after, when)")
        return self


class KeyParam(Strict):
    value: float
    tolerance: float = Field(default=0.0, ge=0)


class KeyMeasure(Strict):
    measure: Id
    departments: list[Id] = Field(default_factory=list, description="who should carry it out (any of)")
    params: dict[str, KeyParam] = Field(default_factory=dict)
    by: Minutes | None = Field(default=None, description="deadline for ordering it")
    sites: list[Id] = Field(
        default_factory=list,
        description="the places it must act on (the right tunnel, the right station): an order naming others is "
        "faulted; empty: anywhere",
    )


class InjectResponse(Strict):
    """A situation-changing inject and what a good team does about it, within a window."""

    inject: Id
    expect: list[str] = Field(min_length=1, description="decision actions or measure ids that answer it")
    within: Minutes = 20.0


#: minutes to a report: after the incident (a deadline of 0 could never be met), within the longest drill
Deadline = Annotated[float, Field(gt=0, le=MAX_MINUTES)]
#: the common reading of the national rules for 突发事件信息报告, for every level: what a level left out keeps
PHONE_DEADLINE, WRITTEN_DEADLINE = 30.0, 60.0


class ReportDeadlines(Strict):
    """Minutes from the incident to the first report up, per level (local rules differ, so this is data).

    The default follows the common reading of the national rules for 突发事件信息报告: a phone report within
    30 minutes and a written one within 60 minutes, for every level. A table may name only the levels where the
    jurisdiction's rule differs (``phone: {1: 15}``): every level it leaves out keeps the default (phone 30, written
    60), so the table the drill reads always has all four levels, whichever level the drill reaches.
    """

    phone: dict[Level, Deadline] = Field(default_factory=lambda: {1: 30, 2: 30, 3: 30, 4: 30})
    written: dict[Level, Deadline] = Field(default_factory=lambda: {1: 60, 2: 60, 3: 60, 4: 60})
    follow_up: Minutes | None = Field(
        default=None,
        gt=0,
        description="续报: minutes between follow-up reports after the written report's deadline, until the response "
        "is closed (none: no 续报 required)",
    )

    @model_validator(mode="after")
    def _every_level(self) -> ReportDeadlines:
        """Fill the levels a table leaves out with the default (the rule in the class docstring)."""
        for table, default in ((self.phone, PHONE_DEADLINE), (self.written, WRITTEN_DEADLINE)):
            for level in range(1, 5):
                table.setdefault(level, default)
            ordered = dict(sorted(table.items()))
            table.clear()
            table.update(ordered)
        return self


class TriggerOn(Strict):
    """What sets a trigger rule off. Only an inject for now (a warning, a report); another kind of ``on`` (a
    hazard state) can be added beside ``inject`` without changing the rules already written."""

    inject: Id = Field(description="注入编号：该注入发布（如气象台发布暴雨红色预警）即触发，时限自发布时起算")


class Trigger(Strict):
    """A rule of the plan that obliges measures once something happens, e.g. 暴雨红色预警 → 停课停工停业停运、
    关闭地下空间 within N minutes. Scored by ``scoring.triggers`` from the trigger's release, so acting at the
    second warning and at the fifth are told apart however late in the drill they fall."""

    on: TriggerOn = Field(description="触发条件，如 {inject: i03}（该注入发布时起算）")
    measures: list[Id] = Field(min_length=1, description="预案规定触发后应下达的措施编号")
    within: Minutes = Field(default=30.0, description="触发后应在多少分钟内下达这些措施")
    name: str = Field(default="", max_length=100, description="规则名称，如 红色预警启动停课停工停业停运（可省略）")

    @model_validator(mode="before")
    @classmethod
    def _yaml_on(cls, data: Any) -> Any:
        """YAML 1.1 (``yaml.safe_load``) reads the bare key ``on`` as the boolean true: take it back as ``on``."""
        if isinstance(data, dict) and True in data and "on" not in data:
            data = {("on" if k is True else k): v for k, v in data.items()}
        return data


class WarrantedLevel(Strict):
    """From an inject's release on, the situation warrants another response level (an escalation, usually)."""

    inject: Id = Field(description="the inject whose release changes the warranted level")
    level: Level = Field(description="the response level warranted from that inject's release on")


class AnswerKey(Strict):
    """Hidden from trainees: what the situation really is and what a good response looks like."""

    event_type: str = Field(min_length=1, max_length=50)
    level: Level
    required_departments: list[Id] = Field(min_length=1)
    commander_department: Id | None = None
    measures: list[KeyMeasure] = Field(default_factory=list)
    working_groups: list[str] = Field(default_factory=list)
    report_deadlines: ReportDeadlines = Field(default_factory=ReportDeadlines)
    inject_responses: list[InjectResponse] = Field(default_factory=list)
    triggers: list[Trigger] = Field(
        default_factory=list,
        description="预警/触发条件及其应采取的措施（如红色预警→停课停工停业停运），按触发后下达的迟早计分",
    )
    clock_from: Id | None = Field(
        default=None,
        description="响应计时起点：该注入发布时起算“迅速”各项用时（如缓发的暴雨以红色预警为起点）；默认 T+0（接报）",
    )
    tempo: float | None = Field(
        default=None,
        gt=0,
        le=100,
        description="事件节奏系数：“迅速”各项用时阈值乘以此数。默认 1（爆炸、泄漏等突发事故）；"
        "持续数小时、逐级预警的暴雨洪涝等缓发事件可取 2–6",
    )
    first_actions: list[Id] | None = Field(
        default=None,
        description="先期处置措施编号（如 cordon、evacuate）：在现场指挥部设立前下达不扣“先设指挥部”的分",
    )
    first_window: Minutes | None = Field(
        default=None,
        description="先期处置时段（分钟，自响应计时起点起）：其间下达的任务视为先期处置；默认按评分细则（15分钟）",
    )
    levels: list[WarrantedLevel] = Field(
        default_factory=list,
        description="changes of the warranted response level, each from an inject's release on (e.g. "
        "[{inject: i07, level: II}]); ``level`` is the level warranted from T+0",
    )
    after_control: Level | None = Field(
        default=None,
        description="the level warranted once the hazard is under control (hazard_contained); by default any "
        "level no higher than before counts as a justified downgrade",
    )


class CommandPost(Strict):
    setup: Dist = Field(default_factory=lambda: Fixed(value=10), description="minutes to set up on scene")
    delay: Dist = Field(default_factory=lambda: Fixed(value=1), description="hub radio delay to each department")
    reliability: float = Field(default=0.99, ge=0, le=1)


class NetworkRules(Strict):
    resend_after: Minutes = Field(default=5.0, description="a sender resends after this long without an answer")
    max_attempts: int = Field(default=3, ge=1, le=20)
    report_drafting: Dist = Field(
        default_factory=lambda: Fixed(value=15), description="minutes to draft a written report"
    )


class Scenario(Strict):
    id: Id
    version: Version = "1"
    title: str = Field(min_length=1, max_length=100)
    summary: Text = ""
    location: str = ""
    start_clock: str = Field(default="08:00", pattern=r"^\d{2}:\d{2}$", description="wall-clock time of T+0")
    duration: Minutes = Field(default=180.0, gt=0, description="sim minutes a drill runs")
    sample_every: Minutes = Field(default=5.0, gt=0, description="minutes between hazard samples in the log")
    departments: list[Department] = Field(min_length=2, max_length=1000)
    channels: list[Channel] = Field(min_length=1, max_length=20_000)
    hazard: Hazard
    measures: list[Measure] = Field(default_factory=list)
    task_duration: Dist = Field(default_factory=lambda: Fixed(value=20), description="minutes of an assigned task")
    facts: list[Fact] = Field(default_factory=list)
    command_post: CommandPost = Field(default_factory=CommandPost)
    network: NetworkRules = Field(default_factory=NetworkRules)
    injects: list[Inject] = Field(default_factory=list, max_length=1000)
    answer_key: AnswerKey

    def department(self, dept_id: str) -> Department | None:
        return next((d for d in self.departments if d.id == dept_id), None)

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    @property
    def higher_level(self) -> list[str]:
        return [d.id for d in self.departments if d.kind == "higher_level"]

    def reference_problems(self) -> list[tuple[tuple[Any, ...], str]]:
        """Every dangling or circular reference, as (field path, Chinese message)."""
        problems: list[tuple[tuple[Any, ...], str]] = []
        depts = {d.id for d in self.departments}
        measures = {m.id for m in self.measures}
        channels = {c.id for c in self.channels}
        injects = {i.id for i in self.injects}
        hazard_cls = REGISTRY[self.hazard.model]

        def need(known: set[str], value: str | None, loc: tuple[Any, ...], what: str) -> None:
            if value is not None and value not in known:
                problems.append((loc, f"未知的{what} {value!r} (unknown {what}; known: {', '.join(sorted(known))})"))

        for name, items in (
            ("departments", self.departments),
            ("channels", self.channels),
            ("measures", self.measures),
            ("injects", self.injects),
        ):
            seen: set[str] = set()
            for i, item in enumerate(items):
                if item.id in seen:
                    problems.append(((name, i, "id"), f"重复的 id {item.id!r} (duplicate id)"))
                seen.add(item.id)
        for i, d in enumerate(self.departments):
            if d.id == CONTROL:
                problems.append((("departments", i, "id"), f"{CONTROL!r} 是导调组的保留 id (reserved for control)"))
        for i, ch in enumerate(self.channels):
            need(depts, ch.from_, ("channels", i, "from"), "部门")
            need(depts, ch.to, ("channels", i, "to"), "部门")
            if ch.from_ == ch.to:
                problems.append((("channels", i, "to"), "信道两端不能是同一部门 (a channel needs two ends)"))
        for i, m in enumerate(self.measures):
            for j, d in enumerate(m.departments):
                need(depts, d, ("measures", i, "departments", j), "部门")
        for i, f in enumerate(self.facts):
            need(depts, f.held_by, ("facts", i, "held_by"), "部门")
        for i, inj in enumerate(self.injects):
            need(depts, inj.to, ("injects", i, "to"), "部门")
            need(injects, inj.after, ("injects", i, "after"), "注入")
            for cond_name in ("unless", "only_if", "when"):
                cond = getattr(inj, cond_name)
                if cond is not None:
                    need(measures, cond.measure_ordered, ("injects", i, cond_name, "measure_ordered"), "措施")
                    need(measures, cond.measure_done, ("injects", i, cond_name, "measure_done"), "措施")
                    problems.extend(hazard_condition_problems(self.hazard, cond, ("injects", i, cond_name)))
            for j, eff in enumerate(inj.effects):
                loc = ("injects", i, "effects", j)
                need(channels, eff.cut_channel, (*loc, "cut_channel"), "信道")
                need(channels, eff.restore_channel, (*loc, "restore_channel"), "信道")
                for k, d in enumerate(eff.alert or []):
                    need(depts, d, (*loc, "alert", k), "部门")
                for key, value in (eff.set_hazard or {}).items():
                    problems.extend(_hazard_param_problem(self.hazard.params, key, value, (*loc, "set_hazard", key)))
        key = self.answer_key
        for j, d in enumerate(key.required_departments):
            need(depts, d, ("answer_key", "required_departments", j), "部门")
        need(depts, key.commander_department, ("answer_key", "commander_department"), "部门")
        for j, km in enumerate(key.measures):
            need(measures, km.measure, ("answer_key", "measures", j, "measure"), "措施")
            for k, d in enumerate(km.departments):
                need(depts, d, ("answer_key", "measures", j, "departments", k), "部门")
            problems.extend(_key_site_problems(self.hazard, km, ("answer_key", "measures", j)))
        for j, resp in enumerate(key.inject_responses):
            need(injects, resp.inject, ("answer_key", "inject_responses", j, "inject"), "注入")
            for k, expected in enumerate(resp.expect):  # a typo here would silently never score
                need(
                    measures | set(ACTIONS), expected, ("answer_key", "inject_responses", j, "expect", k), "措施或决策"
                )
        need(injects, key.clock_from, ("answer_key", "clock_from"), "注入")
        for j, m in enumerate(key.first_actions or []):
            need(measures, m, ("answer_key", "first_actions", j), "措施")
        for j, trig in enumerate(key.triggers):
            need(injects, trig.on.inject, ("answer_key", "triggers", j, "on", "inject"), "注入")
            for k, m in enumerate(trig.measures):
                need(measures, m, ("answer_key", "triggers", j, "measures", k), "措施")
        for j, warranted in enumerate(key.levels):
            need(injects, warranted.inject, ("answer_key", "levels", j, "inject"), "注入")
        if not self.higher_level:
            problems.append(
                (
                    ("departments",),
                    "至少需要一个 kind: higher_level 的上级机关，用于上报 (expected a higher level)",
                )
            )
        for i, m in enumerate(self.measures):
            if m.id in hazard_cls.measures:
                continue
            if m.id in _ALL_HAZARD_MEASURES:
                problems.append(((("measures", i, "id")), f"措施 {m.id!r} 不适用于灾害模型 {self.hazard.model}"))
        # conditions that wait on each other forever
        graph = nx.DiGraph((inj.after, inj.id) for inj in self.injects if inj.after in injects)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            cycle = []
        if cycle:
            index = {inj.id: i for i, inj in enumerate(self.injects)}
            chain = " → ".join([u for u, _ in cycle] + [cycle[0][0]])
            problems.append((("injects", index[cycle[0][1]], "after"), f"注入条件形成循环 {chain} (cycle of after)"))
        return problems


def _key_site_problems(hazard, km: KeyMeasure, loc) -> list[tuple[tuple[Any, ...], str]]:
    """An answer-key measure's sites: places the hazard has, for a measure that names places."""
    if not km.sites:
        return []
    if not place_keys(hazard, km.measure):
        return [((*loc, "sites"), f"措施 {km.measure!r} 没有地点参数，不能指定地点 (the measure names no places)")]
    known = places(hazard.params)
    return [
        ((*loc, "sites", k), f"未知的地点 {site!r} (unknown site; known: {', '.join(known)})")
        for k, site in enumerate(km.sites)
        if site not in known
    ]


def _hazard_param_problem(params, key: str, value, loc) -> list[tuple[tuple[Any, ...], str]]:
    """An inject may only set a parameter the hazard model has, to a value its model accepts."""
    if key not in type(params).model_fields:
        known = ", ".join(name for name in type(params).model_fields if name not in ("zones", "sites"))
        return [(loc, f"灾害模型没有参数 {key!r} (unknown hazard parameter; known: {known})")]
    try:
        type(params).model_validate({**params.model_dump(), key: value})
    except ValidationError as exc:
        return [(loc, f"取值不合适 (bad value): {exc.errors()[0]['msg']}")]
    return []


_ALL_HAZARD_MEASURES = {m for cls in REGISTRY.values() for m in cls.measures} - set(PUBLIC_MEASURES)
