"""附件 “与真实事件调查结论对照”: for a drill of a real case (案例推演), the official findings about the response
that the drill reproduced (quoted, with the drill's events that show it) and those it avoided, with the sources.

Nothing here is drafted: the quotes are the case sheet's, verbatim, with where they stand in their source; what the
drill did is the scorer's evidence, timed by the cited event (``simulator.casework.compare``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from simulator.casework import compare
from simulator.formats.case import CaseSheet
from simulator.formats.case import date_text as _date
from simulator.report.blocks import Block, Paragraph, Section, SubHeading, Table, cn_number

#: the attachment's title (its heading is ``附件N  `` and this)
CASE_TITLE = "与真实事件调查结论对照"


def case_attachment(sheet: CaseSheet, score: Mapping[str, Any], when: Callable[[float], str], number: int) -> Section:
    """The attachment ``number`` of a case drill's report."""
    rows = compare(sheet, dict(score))
    reproduced = [r for r in rows if r.reproduced]
    avoided = [r for r in rows if r.avoided]
    beyond = [r for r in rows if not r.tested]
    blocks: list[Block] = [
        Paragraph(f"本次推演场景取材于{sheet.title}（{_date(sheet.occurred)}，{sheet.place}）。{sheet.summary}"),
        Paragraph(
            f"对照事故调查报告等公开资料中关于应急处置的{len(rows) - len(beyond)}条结论，本次推演重现了其中"
            f"{len(reproduced)}条（参演人员出现了与真实处置相同的问题），避免了{len(avoided)}条。"
            + (f"另有{len(beyond)}条结论涉及事前监管等推演范围以外的问题，列于文末供对照。" if beyond else "")
        ),
    ]
    part = 0
    if reproduced:
        part += 1
        blocks.append(SubHeading(f"（{cn_number(part)}）本次推演重现的问题"))
        for n, row in enumerate(reproduced, start=1):
            seen = "；".join(f"{when(item['t'])}，{item['text']}" for item in row.evidence)
            blocks.append(
                Paragraph(
                    f"{n}．{row.finding.plain}。调查结论：“{_quote(row.finding.quote)}”（{_cited(row)}）。"
                    f"本次推演中：{seen}。"
                )
            )
    for heading, group in (("本次推演避免的问题", avoided), ("推演范围以外的调查结论", beyond)):
        if not group:
            continue
        part += 1
        blocks.append(SubHeading(f"（{cn_number(part)}）{heading}"))
        for n, row in enumerate(group, start=1):
            blocks.append(
                Paragraph(f"{n}．{row.finding.plain}。调查结论：“{_quote(row.finding.quote)}”（{_cited(row)}）。")
            )
    part += 1
    blocks.append(SubHeading(f"（{cn_number(part)}）资料来源"))
    table_rows = tuple(
        (str(i), s.title, s.publisher, _date(s.date) if s.date else "—", s.url or "—")
        for i, s in enumerate(sheet.sources, start=1)
    )
    blocks.append(Table(("序号", "标题", "发布单位", "日期", "链接"), table_rows, (10, 52, 28, 26, 40), small=True))
    if sheet.assumptions:
        blocks.append(Paragraph("推演场景中下列情况未见公开来源，为估计或假定：" + "；".join(sheet.assumptions) + "。"))
    return Section(f"附件{number}  {CASE_TITLE}", tuple(blocks), "score")


def _cited(row) -> str:
    title = row.source.title if row.source is not None else row.finding.source
    return f"{title}，{row.finding.where}"


def _quote(text: str) -> str:
    """A quote inside our own quotation marks: its own double quotes become single ones, as Chinese nests them."""
    return text.strip().replace("“", "‘").replace("”", "’")
