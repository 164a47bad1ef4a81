"""The seven sections of the report's body (一 … 七), drafted from what ``build_report`` gathered.

The shape follows the doctrine's 调研报告 (原因和特点、处置成效、存在问题、创新点、改进方向) inside the national drill
guide's summary: 一、基本情况 (the drill's own facts, ``DrillFacts``; missing ones marked 【待补充】), 二、推演过程
(at most twelve key moments), 三、原因和特点, 四、处置成效和评估结论 (the grade, then one paragraph per keyword with its
figures), 五、存在的主要问题和原因分析 (``problems``), 六、创新点, 七、改进方向和整改措施 (``rectification``).

Why every paragraph carries this drill's facts: a draft that says the same in every scenario is a template, not a
report; the report lint (``lint``) fails on paragraphs that recur across scenarios. Harm is always written as
推演情景中…, because nobody was hurt: it is a drill.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.formats.scenario import Scenario
from simulator.report.blocks import (
    HEADINGS,
    TODO,
    Block,
    IndicatorResult,
    KeywordScore,
    Paragraph,
    Problem,
    Rectification,
    Section,
    SubHeading,
    Table,
    TimelineRow,
    cn_number,
    joined,
    paragraphs,
    score_text,
)
from simulator.report.context import Context
from simulator.report.facts import DrillFacts, date_text
from simulator.vocabulary import LEVEL_SHORT, name_of, span

#: at most this many key moments in 二
MAX_NODES = 10
#: the log events 二 always shows when they happen (first of each), most important first
NODE_KINDS = (
    "assessment",
    "response_level_set",
    "command_post_established",
    "commander_appointed",
    "report_received",
    "hazard_contained",
    "response_closed",
    "advice_given",
)


@dataclass
class Draft:
    """What ``build_report`` gathered, and the seven sections written from it (the attachments: ``attachments``)."""

    ctx: Context
    timeline: tuple[TimelineRow, ...]
    review: dict[str, str]
    indicators: tuple[IndicatorResult, ...]
    keywords: tuple[KeywordScore, ...]
    figures: dict[str, Any]  # the drill's outcome figures (``Outcome.as_dict()``)
    ref: dict[str, Any] | None  # the reference run's outcome figures
    total: float | None
    grade: Any
    problems: tuple[Problem, ...]
    rectifications: tuple[Rectification, ...]
    facts: DrillFacts
    max_nodes: int = MAX_NODES  # 二's key moments; ``model.fit`` lowers it (to 8 at least) when the text is long
    told: int | None = None  # problems told in 五 (the rest in 附件3); None: all. Critical ones are always told
    checked: tuple[dict[str, Any], ...] = ()  # the team's earlier 整改 items checked on this drill (score["items"])

    @property
    def s(self) -> Scenario:
        return self.ctx.scenario

    @property
    def core(self) -> str:
        return self.s.title.strip().removesuffix("事件")

    def sections(self) -> tuple[Section, ...]:
        return (
            self.basic(),
            self.process(),
            self.causes(),
            self.effects(),
            self.problem_section(),
            self.innovations(),
            self.improvements(),
        )

    # shared ----------------------------------------------------------------------------------------------------
    def harm(self, figures: dict[str, Any] | None = None) -> str:
        """推演情景中造成32人受伤、4人死亡 / 推演情景中未造成人员伤亡."""
        f = figures if figures is not None else self.figures
        dead, injured = int(f.get("dead") or 0), int(f.get("injured") or 0)
        if not dead and not injured:
            return "未造成人员伤亡"
        return "造成" + "、".join(
            x for x in (f"{injured}人受伤" if injured else "", f"{dead}人死亡" if dead else "") if x
        )

    def control(self) -> str:
        at = self.figures.get("contained_at")
        return f"险情于{self.ctx.when(at)}得到控制" if at is not None else "推演结束时险情仍未得到控制"

    def events(self, kind: str) -> list:
        return [e for e in self.ctx.events if e.kind == kind]

    # 一 -----------------------------------------------------------------------------------------------------
    def basic(self) -> Section:
        f, s = self.facts, self.s
        aims = (
            "；".join(f.objectives)
            if f.objectives
            else (
                f"{TODO}（建议表述为：检验各单位对{self.core}的接报研判、通知调度、现场指挥、信息报送和协同处置能力）"
            )
        )
        where = f.venue or TODO
        start_end = f"推演以接报时刻{s.start_clock}为起点，模拟处置{span(s.duration)}"
        clock = next((i for i in s.injects if i.id == s.answer_key.clock_from), None)
        if clock is not None:  # T+0 is not the first report (a warning, an ignition): say what the clock counts from
            start_end = f"推演以{s.start_clock}为起点（T+0），模拟{span(s.duration)}，响应用时自“{clock.title}”起算"
        org = [
            f"组织单位：{f.organiser or TODO}",
            f"导调组：{'、'.join(f.director) or TODO}",
            f"评估组：{'、'.join(f.evaluators) or TODO}",
        ]
        if f.participants:
            units = "；".join(
                p.unit
                + (f"{p.people}人" if p.people is not None else "")
                + (f"（{'、'.join(p.names)}）" if p.names else "")
                for p in f.participants
            )
        else:
            took_part = dict.fromkeys(
                e.get("dept") for e in self.ctx.events if e.kind in ("department_notified", "task_ordered")
            )
            names = self.ctx.names([d for d in took_part if d])
            units = f"推演记录显示{names}参与了处置，参演人员名单{TODO}" if names else f"{TODO}"
        scene = "".join(s.summary.split()) or f"{s.location}{self.core}"
        blocks: list[Block] = [
            Paragraph(f"（一）演练目标。{aims}。"),
            Paragraph(f"（二）时间地点和组织。{date_text(f.date, TODO)}，{where}。{start_end}。{'；'.join(org)}。"),
            Paragraph(f"（三）参演单位和人员。{units}。"),
            Paragraph(f"（四）情景概要。{scene}"),  # the outcome is told once, in 四
        ]
        return Section(HEADINGS[0], tuple(blocks), "log")

    # 二 -----------------------------------------------------------------------------------------------------
    def nodes(self) -> list[TimelineRow]:
        """At most ``max_nodes`` key moments: the first report, the milestones, the first death, the first notice and
        measure, then the injects and decisions that changed the course, in time order."""
        rows = {r.event_id: r for r in self.timeline}
        chosen: list[int] = []

        def take(eid: int | None) -> None:
            if eid is not None and eid in rows and eid not in chosen and len(chosen) < self.max_nodes:
                chosen.append(eid)

        first = next((r for r in self.timeline if r.kind == "inject_released"), None)
        take(first.event_id if first else None)
        for kind in NODE_KINDS:
            take(next((e.id for e in self.events(kind)), None))
        take(next((e.id for e in self.events("casualties") if e.get("dead")), None))
        take(next((r.event_id for r in self.timeline if r.kind == "decision_accepted" and "通知" in r.text), None))
        take(next((r.event_id for r in self.timeline if r.kind == "task_ordered"), None))
        take(next((r.event_id for r in self.timeline if r.kind == "decision_rejected"), None))
        for r in self.timeline:
            if r.key and r.kind in ("inject_released", "task_ordered"):
                take(r.event_id)
        return sorted((rows[i] for i in chosen), key=lambda r: (r.t, r.event_id))

    def node_text(self, r: TimelineRow) -> str:
        if r.kind == "casualties":
            return "推演情景中出现首例死亡"
        if r.kind == "decision_rejected":
            measure = self.s.measure((self.ctx.by_id[r.event_id].get("detail") or {}).get("measure") or "")
            return f"{r.dept}下达“{measure.name}”未被受理" if measure is not None else f"{r.dept}的决策未被受理"
        who = f"{r.dept}" if r.dept and r.dept != "—" and r.kind != "inject_released" else ""
        return f"{who}{r.text}"

    def process(self) -> Section:
        nodes = self.nodes()
        decisions = len(self.events("decision_accepted")) + len(self.events("decision_rejected"))
        tasks = len(self.events("task_ordered"))
        intro = (
            f"推演自{self.s.start_clock}接报开始，至{self.ctx.when(self.s.duration)}结束，共作出决策{decisions}项、"
            f"下达任务{tasks}项，关键节点如下（全过程见附件2）。"
        )
        table = Table(("时间", "事项"), tuple((self.ctx.when(r.t), self.node_text(r)) for r in nodes), (44, 112))
        return Section(HEADINGS[1], (Paragraph(intro), table), "log")

    # 三 -----------------------------------------------------------------------------------------------------
    def causes(self) -> Section:
        given = self.review.get("原因和特点")
        if given:
            return Section(HEADINGS[2], tuple(Paragraph(p) for p in paragraphs(given)), "review")
        injects = self.events("inject_released")
        reveals = [f"{k}“{v}”" for e in injects for k, v in (e.get("reveals") or {}).items()]
        changes = "".join(f"“{e['title']}”" for e in injects if e.get("inject") in self._changing())
        blocks: list[Block] = [
            Paragraph(f"{TODO}事件原因按推演情景设定为{self.core}，请导调组结合情景设计补充致灾原因。"),
            Paragraph(
                f"一是信息逐步明朗。推演中共释放情景信息{len(injects)}条，"
                + (f"{'、'.join(reveals[:5])}等关键信息陆续披露，" if reveals else "")
                + "研判须随信息更新。"
            ),
        ]
        if changes:
            blocks.append(Paragraph(f"二是情况多次变化。{changes}等情况改变了处置条件，考验滚动研判和调整能力。"))
        return Section(HEADINGS[2], tuple(blocks), "drafted")

    def _changing(self) -> set[str]:
        changed = {e.get("inject") for e in self.ctx.events if e.kind in ("hazard_changed", "channel_cut")}
        return {i for i in changed if i}

    # 四 -----------------------------------------------------------------------------------------------------
    def effects(self) -> Section:
        given = self.review.get("处置成效")
        blocks: list[Block] = [Paragraph(self.verdict())]
        if given:
            blocks.append(Paragraph(f"参演单位总结的处置成效：{joined(given)}"))
        for i, k in enumerate(self.keywords):
            line = KEYWORD_LINES.get(k.keyword)
            if k.score is None or line is None:
                continue
            ref = f"（参考方案{score_text(k.reference)}分）" if k.reference is not None else ""
            blocks.append(Paragraph(f"{cn_number(i + 1)}是{k.keyword}，得{score_text(k.score)}分{ref}。{line(self)}。"))
        return Section(HEADINGS[3], tuple(blocks), "review" if given else "drafted")

    def verdict(self) -> str:
        text = f"对照迅速、有序、精准、提升四个关键词评估，本次推演综合得分{score_text(self.total)}分"
        text += f"，评定为“{self.grade}”" if self.grade else ""
        text += f"。推演情景中{self.harm()}，{self.control()}"
        same = self.ref is not None and all(
            self.ref.get(k) == self.figures.get(k) for k in ("dead", "injured", "contained_at")
        )
        if same:
            text += "，与专家参考方案在同一情景下的结果一致"
        elif self.ref is not None:
            ref_at = self.ref.get("contained_at")
            ref_ctl = f"于{self.ctx.when(ref_at)}控制险情" if ref_at is not None else "未能控制险情"
            text += f"；专家参考方案在同一情景下{self.harm(self.ref)}，{ref_ctl}"
        text += "。"
        if self.grade in ("优秀", "良好") and (self.figures.get("dead") or self.figures.get("injured")):
            text += "评定等级虽高，但推演情景中仍有人员伤亡，先期处置的时效仍须提升。"
        elif self.problems:
            text += f"主要差距在{'、'.join(dict.fromkeys(p.keyword for p in self.problems))}方面（详见第五部分）。"
        return text

    # 五 -----------------------------------------------------------------------------------------------------
    def problem_section(self) -> Section:
        blocks: list[Block] = []
        chain = self.chain()
        if chain:
            blocks.append(Paragraph(chain))
        blocks.append(Paragraph(self.self_check()))
        if not self.problems:
            blocks.append(Paragraph(f"对照推演记录和评分，“{self.core}”推演未发现明显短板，各项均在时限内完成。"))
        told = self.told_problems()
        for p in told:
            blocks.append(SubHeading(f"（{cn_number(p.rank)}）{p.title}（{p.keyword}）"))
            text = p.what + "。" + (f"{p.consequence}。" if p.consequence else "")
            blocks.append(Paragraph(text))
        if rest := [p for p in self.problems if p not in told]:
            titles = "”“".join(p.title for p in rest)
            blocks.append(Paragraph(f"此外，还存在“{titles}”问题，其依据和整改措施见问题整改台账（附件3）。"))
        return Section(HEADINGS[4], tuple(blocks), "score")

    def told_problems(self) -> list[Problem]:
        """The problems 五 tells in full: all, or the first ``told`` and every outcome-critical one."""
        return [p for p in self.problems if self.told is None or p.rank <= self.told or p.critical]

    def chain(self) -> str:
        """The causal chain where the log bears it out: misjudged → units never told → no command post → harm."""
        links: list[str] = []
        by_kind = {ev.kind: ev for ind in self.indicators for ev in ind.evidence if ev.against}
        wrong = next((by_kind[k] for k in ("type_and_level_wrong", "type_wrong", "level_wrong") if k in by_kind), None)
        if wrong is not None:
            act = wrong.facts.get("actual") or {}
            links.append(f"{wrong.when}将事件误判为{act.get('event_type')}、{name_of(LEVEL_SHORT, act.get('level'))}")
        unreached = next((p for p in self.problems if p.kind == "unreached"), None)
        if unreached is not None:
            links.append(f"{len(unreached.depts)}个应参与处置的单位始终未接到通知")
        if "no_command_post" in by_kind:
            links.append("现场指挥部始终未设立")
        closed = next((p for p in self.problems if p.kind == "closed_early"), None)
        if closed is not None and closed.t is not None:
            links.append(f"{self.ctx.when(closed.t)}在险情未控制时终止响应")
        if len(links) < 2:
            return ""
        end = f"最终推演情景中{self.harm()}" if self.figures.get("dead") or self.figures.get("injured") else ""
        joins = ("，导致", "，进而", "，随后", "，又")
        text = links[0] + "".join(j + link for j, link in zip(joins, links[1:], strict=False))
        return "从推演记录看，问题环环相扣：" + text + (f"，{end}" if end else "") + "。"

    def self_check(self) -> str:
        given = self.review.get("存在问题")
        if not given:
            kind = self.s.answer_key.event_type
            return f"{TODO}参演单位未提交{kind}处置的自查意见，以下问题据推演记录和评分起草，请核实完善。"
        items = [
            ev for ind in self.indicators for ev in ind.evidence if ev.facts.get("section") == "存在问题" and ev.depts
        ]
        text = f"参演单位自查认为：{joined(given)}"
        grounded = [ev for ev in items if not ev.against]
        if grounded:
            ids = "、".join(str(ev.event_id) for ev in grounded[:4] if ev.event_id is not None)
            names = self.ctx.names(dict.fromkeys(d for ev in grounded for d in ev.depts))
            text += f"经核对，自查所涉{names}的情况与推演记录相符（事件{ids}）。"
        contradicted = [ev for ev in items if ev.facts.get("kind") == "review_ungrounded"]
        if contradicted:
            names = self.ctx.names(dict.fromkeys(d for ev in contradicted for d in ev.depts))
            text += f"自查所述{names}的情况与推演记录不符。"
        omitted = [ev for ev in items if ev.facts.get("kind") == "review_problem_omitted"]
        if omitted:  # a major problem the review left out is an omission, not a contradiction
            names = self.ctx.names(dict.fromkeys(d for ev in omitted for d in ev.depts))
            text += f"自查未提及{names}方面的主要问题。"
        mentioned = {d for ev in items for d in ev.depts}
        missed = [p.title for p in self.problems if p.critical and not (set(p.depts) & mentioned)]
        if missed:
            text += f"自查未提及“{'”“'.join(missed)}”，下文予以补充。"
        return text

    # 六 -----------------------------------------------------------------------------------------------------
    def innovations(self) -> Section:
        given = self.review.get("创新点")
        if given:
            return Section(HEADINGS[5], tuple(Paragraph(p) for p in paragraphs(given)), "review")
        good = []
        post = next(iter(self.events("command_post_established")), None)
        if post is not None:
            good.append(f"{self.ctx.when(post.t)}开设现场指挥部")
        first = next(iter(self.events("assessment")), None)
        key = self.s.answer_key
        if first is not None and (first["event_type"], first["level"]) == (key.event_type, key.level):
            good.append(f"{self.ctx.when(first.t)}准确研判事件性质")
        text = f"{TODO}请参演单位结合{key.event_type}处置实际总结提炼创新点。"
        text += f"推演记录中{'、'.join(good)}等做法可作为提炼基础。" if good else "从推演记录看，本次暂无可推广的做法。"
        return Section(HEADINGS[5], (Paragraph(text),), "drafted")

    # 七 -----------------------------------------------------------------------------------------------------
    def improvements(self) -> Section:
        given = self.review.get("改进方向")
        blocks: list[Block] = []
        if given:
            blocks.append(Paragraph(f"参演单位提出的改进方向：{joined(given)}"))
        if self.checked:
            blocks.append(Paragraph(self.items_checked()))
        if self.rectifications:
            blocks.append(
                Paragraph(
                    f"针对“{self.core}”推演暴露的{len(self.rectifications)}个问题，提出以下整改措施，"
                    "纳入问题整改台账（附件3）跟踪销号。"
                )
            )
            for r in self.rectifications:
                blocks.append(
                    Paragraph(
                        f"（{cn_number(r.seq)}）{r.measure}。责任单位：{r.owner}，完成时限：{r.deadline_text}，"
                        f"验收：{r.acceptance}。"
                    )
                )
        else:
            blocks.append(
                Paragraph(f"“{self.core}”推演未发现需整改的问题，建议保持现有做法，下次推演适当增加情景复杂程度。")
            )
        return Section(HEADINGS[6], tuple(blocks), "review" if given else "score")

    def items_checked(self) -> str:
        """七's account of the earlier 整改 items: fixed (销号 with this drill as proof), recurred, not applicable."""
        by = {v: [f"“{i['problem']}”" for i in self.checked if i["verdict"] == v] for v in VERDICT_ORDER}
        parts = []
        if by["fixed"]:
            parts.append(f"{''.join(by['fixed'])}{len(by['fixed'])}项本次未再出现，已整改，建议以本次推演为据销号")
        if by["recurred"]:
            parts.append(f"{''.join(by['recurred'])}{len(by['recurred'])}项再次出现，列为复发，须作为重点继续整改")
        if by["not_applicable"]:
            parts.append(f"{''.join(by['not_applicable'])}本次推演场景不涉及，仍待检验")
        return (
            f"对照以往推演形成的问题整改台账，本次推演逐项检验了{len(self.checked)}项整改事项："
            + "；".join(parts)
            + "。"
        )


def _speed(d: Draft) -> str:
    parts = []
    a = next(iter(d.events("assessment")), None)
    parts.append(f"接报后{span(a.t)}完成初步研判" if a is not None else "未作出初步研判")
    required = set(d.s.answer_key.required_departments)
    told = {e["dept"] for e in d.events("department_notified") if e["dept"] in required}
    parts.append(f"{len(required)}个应参与单位中{len(told)}个接到通知" if told else "应参与单位均未接到通知")
    r = next(iter(d.events("report_received")), None)
    parts.append(f"上级于{d.ctx.when(r.t)}收到首报" if r is not None else "未向上级报告")
    return "，".join(parts)


def _order(d: Draft) -> str:
    post = next(iter(d.events("command_post_established")), None)
    tasks = d.events("task_ordered")
    owned = sum(bool(e.get("owner")) for e in tasks)
    parts = [f"{d.ctx.when(post.t)}开设现场指挥部" if post is not None else "未开设现场指挥部"]
    if tasks:
        parts.append(f"下达任务{len(tasks)}项，" + (f"{owned}项明确了责任人" if owned else "均未明确责任人"))
    rejected = len(d.events("decision_rejected"))
    parts.append(f"{rejected}项决策未被受理" if rejected else "决策均被受理")
    return "，".join(parts)


def _precision(d: Draft) -> str:
    a = next(iter(d.events("assessment")), None)
    key = d.s.answer_key
    right = a is not None and a["event_type"] == key.event_type and a["level"] == key.level
    judged = f"研判为{key.event_type}、{name_of(LEVEL_SHORT, key.level)}"
    parts = [f"{judged}，准确" if right else f"未能{judged}"]
    ordered = {e.get("measure") for e in d.events("task_ordered")}
    done = sum(m.measure in ordered for m in key.measures)
    parts.append(f"{len(key.measures)}项关键措施中{done}项已下达" if done else "关键措施均未下达")
    return "，".join(parts)


def _improve(d: Draft) -> str:
    review = d.events("review_submitted")
    if not review:
        text = f"推演结束前未提交“{d.core}”处置的复盘总结"
    else:
        text = f"{d.ctx.when(review[-1].t)}提交复盘总结，涵盖{len(d.review)}个方面"
    applied = [i for i in d.checked if i["verdict"] != "not_applicable"]
    if applied:
        fixed = "".join(f"“{i['problem']}”" for i in applied if i["verdict"] == "fixed")
        back = "".join(f"“{i['problem']}”" for i in applied if i["verdict"] == "recurred")
        told = [f"{fixed}已整改" if fixed else "", f"{back}复发" if back else ""]
        text += f"；以往推演的{len(applied)}项整改事项经本次检验，" + "，".join(t for t in told if t)
    return text


#: the order 七 names the checked items in
VERDICT_ORDER: tuple[str, ...] = ("fixed", "recurred", "not_applicable")
KEYWORD_LINES = {"迅速": _speed, "有序": _order, "精准": _precision, "提升": _improve}
