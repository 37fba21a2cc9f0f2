"""A read-only photo in a folder the user can write goes to the Trash, keeps its mode there, and
comes back with it (read_only.py). Run as an ordinary user: root may write anything, so under
root the check runs in a child process without the capability to override file permissions."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CHILD = textwrap.dedent("""
    import os, stat, sys
    from dedup_gui.engine.actions import trash_restore
    from dedup_gui.engine.actions.journal import Journal
    from dedup_gui.engine.actions.removal import move_to_trash, plan_removal, undo_last_batch
    from dedup_gui.engine.store.cache import Cache
    from dedup_gui.engine.types import Group, GroupFile

    keep, photo = sys.argv[1:3]
    files = tuple(GroupFile(p, os.stat(p).st_size, os.stat(p).st_mtime_ns, 8, 8, "JPEG")
                  for p in (keep, photo))
    assert not os.access(photo, os.W_OK), "the child can still write the read-only file"
    journal = Journal(Cache(None))
    (outcome,) = move_to_trash(plan_removal([Group(files, ())], {photo}), journal)
    print("moved", outcome.ok, outcome.reason)
    print("trashed mode", oct(stat.S_IMODE(os.stat(outcome.trashed_as).st_mode)))
    (back,) = undo_last_batch(journal)
    print("restored", back.ok, oct(stat.S_IMODE(os.stat(photo).st_mode)))
""")


def _unprivileged() -> list[str]:
    if os.getuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root without setpriv: cannot drop the permission override")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_a_read_only_photo_goes_to_the_trash_and_comes_back_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "card/DCIM"
    folder.mkdir(parents=True)
    keep, photo = folder / "IMG_0001.JPG", folder / "IMG_0001 copy.JPG"
    keep.write_bytes(b"photo bytes")
    photo.write_bytes(b"photo bytes")
    photo.chmod(0o444)
    before = (photo.read_bytes(), photo.stat().st_mtime_ns)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)}
    run = subprocess.run([*_unprivileged(), sys.executable, "-c", CHILD, str(keep), str(photo)],
                         capture_output=True, text=True, env=env, cwd=Path(__file__).parents[2],
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert "moved True" in run.stdout, run.stdout
    assert "trashed mode 0o444" in run.stdout
    assert "restored True 0o444" in run.stdout
    assert (photo.read_bytes(), photo.stat().st_mtime_ns) == before
    assert stat.S_IMODE(photo.stat().st_mode) == 0o444
