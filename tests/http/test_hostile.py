"""Hostile links and requests, against the app's own server and the same through the proxy:
each answers with a page in the default language or a plain 4xx, never a traceback, a file
from disk or an echo of what was sent, and the server keeps serving."""
from __future__ import annotations

import http.client
import re
import socket
import time
import ssl
from urllib.parse import urlsplit

import html5lib
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from tests.wsclient import connect

from tests.conftest import HANDSHAKE_S, verify_for
from tests.http.hostile import ECHO_MARKERS, LEAK_MARKERS, PATHS, QUERIES


def raw_get(base: str, target: str, extra: str = "") -> tuple[int, http.client.HTTPMessage, str]:
    """A request sent byte for byte as written: no client-side normalising of '..' or escapes
    (over TLS, with HTTP/1.1, to the proxy)."""
    split = urlsplit(base)
    plain = socket.create_connection((split.hostname, split.port), timeout=30)
    with verify_for(base).wrap_socket(plain, server_hostname=split.hostname) if split.scheme == "https" else plain as sock:
        try:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {split.netloc}\r\n{extra}Connection: close\r\n\r\n".encode("latin-1"))
        except (ssl.SSLEOFError, BrokenPipeError, ConnectionResetError):
            pass  # answered (414, 400) and closed before the whole request was read: the answer is read below
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.headers, response.read().decode("utf-8", "replace")


def assert_harmless(base: str, target: str, extra: str = "") -> None:
    status, headers, body = raw_get(base, target, extra)
    assert status == 200 or 400 <= status < 500 or status == 302, (target[:80], status)
    if status == 302:  # an address that is no page: the home page, in English, nothing of the address kept
        assert headers["location"] in ("/?lang=en", "/?lang=en&kiosk=1"), (target[:80], headers["location"])
    for marker in LEAK_MARKERS + ECHO_MARKERS:
        assert marker not in body, (target[:80], marker)
    assert "x=1" not in (headers.get("set-cookie") or "")
    assert "X-Injected" not in str(headers)
    if status == 200 and (headers.get("content-type") or "").startswith("text/html"):
        assert html5lib.parse(body, namespaceHTMLElements=False).get("lang") == "en", target[:80]
    # and the server still serves
    assert raw_get(base, "/_stcore/health")[0] == 200


@pytest.fixture(params=["app", "proxy"])
def target(request):
    return request.getfixturevalue("server" if request.param == "app" else "proxy")


@pytest.mark.parametrize("page", ["/", "/check", "/handout"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q[:40])
def test_a_hostile_query_string_gets_the_page_in_the_default_language(target, page, query):
    assert_harmless(target, f"{page}?{query}")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p[:40])
def test_a_hostile_path_gets_a_page_or_a_plain_4xx_and_no_file_from_disk(target, path):
    assert_harmless(target, path)


@pytest.mark.parametrize(
    "header",
    [
        "Accept-Language: " + "zh-CN;q=" * 2000 + "\r\n",
        "Accept-Language: <script>alert(1)</script>;q=abc\r\n",
        "Accept-Encoding: br;q=nan, gzip;q=-1, *;q=x\r\n",
        "Cookie: " + "a" * 30000 + "\r\n",
        "If-None-Match: " + '"zzzzzzzzzz",' * 500 + "\r\n",
    ],
    ids=["long-accept-language", "markup-accept-language", "odd-accept-encoding", "huge-cookie", "many-etags"],
)
def test_hostile_headers_get_a_page_or_a_plain_4xx(target, header):
    assert_harmless(target, "/?lang=en", header)


def _stream(base: str):
    split = urlsplit(base)
    if split.scheme == "https":
        return connect(f"wss://{split.netloc}/_stcore/stream", subprotocols=["streamlit"], origin=base, open_timeout=HANDSHAKE_S,
                       ssl=verify_for(base))
    return connect(f"ws://{split.netloc}/_stcore/stream", subprotocols=["streamlit"], origin=base, open_timeout=HANDSHAKE_S)


@pytest.mark.parametrize("frame", [b"\x00\xff not a protobuf", "text, not binary", b"\x0a" * 3_000_000], ids=["garbage", "text", "huge"])
def test_a_broken_websocket_message_closes_that_connection_only(target, frame):
    """Garbage on the app's WebSocket ends that connection, tells it nothing, and the app goes on."""
    with _stream(target) as ws:
        try:
            ws.send(frame)
            received = [ws.recv(timeout=10) for _ in range(3)]
        except Exception:  # closed by the server: what should happen
            received = []
    assert not any(b"Traceback" in (m if isinstance(m, bytes) else m.encode()) for m in received)
    with _stream(target) as ws:  # a new visitor is served as before
        msg = BackMsg()
        msg.rerun_script.query_string = "lang=en"
        ws.send(msg.SerializeToString())
        assert ws.recv(timeout=30)
    assert raw_get(target, "/_stcore/health")[0] == 200


def test_a_broken_websocket_message_leaves_one_log_line_with_its_traceback(server):
    """Streamlit logs the garbage frame's traceback: in the server's log it is one line, with its
    time, so an operator's grep or log shipper sees one event (app.py installs trialguide/web/logs)."""
    from tests.conftest import ROOT, WORKER

    log = ROOT / "test-results" / f"streamlit-{WORKER}.log"
    if not server.startswith("http://127.0.0.1") or not log.exists():
        pytest.fail("this test reads the log of the server tests/conftest.py starts")
    before = log.read_text().count("\n")
    with _stream(server) as ws:
        ws.send(b"\x00\xff not a protobuf")
        with pytest.raises(Exception):
            ws.recv(timeout=10)
    for _ in range(50):
        lines = log.read_text().splitlines()[before:]
        if any("Error deserializing back message" in line for line in lines):
            break
        time.sleep(0.1)
    event = [line for line in lines if "Error deserializing back message" in line]
    assert len(event) == 1 and "Traceback (most recent call last):" in event[0] and "DecodeError" in event[0]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", event[0])
    assert not [line for line in lines if line.startswith(("  File ", "Traceback", "google.protobuf"))]
