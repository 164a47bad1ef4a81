"""A drill keeps the scenario it was run with (issue 19, finding 4): saving other content under an id and version a
drill uses is refused, a drill replays from its own copy whatever happens to the library file, a drill exported
elsewhere runs on the same content or is refused, and a drill stored before copies were kept still opens, its
seats told plainly when their department has gone.

The first two tests drive what the app had before copies were kept (the console, 场景编写's save, the replay and seat
pages); the store module is imported where it is used, so they run, and fail on what they check, on older code.
"""

from __future__ import annotations

import os
import re
import sqlite3
from types import SimpleNamespace

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from simulator import library, load_scenario
from simulator.engine import replay
from simulator.formats.plan import Plan, ReportOffice
from simulator.store import DrillStore
from tests.conftest import FIXTURES, ROOT
from tests.test_app import PASSCODE, db, facilitator  # noqa: F401  (the fixtures)
from views.authoring import handle_upload, save

TIMEOUT = 90
FLOOD = (FIXTURES / "flood_min.yaml").read_text(encoding="utf-8")
TITLE = load_scenario("flood_min.yaml", FLOOD.encode("utf-8")).title
#: the same scenario, id and version with one inject changed: the rain gets heavier ten minutes earlier
FLOOD_CHANGED = FLOOD.replace("{id: i2, at: 30m,", "{id: i2, at: 20m,")
#: the same scenario without the metro company's department (and what named it)
FLOOD_NO_METRO = "\n".join(
    line
    for line in FLOOD.replace("[water, police, metro]", "[water, police]").splitlines()
    if not any(gone in line for gone in ("id: metro,", "to: metro,", "departments: [metro]"))
)


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    directory = tmp_path / "scenarios"
    monkeypatch.setenv("DRILL_SCENARIO_DIR", str(directory))
    return directory


def _write(path, text: str) -> None:
    """Change a library file behind the app's back. Its modification time moves on by a second each time: the
    library's cache is keyed by it, and two writes within one clock tick of the file system would share it."""
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp + 10**9, max(stamp + 10**9, path.stat().st_mtime_ns)))


def _save(text: str, overwrite: bool = True) -> list[str]:
    loaded = handle_upload("flood_min.yaml", text.encode("utf-8"))
    assert loaded.scenario is not None, loaded.problems
    return save(loaded, "flood_min", overwrite=overwrite)[1]


def _fingerprint(at: AppTest) -> str:
    """The replay page's fingerprint of the drill's event log (the sha256 of the log it shows)."""
    at.switch_page("views/replay.py").run()
    assert not at.exception, at.exception
    shown = " ".join(c.value for c in at.caption)
    return re.search(r"\b[0-9a-f]{12}\b", shown).group(0)


def test_a_scenario_in_use_cannot_change_under_its_drill_which_replays_from_its_own_copy(facilitator, user_dir):  # noqa: F811
    assert _save(FLOOD, overwrite=False) == []
    at = facilitator  # a facilitator: close the open drill, then start one of the user scenario on the console
    at.session_state["drill_id"] = None
    at.switch_page("views/console.py").run()
    box = at.selectbox(key="new_scenario")
    box.select_index(next(i for i, title in enumerate(box.options) if title == TITLE))
    at.text_input(key="new_passcode").input(PASSCODE)
    at.text_input(key="new_passcode_again").input(PASSCODE)
    next(b for b in at.button if (b.key or "").startswith("FormSubmitter:start")).click().run()
    assert not at.exception, at.exception
    drill_id = at.session_state["drill_id"]
    drills = DrillStore()  # the app's store (DRILL_DB_URL): the drill under way, past the changed inject's minute
    drills.append_decision(drill_id, ReportOffice(action="report_office", at=0, by="water", text="泵车已出发。"))
    drills.set_clock(drill_id, 45)
    before = _fingerprint(at)

    # the same id and version with a changed inject: refused, saying to raise the version; the file is untouched
    problems = _save(FLOOD_CHANGED)
    refused = bool(problems) and "提高" in problems[0] and "版本" in problems[0]
    file_kept = (user_dir / "flood_min.yaml").read_text(encoding="utf-8") == FLOOD
    # the file changed on disk behind the app's back: the drill still replays from its own copy
    _write(user_dir / "flood_min.yaml", FLOOD_CHANGED)
    assert library.find("flood_min").scenario == load_scenario("x.yaml", FLOOD_CHANGED.encode())
    log_kept = _fingerprint(at) == before
    assert (refused, file_kept, log_kept) == (True, True, True), problems
    record = drills.load(drill_id)
    on_the_file = replay(library.find("flood_min").scenario, record.seed, record.decisions, record.clock)
    assert (
        on_the_file.log.to_jsonl()
        != replay(load_scenario("x.yaml", FLOOD.encode()), record.seed, record.decisions, record.clock).log.to_jsonl()
    )  # the change does change the log: the copy is what kept it
    assert _save(FLOOD) == []  # the drill's own content again is fine

    # a new version is a new scenario: saved, and the drill still keeps its own
    assert _save(FLOOD_CHANGED.replace("id: flood_min\n", "id: flood_min\nversion: '2'\n", 1)) == []
    assert _fingerprint(at) == before


def test_an_old_drill_opens_from_the_library_and_a_seat_whose_department_vanished_is_told(db, user_dir):  # noqa: F811
    _write(user_dir / "flood_min.yaml", FLOOD)
    record = db.create("flood_min", "1", 1, "一组", PASSCODE)  # as drills were stored before copies were kept
    assert getattr(record, "scenario_hash", None) is None
    db.append_decision(record.id, ReportOffice(action="report_office", at=0, by="metro", text="地铁站进水。"))
    _write(user_dir / "flood_min.yaml", FLOOD_NO_METRO)  # changed in place, as before
    assert library.find("flood_min").scenario.department("metro") is None

    def seat(dept: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        for key, value in {"drill_id": record.id, "role": "trainee", "dept": dept}.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    metro = seat("metro")
    assert any("已没有本席位所属的部门" in w.value for w in metro.warning), [w.value for w in metro.warning]
    police = seat("police")  # the old drill opens on the library's scenario, as it always did
    assert any("公安分局交警支队" in m.value for m in police.markdown)


def test_an_exported_drill_runs_on_the_same_content_or_is_refused(tmp_path, user_dir):
    from simulator.store import scenarios as snapshots

    _write(user_dir / "flood_min.yaml", FLOOD)
    here = DrillStore(f"sqlite:///{tmp_path / 'here.db'}")
    entry = library.find("flood_min")
    record = here.create("flood_min", "1", 4, "一组", PASSCODE, scenario=entry.scenario)
    here.append_decision(record.id, ReportOffice(action="report_office", at=0, by="water", text="泵车已出发。"))
    exported = Plan.model_validate_json(here.load(record.id).as_plan().model_dump_json())
    assert exported.scenario_hash == record.scenario_hash == snapshots.content_hash(entry.scenario)

    # elsewhere, the library holds other content under the same id and version: refused, said plainly
    _write(user_dir / "flood_min.yaml", FLOOD_CHANGED)
    elsewhere = DrillStore(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    scenario, refused = snapshots.for_import(elsewhere, exported, library.find("flood_min"))
    assert scenario is None and "内容不同" in refused and "版本" in refused
    # here, where the drill's copy is kept, it imports on that copy
    scenario, refused = snapshots.for_import(here, exported, library.find("flood_min"))
    assert refused is None and snapshots.content_hash(scenario) == exported.scenario_hash
    copy = here.import_plan(exported, "1", PASSCODE, scenario=scenario)
    assert copy.scenario_hash == record.scenario_hash
    # elsewhere, with the same content in its library, it imports and replays the same
    _write(user_dir / "flood_min.yaml", FLOOD)
    scenario, refused = snapshots.for_import(elsewhere, exported, library.find("flood_min"))
    assert refused is None
    imported = elsewhere.import_plan(exported, "1", PASSCODE, scenario=scenario)
    logs = [
        replay(snapshots.entry_of(where, r).scenario, r.seed, r.decisions, r.clock).log.to_jsonl()
        for where, r in ((here, here.load(record.id)), (elsewhere, elsewhere.load(imported.id)))
    ]
    assert logs[0] == logs[1]


def test_every_bundled_scenario_reloads_from_its_copy_as_the_same_scenario(tmp_path):
    from simulator.store import scenarios as snapshots

    store = DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")
    for entry in library.catalog()[0] + library.cases_catalog()[0]:
        with Session(store.engine) as s, s.begin():
            digest = snapshots.record(s, entry.scenario)
        assert snapshots.stored(store, digest) == entry.scenario, entry.id  # loaded from the database: equal
        record = SimpleNamespace(scenario_id=entry.id, scenario_hash=digest)
        same = snapshots.entry_of(store, record)  # the same content: the library's own entry, with its caches
        assert same.snapshot is None and same.scenario is entry.scenario, entry.id


def test_a_database_from_before_copies_opens_and_its_drills_load(tmp_path):
    from simulator.store import scenarios as snapshots

    path = tmp_path / "old.db"
    store = DrillStore(f"sqlite:///{path}")
    record = store.create("hazchem_leak", "1", 1, "一组", PASSCODE)
    store.engine.dispose()
    with sqlite3.connect(path) as connection:  # the drills table as an earlier version made it
        connection.execute("ALTER TABLE drills DROP COLUMN scenario_hash")
    reopened = DrillStore(f"sqlite:///{path}")
    loaded = reopened.load(record.id)
    assert loaded.code == record.code and loaded.scenario_hash is None
    assert snapshots.entry_of(reopened, loaded).id == "hazchem_leak"
