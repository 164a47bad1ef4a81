"""The store's column widths, taken from the file formats' own limits, and the check that refuses what does not fit.

A value the models accept must fit its column on every database: SQLite stores any length in any column, but
PostgreSQL refuses a ``VARCHAR(n)`` overflow and a 32-bit integer past 2³¹ with a driver traceback. So the widths
are read off the pydantic fields (a plan's team, scenario id and version, seed) rather than written twice, and
:func:`check_drill` refuses a value beyond them with a message in both languages before the database sees it.
"""

from __future__ import annotations

from annotated_types import Le, Lt, MaxLen
from pydantic.fields import FieldInfo

from simulator.formats.plan import Plan
from simulator.formats.scenario import Scenario
from simulator.vocabulary import Label


def _meta(field: FieldInfo, kind: type) -> object | None:
    """The first constraint of ``kind`` on a field (pydantic keeps them in ``metadata``, also inside an Optional)."""
    for item in field.metadata:
        if isinstance(item, kind):
            return item
    return None


def _max_length(field: FieldInfo) -> int:
    found = _meta(field, MaxLen)
    if found is None:
        raise AssertionError(f"{field} has no max_length: the store's column needs one")
    return found.max_length


def _max_int(field: FieldInfo) -> int:
    if (found := _meta(field, Lt)) is not None:
        return found.lt - 1
    if (found := _meta(field, Le)) is not None:
        return found.le
    raise AssertionError(f"{field} has no upper bound: the store's column needs one")


#: a scenario's id (``formats.common.Id``)
MAX_SCENARIO_ID = _max_length(Scenario.model_fields["id"])
#: a scenario's version: the scenario file and a drill file share the type (``formats.common.Version``)
MAX_VERSION = _max_length(Scenario.model_fields["version"])
#: a team's name
MAX_TEAM = _max_length(Plan.model_fields["team"])
#: the largest seed (a plan's seed is below 2⁶³: a signed 64-bit column holds it)
MAX_SEED = _max_int(Plan.model_fields["seed"])
#: who entered a decision: ``facilitator`` or a department's id
MAX_ROLE = 64


class DoesNotFit(ValueError):
    """A value longer or larger than the store keeps; ``label`` says which, in both languages."""

    def __init__(self, label: Label):
        super().__init__(f"{label.zh} ({label.en})")
        self.label = label


def check_drill(scenario_id: str, scenario_version: str, seed: int, team: str) -> None:
    """Refuse a drill whose inputs do not fit the ``drills`` row, saying which field and its limit."""
    if len(scenario_id) > MAX_SCENARIO_ID:
        raise DoesNotFit(
            Label(f"场景编号超过 {MAX_SCENARIO_ID} 个字符。", f"The scenario id is over {MAX_SCENARIO_ID} characters.")
        )
    if len(scenario_version) > MAX_VERSION:
        raise DoesNotFit(
            Label(f"场景版本超过 {MAX_VERSION} 个字符。", f"The scenario version is over {MAX_VERSION} characters.")
        )
    if not 0 <= seed <= MAX_SEED:
        raise DoesNotFit(Label(f"情景随机编号须在 0 至 {MAX_SEED} 之间。", f"The seed must be 0 to {MAX_SEED}."))
    if len(team) > MAX_TEAM:
        raise DoesNotFit(Label(f"队伍名称超过 {MAX_TEAM} 个字。", f"The team name is over {MAX_TEAM} characters."))


def check_role(role: str) -> None:
    """Refuse a decision's author longer than its column (a department id is at most this long)."""
    if len(role) > MAX_ROLE:
        raise DoesNotFit(
            Label(f"提交部门编号超过 {MAX_ROLE} 个字符。", f"The seat's id is over {MAX_ROLE} characters.")
        )
