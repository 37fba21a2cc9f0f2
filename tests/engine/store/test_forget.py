"""A rescan forgets the cache rows of files gone from the folders it read completely, and only
those: another library's rows, an unreadable folder's, a cancelled scan's stay (a real cache
file, real scans of real images)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.progress import Cancelled, CancelToken
from dedup_gui.engine.signals.hashing import hash_algo_key
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.forget import PATH_TABLES, folder_range, forget_missing
from tests.images import photo, resized_copy, save


def _library(root: Path, first: int) -> Path:
    for seed in range(first, first + 3):
        save(photo(seed), root / f"a/photo{seed}.jpg", quality=90)
    save(resized_copy(photo(first), 0.5), root / "b/small.jpg", quality=80)
    return root


def _scan(cache_file: Path, *roots: Path, cancel: CancelToken | None = None) -> None:
    cache = Cache(cache_file)
    try:
        run_scan(ScanParams(roots=tuple(map(str, roots)), workers=1), cache, cancel=cancel)
    finally:
        cache.close()


def _paths(cache_file: Path) -> dict[str, set[str]]:
    """Per path-keyed table of the file, the paths it holds rows for."""
    with sqlite3.connect(cache_file) as db:
        tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {t: {p for (p,) in db.execute(f"SELECT path FROM [{t}]")}
                for t in PATH_TABLES if t in tables}


def test_a_rescan_forgets_files_gone_from_its_folder_and_keeps_other_libraries(
        tmp_path: Path) -> None:
    home, other = _library(tmp_path / "home", 1), _library(tmp_path / "other", 11)
    cache_file = tmp_path / "cache.sqlite3"
    _scan(cache_file, home, other)
    gone, moved = home / "a/photo2.jpg", home / "b/small.jpg"
    before = _paths(cache_file)
    assert {"signals", "embeddings", "content_hashes"} <= before.keys()
    assert str(gone) in before["signals"] and str(gone) in before["embeddings"]
    gone.unlink()
    (home / "c").mkdir()
    moved.rename(home / "c/small.jpg")
    _scan(cache_file, home)  # `other` is not scanned this time
    after = _paths(cache_file)
    for table, paths in after.items():
        assert str(gone) not in paths and str(moved) not in paths, table
        assert {p for p in before[table] if p.startswith(str(other))} <= paths, table
    assert str(home / "c/small.jpg") in after["signals"]
    assert str(home / "a/photo1.jpg") in after["embeddings"]


def test_an_unreadable_folder_or_a_cancelled_scan_forgets_nothing(tmp_path: Path) -> None:
    home = _library(tmp_path / "home", 21)
    cache_file = tmp_path / "cache.sqlite3"
    _scan(cache_file, home)
    before = _paths(cache_file)
    shutil.rmtree(home / "b")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        _scan(cache_file, home, cancel=token)
    assert _paths(cache_file) == before
    cache = Cache(cache_file)  # a walk that met an unreadable folder (root reads any folder,
    try:  # so the walk's issue is given here as discover() reports it)
        algo = hash_algo_key(8)
        assert forget_missing(cache, [str(home)], [], [str(home / "a")], algo) == 0
        assert _paths(cache_file) == before
        assert forget_missing(cache, [str(home)], [], [], algo) == len(before["signals"])
    finally:
        cache.close()
    assert not any(_paths(cache_file).values())


def test_the_folder_range_holds_its_folder_and_nothing_beside_it() -> None:
    low, high = folder_range(f"{os.sep}photos{os.sep}")
    inside = [f"{os.sep}photos{os.sep}a.jpg", f"{os.sep}photos{os.sep}x{os.sep}~b.jpg"]
    beside = [f"{os.sep}photos", f"{os.sep}photos2{os.sep}a.jpg", f"{os.sep}photos-old.jpg",
              f"{os.sep}photo{os.sep}a.jpg"]
    assert all(low <= p < high for p in inside)
    assert not any(low <= p < high for p in beside)


def test_several_folders_forget_what_each_lost_whatever_the_order_found(
        tmp_path: Path) -> None:
    """Several roots (the paths found sorted once and bisected per root): each root loses
    exactly its own missing files, whatever order the walk gave them in."""
    home, other = _library(tmp_path / "home", 31), _library(tmp_path / "other", 41)
    cache_file = tmp_path / "cache.sqlite3"
    _scan(cache_file, home, other)
    before = _paths(cache_file)
    gone = [home / "a/photo32.jpg", other / "b/small.jpg"]
    found = sorted(p for p in before["signals"] if Path(p) not in gone)[::-1]
    cache = Cache(cache_file)
    try:
        forgotten = forget_missing(cache, [str(home), str(other / "a"), str(other / "b")],
                                   found, [], hash_algo_key(8))
    finally:
        cache.close()
    assert forgotten == 2
    after = _paths(cache_file)
    for table, paths in after.items():
        assert paths == before[table] - {str(p) for p in gone}, table


def test_paths_within_a_folder_by_bisection_are_those_of_one_pass() -> None:
    from random import Random

    from dedup_gui.engine.store.forget import _within

    rng = Random(4)
    names = ["a", "a b", "a-b", "a/b", "a/b/c", "a0", "b", "ab", "a.", "é", "a/é", "a~"]
    paths = [os.sep + os.sep.join(rng.choice(names) for _ in range(rng.randint(1, 3)))
             for _ in range(300)]
    ordered = sorted(paths)
    for root in {os.sep + n for n in names}:
        low, high = folder_range(root)
        assert _within(ordered, low, high, presorted=True) == \
            sorted(_within(paths, low, high, presorted=False))
