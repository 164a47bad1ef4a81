"""The rebuilt drills a server shares: one ``replay`` per state of a drill, however many sessions show it.

A room's browsers (fifteen seats, the console, the big screen) all show the same drill, each redrawing itself every
few seconds. Each refresh reads the drill's pulse (``simulator.store.pulse``: one statement); the drill rebuilt for
that state is kept here, so the first session to meet a change rebuilds it and every other session takes the same
object until the next change. What the pages derive from a state (a seat's view, the board, the site map) is kept
beside it (:meth:`Rebuilt.memo`), so that too is made once per state.

Shared means read-only: nothing may change a :class:`Rebuilt`'s record, entry, drill or memo values (``finish_drill``
in ``ui.common`` replays a drill of its own to end it). Bounded: the latest ``KEEP`` states of each of the ``SIZE``
drills used last. Thread-safe: a server runs its sessions in threads; a drill's rebuild holds that drill's lock,
so the sessions meeting one change at once wait for the one rebuild rather than each making its own, while other
drills' sessions go on.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from simulator import library
from simulator.engine import Drill, replay
from simulator.store import scenarios as snapshots
from simulator.store.drills import DrillRecord, DrillStore
from simulator.store.pulse import DrillState, Pulse, load_state

T = TypeVar("T")
#: how many drills are kept (a city's drill day has tens of rooms; a few hundred is ample)
SIZE = 256
#: how many states of one drill are kept: the latest, and the one before for a session a change overtook
KEEP = 2


@dataclass(eq=False)
class Rebuilt:
    """One state of a stored drill, rebuilt once: its record (with the decisions), its scenario, the drill."""

    record: DrillRecord
    entry: library.Entry
    drill: Drill
    state: DrillState
    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def memo(self, name: Hashable, make: Callable[[], T]) -> T:
        """``make()`` once for this state under ``name`` (say, ``("seat", dept, lang)``), then the same value."""
        with self._lock:
            if name not in self._memo:
                self._memo[name] = make()
            return self._memo[name]


@dataclass(eq=False)
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    states: OrderedDict[tuple, Rebuilt] = field(default_factory=OrderedDict)


class RebuiltDrills:
    """The rebuilt drills of one store, by state (one per store and server process)."""

    def __init__(self, store: DrillStore, size: int = SIZE, keep: int = KEEP):
        self.store, self.size, self.keep = store, size, keep
        self._lock = threading.Lock()
        self._slots: OrderedDict[int, _Slot] = OrderedDict()
        #: how many times a drill was rebuilt here (a room of N sessions: once per change, not N times)
        self.replays = 0

    def get(self, found: Pulse) -> Rebuilt | None:
        """The drill as the pulse found it (or newer, if it changed since): rebuilt here on its first asking. None
        when the drill or its scenario is gone."""
        key = (found.state, _scenario_key(found.state.scenario_hash, found.scenario_id))
        slot = self._slot(found.state.drill_id)
        with slot.lock:  # one rebuild of a drill at a time: those who meet the same change wait, then share it
            return slot.states.get(key) or self._load(found.state.drill_id, slot)

    def latest(self, drill_id: int) -> Rebuilt | None:
        """The drill as it stands in the store now, for a page that has just changed it (a decision taken): its
        rebuild is the one every other session then shares."""
        slot = self._slot(drill_id)
        with slot.lock:
            return self._load(drill_id, slot)

    def _load(self, drill_id: int, slot: _Slot) -> Rebuilt | None:
        """Read the drill and rebuild it, unless that state is here already (the caller holds the slot's lock)."""
        newest = next(reversed(slot.states.values()), None)  # the decisions before it need no reading again
        loaded = load_state(self.store, drill_id, (newest.record, newest.state) if newest is not None else None)
        if loaded is None:
            return None
        record, state = loaded  # newer than a pulse if the drill changed meanwhile: kept under what was read
        key = (state, _scenario_key(state.scenario_hash, record.scenario_id))
        shared = slot.states.get(key)
        if shared is None:
            entry = snapshots.entry_of(self.store, record)
            if entry is None:
                return None
            drill = replay(entry.scenario, record.seed, record.decisions, record.clock, record.finished)
            with self._lock:
                self.replays += 1
            shared = slot.states[key] = Rebuilt(record, entry, drill, state)
            while len(slot.states) > self.keep:
                slot.states.popitem(last=False)
        return shared

    def _slot(self, drill_id: int) -> _Slot:
        with self._lock:
            slot = self._slots.get(drill_id)
            if slot is None:
                slot = self._slots[drill_id] = _Slot()
                while len(self._slots) > self.size:
                    self._slots.popitem(last=False)
            else:
                self._slots.move_to_end(drill_id)
            return slot


def _scenario_key(digest: str | None, scenario_id: str) -> str | None:
    """The content the drill runs on: its own copy's hash; for a drill stored before copies, the library's
    scenario's hash now (a scenario changed in the library is another state of such a drill)."""
    if digest is not None:
        return digest
    entry = library.find(scenario_id)
    return snapshots.content_hash(entry.scenario) if entry is not None else None
