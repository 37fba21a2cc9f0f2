"""Moving a file to a new name without ever replacing what is there, keeping its bytes and
mtime: into a quarantine folder, back out of it, and back out of the Trash.

Why a module of its own: every move that undoes or replaces a trash call goes through here,
with one rule for each volume. A hard link claims the new name atomically (it fails if the
name exists), then the old name goes. On one volume without links (FAT, exFAT) a rename
follows a check that the name is free. Across volumes the file is copied to a hidden name,
flushed and compared byte for byte before it takes the new name and the source goes: a torn
copy (a full disk, a pulled USB stick) leaves the source where it was, never a damaged file in
its place.
"""

from __future__ import annotations

import contextlib
import errno
import filecmp
import os
import shutil
from pathlib import Path

# Why a hard link can fail where a copy works: another volume, a file system without links
# (FAT, some network shares), too many links, or a sandbox that forbids them.
NO_LINK = {errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}


def move_without_overwrite(source: str, target: str) -> None:
    """Move `source` to `target` (a new name), keeping bytes and mtime. Raises OSError with the
    source still in place when it cannot; never replaces anything at `target`."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)  # fails if `target` exists
    except OSError as error:
        if error.errno not in NO_LINK:
            raise
        _move_without_links(source, target)
        return
    _drop_source(source, target)


def _move_without_links(source: str, target: str) -> None:
    """Where no hard link can be made: on one volume a rename right after checking that the
    name is free (an SD card's exFAT: a photo's bytes are not copied twice), across volumes a
    verified copy, then the source goes."""
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "the name is taken", target)
    try:
        os.rename(source, target)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    _copy_verified(source, target)
    _drop_source(source, target)


def _drop_source(source: str, target: str) -> None:
    """The source's name goes once the target holds the file; if it cannot, the target goes
    instead (the original stays where it was)."""
    try:
        os.unlink(source)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def _copy_verified(source: str, target: str) -> None:
    """Copy to a hidden temporary name, flush it to disk, compare it byte for byte, then give it
    its name: by a link where the volume has them (an existing `target` makes it fail), else by
    a rename right after checking that the name is free."""
    partial = Path(target).with_name(f".{Path(target).name}.partial")
    try:
        shutil.copy2(source, partial)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        if not filecmp.cmp(source, partial, shallow=False):
            raise OSError(errno.EIO, "the copy differs from the original")
        try:
            os.link(partial, target)
        except OSError as error:
            if error.errno not in NO_LINK:
                raise
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, "the name is taken", target) from None
            os.rename(partial, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(partial)
