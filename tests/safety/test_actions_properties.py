"""Actions never go wrong, as properties over random libraries, marks and mishaps (hypothesis).

Each example writes real photos (exact copies and re-encoded ones) into four folders, scans them
for real with a real cache, marks random files, protects random folders, then tampers with some
files after the scan (size, mtime, bytes or the whole picture with size and mtime kept, deleted,
replaced by a link) and makes random folders read-only, and moves the marks to a real (tmp) Trash.
Then, whatever was drawn:
  - only planned files moved, and of those only the untampered ones outside read-only folders;
  - every file that did not move is byte-for-byte and mtime-for-mtime as it was;
  - no group lost all its files; nothing in a protected folder moved;
  - every refusal and failure has an Outcome with a reason;
  - Undo puts back exactly what moved, byte-identical, and empties the Trash again.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dedup_gui.engine.actions import recheck
from dedup_gui.engine.actions.journal import Journal
from dedup_gui.engine.actions.removal import move_to_trash, plan_removal, undo_last_batch
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Group
from tests.safety.helpers import (
    can_make_immutable,
    flip_a_byte_keeping_size_and_mtime,
    immutable,
    jpeg,
    same_size_other_picture,
    snapshot,
    trash_root,
    write,
)

FOLDERS = 4
TAMPERS = ("size", "mtime", "bytes", "picture", "vanish", "link")


@pytest.fixture(autouse=True)
def _home_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                 ) -> None:
    """send2trash may look at $HOME too; conftest already put XDG_DATA_HOME in tmp."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("user-home")))


@dataclass(frozen=True)
class Case:
    files: tuple[tuple[str, int, int], ...]  # relative path, photo seed, JPEG quality
    marks: frozenset[int]
    protected: frozenset[int]
    tampered: dict[int, str]
    read_only: frozenset[int]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    files = []
    for photo in range(draw(st.integers(1, 3))):
        for copy in range(draw(st.integers(2, 4))):
            quality = 90 if copy == 0 else draw(st.sampled_from([90, 90, 75, 60]))
            folder = draw(st.integers(0, FOLDERS - 1))
            files.append((f"d{folder}/p{photo}_{copy}.jpg", 40 + photo, quality))
    indexes = st.integers(0, len(files) - 1)
    marked = draw(st.lists(st.sampled_from([True, True, False]), min_size=len(files),
                           max_size=len(files)))
    folder_sets = st.sets(st.integers(0, FOLDERS - 1), max_size=1)
    return Case(tuple(files), frozenset(i for i, m in enumerate(marked) if m),
                frozenset(draw(folder_sets)),
                draw(st.dictionaries(indexes, st.sampled_from(TAMPERS), max_size=3)),
                frozenset(draw(folder_sets)))


def tamper(path: Path, how: str, other: Path) -> None:
    """Change `path` after the scan the way people and tools do."""
    if how == "size":
        with open(path, "ab") as handle:
            handle.write(b"edited")
    elif how == "mtime":
        os.utime(path, ns=(0, os.stat(path).st_mtime_ns + 2_000_000_000))
    elif how == "bytes":
        flip_a_byte_keeping_size_and_mtime(path)
    elif how == "picture":
        same_size_other_picture(path, seed=99)
    elif how == "vanish":
        path.unlink()
    elif how == "link":
        path.unlink()
        path.symlink_to(other)


def must_be_refused(path: str, how: str | None, groups: list[Group]) -> bool:
    """Whether the re-check must catch this tampering. A flipped byte changes the picture too
    little to see: it is caught byte for byte where the scan hashed the bytes (files whose size
    another file shares, as every exact copy's does), and only there."""
    if how != "bytes":
        return how is not None
    sizes = [f.size for g in groups for f in g.files]
    size = next(f.size for g in groups for f in g.files if f.path == path)
    return sizes.count(size) > 1 and size <= recheck.SMALL_FILE_BYTES


def run_case(case: Case, root: Path) -> None:
    paths = [str(write(root / rel, jpeg(seed, quality))) for rel, seed, quality in case.files]
    cache = Cache(root / "cache.sqlite3")
    groups = list(run_scan(ScanParams((str(root),), embeddings=False, workers=1), cache).groups)
    grouped = {f.path for g in groups for f in g.files}
    protected = [str(root / f"d{i}") for i in case.protected]
    for index, how in case.tampered.items():
        tamper(Path(paths[index]), how, Path(paths[(index + 1) % len(paths)]))
    before = snapshot(*paths)
    plan = plan_removal(groups, {paths[i] for i in case.marks}, protected)
    stuck = [root / f"d{i}" for i in case.read_only if (root / f"d{i}").is_dir()]
    journal = Journal(cache)
    with immutable(*stuck):
        outcomes = move_to_trash(plan, journal)
    moved = {o.path for o in outcomes if o.ok}
    how_of = {paths[i]: how for i, how in case.tampered.items()}

    assert [o.path for o in outcomes] == [f.path for f in plan.files]
    assert all(o.reason for o in outcomes)
    assert moved <= {f.path for f in plan.files} <= {paths[i] for i in case.marks} & grouped
    for file in plan.files:
        in_stuck = any(file.path.startswith(f"{folder}{os.sep}") for folder in stuck)
        refused = must_be_refused(file.path, how_of.get(file.path), groups)
        if refused or in_stuck:
            assert file.path not in moved, (how_of.get(file.path), in_stuck)
            event(f"refused: {how_of.get(file.path) or 'read-only folder'}")
        elif how_of.get(file.path) is None:
            assert file.path in moved
    assert snapshot(*(p for p in paths if p not in moved)) == {
        p: v for p, v in before.items() if p not in moved}
    for group in groups:
        assert any(f.path not in moved for f in group.files)
    assert not any(p.startswith(f"{d}{os.sep}") for p in moved for d in protected)

    event(f"groups {len(groups)}, planned {min(plan.count, 3)}")
    event(f"moved {min(len(moved), 3)}{'+' if len(moved) >= 3 else ''} files")
    restored = undo_last_batch(journal) if moved else []
    assert {o.path for o in restored if o.ok} == moved
    assert snapshot(*moved) == {p: before[p] for p in moved}
    assert not (trash_root() / "files").exists() or not any((trash_root() / "files").iterdir())
    cache.close()


@pytest.mark.skipif(not can_make_immutable(), reason="cannot make folders read-only here")
@settings(max_examples=40, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cases())
def test_actions_only_ever_move_what_they_may_and_undo_puts_it_back(case: Case) -> None:
    saved = os.environ["XDG_DATA_HOME"]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")  # a Trash of this example's own
        try:
            run_case(case, Path(tmp) / "library")
        finally:
            os.environ["XDG_DATA_HOME"] = saved


@pytest.mark.parametrize("how", ["bytes", "picture"])
def test_a_small_file_replaced_with_size_and_mtime_kept_is_refused(tmp_path: Path,
                                                                   how: str) -> None:
    """The re-check the issue asks for: size and mtime alone would let these through."""
    keep = write(tmp_path / "a/keep.jpg", jpeg(1))
    copy = write(tmp_path / "b/copy.jpg", jpeg(1))
    resaved = write(tmp_path / "b/resaved.jpg", jpeg(1, quality=70))
    cache = Cache(tmp_path / "cache.sqlite3")
    result = run_scan(ScanParams((str(tmp_path / "a"), str(tmp_path / "b")), embeddings=False,
                                 workers=1), cache)
    (group,) = result.groups
    target = copy if how == "bytes" else resaved  # an exact copy is hashed; the other is not
    if how == "bytes":
        flip_a_byte_keeping_size_and_mtime(target)
    else:
        same_size_other_picture(target, seed=7)
    before = snapshot(keep, copy, resaved)
    outcomes = move_to_trash(plan_removal([group], {str(copy), str(resaved)}), Journal(cache))
    reasons = {Path(o.path).name: (o.ok, o.reason) for o in outcomes}
    assert reasons[target.name] == (False, recheck.BYTES_CHANGED if how == "bytes"
                                    else recheck.CONTENT_CHANGED)
    other = resaved if target is copy else copy
    assert reasons[other.name][0] is True
    assert snapshot(target, keep) == {p: v for p, v in before.items() if p != str(other)}


def test_without_a_scan_record_size_and_mtime_decide(tmp_path: Path) -> None:
    """No cache row (the cache was off): nothing to compare the content with, so it moves."""
    keep, copy = write(tmp_path / "keep.jpg", jpeg(1)), write(tmp_path / "copy.jpg", jpeg(1))
    result = run_scan(ScanParams((str(tmp_path),), embeddings=False, workers=1), Cache(None))
    flip_a_byte_keeping_size_and_mtime(copy)
    (outcome,) = move_to_trash(plan_removal(result.groups, {str(copy)}),
                               Journal(Cache(tmp_path / "other.sqlite3")))
    assert outcome.ok and keep.exists()
