"""The report's parts: the blocks a rendering lays out (paragraph, sub-heading, table, figure), the sections they
make, the structured rows behind them (timeline, ledger, evidence, scores) and the ``Report`` itself.

Why apart from the builders: the renderings (docx, Markdown, xlsx, charts) need only these shapes, and each
section's builder needs them too; keeping them in one leaf module lets every builder and renderer import them
without importing one another.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from simulator.report.facts import DrillFacts

#: marks a paragraph the report drafted where the trainees wrote nothing: a human must complete it
TODO = "【待补充】"
#: the seven level-one headings of the report body, in order
HEADINGS: tuple[str, ...] = (
    "一、基本情况",
    "二、推演过程",
    "三、原因和特点",
    "四、处置成效和评估结论",
    "五、存在的主要问题和原因分析",
    "六、创新点",
    "七、改进方向和整改措施",
)
ATTACHMENT_TITLES: tuple[str, ...] = ("评分明细", "推演记录", "问题整改台账")


# -- blocks ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Paragraph:
    """Body text. ``style``: body (first line indented two characters) or plain (no indent)."""

    text: str
    style: Literal["body", "plain"] = "body"


@dataclass(frozen=True, slots=True)
class SubHeading:
    """A level-two heading, ``（一）…``."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table; ``widths`` are column widths in mm on the 156 mm type area (the renderer scales to fit)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    small: bool = False  # attachment tables use a smaller font to fit the page


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart drawn from the report's data by ``charts.render`` (``radar``, ``gantt``), or a site map
    (``map``) drawn from ``site_map`` (a ``simulator.sitemap.SiteMap``) by ``report.sitemap``."""

    chart: Literal["radar", "gantt", "map"]
    caption: str
    site_map: Any = None


Block = Paragraph | SubHeading | Table | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A level-one section (or an attachment). ``source`` says where its text came from."""

    heading: str
    blocks: tuple[Block, ...]
    source: Literal["log", "review", "drafted", "score"] = "log"

    @property
    def needs_input(self) -> bool:
        """Whether a paragraph here is a draft marked ``【待补充】``."""
        return any(isinstance(b, Paragraph) and TODO in b.text for b in self.blocks)

    def text(self) -> str:
        """All the section's words (headings, paragraphs, table cells, captions), for search and tests."""
        parts = [self.heading]
        for b in self.blocks:
            if isinstance(b, Paragraph | SubHeading):
                parts.append(b.text)
            elif isinstance(b, Table):
                parts.extend("\t".join(r) for r in (b.columns, *b.rows))
            else:
                parts.append(b.caption)
        return "\n".join(parts)


# -- structured content -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One event of the log as the report tells it. ``key`` rows make the body's table; all make 附件2."""

    event_id: int
    t: float
    when: str  # T+42
    clock: str  # 08:52
    dept_id: str | None  # a department of the scenario, or None (the scene, the command post, the hazard)
    dept: str
    kind: str
    text: str  # short, for the body
    detail: str  # full, for the attachment
    key: bool


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """A row of the 任务台账: one task as ordered and carried out (times in sim minutes)."""

    seq: int
    task: str
    name: str
    dept_id: str
    dept: str
    owner: str | None
    ordered_at: float
    ordered_clock: str
    started_at: float | None
    started_clock: str | None
    finished_at: float | None
    finished_clock: str | None
    status: str
    note: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """An item of the scorer's evidence: ``t`` is the cited event's time in the log (None: no event cited),
    ``against`` whether it counts against the team, ``kind`` and ``facts`` the scorer's structured facts
    (``facts.kind``, department ids, measure, minutes late …). The report decides from these, never from ``text``,
    which it only quotes."""

    event_id: int | None
    t: float | None
    text: str
    when: str | None  # T+42（08:52）, None when no event is cited
    against: bool = True
    kind: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def depts(self) -> tuple[str, ...]:
        """The department ids the item is about."""
        return tuple(self.facts.get("depts") or ())

    def line(self) -> str:
        return f"{self.when}，{self.text}" if self.when else self.text


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    keyword: str
    id: str
    name: str
    points: float
    max: float
    evidence: tuple[Evidence, ...]
    finding: str = ""  # the scorer's one-line verdict, when it gives one
    skipped: bool = False  # not applicable to this drill (e.g. no reference run): neither given nor lost

    @property
    def lost(self) -> float:
        return 0.0 if self.skipped else max(0.0, self.max - self.points)

    @property
    def against(self) -> tuple[Evidence, ...]:
        """The evidence that counts against the team, which 五、存在问题 quotes (附件1 keeps all of it); all of it
        when the scorer marked none, so nothing it said is hidden."""
        return tuple(ev for ev in self.evidence if ev.against) or self.evidence


@dataclass(frozen=True, slots=True)
class KeywordScore:
    keyword: str
    score: float | None
    reference: float | None = None


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    key: str
    label: str
    value: str
    reference: str | None = None
    comparison: str | None = None


@dataclass(frozen=True, slots=True)
class Milestone:
    """A moment drawn across the task chart (研判, 首次上报, 指挥部开设, 险情控制 …)."""

    t: float
    label: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One of the 3–5 ranked problems of 五: what went wrong, told from the structured evidence and the log.

    ``critical`` problems (casualties, an uncontrolled hazard, required units never reached, the response closed
    before control) rank first. ``event_ids`` are the log events it rests on (written （事件12、35） in the text);
    ``depts`` the department ids it concerns, whose first is the natural 责任单位 of its rectification.
    """

    rank: int
    title: str  # plain, e.g. 未控制险情即宣布终止应急响应
    keyword: str  # 迅速 / 有序 / 精准 / 提升
    what: str  # what happened: clock times, departments, event ids
    consequence: str  # what it led to (may be empty when the log shows no consequence)
    t: float | None  # when it first showed (sim minutes)
    event_ids: tuple[int, ...] = ()
    depts: tuple[str, ...] = ()
    critical: bool = False
    kind: str = ""  # the problem's kind (problems.KINDS), for the rectification and for tests


@dataclass(frozen=True, slots=True)
class Rectification:
    """A row of the 问题整改台账 (and a line of 七): one measure answering one problem, with who and by when."""

    seq: int
    problem: str  # the problem's title
    basis: str  # 依据（时间/事件）: T+120（10:10），事件88
    keyword: str
    owner: str  # 责任单位: a department of the scenario, or the district office
    measure: str  # 整改措施
    deadline: dt.date | None  # 完成时限 (None: the drill date is not known)
    deadline_text: str  # 2025年8月14日, or 【待补充】
    acceptance: str  # 验收方式
    status: str = "待整改"


#: the columns of the 问题整改台账 in order (the ledger sheet and 附件3 share them)
RECTIFICATION_COLUMNS: tuple[str, ...] = (
    "序号",
    "问题",
    "依据（时间/事件）",
    "关键词",
    "责任单位",
    "整改措施",
    "完成时限",
    "验收方式",
    "状态",
)


def rectification_cells(r: Rectification) -> tuple[str, ...]:
    """A 整改 row as text cells, in ``RECTIFICATION_COLUMNS`` order."""
    return (str(r.seq), r.problem, r.basis, r.keyword, r.owner, r.measure, r.deadline_text, r.acceptance, r.status)


@dataclass(frozen=True)
class Report:
    title: str
    scenario_id: str
    scenario_title: str
    seed: int | None
    start_clock: str
    duration: float
    total: float | None
    grade: str | None
    keywords: tuple[KeywordScore, ...]
    indicators: tuple[IndicatorResult, ...]
    outcome: tuple[OutcomeRow, ...]
    timeline: tuple[TimelineRow, ...]
    ledger: tuple[LedgerRow, ...]
    milestones: tuple[Milestone, ...]
    review: Mapping[str, str]
    sections: tuple[Section, ...]
    attachments: tuple[Section, ...]
    closing: tuple[str, ...]
    ungrounded: tuple[dict[str, Any], ...] = field(default=())
    problems: tuple[Problem, ...] = ()  # ranked, outcome-critical first
    rectifications: tuple[Rectification, ...] = ()  # one per problem at least, the 问题整改台账
    facts: DrillFacts | None = None  # the drill's own facts as given (None: none given)

    @property
    def attachment_titles(self) -> tuple[str, ...]:
        """Each attachment's title, as its heading gives it after ``附件N``: ATTACHMENT_TITLES, and for a drill of
        a real case one more (``report.case``)."""
        return tuple(s.heading.split(None, 1)[-1] for s in self.attachments)

    def section(self, prefix: str) -> Section:
        """The section whose heading starts with ``prefix`` (e.g. ``"五"`` or ``"五、存在问题"``)."""
        for s in (*self.sections, *self.attachments):
            if s.heading.startswith(prefix):
                return s
        raise KeyError(prefix)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready) for the UI and for storing the draft beside the run.

        Each block carries its ``block`` kind (paragraph, subheading, table, figure), which plain
        ``dataclasses.asdict`` would lose.
        """
        data = dataclasses.asdict(self)
        for key in ("sections", "attachments"):
            for section, raw in zip(getattr(self, key), data[key], strict=True):
                raw["blocks"] = [{"block": type(b).__name__.lower(), **dataclasses.asdict(b)} for b in section.blocks]
                raw["needs_input"] = section.needs_input
        data["review"] = dict(self.review)
        data["facts"] = self.facts.model_dump(mode="json") if self.facts is not None else None
        for raw in data["rectifications"]:
            raw["deadline"] = raw["deadline"].isoformat() if raw["deadline"] is not None else None
        return data


# -- text helpers ---------------------------------------------------------------------------------------------
def fmt(value: Any) -> str:
    """A figure as an official document writes it: no trailing .0, at most one decimal (scores, points)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        v = round(float(value), 1)
        return str(int(v)) if v.is_integer() else f"{v:.1f}"
    return str(value)


def score_text(value: float | None) -> str:
    return "—" if value is None else fmt(value)


_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 21 -> 二十一 (for （一）-style headings; enough for the lists of one report)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}" if n < 100 else str(n)


def paragraphs(text: str) -> list[str]:
    """A trainee's text as paragraphs (blank lines or newlines separate them)."""
    return [p.strip() for p in text.splitlines() if p.strip()] or [text.strip()]


def joined(text: str) -> str:
    """A trainee's text as one paragraph."""
    return "".join(paragraphs(text))
