"""DNG files for tests, written with pidng from real pixels, with an embedded JPEG preview.

pidng writes the raw CFA image (one IFD); cameras and converters also embed a JPEG preview, so
`add_preview` appends one as a second IFD (NewSubfileType 1, old-style JPEG offsets that LibRaw
reads as the thumbnail). The mosaic is linear light (sRGB gamma undone) so a demosaic of it
looks like the photo.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
from PIL import Image

# XYZ (D65) -> linear sRGB: the camera matrix of a "camera" whose sensor sees linear sRGB.
_XYZ_TO_SRGB = ((3.2406, -1.5372, -0.4986), (-0.9689, 1.8758, 0.0415), (0.0557, -0.2040, 1.0570))


_LINEAR = ((np.arange(256) / 255.0) ** 2.2 * 65535).round().astype(np.uint16)


def _mosaic(image: Image.Image) -> np.ndarray:
    """RGGB Bayer mosaic, 16-bit linear, of an RGB picture (even width and height). A lookup
    table, not float maths: benchmarks make 24 MP ones."""
    values = _LINEAR[np.asarray(image.convert("RGB"))]
    mosaic = np.empty(values.shape[:2], dtype=np.uint16)
    mosaic[0::2, 0::2] = values[0::2, 0::2, 0]
    mosaic[0::2, 1::2] = values[0::2, 1::2, 1]
    mosaic[1::2, 0::2] = values[1::2, 0::2, 1]
    mosaic[1::2, 1::2] = values[1::2, 1::2, 2]
    return mosaic


def dng_bytes(image: Image.Image, *, orientation: int = 1, make: str = "Testcam",
              model: str = "T1", taken: str | None = None, serial: str | None = None) -> bytes:
    """A DNG of `image` (no preview) as bytes; `taken` is 'YYYY:MM:DD HH:MM:SS'."""
    from pidng.core import RAW2DNG, DNGTags, Tag
    from pidng.defs import CFAPattern, DNGVersion, PhotometricInterpretation

    width, height = image.size
    tags = DNGTags()
    for tag, value in (
        (Tag.ImageWidth, width), (Tag.ImageLength, height), (Tag.TileWidth, width),
        (Tag.TileLength, height), (Tag.Orientation, orientation),
        (Tag.PhotometricInterpretation, PhotometricInterpretation.Color_Filter_Array),
        (Tag.SamplesPerPixel, 1), (Tag.BitsPerSample, 16), (Tag.CFARepeatPatternDim, [2, 2]),
        (Tag.CFAPattern, CFAPattern.RGGB), (Tag.BlackLevel, 0), (Tag.WhiteLevel, 65535),
        (Tag.ColorMatrix1, [[round(v * 10000), 10000] for row in _XYZ_TO_SRGB for v in row]),
        (Tag.CalibrationIlluminant1, 21), (Tag.AsShotNeutral, [[1, 1], [1, 1], [1, 1]]),
        (Tag.Make, make), (Tag.Model, model), (Tag.UniqueCameraModel, f"{make} {model}"),
        (Tag.DNGVersion, DNGVersion.V1_4), (Tag.DNGBackwardVersion, DNGVersion.V1_2),
    ):  # fmt: skip
        tags.set(tag, value)
    if taken is not None:
        tags.set(Tag.DateTimeOriginal, taken)
    if serial is not None:
        tags.set(Tag.EXIFPhotoBodySerialNumber, serial)
    writer = RAW2DNG()
    writer.options(tags, path="", compress=False)
    return bytes(writer.convert(_mosaic(image)))


def add_preview(dng: bytes, preview: Image.Image, **jpeg_options) -> bytes:
    """`dng` with `preview` appended as a JPEG preview IFD chained after IFD0."""
    out = io.BytesIO()
    preview.convert("RGB").save(out, "JPEG", quality=92, **jpeg_options)
    jpeg = out.getvalue()
    buf = bytearray(dng)
    buf += b"\0" * (-len(buf) % 4)
    jpeg_at = len(buf)
    buf += jpeg + b"\0" * (-len(jpeg) % 4)
    ifd_at = len(buf)
    width, height = preview.size
    entries = [  # (tag, type, count, value): type 3 SHORT, 4 LONG
        (254, 4, 1, 1), (256, 4, 1, width), (257, 4, 1, height), (259, 3, 1, 6),
        (262, 3, 1, 6), (273, 4, 1, jpeg_at), (277, 3, 1, 3), (278, 4, 1, height),
        (279, 4, 1, len(jpeg)), (513, 4, 1, jpeg_at), (514, 4, 1, len(jpeg)),
    ]  # fmt: skip
    buf += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<H", value) + b"\0\0" if kind == 3 else struct.pack("<I", value)
        buf += struct.pack("<HHI", tag, kind, count) + packed
    buf += struct.pack("<I", 0)
    first_ifd = struct.unpack_from("<I", buf, 4)[0]
    count = struct.unpack_from("<H", buf, first_ifd)[0]
    struct.pack_into("<I", buf, first_ifd + 2 + 12 * count, ifd_at)
    return bytes(buf)


def write_dng(path: Path, image: Image.Image, *, preview: Image.Image | None = None,
              **options) -> Path:
    """Write a DNG of `image` to `path`, with `preview` embedded when given."""
    data = dng_bytes(image, **options)
    path.write_bytes(add_preview(data, preview) if preview is not None else data)
    return path
