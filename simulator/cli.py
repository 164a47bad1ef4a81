"""Command line: ``python -m simulator run|validate|schema …``.

User errors (a broken file, a missing path) print located messages and exit 1; usage errors exit 2 (argparse).
No traceback reaches the user for anything they typed or wrote.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import yaml

from simulator.engine import run_plan
from simulator.errors import FileFormatError, Problem
from simulator.formats import Plan, Scenario, load_plan, load_scenario
from simulator.formats.loader import compose, read_text

OUTCOME_LABELS = {
    "injured": "受伤人数",
    "dead": "死亡人数",
    "exposed_person_minutes": "暴露人·分钟",
    "contained_at": "险情控制时间 (T+分钟)",
    "decisions_rejected": "被拒决策数",
    "messages_lost": "消息丢失次数",
    "messages_undelivered": "未送达消息数",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description="应急处置桌面推演模拟器")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="运行一次推演 (run a drill from a plan)")
    run.add_argument("scenario", type=Path)
    run.add_argument("--plan", type=Path, required=True)
    run.add_argument("--seed", type=_seed, default=0)
    run.add_argument("--out", type=Path, default=None, help="输出目录 (default: runs/<scenario>-<plan>-<seed>)")

    validate = sub.add_parser("validate", help="检查场景或方案文件 (check scenario and plan files)")
    validate.add_argument("files", type=Path, nargs="+")

    schema = sub.add_parser("schema", help="输出 JSON Schema (print the JSON Schema of a file format)")
    schema.add_argument("format", choices=["scenario", "plan"], nargs="?", default="scenario")

    args = parser.parse_args(argv)
    try:
        return {"run": _run, "validate": _validate, "schema": _schema}[args.command](args)
    except FileFormatError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"种子应为整数 (seed must be an integer): {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError("种子应在 0 到 2^63-1 之间 (seed must be 0..2^63-1)")
    return value


def _run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan)
    if plan.scenario not in (None, scenario.id):
        print(
            f"{args.plan}: scenario: 方案是为场景 {plan.scenario!r} 编写的，而不是 {scenario.id!r} "
            "(plan written for another scenario)",
            file=sys.stderr,
        )
        return 1
    out = args.out or Path("runs") / f"{scenario.id}-{args.plan.stem.split('.')[-1]}-{args.seed}"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = Problem(str(out), None, "--out", f"无法创建输出目录 (cannot create): {exc.strerror}")
        raise FileFormatError([problem]) from None
    drill = run_plan(scenario, plan, args.seed)
    write_run(out, args.scenario, plan, drill)
    outcome = drill.outcome().as_dict()
    print(f"场景 {scenario.title}（种子 {args.seed}）: {len(drill.log)} 个事件 → {out / 'events.jsonl'}")
    for key, label in OUTCOME_LABELS.items():
        print(f"  {label}: {outcome[key] if outcome[key] is not None else '未控制'}")
    for event in drill.log.of("decision_rejected"):
        print(f"  被拒 T+{event.t:g} {event['action']}: {event['reason']}")
    return 0


def write_run(out: Path, scenario_path: Path, plan: Plan, drill) -> None:
    """A run directory is self-contained: the scenario and plan it came from, the seed, and the log."""
    if scenario_path.resolve() != (out / "scenario.yaml").resolve():
        shutil.copyfile(scenario_path, out / "scenario.yaml")
    (out / "plan.yaml").write_text(
        yaml.safe_dump(plan.to_yaml_data(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (out / "run.json").write_text(
        json.dumps(
            {
                "scenario": drill.scenario.id,
                "version": drill.scenario.version,
                "seed": drill.seed,
                "outcome": drill.outcome().as_dict(),
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    drill.log.write(out / "events.jsonl")


def _validate(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        try:
            kind = _kind_of(path)
            (load_scenario if kind == "scenario" else load_plan)(path)
            print(f"{path}: 通过 ({kind} OK)")
        except FileFormatError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
    return 1 if failed else 0


def _kind_of(path: Path) -> str:
    """Scenarios have departments; plans have decisions."""
    raw, _ = compose(read_text(path), str(path))
    if isinstance(raw, dict) and "decisions" in raw and "departments" not in raw:
        return "plan"
    return "scenario"


def _schema(args: argparse.Namespace) -> int:
    model = Scenario if args.format == "scenario" else Plan
    print(json.dumps(model.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))
    return 0
