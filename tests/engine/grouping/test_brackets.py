"""Exposure brackets: frames shot at several compensations to be merged are a series shown as a
bracket, its suggested frame the one nearest 0 EV, and "keep the best" never marks its frames
(an enthusiast's check: it marked the -2 and +2 EV frames an HDR merge needs, and starred the
-2 EV frame). A burst at one compensation stays a plain series."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image, TiffImagePlugin

from dedup_gui.engine.grouping.brackets import bracket_words, ev_text, nearest_normal
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.signals.exposure import UNKNOWN, read_exposure
from dedup_gui.engine.store.cache import Cache
from tests.engine.grouping.pictures import frame, scene

STOPS = (-1.0, 0.0, 1.0)


def camera_frame(picture: Image.Image, path: Path, index: int, bias: float | None,
                 auto: bool) -> Path:
    """A frame as a camera writes it: make, model, serial, a time a third of a second after
    the last, and the exposure compensation and mode of an automatic bracket."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS R6"
    sub = exif.get_ifd(0x8769)
    sub[0x9003], sub[0x9291] = "2023:07:01 10:00:00", f"{index * 333:03d}"
    sub[0xA431] = "0123"
    if bias is not None:
        sub[0x9204] = TiffImagePlugin.IFDRational(Fraction(bias).limit_denominator(3))
    sub[0xA402] = 2 if auto else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, quality=92, exif=exif)
    return path


def exposed(picture: Image.Image, stops: float) -> Image.Image:
    """The same frame `stops` EV brighter or darker (clipped as a sensor clips)."""
    pixels = np.asarray(picture, dtype=np.float32) * 2.0 ** (stops * 0.6)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def bracket_library(root: Path, biases=STOPS, auto: bool = True) -> list[Path]:
    world = scene(5)
    return [camera_frame(exposed(frame(world, i, -i, (90, 85), seed=i), bias or 0.0),
                         root / f"bracket/IMG_{i + 1:04d}.JPG", i, bias, auto)
            for i, bias in enumerate(biases)]


def test_the_words_and_the_normal_frame() -> None:
    assert bracket_words([(-2.0, True), (0.0, True), (2.0, True)]) == \
        "exposure bracket, \u22122 to +2 EV"
    assert bracket_words([(-0.67, False), (0.0, False)]) == "exposure bracket, \u22120.7 to 0 EV"
    assert bracket_words([(None, True), (None, True)]) == "exposure bracket"
    assert bracket_words([(0.0, False), (0.0, False), (None, False)]) == ""  # a burst
    assert bracket_words([UNKNOWN, UNKNOWN]) == ""
    assert ev_text(0.0) == "0" and ev_text(-0.0) == "0" and ev_text(1.33) == "+1.3"
    assert nearest_normal([(-2.0, True), (0.33, True), (-0.33, True)]) == [1, 2]
    assert nearest_normal([(None, True), (2.0, True)]) == [1]


def test_the_header_says_what_the_camera_did(tmp_path: Path) -> None:
    low, normal, high = bracket_library(tmp_path)
    assert read_exposure(low) == (-1.0, True) and read_exposure(high) == (1.0, True)
    assert read_exposure(normal) == (0.0, True)
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (8, 8)).save(plain)
    assert read_exposure(plain) == UNKNOWN
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe1 not a header")
    assert read_exposure(broken) == UNKNOWN
    assert read_exposure(tmp_path / "gone.jpg") == UNKNOWN


def test_a_bracket_is_a_series_shown_as_one_with_its_0_ev_frame(tmp_path: Path) -> None:
    frames = bracket_library(tmp_path / "lib")
    result = run_scan(ScanParams(roots=(str(tmp_path / "lib"),), embeddings=False),
                      Cache(tmp_path / "cache.sqlite3"))
    assert result.groups == ()  # never duplicates
    (series,) = result.series
    assert sorted(f.path for f in series.files) == [str(p) for p in frames]
    assert series.bracket == "exposure bracket, \u22121 to +1 EV"
    assert series.best == str(frames[1])  # the camera's own metering, not the darkest
    assert series.best_reason.startswith("the 0 EV frame of an exposure bracket")
    again = run_scan(ScanParams(roots=(str(tmp_path / "lib"),), embeddings=False),
                     Cache(tmp_path / "cache.sqlite3"))
    assert again.series == result.series  # measures and words read back from the cache


def test_a_bracket_set_by_hand_is_one_too_and_a_burst_is_not(tmp_path: Path) -> None:
    by_hand = bracket_library(tmp_path / "hand", (-0.67, 0.0, 0.67), auto=False)
    result = run_scan(ScanParams(roots=(str(tmp_path / "hand"),), embeddings=False), Cache(None))
    assert [s.bracket for s in result.series] == ["exposure bracket, \u22120.7 to +0.7 EV"]
    assert result.series[0].best == str(by_hand[1])
    bracket_library(tmp_path / "burst", (0.0, 0.0, 0.0), auto=False)
    result = run_scan(ScanParams(roots=(str(tmp_path / "burst"),), embeddings=False),
                      Cache(None))
    assert [s.bracket for s in result.series] == [""]
