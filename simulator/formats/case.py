"""The case sheet of a real incident (案例推演): its sources, the official findings about the response, and the
assumptions the case's scenario and plans rest on.

A case is four files in ``cases/`` under one id: ``<id>.yaml`` (the scenario), ``<id>.actual.yaml`` (what was
actually done), ``<id>.reference.yaml`` (the expert response) and ``<id>.case.yaml`` (this sheet)::

    scenario: shiyan_2021_gas_explosion
    title: 湖北十堰张湾区艳湖社区集贸市场“6·13”重大燃气爆炸事故
    occurred: "2021-06-13"
    place: 湖北省十堰市张湾区
    summary: …
    sources: [{id: A1, title: …, publisher: 中国应急管理, date: "2021-10-02", url: "http://…", note: …}]
    findings:
      - {id: G1, quote: "…", source: A1, where: 调查报告摘要, plain: 险情未排除即建议撤离,
         keywords: [精准], indicators: [stand_down], evidence: [stand_down_premature]}
    assumptions: [集贸市场内人数按约300人估计（未见来源，假定）]

A finding is *reproduced* by a scored drill when an evidence item of one of its ``indicators`` has a kind among its
``evidence`` and counts against the team (:func:`reproduced_by`). Loading checks every id the sheet names: the
sources a finding cites, the indicators (``simulator.scoring``'s registry) and the evidence kinds (which must count
against the team, and belong to an indicator of one of the finding's keywords); errors are located like every
other file's (``file:line: field: message``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from simulator.formats.common import Id, Strict, Text
from simulator.formats.loader import load_model

_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")

Keyword = Literal["迅速", "有序", "精准", "提升"]
Line = Annotated[str, Field(min_length=1, max_length=500)]
Date = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]  # 2021-06-13, or 2021-06 / 2021 when no day is given


class Source(Strict):
    """A published source: an investigation report, an official notice, a reputable press item."""

    id: Id
    title: Line
    publisher: Line
    date: Date | None = None
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)] | None = None
    note: Annotated[str, Field(max_length=500)] = ""


class Finding(Strict):
    """One official finding about the response, quoted verbatim, and where the scoring should catch it."""

    id: Id
    quote: Text = Field(min_length=1)
    source: Id
    where: Line = "未见来源"
    plain: Line
    keywords: list[Keyword] = Field(min_length=1)
    indicators: list[Id] = Field(
        default_factory=list,
        description="indicator ids that should catch it; empty for a finding no drill can show (监管、事前隐患)",
    )
    evidence: list[Id] = Field(default_factory=list, description="evidence kinds that reproduce it (with indicators)")
    measures: list[Id] = Field(
        default_factory=list,
        description="the measures it is about (e.g. evacuate): only evidence about them reproduces it; empty: any",
    )

    @model_validator(mode="after")
    def _both_or_neither(self) -> Finding:
        if bool(self.indicators) != bool(self.evidence):
            raise ValueError(
                "indicators 与 evidence 应同时给出（可由推演评分复现的结论）或同时省略（推演范围以外的结论）"
                " (give both indicators and evidence, or neither)"
            )
        return self

    @property
    def tested(self) -> bool:
        """Whether a drill can reproduce it: a finding about supervision before the event, say, cannot."""
        return bool(self.indicators)


class CaseSheet(Strict):
    scenario: Id
    title: Line
    occurred: Date
    place: Line
    summary: Text = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    findings: list[Finding] = Field(min_length=1)
    assumptions: list[Line] = Field(default_factory=list)

    @field_validator("summary")
    @classmethod
    def _one_paragraph(cls, value: str) -> str:
        """A folded YAML block joins its lines with spaces, which Chinese text does not have."""
        return _CJK_GAP.sub("", value.strip())

    def source(self, ident: str) -> Source | None:
        return next((s for s in self.sources if s.id == ident), None)

    def reference_problems(self) -> list[tuple[tuple[Any, ...], str]]:
        """Ids that must exist: unique source and finding ids, each finding's source, indicators and evidence."""
        from simulator.scoring import INDICATORS, KINDS  # the registry is filled by importing the package

        problems: list[tuple[tuple[Any, ...], str]] = []
        for key, items in (("sources", self.sources), ("findings", self.findings)):
            seen: set[str] = set()
            for i, item in enumerate(items):
                if item.id in seen:
                    problems.append(((key, i, "id"), f"编号 {item.id!r} 重复 (duplicate id)"))
                seen.add(item.id)
        sources = {s.id for s in self.sources}
        for i, finding in enumerate(self.findings):
            if finding.source not in sources:
                message = f"来源 {finding.source!r} 不在 sources 中 (unknown source)"
                problems.append((("findings", i, "source"), message))
            for j, ident in enumerate(finding.indicators):
                spec = INDICATORS.get(ident)
                if spec is None:
                    problems.append((("findings", i, "indicators", j), f"没有指标 {ident!r} (unknown indicator)"))
                elif spec.keyword not in finding.keywords:
                    message = (
                        f"指标 {ident!r} 属于关键词“{spec.keyword}”，不在本条的 keywords 中"
                        " (the indicator scores another keyword)"
                    )
                    problems.append((("findings", i, "indicators", j), message))
            for j, kind in enumerate(finding.evidence):
                spec = KINDS.get(kind)
                if spec is None:
                    problems.append((("findings", i, "evidence", j), f"没有证据类型 {kind!r} (unknown evidence kind)"))
                elif not spec.against:
                    message = f"证据类型 {kind!r} 不是扣分项，无法复现问题 (the kind does not count against the team)"
                    problems.append((("findings", i, "evidence", j), message))
        return problems


def date_text(date: str | None, lang: str = "zh") -> str:
    """``2021-06-13`` -> ``2021年6月13日`` (``2021-06`` -> ``2021年6月``); as written under the English switch."""
    if not date:
        return ""
    if lang == "en":
        return date
    parts = [int(p) for p in date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, ("年", "月", "日"), strict=False))


def load_case(path: str | Path, data: bytes | None = None) -> CaseSheet:
    """Read and check a case sheet (fields, then every id it names)."""
    return load_model(CaseSheet, path, data, extra_checks=CaseSheet.reference_problems)


def reproduced_by(finding: Finding, score: dict[str, Any]) -> list[dict[str, Any]]:
    """The evidence items of a score.json that reproduce ``finding``: of one of its indicators, of one of its
    evidence kinds, counting against the team. Empty when the drill avoided the mistake."""
    found = []
    for keyword in score.get("keywords", {}).values():
        for ind in keyword.get("indicators", []):
            if ind["id"] not in finding.indicators or ind.get("skipped"):
                continue
            for item in ind.get("evidence", []):
                facts = item.get("facts", {})
                if not item.get("against") or facts.get("kind") not in finding.evidence:
                    continue
                if finding.measures and facts.get("measure") not in finding.measures:
                    continue  # a finding about the valves is not reproduced by the missing cordon
                found.append(item)
    return sorted(found, key=lambda item: (item.get("t", 0), item.get("event_id", 0)))


__all__ = ["CaseSheet", "Finding", "Source", "date_text", "load_case", "reproduced_by"]
