"""The site map as data: where the places are, the hazard's extent at a minute, the rings of the measures in force
and the units on their way or on scene — worked out from the scenario and the world, with no plotting here.

The console's 大屏, replay and the report draw the same ``SiteMap`` (``ui.sitemap`` with plotly, ``simulator.report
.sitemap`` with matplotlib). Coordinates are metres east (x) and north (y) of the scene; a tower fire is drawn in
elevation instead (x across, y in floors). Places the scenario gives no coordinates are laid out schematically, and
the map says so. Every word is a ``Label`` (both languages) or scenario data, so renderers only choose a language.

Each hazard model lays out its own part (``HazardModel.site_map``: its places, extent and headline, from its
parameters and ``map_state``); this module adds what every map has — the rings of the measures in force, the units,
the command post — and the renderers' shared colours. The data types (``SiteMap``, ``Mark``, …) live in the leaf
``simulator.hazards.mapdata`` so that the models need not import this module; ``SiteMap`` is re-exported here.

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
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from simulator.engine.drill import Drill
from simulator.engine.events import ACCEPTED, REJECTED, Event, EventLog
from simulator.engine.state import WorldState, state_at
from simulator.formats import plan as p
from simulator.formats.scenario import Scenario
from simulator.hazards.mapdata import Floor, Plume, Ring, SiteMap, Unit, polar
from simulator.hazards.registry import REGISTRY
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
        drill.finish()
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
    return REGISTRY[scenario.hazard.model].map_state_from_figures(scenario.hazard.params, figures)


# -- the map ----------------------------------------------------------------------------------------------------
def build(
    scenario: Scenario, t: float, hazard: dict[str, Any], world: WorldState, measures: dict[str, dict[str, Any]]
) -> SiteMap:
    """The map at minute ``t`` from the hazard's map state, the world rebuilt from the log and the measures in
    force (measure id -> setting)."""
    prm = scenario.hazard.params
    model = scenario.hazard.model
    site_map = REGISTRY[model].site_map(prm, hazard)  # the model lays out its own part
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
    arc = [polar(a0 + 2 * plume.half_angle_deg * i / steps, length) for i in range(steps + 1)]
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
