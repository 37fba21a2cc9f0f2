"""Small JPEG thumbnails for the report, only for the images it shows, on all cores.

Files are named by number (thumbs/00001.jpg), never by the photo's name, so the HTML refers only
to plain names inside the report folder whatever characters the library's paths hold. Each is
decoded small by the one safe loader (draft mode, orientation, pixel limit).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dedup_gui.engine.parallel import map_batches
from dedup_gui.engine.progress import CancelToken, ProgressCallback, report
from dedup_gui.engine.signals.imageio import ImageLoadError, load_image

STAGE_THUMBS = "making thumbnails"
THUMB_DIR = "thumbs"
THUMB_SIDE = 160
# The decode asks for a 120-px short side: a 4:3 or wider JPEG then draft-decodes straight to
# ≥ 160 × 120 (640×480 at 1/4 scale: no resize at all), twice as fast as asking for 160; only
# near-square pictures come out a little under 160 px (≥ 120).
DECODE_SIDE = THUMB_SIDE * 3 // 4
JPEG_QUALITY = 78


def thumb_name(number: int) -> str:
    return f"{THUMB_DIR}/{number:05d}.jpg"


def is_thumb_name(name: str) -> bool:
    """Whether a file in thumbs/ looks like one of ours (only those are ever replaced)."""
    stem, dot, suffix = name.partition(".")
    return dot == "." and suffix == "jpg" and len(stem) == 5 and stem.isdigit()


def write_thumb(source: str, target: str) -> bool:
    """One thumbnail; False when the source cannot be read or the target written."""
    try:
        image = load_image(source, mode="RGB", min_side=DECODE_SIDE).image
        image.thumbnail((THUMB_SIDE, THUMB_SIDE))
        image.save(target, "JPEG", quality=JPEG_QUALITY)
        return True
    except (ImageLoadError, OSError, ValueError):
        return False


def thumb_batch(jobs: Sequence[tuple[str, str]]) -> list[bool]:
    """Worker entry point: (source, target) pairs."""
    return [write_thumb(source, target) for source, target in jobs]


def make_thumbs(paths: Sequence[str], folder: Path, *, workers: int | None = None,
                progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None) -> dict[str, str]:
    """path -> thumbnail name relative to `folder`, for each path that could be read."""
    (folder / THUMB_DIR).mkdir(parents=True, exist_ok=True)
    names = {path: thumb_name(number) for number, path in enumerate(paths, start=1)}
    jobs = [(path, str(folder / name)) for path, name in names.items()]
    made: dict[str, str] = {}
    done = 0
    for batch, results in map_batches(thumb_batch, jobs, workers=workers, batch_size=16,
                                      cancel=cancel):
        for (path, _), ok in zip(batch, results, strict=True):
            if ok:
                made[path] = names[path]
        done += len(batch)
        report(progress, STAGE_THUMBS, done, len(jobs))
    return made
