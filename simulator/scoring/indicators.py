"""The one registry of indicators: each indicator function declares its id, keyword and thresholds where it is
written, and everything else (the rubric's checks, ``score_drill``) reads them from here.

    @indicator("notify_time", keyword="迅速", thresholds=("full_by", "zero_at"))
    def notify_time(ctx: Context, th: Thresholds) -> Result: ...

Why a decorator: before it, an indicator was written once as a function and declared again in the rubric's
catalogue, and the two could drift apart (a threshold read by the code but not allowed by the rubric check).
The registry is filled when the keyword modules are imported, which ``simulator.scoring`` does first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.vocabulary import KEYWORDS

if TYPE_CHECKING:
    from simulator.scoring.context import Context
    from simulator.scoring.evidence import Result
    from simulator.scoring.rubric import Thresholds

IndicatorFunction = Callable[["Context", "Thresholds"], "Result"]


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """An indicator the code can measure: its id, its keyword, the thresholds it reads, and the function."""

    id: str
    keyword: str
    thresholds: tuple[str, ...]
    function: IndicatorFunction


#: every indicator, id -> spec, in the order the keyword modules declare them
INDICATORS: dict[str, IndicatorSpec] = {}


def indicator(
    ident: str, *, keyword: str, thresholds: tuple[str, ...] = ()
) -> Callable[[IndicatorFunction], IndicatorFunction]:
    """Register the decorated function as indicator ``ident`` of ``keyword``, reading ``thresholds``."""
    if keyword not in KEYWORDS:
        raise ValueError(f"indicator {ident!r}: unknown keyword {keyword!r}")

    def register(function: IndicatorFunction) -> IndicatorFunction:
        if ident in INDICATORS:
            raise ValueError(f"indicator {ident!r} is declared twice")
        INDICATORS[ident] = IndicatorSpec(ident, keyword, tuple(thresholds), function)
        return function

    return register
