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
from dedup_gui.engine.actions.kept_beside import CAMERA_EDIT, OTHER_FRAME, keep_beside, named_beside
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


def is_camera_edit(own: Provenance | None) -> bool:
    """An edited picture (group-wide labels) that still carries the camera's data."""
    if own is None or not own.camera:
        return False
    labels = own.assessed if own.assessed is not None else own.labels
    return bool(EDITS.intersection(labels)) and not NOTHING_NEW.intersection(labels)


def other_frames(group: Group, ranked: Sequence[GroupFile], keep: Sequence[GroupFile],
                 provenance: Mapping[str, Provenance]) -> list[GroupFile]:
    """The files with the camera's data and nothing derived about them whose pixels agree
    with no kept file (no byte-identical or re-saved pair with one): other originals from
    the camera, each kept beside, best-ranked first; their copies are left to the rules.
    Why: burst frames shot within one second by a camera that writes no sub-second time
    read as one exposure, then as "edited copies" of each other, and frames were proposed
    with their backups, those with a shared copy too (two first-user checks); an edit that
    kept the camera data and left no trace the labels name is the same case. Pairs with a
    camera file are checked in pixels (verify.py), so a re-saved pair with one is the same
    exposure; without a pair with a kept file, nothing says it is one. Only beside a keeper
    with nothing derived about it: a rule that keeps a copy (largest file first, a padded
    one) leaves its source to the rule, whose reason names it."""
    keeper = provenance.get(keep[0].path) if keep else None
    if keeper is None or _derived(keeper):
        return []
    same = {frozenset((pair.a, pair.b)) for pair in group.pairs if pair.tier != EDITED}
    kept = [f.path for f in keep]
    # An edit kept beside is made from a file, not the other way round: a re-saved pair with
    # it does not make that file its copy (a couple's check: an export brightened and kept
    # as an edit took the place of its own original, which was proposed).
    anchors = [path for path in kept if not is_camera_edit(provenance.get(path))]
    found = []
    for file in ranked:
        if file.path not in kept and _unlabelled_camera(provenance.get(file.path)) and \
                not any(frozenset((file.path, other)) in same for other in anchors) and \
                file.path not in identical_to(group, set(kept)):
            kept.append(file.path)
            anchors.append(file.path)
            found.append(file)
    return found


def _unlabelled_camera(own: Provenance | None) -> bool:
    return own is not None and bool(own.camera) and not _derived(own)


def _derived(own: Provenance) -> bool:
    """Something derived about the file, by the group-wide labels."""
    return bool(own.assessed if own.assessed is not None else own.labels)


def with_camera_edits(group: Group, ranked: Sequence[GroupFile], keep: list[GroupFile],
                      reason: str, provenance: Mapping[str, Provenance] | None
                      ) -> tuple[list[GroupFile], str]:
    """The keepers with the group's camera-data edits kept beside them, then its other
    camera originals, and the reason naming those (keep_rules.propose); unchanged without
    provenance."""
    if not provenance:
        return keep, reason
    kept = keep_beside(group, ranked, keep,
                       lambda file: is_camera_edit(provenance.get(file.path)))
    keep, reason = named_beside(group, keep, kept, reason, CAMERA_EDIT)
    kept = [*keep, *other_frames(group, ranked, keep, provenance)]
    return named_beside(group, keep, kept, reason, OTHER_FRAME)

