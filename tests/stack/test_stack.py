"""The production setup (deploy/stack.py): nginx in front of two replicas, over real HTTPS (with
HTTP/2) and Streamlit's real WebSocket. What a hospital's operator relies on: HTTPS only (plain
HTTP redirected, HSTS), headers on every response, one replica per visitor, Streamlit's files
cached (and nothing but a 200 kept), its insides closed, and logs that hold one line per request
and never a visitor's answer."""
from __future__ import annotations

import asyncio
import http.server
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from tests.wsclient import connect

from tests.profiles import FINE_MAN
from tests.conftest import HANDSHAKE_S, ROOT, SERVER_ENV, in_thread, verify_for
from trialguide.web import security
from bench.load import Walk, answer_to_result
from deploy.stack import Stack, spki_hash
from bench.wsclient import Visitor


def get(url: str, **kwargs) -> httpx.Response:
    """One request, over HTTP/1.1, trusting the test stack's certificate."""
    return httpx.get(url, verify=verify_for(url), timeout=30, **kwargs)


def access_log(stack) -> list[str]:
    return stack.run.joinpath("nginx-access.log").read_text().splitlines()


def log_lines_after(stack, before: int, until=lambda lines: lines != [], timeout: float = 10) -> list[str]:
    """The access log's lines after the first `before`, once `until` holds for them: nginx writes a
    request's line just after answering it (a WebSocket's when it closes), so a test that reads the
    log at once can miss it on a busy machine."""
    deadline = time.monotonic() + timeout
    while not until(lines := access_log(stack)[before:]) and time.monotonic() < deadline:
        time.sleep(0.02)
    return lines


def served_by(stack, client: httpx.Client, path: str = "/_stcore/health") -> str:
    """The replica ("127.0.0.1:port") that answered this client's request, from nginx's own log."""
    before = len(access_log(stack))
    client.get(path).raise_for_status()
    return log_lines_after(stack, before)[-1].split("up=")[1].split()[0]


def a_static_file(proxy: str) -> str:
    index = get(proxy + "/?lang=en").text
    return re.search(r'src="\./(static/js/index\.[\w-]+\.js)"', index).group(1)


@pytest.mark.parametrize(
    "path, status",
    [("/?lang=zh", 200), ("/check?lang=en", 200), ("/handout?lang=zh", 200), ("/_stcore/health", 200), ("/healthz", 200),
     ("/_stcore/metrics", 404)],
)
def test_every_response_through_the_proxy_carries_the_security_headers_once(proxy, path, status):
    """The page's on HTML, the short ones on the rest: the same as the app's own server sends."""
    response = get(proxy + path)
    assert response.status_code == status
    expected = security.default_headers() if security.is_document(response.headers.get("content-type", "")) else security.RESOURCE_HEADERS
    for name, value in expected.items():
        assert response.headers.get_list(name) == [value], (path, name)
    if path.startswith("/?"):
        assert expected is not security.RESOURCE_HEADERS


def test_nginx_own_answers_carry_them_too(proxy):
    """A Host the site does not answer to, and the static cache's hits: made by nginx alone."""
    unknown = get(proxy + "/", headers={"Host": "evil.example.org"})
    assert unknown.status_code == 400
    path = a_static_file(proxy)
    get(f"{proxy}/{path}")
    hit = get(f"{proxy}/{path}")
    assert hit.headers["X-Cache-Status"] == "HIT"
    assert unknown.headers["Content-Security-Policy"] == security.default_headers()["Content-Security-Policy"]
    assert hit.headers.get_list("Content-Security-Policy") == [security.RESOURCE_HEADERS["Content-Security-Policy"]]
    assert hit.headers["X-Content-Type-Options"] == "nosniff"


def test_a_visitor_stays_on_one_replica_and_visitors_spread_over_both(stack):
    with httpx.Client(base_url=stack.base, timeout=30, verify=stack.ssl_context()) as one:
        one.get("/?lang=en")
        assert re.fullmatch(r"[0-9a-f]{32}", one.cookies["tg_route"])
        assert len({served_by(stack, one) for _ in range(8)}) == 1
    everyone = set()
    for _ in range(24):
        with httpx.Client(base_url=stack.base, timeout=30, verify=stack.ssl_context()) as visitor:
            visitor.get("/?lang=en")
            everyone.add(served_by(stack, visitor))
    assert everyone == {f"127.0.0.1:{port}" for port in stack.replica_ports}


def test_streamlit_files_come_from_the_proxy_cache_compressed(proxy, stack):
    path = a_static_file(proxy)
    first = get(f"{proxy}/{path}", headers={"Accept-Encoding": "br"})
    again = get(f"{proxy}/{path}", headers={"Accept-Encoding": "br"})
    assert again.headers["X-Cache-Status"] == "HIT" and again.headers["Content-Encoding"] == "br"
    assert "immutable" in again.headers["Cache-Control"]
    plain = httpx.get(f"http://127.0.0.1:{stack.replica_ports[0]}/{path}", headers={"Accept-Encoding": "identity"}, timeout=30)
    assert again.content == first.content == plain.content  # httpx undoes the brotli


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/script-health-check", "/_stcore/agent/openapi.json", "/_stcore/upload_file/x"])
def test_the_inside_of_streamlit_stays_inside(proxy, path):
    assert get(proxy + path).status_code == 404


def test_a_websocket_from_another_site_or_for_another_host_is_refused(stack):
    host = stack.base.split("//")[1]
    with pytest.raises(InvalidStatus):  # another site's page opening our WebSocket
        connect(f"wss://{host}/_stcore/stream", subprotocols=["streamlit"], origin="https://evil.example.org", open_timeout=HANDSHAKE_S,
                ssl=stack.ssl_context())
    replica = f"127.0.0.1:{stack.replica_ports[0]}"
    with pytest.raises(Exception):  # DNS rebinding: a Host the replicas were not told to serve
        with connect(f"ws://{replica}/_stcore/stream", subprotocols=["streamlit"], origin="http://evil.example.org",
                     additional_headers={"Host": "evil.example.org"}, open_timeout=HANDSHAKE_S) as ws:
            ws.recv(timeout=10)


def test_the_websocket_comes_compressed_through_the_proxy(stack):
    """A page's words and each tap's new screen travel over the WebSocket: compressed
    (permessage-deflate, .streamlit/config.toml) end to end, through nginx, a page's messages
    are about a third of their size on a slow phone network."""
    host = stack.base.split("//")[1]
    with connect(f"wss://{host}/_stcore/stream", subprotocols=["streamlit"], origin=stack.base, open_timeout=HANDSHAKE_S,
                 ssl=stack.ssl_context()) as ws:
        assert "permessage-deflate" in ws.response.headers.get("Sec-WebSocket-Extensions", "")
    with connect(f"wss://{host}/_stcore/stream", subprotocols=["streamlit"], origin=stack.base, open_timeout=HANDSHAKE_S,
                 ssl=stack.ssl_context(), compression=None) as ws:  # a client that does not offer it still connects
        assert "Sec-WebSocket-Extensions" not in ws.response.headers


def test_one_log_line_per_request_with_no_query_but_the_language_and_no_address(stack):
    before = len(access_log(stack))
    get(stack.base + "/contact?lang=zh&kiosk=1&utm_source=secret-campaign-93")
    get(stack.base + "/contact?lang=%3Cscript%3E")
    lines = log_lines_after(stack, before, until=lambda lines: len(lines) >= 2)
    assert len(lines) == 2
    pattern = r"\S+ GET /contact lang={} 200 \d+ [\d.]+ up=127\.0\.0\.1:\d+ cache=-"
    assert re.fullmatch(pattern.format("zh"), lines[0]), lines[0]
    assert re.fullmatch(pattern.format("other"), lines[1]), lines[1]


SECRETS = ("tgsecret-age-7731", "431.77", "86.31")


def test_no_visitor_answer_ever_reaches_a_log(stack):
    """The self-check walked through the proxy with answers found nowhere else, then every log
    of the proxy and of both replicas searched for them."""
    profile = {**FINE_MAN, "qtc": ("value", SECRETS[1]), "platelets": ("value", SECRETS[2])}

    async def walk() -> Walk:
        done, v = Walk(), Visitor(stack.base, verify=stack.ssl_context())
        await v.open("/check", "lang=en")
        await v.tap("start")
        await v.type("w_age_value", SECRETS[0])  # not a number: an error on screen, and sent all the same
        await v.tap("continue")
        assert "There is a problem" in " ".join(v.screen.texts)
        await answer_to_result(v, profile, 0.0, done)
        await v.close()
        return done

    done = in_thread(asyncio.run, walk())
    assert done.errors == []
    assert any("/_stcore/stream" in line and " 101 " in line
               for line in log_lines_after(stack, 0, until=lambda lines: any(" 101 " in line for line in lines)))
    assert len(stack.logs) >= 4  # nginx's access and error logs, and one per replica
    for log in stack.logs:
        text = log.read_text(errors="replace")
        for secret in SECRETS:
            assert secret not in text, (log.name, secret)


def test_the_routing_cookie_is_secure_and_plain_http_gets_none(stack):
    """The app is served over HTTPS only: its routing cookie is always Secure, and plain HTTP,
    which only redirects, sets none (a browser on plain HTTP would drop a Secure one anyway)."""
    assert get(stack.base + "/?lang=en").headers["set-cookie"].endswith("; SameSite=Lax; Secure")
    assert "set-cookie" not in get(stack.http_base + "/?lang=en").headers


# ---- HTTPS, HTTP/2, the redirect and HSTS ----


@pytest.mark.parametrize("method, status", [("GET", 301), ("HEAD", 301), ("POST", 308)])
def test_plain_http_is_sent_to_the_same_address_over_https(stack, method, status):
    """301 for a page (browsers and crawlers move the link), 308 for anything else (which keeps
    the method and body); the path and query kept; no cookie and no HSTS over plain HTTP."""
    response = httpx.request(method, stack.http_base + "/check?lang=zh&kiosk=1", timeout=30)
    assert response.status_code == status
    assert response.headers["location"] == stack.base + "/check?lang=zh&kiosk=1"
    assert "strict-transport-security" not in response.headers and "set-cookie" not in response.headers
    assert response.headers["content-security-policy"] == security.default_headers()["Content-Security-Policy"]
    followed = httpx.get(stack.http_base + "/contact?lang=en", follow_redirects=True, verify=stack.ssl_context(), timeout=30)
    assert followed.status_code == 200 and str(followed.url) == stack.base + "/contact?lang=en"
    assert followed.history[0].status_code == 301


def test_hsts_is_sent_over_https_only(stack, proxy):
    """Every HTTPS answer of the site carries HSTS (the self-signed loopback certificate's short
    max-age); plain HTTP never does, not even its 400 for an unknown host."""
    for path in ("/?lang=en", "/_stcore/metrics", "/" + a_static_file(proxy), "/static/js/no-such-file.js"):
        assert get(proxy + path).headers.get_list("strict-transport-security") == ["max-age=300"], path
    for response in (get(stack.http_base + "/?lang=en"), get(stack.http_base + "/", headers={"Host": "evil.example.org"})):
        assert "strict-transport-security" not in response.headers
    assert get(stack.http_base + "/", headers={"Host": "evil.example.org"}).status_code == 400


def test_page_static_file_and_websocket_over_https_with_http2(stack, proxy):
    """The page and Streamlit's files over HTTP/2; the WebSocket (HTTP/1.1 upgrade on its own TLS
    connection, as browsers open it) carries a real script run."""
    with httpx.Client(http2=True, verify=stack.ssl_context(), timeout=30) as h2:
        page = h2.get(proxy + "/contact?lang=zh")
        assert page.http_version == "HTTP/2" and page.status_code == 200
        assert '<html lang="zh-Hans"' in page.text
        static = h2.get(f"{proxy}/{a_static_file(proxy)}")
        assert static.http_version == "HTTP/2" and static.status_code == 200
        assert static.headers["content-type"].startswith(("application/javascript", "text/javascript"))

    async def open_page() -> list[str]:
        v = Visitor(stack.base, verify=stack.ssl_context())
        await v.open("/contact", "lang=en")
        await v.close()
        return v.screen.texts

    assert any("contact" in text.lower() for text in in_thread(asyncio.run, open_page()))
    before = len(access_log(stack))
    # curl, as an operator would check it: HTTP/2 negotiated, the certificate checked against the stack's own.
    out = subprocess.run(["curl", "-sS", "--http2", "--cacert", str(stack.cert), "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                          proxy + "/?lang=en"], capture_output=True, text=True, timeout=30)
    assert out.stdout == "2 200", out.stderr
    assert log_lines_after(stack, before) != []


def test_chromium_trusting_the_certificate_gets_the_live_app_over_http2(stack):
    """A real browser that trusts this one certificate (its public key's hash, as an operator
    would pin a test certificate): the page over HTTP/2, then the live app drawn over wss://."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS, _chromium_path

    def visit() -> dict:
        with sync_playwright() as p:
            path = _chromium_path()
            args = CHROMIUM_FLAGS + [f"--ignore-certificate-errors-spki-list={spki_hash(stack.cert)}"]
            browser = p.chromium.launch(executable_path=path, args=args) if path else p.chromium.launch(args=args)
            try:
                page = browser.new_page()
                page.goto(stack.base + "/contact?lang=en")
                page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]',
                                       timeout=60_000)
                page.wait_for_selector("h1", timeout=30_000)
                return page.evaluate("""() => ({
                    protocol: performance.getEntriesByType('navigation')[0].nextHopProtocol,
                    secure: window.isSecureContext,
                    h1: document.querySelector('h1').innerText})""")
            finally:
                browser.close()

    seen = in_thread(visit)
    assert seen["protocol"] == "h2" and seen["secure"] is True
    assert seen["h1"]
    assert any("/_stcore/stream" in line and " 101 " in line
               for line in log_lines_after(stack, 0, until=lambda lines: any(" 101 " in line for line in lines)))


# ---- Only a 200 is ever kept ----


def test_an_unknown_static_file_is_a_404_through_the_proxy_and_never_cached(stack, proxy):
    path = f"/static/js/index.{secrets.token_hex(4)}.js"  # as a page of an older release would ask
    before = len(access_log(stack))
    answers = [get(proxy + path, headers={"Accept-Encoding": encoding}) for encoding in ("br", "br", "identity")]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert [a.headers["x-cache-status"] for a in answers] == ["MISS", "MISS", "MISS"]
    assert "<html" not in answers[0].text.lower()
    lines = [line for line in log_lines_after(stack, before, until=lambda lines: sum(path in line for line in lines) >= 3)
             if path in line]
    assert len(lines) == 3 and all(" up=127.0.0.1:" in line for line in lines)  # each one asked a replica again


class _Upstream(http.server.ThreadingHTTPServer):
    """A replica stand-in that answers every static file with "keep this for a year", whatever
    its status: what a misconfigured or broken replica could send."""

    def __init__(self):
        self.asked: dict[str, int] = {}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.asked[self.path] = outer.asked.get(self.path, 0) + 1
                status = {"/_stcore/health": 200, "/static/kept.js": 200, "/static/missing.js": 404, "/static/broken.js": 500,
                          "/static/moved.js": 301}.get(self.path, 404)
                body = b"ok" if status == 200 else b"not this one"
                self.send_response(status)
                self.send_header("Content-Type", "application/javascript")
                self.send_header("Cache-Control", "public, max-age=31536000, immutable")
                if status == 301:
                    self.send_header("Location", "/static/kept.js")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def test_the_proxy_keeps_only_a_200_whatever_the_replica_says():
    """nginx in front of a stand-in replica that says "keep this for a year" on every answer:
    only the 200 is kept; a 404, a 500 and a redirect go back to the replica every time."""
    run = ROOT / "test-results" / "stack-cache"
    shutil.rmtree(run / "cache", ignore_errors=True)  # nothing kept from an earlier run
    upstream = _Upstream()
    try:
        with Stack(run, env=SERVER_ENV, upstreams=[f"127.0.0.1:{upstream.server_address[1]}"]) as nginx:
            def twice(path: str) -> list[tuple[int, str]]:
                answers = [httpx.get(nginx.base + path, verify=nginx.ssl_context(), timeout=30) for _ in range(2)]
                return [(r.status_code, r.headers.get("x-cache-status")) for r in answers]

            assert twice("/static/kept.js") == [(200, "MISS"), (200, "HIT")]
            assert upstream.asked["/static/kept.js"] == 1
            for path, status in (("/static/missing.js", 404), ("/static/broken.js", 500), ("/static/moved.js", 301)):
                assert twice(path) == [(status, "MISS"), (status, "MISS")], path
                assert upstream.asked[path] == 2, path
    finally:
        upstream.shutdown()
        upstream.server_close()


def test_a_port_taken_before_nginx_starts_is_chosen_again(monkeypatch):
    """A free port is any outgoing connection's for the taking until nginx binds it: when another
    process took it meanwhile, the stack starts on other free ports instead of failing (it
    failed a whole test run's stack once: 161 tests)."""
    import deploy.stack as stack_module

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    ports = iter([taken.getsockname()[1]])
    real = stack_module.free_port
    monkeypatch.setattr(stack_module, "free_port", lambda: next(ports, None) or real())
    upstream = _Upstream()
    try:
        with Stack(ROOT / "test-results" / "stack-taken", env=SERVER_ENV, upstreams=[f"127.0.0.1:{upstream.server_address[1]}"]) as nginx:
            assert nginx.port != taken.getsockname()[1]
            assert httpx.get(nginx.base + "/healthz", verify=nginx.ssl_context(), timeout=30).status_code == 200
    finally:
        taken.close()
        upstream.shutdown()
        upstream.server_close()


def test_a_replica_port_taken_before_it_starts_is_chosen_again(monkeypatch):
    """The same race for a replica: Streamlit exits when its port is taken, and the stack
    starts it again on another free port, instead of failing every test that needs it."""
    import deploy.stack as stack_module

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    real = stack_module.free_port
    calls = []

    def free_port():  # nginx's two ports first, then the replica's: the taken one
        calls.append(1)
        return taken.getsockname()[1] if len(calls) == 3 else real()

    monkeypatch.setattr(stack_module, "free_port", free_port)
    run = ROOT / "test-results" / "stack-replica-taken"
    shutil.rmtree(run, ignore_errors=True)  # its log is appended to: a last run's words must not count
    try:
        with Stack(run, replicas=1, env=SERVER_ENV) as stack:
            assert stack.replica_ports[0] != taken.getsockname()[1]
            assert "is not available" in stack.replica_log(0).read_text()
            assert httpx.get(stack.base + "/healthz", verify=stack.ssl_context(), timeout=30).status_code == 200
    finally:
        taken.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="nginx's workers change to user nobody only when nginx starts as root")
def test_a_run_folder_nginx_workers_cannot_reach_stops_the_start(tmp_path):
    """Started as root in a folder its workers (user nobody) cannot enter, nginx would answer every
    cached file with a 500: the stack refuses to start and says what to change instead."""
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    with pytest.raises(RuntimeError, match=r"cannot reach .*chmod o\+x"):
        with Stack(closed / "run", upstreams=["127.0.0.1:9"]):
            pass
