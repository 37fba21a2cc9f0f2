"""How multi-index hashing splits the hash bits: the chunking plan and the cost model behind it.

The generalised pigeonhole principle: cut the bits into chunks and give chunk i a radius t_i
with sum(t_i + 1) >= r + 1. If two hashes are within distance r, at least one chunk is within its
radius (otherwise the distance would be at least sum(t_i + 1) > r). A chunk with t_i = -1 is
never probed. The search then only verifies pairs that are close in some chunk.

The trade-off: wide chunks make few candidate pairs but need many probes (one per neighbouring
chunk value within the radius); narrow chunks are the reverse. The best width is about log2(N),
so the plan is chosen per call by a cost model fitted on this machine (nanoseconds per unit).
The model assumes roughly uniform bits; skewed hashes only make the chosen plan slower, never
inexact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache

# Dense per-chunk lookup tables hold 2**bits entries; 22 bits keeps them under ~70 MiB.
MAX_CHUNK_BITS = 22

# Cost model in nanoseconds per unit: a least-squares fit of CPU times of 90 forced plans
# (N = 2K..1M, thresholds 4/10/16, 3-11 chunks, 64-bit) on the 2-core dev box (AMD EPYC,
# numpy 2.4), then TASK_NS and the per-word candidate cost set from N = 500..32K runs with 64-
# and 256-bit hashes. On 64-bit hashes it predicts within ~1.6x and picked the fastest measured
# plan from N = 30K up (within 2x below, where every plan takes milliseconds); it underestimates
# small 256-bit searches ~2x, which only delays auto's switch from brute force.
TASK_NS = 100_000.0  # per task (one per chunk bit, plus one): ~40 numpy calls
SORT_NS = 145.0  # per hash per chunk: argsort, gathers
TABLE_NS = 10.0  # per entry of a chunk's dense tables
MASK_NS = 6300.0  # per mask: the Python loop around its numpy calls
PROBE_NS = 2.0  # per (occupied chunk value, mask) lookup
PAIR_NS = 44.0  # per bucket pair found: sizes, sorting into padded blocks
CANDIDATE_NS = 2.5  # per candidate pair verified
BRUTE_NS = 0.75  # per pair per 64-bit word in the blocked brute-force scan


@dataclass(frozen=True, slots=True)
class Chunk:
    """Bits [lo, lo + bits) of the hash (word-major, bit 0 = least significant of word 0)."""

    lo: int
    bits: int
    radius: int  # -1: not probed


@dataclass(frozen=True, slots=True)
class Plan:
    chunks: tuple[Chunk, ...]
    cost_ns: float

    @property
    def used(self) -> tuple[Chunk, ...]:
        return tuple(c for c in self.chunks if c.radius >= 0)


@cache
def n_masks(bits: int, radius: int) -> int:
    """How many XOR masks of popcount <= radius a `bits`-wide chunk has."""
    return sum(math.comb(bits, i) for i in range(min(radius, bits) + 1))


@lru_cache(maxsize=4096)
def chunk_cost(n: int, bits: int, radius: int, words: int = 1) -> float:
    """Estimated nanoseconds to search one chunk over n uniformly random `words`-word hashes."""
    if radius < 0:
        return 0.0
    size = 1 << bits
    masks = n_masks(bits, radius)
    filled = -math.expm1(-n / size)  # share of occupied buckets
    probes = size * filled / 2 * (masks - 1)  # each bucket pair is probed from one side
    pairs = probes * filled + size * filled
    candidates = n * (n - 1) / 2 * masks / size
    fixed = TASK_NS * (bits + 1) + SORT_NS * n + TABLE_NS * size + MASK_NS * masks
    return (fixed + PROBE_NS * probes + PAIR_NS * pairs
            + CANDIDATE_NS * (1 + words) / 2 * candidates)


def brute_cost(n: int, words: int) -> float:
    return BRUTE_NS * words * n * (n - 1) / 2


def _split(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal integers, larger ones first."""
    q, rem = divmod(total, parts)
    return [q + 1] * rem + [q] * (parts - rem)


def even_plan(n: int, total_bits: int, threshold: int, k: int) -> Plan:
    """k near-equal chunks sharing the r + 1 radius units evenly; the widest get the extras."""
    widths = _split(total_bits, k)
    radii = [u - 1 for u in _split(threshold + 1, k)]
    chunks, lo = [], 0
    for bits, radius in zip(widths, radii, strict=True):
        chunks.append(Chunk(lo, bits, radius))
        lo += bits
    words = -(-total_bits // 64)
    cost = sum(chunk_cost(n, c.bits, c.radius, words) for c in chunks)
    return Plan(tuple(chunks), cost)


def best_plan(n: int, total_bits: int, threshold: int) -> Plan:
    """The cheapest even plan over every chunk count whose chunks fit the dense tables.

    Requires 0 <= threshold < total_bits (the caller uses brute force otherwise).
    """
    if not 0 <= threshold < total_bits:
        raise ValueError(f"multi-index hashing needs 0 <= threshold < {total_bits}")
    k_min = -(-total_bits // MAX_CHUNK_BITS)
    plans = (even_plan(n, total_bits, threshold, k) for k in range(k_min, total_bits + 1))
    return min(plans, key=lambda p: p.cost_ns)
