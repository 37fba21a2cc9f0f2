#!/usr/bin/env bash
# Put dedup-gui in your applications menu (for you only, no root): the desktop entry, the icon at
# every size in the hicolor theme, and the AppStream metadata, all under ~/.local/share (or
# $XDG_DATA_HOME). The entry starts the bundle by its absolute path, so keep the bundle where it
# is (or run this again after moving it).
#
#   packaging/install-desktop-entry.sh [BUNDLE_DIR]    # from a checkout; default dist/dedup-gui
#   ./install-desktop-entry.sh                         # from inside an unpacked bundle
#
# Undo with uninstall-desktop-entry.sh. Needs only bash and coreutils.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
APP=dedup-gui
APPID=io.github.dedup_gui.DedupGui

die() { echo "install-desktop-entry: $*" >&2; exit 1; }

if [ $# -gt 1 ]; then die "usage: $0 [BUNDLE_DIR]"; fi
if [ $# -eq 1 ]; then
  BUNDLE=$1
elif [ -x "$HERE/$APP" ] && [ -d "$HERE/_internal" ]; then
  BUNDLE=$HERE                          # this script ships inside the bundle
else
  BUNDLE=$HERE/../dist/$APP             # a checkout after packaging/build.sh
fi
[ -d "$BUNDLE" ] || die "no bundle at $BUNDLE (build it first: packaging/build.sh)"
BUNDLE=$(cd "$BUNDLE" && pwd)
EXE=$BUNDLE/$APP
[ -x "$EXE" ] || die "no executable $EXE (build it first: packaging/build.sh)"

# Icons and metadata: the bundle's own copy, else the checkout's resources/.
RES=$BUNDLE/_internal/dedup_gui/resources
[ -f "$RES/$APP.desktop" ] || RES=$HERE/../resources
[ -f "$RES/$APP.desktop" ] || die "cannot find $APP.desktop next to the bundle or in resources/"

DATA=${XDG_DATA_HOME:-$HOME/.local/share}
APPS=$DATA/applications
ICONS=$DATA/icons/hicolor

# Exec= quoting (Desktop Entry spec): inside double quotes escape \ " ` $, then escape every
# backslash again for the file's string syntax; % must be doubled.
quoted=${EXE//\\/\\\\}
quoted=${quoted//\"/\\\"}
quoted=${quoted//\`/\\\`}
quoted=${quoted//\$/\\\$}
quoted=${quoted//\\/\\\\}
quoted=${quoted//%/%%}
plain=${EXE//\\/\\\\}

mkdir -p "$APPS" "$ICONS/scalable/apps" "$DATA/metainfo"
tmp=$(mktemp "$APPS/.$APP.XXXXXX")
while IFS= read -r line; do
  case "$line" in
    Exec=*) printf 'Exec="%s" %%F\nTryExec=%s\n' "$quoted" "$plain" ;;  # %F: folders
    TryExec=*) ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$RES/$APP.desktop" > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$APPS/$APP.desktop"

for png in "$RES"/icons/hicolor/*/apps/"$APP".png; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  install -D -m 644 "$png" "$ICONS/$size/apps/$APP.png"
done
install -m 644 "$RES/icons/app.svg" "$ICONS/scalable/apps/$APP.svg"
install -m 644 "$RES/$APPID.metainfo.xml" "$DATA/metainfo/$APPID.metainfo.xml"

# Refresh the caches where the tools exist (menus pick the entry up without them, a bit later).
touch "$ICONS"
if command -v gtk-update-icon-cache >/dev/null && [ -f "$ICONS/index.theme" ]; then
  gtk-update-icon-cache -q -t "$ICONS" || true
fi
if command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$APPS" || true
fi

echo "dedup-gui is in your applications menu: $APPS/$APP.desktop -> $EXE"
