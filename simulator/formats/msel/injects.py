"""The MSEL row's cells that map onto several fields: 时间 (``at`` or ``after`` + ``delay``), 注入方式 + 发送单位
(``source``), 预期行动 + 评估要点 (the answer key's inject responses), and the title taken from 情景内容.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from simulator.formats.msel.cells import Bad, Cell, Context, cell_minutes, cell_text, flow_load, inject_ref, zh_minutes
from simulator.formats.msel.codecs import Idents

#: 时间 of an inject released when the hazard's state says so: ``触发：explosion``, ``触发：explosion@a_basement``,
#: ``触发：depth@s_metro > 0.3``, ``触发：rain_mm_h < 5``
TRIGGER = "触发"
_TRIGGER = re.compile(
    r"(?:触发|when)\s*[:：]?\s*([A-Za-z][A-Za-z0-9_]*)(?:\s*@\s*([A-Za-z][A-Za-z0-9_]*))?"
    r"(?:\s*([<>])\s*(-?\d+(?:\.\d+)?(?:[eE]-?\d+)?))?"
)


def read_trigger(text: str) -> dict[str, Any] | None:
    """``触发：depth@s_metro > 0.3`` -> ``{figure: depth, site: s_metro, above: 0.3}`` (None: not that form)."""
    match = _TRIGGER.fullmatch(text.strip())
    if not match:
        return None
    name, site, op, number = match.groups()
    when: dict[str, Any] = {"hazard": name} if op is None else {"figure": name}
    if site:
        when["site"] = site
    if op is not None:
        when["above" if op == ">" else "below"] = float(number)
    return when


def trigger_text(when: dict[str, Any]) -> str | None:
    """A hazard condition in the MSEL's own words, ``触发：explosion@a_basement`` (None: not a hazard one)."""
    return _trigger_text(when)


def _trigger_text(when: dict[str, Any]) -> str | None:
    """A hazard ``when`` in the 时间 cell's own words (None: a decision condition, written as YAML)."""
    site = f"@{when['site']}" if when.get("site") else ""
    if set(when) <= {"hazard", "site"} and "hazard" in when:
        return f"{TRIGGER}：{when['hazard']}{site}"
    if set(when) <= {"figure", "site", "above", "below"} and "figure" in when:
        op, value = (">", when["above"]) if "above" in when else ("<", when.get("below"))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"{TRIGGER}：{when['figure']}{site} {op} {value!r}"
    return None


def time_text(value: dict[str, Any]) -> str | None:
    if isinstance(value.get("when"), dict) and value.get("delay", 0.0) == 0 and set(value) <= {"when", "delay"}:
        return _trigger_text(value["when"])
    at, after, delay = value.get("at"), value.get("after"), value.get("delay", 0.0)
    if after is None and at is not None and delay == 0:
        return f"T+{zh_minutes(at)}"
    if at is None and after is not None:
        return f"{after} 后 {zh_minutes(delay)}" if delay else f"{after} 后"
    return None


def read_time(cell: Cell, ctx: Context) -> dict[str, Any]:
    """时间: ``T+8分钟`` (at), ``08:18`` (a clock time, from the start clock), ``i09 后 30分钟`` (after + delay),
    ``触发：depth@s_metro > 0.3`` (when the hazard's state says so)."""
    if isinstance(cell, Bad):
        raise ValueError(cell.message)
    if isinstance(cell, dt.time | dt.datetime):
        return {"at": ctx.clock_minutes(cell.hour, cell.minute), "delay": 0.0}
    if not isinstance(cell, str):
        return {"at": cell_minutes(cell), "delay": 0.0}
    text = cell.strip()
    if text.startswith("{"):
        value = flow_load(text)
        if not isinstance(value, dict) or not set(value) <= {"at", "after", "delay", "when"}:
            raise ValueError("应为 {at: …}、{after: …, delay: …} 或 {when: …} (expected at, after, delay or when)")
        return {"delay": 0.0, **value}
    when = read_trigger(text)
    if when is not None:
        return {"when": when, "delay": 0.0}
    match = re.fullmatch(r"([A-Za-z0-9_]+)\s*(?:之后|后|after)\s*(.*)", text)
    if match:
        return {"after": inject_ref(match[1]), "delay": cell_minutes(match[2]) if match[2].strip() else 0.0}
    match = re.fullmatch(r"(\d{1,2})[:：](\d{2})", text)
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise ValueError(f"无效的钟点 {text!r} (not a time of day)")
        return {"at": ctx.clock_minutes(hour, minute), "delay": 0.0}
    return {"at": cell_minutes(text), "delay": 0.0}


def read_source(medium: Cell, sender: Cell) -> str | None:
    """注入方式 + 发送单位 -> ``source`` (None: both blank, the default 现场 applies)."""
    for cell in (medium, sender):
        if isinstance(cell, Bad):
            raise ValueError(cell.message)
    parts = ["" if c == '""' else cell_text(c) for c in (sender, medium) if c is not None]
    return "".join(parts) if parts else None


def read_responses(inject: str, expect: Cell, within: Cell, ctx: Context) -> list[dict[str, Any]]:
    """预期行动 (one response a line) and 评估要点 (each one's window, line by line) -> inject responses."""
    for cell in (expect, within):
        if isinstance(cell, Bad):
            raise ValueError(cell.message)
    if isinstance(expect, str) and expect.lstrip().startswith(("[", "{")):
        value = flow_load(expect)
        if within is not None and cell_text(within).strip():
            raise ValueError("预期行动写作 YAML 时，评估要点应留空 (leave 评估要点 empty)")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ValueError("应为 [{expect: [...], within: …}] (expected a list of responses)")
        return [{"inject": inject, **v} for v in value]
    lines = [s for s in cell_text(expect).splitlines() if s.strip()] if expect is not None else []
    windows = [s for s in cell_text(within).splitlines() if s.strip()] if within is not None else []
    if len(windows) > len(lines):
        raise ValueError("评估要点的行数多于预期行动 (more windows than expected responses)")
    out = []
    for i, line in enumerate(lines):
        response: dict[str, Any] = {"inject": inject, "expect": Idents("expected").read(line, ctx)}
        if i < len(windows):
            try:
                response["within"] = _window(windows[i])
            except ValueError as exc:
                raise WindowError(str(exc)) from None
        else:
            response["within"] = 20.0
        out.append(response)
    return out


class WindowError(ValueError):
    """The problem is in 评估要点, not in 预期行动."""


def first_clause(text: str, limit: int = 30) -> str:
    """A title for an inject written without one: its first sentence, cut at a comma when that is too long."""
    sentence = re.split(r"[。！？；\n]", text.strip(), maxsplit=1)[0].strip()
    if len(sentence) <= limit:
        return sentence
    cut = max(sentence.rfind(mark, 0, limit) for mark in "，,、")
    return sentence[:cut] if cut > 0 else sentence[:limit]


def _window(text: str) -> float:
    """``20分钟内响应``, ``1小时内``, ``15m``, ``30``: the first duration in the text."""
    text = text.strip()
    try:
        return cell_minutes(text)
    except ValueError:
        pass
    match = re.search(r"\d+(?:\.\d+)?\s*(?:小时|h)(?:\s*\d+(?:\.\d+)?\s*(?:分钟|分|min|m))?|\d+(?:\.\d+)?", text)
    if not match:
        raise ValueError(f"评估要点应写明响应时限，如“20分钟内响应”，而不是 {text!r} (expected a time window)")
    return cell_minutes(match[0])
