"""Where a scenario field sits in the pydantic models, read off their annotations: the default a blank cell
stands for, and how a hazard parameter is written (a sheet of its own, a YAML value, text or a number).
"""

from __future__ import annotations

import types
from functools import lru_cache
from inspect import isclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from simulator.formats.msel.cells import NO
from simulator.formats.scenario import Scenario


def blank_default(loc: tuple[Any, ...]) -> Any:
    """The default of the field at ``loc`` when a blank cell reads back as it ("", [] or {}), else ``NO``."""
    return _blank_default_of(tuple(p for p in loc if not isinstance(p, int)))


@lru_cache(maxsize=512)
def _blank_default_of(path: tuple[str, ...]) -> Any:
    model: Any = Scenario
    info = None
    for part in path:
        fields = model.model_fields if isclass(model) and issubclass(model, BaseModel) else {}
        info = next((f for n, f in fields.items() if (f.alias or n) == part), None)
        if info is None:
            return NO
        model = _model_of(info.annotation)
    if info is None or info.is_required():
        return NO
    default = info.get_default(call_default_factory=True)
    return default if default in ("", [], {}) and not isinstance(default, bool) else NO


def _model_of(annotation: Any) -> Any:
    """The model class a field holds, or holds a list of (None for unions of several)."""
    annotation = strip_annotated(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _model_of(args[0]) if len(args) == 1 else None
    if origin is list and get_args(annotation):
        return _model_of(get_args(annotation)[0])
    return annotation if isclass(annotation) and issubclass(annotation, BaseModel) else None


def get_path(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path`` in a dumped scenario, None where any step is missing (a key–value sheet's row)."""
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Put ``value`` at ``path`` in the raw scenario being read, making the dicts on the way."""
    for part in path[:-1]:
        nxt = data.get(part)
        if not isinstance(nxt, dict):
            nxt = data[part] = {}
        data = nxt
    data[path[-1]] = value


def strip_annotated(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` (constraints and validators do not change how a cell is written)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def param_kind(annotation: Any) -> str:
    """How a hazard parameter is written: ``table`` (a list of objects: its own sheet), ``ids`` (a list of ids, comma
    separated), ``structured`` (YAML),
    ``str`` (text kept exactly) or ``scalar`` (a number or flag)."""
    annotation = strip_annotated(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        kinds = {param_kind(a) for a in get_args(annotation) if a is not type(None)}
        if kinds & {"table", "structured"}:
            return "structured"
        return "str" if kinds == {"str"} else "scalar"
    if origin is list:
        item = strip_annotated(get_args(annotation)[0]) if get_args(annotation) else None
        if item is str:
            return "ids"  # a list of ids (a substation's ``feeds``): ``a, b`` in one cell
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
