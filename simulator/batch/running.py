"""Many seeded runs of one scenario on Dask: each run is one ``simulator.experiment`` per (plan, seed).

Each run is what ``python -m simulator run`` does for one seed: the plan's drill scored against the scenario's
reference plan run under the *same* seed (``simulator.experiment.evaluate``). Two plans run on the same seeds
meet the same travel times, lost messages and wind where they make the same moves (``engine/streams.py``), so
their per-seed difference measures the plans, not the dice.

Dask: a ``LocalCluster`` of worker processes on this machine by default, or an existing cluster given its
scheduler address; both go through one ``distributed.Client``. Seeds go out in chunks (one task per chunk) so
scheduling costs little next to the drills, and a worker parses the scenario and plans once per process (they
travel as text, so a remote worker needs this project's code but not its files).

The results depend on nothing but (scenario, plans, rubric, seeds): not on the chunking, the number of workers
or the order in which chunks finish.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.batch.statistics import BatchError, to_frame
from simulator.engine import Drill, run_plan
from simulator.errors import FileFormatError, Problem
from simulator.experiment import Experiment, evaluate
from simulator.formats import Plan, Scenario, load_plan, load_scenario
from simulator.formats.loader import read_text
from simulator.library import foreign_plan, reference_plan_path
from simulator.scoring.rubric import Rubric, load_rubric, scenario_rubric_path
from simulator.vocabulary import KEYWORD_FIELDS

if TYPE_CHECKING:  # pandas and dask are imported where used: the command line imports this package
    import pandas as pd

MAX_RUNS = 1_000_000
MAX_CHUNK = 50  # seeds per task at most: ~1 s of work, so progress moves and a lost worker costs little
CHUNKS_PER_WORKER = 4  # at least this many tasks per worker when there are enough seeds, to balance the load
MIN_SEEDS_PER_WORKER = 25  # a LocalCluster gets no more workers than this many seeds each can keep busy
SEED_LIMIT = 2**63  # Streams accepts seeds 0 .. 2^63-1

#: Dask settings of the LocalCluster this module starts. Every worker process (and, in this process, the
#: scheduler and each worker's nanny) wakes on timers that feed a dashboard we do not start: the statistical
#: profiler every 10 ms, the event-loop "tick" every 20 ms, the memory monitor every 100 ms, the system monitor
#: every 500 ms. Idle, they cost 0.34 s of CPU in 5 s on 2 workers (0.05 s with the settings below); during a
#: batch each wake-up takes the GIL from the drill and a core from the other worker (on 2 cores, turn about under
#: the same load, 2 workers made 1.60-1.73x the serial rate with Dask's defaults, 1.68-1.76x with these).
#: Slower timers still warn of a blocked loop (after 3 s) and watch memory every second.
QUIET_CLUSTER: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}

Progress = Callable[[int, int], None]  # (runs done, runs in all)


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
    names: tuple[str, ...] = ()  # each plan's own name (``name:`` in its file), as people call it

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.plans]

    def plan_names(self) -> dict[str, str]:
        """Each plan's label -> the name a person reads: the plan's own name, else its file name."""
        return {
            label: name or Path(src.name).name
            for (label, src), name in zip(self.plans, self.names or [""] * len(self.plans), strict=True)
        }


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
        reference_path = reference_plan_path(scenario_path)
    sources: list[tuple[Path, Source]] = [(Path(p), Source.read(p)) for p in plan_paths]
    reference = Source.read(reference_path) if reference_path is not None else None
    problems: list[Problem] = []
    names: list[str] = []
    for _, src in [*sources, *([(None, reference)] if reference else [])]:
        plan = load_plan(src.name, src.text.encode())
        names.append(plan.name)
        problem = foreign_plan(plan, scenario, src.name)
        if problem is not None:
            problems.append(problem)
            continue
        try:  # every id the plan names exists in the scenario (a typo would silently reject decisions in every run)
            load_plan(src.name, src.text.encode(), scenario=scenario)
        except FileFormatError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FileFormatError(problems)
    if rubric_path is None:
        own = scenario_rubric_path(scenario_path)
        rubric_path = own if own.is_file() else None
    rubric = Source.read(rubric_path) if rubric_path is not None else None
    if rubric is not None:
        load_rubric(rubric.name, rubric.text.encode())
    labels = plan_labels([path for path, _ in sources], scenario.id)
    plans = tuple(zip(labels, (src for _, src in sources), strict=True))
    return Job(scenario_src, plans, reference, rubric, tuple(names[: len(plans)]))


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

    Each row is the ``Experiment`` of that plan and seed, as ``single_run`` gives it. A plan identical to the
    reference (or to another plan) is not run twice for a seed: the drill is a pure function of its inputs, so
    the copy would be the same drill.
    """
    loaded = _load(job)
    rows: list[dict[str, Any]] = []
    with _young_garbage_only():
        for seed in seeds:
            drills: dict[str, Drill] = {}  # plan text -> its drill under this seed
            reference = None
            if loaded.reference is not None:
                reference = _drill(drills, loaded.scenario, loaded.reference, loaded.reference_text, seed)
            for label, plan, text in loaded.plans:
                drill = _drill(drills, loaded.scenario, plan, text, seed)
                result = evaluate(loaded.scenario, drill, seed, reference=reference, rubric=loaded.rubric)
                rows.append(_row(label, result))
    return rows


@contextmanager
def _young_garbage_only():
    """Exempt every object alive before the chunk from the garbage collector's full collections while it runs.

    A drill and its score allocate many short-lived objects; those alive across a few young collections are
    promoted and, every few hundred runs, set off a full collection that walks every object of the process
    (the loaded modules, pydantic's schemas, jieba's dictionary: 120,000-160,000 objects, ~85 ms each). On 500
    runs that was 0.3 s of 2.5 s. Frozen (``gc.freeze``), the old objects are skipped; unfrozen after, they are
    collected as before, so nothing is kept alive longer than the chunk.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _drill(drills: dict[str, Drill], scenario: Scenario, plan: Plan, text: str, seed: int) -> Drill:
    if text not in drills:
        drills[text] = run_plan(scenario, plan, seed)
    return drills[text]


def _row(label: str, result: Experiment) -> dict[str, Any]:
    row: dict[str, Any] = {"plan": label, "seed": result.seed, **result.outcome}
    for name, field in KEYWORD_FIELDS.items():
        row[field] = result.score["keywords"][name]["score"]
    row["total"] = result.score["total"]
    return row


# -- running on Dask ------------------------------------------------------------------------------------
def run_batch(
    scenario_path: str | Path,
    plan_paths: Sequence[str | Path],
    seeds: Iterable[int],
    *,
    reference_path: str | Path | None = None,
    rubric_path: str | Path | None = None,
    **where: Any,
) -> pd.DataFrame:
    """Run every plan under every seed; return one row per (plan, seed), plans in the order given, seeds ascending.

    The files are read and checked here (``make_job``); ``where`` are the options of :func:`run_job` (which
    cluster, how many workers, chunk size, progress). Raises ``FileFormatError`` for bad files, ``ValueError``
    for bad seeds, ``BatchError`` when the cluster cannot be reached or a worker fails.
    """
    return run_job(make_job(scenario_path, plan_paths, reference_path, rubric_path), seeds, **where)


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
    """Run a job already made (``make_job``, so the files are read and checked once) under every seed.

    Where: ``client`` (a ``distributed.Client`` the caller keeps, e.g. the app's), else the cluster at
    ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``), else a ``LocalCluster`` started for this call
    with ``workers`` processes (default: one per CPU core; ``processes=False`` runs them as threads in this
    process, which only suits tests). ``progress(done, total)`` is called as chunks of seeds finish.
    """
    seeds = check_seeds(seeds)
    with _connect(client, scheduler, workers, processes, len(seeds), connect_timeout) as dask_client:
        threads = _threads(dask_client)
        rows = _gather(dask_client, job, chunked(seeds, threads, chunk_size), progress)
    df = to_frame(rows, job.labels)
    df.attrs["names"] = job.plan_names()
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
    with dask.config.set(QUIET_CLUSTER), _bare_main():
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


def _gather(client, job: Job, chunks: list[list[int]], progress: Progress | None) -> list[dict]:
    """Run the chunks; return their rows in the order the chunks finish (``to_frame`` sorts them).

    One ``map`` call (one graph for the scheduler, not one per chunk) and results fetched as they come
    (``with_results``): each task costs the scheduler and this process about 1.2 ms of CPU instead of 1.9 ms,
    CPU the workers share on a small machine.
    """
    from distributed import as_completed

    total = sum(len(chunk) for chunk in chunks)
    futures = []
    try:
        [shared] = client.scatter([job], broadcast=True, hash=False)  # a key of its own: no race with a batch before
        futures = client.map(run_chunk, [shared] * len(chunks), chunks, pure=False)
        size = {future.key: len(chunk) for future, chunk in zip(futures, chunks, strict=True)}
        done = 0
        if progress is not None:
            progress(0, total)
        rows: list[dict] = []
        for future, result in as_completed(futures, loop=client.loop, with_results=True):
            if future.status != "finished":  # cancelled (errors are raised by as_completed)
                future.result()
            rows.extend(result)
            done += size[future.key]
            if progress is not None:
                progress(done, total)
    except BatchError:
        raise
    except Exception as exc:  # a worker that died, could not import this project, or raised
        client.cancel(futures)
        raise BatchError(
            f"工作进程运行失败 (a worker failed): {type(exc).__name__}: {exc}"
            "（远程集群的每个工作进程须安装本项目同一版本的代码和依赖 / remote workers need this project installed）"
        ) from None
    return rows


def run_serial(job: Job, seeds: Sequence[int]) -> pd.DataFrame:
    """The same table without Dask, in this process (a reference for tests and benchmarks)."""
    return to_frame(run_chunk(job, check_seeds(seeds)), job.labels)
