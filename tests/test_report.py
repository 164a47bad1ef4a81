"""The 调研报告 draft, its 任务台账 and exports (simulator.report), on the hazchem scenario's two plans.

Covers: the .docx layout GB/T 9704 asks for (headings, A4 and margins, East Asian fonts, page numbers, the two
embedded charts); problems drafted from the real scorer's lost points with times from the log; the trainees'
review used where given and 【待补充】 where not; the xlsx ledger round trip; nothing in the report that the
log does not hold; byte-stable output; and that the library never imports the UI's stack.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from simulator import run_plan
from simulator.formats.plan import REVIEW_SECTIONS
from simulator.report import (
    HEADINGS,
    TODO,
    build_report,
    charts,
    render_markdown,
    write_all,
    write_docx,
)
from simulator.report.blocks import RECTIFICATION_COLUMNS, joined
from simulator.report.docx import docx_bytes
from simulator.report.facts import DrillFacts, Participant
from simulator.report.ledger import ledger_bytes
from simulator.scoring import score_drill
from simulator.vocabulary import clock_text

ROOT = Path(__file__).resolve().parents[1]
SEED = 1
#: section of the report for each review key (三 … 七)
REVIEW_TO_SECTION = {"原因和特点": "三", "处置成效": "四", "存在问题": "五", "创新点": "六", "改进方向": "七"}


@pytest.fixture(scope="module")
def scenario(hazchem):
    return hazchem


@pytest.fixture(scope="module")
def drills(scenario, reference_plan, poor_plan):
    return {"reference": run_plan(scenario, reference_plan, SEED), "poor": run_plan(scenario, poor_plan, SEED)}


@pytest.fixture(scope="module")
def scores(scenario, drills):
    ref_log = drills["reference"].log
    return {name: score_drill(scenario, d.log, reference=ref_log) for name, d in drills.items()}


@pytest.fixture(scope="module")
def reports(scenario, drills, scores):
    ref = drills["reference"]
    return {
        name: build_report(
            scenario, d.log, scores[name], reference_outcome=ref.outcome(), reference_score=scores["reference"]
        )
        for name, d in drills.items()
    }


@pytest.fixture(scope="module")
def written(reports, tmp_path_factory):
    out = {}
    for name, report in reports.items():
        folder = tmp_path_factory.mktemp(name)
        out[name] = write_all(report, folder)
    return out


def _body_paragraphs(document):
    return [p for p in document.paragraphs if p.text.strip()]


def _east_asia(element) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


# -- the docx -------------------------------------------------------------------------------------------------
def test_write_all_writes_three_files(written):
    for paths in written.values():
        assert [p.name for p in paths] == ["report.docx", "report.md", "ledger.xlsx"]
        assert all(p.is_file() and p.stat().st_size > 0 for p in paths)


def test_write_all_takes_a_subset_and_rejects_unknown_formats(reports, tmp_path):
    assert [p.name for p in write_all(reports["poor"], tmp_path, formats={"md"})] == ["report.md"]
    with pytest.raises(ValueError, match="odt"):
        write_all(reports["poor"], tmp_path, formats={"odt"})


@pytest.mark.parametrize("name", ["reference", "poor"])
def test_docx_has_title_and_the_seven_headings(written, reports, name):
    document = docx.Document(str(written[name][0]))
    paragraphs = _body_paragraphs(document)
    assert paragraphs[0].text == reports[name].title
    assert paragraphs[0].text.startswith("关于“") and paragraphs[0].text.endswith("”桌面推演情况的调研报告")
    level_one = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert level_one == list(HEADINGS)
    texts = [p.text for p in paragraphs]
    assert any(t.startswith("附件：1．评分明细") for t in texts)
    for n in (1, 2, 3):
        assert f"附件{n}" in texts


def test_docx_fonts_are_set_for_east_asian_text(written):
    document = docx.Document(str(written["poor"][0]))
    styles = document.styles
    expected = {
        "Normal": ("仿宋_GB2312", 16),
        "Heading 1": ("黑体", 16),
        "Heading 2": ("楷体_GB2312", 16),
        "公文标题": ("方正小标宋简体", 22),
        "公文正文": ("仿宋_GB2312", 16),
    }
    for name, (font, size) in expected.items():
        style = styles[name]
        assert _east_asia(style.element) == font, name
        assert style.font.name == font  # the Latin one too
        assert style.font.size == Pt(size), name
        fonts = style.element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None
    paragraphs = _body_paragraphs(document)
    title_run = paragraphs[0].runs[0]
    assert _east_asia(title_run._r) == "方正小标宋简体" and title_run.font.size == Pt(22)
    assert paragraphs[0].style.paragraph_format.alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER
    for p in paragraphs:
        if p.style.name == "Heading 1":
            assert _east_asia(p.runs[0]._r) == "黑体"
        elif p.style.name == "Heading 2":
            assert _east_asia(p.runs[0]._r) == "楷体_GB2312"
    body = [p for p in paragraphs if p.style.name == "公文正文"]
    assert body and all(p.style.paragraph_format.first_line_indent == Pt(32) for p in body)


def test_docx_page_numbers_are_dashed_page_fields_in_4hao(written):
    document = docx.Document(str(written["poor"][0]))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):  # odd right, even left
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert 'w:fldCharType="begin"' in xml and "PAGE" in xml and 'w:fldCharType="end"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p.alignment == align
        assert all(r.font.size == Pt(14) for r in p.runs)


def test_docx_embeds_the_radar_the_task_chart_and_the_site_map_at_two_key_moments(written):
    document = docx.Document(str(written["reference"][0]))
    shapes = list(document.inline_shapes)
    assert len(shapes) == 4  # radar, Gantt, the map when first judged and when controlled
    images = [p for p in document.part.package.parts if p.content_type == "image/png"]
    assert len(images) == 4 and all(p.blob.startswith(b"\x89PNG") for p in images)
    captions = [p.text for p in document.paragraphs if p.text.startswith("现场态势示意图")]
    assert [c.split("，")[0] for c in captions] == ["现场态势示意图：初步研判时", "现场态势示意图：险情得到控制时"]
    assert max(s.width for s in shapes) <= Mm(156)  # within the type area


# -- the content ----------------------------------------------------------------------------------------------
def test_sections_are_the_seven_in_order(reports):
    for report in reports.values():
        assert tuple(s.heading for s in report.sections) == HEADINGS


def test_poor_plan_problems_cite_log_events_and_each_gets_a_rectification(reports, drills, scenario):
    report, log = reports["poor"], drills["poor"].log
    problems = report.section("五").text()
    assert 3 <= len(report.problems) <= 5
    for p in report.problems:
        assert p.title in problems and p.what in problems
        assert all(log.by_id(i) is not None for i in p.event_ids)
    assert "未设立现场指挥部" in problems
    owners = {d.name for d in scenario.departments} | {"区政府办公室"}
    assert [r.problem for r in report.rectifications] == [p.title for p in report.problems]
    assert all(r.owner in owners for r in report.rectifications)
    improvements = report.section("七").text()
    assert all(r.measure in improvements and r.owner in improvements for r in report.rectifications)


def test_reference_review_is_quoted_and_with_the_drill_facts_nothing_is_left_to_complete(scenario, drills, scores):
    ref = drills["reference"]
    facts = DrillFacts(
        date=dt.date(2025, 6, 12),
        venue="区应急指挥中心",
        organiser="滨海区人民政府办公室",
        director=("区应急管理局",),
        evaluators=("区应急管理局", "区消防救援支队"),
        participants=(Participant(unit="区政府总值班室", people=4),),
        objectives=("检验液氯泄漏的接报研判和协同处置",),
    )
    report = build_report(
        scenario,
        ref.log,
        scores["reference"],
        reference_outcome=ref.outcome(),
        reference_score=scores["reference"],
        facts=facts,
    )
    review = ref.log.of("review_submitted")[-1]["sections"]
    assert set(review) == set(REVIEW_SECTIONS)
    for key, prefix in REVIEW_TO_SECTION.items():
        section = report.section(prefix)
        assert not section.needs_input, key
        assert joined(review[key]) in section.text()
    assert TODO not in render_markdown(report)
    assert "2025年6月12日" in report.section("一").text() and report.closing[0] == "滨海区人民政府办公室"
    assert all(r.deadline == dt.date(2025, 7, 12) for r in report.rectifications)


def test_poor_plan_without_review_or_facts_marks_drafts_for_completion(reports):
    report = reports["poor"]
    for prefix in ("一", "三", "五", "六"):
        assert report.section(prefix).needs_input, prefix
    assert not report.section("二").needs_input


def test_report_holds_only_what_the_log_holds(reports, drills, scenario):
    departments = {d.id: d.name for d in scenario.departments}
    for name, report in reports.items():
        log = drills[name].log
        assert not report.ungrounded
        for row in report.timeline:
            event = log.by_id(row.event_id)
            assert (event.t, event.kind) == (row.t, row.kind)
            assert row.dept_id is None or row.dept_id in departments
            assert row.dept in departments.values() or (row.dept_id is None and row.dept in ("—", "现场指挥部"))
            assert row.clock == clock_text(scenario.start_clock, event.t)
        for ind in report.indicators:
            for ev in ind.evidence:
                if ev.event_id is not None:
                    assert log.by_id(ev.event_id).t == ev.t
        ordered = {e["task"]: e for e in log.of("task_ordered")}
        assert [r.task for r in report.ledger] == list(ordered)
        for row in report.ledger:
            event = ordered[row.task]
            assert (row.dept_id, row.owner, row.ordered_at) == (event["dept"], event["owner"], event.t)
        # every "T+N（HH:MM）" the report prints is the minute of an event of the log (or of the reference
        # run's log, which 四、处置成效 compares against)
        minutes = {math.floor(e.t) for e in (*log, *drills["reference"].log)}
        text = render_markdown(report)
        for minute, clock in re.findall(r"T\+(\d+)（(\d\d:\d\d)）", text):
            assert int(minute) in minutes and clock == clock_text(scenario.start_clock, int(minute))
        ended = log.of("drill_ended")[-1]["outcome"]
        figures = {r.key: r.value for r in report.outcome}
        assert figures["injured"] == f"{ended['injured']}人" and figures["dead"] == f"{ended['dead']}人"


def test_outcome_is_compared_with_the_reference(reports, drills):
    rows = {r.key: r for r in reports["poor"].outcome}
    ref = drills["reference"].outcome().as_dict()
    assert rows["injured"].reference == f"{ref['injured']}人"
    assert rows["injured"].comparison and rows["injured"].comparison != "—"


def test_evidence_citing_no_event_of_the_log_is_left_out(scenario, drills):
    log = drills["poor"].log
    score = {
        "total": 10.0,
        "grade": "不合格",
        "keywords": {
            "有序": {
                "score": 0.0,
                "indicators": [
                    {
                        "id": "command_post_first",
                        "name": "先设指挥部再下达任务",
                        "points": 0,
                        "max": 25,
                        "evidence": [
                            {"event_id": len(log), "t": 0, "text": "T+180分 截至推演结束未设立现场指挥部"},
                            {"event_id": 10_000, "t": 3, "text": "凭空出现的事件"},
                        ],
                    }
                ],
            }
        },
    }
    report = build_report(scenario, log, score)
    (indicator,) = [i for i in report.indicators if i.id == "command_post_first"]
    assert [ev.t for ev in indicator.evidence] == [log.by_id(len(log)).t]  # the log's time, not 0
    assert "凭空出现" not in render_markdown(report)
    assert report.ungrounded and report.ungrounded[0]["event_id"] == 10_000


# -- the ledger -----------------------------------------------------------------------------------------------
def test_ledger_rows_follow_the_tasks(reports):
    poor = reports["poor"].ledger
    assert poor and all(r.owner is None for r in poor)  # the poor plan names nobody
    ref = {r.task: r for r in reports["reference"].ledger}
    assert ref["T1"].owner == "赵红" and ref["T1"].status == "已完成"
    assert all(r.started_at is None or r.started_at >= r.ordered_at for r in ref.values())
    assert any("调整措施" in r.note for r in ref.values())


def test_rectification_ledger_is_a_table_in_the_report(reports):
    report = reports["poor"]
    table = report.section("附件3").blocks[0]
    assert table.columns == RECTIFICATION_COLUMNS
    assert [row[1] for row in table.rows] == [r.problem for r in report.rectifications]


# -- markdown, determinism, dependencies ----------------------------------------------------------------------
def test_markdown_has_the_same_report(reports):
    text = render_markdown(reports["poor"])
    assert text.startswith(f"# {reports['poor'].title}\n")
    for heading in HEADINGS:
        assert f"\n## {heading}\n" in text
    for line in text.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")


def test_output_is_deterministic(scenario, drills, scores, reports, written):
    """The same inputs give the same report and the same bytes in every format (zip dates included)."""
    again = build_report(
        scenario,
        drills["poor"].log,
        scores["poor"],
        reference_outcome=drills["reference"].outcome(),
        reference_score=scores["reference"],
    )
    assert again == reports["poor"]
    docx_path, md_path, xlsx_path = written["poor"]
    assert render_markdown(again) == md_path.read_text(encoding="utf-8")
    assert docx_bytes(again) == docx_path.read_bytes()
    assert ledger_bytes(again) == xlsx_path.read_bytes()


def test_write_docx_returns_the_path_it_wrote(reports, tmp_path):
    path = write_docx(reports["poor"], tmp_path / "sub" / "draft.docx")
    assert path == tmp_path / "sub" / "draft.docx" and docx.Document(str(path)).paragraphs


def test_charts_render_without_a_cjk_font(reports, monkeypatch):
    monkeypatch.setattr(charts, "_font_names", lambda: {"DejaVu Sans"})
    monkeypatch.setattr(charts.font_manager, "findSystemFonts", lambda *a, **k: [])
    monkeypatch.setattr(charts, "_warned", False)
    charts.cjk_font.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="CJK"):
            png = charts.radar_png(reports["poor"])
        assert png.startswith(b"\x89PNG")
        assert charts.gantt_png(reports["poor"]).startswith(b"\x89PNG")  # warned once only, no error
    finally:
        charts.cjk_font.cache_clear()


def test_the_library_never_imports_the_ui():
    code = (
        "import sys, simulator.report; "
        "bad = [m for m in ('streamlit', 'plotly') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_report_reads_the_scorers_facts_not_its_words(scenario, drills, scores):
    """Evidence texts replaced by nonsense: the same problems, the same evidence quoted, the same 整改."""
    log, score = drills["poor"].log, scores["poor"]
    garbled = copy.deepcopy(score)
    n = 0
    for kw in garbled["keywords"].values():
        for ind in kw["indicators"]:
            for ev in ind["evidence"]:
                n += 1
                ev["text"], ev["text_en"] = f"甲乙丙{n}", "lorem ipsum"

    def problems(report):
        return [(i.id, [ev.event_id for ev in i.against]) for i in report.indicators if i.lost > 0]

    plain, odd = build_report(scenario, log, score), build_report(scenario, log, garbled)
    assert problems(plain) == problems(odd) and problems(plain)
    assert plain.problems == odd.problems and plain.rectifications == odd.rectifications
    assert "甲乙丙" not in "".join(s.text() for s in odd.sections)  # the body is written from facts, not quoted
