"""The response's formal decisions in a drill: starting, raising, lowering or ending the response at a level
(``set_level``, 启动/调整/终止应急响应), and advice given by any department (``advise``: 建议、解除警戒、群众可返回).

Why apart from ``assess``: 初步研判 is a judgement of type and level; the response level in force is a decision of
its own, taken (and changed, and ended) as the situation develops, and judged against the level warranted at its
time (``simulator.scoring.levels``). Advice is logged so that a stand-down before the hazard is under control can be
faulted and the harm after it attributed to it (``simulator.scoring.advice``); it changes nothing in the hazard.

``CommandDesk`` is a part of ``Drill`` (its clock, log and decisions), kept here so the drill's file stays about
orders and messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.engine.injects import Rejected
from simulator.formats import plan as p
from simulator.vocabulary import LEVEL_CHANGES, LEVEL_SHORT, STAND_DOWN_ADVICE

if TYPE_CHECKING:
    from simulator.engine.drill import Drill


#: the measures that keep people away from the hazard: a stand-down to the public ends their protection (people go
#: back in), so a premature one has its consequence in the hazard, not only in the score
KEEP_AWAY = ("evacuate", "evacuate_floors", "shelter_in_place")


def level_change(current: int | None, level: int | None, end: bool) -> str:
    """What a decision does to the response: start, raise (a smaller number is a higher level), lower or end."""
    if end:
        return "end"
    if current is None:
        return "start"
    return "raise" if level < current else "lower"


class CommandDesk:
    """The handlers of ``set_level`` and ``advise``, mixed into ``Drill``."""

    #: the response level in force (None: no response started, or ended)
    response_level: int | None = None

    def _do_set_level(self: Drill, d: p.SetLevel, did: str, check_only: bool, prepared=None):
        current = self.response_level
        end = d.change == "end"
        if check_only:
            if end and current is None:
                raise Rejected("尚未启动应急响应，无法终止 (no response has been started)")
            if not end and d.level == current:
                raise Rejected(f"已处于{LEVEL_SHORT[current].zh}应急响应 (the response is at this level already)")
            change = level_change(current, d.level, end)
            if d.change is not None and d.change != change:
                said, done = LEVEL_CHANGES[d.change], LEVEL_CHANGES[change]
                now = f"当前为{LEVEL_SHORT[current].zh}应急响应" if current else "尚未启动应急响应"
                raise Rejected(f"{now}，该决策应为“{done.zh}”而非“{said.zh}” (it is {done.en}, not {said.en})")
            return change
        level = current if end else d.level
        self.response_level = None if end else d.level
        self.log.append(self.env.now, "response_level_set", decision=did, by=d.by, level=level, change=prepared)
        if end:  # 终止应急响应 is the close of the response
            self.closed = True
            self.log.append(self.env.now, "response_closed", decision=did)

    def _do_advise(self: Drill, d: p.Advise, did: str, check_only: bool, prepared=None):
        if check_only:
            return None
        lifted = []
        if d.kind in STAND_DOWN_ADVICE and d.to == "public":  # people believe it and go back
            lifted = self.hazard.lift(KEEP_AWAY, self.env.now)
        extra = {"lifted": lifted} if lifted else {}
        self.log.append(
            self.env.now, "advice_given", decision=did, by=d.by, advice=d.kind, to=d.to, text=d.text, **extra
        )
