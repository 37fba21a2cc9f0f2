#!/usr/bin/env bash
# Build the double-click app: a one-folder PyInstaller bundle in dist/dedup-gui/.
#   packaging/build.sh            -> set-up (as dev.sh does), PyInstaller, then check the bundle
#   packaging/build.sh --clean    -> the same, without PyInstaller's cache (build/pyinstaller)
# Works from a fresh clone: dev.sh installs the apt packages and .venv, this adds PyInstaller (the
# `packaging` extra) and binutils (PyInstaller needs objdump; the spec strips with `strip`).
# Then:  dist/dedup-gui/dedup-gui                 the app (or --self-test, --version, scan …)
#        dist/dedup-gui/install-desktop-entry.sh  puts it in your applications menu
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${DEDUP_GUI_VENV:-$ROOT/.venv}
BUNDLE=$ROOT/dist/dedup-gui

log() { printf '\033[1m[build.sh]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

ensure_binutils() {
  command -v objdump >/dev/null && command -v strip >/dev/null && return 0
  command -v apt-get >/dev/null || { log "please install binutils (objdump, strip)"; return 1; }
  log "installing binutils (PyInstaller needs objdump)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils
}

packaging/dev.sh setup
ensure_binutils
if ! "$VENV/bin/python" -c "import PyInstaller" 2>/dev/null; then
  log "installing PyInstaller into $VENV (the 'packaging' extra)"
  "$VENV/bin/python" -m pip install -q -e ".[packaging]"
fi

log "building $BUNDLE (about a minute)"
started=$SECONDS
"$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN --distpath "$ROOT/dist" \
  --workpath "$ROOT/build/pyinstaller" "$@" packaging/dedup-gui.spec
install -m 755 packaging/install-desktop-entry.sh packaging/uninstall-desktop-entry.sh "$BUNDLE/"
"$VENV/bin/python" packaging/collect_licenses.py "$BUNDLE"  # LICENSE and licenses/
log "built in $((SECONDS - started)) s"

"$VENV/bin/python" packaging/check_bundle.py "$BUNDLE"
"$BUNDLE/dedup-gui" --version
log "run it: $BUNDLE/dedup-gui   (check it: $BUNDLE/dedup-gui --self-test)"
