"""Accounts, organisations and the throttle, at the store and from the shell (issue 19, findings 1, 2 and 5):
passwords kept as hashes and long enough, a drill belongs to its creator's organisation, a brute force of a drill's
passcode or of a password gets a handful of guesses, and ``python -m simulator users``."""

from __future__ import annotations

import io
import logging
import re

import pytest

from simulator.cli import main
from simulator.store import DrillStore
from simulator.store.accounts import Accounts, check_password
from simulator.store.passcodes import MIN_PASSCODE, check_new
from simulator.store.throttle import LOCK_AFTER
from simulator.vocabulary import Label
from tests.accounts import PASSWORD

PASSCODE = "room-2026"


class Clock:
    """Wall-clock seconds a test moves on by hand (no sleeping)."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(tmp_path) -> DrillStore:
    return DrillStore(f"sqlite:///{tmp_path / 'drills.db'}")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(db, clock) -> Accounts:
    return Accounts(db, clock)


def test_passwords_are_long_enough_not_common_and_kept_only_as_a_salted_hash(db, accounts):
    assert "至少 8 位" in check_password("abc1234").zh  # NIST SP 800-63B: 8 with throttling
    assert "常见" in check_password("password1").zh and "常见" in check_password("woaini1314").zh
    assert "常见" in check_password("张三丰zsf123", name="张三丰ZSF123").zh  # not the account's own name
    assert check_password(PASSWORD, PASSWORD + "x").en == "The two passwords differ."
    assert MIN_PASSCODE == 6 and check_new("12345") is not None and check_new("123456") is None
    made = accounts.add("张三", "临港区应急管理局", "admin", PASSWORD)
    with db.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM accounts").scalar()
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert accounts.sign_in("张三", PASSWORD) == made
    wrong_password, wrong_name = accounts.sign_in("张三", "not-the-one"), accounts.sign_in("李四", PASSWORD)
    assert wrong_password == wrong_name == Label("账户名或密码不正确。", "Wrong account name or password.")


def test_a_drill_is_its_organisations_and_another_organisation_neither_lists_nor_opens_it(db, accounts):
    ours = accounts.add("甲导调员", "甲区应急管理局", "facilitator", PASSWORD)
    theirs = accounts.add("乙导调员", "乙区应急管理局", "facilitator", PASSWORD)
    mine = db.create("hazchem_leak", "1", 1, "一组", PASSCODE, org_id=ours.org_id)
    assert [r.code for r in db.history(org_id=ours.org_id)] == [mine.code]
    assert db.history(org_id=theirs.org_id) == []
    refused = accounts.open_drill(theirs, mine.code, PASSCODE)  # the right code and passcode, the wrong organisation
    assert (
        refused
        == accounts.open_drill(theirs, "ZZZZZZ", PASSCODE)
        == Label("推演码或口令不正确。", "Wrong drill code or passcode.")
    )
    assert accounts.open_drill(ours, mine.code, PASSCODE).id == mine.id


def test_the_first_organisation_adopts_the_drills_made_before_accounts(db, accounts):
    old = db.create("hazchem_leak", "1", 1, "一组", PASSCODE)  # a drills.db from before this version
    first = accounts.add("张三", "临港区应急管理局", "admin", PASSWORD)
    accounts.add("李四", "另一个区", "admin", PASSWORD)
    assert db.load(old.id).org_id == first.org_id


def test_a_brute_force_of_a_drills_passcode_gets_a_handful_of_guesses(db, accounts, clock, caplog):
    """Finding 5: a guess every two seconds for ten minutes, each from a new client (the per-drill key holds)."""
    owner = accounts.add("导调员", "临港区应急管理局", "facilitator", PASSWORD)
    record = db.create("hazchem_leak", "1", 1, "一组", PASSCODE, org_id=owner.org_id)
    checked, refusals = [], []
    caplog.set_level(logging.INFO, logger="simulator.store.throttle")
    start = clock.now
    for second in range(0, 600, 2):
        clock.now = start + second
        answer = accounts.open_drill(owner, record.code, f"guess-{second:04d}", client=f"10.0.{second // 250}.{second}")
        (refusals if "尝试次数过多" in answer.zh else checked).append(second)
    assert len([s for s in checked if s < 60]) <= 9  # a handful in the first minute
    assert len(checked) <= LOCK_AFTER + 1  # and then locked: 11 guesses in ten minutes, not 300
    locked = accounts.open_drill(owner, record.code, PASSCODE).zh  # even the right passcode waits, told how long
    assert refusals and re.fullmatch(r"尝试次数过多，请于([1-9]|1[0-5])分钟后再试。", locked), locked
    failures = [r for r in caplog.records if r.getMessage().startswith("failed drill passcode")]
    assert len(failures) == len(checked) and all(f"drill:{record.code}" in r.getMessage() for r in failures)
    clock.now += 15 * 60  # the lock passes; the right passcode opens it and clears the count
    assert accounts.open_drill(owner, record.code, PASSCODE).id == record.id
    assert accounts.open_drill(owner, record.code, "one-typo").zh == "推演码或口令不正确。"


def test_a_password_guessed_from_one_client_at_many_accounts_is_throttled_per_client(db, accounts, clock):
    for n in range(3):
        accounts.add(f"导调员{n}", "临港区应急管理局", "facilitator", PASSWORD)
    answers = []
    for n in range(12):  # spraying accounts one guess each: the client's own key backs off
        clock.now += 1
        answers.append(accounts.sign_in(f"导调员{n % 3}", f"guess-{n}", client="203.0.113.9").zh)
    assert answers[:3] == ["账户名或密码不正确。"] * 3 and "尝试次数过多" in answers[-1]
    assert accounts.sign_in("导调员0", PASSWORD, client="198.51.100.1").name == "导调员0"  # elsewhere: fine


def test_the_first_run_setup_token_is_logged_once_and_makes_the_first_organiser(db, accounts, caplog):
    caplog.set_level(logging.WARNING, logger="simulator.store.accounts")
    token = accounts.setup_token()
    assert token and accounts.setup_token() == token
    assert [r for r in caplog.records if token in r.getMessage()] and len(caplog.records) == 1  # logged once
    wrong = accounts.first_setup("not-it", "张三", "临港区应急管理局", PASSWORD)
    assert wrong.zh == "首次设置口令不正确，或已有账户。"
    made = accounts.first_setup(token, "张三", "临港区应急管理局", PASSWORD)
    assert made.is_admin and made.org_name == "临港区应急管理局"
    assert accounts.setup_token() is None and accounts.first_setup(token, "李四", "x", PASSWORD) == wrong  # once


def test_users_add_and_list_from_the_shell(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'drills.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "--db", url, "add", "张三", "--org", "临港区应急管理局", "--role", "组织者"]) == 0
    assert "已添加账户“张三”（组织者，临港区应急管理局）" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "--db", url, "add", "李四", "--org", "临港区应急管理局", "--role", "evaluator"]) == 1
    assert capsys.readouterr().err.strip() == "密码至少 8 位。"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "--db", url, "add", "张三", "--org", "别处", "--role", "导调员"]) == 1
    assert "已被使用" in capsys.readouterr().err
    assert main(["users", "--db", url, "list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["临港区应急管理局\t张三\t组织者"]
    assert Accounts(DrillStore(url)).sign_in("张三", PASSWORD).is_admin
