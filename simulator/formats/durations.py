"""Sim-time durations as people write them in files: ``5m``, ``1h30m``, ``90`` (minutes), ``2.5``.

How sim time is *shown* to people (``T+45（08:55）``) is ``simulator.vocabulary``'s."""

from __future__ import annotations

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
