"""Hazard models behind one interface (``base.HazardModel``); the registry maps a scenario's model name to one.

What the others read of a hazard, by these names (stable; see ``describe``):

- ``places(hazard_params) -> {id: name}`` and ``place_list(hazard_params) -> [Place(kind, id, name)]``;
- ``measure_fields(hazard, measure) -> [ParamSpec]``: title and unit (``Label``), input kind, choices, default,
  min/max of each measure parameter, resolved for the scenario (its places, floors 1..N);
- ``describe_params(hazard, measure, params, lang="zh") -> str``: ``疏散半径1500米，泵车16台``;
- ``param_label(hazard, measure, key, lang="zh")``: one parameter's title with its unit;
  ``param_value(hazard, measure, key, value, lang="zh")``: one value with its unit (``1500米``, ``30%``);
- ``figure_label(model_name, key) -> Label`` and ``figure_unit(model_name, key) -> Label``: a sample figure's
  label and unit; ``model_title(model_name) -> Label``: the model's own name.

``hazard`` is the scenario's hazard spec (``scenario.hazard``, with ``model`` and ``params``).
"""

from simulator.hazards.base import FigureSpec, HazardModel, ParamSpec, Place
from simulator.hazards.describe import (
    describe_params,
    figure_label,
    figure_spec,
    figure_unit,
    measure_fields,
    model_of,
    model_title,
    param_label,
    param_value,
    place_list,
    places,
    unknown_places,
)
from simulator.hazards.registry import REGISTRY

__all__ = [
    "REGISTRY",
    "FigureSpec",
    "HazardModel",
    "ParamSpec",
    "Place",
    "describe_params",
    "figure_label",
    "figure_spec",
    "figure_unit",
    "measure_fields",
    "model_of",
    "model_title",
    "param_label",
    "param_value",
    "place_list",
    "places",
    "unknown_places",
]
