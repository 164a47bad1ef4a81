"""The report's three attachments: 附件1 评分表 (every indicator with all its evidence), 附件2 处置时间线 (every
event a person reads) and 附件3 任务台账 (every task as ordered and carried out)."""

from __future__ import annotations

from simulator.report.blocks import ATTACHMENT_TITLES, Block, LedgerRow, Paragraph, Section, Table, fmt, score_text
from simulator.report.body import Draft
from simulator.vocabulary import NO_OWNER, t_text


def attachments(d: Draft) -> tuple[Section, ...]:
    return (score_table(d), full_timeline(d), ledger_table(d))


def score_table(d: Draft) -> Section:
    rows = []
    scores = {k.keyword: k.score for k in d.keywords}
    for ind in d.indicators:
        kw = f"{ind.keyword}（{score_text(scores.get(ind.keyword))}分）"
        basis = "；".join(ev.line() for ev in ind.evidence) or "—"
        if ind.skipped:
            rows.append((kw, ind.name, "不适用", "—", basis))
        else:
            rows.append((kw, ind.name, fmt(ind.points), fmt(ind.max), basis))
    total = f"综合得分{score_text(d.total)}分" + (f"，评定为“{d.grade}”" if d.grade else "")
    blocks: list[Block] = [Paragraph(total + "。", "plain")]
    if rows:
        blocks.append(
            Table(("关键词", "指标", "得分", "满分", "评分依据"), tuple(rows), (18, 26, 13, 13, 86), small=True)
        )
    return Section(f"附件1  {ATTACHMENT_TITLES[0]}", tuple(blocks), "score")


def full_timeline(d: Draft) -> Section:
    rows = tuple((r.when, r.clock, r.dept, r.detail) for r in d.timeline)
    return Section(
        f"附件2  {ATTACHMENT_TITLES[1]}",
        (Table(("时间", "时刻", "部门", "事项"), rows, (16, 15, 32, 93), small=True),),
        "log",
    )


def ledger_table(d: Draft) -> Section:
    rows = tuple(ledger_cells(r) for r in d.ledger)
    blocks: list[Block] = [Table(LEDGER_TABLE_COLUMNS, rows, (9, 22, 25, 15, 15, 15, 15, 14, 26), small=True)]
    if not rows:
        blocks = [Paragraph("推演中未下达任务。", "plain")]
    return Section(f"附件3  {ATTACHMENT_TITLES[2]}", tuple(blocks), "log")


LEDGER_TABLE_COLUMNS = ("序号", "任务", "责任部门", "责任人", "下达时间", "开始执行", "完成时间", "状态", "备注")


def ledger_cells(r: LedgerRow) -> tuple[str, ...]:
    """A ledger row as the report's table shows it (times as T+分钟 over the wall clock, to fit 9 columns)."""

    def at(t: float | None, clock: str | None) -> str:
        return f"{t_text(t)}\n{clock}" if t is not None and clock else "—"

    return (
        str(r.seq),
        r.name,
        r.dept,
        r.owner or NO_OWNER.zh,
        at(r.ordered_at, r.ordered_clock),
        at(r.started_at, r.started_clock),
        at(r.finished_at, r.finished_clock),
        r.status,
        r.note or "—",
    )
