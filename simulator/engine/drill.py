"""A drill: the scenario's world in SimPy, stepped by hand (a live drill) or by a plan (a scripted one).

A drill is a pure function of (scenario, seed, timed decisions). ``Drill.advance`` runs the world up to a
minute; ``Drill.submit`` takes a decision at the current minute. ``run_plan`` is nothing but those two calls in
time order, so a live drill's decisions, exported as a plan, replay to the same log byte for byte.

Decisions are checked against the state when they are taken; one that cannot apply (an unknown department,
an order to a department never notified, a measure with bad parameters) is logged as rejected, with the
reason the trainee sees, and changes nothing else.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from functools import partial
from typing import Any

import simpy

from simulator.engine.command import CommandDesk
from simulator.engine.departments import DepartmentAgent, Task
from simulator.engine.events import Event, EventLog
from simulator.engine.incident import incident
from simulator.engine.injects import InjectDesk, Rejected
from simulator.engine.network import HUB, CoordinationNetwork
from simulator.engine.state import Outcome, Toll
from simulator.engine.streams import Streams
from simulator.formats import plan as p
from simulator.formats.scenario import Scenario
from simulator.hazards import REGISTRY, HazardModel, places, unknown_places
from simulator.identity import PerObject

AFTER_NORMAL = simpy.core.NORMAL + 1  # event priority that sorts after every ordinary event of the same minute
#: why a decision taken after the drill ended is refused (the engine's and the store's one wording)
ENDED = "推演已结束 (the drill has ended)"


class Drill(InjectDesk, CommandDesk):
    """One drill of one scenario under one seed (its MSEL and exercise control: ``InjectDesk``; the response level
    and advice: ``CommandDesk``)."""

    def __init__(self, scenario: Scenario, seed: int = 0):
        self.scenario = scenario
        self.seed = seed
        self.env = simpy.Environment()
        self.log = EventLog()
        self.streams = Streams(seed)
        self.network = CoordinationNetwork(self.env, scenario, self.streams, self.log)
        self.departments = {
            d.id: DepartmentAgent(self.env, d, i, self.streams, self.log) for i, d in enumerate(scenario.departments)
        }
        hazard_cls = REGISTRY[scenario.hazard.model]
        self.hazard = hazard_cls(scenario.hazard.params, partial(self.streams.numpy, "hazard"))
        self.decisions: list[Any] = []  # as submitted, with ``at`` set to the minute they were taken
        self.noticed: set[str] = set()  # departments a notice was sent to (or alerted by an inject)
        self.ordered: dict[str, Task] = {}  # measure id -> last task that carries it out
        self._settings: dict[str, dict[str, Any]] = {}  # measure id -> parameters of its last order or adjustment
        self._results: list[Event] = []  # each decision's accepted or rejected event, in the order submitted
        self.actions_taken: set[str] = set()
        self.measures_done: set[str] = set()
        self.tasks: list[Task] = []
        self.closed = False
        self.finished = False
        self.command_post = False
        self._ids = {"d": 0, "T": 0}
        # an order names its measure by id; the first of that id, as Scenario.measure finds it
        self._measures = {m.id: m for m in reversed(scenario.measures)}
        self._toll, self._toll_read = Toll(), 0  # the toll as the log recorded it, and how much of the log was read
        self.log.append(
            0.0,
            "drill_started",
            scenario=scenario.id,
            version=scenario.version,
            seed=seed,
            duration=scenario.duration,
        )
        # the injects that wait on the hazard's state are looked at each minute; most scenarios have none
        watch = self._watch if any(i.when is not None for i in scenario.injects) else None
        self.env.process(incident(self.env, self.hazard, self.log, scenario.sample_every, watch=watch))
        self._init_injects()
        self.advance(0.0)  # what happens at T+0 (the first report) has happened before anyone decides

    # -- the clock --------------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.env.now

    @property
    def end(self) -> float:
        return self.scenario.duration

    def advance(self, to_minute: float) -> None:
        """Run the world through ``to_minute``: everything due at that minute happens before the next decision,
        so "to the next inject" shows the inject.

        The clock stops at the last minute without ending the drill: the decisions of the last minute (a report
        due at the deadline) are still taken, as a facilitator expects of a drill that "runs to 180 minutes".
        The drill ends when ``finish`` is called (结束推演), or when the clock is moved past its last minute.
        """
        target = min(float(to_minute), self.end)
        if target >= self.env.now and not self.finished:
            # SimPy's run(until=t) stops *before* the events due at t. This runs what a stop event of a priority
            # below NORMAL would let run first (everything due by then, including what it schedules for the same
            # minute), then sets the clock where that stop would have left it: at now + (target - now), which
            # floats may put a hair off ``target``. No stop event is made: a drill is advanced once per decision.
            env = self.env
            stop = env.now + (target - env.now)
            queue = env._queue  # heap of (time, priority, event id, event)
            step = env.step
            while queue and (queue[0][0] < stop or (queue[0][0] == stop and queue[0][1] < AFTER_NORMAL)):
                step()
            env._now = stop
        if float(to_minute) > self.end:
            self.finish()

    def next_inject_at(self) -> float | None:
        """The minute of the next timed inject after now (the facilitator's "next inject" button); injects released
        early, held or skipped by exercise control are not waited for."""
        upcoming = self.upcoming_at()
        return min(upcoming) if upcoming else None

    def finish(self) -> Outcome:
        """Run to the end of the drill, after the decisions already taken at its last minute, and end it (which
        logs the outcome, once). Only a review is taken after this."""
        if not self.finished:
            self.advance(self.end)
            self.finished = True
            outcome = self.outcome()
            self.log.append(self.env.now, "drill_ended", outcome=outcome.as_dict())
            self._stop_the_world()
            return outcome
        return self.outcome()

    def _stop_the_world(self) -> None:
        """Nothing happens in the world after the drill's end: what was still due (the hazard's next minute, a
        message's resend) is dropped, and the processes waiting on it will never resume.

        Why: a SimPy process and the event it waits on refer to each other, so a finished drill (its log, its
        departments) would otherwise be left to the garbage collector, whose passes then walk it again and again:
        over a batch of reference drills they took ~380 us a drill, and take ~50 us once it goes with its last
        reference (nothing of the drill may refer back to it for that: a task's effect holds the hazard, not the
        drill)."""
        queue = self.env._queue  # heap of (time, priority, event id, event)
        for *_, event in queue:
            event.callbacks = None  # as SimPy marks an event already processed: nothing waits on it any more
        queue.clear()

    def outcome(self) -> Outcome:
        counted = dict.fromkeys(("decision_rejected", "message_lost", "message_undelivered"), 0)
        contained_at = None
        for event in self.log.events:  # one pass over the log, not one per figure
            kind = event.kind
            if kind in counted:
                counted[kind] += 1
            elif kind == "hazard_contained" and contained_at is None:
                contained_at = event.t
        return Outcome(
            injured=self.hazard.wounded,
            dead=self.hazard.dead,
            exposed_person_minutes=self.hazard.exposed_person_minutes,
            contained_at=contained_at,
            decisions_rejected=counted["decision_rejected"],
            messages_lost=counted["message_lost"],
            messages_undelivered=counted["message_undelivered"],
        )

    # -- decisions -----------------------------------------------------------------------------------------
    def submit(self, decision: Any) -> Event:
        """Take ``decision`` at the current minute; return the accepted or rejected event."""
        event = self._take(decision)
        self._results.append(event)
        return event

    def result(self, index: int) -> Event:
        """The accepted or rejected event of the ``index``-th decision submitted (1-based): what a page shows the
        person who entered it after the drill was rebuilt from the store."""
        return self._results[index - 1]

    def measures_in_force(self) -> dict[str, dict[str, Any]]:
        """Measure id -> its current setting (the parameters of its last order or adjustment), in the order the
        measures were first ordered: what an adjustment can change, and where its form starts from."""
        return {measure: dict(params) for measure, params in self._settings.items()}

    def _take(self, decision: Any) -> Event:
        if decision.at != self.env.now:  # a live decision carries the minute it was taken; a replayed one has it
            decision = decision.model_copy(update={"at": self.env.now})
        self.decisions.append(decision)
        if isinstance(decision, p.ReportUp):  # a plan's ``known`` figures: the toll so far, as the scoring reads it
            decision = decision.as_known(self._toll_so_far())
        self._ids["d"] += 1
        decision_id = f"d{self._ids['d']}"
        control = decision.action in p.CONTROL_ACTIONS or decision.by == p.CONTROL  # logged apart, never scored
        try:
            self._admissible(decision, control)
            handler = getattr(self, f"_do_{decision.action}")
            prepared = handler(decision, decision_id, check_only=True)
        except Rejected as reason:
            return self.log.append(
                self.env.now,
                "control_rejected" if control else "decision_rejected",
                decision=decision_id,
                action=decision.action,
                by=decision.by,
                reason=str(reason),
                detail=decision.detail(),
            )
        accepted = self.log.append(
            self.env.now,
            "control_accepted" if control else "decision_accepted",
            decision=decision_id,
            action=decision.action,
            by=decision.by,
            detail=decision.detail(),
        )
        if not control:  # conditions of the MSEL look at what the trainees did
            self.actions_taken.add(decision.action)
        handler(decision, decision_id, check_only=False, prepared=prepared)
        return accepted

    def _toll_so_far(self) -> dict[str, int]:
        """The toll as the log has it now (``state.toll_at``), reading only the events written since last asked."""
        events = self.log.events
        self._toll.read(events[self._toll_read :])
        self._toll_read = len(events)
        return self._toll.result()[0]

    def _admissible(self, decision: Any, control: bool) -> None:
        """Who may take the decision, and whether the drill still takes it (raises Rejected)."""
        if self.finished and decision.action != "review":
            raise Rejected(ENDED)
        if control:
            if decision.by != p.CONTROL:
                raise Rejected("只有导调组可以控制情景注入和发送导调消息 (only exercise control may do this)")
            if decision.action not in p.CONTROL_ACTIONS:
                raise Rejected("导调组不参与处置决策，请以参演部门的名义决策 (control takes no response decisions)")
            return
        self._known(decision.by)
        if self.closed and decision.action != "review":
            raise Rejected("应急响应已结束，不能再下达决策 (the response was closed)")
        due = decision.__dict__.get("due")  # the field, where the action has one (getattr's miss raises, slowly)
        if due is not None and due <= self.env.now:
            raise Rejected("完成时限应晚于当前时间 (the deadline must be later than now)")

    def as_plan(self, name: str = "", team: str = "") -> p.Plan:
        """The decisions taken so far, as a plan file that replays this drill."""
        return p.Plan(scenario=self.scenario.id, name=name, team=team, decisions=list(self.decisions))

    def _known(self, dept: str) -> None:
        if dept not in self.departments:
            known = "、".join(self.departments)
            raise Rejected(f"未知的部门 {dept!r}（可选：{known}） (unknown department)")

    def _notified(self, dept: str) -> None:
        self._known(dept)
        if dept not in self.noticed:
            name = self.departments[dept].spec.name
            raise Rejected(f"{name}尚未接到通知，请先通知再下达任务 ({dept} was never notified)")

    def _next_task_id(self) -> str:
        self._ids["T"] += 1
        return f"T{self._ids['T']}"

    def _send(self, kind: str, src: str, dst: str, on_delivery=None, before=None, **payload: Any) -> str:
        """Start a sender's process: (optionally prepare,) send, and act on delivery. Returns the message id."""
        msg = self.network.new_message(kind, src, dst, **payload)
        self.env.process(self.network.send(msg, before, on_delivery))
        return msg.id

    # Each handler is called twice: first to check (raise Rejected, return what it prepared), then to act.
    def _do_assess(self, d: p.Assess, did: str, check_only: bool, prepared=None):
        if not check_only:
            self.log.append(self.env.now, "assessment", decision=did, by=d.by, event_type=d.event_type, level=d.level)

    def _do_notify(self, d: p.Notify, did: str, check_only: bool, prepared=None):
        if check_only:
            for dept in d.to:
                self._known(dept)
            return None
        for dept in d.to:
            self.noticed.add(dept)
            self._send("notice", d.by, dept, on_delivery=lambda m: self.departments[m.dst].alert(m.id), decision=did)

    def _do_appoint_commander(self, d: p.AppointCommander, did: str, check_only: bool, prepared=None):
        if check_only:
            self._known(d.department)
            return None
        self.log.append(self.env.now, "commander_appointed", decision=did, person=d.person, dept=d.department)
        self.noticed.add(d.department)
        self._send(
            "appointment",
            d.by,
            d.department,
            on_delivery=lambda m: self.departments[m.dst].alert(m.id),
            decision=did,
        )

    def _do_establish_command_post(self, d: p.EstablishCommandPost, did: str, check_only: bool, prepared=None):
        if check_only:
            if self.command_post:
                raise Rejected("现场指挥部已设立 (a command post already exists)")
            for group in d.groups:
                self._known(group.lead)
            return None
        self.command_post = True
        setup = self.scenario.command_post.setup.sample(self.streams.get("command_post"))
        self.env.process(self._set_up_command_post(d, did, setup))

    def _set_up_command_post(
        self, d: p.EstablishCommandPost, did: str, setup: float
    ) -> Generator[simpy.Event, Any, None]:
        """People, radios and a table near the scene: after setup, a hub joins the network."""
        yield self.env.timeout(setup)
        self.network.add_command_post()
        groups = [{"name": g.name, "lead": g.lead, "owner": g.owner} for g in d.groups]
        self.log.append(
            self.env.now,
            "command_post_established",
            decision=did,
            location=d.location,
            groups=groups,
            node=HUB,
        )

    def _do_assign(self, d: p.Assign, did: str, check_only: bool, prepared=None):
        if check_only:
            self._notified(d.department)
            return None
        task = Task(self._next_task_id(), d.task, d.department, d.owner, self.scenario.task_duration, on_scene=False)
        self._order_task(task, d, did, measure=None, params={})

    def _do_order(self, d: p.Order, did: str, check_only: bool, prepared=None):
        if check_only:
            return self._check_measure(d, d.department)
        self._start_measure(d, did, d.department, prepared)

    def _do_adjust(self, d: p.Adjust, did: str, check_only: bool, prepared=None):
        if check_only:
            previous = self.ordered.get(d.measure)
            if previous is None:
                raise Rejected(f"措施 {d.measure!r} 尚未下达，无法调整 (adjust needs an earlier order)")
            return self._check_measure(d, previous.dept)
        self._start_measure(d, did, self.ordered[d.measure].dept, prepared)

    def _check_measure(self, d: p.Order | p.Adjust, dept: str) -> Any:
        """The measure's parameters parsed, if ``dept`` may carry it out now (raises Rejected)."""
        measure = self._measures.get(d.measure)
        if measure is None:
            known = "、".join(m.id for m in self.scenario.measures)
            raise Rejected(f"本场景没有措施 {d.measure!r}（可选：{known}） (unknown measure)")
        self._notified(dept)
        if dept not in measure.departments:
            names = "、".join(self.departments[x].spec.name for x in measure.departments)
            raise Rejected(f"“{measure.name}”应由{names}执行 ({dept} cannot carry out {d.measure})")
        parsed, problem = _measure_params(type(self.hazard), self.scenario.hazard.params, d)
        if problem:
            raise Rejected(problem)
        return parsed

    def _start_measure(self, d: p.Order | p.Adjust, did: str, dept: str, parsed: Any) -> None:
        measure = self._measures[d.measure]
        effect = None
        if d.measure in self.hazard.measures:  # (start, end) -> the hazard; an adjustment replaces what it adjusts
            effect = partial(self.hazard.start_measure, d.measure, parsed, replaces=isinstance(d, p.Adjust))

        # an adjustment keeps the owner of the measure it adjusts
        owner = d.owner if isinstance(d, p.Order) else self.ordered[d.measure].owner
        task = Task(self._next_task_id(), measure.name, dept, owner, measure.duration, measure.on_scene, effect)
        self.ordered[d.measure] = task
        self._settings[d.measure] = dict(d.params)
        self._order_task(task, d, did, measure=d.measure, params=dict(d.params))

    def _order_task(self, task: Task, d: Any, did: str, measure: str | None, params: dict[str, Any]) -> None:
        """Send the order, log the task in the ledger, and have the department carry it out on arrival."""
        agent = self.departments[task.dept]

        def on_delivery(msg) -> None:
            agent.alert(msg.id)  # an order that arrives is also a notice
            self.env.process(self._carry_out(agent, task, measure))

        msg = self._send("order", d.by, task.dept, on_delivery=on_delivery, decision=did, task=task.id)
        self.tasks.append(task)
        self.log.append(
            self.env.now,
            "task_ordered",
            task=task.id,
            decision=did,
            dept=task.dept,
            name=task.name,
            measure=measure,
            params=params,
            owner=task.owner,
            by=d.by,
            msg=msg,
            **({"due": d.due} if d.due is not None else {}),
        )

    def _carry_out(self, agent: DepartmentAgent, task: Task, measure: str | None) -> Generator[simpy.Event, Any, None]:
        yield from agent.carry_out(task)
        if measure is not None:
            self.measures_done.add(measure)

    def _do_request_info(self, d: p.RequestInfo, did: str, check_only: bool, prepared=None):
        if check_only:
            self._known(d.to)
            return None
        facts = [f.text for f in self.scenario.facts if f.held_by == d.to and f.topic == d.topic]
        answer = "；".join(facts) if facts else "暂无相关信息"

        def reply(msg) -> None:
            self._send(
                "reply",
                d.to,
                d.by,
                decision=did,
                on_delivery=lambda m: self.log.append(
                    self.env.now,
                    "info_received",
                    msg=m.id,
                    topic=d.topic,
                    **{"from": d.to},
                    to=d.by,
                    text=answer,
                    decision=did,
                ),
            )

        self._send("request", d.by, d.to, on_delivery=reply, decision=did, topic=d.topic)

    def _do_report_up(self, d: p.ReportUp, did: str, check_only: bool, prepared=None):
        target = d.to or self.scenario.higher_level[0]
        if check_only:
            self._known(target)
            if self.departments[target].spec.kind != "higher_level":
                raise Rejected(
                    f"{self.departments[target].spec.name}不是上级机关，不能作为上报对象 (not a higher level)"
                )
            return None
        drafting = None
        if d.mode == "written":
            drafting = self.scenario.network.report_drafting.sample(self.streams.get("drafting"))
        self._send(
            "report",
            d.by,
            target,
            before=drafting,
            decision=did,
            mode=d.mode,
            on_delivery=lambda m: self.log.append(
                self.env.now,
                "report_received",
                msg=m.id,
                mode=d.mode,
                **{"from": d.by},
                to=target,
                decision=did,
                level=d.level,
                figures=d.figures(),
            ),
        )

    def _do_report_office(self, d: p.ReportOffice, did: str, check_only: bool, prepared=None):
        if check_only:
            target = d.to or next((x.id for x in self.scenario.departments if x.kind == "coordinator"), None)
            if target is None:
                raise Rejected("本场景没有值班室（统筹协调部门） (the scenario has no coordinator)")
            self._known(target)
            if self.departments[target].spec.kind != "coordinator":
                name = self.departments[target].spec.name
                raise Rejected(f"{name}不是值班室（统筹协调部门），请向总值班室报告 (not the duty office)")
            if target == d.by:
                raise Rejected("不能向本部门报告情况 (a department cannot report to itself)")
            return target
        self._send(
            "office_report",
            d.by,
            prepared,
            decision=did,
            on_delivery=lambda m: self.log.append(
                self.env.now,
                "office_report_received",
                msg=m.id,
                **{"from": d.by},
                to=prepared,
                text=d.text,
                decision=did,
            ),
        )

    def _do_close(self, d: p.Close, did: str, check_only: bool, prepared=None):
        if not check_only:
            self.closed = True
            self.log.append(self.env.now, "response_closed", decision=did)

    def _do_review(self, d: p.Review, did: str, check_only: bool, prepared=None):
        if not check_only:
            self.log.append(self.env.now, "review_submitted", decision=did, sections=dict(d.sections))


#: order or adjustment -> its measure's parameters parsed, or why they are refused (see ``_measure_params``)
_PARAMS: PerObject[tuple[Any, str | None]] = PerObject()


def _measure_params(hazard: type[HazardModel], hazard_params: Any, d: p.Order | p.Adjust) -> tuple[Any, str | None]:
    """The parameters of ``d``'s measure parsed for the scenario's hazard, with the places they name checked, or
    why they are refused. A pure function of the scenario and the decision, neither of which changes once loaded (a
    changed decision is a copy), so worked out once per decision object and scenario, not in every drill of a batch
    or every replay of a live drill. The parsed parameters are frozen models, shared by those drills' hazards."""

    def check() -> tuple[Any, str | None]:
        parsed, problem = hazard.validate_measure(d.measure, d.params)
        unknown = unknown_places(hazard_params, parsed) if not problem else []
        if unknown:
            known = "、".join(f"{k}（{v}）" for k, v in places(hazard_params).items())
            return None, f"措施参数中的地点 {'、'.join(unknown)} 不存在（可选：{known}） (unknown place)"
        return parsed, problem

    return _PARAMS.get(d, check, along=hazard_params)


def replay(scenario: Scenario, seed: int, decisions: Iterable[Any], clock: float, finished: bool = False) -> Drill:
    """Rebuild a drill from what was stored: replay ``decisions`` (each at its ``at``), then run to ``clock``.

    An interactive drill keeps no engine object between requests; any page, any browser or a restarted server
    rebuilds the same world this way, since the same decisions give the same log.
    """
    drill = Drill(scenario, seed)
    for decision in decisions:
        drill.advance(decision.at)  # one at the last minute is taken; one after it meets a finished drill
        drill.submit(decision)
    drill.advance(clock)
    if finished:  # a live drill ended by 结束推演 took no decision after that but a review (the store refuses them)
        drill.finish()
    return drill


def run_plan(scenario: Scenario, plan: p.Plan, seed: int = 0) -> Drill:
    """A scripted drill: the same ``advance``/``submit`` calls a live drill makes, in time order, to the end."""
    return replay(scenario, seed, plan.timed(), scenario.duration, finished=True)
