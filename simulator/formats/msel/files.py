"""Either format in, YAML out: an upload read by its suffix (.yaml or .xlsx) with the same guards as the
workbook, a scenario written back as the YAML a person would write, and each inject's release minute for the
authoring page's timeline.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, BeforeValidator

from simulator.errors import FileFormatError, Problem
from simulator.formats import load_scenario
from simulator.formats.distributions import Fixed
from simulator.formats.durations import parse_minutes
from simulator.formats.loader import MAX_DEPTH, MAX_FILE_BYTES, read_text
from simulator.formats.msel.cells import check_nodes
from simulator.formats.msel.reader import load_xlsx
from simulator.formats.scenario import Scenario

XLSX_SUFFIXES = (".xlsx", ".xlsm")
YAML_SUFFIXES = (".yaml", ".yml")


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
        check_nodes(node)
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
