"""What a seat may see: the one view the trainee's seat page reads (``seat_view``), built from the log alone.

A seat is a department's place at the table. It sees what REACHED its department by minute ``t`` — the injects
released to it (and exercise control's messages to it), the notices, orders, replies and reports delivered to it
over the network, each with its full content (who decided it, the text, the measure and its settings in words,
the person in charge, the deadline) — the tasks it was given with their status, and its own decisions, accepted or
rejected with the reason. Nothing else: no future or other seats' injects, no message still on the way or lost
(until a resend gets through), no hazard figures, no answer key, no ids shown to a person (``key`` fields are
for widgets only).

The console's live decision log across all seats (``decision_rows``) is built the same way, so both pages tell a
decision in the same words.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from simulator.engine.events import ACCEPTED, DECISION_EVENTS, Event
from simulator.engine.network import HUB
from simulator.formats.plan import CONTROL
from simulator.formats.scenario import Scenario
from simulator.hazards import describe_params
from simulator.vocabulary import (
    ACTIONS,
    ADVICE_KINDS,
    COMMAND_POST,
    CONTROL_ACTIONS,
    EVENT_KINDS,
    LEVELS,
    MESSAGE_KINDS,
    REPORT_MODES,
    TASK_STATUS,
    level_change_text,
    reason_text,
    toll_text,
    when,
)
from simulator.vocabulary import CONTROL as CONTROL_LABEL


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class SeatItem(_View):
    """One thing that reached the seat: an inject, a control message, or a message delivered over the network."""

    key: str  # stable across refreshes (for widget keys; never shown)
    t: float
    when: str  # T+45（08:55）: the moment it reached the seat
    kind: str  # "inject", "control", or a message kind (notice, order, appointment, request, reply, report, …)
    kind_label: str  # 情景注入 / 导调消息 / 通知 / 任务指令 / …
    source: str  # who it comes from: the inject's source in the story, 导调组, or the deciding department
    title: str  # the inject's title, or the message in a few words (the measure or task it orders, the topic …)
    text: str = ""  # the inject's or the message's text as written
    measure: str = ""  # the measure ordered or adjusted, by name
    settings: str = ""  # its settings in words: 疏散半径1500米
    owner: str = ""  # the person in charge (责任人)
    due: str = ""  # the deadline (完成时限), T+60（09:00）
    due_t: float | None = None
    reason: str = ""  # why an adjustment was made
    decided_at: str = ""  # when the decision behind a message was taken


class SeatTask(_View):
    """本席位任务: a task whose order reached the seat, with its status at ``t``."""

    key: str
    name: str
    measure: str = ""
    settings: str = ""
    owner: str = ""
    source: str  # the deciding department
    ordered: str  # when the order reached the seat
    status: str  # ordered / started / finished (``vocabulary.TASK_STATUS``)
    status_label: str  # 未开始 / 执行中 / 已完成
    due: str = ""
    due_t: float | None = None
    overdue: bool = False  # past its deadline and not finished


class SeatDecision(_View):
    """A decision of the seat (or, in ``decision_rows``, of anyone), accepted or rejected with the reason."""

    key: str
    t: float
    when: str
    by: str  # the deciding department's name (导调组 for exercise control)
    action: str  # the action's key (for filters)
    action_label: str  # 下达处置措施 / 立即注入：风向转为东南风 / … (exercise control names its inject or message)
    decision: str = ""  # the decision's id in the drill (to look up who entered it; never shown)
    accepted: bool
    reason: str = ""  # why it was rejected, in the page's language (no English gloss in Chinese)


class SeatView(_View):
    dept: str
    dept_name: str
    t: float
    when: str
    items: list[SeatItem]  # in the order they reached the seat
    tasks: list[SeatTask]
    decisions: list[SeatDecision]


def seat_view(scenario: Scenario, log: Iterable[Event], dept: str, t: float, lang: str = "zh") -> SeatView:
    """Everything the seat of ``dept`` may see at minute ``t`` (see the module's docstring)."""
    seen = _Index(scenario, [e for e in log if e.t <= t], lang)
    items: list[SeatItem] = []
    tasks: list[SeatTask] = []
    for e in seen.events:
        if e.kind == "inject_released" and e["to"] == dept:
            items.append(seen.inject(e))
        elif e.kind == "message_delivered" and e["to"] == dept:
            items.append(seen.message(e))
            task = seen.task_of_msg.get(e["msg"])
            if task is not None:
                tasks.append(seen.task(task, e, t))
    decisions = [seen.decision(e) for e in seen.events if e.kind in DECISION_EVENTS and e["by"] == dept]
    department = scenario.department(dept)
    return SeatView(
        dept=dept,
        dept_name=department.name if department is not None else dept,
        t=t,
        when=when(scenario.start_clock, t, lang),
        items=items,
        tasks=tasks,
        decisions=decisions,
    )


def decision_rows(
    scenario: Scenario, log: Iterable[Event], t: float = float("inf"), lang: str = "zh"
) -> list[SeatDecision]:
    """Every decision taken by ``t``, the trainees' and exercise control's: the console's live decision log."""
    seen = _Index(scenario, [e for e in log if e.t <= t], lang)
    return [seen.decision(e) for e in seen.events if e.kind in DECISION_EVENTS]


class _Index:
    """The events up to a minute, indexed so a delivered message finds the decision and task behind it."""

    def __init__(self, scenario: Scenario, events: list[Event], lang: str):
        self.scenario = scenario
        self.lang = "en" if lang == "en" else "zh"
        self.events = events
        self.decisions: dict[str, Event] = {}
        self.decision_of_msg: dict[str, str] = {}
        self.task_of_msg: dict[str, Event] = {}
        self.replies: dict[str, Event] = {}  # msg id -> info_received / office_report_received
        self.appointments: dict[str, Event] = {}  # decision id -> commander_appointed
        self.said: dict[str, Event] = {}  # decision id -> its response_level_set / advice_given
        self.progress: dict[str, str] = {}  # task id -> started / finished
        for e in events:
            k = e.kind
            if k in ACCEPTED:
                self.decisions[e["decision"]] = e
            elif k == "message_sent" and e.get("decision"):
                self.decision_of_msg.setdefault(e["msg"], e["decision"])
            elif k == "task_ordered" and e.get("msg"):
                self.task_of_msg[e["msg"]] = e
            elif k in ("info_received", "office_report_received"):
                self.replies[e["msg"]] = e
            elif k == "commander_appointed":
                self.appointments[e["decision"]] = e
            elif k in ("response_level_set", "advice_given"):
                self.said[e["decision"]] = e
            elif k == "task_started":
                self.progress.setdefault(e["task"], "started")
            elif k == "task_finished":
                self.progress[e["task"]] = "finished"

    def _(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def when(self, t: float) -> str:
        return when(self.scenario.start_clock, t, self.lang)

    def name(self, node: str | None) -> str:
        if node == CONTROL:
            return CONTROL_LABEL(self.lang)
        if node == HUB:
            return COMMAND_POST(self.lang)
        d = self.scenario.department(node) if node else None
        return d.name if d is not None else "—"

    def measure(self, measure: str | None, params: dict | None) -> tuple[str, str]:
        """The measure's name and its settings in words (empty where there is none)."""
        if not measure:
            return "", ""
        spec = self.scenario.measure(measure)
        settings = describe_params(self.scenario.hazard, measure, params, lang=self.lang) if params else ""
        return (spec.name if spec is not None else ""), settings

    def _due(self, due: float | None) -> dict:
        return {"due": self.when(due), "due_t": due} if due is not None else {}

    # -- what reached the seat -------------------------------------------------------------------------------
    def inject(self, e: Event) -> SeatItem:
        control = e.get("inject") is None
        kind = "control" if control else "inject"
        label = self._("导调消息", "Control message") if control else EVENT_KINDS["inject_released"](self.lang)
        source = CONTROL_LABEL(self.lang) if control else (e.get("source") or self._("现场", "on scene"))
        return self._item(e, kind=kind, kind_label=label, source=source, title=e["title"], text=e["text"])

    def _item(self, e: Event, **fields) -> SeatItem:
        """The item of the event ``e`` that reached the seat (its key and moment are the event's)."""
        return SeatItem(key=f"e{e.id}", t=e.t, when=self.when(e.t), **fields)

    def message(self, e: Event) -> SeatItem:
        """A delivered message with the content of the decision behind it."""
        kind = e["msg_kind"]
        decision = self.decisions.get(self.decision_of_msg.get(e["msg"], ""))
        detail = (decision.get("detail") or {}) if decision is not None else {}
        label = MESSAGE_KINDS[kind](self.lang) if kind in MESSAGE_KINDS else kind
        return self._item(
            e,
            kind=kind,
            kind_label=label,
            source=self.name(e["from"]),
            decided_at=self.when(decision.t) if decision is not None else "",
            **self._content(e, decision, detail, label),
            **self._due(detail.get("due")),
        )

    def _content(self, e: Event, decision: Event | None, detail: dict, label: str) -> dict:
        """What a message says, by its kind: an order its measure, settings and owner; a reply its answer …"""
        kind = e["msg_kind"]
        fields: dict = {"title": label, "text": detail.get("text") or ""}
        if kind == "order":
            task = self.task_of_msg.get(e["msg"])
            params = task.get("params") if task is not None else detail.get("params")
            measure, settings = self.measure(task.get("measure") if task is not None else None, params)
            adjusting = decision is not None and decision["action"] == "adjust"
            name = task["name"] if task is not None else label
            title = self._(f"调整措施：{name}", f"Adjusted: {name}") if adjusting else name
            owner = (task.get("owner") if task is not None else None) or detail.get("owner") or ""
            fields.update(title=title, measure=measure, settings=settings, owner=owner, reason=detail.get("reason", ""))
        elif kind == "appointment":
            appointed = self.appointments.get(decision["decision"]) if decision is not None else None
            if appointed is not None:
                who = f"{self.name(appointed['dept'])}{appointed['person']}"
                en = f"{appointed['person']} ({self.name(appointed['dept'])}) appointed on-site commander"
                fields["text"] = self._(f"任命{who}为现场总指挥", en)
                fields["owner"] = appointed["person"]
        elif kind == "request":
            topic = detail.get("topic", "")
            fields.update(title=self._(f"询问：{topic}", f"Request: {topic}"), text="")
        elif kind in ("reply", "office_report"):
            reply = self.replies.get(e["msg"])
            if reply is not None:
                fields["text"] = reply["text"]
                if kind == "reply":
                    fields["title"] = self._(f"回复：{reply['topic']}", f"Reply: {reply['topic']}")
        elif kind == "report":
            mode = detail.get("mode")
            mode_text = REPORT_MODES[mode](self.lang) if mode in REPORT_MODES else ""
            level = LEVELS[detail["level"]](self.lang) if detail.get("level") in LEVELS else ""
            title = self._(f"{mode_text}报告", f"{mode_text} report".strip().capitalize())
            fields["title"] = title + (self._(f"（{level}）", f" ({level})") if level else "")
            toll = toll_text(detail, self.lang)  # the figures it states: 死亡2人、受伤15人、失联3人
            if toll:
                fields["text"] = self._(f"伤亡情况：{toll}。", f"Casualties: {toll}. ") + fields["text"]
        return fields

    def task(self, ordered: Event, delivered: Event, t: float) -> SeatTask:
        status = self.progress.get(ordered["task"], "ordered")
        measure, settings = self.measure(ordered.get("measure"), ordered.get("params"))
        due = ordered.get("due")
        return SeatTask(
            key=f"e{ordered.id}",
            name=ordered["name"],
            measure=measure,
            settings=settings,
            owner=ordered.get("owner") or "",
            source=self.name(ordered.get("by")),
            ordered=self.when(delivered.t),
            status=status,
            status_label=TASK_STATUS[status](self.lang),
            overdue=due is not None and status != "finished" and t > due,
            **self._due(due),
        )

    def decision(self, e: Event) -> SeatDecision:
        action = e["action"]
        table = CONTROL_ACTIONS if action in CONTROL_ACTIONS else ACTIONS
        reason = ""
        if e.kind not in ACCEPTED:
            reason = reason_text(e["reason"], self.lang)
        label = table[action](self.lang) if action in table else action
        if action in CONTROL_ACTIONS:
            detail = e.get("detail") or {}
            inject = next((i for i in self.scenario.injects if i.id == detail.get("inject")), None)
            subject = inject.title if inject is not None else detail.get("title", "")
            label = f"{label}{self._('：', ': ')}{subject}" if subject else label
        said = self.said.get(e["decision"]) if e.kind in ACCEPTED else None
        if said is not None and said.kind == "response_level_set":  # 启动Ⅲ级应急响应, not the action's name
            label = level_change_text(said["change"], said["level"], self.lang)
        elif said is not None:  # 发布“群众可返回”
            advice = ADVICE_KINDS[said["advice"]](self.lang) if said["advice"] in ADVICE_KINDS else ""
            label = self._(f"发布“{advice}”", f"Advice: {advice}")
        return SeatDecision(
            key=f"e{e.id}",
            t=e.t,
            when=self.when(e.t),
            by=self.name(e["by"]),
            action=action,
            action_label=label,
            accepted=e.kind in ACCEPTED,
            reason=reason,
            decision=str(e["decision"]),
        )
