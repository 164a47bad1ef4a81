"""The plan file: a list of timed decisions, as a scripted drill, an expert's reference plan or an exported live drill.

    decisions:
      - {at: 5m, by: duty_office, action: notify, to: [fire, ema]}

Each action is its own model (a discriminated union on ``action``), so a typo in a field is caught with the line.

Besides the trainees' decisions, a plan holds the facilitator's control of the MSEL (``by: control``, 导调组):
``release_inject``, ``hold_inject``, ``skip_inject`` and ``message``. They are decisions like any other, so a live
drill exported as a plan replays exactly, control included; the engine logs them apart (``control_accepted`` /
``control_rejected``) so that nothing scores them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from simulator.formats.common import Id, Level, Multiline, Strict, Text, Version
from simulator.formats.durations import Minutes, format_minutes
from simulator.identity import PerObject
from simulator.vocabulary import ACTION_NAMES, ADVICE_AUDIENCES, ADVICE_KINDS, LEVEL_CHANGES
from simulator.vocabulary import CONTROL_ACTIONS as CONTROL_ACTION_LABELS

REVIEW_SECTIONS = ("原因和特点", "处置成效", "存在问题", "创新点", "改进方向")
Person = Annotated[str, Field(min_length=1, max_length=50, description="a named person, e.g. 张建国")]
#: the reserved id of exercise control (导调组): valid as ``by`` of the control actions without being a department
CONTROL = "control"
_DUE = "the sim minute by which it must be done (完成时限), e.g. 1h"
#: the most decisions a plan (and a stored drill: ``simulator.store.drills``) may hold. A three-hour drill of twenty
#: seats deciding every five minutes makes about 700; the cap keeps a drill's replay, score and report bounded (a
#: plan of 10,000 decisions made a 52 MB .docx in 94 s). Refused with a located message, never trimmed.
MAX_DECISIONS = 2_000
#: of those, kept for the after-action reviews: a stored drill takes other decisions up to MAX_DECISIONS - this, so
#: a review can still be saved (and the drill exported as a plan) once the others reached the cap
REVIEW_ROOM = 20


#: decision -> its detail: see ``_Decision.detail``
_DETAILS: PerObject[dict[str, Any]] = PerObject()


class _Decision(Strict):
    # frozen: a decision is a record of what was decided; a changed one is a copy (``model_copy``), so whatever is
    # worked out from a decision object (its ``detail``) holds for as long as the object lives
    model_config = ConfigDict(frozen=True)

    at: Minutes = Field(description="sim minute the decision is taken")
    by: Id = Field(description="the department (node) that takes it")
    note: Multiline = Field(default="", max_length=2000)

    def detail(self) -> dict[str, Any]:
        """The decision's own fields (all but ``at``, ``by`` and ``action``, and those left at their default), as
        the log quotes them so that score and report can.

        Worked out once per decision object: a plan's decisions are taken again in every drill of a batch and every
        replay of a live drill. The dict is shared by the logs of all those drills, which are read, never changed.
        """
        return _DETAILS.get(self, self._dump_detail)

    def _dump_detail(self) -> dict[str, Any]:
        # the three fields are dropped afterwards: pydantic's exclude costs more than the dump without it
        detail = self.model_dump(mode="json", exclude_defaults=True)
        for name in ("at", "by", "action"):
            detail.pop(name, None)
        return detail


class Assess(_Decision):
    """初步研判: what kind of event, and which response level."""

    action: Literal["assess"]
    event_type: str = Field(min_length=1, max_length=50)
    level: Level


class Notify(_Decision):
    action: Literal["notify"]
    to: list[Id] = Field(min_length=1, max_length=1000)
    text: Multiline = Field(default="", max_length=2000)
    due: Minutes | None = Field(default=None, description=_DUE)


class AppointCommander(_Decision):
    action: Literal["appoint_commander"]
    person: Person
    department: Id = Field(description="the commander's department")


class WorkingGroup(Strict):
    name: str = Field(min_length=1, max_length=50)
    lead: Id
    owner: Person


class EstablishCommandPost(_Decision):
    action: Literal["establish_command_post"]
    location: str = Field(default="现场", max_length=100)
    groups: list[WorkingGroup] = Field(default_factory=list, max_length=50)


class Assign(_Decision):
    action: Literal["assign"]
    task: str = Field(min_length=1, max_length=100)
    department: Id
    owner: Person | None = None
    text: Multiline = Field(default="", max_length=2000, description="the instruction as the department reads it")
    due: Minutes | None = Field(default=None, description=_DUE)


class Order(_Decision):
    action: Literal["order"]
    measure: Id
    department: Id
    params: dict[str, Any] = Field(default_factory=dict)
    owner: Person | None = None
    text: Multiline = Field(default="", max_length=2000, description="the instruction as the department reads it")
    due: Minutes | None = Field(default=None, description=_DUE)


class RequestInfo(_Decision):
    action: Literal["request_info"]
    to: Id
    topic: str = Field(min_length=1, max_length=50)


#: a report figure a scripted plan leaves to the drill: the toll so far, as an office that knew everything would
#: state it. A reference plan run under many seeds cannot write one number that is true under all of them.
KNOWN = "known"
Stated = Annotated[int, Field(ge=0, le=1_000_000)] | Literal["known"] | None


class ReportUp(_Decision):
    action: Literal["report_up"]
    mode: Literal["phone", "written"]
    to: Id | None = Field(default=None, description="defaults to the scenario's higher level")
    level: Level | None = None
    text: Multiline = Field(default="", max_length=5000)
    dead: Stated = Field(default=None, description="死亡人数 stated (omitted: not stated; known: the toll so far)")
    injured: Stated = Field(default=None, description="受伤人数 stated (omitted: not stated; known: the toll so far)")
    missing: Stated = Field(default=None, description="失联人数 stated (omitted: not stated; known: the toll so far)")
    trapped: Stated = Field(
        default=None,
        description="被困人数 stated: people trapped so far, rescued or not (omitted: not stated; known: the toll)",
    )

    def figures(self) -> dict[str, int | str]:
        """The casualty figures this report states (the ones left out are not stated, which is not zero)."""
        stated = {"dead": self.dead, "injured": self.injured, "missing": self.missing, "trapped": self.trapped}
        return {k: v for k, v in stated.items() if v is not None}

    def as_known(self, toll: dict[str, int]) -> ReportUp:
        """This report with each ``known`` figure replaced by the toll so far (left out where the hazard keeps no
        such figure): what the drill sends and logs."""
        known = {k: toll.get(k) for k, v in self.figures().items() if v == KNOWN}
        return self.model_copy(update=known) if known else self


class Adjust(_Decision):
    action: Literal["adjust"]
    measure: Id
    params: dict[str, Any] = Field(default_factory=dict)
    reason: Multiline = Field(min_length=1, max_length=500)
    due: Minutes | None = Field(default=None, description=_DUE)


class ReportOffice(_Decision):
    """报告情况: a department reports to the duty office over the network (delayed or lost like any message)."""

    action: Literal["report_office"]
    text: Multiline = Field(min_length=1, max_length=5000)
    to: Id | None = Field(default=None, description="defaults to the scenario's coordinator (the duty office)")


class ReleaseInject(_Decision):
    """导调组 releases an inject now: a timed one early, a held one, or a conditional one whatever its condition."""

    action: Literal["release_inject"]
    inject: Id


class HoldInject(_Decision):
    """导调组 holds an inject: when its time comes it waits until released (or skipped)."""

    action: Literal["hold_inject"]
    inject: Id


class SkipInject(_Decision):
    """导调组 cancels an inject: it will never be released."""

    action: Literal["skip_inject"]
    inject: Id


class ControlMessage(_Decision):
    """An ad-hoc message from 导调组 to one or several seats, released like an inject."""

    action: Literal["message"]
    to: list[Id] = Field(min_length=1, max_length=1000)
    title: str = Field(min_length=1, max_length=100)
    text: Text = Field(min_length=1)


class Close(_Decision):
    action: Literal["close"]


def _key_of(table: dict) -> Any:
    """Accept a closed set's key or its Chinese name (``提升`` for ``raise``, ``群众可返回`` for ``may_return``)."""
    by_zh = {label.zh: key for key, label in table.items()}
    return lambda value: by_zh.get(value, value) if isinstance(value, str) else value


LevelChange = Annotated[
    Literal["start", "raise", "lower", "end"],
    BeforeValidator(_key_of(LEVEL_CHANGES)),
    Field(description="启动 start, 提升 raise, 降低 lower or 终止 end the response"),
]
AdviceKind = Annotated[
    Literal["advice", "warning", "stand_down", "may_return", "all_clear"],
    BeforeValidator(_key_of(ADVICE_KINDS)),
    Field(
        description="建议 advice, 预警提示 warning, 解除警戒 stand_down, 群众可返回 may_return, 危险已排除 all_clear"
    ),
]
AdviceAudience = Annotated[
    Literal["public", "departments", "command"],
    BeforeValidator(_key_of(ADVICE_AUDIENCES)),
    Field(description="社会公众 public, 各有关部门 departments, 现场指挥部 command"),
]


class SetLevel(_Decision):
    """启动/调整/终止应急响应: the formal decision to start, raise, lower or end the response at a level.

    Apart from ``assess`` (初步研判, a judgement): this is the decision the plan's measures hang on. ``change`` may
    be left out (the drill derives it from the level in force) or given, and is then checked; ending the response
    (``change: end``) needs no level and closes the response as ``close`` does."""

    action: Literal["set_level"]
    level: Level | None = Field(default=None, description="the response level to start, raise or lower to")
    change: LevelChange | None = Field(default=None, description="optional: what the decision does to the response")

    @model_validator(mode="after")
    def _level_or_end(self) -> SetLevel:
        if self.level is None and self.change != "end":
            raise ValueError("请给出响应级别 level，或以 change: 终止 结束应急响应 (a level, or change: end)")
        return self


class Advise(_Decision):
    """建议/解除警戒/群众可返回: advice given by any department (a utility crew's "danger is over" included).

    A stand-down given to the public ends the protection of evacuation and sheltering (people go back), and it is
    scored: a stand-down, an all-clear or "people may return" before the hazard is under control is a 精准 fault,
    and the harm that follows is laid at its door."""

    action: Literal["advise"]
    kind: AdviceKind = Field(default="advice")
    to: AdviceAudience = Field(default="public", description="to whom the advice is given")
    text: Multiline = Field(default="", max_length=2000, description="the advice as its audience hears it")


class Review(_Decision):
    """复盘: the after-action review, in the doctrine's five sections."""

    action: Literal["review"]
    sections: dict[str, Text] = Field(description="keys among 原因和特点、处置成效、存在问题、创新点、改进方向")

    @model_validator(mode="after")
    def _known_sections(self) -> Review:
        unknown = [k for k in self.sections if k not in REVIEW_SECTIONS]
        if unknown:
            raise ValueError(f"未知的复盘章节 {unknown}，应为 {'、'.join(REVIEW_SECTIONS)} (unknown review section)")
        return self


Decision = Annotated[
    Assess
    | Notify
    | AppointCommander
    | EstablishCommandPost
    | Assign
    | Order
    | RequestInfo
    | ReportUp
    | Adjust
    | ReportOffice
    | Close
    | SetLevel
    | Advise
    | Review
    | ReleaseInject
    | HoldInject
    | SkipInject
    | ControlMessage,
    Field(discriminator="action"),
]
#: the trainees' actions (what a seat or the console's decision form offers, what an answer key may expect)
ACTIONS = tuple(ACTION_NAMES)
#: the facilitator's actions on the MSEL, taken ``by: control``
CONTROL_ACTIONS = tuple(CONTROL_ACTION_LABELS)


class Plan(Strict):
    """A list of timed decisions. A live drill exported as a file is a plan too: it then also carries the seed,
    the scenario's version and how far the drill had got, so it replays elsewhere exactly as it stood."""

    scenario: Id | None = Field(default=None, description="the scenario this plan was written for")
    scenario_version: Version | None = None
    scenario_hash: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="for an exported drill: the sha256 of the scenario's content it was run with",
    )
    name: str = Field(default="", max_length=100)
    team: str = Field(default="", max_length=100)
    seed: int | None = Field(default=None, ge=0, lt=2**63, description="for an exported drill: its seed")
    clock: Minutes | None = Field(default=None, description="for an exported drill: the minute it had reached")
    finished: bool = Field(default=False, description="for an exported drill: whether it had ended")
    decisions: list[Decision] = Field(default_factory=list, max_length=MAX_DECISIONS)

    def timed(self) -> list[Any]:
        """Decisions in time order; decisions at the same minute keep their written order."""
        return sorted(self.decisions, key=lambda d: d.at)

    def to_yaml_data(self) -> dict[str, Any]:
        """Plain data for ``yaml.safe_dump``, with times written as people write them."""
        data = self.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        if self.clock is not None:
            data["clock"] = format_minutes(self.clock)
        for raw, decision in zip(data.get("decisions", []), self.decisions, strict=True):
            raw["at"] = format_minutes(decision.at)
        return data
