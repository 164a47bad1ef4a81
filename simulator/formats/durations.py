"""Sim-time durations as people write them in files: ``5m``, ``1h30m``, ``2d4h`` (days), ``90`` (minutes), ``2.5``,
and as a Chinese author writes them in a YAML file or an Excel MSEL: ``15分钟``, ``15分``, ``1小时``, ``1小时30分``,
``1.5小时``, ``2天4小时``, ``1日``. A slow-onset incident (a rainstorm warned of over days, a flood that recedes over a
week) is written in days, as its investigation report writes it.

How sim time is *shown* to people (``T+45（08:55）``) is ``simulator.vocabulary``'s."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator

_DAYS = r"(?:d|天|日)"
_HOURS = r"(?:h|个小时|小时)"
_MINUTES = r"(?:min|m|分钟|分)"
_DURATION = re.compile(
    rf"^\s*(?:(?P<d>\d+(?:\.\d+)?)\s*{_DAYS})?\s*(?:(?P<h>\d+(?:\.\d+)?)\s*{_HOURS})?"
    rf"\s*(?:(?P<m>\d+(?:\.\d+)?)\s*{_MINUTES}?)?\s*$",
    re.IGNORECASE,
)
#: what every refusal names as the forms a duration may take
_EXPECTED = (
    "应为 5m、1h30m、2d4h、15分钟、1小时30分、2天4小时 或分钟数 (expected a duration like 5m, 1h30m, 2d4h or minutes)"
)
#: The longest sim time a file may name. Slow-onset incidents run for days (a rainstorm warned of three days ahead,
#: a flood's recession, a 续报 cycle until the response closes), so a week was too short; beyond 30 days a drill is no
#: longer one incident's response but a recovery programme, and a larger number is a typo. Every cap on a duration
#: (a scenario's ``duration``, a plan's ``at``/``due``, the MSEL, the rubric's thresholds) is this one.
MAX_MINUTES = 30 * 24 * 60


def parse_minutes(value: object) -> float:
    """Return minutes of sim time; raise ValueError with the expected forms."""
    if isinstance(value, bool):
        raise ValueError(f"应为时间：{_EXPECTED}")
    if isinstance(value, int | float):
        minutes = float(value)
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if not value.strip() or not match or not (match["d"] or match["h"] or match["m"]):
            raise ValueError(f"无法识别的时间 {value!r}，{_EXPECTED}")
        minutes = float(match["d"] or 0) * 24 * 60 + float(match["h"] or 0) * 60 + float(match["m"] or 0)
    else:
        raise ValueError(f"应为时间：{_EXPECTED}")
    if not 0 <= minutes <= MAX_MINUTES:
        raise ValueError(f"时间应在 0 到 {MAX_MINUTES} 分钟之间 (expected 0..{MAX_MINUTES} minutes)")
    return minutes


def format_minutes(minutes: float) -> str | float:
    """The inverse of parse_minutes for plans we export: whole minutes as ``5m``, ``1h30m`` or ``2d4h``, others as a
    plain number."""
    if float(minutes).is_integer():
        days, rest = divmod(int(minutes), 24 * 60)
        hours, rest = divmod(rest, 60)
        text = "".join(f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (rest, "m")) if n)
        return text or "0m"
    return float(minutes)


Minutes = Annotated[float, BeforeValidator(parse_minutes)]
