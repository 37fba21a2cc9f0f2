"""Is one member's picture strictly inside another's? (A crop is inside its source.)

Why this way: a crop keeps the source's pixels, so the crop's small greyscale thumbnail, scaled
to the share of the source's width it covers, matches one window of the source's thumbnail
almost exactly (normalised cross-correlation, which ignores brightness and contrast edits). The
whole-frame match of a plain re-save is at least as good as any window's, so it is no crop.
Thumbnails are 64 px on the long side: one test slides the crop at every third pixel width from
58 % to 95 % of the source's, then at each pixel width around the best (about 12 widths), and
runs only for the file about to be kept (provenance.py). A window found at the same pixels
(SAME_PIXELS) is a crop however well the whole frame matches short of a re-save: a crop of a
few per cent resized back to the source's size is otherwise too close to the whole to tell.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

THUMB_SIDE = 64
MIN_SIDE = 32  # thumbnails smaller than this say too little to call anything a crop
# Crop widths tried: every whole thumbnail pixel between these shares of the source's width.
# A list of chosen scales missed crops between its steps (a 77 % and a 78 % crop, found by the
# property test); at 64 px one pixel is the finest step the thumbnails can show anyway.
MIN_SCALE, MAX_SCALE = 0.58, 0.95
COARSE_STEP = 3  # widths tried first; the peak is then refined pixel by pixel
RESAVE = 0.97  # whole-frame correlation of a re-save: no window can beat it by MARGIN
MATCH = 0.95  # correlation a window must reach to count as the same picture
MARGIN = 0.05  # ... and by how much it must beat the whole-frame match
# A window this close is the same pixels: a crop of a few per cent, resized back to the source's
# size, still matches the whole frame at ~0.96, within MARGIN of any window (a 6 % crop kept
# over its source, found by the property test). Below RESAVE the frames are not one framing.
SAME_PIXELS = 0.99


def thumbnail(image: Image.Image) -> Image.Image:
    """The grey, aspect-preserving thumbnail the test compares."""
    grey = image.convert("L")
    grey.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.BOX)
    return grey


def is_crop(small: Image.Image, big: Image.Image) -> bool:
    """`small` is a crop of `big`: inside it, and `big` is not also found inside `small`
    (smooth pictures can match loosely both ways; then neither is called a crop)."""
    return inside(small, big) is not None and inside(big, small) is None


def inside(small: Image.Image, big: Image.Image) -> float | None:
    """The share of `big`'s width that `small`'s picture covers when it lies strictly inside
    `big`, else None."""
    if min(big.size) < MIN_SIDE or min(small.size) < MIN_SIDE:
        return None  # a tiny picture (an icon, a 40 px preview) matches anything loosely
    whole = _whole_match(small, big)
    if whole >= RESAVE:
        return None
    a = np.asarray(big, dtype=np.float32)
    low, high = round(MIN_SCALE * big.width), round(MAX_SCALE * big.width)
    scores = {w: _score(a, small, w) for w in range(low, high + 1, COARSE_STEP)}
    peak = max(scores, key=scores.get)  # then every pixel width around the coarse peak
    scores |= {w: _score(a, small, w) for w in range(max(low, peak - COARSE_STEP + 1),
                                                      min(high, peak + COARSE_STEP - 1) + 1)}
    width = max(scores, key=scores.get)
    best = scores[width]
    if best >= MATCH and (best > whole + MARGIN or best >= SAME_PIXELS):
        return width / big.width
    return None


def _score(big: np.ndarray, small: Image.Image, width: int) -> float:
    """How well `small`, scaled to `width`, matches its best window of `big` (-1: no fit)."""
    height = round(width * small.height / small.width)
    if width < 8 or height < 8 or height > big.shape[0]:
        return -1.0
    template = np.asarray(small.resize((width, height), Image.Resampling.BILINEAR),
                          dtype=np.float32)
    return float(_ncc(big, template).max())


def _whole_match(small: Image.Image, big: Image.Image) -> float:
    """Correlation of the two whole frames at the same size (a re-save scores ~1)."""
    if abs(small.width * big.height - big.width * small.height) > 0.05 * big.width * small.height:
        return -1.0
    a = np.asarray(big, dtype=np.float32)
    b = np.asarray(small.resize(big.size, Image.Resampling.BILINEAR), dtype=np.float32)
    return float(_ncc(a, b).max())


def _ncc(image: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Normalised cross-correlation of `template` at every position inside `image`: the sums
    by FFT (the template is made zero-mean, so the window's mean drops out) and the window
    norms from integral images, a fraction of a millisecond at thumbnail size."""
    th, tw = template.shape
    ih, iw = image.shape
    t = template - template.mean()
    shape = (ih + th, iw + tw)
    spectrum = np.fft.rfft2(image, shape) * np.conj(np.fft.rfft2(t, shape))
    num = np.fft.irfft2(spectrum, shape)[: ih - th + 1, : iw - tw + 1]
    n = th * tw
    s1 = _window_sums(image, th, tw)
    s2 = _window_sums(image * image, th, tw)
    var = np.maximum(s2 - s1 * s1 / n, 0.0)
    return num / (np.sqrt(var * float((t * t).sum())) + 1e-6)


def _window_sums(values: np.ndarray, th: int, tw: int) -> np.ndarray:
    total = np.pad(values.astype(np.float64), ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return total[th:, tw:] - total[:-th, tw:] - total[th:, :-tw] + total[:-th, :-tw]
