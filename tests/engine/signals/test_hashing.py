"""Hashes: values match imagehash, copies hash close, different photos far, packing round-trips."""

from __future__ import annotations

from pathlib import Path

import imagehash
import numpy as np
import pytest
from PIL import Image

from dedup_gui.engine.signals.batch import Task, compute_batch
from dedup_gui.engine.signals.hashing import (
    content_hash,
    haar_whash_bits,
    hashes_to_array,
    perceptual_hashes,
    thumbnail_side,
)
from tests.images import photo, resized_copy, save


def thumb_of(image: Image.Image, hash_size: int) -> Image.Image:
    side = thumbnail_side(hash_size)
    return image.convert("L").resize((side, side), Image.Resampling.LANCZOS, reducing_gap=2.0)


@pytest.mark.parametrize("hash_size", [8, 16])
def test_closed_form_whash_equals_imagehash(hash_size: int) -> None:
    """Bits may differ only where a block mean ties with the median (float rounding)."""
    block = thumbnail_side(hash_size) // hash_size
    for seed in range(40):
        thumb = thumb_of(photo(seed, (320, 240)), hash_size)
        ours = haar_whash_bits(thumb, hash_size)
        theirs = imagehash.whash(thumb, hash_size=hash_size, image_scale=thumb.size[0]).hash
        pixels = np.asarray(thumb, dtype=np.float64)
        means = pixels.reshape(hash_size, block, hash_size, block).mean(axis=(1, 3))
        ties = np.isclose(means, np.median(means), atol=1e-6)
        assert not (ours != theirs)[~ties].any()


def test_phash_dhash_ahash_are_imagehash_on_the_thumbnail() -> None:
    image = photo(3)
    hashes = perceptual_hashes(image)
    thumb = thumb_of(image, 8)
    assert hashes["phash"] == int(str(imagehash.phash(thumb)), 16)
    assert hashes["dhash"] == int(str(imagehash.dhash(thumb)), 16)
    assert hashes["ahash"] == int(str(imagehash.average_hash(thumb)), 16)


def test_copies_are_close_and_different_photos_far(tmp_path: Path) -> None:
    original = save(photo(1, (1200, 900)), tmp_path / "a.jpg", quality=92)
    small = save(resized_copy(photo(1, (1200, 900)), 0.4), tmp_path / "b.jpg", quality=70)
    other = save(photo(2, (1200, 900)), tmp_path / "c.jpg", quality=92)
    tasks = [Task(str(p), hashes=True, embedding=False) for p in (original, small, other)]
    a, b, c = (computed.signals for computed in compute_batch(tasks, 8))
    for kind in ("phash", "dhash"):
        assert (a.hashes[kind] ^ b.hashes[kind]).bit_count() <= 6
        assert (a.hashes[kind] ^ c.hashes[kind]).bit_count() >= 16
    assert (a.width, a.height, a.format) == (1200, 900, "JPEG")


def test_hash_width_follows_hash_size() -> None:
    hashes = perceptual_hashes(photo(5), hash_size=16)
    assert all(value < 2**256 for value in hashes.values())
    assert max(value.bit_length() for value in hashes.values()) > 200


def test_hashes_to_array_packs_words() -> None:
    array = hashes_to_array([1, 2**64 - 1], 8)
    assert array.dtype == np.uint64 and array.tolist() == [1, 2**64 - 1]
    wide = hashes_to_array([(5 << 192) | 7], 16)
    assert wide.shape == (1, 4) and wide.tolist() == [[5, 0, 0, 7]]
    assert hashes_to_array([], 8).shape == (0,)


def test_content_hash_is_blake2b_of_the_bytes(tmp_path: Path) -> None:
    import hashlib

    data = b"x" * 3_000_000
    (tmp_path / "f").write_bytes(data)
    assert content_hash(tmp_path / "f") == hashlib.blake2b(data, digest_size=32).hexdigest()
