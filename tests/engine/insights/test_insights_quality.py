"""Quality flags on real decoded images, and the small cache table that keeps them."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from dedup_gui.engine.insights import quality_cache
from dedup_gui.engine.insights.quality import measure, measure_pixels
from dedup_gui.engine.insights.quality_cache import TABLE, collect_quality
from dedup_gui.engine.signals.scanner import discover
from dedup_gui.engine.store.cache import Cache
from tests.conftest import dataset
from tests.images import photo, save


def detailed(size: tuple[int, int] = (1200, 900), seed: int = 0) -> Image.Image:
    """A picture full of sharp edges: a mosaic of random grey tiles."""
    tiles = np.random.default_rng(seed).integers(30, 226, (size[1] // 12, size[0] // 12))
    return Image.fromarray(tiles.astype(np.uint8)).resize(size, Image.Resampling.NEAREST)


def flags(image: Image.Image) -> tuple[str, ...]:
    return measure_pixels(image.convert("L"), *image.size).flags


def scaled(image: Image.Image, factor: float, offset: float = 0.0) -> Image.Image:
    pixels = np.asarray(image.convert("L"), np.float32) * factor + offset
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def test_a_sharp_picture_has_no_flag_and_its_blurred_copy_is_blurry() -> None:
    sharp = detailed()
    assert flags(sharp) == ()
    assert flags(sharp.filter(ImageFilter.GaussianBlur(10))) == ("blurry",)


def test_dark_and_bright_look_at_the_whole_range_not_the_mean() -> None:
    sharp = detailed()
    assert "dark" in flags(scaled(sharp, 0.2))  # every part dim
    assert "bright" in flags(scaled(sharp, 0.15, 215))  # even the shadows near white
    low_key = np.asarray(scaled(sharp, 0.15), np.uint8).copy()
    low_key[300:500, 400:700] = 230  # a dark scene with a lit subject
    assert "dark" not in flags(Image.fromarray(low_key))


def test_tiny_is_about_the_file_size_not_the_decode() -> None:
    small = detailed((180, 120))
    assert "tiny" in flags(small)
    assert "tiny" not in measure_pixels(small.convert("L"), 1800, 1200).flags


def test_measures_do_not_depend_on_the_file_resolution(tmp_path: Path) -> None:
    """Measured at one scale: a 2400-px original and its 600-px copy read alike."""
    big = detailed((2400, 1800), seed=3)
    save(big, tmp_path / "big.jpg", quality=92)
    save(big.resize((600, 450), Image.Resampling.LANCZOS), tmp_path / "small.jpg", quality=92)
    a, b = measure(str(tmp_path / "big.jpg")), measure(str(tmp_path / "small.jpg"))
    assert (a.width, b.width) == (2400, 600)
    assert a.brightness == pytest.approx(b.brightness, abs=2)
    assert a.sharpness == pytest.approx(b.sharpness, rel=0.25)


def test_an_unreadable_file_gives_its_reason(tmp_path: Path) -> None:
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    assert measure(str(tmp_path / "broken.jpg")) == "truncated or corrupt image data"


def test_blur_flags_on_the_dev_set_photos() -> None:
    """No untouched original is called blurry; AugLy blurs of radius ≥ 1.45 px with nothing
    sharp laid over them afterwards (screenshot frame, meme caption, padding) all are."""
    folder = dataset("photos_augly_dev2")
    files = json.loads((folder / "manifest.json").read_text())["files"]
    sharp_after = {"overlay_onto_screenshot", "meme_format", "pad", "pad_square",
                   "overlay_text", "overlay_emoji"}
    originals = [f["path"] for f in files if f["role"] in ("original", "hard_negative")]
    blurred = [f["path"] for f in files
               if any(t["name"] == "blur" and t["params"]["radius"] >= 1.45
                      for t in f["transforms"])
               and not sharp_after & {t["name"] for t in f["transforms"]}]
    assert len(originals) > 200 and len(blurred) >= 10
    paths = [str(folder / "images" / p) for p in originals + blurred]
    entries = discover(paths).files
    measured, _ = collect_quality(entries, Cache(None))
    by_rel = {os.path.relpath(p, folder / "images"): q for p, q in measured.items()}
    assert [p for p in originals if "blurry" in by_rel[p].flags] == []
    assert [p for p in blurred if "blurry" not in by_rel[p].flags] == []


# -- the cache table ---------------------------------------------------------------------
@pytest.fixture
def files(tmp_path: Path) -> list:
    save(detailed(seed=1), tmp_path / "lib/a.jpg", quality=90)
    save(photo(2), tmp_path / "lib/b.png")
    (tmp_path / "lib/broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    return discover([tmp_path / "lib"]).files


def test_measures_are_cached_and_a_changed_file_is_measured_again(tmp_path: Path,
                                                                  files: list) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    first, decoded = collect_quality(files, cache)
    assert decoded == 3 and isinstance(first[str(tmp_path / "lib/broken.jpg")], str)
    again, decoded = collect_quality(files, Cache(tmp_path / "cache.sqlite3"))
    assert decoded == 0 and again == first
    changed = tmp_path / "lib/a.jpg"
    save(scaled(detailed(seed=1), 0.2), changed, quality=90)
    os.utime(changed, ns=(1, 1))
    _, decoded = collect_quality(discover([tmp_path / "lib"]).files, cache)
    assert decoded == 1


def test_a_new_measure_version_or_table_layout_is_measured_again(
        tmp_path: Path, files: list, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite3"
    collect_quality(files, Cache(path))
    monkeypatch.setattr(quality_cache, "QUALITY_VERSION", quality_cache.QUALITY_VERSION + 1)
    assert collect_quality(files, Cache(path))[1] == 3
    with sqlite3.connect(path) as db:  # a table another version of dedup-gui made
        db.execute(f"DROP TABLE {TABLE}")
        db.execute(f"CREATE TABLE {TABLE} (path TEXT PRIMARY KEY, score REAL)")
    cache = Cache(path)
    assert collect_quality(files, cache)[1] == 3
    assert collect_quality(files, cache)[1] == 0
    assert cache.warnings == []


def test_a_read_only_cache_still_gives_measures(tmp_path: Path, files: list) -> None:
    path = tmp_path / "cache.sqlite3"
    collect_quality(files[:1], Cache(path))
    cache = Cache(path)
    cache.writable = False  # as when another instance holds the lock
    measured, decoded = collect_quality(files, cache)
    assert len(measured) == 3 and decoded == 2
    assert collect_quality(files, Cache(path))[1] == 2  # nothing new was written
