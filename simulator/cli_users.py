"""``python -m simulator users``: accounts from the server's shell (``simulator.store.accounts``).

``users add NAME --org ORG --role ROLE`` adds an account (the organisation is made if new; on an empty database this
is the first-run setup, no token needed: whoever has the shell runs the server); the password is asked twice
without echo, or read from the first line of standard input when it is not a terminal (scripts). ``users list``
lists the accounts by organisation; ``users password NAME`` sets a new password (an organiser who forgot theirs).
Messages are Chinese; a refusal goes to standard error and the command exits 1.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from simulator.store import DrillStore, default_url
from simulator.store.accounts import ROLES, AccountError, Accounts, check_password

#: a role as the command takes it: its id or its Chinese name (组织者 / 导调员 / 评估员)
ROLE_NAMES = {**{r: r for r in ROLES}, **{label.zh: r for r, label in ROLES.items()}}


def add_parser(sub) -> None:
    """The ``users`` command and its own commands, on the CLI's subparsers."""
    users = sub.add_parser("users", help="管理导调人员账户 (accounts of those who run drills)")
    users.add_argument("--db", default=None, help="数据库 URL (default: DRILL_DB_URL, else data/drills.db)")
    inner = users.add_subparsers(dest="users_command", required=True)
    add = inner.add_parser("add", help="添加账户 (add an account; its organisation is made if new)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--org", required=True, help="组织名称 (organisation)")
    add.add_argument("--role", required=True, type=_role, help="组织者/admin、导调员/facilitator 或 评估员/evaluator")
    add.set_defaults(func=_add)
    listed = inner.add_parser("list", help="列出账户 (list the accounts)")
    listed.set_defaults(func=_list)
    password = inner.add_parser("password", help="设置新密码 (set a new password)")
    password.add_argument("name", metavar="NAME")
    password.set_defaults(func=_password)


def _role(text: str) -> str:
    role = ROLE_NAMES.get(text.strip())
    if role is None:
        raise argparse.ArgumentTypeError(
            f"没有角色“{text}”：可用 组织者、导调员、评估员（admin、facilitator、evaluator）"
        )
    return role


def _accounts(args: argparse.Namespace) -> Accounts:
    return Accounts(DrillStore(args.db or default_url()))


def _read_password(name: str) -> str | None:
    """Twice without echo at a terminal; else the first line of standard input. None (and said why) if unusable."""
    if sys.stdin.isatty():
        password = getpass.getpass("密码：")
        again = getpass.getpass("再次输入密码：")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
        again = password
    problem = check_password(password, again, name)
    if problem is not None:
        print(problem.zh, file=sys.stderr)
        return None
    return password


def _add(args: argparse.Namespace) -> int:
    accounts = _accounts(args)
    password = _read_password(args.name)
    if password is None:
        return 1
    try:
        account = accounts.add(args.name, args.org, args.role, password)
    except AccountError as exc:
        print(exc.label.zh, file=sys.stderr)
        return 1
    print(f"已添加账户“{account.name}”（{ROLES[account.role].zh}，{account.org_name}）。")
    return 0


def _list(args: argparse.Namespace) -> int:
    found = _accounts(args).list()
    if not found:
        print("尚无任何账户：运行 python -m simulator users add 姓名 --org 组织 --role 组织者")
        return 0
    for account in found:
        print(f"{account.org_name}\t{account.name}\t{ROLES[account.role].zh}")
    return 0


def _password(args: argparse.Namespace) -> int:
    accounts = _accounts(args)
    account = next((a for a in accounts.list() if a.name.lower() == args.name.strip().lower()), None)
    if account is None:
        print(f"没有账户“{args.name}”。", file=sys.stderr)
        return 1
    password = _read_password(account.name)
    if password is None:
        return 1
    accounts.set_password(account.id, password)
    print(f"已为账户“{account.name}”设置新密码。")
    return 0
