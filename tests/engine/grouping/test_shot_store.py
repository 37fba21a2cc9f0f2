"""Best-shot measures kept in the cache file: a warm rescan decodes no series file, a changed
file is measured again, and the suggestion is the same either way."""

from __future__ import annotations

import os
from pathlib import Path

from dedup_gui.engine.grouping import series, shot_store
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from tests.series_library import BEST, BURST, make_series_library, names


def _scan(root: Path, db: Path):
    return run_scan(ScanParams(roots=(str(root),), embeddings=False), Cache(db))


def test_a_warm_rescan_decodes_no_series_file(tmp_path: Path, monkeypatch) -> None:
    root = make_series_library(tmp_path / "lib")
    db = tmp_path / "cache.sqlite3"
    first = _scan(root, db)
    (burst,) = first.series
    assert names(burst.files, root) == list(BURST)
    assert burst.best == str(root / BEST)
    measured: list[str] = []
    real = series._measure
    monkeypatch.setattr(series, "_measure", lambda image: measured.append("x") or real(image))
    again = _scan(root, db)
    assert again.series == first.series and measured == []  # nothing measured, nothing decoded
    os.utime(root / BURST[0], ns=(1, 1))  # changed since: measured again, only that file
    assert _scan(root, db).series[0].best == str(root / BEST) and measured == ["x"]


def test_unreadable_and_measured_files_read_back_from_the_table(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    stored = shot_store.StoredScores(cache)
    stored[("/a.jpg", 10, 20)] = (0.5, 0.01, 120.0, None, False)
    stored[("/bracket.jpg", 10, 20)] = (0.5, 0.01, 90.0, -0.67, True)
    stored[("/broken.jpg", 3, 4)] = None
    stored.save()
    fresh = shot_store.StoredScores(cache)
    assert ("/a.jpg", 10, 20) in fresh and fresh[("/a.jpg", 10, 20)] == (0.5, 0.01, 120.0, None,
                                                                         False)
    assert ("/bracket.jpg", 10, 20) in fresh  # looked up in the table, then held
    assert fresh[("/bracket.jpg", 10, 20)] == (0.5, 0.01, 90.0, -0.67, True)
    assert ("/broken.jpg", 3, 4) in fresh and fresh[("/broken.jpg", 3, 4)] is None
    assert ("/a.jpg", 10, 21) not in fresh  # another mtime: another file as far as we know


def test_without_a_cache_file_the_scores_are_measured_and_nothing_fails(tmp_path: Path) -> None:
    root = make_series_library(tmp_path / "lib")
    result = run_scan(ScanParams(roots=(str(root),), embeddings=False), Cache(None))
    assert [s.best for s in result.series] == [str(root / BEST)]
