"""The event log: the single output of a drill, from which score, report and replay are derived.

Every event is a typed record with an ``id`` unique in the log, ``t`` (sim minutes since the incident began)
and a ``kind`` from ``KINDS``, plus the fields that kind requires. On disk it is JSONL, one event a line, keys
in a fixed order and floats rounded, so the same run writes the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.errors import FileFormatError, Problem

#: kind -> the fields it must carry (beyond id, t, kind) and its Chinese label
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "drill_started": (("scenario", "seed"), "推演开始"),
    "inject_released": (("inject", "to", "title", "text"), "情景注入"),
    "inject_skipped": (("inject",), "条件注入未触发"),
    "decision_accepted": (("decision", "action", "by"), "决策受理"),
    "decision_rejected": (("decision", "action", "by", "reason"), "决策被拒"),
    "assessment": (("decision", "by", "event_type", "level"), "初步研判"),
    "message_sent": (("msg", "msg_kind", "from", "to", "attempt", "path"), "消息发出"),
    "message_lost": (("msg", "at_node", "channel", "attempt"), "消息丢失"),
    "message_delivered": (("msg", "msg_kind", "from", "to", "sent_t"), "消息送达"),
    "message_undelivered": (("msg", "msg_kind", "from", "to", "reason"), "消息未送达"),
    "department_notified": (("dept", "msg"), "部门接到通知"),
    "department_mobilised": (("dept",), "部门出动"),
    "department_arrived": (("dept",), "部门到达现场"),
    "commander_appointed": (("decision", "person", "dept"), "任命现场指挥"),
    "command_post_established": (("decision", "location", "groups"), "现场指挥部成立"),
    "report_received": (("msg", "mode", "from", "to"), "上级收到报告"),
    "info_received": (("msg", "topic", "from", "to", "text"), "收到信息"),
    "task_ordered": (("task", "decision", "dept", "name"), "任务下达"),
    "task_started": (("task", "dept"), "任务开始"),
    "task_finished": (("task", "dept"), "任务完成"),
    "channel_cut": (("channel",), "信道中断"),
    "channel_restored": (("channel",), "信道恢复"),
    "hazard_changed": (("param", "value"), "态势变化"),
    "hazard_sample": (("figures",), "态势采样"),
    "casualties": (("injured", "dead", "total_injured", "total_dead"), "伤亡"),
    "hazard_contained": ((), "险情得到控制"),
    "response_closed": (("decision",), "应急响应结束"),
    "review_submitted": (("decision", "sections"), "复盘提交"),
    "drill_ended": (("outcome",), "推演结束"),
}


@dataclass(slots=True)
class Event:
    id: int
    t: float
    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def to_json(self) -> str:
        return json.dumps(
            {"id": self.id, "t": self.t, "kind": self.kind, **self.data},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @property
    def label(self) -> str:
        return KINDS[self.kind][1]


class EventLog:
    """Append-only list of events with sequential ids; what the engine writes and everything else reads."""

    def __init__(self, events: Iterable[Event] = ()):
        self.events: list[Event] = list(events)

    def append(self, t: float, kind: str, **data: Any) -> Event:
        event = Event(len(self.events) + 1, round(float(t), 3), kind, data)
        self.events.append(event)
        return event

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def __getitem__(self, index: int) -> Event:
        return self.events[index]

    def of(self, *kinds: str) -> list[Event]:
        return [e for e in self.events if e.kind in kinds]

    def by_id(self, event_id: int) -> Event:
        return self.events[event_id - 1]

    def to_jsonl(self) -> str:
        return "".join(e.to_json() + "\n" for e in self.events)

    def write(self, path: str | Path) -> None:
        Path(path).write_text(self.to_jsonl(), encoding="utf-8")

    @classmethod
    def read(cls, path: str | Path) -> EventLog:
        """Read a JSONL log file (see ``parse``)."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FileFormatError(
                [Problem(str(path), None, "", f"无法读取事件日志 (cannot read log): {exc}")]
            ) from None
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, name: str = "events.jsonl") -> EventLog:
        """Parse JSONL, checking each line is an event of a known kind with its fields."""
        events: list[Event] = []
        problems: list[Problem] = []
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(Problem(name, lineno, "", f"不是有效的 JSON (invalid JSON): {exc.msg}"))
                continue
            problem = _check(raw, len(events) + 1)
            if problem:
                problems.append(Problem(name, lineno, problem[0], problem[1]))
                continue
            events.append(Event(raw.pop("id"), float(raw.pop("t")), raw.pop("kind"), raw))
        if problems:
            raise FileFormatError(problems[:50])
        return cls(events)


def _check(raw: Any, expected_id: int) -> tuple[str, str] | None:
    if not isinstance(raw, dict):
        return "", "每行应为一个 JSON 对象 (expected an object)"
    if raw.get("id") != expected_id:
        return "id", f"应为 {expected_id}，事件 id 须连续 (ids must be sequential)"
    if not isinstance(raw.get("t"), int | float) or isinstance(raw.get("t"), bool):
        return "t", "应为数字 (expected minutes as a number)"
    kind = raw.get("kind")
    if kind not in KINDS:
        return "kind", f"未知的事件类型 {kind!r} (unknown kind)"
    missing = [f for f in KINDS[kind][0] if f not in raw]
    if missing:
        return missing[0], f"{kind} 事件缺少字段 (missing field)"
    return None
