"""Multi-index hashing: exact all pairs within a Hamming threshold, verifying only likely pairs.

Per chunk of the plan (see mih_plan), hashes are sorted by chunk value so every bucket (one chunk
value) is a contiguous run, and dense tables give each value's start and size. Two buckets u and
u ^ m with popcount(m) <= t are probed once, from the side whose bit top(m) is clear; their
members become candidate segments that mih_blocks verifies on the full hash. A pair close in
several chunks is kept only by the first of them (its earlier chunks are checked on the hit), so
no pair is reported twice and nothing needs deduplicating afterwards.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from dedup_gui.engine.mih_blocks import slices, verify_segments
from dedup_gui.engine.mih_plan import Chunk, Plan, n_masks
from dedup_gui.engine.progress import CancelToken

# Probes (bucket value x mask) per task; bounds the probe arrays to a few MiB.
PROBE_BLOCK = 1 << 20
# Left-bucket members expanded into segments at once.
SEGMENT_BLOCK = 1 << 16

Hits = tuple[np.ndarray, np.ndarray, np.ndarray]


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
        sorted_words = words[self.order]
        self.hashes = sorted_words[:, 0].copy() if words.shape[1] == 1 else sorted_words
        counts = np.bincount(codes, minlength=1 << chunk.bits)
        self.start = np.cumsum(counts) - counts
        self.count = counts.astype(np.int32)
        self.occupied = np.flatnonzero(counts).astype(np.uint32)
        self._clear: dict[int, np.ndarray] = {}

    def with_bit_clear(self, bit: int) -> np.ndarray:
        """Occupied values whose `bit` is 0: the probing side for masks whose top bit is `bit`."""
        if bit not in self._clear:
            self._clear[bit] = self.occupied[(self.occupied & np.uint32(1 << bit)) == 0]
        return self._clear[bit]

    def same_bucket(self, cancel: CancelToken | None) -> Hits:
        """Pairs inside one bucket (mask 0): member k of a bucket against the members after it."""
        sizes = self.count[self.occupied].astype(np.intp) - 1
        starts = self.start[self.occupied]
        found = []
        for i0, i1 in slices(sizes, SEGMENT_BLOCK):
            n = sizes[i0:i1]
            p = _ranges(starts[i0:i1], n)
            last = np.repeat(starts[i0:i1] + n, n)
            found.append(self._verify(p, p + 1, last - p, cancel))
        return _concat(found)

    def cross_buckets(self, bit: int, masks: np.ndarray, cancel: CancelToken | None) -> Hits:
        """Pairs between bucket u (bit clear) and u ^ m for masks m sharing top bit `bit`."""
        values = self.with_bit_clear(bit)
        partner = values[None, :] ^ masks[:, None]
        partner_size = self.count[partner].ravel()
        hit = np.flatnonzero(partner_size)
        left = values[hit % len(values)] if len(values) else values
        right = partner.ravel()[hit]
        left_size = self.count[left].astype(np.intp)
        left_start, right_start = self.start[left], self.start[right]
        right_size = partner_size[hit].astype(np.intp)
        found = []
        for i0, i1 in slices(left_size, SEGMENT_BLOCK):
            n = left_size[i0:i1]
            p = _ranges(left_start[i0:i1], n)
            s = np.repeat(right_start[i0:i1], n)
            found.append(self._verify(p, s, np.repeat(right_size[i0:i1], n), cancel))
        return _concat(found)

    def _verify(self, p: np.ndarray, s: np.ndarray, n: np.ndarray,
                cancel: CancelToken | None) -> Hits:
        p, q, d = verify_segments(self.hashes, p, s, n, self.threshold, cancel)
        return self.order[p], self.order[q], d


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ranges [start, start + length) (lengths may be 0)."""
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + offsets


def _concat(found: list[Hits]) -> Hits:
    if not found:
        empty = np.empty(0, np.intp)
        return empty, empty, empty
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))  # type: ignore[return-value]


def _tasks(index: ChunkIndex) -> Iterator[tuple[int, Callable[[CancelToken | None], Hits]]]:
    """(progress units, work) per task: mask 0, then batches of masks sharing a top bit."""
    yield 1, index.same_bucket
    for bit, masks in enumerate(masks_by_top_bit(index.chunk.bits, index.chunk.radius)):
        values = len(index.with_bit_clear(bit)) if len(masks) else 0
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
    return i[keep], j[keep], d[keep]


def search(words: np.ndarray, threshold: int, plan: Plan, *, workers: int = 1,
           on_units: Callable[[int], None] | None = None,
           cancel: CancelToken | None = None) -> Hits:
    """All pairs (i, j, d) of rows of (N, W) `words` within `threshold`, each once, unordered.

    `on_units(k)` is called from this thread as k of total_units(plan) units finish; tasks run
    on `workers` threads (numpy releases the GIL in the block arithmetic).
    """
    used = plan.used
    codes = [chunk_codes(words, c) for c in used]
    found: list[Hits] = []
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    try:
        for ci, chunk in enumerate(used):
            if cancel is not None:
                cancel.raise_if_cancelled()
            index = ChunkIndex(words, codes[ci], chunk, threshold)
            earlier = [(codes[k], used[k].radius) for k in range(ci)]
            pending: deque[tuple[int, Future[Hits]]] = deque()
            for units, work in _tasks(index):
                if pool is None:
                    found.append(_first_chunk_only(work(cancel), earlier))
                    if on_units is not None:
                        on_units(units)
                    continue
                job = pool.submit(lambda w=work: _first_chunk_only(w(cancel), earlier))
                pending.append((units, job))
                while len(pending) > 2 * workers or (pending and pending[0][1].done()):
                    _collect(pending.popleft(), found, on_units)
            while pending:
                _collect(pending.popleft(), found, on_units)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return _concat(found)


def _collect(item: tuple[int, Future[Hits]], found: list[Hits],
             on_units: Callable[[int], None] | None) -> None:
    units, job = item
    found.append(job.result())
    if on_units is not None:
        on_units(units)


def total_units(plan: Plan) -> int:
    """Progress units of a plan: one per mask (mask 0 included) per probed chunk."""
    return sum(n_masks(c.bits, c.radius) for c in plan.used)
