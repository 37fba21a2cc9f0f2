"""A small real library with a burst and a duplicate pair: three frames of one scene taken a
third of a second apart by one camera (EXIF capture times; the first and last motion-blurred),
and a photo with its messenger re-save. The burst is a similar-shot series, never a group."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageFilter

from tests.engine.grouping.pictures import frame, jpeg, scene

BURST = ("burst/IMG_0001.JPG", "burst/IMG_0002.JPG", "burst/IMG_0003.JPG")
BEST = "burst/IMG_0002.JPG"  # the sharp frame
PAIR = ("trip/beach.jpg", "trip/beach_whatsapp.jpg")


def make_series_library(root: Path) -> Path:
    world = scene(5)
    frames = [frame(world, 0, 0, (60, 80), seed=1).filter(ImageFilter.GaussianBlur(2)),
              frame(world, 2, 1, (120, 90), seed=2),
              frame(world, 1, -1, (90, 85), seed=3).filter(ImageFilter.GaussianBlur(2))]
    for index, (name, picture) in enumerate(zip(BURST, frames, strict=True)):
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = "Canon", "EOS R6"
        sub = exif.get_ifd(0x8769)
        sub[0x9003], sub[0x9291] = "2023:07:01 10:00:00", f"{index * 333:03d}"
        sub[0xA431] = "0123"
        _save(picture, root / name, exif=exif)
    beach = frame(scene(11), 0, 0, None, seed=9)
    _save(beach, root / PAIR[0])
    _save(jpeg(beach, 75, 0.6), root / PAIR[1], quality=75)
    return root


def _save(picture: Image.Image, path: Path, quality: int = 92, **options: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, quality=quality, **options)


def names(files, root: Path) -> list[str]:
    return sorted(str(Path(f.path).relative_to(root)) for f in files)
