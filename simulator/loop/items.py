"""整改 items: each ranked problem of a drill becomes an item of the team, checked again in the team's next drill.

Why a check per problem kind and not a rescore: an office asks of its 整改台账 "was *this* fixed?", so an item keeps
what its problem was about (its ``subject``: the departments, measures, warnings, indicators of the evidence against
the team) and a later drill's score evidence is read for that subject only. The same department never reached
again (its notice late again, for a 用时偏长 item), the same measure's parameter off again: 复发. The subject in
order this time: fixed, citing the evidence that shows it (销号 proposed with that drill as proof). The later
scenario lacks the subject (another hazard, no such department or measure): not applicable, the item stays open.

    items = items_from(experiment, team="一队", drill_id=7, today=date(2026, 11, 28))
    for item, check in check_open(items, scenario, later.score, drill_id=8, today=date(2026, 12, 5)): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field

from simulator.formats.common import Strict
from simulator.formats.scenario import Scenario
from simulator.report.problems import GROUPS
from simulator.vocabulary import ITEM_STATUSES, ITEM_VERDICTS

#: an item's statuses, in the order an item moves through them (vocabulary.ITEM_STATUSES has their labels)
STATUSES: tuple[str, ...] = tuple(ITEM_STATUSES)
#: a status whose item is no longer checked
CLOSED: tuple[str, ...] = ("已销号",)
VERDICTS: dict[str, str] = {k: label.zh for k, label in ITEM_VERDICTS.items()}
#: days after the drill an item falls due when the caller names no deadline
DUE_DAYS = 30

Verdict = Literal["fixed", "recurred", "not_applicable"]

#: a delivery, if late: for an item about units never reached it proves the unit is reached now (the lateness is a
#: ``slow`` problem of the new drill, and a new item); for a ``slow`` item it is the problem again
_DELIVERED_LATE = ("notified_late", "commander_late")
#: problem kinds checked per department / per measure of their subject
_BY_DEPT = ("unreached", "slow")
_BY_MEASURE = ("measures", "warnings")
#: evidence kinds for the team that say nothing about a problem being fixed (context, absences)
_CONTEXT_KINDS = (
    "not_applicable",
    "no_events",
    "no_conflict",
    "no_rejections",
    "first_report",
    "toll",
    "situation_changed",
    "trigger_released",
    "trigger_not_released",
)
#: the problems the report finds in the log itself (not in the evidence): how a later drill shows them
_LOG_KINDS = ("closed_early", "uncontrolled", "casualties")


class Check(Strict):
    """One re-run of an item's check on a later drill."""

    drill_id: int | None = None
    scenario: str
    verdict: Verdict
    evidence: list[dict[str, Any]] = Field(default_factory=list)  # [{event_id, t, text}]
    at: str  # ISO date the check ran
    note: str = ""  # why, in Chinese (one sentence)


class Item(Strict):
    """One 整改 item of a team."""

    id: str
    team: str
    drill_id: int | None = None
    scenario: str
    seed: int | None = None
    kind: str  # the problem's kind (report/problems.py)
    keyword: str
    problem: str
    basis: str = ""
    event_ids: list[int] = Field(default_factory=list)
    subject: dict[str, Any] = Field(default_factory=dict)
    owner: str = ""
    measure: str = ""
    due: dt.date | None = None
    acceptance: str = ""
    status: str = "待整改"
    notes: str = ""
    checks: list[Check] = Field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.status not in CLOSED

    @property
    def last(self) -> Check | None:
        return self.checks[-1] if self.checks else None


# -- items from a drill -----------------------------------------------------------------------------------------
def _evidence(score: dict[str, Any]) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """(keyword, indicator id, evidence item) of every indicator of a score."""
    for name, kw in (score.get("keywords") or {}).items():
        for ind in kw.get("indicators") or []:
            for ev in ind.get("evidence") or []:
                yield name, ind["id"], ev


def _facts(ev: dict[str, Any]) -> dict[str, Any]:
    return ev.get("facts") or {}


def subject_of(kind: str, score: dict[str, Any], depts: Iterable[str] = ()) -> dict[str, Any]:
    """What a problem of ``kind`` is about, from the evidence against the team of its group in ``score``."""
    against = [
        (ind, ev)
        for _, ind, ev in _evidence(score)
        if ev.get("against") and GROUPS.get(_facts(ev).get("kind"), ("",))[0] == kind
    ]
    out: dict[str, Any] = {
        "depts": list(dict.fromkeys([*depts, *(d for _, ev in against for d in _facts(ev).get("depts") or [])])),
        "measures": list(dict.fromkeys(m for _, ev in against if (m := _facts(ev).get("measure")))),
        "injects": list(dict.fromkeys(i for _, ev in against if (i := _facts(ev).get("inject")))),
        "indicators": list(dict.fromkeys(ind for ind, _ in against)),
        "evidence_kinds": list(dict.fromkeys(_facts(ev).get("kind") for _, ev in against)),
    }
    return {k: v for k, v in out.items() if v}


def items_from(
    experiment, *, team: str, drill_id: int | None, today: dt.date, due: dt.date | None = None
) -> list[Item]:
    """Each ranked problem of the drill's report becomes an item, with its 整改 measure, owner and acceptance."""
    from simulator.report.model import build_report_of  # the report imports scoring; keep this module light

    report = build_report_of(experiment)
    rects = {r.seq: r for r in report.rectifications}
    deadline = due or today + dt.timedelta(days=DUE_DAYS)
    stem = f"D{drill_id}" if drill_id is not None else f"{experiment.scenario.id}-s{experiment.seed}"
    out = []
    for p in report.problems:
        r = rects.get(p.rank)
        out.append(
            Item(
                id=f"{stem}-{p.rank}",
                team=team,
                drill_id=drill_id,
                scenario=experiment.scenario.id,
                seed=experiment.seed,
                kind=p.kind,
                keyword=p.keyword,
                problem=p.title,
                basis=r.basis if r is not None else "",
                event_ids=list(p.event_ids),
                subject=subject_of(p.kind, experiment.score, p.depts),
                owner=r.owner if r is not None else "",
                measure=r.measure if r is not None else "",
                due=deadline,
                acceptance=r.acceptance if r is not None else "",
            )
        )
    return out


# -- checks -----------------------------------------------------------------------------------------------------
def _cited(ev: dict[str, Any]) -> dict[str, Any]:
    return {"event_id": ev.get("event_id"), "t": ev.get("t"), "text": ev.get("text", "")}


def _missing(item: Item, scenario: Scenario) -> str:
    """Why the later scenario cannot show the item's subject ('' when it can)."""
    s = item.subject
    key = scenario.answer_key
    if item.kind in _BY_DEPT and s.get("depts"):
        required = set(key.required_departments) | ({key.commander_department} if key.commander_department else set())
        if not set(s["depts"]) & required:
            return "本次推演场景不涉及该问题所涉单位"
    if item.kind in _BY_MEASURE and s.get("measures"):
        keyed = {m.measure for m in key.measures} | {m for t in key.triggers for m in t.measures}
        if not set(s["measures"]) & keyed:
            return "本次推演场景不涉及该问题所涉措施"
    if item.kind == "warnings" and not key.triggers:
        return "本次推演场景没有预警触发要求"
    return ""


def _about(item: Item, ev: dict[str, Any]) -> bool:
    """Does this evidence item concern the item's subject (its departments, its measures)?"""
    f, s = _facts(ev), item.subject
    if item.kind in _BY_DEPT and s.get("depts") and f.get("depts"):
        return bool(set(f["depts"]) & set(s["depts"]))
    if item.kind in _BY_MEASURE and s.get("measures") and f.get("measure"):
        return f["measure"] in s["measures"]
    return True


def _counts(ev: dict[str, Any]) -> bool:
    """A notice late by less than a whole minute (as people read the time: 不足1分钟) does not make an item recur."""
    f = _facts(ev)
    return not (f.get("kind") in _DELIVERED_LATE and (f.get("minutes_late") or 0) < 1)


def check_item(
    item: Item, scenario: Scenario, score: dict[str, Any], *, drill_id: int | None = None, today: dt.date | None = None
) -> Check:
    """Re-run the item's check on another drill's score: fixed, recurred, or not applicable to that scenario."""
    at = (today or dt.date.today()).isoformat()

    def verdict(v: Verdict, evidence: list[dict[str, Any]], note: str) -> Check:
        return Check(drill_id=drill_id, scenario=scenario.id, verdict=v, evidence=evidence[:6], at=at, note=note)

    why = _missing(item, scenario)
    if why:
        return verdict("not_applicable", [], why)
    if item.kind in _LOG_KINDS:
        return _log_check(item, score, verdict)
    recur_kinds = {k for k, (g, _) in GROUPS.items() if g == item.kind}
    items = list(_evidence(score))
    again = [
        ev
        for _, _, ev in items
        if ev.get("against") and _facts(ev).get("kind") in recur_kinds and _about(item, ev) and _counts(ev)
    ]
    if again:
        return verdict("recurred", [_cited(ev) for ev in again], "本次推演中同类问题再次出现")
    watched = set(item.subject.get("indicators") or ())
    good = [
        ev
        for _, ind, ev in items
        if ind in watched
        and (not ev.get("against") or (item.kind == "unreached" and _facts(ev).get("kind") in _DELIVERED_LATE))
        and ev.get("event_id") is not None
        and _about(item, ev)
        and _facts(ev).get("kind") not in _CONTEXT_KINDS
    ]
    skipped = watched and all(
        i.get("skipped") for kw in score["keywords"].values() for i in kw["indicators"] if i["id"] in watched
    )
    if skipped:
        return verdict("not_applicable", [], "本次推演不具备检验该问题的条件")
    return verdict("fixed", [_cited(ev) for ev in good], "本次推演中未再出现该问题")


def _log_check(item: Item, score: dict[str, Any], verdict) -> Check:
    team = (score.get("outcome") or {}).get("team") or {}
    ref = (score.get("outcome") or {}).get("reference") or {}
    contained = team.get("contained_at")
    if item.kind == "casualties":  # the scorer's own comparison with the reference run, where there is one
        compared = next((ev for _, _, ev in _evidence(score) if _facts(ev).get("figure") == "casualties"), None)
        dead, injured = int(team.get("dead") or 0), int(team.get("injured") or 0)
        if compared is not None:
            worse = bool(compared.get("against"))
            cited = [_cited(compared)]
        else:
            worse = dead > int(ref.get("dead") or 0) if ref else bool(dead)
            cited = [{"event_id": None, "t": None, "text": f"推演情景中{injured}人受伤、{dead}人死亡"}]
        note = "推演情景中伤亡仍多于参考方案" if worse else "推演情景中伤亡不多于参考方案"
        return verdict("recurred" if worse else "fixed", cited, note)
    if item.kind == "closed_early":
        kinds = {_facts(ev).get("kind"): ev for _, _, ev in _evidence(score)}
        again = [ev for k, ev in kinds.items() if k in ("closed_premature", "stand_down_premature")]
        if again:
            return verdict("recurred", [_cited(ev) for ev in again], "险情未得到控制即宣布终止应急响应")
        good = [ev for k, ev in kinds.items() if k == "closed_after_control"]
        return verdict("fixed", [_cited(ev) for ev in good], "险情得到控制后方终止应急响应")
    if contained is None:
        return verdict("recurred", [], "推演结束时险情仍未得到控制")
    return verdict("fixed", [], "险情在推演中得到控制")


def apply_check(item: Item, check: Check) -> Item:
    """The item after a check: fixed → 已整改待检验 (销号 proposed, this drill as proof), recurred → 复发,
    not applicable → unchanged; the check is kept in the item's history either way."""
    status = {"fixed": "已整改待检验", "recurred": "复发"}.get(check.verdict, item.status)
    if item.status in CLOSED:
        status = item.status
    return item.model_copy(update={"status": status, "checks": [*item.checks, check]})


def check_open(
    items: list[Item], scenario: Scenario, score: dict[str, Any], *, drill_id: int | None, today: dt.date
) -> list[tuple[Item, Check]]:
    """Check every open item (not 销号, not from this very drill) on a drill: (the item updated, its check)."""
    out = []
    for item in items:
        if not item.open or (drill_id is not None and item.drill_id == drill_id):
            continue
        check = check_item(item, scenario, score, drill_id=drill_id, today=today)
        out.append((apply_check(item, check), check))
    return out


__all__ = [
    "CLOSED",
    "STATUSES",
    "VERDICTS",
    "Check",
    "Item",
    "apply_check",
    "check_item",
    "check_open",
    "items_from",
    "subject_of",
]
