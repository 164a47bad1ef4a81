"""The hazard models by the name a scenario gives (``hazard.model``).

Adding a model is its module and one entry here: everything else reads what the model declares.
"""

from simulator.hazards.base import HazardModel
from simulator.hazards.crowd import Crowd
from simulator.hazards.fire import Fire
from simulator.hazards.flood import Flood
from simulator.hazards.gas import Gas
from simulator.hazards.toxic_plume import ToxicPlume

REGISTRY: dict[str, type[HazardModel]] = {model.name: model for model in (ToxicPlume, Flood, Gas, Fire, Crowd)}
