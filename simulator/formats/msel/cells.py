"""Cell values of the Excel MSEL: what a cell may hold, how numbers, durations and text read out of it, and the
YAML flow values every structured cell also accepts (guarded against alias bombs and deep nesting).

Why apart from the codecs: the reader, the writer and every codec share these few rules (a number written so that
it reads back exactly, ``T+8分钟`` and ``1小时30分`` as minutes), and the limits that keep a hostile upload small.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from simulator.formats.durations import parse_minutes
from simulator.formats.loader import MAX_DEPTH
from simulator.vocabulary import ACTION_NAMES, ACTIONS

if TYPE_CHECKING:
    from simulator.formats.scenario import Scenario

MAX_CELL_CHARS = 32_767  # Excel's own limit
MAX_YAML_NODES = 100_000  # a YAML value (in a cell, or a whole upload) that expands past this is an alias bomb

#: action names a workbook may use in 预期行动 and 条件: each action's own name (vocabulary), and the other ways
#: people write it; the export always writes the ids
ACTION_BY_NAME = {name: action for action, name in ACTION_NAMES.items()} | {
    "研判": "assess",
    "通知": "notify",
    "指定现场指挥": "appoint_commander",
    "分配任务": "assign",
    "下达措施": "order",
    "向上报告": "report_up",
    "上报": "report_up",
    "结束响应": "close",
    "复盘总结": "review",
}

SPLIT_IDS = re.compile(r"[,，、;；\s]+")
SPLIT_NAMES = re.compile(r"[,，、;；\n]+")
SPLIT_PAIRS = re.compile(r"[,，;；\n]+")


# -- cell values ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bad:
    """A cell whose value cannot be had (a formula never computed, an Excel error value): reading it says why."""

    message: str


Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | Bad | None
OMIT = object()  # a blank cell: the field is left out (its default applies)
NO = object()  # a value the friendly form cannot carry


@dataclass
class Context:
    """What reading one cell may need from the rest of the workbook."""

    start_clock: str = "08:00"
    dept_ids: set[str] = field(default_factory=set)
    dept_by_name: dict[str, str] = field(default_factory=dict)
    measure_ids: set[str] = field(default_factory=set)
    measure_by_name: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: Scenario) -> Context:
        return cls(
            scenario.start_clock,
            {d.id for d in scenario.departments},
            unique_names((d.name, d.id) for d in scenario.departments),
            {m.id for m in scenario.measures},
            unique_names((m.name, m.id) for m in scenario.measures),
        )

    def dept(self, text: str) -> str:
        return text if text in self.dept_ids else self.dept_by_name.get(text, text)

    def expected(self, text: str) -> str:
        """An item of 预期行动: an action or measure id, or the name of either."""
        if text in self.measure_ids or text in ACTIONS:
            return text
        return self.measure_by_name.get(text) or ACTION_BY_NAME.get(text, text)

    def clock_minutes(self, hour: int, minute: int) -> float:
        match = re.fullmatch(r"(\d{2}):(\d{2})", self.start_clock)
        if not match:
            raise ValueError("无法把钟点换算为推演时间：基本信息中的开始时刻无效 (start_clock is not HH:MM)")
        start = int(match[1]) * 60 + int(match[2])
        return float((hour * 60 + minute - start) % (24 * 60))


def unique_names(pairs) -> dict[str, str]:
    """name -> id, leaving out names two items share (a name is only a shortcut when it is unambiguous)."""
    out: dict[str, str] = {}
    shared: set[str] = set()
    for name, ident in pairs:
        if name in out:
            shared.add(name)
        out[name] = ident
    return {k: v for k, v in out.items() if k not in shared}


def number_text(x: Any) -> str:
    """A number as text that reads back exactly: ``5`` rather than ``5.0``."""
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def number_cell(x: Any) -> Cell:
    """A number for a cell: kept numeric when Excel stores it exactly (openpyxl writes 16 digits), else text."""
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x if abs(x) < 10**15 else str(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            return repr(x)
        if x.is_integer() and abs(x) < 1e15:
            return int(x)
        return x if float(f"{x:.16g}") == x else repr(x)
    return NO


def cell_text(cell: Cell) -> str:
    """Any cell as the text a person sees in it."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Bad):
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int | float):
        return number_text(cell)
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ", timespec="minutes")
    if isinstance(cell, dt.time):
        return cell.strftime("%H:%M")
    return str(cell)


def cell_number(cell: Cell) -> int | float:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return cell
    text = cell_text(cell).strip().replace("，", "")
    percent = text.endswith(("%", "％"))
    text = text.rstrip("%％").strip()
    for cast in (int, float):
        try:
            value = cast(text)
        except ValueError:
            continue
        return value / 100 if percent else value
    raise ValueError(f"应为数字，而不是 {cell_text(cell)!r} (expected a number)")


def zh_minutes(minutes: float) -> str:
    """``95`` -> ``1小时35分钟``, ``3000`` -> ``2天2小时`` (a slow-onset drill runs for days); fractions of a minute
    stay as minutes."""
    if float(minutes).is_integer() and abs(minutes) < 1e15:
        days, rest = divmod(int(minutes), 24 * 60)
        hours, rest = divmod(rest, 60)
        text = "".join(f"{n}{unit}" for n, unit in ((days, "天"), (hours, "小时"), (rest, "分钟")) if n)
        return text or "0分钟"
    return f"{number_text(minutes)}分钟"


def cell_minutes(cell: Cell) -> float:
    """A duration as written: minutes, ``T+8分钟``, ``1小时30分``, ``5m``, ``1h30m``, or an Excel time ``0:30``."""
    if isinstance(cell, dt.timedelta):
        return parse_minutes(cell.total_seconds() / 60)
    if isinstance(cell, dt.time):
        return parse_minutes(cell.hour * 60 + cell.minute + cell.second / 60)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return parse_minutes(cell)
    if not isinstance(cell, str):
        raise ValueError(
            f"应为时长，如 T+8分钟、1小时30分钟 或分钟数，而不是 {cell_text(cell)!r} (expected a duration)"
        )
    try:
        return parse_minutes(float(cell.strip()))  # a plain number written as text, 1e-05 included
    except ValueError as exc:
        if "时间应在" in str(exc):
            raise
    text = re.sub(r"^\s*[Tt]\s*[+＋]\s*", "", cell.strip())
    text = text.replace("小时", "h").replace("分钟", "m").replace("时", "h").replace("分", "m").replace("内", "")
    try:
        return parse_minutes(text)
    except ValueError as exc:
        if "无法识别" not in str(exc):
            raise
        raise ValueError(
            f"无法识别的时间 {cell!r}，应为 T+8分钟、1小时30分钟、5m 或分钟数 (expected a duration)"
        ) from None


def flow_dump(value: Any, ascii_only: bool = False) -> str:
    return yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=not ascii_only, width=2**31 - 1, sort_keys=False
    ).strip()


def flow_load(text: str) -> Any:
    """A YAML value from a cell: ``yaml.safe_load`` that refuses alias bombs, deep nesting and every non-safe tag
    with a ValueError (never a RecursionError)."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                check_nodes(node)
            return None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except RecursionError:
        raise ValueError(f"嵌套过深 (nested more than {MAX_DEPTH} levels)") from None
    except yaml.MarkedYAMLError as exc:
        raise ValueError(f"YAML 语法错误 (syntax error): {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"YAML 错误 (YAML error): {exc}") from None


def check_nodes(root: yaml.Node) -> None:
    """Nesting depth and the size the value expands to (aliases counted every time they are used)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"嵌套超过 {MAX_DEPTH} 层 (nested too deeply)")
        if id(node) in sizes:
            continue
        children = (
            [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
            if isinstance(node, yaml.SequenceNode)
            else []
        )
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[id(node)] > MAX_YAML_NODES:
                raise ValueError("YAML 别名展开后过大 (aliases expand too far)")
            continue
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in sizes)


def split_once(text: str, seps: str) -> tuple[str, str, str]:
    positions = [i for i in (text.find(s) for s in seps) if i >= 0]
    if not positions:
        return text, "", ""
    i = min(positions)
    return text[:i], text[i], text[i + 1 :]


def inject_ref(text: str) -> str:
    text = text.strip()
    return f"i{text}" if text.isdigit() else text


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    return a == b
