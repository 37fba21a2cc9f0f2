"""Pixel verdicts kept in a real cache file are found however they are asked for, and a key
the file lacks is asked of it once."""

from __future__ import annotations

from pathlib import Path

from dedup_gui.engine.grouping.pixels import FULL
from dedup_gui.engine.grouping.verdict import Verdict
from dedup_gui.engine.grouping.verdict_store import StoredVerdicts
from dedup_gui.engine.grouping.verify_waves import PIXELS, DryRun
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import RESAVED, Edge
from dedup_gui.engine.types import Capture

STAMPS = {"/lib/a.jpg": (100, 1), "/lib/b.jpg": (90, 2)}
KEY = ("/lib/a.jpg", "/lib/b.jpg", FULL)


def _stored(path: Path) -> None:
    cache = Cache(path)
    memo = StoredVerdicts(cache, STAMPS)
    memo[KEY] = Verdict(True, "pixels agree")
    memo.save()
    cache.close()


def test_get_reads_a_verdict_an_earlier_scan_stored(tmp_path: Path) -> None:
    _stored(tmp_path / "cache.sqlite3")
    memo = StoredVerdicts(Cache(tmp_path / "cache.sqlite3"), STAMPS)
    assert memo.get(KEY) == Verdict(True, "pixels agree")
    assert memo.get(("/lib/a.jpg", "/lib/b.jpg", 1)) is None


def test_the_dry_run_hands_out_no_check_whose_verdict_is_stored(tmp_path: Path) -> None:
    """A re-save without EXIF beside its captured original: a full pixel check, unless an
    earlier scan stored its verdict (a 500k library gaining 1,000 files handed 12,000 stored
    verdicts to the workers to compute again)."""
    edges = {(0, 1): Edge(RESAVED, 2, 0.99)}
    captures = [Capture(10**18, False, "Cam", "One"), None]
    paths = list(STAMPS)
    fresh = StoredVerdicts(Cache(tmp_path / "empty.sqlite3"), STAMPS)
    assert DryRun(edges, captures, paths, [False, False])(fresh) == [(*paths, PIXELS)]
    _stored(tmp_path / "cache.sqlite3")
    memo = StoredVerdicts(Cache(tmp_path / "cache.sqlite3"), STAMPS)
    assert DryRun(edges, captures, paths, [False, False])(memo) == []


def test_a_key_the_file_lacks_is_looked_up_once(tmp_path: Path, monkeypatch) -> None:
    memo = StoredVerdicts(Cache(tmp_path / "cache.sqlite3"), STAMPS)
    asked: list[tuple] = []
    lookup = memo._lookup
    monkeypatch.setattr(memo, "_lookup", lambda key: asked.append(key) or lookup(key))
    for _ in range(3):  # the dry run asks every wave
        assert KEY not in memo
        assert memo.get(KEY) is None
    assert asked == [KEY]
    memo[KEY] = Verdict(False, "pixels differ")
    assert memo.get(KEY) == Verdict(False, "pixels differ")
