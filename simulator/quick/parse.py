"""快速录入: one or more spoken sentences → the plan decisions they mean, each with the words it came from.

    parse(scenario, "通知消防、公安立即赶赴现场，设立1500米警戒区，王强任现场指挥")
    → notify [fire, police]; order traffic_control (police; 设立1500米警戒区); appoint_commander 王强

How: homophone typos are mended first (消访 → 消防, 警界区 → 警戒区: what a pinyin input method produces), then
the text is segmented by jieba with a user dictionary of the scenario's words (``aliases.lexicon``: offline and
deterministic), cut into clauses at punctuation, and each clause read for what it says: a response level, a
commander, a command post, a report, a question, a measure ordered to departments (with its settings from the
figures said: ``numbers``), a notice, or advice. A clause that holds only a figure or a time limit (范围一百米,
十分钟内完成) adds it to the clauses before it.

Never a silent guess: words that mean nothing here are returned as ``unparsed``; every assumption (a measure's
department not said, a report's medium not said, a typo mended) is returned as a note in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from simulator.formats.plan import Decision
from simulator.formats.scenario import Scenario
from simulator.hazards.describe import measure_fields
from simulator.quick.aliases import FILLER, TITLES, Lexicon, lexicon
from simulator.quick.numbers import Figure, figures
from simulator.vocabulary import Label

DECISION = TypeAdapter(Decision)
CLAUSE_BREAK = re.compile(r"[，,。；;！!？?\n\r]+")
SENTENCE_BREAK = "。；;！!？?\n\r"
LEVEL = re.compile(r"(Ⅳ|Ⅲ|Ⅱ|Ⅰ|IV|III|II|I|[一二三四1234])级")
LEVEL_VALUES = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "I": 1, "II": 2, "III": 3, "IV": 4, "一": 1, "二": 2, "三": 3, "四": 4}
APPOINT_VERBS = ("担任", "出任", "负责", "作为", "任", "为")
POST_VERBS = re.compile(r"在(.+?)(?:设立|成立|开设|设置|组建|建立)|设在(.+?)$")
LEAD_WORDS = ("决定由", "指定", "任命", "决定", "由", "请", "让")
EDGE = "向请的一下有关关于对给把将及和、 "
ADVICE = {"warning": "warning", "stand_down": "stand_down", "may_return": "may_return", "all_clear": "all_clear"}
ADVICE_OR_ASK = ("advice",)
FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


@dataclass(frozen=True)
class Piece:
    """Words of the text, by character offsets (``text[start:end]``)."""

    start: int
    end: int
    text: str


@dataclass
class ParseResult:
    """What the text means: plan decisions (pydantic models, ready to submit), for each the character spans of the
    words it came from, the words not understood, and the assumptions made (in words)."""

    decisions: list[Any] = field(default_factory=list)
    spans: list[list[tuple[int, int]]] = field(default_factory=list)
    unparsed: list[Piece] = field(default_factory=list)
    notes: list[Label] = field(default_factory=list)

    def unparsed_text(self, lang: str = "zh") -> str:
        """「…」、「…」 (or "…", "…"): the words not understood, as said."""
        if lang == "en":
            return ", ".join(f"“{p.text}”" for p in self.unparsed)
        return "、".join(f"「{p.text}」" for p in self.unparsed)


@dataclass
class _Item:
    start: int
    end: int
    category: str  # dept, measure, place, trigger
    ident: str
    word: str


@dataclass
class _Clause:
    start: int
    end: int
    text: str
    items: list[_Item]
    figures: list[Figure]
    decisions: list[dict[str, Any]] = field(default_factory=list)
    spans: list[list[tuple[int, int]]] = field(default_factory=list)
    used: list[tuple[int, int]] = field(default_factory=list)
    whole: bool = False  # the clause's text went into a decision (a topic, advice, an order's text)

    def of(self, category: str) -> list[_Item]:
        return [i for i in self.items if i.category == category]

    def signals(self) -> dict[str, _Item]:
        out: dict[str, _Item] = {}
        for item in self.of("trigger"):
            out.setdefault(item.ident, item)
        return out

    def add(self, decision: dict[str, Any], spans: list[tuple[int, int]]) -> None:
        self.decisions.append(decision)
        self.spans.append(spans)
        self.used.extend(spans)


# -- reading the text --------------------------------------------------------------------------------------------
def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _exact(text: str, lex: Lexicon, taken: list[bool]) -> list[tuple[int, int]]:
    """Greedy longest matches of known words over characters not yet taken."""
    found, i = [], 0
    while i < len(text):
        for length in range(min(lex.longest, len(text) - i), 1, -1):
            if not any(taken[i : i + length]) and text[i : i + length] in lex.words:
                found.append((i, i + length))
                i += length
                break
        else:
            i += 1
    return found


def _mend(text: str, lex: Lexicon, notes: list[Label]) -> str:
    """Mend homophone typos (消访 → 消防): a stretch that is no known word but sounds like exactly one known word
    and shares a character with it. Stretches that already hold a known word are left alone."""
    from pypinyin import lazy_pinyin  # here, not at import: its tables take a second or two to load

    taken = [False] * len(text)
    for a, b in _exact(text, lex, taken):
        taken[a:b] = [True] * (b - a)
    sound = [lazy_pinyin(ch)[0] if _cjk(ch) else None for ch in text]
    chars, i = list(text), 0
    while i < len(text):
        for length in range(min(8, len(text) - i), 1, -1):
            key = tuple(sound[i : i + length])
            word = lex.sounds.get(key) if None not in key and not any(taken[i : i + length]) else None
            said = text[i : i + length]
            if word and word != said and any(a == b for a, b in zip(word, said, strict=True)):
                chars[i : i + length] = list(word)
                notes.append(Label(f"「{said}」按「{word}」理解", f"“{said}” read as “{word}”"))
                i += length
                break
        else:
            i += 1
    return "".join(chars)


def _items(text: str, lex: Lexicon, numbers: list[Figure]) -> list[_Item]:
    """The known words of ``text``: jieba's words (the scenario's names kept whole by its user dictionary) joined
    into the longest known word; then any known word inside what is left."""
    taken = [False] * len(text)
    for f in numbers:
        taken[f.start : f.end] = [True] * (f.end - f.start)
    tokens = [(start, end) for _, start, end in lex.tokenizer.tokenize(text)]
    found: list[tuple[int, int]] = []
    k = 0
    while k < len(tokens):
        for j in range(min(len(tokens), k + 6), k, -1):
            start, end = tokens[k][0], tokens[j - 1][1]
            if text[start:end] in lex.words and not any(taken[start:end]):
                found.append((start, end))
                taken[start:end] = [True] * (end - start)
                k = j
                break
        else:
            k += 1
    found.extend(_exact(text, lex, taken))
    items = []
    for start, end in sorted(found):
        category, ident = lex.words[text[start:end]]
        items.append(_Item(start, end, category, ident, text[start:end]))
    return items


def _clauses(text: str, items: list[_Item], numbers: list[Figure]) -> list[_Clause]:
    out, start = [], 0
    for match in [*CLAUSE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        if text[start:end].strip():
            inside = [i for i in items if start <= i.start and i.end <= end]
            figs = [f for f in numbers if start <= f.start and f.end <= end]
            out.append(_Clause(start, end, text[start:end], inside, figs))
        if match:
            start = match.end()
    return out


# -- the parser ---------------------------------------------------------------------------------------------------
def parse(scenario: Scenario, text: str, by: str | None = None, at: float | None = None) -> ParseResult:
    """The decisions ``text`` means in ``scenario``, taken by ``by`` (default: the scenario's first coordinator, the
    duty office) at minute ``at`` (default 0). Never raises on what is said; an unknown ``by`` is a ValueError."""
    reader = _Reader(scenario, by, at or 0.0)
    return reader.read(text)


class _Reader:
    def __init__(self, scenario: Scenario, by: str | None, at: float):
        coordinators = [d.id for d in scenario.departments if d.kind == "coordinator"]
        self.by = by or (coordinators[0] if coordinators else scenario.departments[0].id)
        if scenario.department(self.by) is None:
            raise ValueError(f"场景中没有部门 {self.by!r} (no such department)")
        self.scenario = scenario
        self.at = at
        self.lex = lexicon(scenario)
        self.names = {d.id: d.name for d in scenario.departments}
        self.kinds = {d.id: d.kind for d in scenario.departments}
        self.notes: list[Label] = []

    def read(self, text: str) -> ParseResult:
        said = text.translate(FULL_WIDTH)
        fixed = _mend(said, self.lex, self.notes)
        numbers = figures(fixed)
        clauses = _clauses(fixed, _items(fixed, self.lex, numbers), numbers)
        sentence: list[_Clause] = []
        for clause in clauses:
            if sentence and any(ch in SENTENCE_BREAK for ch in fixed[sentence[-1].end : clause.start]):
                sentence = []
            self._clause(clause, sentence)
            sentence.append(clause)
        return self._result(text, fixed, clauses)

    # -- one clause ----------------------------------------------------------------------------------------------
    def _clause(self, clause: _Clause, before: list[_Clause]) -> None:
        signals = clause.signals()
        self._level(clause, signals)
        if "commander" in signals:
            self._commander(clause, signals["commander"])
        if "command_post" in signals:
            self._command_post(clause, signals["command_post"])
        reporting = [s for s in ("report", "report_phone", "report_written") if s in signals]
        if "request" in signals or (reporting and self._asks(clause)):
            self._request(clause, signals.get("request") or signals[reporting[0]])
        elif reporting:
            self._report(clause, [signals[s] for s in reporting])
        if "request" in signals:  # a question (核实东湾村还有多少群众未撤离) orders nothing, whatever it names
            pass
        elif clause.of("measure"):
            self._orders(clause, signals)
        elif "notify" in signals:
            self._notify(clause, signals["notify"])
        elif not clause.decisions:
            self._advise(clause, signals)
        if not clause.decisions:
            self._attach(clause, before)
        else:
            self._due(clause, clause.decisions)

    def _level(self, clause: _Clause, signals: dict[str, _Item]) -> None:
        if "response" not in signals:
            return
        match = LEVEL.search(clause.text)
        change = next((s for s in ("start", "raise", "lower", "end") if s in signals), None)
        if match is None and change != "end":
            return
        decision: dict[str, Any] = {"action": "set_level"}
        spans = [(signals["response"].start, signals["response"].end)]
        if match:
            decision["level"] = LEVEL_VALUES.get(match.group(1)) or int(match.group(1))
            spans.append((clause.start + match.start(), clause.start + match.end()))
        if change:
            decision["change"] = change
            spans.append((signals[change].start, signals[change].end))
        clause.add(decision, spans)

    def _commander(self, clause: _Clause, trigger: _Item) -> None:
        head = clause.text[: trigger.start - clause.start]
        verb = next((v for v in APPOINT_VERBS if head.endswith(v)), None)
        if verb is None:
            return
        region = head[: len(head) - len(verb)]
        depts = [i for i in clause.of("dept") if i.end <= trigger.start - len(verb)]
        cut = max((d.end - clause.start for d in depts), default=0)
        rest = region[cut:]
        for lead in LEAD_WORDS:
            rest = rest.removeprefix(lead)
        changed = True
        while changed:
            changed = False
            for title in TITLES:
                if rest.startswith(title) and len(rest) - len(title) >= 2:
                    rest, changed = rest[len(title) :], True
        rest = rest.removesuffix("同志")
        if not (2 <= len(rest) <= 4 and all(_cjk(ch) for ch in rest)):
            return
        at = clause.start + region.rindex(rest)
        spans = [(at, at + len(rest)), (trigger.start - len(verb), trigger.end)]
        if depts:
            department = depts[-1].ident
            spans.append((depts[-1].start, depts[-1].end))
        else:
            department = self._default_commander()
            self.notes.append(
                Label(
                    f"{rest}：未说明所在部门，按{self.names[department]}",
                    f"{rest}: department not said, taken as {self.names[department]}",
                )
            )
        clause.add({"action": "appoint_commander", "person": rest, "department": department}, spans)

    def _default_commander(self) -> str:
        named = [d.id for d in self.scenario.departments if "应急管理" in d.name]
        coordinators = [d.id for d in self.scenario.departments if d.kind == "coordinator" and d.id != self.by]
        return (named or coordinators or [self.by])[0]

    def _command_post(self, clause: _Clause, trigger: _Item) -> None:
        if not re.search(r"设立|成立|开设|设置|组建|建立|设在", clause.text):
            return
        decision: dict[str, Any] = {"action": "establish_command_post"}
        spans = [(trigger.start, trigger.end)]
        match = POST_VERBS.search(clause.text)
        if match:
            group = 1 if match.group(1) else 2
            place = match.group(group).strip()
            place = place.removeprefix("现场指挥部").removeprefix("指挥部")
            if place:
                decision["location"] = place[:100]
                at = clause.start + match.start(group)
                spans.append((at, clause.start + match.end(group)))
        clause.add(decision, spans)

    def _asks(self, clause: _Clause) -> bool:
        """报告 said of a department that is not a higher level (请公安报告现场人流): a question to it."""
        return any(self.kinds.get(d.ident) != "higher_level" for d in clause.of("dept"))

    def _request(self, clause: _Clause, trigger: _Item) -> None:
        targets = [d for d in clause.of("dept") if self.kinds.get(d.ident) != "higher_level"]
        if not targets:
            return
        target = targets[0]
        skip = [(trigger.start, trigger.end), (target.start, target.end)]
        topic = (
            "".join(ch for k, ch in enumerate(clause.text, clause.start) if not any(a <= k < b for a, b in skip))
            .lstrip(EDGE)
            .rstrip("的、 ")
        )
        if not topic:
            return
        clause.add({"action": "request_info", "to": target.ident, "topic": topic[:50]}, [(clause.start, clause.end)])
        clause.whole = True

    def _report(self, clause: _Clause, triggers: list[_Item]) -> None:
        kinds = {t.ident for t in triggers}
        spans = [(t.start, t.end) for t in triggers]
        decision: dict[str, Any] = {"action": "report_up", "mode": "written" if "report_written" in kinds else "phone"}
        if not kinds & {"report_phone", "report_written"}:
            self.notes.append(Label("未说明报告方式，按电话报告", "how to report not said: taken as by phone"))
        higher = [d for d in clause.of("dept") if self.kinds.get(d.ident) == "higher_level"]
        if higher:
            decision["to"] = higher[0].ident
            spans.append((higher[0].start, higher[0].end))
        for f in clause.figures:
            if f.kind == "casualty":
                decision[f.unit] = int(f.value)
                spans.append((f.start, f.end))
        clause.add(decision, spans)

    def _notify(self, clause: _Clause, trigger: _Item) -> None:
        depts = [d for d in clause.of("dept") if d.ident != self.by]
        if not depts:
            return
        to = list(dict.fromkeys(d.ident for d in depts))
        clause.add({"action": "notify", "to": to}, [(trigger.start, trigger.end), *((d.start, d.end) for d in depts)])

    def _advise(self, clause: _Clause, signals: dict[str, _Item]) -> None:
        kind = next((ADVICE[s] for s in ADVICE if s in signals), None)
        if kind is None and "advice" in signals:
            kind = "advice"
        if kind is None:
            return
        audience = "departments" if "to_departments" in signals else "public"
        text = clause.text.strip()[:2000]
        clause.add({"action": "advise", "kind": kind, "to": audience, "text": text}, [(clause.start, clause.end)])
        clause.whole = True

    # -- orders --------------------------------------------------------------------------------------------------
    def _orders(self, clause: _Clause, signals: dict[str, _Item]) -> None:
        measures = list({m.ident: m for m in clause.of("measure")}.values())
        taken = {s for d in clause.decisions for s in d.values() if isinstance(s, str)}
        named = [d for d in clause.of("dept") if d.ident not in taken and self.kinds.get(d.ident) != "higher_level"]
        allowed = {m.ident: list(self.scenario.measure(m.ident).departments) for m in measures}
        anyone = {d for ids in allowed.values() for d in ids}
        if "notify" in signals:
            clause.used.append((signals["notify"].start, signals["notify"].end))
        orders: list[dict[str, Any]] = []
        for measure in measures:
            words = [(m.start, m.end) for m in clause.of("measure") if m.ident == measure.ident]
            chosen = [d for d in named if d.ident in allowed[measure.ident]]
            if not chosen and named and not any(d.ident in anyone for d in named):
                chosen = named  # what was said, though the scenario has them do other things: the drill will say
            departments = list(dict.fromkeys(d.ident for d in chosen))
            if not departments and allowed[measure.ident]:
                departments = [allowed[measure.ident][0]]
                name = self.scenario.measure(measure.ident).name
                self.notes.append(
                    Label(
                        f"{name}：未说明执行部门，按{self.names[departments[0]]}",
                        f"{name}: department not said, taken as {self.names[departments[0]]}",
                    )
                )
            for dept in departments:
                spans = [*words, *((d.start, d.end) for d in chosen if d.ident == dept)]
                order = {"action": "order", "measure": measure.ident, "department": dept, "params": {}}
                clause.add(order, spans)
                orders.append(order)
        unplaced = self._settings(clause, orders)
        if unplaced:  # a figure the measure has no setting for stays in the order as said, not dropped
            for order in orders:
                order["text"] = clause.text.strip()[:2000]
                for f in unplaced:
                    self._span(clause, order, (f.start, f.end))
            clause.whole = True

    def _settings(self, clause: _Clause, orders: list[dict[str, Any]], figs: list[Figure] | None = None) -> list:
        """Put the clause's figures and places into the orders' parameters; the figures that fit none are returned."""
        unplaced = []
        for f in clause.figures if figs is None else figs:
            if f.kind in ("within", "duration", "casualty"):
                continue
            if not any([self._fill(order, f) for order in orders]):  # every order takes it, not just the first
                unplaced.append(f)
        for place in clause.of("place") if figs is None else []:
            for order in orders:
                spec = next((s for s in self._specs(order) if s.kind in ("place", "places")), None)
                if spec is not None and place.ident in [c[0] for c in spec.choices]:
                    if spec.kind == "places":
                        order["params"].setdefault(spec.key, [])
                        if place.ident not in order["params"][spec.key]:
                            order["params"][spec.key].append(place.ident)
                    else:
                        order["params"][spec.key] = place.ident
                    self._span(clause, order, (place.start, place.end))
        return unplaced

    def _specs(self, order: dict[str, Any]) -> list:
        return [s for s in measure_fields(self.scenario.hazard, order["measure"]) if s.form]

    def _fill(self, order: dict[str, Any], f: Figure) -> bool:
        for spec in self._specs(order):
            keys = spec.keys or (spec.key,)
            if f.kind in ("floors", "floor") and spec.kind == "floor_range":
                low, high = f.value if f.kind == "floors" else (int(f.value), int(f.value))
                if keys[0] in order["params"]:
                    continue
                order["params"][keys[0]], order["params"][keys[-1]] = low, high
            elif f.kind == "percent" and spec.percent and spec.key not in order["params"]:
                order["params"][spec.key] = f.value
            elif f.kind == "amount" and not spec.percent and spec.unit.zh == f.unit and spec.key not in order["params"]:
                value = f.value
                order["params"][spec.key] = int(value) if spec.kind == "integer" or value == int(value) else value
            else:
                continue
            order.setdefault("_figures", []).append((f.start, f.end))
            return True
        return False

    @staticmethod
    def _span(clause: _Clause, decision: dict[str, Any], span: tuple[int, int]) -> None:
        for i, d in enumerate(clause.decisions):
            if d is decision:
                clause.spans[i].append(span)
                clause.used.append(span)

    # -- figures and time limits said on their own ----------------------------------------------------------------
    def _due(self, clause: _Clause, decisions: list[dict[str, Any]], figs: list[Figure] | None = None) -> bool:
        within = [f for f in (clause.figures if figs is None else figs) if f.kind == "within"]
        if not within:
            return False
        placed = False
        for decision in decisions:
            if decision["action"] in ("notify", "order"):
                decision["due"] = self.at + within[0].value
                decision.setdefault("_figures", []).append((within[0].start, within[0].end))
                placed = True
        return placed

    def _attach(self, clause: _Clause, before: list[_Clause]) -> None:
        """A clause that decides nothing but gives a time limit, a figure or a toll adds it to the decisions of the
        same sentence before it (设立警戒区，范围两公里 / 十分钟内完成 / 电话报告市政府，目前一人被困)."""
        if not before or not clause.figures:
            return
        previous = [d for c in before for d in c.decisions]
        last = before[-1].decisions
        if self._due(clause, last):
            clause.used.extend((f.start, f.end) for f in clause.figures if f.kind == "within")
        orders = [d for d in previous if d["action"] == "order"]
        for f in clause.figures:
            if f.kind in ("amount", "percent", "floors", "floor"):
                hits = [o for o in orders if self._fill(o, f)]
                if hits:
                    clause.used.append((f.start, f.end))
            elif f.kind == "casualty":
                reports = [d for d in previous if d["action"] == "report_up"]
                if reports:
                    reports[-1][f.unit] = int(f.value)
                    reports[-1].setdefault("_figures", []).append((f.start, f.end))
                    clause.used.append((f.start, f.end))

    # -- the result ---------------------------------------------------------------------------------------------------
    def _result(self, text: str, fixed: str, clauses: list[_Clause]) -> ParseResult:
        result = ParseResult(notes=list(dict.fromkeys(self.notes)))  # an assumption said once
        result.unparsed = [piece for clause in clauses for piece in self._leftover(text, fixed, clause)]
        seen: dict[str, int] = {}
        for clause in clauses:
            for decision, spans in zip(clause.decisions, clause.spans, strict=True):
                spans = [*spans, *decision.pop("_figures", [])]
                if decision.get("params") == {}:
                    del decision["params"]
                model = DECISION.validate_python({**decision, "at": self.at, "by": self.by})
                key = model.model_dump_json()
                if key in seen:  # said twice (开启正压送风，关闭防火门): one decision, both words
                    result.spans[seen[key]].extend(spans)
                    continue
                seen[key] = len(result.decisions)
                result.decisions.append(model)
                result.spans.append(sorted(set(spans)))
        return result

    def _leftover(self, text: str, fixed: str, clause: _Clause) -> list[Piece]:
        if clause.whole:
            return []
        used = [*clause.used, *((f.start, f.end) for f in clause.figures if self._placed(f, clause))]
        used += [(i.start, i.end) for i in clause.items if i.category == "trigger" and i.ident.startswith("to_")]
        pieces: list[Piece] = []
        for word, start, end in self.lex.tokenizer.tokenize(fixed[clause.start : clause.end]):
            start, end = start + clause.start, end + clause.start
            if word.strip() in FILLER or not word.strip():
                continue
            if any(a <= k < b for a, b in used for k in range(start, end)):
                continue
            if pieces and pieces[-1].end == start:
                pieces[-1] = Piece(pieces[-1].start, end, text[pieces[-1].start : end])
            else:
                pieces.append(Piece(start, end, text[start:end]))
        return [p for p in pieces if any(_cjk(ch) or ch.isalnum() for ch in p.text)]

    @staticmethod
    def _placed(f: Figure, clause: _Clause) -> bool:
        return any(s == (f.start, f.end) for spans in clause.spans for s in spans) or any(
            (f.start, f.end) in d.get("_figures", []) for d in clause.decisions
        )


def completed(scenario: Scenario, decision: Any) -> Any:
    """An order with every setting its form would send: what was said, then each form field's default, numbers as
    the form enters them (a whole number field as an int, any other as a float). Submitted from the app, a quick
    entry is then the very decision the form would have made, and replays alike; a plan file keeps what was said."""
    if decision.action != "order":
        return decision
    params = dict(decision.params)
    for spec in measure_fields(scenario.hazard, decision.measure):
        if not spec.form:
            continue
        for key in spec.keys or (spec.key,):
            if key not in params:
                params[key] = spec.default[list(spec.keys).index(key)] if spec.kind == "floor_range" else spec.default
        if spec.kind == "integer":
            params[spec.key] = int(params[spec.key])
        elif spec.kind == "number":
            params[spec.key] = round(float(params[spec.key]), 6)
        elif spec.kind == "places":
            params[spec.key] = list(params[spec.key])
    keys = [key for spec in measure_fields(scenario.hazard, decision.measure) for key in spec.keys or (spec.key,)]
    ordered = {key: params[key] for key in keys if key in params}  # in the form's order, as the form sends them
    return decision.model_copy(update={"params": {**ordered, **params}})
