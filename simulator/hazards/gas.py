"""A gas main leaking under a street: gas collects in confined spaces nearby until something ignites it.

Covers: a leak (m³ of gas per minute) that an inject can enlarge and shutting the valves stops; confined spaces
(a basement, a drain or cable trench, shops) that each take a share of the leak and lose gas by their air change;
the concentration of each as a share of the lower explosive limit (LEL, 5 % by volume for natural gas); ignition
at a per-minute rate that rises steeply with the concentration — local pockets reach the explosive range before a
space's mean does — and is drawn once per space from the seeded generator (an exponential threshold on the
accumulated ignition hazard, so less hazard never means an earlier explosion under the same seed); an explosion
whose strength grows with the gas in the space and whose harm falls off with distance; open areas (a market floor,
the pavement, the flats nearby) that hold people but collect no gas. The areas lie along one street: ``distance_m``
is measured along it from the leak, and the distance between two areas is the difference of theirs. Everyone
killed is also counted among the injured, as in every model here.

Scenario: 燃气管道泄漏爆炸. Shutting the valves (燃气公司关阀) stops the leak; explosion-proof ventilation clears
the spaces; cutting the power and banning naked flames remove the ignition sources; evacuating a radius takes the
people out of the blast's reach; medical treatment cuts deaths among the injured. A training model, calibrated to
plausible orders of magnitude, not a dispersion or blast code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field, model_validator

from simulator.hazards.base import (
    METRES,
    ActiveMeasure,
    CordonMeasure,
    CordonRadius,
    FigureSpec,
    Harm,
    HazardModel,
    Located,
    MapScene,
    NoParams,
    ParamSpec,
    StreamSource,
    Strict,
)
from simulator.hazards.mapdata import Mark, SiteMap, extent
from simulator.vocabulary import Label

MAX_DISTANCE_M = 5_000.0
#: share of the ignition sources that cutting the power and banning flames together cannot remove
RESIDUAL_IGNITION = 0.05
#: relative ignition rate of a mixture above the upper explosive limit (it burns only at its edges)
RICH_MIXTURE = 0.3
#: an area counts as damaged when the blast reaches it with at least this share of its strength
DAMAGE_REACH = 0.3


class Area(Located):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name: str
    distance_m: float = Field(ge=0, le=MAX_DISTANCE_M, description="distance from the leak, along the street")
    population: int = Field(ge=0, le=1_000_000, description="people in the area while it is not evacuated")
    volume_m3: float = Field(default=0.0, ge=0, le=1e7, description="free air volume; 0 = an open area")
    intake_share: float = Field(default=0.0, ge=0, le=1, description="share of the leak that seeps into the space")
    air_change_per_min: float = Field(default=0.01, ge=0, le=10, description="natural air changes per minute")
    ignition_per_min: float = Field(
        default=0.0, ge=0, le=10, description="ignitions per minute at explosive concentration (stoves, switches …)"
    )
    initial_lel: float = Field(default=0.0, ge=0, le=10, description="concentration at T+0, as a share of the LEL")

    @property
    def confined(self) -> bool:
        return self.volume_m3 > 0


@dataclass(frozen=True, slots=True)
class _Place:
    """An area's figures as plain attributes, copied once: a pydantic model's fields are read through its
    ``__getattr__`` hook, a few times slower, and the step reads them every minute."""

    id: str
    name: str
    distance_m: float
    population: int
    volume_m3: float
    intake_share: float
    air_change_per_min: float
    ignition_per_min: float

    @classmethod
    def of(cls, a: Area) -> _Place:
        return cls(
            a.id,
            a.name,
            a.distance_m,
            a.population,
            a.volume_m3,
            a.intake_share,
            a.air_change_per_min,
            a.ignition_per_min,
        )

    @property
    def confined(self) -> bool:
        return self.volume_m3 > 0


class Params(Strict):
    gas: str = Field(default="天然气", description="泄漏介质")
    leak_rate_m3_min: float = Field(ge=0, le=1_000, description="gas escaping from the main, m³ per minute")
    lel: float = Field(default=0.05, gt=0, le=1, description="lower explosive limit, volume fraction")
    uel: float = Field(default=0.15, gt=0, le=1, description="upper explosive limit, volume fraction")
    ignition_onset_lel: float = Field(
        default=0.25, ge=0, lt=1, description="share of the LEL from which local pockets may ignite"
    )
    electrical_share: float = Field(
        default=0.5, ge=0, le=1, description="share of the ignition sources that are electrical (cut by the power)"
    )
    alarm_lel: float = Field(default=0.2, gt=0, le=1, description="share of the LEL that counts as dangerous")
    danger_radius_m: float = Field(
        default=50.0, ge=0, le=MAX_DISTANCE_M, description="people this close to a gassed space are exposed"
    )
    explosion_full_m3: float = Field(default=150.0, gt=0, le=1e6, description="gas volume of a full-strength blast")
    blast_scale_m: float = Field(default=10.0, gt=0, le=1000, description="distance over which harm falls by 1/e")
    blast_injury_share: float = Field(default=0.35, ge=0, le=1, description="share hurt at the centre, full blast")
    blast_death_share: float = Field(default=0.07, ge=0, le=1, description="share killed at the centre, full blast")
    death_rate_per_min: float = Field(default=0.0005, ge=0, le=1, description="deaths per minute among the injured")
    areas: list[Area] = Field(min_length=1, max_length=500)
    map_scene: MapScene = ""
    cordon_m: CordonRadius = 0.0
    cordon_measure: CordonMeasure = ""

    @model_validator(mode="after")
    def _consistent(self) -> Params:
        if self.uel <= self.lel:
            raise ValueError("爆炸上限应大于爆炸下限 (expected uel > lel)")
        if self.blast_death_share > self.blast_injury_share:
            raise ValueError("死亡比例不应大于受伤比例 (expected blast_death_share <= blast_injury_share)")
        if sum(a.intake_share for a in self.areas) > 1 + 1e-9:
            raise ValueError("各空间进气比例之和不应超过1 (the intake shares add up to more than the leak)")
        return self


class Radius(Strict):
    radius_m: float = Field(
        gt=0, le=MAX_DISTANCE_M, title="范围（米）", description="everyone within this distance of the leak"
    )


class Ventilation(Strict):
    areas: list[str] = Field(
        default_factory=list, title="空间", description="area ids; empty means every confined space"
    )
    fan_m3_min: float = Field(
        default=200.0,
        gt=0,
        le=10_000,
        title="风量（立方米/分钟）",
        description="air blown through each space by explosion-proof fans, m³/min",
    )


def _confined(area: Area) -> bool:
    return area.confined


class Gas(HazardModel):
    Params = Params
    name = "gas"
    measures: ClassVar[dict[str, type[Strict]]] = {
        "shut_off_gas": NoParams,
        "evacuate": Radius,
        "cut_power": Radius,
        "ban_ignition": Radius,
        "ventilate": Ventilation,
        "medical_treatment": NoParams,
    }
    title = Label("燃气泄漏爆炸", "gas leak and explosion")
    PLACES: ClassVar[dict[str, Label]] = {"areas": Label("区域", "area")}
    EVENTS = ("explosion",)
    SITE_FIGURES: ClassVar[dict[str, FigureSpec]] = {
        "lel_share": FigureSpec(Label("燃气浓度（爆炸下限的比例）", "Gas (share of the LEL)"), percent=True)
    }
    MEASURE_PARAMS: ClassVar[dict[str, dict[str, ParamSpec]]] = {
        "evacuate": {"radius_m": ParamSpec(Label("疏散范围", "evacuation radius"), METRES, default=200.0, step=10.0)},
        "cut_power": {"radius_m": ParamSpec(Label("断电范围", "power cut radius"), METRES, default=200.0, step=10.0)},
        "ban_ignition": {
            "radius_m": ParamSpec(Label("禁绝火源范围", "no-flame radius"), METRES, default=200.0, step=10.0)
        },
        "ventilate": {
            "areas": ParamSpec(
                Label("通风的受限空间", "spaces to ventilate"),
                kind="places",
                places="areas",
                where=lambda a: a.confined,
            ),
            "fan_m3_min": ParamSpec(Label("每处风量", "fan air flow"), Label("立方米/分钟", "m³/min"), step=50.0),
        },
    }
    FIGURES: ClassVar[dict[str, FigureSpec]] = {
        "leak_rate_m3_min": FigureSpec(Label("泄漏速率", "Leak rate"), Label("立方米/分钟", "m³/min")),
        "leaking": FigureSpec(Label("仍在泄漏", "Still leaking")),
        "max_gas_vol_pct": FigureSpec(Label("最高燃气浓度", "Highest gas concentration"), Label("%", "%")),
        "worst_area": FigureSpec(Label("浓度最高的空间", "Worst space")),
        "explosive_areas": FigureSpec(Label("处于爆炸范围的空间", "Spaces in the explosive range"), Label("处", "")),
        "explosions": FigureSpec(Label("爆炸次数", "Explosions"), Label("次", "")),
        "damaged_areas": FigureSpec(Label("受损区域", "Areas damaged"), Label("处", "")),
    }

    def __init__(self, params: Params, streams: StreamSource):
        super().__init__(params, streams)
        self.gas_m3 = {a.id: a.initial_lel * params.lel * a.volume_m3 for a in params.areas}
        self.exploded: set[str] = set()
        self.damaged: set[str] = set()
        self.explosions = 0
        self.leak_now = params.leak_rate_m3_min
        # ignition: each space explodes once its accumulated hazard passes its own exponential threshold
        self._hazard = {a.id: 0.0 for a in params.areas}
        self._threshold = {a.id: float(self.rng.exponential()) for a in params.areas}
        self._lay_out()

    def set_param(self, name, value):
        super().set_param(name, value)
        self._lay_out()  # an inject may move the danger radius (or anything else the layout rests on)

    def _lay_out(self) -> None:
        """What the street's layout fixes, worked out once rather than every minute.

        ``_spaces`` are the confined spaces that can still collect gas (not yet blown out); ``_near`` pairs each
        area with the ids of the spaces within the danger radius of it, whose gas puts its people in danger.
        """
        p = self.params
        self._places = places = tuple(_Place.of(a) for a in p.areas)
        self._spaces = tuple(a for a in places if a.confined and a.id not in self.exploded)
        confined, radius = [g for g in places if g.confined], p.danger_radius_m
        self._near = tuple(
            (area, frozenset(g.id for g in confined if abs(area.distance_m - g.distance_m) <= radius))
            for area in places
        )

    # -- state ------------------------------------------------------------------------------------------
    def state_value(self, name: str, site: str = "") -> float | None:
        """The gas in one space as a share of the LEL (``lel_share``), or a scene-wide figure."""
        if not site:
            return super().state_value(name)
        area = next((a for a in self.params.areas if a.id == site), None)
        return self.lel_share(area) if name == "lel_share" and area is not None else None

    def lel_share(self, area: Area) -> float:
        """The space's mean concentration as a share of the LEL (0 for an open area or a blown-out space)."""
        if not area.confined or area.id in self.exploded:
            return 0.0
        return min(1.0, self.gas_m3[area.id] / area.volume_m3) / self.params.lel

    @property
    def leaking(self) -> bool:
        return self.leak_now > 0

    @property
    def contained(self) -> bool:
        return not self.leaking and all(self.lel_share(a) < self.params.alarm_lel for a in self.params.areas)

    # -- the minute -------------------------------------------------------------------------------------
    def step(self, t: float, dt: float) -> list[Harm]:
        p = self.params
        self.leak_now = p.leak_rate_m3_min * (1.0 - self._progress("shut_off_gas", t))
        self._check_treatment(t)
        harms: list[Harm] = []
        gassed: set[str] = set()  # spaces at or above the alarm level at the end of the minute
        hazard, threshold = self._hazard, self._threshold
        onset, alarm = p.ignition_onset_lel, p.alarm_lel
        fans = self._of("ventilate")
        for space in self._spaces:
            x = self._accumulate(space, fans, t, dt)
            if x >= onset:  # below the onset no pocket can ignite: the hazard does not grow
                hazard[space.id] += self._ignition_rate(space, x, t) * dt
            if hazard[space.id] >= threshold[space.id]:
                harms.extend(self._explode(space, t))
            elif x >= alarm:
                gassed.add(space.id)
        exposed = 0.0
        if gassed:  # people near a gassed space are exposed, unless evacuated
            for area, near in self._near:
                if not gassed.isdisjoint(near):
                    exposed += self._present(area, t)
        return self._end_step(exposed, dt, harms, p.death_rate_per_min)

    def _accumulate(self, space: _Place, fans: Sequence[ActiveMeasure], t: float, dt: float) -> float:
        """Inflow from the leak against the air change (and the strongest of the ``fans`` blowing through the
        space): exact for a minute of constant rates. Returns the new concentration as a share of the LEL."""
        inflow = space.intake_share * self.leak_now
        blown = 0.0
        for m in fans:
            if not m.params.areas or space.id in m.params.areas:
                air = m.params.fan_m3_min * m.progress(t)
                if air > blown:
                    blown = air
        volume = space.volume_m3
        k = space.air_change_per_min + blown / volume
        gas = self.gas_m3[space.id]
        if k > 0:
            steady = inflow / k
            gas = steady + (gas - steady) * math.exp(-k * dt)
        else:
            gas += inflow * dt
        if gas < 0.0:
            gas = 0.0
        elif gas > volume:
            gas = volume
        self.gas_m3[space.id] = gas
        return gas / volume / self.params.lel  # as ``lel_share``: the gas never fills more than the space

    def _ignition_rate(self, space: _Place, x: float, t: float) -> float:
        """Ignitions per minute at concentration ``x`` (share of the LEL, at least the onset): the space's
        sources, times how explosive the mixture is, less what was removed."""
        p = self.params
        if x < 1.0:
            mixture = ((x - p.ignition_onset_lel) / (1.0 - p.ignition_onset_lel)) ** 2
        elif x <= p.uel / p.lel:
            mixture = 1.0
        else:
            mixture = RICH_MIXTURE
        distance = space.distance_m
        removed = p.electrical_share * self._within_radius("cut_power", distance, t) + (
            1.0 - p.electrical_share
        ) * self._within_radius("ban_ignition", distance, t)
        return space.ignition_per_min * mixture * (1.0 - (1.0 - RESIDUAL_IGNITION) * removed)

    def _present(self, area: _Place, t: float) -> float:
        """The people still in an area: all but those the evacuations under way have taken out."""
        return area.population * (1.0 - self._within_radius("evacuate", area.distance_m, t))

    def _explode(self, source: _Place, t: float) -> list[Harm]:
        """The space blows out: its gas is spent, and everyone within reach may be hurt or killed."""
        p = self.params
        strength = min(1.0, self.gas_m3[source.id] / p.explosion_full_m3)
        self.exploded.add(source.id)
        self._state("explosion", source.id)
        self._spaces = tuple(a for a in self._spaces if a.id != source.id)
        self.gas_m3[source.id] = 0.0
        self.explosions += 1
        harms: list[Harm] = []
        death_given_hurt = p.blast_death_share / p.blast_injury_share if p.blast_injury_share > 0 else 0.0
        for area in self._places:
            reach = math.exp(-abs(area.distance_m - source.distance_m) / p.blast_scale_m)
            if reach * strength >= DAMAGE_REACH:
                self.damaged.add(area.id)
            people = round(self._present(area, t))
            chance = min(1.0, p.blast_injury_share * strength * reach)
            if people < 1 or chance <= 0:
                continue
            injured = int(self.rng.binomial(people, chance))
            if not injured:
                continue
            dead = int(self.rng.binomial(injured, death_given_hurt))
            where = f"{area.name}（{source.name}爆炸）" if area.id != source.id else f"{source.name}爆炸"
            harms.append(Harm(injured=injured, dead=dead, where=where))
            self.injured += injured
            self.dead += dead
        return harms

    def map_state(self, t: float) -> dict[str, Any]:
        """Each space's gas as a share of the LEL, the spaces blown out and the areas damaged, and the leak."""
        return {
            "lel": {a.id: round(self.lel_share(a), 3) for a in self.params.areas},
            "exploded": sorted(self.exploded),
            "damaged": sorted(self.damaged),
            "leaking": self.leaking,
        }

    @classmethod
    def site_map(cls, params: Params, state: dict[str, Any]) -> SiteMap:
        """Areas along the street (x: the distance from the leak), spaces below it and open ground above: the gas
        in each confined space as a share of the LEL, the people in the open, what exploded or was damaged."""
        lel, exploded, damaged = state.get("lel", {}), set(state.get("exploded", ())), set(state.get("damaged", ()))
        schematic = any(a.x_m is None or a.y_m is None for a in params.areas)
        marks = []
        for i, a in enumerate(params.areas):
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
        if "leaking" in state:
            headline.append(Label("仍在泄漏", "still leaking") if state["leaking"] else Label("已关阀", "valves shut"))
        size = extent([(m.x, m.y) for m in marks], 60.0)
        return SiteMap(0.0, cls.name, "", size, schematic=schematic, marks=marks, headline=headline)

    def figures(self) -> dict[str, float | int | bool]:
        p = self.params
        confined = [a for a in p.areas if a.confined]
        worst = max(confined, key=self.lel_share, default=None)
        upper = p.uel / p.lel
        return {
            "leak_rate_m3_min": round(self.leak_now, 2),
            "leaking": self.leaking,
            "max_gas_vol_pct": round(100 * p.lel * self.lel_share(worst), 2) if worst is not None else 0.0,
            "worst_area": worst.id if worst is not None else "",
            "explosive_areas": sum(1 for a in confined if 1.0 <= self.lel_share(a) <= upper),
            "explosions": self.explosions,
            "damaged_areas": len(self.damaged),
            "exposed": self._exposed,
            "exposed_person_minutes": round(self.exposed_person_minutes, 1),
            "injured": self.wounded,
            "dead": self.dead,
        }
