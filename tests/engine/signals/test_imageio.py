"""The image loader on real files made with Pillow: formats, modes, orientation, and bad input."""

from __future__ import annotations

import gc
import io
import os
import struct
import threading
import warnings
import zlib
from functools import cache
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, features

from dedup_gui.engine.signals import imageio
from dedup_gui.engine.signals.imageio import (
    CORRUPT,
    EMPTY,
    FOLDER,
    NOT_FOUND,
    NOT_IMAGE,
    ImageLoadError,
    LoadedImage,
    load_image,
)

WHITE, RED, BLUE = (255, 255, 255), (255, 0, 0), (0, 0, 255)


# ---------------------------------------------------------------- helpers to make files


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **params)
    return buf.getvalue()


def photo_like(width: int, height: int) -> Image.Image:
    """Smooth gradients plus a little noise: compresses and decodes like a photo."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    rgb = np.stack([x / width * 255, y / height * 255, (x + y) / (width + height) * 255], axis=2)
    rgb += np.random.default_rng(0).normal(0, 8, rgb.shape)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def noise(width: int, height: int, seed: int = 0) -> Image.Image:
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    return Image.fromarray(pixels)


def marked(width: int = 160, height: int = 100) -> Image.Image:
    """Black, with a white block in the top-left corner, so orientation is visible."""
    image = Image.new("RGB", (width, height), "black")
    image.paste(WHITE, (0, 0, width // 4, height // 4))
    return image


def exif_with_orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def raw_png(width: int, height: int, bit_depth: int, color_type: int, rows: bytes) -> bytes:
    """A PNG written by hand, for what Pillow will not write (16-bit RGB, absurd sizes)."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows))
        + png_chunk(b"IEND", b"")
    )


def corner(image: Image.Image) -> str:
    """Which corner of an L image is bright."""
    w, h = image.size
    spots = {"TL": (1, 1), "TR": (w - 2, 1), "BL": (1, h - 2), "BR": (w - 2, h - 2)}
    bright = [name for name, xy in spots.items() if image.getpixel(xy) > 128]
    assert len(bright) == 1, bright
    return bright[0]


def near(actual: tuple[int, ...], expected: tuple[int, ...], tol: int = 12) -> bool:
    return all(abs(a - e) <= tol for a, e in zip(actual, expected, strict=True))


@cache
def big_jpeg() -> bytes:
    return encode(photo_like(2400, 1800), "JPEG", quality=90)


@cache
def small_jpeg() -> bytes:
    return encode(noise(48, 32), "JPEG", quality=75)


@cache
def small_png() -> bytes:
    return encode(noise(40, 30), "PNG")


def reason_of(source: object, **kwargs: object) -> str:
    with pytest.raises(ImageLoadError) as caught:
        load_image(source, **kwargs)  # type: ignore[arg-type]
    return caught.value.reason


# ---------------------------------------------------------------- JPEG draft decoding


def test_big_jpeg_is_draft_decoded_but_reports_full_size(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    path.write_bytes(big_jpeg())
    loaded = load_image(path)
    assert isinstance(loaded, LoadedImage)
    assert (loaded.width, loaded.height, loaded.format) == (2400, 1800, "JPEG")
    assert loaded.image.mode == "L"
    assert 64 <= min(loaded.image.size) < 1800
    assert loaded.image.size[0] * 3 == pytest.approx(loaded.image.size[1] * 4, abs=4)


@pytest.mark.parametrize("min_side", [1, 64, 300, 1000, 5000])
def test_min_side_is_kept_when_the_source_is_big_enough(min_side: int) -> None:
    loaded = load_image(big_jpeg(), mode="RGB", min_side=min_side)
    assert loaded.image.mode == "RGB"
    assert min(loaded.image.size) >= min(min_side, 1800)


def test_rgb_mode_keeps_colour() -> None:
    data = encode(Image.new("RGB", (300, 200), RED), "JPEG", quality=95)
    loaded = load_image(data, mode="RGB")
    assert near(loaded.image.getpixel((5, 5)), RED)
    assert load_image(data, mode="L").image.getpixel((5, 5)) == pytest.approx(76, abs=4)


def test_progressive_jpeg_drafts_too() -> None:
    data = encode(photo_like(1600, 1200), "JPEG", progressive=True, quality=85)
    loaded = load_image(data)
    assert (loaded.width, loaded.height) == (1600, 1200)
    assert 64 <= min(loaded.image.size) < 1200


def test_mpo_loads_its_first_picture_and_is_called_jpeg() -> None:
    first, second = Image.new("RGB", (320, 240), RED), Image.new("RGB", (320, 240), BLUE)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    loaded = load_image(data, mode="RGB")
    assert loaded.format == "JPEG"  # what people call a phone's multi-picture JPEG
    assert near(loaded.image.getpixel((3, 3)), RED)


def test_cmyk_jpeg_converts_to_the_right_colour() -> None:
    data = encode(Image.new("CMYK", (200, 150), (255, 0, 0, 0)), "JPEG", quality=95)
    assert near(load_image(data, mode="RGB").image.getpixel((5, 5)), (0, 255, 255))
    assert load_image(data, mode="L").image.getpixel((5, 5)) == pytest.approx(179, abs=6)


def test_small_image_comes_back_whole() -> None:
    loaded = load_image(encode(noise(40, 30), "PNG"))
    assert loaded.image.size == (40, 30)


# ---------------------------------------------------------------- orientation

EXPECTED = {1: "TL", 2: "TR", 3: "BR", 4: "BL", 5: "TL", 6: "TR", 7: "BR", 8: "BL"}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation(fmt: str, orientation: int) -> None:
    data = encode(marked(), fmt, exif=exif_with_orientation(orientation))
    loaded = load_image(data, min_side=16)
    swapped = orientation >= 5
    assert (loaded.width, loaded.height) == ((100, 160) if swapped else (160, 100))
    w, h = loaded.image.size
    assert (w < h) == swapped
    assert corner(loaded.image) == EXPECTED[orientation]


def tiff_exif(entries: bytes, count: int) -> bytes:
    return b"Exif\x00\x00II*\x00\x08\x00\x00\x00" + struct.pack("<H", count) + entries


BROKEN_EXIF = [
    b"garbage",
    b"Exif\x00\x00",
    b"Exif\x00\x00II*\x00\xff\xff\xff\x7f",  # first IFD far past the end
    b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff",  # IFD claims 65535 entries
    tiff_exif(struct.pack("<HHII", 0x0112, 3, 1, 9) + b"\0" * 4, 1),  # orientation 9
    tiff_exif(struct.pack("<HHII", 0x0112, 2, 40, 4000), 1),  # orientation as text, out of range
    tiff_exif(struct.pack("<HHII", 0x8769, 4, 1, 0xFFFFFF00), 1),  # Exif sub-IFD out of range
]


@pytest.mark.parametrize("payload", BROKEN_EXIF)
def test_broken_exif_block_loads_unrotated(payload: bytes) -> None:
    data = encode(marked(), "JPEG", exif=payload)
    loaded = load_image(data, min_side=16)
    assert (loaded.width, loaded.height) == (160, 100)
    assert corner(loaded.image) == "TL"


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6, 0.9, 0.98])
@pytest.mark.parametrize("kind", ["jpeg", "progressive", "png"])
def test_truncated_images_are_errors(kind: str, fraction: float) -> None:
    image = noise(320, 240, seed=3)
    fmt, params = ("PNG", {}) if kind == "png" else ("JPEG", {"progressive": kind != "jpeg"})
    data = encode(image, fmt, **params)
    assert reason_of(data[: int(len(data) * fraction)]) == CORRUPT


def test_a_few_bytes_of_a_header_are_not_an_image() -> None:
    assert reason_of(small_png()[:4]) == NOT_IMAGE


def test_empty_file_and_empty_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert reason_of(path) == EMPTY == "empty file (0 bytes)"
    assert reason_of(b"") == EMPTY


def test_text_named_jpg_is_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("shopping list: milk, eggs\n" * 20)
    assert reason_of(path) == NOT_IMAGE


def test_png_named_jpg_loads_as_png(tmp_path: Path) -> None:
    path = tmp_path / "really_a_png.jpg"
    path.write_bytes(small_png())
    assert load_image(path).format == "PNG"


def test_missing_file_folder_and_pipe(tmp_path: Path) -> None:
    assert reason_of(tmp_path / "nope.jpg") == NOT_FOUND
    assert reason_of(tmp_path) == FOLDER
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    assert reason_of(fifo).startswith("not a regular file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.jpg"
    path.write_bytes(small_jpeg())
    path.chmod(0)
    try:
        assert reason_of(path) == "permission denied"
    finally:
        path.chmod(0o600)


def test_bad_arguments_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        load_image(small_jpeg(), mode="RGBA")
    with pytest.raises(ValueError):
        load_image(small_jpeg(), min_side=0)


# ---------------------------------------------------------------- decompression bombs


def test_png_bomb_is_refused_before_decoding() -> None:
    bomb = raw_png(60000, 60000, 8, 0, b"\0" * 1000)
    assert reason_of(bomb) == "image too large (60000×60000 pixels, limit 179 MP)"


def test_jpeg_limit_judges_the_drafted_size() -> None:
    data = big_jpeg()  # 2400 x 1800 = 4.3 MP, drafts to 300 x 225
    assert load_image(data, max_pixels=1_000_000).width == 2400
    assert "too large" in reason_of(data, max_pixels=1_000_000, min_side=2000)
    assert "too large" in reason_of(data, max_pixels=60_000)  # 64 x the limit is absurd


def test_jpeg_declaring_an_absurd_size_is_refused() -> None:
    data = bytearray(small_jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 65000, 65000)
    assert reason_of(bytes(data), max_pixels=10_000_000).startswith("image too large (65000×65000")


# ---------------------------------------------------------------- modes


def gradient16(width: int = 256, height: int = 64) -> Image.Image:
    row = np.linspace(0, 65535, width).astype(np.uint16)
    return Image.fromarray(np.tile(row, (height, 1)))


def assert_gradient(image: Image.Image) -> None:
    row = np.asarray(image.convert("L"), dtype=np.int16)[image.size[1] // 2]
    assert row[0] <= 5 and row[-1] >= 250
    assert np.all(np.diff(row) >= 0)
    assert 100 < row.mean() < 155


@pytest.mark.parametrize(
    ("fmt", "dtype"), [("PNG", "<u2"), ("TIFF", "<u2"), ("TIFF", ">u2"), ("TIFF", "<i4")]
)
def test_sixteen_bit_greyscale_is_scaled_not_clipped(fmt: str, dtype: str) -> None:
    source = Image.fromarray(np.asarray(gradient16()).astype(dtype))  # I;16, I;16B or I
    assert_gradient(load_image(encode(source, fmt), min_side=16).image)


def test_float_tiff_in_zero_to_one() -> None:
    values = np.tile(np.linspace(0, 1, 256, dtype=np.float32), (64, 1))
    assert_gradient(load_image(encode(Image.fromarray(values), "TIFF"), min_side=16).image)


def test_sixteen_bit_rgb_png() -> None:
    row = np.linspace(0, 65535, 256).astype(">u2")
    pixels = np.stack([row, row, np.zeros_like(row)], axis=1).tobytes()
    data = raw_png(256, 32, 16, 2, (b"\0" + pixels) * 32)
    loaded = load_image(data, mode="RGB", min_side=16)
    assert_gradient(loaded.image.getchannel("R"))


def test_palette_png_with_transparency_lands_on_white() -> None:
    image = Image.new("P", (200, 100), 0)
    image.putpalette([*RED, *BLUE])
    image.paste(1, (100, 0, 200, 100))
    data = encode(image, "PNG", transparency=0)  # index 0 (red) is transparent
    loaded = load_image(data, mode="RGB", min_side=16)
    w, h = loaded.image.size
    assert loaded.image.getpixel((2, h // 2)) == WHITE
    assert near(loaded.image.getpixel((w - 3, h // 2)), BLUE)
    assert load_image(data, mode="L", min_side=16).image.getpixel((2, 2)) == 255


@pytest.mark.parametrize("size", [(200, 100), (2000, 1000)])
def test_transparent_pixels_hidden_colour_does_not_matter(size: tuple[int, int]) -> None:
    pixels = np.zeros((size[1], size[0], 4), np.uint8)
    pixels[:, : size[0] // 2] = (0, 255, 0, 0)  # invisible green
    pixels[:, size[0] // 2 :] = (0, 0, 0, 128)  # half-transparent black
    loaded = load_image(encode(Image.fromarray(pixels), "PNG"), mode="RGB")
    w, h = loaded.image.size
    assert loaded.image.getpixel((1, h // 2)) == WHITE
    assert loaded.image.getpixel((w // 2 - 2, h // 2)) == WHITE  # no green bleeding on shrink
    assert near(loaded.image.getpixel((w - 2, h // 2)), (127, 127, 127), tol=2)


def test_la_png_lands_on_white() -> None:
    image = Image.new("LA", (100, 80), (0, 0))
    image.paste((0, 255), (50, 0, 100, 80))
    loaded = load_image(encode(image, "PNG"), min_side=16)
    assert loaded.image.getpixel((1, 1)) == 255
    assert loaded.image.getpixel((loaded.image.size[0] - 2, 1)) == 0


def test_one_bit_png() -> None:
    image = Image.new("1", (64, 64), 0)
    image.paste(1, (0, 0, 32, 64))
    loaded = load_image(encode(image, "PNG"), min_side=16)
    assert set(np.unique(np.asarray(loaded.image))) <= {0, 255}
    assert loaded.image.getpixel((1, 1)) == 255


@pytest.mark.parametrize(("fmt", "params"), [("GIF", {}), ("WEBP", {"lossless": True})])
def test_animated_images_give_the_first_frame(fmt: str, params: dict[str, object]) -> None:
    frames = [Image.new("RGB", (120, 90), colour) for colour in (RED, (0, 255, 0), BLUE)]
    data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, **params)
    loaded = load_image(data, mode="RGB")
    assert loaded.format == fmt
    assert near(loaded.image.getpixel((5, 5)), RED)


@pytest.mark.skipif(not pillow_heif.libheif_info().get("HEIF"), reason="no HEIF encoder")
def test_heic_through_pillow_heif() -> None:
    data = encode(marked(320, 200), "HEIF", quality=90, exif=exif_with_orientation(6))
    loaded = load_image(data)
    assert (loaded.format, loaded.width, loaded.height) == ("HEIF", 200, 320)
    assert corner(loaded.image) == "TR"  # rotated once, not twice


def avif_or_skip(image: Image.Image, **params: object) -> bytes:
    if not features.check("avif"):
        pytest.skip("Pillow built without AVIF")
    try:
        return encode(image, "AVIF", **params)
    except (OSError, KeyError, ValueError) as exc:
        pytest.skip(f"cannot write AVIF here: {exc}")


def test_avif() -> None:
    data = avif_or_skip(marked(320, 200), quality=90, exif=exif_with_orientation(3))
    loaded = load_image(data)
    assert (loaded.format, loaded.width, loaded.height) == ("AVIF", 320, 200)
    assert corner(loaded.image) == "BR"


# ---------------------------------------------------------------- sources, resources, threads


def test_bytes_and_path_give_the_same_pixels(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(big_jpeg())
    from_path, from_bytes = load_image(str(path)), load_image(big_jpeg())
    assert from_path.image.tobytes() == from_bytes.image.tobytes()
    assert (from_path.width, from_path.height) == (from_bytes.width, from_bytes.height)


def test_files_are_closed_and_warning_filters_restored(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.jpg", tmp_path / "bad.jpg"
    good.write_bytes(encode(marked(), "JPEG", exif=BROKEN_EXIF[2]))
    bad.write_bytes(big_jpeg()[:5000])
    filters_before = list(warnings.filters)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            load_image(good).image.load()
            with pytest.raises(ImageLoadError):
                load_image(bad)
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    assert warnings.filters == filters_before


def test_concurrent_loads_from_threads() -> None:
    """The warning silencer is shared; under -W error a leak would fail these loads."""
    data = encode(marked(), "JPEG", exif=BROKEN_EXIF[3])
    filters_before = list(warnings.filters)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(30):
                assert corner(load_image(data, min_side=16).image) == "TL"
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert warnings.filters == filters_before


def test_register_plugins_is_idempotent() -> None:
    imageio.register_plugins()
    imageio.register_plugins()
    assert Image.MAX_IMAGE_PIXELS is None


# ---------------------------------------------------------------- fuzzing

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def load_or_fail_cleanly(data: bytes) -> None:
    try:
        loaded = load_image(data)
    except ImageLoadError as exc:
        assert exc.reason
    else:
        assert loaded.image.mode == "L"


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_only_raise_image_load_error(data: bytes) -> None:
    load_or_fail_cleanly(data)


def mutated(base: bytes) -> st.SearchStrategy[bytes]:
    edits = st.lists(st.tuples(st.integers(0, len(base) - 1), st.integers(0, 255)), max_size=16)

    def apply(changes: list[tuple[int, int]], cut: int) -> bytes:
        data = bytearray(base)
        for index, value in changes:
            data[index] = value
        return bytes(data[:cut])

    return st.builds(apply, edits, st.integers(0, len(base)))


@FUZZ
@given(mutated(small_jpeg()))
def test_mutated_jpeg_only_raises_image_load_error(data: bytes) -> None:
    load_or_fail_cleanly(data)


@FUZZ
@given(mutated(small_png()))
def test_mutated_png_only_raises_image_load_error(data: bytes) -> None:
    load_or_fail_cleanly(data)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (FileNotFoundError(2, "No such file or directory"), NOT_FOUND),
        (PermissionError(13, "Permission denied"), "permission denied"),
        (IsADirectoryError(21, "Is a directory"), FOLDER),
        (OSError(5, "Input/output error"), "could not read the file: Input/output error"),
    ],
)
def test_os_errors_in_plain_words(error: OSError, reason: str) -> None:
    assert imageio._os_reason(error) == reason
