"""Sim-time durations as people write them in files: ``5m``, ``1h30m``, ``90`` (minutes), ``2.5``, and as a Chinese
author writes them in a YAML file or an Excel MSEL: ``15分钟``, ``15分``, ``1小时``, ``1小时30分``, ``1.5小时``.

How sim time is *shown* to people (``T+45（08:55）``) is ``simulator.vocabulary``'s."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator

_HOURS = r"(?:h|个小时|小时)"
_MINUTES = r"(?:min|m|分钟|分)"
_DURATION = re.compile(
    rf"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*{_HOURS})?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*{_MINUTES}?)?\s*$", re.IGNORECASE
)
#: what every refusal names as the forms a duration may take
_EXPECTED = "应为 5m、1h30m、15分钟、1小时30分 或分钟数 (expected a duration like 5m, 1h30m or minutes)"
MAX_MINUTES = 7 * 24 * 60  # a drill longer than a week of sim time is a typo


def parse_minutes(value: object) -> float:
    """Return minutes of sim time; raise ValueError with the expected forms."""
    if isinstance(value, bool):
        raise ValueError(f"应为时间：{_EXPECTED}")
    if isinstance(value, int | float):
        minutes = float(value)
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if not value.strip() or not match or not (match["h"] or match["m"]):
            raise ValueError(f"无法识别的时间 {value!r}，{_EXPECTED}")
        minutes = float(match["h"] or 0) * 60 + float(match["m"] or 0)
    else:
        raise ValueError(f"应为时间：{_EXPECTED}")
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
