"""The store's columns hold what the models allow, on SQLite and on PostgreSQL (issue 19, finding 3): a seed up to
2⁶³−1 and a scenario version as long as the scenario file may have it; what does not fit is refused with a clear
message before the database sees it; an older PostgreSQL database is widened on open; and the app, with a seat and
the console submitting while others write, shows no error and loses nothing."""

from __future__ import annotations

import threading

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from simulator.formats.plan import Plan
from simulator.formats.scenario import Scenario
from simulator.store import DrillStore
from simulator.store.tables import DrillRow
from tests.accounts import signed_in
from tests.conftest import ROOT
from tests.test_app import TIMEOUT, _decide
from tests.writers import move_clock, write

PASSCODE = "room-42"
BIG_SEED = 2**63 - 1


def test_a_64_bit_seed_and_the_longest_version_and_team_round_trip(store_url):
    db = DrillStore(store_url)
    version, team = "版" * 64, "队" * 100
    for seed in (2**31, BIG_SEED):
        record = db.create("hazchem_leak", version, seed, team, PASSCODE)
        stored = db.load(record.id)
        assert (stored.seed, stored.scenario_version, stored.team) == (seed, version, team)
        exported = Plan.model_validate_json(stored.as_plan().model_dump_json())  # the drill file holds them too
        imported = db.import_plan(exported, "1", PASSCODE)
        assert (imported.seed, imported.scenario_version, imported.team) == (seed, version, team)


def test_what_does_not_fit_is_refused_with_a_clear_message_and_nothing_is_stored(store_url):
    db = DrillStore(store_url)
    with pytest.raises(ValueError, match="情景随机编号须在 0 至 9223372036854775807 之间"):
        db.create("hazchem_leak", "1", BIG_SEED + 1, "一组", PASSCODE)
    with pytest.raises(ValueError, match="场景版本超过 64 个字符"):
        db.create("hazchem_leak", "v" * 65, 1, "一组", PASSCODE)
    with pytest.raises(ValueError, match="队伍名称超过 100 个字"):
        db.create("hazchem_leak", "1", 1, "队" * 101, PASSCODE)
    assert db.history() == []
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE)
    with pytest.raises(ValueError, match="提交部门编号超过 64 个字符"):
        db.append_decision(record.id, Plan.model_validate({"decisions": [_notify()]}).decisions[0], role="x" * 65)
    assert db.load(record.id).decisions == []


def _notify() -> dict:
    return {"action": "notify", "at": 0, "by": "duty_office", "to": ["fire"]}


def test_the_models_and_the_columns_agree_on_every_limit(hazchem):
    longest = "v" * 64
    assert Scenario.model_validate({**hazchem.model_dump(by_alias=True), "version": longest}).version == longest
    assert Plan(scenario_version=longest).scenario_version == longest
    for build in (
        lambda: Scenario.model_validate({**hazchem.model_dump(by_alias=True), "version": longest + "v"}),
        lambda: Plan(scenario_version=longest + "v"),
        lambda: Plan(seed=BIG_SEED + 1),
    ):
        with pytest.raises(ValidationError):
            build()
    columns = DrillRow.__table__.c
    assert columns.scenario_version.type.length == 64 and columns.team.type.length == 100
    assert columns.scenario_id.type.length == 64
    assert columns.seed.type.python_type is int and type(columns.seed.type).__name__ == "BigInteger"


def test_an_older_postgresql_database_is_widened_when_the_store_opens_it(pg_server):
    from tests import pg

    name, url = pg.fresh_schema(pg_server)
    try:
        DrillStore(url).engine.dispose()
        old = DrillStore(url).engine  # as an earlier version made them: a 32-bit seed, a 32-character version
        with old.begin() as conn:
            conn.execute(text("ALTER TABLE drills ALTER COLUMN seed TYPE INTEGER"))
            conn.execute(text("ALTER TABLE drills ALTER COLUMN scenario_version TYPE VARCHAR(32)"))
        old.dispose()
        db = DrillStore(url)
        record = db.create("hazchem_leak", "v" * 64, BIG_SEED, "一组", PASSCODE)
        assert (db.load(record.id).seed, db.load(record.id).scenario_version) == (BIG_SEED, "v" * 64)
        db.engine.dispose()
    finally:
        pg.drop_schema(pg_server, name)


def test_a_seat_and_the_console_submitting_while_others_write_show_no_error_and_lose_nothing(store_url, monkeypatch):
    monkeypatch.setenv("DRILL_DB_URL", store_url)
    db = DrillStore(store_url)
    console = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    account = signed_in(console, db)  # the facilitator's account; the drill is its organisation's
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE, org_id=account.org_id)
    console.session_state["drill_id"] = record.id
    console.session_state["role"] = "facilitator"
    console.switch_page("views/console.py").run()
    seat = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in {"drill_id": record.id, "role": "trainee", "dept": "duty_office"}.items():
        seat.session_state[key] = value
    seat.run()  # a trainee's only page is the seat
    assert not console.exception and not seat.exception

    refused: list[BaseException] = []
    written = [0] * 8
    stop = threading.Event()

    def other_seat(w: int) -> None:  # another server's seats, writing (at a human pace) while the pages submit
        try:
            while not stop.is_set() and written[w] < 10:
                write(db, record.id, w, 1)
                written[w] += 1
                stop.wait(0.05)
        except Exception as exc:  # counted: nothing may reach a page or a writer
            refused.append(exc)

    others = [threading.Thread(target=other_seat, args=(w,)) for w in range(8)]
    others.append(threading.Thread(target=move_clock, args=(db, record.id, 5)))
    for t in others:
        t.start()
    try:  # the pages one after the other (AppTest runs one script at a time), each while eight seats write
        _decide(seat, "notify", to=["fire"])
        _decide(console, "notify", to=["police"])
    finally:
        stop.set()
        for t in others:
            t.join()
    assert refused == []
    assert not console.exception and not seat.exception
    assert not [e.value for e in [*seat.error, *console.error]]
    stored = db.load(record.id)
    assert stored.roles.count("facilitator") == 1 and len(stored.decisions) == sum(written) + 2
    assert [d.to for d in stored.decisions if d.action == "notify"] == [["fire"], ["police"]]
    ats = [d.at for d in stored.decisions]
    assert ats == sorted(ats)
