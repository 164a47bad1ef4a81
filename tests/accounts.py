"""Accounts for tests: one made in the test's database, a session signed in as it (AppTest), and a sign-in through the
page (a real browser, Playwright)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.store import DrillStore, default_url

if TYPE_CHECKING:  # imported where used: a finding's test file imports this on c482d9d too, which had no accounts
    from simulator.store.accounts import Account

PASSWORD = "drill-room-2026"
ORG = "测试区应急管理局"
NAMES = {"admin": "组织者甲", "facilitator": "导调员甲", "evaluator": "评估员甲"}


def make_account(db: DrillStore, role: str = "facilitator", name: str | None = None, org: str = ORG) -> Account:
    """An account of ``role`` in ``org`` (the same one again if it exists). The first organisation made adopts the
    drills the test created before it (``org_id`` None), so a test may create its drill first."""
    from simulator.store.accounts import Accounts

    store = Accounts(db)
    name = name or NAMES[role]
    found = next((a for a in store.list() if a.name == name), None)
    return found or store.add(name, org, role, PASSWORD)


def signed_in(at, db: DrillStore, role: str = "facilitator", name: str | None = None, org: str = ORG) -> Account:
    """Sign an AppTest session in as an account (as the sign-in page would, without its cookie)."""
    account = make_account(db, role, name, org)
    at.session_state["account_id"] = account.id
    return account


def sign_in_page(page, server, role: str = "facilitator") -> None:
    """Sign in through 登录与账户 in a real browser (Playwright ``page``) as an account made in the database of
    ``server`` (``tests.test_browser.Server``); the browser keeps the sign-in in its cookie, as after a reload."""
    account = make_account(DrillStore(server.env["DRILL_DB_URL"]), role)
    page.goto(f"{server.url}/accounts")
    page.get_by_label("账户名").fill(account.name)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text(f"当前账户：{account.name}").wait_for()
    page.wait_for_function("document.cookie.includes('drill_session=')")  # kept for the next page load


def sign_in_here(at, role: str = "facilitator", name: str | None = None, org: str = ORG) -> Account:
    """:func:`signed_in` in the app's own store (``DRILL_DB_URL``, which the test's fixture set)."""
    return signed_in(at, DrillStore(default_url()), role, name, org)
