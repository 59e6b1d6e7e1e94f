"""The production setup (deploy/stack.py): nginx in front of two replicas, over real HTTP and
Streamlit's real WebSocket. What a hospital's operator relies on: headers on every response,
one replica per visitor, Streamlit's files cached, its insides closed, and logs that hold one
line per request and never a visitor's answer."""
from __future__ import annotations

import asyncio
import concurrent.futures
import re
import sys
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.check_profiles import FINE_MAN
from trialguide import security

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from load import Walk, answer_to_result  # noqa: E402
from wsclient import Visitor  # noqa: E402


def access_log(stack) -> list[str]:
    return stack.run.joinpath("nginx-access.log").read_text().splitlines()


def served_by(stack, client: httpx.Client, path: str = "/_stcore/health") -> str:
    """The replica ("127.0.0.1:port") that answered this client's request, from nginx's own log
    (which nginx writes just after answering: wait for the line)."""
    before = len(access_log(stack))
    client.get(path).raise_for_status()
    deadline = time.monotonic() + 5
    while (lines := access_log(stack)[before:]) == [] and time.monotonic() < deadline:
        time.sleep(0.02)
    return lines[-1].split("up=")[1].split()[0]


def a_static_file(proxy: str) -> str:
    index = httpx.get(proxy + "/?lang=en", timeout=30).text
    return re.search(r'src="\./(static/js/index\.[\w-]+\.js)"', index).group(1)


@pytest.mark.parametrize(
    "path, status",
    [("/?lang=zh", 200), ("/check?lang=en", 200), ("/handout?lang=zh", 200), ("/_stcore/health", 200), ("/healthz", 200),
     ("/_stcore/metrics", 404)],
)
def test_every_response_through_the_proxy_carries_the_security_headers_once(proxy, path, status):
    response = httpx.get(proxy + path, timeout=30)
    assert response.status_code == status
    for name, value in security.default_headers().items():
        assert response.headers.get_list(name) == [value], (path, name)


def test_nginx_own_answers_carry_them_too(proxy):
    """A Host the site does not answer to, and the static cache's hits: made by nginx alone."""
    unknown = httpx.get(proxy + "/", headers={"Host": "evil.example.org"}, timeout=30)
    assert unknown.status_code == 400
    path = a_static_file(proxy)
    httpx.get(f"{proxy}/{path}", timeout=30)
    hit = httpx.get(f"{proxy}/{path}", timeout=30)
    assert hit.headers["X-Cache-Status"] == "HIT"
    for response in (unknown, hit):
        assert response.headers["Content-Security-Policy"] == security.default_headers()["Content-Security-Policy"]


def test_a_visitor_stays_on_one_replica_and_visitors_spread_over_both(stack):
    with httpx.Client(base_url=stack.base, timeout=30) as one:
        one.get("/?lang=en")
        assert re.fullmatch(r"[0-9a-f]{32}", one.cookies["tg_route"])
        assert len({served_by(stack, one) for _ in range(8)}) == 1
    everyone = set()
    for _ in range(24):
        with httpx.Client(base_url=stack.base, timeout=30) as visitor:
            visitor.get("/?lang=en")
            everyone.add(served_by(stack, visitor))
    assert everyone == {f"127.0.0.1:{port}" for port in stack.replica_ports}


def test_streamlit_files_come_from_the_proxy_cache_compressed(proxy, stack):
    path = a_static_file(proxy)
    first = httpx.get(f"{proxy}/{path}", headers={"Accept-Encoding": "br"}, timeout=30)
    again = httpx.get(f"{proxy}/{path}", headers={"Accept-Encoding": "br"}, timeout=30)
    assert again.headers["X-Cache-Status"] == "HIT" and again.headers["Content-Encoding"] == "br"
    assert "immutable" in again.headers["Cache-Control"]
    plain = httpx.get(f"http://127.0.0.1:{stack.replica_ports[0]}/{path}", headers={"Accept-Encoding": "identity"}, timeout=30)
    assert again.content == first.content == plain.content  # httpx undoes the brotli


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/script-health-check", "/_stcore/agent/openapi.json", "/_stcore/upload_file/x"])
def test_the_inside_of_streamlit_stays_inside(proxy, path):
    assert httpx.get(proxy + path, timeout=30).status_code == 404


def test_a_websocket_from_another_site_or_for_another_host_is_refused(stack):
    host = stack.base.split("//")[1]
    with pytest.raises(InvalidStatus):  # another site's page opening our WebSocket
        connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], origin="https://evil.example.org", open_timeout=10)
    replica = f"127.0.0.1:{stack.replica_ports[0]}"
    with pytest.raises(Exception):  # DNS rebinding: a Host the replicas were not told to serve
        with connect(f"ws://{replica}/_stcore/stream", subprotocols=["streamlit"], origin="http://evil.example.org",
                     additional_headers={"Host": "evil.example.org"}, open_timeout=10) as ws:
            ws.recv(timeout=10)


def test_one_log_line_per_request_with_no_query_but_the_language_and_no_address(stack):
    before = len(access_log(stack))
    httpx.get(stack.base + "/contact?lang=zh&kiosk=1&utm_source=secret-campaign-93", timeout=30)
    httpx.get(stack.base + "/contact?lang=%3Cscript%3E", timeout=30)
    lines = access_log(stack)[before:]
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
        done, v = Walk(), Visitor(stack.base)
        await v.open("/check", "lang=en")
        await v.tap("start")
        await v.type("w_age_value", SECRETS[0])  # not a number: an error on screen, and sent all the same
        await v.tap("continue")
        assert "There is a problem" in " ".join(v.screen.texts)
        await answer_to_result(v, profile, 0.0, done)
        await v.close()
        return done

    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        done = pool.submit(asyncio.run, walk()).result()
    assert done.errors == []
    time.sleep(1)  # nginx writes the WebSocket's line when it closes
    assert any("/_stcore/stream" in line and " 101 " in line for line in access_log(stack))
    assert len(stack.logs) >= 4  # nginx's access and error logs, and one per replica
    for log in stack.logs:
        text = log.read_text(errors="replace")
        for secret in SECRETS:
            assert secret not in text, (log.name, secret)


def test_the_routing_cookie_is_secure_whenever_the_visitor_is_on_https(proxy):
    behind_tls = httpx.get(proxy + "/?lang=en", headers={"X-Forwarded-Proto": "https"}, timeout=30)
    plain = httpx.get(proxy + "/?lang=en", timeout=30)
    assert behind_tls.headers["set-cookie"].endswith("; Secure")
    assert "Secure" not in plain.headers["set-cookie"]  # else a browser on plain http would drop it, and stickiness with it
