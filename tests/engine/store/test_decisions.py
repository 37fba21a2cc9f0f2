"""The "not duplicates" decisions: stored, voided by changes, respected by grouping and rescans, and
never lost when the cache schema changes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from dedup_gui.engine.grouping.groups import group_files
from dedup_gui.engine.grouping.regroup import regroup
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.decisions import Decisions
from dedup_gui.engine.store.rows import CACHE_TABLES, SCHEMA_VERSION, USER_TABLES
from dedup_gui.engine.types import FileEntry, Group, GroupFile, ImageSignals, Pair
from tests.library import EXPECTED_GROUPS, make_library, relative_groups


def gf(name: str, size: int = 1000, mtime: int = 1) -> GroupFile:
    return GroupFile(f"/lib/{name}", size, mtime, 100, 100, "JPEG")


def names(groups) -> list[list[str]]:
    return [[f.path.rsplit("/", 1)[1] for f in g.files] for g in groups]


# -- storage ----------------------------------------------------------------------------------
def test_a_pair_is_remembered_and_forgotten(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    decisions = Decisions(Cache(db))
    assert decisions.mark_not_duplicates([gf("b"), gf("a")])
    again = Decisions(Cache(db))  # persisted
    assert again.pairs_for([gf("a"), gf("b"), gf("c")]) == {("/lib/a", "/lib/b")}
    assert [(d.a, d.b) for d in again.all()] == [("/lib/a", "/lib/b")]
    assert again.forget(["/lib/b", "/lib/a"])
    assert again.pairs_for([gf("a"), gf("b")]) == set()


def test_a_group_marks_all_its_pairs() -> None:
    decisions = Decisions(Cache(None))
    decisions.mark_not_duplicates([gf("a"), gf("b"), gf("c")])
    assert decisions.pairs_for([gf("a"), gf("b"), gf("c")]) == {
        ("/lib/a", "/lib/b"), ("/lib/a", "/lib/c"), ("/lib/b", "/lib/c")}


@pytest.mark.parametrize("changed", [gf("b", size=999), gf("b", mtime=2)])
def test_a_changed_file_voids_the_decision(changed: GroupFile) -> None:
    decisions = Decisions(Cache(None))
    decisions.mark_not_duplicates([gf("a"), gf("b")])
    assert decisions.pairs_for([gf("a"), changed]) == set()
    assert decisions.pairs_for([gf("a")]) == set()  # one file gone: nothing to respect


# -- grouping respects them -------------------------------------------------------------------
def test_near_duplicates_marked_apart_are_never_grouped() -> None:
    files = [gf("a"), gf("b"), gf("c")]
    hashes = {"/lib/a": 0, "/lib/b": 1, "/lib/c": 0b11}
    kwargs = {"match": MatchParams(hash_threshold=4)}
    assert names(group_files(files, {}, hashes, **kwargs)) == [["a", "b", "c"]]
    apart = {("/lib/c", "/lib/a")}  # either order
    assert names(group_files(files, {}, hashes, not_duplicates=apart, **kwargs)) == [["a", "b"]]


def test_identical_files_marked_apart_are_split() -> None:
    files = [gf("a"), gf("b"), gf("c")]
    digests = dict.fromkeys(("/lib/a", "/lib/b", "/lib/c"), "same")
    hashes = dict.fromkeys(digests, 7)
    kwargs = {"match": MatchParams(hash_threshold=4)}
    assert names(group_files(files, digests, hashes, **kwargs)) == [["a", "b", "c"]]
    apart = {("/lib/a", "/lib/b")}
    assert names(group_files(files, digests, hashes, not_duplicates=apart, **kwargs)) == [
        ["a", "c"]]
    no_hash = group_files(files, digests, {}, not_duplicates=apart, **kwargs)  # unreadable
    assert names(no_hash) == [["a", "c"]]


def test_a_pair_marked_apart_stays_apart_however_alike_the_embeddings() -> None:
    """With embeddings, any loosely alike members may share a group (crops of one photo); a pair
    marked "not duplicates" may not, even through a third file that matches both."""
    files = [gf("a"), gf("b"), gf("c")]
    hashes = {"/lib/a": 0, "/lib/b": 1, "/lib/c": 0b11}
    alike = dict.fromkeys(hashes, np.full(4, 0.5, dtype=np.float32))  # cosine 1.0 everywhere
    assert names(group_files(files, {}, hashes, embeddings=alike)) == [["a", "b", "c"]]
    for apart in ({("/lib/a", "/lib/c")}, {("/lib/a", "/lib/b"), ("/lib/a", "/lib/c")}):
        groups = [set(g) for g in names(group_files(files, {}, hashes, embeddings=alike,
                                                     not_duplicates=apart))]
        assert groups  # the rest stays grouped
        assert not any({a[5:], b[5:]} <= g for g in groups for a, b in apart)


def _pair(a: str, b: str, cosine: float, tier: str = "resaved") -> Pair:
    return Pair(f"/lib/{a}", f"/lib/{b}", tier, 2, tier, cosine)


def test_regroup_drops_the_pair_and_keeps_what_is_still_linked() -> None:
    group = Group((gf("a"), gf("b"), gf("c"), gf("d")),
                  (_pair("a", "b", 0.99), _pair("a", "c", 0.8), _pair("b", "c", 0.9),
                   _pair("c", "d", 0.95)))
    again = regroup(group, {("/lib/b", "/lib/a")})  # either order
    assert names(again) == [["b", "c", "d"]]  # strongest links first: c~d, then b~c; a is left
    assert {(p.a, p.b) for p in again[0].pairs} == {("/lib/b", "/lib/c"), ("/lib/c", "/lib/d")}
    assert names(regroup(group, {("/lib/c", "/lib/d")})) == [["a", "b", "c"]]  # d only had c
    assert regroup(Group((gf("a"), gf("b")), (_pair("a", "b", 0.9),)), {("/lib/a", "/lib/b")}) == ()


def test_regroup_splits_identical_files() -> None:
    same = [Pair(f"/lib/{x}", f"/lib/{y}", "identical bytes", 0, "identical")
            for x, y in (("a", "b"), ("a", "c"), ("b", "c"))]
    again = regroup(Group((gf("a"), gf("b"), gf("c")), tuple(same)), {("/lib/a", "/lib/b")})
    assert names(again) == [["a", "c"]]


# -- through run_scan on a real library -------------------------------------------------------
def test_not_duplicates_is_respected_after_a_rescan(tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    db = tmp_path / "cache.sqlite3"
    params = ScanParams(roots=(str(library),), embeddings=False)  # synthetic photos: hashes
    first = run_scan(params, Cache(db))
    assert relative_groups(first.groups, library) == EXPECTED_GROUPS
    one, two = first.groups
    exact_pair = [f for f in one.files if f.path.endswith(("a/one.jpg", "b/one_copy.jpg"))]
    decisions = Decisions(Cache(db))
    decisions.mark_not_duplicates(two.files)  # a whole group
    decisions.mark_not_duplicates(exact_pair)  # a pair of identical files
    decisions.cache.close()

    rescanned = relative_groups(run_scan(params, Cache(db)).groups, library)
    assert all("a/two.jpg" not in g for g in rescanned)
    assert not any({"a/one.jpg", "b/one_copy.jpg"} <= set(g) for g in rescanned)
    assert sum(len(g) for g in rescanned) == 3  # one of the pair still groups with the others

    (library / "c/two_q60.jpg").write_bytes((library / "c/two_q60.jpg").read_bytes() + b"\0")
    changed = relative_groups(run_scan(params, Cache(db)).groups, library)
    assert ["a/two.jpg", "c/two_q60.jpg"] in changed  # an edited file voids the decision


# -- schema: user data survives every cache change ---------------------------------------------
def _v1_file(db: Path) -> None:
    """A cache as version 1 wrote it: the two cache tables and user_version 1."""
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE signals (path TEXT, algo TEXT, size INTEGER, mtime_ns INTEGER, "
                 "width INTEGER, height INTEGER, format TEXT, error TEXT, phash BLOB, "
                 "dhash BLOB, ahash BLOB, whash BLOB, PRIMARY KEY (path, algo))")
    conn.execute("CREATE TABLE content_hashes (path TEXT PRIMARY KEY, size INTEGER, "
                 "mtime_ns INTEGER, algo TEXT, digest TEXT)")
    conn.execute("INSERT INTO content_hashes VALUES ('/p/a.jpg', 5, 6, 'algo', 'digest')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _tables(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_version_1_migrates_to_2_keeping_cached_rows(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    _v1_file(db)
    cache = Cache(db)
    assert cache.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert "captures" in _tables(db)  # version 4 adds the captures cache table
    assert set(USER_TABLES) <= _tables(db)
    assert cache.content_hashes([FileEntry("/p/a.jpg", 5, 6)], "algo") == {"/p/a.jpg": "digest"}
    assert Decisions(cache).mark_not_duplicates([gf("a"), gf("b")])


@pytest.mark.parametrize("unknown_version", [SCHEMA_VERSION + 1, 99])
def test_a_cache_rebuild_never_drops_decisions_or_the_journal(tmp_path: Path,
                                                              unknown_version: int) -> None:
    db = tmp_path / "c.db"
    cache = Cache(db)
    Decisions(cache).mark_not_duplicates([gf("a"), gf("b")])
    cache.put_signals([(FileEntry("/p/a.jpg", 1, 2), ImageSignals(1, 1, "PNG", dict.fromkeys(
        ("phash", "dhash", "ahash", "whash"), 1)))], "algo")
    cache.db.execute("INSERT INTO journal_batches (started_ns) VALUES (1)")
    cache.db.execute(f"PRAGMA user_version = {unknown_version}")
    cache.db.conn.commit()
    cache.close()

    reopened = Cache(db)
    assert reopened.signals([FileEntry("/p/a.jpg", 1, 2)], "algo") == {}  # cache rebuilt
    assert set(CACHE_TABLES) <= _tables(db)
    assert Decisions(reopened).pairs_for([gf("a"), gf("b")]) == {("/lib/a", "/lib/b")}
    assert reopened.db.execute("SELECT COUNT(*) FROM journal_batches").fetchone()[0] == 1


def test_a_locked_version_1_file_is_read_and_decisions_fail_gently(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another (older) instance holds the file in the middle of a write: it cannot be migrated,
    nor safely read (its pages may be half-written), so this run does without it."""
    monkeypatch.setattr("dedup_gui.engine.store.connection.BUSY_TIMEOUT_S", 0.1)
    db = tmp_path / "c.db"
    _v1_file(db)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        cache = Cache(db)
        assert cache.in_memory_only
        assert cache.content_hashes([FileEntry("/p/a.jpg", 5, 6)], "algo") == {}
        decisions = Decisions(cache)
        assert decisions.pairs_for([gf("a")]) == set()
        assert not decisions.mark_not_duplicates([gf("a"), gf("b")])
        assert any("could not be" in w for w in cache.warnings)
        cache.close()
    finally:
        holder.rollback()
        holder.close()
    assert Cache(db).db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
