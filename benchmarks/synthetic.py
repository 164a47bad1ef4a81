"""A synthetic large drill for benchmarks: 200 departments and a plan that sends 5,000 messages.

Generated in code from a fixed pseudo-random generator (``random.Random(seed)``), so the same arguments give
the same scenario and plan, byte for byte. Both come out as YAML text, as a user would write them, so a benchmark
can time loading as well as running.

The shape, scaled up from the bundled 危化品泄漏 scenario: a district duty office with a phone line to every
department, radio rings between neighbouring departments (the routes around a cut line), a city duty office to
report to, a toxic plume over 60 residential zones, 40 injects (channel cuts and restores, wind shifts,
casualties) over an 8-hour drill. The plan notifies every department, reports up, sets up a command post, orders
the plume measures and then, in turn, assigns a job and sends a notice to five departments until 5,000 messages
have gone out (each notice, order and report is one message a recipient; resends keep the message's id): about
1,600 decisions, within a plan's cap (``plan.MAX_DECISIONS``, 2,000; the plan once made 4,800 assignments).
"""

from __future__ import annotations

import random
from typing import Any

import yaml

DEPARTMENTS = 200
MESSAGES = 5_000
DURATION_MIN = 480
ZONES = 60
INJECTS = 40
KINDS = ("coordinator", "responder", "responder", "responder", "support", "enterprise")


def _tri(rng: random.Random, low: float, high: float) -> dict[str, Any]:
    a = round(rng.uniform(low, high), 1)
    b = round(a + rng.uniform(0.5, high), 1)
    return {"dist": "triangular", "low": a, "mode": round((a + b) / 2, 1), "high": b}


def scenario_data(seed: int = 0, departments: int = DEPARTMENTS) -> dict[str, Any]:
    rng = random.Random(seed)
    depts: list[dict[str, Any]] = [
        {"id": "duty_office", "name": "区政府总值班室", "kind": "coordinator", "goes_to_scene": False,
         "resources": {"crews": 4}},
        {"id": "city_duty", "name": "市政府总值班室", "kind": "higher_level", "goes_to_scene": False},
    ]  # fmt: skip
    for i in range(departments - len(depts)):
        depts.append(
            {
                "id": f"d{i:03d}",
                "name": f"第{i + 1}单位",
                "kind": KINDS[i % len(KINDS)],
                "resources": {"crews": rng.randint(1, 4)},
                "mobilise": _tri(rng, 1, 10),
                "travel": _tri(rng, 5, 25),
                "goes_to_scene": i % 7 != 6,
            }
        )
    units = [d["id"] for d in depts[2:]]
    channels: list[dict[str, Any]] = [
        {"id": "c_city", "from": "duty_office", "to": "city_duty", "medium": "phone", "delay": _tri(rng, 1, 3),
         "reliability": 0.98},
    ]  # fmt: skip
    for unit in units:
        channels.append(
            {
                "id": f"c_duty_{unit}",
                "from": "duty_office",
                "to": unit,
                "medium": "phone",
                "delay": _tri(rng, 1, 4),
                "reliability": round(rng.uniform(0.9, 0.99), 3),
            }
        )
    for a, b in zip(units, units[1:] + units[:1], strict=True):  # a ring of radio links between neighbours
        channels.append(
            {
                "id": f"c_{a}_{b}",
                "from": a,
                "to": b,
                "medium": "radio",
                "delay": _tri(rng, 0.5, 2),
                "reliability": 0.95,
            }
        )
    zones = [
        {
            "id": f"z{i:02d}",
            "name": f"第{i + 1}居住区",
            "bearing_deg": round(rng.uniform(0, 359.9), 1),
            "distance_m": round(rng.uniform(300, 4000)),
            "population": rng.randint(100, 5000),
        }
        for i in range(ZONES)
    ]
    measures = [
        {"id": "evacuate", "name": "疏散转移群众", "departments": units[:40], "duration": _tri(rng, 15, 30)},
        {"id": "shelter_in_place", "name": "就地避险", "departments": units[:40], "duration": 10, "on_scene": False},
        {"id": "stop_leak", "name": "堵漏处置", "departments": units[:20], "duration": _tri(rng, 30, 50)},
        {"id": "water_curtain", "name": "水幕稀释", "departments": units[:20], "duration": _tri(rng, 8, 12)},
        {"id": "medical_treatment", "name": "伤员救治", "departments": units[:60], "duration": _tri(rng, 10, 20)},
    ]
    injects: list[dict[str, Any]] = [
        {"id": "i000", "at": 0, "to": "duty_office", "title": "接报", "text": "园区报告储罐泄漏。",
         "effects": [{"alert": units[:3]}]},
    ]  # fmt: skip
    for i in range(1, INJECTS):
        at = round(i * DURATION_MIN / INJECTS + rng.uniform(0, 5), 1)
        unit = rng.choice(units)
        kind = i % 4
        inject: dict[str, Any] = {"id": f"i{i:03d}", "at": at, "to": "duty_office", "title": f"情况{i}"}
        if kind == 0:
            inject |= {"text": f"{unit}电话中断。", "effects": [{"cut_channel": f"c_duty_{unit}"}]}
            injects.append(inject)
            injects.append(
                {
                    "id": f"i{i:03d}r",
                    "after": inject["id"],
                    "delay": 30,
                    "to": "duty_office",
                    "title": f"情况{i}恢复",
                    "text": f"{unit}电话恢复。",
                    "effects": [{"restore_channel": f"c_duty_{unit}"}],
                }
            )
            continue
        if kind == 1:
            inject |= {"text": "风向变化。", "effects": [{"set_hazard": {"wind_from_deg": rng.randint(0, 359)}}]}
        elif kind == 2:
            inject |= {"text": "发现伤员。", "effects": [{"add_casualties": rng.randint(1, 5)}]}
        else:
            inject |= {"text": "群众来电询问。"}
        injects.append(inject)
    return {
        "id": "synthetic_large",
        "version": "1",
        "title": "合成大规模推演（基准测试）",
        "summary": "基准测试用的合成场景：200个部门、8小时。",
        "duration": f"{DURATION_MIN}m",
        "sample_every": "5m",
        "departments": depts,
        "channels": channels,
        "hazard": {
            "model": "toxic_plume",
            "params": {
                "substance": "液氯",
                "release_rate_kg_min": 20,
                "inventory_kg": 6000,
                "wind_from_deg": 45,
                "wind_speed_m_s": 4,
                "spread_m_per_sqrt_kg": 100,
                "dispersal_per_min": 0.05,
                "injury_rate_per_min": 0.0005,
                "death_rate_per_min": 0.0008,
                "zones": zones,
            },
        },
        "measures": measures,
        "task_duration": {"dist": "triangular", "low": 5, "mode": 10, "high": 20},
        "facts": [{"topic": "情况", "held_by": u, "text": f"{u}的情况。"} for u in units[:20]],
        "injects": injects,
        "answer_key": {
            "event_type": "危险化学品泄漏",
            "level": "II",
            "required_departments": units[:30],
            "commander_department": units[0],
            "measures": [
                {"measure": "evacuate", "params": {"radius_m": {"value": 2000, "tolerance": 500}}, "by": "30m"},
                {"measure": "stop_leak", "by": "40m"},
            ],
            "working_groups": ["综合协调组", "抢险救援组"],
        },
    }


def plan_data(seed: int = 0, departments: int = DEPARTMENTS, messages: int = MESSAGES) -> dict[str, Any]:
    rng = random.Random(seed + 1)
    units = [f"d{i:03d}" for i in range(departments - 2)]
    by = "duty_office"
    decisions: list[dict[str, Any]] = [
        {"at": 2, "by": by, "action": "assess", "event_type": "危险化学品泄漏", "level": "II"},
    ]
    sent = 0
    for i in range(0, len(units), 20):  # notices, twenty departments at a time
        group = units[i : i + 20]
        decisions.append({"at": 3 + i // 20, "by": by, "action": "notify", "to": group})
        sent += len(group)
    decisions += [
        {"at": 5, "by": by, "action": "report_up", "mode": "phone", "to": "city_duty", "level": "II"},
        {"at": 6, "by": by, "action": "appoint_commander", "person": "王立军", "department": units[0]},
        {"at": 8, "by": by, "action": "establish_command_post", "groups": [
            {"name": "综合协调组", "lead": units[0], "owner": "王立军"},
            {"name": "抢险救援组", "lead": units[1], "owner": "陈刚"},
        ]},
        {"at": 10, "by": by, "action": "order", "measure": "evacuate", "department": units[0],
         "params": {"radius_m": 2000}, "owner": "赵红"},
        {"at": 10, "by": by, "action": "order", "measure": "water_curtain", "department": units[1], "owner": "陈刚"},
        {"at": 12, "by": by, "action": "order", "measure": "stop_leak", "department": units[2], "owner": "陈刚"},
        {"at": 12, "by": by, "action": "order", "measure": "medical_treatment", "department": units[3],
         "owner": "刘敏"},
        {"at": 20, "by": by, "action": "report_up", "mode": "written", "to": "city_duty", "level": "II"},
    ]  # fmt: skip
    sent += 7  # two reports, the appointment and four orders
    n = 0
    while sent < messages:  # jobs for every department and notices to five at a time, spread over the drill
        n += 1
        if n % 2:
            decisions.append(
                {
                    "at": round(rng.uniform(15, DURATION_MIN - 30), 1),
                    "by": by,
                    "action": "assign",
                    "task": f"任务{n}",
                    "department": rng.choice(units),
                    "owner": f"负责人{n % 97}",
                }
            )
            sent += 1
        else:
            group = rng.sample(units, min(5, messages - sent))
            at = round(rng.uniform(15, DURATION_MIN - 30), 1)
            decisions.append({"at": at, "by": by, "action": "notify", "to": group})
            sent += len(group)
    decisions.append({"at": DURATION_MIN - 20, "by": by, "action": "close"})
    decisions.append(
        {
            "at": DURATION_MIN - 10,
            "by": by,
            "action": "review",
            "sections": {
                "原因和特点": "储罐泄漏，影响范围大。",
                "处置成效": "各部门按时到场。",
                "存在问题": "部分电话线路中断。",
                "创新点": "无线电环网备用。",
                "改进方向": "完善备用信道。",
            },
        }
    )
    return {"scenario": "synthetic_large", "name": "合成方案", "team": "基准", "decisions": decisions}


def scenario_yaml(seed: int = 0, departments: int = DEPARTMENTS) -> str:
    return yaml.safe_dump(scenario_data(seed, departments), allow_unicode=True, sort_keys=False)


def plan_yaml(seed: int = 0, departments: int = DEPARTMENTS, messages: int = MESSAGES) -> str:
    return yaml.safe_dump(plan_data(seed, departments, messages), allow_unicode=True, sort_keys=False)
