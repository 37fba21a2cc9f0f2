"""What the model is fed: its own declared side, from a decode large enough for the photo-region
search, the same way in a scan's worker and in `compare` (so both give the same vector)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from dedup_gui.engine.compare import _signals
from dedup_gui.engine.signals import batch, embedding
from dedup_gui.engine.signals.imageio import load_image


@pytest.fixture(scope="module")
def phone_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1600×1200 JPEG with structure at several scales (a JPEG draft decodes it at 1/4)."""
    rng = np.random.default_rng(7)
    base = rng.integers(0, 255, (12, 16, 3), dtype=np.uint8)
    image = Image.fromarray(base).resize((1600, 1200), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.integers(0, 1500, 2)
        draw.ellipse((x, y, x + 90, y + 60), fill=tuple(int(c) for c in rng.integers(0, 255, 3)))
    path = tmp_path_factory.mktemp("model_input") / "phone.jpg"
    image.save(path, quality=90)
    return path


def test_input_side_is_what_the_model_file_declares() -> None:
    declared = embedding._session(0).get_inputs()[0].shape[-1]
    assert embedding.input_side() == declared == embedding.input_side(1)
    image = Image.new("RGB", (640, 480), "teal")
    assert embedding.model_input(image, declared).shape == (3, declared, declared)


def test_decode_is_never_smaller_than_the_photo_region_search_needs() -> None:
    assert embedding.decode_side() >= embedding.MIN_DECODE_SIDE
    assert embedding.decode_side() >= embedding.input_side()


def test_worker_decodes_at_the_decode_side(phone_photo: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def recording_load(path: str, **kwargs: object):
        asked.append(int(kwargs["min_side"]))  # type: ignore[arg-type]
        return load_image(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "load_image", recording_load)
    (result,) = batch.compute_batch([batch.Task(str(phone_photo), True, True)], 8)
    assert result.embedding is not None and result.signals is not None
    assert asked == [embedding.decode_side(batch.WORKER_THREADS)]


def test_scan_and_compare_embed_a_file_alike(phone_photo: Path) -> None:
    (result,) = batch.compute_batch([batch.Task(str(phone_photo), True, True)], 8)
    hashes, vector = _signals(str(phone_photo))
    scanned = embedding.from_blob(result.embedding)
    assert result.signals is not None and result.signals.hashes == hashes
    # the scan stores float16 and runs one thread, compare runs all cores in float32
    assert float(np.dot(scanned, vector)) > 0.999
