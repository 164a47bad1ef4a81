"""The seven sections of the 调研报告's body (一 … 七), drafted from what ``build_report`` gathered.

Each section quotes the trainees' review where they wrote it and otherwise drafts a paragraph from the log and the
score, marked ``【待补充】`` for the human who finishes the draft. 五、存在问题 names the indicators that lost points
with the evidence items the scorer marks ``against`` the team; 七 gives each its suggestion (``suggestions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.formats.scenario import Scenario
from simulator.report.blocks import (
    HEADINGS,
    TODO,
    Block,
    Figure,
    Finding,
    IndicatorResult,
    KeywordScore,
    LedgerRow,
    OutcomeRow,
    Paragraph,
    Section,
    SubHeading,
    Table,
    TimelineRow,
    cn_number,
    fmt,
    joined,
    paragraphs,
    score_text,
)
from simulator.report.context import Context
from simulator.vocabulary import LEVELS, TASK_STATUS, name_of, t_text


@dataclass
class Draft:
    """What ``build_report`` gathered, and the seven sections written from it (the attachments: ``attachments``)."""

    ctx: Context
    timeline: tuple[TimelineRow, ...]
    ledger: tuple[LedgerRow, ...]
    review: dict[str, str]
    indicators: tuple[IndicatorResult, ...]
    findings: tuple[Finding, ...]
    keywords: tuple[KeywordScore, ...]
    outcome: tuple[OutcomeRow, ...]
    figures: dict[str, Any]  # the drill's outcome figures (``Outcome.as_dict()``)
    total: float | None
    grade: Any

    @property
    def s(self) -> Scenario:
        return self.ctx.scenario

    def sections(self) -> tuple[Section, ...]:
        return (
            self.basic(),
            self.process(),
            self.causes(),
            self.effects(),
            self.problems(),
            self.innovations(),
            self.improvements(),
        )

    # 一 -----------------------------------------------------------------------------------------------------
    def basic(self) -> Section:
        ctx, s = self.ctx, self.s
        events = ctx.events
        blocks: list[Block] = []
        seed = f"，随机种子{ctx.seed}" if ctx.seed is not None else ""
        blocks.append(
            Paragraph(
                f"本报告依据“{s.title}”桌面推演的事件记录（场景{s.id}第{s.version}版{seed}，共{len(events)}条事件）"
                f"整理生成。文中时间以接报时刻为T+0（{s.start_clock}），“T+分钟”为推演时间。"
            )
        )
        if s.summary.strip():
            blocks.append(Paragraph("推演情景：" + "".join(s.summary.split())))
        first = next((e for e in events if e.kind == "inject_released"), None)
        if first is not None:
            blocks.append(
                Paragraph(
                    f"{ctx.when(first.t)}，{ctx.name(first['to'])}接报（{first.get('source') or '现场'}）："
                    f"{first['text']}"
                )
            )
        assessment = next((e for e in events if e.kind == "assessment"), None)
        if assessment is not None:
            level = name_of(LEVELS, assessment["level"])
            blocks.append(
                Paragraph(
                    f"{ctx.when(assessment.t)}，{ctx.name(assessment['by'])}初步研判事件类型为"
                    f"{assessment['event_type']}，响应级别为{level}。"
                )
            )
        else:
            blocks.append(Paragraph("推演过程中未作出初步研判。"))
        blocks.append(Paragraph(self._summary_line()))
        return Section(HEADINGS[0], tuple(blocks), "log")

    def _summary_line(self) -> str:
        ctx = self.ctx
        events = ctx.events
        out = self.figures
        decisions = sum(e.kind in ("decision_accepted", "decision_rejected") for e in events)
        rejected = sum(e.kind == "decision_rejected" for e in events)
        done = sum(r.status == TASK_STATUS["finished"].zh for r in self.ledger)
        end = max((e.t for e in events), default=0.0)
        ended = any(e.kind == "drill_ended" for e in events)
        text = (
            f"推演自T+0{'持续至' if ended else '进行至'}{ctx.when(end)}，参演单位共作出决策{decisions}项"
            + (f"（其中{rejected}项未被受理）" if rejected else "")
            + f"，下达任务{len(self.ledger)}项、完成{done}项。"
            f"事件累计造成{fmt(out.get('injured') or 0)}人受伤、{fmt(out.get('dead') or 0)}人死亡，"
        )
        contained = out.get("contained_at")
        if contained is not None:
            text += f"险情于{ctx.when(contained)}得到控制。"
        else:
            text += "推演结束时险情尚未得到控制。" if ended else f"截至{ctx.when(end)}险情尚未得到控制。"
        return text

    # 二 -----------------------------------------------------------------------------------------------------
    def process(self) -> Section:
        key_rows = [r for r in self.timeline if r.key]
        blocks: list[Block] = [
            Paragraph("按时间顺序，本次处置的关键节点如下表所示（全部事件记录见附件2）。"),
            SubHeading("（一）关键节点"),
            Table(
                ("时间", "时刻", "部门", "事项"),
                tuple((r.when, r.clock, r.dept, r.text) for r in key_rows),
                (17, 16, 36, 87),
            ),
            SubHeading("（二）任务下达与执行"),
        ]
        if self.ledger:
            finished = sum(r.status == TASK_STATUS["finished"].zh for r in self.ledger)
            owners = sum(r.owner is not None for r in self.ledger)
            blocks.append(
                Paragraph(
                    f"推演中共下达任务{len(self.ledger)}项，其中{owners}项明确了具体责任人，"
                    f"{finished}项执行完毕。各部门任务下达与执行情况如下图所示（明细见附件3）。"
                )
            )
            blocks.append(Figure("gantt", "图1  各部门任务下达与执行情况"))
        else:
            blocks.append(Paragraph("推演中未下达任务。"))
        return Section(HEADINGS[1], tuple(blocks), "log")

    # 三 -----------------------------------------------------------------------------------------------------
    def causes(self) -> Section:
        given = self.review.get("原因和特点")
        if given:
            return Section(HEADINGS[2], tuple(Paragraph(p) for p in paragraphs(given)), "review")
        ctx = self.ctx
        injects = [e for e in ctx.events if e.kind == "inject_released"]
        facts = [f"{k}：{v}（{t_text(e.t)}）" for e in injects for k, v in (e.get("reveals") or {}).items()]
        changes = [f"{e['title']}（{t_text(e.t)}）" for e in injects[1:]]
        blocks: list[Block] = [
            Paragraph(f"{TODO}事件原因需结合事故调查情况补充。以下特点根据推演记录起草，请参演单位核实完善。")
        ]
        items = []
        if facts:
            items.append(f"信息逐步明朗：{'；'.join(facts)}")
        if changes:
            items.append(f"处置中情况多次变化：{'；'.join(changes)}")
        out = self.figures
        if out.get("injured") or out.get("dead"):
            items.append(f"造成人员伤亡：累计{fmt(out.get('injured') or 0)}人受伤、{fmt(out.get('dead') or 0)}人死亡")
        ordinals = "一二三四五六七八九"
        for i, item in enumerate(items):
            blocks.append(Paragraph(f"{ordinals[i]}是{item}。"))
        return Section(HEADINGS[2], tuple(blocks), "drafted")

    # 四 -----------------------------------------------------------------------------------------------------
    def effects(self) -> Section:
        given = self.review.get("处置成效")
        blocks: list[Block] = []
        if given:
            blocks.extend(Paragraph(p) for p in paragraphs(given))
        else:
            blocks.append(
                Paragraph(f"{TODO}以下处置成效根据推演记录和评分起草，请参演单位结合实际补充。" + self._summary_line())
            )
        blocks.append(SubHeading("（一）综合评分"))
        blocks.append(Paragraph(self._score_line()))
        if any(k.score is not None for k in self.keywords):
            blocks.append(
                Figure("radar", "图2  四个关键词得分" + ("（与专家参考方案对比）" if self._ref_scores() else ""))
            )
            ref = self._ref_scores()
            cols = ("关键词", "本次推演", "参考方案") if ref else ("关键词", "本次推演")
            rows = tuple(
                (k.keyword, score_text(k.score), score_text(k.reference)) if ref else (k.keyword, score_text(k.score))
                for k in self.keywords
            )
            blocks.append(Table(cols, rows, (52, 52, 52) if ref else (78, 78)))
        blocks.append(SubHeading("（二）处置结果"))
        if self.outcome:
            with_ref = any(r.reference is not None for r in self.outcome)
            if with_ref:
                blocks.append(Paragraph("本次推演的处置结果与专家参考方案（同一随机种子）对比如下。"))
                rows = tuple((r.label, r.value, r.reference or "—", r.comparison or "—") for r in self.outcome)
                blocks.append(Table(("指标", "本次推演", "参考方案", "对比"), rows, (48, 36, 36, 36)))
            else:
                blocks.append(Table(("指标", "本次推演"), tuple((r.label, r.value) for r in self.outcome), (90, 66)))
        return Section(HEADINGS[3], tuple(blocks), "review" if given else "drafted")

    def _ref_scores(self) -> bool:
        return any(k.reference is not None for k in self.keywords)

    def _score_line(self) -> str:
        parts = "、".join(f"{k.keyword}{score_text(k.score)}分" for k in self.keywords if k.score is not None)
        text = "对照迅速、有序、精准、提升四个关键词评分，本次推演"
        text += f"综合得分{score_text(self.total)}分" if self.total is not None else "未给出综合得分"
        text += f"，评定为“{self.grade}”" if self.grade else ""
        text += f"。其中{parts}。" if parts else "。"
        if self._ref_scores():
            ref = "、".join(f"{k.keyword}{score_text(k.reference)}分" for k in self.keywords if k.reference is not None)
            text += f"专家参考方案：{ref}。"
        return text

    def _opening(self, key: str, lead: str, draft: str) -> tuple[str | None, list[Block]]:
        """The trainees' review of ``key`` after ``lead``, or the draft's request for it marked 【待补充】."""
        given = self.review.get(key)
        return given, [Paragraph(f"{lead}{joined(given)}" if given else f"{TODO}{draft}")]

    # 五 -----------------------------------------------------------------------------------------------------
    def problems(self) -> Section:
        given, blocks = self._opening(
            "存在问题", "参演单位自查认为：", "参演单位自查意见。以下问题根据推演记录和评分起草，请核实完善。"
        )
        if self.findings:
            blocks.append(Paragraph("对照评分标准，推演记录反映出以下问题："))
            for i, f in enumerate(self.findings, start=1):
                ind = f.indicator
                blocks.append(SubHeading(f"（{cn_number(i)}）{ind.name}"))
                lead = f"{ind.keyword}方面，该项得{fmt(ind.points)}分（满分{fmt(ind.max)}分）"
                lead += f"，{ind.finding}。" if ind.finding else "。"
                lines = [ev.line() for ev in ind.against]
                blocks.append(Paragraph(lead + ("；".join(lines) + "。" if lines else "评分未给出具体依据。")))
            blocks.append(Paragraph("各项的全部评分依据见附件1。"))
        else:
            blocks.append(Paragraph("对照评分标准，本次推演未发现扣分项。"))
        return Section(HEADINGS[4], tuple(blocks), "review" if given else "score")

    # 六 -----------------------------------------------------------------------------------------------------
    def innovations(self) -> Section:
        given = self.review.get("创新点")
        if given:
            return Section(HEADINGS[5], tuple(Paragraph(p) for p in paragraphs(given)), "review")
        strong = [i for i in self.indicators if not i.skipped and i.max > 0 and i.points >= i.max]
        text = f"{TODO}创新点需由参演单位总结提炼。"
        if strong:
            names = "、".join(f"“{i.name}”" for i in strong)
            text += f"从评分看，{names}等{len(strong)}项得到满分，可作为总结提炼创新做法的基础。"
        else:
            text += "从评分看，本次推演暂无得到满分的环节。"
        return Section(HEADINGS[5], (Paragraph(text),), "drafted")

    # 七 -----------------------------------------------------------------------------------------------------
    def improvements(self) -> Section:
        given, blocks = self._opening(
            "改进方向", "参演单位提出的改进方向：", "参演单位改进方向。以下措施建议根据扣分项起草，请结合实际修改完善。"
        )
        grouped: dict[str, list[str]] = {}
        for f in self.findings:
            names = grouped.setdefault(f.suggestion, [])
            if f.indicator.name not in names:
                names.append(f.indicator.name)
        if grouped:
            blocks.append(Paragraph("结合推演评估，针对存在问题提出以下措施建议："))
            for i, (suggestion, names) in enumerate(grouped.items(), start=1):
                blocks.append(SubHeading(f"（{cn_number(i)}）针对{'、'.join(f'“{n}”' for n in names)}"))
                blocks.append(Paragraph(suggestion))
        else:
            blocks.append(Paragraph("本次推演未发现扣分项，建议保持现有做法，在后续推演中适当增加情景复杂程度。"))
        return Section(HEADINGS[6], tuple(blocks), "review" if given else "score")
