"""Accounts for those who run drills, in organisations; sign-in, first-run setup and the drill passcode check.

Three roles, all of one organisation (a district's emergency office, a training centre):

- **组织者 admin** — runs drills, and adds its organisation's accounts and resets their passwords;
- **导调员 facilitator** — creates, resumes and runs drills (the clock, exercise control), sees answer keys, MSELs
  and reference plans, lists its organisation's drills and writes reviews;
- **评估员 evaluator** — reads what a facilitator reads (scores, replays, reports, answer keys: it scores against
  them) and writes reviews and 整改 items, but never runs the clock or creates a drill.

A drill belongs to the organisation of the account that created it; an account sees its organisation's drills only.
Trainees have no account: they join a drill with its code and a seat. Names sign in and are unique on the server;
passwords (at least ``MIN_PASSWORD`` characters, not one of the commonest, per NIST SP 800-63B with throttling) are
kept as salted scrypt hashes, like drill passcodes (``simulator.store.passcodes``). Every failed sign-in and passcode
check is throttled per account, per drill and per client (``simulator.store.throttle``).

First run: while no account exists, :meth:`Accounts.setup_token` makes a one-time token and logs it (the server's
log: only whoever runs the server reads it); the sign-in page's 首次设置 takes it with the first administrator's
name, organisation and password. ``python -m simulator users add`` does the same from the shell. Drills made before
accounts existed (``org_id`` None) are adopted by the first organisation.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from simulator.store.drills import DrillRecord, DrillStore
from simulator.store.passcodes import DUMMY_HASH, check_passcode, hash_secret
from simulator.store.sessions import SIGNED_OUT, token_hash
from simulator.store.tables import AccountRow, DrillRow, ItemRow, OrganisationRow, SessionRow
from simulator.store.throttle import Throttle, account_key, client_key, drill_key
from simulator.vocabulary import Label

log = logging.getLogger(__name__)

ADMIN, FACILITATOR, EVALUATOR = "admin", "facilitator", "evaluator"
ROLES: dict[str, Label] = {
    ADMIN: Label("组织者", "Organiser"),
    FACILITATOR: Label("导调员", "Facilitator"),
    EVALUATOR: Label("评估员", "Evaluator"),
}
#: the roles that create, resume and run drills (the clock, exercise control, the answer key on the console)
RUNS_DRILLS = frozenset({ADMIN, FACILITATOR})
#: NIST SP 800-63B: at least 8 characters for a password the user chose (with throttling), up to at least 64
MIN_PASSWORD, MAX_PASSWORD = 8, 128
MAX_NAME = 64
#: refused whatever their length: the first guesses of any attacker (lists of leaked passwords, Chinese ones too)
COMMON_PASSWORDS = frozenset(
    {
        "12345678", "123456789", "1234567890", "87654321", "11111111", "88888888", "66666666", "00000000",
        "password", "password1", "password123", "passw0rd", "qwertyui", "qwerty123", "1qaz2wsx", "abc12345",
        "abcd1234", "a1234567", "aa123456", "iloveyou", "woaini1314", "woaini520", "qq123456", "admin123",
        "admin888", "admin1234", "administrator", "12341234", "123123123", "147258369", "5201314520",
    }
)  # fmt: skip
WRONG_SIGN_IN = Label("账户名或密码不正确。", "Wrong account name or password.")
WRONG_SETUP = Label("首次设置口令不正确，或已有账户。", "Wrong setup token, or accounts already exist.")


class AccountError(ValueError):
    """An account that cannot be made or changed as asked; ``label`` says why in both languages."""

    def __init__(self, label: Label):
        super().__init__(f"{label.zh} ({label.en})")
        self.label = label


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    org_id: int
    org_name: str

    @property
    def runs_drills(self) -> bool:
        return self.role in RUNS_DRILLS

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def check_password(password: str, again: str | None = None, name: str = "") -> Label | None:
    """What is wrong with a new password, in both languages, or None if it will do."""
    if len(password) < MIN_PASSWORD:
        return Label(f"密码至少 {MIN_PASSWORD} 位。", f"The password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        return Label(f"密码最多 {MAX_PASSWORD} 位。", f"The password may have at most {MAX_PASSWORD} characters.")
    if password.lower() in COMMON_PASSWORDS or (name and password.lower() == name.strip().lower()):
        return Label("密码过于常见，请换一个。", "That password is too common; choose another.")
    if again is not None and password != again:
        return Label("两次输入的密码不一致。", "The two passwords differ.")
    return None


ACCOUNT_NAME = Label("账户名", "The account name")
ORG = Label("组织名称", "The organisation's name")


def check_name(name: str, what: Label = ACCOUNT_NAME) -> Label | None:
    """A name (of an account or an organisation) as it will be shown: not empty, not too long, no control chars."""
    name = name.strip()
    if not name:
        return Label(f"{what.zh}不能为空。", f"{what.en} must not be empty.")
    if len(name) > MAX_NAME:
        return Label(f"{what.zh}最多 {MAX_NAME} 个字。", f"{what.en} may have at most {MAX_NAME} characters.")
    if any(unicodedata.category(c).startswith("C") for c in name):
        return Label(f"{what.zh}含有控制字符。", f"{what.en} contains control characters.")
    return None


class Accounts:
    """The accounts and organisations of one drill store (same database), with the throttle of its sign-ins."""

    def __init__(self, store: DrillStore, clock: Callable[[], float] | None = None):
        self.store = store
        self._session = store._session
        self._read = store._read  # reads never wait for the write lock (``drills._sqlite_begin``)
        self.throttle = Throttle(store, clock)
        self._setup: str | None = None

    # -- organisations and accounts ------------------------------------------------------------------------------
    def any(self) -> bool:
        with self._read() as s:
            return s.scalar(select(func.count()).select_from(AccountRow)) > 0

    def organisation(self, name: str) -> int:
        """The id of the organisation of this name, made if new; the first one made adopts the drills made before
        accounts existed (they belonged to whoever ran the server)."""
        problem = check_name(name, ORG)
        if problem is not None:
            raise AccountError(problem)
        name = name.strip()
        with self._session.begin() as s:
            org = s.scalar(select(OrganisationRow.id).where(OrganisationRow.name == name))
            if org is not None:
                return org
            first = s.scalar(select(func.count()).select_from(OrganisationRow)) == 0
            row = OrganisationRow(name=name, created_at=_now())
            s.add(row)
            s.flush()
            if first:
                s.execute(update(DrillRow).where(DrillRow.org_id.is_(None)).values(org_id=row.id))
                s.execute(update(ItemRow).where(ItemRow.org_id.is_(None)).values(org_id=row.id))  # and their items
            return row.id

    def add(self, name: str, org: str | int, role: str, password: str) -> Account:
        """A new account of an organisation (by id, or by name: made if new). Raises :class:`AccountError`."""
        for problem in (check_name(name), check_password(password, name=name)):
            if problem is not None:
                raise AccountError(problem)
        if role not in ROLES:
            raise AccountError(Label("没有这个角色。", "No such role."))
        org_id = org if isinstance(org, int) else self.organisation(org)
        name = name.strip()
        digest = hash_secret(password)
        with self._session.begin() as s:
            if s.scalar(select(AccountRow.id).where(func.lower(AccountRow.name) == name.lower())) is not None:
                raise AccountError(Label(f"账户名“{name}”已被使用。", f"The account name “{name}” is taken."))
            row = AccountRow(org_id=org_id, name=name, role=role, password_hash=digest, created_at=_now())
            s.add(row)
            s.flush()
            account_id = row.id
        log.info("account added: %s (%s) of organisation %d", name, role, org_id)
        return self.get(account_id)

    def get(self, account_id: int | None) -> Account | None:
        if account_id is None:
            return None
        with self._read() as s:
            row = s.get(AccountRow, account_id)
            return _account(s, row) if row is not None else None

    def list(self, org_id: int | None = None) -> list[Account]:
        """The accounts of an organisation (every account when None), by name."""
        query = select(AccountRow).order_by(AccountRow.org_id, AccountRow.name)
        if org_id is not None:
            query = query.where(AccountRow.org_id == org_id)
        with self._read() as s:
            return [_account(s, row) for row in s.scalars(query)]

    def set_password(self, account_id: int, password: str, keep: str | None = None) -> None:
        """A new password (an administrator's reset, or the account's own change). Raises :class:`AccountError`.

        Every live sign-in of the account ends with it (a reset after a leaked password must shut out whoever used
        it), except the browser token ``keep``: the account changing its own password stays signed in there."""
        account = self.get(account_id)
        problem = check_password(password, name=account.name if account else "")
        if problem is not None:
            raise AccountError(problem)
        kept = token_hash(keep) if keep else None
        with self._session.begin() as s:
            s.get(AccountRow, account_id).password_hash = hash_secret(password)
            live = select(SessionRow).where(SessionRow.account_id == account_id, SessionRow.ended.is_(None))
            for row in s.scalars(live):
                if row.token_hash != kept:
                    row.ended = SIGNED_OUT
        log.info("password set for account %d; its other sign-ins ended", account_id)

    # -- signing in ------------------------------------------------------------------------------------------------
    def sign_in(self, name: str, password: str, client: str = "") -> Account | Label:
        """The account if the name and password are right; else what to show: the same words for a wrong name and
        a wrong password, or the throttle's refusal (how long to wait)."""
        keys = [account_key(name)] + ([client_key(client)] if client else [])

        def verify() -> int | None:
            with self._read() as s:
                row = s.scalar(select(AccountRow).where(func.lower(AccountRow.name) == name.strip().lower()))
                stored = row.password_hash if row is not None else DUMMY_HASH
            ok = check_passcode(password, stored)  # computed either way: the answer takes as long
            return row.id if row is not None and ok else None

        found, refused = self.throttle.attempt(keys, verify, "sign-in")
        if refused is not None:
            return refused
        return self.get(found) if found else WRONG_SIGN_IN

    def open_drill(self, account: Account, code: str, passcode: str, client: str = "") -> DrillRecord | Label:
        """Resume a drill by code and passcode: of the account's organisation only (another organisation's drill
        gets the same answer as a wrong passcode), throttled per drill and per client."""
        keys = [drill_key(code)] + ([client_key(client)] if client else [])

        def verify() -> DrillRecord | None:
            return self.store.open_as_facilitator(code, passcode, org_id=account.org_id)

        record, refused = self.throttle.attempt(keys, verify, f"drill passcode by account {account.id}")
        if refused is not None:
            return refused
        return record or Label("推演码或口令不正确。", "Wrong drill code or passcode.")

    # -- first run -------------------------------------------------------------------------------------------------
    def setup_token(self) -> str | None:
        """While no account exists: this process's one-time setup token, made and logged the first time asked."""
        if self.any():
            self._setup = None
            return None
        if self._setup is None:
            self._setup = secrets.token_urlsafe(12)
            log.warning(
                "尚无任何账户。首次设置口令（一次性）：%s —— 在登录页的“首次设置”中输入，"
                "或在命令行运行 python -m simulator users add。 No account yet; one-time setup token: %s",
                self._setup,
                self._setup,
            )
        return self._setup

    def first_setup(self, token: str, name: str, org: str, password: str, client: str = "") -> Account | Label:
        """The first administrator, with the setup token from the server's log; refused once any account exists.
        Returns the account, or what to show (a wrong token, a bad name or password, the throttle's refusal)."""
        expected = self.setup_token()
        keys = ["setup"] + ([client_key(client)] if client else [])
        _, refused = self.throttle.attempt(
            keys, lambda: expected is not None and hmac.compare_digest(token.strip(), expected), "setup token"
        )
        if refused is not None:
            return refused
        if expected is None or not hmac.compare_digest(token.strip(), expected):
            return WRONG_SETUP
        try:
            account = self.add(name, org, ADMIN, password)
        except AccountError as exc:
            return exc.label
        self._setup = None
        return account


def _account(s, row: AccountRow) -> Account:
    org = s.get(OrganisationRow, row.org_id)
    return Account(row.id, row.name, row.role, row.org_id, org.name if org is not None else "")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
