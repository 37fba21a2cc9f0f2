"""Overlay labels in a group: the members with text, an emoji or a sticker pasted on them that
another member does not have (overlay.py decides one pair).

Why only members with no other strong label: a screenshot, a meme, a padded, cropped, greyscale
or upscaled copy already says how it was made and already loses to the original; comparing it
again costs a decode and risks a second, wrong word (a meme's caption text next to the photo
is not a sticker on it). Why against one reference: the member most likely to be the source
(camera data, then most pixels) is compared with each other one; a reference found to carry
the overlay itself hands the role to the member it lost to, and the members tested before are
tested again against that one. At most MAX_TESTS members of a group are tested (bursts can be
hundreds). Pictures come from `pictures` (the decode provenance did anyway on a cold cache).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import Image

from dedup_gui.engine.actions.overlay import WORK, overlay_side
from dedup_gui.engine.actions.provenance_facts import FileFacts
from dedup_gui.engine.signals.imageio import ImageLoadError, load_image
from dedup_gui.engine.types import GroupFile

OVERLAY = "text/sticker overlay"  # the "overlay (text, emoji, sticker)": fits a card
MAX_TESTS = 12
Pictures = Callable[[str], Image.Image | None]


def mark_overlays(strong: dict[str, list[str]], known: Sequence[tuple[GroupFile, FileFacts]],
                  pictures: Pictures) -> None:
    """Add OVERLAY to the unlabelled members of `known` that carry an overlay another
    unlabelled member lacks."""
    plain = sorted(((f, x) for f, x in known if not strong[f.path]), key=_source_first)
    plain = plain[:MAX_TESTS]
    if len(plain) < 2:
        return
    seen: dict[str, Image.Image | None] = {}

    def picture(path: str) -> Image.Image | None:
        if path not in seen:
            seen[path] = pictures(path)
        return seen[path]

    reference, tested = plain[0][0].path, []
    for file, _ in plain[1:]:
        tested.append((file.path, reference))
        reference = _test(strong, reference, file.path, picture)
    for path, against in tested:  # again if the reference changed since (it had an overlay)
        if against != reference and path != reference:
            _test(strong, reference, path, picture)


def _test(strong: dict[str, list[str]], reference: str, other: str, picture: Callable
          ) -> str:
    """Compare `other` with `reference`, label the side with the overlay; the reference after
    the test (the other file, when the reference turned out to carry the overlay)."""
    if strong[reference] or strong[other]:
        return reference if not strong[reference] else other
    a, b = picture(reference), picture(other)
    if a is None or b is None:
        return reference
    side = overlay_side(a, b)
    if side == "b":
        strong[other].append(OVERLAY)
    elif side == "a":
        strong[reference].append(OVERLAY)
        return other
    return reference


def _source_first(item: tuple[GroupFile, FileFacts]) -> tuple:
    """Camera data first, then most pixels: the likeliest source leads."""
    file, facts = item
    return (not facts.camera, -(facts.width * facts.height), file.path)


def load_picture(path: str) -> Image.Image | None:
    """The file decoded small for the overlay test (a JPEG draft-decodes straight to it), when
    its facts came from the cache and no decode of it is at hand; None when unreadable."""
    try:
        return load_image(path, mode="RGB", min_side=WORK).image
    except ImageLoadError:
        return None
