"""``python -m simulator parse SCENARIO "句子" [--by DEPT] [--at MINUTES]``: quick entry from the command line, so
the parser can be tested and scripted. Prints the decisions as plan YAML (a file ``run --plan`` takes); the words
not understood and the assumptions made go to stderr in words; exit 1 with 「未识别：…」 when nothing parses.
The arguments are declared in ``simulator.cli``; this module never imports it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from simulator.formats import Plan, Scenario, load_scenario
from simulator.library import find
from simulator.quick.parse import parse


def _scenario(name: str) -> Scenario | None:
    """A scenario file, or the id of one in the library (hazchem_leak)."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_scenario(path)
    entry = find(name)
    return entry.scenario if entry is not None else None


def parse_command(args: argparse.Namespace) -> int:
    scenario = _scenario(args.scenario)
    if scenario is None:
        print(f"找不到场景 {args.scenario!r}：应为场景文件或场景库中的编号 (no such scenario)", file=sys.stderr)
        return 1
    if args.by is not None and scenario.department(args.by) is None:
        known = "、".join(d.id for d in scenario.departments)
        print(f"--by：场景中没有部门 {args.by!r}，应为 {known} 之一 (no such department)", file=sys.stderr)
        return 1
    result = parse(scenario, args.text, by=args.by, at=args.at)
    for note in result.notes:
        print(f"说明：{note.zh}", file=sys.stderr)
    if result.unparsed:
        print(f"未识别：{result.unparsed_text()}", file=sys.stderr)
    if not result.decisions:
        if not result.unparsed:
            said = args.text.strip()
            print(f"未识别：「{said}」" if said else "未识别：没有输入内容 (nothing was entered)", file=sys.stderr)
        return 1
    plan = Plan(scenario=scenario.id, decisions=result.decisions)
    print(yaml.safe_dump(plan.to_yaml_data(), allow_unicode=True, sort_keys=False), end="")
    return 0
