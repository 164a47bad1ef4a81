"""The coordination network: departments are nodes, channels are edges, and every message travels over it.

Covers: routing by expected delay (``networkx.shortest_path`` over the channels still up), a delay drawn at
each hop, loss with the channel's unreliability, resending after a silence, and giving up (undelivered) after
the scenario's number of attempts. A channel cut by an inject loses what is on it and drops out of routing; a
command post adds a hub next to the scene with fast radio links to every department, which is how good order
shows up as speed.

The network's shape depends on the scenario alone, and within a drill on which channels are cut and whether
the command post is up. That is worked out once per loaded scenario (``Topology``), with a table of routes per
shape, so the thousand drills of a batch, or the replays of a live drill, route without searching again.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import simpy

from simulator.engine.events import EventLog
from simulator.engine.streams import Streams
from simulator.formats.distributions import Distribution
from simulator.formats.scenario import Scenario
from simulator.identity import PerObject

HUB = "command_post"  # node id of the on-scene command post once it is set up

Route = list[str] | None  # the nodes a message passes, or None when no channel leads there


@dataclass(frozen=True, slots=True)
class Link:
    """One direction of a channel, as messages use it."""

    channel: str
    index: int  # which random streams the channel's delays and losses come from
    medium: str
    delay: Distribution
    reliability: float

    @property
    def expected(self) -> float:
        return self.delay.mean


class Topology:
    """A scenario's channels as links, and the routes found so far for each shape of the network.

    A shape is (command post up?, channels cut). Built once per scenario object (see ``topology``); scenarios
    are never changed after loading, and a changed copy is a new object with its own topology.
    """

    def __init__(self, scenario: Scenario):
        self.nodes = [d.id for d in scenario.departments]
        self.links: dict[tuple[str, str], Link] = {}
        for index, ch in enumerate(scenario.channels):
            link = Link(ch.id, index, ch.medium, ch.delay, ch.reliability)
            for u, v in [(ch.from_, ch.to), (ch.to, ch.from_)] if ch.both_ways else [(ch.from_, ch.to)]:
                self._add(self.links, u, v, link)
        cp = scenario.command_post
        radio = Link(HUB, len(scenario.channels), "radio", cp.delay, cp.reliability)
        self.with_hub = dict(self.links)
        for dept in scenario.departments:
            if dept.kind != "higher_level":
                self._add(self.with_hub, HUB, dept.id, radio)
                self._add(self.with_hub, dept.id, HUB, radio)
        self._routes: dict[tuple[bool, frozenset[str]], dict[tuple[str, str], Route]] = {}
        self._graphs: dict[tuple[bool, frozenset[str]], nx.DiGraph] = {}  # the channels up, per shape

    @staticmethod
    def _add(links: dict[tuple[str, str], Link], u: str, v: str, link: Link) -> None:
        existing = links.get((u, v))
        if existing is None or link.expected < existing.expected:
            links[(u, v)] = link  # of two parallel channels people use the faster

    def routes(self, hub: bool, cut: frozenset[str]) -> dict[tuple[str, str], Route]:
        """The route table of one shape of the network, filled in as pairs are asked for."""
        return self._routes.setdefault((hub, cut), {})

    def find_route(self, hub: bool, cut: frozenset[str], src: str, dst: str) -> Route:
        """The path of least expected delay over channels that are up."""
        graph = self._graphs.get((hub, cut))
        if graph is None:  # built whole, then shared: drills of one scenario run in threads (app sessions, batch)
            graph = nx.DiGraph()
            graph.add_nodes_from(self.nodes)
            if hub:
                graph.add_node(HUB)
            graph.add_weighted_edges_from(
                (u, v, link.expected)
                for (u, v), link in (self.with_hub if hub else self.links).items()
                if link.channel not in cut
            )
            self._graphs[(hub, cut)] = graph
        try:
            return nx.shortest_path(graph, src, dst, weight="weight")
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None


_TOPOLOGIES: PerObject[Topology] = PerObject()


def topology(scenario: Scenario) -> Topology:
    """The scenario's topology, built on first use and kept while the scenario object lives."""
    return _TOPOLOGIES.get(scenario, lambda: Topology(scenario))


@dataclass(slots=True)
class Message:
    id: str
    kind: str  # a key of vocabulary.MESSAGE_KINDS: notice, order, appointment, report, request, reply, office_report
    src: str
    dst: str
    payload: dict[str, Any] = field(default_factory=dict)
    #: the fields every event of the message starts with: which message, its kind, both ends
    head: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.head = {"msg": self.id, "msg_kind": self.kind, "from": self.src, "to": self.dst}


class CoordinationNetwork:
    def __init__(self, env: simpy.Environment, scenario: Scenario, streams: Streams, log: EventLog):
        self.env = env
        self.log = log
        self.streams = streams
        self.rules = scenario.network
        self.topology = topology(scenario)
        self.links = self.topology.links  # the links of the current shape
        self.hub = False
        self.cut: set[str] = set()
        self._routes = self.topology.routes(False, frozenset())
        self._ids = itertools.count(1)

    # -- topology changes ------------------------------------------------------------------------------
    def cut_channel(self, channel: str) -> None:
        self.cut.add(channel)
        self._shape_changed()

    def restore_channel(self, channel: str) -> None:
        self.cut.discard(channel)
        self._shape_changed()

    def add_command_post(self) -> None:
        """The command post is a new node beside the scene, on radio with every department but the higher level."""
        self.hub = True
        self.links = self.topology.with_hub
        self._shape_changed()

    def _shape_changed(self) -> None:
        self._routes = self.topology.routes(self.hub, frozenset(self.cut))

    def route(self, src: str, dst: str) -> Route:
        """The path of least expected delay over channels that are up, or None if there is none."""
        key = (src, dst)
        try:
            return self._routes[key]
        except KeyError:
            path = self._routes[key] = self.topology.find_route(self.hub, frozenset(self.cut), src, dst)
            return path

    # -- messages ----------------------------------------------------------------------------------------
    def new_message(self, kind: str, src: str, dst: str, **payload: Any) -> Message:
        return Message(f"m{next(self._ids)}", kind, src, dst, payload)

    def send(
        self, msg: Message, before: float | None = None, on_delivery: Callable[[Message], None] | None = None
    ) -> Generator[simpy.Event, Any, None]:
        """The sender's process: (prepare for ``before`` minutes, a written report's drafting,) send ``msg`` hop by
        hop; resend after a silence; give up after the scenario's number of attempts; on delivery, ``on_delivery``.

        One generator for the whole story of a message, so each of its SimPy events resumes one frame.
        """
        env = self.env
        rules = self.rules
        log = self.log.add
        stream = self.streams.get
        if before is not None:
            yield env.timeout(before)
        first_sent = env.now
        for attempt in range(1, rules.max_attempts + 1):
            path = self.route(msg.src, msg.dst)
            if path is None:
                reason = "无可用信道 (no channel up)"
                log(
                    env.now,
                    "message_lost",
                    {**msg.head, "at_node": msg.src, "channel": None, "attempt": attempt, "reason": reason},
                )
            else:
                decision = msg.payload.get("decision")
                log(env.now, "message_sent", {**msg.head, "attempt": attempt, "path": path, "decision": decision})
                for u, v in itertools.pairwise(path):
                    link = self.links[(u, v)]  # of the network's shape as the message reaches the hop
                    yield env.timeout(link.delay.sample(stream("channel_delay", link.index)))
                    draw = stream("channel_loss", link.index).random()
                    if link.channel in self.cut or draw >= link.reliability:
                        lost = {**msg.head, "at_node": u, "channel": link.channel, "attempt": attempt}
                        log(env.now, "message_lost", lost)
                        break
                else:  # every hop passed
                    log(env.now, "message_delivered", {**msg.head, "sent_t": round(first_sent, 3)})
                    if on_delivery is not None:
                        on_delivery(msg)
                    return
            if attempt < rules.max_attempts:
                yield env.timeout(rules.resend_after)
        reason = f"{rules.max_attempts} 次发送均未送达 (all attempts failed)"
        log(env.now, "message_undelivered", {**msg.head, "reason": reason})
