"""One pass over the event log into the facts every keyword module asks about.

Why a separate index: the four keyword modules ask overlapping questions (when did this department first get
the office's word, which decision ordered this task, did that message ever arrive). Answering them from one
pre-built view keeps each indicator a few readable lines and the whole score one linear pass over the log,
which is what keeps scoring well under the 50 ms budget. Nothing here reaches into the engine: the log is the
whole truth, as for replay and the report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.events import Event, EventLog
from simulator.formats.scenario import Scenario
from simulator.hazards import describe_params
from simulator.vocabulary import when

#: message kinds that carry the office's word to a department (point 1 of the issue: they count when delivered)
NOTICE_KINDS = ("notice", "appointment", "order")
#: decisions that send the office's word to a department (whom the team chose to involve)
CALLING_ACTIONS = ("notify", "appoint_commander", "order", "assign")


@dataclass(slots=True)
class TaskView:
    """A task in the ledger, with the events that show it ordered, started and finished."""

    id: str
    ordered: Event
    action: str  # the decision that created it: order, assign or adjust
    measure: str | None
    dept: str
    params: dict[str, Any]
    owner: str | None
    started: Event | None = None
    finished: Event | None = None
    msg: MessageView | None = None  # the order message that carried it


@dataclass(slots=True)
class MessageView:
    """A message's life on the network: what it was, and whether and when it arrived."""

    id: str
    first: Event
    kind: str | None = None
    src: str | None = None
    dst: str | None = None
    sent: list[Event] = field(default_factory=list)
    lost: list[Event] = field(default_factory=list)
    delivered: Event | None = None
    undelivered: Event | None = None


class DrillView:
    """The log of one drill, indexed for scoring; built once per ``score_drill`` call."""

    def __init__(self, scenario: Scenario, log: EventLog | list[Event]):
        self.scenario = scenario
        self.events: list[Event] = list(log)
        self.ids: dict[int, Event] = {}
        self.by_kind: dict[str, list[Event]] = defaultdict(list)
        self.accepted: dict[str, Event] = {}  # decision id -> decision_accepted
        self.rejected: list[Event] = []
        self.tasks: dict[str, TaskView] = {}
        self.messages: dict[str, MessageView] = {}
        self.released: dict[str, Event] = {}  # inject id -> inject_released
        self.skipped: dict[str, Event] = {}  # inject id -> inject_skipped
        self.participants: dict[str, Event] = {}  # dept id -> the first event that shows it took part
        self._persons: dict[str, Event] | None = None
        for e in self.events:
            self.ids[e.id] = e
            self.by_kind[e.kind].append(e)
            self._index(e)
        self._link_orders()
        self.dept_names = {d.id: d.name for d in scenario.departments}
        self.measure_names = {m.id: m.name for m in scenario.measures}

    def _index(self, e: Event) -> None:
        kind = e.kind
        if kind == "decision_accepted":
            self.accepted[e["decision"]] = e
            self._took_part(e.get("by"), e)
        elif kind == "decision_rejected":
            self.rejected.append(e)
        elif kind == "task_ordered":
            decision = self.accepted.get(e["decision"])
            action = decision["action"] if decision is not None else "order"
            owner = e.get("owner")
            if action == "adjust" and not owner:
                owner = self._owner_of_measure(e.get("measure"))
            self.tasks[e["task"]] = TaskView(
                e["task"], e, action, e.get("measure"), e["dept"], dict(e.get("params") or {}), owner
            )
        elif kind in ("task_started", "task_finished"):
            task = self.tasks.get(e["task"])
            if task is not None:
                if kind == "task_started":
                    task.started = task.started or e
                else:
                    task.finished = task.finished or e
            self._took_part(e.get("dept"), e)
        elif kind in ("message_sent", "message_lost", "message_delivered", "message_undelivered"):
            msg = self.messages.get(e["msg"])
            if msg is None:
                msg = self.messages[e["msg"]] = MessageView(e["msg"], e)
            if "msg_kind" in e.data:
                msg.kind, msg.src, msg.dst = e["msg_kind"], e.get("from"), e.get("to")
            if kind == "message_sent":
                msg.sent.append(e)
            elif kind == "message_lost":
                msg.lost.append(e)
            elif kind == "message_delivered":
                msg.delivered = e
                self._took_part(e.get("to"), e)
            else:
                msg.undelivered = e
        elif kind == "inject_released":
            self.released.setdefault(e["inject"], e)
        elif kind == "inject_skipped":
            self.skipped.setdefault(e["inject"], e)
        elif kind in ("department_notified", "department_arrived", "department_mobilised"):
            self._took_part(e.get("dept"), e)
        elif kind in ("report_received", "info_received"):
            self._took_part(e.get("to"), e)
            self._took_part(e.get("from"), e)

    def _link_orders(self) -> None:
        """Pair each task with the order message that carried it.

        task_ordered does not name its message, but the engine sends the order in the same instant, to the
        same department, in the order the tasks were logged; so the n-th such task takes the n-th such message.
        """
        pending: dict[tuple[str | None, float], list[MessageView]] = defaultdict(list)
        for m in sorted(self.messages.values(), key=lambda m: m.first.id):
            if m.kind == "order":
                pending[(m.dst, m.first.t)].append(m)
        for task in self.tasks.values():
            queue = pending.get((task.dept, task.ordered.t))
            if queue:
                task.msg = queue.pop(0)

    def _took_part(self, dept: str | None, e: Event) -> None:
        if dept and dept not in self.participants:
            self.participants[dept] = e

    def _owner_of_measure(self, measure: str | None) -> str | None:
        """An adjustment re-tasks the crew already on the measure, so its owner carries over."""
        for task in reversed(self.tasks.values()):
            if task.measure == measure and task.owner:
                return task.owner
        return None

    # -- questions ------------------------------------------------------------------------------------------
    def of(self, *kinds: str) -> list[Event]:
        if len(kinds) == 1:
            return self.by_kind.get(kinds[0], [])
        return sorted((e for k in kinds for e in self.by_kind.get(k, [])), key=lambda e: e.id)

    def first(self, kind: str) -> Event | None:
        events = self.by_kind.get(kind)
        return events[0] if events else None

    @property
    def end(self) -> Event:
        """The event that closes the record: drill_ended, or the latest event of a drill still running."""
        ended = self.first("drill_ended")
        return ended if ended is not None else self.events[-1]

    @property
    def ended(self) -> bool:
        return self.first("drill_ended") is not None

    def decisions(self, action: str) -> list[Event]:
        """Accepted decisions of one action, in log order."""
        return [e for e in self.by_kind.get("decision_accepted", []) if e["action"] == action]

    def notices_delivered(self, dept: str) -> list[MessageView]:
        """The office's word (notice, appointment, order) that reached ``dept``, earliest first."""
        found = [
            m for m in self.messages.values() if m.dst == dept and m.kind in NOTICE_KINDS and m.delivered is not None
        ]
        return sorted(found, key=lambda m: (m.delivered.t, m.delivered.id))

    def notices_failed(self, dept: str) -> list[Event]:
        """Evidence that the office's word to ``dept`` did not get through (given up, or lost on the way)."""
        out: list[Event] = []
        for m in self.messages.values():
            if m.dst == dept and m.kind in NOTICE_KINDS and m.delivered is None:
                out.extend(m.lost)
                if m.undelivered is not None:
                    out.append(m.undelivered)
        return sorted(out, key=lambda e: e.id)

    def called(self) -> dict[str, Event]:
        """Departments the team chose to involve (notify, appoint, order, assign), with the first decision."""
        out: dict[str, Event] = {}
        for e in self.by_kind.get("decision_accepted", []):
            action, detail = e["action"], e.get("detail") or {}
            if action == "notify":
                targets = list(detail.get("to") or [])
            elif action in ("appoint_commander", "order", "assign"):
                targets = [detail.get("department")]
            else:
                continue
            for dept in targets:
                if dept and dept != e.get("by") and dept not in out:
                    out[dept] = e
        return out

    def measure_tasks(self, measure: str) -> list[TaskView]:
        return [t for t in self.tasks.values() if t.measure == measure]

    def persons(self) -> dict[str, Event]:
        """Named people in the log (commander, group owners, task owners), with where each first appears."""
        if self._persons is None:
            self._persons = self._find_persons()
        return self._persons

    def _find_persons(self) -> dict[str, Event]:
        out: dict[str, Event] = {}
        for e in self.events:
            if e.kind == "commander_appointed":
                out.setdefault(e["person"], e)
            elif e.kind == "command_post_established":
                for group in e.get("groups") or []:
                    if group.get("owner"):
                        out.setdefault(group["owner"], e)
            elif e.kind == "decision_accepted" and e["action"] == "establish_command_post":
                for group in (e.get("detail") or {}).get("groups") or []:
                    if group.get("owner"):
                        out.setdefault(group["owner"], e)
            elif e.kind == "task_ordered" and e.get("owner"):
                out.setdefault(e["owner"], e)
        return out

    def dept_name(self, dept: str | None, lang: str = "zh") -> str:
        if dept is None:
            return "(no department given)" if lang == "en" else "（未指定部门）"
        return self.dept_names.get(dept, dept)

    def measure_name(self, measure: str | None, lang: str = "zh") -> str:
        if measure is None:
            return "(assigned task)" if lang == "en" else "（交办任务）"
        return self.measure_names.get(measure, measure)

    def params_text(self, measure: str | None, params: dict[str, Any], lang: str = "zh") -> str:
        """A measure's parameters in words (``半径1500米``), as the hazard describes them; never ids."""
        if not params:
            return "no parameters" if lang == "en" else "无参数"
        return describe_params(self.scenario.hazard, measure, params, lang=lang)

    def when(self, t: float, lang: str = "zh") -> str:
        """A moment of this drill as every sentence writes it: ``T+42（08:52）``."""
        return when(self.scenario.start_clock, t, lang)

    def outcome(self) -> dict[str, Any] | None:
        ended = self.first("drill_ended")
        return dict(ended["outcome"]) if ended is not None else None

    @property
    def seed(self) -> Any:
        started = self.first("drill_started")
        return started.get("seed") if started is not None else None

    @property
    def scenario_id(self) -> Any:
        started = self.first("drill_started")
        return started.get("scenario") if started is not None else None


@dataclass(slots=True)
class Context:
    """What every indicator may look at: the team's drill, and optionally the reference run and history."""

    view: DrillView
    reference: DrillView | None = None
    previous: dict[str, Any] | None = None
    cache: dict[Any, Any] = field(default_factory=dict)  # per-score memo shared by the indicators

    @property
    def scenario(self) -> Scenario:
        return self.view.scenario
