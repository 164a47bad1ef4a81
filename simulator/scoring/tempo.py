"""The response clock of 迅速: where it starts and how fast the incident moves.

The rubric's time thresholds (研判5分钟、通知10分钟 …) are written for a sudden accident: a gas explosion or a
leak, where T+0 is the first report. A slow-onset incident — a rainstorm building over many hours through
yellow, orange and red warnings — would otherwise score zero for everything done after the first hour, so the
second warning and the fifth would look the same. The answer key therefore may say

- ``clock_from: <inject id>``: the clock starts when that inject is released (e.g. the red warning), and
- ``tempo: <factor>``: the rubric's speed thresholds are multiplied by it (1 for a sudden accident).

Obligations tied to a particular warning are not scaled: they are trigger rules (``scoring.triggers``).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.events import Event
from simulator.scoring.context import Context
from simulator.scoring.rubric import Thresholds
from simulator.vocabulary import elapsed


@dataclass(frozen=True, slots=True)
class Clock:
    """Where the speed indicators count from (sim minute ``start``) and the factor on their thresholds."""

    start: float = 0.0
    tempo: float = 1.0
    origin: Event | None = None  # the inject_released that started the clock, if the answer key names one

    def since(self, t: float) -> float:
        """Minutes from the clock's start to ``t`` (negative: before it, which is never late)."""
        return t - self.start

    def scale(self, th: Thresholds, *names: str) -> Thresholds:
        """The thresholds with the named minute values multiplied by the tempo (others as they are)."""
        if self.tempo == 1.0:
            return th
        return th.model_copy(update={n: getattr(th, n) * self.tempo for n in names if getattr(th, n) is not None})

    def deadline(self, minutes: float) -> float:
        """The sim minute ``minutes`` after the clock's start (for the evidence's ``deadline``)."""
        return self.start + minutes

    def elapsed(self, t: float, lang: str = "zh") -> str:
        """“用时20分钟” counted from the clock's start, named when it is not the first report."""
        took = elapsed(self.start, max(t, self.start), lang)
        if self.origin is None:
            return f"after {took}" if lang == "en" else f"用时{took}"
        title = self.origin.get("title") or ""
        if lang == "en":
            return f"{took} after “{title}”"
        return f"距“{title}”{took}"


def response_clock(ctx: Context) -> Clock:
    """The drill's response clock, from the answer key (cached per scoring run).

    A ``clock_from`` inject that was never released (held, skipped, or not yet due) leaves the clock at T+0:
    nothing can be judged against a warning nobody received.
    """
    cached = ctx.cache.get("clock")
    if cached is not None:
        return cached
    key = ctx.scenario.answer_key
    origin = ctx.view.released.get(key.clock_from) if key.clock_from else None
    clock = Clock(origin.t if origin is not None else 0.0, key.tempo or 1.0, origin)
    ctx.cache["clock"] = clock
    return clock
