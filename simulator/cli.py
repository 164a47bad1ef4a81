"""Command line: ``python -m simulator run|score|report|validate|schema|batch|export-xlsx|import-xlsx|cases|case …``
(and ``parse``, quick entry).

Every subcommand and its arguments are declared here, and only here: the batch package and the MSEL package
expose plain handlers (``batch_command``, ``export_xlsx_command``, ``import_xlsx_command``) and never import this
module. A run is one ``simulator.experiment`` (the plan, the reference plan under the same seed, the score).

What is printed is for people: Chinese, outcome figures and times as ``simulator.vocabulary`` writes them
(``T+167（10:57）``, whole minutes). User errors (a broken file, a missing path) print located messages and exit 1;
usage errors exit 2 (argparse). No traceback reaches the user for anything they typed or wrote.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from simulator import files
from simulator.batch import MAX_RUNS
from simulator.batch.command import batch_command
from simulator.cli_users import add_parser as add_users_parser
from simulator.engine import Drill, EventLog
from simulator.errors import FileFormatError, Problem
from simulator.experiment import Experiment, evaluate, single_run
from simulator.formats import Plan, Scenario, load_plan, load_scenario
from simulator.formats.case import date_text as _date_text
from simulator.formats.case import load_case
from simulator.formats.durations import parse_minutes
from simulator.formats.loader import compose, read_text
from simulator.formats.msel.commands import export_xlsx_command, import_xlsx_command
from simulator.library import case_dir, cases_catalog, find, find_case, foreign_plan, reference_plan_path
from simulator.pack.command import formats_argument as _pack_formats
from simulator.pack.command import pack_command
from simulator.quick.command import parse_command
from simulator.report import FILES as REPORT_FILES
from simulator.report import OPTIONAL_FILES, PdfUnavailable, build_report, write_all
from simulator.report.pdf import PdfConversionError
from simulator.scoring import resolve_rubric
from simulator.vocabulary import ACTIONS, KEYWORDS, OUTCOMES, figure_text, name_of, reason_text, when

RUBRIC_HELP = "评分细则 (default: the scenario's own, else built in)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description="应急处置桌面推演模拟器")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="运行一次推演 (run a drill from a plan)")
    run.set_defaults(func=_run)
    run.add_argument("scenario", type=Path)
    run.add_argument("--plan", type=Path, required=True)
    run.add_argument("--seed", type=seed_argument, default=None, help="随机种子 (default: the plan's own seed, else 0)")
    run.add_argument("--out", type=Path, default=None, help="输出目录 (default: runs/<scenario>-<plan>-<seed>)")
    run.add_argument("--rubric", type=Path, default=None, help=RUBRIC_HELP)
    run.add_argument(
        "--format", type=_formats, default=list(REPORT_FILES), help="报告格式 docx,md,xlsx,pdf (default: docx,md,xlsx)"
    )

    score = sub.add_parser("score", help="对已保存的推演重新评分 (rescore a saved run directory)")
    score.set_defaults(func=_score)
    score.add_argument("dir", type=Path)
    score.add_argument("--rubric", type=Path, default=None)
    score.add_argument("--previous", type=Path, default=None, help="同一队伍上一次推演的 score.json")
    score.add_argument(
        "--items", type=Path, default=None, help="本队的整改台账 .xlsx：逐项检验未销号的整改事项 (check the open items)"
    )

    report = sub.add_parser("report", help="生成调研报告 (write the report of a saved run directory)")
    report.set_defaults(func=_report)
    report.add_argument("dir", type=Path)
    report.add_argument(
        "--format", type=_formats, default=list(REPORT_FILES), help="docx,md,xlsx,pdf (default: docx,md,xlsx)"
    )

    validate = sub.add_parser("validate", help="检查场景或方案文件 (check scenario and plan files)")
    validate.set_defaults(func=_validate)
    validate.add_argument("files", type=Path, nargs="+")
    validate.add_argument(
        "--scenario",
        type=Path,
        default=None,
        help="核对方案所用的场景文件 (default: the plan's own scenario: among the files given, else in the library)",
    )

    schema = sub.add_parser("schema", help="输出 JSON Schema (print the JSON Schema of a file format)")
    schema.add_argument("format", choices=["scenario", "plan"], nargs="?", default="scenario")
    schema.set_defaults(func=_schema)

    batch = sub.add_parser(
        "batch",
        help="多种子批量运行与配对比较 (many seeded runs on Dask)",
        description="在 Dask 上以多个随机种子运行同一场景的方案，汇总结果与评分 (many seeded runs on Dask)",
    )
    batch.set_defaults(func=batch_command)
    batch.add_argument("scenario", type=Path)
    batch.add_argument("--plan", type=Path, required=True)
    batch.add_argument("--runs", type=_runs, required=True, help=f"运行次数 (number of seeds, 1..{MAX_RUNS})")
    batch.add_argument("--seed-base", type=seed_argument, default=0, help="第一个种子 (seeds are S .. S+N-1)")
    batch.add_argument("--compare", type=Path, default=None, help="第二个方案：同一批种子配对比较 (paired)")
    batch.add_argument("--scheduler", default=None, help="已有 Dask 集群的调度器地址，如 tcp://10.0.0.5:8786")
    batch.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help="本机工作进程数 (default: one per core, one per 25 runs at most)",
    )
    batch.add_argument("--chunk-size", type=_positive, default=None, help="每个任务的种子数 (default: automatic)")
    batch.add_argument("--rubric", type=Path, default=None, help=RUBRIC_HELP)
    batch.add_argument("--out", type=_table_file, default=None, help="结果表 FILE.csv 或 FILE.parquet")
    batch.add_argument(
        "--connect-timeout", type=_seconds, default=10.0, help="连接调度器的超时秒数 (seconds, default 10)"
    )

    export = sub.add_parser(
        "export-xlsx", help="把场景导出为 Excel 情景注入表 (write a scenario as an Excel MSEL workbook)"
    )
    export.add_argument("scenario", type=Path)
    export.add_argument("--out", type=Path, default=None, help="输出的 .xlsx (default: <scenario id>.xlsx)")
    export.set_defaults(func=export_xlsx_command)

    load = sub.add_parser(
        "import-xlsx", help="从 Excel 情景注入表导入场景 (read an Excel MSEL workbook into a scenario YAML)"
    )
    load.add_argument("workbook", type=Path)
    load.add_argument("--out", type=Path, default=None, help="输出的场景 YAML (default: <scenario id>.yaml)")
    load.set_defaults(func=import_xlsx_command)

    cases = sub.add_parser("cases", help="列出案例推演的真实案例 (list the real cases)")
    cases.set_defaults(func=_cases)

    case = sub.add_parser(
        "case",
        help="运行一个案例的方案并对照官方调查结论 (run a case's plan against the official findings)",
    )
    case.add_argument("case_id", metavar="CASE")
    case.add_argument("--seed", type=seed_argument, default=3, help="随机种子 (default 3)")
    case.add_argument(
        "--plan", default="actual", help="actual（实际处置，默认）、reference（参考处置）或方案文件 (or a plan FILE)"
    )
    case.set_defaults(func=_case)
    add_users_parser(sub)  # python -m simulator users add|list|password

    quick = sub.add_parser("parse", help="快速录入：把口述的决策转为方案 (parse spoken decisions into plan YAML)")
    quick.add_argument("scenario", metavar="SCENARIO", help="场景文件或场景库中的编号 (a scenario file or library id)")
    quick.add_argument("text", metavar="句子", help="一句或几句口述的决策 (one or more sentences)")
    quick.add_argument("--by", default=None, help="决策部门 (default: the scenario's duty office)")
    quick.add_argument("--at", type=_minute, default=0.0, help="决策时间，如 15 或 1h30m (default 0)")
    quick.set_defaults(func=parse_command)

    pack = sub.add_parser(
        "pack",
        help="生成推演资料包：情景卡片、导调脚本、评估表、签到表 (write the printed drill pack)",
        description="生成推演资料包：各席位情景卡片、导调脚本（导调组专用）、评估表和参演人员签到表",
    )
    pack.add_argument("scenario", metavar="SCENARIO", help="场景文件或场景库中的场景编号")
    pack.add_argument("--drill", default=None, metavar="CODE", help="推演码：封面和签到表写明该次推演的信息")
    pack.add_argument("--out", type=Path, required=True, help="输出目录")
    pack.add_argument("--format", type=_pack_formats, default=["docx"], help="docx,pdf (default: docx)")
    pack.set_defaults(func=pack_command)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except FileFormatError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1


# -- argument types shared by the commands ------------------------------------------------------------------------
def _bounded(convert: Callable[[str], float], low: float, high: float, expected: str) -> Callable[[str], Any]:
    """An argparse type: ``convert(text)`` between ``low`` and ``high``, else a usage error saying ``expected``."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{expected}: {text!r}")
        return value

    return parse


#: a seed the run's streams accept
seed_argument = _bounded(int, 0, 2**63 - 1, "种子应为 0 到 2^63-1 的整数 (seed must be an integer 0..2^63-1)")
_positive = _bounded(int, 1, math.inf, "应为正整数 (expected a positive integer)")
_seconds = _bounded(float, 0.001, 3600, "应为 0 到 3600 秒 (expected 0..3600 s)")
_runs = _bounded(int, 1, MAX_RUNS, f"运行次数应为 1 到 {MAX_RUNS} (runs must be 1..{MAX_RUNS})")


_minute = _bounded(parse_minutes, 0, 43_200, "应为推演时间，如 15、15m、1h30m (expected a sim minute)")


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    known = {**REPORT_FILES, **OPTIONAL_FILES}
    unknown = [f for f in formats if f not in known]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"报告格式应为 {','.join(known)} 中的一个或多个 (got {text!r})")
    return formats


def _table_file(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in (".csv", ".parquet"):
        raise argparse.ArgumentTypeError(f"输出文件应为 .csv 或 .parquet (got {text!r})")
    return path


# -- run, score, report ---------------------------------------------------------------------------------------
def _run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan)
    rubric = resolve_rubric(args.scenario, args.rubric)
    if args.seed is None:
        args.seed = plan.seed if plan.seed is not None else 0
    problem = foreign_plan(plan, scenario, str(args.plan))
    if problem is not None:
        raise FileFormatError([problem])
    load_plan(args.plan, scenario=scenario)  # every id it names exists in the scenario, before anything runs
    out = args.out or Path("runs") / f"{scenario.id}-{args.plan.stem.split('.')[-1]}-{args.seed}"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = Problem(str(out), None, "--out", f"无法创建输出目录 (cannot create): {exc.strerror}")
        raise FileFormatError([problem]) from None
    reference_path = reference_plan_path(args.scenario)
    reference = load_plan(reference_path) if reference_path else None
    result = single_run(scenario, plan, args.seed, reference=reference, rubric=rubric)
    write_run(out, args.scenario, plan, result.drill, reference_path)
    print(f"场景 {scenario.title}（种子 {args.seed}）：{len(result.log)} 个事件 → {out / 'events.jsonl'}")
    for line in outcome_lines(result):
        print(f"  {line}")
    _save_score(out, result)
    return _write_reports(out, result, args.format)


def outcome_lines(result: Experiment) -> list[str]:
    """The outcome figures and every decision that was not accepted, as a person reads them:
    ``险情得到控制：T+167（10:57）``, ``T+70（09:20） 下达处置措施未被受理：区卫健委尚未接到通知……``."""
    clock = result.scenario.start_clock
    lines = [f"{figure.label.zh}：{figure_text(key, result.outcome[key], clock)}" for key, figure in OUTCOMES.items()]
    for event in result.log.of("decision_rejected"):
        action = name_of(ACTIONS, event["action"])
        lines.append(f"{when(clock, event.t)} {action}未被受理：{reason_text(event['reason'])}")
    return lines


def _score(args: argparse.Namespace) -> int:
    previous = _read_json(args.previous) if args.previous else None
    items = _read_items(args.items) if args.items else None
    result = _load_run(args.dir, resolve_rubric(args.dir / "scenario.yaml", args.rubric), previous, items)
    _save_score(args.dir, result)
    if items is not None:
        print("\n".join(item_lines(result.score)))
    return 0


def _read_items(path: Path) -> list:
    from simulator.loop import read_items

    try:
        data = path.read_bytes()
    except OSError:
        raise FileFormatError([Problem(str(path), None, "", "文件不存在或无法读取 (file not found)")]) from None
    return read_items(data, str(path))


def item_lines(score: dict) -> list[str]:
    """Each open item's verdict on this drill, in Chinese: 已整改 (销号 proposed), 复发, or 不适用 (stays open)."""
    checked = score.get("items") or []
    if not checked:
        return ["整改台账中没有待检验的整改事项"]
    lines = [f"整改事项检验（{len(checked)}项）："]
    for n, item in enumerate(checked, start=1):
        verdict = item["verdict"]
        cited = next((ev for ev in item["evidence"] if ev.get("text")), None)
        why = f"：{cited['text']}" if cited is not None else (f"（{item['note']}）" if item.get("note") else "")
        if cited is not None and cited.get("event_id") is not None:
            why += f"（事件{cited['event_id']}）"
        head = f"{n}. “{item['problem']}”"
        if verdict == "fixed":
            lines.append(f"{head}已整改，建议以本次推演为据销号{why}")
        elif verdict == "recurred":
            lines.append(f"{head}复发{why}")
        else:
            lines.append(f"{head}不适用于本次推演场景，仍待检验{why}")
    return lines


def _report(args: argparse.Namespace) -> int:
    result = _load_run(args.dir, resolve_rubric(args.dir / "scenario.yaml"))
    score_path = args.dir / "score.json"
    if score_path.is_file():  # the score as it was saved (it may have been scored with another rubric)
        result = dataclasses.replace(result, score=_read_json(score_path))
    return _write_reports(args.dir, result, args.format)


def _save_score(out: Path, result: Experiment) -> None:
    score = result.score
    files.write_text(out / "score.json", json.dumps(score, ensure_ascii=False, indent=2))
    points = "  ".join(f"{k} {_points(score['keywords'][k]['score'])}" for k in KEYWORDS if k in score["keywords"])
    print(f"评分：{points}  总分 {_points(score['total'])}（{score['grade']}） → {out / 'score.json'}")


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _write_reports(out: Path, result: Experiment, formats: list[str]) -> int:
    case = find_case(result.scenario.id)  # a drill of a real case: its report compares it with the findings
    report = build_report(
        result.scenario,
        result.log,
        result.score,
        reference_outcome=result.reference_outcome,
        reference_score=result.reference_score,
        case=case.case if case is not None and case.scenario == result.scenario else None,
    )
    try:
        paths = write_all(report, out, formats)
    except (PdfUnavailable, PdfConversionError) as exc:  # no LibreOffice (the message says how to install it)
        print(exc, file=sys.stderr)
        return 1
    print("调研报告：" + "、".join(str(p) for p in paths))
    return 0


def _load_run(directory: Path, rubric, previous: dict | None = None, items: list | None = None) -> Experiment:
    """A run directory as ``run`` wrote it, scored again: its log against the reference plan re-run (same seed)."""
    if not directory.is_dir():
        raise FileFormatError([Problem(str(directory), None, "", "目录不存在 (not a directory)")])
    scenario = load_scenario(directory / "scenario.yaml")
    log = EventLog.read(directory / "events.jsonl")
    started = log.of("drill_started")
    if not started:
        raise FileFormatError([Problem(str(directory / "events.jsonl"), 1, "kind", "日志缺少 drill_started 事件")])
    reference_path = directory / "reference.plan.yaml"
    reference = load_plan(reference_path) if reference_path.is_file() else None
    seed = int(started[0]["seed"])
    return evaluate(scenario, log, seed, reference=reference, rubric=rubric, previous=previous, items=items)


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


def write_run(out: Path, scenario_path: Path, plan: Plan, drill: Drill, reference_path: Path | None) -> None:
    """A run directory is self-contained: the scenario, the plan, the reference plan, the seed, and the log."""
    for source, name in ((scenario_path, "scenario.yaml"), (reference_path, "reference.plan.yaml")):
        if source is not None and source.resolve() != (out / name).resolve():
            files.copy_file(source, out / name)
    files.write_text(out / "plan.yaml", yaml.safe_dump(plan.to_yaml_data(), allow_unicode=True, sort_keys=False))
    files.write_text(
        out / "run.json",
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
    )
    drill.log.write(out / "events.jsonl")


def _validate(args: argparse.Namespace) -> int:
    """Each file on its own, and each plan against its scenario: ``--scenario``, else the scenario its
    ``scenario:`` names among the files given, else in the library. A plan naming no scenario is checked alone."""
    failed = False
    checked: list[tuple[Path, str, Any]] = []  # path, kind, the model or the problems
    given: dict[str, Scenario] = {}
    for path in args.files:
        try:
            kind = _kind_of(path)
            model = {"scenario": load_scenario, "plan": load_plan, "case": load_case}[kind](path)
            if kind == "scenario":
                given.setdefault(model.id, model)
            checked.append((path, kind, model))
        except FileFormatError as exc:
            checked.append((path, "", exc.problems))
    chosen = load_scenario(args.scenario) if args.scenario is not None else None
    for path, kind, model in checked:
        if not kind:
            problems = model
        elif kind == "plan":
            problems = _against_scenario(path, model, chosen, given)
        elif kind == "case":
            problems = _case_problems(path, model, given)
        else:
            problems = []
        if problems:
            failed = True
            for problem in problems:
                print(problem, file=sys.stderr)
        else:
            print(f"{path}: 通过 ({kind} OK)")
    return 1 if failed else 0


def _against_scenario(path: Path, plan: Plan, chosen: Scenario | None, given: dict[str, Scenario]) -> list[Problem]:
    """The problems of ``plan`` in its scenario (none when it names no scenario and none was chosen)."""
    scenario = chosen or given.get(plan.scenario or "")
    beside = path.parent / f"{plan.scenario}.yaml"
    if scenario is None and plan.scenario is not None and beside.is_file() and beside.resolve() != path.resolve():
        try:  # a case's plans sit beside their scenario, as the library's do
            scenario = load_scenario(beside)
        except FileFormatError as exc:
            return exc.problems
    if scenario is None and plan.scenario is not None:
        entry = find(plan.scenario)
        if entry is None:
            message = (
                f"场景库中没有场景 {plan.scenario!r}，无法核对方案；可用 --scenario 指定场景文件 (scenario not found)"
            )
            return [Problem(str(path), None, "scenario", message)]
        scenario = entry.scenario
    if scenario is None:
        return []
    problem = foreign_plan(plan, scenario, str(path))
    if problem is not None:
        return [problem]
    try:
        load_plan(path, scenario=scenario)
    except FileFormatError as exc:
        return exc.problems
    return []


def _case_problems(path: Path, sheet, given: dict[str, Scenario]) -> list[Problem]:
    """A case sheet's scenario must exist: among the files given, else beside the sheet as ``<id>.yaml``."""
    if sheet.scenario in given:
        return []
    beside = path.parent / f"{sheet.scenario}.yaml"
    if not beside.is_file():
        message = f"找不到案例的场景文件 {beside.name} (the case's scenario file is missing)"
        return [Problem(str(path), None, "scenario", message)]
    try:
        scenario = load_scenario(beside)
    except FileFormatError as exc:
        return exc.problems
    if scenario.id != sheet.scenario:
        return [Problem(str(beside), None, "id", f"场景编号应为 {sheet.scenario!r} (the scenario's id differs)")]
    return []


def _kind_of(path: Path) -> str:
    """Scenarios have departments; plans have decisions; case sheets have findings."""
    raw, _ = compose(read_text(path), str(path))
    if isinstance(raw, dict) and "findings" in raw and "departments" not in raw:
        return "case"
    if isinstance(raw, dict) and "decisions" in raw and "departments" not in raw:
        return "plan"
    return "scenario"


# -- 案例推演 -------------------------------------------------------------------------------------------------
def _cases(args: argparse.Namespace) -> int:
    entries, errors = cases_catalog()
    for error in errors:
        for problem in error.problems:
            print(problem, file=sys.stderr)
    if not entries:
        print(f"案例库 {case_dir()} 中没有案例")
        return 1 if errors else 0
    print(f"案例推演：{len(entries)} 个真实案例（{case_dir()}）")
    for entry in entries:
        sheet = entry.case
        print(f"  {entry.id}")
        print(f"    {sheet.title}")
        print(
            f"    {_date_text(sheet.occurred)} · {sheet.place} · 官方调查结论 {len(sheet.findings)} 条"
            f" · 来源 {len(sheet.sources)} 个 · 方案：{'、'.join(_plan_label(p) for p in entry.plans)}"
        )
    return 1 if errors else 0


def _case(args: argparse.Namespace) -> int:
    from simulator.casework import compare, run_case  # imports the scoring only for this command

    entry = find_case(args.case_id)
    if entry is None:
        _, errors = cases_catalog()
        problems = [p for e in errors for p in e.problems if Path(p.file).name.startswith(f"{args.case_id}.")]
        if problems:
            raise FileFormatError(problems)
        message = f"案例库中没有案例 {args.case_id!r}；python -m simulator cases 列出全部案例 (no such case)"
        raise FileFormatError([Problem(str(case_dir()), None, "", message)])
    plan = args.plan if args.plan in ("actual", "reference") else Path(args.plan)
    result = run_case(entry, plan, args.seed)
    sheet = entry.case
    named = {k for f in sheet.findings if f.tested for k in f.keywords}
    print(f"案例：{sheet.title}（{_date_text(sheet.occurred)}，{sheet.place}）")
    print(f"方案：{_plan_label(plan) if isinstance(plan, str) else plan}（种子 {args.seed}）")
    for line in outcome_lines(result):
        print(f"  {line}")
    score = result.score
    print(f"评分：总分 {_points(score['total'])}（{score['grade']}）")
    for keyword in KEYWORDS:
        if keyword not in score["keywords"]:
            continue
        mark = "（官方调查结论涉及）" if keyword in named else ""
        print(f"  {keyword} {_points(score['keywords'][keyword]['score'])}{mark}")
    rows = compare(sheet, score)
    reproduced = sum(row.reproduced for row in rows)
    beyond = sum(not row.tested for row in rows)
    tail = f"，另有 {beyond} 条在推演范围以外" if beyond else ""
    print(f"官方调查结论对照：复现 {reproduced} 条，未复现 {sum(row.avoided for row in rows)} 条{tail}")
    clock = result.scenario.start_clock
    for number, row in enumerate(rows, start=1):
        finding = row.finding
        state = "已复现" if row.reproduced else ("未复现" if row.tested else "推演范围以外")
        print(f"  {number}. 【{state}】{finding.plain}（{'、'.join(finding.keywords)}）")
        source = row.source.title if row.source is not None else finding.source
        print(f"     “{finding.quote}”（{source}，{finding.where}）")
        for item in row.evidence:
            print(f"     {when(clock, item['t'])} {item['text']}")
    return 0


def _plan_label(name: str) -> str:
    return {"actual": "实际处置", "reference": "参考处置"}.get(name, name)


def _schema(args: argparse.Namespace) -> int:
    model = Scenario if args.format == "scenario" else Plan
    print(json.dumps(model.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))
    return 0
