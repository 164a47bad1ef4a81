"""The 调研报告's content, built from the scenario, the event log and the score: what the renderings show.

The doctrine's 提升 asks that after an incident the office 梳理事件情况及处置过程，归纳分析事件的原因和特点、
处置成效、存在问题、创新点及改进方向，形成调研报告. This module drafts that report so the renderings (docx,
Markdown, the xlsx 台账) only lay it out and can never disagree with one another.

Two rules shape it:

* Nothing is invented. Every time, department and figure comes from an event of the log (or the scenario the
  log was run from); every problem is an indicator the scorer marked down, with the scorer's evidence, whose
  time is re-read from the cited event. Evidence citing an event that is not in the log is left out and kept
  in ``Report.ungrounded`` so the caller can see the scorer and the log disagree.
* The trainees' own words win. Where their review (the ``review_submitted`` event) wrote a section, the
  report quotes it; where it did not, the report drafts a paragraph from the log and marks it ``【待补充】``
  for the human who finishes the draft.

The content is a list of sections made of four kinds of block (paragraph, level-two heading, table, figure),
so each rendering is a small loop over blocks. Structured data (timeline, ledger, scores) stays on
the ``Report`` too, for tests and for the UI.

The parts live by concept: ``blocks`` (the shapes), ``context`` (the log indexed, the timeline told by
``simulator.narrator``), ``scores`` (the score's structured evidence and the outcome figures), ``body`` (一 … 七),
``attachments`` (附件1–3), ``problems`` (the ranked problems, from evidence facts and the log) and
``rectification`` (七's 整改, one per problem). This module only puts them together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from simulator.engine.events import Event, EventLog
from simulator.formats.case import CaseSheet
from simulator.formats.scenario import Scenario
from simulator.report import scores
from simulator.report.attachments import attachments
from simulator.report.blocks import (
    ATTACHMENT_TITLES,
    HEADINGS,
    TODO,
    Block,
    Evidence,
    Figure,
    IndicatorResult,
    KeywordScore,
    LedgerRow,
    Milestone,
    OutcomeRow,
    Paragraph,
    Problem,
    Rectification,
    Report,
    Section,
    SubHeading,
    Table,
    TimelineRow,
    cn_number,
)
from simulator.report.body import Draft
from simulator.report.case import case_attachment
from simulator.report.context import Context
from simulator.report.facts import DrillFacts, date_text
from simulator.report.lint import LINES_PER_PAGE, MAX_PAGES
from simulator.report.paging import text_lines
from simulator.report.problems import rank
from simulator.report.rectification import rectify
from simulator.vocabulary import KEYWORDS

if TYPE_CHECKING:
    from simulator.experiment import Experiment


def build_report(
    scenario: Scenario,
    log: EventLog | Iterable[Event],
    score: Mapping[str, Any],
    *,
    reference_outcome: Mapping[str, Any] | Any | None = None,
    reference_score: Mapping[str, Any] | None = None,
    facts: DrillFacts | None = None,
    case: CaseSheet | None = None,
) -> Report:
    """Draft the 调研报告 of one drill.

    ``score`` is ``simulator.scoring.score_drill``'s dict. ``reference_outcome`` is the reference plan's
    ``Outcome`` (or its ``as_dict()``) for 四 and 五; ``reference_score`` the reference plan's score, drawn on the
    radar beside this drill's. ``facts`` are the drill's own facts (date, venue, units …): what is missing is
    written 【待补充】. ``case`` is the sheet of the real incident the scenario is (案例推演): the report then has
    one more attachment, “与真实事件调查结论对照”. Pure: the same inputs give an equal report.
    """
    events = list(log)
    ctx = Context(scenario, events)
    timeline = tuple(ctx.timeline())
    ledger = tuple(ctx.ledger())
    review = ctx.review()
    indicators, ungrounded = scores.indicators(score, ctx)
    keywords = scores.keyword_scores(score, reference_score)
    ref_outcome = scores.as_dict(reference_outcome)
    if ref_outcome is None:  # score_drill carries the reference run's outcome when it was given one
        ref_outcome = ((score.get("outcome") or {}).get("reference")) or None
    figures = ctx.outcome()
    outcome = scores.outcome_rows(ctx, figures, ref_outcome)
    total = scores.number(score.get("total"))
    grade = score.get("grade")
    given = facts if facts is not None else DrillFacts()
    ranked = rank(ctx, indicators, figures, ref_outcome)
    rectifications = rectify(scenario, ranked, given, ctx.when)
    draft = Draft(
        ctx, timeline, review, indicators, keywords, figures, ref_outcome, total, grade, ranked, rectifications, given
    )
    draft.checked = tuple(score.get("items") or ())  # the team's earlier 整改 items, checked on this drill
    title = report_title(scenario, given.title_kind)
    closing = (given.organiser or "××区人民政府办公室", date_text(given.date, "××××年××月××日"))
    sections = fit(draft, title, closing)
    appended = attachments(draft)
    if case is not None:
        appended += (case_attachment(case, score, ctx.when, len(appended) + 1),)
    return Report(
        title=title,
        scenario_id=scenario.id,
        scenario_title=scenario.title,
        seed=ctx.seed,
        start_clock=scenario.start_clock,
        duration=scenario.duration,
        total=total,
        grade=str(grade) if grade is not None else None,
        keywords=keywords,
        indicators=indicators,
        outcome=outcome,
        timeline=timeline,
        ledger=ledger,
        milestones=tuple(ctx.milestones()),
        review=review,
        sections=sections,
        attachments=appended,
        closing=closing,
        ungrounded=tuple(ungrounded),
        problems=ranked,
        rectifications=rectifications,
        facts=facts,
    )


#: what ``fit`` gives up, in order, while the main text is over six pages: key moments down to eight, then the
#: problems past the third (not outcome-critical) move to 附件3 with a pointer
TRIMS: tuple[dict[str, int], ...] = ({"max_nodes": 9}, {"max_nodes": 8}, {"told": 3})


def fit(draft: Draft, title: str, closing: tuple[str, ...]) -> tuple[Section, ...]:
    """The seven sections, trimmed as an editor would (``TRIMS``) until the main text fits six pages as LibreOffice
    lays it out (``paging``). Trims ``draft`` in place; what no trim can shorten (the trainees' own review) stays."""
    sections = draft.sections()
    for trim in TRIMS:
        if text_lines(title, sections, closing) <= MAX_PAGES * LINES_PER_PAGE:
            break
        for name, value in trim.items():
            setattr(draft, name, min(value, getattr(draft, name) or value))
        sections = draft.sections()
    return sections


def report_title(scenario: Scenario, kind: str = "调研报告") -> str:
    """关于“…”桌面推演情况的调研报告 (or 演练总结评估报告): a drill, never a real incident."""
    core = scenario.title.strip().removesuffix("事件") or scenario.title
    return f"关于“{core}”桌面推演情况的{kind}"


def build_report_of(experiment: Experiment, facts: DrillFacts | None = None, case: CaseSheet | None = None) -> Report:
    """The report of a ``simulator.experiment`` result: its log and score, beside the reference run under the same
    seed (its outcome and its score) when the experiment has one; ``case``: the real incident's sheet, if any."""
    return build_report(
        experiment.scenario,
        experiment.log,
        experiment.score,
        reference_outcome=experiment.reference_outcome,
        reference_score=experiment.reference_score,
        facts=facts,
        case=case,
    )


__all__ = [
    "ATTACHMENT_TITLES",
    "HEADINGS",
    "KEYWORDS",
    "TODO",
    "Block",
    "DrillFacts",
    "Evidence",
    "Figure",
    "IndicatorResult",
    "KeywordScore",
    "LedgerRow",
    "Milestone",
    "OutcomeRow",
    "Paragraph",
    "Problem",
    "Rectification",
    "Report",
    "Section",
    "SubHeading",
    "Table",
    "TimelineRow",
    "build_report",
    "build_report_of",
    "cn_number",
    "report_title",
]
