"""The report's three attachments: 附件1 评分明细 (every indicator, its points and what cost them), 附件2 推演记录
(the injects and the decisions, with the task chart) and 附件3 问题整改台账 (one row per rectification).

Why only injects and decisions in 附件2: they are the drill's record (what the team was told and what it decided);
the engine's consequences are in the body's key moments and the chart. The 任务台账 rows stay on ``Report.ledger``
for the xlsx's second sheet (``ledger.task_rows``).
"""

from __future__ import annotations

from simulator.engine.events import EventLog
from simulator.report import bounds
from simulator.report.blocks import (
    ATTACHMENT_TITLES,
    RECTIFICATION_COLUMNS,
    Block,
    Evidence,
    Figure,
    Paragraph,
    Section,
    Table,
    fmt,
    rectification_cells,
    score_text,
)
from simulator.report.body import Draft
from simulator.sitemap import map_at

#: the events 附件2 records
RECORD_KINDS = (
    "inject_released",
    "decision_accepted",
    "decision_rejected",
    "assessment",
    "response_closed",
    "response_level_set",
    "advice_given",
)


def attachments(d: Draft) -> tuple[Section, ...]:
    return (score_table(d), record(d), rectification_table(d))


def _basis(d: Draft, ev: Evidence) -> str:
    """An item against the team; an absence (cited at the end of the drill) without the end's time."""
    at_end = ev.event_id is not None and d.ctx.by_id[ev.event_id].kind == "drill_ended"
    return ev.text if at_end or not ev.when else f"{ev.when}，{ev.text}"


def score_table(d: Draft) -> Section:
    rows = []
    scores = {k.keyword: k.score for k in d.keywords}
    for ind in d.indicators:
        kw = f"{ind.keyword}（{score_text(scores.get(ind.keyword))}分）"
        against = [ev for ev in ind.evidence if ev.against]
        basis = "；".join(_basis(d, ev) for ev in against[: bounds.MAX_BASIS_ITEMS]) or "—"
        if len(against) > bounds.MAX_BASIS_ITEMS:  # bounded: the rest are in the log
            basis += bounds.basis_note(len(against))
        points = "不适用" if ind.skipped else f"{fmt(ind.points)}/{fmt(ind.max)}"
        rows.append((kw, ind.name, points, basis))
    total = f"综合得分{score_text(d.total)}分" + (f"，评定为“{d.grade}”" if d.grade else "")
    blocks: list[Block] = [Paragraph(total + "。", "plain")]
    if any(k.score is not None for k in d.keywords):
        ref = any(k.reference is not None for k in d.keywords)
        blocks.append(Figure("radar", "四个关键词得分" + ("（与专家参考方案对比）" if ref else "")))
    if rows:
        blocks.append(Table(("关键词", "指标", "得分/满分", "扣分依据"), tuple(rows), (20, 30, 18, 88), small=True))
    return Section(f"附件1  {ATTACHMENT_TITLES[0]}", tuple(blocks), "score")


def record(d: Draft) -> Section:
    """附件2: the task chart, the site maps and the record table, the table and the chart bounded (``bounds``)."""
    rows = tuple((d.ctx.when(r.t), r.dept, r.detail) for r in d.timeline if r.kind in RECORD_KINDS)
    blocks: list[Block] = []
    tasks = sum(e.kind == "task_ordered" for e in d.ctx.events)
    if tasks:
        drawn = min(tasks, bounds.MAX_CHART_TASKS)
        note = bounds.chart_note(drawn, tasks) if tasks > drawn else ""
        blocks.append(Figure("gantt", "各部门任务下达与执行情况" + note))
    blocks.extend(key_maps(d))
    blocks.append(Table(("时间", "单位", "情景信息或决策"), rows[: bounds.MAX_RECORD_ROWS], (30, 32, 94), small=True))
    if len(rows) > bounds.MAX_RECORD_ROWS:
        blocks.append(Paragraph(bounds.record_note(bounds.MAX_RECORD_ROWS, len(rows)), "plain"))
    return Section(f"附件2  {ATTACHMENT_TITLES[1]}", tuple(blocks), "log")


def key_maps(d: Draft) -> list[Figure]:
    """The site map at the drill's key moments: when the office first judged the event (what it had to go on),
    and when the hazard was controlled (or, never controlled, when the drill ended)."""
    events = d.ctx.events
    if not events:
        return []
    first = next((e for e in events if e.kind == "assessment"), None)
    contained = next((e for e in events if e.kind == "hazard_contained"), None)
    moments = []
    if first is not None:
        moments.append((first.t, "初步研判时"))
    if contained is not None:
        moments.append((contained.t, "险情得到控制时"))
    else:
        moments.append((events[-1].t, "推演结束时（险情未得到控制）"))
    scenario, log = d.ctx.scenario, EventLog(events)
    return [
        Figure("map", f"现场态势示意图：{label}，{d.ctx.when(t)}", map_at(scenario, log, t)) for t, label in moments
    ]


def rectification_table(d: Draft) -> Section:
    rows = tuple(rectification_cells(r) for r in d.rectifications)
    if not rows:
        return Section(f"附件3  {ATTACHMENT_TITLES[2]}", (Paragraph("本次推演无需整改的问题。", "plain"),), "score")
    table = Table(RECTIFICATION_COLUMNS, rows, (8, 20, 20, 10, 16, 32, 16, 22, 12), small=True)
    return Section(f"附件3  {ATTACHMENT_TITLES[2]}", (table,), "score")
