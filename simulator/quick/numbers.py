"""Figures as people say them: 1500米, 1.5公里, 两公里, 十六台, 六成, 百分之六十, 12至15层, 三个小时, 半小时内,
死亡一人 — each turned into a value in the unit a measure's parameter declares (``ParamSpec.unit``: 米, 台, 支, 倍,
立方米/分钟; a share as a fraction), a time limit in minutes, or a casualty figure of a report.

Chinese numerals are read by ``cn2an`` (a maintained converter, "smart" mode: 一千五百, 两千, 一点五, 十六);
everything else here is which unit a word means and how it converts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = r"\d+(?:\.\d+)?"
_HANZI = r"[零〇一二两三四五六七八九十百千万点]+"
NUM = rf"(?:{_DIGITS}|{_HANZI})"
#: a spoken unit -> (the parameter unit it fills, factor to that unit)
UNITS: dict[str, tuple[str, float]] = {
    "公里": ("米", 1000.0),
    "千米": ("米", 1000.0),
    "km": ("米", 1000.0),
    "米": ("米", 1.0),
    "m": ("米", 1.0),
    "台": ("台", 1.0),
    "辆": ("台", 1.0),
    "部": ("台", 1.0),
    "支": ("支", 1.0),
    "只": ("支", 1.0),  # 六只水枪: the homophone a fast typist types for 支
    "把": ("支", 1.0),
    "倍": ("倍", 1.0),
}
#: casualty words -> the figure of a report (ReportUp.dead, injured, missing, trapped)
CASUALTIES: dict[str, str] = {
    "死亡": "dead",
    "遇难": "dead",
    "受伤": "injured",
    "伤": "injured",
    "失联": "missing",
    "失踪": "missing",
    "被困": "trapped",
}
_CASUALTY = "|".join(sorted(CASUALTIES, key=len, reverse=True))
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("flow", re.compile(rf"每分钟({NUM})立方米|({NUM})(?:立方米|方)(?:/|每)分钟")),
    ("floors", re.compile(rf"第?({NUM})层?(?:至|到|-|~|—|－)第?({NUM})层")),
    ("within", re.compile(rf"(半|{NUM}个半|{NUM}个?)(小时|钟头|分钟|分)(?:以内|之内|内)")),
    ("duration", re.compile(rf"(半|{NUM}个半|{NUM}个?)(小时|钟头|分钟)")),
    ("percent", re.compile(rf"百分之({NUM})|({NUM})\s*[%％]|({NUM})成")),
    ("casualty", re.compile(rf"(?:({_CASUALTY})({NUM})[人名])|(?:({NUM})[人名]({_CASUALTY}))")),
    ("floor", re.compile(rf"第?({NUM})层")),
    ("amount", re.compile(rf"({NUM})\s*(公里|千米|km|米|m(?![a-z])|台|辆|部|支|只|把|倍)")),
]


@dataclass(frozen=True)
class Figure:
    """One figure said: where it is in the text, what kind (``amount`` with its parameter unit, ``within`` /
    ``duration`` in minutes, ``percent`` as a fraction, ``floors`` as (from, to), ``floor``, ``casualty`` with
    its report field, ``flow`` in 立方米/分钟)."""

    start: int
    end: int
    kind: str
    value: float | tuple[int, int]
    unit: str = ""


def number(text: str) -> float | None:
    """A number written in digits or in Chinese numerals (1500, 1.5, 一千五百, 两, 十六, 一点五), or ``None``."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(_DIGITS, text):
        return float(text)
    import cn2an  # here, not at import: the command line and the pages load this module without reading numbers

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def _minutes(amount: str, unit: str) -> float | None:
    if amount == "半":
        value = 0.5
    elif amount.endswith("个半"):
        whole = number(amount.removesuffix("个半"))
        value = None if whole is None else whole + 0.5
    else:
        value = number(amount.removesuffix("个"))
    if value is None:
        return None
    return value * (60 if unit in ("小时", "钟头") else 1)


def figures(text: str) -> list[Figure]:
    """Every figure in ``text``, left to right, none overlapping (the earlier pattern wins a contested span)."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            figure = _read(kind, match)
            if figure is not None:
                found.append(Figure(start, end, *figure))
                taken.append((start, end))
    return sorted(found, key=lambda f: f.start)


def _read(kind: str, match: re.Match[str]) -> tuple[str, float | tuple[int, int], str] | None:
    groups = [g for g in match.groups() if g is not None]
    if kind in ("within", "duration"):
        minutes = _minutes(groups[0], groups[1])
        return None if minutes is None else (kind, minutes, "分钟")
    if kind == "floors":
        low, high = number(groups[0]), number(groups[1])
        if low is None or high is None:
            return None
        return ("floors", (int(min(low, high)), int(max(low, high))), "层")
    if kind == "floor":
        value = number(groups[0])
        return None if value is None else ("floor", value, "层")
    if kind == "percent":
        value = number(groups[0])
        if value is None:
            return None
        return ("percent", value / 10 if match.group(0).endswith("成") else value / 100, "%")
    if kind == "casualty":
        word, amount = (groups[0], groups[1]) if groups[0] in CASUALTIES else (groups[1], groups[0])
        value = number(amount)
        return None if value is None else ("casualty", value, CASUALTIES[word])
    if kind == "flow":
        value = number(groups[0])
        return None if value is None else ("amount", value, "立方米/分钟")
    value = number(groups[0])
    if value is None:
        return None
    unit, factor = UNITS[groups[1]]
    return ("amount", value * factor, unit)
