"""Two volumes on one test disk: hard links and renames between folders given as different
volumes fail with EXDEV, as between two real drives; within one volume they work."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest


def split_volumes(monkeypatch: pytest.MonkeyPatch, *volumes: Path) -> None:
    """From now on each of `volumes` (and everything else, as one more) acts as its own drive
    for os.link and os.rename."""
    roots = [str(v.resolve()) for v in volumes]

    def volume(path: object) -> int:
        text = str(Path(os.fsdecode(path)).resolve())  # type: ignore[arg-type]
        return next((i for i, r in enumerate(roots) if text == r or text.startswith(r + os.sep)),
                    len(roots))

    def within_one(real):
        def call(source: object, target: object, *args: object, **kwargs: object) -> None:
            if volume(source) != volume(target):
                raise OSError(errno.EXDEV, "Invalid cross-device link")
            real(source, target, *args, **kwargs)
        return call

    monkeypatch.setattr(os, "link", within_one(os.link))
    monkeypatch.setattr(os, "rename", within_one(os.rename))


def no_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system without hard links (FAT, exFAT): os.link fails with EPERM everywhere."""
    def refuse(_source: object, _target: object, *_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
