"""``python -m simulator pack SCENARIO [--drill CODE] --out DIR [--format docx,pdf]``: the printed drill pack.

SCENARIO is a scenario file or the id of one in the library (a real case's id too). With ``--drill`` the covers and
the sign-in sheet carry that drill's team, code, date and facts, read from the drill store (``DRILL_DB_URL``, else
``data/drills.db``). What was written is said in Chinese; a scenario or drill that cannot be found, a broken file
or a PDF asked for without LibreOffice exits 1 with the reason, and nothing is half written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.errors import FileFormatError, Problem
from simulator.formats import Scenario, load_scenario
from simulator.library import find
from simulator.pack.document import FORMATS, write_pack
from simulator.pack.document import summary as pack_summary
from simulator.pack.model import Pack, drill_info
from simulator.report.pdf import PdfConversionError, PdfUnavailable, pdf_available
from simulator.scoring.rubric import default_rubric, resolve_rubric


def formats_argument(text: str) -> list[str]:
    """``docx,pdf`` → ["docx", "pdf"] (an argparse type: anything else is a usage error)."""
    formats = list(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    if not formats or any(f not in FORMATS for f in formats):
        raise argparse.ArgumentTypeError(f"格式应为 {','.join(FORMATS)} 中的一个或两个 (got {text!r})")
    return formats


def pack_command(args: argparse.Namespace) -> int:
    scenario, path = resolve_scenario(args.scenario)
    rubric = resolve_rubric(path) if path is not None else default_rubric()
    drill = None
    if args.drill:
        from simulator.store.drills import DrillStore  # SQLAlchemy only when a drill is asked for

        drill = drill_info(DrillStore(), args.drill, scenario)
    if "pdf" in args.format and not pdf_available():
        print(PdfUnavailable(), file=sys.stderr)
        return 1
    pack = Pack.of(scenario, rubric, drill)
    try:
        paths = write_pack(pack, args.out, args.format)
    except (PdfUnavailable, PdfConversionError) as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        problem = Problem(str(args.out), None, "--out", f"无法写入输出目录：{exc.strerror or exc}")
        raise FileFormatError([problem]) from None
    for_drill = f"，推演码 {drill.code}" if drill is not None else ""
    print(f"推演资料包（{scenario.title}{for_drill}）已写入 {args.out}：")
    for line in pack_summary(pack):
        print(f"  {line}")
    print("  文件：" + "、".join(p.name for p in paths))
    return 0


def resolve_scenario(text: str) -> tuple[Scenario, Path | None]:
    """A scenario file (loaded with located errors) or a library id; the path, when there is one, finds the
    scenario's own rubric beside it."""
    path = Path(text)
    if path.is_file():
        return load_scenario(path), path
    entry = find(text)
    if entry is not None:
        return entry.scenario, entry.path
    message = f"找不到场景“{text}”：既不是场景文件，也不是场景库中的场景编号"
    raise FileFormatError([Problem(text, None, "场景", message)])


__all__ = ["formats_argument", "pack_command", "resolve_scenario"]
