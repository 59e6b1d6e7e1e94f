"""Rate limits at the proxy (deploy/nginx.conf.template): a hospital's Wi-Fi, many phones behind
one address, is always served; one address that floods (too many requests, too many open
connections) gets a plain 429, and everyone else keeps being served.

Each test is its own client address on loopback (127.0.0.x: any of them reaches the stack), as
each phone network is its own address in the world; the limits count per address."""
from __future__ import annotations

import asyncio
import re

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from deploy.stack import CONN_LIMIT, REQ_BURST
from tests.conftest import in_thread

PHONES = 60


def client(stack, address: str, http2: bool = True) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=address, verify=stack.ssl_context(), http2=http2)
    return httpx.AsyncClient(base_url=stack.base, transport=transport, timeout=60)


async def websocket(stack, address: str):
    """Streamlit's WebSocket, opened as the page opens it (its origin, its subprotocol)."""
    return await connect(stack.base.replace("https", "wss") + "/_stcore/stream", subprotocols=["streamlit"],
                         origin=stack.base, ssl=stack.ssl_context(), local_addr=(address, 0), open_timeout=60)


async def static_files(stack) -> list[str]:
    async with client(stack, "127.0.0.9") as http:
        page = (await http.get("/check?lang=zh")).text
    return ["/" + path for path in re.findall(r'(?:src|href)="\./(static/[^"]+)"', page)]


def test_sixty_phones_behind_one_hospital_address_are_all_served(stack):
    """Sixty phones open the self-check together: the page, its health and config checks, about
    forty of Streamlit's files each, and the WebSocket each keeps open while walking."""
    async def phone(files: list[str]) -> tuple[list[int], object]:
        async with client(stack, "127.0.0.4") as http:
            urls = ["/check?lang=zh", "/_stcore/health", "/_stcore/host-config", *(files * 40)[:40]]
            answers = await asyncio.gather(*(http.get(url) for url in urls))
        return [a.status_code for a in answers], await websocket(stack, "127.0.0.4")

    async def sixty() -> tuple[list[int], int]:
        files = await static_files(stack)
        assert files
        phones = await asyncio.gather(*(phone(files) for _ in range(PHONES)))
        statuses = [s for got, _ in phones for s in got]
        open_now = sum(1 for _, ws in phones if ws.protocol.state.name == "OPEN")
        await asyncio.gather(*(ws.close() for _, ws in phones))
        return statuses, open_now

    statuses, open_now = in_thread(asyncio.run, sixty())
    assert len(statuses) == PHONES * 43
    assert set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    assert open_now == PHONES


def test_one_address_sending_too_many_requests_gets_429_and_others_are_still_served(stack):
    flood = REQ_BURST + 400

    async def run() -> tuple[list[int], int, str]:
        # HTTP/1.1 on up to 50 connections (nginx ends an HTTP/2 connection after 1,000 requests).
        async with client(stack, "127.0.0.5", http2=False) as http:
            gate = asyncio.Semaphore(50)

            async def one() -> httpx.Response:
                async with gate:
                    return await http.get("/_stcore/health")

            answers = await asyncio.gather(*(one() for _ in range(flood)))
        refused = next(a for a in answers if a.status_code == 429)
        async with client(stack, "127.0.0.6") as other:
            page = await other.get("/?lang=en")
        return [a.status_code for a in answers], page.status_code, refused.text

    statuses, other, refused = in_thread(asyncio.run, run())
    assert set(statuses) == {200, 429}
    assert statuses.count(200) >= REQ_BURST  # the burst a hospital's Wi-Fi may need is served in full
    assert statuses.count(429) >= 300
    assert "429" in refused
    assert other == 200


def test_one_address_opening_too_many_connections_gets_429_and_others_are_still_served(stack):
    async def run() -> tuple[int, list[int], int, bool]:
        opened = await asyncio.gather(*(websocket(stack, "127.0.0.7") for _ in range(CONN_LIMIT + 40)), return_exceptions=True)
        sockets = [ws for ws in opened if not isinstance(ws, BaseException)]
        refused = [e.response.status_code for e in opened if isinstance(e, InvalidStatus)]
        async with client(stack, "127.0.0.8") as other:
            page = (await other.get("/check?lang=zh")).status_code
        ws = await websocket(stack, "127.0.0.8")
        other_ws = ws.protocol.state.name == "OPEN"
        await ws.close()
        await asyncio.gather(*(s.close() for s in sockets))
        return len(sockets), refused, page, other_ws

    held, refused, page, other_ws = in_thread(asyncio.run, run())
    assert held <= CONN_LIMIT
    assert refused and set(refused) == {429}
    assert held + len(refused) == CONN_LIMIT + 40
    assert page == 200 and other_ws
