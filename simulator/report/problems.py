"""五、存在的主要问题: the 3–5 problems an evaluator would name, ranked, outcome-critical first.

Why not one heading per indicator: a district office reads a report for what went wrong and why, not for the
rubric. So the scorer's structured evidence (``against`` items, ``facts.kind``, ``facts.depts`` …) is gathered into
a dozen kinds of problem (``GROUPS``), each weighed by the points its items cost; and the log itself is checked for
what the rubric does not weigh on its own: the response terminated before the hazard was controlled, a hazard never
controlled, lives lost. Those, and required units never reached, rank first. Each problem is written from fields
(times from the cited events, departments by name, measures and parameters in words), never from the scorer's
sentences, so the text cannot drift from the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.events import Event
from simulator.hazards import param_value, places
from simulator.report.blocks import Evidence, IndicatorResult, Problem
from simulator.report.context import Context
from simulator.vocabulary import (
    ADVICE_AUDIENCES,
    ADVICE_KINDS,
    LEVEL_SHORT,
    REPORT_FIGURES,
    REPORT_MODES,
    name_of,
    overdue,
    span,
)

#: evidence kind -> (problem kind, keyword it is written under)
GROUPS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("not_notified", "notice_failed", "commander_unreached"), ("unreached", "迅速")),
    **dict.fromkeys(("type_wrong", "level_wrong", "type_and_level_wrong", "not_assessed"), ("misjudged", "精准")),
    **dict.fromkeys(
        (
            "no_command_post",
            "command_post_not_established",
            "task_before_command_post",
            "no_commander",
            "commander_late",
            "commander_wrong_department",
            "group_missing",
        ),
        ("command", "有序"),
    ),
    **dict.fromkeys(
        ("not_reported", "report_late", "report_undelivered", "report_chased", "report_level_wrong"), ("report", "迅速")
    ),
    **dict.fromkeys(("follow_up_late", "follow_up_missing"), ("report", "迅速")),
    **dict.fromkeys(("report_understated", "report_concealed"), ("report_truth", "精准")),
    **dict.fromkeys(("assessed_late", "notified_late", "measure_started_late", "no_measure"), ("slow", "迅速")),
    **dict.fromkeys(("trigger_late", "trigger_missed"), ("warnings", "迅速")),
    **dict.fromkeys(
        ("wrong_param", "measure_missing", "measure_not_started", "wrong_department", "measure_late"),
        ("measures", "精准"),
    ),
    "wrong_site": ("measures", "精准"),
    **dict.fromkeys(
        ("not_adjusted", "inject_unanswered", "inject_answered_late", "adjust_unmotivated"), ("changes", "精准")
    ),
    **dict.fromkeys(
        ("task_without_owner", "no_tasks", "duplicate", "conflict", "rejected", "no_decisions", "extra_department"),
        ("orders", "有序"),
    ),
    **dict.fromkeys(
        ("request_redundant", "request_misdirected", "request_unanswered", "few_requests", "no_requests"),
        ("info", "精准"),
    ),
    **dict.fromkeys(("stand_down_premature", "harm_after_stand_down"), ("stood_down", "精准")),
    **dict.fromkeys(("response_not_started", "level_too_low", "level_not_raised", "level_too_high"), ("level", "精准")),
    **dict.fromkeys(
        (
            "review_rejected",
            "review_missing",
            "review_section_thin",
            "review_section_missing",
            "review_ungrounded",
            "review_grounding_short",
            "review_problem_omitted",
            "not_improved",
            "keyword_not_better",
        ),
        ("review", "提升"),
    ),
}
#: the problems that decide lives, in the order they are named
CRITICAL: tuple[str, ...] = ("closed_early", "stood_down", "uncontrolled", "casualties", "unreached")
MAX_PROBLEMS = 4
#: the review's points are many (提升 is a whole keyword) but a missing review harms no one: it ranks lower
REVIEW_WEIGHT = 0.3


@dataclass
class Gathered:
    """The evidence against the team of one problem kind, and the points it cost."""

    kind: str
    keyword: str
    items: list[Evidence] = field(default_factory=list)
    lost: float = 0.0


def gather(indicators: Iterable[IndicatorResult]) -> dict[str, Gathered]:
    """Group the evidence against the team by problem kind; an indicator's lost points are shared among its items."""
    groups: dict[str, Gathered] = {}
    for ind in indicators:
        items = [ev for ev in ind.evidence if ev.against and ev.kind in GROUPS]
        for ev in items:
            kind, keyword = GROUPS[ev.kind]
            g = groups.setdefault(kind, Gathered(kind, keyword))
            g.items.append(ev)
            g.lost += ind.lost / len(items)
    return groups


class Writer:
    """Writes each kind of problem from the log and the gathered evidence."""

    def __init__(self, ctx: Context, figures: dict[str, Any], ref: dict[str, Any] | None):
        self.ctx, self.s, self.figures, self.ref = ctx, ctx.scenario, figures, ref
        self.end = next((e for e in reversed(ctx.events) if e.kind == "drill_ended"), None)
        self.injects = {e["inject"]: e for e in ctx.events if e.kind == "inject_released"}
        self.ordered = {e["measure"] for e in ctx.events if e.kind == "task_ordered" and e.get("measure")}

    # -- shared words -------------------------------------------------------------------------------------------
    def ids(self, evs: Iterable[Evidence | Event]) -> tuple[int, ...]:
        """Event ids worth citing: not the end of the drill (where an absence is cited, which proves nothing)."""
        out = []
        for ev in evs:
            i = ev.event_id if isinstance(ev, Evidence) else ev.id
            if i is not None and (self.end is None or i != self.end.id) and i not in out:
                out.append(i)
        return tuple(sorted(out))

    @staticmethod
    def cite(ids: Sequence[int]) -> str:
        """（事件12、35）: at most four, the rest as 等."""
        if not ids:
            return ""
        shown = "、".join(str(i) for i in ids[:4])
        return f"（事件{shown}{'等' if len(ids) > 4 else ''}）"

    def measure(self, mid: str | None) -> str:
        m = self.s.measure(mid) if mid else None
        return f"“{m.name}”" if m is not None else "处置措施"

    def depts(self, evs: Iterable[Evidence]) -> list[str]:
        return list(dict.fromkeys(d for ev in evs for d in ev.depts))

    def names(self, ids: Iterable[str]) -> str:
        return self.ctx.names(list(ids))

    def inject_title(self, inject: str | None) -> str:
        e = self.injects.get(inject or "")
        return f"“{e['title']}”" if e is not None else "情况变化"

    def of(self, g: Gathered, *kinds: str) -> list[Evidence]:
        return [ev for ev in g.items if ev.kind in kinds]

    def harm(self, dead: int, injured: int) -> str:
        if not dead and not injured:
            return "未造成人员伤亡"
        parts = [f"{injured}人受伤"] if injured else []
        parts += [f"{dead}人死亡"] if dead else []
        return "造成" + "、".join(parts)

    # -- the log's own checks -------------------------------------------------------------------------------------
    def closed_early(self) -> Problem | None:
        closed = next((e for e in self.ctx.events if e.kind == "response_closed"), None)
        if closed is None:
            return None
        contained = next((e for e in self.ctx.events if e.kind == "hazard_contained"), None)
        if contained is not None and contained.t <= closed.t:
            return None
        by = self.ctx.name(self.ctx.narrator.decision_by(closed.get("decision")))
        what = f"{self.ctx.when(closed.t)}，{by}宣布终止应急响应{self.cite([closed.id])}，"
        cited: list[Event] = [closed]
        if contained is not None:
            what += f"而险情直至{self.ctx.when(contained.t)}才得到控制{self.cite([contained.id])}，"
            what += f"终止响应比险情得到控制早{span(contained.t - closed.t)}"
            cited.append(contained)
        else:
            what += "此时险情尚未控制，推演结束时仍未得到控制"
            ref_at = (self.ref or {}).get("contained_at")
            if ref_at is not None:
                what += f"（专家参考方案在{self.ctx.when(ref_at)}即已控制）"
        after = [e for e in self.ctx.events if e.kind == "casualties" and e.t > closed.t]
        dead = sum(int(e.get("dead") or 0) for e in after)
        injured = sum(int(e.get("injured") or 0) for e in after)
        consequence = ""
        if dead or injured:
            consequence = f"终止响应后，推演情景中又{self.harm(dead, injured)}{self.cite(self.ids(after))}"
        return Problem(
            0,
            "险情未得到控制即宣布终止应急响应",
            "精准",
            what,
            consequence,
            closed.t,
            self.ids(cited + after),
            (),
            True,
            "closed_early",
        )

    def uncontrolled(self) -> Problem | None:
        if any(e.kind == "hazard_contained" for e in self.ctx.events) or self.end is None:
            return None
        ref_at = (self.ref or {}).get("contained_at")
        what = f"截至推演结束（{self.ctx.when(self.end.t)}），险情仍未得到控制"
        if ref_at is not None:
            what += f"，而专家参考方案在{self.ctx.when(ref_at)}即已控制"
        keys = [m for m in self.s.answer_key.measures if m.measure not in self.ordered]
        consequence = ""
        if keys:
            consequence = "关键措施" + "".join(self.measure(m.measure) for m in keys[:3]) + "始终未下达"
        return Problem(
            0, "推演结束时险情仍未得到控制", "精准", what, consequence, self.end.t, (), (), True, "uncontrolled"
        )

    def casualties(self) -> Problem | None:
        dead, injured = int(self.figures.get("dead") or 0), int(self.figures.get("injured") or 0)
        ref = self.ref or {}
        ref_dead, ref_injured = ref.get("dead"), ref.get("injured")
        worse = ref_dead is not None and (dead > ref_dead or injured > (ref_injured or 0))
        if not dead and not worse:
            return None
        deaths = [e for e in self.ctx.events if e.kind == "casualties" and e.get("dead")]
        what = f"推演情景中累计{self.harm(dead, injured)}{self.cite(self.ids(deaths))}"
        if deaths:
            what += f"，首例死亡出现在{self.ctx.when(deaths[0].t)}"
        if ref_dead is not None:
            ref_harm = self.harm(int(ref_dead), int(ref_injured or 0))
            what += f"；专家参考方案在同一情景下{ref_harm}" if worse else "，与专家参考方案持平"
        consequence = ""
        missing = [m.measure for m in self.s.answer_key.measures if m.measure not in self.ordered]
        if missing and worse:
            consequence = "伤亡多于参考方案，与" + "".join(self.measure(m) for m in missing[:2]) + "等措施缺位直接相关"
        elif not worse:
            consequence = "伤亡主要发生在力量到场、措施见效之前，先期处置仍有压缩时间的空间"
        title = "推演情景中人员伤亡明显多于参考方案" if worse else "推演情景中仍有人员死亡"
        return Problem(
            0,
            title,
            "精准",
            what,
            consequence,
            deaths[0].t if deaths else None,
            self.ids(deaths),
            (),
            True,
            "casualties",
        )

    # -- problems from the evidence ---------------------------------------------------------------------------------
    def unreached(self, g: Gathered) -> tuple[str, str, str]:
        depts = self.depts(g.items)
        what = (
            f"{self.names(depts)}等{len(depts)}个应参与处置的单位始终未接到通知"
            if len(depts) > 1
            else (f"应参与处置的{self.names(depts)}始终未接到通知")
        )
        lost = self.of(g, "notice_failed")
        if lost:
            what += f"，其中发往{self.names(self.depts(lost))}的通知在传递中丢失{self.cite(self.ids(lost))}"
        blocked = [
            m for m in self.s.answer_key.measures if set(m.departments) & set(depts) and m.measure not in self.ordered
        ]
        rejected = [
            e
            for e in self.ctx.events
            if e.kind == "decision_rejected" and (e.get("detail") or {}).get("department") in depts
        ]
        parts = []
        if rejected:
            e = rejected[0]
            parts.append(
                f"{self.ctx.when(e.t)}下达{self.measure((e.get('detail') or {}).get('measure'))}因对方未接到通知被拒"
                f"{self.cite([e.id])}"
            )
        if blocked:
            parts.append("".join(self.measure(m.measure) for m in blocked[:3]) + "等措施无人落实")
        return "应参与处置的单位未通知到位", what, "，".join(parts)

    def misjudged(self, g: Gathered) -> tuple[str, str, str]:
        ev = next((e for e in g.items if e.kind != "not_assessed"), None)
        if ev is None:
            return "未作出初步研判", "推演全程未对事件类型和响应级别作出研判", "通知、调度和上报缺少依据"
        exp, act = ev.facts.get("expected") or {}, ev.facts.get("actual") or {}
        by = self.ctx.name("duty_office") if self.s.department("duty_office") else "值班人员"
        what = (
            f"{ev.when}，{by}将事件研判为{act.get('event_type')}、{name_of(LEVEL_SHORT, act.get('level'))}"
            f"{self.cite(self.ids([ev]))}，实际应为{exp.get('event_type')}、{name_of(LEVEL_SHORT, exp.get('level'))}"
        )
        title = (
            "初判事件类型和响应级别有误"
            if ev.kind == "type_and_level_wrong"
            else ("初判事件类型有误" if ev.kind == "type_wrong" else "响应级别研判偏差")
        )
        return title, what, "通知范围和处置力量按错误的判断组织，应参与的单位未被纳入"

    def command(self, g: Gathered) -> tuple[str, str, str]:
        parts = []
        if self.of(g, "no_command_post"):
            parts.append("全程未设立现场指挥部")
        elif self.of(g, "command_post_not_established"):
            parts.append("决定设立现场指挥部但始终未开设")
        if self.of(g, "no_commander"):
            parts.append("未明确现场总指挥")
        before = self.of(g, "task_before_command_post")
        if before:
            tasks = [e for e in self.ctx.events if e.kind == "task_ordered"]
            first = min(before, key=lambda ev: ev.t or 0.0)
            parts.append(
                f"{len(tasks)}项任务均在没有指挥部的情况下下达，首项于{first.when}{self.cite(self.ids([first]))}"
            )
        groups = [str(ev.facts.get("group")) for ev in self.of(g, "group_missing") if ev.facts.get("group")]
        if groups:
            parts.append(f"{'、'.join(groups[:4])}等{len(groups)}个工作组未成立")
        late = self.of(g, "commander_late", "commander_wrong_department")
        if late and not parts:
            how = "送达偏晚" if late[0].kind == "commander_late" else "未由牵头部门担任"
            parts.append(f"现场总指挥任命{how}{self.cite(self.ids(late))}")
        return "现场指挥体系未建立", "，".join(parts), "各单位各自为战，任务靠值班室逐一电话调度"

    def report(self, g: Gathered) -> tuple[str, str, str]:
        parts = []
        for ev in self.of(g, "not_reported"):
            mode = name_of(REPORT_MODES, ev.facts.get("action"))
            parts.append(f"{mode}报告未在{span(ev.facts.get('deadline') or 0)}时限内报出")
        for ev in self.of(g, "report_late"):
            parts.append(f"{ev.when}报告送达，超时{overdue(ev.facts.get('minutes_late') or 0)}")
        chased = self.of(g, "report_chased")
        if chased:
            parts.append(f"{chased[0].when}上级来电催报{self.cite(self.ids(chased))}")
        if self.of(g, "report_level_wrong"):
            parts.append("报告所报响应级别与实际不符")
        if self.of(g, "report_undelivered"):
            parts.append("已决定的报告未送达上级")
        missing = self.of(g, "follow_up_missing")
        if missing:
            first = self.ctx.when(missing[0].facts.get("deadline") or 0)
            parts.append(f"应续报{len(missing)}次未报，最早一次应于{first}前报送")
        late = self.of(g, "follow_up_late")
        if late:
            parts.append(f"{len(late)}次续报晚于应报时间{self.cite(self.ids(late))}")
        higher = self.names(self.s.higher_level[:1]) or "上级"
        return "信息报送不及时", f"向{higher}的" + "；".join(parts), "上级无法及时掌握情况、指导处置"

    def report_truth(self, g: Gathered) -> tuple[str, str, str]:
        """漏报/瞒报: the report, what it said and the toll when it was made, all from the evidence's facts."""
        parts = []
        for ev in self.of(g, "report_concealed", "report_understated"):
            f = ev.facts
            name = "瞒报" if ev.kind == "report_concealed" else "漏报"
            label = name_of(REPORT_FIGURES, f.get("figure"))
            said = "未报" if f.get("actual") is None else f"报{f.get('actual')}人"
            parts.append(
                f"{ev.when}送达的报告{label}人数{said}，实际{f.get('expected')}人（{name}）{self.cite(self.ids([ev]))}"
            )
        concealed = bool(self.of(g, "report_concealed"))
        title = "存在瞒报伤亡情况" if concealed else "伤亡情况报告不准确"
        return title, "向上级" + "；".join(parts), "上级不能掌握真实伤亡，影响救援力量调派和事后问责"

    def slow(self, g: Gathered) -> tuple[str, str, str]:
        parts = []
        for ev in self.of(g, "assessed_late"):
            parts.append(f"初步研判于{ev.when}作出，超出时限{overdue(ev.facts.get('minutes_late') or 0)}")
        late = self.of(g, "notified_late")
        if late:
            worst = max(late, key=lambda ev: ev.facts.get("minutes_late") or 0)
            over = float(worst.facts.get("minutes_late") or 0)
            parts.append(
                f"{len(late)}个单位接到通知超出时限，最晚的{self.names(worst.depts)}于{worst.when}收到"
                f"{self.cite(self.ids([worst]))}，超时{overdue(over)}"
            )
        for ev in self.of(g, "measure_started_late"):
            parts.append(f"首项现场措施{self.measure(ev.facts.get('measure'))}{ev.when}才开始实施")
        if self.of(g, "no_measure"):
            parts.append("现场始终未实施任何措施")
        if g.lost == 0:
            return "个别环节略超时限", "；".join(parts), "虽未影响评分，但说明时限要求尚未形成习惯"
        return "接报研判和通知用时偏长", "；".join(parts), "先期处置时间被压缩"

    def warnings(self, g: Gathered) -> tuple[str, str, str]:
        """Measures a warning obliges (the answer key's triggers), never ordered or ordered late."""
        parts = []
        missing = self.of(g, "trigger_missed")
        for inject in dict.fromkeys(str(ev.facts.get("inject")) for ev in missing):
            what = "、".join(self.measure(e.facts.get("measure")) for e in missing if e.facts.get("inject") == inject)
            fired = [self.injects[inject]] if inject in self.injects else []
            parts.append(f"{self.inject_title(inject)}发布后{self.cite(self.ids(fired))}，预案规定的{what}始终未下达")
        late = self.of(g, "trigger_late")
        if late:
            worst = max(late, key=lambda ev: ev.facts.get("minutes_late") or 0)
            parts.append(
                f"{len(late)}项预警规定的措施晚于时限下达，最晚的{self.measure(worst.facts.get('measure'))}"
                f"超时{overdue(float(worst.facts.get('minutes_late') or 0))}{self.cite(self.ids(late))}"
            )
        return "未按预警要求及时采取措施", "；".join(parts), "预警发布后的“关、停、撤”措施滞后"

    def measures(self, g: Gathered) -> tuple[str, str, str]:
        parts = []
        for ev in self.of(g, "wrong_param"):
            f = ev.facts
            mid, key = f.get("measure"), f.get("param")
            expected = (f.get("expected") or {}).get("value")
            parts.append(
                f"{ev.when}下达{self.measure(mid)}，参数为{param_value(self.s.hazard, mid, key, f.get('actual'))}，"
                f"应为{param_value(self.s.hazard, mid, key, expected)}{self.cite(self.ids([ev]))}"
            )
        for ev in self.of(g, "wrong_site"):  # the right measure at the wrong place
            named = places(self.s.hazard.params)
            given = "、".join(named.get(x, x) for x in ev.facts.get("actual") or [])
            wanted = "、".join(named.get(x, x) for x in ev.facts.get("expected") or [])
            what = self.measure(ev.facts.get("measure"))
            parts.append(f"{ev.when}下达{what}，地点为{given}，应为{wanted}{self.cite(self.ids([ev]))}")
        missing = self.of(g, "measure_missing")
        if missing:
            parts.append("".join(self.measure(ev.facts.get("measure")) for ev in missing[:4]) + "等关键措施始终未下达")
        late = self.of(g, "measure_late")
        if late:
            parts.append(f"{len(late)}项措施晚于要求时限下达{self.cite(self.ids(late))}")
        for ev in self.of(g, "wrong_department", "measure_not_started")[:1]:
            verb = "交由不应承担的单位执行" if ev.kind == "wrong_department" else "下达后未实施"
            parts.append(f"{self.measure(ev.facts.get('measure'))}{verb}")
        return "关键处置措施缺位或不到位", "；".join(parts), ""

    def changes(self, g: Gathered) -> tuple[str, str, str]:
        injects = list(dict.fromkeys(str(ev.facts.get("inject")) for ev in g.items if ev.facts.get("inject")))
        titles = "".join(self.inject_title(i) for i in injects[:3])
        evs = [self.injects[i] for i in injects if i in self.injects]
        what = f"{titles}等{len(injects)}次情况变化后，未在要求时间内调整措施或作出回应{self.cite(self.ids(evs))}"
        if not injects:
            what = "调整措施缺少新情况依据"
        return "对情况变化应对不及时", what, ""

    def orders(self, g: Gathered) -> tuple[str, str, str]:
        parts = []
        owners = self.of(g, "task_without_owner")
        if owners:
            parts.append(f"{len(owners)}项任务未明确具体责任人")
        dup = self.of(g, "duplicate", "conflict")
        if dup:
            parts.append(f"{dup[0].when}重复下达{self.measure(dup[0].facts.get('measure'))}{self.cite(self.ids(dup))}")
        rejected = self.of(g, "rejected")
        if rejected:
            parts.append(f"{len(rejected)}项决策因程序不符未被受理{self.cite(self.ids(rejected))}")
        extra = self.of(g, "extra_department")
        if extra:
            parts.append(f"通知了与本次处置无关的{self.names(self.depts(extra))}")
        if self.of(g, "no_tasks", "no_decisions"):
            parts.append("未下达任何任务")
        return "任务交办不规范", "；".join(parts), "任务落实情况无人跟踪"

    def info(self, g: Gathered) -> tuple[str, str, str]:
        holders = self.names(dict.fromkeys(f.held_by for f in self.s.facts))
        if self.of(g, "no_requests"):
            what = f"推演中未向{holders or '有关单位'}了解任何情况"
        else:
            what = f"向有关单位了解情况{len(g.items)}次未获有效信息或重复询问"
        return "未主动核实关键信息", what, "研判依据不足"

    def stood_down(self, g: Gathered) -> tuple[str, str, str]:
        """A stand-down, all-clear or "people may return" before control, and the harm after it (advice.py)."""
        first = next((ev for ev in g.items if ev.kind == "stand_down_premature"), None)
        if first is None:
            return "", "", ""
        e = self.ctx.by_id.get(first.event_id)
        kind = name_of(ADVICE_KINDS, e["advice"]) if e is not None else "解除警戒"
        to = name_of(ADVICE_AUDIENCES, e["to"]) if e is not None else "群众"
        said = f"{self.names(first.depts)}向{to}发布“{kind}”{self.cite(self.ids([first]))}"
        what = f"{first.when}，{said}，此时险情尚未得到控制"
        more = len(self.of(g, "stand_down_premature")) - 1
        if more:
            what += f"，此后又有{more}次类似发布"
        harm = [self.ctx.by_id[ev.event_id] for ev in self.of(g, "harm_after_stand_down")]
        dead = sum(int(h.get("dead") or 0) for h in harm)
        injured = sum(int(h.get("injured") or 0) for h in harm)
        consequence = f"发布后推演情景中又{self.harm(dead, injured)}{self.cite(self.ids(harm))}" if harm else ""
        return "险情未得到控制即发布解除警戒或群众返回信息", what, consequence or "群众可能提前返回危险区域"

    def level(self, g: Gathered) -> tuple[str, str, str]:
        """The response never formally started, or set below (or above) the level the situation warranted."""
        parts = []
        if self.of(g, "response_not_started"):
            parts.append("全程未正式启动应急响应")
        for ev in self.of(g, "level_too_low", "level_too_high")[:2]:
            low = ev.kind == "level_too_low"
            actual, expected = ev.facts.get("actual"), ev.facts.get("expected")
            parts.append(
                f"{ev.when}应急响应定为{name_of(LEVEL_SHORT, actual)}{self.cite(self.ids([ev]))}，"
                f"{'低于' if low else '高于'}当时应有的{name_of(LEVEL_SHORT, expected)}"
            )
        for ev in self.of(g, "level_not_raised")[:1]:
            title = self.inject_title(ev.facts.get("inject"))
            parts.append(f"{title}后态势升级，响应级别未相应提升至{name_of(LEVEL_SHORT, ev.facts.get('expected'))}")
        title = "未正式启动应急响应" if parts == ["全程未正式启动应急响应"] else "应急响应启动和级别调整不当"
        return title, "；".join(parts), "调动的力量和指挥层级与事态不相匹配"

    def review(self, g: Gathered) -> tuple[str, str, str]:
        if self.of(g, "review_missing", "review_rejected"):
            what = f"推演结束前参演单位未提交“{self.s.title.strip().removesuffix('事件')}”处置的复盘总结"
            return "未开展复盘总结", what, "经验和教训未能及时固化"
        thin = [str(ev.facts.get("section")) for ev in self.of(g, "review_section_thin", "review_section_missing")]
        what = f"复盘总结中{'、'.join(f'“{s}”' for s in thin)}部分内容单薄" if thin else "复盘总结与处置记录对应不够"
        omitted = self.of(g, "review_problem_omitted")
        if omitted:  # the 存在问题 left out problems the scoring found: say how many, the first cited
            left = f"“存在问题”未点到评估发现的{len(omitted)}项主要问题{self.cite(self.ids(omitted))}"
            what = f"{what}，{left}" if thin else f"复盘总结{left}"
        return "复盘总结不够扎实", what, ""


WRITERS: dict[str, Callable[[Writer, Gathered], tuple[str, str, str]]] = {
    "unreached": Writer.unreached,
    "misjudged": Writer.misjudged,
    "command": Writer.command,
    "report": Writer.report,
    "report_truth": Writer.report_truth,
    "slow": Writer.slow,
    "warnings": Writer.warnings,
    "measures": Writer.measures,
    "changes": Writer.changes,
    "orders": Writer.orders,
    "info": Writer.info,
    "review": Writer.review,
    "stood_down": Writer.stood_down,
    "level": Writer.level,
}


def rank(
    ctx: Context, indicators: Iterable[IndicatorResult], figures: dict[str, Any], ref: dict[str, Any] | None
) -> tuple[Problem, ...]:
    """The ranked problems: the log's critical checks and required units unreached first, then by points lost."""
    w = Writer(ctx, figures, ref)
    groups = gather(indicators)
    found: list[tuple[tuple[int, float, float], Problem]] = []
    closed = w.closed_early()
    checks = (("closed_early", lambda: closed), ("uncontrolled", w.uncontrolled), ("casualties", w.casualties))
    for kind, check in checks:
        if kind == "uncontrolled" and closed is not None:
            continue  # told with the termination, which names the hazard never controlled
        p = check()
        if p is not None:
            found.append(((CRITICAL.index(kind), 0.0, p.t or 0.0), p))
    for kind, g in groups.items():
        title, what, consequence = WRITERS[kind](w, g)
        if not what:
            continue
        ts = [ev.t for ev in g.items if ev.t is not None]
        t = min(ts) if ts else None
        p = Problem(
            0, title, g.keyword, what, consequence, t, w.ids(g.items), tuple(w.depts(g.items)), kind in CRITICAL, kind
        )
        order = CRITICAL.index(kind) if kind in CRITICAL else len(CRITICAL)
        weight = g.lost * (REVIEW_WEIGHT if kind == "review" else 1.0)
        found.append(((order, -weight, t or 0.0), p))
    found.sort(key=lambda item: item[0])
    return tuple(_renumber(p, i) for i, (_, p) in enumerate(found[:MAX_PROBLEMS], start=1))


def _renumber(p: Problem, rank: int) -> Problem:
    return Problem(rank, p.title, p.keyword, p.what, p.consequence, p.t, p.event_ids, p.depts, p.critical, p.kind)


__all__ = ["CRITICAL", "GROUPS", "MAX_PROBLEMS", "Gathered", "gather", "rank"]
