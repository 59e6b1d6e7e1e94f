"""First load on a slow phone, measured in one run (a benchmark, not a test).

    .venv/bin/python -m bench.firstload [--repeat 3]

Starts three servers on loopback and opens pages in real Chromium with the phone profile that
Lighthouse calls slow 4G (390x844, 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, Chrome
DevTools network emulation), each first visit with a cold cache:

- app: this app as README starts it (``streamlit run app.py``: pre-rendered, compressed);
- plain: the same Streamlit script served by Streamlit alone (what visitors had before);
- bare: a one-widget Streamlit app, the floor any Streamlit app pays.

For /, /check and /contact in both languages it prints the median time to the first visible
heading, the time until the live app is interactive (connected, its run finished, the page's
own heading drawn and nothing pre-rendered left), the bytes transferred until then, and the
time to interactive on a second visit (warm cache), with ratios against the bare app; then the
same live-app time with the CPU slowed 4x (``Emulation.setCPUThrottlingRate``, Lighthouse's
mid-range phone), and a tap in the self-check: from the tap on "Start the check" or "Back" to
the next screen drawn (its heading changed, Streamlit's run finished), p50 and p95 of
``--taps`` taps each way, at full CPU and at 4x, on the same slow-4G profile.

WebSocket messages count as they cross the wire (decoded from CDP's base64, deflated again when
the connection is: ``Deflater``). Bytes are counted twice: until the page is live, and until the
network has been quiet for ``QUIET_S`` after that ("all KB"): what the page still fetches once
drawn (fonts it asks for as it draws) is paid by the phone too.

``--stack`` adds the production setup (deploy/stack.py: nginx in front of two replicas, HTTPS
with HTTP/2, its self-signed certificate trusted by this Chromium) beside the direct server, in
the same run. Chrome's network emulation throttles each request on its own, so HTTP/2's one
shared connection gains less here than on a real phone network.
"""
from __future__ import annotations

import argparse
import base64
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from contextlib import ExitStack, contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from deploy.stack import Stack, spki_hash

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 390, "height": 844}
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
PATHS = ["/?lang=en", "/?lang=zh", "/check?lang=en", "/check?lang=zh", "/contact?lang=en", "/contact?lang=zh"]
TARGETS = {"heading_s": 1.0, "live_s": 4.2, "kb": 550, "warm_live_s": 1.5, "live_4x_s": 5.5}
STACK_TARGETS = {"live_s": 3.5}  # through nginx, HTTPS with HTTP/2 (issue 20)
TAP_TARGETS_MS = {1: 400, 4: 800}  # p95 of a tap to the next screen, by CPU slowdown
QUIET_S = 2.0  # the network counts as quiet after this long with no request in flight
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
BARE_APP = 'import streamlit as st\n\nst.title("A bare app")\nst.button("Press me")\n'

# Times, in ms from the start of navigation, seen by the page itself on every frame it paints.
PROBE = """
window.__bench = { heading: null, live: null };
(function frame() {
  const b = window.__bench, now = performance.now();
  if (b.heading === null) {
    const h = document.querySelector('h1');
    if (h && h.getBoundingClientRect().height > 0) b.heading = now;
  }
  const app = document.querySelector('[data-testid="stApp"]');
  if (b.live === null && app && app.dataset.testConnectionState === 'CONNECTED'
      && app.dataset.testScriptState === 'notRunning' && app.querySelector('[data-testid="stMain"] h1')
      && !document.getElementById('tg-prerender')) b.live = now;
  if (b.live === null) requestAnimationFrame(frame);
})();
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(script: str, cwd: Path, log: Path, extra: tuple[str, ...] = ()):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise SystemExit(f"{script} did not start:\n{log.read_text()}")
                time.sleep(0.3)
        # One unthrottled visit first, as after any deploy: Streamlit's first script run and the
        # app's one-off compression are not what a visitor on a phone waits for.
        with urllib.request.urlopen(base + "/", timeout=30):
            pass
        try:
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)


# From a tap on a self-check button to the next screen drawn: the screen's heading (its first
# h2) changed and Streamlit's run over; measured inside the page, in ms.
TAP = """async (key) => {
  const main = () => document.querySelector('[data-testid="stMain"]');
  const heading = () => { const h = main() && main().querySelector('h2'); return h ? h.textContent : ''; };
  const app = document.querySelector('[data-testid="stApp"]');
  const before = heading(), t0 = performance.now();
  document.querySelector('.st-key-' + key + ' button').click();
  return await new Promise(resolve => (function frame() {
    if (heading() !== before && heading() && app.getAttribute('data-test-script-state') !== 'running') resolve(performance.now() - t0);
    else requestAnimationFrame(frame);
  })());
}"""


class Deflater:
    """A WebSocket connection's permessage-deflate, as the server negotiated it (RFC 7692):
    Chromium reports each message inflated, so its size on the wire is found by deflating it
    again with the same window and context takeover (the level may differ by a few bytes)."""

    def __init__(self, window_bits: int, takeover: bool):
        self.window_bits, self.takeover = window_bits, takeover
        self._zlib = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -window_bits)

    @classmethod
    def negotiated(cls, headers: dict) -> "Deflater | None":
        offer = next((v for k, v in headers.items() if k.lower() == "sec-websocket-extensions"), "")
        if "permessage-deflate" not in offer:
            return None
        bits = re.search(r"server_max_window_bits=(\d+)", offer)
        return cls(int(bits.group(1)) if bits else 15, "server_no_context_takeover" not in offer)

    def size(self, message: bytes) -> int:
        if not self.takeover:
            self._zlib = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -self.window_bits)
        return len(self._zlib.compress(message) + self._zlib.flush(zlib.Z_SYNC_FLUSH)) - 4  # the empty block's tail is not sent


def ws_frame_bytes(event: dict, deflaters: dict[str, Deflater | None]) -> int:
    """A WebSocket message's bytes on the wire: its payload (binary frames come base64-encoded in
    CDP: decoded here), deflated if the connection is, and the frame's header."""
    frame = event["response"]
    payload = base64.b64decode(frame["payloadData"]) if frame["opcode"] == 2 else frame["payloadData"].encode()
    deflater = deflaters.get(event["requestId"])
    size = deflater.size(payload) if deflater else len(payload)
    return size + 2 + (2 if size >= 126 else 0) + (6 if size >= 65536 else 0)


def visit(browser, url: str, cpu: int = 1) -> dict:
    context = browser.new_context(viewport=PHONE, locale="en-US")
    context.add_init_script(PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    transferred = {"bytes": 0}
    in_flight: set[str] = set()
    deflaters: dict[str, Deflater | None] = {}

    def finished(e: dict) -> None:
        in_flight.discard(e["requestId"])
        transferred["bytes"] += e["encodedDataLength"]

    cdp.on("Network.requestWillBeSent", lambda e: in_flight.add(e["requestId"]) if e.get("type") != "WebSocket" else None)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", lambda e: in_flight.discard(e["requestId"]))
    cdp.on("Network.webSocketHandshakeResponseReceived", lambda e: deflaters.__setitem__(e["requestId"], Deflater.negotiated(e["response"]["headers"])))
    cdp.on("Network.webSocketFrameReceived", lambda e: transferred.__setitem__("bytes", transferred["bytes"] + ws_frame_bytes(e, deflaters)))

    def load() -> dict:
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__bench && window.__bench.live !== null", timeout=120_000, polling=100)
        return page.evaluate("window.__bench")

    cold = load()
    live_bytes = transferred["bytes"]
    # What the phone still fetches once the page is live (fonts the page asks for as it draws):
    # counted until no request has been in flight for QUIET_S.
    quiet_since, deadline = time.monotonic(), time.monotonic() + 60
    while time.monotonic() - quiet_since < QUIET_S and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if in_flight:
            quiet_since = time.monotonic()
    all_bytes = transferred["bytes"]
    warm = load()  # same context: the browser's cache from the first visit
    context.close()
    return {"heading_s": cold["heading"] / 1000, "live_s": cold["live"] / 1000, "kb": live_bytes / 1000,
            "all_kb": all_bytes / 1000, "warm_live_s": warm["live"] / 1000}


def taps(browser, url: str, cpu: int, count: int) -> list[float]:
    """``count`` taps on Start, each followed by a tap on Back: every tap's time to the next screen."""
    context = browser.new_context(viewport=PHONE, locale="en-US", has_touch=True, is_mobile=True)
    context.add_init_script(PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__bench && window.__bench.live !== null", timeout=120_000, polling=100)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    times = []
    for _ in range(count):
        for key in ("start", "back"):
            page.wait_for_selector(f".st-key-{key} button", timeout=60_000)
            times.append(page.evaluate(TAP, key))
    context.close()
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="visits per page and server (median reported)")
    parser.add_argument("--taps", type=int, default=10, help="taps on Start and on Back, at each CPU speed")
    parser.add_argument("--stack", action="store_true", help="also through deploy/stack.py: nginx, HTTPS with HTTP/2, two replicas")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    logs = Path(tempfile.mkdtemp(prefix="firstload-"))
    logs.chmod(0o755)  # the stack's nginx workers (user nobody) keep their cache in it
    bare_dir = logs / "bare"
    bare_dir.mkdir()
    (bare_dir / "bare.py").write_text(BARE_APP)

    results: dict[tuple[str, str], dict] = {}
    with sync_playwright() as p, ExitStack() as servers:
        app = servers.enter_context(serving("app.py", ROOT, logs / "app.log"))
        plain = servers.enter_context(serving("components/main.py", ROOT, logs / "plain.log"))
        bare = servers.enter_context(serving("bare.py", bare_dir, logs / "bare.log"))
        flags, bases = list(FLAGS), [("app", app), ("plain", plain)]
        if args.stack:
            stack = servers.enter_context(_stack(logs / "stack"))
            flags.append(f"--ignore-certificate-errors-spki-list={spki_hash(stack.cert)}")  # its self-signed certificate, trusted
            bases.append(("stack", stack.base))
        browser = p.chromium.launch(executable_path=chromium, args=flags) if chromium else p.chromium.launch(args=flags)
        for _ in range(args.repeat):
            results.setdefault(("bare", "/"), {}).setdefault("runs", []).append(visit(browser, bare + "/"))
            results.setdefault(("bare", "/"), {}).setdefault("runs_4x", []).append(visit(browser, bare + "/", cpu=4))
            for name, base in bases:
                for path in PATHS:
                    results.setdefault((name, path), {}).setdefault("runs", []).append(visit(browser, base + path))
                    if name != "plain":
                        results[(name, path)].setdefault("runs_4x", []).append(visit(browser, base + path, cpu=4))
        tapped = {cpu: taps(browser, app + "/check?lang=zh", cpu, args.taps) for cpu in TAP_TARGETS_MS}
        browser.close()

    floor = median_of(results[("bare", "/")]["runs"])
    print(f"Slow 4G phone profile (1.6 Mbit/s, 150 ms), cold cache, median of {args.repeat}; Chromium {chromium or 'Playwright'}")
    print("KB: transferred until the page was live; all KB: until the network was quiet after that.")
    floor_4x = median_of(results[("bare", "/")]["runs_4x"])["live_s"]
    print(f"{'server':6} {'page':17} {'heading s':>9} {'live s':>7} {'KB':>7} {'all KB':>7} {'warm s':>7} {'live 4x s':>9}   "
          f"{'x bare: heading':>15} {'live':>5} {'KB':>5} {'all KB':>6} {'live 4x':>7}")
    rows: dict[str, list[dict]] = {}
    for (name, path), entry in results.items():
        m = median_of(entry["runs"])
        if "runs_4x" in entry:
            m["live_4x_s"] = median_of(entry["runs_4x"])["live_s"]
        rows.setdefault(name, []).append(m)
        slow = f"{m['live_4x_s']:9.2f}" if "live_4x_s" in m else f"{'':9}"
        slow_ratio = f"{m['live_4x_s'] / floor_4x:7.2f}" if "live_4x_s" in m else ""
        ratios = (f"{m['heading_s'] / floor['heading_s']:15.2f} {m['live_s'] / floor['live_s']:5.2f} {m['kb'] / floor['kb']:5.2f} "
                  f"{m['all_kb'] / floor['all_kb']:6.2f} {slow_ratio}")
        print(f"{name:6} {path:17} {m['heading_s']:9.2f} {m['live_s']:7.2f} {m['kb']:7.0f} {m['all_kb']:7.0f} {m['warm_live_s']:7.2f} {slow}   {ratios}")
    print(f"\nA tap in the self-check (/check?lang=zh, Start and Back, {2 * args.taps} taps each), to the next screen drawn:")
    for cpu, times in tapped.items():
        p95 = percentile(times, 95)
        print(f"  CPU {cpu}x: p50 {percentile(times, 50):.0f} ms, p95 {p95:.0f} ms (target {TAP_TARGETS_MS[cpu]}) "
              f"{'ok' if p95 <= TAP_TARGETS_MS[cpu] else 'MISSED'}")
    for name, targets in (("app", TARGETS), ("stack", STACK_TARGETS)):
        if name in rows:
            print(f"\ntargets for {name} (worst page):", ", ".join(
                f"{key} {max(r[key] for r in rows[name]):.2f} (target {target}) {'ok' if max(r[key] for r in rows[name]) <= target else 'MISSED'}"
                for key, target in targets.items()
            ))


@contextmanager
def _stack(run: Path):
    """deploy/stack.py's production setup, after one unthrottled visit as after any deploy."""
    with Stack(run, replicas=2) as stack:
        with urllib.request.urlopen(stack.base + "/", timeout=30, context=stack.ssl_context()):
            pass
        yield stack


if __name__ == "__main__":
    main()
