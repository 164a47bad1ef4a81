"""The MSEL as it is printed: each inject numbered in the order of the drill, its time, how it arrives and from
whom, who receives it (with the seat number of the room), and — for the 导调脚本 only — what a good team does about
it and how that is judged, all in words.

Why one table of rows for every part of the pack: a card and the script's line for the same inject must carry the
same number, time and sender, or the 导调组 hands out the wrong card. The cards read only the public half of a
row (``Row.card``); the expected actions and the release condition stay on the row for the script.

Times are written as everywhere else, ``T+8（08:08）`` (``vocabulary.when``); an inject that follows another gets
its planned minute (the parent released on time, as ``msel.inject_times`` reckons it); one released when the
hazard's state says so (an explosion, water past a depth) has no minute in advance and says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.formats.msel.columns import SOURCE_MEDIA
from simulator.formats.msel.files import inject_times
from simulator.formats.scenario import Condition, Inject, Scenario
from simulator.hazards.conditions import words as condition_words
from simulator.vocabulary import ACTIONS, Label, span, when

#: what a seat is called on paper: ``第3席``
SEAT = Label("第{n}席", "Seat {n}")
#: the source of an inject written without one (``Inject.source``'s default)
ON_SCENE = "现场"


@dataclass(frozen=True)
class Seat:
    """A department's place in the room: its number (in the scenario's order) and its name."""

    number: int
    dept: str
    name: str

    @property
    def label(self) -> str:
        """``第3席``; empty for a department no trainee holds (the higher level, played by the 导调组)."""
        return SEAT.zh.format(n=self.number) if self.number else ""

    @property
    def title(self) -> str:
        """``区消防救援支队（第3席）``, as a card and a seat's page are addressed."""
        return f"{self.name}（{self.label}）" if self.label else self.name


@dataclass(frozen=True)
class Row:
    """One inject of the printed MSEL."""

    number: int  # 序号, the card's number too
    inject: Inject
    minute: float | None  # the planned minute (None: released when the hazard's state says so)
    time: str  # ``T+8（08:08）``, or the hazard condition in words
    medium: str  # 注入方式: 电话, 短信 … (empty: not stated)
    sender: str  # 发送单位
    seat: Seat  # 接收单位
    condition: str  # 视情注入: ``除非已下达“疏散群众”`` (empty: always released)
    expected: tuple[str, ...]  # 预期行动, one line a response (answer key: script only)
    points: tuple[str, ...]  # 评估要点, one line a response (answer key: script only)

    @property
    def source(self) -> str:
        """``企业安全员（电话）``: who sends it in the story and how, as a card says it."""
        return f"{self.sender}（{self.medium}）" if self.medium else self.sender


def seats(scenario: Scenario) -> list[Seat]:
    """The seats of the room: every department a trainee can hold (the higher level is played by the 导调组),
    numbered in the scenario's order, as the console's join list offers them."""
    depts = [d for d in scenario.departments if d.kind != "higher_level"]
    return [Seat(n, d.id, d.name) for n, d in enumerate(depts, start=1)]


def msel_rows(scenario: Scenario) -> list[Row]:
    """The injects in the order of the drill (planned minute; those waiting on the hazard last), numbered from 1."""
    minutes = inject_times(scenario)
    order = sorted(enumerate(scenario.injects), key=lambda p: (minutes[p[1].id] is None, minutes[p[1].id] or 0.0, p[0]))
    by_dept = {s.dept: s for s in seats(scenario)}
    names = {d.id: d.name for d in scenario.departments}
    responses: dict[str, list] = {}
    for response in scenario.answer_key.inject_responses:
        responses.setdefault(response.inject, []).append(response)
    rows = []
    for number, (_, inject) in enumerate(order, start=1):
        minute = minutes[inject.id]
        medium, sender = split_source(inject.source)
        seat = by_dept.get(inject.to) or Seat(0, inject.to, names.get(inject.to, ""))
        answers = responses.get(inject.id, [])
        rows.append(
            Row(
                number=number,
                inject=inject,
                minute=minute,
                time=_time(scenario, inject, minute),
                medium=medium,
                sender=sender,
                seat=seat,
                condition=_condition(scenario, inject),
                expected=tuple(expected_text(scenario, r.expect) for r in answers),
                points=tuple(f"接到注入后{span(r.within)}内作出响应" for r in answers),
            )
        )
    return rows


def split_source(source: str) -> tuple[str, str]:
    """``化工园区管委会电话`` -> (``电话``, ``化工园区管委会``), as the Excel MSEL splits 注入方式 from 发送单位."""
    medium = next((m for m in SOURCE_MEDIA if source.endswith(m) and len(source) > len(m)), "")
    sender = source[: len(source) - len(medium)] if medium else source
    return medium, sender.strip() or ON_SCENE


def expected_text(scenario: Scenario, expect: list[str]) -> str:
    """An inject response's actions and measures in words: ``下达“紧急疏散”或调整措施``."""
    measures = {m.id: m.name for m in scenario.measures}
    parts = []
    for item in expect:
        if item in measures:
            parts.append(f"下达“{measures[item]}”")
        else:
            parts.append(ACTIONS[item].zh if item in ACTIONS else item)
    return "或".join(dict.fromkeys(parts))


def _time(scenario: Scenario, inject: Inject, minute: float | None) -> str:
    if minute is not None:
        return when(scenario.start_clock, minute)
    if inject.when is not None:
        return f"{condition_words(scenario, inject.when).zh}时"
    return "视情况"  # after an inject that waits on the hazard: no minute in advance


def _condition(scenario: Scenario, inject: Inject) -> str:
    """Why an inject may not be released: ``除非已下达“疏散群众”`` / ``仅当已向上级报告``; also, for an inject that
    follows another, which one (the card's time assumes it came on time)."""
    parts = []
    if inject.after is not None:
        parent = next((i.title for i in scenario.injects if i.id == inject.after), "")
        parts.append(f"“{parent}”注入后{span(inject.delay)}")
    for kind, cond in (("除非", inject.unless), ("仅当", inject.only_if)):
        if isinstance(cond, Condition):
            parts.append(f"{kind}{condition_words(scenario, cond).zh}")  # 除非已下达“…” / 仅当发生爆炸
    return "；".join(parts)


__all__ = ["ON_SCENE", "SEAT", "Row", "Seat", "expected_text", "msel_rows", "seats", "split_source"]
