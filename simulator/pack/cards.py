"""情景卡片: per seat, one card per inject that seat receives — its number, time, source, title and text, and room
to write the seat's response — with cut lines between the cards.

Why per seat and boxed: in a room without screens the 导调组 hands each seat its card at the inject's moment; a
seat's cards start on a page of their own, in the order they are handed out, and each card is cut out whole (a
card never splits across pages). A card is what the seat's screen would show on release and nothing more: no
expected action, no evaluation point, no release condition (those are the script's), no other seat's injects.
"""

from __future__ import annotations

from simulator.pack.layout import BLANK, SIZE_CARD, PackDoc
from simulator.pack.model import Pack
from simulator.pack.rows import Row, Seat, msel_rows

TITLE = "情景卡片"
WARNING = "由导调组按注入时间逐张发放，发放前不得向参演人员出示"
#: the time on a card whose inject waits on the hazard's state: the 导调组 writes it in on release
TIME_BY_HAND = "T+＿＿＿（＿＿:＿＿）"
RESPONSE_HINT = "（写明采取的措施、负责的部门和责任人、完成时限）"
WRITING_LINES = 3
FOOTER = f"填写人：{BLANK}　　填写时间：{TIME_BY_HAND}"


def seat_cards(pack: Pack) -> dict[Seat, list[Row]]:
    """Each seat that receives injects, in seat order, with its injects in the order they are handed out."""
    out: dict[Seat, list[Row]] = {}
    for row in msel_rows(pack.scenario):
        out.setdefault(row.seat, []).append(row)
    return dict(sorted(out.items(), key=lambda item: (item[0].number == 0, item[0].number)))  # the 导调组's last


def card_lines(row: Row) -> list[tuple[str, str]]:
    """A card's labelled lines, as printed (the public half of the MSEL row only)."""
    time = row.time if row.minute is not None else TIME_BY_HAND
    return [
        ("", f"{TITLE}　第{row.number}号"),
        ("接收单位", row.seat.title),
        ("注入时间", time),
        ("来　　源", row.source),
        ("标　　题", row.inject.title),
        ("情景内容", row.inject.text),
        ("处置意见", RESPONSE_HINT),
    ]


def write(doc: PackDoc, pack: Pack) -> int:
    """The cards of every seat after the cover; returns how many cards were written."""
    count = 0
    for n, (seat, rows) in enumerate(seat_cards(pack).items()):
        doc.heading(seat.title, page_break=n > 0)
        doc.note(f"本席位共{len(rows)}张情景卡片，按注入时间先后排列。处置意见写在卡片内横线上，推演结束后交导调组。")
        for i, row in enumerate(rows):
            if i:
                doc.cut_line()
            doc.box(card_lines(row), size=SIZE_CARD, blank_lines=WRITING_LINES, footer=FOOTER)
            count += 1
    return count


__all__ = ["TITLE", "WARNING", "card_lines", "seat_cards", "write"]
