"""Tests for the folder walker, on real files in tmp_path."""

from __future__ import annotations

import io
import itertools
import os
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

from dedup_gui.engine.progress import STAGE_DISCOVER, Cancelled, CancelToken, ProgressEvent
from dedup_gui.engine.signals import image_kinds, scanner
from dedup_gui.engine.signals.image_kinds import is_image_file, sniff_image
from dedup_gui.engine.signals.scanner import discover
from dedup_gui.engine.types import Issue


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def image_bytes(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, format=fmt)
    return buf.getvalue()


def heic_bytes() -> bytes:
    buf = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (8, 8), "blue")).save(buf, format="HEIF")
    return buf.getvalue()


def symlink(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    try:
        link.symlink_to(target, target_is_directory=os.path.isdir(target))
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")


def paths(result: scanner.Discovery) -> list[str]:
    return [f.path for f in result.files]


def names(result: scanner.Discovery, root: Path) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in paths(result)]


def test_extensions_any_case(tmp_path: Path) -> None:
    for name in ["a.jpg", "b.JPEG", "c.Png", "d.HEIC", "e.tiff", "f.webp", "g.avif", "h.jfif"]:
        touch(tmp_path / name)
    touch(tmp_path / "notes.txt", image_bytes("JPEG"))  # known non-image: never sniffed
    touch(tmp_path / "raw.CR2", b"II*\x00rest")  # RAW the loader reads (LibRaw)
    touch(tmp_path / "old.X3F", b"FOVb")  # a RAW kind we do not read: skipped unopened
    touch(tmp_path / "movie.mov")
    result = discover([tmp_path])
    assert names(result, tmp_path) == [
        "a.jpg", "b.JPEG", "c.Png", "d.HEIC", "e.tiff", "f.webp", "g.avif", "h.jfif", "raw.CR2"]
    assert result.issues == ()


def test_every_common_raw_kind_is_an_image(tmp_path: Path) -> None:
    kinds = ["cr2", "cr3", "nef", "arw", "raf", "orf", "rw2", "dng", "pef", "srw"]
    for kind in kinds:
        touch(tmp_path / f"shot.{kind.upper()}", b"x")
    assert sorted(names(discover([tmp_path]), tmp_path)) == sorted(
        f"shot.{kind.upper()}" for kind in kinds)


def test_sniffs_files_without_known_extension(tmp_path: Path) -> None:
    touch(tmp_path / "jpeg_noext", image_bytes("JPEG"))
    touch(tmp_path / "png.dat", image_bytes("PNG"))
    touch(tmp_path / "heic_noext", heic_bytes())
    touch(tmp_path / "text_noext", b"just some words, not a picture")
    touch(tmp_path / "empty_noext", b"")
    assert names(discover([tmp_path]), tmp_path) == ["heic_noext", "jpeg_noext", "png.dat"]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP"])
def test_sniff_pillow_formats(fmt: str) -> None:
    assert sniff_image(image_bytes(fmt)[:image_kinds.SNIFF_BYTES])


@pytest.mark.parametrize("head", [
    b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1miaf",
    b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00heicmiaf",
])
def test_sniff_iso_bmff_image_brands(head: bytes) -> None:
    assert sniff_image(head)


@pytest.mark.parametrize("head", [
    b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2",  # an MP4 video
    b"BMW service history 2019\n",  # text that happens to start with BM
    b"",
    b"RIFF\x00\x00\x00\x00WAVEfmt ",
])
def test_sniff_rejects_non_images(head: bytes) -> None:
    assert not sniff_image(head)


def test_is_image_file_uses_name_before_content(tmp_path: Path) -> None:
    assert is_image_file(tmp_path / "missing.jpg")  # decided by name, never opened
    assert not is_image_file(tmp_path / "missing.json")
    with pytest.raises(FileNotFoundError):
        is_image_file(tmp_path / "missing")


def test_zero_byte_image_is_returned(tmp_path: Path) -> None:
    touch(tmp_path / "empty.jpg", b"")
    (entry,) = discover([tmp_path]).files
    assert entry.size == 0


def test_file_entry_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    photo = touch(tmp_path / "sub" / "p.png", b"12345")
    monkeypatch.chdir(tmp_path)
    (entry,) = discover(["sub/../sub"]).files
    st = os.stat(photo)
    assert entry.path == str(photo)
    assert (entry.size, entry.mtime_ns) == (5, st.st_mtime_ns)


def test_hidden_skipped_unless_asked(tmp_path: Path) -> None:
    touch(tmp_path / "a.jpg")
    touch(tmp_path / ".hidden.jpg")
    touch(tmp_path / "._a.jpg")  # macOS resource-fork junk
    touch(tmp_path / ".thumbnails" / "t.jpg")
    assert names(discover([tmp_path]), tmp_path) == ["a.jpg"]
    assert names(discover([tmp_path], include_hidden=True), tmp_path) == [
        "._a.jpg", ".hidden.jpg", ".thumbnails/t.jpg", "a.jpg"]


def test_hidden_root_is_walked(tmp_path: Path) -> None:
    touch(tmp_path / ".photos" / "a.jpg")
    assert names(discover([tmp_path / ".photos"]), tmp_path) == [".photos/a.jpg"]


def test_folders_a_system_or_app_keeps_are_not_entered_and_are_listed(tmp_path: Path) -> None:
    """A NAS share's thumbnails, a drive's recycle bin, a snapshot, an Apple Photos library:
    copies the person never made, which would group with (or replace) the real photos."""
    touch(tmp_path / "2023" / "a.jpg")
    kept_out = ["2023/@eaDir/a.jpg/SYNOPHOTO_THUMB_XL.jpg", "$RECYCLE.BIN/S-1-5-21/$RAB12.jpg",
                "#recycle/a.jpg", "@Recently-Snapshot/GMT+1_2023/a.jpg",
                "System Volume Information/x.jpg", "lost+found/b.jpg",
                "Photos Library.photoslibrary/originals/0/a.jpeg",
                "Lightroom/Cat Previews.lrdata/0/p.jpg"]
    for name in kept_out:
        touch(tmp_path / name)
    found = discover([tmp_path])
    assert names(found, tmp_path) == ["2023/a.jpg"]
    assert [Path(i.path).relative_to(tmp_path).as_posix() for i in found.skipped] == [
        "#recycle", "$RECYCLE.BIN", "2023/@eaDir", "@Recently-Snapshot",
        "Lightroom/Cat Previews.lrdata", "Photos Library.photoslibrary",
        "System Volume Information", "lost+found"]
    assert found.issues == ()  # not a problem: said apart from the unreadable files


def test_a_system_folder_chosen_itself_is_scanned(tmp_path: Path) -> None:
    """The person may want the recycle bin's or a library's copies: adding one says so."""
    touch(tmp_path / "$RECYCLE.BIN" / "a.jpg")
    touch(tmp_path / "Photos.photoslibrary" / "originals" / "b.jpg")
    found = discover([tmp_path / "$RECYCLE.BIN", tmp_path / "Photos.photoslibrary"])
    assert names(found, tmp_path) == ["$RECYCLE.BIN/a.jpg", "Photos.photoslibrary/originals/b.jpg"]
    assert found.skipped == ()
    touch(tmp_path / "#recycle" / "2023" / "c.jpg")
    touch(tmp_path / "#snapshot" / "d.jpg")
    beside = discover([tmp_path, tmp_path / "$RECYCLE.BIN", tmp_path / "#recycle" / "2023"])
    assert names(beside, tmp_path) == ["#recycle/2023/c.jpg", "$RECYCLE.BIN/a.jpg"]
    assert [Path(i.path).name for i in beside.skipped] == ["#snapshot", "Photos.photoslibrary"]


def test_ordinary_names_like_system_ones_are_walked(tmp_path: Path) -> None:
    for name in ["recycled/a.jpg", "eaDir/b.jpg", "snapshot/c.jpg", "my.photoslibrary.backup/d.jpg",
                 "recycle bin.jpg/e.jpg"]:
        touch(tmp_path / name)
    assert len(discover([tmp_path]).files) == 5


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    touch(tmp_path / "a" / "b" / "x.jpg")
    symlink(tmp_path / "a", tmp_path / "a" / "b" / "up")
    symlink(tmp_path / "a" / "self", tmp_path / "a" / "self")  # a link to itself
    result = discover([tmp_path])
    assert names(result, tmp_path) == ["a/b/x.jpg"]
    assert [(Path(i.path).name, i.reason) for i in result.issues] == [
        ("self", "symbolic link loops back on itself")]


def test_symlinked_folder_and_file_counted_once_under_real_path(tmp_path: Path) -> None:
    touch(tmp_path / "real" / "a.jpg")
    touch(tmp_path / "z.jpg")
    symlink(tmp_path / "real", tmp_path / "alias")  # sorts before "real"
    symlink(tmp_path / "z.jpg", tmp_path / "b_link.jpg")  # sorts before "z.jpg"
    result = discover([tmp_path])
    assert names(result, tmp_path) == ["real/a.jpg", "z.jpg"]


def test_symlinked_folder_outside_roots_is_followed(tmp_path: Path) -> None:
    touch(tmp_path / "elsewhere" / "a.jpg")
    symlink(tmp_path / "elsewhere", tmp_path / "root" / "link")
    assert names(discover([tmp_path / "root"]), tmp_path) == ["root/link/a.jpg"]


def test_hard_link_counted_once_with_smallest_path(tmp_path: Path) -> None:
    original = touch(tmp_path / "b.jpg")
    (tmp_path / "a").mkdir()
    try:
        os.link(original, tmp_path / "a" / "copy.jpg")
    except OSError:
        pytest.skip("hard links are not available here")
    result = discover([tmp_path])
    assert names(result, tmp_path) == ["a/copy.jpg"]


def test_overlapping_roots(tmp_path: Path) -> None:
    touch(tmp_path / "sub" / "a.jpg")
    touch(tmp_path / "b.jpg")
    alone = discover([tmp_path])
    assert discover([tmp_path / "sub", tmp_path, tmp_path / "sub" / "a.jpg"]) == alone
    assert len(alone.files) == 2


def test_root_order_does_not_matter(tmp_path: Path) -> None:
    touch(tmp_path / "x" / "one.jpg")
    touch(tmp_path / "y" / "two.png")
    symlink(tmp_path / "x", tmp_path / "y" / "to_x")
    symlink(tmp_path / "y" / "two.png", tmp_path / "x" / "a_link.png")
    roots = [tmp_path / "x", tmp_path / "y", tmp_path / "y" / "to_x", tmp_path / "missing"]
    results = [discover(list(order)) for order in itertools.permutations(roots)]
    assert all(r == results[0] for r in results)
    assert names(results[0], tmp_path) == ["x/one.jpg", "y/two.png"]


def test_single_file_roots(tmp_path: Path) -> None:
    photo = touch(tmp_path / ".dropped.jpg")  # hidden, but picked on purpose
    notes = touch(tmp_path / "notes.txt")
    result = discover([photo, notes])
    assert paths(result) == [str(photo)]
    assert result.issues == (Issue(str(notes), "not a supported image file"),)


def test_missing_root_is_an_issue(tmp_path: Path) -> None:
    result = discover([tmp_path / "nope"])
    assert result.files == ()
    assert result.issues == (Issue(str(tmp_path / "nope"), "does not exist"),)


def test_broken_symlink_is_an_issue(tmp_path: Path) -> None:
    symlink(tmp_path / "gone.jpg", tmp_path / "root" / "dangling.jpg")
    symlink(tmp_path / "gone", tmp_path / "dangling_root")
    result = discover([tmp_path / "root", tmp_path / "dangling_root"])
    assert [(Path(i.path).name, i.reason) for i in result.issues] == [
        ("dangling_root", "broken symbolic link"), ("dangling.jpg", "broken symbolic link")]


def _deny_scandir(monkeypatch: pytest.MonkeyPatch, folder: Path, error: OSError) -> None:
    real_scandir = os.scandir

    def fake(path: str) -> object:
        if os.fspath(path) == str(folder):
            raise error
        return real_scandir(path)

    monkeypatch.setattr(scanner.os, "scandir", fake)


@pytest.mark.parametrize(("error", "reason"), [
    (PermissionError(13, "Permission denied"), "can't open folder: permission denied"),
    (FileNotFoundError(2, "No such file"), "can't open folder: it disappeared during the scan"),
    (OSError(5, "Input/output error"), "can't open folder: Input/output error"),
])
def test_unreadable_folder_is_an_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       error: OSError, reason: str) -> None:
    touch(tmp_path / "locked" / "a.jpg")
    touch(tmp_path / "open" / "b.jpg")
    _deny_scandir(monkeypatch, tmp_path / "locked", error)
    result = discover([tmp_path])
    assert names(result, tmp_path) == ["open/b.jpg"]
    assert result.issues == (Issue(str(tmp_path / "locked"), reason),)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read any folder")
def test_unreadable_folder_for_real(tmp_path: Path) -> None:
    locked = touch(tmp_path / "locked" / "a.jpg").parent
    touch(tmp_path / "b.jpg")
    locked.chmod(0)
    try:
        result = discover([tmp_path])
    finally:
        locked.chmod(0o755)
    assert names(result, tmp_path) == ["b.jpg"]
    assert result.issues == (Issue(str(locked), "can't open folder: permission denied"),)


def test_sniff_failure_is_an_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mystery = touch(tmp_path / "mystery")

    def deny(*_args: object, **_kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(image_kinds, "open", deny, raising=False)
    result = discover([tmp_path])
    assert result.issues == (Issue(str(mystery), "can't read: permission denied"),)


def test_very_deep_folder(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["d"] * 200)
    touch(deep / "bottom.jpg")
    (entry,) = discover([tmp_path]).files
    assert entry.path == str(deep / "bottom.jpg")


def test_cancel_before_start(tmp_path: Path) -> None:
    touch(tmp_path / "a.jpg")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        discover([tmp_path], cancel=token)


def test_cancel_mid_walk(tmp_path: Path) -> None:
    for i in range(5):
        touch(tmp_path / f"f{i}" / "a.jpg")
    token = CancelToken()
    visited: list[str] = []

    def on_progress(event: ProgressEvent) -> None:
        visited.append(event.detail)
        token.cancel()

    with pytest.raises(Cancelled):
        discover([tmp_path], progress=on_progress, cancel=token)
    assert len(visited) == 1


def test_progress_is_reported(tmp_path: Path) -> None:
    for i in range(3):
        touch(tmp_path / f"{i}.jpg")
    events: list[ProgressEvent] = []
    discover([tmp_path], progress=events.append)
    assert events[0] == ProgressEvent(STAGE_DISCOVER, 0, 0, str(tmp_path))
    assert events[-1] == ProgressEvent(STAGE_DISCOVER, 3, 3)
    assert all(e.stage == STAGE_DISCOVER for e in events)


def test_the_order_the_os_lists_entries_in_does_not_matter(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders are listed as the OS gives them (not sorted: 500k entries); subfolders, links,
    hard links, companions and problems come out the same for any listing order."""
    touch(tmp_path / "a" / "IMG_1.JPG")
    touch(tmp_path / "a" / "IMG_1.xmp")
    touch(tmp_path / "a" / "sub" / "z.png")
    touch(tmp_path / "b" / "two.png")
    os.link(tmp_path / "a" / "IMG_1.JPG", tmp_path / "b" / "0_hard.jpg")
    symlink(tmp_path / "a" / "sub", tmp_path / "b" / "0_to_sub")
    symlink(tmp_path / "nowhere.jpg", tmp_path / "b" / "broken.jpg")
    real_scandir = os.scandir

    class Reversed:
        def __init__(self, path: str) -> None:
            with real_scandir(path) as listing:
                self.entries = sorted(listing, key=lambda e: e.name, reverse=True)

        def __enter__(self) -> list[os.DirEntry[str]]:
            return self.entries

        def __exit__(self, *exc: object) -> None:
            return None

    forward = discover([tmp_path])
    monkeypatch.setattr(scanner.os, "scandir", Reversed)
    assert discover([tmp_path]) == forward
    assert names(forward, tmp_path) == ["a/IMG_1.JPG", "a/sub/z.png", "b/two.png"]
    assert [i.reason for i in forward.issues] == ["broken symbolic link"]
    assert [Path(c.path).name for c in forward.companions] == ["IMG_1.xmp"]


def test_big_folders_are_statted_on_two_threads_with_the_same_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder of many photos is statted half on a second thread (statting.py): the same
    files, sizes and mtimes as one thread; a file that vanishes in between is reported."""
    from dedup_gui.engine.signals import statting

    for i in range(600):
        touch(tmp_path / "big" / f"{i:04d}.jpg", b"x" * (i % 7 + 1))
    touch(tmp_path / "small" / "one.png")
    threaded = discover([tmp_path])
    monkeypatch.setattr(statting, "THREADED_FROM", 10**9)
    assert discover([tmp_path]) == threaded
    assert len(threaded.files) == 601 and threaded.files[5].size == 6
    monkeypatch.setattr(statting, "THREADED_FROM", 2)
    real = statting.stat_entry

    def vanishing(entry: os.DirEntry[str]) -> os.stat_result:
        if entry.name == "0450.jpg":
            os.remove(entry.path)
            raise FileNotFoundError(entry.path)
        return real(entry)

    monkeypatch.setattr(statting, "stat_entry", vanishing)
    found = discover([tmp_path])
    assert len(found.files) == 600
    assert [(Path(i.path).name, i.reason) for i in found.issues] == \
        [("0450.jpg", "can't read: it disappeared during the scan")]
