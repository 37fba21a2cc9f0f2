"""Library.vectors: float32 rows of one matrix, or the cached float16 values read in place."""

from __future__ import annotations

import numpy as np

from dedup_gui.engine.signals.embedding import from_blob
from dedup_gui.engine.signals.read import Library


def library(blobs: dict[str, bytes]) -> Library:
    return Library((), (), {}, 0, {}, blobs, 0)


def test_float32_rows_equal_each_blob_decoded_alone() -> None:
    rng = np.random.default_rng(3)
    blobs = {f"/p/{i}.jpg": rng.normal(size=8).astype(np.float16).tobytes() for i in range(5)}
    vectors = library(blobs).vectors()
    assert list(vectors) == list(blobs)
    for path, blob in blobs.items():
        assert vectors[path].dtype == np.float32
        assert np.array_equal(vectors[path], from_blob(blob))


def test_float16_values_are_the_cached_bytes_not_a_copy() -> None:
    blobs = {"/p/a.jpg": np.arange(4, dtype=np.float16).tobytes()}
    vector = library(blobs).vectors(np.float16)["/p/a.jpg"]
    assert not vector.flags.owndata and vector.base is blobs["/p/a.jpg"]
    assert np.array_equal(vector.astype(np.float32), from_blob(blobs["/p/a.jpg"]))


def test_blobs_of_two_lengths_are_decoded_one_by_one() -> None:
    blobs = {"/p/a.jpg": np.ones(4, np.float16).tobytes(), "/p/b.jpg": np.ones(2, np.float16)
             .tobytes()}
    vectors = library(blobs).vectors()
    assert [len(v) for v in vectors.values()] == [4, 2]
