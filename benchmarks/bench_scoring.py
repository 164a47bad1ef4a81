"""Scoring speed: scoring the reference drill's log against simply reading it, and against running the drill.

Run: ``python -m benchmarks.bench_scoring`` (prints a table; no pass/fail — the target is under 50 ms per score,
so the console can rescore a live drill on every click and replay can chart the score over time).
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.bench_engine import median_seconds
from simulator import EventLog, load_plan, load_scenario, run_plan
from simulator.scoring import score_drill

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 50
TARGET_MS = 50.0


def touch_every_event(log: EventLog) -> int:
    """The floor: visit every event and every field once, as any reader of the log must."""
    n = 0
    for event in log:
        n += len(event.data) + (event.t >= 0)
    return n


def main() -> dict[str, float]:
    scenario = load_scenario(ROOT / "scenarios" / "hazchem_leak.yaml")
    reference_plan = load_plan(ROOT / "scenarios" / "hazchem_leak.reference.yaml")
    poor_plan = load_plan(ROOT / "scenarios" / "hazchem_leak.poor.yaml")
    log = run_plan(scenario, reference_plan, 0).log
    previous = score_drill(scenario, run_plan(scenario, poor_plan, 0).log, reference=log)
    jsonl = log.to_jsonl()

    def score() -> dict:
        return score_drill(scenario, log, reference=log, previous=previous)

    start = time.perf_counter()
    score()  # the first review segmented in this process loads jieba's dictionary, then this scenario's words
    first = time.perf_counter() - start
    scoring = median_seconds(score, REPEATS)
    touching = median_seconds(lambda: touch_every_event(log), REPEATS)
    parsing = median_seconds(lambda: EventLog.parse(jsonl), REPEATS)
    running = median_seconds(lambda: run_plan(scenario, reference_plan, 0), repeats=max(5, REPEATS // 5))
    results = {
        "log_events": len(log),
        "score_ms": scoring * 1000,
        "first_score_ms": first * 1000,
        "touch_log_ms": touching * 1000,
        "parse_log_ms": parsing * 1000,
        "run_drill_ms": running * 1000,
    }
    print(f"reference drill log: {len(log)} events; median of {REPEATS} repetitions")
    print(f"{'':40}{'wall time':>12}{'vs scoring':>12}")
    for label, key in (
        ("score_drill (all 21 indicators)", "score_ms"),
        ("  baseline: visit every event once", "touch_log_ms"),
        ("  baseline: read the log (EventLog.parse)", "parse_log_ms"),
        ("  baseline: run the drill (SimPy)", "run_drill_ms"),
    ):
        value = results[key]
        print(f"{label:40}{value:>10.2f}ms{value / results['score_ms']:>11.2f}x")
    print(f"first score in this process (loads jieba's dictionary once): {results['first_score_ms']:.0f} ms")
    verdict = "met" if results["score_ms"] < TARGET_MS else "MISSED"
    print(f"target: score under {TARGET_MS:.0f} ms — {verdict}")
    return results


if __name__ == "__main__":
    main()
