"""批量分析: one scenario's plans run under many seeds (simulator.batch), their distributions, and the paired
comparison of two plans on the same seeds.

Where the runs go: a Dask client kept for the life of the server (``st.cache_resource``) on a LocalCluster of one
worker process per core — or on an existing cluster when ``DRILL_DASK_SCHEDULER`` names its scheduler. Why not a
LocalCluster per click: starting one costs 3–5 s (processes, imports, jieba's dictionary), more than a 200-run
batch itself; why not a thread pool: the engine is pure Python, so threads would share one core. The kept client
goes through the same ``simulator.batch.run_job`` as the command line, and its workers stay warm (each has parsed
the scenario once). A batch that fails drops the client, so the next one starts a fresh cluster.
"""

from __future__ import annotations

import contextlib
import os

import plotly.express as px
import streamlit as st

from simulator.batch import (
    HEADS,
    METRICS,
    BatchError,
    display_table,
    local_cluster_client,
    make_job,
    metric_label,
    paired,
    run_job,
    scheduler_client,
    summarise,
)
from simulator.errors import FileFormatError
from ui.common import catalog, lang, plan_name, tr
from ui.text import plain

MAX_RUNS = 5000


@st.cache_resource(show_spinner=False)
def dask_client(address: str | None) -> tuple:
    """One client per server process (per scheduler address): a LocalCluster here, or the cluster at ``address``.

    Returned in a tuple: a ``Client`` is awaitable, which ``st.cache_resource`` refuses to cache as such.
    """
    return (scheduler_client(address) if address else local_cluster_client(),)


def drop(client) -> None:
    """Forget the kept client (and stop its LocalCluster, if it is ours), so the next batch starts afresh."""
    dask_client.clear()
    if client is not None:
        with contextlib.suppress(Exception):
            client.close()
            if client.cluster is not None:
                client.cluster.close()


st.title(tr("page_batch"))
st.caption(tr("batch_intro"))
entries = catalog()
if not entries:
    st.stop()

cols = st.columns([3, 2, 2])
entry = cols[0].selectbox(tr("scenario"), entries, format_func=lambda e: e.scenario.title, key="batch_scenario")
plan_names = list(entry.plans)
if not plan_names:
    st.info(tr("batch_no_plans"))
    st.stop()
first = cols[1].selectbox(
    tr("plan"),
    plan_names,
    index=plan_names.index("poor") if "poor" in plan_names else 0,
    key="batch_plan",
    format_func=lambda n: plan_name(n),
)
second = cols[2].selectbox(
    tr("batch_compare"),
    [None, *plan_names],
    index=plan_names.index("reference") + 1 if "reference" in plan_names and first != "reference" else 0,
    key="batch_compare",
    format_func=lambda n: tr("batch_no_compare") if n is None else plan_name(n),
)
cols = st.columns([2, 2, 3])
runs = int(cols[0].number_input(tr("batch_runs"), min_value=1, max_value=MAX_RUNS, value=100, key="batch_runs"))
seed_base = int(
    cols[1].number_input(tr("batch_seed_base"), min_value=0, max_value=2**31 - 1, value=0, key="batch_seed")
)

request = (entry.id, first, second, runs, seed_base)
if cols[2].button(tr("batch_run"), type="primary", key="batch_go"):
    plans = [entry.plans[first]] + ([entry.plans[second]] if second else [])
    bar = st.progress(0.0, text=tr("batch_starting"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{done}/{total}")

    address = os.environ.get("DRILL_DASK_SCHEDULER") or None
    client = None
    try:
        job = make_job(entry.path, plans)
        with st.spinner(tr("batch_starting")):
            [client] = dask_client(address)
        df = run_job(job, range(seed_base, seed_base + runs), client=client, progress=progress)
    except FileFormatError as exc:
        st.error("\n\n".join(f"`{p}`" for p in exc.problems))
    except BatchError as exc:
        drop(client)  # a dead or unreachable cluster: start afresh next time
        st.error(plain(str(exc)))
    except Exception as exc:  # the LocalCluster could not start
        drop(client)
        st.error(f"{tr('batch_failed')}: {plain(type(exc).__name__)}: {plain(exc)}")
    else:
        st.session_state["batch_result"] = (request, df)
    bar.empty()

stored = st.session_state.get("batch_result")
if stored is None:
    st.stop()
(scenario_id, *_), df = stored
if stored[0] != request:
    st.info(tr("batch_stale"))
language = lang()
labels = {plan: plan_name(plan) for plan in df["plan"].unique()}
shown = df.assign(plan=df["plan"].map(labels))
plan_head = HEADS["plan"](language)
st.caption(tr("batch_done").format(runs=df["seed"].nunique(), first=int(df["seed"].min()), last=int(df["seed"].max())))

st.markdown(f"#### {tr('batch_summary')}")
summary = display_table(summarise(df), ("n", "mean", "p5", "p50", "p95"), language, labels)
st.dataframe(summary, hide_index=True, key="batch_summary_table")

metric = st.selectbox(
    tr("batch_metric"),
    METRICS,
    index=METRICS.index("total"),
    format_func=lambda m: metric_label(m, language),
    key="batch_metric",
)
axes = {metric: metric_label(metric, language), "plan": plan_head}
left, right = st.columns(2)
hist = px.histogram(shown, x=metric, color="plan", barmode="overlay", opacity=0.6, labels=axes)
left.plotly_chart(hist.update_layout(yaxis_title=tr("batch_count")), key="batch_hist")
cdf = px.ecdf(shown.dropna(subset=[metric]), x=metric, color="plan", labels=axes)
right.plotly_chart(cdf.update_layout(yaxis_title=tr("batch_share")), key="batch_cdf")

if df["plan"].nunique() > 1:
    diff = paired(df)
    a, b = labels[diff.attrs["first"]], labels[diff.attrs["second"]]
    st.markdown(f"#### {tr('batch_paired')}")
    st.caption(tr("batch_paired_help").format(first=plain(a), second=plain(b), seeds=diff.attrs["seeds"]))
    table = display_table(diff, ("n", "mean", "p5", "p50", "p95", "better", "worse"), language)
    st.dataframe(table, hide_index=True, key="batch_paired_table")
    wide = df.pivot(index="seed", columns="plan", values=metric)
    per_seed = (wide[diff.attrs["second"]] - wide[diff.attrs["first"]]).dropna().rename(f"{b} − {a}")
    per_seed_chart = px.histogram(
        per_seed.to_frame(), x=per_seed.name, labels={per_seed.name: f"{metric_label(metric, language)}：{b} − {a}"}
    )
    st.plotly_chart(per_seed_chart.update_layout(yaxis_title=tr("batch_count")), key="batch_diff_hist")

st.download_button(
    f"{tr('download')} CSV",
    df.to_csv(index=False).encode("utf-8-sig"),  # with a BOM, so Excel reads the Chinese plan names
    file_name=f"{scenario_id}-batch.csv",
    mime="text/csv",
    key="batch_download",
)
