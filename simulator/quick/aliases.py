"""The words of quick entry (快速录入): what each word of a spoken decision names in one scenario.

Why a shared table besides the scenario's own names: in the room people say 消防, 119, 公安, 120, 应急局, 城管, not
区消防救援支队 or 区卫健委（120急救中心）, and they say 疏散, 关阀, 堵漏, 泵车 rather than a measure's full name. The
shared table maps those words to a department by its KIND of name (any scenario whose fire brigade's name holds 消防)
and to a measure by its id (the bundled scenarios share ids such as ``evacuate``, ``medical_treatment``), so a new
scenario needs no table of its own. The scenario adds its own names and their short forms (as
``simulator.scoring.lexicon`` does for the review), its places, and the hazard's cordon measure for 警戒区.

A word that would name two different things in the scenario is left out: quick entry never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from simulator.formats.scenario import Scenario
from simulator.hazards.describe import place_list
from simulator.scoring.lexicon import GENERIC, tokenizer_for

#: word -> what a department's name holds (or ``@kind`` for a department kind); the first department that matches
DEPARTMENT_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("消防", "消防队", "消防支队", "消防大队", "消防救援", "消防救援队", "消防救援支队", "119"), ("消防",)
    ),
    **dict.fromkeys(("公安", "公安局", "公安分局", "110", "警方", "派出所", "民警"), ("公安",)),
    **dict.fromkeys(("交警", "交警大队", "交管"), ("交警", "公安")),
    **dict.fromkeys(("卫健", "卫健委", "卫健局", "卫生健康委", "120", "急救中心", "卫生部门"), ("卫健", "卫生")),
    **dict.fromkeys(("应急", "应急局", "应急管理局", "应急办", "应急部门"), ("应急管理",)),
    **dict.fromkeys(("防汛办", "防指", "区防指"), ("防汛",)),
    **dict.fromkeys(("城管", "城管委", "城管局", "城市管理部门"), ("城市管理", "城管")),
    **dict.fromkeys(("水务", "水务局", "水务部门"), ("水务",)),
    **dict.fromkeys(("燃气公司", "燃气集团", "燃气抢修"), ("燃气有限公司", "燃气公司", "燃气集团")),
    **dict.fromkeys(("供电", "供电公司", "供电局", "电力", "电力公司", "国网"), ("供电", "电力")),
    **dict.fromkeys(("街道", "街道办", "街办", "街道办事处"), ("街道",)),
    **dict.fromkeys(("宣传", "宣传部", "宣传部门", "网信办", "网信"), ("宣传",)),
    **dict.fromkeys(("环保", "环保局", "生态环境局", "环境局", "生态环境", "环保部门"), ("生态环境", "环保")),
    **dict.fromkeys(("交通局", "交通运输局", "交运局", "交通部门"), ("交通运输",)),
    **dict.fromkeys(("气象", "气象局", "气象台"), ("气象",)),
    **dict.fromkeys(("地铁", "地铁公司", "轨道交通"), ("地铁",)),
    **dict.fromkeys(("教育局", "教育部门"), ("教育",)),
    **dict.fromkeys(("住建", "住建委", "住建局", "建委"), ("住房", "住建")),
    **dict.fromkeys(("民政", "民政局"), ("民政",)),
    **dict.fromkeys(("市场监管", "市场监管局", "市监局"), ("市场监督", "市场监管")),
    **dict.fromkeys(("文旅局", "文化旅游局", "文旅部门"), ("文化和旅游",)),
    **dict.fromkeys(("物业", "物业公司"), ("物业",)),
    **dict.fromkeys(("管委会", "园区管委会"), ("管委会",)),
    **dict.fromkeys(("承办方", "承办单位"), ("承办",)),
    **dict.fromkeys(("市政府", "市里", "市总值班室", "市政府值班室", "上级"), ("@higher_level",)),
    **dict.fromkeys(("总值班室", "值班室", "区总值班室"), ("总值班室",)),
}

#: word -> measure ids, in preference: the first the scenario has (``@cordon``: the hazard's cordon measure)
MEASURE_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("疏散", "撤离", "转移", "疏散群众", "转移群众", "组织疏散", "疏散撤离"), ("evacuate", "evacuate_floors")
    ),
    **dict.fromkeys(("警戒区", "警戒", "设立警戒", "警戒线", "现场警戒", "封控"), ("@cordon", "traffic_control")),
    **dict.fromkeys(("交通管制", "交通疏导"), ("traffic_control",)),
    **dict.fromkeys(("救治", "伤员救治", "医疗救治", "救治伤员", "抢救伤员", "医疗救护"), ("medical_treatment",)),
    **dict.fromkeys(
        ("信息发布", "发布信息", "舆情引导", "新闻发布", "发布权威信息", "发布通告"), ("public_information",)
    ),
    **dict.fromkeys(("出行提示", "预警信息"), ("public_information",)),
    **dict.fromkeys(("安置", "临时安置", "转运安置"), ("resettlement",)),
    **dict.fromkeys(("堵漏",), ("stop_leak",)),
    **dict.fromkeys(("水幕", "水幕稀释"), ("water_curtain",)),
    **dict.fromkeys(("监测", "环境监测", "空气监测", "大气监测", "大气环境监测"), ("air_monitoring",)),
    **dict.fromkeys(("就地避险", "关闭门窗", "就地躲避"), ("shelter_in_place",)),
    **dict.fromkeys(("关阀", "关阀断气", "断气", "关闭阀门", "切断气源"), ("shut_off_gas", "gas_off")),
    **dict.fromkeys(("断电", "切断电源", "停电", "切断"), ("cut_power", "power_off", "power_cutoff")),
    **dict.fromkeys(("禁火", "禁绝火源", "熄灭明火"), ("ban_ignition",)),
    **dict.fromkeys(("通风", "防爆通风", "排风"), ("ventilate",)),
    **dict.fromkeys(("检测", "浓度检测", "气体检测", "可燃气体检测"), ("gas_detection",)),
    **dict.fromkeys(("抢修", "管道抢修"), ("pipe_repair",)),
    **dict.fromkeys(("灭火", "内攻", "内攻灭火", "水枪", "出水枪"), ("fire_attack",)),
    **dict.fromkeys(("加压供水", "水泵接合器"), ("water_relay",)),
    **dict.fromkeys(("搜救", "营救", "搜救被困人员"), ("rescue_trapped",)),
    **dict.fromkeys(("排烟", "防排烟", "正压送风", "关闭防火门"), ("smoke_control",)),
    **dict.fromkeys(("燃气总阀", "关闭燃气"), ("gas_off",)),
    **dict.fromkeys(("限流", "分段限流", "只出不进"), ("limit_inflow",)),
    **dict.fromkeys(("警戒隔离", "单向通行", "隔离"), ("police_cordon",)),
    **dict.fromkeys(("应急通道", "开启通道", "分流"), ("open_exits",)),
    **dict.fromkeys(("中止演出", "停止演出", "暂停活动", "中止活动"), ("stop_event",)),
    **dict.fromkeys(("加开列车", "加开", "加车"), ("metro_extra_trains",)),
    **dict.fromkeys(("公交接驳", "接驳"), ("bus_dispersal", "bus_shuttle")),
    **dict.fromkeys(("备勤", "现场备勤"), ("fire_standby",)),
    **dict.fromkeys(("封闭隧道", "封闭下穿"), ("close_underpass",)),
    **dict.fromkeys(("停运", "封站", "封站停运"), ("stop_trains",)),
    **dict.fromkeys(("泵车", "排涝", "强排", "抽排"), ("deploy_pumps",)),
    **dict.fromkeys(("挡水板", "沙袋"), ("flood_barrier",)),
    **dict.fromkeys(("水域救援", "水上救援", "冲锋舟"), ("water_rescue",)),
    **dict.fromkeys(("发电车", "应急供电", "应急发电车"), ("emergency_power",)),
    **dict.fromkeys(("灾情核查", "隐患排查"), ("damage_survey",)),
    **dict.fromkeys(("停课", "停工", "停业", "停课停工", "三停"), ("suspend_activities",)),
    **dict.fromkeys(("防触电", "积水区域停电"), ("power_cutoff",)),
    **dict.fromkeys(("封闭", "封闭道路"), ("close_underpass",)),
    **dict.fromkeys(("地下空间", "地下商场"), ("close_underground",)),
}

#: trigger words: word -> what it signals (the parser reads the clause around it)
TRIGGERS: dict[str, str] = {
    **dict.fromkeys(("通知", "通报", "告知", "召集", "呼叫"), "notify"),
    **dict.fromkeys(("现场指挥", "现场总指挥", "总指挥", "指挥长", "现场指挥长"), "commander"),
    **dict.fromkeys(("现场指挥部", "指挥部", "前方指挥部"), "command_post"),
    **dict.fromkeys(("应急响应", "响应"), "response"),
    **dict.fromkeys(("报告", "上报", "报送", "汇报", "首报", "续报"), "report"),
    **dict.fromkeys(("电话报告", "电话上报", "口头报告", "电话"), "report_phone"),
    **dict.fromkeys(("书面报告", "书面上报", "书面"), "report_written"),
    **dict.fromkeys(("询问", "了解", "核实", "问询", "问一下", "查询", "问清"), "request"),
    **dict.fromkeys(("发布预警", "预警", "预警提示"), "warning"),
    **dict.fromkeys(("解除警戒",), "stand_down"),
    **dict.fromkeys(("可有序返回", "可以返回", "可返回", "有序返回"), "may_return"),
    **dict.fromkeys(("危险已排除", "险情已排除", "险情排除"), "all_clear"),
    **dict.fromkeys(("建议",), "advice"),
    **dict.fromkeys(("启动",), "start"),
    **dict.fromkeys(("提升", "提高", "升级", "升为", "升至", "上调"), "raise"),
    **dict.fromkeys(("降低", "降为", "降至", "下调"), "lower"),
    **dict.fromkeys(("终止", "结束"), "end"),
    **dict.fromkeys(("社会公众", "公众", "群众", "市民"), "to_public"),
    **dict.fromkeys(("各部门", "各有关部门", "有关部门"), "to_departments"),
}

#: words that carry no decision of their own: said, understood, and not listed as unparsed
_FILLER_WORDS = (
    "立即 马上 迅速 尽快 及时 请 由 负责 并 和 与 及 、 同时 要 做好 开展 组织 实施 实行 "
    "进行 落实 采取 安排 派出 调派 派 赶赴 赶赴现场 到场 到位 到岗 赶到 现场 前往 对 在 向 "
    "给 将 把 各 等 一下 的 有关 情况 工作 全力 积极 配合 共同 各自 设立 设置 成立 开设 "
    "开启 启用 任 担任 出任 为 作为 指定 任命 决定 目前 范围 范围内 调集 调配 到 各派 内 "
    "以内 之内 周边 处置 完成 级别 级 同志 局长 副局长 支队长 大队长 主任 区长 副区长 书记 "
    "队长 经理"
)
FILLER = frozenset(_FILLER_WORDS.split())
#: titles said before a name (应急局局长王立军): stripped to find the person
TITLES = (
    "副局长",
    "局长",
    "支队长",
    "大队长",
    "副主任",
    "主任",
    "副区长",
    "区长",
    "书记",
    "队长",
    "经理",
    "处长",
    "科长",
    "所长",
    "长",
)

Meaning = tuple[str, str]  # (category, id): ("dept", "fire"), ("measure", "evacuate"), ("place", "s_metro"), …


@dataclass(frozen=True)
class Lexicon:
    """Every word quick entry knows in one scenario, what it means, and the tokenizer that keeps it whole."""

    words: dict[str, Meaning]
    #: toneless pinyin of a word -> the word, for words whose sound is theirs alone (fast typists' homophones)
    sounds: dict[tuple[str, ...], str]
    longest: int

    @property
    def tokenizer(self):
        return tokenizer_for(tuple(sorted(self.words)))


def _find_department(departments: tuple[tuple[str, str, str], ...], patterns: tuple[str, ...]) -> str | None:
    for pattern in patterns:
        if pattern.startswith("@"):
            hits = [ident for ident, _, kind in departments if kind == pattern[1:]]
        else:
            hits = [ident for ident, name, _ in departments if pattern in name]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None  # two departments fit: the word names neither
    return None


def _split(name: str) -> tuple[str, list[str]]:
    """``区卫健委（120急救中心）`` -> (``区卫健委``, [``120急救中心``])."""
    inner = re.findall(r"[（(]([^）)]*)[）)]", name)
    outer = re.sub(r"[（(][^）)]*[）)]", "", name).strip()
    parts = [p.strip().removeprefix("含") for chunk in inner for p in re.split(r"[、，,/]", chunk)]
    return outer, [p for p in parts if p]


def _name_forms(name: str, *, suffixes: bool, pieces: bool) -> list[str]:
    """A name and its short forms: without brackets, each bracketed part, without 区/市, whole-word suffixes
    (临港街道办事处 -> 街道办事处), without a company's ending (华宇化工有限公司 -> 华宇化工); a measure's parts
    (分段限流（只出不进） -> 只出不进; 警戒隔离与单向通行 -> 单向通行)."""
    from simulator.scoring.lexicon import _base_tokenizer  # jieba's dictionary, loaded once per process

    base = _base_tokenizer()
    outer, inner = _split(name)
    forms = [name, outer, *inner]
    if outer[:1] in ("区", "市", "县") and outer[1:2] not in ("委", "政") and len(outer) >= 4:
        forms.append(outer[1:])
    for ending in ("有限公司", "公司", "集团", "办事处", "管理处"):
        if outer.endswith(ending) and len(outer) - len(ending) >= 2:
            forms.append(outer.removesuffix(ending))
    tokens = base.lcut(outer)
    if suffixes:
        for i in range(1, len(tokens)):
            suffix = "".join(tokens[i:])
            if len(suffix) >= 3 and suffix not in GENERIC:
                forms.append(suffix)
    if pieces:  # a measure's parts as its name joins them; its single words are too loose for an order
        forms.extend(p for p in re.split(r"[与和及、并]", outer) if p)
    return [f.strip() for f in forms if len(f.strip()) >= 2 and f.strip()[0] not in "和与及的"]


def lexicon(scenario: Scenario) -> Lexicon:
    """The words of ``scenario``: its places, departments (name and kind), measures and hazard's cordon measure."""
    places = tuple((p.id, p.name) for p in place_list(scenario.hazard.params) if not str(p.id).isdigit())
    return _lexicon(
        places,  # a tower's floors are said as numbers (12层), not as names
        tuple((d.id, d.name, d.kind) for d in scenario.departments),
        tuple((m.id, m.name) for m in scenario.measures),
        getattr(scenario.hazard.params, "cordon_measure", "") or "",
    )


@lru_cache(maxsize=32)
def _lexicon(
    places: tuple[tuple[str, str], ...],
    departments: tuple[tuple[str, str, str], ...],
    measure_names: tuple[tuple[str, str], ...],
    cordon: str,
) -> Lexicon:
    """The shared tables first (a word said in every room), then the scenario's own names and short forms; a
    name-derived word that would mean two things is dropped."""
    from pypinyin import lazy_pinyin  # here, not at import: its tables take a second or two to load

    measures = {ident for ident, _ in measure_names}
    words: dict[str, Meaning] = {}
    derived: dict[str, set[Meaning]] = {}
    for ident, name in places:
        for form in _name_forms(name, suffixes=True, pieces=False):
            derived.setdefault(form, set()).add(("place", ident))
    for ident, name, _ in departments:
        for form in _name_forms(name, suffixes=True, pieces=False):
            derived.setdefault(form, set()).add(("dept", ident))
    for ident, name in measure_names:
        for form in _name_forms(name, suffixes=False, pieces=True):
            derived.setdefault(form, set()).add(("measure", ident))
    for word, meanings in derived.items():
        if len(meanings) == 1:
            words[word] = next(iter(meanings))
    for word, patterns in DEPARTMENT_WORDS.items():
        dept = _find_department(departments, patterns)
        if dept is not None and words.get(word, ("dept",))[0] in ("dept", "measure"):
            words[word] = ("dept", dept)
    for word, ids in MEASURE_WORDS.items():
        chosen = next((m for m in (cordon if i == "@cordon" else i for i in ids) if m in measures), None)
        if chosen is not None and (word not in words or words[word][0] == "measure"):
            words[word] = ("measure", chosen)
    for word, signal in TRIGGERS.items():
        words.setdefault(word, ("trigger", signal))
    sounds: dict[tuple[str, ...], set[str]] = {}
    for word in words:
        if len(word) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in word):
            sounds.setdefault(tuple(lazy_pinyin(ch)[0] for ch in word), set()).add(word)
    unique = {key: next(iter(found)) for key, found in sounds.items() if len(found) == 1}
    return Lexicon(words, unique, max(len(w) for w in words))
