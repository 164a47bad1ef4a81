"""Shared field types of the file formats."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Id = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(max_length=20_000)]
#: a scenario's version, in the scenario file and in a drill file alike (the store's column is as wide)
Version = Annotated[str, Field(max_length=64)]

_ROMAN = {"Ⅰ": 1, "I": 1, "Ⅱ": 2, "II": 2, "Ⅲ": 3, "III": 3, "Ⅳ": 4, "IV": 4}


def _parse_level(value: object) -> object:
    """Accept 3, "3", "III", "Ⅲ", "Ⅲ级": the ways a response level is written."""
    if isinstance(value, str):
        key = value.strip().removesuffix("级").upper()
        if key in _ROMAN:
            return _ROMAN[key]
        if key.isdigit():
            return int(key)
        raise ValueError(f"无法识别的响应级别 {value!r}，应为 Ⅰ、Ⅱ、Ⅲ、Ⅳ 或 1-4 (expected a level I-IV)")
    return value


Level = Annotated[int, BeforeValidator(_parse_level), Field(ge=1, le=4)]


class Strict(BaseModel):
    """Unknown keys are rejected: in a hand-written file they are typos."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
