"""Codecs of the cells that hold several things: a distribution ``triangular(5, 8, 12)``, resources
``crews=2``, revealed facts ``风向：东南风``, fitting parameters ``radius_m=1500±500``, an inject's effects
``中断信道 c1`` and conditions ``除非已下达 evacuate``, and a hazard parameter of any type.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.formats.msel.cells import (
    ACTION_BY_NAME,
    NO,
    SPLIT_IDS,
    SPLIT_PAIRS,
    cell_number,
    cell_text,
    flow_dump,
    flow_load,
    number_cell,
    number_text,
    split_once,
)
from simulator.formats.msel.codecs import Codec, Idents, Text
from simulator.formats.msel.injects import read_trigger, trigger_text

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


class Dist(Codec):
    note = "分钟数（固定），或 triangular(低, 众数, 高)、uniform(低, 高)、lognormal(均值, 标准差)、exponential(均值)"

    def write(self, value, ctx):
        if not isinstance(value, dict) or value.get("dist") not in DIST_ARGS:
            return NO
        args = DIST_ARGS[value["dist"]]
        if set(value) != {"dist", *args}:
            return NO
        if value["dist"] == "fixed":
            return number_cell(value["value"])
        return f"{value['dist']}({', '.join(number_text(value[a]) for a in args)})"

    def read(self, cell, ctx):
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return {"dist": "fixed", "value": cell}
        text = cell_text(cell).strip()
        try:
            return {"dist": "fixed", "value": cell_number(text)}
        except ValueError:
            pass
        match = re.fullmatch(r"([A-Za-z\u4e00-\u9fff]+)\s*[（(]\s*(.*?)\s*[)）]", text)
        name = DIST_ALIASES.get(match[1], match[1].lower()) if match else None
        if name not in DIST_ARGS:
            raise ValueError(f"无法识别的分布 {text!r}，应为{self.note} (expected a number or a distribution)")
        args = DIST_ARGS[name]
        values = [cell_number(v) for v in SPLIT_IDS.split(match[2]) if v]
        if len(values) != len(args):
            raise ValueError(f"{name} 应有 {len(args)} 个参数 ({', '.join(args)})，而不是 {len(values)} 个")
        return {"dist": name, **dict(zip(args, values, strict=True))}


class Pairs(Codec):
    """``crews=2, vehicles=3``: a mapping of names to numbers."""

    note = "名称=数量，用逗号分隔，如 crews=2, vehicles=3"

    def write(self, value, ctx):
        if not isinstance(value, dict):
            return NO
        return ", ".join(f"{k}={number_text(v)}" for k, v in value.items())

    def read(self, cell, ctx):
        out: dict[str, Any] = {}
        for item in (s for s in SPLIT_IDS.split(cell_text(cell).strip()) if s):
            key, sep, value = split_once(item, "=:：×*")
            if not sep or not key:
                raise ValueError(f"应写作 名称=数量，如 crews=2，而不是 {item!r}")
            if key in out:
                raise ValueError(f"重复的名称 {key!r} (duplicate)")
            out[key] = cell_number(value)
        return out


class Reveals(Codec):
    """One ``主题：内容`` a line."""

    note = "每行一条“主题：内容”，如 风向：东南风"

    def write(self, value, ctx):
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return NO
        return "\n".join(f"{k}：{v}" for k, v in value.items())

    def read(self, cell, ctx):
        out: dict[str, str] = {}
        for line in (s for s in cell_text(cell).splitlines() if s.strip()):
            match = re.match(r"([^:：]*)[:：](.*)", line)
            if not match or not match[1].strip():
                raise ValueError(f"应写作“主题：内容”，而不是 {line.strip()!r}")
            key = match[1].strip()
            if key in out:
                raise ValueError(f"重复的主题 {key!r} (duplicate)")
            out[key] = match[2].strip()
        return out


class KeyParams(Codec):
    note = "参数=取值±容差，如 radius_m=1500±500"

    def write(self, value, ctx):
        if not isinstance(value, dict):
            return NO
        parts = []
        for k, v in value.items():
            if not isinstance(v, dict) or set(v) != {"value", "tolerance"}:
                return NO
            parts.append(
                f"{k}={number_text(v['value'])}" + (f"±{number_text(v['tolerance'])}" if v["tolerance"] else "")
            )
        return ", ".join(parts)

    def read(self, cell, ctx):
        out: dict[str, Any] = {}
        for item in (s.strip() for s in SPLIT_PAIRS.split(cell_text(cell)) if s.strip()):
            match = re.fullmatch(r"(.+?)\s*[=:：]\s*([^±]+?)\s*(?:(?:±|\+/-|\+-)\s*(.+))?", item)
            if not match:
                raise ValueError(f"应写作 参数=取值±容差，如 radius_m=1500±500，而不是 {item!r}")
            if match[1] in out:
                raise ValueError(f"重复的参数 {match[1]!r} (duplicate)")
            out[match[1]] = {"value": cell_number(match[2]), "tolerance": cell_number(match[3]) if match[3] else 0.0}
        return out


class Effects(Codec):
    """One effect a line: ``中断信道 c1``, ``灾害参数 wind_from_deg=135``, ``直接通知 fire, police`` …"""

    note = (
        "每行一项：中断信道 c1 / 恢复信道 c1 / 灾害参数 wind_from_deg=135 / 新增伤员 2 / 新增死亡 1 / "
        "直接通知 fire, police"
    )

    def write(self, value, ctx):
        if not isinstance(value, list):
            return NO
        lines = []
        for effect in value:
            if not isinstance(effect, dict) or len(effect) != 1:
                return NO
            [(key, arg)] = effect.items()
            verb = EFFECT_VERBS.get(key)
            if verb is None:
                return NO
            if key == "alert":
                text = ", ".join(arg) if isinstance(arg, list) and all(isinstance(a, str) for a in arg) else NO
            elif key == "set_hazard":
                text = ", ".join(f"{k}={_scalar_dump(v)}" for k, v in arg.items()) if isinstance(arg, dict) else NO
            else:
                text = number_text(arg) if isinstance(arg, int | float) else arg if isinstance(arg, str) else NO
            if text is NO:
                return NO
            lines.append(f"{verb} {text}")
        return "\n".join(lines)

    def read(self, cell, ctx):
        out = []
        for line in (s.strip() for s in cell_text(cell).splitlines() if s.strip()):
            key, rest = _verb(line)
            if not rest:
                raise ValueError(f"{line!r} 缺少内容，如 {EFFECT_VERBS[key]} …")
            if key in ("cut_channel", "restore_channel"):
                out.append({key: rest})
            elif key in ("add_casualties", "add_dead"):
                out.append({key: cell_number(rest)})
            elif key == "alert":
                out.append({key: [ctx.dept(s) for s in SPLIT_IDS.split(rest) if s]})
            elif rest.startswith("{"):
                out.append({key: flow_load(rest)})
            else:
                pairs = {}
                for item in (s.strip() for s in SPLIT_PAIRS.split(rest) if s.strip()):
                    name, sep, value = split_once(item, "=")
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
    return flow_dump([value])[1:-1]


def _scalar_load(text: str) -> Any:
    try:
        value = flow_load(text)
    except ValueError:
        return text
    return value if isinstance(value, str | int | float | bool) else text


class Conditions(Codec):
    """``除非已下达 evacuate`` / ``仅当已完成 stop_leak`` / ``除非已决策 report_up``, one a line."""

    note = "每行一条：除非已下达 措施 / 除非已完成 措施 / 除非已决策 动作 / 除非 触发：explosion；“仅当”同理"

    def write(self, value, ctx):
        if not isinstance(value, dict):
            return NO
        lines = []
        for kind, cond in value.items():
            if kind not in CONDITION_KINDS or not isinstance(cond, dict):
                return NO
            trigger = trigger_text(cond)
            if trigger is not None:  # the hazard's state: ``仅当 触发：depth@s_metro > 0.3``
                lines.append(f"{CONDITION_KINDS[kind]} {trigger}")
                continue
            if len(cond) != 1:
                return NO
            [(what, arg)] = cond.items()
            if what not in CONDITION_VERBS or not isinstance(arg, str):
                return NO
            lines.append(f"{CONDITION_KINDS[kind]}已{CONDITION_VERBS[what]} {arg}")
        return "\n".join(lines)

    def read(self, cell, ctx):
        kinds = {v: k for k, v in CONDITION_KINDS.items()} | {k: k for k in CONDITION_KINDS} | {"only if": "only_if"}
        verbs = {v: k for k, v in CONDITION_VERBS.items()} | {k: k for k in CONDITION_VERBS} | CONDITION_SYNONYMS
        kind_words, verb_words = "|".join(map(re.escape, kinds)), "|".join(map(re.escape, verbs))
        pattern = re.compile(rf"({kind_words})\s*[:：]?\s*已?\s*({verb_words})\s*[:：=]?\s*(.+)")
        out: dict[str, dict[str, str]] = {}
        trigger = re.compile(rf"({kind_words})\s*[:：]?\s*((?:触发|when).+)")
        for line in (s.strip() for s in cell_text(cell).splitlines() if s.strip()):
            hazard = trigger.fullmatch(line)
            when = read_trigger(hazard[2]) if hazard else None
            if when is not None:
                kind = kinds[hazard[1]]
                if kind in out:
                    raise ValueError(f"“{CONDITION_KINDS[kind]}”条件只能写一条 (one {kind} condition per inject)")
                out[kind] = when
                continue
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
        self.kind = kind  # "str", "scalar", "ids" or "structured"
        self.free_text = kind == "str"
        self.fallback = kind != "str"
        self.note = note

    def write(self, value, ctx):
        if self.kind == "ids" and isinstance(value, list) and value:
            return Idents().write(value, ctx)
        if self.kind in ("structured", "ids") and not isinstance(value, str):
            return flow_dump(value)
        if isinstance(value, str):
            return Text().write(value, ctx)
        return number_cell(value)

    def read(self, cell, ctx):
        if self.kind == "str":
            return Text().read(cell, ctx)
        if self.kind == "ids" and isinstance(cell, str) and not cell.lstrip().startswith("["):
            return Idents().read(cell, ctx)
        if isinstance(cell, str):
            return "" if cell == '""' else cell
        return cell
