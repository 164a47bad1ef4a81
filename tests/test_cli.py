"""The command line as a user meets it: outputs written, located errors, exit codes, no tracebacks."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys

import pytest

from simulator import EventLog
from simulator.cli import main
from tests.conftest import ROOT, SCENARIOS

COMMANDS = ("run", "score", "report", "validate", "schema", "batch", "export-xlsx", "import-xlsx")


def _cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _run_poor(seed: int, out, *more: str) -> subprocess.CompletedProcess:
    """``run`` of the hazchem scenario's poor plan (a drill with a refused decision) into ``out``."""
    return _cli(
        "run",
        SCENARIOS / "hazchem_leak.yaml",
        "--plan",
        SCENARIOS / "hazchem_leak.poor.yaml",
        "--seed",
        str(seed),
        "--out",
        out,
        *more,
    )


def test_run_writes_a_self_contained_run_directory(tmp_path):
    out = tmp_path / "run"
    done = _run_poor(4, out)
    assert done.returncode == 0, done.stderr
    assert "死亡人数" in done.stdout
    log = EventLog.read(out / "events.jsonl")
    assert log[0].kind == "drill_started" and log[-1].kind == "drill_ended"
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["seed"] == 4
    again = tmp_path / "again"
    _cli("run", out / "scenario.yaml", "--plan", out / "plan.yaml", "--seed", "4", "--out", again)
    assert (again / "events.jsonl").read_bytes() == (out / "events.jsonl").read_bytes()


def test_run_prints_outcomes_and_refusals_in_chinese_with_clock_times(tmp_path):
    done = _run_poor(3, tmp_path, "--format", "md")
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.splitlines()]
    # the poor plan orders the health commission before notifying it, at T+70 of a drill that starts at 08:10
    assert "T+70（09:20） 下达处置措施未被受理：区卫健委（120急救中心）尚未接到通知，请先通知再下达任务" in lines
    contained = next(line for line in lines if line.startswith("险情得到控制："))
    assert re.fullmatch(r"险情得到控制：(T\+\d+（\d\d:\d\d）|未控制)", contained)
    assert any(re.fullmatch(r"评分：迅速 [\d.]+  有序 .*总分 [\d.]+（不合格） → .*", line) for line in lines)
    read = "\n".join(line for line in lines if "→" not in line and "调研报告" not in line)  # lines without paths
    assert not re.search(r"[A-Za-z_]{3,}", read), read  # no ids, no English
    assert not re.search(r"T\+\d+\.\d", read)  # whole minutes


def test_help_lists_every_subcommand_and_nothing_in_the_package_imports_the_cli():
    done = _cli("--help")
    assert done.returncode == 0
    assert all(command in done.stdout for command in COMMANDS)
    for command in COMMANDS:  # each declares its arguments (in this process: quicker than a subprocess each)
        with contextlib.redirect_stdout(io.StringIO()) as shown, pytest.raises(SystemExit) as exit_:
            main([command, "--help"])
        assert exit_.value.code == 0 and shown.getvalue().startswith(f"usage: python -m simulator {command}")
    importers = [
        path.relative_to(ROOT)
        for path in (ROOT / "simulator").rglob("*.py")
        if path.name not in ("cli.py", "__main__.py")
        and re.search(r"^\s*(from simulator(\.cli| import cli)\b|import simulator\.cli)", path.read_text("utf-8"), re.M)
    ]
    assert importers == []


def test_validate_reports_file_line_field_and_exits_1(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("decisions:\n  - {at: soon, by: duty_office, action: close}\n", encoding="utf-8")
    done = _cli("validate", SCENARIOS / "hazchem_leak.yaml", broken)
    assert done.returncode == 1
    assert f"{broken}:2: decisions[0].at:" in done.stderr
    assert "Traceback" not in done.stderr
    assert "通过" in done.stdout


def test_usage_errors_exit_2_and_user_errors_exit_1(tmp_path):
    assert _cli("run").returncode == 2
    assert _cli("run", SCENARIOS / "hazchem_leak.yaml", "--plan", "x.yaml", "--seed", "abc").returncode == 2
    missing = _cli("run", tmp_path / "nope.yaml", "--plan", SCENARIOS / "hazchem_leak.poor.yaml")
    assert missing.returncode == 1 and "不存在" in missing.stderr and "Traceback" not in missing.stderr


def test_schema_is_json_schema_for_editors():
    done = _cli("schema", "scenario")
    schema = json.loads(done.stdout)
    assert "departments" in schema["properties"] and "answer_key" in schema["required"]


def test_run_scores_and_writes_the_report_and_score_rescores_the_same(tmp_path):
    out = tmp_path / "poor"
    done = _run_poor(2, out)
    assert done.returncode == 0, done.stderr
    assert "总分" in done.stdout and "不合格" in done.stdout
    for name in ("score.json", "report.docx", "report.md", "ledger.xlsx", "reference.plan.yaml"):
        assert (out / name).is_file(), name
    first = (out / "score.json").read_bytes()
    rescored = _cli("score", out)
    assert rescored.returncode == 0, rescored.stderr
    assert (out / "score.json").read_bytes() == first  # rescoring a saved log is deterministic

    (out / "report.md").unlink()
    only_md = _cli("report", out, "--format", "md")
    assert only_md.returncode == 0 and (out / "report.md").is_file()
    assert "存在问题" in (out / "report.md").read_text(encoding="utf-8")


def test_score_and_report_refuse_bad_input_cleanly(tmp_path):
    assert _cli("report", tmp_path / "missing").returncode == 1
    assert _cli("report", tmp_path, "--format", "odt").returncode == 2
    broken = tmp_path / "run"
    broken.mkdir()
    (broken / "scenario.yaml").write_text(
        (SCENARIOS / "hazchem_leak.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (broken / "events.jsonl").write_text('{"id": 1, "t": 0, "kind": "drill_started"}\nnot json\n', encoding="utf-8")
    done = _cli("score", broken)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{broken / 'events.jsonl'}:1: scenario:" in done.stderr
    assert f"{broken / 'events.jsonl'}:2:" in done.stderr
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("keywords: [1, 2\n", encoding="utf-8")
    done = _cli("score", broken, "--rubric", rubric)
    assert done.returncode == 1 and "Traceback" not in done.stderr
