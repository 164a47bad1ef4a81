"""Issue 16, finding 13: a plan is checked against its scenario. A typo in a department, a measure, a measure's
parameter or place, or an inject is the author's error: ``validate`` reports it located (``file:line: field:
message``, exit 1), with the plan's own ``scenario:`` or ``--scenario``; ``run`` refuses the plan before running
(it used to exit 0 while the typo silently rejected a chain of decisions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import FileFormatError, load_plan, load_scenario
from simulator.cli import main
from tests.conftest import SCENARIOS

TYPOS = """\
scenario: hazchem_leak
decisions:
  - {at: 4m, by: duty_office, action: notify, to: [ema, fire, police, health, street, firemen]}
  - {at: 10m, by: duty_office, action: order, measure: water_curtian, department: fire}
  - {at: 10m, by: duty_office, action: order, measure: evacuate, department: street, params: {radius: 1500}}
  - {at: 12m, by: duty_office, action: establish_command_post, groups: [{name: 医疗救治组, lead: helth, owner: 刘敏}]}
  - {at: 13m, by: control, action: hold_inject, inject: i99}
"""


def _write(tmp_path: Path, text: str, name: str = "typos.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path, text: str) -> list[str]:
    assert text.count(str(path)) >= 1, text
    return [line for line in text.splitlines() if line.startswith(f"{path}:")]


def test_validate_reports_every_unknown_id_on_its_line(tmp_path, capsys):
    path = _write(tmp_path, TYPOS)
    assert main(["validate", str(path)]) == 1  # the plan's own scenario: hazchem_leak, from the library
    lines = _problems(path, capsys.readouterr().err)
    expected = {
        f"{path}:3: decisions[0].to[5]: 未知的部门 'firemen'",
        f"{path}:4: decisions[1].measure: 未知的措施 'water_curtian'",
        f"{path}:5: decisions[2].params.radius: ",
        f"{path}:6: decisions[3].groups[0].lead: 未知的部门 'helth'",
        f"{path}:7: decisions[4].inject: 未知的情景注入 'i99'",
    }
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    joined = "\n".join(lines)
    assert "是否为 fire" in joined and "是否为 water_curtain" in joined and "radius_m" in joined


def test_validate_with_scenario_option_and_a_plan_naming_none(tmp_path, capsys):
    path = _write(tmp_path, TYPOS.replace("scenario: hazchem_leak\n", ""))
    assert main(["validate", str(path)]) == 0  # naming no scenario, the plan is checked on its own
    capsys.readouterr()
    assert main(["validate", str(path), "--scenario", str(SCENARIOS / "hazchem_leak.yaml")]) == 1
    assert "未知的措施 'water_curtian'" in capsys.readouterr().err


def test_run_refuses_such_a_plan_before_running(tmp_path, capsys):
    path = _write(tmp_path, TYPOS)
    out = tmp_path / "out"
    code = main(["run", str(SCENARIOS / "hazchem_leak.yaml"), "--plan", str(path), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{path}:3: decisions[0].to[5]: 未知的部门 'firemen'" in err
    assert not (out / "events.jsonl").exists()


def test_an_unknown_place_of_a_measure_is_located(tmp_path):
    flood = load_scenario(Path(__file__).parent / "fixtures" / "flood_min.yaml")
    text = (
        "decisions:\n"
        "  - {at: 1m, by: duty_office, action: notify, to: [water]}\n"
        "  - {at: 5m, by: duty_office, action: order, measure: deploy_pumps, department: water,\n"
        "     params: {site: s_undrpass, units: 4}}\n"
    )
    with pytest.raises(FileFormatError) as caught:
        load_plan("pumps.yaml", text.encode(), scenario=flood)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (4, "decisions[1].params.site")
    assert "'s_undrpass' 不存在" in problem.message and "s_underpass（解放路下穿隧道）" in problem.message


def test_the_bundled_plans_pass_against_their_scenarios(capsys):
    files = sorted(str(p) for p in SCENARIOS.glob("*.yaml") if not p.name.endswith(".rubric.yaml"))
    assert main(["validate", *files]) == 0, capsys.readouterr().err


def test_a_plan_of_another_scenario_gets_one_problem_not_a_flood(tmp_path, capsys):
    path = _write(tmp_path, TYPOS.replace("scenario: hazchem_leak", "scenario: urban_flood"))
    assert main(["validate", str(path), "--scenario", str(SCENARIOS / "hazchem_leak.yaml")]) == 1
    lines = _problems(path, capsys.readouterr().err)
    assert len(lines) == 1 and "urban_flood" in lines[0]


def test_the_batch_runner_refuses_it_before_any_worker_starts(tmp_path):
    from simulator.batch.running import make_job

    path = _write(tmp_path, TYPOS)
    with pytest.raises(FileFormatError) as caught:
        make_job(SCENARIOS / "hazchem_leak.yaml", [path])
    assert any("water_curtian" in p.message and p.line == 4 for p in caught.value.problems)
