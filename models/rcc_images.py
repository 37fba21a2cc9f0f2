"""Copy the photos out of Qt resource bundles (.rcc files), for distill_model.py's training set.

GCompris (Debian package gcompris-qt-data) ships its activity pictures, many of them photographs
of animals, monuments, instruments and tools, inside .rcc files. Qt reads them natively, so the
app's own PySide6 is enough to get them out.

    python models/rcc_images.py /tmp/distill/x_gcompris-qt-data/usr/share/gcompris-qt/rcc \
        --out /tmp/distill/gc

Only bitmaps of at least --min-bytes are copied (icons and sprites are smaller); names keep the
resource path so the set is the same on every run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDirIterator, QFile, QIODevice, QResource

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def extract(rcc_folder: Path, out: Path, min_bytes: int) -> int:
    """Register every .rcc under rcc_folder, then write each large enough bitmap to out."""
    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 (Qt needs one)
    for rcc in sorted(rcc_folder.glob("*.rcc")):
        if not QResource.registerResource(str(rcc)):
            print(f"skipped (not a resource file): {rcc}", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    found = QDirIterator(":/", QDirIterator.IteratorFlag.Subdirectories)
    while found.hasNext():
        name = found.next()
        if not name.lower().endswith(SUFFIXES):
            continue
        resource = QFile(name)
        if not resource.open(QIODevice.OpenModeFlag.ReadOnly):
            continue
        data = bytes(resource.readAll().data())
        if len(data) >= min_bytes:
            (out / name[2:].replace("/", "__")).write_bytes(data)
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rcc_folder", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--min-bytes", type=int, default=30_000)
    args = p.parse_args(argv)
    print(f"{extract(args.rcc_folder, args.out, args.min_bytes)} images → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
