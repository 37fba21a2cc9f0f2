"""Burst frames from a camera that writes no sub-second time: every frame stays, only byte
copies go (a first-user check: five Samsung burst frames read "same capture instant", and
three were proposed for the Trash with their backups, lost for good)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PIL import Image

from tests.cli.test_cli import dedup
from tests.images import photo

SHIFTS = ((0, 0), (24, 8), (48, 20), (72, 30))  # a hand moving between frames


def _burst(library: Path) -> list[Path]:
    """Four frames of one scene, one camera, one DateTimeOriginal to the second, no
    SubSecTimeOriginal; each frame's byte copy in a phone backup folder."""
    world = photo(44, (1100, 840))
    frames = []
    for index, (dx, dy) in enumerate(SHIFTS, start=1):
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = "samsung", "SM-S911B"
        exif.get_ifd(0x8769)[0x9003] = "2023:10:14 15:30:20"
        path = library / f"DCIM/Camera/20231014_153020_{index:03d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        world.crop((dx, dy, dx + 1000, dy + 750)).save(path, quality=92, exif=exif)
        backup = library / "Phone backup/DCIM/Camera" / path.name
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, backup)
        frames.append(path)
    return frames


def _shared(frames: list[Path], library: Path) -> list[Path]:
    """Frame 2 sent by e-mail (smaller, EXIF kept, as mail apps resize) and frame 3 downloaded
    from Facebook (smaller, no EXIF): the frames a person shared were the ones proposed."""
    copies = []
    for frame, folder, keep_exif in ((frames[1], "Mail attachments", True),
                                     (frames[2], "Facebook downloads", False)):
        with Image.open(frame) as image:
            exif = image.getexif() if keep_exif else Image.Exif()
            small = image.resize((640, 480), Image.Resampling.LANCZOS)
        path = library / folder / frame.name
        path.parent.mkdir(parents=True, exist_ok=True)
        small.save(path, quality=85, exif=exif)
        copies.append(path)
    return copies


def test_burst_frames_without_sub_seconds_are_all_kept(tmp_path: Path) -> None:
    frames = _burst(tmp_path / "library")
    shared = _shared(frames, tmp_path / "library")
    out = tmp_path / "out.json"
    run = dedup("scan", str(tmp_path / "library"), "--no-cache", "--json", str(out))
    assert run.returncode == 0, run.stderr
    files = {f["path"]: f for group in json.loads(out.read_text())["groups"]
             for f in group["files"]}
    assert {str(f) for f in frames} <= set(files)  # the frames did match, as copies would
    assert all(files[str(f)]["keep"] for f in frames), [
        (Path(p).name, f["keep"], f.get("match")) for p, f in files.items()]
    copies = [p for p in files if "Phone backup" in p] + [str(p) for p in shared]
    assert set(copies) <= set(files) and not any(files[p]["keep"] for p in copies)
