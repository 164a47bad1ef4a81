"""推演控制台: the door to a drill (create, resume, join, import) and, for the facilitator, the drill itself —
the clock, decisions, the department board, the network with messages in flight, the live score, the MSEL and
the answer key."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import yaml

from simulator import FileFormatError, library, load_plan
from simulator.engine.state import STATUS_NAMES, state_at
from simulator.formats.durations import clock_text
from simulator.formats.loader import MAX_FILE_BYTES
from ui.charts import network_figure, radar_figure
from ui.common import FACILITATOR, TRAINEE, catalog, current, role, score, sign_in, sign_out, stamp, store, tr
from ui.decide import decision_panel

st.title(tr("page_console"))


def door() -> None:
    """Create, resume, join or import: the only part of the console anyone may see."""
    entries = catalog()
    create, resume, join, upload = st.tabs([tr("create_tab"), tr("resume_tab"), tr("join_tab"), tr("import_tab")])
    with create, st.form("start"):
        entry = st.selectbox(tr("scenario"), entries, format_func=lambda e: e.scenario.title, key="new_scenario")
        team = st.text_input(tr("team"), placeholder="如：第一组（区政府办公室）", max_chars=100)
        seed = st.number_input(tr("seed"), min_value=0, max_value=2**31 - 1, value=1, step=1)
        passcode = st.text_input(tr("passcode"), type="password", max_chars=100, key="new_passcode")
        again = st.text_input(tr("passcode_again"), type="password", max_chars=100, key="new_passcode_again")
        if st.form_submit_button(tr("start_drill"), type="primary"):
            if len(passcode) < 4 or passcode != again:
                st.error("口令至少 4 位，且两次输入须一致。")
            else:
                record = store().create(entry.id, entry.scenario.version, int(seed), team.strip(), passcode)
                sign_in(record.id, FACILITATOR)
                st.rerun()
    with resume, st.form("resume"):
        code = st.text_input(tr("drill_code"), max_chars=12, key="resume_code")
        passcode = st.text_input(tr("passcode"), type="password", max_chars=100, key="resume_passcode")
        if st.form_submit_button(tr("open")):
            record = store().open_as_facilitator(code, passcode)
            if record is None:
                st.error(tr("wrong_code_or_passcode"))
            else:
                sign_in(record.id, FACILITATOR)
                st.rerun()
    with join:
        code = st.text_input(tr("drill_code"), max_chars=12, key="join_code")
        record = store().by_code(code) if code.strip() else None
        if code.strip() and record is None:
            st.error(tr("unknown_code"))
        entry = library.find(record.scenario_id) if record else None
        if entry is not None:
            depts = {d.id: d.name for d in entry.scenario.departments if d.kind != "higher_level"}
            dept = st.selectbox(tr("my_department"), list(depts), format_func=depts.get, key="join_dept")
            if st.button(tr("join"), type="primary", key="join_button"):
                sign_in(record.id, TRAINEE, dept)
                st.rerun()
    with upload:
        file = st.file_uploader("推演文件（YAML）", type=["yaml", "yml"], key="import_file")
        passcode = st.text_input(tr("passcode"), type="password", max_chars=100, key="import_passcode")
        if file is not None and st.button("导入", key="import_button"):
            import_drill(file, passcode)


def import_drill(file, passcode: str) -> None:
    if file.size > MAX_FILE_BYTES:
        st.error(f"{file.name}: 文件过大（{file.size} 字节），上限 {MAX_FILE_BYTES} 字节")
        return
    try:
        plan = load_plan(file.name, file.getvalue())
    except FileFormatError as exc:
        st.error("推演文件有误：\n\n" + "\n\n".join(f"- `{p}`" for p in exc.problems))
        return
    entry = library.find(plan.scenario or "")
    if entry is None or plan.seed is None:
        st.error(f"{file.name}: scenario / seed: 推演文件须注明场景库中已有的场景和随机种子")
        return
    if len(passcode) < 4:
        st.error("请为导入的推演设置至少 4 位的导调口令。")
        return
    record = store().import_plan(plan, entry.scenario.version, passcode)
    sign_in(record.id, FACILITATOR)
    st.rerun()


active = current() if role() == FACILITATOR else None
if active is None:
    if role() == TRAINEE:
        st.info("参演人员请在“参演席位”页面参加推演。")
        st.stop()
    door()
    st.stop()

record, entry, drill = active
scenario = entry.scenario
state = state_at(drill.log, drill.now)


def advance(to_minute: float) -> None:
    store().set_clock(record.id, min(to_minute, scenario.duration))


head = st.columns([3, 2, 2, 2])
head[0].markdown(f"**{scenario.title}**  \n推演码 `{record.code}` · {record.team or '未命名队伍'} · 种子 {record.seed}")
head[1].metric(tr("clock"), f"T+{drill.now:g} 分", help=f"时钟 {clock_text(scenario.start_clock, drill.now)}")
head[2].metric(tr("exposed"), state.hazard.get("exposed", 0))
head[3].metric(f"{tr('injured')} / {tr('dead')}", f"{state.injured} / {state.dead}")

if drill.finished:
    st.success(tr("finished"))
    if st.button(tr("new_drill"), key="new_drill"):
        sign_out()
        st.rerun()
else:
    controls = st.columns([1, 1, 1, 1, 1, 1])
    upcoming = drill.next_inject_at()
    if controls[0].button(tr("next_inject"), disabled=upcoming is None, key="next_inject"):
        advance(upcoming)
        st.rerun()
    if controls[1].button(tr("plus5"), key="plus5"):
        advance(drill.now + 5)
        st.rerun()
    target = controls[2].number_input(
        tr("advance_to"),
        min_value=float(drill.now),
        max_value=float(scenario.duration),
        value=float(drill.now),
        step=5.0,
        key="advance_target",
        label_visibility="collapsed",
    )
    if controls[3].button(tr("go"), key="advance_go"):
        advance(target)
        st.rerun()
    if controls[4].button(tr("refresh"), key="refresh"):
        st.rerun()  # decisions from the trainees' seats appear on the next run
    if controls[5].button(tr("end_drill"), type="primary", key="end_drill"):
        drill.finish()
        store().finish(record.id, score(entry, drill), scenario.duration)
        st.rerun()

left, right = st.columns([5, 6])
with left:
    decision_panel(record, entry, drill)
    st.subheader(tr("inject_feed"))
    names = {d.id: d.name for d in scenario.departments}
    feed = [e for e in drill.log if e.kind in ("inject_released", "info_received", "decision_rejected")]
    for e in reversed(feed[-30:]):
        when = stamp(scenario, e.t)
        if e.kind == "inject_released":
            st.info(f"**{when} 【{e['title']}】** → {names[e['to']]}  \n{e['text']}")
        elif e.kind == "info_received":
            st.info(f"**{when} 收到{names[e['from']]}回复（{e['topic']}）**  \n{e['text']}")
        else:
            st.warning(f"**{when} 决策被拒（{e['action']}，{names.get(e['by'], e['by'])}）**  \n{e['reason']}")

with right:
    st.subheader(tr("status_board"))
    board = []
    for d in scenario.departments:
        ds = state.departments.get(d.id)
        board.append(
            {
                "部门": d.name,
                "状态": STATUS_NAMES[ds.status] if ds else STATUS_NAMES["idle"],
                "接到通知": f"T+{ds.notified_at:g}" if ds and ds.notified_at is not None else "",
                "到场": f"T+{ds.arrived_at:g}" if ds and ds.arrived_at is not None else "",
                "执行中任务": len(ds.tasks_running) if ds else 0,
            }
        )
    st.dataframe(pd.DataFrame(board), hide_index=True, height=250)
    st.subheader(tr("network"))
    st.caption(f"在途消息 {len(state.in_flight)} 条；中断信道：{'、'.join(sorted(state.channels_cut)) or '无'}")
    st.plotly_chart(network_figure(scenario, state, height=380), key="console_network")
    live = score(entry, drill)
    st.subheader(tr("live_score"))
    cols = st.columns(2)
    cols[0].metric(tr("total"), f"{live['total']:.1f}")
    cols[1].metric(tr("grade"), live["grade"])
    st.plotly_chart(radar_figure(live), key="console_radar")

with st.expander(tr("msel")):
    released = {e["inject"]: e.t for e in drill.log.of("inject_released")}
    skipped = {e["inject"] for e in drill.log.of("inject_skipped")}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "编号": i.id,
                    "时间": f"T+{i.at:g}" if i.at is not None else f"{i.after} 后 {i.delay:g}",
                    "接收": names[i.to],
                    "标题": i.title,
                    "状态": f"已注入 T+{released[i.id]:g}"
                    if i.id in released
                    else ("未触发" if i.id in skipped else "待注入"),
                }
                for i in scenario.injects
            ]
        ),
        hide_index=True,
    )
with st.expander(tr("answer_key")):
    key = scenario.answer_key
    st.markdown(
        f"- 事件类型：{key.event_type}；响应级别：{'ⅠⅡⅢⅣ'[key.level - 1]}级\n"
        f"- 应通知部门：{'、'.join(names[d] for d in key.required_departments)}\n"
        f"- 应设工作组：{'、'.join(key.working_groups) or '—'}"
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "措施": m.measure,
                    "执行部门": "、".join(names[d] for d in m.departments),
                    "参数": "，".join(f"{k}={v.value:g}±{v.tolerance:g}" for k, v in m.params.items()),
                    "最迟下达（分钟）": m.by,
                }
                for m in key.measures
            ]
        ),
        hide_index=True,
    )

st.download_button(
    tr("export_drill"),
    yaml.safe_dump(record.as_plan().to_yaml_data(), allow_unicode=True, sort_keys=False),
    file_name=f"推演_{record.code}.yaml",
    mime="application/x-yaml",
    key="export_drill",
)
