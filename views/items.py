"""整改台账: the facilitator's ledger of a team's 整改 items, carried from one drill into the next.

Each ranked problem of a finished drill became an item (``simulator.store.items.close_drill``); the team's next drill
checked each open one (fixed → 已整改待检验 with that drill as proof, recurred → 复发). Here the facilitator reads
them (by team and status), edits one (status, e.g. 销号 an item a drill verified fixed; the responsible unit, the
measure, the due date, notes), reads every check with its evidence, and exports or imports the 问题整改台账 workbook.

Facilitator only: never in a trainee's navigation (``app.py``), and the page stops for any other role. Item texts
are the report's official Chinese and stay Chinese under the English switch; the page around them does not.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from simulator import FileFormatError, library
from simulator.formats.loader import MAX_FILE_BYTES, MAX_FILE_MB
from simulator.loop import items_workbook
from simulator.store.items import STATUSES, import_workbook, save_items, team_items, teams
from simulator.vocabulary import KEYWORD_LABELS, name_of, when
from ui.common import STAFF, account, drill_entry, lang, role, store, too_large, tr
from ui.text import plain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: an item's status -> the i18n key of its name
STATUS_KEYS = {
    "待整改": "item_status_todo",
    "整改中": "item_status_doing",
    "已整改待检验": "item_status_fixed",
    "已销号": "item_status_closed",
    "复发": "item_status_recurred",
}
VERDICT_KEYS = {"fixed": "verdict_fixed", "recurred": "verdict_recurred", "not_applicable": "verdict_not_applicable"}
#: a status the facilitator may set only after a drill verified the item fixed
CLOSED = "已销号"
VERIFIED = "已整改待检验"


def status_name(status: str) -> str:
    return tr(STATUS_KEYS[status]) if status in STATUS_KEYS else status


st.title(tr("page_items"))
if role() not in STAFF:  # the navigation shows this page to signed-in accounts only; this is the second line
    st.stop()

db = store()
signed = account()
org_id = signed.org_id if signed is not None else None  # an organisation sees its own teams only
known = teams(db, org_id)
mine = db.load_row(st.session_state["drill_id"]) if st.session_state.get("drill_id") else None
cols = st.columns([2, 3])
team = None
if known:
    default = known.index(mine.team) if mine is not None and mine.team in known else 0
    team = cols[0].selectbox(tr("team"), known, index=default, key="items_team")
shown_statuses = cols[1].multiselect(
    tr("item_status"),
    list(STATUSES),
    default=[s for s in STATUSES if s != CLOSED],
    key="items_status",
    format_func=status_name,
    placeholder=tr("choose"),
)
items = team_items(db, team, shown_statuses, org_id) if team is not None else []
flash = st.session_state.pop("items_flash", None)
if flash:
    st.success(flash)

drill_codes: dict[int, str] = {}


def drill_label(drill_id: int | None) -> str:
    """A drill as people name it: its code (an imported item's drill is no longer here: 导入)."""
    if drill_id is None:
        return tr("item_imported")
    if drill_id not in drill_codes:
        row = db.load_row(drill_id)
        drill_codes[drill_id] = row.code if row is not None else tr("item_drill_gone")
    return drill_codes[drill_id]


def check_line(check) -> str:
    verdict = tr(VERDICT_KEYS.get(check.verdict, "verdict_not_applicable"))
    return f"{drill_label(check.drill_id)} · {check.at} · {verdict}"


if not items:
    st.info(tr("no_items") if team is not None else tr("no_items_yet"))
else:
    rows = [
        {
            tr("col_item_id"): item.id,
            tr("item_status"): status_name(item.status),
            tr("col_keyword"): name_of(KEYWORD_LABELS, item.keyword, lang()),
            tr("col_problem"): item.problem,
            tr("col_owner"): item.owner,
            tr("col_item_measure"): item.measure,
            tr("col_due"): item.due.isoformat() if item.due else "",
            tr("col_from_drill"): drill_label(item.drill_id),
            tr("col_last_check"): check_line(item.checks[-1]) if item.checks else "",
            tr("col_notes"): item.notes,
        }
        for item in items
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="items_table")

    # -- edit one item -------------------------------------------------------------------------------------------
    st.markdown(f"#### {tr('edit_item')}")
    by_id = {item.id: item for item in items}
    chosen = by_id[
        st.selectbox(
            tr("col_item_id"), list(by_id), key="items_pick", format_func=lambda i: f"{i} · {by_id[i].problem[:40]}"
        )
    ]
    # the widgets are keyed by the item as stored: an item changed by a save, an import or another browser gets fresh
    # fields showing what is stored now (a keyed widget would keep what it held); a refused entry keeps the typing
    tag = f"{chosen.id}_{hashlib.sha256(chosen.model_dump_json().encode()).hexdigest()[:8]}"
    with st.form(f"item_form_{tag}"):
        status = st.selectbox(
            tr("item_status"),
            list(STATUSES),
            index=list(STATUSES).index(chosen.status) if chosen.status in STATUSES else 0,
            format_func=status_name,
            key=f"item_status_{tag}",
        )
        owner = st.text_input(tr("col_owner"), value=chosen.owner, max_chars=100, key=f"item_owner_{tag}")
        measure = st.text_area(tr("col_item_measure"), value=chosen.measure, max_chars=2000, key=f"item_measure_{tag}")
        due = st.date_input(tr("col_due"), value=chosen.due, key=f"item_due_{tag}")
        notes = st.text_area(tr("col_notes"), value=chosen.notes, max_chars=2000, key=f"item_notes_{tag}")
        saved = st.form_submit_button(tr("save_item"), type="primary")
    if saved:
        problems = []
        if not owner.strip():
            problems.append(tr("item_err_owner"))
        if not measure.strip():
            problems.append(tr("item_err_measure"))
        if status == CLOSED and chosen.status not in (CLOSED, VERIFIED):
            problems.append(tr("item_err_close"))
        if problems:  # nothing is stored: the ledger keeps the item as it was
            st.error("\n\n".join(problems))
        else:
            changed = chosen.model_copy(
                update={
                    "status": status,
                    "owner": owner.strip(),
                    "measure": measure.strip(),
                    "due": due if isinstance(due, dt.date) else None,
                    "notes": notes.strip(),
                }
            )
            save_items(db, [changed], role(), org_id)
            st.session_state["items_flash"] = tr("item_saved", item=chosen.id)
            st.rerun()

    # -- each item's checks with their evidence ------------------------------------------------------------------
    checked = [item for item in items if item.checks]
    if checked:
        st.markdown(f"#### {tr('item_checks')}")
    for item in checked:
        with st.expander(f"{item.id} · {status_name(item.status)} · {plain(item.problem)}"):
            for check in item.checks:
                checked_on = store().load_row(check.drill_id) if check.drill_id is not None else None
                entry = drill_entry(checked_on) if checked_on is not None else library.find(check.scenario)
                title = entry.scenario.title if entry is not None else check.scenario
                st.markdown(f"**{plain(check_line(check))}** · {plain(title)}")
                if check.note:
                    st.caption(plain(check.note))
                for ev in check.evidence:
                    moment = (
                        when(entry.scenario.start_clock, ev["t"], lang()) if entry and ev.get("t") is not None else ""
                    )
                    st.markdown(f"- {moment} {plain(ev.get('text', ''))}".rstrip())

# -- the workbook --------------------------------------------------------------------------------------------------
st.markdown(f"#### {tr('items_workbook')}")
if items:
    st.download_button(
        f"{tr('download')} {tr('items_workbook')} .xlsx",
        data=lambda: items_workbook(items),
        file_name=f"{tr('items_workbook_file')}.xlsx",
        mime=XLSX,
        key="items_export",
        on_click="ignore",
    )
upload = st.file_uploader(tr("items_import"), type=["xlsx"], key="items_upload", max_upload_size=MAX_FILE_MB)
if upload is not None and st.button(tr("items_import_go"), key="items_import_go"):
    if upload.size > MAX_FILE_BYTES:  # refused before a byte is read
        st.error(too_large(upload.name, upload.size))
    else:
        try:
            imported = import_workbook(db, upload.getvalue(), upload.name, role(), org_id)
        except FileFormatError as exc:
            st.error(tr("items_file_wrong") + "\n\n" + "\n\n".join(f"- `{p}`" for p in exc.problems))
        else:
            st.session_state["items_flash"] = tr("items_imported", n=len(imported))
            st.rerun()
