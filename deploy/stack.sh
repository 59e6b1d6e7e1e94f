#!/usr/bin/env bash
# The production setup on this machine, on loopback: nginx in front of two app replicas.
# http://127.0.0.1:8080 (PORT=..., REPLICAS=..., RUN_DIR=... to change). Ctrl-C stops it all.
cd "$(dirname "$0")/.."
source scripts/setup.sh
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx
exec .venv/bin/python deploy/stack.py
