#!/usr/bin/env bash
# Set up everything dedup-gui needs on Debian/Ubuntu, then start the app or run the tests.
#   packaging/dev.sh app    -> apt packages, .venv, pip install, start the app
#   packaging/dev.sh test   -> the same set-up plus chromium (report test), then the whole test suite
#   packaging/dev.sh setup  -> only the set-up (packaging/build.sh starts with it)
# Idempotent: apt runs only for missing packages, pip only when pyproject.toml changed.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${DEDUP_GUI_VENV:-$ROOT/.venv}

# Qt needs these even offscreen; the xcb ones are for a real window on X11/XWayland.
APT_QT="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0"
APT_X11="libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-randr0
 libxcb-shape0 libxcb-sync1 libxcb-xfixes0 libx11-xcb1"
# Only for the tests: the HTML report is rendered by a real headless browser.
APT_TEST="chromium"

log() { printf '\033[1m[dev.sh]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    log "not a Debian/Ubuntu system; please install: ${missing[*]}"; return 0
  fi
  log "installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  log "dedup-gui needs Python 3.11 or newer (Debian 12, Ubuntu 24.04 have it)"; return 1
}

setup() {
  # shellcheck disable=SC2086
  apt_install $APT_QT $APT_X11
  local python
  python=$(find_python)
  if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    apt_install python3-venv
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$python" -m venv "$VENV"
  fi
  local stamp="$VENV/.dedup-gui-installed"
  local want
  want=$(sha256sum pyproject.toml | cut -d" " -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing dedup-gui and its test tools into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[test]"
    echo "$want" > "$stamp"
  fi
}

case "${1:-}" in
  app)  setup; exec "$VENV/bin/dedup-gui" ;;
  # shellcheck disable=SC2086
  test) apt_install $APT_TEST; setup; shift; cd "$ROOT"; exec "$VENV/bin/python" -m pytest "$@" ;;
  setup) setup ;;
  *)    echo "usage: $0 app|test [pytest args]|setup" >&2; exit 2 ;;
esac
