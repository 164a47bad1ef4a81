"""A crowd at a large public event: density builds at the bottlenecks until people are crushed.

Covers: bottleneck areas (stairs, a footbridge, a metro entrance) each fed by its own stream of people — arriving
for the event or, at a departure area, leaving it — which wanders minute by minute (seeded) around a level an
inject can raise (``inflow_factor``: the show is about to start; ``departure_factor``: it has ended), and drained
by an outflow that grows with density up to the bottleneck's capacity, then breaks down once people press
together (the fundamental diagram: above ~4 persons/m² a jam feeds itself), while fewer and fewer can squeeze in
(the queue backs up upstream); a crush (踩踏) at a per-minute rate
that rises with the cube of the density above the onset (steeply above ~5 persons/m²), drawn once per area from
the seeded generator (an exponential threshold on the accumulated hazard, so a thinner crowd never crushes
sooner under the same seed), after which the crowd recoils and few push in any more; compression injuries
(fainting, asphyxia) while the density stays high; deaths among the injured. Everyone killed is also counted among
the injured, as in every model here.

Scenario: 大型活动人群踩踏. Limiting the inflow (分段限流、只出不进) cuts the stream into an area; stopping the
event with broadcasts cuts the arrivals but sends people home at once, so the departure areas fill faster;
opening emergency exits and diverting the flow raise the outflow; a police cordon (one-way flow, human walls that
split the crowd into blocks) raises the outflow a little and damps the pressure waves that crush; medical
treatment cuts deaths. A training model, calibrated to plausible orders of magnitude.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal

from pydantic import Field

from simulator.hazards.base import (
    PUBLIC_SHARE,
    CordonMeasure,
    CordonRadius,
    FigureSpec,
    Harm,
    HazardModel,
    Located,
    MapScene,
    NoParams,
    NormalDraws,
    ParamSpec,
    PublicShare,
    StreamSource,
    Strict,
)
from simulator.hazards.mapdata import Mark, SiteMap, extent, placed
from simulator.vocabulary import Label

MAX_DENSITY = 9.0  # persons/m²: nobody fits more
NOISE_BLOCK = 64  # minutes of inflow noise drawn from the arrivals' generator at a time
MAP_RING_M = 150.0  # metres: the site map's schematic ring of areas when the scenario gives no coordinates
#: share of the crush hazard a cordon at full effect removes, and the outflow it adds (one-way flow)
CORDON_DAMPING = 0.6
CORDON_OUTFLOW = 0.2
#: stopping the event: share of arrivals that stop coming, the extra departures, and the outflow the broadcasts add
STOP_CUTS_INFLOW = 0.7
STOP_ADDS_DEPARTURES = 0.3
STOP_OUTFLOW = 0.15
#: the outflow of a jammed bottleneck never drops below this share of its capacity
JAMMED_FLOW = 0.3
#: share of the inflow that still pushes into an area after a crush there (the crowd recoils, the way is shut)
AFTER_CRUSH_INFLOW = 0.2


class Area(Located):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name: str
    area_m2: float = Field(gt=0, le=1e6)
    initial_persons: int = Field(ge=0, le=10_000_000)
    inflow_per_min: float = Field(ge=0, le=100_000, description="people entering per minute at factor 1")
    outflow_per_min: float = Field(ge=0, le=100_000, description="what the bottleneck lets through at best")
    flow: Literal["arrival", "departure"] = Field(
        default="arrival", description="fed by people arriving for the event or by people leaving it"
    )


class Params(Strict):
    event: str = Field(default="", max_length=100, description="活动名称")
    inflow_factor: float = Field(default=1.0, ge=0, le=10, description="multiplies the arrival areas' inflow")
    departure_factor: float = Field(default=1.0, ge=0, le=10, description="multiplies the departure areas' inflow")
    inflow_wander: float = Field(default=0.1, ge=0, le=1, description="relative sd of a minute's arrivals")
    free_flow_density: float = Field(default=2.0, gt=0, le=MAX_DENSITY, description="density of the best outflow")
    jam_density: float = Field(default=4.0, gt=0, le=MAX_DENSITY, description="above it the outflow breaks down")
    jam_slope: float = Field(default=0.25, ge=0, le=1, description="outflow lost per person/m² above the jam")
    crush_onset: float = Field(default=4.0, gt=0, le=MAX_DENSITY, description="density from which crushes may occur")
    danger_density: float = Field(default=5.0, gt=0, le=MAX_DENSITY, description="density of the reference rate")
    crush_rate_per_min: float = Field(default=0.03, ge=0, le=10, description="crush hazard at the danger density")
    crush_injury_share: float = Field(
        default=0.006, ge=0, le=1, description="share of an area's people hurt per person/m² above the onset"
    )
    crush_death_share: float = Field(default=0.15, ge=0, le=1, description="share of the crush's hurt who are killed")
    compression_injury_rate_per_min: float = Field(
        default=0.000005, ge=0, le=1, description="per person per minute, times (density above onset)²"
    )
    death_rate_per_min: float = Field(default=0.002, ge=0, le=1, description="deaths per minute among the injured")
    safe_density: float = Field(default=3.0, gt=0, le=MAX_DENSITY, description="below it everywhere: under control")
    areas: list[Area] = Field(min_length=1, max_length=500)
    map_scene: MapScene = ""
    cordon_m: CordonRadius = 0.0
    cordon_measure: CordonMeasure = ""


class Inflow(Strict):
    areas: list[str] = Field(default_factory=list, title="区域", description="area ids; empty means every area")
    share: float = Field(default=0.6, gt=0, le=1, title="限流比例", description="share of the arrivals held back")


class Exits(Strict):
    areas: list[str] = Field(default_factory=list, title="区域", description="area ids; empty means every area")
    factor: float = Field(
        default=1.5, gt=1, le=5, title="通行能力倍数", description="outflow capacity multiplied by this"
    )


class Cordon(Strict):
    areas: list[str] = Field(default_factory=list, title="区域", description="area ids; empty means every area")


# what an area measure does at full effect (``Crowd._strongest`` phases it in)
def _share(params: Inflow) -> float:
    """Limiting the inflow: the share of the arrivals held back."""
    return params.share


def _extra_capacity(params: Exits) -> float:
    """Opening emergency exits: the outflow capacity added, as a share of the bottleneck's."""
    return params.factor - 1.0


def _in_full(params: Cordon) -> float:
    """A police cordon: fully in place."""
    return 1.0


def _areas(title: Label) -> ParamSpec:
    """Areas a measure covers (an empty choice means every area)."""
    return ParamSpec(title, kind="places", places="areas")


class Crowd(HazardModel):
    Params = Params
    name = "crowd"
    STREAMS = ("harm", "arrivals")
    measures: ClassVar[dict[str, type[Strict]]] = {
        "limit_inflow": Inflow,
        "open_exits": Exits,
        "stop_event": NoParams,
        "police_cordon": Cordon,
        "medical_treatment": NoParams,
        "public_information": PublicShare,
    }
    title = Label("大型活动人群拥挤踩踏", "crowd crush at a large event")
    PLACES: ClassVar[dict[str, Label]] = {"areas": Label("区域", "area")}
    EVENTS = ("crush",)
    SITE_FIGURES: ClassVar[dict[str, FigureSpec]] = {
        "density": FigureSpec(Label("人员密度", "Density"), Label("人/平方米", "persons/m²"))
    }
    MEASURE_PARAMS: ClassVar[dict[str, dict[str, ParamSpec]]] = {
        "public_information": {"share": PUBLIC_SHARE},
        "limit_inflow": {
            "areas": _areas(Label("限流区域", "areas")),
            "share": ParamSpec(Label("限流比例", "share of arrivals held back"), percent=True, step=0.05),
        },
        "open_exits": {
            "areas": _areas(Label("分流区域", "areas")),
            "factor": ParamSpec(Label("通行能力提高到", "outflow capacity ×"), Label("倍", ""), step=0.1),
        },
        "police_cordon": {"areas": _areas(Label("警戒区域", "areas"))},
    }
    FIGURES: ClassVar[dict[str, FigureSpec]] = {
        "max_density": FigureSpec(Label("最大人群密度", "Highest density"), Label("人/平方米", "people/m²")),
        "worst_area": FigureSpec(Label("最拥挤区域", "Most crowded area")),
        "peak_density": FigureSpec(Label("峰值人群密度", "Peak density"), Label("人/平方米", "people/m²")),
        "crowded_areas": FigureSpec(Label("拥挤区域", "Crowded areas"), Label("处", "")),
        "persons": FigureSpec(Label("现场人数", "People on site"), Label("人", "people")),
        "crushes": FigureSpec(Label("踩踏次数", "Crushes"), Label("次", "")),
    }

    def __init__(self, params: Params, streams: StreamSource):
        super().__init__(params, streams)
        self.persons = {a.id: float(a.initial_persons) for a in params.areas}
        self.crushed: set[str] = set()
        self.peak_density = max((self.density(a) for a in params.areas), default=0.0)
        self._hazard = {a.id: 0.0 for a in params.areas}
        self._threshold = {a.id: float(self.rng.exponential()) for a in params.areas}
        # arrivals' noise on its own stream, so casualty draws never shift it: two plans see the same crowd
        self._inflow_noise = NormalDraws(self.stream("arrivals"), NOISE_BLOCK)  # a draw per area each minute
        self._noise: list[float] = []  # the last minute's draws
        self._areas_changed()

    def weather(self) -> dict[str, tuple[float, ...]]:
        return {"arrivals_noise": tuple(self._noise)}

    def set_param(self, name: str, value: Any) -> None:
        super().set_param(name, value)
        self._areas_changed()

    def _areas_changed(self) -> None:
        """Work out once what the minute needs of the areas (again whenever an inject replaces the parameters)."""
        areas = self.params.areas
        self._ids = [a.id for a in areas]
        self._untouched = [0.0] * len(areas)  # the effect of a measure nobody carries out, on each area (read only)

    # -- state ------------------------------------------------------------------------------------------
    def state_value(self, name: str, site: str = "") -> float | None:
        """The density of one area (``density``), or a scene-wide figure."""
        if not site:
            return super().state_value(name)
        area = next((a for a in self.params.areas if a.id == site), None)
        return self.density(area) if name == "density" and area is not None else None

    def density(self, area: Area) -> float:
        return self.persons[area.id] / area.area_m2

    @property
    def contained(self) -> bool:
        safe, persons = self.params.safe_density, self.persons
        return all(persons[a.id] / a.area_m2 < safe for a in self.params.areas)

    # -- the minute -------------------------------------------------------------------------------------
    def step(self, t: float, dt: float) -> list[Harm]:
        p = self.params
        self._check_treatment(t)
        noise = self._noise = self._inflow_noise.draw(len(p.areas))
        stop = self._progress("stop_event", t)
        # the measures' effect on each area: arrivals held back, extra exit capacity, a cordon's progress
        held = self._strongest("limit_inflow", t, _share)
        exits = self._strongest("open_exits", t, _extra_capacity)
        cordons = self._strongest("police_cordon", t, _in_full)
        # a public warning (come later, stay away) thins the arrivals; stopping the event cuts them further
        arriving = p.inflow_factor * (1.0 - STOP_CUTS_INFLOW * stop)
        arriving *= 1.0 - self._public_share("public_information", t)
        departing = p.departure_factor * (1.0 + STOP_ADDS_DEPARTURES * stop)
        wander, onset, injury_rate = p.inflow_wander, p.crush_onset, p.compression_injury_rate_per_min
        span = max(p.danger_density - onset, 1e-6)
        persons, crushed, peak = self.persons, self.crushed, self.peak_density
        harms: list[Harm] = []
        exposed = 0.0
        for i, area in enumerate(p.areas):
            key, size = area.id, area.area_m2
            before = persons[key] / size
            factor = arriving if area.flow == "arrival" else departing
            arrivals = area.inflow_per_min * factor * max(0.0, 1.0 + wander * noise[i]) * (1.0 - held[i])
            arrivals *= self._entry(before) * (AFTER_CRUSH_INFLOW if key in crushed else 1.0)
            cordon = cordons[i]
            capacity = area.outflow_per_min * (1.0 + exits[i]) * (1.0 + CORDON_OUTFLOW * cordon + STOP_OUTFLOW * stop)
            leaving = min(persons[key], capacity * self._flow(before) * dt)
            now = min(max(persons[key] + arrivals * dt - leaving, 0.0), MAX_DENSITY * size)
            persons[key] = now
            density = now / size
            if density > peak:
                peak = density
            over = density - onset
            if over <= 0.0:
                continue  # no crush possible here (most areas, most minutes)
            exposed += now
            harm = self._harm(now, injury_rate * over * over, dt, area.name)
            if harm:
                harms.append(harm)
                self.injured += harm.injured
            if key in crushed:
                continue
            self._hazard[key] += p.crush_rate_per_min * (over / span) ** 3 * (1.0 - CORDON_DAMPING * cordon) * dt
            if self._hazard[key] >= self._threshold[key]:
                harms.extend(self._crush(area, over))
        self.peak_density = peak
        return self._end_step(exposed, dt, harms, p.death_rate_per_min)

    def _strongest(self, measure: str, t: float, strength: Callable[[Any], float]) -> list[float]:
        """Each area's strongest effect of ``measure``: ``strength(params)`` at full effect, phased in, over the
        measures that cover the area (one naming no area covers them all)."""
        measures = self._of(measure)
        if not measures:
            return self._untouched
        ids = self._ids
        best = [0.0] * len(ids)
        for m in measures:
            effect = strength(m.params) * m.progress(t)
            named = m.params.areas
            for i, area_id in enumerate(ids):
                if effect > best[i] and (not named or area_id in named):
                    best[i] = effect
        return best

    def _flow(self, density: float) -> float:
        """Share of the capacity that gets through at this density (rises, then breaks down in a jam)."""
        p = self.params
        if density <= p.jam_density:
            return min(1.0, density / p.free_flow_density)
        return max(JAMMED_FLOW, 1.0 - p.jam_slope * (density - p.jam_density))

    def _entry(self, density: float) -> float:
        """Share of those arriving who still get into the area (beyond the jam the queue backs up upstream)."""
        jam = self.params.jam_density
        if density <= jam:
            return 1.0
        return max(0.0, (MAX_DENSITY - density) / max(MAX_DENSITY - jam, 1e-6))

    def _crush(self, area: Area, over: float) -> list[Harm]:
        p = self.params
        self.crushed.add(area.id)
        self._state("crush", area.id)
        people = int(self.persons[area.id])
        injured = int(self.rng.binomial(people, min(0.5, p.crush_injury_share * over))) if people else 0
        dead = int(self.rng.binomial(injured, p.crush_death_share)) if injured else 0
        self.injured += injured
        self.dead += dead
        return [Harm(injured=injured, dead=dead, where=f"{area.name}发生踩踏")] if injured else []

    def map_state(self, t: float) -> dict[str, Any]:
        """Each area's density (persons/m²) and the areas where a crush happened."""
        return {
            "density": {a.id: round(self.density(a), 2) for a in self.params.areas},
            "crushed": sorted(self.crushed),
        }

    @classmethod
    def site_map(cls, params: Params, state: dict[str, Any]) -> SiteMap:
        """Each area with its density against the crush onset, and where a crush happened."""
        density, crushed = state.get("density", {}), set(state.get("crushed", ()))
        at, schematic = placed(params.areas, MAP_RING_M)
        marks = []
        for a, x, y in at:
            d = density.get(a.id)
            zh = "密度—" if d is None else f"{d:.1f}人/平方米"
            en = "density —" if d is None else f"{d:.1f} people/m²"
            if a.id in crushed:
                zh, en = zh + "，发生踩踏", en + ", crush"
            level = 2.0 if a.id in crushed else (d or 0.0) / params.crush_onset
            marks.append(Mark(a.id, a.name, x, y, level, Label(zh, en)))
        size = extent([(m.x, m.y) for m in marks], 100.0)
        return SiteMap(0.0, cls.name, "", size, schematic=schematic, marks=marks)

    def figures(self) -> dict[str, float | int | bool]:
        areas = self.params.areas
        worst = max(areas, key=self.density)
        return {
            "max_density": round(self.density(worst), 2),
            "worst_area": worst.id,
            "peak_density": round(self.peak_density, 2),
            "crowded_areas": sum(self.density(a) > self.params.crush_onset for a in areas),
            "persons": round(sum(self.persons.values())),
            "crushes": len(self.crushed),
            "exposed": self._exposed,
            "exposed_person_minutes": round(self.exposed_person_minutes, 1),
            "injured": self.wounded,
            "dead": self.dead,
        }
