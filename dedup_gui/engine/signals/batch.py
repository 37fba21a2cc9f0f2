"""What a worker process does with one batch of files: decode each once, compute what is missing.

A file may need its hashes, its embedding, or both (one may be cached). The image is decoded a
single time at the size the larger need asks for: 8 × hash size for hashes only (a 4000×3000
JPEG then decodes at 1/8 scale), RGB at embedding.decode_side() (≥ 224 px) when the CNN needs
it. Hashes computed from either decode agree to within rounding (both are box-reduced before
the hash thumbnail).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from dedup_gui.engine.signals.hashing import perceptual_hashes, thumbnail_side
from dedup_gui.engine.signals.imageio import ImageLoadError, load_image
from dedup_gui.engine.types import ImageSignals

WORKER_THREADS = 1  # two single-threaded worker processes measured fastest on 2 cores


@dataclass(frozen=True, slots=True)
class Task:
    path: str
    hashes: bool
    embedding: bool


@dataclass(frozen=True, slots=True)
class Computed:
    """A worker's answer for one file: signals and/or an embedding blob, or the read error."""

    signals: ImageSignals | None = None
    embedding: bytes | None = None
    error: str | None = None


def _decode(task: Task, hash_size: int) -> tuple[Image.Image, int, int, str]:
    if task.embedding:
        from dedup_gui.engine.signals.embedding import decode_side

        loaded = load_image(task.path, mode="RGB", min_side=decode_side(WORKER_THREADS))
    else:
        loaded = load_image(task.path, mode="L", min_side=thumbnail_side(hash_size))
    return loaded.image, loaded.width, loaded.height, loaded.format


def compute_batch(tasks: Sequence[Task], hash_size: int) -> list[Computed]:
    """Worker entry point: one Computed per task, never raising for one bad file."""
    decoded: list[tuple[int, Image.Image]] = []
    results: list[Computed] = []
    for index, task in enumerate(tasks):
        try:
            image, width, height, fmt = _decode(task, hash_size)
        except ImageLoadError as error:
            results.append(Computed(error=error.reason))
            continue
        signals = None
        if task.hashes:
            signals = ImageSignals(width, height, fmt, perceptual_hashes(image, hash_size))
        results.append(Computed(signals=signals))
        if task.embedding:
            decoded.append((index, image))
    return _add_embeddings(results, decoded)


def _add_embeddings(results: list[Computed], decoded: list[tuple[int, Image.Image]]
                    ) -> list[Computed]:
    if not decoded:
        return results
    from dedup_gui.engine.signals.embedding import embed, to_blob
    from dedup_gui.engine.signals.views import primary_view

    vectors = embed([primary_view(image) for _, image in decoded], threads=WORKER_THREADS)
    for (index, _), vector in zip(decoded, vectors, strict=True):
        results[index] = Computed(results[index].signals, to_blob(vector))
    return results
