"""Each hazard lays out its own part of the site map (``HazardModel.site_map``), so a new hazard is its module and
the registry, nothing in ``simulator.sitemap``; a model that draws nothing of its own still shows its places."""

from __future__ import annotations

from typing import Any, ClassVar

from simulator.hazards import REGISTRY
from simulator.hazards.base import HazardModel, Located, Strict
from simulator.sitemap import map_at
from simulator.vocabulary import Label
from tests.test_sitemap import _run


def test_every_bundled_hazard_draws_its_own_layout():
    for model in REGISTRY.values():
        assert "site_map" in vars(model), f"{model.__name__} leaves its map to the default"


def test_the_map_of_a_drill_is_the_models_layout_plus_rings_and_units():
    scenario, log = _run("urban_flood")
    own = REGISTRY["flood"].site_map(scenario.hazard.params, {})
    full = map_at(scenario, log, 60)
    assert [m.name for m in full.marks] == [m.name for m in own.marks]
    assert full.rings or full.units  # what every map adds: an hour in, measures and departments are out


class _Spot(Located):
    id: str
    name: str


class _Params(Strict):
    spots: list[_Spot]


class _Bare(HazardModel):
    """A new hazard that declares its places but no layout of its own."""

    name = "bare"
    Params = _Params
    measures: ClassVar[dict[str, type[Strict]]] = {}
    title = Label("新灾种", "new hazard")
    PLACES: ClassVar[dict[str, Label]] = {"spots": Label("地点", "spot")}

    def step(self, t: float, dt: float) -> list[Any]:
        return []

    def figures(self) -> dict[str, float | int | bool]:
        return {}

    @property
    def contained(self) -> bool:
        return False


def test_a_hazard_without_a_layout_shows_its_places_by_name():
    unplaced = _Params(spots=[_Spot(id="a", name="东门"), _Spot(id="b", name="西门"), _Spot(id="c", name="北门")])
    site_map = _Bare.site_map(unplaced, {})
    assert [m.name for m in site_map.marks] == ["东门", "西门", "北门"]
    assert site_map.schematic and site_map.model == "bare"
    assert len({(round(m.x), round(m.y)) for m in site_map.marks}) == 3  # spread out, not piled on the scene
    assert site_map.plume is None and not site_map.floors and not site_map.headline  # no extent it cannot know
    placed = _Params(spots=[_Spot(id="a", name="东门", x_m=300, y_m=0), _Spot(id="b", name="西门", x_m=-300, y_m=0)])
    site_map = _Bare.site_map(placed, {})
    assert not site_map.schematic and [(m.x, m.y) for m in site_map.marks] == [(300, 0), (-300, 0)]
    assert site_map.extent_m >= 300
