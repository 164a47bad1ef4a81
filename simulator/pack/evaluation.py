"""评估表: for the evaluators, each keyword's indicators as the rubric states them — the indicator, its points out
of the keyword's hundred, what to look for — with room for the marks and notes, a summary of the four keywords
and the evaluator's signature.

Why from the rubric: the marks on paper and the simulator's score then weigh the same things; a scenario with its
own rubric (``<scenario>.rubric.yaml``) gets its own sheet. Points are the indicators' weights scaled to 100 by
largest remainders, so each keyword's column adds up to exactly 100.
"""

from __future__ import annotations

import math
import re

from docx.shared import Mm

from simulator.pack.layout import SIZE_SMALL, PackDoc
from simulator.pack.model import Pack
from simulator.scoring.rubric import Keyword
from simulator.vocabulary import KEYWORD_LABELS

TITLE = "评估表"
WARNING = "评估组专用"
NUMERALS = "一二三四五六七八九十"
HEADERS = ["序号", "评估指标", "分值", "评估要点", "得分", "记录"]
WIDTHS = [5, 14, 8, 52, 9, 22]
ROW_TO_WRITE = Mm(18)  # a summary row tall enough to write a few words by hand
#: a file field the rubric cites for its authors (``report_deadlines``, ``follow_up``): not for paper
_FIELD = r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*_[a-z0-9_]+(?![A-Za-z0-9_])"
#: the parenthesis around one, with whatever else it says (``（场景答案中的 report_deadlines）``)
_FIELD_NOTE = re.compile(rf"[（(][^（）()]*{_FIELD}[^（）()]*[）)]")
_FIELD_WORD = re.compile(rf"\s*{_FIELD}\s*")


def points(keyword: Keyword) -> list[int]:
    """The indicators' weights scaled to whole points that add up to 100 (largest remainders)."""
    total = sum(ind.weight for ind in keyword.indicators)
    exact = [ind.weight * 100 / total for ind in keyword.indicators]
    whole = [math.floor(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: (whole[i] - exact[i], i))[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def plain(text: str) -> str:
    """An explanation without the file-field names it cites for the rubric's authors."""
    return _FIELD_WORD.sub("", _FIELD_NOTE.sub("", text)).strip()


def keyword_rows(keyword: Keyword) -> list[list[str]]:
    return [
        [str(n), ind.name, str(p), plain(ind.explanation), "", ""]
        for n, (ind, p) in enumerate(zip(keyword.indicators, points(keyword), strict=True), start=1)
    ]


def write(doc: PackDoc, pack: Pack) -> int:
    """The sheet after the cover; returns how many indicators it lists."""
    keywords = pack.rubric.keywords.items()
    weights = sum(k.weight for _, k in keywords) or 1
    doc.note(
        "评估人员对照评估要点，根据推演中的实际表现逐项打分（不超过该项分值），并在“记录”栏写明依据（时间、部门、事实）。"
        "每个关键词满分100分，按权重合成总分。"
    )
    count = 0
    shown = [(name, k) for name, k in keywords if k.weight > 0]
    for n, (name, keyword) in enumerate(shown):
        share = round(keyword.weight * 100 / weights)
        doc.heading(f"{NUMERALS[n]}、{KEYWORD_LABELS[name].zh}（权重{share}%）", page_break=n > 0)
        if keyword.explanation:
            doc.note(plain(keyword.explanation))
        rows = keyword_rows(keyword)
        rows.append(["", "小计", "100", "", "", ""])
        doc.table(HEADERS, rows, WIDTHS, size=SIZE_SMALL, height=None)
        count += len(keyword.indicators)
    doc.heading(f"{NUMERALS[len(shown)]}、评估汇总", page_break=True)
    summary = [[KEYWORD_LABELS[name].zh, f"{round(k.weight * 100 / weights)}%", "", ""] for name, k in shown]
    summary.append(["总分", "100%", "", ""])
    doc.table(["关键词", "权重", "得分", "主要问题和建议"], summary, [12, 10, 10, 68], height=ROW_TO_WRITE)
    doc.note(f"等级：{grade_text(pack)}。")
    doc.note("评估人（签名）：＿＿＿＿＿＿＿＿　　　　日期：＿＿＿＿年＿＿月＿＿日")
    return count


def grade_text(pack: Pack) -> str:
    """``优秀：90分及以上；良好：75分至不足90分；…；不合格：不足60分`` from the rubric's bands."""
    parts, upper = [], None
    for band in pack.rubric.grades:
        if upper is None:
            parts.append(f"{band.name}：{band.min:g}分及以上")
        elif band.min > 0:
            parts.append(f"{band.name}：{band.min:g}分至不足{upper:g}分")
        else:
            parts.append(f"{band.name}：不足{upper:g}分")
        upper = band.min
    return "；".join(parts)


__all__ = ["HEADERS", "TITLE", "WARNING", "grade_text", "keyword_rows", "plain", "points", "write"]
