"""Excel MSEL (情景注入表): a scenario as the workbook a district office edits, and back again, losslessly.

Export then import gives a Scenario equal to the original (``model_dump`` equality). Each cell is written in the
form people write by hand (``T+8分钟``, ``triangular(5, 8, 12)``, ``除非已下达 evacuate``) when that form reads
back to the same value; otherwise as a YAML flow value (``{at: 5, delay: 3}``), which every structured cell also
accepts. Import locates every problem as ``file.xlsx:情景注入!R5C3: 时间: message`` and then runs the same checks
as a YAML scenario (pydantic, then ``Scenario.reference_problems``).

Sheets (``*`` required on import; the others may be left out):

* 情景注入*  the MSEL, one inject a row: 序号 时间 注入方式 发送单位 接收单位 标题 情景内容 预期行动 评估要点 条件
  效果 揭示信息 (预期行动 and 评估要点 are the answer key's inject responses, one response a line)
* 基本信息*  id, title, clock, durations, command post and network rules (项目 | 值 | 说明)
* 部门*, 信道*, 措施, 信息  one department, channel, measure, fact a row
* 灾害参数*  the hazard model and its parameters (参数 | 值 | 说明); a list of objects (zones, sites …) has its own
  sheet ``灾害-<parameter>`` with one object a row
* 答案*  the answer key (项目 | 值); 答案措施 its fitting measures; 注入应对 inject responses kept apart from the MSEL
  (only written when the answer key lists them in another order than the injects)
* 填写说明  how each column is written; ignored on import

Nothing here imports Streamlit; the authoring page and the CLI (``export-xlsx``, ``import-xlsx``) call it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import re
import sys
import types
import warnings
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from inspect import isclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import openpyxl
import yaml
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel, BeforeValidator, TypeAdapter, ValidationError

from simulator.errors import FileFormatError, Problem
from simulator.formats import Scenario, load_scenario
from simulator.formats.common import Level
from simulator.formats.distributions import Fixed
from simulator.formats.durations import parse_minutes
from simulator.formats.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    _is_union_tag,
    _message,
    field_path,
    read_bytes,
    read_text,
)
from simulator.formats.plan import ACTION_NAMES, ACTIONS
from simulator.formats.scenario import KIND_NAMES, MEDIUM_NAMES
from simulator.hazards import REGISTRY

XLSX_SUFFIXES = (".xlsx", ".xlsm")
YAML_SUFFIXES = (".yaml", ".yml")
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024  # a 2 MB workbook that inflates past this is a zip bomb, not a scenario
MAX_ZIP_MEMBERS = 500
MAX_ROWS = 21_000  # a scenario has at most 20 000 channels; more rows than that is not a scenario
MAX_COLS = 60
MAX_MERGES = 5_000
MAX_CELL_CHARS = 32_767  # Excel's own limit
MAX_YAML_NODES = 100_000  # a YAML value (in a cell, or a whole upload) that expands past this is an alias bomb

INJECTS, INFO, DEPTS, CHANNELS, MEASURES, FACTS = "情景注入", "基本信息", "部门", "信道", "措施", "信息"
HAZARD, HAZARD_TABLE, KEY, KEY_MEASURES, RESPONSES, README = (
    "灾害参数",
    "灾害-",
    "答案",
    "答案措施",
    "注入应对",
    "填写说明",
)
SEE_SHEET = "见工作表"  # a hazard parameter whose objects are on a sheet of their own
IGNORED_HEADERS = ("备注", "说明", "注释")  # free notes a drill office keeps beside the script

#: trailing words of an inject's ``source`` that say how it arrives (注入方式); the rest is the sender (发送单位)
MEDIA = ("来电", "电话", "短信", "传真", "邮件", "微信", "视频", "书面", "口头", "对讲", "电台", "通报")
LEVEL_SHORT = {1: "Ⅰ级", 2: "Ⅱ级", 3: "Ⅲ级", 4: "Ⅳ级"}
DIST_ARGS = {
    "fixed": ("value",),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "lognormal": ("mean", "sd"),
    "exponential": ("mean",),
}
DIST_ALIASES = {
    "固定": "fixed",
    "均匀": "uniform",
    "三角": "triangular",
    "对数正态": "lognormal",
    "指数": "exponential",
}
EFFECT_VERBS = {
    "cut_channel": "中断信道",
    "restore_channel": "恢复信道",
    "set_hazard": "灾害参数",
    "add_casualties": "新增伤员",
    "add_dead": "新增死亡",
    "alert": "直接通知",
}
CONDITION_KINDS = {"unless": "除非", "only_if": "仅当"}
CONDITION_VERBS = {"measure_ordered": "下达", "measure_done": "完成", "action": "决策"}
CONDITION_SYNONYMS = {"采取": "action", "执行": "action"}
#: Chinese names of the decision actions (the report's and the console's wording), accepted for the ids in 预期行动
#: and 条件; the export always writes the ids
#: action names a workbook may use: each action's own name, and the other ways people write it
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

_LEVEL = TypeAdapter(Level)
_SPLIT_IDS = re.compile(r"[,，、;；\s]+")
_SPLIT_NAMES = re.compile(r"[,，、;；\n]+")
_SPLIT_PAIRS = re.compile(r"[,，;；\n]+")


# -- located problems ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CellProblem(Problem):
    """A problem in a workbook: ``line`` is the row; ``sheet`` and ``column`` say where on it.

    Printed as ``file.xlsx:情景注入!R5C3: 时间: message`` (R/C are Excel's 1-based row and column numbers).
    """

    sheet: str = ""
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f":{self.sheet}"
            if self.line is not None:
                where += f"!R{self.line}" + (f"C{self.column}" if self.column else "")
        elif self.line is not None:
            where += f":{self.line}"
        blank = "(行)" if self.sheet and self.line is not None else "(工作表)" if self.sheet else "(文件)"
        return f"{where}: {self.field or blank}: {self.message}"


@dataclass(frozen=True)
class Where:
    """A place in the workbook a field of the scenario came from (row and column may be unknown)."""

    sheet: str
    row: int | None = None
    column: int | None = None
    label: str = ""


# -- cell values ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bad:
    """A cell whose value cannot be had (a formula never computed, an Excel error value): reading it says why."""

    message: str


Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | Bad | None
_OMIT = object()  # a blank cell: the field is left out (its default applies)
_NO = object()  # a value the friendly form cannot carry


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
            _unique_names((d.name, d.id) for d in scenario.departments),
            {m.id for m in scenario.measures},
            _unique_names((m.name, m.id) for m in scenario.measures),
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


def _unique_names(pairs) -> dict[str, str]:
    """name -> id, leaving out names two items share (a name is only a shortcut when it is unambiguous)."""
    out: dict[str, str] = {}
    shared: set[str] = set()
    for name, ident in pairs:
        if name in out:
            shared.add(name)
        out[name] = ident
    return {k: v for k, v in out.items() if k not in shared}


def _fmt(x: Any) -> str:
    """A number as text that reads back exactly: ``5`` rather than ``5.0``."""
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _num(x: Any) -> Cell:
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
    return _NO


def _text(cell: Cell) -> str:
    """Any cell as the text a person sees in it."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Bad):
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int | float):
        return _fmt(cell)
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ", timespec="minutes")
    if isinstance(cell, dt.time):
        return cell.strftime("%H:%M")
    return str(cell)


def _number(cell: Cell) -> int | float:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return cell
    text = _text(cell).strip().replace("，", "")
    percent = text.endswith(("%", "％"))
    text = text.rstrip("%％").strip()
    for cast in (int, float):
        try:
            value = cast(text)
        except ValueError:
            continue
        return value / 100 if percent else value
    raise ValueError(f"应为数字，而不是 {_text(cell)!r} (expected a number)")


def _zh_minutes(minutes: float) -> str:
    """``95`` -> ``1小时35分钟``; fractions of a minute stay as minutes."""
    if float(minutes).is_integer() and abs(minutes) < 1e15:
        hours, rest = divmod(int(minutes), 60)
        if hours and rest:
            return f"{hours}小时{rest}分钟"
        return f"{hours}小时" if hours else f"{rest}分钟"
    return f"{_fmt(minutes)}分钟"


def _minutes(cell: Cell) -> float:
    """A duration as written: minutes, ``T+8分钟``, ``1小时30分``, ``5m``, ``1h30m``, or an Excel time ``0:30``."""
    if isinstance(cell, dt.timedelta):
        return parse_minutes(cell.total_seconds() / 60)
    if isinstance(cell, dt.time):
        return parse_minutes(cell.hour * 60 + cell.minute + cell.second / 60)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return parse_minutes(cell)
    if not isinstance(cell, str):
        raise ValueError(f"应为时长，如 T+8分钟、1小时30分钟 或分钟数，而不是 {_text(cell)!r} (expected a duration)")
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


def _flow_dump(value: Any, ascii_only: bool = False) -> str:
    return yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=not ascii_only, width=2**31 - 1, sort_keys=False
    ).strip()


def _flow_load(text: str) -> Any:
    """A YAML value from a cell, refusing aliases that expand, absurd nesting and every non-safe tag."""
    return safe_yaml(text)


def safe_yaml(text: str) -> Any:
    """``yaml.safe_load`` that refuses alias bombs and deep nesting with a ValueError (never a RecursionError)."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_nodes(node)
            return None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except RecursionError:
        raise ValueError(f"嵌套过深 (nested more than {MAX_DEPTH} levels)") from None
    except yaml.MarkedYAMLError as exc:
        raise ValueError(f"YAML 语法错误 (syntax error): {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"YAML 错误 (YAML error): {exc}") from None


def _check_nodes(root: yaml.Node) -> None:
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


# -- codecs: one per kind of cell ----------------------------------------------------------------------------------
class Codec:
    """How one kind of value is written in a cell and read back."""

    fallback = True  # a YAML flow value ({…} or […]) may stand in for the friendly form
    free_text = False  # only an empty cell is blank; the text is kept exactly
    note = ""

    def write(self, value: Any, ctx: Context) -> Cell | object:
        raise NotImplementedError

    def read(self, cell: Cell, ctx: Context) -> Any:
        raise NotImplementedError

    def blank(self, cell: Cell) -> bool:
        if cell is None:
            return True
        return not self.free_text and isinstance(cell, str) and not cell.strip()


class Text(Codec):
    fallback = False
    free_text = True
    note = '原样填写；单独的 "" 表示空字符串'

    def write(self, value, ctx):
        if not isinstance(value, str):
            return _NO
        return '""' if value == "" else value

    def read(self, cell, ctx):
        return "" if cell == '""' else _text(cell)


class Ident(Codec):
    fallback = False
    note = "英文字母开头的编号，如 fire、c_duty_fire"

    def write(self, value, ctx):
        return value if isinstance(value, str) else _NO

    def read(self, cell, ctx):
        return _text(cell).strip()


class InjectId(Ident):
    note = "注入编号，如 i01；只写数字 3 时视为 i3"

    def read(self, cell, ctx):
        return _inject_ref(_text(cell))


class Dept(Ident):
    note = "部门编号，或部门名称（须与“部门”表一致）"

    def read(self, cell, ctx):
        return ctx.dept(_text(cell).strip())


class Idents(Codec):
    """A list of ids, ``fire, police``; ``lookup`` turns names into ids."""

    def __init__(self, lookup: str = "", note: str = "编号列表，用逗号或顿号分隔，如 fire, police"):
        self.lookup = lookup
        self.note = note

    def write(self, value, ctx):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return _NO
        return ", ".join(value)

    def read(self, cell, ctx):
        items = [s for s in _SPLIT_IDS.split(_text(cell).strip()) if s]
        if self.lookup == "dept":
            return [ctx.dept(s) for s in items]
        if self.lookup == "expected":
            return [ctx.expected(s) for s in items]
        return items


class Names(Codec):
    note = "名称列表，用顿号分隔，如 综合协调组、抢险救援组"

    def write(self, value, ctx):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return _NO
        return "、".join(value)

    def read(self, cell, ctx):
        return [s.strip() for s in _SPLIT_NAMES.split(_text(cell)) if s.strip()]


class Minutes(Codec):
    fallback = False
    note = "时长：分钟数，或 30分钟、1小时30分钟、5m、1h30m"

    def write(self, value, ctx):
        if not isinstance(value, int | float):
            return _NO
        text = _zh_minutes(value)
        return _num(value) if "e" in text else text  # 1e-05 minutes: a plain number of minutes

    def read(self, cell, ctx):
        return _minutes(cell)


class Number(Codec):
    fallback = False
    note = "数字"

    def write(self, value, ctx):
        return _num(value)

    def read(self, cell, ctx):
        return _number(cell)


class Boolean(Codec):
    fallback = False
    note = "是 或 否"
    TRUE = frozenset({"是", "true", "yes", "y", "1", "对", "√"})
    FALSE = frozenset({"否", "false", "no", "n", "0", "不", "×"})

    def write(self, value, ctx):
        return ("是" if value else "否") if isinstance(value, bool) else _NO

    def read(self, cell, ctx):
        if isinstance(cell, bool):
            return cell
        text = _text(cell).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"应为 是 或 否，而不是 {_text(cell)!r} (expected yes or no)")


class Choice(Codec):
    """A fixed vocabulary, written by its Chinese name; the English id is accepted too."""

    fallback = False

    def __init__(self, names: dict[str, str]):
        self.names = names
        self.ids = {v: k for k, v in names.items()}
        self.note = "、".join(names.values())

    def write(self, value, ctx):
        return self.names.get(value, _NO)

    def read(self, cell, ctx):
        text = _text(cell).strip()
        if text in self.names:
            return text
        if text in self.ids:
            return self.ids[text]
        raise ValueError(f"取值无效 {text!r}，应为 {self.note} 之一 (expected one of {', '.join(self.names)})")


class Clock(Codec):
    fallback = False
    note = "钟点 HH:MM，如 08:10"

    def write(self, value, ctx):
        return value if isinstance(value, str) and value else _NO

    def read(self, cell, ctx):
        if isinstance(cell, dt.time | dt.datetime):
            return f"{cell.hour:02d}:{cell.minute:02d}"
        text = _text(cell).strip().replace("：", ":")
        match = re.fullmatch(r"(\d):(\d{2})", text)
        return f"0{text}" if match else text


class Dist(Codec):
    note = "分钟数（固定），或 triangular(低, 众数, 高)、uniform(低, 高)、lognormal(均值, 标准差)、exponential(均值)"

    def write(self, value, ctx):
        if not isinstance(value, dict) or value.get("dist") not in DIST_ARGS:
            return _NO
        args = DIST_ARGS[value["dist"]]
        if set(value) != {"dist", *args}:
            return _NO
        if value["dist"] == "fixed":
            return _num(value["value"])
        return f"{value['dist']}({', '.join(_fmt(value[a]) for a in args)})"

    def read(self, cell, ctx):
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return {"dist": "fixed", "value": cell}
        text = _text(cell).strip()
        try:
            return {"dist": "fixed", "value": _number(text)}
        except ValueError:
            pass
        match = re.fullmatch(r"([A-Za-z\u4e00-\u9fff]+)\s*[（(]\s*(.*?)\s*[)）]", text)
        name = DIST_ALIASES.get(match[1], match[1].lower()) if match else None
        if name not in DIST_ARGS:
            raise ValueError(f"无法识别的分布 {text!r}，应为{self.note} (expected a number or a distribution)")
        args = DIST_ARGS[name]
        values = [_number(v) for v in _SPLIT_IDS.split(match[2]) if v]
        if len(values) != len(args):
            raise ValueError(f"{name} 应有 {len(args)} 个参数 ({', '.join(args)})，而不是 {len(values)} 个")
        return {"dist": name, **dict(zip(args, values, strict=True))}


class Pairs(Codec):
    """``crews=2, vehicles=3``: a mapping of names to numbers."""

    note = "名称=数量，用逗号分隔，如 crews=2, vehicles=3"

    def write(self, value, ctx):
        if not isinstance(value, dict):
            return _NO
        return ", ".join(f"{k}={_fmt(v)}" for k, v in value.items())

    def read(self, cell, ctx):
        out: dict[str, Any] = {}
        for item in (s for s in _SPLIT_IDS.split(_text(cell).strip()) if s):
            key, sep, value = _split_once(item, "=:：×*")
            if not sep or not key:
                raise ValueError(f"应写作 名称=数量，如 crews=2，而不是 {item!r}")
            if key in out:
                raise ValueError(f"重复的名称 {key!r} (duplicate)")
            out[key] = _number(value)
        return out


class Reveals(Codec):
    """One ``主题：内容`` a line."""

    note = "每行一条“主题：内容”，如 风向：东南风"

    def write(self, value, ctx):
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return _NO
        return "\n".join(f"{k}：{v}" for k, v in value.items())

    def read(self, cell, ctx):
        out: dict[str, str] = {}
        for line in (s for s in _text(cell).splitlines() if s.strip()):
            match = re.match(r"([^:：]*)[:：](.*)", line)
            if not match or not match[1].strip():
                raise ValueError(f"应写作“主题：内容”，而不是 {line.strip()!r}")
            key = match[1].strip()
            if key in out:
                raise ValueError(f"重复的主题 {key!r} (duplicate)")
            out[key] = match[2].strip()
        return out


class LevelCell(Codec):
    fallback = False
    note = "Ⅰ级、Ⅱ级、Ⅲ级、Ⅳ级（或 1-4）"

    def write(self, value, ctx):
        return LEVEL_SHORT.get(value, _NO)

    def read(self, cell, ctx):
        return _level(cell)


def _level(cell: Cell) -> int:
    text = _text(cell).strip()
    text = re.sub(r"[（(].*[)）]$", "", text)  # 'Ⅲ级（较大）'
    try:
        return _LEVEL.validate_python(text)
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


class Deadlines(Codec):
    note = "各级别的时限（分钟），如 Ⅰ级=30, Ⅱ级=30, Ⅲ级=30, Ⅳ级=30"

    def write(self, value, ctx):
        if not isinstance(value, dict) or not all(k in LEVEL_SHORT for k in value):
            return _NO
        return ", ".join(f"{LEVEL_SHORT[k]}={_fmt(v)}" for k, v in value.items())

    def read(self, cell, ctx):
        out: dict[int, Any] = {}
        for item in (s.strip() for s in _SPLIT_NAMES.split(_text(cell)) if s.strip()):
            key, sep, value = _split_once(item, "=:：")
            if not sep:
                raise ValueError(f"应写作 级别=分钟，如 Ⅲ级=30，而不是 {item!r}")
            level = _level(key)
            if level in out:
                raise ValueError(f"重复的级别 {key!r} (duplicate)")
            out[level] = _number(value.strip().removesuffix("分钟").strip())
        return out


class KeyParams(Codec):
    note = "参数=取值±容差，如 radius_m=1500±500"

    def write(self, value, ctx):
        if not isinstance(value, dict):
            return _NO
        parts = []
        for k, v in value.items():
            if not isinstance(v, dict) or set(v) != {"value", "tolerance"}:
                return _NO
            parts.append(f"{k}={_fmt(v['value'])}" + (f"±{_fmt(v['tolerance'])}" if v["tolerance"] else ""))
        return ", ".join(parts)

    def read(self, cell, ctx):
        out: dict[str, Any] = {}
        for item in (s.strip() for s in _SPLIT_PAIRS.split(_text(cell)) if s.strip()):
            match = re.fullmatch(r"(.+?)\s*[=:：]\s*([^±]+?)\s*(?:(?:±|\+/-|\+-)\s*(.+))?", item)
            if not match:
                raise ValueError(f"应写作 参数=取值±容差，如 radius_m=1500±500，而不是 {item!r}")
            if match[1] in out:
                raise ValueError(f"重复的参数 {match[1]!r} (duplicate)")
            out[match[1]] = {"value": _number(match[2]), "tolerance": _number(match[3]) if match[3] else 0.0}
        return out


class Effects(Codec):
    """One effect a line: ``中断信道 c1``, ``灾害参数 wind_from_deg=135``, ``直接通知 fire, police`` …"""

    note = (
        "每行一项：中断信道 c1 / 恢复信道 c1 / 灾害参数 wind_from_deg=135 / 新增伤员 2 / 新增死亡 1 / "
        "直接通知 fire, police"
    )

    def write(self, value, ctx):
        if not isinstance(value, list):
            return _NO
        lines = []
        for effect in value:
            if not isinstance(effect, dict) or len(effect) != 1:
                return _NO
            [(key, arg)] = effect.items()
            verb = EFFECT_VERBS.get(key)
            if verb is None:
                return _NO
            if key == "alert":
                text = ", ".join(arg) if isinstance(arg, list) and all(isinstance(a, str) for a in arg) else _NO
            elif key == "set_hazard":
                text = ", ".join(f"{k}={_scalar_dump(v)}" for k, v in arg.items()) if isinstance(arg, dict) else _NO
            else:
                text = _fmt(arg) if isinstance(arg, int | float) else arg if isinstance(arg, str) else _NO
            if text is _NO:
                return _NO
            lines.append(f"{verb} {text}")
        return "\n".join(lines)

    def read(self, cell, ctx):
        out = []
        for line in (s.strip() for s in _text(cell).splitlines() if s.strip()):
            key, rest = _verb(line)
            if not rest:
                raise ValueError(f"{line!r} 缺少内容，如 {EFFECT_VERBS[key]} …")
            if key in ("cut_channel", "restore_channel"):
                out.append({key: rest})
            elif key in ("add_casualties", "add_dead"):
                out.append({key: _number(rest)})
            elif key == "alert":
                out.append({key: [ctx.dept(s) for s in _SPLIT_IDS.split(rest) if s]})
            elif rest.startswith("{"):
                out.append({key: _flow_load(rest)})
            else:
                pairs = {}
                for item in (s.strip() for s in _SPLIT_PAIRS.split(rest) if s.strip()):
                    name, sep, value = _split_once(item, "=")
                    if not sep or not name.strip():
                        raise ValueError(f"灾害参数应写作 参数=取值，如 wind_from_deg=135，而不是 {item!r}")
                    pairs[name.strip()] = _scalar_load(value.strip())
                out.append({key: pairs})
        return out


def _verb(line: str) -> tuple[str, str]:
    for key, verb in EFFECT_VERBS.items():
        for word in (verb, key):
            if line.startswith(word):
                return key, line[len(word) :].lstrip(" \t:：=")
    raise ValueError(f"无法识别的效果 {line!r}，应以 {'、'.join(EFFECT_VERBS.values())} 之一开头 (unknown effect)")


def _scalar_dump(value: Any) -> str:
    return _flow_dump([value])[1:-1]


def _scalar_load(text: str) -> Any:
    try:
        value = _flow_load(text)
    except ValueError:
        return text
    return value if isinstance(value, str | int | float | bool) else text


class Conditions(Codec):
    """``除非已下达 evacuate`` / ``仅当已完成 stop_leak`` / ``除非已决策 report_up``, one a line."""

    note = "每行一条：除非已下达 措施 / 除非已完成 措施 / 除非已决策 动作；“仅当”同理"

    def write(self, value, ctx):
        if not isinstance(value, dict):
            return _NO
        lines = []
        for kind, cond in value.items():
            if kind not in CONDITION_KINDS or not isinstance(cond, dict) or len(cond) != 1:
                return _NO
            [(what, arg)] = cond.items()
            if what not in CONDITION_VERBS or not isinstance(arg, str):
                return _NO
            lines.append(f"{CONDITION_KINDS[kind]}已{CONDITION_VERBS[what]} {arg}")
        return "\n".join(lines)

    def read(self, cell, ctx):
        kinds = {v: k for k, v in CONDITION_KINDS.items()} | {k: k for k in CONDITION_KINDS} | {"only if": "only_if"}
        verbs = {v: k for k, v in CONDITION_VERBS.items()} | {k: k for k in CONDITION_VERBS} | CONDITION_SYNONYMS
        kind_words, verb_words = "|".join(map(re.escape, kinds)), "|".join(map(re.escape, verbs))
        pattern = re.compile(rf"({kind_words})\s*[:：]?\s*已?\s*({verb_words})\s*[:：=]?\s*(.+)")
        out: dict[str, dict[str, str]] = {}
        for line in (s.strip() for s in _text(cell).splitlines() if s.strip()):
            match = pattern.fullmatch(line)
            if not match:
                raise ValueError(
                    f"无法识别的条件 {line!r}，"
                    "应写作“除非已下达 evacuate”“仅当已完成 stop_leak”或“除非已决策 report_up”"
                )
            kind, what, arg = kinds[match[1]], verbs[match[2]], match[3].strip()
            if kind in out:
                raise ValueError(f"“{CONDITION_KINDS[kind]}”条件只能写一条 (one {kind} condition per inject)")
            if what == "action":
                arg = ACTION_BY_NAME.get(arg, arg)
            else:
                arg = arg if arg in ctx.measure_ids else ctx.measure_by_name.get(arg, arg)
            out[kind] = {what: arg}
        return out


class AnyValue(Codec):
    """A hazard parameter: a string, a number or a flag as it is; anything structured as a YAML flow value."""

    def __init__(self, kind: str, note: str = ""):
        self.kind = kind  # "str", "scalar" or "structured"
        self.free_text = kind == "str"
        self.fallback = kind != "str"
        self.note = note

    def write(self, value, ctx):
        if self.kind == "structured" and not isinstance(value, str):
            return _flow_dump(value)
        if isinstance(value, str):
            return Text().write(value, ctx)
        return _num(value)

    def read(self, cell, ctx):
        if self.kind == "str":
            return Text().read(cell, ctx)
        if isinstance(cell, str):
            return "" if cell == '""' else cell
        return cell


def _split_once(text: str, seps: str) -> tuple[str, str, str]:
    positions = [i for i in (text.find(s) for s in seps) if i >= 0]
    if not positions:
        return text, "", ""
    i = min(positions)
    return text[:i], text[i], text[i + 1 :]


def _inject_ref(text: str) -> str:
    text = text.strip()
    return f"i{text}" if text.isdigit() else text


def _read_cell(codec: Codec, cell: Cell, ctx: Context) -> Any:
    """The value a cell stands for (``_OMIT`` when blank); ValueError when it cannot be read."""
    if isinstance(cell, Bad):
        raise ValueError(cell.message)
    if codec.blank(cell):
        return _OMIT
    if codec.fallback and isinstance(cell, str) and cell.lstrip().startswith(("{", "[")):
        return _flow_load(cell)
    return codec.read(cell, ctx)


def _write_cell(codec: Codec, value: Any, ctx: Context) -> Cell:
    """The friendly form of ``value`` when it reads back the same, else its YAML flow form; ValueError if neither."""
    if value is None:
        return None

    def candidates():
        yield codec.write(value, ctx)
        if codec.fallback:  # YAML escapes what Excel cannot store (control characters) when asked to stay ASCII
            yield _flow_dump(value)
            yield _flow_dump(value, ascii_only=True)

    unstorable = ""
    for cell in candidates():
        if cell is _NO:
            continue
        if isinstance(cell, str) and ILLEGAL_CHARACTERS_RE.search(cell):
            unstorable = "含有 Excel 无法保存的控制字符 (control characters Excel cannot store)"
            continue
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            unstorable = f"超过 Excel 单元格上限 {MAX_CELL_CHARS} 个字符 (too long for a cell)"
            continue
        try:
            if _same(_read_cell(codec, cell, ctx), value):
                return cell
        except ValueError:
            continue
    raise ValueError(unstorable or f"无法无损写入单元格：{_flow_dump(value)[:80]} (cannot be written losslessly)")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    return a == b


# -- the shape of each sheet ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: str
    key: str  # the field of the row's object (its alias), e.g. "from"
    codec: Codec
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 14
    omit: Any = _NO  # a value written as a blank cell (a default that reads back by itself)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, self.key, *self.aliases)


@dataclass(frozen=True)
class Table:
    sheet: str
    path: tuple[str, ...]
    columns: tuple[Column, ...]
    required: bool = False


@dataclass(frozen=True)
class Item:
    """A row of a key–value sheet."""

    label: str
    path: tuple[str, ...]
    codec: Codec
    note: str = ""
    omit: Any = _NO


TEXT, IDENT, DEPT, DIST, MINUTES, NUMBER, BOOL = Text(), Ident(), Dept(), Dist(), Minutes(), Number(), Boolean()

DEPT_TABLE = Table(
    DEPTS,
    ("departments",),
    (
        Column("编号", "id", IDENT, ("部门编号",), required=True, width=14),
        Column("名称", "name", TEXT, ("部门名称",), required=True, width=26),
        Column("类别", "kind", Choice(KIND_NAMES), required=True, width=10),
        Column("到场", "goes_to_scene", BOOL, ("是否到场",), width=8),
        Column("力量", "resources", Pairs(), ("资源",), width=24),
        Column("出动用时", "mobilise", DIST, width=22),
        Column("途中用时", "travel", DIST, width=22),
    ),
    required=True,
)
CHANNEL_TABLE = Table(
    CHANNELS,
    ("channels",),
    (
        Column("编号", "id", IDENT, ("信道编号",), required=True, width=18),
        Column("起点", "from", DEPT, ("发送方",), required=True),
        Column("终点", "to", DEPT, ("接收方",), required=True),
        Column("方式", "medium", Choice(MEDIUM_NAMES), ("通信方式",), required=True, width=10),
        Column("时延", "delay", DIST, ("时延（分钟）",), required=True, width=22),
        Column("可靠性", "reliability", NUMBER, width=8),
        Column("双向", "both_ways", BOOL, width=8),
    ),
    required=True,
)
MEASURE_TABLE = Table(
    MEASURES,
    ("measures",),
    (
        Column("编号", "id", IDENT, ("措施编号",), required=True, width=20),
        Column("名称", "name", TEXT, ("措施名称",), required=True, width=24),
        Column("执行部门", "departments", Idents("dept"), width=20),
        Column("用时", "duration", DIST, width=22),
        Column("需到场", "on_scene", BOOL, width=8),
    ),
)
FACT_TABLE = Table(
    FACTS,
    ("facts",),
    (
        Column("主题", "topic", TEXT, required=True, width=14),
        Column("掌握部门", "held_by", DEPT, required=True, width=14),
        Column("内容", "text", TEXT, required=True, width=70),
    ),
)
KEY_MEASURE_TABLE = Table(
    KEY_MEASURES,
    ("answer_key", "measures"),
    (
        Column("措施", "measure", IDENT, ("措施编号",), required=True, width=20),
        Column("执行部门", "departments", Idents("dept"), width=22),
        Column("参数", "params", KeyParams(), width=26),
        Column("下达时限", "by", MINUTES, width=14),
    ),
)
RESPONSE_TABLE = Table(
    RESPONSES,
    ("answer_key", "inject_responses"),
    (
        Column("注入", "inject", InjectId(), ("序号",), required=True, width=10),
        Column("预期行动", "expect", Idents("expected", "动作或措施编号，逗号分隔"), required=True, width=30),
        Column("时限", "within", MINUTES, ("响应时限",), width=14),
    ),
)
INFO_ITEMS = (
    Item("场景编号", ("id",), IDENT, "英文字母开头，如 hazchem_leak；也是文件名"),
    Item("版本", ("version",), TEXT),
    Item("标题", ("title",), TEXT),
    Item("事件概要", ("summary",), TEXT, omit=""),
    Item("地点", ("location",), TEXT, omit=""),
    Item("开始时刻", ("start_clock",), Clock(), "T+0 对应的钟点"),
    Item("推演时长", ("duration",), MINUTES),
    Item("采样间隔", ("sample_every",), MINUTES, "态势记入日志的间隔"),
    Item("任务用时", ("task_duration",), DIST, "分配任务的完成用时"),
    Item("指挥部开设用时", ("command_post", "setup"), DIST),
    Item("指挥部通信时延", ("command_post", "delay"), DIST),
    Item("指挥部通信可靠性", ("command_post", "reliability"), NUMBER, "0 到 1"),
    Item("重发间隔", ("network", "resend_after"), MINUTES, "无回音时多久重发"),
    Item("最多发送次数", ("network", "max_attempts"), NUMBER),
    Item("书面报告起草用时", ("network", "report_drafting"), DIST),
)
KEY_ITEMS = (
    Item("事件类型", ("answer_key", "event_type"), TEXT),
    Item("响应级别", ("answer_key", "level"), LevelCell()),
    Item("应参与部门", ("answer_key", "required_departments"), Idents("dept")),
    Item("现场指挥部门", ("answer_key", "commander_department"), DEPT),
    Item("工作组", ("answer_key", "working_groups"), Names()),
    Item("电话报告时限", ("answer_key", "report_deadlines", "phone"), Deadlines(), "各级别，分钟"),
    Item("书面报告时限", ("answer_key", "report_deadlines", "written"), Deadlines(), "各级别，分钟"),
)
#: the MSEL's columns, in order; 时间, 注入方式/发送单位, 预期行动/评估要点 and 条件 map onto several fields
INJECT_COLUMNS = (
    Column("序号", "id", InjectId(), ("编号", "注入编号"), required=True, width=8),
    Column("时间", "time", Codec(), ("注入时间",), required=True, width=16),
    Column("注入方式", "medium", TEXT, width=10),
    Column("发送单位", "sender", TEXT, ("来源",), width=18),
    Column("接收单位", "to", DEPT, ("接收部门",), required=True, width=14),
    Column("标题", "title", TEXT, ("情景标题",), width=22),
    Column("情景内容", "text", TEXT, ("内容", "注入内容"), required=True, width=60),
    Column("预期行动", "expect", Idents("expected"), ("预期响应",), width=26),
    Column("评估要点", "within", Codec(), ("评估时限",), width=18),
    Column("条件", "conditions", Conditions(), width=22),
    Column("效果", "effects", Effects(), width=30),
    Column("揭示信息", "reveals", Reveals(), ("揭示",), width=26),
)
COVERED = {
    *(i.path for i in (*INFO_ITEMS, *KEY_ITEMS)),
    *(t.path for t in (DEPT_TABLE, CHANNEL_TABLE, MEASURE_TABLE, FACT_TABLE, KEY_MEASURE_TABLE, RESPONSE_TABLE)),
    ("hazard",),
    ("injects",),
}
INJECT_FIELDS = {"id", "at", "after", "delay", "source", "to", "title", "text", "effects", "reveals", *CONDITION_KINDS}
NOTES = {
    "序号": InjectId.note,
    "时间": "T+8分钟、1小时30分钟、5m 或分钟数；08:18 为钟点（按开始时刻换算）；“i09 后 30分钟”表示在另一注入之后",
    "注入方式": "电话、短信、书面等；与发送单位连写即为来源，如 化工园区管委会 + 电话",
    "发送单位": "情景中的发送方，如 区气象局、12345热线；两列都空为“现场”",
    "接收单位": Dept.note,
    "标题": "空着时取情景内容的第一句",
    "预期行动": "答案：应对此注入的决策动作或措施编号，逗号分隔；多条应对各占一行",
    "评估要点": "答案：每条预期行动的时限，如“20分钟内响应”，与预期行动逐行对应；空着为 20 分钟",
}


# -- export --------------------------------------------------------------------------------------------------------
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="top")


class _Writer:
    def __init__(self, scenario: Scenario, name: str):
        self.scenario = scenario
        self.name = name
        self.ctx = Context.of(scenario)
        self.raw = scenario.model_dump(by_alias=True, exclude_none=True)
        self.problems: list[Problem] = []
        self.wb = openpyxl.Workbook()
        self.wb.remove(self.wb.active)

    def workbook(self) -> openpyxl.Workbook:
        responses_apart = not self._responses_follow_injects()
        self._injects(responses_apart)
        self._items(INFO, INFO_ITEMS)
        self._table(DEPT_TABLE, self.raw["departments"])
        self._table(CHANNEL_TABLE, self.raw["channels"])
        self._table(MEASURE_TABLE, self.raw["measures"])
        self._table(FACT_TABLE, self.raw["facts"])
        self._hazard()
        self._items(KEY, KEY_ITEMS)
        self._table(KEY_MEASURE_TABLE, self.raw["answer_key"]["measures"])
        if responses_apart:
            self._table(RESPONSE_TABLE, self.raw["answer_key"]["inject_responses"])
        self._readme()
        self._validations()
        self._uncovered(self.raw, ())
        if self.problems:
            raise FileFormatError(self.problems)
        return self.wb

    def _uncovered(self, data: dict[str, Any], path: tuple[str, ...]) -> None:
        """A field the workbook has no place for (a newer scenario format) must fail loudly, not vanish."""
        for key, value in data.items():
            here = (*path, key)
            if here in COVERED:
                continue
            if isinstance(value, dict) and any(c[: len(here)] == here for c in COVERED):
                self._uncovered(value, here)
            else:
                self._problem(here, "工作簿中没有此字段的位置 (no place for this field in the workbook)")

    # the inject responses sit on their inject's row when the answer key lists them in the injects' order
    def _responses_follow_injects(self) -> bool:
        index = {inj["id"]: i for i, inj in enumerate(self.raw["injects"])}
        positions = [index.get(r["inject"]) for r in self.raw["answer_key"]["inject_responses"]]
        return None not in positions and positions == sorted(positions)

    def _sheet(self, title: str, headers: list[tuple[str, int, str]]) -> Any:
        ws = self.wb.create_sheet(title)
        for c, (header, width, note) in enumerate(headers, start=1):
            cell = ws.cell(1, c, header)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, Alignment(vertical="center")
            if note:
                cell.comment = Comment(note, "推演模拟器", width=320, height=110)
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "A2"
        return ws

    def _put(self, ws, row: int, col: int, value: Any, loc: tuple[Any, ...]) -> None:
        if value is None:
            return
        if isinstance(value, str):
            if ILLEGAL_CHARACTERS_RE.search(value):
                self._problem(loc, "含有 Excel 无法保存的控制字符 (control characters Excel cannot store)")
                return
            if len(value) > MAX_CELL_CHARS:
                self._problem(loc, f"超过 Excel 单元格上限 {MAX_CELL_CHARS} 个字符 (too long for a cell)")
                return
        cell = ws.cell(row, col, value)
        if isinstance(value, str):
            cell.data_type = "s"  # text that starts with '=' stays text, never a formula
        cell.alignment = WRAP

    def _encode(self, codec: Codec, value: Any, loc: tuple[Any, ...], omit: Any = _NO) -> Cell:
        if omit is _NO:
            omit = _blank_default(loc)
        if omit is not _NO and _same(value, omit):
            return None
        try:
            return _write_cell(codec, value, self.ctx)
        except ValueError as exc:
            self._problem(loc, str(exc))
            return None

    def _problem(self, loc: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.name, None, field_path(loc), message))

    def _table(self, table: Table, items: list[dict[str, Any]]) -> Any:
        ws = self._sheet(table.sheet, [(c.header, c.width, c.codec.note) for c in table.columns])
        for i, item in enumerate(items):
            for c, column in enumerate(table.columns, start=1):
                loc = (*table.path, i, column.key)
                cell = self._encode(column.codec, item.get(column.key), loc, column.omit)
                self._put(ws, i + 2, c, cell, loc)
            for key in item:
                if key not in {c.key for c in table.columns}:
                    self._problem((*table.path, i, key), "工作表没有此字段的列 (no column for this field)")
        return ws

    def _items(self, title: str, items: tuple[Item, ...]) -> None:
        ws = self._sheet(title, [("项目", 20, ""), ("值", 60, ""), ("说明", 50, "")])
        for r, item in enumerate(items, start=2):
            value = _get(self.raw, item.path)
            ws.cell(r, 1, item.label)
            self._put(ws, r, 2, self._encode(item.codec, value, item.path, item.omit), item.path)
            note = item.note or ("" if isinstance(item.codec, Text) else item.codec.note)
            ws.cell(r, 3, note).alignment = WRAP

    def _hazard(self) -> None:
        hazard = self.raw["hazard"]
        model = REGISTRY[hazard["model"]]
        ws = self._sheet(HAZARD, [("参数", 28, ""), ("值", 30, ""), ("说明", 70, "")])
        ws.cell(2, 1, "灾害模型")
        ws.cell(2, 2, hazard["model"])
        ws.cell(2, 3, f"可选：{'、'.join(REGISTRY)}")
        row = 3
        for name, value in hazard["params"].items():
            info = model.Params.model_fields.get(name)
            kind = _kind(info.annotation) if info else "scalar"
            ws.cell(row, 1, name)
            ws.cell(row, 3, (info.description or "") if info else "").alignment = WRAP
            loc = ("hazard", "params", name)
            sheet = f"{HAZARD_TABLE}{name}"
            if kind == "table" and len(sheet) <= 31 and isinstance(value, list):
                ws.cell(row, 2, f"{SEE_SHEET} {sheet}")
                self._hazard_table(sheet, get_args(_strip(info.annotation))[0], value, loc)
            else:
                codec = AnyValue("structured" if kind == "table" else kind)
                self._put(ws, row, 2, self._encode(codec, value, loc), loc)
            row += 1

    def _hazard_table(self, title: str, item_model: type[BaseModel], items: list[dict[str, Any]], path) -> None:
        fields = list(item_model.model_fields.items())
        ws = self._sheet(title, [(f.alias or n, 16, f.description or "") for n, f in fields])
        for i, item in enumerate(items):
            for c, (n, f) in enumerate(fields, start=1):
                key = f.alias or n
                loc = (*path, i, key)
                codec = AnyValue(_kind(f.annotation))
                self._put(ws, i + 2, c, self._encode(codec, item.get(key), loc), loc)

    def _injects(self, responses_apart: bool) -> None:
        ws = self._sheet(INJECTS, [(c.header, c.width, NOTES.get(c.header, c.codec.note)) for c in INJECT_COLUMNS])
        ws.sheet_properties.tabColor = "C0392B"
        cols = {c.key: i for i, c in enumerate(INJECT_COLUMNS, start=1)}
        responses: dict[str, list[dict[str, Any]]] = {}
        if not responses_apart:
            for r in self.raw["answer_key"]["inject_responses"]:
                responses.setdefault(r["inject"], []).append(r)
        for i, inj in enumerate(self.raw["injects"]):
            row = i + 2
            loc = ("injects", i)

            def put(key: str, value: Any, where: tuple[Any, ...] = (), _row: int = row, _loc=loc) -> None:
                self._put(ws, _row, cols[key], value, where or (*_loc, key))

            put("id", self._encode(InjectId(), inj["id"], (*loc, "id")))
            put("time", self._time(inj, (*loc, "at")))
            medium, sender = self._source(inj.get("source", "现场"), (*loc, "source"))
            put("medium", medium, (*loc, "source"))
            put("sender", sender, (*loc, "source"))
            put("to", self._encode(DEPT, inj["to"], (*loc, "to")))
            put("title", self._encode(TEXT, inj["title"], (*loc, "title")))
            put("text", self._encode(TEXT, inj["text"], (*loc, "text")))
            conditions = {k: inj[k] for k in CONDITION_KINDS if k in inj}
            put("conditions", self._encode(Conditions(), conditions or None, (*loc, "unless")))
            put("effects", self._encode(Effects(), inj["effects"] or None, (*loc, "effects")))
            put("reveals", self._encode(Reveals(), inj["reveals"] or None, (*loc, "reveals")))
            expect, within = self._responses(responses.get(inj["id"], []))
            put("expect", expect, ("answer_key", "inject_responses"))
            put("within", within, ("answer_key", "inject_responses"))
            for key in set(inj) - INJECT_FIELDS:
                self._problem((*loc, key), "工作表没有此字段的列 (no column for this field)")

    def _time(self, inj: dict[str, Any], loc) -> Cell:
        value = {k: inj[k] for k in ("at", "after", "delay") if k in inj}
        for make in (_time_text, _flow_dump):
            cell = make(value)
            try:
                if cell is not None and _same(_read_time(cell, self.ctx), value):
                    return cell
            except ValueError:
                continue
        self._problem(loc, "无法无损写入注入时间 (cannot write this time losslessly)")
        return None

    def _source(self, source: str, loc) -> tuple[Cell, Cell]:
        medium = next((m for m in MEDIA if source.endswith(m)), "")
        cells = (medium or None, source[: len(source) - len(medium)] or None)
        if _read_source(*cells) == source:
            return cells
        if _read_source(None, '""') == source:
            return None, '""'
        cells = (None, source)
        if _read_source(*cells) == source:
            return cells
        self._problem(loc, "无法无损写入来源 (cannot write this source losslessly)")
        return None, None

    def _responses(self, responses: list[dict[str, Any]]) -> tuple[Cell, Cell]:
        if not responses:
            return None, None
        expect = "\n".join(", ".join(r["expect"]) for r in responses)
        within = "\n".join(f"{_fmt(r['within'])}分钟内响应" for r in responses)
        inject = responses[0]["inject"]
        try:
            back = _read_responses(inject, expect, within, self.ctx)
        except ValueError:
            back = None
        if back is not None and _same([dict(r) for r in back], responses):
            return expect, within
        text = _flow_dump([{"expect": r["expect"], "within": r["within"]} for r in responses])
        return text, None

    def _readme(self) -> None:
        ws = self._sheet(README, [("工作表", 12, ""), ("列/项目", 18, ""), ("写法", 100, "")])
        rows: list[tuple[str, str, str]] = [
            (
                "（全部）",
                "",
                "导出的工作簿可直接编辑后导入；结构化的单元格也可写 YAML 流式值，如 {at: 5, delay: 3}。"
                "本工作簿含答案（预期行动、评估要点、答案等），只供导调员使用。",
            )
        ]
        rows += [(INJECTS, c.header, NOTES.get(c.header, c.codec.note)) for c in INJECT_COLUMNS]
        for table in (DEPT_TABLE, CHANNEL_TABLE, MEASURE_TABLE, FACT_TABLE, KEY_MEASURE_TABLE, RESPONSE_TABLE):
            rows += [(table.sheet, c.header, c.codec.note) for c in table.columns]
        rows.append((HAZARD, "值", "数字、文字或 YAML 流式值；对象列表（如 zones）见工作表 灾害-<参数名>"))
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                ws.cell(r, c, value).alignment = WRAP

    def _validations(self) -> None:
        def add(sheet: str, column: int, choices: list[str]) -> None:
            ws = self.wb[sheet]
            rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            rule.showErrorMessage = False  # the English ids are accepted too
            letter = get_column_letter(column)
            rule.add(f"{letter}2:{letter}{MAX_ROWS}")
            ws.add_data_validation(rule)

        add(DEPTS, 3, list(KIND_NAMES.values()))
        add(DEPTS, 4, ["是", "否"])
        add(CHANNELS, 4, list(MEDIUM_NAMES.values()))
        add(CHANNELS, 7, ["是", "否"])
        add(MEASURES, 5, ["是", "否"])


def _blank_default(loc: tuple[Any, ...]) -> Any:
    """The default of the field at ``loc`` when a blank cell reads back as it ("", [] or {}), else ``_NO``."""
    return _blank_default_of(tuple(p for p in loc if not isinstance(p, int)))


@lru_cache(maxsize=512)
def _blank_default_of(path: tuple[str, ...]) -> Any:
    model: Any = Scenario
    info = None
    for part in path:
        fields = model.model_fields if isclass(model) and issubclass(model, BaseModel) else {}
        info = next((f for n, f in fields.items() if (f.alias or n) == part), None)
        if info is None:
            return _NO
        model = _model_of(info.annotation)
    if info is None or info.is_required():
        return _NO
    default = info.get_default(call_default_factory=True)
    return default if default in ("", [], {}) and not isinstance(default, bool) else _NO


def _model_of(annotation: Any) -> Any:
    """The model class a field holds, or holds a list of (None for unions of several)."""
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _model_of(args[0]) if len(args) == 1 else None
    if origin is list and get_args(annotation):
        return _model_of(get_args(annotation)[0])
    return annotation if isclass(annotation) and issubclass(annotation, BaseModel) else None


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _time_text(value: dict[str, Any]) -> str | None:
    at, after, delay = value.get("at"), value.get("after"), value.get("delay", 0.0)
    if after is None and at is not None and delay == 0:
        return f"T+{_zh_minutes(at)}"
    if at is None and after is not None:
        return f"{after} 后 {_zh_minutes(delay)}" if delay else f"{after} 后"
    return None


def _read_time(cell: Cell, ctx: Context) -> dict[str, Any]:
    """时间: ``T+8分钟`` (at), ``08:18`` (a clock time, from the start clock), ``i09 后 30分钟`` (after + delay)."""
    if isinstance(cell, Bad):
        raise ValueError(cell.message)
    if isinstance(cell, dt.time | dt.datetime):
        return {"at": ctx.clock_minutes(cell.hour, cell.minute), "delay": 0.0}
    if not isinstance(cell, str):
        return {"at": _minutes(cell), "delay": 0.0}
    text = cell.strip()
    if text.startswith("{"):
        value = _flow_load(text)
        if not isinstance(value, dict) or not set(value) <= {"at", "after", "delay"}:
            raise ValueError("应为 {at: …} 或 {after: …, delay: …} (expected at, after and delay)")
        return {"delay": 0.0, **value}
    match = re.fullmatch(r"([A-Za-z0-9_]+)\s*(?:之后|后|after)\s*(.*)", text)
    if match:
        return {"after": _inject_ref(match[1]), "delay": _minutes(match[2]) if match[2].strip() else 0.0}
    match = re.fullmatch(r"(\d{1,2})[:：](\d{2})", text)
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise ValueError(f"无效的钟点 {text!r} (not a time of day)")
        return {"at": ctx.clock_minutes(hour, minute), "delay": 0.0}
    return {"at": _minutes(text), "delay": 0.0}


def _read_source(medium: Cell, sender: Cell) -> str | None:
    """注入方式 + 发送单位 -> ``source`` (None: both blank, the default 现场 applies)."""
    for cell in (medium, sender):
        if isinstance(cell, Bad):
            raise ValueError(cell.message)
    parts = ["" if c == '""' else _text(c) for c in (sender, medium) if c is not None]
    return "".join(parts) if parts else None


def _read_responses(inject: str, expect: Cell, within: Cell, ctx: Context) -> list[dict[str, Any]]:
    """预期行动 (one response a line) and 评估要点 (each one's window, line by line) -> inject responses."""
    for cell in (expect, within):
        if isinstance(cell, Bad):
            raise ValueError(cell.message)
    if isinstance(expect, str) and expect.lstrip().startswith(("[", "{")):
        value = _flow_load(expect)
        if within is not None and _text(within).strip():
            raise ValueError("预期行动写作 YAML 时，评估要点应留空 (leave 评估要点 empty)")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ValueError("应为 [{expect: [...], within: …}] (expected a list of responses)")
        return [{"inject": inject, **v} for v in value]
    lines = [s for s in _text(expect).splitlines() if s.strip()] if expect is not None else []
    windows = [s for s in _text(within).splitlines() if s.strip()] if within is not None else []
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


def _first_clause(text: str, limit: int = 30) -> str:
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
        return _minutes(text)
    except ValueError:
        pass
    match = re.search(r"\d+(?:\.\d+)?\s*(?:小时|h)(?:\s*\d+(?:\.\d+)?\s*(?:分钟|分|min|m))?|\d+(?:\.\d+)?", text)
    if not match:
        raise ValueError(f"评估要点应写明响应时限，如“20分钟内响应”，而不是 {text!r} (expected a time window)")
    return _minutes(match[0])


def _strip(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _kind(annotation: Any) -> str:
    """How a hazard parameter is written: ``table`` (a list of objects: its own sheet), ``structured`` (YAML),
    ``str`` (text kept exactly) or ``scalar`` (a number or flag)."""
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        kinds = {_kind(a) for a in get_args(annotation) if a is not type(None)}
        if kinds & {"table", "structured"}:
            return "structured"
        return "str" if kinds == {"str"} else "scalar"
    if origin is list:
        item = _strip(get_args(annotation)[0]) if get_args(annotation) else None
        return "table" if isclass(item) and issubclass(item, BaseModel) else "structured"
    if origin in (dict, tuple, set, frozenset):
        return "structured"
    if origin is Literal:
        return "str" if all(isinstance(a, str) for a in get_args(annotation)) else "scalar"
    if annotation is str:
        return "str"
    if isclass(annotation) and issubclass(annotation, BaseModel):
        return "structured"
    return "scalar"


def dump_xlsx(scenario: Scenario, name: str | None = None) -> bytes:
    """The scenario as an .xlsx workbook; FileFormatError if a value cannot be stored in Excel (control chars)."""
    writer = _Writer(scenario, name or f"{scenario.id}.yaml")
    buffer = io.BytesIO()
    writer.workbook().save(buffer)
    return buffer.getvalue()


# -- import --------------------------------------------------------------------------------------------------------
class _Grid:
    """One worksheet's cell values by (row, column): formulas replaced by their last computed values, cells of a
    merged range filled from its top-left cell, nothing beyond the sheet's real cells created."""

    def __init__(self, reader: _Reader, title: str):
        self.reader = reader
        self.title = title
        ws = reader.wb[title]
        self.values: dict[tuple[int, int], Cell] = {}
        self.across: list[tuple[int, int, int, int]] = []  # merges over several columns: (r0, c0, r1, c1)
        self.too_big = ws.max_row > MAX_ROWS
        if self.too_big:
            reader.sheet_problem(title, f"行数过多（{ws.max_row} 行），上限 {MAX_ROWS} 行 (too many rows)")
            return
        cells = getattr(ws, "_cells", None)
        source = cells.values() if isinstance(cells, dict) else (c for row in ws.iter_rows() for c in row)
        for cell in list(source):
            if cell.column > MAX_COLS or cell.value is None:
                continue
            self.values[(cell.row, cell.column)] = self._value(cell)
        ranges = list(ws.merged_cells.ranges)
        if len(ranges) > MAX_MERGES:
            reader.sheet_problem(title, f"合并单元格过多（{len(ranges)} 处）(too many merged cells)")
            ranges = []
        for rng in ranges:
            r0, c0, r1, c1 = rng.min_row, rng.min_col, min(rng.max_row, MAX_ROWS), min(rng.max_col, MAX_COLS)
            if c0 != c1:
                self.across.append((r0, c0, r1, c1))
                continue
            top = self.values.get((r0, c0))
            for r in range(r0 + 1, r1 + 1):
                if top is None:
                    self.values.pop((r, c0), None)
                else:
                    self.values[(r, c0)] = top

    def _value(self, cell) -> Cell:
        value = cell.value
        if cell.data_type == "f" or not isinstance(value, _CELL_TYPES):
            cached = self.reader.cached(self.title, cell.row, cell.column)
            if cached is None:
                return Bad("公式没有计算结果：请在 Excel 中打开并保存，或改为“粘贴为数值” (formula without a value)")
            return cached
        if cell.data_type == "e":
            return Bad(f"单元格是 Excel 错误值 {value} (an Excel error value)")
        return value

    def get(self, row: int, column: int) -> Cell:
        return self.values.get((row, column))

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.values), default=0)


_CELL_TYPES = (str, int, float, bool, dt.datetime, dt.date, dt.time, dt.timedelta)


class _Reader:
    def __init__(self, name: str, data: bytes, wb: openpyxl.Workbook):
        self.name = name
        self.data = data
        self.wb = wb
        self._cached_wb: openpyxl.Workbook | None = None
        self.problems: list[Problem] = []
        self.structural = False  # a sheet or column is missing: validating the rest would only add noise
        self.where: dict[tuple[Any, ...], Where] = {}
        self.failed: set[tuple[Any, ...]] = set()
        self.ctx = Context()
        self.grids: dict[str, _Grid] = {}

    # problems
    def sheet_problem(self, sheet: str, message: str, field: str = "", row: int | None = None) -> None:
        self.structural = True
        self.problems.append(CellProblem(self.name, row, field, message, sheet=sheet))

    def cell_problem(self, where: Where, message: str, rest: tuple[Any, ...] = ()) -> None:
        label = where.label + (" " + _sub_path(rest) if rest else "")
        self.problems.append(CellProblem(self.name, where.row, label.strip(), message, where.sheet, where.column))

    def cached(self, sheet: str, row: int, column: int) -> Cell:
        if self._cached_wb is None:
            self._cached_wb = _open(self.name, self.data, data_only=True)
        value = self._cached_wb[sheet].cell(row, column).value
        return value if isinstance(value, _CELL_TYPES) else None

    # sheets
    def grid(self, title: str, required: bool) -> _Grid | None:
        if title not in self.wb.sheetnames:
            if required:
                present = "、".join(self.wb.sheetnames)
                self.problems.append(
                    Problem(
                        self.name, None, f"工作表 {title}", f"缺少工作表 (missing sheet; the workbook has: {present})"
                    )
                )
                self.structural = True
            return None
        if title not in self.grids:
            self.grids[title] = _Grid(self, title)
        grid = self.grids[title]
        return None if grid.too_big else grid

    def header(
        self, grid: _Grid, names: dict[str, Any], first: tuple[str, ...], expected: list[str]
    ) -> tuple[int, dict[int, Any]] | None:
        """The header row (the first of the top 10 rows naming one of ``first``) and its columns."""
        for row in range(1, 11):
            texts = {c: _text(grid.get(row, c)).strip() for c in range(1, MAX_COLS + 1) if grid.get(row, c) is not None}
            if any(t in first for t in texts.values()):
                break
        else:
            self.sheet_problem(
                grid.title, f"找不到表头：前 10 行中应有一行写明列名 {'、'.join(expected)} (no header row)"
            )
            return None
        columns: dict[int, Any] = {}
        seen: dict[Any, int] = {}
        for c, text in texts.items():
            spec = names.get(text) or names.get(text.lower())
            if spec is None:
                if text and not text.startswith(IGNORED_HEADERS):
                    self.problems.append(
                        CellProblem(
                            self.name,
                            row,
                            text,
                            f"未知的列，可能是拼写错误；应为 {'、'.join(expected)} 之一 (unknown column)",
                            grid.title,
                            c,
                        )
                    )
                    self.structural = True
                continue
            if id(spec) in seen:
                self.problems.append(CellProblem(self.name, row, text, "重复的列 (duplicate column)", grid.title, c))
                self.structural = True
                continue
            seen[id(spec)] = c
            columns[c] = spec
        return row, columns

    def check_across(self, grid: _Grid, from_row: int, columns: dict[int, Any]) -> None:
        for r0, c0, r1, c1 in grid.across:
            if r1 >= from_row and any(c0 <= c <= c1 for c in columns):
                self.problems.append(
                    CellProblem(
                        self.name,
                        r0,
                        getattr(columns.get(c0), "header", ""),
                        f"合并单元格跨越多列（{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}），请取消合并 "
                        "(cells merged across columns)",
                        grid.title,
                        c0,
                    )
                )

    def rows(self, grid: _Grid, header_row: int, columns: dict[int, Any]):
        for r in range(header_row + 1, grid.max_row + 1):
            cells = {c: grid.get(r, c) for c in columns}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
                continue
            yield r, cells

    def decode(self, codec: Codec, cell: Cell, where: Where, loc: tuple[Any, ...]) -> Any:
        self.where[loc] = where
        try:
            return _read_cell(codec, cell, self.ctx)
        except ValueError as exc:
            self.cell_problem(where, str(exc))
            self.failed.add(loc)
            return cell

    def table(self, table: Table, raw: dict[str, Any], start: int = 0) -> list[dict[str, Any]]:
        grid = self.grid(table.sheet, table.required)
        _set(raw, table.path, [])
        self.where[table.path] = Where(table.sheet)
        if grid is None:
            return []
        names = _names(table.columns)
        found = self.header(grid, names, table.columns[0].names, [c.header for c in table.columns])
        if found is None:
            return []
        header_row, columns = found
        self._missing_columns(grid, header_row, columns, table.columns)
        self.check_across(grid, header_row + 1, columns)
        items = []
        for r, cells in self.rows(grid, header_row, columns):
            loc = (*table.path, start + len(items))
            self.where[loc] = Where(table.sheet, r, None, "")
            item: dict[str, Any] = {}
            for column in table.columns:
                c = next((c for c, spec in columns.items() if spec is column), None)
                if c is None:
                    self.where[(*loc, column.key)] = Where(table.sheet, r, None, column.header)
                    continue
                value = self.decode(column.codec, cells[c], Where(table.sheet, r, c, column.header), (*loc, column.key))
                if value is not _OMIT:
                    item[column.key] = value
            items.append(item)
        _set(raw, table.path, items)
        return items

    def _missing_columns(self, grid: _Grid, header_row: int, found: dict[int, Any], columns) -> None:
        for column in columns:
            if column.required and not any(spec is column for spec in found.values()):
                self.sheet_problem(grid.title, "缺少必填列 (missing column)", column.header, header_row)

    def items(self, sheet: str, items: tuple[Item, ...], raw: dict[str, Any], first=("项目",)) -> None:
        grid = self.grid(sheet, required=True)
        for item in items:
            self.where[item.path] = Where(sheet, None, None, item.label)
        if grid is None:
            return
        rows = self._kv_rows(grid, first)
        by_label = {}
        for item in items:
            by_label[item.label] = item
            by_label[".".join(item.path[1:] if item.path[0] == "answer_key" else item.path)] = item
        for r, label, (value, c) in rows:
            item = by_label.get(label)
            if item is None:
                self.problems.append(
                    CellProblem(
                        self.name,
                        r,
                        label,
                        f"未知的项目；应为 {'、'.join(i.label for i in items)} 之一 (unknown item)",
                        sheet,
                        1,
                    )
                )
                continue
            decoded = self.decode(item.codec, value, Where(sheet, r, c, item.label), item.path)
            if decoded is not _OMIT:
                _set(raw, item.path, decoded)

    def _kv_rows(self, grid: _Grid, first: tuple[str, ...]) -> list[tuple[int, str, tuple[Cell, int]]]:
        names = {"项目": "label", "参数": "label", "值": "value", "取值": "value", "说明": "note"}
        found = self.header(grid, names, first, [first[0], "值", "说明"])
        if found is None:
            return []
        header_row, columns = found
        label_col = next((c for c, s in columns.items() if s == "label"), None)
        value_col = next((c for c, s in columns.items() if s == "value"), None)
        if value_col is None:
            self.sheet_problem(grid.title, "缺少必填列 (missing column)", "值", header_row)
            return []
        self.check_across(grid, header_row + 1, {label_col: 0, value_col: 0})
        out, seen = [], {}
        for r in range(header_row + 1, grid.max_row + 1):
            label = _text(grid.get(r, label_col)).strip() if grid.get(r, label_col) is not None else ""
            value = grid.get(r, value_col)
            if not label:
                if value is not None and _text(value).strip():
                    self.problems.append(
                        CellProblem(
                            self.name, r, "", "有值却没有项目名 (a value without a name)", grid.title, label_col
                        )
                    )
                continue
            if label in seen:
                self.problems.append(
                    CellProblem(self.name, r, label, f"重复的项目（第 {seen[label]} 行已有）(duplicate)", grid.title, 1)
                )
                continue
            seen[label] = r
            out.append((r, label, (value, value_col)))
        return out

    def hazard(self, raw: dict[str, Any]) -> None:
        self.where[("hazard",)] = Where(HAZARD)
        grid = self.grid(HAZARD, required=True)
        if grid is None:
            return
        hazard: dict[str, Any] = {}
        params: dict[str, Any] = {}
        raw["hazard"] = hazard
        rows = self._kv_rows(grid, ("参数", "项目"))
        model_name = next((_text(v).strip() for _, label, (v, _) in rows if label in ("灾害模型", "model") and v), None)
        model = REGISTRY.get(model_name or "")
        fields = model.Params.model_fields if model else {}
        for r, label, (value, c) in rows:
            where = Where(HAZARD, r, c, label)
            if label in ("灾害模型", "model"):
                decoded = self.decode(IDENT, value, where, ("hazard", "model"))
                self.where[("hazard",)] = where  # a wrong model name is reported on the hazard itself
                if decoded is not _OMIT:
                    hazard["model"] = decoded
                continue
            loc = ("hazard", "params", label)
            info = fields.get(label)
            kind = _kind(info.annotation) if info else "scalar"
            sheet = f"{HAZARD_TABLE}{label}"
            self.where[loc] = where
            if sheet in self.wb.sheetnames:
                params[label] = self._hazard_table(sheet, info, loc)
                continue
            if isinstance(value, str) and value.startswith(SEE_SHEET):
                self.cell_problem(where, f"缺少工作表 {sheet} (missing sheet)")
                self.failed.add(loc)
                continue
            decoded = self.decode(AnyValue("structured" if kind == "table" else kind), value, where, loc)
            if decoded is not _OMIT:
                params[label] = decoded
        hazard["params"] = params
        self.where[("hazard", "params")] = Where(HAZARD)

    def _hazard_table(self, sheet: str, info, path: tuple[Any, ...]) -> list[dict[str, Any]]:
        item_model = get_args(_strip(info.annotation))[0] if info and _kind(info.annotation) == "table" else None
        fields = {(f.alias or n): f for n, f in item_model.model_fields.items()} if item_model else {}
        grid = self.grid(sheet, required=True)
        if grid is None:
            return []
        top = {_text(grid.get(1, c)).strip() for c in range(1, MAX_COLS + 1) if grid.get(1, c) is not None}
        names = {n: n for n in (fields or top)}
        found = self.header(grid, names, tuple(names) or ("id",), list(names))
        if found is None:
            return []
        header_row, columns = found
        self.check_across(grid, header_row + 1, columns)
        items = []
        for r, cells in self.rows(grid, header_row, columns):
            loc = (*path, len(items))
            self.where[loc] = Where(sheet, r, None, "")
            item = {}
            for c, key in columns.items():
                kind = _kind(fields[key].annotation) if key in fields else "scalar"
                value = self.decode(AnyValue(kind), cells[c], Where(sheet, r, c, key), (*loc, key))
                if value is not _OMIT:
                    item[key] = value
            items.append(item)
        return items

    def injects(self, raw: dict[str, Any], responses: list[tuple[dict[str, Any], Where, Where, Where]]) -> None:
        raw["injects"] = []
        self.where[("injects",)] = Where(INJECTS)
        grid = self.grid(INJECTS, required=True)
        if grid is None:
            return
        names = _names(INJECT_COLUMNS)
        found = self.header(grid, names, INJECT_COLUMNS[0].names, [c.header for c in INJECT_COLUMNS])
        if found is None:
            return
        header_row, columns = found
        self._missing_columns(grid, header_row, columns, INJECT_COLUMNS)
        self.check_across(grid, header_row + 1, columns)
        at = {spec.key: c for c, spec in columns.items()}
        for r, cells in self.rows(grid, header_row, columns):
            i = len(raw["injects"])
            loc = ("injects", i)

            def cell(key: str, _cells=cells) -> Cell:
                return _cells.get(at[key]) if key in at else None

            def where(key: str, _r=r) -> Where:
                spec = next(s for s in INJECT_COLUMNS if s.key == key)
                return Where(INJECTS, _r, at.get(key), spec.header)

            inject: dict[str, Any] = {}
            for key, codec, field_name in (
                ("id", InjectId(), "id"),
                ("to", DEPT, "to"),
                ("title", TEXT, "title"),
                ("text", TEXT, "text"),
                ("effects", Effects(), "effects"),
                ("reveals", Reveals(), "reveals"),
            ):
                value = self.decode(codec, cell(key), where(key), (*loc, field_name))
                if value is not _OMIT:
                    inject[field_name] = value
            self.where[loc] = where("time")
            for name in ("at", "after", "delay"):
                self.where[(*loc, name)] = where("time")
            if not Codec().blank(cell("time")):
                try:
                    inject.update(_read_time(cell("time"), self.ctx))
                except ValueError as exc:
                    self.cell_problem(where("time"), str(exc))
                    self.failed.add((*loc, "at"))
                    inject["at"] = cell("time")
            self.where[(*loc, "source")] = where("sender") if "sender" in at else where("medium")
            try:
                source = _read_source(cell("medium"), cell("sender"))
            except ValueError as exc:
                self.cell_problem(self.where[(*loc, "source")], str(exc))
                source = None
            if source is not None:
                inject["source"] = source
            conditions = self.decode(Conditions(), cell("conditions"), where("conditions"), (*loc, "conditions"))
            for kind in CONDITION_KINDS:
                self.where[(*loc, kind)] = where("conditions")
            if isinstance(conditions, dict):
                inject.update(conditions)
            elif conditions is not _OMIT:
                inject["unless"] = conditions
                self.failed.add((*loc, "unless"))
            if "title" not in inject and isinstance(inject.get("text"), str) and (*loc, "text") not in self.failed:
                title = _first_clause(inject["text"])
                if title:
                    inject["title"] = title
            self._inject_responses(inject.get("id", ""), cell("expect"), cell("within"), where, responses)
            raw["injects"].append(inject)

    def _inject_responses(self, inject_id, expect, within, where, responses) -> None:
        blank = Codec()
        if blank.blank(expect) and blank.blank(within):
            return
        if blank.blank(expect):
            self.cell_problem(where("within"), "评估要点需对应一条预期行动 (a window without an expected response)")
            return
        try:
            found = _read_responses(inject_id, expect, None if blank.blank(within) else within, self.ctx)
        except ValueError as exc:
            self.cell_problem(where("within" if isinstance(exc, WindowError) else "expect"), str(exc))
            self.failed.add(("answer_key", "inject_responses"))
            return
        for response in found:
            responses.append((response, where("expect"), where("within"), where("id")))

    def read(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        self.items(INFO, INFO_ITEMS, raw)
        if isinstance(raw.get("start_clock"), str):
            self.ctx.start_clock = raw["start_clock"]
        named = [d for d in self.table(DEPT_TABLE, raw) if isinstance(d.get("id"), str)]
        self.ctx.dept_ids = {d["id"] for d in named}
        self.ctx.dept_by_name = _unique_names((d["name"], d["id"]) for d in named if isinstance(d.get("name"), str))
        named = [m for m in self.table(MEASURE_TABLE, raw) if isinstance(m.get("id"), str)]
        self.ctx.measure_ids = {m["id"] for m in named}
        self.ctx.measure_by_name = _unique_names((m["name"], m["id"]) for m in named if isinstance(m.get("name"), str))
        self.table(CHANNEL_TABLE, raw)
        self.table(FACT_TABLE, raw)
        self.hazard(raw)
        responses: list[tuple[dict[str, Any], Where, Where, Where]] = []
        self.injects(raw, responses)
        raw.setdefault("answer_key", {})
        self.where[("answer_key",)] = Where(KEY)
        self.items(KEY, KEY_ITEMS, raw)
        self.table(KEY_MEASURE_TABLE, raw)
        in_msel = []
        for j, (response, expect_at, within_at, id_at) in enumerate(responses):
            loc = ("answer_key", "inject_responses", j)
            self.where[loc] = self.where[(*loc, "expect")] = expect_at
            self.where[(*loc, "within")] = within_at
            self.where[(*loc, "inject")] = id_at
            in_msel.append(response)
        apart = self.table(RESPONSE_TABLE, {}, start=len(in_msel)) if RESPONSES in self.wb.sheetnames else []
        self.where[("answer_key", "inject_responses")] = Where(INJECTS, None, None, "预期行动")
        raw["answer_key"]["inject_responses"] = in_msel + apart
        return raw

    # locating a validation error
    def locate(self, loc: tuple[Any, ...], message: str) -> Problem:
        loc = tuple(p for p in loc if not _is_union_tag(p))
        for k in range(len(loc), -1, -1):
            where = self.where.get(loc[:k])
            if where is not None:
                label = " ".join(x for x in (where.label, _sub_path(loc[k:])) if x)
                return CellProblem(self.name, where.row, label, message, where.sheet, where.column)
        return Problem(self.name, None, field_path(loc), message)


def _sub_path(parts: tuple[Any, ...]) -> str:
    return " ".join(f"第{p + 1}条" if isinstance(p, int) else str(p) for p in parts if not _is_union_tag(p))


def _names(columns: tuple[Column, ...]) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for column in columns:
        for name in column.names:
            out[name] = column
            out[name.lower()] = column
    return out


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        nxt = data.get(part)
        if not isinstance(nxt, dict):
            nxt = data[part] = {}
        data = nxt
    data[path[-1]] = value


def _open(name: str, data: bytes, data_only: bool = False) -> openpyxl.Workbook:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        hint = "（旧版 .xls 请在 Excel 中另存为 .xlsx）" if data[:4] == b"\xd0\xcf\x11\xe0" else ""
        raise FileFormatError(
            [Problem(name, None, "", f"不是有效的 Excel 工作簿{hint} (not an .xlsx file: not a zip archive)")]
        ) from None
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise FileFormatError(
            [Problem(name, None, "", f"工作簿解压后过大，上限 {MAX_UNZIPPED_BYTES} 字节 (too large once unzipped)")]
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, keep_links=False, keep_vba=False)
    except Exception as exc:  # a damaged upload can fail anywhere inside openpyxl's parsers
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FileFormatError(
            [Problem(name, None, "", f"无法读取 Excel 工作簿 (cannot read the workbook): {detail}")]
        ) from None


def load_xlsx(path: str | Path, data: bytes | None = None) -> Scenario:
    """Read a workbook (or the given bytes, named ``path``) as a scenario; FileFormatError with located problems."""
    name = str(path)
    data = read_bytes(path, data)
    if not data:
        raise FileFormatError([Problem(name, None, "", "文件为空 (the file is empty)")])
    reader = _Reader(name, data, _open(name, data))
    try:
        raw = reader.read()
    except RecursionError:
        raise FileFormatError([Problem(name, None, "", "嵌套过深 (nested too deeply)")]) from None
    if reader.structural:
        raise FileFormatError(_unique(reader.problems))
    problems = list(reader.problems)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
            if any(loc[: len(f)] == f for f in reader.failed):
                continue
            problems.append(reader.locate(loc, _message(err)))
        raise FileFormatError(_unique(problems)) from None
    except RecursionError:
        raise FileFormatError([Problem(name, None, "", "嵌套过深 (nested too deeply)")]) from None
    if problems:
        raise FileFormatError(_unique(problems))
    problems = [reader.locate(loc, message) for loc, message in scenario.reference_problems()]
    if problems:
        raise FileFormatError(_unique(problems))
    return scenario


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


# -- YAML out, and either format in --------------------------------------------------------------------------------
def scenario_to_yaml(scenario: Scenario, note: str | None = None) -> str:
    """The scenario as a YAML file that loads back equal: defaults left out, fixed durations as plain numbers."""
    text = yaml.safe_dump(_plain(scenario), allow_unicode=True, sort_keys=False, default_flow_style=None, width=110)
    return (f"# {note}\n" if note else "") + text


def _plain(value: Any) -> Any:
    if isinstance(value, Fixed):
        return _plain_number(value.value)
    if isinstance(value, BaseModel):
        out: dict[str, Any] = {}
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if not info.is_required() and item == info.get_default(call_default_factory=True):
                continue
            plain = _plain(item)
            if _is_float(info.annotation):
                plain = _plain_number(plain)
            out[info.alias or name] = plain
        return out
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _plain_number(x: Any) -> Any:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return int(x)
    if isinstance(x, dict):
        return {k: _plain_number(v) for k, v in x.items()}
    return x


def _is_float(annotation: Any) -> bool:
    """float, a Minutes (an annotated float), an optional one, or a dict of them: an integer value may drop '.0'."""
    if get_origin(annotation) is Annotated:
        args = get_args(annotation)
        return args[0] is float and not any(
            isinstance(m, BeforeValidator) and m.func is not parse_minutes for m in args
        )
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return len(args) == 1 and _is_float(args[0])
    if origin is dict:
        return _is_float(get_args(annotation)[1])
    return annotation is float


def load_any(name: str, data: bytes) -> Scenario:
    """A scenario from an upload: .yaml/.yml or .xlsx by its name; FileFormatError (located) for anything wrong."""
    suffix = Path(name).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise FileFormatError(
            [Problem(name, None, "", f"文件过大 ({len(data)} 字节)，上限 {MAX_FILE_BYTES} 字节 (too large)")]
        )
    if suffix in XLSX_SUFFIXES:
        return load_xlsx(name, data)
    if suffix not in YAML_SUFFIXES:
        hint = "；旧版 .xls 请另存为 .xlsx" if suffix == ".xls" else ""
        raise FileFormatError(
            [Problem(name, None, "", f"不支持的文件类型 {suffix or '（无扩展名）'}：应为 .yaml、.yml 或 .xlsx{hint}")]
        )
    _guard_yaml(name, read_text(name, data))
    try:
        return load_scenario(name, data)
    except RecursionError:
        raise FileFormatError([Problem(name, None, "", "嵌套过深 (nested too deeply)")]) from None


def _guard_yaml(name: str, text: str) -> None:
    """Refuse alias bombs and absurd nesting before the loader walks them (syntax errors are the loader's to say)."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return
    except RecursionError:
        raise FileFormatError([Problem(name, None, "", f"嵌套超过 {MAX_DEPTH} 层 (nested too deeply)")]) from None
    if node is None:
        return
    try:
        _check_nodes(node)
    except ValueError as exc:
        raise FileFormatError([Problem(name, None, "", str(exc))]) from None


def inject_times(scenario: Scenario) -> dict[str, float | None]:
    """Each inject's release minute when every condition lets it through (``after`` chains resolved)."""
    by_id = {inj.id: inj for inj in scenario.injects}
    times: dict[str, float | None] = {}
    for inj in scenario.injects:
        chain, current = [], inj
        while current is not None and current.id not in times and current.id not in chain:
            chain.append(current.id)
            current = by_id.get(current.after) if current.at is None else None
        for ident in reversed(chain):
            item = by_id[ident]
            if item.at is not None:
                times[ident] = item.at
            else:
                base = times.get(item.after or "")
                times[ident] = None if base is None else base + item.delay
    return times


# -- command line --------------------------------------------------------------------------------------------------
def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export-xlsx", help="把场景导出为 Excel 情景注入表 (write a scenario as an Excel MSEL workbook)"
    )
    export.add_argument("scenario", type=Path)
    export.add_argument("--out", type=Path, default=None, help="输出的 .xlsx (default: <scenario id>.xlsx)")
    export.set_defaults(func=_export)
    load = subparsers.add_parser(
        "import-xlsx", help="从 Excel 情景注入表导入场景 (read an Excel MSEL workbook into a scenario YAML)"
    )
    load.add_argument("workbook", type=Path)
    load.add_argument("--out", type=Path, default=None, help="输出的场景 YAML (default: <scenario id>.yaml)")
    load.set_defaults(func=_import)


def _export(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    data = dump_xlsx(scenario, str(args.scenario))
    out = args.out or Path(f"{scenario.id}.xlsx")
    _write(out, data)
    try:
        same = load_xlsx(out, data) == scenario
    except FileFormatError as exc:
        same = False
        for problem in exc.problems:
            print(problem, file=sys.stderr)
    if not same:
        print(
            f"{out}: 导出的工作簿不能完全还原场景，请报告此问题 (the workbook does not read back equal)",
            file=sys.stderr,
        )
        return 1
    print(f"{args.scenario} → {out}（{len(scenario.injects)} 条情景注入，{len(scenario.departments)} 个部门）")
    return 0


def _import(args: argparse.Namespace) -> int:
    scenario = load_xlsx(args.workbook)
    out = args.out or Path(f"{scenario.id}.yaml")
    text = scenario_to_yaml(scenario, f"由 {args.workbook.name} 导入 (imported from an Excel MSEL)")
    _write(out, text.encode("utf-8"))
    print(f"{args.workbook} → {out}（{len(scenario.injects)} 条情景注入，{len(scenario.departments)} 个部门）")
    return 0


def _write(out: Path, data: bytes) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise FileFormatError([Problem(str(out), None, "--out", f"无法写入 (cannot write): {exc.strerror}")]) from None
