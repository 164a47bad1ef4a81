"""What a review says went wrong, checked against what the scoring of this drill found.

Why: an official investigation report names the measures not taken and the units not told (未及时关闭下穿隧道、
未向公安通报). A review that does the same is the honest one, and must not be scored as "not grounded" for naming a
measure never ordered or a department never notified: the log confirms exactly that omission. So the review is
read clause by clause; a clause is a *problem statement* when it carries a word of failure (未、没有、缺少、迟迟、
滞后、偏晚 …) or stands in 存在问题 or 改进方向, and a name in a problem statement is confirmed by the evidence the
other three keywords (迅速、有序、精准) hold against the team, or, for a plain omission, by its absence from the log.

The same evidence defines the drill's *major problems*, which the 存在问题 section is expected to name: a key
measure never carried out, a required department never notified, the higher level not given its report (or given
it long after the deadline), and casualties beyond the reference plan's. Nothing here reads the scorer's sentences
to decide anything: only ``against`` and ``facts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from simulator.scoring.context import Context
from simulator.scoring.evidence import Evidence
from simulator.vocabulary import KEYWORDS

#: sections whose every clause speaks of what went wrong or must change
PROBLEM_SECTIONS = ("存在问题", "改进方向")
#: the section that must name the major problems
PROBLEMS = "存在问题"
#: tokens that end a clause (jieba keeps punctuation as tokens of its own)
CLAUSE_BREAKS = frozenset("，。；！？,;!?：:\n")
#: words of failure, omission or delay that make a clause a problem statement (matched inside the clause)
CUES = (
    "未",
    "没有",
    "没能",
    "缺少",
    "缺乏",
    "缺失",
    "遗漏",
    "漏报",
    "瞒报",
    "迟报",
    "迟迟",
    "滞后",
    "偏晚",
    "较晚",
    "过晚",
    "太晚",
    "晚了",
    "晚于",
    "拖后",
    "延误",
    "超时",
    "不及时",
    "不够",
    "不足",
    "不到位",
    "不力",
    "失误",
    "误判",
    "错误",
    "偏低",
    "偏小",
)
#: words that contain a cue without meaning failure
NOT_CUES = ("未来", "未雨绸缪")

#: a topic of the response the review may fault without naming a department or measure: (words as jieba cuts
#: them, the evidence kinds of 迅速/有序/精准 that confirm it, how it is said)
TOPICS: dict[str, tuple[frozenset[str], frozenset[str], str, str]] = {
    "report": (
        frozenset({"报告", "报送", "上报", "首报", "续报", "迟报", "漏报", "瞒报"}),
        frozenset(
            {
                "not_reported",
                "report_late",
                "report_undelivered",
                "report_chased",
                "report_level_wrong",
                "report_understated",
                "report_concealed",
                "follow_up_late",
                "follow_up_missing",
            }
        ),
        "信息报送",
        "reporting to the higher level",
    ),
    "casualties": (
        frozenset({"伤亡", "人员伤亡", "死亡", "受伤", "遇难", "伤亡人数"}),
        frozenset({"outcome_worse"}),
        "人员伤亡",
        "casualties",
    ),
    "command_post": (
        frozenset({"指挥部"}),
        frozenset({"no_command_post", "command_post_not_established", "task_before_command_post"}),
        "现场指挥部",
        "the command post",
    ),
    "commander": (
        frozenset({"总指挥", "指挥长"}),
        frozenset({"no_commander", "commander_late", "commander_unreached", "commander_wrong_department"}),
        "现场指挥",
        "the on-site commander",
    ),
    "assessment": (
        frozenset({"研判", "定级", "级别", "误判"}),
        frozenset(
            {
                "assessed_late",
                "not_assessed",
                "type_wrong",
                "level_wrong",
                "type_and_level_wrong",
                "level_too_low",
                "level_too_high",
                "level_not_raised",
                "level_raised_late",
                "response_not_started",
            }
        ),
        "研判",
        "the assessment",
    ),
    "stand_down": (
        frozenset({"解除警戒", "解除", "撤离", "返回", "终止", "结束响应", "危险已排除"}),
        frozenset({"stand_down_premature", "closed_premature", "harm_after_stand_down"}),
        "解除警戒和终止响应",
        "standing down and ending the response",
    ),
    "owners": (frozenset({"责任人"}), frozenset({"task_without_owner"}), "责任人", "named persons in charge"),
    "groups": (frozenset({"工作组"}), frozenset({"group_missing"}), "工作组", "working groups"),
}


def is_problem_statement(section: str, clause: list[str]) -> bool:
    """A clause that says something went wrong: in 存在问题/改进方向, or with a word of failure in it."""
    if section in PROBLEM_SECTIONS:
        return True
    text = "".join(clause)
    for word in NOT_CUES:
        text = text.replace(word, "")
    return any(cue in text for cue in CUES)


def clauses(tokens: Iterable[str]) -> list[list[str]]:
    """A section's tokens split at clause punctuation (，。；…): a word of failure reaches its own clause only."""
    out: list[list[str]] = [[]]
    for token in tokens:
        if token in CLAUSE_BREAKS:
            if out[-1]:
                out.append([])
        else:
            out[-1].append(token)
    return [c for c in out if c]


def topic_of(word: str) -> str | None:
    for topic, (words, _, _, _) in TOPICS.items():
        if word in words:
            return topic
    return None


def topic_name(topic: str, lang: str = "zh") -> str:
    _, _, zh, en = TOPICS[topic]
    return en if lang == "en" else zh


def against(ctx: Context) -> list[Evidence]:
    """The evidence 迅速、有序、精准 hold against the team, in rubric order (empty before they are scored).

    ``score_drill`` keeps each keyword's result in ``ctx.cache["keywords"]`` as it is computed, and 提升 comes last.
    """
    key = "review.against"
    if key not in ctx.cache:
        keywords: dict[str, Any] = ctx.cache.get("keywords") or {}
        items = [
            ev
            for k in KEYWORDS[:3]
            for ind in (keywords.get(k) or {}).get("indicators", [])
            for ev in ind["evidence"]
            if ev["against"]
        ]
        ctx.cache[key] = items
    return ctx.cache[key]


def confirming(ctx: Context, category: str, ident: str) -> Evidence | None:
    """The first item held against the team that concerns this department, measure or topic."""
    higher = category == "dept" and any(d.id == ident and d.kind == "higher_level" for d in ctx.scenario.departments)
    for ev in against(ctx):
        facts = ev["facts"]
        if category == "dept" and ident in (facts.get("depts") or []):
            return ev
        if higher and _confirms_topic("report", facts):  # 未向市政府总值班室报告: the report is the higher level's word
            return ev
        if category == "measure" and facts.get("measure") == ident:
            return ev
        if category == "topic" and _confirms_topic(ident, facts):
            return ev
    return None


def _confirms_topic(topic: str, facts: dict[str, Any]) -> bool:
    if facts["kind"] not in TOPICS[topic][1]:
        return False
    return topic != "casualties" or facts.get("figure") == "casualties"


@dataclass(frozen=True, slots=True)
class Major:
    """One major problem the scoring found: what it concerns (a measure, a department or a topic) and the item."""

    category: str  # "measure", "dept" or "topic"
    ident: str
    item: Evidence

    def facts(self) -> dict[str, Any]:
        """The evidence facts that say what the problem concerns (measure, depts, or the topic's action/figure)."""
        if self.category == "measure":
            return {"measure": self.ident}
        if self.category == "dept":
            return {"depts": [self.ident]}
        return {"action": "report_up"} if self.ident == "report" else {"figure": "casualties"}


def major_problems(ctx: Context, major_late: float) -> list[Major]:
    """The drill's major problems, once each, in the order the scoring found them.

    Major, simply: a key measure, or one a warning obliges, never carried out (``measure_missing``,
    ``trigger_missed``), a required department that never got the office's word (``not_notified``), the higher
    level never given its report, given it ``major_late`` minutes or more after the deadline or told fewer deaths
    than there were (``not_reported``, ``report_undelivered``, ``report_late``, ``report_concealed``), a stand-down
    or an end of the response before the hazard was under control (``stand_down_premature``, ``closed_premature``),
    and casualties beyond the reference plan's (``outcome_worse`` of casualties).
    """
    found: dict[tuple[str, str], Major] = {}
    for ev in against(ctx):
        facts, kind = ev["facts"], ev["facts"]["kind"]
        keys: list[tuple[str, str]] = []
        if kind in ("measure_missing", "trigger_missed") and facts.get("measure"):
            keys = [("measure", facts["measure"])]
        elif kind == "not_notified":
            keys = [("dept", d) for d in facts.get("depts") or []]
        elif kind in ("stand_down_premature", "closed_premature"):
            keys = [("topic", "stand_down")]
        elif kind in ("not_reported", "report_undelivered", "report_concealed") or (
            kind == "report_late" and float(facts.get("minutes_late") or 0) >= major_late
        ):
            keys = [("topic", "report")]
        elif kind == "outcome_worse" and facts.get("figure") == "casualties":
            keys = [("topic", "casualties")]
        for key in keys:
            found.setdefault(key, Major(key[0], key[1], ev))
    return list(found.values())


def problem_text(ctx: Context, major: Major, lang: str = "zh") -> str:
    """A major problem in a few words, from its fields: 关键措施“地铁封站停运”未实施."""
    view, kind = ctx.view, major.item["facts"]["kind"]
    if major.category == "measure":
        name = view.measure_name(major.ident)
        if kind == "trigger_missed":
            return f"“{name}”, obliged by a warning, never ordered" if lang == "en" else f"预警要求的“{name}”未下达"
        return f"the key measure “{name}” never carried out" if lang == "en" else f"关键措施“{name}”未实施"
    if major.category == "dept":
        name = view.dept_name(major.ident)
        return f"{name} never notified" if lang == "en" else f"{name}始终未收到通知"
    if major.ident == "report":
        if kind == "report_late":
            return "the report to the higher level long overdue" if lang == "en" else "向上级报告严重超时"
        if kind == "report_concealed":
            return "deaths left out of the report (concealed)" if lang == "en" else "向上级报告时瞒报死亡人数"
        return "no report reached the higher level" if lang == "en" else "未向上级报告"
    if major.ident == "stand_down":
        if kind == "closed_premature":
            return "the response ended before the hazard was under control" if lang == "en" else "险情未控制即终止响应"
        return "a stand-down before the hazard was under control" if lang == "en" else "险情未控制即解除警戒"
    return "casualties beyond the reference plan's" if lang == "en" else "人员伤亡多于参考方案"


def names(major: Major, lookup: dict[str, tuple[str, str]], tokens: Iterable[str]) -> bool:
    """Whether these tokens name what the major problem concerns (a form of its measure or department, or a
    word of its topic)."""
    for word in tokens:
        if major.category == "topic":
            if topic_of(word) == major.ident:
                return True
        elif lookup.get(word) == (major.category, major.ident):
            return True
    return False
