"""登录与账户: an organiser, facilitator or evaluator signs in here; on an empty database, 首次设置 creates the first
organiser with the one-time token from the server's log. Signed in: who and what the account may do, its own
password, and — for an organiser — the organisation's accounts (add one, reset a password).

The rules (roles, password length, throttling, organisations) are ``simulator.store.accounts``'s; this page asks and
says. A trainee signed in to a seat never sees this page (its navigation is the seat only).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulator.store.accounts import MIN_PASSWORD, ROLES, AccountError, check_password
from simulator.vocabulary import Label
from ui.common import account, accounts, client, lang, sign_in_account, tr
from ui.text import plain

st.title(tr("page_accounts"))


def sign_in_form() -> None:
    st.subheader(tr("sign_in_title"))
    st.caption(tr("sign_in_intro"))
    with st.form("sign_in"):
        name = st.text_input(tr("account_name"), max_chars=64, key="sign_in_name")
        password = st.text_input(tr("password"), type="password", max_chars=128, key="sign_in_password")
        if st.form_submit_button(tr("sign_in"), type="primary"):
            found = accounts().sign_in(name, password, client())
            if isinstance(found, Label):  # what to show: a wrong name or password, or how long to wait
                st.error(found(lang()))
            else:
                sign_in_account(found)
                st.rerun()


def setup_form() -> None:
    """首次设置: the first organiser, with the token from the server's log."""
    st.subheader(tr("setup_title"))
    st.info(tr("setup_intro"))
    with st.form("setup"):
        token = st.text_input(tr("setup_token"), type="password", max_chars=64, key="setup_token")
        org = st.text_input(tr("org_name"), max_chars=64, key="setup_org")
        name = st.text_input(tr("account_name"), max_chars=64, key="setup_name")
        password, again = new_password("setup_password")
        if st.form_submit_button(tr("setup_button"), type="primary"):
            problem = check_password(password, again, name)
            if problem is not None:
                st.error(problem(lang()))
                return
            made = accounts().first_setup(token, name, org, password, client())
            if isinstance(made, Label):
                st.error(made(lang()))
            else:
                sign_in_account(made)
                st.rerun()


def new_password(key: str, label: str | None = None) -> tuple[str, str]:
    """A new password typed twice (the rule as the first field's help); keys ``key`` and ``key_again``."""
    rule = tr("password_hint", n=MIN_PASSWORD)
    password = st.text_input(label or tr("password"), type="password", max_chars=128, key=key, help=rule)
    return password, st.text_input(tr("password_again"), type="password", max_chars=128, key=f"{key}_again")


def role_name(role: str) -> str:
    return ROLES[role](lang())


def own_password(signed) -> None:
    with st.expander(tr("password_change")), st.form("own_password", clear_on_submit=True):
        current = st.text_input(tr("password_current"), type="password", max_chars=128, key="own_current")
        new, again = new_password("own_new", tr("password_new"))
        if st.form_submit_button(tr("password_change_button")):
            checked = accounts().sign_in(signed.name, current, client())  # the current password, throttled too
            problem = check_password(new, again, signed.name)
            if isinstance(checked, Label):
                st.error(checked(lang()))
            elif problem is not None:
                st.error(problem(lang()))
            else:
                accounts().set_password(signed.id, new, keep=st.session_state.get("token"))
                st.success(tr("password_changed"))


def organisation(signed) -> None:
    """An organiser's: the organisation's accounts, a new one, a password reset."""
    members = accounts().list(signed.org_id)
    st.subheader(tr("org_accounts"))
    st.dataframe(
        pd.DataFrame([{tr("col_account"): a.name, tr("col_role"): role_name(a.role)} for a in members]),
        hide_index=True,
        key="org_accounts",
    )
    left, right = st.columns(2)
    with left, st.form("account_add", clear_on_submit=True):
        st.markdown(f"**{tr('account_add')}**")
        name = st.text_input(tr("account_name"), max_chars=64, key="add_name")
        roles = {r: role_name(r) for r in ROLES}  # the words now: a format function may run outside this run
        chosen = st.selectbox(tr("account_role"), list(roles), format_func=roles.get, index=1, key="add_role")
        password, again = new_password("add_password")
        if st.form_submit_button(tr("account_add_button"), type="primary"):
            problem = check_password(password, again, name)
            if problem is not None:
                st.error(problem(lang()))
            else:
                try:
                    accounts().add(name, signed.org_id, chosen, password)
                except AccountError as exc:
                    st.error(exc.label(lang()))
                else:
                    st.session_state["accounts_flash"] = tr("account_added", name=plain(name.strip()))
                    st.rerun()
    with right, st.form("password_reset", clear_on_submit=True):
        st.markdown(f"**{tr('password_reset')}**")
        names = {a.id: a.name for a in members}
        whose = st.selectbox(tr("col_account"), list(names), format_func=names.get, key="reset_account")
        password, again = new_password("reset_password", tr("password_new"))
        if st.form_submit_button(tr("password_reset_button")):
            problem = check_password(password, again, names.get(whose, ""))
            if problem is not None:
                st.error(problem(lang()))
            else:
                accounts().set_password(whose, password)  # only an account of this organisation is offered
                st.success(tr("password_was_reset", name=plain(names[whose])))


signed = account()
if signed is None:
    if accounts().setup_token() is not None:  # no account yet: the first organiser
        setup_form()
    else:
        sign_in_form()
    st.stop()

st.subheader(f"{plain(signed.name)} · {role_name(signed.role)}")
st.caption(tr("account_org", org=plain(signed.org_name)))
st.markdown(tr(f"account_role_rights_{signed.role}"))
flash = st.session_state.pop("accounts_flash", None)
if flash:
    st.success(flash)
own_password(signed)
if signed.is_admin:
    organisation(signed)
