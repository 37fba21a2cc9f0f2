"""An edit that kept the camera's data is most likely the person's own: kept beside the original.

Why: the keep rules keep the most original file of a group and propose the rest, right for the
copies that messengers, social apps and screenshots make, which all drop the camera's EXIF.
The tools that keep it are the person's own: a phone's gallery edit, Lightroom, darktable,
an editor that saves EXIF back. A returning-user check edited a photo in place (a contrast
edit, EXIF kept) while its old byte copy sat in a backup folder: the backup was kept as "the
original camera photo" and the edit, the only copy of the person's work, proposed as a
"filtered copy". So a file whose pixels were edited (a tone or colour change, a crop, a
greyscale conversion, a caption, border or sticker, an editor's export; flat areas a contrast
edit clipped, read as a frame) and that still carries the camera's make and model is kept
beside the keeper. A re-save that only lost size or quality, or an upscale, stays a copy: it
holds nothing the original does not. Its byte-identical copies are still proposed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.actions.identical import identical_to
from dedup_gui.engine.actions.kept_beside import also_kept, keep_beside, name_in
from dedup_gui.engine.actions.provenance import Provenance
from dedup_gui.engine.actions.provenance_overlay import OVERLAY
from dedup_gui.engine.tiers import EDITED
from dedup_gui.engine.types import Group, GroupFile

# What a person's editor does to the picture itself, as provenance labels it (a caption, a
# border or a sticker added too: with the camera data kept, no meme site made it). A
# "screenshot" too: no screenshot carries a camera's make and model, so the label came from
# flat areas an edit made; a contrast edit that blows a pale sky out to one white reads as a
# caption band or, with more clipped, as a photo inside a frame (a real-window check). An
# upscale (an upscaler names itself an editor too) holds nothing its original lacks, whoever
# made it.
EDITS = frozenset({p.FILTERED, p.EDITED, p.CROPPED, p.GREYSCALE, p.CAPTIONED, p.PADDED,
                   p.SCREENSHOT, OVERLAY})
NOTHING_NEW = frozenset({p.UPSCALED, p.SOFTENED})
CAMERA_EDIT = "an edit that kept the camera data (most likely yours)"
CAMERA_EDITS = "edits that kept the camera data (most likely yours)"
OTHER_FRAME = "another camera original whose pixels differ (a burst frame, or your edit)"
OTHER_FRAMES = "other camera originals whose pixels differ (burst frames, or your edits)"


def is_camera_edit(own: Provenance | None) -> bool:
    """An edited picture (group-wide labels) that still carries the camera's data."""
    if own is None or not own.camera:
        return False
    labels = own.assessed if own.assessed is not None else own.labels
    return bool(EDITS.intersection(labels)) and not NOTHING_NEW.intersection(labels)


def is_other_frame(group: Group, file: GroupFile, own: Provenance | None) -> bool:
    """A file with the camera's data, nothing derived about it, whose pixels differ from
    every picture of its group it was compared with (its byte copies aside): another
    original from the camera, not a copy. Why: burst frames shot within one second by a
    camera that writes no sub-second time read as one exposure, then as "edited copies" of
    each other, and three of five frames were proposed with their backups (a first-user
    check); an edit that kept the camera data and left no trace the labels name is the same
    case. A re-save whose pixels agree with a member stays a copy."""
    if own is None or not own.camera or (own.assessed if own.assessed is not None
                                         else own.labels):
        return False
    twins = identical_to(group, {file.path})
    tiers = [pair.tier for pair in group.pairs if file.path in (pair.a, pair.b)
             and not {pair.a, pair.b} & twins]
    return bool(tiers) and all(tier == EDITED for tier in tiers)


def with_camera_edits(group: Group, ranked: Sequence[GroupFile], keep: list[GroupFile],
                      reason: str, provenance: Mapping[str, Provenance] | None
                      ) -> tuple[list[GroupFile], str]:
    """The keepers with the group's camera-data edits kept beside them, then its other
    camera originals, and the reason naming those (keep_rules.propose); unchanged without
    provenance."""
    if not provenance:
        return keep, reason
    for wanted, one, several in (
            (lambda file: is_camera_edit(provenance.get(file.path)), CAMERA_EDIT, CAMERA_EDITS),
            (lambda file: is_other_frame(group, file, provenance.get(file.path)),
             OTHER_FRAME, OTHER_FRAMES)):
        kept = keep_beside(group, ranked, keep, wanted)
        added = [name_in(group, f) for f in kept[len(keep):]]
        if added:
            keep, reason = kept, also_kept(reason, one if len(added) == 1 else several, added)
    return keep, reason
