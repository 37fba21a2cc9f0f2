"""Capture units: which files belong to one shot, by name (and capture time where known), and
that the scanner finds them in the folder listing it already makes."""

from __future__ import annotations

import os
from pathlib import Path

from dedup_gui.engine.signals.companions import (
    SIDECAR,
    Anchor,
    anchor,
    find_units,
    wanted_in_folder,
)
from dedup_gui.engine.signals.scanner import discover
from dedup_gui.engine.types import Capture, FileEntry
from tests.images import photo, save


def entries(*paths: str) -> list[FileEntry]:
    return [FileEntry(p, 1, 1) for p in paths]


def units_of(images: list[str], others: list[str], **kwargs: object) -> dict[str, tuple]:
    return find_units(entries(*images), entries(*others), **kwargs).companions  # type: ignore


def test_stem_and_full_name_sidecars_both_attach() -> None:
    found = units_of(["/a/IMG_1.JPG"], ["/a/IMG_1.xmp", "/a/IMG_1.JPG.xmp", "/a/IMG_1.AAE",
                                        "/a/IMG_1.THM"])
    assert found == {"/a/IMG_1.JPG": ("/a/IMG_1.AAE", "/a/IMG_1.JPG.xmp", "/a/IMG_1.THM",
                                      "/a/IMG_1.xmp")}


def test_case_differences_do_not_matter() -> None:
    found = units_of(["/a/img_1.jpg"], ["/a/IMG_1.MOV", "/a/Img_1.JPG.XMP"])
    assert found == {"/a/img_1.jpg": ("/a/IMG_1.MOV", "/a/Img_1.JPG.XMP")}


def test_full_name_sidecar_of_another_photo_does_not_attach() -> None:
    """IMG_1.PNG.xmp describes IMG_1.PNG, not IMG_1.JPG."""
    assert units_of(["/a/IMG_1.JPG"], ["/a/IMG_1.PNG.xmp"]) == {}


def test_same_base_name_in_another_folder_is_not_a_companion() -> None:
    found = units_of(["/a/IMG_1.JPG", "/b/IMG_1.JPG"], ["/a/IMG_1.CR2", "/c/IMG_1.xmp"])
    assert found == {"/a/IMG_1.JPG": ("/a/IMG_1.CR2",)}


def test_two_stills_with_one_stem_share_no_stem_named_companion() -> None:
    """IMG_1.JPG + IMG_1.PNG: the stem-named video and XMP could be either's; neither takes
    them, but each keeps the sidecar that names it in full."""
    found = units_of(["/a/IMG_1.JPG", "/a/IMG_1.PNG"],
                     ["/a/IMG_1.MOV", "/a/IMG_1.xmp", "/a/IMG_1.PNG.xmp", "/a/IMG_1.CR2"])
    assert found == {"/a/IMG_1.PNG": ("/a/IMG_1.PNG.xmp",)}


def test_live_photo_and_ios_original_adjustments() -> None:
    found = units_of(["/a/IMG_0001.HEIC"], ["/a/IMG_0001.MOV", "/a/IMG_O0001.AAE",
                                            "/a/IMG_E0001.MOV"])
    assert found == {"/a/IMG_0001.HEIC": ("/a/IMG_0001.MOV", "/a/IMG_O0001.AAE")}


def test_takeout_json_forms() -> None:
    found = units_of(
        ["/t/IMG_1.JPG", "/t/IMG_2.JPG", "/t/IMG_3(1).JPG", "/t/a_rather_long_file_name_1.jpg"],
        ["/t/IMG_1.JPG.json", "/t/IMG_2.JPG.supplemental-metadata.json", "/t/IMG_3.JPG(1).json",
         "/t/a_rather_long_file_name_1.jpg.supplemental-met.json", "/t/IMG_1.json",
         "/t/metadata.json"])
    assert found == {
        "/t/IMG_1.JPG": ("/t/IMG_1.JPG.json",),
        "/t/IMG_2.JPG": ("/t/IMG_2.JPG.supplemental-metadata.json",),
        "/t/IMG_3(1).JPG": ("/t/IMG_3.JPG(1).json",),
        "/t/a_rather_long_file_name_1.jpg": (
            "/t/a_rather_long_file_name_1.jpg.supplemental-met.json",),
    }


def test_raw_pairs_only_when_capture_times_agree() -> None:
    taken = {"/a/IMG_1.JPG": Capture(taken_ns=10), "/a/IMG_1.CR2": Capture(taken_ns=10),
             "/a/IMG_2.JPG": Capture(taken_ns=10), "/a/IMG_2.CR2": Capture(taken_ns=99),
             "/a/IMG_3.JPG": Capture(taken_ns=10), "/a/IMG_3.CR2": Capture()}
    found = units_of(["/a/IMG_1.JPG", "/a/IMG_2.JPG", "/a/IMG_3.JPG"],
                     ["/a/IMG_1.CR2", "/a/IMG_2.CR2", "/a/IMG_3.CR2"], captures=taken)
    assert found == {"/a/IMG_1.JPG": ("/a/IMG_1.CR2",), "/a/IMG_3.JPG": ("/a/IMG_3.CR2",)}


def test_decoded_raw_is_bound_to_its_still_with_its_own_sidecar() -> None:
    """Once RAW files are images, the RAW travels with the JPEG (never a duplicate of it)."""
    units = find_units(entries("/a/IMG_1.JPG", "/a/IMG_1.NEF"), entries("/a/IMG_1.NEF.xmp"),
                       readable={"/a/IMG_1.JPG", "/a/IMG_1.NEF"})
    assert units.companions == {"/a/IMG_1.JPG": ("/a/IMG_1.NEF", "/a/IMG_1.NEF.xmp")}
    assert units.bound == {"/a/IMG_1.NEF"}


def test_raw_leads_when_only_the_raw_decodes() -> None:
    units = find_units(entries("/a/IMG_1.JPG", "/a/IMG_1.NEF"), [], readable={"/a/IMG_1.NEF"})
    assert units.companions == {"/a/IMG_1.NEF": ("/a/IMG_1.JPG",)}
    assert units.bound == {"/a/IMG_1.JPG"}


def test_raw_jpeg_duplicates_keeps_them_apart_and_sidecars_go_with_the_raw() -> None:
    units = find_units(entries("/a/IMG_1.JPG", "/a/IMG_1.NEF"), entries("/a/IMG_1.xmp"),
                       readable={"/a/IMG_1.JPG", "/a/IMG_1.NEF"}, raw_jpeg_duplicates=True)
    assert units.companions == {"/a/IMG_1.NEF": ("/a/IMG_1.xmp",)}
    assert units.bound == frozenset()


def test_raw_jpeg_duplicates_before_raw_files_are_decoded() -> None:
    """The JPEG may go on its own: the RAW and its stem-named XMP stay, the JPEG's own
    sidecar and Live video still travel with it."""
    found = units_of(["/a/IMG_1.JPG"], ["/a/IMG_1.CR2", "/a/IMG_1.xmp", "/a/IMG_1.JPG.xmp",
                                        "/a/IMG_1.MOV"], raw_jpeg_duplicates=True)
    assert found == {"/a/IMG_1.JPG": ("/a/IMG_1.JPG.xmp", "/a/IMG_1.MOV")}


def test_names_that_are_no_companion() -> None:
    assert anchor("notes.txt") is None and anchor("IMG_1.json") is None
    assert anchor("IMG_1.JPG.xmp") == Anchor("img_1.jpg", True, SIDECAR)
    assert wanted_in_folder(["IMG_1.JPG"], ["IMG_2.MOV", "IMG_1.MOV", "IMG_1.docx"]) == [
        "IMG_1.MOV"]


def test_scanner_finds_companions_in_the_same_listing(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    save(photo(1, (64, 48)), shots / "IMG_1.JPG")
    for name in ("IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.MOV", "IMG_9.MOV", "IMG_1.txt"):
        (shots / name).write_bytes(b"x" * 7)
    other = tmp_path / "other"
    other.mkdir()
    (other / "IMG_1.xmp").write_bytes(b"<x/>")
    found = discover([tmp_path])
    # A RAW is an image (decoded by raw.py); the units bind it to its JPEG after decoding.
    assert [f.path for f in found.files] == [str(shots / "IMG_1.CR2"), str(shots / "IMG_1.JPG")]
    assert [os.path.basename(f.path) for f in found.companions] == [
        "IMG_1.JPG.xmp", "IMG_1.MOV"]
    assert all(f.size == 7 for f in found.companions)


def test_a_photo_given_by_itself_finds_its_companions(tmp_path: Path) -> None:
    lead = save(photo(2, (64, 48)), tmp_path / "IMG_2.HEIC.jpg")
    save(photo(3, (64, 48)), tmp_path / "IMG_3.JPG")
    (tmp_path / "IMG_2.HEIC.jpg.xmp").write_bytes(b"<x/>")
    (tmp_path / "IMG_3.xmp").write_bytes(b"<x/>")
    found = discover([lead])
    assert [f.path for f in found.files] == [str(lead)]
    assert [f.path for f in found.companions] == [str(tmp_path / "IMG_2.HEIC.jpg.xmp")]


def test_raw_files_alone_still_pair_in_folders_with_dotted_names() -> None:
    """No companion files at all: a RAW image still binds to its still (the shortcut for a
    library without companions and RAW files must not skip it), and a folder's dots are not
    an extension."""
    images = ["/x.cr2/IMG_1.CR2", "/x.cr2/IMG_1.JPG", "/y.nef/IMG_2.JPG", "/y.nef/.nef"]
    found = find_units(entries(*images), [], readable=images)
    assert found.companions == {"/x.cr2/IMG_1.JPG": ("/x.cr2/IMG_1.CR2",)}
    assert found.bound == {"/x.cr2/IMG_1.CR2"}
    assert find_units(entries("/y.nef/IMG_2.JPG", "/y.nef/.nef", "/y.dng"), []).companions == {}


def test_takeout_json_whose_photo_name_was_cut_short() -> None:
    """Takeout keeps names within 51 characters: where the photo's own name does not fit,
    the JSON carries its start (a Takeout check: both JSONs stayed behind when their photos
    went to the trash)."""
    uuid = "original_1d4caa6f-16c6-4c3d-901b-9387de10e528_"
    pixel = "PXL_20210420_181530123.NIGHT.PORTRAIT-01.COVER"
    found = units_of([f"/t/{uuid}P.jpg", f"/t/{pixel}.jpg", "/t/IMG_2.JPG"],
                     [f"/t/{uuid}.json", f"/t/{pixel}.json"])
    assert found == {f"/t/{uuid}P.jpg": (f"/t/{uuid}.json",),
                     f"/t/{pixel}.jpg": (f"/t/{pixel}.json",)}
    assert wanted_in_folder([f"{uuid}P.jpg"], [f"{uuid}.json", "other.json"]) == [
        f"{uuid}.json"]


def test_cut_takeout_name_that_two_photos_start_attaches_to_neither() -> None:
    uuid = "original_1d4caa6f-16c6-4c3d-901b-9387de10e528_"
    assert units_of([f"/t/{uuid}P.jpg", f"/t/{uuid}Q.jpg"], [f"/t/{uuid}.json"]) == {}
    # A short name is never matched by its start: IMG_1.json is no photo's JSON.
    assert units_of(["/t/IMG_1.JPG"], ["/t/IMG_1.json", "/t/IMG.json"]) == {}


def test_cut_takeout_json_found_on_disk_goes_with_its_photo(tmp_path: Path) -> None:
    name = "PXL_20210420_181530123.NIGHT.PORTRAIT-01.COVER"
    save(photo(4, (64, 48)), tmp_path / f"{name}.jpg")
    (tmp_path / f"{name}.json").write_text("{}")
    found = discover([tmp_path])
    units = find_units(found.files, found.companions)
    assert units.companions == {str(tmp_path / f"{name}.jpg"): (str(tmp_path / f"{name}.json"),)}
