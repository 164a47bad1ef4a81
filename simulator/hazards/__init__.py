"""Hazard models behind one interface (``base.HazardModel``); the registry maps a scenario's model name to one."""

from simulator.hazards.base import HazardModel
from simulator.hazards.crowd import Crowd
from simulator.hazards.fire import Fire
from simulator.hazards.flood import Flood
from simulator.hazards.gas import Gas
from simulator.hazards.toxic_plume import ToxicPlume

REGISTRY: dict[str, type[HazardModel]] = {model.name: model for model in (ToxicPlume, Flood, Gas, Fire, Crowd)}

__all__ = ["REGISTRY", "HazardModel"]
