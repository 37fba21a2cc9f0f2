"""Photos added to a grouped library: only the regions they touch are grouped again
(additions.py), from the basis the last grouping kept in a real SQLite cache (basis_store.py),
and the groups and series are exactly those of a full recomputation without any cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_gui.engine.grouping import additions, groups
from dedup_gui.engine.grouping.basis_store import TABLE, BasisStore
from dedup_gui.engine.grouping.groups import group_and_series
from dedup_gui.engine.grouping.pair_store import PairStore
from dedup_gui.engine.grouping.result_memo import ResultMemo
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.grouping.verified_store import VerifiedStore
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import SIMILAR
from dedup_gui.engine.types import Capture, GroupFile
from tests.engine.grouping.test_matching import MATCHES, Library, library
from tests.images import photo, save
from tests.library import make_library
from tests.series_library import make_series_library

# MATCHES, and pairs verified with similar shots counted (their shots are edges then)
SETTINGS = (*MATCHES, MatchParams(tiers=MATCHES[0].tiers | {SIMILAR}))
ACTIONS = st.sampled_from(["add", "add", "add", "copy", "twin", "remove", "change", "retag"])


class Stamped:
    """The synthetic library with each file's mtime bumped when its signals or capture
    change, as a real file's are (the basis trusts a file whose stamps are unchanged)."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.mtimes: dict[str, int] = {}

    def step(self, action: str) -> None:
        before = dict(self.lib.files), dict(self.lib.captures)
        self.lib.step(action)
        for path in self.lib.files:
            if before[0].get(path) is not self.lib.files[path] or \
                    before[1].get(path) is not self.lib.captures.get(path):
                self.mtimes[path] = self.mtimes.get(path, 1) + 1

    def arguments(self) -> tuple[list[GroupFile], dict, dict, dict]:
        files, digests, hashes, vectors = self.lib.arguments()
        return ([GroupFile(f.path, f.size, self.mtimes.get(f.path, 1), f.width, f.height,
                           f.format, f.capture) for f in files], digests, hashes, vectors)


def grouped(stamped: Stamped, match: MatchParams, cache: Cache | None):
    """A scan's grouping as the pipeline runs it: from the memo, else grouped (from the
    basis where only files were added) and remembered with its basis."""
    files, digests, hashes, vectors = stamped.arguments()
    if cache is None:
        return group_and_series(files, digests, hashes, match=match, embeddings=vectors)
    memo = ResultMemo(cache)
    basis = BasisStore(cache, memo, match, (), "versions")
    key = memo.key(files, digests, hashes, vectors, (), match)
    result = memo.load(key, files) or group_and_series(
        files, digests, hashes, match=match, embeddings=vectors, store=PairStore(cache),
        verified_store=VerifiedStore(cache), basis=basis)
    memo.save(key, files, *result)
    basis.save(key)
    return result


def spied(monkeypatch) -> list:
    """The outcome of every try of the additions' path (None: grouped whole)."""
    tries: list = []
    inner = additions.scoped

    def spy(*args, **kwargs):
        tries.append(inner(*args, **kwargs))
        return tries[-1]
    monkeypatch.setattr(groups, "scoped", spy)
    return tries


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(0, 40),
       steps=st.lists(st.lists(ACTIONS, min_size=1, max_size=8), min_size=1, max_size=4),
       which=st.sampled_from([0, 0, 0, 1, 2, 3, 5, 5]))
def test_groups_after_additions_equal_a_full_recomputation(
        tmp_path_factory, seed: int, size: int, steps: list, which: int) -> None:
    cache = Cache(tmp_path_factory.mktemp("cache") / "cache.sqlite3")
    stamped, match = Stamped(library(seed, size)), SETTINGS[which]
    assert grouped(stamped, match, cache) == grouped(stamped, match, None)
    for actions in steps:
        for action in actions:
            stamped.step(action)
        assert grouped(stamped, match, cache) == grouped(stamped, match, None)
    cache.close()


def test_photos_added_group_only_the_regions_they_touch(tmp_path: Path, monkeypatch) -> None:
    """Added photos take the additions' path, verify fewer units than the library holds,
    and give a full recomputation's groups and series, round after round."""
    tries = spied(monkeypatch)
    cache = Cache(tmp_path / "cache.sqlite3")
    stamped, match = Stamped(library(5, 120)), MATCHES[0]
    grouped(stamped, match, cache)
    assert tries == []  # nothing stored yet
    for _ in range(4):
        for _ in range(3):
            stamped.step("add")
        assert grouped(stamped, match, cache) == grouped(stamped, match, None)
        assert tries[-1] is not None
        assert 0 < np.count_nonzero(tries[-1].scope) < len(tries[-1].scope)
    cache.close()


def test_anything_but_additions_groups_everything_again(tmp_path: Path, monkeypatch) -> None:
    """A file removed or changed, an exact copy split, another basis: the whole library is
    grouped (and the groups are still a full recomputation's)."""
    tries = spied(monkeypatch)
    cache = Cache(tmp_path / "cache.sqlite3")
    stamped, match = Stamped(library(9, 80), ), MATCHES[0]
    grouped(stamped, match, cache)
    for action in ("remove", "change", "retag"):
        stamped.step(action)
        assert grouped(stamped, match, cache) == grouped(stamped, match, None)
    assert tries == []  # no basis held every file unchanged
    cache.db.execute(f"UPDATE {TABLE} SET data = x'00'")  # a damaged basis
    cache.db.conn.commit()
    stamped.step("add")
    assert grouped(stamped, match, cache) == grouped(stamped, match, None)
    assert tries == []
    cache.close()


class Fixed:
    """Files given outright: (path, capture, unit vector angle in degrees)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[Capture, float]] = {}

    def arguments(self) -> tuple[list[GroupFile], dict, dict, dict]:
        files = [GroupFile(p, 1, 1, 64, 64, "JPEG", c) for p, (c, _) in sorted(self.files.items())]
        hashes = {p: (0xFFFF << (16 * k)) for k, p in enumerate(sorted(self.files))}
        vectors = {}
        for path, (_, degrees) in self.files.items():
            vector = np.zeros(24, np.float32)
            vector[:2] = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
            vectors[path] = vector
        return files, {}, hashes, vectors


def test_an_exposure_that_moved_in_time_groups_everything_again(tmp_path: Path,
                                                                 monkeypatch) -> None:
    """A photo pairs with a picture of another camera taken two hours before it: apart
    (far apart). A copy of that photo with its image ID but another clock (wall time one
    minute after the picture) is added: the photo's exposure is now known by the copy's
    instant, so the two cameras' pictures are close shots, alike enough to share a group
    with the copy, though the copy never paired with the picture. That pair lies outside the
    regions the copy touches; its exposure moved, so everything is grouped again."""
    tries = spied(monkeypatch)
    match = MatchParams(tiers=MATCHES[0].tiers | {SIMILAR})
    cache, fixed = Cache(tmp_path / "cache.sqlite3"), Fixed()
    fixed.files["/lib/a_picture.jpg"] = (Capture(0, False, "Cam", "Two"), 0.0)
    fixed.files["/lib/b_photo.jpg"] = (Capture(2 * 3600 * 10**9, False, "Cam", "One",
                                               unique_id="id-9"), 36.87)
    assert grouped(fixed, match, cache)[0] == ()  # far apart: no edge
    fixed.files["/lib/c_copy.jpg"] = (Capture(60 * 10**9, False, "Cam", "One",
                                              unique_id="id-9"), 52.41)
    full = grouped(fixed, match, None)
    assert [len(g.files) for g in full[0]] == [3]
    assert grouped(fixed, match, cache) == full
    assert tries == [None]  # tried, and the whole library grouped
    cache.close()


def test_a_scan_of_photos_added_to_a_real_library(tmp_path: Path, monkeypatch) -> None:
    """Real photos on disk, a real cache: an exact copy of a photo, a re-save of another, an
    unrelated photo and a copy of the burst are added; the rescan takes the additions'
    path and gives a scan without cache's groups and series. Then one is removed: grouped
    whole, and still the same as a scan without cache."""
    tries = spied(monkeypatch)
    root = make_library(tmp_path / "library")
    make_series_library(root / "camera")
    cache_file = tmp_path / "cache.sqlite3"
    first = _scan(root, Cache(cache_file))
    (root / "added").mkdir()
    shutil.copy(root / "other/photo3.jpg", root / "added/photo3_copy.jpg")
    save(photo(4), root / "added/photo4_q70.jpg", quality=70)
    save(photo(8), root / "added/photo8.jpg", quality=90)
    make_series_library(root / "added/trip")
    again = _scan(root, Cache(cache_file))
    assert tries and tries[-1] is not None and not tries[-1].scope.all()
    full = _scan(root, Cache(None))
    assert again.groups == full.groups and again.series == full.series
    assert len(again.groups) > len(first.groups)  # the burst's copies join its series
    assert sum(len(s.files) for s in again.series) > sum(len(s.files) for s in first.series)
    (root / "added/photo8.jpg").unlink()
    tried = len(tries)
    rescan = _scan(root, Cache(cache_file))
    assert len(tries) == tried  # a file gone: no basis holds the library
    assert rescan.groups == _scan(root, Cache(None)).groups


def _scan(root: Path, cache: Cache):
    return run_scan(ScanParams(roots=(str(root),), workers=1), cache)


def test_a_basis_table_of_another_layout_is_made_again(tmp_path: Path, monkeypatch) -> None:
    """A cache holding the table in another layout (a development build's) loses it and
    keeps bases again: the next additions take their path."""
    tries = spied(monkeypatch)
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.db.execute(f"CREATE TABLE {TABLE} (key TEXT PRIMARY KEY, data BLOB)")
    cache.db.execute(f"INSERT INTO {TABLE} VALUES ('k', x'00')")
    cache.db.conn.commit()
    stamped, match = Stamped(library(5, 60)), MATCHES[0]
    grouped(stamped, match, cache)
    stamped.step("add")
    assert grouped(stamped, match, cache) == grouped(stamped, match, None)
    assert tries and tries[-1] is not None
    cache.close()
