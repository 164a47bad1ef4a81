"""Issue 19, finding 10 (deliver 6): scenario and user text is inert wherever Markdown renders it.

An inject carrying a Markdown image (a tracking pixel), raw ``<img>`` HTML and a link, and a department named with
one, must reach a trainee's seat and the console as those literal characters: rendered by a CommonMark parser (the
browser's react-markdown follows the same rules) the page holds no image, no HTML element and no link. The
report's Markdown (previewed on the report page) treats the trainees' review the same way.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from simulator import load_scenario
from simulator.engine import run_plan
from simulator.report import build_report, render_markdown
from simulator.scoring import score_drill
from simulator.store import DrillStore
from tests.accounts import sign_in_here
from tests.conftest import ROOT, SCENARIOS

markdown_it = pytest.importorskip("markdown_it")

PIXEL = "![](http://tracker.example/p.gif)"
HTML = '<img src="http://tracker.example/q.gif">'
LINK = "[详情](http://tracker.example/x)"
EVIL = f"现场报告{PIXEL}{HTML}{LINK}请核实"
TIMEOUT = 60


def _html(source: str) -> str:
    """What the browser gets from this Markdown: CommonMark with raw HTML allowed (the worst case)."""
    return markdown_it.MarkdownIt("commonmark", {"html": True}).render(source)


def _rendered(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "success", "warning", "error", "subheader", "title")
    return "\n".join(_html(str(e.value)) for kind in kinds for e in at.get(kind))


def _assert_inert(page: str) -> None:
    assert "<img" not in page and "<a " not in page, "an image, HTML or a link from the scenario was rendered"
    assert "![](http://tracker.example/p.gif)" in page  # shown as written
    assert "&lt;img src=&quot;http://tracker.example/q.gif&quot;&gt;" in page
    assert "[详情](http://tracker.example/x)" in page


@pytest.fixture
def pixel_drill(tmp_path, monkeypatch):
    """A user scenario whose first inject (T+0, to the duty office) and the duty office's name carry the pixel."""
    text = (SCENARIOS / "hazchem_leak.yaml").read_text(encoding="utf-8")
    first = (
        "8时10分，园区管委会报告：华宇化工厂区一台液氯储罐阀门处发生泄漏，现场可见黄绿色气体，企业正在组织人员撤离。"
    )
    text = text.replace("id: hazchem_leak", "id: pixel_leak", 1).replace(first, EVIL, 1)
    text = text.replace("name: 区政府总值班室,", f"name: '总值班室{PIXEL}',", 1)
    library = tmp_path / "scenarios"
    library.mkdir()
    (library / "pixel_leak.yaml").write_text(text, encoding="utf-8")
    scenario = load_scenario(library / "pixel_leak.yaml")
    assert scenario.injects[0].text == EVIL
    url = f"sqlite:///{tmp_path / 'drills.db'}"
    monkeypatch.setenv("DRILL_DB_URL", url)
    monkeypatch.setenv("DRILL_SCENARIO_DIR", str(library))
    return DrillStore(url).create("pixel_leak", scenario.version, 1, "一组", "ab12cd")


def test_an_inject_with_an_image_and_html_shows_as_text_on_the_seat(pixel_drill):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in {"drill_id": pixel_drill.id, "role": "trainee", "dept": "duty_office"}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    page = _rendered(at)
    assert "现场报告" in page  # the inject reached the seat
    _assert_inert(page)


def test_an_inject_with_an_image_and_html_shows_as_text_on_the_console(pixel_drill):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    sign_in_here(at)  # a facilitator's account (its organisation adopts the drill made before it)
    at.session_state["drill_id"] = pixel_drill.id
    at.session_state["role"] = "facilitator"
    at.switch_page("views/console.py").run()
    assert not at.exception
    page = _rendered(at)
    assert "现场报告" in page  # the inject feed shows it
    _assert_inert(page)


def test_a_review_with_an_image_and_html_stays_text_in_the_report_markdown(hazchem, reference_plan):
    review = next(d for d in reference_plan.decisions if d.action == "review")
    sections = {**review.sections, "存在问题": EVIL}
    plan = reference_plan.model_copy(
        update={
            "decisions": [
                d if d is not review else d.model_copy(update={"sections": sections}) for d in reference_plan.decisions
            ]
        }
    )
    log = run_plan(hazchem, plan, 3).log
    page = _html(render_markdown(build_report(hazchem, log, score_drill(hazchem, log))))
    assert "现场报告" in page
    _assert_inert(page)
