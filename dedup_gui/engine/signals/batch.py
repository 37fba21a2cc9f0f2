"""What a worker process does with one batch of files: decode each once, compute what is missing.

A file may need its hashes, its embedding, or both (one may be cached). The image is decoded a
single time at the size the larger need asks for: 8 × hash size for hashes only (a 4000×3000
JPEG then decodes at 1/8 scale), RGB at embedding.decode_side() (≥ 224 px) when the CNN needs
it. Hashes computed from either decode agree to within rounding (both are box-reduced before
the hash thumbnail). When that RGB decode is the very one verification makes (most files:
imageio's `alike_side`), the per-picture facts verification asks (picture_facts.py) are
computed from it too, ~1 ms instead of a decode later, and when the scan asks (Task.picture)
the decode itself travels back for verification to use (handoff.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from PIL import Image

from dedup_gui.engine.signals.capture import capture_from_exif, read_capture, with_takeout
from dedup_gui.engine.signals.handoff import Picture
from dedup_gui.engine.signals.hashing import perceptual_hashes, thumbnail_side
from dedup_gui.engine.signals.imageio import ImageLoadError, LoadedImage, load_image
from dedup_gui.engine.signals.picture_facts import VERIFY_SIDE, PictureFacts, picture_facts
from dedup_gui.engine.signals.quiet import quiet_pillow
from dedup_gui.engine.types import Capture, ImageSignals

WORKER_THREADS = 1  # two single-threaded worker processes measured fastest on 2 cores


@dataclass(frozen=True, slots=True)
class Task:
    path: str
    hashes: bool
    embedding: bool
    capture: bool = False  # read the capture metadata (from the decode's EXIF when decoding)
    picture: bool = False  # hand the decode back when it is verification's (handoff.py)

    @property
    def decodes(self) -> bool:
        return self.hashes or self.embedding


@dataclass(frozen=True, slots=True)
class Computed:
    """A worker's answer for one file: signals and/or an embedding blob, or the read error;
    plus its capture metadata when asked (also for files that fail to decode: a Takeout date
    may still be known, and the empty answer is cached so the file is not read again)."""

    signals: ImageSignals | None = None
    embedding: bytes | None = None
    error: str | None = None
    capture: Capture | None = None
    facts: PictureFacts | None = None  # when the decode was verification's (picture_facts.py)
    picture: Picture | None = None  # that decode, when the task asked for it (handoff.py)


def _decode(task: Task, hash_size: int) -> LoadedImage:
    if task.embedding:
        from dedup_gui.engine.signals.embedding import decode_side

        return load_image(task.path, mode="RGB", min_side=decode_side(WORKER_THREADS),
                          alike_side=VERIFY_SIDE)
    return load_image(task.path, mode="L", min_side=thumbnail_side(hash_size))


def _one(task: Task, hash_size: int) -> tuple[Computed, Image.Image | None]:
    """Decode (when needed) and read the capture from the EXIF the decode parsed anyway."""
    if not task.decodes:
        return Computed(capture=read_capture(task.path) if task.capture else None), None
    try:
        loaded = _decode(task, hash_size)
    except ImageLoadError as error:
        capture = with_takeout(task.path, Capture()) if task.capture else None
        return Computed(error=error.reason, capture=capture), None
    capture = None
    if task.capture:
        with quiet_pillow():
            capture = with_takeout(task.path, capture_from_exif(loaded.exif, loaded.libraw_taken))
    signals = None
    if task.hashes:
        signals = ImageSignals(loaded.width, loaded.height, loaded.format,
                               perceptual_hashes(loaded.image, hash_size))
    verifications = loaded.alike and loaded.image.mode == "RGB"
    facts = picture_facts(loaded.image) if verifications else None
    picture = Picture.of(loaded.image) if verifications and task.picture else None
    return Computed(signals=signals, capture=capture, facts=facts, picture=picture), \
        loaded.image


def compute_batch(tasks: Sequence[Task], hash_size: int) -> list[Computed]:
    """Worker entry point: one Computed per task, never raising for one bad file."""
    decoded: list[tuple[int, Image.Image]] = []
    results: list[Computed] = []
    for index, task in enumerate(tasks):
        computed, image = _one(task, hash_size)
        results.append(computed)
        if task.embedding and image is not None:
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
        results[index] = replace(results[index], embedding=to_blob(vector))
    return results
