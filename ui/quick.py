"""快速录入 on the console and on a seat: sentences typed or pasted as spoken, read by ``simulator.quick.parse``
into decisions that are listed to keep, edit or drop, each with the words it came from highlighted, the words not
understood said plainly; the kept ones are submitted one by one through ``ui.decide.take``, the path of a form
decision, so a decision entered this way is the same decision, stored and replayed alike.

What the user typed is shown with Streamlit's own markdown, escaped (no HTML at all), the words highlighted with
``:orange-background[…]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st
from pydantic import ValidationError

from simulator import library
from simulator.engine import Drill
from simulator.formats.plan import ACTIONS
from simulator.quick import parse
from simulator.quick.describe import decision_text
from simulator.quick.parse import completed
from simulator.store import FACILITATOR, DrillRecord
from simulator.vocabulary import ADVICE_KINDS, LEVEL_SHORT, REPORT_MODES, name_of
from ui.common import lang, tr, validation_messages
from ui.decide import DECISION, take
from ui.text import plain

#: the session's current reading: the text, the decisions as plain data, their spans, the words not understood
PARSED = "quick_parsed"
#: how many readings this session has made: the widgets of each reading have keys of their own
ROUND = "quick_round"
_BREAKS = "，,。；;！!？?\n"


def escape(text: str) -> str:
    """User text as literal markdown on one line (``ui.text.plain``: no image, link or HTML, and a ``:color[…]``
    directive's brackets escaped); line breaks as spaces."""
    return plain(text.replace("\n", " "))


def highlighted(text: str, spans: Sequence[Sequence[int]]) -> str:
    """The clause(s) of ``text`` a decision came from, its words on an orange background (all escaped)."""
    if not spans:
        return escape(text)
    first = min(a for a, _ in spans)
    last = max(b for _, b in spans)
    start = max((i + 1 for i, ch in enumerate(text[:first]) if ch in _BREAKS), default=0)
    end = next((i for i in range(last, len(text)) if text[i] in _BREAKS), len(text))
    merged: list[list[int]] = []
    for a, b in sorted((a, b) for a, b in spans):
        if merged and a <= merged[-1][1]:  # touching words are one highlight: 启动三级响应, not three
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, at = [], start
    for a, b in merged:
        out.append(escape(text[at:a]))
        out.append(f":orange-background[{escape(text[a:b])}]")
        at = b
    out.append(escape(text[at:end]))
    return "".join(out)


def quick_entry(
    record: DrillRecord,
    entry: library.Entry,
    drill: Drill,
    *,
    by: str | None = None,
    actions: Sequence[str] = ACTIONS,
    role: str = FACILITATOR,
) -> None:
    """The 快速录入 box: read, check, submit. ``by`` fixes the deciding department (a seat decides for its own)."""
    if drill.finished:
        return
    scenario = entry.scenario
    parsed = st.session_state.get(PARSED)
    with st.expander(tr("quick_title"), expanded=parsed is not None):
        text = st.text_area(tr("quick_text"), key="quick_text", placeholder=tr("quick_placeholder"), max_chars=2000)
        if st.button(tr("quick_parse"), key="quick_parse") and text.strip():
            result = parse(scenario, text, by=by, at=drill.now)
            st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
            parsed = {
                "text": text,
                "decisions": [d.model_dump(mode="json", exclude_defaults=True) for d in result.decisions],
                "spans": result.spans,
                "unparsed": result.unparsed_text(lang()),
                "notes": [note(lang()) for note in result.notes],
            }
            st.session_state[PARSED] = parsed
        if parsed is None:
            return
        _review(record, entry, drill, parsed, actions, role)


def _review(
    record: DrillRecord, entry: library.Entry, drill: Drill, parsed: dict, actions: Sequence[str], role: str
) -> None:
    scenario = entry.scenario
    language = lang()
    n = st.session_state.get(ROUND, 0)
    if parsed["unparsed"]:
        st.warning(tr("quick_unparsed", words=parsed["unparsed"]))
    if not parsed["decisions"]:
        st.info(tr("quick_nothing"))
        return
    st.markdown(tr("quick_found", n=len(parsed["decisions"])))
    kept: list[tuple[int, dict[str, Any]]] = []
    for i, (data, spans) in enumerate(zip(parsed["decisions"], parsed["spans"], strict=True)):
        allowed = data["action"] in actions
        with st.container(border=True):
            keep = st.checkbox(tr("quick_keep"), value=allowed, disabled=not allowed, key=f"quick_{n}_keep_{i}")
            st.markdown(f"{tr('quick_source')}{tr('colon')}{highlighted(parsed['text'], spans)}")
            with st.expander(tr("quick_edit")):
                edited = _edit(scenario, data, f"quick_{n}_{i}")
            try:
                decision = DECISION.validate_python({**edited, "at": drill.now})
            except ValidationError:
                decision = DECISION.validate_python({**data, "at": drill.now})
            shown = decision_text(scenario, completed(scenario, decision), language)
            st.markdown(f"**{escape(shown)}**")
            if not allowed:
                st.caption(tr("quick_not_allowed"))
            if keep and allowed:
                kept.append((i, edited))
    if parsed["notes"]:
        st.caption(f"{tr('quick_notes')}{tr('colon')}" + tr("list_sep").join(escape(x) for x in parsed["notes"]))
    left, right = st.columns(2)
    if right.button(tr("quick_clear"), key="quick_clear"):
        st.session_state.pop(PARSED, None)
        st.rerun()
    if left.button(tr("quick_submit"), type="primary", key="quick_submit", disabled=not kept):
        _submit(record, entry, drill, kept, role)


def _submit(record: DrillRecord, entry: library.Entry, drill: Drill, kept: list, role: str) -> None:
    """Each kept decision, in the order said, through the form's path (stored, timed, the drill rebuilt)."""
    decisions = []
    for i, data in kept:
        try:
            decisions.append(completed(entry.scenario, DECISION.validate_python({**data, "at": drill.now})))
        except ValidationError as exc:
            st.error(tr("quick_wrong", n=i + 1) + "\n\n" + "\n\n".join(f"- {m}" for m in validation_messages(exc)))
            return
    accepted = rejected = 0
    for decision in decisions:
        event = take(record, entry, decision, role)
        if event.kind == "decision_accepted":
            accepted += 1
        else:
            rejected += 1
    st.session_state.pop(PARSED, None)
    kind = "accepted" if not rejected else "rejected"
    st.session_state["last_result"] = (kind, tr("quick_done", accepted=accepted, rejected=rejected))
    st.rerun()


def _edit(scenario, data: dict[str, Any], key: str) -> dict[str, Any]:
    """The decision's fields a person may correct here (who, what, which level, the words); its settings stay as
    read (a decision that needs other settings is dropped here and entered by form)."""
    names = {d.id: d.name for d in scenario.departments}
    depts = list(names)
    out = dict(data)
    for field, value in data.items():
        label = tr(f"quick_field_{field}")
        k = f"{key}_{field}"
        if field == "to" and isinstance(value, list):
            out[field] = st.multiselect(
                label, depts, default=value, format_func=names.get, key=k, placeholder=tr("choose")
            )
        elif field in ("to", "department") and isinstance(value, str) and value in names:
            out[field] = st.selectbox(label, depts, index=depts.index(value), format_func=names.get, key=k)
        elif field == "measure":
            measures = {m.id: m.name for m in scenario.measures}
            ids = list(measures)
            out[field] = st.selectbox(label, ids, index=ids.index(value), format_func=measures.get, key=k)
        elif field in ("person", "location", "topic", "text"):
            out[field] = st.text_input(label, value=value, key=k)
        elif field == "level":
            levels = [1, 2, 3, 4]
            out[field] = st.selectbox(
                label, levels, index=levels.index(value), format_func=lambda x: name_of(LEVEL_SHORT, x, lang()), key=k
            )
        elif field == "mode":
            modes = list(REPORT_MODES)
            out[field] = st.selectbox(
                label, modes, index=modes.index(value), format_func=lambda x: name_of(REPORT_MODES, x, lang()), key=k
            )
        elif field == "kind" and data.get("action") == "advise":
            kinds = list(ADVICE_KINDS)
            out[field] = st.selectbox(
                label, kinds, index=kinds.index(value), format_func=lambda x: name_of(ADVICE_KINDS, x, lang()), key=k
            )
    return out
