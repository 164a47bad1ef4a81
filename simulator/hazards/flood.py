"""Urban waterlogging in a rainstorm: water rises at low sites faster than the drains can take it.

Covers: a rain intensity that wanders (seeded) around a level an inject can raise (a red warning) or end;
sites (underpasses, metro entrances, low-lying streets, underground garages and malls) that fill at a rate set by
the rain and empty through their drains and any pumps brought in; people at a site are in danger once the water
passes its danger depth.

Scenario: 城市暴雨内涝. Closing an underpass or an underground space, or stopping the trains, keeps people out —
but only before the water arrives: whoever is inside when a site floods is trapped there, and only water rescue
(水域救援) brings them out (evacuating a street works on its people before and after). Public measures thin out
every public site: a public warning (预警信息发布与出行提示) keeps some people off the roads, 停课停工停业 keeps most
at home. Pumps lower the water; flood barriers at the entrances (挡水板、沙袋) hold back part of the inflow.

Critical sites: a substation (``kind: substation``) that floods cuts the power to the sites it ``feeds``: a hospital's
patients on powered equipment are at risk, and the trains of a metro station stop, stranding the passengers inside,
until emergency power (应急供电) reaches them. The model states each site flooded (``site_flooded``) and each power
loss (``power_lost``) as named events. As with every hazard here, a training model, not a hydraulic one.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from simulator.hazards.base import (
    METRES,
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
    StreamSource,
    Strict,
)
from simulator.hazards.mapdata import Mark, SiteMap, extent, placed
from simulator.vocabulary import Label

#: which measure keeps the people out of each kind of site (before it floods: it cannot free those already inside)
PROTECTED_BY = {"underpass": "close_underpass", "metro": "stop_trains", "underground": "close_underground"}
#: which measures bring out the people of a flooded (or powerless) site of each kind, besides water rescue
RESCUED_BY = {
    "street": ("evacuate",),
    "underground": ("evacuate",),
    "metro": ("emergency_power",),
    "hospital": ("emergency_power",),
}
#: the kinds of site the public measures thin out (people stay home); a hospital's patients and a substation do not
PUBLIC_KINDS = ("underpass", "metro", "street", "underground")
#: the public measures, each keeping a share of a site's people away (``Public.share``)
PUBLIC = ("public_information", "suspend_activities")
NOISE_BLOCK = 256  # rain draws fetched from the weather's generator at a time
MAP_RING_M = 1500.0  # metres: the site map's schematic ring of sites when the scenario gives no coordinates


class Site(Located):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name: str
    kind: Literal["underpass", "metro", "street", "underground", "hospital", "substation"]
    population: int = Field(
        ge=0, le=1_000_000, description="people at the site while it stays open (a hospital: patients on power)"
    )
    fill_m_per_mm: float = Field(gt=0, le=1, description="metres of rise per minute per mm/h of rain")
    drain_m_per_min: float = Field(ge=0, le=1)
    danger_depth_m: float = Field(gt=0, le=20)
    feeds: list[str] = Field(
        default_factory=list, description="a substation: the sites it supplies, left without power if it floods"
    )


class Params(Strict):
    rain_mm_h: float = Field(ge=0, le=500)
    rain_wander: float = Field(default=0.1, ge=0, le=1, description="relative sd of the rain per minute")
    pump_m_per_min: float = Field(default=0.004, ge=0, le=1, description="lowering per pump unit")
    injury_rate_per_min: float = Field(default=0.001, ge=0, le=1)
    death_rate_per_min: float = Field(default=0.002, ge=0, le=1)
    sites: list[Site] = Field(min_length=1, max_length=500)
    map_scene: MapScene = ""
    cordon_m: CordonRadius = 0.0
    cordon_measure: CordonMeasure = ""

    @model_validator(mode="after")
    def _fed_sites_known(self) -> Params:
        known = {s.id for s in self.sites}
        for s in self.sites:
            unknown = [f for f in s.feeds if f not in known]
            if unknown:
                raise ValueError(f"变电站 {s.id} 供电的地点不存在 (unknown sites fed): {', '.join(unknown)}")
            if s.feeds and s.kind != "substation":
                raise ValueError(f"只有变电站可以给出 feeds (only a substation feeds sites): {s.id}")
        return self


class Sites(Strict):
    sites: list[str] = Field(
        default_factory=list, title="地点", description="site ids; empty means every site of the kind"
    )


class Pumps(Strict):
    site: str = Field(default="", title="地点", description="one site id (or use sites)")
    sites: list[str] = Field(default_factory=list, title="地点", description="several site ids; units go to each")
    units: int = Field(ge=1, le=200, title="泵车（台）", description="pump units per site")

    @model_validator(mode="after")
    def _somewhere(self) -> Pumps:
        if not self.site and not self.sites:
            raise ValueError("应给出排涝地点 site 或 sites (expected a site)")
        return self

    def covers(self, site_id: str) -> bool:
        return site_id == self.site or site_id in self.sites


class Barrier(Strict):
    sites: list[str] = Field(default_factory=list, title="地点", description="site ids; empty means every site")
    share: float = Field(
        default=0.6, gt=0, le=1, title="挡水比例", description="share of the inflow the barriers hold back"
    )


class Public(Strict):
    """A public measure: a share of the people stay away from the public sites (all of them, or those named)."""

    sites: list[str] = Field(default_factory=list, title="地点", description="site ids; empty means every public site")
    share: float = Field(default=0.3, gt=0, le=1, title="减少比例", description="share of the people kept away")


class Suspend(Public):
    """停课停工停业: most people stay at home."""

    share: float = Field(default=0.6, gt=0, le=1, title="减少比例", description="share of the people kept away")


class Rescue(Strict):
    sites: list[str] = Field(min_length=1, title="地点", description="the flooded sites the rescue teams work")


def _sites(title: Label, *kinds: str) -> ParamSpec:
    """Sites of some kinds (an empty choice means every site of the kinds)."""
    return ParamSpec(title, kind="places", places="sites", where=lambda site: site.kind in kinds)


def _public(title: Label) -> dict[str, ParamSpec]:
    return {
        "sites": ParamSpec(title, kind="places", places="sites", where=lambda site: site.kind in PUBLIC_KINDS),
        "share": ParamSpec(Label("人员减少比例", "share of people kept away"), percent=True, step=0.05),
    }


def _first_site(params: Params) -> list[str]:
    return [params.sites[0].id]


class Flood(HazardModel):
    Params = Params
    name = "flood"
    STREAMS = ("harm", "rain")
    measures: ClassVar[dict[str, type[Strict]]] = {
        "close_underpass": Sites,
        "close_underground": Sites,
        "stop_trains": Sites,
        "evacuate": Sites,
        "deploy_pumps": Pumps,
        "flood_barrier": Barrier,
        "water_rescue": Rescue,
        "medical_treatment": NoParams,
        "public_information": Public,
        "suspend_activities": Suspend,
        "emergency_power": Sites,
    }
    title = Label("城市内涝", "urban flooding")
    PLACES: ClassVar[dict[str, Label]] = {"sites": Label("地点", "site")}
    EVENTS = ("site_flooded", "power_lost")
    SITE_FIGURES: ClassVar[dict[str, FigureSpec]] = {"depth": FigureSpec(Label("积水深度", "Water depth"), METRES)}
    MEASURE_PARAMS: ClassVar[dict[str, dict[str, ParamSpec]]] = {
        "close_underpass": {"sites": _sites(Label("封闭的下穿通道", "underpasses to close"), "underpass")},
        "stop_trains": {"sites": _sites(Label("停运的地铁站", "metro stations"), "metro")},
        "close_underground": {"sites": _sites(Label("关闭的地下空间", "underground spaces to close"), "underground")},
        "evacuate": {
            "sites": _sites(Label("疏散的街区和地下空间", "streets and spaces to evacuate"), "street", "underground")
        },
        "deploy_pumps": {
            "sites": ParamSpec(Label("排涝地点", "pumping sites"), kind="places", places="sites", default=_first_site),
            "units": ParamSpec(Label("每处泵车", "pump units per site"), Label("台", "units"), "integer", default=4),
            "site": ParamSpec(Label("排涝地点", "pumping site"), kind="place", places="sites", form=False),
        },
        "flood_barrier": {
            "sites": ParamSpec(Label("设置挡水板的地点", "barrier sites"), kind="places", places="sites"),
            "share": ParamSpec(Label("挡水比例", "share held back"), percent=True, step=0.05),
        },
        "water_rescue": {
            "sites": ParamSpec(Label("救援地点", "rescue sites"), kind="places", places="sites", default=_first_site)
        },
        "public_information": _public(Label("提示避开的地点", "sites to avoid")),
        "suspend_activities": _public(Label("停课停工停业的地点", "sites to close")),
        "emergency_power": {
            "sites": ParamSpec(
                Label("应急供电的地点", "sites to power"),
                kind="places",
                places="sites",
                where=lambda site: site.kind in ("hospital", "metro"),
            )
        },
    }
    FIGURES: ClassVar[dict[str, FigureSpec]] = {
        "rain_mm_h": FigureSpec(Label("雨强", "Rainfall"), Label("毫米/小时", "mm/h")),
        "max_depth_m": FigureSpec(Label("最大积水深度", "Deepest water"), Label("米", "m")),
        "worst_site": FigureSpec(Label("积水最严重地点", "Worst site")),
        "flooded_sites": FigureSpec(Label("积水超过警戒的地点", "Sites flooded"), Label("处", "sites")),
        "dark_sites": FigureSpec(Label("停电的地点", "Sites without power"), Label("处", "sites")),
    }

    def __init__(self, params: Params, streams: StreamSource):
        super().__init__(params, streams)
        self.depth = {site.id: 0.0 for site in params.sites}
        self.rain = params.rain_mm_h
        # the rain has its own stream: casualty draws (which depend on the plan) must not change it, so two plans
        # under one seed face the same storm; drawn ahead in blocks, as the stream serves nothing else
        self._rain_noise = NormalDraws(self.stream("rain"), NOISE_BLOCK)
        self._caught: dict[str, float] = {}  # flooded site -> the people inside when the water arrived
        self._dark: dict[str, float] = {}  # site without power -> the people inside when the power went
        self._risk: dict[str, float] = {}  # site -> people in danger there, as of the last step
        self._lay_out()

    def weather(self) -> dict[str, float]:
        return {"rain_mm_h": self.rain}

    def set_param(self, name, value):
        super().set_param(name, value)
        if name == "rain_mm_h":
            self.rain = float(value)
        self._lay_out()

    def _lay_out(self) -> None:
        """Copy the sites' fixed figures out of the parameters once: a pydantic model's fields are read through
        its ``__getattr__`` hook, a few times slower than a tuple's, and the step reads them every minute."""
        self._sites = tuple((s, s.id, s.fill_m_per_mm, s.drain_m_per_min, s.danger_depth_m) for s in self.params.sites)

    def state_value(self, name: str, site: str = "") -> float | None:
        """The water depth at one site (``depth``, metres), or a scene-wide figure."""
        if not site:
            return super().state_value(name)
        return self.depth.get(site) if name == "depth" else None

    @property
    def contained(self) -> bool:
        """The rain has stopped and nobody is left in danger at a flooded or powerless site."""
        return self.rain < 1 and all(people < 1 for people in self._risk.values())

    def step(self, t: float, dt: float) -> list[Harm]:
        p = self.params
        # the rain wanders around its level by a normal draw of sd ``rain_wander`` (a standard draw times the sd,
        # which is how numpy's ``normal(0, sd)`` makes it: the same numbers)
        rain = self.rain = (
            max(0.0, p.rain_mm_h * (1.0 + p.rain_wander * self._rain_noise.draw())) if p.rain_mm_h else 0.0
        )
        self._check_treatment(t)
        pumps_at = self._pumps_at(t)
        barriers = self._of("flood_barrier")
        depth = self.depth
        harms: list[Harm] = []
        exposed = 0.0
        self._risk = risk = {}
        for site, sid, fill_m_per_mm, drain_m_per_min, danger_depth_m in self._sites:
            held = 0.0  # the share of the inflow the best barriers at the site's entrances hold back
            for m in barriers:
                if not m.params.sites or sid in m.params.sites:
                    share = m.params.share * m.progress(t)
                    if share > held:
                        held = share
            fill = fill_m_per_mm * rain * (1.0 - held)
            change = fill - drain_m_per_min - pumps_at.get(sid, 0) * p.pump_m_per_min
            level = max(0.0, depth[sid] + change * dt)
            depth[sid] = level
            if level < danger_depth_m:
                self._caught.pop(sid, None)  # the water is down: whoever was inside can walk out
                if sid not in self._dark:
                    continue
            elif sid not in self._caught:  # the water arrives: whoever the closures have not kept out is trapped
                self._caught[sid] = self._present(site, t) * (1.0 - self._kept_out(site, t))
                if not self.happened("site_flooded", sid):
                    self._state("site_flooded", sid)
                if site.feeds and not self.happened("power_lost", sid):
                    self._power_lost(site, t)
            people = max(self._caught.get(sid, 0.0), self._dark.get(sid, 0.0)) * (1.0 - self._rescued(site, t))
            risk[sid] = people
            exposed += people
            harm = self._harm(people, p.injury_rate_per_min, dt, site.name)
            if harm:
                harms.append(harm)
        self._end_step(exposed, dt, harms, p.death_rate_per_min)  # deaths among those hurt before this minute
        if harms:
            self.injured += sum(harm.injured for harm in harms)
        return harms

    def _pumps_at(self, t: float) -> dict[str, float]:
        """The pump units at work at each site that has any: the orders that cover it, summed in the order given."""
        at_site: dict[str, list[float]] = {}
        for order in self._of("deploy_pumps"):
            at_work = order.params.units * order.progress(t)
            for sid in {order.params.site, *order.params.sites}:
                at_site.setdefault(sid, []).append(at_work)
        return {sid: sum(at_work) for sid, at_work in at_site.items()}

    def _power_lost(self, substation: Site, t: float) -> None:
        """A flooded substation: the sites it feeds go dark. A metro's trains stop with the passengers the closure
        has not kept out still inside; a hospital's patients on powered equipment are at risk. Both until
        emergency power (or, for the metro, water rescue) reaches them."""
        self._state("power_lost", substation.id, substation.feeds)
        for site in self.params.sites:
            if site.id in substation.feeds and site.kind in ("metro", "hospital") and site.id not in self._dark:
                self._dark[site.id] = self._present(site, t) * (1.0 - self._kept_out(site, t))

    def _present(self, site: Site, t: float) -> float:
        """The people at a public site, less those the public measures (warnings, 停课停工停业) keep away."""
        people = float(site.population)
        if site.kind not in PUBLIC_KINDS:
            return people
        for measure in PUBLIC:
            best = 0.0
            for m in self._of(measure):
                if not m.params.sites or site.id in m.params.sites:
                    share = m.params.share * m.progress(t)
                    if share > best:
                        best = share
            people *= 1.0 - best
        return people

    def _best(self, measure: str, sid: str, t: float, empty_means_all: bool) -> float:
        best = 0.0
        for m in self._of(measure):
            if sid in m.params.sites or (empty_means_all and not m.params.sites):
                progress = m.progress(t)
                if progress > best:
                    best = progress
        return best

    def _kept_out(self, site: Site, t: float) -> float:
        """The share of a site's people its closure keeps out (an underpass closed, the trains stopped)."""
        measure = PROTECTED_BY.get(site.kind)
        return self._best(measure, site.id, t, True) if measure else 0.0

    def _rescued(self, site: Site, t: float) -> float:
        """The share of the people caught at a site that have been brought out: water rescue, a street's
        evacuation, emergency power at a hospital or metro."""
        best = self._best("water_rescue", site.id, t, False)
        for measure in RESCUED_BY.get(site.kind, ()):
            best = max(best, self._best(measure, site.id, t, True))
        return best

    def _protection(self, site: Site, t: float) -> float:
        """The share of a site's people out of danger: kept out before the water came, or brought out."""
        if site.id in self._caught or site.id in self._dark:
            caught = max(self._caught.get(site.id, 0.0), self._dark.get(site.id, 0.0))
            return 1.0 - caught * (1.0 - self._rescued(site, t)) / site.population if site.population else 1.0
        return max(self._kept_out(site, t), self._rescued(site, t))

    def map_state(self, t: float) -> dict[str, Any]:
        """The rain, and each site's water depth, pump units at work and share of its people out of danger."""
        return {
            "rain_mm_h": round(self.rain, 1),
            "depth": {sid: round(level, 3) for sid, level in self.depth.items()},
            "pumps": {sid: round(units, 1) for sid, units in self._pumps_at(t).items() if units > 0},
            "protected": {s.id: round(self._protection(s, t), 3) for s in self.params.sites},
            "dark": sorted(self._dark),
        }

    @classmethod
    def site_map(cls, params: Params, state: dict[str, Any]) -> SiteMap:
        """Each site with its water depth against its danger depth, the pumps at work and whether its people are
        out; the rain as the headline."""
        depth, pumps, protected = state.get("depth", {}), state.get("pumps", {}), state.get("protected", {})
        dark = set(state.get("dark", ()))
        at, schematic = placed(params.sites, MAP_RING_M)
        marks = []
        for s, x, y in at:
            d = depth.get(s.id)
            zh = "积水—" if d is None else f"积水{d:.2f}米（警戒{s.danger_depth_m:g}米）"
            en = "water —" if d is None else f"water {d:.2f} m (danger {s.danger_depth_m:g} m)"
            if pumps.get(s.id):
                zh, en = zh + f"，泵车{pumps[s.id]:g}台", en + f", {pumps[s.id]:g} pumps"
            if s.id in dark:
                zh, en = zh + "，已停电", en + ", no power"
            if s.kind == "substation" and d is not None and d >= s.danger_depth_m:
                zh, en = zh + "，进水停运", en + ", flooded, out of service"
            if protected.get(s.id, 0) >= 1 and s.population:
                zh, en = zh + "，人员已撤离", en + ", people out"
            marks.append(Mark(s.id, s.name, x, y, (d or 0.0) / s.danger_depth_m, Label(zh, en)))
        rain = state.get("rain_mm_h", params.rain_mm_h)
        headline = [Label(f"雨强{rain:.0f}毫米/小时", f"rain {rain:.0f} mm/h")]
        size = extent([(m.x, m.y) for m in marks], 500.0)
        return SiteMap(0.0, cls.name, "", size, schematic=schematic, marks=marks, headline=headline)

    def figures(self) -> dict[str, float | int | bool]:
        deepest = max(self.params.sites, key=lambda s: self.depth[s.id] / s.danger_depth_m)
        return {
            "rain_mm_h": round(self.rain, 1),
            "max_depth_m": round(max(self.depth.values()), 2),
            "worst_site": deepest.id,
            "flooded_sites": sum(self.depth[s.id] >= s.danger_depth_m for s in self.params.sites),
            "dark_sites": len(self._dark),
            "exposed": self._exposed,
            "exposed_person_minutes": round(self.exposed_person_minutes, 1),
            "injured": self.wounded,
            "dead": self.dead,
        }
