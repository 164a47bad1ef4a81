"""案例推演: every case in ``cases/`` (and the test fixture in ``tests/fixtures/cases/``) against its official findings.

For each case: the sheet loads and every id it names exists; the plan of what was actually done reproduces every
official finding on seeds 0–4; it scores below 75 on exactly the keywords the findings name (≥ 75 on the others),
so the real response loses points where the investigation faulted it and nowhere else; the reference plan scores
≥ 85 on seeds 0–4 and reproduces no finding. And the sourcing rules a reader relies on: every decision of the
actual plan cites a source of the sheet, every inject of the scenario has a source or an assumption beside it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from simulator.casework import compare
from simulator.engine import run_plan
from simulator.experiment import Experiment, evaluate
from simulator.formats.loader import compose
from simulator.library import CASE_DIR, Entry, case_entry, cases_catalog
from simulator.scoring import resolve_rubric
from simulator.vocabulary import KEYWORDS

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "cases"
SEEDS = range(5)
BELOW, REFERENCE_MIN = 75.0, 85.0


def _case_ids(directory: Path) -> list[tuple[Path, str]]:
    return [(directory, p.name.removesuffix(".case.yaml")) for p in sorted(directory.glob("*.case.yaml"))]


CASES = _case_ids(CASE_DIR) + _case_ids(FIXTURE_DIR)
IDS = [f"{'fixture' if d == FIXTURE_DIR else 'case'}:{ident}" for d, ident in CASES]


@cache
def _entry(directory: Path, ident: str) -> Entry:
    return case_entry(ident, directory)


@cache
def _run(directory: Path, ident: str, plan: str, seed: int) -> Experiment:
    entry = _entry(directory, ident)
    reference = _reference(directory, ident, seed)
    drill = reference if plan == "reference" else run_plan(entry.scenario, _plan(entry, plan), seed)
    return evaluate(entry.scenario, drill, seed, reference=reference, rubric=resolve_rubric(entry.path))


@cache
def _reference(directory: Path, ident: str, seed: int):
    entry = _entry(directory, ident)
    return run_plan(entry.scenario, _plan(entry, "reference"), seed)


def _plan(entry: Entry, name: str):
    from simulator.casework import case_plan

    return case_plan(entry, name)


def test_the_case_library_has_no_broken_case_and_finds_the_fixture():
    for directory in (CASE_DIR, FIXTURE_DIR):
        _, errors = cases_catalog(directory)
        assert not errors, "\n".join(str(p) for e in errors for p in e.problems)
    assert [e.id for e in cases_catalog(FIXTURE_DIR)[0]] == ["fixture_gas_leak"]


@pytest.mark.parametrize(("directory", "ident"), CASES, ids=IDS)
def test_the_sheet_names_only_what_exists_and_both_plans_fit_the_scenario(directory, ident):
    entry = _entry(directory, ident)  # loading checks sources, indicators and evidence kinds (located errors)
    assert entry.scenario.id == entry.case.scenario == ident
    assert {"actual", "reference"} <= set(entry.plans), f"{ident}: 缺少 actual 或 reference 方案"
    for name in ("actual", "reference"):
        _plan(entry, name)  # every department, measure and inject it names exists in the scenario


@pytest.mark.parametrize(("directory", "ident"), CASES, ids=IDS)
def test_the_actual_response_reproduces_every_finding_and_loses_points_on_exactly_their_keywords(directory, ident):
    sheet = _entry(directory, ident).case
    named = {k for f in sheet.findings if f.tested for k in f.keywords}
    failures = []
    for seed in SEEDS:
        score = _run(directory, ident, "actual", seed).score
        for row in compare(sheet, score):
            if not row.tested:
                continue  # a finding beyond the drill (supervision before the event): shown, never scored
            if not row.reproduced:
                failures.append(f"种子{seed}：未复现 {row.finding.id}（{row.finding.plain}）")
            else:  # the evidence names the events behind the finding
                assert all(item["event_id"] is not None and item["text"] for item in row.evidence)
        for keyword in KEYWORDS:
            value = score["keywords"][keyword]["score"]
            if keyword in named and not (value is not None and value < BELOW):
                failures.append(f"种子{seed}：{keyword} {value} 应低于 {BELOW:g}（官方结论涉及）")
            if keyword not in named and (value is None or value < BELOW):
                failures.append(f"种子{seed}：{keyword} {value} 应不低于 {BELOW:g}（官方结论未涉及）")
    assert not failures, f"{ident} 实际处置：\n" + "\n".join(failures)


@pytest.mark.parametrize(("directory", "ident"), CASES, ids=IDS)
def test_the_reference_response_scores_85_and_reproduces_no_finding(directory, ident):
    sheet = _entry(directory, ident).case
    failures = []
    for seed in SEEDS:
        score = _run(directory, ident, "reference", seed).score
        if score["total"] < REFERENCE_MIN:
            failures.append(f"种子{seed}：总分 {score['total']} 低于 {REFERENCE_MIN:g}")
        rows = compare(sheet, score)
        failures += [f"种子{seed}：复现了 {r.finding.id}（{r.finding.plain}）" for r in rows if r.reproduced]
    assert not failures, f"{ident} 参考处置：\n" + "\n".join(failures)


@pytest.mark.parametrize(("directory", "ident"), CASES, ids=IDS)
def test_every_decision_of_the_actual_response_and_every_inject_cites_its_source(directory, ident):
    entry = _entry(directory, ident)
    sources = {s.id for s in entry.case.sources}
    actual = _plan(entry, "actual")
    unsourced = [
        f"第{i + 1}项决策（{d.action}）"
        for i, d in enumerate(actual.decisions)
        if d.by != "control" and not ("来源" in (d.note or "") and any(s in (d.note or "") for s in sources))
    ]
    assert not unsourced, f"{ident}.actual.yaml 的 note 未注明来源（来源：{'/'.join(sorted(sources))}）：" + "、".join(
        unsourced
    )
    for name in ("actual", "reference"):  # a drill imported into the console replays decisions in file order
        times = [d.at for d in _plan(entry, name).decisions]
        assert times == sorted(times), f"{ident}.{name}.yaml：决策应按时间先后排列"
    text = entry.path.read_text(encoding="utf-8")
    _, node = compose(text, str(entry.path))
    lines = text.splitlines()
    injects = next((v for k, v in node.value if k.value == "injects"), None)
    if injects is None:
        return
    start = injects.start_mark.line - 1  # an inject's window: its own lines and the comments just above them
    uncited = []
    for item in injects.value:
        end = _last_line(item) + 1
        window = "\n".join(lines[max(0, start) : end])
        if not re.search(r"来源|假定|约", window):
            uncited.append(str(_inject_id(item)))
        start = end
    assert not uncited, f"{entry.path.name}：这些情景注入旁没有“来源/假定/约”注释：{', '.join(uncited)}"


def _last_line(node: yaml.Node) -> int:
    """The last line a node's own text is on (a block's end mark lies past the comments that follow it)."""
    if isinstance(node, yaml.MappingNode):
        return max((_last_line(v) for _, v in node.value), default=node.start_mark.line)
    if isinstance(node, yaml.SequenceNode):
        return max((_last_line(v) for v in node.value), default=node.start_mark.line)
    return node.end_mark.line


def _inject_id(item: yaml.Node) -> str:
    if isinstance(item, yaml.MappingNode):
        for key, value in item.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode):
                return value.value
    return f"第{item.start_mark.line + 1}行"


# -- the format, the library and the CLI on the fixture ------------------------------------------------------
def test_a_sheet_naming_what_does_not_exist_is_refused_with_each_problem_located():
    from simulator.errors import FileFormatError
    from simulator.formats.case import load_case

    text = (FIXTURE_DIR / "fixture_gas_leak.case.yaml").read_text(encoding="utf-8")
    broken = (
        text.replace(
            "source: T1\n    where: 第四部分 存在的主要问题\n    plain: 未开展",
            "source: T9\n    where: 第四部分 存在的主要问题\n    plain: 未开展",
        )
        .replace("indicators: [stand_down]", "indicators: [no_such_indicator]")
        .replace("evidence: [review_missing]", "evidence: [review_submitted]")
        .replace("indicators: [level]", "indicators: [notify_time]")
    )
    with pytest.raises(FileFormatError) as caught:
        load_case("broken.case.yaml", broken.encode("utf-8"))
    found = {(p.field, p.line) for p in caught.value.problems}
    lines = broken.splitlines()
    assert found == {
        ("findings[0].indicators[0]", 1 + lines.index("    indicators: [notify_time]")),
        ("findings[1].indicators[0]", 1 + lines.index("    indicators: [no_such_indicator]")),
        ("findings[2].source", 1 + lines.index("    source: T9")),
        ("findings[2].evidence[0]", 1 + lines.index("    evidence: [review_submitted]")),
    }


def test_the_cli_lists_the_cases_and_sets_a_plan_beside_the_official_findings(monkeypatch, capsys):
    from simulator.cli import main

    monkeypatch.setenv("DRILL_CASE_DIR", str(FIXTURE_DIR))
    assert main(["cases"]) == 0
    listed = capsys.readouterr().out
    assert "fixture_gas_leak" in listed and "官方调查结论 4 条" in listed and "2020年1月1日" in listed

    assert main(["case", "fixture_gas_leak"]) == 0
    out = capsys.readouterr().out
    assert "复现 3 条，未复现 0 条，另有 1 条在推演范围以外" in out and "【已复现】险情未排除即通知群众返回" in out
    assert "【推演范围以外】日常监管不到位" in out  # a finding no drill can reproduce is shown, never scored
    assert "“泄漏点尚未得到有效控制，即通知疏散群众返回”（测试用虚构调查报告，第三部分 应急处置评估）" in out
    assert "T+30（07:40） 城南燃气有限公司" in out  # the evidence behind it: its time and the event
    assert re.search(r"^  精准 \d+\.\d（官方调查结论涉及）$", out, re.M) and "  有序 90.0\n" in out

    assert main(["case", "fixture_gas_leak", "--plan", "reference", "--seed", "0"]) == 0
    assert "复现 0 条，未复现 3 条，另有 1 条在推演范围以外" in capsys.readouterr().out

    assert main(["case", "no_such_case"]) == 1
    assert "案例库中没有案例 'no_such_case'" in capsys.readouterr().err


def test_validate_checks_a_case_sheet_and_its_plans_against_the_scenario_beside_them(capsys):
    from simulator.cli import main

    files = [str(p) for p in sorted(FIXTURE_DIR.glob("fixture_gas_leak*.yaml"))]
    assert main(["validate", *files[:3]]) == 0  # actual, case sheet, reference: the scenario found beside them
    out = capsys.readouterr().out
    assert "fixture_gas_leak.case.yaml: 通过 (case OK)" in out and out.count("通过 (plan OK)") == 2


def test_the_report_of_a_case_drill_quotes_the_findings_it_reproduced_and_names_those_it_avoided():
    from simulator.report import build_report_of, render_markdown

    entry = _entry(FIXTURE_DIR, "fixture_gas_leak")
    actual = build_report_of(_run(FIXTURE_DIR, "fixture_gas_leak", "actual", 3), case=entry.case)
    assert actual.attachment_titles[-1] == "与真实事件调查结论对照"
    text = actual.section("附件4").text()
    assert "本次推演重现了其中3条" in text and "本次推演避免的问题" not in text
    assert "另有1条结论涉及事前监管等推演范围以外的问题" in text and "推演范围以外的调查结论" in text
    assert "调查结论：“泄漏点尚未得到有效控制，即通知疏散群众返回”（测试用虚构调查报告，第三部分 应急处置评估）" in text
    assert "本次推演中：T+30（07:40），城南燃气有限公司" in text
    assert "以内置燃气泄漏场景为底本。“实际处置”初判" in text  # the summary as one paragraph, no folded spaces
    markdown = render_markdown(actual)
    assert "4．与真实事件调查结论对照" in markdown and "## 附件4　与真实事件调查结论对照" in markdown

    avoided = build_report_of(_run(FIXTURE_DIR, "fixture_gas_leak", "reference", 3), case=entry.case)
    text = avoided.section("附件4").text()
    assert "重现了其中0条" in text and "（一）本次推演避免的问题" in text and "1．响应级别判断偏低。" in text
    assert build_report_of(_run(FIXTURE_DIR, "fixture_gas_leak", "reference", 3)).attachment_titles == (
        "评分明细",
        "推演记录",
        "问题整改台账",
    )


def test_a_case_is_found_by_its_id_and_no_user_scenario_shadows_it(monkeypatch, tmp_path):
    from simulator import library
    from simulator.errors import FileFormatError

    monkeypatch.setenv("DRILL_CASE_DIR", str(FIXTURE_DIR))
    monkeypatch.setenv("DRILL_SCENARIO_DIR", str(tmp_path))
    text = (FIXTURE_DIR / "fixture_gas_leak.yaml").read_text(encoding="utf-8")
    (tmp_path / "fixture_gas_leak.yaml").write_text(text, encoding="utf-8")  # a user scenario with the case's id
    entries, errors = library.catalog()
    assert "fixture_gas_leak" not in [e.id for e in entries]  # the scenarios list no case, and not the impostor
    assert any("与案例 fixture_gas_leak.yaml 同名" in str(p) for e in errors for p in e.problems)
    found = library.find("fixture_gas_leak")  # a stored drill of the case resolves to the case
    assert found is not None and found.case is not None and found.path.parent == FIXTURE_DIR
    with pytest.raises(FileFormatError, match="案例已使用编号"):
        library.save_user_scenario(found.scenario, text, overwrite=True)


def test_a_finding_gives_both_indicators_and_evidence_or_neither():
    from simulator.errors import FileFormatError
    from simulator.formats.case import load_case

    text = (FIXTURE_DIR / "fixture_gas_leak.case.yaml").read_text(encoding="utf-8")
    sheet = load_case("ok.case.yaml", text.encode("utf-8"))
    assert [f.tested for f in sheet.findings] == [True, True, True, False]
    untested = "    plain: 日常监管不到位（推演范围以外）\n"
    half = text.replace(untested, untested + "    indicators: [level]\n")
    with pytest.raises(FileFormatError) as caught:
        load_case("half.case.yaml", half.encode("utf-8"))
    assert any("indicators 与 evidence 应同时给出" in p.message for p in caught.value.problems)


def test_a_finding_about_some_measures_is_reproduced_only_by_evidence_about_them():
    from simulator.formats.case import Finding, reproduced_by

    def item(measure):
        return {"against": True, "t": 1, "event_id": 1, "facts": {"kind": "measure_missing", "measure": measure}}

    score = {"keywords": {"精准": {"indicators": [{"id": "measures", "evidence": [item("cordon")]}]}}}
    about = {"quote": "未关闭阀门", "source": "A1", "plain": "未关阀", "keywords": ["精准"], "indicators": ["measures"]}
    valves = Finding(id="G1", evidence=["measure_missing"], measures=["shut_off_gas"], **about)
    anything = Finding(id="G2", evidence=["measure_missing"], **about)
    assert reproduced_by(valves, score) == []  # the missing cordon is not the valves
    assert reproduced_by(anything, score) == [item("cordon")]
    score["keywords"]["精准"]["indicators"][0]["evidence"].append(item("shut_off_gas"))
    assert [i["facts"]["measure"] for i in reproduced_by(valves, score)] == ["shut_off_gas"]


def test_a_finding_naming_a_measure_the_scenario_lacks_is_refused(tmp_path):
    from simulator.errors import FileFormatError
    from simulator.library import case_entry

    for path in FIXTURE_DIR.glob("fixture_gas_leak*.yaml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    sheet = tmp_path / "fixture_gas_leak.case.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(
        text.replace(
            "    evidence: [stand_down_premature]\n", "    evidence: [stand_down_premature]\n    measures: [no_such]\n"
        ),
        encoding="utf-8",
    )
    with pytest.raises(FileFormatError) as caught:
        case_entry("fixture_gas_leak", tmp_path)
    assert any(p.field == "findings[1].measures" and "no_such" in p.message for p in caught.value.problems)
