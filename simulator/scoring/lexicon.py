"""The words of one drill's review: jieba segmentation with the scenario's own names, and what each name means.

Why words, not substrings: the review is segmented with jieba after the scenario's department names, measure
names and the people named in the log have been added to the dictionary, so “区应急管理局王立军” splits into the
department and the person, and “生态环境分局” is not mistaken for a mention of “环境监测”. Each name (or a short
form of it, such as 消防救援支队 for 区消防救援支队) maps to what it names: ("dept", id), ("measure", id) or
("person", name). Split from improvement.py, which reads the review with it.
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from typing import Any

import jieba

from simulator.formats.scenario import Scenario
from simulator.scoring.context import DrillView

#: pieces of names too common to stand for one department or measure on their own
GENERIC = frozenset(
    [
        "处置",
        "现场",
        "群众",
        "工作",
        "临时",
        "信息",
        "发布",
        "引导",
        "人员",
        "部门",
        "措施",
        "管理",
        "转移",
        "伤员",
        "环境",
        "有限公司",
        "公司",
        "关闭",
        "门窗",
        "控制",
        "应急",
        "救援",
        "调集",
        "开展",
        "组织",
        "积水",
    ]
)
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


# -- segmentation ---------------------------------------------------------------------------------------------
@cache
def _base_tokenizer() -> jieba.Tokenizer:
    """jieba's default dictionary, loaded once per process (about a second the first time)."""
    jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at DEBUG to stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


class _Overlay(dict):
    """Words added for one scenario, over jieba's dictionary without copying its half-million entries.

    jieba reads its dictionary with ``in``, ``[]`` and ``.get``; all three fall through to the shared base, and
    ``add_word`` writes only here. A plain copy would cost about 15 MB and 17 ms per word list.
    """

    __slots__ = ("base",)

    def __init__(self, base: dict[str, int]):
        super().__init__()
        self.base = base

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def __missing__(self, key: str) -> int:
        return self.base[key]

    def get(self, key: str, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.base.get(key, default)


@lru_cache(maxsize=64)
def tokenizer_for(words: tuple[str, ...]) -> jieba.Tokenizer:
    """A private tokenizer with ``words`` added (``add_word``), cached per word list.

    Private, not ``jieba.add_word`` on the global one: words added for one scenario would otherwise change
    how the next scenario's reviews segment, and rescoring the first would no longer give the same result.
    """
    base = _base_tokenizer()
    tokenizer = jieba.Tokenizer(base.dictionary)
    tokenizer.FREQ = _Overlay(base.FREQ)
    tokenizer.total = base.total
    tokenizer.initialized = True
    for word in words:
        tokenizer.add_word(word)
    return tokenizer


@lru_cache(maxsize=16)
def _aliases(
    departments: tuple[tuple[str, str], ...], measures: tuple[tuple[str, str], ...], places: tuple[str, ...]
) -> tuple[tuple[str, str, str], ...]:
    """(word, category, id) for every full name and unambiguous short form of a department or measure.

    A measure's short forms are the words of its name, except words that also name a place or a department:
    “隧道” in 封闭下穿隧道 is the tunnel, not the closing of it, when the review says 解放路下穿隧道积水.
    """
    base = _base_tokenizer()
    found: dict[str, set[tuple[str, str]]] = {}
    nouns = {t for name in (*places, *(n for _, n in departments)) for t in base.lcut(_split_name(name)[0])}

    def add(word: str, category: str, ident: str) -> None:
        word = word.strip()
        if len(word) >= 2 and not word.isdigit():
            found.setdefault(word, set()).add((category, ident))

    for ident, name in departments:
        for form in _dept_forms(name, base):
            add(form, "dept", ident)
    for ident, name in measures:
        for form in _measure_forms(name, base):
            if form == name or form not in nouns:
                add(form, "measure", ident)
    full = {name for _, name in departments} | {name for _, name in measures}
    out = []
    for word in sorted(found):
        targets = found[word]
        if len(targets) == 1 or word in full:
            category, ident = sorted(targets)[0]
            out.append((word, category, ident))
    return tuple(out)


def _split_name(name: str) -> tuple[str, list[str]]:
    """``区卫健委（120急救中心）`` -> (``区卫健委``, [``120急救中心``])."""
    inner = re.findall(r"[（(]([^）)]*)[）)]", name)
    outer = re.sub(r"[（(][^）)]*[）)]", "", name).strip()
    parts = [p.strip().removeprefix("含") for chunk in inner for p in re.split(r"[、，,/]", chunk)]
    return outer, [p for p in parts if p]


def _dept_forms(name: str, base: jieba.Tokenizer) -> list[str]:
    outer, inner = _split_name(name)
    forms = [name, outer, *inner]
    if outer[:1] in ("区", "市", "县") and outer[1:2] not in ("委", "政") and len(outer) >= 4:
        forms.append(outer[1:])
    tokens = base.lcut(outer)
    for i in range(1, len(tokens)):  # suffixes made of whole words: 临港/街道/办事处 -> 街道办事处, 办事处
        suffix = "".join(tokens[i:])
        if len(suffix) >= 3 and suffix not in GENERIC:
            forms.append(suffix)
    return forms


def _measure_forms(name: str, base: jieba.Tokenizer) -> list[str]:
    outer, inner = _split_name(name)
    forms = [name, outer, *inner]
    forms.extend(p for p in re.split(r"[与和及、]", outer) if p)
    forms.extend(t for t in base.lcut(outer) if len(t) >= 2 and t not in GENERIC)
    return forms


def _lexicon(view: DrillView) -> tuple[jieba.Tokenizer, dict[str, tuple[str, str]]]:
    """The tokenizer for this drill's review and the map from a word to what it names."""
    scenario: Scenario = view.scenario
    aliases = _aliases(
        tuple((d.id, d.name) for d in scenario.departments),
        tuple((m.id, m.name) for m in scenario.measures),
        _places(scenario),
    )
    lookup = {word: (category, ident) for word, category, ident in aliases}
    for person in view.persons():
        lookup.setdefault(person, ("person", person))
    return tokenizer_for(tuple(sorted(lookup))), lookup


def _places(scenario: Scenario) -> tuple[str, ...]:
    """Names of the hazard's places (a plume's zones, a flood's sites), whatever the hazard model calls them."""
    names: list[str] = []
    for value in scenario.hazard.params.__dict__.values():
        if isinstance(value, list):
            names.extend(str(item.name) for item in value if isinstance(getattr(item, "name", None), str))
    return tuple(names)


def _content_tokens(tokens: list[str]) -> list[str]:
    """Words that carry meaning: two characters or more (single characters are mostly particles), no punctuation."""
    return [t for t in tokens if len(t) >= 2 and not _PUNCT.fullmatch(t)]
