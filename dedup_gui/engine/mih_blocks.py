"""Candidate verification in fixed-size numpy blocks: the inner loop of the multi-index search.

Candidates arrive as segments: hash p (a position in the chunk-sorted hash array) against the
contiguous run of positions [s, s + n). Expanding segments with np.repeat/np.arange allocates
fresh arrays for every block, and glibc returns large freed blocks to the OS, so each block paid
page faults worth 4x the arithmetic. Instead each worker thread owns a few CANDIDATE_BLOCK-sized
scratch buffers and builds the run positions with a cumulative sum written in place.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np

from dedup_gui.engine.progress import CancelToken

# Candidates per verification block: small enough to stay in L2 cache, large enough to amortise
# numpy's per-call overhead (~40 calls per block).
CANDIDATE_BLOCK = 1 << 16

_local = threading.local()


class _Scratch:
    """One thread's reusable buffers for blocks over `width`-word hashes."""

    def __init__(self, width: int) -> None:
        shape = (CANDIDATE_BLOCK,) if width == 1 else (CANDIDATE_BLOCK, width)
        self.width = width
        self.pos = np.empty(CANDIDATE_BLOCK, np.intp)
        self.left = np.empty(shape, np.uint64)
        self.right = np.empty(shape, np.uint64)
        self.bits = np.empty(shape, np.uint8)
        self.dist = np.empty(CANDIDATE_BLOCK, np.uint16)
        self.ok = np.empty(CANDIDATE_BLOCK, np.bool_)


def _scratch(width: int) -> _Scratch:
    scratch = getattr(_local, "scratch", None)
    if scratch is None or scratch.width != width:
        scratch = _local.scratch = _Scratch(width)
    return scratch


def slices(weights: np.ndarray, cap: int) -> Iterator[tuple[int, int]]:
    """Consecutive [i0, i1) ranges whose weights sum to <= cap (or one item, if heavier)."""
    ends = np.cumsum(weights)
    i0, base, count = 0, 0, len(weights)
    while i0 < count:
        i1 = max(int(np.searchsorted(ends, base + cap, side="right")), i0 + 1)
        yield i0, i1
        base, i0 = int(ends[i1 - 1]), i1


def _split_long(p: np.ndarray, s: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, ...]:
    """Cut segments longer than a block into block-sized pieces so every block fits scratch."""
    pieces = -(-n // CANDIDATE_BLOCK)
    owner = np.repeat(np.arange(len(n)), pieces)
    piece = np.arange(len(owner)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    offset = piece * CANDIDATE_BLOCK
    return p[owner], s[owner] + offset, np.minimum(n[owner] - offset, CANDIDATE_BLOCK)


def verify_segments(
    hashes: np.ndarray, p: np.ndarray, s: np.ndarray, n: np.ndarray, threshold: int,
    cancel: CancelToken | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted positions (p, q) and distance d of every candidate within `threshold`.

    `hashes` is (N,) uint64 or (N, W) uint64; segments with n == 0 are allowed.
    """
    keep = n > 0
    p, s, n = p[keep], s[keep], n[keep]
    if len(n) and int(n.max()) > CANDIDATE_BLOCK:
        p, s, n = _split_long(p, s, n)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    scratch = _scratch(1 if hashes.ndim == 1 else hashes.shape[1])
    for i0, i1 in slices(n, CANDIDATE_BLOCK):
        if cancel is not None:
            cancel.raise_if_cancelled()
        hits = _verify_block(hashes, p[i0:i1], s[i0:i1], n[i0:i1], threshold, scratch)
        if len(hits[0]):
            found.append(hits)
    if not found:
        empty = np.empty(0, np.intp)
        return empty, empty, empty
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))  # type: ignore[return-value]


def _verify_block(
    hashes: np.ndarray, p: np.ndarray, s: np.ndarray, n: np.ndarray, threshold: int,
    scratch: _Scratch,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One block: positions by in-place cumsum, left hashes by in-place XOR-accumulate."""
    ends = np.cumsum(n)
    total = int(ends[-1])
    first = ends[:-1]  # where segments 1.. start inside the block
    pos = scratch.pos[:total]
    pos.fill(1)
    pos[0] = s[0]
    pos[first] = s[1:] - s[:-1] - n[:-1] + 1
    np.cumsum(pos, out=pos)
    right = np.take(hashes, pos, axis=0, out=scratch.right[:total])
    left = scratch.left[:total]
    left.fill(0)
    hp = hashes[p]
    left[0] = hp[0]
    left[first] = hp[1:] ^ hp[:-1]
    np.bitwise_xor.accumulate(left, axis=0, out=left)
    np.bitwise_xor(left, right, out=left)
    bits = np.bitwise_count(left, out=scratch.bits[:total])
    if bits.ndim == 1:
        dist = bits
    else:
        dist = np.sum(bits, axis=1, dtype=np.uint16, out=scratch.dist[:total])
    hits = np.flatnonzero(np.less_equal(dist, threshold, out=scratch.ok[:total]))
    owner = np.searchsorted(first, hits, side="right")
    return p[owner], pos[hits], dist[hits].astype(np.intp)
