"""Multi-index hashing: exact all pairs within a Hamming threshold, verifying only likely pairs.

Per chunk of the plan (see mih_plan), hashes are sorted by chunk value so every bucket (one chunk
value) is a contiguous run, and dense tables give each value's start and size. Two buckets u and
u ^ m with popcount(m) <= t are probed once, from the side whose bit top(m) is clear; every
occupied pair becomes candidates that mih_blocks verifies on the full hash. A pair close in
several chunks is kept only by the first of them (its earlier chunks are checked on the hit), so
no pair is reported twice and nothing needs deduplicating afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import numpy as np

from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.search.mih_blocks import Hits, concat, verify_buckets
from dedup_gui.engine.search.mih_plan import Chunk, Plan, n_masks

# Probes (bucket value x mask) per task: bounds a task's arrays to tens of MiB, and keeps its
# bands large enough that numpy's per-call overhead stays small.
PROBE_BLOCK = 1 << 20


def chunk_codes(words: np.ndarray, chunk: Chunk) -> np.ndarray:
    """Chunk values as uint32 from (N, W) uint64 words; a chunk may straddle two words."""
    word, off = divmod(chunk.lo, 64)
    code = words[:, word] >> np.uint64(off)
    if off + chunk.bits > 64:
        code |= words[:, word + 1] << np.uint64(64 - off)
    return (code & np.uint64((1 << chunk.bits) - 1)).astype(np.uint32)


def masks_by_top_bit(bits: int, radius: int) -> list[np.ndarray]:
    """Non-zero masks of popcount <= radius, grouped by their highest set bit."""
    groups: list[list[int]] = [[] for _ in range(bits)]
    for weight in range(1, min(radius, bits) + 1):
        for combo in itertools.combinations(range(bits), weight):
            groups[combo[-1]].append(sum(1 << b for b in combo))
    return [np.array(g, dtype=np.uint32) for g in groups]


class ChunkIndex:
    """One chunk's view: hashes sorted by chunk value plus dense bucket start/size tables."""

    def __init__(self, words: np.ndarray, codes: np.ndarray, chunk: Chunk, threshold: int) -> None:
        self.chunk = chunk
        self.threshold = threshold
        self.order = np.argsort(codes, kind="stable")
        self.hashes = np.ascontiguousarray(words[self.order].T)  # word-major (W, N)
        counts = np.bincount(codes, minlength=1 << chunk.bits)
        self.start = np.cumsum(counts) - counts
        self.count = counts
        # A bool table: np.flatnonzero is branch-free on bools and 6x faster than on ints.
        self.is_occupied = counts > 0
        self.occupied = np.flatnonzero(counts).astype(np.uint32)
        self._sides: dict[int, np.ndarray] = {}

    def side(self, bit: int) -> np.ndarray:
        """Occupied values whose `bit` is 0: the probing side for masks whose top bit is `bit`
        (so each unordered bucket pair is probed once). Cached: many tasks share a top bit."""
        if bit not in self._sides:
            self._sides[bit] = self.occupied[(self.occupied & np.uint32(1 << bit)) == 0]
        return self._sides[bit]

    def same_bucket(self, cancel: CancelToken | None) -> Hits:
        """Pairs inside one bucket (mask 0): member k of a bucket against the members after it."""
        shared = self.occupied[self.count[self.occupied] > 1]
        buckets = (self.start[shared], self.count[shared])
        hits = verify_buckets(self.hashes, buckets, buckets, self.threshold, cancel, same=True)
        return self._original(hits)

    def cross_buckets(self, bit: int, masks: np.ndarray, cancel: CancelToken | None) -> Hits:
        """Pairs between bucket u (bit clear) and u ^ m for masks m sharing top bit `bit`."""
        left, right = self._probe(self.side(bit), masks, cancel)
        hits = verify_buckets(self.hashes, (self.start[left], self.count[left]),
                              (self.start[right], self.count[right]), self.threshold, cancel)
        return self._original(hits)

    def _probe(self, values: np.ndarray, masks: np.ndarray,
               cancel: CancelToken | None) -> tuple[np.ndarray, np.ndarray]:
        """(u, u ^ m) for every value u and mask m where bucket u ^ m is occupied."""
        partner = np.empty(len(values), np.uint32)
        hit = np.empty(len(values), np.bool_)
        lefts, rights = [], []
        for mask in masks:
            if cancel is not None:
                cancel.raise_if_cancelled()
            np.bitwise_xor(values, mask, out=partner)
            np.take(self.is_occupied, partner, out=hit)
            found = np.flatnonzero(hit)
            lefts.append(values[found])
            rights.append(partner[found])
        return np.concatenate(lefts), np.concatenate(rights)

    def _original(self, hits: Hits) -> Hits:
        """Sorted positions -> the caller's row numbers."""
        p, q, d = hits
        return self.order[p], self.order[q], d


def _tasks(index: ChunkIndex) -> Iterator[tuple[int, Callable[[CancelToken | None], Hits]]]:
    """(progress units, work) per task: mask 0, then batches of masks sharing a top bit."""
    yield 1, index.same_bucket
    for bit, masks in enumerate(masks_by_top_bit(index.chunk.bits, index.chunk.radius)):
        values = len(index.side(bit)) if len(masks) else 0
        per_task = max(1, PROBE_BLOCK // max(1, values))
        for k in range(0, len(masks), per_task):
            batch = masks[k:k + per_task]
            yield len(batch), lambda c, b=bit, m=batch: index.cross_buckets(b, m, c)


def _first_chunk_only(hits: Hits, earlier: list[tuple[np.ndarray, int]]) -> Hits:
    """Drop pairs that an earlier chunk also finds, so each pair is reported exactly once."""
    i, j, d = hits
    if not earlier or not len(i):
        return hits
    keep = np.ones(len(i), np.bool_)
    for codes, radius in earlier:
        keep &= np.bitwise_count(codes[i] ^ codes[j]) > radius
    return np.compress(keep, i), np.compress(keep, j), np.compress(keep, d)


def search(words: np.ndarray, threshold: int, plan: Plan, *,
           on_units: Callable[[int], None] | None = None,
           cancel: CancelToken | None = None) -> Hits:
    """All pairs (i, j, d) of rows of (N, W) `words` within `threshold`, each once, unordered.

    `on_units(k)` is called as k of total_units(plan) units finish. One thread on purpose:
    cumsum, repeat, fill and nonzero hold the GIL, so a thread pool measured no faster.
    """
    used = plan.used
    codes = [chunk_codes(words, c) for c in used]
    found: list[Hits] = []
    for ci, chunk in enumerate(used):
        if cancel is not None:
            cancel.raise_if_cancelled()
        index = ChunkIndex(words, codes[ci], chunk, threshold)
        earlier = [(codes[k], used[k].radius) for k in range(ci)]
        for units, work in _tasks(index):
            found.append(_first_chunk_only(work(cancel), earlier))
            if on_units is not None:
                on_units(units)
    return concat(found)


def total_units(plan: Plan) -> int:
    """Progress units of a plan: one per mask (mask 0 included) per probed chunk."""
    return sum(n_masks(c.bits, c.radius) for c in plan.used)
