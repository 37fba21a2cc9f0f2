"""The verification stage inside a real scan: real files, the real pipeline."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from tests.engine.grouping.pictures import frame, jpeg, scene


def _names(result) -> list[list[str]]:
    return [sorted(Path(f.path).name for f in g.files) for g in result.groups]


def test_flat_tiny_and_strip_images_stay_apart_and_a_resave_still_groups(tmp_path) -> None:
    grey = (128, 128, 128)
    Image.new("RGB", (1, 1), grey).save(tmp_path / "pixel.png")
    Image.new("RGB", (1, 5000), grey).save(tmp_path / "strip.png")
    Image.new("RGB", (300, 200), grey).save(tmp_path / "flat_wide.png")
    Image.new("RGB", (300, 240), grey).save(tmp_path / "flat_tall.png")
    photo = frame(scene(7), 0, 0, (50, 60), seed=4)
    photo.save(tmp_path / "photo.jpg", quality=92)
    jpeg(photo, 70, 0.5).save(tmp_path / "photo_small.jpg", quality=70)
    result = run_scan(ScanParams(roots=(str(tmp_path),), embeddings=False), Cache(None))
    assert _names(result) == [["photo.jpg", "photo_small.jpg"]]
    (pair,) = result.groups[0].pairs
    assert pair.tier == "resaved"  # no capture on either side: no alignment needed


def test_without_verification_the_plain_images_were_re_saves_of_each_other(tmp_path) -> None:
    """The failure the stage fixes (issue 15): hashes of flat pictures are all alike."""
    Image.new("RGB", (1, 1), (128, 128, 128)).save(tmp_path / "pixel.png")
    Image.new("RGB", (1, 5000), (128, 128, 128)).save(tmp_path / "strip.png")
    params = ScanParams(roots=(str(tmp_path),), embeddings=False, verify=False)
    assert _names(run_scan(params, Cache(None))) == [["pixel.png", "strip.png"]]


def test_a_warm_rescan_reuses_the_pixel_verdicts_and_decodes_nothing(tmp_path, monkeypatch
                                                                     ) -> None:
    """Verdicts are kept in the cache file by both files' paths, sizes and mtimes: a rescan
    of unchanged files gives the same groups without decoding a picture again."""
    from dedup_gui.engine.grouping import picture_cache

    library = tmp_path / "lib"
    library.mkdir()
    grey = (128, 128, 128)
    Image.new("RGB", (1, 1), grey).save(library / "pixel.png")
    Image.new("RGB", (1, 5000), grey).save(library / "strip.png")
    photo = frame(scene(7), 0, 0, (50, 60), seed=4)
    photo.save(library / "photo.jpg", quality=92)
    jpeg(photo, 70, 0.5).save(library / "photo_small.jpg", quality=70)
    params = ScanParams(roots=(str(library),), embeddings=False)
    db = tmp_path / "cache.sqlite3"
    first = run_scan(params, Cache(db))

    def must_not_decode(*_args, **_kwargs):
        raise OSError("decoded again")

    monkeypatch.setattr(picture_cache, "load_image", must_not_decode)
    again = run_scan(params, Cache(db))
    assert _names(again) == _names(first) == [["photo.jpg", "photo_small.jpg"]]
    os.utime(library / "strip.png", ns=(1, 1))  # changed since: its verdicts do not hold
    assert _names(run_scan(params, Cache(db))) == [["photo.jpg", "photo_small.jpg"],
                                                   ["pixel.png", "strip.png"]]
