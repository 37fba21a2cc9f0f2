"""The freedesktop.org Trash: find where send2trash put a file, and put it back.

send2trash moves a file but does not say where. The trash spec does: a trash folder holds files/
and info/, and info/NAME.trashinfo records `Path=` (URL-encoded; absolute, or relative to the
volume's top folder) and `DeletionDate=` (local time, to the second) for files/NAME. The home
trash is $XDG_DATA_HOME/Trash; a file on another volume goes to $top/.Trash/$uid (when the admin
made a sticky $top/.Trash) or $top/.Trash-$uid. So after a move we look for the entry whose Path,
DeletionDate, size and mtime (a rename keeps both) match. macOS and Windows keep their own records
that only Finder's "Put Back" and the Recycle Bin's "Restore" use: there undo says so instead.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote_to_bytes

import send2trash

from dedup_gui.engine.actions import read_only
from dedup_gui.engine.actions.safe_move import move_without_overwrite

PLATFORM = sys.platform  # tests set this to check what other systems are told
GONE = "its entry in the Trash is gone (the Trash was emptied, or it was restored another way)"
OCCUPIED = "something now exists at its original path; move that away and undo again"
_INFO = ".trashinfo"
_CLOCK_SLACK_S = 2.0  # DeletionDate has whole seconds; allow for that and a little clock skew


def freedesktop() -> bool:
    """Whether this system's trash is the freedesktop one undo understands (Linux, the BSDs)."""
    return not PLATFORM.startswith(("darwin", "win", "cygwin"))


def manual_restore_hint(path: str) -> str:
    """What to tell a person when undo cannot restore `path` itself."""
    name = os.path.basename(path)
    if PLATFORM.startswith("darwin"):
        return (f"Undo can't restore files on macOS: open the Trash in Finder, select {name} "
                "and choose Put Back.")
    if PLATFORM.startswith(("win", "cygwin")):
        return (f"Undo can't restore files on Windows: open the Recycle Bin, select {name} "
                "and choose Restore.")
    return (f"Where {name} went in the Trash is not known; restore it from the Trash in your "
            "file manager.")


@dataclass(frozen=True, slots=True)
class TrashDir:
    """A trash folder (holding files/ and info/) and the folder relative Path= values start at."""

    root: Path
    topdir: Path

    def info(self, name: str) -> Path:
        return self.root / "info" / f"{name}{_INFO}"


def data_home() -> Path:
    """$XDG_DATA_HOME, read now (not at import), as send2trash would read it."""
    return Path(os.path.expanduser(os.environ.get("XDG_DATA_HOME") or "~/.local/share"))


def trash_dirs(path: str) -> list[TrashDir]:
    """Every trash folder a file at `path` can have gone to, home trash first."""
    home = data_home()
    top = Path(_mount_point(path))
    uid = os.getuid() if hasattr(os, "getuid") else 0
    found = [TrashDir(home / "Trash", home), TrashDir(top / ".Trash" / str(uid), top),
             TrashDir(top / f".Trash-{uid}", top)]
    return list({d.root: d for d in found}.values())


def _mount_point(path: str) -> str:
    path = os.path.realpath(path)
    while not os.path.ismount(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path


def send(path: str) -> None:
    """send2trash, aimed at the trash `find_trashed` searches; a read-only file goes too
    (read_only.py). Raises OSError on failure."""
    _sync_send2trash_home()
    mode = read_only.mode_to_keep(path) if freedesktop() else None
    if mode is None:
        send2trash.send2trash(path)
    else:
        read_only.send_keeping_mode(path, mode, send2trash.send2trash, find_trashed)


def _sync_send2trash_home() -> None:
    """send2trash's own freedesktop code reads XDG_DATA_HOME once, at import. Re-aim it at the
    home trash of the current environment (they differ only when the environment changed after
    import, as in tests), so the file goes where we look and tests never touch the real Trash."""
    backend = sys.modules.get("send2trash.plat_other")
    if backend is None or send2trash.send2trash is not getattr(backend, "send2trash", None):
        return
    home = os.fsencode(data_home())
    if home != backend.XDG_DATA_HOME:
        backend.XDG_DATA_HOME = home
        backend.HOMETRASH_B = os.path.join(home, b"Trash")
        backend.HOMETRASH = os.fsdecode(backend.HOMETRASH_B)


def find_trashed(path: str, size: int, mtime_ns: int, since: float | None = None) -> Path | None:
    """The files/ entry holding what was at `path` (deleted at or after `since`, a Unix time),
    or None when no trash entry matches."""
    for trash in trash_dirs(path):
        for names in (_probe_names, _listed_names):
            hits = [n for n in names(trash, os.path.basename(path))
                    if _points_to(trash, n, path, since) and _same_file(trash, n, size, mtime_ns)]
            if hits:
                return trash.root / "files" / hits[-1]
    return None


def _probe_names(trash: TrashDir, name: str) -> Iterator[str]:
    """The names send2trash tries in turn ('a.jpg', 'a 1.jpg', 'a 2.jpg' ...): cheap to probe."""
    base, ext = os.path.splitext(name)
    candidate, counter = name, 0
    while (trash.root / "files" / candidate).exists() or trash.info(candidate).exists():
        yield candidate
        counter += 1
        candidate = f"{base} {counter}{ext}"


def _listed_names(trash: TrashDir, name: str) -> Iterator[str]:
    """Other trash tools name copies differently: list info/ for names that start alike."""
    stem = os.path.splitext(name)[0]
    with contextlib.suppress(OSError), os.scandir(trash.root / "info") as entries:
        for entry in entries:
            if entry.name.startswith(stem) and entry.name.endswith(_INFO):
                yield entry.name[: -len(_INFO)]


def _points_to(trash: TrashDir, name: str, path: str, since: float | None) -> bool:
    fields = _read_info(trash.info(name))
    if "Path" not in fields:
        return False
    original = os.fsdecode(unquote_to_bytes(fields["Path"]))
    if not os.path.isabs(original):
        original = os.path.join(trash.topdir, original)
    if not _same_path(original, path):
        return False
    if since is None:
        return True
    try:
        deleted = datetime.fromisoformat(fields.get("DeletionDate", "")).timestamp()
    except ValueError:
        return False
    return deleted >= since - _CLOCK_SLACK_S


def _read_info(info: Path) -> dict[str, str]:
    try:
        lines = info.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return {}
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _same_path(a: str, b: str) -> bool:
    a, b = os.path.abspath(a), os.path.abspath(b)
    if a == b:
        return True
    return (os.path.basename(a) == os.path.basename(b)
            and os.path.realpath(os.path.dirname(a)) == os.path.realpath(os.path.dirname(b)))


def _same_file(trash: TrashDir, name: str, size: int, mtime_ns: int) -> bool:
    return same_file(trash.root / "files" / name, size, mtime_ns)


def same_file(path: str | os.PathLike[str], size: int, mtime_ns: int) -> bool:
    """Whether `path` is a regular file of this size and mtime (a move keeps both)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == size and st.st_mtime_ns == mtime_ns


def discard_orphan_info(path: str, since: float) -> None:
    """After a failed move, remove a .trashinfo written for `path` whose file never arrived."""
    for trash in trash_dirs(path):
        for name in list(_probe_names(trash, os.path.basename(path))):
            if not (trash.root / "files" / name).exists() and _points_to(trash, name, path, since):
                with contextlib.suppress(OSError):
                    trash.info(name).unlink()


def restore(trashed: Path, original: str) -> str | None:
    """Move `trashed` back to `original` and drop its .trashinfo. None when done, else why not.
    Never overwrites: something at `original` makes it refuse."""
    refused = put_back(trashed, original)
    if refused is None:
        with contextlib.suppress(OSError):
            (trashed.parent.parent / "info" / f"{trashed.name}{_INFO}").unlink()
    return refused


def put_back(moved: Path, original: str, gone: str = GONE) -> str | None:
    """Move `moved` (in the Trash or a quarantine folder) back to `original`, keeping its bytes
    and mtime (safe_move.py: across volumes a verified copy). None when done, else why not
    (`gone` when `moved` no longer exists). Never overwrites: something at `original` makes it
    refuse."""
    if not os.path.lexists(moved):
        return gone
    if os.path.lexists(original):
        return OCCUPIED
    try:
        move_without_overwrite(str(moved), original)
    except FileExistsError:
        return OCCUPIED
    except OSError as error:
        return f"it could not be put back ({error.strerror or error})"
    return None
