"""A plan checked against its scenario: every id a decision names must exist there.

A plan file can be valid on its own and still mean nothing in its scenario: ``to: [firemen]`` or
``measure: water_curtian`` passes the plan's schema, and the drill then rejects the decision, and every decision
that depended on it, one by one at run time (a reference plan scored 100 dropped to 70.8 that way, silently). Such
a typo is the author's error, not the trainees', so it is reported before anything runs, located like any other
file error (``file:line: field: message``), by ``validate``, ``run``, the batch runner and the app's plan uploads.

What is checked is what the scenario defines: departments (``by``, ``to``, ``department``, ``groups[].lead``),
measures (``measure``), a measure's parameter names and values and the places they name (through the hazard's own
declarations, ``validate_measure`` and ``unknown_places``), injects of exercise control (``inject``), who may take
a control action (``by: control``), and decisions timed after the drill's end (only a review is taken then).
Decisions are walked field by field by name, not per action class, so an action added later that names a
department or a measure is checked the same way.

What is not checked: whether a decision is *wise* or possible at its moment (an order to a department not yet
notified, a measure given to a department that cannot carry it out): a trainee can make those mistakes, and the
drill rejects them, with a reason, as part of what is scored. People (``person``, ``owner``) are free text: a
scenario names no people, so nothing is invented to check them against.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, Literal, get_origin

from pydantic import BaseModel, ValidationError

from simulator.formats.plan import CONTROL, CONTROL_ACTIONS, Plan
from simulator.formats.scenario import Scenario
from simulator.hazards import REGISTRY, measure_fields, places, unknown_places
from simulator.hazards.describe import PLACE_FIELDS
from simulator.vocabulary import when

Loc = tuple[Any, ...]
#: fields of a decision that name a department (a list of them, or one)
DEPARTMENT_FIELDS = ("by", "to", "department")
#: how many known ids a message lists (a scenario may have dozens of departments)
SHOWN = 12


def plan_problems(plan: Plan, scenario: Scenario) -> list[tuple[Loc, str]]:
    """Every reference of ``plan`` that ``scenario`` does not have, as ``(location, message)`` pairs: the form of
    ``load_model``'s ``extra_checks``, so the loader puts each on its line."""
    if plan.scenario not in (None, scenario.id):  # written for another scenario: its ids would all be noise
        message = f"方案是为场景 {plan.scenario!r} 编写的，而不是 {scenario.id!r} (plan written for another scenario)"
        return [(("scenario",), message)]
    check = _Check(scenario)
    for i, decision in enumerate(plan.decisions):
        check.decision(("decisions", i), decision)
    return check.problems


class _Check:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.depts = {d.id: d.name for d in scenario.departments}
        self.measures = {m.id: m.name for m in scenario.measures}
        self.injects = {i.id: i.title for i in scenario.injects}
        self.places = places(scenario.hazard.params)
        self.problems: list[tuple[Loc, str]] = []

    def decision(self, loc: Loc, decision: BaseModel) -> None:
        action = getattr(decision, "action", "")
        control = action in CONTROL_ACTIONS
        by = getattr(decision, "by", None)
        if control and by != CONTROL:
            message = f"导调组的控制动作应由 {CONTROL} 发出 (only exercise control may do this)"
            self.problems.append(((*loc, "by"), message))
        elif not control and by == CONTROL:
            self.problems.append(
                ((*loc, "by"), "导调组不参与处置决策，应写参演部门 (control takes no response decisions)")
            )
        if action != "review" and getattr(decision, "at", 0) > self.scenario.duration:
            end = when(self.scenario.start_clock, self.scenario.duration)
            self.problems.append(((*loc, "at"), f"晚于推演结束时间{end}，不会被受理 (after the end of the drill)"))
        for name in DEPARTMENT_FIELDS:
            value = getattr(decision, name, None)
            if (name == "by" and value == CONTROL) or _closed(decision, name):
                continue
            for sub, ident in _each(value):
                self.known(self.depts, ident, (*loc, name, *sub), "部门", "department")
        for g, group in enumerate(getattr(decision, "groups", None) or []):
            self.known(self.depts, getattr(group, "lead", None), (*loc, "groups", g, "lead"), "部门", "department")
        inject = getattr(decision, "inject", None)
        if inject is not None:
            self.known(self.injects, inject, (*loc, "inject"), "情景注入", "inject")
        measure = getattr(decision, "measure", None)
        if measure is not None and self.known(self.measures, measure, (*loc, "measure"), "措施", "measure"):
            self.params(loc, measure, getattr(decision, "params", None))

    def known(self, table: dict[str, str], ident: Any, loc: Loc, what: str, what_en: str) -> bool:
        """Whether ``ident`` is in ``table``; if not, the problem names the likely one and the choices."""
        if ident is None or ident in table:
            return True
        self.problems.append((loc, f"未知的{what} {ident!r}{_choices(table, str(ident))} (unknown {what_en})"))
        return False

    def params(self, loc: Loc, measure: str, params: dict[str, Any] | None) -> None:
        """A measure's parameters as its hazard model declares them: names, values, and the places they name."""
        if params is None:
            return
        model = REGISTRY[self.scenario.hazard.model].measures.get(measure)
        if model is None:
            return  # a measure the hazard model does not act on takes no parameters of its own
        try:
            parsed = model.model_validate(params)
        except ValidationError as exc:
            names = {spec.key: spec for spec in measure_fields(self.scenario.hazard, measure)}
            for err in exc.errors():
                where = (*loc, "params", *err["loc"])
                key = str(err["loc"][0]) if err["loc"] else ""
                if err["type"] == "extra_forbidden":
                    choices = "、".join(f"{k}（{_title(s)}）" for k, s in names.items())
                    message = f"措施“{self.measures[measure]}”没有参数 {key!r}（可选：{choices}） (unknown parameter)"
                elif err["type"] == "missing":
                    message = f"缺少措施参数 {key!r} (parameter required)"
                else:
                    message = f"措施参数不正确：{_value_problem(err)} (bad parameter)"
                self.problems.append((where, message))
            return
        if not unknown_places(self.scenario.hazard.params, parsed):
            return
        known = "、".join(f"{k}（{v}）" for k, v in self.places.items())
        for field in PLACE_FIELDS:  # each place named, on its own field
            for sub, place in _each(getattr(parsed, field, None) or None):
                if place not in self.places:
                    message = f"措施参数中的地点 {place!r} 不存在（可选：{known}） (unknown place)"
                    self.problems.append(((*loc, "params", field, *sub), message))


def _closed(decision: BaseModel, name: str) -> bool:
    """Whether the decision's field ``name`` takes one of a closed set of words rather than a department (an
    advice's ``to``: 社会公众, 各部门, 指挥部), which the plan model has already checked."""
    field = type(decision).model_fields.get(name)
    return field is not None and get_origin(field.annotation) is Literal


def _each(value: Any) -> Iterable[tuple[tuple[int, ...], Any]]:
    """One id, or each of a list of them, with its index for the location."""
    if isinstance(value, list):
        yield from (((j,), item) for j, item in enumerate(value))
    elif value is not None:
        yield (), value


def _choices(table: dict[str, str], ident: str) -> str:
    """``（是否为 fire 消防救援站？可选：…）``: the close match first, then what the scenario has."""
    close = difflib.get_close_matches(ident, list(table), n=1, cutoff=0.6)
    guess = f"是否为 {close[0]} {table[close[0]]}？" if close else ""
    items = [f"{k} {v}" if v and v != k else k for k, v in table.items()]
    listed = "、".join(items[:SHOWN]) + ("等" if len(items) > SHOWN else "")
    return f"（{guess}可选：{listed}）" if items else "（本场景没有可选项）"


def _title(spec: Any) -> str:
    title = getattr(spec, "title", None)
    return getattr(title, "zh", None) or str(title or spec.key)


#: pydantic's common value errors in the words of the rest of the file's messages
_BOUNDS = {
    "greater_than_equal": ("ge", "应不小于"),
    "greater_than": ("gt", "应大于"),
    "less_than_equal": ("le", "应不大于"),
    "less_than": ("lt", "应小于"),
}


def _value_problem(err: dict[str, Any]) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"{value!r} {words} {ctx.get(key)}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return f"{value!r} 应为数字"
    if kind == "literal_error":
        return f"{value!r} 应为 {ctx.get('expected', '')} 之一"
    if kind in ("list_type", "string_type", "bool_type", "bool_parsing"):
        return f"{value!r} 类型不对"
    return str(err["msg"]).removeprefix("Value error, ")
