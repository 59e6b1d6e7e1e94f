"""A network path between the browser and the server that can be cut, as a phone's is in a
tunnel or between two cell towers.

Chromium's offline mode (``context.set_offline``) only stops new requests; an open WebSocket
goes on as if nothing happened. Here every connection through the relay is reset at once and
new ones are refused until the network is back, so the page really loses its server.
"""
from __future__ import annotations

import socket
import struct
import threading


class Relay:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            pair = (client, upstream)
            with self._lock:
                self._pairs.add(pair)
            for src, dst in (pair, pair[::-1]):
                threading.Thread(target=self._pipe, args=(src, dst, pair), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, pair) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in pair:
                _reset(s)
            with self._lock:
                self._pairs.discard(pair)

    def cut(self) -> None:
        """Reset every connection now, and refuse new ones."""
        self.up = False
        with self._lock:
            pairs = list(self._pairs)
        for pair in pairs:
            for s in pair:
                _reset(s)

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


def _reset(s: socket.socket) -> None:
    """Close with a TCP reset, as a dropped mobile connection looks to both ends."""
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.shutdown(socket.SHUT_RD)  # wakes the thread reading it; close then sends the reset
    except OSError:
        pass
    s.close()
