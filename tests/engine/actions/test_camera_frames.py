"""Another camera original in a group (camera_edits.other_frames): a file with the camera's
data, nothing derived about it, whose pixels differ from every other member's, is kept; a
re-save whose pixels agree, a smaller one, or one without the camera data is not."""

from __future__ import annotations

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.actions.keep_rules import DEFAULT_CHAIN, propose
from dedup_gui.engine.actions.provenance import Provenance
from dedup_gui.engine.tiers import EDITED, IDENTICAL, RESAVED
from dedup_gui.engine.types import Group, GroupFile, Pair

FIRST = GroupFile("/p/DCIM/Camera/20231014_153020_001.jpg", 900, 0, 4000, 3000, "JPEG")
SECOND = GroupFile("/p/DCIM/Camera/20231014_153020_002.jpg", 950, 0, 4000, 3000, "JPEG")
BACKUP = GroupFile("/p/Backup/20231014_153020_001.jpg", 900, 0, 4000, 3000, "JPEG")


def _group(tier: str, *extra: GroupFile) -> Group:
    pairs = [Pair(FIRST.path, SECOND.path, "", 4, tier)]
    pairs += [Pair(FIRST.path, f.path, "", 0, IDENTICAL) for f in extra]
    pairs += [Pair(SECOND.path, f.path, "", 4, tier) for f in extra]
    return Group((FIRST, SECOND, *extra), tuple(pairs))


def _camera(*labels: str, camera: bool = True) -> Provenance:
    return Provenance(tuple(labels), 10 * len(labels), camera=camera)


def test_a_frame_whose_pixels_differ_is_kept_beside_and_its_byte_copy_still_goes() -> None:
    group = _group(EDITED, BACKUP)
    known = {FIRST.path: _camera(), SECOND.path: _camera(), BACKUP.path: _camera()}
    proposal = propose(group, DEFAULT_CHAIN, provenance=known)
    assert SECOND.path in proposal.keep and len(proposal.keep) == 2  # frame 1 or its twin
    assert len(proposal.remove) == 1 and proposal.remove[0] in (FIRST.path, BACKUP.path)
    assert "also kept, another camera original (a burst frame, or your edit): " in \
        proposal.reason, proposal.reason


def test_a_copy_whose_pixels_agree_a_smaller_one_or_one_without_camera_data_goes() -> None:
    for tier, second in ((RESAVED, _camera()), (EDITED, _camera(p.SMALLER)),
                         (EDITED, _camera(p.STRIPPED, camera=False))):
        known = {FIRST.path: _camera(), SECOND.path: second}
        proposal = propose(_group(tier), DEFAULT_CHAIN, provenance=known)
        assert len(proposal.keep) == len(proposal.remove) == 1, (tier, second, proposal)


def test_a_frame_with_a_shared_copy_is_kept_and_the_copy_goes() -> None:
    """Frame 1's own Facebook re-save agrees with it in pixels: frame 1 is still another
    exposure than the kept frame 2 (a first-user check: every frame the person had shared
    was proposed with its copies, lost for good)."""
    shared = GroupFile("/p/Facebook/FB_IMG_1.jpg", 300, 0, 2048, 1536, "JPEG")
    group = Group((FIRST, SECOND, shared), (
        Pair(FIRST.path, SECOND.path, "", 4, EDITED),
        Pair(FIRST.path, shared.path, "", 2, RESAVED),
        Pair(SECOND.path, shared.path, "", 4, EDITED)))
    known = {FIRST.path: _camera(), SECOND.path: _camera(),
             shared.path: _camera(p.SMALLER, p.STRIPPED, camera=False)}
    proposal = propose(group, DEFAULT_CHAIN, provenance=known)
    assert proposal.keep[0] == SECOND.path  # the larger file of two originals
    assert set(proposal.keep) == {FIRST.path, SECOND.path}, proposal
    assert proposal.remove == (shared.path,)
