"""The fingerprints that name a unit's signals (its compared hash and its embedding) in the
stored pairs (pair_store.py), computed for the whole library as arrays.

Why arrays: every rescan that groups (a file added, changed or gone) fingerprints every unit,
and the per-unit BLAKE2b of PAIR_VERSION 1 (the float32 bytes of each embedding hashed in its
own call) took ~1.5 s of a 500k-file rescan; these take ~0.6 s, joining on the way the
units' embeddings into the matrix the search reads (matching.py). A fingerprint is two 64-bit
lanes, each a chain over the unit's words (hash words, a word saying what the unit has, and
the embedding's bytes in the library's one dtype, zero-padded to whole words): each step,
`h = mix((h ^ word) * odd)` with `mix(x) = x ^ (x >> 29)`, is a bijection of the state and of
the word, so two units that differ in one word never collide, and a collision needs two
differing words to cancel in both lanes at once (chance ~2^-128 a pair; 500k units make
~2^37 pairs). The lanes end with MurmurHash3's finaliser.

The bytes hashed are the embedding's own in the library's dtype (float16 in a scan, read
from the cache; float32 where any unit's is, e.g. in evaluation): equal values give equal
fingerprints within one library, and a library read in another dtype is only searched again.

Stored pairs of PAIR_VERSION 1 are taken over once (`rekeyed`) through the fingerprints they
were keyed by (`legacy_fingerprints`), so an upgrade does not search a large library again
(500k files: ~4 minutes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from dedup_gui.engine.grouping.pair_store import FINGERPRINT, StoredPairs
from dedup_gui.engine.grouping.unit_vectors import common_dtype, joined_rows
from dedup_gui.engine.grouping.units import Unit
from dedup_gui.engine.signals.hashing import hashes_to_array

CHUNK = 4096  # units a step: the state and one chunk's words stay in the CPU's cache
_ODD = np.array([[0x9E3779B97F4A7C15], [0xC2B2AE3D27D4EB4F]], np.uint64)
_SEED = np.array([[0x243F6A8885A308D3], [0x13198A2E03707344]], np.uint64)
_FINAL = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))


def hash_words(units: Sequence[Unit], hash_size: int) -> np.ndarray:
    """(len(units), W) uint64: each unit's compared hash in words (0: none)."""
    width = max(1, (hash_size * hash_size + 63) // 64)
    return hashes_to_array((u.hash or 0 for u in units), hash_size).reshape(len(units), width)


def fingerprints(units: Sequence[Unit], words: np.ndarray, chunk: int = CHUNK
                 ) -> tuple[np.ndarray, np.ndarray | None]:
    """(len(units),) FINGERPRINT of each unit (module note), `words` being hash_words(units);
    and the units' embeddings as one matrix (rows without one zeros; None: no embeddings),
    joined on the way (the search's matrix: 500k rows, ~1 s to join again)."""
    embedded = [u.embedding for u in units if u.embedding is not None]
    dtype = common_dtype(embedded) if embedded else np.float32
    length = len(embedded[0]) if embedded else 0  # one model: one length (as the search)
    vectors = np.zeros((len(units), length), dtype) if embedded else None
    out = np.empty((len(units), 2), "<u8")
    for start in range(0, len(units), chunk):
        part = units[start:start + chunk]
        out[start:start + len(part)] = _chained(_unit_words(
            part, words[start:start + chunk], dtype, length,
            None if vectors is None else vectors[start:start + chunk])).T
    return out.view(FINGERPRINT).reshape(-1), vectors


def _unit_words(units: Sequence[Unit], hashes: np.ndarray, dtype: type, length: int,
                vectors: np.ndarray | None) -> np.ndarray:
    """(words a unit, len(units)) uint64: hash words, what the unit has (a hash, an
    embedding, the library's item size and embedding length), then the embedding's bytes
    as words (zeros without one); the embeddings are written to `vectors` too."""
    rows = [k for k, u in enumerate(units) if u.embedding is not None]
    size = np.dtype(dtype).itemsize
    flags = np.array([(u.hash is not None) | (u.embedding is not None) << 1 for u in units],
                     np.uint64) | np.uint64(size << 2 | length << 8)
    width = -(-length * size // 8)
    count, high = len(units), hashes.shape[1]
    words = np.zeros((high + 1 + width, count), np.uint64)
    words[:high] = hashes.T
    words[high] = flags
    if rows:
        matrix = joined_rows([units[k].embedding for k in rows], dtype)
        every = len(rows) == count  # the usual chunk: slices, not fancy indexing (3x faster)
        if vectors is not None:
            vectors[slice(None) if every else rows] = matrix
        raw = matrix.view(np.uint8).reshape(len(rows), -1)
        if raw.shape[1] != width * 8:  # a length in bytes not a multiple of 8: zero-padded
            raw = np.concatenate([raw, np.zeros((len(rows), width * 8 - raw.shape[1]),
                                                np.uint8)], axis=1)
        found = raw.view("<u8").T  # the values, whatever the byte order
        words[high + 1:, slice(None) if every else rows] = found
    return words


def _chained(words: np.ndarray) -> np.ndarray:
    """(2, units) uint64: both lanes' chains over the words (module note)."""
    state = np.repeat(_SEED, words.shape[1], axis=1)
    spare = np.empty_like(state)
    for word in words:
        np.bitwise_xor(state, word, out=state)
        np.multiply(state, _ODD, out=state)
        np.right_shift(state, np.uint64(29), out=spare)
        np.bitwise_xor(state, spare, out=state)
    for multiplier in _FINAL:
        np.right_shift(state, np.uint64(33), out=spare)
        np.bitwise_xor(state, spare, out=state)
        np.multiply(state, multiplier, out=state)
    np.right_shift(state, np.uint64(33), out=spare)
    return np.bitwise_xor(state, spare, out=state)


def legacy_fingerprints(units: Sequence[Unit]) -> np.ndarray:
    """The PAIR_VERSION 1 fingerprints: blake2b-128 of b"h" + the hash in hex (b"h" alone:
    none) + b"e" + the float32 embedding's bytes (nothing: none). Only to take over pairs
    stored by it (`rekeyed`)."""
    out = []
    for unit in units:
        digest = hashlib.blake2b(b"h" if unit.hash is None else b"h%x" % unit.hash,
                                 digest_size=16)
        if unit.embedding is not None:
            digest.update(b"e" + np.ascontiguousarray(unit.embedding, np.float32).tobytes())
        out.append(digest.digest())
    return np.array(out, FINGERPRINT)


def rekeyed(stored: StoredPairs, legacy: np.ndarray, current: np.ndarray) -> StoredPairs:
    """`stored` (keyed by `legacy` fingerprints) keyed by the `current` ones of the same
    units, for the signals still here; the others are dropped, as a rescan drops them. Empty
    (search everything) if two signals one way are one the other way: never merged."""
    order = np.argsort(legacy, kind="stable")
    place = np.minimum(np.searchsorted(legacy[order], stored.known), max(len(legacy) - 1, 0))
    here = legacy[order][place] == stored.known if len(legacy) else \
        np.zeros(len(stored.known), bool)
    if not _same_partition(legacy, current):
        return StoredPairs.empty()
    renamed = current[order][place][here]
    known = np.unique(renamed)
    row = np.full(len(stored.known), -1, np.int64)
    row[here] = np.searchsorted(known, renamed)
    a, b = row[stored.a], row[stored.b]
    kept = (a >= 0) & (b >= 0)
    a, b = a[kept], b[kept]
    low, high = np.minimum(a, b), np.maximum(a, b)
    by_pair = np.lexsort((high, low))
    return StoredPairs(known, low[by_pair], high[by_pair], stored.distance[kept][by_pair],
                       stored.cosine[kept][by_pair])


def _same_partition(legacy: np.ndarray, current: np.ndarray) -> bool:
    """Whether both fingerprints tell the same units apart (then each legacy signal is one
    current signal)."""
    kinds_legacy = np.unique(legacy, return_inverse=True)[1].reshape(-1)
    kinds_current = np.unique(current, return_inverse=True)[1].reshape(-1)
    both = np.unique(kinds_legacy * max(len(current), 1) + kinds_current)
    return len(both) == kinds_legacy.max(initial=-1) + 1 == kinds_current.max(initial=-1) + 1
