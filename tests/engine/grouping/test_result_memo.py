"""Remembered groups (grouping/result_memo.py): a rescan of an unchanged library takes back its
groups and series without grouping, any change to what the grouping reads groups again, and a
memo that cannot be read is never applied."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dedup_gui.engine import pipeline
from dedup_gui.engine.grouping import result_memo
from dedup_gui.engine.grouping.result_memo import KEEP, TABLE, ResultMemo, grouping_key
from dedup_gui.engine.grouping.units import MatchParams
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.decisions import Decisions
from dedup_gui.engine.tiers import EDITED, RESAVED, SIMILAR
from dedup_gui.engine.types import Capture, Group, GroupFile, Pair, Series
from tests.images import photo, save
from tests.library import make_library
from tests.series_library import make_series_library


def _scan(root: Path, cache: Cache, **options: object):
    return run_scan(ScanParams(roots=(str(root),), workers=1, **options), cache)


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    root = make_library(tmp_path / "library")
    make_series_library(root / "camera")
    return root


@pytest.fixture()
def grouping_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the scan grouped (group_and_series ran) since the fixture was made."""
    calls: list[int] = []
    real = pipeline.group_and_series

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "group_and_series", counted)
    return calls


def test_an_unchanged_rescan_takes_back_its_groups_without_grouping(
        tmp_path: Path, library: Path, grouping_runs: list[int]) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    first = _scan(library, Cache(cache_file))
    assert first.series and len(first.groups) >= 3 and len(grouping_runs) == 1
    again = _scan(library, Cache(cache_file))
    assert len(grouping_runs) == 1  # nothing grouped
    full = _scan(library, Cache(None))
    assert again.groups == first.groups == full.groups
    assert again.series == first.series == full.series
    assert again.stats.decoded == 0


def _touch(root: Path) -> None:
    os.utime(root / "a/two.jpg", ns=(1, 10**18))


def _add_copy(root: Path) -> None:
    shutil.copy(root / "a/two.jpg", root / "other/two_again.jpg")


def _remove(root: Path) -> None:
    (root / "c/one.png").unlink()


def _replace(root: Path) -> None:
    save(photo(4), root / "other/photo3.jpg", quality=70)  # now a copy of photo4
    os.utime(root / "other/photo3.jpg", ns=(1, 10**18))


@pytest.mark.parametrize("change", [_touch, _add_copy, _remove, _replace])
def test_a_changed_library_is_grouped_again(tmp_path: Path, library: Path,
                                            grouping_runs: list[int], change) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    _scan(library, Cache(cache_file))
    change(library)
    rescan = _scan(library, Cache(cache_file))
    assert len(grouping_runs) == 2
    assert rescan.groups == _scan(library, Cache(None)).groups
    again = _scan(library, Cache(cache_file))
    assert len(grouping_runs) == 3 and again.groups == rescan.groups  # remembered anew


def test_a_decision_or_a_setting_groups_again(tmp_path: Path, library: Path,
                                              grouping_runs: list[int]) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    first = _scan(library, Cache(cache_file))
    two = next(g for g in first.groups if any(f.path.endswith("two.jpg") for f in g.files))
    cache = Cache(cache_file)
    assert Decisions(cache).mark_not_duplicates(two.files)
    decided = _scan(library, cache)
    assert len(grouping_runs) == 2 and two not in decided.groups
    _scan(library, Cache(cache_file), threshold=2)
    assert len(grouping_runs) == 3
    _scan(library, Cache(cache_file))  # back to the first settings: its outcome is kept
    assert len(grouping_runs) == 3


def test_a_damaged_memo_groups_again(tmp_path: Path, library: Path,
                                     grouping_runs: list[int]) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    first = _scan(library, Cache(cache_file))
    for damage in (b"not zlib", b"x\x9c\x03\x00\x00\x00\x00\x01"):  # the second: b"" packed
        with sqlite3.connect(cache_file) as db:
            db.execute(f"UPDATE {TABLE} SET data = ?", [damage])
        runs = len(grouping_runs)
        assert _scan(library, Cache(cache_file)).groups == first.groups
        assert len(grouping_runs) == runs + 1


def _inputs():
    capture = Capture(1_700_000_000 * 10**9, True, "Canon", "EOS R6", "0123", "ab12", "exif")
    files = [GroupFile("/p/a.jpg", 100, 1, 640, 480, "JPEG", capture, ("/p/a.CR3",)),
             GroupFile("/p/caf\udce9.png", 200, 2, 640, 480, "PNG"),
             GroupFile("/p/c.jpg", 300, 3, 320, 240, "JPEG", Capture())]
    digests = {"/p/a.jpg": "d1", "/p/c.jpg": "d1"}
    hashes = {"/p/a.jpg": 2**63 + 5, "/p/caf\udce9.png": 7, "/p/c.jpg": 9}
    rng = np.random.default_rng(3)
    embeddings = {f.path: rng.standard_normal(8).astype(np.float16) for f in files[:2]}
    return files, digests, hashes, embeddings, {("/p/c.jpg", "/p/a.jpg")}, MatchParams()


def _changed(inputs, what: str):
    files, digests, hashes, embeddings, apart, match = inputs
    files = list(files)
    if what in ("path", "size", "mtime_ns", "width", "height", "format", "companions"):
        value = {"path": "/p/b.jpg", "companions": ()}.get(what)
        old = getattr(files[0], what)
        files[0] = replace(files[0], **{what: value if value is not None else
                                        (old + 1 if isinstance(old, int) else old + "X")})
    elif what.startswith("capture."):
        field = what.split(".")[1]
        old = getattr(files[0].capture, field)
        new = not old if isinstance(old, bool) else old + 1 if isinstance(old, int) else old + "x"
        files[0] = replace(files[0], capture=replace(files[0].capture, **{field: new}))
    elif what == "no capture":
        files[2] = replace(files[2], capture=None)
    elif what == "capture text moved":  # "Canon" "EOS R6" -> "CanonE" "OS R6": same letters
        files[0] = replace(files[0], capture=replace(files[0].capture, make="CanonE",
                                                     model="OS R6"))
    elif what == "capture dated 0":
        files[2] = replace(files[2], capture=replace(files[2].capture, taken_ns=0))
    elif what == "order":
        files.reverse()
    elif what == "digest":
        digests = {**digests, "/p/c.jpg": "d2"}
    elif what == "hash":
        hashes = {**hashes, "/p/a.jpg": 2**63 + 4}
    elif what == "no hash":
        hashes = {p: h for p, h in hashes.items() if p != "/p/a.jpg"}
    elif what == "wide hash":  # a 256-bit hash (hash size 16): beyond int64
        hashes = {**hashes, "/p/a.jpg": 2**200 + hashes["/p/a.jpg"]}
    elif what == "no digest":
        digests = {p: d for p, d in digests.items() if p != "/p/c.jpg"}
    elif what == "embedding bit":
        flipped = embeddings["/p/a.jpg"].copy()
        flipped.view(np.uint16)[-1] ^= 1
        embeddings = {**embeddings, "/p/a.jpg": flipped}
    elif what == "embedding moved":
        embeddings = {"/p/c.jpg": embeddings["/p/a.jpg"], "/p/caf\udce9.png":
                      embeddings["/p/caf\udce9.png"]}
    elif what == "decision":
        apart = set()
    elif what == "threshold":
        match = replace(match, hash_threshold=9)
    elif what == "tiers":
        match = replace(match, tiers=match.tiers | {SIMILAR})
    elif what == "no verify":
        match = replace(match, verify=False)
    return files, digests, hashes, embeddings, apart, match


CHANGES = ["path", "size", "mtime_ns", "width", "height", "format", "companions",
           *(f"capture.{f}" for f in ("taken_ns", "has_offset", "make", "model", "serial",
                                      "unique_id", "source")),
           "no capture", "capture text moved", "capture dated 0", "order", "digest", "hash",
           "no hash", "wide hash", "no digest",
           "embedding bit", "embedding moved",
           "decision", "threshold", "tiers", "no verify"]


@pytest.mark.parametrize("what", CHANGES)
def test_every_input_of_the_grouping_changes_the_key(what: str) -> None:
    inputs = _inputs()
    assert grouping_key(*inputs) == grouping_key(*_inputs())
    assert grouping_key(*_changed(inputs, what)) != grouping_key(*inputs)


def test_the_key_is_the_same_in_every_process() -> None:
    """A key that changed between processes would never be found (a frozenset's order, say,
    follows each process's own string hash seed)."""
    code = ("from tests.engine.grouping.test_result_memo import _inputs;"
            "from dedup_gui.engine.grouping.result_memo import grouping_key;"
            "print(grouping_key(*_inputs()))")
    keys = set()
    for seed in ("1", "2", "3"):
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": seed},
                             cwd=Path(__file__).resolve().parents[3])
        keys.add(run.stdout.strip())
    assert keys == {grouping_key(*_inputs())}


def test_outcomes_come_back_as_saved_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    files = _inputs()[0]
    a, b, c = (f.path for f in files)
    groups = (Group((files[0], files[2]), (Pair(a, c, "same bytes", 0, RESAVED, None),)),
              Group((files[1],), ()))
    series = (Series((files[0], files[1]), (Pair(a, b, "another shot", 12, EDITED,
                                                   0.8123456789012345),), b, "sharpest"),)
    memo = ResultMemo(Cache(tmp_path / "cache.sqlite3"))
    for number in range(KEEP + 2):
        memo.save(f"k{number}", files, groups, series)
    assert memo.load("k0", files) is None and memo.load("k1", files) is None
    back = memo.load(f"k{KEEP + 1}", files)
    assert back == (groups, series)
    assert back[1][0].pairs[0].cosine == 0.8123456789012345
    stranger = GroupFile("/elsewhere.jpg", 1, 1, 1, 1, "JPEG")
    memo.save("other", files[:2], (Group((stranger,), ()),), ())
    assert memo.load("other", files[:2]) is None  # nothing saved for a file not given


def test_a_cache_in_memory_remembers_nothing_and_digests_nothing(
        tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--no-cache (or a cache file that could not be used) has no later scan to serve: no
    digest of the whole library is made for it (~1.5 s at 500k files)."""
    def no_digest(*_args, **_kwargs):
        raise AssertionError("a digest was made for a cache in memory")

    monkeypatch.setattr(result_memo, "grouping_key", no_digest)
    blocked = tmp_path / "not a folder"
    blocked.write_text("a file where the cache folder should be")
    fallen_back = Cache(blocked / "cache.sqlite3")
    assert fallen_back.in_memory_only
    for cache in (Cache(None), fallen_back):
        assert _scan(library, cache).groups
        assert not ResultMemo(cache).usable


@pytest.mark.parametrize("damage", ["file outside", "negative file", "short column",
                                    "sizes off", "series short"])
def test_columns_that_do_not_fit_are_never_applied(tmp_path: Path, damage: str) -> None:
    files = _inputs()[0]
    a, c = files[0].path, files[2].path
    groups = (Group((files[0], files[2]), (Pair(a, c, "same bytes", 0, RESAVED, None),)),)
    series = (Series((files[0], files[2]), (), c, "sharpest"),)
    memo = ResultMemo(Cache(tmp_path / "cache.sqlite3"))
    memo.save("k", files, groups, series)
    assert memo.load("k", files) == (groups, series)
    (blob,) = memo.cache.db.execute(f"SELECT data FROM {TABLE}").fetchone()
    data = json.loads(zlib.decompress(blob))
    if damage == "file outside":
        data["groups"]["members"][1] = len(files)
    elif damage == "negative file":
        data["groups"]["a"][0] = -1
    elif damage == "short column":
        data["groups"]["tier"] = []
    elif damage == "sizes off":
        data["groups"]["sizes"] = [1]
    else:
        data["series"]["best"] = []
    with memo.cache.db.conn as conn:
        conn.execute(f"UPDATE {TABLE} SET data = ?", [zlib.compress(json.dumps(data).encode())])
    assert memo.load("k", files) is None
