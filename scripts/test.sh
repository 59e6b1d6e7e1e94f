#!/usr/bin/env bash
# Set up and run every test: unit, app (AppTest) and real-browser (Playwright + Chromium).
# Extra arguments go to pytest, e.g. scripts/test.sh -k contact
cd "$(dirname "$0")/.."
source scripts/setup.sh

# A real Chromium: Debian's package where it exists (Playwright cannot download browsers on
# every network), Playwright's own build otherwise. Chinese glyphs need fonts-noto-cjk.
have_chromium() { [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null; }
have_chromium || apt_install chromium || true
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || apt_install fonts-noto-cjk || true
# The production setup's tests (tests/test_stack.py, the fault tests) run nginx in front of two
# replicas over HTTPS, with a certificate made by openssl, and check it with curl.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx || true
command -v openssl >/dev/null && command -v curl >/dev/null || apt_install openssl curl || true
# The container test (tests/test_container.py) builds and runs the image with podman, on a Debian
# base made with mmdebstrap (no container registry needed); runc, since crun fails on some hosts.
if ! { command -v podman && command -v runc && command -v mmdebstrap && command -v newuidmap && command -v slirp4netns; } >/dev/null; then
  apt_install podman runc mmdebstrap uidmap slirp4netns || true
fi
if ! have_chromium; then
  .venv/bin/python -m playwright install --with-deps chromium
fi

# Two test processes (pytest-xdist): while one waits on a page or a server, the other works;
# tests that share a visit, a walk, the stack or the image stay in one process (tests/conftest.py).
exec .venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
