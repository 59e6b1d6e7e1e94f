"""The production setup on one machine: nginx in front of several app replicas, on loopback.

    bash deploy/stack.sh                      # http://127.0.0.1:8080, two replicas
    REPLICAS=3 PORT=9000 bash deploy/stack.sh

Each replica is the app as README starts it (``streamlit run app.py``) on its own loopback
port, with what replicas must share: the same ``server.cookieSecret`` (generated once per start
unless TRIALGUIDE_COOKIE_SECRET is set) and nothing else. nginx (Debian's package) sends each
visitor to one replica by a routing cookie, upgrades the WebSocket, caches Streamlit's hashed
files, and sends the app's security headers on every response. Logs go to the run folder
(``deploy/run/`` unless RUN_DIR is set): one line per request, no visitor's answer.

Also a library: tests and bench/load.py start ``Stack(...)`` and kill a replica with
``stack.kill(0)``.
"""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trialguide import security  # noqa: E402

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
COOKIE_SECRET_ENV = "TRIALGUIDE_COOKIE_SECRET"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)


def nginx_conf(run: Path, listen: str, hosts: list[str], upstreams: list[str], public_url: str | None) -> str:
    values = dict(security.default_headers())
    https = bool(public_url and public_url.startswith("https://"))
    if https:
        values["Strict-Transport-Security"] = "max-age=31536000"
    user = ""
    if os.geteuid() == 0:  # workers drop root; they only need the run folder
        user = "user nobody nogroup;"
    proxy_headers = (
        # As the browser sent it, port included: Streamlit accepts a WebSocket whose Origin matches it.
        ("Host", "$http_host"),
        ("X-Forwarded-For", "$proxy_add_x_forwarded_for"),
        ("X-Forwarded-Proto", "$scheme"),
    )
    fill = {
        "PROXY_HEADERS": "\n".join(f"        proxy_set_header {name} {value};" for name, value in proxy_headers),
        "RUN": str(run),
        "USER": user,
        "LISTEN": listen,
        "HOSTS": " ".join(hosts),
        "SERVERS": "\n".join(f"        server {u} max_fails=1 fail_timeout=10s;" for u in upstreams),
        "HIDE_HEADERS": "\n".join(f"        proxy_hide_header {name};" for name in values),
        "ADD_HEADERS": "\n".join(f"        add_header {name} \"{value}\" always;" for name, value in values.items()),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fill.items():
        text = text.replace(f"@@{name}@@", value)
    if "@@" in text:
        raise ValueError("nginx.conf.template: a placeholder was left unfilled")
    return text


class Stack:
    """nginx on ``port`` (a free one if 0) in front of ``replicas`` app processes."""

    def __init__(self, run: Path, replicas: int = 2, port: int = 0, env: dict[str, str] | None = None):
        self.run = Path(run).resolve()
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.count = replicas
        self.replicas: list[subprocess.Popen] = []
        self.replica_ports: list[int] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def logs(self) -> list[Path]:
        """Every log this stack writes."""
        return sorted(p for p in self.run.glob("*.log"))

    def replica_log(self, index: int) -> Path:
        return self.run / f"replica-{index}.log"

    def __enter__(self) -> "Stack":
        if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
            raise RuntimeError("nginx is not installed: apt-get install nginx")
        self.run.mkdir(parents=True, exist_ok=True)
        for sub in ("tmp", "cache"):
            (self.run / sub).mkdir(exist_ok=True)
        secret = self.env.get(COOKIE_SECRET_ENV) or secrets.token_hex(32)
        public = self.env.get("TRIALGUIDE_PUBLIC_URL") or None
        hosts = ["127.0.0.1", "localhost"] + ([urlsplit(public).hostname] if public else [])
        self._secret, self._hosts = secret, hosts
        try:
            for index in range(self.count):
                self.replica_ports.append(free_port())
                self.replicas.append(self._start_replica(index))
            for index, proc in enumerate(self.replicas):
                wait_healthy(f"http://127.0.0.1:{self.replica_ports[index]}/_stcore/health", proc, self.replica_log(index))
            conf = self.run / "nginx.conf"
            upstreams = [f"127.0.0.1:{p}" for p in self.replica_ports]
            conf.write_text(nginx_conf(self.run, f"127.0.0.1:{self.port}", hosts, upstreams, public), encoding="utf-8")
            if os.geteuid() == 0:
                nobody = pwd.getpwnam("nobody")
                for path in [self.run / "tmp", self.run / "cache"]:
                    os.chown(path, nobody.pw_uid, nobody.pw_gid)
            nginx = shutil.which("nginx") or "/usr/sbin/nginx"
            log = (self.run / "nginx-stdout.log").open("w")
            self.nginx = subprocess.Popen([nginx, "-p", str(self.run), "-c", str(conf), "-e", str(self.run / "nginx-error.log"),
                                           "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)
            wait_healthy(self.base + "/healthz", self.nginx, self.run / "nginx-stdout.log", 20)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start_replica(self, index: int) -> subprocess.Popen:
        port = self.replica_ports[index]
        args = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"]
        for host in self._hosts:
            args += ["--server.allowedHosts", host]
        # The secret goes by environment, not by argument: a process list shows arguments.
        env = {**self.env, "STREAMLIT_SERVER_COOKIE_SECRET": self._secret}
        with self.replica_log(index).open("a") as out:
            return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def restart(self, index: int) -> None:
        """Start a dead replica again on its port, as a supervisor would; nginx sends it visitors
        again once its fail_timeout has passed."""
        self.replicas[index] = self._start_replica(index)
        wait_healthy(f"http://127.0.0.1:{self.replica_ports[index]}/_stcore/health", self.replicas[index], self.replica_log(index))

    def replica_pids(self) -> list[int]:
        return [p.pid for p in self.replicas if p.poll() is None]

    def kill(self, index: int) -> None:
        """A replica dies at once, as on a crash or a lost machine (no goodbye to its visitors)."""
        self.replicas[index].kill()
        self.replicas[index].wait(timeout=10)

    def __exit__(self, *exc) -> None:
        for proc in [self.nginx, *self.replicas]:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in [self.nginx, *self.replicas]:
            if proc is not None:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()


def main() -> None:
    run = Path(os.environ.get("RUN_DIR", ROOT / "deploy" / "run"))
    replicas = int(os.environ.get("REPLICAS", "2"))
    port = int(os.environ.get("PORT", "8080"))
    with Stack(run, replicas, port) as stack:
        print(f"{stack.base}: nginx in front of {replicas} replicas (ports {', '.join(map(str, stack.replica_ports))}); logs in {run}",
              flush=True)
        stopped = []
        signal.signal(signal.SIGTERM, lambda *_: stopped.append(True))
        try:
            while not stopped:
                if stack.nginx.poll() is not None:
                    raise SystemExit(f"nginx stopped; see {run}")
                for index, proc in enumerate(stack.replicas):
                    if proc.poll() is not None:
                        print(f"replica {index} stopped ({proc.returncode}); starting it again", flush=True)
                        stack.restart(index)
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
