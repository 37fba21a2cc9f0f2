"""The sizes of a group's cards: the pictures offered in View ▸ Larger / Smaller, and the size a
short window gets instead so that a whole card, its Keep/Remove button included, fits."""

from __future__ import annotations

PICTURE_SIDE = 212  # the default; View ▸ Larger / Smaller pictures picks one of PICTURE_SIDES
PICTURE_SIDES = (160, 192, 212, 256, 320, 400, 512)
# A short window (1000×700 with the similar shots open) gets pictures smaller than the smallest
# offered size, down to this, so a whole card and its Keep/Remove button fit the height; the
# facts keep the width of the smallest size, or they would be elided to nothing.
MIN_FIT_SIDE = 96
FIT_STEP = 8  # sides below the offered ones are multiples of this: fewer sizes to decode for
TEXT_SIDE = PICTURE_SIDES[0]
CARD_MARGIN = 12


def card_width(side: int) -> int:
    return max(side, TEXT_SIDE) + 2 * CARD_MARGIN


def side_for_height(chosen: int, chrome: int, room: int) -> int:
    """The chosen side, or the largest smaller one with which a card (`chrome` px besides its
    picture) fits `room` px: one of the offered sizes, else any down to MIN_FIT_SIDE (a
    Keep/Remove button cut off at the bottom of a short window was not seen)."""
    fitting = [s for s in {*PICTURE_SIDES, chosen} if s <= chosen and s + chrome <= room]
    if fitting:
        return max(fitting)
    squeezed = (room - chrome) // FIT_STEP * FIT_STEP
    return max(MIN_FIT_SIDE, min(squeezed, chosen))
