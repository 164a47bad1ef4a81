"""The 调研报告's content over every bundled scenario × {reference, poor} × seeds 0–2 (issue 14).

What a district office checks before it accepts a draft: plain official language (no ids, English, decimal
minutes, machine words, repeated sentences, paragraphs shared word for word with another scenario's report); the
main text within six A4 pages on the GB/T 9704 grid; the poor plans' problems led by what cost lives; the
reference runs' casualties stated; a rectification per problem with a unit of the scenario and a date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from simulator.experiment import single_run
from simulator.formats import load_plan, load_scenario
from simulator.report import DrillFacts, build_report_of
from simulator.report.blocks import SubHeading, Table
from simulator.report.lint import LINES_PER_PAGE, MAX_PAGES, main_text_lines, problems, shared_paragraphs
from simulator.report.paging import TYPE_WIDTH, lines_of
from simulator.report.problems import CRITICAL
from simulator.report.rectification import OFFICE

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SEEDS = (0, 1, 2)
FACTS = DrillFacts(date=dt.date(2025, 6, 12), deadline_days=45)


def _ids() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob("*.yaml") if p.name.count(".") == 1)


@pytest.fixture(scope="module")
def runs():
    out = {}
    for sid in _ids():
        scenario = load_scenario(SCENARIOS / f"{sid}.yaml")
        reference = load_plan(SCENARIOS / f"{sid}.reference.yaml")
        for plan in ("reference", "poor"):
            chosen = reference if plan == "reference" else load_plan(SCENARIOS / f"{sid}.{plan}.yaml")
            for seed in SEEDS:
                exp = single_run(scenario, chosen, seed, reference=reference)
                out[(sid, plan, seed)] = (exp, build_report_of(exp), build_report_of(exp, FACTS))
    return out


def test_there_are_thirty_runs(runs):
    assert len(runs) == len(_ids()) * 2 * len(SEEDS) >= 30


def test_every_draft_passes_the_language_lint(runs):
    found = {key: problems(report) for key, (_, report, _) in runs.items()}
    assert not {k: v for k, v in found.items() if v}


def test_no_paragraph_recurs_across_scenarios(runs):
    by_scenario: dict[str, list] = {}
    for (sid, _, _), (_, report, dated) in runs.items():
        by_scenario.setdefault(sid, []).extend((report, dated))
    assert shared_paragraphs(by_scenario) == []


def test_main_text_fits_six_pages(runs):
    lines = {key: main_text_lines(report) for key, (_, report, _) in runs.items()}
    lines |= {(*key, "dated"): main_text_lines(dated) for key, (_, _, dated) in runs.items()}
    assert max(lines.values()) <= MAX_PAGES * LINES_PER_PAGE, lines
    assert min(lines.values()) > 3 * LINES_PER_PAGE  # the estimate counts a real report, not a stub


def test_a_long_draft_is_trimmed_as_an_editor_would(runs):
    """The office's own long objectives push the draft over six pages: 二 keeps at least eight key moments, then
    problems past the third move to 附件3 with a pointer; the outcome-critical ones are always told."""
    exp, report, _ = runs[("highrise_fire", "poor", 0)]
    aims = tuple(
        f"检验第{i}组参演单位在深夜高层住宅火灾中的接报研判、通知调度、现场指挥和信息报送能力" for i in range(1, 6)
    )
    long = build_report_of(exp, FACTS.model_copy(update={"objectives": aims}))
    assert main_text_lines(long) <= MAX_PAGES * LINES_PER_PAGE
    nodes, full = (next(b for b in r.section("二").blocks if isinstance(b, Table)) for r in (long, report))
    told = [b.text for b in long.section("五").blocks if isinstance(b, SubHeading)]
    assert 8 <= len(nodes.rows) < len(full.rows) or len(told) < len(long.problems)  # it was trimmed …
    assert len(nodes.rows) >= 8 and len(told) >= 3  # … no further than the stated order allows
    assert all(any(p.title in t for t in told) for p in long.problems if p.critical)
    rest = [p for p in long.problems if not any(p.title in t for t in told)]
    if rest:
        assert f"“{rest[0].title}" in long.section("五").text() and "附件3" in long.section("五").text()


def test_lines_break_where_libreoffice_breaks_them():
    width = TYPE_WIDTH
    assert lines_of("一" * 28, width) == 1  # 28 characters a line
    assert lines_of("一" * 27 + "。", width) == 1
    assert lines_of("一" * 28 + "。", width) == 2  # a closing mark never starts a line
    assert lines_of("一" * 27 + "（一" + "一" * 26, width) == 2  # an opening mark never ends a line …
    assert lines_of("一" * 27 + "（一" + "一" * 27, width) == 3  # … it goes down with what it opens
    assert lines_of("一" * 25 + "T+158", width) == 2  # a run of digits is not broken, nor fits in 3 cells


def test_poor_drafts_lead_with_outcome_critical_problems(runs):
    for (sid, plan, seed), (_, report, _) in runs.items():
        if plan != "poor":
            continue
        assert 3 <= len(report.problems) <= 5, (sid, seed)
        assert report.problems[0].kind in CRITICAL and report.problems[0].critical, (sid, seed, report.problems[0])
        body = report.section("五").text()
        assert body.index(report.problems[0].title) < body.index(report.problems[-1].title)


def test_hazchem_poor_names_the_termination_before_control(runs):
    _, report, _ = runs[("hazchem_leak", "poor", 2)]
    first = report.problems[0]
    assert first.kind == "closed_early" and "终止应急响应" in first.title
    assert "死亡" in first.consequence  # deaths after the response was closed


def test_reference_drafts_with_casualties_say_so(runs):
    checked = 0
    for (sid, plan, seed), (exp, report, _) in runs.items():
        dead, injured = exp.outcome["dead"], exp.outcome["injured"]
        if plan != "reference" or not (dead or injured):
            continue
        checked += 1
        text = report.section("四").text()
        assert "推演情景中" in text and (f"{dead}人死亡" in text if dead else f"{injured}人受伤" in text), (sid, seed)
    assert checked


def test_a_reference_run_with_points_lost_never_says_nothing_was_found(runs):
    for (sid, plan, seed), (_, report, _) in runs.items():
        against = [ev for ind in report.indicators for ev in ind.evidence if ev.against and ev.kind]
        if plan == "reference" and (any(i.lost > 0 for i in report.indicators) or against):
            assert report.problems, (sid, seed)


def test_each_problem_has_a_rectification_with_a_unit_and_a_date(runs):
    for (sid, _, seed), (exp, _, dated) in runs.items():
        units = {d.name for d in exp.scenario.departments} | {OFFICE}
        assert [r.problem for r in dated.rectifications] == [p.title for p in dated.problems]
        for r in dated.rectifications:
            assert r.owner in units, (sid, seed, r.owner)
            assert r.deadline == dt.date(2025, 7, 27) and r.deadline_text == "2025年7月27日"
            assert r.measure and r.acceptance and r.basis
