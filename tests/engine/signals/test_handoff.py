"""The signal workers' decodes handed to verification (signals/handoff.py): only when asked,
only when pixel-identical to verification's own decode, within the scan's byte budget, and
never on a warm rescan."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dedup_gui.engine.grouping.picture_cache import DECODE_SIDE
from dedup_gui.engine.parallel import map_batches
from dedup_gui.engine.signals.batch import Task, compute_batch
from dedup_gui.engine.signals.handoff import (
    LARGEST,
    PER_FILE_BYTE,
    TRAVEL,
    WORTH,
    Picture,
    Pictures,
    asked,
)
from dedup_gui.engine.signals.imageio import load_image
from dedup_gui.engine.signals.read import read_library
from dedup_gui.engine.store.cache import Cache
from tests.engine.grouping.pictures import scene


def _rotated(path: Path) -> None:
    """A camera JPEG stored sideways with EXIF orientation 6 (turn on display)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    scene(4, (1600, 1200)).save(path, quality=90, exif=exif)


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("handoff")
    scene(1, (3200, 2400)).save(folder / "camera.jpg", quality=90)  # 1/8 for both: alike
    scene(2, (1200, 1600)).save(folder / "phone.jpg", quality=90)  # 1/4 for both: alike
    _rotated(folder / "rotated.jpg")  # alike: both decodes turn it the same way
    scene(3, (2400, 1800)).save(folder / "wide.jpg", quality=90)  # 1/8 against 1/4
    scene(5, (720, 480)).save(folder / "screen.png")  # box-reduced by 2 against not at all
    return folder


def _verifications(path: Path) -> np.ndarray:
    return np.asarray(load_image(str(path), mode="RGB", min_side=DECODE_SIDE).image)


def test_a_worker_hands_back_verifications_own_decode_only_when_asked(pictures) -> None:
    paths = sorted(pictures.iterdir())
    asked = compute_batch([Task(str(p), True, True, picture=True) for p in paths], 8)
    handed = {p.name: c.picture for p, c in zip(paths, asked, strict=True)}
    assert {name for name, picture in handed.items() if picture is not None} == \
        {"camera.jpg", "phone.jpg", "rotated.jpg"}
    for name, picture in handed.items():
        if picture is not None:
            assert np.array_equal(np.asarray(picture.image()), _verifications(pictures / name))
    assert np.asarray(handed["rotated.jpg"].image()).shape[:2] == (1600 // 4, 1200 // 4)
    unasked = compute_batch([Task(str(p), True, True) for p in paths], 8)
    assert all(c.picture is None and c.signals is not None for c in unasked)


def test_the_store_keeps_first_come_within_its_budget_and_copies_count_once() -> None:
    picture = Picture.of(scene(1, (256, 256)))
    one = 256 * 256 * 3
    store = Pictures(2 * one + 10)
    assert store.offer(["a", "a_copy"], picture) and store.offer(["b"], picture)
    assert not store.offer(["c"], picture)
    assert sorted(store) == ["a", "a_copy", "b"] and store.used == 2 * one
    assert store["a_copy"] is store["a"]


def test_the_workers_are_asked_for_a_few_budgets_of_pictures_estimated_from_file_sizes() -> None:
    large, small = 4 * 2**20, 4_000  # a camera JPEG, a 128×96 thumbnail
    assert asked([large] * 1000, 128 * 2**20) == TRAVEL * 128  # each counted as LARGEST
    assert asked([small] * 1000, 16 * 2**20) == 1000  # 64 KB estimates, 64 MB: all asked
    assert asked([small] * 1000, 0) == 0
    assert asked([LARGEST // PER_FILE_BYTE, large], LARGEST // TRAVEL) == 1


def test_a_library_far_beyond_the_budget_is_asked_for_no_picture() -> None:
    """Beyond WORTH budgets of estimated pictures the budget would keep too few of them for a
    verified pair to find both its own, and would only raise the scan's peak memory (a
    500k-file library): none are asked."""
    thumbnail = 4_000  # bench_scale's 128×96 JPEGs: 64 KB estimates
    budget = 128 * 2**20
    within = WORTH * budget // (PER_FILE_BYTE * thumbnail)
    assert asked([thumbnail] * within, budget) > 0
    assert asked([thumbnail] * (within + 1), budget) == 0
    assert asked([thumbnail] * 500_000, budget) == 0


def _recording(asked: list[Task]):
    """map_batches, listing the tasks that ask for their picture."""
    def mapper(func, items, *args, **kwargs):
        asked.extend(task for task in items if task.picture)
        return map_batches(func, items, *args, **kwargs)
    return mapper


def test_a_read_asks_for_no_more_pictures_than_the_budget_can_hold_and_a_rescan_for_none(
        pictures, tmp_path) -> None:
    asked: list[Task] = []
    cache = Cache(tmp_path / "cache.sqlite3")
    budget = 3 * LARGEST // (2 * TRAVEL)  # fits camera.jpg's picture (the first file); asks
    # for one (each file is over LARGEST / PER_FILE_BYTE = 64 KB, estimated LARGEST)
    assert all(p.stat().st_size > LARGEST // PER_FILE_BYTE for p in pictures.iterdir())
    read = read_library([str(pictures)], cache, workers=1, mapper=_recording(asked),
                        picture_budget=budget)
    assert len(asked) == 1 and read.decoded == 5
    assert read.pictures.used <= budget and [Path(p).name for p in read.pictures] == \
        ["camera.jpg"]
    asked.clear()
    again = read_library([str(pictures)], cache, workers=1, mapper=_recording(asked),
                         picture_budget=budget)
    assert again.decoded == 0 and not asked and len(again.pictures) == 0


def test_a_library_of_small_pictures_is_kept_whole_when_it_fits(tmp_path) -> None:
    for seed in range(12):
        scene(seed, (128, 96)).save(tmp_path / f"small{seed:02}.jpg", quality=85)
    read = read_library([str(tmp_path)], Cache(None), workers=1,
                        picture_budget=12 * 128 * 96 * 3)
    assert len(read.pictures) == 12 and read.pictures.used == 12 * 128 * 96 * 3
