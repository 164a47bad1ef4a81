"""快速录入 (issue 21): spoken sentences become the plan decisions they mean, the words not understood are said, and
a decision entered this way is the same decision as one entered by form.

The test set (tests/fixtures/quick/*.yaml, written before the parser was tuned) is scored as exact decisions:
a parsed decision counts when the expected list holds the same decision; the score is the decisions matched over
the larger of (expected, parsed) per sentence, so a missed and an invented decision both cost.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from simulator import library
from simulator.formats.plan import Decision
from simulator.quick import parse
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "quick"
DECISION = TypeAdapter(Decision)
THRESHOLD = 0.90


def _scenarios():
    return {entry.id: entry.scenario for entry in library.catalog()[0]}


def _key(decision) -> str:
    """A decision's content, whatever the order its parameters were written in."""
    return json.dumps(decision.model_dump(mode="json", exclude={"at", "note"}), sort_keys=True, ensure_ascii=False)


def score_test_set() -> tuple[int, int, list[str]]:
    """(decisions matched, decisions counted, the sentences that missed) over the whole test set."""
    scenarios = _scenarios()
    matched = counted = 0
    misses = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scenario = scenarios[data["scenario"]]
        for case in data["sentences"]:
            result = parse(scenario, case["say"], by=case.get("by"), at=0)
            by = result.decisions[0].by if result.decisions else case.get("by", "duty_office")
            expected = Counter(_key(DECISION.validate_python({"at": 0, "by": by, **e})) for e in case["expect"])
            got = Counter(_key(d) for d in result.decisions)
            hits = sum((expected & got).values())
            matched += hits
            counted += max(sum(expected.values()), sum(got.values()))
            if hits < max(sum(expected.values()), sum(got.values())):
                misses.append(f"{path.stem}: {case['say']}")
    return matched, counted, misses


def test_the_test_set_parses_to_at_least_ninety_percent_exact_decisions():
    matched, counted, misses = score_test_set()
    accuracy = matched / counted
    print(f"快速录入测试集：{matched}/{counted} 项决策完全正确（{accuracy:.1%}）")
    assert counted >= 100 and sum(1 for p in FIXTURES.glob("*.yaml") for _ in yaml.safe_load(p.read_text())["sentences"]) >= 80
    assert accuracy >= THRESHOLD, f"{accuracy:.1%} < 90%:\n" + "\n".join(misses)
