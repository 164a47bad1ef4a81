"""``simulator.identity.PerObject``: what the engine shares between drills is made once per live object, never
handed to another object that happens to get the same id, and does not keep the object alive."""

from __future__ import annotations

import gc

from simulator.identity import PerObject


class Model:
    """Stands for a loaded model: unhashable, as pydantic models holding dicts are."""

    __hash__ = None  # type: ignore[assignment]


def test_a_value_is_made_once_per_object_and_again_for_another_object_or_along():
    made: list[str] = []
    values: PerObject[str] = PerObject()
    first, second, scenario, other_scenario = Model(), Model(), object(), object()

    def make(name: str):
        return lambda: made.append(name) or name

    assert values.get(first, make("first"), along=scenario) == "first"
    assert values.get(first, make("again"), along=scenario) == "first"
    assert values.get(second, make("second"), along=scenario) == "second"
    assert values.get(first, make("elsewhere"), along=other_scenario) == "elsewhere"
    assert made == ["first", "second", "elsewhere"]


def test_the_value_goes_with_its_object_and_a_new_object_gets_its_own():
    values: PerObject[list[int]] = PerObject()
    gone = Model()
    values.get(gone, lambda: [1])
    del gone
    gc.collect()
    assert values._values == {}  # nothing kept for the dead object
    assert values.get(Model(), lambda: [2]) == [2]
    assert values.get({"plain": "dict"}, lambda: [3]) == [3]  # cannot be referred to weakly: made, not kept
