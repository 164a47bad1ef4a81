"""The event log: the single output of a drill, from which score, report and replay are derived.

Every event is a typed record with an ``id`` unique in the log, ``t`` (sim minutes since the incident began)
and a ``kind`` from ``FIELDS``, plus the fields that kind requires. On disk it is JSONL, one event a line, keys
in a fixed order and floats rounded, so the same run writes the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.errors import FileFormatError, Problem
from simulator.files import write_text
from simulator.vocabulary import EVENT_KINDS

#: kind -> the fields it must carry (beyond id, t, kind); its name for people is ``vocabulary.EVENT_KINDS``
FIELDS: dict[str, tuple[str, ...]] = {
    "drill_started": ("scenario", "seed"),
    "inject_released": ("inject", "to", "title", "text"),
    "inject_skipped": ("inject",),
    "decision_accepted": ("decision", "action", "by"),
    "decision_rejected": ("decision", "action", "by", "reason"),
    "control_accepted": ("decision", "action", "by"),
    "control_rejected": ("decision", "action", "by", "reason"),
    "assessment": ("decision", "by", "event_type", "level"),
    "message_sent": ("msg", "msg_kind", "from", "to", "attempt", "path"),
    "message_lost": ("msg", "at_node", "channel", "attempt"),
    "message_delivered": ("msg", "msg_kind", "from", "to", "sent_t"),
    "message_undelivered": ("msg", "msg_kind", "from", "to", "reason"),
    "department_notified": ("dept", "msg"),
    "department_mobilised": ("dept",),
    "department_arrived": ("dept",),
    "commander_appointed": ("decision", "person", "dept"),
    "command_post_established": ("decision", "location", "groups"),
    "report_received": ("msg", "mode", "from", "to"),
    "info_received": ("msg", "topic", "from", "to", "text"),
    "office_report_received": ("msg", "from", "to", "text"),
    "task_ordered": ("task", "decision", "dept", "name"),
    "task_started": ("task", "dept"),
    "task_finished": ("task", "dept"),
    "channel_cut": ("channel",),
    "channel_restored": ("channel",),
    "hazard_changed": ("param", "value"),
    "hazard_sample": ("figures",),
    "casualties": ("injured", "dead", "total_injured", "total_dead"),
    "hazard_contained": (),
    "hazard_event": ("event", "site", "sites"),
    "response_closed": ("decision",),
    "response_level_set": ("decision", "by", "level", "change"),
    "advice_given": ("decision", "by", "advice", "to", "text"),
    "review_submitted": ("decision", "sections"),
    "drill_ended": ("outcome",),
}
#: the event of a decision taken: a trainee's (scored) or exercise control's (``by: control``, never scored)
ACCEPTED = ("decision_accepted", "control_accepted")
REJECTED = ("decision_rejected", "control_rejected")
DECISION_EVENTS = ACCEPTED + REJECTED


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
        return EVENT_KINDS[self.kind].zh


class EventLog:
    """Append-only list of events with sequential ids; what the engine writes and everything else reads."""

    def __init__(self, events: Iterable[Event] = ()):
        self.events: list[Event] = list(events)

    def append(self, t: float, kind: str, **data: Any) -> Event:
        return self.add(t, kind, data)

    def add(self, t: float, kind: str, data: dict[str, Any]) -> Event:
        """``append`` with the fields in a dict the caller built (no keyword repacking for the busiest writers)."""
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
        """Write the log as JSONL, atomically (``simulator.files``): a kill mid-write leaves the old log whole."""
        write_text(path, self.to_jsonl())

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
    if kind not in FIELDS:
        return "kind", f"未知的事件类型 {kind!r} (unknown kind)"
    missing = [f for f in FIELDS[kind] if f not in raw]
    if missing:
        return missing[0], f"{kind} 事件缺少字段 (missing field)"
    return None
