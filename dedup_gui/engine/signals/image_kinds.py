"""Which files count as images: by extension first, by a sniff of the first bytes otherwise.

Why a module of its own: the walk (scanner.py), a single dropped file (the similar-photo dialog)
and one-unit grouping (one_unit.py) all ask the same question, and the answer is a table of
file kinds plus a header check, nothing about walking folders.
"""

from __future__ import annotations

import os

from dedup_gui.engine.signals.raw import RAW_EXTENSIONS

IMAGE_EXTENSIONS: frozenset[str] = frozenset({
    ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff",
    ".heic", ".heif", ".avif",
}) | RAW_EXTENSIONS  # camera RAW: decoded by LibRaw (raw.py)

# Skipped without opening them: sniffing every video or sidecar in a photo library would cost a
# read per file for nothing. RAW kinds we do not decode are here too: their TIFF-like header
# would pass the sniff, and treating them as images would only produce load failures.
NON_IMAGE_EXTENSIONS: frozenset[str] = frozenset({
    # video and audio
    ".mp4", ".m4v", ".mov", ".avi", ".mkv", ".wmv", ".mpg", ".mpeg", ".mts", ".m2ts", ".3gp",
    ".webm", ".flv", ".lrv", ".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".wma", ".aiff",
    # text, documents, sidecars, app databases, archives, programs
    ".txt", ".md", ".csv", ".json", ".xml", ".xmp", ".aae", ".thm", ".html", ".htm", ".pdf",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".rtf", ".log", ".ini", ".yaml",
    ".yml", ".db", ".sqlite", ".plist", ".psd", ".svg", ".zip", ".rar", ".7z", ".tar", ".gz",
    ".bz2", ".xz", ".tgz", ".dmg", ".iso", ".exe", ".dll", ".so", ".dylib", ".py", ".js",
    # camera RAW kinds outside the common set raw.py reads
    ".crw", ".nrw", ".srf", ".sr2", ".x3f", ".3fr", ".erf", ".kdc", ".mrw", ".raw", ".rwl",
    ".iiq",
})

SNIFF_BYTES = 32
_HEIF_BRANDS = frozenset({
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
    b"avif", b"avis",
})
_SIMPLE_MAGIC = (
    b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*",
)
_BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})


def sniff_image(head: bytes) -> bool:
    """True if the first bytes of a file look like a format the loader can open.

    Only used for files with no or unknown extensions (phone exports, recovered files), so a
    cheap header check is enough; the loader still reports files that turn out to be broken.
    """
    if head.startswith(_SIMPLE_MAGIC):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    if head[:2] == b"BM":  # two letters alone match too much text; check the DIB header size
        return int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES
    if head[4:8] == b"ftyp":  # ISO-BMFF: major brand, then compatible brands to the box end
        end = min(int.from_bytes(head[:4], "big"), len(head))
        brands = [head[8:12]] + [head[i:i + 4] for i in range(16, end - 3, 4)]
        return any(brand in _HEIF_BRANDS for brand in brands)
    return False


def is_image_file(path: str | os.PathLike[str], name: str | None = None) -> bool:
    """Decide by extension, sniffing only unknown ones. Raises OSError if a sniff can't read."""
    ext = extension_of(os.path.basename(os.fspath(path)) if name is None else name)
    if ext in IMAGE_EXTENSIONS:
        return True
    if ext in NON_IMAGE_EXTENSIONS:
        return False
    with open(path, "rb") as fh:
        return sniff_image(fh.read(SNIFF_BYTES))


def extension_of(name: str) -> str:
    """Lower-case extension, ".jpg" alone having none; cheaper than splitext, and runs per file."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""
