"""Rebuild the world at any minute from the event log alone: what replay, the console and the views show.

Nothing here touches the engine: the log is the whole truth, so a saved drill replays without re-running it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.events import DECISION_EVENTS, Event, EventLog
from simulator.formats.scenario import Inject, Scenario
from simulator.hazards.conditions import words as condition_words
from simulator.vocabulary import Label


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
    decisions: list[Event] = field(default_factory=list)  # accepted and rejected, the trainees' and 导调组's
    contained_at: float | None = None
    closed: bool = False
    response_level: int | None = None  # the level of the response in force (set_level), None: none started or ended


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


#: the figures a report states that only some hazard models keep, read from their samples
SAMPLED_TOLL = ("trapped", "missing")


def toll_at(events: Iterable[Event], t: float) -> tuple[dict[str, int], list[Event]]:
    """The toll at minute ``t`` as the log recorded it (hidden from the trainees), and the events behind it.

    Dead and injured (the living injured, as a bulletin counts them) come from the last ``casualties`` event at or
    before ``t``; trapped and missing are the most the hazard samples up to ``t`` showed at once (only the models that
    keep such a figure: one no model keeps is not checked). Dead, trapped and missing are counts *so far* (被困人员
    includes those already rescued) and never fall; the injured fall as some of them die, which a report's check
    allows for by judging 受伤 together with 死亡. The events behind it: the casualties event of the totals, and the
    samples of the peaks."""
    toll = Toll()
    toll.read(events, t)
    return toll.result()


class Toll:
    """``toll_at`` folded event by event, so that a log that grows can be read on from where it was left: a drill
    keeps one and reads only the events written since its last report (a plan's ``known`` figures)."""

    def __init__(self) -> None:
        self._toll = {"dead": 0, "injured": 0}
        self._last: Event | None = None
        self._peaks: dict[str, Event] = {}

    def read(self, events: Iterable[Event], t: float = math.inf) -> None:
        """Fold in ``events`` (those after minute ``t`` are left out)."""
        toll, peaks = self._toll, self._peaks
        for e in events:  # the loop is kept lean: a report's check reads the log up to its minute
            if e.t > t:
                continue
            kind = e.kind
            if kind == "casualties":
                self._last = e
            elif kind == "hazard_sample" or kind == "hazard_contained":
                figures = e.data.get("figures") or {}
                for figure in SAMPLED_TOLL:
                    value = figures.get(figure)
                    if isinstance(value, int | float) and (figure not in toll or int(value) > toll[figure]):
                        toll[figure] = int(value)
                        if value:
                            peaks[figure] = e

    def result(self) -> tuple[dict[str, int], list[Event]]:
        """The toll so far and the events behind it, as ``toll_at`` gives them."""
        toll, last = dict(self._toll), self._last
        if last is not None:
            toll.update(dead=int(last["total_dead"]), injured=int(last["total_injured"]))
        behind = [last] if last is not None else []
        behind += [e for e in self._peaks.values() if e not in behind]
        return toll, behind


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
            "due": e.get("due"),
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
    elif kind in DECISION_EVENTS:
        state.decisions.append(e)
    elif kind == "response_closed":
        state.closed = True
        state.response_level = None
    elif kind == "response_level_set":
        state.response_level = None if e["change"] == "end" else e["level"]


@dataclass(frozen=True, slots=True)
class InjectStatus:
    """Where one inject of the MSEL stands at a minute: what the console's inject timeline shows.

    ``status`` is a key of ``vocabulary.INJECT_STATUS``: pending (its moment is to come, or an ``after`` inject
    waits for its parent), held (by 导调组; released only by 导调组), released (``released_at``), skipped (its
    condition kept it back), cancelled (skipped by 导调组) or waiting (待触发: a ``when`` inject whose condition has
    not held yet; ``condition`` says it in words)."""

    inject: str
    status: str
    released_at: float | None = None
    by_control: bool = False  # released, held or cancelled by 导调组 rather than by the clock
    condition: Label | None = None  # waiting: the condition it waits on, in words


def _not_yet(scenario: Scenario, inject: Inject) -> InjectStatus:
    """An inject not yet released: pending its moment, or waiting (待触发) on the condition of its ``when``."""
    if inject.when is None:
        return InjectStatus(inject.id, "pending")
    return InjectStatus(inject.id, "waiting", condition=condition_words(scenario, inject.when))


def inject_board(scenario: Scenario, log: EventLog | list[Event], t: float) -> list[InjectStatus]:
    """Every inject of the scenario, in MSEL order, with its status at minute ``t`` (from the log alone)."""
    status: dict[str, InjectStatus] = {i.id: _not_yet(scenario, i) for i in scenario.injects}
    for e in log:
        if e.t > t:
            break
        if e.kind == "inject_released" and e.get("inject") in status:
            status[e["inject"]] = InjectStatus(e["inject"], "released", e.t, e.get("decision") is not None)
        elif e.kind == "inject_skipped" and e.get("inject") in status:
            control = e.get("decision") is not None
            status[e["inject"]] = InjectStatus(e["inject"], "cancelled" if control else "skipped", None, control)
        elif e.kind == "control_accepted" and e["action"] == "hold_inject":
            held = (e.get("detail") or {}).get("inject")
            if held in status:
                status[held] = InjectStatus(held, "held", None, True)
    return list(status.values())
