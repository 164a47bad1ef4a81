"""Evidence items: the events behind a point, as facts the report can read and sentences a trainee can read.

Every item of a score's ``evidence`` is::

    {"event_id": 31, "t": 26.355,
     "text": "区消防救援支队收到通知，用时26分钟，超过10分钟",      # Chinese, no time prefix, whole minutes
     "text_en": "区消防救援支队 received the notice after 26 min, later than 10 min",
     "against": True,                                             # counts against the team
     "facts": {"kind": "notified_late", "depts": ["fire"], "minutes_late": 16.355, "deadline": 10}}

Why structured: the report's problems and 整改 decide what went wrong from ``against`` and ``facts`` (one closed
set of ``kind`` tags, declared below with what each means and whether it counts against the team), never by
reading the Chinese sentence, so a rewording here cannot change what the report says.

Why every indicator goes through these helpers: an item can only be made from an event of the log, so its id
and time are always the log's own, and an expected thing that never happened is cited on the event that shows
its absence (the end of the drill), never on nothing. Times in the sentences are ``vocabulary.when`` and
durations ``vocabulary.span``: whole minutes, never decimals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.events import Event
from simulator.scoring.context import DrillView

Evidence = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Kind:
    """One tag of ``facts.kind``: what such an item shows, and whether it counts against the team."""

    meaning: str
    against: bool


def _for(meaning: str) -> Kind:
    return Kind(meaning, False)


def _against(meaning: str) -> Kind:
    return Kind(meaning, True)


#: the closed set of ``facts.kind`` tags; ``against`` of an item is its kind's
KINDS: dict[str, Kind] = {
    # -- 迅速 ------------------------------------------------------------------------------------------------
    "first_report": _for("the first report of the incident reached the office (the clock's start; context)"),
    "assessed": _for("the initial assessment was made within the full-points window"),
    "assessed_late": _against("the initial assessment was made after the full-points window"),
    "not_assessed": _against("no initial assessment (type and level) was ever made"),
    "notified": _for("a required department received the office's word in time (depts)"),
    "notified_late": _against("a required department received the office's word late (depts, minutes_late)"),
    "notice_failed": _against("the office's word to a department was lost or given up on the way (depts)"),
    "not_notified": _against("a required department never received the office's word (depts)"),
    "extra_department": _against("a department that had no part in this incident was called in (depts)"),
    "commander": _for("an on-site commander was appointed (depts, person)"),
    "commander_arrived": _for("the appointment reached the commander's department in time (depts)"),
    "commander_late": _against("the appointment reached the commander's department late (depts, minutes_late)"),
    "commander_unreached": _against("the appointment never reached the commander's department (depts)"),
    "commander_wrong_department": _against("the commander is not from the leading department (expected, actual)"),
    "no_commander": _against("no on-site commander was appointed"),
    "reported": _for("the higher level received a report within its deadline (depts, action: the report mode)"),
    "report_late": _against("the higher level received a report after its deadline (minutes_late, deadline)"),
    "report_undelivered": _against("a report was decided on but never reached the higher level (decision)"),
    "not_reported": _against("the higher level never received the report due (deadline)"),
    "report_chased": _against("the higher level called to ask for the report (inject)"),
    "report_level_wrong": _against("a report gave another response level than the true one (expected, actual)"),
    "follow_up": _for("a 续报 (follow-up report) reached the higher level by its due time (deadline)"),
    "follow_up_late": _against("a 续报 reached the higher level after its due time (deadline, minutes_late)"),
    "follow_up_missing": _against("a 续报 due before the response closed never reached the higher level (deadline)"),
    "measure_ordered": _for("a measure was ordered (measure, depts); for a key measure: as the answer key says"),
    "measure_started": _for("a measure began on scene (measure, depts)"),
    "measure_started_late": _against("the first measure began on scene after the full-points window"),
    "no_measure": _against("no measure was ever carried out on scene"),
    "trigger_released": _for("a trigger of the answer key fired (inject, deadline: when its measures are due)"),
    "trigger_not_released": _for("a trigger never fired, so its rule is not counted (inject; context)"),
    "trigger_met": _for("a measure a trigger obliges was ordered by its deadline (inject, measure, depts)"),
    "trigger_late": _against("a measure a trigger obliges was ordered late (inject, measure, minutes_late)"),
    "trigger_missed": _against("a measure a trigger obliges was never ordered (inject, measure, deadline)"),
    # -- 有序 ------------------------------------------------------------------------------------------------
    "command_post": _for("the command post was decided on"),
    "command_post_established": _for("the command post was set up and running"),
    "command_post_not_established": _against("the command post was decided on but never set up"),
    "no_command_post": _against("no command post was set up"),
    "task_before_command_post": _against("a task was ordered before the command post was decided on (measure)"),
    "first_action": _for("a task ordered before the command post as 先期处置, which doctrine expects (measure)"),
    "tasks_after_command_post": _for("every task was ordered once the command post was decided on"),
    "task_owner": _for("a task names the person in charge of it (measure, depts, person)"),
    "task_without_owner": _against("a task names no person in charge of it (measure, depts)"),
    "no_tasks": _against("no task was ordered at all"),
    "group_formed": _for("an expected working group was formed (group, depts: its lead, person: its owner)"),
    "group_missing": _against("an expected working group was not formed (group)"),
    "group_extra": _for("a working group beyond the expected ones was formed (context)"),
    "no_conflict": _for("an order neither repeats nor contradicts another (measure)"),
    "duplicate": _against("an order or notice repeats an earlier one (action, measure or depts)"),
    "conflict": _against("an order contradicts an earlier one (action, measure, expected: before, actual: after)"),
    "joint_command": _for("a commander of another department beside the first: joint commanders (双指挥长), allowed"),
    "situation_changed": _for("an inject changed the situation (inject; context)"),
    "adjusted": _for("the team adjusted its measures after a change of situation (decision, measure)"),
    "not_adjusted": _against("no adjustment followed a change of situation in time (inject)"),
    "adjust_motivated": _for("an adjustment rests on news shortly before it (decision, measure)"),
    "adjust_unmotivated": _against("an adjustment had no new information behind it (decision, measure)"),
    "rejected": _against("a decision was rejected as invalid (decision, action, measure)"),
    "no_rejections": _for("every decision was valid"),
    "no_decisions": _against("no decision was made at all"),
    # -- 精准 ------------------------------------------------------------------------------------------------
    "judged_right": _for("an assessment got the event type and the level right (actual)"),
    "type_wrong": _against("an assessment got the event type wrong (expected, actual)"),
    "level_wrong": _against("an assessment got the response level wrong (expected, actual)"),
    "type_and_level_wrong": _against("an assessment got both the event type and the level wrong (expected, actual)"),
    "level_set_right": _for("a level the response was set to fits the one warranted then (expected, actual)"),
    "level_too_low": _against("a level the response was set to is below the one warranted then (expected, actual)"),
    "level_too_high": _against("a level the response was set to is above the one warranted then (expected, actual)"),
    "level_raised_late": _against("the level was raised after an escalation, later than due (inject, minutes_late)"),
    "level_not_raised": _against("the situation escalated, the level in force stayed lower (inject, expected)"),
    "response_not_started": _against("no response was formally started at a level (expected: the level warranted)"),
    "wrong_department": _against("a key measure went to a department that should not carry it out (expected, actual)"),
    "wrong_param": _against("a key measure's parameter is off the answer (param, expected, actual)"),
    "wrong_site": _against("a key measure was ordered for other places than the answer's (expected, actual sites)"),
    "measure_late": _against("a key measure was ordered after its deadline (measure, minutes_late, deadline)"),
    "measure_not_started": _against("an ordered measure never began (measure)"),
    "measure_missing": _against("a key measure was never ordered (measure)"),
    "inject_prevented": _for("a conditional inject never fired because the team acted first (inject)"),
    "inject_released": _for("an inject that calls for an answer was released (inject, deadline; context)"),
    "inject_answered": _for("an inject was answered in time, or foreseen (inject, action, measure)"),
    "inject_answered_late": _against("an inject was answered after its window (inject, minutes_late, deadline)"),
    "inject_unanswered": _against("an inject was never answered as expected (inject)"),
    "info_requested": _for("information was asked of a department that holds it (depts, topic)"),
    "info_received": _for("the asked department answered (depts, topic)"),
    "request_redundant": _against("information was asked that the office already had (depts, topic)"),
    "request_misdirected": _against("information was asked of a department that does not hold it (depts, topic)"),
    "request_unanswered": _against("a request for information got no answer (depts, topic)"),
    "few_requests": _against("fewer useful requests for information than expected (expected, actual)"),
    "no_requests": _against("no information was asked of anyone"),
    "stand_down_premature": _against("a stand-down, all-clear or return advice before the hazard was under control"),
    "closed_premature": _against("the response was ended before the hazard was under control (decision)"),
    "harm_after_stand_down": _against("casualties after a premature stand-down or end, laid at its door (decision)"),
    "stand_down_timely": _for("a stand-down or return advice given once the hazard was under control (decision)"),
    "closed_after_control": _for("the response was ended once the hazard was under control (decision)"),
    "report_accurate": _for("a report's casualty figures are not below the toll when it was made (figure, actual)"),
    "report_understated": _against(
        "漏报: a report understated a casualty figure beyond the tolerance, or left it out (figure, expected: the "
        "true toll when the report was made, actual: the figure stated; decision)"
    ),
    "report_concealed": _against(
        "瞒报: a report stated no deaths, or left them out, while people had died (figure, expected, actual; decision)"
    ),
    "toll_unreported": _against("no report reached the higher level: it never had the toll (the 迅速 side says why)"),
    "toll": _for("the casualties behind the true toll a report is checked against (figure, expected: the toll)"),
    "outcome": _for("an outcome figure no worse than the reference plan's (figure, expected: reference, actual)"),
    "outcome_worse": _against("an outcome figure worse than the reference plan's (figure, expected, actual)"),
    # -- 提升 ------------------------------------------------------------------------------------------------
    "review_submitted": _for("the after-action review was submitted"),
    "review_rejected": _against("a review was submitted but not accepted (decision)"),
    "review_missing": _against("no after-action review was submitted"),
    "review_section_full": _for("a section of the review has substance (section)"),
    "review_section_thin": _against("a section of the review is short or says little (section)"),
    "review_section_missing": _against("a section of the review is empty, boilerplate or copied (section)"),
    "review_grounded": _for("something the review names is borne out by the log (the cited event)"),
    "review_ungrounded": _against("the review names a department or measure the log contradicts (depts or measure)"),
    "review_problem_named": _for(
        "the review's 存在问题 names a major problem the scoring found (measure, depts, action or figure)"
    ),
    "review_problem_omitted": _against(
        "the review's 存在问题 leaves out a major problem the scoring found (measure, depts, action or figure)"
    ),
    "review_grounding_full": _for("the review names enough facts the log bears out (expected, actual)"),
    "review_grounding_short": _against("the review names fewer facts the log bears out than needed (expected, actual)"),
    "improved": _for("the team did better than in its previous drill of the scenario (expected: before, actual)"),
    "not_improved": _against("the team did not do better than last time (expected: before, actual)"),
    "keyword_better": _for("one keyword's score rose since last time (keyword, expected: before, actual)"),
    "keyword_not_better": _against("one keyword's score did not rise since last time (keyword, expected, actual)"),
    "item_fixed": _for("a 整改 item of an earlier drill did not recur in this one (item, drill: its drill, keyword)"),
    "item_recurred": _against("a 整改 item of an earlier drill recurred in this one (item, drill, keyword)"),
    # -- any indicator ---------------------------------------------------------------------------------------
    "not_applicable": _for("the indicator does not apply to this drill and is left out (context)"),
    "no_events": _for("nothing in the log bears on the indicator"),
}

#: the fields ``facts`` may carry besides ``kind`` (present only where they apply)
FACT_FIELDS: dict[str, str] = {
    "depts": "department ids (list)",
    "measure": "measure id",
    "param": "measure parameter id",
    "expected": "the value the answer key, the deadline or the reference expects",
    "actual": "the value the team's drill shows",
    "minutes_late": "minutes after the deadline",
    "deadline": "the sim minute by which it was due",
    "inject": "inject id",
    "decision": "decision id",
    "action": "the decision's action (vocabulary.ACTIONS)",
    "person": "a named person (commander, owner)",
    "group": "a working group's name",
    "topic": "a fact's topic (information requests)",
    "section": "a section of the review",
    "figure": "an outcome figure (vocabulary.OUTCOMES key, or 'casualties')",
    "keyword": "one of the four keywords",
    "advice": "an advice's kind (vocabulary.ADVICE_KINDS)",
    "item": "a 整改 item's id (simulator.loop)",
    "drill": "the id of the drill an item came from",
}


def cite(event: Event, kind: str, text: str, text_en: str, **facts: Any) -> Evidence:
    """One evidence item: the event's id and time, the sentence in both languages, and the facts behind it."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"unknown evidence kind {kind!r}")
    unknown = set(facts) - set(FACT_FIELDS)
    if unknown:
        raise ValueError(f"unknown evidence facts {sorted(unknown)}")
    return {
        "event_id": event.id,
        "t": event.t,
        "text": text,
        "text_en": text_en,
        "against": spec.against,
        "facts": {"kind": kind, **{k: v for k, v in facts.items() if v is not None}},
    }


def absent(view: DrillView, kind: str, text: str, text_en: str, **facts: Any) -> Evidence:
    """Something expected never happened: cite the end of the record, which is where its absence shows."""
    if view.ended:
        return cite(view.end, kind, f"截至推演结束{text}", f"By the end of the drill, {text_en}", **facts)
    return cite(view.end, kind, f"截至目前{text}", f"So far, {text_en}", **facts)


def note(view: DrillView, text: str, text_en: str, kind: str = "not_applicable", **facts: Any) -> Evidence:
    """A remark about the whole record (e.g. why an indicator is not scored), cited on its last event."""
    return cite(view.end, kind, text, text_en, **facts)


def notices_lost(view: DrillView, dept: str, what: str = "通知", what_en: str = "notice") -> list[Evidence]:
    """The office's word to ``dept`` that did not get through (lost on the way, or given up), one item each."""
    name = view.dept_name(dept)
    zh, en = f"发往{name}的{what}未送达", f"the {what_en} to {name} did not get through"
    return [cite(e, "notice_failed", zh, en, depts=[dept]) for e in view.notices_failed(dept)]


def nothing(view: DrillView, kind: str, text: str, text_en: str, finding: str, finding_en: str, **facts: Any) -> Result:
    """No points: what the indicator looks for never happened, said on the end of the record."""
    return Result(0.0, [absent(view, kind, text, text_en, **facts)], finding, finding_en)


def not_applicable(
    view: DrillView, text: str, text_en: str, finding: str = "不适用", finding_en: str = "Not applicable"
) -> Result:
    """The indicator does not apply to this drill: left out (its share goes to the others), with the reason."""
    return Result(None, [note(view, text, text_en)], finding, finding_en)


def late_by(t: float, deadline: float) -> float:
    """Minutes after ``deadline`` (a fact, so kept to the log's precision; the sentences round it)."""
    return round(max(0.0, t - deadline), 3)


@dataclass(slots=True)
class Result:
    """What an indicator function returns: a share of its points (None: not applicable), the evidence, and the
    finding in a few words, in Chinese and English."""

    fraction: float | None
    evidence: list[Evidence]
    finding: str = ""
    finding_en: str = ""
    value: Any = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.fraction is not None:
            self.fraction = min(1.0, max(0.0, float(self.fraction)))


def ramp(value: float, full: float, zero: float) -> float:
    """1 at or before ``full``, 0 at or beyond ``zero``, linear between (either direction)."""
    if full == zero:
        return 1.0 if value <= full else 0.0
    share = (zero - value) / (zero - full)
    return min(1.0, max(0.0, share))


def unique(items: Iterable[Evidence]) -> list[Evidence]:
    """Drop repeated (event, text) pairs, keep order: the same event may back two parts of one indicator."""
    seen: set[tuple[int, str]] = set()
    out: list[Evidence] = []
    for item in items:
        key = (item["event_id"], item["text"])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
