"""The incident process: the hazard evolves minute by minute and is sampled into the log.

Covers: one step of the hazard model per sim minute (``STEP_MINUTES``), casualties as they happen, a sample of
the hazard's figures every ``sample_every`` minutes, and the moment the hazard is contained.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from simulator.engine.events import EventLog
from simulator.hazards.base import HazardModel

STEP_MINUTES = 1.0  # minutes of sim time per hazard step


def incident(
    env: simpy.Environment, hazard: HazardModel, log: EventLog, sample_every: float
) -> Generator[simpy.Event, Any, None]:
    """The hazard runs its course; measures already under way change each step."""
    contained_logged = False
    steps_per_sample = max(1, round(sample_every / STEP_MINUTES))
    step = 0
    log.append(env.now, "hazard_sample", figures=hazard.figures())
    while True:
        yield env.timeout(STEP_MINUTES)
        step += 1
        for harm in hazard.step(env.now, STEP_MINUTES):
            log.append(
                env.now,
                "casualties",
                injured=harm.injured,
                dead=harm.dead,
                where=harm.where,
                total_injured=hazard.injured,
                total_dead=hazard.dead,
            )
        if not contained_logged and hazard.contained:
            contained_logged = True
            log.append(env.now, "hazard_contained", figures=hazard.figures())
        if step % steps_per_sample == 0:
            log.append(env.now, "hazard_sample", figures=hazard.figures())
