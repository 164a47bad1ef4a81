"""The coordination network: departments are nodes, channels are edges, and every message travels over it.

Covers: routing by expected delay (``networkx.shortest_path`` over the channels still up), a delay drawn at
each hop, loss with the channel's unreliability, resending after a silence, and giving up (undelivered) after
the scenario's number of attempts. A channel cut by an inject loses what is on it and drops out of routing; a
command post adds a hub next to the scene with fast radio links to every department, which is how good order
shows up as speed.
"""

from __future__ import annotations

import itertools
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import simpy

from simulator.engine.events import EventLog
from simulator.engine.streams import Streams
from simulator.formats.scenario import Scenario

HUB = "command_post"  # node id of the on-scene command post once it is set up


@dataclass(slots=True)
class Message:
    id: str
    kind: str  # notice, order, appointment, report, request, reply, task
    src: str
    dst: str
    payload: dict[str, Any] = field(default_factory=dict)


class CoordinationNetwork:
    def __init__(self, env: simpy.Environment, scenario: Scenario, streams: Streams, log: EventLog):
        self.env = env
        self.log = log
        self.streams = streams
        self.rules = scenario.network
        self.graph = nx.DiGraph()
        for dept in scenario.departments:
            self.graph.add_node(dept.id, name=dept.name, kind=dept.kind)
        self._channel_index = {ch.id: i for i, ch in enumerate(scenario.channels)}
        for ch in scenario.channels:
            ends = [(ch.from_, ch.to), (ch.to, ch.from_)] if ch.both_ways else [(ch.from_, ch.to)]
            for u, v in ends:
                self._add_channel(u, v, ch.id, ch.medium, ch.delay, ch.reliability)
        self.cut: set[str] = set()
        self._nodes_added = 0  # counts command posts joining: with ``cut``, it names the topology
        self._active: nx.DiGraph | None = None  # the channels up now; rebuilt when the topology changes
        # routes found so far, per topology: a restored channel brings back an earlier topology and its routes
        self._route_tables: dict[tuple[int, frozenset[str]], dict[tuple[str, str], list[str] | None]] = {}
        self._routes = self._route_tables.setdefault((0, frozenset()), {})
        self._ids = itertools.count(1)

    def _add_channel(self, u: str, v: str, channel: str, medium: str, delay, reliability: float) -> None:
        existing = self.graph.get_edge_data(u, v)
        if existing is not None and existing["expected"] <= delay.mean:
            return  # keep the faster of two parallel channels: it is the one people use
        self.graph.add_edge(
            u, v, channel=channel, medium=medium, delay=delay, reliability=reliability, expected=delay.mean
        )

    # -- topology changes ------------------------------------------------------------------------------
    def cut_channel(self, channel: str) -> None:
        self.cut.add(channel)
        self._topology_changed()

    def restore_channel(self, channel: str) -> None:
        self.cut.discard(channel)
        self._topology_changed()

    def _topology_changed(self) -> None:
        self._active = None
        self._routes = self._route_tables.setdefault((self._nodes_added, frozenset(self.cut)), {})

    def add_command_post(self, departments: list[str], delay, reliability: float) -> None:
        """The command post is a new node beside the scene, on radio with the departments given."""
        self._channel_index.setdefault(HUB, len(self._channel_index))
        self.graph.add_node(HUB, name="现场指挥部", kind="command_post")
        for dept in departments:
            self._add_channel(HUB, dept, HUB, "radio", delay, reliability)
            self._add_channel(dept, HUB, HUB, "radio", delay, reliability)
        self._nodes_added += 1
        self._topology_changed()

    def route(self, src: str, dst: str) -> list[str] | None:
        """The path of least expected delay over channels that are up, or None if there is none."""
        key = (src, dst)
        if key not in self._routes:
            if self._active is None:
                self._active = nx.DiGraph()
                self._active.add_nodes_from(self.graph)
                self._active.add_edges_from(
                    (u, v, {"expected": data["expected"]})
                    for u, v, data in self.graph.edges(data=True)
                    if data["channel"] not in self.cut
                )
            try:
                self._routes[key] = nx.shortest_path(self._active, src, dst, weight="expected")
            except (nx.NetworkXNoPath, nx.NodeNotFound):
                self._routes[key] = None
        return self._routes[key]

    # -- messages ----------------------------------------------------------------------------------------
    def new_message(self, kind: str, src: str, dst: str, **payload: Any) -> Message:
        return Message(f"m{next(self._ids)}", kind, src, dst, payload)

    def transmit(self, msg: Message) -> Generator[simpy.Event, Any, bool]:
        """Carry ``msg`` hop by hop; resend after a silence; return whether it arrived.

        Used with ``yield from`` inside the sender's process, so the sender's story waits for its message.
        """
        env = self.env
        first_sent = env.now
        for attempt in range(1, self.rules.max_attempts + 1):
            path = self.route(msg.src, msg.dst)
            if path is None:
                self._log(
                    "message_lost",
                    msg,
                    at_node=msg.src,
                    channel=None,
                    attempt=attempt,
                    reason="无可用信道 (no channel up)",
                )
            else:
                self._log("message_sent", msg, attempt=attempt, path=path)
                if (yield from self._travel(msg, path, attempt)):
                    self._log("message_delivered", msg, sent_t=round(first_sent, 3))
                    return True
            if attempt < self.rules.max_attempts:
                yield env.timeout(self.rules.resend_after)
        self._log("message_undelivered", msg, reason=f"{self.rules.max_attempts} 次发送均未送达 (all attempts failed)")
        return False

    def _travel(self, msg: Message, path: list[str], attempt: int) -> Generator[simpy.Event, Any, bool]:
        for u, v in itertools.pairwise(path):
            edge = self.graph[u][v]
            index = self._channel_index[edge["channel"]]
            yield self.env.timeout(edge["delay"].sample(self.streams.get("channel_delay", index)))
            draw = self.streams.get("channel_loss", index).random()
            if edge["channel"] in self.cut or draw >= edge["reliability"]:
                self._log("message_lost", msg, at_node=u, channel=edge["channel"], attempt=attempt)
                return False
        return True

    def _log(self, kind: str, msg: Message, **details: Any) -> None:
        """Every message event names the message, its kind and both ends, then what happened to it."""
        self.log.append(self.env.now, kind, msg=msg.id, msg_kind=msg.kind, **{"from": msg.src}, to=msg.dst, **details)
