"""Camera RAW through the one loader: DNGs written with pidng from real pixels (tests/raws.py).

No real camera RAW ships in a package this machine has (rawpy's sdist and wheel carry none, and
Debian has no LibRaw sample package), so every RAW here is a DNG; LibRaw takes the same paths
(preview, half-size demosaic, flip) for the other kinds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import imagehash
import pytest
import rawpy
from PIL import Image

from dedup_gui.engine.actions.keep_rules import Rule, RuleKind, propose
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.signals import raw
from dedup_gui.engine.signals.capture import read_capture
from dedup_gui.engine.signals.imageio import EMPTY, ImageLoadError, load_image
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import RESAVED
from tests.images import photo
from tests.raws import write_dng

SIZE = (640, 480)


def _hash(image: Image.Image) -> imagehash.ImageHash:
    return imagehash.phash(image.convert("RGB"))


class _Spy:
    """rawpy.imread's RawPy with calls to postprocess counted (or refused): the proof of which
    path a decode took, without timing it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, refuse_demosaic: bool) -> None:
        self.demosaics = 0
        real = rawpy.imread
        spy = self

        class Wrapped:
            def __init__(self, path: str) -> None:
                self._raw = real(path)

            def __enter__(self) -> Wrapped:
                return self

            def __exit__(self, *exc: object) -> None:
                self._raw.close()

            def __getattr__(self, name: str) -> Any:
                return getattr(self._raw, name)

            def postprocess(self, **options: Any) -> Any:
                spy.demosaics += 1
                if refuse_demosaic:
                    raise AssertionError("the preview was big enough: no demosaic expected")
                return self._raw.postprocess(**options)

        monkeypatch.setattr(rawpy, "imread", Wrapped)


def test_a_big_preview_is_decoded_instead_of_the_raw_data(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    picture = photo(1, SIZE)
    path = write_dng(tmp_path / "IMG_1.DNG", picture, preview=picture)
    _Spy(monkeypatch, refuse_demosaic=True)
    loaded = load_image(path, mode="RGB", min_side=224)
    assert (loaded.width, loaded.height, loaded.format) == (640, 480, "DNG")
    assert min(loaded.image.size) >= 224
    assert _hash(loaded.image) - _hash(picture) <= 4


def test_a_small_preview_means_a_half_size_demosaic(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    picture = photo(2, SIZE)
    path = write_dng(tmp_path / "a.dng", picture, preview=picture.resize((160, 120)))
    spy = _Spy(monkeypatch, refuse_demosaic=False)
    loaded = load_image(path, mode="RGB", min_side=224)
    assert spy.demosaics == 1
    assert (loaded.width, loaded.height) == SIZE  # the sensor's size, not the half decode's
    assert _hash(loaded.image) - _hash(picture) <= 10  # demosaiced linear data looks alike


def test_a_preview_of_another_shape_is_not_used(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    picture = photo(3, SIZE)
    letterboxed = picture.crop((0, 0, 640, 360))  # 16:9 of a 4:3 sensor: a crop
    path = write_dng(tmp_path / "a.dng", picture, preview=letterboxed)
    spy = _Spy(monkeypatch, refuse_demosaic=False)
    load_image(path, mode="L", min_side=64)
    assert spy.demosaics == 1


@pytest.mark.parametrize("with_preview", [True, False])
def test_the_raw_orientation_is_applied(tmp_path: Path, with_preview: bool) -> None:
    picture = photo(4, SIZE)
    preview = picture if with_preview else None  # cameras store previews as shot, unturned
    path = write_dng(tmp_path / "turned.dng", picture, preview=preview, orientation=6)
    loaded = load_image(path, mode="RGB", min_side=224)
    upright = picture.transpose(Image.Transpose.ROTATE_270)  # orientation 6: turn 90° clockwise
    assert (loaded.width, loaded.height) == (480, 640)
    assert loaded.image.height > loaded.image.width
    assert _hash(loaded.image) - _hash(upright) <= 10
    assert _hash(loaded.image) - _hash(picture.resize((480, 640))) > 16


def test_broken_raw_files_are_issues_with_a_reason(tmp_path: Path) -> None:
    picture = photo(5, SIZE)
    whole = write_dng(tmp_path / "whole.dng", picture, preview=picture).read_bytes()
    (tmp_path / "truncated.dng").write_bytes(whole[:4000])
    (tmp_path / "text.nef").write_bytes(b"these are not the pixels you are looking for\n" * 50)
    (tmp_path / "empty.cr2").write_bytes(b"")
    reasons = {}
    for name in ("truncated.dng", "text.nef", "empty.cr2"):
        with pytest.raises(ImageLoadError) as caught:
            load_image(tmp_path / name)
        reasons[name] = caught.value.reason
    assert reasons == {"truncated.dng": raw.RAW_CORRUPT, "text.nef": raw.UNSUPPORTED,
                       "empty.cr2": EMPTY}


def test_a_dng_and_its_jpeg_export_are_one_resaved_group(tmp_path: Path) -> None:
    picture, other = photo(6, (1200, 800)), photo(7, (1200, 800))
    write_dng(tmp_path / "IMG_6.DNG", picture, preview=picture, taken="2023:08:01 09:15:00")
    picture.save(tmp_path / "IMG_6 export.JPG", quality=88)  # another name: not its unit
    other.save(tmp_path / "IMG_7.JPG", quality=88)
    (tmp_path / "IMG_8.DNG").write_bytes(b"II*\x00" + b"\x00" * 64)  # a broken RAW
    result = run_scan(ScanParams(roots=(str(tmp_path),), workers=1), Cache())
    assert [[Path(f.path).name for f in g.files] for g in result.groups] == [
        ["IMG_6 export.JPG", "IMG_6.DNG"]]
    group = result.groups[0]
    assert group.tier == RESAVED
    dng = group.files[1]
    assert (dng.format, dng.width, dng.height) == ("DNG", 1200, 800)
    assert dng.capture is not None and dng.capture.camera == "Testcam T1"
    assert [Path(i.path).name for i in result.issues] == ["IMG_8.DNG"]
    prefer_raw = (Rule(RuleKind.PREFERRED_FORMAT, ("RAW", "JPEG")),)
    assert propose(group, prefer_raw).keep == (dng.path,)
    prefer_jpeg = (Rule(RuleKind.PREFERRED_FORMAT, ("JPEG", "RAW")),)
    assert propose(group, prefer_jpeg).keep == (group.files[0].path,)


def test_a_raw_and_its_same_named_jpeg_are_one_shot_not_duplicates(tmp_path: Path) -> None:
    """Issue 14: RAW+JPEG of one shot form one unit, never a duplicate of itself; the option
    compares them as duplicates and proposes to keep the RAW."""
    picture = photo(6, (1200, 800))
    write_dng(tmp_path / "IMG_6.DNG", picture, preview=picture, taken="2023:08:01 09:15:00")
    picture.save(tmp_path / "IMG_6.JPG", quality=88)
    result = run_scan(ScanParams(roots=(str(tmp_path),), workers=1), Cache())
    assert result.groups == ()
    both = run_scan(ScanParams(roots=(str(tmp_path),), workers=1, raw_jpeg_duplicates=True),
                    Cache())
    assert [[Path(f.path).name for f in g.files] for g in both.groups] == [
        ["IMG_6.DNG", "IMG_6.JPG"]]


def test_raw_names_one_format_per_kind() -> None:
    assert {"CR2", "CR3", "NEF", "ARW", "RAF", "ORF", "RW2", "DNG", "PEF",
                               "SRW"} == raw.RAW_FORMATS
    assert raw.raw_format("/p/IMG_1.cr3") == "CR3"
    assert raw.is_raw("/p/x.NEF") and not raw.is_raw("/p/x.jpg")


def test_a_raw_over_the_pixel_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    picture = photo(8, SIZE)
    path = write_dng(tmp_path / "big.dng", picture, preview=picture)
    with pytest.raises(ImageLoadError, match=r"image too large \(640×480 pixels"):
        load_image(path, max_pixels=50_000)  # 640×480 / 4 = 76,800 would be decoded
    assert load_image(path, max_pixels=80_000).format == "DNG"


def test_a_raw_whose_name_is_not_utf8_is_read(tmp_path: Path) -> None:
    picture = photo(9, SIZE)
    name = os.fsdecode(b"caf\xe9.dng")  # Latin-1 name: surrogate escapes in Python
    path = write_dng(tmp_path / name, picture, preview=picture, taken="2020:01:01 10:00:00")
    assert load_image(path).format == "DNG"
    assert read_capture(str(path)).source == "exif"
