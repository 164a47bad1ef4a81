"""Hazard models behind one interface (``base.HazardModel``); the registry maps a scenario's model name to one."""

from typing import Any

from simulator.hazards.base import HazardModel
from simulator.hazards.crowd import Crowd
from simulator.hazards.fire import Fire
from simulator.hazards.flood import Flood
from simulator.hazards.gas import Gas
from simulator.hazards.toxic_plume import ToxicPlume

REGISTRY: dict[str, type[HazardModel]] = {model.name: model for model in (ToxicPlume, Flood, Gas, Fire, Crowd)}


def describe_params(hazard: Any, measure: str | None, params: dict[str, Any]) -> str:
    """A measure's parameters as a person reads them: ``半径（米）1500``, ``地点 解放路下穿隧道``.

    ``hazard`` is the scenario's hazard spec; field titles come from the measure's parameter model, and ids of
    places (zones, sites, areas, spaces) are shown by their names.
    """
    names = places(hazard.params)
    return "，".join(f"{param_label(hazard, measure, key)} {_value(value, names)}" for key, value in params.items())


#: measure parameters that name places of the hazard model (zones, sites, areas)
PLACE_FIELDS = ("site", "sites", "area", "areas", "zone", "zones")


def places(params: Any) -> dict[str, str]:
    """id -> name of every place a hazard's parameters list (zones, sites, areas, …)."""
    return {
        item.id: item.name
        for value in vars(params).values()
        if isinstance(value, list)
        for item in value
        if hasattr(item, "id") and hasattr(item, "name")
    }


def unknown_places(hazard_params: Any, measure_params: Any) -> list[str]:
    """Place ids a measure names that the hazard does not have (a typo would otherwise act on nothing)."""
    known = places(hazard_params)
    named: list[str] = []
    for field in PLACE_FIELDS:
        value = getattr(measure_params, field, None)
        named.extend(value if isinstance(value, list) else [value] if value else [])
    return [name for name in named if name not in known]


def param_label(hazard: Any, measure: str | None, key: str) -> str:
    """The Chinese title of one measure parameter (its id when the model gives none)."""
    model = REGISTRY[hazard.model].measures.get(measure or "")
    field = model.model_fields.get(key) if model is not None else None
    return field.title if field is not None and field.title else key


def _value(value: Any, places: dict[str, str]) -> str:
    if isinstance(value, list):
        return "、".join(_value(v, places) for v in value) or "全部"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return places.get(value, str(value)) if isinstance(value, str) else str(value)


__all__ = ["REGISTRY", "HazardModel", "describe_params", "param_label", "places", "unknown_places"]
