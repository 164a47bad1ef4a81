"""The Streamlit pages, driven with AppTest: every page renders, and a full drill runs from the console."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from simulator.store import DrillStore
from tests.conftest import ROOT

TIMEOUT = 60  # seconds per script run: pages run drills and draw charts


@pytest.fixture
def app(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("DRILL_DB_URL", f"sqlite:///{tmp_path / 'drills.db'}")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def _labels(elements) -> list[str]:
    return [e.label for e in elements]


def test_the_scenario_library_shows_the_bundled_scenario(app):
    assert app.title[0].value == "场景库"
    assert "临港化工园区液氯储罐泄漏事件" in [s.value for s in app.subheader]
    assert [m.value for m in app.metric][:3] == ["13", "18", "14"]
    assert len(app.get("plotly_chart")) == 1


def test_the_english_switch_translates_the_navigation(app):
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Scenarios"


@pytest.mark.parametrize("page", ["views/replay.py", "views/evaluation.py", "views/report.py"])
def test_every_view_renders_a_bundled_plan(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    app.radio(key=f"{page.split('/')[1][:-3]}_source").set_value("plan").run()
    assert not app.exception, app.exception


def test_the_replay_slider_moves_the_world(app):
    app.switch_page("views/replay.py").run()
    exposed_at_start = app.metric[0].value
    app.slider(key="replay_t").set_value(60.0).run()
    assert not app.exception
    assert app.metric[0].value != exposed_at_start or app.metric[1].value != "0"
    assert len(app.dataframe) >= 2  # events and the comparison with the reference plan


def test_a_broken_upload_is_reported_and_the_page_keeps_working(app):
    # AppTest cannot upload files; the same loader path is exercised by tests/test_formats.py. Here: the
    # replay page keeps its state when the plan choice changes.
    app.switch_page("views/replay.py").run()
    app.selectbox(key="replay_plan").set_value("poor").run()
    assert not app.exception


def _decide(at: AppTest, action: str, **fields) -> None:
    at.selectbox(key="action").set_value(action).run()
    for name, value in fields.items():
        widget = [
            w for kind in ("multiselect", "selectbox", "text_input", "number_input", "radio") for w in at.get(kind)
        ]
        target = next(w for w in widget if w.key == f"f_{action}_{name}")
        target.set_value(value).run()  # later choices depend on earlier ones (the measure decides who can act)
    at.button(key="submit_decision").click().run()
    assert not at.exception, at.exception


def test_a_full_scripted_drill_from_the_console(app, tmp_path):
    app.switch_page("views/console.py").run()
    app.text_input[0].input("第一组")
    app.button[0].click().run()  # 开始推演 (the form sends the team name with the click)
    assert not app.exception
    assert app.metric[0].value == "T+0 分"

    _decide(app, "assess", type="危险化学品泄漏", level=3)
    assert "决策已受理" in app.success[0].value
    _decide(app, "notify", to=["ema", "fire", "police", "health", "ecology", "street", "publicity"])
    _decide(app, "order", measure="evacuate", dept="street", owner="赵红", radius_m=1500.0)
    assert "决策已受理" in app.success[0].value
    _decide(app, "order", measure="medical_treatment", dept="health")
    _decide(app, "notify", to=[])  # an empty notice is a form error, shown, not a crash
    assert any("to" in e.value for e in app.error)

    app.button(key="plus5").click().run()
    assert app.metric[0].value == "T+5 分"
    _decide(app, "report_up", mode="phone")
    app.button(key="next_inject").click().run()
    assert app.metric[0].value == "T+8 分"
    assert any("现场2人晕倒" in i.value for i in app.info)

    app.button(key="end_drill").click().run()
    assert not app.exception
    assert "推演已结束" in app.success[0].value

    store = DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")
    [record] = store.history()
    assert record.finished and record.team == "第一组" and record.score is not None
    assert len(store.load(record.id).decisions) == 5  # the empty notice never reached the drill

    app.switch_page("views/evaluation.py").run()
    assert not app.exception
    assert app.metric[0].label == "总分"
    assert app.metric[0].value == f"{record.score['total']:.1f}"

    app.switch_page("views/report.py").run()
    assert not app.exception
    assert any(b.label.endswith(".docx") for b in app.get("download_button"))
