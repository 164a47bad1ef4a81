"""Evidence items: the events behind a point, with their sim times and one line of Chinese a trainee can read.

Why every indicator goes through these helpers: the doctrine's rule that a score without its reasons is
useless becomes a property of the code — an item can only be made from an event of the log, so its id and
time are always the log's own, and an expected thing that never happened is cited on the event that shows
its absence (the end of the drill), never on nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.events import Event
from simulator.scoring.context import DrillView

Evidence = dict[str, Any]


def minute(t: float) -> str:
    """``T+42分`` for whole minutes, ``T+7.9分`` otherwise: how a facilitator reads the drill clock."""
    rounded = round(float(t), 1)
    if rounded.is_integer():
        return f"T+{int(rounded)}分"
    return f"T+{rounded:.1f}分"


def span(minutes: float) -> str:
    """A duration in Chinese: ``12分钟``, ``7.5分钟``."""
    rounded = round(float(minutes), 1)
    return f"{int(rounded)}分钟" if rounded.is_integer() else f"{rounded:.1f}分钟"


def cite(event: Event, text: str) -> Evidence:
    """One evidence item: the event's id and time, and the line that says what it shows."""
    return {"event_id": event.id, "t": event.t, "text": f"{minute(event.t)} {text}"}


def absent(view: DrillView, text: str) -> Evidence:
    """Something expected never happened: cite the end of the record, which is where its absence shows."""
    end = view.end
    prefix = "截至推演结束" if view.ended else "截至目前"
    return cite(end, f"{prefix}{text}")


def note(view: DrillView, text: str) -> Evidence:
    """A remark about the whole record (e.g. why an indicator is not scored), cited on its last event."""
    return cite(view.end, text)


def pct(share: float) -> str:
    return f"{round(share * 100):d}%"


@dataclass(slots=True)
class Result:
    """What an indicator function returns: a share of its points (None: not applicable) and the evidence."""

    fraction: float | None
    evidence: list[Evidence]
    finding: str = ""
    value: Any = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.fraction is not None:
            self.fraction = min(1.0, max(0.0, float(self.fraction)))


def ramp(value: float, full: float, zero: float) -> float:
    """1 at or before ``full``, 0 at or beyond ``zero``, linear between (either direction)."""
    if full == zero:
        return 1.0 if value <= full else 0.0
    share = (zero - value) / (zero - full)
    return min(1.0, max(0.0, share))


def unique(items: Iterable[Evidence]) -> list[Evidence]:
    """Drop repeated (event, text) pairs, keep order: the same event may back two parts of one indicator."""
    seen: set[tuple[int, str]] = set()
    out: list[Evidence] = []
    for item in items:
        key = (item["event_id"], item["text"])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
