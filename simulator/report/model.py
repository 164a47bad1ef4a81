"""The 调研报告's content, built from the scenario, the event log and the score: what the renderings show.

The doctrine's 提升 asks that after an incident the office 梳理事件情况及处置过程，归纳分析事件的原因和特点、
处置成效、存在问题、创新点及改进方向，形成调研报告. This module drafts that report so the renderings (docx,
Markdown, the xlsx 台账) only lay it out and can never disagree with one another.

Two rules shape it:

* Nothing is invented. Every time, department and figure comes from an event of the log (or the scenario the
  log was run from); every problem is an indicator the scorer marked down, with the scorer's evidence, whose
  time is re-read from the cited event. Evidence citing an event that is not in the log is left out and kept
  in ``Report.ungrounded`` so the caller can see the scorer and the log disagree.
* The trainees' own words win. Where their review (the ``review_submitted`` event) wrote a section, the
  report quotes it; where it did not, the report drafts a paragraph from the log and marks it ``【待补充】``
  for the human who finishes the draft.

The content is a list of sections made of four kinds of block (paragraph, level-two heading, table, figure),
so each rendering is a small loop over blocks. Structured data (timeline, ledger, findings, scores) stays on
the ``Report`` too, for tests and for the UI.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from simulator.engine.events import Event, EventLog
from simulator.engine.network import HUB
from simulator.engine.state import state_at
from simulator.formats.common import LEVEL_NAMES
from simulator.formats.durations import clock_text
from simulator.formats.plan import ACTION_NAMES, REVIEW_SECTIONS
from simulator.formats.scenario import MEDIUM_NAMES, Scenario
from simulator.hazards import describe_params
from simulator.report._util import chinese_only, t_text, when_text
from simulator.report.suggestions import suggest

#: the doctrine's four keywords, in its order (the score's ``keywords`` keys)
KEYWORDS: tuple[str, ...] = ("迅速", "有序", "精准", "提升")
#: marks a paragraph the report drafted where the trainees wrote nothing: a human must complete it
TODO = "【待补充】"
#: the seven level-one headings of the report body, in order
HEADINGS: tuple[str, ...] = (
    "一、事件基本情况",
    "二、应急处置过程",
    "三、事件原因和特点",
    "四、处置成效",
    "五、存在问题",
    "六、创新点",
    "七、改进方向和措施建议",
)
ATTACHMENT_TITLES: tuple[str, ...] = ("评分表", "处置时间线", "任务台账")

MESSAGE_KINDS = {
    "notice": "通知",
    "order": "指令",
    "report": "报告",
    "request": "询问",
    "reply": "回复",
    "appointment": "任命通知",
}
REPORT_MODES = {"phone": "电话", "written": "书面"}
#: measure parameters as a report names them: key -> (name, unit)
#: outcome figures of ``Outcome.as_dict()``: key -> (label, unit); for all of them, less is better
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "injured": ("受伤人数", "人"),
    "dead": ("死亡人数", "人"),
    "exposed_person_minutes": ("暴露人员累计（人·分钟）", ""),
    "contained_at": ("险情得到控制时间", ""),
    "decisions_rejected": ("未被受理的决策", "项"),
    "messages_lost": ("消息丢失", "次"),
    "messages_undelivered": ("消息未送达", "条"),
}
TASK_STATUS = {"finished": "已完成", "started": "执行中", "ordered": "未开始"}
NO_OWNER = "未明确"


# -- blocks ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Paragraph:
    """Body text. ``style``: body (first line indented two characters) or plain (no indent)."""

    text: str
    style: Literal["body", "plain"] = "body"


@dataclass(frozen=True, slots=True)
class SubHeading:
    """A level-two heading, ``（一）…``."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table; ``widths`` are column widths in mm on the 156 mm type area (the renderer scales to fit)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    small: bool = False  # attachment tables use a smaller font to fit the page


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart drawn from the report's data by ``charts.render``: ``radar`` or ``gantt``."""

    chart: Literal["radar", "gantt"]
    caption: str


Block = Paragraph | SubHeading | Table | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A level-one section (or an attachment). ``source`` says where its text came from."""

    heading: str
    blocks: tuple[Block, ...]
    source: Literal["log", "review", "drafted", "score"] = "log"

    @property
    def needs_input(self) -> bool:
        """Whether a paragraph here is a draft marked ``【待补充】``."""
        return any(isinstance(b, Paragraph) and TODO in b.text for b in self.blocks)

    def text(self) -> str:
        """All the section's words (headings, paragraphs, table cells, captions), for search and tests."""
        parts = [self.heading]
        for b in self.blocks:
            if isinstance(b, Paragraph | SubHeading):
                parts.append(b.text)
            elif isinstance(b, Table):
                parts.extend("\t".join(r) for r in (b.columns, *b.rows))
            else:
                parts.append(b.caption)
        return "\n".join(parts)


# -- structured content -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One event of the log as the report tells it. ``key`` rows make the body's table; all make 附件2."""

    event_id: int
    t: float
    when: str  # T+42
    clock: str  # 08:52
    dept_id: str | None  # a department of the scenario, or None (the scene, the command post, the hazard)
    dept: str
    kind: str
    text: str  # short, for the body
    detail: str  # full, for the attachment
    key: bool


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """A row of the 任务台账: one task as ordered and carried out (times in sim minutes)."""

    seq: int
    task: str
    name: str
    dept_id: str
    dept: str
    owner: str | None
    ordered_at: float
    ordered_clock: str
    started_at: float | None
    started_clock: str | None
    finished_at: float | None
    finished_clock: str | None
    status: str
    note: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """A line of the scorer's evidence; ``t`` is the cited event's time in the log (None: no event cited)."""

    event_id: int | None
    t: float | None
    text: str
    when: str | None  # T+42（08:52）, None when no event is cited

    def line(self) -> str:
        return f"{self.when}，{self.text}" if self.when else self.text


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    keyword: str
    id: str
    name: str
    points: float
    max: float
    evidence: tuple[Evidence, ...]
    finding: str = ""  # the scorer's one-line verdict, when it gives one
    skipped: bool = False  # not applicable to this drill (e.g. no reference run): neither given nor lost

    @property
    def lost(self) -> float:
        return 0.0 if self.skipped else max(0.0, self.max - self.points)


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem (an indicator that lost points) and the suggestion it calls for."""

    indicator: IndicatorResult
    suggestion: str


@dataclass(frozen=True, slots=True)
class KeywordScore:
    keyword: str
    score: float | None
    reference: float | None = None


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    key: str
    label: str
    value: str
    reference: str | None = None
    comparison: str | None = None


@dataclass(frozen=True, slots=True)
class Milestone:
    """A moment drawn across the task chart (研判, 首次上报, 指挥部开设, 险情控制 …)."""

    t: float
    label: str


@dataclass(frozen=True)
class Report:
    title: str
    scenario_id: str
    scenario_title: str
    seed: int | None
    start_clock: str
    duration: float
    total: float | None
    grade: str | None
    keywords: tuple[KeywordScore, ...]
    indicators: tuple[IndicatorResult, ...]
    findings: tuple[Finding, ...]
    outcome: tuple[OutcomeRow, ...]
    timeline: tuple[TimelineRow, ...]
    ledger: tuple[LedgerRow, ...]
    milestones: tuple[Milestone, ...]
    review: Mapping[str, str]
    sections: tuple[Section, ...]
    attachments: tuple[Section, ...]
    closing: tuple[str, ...]
    ungrounded: tuple[dict[str, Any], ...] = field(default=())

    def section(self, prefix: str) -> Section:
        """The section whose heading starts with ``prefix`` (e.g. ``"五"`` or ``"五、存在问题"``)."""
        for s in (*self.sections, *self.attachments):
            if s.heading.startswith(prefix):
                return s
        raise KeyError(prefix)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready) for the UI and for storing the draft beside the run.

        Each block carries its ``block`` kind (paragraph, subheading, table, figure), which plain
        ``dataclasses.asdict`` would lose.
        """
        data = dataclasses.asdict(self)
        for key in ("sections", "attachments"):
            for section, raw in zip(getattr(self, key), data[key], strict=True):
                raw["blocks"] = [{"block": type(b).__name__.lower(), **dataclasses.asdict(b)} for b in section.blocks]
                raw["needs_input"] = section.needs_input
        data["review"] = dict(self.review)
        return data


# -- building -----------------------------------------------------------------------------------------------
def build_report(
    scenario: Scenario,
    log: EventLog | Iterable[Event],
    score: Mapping[str, Any],
    *,
    reference_outcome: Mapping[str, Any] | Any | None = None,
    reference_score: Mapping[str, Any] | None = None,
) -> Report:
    """Draft the 调研报告 of one drill.

    ``score`` is ``simulator.scoring.score_drill``'s dict. ``reference_outcome`` is the reference plan's
    ``Outcome`` (or its ``as_dict()``) for 四、处置成效; ``reference_score`` the reference plan's score, drawn
    on the radar beside this drill's. Pure: the same inputs give an equal report.
    """
    events = list(log)
    ctx = _Context(scenario, events)
    timeline = tuple(ctx.timeline())
    ledger = tuple(ctx.ledger())
    review = ctx.review()
    indicators, ungrounded = _indicators(score, ctx)
    findings = tuple(Finding(i, suggest({"id": i.id, "name": i.name}, scenario)) for i in indicators if i.lost > 0)
    keywords = _keyword_scores(score, reference_score)
    ref_outcome = _as_dict(reference_outcome)
    if ref_outcome is None:  # score_drill carries the reference run's outcome when it was given one
        ref_outcome = ((score.get("outcome") or {}).get("reference")) or None
    outcome = _outcome_rows(ctx, ctx.outcome(), ref_outcome)
    total = _number(score.get("total"))
    grade = score.get("grade")
    draft = _Draft(ctx, timeline, ledger, review, indicators, findings, keywords, outcome, total, grade)
    return Report(
        title=report_title(scenario),
        scenario_id=scenario.id,
        scenario_title=scenario.title,
        seed=ctx.seed,
        start_clock=scenario.start_clock,
        duration=scenario.duration,
        total=total,
        grade=str(grade) if grade is not None else None,
        keywords=keywords,
        indicators=indicators,
        findings=findings,
        outcome=outcome,
        timeline=timeline,
        ledger=ledger,
        milestones=tuple(ctx.milestones()),
        review=review,
        sections=draft.sections(),
        attachments=draft.attachments(),
        closing=("××区人民政府办公室", "××××年××月××日"),
        ungrounded=tuple(ungrounded),
    )


def report_title(scenario: Scenario) -> str:
    """关于“…”事件应急处置情况的调研报告 (a scenario title ending in 事件 does not say it twice)."""
    core = scenario.title.strip().removesuffix("事件") or scenario.title
    return f"关于“{core}”事件应急处置情况的调研报告"


class _Context:
    """The log indexed the ways the report reads it: decisions, messages and tasks by id, names of nodes."""

    def __init__(self, scenario: Scenario, events: list[Event]):
        self.scenario = scenario
        self.events = events
        self.by_id = {e.id: e for e in events}
        self.decisions = {e["decision"]: e for e in events if e.kind in ("decision_accepted", "decision_rejected")}
        self.messages = {e["msg"]: e for e in events if e.kind == "message_sent"}
        self.tasks = {e["task"]: e for e in events if e.kind == "task_ordered"}
        self.inject_ids = {i.id for i in scenario.injects}
        started = next((e for e in events if e.kind == "drill_started"), None)
        self.seed = started.get("seed") if started is not None else None
        self.channels = {c.id: c for c in scenario.channels}

    # names ------------------------------------------------------------------------------------------------
    def dept(self, node: str | None) -> tuple[str | None, str]:
        """(department id or None, its Chinese name) for a node of the log."""
        if node is None:
            return None, "—"
        d = self.scenario.department(node)
        if d is not None:
            return d.id, d.name
        if node == HUB:
            return None, "现场指挥部"
        return None, str(node)

    def name(self, node: str | None) -> str:
        return self.dept(node)[1]

    def names(self, nodes: Iterable[str]) -> str:
        return "、".join(self.name(n) for n in nodes)

    def when(self, t: float) -> str:
        return when_text(self.scenario.start_clock, t)

    def decision_by(self, decision: str | None) -> str | None:
        e = self.decisions.get(decision) if decision else None
        return e["by"] if e is not None else None

    # the log, read ----------------------------------------------------------------------------------------
    def review(self) -> dict[str, str]:
        reviews = [e for e in self.events if e.kind == "review_submitted"]
        if not reviews:
            return {}
        sections = reviews[-1]["sections"] or {}
        return {k: str(sections[k]).strip() for k in REVIEW_SECTIONS if str(sections.get(k) or "").strip()}

    def outcome(self) -> dict[str, Any]:
        """The drill's outcome figures: the ``drill_ended`` event's, or folded from the log if it never ended."""
        ended = [e for e in self.events if e.kind == "drill_ended"]
        if ended:
            return dict(ended[-1]["outcome"])
        state = state_at(self.events, math.inf)
        return {
            "injured": state.injured,
            "dead": state.dead,
            "exposed_person_minutes": state.hazard.get("exposed_person_minutes"),
            "contained_at": state.contained_at,
            "decisions_rejected": sum(e.kind == "decision_rejected" for e in self.events),
            "messages_lost": sum(e.kind == "message_lost" for e in self.events),
            "messages_undelivered": sum(e.kind == "message_undelivered" for e in self.events),
        }

    def milestones(self) -> Iterable[Milestone]:
        firsts = (
            ("assessment", "初步研判"),
            ("report_received", "上级收到报告"),
            ("command_post_established", "指挥部开设"),
            ("hazard_contained", "险情控制"),
            ("response_closed", "响应结束"),
        )
        for kind, label in firsts:
            e = next((e for e in self.events if e.kind == kind), None)
            if e is not None:
                yield Milestone(e.t, label)

    def ledger(self) -> Iterable[LedgerRow]:
        clock = self.scenario.start_clock
        tasks = state_at(self.events, math.inf).tasks
        for seq, row in enumerate(tasks.values(), start=1):
            ordered = self.tasks[row["task"]]
            dept_id, dept = self.dept(row["dept"])
            notes = [describe_params(self.scenario.hazard, ordered.get("measure"), ordered.get("params") or {})]
            decision = self.decisions.get(ordered.get("decision"))
            if decision is not None and decision["action"] == "adjust":
                notes.append(f"调整措施：{decision['detail'].get('reason', '')}")
            started, finished = row["started_at"], row["finished_at"]
            yield LedgerRow(
                seq=seq,
                task=row["task"],
                name=row["name"],
                dept_id=dept_id or row["dept"],
                dept=dept,
                owner=row["owner"] or None,
                ordered_at=float(row["ordered_at"]),
                ordered_clock=clock_text(clock, row["ordered_at"]),
                started_at=float(started) if started is not None else None,
                started_clock=clock_text(clock, started) if started is not None else None,
                finished_at=float(finished) if finished is not None else None,
                finished_clock=clock_text(clock, finished) if finished is not None else None,
                status=TASK_STATUS.get(row["status"], row["status"]),
                note="；".join(n for n in notes if n),
            )

    def timeline(self) -> Iterable[TimelineRow]:
        clock = self.scenario.start_clock
        for e in self.events:
            told = self._tell(e)
            if told is None:
                continue
            node, text, detail, key = told
            dept_id, dept = self.dept(node)
            yield TimelineRow(
                e.id, e.t, t_text(e.t), clock_text(clock, e.t), dept_id, dept, e.kind, text, detail or text, key
            )

    def _tell(self, e: Event) -> tuple[str | None, str, str, bool] | None:
        """(node, short text, full text, key?) of an event, or None for events a report leaves out."""
        k = e.kind
        if k == "inject_released":
            head = f"{e['title']}（{e.get('source') or '现场'}）"
            return e["to"], head, f"{head}：{e['text']}", True
        if k == "decision_accepted":
            return self._tell_decision(e)
        if k == "decision_rejected":
            what = ACTION_NAMES.get(e["action"], e["action"])
            return e["by"], f"决策未被受理（{what}）：{chinese_only(e['reason'])}", "", True
        if k == "assessment":
            level = LEVEL_NAMES.get(e["level"], str(e["level"]))
            return e["by"], f"初步研判为{e['event_type']}，响应级别{level}", "", True
        if k == "department_notified":
            via = "接到报警" if e.get("msg") in self.inject_ids else "接到通知"
            return e["dept"], via, "", False
        if k == "department_mobilised":
            return e["dept"], "出动", "", False
        if k == "department_arrived":
            return e["dept"], "到达现场", "", False
        if k == "commander_appointed":
            text = f"任命{self.name(e['dept'])}{e['person']}为现场总指挥"
            return self.decision_by(e.get("decision")), text, "", True
        if k == "command_post_established":
            groups = e["groups"] or []
            head = f"现场指挥部在{e['location']}开设，下设{len(groups)}个工作组"
            listed = "、".join(f"{g['name']}（{self.name(g['lead'])}，{g.get('owner') or NO_OWNER}）" for g in groups)
            return self.decision_by(e.get("decision")), head, f"{head}：{listed}" if listed else head, True
        if k == "report_received":
            mode = REPORT_MODES.get(e["mode"], e["mode"])
            return e["to"], f"收到{self.name(e['from'])}{mode}报告", "", True
        if k == "info_received":
            head = f"收到{self.name(e['from'])}关于“{e['topic']}”的回复"
            return e["to"], head, f"{head}：{e['text']}", False
        if k == "task_ordered":
            return self._tell_task(e)
        if k in ("task_started", "task_finished"):
            ordered = self.tasks.get(e["task"])
            name = ordered["name"] if ordered is not None else e["task"]
            verb = "开始执行" if k == "task_started" else "完成"
            return e["dept"], f"{verb}“{name}”", "", k == "task_finished"
        if k == "message_lost":
            sent = self.messages.get(e["msg"])
            what = self._message(sent)
            reason = chinese_only(str(e.get("reason") or "")) or "信道故障"
            return e.get("at_node"), f"{what}第{e['attempt']}次发送失败（{reason}）", "", False
        if k == "message_undelivered":
            what = f"发往{self.name(e['to'])}的{MESSAGE_KINDS.get(e['msg_kind'], e['msg_kind'])}"
            return e["from"], f"{what}未能送达（{chinese_only(e['reason'])}）", "", True
        if k in ("channel_cut", "channel_restored"):
            ch = self.channels.get(e["channel"])
            desc = (
                f"{self.name(ch.from_)}—{self.name(ch.to)}{MEDIUM_NAMES.get(ch.medium, ch.medium)}信道"
                if ch is not None
                else f"信道{e['channel']}"
            )
            return None, desc + ("中断" if k == "channel_cut" else "恢复"), "", False
        if k == "casualties":
            return None, *self._tell_casualties(e)
        if k == "hazard_contained":
            return None, "险情得到控制", "", True
        if k == "response_closed":
            return self.decision_by(e.get("decision")), "宣布终止应急响应", "", True
        if k == "review_submitted":
            n = sum(bool(str(v).strip()) for v in (e["sections"] or {}).values())
            return self.decision_by(e.get("decision")), f"提交复盘总结（{n}个方面）", "", True
        if k == "drill_started":
            return None, "推演开始", "", False
        if k == "drill_ended":
            out = e["outcome"] or {}
            return None, f"推演结束（累计受伤{out.get('injured', 0)}人、死亡{out.get('dead', 0)}人）", "", False
        return None  # samples, sent/delivered messages, skipped injects, parameter changes told by their inject

    def _tell_decision(self, e: Event) -> tuple[str | None, str, str, bool] | None:
        detail = e.get("detail") or {}
        action = e["action"]
        if action == "notify":
            text = f"通知{self.names(detail.get('to', []))}"
            note = detail.get("text")
            return e["by"], text, f"{text}：{note}" if note else text, True
        if action == "establish_command_post":
            return e["by"], f"决定在{detail.get('location', '现场')}设立现场指挥部", "", True
        if action == "request_info":
            return e["by"], f"向{self.name(detail.get('to'))}询问“{detail.get('topic', '')}”", "", False
        if action == "report_up":
            target = detail.get("to") or (self.scenario.higher_level or [None])[0]
            mode = REPORT_MODES.get(detail.get("mode", ""), "")
            level = detail.get("level")
            text = f"向{self.name(target)}{mode}报告" + (f"（{LEVEL_NAMES.get(level, level)}）" if level else "")
            note = detail.get("text")
            return e["by"], text, f"{text}：{note}" if note else text, True
        return None  # assess, appoint, order, assign, adjust, close, review: told by the events they cause

    def _tell_task(self, e: Event) -> tuple[str | None, str, str, bool]:
        decision = self.decisions.get(e.get("decision"))
        params = describe_params(self.scenario.hazard, e.get("measure"), e.get("params") or {})
        dept = self.name(e["dept"])
        if decision is not None and decision["action"] == "adjust":
            text = f"调整“{e['name']}”措施" + (f"为{params}" if params else "") + f"，由{dept}执行"
            reason = (decision.get("detail") or {}).get("reason")
            return e.get("by"), text, f"{text}。理由：{reason}" if reason else text, True
        owner = e.get("owner")
        text = f"向{dept}下达“{e['name']}”任务" + (f"（{params}）" if params else "")
        text += f"，责任人{owner}" if owner else "，未明确责任人"
        return e.get("by"), text, "", True

    def _tell_casualties(self, e: Event) -> tuple[str, str, bool]:
        parts = []
        if e["injured"]:
            parts.append(f"受伤{e['injured']}人")
        if e["dead"]:
            parts.append(f"死亡{e['dead']}人")
        where = e.get("where") or ""
        text = f"新增{'、'.join(parts) or '伤亡'}" + (f"（{where}）" if where else "")
        text += f"，累计受伤{e['total_injured']}人、死亡{e['total_dead']}人"
        return text, "", bool(e["dead"])

    def _message(self, sent: Event | None) -> str:
        if sent is None:
            return "消息"
        return f"发往{self.name(sent['to'])}的{MESSAGE_KINDS.get(sent['msg_kind'], sent['msg_kind'])}"


# -- the score ----------------------------------------------------------------------------------------------
def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


#: the scorer may open an evidence line with its own clock (``T+42分 …``); the report re-times it from the log
_TIME_PREFIX = re.compile(r"^T\+\d+(?:\.\d+)?\s*分?(?:钟)?\s*[，,：:]?\s*")


def _keyword_order(keywords: Mapping[str, Any]) -> list[str]:
    return [k for k in KEYWORDS if k in keywords] + sorted(k for k in keywords if k not in KEYWORDS)


def _indicators(score: Mapping[str, Any], ctx: _Context) -> tuple[tuple[IndicatorResult, ...], list[dict]]:
    """Every indicator of the score, its evidence re-timed from the log; evidence citing no such event is held."""
    keywords = score.get("keywords") or {}
    results: list[IndicatorResult] = []
    ungrounded: list[dict[str, Any]] = []
    for kw in _keyword_order(keywords):
        for ind in (keywords[kw] or {}).get("indicators") or []:
            evidence = []
            for ev in ind.get("evidence") or []:
                event_id = ev.get("event_id")
                text = _TIME_PREFIX.sub("", str(ev.get("text", "")).strip()).rstrip("。")
                if event_id is None:
                    evidence.append(Evidence(None, None, text, None))
                    continue
                event = ctx.by_id.get(event_id)
                if event is None:
                    ungrounded.append({"keyword": kw, "indicator": ind.get("id"), **ev})
                    continue
                evidence.append(Evidence(event.id, event.t, text, ctx.when(event.t)))
            results.append(
                IndicatorResult(
                    keyword=kw,
                    id=str(ind.get("id", "")),
                    name=str(ind.get("name") or ind.get("id") or ""),
                    points=_number(ind.get("points")) or 0.0,
                    max=_number(ind.get("max")) or 0.0,
                    evidence=tuple(evidence),
                    finding=str(ind.get("finding") or "").strip().rstrip("。"),
                    skipped=bool(ind.get("skipped", False)),
                )
            )
    return tuple(results), ungrounded


def _keyword_scores(score: Mapping[str, Any], reference: Mapping[str, Any] | None) -> tuple[KeywordScore, ...]:
    mine = score.get("keywords") or {}
    theirs = (reference or {}).get("keywords") or {}
    order = _keyword_order({**{k: None for k in KEYWORDS}, **mine})
    return tuple(
        KeywordScore(
            kw,
            _number((mine.get(kw) or {}).get("score")),
            _number((theirs.get(kw) or {}).get("score")) if reference is not None else None,
        )
        for kw in order
    )


# -- outcome figures ----------------------------------------------------------------------------------------
def _as_dict(outcome: Any) -> dict[str, Any] | None:
    if outcome is None:
        return None
    if hasattr(outcome, "as_dict"):
        return outcome.as_dict()
    return dict(outcome)


def _figure(key: str, value: Any, ctx: _Context) -> str:
    if key == "contained_at":
        return ctx.when(value) if value is not None else "未控制"
    if value is None:
        return "—"
    unit = OUTCOME_LABELS[key][1]
    return f"{_fmt(value)}{unit}"


def _compare(key: str, mine: Any, ref: Any) -> str:
    if key == "contained_at":
        if mine is None or ref is None:
            return "—" if mine is None and ref is None else ("未控制" if mine is None else "早于参考方案控制")
        diff = math.floor(mine) - math.floor(ref)
        return "与参考方案同时" if diff == 0 else f"{'晚' if diff > 0 else '早'}{abs(diff)}分钟"
    if mine is None or ref is None:
        return "—"
    diff = float(mine) - float(ref)
    unit = OUTCOME_LABELS[key][1]
    return "与参考方案相同" if abs(diff) < 1e-9 else f"{'多' if diff > 0 else '少'}{_fmt(abs(diff))}{unit}"


def _outcome_rows(ctx: _Context, mine: dict[str, Any], ref: dict[str, Any] | None) -> tuple[OutcomeRow, ...]:
    rows = []
    for key, (label, _) in OUTCOME_LABELS.items():
        if key not in mine:
            continue
        if ref is None or key not in ref:
            rows.append(OutcomeRow(key, label, _figure(key, mine[key], ctx)))
        else:
            rows.append(
                OutcomeRow(
                    key,
                    label,
                    _figure(key, mine[key], ctx),
                    _figure(key, ref[key], ctx),
                    _compare(key, mine[key], ref[key]),
                )
            )
    return tuple(rows)


# -- text helpers ---------------------------------------------------------------------------------------------
def _fmt(value: Any) -> str:
    """A figure as an official document writes it: no trailing .0, at most one decimal."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        v = round(float(value), 1)
        return str(int(v)) if v.is_integer() else f"{v:.1f}"
    return str(value)


_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 21 -> 二十一 (for （一）-style headings; enough for the lists of one report)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}" if n < 100 else str(n)


# -- the draft ------------------------------------------------------------------------------------------------
class _Draft:
    """Writes the seven sections and the three attachments from what ``build_report`` gathered."""

    def __init__(
        self,
        ctx: _Context,
        timeline: tuple[TimelineRow, ...],
        ledger: tuple[LedgerRow, ...],
        review: dict[str, str],
        indicators: tuple[IndicatorResult, ...],
        findings: tuple[Finding, ...],
        keywords: tuple[KeywordScore, ...],
        outcome: tuple[OutcomeRow, ...],
        total: float | None,
        grade: Any,
    ):
        self.ctx = ctx
        self.s = ctx.scenario
        self.timeline = timeline
        self.ledger = ledger
        self.review = review
        self.indicators = indicators
        self.findings = findings
        self.keywords = keywords
        self.outcome = outcome
        self.total = total
        self.grade = grade

    def sections(self) -> tuple[Section, ...]:
        return (
            self.basic(),
            self.process(),
            self.causes(),
            self.effects(),
            self.problems(),
            self.innovations(),
            self.improvements(),
        )

    # 一 -----------------------------------------------------------------------------------------------------
    def basic(self) -> Section:
        ctx, s = self.ctx, self.s
        events = ctx.events
        blocks: list[Block] = []
        seed = f"，随机种子{ctx.seed}" if ctx.seed is not None else ""
        blocks.append(
            Paragraph(
                f"本报告依据“{s.title}”桌面推演的事件记录（场景{s.id}第{s.version}版{seed}，共{len(events)}条事件）"
                f"整理生成。文中时间以接报时刻为T+0（{s.start_clock}），“T+分钟”为推演时间。"
            )
        )
        if s.summary.strip():
            blocks.append(Paragraph("推演情景：" + "".join(s.summary.split())))
        first = next((e for e in events if e.kind == "inject_released"), None)
        if first is not None:
            blocks.append(
                Paragraph(
                    f"{ctx.when(first.t)}，{ctx.name(first['to'])}接报（{first.get('source') or '现场'}）："
                    f"{first['text']}"
                )
            )
        assessment = next((e for e in events if e.kind == "assessment"), None)
        if assessment is not None:
            level = LEVEL_NAMES.get(assessment["level"], assessment["level"])
            blocks.append(
                Paragraph(
                    f"{ctx.when(assessment.t)}，{ctx.name(assessment['by'])}初步研判事件类型为"
                    f"{assessment['event_type']}，响应级别为{level}。"
                )
            )
        else:
            blocks.append(Paragraph("推演过程中未作出初步研判。"))
        blocks.append(Paragraph(self._summary_line()))
        return Section(HEADINGS[0], tuple(blocks), "log")

    def _summary_line(self) -> str:
        ctx = self.ctx
        events = ctx.events
        out = ctx.outcome()
        decisions = sum(e.kind in ("decision_accepted", "decision_rejected") for e in events)
        rejected = sum(e.kind == "decision_rejected" for e in events)
        done = sum(r.status == TASK_STATUS["finished"] for r in self.ledger)
        end = max((e.t for e in events), default=0.0)
        ended = any(e.kind == "drill_ended" for e in events)
        text = (
            f"推演自T+0{'持续至' if ended else '进行至'}{ctx.when(end)}，参演单位共作出决策{decisions}项"
            + (f"（其中{rejected}项未被受理）" if rejected else "")
            + f"，下达任务{len(self.ledger)}项、完成{done}项。"
            f"事件累计造成{_fmt(out.get('injured') or 0)}人受伤、{_fmt(out.get('dead') or 0)}人死亡，"
        )
        contained = out.get("contained_at")
        if contained is not None:
            text += f"险情于{ctx.when(contained)}得到控制。"
        else:
            text += "推演结束时险情尚未得到控制。" if ended else f"截至{ctx.when(end)}险情尚未得到控制。"
        return text

    # 二 -----------------------------------------------------------------------------------------------------
    def process(self) -> Section:
        key_rows = [r for r in self.timeline if r.key]
        blocks: list[Block] = [
            Paragraph("按时间顺序，本次处置的关键节点如下表所示（全部事件记录见附件2）。"),
            SubHeading("（一）关键节点"),
            Table(
                ("时间", "时刻", "部门", "事项"),
                tuple((r.when, r.clock, r.dept, r.text) for r in key_rows),
                (17, 16, 36, 87),
            ),
            SubHeading("（二）任务下达与执行"),
        ]
        if self.ledger:
            finished = sum(r.status == TASK_STATUS["finished"] for r in self.ledger)
            owners = sum(r.owner is not None for r in self.ledger)
            blocks.append(
                Paragraph(
                    f"推演中共下达任务{len(self.ledger)}项，其中{owners}项明确了具体责任人，"
                    f"{finished}项执行完毕。各部门任务下达与执行情况如下图所示（明细见附件3）。"
                )
            )
            blocks.append(Figure("gantt", "图1  各部门任务下达与执行情况"))
        else:
            blocks.append(Paragraph("推演中未下达任务。"))
        return Section(HEADINGS[1], tuple(blocks), "log")

    # 三 -----------------------------------------------------------------------------------------------------
    def causes(self) -> Section:
        given = self.review.get("原因和特点")
        if given:
            return Section(HEADINGS[2], tuple(Paragraph(p) for p in _paragraphs(given)), "review")
        ctx = self.ctx
        injects = [e for e in ctx.events if e.kind == "inject_released"]
        facts = [f"{k}：{v}（{t_text(e.t)}）" for e in injects for k, v in (e.get("reveals") or {}).items()]
        changes = [f"{e['title']}（{t_text(e.t)}）" for e in injects[1:]]
        blocks: list[Block] = [
            Paragraph(f"{TODO}事件原因需结合事故调查情况补充。以下特点根据推演记录起草，请参演单位核实完善。")
        ]
        items = []
        if facts:
            items.append(f"信息逐步明朗：{'；'.join(facts)}")
        if changes:
            items.append(f"处置中情况多次变化：{'；'.join(changes)}")
        out = ctx.outcome()
        if out.get("injured") or out.get("dead"):
            items.append(f"造成人员伤亡：累计{_fmt(out.get('injured') or 0)}人受伤、{_fmt(out.get('dead') or 0)}人死亡")
        ordinals = "一二三四五六七八九"
        for i, item in enumerate(items):
            blocks.append(Paragraph(f"{ordinals[i]}是{item}。"))
        return Section(HEADINGS[2], tuple(blocks), "drafted")

    # 四 -----------------------------------------------------------------------------------------------------
    def effects(self) -> Section:
        given = self.review.get("处置成效")
        blocks: list[Block] = []
        if given:
            blocks.extend(Paragraph(p) for p in _paragraphs(given))
        else:
            blocks.append(
                Paragraph(f"{TODO}以下处置成效根据推演记录和评分起草，请参演单位结合实际补充。" + self._summary_line())
            )
        blocks.append(SubHeading("（一）综合评分"))
        blocks.append(Paragraph(self._score_line()))
        if any(k.score is not None for k in self.keywords):
            blocks.append(
                Figure("radar", "图2  四个关键词得分" + ("（与专家参考方案对比）" if self._ref_scores() else ""))
            )
            ref = self._ref_scores()
            cols = ("关键词", "本次推演", "参考方案") if ref else ("关键词", "本次推演")
            rows = tuple(
                (k.keyword, _score_text(k.score), _score_text(k.reference))
                if ref
                else (k.keyword, _score_text(k.score))
                for k in self.keywords
            )
            blocks.append(Table(cols, rows, (52, 52, 52) if ref else (78, 78)))
        blocks.append(SubHeading("（二）处置结果"))
        if self.outcome:
            with_ref = any(r.reference is not None for r in self.outcome)
            if with_ref:
                blocks.append(Paragraph("本次推演的处置结果与专家参考方案（同一随机种子）对比如下。"))
                rows = tuple((r.label, r.value, r.reference or "—", r.comparison or "—") for r in self.outcome)
                blocks.append(Table(("指标", "本次推演", "参考方案", "对比"), rows, (48, 36, 36, 36)))
            else:
                blocks.append(Table(("指标", "本次推演"), tuple((r.label, r.value) for r in self.outcome), (90, 66)))
        return Section(HEADINGS[3], tuple(blocks), "review" if given else "drafted")

    def _ref_scores(self) -> bool:
        return any(k.reference is not None for k in self.keywords)

    def _score_line(self) -> str:
        parts = "、".join(f"{k.keyword}{_score_text(k.score)}分" for k in self.keywords if k.score is not None)
        text = "对照迅速、有序、精准、提升四个关键词评分，本次推演"
        text += f"综合得分{_score_text(self.total)}分" if self.total is not None else "未给出综合得分"
        text += f"，评定为“{self.grade}”" if self.grade else ""
        text += f"。其中{parts}。" if parts else "。"
        if self._ref_scores():
            ref = "、".join(
                f"{k.keyword}{_score_text(k.reference)}分" for k in self.keywords if k.reference is not None
            )
            text += f"专家参考方案：{ref}。"
        return text

    # 五 -----------------------------------------------------------------------------------------------------
    def problems(self) -> Section:
        given = self.review.get("存在问题")
        blocks: list[Block] = []
        if given:
            blocks.append(Paragraph(f"参演单位自查认为：{_join(given)}"))
        else:
            blocks.append(Paragraph(f"{TODO}参演单位自查意见。以下问题根据推演记录和评分起草，请核实完善。"))
        if self.findings:
            blocks.append(Paragraph("对照评分标准，推演记录反映出以下问题："))
            for i, f in enumerate(self.findings, start=1):
                ind = f.indicator
                blocks.append(SubHeading(f"（{cn_number(i)}）{ind.name}"))
                lead = f"{ind.keyword}方面，该项得{_fmt(ind.points)}分（满分{_fmt(ind.max)}分）"
                lead += f"，{ind.finding}。" if ind.finding else "。"
                lines = [ev.line() for ev in _against(ind.evidence)]
                blocks.append(Paragraph(lead + ("；".join(lines) + "。" if lines else "评分未给出具体依据。")))
            blocks.append(Paragraph("各项的全部评分依据见附件1。"))
        else:
            blocks.append(Paragraph("对照评分标准，本次推演未发现扣分项。"))
        return Section(HEADINGS[4], tuple(blocks), "review" if given else "score")

    # 六 -----------------------------------------------------------------------------------------------------
    def innovations(self) -> Section:
        given = self.review.get("创新点")
        if given:
            return Section(HEADINGS[5], tuple(Paragraph(p) for p in _paragraphs(given)), "review")
        strong = [i for i in self.indicators if not i.skipped and i.max > 0 and i.points >= i.max]
        text = f"{TODO}创新点需由参演单位总结提炼。"
        if strong:
            names = "、".join(f"“{i.name}”" for i in strong)
            text += f"从评分看，{names}等{len(strong)}项得到满分，可作为总结提炼创新做法的基础。"
        else:
            text += "从评分看，本次推演暂无得到满分的环节。"
        return Section(HEADINGS[5], (Paragraph(text),), "drafted")

    # 七 -----------------------------------------------------------------------------------------------------
    def improvements(self) -> Section:
        given = self.review.get("改进方向")
        blocks: list[Block] = []
        if given:
            blocks.append(Paragraph(f"参演单位提出的改进方向：{_join(given)}"))
        else:
            blocks.append(Paragraph(f"{TODO}参演单位改进方向。以下措施建议根据扣分项起草，请结合实际修改完善。"))
        grouped: dict[str, list[str]] = {}
        for f in self.findings:
            names = grouped.setdefault(f.suggestion, [])
            if f.indicator.name not in names:
                names.append(f.indicator.name)
        if grouped:
            blocks.append(Paragraph("结合推演评估，针对存在问题提出以下措施建议："))
            for i, (suggestion, names) in enumerate(grouped.items(), start=1):
                blocks.append(SubHeading(f"（{cn_number(i)}）针对{'、'.join(f'“{n}”' for n in names)}"))
                blocks.append(Paragraph(suggestion))
        else:
            blocks.append(Paragraph("本次推演未发现扣分项，建议保持现有做法，在后续推演中适当增加情景复杂程度。"))
        return Section(HEADINGS[6], tuple(blocks), "review" if given else "score")

    # 附件 ---------------------------------------------------------------------------------------------------
    def attachments(self) -> tuple[Section, ...]:
        return (self.score_table(), self.full_timeline(), self.ledger_table())

    def score_table(self) -> Section:
        rows = []
        scores = {k.keyword: k.score for k in self.keywords}
        for ind in self.indicators:
            kw = f"{ind.keyword}（{_score_text(scores.get(ind.keyword))}分）"
            basis = "；".join(ev.line() for ev in ind.evidence) or "—"
            if ind.skipped:
                rows.append((kw, ind.name, "不适用", "—", basis))
            else:
                rows.append((kw, ind.name, _fmt(ind.points), _fmt(ind.max), basis))
        total = f"综合得分{_score_text(self.total)}分" + (f"，评定为“{self.grade}”" if self.grade else "")
        blocks: list[Block] = [Paragraph(total + "。", "plain")]
        if rows:
            blocks.append(
                Table(("关键词", "指标", "得分", "满分", "评分依据"), tuple(rows), (18, 26, 13, 13, 86), small=True)
            )
        return Section(f"附件1  {ATTACHMENT_TITLES[0]}", tuple(blocks), "score")

    def full_timeline(self) -> Section:
        rows = tuple((r.when, r.clock, r.dept, r.detail) for r in self.timeline)
        return Section(
            f"附件2  {ATTACHMENT_TITLES[1]}",
            (Table(("时间", "时刻", "部门", "事项"), rows, (16, 15, 32, 93), small=True),),
            "log",
        )

    def ledger_table(self) -> Section:
        rows = tuple(ledger_cells(r) for r in self.ledger)
        blocks: list[Block] = [Table(LEDGER_TABLE_COLUMNS, rows, (9, 22, 25, 15, 15, 15, 15, 14, 26), small=True)]
        if not rows:
            blocks = [Paragraph("推演中未下达任务。", "plain")]
        return Section(f"附件3  {ATTACHMENT_TITLES[2]}", tuple(blocks), "log")


LEDGER_TABLE_COLUMNS = ("序号", "任务", "责任部门", "责任人", "下达时间", "开始执行", "完成时间", "状态", "备注")


def ledger_cells(r: LedgerRow) -> tuple[str, ...]:
    """A ledger row as the report's table shows it (times as T+分钟 over the wall clock, to fit 9 columns)."""

    def at(t: float | None, clock: str | None) -> str:
        return f"{t_text(t)}\n{clock}" if t is not None and clock else "—"

    return (
        str(r.seq),
        r.name,
        r.dept,
        r.owner or NO_OWNER,
        at(r.ordered_at, r.ordered_clock),
        at(r.started_at, r.started_clock),
        at(r.finished_at, r.finished_clock),
        r.status,
        r.note or "—",
    )


#: words that mark an evidence line as showing a shortfall (the scorer also cites what went right)
SHORTFALL_WORDS = (
    "未",
    "超过",
    "超时",
    "不符",
    "晚于",
    "被拒",
    "重复",
    "冲突",
    "偏差",
    "缺失",
    "不得分",
    "从未",
    "没有",
    "无",
    "不足",
    "不是",
    "应为",
    "多于",
    "倍",
)


def _against(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """The evidence lines that show the shortfall, for 五、存在问题 (all of them stay in 附件1's 评分表).

    An indicator's evidence also cites what went right (e.g. the 15 facts of a review the log confirms, then the
    one it contradicts); a problem paragraph quoting all of it buries the problem. If no line reads as a
    shortfall, all are kept: nothing the scorer said is hidden for want of a word.
    """
    against = tuple(ev for ev in evidence if any(w in ev.text for w in SHORTFALL_WORDS))
    return against or evidence


def _score_text(value: float | None) -> str:
    return "—" if value is None else _fmt(value)


def _paragraphs(text: str) -> list[str]:
    """A trainee's text as paragraphs (blank lines or newlines separate them)."""
    return [p.strip() for p in text.splitlines() if p.strip()] or [text.strip()]


def _join(text: str) -> str:
    return "".join(_paragraphs(text))
