"""A large drill end to end: 200 departments and 5,000 messages (``benchmarks/synthetic.py``), from YAML text to
the score, each stage timed, next to a bare SimPy loop with the same number of events and to the reference drill.

Run: ``python -m benchmarks.bench_synthetic [--repeat 3]`` (prints a table; no pass/fail — the target is the
drill itself, ``run_plan``, under 2 s; loading and scoring are shown beside it).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks import synthetic
from benchmarks.bench_engine import bare_simpy, count_simpy_events
from simulator import load_plan, load_scenario, run_plan
from simulator.report import build_report, render_markdown
from simulator.scoring import score_drill

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 2.0


def timed(fn, repeat: int) -> tuple[float, object]:
    """(median seconds, last result) of ``repeat`` calls."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    r = args.repeat

    gen_s, (scenario_text, plan_text) = timed(lambda: (synthetic.scenario_yaml(), synthetic.plan_yaml()), 1)
    load_s, (scenario, plan) = timed(
        lambda: (
            load_scenario("synthetic_large.yaml", scenario_text.encode()),
            load_plan("synthetic_large.plan.yaml", plan_text.encode()),
        ),
        r,
    )
    run_s, drill = timed(lambda: run_plan(scenario, plan, args.seed), r)
    log = drill.log
    score_drill(scenario, log, reference=log)  # jieba's dictionary, once per process
    score_s, score = timed(lambda: score_drill(scenario, log, reference=log), r)
    report_s, _ = timed(
        lambda: render_markdown(build_report(scenario, log, score, reference_outcome=drill.outcome().as_dict())), 1
    )
    messages = len({e["msg"] for e in log.of("message_sent", "message_lost")})
    n_events = count_simpy_events(scenario, plan, args.seed)
    bare_s, _ = timed(lambda: bare_simpy(n_events), r)

    ref_scenario = load_scenario(ROOT / "scenarios" / "hazchem_leak.yaml")
    ref_plan = load_plan(ROOT / "scenarios" / "hazchem_leak.reference.yaml")
    ref_events = count_simpy_events(ref_scenario, ref_plan, 0)
    ref_s, _ = timed(lambda: run_plan(ref_scenario, ref_plan, 0), 20)

    results = {
        "departments": len(scenario.departments),
        "messages": messages,
        "log_events": len(log),
        "simpy_events": n_events,
        "generate_s": gen_s,
        "load_s": load_s,
        "run_s": run_s,
        "score_s": score_s,
        "report_md_s": report_s,
        "bare_s": bare_s,
        "end_to_end_s": load_s + run_s + score_s,
    }
    print(
        f"synthetic drill: {len(scenario.departments)} departments, {len(scenario.channels)} channels, "
        f"{len(plan.decisions)} decisions, {messages} messages, {len(log)} log events, {n_events} SimPy events; "
        f"{scenario.duration:g} min; median of {r}"
    )
    print(f"    {'stage':<48}{'wall time':>11}")
    rows = [
        ("generate scenario + plan YAML (not counted)", gen_s),
        ("load + validate (YAML with line numbers)", load_s),
        ("run the drill (run_plan)", run_s),
        ("score (score_drill)", score_s),
        ("report draft (build_report + markdown)", report_s),
        ("end to end: load + run + score", load_s + run_s + score_s),
        ("baseline: bare SimPy, same event count", bare_s),
    ]
    for label, seconds in rows:
        print(f"    {label:<48}{seconds:>10.3f}s")
    per_event = run_s / n_events
    ref_per_event = ref_s / ref_events
    verdict = "met" if run_s < TARGET_S else "MISSED"
    print(
        f"    the drill: {n_events / run_s:,.0f} SimPy events/s = 1/{run_s / bare_s:.1f} of bare SimPy; "
        f"{per_event * 1e6:.1f} µs per event vs {ref_per_event * 1e6:.1f} µs in the reference drill"
    )
    print(f"    target: the drill under {TARGET_S:g} s — {verdict} ({run_s:.2f} s)")
    return results


if __name__ == "__main__":
    main()
