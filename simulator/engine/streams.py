"""Every random draw of a run comes from here: one seeded generator per (named stream, index).

Giving each channel and each department its own generator means two plans run with the same seed see the same
travel times and the same lost messages where they make the same moves (common random numbers), which makes a
comparison of plans fair. ``STREAMS`` is append-only: reordering it would change every seeded result.
"""

from __future__ import annotations

import numpy as np

STREAMS = (
    "channel_delay",
    "channel_loss",
    "mobilise",
    "travel",
    "task",
    "hazard",
    "command_post",
    "drafting",
)


class Streams:
    def __init__(self, seed: int):
        if not 0 <= seed < 2**63:
            raise ValueError(f"种子应为 0 到 2^63-1 的整数 (seed must be 0..2^63-1), got {seed}")
        self.seed = seed
        self._cache: dict[tuple[str, int], np.random.Generator] = {}

    def get(self, stream: str, index: int = 0) -> np.random.Generator:
        key = (stream, index)
        rng = self._cache.get(key)
        if rng is None:
            sequence = np.random.SeedSequence(self.seed, spawn_key=(STREAMS.index(stream), index))
            rng = self._cache[key] = np.random.default_rng(sequence)
        return rng
