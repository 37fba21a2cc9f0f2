"""A photo library full of the files real libraries contain and scanners choke on.

Every file is made here, with Pillow and pillow-heif, from a few synthetic photos. Each bad file
is either a copy of one of those photos in a hard form (so the right result is: it joins that
photo's group) or broken (so the right result is: a per-file Issue with a clear reason).
`EXPECTED_GROUPS` and `EXPECTED_ISSUES` say which, by path relative to the library root.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image

from dedup_gui.engine.signals.imageio import CORRUPT, EMPTY, NOT_IMAGE
from tests.images import photo

SIZE = (320, 240)
LATIN1_NAME = b"caf\xe9 copy.jpg"  # a name written by an old Latin-1 system: not UTF-8
NEWLINE_NAME = "two\nlines.jpg"
DEEP_LEVELS = 150
TRUNCATE_AT = (0.05, 0.3, 0.6, 0.9)

# Where a file lands when its stored pixels are `transpose` of the upright photo, so that a viewer
# applying EXIF orientation N shows the upright photo again (the inverse of the display transform).
_T = Image.Transpose
STORED_FOR_ORIENTATION = {
    1: None, 2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE,
    6: _T.ROTATE_90, 7: _T.TRANSVERSE, 8: _T.ROTATE_270,
}


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **params)
    return buf.getvalue()


def noise_image(seed: int) -> Image.Image:
    """Noise compresses badly, so a cut anywhere lands in the middle of image data."""
    pixels = np.random.default_rng(seed).integers(0, 256, (SIZE[1], SIZE[0], 3), dtype=np.uint8)
    return Image.fromarray(pixels)


def exif_orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A valid PNG header declaring a huge image, with a few bytes of data: decoding it naively
    would allocate width × height bytes before finding the data missing."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + png_chunk(b"IEND", b""))


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def sixteen_bit(image: Image.Image) -> Image.Image:
    """The photo's greyscale as 16-bit (I;16): what scanners and raw converters save."""
    grey = np.asarray(image.convert("L"), dtype=np.uint16) * 257
    return Image.fromarray(grey)


def animated(first: Image.Image, fmt: str) -> bytes:
    others = [Image.new("RGB", SIZE, colour) for colour in ("red", "blue")]
    extra = {"lossless": True} if fmt == "WEBP" else {}
    return encode(first, fmt, save_all=True, append_images=others, duration=100, **extra)


def palette_with_transparency(image: Image.Image) -> bytes:
    """A palette PNG whose transparent index covers a border only: the photo stays visible."""
    quantized = image.quantize(255)
    pixels = np.asarray(quantized).copy()
    pixels[:4, :] = 255
    out = Image.fromarray(pixels, "P")
    palette = [*quantized.getpalette()[: 255 * 3], 0, 0, 0]
    out.putpalette(palette)
    return encode(out, "PNG", transparency=255)


def broken_exif() -> bytes:
    """An EXIF block whose first IFD points far past the end of the data."""
    return b"Exif\x00\x00II*\x00\xff\xff\xff\x7f"


def _photo_copies(root: Path, base: Image.Image) -> list[str]:
    """The upright photo as a JPEG, plus every hard form of it that must join its group."""
    files = {"one/original.jpg": encode(base, "JPEG", quality=92),
             "one/really_png.jpg": encode(base, "PNG"),
             "one/really_jpeg.png": encode(base, "JPEG", quality=88),
             "one/progressive.jpg": encode(base, "JPEG", quality=85, progressive=True),
             "one/cmyk.jpg": encode(base.convert("CMYK"), "JPEG", quality=92),
             "one/sixteen_bit.png": encode(sixteen_bit(base), "PNG"),
             "one/sixteen_bit.tif": encode(sixteen_bit(base), "TIFF"),
             "one/palette_transparent.png": palette_with_transparency(base),
             "one/animated.gif": animated(base, "GIF"),
             "one/animated.webp": animated(base, "WEBP"),
             "one/broken_exif.jpg": encode(base, "JPEG", quality=90, exif=broken_exif())}
    for orientation, transpose in STORED_FOR_ORIENTATION.items():
        stored = base if transpose is None else base.transpose(transpose)
        files[f"one/orientation_{orientation}.jpg"] = encode(
            stored, "JPEG", quality=90, exif=exif_orientation(orientation))
    if pillow_heif.libheif_info().get("HEIF"):
        files["one/phone.heic"] = encode(base, "HEIF", quality=90)
    for name, data in files.items():
        write(root / name, data)
    return sorted(files)


def _odd_places(root: Path, base: Image.Image) -> list[str]:
    """Exact copies of the second photo under hard names and in a very deep folder."""
    data = encode(base, "JPEG", quality=90)
    write(root / "two/original.jpg", data)
    write(Path(os.fsdecode(os.fsencode(root / "two") + b"/" + LATIN1_NAME)), data)
    write(root / "two" / NEWLINE_NAME, data)
    deep = Path(root, "two", *["deeper"] * DEEP_LEVELS)
    write(deep / "bottom.jpg", data)
    return ["two/original.jpg", "two/" + os.fsdecode(LATIN1_NAME), "two/" + NEWLINE_NAME,
            str(Path("two", *["deeper"] * DEEP_LEVELS, "bottom.jpg"))]


def _broken(root: Path) -> dict[str, str]:
    """Files that cannot be used, each with the reason the scan must give."""
    issues: dict[str, str] = {}
    for kind, fmt, params in (("jpeg", "JPEG", {"quality": 90}), ("png", "PNG", {}),
                              ("progressive", "JPEG", {"progressive": True})):
        data = encode(noise_image(7), fmt, **params)
        for fraction in TRUNCATE_AT:
            name = f"broken/truncated_{kind}_{int(fraction * 100)}.{fmt.lower()}"
            write(root / name, data[: int(len(data) * fraction)])
            issues[name] = CORRUPT
    write(root / "broken/zero.jpg", b"")
    issues["broken/zero.jpg"] = EMPTY
    write(root / "broken/notes.jpg", b"shopping list: milk, eggs, film\n" * 40)
    issues["broken/notes.jpg"] = NOT_IMAGE
    write(root / "broken/bomb.png", png_bomb())
    issues["broken/bomb.png"] = "image too large (60000×60000 pixels, limit 179 MP)"
    return issues


def _loop(root: Path) -> dict[str, str]:
    """A folder linking back to its parent, and a link to itself."""
    (root / "loop/inner").mkdir(parents=True)
    (root / "loop/inner/up").symlink_to(root / "loop", target_is_directory=True)
    (root / "loop/self").symlink_to(root / "loop/self")
    return {"loop/self": "symbolic link loops back on itself"}


def make_bad_library(root: Path) -> tuple[list[list[str]], dict[str, str]]:
    """Write the library; return the expected groups and issues (relative paths)."""
    one, two = photo(11, SIZE), photo(12, SIZE)
    groups = [_photo_copies(root, one), sorted(_odd_places(root, two))]
    write(root / "other/unrelated.jpg", encode(photo(13, SIZE), "JPEG", quality=90))
    issues = {**_broken(root), **_loop(root)}
    return groups, issues


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, symlinks=True)
