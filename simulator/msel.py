"""Transitional: the Excel MSEL now lives in :mod:`simulator.formats.msel`. This module only keeps the old
``EXTENSIONS`` entry of ``simulator/cli.py`` working until cli.py declares ``export-xlsx`` and ``import-xlsx``
itself (the arguments are in ``simulator/formats/msel/commands.py``); then it is deleted."""

from __future__ import annotations

from pathlib import Path

from simulator.formats.msel.commands import export_xlsx_command, import_xlsx_command


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export-xlsx", help="把场景导出为 Excel 情景注入表 (write a scenario as an Excel MSEL workbook)"
    )
    export.add_argument("scenario", type=Path)
    export.add_argument("--out", type=Path, default=None, help="输出的 .xlsx (default: <scenario id>.xlsx)")
    export.set_defaults(func=export_xlsx_command)
    load = subparsers.add_parser(
        "import-xlsx", help="从 Excel 情景注入表导入场景 (read an Excel MSEL workbook into a scenario YAML)"
    )
    load.add_argument("workbook", type=Path)
    load.add_argument("--out", type=Path, default=None, help="输出的场景 YAML (default: <scenario id>.yaml)")
    load.set_defaults(func=import_xlsx_command)
