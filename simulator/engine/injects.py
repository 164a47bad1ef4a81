"""The MSEL in a drill: injects released at their moment, and exercise control (导调组) steering them.

Covers: a timed inject released at its minute, an ``after`` inject its delay after its parent, a ``when`` inject
at the first minute its condition holds (the hazard's state: an explosion, water past a depth — looked at by the
incident process each minute), a conditional one skipped when its condition says so, and an inject's effects
(cut or restore a channel, change the hazard, add casualties, alert a department). Exercise control's decisions
(``by: control``) act on the same bookkeeping: release an inject now (early, held, or whatever its condition),
hold it at its moment, skip it for good, or send an ad-hoc message to seats, released like an inject. Being
decisions, they sit in the plan, so a live drill with its control replays byte for byte.

``InjectDesk`` is a part of ``Drill`` (it uses the drill's clock, log, network, hazard and departments); it lives
here to keep the drill's own file about decisions.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from simulator.formats import plan as p
from simulator.formats.scenario import Condition, Inject
from simulator.hazards.conditions import holds as hazard_holds
from simulator.vocabulary import CONTROL

if TYPE_CHECKING:
    from simulator.engine.drill import Drill

#: the reason an inject skipped by exercise control carries in the log
CANCELLED = "导调组取消 (cancelled by exercise control)"


class Rejected(Exception):
    """A decision that cannot apply; its message is shown to the trainee (or the facilitator).

    Defined here, the first of the drill's parts, so every part can raise it; ``drill.Rejected`` is the same."""


class InjectDesk:
    """The MSEL's bookkeeping and exercise control's handlers, mixed into ``Drill``."""

    def _init_injects(self: Drill) -> None:
        self.injects = {i.id: i for i in self.scenario.injects}
        self.released_at: dict[str, float] = {}  # inject id -> minute released
        self.cancelled: set[str] = set()  # skipped by exercise control: never released
        self.held: set[str] = set()  # held by exercise control, its moment not yet come
        self.waiting: set[str] = set()  # held, its moment passed: released only by exercise control
        self.not_triggered: set[str] = set()  # its condition kept it back at its moment
        # injects released when a condition first holds (the explosion, water past a depth): looked at each minute
        self.watched: list[Inject] = [i for i in self.scenario.injects if i.when is not None]
        self._children: dict[str, list[Inject]] = {}  # inject id -> the injects ``after`` it, in the MSEL's order
        for inject in self.scenario.injects:
            if inject.after is not None:
                self._children.setdefault(inject.after, []).append(inject)
        for inject in self.scenario.injects:
            if inject.at is not None:
                self.env.process(self._inject_at(inject, inject.at))

    def upcoming_at(self: Drill) -> list[float]:
        """The minutes of the timed injects still to come by themselves (not released early, held or skipped)."""
        steered = self.released_at.keys() | self.cancelled | self.held
        return [i.at for i in self.scenario.injects if i.at is not None and i.at > self.env.now and i.id not in steered]

    # -- at an inject's moment -------------------------------------------------------------------------------
    def _inject_at(self: Drill, inject: Inject, minute: float) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(max(0.0, minute - self.env.now))
        self._due(inject)

    def _watch(self: Drill) -> None:
        """Called by the incident process after each minute's step: release the ``when`` injects whose condition
        now holds (once; released early, held or skipped by exercise control as a timed one)."""
        if not self.watched:
            return
        due = [i for i in self.watched if i.id in self.released_at or i.id in self.cancelled or self._holds(i.when)]
        for inject in due:
            self.watched.remove(inject)
            self._due(inject)

    def _due(self: Drill, inject: Inject) -> None:
        """An inject's moment has come (its minute, its parent's release plus delay, or its condition)."""
        if inject.id in self.released_at or inject.id in self.cancelled:
            return  # released early, or skipped, by exercise control
        if inject.id in self.held:
            self.held.discard(inject.id)
            self.waiting.add(inject.id)
            return
        self._release(inject)

    def _release(self: Drill, inject: Inject, decision: str | None = None) -> None:
        """Release ``inject`` now; exercise control's release (``decision``) ignores its condition."""
        if decision is None and (
            (inject.unless and self._holds(inject.unless)) or (inject.only_if and not self._holds(inject.only_if))
        ):
            self.not_triggered.add(inject.id)
            self.log.append(self.env.now, "inject_skipped", inject=inject.id)
            return
        self.released_at[inject.id] = self.env.now
        self.held.discard(inject.id)
        self.waiting.discard(inject.id)
        released = {
            "inject": inject.id,
            "to": inject.to,
            "source": inject.source,
            "title": inject.title,
            "text": inject.text,
            "reveals": inject.reveals,
        }
        if decision is not None:
            released["decision"] = decision
        self.log.add(self.env.now, "inject_released", released)
        for effect in inject.effects:
            self._apply(effect, inject)
        for child in self._children.get(inject.id, ()):
            self.env.process(self._inject_at(child, self.env.now + child.delay))

    def _holds(self: Drill, cond: Condition) -> bool:
        if cond.on_hazard:
            return hazard_holds(self.hazard, cond)
        if cond.measure_ordered is not None:
            return cond.measure_ordered in self.ordered
        if cond.measure_done is not None:
            return cond.measure_done in self.measures_done
        return cond.action in self.actions_taken

    def _apply(self: Drill, effect, inject: Inject) -> None:
        now = self.env.now
        if effect.cut_channel:
            self.network.cut_channel(effect.cut_channel)
            self.log.append(now, "channel_cut", channel=effect.cut_channel, inject=inject.id)
        elif effect.restore_channel:
            self.network.restore_channel(effect.restore_channel)
            self.log.append(now, "channel_restored", channel=effect.restore_channel, inject=inject.id)
        elif effect.set_hazard:
            for name, value in effect.set_hazard.items():
                self.hazard.set_param(name, value)
                self.log.append(now, "hazard_changed", param=name, value=value, inject=inject.id)
        elif effect.add_casualties is not None or effect.add_dead is not None:
            injured, dead = effect.add_casualties or 0, effect.add_dead or 0
            self.hazard.add_casualties(injured, dead)
            self.log.append(
                now,
                "casualties",
                injured=injured,
                dead=dead,
                where=inject.title,
                total_injured=self.hazard.wounded,
                total_dead=self.hazard.dead,
                inject=inject.id,
            )
        elif effect.alert:
            for dept in effect.alert:
                self.noticed.add(dept)
                self.departments[dept].alert(inject.id)

    # -- exercise control's decisions (each handler: check, then act; see Drill._take) ------------------------
    def _open_inject(self: Drill, inject_id: str) -> Inject:
        """The inject, if it can still be steered: known, not released, not skipped."""
        inject = self.injects.get(inject_id)
        if inject is None:
            raise Rejected(f"本场景没有情景注入 {inject_id!r} (unknown inject)")
        if inject.id in self.released_at:
            raise Rejected(f"“{inject.title}”已经注入，不能重复注入 (the inject was already released)")
        if inject.id in self.cancelled:
            raise Rejected(f"“{inject.title}”已被导调组取消 (the inject was skipped)")
        return inject

    def _do_release_inject(self: Drill, d: p.ReleaseInject, did: str, check_only: bool, prepared=None):
        if check_only:
            return self._open_inject(d.inject)
        self._release(prepared, decision=did)

    def _do_hold_inject(self: Drill, d: p.HoldInject, did: str, check_only: bool, prepared=None):
        if check_only:
            inject = self._open_inject(d.inject)
            if inject.id in self.held or inject.id in self.waiting:
                raise Rejected(f"“{inject.title}”已暂缓 (the inject is already held)")
            if inject.id in self.not_triggered:
                passed = "的注入时间已过（条件未满足，未注入），如需注入请选择立即注入"
                raise Rejected(f"“{inject.title}”{passed} (its time has passed)")
            return inject
        self.held.add(prepared.id)

    def _do_skip_inject(self: Drill, d: p.SkipInject, did: str, check_only: bool, prepared=None):
        if check_only:
            return self._open_inject(d.inject)
        self.cancelled.add(prepared.id)
        self.held.discard(prepared.id)
        self.waiting.discard(prepared.id)
        self.log.append(self.env.now, "inject_skipped", inject=prepared.id, reason=CANCELLED, decision=did)

    def _do_message(self: Drill, d: p.ControlMessage, did: str, check_only: bool, prepared=None):
        if check_only:
            for dept in d.to:
                self._known(dept)
            return None
        for dept in dict.fromkeys(d.to):  # once per seat, in the order written
            self.log.append(
                self.env.now,
                "inject_released",
                inject=None,
                to=dept,
                source=CONTROL.zh,
                title=d.title,
                text=d.text,
                reveals={},
                decision=did,
            )
