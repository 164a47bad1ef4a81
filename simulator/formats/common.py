"""Shared field types of the file formats."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from simulator.printable import MULTILINE, checked, is_multiline

Id = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
#: text that may run over several lines (an inject's text, a summary, a note): line breaks and tabs allowed; every
#: other str field of a file is one line (``simulator.printable``)
Text = Annotated[str, Field(max_length=20_000), MULTILINE]
#: the same, for a field that sets its own (shorter) max_length
Multiline = Annotated[str, MULTILINE]
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
    """Unknown keys are rejected: in a hand-written file they are typos. No float may be NaN or infinite, and no
    string may hold what a report cannot (``simulator.printable``): whatever validates must also run and report."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or isinstance(value, bool | int | BaseModel):
            return value
        return checked(value, multiline=info.field_name is not None and _multiline(cls, info.field_name))


@cache
def _multiline(model: type[BaseModel], name: str) -> bool:
    """Whether the field ``name`` of ``model`` is marked ``MULTILINE`` (``Text``)."""
    field = model.model_fields.get(name)
    return field is not None and is_multiline(field.annotation, field.metadata)
