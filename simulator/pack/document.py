"""The printed drill pack (推演资料包) as files: one Word document per part, as a room prints and hands them out —
the 情景卡片 (each seat's cards from a page of its own, handed out one by one by the 导调组), the 导调脚本 (kept on
the 导调组's table), the 评估表 (for the evaluators) and the 参演人员签到表 (at the door) — and their PDFs through
LibreOffice where it is installed (``simulator.report.pdf``).

Why one file per part: the parts go to different people, and a document the trainees must not see (the script)
should not share a file with one they hold. Equal packs give equal bytes (``report._util.stable_zip``); every
file is written atomically.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from simulator.pack import cards, evaluation, script, signin
from simulator.pack.layout import PackDoc
from simulator.pack.model import Pack
from simulator.report._util import ZIP_EPOCH, write_bytes
from simulator.report.pdf import docx_to_pdf_many

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Part:
    key: str  # a plain file stem for LibreOffice
    title: str  # the part's name on its cover and as its file name
    write: Callable[[PackDoc, Pack], int]
    warning: str = ""
    landscape: bool = False
    cover: bool = True
    header: str = ""  # on every page

    def file(self, fmt: str) -> str:
        return f"{self.title}.{fmt}"


PARTS: tuple[Part, ...] = (
    Part("cards", cards.TITLE, cards.write, warning=cards.WARNING),
    Part("script", script.TITLE, script.write, warning=script.WARNING, landscape=True, header=script.WARNING),
    Part("evaluation", evaluation.TITLE, evaluation.write, warning=evaluation.WARNING),
    Part("signin", signin.TITLE, signin.write, cover=False),
)


def build(pack: Pack, part: Part) -> tuple[PackDoc, int]:
    """One part as a document, and the count its summary line reports (cards, injects, indicators, seats)."""
    doc = PackDoc(f"{pack.scenario.title}桌面推演{part.title}", landscape=part.landscape, header=part.header)
    if part.cover:
        doc.cover(pack, part.title, part.warning)
    else:
        doc.title(pack.scenario.title)
        doc.title(f"桌面推演{part.title}")
        doc.facts_table(pack)
    return doc, part.write(doc, pack)


def documents(pack: Pack) -> dict[str, bytes]:
    """Every part's .docx bytes, by part key."""
    return {part.key: build(pack, part)[0].bytes() for part in PARTS}


def pack_files(pack: Pack, formats: tuple[str, ...] | list[str] = ("docx",)) -> dict[str, bytes]:
    """File name → bytes: the .docx of every part and, with ``pdf``, their PDFs (one LibreOffice start for all;
    raises ``PdfUnavailable`` without LibreOffice)."""
    docs = documents(pack)
    out: dict[str, bytes] = {}
    by_key = {part.key: part for part in PARTS}
    if "docx" in formats:
        out.update({by_key[key].file("docx"): data for key, data in docs.items()})
    if "pdf" in formats:
        out.update({by_key[key].file("pdf"): data for key, data in docx_to_pdf_many(docs).items()})
    return out


def write_pack(pack: Pack, out: str | Path, formats: tuple[str, ...] | list[str] = ("docx",)) -> list[Path]:
    """Write the pack's files into ``out`` (created), each atomically; returns the paths written."""
    folder = Path(out)
    return [write_bytes(folder / name, data) for name, data in pack_files(pack, formats).items()]


def pack_zip(pack: Pack, formats: tuple[str, ...] | list[str] = ("docx",)) -> bytes:
    """The pack as one .zip (the console's download): fixed entry dates, so the same pack gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in pack_files(pack, formats).items():
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_EPOCH), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def summary(pack: Pack) -> list[str]:
    """What the pack holds, in Chinese, one line a part (the CLI prints it)."""
    seat_count = len(cards.seat_cards(pack))
    card_count = sum(len(rows) for rows in cards.seat_cards(pack).values())
    keywords = [k for _, k in pack.rubric.keywords.items() if k.weight > 0]
    indicators = sum(len(k.indicators) for k in keywords)
    return [
        f"{cards.TITLE}：{seat_count}个席位，共{card_count}张卡片（由导调组按注入时间逐张发放）",
        f"{script.TITLE}：{len(pack.scenario.injects)}条情景注入及答案要点（导调组专用，不得分发给参演人员）",
        f"{evaluation.TITLE}：{len(keywords)}个关键词，{indicators}项评估指标",
        f"{signin.TITLE}：{len(signin.seats(pack.scenario))}个席位",
    ]


__all__ = ["FORMATS", "PARTS", "Part", "build", "documents", "pack_files", "pack_zip", "summary", "write_pack"]
