"""信息报送 — reports up: on time (迅速: 初报, 书面报告, 续报) and true (精准: no 漏报, no 瞒报).

The national rules (《突发事件应对法》第六十一条: 及时、客观、真实，不得迟报、谎报、瞒报、漏报; the local rules for
突发事件信息报告: 初报、续报、终报, a phone 初报 when time is short and the written report after it, 续报 of the
situation's development while the response lasts) judge a report by two things, and so do the two indicators here:

- ``report_up`` (迅速): the first report, by whatever medium, against the deadline of the event's *true* level; the
  first written report against its own; and, where the answer key sets ``report_deadlines.follow_up``, a 续报 every
  so many minutes after the written report's deadline until the response is closed.
- ``report_accuracy`` (精准): each report's stated figures (``dead``, ``injured``, ``missing``, ``trapped``) against
  the toll when the report was *made*, read from the log (the hazard's ``casualties`` events and the latest
  ``hazard_sample`` figures at or before that minute), so the trainees never see it and scoring reads it back.

Why every due time is fixed in advance (the level's deadlines, then every ``follow_up`` minutes after the written
deadline) and filled by the n-th report received, never counted from the previous report: then a report made
earlier can only meet more of them. And the toll only grows, so the same figures stated earlier are only truer.
Reporting earlier never scores lower.
"""

from __future__ import annotations

from simulator.engine.events import Event
from simulator.engine.state import SAMPLED_TOLL, toll_at
from simulator.scoring.context import Context, DrillView
from simulator.scoring.evidence import Evidence, Result, absent, cite, late_by, nothing, ramp
from simulator.scoring.indicators import indicator
from simulator.scoring.levels import warranted_at, warranted_levels
from simulator.scoring.precision import PRECISION
from simulator.scoring.rubric import Thresholds
from simulator.scoring.speed import SPEED
from simulator.vocabulary import LEVELS, REPORT_FIGURES, REPORT_MODES, name_of, overdue, span, toll_text

#: the figures a hazard model may keep in its samples besides the casualty totals (fire: trapped)


def _received(view: DrillView) -> list[Event]:
    return sorted(view.of("report_received"), key=lambda e: (e.t, e.id))


def _first_label(e: Event, lang: str = "zh") -> str:
    """首次报告（电话）/ 首次报告（书面）: the first report is named by the medium it went by."""
    mode = REPORT_MODES.get(e.get("mode") or "")
    if lang == "en":
        return f"the first ({mode.en}) report" if mode else "the first report"
    return f"首次报告（{mode.zh}）" if mode else "首次报告"


@indicator("report_up", keyword=SPEED, thresholds=("phone_share", "late_zero", "follow_up_share"))
def report_up(ctx: Context, th: Thresholds) -> Result:
    """按时限上报: the first report (any medium) against the first deadline, the first written one against its
    own, and each 续报 the answer key asks for against its due time.

    The deadlines are those of the event's *true* level from the answer key: judging the level too low does
    not buy more time.
    """
    view = ctx.view
    key = ctx.scenario.answer_key
    level = key.level
    received = _received(view)
    written = [e for e in received if e.get("mode") == "written"]
    evidence: list[Evidence] = []

    def part(first: Event | None, deadline: float, mode: str, modes: tuple[str, ...]) -> float:
        if first is None:
            what = "首次报告" if mode == "phone" else "书面报告"
            what_en = "the first report" if mode == "phone" else "the written report"
        elif mode == "phone":
            what, what_en = _first_label(first), _first_label(first, "en")
        else:
            what, what_en = "书面报告", "the written report"
        if first is None:
            for d in view.decisions("report_up"):
                said = (d.get("detail") or {}).get("mode")
                if said in modes and not any(r.get("decision") == d["decision"] for r in received):
                    evidence.append(
                        cite(
                            d,
                            "report_undelivered",
                            f"作出上报决定，但{what}未送达上级",
                            f"a report was decided on, but {what_en} never reached the higher level",
                            decision=d["decision"],
                            action=mode,
                        )
                    )
            evidence.append(
                absent(
                    view,
                    "not_reported",
                    f"上级未收到{what}（{LEVELS[level].zh}时限为{span(deadline)}）",
                    f"the higher level had not received {what_en} (due within {span(deadline, 'en')} "
                    f"for {LEVELS[level].en})",
                    action=mode,
                    deadline=deadline,
                )
            )
            return 0.0
        target = view.dept_name(first.get("to"))
        late = first.t - deadline
        if late <= 0:
            zh, en = f"在{span(deadline)}时限内", f"within the {span(deadline, 'en')} deadline"
        else:
            zh = f"超过{span(deadline)}时限{overdue(late)}"
            en = f"{overdue(late, 'en')} after the {span(deadline, 'en')} deadline"
        evidence.append(
            cite(
                first,
                "reported" if late <= 0 else "report_late",
                f"{target}收到{what}，{zh}",
                f"{target} received {what_en} {en}",
                depts=[first.get("to")],
                action=first.get("mode") or mode,
                deadline=deadline,
                minutes_late=late_by(first.t, deadline) or None,
            )
        )
        return 1.0 if late <= 0 else ramp(late, 0.0, th["late_zero"])

    deadlines = key.report_deadlines
    phone = part(received[0] if received else None, deadlines.phone[level], "phone", ("phone", "written"))
    paper = part(written[0] if written else None, deadlines.written[level], "written", ("written",))
    follow = _follow_ups(ctx, received, th, evidence)
    higher = {view.dept_name(d) for d in ctx.scenario.higher_level}
    for inj in view.of("inject_released"):
        if inj.get("source") in higher:
            evidence.append(
                cite(
                    inj,
                    "report_chased",
                    f"上级来电催报：{inj['title']}",
                    f"the higher level called for the report: {inj['title']}",
                    inject=inj.get("inject"),
                )
            )
    changes = warranted_levels(ctx)
    for e in received:
        reported = e.get("level")
        if reported is None:
            continue
        warranted = warranted_at(changes, e.t)
        if reported != warranted.level and not (warranted.at_most and reported > warranted.level):
            want = warranted.level
            evidence.append(
                cite(
                    e,
                    "report_level_wrong",
                    f"报告的响应级别为{name_of(LEVELS, reported)}，当时应为{LEVELS[want].zh}",
                    f"the report gave {name_of(LEVELS, reported, 'en')}; {LEVELS[want].en} was warranted then",
                    expected=want,
                    actual=reported,
                )
            )
    fraction = th["phone_share"] * phone + (1 - th["phone_share"]) * paper
    finding = (
        "首报" + ("按时" if phone >= 1 else "超时或缺失") + "，书面报告" + ("按时" if paper >= 1 else "超时或缺失")
    )
    finding_en = (
        f"First report {'on time' if phone >= 1 else 'late or missing'}, "
        f"written report {'on time' if paper >= 1 else 'late or missing'}"
    )
    if follow is not None:
        shares, on_time = follow
        fraction = (1 - th["follow_up_share"]) * fraction + th["follow_up_share"] * sum(shares) / len(shares)
        finding += f"，应续报{len(shares)}次、按时{on_time}次"
        finding_en += f", {on_time} of {len(shares)} follow-up reports on time"
    return Result(fraction, evidence, finding, finding_en, value=received[0].t if received else None)


def follow_up_due(ctx: Context) -> list[float]:
    """The minutes by which each 续报 is due: every ``follow_up`` minutes after the written report's deadline,
    as long as the response lasts (until it is closed, or the end of the record)."""
    view = ctx.view
    deadlines = ctx.scenario.answer_key.report_deadlines
    every = deadlines.follow_up
    if not every:
        return []
    closed = view.first("response_closed")
    until = closed.t if closed is not None else view.end.t
    start = deadlines.written[ctx.scenario.answer_key.level]
    due, k = [], 1
    while start + k * every < until:
        due.append(start + k * every)
        k += 1
    return due


def _follow_ups(
    ctx: Context, received: list[Event], th: Thresholds, evidence: list[Evidence]
) -> tuple[list[float], int] | None:
    """Each 续报 due is met by the report received after the 初报, the written report and the 续报 before it:
    the k-th 续报 by the (k+2)-th report received. None where no 续报 is due."""
    view = ctx.view
    due = follow_up_due(ctx)
    if not due:
        return None
    shares: list[float] = []
    for k, deadline in enumerate(due, start=1):
        index = k + 1
        if index >= len(received):
            shares.append(0.0)
            evidence.append(
                absent(
                    view,
                    "follow_up_missing",
                    f"上级未收到第{k}次续报（应于{view.when(deadline)}前报送）",
                    f"the higher level had not received follow-up report {k} (due by {view.when(deadline, 'en')})",
                    deadline=deadline,
                )
            )
            continue
        e = received[index]
        late = e.t - deadline
        target = view.dept_name(e.get("to"))
        if late <= 0:
            shares.append(1.0)
            evidence.append(
                cite(
                    e,
                    "follow_up",
                    f"{target}收到第{k}次续报，在{view.when(deadline)}前",
                    f"{target} received follow-up report {k} by {view.when(deadline, 'en')}",
                    depts=[e.get("to")],
                    deadline=deadline,
                )
            )
            continue
        shares.append(ramp(late, 0.0, th["late_zero"]))
        evidence.append(
            cite(
                e,
                "follow_up_late",
                f"{target}收到第{k}次续报，晚于应报时间{overdue(late)}",
                f"{target} received follow-up report {k} {overdue(late, 'en')} after it was due",
                depts=[e.get("to")],
                deadline=deadline,
                minutes_late=late_by(e.t, deadline),
            )
        )
    return shares, sum(1 for s in shares if s >= 1)


# -- 精准: the figures ---------------------------------------------------------------------------------------
def _shown_by(event: Event, toll: dict[str, int]) -> dict[str, int]:
    """The part of the toll an event behind it shows: the totals of a casualties event, the peak of a sample."""
    if event.kind == "casualties":
        return {k: toll[k] for k in ("dead", "injured") if toll.get(k)}
    figures = event.get("figures") or {}
    return {k: toll[k] for k in SAMPLED_TOLL if toll.get(k) and figures.get(k) == toll[k]}


def _made_at(view: DrillView, e: Event) -> Event:
    """The decision that made a received report (the minute its figures are judged at)."""
    for d in view.decisions("report_up"):
        if d.get("decision") == e.get("decision"):
            return d
    return e


def _stated(e: Event, made: Event) -> dict[str, int]:
    figures = e.get("figures")
    if figures is None:  # a log written before reports carried figures: the decision's own detail has them
        detail = made.get("detail") or {}
        figures = {k: detail[k] for k in REPORT_FIGURES if detail.get(k) is not None}
    return dict(figures)


@indicator(
    "report_accuracy",
    keyword=PRECISION,
    thresholds=("abs_tolerance", "rel_tolerance", "understated_share"),
)
def report_accuracy(ctx: Context, th: Thresholds) -> Result:
    """信息报送准确: each report's casualty figures against the toll when it was made.

    A figure below the toll by more than the tolerance (max(abs_tolerance people, rel_tolerance of the toll)) is
    漏报, and so is a figure left out while people are hurt — except by a 初报, a report made within the first
    report's deadline, which may give only what is known; no deaths stated (0, or left out after that deadline)
    while people have died is 瞒报. A report with a 瞒报 earns nothing, one with a 漏报 ``understated_share``, a true
    one all its share. The 初报's leeway goes by the minute a report is made, not by its place in the order, so a
    report made earlier never loses it.
    """
    view = ctx.view
    received = _received(view)
    if not received:
        return nothing(
            view,
            "toll_unreported",
            "上级未收到任何报告，伤亡和险情无从掌握",
            "the higher level had received no report: it knew nothing of the casualties",
            "未向上级报告",
            "No report up",
        )
    key = ctx.scenario.answer_key
    first_deadline = key.report_deadlines.phone[key.level]
    evidence: list[Evidence] = []
    shares: list[float] = []
    faults = 0
    for i, e in enumerate(received):
        made = _made_at(view, e)
        stated = _stated(e, made)
        toll, behind = toll_at(view.events, made.t)  # the truth the drill also fills a plan's known figures with
        what = _first_label(e) if i == 0 else ("书面报告" if e.get("mode") == "written" else "续报")
        what_en = (
            _first_label(e, "en")
            if i == 0
            else ("the written report" if e.get("mode") == "written" else "a follow-up report")
        )
        early = made.t <= first_deadline
        items = _check(view, e, made, stated, toll, first=early, th=th, what=what, what_en=what_en)
        kinds = {item["facts"]["kind"] for item in items}
        if "report_concealed" in kinds:
            shares.append(0.0)
        elif "report_understated" in kinds:
            shares.append(th["understated_share"])
        else:
            shares.append(1.0)
        if items:
            faults += 1
            for event in behind:
                shows = _shown_by(event, toll)
                evidence.append(
                    cite(
                        event,
                        "toll",
                        f"至{view.when(made.t)}实际{toll_text(shows)}",
                        f"by {view.when(made.t, 'en')}, in truth: {toll_text(shows, 'en')}",
                        figure="casualties",
                        expected=shows,
                    )
                )
            evidence.extend(items)
        else:
            said = toll_text(stated)
            said_en = toll_text(stated, "en")
            if said:
                zh, en = f"报告{said}，与当时实际相符", f"stated {said_en}, as things stood"
            elif early:
                zh, en = "未报伤亡人数（初报可先报已掌握的情况）", "gave no figures (a first report may)"
            else:
                zh, en = "未报伤亡人数，作出报告时尚无人员伤亡", "gave no figures; nobody had been hurt by then"
            evidence.append(
                cite(
                    e,
                    "report_accurate",
                    what + zh,
                    f"{what_en} {en}",
                    figure="casualties",
                    actual=stated or None,
                    decision=e.get("decision"),
                )
            )
    fraction = sum(shares) / len(shares)
    finding = f"{len(received)}次报告中{len(received) - faults}次伤亡数字准确"
    finding_en = f"{len(received) - faults} of {len(received)} reports gave true figures"
    return Result(fraction, evidence, finding, finding_en, value=len(received) - faults)


def _check(
    view: DrillView,
    e: Event,
    made: Event,
    stated: dict[str, int],
    toll: dict[str, int],
    *,
    first: bool,
    th: Thresholds,
    what: str,
    what_en: str,
) -> list[Evidence]:
    """The 漏报 and 瞒报 of one report, one item per figure."""
    items: list[Evidence] = []
    for figure, label in REPORT_FIGURES.items():
        true = toll.get(figure)
        if not true:
            continue  # nobody in that state, or a figure this hazard does not keep: nothing to hide
        said = stated.get(figure)
        if said is None and first:
            continue  # 初报: what is known so far
        tolerance = max(th["abs_tolerance"], th["rel_tolerance"] * true)
        gap = true - (said or 0)
        if figure == "injured":  # an injured person who dies moves from 受伤 to 死亡: judge the two together
            gap += toll.get("dead", 0) - (stated.get("dead") or 0)
        if figure == "dead" and not said:
            kind = "report_concealed"
        elif said is None or gap > tolerance:
            kind = "report_understated"
        else:
            continue
        name = "瞒报" if kind == "report_concealed" else "漏报"
        said_zh = f"未报{label.zh}人数" if said is None else f"报{label.zh}{said}人"
        said_en = "left out" if said is None else f"stated {said} {label.en}"
        items.append(
            cite(
                e,
                kind,
                f"{name}：{what}{said_zh}，{view.when(made.t)}作出报告时实际{label.zh}{true}人",
                f"{'concealed' if kind == 'report_concealed' else 'understated'}: {what_en} {said_en}; "
                f"{true} {label.en} in truth when it was made at {view.when(made.t, 'en')}",
                figure=figure,
                expected=true,
                actual=said,
                decision=e.get("decision"),
            )
        )
    return items
