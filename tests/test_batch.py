"""Many-run analysis: a batch is the same drills as single runs, paired runs share their dice, and the command
line answers bad input with a message, not a traceback."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from simulator import load_plan, load_scenario
from simulator.batch import (
    COLUMNS,
    METRICS,
    BatchError,
    format_table,
    make_job,
    metric_label,
    paired,
    run_batch,
    run_job,
    run_serial,
    summarise,
)
from simulator.cli import main
from simulator.experiment import single_run
from tests.conftest import ROOT, SCENARIOS

SCENARIO = SCENARIOS / "hazchem_leak.yaml"
REFERENCE = SCENARIOS / "hazchem_leak.reference.yaml"
POOR = SCENARIOS / "hazchem_leak.poor.yaml"


def _threads(**kwargs):
    """A LocalCluster of worker threads in this process: the real Dask path without starting processes."""
    return {"processes": False, **kwargs}


@pytest.fixture(scope="module")
def poor_vs_reference() -> pd.DataFrame:
    return run_batch(SCENARIO, [POOR, REFERENCE], [3, 4, 5, 11], workers=2, chunk_size=1, **_threads())


def test_each_row_is_the_single_run_with_that_seed(poor_vs_reference):
    scenario = load_scenario(SCENARIO)
    plans = {"poor": load_plan(POOR), "reference": load_plan(REFERENCE)}
    assert list(poor_vs_reference.columns) == list(COLUMNS)
    assert list(zip(poor_vs_reference["plan"], poor_vs_reference["seed"], strict=True)) == [
        (plan, seed) for plan in ("poor", "reference") for seed in (3, 4, 5, 11)
    ]
    for row in poor_vs_reference.itertuples(index=False):
        result = single_run(scenario, plans[row.plan], row.seed, reference=plans["reference"])
        score = result.score
        for name, value in result.outcome.items():
            got = getattr(row, name)
            assert (value is None and math.isnan(got)) or got == value, (row.plan, row.seed, name)
        assert row.total == score["total"]
        assert [row.speed, row.order, row.precision, row.improvement] == [
            score["keywords"][k]["score"] for k in ("迅速", "有序", "精准", "提升")
        ]


def test_the_table_does_not_depend_on_chunks_workers_or_where_it_ran(poor_vs_reference):
    job = make_job(SCENARIO, [POOR, REFERENCE])
    other = run_job(job, [3, 4, 5, 11], workers=1, chunk_size=3, **_threads())
    assert other.to_csv(index=False) == poor_vs_reference.to_csv(index=False)
    assert run_serial(job, [11, 3, 5, 4]).to_csv(index=False) == poor_vs_reference.to_csv(index=False)


def test_a_plan_paired_with_itself_differs_by_exactly_zero():
    df = run_batch(SCENARIO, [POOR, POOR], range(6), workers=1, **_threads())
    assert sorted(set(df["plan"])) == ["poor", "poor (2)"]
    diff = paired(df)
    assert (diff[["mean", "p5", "p50", "p95", "better", "worse"]].to_numpy() == 0).all()
    assert diff.attrs == {"first": "poor", "second": "poor (2)", "seeds": 6}


def test_paired_differences_are_per_seed_and_say_which_plan_is_better(poor_vs_reference):
    diff = paired(poor_vs_reference).set_index("metric")
    by_plan = {plan: sub.set_index("seed") for plan, sub in poor_vs_reference.groupby("plan")}
    per_seed = by_plan["reference"]["total"] - by_plan["poor"]["total"]
    assert diff.loc["total", "mean"] == pytest.approx(per_seed.mean())
    assert diff.loc["total", "better"] == 1.0  # the expert plan scores higher under every seed
    assert diff.loc["exposed_person_minutes", "better"] == 1.0  # and exposes fewer people (lower is better)
    assert diff.loc["exposed_person_minutes", "mean"] < 0


def test_summary_gives_mean_and_percentiles_per_plan_and_metric(poor_vs_reference):
    summary = summarise(poor_vs_reference)
    assert len(summary) == 2 * len(METRICS)
    row = summary[(summary["plan"] == "poor") & (summary["metric"] == "exposed_person_minutes")].iloc[0]
    values = poor_vs_reference.loc[poor_vs_reference["plan"] == "poor", "exposed_person_minutes"]
    assert row["n"] == 4
    assert row["mean"] == pytest.approx(values.mean())
    assert [row["p5"], row["p50"], row["p95"]] == pytest.approx(np.percentile(values, [5, 50, 95]))


def test_progress_reaches_every_run():
    calls = []
    run_batch(
        SCENARIO, [REFERENCE], range(5), workers=1, chunk_size=2, progress=lambda *a: calls.append(a), **_threads()
    )
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_bad_seeds_and_files_are_refused_before_any_worker_starts(tmp_path):
    with pytest.raises(ValueError, match="种子"):
        run_batch(SCENARIO, [POOR], [-1])
    with pytest.raises(ValueError, match="重复"):
        run_batch(SCENARIO, [POOR], [1, 1])
    from simulator import FileFormatError

    with pytest.raises(FileFormatError, match="不存在"):
        run_batch(tmp_path / "nope.yaml", [POOR], [1])


def test_tables_read_in_chinese_with_times_in_whole_minutes(poor_vs_reference):
    summary = summarise(poor_vs_reference)
    text = format_table(summary[summary["plan"] == "poor"], ("n", "mean", "p5", "p50", "p95"))
    head, *lines = text.splitlines()
    assert head.split() == ["指标", "有效次数", "均值", "P5", "P50", "P95"]
    assert [line.split()[0] for line in lines] == [metric_label(m) for m in METRICS]
    contained = next(line for line in lines if line.startswith("险情得到控制"))
    assert all(cell.startswith("T+") and "." not in cell for cell in contained.split()[2:])
    diff = format_table(paired(poor_vs_reference), ("mean", "better"))
    assert next(line for line in diff.splitlines() if line.startswith("险情得到控制")).split()[1].endswith("分钟")
    assert "100%" in next(line for line in diff.splitlines() if line.startswith("总分"))
    assert metric_label("exposed_person_minutes", "en") == "Exposure (person-minutes)"


# -- the command line ---------------------------------------------------------------------------------------
def _cli(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "simulator", "batch", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_batch_on_this_machine_writes_the_table_and_prints_the_summary(tmp_path):
    out = tmp_path / "runs.parquet"
    done = _cli(SCENARIO, "--plan", POOR, "--runs", 3, "--seed-base", 7, "--workers", 1, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "3/3" in done.stderr  # the progress bar
    assert "均值" in done.stdout and "总分" in done.stdout and "不当处置示例" in done.stdout
    assert "total" not in done.stdout and "poor" not in done.stdout.replace("hazchem_leak.poor", "")
    table = pd.read_parquet(out)
    assert list(table["seed"]) == [7, 8, 9]
    expected = run_serial(make_job(SCENARIO, [POOR]), [7, 8, 9])
    pd.testing.assert_frame_equal(table, expected)


def test_batch_on_an_existing_cluster_compares_two_plans(tmp_path):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=1, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None) as cluster,
        Client(cluster),
    ):
        out = tmp_path / "paired.csv"
        done = _cli(
            SCENARIO,
            "--plan",
            POOR,
            "--compare",
            REFERENCE,
            "--runs",
            4,
            "--scheduler",
            cluster.scheduler_address,
            "--out",
            out,
        )
    assert done.returncode == 0, done.stderr
    assert "配对比较" in done.stdout and "更优占比" in done.stdout and "“专家参考方案”减“不当处置示例”" in done.stdout
    table = pd.read_csv(out)
    assert list(table["plan"]) == ["poor"] * 4 + ["reference"] * 4


def _main(*args) -> tuple[int, str]:
    """The command line in this process (quicker than a subprocess): exit code and what went to stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(["batch", *map(str, args)])
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code
    return code, err.getvalue()


@pytest.mark.parametrize(
    "args",
    [
        ["--runs", "0"],
        ["--runs", "many"],
        [],  # --runs is required
        ["--runs", "2", "--out", "results.txt"],
        ["--runs", "2", "--seed-base", "-1"],
        ["--runs", "2", "--workers", "0"],
    ],
)
def test_usage_errors_exit_2_with_a_message(args):
    code, err = _main(SCENARIO, "--plan", POOR, *args)
    assert code == 2
    assert "error:" in err and "Traceback" not in err


def test_user_errors_exit_1_with_a_located_message(tmp_path):
    code, err = _main(tmp_path / "nope.yaml", "--plan", POOR, "--runs", 2)
    assert code == 1 and f"{tmp_path / 'nope.yaml'}: (文件): 文件不存在" in err

    other = tmp_path / "other.yaml"
    other.write_text("scenario: flood_city\ndecisions: []\n", encoding="utf-8")
    code, err = _main(SCENARIO, "--plan", other, "--runs", 2)
    assert code == 1 and f"{other}: scenario:" in err

    code, err = _main(SCENARIO, "--plan", POOR, "--runs", 2, "--out", tmp_path / "no" / "x.csv")
    assert code == 1 and "目录不存在" in err


def test_an_unreachable_scheduler_is_a_message_not_a_hang_or_a_traceback():
    code, err = _main(SCENARIO, "--plan", POOR, "--runs", 2, "--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", 1)
    assert code == 1 and "无法连接 Dask 调度器 tcp://127.0.0.1:1" in err
    code, err = _main(SCENARIO, "--plan", POOR, "--runs", 2, "--scheduler", "no-port-here")
    assert code == 1 and "无法连接 Dask 调度器" in err


def test_a_failing_worker_is_a_located_message_not_a_traceback():
    """A worker whose copy of a file does not parse (e.g. another version on a remote machine) stops the batch."""
    job = make_job(SCENARIO, [POOR])
    broken = dataclasses.replace(job, scenario=dataclasses.replace(job.scenario, text="id: [unclosed"))
    with pytest.raises(BatchError, match=r"工作进程运行失败.*hazchem_leak.yaml:2: .*YAML"):
        run_job(broken, [1, 2, 3], workers=1, **_threads())


# -- the app page -------------------------------------------------------------------------------------------
def test_the_batch_page_compares_two_plans_and_keeps_the_result(monkeypatch):
    from distributed import LocalCluster
    from streamlit.testing.v1 import AppTest

    with LocalCluster(
        n_workers=1, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None
    ) as cluster:
        monkeypatch.setenv("DRILL_DASK_SCHEDULER", cluster.scheduler_address)  # the page's kept client goes there
        # AppTest needs a timeout per script run (3 s by default); this one only guards against a hang
        at = AppTest.from_file(str(ROOT / "views" / "batch.py"), default_timeout=300)
        at.run()
        assert not at.exception and at.title[0].value == "批量分析"
        scenarios = at.selectbox(key="batch_scenario")
        scenarios.select_index(scenarios.options.index("临港化工园区液氯储罐泄漏事件")).run()
        assert at.selectbox(key="batch_plan").value == "poor"
        assert at.selectbox(key="batch_compare").value == "reference"
        at.number_input(key="batch_runs").set_value(4)
        at.button(key="batch_go").click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
    assert "共 4 个种子（0–3）" in [c.value for c in at.caption]
    assert len(at.get("plotly_chart")) == 3  # histogram, CDF, per-seed differences
    summary = at.dataframe[0].value
    assert list(summary.columns) == ["方案", "指标", "有效次数", "均值", "P5", "P50", "P95"]
    assert set(summary["方案"]) == {"不当处置示例", "专家参考方案"}
    paired_table = at.dataframe[1].value.set_index("指标")  # after the summary
    assert paired_table.loc["总分", "更优占比"] == "100%"  # the expert plan beats the poor one on every seed

    at.selectbox(key="batch_plan").set_value("reference").run()  # new settings: the last result stays on screen
    assert not at.exception
    assert any("上一次批量运行" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 3

    at.session_state["lang"] = "en"  # the English switch: the same result, every header and name in English
    at.run()
    assert not at.exception
    summary = at.dataframe[0].value
    assert list(summary.columns) == ["Plan", "Metric", "Runs", "Mean", "P5", "P50", "P95"]
    assert set(summary["Plan"]) == {"Expert reference plan", "Example of a poor response"}
    assert at.dataframe[1].value.set_index("Metric").loc["Total", "Better"] == "100%"
    shown = [*summary.to_numpy().ravel(), *at.dataframe[1].value.to_numpy().ravel(), *(c.value for c in at.caption)]
    assert not [text for text in map(str, shown) if re.search(r"[\u4e00-\u9fff]", text)]


def test_a_chunk_spares_the_old_objects_from_full_collections_and_leaves_garbage_collectable(monkeypatch):
    """While a chunk runs, the objects alive before it (modules, schemas, caches) are frozen, so the full
    collections its drills set off walk only what the chunk made; afterwards nothing stays frozen, and an old
    reference cycle is collected as before."""
    import gc
    import weakref

    from simulator.batch import running

    class Node:
        pass

    kept = Node()  # alive before the chunk and after it
    old = Node()
    old.self = old  # a cycle made before the chunk: garbage only the collector frees
    gone = weakref.ref(old)
    del old
    collectable_in_chunk: list[bool] = []  # whether the collector's generations held ``kept`` while a drill ran
    evaluate = running.evaluate

    def evaluate_and_look(*args, **kwargs):
        if not collectable_in_chunk:
            collectable_in_chunk.append(any(o is kept for g in range(3) for o in gc.get_objects(generation=g)))
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(running, "evaluate", evaluate_and_look)
    run_serial(make_job(SCENARIO, [REFERENCE]), [1, 2])
    assert collectable_in_chunk == [False]  # frozen: no collection during the chunk walks it
    assert gc.get_freeze_count() == 0 and any(o is kept for o in gc.get_objects())  # unfrozen afterwards
    gc.collect()
    assert gone() is None
