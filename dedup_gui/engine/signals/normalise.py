"""What the loader (imageio.py) does to a decoded picture so that copies of one photo look alike:
turned upright by its EXIF orientation, in a plain 8-bit mode, shrunk by a box filter and with
transparency flattened onto white.

Why a module of its own: these steps work on pixels Pillow has already decoded, the same for a
file Pillow opened and for a camera RAW's preview or demosaic; imageio.py stays about opening
files safely, guarding sizes and turning every failure into words.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

_ORIENTATION_TAG = 0x0112
# The table ImageOps.exif_transpose uses; applied to the small decoded image, not the file.
_T = Image.Transpose
_TRANSPOSE = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE,
              6: _T.ROTATE_270, 7: _T.TRANSVERSE, 8: _T.ROTATE_90}  # fmt: skip
_SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N")
_ALPHA_MODES = {"RGBA": "RGBA", "LA": "LA", "PA": "RGBA", "RGBa": "RGBA", "La": "LA"}


def read_exif(src: Image.Image) -> Image.Exif | None:
    """The image's EXIF (or XMP orientation); None when the block is broken."""
    try:
        return src.getexif()
    except Exception:  # corrupt EXIF must not cost the picture
        return None


def orientation_of(exif: Image.Exif | None) -> int:
    """The EXIF (or XMP) orientation 1-8; a broken or odd EXIF block means "as stored"."""
    try:
        value = exif.get(_ORIENTATION_TAG, 1) if exif is not None else 1
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def upright(image: Image.Image, orientation: int) -> Image.Image:
    """`image` as a viewer shows it, given its EXIF orientation (1-8; anything else: as is)."""
    if orientation in _TRANSPOSE:
        return image.transpose(_TRANSPOSE[orientation])
    return image


def normalise(image: Image.Image, mode: str, min_side: int) -> Image.Image:
    """Plain 8-bit modes, shrunk to near `min_side`, transparency flattened onto white."""
    image = _to_plain_mode(image)
    factor = min(image.size) // min_side
    if factor >= 2:  # box filter; Pillow premultiplies alpha so hidden colours do not bleed
        image = image.reduce(factor)
    if image.mode in ("RGBA", "LA"):
        image = _flatten_on_white(image)
    if image.mode == mode:
        return image
    try:
        return image.convert(mode)
    except ValueError:  # e.g. LAB converts to RGB but not straight to L
        return image.convert("RGB").convert(mode)


def _to_plain_mode(image: Image.Image) -> Image.Image:
    """Modes `reduce` and `convert` mishandle become 8-bit L, RGB or RGBA/LA first."""
    if image.mode in _SIXTEEN_BIT or image.mode in ("I", "F"):
        return _wide_to_l(image)
    if image.mode in _ALPHA_MODES:
        target = _ALPHA_MODES[image.mode]
        return image if image.mode == target else image.convert(target)
    if "transparency" in image.info:  # palette or colour-key transparency
        return image.convert("RGBA")
    if image.mode in ("P", "1"):
        return image.convert("RGB" if image.mode == "P" else "L")
    return image


def _wide_to_l(image: Image.Image) -> Image.Image:
    """Scale 16/32-bit and float greyscale to 0-255; Pillow's own convert clips them to white.

    16-bit modes map 65535 to 255. "I" and "F" do not say their range, so guess from the peak:
    <= 1.0 (float only) is 0-1, <= 255 is 8-bit, <= 65535 is 16-bit, else scale the peak to 255.
    """
    pixels = np.asarray(image)
    if image.mode in _SIXTEEN_BIT:
        return Image.fromarray((pixels >> 8).astype(np.uint8))
    values = np.nan_to_num(pixels.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    peak = float(values.max()) if values.size else 0.0
    ranges = (1.0, 255.0, 65535.0) if image.mode == "F" else (255.0, 65535.0)
    full = next((limit for limit in ranges if peak <= limit), peak)
    return Image.fromarray(np.clip(values * (255 / full) + 0.5, 0, 255).astype(np.uint8))


def _flatten_on_white(image: Image.Image) -> Image.Image:
    """Composite onto white, as viewers show it, so transparent pixels' hidden colours vanish."""
    base = image.mode[:-1]
    background = Image.new(base, image.size, "white")
    background.paste(image.convert(base), mask=image.getchannel("A"))
    return background
