"""Provenance labels say what was done, not only that something was: a heavy JPEG round trip is
no colour filter, an even flat border is no screenshot, and a soft copy next to a sharper one
of its size may be a blur as well as an upscale (labels read on photos_augly_dev2's manifest:
benchmarks/label_audit.py)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.actions.provenance_facts import FileFacts
from dedup_gui.engine.types import Group, GroupFile
from tests.engine.actions.test_provenance import SIZE, camera_jpeg, group_of, labels_of, save
from tests.images import photo


def _round_trip(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return decoded.convert("RGB")


def test_a_heavy_jpeg_round_trip_is_a_compressed_resave_not_a_filter(tmp_path: Path) -> None:
    """Re-encoded at quality 12, then saved at 90 (what a messenger chain does): its histogram
    is combed as a tone edit's is, and its block grid says why."""
    source = photo(21, SIZE)
    original = camera_jpeg(source, tmp_path / "DCIM/IMG_0021.JPG")
    crushed = save(_round_trip(source, 12), tmp_path / "chat/IMG-0021.jpg", quality=90)
    labels = labels_of(group_of(original, crushed))
    assert p.RECOMPRESSED in labels[str(crushed)].labels, labels[str(crushed)]
    assert p.FILTERED not in labels[str(crushed)].labels
    assert labels[str(original)].label == p.ORIGINAL


def test_an_even_flat_border_is_padding_and_an_app_frame_a_screenshot(tmp_path: Path) -> None:
    source = photo(22, SIZE)
    original = camera_jpeg(source, tmp_path / "DCIM/IMG_0022.JPG")
    canvas = Image.new("RGB", (SIZE[0] + 160, SIZE[1] + 120), (255, 255, 255))
    canvas.paste(source, (80, 60))
    border = save(canvas, tmp_path / "print/IMG_0022-border.jpg", quality=92)
    labels = labels_of(group_of(original, border))
    assert labels[str(border)].label == p.PADDED, labels[str(border)]


def test_a_phone_screenshot_of_a_landscape_photo_is_a_screenshot_not_padding(
        tmp_path: Path) -> None:
    """Takeout check: the photo full width between a phone's dark status bar and button bar
    read "Padded/bordered"; its name says what it is. The same picture under another name
    is still read by its shape alone."""
    source = photo(23, SIZE)
    original = camera_jpeg(source, tmp_path / "DCIM/IMG_0023.JPG")
    canvas = Image.new("RGB", (SIZE[0], SIZE[1] * 3), (17, 17, 17))
    canvas.paste(source, (0, SIZE[1]))
    shot = tmp_path / "Pictures/Screenshot_20201103-183012.png"
    shot.parent.mkdir(parents=True)
    canvas.save(shot)
    renamed = tmp_path / "Pictures/IMG_0023-bars.png"
    canvas.save(renamed)
    labels = labels_of(group_of(original, shot))
    assert labels[str(shot)].label == p.SCREENSHOT, labels[str(shot)]
    assert labels_of(group_of(original, renamed))[str(renamed)].label == p.PADDED


def _member(path: str, size: tuple[int, int], detail: float) -> tuple[GroupFile, FileFacts]:
    return (GroupFile(path, 1000, 0, size[0], size[1], "JPEG"),
            FileFacts(size[0], size[1], detail=detail, quality=90))


def _labelled(*members: tuple[GroupFile, FileFacts]) -> dict[str, p.Provenance]:
    return p.assess(Group(tuple(f for f, _ in members), ()), {f.path: x for f, x in members})


def test_a_soft_copy_beside_a_sharper_one_of_its_size_may_be_a_blur() -> None:
    """A file with 4× the pixels of a small re-save and far less detail per pixel is soft: an
    upscale of that re-save, or a blur of a file of its own size. Beside a sharper member of
    its size it is "softened (blurred or upscaled)"; with none, "upscaled". (The facts are set
    here: what detail_ratio reads from real pictures is tested in test_provenance_marks.)"""
    small = _member("/chat/IMG-0023.jpg", (320, 240), detail=0.5)
    soft = _member("/edit/IMG_0023.jpg", (640, 480), detail=0.2)
    sharp = _member("/DCIM/IMG_0023.JPG", (640, 480), detail=0.45)
    labels = _labelled(small, soft, sharp)
    assert p.SOFTENED in labels[soft[0].path].labels, labels[soft[0].path]
    assert p.UPSCALED not in labels[soft[0].path].labels
    assert labels[sharp[0].path].label == p.ORIGINAL
    labels = _labelled(small, soft)
    assert labels[soft[0].path].label == p.UPSCALED, labels[soft[0].path]
    bigger = _member("/print/IMG_0023.jpg", (1280, 960), detail=0.4)  # sharper, and bigger
    assert p.SOFTENED in _labelled(small, soft, bigger)[soft[0].path].labels
    # Pixelated, then saved again: 0.63 of its original's detail, under 0.6 of the small
    # re-save's (photos_augly_dev2's IMG-20180502-WA0057.png): soft beside its original.
    pixelated = _member("/tg/IMG-0023.png", (640, 480), detail=0.285)
    original = _member("/DCIM/IMG_0023.JPG", (640, 480), detail=0.455)
    labels = _labelled(_member("/chat/IMG-0023.jpg", (320, 240), detail=0.487), pixelated,
                       original)
    assert p.SOFTENED in labels[pixelated[0].path].labels, labels[pixelated[0].path]


def test_a_soft_camera_photo_is_no_upscale_of_its_smaller_copy() -> None:
    """Detail cannot tell a soft camera photo from an upscale: a soft phone photo (a figurine
    against a blurred background) read "upscaled" against its Telegram copy, and a DSLR's
    burst frames against e-mail copies that kept the EXIF; the copies were kept, the photos
    proposed (two first-user checks). An upscale with the camera data is told by the size the
    camera wrote (test_provenance_marks); one without it still by its detail."""
    telegram = _member("/Telegram/IMG_20231015_110600_871.jpg", (1280, 960), detail=0.55)
    soft = (GroupFile("/DCIM/Camera/20231014_161002.jpg", 1000, 0, 2880, 2160, "JPEG"),
            FileFacts(2880, 2160, detail=0.26, quality=92, camera="samsung SM-S911B"))
    labels = _labelled(telegram, soft)
    assert labels[soft[0].path].label == p.ORIGINAL, labels[soft[0].path]
    assert p.STRIPPED in labels[telegram[0].path].labels
    small_original = (GroupFile("/DCIM/IMG_0023.JPG", 1000, 0, 1280, 960, "JPEG"),
                      FileFacts(1280, 960, detail=0.55, quality=92, camera="samsung SM-S911B"))
    labels = _labelled(small_original, soft)  # an e-mail copy that kept the EXIF
    assert labels[soft[0].path].label == p.ORIGINAL, labels[soft[0].path]
    assert p.SMALLER in labels[small_original[0].path].labels
    stripped = (soft[0], FileFacts(2880, 2160, detail=0.26, quality=92))
    assert _labelled(small_original, stripped)[soft[0].path].label == p.UPSCALED


def test_a_soft_real_camera_photo_is_kept_over_its_messenger_copy(tmp_path: Path) -> None:
    """The same on the real photo: a soft phone picture with camera data, and its EXIF-less
    1280-px re-save at quality 87 (as Telegram sends it)."""
    from dedup_gui.engine.actions.keep_rules import DEFAULT_CHAIN, propose
    from tests.conftest import dataset

    source = dataset("debian_augly_dev") / "images/DCIM/Camera/IMG_20200315_140089.jpg"
    with Image.open(source) as image:
        picture = image.convert("RGB")
    original = camera_jpeg(picture, tmp_path / "DCIM/Camera/20231014_161002.jpg")
    picture.thumbnail((1280, 1280))
    copy = save(picture, tmp_path / "Telegram/IMG_20231015_110600_871.jpg", quality=87)
    group = group_of(original, copy)
    assert propose(group, DEFAULT_CHAIN, provenance=labels_of(group)).keep == (str(original),)
