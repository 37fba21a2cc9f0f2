"""Find similar checks the matches that look like copies with the scan's rules: a burst
neighbour 9x % alike is another shot, not "the same picture" (first-user review, item 15)."""

from __future__ import annotations

from pathlib import Path

from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS
from dedup_gui.tasks.similar import SimilarRequest, similar_photos
from tests.series_library import BURST, PAIR, make_series_library


def _matches(root: Path, query: str, cache: Path) -> dict[str, object]:
    request = SimilarRequest(str(root / query), (str(root),), k=5, cache_path=str(cache))
    outcome = similar_photos(request, lambda _event: None, CancelToken())
    return {str(Path(m.file.path).relative_to(root)): m for m in outcome.matches}


def test_burst_neighbours_are_checked_and_called_other_shots(tmp_path: Path) -> None:
    root = make_series_library(tmp_path / "library")
    matches = _matches(root, BURST[1], tmp_path / "cache.sqlite3")
    for name in (BURST[0], BURST[2]):
        match = matches[name]
        assert 1 - match.distance >= DEFAULT_TIER_THRESHOLDS.edited_cosine  # looks like a copy
        assert match.checked and match.same is False, match
        assert "apart" in match.evidence
    copy = _matches(root, PAIR[0], tmp_path / "cache.sqlite3")[PAIR[1]]
    assert copy.checked and copy.same is True, copy
