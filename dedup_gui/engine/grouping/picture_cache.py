"""Decoded pictures for verification: what the pixel rule and the refuting rules load a
file's picture through (a Loader), least recently used dropped first, and those the scan's
signal stage decoded taken from there (signals/handoff.py), not decoded again."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping

from PIL import Image

from dedup_gui.engine.grouping.verdict import Verdict
from dedup_gui.engine.signals.handoff import Picture
from dedup_gui.engine.signals.imageio import ImageLoadError, load_image
from dedup_gui.engine.signals.picture_facts import VERIFY_SIDE

# Draft-decode size of a pair's pictures (JPEG decodes at 1/8 scale); the signal worker knows
# it too, to tell whether its own decode is this one (signals/picture_facts.py).
DECODE_SIDE = VERIFY_SIDE
CACHE_IMAGES = 256  # decoded pictures kept while pairs are checked (pairs come sorted)


class PictureCache:
    """Decoded pictures for verification, least recently used dropped first; those the
    scan's signal stage decoded (`decoded`: signals/handoff.py) are taken from there, not
    decoded again."""

    def __init__(self, size: int = CACHE_IMAGES,
                 verdicts: dict[tuple[str, str, int], Verdict] | None = None,
                 decoded: Mapping[str, Picture] | None = None) -> None:
        self._size = size
        self.decoded: Mapping[str, Picture] = {} if decoded is None else decoded
        self._images: OrderedDict[str, Image.Image | None] = OrderedDict()
        # Pixel verdicts by (path, path, level): they depend on no threshold, so regrouping
        # the same files (calibration sweeps, evaluation) checks each pair once, and a scan
        # keeps them in its cache file (verdict_store.py) for the next rescan.
        self.verdicts: dict[tuple[str, str, int], Verdict] = {} if verdicts is None else verdicts

    def __call__(self, path: str) -> Image.Image | None:
        if path in self._images:
            self._images.move_to_end(path)
            return self._images[path]
        image = self._load(path)
        self._images[path] = image
        if len(self._images) > self._size:
            self._images.popitem(last=False)
        return image

    def _load(self, path: str) -> Image.Image | None:
        if (picture := self.decoded.get(path)) is not None:
            return picture.image()
        try:
            return load_image(path, mode="RGB", min_side=DECODE_SIDE).image
        except (ImageLoadError, OSError):
            return None
