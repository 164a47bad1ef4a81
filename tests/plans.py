"""Small builders of plan decisions shared by the engine tests."""

from __future__ import annotations

from simulator.formats import plan as p
from simulator.formats.plan import Plan


def with_decisions(plan: Plan, *decisions) -> Plan:
    return plan.model_copy(update={"decisions": list(decisions)})


def notify(at, *to):
    return p.Notify(action="notify", at=at, by="duty_office", to=list(to))


def order(at, measure, dept, **params):
    return p.Order(action="order", at=at, by="duty_office", measure=measure, department=dept, params=params)
