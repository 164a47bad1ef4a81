"""What a hazard model says about itself, for the people who read it: its places, how each measure parameter is
set (title, unit, input kind, choices, default, bounds) and put in words, and the labels of its figures.

The models declare it once (``HazardModel.PLACES``, ``MEASURE_PARAMS``, ``FIGURES``, ``title``); everything here
reads those tables, so the console's forms, the report, the scores and the charts need no per-hazard code, and a
sixth hazard touches only its module and the registry.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic.fields import FieldInfo

from simulator.hazards.base import NO_UNIT, FigureSpec, HazardModel, ParamSpec, Place
from simulator.hazards.registry import REGISTRY
from simulator.identity import PerObject
from simulator.vocabulary import Label

#: measure parameters that name places of the hazard model (zones, sites, areas): checked against ``places``
PLACE_FIELDS = ("site", "sites", "area", "areas", "zone", "zones")
ALL = Label("全部", "all")


def model_of(hazard: Any) -> type[HazardModel]:
    """The model class of a scenario's hazard spec (``hazard.model``), of its parameters, or of a model name."""
    if isinstance(hazard, str):
        return REGISTRY[hazard]
    if hasattr(hazard, "model") and isinstance(hazard.model, str):
        return REGISTRY[hazard.model]
    for model in REGISTRY.values():
        if isinstance(hazard, model.Params):
            return model
    raise KeyError(f"no hazard model for {type(hazard).__name__}")


def _params_of(hazard: Any) -> Any:
    return hazard.params if hasattr(hazard, "model") and hasattr(hazard, "params") else hazard


def model_title(model_name: str) -> Label:
    """The hazard model's own name for people (``城市内涝`` / ``urban flooding``)."""
    return REGISTRY[model_name].title


def place_list(hazard_params: Any) -> list[Place]:
    """Every place of a scenario's hazard that a measure can name, with its kind (sites, areas, zones, floors)."""
    return model_of(hazard_params).place_list(hazard_params)


def places(hazard_params: Any) -> dict[str, str]:
    """id -> name of every place of a scenario's hazard (zones, sites, areas; a tower's floors as ``"3"`` → 3层)."""
    return dict(_places_of(hazard_params))


#: hazard parameters -> their places: hazard parameters are frozen models, so their places are worked out once, not
#: at every order a drill checks (``unknown_places``) nor in every drill of a batch
_PLACES: PerObject[dict[str, str]] = PerObject()


def _places_of(hazard_params: Any) -> dict[str, str]:
    """``places``, shared: the caller must not change it."""
    return _PLACES.get(hazard_params, lambda: {place.id: place.name for place in place_list(hazard_params)})


def unknown_places(hazard_params: Any, measure_params: Any) -> list[str]:
    """Place ids a measure names that the hazard does not have (a typo would otherwise act on nothing)."""
    known = _places_of(hazard_params)
    # a measure's parameters are a model (its fields are its __dict__) or, for a measure without physics, a dict,
    # which names no place; a missing attribute of a pydantic model costs an exception, so fields are read directly
    fields = getattr(measure_params, "__dict__", None) or {}
    named: list[str] = []
    for field in PLACE_FIELDS:
        value = fields.get(field)
        named.extend(value if isinstance(value, list) else [value] if value else [])
    return [name for name in named if name not in known]


# -- measure parameters -------------------------------------------------------------------------------------------
def measure_fields(hazard: Any, measure: str | None) -> list[ParamSpec]:
    """How each parameter of ``measure`` is set, for the scenario's ``hazard`` (spec with ``model`` and ``params``):
    choices (its places, floors 1..N), default and bounds resolved. Parameters only files use come last."""
    model = model_of(hazard)
    specs = model.MEASURE_PARAMS.get(measure or "", {})
    fields = model.measures[measure].model_fields if measure in model.measures else {}
    params = _params_of(hazard)
    out = [_resolve(key, spec, fields, params) for key, spec in specs.items()]
    return sorted(out, key=lambda spec: not spec.form)


def place_keys(hazard: Any, measure: str | None) -> tuple[str, ...]:
    """The parameters of ``measure`` that name places of the hazard (sites, areas, zones): where it acts."""
    specs = model_of(hazard).MEASURE_PARAMS.get(measure or "", {})
    return tuple(key for key, spec in specs.items() if spec.kind in ("place", "places"))


def named_places(hazard: Any, measure: str | None, params: dict[str, Any]) -> list[str] | None:
    """The places an order of ``measure`` names, in order; ``None`` when it names none (the measure has no place
    parameter, or leaves them empty: every place of its kind), so it acts everywhere it can."""
    named: list[str] = []
    for key in place_keys(hazard, measure):
        value = params.get(key)
        for place in value if isinstance(value, list) else [value] if value else []:
            if str(place) not in named:
                named.append(str(place))
    return named or None


def _resolve(key: str, spec: ParamSpec, fields: dict[str, FieldInfo], params: Any) -> ParamSpec:
    field = fields.get(key)
    low, high = _bounds(field) if field is not None else (None, None)
    choices = spec.choices
    if spec.kind in ("place", "places"):
        items = getattr(params, spec.places, [])
        choices = tuple((p.id, Label(p.name, p.name)) for p in items if spec.where is None or spec.where(p))
    elif spec.kind in ("floor_range", "floors"):
        choices = tuple((f, floor_label(f)) for f in range(1, params.floors + 1))
        low, high = 1, params.floors
    default = spec.default(params) if callable(spec.default) else spec.default
    if default is None and field is not None and not field.is_required() and field.default_factory is None:
        default = field.default
    if default is None:
        default = {"places": [], "floors": [], "place": choices[0][0] if choices else ""}.get(spec.kind, low or 0)
    return dataclasses.replace(
        spec,
        key=key,
        keys=spec.keys or (key,),
        choices=choices,
        default=default,
        min=spec.min if spec.min is not None else low,
        max=spec.max if spec.max is not None else high,
    )


def _bounds(field: FieldInfo) -> tuple[float | None, float | None]:
    low = high = None
    for m in field.metadata:
        if isinstance(m, Ge | Gt):
            low = m.ge if isinstance(m, Ge) else m.gt
        elif isinstance(m, Le | Lt):
            high = m.le if isinstance(m, Le) else m.lt
    return low, high


def floor_label(floor: int) -> Label:
    return Label(f"{floor}层", f"floor {floor}")


def param_label(hazard: Any, measure: str | None, key: str, lang: str = "zh") -> str:
    """The title of one measure parameter, with its unit (``疏散半径（米）``); its id when the model gives none."""
    for spec in measure_fields(hazard, measure):
        if key in spec.keys:
            return spec.label(lang)
    return key


def describe_params(hazard: Any, measure: str | None, params: dict[str, Any], lang: str = "zh") -> str:
    """A measure's parameters in words, with units: ``疏散半径1500米``, ``泵车16台``, ``第3至第8层``,
    ``排涝地点：解放路下穿隧道、人民路``; in English ``evacuation radius 1500 m``. Places are shown by name;
    a parameter the model does not describe is shown as written."""
    specs = {key: spec for spec in measure_fields(hazard, measure) for key in spec.keys}
    names = places(_params_of(hazard))
    parts: list[str] = []
    done: set[str] = set()
    for key, value in params.items():
        if key in done:
            continue
        spec = specs.get(key)
        if spec is None:
            parts.append(f"{key} {_plain(value, names, lang)}")
            continue
        done.update(spec.keys)
        parts.append(_phrase(spec, value, params, names, lang))
    return ("; " if lang == "en" else "，").join(p for p in parts if p)


def param_value(hazard: Any, measure: str | None, key: str, value: Any, lang: str = "zh") -> str:
    """One number of a measure parameter with its unit, no title: ``1500米``, ``30%``, ``16 units``."""
    spec = next((s for s in measure_fields(hazard, measure) if key in s.keys), None)
    if spec is None:
        return _number(value)
    if spec.percent:
        return f"{_number(value * 100)}%"
    unit = spec.unit(lang)
    return f"{_number(value)} {unit}".strip() if lang == "en" else f"{_number(value)}{unit}"


def _phrase(spec: ParamSpec, value: Any, params: dict[str, Any], names: dict[str, str], lang: str) -> str:
    en = lang == "en"
    title = spec.title(lang)
    if spec.kind == "floor_range":
        low, high = (params.get(k) for k in spec.keys)
        if low is None or high is None:
            return ""
        if en:
            return f"{title} {low}–{high}" if low != high else f"{title} {low}"
        return f"{title}第{low}至第{high}层" if low != high else f"{title}第{low}层"
    if spec.kind == "floors":
        if not value:
            return ""
        floors = ", ".join(map(str, value)) if en else "、".join(map(str, value))
        return f"{title} {floors}" if en else f"{title}第{floors}层"
    if spec.kind in ("place", "places", "choice"):
        if spec.kind == "choice":
            text = next((label(lang) for v, label in spec.choices if v == value), str(value))
        else:
            text = _plain(value, names, lang)
        return f"{title}: {text}" if en else f"{title}：{text}"
    if spec.percent:
        return f"{title} {_number(value * 100)}%" if en else f"{title}{_number(value * 100)}%"
    unit = spec.unit(lang)
    return f"{title} {_number(value)} {unit}".strip() if en else f"{title}{_number(value)}{unit}"


def _plain(value: Any, names: dict[str, str], lang: str) -> str:
    if isinstance(value, list):
        return (", " if lang == "en" else "、").join(_plain(v, names, lang) for v in value) or ALL(lang)
    if isinstance(value, float):
        return _number(value)
    return names.get(value, str(value)) if isinstance(value, str) else str(value)


def _number(value: Any) -> str:
    if isinstance(value, float):
        value = round(value, 6)
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


# -- figures ------------------------------------------------------------------------------------------------------
def figure_spec(model_name: str, key: str) -> FigureSpec:
    """The label and unit of one figure of a model's ``hazard_sample`` (its key as label if it declares none)."""
    spec = REGISTRY[model_name].figure_specs().get(key)
    return spec if spec is not None else FigureSpec(Label(key, key))


def figure_label(model_name: str, key: str) -> Label:
    """``figure_label("flood", "max_depth_m")`` → ``Label("最大水深", "Deepest water")``."""
    return figure_spec(model_name, key).label


def figure_unit(model_name: str, key: str) -> Label:
    """The unit of a figure (``Label("米", "m")``); an empty label for counts of nothing in particular."""
    spec = figure_spec(model_name, key)
    return Label("%", "%") if spec.percent else spec.unit or NO_UNIT
