"""案例推演: real incidents beside their official investigations.

Open to everyone, like the scenario library: the case's summary, its sources, the official findings about the
response (verbatim, where they stand, the keywords they bear on), the assumptions the case rests on, and a button
that opens the console with the case chosen. For the facilitator whose current drill is of the case: the team's
decisions beside what was actually done (each with its source), and every official finding marked reproduced (the
team made the same mistake, with the events that show it) or avoided.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulator import library
from simulator.casework import actual_drill, compare, decision_rows
from simulator.formats.case import date_text as case_date
from simulator.vocabulary import KEYWORD_LABELS, name_of, when
from ui.common import FACILITATOR, current, experiment, lang, role, tr
from ui.text import plain

st.title(tr("page_cases"))
st.caption(tr("cases_intro"))
language = lang()
entries, errors = library.cases_catalog()
for error in errors:
    st.warning(tr("broken_cases") + "\n\n" + "\n\n".join(f"`{p}`" for p in error.problems))
if not entries:
    st.info(tr("no_cases"))
    st.stop()

active = current() if role() == FACILITATOR else None
ids = [e.id for e in entries]
default = ids.index(active[1].id) if active is not None and active[1].id in ids else 0
choice = st.selectbox(tr("case"), entries, index=default, format_func=lambda e: e.case.title, key="case_pick")
sheet = choice.case


def date_text(date: str | None) -> str:
    return case_date(date, language)


def keywords_text(keywords) -> str:
    return ("、" if language == "zh" else ", ").join(name_of(KEYWORD_LABELS, k, language) for k in keywords)


#: the punctuation around the case's own (Chinese) words, in the page's language
COLON, OPEN, CLOSE, COMMA = ("：", "（", "）", "，") if language == "zh" else (": ", " (", ")", ", ")


st.subheader(plain(sheet.title))
st.caption(f"{tr('case_occurred')}{COLON}{date_text(sheet.occurred)}　{tr('case_place')}{COLON}{plain(sheet.place)}")
st.markdown(plain(sheet.summary))

if st.session_state.get("drill_id") is None:
    if st.button(tr("drill_this_case"), type="primary", key="drill_this_case"):
        st.session_state["drill_this"] = choice.id
        st.switch_page("views/console.py")
else:
    st.caption(tr("drill_this_case_later"))

st.markdown(f"#### {tr('case_sources')}")
st.dataframe(
    pd.DataFrame(
        [
            {
                tr("col_title"): s.title,
                tr("col_publisher"): s.publisher,
                tr("col_date"): date_text(s.date),
                tr("col_note"): s.note,
                tr("col_link"): s.url or "",
            }
            for s in sheet.sources
        ]
    ),
    hide_index=True,
    column_config={tr("col_link"): st.column_config.LinkColumn(tr("col_link"))},
    key="case_sources",
)

st.markdown(f"#### {tr('case_findings')}")
sources = {s.id: s for s in sheet.sources}
for number, finding in enumerate(sheet.findings, start=1):
    source = sources.get(finding.source)
    st.markdown(
        f"**{number}. {plain(finding.plain)}**{OPEN}{keywords_text(finding.keywords)}{CLOSE}\n\n"
        f"> {plain(finding.quote)}\n\n"
        f"{tr('case_source')}{COLON}{plain(source.title) if source else ''}{COMMA}{plain(finding.where)}"
    )

if sheet.assumptions:
    st.markdown(f"#### {tr('case_assumptions')}")
    st.markdown("\n".join(f"- {plain(a)}" for a in sheet.assumptions))

if active is None or active[1].id != choice.id:
    st.stop()

# -- after (or during) a drill of this case: the team beside what was actually done -------------------------
record, entry, drill = active
st.markdown(f"#### {tr('case_against_drill')}")
found = experiment(entry, record.seed, drill, record.id)
rows = compare(sheet, found.score)
reproduced = [r for r in rows if r.reproduced]
cols = st.columns(3)
cols[0].metric(tr("case_reproduced"), len(reproduced))
cols[1].metric(tr("case_avoided"), sum(r.avoided for r in rows))
cols[2].metric(tr("total"), f"{found.score['total']:.1f}")
clock = entry.scenario.start_clock
for number, row in enumerate(rows, start=1):
    lines = [f"{when(clock, item['t'], language)} {plain(item['text'])}" for item in row.evidence]
    body = f"**{number}. {plain(row.finding.plain)}**{COLON}“{plain(row.finding.quote)}”"
    if row.reproduced:
        st.error(body + "\n\n" + tr("case_reproduced_note") + "\n\n" + "\n\n".join(f"- {x}" for x in lines))
    elif not row.tested:
        st.info(body + "\n\n" + tr("case_beyond_note"))
    else:
        st.success(body + "\n\n" + tr("case_avoided_note"))

team, actual = st.columns(2)
with team:
    st.markdown(f"##### {tr('case_team_decisions')}")
    st.dataframe(
        pd.DataFrame(
            [
                {tr("col_time"): r.when, tr("col_by"): r.by, tr("col_decision"): r.text}
                for r in decision_rows(entry.scenario, drill.log, language)
            ],
            columns=[tr("col_time"), tr("col_by"), tr("col_decision")],
        ),
        hide_index=True,
        key="case_team_decisions",
    )
with actual:
    st.markdown(f"##### {tr('case_actual_decisions')}")
    happened = actual_drill(entry, record.seed)
    st.dataframe(
        pd.DataFrame(
            [
                {tr("col_time"): r.when, tr("col_by"): r.by, tr("col_decision"): r.text, tr("col_source"): r.note}
                for r in (decision_rows(entry.scenario, happened.log, language) if happened else [])
            ],
            columns=[tr("col_time"), tr("col_by"), tr("col_decision"), tr("col_source")],
        ),
        hide_index=True,
        key="case_actual_decisions",
    )
