"""Text that each of two screens has and the other lacks, read at a size where text is legible.

Why: screens.py compares two screens tile by tile at the verification grid (pixels.WORK, 192
px a side), where a phone screenshot's line of chat text is two or three pixels high. A
meme-saver's check had four WhatsApp chats with different people, each four short bubbles on
an empty background: their tiles differed by 8-19 grey levels where the bubbles' text differed,
below what tells a tile apart from re-encoding (pixels.SAME_WORST), in 8 of 26 tiles that show
something (a third is needed). Three different chats were proposed as "the same picture
re-saved, looks 100 % alike".

At LONG px (the text 8 px high) the difference is plain, and so is whose it is. Where the
two pictures, gain-fitted and blurred like verification's grids, differ by more than STRONG
grey levels, a re-save or a messenger's copy never does (measured on that check's 13 true
copies, screens and photos: no pixel), while other text does. A pixel there is owned by the
picture whose edge it is (an edge of EDGE levels or more, twice the other's there): text
drawn on a flat background is owned by the screen that shows it. An edit of a screen (a
highlight, an arrow, a box, a redaction) is owned by the edited copy alone; another screen of
one template owns its text and leaves the other's text to it. So two screens are two when
each owns at least MIN_OWNED of the pixels and the fewer owned are at least BALANCED of the
more (the check's chats: 171-398 px each of 162,000, balance 0.54-0.88; a copy owns none).
The screens are compared as they are framed: a crop is left to screens.py's tiles (it asks
first), and a mirror image (b's mirror differs from a in fewer pixels than b) is no case
for this rule (the self-test's mirrored bar chart).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from dedup_gui.engine.grids import blur3, grey_at, tone_fitted

LONG = 640  # long side the screens are read at (both, if both are that large)
STRONG = 40.0  # grey levels between two blurred pictures that no re-encoding makes
EDGE = 24.0  # grey levels across one pixel that make an edge
MIN_OWNED = 0.0002  # share of the picture each side must own (a short word or two) ...
BALANCED = 0.25  # ... and the fewer owned at least this share of the more
SAME_ASPECT = 0.01  # the screens frame alike (a crop is compared by screens.py alone)


def each_has_own_text(a: Image.Image, b: Image.Image) -> bool:
    """Whether two screens framed alike each show text the other does not (module docstring);
    False for screens framed differently (a crop, another phone)."""
    if abs(a.width * b.height - b.width * a.height) > SAME_ASPECT * a.width * b.height:
        return False
    long = min(LONG, max(a.size), max(b.size))
    k = long / max(a.size)
    size = (max(8, round(a.width * k)), max(8, round(a.height * k)))
    blur_a = blur3(grey_at(a, size))
    blur_b = blur3(tone_fitted(grey_at(b, size), blur_a))
    strong = np.abs(blur_a - blur_b) > STRONG
    if (np.abs(blur_a - blur_b[:, ::-1]) > STRONG).sum() < strong.sum():
        return False  # b is rather a's mirror image: every edge would differ
    edge_a, edge_b = _edges(blur_a), _edges(blur_b)
    owned_a = int((strong & (edge_a > EDGE) & (edge_a > 2 * edge_b)).sum())
    owned_b = int((strong & (edge_b > EDGE) & (edge_b > 2 * edge_a)).sum())
    fewer, more = sorted((owned_a, owned_b))
    return fewer >= MIN_OWNED * strong.size and fewer >= BALANCED * more


def _edges(grid: np.ndarray) -> np.ndarray:
    """Per pixel, the larger of its horizontal and vertical central differences."""
    across, down = np.zeros_like(grid), np.zeros_like(grid)
    across[:, 1:-1] = np.abs(grid[:, 2:] - grid[:, :-2]) / 2
    down[1:-1] = np.abs(grid[2:] - grid[:-2]) / 2
    return np.maximum(across, down)
