"""Verifying candidate bucket pairs on the full hash: the inner loop of the multi-index search.

A candidate is every member of a left bucket (a run of the chunk-sorted hashes) against every
member of a nearby right bucket. Bucket pairs ("rows") are sorted into bands of similar sizes,
small neighbouring bands are merged, and each band is verified as broadcast XORs of shape
(a, step, rows), padded to the band's largest left size a and right size, rows innermost. That is
a handful of numpy calls per ~256K candidates, one gather per bucket member rather than per
candidate, ~1 ns per candidate. Padding repeats a run's last member; hits on it are dropped.
Measured alternatives: expanding candidates into flat index arrays (np.repeat, np.take per
candidate) was 3x slower; a pass per right offset drowned in numpy call overhead once buckets
held dozens of hashes; putting a or step innermost made the XOR 3x slower (short inner loops).

The XOR/popcount passes write into per-thread scratch buffers: fresh large arrays for every block
cost page faults (glibc hands big freed blocks back to the OS) worth more than the arithmetic.
"""

from __future__ import annotations

import threading

import numpy as np

from dedup_gui.engine.progress import CancelToken

# Left members per row: bigger buckets are split into rows of at most this many.
LEFT_MAX = 64
# Candidates per broadcast block: the scratch size (2 MiB of XORs for 64-bit hashes).
BLOCK = 1 << 18
# Bucket sizes up to this are banded exactly; larger ones by powers of two (<= 2x padding).
EXACT_BANDS = 32
# A block's fixed cost (~25 numpy calls) in candidates: padding cheaper than this is taken.
CALL_CANDIDATES = 1 << 15

Hits = tuple[np.ndarray, np.ndarray, np.ndarray]

_local = threading.local()


def _scratch() -> dict[str, np.ndarray]:
    """This thread's reusable flat buffers, one block each."""
    cached = getattr(_local, "scratch", None)
    if cached is None or len(cached["xor"]) < BLOCK:
        cached = _local.scratch = {
            "xor": np.empty(BLOCK, np.uint64),
            "bits": np.empty(BLOCK, np.uint8),
            "dist": np.empty(BLOCK, np.uint16),
            "ok": np.empty(BLOCK, np.bool_),
        }
    return cached


def concat(found: list[Hits]) -> Hits:
    """Concatenated (p, q, d) hit arrays."""
    if not found:
        empty = np.empty(0, np.intp)
        return empty, empty, empty
    p, q, d = zip(*found, strict=True)
    return np.concatenate(p), np.concatenate(q), np.concatenate(d)


def verify_buckets(hashes: np.ndarray, left: tuple[np.ndarray, np.ndarray],
                   right: tuple[np.ndarray, np.ndarray], threshold: int,
                   cancel: CancelToken | None, *, same: bool = False) -> Hits:
    """(p, q, d) for members p of a left bucket and q of its right bucket within `threshold`.

    Buckets are (starts, sizes) into word-major `hashes` (W, N) uint64. With `same`,
    each left bucket is its right bucket and only p < q is reported.
    """
    (ls, ln), (rs, rn) = left, right
    if not same:  # the smaller bucket on the left: fewer, shorter rows
        shift = (rs - ls) * (ln > rn)
        ls, rs = ls + shift, rs - shift
        ln, rn = np.minimum(ln, rn), np.maximum(ln, rn)
    if len(ln) and int(ln.max()) > LEFT_MAX:
        ls, ln, rs, rn = _split_rows(ls, ln, rs, rn)
    key = _band(ln) * 64 + _band(rn)  # < 2**16: a radix sort
    order = np.argsort(key.astype(np.uint16), kind="stable")
    ls, ln, rs, rn, key = ls[order], ln[order], rs[order], rn[order], key[order]
    buf = _scratch()
    return concat([_verify_block(hashes, ls[r0:r1], ln[r0:r1], rs[r0:r1], rn[r0:r1], threshold,
                                 same, cancel, buf)
                   for r0, r1 in _blocks(ln, rn, key)])


def _split_rows(ls: np.ndarray, ln: np.ndarray, rs: np.ndarray,
                rn: np.ndarray) -> tuple[np.ndarray, ...]:
    """Cut left buckets larger than LEFT_MAX into rows of at most LEFT_MAX members."""
    pieces = -(-ln // LEFT_MAX)
    owner = np.repeat(np.arange(len(ln)), pieces)
    offset = (np.arange(len(owner)) - np.repeat(np.cumsum(pieces) - pieces, pieces)) * LEFT_MAX
    return ls[owner] + offset, np.minimum(ln[owner] - offset, LEFT_MAX), rs[owner], rn[owner]


def _band(sizes: np.ndarray) -> np.ndarray:
    """Sizes up to EXACT_BANDS are their own band; larger ones share a band per power of two."""
    band = np.minimum(sizes, EXACT_BANDS)
    wide = sizes > EXACT_BANDS
    if wide.any():  # bit length of size - 1, shifted above the exact bands
        bits = np.frexp(np.maximum(sizes - 1, 1))[1]
        band = band + wide * (bits - EXACT_BANDS.bit_length() + 1)
    return band


def _blocks(ln: np.ndarray, rn: np.ndarray, key: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges of one padded shape each: rows sorted by band, neighbouring bands merged while
    the padding costs less than a separate set of numpy calls would."""
    if not len(key):
        return []
    starts = np.flatnonzero(np.diff(key, prepend=-1))
    ends = [*starts[1:].tolist(), len(key)]
    a = np.maximum.reduceat(ln, starts).tolist()
    b = np.maximum.reduceat(rn, starts).tolist()
    blocks: list[tuple[int, int]] = []
    area = top_a = top_b = 0
    for begin, end, ga, gb in zip(starts.tolist(), ends, a, b, strict=True):
        r0 = blocks[-1][0] if blocks else begin
        merged_a, merged_b = max(top_a, ga), max(top_b, gb)
        merged = merged_a * merged_b * (end - r0)
        if blocks and merged <= area + ga * gb * (end - begin) + CALL_CANDIDATES:
            blocks[-1] = (r0, end)
            area, top_a, top_b = merged, merged_a, merged_b
        else:
            blocks.append((begin, end))
            area, top_a, top_b = ga * gb * (end - begin), ga, gb
    return blocks


def _verify_block(hashes: np.ndarray, ls: np.ndarray, ln: np.ndarray, rs: np.ndarray,
                  rn: np.ndarray, threshold: int, same: bool, cancel: CancelToken | None,
                  buf: dict[str, np.ndarray]) -> Hits:
    """Rows padded to (a, width) members, in (a, step, rows) broadcast blocks.

    Rows are the innermost axis: numpy's inner loop then runs over hundreds of contiguous
    elements (0.7 ns per XOR + popcount) instead of over a or step (2-3x slower). Short runs are
    padded by repeating their last member; hits on padding are dropped in _decode.
    """
    a, width = int(ln.max()), int(rn.max())
    step = min(width, max(1, BLOCK // a))  # right offsets per block (< width: huge buckets)
    rows = max(1, BLOCK // (a * step))
    found = []
    for r0 in range(0, len(ls), rows):
        r1 = min(len(ls), r0 + rows)
        left = np.take(hashes, _padded(ls[r0:r1], ln[r0:r1], np.arange(a)), axis=1, mode="wrap")
        for j0 in range(0, width, step):
            if cancel is not None:
                cancel.raise_if_cancelled()
            offsets = np.arange(j0, min(width, j0 + step))
            right = np.take(hashes, _padded(rs[r0:r1], rn[r0:r1], offsets), axis=1, mode="wrap")
            shape = (a, len(offsets), r1 - r0)
            dist = _distances(left, right, shape, buf)
            hit = np.flatnonzero(np.less_equal(dist, threshold, out=_view(buf["ok"], shape)))
            if len(hit):
                found.append(_decode(hit, shape, (ls[r0:r1], ln[r0:r1]), (rs[r0:r1], rn[r0:r1]),
                                     j0, dist.reshape(-1), same))
    return concat(found)


def _padded(starts: np.ndarray, sizes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """(len(offsets), rows) positions start + offset, the offset capped at the run's last."""
    return starts[None, :] + np.minimum(offsets[:, None], sizes[None, :] - 1)


def _distances(left: np.ndarray, right: np.ndarray, shape: tuple[int, int, int],
               buf: dict[str, np.ndarray]) -> np.ndarray:
    """(a, step, rows) Hamming distances of left (W, a, rows) x right (W, step, rows) words."""
    dist = None
    for word in range(left.shape[0]):
        xor = np.bitwise_xor(left[word][:, None], right[word][None],
                             out=_view(buf["xor"], shape))
        bits = np.bitwise_count(xor, out=_view(buf["bits"], shape))
        if left.shape[0] == 1:
            return bits
        if dist is None:
            dist = _view(buf["dist"], shape)
            np.copyto(dist, bits)
        else:
            np.add(dist, bits, out=dist)
    assert dist is not None
    return dist


def _view(buf: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return buf[:shape[0] * shape[1] * shape[2]].reshape(shape)


def _decode(hit: np.ndarray, shape: tuple[int, int, int], left: tuple[np.ndarray, np.ndarray],
            right: tuple[np.ndarray, np.ndarray], j0: int, dist: np.ndarray, same: bool) -> Hits:
    """Flat hits of an (a, step, rows) block -> (p, q, d), minus padding (and p >= q if same)."""
    (ls, ln), (rs, rn) = left, right
    _, step, rows = shape
    col, rest = np.divmod(hit, step * rows)
    j, row = np.divmod(rest, rows)
    j += j0
    keep = (j < rn[row]) & (col < ln[row])
    p, q = ls[row] + col, rs[row] + j
    if same:
        keep &= p < q
    return np.compress(keep, p), np.compress(keep, q), np.compress(keep, dist[hit]).astype(np.intp)
