"""How much of a drill the 调研报告 shows: its size is bounded however many decisions the drill had.

A drill may hold up to ``plan.MAX_DECISIONS`` decisions; drawn in full, 附件2's record and task chart grew with
them (a 10,000-decision plan made a 52 MB .docx in 94 s, an 11 MB task chart alone at 2,000). The report shows
the first rows of each and says, in the text, how many were left out and where the full record is: the drill's
event log (``events.jsonl`` beside the report, the 回放 page in the app) and the 任务台账 sheet of the ledger .xlsx,
which keep every row. The main text is bounded already (``model.fit``: six pages).
"""

from __future__ import annotations

#: 附件2 推演记录: rows of the record table (a reference drill has about 60)
MAX_RECORD_ROWS = 300
#: 附件2's task chart: bars (one a task; a reference drill has about 15, and a page holds about 60)
MAX_CHART_TASKS = 60
#: 附件1 评分明细: items of one indicator's 扣分依据 (each a time and a sentence; the bundled drills have up to 13)
MAX_BASIS_ITEMS = 30


def record_note(shown: int, total: int) -> str:
    """The sentence under a trimmed 附件2 record: how many rows are shown and where the rest are."""
    return (
        f"注：本次推演共有记录{total}条，本附件列出前{shown}条，其余{total - shown}条从略；"
        "完整记录见推演事件日志（events.jsonl，系统“回放”页面可查看）。"
    )


def chart_note(shown: int, total: int) -> str:
    """What a trimmed task chart's caption adds: how many of the tasks are drawn."""
    return f"（共{total}项任务，图中为最先下达的{shown}项；全部任务见问题整改台账 .xlsx 的“任务台账”工作表）"


def basis_note(total: int) -> str:
    """The end of a trimmed 扣分依据: how many items there were in all."""
    return f"等，共{total}处"
