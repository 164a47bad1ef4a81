"""A toxic-gas leak from a tank: the plume grows downwind while the tank leaks, and people in it are harmed.

Covers: release until the leak is stopped or the tank is empty; airborne mass that disperses each minute; a
plume whose length grows with the square root of the airborne mass and points downwind; a wind that wanders
(seeded) and can be turned by an inject; residential zones at a bearing and distance from the source.

Scenario: 液氯储罐泄漏. Evacuating (or sheltering) the zones within a radius removes their people from the
plume; a water curtain knocks the gas down; plugging the leak stops the release; medical treatment cuts deaths.
It is a training model, calibrated to give plausible orders of magnitude, not a dispersion code.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from pydantic import Field

from simulator.hazards.base import (
    METRES,
    PUBLIC_SHARE,
    CordonMeasure,
    CordonRadius,
    FigureSpec,
    Harm,
    HazardModel,
    MapScene,
    NoParams,
    NormalDraws,
    ParamSpec,
    PublicShare,
    StreamSource,
    Strict,
)
from simulator.hazards.mapdata import Mark, Plume, SiteMap, Wind, compass, extent, polar
from simulator.vocabulary import Label

MAX_PLUME_M = 10_000.0  # metres; the model's plume never reaches farther
SHELTER_PROTECTION = 0.7  # share of exposure avoided by staying indoors with windows shut
NOISE_BLOCK = 256  # wind draws fetched from the wind's generator at a time


class Zone(Strict):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name: str
    bearing_deg: float = Field(ge=0, lt=360, description="compass bearing from the source, 0 = north")
    distance_m: float = Field(gt=0, le=MAX_PLUME_M)
    population: int = Field(ge=0, le=5_000_000)


class Params(Strict):
    substance: str = Field(description="泄漏介质, e.g. 液氯")
    release_rate_kg_min: float = Field(ge=0, le=1e5)
    inventory_kg: float = Field(ge=0, le=1e7)
    wind_from_deg: float = Field(ge=0, lt=360, description="where the wind comes from; the plume goes opposite")
    wind_speed_m_s: float = Field(gt=0, le=40)
    wind_wander_deg: float = Field(default=3.0, ge=0, le=45, description="sd of the wind's drift per minute")
    plume_half_angle_deg: float = Field(default=25.0, gt=0, le=90)
    spread_m_per_sqrt_kg: float = Field(default=12.0, gt=0, le=1000)
    dispersal_per_min: float = Field(default=0.04, ge=0, le=1)
    danger_fraction: float = Field(default=0.5, gt=0, le=1, description="inner share of the plume that injures")
    injury_rate_per_min: float = Field(default=0.002, ge=0, le=1)
    death_rate_per_min: float = Field(default=0.002, ge=0, le=1)
    contained_length_m: float = Field(default=150.0, ge=0, le=MAX_PLUME_M)
    zones: list[Zone] = Field(min_length=1, max_length=500)
    map_scene: MapScene = ""
    cordon_m: CordonRadius = 0.0
    cordon_measure: CordonMeasure = ""


class Radius(Strict):
    radius_m: float = Field(
        gt=0, le=MAX_PLUME_M, title="半径（米）", description="evacuate or shelter everyone within this radius"
    )


class Curtain(Strict):
    strength: float = Field(
        default=0.1, gt=0, le=0.5, title="强度", description="extra share of airborne gas knocked down per min"
    )


class ToxicPlume(HazardModel):
    Params = Params
    name = "toxic_plume"
    STREAMS = ("harm", "wind")
    measures: ClassVar[dict[str, type[Strict]]] = {
        "evacuate": Radius,
        "shelter_in_place": Radius,
        "stop_leak": NoParams,
        "water_curtain": Curtain,
        "medical_treatment": NoParams,
        "public_information": PublicShare,
    }
    title = Label("有毒气体泄漏扩散", "toxic gas release")
    PLACES: ClassVar[dict[str, Label]] = {"zones": Label("居民区", "zone")}
    MEASURE_PARAMS: ClassVar[dict[str, dict[str, ParamSpec]]] = {
        "public_information": {"share": PUBLIC_SHARE},
        "evacuate": {"radius_m": ParamSpec(Label("疏散半径", "evacuation radius"), METRES, default=1000.0, step=100.0)},
        "shelter_in_place": {
            "radius_m": ParamSpec(Label("就地避险半径", "shelter radius"), METRES, default=2000.0, step=100.0)
        },
        "water_curtain": {
            "strength": ParamSpec(Label("水幕每分钟沉降比例", "share knocked down per minute"), percent=True, step=0.01)
        },
    }
    FIGURES: ClassVar[dict[str, FigureSpec]] = {
        "plume_length_m": FigureSpec(Label("烟羽长度", "Plume length"), METRES),
        "downwind_deg": FigureSpec(Label("下风方位", "Downwind bearing"), Label("度", "°")),
        "airborne_kg": FigureSpec(Label("空气中泄漏物", "Gas in the air"), Label("千克", "kg")),
        "leaking": FigureSpec(Label("仍在泄漏", "Still leaking")),
    }

    def __init__(self, params: Params, streams: StreamSource):
        super().__init__(params, streams)
        self.remaining_kg = params.inventory_kg
        self.airborne_kg = 0.0
        self.wind_from = params.wind_from_deg
        self.leaking = params.release_rate_kg_min > 0 and params.inventory_kg > 0
        # the wind's drift on its own stream: harm draws (which depend on the plan) must never shift it
        self._wind_noise = NormalDraws(self.stream("wind"), NOISE_BLOCK)

    def set_param(self, name, value):
        super().set_param(name, value)
        if name == "wind_from_deg":  # an inject turned the wind: the plume follows at once
            self.wind_from = float(value)

    def weather(self) -> dict[str, float]:
        return {"wind_from_deg": self.wind_from}

    @property
    def plume_length_m(self) -> float:
        return min(MAX_PLUME_M, self.params.spread_m_per_sqrt_kg * math.sqrt(self.airborne_kg))

    @property
    def downwind_deg(self) -> float:
        return (self.wind_from + 180.0) % 360.0

    @property
    def contained(self) -> bool:
        return not self.leaking and self.plume_length_m <= self.params.contained_length_m

    def step(self, t: float, dt: float) -> list[Harm]:
        p = self.params
        self.wind_from = (self.wind_from + self._wind_noise.draw() * p.wind_wander_deg * math.sqrt(dt)) % 360
        if self.leaking and self._progress("stop_leak", t) >= 1.0:
            self.leaking = False
        if self.leaking:
            released = min(p.release_rate_kg_min * dt, self.remaining_kg)
            self.remaining_kg -= released
            self.airborne_kg += released
            self.leaking = self.remaining_kg > 0
        knock_down = 0.0
        for curtain in self._of("water_curtain"):
            knock_down = max(knock_down, curtain.params.strength * curtain.progress(t))
        self.airborne_kg *= max(0.0, 1.0 - (p.dispersal_per_min + knock_down) * dt)
        self._check_treatment(t)

        length = self.plume_length_m
        downwind = self.downwind_deg
        danger_m = p.danger_fraction * length
        harms: list[Harm] = []
        exposed = 0.0
        half_angle = p.plume_half_angle_deg
        # a public warning (close windows, stay indoors, keep away) takes a share of the people out of the plume
        warned = 1.0 - self._public_share("public_information", t)
        for zone in p.zones:  # most minutes most zones are upwind or out of reach: test the cheap things first
            distance = zone.distance_m
            if distance > length:
                continue
            off_axis = abs(zone.bearing_deg - downwind) % 360.0  # degrees between the zone and the plume's axis
            if min(off_axis, 360.0 - off_axis) > half_angle:
                continue
            people = zone.population * (1.0 - self._share_moved(distance, t)) * warned
            exposed += people
            if distance <= danger_m:
                harm = self._harm(people, p.injury_rate_per_min, dt, zone.name)
                if harm:
                    harms.append(harm)
        self._end_step(exposed, dt, harms, p.death_rate_per_min)  # deaths among those hurt before this minute
        self.injured += sum(harm.injured for harm in harms)
        return harms

    def _share_moved(self, distance_m: float, t: float) -> float:
        """The share of a zone's people out of the plume: evacuated, or indoors with the windows shut."""
        away = self._within_radius("evacuate", distance_m, t)
        if away >= 1.0:
            return 1.0
        return away + (1.0 - away) * self._within_radius("shelter_in_place", distance_m, t) * SHELTER_PROTECTION

    def map_state(self, t: float) -> dict[str, Any]:
        """The wind, the plume's sector (its axis downwind, its half-angle, its length and the inner danger part)
        and each zone's share of people moved out of it."""
        length = self.plume_length_m
        return {
            "wind_from_deg": round(self.wind_from, 1),
            "wind_speed_m_s": self.params.wind_speed_m_s,
            "downwind_deg": round(self.downwind_deg, 1),
            "half_angle_deg": self.params.plume_half_angle_deg,
            "length_m": round(length, 1),
            "danger_m": round(self.params.danger_fraction * length, 1),
            "leaking": self.leaking,
            "moved": {z.id: round(self._share_moved(z.distance_m, t), 3) for z in self.params.zones},
        }

    @classmethod
    def site_map(cls, params: Params, state: dict[str, Any]) -> SiteMap:
        """The zones at their bearing and distance (in the plume or not, the share moved out), the plume's sector,
        the wind and whether the tank still leaks."""
        moved = state.get("moved", {})
        plume = None
        if "length_m" in state:
            plume = Plume(state["downwind_deg"], state["half_angle_deg"], state["length_m"], state["danger_m"])
        marks = []
        for z in params.zones:
            x, y = polar(z.bearing_deg, z.distance_m)
            inside = plume is not None and _in_sector(z.bearing_deg, z.distance_m, plume)
            share = moved.get(z.id, 0.0)
            level = (1.0 - share) * (1.5 if inside and z.distance_m <= plume.danger_m else 1.0 if inside else 0.2)
            zh = f"{z.population}人" + ("，在烟羽中" if inside else "") + (f"，已转移{share:.0%}" if share > 0 else "")
            en = f"{z.population} people" + (", in the plume" if inside else "")
            en += f", {share:.0%} moved" if share else ""
            marks.append(Mark(z.id, z.name, x, y, level, Label(zh, en)))
        wind_from = state.get("wind_from_deg", params.wind_from_deg)
        speed = state.get("wind_speed_m_s", params.wind_speed_m_s)
        point = compass(wind_from)
        wind = Wind(wind_from, speed, Label(f"{point.zh}风 {speed:g}米/秒", f"wind from {point.en}, {speed:g} m/s"))
        headline = [wind.label]
        if plume is not None:
            headline.append(Label(f"烟羽长度{plume.length_m:.0f}米", f"plume {plume.length_m:.0f} m long"))
        if "leaking" in state:
            headline.append(Label("仍在泄漏", "still leaking") if state["leaking"] else Label("已止漏", "leak stopped"))
        size = extent([(m.x, m.y) for m in marks], 500.0)
        return SiteMap(0.0, cls.name, "", size, marks=marks, plume=plume, wind=wind, headline=headline)

    @classmethod
    def map_state_from_figures(cls, params: Params, figures: dict[str, Any]) -> dict[str, Any]:
        """The plume's axis and length are logged figures: the sector and the wind it implies (nothing per zone)."""
        if "downwind_deg" not in figures:
            return {}
        length = float(figures.get("plume_length_m") or 0.0)
        return {
            "wind_from_deg": (float(figures["downwind_deg"]) + 180.0) % 360.0,
            "wind_speed_m_s": params.wind_speed_m_s,
            "downwind_deg": float(figures["downwind_deg"]),
            "half_angle_deg": params.plume_half_angle_deg,
            "length_m": length,
            "danger_m": params.danger_fraction * length,
        }

    def figures(self) -> dict[str, float | int | bool]:
        return {
            "plume_length_m": round(self.plume_length_m, 1),
            "downwind_deg": round(self.downwind_deg, 1),
            "airborne_kg": round(self.airborne_kg, 1),
            "leaking": self.leaking,
            "exposed": self._exposed,
            "exposed_person_minutes": round(self.exposed_person_minutes, 1),
            "injured": self.wounded,
            "dead": self.dead,
        }


def _in_sector(bearing_deg: float, distance_m: float, plume: Plume) -> bool:
    """Whether a place at this bearing and distance from the source lies in the plume's sector."""
    off = abs(bearing_deg - plume.downwind_deg) % 360.0
    return distance_m <= plume.length_m and min(off, 360.0 - off) <= plume.half_angle_deg
