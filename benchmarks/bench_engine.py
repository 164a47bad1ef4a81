"""Engine speed: the reference drill against a bare SimPy loop that processes the same number of events.

Run: ``python -m benchmarks.bench_engine`` (prints a table; no pass/fail — figures go in the README).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import simpy

from simulator import load_plan, load_scenario, run_plan

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 50
TARGET_RATIO = 3.0  # the engine should reach at least 1/3 of bare SimPy's events per second


def count_simpy_events(scenario, plan, seed: int) -> int:
    """How many SimPy events the engine processes for one drill (counted once, outside the timed runs)."""
    original = simpy.Environment.step
    count = 0

    def counting_step(env):
        nonlocal count
        count += 1
        return original(env)

    simpy.Environment.step = counting_step
    try:
        run_plan(scenario, plan, seed)
    finally:
        simpy.Environment.step = original
    return count


def bare_simpy(n_events: int) -> None:
    """The baseline: one process that does nothing but wait, ``n_events`` times."""
    env = simpy.Environment()

    def ticker(env):
        for _ in range(n_events - 1):
            yield env.timeout(1)

    env.process(ticker(env))
    env.run()


def median_seconds(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_medians(a, b, repeats: int = REPEATS) -> tuple[float, float]:
    """Median seconds of ``a`` and of ``b``, timed turn about, so a change of load on the machine hits both."""
    times_a, times_b = [], []
    for _ in range(repeats):
        for fn, times in ((a, times_a), (b, times_b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times_a), statistics.median(times_b)


def main() -> dict[str, float]:
    scenario = load_scenario(ROOT / "scenarios" / "hazchem_leak.yaml")
    plan = load_plan(ROOT / "scenarios" / "hazchem_leak.reference.yaml")
    n_events = count_simpy_events(scenario, plan, seed=0)
    log_events = len(run_plan(scenario, plan, 0).log)
    drill, bare = interleaved_medians(lambda: run_plan(scenario, plan, 0), lambda: bare_simpy(n_events))
    results = {
        "simpy_events": n_events,
        "log_events": log_events,
        "drill_s": drill,
        "engine_events_per_s": n_events / drill,
        "bare_events_per_s": n_events / bare,
        "ratio": drill / bare,
    }
    print(f"reference drill (3 h sim): {n_events} SimPy events, {log_events} log events, median of {REPEATS} runs")
    print(f"{'':28}{'wall time':>12}{'events/s':>14}")
    print(f"{'engine (reference drill)':28}{drill * 1000:>10.1f}ms{results['engine_events_per_s']:>14,.0f}")
    print(f"{'bare SimPy, same events':28}{bare * 1000:>10.1f}ms{results['bare_events_per_s']:>14,.0f}")
    verdict = "met" if results["ratio"] <= TARGET_RATIO else "MISSED"
    print(
        f"engine throughput = 1/{results['ratio']:.1f} of bare SimPy "
        f"(target: at least 1/{TARGET_RATIO:g} — {verdict}); drill wall time target < 200 ms"
    )
    return results


if __name__ == "__main__":
    main()
