"""Capture dates and camera: read once in the scan's workers, cached, carried by the groups."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from dedup_gui.engine.pipeline import ScanParams, read, run_scan
from dedup_gui.engine.signals import batch, capture
from dedup_gui.engine.signals.capture import read_capture
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Capture
from tests.images import photo, save
from tests.raws import write_dng

NS = 10**9


def exif_jpeg(path: Path, picture: Image.Image, **tags: str) -> Path:
    """A JPEG with the capture tags in the EXIF sub-IFD (where cameras write them)."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = tags.get("make", "Canon"), tags.get("model", "EOS R5")
    sub = exif.get_ifd(0x8769)
    for key, tag in (("taken", 0x9003), ("subsec", 0x9291), ("offset", 0x9011),
                     ("serial", 0xA431), ("unique", 0xA420)):
        if key in tags:
            sub[tag] = tags[key]
    return save(picture, path, exif=exif, quality=90)


def test_exif_capture_is_read_back_exactly(tmp_path: Path) -> None:
    path = exif_jpeg(tmp_path / "a.jpg", photo(1), taken="2021:05:02 10:00:03", subsec="045",
                     offset="+02:00", serial="032021001234", unique="A1B2C3D4E5F6")
    instant = datetime(2021, 5, 2, 8, 0, 3, tzinfo=UTC)  # 10:00:03 at +02:00
    assert read_capture(str(path)) == Capture(
        taken_ns=int(instant.timestamp()) * NS + 45_000_000, has_offset=True, make="Canon",
        model="EOS R5", serial="032021001234", unique_id="A1B2C3D4E5F6", source="exif")


def test_a_date_without_offset_is_the_wall_time(tmp_path: Path) -> None:
    path = exif_jpeg(tmp_path / "a.jpg", photo(1), taken="1999:12:31 23:59:59")
    found = read_capture(str(path))
    assert found.taken_ns == int(datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()) * NS
    assert not found.has_offset


@pytest.mark.parametrize("suffix", [".json", ".supplemental-metadata.json"])
def test_takeout_json_dates_a_photo_without_exif_date(tmp_path: Path, suffix: str) -> None:
    path = exif_jpeg(tmp_path / "IMG_1.JPG", photo(2))  # a camera, but no date
    Path(f"{path}{suffix}").write_text(json.dumps({
        "title": "IMG_1.JPG", "photoTakenTime": {"timestamp": "1600000000",
                                                 "formatted": "13 Sep 2020, 12:26:40 UTC"}}))
    assert read_capture(str(path)) == Capture(1_600_000_000 * NS, True, "Canon", "EOS R5",
                                              source="takeout")


def test_exif_wins_over_takeout(tmp_path: Path) -> None:
    path = exif_jpeg(tmp_path / "IMG_1.JPG", photo(2), taken="2020:01:01 00:00:00")
    Path(f"{path}.json").write_text('{"photoTakenTime": {"timestamp": "1600000000"}}')
    assert read_capture(str(path)).source == "exif"


def test_nothing_known_is_an_empty_capture(tmp_path: Path) -> None:
    bare = save(photo(3), tmp_path / "bare.png")
    Path(f"{bare}.json").write_text("{not json")
    (tmp_path / "zero.jpg.json").write_text('{"photoTakenTime": {"timestamp": "0"}}')
    zero = exif_jpeg(tmp_path / "zero.jpg", photo(3), make="", model="",
                     taken="0000:00:00 00:00:00")
    assert read_capture(str(bare)) == Capture()
    assert read_capture(str(zero)) == Capture()
    assert read_capture(str(tmp_path / "missing.jpg")) == Capture()


def test_dng_capture_comes_from_its_tiff_header(tmp_path: Path) -> None:
    path = write_dng(tmp_path / "a.dng", photo(4), preview=photo(4), make="Nikon", model="Z 6",
                     taken="2022:02:22 22:22:22", serial="6001234")
    assert read_capture(str(path)) == Capture(
        int(datetime(2022, 2, 22, 22, 22, 22, tzinfo=UTC).timestamp()) * NS, False, "Nikon",
        "Z 6", "6001234", source="exif")


def _library(root: Path) -> dict[str, Path]:
    picture = photo(5)
    files = {
        "dated": exif_jpeg(root / "dated.jpg", picture, taken="2021:05:02 10:00:00",
                           offset="+00:00"),
        "copy": root / "copy" / "dated.jpg",  # identical bytes, its own Takeout JSON below
        "takeout": save(picture.resize((320, 240)), root / "small.png"),
        "bare": save(photo(6), root / "bare.png"),
    }
    files["copy"].parent.mkdir()
    files["copy"].write_bytes(files["dated"].read_bytes())
    Path(f"{files['takeout']}.json").write_text('{"photoTakenTime": {"timestamp": "5"}}')
    return files


def _captures(result) -> dict[str, Capture | None]:
    return {f.path: f.capture for g in result.groups for f in g.files}


def test_groups_carry_the_capture_and_a_warm_rescan_reads_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _library(tmp_path / "lib")
    cache = Cache(tmp_path / "cache.db")
    params = ScanParams(roots=(str(tmp_path / "lib"),), workers=1)
    first = _captures(run_scan(params, cache))
    assert first[str(files["dated"])] == first[str(files["copy"])]
    assert first[str(files["dated"])].source == "exif"
    assert first[str(files["takeout"])] == Capture(5 * NS, True, source="takeout")
    cache.close()

    def must_not_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm rescan read a file for its capture")

    for name in ("read_capture", "capture_from_exif", "with_takeout", "load_image"):
        monkeypatch.setattr(batch, name, must_not_read)
    monkeypatch.setattr(capture, "takeout_capture", must_not_read)
    again = run_scan(params, Cache(tmp_path / "cache.db"))
    assert again.stats.decoded == 0
    assert _captures(again) == first


def test_captures_missing_from_an_older_cache_are_read_without_decoding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _library(tmp_path / "lib")
    params = ScanParams(roots=(str(tmp_path / "lib"),), workers=1)
    run_scan(params, Cache(tmp_path / "cache.db"))
    cache = Cache(tmp_path / "cache.db")
    cache.db.execute("DELETE FROM captures")  # as a version-3 cache would be after migrating
    cache.db.conn.commit()
    monkeypatch.setattr(batch, "load_image", lambda *a, **k: pytest.fail("decoded again"))
    result = run_scan(params, cache)
    assert result.stats.decoded == 0
    assert _captures(result)[str(files["takeout"])].source == "takeout"


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    files = _library(tmp_path / "lib")
    cache = Cache(tmp_path / "cache.db")
    params = ScanParams(roots=(str(tmp_path / "lib"),), workers=1)
    run_scan(params, cache)
    exif_jpeg(files["copy"], photo(5), taken="2001:01:01 01:01:01", offset="+00:00")
    os.utime(files["copy"], ns=(1, 1))
    found = {f.path: f.capture for g in run_scan(params, cache).groups for f in g.files}
    assert found[str(files["copy"])].taken_ns == 978_310_861 * NS


def test_exact_copies_keep_their_own_takeout_dates(tmp_path: Path) -> None:
    original = save(photo(7), tmp_path / "a" / "IMG_7.JPG", quality=90)  # no EXIF date
    copy = tmp_path / "b" / "IMG_7.JPG"
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    Path(f"{copy}.supplemental-metadata.json").write_text(
        '{"photoTakenTime": {"timestamp": "1500000000"}}')
    result = run_scan(ScanParams(roots=(str(tmp_path),), workers=1), Cache())
    assert _captures(result) == {str(original): Capture(),
                                 str(copy): Capture(1_500_000_000 * NS, True, source="takeout")}


def test_a_raw_preview_dates_what_its_container_does_not() -> None:
    container, preview = Image.Exif(), Image.Exif()
    container[0x010F], container[0x0110] = "FUJIFILM", "X-T4"
    preview.get_ifd(0x8769)[0x9003] = "2020:02:02 20:20:20"
    preview[0x010F] = "someone else"  # the first block that names a field wins
    found = capture.capture_from_exif([container, preview])
    assert (found.make, found.model, found.source) == ("FUJIFILM", "X-T4", "exif")
    assert found.taken_ns == int(datetime(2020, 2, 2, 20, 20, 20, tzinfo=UTC).timestamp()) * NS


def test_libraw_time_is_the_last_resort() -> None:
    found = capture.capture_from_exif([], datetime(2019, 3, 3, 3, 3, 3))
    assert found == Capture(int(datetime(2019, 3, 3, 3, 3, 3, tzinfo=UTC).timestamp()) * NS,
                            False, source="exif")


def test_a_cameras_names_are_one_string_for_every_file(tmp_path: Path) -> None:
    """Captures read in the pool (unpickled) and from the cache (SQLite rows) share their
    make, model and serial strings: one camera's names are stored once, not once a file
    (half of what 500k files' captures cost)."""
    for k in range(3):
        exif_jpeg(tmp_path / "lib" / f"img{k}.jpg", photo(k), taken=f"2021:05:02 10:00:0{k}",
                  serial="032021001234")
    params = ScanParams(roots=(str(tmp_path / "lib"),), workers=2)
    for _ in ("cold", "warm"):
        library = read(params, Cache(tmp_path / "cache.db"))
        found = list(library.captures.values())
        assert len(found) == 3 and found[0].model == "EOS R5"
        for name in ("make", "model", "serial", "source"):
            assert len({id(getattr(c, name)) for c in found}) == 1


def test_a_date_beyond_what_a_cache_can_hold_is_no_date(tmp_path: Path) -> None:
    """EXIF that says 9999:12:31 (a placeholder or a broken clock) and a Takeout timestamp
    in the year 33,658 are past the 64-bit nanosecond range (1677-2262): such a date decides
    nothing, the camera is still read, and the scan and its cache write go through (the
    cache's INTEGER column refused it, and the scan stopped)."""
    folder = tmp_path / "lib"
    far = exif_jpeg(folder / "far.jpg", photo(1), taken="9999:12:31 23:59:59")
    takeout = save(photo(2), folder / "takeout.jpg")
    Path(f"{takeout}.json").write_text('{"photoTakenTime": {"timestamp": "1000000000000"}}')
    edge = exif_jpeg(folder / "edge.jpg", photo(3), taken="2262:04:11 23:47:16")
    assert read_capture(str(far)) == Capture(None, False, "Canon", "EOS R5", source="")
    assert read_capture(str(takeout)).taken_ns is None
    assert read_capture(str(edge)).taken_ns == 9_223_372_036 * NS
    result = run_scan(ScanParams(roots=(str(folder),), embeddings=False),
                      Cache(tmp_path / "c.db"))
    assert result.stats.files == 3 and not result.issues
