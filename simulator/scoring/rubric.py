"""The scoring rubric as data: keywords → indicators, each with a weight, thresholds and a Chinese explanation.

Why data and not code: an evaluator (评估人员) tunes what "fast enough" means for a district without touching
Python, and a scenario may ship its own rubric beside it (``<scenario>.rubric.yaml``). The code only knows
*how* to measure each indicator (each declares its keyword and the thresholds it reads where it is written,
see ``indicators.py``); the file says how much each is worth and where its thresholds lie.

A rubric file is read with the project's locating loader, so every mistake is reported as
``file:line: field: message``. Thresholds an indicator does not mention keep the default rubric's values, which
keeps a scenario's rubric short: it lists only what differs.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import Field

from simulator.formats.common import Strict
from simulator.formats.durations import MAX_MINUTES
from simulator.formats.loader import load_model
from simulator.scoring.indicators import INDICATORS
from simulator.vocabulary import KEYWORD_FIELDS, KEYWORDS

DEFAULT_RUBRIC = "default_rubric.yaml"


def _unit() -> Any:
    """A share between 0 and 1 (a fresh FieldInfo per field)."""
    return Field(default=None, ge=0, le=1)


def _minutes() -> Any:
    return Field(default=None, ge=0, le=MAX_MINUTES)


class Thresholds(Strict):
    """Every threshold any indicator reads; which ones apply to which indicator it declares (``INDICATORS``).

    One model (rather than one per indicator) keeps a typo such as ``ful_by`` an "unknown field" error located
    on its own line by the project loader; a known key on the wrong indicator is caught by ``rubric_problems``.
    """

    full_by: float | None = Field(default=None, ge=0, le=MAX_MINUTES, description="minutes: full points up to here")
    zero_at: float | None = Field(default=None, ge=0, le=MAX_MINUTES, description="minutes: no points from here")
    late_zero: float | None = Field(default=None, gt=0, le=MAX_MINUTES, description="minutes late at the floor")
    late_floor: float | None = _unit()
    phone_share: float | None = _unit()
    follow_up_share: float | None = _unit()
    abs_tolerance: float | None = Field(default=None, ge=0, le=1e6, description="people a report may understate by")
    rel_tolerance: float | None = _unit()
    understated_share: float | None = _unit()
    grace: float | None = _minutes()
    not_established: float | None = _unit()
    full_share: float | None = _unit()
    zero_share: float | None = _unit()
    per_item: float | None = Field(default=None, gt=0, le=1, description="share lost per offending item")
    window: float | None = Field(default=None, gt=0, le=MAX_MINUTES)
    per_unmotivated: float | None = _unit()
    type_share: float | None = _unit()
    type_similarity: float | None = _unit()
    per_level_off: float | None = _unit()
    beta: float | None = Field(default=None, gt=0, le=10, description="F-beta: >1 favours recall")
    wrong_department: float | None = _unit()
    wrong_param: float | None = _unit()
    not_started: float | None = _unit()
    expected: int | None = Field(default=None, ge=1, le=100)
    exposure_slack: float | None = Field(default=None, ge=0, le=100, description="ratio over the reference")
    exposure_zero: float | None = Field(default=None, gt=1, le=1000, description="ratio of the reference")
    exposure_floor: float | None = Field(
        default=None, gt=0, le=1e9, description="person-minutes: exposure is judged as a multiple of no less than this"
    )
    casualty_slack: float | None = Field(default=None, ge=0, le=1e6)
    casualty_zero: float | None = Field(default=None, gt=0, le=1e6)
    dead_weight: float | None = Field(default=None, ge=0, le=1000)
    min_chars: int | None = Field(default=None, ge=0, le=10_000)
    full_chars: int | None = Field(default=None, ge=1, le=10_000)
    min_tokens: int | None = Field(default=None, ge=1, le=1000)
    target: int | None = Field(default=None, ge=1, le=1000)
    per_ungrounded: float | None = _unit()
    time_tolerance: float | None = Field(default=None, ge=0, le=60)
    problems_share: float | None = Field(
        default=None, ge=0, le=1, description="share of review coverage for naming the major problems"
    )
    major_late: float | None = Field(
        default=None, ge=0, le=7 * 24 * 60, description="minutes overdue from which a late report is a major problem"
    )
    full_gain: float | None = Field(default=None, gt=0, le=100)
    zero_loss: float | None = Field(default=None, gt=0, le=100)
    raise_within: float | None = Field(
        default=None, ge=0, le=MAX_MINUTES, description="minutes after an escalation by which the level is raised"
    )
    over_factor: float | None = Field(default=None, ge=0, le=1, description="a level too high, as a share of too low")
    per_fault: float | None = Field(default=None, ge=0, le=1, description="share lost per premature stand-down")
    harm_share: float | None = Field(default=None, ge=0, le=1, description="share lost at most for harm after it")
    fixed_full: float | None = Field(default=None, gt=0, le=1, description="share of items fixed for full points")
    per_recurrence: float | None = Field(default=None, ge=0, le=1, description="share lost per recurred item")

    def __getitem__(self, key: str) -> Any:
        value = getattr(self, key)
        if value is None:  # load_rubric fills every catalogued key, so this is a programming error
            raise KeyError(f"threshold {key!r} is not set")
        return value


class Indicator(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    name: str = Field(min_length=1, max_length=50, description="短名称，显示给学员")
    weight: float = Field(gt=0, le=1000, description="relative weight within its keyword")
    thresholds: Thresholds = Field(default_factory=Thresholds)
    explanation: str = Field(min_length=1, max_length=2000, description="why this counts, in Chinese")
    name_en: str | None = Field(default=None, min_length=1, max_length=100, description="the name in English")
    explanation_en: str | None = Field(default=None, min_length=1, max_length=3000, description="why, in English")


class Keyword(Strict):
    weight: float = Field(ge=0, le=1000, description="relative weight in the total; 0 leaves it out")
    explanation: str = Field(default="", max_length=2000)
    explanation_en: str | None = Field(default=None, max_length=3000, description="the explanation in English")
    indicators: list[Indicator] = Field(min_length=1, max_length=50)


class Keywords(Strict):
    speed: Keyword = Field(alias="迅速")
    order: Keyword = Field(alias="有序")
    precision: Keyword = Field(alias="精准")
    improvement: Keyword = Field(alias="提升")

    def items(self) -> list[tuple[str, Keyword]]:
        """(Chinese keyword, its spec) in the doctrine's order: 迅速、有序、精准、提升."""
        return [(name, getattr(self, KEYWORD_FIELDS[name])) for name in KEYWORDS]


class Grade(Strict):
    name: str = Field(min_length=1, max_length=20)
    min: float = Field(ge=0, le=100)


def _default_grades() -> list[Grade]:
    return [
        Grade(name="优秀", min=90),
        Grade(name="良好", min=75),
        Grade(name="合格", min=60),
        Grade(name="不合格", min=0),
    ]


class Rubric(Strict):
    version: str = "1"
    name: str = Field(default="", max_length=100)
    grades: list[Grade] = Field(default_factory=_default_grades, min_length=1, max_length=20)
    keywords: Keywords

    def grade(self, total: float) -> str:
        """The first band (highest first) whose minimum the total reaches."""
        for band in self.grades:
            if total >= band.min:
                return band.name
        return self.grades[-1].name


#: pairs of thresholds that must be ordered (lower, higher) when both are set
_ORDERED = (("full_by", "zero_at"), ("zero_share", "full_share"), ("min_chars", "full_chars"))


def rubric_problems(rubric: Rubric, *, complete: bool = False) -> list[tuple[tuple[Any, ...], str]]:
    """What pydantic cannot see: indicators on the wrong keyword, thresholds that do not apply, bad bands.

    ``complete`` also demands every threshold each indicator reads, every registered indicator, and the English
    names and explanations (the default rubric must be complete, since it supplies what other rubrics leave out).
    """
    problems: list[tuple[tuple[Any, ...], str]] = []
    for name, keyword in rubric.keywords.items():
        seen: set[str] = set()
        for i, ind in enumerate(keyword.indicators):
            loc = ("keywords", name, "indicators", i)
            kind = INDICATORS.get(ind.id)
            if kind is None or kind.keyword != name:
                known = "、".join(k for k, v in INDICATORS.items() if v.keyword == name)
                problems.append(((*loc, "id"), f"“{name}”下没有指标 {ind.id!r}（可选：{known}） (unknown indicator)"))
                continue
            if ind.id in seen:
                problems.append(((*loc, "id"), f"重复的指标 {ind.id!r} (duplicate indicator)"))
            seen.add(ind.id)
            given = ind.thresholds.model_dump(exclude_none=True)
            for key in given:
                if key not in kind.thresholds:
                    applies = "、".join(kind.thresholds) or "无"
                    problems.append(
                        ((*loc, "thresholds", key), f"指标 {ind.id} 不使用阈值 {key}（适用：{applies}） (not used)")
                    )
            if complete:
                missing = [key for key in kind.thresholds if key not in given]
                if missing:
                    problems.append(((*loc, "thresholds"), f"缺少阈值 {'、'.join(missing)} (missing thresholds)"))
                for field in ("name_en", "explanation_en"):
                    if getattr(ind, field) is None:
                        problems.append(((*loc, field), f"缺少英文文本 {field} (missing English text)"))
            for low, high in _ORDERED:
                if low in given and high in given and given[low] >= given[high]:
                    problems.append(((*loc, "thresholds", high), f"{high} 应大于 {low} (expected {low} < {high})"))
        if complete:
            missing = [k for k, v in INDICATORS.items() if v.keyword == name and k not in seen]
            if missing:
                problems.append(
                    (("keywords", name, "indicators"), f"缺少指标 {'、'.join(missing)} (missing indicators)")
                )
            if keyword.explanation_en is None:
                problems.append((("keywords", name, "explanation_en"), "缺少英文说明 (missing English text)"))
    mins = [g.min for g in rubric.grades]
    if any(a <= b for a, b in pairwise(mins)):
        problems.append((("grades",), "等级应按分数线从高到低排列，且分数线互不相同 (expected descending minimums)"))
    if mins and mins[-1] != 0:
        problems.append((("grades", len(mins) - 1, "min"), "最低等级的分数线应为 0 (the lowest band must start at 0)"))
    if len({g.name for g in rubric.grades}) != len(rubric.grades):
        problems.append((("grades",), "等级名称重复 (duplicate grade names)"))
    if not any(kw.weight > 0 for _, kw in rubric.keywords.items()):
        problems.append((("keywords",), "至少一个关键词的权重应大于 0 (expected a positive weight)"))
    return problems


def complete_rubric(rubric: Rubric, defaults: Rubric) -> Rubric:
    """Fill each indicator's missing thresholds from the default rubric's indicator of the same id, and its English
    name and explanation where the Chinese one is the default's (a text the file rewrote has no English twin)."""
    base = {ind.id: ind for _, kw in defaults.keywords.items() for ind in kw.indicators}
    updates: dict[str, Keyword] = {}
    for name, keyword in rubric.keywords.items():
        indicators = []
        for ind in keyword.indicators:
            default = base[ind.id]
            merged = {
                **default.thresholds.model_dump(exclude_none=True),
                **ind.thresholds.model_dump(exclude_none=True),
            }
            update: dict[str, Any] = {"thresholds": Thresholds(**merged)}
            if ind.name_en is None and ind.name == default.name:
                update["name_en"] = default.name_en
            if ind.explanation_en is None and ind.explanation == default.explanation:
                update["explanation_en"] = default.explanation_en
            indicators.append(ind.model_copy(update=update))
        update = {"indicators": indicators}
        default_kw = getattr(defaults.keywords, KEYWORD_FIELDS[name])
        if keyword.explanation_en is None and keyword.explanation == default_kw.explanation:
            update["explanation_en"] = default_kw.explanation_en
        updates[KEYWORD_FIELDS[name]] = keyword.model_copy(update=update)
    return rubric.model_copy(update={"keywords": rubric.keywords.model_copy(update=updates)})


@cache
def default_rubric() -> Rubric:
    """The rubric bundled with the package (read once; a Rubric is treated as immutable)."""
    text = resources.files("simulator.scoring").joinpath(DEFAULT_RUBRIC).read_bytes()
    path = Path(__file__).with_name(DEFAULT_RUBRIC)
    return load_model(Rubric, path, text, extra_checks=lambda r: rubric_problems(r, complete=True))


def load_rubric(path: str | Path | None = None, data: bytes | None = None) -> Rubric:
    """Read a rubric file (or the default one when ``path`` is None); raise FileFormatError with located problems.

    Thresholds a file leaves out are taken from the default rubric.
    """
    if path is None and data is None:
        return default_rubric()
    rubric = load_model(Rubric, path if path is not None else "<rubric>", data, extra_checks=rubric_problems)
    return complete_rubric(rubric, default_rubric())


def scenario_rubric_path(scenario_path: str | Path) -> Path:
    """Where a scenario keeps its own rubric: ``hazchem_leak.yaml`` -> ``hazchem_leak.rubric.yaml``."""
    path = Path(scenario_path)
    return path.with_name(f"{path.name.removesuffix('.yaml').removesuffix('.yml')}.rubric.yaml")


def resolve_rubric(scenario_path: str | Path | None = None, rubric_path: str | Path | None = None) -> Rubric:
    """The rubric a run should use: ``--rubric FILE`` if given, else the scenario's own, else the default."""
    if rubric_path is not None:
        return load_rubric(rubric_path)
    if scenario_path is not None:
        own = scenario_rubric_path(scenario_path)
        if own.is_file():
            return load_rubric(own)
    return default_rubric()
