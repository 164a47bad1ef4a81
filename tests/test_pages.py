"""The trainee seat, replay, the scenario library and authoring, driven with AppTest as the room uses them: a seat
reads its orders whole and reports to the office, replay plays and pauses, the library names resources in words,
and a working group left incomplete is refused, not dropped."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from simulator import library
from simulator.vocabulary import RESOURCES, resource_text
from tests.conftest import ROOT
from tests.test_app import PASSCODE, _shown, db  # noqa: F401  (db: the fixture)

TIMEOUT = 90  # seconds per script run: pages rebuild drills and draw charts


def _session(role: str, lang: str = "zh", **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["role"] = role
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _cells(at: AppTest) -> list[str]:
    """Every column name and cell of every table on the page, as text."""
    out: list[str] = []
    for table in at.dataframe:
        frame = table.value
        out += [str(c) for c in frame.columns] + [str(v) for v in frame.astype(str).to_numpy().ravel()]
    return out


# -- 场景库 -------------------------------------------------------------------------------------------------------
def test_resources_are_named_in_words_and_unknown_ones_as_written():
    assert resource_text({"crews": 2, "vehicles": 3}) == "班组×2、车辆×3"
    assert resource_text({"crews": 2, "drones": 1}, "en") == "crews×2, drones×1"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_library_shows_no_raw_resource_ids(db, lang):  # noqa: F811
    at = _session("facilitator", lang)
    at.switch_page("views/scenarios.py").run()
    keys = {k for e in library.catalog()[0] for d in e.scenario.departments for k in d.resources}
    assert keys  # the bundled scenarios count crews, vehicles, beds
    for index in range(len(library.catalog()[0])):
        at.selectbox(key="scenario_pick").select_index(index).run()
        assert not at.exception, at.exception
        cells = _cells(at)
        if lang == "zh":
            raw = re.compile(rf"\b(?:{'|'.join(keys)})×")
            assert not [c for c in cells if raw.search(c)], index
        assert any(f"{RESOURCES['crews'](lang)}×" in s for s in cells)
