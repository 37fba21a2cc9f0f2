"""PairChecker: pairs judged by the scan's own rules, outside a scan (Find similar)."""

from __future__ import annotations

from pathlib import Path

from dedup_gui.engine.grouping.pair_check import PairChecker
from tests.series_library import BURST, PAIR, make_series_library


def test_a_burst_neighbour_is_another_shot_and_a_resave_the_same_photo(tmp_path: Path) -> None:
    root = make_series_library(tmp_path / "library")
    neighbour = PairChecker(str(root / BURST[0])).check(str(root / BURST[1]))
    assert neighbour.same is False and "apart" in neighbour.note, neighbour
    resave = PairChecker(str(root / PAIR[0])).check(str(root / PAIR[1]))
    assert resave.same is True and "pixels agree" in resave.note, resave


def test_a_file_that_cannot_be_read_decides_nothing(tmp_path: Path) -> None:
    root = make_series_library(tmp_path / "library")
    broken = root / "trip/broken.jpg"
    broken.write_bytes((root / PAIR[0]).read_bytes()[:200])
    assert PairChecker(str(root / PAIR[0])).check(str(broken)).same is None
