"""The event log indexed the ways the report reads it: decisions and tasks by id, node names, the review, the
milestones, the 任务台账 and the timeline (told by the one narrator, ``simulator.narrator``).

Why one context: every section reads the same log; indexing it once keeps the sections short and makes them
agree (the ledger of 二 and 附件3 are the same rows, the outcome of 一 and 四 the same figures).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from simulator.engine.events import Event
from simulator.engine.state import outcome_of, state_at
from simulator.formats.plan import REVIEW_SECTIONS
from simulator.formats.scenario import Scenario
from simulator.narrator import Narrator
from simulator.report.blocks import LedgerRow, Milestone, TimelineRow
from simulator.vocabulary import EVENT_KINDS, TASK_STATUS, clock_text, name_of, t_text, when

#: the moments drawn across the task chart, in the words of the event-kind table
MILESTONE_KINDS = (
    "assessment",
    "response_level_set",
    "report_received",
    "command_post_established",
    "hazard_contained",
    "response_closed",
)


class Context:
    """One drill's log, as the report reads it."""

    def __init__(self, scenario: Scenario, events: list[Event]):
        self.scenario = scenario
        self.events = events
        self.by_id = {e.id: e for e in events}
        self.narrator = Narrator(scenario, events)
        started = next((e for e in events if e.kind == "drill_started"), None)
        self.seed = started.get("seed") if started is not None else None

    # names ------------------------------------------------------------------------------------------------
    def dept(self, node: str | None) -> tuple[str | None, str]:
        """(department id or None, its Chinese name) for a node of the log."""
        d = self.scenario.department(node) if node is not None else None
        return (d.id if d is not None else None), self.narrator.name(node)

    def name(self, node: str | None) -> str:
        return self.narrator.name(node)

    def names(self, nodes: Iterable[str]) -> str:
        return self.narrator.names(nodes)

    def when(self, t: float) -> str:
        return when(self.scenario.start_clock, t)

    # the log, read ----------------------------------------------------------------------------------------
    def review(self) -> dict[str, str]:
        reviews = [e for e in self.events if e.kind == "review_submitted"]
        if not reviews:
            return {}
        sections = reviews[-1]["sections"] or {}
        return {k: str(sections[k]).strip() for k in REVIEW_SECTIONS if str(sections.get(k) or "").strip()}

    def outcome(self) -> dict[str, Any]:
        """The drill's outcome figures, as the engine logged them (``engine.state.outcome_of``)."""
        return outcome_of(self.events).as_dict()

    def milestones(self) -> Iterable[Milestone]:
        for kind in MILESTONE_KINDS:
            e = next((e for e in self.events if e.kind == kind), None)
            if e is not None:
                yield Milestone(e.t, name_of(EVENT_KINDS, kind))

    def ledger(self) -> Iterable[LedgerRow]:
        clock = self.scenario.start_clock
        tasks = state_at(self.events, math.inf).tasks
        for seq, row in enumerate(tasks.values(), start=1):
            ordered = self.narrator.tasks[row["task"]]
            dept_id, dept = self.dept(row["dept"])
            notes = [self.narrator.params(ordered.get("measure"), ordered.get("params"))]
            decision = self.narrator.decisions.get(ordered.get("decision"))
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
                status=name_of(TASK_STATUS, row["status"]),
                note="；".join(n for n in notes if n),
            )

    def timeline(self) -> Iterable[TimelineRow]:
        """Every event a person reads, told by the narrator; ``key`` rows make the body's table."""
        clock = self.scenario.start_clock
        for e in self.events:
            told = self.narrator.tell(e)
            if told is None:
                continue
            dept_id, dept = self.dept(told.node)
            yield TimelineRow(
                e.id, e.t, t_text(e.t), clock_text(clock, e.t), dept_id, dept, e.kind, told.text, told.detail, told.key
            )
