"""精准 — 解除警戒与终止响应时机: a stand-down, an all-clear, "people may return" or the end of the response given
while the hazard was not under control, and the harm that followed it.

Why an indicator of its own (issue 16, finding 4): official investigations fault exactly this — a utility crew's
word that the danger was over minutes before the explosion, people sent back into the cordon, a response ended
while the leak went on — and they lay the deaths that followed at its door. Before this, such advice could only be
written as a notice, and removing it raised the score; ending the response early cost nothing.

"Under control" is read from the log: the hazard model's ``hazard_contained`` event. A stand-down before it (by any
department, to anyone) and a ``response_closed`` before it are each a fault; the casualties logged after the first
such fault, until control, are cited with their figures as its consequence and cost up to ``harm_share`` more.
A drill with no stand-down before control, ended (or not) after control, scores full.
"""

from __future__ import annotations

from simulator.engine.events import Event
from simulator.scoring.context import Context, DrillView
from simulator.scoring.evidence import Evidence, Result, cite, note
from simulator.scoring.indicators import indicator
from simulator.scoring.rubric import Thresholds
from simulator.vocabulary import ADVICE_AUDIENCES, ADVICE_KINDS, STAND_DOWN_ADVICE, name_of

PRECISION = "精准"


@indicator("stand_down", keyword=PRECISION, thresholds=("per_fault", "harm_share", "casualty_zero", "dead_weight"))
def stand_down(ctx: Context, th: Thresholds) -> Result:
    """解除警戒与终止响应时机: no all-clear and no end of the response before the hazard is under control."""
    view = ctx.view
    contained = view.first("hazard_contained")
    control_t = contained.t if contained is not None else None
    evidence: list[Evidence] = []
    faults: list[Event] = []
    for e in view.of("advice_given", "response_closed"):
        if e.kind == "advice_given" and e["advice"] not in STAND_DOWN_ADVICE:
            continue
        early = control_t is None or e.t < control_t
        if early:
            faults.append(e)
        evidence.append(_judged(view, e, early, contained))
    harm_items, harm = _harm_after(view, faults[0], control_t, th) if faults else ([], 0.0)
    evidence.extend(harm_items)
    if not evidence:
        evidence.append(
            note(
                view,
                "未发布解除警戒或群众返回的建议，也未在险情控制前终止应急响应",
                "no stand-down or return advice was given, and the response was not ended before control",
                kind="no_events",
            )
        )
    harm_cost = th["harm_share"] * min(1.0, harm / th["casualty_zero"]) if th["casualty_zero"] > 0 else 0.0
    fraction = max(0.0, 1.0 - th["per_fault"] * len(faults) - harm_cost)
    if not faults:
        return Result(fraction, evidence, "解除警戒和终止响应均在险情得到控制之后", "No stand-down before control")
    finding = f"险情得到控制前{len(faults)}次解除警戒或终止响应"
    finding_en = f"{len(faults)} stand-down(s) or end(s) of the response before control"
    if harm_items:
        finding += "，其后发生人员伤亡"
        finding_en += ", casualties followed"
    return Result(fraction, evidence, finding, finding_en, value=len(faults))


def _judged(view: DrillView, e: Event, early: bool, contained: Event | None) -> Evidence:
    """One stand-down or end of the response, against the moment the hazard came under control."""
    if contained is None:
        state, state_en = "此时险情尚未得到控制，推演结束时仍未控制", "the hazard was not under control, nor ever was"
    elif early:
        state = f"此时险情尚未得到控制（{view.when(contained.t)}才得到控制）"
        state_en = f"the hazard was not under control until {view.when(contained.t, 'en')}"
    else:
        state, state_en = "险情已于此前得到控制", "the hazard was under control by then"
    if e.kind == "response_closed":
        by = view.accepted.get(e["decision"])
        who = view.dept_name(by["by"]) if by is not None else ""
        who_en = view.dept_name(by["by"], "en") if by is not None else ""
        kind = "closed_premature" if early else "closed_after_control"
        return cite(
            e,
            kind,
            f"{who}宣布终止应急响应，{state}",
            f"{who_en} ended the response; {state_en}",
            decision=e["decision"],
        )
    who, who_en = view.dept_name(e["by"]), view.dept_name(e["by"], "en")
    what, what_en = name_of(ADVICE_KINDS, e["advice"]), name_of(ADVICE_KINDS, e["advice"], "en")
    to, to_en = name_of(ADVICE_AUDIENCES, e["to"]), name_of(ADVICE_AUDIENCES, e["to"], "en")
    said = f"（{e['text']}）" if e.get("text") else ""
    kind = "stand_down_premature" if early else "stand_down_timely"
    return cite(
        e,
        kind,
        f"{who}向{to}发布“{what}”{said}，{state}",
        f"{who_en} told {to_en}: {what_en}; {state_en}",
        decision=e["decision"],
        advice=e["advice"],
        depts=[e["by"]],
    )


def _harm_after(view: DrillView, fault: Event, control_t: float | None, th: Thresholds) -> tuple[list[Evidence], float]:
    """The casualties logged after the first premature stand-down, until control: each cited as its consequence,
    with the figures, and their weight (a death counts ``dead_weight``)."""
    items: list[Evidence] = []
    weight = 0.0
    what = "终止应急响应" if fault.kind == "response_closed" else f"“{name_of(ADVICE_KINDS, fault['advice'])}”"
    what_en = (
        "the end of the response" if fault.kind == "response_closed" else name_of(ADVICE_KINDS, fault["advice"], "en")
    )
    for e in view.of("casualties"):
        if e.id <= fault.id or (control_t is not None and e.t > control_t):
            continue
        injured, dead = int(e["injured"] or 0), int(e["dead"] or 0)
        if not injured and not dead:
            continue
        weight += injured + th["dead_weight"] * dead
        harm = "、".join(x for x in (f"{injured}人受伤" if injured else "", f"{dead}人死亡" if dead else "") if x)
        harm_en = ", ".join(x for x in (f"{injured} injured" if injured else "", f"{dead} dead" if dead else "") if x)
        since = view.when(fault.t)
        items.append(
            cite(
                e,
                "harm_after_stand_down",
                f"{harm}，发生在{since}{what}之后",
                f"{harm_en}, after {what_en} at {view.when(fault.t, 'en')}",
                decision=fault["decision"],
                actual={"injured": injured, "dead": dead},
            )
        )
    return items, weight
