"""A rescan with a real cache file reuses the stored candidate pairs: after files are added,
changed and removed it searches only the new signals, and its groups equal a scan without any
cache (a full recomputation)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dedup_gui.engine.grouping import signal_search
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from tests.images import photo, resized_copy, save
from tests.library import make_library


def scan(root: Path, cache: Cache, **options):
    return run_scan(ScanParams(roots=(str(root),), workers=1, **options), cache)


@pytest.mark.parametrize("embeddings", [False, True])
def test_rescan_after_changes_equals_a_full_scan(tmp_path: Path, embeddings: bool,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_library(tmp_path / "library")
    for seed in range(6, 16):  # enough unchanged pictures that new ones are queried
        save(photo(seed), root / f"more/photo{seed}.jpg", quality=90)
    cache_file = tmp_path / "cache.sqlite3"
    scan(root, Cache(cache_file), embeddings=embeddings)

    two = photo(2, (640, 480))
    save(resized_copy(two, 0.6), root / "new/two_small.jpg", quality=80)  # joins a group
    save(photo(4), root / "other/photo3.jpg", quality=70)  # changed: now a copy of photo4
    os.utime(root / "other/photo3.jpg", ns=(1, 10**18))
    shutil.rmtree(root / "c")  # one.png and two_q60.jpg removed

    def must_not_search_all(*_args, **_kwargs):
        raise AssertionError("a rescan searched all pairs again")

    with monkeypatch.context() as patch:
        patch.setattr(signal_search, "cosine_pairs", must_not_search_all)
        patch.setattr(signal_search, "find_pairs", must_not_search_all)
        rescan = scan(root, Cache(cache_file), embeddings=embeddings)
    full = scan(root, Cache(None), embeddings=embeddings)
    assert rescan.groups == full.groups
    if embeddings:  # the synthetic pictures all look alike to the CNN: equality is the test
        return
    names = [sorted(Path(f.path).name for f in g.files) for g in full.groups]
    assert ["two.jpg", "two_small.jpg"] in names
    assert any({"photo3.jpg", "photo4.jpg"} <= set(n) for n in names)
