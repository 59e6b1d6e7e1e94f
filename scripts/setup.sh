# Sourced by run-app.sh and test.sh: a virtual environment in .venv with the pinned requirements.
# Works on a fresh Debian or Ubuntu machine with Python 3.11 or newer.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ -z "${TG_APT_UPDATED:-}" ]; then $SUDO apt-get update -qq; TG_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv 2>/dev/null || { apt_install python3-venv && python3 -m venv .venv; }
fi
# Reinstall only when requirements.txt changed since the last install.
if ! cmp -s requirements.txt .venv/.installed-requirements 2>/dev/null; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
  cp requirements.txt .venv/.installed-requirements
fi
# The app itself, editable: scripts, benchmarks and tools import it from this checkout.
if ! cmp -s pyproject.toml .venv/.installed-project 2>/dev/null || ! .venv/bin/python -c 'import trialguide' 2>/dev/null; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  cp pyproject.toml .venv/.installed-project
fi
