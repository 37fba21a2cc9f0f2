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

# Dense per-chunk lookup tables hold 2**bits entries; 22 bits keeps them at a few MiB each.
MAX_CHUNK_BITS = 22

# Cost model, nanoseconds per unit, measured with benchmarks/bench_grouping.py on 2 cores.
SORT_NS = 120.0  # per hash per chunk: argsort, gathers, index tables
TABLE_NS = 3.0  # per entry of a chunk's dense tables
PROBE_NS = 1.5  # per (occupied chunk value, mask) lookup
CANDIDATE_NS = 4.0  # per candidate pair verified
BRUTE_NS = 1.0  # per pair per 64-bit word in the blocked brute-force scan


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
def chunk_cost(n: int, bits: int, radius: int) -> float:
    """Estimated nanoseconds to search one chunk over n uniformly random hashes."""
    if radius < 0:
        return 0.0
    size = 1 << bits
    masks = n_masks(bits, radius)
    occupied = size * -math.expm1(-n / size)
    probes = occupied / 2 * (masks - 1)  # each unordered bucket pair is probed from one side
    candidates = n * (n - 1) / 2 * masks / size
    return SORT_NS * n + TABLE_NS * size + PROBE_NS * probes + CANDIDATE_NS * candidates


def brute_cost(n: int, words: int) -> float:
    return BRUTE_NS * words * n * (n - 1) / 2


def _split(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal integers, larger ones first."""
    q, rem = divmod(total, parts)
    return [q + 1] * rem + [q] * (parts - rem)


def _even_plan(n: int, total_bits: int, threshold: int, k: int) -> Plan:
    """k near-equal chunks sharing the r + 1 radius units evenly; the widest get the extras."""
    widths = _split(total_bits, k)
    radii = [u - 1 for u in _split(threshold + 1, k)]
    chunks, lo = [], 0
    for bits, radius in zip(widths, radii, strict=True):
        chunks.append(Chunk(lo, bits, radius))
        lo += bits
    cost = sum(chunk_cost(n, c.bits, c.radius) for c in chunks)
    return Plan(tuple(chunks), cost)


def best_plan(n: int, total_bits: int, threshold: int) -> Plan:
    """The cheapest even plan over every chunk count whose chunks fit the dense tables.

    Requires 0 <= threshold < total_bits (the caller uses brute force otherwise).
    """
    if not 0 <= threshold < total_bits:
        raise ValueError(f"multi-index hashing needs 0 <= threshold < {total_bits}")
    k_min = -(-total_bits // MAX_CHUNK_BITS)
    plans = (_even_plan(n, total_bits, threshold, k) for k in range(k_min, total_bits + 1))
    return min(plans, key=lambda p: p.cost_ns)
