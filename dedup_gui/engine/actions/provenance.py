"""Provenance in a group: how each file relates to the others, as a label and a score.

Every label is *relative*: a file is "padded" only when another member shows more of the photo,
"greyscale" only when another member has colour, "upscaled" only when a member with fewer pixels
holds as much detail. So a greyscale camera photo, a letterboxed video frame or a soft lens is
never marked against itself. Evidence has four weights, ordered by how hard it is to fake:
strong (the picture itself was changed: a frame, a caption, a crop, greyscale, an upscale,
pasted text or a sticker: provenance_overlay.py),
medium (what a re-save loses and cannot get back: camera data, a never-compressed file's
cleanliness, an editor's name in the file), light (what a re-save usually leaves but an
upscale can fake: fewer pixels) and weak (the name and folder, origin_path.py: at most 4
points apart, less than one light fact). The most original file has the smallest score;
labels say why in words.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dedup_gui.engine.actions.containment import is_crop
from dedup_gui.engine.actions.origin_path import is_copy_name, origin_penalty
from dedup_gui.engine.actions.provenance_facts import FileFacts
from dedup_gui.engine.actions.provenance_frame import CAPTIONED as CAPTIONED  # labels, here too
from dedup_gui.engine.actions.provenance_frame import PADDED as PADDED
from dedup_gui.engine.actions.provenance_frame import SCREENSHOT as SCREENSHOT
from dedup_gui.engine.actions.provenance_frame import framed_as, synthetic_edge
from dedup_gui.engine.actions.provenance_overlay import Pictures, mark_overlays
from dedup_gui.engine.actions.resave_lattice import resaved_from
from dedup_gui.engine.actions.tone_shift import retoned_from_all
from dedup_gui.engine.actions.upscale_rule import (
    enlarged_since_written,
    sharper_at_its_size,
    upscaled,
)
from dedup_gui.engine.types import Group, GroupFile

STRONG, MEDIUM, LIGHT = 100, 10, 5
ORIGINAL = "original"
GREYSCALE = "greyscale"
UPSCALED = "upscaled"
SOFTENED = "softened (blurred or upscaled)"
CROPPED = "cropped"
ROTATED = "rotated/flipped"
SMALLER = "smaller re-save"
LOWER_QUALITY = "lower-quality re-save"
CONVERTED = "format conversion"
STRIPPED = "re-save without camera data"
EDITED = "edited/exported"
FILTERED = "filtered/colour-changed"
RECOMPRESSED = "heavily compressed re-save"
RESAVED_FROM = "re-saved copy"  # of another member's file: resave_lattice.py
COPY = "copy"
MAX_CROP_TESTS = 12  # members a leader is compared with (bursts can be hundreds)
QUALITY_MARGIN = 6  # JPEG quality steps below the best member before it counts
SMALLER_SHARE = 0.8  # pixel share of the largest member below which a file is "smaller"
_LIGHT_LABELS = frozenset({SMALLER})
# A tone edit's histogram comb is at least this much rougher than its source's; re-saves of one
# picture at one size differ by far less (sampling noise), so only an edit crosses it.
COMB_MARGIN = 1.5
# Photo editors and exporters that write their name into EXIF Software (camera firmware, which
# also writes there, is never on this list). A restorer's tools too: a scanned print's colour
# restoration saved by Krita or an AI restorer, which no grey-level check tells from a re-save
# of the scan, was proposed as a "format conversion" of the scan (a digitised-prints check).
_EDITORS = re.compile(r"photoshop|lightroom|gimp|darktable|rawtherapee|snapseed|picasa|affinity|"
                      r"capture one|luminar|pixelmator|acdsee|irfanview|xnview|upscayl|topaz|"
                      r"canva|facetune|vsco|paint|krita|pixlr|photopea|photoscape|dxo|"
                      r"on1 photo|digital photo professional|silkypix|capture nx|polarr|"
                      r"picsart|fotor|remini|myheritage|faststone|photodirector|inpixio",
                      re.IGNORECASE)
JPEG_GRID = 1.15  # block-grid strength above which a lossless file was a JPEG before
LOSSLESS = frozenset({"PNG", "BMP", "TIFF", "GIF", "WEBP"})


@dataclass(frozen=True, slots=True)
class Provenance:
    """One file's place in its group: `labels` (most telling first; empty: the original),
    `score` (smaller is more original) and whether its camera data survives. `assessed`
    keeps the group-wide labels once provenance_marks.py has made `labels` relative to a
    keeper (None until then), so a later keeper is judged from them again."""

    labels: tuple[str, ...]
    score: int
    camera: bool = False
    assessed: tuple[str, ...] | None = None

    @property
    def label(self) -> str:
        """One label for a card: the most telling derivation, or 'original'."""
        return self.labels[0] if self.labels else ORIGINAL


def assess(group: Group, facts: Mapping[str, FileFacts | None],
           pictures: Pictures | None = None) -> dict[str, Provenance]:
    """path -> Provenance for every file of `group` (files without facts: path evidence only;
    without `pictures`, no overlay test)."""
    known = [(f, facts[f.path]) for f in group.files if facts.get(f.path) is not None]
    framed = {f.path: framed_as(x, [y for g, y in known if g.path != f.path],
                                os.path.basename(f.path)) for f, x in known}
    clean = [(f, x) for f, x in known if not framed[f.path]] or known
    strong = {f.path: framed[f.path] + _changed(f, x, clean) for f, x in known}
    _mark_crops(strong, clean)
    if pictures is not None:
        mark_overlays(strong, known, pictures)
    plain = [(f, x) for f, x in known if not strong[f.path]] or known
    resaves = _resaves(plain)
    result = {}
    for file in group.files:
        own = facts.get(file.path)
        labels = list(strong.get(file.path, ()))
        medium = _medium(file, own, plain) if own is not None else []
        if file.path in resaves:
            medium.append(RESAVED_FROM)
        if not labels and own is not None and FILTERED not in medium and retoned_from_all(
                own, [x for f, x in plain if f.path != file.path]):
            medium.append(FILTERED)  # an edit exported smaller (tone_shift.py)
        score = STRONG * len(labels) + sum(LIGHT if x in _LIGHT_LABELS else MEDIUM
                                           for x in medium) + origin_penalty(file)
        labels += medium
        if labels and own is not None:
            labels += _hints(file, own, plain)
        if not labels and is_copy_name(file.path):
            labels.append(COPY)
        result[file.path] = Provenance(tuple(labels), score, bool(own and own.camera))
    return result


def _mark_crops(strong: dict[str, list[str]], clean: Sequence[tuple[GroupFile, FileFacts]]
                ) -> None:
    """Add CROPPED to the unframed members that would otherwise lead (fewest strong labels)
    when their picture lies inside another unframed member's; then to the next leaders, until
    a leader is no crop, so the keeper never is. Only leaders are tested (a millisecond or
    two per group); in a group of hundreds, only the first few dozen."""
    tested: set[str] = set()
    while len(tested) < 4 * MAX_CROP_TESTS:
        fewest = min(len(strong[f.path]) for f, _ in clean)
        leaders = [(f, x) for f, x in clean if len(strong[f.path]) == fewest
                   and f.path not in tested][:MAX_CROP_TESTS]
        if not leaders:
            return
        survivors = 0
        for file, facts in leaders:
            tested.add(file.path)
            if any(_is_crop(facts, other) for g, other in clean[:MAX_CROP_TESTS]
                   if g.path != file.path):
                strong[file.path].append(CROPPED)
            else:
                survivors += 1
        if survivors:
            return


def _is_crop(small: FileFacts, big: FileFacts) -> bool:
    """`small`'s picture lies strictly inside `big`'s (same pixels, less around them)."""
    if small.thumb == big.thumb or synthetic_edge(big):
        return False  # a frame around the photo is no wider view of it
    a, b = small.thumb_image(), big.thumb_image()
    return a is not None and b is not None and is_crop(a, b)


def _changed(file: GroupFile, own: FileFacts, clean: Sequence[tuple[GroupFile, FileFacts]]
             ) -> list[str]:
    """Changes to the picture judged against the unframed members (a screenshot's colourful
    UI must not make a greyscale original look like a greyscale copy)."""
    others = [x for f, x in clean if f.path != file.path]
    labels = []
    if own.grey and any(not x.grey for x in others):
        labels.append(GREYSCALE)
    if enlarged_since_written(own, others):
        labels.append(UPSCALED)
    elif upscaled(own, others):
        labels.append(SOFTENED if sharper_at_its_size(own, others) else UPSCALED)
    return labels


def _resaves(plain: Sequence[tuple[GroupFile, FileFacts]]) -> set[str]:
    """The JPEGs saved from another member's file at finer quality (resave_lattice.py): the
    finer file wins "largest file", so nothing else tells it from its source. Asked only of
    same-size pairs whose estimated qualities differ; one decode per finer file."""
    jpegs = [(f, x) for f, x in plain if x.quality]
    found = set()
    for file, own in jpegs:
        sources = [f.path for f, x in jpegs if x.quality < own.quality
                   and (x.width, x.height) == (own.width, own.height)]
        if sources and resaved_from(file.path, sources):
            found.add(file.path)
    return found


def _hints(file: GroupFile, own: FileFacts, plain: Sequence[tuple[GroupFile, FileFacts]]
           ) -> list[str]:
    """Labels that describe a file already known to be derived but prove nothing by
    themselves: an original may well be a lower-quality JPEG than a copy re-saved at high
    quality, or a PNG whose copies are JPEGs."""
    others = [(f, x) for f, x in plain if f.path != file.path]
    labels = []
    if own.quality and others and own.quality < max(x.quality for _, x in others) - \
            QUALITY_MARGIN:
        labels.append(LOWER_QUALITY)
    return labels


def _photo_pixels(facts: FileFacts) -> float:
    """Pixels of the photo itself: a padded or screenshot copy's frame is not picture."""
    return facts.width * facts.height * facts.region


def edited_by(software: str) -> bool:
    """The EXIF Software field names a photo editor or exporter."""
    return bool(_EDITORS.search(software))


def _medium(file: GroupFile, own: FileFacts, plain: Sequence[tuple[GroupFile, FileFacts]]
            ) -> list[str]:
    """What a re-save changed, judged against the members whose picture is unchanged."""
    others = [(f, x) for f, x in plain if f.path != file.path]
    if not others:
        return []
    labels = []
    largest = max(_photo_pixels(x) for _, x in others)
    if _photo_pixels(own) < SMALLER_SHARE * largest:
        labels.append(SMALLER)
    if (file.format or "").upper() in LOSSLESS and own.blocky >= JPEG_GRID:
        labels.append(CONVERTED)
    if not own.camera and any(x.camera for _, x in others):
        labels.append(STRIPPED)
    if edited_by(own.software) and any(x.camera and not edited_by(x.software)
                                       for _, x in others):
        labels.append(EDITED)
    combed = _tone_edited(own, [x for _, x in others])
    if combed:
        labels.append(RECOMPRESSED if combed == _QUANTISED else FILTERED)
    return labels


def _tone_edited(own: FileFacts, others: Sequence[FileFacts]) -> str:
    """A tone or colour edit of a member with the same pixel count and the same kind of codec:
    its histograms are combed (levels emptied and piled up by the edit's mapping) where the
    other's are smooth. Never across codecs: JPEG's quantisation noise fills a comb's gaps, so
    a lossless original would look combed next to any JPEG copy. A comb next to a block grid
    the other lacks (by JPEG_GRID) is _QUANTISED instead: a coarse JPEG round trip snaps block
    means to a few levels and combs the histogram as well (photos_augly_dev2: 21 of its 27
    "filtered" files were only re-encoded at quality 10-37, then saved at 75-94). Empty: none."""
    combed = [x for x in others if own.comb > 0 and x.comb > 0
              and (x.width, x.height) == (own.width, own.height)
              and (x.quality > 0) == (own.quality > 0) and own.comb >= COMB_MARGIN * x.comb]
    if not combed:
        return ""
    return _QUANTISED if all(own.blocky >= JPEG_GRID * x.blocky for x in combed) else _COMBED


_COMBED, _QUANTISED = "combed", "quantised"
