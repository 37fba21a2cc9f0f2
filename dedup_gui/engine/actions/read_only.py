"""Read-only photos to the freedesktop Trash.

send2trash (2.x, freedesktop) refuses a file its user cannot write (`os.access(path, W_OK)`),
though moving a file needs only its folder to be writable. Read-only photos are common (copied
from a camera card or a disc, a Windows read-only flag, a sync tool's), and were refused with
"Permission denied" while the message blamed network shares (a real-window check run as an
ordinary user: 24 of 29 marked files stayed). File managers trash them. So for the move the
owner's write bit is set, and the file's own mode is put back at once on the trashed file (or on
the file itself if the move failed): Undo then restores it as it was. Its bytes and time
modified never change; files of other users, and folders the user cannot write, are left to
the refusal as before.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path


def mode_to_keep(path: str) -> int | None:
    """The permission bits to put back after the move, when the Trash would refuse `path`
    only because the file is read-only; None when nothing needs doing (or may be done)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or os.access(path, os.W_OK):
        return None
    if not hasattr(os, "getuid") or info.st_uid != os.getuid():
        return None
    if not os.access(os.path.dirname(path) or ".", os.W_OK | os.X_OK):
        return None
    return stat.S_IMODE(info.st_mode)


def send_keeping_mode(path: str, mode: int, send: Callable[[str], None],
                      find: Callable[[str, int, int, float], Path | None]) -> None:
    """`send(path)` with the owner's write bit set for the move, then `mode` back on the file
    where `find(path, size, mtime_ns, since)` finds it in the Trash. Raises as `send` does."""
    info = os.lstat(path)
    since = time.time()
    os.chmod(path, mode | stat.S_IWUSR)
    try:
        send(path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.chmod(path, mode)
        raise
    where = find(path, info.st_size, info.st_mtime_ns, since)
    if where is not None:
        with contextlib.suppress(OSError):
            os.chmod(where, mode)
