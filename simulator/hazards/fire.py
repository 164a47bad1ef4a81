"""A fire in a high-rise residential tower: it climbs floor by floor, its smoke climbs faster, residents are caught.

Covers: floors that catch fire, grow to full involvement and burn out; spread to the floor above (through the
windows, 窗口向上蔓延) and, rarely, to the one below, each floor igniting once its accumulated exposure passes
its own exponential threshold drawn from the seeded generator (so a weaker fire never spreads sooner under the
same seed); smoke that rises floor to floor through the stairs and shafts much faster than the fire (烟囱效应)
and clears only slowly; residents on every floor, who leave by themselves while their stairs are passable and
are trapped once their floor is smoke-logged or burning; injuries from fire and from smoke, and deaths among the
injured. Everyone killed is also counted among the injured, as in every model here.

Scenario: 高层住宅火灾. A fire attack with enough hose lines knocks the burning floors down and stops the spread
(a failing standpipe supply, ``water_supply``, weakens it until fire engines pump into the building's inlet,
水泵接合器加压供水); evacuating a range of floors brings out the residents
while their stairs are still passable; rescue teams with breathing apparatus bring out those trapped; smoke control
(stairwell pressurisation, closed fire doors, smoke extraction) slows the smoke and clears it; medical treatment
cuts deaths. A training model, calibrated to plausible orders of magnitude, not a fire-dynamics code.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from pydantic import Field, model_validator

from simulator.hazards.base import (
    CordonMeasure,
    CordonRadius,
    FigureSpec,
    Harm,
    HazardModel,
    MapScene,
    NoParams,
    ParamSpec,
    Place,
    StreamSource,
    Strict,
)
from simulator.hazards.mapdata import Floor, SiteMap
from simulator.vocabulary import Label

MAX_FLOORS = 200
#: intensity of a burning floor below which it counts as knocked down (the fire is then out there)
OUT = 0.02
#: spread from a floor starts once its intensity passes this (a room fire has not yet reached the windows)
SPREAD_FROM = 0.3
#: smoke level from which a floor counts as smoke-affected (exposed)
SMOKE_EXPOSED = 0.2
#: share by which a fully effective attack on a floor cuts its spread to the neighbours
ATTACK_CUTS_SPREAD = 0.9
#: smoke control at full effect: share of the rise removed, and extra clearing per minute
SMOKE_CONTROL_RISE_CUT = 0.8
SMOKE_CONTROL_CLEARING = 0.1
#: up to this many floors' injuries are drawn one call each, beyond it in one numpy call (see ``_draw_injured``)
FEW_DRAWS = 12


class Params(Strict):
    building: str = Field(default="", max_length=100, description="楼栋名称")
    floors: int = Field(ge=2, le=MAX_FLOORS)
    fire_floor: int = Field(ge=1, le=MAX_FLOORS, description="the floor where the fire starts")
    residents_per_floor: int = Field(ge=0, le=1_000)
    start_intensity: float = Field(default=0.3, gt=0, le=1, description="the fire at T+0, 1 = fully involved")
    growth_per_min: float = Field(default=0.08, ge=0, le=1, description="intensity gained per minute while burning")
    burnout_min: float = Field(default=60.0, gt=0, le=1_000, description="minutes a fully involved floor burns")
    spread_up_per_min: float = Field(default=0.05, ge=0, le=5, description="rate of spread to the floor above")
    spread_down_per_min: float = Field(default=0.004, ge=0, le=5, description="rate of spread to the floor below")
    smoke_rise_per_min: float = Field(
        default=0.5, ge=0, le=1, description="share of the smoke difference closed per minute, floor to floor upward"
    )
    smoke_fall_per_min: float = Field(default=0.03, ge=0, le=1, description="the same, downward")
    smoke_clearing_per_min: float = Field(default=0.01, ge=0, le=1, description="natural clearing of each floor")
    trapped_smoke: float = Field(default=0.5, gt=0, le=1, description="smoke level at which the stairs are impassable")
    self_evacuation_per_min: float = Field(
        default=0.02, ge=0, le=1, description="share of the residents of a passable floor leaving each minute unaided"
    )
    fire_floor_escape_per_min: float = Field(
        default=0.15, ge=0, le=1, description="the same on a burning floor, while it can still be crossed"
    )
    fire_injury_rate_per_min: float = Field(default=0.05, ge=0, le=1, description="per person on a burning floor")
    smoke_injury_rate_per_min: float = Field(default=0.01, ge=0, le=1, description="per person in full smoke")
    death_rate_per_min: float = Field(default=0.003, ge=0, le=1, description="deaths per minute among the injured")
    suppression_per_min: float = Field(
        default=0.06, ge=0, le=1, description="intensity one hose line knocks down per minute at full effect"
    )
    water_supply: float = Field(default=1.0, ge=0, le=1, description="share of the needed water the attack gets")
    map_scene: MapScene = ""
    cordon_m: CordonRadius = 0.0
    cordon_measure: CordonMeasure = ""

    @model_validator(mode="after")
    def _in_building(self) -> Params:
        if self.fire_floor > self.floors:
            raise ValueError("起火楼层不能高于总层数 (expected fire_floor <= floors)")
        return self


class Lines(Strict):
    lines: int = Field(ge=1, le=50, title="水枪（支）", description="hose lines; each one can fight one burning floor")


class Floors(Strict):
    """Floors by a range (from_floor … to_floor), a list, or both."""

    from_floor: int | None = Field(default=None, ge=1, le=MAX_FLOORS, title="起始楼层")
    to_floor: int | None = Field(default=None, ge=1, le=MAX_FLOORS, title="终止楼层")
    floors: list[int] = Field(default_factory=list, max_length=MAX_FLOORS, title="楼层")

    @model_validator(mode="after")
    def _some(self) -> Floors:
        if (self.from_floor is None) != (self.to_floor is None):
            raise ValueError("楼层范围应同时给出 from_floor 和 to_floor (expected both ends of the range)")
        if self.from_floor is not None and self.to_floor is not None and self.from_floor > self.to_floor:
            raise ValueError("from_floor 应不大于 to_floor (expected from_floor <= to_floor)")
        if self.from_floor is None and not self.floors:
            raise ValueError("应给出楼层范围或楼层列表 (expected a range of floors or a list)")
        if any(not 1 <= f <= MAX_FLOORS for f in self.floors):
            raise ValueError(f"楼层应在1到{MAX_FLOORS}之间 (floor out of range)")
        return self

    def covers(self, floor: int) -> bool:
        if self.from_floor is not None and self.to_floor is not None and self.from_floor <= floor <= self.to_floor:
            return True
        return floor in self.floors


def _fire_floor_up(params: Params) -> tuple[int, int]:
    """From the floor below the fire to the top: the floors the smoke and the fire will reach."""
    return max(1, params.fire_floor - 1), params.floors


def _range(title: Label, default) -> ParamSpec:
    """A range of floors (``from_floor``–``to_floor``), by default ``default(params)``."""
    return ParamSpec(title, kind="floor_range", keys=("from_floor", "to_floor"), default=default)


class Fire(HazardModel):
    Params = Params
    name = "fire"
    measures: ClassVar[dict[str, type[Strict]]] = {
        "fire_attack": Lines,
        "water_relay": NoParams,
        "evacuate_floors": Floors,
        "rescue_trapped": Floors,
        "smoke_control": NoParams,
        "medical_treatment": NoParams,
    }
    title = Label("高层住宅火灾", "high-rise residential fire")
    MEASURE_PARAMS: ClassVar[dict[str, dict[str, ParamSpec]]] = {
        "fire_attack": {"lines": ParamSpec(Label("出水枪", "hose lines"), Label("支", "lines"), "integer", default=4)},
        "evacuate_floors": {
            "from_floor": _range(
                Label("疏散楼层", "floors to evacuate"), lambda p: (max(1, p.fire_floor - 1), p.floors)
            ),
            "floors": ParamSpec(Label("另加楼层", "other floors"), kind="floors"),
        },
        "rescue_trapped": {
            "from_floor": _range(
                Label("搜救楼层", "floors to search"), lambda p: (p.fire_floor, min(p.floors, p.fire_floor + 5))
            ),
            "floors": ParamSpec(Label("另加楼层", "other floors"), kind="floors"),
        },
    }
    EVENTS = ("floor_ignited",)
    SITE_FIGURES: ClassVar[dict[str, FigureSpec]] = {
        "fire": FigureSpec(Label("火势强度", "Fire intensity"), percent=True),
        "smoke": FigureSpec(Label("烟气浓度", "Smoke"), percent=True),
    }
    FIGURES: ClassVar[dict[str, FigureSpec]] = {
        "burning_floors": FigureSpec(Label("燃烧楼层数", "Floors burning"), Label("层", "")),
        "water_supply": FigureSpec(Label("供水保障", "Water supply"), percent=True),
        "highest_burning_floor": FigureSpec(Label("最高燃烧楼层", "Highest floor burning")),
        "floors_burnt": FigureSpec(Label("过火楼层数", "Floors burnt"), Label("层", "")),
        "smoke_floors": FigureSpec(Label("烟气封堵楼层数", "Smoke-logged floors"), Label("层", "")),
        "trapped": FigureSpec(Label("被困人数", "Trapped"), Label("人", "people")),
        "evacuated": FigureSpec(Label("已疏散人数", "Evacuated"), Label("人", "people")),
    }

    @classmethod
    def place_list(cls, params: Params) -> list[Place]:
        """A tower's places are its floors."""
        kind = Label("楼层", "floor")
        return [Place(kind, str(f), f"{f}层") for f in range(1, params.floors + 1)]

    def __init__(self, params: Params, streams: StreamSource):
        super().__init__(params, streams)
        n = params.floors
        self.intensity = [0.0] * (n + 2)  # index 0 and n+1 are sentinels (ground, roof)
        self.fuel = [1.0] * (n + 2)
        self.smoke = [0.0] * (n + 2)
        self.left = [0.0] * (n + 2)  # share of each floor's residents out of the building
        self.hurt = [0.0] * (n + 2)  # residents of each floor injured (no longer among those present)
        self.ever_burnt: set[int] = set()
        self._exposure = [0.0] * (n + 2)
        self._threshold = [float(x) for x in self.rng.exponential(size=n + 2)]
        f = params.fire_floor
        self.intensity[f] = params.start_intensity
        self.smoke[f] = params.start_intensity
        self.ever_burnt.add(f)
        self._trapped = 0
        self._now = 0.0
        self._reach_cache: dict[str, tuple[tuple[int, list[float]], list[float]]] = {}

    def state_value(self, name: str, site: str = "") -> float | None:
        """The fire or smoke (0 … 1) on one floor (``site``: the floor's number), or a building-wide figure."""
        if not site:
            return super().state_value(name)
        if not site.isdigit() or not 1 <= int(site) <= self.params.floors:
            return None
        table = {"fire": self.intensity, "smoke": self.smoke}.get(name)
        return table[int(site)] if table is not None else None

    # -- state ------------------------------------------------------------------------------------------
    def burning(self, floor: int) -> bool:
        return self.intensity[floor] > OUT

    def floors_burning(self) -> list[int]:
        intensity = self.intensity
        return [f for f in range(1, self.params.floors + 1) if intensity[f] > OUT]

    def passable(self, floor: int) -> bool:
        return not self.burning(floor) and self.smoke[floor] < self.params.trapped_smoke

    def present(self, floor: int) -> float:
        return max(0.0, self.params.residents_per_floor * (1.0 - self.left[floor]) - self.hurt[floor])

    @property
    def contained(self) -> bool:
        return max(self.intensity[1 : self.params.floors + 1]) <= OUT  # no floor burning

    # -- the minute -------------------------------------------------------------------------------------
    def step(self, t: float, dt: float) -> list[Harm]:
        p = self.params
        self._now = t
        self._check_treatment(t)
        burning = self.floors_burning()
        attack = self._attack(burning, t)
        burning = self._burn(burning, attack, dt)
        self._spread(burning, attack, dt)
        self._smoke(t, dt)
        self._move_people(t, dt)
        harms: list[Harm] = []
        exposed = trapped = 0.0
        floors, counts, chances = [], [], []
        intensity, smoke, left, hurt = self.intensity, self.smoke, self.left, self.hurt
        residents, trapped_at = float(p.residents_per_floor), p.trapped_smoke  # float: float-only arithmetic is faster
        fire_rate, smoke_rate = p.fire_injury_rate_per_min, p.smoke_injury_rate_per_min
        exp = math.exp
        for f in range(1, p.floors + 1):
            people = residents * (1.0 - left[f]) - hurt[f]
            if people <= 0.0:
                continue  # everyone out (or hurt): once a floor is evacuated, most floors most minutes
            fire, level = intensity[f], smoke[f]
            burning_here = fire > OUT
            if burning_here or level >= SMOKE_EXPOSED:
                exposed += people
            if burning_here or level >= trapped_at:
                trapped += people
            rate = fire_rate * fire + smoke_rate * level
            if people >= 1.0 and rate > 0.0:
                floors.append(f)
                counts.append(int(people))
                chances.append(1.0 - exp(-rate * dt))
        drawn = self._draw_injured(counts, chances) if floors else ()
        if any(drawn):  # most minutes nobody is hurt
            for f, injured in zip(floors, drawn, strict=True):
                if injured:
                    hurt[f] += injured
                    self.injured += injured
                    harms.append(Harm(injured=injured, where=f"{f}层"))
        self._trapped = round(trapped)
        return self._end_step(exposed, dt, harms, p.death_rate_per_min)

    def _draw_injured(self, counts: list[int], chances: list[float]) -> list[int]:
        """The injured on each floor: ``binomial(count, chance)``, drawn floor by floor from the bottom up.

        One numpy call for the whole building costs as much as about ten calls of one draw each, so a few floors
        are drawn one by one; the generator gives the very same draws, in the same order, either way."""
        binomial = self.rng.binomial
        if len(counts) <= FEW_DRAWS:
            return [binomial(count, chance) for count, chance in zip(counts, chances, strict=True)]
        return binomial(counts, chances).tolist()

    def _attack(self, burning: list[int], t: float) -> dict[int, float]:
        """Each burning floor's attack effect (0..1): a measure's lines go to the lowest burning floors first,
        as crews fight their way up the stairs."""
        attacks = self._of("fire_attack")
        if not attacks or not burning:
            return {}
        supply = max(self.params.water_supply, self._progress("water_relay", t))
        effect: dict[int, float] = {}
        for m in attacks:
            progress = m.progress(t)
            for f in burning[: m.params.lines]:
                effect[f] = max(effect.get(f, 0.0), progress * supply)
        return effect

    def _burn(self, burning: list[int], attack: dict[int, float], dt: float) -> list[int]:
        """The burning floors grow towards full involvement (or are knocked down) and use up their fuel;
        returns the floors still burning."""
        p = self.params
        suppression, growth_rate, burnout = p.suppression_per_min, p.growth_per_min, p.burnout_min
        intensity, fuel = self.intensity, self.fuel
        for f in burning:
            if fuel[f] <= 0.0:
                intensity[f] = 0.0
                continue
            effect = attack.get(f, 0.0)
            knock = suppression * effect
            growth = growth_rate * (1.0 - effect)
            intensity[f] = min(1.0, max(0.0, intensity[f] + (growth - knock) * dt))
            fuel[f] -= intensity[f] * dt / burnout
            if fuel[f] <= 0.0:
                intensity[f] = 0.0
        return [f for f in burning if intensity[f] > OUT]

    def _spread(self, burning: list[int], attack: dict[int, float], dt: float) -> None:
        """The floors next to a burning one accumulate exposure, and catch fire once it passes their threshold."""
        p = self.params
        n, up, down = p.floors, p.spread_up_per_min, p.spread_down_per_min
        intensity, exposure, threshold, ever_burnt = self.intensity, self._exposure, self._threshold, self.ever_burnt
        for f in burning:
            drive = max(0.0, intensity[f] - SPREAD_FROM) / (1.0 - SPREAD_FROM)
            drive *= 1.0 - ATTACK_CUTS_SPREAD * attack.get(f, 0.0)
            for g, rate in ((f + 1, up), (f - 1, down)):
                if not 1 <= g <= n or g in ever_burnt:
                    continue
                exposure[g] += rate * drive * dt
                if exposure[g] >= threshold[g]:
                    intensity[g] = 0.1
                    ever_burnt.add(g)
                    self._state("floor_ignited", str(g))

    def _smoke(self, t: float, dt: float) -> None:
        """Each floor's smoke rises from the floor below, sinks a little from the one above, clears slowly, and
        is never thinner than the floor's own fire makes it."""
        p = self.params
        control = self._progress("smoke_control", t)
        up = min(1.0, p.smoke_rise_per_min * (1.0 - SMOKE_CONTROL_RISE_CUT * control) * dt)
        down = min(1.0, p.smoke_fall_per_min * dt)
        keep = math.exp(-(p.smoke_clearing_per_min + SMOKE_CONTROL_CLEARING * control) * dt)
        old, intensity = self.smoke, self.intensity
        new = [0.0] * len(old)  # the ground (index 0) and the roof (floors + 1) hold no smoke
        below, level = old[0], old[1]
        for f in range(1, p.floors + 1):
            here, above = level, old[f + 1]
            if below > level:
                level += up * (below - level)
            if above > level:
                level += down * (above - level)
            level *= keep
            fire = intensity[f]
            new[f] = level if level > fire else fire
            below, level = here, above  # the next floor up: this floor's smoke (as it was) is below it
        self.smoke = new

    def _move_people(self, t: float, dt: float) -> None:
        """Residents leave by themselves or when evacuated while their stairs are passable; rescue reaches the
        trapped on floors not fully ablaze."""
        p = self.params
        n = p.floors
        evacuated = self._reach("evacuate_floors", t, n)
        rescued = self._reach("rescue_trapped", t, n)
        stay_alone = math.exp(-p.self_evacuation_per_min * dt)
        stay_burning = math.exp(-p.fire_floor_escape_per_min * dt)
        intensity, smoke, left_of, trapped_at = self.intensity, self.smoke, self.left, p.trapped_smoke
        for f in range(1, n + 1):
            left = left_of[f]
            if left == 1.0:
                continue  # everyone is out: nothing changes here any more
            fire = intensity[f]
            if fire <= OUT:
                if smoke[f] < trapped_at:
                    left = 1.0 - (1.0 - left) * stay_alone
                    if evacuated[f] > left:
                        left = evacuated[f]
            elif smoke[f - 1] < trapped_at:
                left = 1.0 - (1.0 - left) * stay_burning
            if fire < 0.5 and rescued[f] > left:
                left = rescued[f]
            left_of[f] = left

    def _reach(self, measure: str, t: float, n: int) -> list[float]:
        """The best progress of ``measure`` on each floor (index 0 and n+1 unused; read only).

        Worked out again only when a measure's progress has changed: most minutes every measure is either not yet
        begun or complete, and the floors reached are those of the minute before."""
        measures = self._of(measure)
        key = (n, [m.progress(t) for m in measures])
        cached = self._reach_cache.get(measure)
        if cached is not None and cached[0] == key:
            return cached[1]
        reach = [0.0] * (n + 2)
        for m, progress in zip(measures, key[1], strict=True):
            if progress <= 0.0:
                continue
            prm = m.params
            floors = set(prm.floors)
            if prm.from_floor is not None and prm.to_floor is not None:
                floors.update(range(prm.from_floor, prm.to_floor + 1))
            for f in floors:
                if 1 <= f <= n and progress > reach[f]:
                    reach[f] = progress
        self._reach_cache[measure] = (key, reach)
        return reach

    def map_state(self, t: float) -> dict[str, Any]:
        """Each floor (1 … floors): its fire (0 … 1), its smoke (0 … 1), the share of its residents out, whether it
        has burnt; and the smoke level at which the stairs are impassable."""
        floors = range(1, self.params.floors + 1)
        return {
            "fire": [round(self.intensity[f], 3) for f in floors],
            "smoke": [round(self.smoke[f], 3) for f in floors],
            "out": [round(self.left[f], 3) for f in floors],
            "burnt": sorted(self.ever_burnt),
            "trapped_smoke": self.params.trapped_smoke,
        }

    @classmethod
    def site_map(cls, params: Params, state: dict[str, Any]) -> SiteMap:
        """A tower in elevation: floor f spans y from f-1 to f, each with its fire, smoke and share evacuated;
        ``simulator.sitemap`` stands the units at its foot."""
        fire, smoke, out = state.get("fire", []), state.get("smoke", []), state.get("out", [])
        burnt, trapped = set(state.get("burnt", ())), state.get("trapped_smoke", params.trapped_smoke)
        floors = []
        for i in range(params.floors):
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
        logged = sum(f.smoke_logged for f in floors)
        headline = [
            Label(f"起火楼层{params.fire_floor}层", f"fire started on floor {params.fire_floor}"),
            Label(f"燃烧楼层{len(burning)}层", f"{len(burning)} floors burning"),
            Label(f"烟气封堵{logged}层", f"{logged} smoke-logged"),
        ]
        height = float(max(params.floors, 12))
        return SiteMap(0.0, cls.name, "", height, elevation=True, floors=floors, headline=headline)

    def figures(self) -> dict[str, float | int | bool]:
        burning = self.floors_burning()
        p = self.params
        out = sum(p.residents_per_floor * self.left[f] for f in range(1, p.floors + 1))
        return {
            "burning_floors": len(burning),
            "water_supply": round(max(p.water_supply, self._progress("water_relay", self._now)), 2),
            "highest_burning_floor": max(burning, default=0),
            "floors_burnt": len(self.ever_burnt),
            "smoke_floors": sum(1 for f in range(1, p.floors + 1) if self.smoke[f] >= p.trapped_smoke),
            "trapped": self._trapped,
            "evacuated": round(out),
            "exposed": self._exposed,
            "exposed_person_minutes": round(self.exposed_person_minutes, 1),
            "injured": self.wounded,
            "dead": self.dead,
        }
