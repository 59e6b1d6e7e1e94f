"""The production setup on one machine: nginx in front of several app replicas, on loopback.

    bash deploy/stack.sh                      # https://127.0.0.1:8443 (http://127.0.0.1:8080 redirects), two replicas
    REPLICAS=3 HTTPS_PORT=9443 PORT=9080 bash deploy/stack.sh
    TRIALGUIDE_TLS_CERT=/etc/ssl/trial.pem TRIALGUIDE_TLS_KEY=/etc/ssl/private/trial.key bash deploy/stack.sh

Each replica is the app as README starts it (``streamlit run app.py``) on its own loopback
port, with what replicas must share: the same ``server.cookieSecret`` (generated once per start
unless TRIALGUIDE_COOKIE_SECRET is set) and nothing else. nginx (Debian's package) serves HTTPS
with HTTP/2, sends plain HTTP there (301/308), sends each visitor to one replica by a routing
cookie, upgrades the WebSocket, caches Streamlit's hashed files, and sends the app's security
headers on every response (HSTS on HTTPS only). Without a certificate given, it makes a
self-signed one for 127.0.0.1, ::1 and localhost (``tls/`` in the run folder). Logs go to the
run folder (``deploy/run/`` unless RUN_DIR is set): one line per request, no visitor's answer.

Also a library: tests and bench/load.py start ``Stack(...)`` and kill a replica with
``stack.kill(0)`` (a crash) or stop it with ``stack.stop(0)`` (SIGTERM, as a rolling update does);
``stack.ssl_context()`` trusts the stack's certificate.
"""
from __future__ import annotations

import base64
import hashlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

from trialguide.web import security

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
COOKIE_SECRET_ENV = "TRIALGUIDE_COOKIE_SECRET"
# The operator's certificate (full chain, PEM) and its key; both, or neither for a self-signed one.
TLS_CERT_ENV, TLS_KEY_ENV = "TRIALGUIDE_TLS_CERT", "TRIALGUIDE_TLS_KEY"
HSTS_ENV = "TRIALGUIDE_HSTS_MAX_AGE"
HSTS_MAX_AGE = 31536000  # a year, with the operator's certificate
HSTS_MAX_AGE_SELF_SIGNED = 300  # five minutes: see deploy/README.md, "HSTS and a test domain"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, seconds: float = 90, context: ssl.SSLContext | None = None,
                 headers: dict[str, str] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=2, context=context) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)


def self_signed_certificate(folder: Path, days: int = 30) -> tuple[Path, Path]:
    """A certificate for loopback only (127.0.0.1, ::1, localhost), made with openssl and kept
    while it has more than a day left. No browser trusts it unless told to: it is for this
    machine, the tests and a first try, never for visitors."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("openssl is not installed: apt-get install openssl")
    if cert.exists() and key.exists():
        fresh = subprocess.run([openssl, "x509", "-checkend", "86400", "-noout", "-in", str(cert)], capture_output=True)
        if fresh.returncode == 0:
            return cert, key
    old_umask = os.umask(0o077)  # the key is readable by its owner only
    try:
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", str(key), "-out", str(cert), "-days", str(days), "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
             "-addext", "keyUsage=critical,digitalSignature", "-addext", "extendedKeyUsage=serverAuth",
             "-addext", "basicConstraints=critical,CA:FALSE"],
            check=True, capture_output=True,
        )
    finally:
        os.umask(old_umask)
    cert.chmod(0o644)
    return cert, key


def spki_hash(cert: Path) -> str:
    """base64 of the SHA-256 of the certificate's public key: what Chromium's
    --ignore-certificate-errors-spki-list takes to trust this one certificate."""
    pem = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", str(cert)], check=True, capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pem, check=True, capture_output=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def nginx_version() -> tuple[int, ...]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr)
    return tuple(int(n) for n in found.groups()) if found else (0, 0, 0)


# Per client address (deploy/nginx.conf.template): sized for 60 phones on one hospital Wi-Fi.
CONN_LIMIT = 300
REQ_BURST = 600


def nginx_conf(run: Path, http_listen: str, https_listen: str, https_port: int, hosts: list[str], upstreams: list[str],
               cert: Path, key: Path, hsts_max_age: int, version: tuple[int, ...] = (1, 22, 1),
               rate_limits: bool = True) -> str:
    """``rate_limits=False`` only for a load generator that is one address pretending to be many
    phones (bench/load.py); every real deployment keeps them."""
    document, resource = dict(security.default_headers()), security.RESOURCE_HEADERS
    names = list(dict.fromkeys((*document, *resource)))
    user = ""
    if os.geteuid() == 0:  # workers drop root; they only need the run folder
        user = "user nobody nogroup;"
    proxy_headers = (
        # As the browser sent it, port included: Streamlit accepts a WebSocket whose Origin matches it.
        ("Host", "$http_host"),
        ("X-Forwarded-For", "$proxy_add_x_forwarded_for"),
        ("X-Forwarded-Proto", "$scheme"),
    )
    # nginx 1.25.1 made HTTP/2 a directive of its own; older ones (Debian 12 has 1.22) take it on listen.
    http2_directive = version >= (1, 25, 1)
    fill = {
        "PROXY_HEADERS": "\n".join(f"        proxy_set_header {name} {value};" for name, value in proxy_headers),
        "RUN": str(run),
        "USER": user,
        "HTTP_LISTEN": http_listen,
        "HTTPS_LISTEN": https_listen + (" ssl" if http2_directive else " ssl http2"),
        "HTTP2": "        http2 on;" if http2_directive else "",
        "HTTPS_ORIGIN": "https://$host" + ("" if https_port == 443 else f":{https_port}"),
        "CERT": str(cert),
        "KEY": str(key),
        "HSTS_MAX_AGE": str(int(hsts_max_age)),
        "HOSTS": " ".join(hosts),
        "SERVERS": "\n".join(f"        server {u} max_fails=1 fail_timeout=10s;" for u in upstreams),
        "HIDE_HEADERS": "\n".join(f"        proxy_hide_header {name};" for name in names),
        # The page's headers on HTML (and on what says no type), the short ones on the rest, as the
        # app's server does (trialguide/web/security.py); an empty value sends no header.
        "CONN_LIMIT": str(CONN_LIMIT),
        "REQ_BURST": str(REQ_BURST),
        "LIMITS": (f"        limit_conn tg_conn {CONN_LIMIT};\n        limit_req zone=tg_req burst={REQ_BURST} nodelay;"
                   if rate_limits else "        # no rate limits: a load generator's stack (bench/load.py)"),
        "STATIC_LIMIT": "            limit_req zone=tg_static_req burst=5000 nodelay;" if rate_limits else "",
        "HEADER_MAPS": "\n".join(
            f"    map $sent_http_content_type $tg_header_{i} {{\n"
            f"        \"~*^text/html\" \"{document.get(name, '')}\";\n"
            f"        \"\" \"{document.get(name, '')}\";\n"
            f"        default \"{resource.get(name, '')}\";\n    }}"
            for i, name in enumerate(names)
        ),
        "ADD_HEADERS": "\n".join(f"        add_header {name} $tg_header_{i} always;" for i, name in enumerate(names)),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fill.items():
        text = text.replace(f"@@{name}@@", value)
    if "@@" in text:
        raise ValueError("nginx.conf.template: a placeholder was left unfilled")
    return text


class Stack:
    """nginx in front of ``replicas`` app processes: HTTPS on ``port``, plain HTTP (which only
    redirects there) on ``http_port``; a free port for either when 0. ``address`` is where nginx
    listens (loopback unless told otherwise)."""

    def __init__(self, run: Path, replicas: int = 2, port: int = 0, env: dict[str, str] | None = None,
                 http_port: int = 0, address: str = "127.0.0.1", upstreams: list[str] | None = None,
                 rate_limits: bool = True):
        self.run = Path(run).resolve()
        self.rate_limits = rate_limits
        self.address = address
        self._given_ports = (port, http_port)
        self._choose_ports()
        self.env = {**os.environ, **(env or {})}
        self.cert: Path | None = None
        self.key: Path | None = None
        self.self_signed = False
        # Given upstreams ("host:port", e.g. containers of the image): nginx in front of them,
        # and no replica started here.
        self.upstreams = list(upstreams or [])
        self.count = 0 if self.upstreams else replicas
        self.replicas: list[subprocess.Popen] = []
        self.replica_ports: list[int] = []
        self.nginx: subprocess.Popen | None = None

    def _choose_ports(self) -> None:
        """The ports given, or free ones (again, when another process took one before nginx
        could bind it: a free port is any outgoing connection's for the taking)."""
        self.port = self._given_ports[0] or free_port()
        self.http_port = self._given_ports[1] or free_port()
        # Listening on every interface: this machine reaches it on loopback.
        local = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.address, self.address)
        host = f"[{local}]" if ":" in local else local
        self.base = f"https://{host}:{self.port}"
        self.http_base = f"http://{host}:{self.http_port}"

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this stack's certificate (and verifies the host name)."""
        return ssl.create_default_context(cafile=str(self.cert))

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
        given_cert, given_key = self.env.get(TLS_CERT_ENV), self.env.get(TLS_KEY_ENV)
        if bool(given_cert) != bool(given_key):
            raise RuntimeError(f"set both {TLS_CERT_ENV} and {TLS_KEY_ENV}, or neither (for a self-signed loopback certificate)")
        if given_cert:
            self.cert, self.key = Path(given_cert).resolve(), Path(given_key).resolve()
            for path in (self.cert, self.key):
                if not path.is_file():
                    raise RuntimeError(f"{path}: no such file")
        else:
            self.cert, self.key = self_signed_certificate(self.run / "tls")
            self.self_signed = True
        hsts = int(self.env.get(HSTS_ENV) or (HSTS_MAX_AGE_SELF_SIGNED if self.self_signed else HSTS_MAX_AGE))
        try:
            for index in range(self.count):
                self.replica_ports.append(free_port())
                self.replicas.append(self._start_replica(index))
            for index in range(self.count):
                self._wait_replica(index)
            for attempt in range(3):
                self.nginx = None
                try:
                    self._start_nginx(hosts, hsts)
                    break
                except RuntimeError:
                    said = self.run / "nginx-stdout.log"
                    taken = self.nginx is not None and "Address already in use" in said.read_text(errors="replace")
                    if not taken or attempt == 2 or all(self._given_ports):
                        raise
                    self.nginx.wait(timeout=10)
                    self._choose_ports()  # another process took a port between its choice and nginx's start
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start_nginx(self, hosts: list[str], hsts: int) -> None:
        conf = self.run / "nginx.conf"
        upstreams = self.upstreams or [f"127.0.0.1:{p}" for p in self.replica_ports]
        host = f"[{self.address}]" if ":" in self.address else self.address
        conf.write_text(nginx_conf(self.run, f"{host}:{self.http_port}", f"{host}:{self.port}", self.port, hosts, upstreams,
                                   self.cert, self.key, hsts, nginx_version(), self.rate_limits), encoding="utf-8")
        if os.geteuid() == 0:
            # nginx's workers run as nobody: a run folder they cannot reach would answer
            # every cached file with a 500.
            nobody = pwd.getpwnam("nobody")
            closed = [str(d) for d in (self.run, *self.run.parents)
                      if not d.stat().st_mode & 0o001 and d.stat().st_uid != nobody.pw_uid]
            if closed:
                raise RuntimeError(f"nginx's workers (user nobody) cannot reach {self.run}: "
                                   f"chmod o+x {' '.join(closed)}, or choose another RUN_DIR")
            for path in [self.run / "tmp", self.run / "cache"]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        log = (self.run / "nginx-stdout.log").open("w")
        self.nginx = subprocess.Popen([nginx, "-p", str(self.run), "-c", str(conf), "-e", str(self.run / "nginx-error.log"),
                                       "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)
        # Asked as 127.0.0.1, one of its host names, whatever the certificate's names: nginx
        # answers, through a replica (the certificate is checked by the clients, not here).
        probe = ssl.create_default_context()
        probe.check_hostname, probe.verify_mode = False, ssl.CERT_NONE
        wait_healthy(self.base + "/healthz", self.nginx, self.run / "nginx-stdout.log", 20, probe, {"Host": "127.0.0.1"})

    def _start_replica(self, index: int) -> subprocess.Popen:
        port = self.replica_ports[index]
        args = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"]
        for host in self._hosts:
            args += ["--server.allowedHosts", host]
        # The secret goes by environment, not by argument: a process list shows arguments.
        env = {**self.env, "STREAMLIT_SERVER_COOKIE_SECRET": self._secret}
        with self.replica_log(index).open("a") as out:
            return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def _wait_replica(self, index: int) -> None:
        """Until the replica answers; on a new free port when another process took its port
        between the choice and Streamlit's start (Streamlit then says so and exits)."""
        for attempt in range(3):
            said = self.replica_log(index).stat().st_size if self.replica_log(index).exists() else 0
            try:
                wait_healthy(f"http://127.0.0.1:{self.replica_ports[index]}/_stcore/health", self.replicas[index], self.replica_log(index))
                return
            except RuntimeError:
                with self.replica_log(index).open(errors="replace") as log:
                    log.seek(said)
                    taken = "is not available" in log.read()
                if not taken or attempt == 2:
                    raise
                self.replica_ports[index] = free_port()
                self.replicas[index] = self._start_replica(index)

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

    def stop(self, index: int, seconds: float = 30) -> None:
        """A replica stops gracefully, as in a rolling update: SIGTERM, and Streamlit closes its
        sessions and their connections before it exits. ``restart`` starts it again."""
        self.replicas[index].terminate()
        self.replicas[index].wait(timeout=seconds)

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
    https_port = int(os.environ.get("HTTPS_PORT", "8443"))
    http_port = int(os.environ.get("PORT", "8080"))
    address = os.environ.get("ADDRESS", "127.0.0.1")
    with Stack(run, replicas, https_port, http_port=http_port, address=address) as stack:
        print(f"{stack.base}: nginx in front of {replicas} replicas (ports {', '.join(map(str, stack.replica_ports))}); "
              f"{stack.http_base} redirects there; logs in {run}", flush=True)
        if stack.self_signed:
            print(f"TLS: a self-signed certificate for loopback ({stack.cert}); browsers warn about it. "
                  f"Set {TLS_CERT_ENV} and {TLS_KEY_ENV} to the site's own.", flush=True)
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
