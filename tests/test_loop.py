"""The improvement loop (issue 18): a drill's problems become 整改 items, checked again in the team's next drill."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from simulator import load_plan, load_scenario
from simulator.errors import FileFormatError
from simulator.experiment import evaluate, single_run
from simulator.loop import Item, apply_check, check_open, items_from, items_workbook, read_items
from simulator.report.lint import problems as lint_problems
from simulator.report.model import build_report_of
from tests.conftest import SCENARIOS

SEED = 3
DAY1, DAY2 = dt.date(2026, 11, 2), dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def first(hazchem, poor_plan, reference_plan):
    """The team's first drill (the poor plan) and the items it leaves."""
    drill = single_run(hazchem, poor_plan, SEED, reference=reference_plan)
    return drill, items_from(drill, team="一队", drill_id=1, today=DAY1)


def _report_text(drill, heading: str) -> str:
    report = build_report_of(drill)
    assert not lint_problems(report)
    section = next(s for s in report.sections if s.heading.startswith(heading))
    return "".join(getattr(b, "text", "") for b in section.blocks)


def _loop(score: dict) -> dict[str, dict]:
    return {i["id"]: i for i in score["keywords"]["提升"]["indicators"] if i["id"].startswith("items_")}


def test_items_carry_the_reports_problems(first):
    drill, items = first
    assert items and all(i.status == "待整改" and i.team == "一队" and i.drill_id == 1 for i in items)
    assert all(i.owner and i.measure and i.acceptance and i.due == DAY1 + dt.timedelta(days=30) for i in items)
    unreached = next(i for i in items if i.kind == "unreached")
    assert "ecology" in unreached.subject["depts"]  # the departments the problem is about travel with it
    assert "items" not in drill.score  # scored without items: the loop is not part of the score at all
    assert not _loop(drill.score)
    first_drill = evaluate(drill.scenario, drill.log, SEED, items=[])  # a team's first drill: no open item
    loop = _loop(first_drill.score)
    assert loop and all(i["skipped"] and i["points"] == 0 for i in loop.values())
    assert first_drill.score["total"] == evaluate(drill.scenario, drill.log, SEED).score["total"]  # left out


def test_poor_then_reference_fixes_the_items_with_evidence(hazchem, reference_plan, first):
    _, items = first
    second = single_run(hazchem, reference_plan, SEED, reference=reference_plan, items=items)
    checked = check_open(items, hazchem, second.score, drill_id=2, today=DAY2)
    assert [c.verdict for _, c in checked] == ["fixed"] * len(items)
    assert all(i.status == "已整改待检验" and i.checks[-1].at == DAY2.isoformat() for i, _ in checked)
    unreached = next(c for i, c in checked if i.kind == "unreached")
    assert any("收到通知" in ev["text"] and ev["event_id"] for ev in unreached.evidence)  # cites the delivery
    loop = _loop(second.score)
    assert loop["items_fixed"]["points"] == loop["items_fixed"]["max"] > 0
    assert loop["items_recurred"]["points"] == loop["items_recurred"]["max"] > 0
    texts = [ev["text"] for ev in loop["items_fixed"]["evidence"]]
    assert any("前次推演（编号1）发现的“应参与处置的单位未通知到位”" in t for t in texts)
    assert {i["verdict"] for i in second.score["items"]} == {"fixed"}
    seven = _report_text(second, "七")
    assert "“应参与处置的单位未通知到位”" in seven and "已整改，建议以本次推演为据销号" in seven


def test_poor_twice_the_items_recur(hazchem, poor_plan, reference_plan, first):
    _, items = first
    late = dt.date(2026, 12, 10)  # after the items' deadline (30 days after the first drill)
    again = single_run(hazchem, poor_plan, SEED, reference=reference_plan, items=items, today=late)
    checked = check_open(items, hazchem, again.score, drill_id=2, today=DAY2)
    assert {c.verdict for _, c in checked} == {"recurred"}
    assert all(i.status == "复发" and c.evidence for i, c in checked)
    loop = _loop(again.score)
    assert loop["items_fixed"]["points"] == 0 and loop["items_recurred"]["points"] == 0
    assert all(ev["against"] and ev["facts"]["item"] for ev in loop["items_recurred"]["evidence"])
    assert "已过完成时限，本次再次出现" in loop["items_fixed"]["evidence"][0]["text"]
    early = evaluate(hazchem, again.log, SEED, reference=again.reference, items=items, today=DAY2)
    loop = _loop(early.score)  # before the deadline: not yet counted as unfixed, but the recurrences cost all the same
    assert loop["items_fixed"]["skipped"] and loop["items_recurred"]["points"] == 0 < loop["items_recurred"]["max"]
    assert "复发" in _report_text(again, "四") and "列为复发" in _report_text(again, "七")


def test_a_hazchem_item_on_a_flood_drill_is_not_applicable_and_stays_open(first):
    _, items = first
    hazchem_only = items[0].model_copy(
        update={"id": "D1-9", "kind": "measures", "keyword": "精准", "subject": {"measures": ["water_curtain"]}}
    )
    flood = load_scenario(SCENARIOS / "urban_flood.yaml")
    plan = load_plan(SCENARIOS / "urban_flood.reference.yaml")
    drill = single_run(flood, plan, SEED, items=[hazchem_only])
    [(item, check)] = check_open([hazchem_only], flood, drill.score, drill_id=3, today=DAY2)
    assert check.verdict == "not_applicable" and item.status == "待整改" and item.open
    assert len(item.checks) == 1  # the check is kept in the history all the same
    loop = _loop(drill.score)
    assert loop and all(i["skipped"] for i in loop.values())  # left out, not failed
    assert "均不适用于本次推演场景" in loop["items_fixed"]["evidence"][0]["text"]


def test_a_closed_item_is_not_checked_again(first, hazchem):
    _, items = first
    closed = items[0].model_copy(update={"status": "已销号"})
    assert check_open([closed], hazchem, first[0].score, drill_id=2, today=DAY2) == []
    assert (
        apply_check(closed, check_open(items[:1], hazchem, first[0].score, drill_id=2, today=DAY2)[0][1]).status
        == "已销号"
    )


def test_workbook_round_trip_and_located_errors(first):
    _, items = first
    edited = [items[0].model_copy(update={"status": "整改中", "notes": "已修订通知清单"}), *items[1:]]
    data = items_workbook(edited)
    assert items_workbook(edited) == data  # equal items, equal bytes
    back = read_items(data, "台账.xlsx")
    assert back == edited and all(isinstance(i, Item) for i in back)

    wb = load_workbook(io.BytesIO(data))
    ws = wb["问题整改台账"]
    headers = [c.value for c in ws[1]]
    assert headers[:9] == [
        "序号",
        "问题",
        "依据（时间/事件）",
        "关键词",
        "责任单位",
        "整改措施",
        "完成时限",
        "验收方式",
        "状态",
    ]
    ws.cell(row=3, column=headers.index("状态") + 1, value="差不多了")
    ws.cell(row=4, column=headers.index("完成时限") + 1, value="下周")
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(FileFormatError) as err:
        read_items(buf.getvalue(), "台账.xlsx")
    text = str(err.value)
    assert "台账.xlsx:3: 问题整改台账!I列（状态）" in text and "差不多了" in text
    assert "台账.xlsx:4: 问题整改台账!G列（完成时限）" in text
    with pytest.raises(FileFormatError, match="不是有效的 Excel"):
        read_items(b"not a workbook", "x.xlsx")


def test_cli_score_checks_a_saved_run_against_the_workbook(tmp_path, capsys, first):
    from simulator.cli import main

    _, items = first
    run = tmp_path / "run"
    plan = SCENARIOS / "hazchem_leak.poor.yaml"
    assert (
        main(["run", str(SCENARIOS / "hazchem_leak.yaml"), "--plan", str(plan), "--seed", "3", "--out", str(run)]) == 0
    )
    book = tmp_path / "台账.xlsx"
    book.write_bytes(items_workbook(items))
    capsys.readouterr()
    assert main(["score", str(run), "--items", str(book)]) == 0
    out = capsys.readouterr().out
    assert f"整改事项检验（{len(items)}项）" in out
    assert "“现场指挥体系未建立”复发：截至推演结束未设立现场指挥部" in out or "“现场指挥体系未建立”复发" in out

    wb = load_workbook(book)
    wb["问题整改台账"]["D2"] = "快速"
    wb.save(book)
    assert main(["score", str(run), "--items", str(book)]) == 1
    err = capsys.readouterr().err
    assert f"{book}:2: 问题整改台账!D列（关键词）" in err
