"""Rebuild the world at any minute from the event log alone: what replay, the console and the views show.

Nothing here touches the engine: the log is the whole truth, so a saved drill replays without re-running it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.engine.events import Event, EventLog


@dataclass
class DepartmentState:
    status: str = "idle"
    notified_at: float | None = None
    arrived_at: float | None = None
    tasks_running: set[str] = field(default_factory=set)
    tasks_done: set[str] = field(default_factory=set)


@dataclass
class WorldState:
    t: float
    departments: dict[str, DepartmentState] = field(default_factory=dict)
    injects: list[Event] = field(default_factory=list)
    in_flight: dict[str, Event] = field(default_factory=dict)  # msg id -> its latest message_sent
    channels_cut: set[str] = field(default_factory=set)
    hazard: dict[str, Any] = field(default_factory=dict)
    injured: int = 0
    dead: int = 0
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)  # task id -> ledger row
    assessment: Event | None = None
    command_post: Event | None = None
    commander: Event | None = None
    decisions: list[Event] = field(default_factory=list)
    contained_at: float | None = None
    closed: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """A drill's outcome figures; ``Outcome.as_dict()`` is what the log's ``drill_ended`` event carries."""

    injured: int
    dead: int
    exposed_person_minutes: float
    contained_at: float | None
    decisions_rejected: int
    messages_lost: int
    messages_undelivered: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "injured": self.injured,
            "dead": self.dead,
            "exposed_person_minutes": round(self.exposed_person_minutes, 1),
            "contained_at": self.contained_at,
            "decisions_rejected": self.decisions_rejected,
            "messages_lost": self.messages_lost,
            "messages_undelivered": self.messages_undelivered,
        }


def outcome_of(log: EventLog | list[Event]) -> Outcome:
    """The outcome the engine logged when the drill ended; for a drill still running, the figures so far
    (casualties and containment from their events, exposure from the latest hazard sample)."""
    events = list(log)
    ended = next((e for e in reversed(events) if e.kind == "drill_ended"), None)
    if ended is not None:
        return Outcome(**ended["outcome"])
    state = state_at(events, float("inf"))
    return Outcome(
        injured=state.injured,
        dead=state.dead,
        exposed_person_minutes=float(state.hazard.get("exposed_person_minutes") or 0.0),
        contained_at=state.contained_at,
        decisions_rejected=sum(e.kind == "decision_rejected" for e in events),
        messages_lost=sum(e.kind == "message_lost" for e in events),
        messages_undelivered=sum(e.kind == "message_undelivered" for e in events),
    )


def state_at(log: EventLog | list[Event], t: float) -> WorldState:
    """The world as it stood at minute ``t`` (every event with ``event.t <= t`` has happened)."""
    state = WorldState(t=t)
    for event in log:
        if event.t > t:
            break
        _fold(state, event)
    return state


def _dept(state: WorldState, dept: str) -> DepartmentState:
    return state.departments.setdefault(dept, DepartmentState())


def _fold(state: WorldState, e: Event) -> None:
    kind = e.kind
    if kind == "inject_released":
        state.injects.append(e)
    elif kind == "message_sent":
        state.in_flight[e["msg"]] = e
    elif kind in ("message_delivered", "message_lost", "message_undelivered"):
        state.in_flight.pop(e["msg"], None)
    elif kind == "department_notified":
        d = _dept(state, e["dept"])
        d.notified_at = e.t
        d.status = "notified"
    elif kind == "department_mobilised":
        _dept(state, e["dept"]).status = "mobilised"
    elif kind == "department_arrived":
        d = _dept(state, e["dept"])
        d.arrived_at = e.t
        d.status = "working" if d.tasks_running else "on_scene"
    elif kind == "task_ordered":
        state.tasks[e["task"]] = {
            "task": e["task"],
            "name": e["name"],
            "dept": e["dept"],
            "owner": e.get("owner"),
            "measure": e.get("measure"),
            "ordered_at": e.t,
            "started_at": None,
            "finished_at": None,
            "status": "ordered",
        }
    elif kind == "task_started":
        d = _dept(state, e["dept"])
        d.tasks_running.add(e["task"])
        d.status = "working"
        state.tasks[e["task"]].update(started_at=e.t, status="started")
    elif kind == "task_finished":
        d = _dept(state, e["dept"])
        d.tasks_running.discard(e["task"])
        d.tasks_done.add(e["task"])
        if not d.tasks_running:
            d.status = "on_scene" if d.arrived_at is not None else "notified"
        state.tasks[e["task"]].update(finished_at=e.t, status="finished")
    elif kind == "channel_cut":
        state.channels_cut.add(e["channel"])
    elif kind == "channel_restored":
        state.channels_cut.discard(e["channel"])
    elif kind in ("hazard_sample", "hazard_contained"):
        state.hazard = e["figures"]
        if kind == "hazard_contained":
            state.contained_at = e.t
    elif kind == "casualties":
        state.injured, state.dead = e["total_injured"], e["total_dead"]
    elif kind == "assessment":
        state.assessment = e
    elif kind == "command_post_established":
        state.command_post = e
    elif kind == "commander_appointed":
        state.commander = e
    elif kind in ("decision_accepted", "decision_rejected"):
        state.decisions.append(e)
    elif kind == "response_closed":
        state.closed = True
