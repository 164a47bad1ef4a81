"""提升 — improvement: an after-action review (复盘) that exists, covers the doctrine's five parts with real
content, is grounded in this drill, and a team that does better than its own last drill of the scenario.

"Grounded" is checked on words, not substrings: the review is segmented with jieba after the scenario's
department names, measure names and the people named in the log have been added to the dictionary, so
“区应急管理局王立军” splits into the department and the person, and “生态环境分局” is not mistaken for a
mention of “环境监测”. Each name (or a short form of it, such as 消防救援支队 for 区消防救援支队) is then looked
up in the log: a department that took part, a measure that was ordered, a time at which something happened.
The segmentation lives in lexicon.py; reading what a review says went wrong (problem statements, the drill's
major problems) in review.py.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jieba

from simulator.engine.events import Event
from simulator.formats.plan import REVIEW_SECTIONS
from simulator.scoring import review as review_claims
from simulator.scoring.context import Context, DrillView
from simulator.scoring.evidence import Evidence, Result, absent, cite, not_applicable, nothing, ramp
from simulator.scoring.indicators import indicator
from simulator.scoring.lexicon import _PUNCT, _content_tokens, _lexicon
from simulator.scoring.rubric import Thresholds
from simulator.vocabulary import EVENT_KINDS, KEYWORD_LABELS, KEYWORDS, reason_text

IMPROVEMENT = "提升"

#: sections that say nothing, whatever their length
BOILERPLATE = {"无", "暂无", "略", "同上", "没有", "无。", "暂无。", "待补充", "见上"}
#: events a time named in the review can point at
_TIMED_KINDS = (
    "decision_accepted",
    "assessment",
    "commander_appointed",
    "command_post_established",
    "report_received",
    "task_started",
    "task_finished",
    "department_arrived",
    "inject_released",
    "hazard_contained",
)


# -- indicators -----------------------------------------------------------------------------------------------
def _review(view: DrillView) -> Event | None:
    reviews = view.of("review_submitted")
    return reviews[-1] if reviews else None


def _segmented(ctx: Context, review: Event) -> dict[str, list[str]]:
    """Each section of the review as words, segmented once per score (coverage and grounding both read it)."""
    key = ("segmented", review.id)
    if key not in ctx.cache:
        tokenizer, _ = _lexicon(ctx.view)
        sections = review.get("sections") or {}
        ctx.cache[key] = {part: list(_cut(tokenizer, str(sections.get(part, "")).strip())) for part in REVIEW_SECTIONS}
    return ctx.cache[key]


@lru_cache(maxsize=1024)
def _cut(tokenizer: jieba.Tokenizer, text: str) -> tuple[str, ...]:
    """Segment once per (lexicon, text): a batch rescoring the same review a thousand times cuts it once."""
    return tuple(tokenizer.lcut(text))


@indicator("review_submitted", keyword=IMPROVEMENT)
def review_submitted(ctx: Context, th: Thresholds) -> Result:
    """及时梳理事件情况及处置过程: the review is there at all."""
    view = ctx.view
    review = _review(view)
    if review is None:
        evidence = [
            cite(
                e,
                "review_rejected",
                f"复盘未被受理：{reason_text(e.get('reason', ''))}",
                f"the review was not accepted: {reason_text(e.get('reason', ''), 'en')}",
                decision=e.get("decision"),
            )
            for e in view.rejected
            if e["action"] == "review"
        ]
        evidence.append(absent(view, "review_missing", "未提交复盘总结", "no review had been submitted"))
        return Result(0.0, evidence, "未提交复盘", "No review")
    parts = len(review.get("sections") or {})
    item = cite(review, "review_submitted", f"提交复盘总结（{parts}个部分）", f"review submitted ({parts} sections)")
    return Result(1.0, [item], "已提交复盘", "Review submitted", value=review.t)


@indicator(
    "review_coverage",
    keyword=IMPROVEMENT,
    thresholds=("min_chars", "full_chars", "min_tokens", "problems_share", "major_late"),
)
def review_coverage(ctx: Context, th: Thresholds) -> Result:
    """归纳分析原因和特点、处置成效、存在问题、创新点及改进方向: each of the five, with substance (enough
    characters, enough distinct content words, not boilerplate, not a copy of another part); and, when the
    scoring found major problems (``review.major_problems``), a 存在问题 that names them: a review that leaves
    them out is not complete, however long it is."""
    view = ctx.view
    review = _review(view)
    if review is None:
        return _no_review(
            view,
            "原因和特点、处置成效、存在问题、创新点、改进方向均缺失",
            "causes, results, problems, innovations and improvements all missing",
        )
    segmented = _segmented(ctx, review)
    sections: dict[str, str] = review.get("sections") or {}
    evidence: list[Evidence] = []
    shares = []
    seen: dict[str, str] = {}
    for part in REVIEW_SECTIONS:
        text = str(sections.get(part, "")).strip()
        chars = len(_PUNCT.sub("", text))
        missing = "review_section_missing"
        if not text:
            shares.append(0.0)
            evidence.append(cite(review, missing, f"复盘缺少“{part}”", f"the review has no “{part}”", section=part))
            continue
        if text in BOILERPLATE:
            shares.append(0.0)
            evidence.append(
                cite(
                    review,
                    missing,
                    f"“{part}”仅写“{text}”，没有实际内容",
                    f"“{part}” says only “{text}”: nothing",
                    section=part,
                )
            )
            continue
        if text in seen:
            shares.append(0.0)
            evidence.append(
                cite(
                    review,
                    missing,
                    f"“{part}”与“{seen[text]}”内容相同，属照抄",
                    f"“{part}” is a copy of “{seen[text]}”",
                    section=part,
                )
            )
            continue
        seen[text] = part
        words = set(_content_tokens(segmented[part]))
        share = ramp(chars, th["full_chars"], th["min_chars"]) * min(1.0, len(words) / th["min_tokens"])
        shares.append(share)
        full = share >= 1
        evidence.append(
            cite(
                review,
                "review_section_full" if full else "review_section_thin",
                f"“{part}”{chars}字、{len(words)}个实词，{'内容充实' if full else '内容单薄'}",
                f"“{part}”: {chars} characters, {len(words)} content words, {'substantial' if full else 'thin'}",
                section=part,
            )
        )
    fraction = sum(shares) / len(shares)
    full = sum(1 for s in shares if s >= 1)
    finding, finding_en = f"五个部分中{full}个内容充实", f"{full} of the five sections substantial"
    majors = review_claims.major_problems(ctx, th["major_late"])
    if majors:
        _, lookup = _lexicon(view)
        told = segmented[review_claims.PROBLEMS]
        named = 0
        for major in majors:
            said = review_claims.names(major, lookup, told)
            named += said
            problem, problem_en = review_claims.problem_text(ctx, major), review_claims.problem_text(ctx, major, "en")
            evidence.append(
                cite(
                    view.ids.get(major.item["event_id"], view.end),
                    "review_problem_named" if said else "review_problem_omitted",
                    f"“存在问题”{'提到' if said else '未提及'}主要问题：{problem}",
                    f"“存在问题” {'names' if said else 'leaves out'} a major problem the scoring found: {problem_en}",
                    section=review_claims.PROBLEMS,
                    **major.facts(),
                )
            )
        share = th["problems_share"]
        fraction = (1 - share) * fraction + share * named / len(majors)
        finding += f"，主要问题点到{named}/{len(majors)}项"
        finding_en += f", {named} of {len(majors)} major problems named"
    return Result(fraction, evidence, finding, finding_en, value=round(fraction, 3))


@indicator("review_grounding", keyword=IMPROVEMENT, thresholds=("target", "per_ungrounded", "time_tolerance"))
def review_grounding(ctx: Context, th: Thresholds) -> Result:
    """形成调研报告 that rests on this drill: departments, measures, people and times the log bears out;
    naming a department that never took part or a measure never ordered is a claim the log contradicts."""
    view = ctx.view
    review = _review(view)
    if review is None:
        return _no_review(view, "无从结合本次处置过程", "nothing to relate to this response")
    _, lookup = _lexicon(view)
    segmented = _segmented(ctx, review)
    grounded: dict[tuple[str, str], Evidence] = {}
    ungrounded: dict[tuple[str, str], Evidence] = {}
    timed = view.of(*_TIMED_KINDS)
    start = _clock_minutes(ctx.scenario.start_clock)
    confirmations: set[int] = set()  # scored items already used: one fault named twice counts once
    for part in REVIEW_SECTIONS:
        tokens = segmented[part]
        for clause in review_claims.clauses(tokens):
            for word in clause:
                _ground_word(ctx, review, part, word, clause, lookup, (grounded, ungrounded, confirmations))
        for said, t in _times(tokens, start):
            key = ("time", f"{t:g}")
            if key in grounded:
                continue
            near = [e for e in timed if abs(e.t - t) <= th["time_tolerance"]]
            if near:
                e = min(near, key=lambda e: (abs(e.t - t), e.id))
                grounded[key] = cite(
                    e,
                    "review_grounded",
                    f"复盘所述“{said}”与日志相符（{e.label}）",
                    f"the review's “{said}” matches the log ({EVENT_KINDS[e.kind].en})",
                    section=part,
                )
    count, target = len(grounded), th["target"]
    fraction = min(1.0, count / target) - th["per_ungrounded"] * len(ungrounded)
    evidence = [
        cite(
            review,
            "review_grounding_full" if count >= target else "review_grounding_short",
            f"复盘中可在日志中核实的部门、措施、人员和时间共{count}处（满分需{target}处）",
            f"{count} departments, measures, people and times in the review are borne out by the log "
            f"({target} for full points)",
            expected=target,
            actual=count,
        )
    ]
    evidence.extend(grounded.values())
    evidence.extend(ungrounded.values())
    finding = f"{count}处内容有日志印证" + (f"，{len(ungrounded)}处与日志不符" if ungrounded else "")
    finding_en = f"{count} facts borne out by the log" + (f", {len(ungrounded)} contradicted" if ungrounded else "")
    return Result(fraction, evidence, finding, finding_en, value=count)


def _ground_word(
    ctx: Context,
    review: Event,
    part: str,
    word: str,
    clause: list[str],
    lookup: dict[str, tuple[str, str]],
    found: tuple[dict[tuple[str, str], Evidence], dict[tuple[str, str], Evidence], set[int]],
) -> None:
    """Check one word of the review against the log, and file it as grounded or not (first mention of each).

    In a problem statement (a clause of 存在问题 or 改进方向, or with 未、迟迟、滞后 … in it) a name is borne out
    by what the scoring holds against the team about it (a department not notified, a measure missing or late),
    and an omission said as one (未通知…, 未下达…) by its absence from the log; a topic (信息报送, 人员伤亡,
    指挥部 …) counts only in 存在问题 and 改进方向, and only when the scoring faulted it. Elsewhere a name must
    be something that happened: saying a department acted that never took part stays a claim the log
    contradicts, even when another sentence of the review names the same department honestly.
    """
    view = ctx.view
    grounded, ungrounded, confirmations = found
    problem = review_claims.is_problem_statement(part, clause)
    hit = lookup.get(word)
    if hit is None and part in review_claims.PROBLEM_SECTIONS:  # a topic only where the review says what went
        topic = review_claims.topic_of(word)  # wrong: “未造成人员伤亡” in 处置成效 faults nothing
        hit = ("topic", topic) if topic else None
    if hit is None:
        return
    category, ident = hit
    facts = {"depts": [ident]} if category == "dept" else {"measure": ident} if category == "measure" else {}
    if problem and category != "person":
        if hit in grounded:
            return
        confirmed = review_claims.confirming(ctx, category, ident)
        what = review_claims.topic_name(ident) if category == "topic" else word
        what_en = review_claims.topic_name(ident, "en") if category == "topic" else word
        if confirmed is not None and id(confirmed) in confirmations:
            return  # 未向市政府总值班室报告 and 信息报送 are one fault: it counts once
        if confirmed is not None:
            confirmations.add(id(confirmed))
            grounded[hit] = cite(
                view.ids.get(confirmed["event_id"], view.end),
                "review_grounded",
                f"复盘指出“{what}”方面的问题，与评估结果相符：{confirmed['text']}",
                f"the review names a problem with “{what_en}”, as the scoring found: {confirmed['text_en']}",
                section=part,
                **facts,
            )
            return
        omission = review_claims.is_problem_statement("", clause)  # said as one: 未…, 没有…, 迟迟…
        if category != "topic" and omission and _support(view, category, ident) is None:
            name = view.dept_name(ident) if category == "dept" else view.measure_name(ident)
            how, how_en = (
                (f"{name}始终未收到总值班室的通知", f"{name} never received the office's word")
                if category == "dept"
                else (f"从未下达“{name}”", f"“{name}” was never ordered")
            )
            grounded[hit] = cite(
                view.end,
                "review_grounded",
                f"复盘指出“{word}”方面的缺失，与日志相符：截至推演结束{how}",
                f"the review names an omission about “{word}”, as the log shows: by the end of the drill, {how_en}",
                section=part,
                **facts,
            )
            return
    if category == "topic":
        return
    support = _support(view, category, ident)
    if support is not None:
        if hit not in grounded:
            event, how, how_en = support
            grounded[hit] = cite(
                event,
                "review_grounded",
                f"复盘提到“{word}”——{how}",
                f"the review names “{word}”: {how_en}",
                section=part,
                **facts,
            )
        return
    if hit in ungrounded:
        return
    what, what_en = (
        ("该部门未参与本次处置", "that department took no part")
        if category == "dept"
        else ("日志中从未下达该措施", "that measure was never ordered")
    )
    ungrounded[hit] = cite(
        review,
        "review_ungrounded",
        f"复盘提到“{word}”，但{what}",
        f"the review names “{word}”, but {what_en}",
        section=part,
        **facts,
    )


def _no_review(view: DrillView, what: str, what_en: str) -> Result:
    """No points for an indicator that reads the review, when there is none: and what that leaves missing."""
    return nothing(
        view, "review_missing", f"未提交复盘，{what}", f"no review had been submitted: {what_en}", "无复盘", "No review"
    )


def _support(view: DrillView, category: str, ident: str) -> tuple[Event, str, str] | None:
    """The log event that bears a mention out, with how it does (in each language)."""
    if category == "dept":
        e = view.participants.get(ident)
        if e is None:
            return None
        name = view.dept_name(ident)
        return e, f"{name}参与了处置（{e.label}）", f"{name} took part ({EVENT_KINDS[e.kind].en})"
    if category == "measure":
        tasks = view.measure_tasks(ident)
        if not tasks:
            return None
        t, name = tasks[0].ordered.t, view.measure_name(ident)
        return tasks[0].ordered, f"{view.when(t)}下达“{name}”", f"“{name}” ordered at {view.when(t, 'en')}"
    e = view.persons().get(ident)
    if e is None:
        return None
    return e, f"{ident}见于日志（{e.label}）", f"{ident} appears in the log ({EVENT_KINDS[e.kind].en})"


def _times(tokens: list[str], start: int | None) -> list[tuple[str, float]]:
    """Times as the review writes them, on tokens: ``3 分钟``, ``T + 42 分``, ``8 时 10 分`` (a clock time)."""
    out: list[tuple[str, float]] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if not tok.isdecimal():
            continue
        nxt = tokens[i + 1] if i + 1 < n else ""
        if nxt in ("时", "点") and i + 3 < n and tokens[i + 2].isdecimal() and tokens[i + 3] == "分":
            if start is not None:
                clock = int(tok) * 60 + int(tokens[i + 2])
                minutes = (clock - start) % (24 * 60)
                out.append((f"{tok}{nxt}{tokens[i + 2]}分", float(minutes)))
            continue
        if nxt in ("分钟", "分") and not (i >= 1 and tokens[i - 1] in ("时", "点")):
            out.append((f"{tok}{nxt}", float(tok)))
    return out


def _clock_minutes(clock: str) -> int | None:
    try:
        hours, minutes = clock.split(":")
        return int(hours) * 60 + int(minutes)
    except ValueError:
        return None


@indicator("improvement", keyword=IMPROVEMENT, thresholds=("full_gain", "zero_loss"))
def improvement(ctx: Context, th: Thresholds) -> Result:
    """为后续应急处置工作提供可借鉴的经验: the team's own trend. Compared on 迅速、有序、精准 only, since this
    indicator is itself part of 提升. Without a previous score it is left out, not failed."""
    view = ctx.view
    previous = ctx.previous
    if previous is None:
        return not_applicable(
            view,
            "未提供本队此前同一场景的推演成绩，本项不计分、不扣分",
            "no earlier score of this team on this scenario: not scored, no points lost",
            "无历史成绩",
            "No earlier score",
        )
    before = _previous_scores(previous)
    if before is None:
        return not_applicable(
            view,
            "提供的历史成绩格式不正确，本项不计分",
            "the earlier score is not in the right form: not scored",
            "历史成绩无效",
            "Earlier score invalid",
        )
    if previous.get("scenario") not in (None, ctx.scenario.id):
        return not_applicable(
            view,
            "历史成绩属于另一场景，不可比较，本项不计分",
            "the earlier score is of another scenario: not comparable, not scored",
            "不可比较",
            "Not comparable",
        )
    now: dict[str, float] = ctx.cache.get("scores", {})
    compared = [k for k in KEYWORDS[:3] if k in before and now.get(k) is not None]
    if not compared:
        return not_applicable(
            view,
            "历史成绩中没有可比较的关键词得分，本项不计分",
            "the earlier score has no keyword scores to compare: not scored",
            "不可比较",
            "Not comparable",
        )
    end = view.end
    evidence = []
    for k in compared:
        delta = now[k] - before[k]
        evidence.append(
            cite(
                end,
                "keyword_better" if delta > 0 else "keyword_not_better",
                f"{k}：{before[k]:.1f} → {now[k]:.1f}（{delta:+.1f}）",
                f"{KEYWORD_LABELS[k].en}: {before[k]:.1f} → {now[k]:.1f} ({delta:+.1f})",
                keyword=k,
                expected=before[k],
                actual=now[k],
            )
        )
    mean_before = sum(before[k] for k in compared) / len(compared)
    mean_now = sum(now[k] for k in compared) / len(compared)
    gain = mean_now - mean_before
    fraction = ramp(-gain, -th["full_gain"], th["zero_loss"])
    trend, trend_en = ("提高", "rose") if gain > 0 else (("持平", "held") if gain == 0 else ("下降", "fell"))
    names_en = ", ".join(KEYWORD_LABELS[k].en for k in compared)
    evidence.insert(
        0,
        cite(
            end,
            "improved" if fraction >= 1 else "not_improved",
            f"与上次推演相比，{'、'.join(compared)}平均分由{mean_before:.1f}{trend}至{mean_now:.1f}（{gain:+.1f}）",
            f"against the last drill, the average of {names_en} {trend_en} from {mean_before:.1f} to {mean_now:.1f} "
            f"({gain:+.1f})",
            expected=round(mean_before, 1),
            actual=round(mean_now, 1),
        ),
    )
    finding = f"平均分{trend}{abs(gain):.1f}分"
    finding_en = f"Average {trend_en} by {abs(gain):.1f} points"
    return Result(fraction, evidence, finding, finding_en, value=round(gain, 1))


def _previous_scores(previous: Any) -> dict[str, float] | None:
    if not isinstance(previous, dict) or not isinstance(previous.get("keywords"), dict):
        return None
    out: dict[str, float] = {}
    for k, entry in previous["keywords"].items():
        score = entry.get("score") if isinstance(entry, dict) else None
        if isinstance(score, int | float) and not isinstance(score, bool):
            out[k] = float(score)
    return out
