"""Departments as agents: once notified they mobilise and travel to the scene, then carry out what they are told.

Covers: a notice that starts a department's response (only the first one counts); mobilisation and travel
times drawn from the department's own streams; crews as a ``simpy.Resource``, so a department with two crews
carries out at most two tasks at once and the rest wait; a task that needs the scene waits for arrival.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import simpy

from simulator.engine.events import EventLog
from simulator.engine.streams import Streams
from simulator.formats.scenario import Department


@dataclass(slots=True)
class Task:
    """A task in the ledger (台账): an ordered measure or an assigned job, with its owner."""

    id: str
    name: str
    dept: str
    owner: str | None
    duration: Any  # a Dist
    on_scene: bool
    on_start: Callable[[float, float], None] | None = None  # (start, end) -> effect on the hazard


class DepartmentAgent:
    def __init__(self, env: simpy.Environment, spec: Department, index: int, streams: Streams, log: EventLog):
        self.env = env
        self.spec = spec
        self.id = spec.id
        self.log = log
        self.notified = False
        self._streams = streams
        self._index = index
        self._crews: simpy.Resource | None = None
        self._arrived: simpy.Event | None = None

    # A drill has a dozen departments and gives tasks to half of them; a SimPy resource costs more to build than a
    # task does to run, so the crews and the arrival are made when first needed (neither schedules anything).
    @property
    def crews(self) -> simpy.Resource:
        """The department's crews: at most this many tasks at once, the rest wait their turn."""
        if self._crews is None:
            self._crews = simpy.Resource(self.env, capacity=max(1, self.spec.resources.get("crews", 1)))
        return self._crews

    @property
    def arrived(self) -> simpy.Event:
        """Succeeds when the crews reach the scene."""
        if self._arrived is None:
            self._arrived = self.env.event()
        return self._arrived

    def _rng(self, stream: str):
        """This department's own generator for ``stream`` (created on first use: most never draw)."""
        return self._streams.get(stream, self._index)

    def alert(self, via: str | None) -> None:
        """A notice reached the department (``via`` is a message id, or an inject id for a direct alarm)."""
        if self.notified:
            return
        self.notified = True
        self.log.add(self.env.now, "department_notified", {"dept": self.id, "msg": via})
        if self.spec.goes_to_scene:
            self.env.process(self.respond())

    def respond(self) -> Generator[simpy.Event, Any, None]:
        """Get the crews out of the door, drive to the scene, report arrival."""
        env, log = self.env, self.log
        yield env.timeout(self.spec.mobilise.sample(self._rng("mobilise")))
        log.add(env.now, "department_mobilised", {"dept": self.id})
        yield env.timeout(self.spec.travel.sample(self._rng("travel")))
        log.add(env.now, "department_arrived", {"dept": self.id})
        self.arrived.succeed()

    def carry_out(self, task: Task) -> Generator[simpy.Event, Any, None]:
        """Wait for the scene if the task needs it, take a crew, do the work."""
        if task.on_scene and self.spec.goes_to_scene:
            yield self.arrived
        env, log = self.env, self.log
        with self.crews.request() as crew:
            yield crew
            duration = task.duration.sample(self._rng("task"))
            start = env.now
            log.add(start, "task_started", {"task": task.id, "dept": self.id})
            if task.on_start is not None:
                task.on_start(start, start + duration)
            yield env.timeout(duration)
            log.add(env.now, "task_finished", {"task": task.id, "dept": self.id})
