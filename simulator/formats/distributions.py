"""Seeded distributions as they are written in scenario files.

A duration in a scenario is either a plain number (fixed) or a mapping such as
``{dist: triangular, low: 5, mode: 8, high: 15}``. Each model draws from a ``random.Random`` handed in by the
run, so the run owns every random draw (see ``engine/streams.py``).
"""

from __future__ import annotations

import math
import random
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

_POSITIVE = Field(ge=0, le=1e6)


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Fixed(_Dist):
    """Always the same value: for tests and for delays that do not vary."""

    dist: Literal["fixed"] = "fixed"
    value: float = _POSITIVE

    def sample(self, rng: random.Random) -> float:
        return self.value

    @property
    def mean(self) -> float:
        return self.value


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float = _POSITIVE
    high: float = _POSITIVE

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise ValueError("low 应不大于 high (expected low <= high)")
        return self

    def sample(self, rng: random.Random) -> float:
        return rng.uniform(self.low, self.high)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: float = _POSITIVE
    mode: float = _POSITIVE
    high: float = _POSITIVE

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("应满足 low <= mode <= high (expected low <= mode <= high)")
        return self

    def sample(self, rng: random.Random) -> float:
        if self.low == self.high:
            return self.low
        return rng.triangular(self.low, self.high, self.mode)

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Lognormal(_Dist):
    """Positive and right-skewed, as travel and mobilisation times are; given by its own mean and sd."""

    dist: Literal["lognormal"]
    mean_: float = Field(alias="mean", gt=0, le=1e6)
    sd: float = _POSITIVE

    def sample(self, rng: random.Random) -> float:
        if self.sd == 0:
            return self.mean_
        sigma2 = math.log(1 + (self.sd / self.mean_) ** 2)
        mu = math.log(self.mean_) - sigma2 / 2
        return rng.lognormvariate(mu, math.sqrt(sigma2))

    @property
    def mean(self) -> float:
        return self.mean_


class Exponential(_Dist):
    dist: Literal["exponential"]
    mean_: float = Field(alias="mean", gt=0, le=1e6)

    def sample(self, rng: random.Random) -> float:
        return rng.expovariate(1.0 / self.mean_)

    @property
    def mean(self) -> float:
        return self.mean_


def _coerce(value: object) -> object:
    """A bare number in a file means a fixed value."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    return value


Distribution = Annotated[
    Fixed | Uniform | Triangular | Lognormal | Exponential,
    Field(discriminator="dist"),
]

Dist = Annotated[Distribution, BeforeValidator(_coerce)]
