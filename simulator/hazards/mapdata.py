"""The site map's plain data (``SiteMap`` and what it holds) and the small helpers a hazard's layout uses.

A leaf module: each hazard model lays out its own map (``HazardModel.site_map``), and ``simulator.sitemap`` adds
what every map has (the rings, the units, the command post) — both import the types from here, so neither imports
the other. Coordinates are metres east (x) and north (y) of the scene; a tower fire is drawn in elevation instead
(x across, y in floors). Every word is a ``Label`` (both languages) or scenario data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from simulator.vocabulary import Label

NO_NOTE = Label("", "")
#: the eight compass points a wind comes from, clockwise from north
COMPASS = (
    Label("北", "N"),
    Label("东北", "NE"),
    Label("东", "E"),
    Label("东南", "SE"),
    Label("南", "S"),
    Label("西南", "SW"),
    Label("西", "W"),
    Label("西北", "NW"),
)


@dataclass(frozen=True, slots=True)
class Mark:
    """A place on the map: its reading (``note``) and how near danger it is (``level``: 1 = at the threshold)."""

    id: str
    name: str
    x: float
    y: float
    level: float = 0.0
    note: Label = NO_NOTE
    enclosed: bool = False  # a confined space (a basement, a trench) rather than open ground


@dataclass(frozen=True, slots=True)
class Ring:
    """A circle about the scene: an evacuation or shelter radius, a power cut, the cordon."""

    measure: str
    radius_m: float
    label: Label
    state: str  # a key of simulator.sitemap.RING_STATES
    cordon: bool = False


@dataclass(frozen=True, slots=True)
class Plume:
    """The plume's sector: its axis (the bearing it blows to), half-angle, length and its inner danger part."""

    downwind_deg: float
    half_angle_deg: float
    length_m: float
    danger_m: float


@dataclass(frozen=True, slots=True)
class Wind:
    from_deg: float
    speed_m_s: float
    label: Label


@dataclass(frozen=True, slots=True)
class Unit:
    """A department on its way (``en_route``) or on scene, where the map puts it."""

    dept: str
    name: str
    x: float
    y: float
    en_route: bool


@dataclass(frozen=True, slots=True)
class Floor:
    """One floor of a burning tower: fire and smoke 0 … 1, the share of its residents out, burnt or not."""

    number: int
    fire: float
    smoke: float
    out: float
    burnt: bool
    smoke_logged: bool


@dataclass
class SiteMap:
    """The map at minute ``t``. A hazard's layout fills the model's part (marks, plume, wind, floors, headline,
    extent); ``simulator.sitemap.build`` then sets the minute, the scene's name, the rings, units and command post."""

    t: float
    model: str
    scene: str
    extent_m: float
    schematic: bool = False
    elevation: bool = False  # a tower in elevation (x across, y in floors), not a plan
    marks: list[Mark] = field(default_factory=list)
    rings: list[Ring] = field(default_factory=list)
    plume: Plume | None = None
    wind: Wind | None = None
    units: list[Unit] = field(default_factory=list)
    floors: list[Floor] = field(default_factory=list)
    command_post: tuple[float, float] | None = None
    headline: list[Label] = field(default_factory=list)


def polar(bearing_deg: float, distance_m: float) -> tuple[float, float]:
    """The point ``distance_m`` from the scene at a compass bearing (0 = north, clockwise), as (east, north)."""
    b = math.radians(bearing_deg)
    return distance_m * math.sin(b), distance_m * math.cos(b)


def compass(from_deg: float) -> Label:
    """The compass point a wind comes from: 东北 / NE."""
    return COMPASS[round(from_deg / 45.0) % 8]


def placed(items, ring_m: float) -> tuple[list[tuple[Any, float, float]], bool]:
    """Each place with its coordinates: its own, or evenly on a ring of ``ring_m`` metres (schematic) when any
    has none — a map that mixes true and guessed positions would mislead, so it is all one or the other."""
    schematic = any(getattr(item, "x_m", None) is None or getattr(item, "y_m", None) is None for item in items)
    out = []
    for i, item in enumerate(items):
        if schematic:
            x, y = polar(360.0 * i / len(items), ring_m)
        else:
            x, y = item.x_m, item.y_m
        out.append((item, x, y))
    return out, schematic


def extent(points: list[tuple[float, float]], least: float) -> float:
    """Half the map's width: a fifth beyond the furthest point, and at least ``least`` metres."""
    return max([least, *(max(abs(x), abs(y)) * 1.2 for x, y in points)])
