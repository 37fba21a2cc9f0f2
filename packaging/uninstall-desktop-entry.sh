#!/usr/bin/env bash
# Take dedup-gui out of your applications menu: removes exactly the files
# install-desktop-entry.sh put under ~/.local/share (or $XDG_DATA_HOME), nothing else. The bundle
# itself, your settings and the cache stay where they are.
set -euo pipefail

APP=dedup-gui
APPID=io.github.dedup_gui.DedupGui
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
APPS=$DATA/applications
ICONS=$DATA/icons/hicolor

removed=0
remove() {
  if [ -e "$1" ] || [ -L "$1" ]; then rm -f -- "$1"; removed=$((removed + 1)); fi
}

remove "$APPS/$APP.desktop"
remove "$DATA/metainfo/$APPID.metainfo.xml"
remove "$ICONS/scalable/apps/$APP.svg"
for size in 16 24 32 48 64 128 256 512; do
  remove "$ICONS/${size}x${size}/apps/$APP.png"
done

if [ -d "$ICONS" ]; then
  touch "$ICONS"
  if command -v gtk-update-icon-cache >/dev/null && [ -f "$ICONS/index.theme" ]; then
    gtk-update-icon-cache -q -t "$ICONS" || true
  fi
fi
if [ -d "$APPS" ] && command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$APPS" || true
fi

echo "removed $removed dedup-gui menu files from $DATA"
