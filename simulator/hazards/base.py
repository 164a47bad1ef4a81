"""The small interface every hazard model offers the engine.

The engine's ``incident`` process calls ``step`` once per sim minute, hands over measures as departments carry
them out (``start_measure``), applies inject effects (``set_param``, ``add_casualties``) and samples ``figures``
for the log. A model holds no SimPy objects: it is plain arithmetic on its own state, so it can be tested alone.

Randomness comes in named streams (``HazardModel.STREAMS``): harm draws (injuries, deaths, ignition and crush
thresholds) on ``harm``, and each kind of weather or noise (the plume's wind, the flood's rain, the crowd's
arrivals) on a stream of its own. Each stream is seeded from (seed, its place in ``STREAMS``), so what the
trainees do — which changes who gets hurt, and so how many harm draws are made — never changes the weather: two
plans under one seed face the same storm for the whole drill (common random numbers).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from simulator.hazards.mapdata import Mark, SiteMap, extent, placed
from simulator.printable import checked
from simulator.vocabulary import OUTCOMES, Label

_NONE: tuple = ()  # no measures of a kind
MAX_MAP_M = 50_000.0  # metres: the site map's places lie within this of the scene
MAP_RING_M = 500.0  # metres: the default layout's ring of places that have no coordinates
NO_UNIT = Label("", "")
METRES = Label("米", "m")

#: how a person sets a measure parameter: a number, a whole number, one place, several places, a range of floors
#: (``from_floor``–``to_floor``), several floors, or one of a few choices
InputKind = Literal["number", "integer", "place", "places", "floor_range", "floors", "choice"]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One measure parameter as a person sees it: declared once per model (``HazardModel.MEASURE_PARAMS``), read by
    the console's forms, the report and the scores (``simulator.hazards.measure_fields`` / ``describe_params``).

    ``default`` may be a function of the hazard's parameters (the fire floor, the first site); ``min``/``max``
    default to the bounds of the pydantic field, so they are written once. Place kinds take their choices from the
    hazard parameters' list ``places`` (``"sites"``), filtered by ``where``; floors from 1 to ``params.floors``.
    ``measure_fields`` returns copies with ``key``, ``default``, ``min``/``max`` and ``choices`` resolved
    (``choices``: ``(value, Label)`` pairs).
    """

    title: Label
    unit: Label = NO_UNIT
    kind: InputKind = "number"
    default: Any = None
    min: float | None = None
    max: float | None = None
    step: float | None = None
    places: str = ""
    where: Callable[[Any], bool] | None = None
    choices: tuple[tuple[Any, Label], ...] = ()
    percent: bool = False  # a share, written and entered as a percentage
    form: bool = True  # False: another way to write the same thing in a file (flood pumps' single ``site``)
    keys: tuple[str, ...] = ()  # the fields it sets: (key,), or (from_floor, to_floor) for a floor range
    key: str = ""

    def label(self, lang: str = "zh") -> str:
        """The title with its unit, as a form field reads: ``疏散半径（米）`` / ``evacuation radius (m)``."""
        unit = "%" if self.percent else self.unit(lang)
        if not unit:
            return self.title(lang)
        return f"{self.title(lang)} ({unit})" if lang == "en" else f"{self.title(lang)}（{unit}）"


@dataclass(frozen=True, slots=True)
class FigureSpec:
    """One figure of the model's ``hazard_sample`` events: its label and unit (``percent``: a share of 1)."""

    label: Label
    unit: Label = NO_UNIT
    percent: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    """A place a measure can name: its kind (``Label("地点", "site")``), id and name (scenario data)."""

    kind: Label
    id: str
    name: str


PERSONS = Label("人", "people")
#: the figures every model samples (exposure and casualties), labelled as the outcome figures are
COMMON_FIGURES: dict[str, FigureSpec] = {
    "exposed": FigureSpec(Label("暴露人数", "People exposed"), PERSONS),
    "exposed_person_minutes": FigureSpec(
        OUTCOMES["exposed_person_minutes"].label, OUTCOMES["exposed_person_minutes"].unit
    ),
    "injured": FigureSpec(OUTCOMES["injured"].label, PERSONS),
    "dead": FigureSpec(OUTCOMES["dead"].label, PERSONS),
}


class Strict(BaseModel):
    """Base of every parameter model: unknown keys are typos, not extensions; no NaN or infinity, and no string a
    report cannot hold (a site's name is one line: ``simulator.printable``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | BaseModel):
            return value
        return checked(value, multiline=False)


class Located(Strict):
    """A place the site map can put where it is: metres east (``x_m``) and north (``y_m``) of the scene (the leak,
    the stage, the district's centre). Both optional: a scenario that gives none is laid out schematically
    (``simulator.sitemap``). The physics never reads them, so placing things on the map changes no drill."""

    x_m: float | None = Field(default=None, ge=-MAX_MAP_M, le=MAX_MAP_M, description="site map: metres east")
    y_m: float | None = Field(default=None, ge=-MAX_MAP_M, le=MAX_MAP_M, description="site map: metres north")


#: What the site map shows beyond the places, declared by every model's parameters (after its own, so the Excel drill
#: script lists them last): the scene's own name, and the cordon (警戒区), a circle of ``cordon_m`` about the scene
#: drawn once the scenario's measure ``cordon_measure`` is ordered. Flat scalars, written as plain cells; the
#: physics never reads them.
MapScene = Annotated[str, Field(max_length=100, description="site map: the scene's name, e.g. 泄漏储罐")]
CordonRadius = Annotated[float, Field(ge=0, le=MAX_MAP_M, description="site map: the cordon's radius; 0: none")]
CordonMeasure = Annotated[str, Field(max_length=50, description="site map: the measure that sets up the cordon")]


class NoParams(Strict):
    """A measure that needs no parameters (e.g. stopping the leak)."""


#: measures for the public (a public warning, 停课停工停业) that any scenario may list whatever its hazard; the models
#: where they change who is out there give them an effect (fewer people at the flood's sites, fewer arrivals at the
#: event, fewer people in the plume's path), the others none
PUBLIC_MEASURES = ("public_information", "suspend_activities")


class PublicShare(Strict):
    """A public warning: the share of the people it keeps away (off the roads, out of the plume), at full effect."""

    share: float = Field(default=0.3, gt=0, le=1, title="减少比例", description="share of the people kept away")


PUBLIC_SHARE = ParamSpec(Label("人员减少比例", "share of people kept away"), percent=True, step=0.05)


@dataclass(slots=True)
class Harm:
    """New casualties in one step, for a ``casualties`` event."""

    injured: int = 0
    dead: int = 0
    where: str = ""


@dataclass(frozen=True, slots=True)
class HazardEvent:
    """A named turn of the hazard (an explosion, a site flooded, power lost), for a ``hazard_event`` log entry and
    for the injects that wait on it (``Inject.when: {hazard: explosion}``). ``site``: the place it happened at
    (``""`` for the whole scene); ``sites``: the other places it reaches (the sites a substation feeds)."""

    event: str
    site: str = ""
    sites: tuple[str, ...] = ()


@dataclass(slots=True)
class ActiveMeasure:
    """A measure being or having been carried out: it phases in linearly from ``start`` to ``end``, and stays in
    force until an adjustment of it is fully in effect (``until``)."""

    measure: str
    params: Any
    start: float
    end: float
    until: float = math.inf

    def progress(self, t: float) -> float:
        if t >= self.end:
            return 1.0 if t < self.until else 0.0
        if t <= self.start:
            return 0.0
        return (t - self.start) / (self.end - self.start)


#: the generator of a model's n-th named stream (``HazardModel.STREAMS[n]``); the engine seeds it from the drill's
#: seed and n (``Streams.numpy("hazard", n)``), so a stream depends on nothing but (seed, stream name)
StreamSource = Callable[[int], np.random.Generator]


def _generator(seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))


def seeded(seed: int) -> StreamSource:
    """Named streams for a model run on its own (tests, benches): stream n from ``SeedSequence(seed, (n,))``."""
    return partial(_generator, seed)


class NormalDraws:
    """Standard normal draws from ``rng``, fetched ``block`` at a time: one numpy call per minute costs more than
    a minute's physics. ``draw(n)`` gives n draws at once (one per area, say); the width must not change."""

    def __init__(self, rng: np.random.Generator, block: int):
        self._rng = rng
        self._block = block
        self._left: list = []

    def draw(self, *width: int):
        if not self._left:
            self._left = self._rng.standard_normal((self._block, *width)).tolist()
            self._left.reverse()
        return self._left.pop()


class HazardModel(ABC):
    """One hazard: its parameters, its state, and how measures change it."""

    name: ClassVar[str]
    #: the pydantic model of the scenario's ``hazard.params`` for this model
    Params: ClassVar[type[Strict]]
    #: measure id -> parameter model; measures a scenario lists that are not here have no physical effect
    measures: ClassVar[dict[str, type[Strict]]]
    #: the model's own name, for people (the scenario's ``hazard.model`` is its id, ``name``)
    title: ClassVar[Label]
    #: the hazard parameters' lists of places a measure can name, and what kind of place each holds
    PLACES: ClassVar[dict[str, Label]] = {}
    #: measure id -> parameter name -> how a person sets it (every field of every parameter model, once)
    MEASURE_PARAMS: ClassVar[dict[str, dict[str, ParamSpec]]] = {}
    #: the model's own figures (``COMMON_FIGURES`` are added by ``figure_specs``)
    FIGURES: ClassVar[dict[str, FigureSpec]] = {}
    #: the model's named random streams. Append-only: a stream is seeded by its place here, so reordering would
    #: change every seeded result. ``harm`` comes first (it is the one generator every model has).
    STREAMS: ClassVar[tuple[str, ...]] = ("harm",)
    #: the named events the model states (``vocabulary.HAZARD_EVENTS`` holds their words); an inject may wait on one
    EVENTS: ClassVar[tuple[str, ...]] = ()
    #: figures the model gives per place (``state_value(name, site)``), e.g. the water depth at a site
    SITE_FIGURES: ClassVar[dict[str, FigureSpec]] = {}

    def __init__(self, params: Any, streams: StreamSource):
        self.params = params
        self._streams = streams
        self.rng = self.stream("harm")  # injuries, deaths and thresholds: how many are drawn depends on the plan
        self.active: list[ActiveMeasure] = []
        self._by_measure: dict[str, list[ActiveMeasure]] = {}  # the same, by measure id: steps look up by id
        self.injured = 0
        self.dead = 0
        self.treated = False
        self.exposed_person_minutes = 0.0
        self._exposed = 0
        self._happened: set[tuple[str, str]] = set()  # (event, site) of every event stated so far
        #: the events stated since the engine last took them (``take_events``); empty most minutes, which the
        #: engine tests before taking them
        self.events_stated: list[HazardEvent] = []

    # -- what the model says about itself (read through ``simulator.hazards``) ---------------------------
    @classmethod
    def place_list(cls, params: Any) -> list[Place]:
        """The places of a scenario's hazard that measures can name, in the order the scenario lists them."""
        return [
            Place(kind, item.id, item.name) for field, kind in cls.PLACES.items() for item in getattr(params, field)
        ]

    @classmethod
    def figure_specs(cls) -> dict[str, FigureSpec]:
        return {**cls.FIGURES, **COMMON_FIGURES}

    def stream(self, name: str) -> np.random.Generator:
        """A fresh generator for one of the model's declared streams (an undeclared name is a programming error)."""
        if name not in self.STREAMS:
            raise ValueError(f"{type(self).__name__} declares no stream {name!r} (STREAMS = {self.STREAMS})")
        return self._streams(self.STREAMS.index(name))

    def weather(self) -> dict[str, Any]:
        """What the weather and noise streams gave as of the last step (nothing a plan may change): the tests of
        common random numbers compare it between plans. Models with no such stream have none."""
        return {}

    def map_state(self, t: float) -> dict[str, Any]:
        """What the site map draws of the hazard as of the last step (minute ``t``): each place's figures (water
        depth, density, gas, the plume's sector, the floors). Read by ``simulator.sitemap`` only; plain data."""
        return {}

    @classmethod
    def site_map(cls, params: Any, state: dict[str, Any]) -> SiteMap:
        """The model's part of the site map from its parameters and a ``map_state``: the places with their readings,
        the hazard's extent (a plume, the floors), a headline of figures. The model lays it out because only it
        knows what its state means; ``simulator.sitemap`` adds the rings, units and command post every map has.

        This default shows the places measures can name (``PLACES``), by their coordinates or schematically on a
        ring, with their names and no reading or extent — a new model has a map before it draws its own."""
        items = [item for field in cls.PLACES for item in getattr(params, field)]
        at, schematic = placed(items, MAP_RING_M)
        marks = [Mark(item.id, item.name, x, y) for item, x, y in at]
        return SiteMap(0.0, cls.name, "", extent([(m.x, m.y) for m in marks], MAP_RING_M), schematic, marks=marks)

    @classmethod
    def map_state_from_figures(cls, params: Any, figures: dict[str, Any]) -> dict[str, Any]:
        """A ``map_state`` from a logged ``hazard_sample``'s figures alone, for a log the site map cannot rebuild
        (another scenario version): what the figures tell of the extent, nothing per place. Default: nothing."""
        return {}

    # -- the hazard's state, for injects that wait on it -----------------------------------------------
    def happened(self, event: str, site: str = "") -> bool:
        """Whether the model has stated ``event`` (at ``site``; ``""``: anywhere) so far."""
        if site:
            return (event, site) in self._happened
        return any(e == event for e, _ in self._happened)

    def state_value(self, name: str, site: str = "") -> float | None:
        """A figure's value now: per place (``SITE_FIGURES``) when ``site`` is given, else one of ``figures()``.
        ``None`` when the model has no such number (a condition on it never holds)."""
        if site:
            return None
        value = self.figures().get(name)
        return float(value) if isinstance(value, int | float) else None

    def take_events(self) -> list[HazardEvent]:
        """The events stated since the last call, for the log (the engine calls this after each step)."""
        events, self.events_stated = self.events_stated, []
        return events

    def _state(self, event: str, site: str = "", sites: Sequence[str] = ()) -> None:
        """Subclasses: the hazard took a named turn (``EVENTS``); logged and remembered for conditions."""
        self._happened.add((event, site))
        self.events_stated.append(HazardEvent(event, site, tuple(sites)))

    # -- the engine's calls -------------------------------------------------------------------------
    @abstractmethod
    def step(self, t: float, dt: float) -> list[Harm]:
        """Advance the hazard by ``dt`` minutes ending at ``t``; return new casualties."""

    @abstractmethod
    def figures(self) -> dict[str, float | int | bool]:
        """The numbers sampled into the log (and plotted in replay)."""

    @property
    def exposed(self) -> int:
        """People exposed to the hazard right now (as of the last step)."""
        return self._exposed

    @property
    @abstractmethod
    def contained(self) -> bool:
        """Whether the hazard is under control (the outcome 'time to containment')."""

    def start_measure(self, measure: str, params: Any, start: float, end: float, replaces: bool = False) -> None:
        """A department has begun to carry out ``measure``; it is fully in effect at ``end``.

        An adjustment (``replaces``) is the measure's new setting: the earlier ones stay in force while it phases
        in — the old pumps keep pumping until the new ones run — and end when it is fully in effect. So relaxing a
        limit relaxes it, sending pumps elsewhere takes them away, and re-setting 4 pumps to 6 gives 6, not 10.
        """
        active = ActiveMeasure(measure, params, start, end)
        if replaces:
            for earlier in self._of(measure):
                earlier.until = min(earlier.until, end)
        self.active.append(active)
        self._by_measure.setdefault(measure, []).append(active)

    def lift(self, measures: Sequence[str], t: float) -> list[str]:
        """People were told the danger is over (``advise`` 群众可返回 / 解除警戒 to the public): the protection of the
        ``measures`` that keep them away ends at ``t``, whatever the hazard. Returns those that were in force."""
        lifted = []
        for measure in measures:
            for m in self._of(measure):
                if m.until > t:
                    m.until = t
                    lifted.append(measure)
        return list(dict.fromkeys(lifted))

    def set_param(self, name: str, value: Any) -> None:
        """An inject changed the situation, e.g. the wind turned."""
        self.params = self.params.model_copy(update={name: value})

    def add_casualties(self, injured: int, dead: int) -> None:
        """An inject's casualties: the dead were harmed too (``injured`` counts everyone ever harmed)."""
        self.injured += injured + dead
        self.dead += dead

    @property
    def wounded(self) -> int:
        """The injured still alive: what 受伤 means beside 死亡 in a report or a bulletin (造成1人死亡、14人受伤).
        ``injured`` counts everyone ever harmed, the dead among them, since deaths are drawn among the injured."""
        return self.injured - self.dead

    # -- helpers for subclasses ---------------------------------------------------------------------
    def _of(self, measure: str) -> Sequence[ActiveMeasure]:
        """The measures of one kind under way (most minutes: none, and this is a dict lookup)."""
        return self._by_measure.get(measure, _NONE)

    def _progress(self, measure: str, t: float) -> float:
        """The strongest progress of a measure (of all the times it was ordered)."""
        best = 0.0
        for m in self._of(measure):
            best = max(best, m.progress(t))
        return best

    def _public_share(self, measure: str, t: float) -> float:
        """The share of the people a public measure keeps away now (the strongest order of it)."""
        best = 0.0
        for m in self._of(measure):
            share = m.params.share * m.progress(t)
            if share > best:
                best = share
        return best

    def _check_treatment(self, t: float) -> None:
        """Once medical treatment is fully in place, the injured are treated (and die ten times less often)."""
        if not self.treated and self._progress("medical_treatment", t) >= 1.0:
            self.treated = True

    def _within_radius(self, measure: str, distance_m: float, t: float) -> float:
        """The furthest progress of the radius measures of one kind (evacuate, cut power, …) that reach a place
        ``distance_m`` from the source."""
        best = 0.0
        for m in self._of(measure):
            if distance_m <= m.params.radius_m:
                progress = m.progress(t)
                if progress > best:
                    best = progress
        return best

    def _harm(self, people: float, rate: float, dt: float, where: str) -> Harm | None:
        """Draw injuries among ``people`` exposed for ``dt`` minutes to a per-minute injury ``rate``."""
        if people < 1 or rate <= 0:
            return None
        injured = int(self.rng.binomial(int(people), 1.0 - math.exp(-rate * dt)))
        return Harm(injured=injured, where=where) if injured else None

    def _end_step(self, exposed: float, dt: float, harms: list[Harm], death_rate: float) -> list[Harm]:
        """Every model ends its minute alike: count the exposure, and let untreated injured people die."""
        self._exposed = round(exposed)
        self.exposed_person_minutes += exposed * dt
        death = self._deaths(dt, death_rate)
        if death:
            self.dead += death.dead
            harms.append(death)
        return harms

    def _deaths(self, dt: float, rate: float) -> Harm | None:
        """Untreated injured people may die; medical treatment cuts the rate tenfold."""
        alive = self.injured - self.dead
        if alive <= 0 or rate <= 0:
            return None
        effective = rate * (0.1 if self.treated else 1.0)
        dead = int(self.rng.binomial(alive, 1.0 - math.exp(-effective * dt)))
        return Harm(dead=dead) if dead else None

    @classmethod
    def validate_measure(cls, measure: str, params: dict[str, Any]) -> tuple[Any, str | None]:
        """Parse a measure's parameters; return (parsed, None) or (None, a Chinese reason)."""
        model = cls.measures.get(measure)
        if model is None:
            return dict(params), None
        try:
            return model.model_validate(params), None
        except ValidationError as exc:
            parts = [f"{'.'.join(map(str, e['loc'])) or measure}: {e['msg']}" for e in exc.errors()]
            return None, f"措施参数不正确 (bad measure parameters): {'; '.join(parts)}"
