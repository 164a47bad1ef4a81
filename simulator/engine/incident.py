"""The incident process: the hazard evolves minute by minute and is sampled into the log.

Covers: one step of the hazard model per sim minute (``STEP_MINUTES``), casualties as they happen, the hazard's
named events (``hazard_event``), the injects that wait on the hazard's state, a sample of the hazard's figures
every ``sample_every`` minutes, and the moment the hazard is contained.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from simulator.engine.events import EventLog
from simulator.hazards.base import HazardModel

STEP_MINUTES = 1.0  # minutes of sim time per hazard step


def incident(
    env: simpy.Environment,
    hazard: HazardModel,
    log: EventLog,
    sample_every: float,
    watch: Callable[[], None] | None = None,
) -> Generator[simpy.Event, Any, None]:
    """The hazard runs its course; measures already under way change each step. The hazard's named events
    (an explosion, a site flooded) are logged as they happen; then ``watch`` (the injects waiting on the hazard's
    state) looks at the new state, so such an inject is released in the very minute its condition first holds."""
    contained_logged = False
    steps_per_sample = max(1, round(sample_every / STEP_MINUTES))
    step = 0
    add = log.add  # the busiest writer of the log: fields as a dict, no keyword repacking
    add(env.now, "hazard_sample", {"figures": hazard.figures()})
    # This loop runs every minute of every drill: what it does besides the physics is kept to a few tests.
    while True:
        yield env.timeout(STEP_MINUTES)
        step += 1
        now = env.now
        for harm in hazard.step(now, STEP_MINUTES):
            casualties = {
                "injured": harm.injured,
                "dead": harm.dead,
                "where": harm.where,
                "total_injured": hazard.wounded,
                "total_dead": hazard.dead,
            }
            add(now, "casualties", casualties)
        if hazard.events_stated:
            for turn in hazard.take_events():
                add(now, "hazard_event", {"event": turn.event, "site": turn.site, "sites": list(turn.sites)})
        if watch is not None:
            watch()
        if not contained_logged and hazard.contained:
            contained_logged = True
            add(now, "hazard_contained", {"figures": hazard.figures()})
        if step % steps_per_sample == 0:
            add(now, "hazard_sample", {"figures": hazard.figures()})
