"""Many seeded runs of one scenario on Dask: per-seed outcomes and scores, their summary, and paired differences.

    from simulator.batch import run_batch, summarise, paired
    df = run_batch("scenarios/hazchem_leak.yaml", ["scenarios/hazchem_leak.poor.yaml"], range(1000))
    summarise(df)          # mean and 5/50/95 percentiles of every outcome figure and score, per plan
    paired(df)             # with two plans: their per-seed differences (common random numbers)

Each run is what ``python -m simulator run`` does for one seed: the plan's drill, its ``Drill.outcome()``, and
``score_drill`` against the scenario's reference plan run under the *same* seed. Two plans run on the same seeds
meet the same travel times, lost messages and wind where they make the same moves (``engine/streams.py``), so
their per-seed difference measures the plans, not the dice.

Dask: a ``LocalCluster`` of worker processes on this machine by default, or an existing cluster given its
scheduler address; both go through one ``distributed.Client``. Seeds go out in chunks (one task per chunk) so
scheduling costs little next to the drills, and a worker parses the scenario and plans once per process (they
travel as text, so a remote worker needs this project's code but not its files).

The results depend on nothing but (scenario, plans, rubric, seeds): not on the chunking, the number of workers
or the order in which chunks finish. ``python -m simulator batch`` is registered from here (``register``).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import time
import types
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.engine import run_plan
from simulator.errors import FileFormatError, Problem
from simulator.formats import Plan, Scenario, load_plan, load_scenario
from simulator.formats.loader import read_text
from simulator.scoring import score_drill
from simulator.scoring.rubric import KEYWORD_FIELDS, Rubric, load_rubric, scenario_rubric_path

if TYPE_CHECKING:  # pandas and dask are imported where used: every CLI command registers this module
    import pandas as pd

#: outcome figures, as ``Outcome.as_dict`` names them; lower is better for every one
OUTCOMES = (
    "injured",
    "dead",
    "exposed_person_minutes",
    "contained_at",
    "decisions_rejected",
    "messages_lost",
    "messages_undelivered",
)
#: score columns: the four keywords (by their field names) and the total; higher is better
SCORES = (*KEYWORD_FIELDS.values(), "total")
METRICS = OUTCOMES + SCORES
COLUMNS = ("plan", "seed", *METRICS)
LABELS = {
    "injured": "受伤人数",
    "dead": "死亡人数",
    "exposed_person_minutes": "暴露人·分钟",
    "contained_at": "险情控制时间",
    "decisions_rejected": "被拒决策数",
    "messages_lost": "消息丢失次数",
    "messages_undelivered": "未送达消息数",
    **{field: name for name, field in KEYWORD_FIELDS.items()},
    "total": "总分",
}
MAX_RUNS = 1_000_000
MAX_CHUNK = 50  # seeds per task at most: ~1 s of work, so progress moves and a lost worker costs little
CHUNKS_PER_WORKER = 4  # at least this many tasks per worker when there are enough seeds, to balance the load
MIN_SEEDS_PER_WORKER = 25  # a LocalCluster gets no more workers than this many seeds each can keep busy
SEED_LIMIT = 2**63  # Streams accepts seeds 0 .. 2^63-1

Progress = Callable[[int, int], None]  # (runs done, runs in all)


class BatchError(Exception):
    """A batch that cannot run (no scheduler, a failing worker, an unwritable output); the message is for users."""


# -- what travels to the workers ------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """A file as text, with the name its problems are reported under."""

    name: str
    text: str

    @classmethod
    def read(cls, path: str | Path) -> Source:
        return cls(str(path), read_text(path))


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, as text: the scenario, the plans (with their labels), the reference, the rubric."""

    scenario: Source
    plans: tuple[tuple[str, Source], ...]
    reference: Source | None
    rubric: Source | None  # None: the built-in default rubric

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.plans]


@dataclass(frozen=True)
class Loaded:
    scenario: Scenario
    plans: tuple[tuple[str, Plan, str], ...]  # (label, plan, text)
    reference: Plan | None
    reference_text: str | None
    rubric: Rubric | None


def make_job(
    scenario_path: str | Path,
    plan_paths: Sequence[str | Path],
    reference_path: str | Path | None = None,
    rubric_path: str | Path | None = None,
) -> Job:
    """Read and check every file here, before any worker starts (located errors as ``FileFormatError``).

    The reference plan is ``<scenario>.reference.yaml`` beside the scenario unless given; without one the runs
    are scored without the outcome comparison. The rubric is ``--rubric``, else the scenario's own, else the
    built-in one, as for ``python -m simulator run``.
    """
    if not plan_paths:
        raise ValueError("至少需要一个方案 (at least one plan)")
    scenario_path = Path(scenario_path)
    scenario_src = Source.read(scenario_path)
    scenario = load_scenario(scenario_src.name, scenario_src.text.encode())
    if reference_path is None:
        beside = scenario_path.with_name(f"{scenario_path.name.removesuffix('.yaml')}.reference.yaml")
        reference_path = beside if beside.is_file() else None
    sources: list[tuple[Path, Source]] = [(Path(p), Source.read(p)) for p in plan_paths]
    reference = Source.read(reference_path) if reference_path is not None else None
    problems: list[Problem] = []
    for _, src in [*sources, *([(None, reference)] if reference else [])]:
        plan = load_plan(src.name, src.text.encode())
        if plan.scenario not in (None, scenario.id):
            problems.append(
                Problem(
                    src.name,
                    None,
                    "scenario",
                    f"方案是为场景 {plan.scenario!r} 编写的，而不是 {scenario.id!r} "
                    "(plan written for another scenario)",
                )
            )
    if problems:
        raise FileFormatError(problems)
    if rubric_path is None:
        own = scenario_rubric_path(scenario_path)
        rubric_path = own if own.is_file() else None
    rubric = Source.read(rubric_path) if rubric_path is not None else None
    if rubric is not None:
        load_rubric(rubric.name, rubric.text.encode())
    labels = plan_labels([path for path, _ in sources], scenario.id)
    return Job(scenario_src, tuple(zip(labels, (src for _, src in sources), strict=True)), reference, rubric)


def plan_labels(paths: Sequence[Path], scenario_id: str) -> list[str]:
    """Short, unique names: ``hazchem_leak.poor.yaml`` -> ``poor``; a plan given twice -> ``poor``, ``poor (2)``."""
    labels: list[str] = []
    for path in paths:
        stem = path.name.removesuffix(".yaml").removesuffix(".yml")
        base = stem.removeprefix(f"{scenario_id}.") or stem
        label, n = base, 1
        while label in labels:
            n += 1
            label = f"{base} ({n})"
        labels.append(label)
    return labels


@lru_cache(maxsize=8)
def _load(job: Job) -> Loaded:
    """Parse the job's files once per worker process (a worker usually gets many chunks of the same job)."""
    scenario = load_scenario(job.scenario.name, job.scenario.text.encode())
    plans = tuple((label, load_plan(src.name, src.text.encode()), src.text) for label, src in job.plans)
    reference = load_plan(job.reference.name, job.reference.text.encode()) if job.reference else None
    rubric = load_rubric(job.rubric.name, job.rubric.text.encode()) if job.rubric else None
    return Loaded(scenario, plans, reference, job.reference.text if job.reference else None, rubric)


# -- the work of one task -------------------------------------------------------------------------------
def run_chunk(job: Job, seeds: Sequence[int]) -> list[dict[str, Any]]:
    """The rows of ``seeds``, one per (seed, plan): what ``run_batch`` gathers. Runs in a worker.

    A plan identical to the reference (or to another plan) is not run twice for a seed: the drill is a pure
    function of its inputs, so the copy would be the same drill.
    """
    loaded = _load(job)
    rows: list[dict[str, Any]] = []
    for seed in seeds:
        drills = {}  # plan text -> drill, for this seed
        reference_log = None
        if loaded.reference is not None:
            reference = drills[loaded.reference_text] = run_plan(loaded.scenario, loaded.reference, seed)
            reference_log = reference.log
        for label, plan, text in loaded.plans:
            drill = drills.get(text)
            if drill is None:
                drill = drills[text] = run_plan(loaded.scenario, plan, seed)
            score = score_drill(loaded.scenario, drill.log, rubric=loaded.rubric, reference=reference_log)
            rows.append(_row(label, seed, drill, score))
    return rows


def _row(label: str, seed: int, drill, score: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"plan": label, "seed": seed, **drill.outcome().as_dict()}
    for name, field in KEYWORD_FIELDS.items():
        row[field] = score["keywords"][name]["score"]
    row["total"] = score["total"]
    return row


# -- running on Dask ------------------------------------------------------------------------------------
def run_batch(
    scenario_path: str | Path,
    plan_paths: Sequence[str | Path],
    seeds: Iterable[int],
    *,
    scheduler: str | None = None,
    client: Any = None,
    workers: int | None = None,
    processes: bool = True,
    chunk_size: int | None = None,
    reference_path: str | Path | None = None,
    rubric_path: str | Path | None = None,
    progress: Progress | None = None,
    connect_timeout: float = 10.0,
) -> pd.DataFrame:
    """Run every plan under every seed; return one row per (plan, seed), plans in the order given, seeds ascending.

    Where: ``client`` (a ``distributed.Client`` the caller keeps, e.g. the app's), else the cluster at
    ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``), else a ``LocalCluster`` started for this call
    with ``workers`` processes (default: one per CPU core; ``processes=False`` runs them as threads in this
    process, which only suits tests). ``progress(done, total)`` is called as chunks of seeds finish.

    Raises ``FileFormatError`` for bad files, ``ValueError`` for bad seeds, ``BatchError`` when the cluster
    cannot be reached or a worker fails.
    """
    job = make_job(scenario_path, plan_paths, reference_path, rubric_path)
    return run_job(
        job,
        seeds,
        scheduler=scheduler,
        client=client,
        workers=workers,
        processes=processes,
        chunk_size=chunk_size,
        progress=progress,
        connect_timeout=connect_timeout,
    )


def run_job(
    job: Job,
    seeds: Iterable[int],
    *,
    scheduler: str | None = None,
    client: Any = None,
    workers: int | None = None,
    processes: bool = True,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    connect_timeout: float = 10.0,
) -> pd.DataFrame:
    """``run_batch`` for a job already made (``make_job``): the files are read and checked once."""
    seeds = check_seeds(seeds)
    with _connect(client, scheduler, workers, processes, len(seeds), connect_timeout) as dask_client:
        rows = _gather(dask_client, job, seeds, chunk_size, progress)
        threads = _threads(dask_client)
    df = to_frame(rows, job.labels)
    df.attrs["workers"] = threads  # worker threads the batch had (one per process on a LocalCluster)
    return df


def check_seeds(seeds: Iterable[int]) -> list[int]:
    """The seeds as a list of distinct integers in 0 .. 2^63-1 (ValueError otherwise)."""
    result = [int(s) for s in seeds]
    if not result:
        raise ValueError("至少需要运行一次 (no seeds)")
    if len(result) > MAX_RUNS:
        raise ValueError(f"一次最多运行 {MAX_RUNS} 个种子 (too many runs: {len(result)})")
    bad = [s for s in result if not 0 <= s < SEED_LIMIT]
    if bad:
        raise ValueError(f"种子应为 0 到 2^63-1 的整数 (seed out of range: {bad[0]})")
    if len(set(result)) != len(result):
        raise ValueError("种子不能重复 (seeds must be distinct)")
    return result


def chunked(seeds: Sequence[int], workers: int, chunk_size: int | None = None) -> list[list[int]]:
    """Seeds in consecutive chunks: at least ``CHUNKS_PER_WORKER`` per worker when there are enough seeds."""
    if chunk_size is None:
        chunk_size = max(1, min(MAX_CHUNK, math.ceil(len(seeds) / (CHUNKS_PER_WORKER * max(1, workers)))))
    return [list(seeds[i : i + chunk_size]) for i in range(0, len(seeds), chunk_size)]


def local_cluster_client(workers: int | None = None, processes: bool = True):
    """A ``Client`` on a new ``LocalCluster``: ``workers`` single-threaded worker processes (default: one per
    core; the engine is pure Python, so threads in one process would share one core). The caller closes it
    (``client.close(); client.cluster.close()``) — or keeps it, as the app does."""
    import dask
    from distributed import Client, LocalCluster

    n = workers or os.cpu_count() or 1
    # The workers' statistical profiler feeds a dashboard we do not start, and takes the GIL every 10 ms.
    with dask.config.set({"distributed.worker.profile.enabled": False}), _bare_main():
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    return Client(cluster, set_as_default=False)


@contextmanager
def _bare_main():
    """Start worker processes with an empty ``__main__``.

    A spawned process first re-runs its parent's ``__main__`` script (unless it was run with ``-m``). Under
    Streamlit that is the app script (``streamlit run`` installs it as ``__main__``), and in a user's script
    without an ``if __name__ == "__main__"`` guard it is the script that starts the cluster again: neither should
    run in a worker, and the workers need nothing from it (they run ``run_chunk`` on a ``Job``).
    """
    main = sys.modules.get("__main__")
    bare = types.ModuleType("__main__")
    sys.modules["__main__"] = bare
    try:
        yield
    finally:
        if sys.modules.get("__main__") is bare:  # unless something else replaced it meanwhile
            sys.modules["__main__"] = main


@contextmanager
def _connect(client, scheduler: str | None, workers: int | None, processes: bool, n_seeds: int, timeout: float):
    if client is not None:
        yield client
        return
    if scheduler:
        client = scheduler_client(scheduler, timeout)
        try:
            yield client
        finally:
            client.close()
        return
    if workers is None:  # one per core, but a worker process costs seconds to start: give each some work
        workers = min(os.cpu_count() or 1, math.ceil(n_seeds / MIN_SEEDS_PER_WORKER))
    try:
        client = local_cluster_client(min(workers, n_seeds), processes)
    except Exception as exc:
        raise BatchError(f"无法启动本机 Dask 集群 (cannot start a LocalCluster): {type(exc).__name__}: {exc}") from None
    try:
        yield client
    finally:
        client.close()
        client.cluster.close()


def scheduler_client(address: str, timeout: float = 10.0):
    """A ``Client`` of the existing cluster at ``address``; BatchError (with the reason) when it cannot be reached."""
    from distributed import Client

    try:
        # Probe first: a Client whose constructor failed prints a traceback when it is garbage-collected.
        _probe(address, timeout)
        return Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # OSError, TimeoutError, ValueError (bad address), or garbage on the socket
        raise BatchError(
            f"无法连接 Dask 调度器 {address} (cannot reach the scheduler): {type(exc).__name__}: {exc}"
        ) from None


def _probe(address: str, timeout: float) -> None:
    """Open and close one connection to ``address``; raise what the connection raises."""
    import asyncio

    from distributed.comm import connect

    async def probe() -> None:
        comm = await connect(address, timeout=timeout)
        await comm.close()

    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop running in this thread (a script, the CLI, a Streamlit page): probe
        asyncio.run(probe())


def _threads(client) -> int:
    info = client.scheduler_info()
    return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))


def _gather(client, job: Job, seeds: list[int], chunk_size: int | None, progress: Progress | None) -> list[dict]:
    from distributed import as_completed

    chunks = chunked(seeds, _threads(client), chunk_size)
    size = {}
    futures = []
    try:
        [shared] = client.scatter([job], broadcast=True, hash=False)  # a key of its own: no race with a batch before
        for chunk in chunks:
            future = client.submit(run_chunk, shared, chunk, pure=False)
            size[future.key] = len(chunk)
            futures.append(future)
        done = 0
        if progress is not None:
            progress(0, len(seeds))
        rows: list[dict] = []
        for future in as_completed(futures, loop=client.loop):
            rows.extend(future.result())
            done += size[future.key]
            if progress is not None:
                progress(done, len(seeds))
    except BatchError:
        raise
    except Exception as exc:  # a worker that died, could not import this project, or raised
        client.cancel(futures)
        raise BatchError(
            f"工作进程运行失败 (a worker failed): {type(exc).__name__}: {exc}"
            "（远程集群的每个工作进程须安装本项目同一版本的代码和依赖 / remote workers need this project installed）"
        ) from None
    return rows


def to_frame(rows: list[dict[str, Any]], labels: Sequence[str]) -> pd.DataFrame:
    """Rows in a fixed order (plans as given, then seeds), so the same batch gives the same table byte for byte."""
    import pandas as pd

    order = {label: i for i, label in enumerate(labels)}
    rows = sorted(rows, key=lambda r: (order[r["plan"]], r["seed"]))
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("contained_at", "exposed_person_minutes", *SCORES):
        df[column] = df[column].astype("float64")
    return df


def run_serial(job: Job, seeds: Sequence[int]) -> pd.DataFrame:
    """The same table without Dask, in this process (a reference for tests and benchmarks)."""
    return to_frame(run_chunk(job, check_seeds(seeds)), job.labels)


# -- analysis ---------------------------------------------------------------------------------------------
def plans_of(df: pd.DataFrame) -> list[str]:
    """The plans of a batch table in their order (the first is the baseline of ``paired``)."""
    return list(dict.fromkeys(df["plan"]))


def _percentiles(values: np.ndarray) -> dict[str, float]:
    if len(values) == 0:
        return {"mean": math.nan, "p5": math.nan, "p50": math.nan, "p95": math.nan}
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return {"mean": float(values.mean()), "p5": float(p5), "p50": float(p50), "p95": float(p95)}


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    """Per plan and metric: ``n`` (runs with a value: ``contained_at`` is empty when never contained), the mean
    and the 5th, 50th and 95th percentiles."""
    import pandas as pd

    rows = []
    for plan in plans_of(df):
        sub = df[df["plan"] == plan]
        for metric in METRICS:
            values = sub[metric].dropna().to_numpy(dtype=float)
            rows.append({"plan": plan, "metric": metric, "n": len(values), **_percentiles(values)})
    return pd.DataFrame(rows, columns=["plan", "metric", "n", "mean", "p5", "p50", "p95"])


def paired(df: pd.DataFrame, first: str | None = None, second: str | None = None) -> pd.DataFrame:
    """Per metric, the per-seed difference ``second - first`` over the seeds both ran: mean and 5/50/95
    percentiles, and the shares of seeds where ``second`` is better or worse (fewer casualties, earlier
    containment, higher scores). A run never contained counts as later than any contained one; differences of
    ``contained_at`` use the seeds where both were contained (``n``).

    Defaults: the first two plans of the table.
    """
    import pandas as pd

    plans = plans_of(df)
    if first is None or second is None:
        if len(plans) < 2:
            raise ValueError("配对比较需要两个方案 (paired needs two plans)")
        first, second = first or plans[0], second or plans[1]
    a = df[df["plan"] == first].set_index("seed")
    b = df[df["plan"] == second].set_index("seed")
    seeds = a.index.intersection(b.index)
    a, b = a.loc[seeds], b.loc[seeds]
    rows = []
    for metric in METRICS:
        x = a[metric].to_numpy(dtype=float)
        y = b[metric].to_numpy(dtype=float)
        if metric in OUTCOMES:  # lower is better; never contained = later than any time
            x_cmp, y_cmp = np.nan_to_num(x, nan=math.inf), np.nan_to_num(y, nan=math.inf)
            better, worse = y_cmp < x_cmp, y_cmp > x_cmp
        else:  # higher is better; a keyword with no score counts as neither
            better, worse = y > x, y < x
        both = ~(np.isnan(x) | np.isnan(y))
        diff = y[both] - x[both]
        n = len(seeds)
        rows.append(
            {
                "metric": metric,
                "n": int(both.sum()),
                **_percentiles(diff),
                "better": float(better.sum() / n) if n else math.nan,
                "worse": float(worse.sum() / n) if n else math.nan,
            }
        )
    out = pd.DataFrame(rows, columns=["metric", "n", "mean", "p5", "p50", "p95", "better", "worse"])
    out.attrs.update(first=first, second=second, seeds=len(seeds))
    return out


def save(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the table as CSV or Parquet (by the suffix); BatchError when that cannot be done."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".parquet":
            df.to_parquet(path, index=False)
        elif path.suffix.lower() == ".csv":
            df.to_csv(path, index=False)
        else:
            raise BatchError(f"{path}: 输出文件应为 .csv 或 .parquet (output must be .csv or .parquet)")
    except ImportError as exc:
        raise BatchError(f"{path}: 写入 Parquet 需要 pyarrow (pip install pyarrow): {exc}") from None
    except OSError as exc:
        raise BatchError(f"{path}: 无法写入 (cannot write): {exc.strerror or exc}") from None
    return path


# -- the command line -------------------------------------------------------------------------------------
def register(subparsers) -> None:
    """Add ``python -m simulator batch``."""
    from simulator.cli import seed_argument  # here, not at the top: the app and the workers never need the CLI

    batch = subparsers.add_parser(
        "batch",
        help="多种子批量运行与配对比较 (many seeded runs on Dask)",
        description="在 Dask 上以多个随机种子运行同一场景的方案，汇总结果与评分 (many seeded runs on Dask)",
    )
    batch.set_defaults(func=_batch)
    batch.add_argument("scenario", type=Path)
    batch.add_argument("--plan", type=Path, required=True)
    batch.add_argument("--runs", type=_runs, required=True, help=f"运行次数 (number of seeds, 1..{MAX_RUNS})")
    batch.add_argument("--seed-base", type=seed_argument, default=0, help="第一个种子 (seeds are S .. S+N-1)")
    batch.add_argument("--compare", type=Path, default=None, help="第二个方案：同一批种子配对比较 (paired)")
    batch.add_argument("--scheduler", default=None, help="已有 Dask 集群的调度器地址，如 tcp://10.0.0.5:8786")
    batch.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help="本机工作进程数 (default: one per core, one per 25 runs at most)",
    )
    batch.add_argument("--chunk-size", type=_positive, default=None, help="每个任务的种子数 (default: automatic)")
    batch.add_argument(
        "--rubric", type=Path, default=None, help="评分细则 (default: the scenario's own, else built in)"
    )
    batch.add_argument("--out", type=_out, default=None, help="结果表 FILE.csv 或 FILE.parquet")
    batch.add_argument(
        "--connect-timeout", type=_seconds, default=10.0, help="连接调度器的超时秒数 (seconds, default 10)"
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数 (expected a positive integer), got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 (expected a positive integer), got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为秒数 (expected seconds), got {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"应为 0 到 3600 秒 (expected 0..3600 s), got {text!r}")
    return value


def _runs(text: str) -> int:
    value = _positive(text)
    if value > MAX_RUNS:
        raise argparse.ArgumentTypeError(f"运行次数应为 1 到 {MAX_RUNS} (runs must be 1..{MAX_RUNS}), got {text!r}")
    return value


def _out(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in (".csv", ".parquet"):
        raise argparse.ArgumentTypeError(f"输出文件应为 .csv 或 .parquet (got {text!r})")
    return path


def _batch(args: argparse.Namespace) -> int:
    if args.seed_base + args.runs > SEED_LIMIT:
        print(f"--seed-base: 种子 {args.seed_base}+{args.runs} 超出 2^63-1 (seeds out of range)", file=sys.stderr)
        return 1
    if args.out is not None and not args.out.parent.is_dir():
        print(f"{args.out}: --out: 目录不存在 (no such directory: {args.out.parent})", file=sys.stderr)
        return 1
    plans = [args.plan] + ([args.compare] if args.compare else [])
    seeds = range(args.seed_base, args.seed_base + args.runs)
    bar = ProgressBar(sys.stderr)
    start = time.perf_counter()
    try:
        job = make_job(args.scenario, plans, rubric_path=args.rubric)  # located errors before any worker starts
        df = run_job(
            job,
            seeds,
            scheduler=args.scheduler,
            workers=args.workers,
            chunk_size=args.chunk_size,
            progress=bar,
            connect_timeout=args.connect_timeout,
        )
    except BatchError as exc:
        bar.close()
        print(exc, file=sys.stderr)
        return 1
    bar.close()
    elapsed = time.perf_counter() - start
    title = load_scenario(job.scenario.name, job.scenario.text.encode()).title
    reference = Path(job.reference.name).name if job.reference else "无 (none)"
    where = f"{args.scheduler or 'LocalCluster'}, {df.attrs['workers']} 个工作进程 (workers)"
    print(
        f"场景 {title}：{args.runs} 个种子（{args.seed_base}–{args.seed_base + args.runs - 1}），"
        f"参考方案 {reference}（同一种子）"
    )
    print(f"用时 {elapsed:.1f} s，{args.runs / elapsed:.1f} 次/秒 ({where})")
    if args.out is not None:
        try:
            save(df, args.out)
        except BatchError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"结果表 (per-run results) → {args.out}")
    summary = summarise(df)
    for plan in plans_of(df):
        print(f"\n方案 {plan}：均值与分位数 (mean and percentiles over {args.runs} seeds)")
        print(format_table(summary[summary["plan"] == plan], ("mean", "p5", "p50", "p95")))
    if args.compare:
        diff = paired(df)
        print(
            f"\n配对比较 (paired, common random numbers)：{diff.attrs['second']} − {diff.attrs['first']}，"
            f"同一批 {diff.attrs['seeds']} 个种子；“更好”= {diff.attrs['second']} 更优的种子占比"
        )
        print(format_table(diff, ("mean", "p5", "p50", "p95", "better")))
    return 0


def format_table(table: pd.DataFrame, columns: Sequence[str]) -> str:
    """A plain-text table of metrics (Chinese label and field name) by the given statistic columns."""
    heads = {"mean": "均值 mean", "p5": "P5", "p50": "P50", "p95": "P95", "better": "更好 better", "n": "n"}
    label_width = 34
    lines = [_pad("指标 metric", label_width) + "".join(f"{heads.get(c, c):>13}" for c in columns)]
    for row in table.itertuples(index=False):
        label = f"{LABELS[row.metric]} {row.metric}"
        cells = []
        for column in columns:
            value = getattr(row, column)
            if math.isnan(value):
                cells.append(f"{'—':>13}")
            elif column == "better":
                cells.append(f"{value:>13.0%}")
            else:
                cells.append(f"{value:>13.1f}")
        note = ""
        if row.metric == "contained_at" and "seeds" in table.attrs:
            note = f"  ({row.n}/{table.attrs['seeds']} 个种子两个方案均已控制; both contained)"
        elif row.metric == "contained_at":
            runs = int(table.loc[table["metric"] == "total", "n"].iloc[0])
            note = f"  ({row.n}/{runs} 次已控制; contained)"
        lines.append(_pad(label, label_width) + "".join(cells) + note)
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (a Chinese character takes two)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - shown)


class ProgressBar:
    """A progress bar on a stream (stderr): redrawn in place on a terminal, a line per tenth otherwise."""

    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.start = time.perf_counter()
        self.shown_tenth = -1
        self.open = False

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        elapsed = time.perf_counter() - self.start
        text = f"批量运行 [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} 次  {elapsed:.1f} s"
        if self.tty:
            self.stream.write("\r" + text)
            self.open = True
        elif done * 10 // max(total, 1) > self.shown_tenth:
            self.shown_tenth = done * 10 // max(total, 1)
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False
