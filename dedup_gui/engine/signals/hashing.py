"""Signals computed from a file: an exact content hash and perceptual hashes.

Perceptual hashes are computed by imagehash, but all four from ONE small grayscale thumbnail
(`8 * hash_size` pixels square) instead of from the decoded image four times: each imagehash call
would otherwise convert and Lanczos-resize the whole decoded picture again (measured: 3.1 ms vs
0.75 ms per image for all four on a 500×375 draft decode — a large share of the scan budget).
wHash is imagehash's `whash(image_scale=8*hash_size)` (Haar, lowest band removed) computed in
closed form: removing the Haar LL band subtracts the mean, and the level-k Haar LL band is the
block means times a constant, so the hash is "8×8-block mean above the median of block means".
That takes 0.04 ms instead of pywt's 0.5 ms (10% of a phone photo's whole budget); a test checks
it against imagehash, which differs only on values tied with the median (float rounding).
The fixed scale also means a photo and its resized copy are hashed at the same scale.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable

import imagehash
import numpy as np
from PIL import Image

from dedup_gui.engine.types import HASH_KINDS

# Bump when anything changes the hash values (thumbnail size, filter, decode settings): cached
# rows from other versions are then ignored and recomputed.
HASH_ALGO_VERSION = 2
CONTENT_HASH_ALGO = "blake2b-256"
DEFAULT_HASH_SIZE = 8
_READ_CHUNK = 1 << 20


def hash_algo_key(hash_size: int) -> str:
    """Cache key naming how perceptual hashes were made; rows with another key are not reused."""
    return f"imagehash-v{HASH_ALGO_VERSION}-s{hash_size}"


def thumbnail_side(hash_size: int) -> int:
    """Side of the grayscale thumbnail all hashes are computed from (wHash needs the most)."""
    return 8 * hash_size


def content_hash(path: str | os.PathLike) -> str:
    """blake2b-256 of the file's bytes, read in chunks so big files need little memory."""
    digest = hashlib.blake2b(digest_size=32)
    with open(path, "rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _bits_to_int(bits: np.ndarray) -> int:
    return int.from_bytes(np.packbits(np.asarray(bits, dtype=bool).ravel()).tobytes(), "big")


def haar_whash_bits(thumb: Image.Image, hash_size: int) -> np.ndarray:
    """imagehash's Haar wHash (max LL removed) of a square thumbnail, as a bool matrix."""
    block = thumb.size[0] // hash_size
    pixels = np.asarray(thumb, dtype=np.float64)
    means = pixels.reshape(hash_size, block, hash_size, block).mean(axis=(1, 3))
    return means > np.median(means)


def perceptual_hashes(image: Image.Image, hash_size: int = DEFAULT_HASH_SIZE) -> dict[str, int]:
    """pHash, dHash, aHash and wHash of `image` as unsigned ints of hash_size² bits."""
    side = thumbnail_side(hash_size)
    thumb = image.convert("L").resize((side, side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    bits = {
        "phash": imagehash.phash(thumb, hash_size=hash_size).hash,
        "dhash": imagehash.dhash(thumb, hash_size=hash_size).hash,
        "ahash": imagehash.average_hash(thumb, hash_size=hash_size).hash,
        "whash": haar_whash_bits(thumb, hash_size),
    }
    return {kind: _bits_to_int(bits[kind]) for kind in HASH_KINDS}


def hashes_to_array(values: Iterable[int], hash_size: int = DEFAULT_HASH_SIZE) -> np.ndarray:
    """Pack hash ints into a uint64 array: shape (N,) for 64-bit hashes, (N, W) for wider ones."""
    words = max(1, (hash_size * hash_size + 63) // 64)
    nbytes = words * 8
    raw = b"".join(value.to_bytes(nbytes, "big") for value in values)
    array = np.frombuffer(raw, dtype=">u8").astype(np.uint64)
    return array if words == 1 else array.reshape(-1, words)
