"""A browser tab of the app without the browser: Streamlit's own websocket protocol, spoken from asyncio.

A load test of the drill room needs 170 tabs (ten rooms of a console, a big screen and fifteen seats); 170 Chromium
pages would not fit on the machine they load. The server cannot tell a :class:`Tab` from a browser's tab: it opens
``/_stcore/stream`` with the browser's cookie (the sign-in, ``ui.common.COOKIE``) and the page's name, sends the
same ``BackMsg`` protobufs the page's JavaScript sends — a rerun with every widget's value, a click as a button's
trigger, and each fragment's auto-rerun every ``run_every`` seconds, as the browser's timer sends it — and reads the
same ``ForwardMsg`` deltas, each element handed to the tab's watcher as it arrives (what a person would see appear).
Used by ``benchmarks/bench_room.py`` and by the two-servers test.

The tab draws nothing, so its own cost is parsing protobufs: about a tenth of what the server spends on each run.
It only ever talks to the address it is given (the load tools give it 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

#: the widgets a tab can fill in, and the field of ``WidgetState`` each value travels in
VALUE_FIELDS = {"text_area": "string_value", "text_input": "string_value", "checkbox": "bool_value"}
#: called for every element the server sends: (tab, delta path, element, time it arrived)
Watcher = Callable[["Tab", tuple[int, ...], Element, float], None]


class TabClosed(Exception):
    """The server went away (killed, restarted) or closed the tab's connection."""


class Tab:
    """One browser tab on ``page`` (a URL path such as ``seat`` or ``console``) of the app at ``base``."""

    def __init__(self, base: str, page: str = "", cookies: dict[str, str] | None = None, watch: Watcher | None = None):
        self.base, self.page, self.cookies, self.watch = base, page, cookies or {}, watch
        self.widgets: dict[str, tuple[str, str]] = {}  # the widget's key → (its id, its element type)
        self.values: dict[str, tuple[str, Any]] = {}  # widget id → (WidgetState field, value): what the page holds
        self.page_hash = ""
        self.errors: list[str] = []  # exceptions and 系统出错 shown by the page
        self.closed = False
        self._ws: Any = None
        self._tasks: list[asyncio.Task] = []
        self._fragments: dict[str, float] = {}  # fragment id → its run_every, in seconds
        self._idle = asyncio.Event()
        self._idle.set()

    # ---------------------------------------------------------------- connection
    async def open(self, timeout: float = 60.0) -> None:
        """Load the page as a browser does: connect, ask for the first run, and wait until it finished."""
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        url = self.base.replace("http://", "ws://", 1) + "/_stcore/stream"
        self._ws = await websockets.connect(
            url, subprotocols=["streamlit"], additional_headers=headers, max_size=None, open_timeout=timeout
        )
        self._tasks.append(asyncio.create_task(self._read()))
        await self._rerun()
        await self.settled(timeout)

    async def close(self) -> None:
        self.closed = True
        for task in self._tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            await self._ws.close()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def settled(self, timeout: float = 60.0) -> None:
        """Until the script run in progress (if any) has finished; :class:`TabClosed` if the server went away."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            raise TabClosed(f"no end of the run within {timeout:.0f} s") from None
        if self.closed:
            raise TabClosed("the server closed the connection")

    # ---------------------------------------------------------------- what a person does
    def fill(self, key: str, value: Any) -> None:
        """Type into (or tick) the widget with ``key``, as it is drawn now; sent with the next run."""
        widget_id, kind = self.widgets[key]
        self.values[widget_id] = (VALUE_FIELDS[kind], value)

    async def click(self, key: str) -> float:
        """Click the button with ``key``: a rerun carrying its trigger and every value the page holds. Returns the
        moment it was sent (``time.monotonic``); the run's end is :meth:`settled`."""
        widget_id, _ = self.widgets[key]
        return await self._rerun(trigger=widget_id)

    # ---------------------------------------------------------------- the protocol
    async def _rerun(self, trigger: str | None = None, fragment: str = "") -> float:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        state.page_name = self.page if not self.page_hash else ""
        state.page_script_hash = self.page_hash
        state.fragment_id = fragment
        state.is_auto_rerun = bool(fragment)
        for widget_id, (field, value) in self.values.items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            setattr(widget, field, value)
        if trigger is not None:
            widget = state.widget_states.widgets.add()
            widget.id = trigger
            widget.trigger_value = True
        self._idle.clear()
        sent = time.monotonic()
        try:
            await self._ws.send(message.SerializeToString())
        except websockets.ConnectionClosed:
            self._gone()
            raise TabClosed("the server closed the connection") from None
        return sent

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                message = ForwardMsg()
                message.ParseFromString(raw)
                self._take(message, time.monotonic())
        except (websockets.ConnectionClosed, OSError):
            pass
        self._gone()

    def _gone(self) -> None:
        self.closed = True
        self._idle.set()  # whoever waits for a run learns the tab is closed

    def _take(self, message: ForwardMsg, now: float) -> None:
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            path = tuple(message.metadata.delta_path)
            element = message.delta.new_element
            self._learn(element)
            if self.watch is not None:
                self.watch(self, path, element, now)
        elif kind == "navigation":
            self.page_hash = message.navigation.page_script_hash
        elif kind == "auto_rerun":
            fragment = message.auto_rerun.fragment_id
            if fragment not in self._fragments:
                self._tasks.append(asyncio.create_task(self._every(fragment, message.auto_rerun.interval)))
            self._fragments[fragment] = message.auto_rerun.interval
        elif kind == "session_status_changed":
            if message.session_status_changed.script_is_running:
                self._idle.clear()
            else:
                self._idle.set()

    def _learn(self, element: Element) -> None:
        """Note a widget's id under its key, and take a value the server set (the browser follows such a set)."""
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "alert" and body.body.startswith("系统出错"):
            self.errors.append(body.body)
        elif kind == "exception":
            self.errors.append(body.message)
        widget_id = getattr(body, "id", "")
        if not widget_id.startswith("$$ID-"):
            return
        self.widgets[widget_id.split("-", 2)[2]] = (widget_id, kind)
        if kind in VALUE_FIELDS and getattr(body, "set_value", False):
            self.values[widget_id] = (VALUE_FIELDS[kind], body.value)

    async def _every(self, fragment: str, interval: float) -> None:
        """A fragment's ``run_every``: the browser's timer asks for the fragment's run, unless a run is going on."""
        while not self.closed:
            await asyncio.sleep(self._fragments.get(fragment, interval))
            if self._idle.is_set() and not self.closed:
                with contextlib.suppress(TabClosed):
                    await self._rerun(fragment=fragment)


def table(element: Element) -> pa.Table | None:
    """An ``st.dataframe`` element's rows (Arrow IPC, as the browser reads them); None for any other element."""
    if element.WhichOneof("type") != "dataframe":
        return None
    data = element.dataframe.arrow_data.data
    return pa.ipc.open_stream(data).read_all() if data else None
