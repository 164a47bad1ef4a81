"""The site map as data: where the places are, the hazard's extent at a minute, the rings of the measures in force
and the units on their way or on scene — worked out from the scenario and the world, with no plotting here.

The console's 大屏, replay and the report draw the same ``SiteMap`` (``ui.sitemap`` with plotly, ``simulator.report
.sitemap`` with matplotlib). Coordinates are metres east (x) and north (y) of the scene; a tower fire is drawn in
elevation instead (x across, y in floors). Places the scenario gives no coordinates are laid out schematically, and
the map says so. Every word is a ``Label`` (both languages) or scenario data, so renderers only choose a language.

The event log holds the hazard's aggregate figures only (a flood's deepest site, not every site's depth), so a map
of a logged drill rebuilds it from its decisions (``track``: the log holds every decision), keeping the hazard's
``map_state`` at every minute; the rebuilt log must equal the given one, byte for byte, or the map falls back to
what the log's figures say. A drill is a pure function of (scenario, seed, decisions): the rebuild is exact.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from simulator.engine.drill import Drill
from simulator.engine.events import ACCEPTED, REJECTED, Event, EventLog
from simulator.engine.state import WorldState, state_at
from simulator.formats import plan as p
from simulator.formats.scenario import Scenario
from simulator.vocabulary import DEPARTMENT_STATUS, Label

SCHEMATIC = Label("示意图，未按比例", "schematic, not to scale")
SCENE = Label("事发点", "scene")
EN_ROUTE = DEPARTMENT_STATUS["mobilised"]
ON_SCENE = DEPARTMENT_STATUS["on_scene"]
#: how far a ring's measure has got: ordered (sent, not begun), under way, done (fully in effect)
RING_STATES = {
    "ordered": Label("已下达", "ordered"),
    "started": Label("实施中", "under way"),
    "finished": Label("已落实", "in effect"),
}
CORDON = Label("警戒区", "cordon")
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
#: default schematic rings (metres) for places with no coordinates
FLOOD_RING_M = 1500.0
CROWD_RING_M = 150.0


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
    state: str  # a key of RING_STATES
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


# -- the world at a minute -------------------------------------------------------------------------------------------
_DECISION = TypeAdapter(p.Decision)


def decisions_of(log: EventLog | list[Event]) -> list[Any]:
    """Every decision the log took (accepted or rejected, in order), as the plan entries that took them."""
    out = []
    for e in log:
        if e.kind in ACCEPTED or e.kind in REJECTED:  # the trainees' and exercise control's alike
            out.append(_DECISION.validate_python({"at": e.t, "by": e["by"], "action": e["action"], **e["detail"]}))
    return out


@dataclass(frozen=True)
class Track:
    """The hazard's ``map_state`` at every minute of a rebuilt drill (and at each decision's minute)."""

    times: list[float]
    states: list[dict[str, Any]]

    def at(self, t: float) -> dict[str, Any]:
        i = bisect.bisect_right(self.times, t) - 1
        return self.states[max(i, 0)] if self.states else {}


_TRACKS: OrderedDict[str, Track | None] = OrderedDict()


def track(scenario: Scenario, log: EventLog) -> Track | None:
    """Rebuild the drill of ``log`` minute by minute, keeping the hazard's map state; None when the rebuild does not
    give the very same log (another scenario version, a log from elsewhere). The last few are kept."""
    jsonl = log.to_jsonl()
    key = hashlib.sha256((scenario.model_dump_json() + "\n" + jsonl).encode()).hexdigest()
    if key in _TRACKS:
        _TRACKS.move_to_end(key)
        return _TRACKS[key]
    found = _rebuild(scenario, log, jsonl)
    _TRACKS[key] = found
    while len(_TRACKS) > 8:
        _TRACKS.popitem(last=False)
    return found


def _rebuild(scenario: Scenario, log: EventLog, jsonl: str) -> Track | None:
    started = log.of("drill_started")
    if not started:
        return None
    try:
        pending = sorted(decisions_of(log), key=lambda d: d.at)
    except (ValidationError, KeyError):
        return None
    drill = Drill(scenario, started[0]["seed"])
    # The log does not hold a live drill's clock: it stood at its last event or later, and before the next hazard
    # sample was due (that would have been logged). Frames run to there, so the map at the clock is the live one.
    last = log[len(log) - 1].t
    sampled = log.of("hazard_sample")[-1].t if log.of("hazard_sample") else 0.0
    end = min(max(float(math.ceil(last)), sampled + scenario.sample_every - 1), float(drill.end))
    times = sorted({*map(float, range(int(end) + 1)), *(d.at for d in pending), float(last)})
    states = []
    for t in times:
        drill.advance(t)
        while pending and pending[0].at <= t:
            drill.advance(pending[0].at)  # as ``replay`` does: what one decision set off happens before the next
            drill.submit(pending.pop(0))
            drill.advance(t)
        states.append(drill.hazard.map_state(drill.now))
    if log.of("drill_ended"):
        drill.advance(drill.end)
    if EventLog([e for e in drill.log if e.t <= last]).to_jsonl() != jsonl:
        return None
    return Track(times, states)


def measures_at(log: EventLog | list[Event], t: float) -> dict[str, dict[str, Any]]:
    """Measure id -> its setting at minute ``t`` (its last order or adjustment): a log's ``measures_in_force``."""
    out: dict[str, dict[str, Any]] = {}
    for e in log:
        if e.t > t:
            break
        if e.kind == "task_ordered" and e.get("measure"):
            out[e["measure"]] = dict(e.get("params") or {})
    return out


def map_at(scenario: Scenario, log: EventLog, t: float) -> SiteMap:
    """The map of a logged drill at minute ``t`` (replay, the report)."""
    found = track(scenario, log)
    hazard = found.at(t) if found is not None else _from_figures(scenario, state_at(log, t).hazard)
    return build(scenario, t, hazard, state_at(log, t), measures_at(log, t))


def live_map(drill: Drill) -> SiteMap:
    """The map of a drill under way, now (the 大屏): the hazard model itself, the measures in force."""
    now = drill.now
    return build(drill.scenario, now, drill.hazard.map_state(now), state_at(drill.log, now), drill.measures_in_force())


def _from_figures(scenario: Scenario, figures: dict[str, Any]) -> dict[str, Any]:
    """What the log's figures alone tell of the extent (a plume's axis and length; nothing per place)."""
    if scenario.hazard.model != "toxic_plume" or "downwind_deg" not in figures:
        return {}
    prm = scenario.hazard.params
    length = float(figures.get("plume_length_m") or 0.0)
    return {
        "wind_from_deg": (float(figures["downwind_deg"]) + 180.0) % 360.0,
        "wind_speed_m_s": prm.wind_speed_m_s,
        "downwind_deg": float(figures["downwind_deg"]),
        "half_angle_deg": prm.plume_half_angle_deg,
        "length_m": length,
        "danger_m": prm.danger_fraction * length,
    }


# -- the map ----------------------------------------------------------------------------------------------------
def build(
    scenario: Scenario, t: float, hazard: dict[str, Any], world: WorldState, measures: dict[str, dict[str, Any]]
) -> SiteMap:
    """The map at minute ``t`` from the hazard's map state, the world rebuilt from the log and the measures in
    force (measure id -> setting)."""
    prm = scenario.hazard.params
    model = scenario.hazard.model
    site_map = _LAYOUTS[model](prm, hazard)
    site_map.t = t
    site_map.scene = prm.map_scene or scenario.location or SCENE.zh
    site_map.rings = _rings(scenario, world, measures)
    if site_map.rings and not site_map.elevation:
        site_map.extent_m = max(site_map.extent_m, max(r.radius_m for r in site_map.rings) * 1.1)
    if world.command_post is not None:
        site_map.command_post = _aside(site_map, 0.16)
    site_map.units = _units(scenario, world, site_map)
    return site_map


def _rings(scenario: Scenario, world: WorldState, measures: dict[str, dict[str, Any]]) -> list[Ring]:
    """A ring for each measure in force that reaches a radius, and the cordon once its measure is ordered."""
    names = {m.id: m.name for m in scenario.measures}
    status: dict[str, str] = {}
    for task in world.tasks.values():  # in the order ordered: the last task of a measure is its current one
        if task.get("measure"):
            status[task["measure"]] = task["status"]
    prm = scenario.hazard.params
    rings = []
    for measure, setting in measures.items():
        radius = setting.get("radius_m")
        if isinstance(radius, int | float) and radius > 0:
            name = names.get(measure, "")
            label = Label(f"{name}{radius:g}米", f"{name} {radius:g} m")
            rings.append(Ring(measure, float(radius), label, status.get(measure, "ordered")))
    if prm.cordon_m > 0 and prm.cordon_measure in measures:
        label = Label(f"{CORDON.zh}{prm.cordon_m:g}米", f"{CORDON.en} {prm.cordon_m:g} m")
        rings.append(Ring(prm.cordon_measure, prm.cordon_m, label, status.get(prm.cordon_measure, "ordered"), True))
    return rings


def _aside(site_map: SiteMap, share: float) -> tuple[float, float]:
    """A point off the scene on its safe side (upwind of a plume, south otherwise): the command post, the units."""
    if site_map.elevation:
        return (-site_map.extent_m * 0.55, -2.0)
    bearing = site_map.wind.from_deg if site_map.wind is not None else 180.0
    r = site_map.extent_m * share
    return (r * math.sin(math.radians(bearing)), r * math.cos(math.radians(bearing)))


def _units(scenario: Scenario, world: WorldState, site_map: SiteMap) -> list[Unit]:
    """The departments on their way (in a line at the map's edge) or on scene (a tight group by the command post),
    both on the safe side; the renderers name them in a panel, not beside each mark."""
    moving = []
    for d in scenario.departments:
        state = world.departments.get(d.id)
        if state is not None and state.status in ("mobilised", "on_scene", "working"):
            moving.append((d, state.status == "mobilised"))
    units = []
    here = [d for d, en_route in moving if not en_route]
    coming = [d for d, en_route in moving if en_route]
    if site_map.elevation:  # rows at the tower's foot: on scene nearer, en route further out
        for group, y, en_route in ((here, -2.5, False), (coming, -5.5, True)):
            step = site_map.extent_m * min(0.16, 1.8 / max(len(group), 1))
            for i, d in enumerate(group):
                units.append(Unit(d.id, d.name, (i - (len(group) - 1) / 2) * step, y, en_route))
        return units
    step = site_map.extent_m * 0.035
    for group, share, en_route in ((here, 0.3, False), (coming, 0.88, True)):
        cx, cy = _aside(site_map, share)
        for i, d in enumerate(group):
            units.append(Unit(d.id, d.name, cx + (i % 4 - 1.5) * step, cy - (i // 4) * step, en_route))
    return units


def _polar(bearing_deg: float, distance_m: float) -> tuple[float, float]:
    b = math.radians(bearing_deg)
    return distance_m * math.sin(b), distance_m * math.cos(b)


def compass(from_deg: float) -> Label:
    """The compass point a wind comes from: 东北 / NE."""
    return COMPASS[round(from_deg / 45.0) % 8]


def _placed(items, hazard_ring_m: float) -> tuple[list[tuple[Any, float, float]], bool]:
    """Each place with its coordinates: its own, or evenly on a ring (schematic) when any has none."""
    schematic = any(item.x_m is None or item.y_m is None for item in items)
    out = []
    for i, item in enumerate(items):
        if schematic:
            x, y = _polar(360.0 * i / len(items), hazard_ring_m)
        else:
            x, y = item.x_m, item.y_m
        out.append((item, x, y))
    return out, schematic


def _extent(points: list[tuple[float, float]], least: float) -> float:
    return max([least, *(max(abs(x), abs(y)) * 1.2 for x, y in points)])


def _plume_map(prm, hazard: dict[str, Any]) -> SiteMap:
    moved = hazard.get("moved", {})
    plume = None
    if "length_m" in hazard:
        plume = Plume(hazard["downwind_deg"], hazard["half_angle_deg"], hazard["length_m"], hazard["danger_m"])
    marks = []
    for z in prm.zones:
        x, y = _polar(z.bearing_deg, z.distance_m)
        inside = plume is not None and _in_sector(z.bearing_deg, z.distance_m, plume)
        share = moved.get(z.id, 0.0)
        level = (1.0 - share) * (1.5 if inside and z.distance_m <= plume.danger_m else 1.0 if inside else 0.2)
        zh = f"{z.population}人" + ("，在烟羽中" if inside else "") + (f"，已转移{share:.0%}" if share > 0 else "")
        en = f"{z.population} people" + (", in the plume" if inside else "") + (f", {share:.0%} moved" if share else "")
        marks.append(Mark(z.id, z.name, x, y, level, Label(zh, en)))
    wind_from = hazard.get("wind_from_deg", prm.wind_from_deg)
    speed = hazard.get("wind_speed_m_s", prm.wind_speed_m_s)
    point = compass(wind_from)
    wind = Wind(wind_from, speed, Label(f"{point.zh}风 {speed:g}米/秒", f"wind from {point.en}, {speed:g} m/s"))
    extent = _extent([(m.x, m.y) for m in marks], 500.0)
    headline = [wind.label]
    if plume is not None:
        headline.append(Label(f"烟羽长度{plume.length_m:.0f}米", f"plume {plume.length_m:.0f} m long"))
    if "leaking" in hazard:
        headline.append(Label("仍在泄漏", "still leaking") if hazard["leaking"] else Label("已止漏", "leak stopped"))
    return SiteMap(0.0, "toxic_plume", "", extent, marks=marks, plume=plume, wind=wind, headline=headline)


def _in_sector(bearing_deg: float, distance_m: float, plume: Plume) -> bool:
    off = abs(bearing_deg - plume.downwind_deg) % 360.0
    return distance_m <= plume.length_m and min(off, 360.0 - off) <= plume.half_angle_deg


def _flood_map(prm, hazard: dict[str, Any]) -> SiteMap:
    depth, pumps, protected = hazard.get("depth", {}), hazard.get("pumps", {}), hazard.get("protected", {})
    placed, schematic = _placed(prm.sites, FLOOD_RING_M)
    marks = []
    for s, x, y in placed:
        d = depth.get(s.id)
        zh = "积水—" if d is None else f"积水{d:.2f}米（警戒{s.danger_depth_m:g}米）"
        en = "water —" if d is None else f"water {d:.2f} m (danger {s.danger_depth_m:g} m)"
        if pumps.get(s.id):
            zh, en = zh + f"，泵车{pumps[s.id]:g}台", en + f", {pumps[s.id]:g} pumps"
        if protected.get(s.id, 0) >= 1:
            zh, en = zh + "，人员已撤离", en + ", people out"
        marks.append(Mark(s.id, s.name, x, y, (d or 0.0) / s.danger_depth_m, Label(zh, en)))
    rain = hazard.get("rain_mm_h", prm.rain_mm_h)
    headline = [Label(f"雨强{rain:.0f}毫米/小时", f"rain {rain:.0f} mm/h")]
    extent = _extent([(m.x, m.y) for m in marks], 500.0)
    return SiteMap(0.0, "flood", "", extent, schematic=schematic, marks=marks, headline=headline)


def _crowd_map(prm, hazard: dict[str, Any]) -> SiteMap:
    density, crushed = hazard.get("density", {}), set(hazard.get("crushed", ()))
    placed, schematic = _placed(prm.areas, CROWD_RING_M)
    marks = []
    for a, x, y in placed:
        d = density.get(a.id)
        zh = "密度—" if d is None else f"{d:.1f}人/平方米"
        en = "density —" if d is None else f"{d:.1f} people/m²"
        if a.id in crushed:
            zh, en = zh + "，发生踩踏", en + ", crush"
        level = 2.0 if a.id in crushed else (d or 0.0) / prm.crush_onset
        marks.append(Mark(a.id, a.name, x, y, level, Label(zh, en)))
    extent = _extent([(m.x, m.y) for m in marks], 100.0)
    return SiteMap(0.0, "crowd", "", extent, schematic=schematic, marks=marks)


def _gas_map(prm, hazard: dict[str, Any]) -> SiteMap:
    """Areas along the street (x: the distance from the leak), spaces below it and open ground above."""
    lel, exploded, damaged = hazard.get("lel", {}), set(hazard.get("exploded", ())), set(hazard.get("damaged", ()))
    schematic = any(a.x_m is None or a.y_m is None for a in prm.areas)
    marks = []
    for i, a in enumerate(prm.areas):
        if schematic:
            x, y = a.distance_m, (-1 if a.confined else 1) * (20.0 + 12.0 * (i % 2))
        else:
            x, y = a.x_m, a.y_m
        share = lel.get(a.id)
        if not a.confined:
            zh, en, level = f"{a.population}人", f"{a.population} people", 0.0
        elif share is None:
            zh, en, level = "燃气—", "gas —", 0.0
        else:
            zh, en, level = f"燃气{share:.0%}爆炸下限", f"gas {share:.0%} of the LEL", share
        if a.id in exploded:
            zh, en, level = zh + "，已爆炸", en + ", exploded", 2.0
        elif a.id in damaged:
            zh, en, level = zh + "，受损", en + ", damaged", max(level, 1.5)
        marks.append(Mark(a.id, a.name, x, y, level, Label(zh, en), enclosed=a.confined))
    headline = []
    if "leaking" in hazard:
        headline.append(Label("仍在泄漏", "still leaking") if hazard["leaking"] else Label("已关阀", "valves shut"))
    extent = _extent([(m.x, m.y) for m in marks], 60.0)
    return SiteMap(0.0, "gas", "", extent, schematic=schematic, marks=marks, headline=headline)


def _fire_map(prm, hazard: dict[str, Any]) -> SiteMap:
    """A tower in elevation: floor f spans y from f-1 to f; the units stand at its foot."""
    fire, smoke, out = hazard.get("fire", []), hazard.get("smoke", []), hazard.get("out", [])
    burnt, trapped = set(hazard.get("burnt", ())), hazard.get("trapped_smoke", prm.trapped_smoke)
    floors = []
    for i in range(prm.floors):
        f = i + 1
        level = smoke[i] if i < len(smoke) else 0.0
        floors.append(
            Floor(
                f,
                fire[i] if i < len(fire) else 0.0,
                level,
                out[i] if i < len(out) else 0.0,
                f in burnt,
                level >= trapped,
            )
        )
    burning = [f.number for f in floors if f.fire > 0.02]
    headline = [
        Label(f"起火楼层{prm.fire_floor}层", f"fire started on floor {prm.fire_floor}"),
        Label(f"燃烧楼层{len(burning)}层", f"{len(burning)} floors burning"),
        Label(
            f"烟气封堵{sum(f.smoke_logged for f in floors)}层", f"{sum(f.smoke_logged for f in floors)} smoke-logged"
        ),
    ]
    return SiteMap(0.0, "fire", "", float(max(prm.floors, 12)), elevation=True, floors=floors, headline=headline)


_LAYOUTS = {"toxic_plume": _plume_map, "flood": _flood_map, "crowd": _crowd_map, "gas": _gas_map, "fire": _fire_map}


# -- what both renderers (plotly on the pages, matplotlib in the report) draw alike ----------------------------------
#: a place's colour by its level: calm, rising, at the danger threshold, beyond it (a crush, an explosion)
LEVEL_COLOURS = ((0.5, "#2e7d32"), (1.0, "#f9a825"), (1.5, "#e53935"), (math.inf, "#7f0000"))
RING_COLOURS = ("#1565c0", "#6a1b9a", "#00838f", "#4e342e")  # the radius measures, in the order ordered
CORDON_COLOUR = "#ef6c00"
PLUME_COLOUR, DANGER_COLOUR = "#fbc02d", "#e53935"
UNIT_COLOURS = {True: "#757575", False: "#0d47a1"}  # en route, on scene
FLOOR_COLOURS = {"fire": "#e53935", "smoke": "#616161", "burnt": "#3e2723", "out": "#a5d6a7", "clear": "#e0e0e0"}
FLOOR_WORDS = {
    "fire": Label("燃烧", "burning"),
    "smoke": Label("烟气封堵", "smoke-logged"),
    "burnt": Label("已过火", "burnt out"),
    "out": Label("已疏散", "evacuated"),
    "clear": Label("正常", "clear"),
}


def level_colour(level: float) -> str:
    return next(colour for bound, colour in LEVEL_COLOURS if level < bound)


def ring_colour(site_map: SiteMap, ring: Ring) -> str:
    return CORDON_COLOUR if ring.cordon else RING_COLOURS[site_map.rings.index(ring) % len(RING_COLOURS)]


def sector(plume: Plume, length: float, steps: int = 24) -> list[tuple[float, float]]:
    """The outline of the plume's sector of ``length`` metres from the scene: the apex, then the arc."""
    a0 = plume.downwind_deg - plume.half_angle_deg
    arc = [_polar(a0 + 2 * plume.half_angle_deg * i / steps, length) for i in range(steps + 1)]
    return [(0.0, 0.0), *arc, (0.0, 0.0)]


def floor_state(floor: Floor) -> str:
    """What a floor shows: burning, smoke-logged, burnt out, evacuated or clear."""
    if floor.fire > 0.02:
        return "fire"
    if floor.smoke_logged:
        return "smoke"
    if floor.burnt:
        return "burnt"
    return "out" if floor.out >= 0.95 else "clear"


def unit_lines(site_map: SiteMap, lang: str = "zh") -> list[str]:
    """The units panel: ``到场：区消防救援支队、…`` and ``出动中：…`` (the names beside each mark would overprint)."""
    sep, colon = ("、", "：") if lang != "en" else (", ", ": ")
    lines = []
    for label, en_route in ((ON_SCENE, False), (EN_ROUTE, True)):
        names = [u.name for u in site_map.units if u.en_route == en_route]
        if names:
            lines.append(f"{label(lang)}{colon}{sep.join(names)}")
    return lines
