"""参演人员签到表: one line a person — department, seat, name, position, phone, signature — seat by seat, then the
导调组 and the 评估组.

Why seat by seat: the sheet doubles as the room's seating list, so each line names the seat the cards are
addressed to. With a drill, the people its facts already name (参演单位 with names, 导调组, 评估组) are printed
on their lines and only sign; the rest of the lines are blank to fill in.
"""

from __future__ import annotations

from docx.shared import Mm

from simulator.pack.layout import PackDoc
from simulator.pack.model import Pack
from simulator.pack.rows import seats

TITLE = "参演人员签到表"
HEADERS = ["序号", "部门", "席位", "姓名", "职务", "联系电话", "签名"]
WIDTHS = [6, 32, 15, 16, 17, 20, 20]
GROUP_HEADERS = ["序号", "姓名或单位", "职务", "联系电话", "签名"]
GROUP_WIDTHS = [6, 40, 24, 28, 30]
ROW = Mm(11)  # room for a signature
SPARE_ROWS = 4  # lines for people nobody listed in advance
GROUP_ROWS = 3  # 导调组 and 评估组 lines when the facts name nobody


def people_rows(pack: Pack) -> list[list[str]]:
    """The participants' lines: each seat (with the names the facts give for its unit, else one blank line), the
    facts' other units, then spare lines."""
    listed: dict[str, list[str]] = {}
    for participant in pack.facts.participants:
        listed.setdefault(participant.unit, []).extend(participant.names or [""])
    rows: list[list[str]] = []
    for seat in seats(pack.scenario):
        for name in listed.pop(seat.name, None) or [""]:
            rows.append([seat.name, seat.label, name])
    for unit, names in listed.items():
        rows += [[unit, "—", name] for name in names]
    rows += [["", "", ""] for _ in range(SPARE_ROWS)]
    return [[str(n), *row, "", "", ""] for n, row in enumerate(rows, start=1)]


def group_rows(names: tuple[str, ...]) -> list[list[str]]:
    return [[str(n), name, "", "", ""] for n, name in enumerate(names or ("",) * GROUP_ROWS, start=1)]


def write(doc: PackDoc, pack: Pack) -> int:
    """The sheet (after a short head naming the drill, not a cover page); returns how many seats it lists."""
    rows = people_rows(pack)
    doc.heading("一、参演人员")
    doc.table(HEADERS, rows, WIDTHS, height=ROW)
    for numeral, group, names in (("二", "导调组", pack.facts.director), ("三", "评估组", pack.facts.evaluators)):
        doc.heading(f"{numeral}、{group}")
        doc.table(GROUP_HEADERS, group_rows(names), GROUP_WIDTHS, height=ROW)
    return len(seats(pack.scenario))


__all__ = ["HEADERS", "TITLE", "people_rows", "write"]
