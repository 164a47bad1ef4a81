"""Engine speed: the reference drill against a bare SimPy loop that processes the same number of events.

Run: ``python -m benchmarks.bench_engine [--rounds N]`` (prints a table per round, and with several rounds the
range of the headline figures; no pass/fail — figures go in the README).

The floor is what any engine of this model must do: SimPy's own work for the drill's events (a bare loop of as many
timeouts), the hazard's physics and writing the log. What the engine spends above it — routing and drawing
messages, departments, injects, decisions, bookkeeping — is its coordination overhead, shown as engine / floor.
"""

from __future__ import annotations

import argparse
import statistics
import time
from functools import partial
from pathlib import Path

import simpy

from simulator import load_plan, load_scenario, run_plan
from simulator.engine.events import EventLog
from simulator.engine.incident import STEP_MINUTES
from simulator.engine.streams import Streams
from simulator.hazards import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 50
TARGET_RATIO = 3.0  # the engine should reach at least 1/3 of bare SimPy's events per second
TARGET_OVERHEAD = 1.5  # the engine should take at most 1.5 times the floor (bare SimPy + physics + log; issue 20)


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


def interleaved_medians(*fns, repeats: int = REPEATS) -> tuple[float, ...]:
    """Median seconds of each function, timed turn about, so a change of load on the machine hits them all."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, fn_times in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            fn_times.append(time.perf_counter() - start)
    return tuple(statistics.median(t) for t in times)


def log_only(drill) -> None:
    """Only writing the drill's log: the same events, each built from its fields, added to a new log (the way the
    engine's busiest writers add theirs, ``EventLog.add``)."""
    log = EventLog()
    for e in drill.log:
        log.add(e.t, e.kind, {**e.data})


def hazard_only(drill) -> None:
    """Only the hazard's physics: a fresh model stepped minute by minute through the drill, under the measures
    the drill took (registered up front: a measure acts from its start time whenever it was registered) and
    sampled as often as the drill samples it. No SimPy, no network, no log."""
    scenario = drill.scenario
    hazard = REGISTRY[scenario.hazard.model](scenario.hazard.params, partial(Streams(drill.seed).numpy, "hazard"))
    for m in drill.hazard.active:
        hazard.start_measure(m.measure, m.params, m.start, m.end)
        hazard.active[-1].until = m.until  # as the drill's adjustments left it
    every = max(1, round(scenario.sample_every / STEP_MINUTES))
    for minute in range(1, int(scenario.duration / STEP_MINUTES) + 1):
        hazard.step(minute * STEP_MINUTES, STEP_MINUTES)
        if minute % every == 0:
            hazard.figures()


def physics_timed(scenario, run, repeats: int = REPEATS) -> float:
    """The time ``run()`` spends in the hazard model's ``step`` and ``figures``, each call timed (the median over
    ``repeats`` calls, in runs apart from the timed ones). Timed the same way inside the drill and alone, the
    same steps take longer in the drill, interleaved with the rest of it, than in a loop of their own: this says
    how much of the overhead above the floor is the physics itself, slowed by what runs between its minutes."""
    model = REGISTRY[scenario.hazard.model]
    spent = 0.0

    def timed(method):
        def call(*args):
            nonlocal spent
            start = time.perf_counter()
            try:
                return method(*args)
            finally:
                spent += time.perf_counter() - start

        return call

    originals = {name: model.__dict__[name] for name in ("step", "figures") if name in model.__dict__}
    totals = []
    try:
        for name, method in originals.items():
            setattr(model, name, timed(method))
        for _ in range(repeats):
            spent = 0.0
            run()
            totals.append(spent)
    finally:
        for name, method in originals.items():
            setattr(model, name, method)
    return statistics.median(totals)


MESSAGES = 200  # messages of the message-alone measurement


def messages_alone(scenario, n: int = MESSAGES) -> tuple[float, float]:
    """(seconds a message, SimPy events a message) for ``n`` notices sent from the duty office to the departments in
    turn over the scenario's network, each carried by ``CoordinationNetwork.send`` as the drill starts it, hop by hop
    to delivery (or loss and resend): a message's whole cost without the decision that sends it."""
    from simulator.engine.network import CoordinationNetwork

    sender, *others = [d.id for d in scenario.departments]

    def send_all() -> int:
        env = simpy.Environment()
        network = CoordinationNetwork(env, scenario, Streams(0), EventLog())
        for i in range(n):
            msg = network.new_message("notice", sender, others[i % len(others)], decision=f"d{i}")
            env.process(network.send(msg))
        steps = 0
        while env.peek() != float("inf"):
            env.step()
            steps += 1
        return steps

    events = send_all()
    return median_seconds(send_all) / n, events / n


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_engine")
    parser.add_argument("--rounds", type=int, default=1, help="measure this many times (the range is shown)")
    args = parser.parse_args(argv if argv is not None else [])
    scenario = load_scenario(ROOT / "scenarios" / "hazchem_leak.yaml")
    plan = load_plan(ROOT / "scenarios" / "hazchem_leak.reference.yaml")
    n_events = count_simpy_events(scenario, plan, seed=0)
    drill_done = run_plan(scenario, plan, 0)
    rounds = [_round(scenario, plan, drill_done, n_events) for _ in range(max(1, args.rounds))]
    if len(rounds) > 1:
        print(f"\nover {len(rounds)} rounds (each the median of {REPEATS} runs):")
        for key, name, unit, scale in (
            ("drill_s", "engine", "ms", 1000),
            ("ratio", "engine × bare", "×", 1),
            ("floor_ratio", "floor × bare", "×", 1),
            ("overhead", "engine / floor", "×", 1),
        ):
            values = [r[key] * scale for r in rounds]
            print(f"  {name:16}{min(values):.2f}–{max(values):.2f} {unit}")
    per_message, events = messages_alone(scenario)
    last = rounds[-1]
    floor_share = events * last["drill_s"] / last["ratio"] / n_events  # the bare loop's time for as many events
    floor_share += 2 * last["logging_s"] / len(drill_done.log)  # and writing its two log events (sent, delivered)
    print(
        f"a message alone ({MESSAGES} notices over the network, sent to delivered): {per_message * 1e6:.1f} µs, "
        f"{events:.1f} SimPy events; the floor's share of it (as many bare events, two log events) "
        f"{floor_share * 1e6:.1f} µs"
    )
    last["message_s"], last["message_floor_s"] = per_message, floor_share
    return last


def _round(scenario, plan, drill_done, n_events: int) -> dict[str, float]:
    """One measurement: the drill, the bare loop, the physics and the log, timed turn about."""
    log_events = len(drill_done.log)
    drill, bare, physics, logging = interleaved_medians(
        lambda: run_plan(scenario, plan, 0),
        lambda: bare_simpy(n_events),
        lambda: hazard_only(drill_done),
        lambda: log_only(drill_done),
    )
    results = {
        "simpy_events": n_events,
        "log_events": log_events,
        "drill_s": drill,
        "engine_events_per_s": n_events / drill,
        "bare_events_per_s": n_events / bare,
        "ratio": drill / bare,
        "physics_s": physics,
        "logging_s": logging,
    }
    print(f"reference drill (3 h sim): {n_events} SimPy events, {log_events} log events, median of {REPEATS} runs")
    print(f"{'':36}{'wall time':>10}{'events/s':>12}{'× bare':>8}")
    rows = (
        ("engine (reference drill)", drill, n_events / drill),
        (f"  hazard physics alone ({int(scenario.duration)} steps)", physics, None),
        (f"  writing the {log_events} log events alone", logging, None),
        ("bare SimPy, same events", bare, n_events / bare),
    )
    for name, seconds, rate in rows:
        rate_text = f"{rate:>12,.0f}" if rate else f"{'':>12}"
        print(f"{name:36}{seconds * 1000:>8.2f}ms{rate_text}{seconds / bare:>8.1f}")
    verdict = "met" if results["ratio"] <= TARGET_RATIO else "MISSED"
    print(
        f"engine throughput = 1/{results['ratio']:.1f} of bare SimPy "
        f"(target: at least 1/{TARGET_RATIO:g} — {verdict}); drill wall time target < 200 ms"
    )
    floor = bare + physics + logging
    results["floor_s"] = floor
    results["floor_ratio"] = floor / bare
    print(
        f"SimPy's own work for these events, the physics and the log: {results['floor_ratio']:.1f}× the bare loop, "
        "before a single message is routed"
    )
    results["overhead"] = drill / floor
    verdict = "met" if results["overhead"] <= TARGET_OVERHEAD else "MISSED"
    print(
        f"coordination overhead: engine / floor = {results['overhead']:.2f}× "
        f"({(drill - floor) * 1000:.2f} ms above the floor's {floor * 1000:.2f} ms; "
        f"target ≤ {TARGET_OVERHEAD:g}× — {verdict})"
    )
    in_drill = physics_timed(scenario, lambda: run_plan(scenario, plan, 0))
    alone = physics_timed(scenario, lambda: hazard_only(drill_done))
    results["physics_in_drill_s"], results["physics_alone_s"] = in_drill, alone
    print(
        f"  of which the physics itself, slower inside the drill than alone: {in_drill * 1000:.2f} ms in the drill "
        f"against {alone * 1000:.2f} ms alone, each step timed ({in_drill / alone:.2f}×; "
        f"{(in_drill - alone) * 1000:.2f} ms of the overhead, not taken off)"
    )
    return results


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
