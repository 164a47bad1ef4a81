"""Random streams (engine/streams.py): each draw a function of (seed, stream, entity, n), with the means the
scenario wrote."""

from __future__ import annotations

import math
import pickle
import statistics

import pytest
from pydantic import TypeAdapter

from simulator.engine.streams import Streams
from simulator.formats.distributions import Distribution


def test_a_stream_is_a_function_of_seed_stream_and_entity():
    def draws(seed, stream, index):
        rng = Streams(seed).get(stream, index)
        return [rng.random() for _ in range(5)]

    assert draws(3, "travel", 2) == draws(3, "travel", 2)
    others = [draws(4, "travel", 2), draws(3, "mobilise", 2), draws(3, "travel", 1)]
    assert all(other != draws(3, "travel", 2) for other in others)
    halfway = Streams(3).get("travel", 2)
    first = [halfway.random() for _ in range(2)]
    resumed = pickle.loads(pickle.dumps(halfway))  # a stream carried to another process goes on where it was
    assert first + [resumed.random() for _ in range(3)] == draws(3, "travel", 2)


@pytest.mark.parametrize(
    ("raw", "mean"),
    [
        ({"dist": "uniform", "low": 2, "high": 6}, 4.0),
        ({"dist": "triangular", "low": 5, "mode": 8, "high": 15}, 28 / 3),
        ({"dist": "lognormal", "mean": 10, "sd": 4}, 10.0),
        ({"dist": "exponential", "mean": 6}, 6.0),
    ],
)
def test_durations_drawn_from_a_stream_have_the_mean_the_scenario_wrote(raw, mean):
    dist = TypeAdapter(Distribution).validate_python(raw)
    rng = Streams(1).get("task", 0)
    draws = [dist.sample(rng) for _ in range(20_000)]
    assert statistics.fmean(draws) == pytest.approx(mean, rel=0.03)
    assert min(draws) >= raw.get("low", 0) and max(draws) <= raw.get("high", math.inf)
