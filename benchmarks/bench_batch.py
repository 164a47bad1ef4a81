"""Many-run speed: runs per second of ``simulator.batch`` on 1 and on 2 Dask worker processes, against the same
runs in this process without Dask, and 1,000 runs of the reference drill end to end (cluster start included).

Run: ``python -m benchmarks.bench_batch [--runs 200] [--rounds 5] [--big 1000] [--where]`` (prints a table; no
pass/fail — the targets are 1,000 runs in under 60 s and 2 workers at 1.8x the serial rate or more, on this
project's 2-core machine; ``--where`` adds two plain processes side by side and each worker's threads timed).
Serial and Dask are measured turn about on a warm cluster (cluster start is reported apart, and included in the
1,000-run figure): each "vs serial" is the median of the rounds' ratios.

A "run" is what ``python -m simulator batch`` does per seed: the plan's drill, its outcome and its score against
the reference plan under the same seed. For the reference plan itself that is one drill and one score (the batch
does not run a plan twice when it is the reference).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from simulator.batch import local_cluster_client, make_job, run_batch, run_job, run_serial

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "hazchem_leak.yaml"
REFERENCE = ROOT / "scenarios" / "hazchem_leak.reference.yaml"
TARGET_S = 60.0  # 1,000 runs on 2 cores


def turn_about(job, seeds, workers: int, rounds: int) -> tuple[float, float, float, float]:
    """(seconds to start the cluster and warm its workers, serial runs/s, Dask runs/s, Dask / serial) on ``workers``
    processes: the medians of ``rounds`` rounds of the serial runs then the same runs on the warm cluster.

    Turn about, so both sides meet the same load: on a shared 2-core machine one-second figures move by ±10 %
    from one second to the next, more than the difference being measured.
    """
    start = time.perf_counter()
    client = local_cluster_client(workers)
    try:
        run_job(job, range(10**6, 10**6 + 2 * workers), client=client, chunk_size=1)  # imports, jieba, parsing
        warm = time.perf_counter() - start
        serial, dask = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            run_serial(job, seeds)
            serial.append(len(seeds) / (time.perf_counter() - start))
            start = time.perf_counter()
            run_job(job, seeds, client=client)
            dask.append(len(seeds) / (time.perf_counter() - start))
        ratio = statistics.median(d / s for s, d in zip(serial, dask, strict=True))
        return warm, statistics.median(serial), statistics.median(dask), ratio
    finally:
        client.close()
        client.cluster.close()


def _serial_rate(job, n: int) -> float:
    """Runs/s of ``n`` serial runs in this process (warmed first): what one plain process does, in a pool."""
    run_serial(job, [10**6])
    start = time.perf_counter()
    run_serial(job, range(n))
    return n / (time.perf_counter() - start)


def plain_processes(job, n: int) -> tuple[float, float]:
    """(runs/s of one plain process alone, of two side by side): what the machine's 2 cores give without Dask,
    each process running ``n`` serial runs (imports and warm-up before the timing, in each process)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_serial_rate, [job, job], [2, 2]))  # both started and warm
        alone = pool.submit(_serial_rate, job, n).result()
        both = sum(pool.map(_serial_rate, [job, job], [n, n]))
    return alone, both


def worker_threads(job, n: int) -> list[tuple[float, float, float]]:
    """Where each of 2 workers' time goes on a batch of ``n`` runs on a warm cluster: per worker (its computing
    thread's CPU ms a run, its other threads' CPU s, the share of the batch's wall time it computed)."""
    import psutil

    client = local_cluster_client(2)
    try:
        run_job(job, range(10**6, 10**6 + 4), client=client, chunk_size=1)
        workers = [
            p for p in psutil.Process().children(recursive=True) if "resource_tracker" not in " ".join(p.cmdline())
        ]

        def cpu() -> list[dict[int, float]]:
            return [{t.id: t.user_time + t.system_time for t in p.threads()} for p in workers]

        before, start = cpu(), time.perf_counter()
        run_job(job, range(n), client=client)
        wall, after = time.perf_counter() - start, cpu()
    finally:
        client.close()
        client.cluster.close()
    found = []
    for was, now in zip(before, after, strict=True):
        spent = sorted((now[t] - was.get(t, 0.0) for t in now), reverse=True)
        found.append((spent[0] / (n / len(workers)) * 1000, sum(spent[1:]), spent[0] / wall))
    return found


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="runs per throughput measurement")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of serial then Dask, per worker count")
    parser.add_argument("--big", type=int, default=1000, help="runs of the end-to-end measurement")
    parser.add_argument(
        "--where", action="store_true", help="also: two plain processes side by side, and each worker's threads timed"
    )
    args = parser.parse_args(argv)
    job = make_job(SCENARIO, [REFERENCE])
    seeds = range(args.runs)

    run_serial(job, [10**6])  # warm this process too: imports, jieba's dictionary, the parsed job
    warm1, serial1, one, ratio1 = turn_about(job, seeds, 1, args.rounds)
    warm2, serial2, two, ratio2 = turn_about(job, seeds, 2, args.rounds)
    serial = statistics.median([serial1, serial2])

    start = time.perf_counter()
    run_batch(SCENARIO, [REFERENCE], range(args.big), workers=2)
    big = time.perf_counter() - start

    results = {
        "serial_runs_per_s": serial,
        "one_worker_runs_per_s": one,
        "two_workers_runs_per_s": two,
        "one_worker_vs_serial": ratio1,
        "two_workers_vs_serial": ratio2,
        "cluster_start_1_s": warm1,
        "cluster_start_2_s": warm2,
        "big_runs": args.big,
        "big_s": big,
    }
    print(
        f"batch of the reference drill (one drill + one score per run), {args.runs} runs per measurement, "
        f"medians of {args.rounds} rounds of serial then Dask"
    )
    print(f"{'':44}{'runs/s':>10}{'serial':>10}{'vs serial':>11}{'start':>9}")
    print(f"{'Dask LocalCluster, 1 worker process':44}{one:>10.1f}{serial1:>10.1f}{ratio1:>10.2f}x{warm1:>8.1f}s")
    print(f"{'Dask LocalCluster, 2 worker processes':44}{two:>10.1f}{serial2:>10.1f}{ratio2:>10.2f}x{warm2:>8.1f}s")
    print(f"{'(serial: the same runs in this process, no Dask)':44}")
    verdict = "met" if big < TARGET_S else "MISSED"
    print(
        f"{args.big} runs end to end on 2 workers (cluster start included): {big:.1f} s "
        f"({args.big / big:.0f} runs/s) — target < {TARGET_S:.0f} s {verdict}"
    )
    if args.where:
        alone, both = plain_processes(job, args.runs)
        print(
            f"without Dask, two plain processes side by side: {both:.1f} runs/s against {alone:.1f} alone "
            f"({both / alone:.2f}x): what the 2 cores give"
        )
        for i, (per_run, others, share) in enumerate(worker_threads(job, args.big), start=1):
            print(
                f"worker {i} on {args.big} runs: its computing thread {per_run:.2f} ms of CPU a run "
                f"(serial: {1000 / serial:.2f} ms), its other threads {others:.2f} s, "
                f"computing {share:.0%} of the batch"
            )
    return results


if __name__ == "__main__":
    main()
