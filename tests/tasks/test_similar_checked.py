"""Find similar checks the matches that look like copies with the scan's rules: a burst
neighbour 9x % alike is another shot, not "the same picture" (first-user review, item 15)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS
from dedup_gui.tasks.similar import SimilarRequest, similar_photos
from tests.images import save
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


def test_a_resave_of_a_neighbouring_frame_is_another_shot_through_its_frame(
        tmp_path: Path) -> None:
    """A messenger re-save of frame 1 (smaller, EXIF stripped) next to frame 2: nothing of
    its own tells (no capture; its pixels differ from frame 2's, as an edit's would), but
    its pixels agree with frame 1's, which was taken at another instant: another shot, as a
    scan finds it (a real-window review saw "maybe a copy")."""
    root = make_series_library(tmp_path / "library")
    with Image.open(root / BURST[0]) as frame:
        save(frame.resize((frame.width * 3 // 4, frame.height * 3 // 4)),
             root / "chat/IMG-0001-WA.jpg", quality=80)
    resave = _matches(root, BURST[1], tmp_path / "cache.sqlite3")["chat/IMG-0001-WA.jpg"]
    assert resave.checked and resave.same is False, resave
    assert resave.evidence.startswith("a copy of IMG_0001.JPG") and "apart" in resave.evidence
