"""The hazard models' minute step, per bundled scenario, against the whole drill it is part of.

Run: ``python -m benchmarks.bench_hazards``. Each model is stepped alone through its scenario's reference
drill, under the measures that drill took (``bench_engine.hazard_only``), timed turn about with the drill itself:
the share column says how much of a drill's time is its physics.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_engine import hazard_only, interleaved_medians
from simulator import load_plan, load_scenario, run_plan

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("hazchem_leak", "gas_explosion", "urban_flood", "highrise_fire", "crowd_crush")
REPEATS = 30


def main() -> dict[str, float]:
    print(f"hazard physics alone vs the whole reference drill, median of {REPEATS} runs each, timed turn about")
    print(f"{'scenario':16}{'model':13}{'µs / step':>11}{'physics':>10}{'drill':>10}{'share':>8}")
    results: dict[str, float] = {}
    for name in SCENARIOS:
        scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        plan = load_plan(ROOT / "scenarios" / f"{name}.reference.yaml")
        done = run_plan(scenario, plan, 0)
        drill, physics = interleaved_medians(
            lambda s=scenario, p=plan: run_plan(s, p, 0), lambda d=done: hazard_only(d), repeats=REPEATS
        )
        per_step = physics / scenario.duration * 1e6
        results[f"{name}_us_per_step"] = per_step
        print(
            f"{name:16}{scenario.hazard.model:13}{per_step:>11.1f}{physics * 1000:>8.2f}ms{drill * 1000:>8.2f}ms"
            f"{physics / drill:>8.0%}"
        )
    return results


if __name__ == "__main__":
    main()
