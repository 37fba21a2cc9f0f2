"""Is a file an enlargement of another member of its group: the upscale rules of provenance.py.

Why a module of its own: an upscale is the one derived copy that has *more* pixels than its
original, so "keep the largest" would keep it; these rules find it from two independent facts
(detail per pixel, provenance_facts.detail; the pixel size the EXIF recorded) and say when
the facts cannot tell an upscale from a blur. Each compares members of one group only, never
a file against a constant.
"""

from __future__ import annotations

from collections.abc import Sequence

from dedup_gui.engine.actions.provenance_facts import FileFacts

UPSCALE_PIXELS = 1.3  # an upscale has this many times the pixels of the member it copies ...
UPSCALE_DETAIL = 0.6  # ... but at most this share of its detail
SOFTER = 0.9  # detail share of a peer of its size below which a soft file may be its blur


def upscaled(own: FileFacts, others: Sequence[FileFacts]) -> bool:
    """More pixels than a member with the same field of view, but much less detail per pixel.
    (A downscaled copy packs its content denser, so its detail per pixel rises too, but far
    less than an upscale's falls.) Never a file with the camera's data: detail cannot tell a
    soft camera photo from an upscale, and calling the photo one loses it to its smaller
    copy (a phone photo of a figurine against a blurred background read "upscaled" against
    its Telegram copy, and a DSLR's burst frames against their e-mail copies, which kept the
    EXIF: the copies were kept, the photos and their backups proposed). An upscaler that
    copies the camera's data is told by the size the camera wrote (enlarged_since_written);
    where it rewrote that too, the upscale is kept and its source proposed as a smaller
    re-save: the upscale holds what the source does."""
    pixels = own.width * own.height
    return own.detail >= 0 and not own.camera and any(
        pixels >= UPSCALE_PIXELS * x.width * x.height and same_view(own, x)
        and x.detail > 0 and own.detail <= UPSCALE_DETAIL * x.detail for x in others)


def sharper_at_its_size(own: FileFacts, others: Sequence[FileFacts]) -> bool:
    """Another member with the same view and at least this file's pixels (within
    UPSCALE_PIXELS) holds more detail (by SOFTER): this soft file may be a blur of it as well
    as an upscale of a smaller member, and the facts cannot tell which (both lose the same
    octave), so the label says both. Only a soft file with no sharper peer is "upscaled"."""
    pixels = own.width * own.height
    return any(x.width * x.height * UPSCALE_PIXELS >= pixels and same_view(own, x)
               and own.detail <= SOFTER * x.detail for x in others)


def enlarged_since_written(own: FileFacts, others: Sequence[FileFacts]) -> bool:
    """The EXIF records fewer pixels than the file holds (either way round: a lossless turn
    keeps the tags) and another member has fewer pixels: an upscaler copied the camera's EXIF
    into a bigger picture. Pixels cannot tell this from a soft original; the header can."""
    width, height = own.recorded
    pixels = own.width * own.height
    return (width * height > 0 and pixels >= UPSCALE_PIXELS * width * height
            and {own.width, own.height} != {width, height}
            and any(x.width * x.height < pixels for x in others))


def same_view(a: FileFacts, b: FileFacts) -> bool:
    """Same aspect ratio within 3%: neither is a crop, pad or reshape of the other."""
    return abs(a.width * b.height - b.width * a.height) <= 0.03 * a.width * b.height
