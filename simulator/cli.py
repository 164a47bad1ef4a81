"""Command line: ``python -m simulator run|validate|schema …``.

User errors (a broken file, a missing path) print located messages and exit 1; usage errors exit 2 (argparse).
No traceback reaches the user for anything they typed or wrote.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
from pathlib import Path

import yaml

from simulator.engine import EventLog, run_plan
from simulator.errors import FileFormatError, Problem
from simulator.formats import Plan, Scenario, load_plan, load_scenario
from simulator.formats.loader import compose, read_text
from simulator.report import FILES as REPORT_FILES
from simulator.report import build_report, write_all
from simulator.scoring import resolve_rubric, score_drill

OUTCOME_LABELS = {
    "injured": "受伤人数",
    "dead": "死亡人数",
    "exposed_person_minutes": "暴露人·分钟",
    "contained_at": "险情控制时间 (T+分钟)",
    "decisions_rejected": "被拒决策数",
    "messages_lost": "消息丢失次数",
    "messages_undelivered": "未送达消息数",
}


#: modules that add their own subcommands: each has ``register(subparsers)`` and sets ``func`` on its parser
EXTENSIONS: tuple[str, ...] = (
    "simulator.batch",
    "simulator.msel",
    # one module per line, so that features added side by side do not touch each other's line
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description="应急处置桌面推演模拟器")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="运行一次推演 (run a drill from a plan)")
    run.set_defaults(func=_run)
    run.add_argument("scenario", type=Path)
    run.add_argument("--plan", type=Path, required=True)
    run.add_argument("--seed", type=seed_argument, default=None, help="随机种子 (default: the plan's own seed, else 0)")
    run.add_argument("--out", type=Path, default=None, help="输出目录 (default: runs/<scenario>-<plan>-<seed>)")
    run.add_argument("--rubric", type=Path, default=None, help="评分细则 (default: the scenario's own, else built in)")
    run.add_argument("--format", type=_formats, default=list(REPORT_FILES), help="报告格式 (default: docx,md,xlsx)")

    score = sub.add_parser("score", help="对已保存的推演重新评分 (rescore a saved run directory)")
    score.set_defaults(func=_score)
    score.add_argument("dir", type=Path)
    score.add_argument("--rubric", type=Path, default=None)
    score.add_argument("--previous", type=Path, default=None, help="同一队伍上一次推演的 score.json")

    report = sub.add_parser("report", help="生成调研报告 (write the report of a saved run directory)")
    report.set_defaults(func=_report)
    report.add_argument("dir", type=Path)
    report.add_argument("--format", type=_formats, default=list(REPORT_FILES), help="docx,md,xlsx")

    validate = sub.add_parser("validate", help="检查场景或方案文件 (check scenario and plan files)")
    validate.set_defaults(func=_validate)
    validate.add_argument("files", type=Path, nargs="+")

    schema = sub.add_parser("schema", help="输出 JSON Schema (print the JSON Schema of a file format)")
    schema.add_argument("format", choices=["scenario", "plan"], nargs="?", default="scenario")
    schema.set_defaults(func=_schema)

    for module in EXTENSIONS:
        importlib.import_module(module).register(sub)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except FileFormatError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1


def seed_argument(text: str) -> int:
    """argparse type for a seed: an integer the run's streams accept (0 .. 2^63-1)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"种子应为整数 (seed must be an integer): {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError("种子应在 0 到 2^63-1 之间 (seed must be 0..2^63-1)")
    return value


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in REPORT_FILES]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"报告格式应为 {','.join(REPORT_FILES)} 中的一个或多个 (got {text!r})")
    return formats


def _run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan)
    rubric = resolve_rubric(args.scenario, args.rubric)
    if args.seed is None:
        args.seed = plan.seed if plan.seed is not None else 0
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
    reference_path = _reference_plan_path(args.scenario)
    write_run(out, args.scenario, plan, drill, reference_path)
    outcome = drill.outcome().as_dict()
    print(f"场景 {scenario.title}（种子 {args.seed}）: {len(drill.log)} 个事件 → {out / 'events.jsonl'}")
    for key, label in OUTCOME_LABELS.items():
        print(f"  {label}: {outcome[key] if outcome[key] is not None else '未控制'}")
    for event in drill.log.of("decision_rejected"):
        print(f"  被拒 T+{event.t:g} {event['action']}: {event['reason']}")
    reference = run_plan(scenario, load_plan(reference_path), args.seed) if reference_path else None
    score = _score_and_print(out, scenario, drill.log, rubric, reference, previous=None)
    _write_reports(out, scenario, drill.log, score, reference, args.format)
    return 0


def _score(args: argparse.Namespace) -> int:
    scenario, log, reference = _load_run(args.dir)
    previous = _read_json(args.previous) if args.previous else None
    rubric = resolve_rubric(args.dir / "scenario.yaml", args.rubric)
    _score_and_print(args.dir, scenario, log, rubric, reference, previous)
    return 0


def _report(args: argparse.Namespace) -> int:
    scenario, log, reference = _load_run(args.dir)
    score_path = args.dir / "score.json"
    if score_path.is_file():
        score = _read_json(score_path)
    else:
        score = score_drill(
            scenario,
            log,
            rubric=resolve_rubric(args.dir / "scenario.yaml"),
            reference=reference.log if reference else None,
        )
    _write_reports(args.dir, scenario, log, score, reference, args.format)
    return 0


def _score_and_print(out: Path, scenario, log, rubric, reference, previous) -> dict:
    score = score_drill(scenario, log, rubric=rubric, reference=reference.log if reference else None, previous=previous)
    (out / "score.json").write_text(json.dumps(score, ensure_ascii=False, indent=2), encoding="utf-8")
    keywords = "  ".join(f"{k} {v['score']:.1f}" for k, v in score["keywords"].items())
    print(f"评分: {keywords}  总分 {score['total']:.1f}（{score['grade']}） → {out / 'score.json'}")
    return score


def _write_reports(out: Path, scenario, log, score, reference, formats: list[str]) -> None:
    reference_score = score_drill(scenario, reference.log, reference=reference.log) if reference else None
    report = build_report(
        scenario,
        log,
        score,
        reference_outcome=reference.outcome().as_dict() if reference else None,
        reference_score=reference_score,
    )
    paths = write_all(report, out, formats)
    print("调研报告: " + "、".join(str(p) for p in paths))


def _load_run(directory: Path):
    """A run directory as ``run`` wrote it: the scenario, the log, and the reference plan re-run (same seed)."""
    if not directory.is_dir():
        raise FileFormatError([Problem(str(directory), None, "", "目录不存在 (not a directory)")])
    scenario = load_scenario(directory / "scenario.yaml")
    log = EventLog.read(directory / "events.jsonl")
    started = log.of("drill_started")
    if not started:
        raise FileFormatError([Problem(str(directory / "events.jsonl"), 1, "kind", "日志缺少 drill_started 事件")])
    reference_path = directory / "reference.plan.yaml"
    reference = None
    if reference_path.is_file():
        reference = run_plan(scenario, load_plan(reference_path), int(started[0]["seed"]))
    return scenario, log, reference


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileFormatError([Problem(str(path), None, "", "文件不存在 (file not found)")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise FileFormatError([Problem(str(path), line, "", f"不是有效的 JSON (invalid JSON): {exc}")]) from None
    if not isinstance(data, dict):
        raise FileFormatError([Problem(str(path), 1, "", "应为 JSON 对象 (expected an object)")])
    return data


def _reference_plan_path(scenario_path: Path) -> Path | None:
    path = scenario_path.with_name(f"{scenario_path.stem}.reference.yaml")
    return path if path.is_file() else None


def write_run(out: Path, scenario_path: Path, plan: Plan, drill, reference_path: Path | None) -> None:
    """A run directory is self-contained: the scenario, the plan, the reference plan, the seed, and the log."""
    for source, name in ((scenario_path, "scenario.yaml"), (reference_path, "reference.plan.yaml")):
        if source is not None and source.resolve() != (out / name).resolve():
            shutil.copyfile(source, out / name)
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
