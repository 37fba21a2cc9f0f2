"""Whether a JPEG was re-saved from another JPEG of the same size: its DCT coefficients still
sit on the other's coarser quantisation lattice.

Why: a higher-quality re-save that keeps the camera data (a shared-album download at quality 96,
an editor's "rotate and save") ties with the phone's own file on every fact but its size, and
"largest file" kept the re-save while the original was proposed for the Trash (a family's
first-user check). A JPEG stores each 8 x 8 block's DCT coefficients as multiples of its table's
steps. Decoded and saved again with finer steps, the new file's coefficients, computed again
from its pixels, stay within a small part of a step of the old lattice; a file that was not made
from the other (the original beside its coarser re-save, or two files saved from one picture)
spreads evenly around it: a mean distance of a quarter step. Measured on the dev sets' originals
(`python benchmarks/resave_lattice_probe.py`): re-saves at quality 92-100 of a file at 75-85 or
of a camera file 0.03-0.13; siblings, and originals against their own coarser re-saves,
0.248-0.319.

Only the lattice's coarse positions speak (the source's step at least STEP_RATIO times the
copy's and at least MIN_STEP): where the copy is as coarse, its own rounding hides the old
lattice. Coefficients under half a source step are left out (a smooth area's zeros lie on every
lattice). Too few coefficients, another size, another kind of file: nothing is said.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile

SIDE = 768  # the centre crop read (block-aligned): ~9,000 blocks, enough and quick
STEP_RATIO = 2.0
MIN_STEP = 3
MIN_COEFFICIENTS = 1000
MAX_SOURCES = 8  # coarser members read per copy (a group of hundreds of re-saves)
ANCESTOR_SHARE = 0.5
DERIVED_BELOW = 0.17  # between derived (<= 0.13) and not derived (>= 0.248); random: 0.25

_N = 8
_DCT = np.array([[(np.sqrt(1 / _N) if u == 0 else np.sqrt(2 / _N))
                  * np.cos((2 * x + 1) * u * np.pi / (2 * _N)) for x in range(_N)]
                 for u in range(_N)])
_AC = ~np.eye(_N * _N, dtype=bool)[0].reshape(_N, _N)  # every position but DC


def resaved_from(copy: str, sources: Sequence[str]) -> bool:
    """`copy` (a JPEG) was saved from one of `sources`' decoded pixels (JPEGs of the same
    stored size with coarser steps). False when that is not shown, including when nothing can
    be read: this only ever adds evidence. The copy is decoded once, and only when a source's
    steps are coarse enough to speak."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _on_a_lattice(copy, sources)
    except (OSError, ValueError, SyntaxError, KeyError, MemoryError,
            Image.DecompressionBombError):
        return False


def _on_a_lattice(copy: str, sources: Sequence[str]) -> bool:
    return any(d < DERIVED_BELOW for d in distances(copy, sources[:MAX_SOURCES]))


def distances(copy: str, sources: Sequence[str]) -> list[float]:
    """`copy`'s distance to each source's lattice that can speak (a JPEG of its size with
    coarser steps somewhere); the copy is decoded only when one can."""
    with Image.open(copy) as image:
        if not isinstance(image, JpegImageFile) or 0 not in image.quantization:
            return []
        own = _table(image.quantization[0])
        lattices = [(steps, positions) for steps, positions in
                    (_lattice(source, image.size, own) for source in sources)
                    if positions.any()]
        if not lattices:
            return []
        coefficients = _block_dct(_luma(image))
    return [distance(coefficients, steps, positions) for steps, positions in lattices]


def _lattice(source: str, size: tuple[int, int], own: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """`source`'s luma steps and the positions where they are coarse enough to speak (none
    when it is no JPEG of `size`)."""
    with Image.open(source) as image:
        if not isinstance(image, JpegImageFile) or image.size != size or \
                0 not in image.quantization:
            return own, np.zeros_like(_AC)
        steps = _table(image.quantization[0])
    return steps, _AC & (steps >= STEP_RATIO * own) & (steps >= MIN_STEP)


def distance(coefficients: np.ndarray, steps: np.ndarray, positions: np.ndarray) -> float:
    """The mean distance, in steps, of the coefficients at `positions` to the lattice of
    `steps`; 1.0 (far off any lattice) when too few speak or when they sit only on a coarser
    lattice inside it (common_ancestor)."""
    on_grid = coefficients[:, positions] / steps[positions]
    speaking = on_grid[np.abs(on_grid) > 0.5]
    if speaking.size < MIN_COEFFICIENTS or common_ancestor(speaking):
        return 1.0
    return float(np.abs(speaking - np.round(speaking)).mean())


def common_ancestor(on_grid: np.ndarray) -> bool:
    """The coefficients sit on every second (or third...) point of the lattice only: a coarser
    lattice whose steps are whole multiples of these. Why: both files were saved from one
    older, coarser file (an original at quality 92 and its flipped copy at 86, both from a
    picture at ~72: the 86's steps are half the old ones, so the 92's coefficients lay on it,
    0.08: eval_plain). A file saved from this one fills every point, the first most of all
    (coefficients fall off with size), so one step must be at least ANCESTOR_SHARE as common
    as two or three."""
    counts = np.bincount(np.minimum(np.abs(np.round(on_grid)).astype(np.int64), 4), minlength=5)
    return bool(counts[1] < ANCESTOR_SHARE * max(counts[2], counts[3]))


def _table(values: object) -> np.ndarray:
    """Pillow gives the tables in natural (row) order."""
    return np.asarray(values, dtype=np.float64).reshape(_N, _N)


def _luma(image: JpegImageFile) -> np.ndarray:
    """The stored luma plane's centre (up to SIDE, on the 8-pixel block grid), level-shifted
    as the encoder saw it; empty for a colour model without one (CMYK) or a tiny picture."""
    image.draft("YCbCr", image.size)
    width, height = image.size
    crop_w, crop_h = min(width, SIDE) // _N * _N, min(height, SIDE) // _N * _N
    if image.mode not in ("YCbCr", "L") or not crop_w or not crop_h:
        return np.zeros((0, 0))
    left, top = (width - crop_w) // 2 // _N * _N, (height - crop_h) // 2 // _N * _N
    plane = image.getchannel(0) if image.mode == "YCbCr" else image
    box = plane.crop((left, top, left + crop_w, top + crop_h))
    return np.asarray(box, dtype=np.float64) - 128.0


def _block_dct(plane: np.ndarray) -> np.ndarray:
    """(blocks, 8, 8) orthonormal DCT-II of each 8 x 8 block, as JPEG defines it."""
    rows, cols = plane.shape[0] // _N, plane.shape[1] // _N
    blocks = plane.reshape(rows, _N, cols, _N).transpose(0, 2, 1, 3).reshape(-1, _N, _N)
    return np.einsum("ux,bxy,vy->buv", _DCT, blocks, _DCT, optimize=True)
