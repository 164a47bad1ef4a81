"""One experiment: a team's drill, the reference plan under the same seed, and the score of the one against the
other, as one result object.

Why one function: the CLI, the batch runner, the app's pages and the report all need "the drill, what an expert
would have achieved under the very same luck (common random numbers: same seed, same streams), and the score",
and each used to assemble it its own way. Here it is done once, in the style of STARS' ``single_run``.

    result = single_run(scenario, plan, seed=3, reference=reference_plan)
    result.score["total"], result.outcome, result.reference_outcome

For a drill that already exists (a live drill rebuilt from the store, a saved log), call :func:`evaluate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from simulator.engine import Drill, EventLog, run_plan
from simulator.engine.events import Event
from simulator.engine.state import outcome_of
from simulator.formats import Plan, Scenario
from simulator.scoring import Rubric, score_drill


@dataclass(frozen=True)
class Experiment:
    """A drill's log scored against the reference run under the same seed.

    ``drill`` is the engine object when the drill was run here (None for a log read from disk); ``reference`` is
    the reference plan's drill under the same seed, or None where the scenario has no reference plan.
    """

    scenario: Scenario
    seed: int
    log: EventLog
    score: dict[str, Any]
    reference: Drill | None = None
    drill: Drill | None = None
    rubric: Rubric | None = None

    @cached_property
    def outcome(self) -> dict[str, Any]:
        """The team's outcome figures (``Outcome.as_dict()``): the engine's own, or as its log recorded them."""
        return (self.drill.outcome() if self.drill is not None else outcome_of(self.log)).as_dict()

    @cached_property
    def reference_outcome(self) -> dict[str, Any] | None:
        return self.reference.outcome().as_dict() if self.reference is not None else None

    @cached_property
    def reference_score(self) -> dict[str, Any] | None:
        """The reference run scored by the same rubric (what the report's comparison columns show)."""
        if self.reference is None:
            return None
        return score_drill(self.scenario, self.reference.log, rubric=self.rubric, reference=self.reference.log)


def single_run(
    scenario: Scenario,
    plan: Plan,
    seed: int,
    *,
    reference: Plan | Drill | None = None,
    rubric: Rubric | None = None,
    previous: dict[str, Any] | None = None,
    items: list[Any] | None = None,
    today: date | None = None,
) -> Experiment:
    """Run ``plan`` under ``seed``, run the reference plan under the same seed, and score the one against the
    other. ``previous`` is the same team's earlier score of this scenario (for 提升), if any; ``items`` the team's
    open 整改 items (simulator.loop), checked on this drill (``today``: the drill's date, for which items are due)."""
    drill = run_plan(scenario, plan, seed)
    return evaluate(
        scenario, drill, seed, reference=reference, rubric=rubric, previous=previous, items=items, today=today
    )


def evaluate(
    scenario: Scenario,
    drill: Drill | EventLog | list[Event],
    seed: int,
    *,
    reference: Plan | Drill | None = None,
    rubric: Rubric | None = None,
    previous: dict[str, Any] | None = None,
    items: list[Any] | None = None,
    today: date | None = None,
) -> Experiment:
    """Score a drill that already exists (live, replayed or read from disk) against the reference under ``seed``.

    ``reference`` may be the reference plan (run here) or its drill already run under ``seed`` (a cached one).
    """
    engine = drill if isinstance(drill, Drill) else None
    log = drill.log if isinstance(drill, Drill) else drill if isinstance(drill, EventLog) else EventLog(drill)
    ref = run_plan(scenario, reference, seed) if isinstance(reference, Plan) else reference
    score = score_drill(
        scenario,
        log,
        rubric=rubric,
        reference=ref.log if ref is not None else None,
        previous=previous,
        items=items,
        today=today,
    )
    return Experiment(scenario, seed, log, score, reference=ref, drill=engine, rubric=rubric)
