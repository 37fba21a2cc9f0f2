"""Shared pieces of the safety tests: photo bytes, snapshots of files, folders nothing can leave."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tests.images import photo

Snapshot = dict[str, tuple[bytes, int]]


@cache
def jpeg(seed: int, quality: int = 90, size: tuple[int, int] = (96, 72)) -> bytes:
    """A small synthetic photo as JPEG bytes (cached: hypothesis asks for the same ones often)."""
    buf = io.BytesIO()
    photo(seed, size).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def snapshot(*paths: str | Path) -> Snapshot:
    """Bytes and mtime of each file that exists; what "untouched" and "byte-identical" mean."""
    found = {}
    for path in map(str, paths):
        if os.path.lexists(path):
            found[path] = (Path(path).read_bytes(), os.lstat(path).st_mtime_ns)
    return found


def trash_root() -> Path:
    """The home Trash of the test's tmp XDG_DATA_HOME (conftest points it there)."""
    return Path(os.environ["XDG_DATA_HOME"]) / "Trash"


def same_size_other_picture(path: Path, seed: int) -> None:
    """Replace the JPEG at `path` with another picture of exactly the same byte size and mtime,
    as a sync tool restoring another file with its timestamps would: JPEG readers ignore bytes
    after the end-of-image marker, so a smaller encoding is padded to the old size."""
    stat = os.stat(path)
    for quality in range(90, 5, -5):
        data = jpeg(seed, quality)
        if len(data) <= stat.st_size:
            break
    else:
        raise AssertionError("no encoding small enough")
    path.write_bytes(data + b"\0" * (stat.st_size - len(data)))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def flip_a_byte_keeping_size_and_mtime(path: Path) -> None:
    stat = os.stat(path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x55
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def can_make_immutable() -> bool:
    return os.geteuid() != 0 or shutil.which("chattr") is not None


@contextlib.contextmanager
def immutable(*folders: Path) -> Iterator[None]:
    """Folders nothing can be moved out of, even by root (chattr +i); skip where unsupported."""
    done: list[Path] = []
    try:
        for folder in folders:
            if os.geteuid() != 0:
                folder.chmod(0o555)
            elif shutil.which("chattr") is None or subprocess.run(
                    ["chattr", "+i", str(folder)], capture_output=True).returncode:
                pytest.skip("cannot make a folder read-only here")
            done.append(folder)
        yield
    finally:
        for folder in done:
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(folder)], check=False)
            folder.chmod(0o755)
