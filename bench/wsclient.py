"""A visitor without a browser: Streamlit's own WebSocket protocol, spoken with its own protobuf
classes (BackMsg out, ForwardMsg in), the way its frontend speaks it.

Used by bench/load.py. What it does per tap is what the frontend does: send a ``rerun_script``
with the value of every widget on screen (the tapped one changed), then read the server's
messages until the run has finished. The time in between is what a visitor waits for the
screen's new content. It sends and keeps nothing else: no answer is ever put in a URL. After a
dropped connection, ``reconnect`` does what the frontend does: it pings the server, then opens a
WebSocket naming the session the page had, which the server resumes if it still holds it.
"""
from __future__ import annotations

import asyncio
import html
import re
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

# What an https base is checked against when a Visitor is given nothing else: the system's
# certificates, or (bench/load.py --stack) the stack's own self-signed one.
DEFAULT_VERIFY: ssl.SSLContext | bool = True
# permessage-deflate, offered as every browser offers it, so the server compresses for these
# sessions as it does for phones; None: not offered (bench.load --no-ws-compression).
COMPRESSION: str | None = "deflate"
XSRF_COOKIE = "_streamlit_xsrf"
_DONE = {ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY, ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
_WIDGETS = ("button", "radio", "text_input")


def html_text(body: str) -> str:
    """The words an st.html element shows (none for a style sheet or a script)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@dataclass
class Widget:
    kind: str  # button, radio, text_input
    id: str
    options: tuple[str, ...] = ()
    disabled: bool = False
    fragment: str = ""  # the innermost st.fragment it is drawn in: a tap on it reruns only that fragment
    path: tuple[int, ...] = ()  # where it is drawn (the delta path)

    @property
    def key(self) -> str:
        """The key the app gave it (Streamlit ids end in "-<key>")."""
        return self.id.rsplit("-", 1)[-1]


@dataclass
class Screen:
    """What one script run drew: its widgets by key, texts of headings, markdown, alerts and the app's
    own HTML, and any exception."""

    widgets: dict[str, Widget] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)


class Visitor:
    """One browser tab's session. ``base`` is http(s)://host:port; ``query`` the page's query string."""

    def __init__(self, base: str, timeout: float = 60.0, verify: ssl.SSLContext | bool | None = None):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.verify = DEFAULT_VERIFY if verify is None else verify
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.values: dict[str, WidgetState] = {}
        self.screen = Screen()
        self.cookies = httpx.Cookies()
        self.session_id = ""  # the server's id for this session, from its first run
        self.round_trips: list[tuple[float, float]] = []  # (time.monotonic() at its end, seconds) of each tap
        self._areas: dict[str, tuple[int, ...]] = {}  # each fragment's place on the page (a delta path's start)
        self._ws = None

    async def open(self, path: str = "/", query: str = "lang=en") -> float:
        """Load the page as a browser does (HTML, health, host config, WebSocket, first run);
        seconds until its first run finished. Static JavaScript is left out: a phone has it
        cached after its first visit, and in production the proxy serves it from its cache."""
        start = time.perf_counter()
        async with httpx.AsyncClient(base_url=self.base, timeout=self.timeout, cookies=self.cookies, verify=self.verify) as http:
            for url in (f"{path}?{query}", "/_stcore/health", "/_stcore/host-config"):
                (await http.get(url)).raise_for_status()
            self.cookies = http.cookies
        await self._connect(["streamlit"])
        self.query = query
        await self._rerun(page_name=path.strip("/"))
        return time.perf_counter() - start

    async def reconnect(self, seconds: float = 60.0) -> float:
        """After the connection dropped, what Streamlit's page does: ping the server (health and
        host config) until it answers, then open a WebSocket that names the session this page had
        (the third entry of its subprotocols; the second is the XSRF cookie). The server resumes
        that session if it still holds it, or starts a new one; nothing is run until the page asks.
        Seconds until the WebSocket is open."""
        start = time.perf_counter()
        delay = 0.2
        async with httpx.AsyncClient(base_url=self.base, timeout=self.timeout, cookies=self.cookies, verify=self.verify) as http:
            while True:
                try:
                    for url in ("/_stcore/health", "/_stcore/host-config"):
                        (await http.get(url)).raise_for_status()
                    break
                except httpx.HTTPError:
                    if time.perf_counter() - start > seconds:
                        raise
                    await asyncio.sleep(delay)
                    delay = min(2 * delay, 2.0)
            self.cookies = http.cookies
        await self._connect(["streamlit", self.cookies.get(XSRF_COOKIE) or "PLACEHOLDER_AUTH_TOKEN", self.session_id])
        return time.perf_counter() - start

    async def _connect(self, subprotocols: list[str]) -> None:
        split = urlsplit(self.base)
        ws_url = ("wss" if split.scheme == "https" else "ws") + f"://{split.netloc}/_stcore/stream"
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        tls = {"ssl": self.verify} if split.scheme == "https" and isinstance(self.verify, ssl.SSLContext) else {}
        self._ws = await connect(
            ws_url, subprotocols=subprotocols, origin=self.base, max_size=None, compression=COMPRESSION,
            additional_headers={"Cookie": cookie} if cookie else None, open_timeout=self.timeout, **tls,
        )

    async def go(self, url_path: str) -> float:
        """Follow a page link (st.page_link): a rerun on that page."""
        self.page_hash = self.pages[url_path]
        self.values.clear()
        return await self._timed()

    async def tap(self, key: str) -> float:
        return await self._timed(WidgetState(id=self.screen.widgets[key].id, trigger_value=True))

    async def choose(self, key: str, index: int) -> float:
        widget = self.screen.widgets[key]
        return await self._timed(WidgetState(id=widget.id, string_value=widget.options[index]))

    async def type(self, key: str, text: str) -> float:
        return await self._timed(WidgetState(id=self.screen.widgets[key].id, string_value=text))

    async def again(self, fragment: str = "") -> float:
        """The same screen asked for again, as the check's fragment (``fragment``) or the whole
        page: what a tap costs the server, without the tap changing anything."""
        return await self._timed(fragment=fragment)

    def fragment_of(self, key: str) -> str:
        return self.screen.widgets[key].fragment

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def _timed(self, changed: WidgetState | None = None, fragment: str | None = None) -> float:
        start = time.perf_counter()
        await self._rerun(changed=changed, fragment=fragment)
        seconds = time.perf_counter() - start
        self.round_trips.append((time.monotonic(), seconds))
        return seconds

    async def _rerun(self, changed: WidgetState | None = None, page_name: str = "", fragment: str | None = None) -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = page_name
        if fragment is None:
            tapped = next((w for w in self.screen.widgets.values() if changed is not None and w.id == changed.id), None)
            fragment = tapped.fragment if tapped else ""
        state.fragment_id = fragment
        if changed is not None and not changed.HasField("trigger_value"):
            self.values[changed.id] = changed
        kept = [v for k, v in self.values.items() if changed is None or k != changed.id or not changed.HasField("trigger_value")]
        state.widget_states.widgets.extend(kept)
        if changed is not None and changed.HasField("trigger_value"):
            state.widget_states.widgets.append(changed)
        await self._ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._read_run(fragment), self.timeout)

    async def _read_run(self, fragment: str = "") -> None:
        def fresh() -> Screen:
            # A fragment's run redraws only that fragment: what is outside it stays on screen. A
            # fragment drawn inside it (a question of the check) is redrawn with it.
            inside = self._areas.get(fragment)
            kept = {k: w for k, w in self.screen.widgets.items()
                    if fragment and w.fragment != fragment and not (inside is not None and w.path[:len(inside)] == inside)}
            return Screen(widgets=kept)

        def draws(fragment_id: str, path: tuple[int, ...]) -> None:
            # A fragment's area: where all it drew has the same start (its own container).
            area = areas.get(fragment_id)
            if area is None:
                areas[fragment_id] = path
            else:
                n = 0
                while n < min(len(area), len(path)) and area[n] == path[n]:
                    n += 1
                areas[fragment_id] = area[:n]

        areas: dict[str, tuple[int, ...]] = {}

        screen = fresh()
        while True:
            data = await self._ws.recv()
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                screen = fresh()
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "delta" and fwd.delta.fragment_id:
                draws(fwd.delta.fragment_id, tuple(fwd.metadata.delta_path))
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                which = element.WhichOneof("type")
                if which in _WIDGETS:
                    proto = getattr(element, which)
                    widget = Widget(which, proto.id, tuple(getattr(proto, "options", ())), getattr(proto, "disabled", False),
                                    fwd.delta.fragment_id, tuple(fwd.metadata.delta_path))
                    screen.widgets[widget.key] = widget
                elif which == "exception":
                    screen.exceptions.append(element.exception.message)
                elif which in ("heading", "markdown", "alert"):
                    screen.texts.append(getattr(element, which).body)
                elif which == "html" and (text := html_text(element.html.body)):
                    screen.texts.append(text)
            elif kind == "script_finished" and fwd.script_finished in _DONE:
                # The frontend forgets the values of widgets no longer drawn.
                ids = {w.id for w in screen.widgets.values()}
                self.values = {k: v for k, v in self.values.items() if k in ids}
                self.screen = screen
                self._areas.update(areas)
                return
