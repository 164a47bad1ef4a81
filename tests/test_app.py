"""The Streamlit pages, driven with AppTest: every page renders, roles see what they may, and a full drill runs
from the console."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from simulator import library
from simulator.store import DrillStore
from tests.accounts import make_account, signed_in
from tests.conftest import ROOT

TIMEOUT = 60  # seconds per script run: pages run drills and draw charts
PASSCODE = "ab12cd"


@pytest.fixture
def db(tmp_path, monkeypatch) -> DrillStore:
    url = f"sqlite:///{tmp_path / 'drills.db'}"
    monkeypatch.setenv("DRILL_DB_URL", url)
    return DrillStore(url)


@pytest.fixture
def app(db) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def facilitator(db) -> AppTest:
    """An app session of a facilitator (signed in as an account of the test organisation) who has opened a drill of
    that organisation."""
    account = make_account(db)
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE, org_id=account.org_id)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["account_id"] = account.id
    at.session_state["drill_id"] = record.id
    at.session_state["role"] = "facilitator"
    at.run()
    assert not at.exception
    return at


def _pick(at: AppTest, key: str, scenario_id: str, run: bool = True) -> None:
    """Choose a scenario in a selectbox that lists the library (in catalogue order); in a form, the submit runs."""
    entries, _ = library.catalog()
    box = at.selectbox(key=key).select_index([e.id for e in entries].index(scenario_id))
    if run:
        box.run()


def test_the_scenario_library_shows_the_bundled_scenario_but_not_its_injects(app):
    assert app.title[0].value == "场景库"
    _pick(app, "scenario_pick", "hazchem_leak")
    assert "临港化工园区液氯储罐泄漏事件" in [s.value for s in app.subheader]
    assert [m.value for m in app.metric][:3] == ["13", "18", "14"]
    assert len(app.get("plotly_chart")) == 1
    assert not any("情景注入时间线" in m.value for m in app.markdown)  # not for an anonymous visitor


def test_the_facilitator_sees_the_inject_timeline(facilitator):
    _pick(facilitator, "scenario_pick", "hazchem_leak")
    assert any("情景注入时间线" in m.value for m in facilitator.markdown)


def test_the_english_switch_translates_the_navigation(app):
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Scenarios"


def test_only_public_pages_before_signing_in(app):
    with pytest.raises(ValueError):
        app.switch_page("views/replay.py")


@pytest.mark.parametrize("page", ["views/replay.py", "views/evaluation.py", "views/report.py"])
def test_every_view_renders_a_bundled_plan(facilitator, page):
    facilitator.switch_page(page).run()
    assert not facilitator.exception, facilitator.exception
    facilitator.radio(key=f"{page.split('/')[1][:-3]}_source").set_value("plan").run()
    assert not facilitator.exception, facilitator.exception


def test_the_replay_slider_moves_the_world(facilitator):
    facilitator.switch_page("views/replay.py").run()
    facilitator.radio(key="replay_source").set_value("plan").run()
    exposed_at_start = facilitator.metric[0].value
    facilitator.slider(key="replay_t").set_value(60.0).run()
    assert not facilitator.exception
    assert facilitator.metric[0].value != exposed_at_start or facilitator.metric[1].value != "0"
    assert len(facilitator.dataframe) >= 2  # events and the comparison with the reference plan
    facilitator.selectbox(key="replay_plan").set_value("poor").run()
    assert not facilitator.exception


def test_a_wrong_passcode_is_refused_without_saying_whether_the_drill_exists(app, db):
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE)
    signed_in(app, db)  # the first organisation adopts the drill made before it
    app.switch_page("views/console.py").run()
    messages = []
    for code in (record.code, "ZZZZZZ"):
        app.text_input(key="resume_code").input(code)
        app.text_input(key="resume_passcode").input("wrong-passcode")
        app.button(key="FormSubmitter:resume-打开").click().run()
        messages.append([e.value for e in app.error])
        assert "role" not in app.session_state
    assert messages[0] == messages[1] == ["推演码或口令不正确。"]
    app.text_input(key="resume_code").input(record.code.lower())
    app.text_input(key="resume_passcode").input(PASSCODE)
    app.button(key="FormSubmitter:resume-打开").click().run()
    assert app.session_state["role"] == "facilitator"


def _sent_to_browser(at: AppTest) -> str:
    """Everything the server sent for this page: the protobuf of every element in the tree."""
    out = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def test_a_trainee_sees_only_their_seat_and_nothing_of_the_answer_key(app, db, hazchem):
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE)
    db.set_clock(record.id, 30)
    app.switch_page("views/console.py").run()
    app.tabs[0]  # the join tab: the only one before signing in
    app.text_input(key="join_code").input(record.code).run()
    app.selectbox(key="join_dept").set_value("duty_office").run()
    app.button(key="join_button").click().run()
    assert app.session_state["role"] == "trainee"
    app.switch_page("views/seat.py").run()
    assert not app.exception
    sent = _sent_to_browser(app) + "\n" + repr({k: app.session_state[k] for k in app.session_state})
    released = [i for i in hazchem.injects if i.to == "duty_office" and i.at is not None and i.at <= 30]
    assert released and all(i.text in sent for i in released if i.unless is None)
    future = [i for i in hazchem.injects if i.at is not None and i.at > 30]
    assert future and not any(i.text in sent for i in future)
    other_seats = [i for i in hazchem.injects if i.to != "duty_office" and i.at is not None and i.at <= 30]
    assert other_seats and not any(i.text in sent for i in other_seats)
    key = hazchem.answer_key
    for secret in ("answer_key", "required_departments", "working_groups", *key.working_groups):
        assert secret not in sent, secret
    with pytest.raises(ValueError):
        app.switch_page("views/scenarios.py")


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


# -- every page in English, and no ids or decimal minutes in Chinese ------------------------------------------------
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: proto fields that are not shown to a person (element ids carry the widget keys, e.g. ``f_order_measure``)
HIDDEN_FIELDS = {"id", "form_id", "key", "url", "type", "data", "spec", "config", "theme", "deltaPath", "fragment_id"}
FACILITATOR_PAGES = [
    "views/scenarios.py",
    "views/console.py",
    "views/replay.py",
    "views/evaluation.py",
    "views/report.py",
    "views/authoring.py",
]


def _strings(value) -> list[str]:
    """Every string inside a parsed JSON value (a Plotly figure), except its template (colours and fonts)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "template" for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _proto_strings(message) -> list[str]:
    out = []
    for field, value in message.ListFields():
        if field.name in HIDDEN_FIELDS:
            continue
        if field.type not in (field.TYPE_MESSAGE, field.TYPE_STRING):
            continue
        if hasattr(value, "ListFields") or isinstance(value, str):
            items = [value]
        else:  # a repeated field, or a map (whose values are what is shown)
            items = list(value.values()) if hasattr(value, "values") else list(value)
        if field.type == field.TYPE_MESSAGE:
            out += [s for item in items for s in _proto_strings(item)]
        elif field.type == field.TYPE_STRING:
            out += list(items)
    return out


def _shown(at: AppTest) -> list[str]:
    """What a person can read on the page: every element's visible strings, a Plotly figure's texts and names,
    a table's columns and cells; the sidebar's language switch (it names 中文 in Chinese) and the report draft
    are left out."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if kind == "radio" and getattr(node, "key", None) == "lang":
            return
        if str(getattr(proto, "id", "")).endswith("-report_draft"):
            return  # the report draft's block
        if kind == "plotly_chart":
            out.extend(_strings(json.loads(proto.spec)))
        elif kind in ("arrow_data_frame", "dataframe"):
            frame = node.value
            out.extend(str(c) for c in frame.columns)
            out.extend(str(v) for v in frame.astype(str).to_numpy().ravel())
        elif proto is not None and hasattr(proto, "ListFields"):
            out.extend(_proto_strings(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def _data_words(*sources) -> list[str]:
    """The Chinese runs of scenario data and of what the trainees wrote: shown as written in either language."""
    words = set()
    for source in sources:
        for text in _strings(json.loads(source.model_dump_json(by_alias=True))):
            words.update(CJK.findall(text))
    return sorted(words, key=len, reverse=True)


def _library_words() -> list[str]:
    """Every bundled scenario's and plan's own words (a page lists all scenarios, and runs any plan), and every real
    case's (its scenario, plans and sheet: the console and 场景编写 list the cases too)."""
    entries = library.catalog()[0] + library.cases_catalog()[0]
    return _data_words(
        *(e.scenario for e in entries),
        *(library.cached_plan(p) for e in entries for p in e.plans.values()),
        *(e.case for e in entries if e.case is not None),
    )


def _chinese_outside(texts: list[str], allowed: list[str]) -> list[str]:
    """Texts with a CJK run that is no part of an allowed (data) string."""
    bad = []
    for text in texts:
        for run in CJK.findall(text):
            if not any(run in word for word in allowed):
                bad.append(text)
                break
    return bad


def _under_way(db: DrillStore, plan, decisions: int, clock: float):
    """A stored drill of hazchem_leak with the plan's first ``decisions`` entered at their minutes, now at ``clock``."""
    record = db.create("hazchem_leak", "1", 1, "Team one", PASSCODE)
    for decision in plan.decisions[:decisions]:
        db.set_clock(record.id, decision.at)
        db.append_decision(record.id, decision)
    db.set_clock(record.id, clock)
    return record


@pytest.fixture
def running(db, hazchem, reference_plan) -> tuple[AppTest, int]:
    """A facilitator's session of a drill under way: the reference plan's first decisions, the clock at T+40."""
    record = _under_way(db, reference_plan, decisions=8, clock=40)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    signed_in(at, db, name="Facilitator A", org="Test district")  # names are data: shown as written
    at.session_state["drill_id"] = record.id
    at.session_state["role"] = "facilitator"
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    return at, record.id


def test_every_page_in_english_shows_no_chinese_outside_scenario_data(running, hazchem, reference_plan):
    at, _ = running
    allowed = _library_words()
    for page in FACILITATOR_PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        if page == "views/authoring.py":
            at.radio(key="author_source").set_value("library").run()
        if page in ("views/replay.py", "views/evaluation.py", "views/report.py"):
            for source in ("current", "plan"):
                at.radio(key=f"{page.split('/')[1][:-3]}_source").set_value(source).run()
                assert not at.exception, (page, source, at.exception)
                assert _chinese_outside(_shown(at), allowed) == [], (page, source)
            continue
        assert _chinese_outside(_shown(at), allowed) == [], page
    at.sidebar.button(key="sign_out").click().run()  # the frame and the door, signed out
    at.switch_page("views/console.py").run()
    assert _chinese_outside(_shown(at), allowed) == []


def test_a_trainee_seat_in_english_shows_no_chinese_outside_scenario_data(db, hazchem, reference_plan):
    record = _under_way(db, reference_plan, decisions=6, clock=45)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in {"drill_id": record.id, "role": "trainee", "dept": "duty_office", "lang": "en"}.items():
        at.session_state[key] = value
    at.run()  # a trainee's only page is the seat
    assert not at.exception, at.exception
    assert at.title[0].value == "My seat"
    shown = _shown(at)
    assert any(text.startswith("T+45 (") for text in shown)  # the clock: whole minutes and the wall clock
    assert _chinese_outside(shown, _library_words()) == []


DECIMAL_MINUTES = re.compile(r"T\+\d+\.\d|\d+\.\d+\s*(?:分钟|min\b)")  # (``87.1 分`` is a score: 分 = points)


def test_pages_in_chinese_show_no_decimal_minutes_and_no_ids(running, hazchem):
    at, _ = running
    at.session_state["lang"] = "zh"
    ids = {"d1", "d2", "order", "notify", *(c.id for c in hazchem.channels), *(d.id for d in hazchem.departments)}
    for page in ("views/console.py", "views/replay.py", "views/evaluation.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        if page != "views/console.py":
            at.radio(key=f"{page.split('/')[1][:-3]}_source").set_value("current").run()
        shown = _shown(at)
        assert [s for s in shown if DECIMAL_MINUTES.search(s)] == [], page
        words = {w for s in shown for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", s)}
        assert words & ids == set(), page
    at.switch_page("views/console.py").run()
    assert at.metric[0].value == "T+40（08:50）"
