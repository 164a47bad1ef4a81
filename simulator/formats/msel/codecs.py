"""Codecs: how each kind of value is written in one cell and read back, and the rule that picks the friendly
form (``T+8分钟``, ``是``, ``Ⅲ级``) only when it reads back to the same value, else a YAML flow value.

The compound cells (distributions, effects, conditions …) are in :mod:`.compound`; the words a person reads (levels,
department kinds, media) come from :mod:`simulator.vocabulary`, the old spellings still read.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pydantic import TypeAdapter, ValidationError

from simulator.formats.common import Level
from simulator.formats.msel.cells import (
    MAX_CELL_CHARS,
    NO,
    OMIT,
    SPLIT_IDS,
    SPLIT_NAMES,
    Bad,
    Cell,
    Context,
    cell_minutes,
    cell_number,
    cell_text,
    flow_dump,
    flow_load,
    inject_ref,
    number_cell,
    number_text,
    same,
    split_once,
    zh_minutes,
)
from simulator.vocabulary import LEVEL_SHORT, Label

_LEVEL = TypeAdapter(Level)


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
            return NO
        return '""' if value == "" else value

    def read(self, cell, ctx):
        return "" if cell == '""' else cell_text(cell)


class Ident(Codec):
    fallback = False
    note = "英文字母开头的编号，如 fire、c_duty_fire"

    def write(self, value, ctx):
        return value if isinstance(value, str) else NO

    def read(self, cell, ctx):
        return cell_text(cell).strip()


class InjectId(Ident):
    note = "注入编号，如 i01；只写数字 3 时视为 i3"

    def read(self, cell, ctx):
        return inject_ref(cell_text(cell))


class Dept(Ident):
    note = "部门编号，或部门名称（须与“部门”表一致）"

    def read(self, cell, ctx):
        return ctx.dept(cell_text(cell).strip())


class Idents(Codec):
    """A list of ids, ``fire, police``; ``lookup`` turns names into ids."""

    def __init__(self, lookup: str = "", note: str = "编号列表，用逗号或顿号分隔，如 fire, police"):
        self.lookup = lookup
        self.note = note

    def write(self, value, ctx):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return NO
        return ", ".join(value)

    def read(self, cell, ctx):
        items = [s for s in SPLIT_IDS.split(cell_text(cell).strip()) if s]
        if self.lookup == "dept":
            return [ctx.dept(s) for s in items]
        if self.lookup == "expected":
            return [ctx.expected(s) for s in items]
        return items


class Names(Codec):
    note = "名称列表，用顿号分隔，如 综合协调组、抢险救援组"

    def write(self, value, ctx):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return NO
        return "、".join(value)

    def read(self, cell, ctx):
        return [s.strip() for s in SPLIT_NAMES.split(cell_text(cell)) if s.strip()]


class Minutes(Codec):
    fallback = False
    note = "时长：分钟数，或 30分钟、1小时30分钟、5m、1h30m"

    def write(self, value, ctx):
        if not isinstance(value, int | float):
            return NO
        text = zh_minutes(value)
        return number_cell(value) if "e" in text else text  # 1e-05 minutes: a plain number of minutes

    def read(self, cell, ctx):
        return cell_minutes(cell)


class Number(Codec):
    fallback = False
    note = "数字"

    def write(self, value, ctx):
        return number_cell(value)

    def read(self, cell, ctx):
        return cell_number(cell)


class Boolean(Codec):
    fallback = False
    note = "是 或 否"
    TRUE = frozenset({"是", "true", "yes", "y", "1", "对", "√"})
    FALSE = frozenset({"否", "false", "no", "n", "0", "不", "×"})

    def write(self, value, ctx):
        return ("是" if value else "否") if isinstance(value, bool) else NO

    def read(self, cell, ctx):
        if isinstance(cell, bool):
            return cell
        text = cell_text(cell).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"应为 是 或 否，而不是 {cell_text(cell)!r} (expected yes or no)")


class Choice(Codec):
    """A fixed vocabulary, written by its Chinese name; the English id is accepted too.

    ``names`` is one of :mod:`simulator.vocabulary`'s tables (id → Label), so the workbook and the pages use one
    wording; its Chinese text is what the cell holds.
    """

    fallback = False

    def __init__(self, names: dict[str, Label | str]):
        self.names = {key: str(name) for key, name in names.items()}
        self.ids = {v: k for k, v in self.names.items()}
        self.note = "、".join(self.names.values())

    def write(self, value, ctx):
        return self.names.get(value, NO)

    def read(self, cell, ctx):
        text = cell_text(cell).strip()
        if text in self.names:
            return text
        if text in self.ids:
            return self.ids[text]
        raise ValueError(f"取值无效 {text!r}，应为 {self.note} 之一 (expected one of {', '.join(self.names)})")


class Clock(Codec):
    fallback = False
    note = "钟点 HH:MM，如 08:10"

    def write(self, value, ctx):
        return value if isinstance(value, str) and value else NO

    def read(self, cell, ctx):
        if isinstance(cell, dt.time | dt.datetime):
            return f"{cell.hour:02d}:{cell.minute:02d}"
        text = cell_text(cell).strip().replace("：", ":")
        match = re.fullmatch(r"(\d):(\d{2})", text)
        return f"0{text}" if match else text


class LevelCell(Codec):
    fallback = False
    note = "、".join(label.zh for label in LEVEL_SHORT.values()) + "（或 1-4）"

    def write(self, value, ctx):
        label = LEVEL_SHORT.get(value)
        return label.zh if label is not None else NO

    def read(self, cell, ctx):
        return read_level(cell)


def read_level(cell: Cell) -> int:
    text = cell_text(cell).strip()
    text = re.sub(r"[（(].*[)）]$", "", text)  # 'Ⅲ级（较大）'
    try:
        return _LEVEL.validate_python(text)
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


class Deadlines(Codec):
    note = "各级别的时限（分钟），如 Ⅰ级=30, Ⅱ级=30, Ⅲ级=30, Ⅳ级=30"

    def write(self, value, ctx):
        if not isinstance(value, dict) or not all(k in LEVEL_SHORT for k in value):
            return NO
        return ", ".join(f"{LEVEL_SHORT[k].zh}={number_text(v)}" for k, v in value.items())

    def read(self, cell, ctx):
        out: dict[int, Any] = {}
        for item in (s.strip() for s in SPLIT_NAMES.split(cell_text(cell)) if s.strip()):
            key, sep, value = split_once(item, "=:：")
            if not sep:
                raise ValueError(f"应写作 级别=分钟，如 Ⅲ级=30，而不是 {item!r}")
            level = read_level(key)
            if level in out:
                raise ValueError(f"重复的级别 {key!r} (duplicate)")
            out[level] = cell_number(value.strip().removesuffix("分钟").strip())
        return out


class WarrantedLevels(Codec):
    """``answer_key.levels``: the level warranted from an inject's release on, as ``i07=Ⅱ级, i09=Ⅰ级``."""

    note = "自该注入发布起应有的响应级别，如 i07=Ⅱ级"

    def write(self, value, ctx):
        if not isinstance(value, list) or not all(isinstance(v, dict) and v.get("level") in LEVEL_SHORT for v in value):
            return NO
        return ", ".join(f"{v['inject']}={LEVEL_SHORT[v['level']].zh}" for v in value)

    def read(self, cell, ctx):
        out: list[dict[str, Any]] = []
        for item in (s.strip() for s in SPLIT_NAMES.split(cell_text(cell)) if s.strip()):
            key, sep, value = split_once(item, "=:：")
            if not sep:
                raise ValueError(f"应写作 注入编号=级别，如 i07=Ⅱ级，而不是 {item!r}")
            out.append({"inject": key.strip(), "level": read_level(value)})
        return out


def read_cell(codec: Codec, cell: Cell, ctx: Context) -> Any:
    """The value a cell stands for (``OMIT`` when blank); ValueError when it cannot be read."""
    if isinstance(cell, Bad):
        raise ValueError(cell.message)
    if codec.blank(cell):
        return OMIT
    if codec.fallback and isinstance(cell, str) and cell.lstrip().startswith(("{", "[")):
        return flow_load(cell)
    return codec.read(cell, ctx)


def write_cell(codec: Codec, value: Any, ctx: Context) -> Cell:
    """The friendly form of ``value`` when it reads back the same, else its YAML flow form; ValueError if neither."""
    if value is None:
        return None

    def candidates():
        yield codec.write(value, ctx)
        if codec.fallback:  # YAML escapes what Excel cannot store (control characters) when asked to stay ASCII
            yield flow_dump(value)
            yield flow_dump(value, ascii_only=True)

    unstorable = ""
    for cell in candidates():
        if cell is NO:
            continue
        if isinstance(cell, str) and ILLEGAL_CHARACTERS_RE.search(cell):
            unstorable = "含有 Excel 无法保存的控制字符 (control characters Excel cannot store)"
            continue
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            unstorable = f"超过 Excel 单元格上限 {MAX_CELL_CHARS} 个字符 (too long for a cell)"
            continue
        try:
            if same(read_cell(codec, cell, ctx), value):
                return cell
        except ValueError:
            continue
    raise ValueError(unstorable or f"无法无损写入单元格：{flow_dump(value)[:80]} (cannot be written losslessly)")
