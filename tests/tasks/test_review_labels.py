"""The app's review start labels each file against the proposed keeper (issue 16): a copy
marked Remove never reads "Origin: original", and choosing other rules relabels from the
group-wide evidence."""

from __future__ import annotations

from pathlib import Path

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.types import ScanResult, ScanStats
from dedup_gui.tasks.scan import review_start
from tests.engine.actions.test_provenance import camera_jpeg, group_of, save
from tests.engine.actions.test_provenance_marks import stickered
from tests.images import photo


def test_a_copy_marked_remove_never_reads_original(tmp_path: Path) -> None:
    source = photo(12, (640, 480))
    original = camera_jpeg(source, tmp_path / "DCIM/IMG_0012.JPG")
    # a sticker app's save: no camera data (one that kept it is the person's own edit, kept
    # beside: camera_edits.py), at top quality, so the largest file
    sticker = save(stickered(source), tmp_path / "Pictures/IMG_0012.jpg", quality=97)
    resave = save(source, tmp_path / "Pictures/IMG_0012_small.jpg", quality=60)
    result = ScanResult((group_of(original, sticker, resave),), (), ScanStats())
    outcome = review_start(result, (), [])
    assert outcome.removals[0] == {str(sticker), str(resave)}
    labels = {path: known.label for path, known in outcome.provenance.items()}
    assert labels[str(original)] == p.ORIGINAL
    assert p.ORIGINAL not in (labels[str(sticker)], labels[str(resave)])
    assert "identical" not in outcome.reasons[0]
    # Other rules keep the biggest file (the sticker copy): the camera photo it was made from
    # still reads "original", and the reason says the original is marked Remove (a
    # real-window check: it read "smaller re-save" of its own copy, the reason only the rule).
    by_size = [{"kind": "largest file", "formats": [], "text": ""}]
    again = review_start(result, (), by_size, provenance=outcome.provenance)
    assert str(original) in again.removals[0]
    assert again.provenance[str(original)].label == p.ORIGINAL
    assert again.provenance[str(resave)].label != p.ORIGINAL
    assert again.reasons[0] == "largest file (the original, IMG_0012.JPG, is marked Remove)"
