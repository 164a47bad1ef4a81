"""The report page's 演练基本信息 form: the drill's own facts (date, venue, organiser, 导调组, 评估组, participants,
objectives, report title, 整改 deadline), prefilled from what is stored, else from the drill record.

Why a module of its own: the form turns widgets into a ``DrillFacts`` and a pydantic refusal into lines that name
the field in the reader's language (第2行的单位不能超过60个字), which the page should not have to spell out. The
model (``simulator.report.facts``) owns the bounds; the form only mirrors them for the browser's sake.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from simulator.report.facts import TITLE_KINDS, DrillFacts, Participant
from simulator.store import DrillRecord
from simulator.store.facts import save_facts
from ui.common import role, store, tr
from ui.text import plain

#: the model's field (or a participant's) → its label key
FIELD_KEYS = {
    "date": "facts_date",
    "venue": "facts_venue",
    "organiser": "facts_organiser",
    "director": "facts_director",
    "evaluators": "facts_evaluators",
    "participants": "facts_participants",
    "unit": "facts_unit",
    "people": "facts_people",
    "names": "facts_names",
    "objectives": "facts_objectives",
    "title_kind": "facts_title_kind",
    "deadline_days": "facts_deadline",
}
TITLE_KEYS = dict(zip(TITLE_KINDS, ("facts_title_survey", "facts_title_summary"), strict=True))
_NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")


def from_record(record: DrillRecord | None) -> DrillFacts | None:
    """What the drill record already knows: the day it was created and the team as a participating unit."""
    if record is None:
        return None
    try:  # stored in UTC; the drill's day is the server's local day (a 07:00 drill in Beijing is 23:00 UTC)
        day = dt.datetime.fromisoformat(record.created_at).astimezone().date()
    except ValueError:
        day = None
    team = record.team.strip()[:60]
    return DrillFacts(date=day, participants=(Participant(unit=team),) if team else ())


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _cell(value: Any) -> str:
    return "" if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else str(value).strip()


def _count(text: str) -> int | str | None:
    """A head count as typed (``3``, ``3人``); anything else is passed on for the model to refuse by name."""
    text = text.removesuffix("人").strip()
    return int(text) if text.isdigit() else (text or None)


def participants_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The data editor's rows as participants (raw: the model validates); wholly empty rows are dropped."""
    out = []
    for unit, people, names in frame[["unit", "people", "names"]].itertuples(index=False):
        unit, people, names = _cell(unit), _cell(people), _cell(names)
        if not (unit or people or names):
            continue
        out.append(
            {
                "unit": unit,
                "people": _count(people),
                "names": tuple(n for n in _NAME_SEPARATORS.split(names) if n),
            }
        )
    return out


def _frame(facts: DrillFacts | None) -> pd.DataFrame:
    rows = facts.participants if facts else ()
    return pd.DataFrame(
        {
            "unit": pd.Series([p.unit for p in rows], dtype="object"),
            "people": pd.Series(["" if p.people is None else str(p.people) for p in rows], dtype="object"),
            "names": pd.Series(["、".join(p.names) for p in rows], dtype="object"),
        }
    )


def field_name(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as the form names it: 参演单位和人员第2行的单位, 导调组第3项."""
    text = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            text += tr("facts_row" if i == 1 and loc[0] == "participants" else "facts_item", n=part + 1)
        elif part in FIELD_KEYS:
            label = tr(FIELD_KEYS[part])
            text = text + tr("facts_of", field=label) if text else label
    return text or tr("form")


def messages(exc: ValidationError) -> list[str]:
    """Each refusal as a line naming the field and the bound, in the reader's language."""
    lines = []
    for err in exc.errors():
        field = field_name(tuple(err["loc"]))
        limit = (err.get("ctx") or {}).get("max_length")
        kind = err["type"]
        if kind == "string_too_long":
            lines.append(tr("facts_too_long", field=field, n=limit))
        elif kind == "too_long":
            lines.append(tr("facts_too_many", field=field, n=limit))
        elif kind in ("string_too_short", "missing"):
            lines.append(tr("facts_empty", field=field))
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            lines.append(tr("facts_out_of_range", field=field))
        else:
            lines.append(tr("facts_invalid", field=field))
    return lines


def version(stored: DrillFacts | None, record: DrillRecord) -> str:
    """The widgets' key suffix: a new one when the drill or its stored facts change, so the form is filled again
    from what is stored (the data editor would otherwise apply its edits a second time); while an entry is
    refused, the key stays and so does what was typed."""
    digest = hashlib.sha256((stored.model_dump_json() if stored else "").encode()).hexdigest()[:10]
    return f"{record.id}_{digest}"


def facts_form(record: DrillRecord | None, stored: DrillFacts | None) -> DrillFacts | None:
    """Draw the form; on 保存, validate and store. Returns the facts the draft should use: the stored ones (just
    saved ones included), else what the record knows."""
    st.markdown(f"#### {tr('facts_heading')}")
    st.caption(tr("facts_intro"))
    if record is None:
        st.caption(tr("facts_needs_record"))
        return None
    shown = stored or from_record(record)
    key = version(stored, record)
    limits = {name: _max_length(name) for name in ("venue", "organiser")}
    with st.form(f"facts_form_{record.id}"):
        cols = st.columns(2)
        date = cols[0].date_input(tr("facts_date"), value=shown.date, key=f"facts_date_{key}")
        title_kind = cols[1].selectbox(
            tr("facts_title_kind"),
            TITLE_KINDS,
            index=TITLE_KINDS.index(shown.title_kind),
            format_func={kind: tr(k) for kind, k in TITLE_KEYS.items()}.get,  # words now: see pick_drill
            key=f"facts_title_{key}",
        )
        venue = st.text_input(tr("facts_venue"), value=shown.venue, max_chars=limits["venue"], key=f"facts_venue_{key}")
        organiser = st.text_input(
            tr("facts_organiser"), value=shown.organiser, max_chars=limits["organiser"], key=f"facts_organiser_{key}"
        )
        cols = st.columns(2)
        director = _list_area(cols[0], "director", shown, key)
        evaluators = _list_area(cols[1], "evaluators", shown, key)
        st.markdown(tr("facts_participants"))
        frame = st.data_editor(
            _frame(shown),
            num_rows="dynamic",
            width="stretch",
            hide_index=True,
            column_config={
                "unit": st.column_config.TextColumn(tr("facts_unit"), width="medium"),
                # text, not a number column: an unknown count stays blank instead of showing "None"
                "people": st.column_config.TextColumn(
                    tr("facts_people"), width="small", validate=r"^\s*\d{0,6}\s*人?\s*$"
                ),
                "names": st.column_config.TextColumn(tr("facts_names"), help=tr("facts_names_help"), width="medium"),
            },
            key=f"facts_participants_{key}",
        )
        objectives = _list_area(st, "objectives", shown, key)
        deadline = st.columns(2)[0].number_input(
            tr("facts_deadline"),
            min_value=1,
            max_value=365,
            value=shown.deadline_days,
            step=1,
            help=tr("facts_deadline_help"),
            key=f"facts_deadline_{key}",
        )
        saved = st.form_submit_button(tr("facts_save"), type="primary")
    if not saved:
        return stored or shown
    try:
        facts = DrillFacts(
            date=date,
            venue=venue,
            organiser=organiser,
            director=director,
            evaluators=evaluators,
            participants=participants_of(frame),
            objectives=objectives,
            title_kind=title_kind,
            deadline_days=int(deadline),
        )
        facts = save_facts(store(), record.id, facts, role=role() or "")
    except ValidationError as exc:
        st.error(tr("facts_wrong") + "\n\n" + "\n".join(f"- {plain(line)}" for line in messages(exc)))
        return stored or shown
    st.success(tr("facts_saved"))
    return facts


def _list_area(where: Any, name: str, shown: DrillFacts, key: str) -> tuple[str, ...]:
    """A list field (导调组, 评估组, 演练目标) as a text area, one entry a line; returns the non-empty lines."""
    text = where.text_area(
        tr(FIELD_KEYS[name]),
        value="\n".join(getattr(shown, name)),
        help=tr("facts_one_per_line"),
        height=90,
        key=f"facts_{name}_{key}",
    )
    return _lines(text)


def _max_length(name: str) -> int | None:
    """The model's bound on a text field, so the browser stops typing where the server would refuse."""
    for meta in DrillFacts.model_fields[name].metadata:
        if getattr(meta, "max_length", None) is not None:
            return meta.max_length
    return None
