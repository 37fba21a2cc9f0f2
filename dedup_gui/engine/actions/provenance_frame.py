"""Frames round a photo in a group: padding, a caption band, a border or a screenshot's UI.

Why a module of its own: these labels are read from the picture's edges alone (the flat bands
and the photo region that provenance_facts measured), apart from the rules that compare pixels
counts, detail or codecs (provenance.py). Every frame is relative: a side counts only where
another member shows picture there, so a letterboxed original is never "padded" against itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dedup_gui.engine.actions.provenance_facts import FileFacts

SCREENSHOT = "screenshot of the photo"  # "another member" read as jargon
PADDED = "padded/bordered"
CAPTIONED = "captioned/meme"
REGION_MARGIN = 0.08  # photo-region share lost to a frame before it counts
SIDE_FLAT = 0.5  # share of exactly flat pixels that makes a side's edge band synthetic
SIDE_MARGIN = 0.3  # ... by this much more than every other member's same side
# A border is drawn evenly round the photo in flat colour: every side's band at least this
# flat, opposite margins within BORDER_EVEN of the picture's side. A screenshot's frame holds
# UI (text, icons) in some band, and an app places the photo where its layout puts it.
BORDER_FLAT = 0.6
BORDER_EVEN = 0.05
# The names phones and desktops give screenshots (Android, iOS/macOS, Windows, GNOME, and the
# same in German, French, Spanish, Italian).
_SCREENSHOT_NAME = re.compile(
    r"^(screenshot|screen shot|scr_|bildschirmfoto|capture d.[ée]cran|captura de pantalla|"
    r"schermata)", re.IGNORECASE)


def framed_as(own: FileFacts, others: Sequence[FileFacts], name: str = "") -> list[str]:
    """A synthetic frame around the photo that another member does not have; a screenshot's
    whatever its shape when the file's `name` says it is one. Why: a phone screenshot of a
    landscape photo shows it full width between two dark bands (the status bar, the app's
    buttons), which the shape alone reads as padding (a Takeout check: "Screenshot_….png"
    read "Padded/bordered")."""
    kind = _frame(own, others)
    return [SCREENSHOT] if kind and _SCREENSHOT_NAME.match(name) else kind


def _frame(own: FileFacts, others: Sequence[FileFacts]) -> list[str]:
    if not others:
        return []
    if own.region < max(x.region for x in others) - REGION_MARGIN and \
            _unshared_edge(own, others):
        return [_frame_kind(own)]  # (the region alone also shrinks around a clipped sky)
    sides = _flat_sides(own, others)
    if sum(sides) == 1:
        return [CAPTIONED]  # a band on one side: a caption (or a one-sided bar)
    if any(sides):
        return [PADDED]  # bars on two or more sides, or a border
    return []


def _unshared_edge(own: FileFacts, others: Sequence[FileFacts]) -> bool:
    """Some side of synthetic flat colour that the members with a wider photo region do not
    share. Why: a blown-out sky is exactly flat too, and the region shrinks round it; a
    straightened and cropped copy keeps that sky at its top, so both have the flat side and
    neither is a caption of the other (the camera original of a Kodak plane photo read
    "Captioned/meme" against its phone edit, and was marked Remove)."""
    wider = [x for x in others if x.region > own.region + REGION_MARGIN]
    return any(mine >= SIDE_FLAT and min(x.flat_sides[i] for x in wider) < mine - SIDE_MARGIN
               for i, mine in enumerate(own.flat_sides))


def _flat_sides(own: FileFacts, others: Sequence[FileFacts]) -> list[bool]:
    """Per side, whether this file's edge band is synthetic flat colour where another
    member shows picture."""
    return [mine >= SIDE_FLAT and min(x.flat_sides[i] for x in others) < mine - SIDE_MARGIN
            for i, mine in enumerate(own.flat_sides)]


def synthetic_edge(facts: FileFacts) -> bool:
    """Some side of the frame is a band of synthetic flat colour (pad, caption, UI)."""
    return max(facts.flat_sides) >= SIDE_FLAT


def _frame_kind(facts: FileFacts) -> str:
    """Which synthetic frame surrounds the photo: bars on two opposite sides are padding, a
    band on one side is a caption, flat colour on all four sides is a border, a photo floating
    inside UI is a screenshot."""
    x0, y0, x1, y1 = facts.box
    left, top, right, bottom = x0 > 0.02, y0 > 0.02, x1 < 0.98, y1 < 0.98
    if (left and right and not top and not bottom) or (top and bottom and not left and not right):
        return PADDED
    if sum((left, top, right, bottom)) == 1:
        return CAPTIONED
    if all((left, top, right, bottom)) and min(facts.flat_sides) >= BORDER_FLAT and \
            abs(x0 - (1 - x1)) <= BORDER_EVEN and abs(y0 - (1 - y1)) <= BORDER_EVEN:
        return PADDED
    return SCREENSHOT
