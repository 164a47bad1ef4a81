"""导调脚本: the MSEL on paper for the 导调组 — every inject with its time, how it arrives, from whom, to which seat,
its content, the actions expected of the team and how they are judged — and the answer key's main points.

Why a document of its own, marked on every page: it holds the answer key, which trainees must never see; printed
apart from the cards it can stay on the 导调组's table. The columns are the Excel MSEL's (``msel.columns``:
序号、时间、注入方式、发送单位、接收单位、情景内容、预期行动、评估要点), written in words rather than ids, on a
landscape page so the content column is wide enough to read.
"""

from __future__ import annotations

from simulator.pack.layout import SIZE_SMALL, PackDoc
from simulator.pack.model import Pack
from simulator.pack.rows import msel_rows
from simulator.vocabulary import LEVEL_SHORT, span, when

TITLE = "导调脚本"
WARNING = "导调组专用　不得向参演人员分发"
HEADERS = ["序号", "时间", "注入方式", "发送单位", "接收单位", "情景内容", "预期行动", "评估要点"]
WIDTHS = [5, 21, 7, 13, 19, 39, 20, 16]


def rows_of(pack: Pack) -> list[list[str]]:
    """The script's table: one row an inject, in the order of the drill."""
    out = []
    for row in msel_rows(pack.scenario):
        time = row.time + (f"\n视情注入：{row.condition}" if row.condition else "")
        out.append(
            [
                str(row.number),
                time,
                row.medium or "—",
                row.sender,
                f"{row.seat.name}\n（{row.seat.label}）" if row.seat.label else row.seat.name,
                f"【{row.inject.title}】{row.inject.text}",
                "\n".join(row.expected) or "—",
                "\n".join(row.points) or "—",
            ]
        )
    return out


def key_points(pack: Pack) -> list[str]:
    """The answer key in a few sentences: what the event is, who must take part, the fitting measures."""
    scenario = pack.scenario
    key = scenario.answer_key
    names = {d.id: d.name for d in scenario.departments}
    measures = {m.id: m.name for m in scenario.measures}
    lines = [f"事件类型：{key.event_type}；应启动{LEVEL_SHORT[key.level].zh}应急响应。"]
    lines.append(f"应参与处置的部门：{'、'.join(names.get(d, d) for d in key.required_departments)}。")
    if key.commander_department:
        lines.append(f"现场指挥宜由{names.get(key.commander_department, '')}负责。")
    if key.working_groups:
        lines.append(f"宜设工作组：{'、'.join(key.working_groups)}。")
    for m in key.measures:
        by = f"，最迟{when(scenario.start_clock, m.by)}前下达" if m.by is not None else ""
        who = f"（{'或'.join(names.get(d, d) for d in m.departments)}）" if m.departments else ""
        lines.append(f"措施：{measures.get(m.measure, m.measure)}{who}{by}。")
    deadlines = key.report_deadlines
    lines.append(
        f"信息报送：事发后{span(deadlines.phone[key.level])}内首次报告，{span(deadlines.written[key.level])}内书面报告"
        + (f"，此后每{span(deadlines.follow_up)}续报一次。" if deadlines.follow_up else "。")
    )
    return lines


def write(doc: PackDoc, pack: Pack) -> int:
    """The script after the cover; returns how many injects it lists."""
    rows = rows_of(pack)
    doc.heading("一、情景注入清单")
    doc.note(
        f"共{len(rows)}条情景注入，按注入时间先后排列；序号即情景卡片编号。“视情注入”的条目在所列情况下才注入，"
        "由导调组掌握。"
    )
    doc.table(HEADERS, rows, WIDTHS, size=SIZE_SMALL)
    doc.heading("二、答案要点", page_break=True)
    for line in key_points(pack):
        doc.note(line)
    return len(rows)


__all__ = ["HEADERS", "TITLE", "WARNING", "key_points", "rows_of", "write"]
