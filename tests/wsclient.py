"""A blocking WebSocket client for the tests whose every TLS read and write happens on one thread.

websockets' own sync client reads in a background thread while the caller's thread writes. Over
TLS both then use one OpenSSL session at once, which OpenSSL does not allow: now and then the
opening request was lost, and a test waited 30 s for an answer nginx never got (CI, stop 31; on
2 busy cores about one run in fifteen). Here websockets' asyncio client runs on an event loop
of its own, in one thread; the test's calls wait on it. Same names as websockets.sync.client.
"""
from __future__ import annotations

import asyncio
import threading
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as _connect


class WebSocket:
    def __init__(self, uri: str, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="websocket", daemon=True)
        self._thread.start()
        try:
            self._ws: ClientConnection = self._wait(self._open(uri, options))
        except BaseException:
            self._stop()
            raise

    @staticmethod
    async def _open(uri: str, options: dict) -> ClientConnection:
        return await _connect(uri, **options)

    def _wait(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    @property
    def response(self):
        return self._ws.response

    def send(self, message: str | bytes) -> None:
        self._wait(self._ws.send(message))

    def recv(self, timeout: float | None = None) -> str | bytes:
        """The next message; TimeoutError after ``timeout`` seconds, ConnectionClosed once closed."""
        return self._wait(asyncio.wait_for(self._ws.recv(), timeout))

    def close(self) -> None:
        try:
            self._wait(self._ws.close())
        finally:
            self._stop()

    def _stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> "WebSocket":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connect(uri: str, **options: Any) -> WebSocket:
    """As websockets.sync.client.connect: ``open_timeout``, ``ssl``, ``origin``, ``subprotocols``,
    ``additional_headers``, ``compression``; InvalidStatus when the server refuses."""
    return WebSocket(uri, **options)
