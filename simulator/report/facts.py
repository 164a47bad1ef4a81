"""The drill's own facts, which no event log holds: when and where it was held, who organised, directed and
evaluated it, who took part and what it set out to test.

Why a separate model: the national drill guide asks a drill summary for 演练目标、时间地点、组织、参演单位和人员, and
the simulator cannot know them. They come from the drill record and a short form on the report page; whatever is
missing the report writes as ``【待补充】`` (``blocks.TODO``) so the human who finishes the draft sees the gap.
Every string and list is bounded, because the form is user input that ends up in a document.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from simulator.printable import checked

#: a short name (a unit, a person, a place)
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
#: one sentence (an objective)
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
#: the two titles a drill's write-up may carry
TITLE_KINDS: tuple[str, ...] = ("调研报告", "演练总结评估报告")


class Participant(BaseModel):
    """A participating unit, how many of its people took part and (optionally) who."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Name
    people: int | None = Field(default=None, ge=0, le=100_000)
    names: tuple[Name, ...] = Field(default=(), max_length=50)

    @field_validator("unit", "names")
    @classmethod
    def _printable(cls, value):
        """Nothing the report cannot hold: every fact is one line of it (``simulator.printable``)."""
        return checked(value, multiline=False)


class DrillFacts(BaseModel):
    """What the report's 一、基本情况 needs beyond the log, and the 整改 deadline offset.

    ``deadline_days`` is how many days after the drill date the rectifications fall due (the 整改台账's 完成时限);
    without a date the deadline is 【待补充】.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date | None = None
    venue: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    organiser: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] = ""
    director: tuple[Name, ...] = Field(default=(), max_length=20)  # 导调组: names or units
    evaluators: tuple[Name, ...] = Field(default=(), max_length=20)  # 评估组
    participants: tuple[Participant, ...] = Field(default=(), max_length=50)
    objectives: tuple[Sentence, ...] = Field(default=(), max_length=10)  # 演练目标
    title_kind: Literal["调研报告", "演练总结评估报告"] = "调研报告"
    deadline_days: int = Field(default=30, ge=1, le=365)

    @field_validator("venue", "organiser", "director", "evaluators", "objectives")
    @classmethod
    def _printable(cls, value):
        """Nothing the report cannot hold: every fact is one line of it (``simulator.printable``)."""
        return checked(value, multiline=False)

    def deadline(self) -> dt.date | None:
        """The date the rectifications are due: the drill date plus ``deadline_days`` (None without a date)."""
        return self.date + dt.timedelta(days=self.deadline_days) if self.date is not None else None


def date_text(day: dt.date | None, missing: str) -> str:
    """``2025年7月15日`` as an official document writes a date, or ``missing`` when there is none."""
    return f"{day.year}年{day.month}月{day.day}日" if day is not None else missing


__all__ = ["TITLE_KINDS", "DrillFacts", "Participant", "date_text"]
