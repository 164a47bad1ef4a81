"""Sim-time durations as people write them: ``5m``, ``1h30m``, ``90`` (minutes), ``2.5``; and sim minutes as the
wall clock people read (``08:42``, ``次日01:10``)."""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import BeforeValidator

_DURATION = re.compile(r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h)?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*(?:m|min)?)?\s*$")
MAX_MINUTES = 7 * 24 * 60  # a drill longer than a week of sim time is a typo


def parse_minutes(value: object) -> float:
    """Return minutes of sim time; raise ValueError with the expected forms."""
    if isinstance(value, bool):
        raise ValueError("应为时间，如 5m、1h30m 或分钟数 (expected a duration like 5m, 1h30m or minutes)")
    if isinstance(value, int | float):
        minutes = float(value)
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if not value.strip() or not match or not (match["h"] or match["m"]):
            raise ValueError(
                f"无法识别的时间 {value!r}，应为 5m、1h30m 或分钟数 (expected a duration like 5m, 1h30m or minutes)"
            )
        minutes = float(match["h"] or 0) * 60 + float(match["m"] or 0)
    else:
        raise ValueError("应为时间，如 5m、1h30m 或分钟数 (expected a duration like 5m, 1h30m or minutes)")
    if not 0 <= minutes <= MAX_MINUTES:
        raise ValueError(f"时间应在 0 到 {MAX_MINUTES} 分钟之间 (expected 0..{MAX_MINUTES} minutes)")
    return minutes


def format_minutes(minutes: float) -> str | float:
    """The inverse of parse_minutes for plans we export: whole minutes as ``5m``, others as a plain number."""
    if float(minutes).is_integer():
        whole = int(minutes)
        hours, rest = divmod(whole, 60)
        if hours and rest:
            return f"{hours}h{rest}m"
        return f"{hours}h" if hours else f"{rest}m"
    return float(minutes)


Minutes = Annotated[float, BeforeValidator(parse_minutes)]


def minute_of(t: float) -> int:
    """The whole minute a sim time falls in (T+42.3 is the 42nd minute, as a wall clock would show it)."""
    return math.floor(t + 1e-9)


def clock_text(start_clock: str, t: float) -> str:
    """The wall clock at sim minute ``t`` given the clock at T+0, e.g. ``08:52``; later days say so."""
    hours, minutes = (int(x) for x in start_clock.split(":"))
    total = hours * 60 + minutes + minute_of(t)
    day, rest = divmod(total, 24 * 60)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    if day == 1:
        return f"次日{text}"
    if day > 1:
        return f"第{day + 1}日{text}"
    return text
