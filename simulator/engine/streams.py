"""Every random draw of a run comes from here: one seeded stream per (named stream, index).

Giving each channel and each department its own stream means two plans run with the same seed see the same
travel times and the same lost messages where they make the same moves (common random numbers), which makes a
comparison of plans fair. ``STREAMS`` is append-only: reordering it would change every seeded result.

A drill touches about a hundred streams and most of them draw once or twice, so setting up a generator's state
per stream (a Mersenne Twister or a PCG seeded through ``SeedSequence``) costs more than the draws themselves.
The per-entity streams are therefore counter-based: draw n of a stream is a BLAKE2b hash of (seed, stream,
index, n), the way Philox and Threefry work, so a stream costs nothing until it draws. ``CounterStream`` is a
``random.Random`` whose ``random()`` is that hash, so it has all of ``random``'s distributions. The hazard
models, which draw vectors and binomials every minute, get numpy ``Generator``s: one per named stream of the
model (harm apart from weather and noise), all under the ``hazard`` entry.
"""

from __future__ import annotations

import random
from hashlib import blake2b

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

_TO_UNIT = 2.0**-53  # a 53-bit integer times this is a float in [0, 1), as random.random() gives


class CounterStream(random.Random):
    """A ``random.Random`` whose n-th ``random()`` is a hash of its key and n: no state but a counter."""

    def seed(self, a: bytes | None = None, version: int = 2) -> None:  # called by random.Random.__init__
        self._key = a or b""
        self._hash = blake2b(self._key, digest_size=8)
        self._drawn = 0

    def random(self) -> float:
        h = self._hash.copy()
        h.update(self._drawn.to_bytes(8, "little"))
        self._drawn += 1
        return (int.from_bytes(h.digest(), "little") >> 11) * _TO_UNIT

    def getrandbits(self, k: int) -> int:
        """Bits from successive draws; ``randrange``, ``choice`` and ``shuffle`` rest on this."""
        bits = 0
        for shift in range(0, k, 53):
            bits |= int(self.random() / _TO_UNIT) << shift
        return bits & ((1 << k) - 1)

    def getstate(self) -> tuple[bytes, int]:
        """The key and how many draws were made: all a stream is (``random.Random`` pickles through this)."""
        return (self._key, self._drawn)

    def setstate(self, state: tuple[bytes, int]) -> None:
        self.seed(state[0])
        self._drawn = state[1]


class Streams:
    def __init__(self, seed: int):
        if not 0 <= seed < 2**63:
            raise ValueError(f"种子应为 0 到 2^63-1 的整数 (seed must be 0..2^63-1), got {seed}")
        self.seed = seed
        self._cache: dict[tuple[str, int], CounterStream] = {}

    def get(self, stream: str, index: int = 0) -> CounterStream:
        """The stream for one entity (a channel, a department) and one purpose."""
        key = (stream, index)
        rng = self._cache.get(key)
        if rng is None:
            rng = self._cache[key] = CounterStream(f"{self.seed}:{STREAMS.index(stream)}:{index}".encode())
        return rng

    def numpy(self, stream: str, index: int = 0) -> np.random.Generator:
        """A numpy generator, for the hazard model's vector and binomial draws: ``numpy("hazard", n)`` is the
        hazard model's n-th named stream (``HazardModel.STREAMS``), so each is a function of (seed, its name)."""
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(STREAMS.index(stream), index)))
