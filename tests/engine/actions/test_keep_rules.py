"""The keeper rule chain on hand-made groups, protected folders, EXIF dates, and a property."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from dedup_gui.engine.actions.keep_rules import (
    DEFAULT_CHAIN,
    Rule,
    RuleKind,
    is_protected,
    propose,
    propose_all,
    removal_marks,
)
from dedup_gui.engine.actions.taken_dates import read_taken_ns, taken_dates
from dedup_gui.engine.types import Group, GroupFile
from tests.images import photo

R = RuleKind


def gf(path: str, size: int = 1000, mtime: int = 10, wh: tuple[int, int] = (100, 100),
       fmt: str = "JPEG") -> GroupFile:
    return GroupFile(path, size, mtime, wh[0], wh[1], fmt)


def group(*files: GroupFile) -> Group:
    return Group(tuple(sorted(files, key=lambda f: f.path)), ())


def test_default_chain_is_original_resolution_size_oldest_shortest_path() -> None:
    assert [r.kind for r in DEFAULT_CHAIN] == [R.MOST_ORIGINAL, R.HIGHEST_RESOLUTION,
                                               R.LARGEST_FILE, R.OLDEST_DATE, R.SHORTEST_PATH]


def test_highest_resolution_wins_over_a_larger_file() -> None:
    g = group(gf("/a/small.jpg", size=9000, wh=(640, 480)), gf("/a/big.jpg", size=10,
                                                               wh=(4000, 3000)))
    proposal = propose(g)
    assert proposal.keep == ("/a/big.jpg",)
    assert proposal.remove == ("/a/small.jpg",)
    assert proposal.reason == "highest resolution"


def test_each_rule_of_the_default_chain_breaks_the_previous_tie() -> None:
    assert propose(group(gf("/x/a.jpg", size=5), gf("/x/b.jpg", size=7))).keep == ("/x/b.jpg",)
    older = group(gf("/x/a.jpg", mtime=20), gf("/x/b.jpg", mtime=10))
    assert propose(older).keep == ("/x/b.jpg",)
    assert propose(older).reason == "oldest date"
    shorter = group(gf("/x/long_name.jpg"), gf("/x/b.jpg"))
    assert propose(shorter).keep == ("/x/b.jpg",)
    tie = propose(group(gf("/x/b.jpg"), gf("/x/a.jpg")))
    assert tie.keep == ("/x/a.jpg",)
    assert "first by path" in tie.reason


def test_the_date_taken_overrides_the_mtime() -> None:
    g = group(gf("/x/a.jpg", mtime=10), gf("/x/b.jpg", mtime=20))
    assert propose(g, dates={"/x/b.jpg": 5}).keep == ("/x/b.jpg",)
    assert propose(g, [Rule(R.NEWEST_DATE)]).keep == ("/x/b.jpg",)


def test_preferred_format_order_with_aliases_and_extension_fallback() -> None:
    g = group(gf("/x/a.jpg", wh=(4000, 3000)), gf("/x/a.heic", fmt="HEIF"),
              gf("/x/a.png", fmt="PNG"))
    rule = Rule(R.PREFERRED_FORMAT, formats=("heic", "png", "jpg"))
    assert rule.formats == ("HEIF", "PNG", "JPEG")
    assert propose(g, [rule]).keep == ("/x/a.heic",)
    assert propose(g, [Rule(R.PREFERRED_FORMAT, formats=("PNG",))]).keep == ("/x/a.png",)
    unreadable = group(gf("/x/b.jpg"), gf("/x/b.png", fmt=""))
    assert propose(unreadable, [Rule(R.PREFERRED_FORMAT, formats=("PNG",))]).keep == (
        "/x/b.png",)


def test_path_text_rules_prefer_or_avoid_a_folder() -> None:
    g = group(gf("/lib/Originals/a.jpg"), gf("/lib/downloads/a.jpg"), gf("/lib/a.jpg"))
    assert propose(g, [Rule(R.PATH_CONTAINS, text="originals")]).keep == (
        "/lib/Originals/a.jpg",)
    avoid = [Rule(R.PATH_AVOIDS, text="Downloads"), Rule(R.PATH_AVOIDS, text="originals")]
    assert propose(g, avoid).keep == ("/lib/a.jpg",)


def test_a_protected_copy_is_kept_and_never_costs_the_better_original() -> None:
    """A protected messenger folder's small copy is kept, and so is the 12 MP original
    outside it (it was proposed for the Trash: protection made the thumbnail the keeper)."""
    g = group(gf("/lib/keep/a.jpg", wh=(10, 10)), gf("/lib/other/a.jpg", wh=(4000, 3000)),
              gf("/lib/other/a_small.jpg", wh=(400, 300)))
    proposal = propose(g, protected_folders=["/lib/keep"])
    assert proposal.keep == ("/lib/other/a.jpg", "/lib/keep/a.jpg")  # the chain's keeper first
    assert proposal.remove == ("/lib/other/a_small.jpg",)
    assert proposal.protected == ("/lib/keep/a.jpg",)
    assert proposal.reason == "highest resolution"


def test_an_exact_copy_of_a_protected_file_is_still_proposed() -> None:
    """What protecting an archive is for: its byte-identical copies elsewhere may go, even
    when the chain would have kept one of them (here by its shorter path)."""
    from dedup_gui.engine.types import Pair

    kept, copy = gf("/archive/2019/a.jpg"), gf("/dl/a.jpg")
    g = Group((kept, copy), (Pair(kept.path, copy.path, "identical bytes", 0, "identical"),))
    proposal = propose(g, protected_folders=["/archive"])
    assert proposal.keep == (kept.path,) and proposal.remove == (copy.path,)
    assert proposal.reason == "in a protected folder"


def test_several_protected_files_are_all_kept() -> None:
    g = group(gf("/ref/a.jpg", wh=(10, 10)), gf("/ref/sub/a.jpg", wh=(20, 20)),
              gf("/x/a.jpg", wh=(5, 5)))
    proposal = propose(g, protected_folders=["/ref/"])
    assert proposal.keep == ("/ref/sub/a.jpg", "/ref/a.jpg")  # ranked by the chain
    assert proposal.remove == ("/x/a.jpg",)


def test_a_protected_folder_does_not_cover_its_namesake_sibling() -> None:
    assert is_protected("/lib/keep/a.jpg", ["/lib/keep"])
    assert not is_protected("/lib/keep2/a.jpg", ["/lib/keep"])
    assert is_protected("/anything.jpg", ["/"])


def test_rules_are_validated_labelled_and_round_trip() -> None:
    with pytest.raises(ValueError):
        Rule(R.PREFERRED_FORMAT)
    with pytest.raises(ValueError):
        Rule(R.PATH_CONTAINS)
    avoid = Rule(R.PATH_AVOIDS, text="Downloads")
    assert avoid.label == "Path does not contain “Downloads”"
    assert Rule(R.PREFERRED_FORMAT, formats=("heic",)).label == "Preferred format: HEIF"
    for rule in (*DEFAULT_CHAIN, avoid, Rule(R.PREFERRED_FORMAT, formats=("PNG", "JPEG"))):
        assert Rule.from_dict(rule.as_dict()) == rule


def test_propose_all_and_the_marks_it_gives() -> None:
    groups = [group(gf("/a/1.jpg", size=1), gf("/a/2.jpg", size=2)),
              group(gf("/b/1.jpg", size=3), gf("/b/2.jpg", size=1))]
    assert removal_marks(propose_all(groups)) == {"/a/1.jpg", "/b/2.jpg"}


def _jpeg_with_exif(path: Path, taken: str | None, offset: str | None = None) -> Path:
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
        if offset:
            exif.get_ifd(0x8769)[0x9011] = offset
    Image.new("RGB", (8, 8), "red").save(path, exif=exif)
    return path


def test_the_date_taken_is_read_from_exif(tmp_path: Path) -> None:
    local = _jpeg_with_exif(tmp_path / "a.jpg", "2019:07:01 12:30:00")
    zoned = _jpeg_with_exif(tmp_path / "b.jpg", "2019:07:01 12:30:00", "+02:00")
    bare = _jpeg_with_exif(tmp_path / "c.jpg", None)
    (tmp_path / "d.jpg").write_bytes(b"not an image")
    # no offset: the camera's wall time, counted as UTC (the same number on every machine)
    assert read_taken_ns(str(local)) == int(
        datetime(2019, 7, 1, 12, 30, tzinfo=UTC).timestamp()) * 10**9
    assert read_taken_ns(str(zoned)) == int(
        datetime.fromisoformat("2019-07-01T12:30:00+02:00").timestamp()) * 10**9
    paths = [str(p) for p in (local, bare, tmp_path / "d.jpg", tmp_path / "missing.jpg")]
    assert taken_dates(paths) == {str(local): read_taken_ns(str(local))}


NAMES = st.sampled_from(["/p/a.jpg", "/p/b.png", "/q/c.jpg", "/q/r/d.heic", "/r/e.jpg",
                         "/r/f.jpg", "/s/g.jpg"])
FILES = st.builds(gf, NAMES, st.integers(1, 3), st.integers(1, 3),
                  st.tuples(st.integers(0, 2), st.integers(0, 2)),
                  st.sampled_from(["JPEG", "PNG", "HEIF", ""]))
ALL_RULES = [Rule(k) for k in (R.HIGHEST_RESOLUTION, R.LARGEST_FILE, R.OLDEST_DATE,
                               R.NEWEST_DATE, R.SHORTEST_PATH)] + [
    Rule(R.PREFERRED_FORMAT, formats=("PNG", "JPEG")), Rule(R.PATH_CONTAINS, text="q/"),
    Rule(R.PATH_AVOIDS, text="/r")]


@settings(max_examples=300, deadline=None)
@given(files=st.lists(FILES, min_size=2, max_size=7, unique_by=lambda f: f.path),
       chain=st.lists(st.sampled_from(ALL_RULES), max_size=4),
       protected=st.lists(st.sampled_from(["/p", "/q/r", "/s", "/nowhere"]), max_size=2),
       shuffle=st.randoms())
def test_every_group_keeps_a_file_and_protected_files_are_never_removed(
        files, chain, protected, shuffle) -> None:
    proposal = propose(group(*files), chain, protected)
    paths = {f.path for f in files}
    assert set(proposal.keep) | set(proposal.remove) == paths
    assert not set(proposal.keep) & set(proposal.remove)
    protected_paths = {p for p in paths if is_protected(p, protected)}
    assert set(proposal.protected) == protected_paths
    assert protected_paths <= set(proposal.keep)
    chosen = propose(group(*files), chain).keep  # no identical pairs here: kept beside them
    assert set(proposal.keep) == protected_paths | set(chosen)
    shuffled = list(files)
    shuffle.shuffle(shuffled)
    assert propose(Group(tuple(shuffled), ()), chain, protected) == proposal  # order-free


def test_a_group_of_similar_shots_keeps_the_best_file_of_each_photo() -> None:
    """Similar shots counted as duplicates (the person's choice): a burst frame and its
    re-save, another frame and its upscale. Each photo keeps its best file; no shot is
    proposed for another (the largest frame used to be kept and every other file marked)."""
    from dedup_gui.engine.actions.shot_groups import SHOTS_KEPT
    from dedup_gui.engine.types import Pair

    one, one_small = gf("/b/IMG_1.JPG", wh=(4000, 3000)), gf("/w/IMG_1-wa.jpg", wh=(1600, 1200))
    two, two_up = gf("/b/IMG_2.JPG", wh=(4000, 3000)), gf("/u/IMG_2_x2.jpg", wh=(8000, 6000))
    pairs = (Pair(one.path, one_small.path, "re-saved", 2, "resaved"),
             Pair(two.path, two_up.path, "edited", 4, "edited"),
             Pair(one.path, two.path, "another shot", 3, "similar"))
    shots = Group(tuple(sorted((one, one_small, two, two_up), key=lambda f: f.path)), pairs)
    proposal = propose(shots, [Rule(R.HIGHEST_RESOLUTION)])
    assert sorted(proposal.keep) == sorted([one.path, two_up.path])  # one file per photo
    assert sorted(proposal.remove) == sorted([one_small.path, two.path])
    assert proposal.reason == SHOTS_KEPT
    protected = propose(shots, [Rule(R.HIGHEST_RESOLUTION)], protected_folders=["/w"])
    assert sorted(protected.keep) == sorted([one.path, two_up.path, one_small.path])
    assert protected.remove == (two.path,)  # the other shot was proposed whole: lost
    duplicates = Group(shots.files, (*pairs[:2], Pair(one.path, two.path, "x", 3, "edited")))
    assert propose(duplicates, [Rule(R.HIGHEST_RESOLUTION)]).keep == (two_up.path,)


def test_the_camera_unit_beats_a_byte_copy_at_a_shorter_path() -> None:
    """Byte-identical JPEGs: the camera's, with its RAW (or Live video) beside it, is kept over
    a lone copy whose path is shorter (the copy would have left the RAW to the Trash with its
    JPEG); and the provenance cache tells the two apart (a RAW added later assesses again)."""
    from dataclasses import replace

    from dedup_gui.engine.actions.provenance_cache import group_key

    camera = replace(gf("/photos/album/IMG_0001.JPG"),
                     companions=("/photos/album/IMG_0001.CR2",))
    copy = gf("/b/IMG_0001.JPG")
    for companion in (".CR2", ".MOV"):
        unit = replace(camera, companions=(camera.path[:-4] + companion,))
        proposal = propose(Group((unit, copy), ()))
        assert proposal.keep == (unit.path,) and proposal.remove == (copy.path,)
    plain = replace(camera, companions=())
    assert group_key(Group((camera, copy), ())) != group_key(Group((plain, copy), ()))


def test_a_google_photos_edit_is_kept_beside_its_original() -> None:
    """Takeout check: every "-edited" photo (the person's own edit in Google Photos, exported
    beside its original) was proposed for the Trash, both copies of one of them. The edit is
    kept too; its byte-identical album copy and a messenger's re-save are still proposed."""
    from dedup_gui.engine.types import Pair

    original = gf("/t/Photos from 2019/IMG_1.jpg", size=900, wh=(4000, 3000))
    edit = gf("/t/Photos from 2019/IMG_1-edited.jpg", size=800, wh=(3600, 2700))
    album_edit = gf("/t/Holiday/IMG_1-edited.jpg", size=800, wh=(3600, 2700))
    resave = gf("/t/WhatsApp/IMG-20190101-WA0001.jpg", size=100, wh=(1600, 1200))
    pairs = (Pair(edit.path, album_edit.path, "identical bytes", 0, "identical"),
             Pair(original.path, edit.path, "edited copy", 20, "edited"),
             Pair(original.path, resave.path, "re-saved", 2, "resaved"))
    g = Group(tuple(sorted((original, edit, album_edit, resave), key=lambda f: f.path)), pairs)
    proposal = propose(g)
    assert proposal.keep == (original.path, edit.path)  # the year folder's of the two
    assert proposal.remove == tuple(sorted((album_edit.path, resave.path)))
    assert proposal.reason == ("highest resolution; also kept, your own edit: "
                               "Photos from 2019/IMG_1-edited.jpg")  # its album copy: same name
    german = Group((original, gf("/t/Photos from 2019/IMG_1-bearbeitet.jpg")), ())
    assert len(propose(german).keep) == 2 and propose(german).remove == ()


def test_an_iphone_edit_is_kept_beside_its_original() -> None:
    """An iCloud download holds IMG_0061.HEIC and the person's edit IMG_E0061.HEIC (its .AAE
    recipe works only inside Apple Photos): the edit was proposed for the Trash as a copy."""
    from dedup_gui.engine.actions.provenance import Provenance
    from dedup_gui.engine.actions.provenance_marks import relabel_for_keeper
    from dedup_gui.engine.types import Pair

    original = gf("/i/IMG_0061.HEIC", size=900, wh=(4032, 3024))
    edit = gf("/i/IMG_E0061.HEIC", size=700, wh=(3024, 3024))
    other = gf("/i/IMG_E0062.HEIC", size=600, wh=(3024, 3024))  # its original not here
    g = Group((original, edit, other), (Pair(original.path, edit.path, "edited copy", 20,
                                             "edited"),
                                        Pair(original.path, other.path, "edited copy", 20,
                                             "edited")))
    proposal = propose(g, DEFAULT_CHAIN)
    assert proposal.keep == (original.path, edit.path)
    assert proposal.remove == (other.path,)
    assert proposal.reason.endswith("also kept, your own edit: IMG_E0061.HEIC")
    cropped = {f.path: Provenance(score=1, labels=("cropped",)) for f in g.files}
    labels = relabel_for_keeper(g, cropped, proposal.keep)
    assert labels[edit.path].label == "your own edit (iPhone)"
    assert labels[other.path].label != "your own edit (iPhone)"


def test_a_copy_in_a_recycle_bin_is_never_kept_in_place_of_a_live_copy() -> None:
    """A NAS check: the share and its #recycle added side by side; the bin's full-size
    original was kept and the only live copy, a small re-save, proposed for the Trash."""
    from dedup_gui.engine.types import Pair

    binned = gf("/nas/photo/#recycle/2023/IMG_2309.jpg", size=900, wh=(2400, 1800))
    live = gf("/nas/photo/2023/Shared/IMG_2309-small.jpg", size=70, wh=(1200, 900))
    g = Group((binned, live), (Pair(binned.path, live.path, "re-saved", 2, "resaved"),))
    with_bin = propose(g, DEFAULT_CHAIN)
    assert with_bin.keep == (live.path, binned.path) and with_bin.remove == ()
    assert with_bin.reason == ("the best copy outside a recycle bin or snapshot; also kept, in a "
                               "recycle bin or snapshot, left in place: IMG_2309.jpg")
    twin = gf("/u/$RECYCLE.BIN/$R1.jpg")  # the shorter path: the rules alone keep it
    own = gf("/u/Photos/Holidays 2021/IMG_0100.jpg")
    pair = (Pair(own.path, twin.path, "identical bytes", 0, "identical"),)
    by_path = propose(Group((own, twin), pair))
    assert by_path.keep == (own.path,) and by_path.remove == (twin.path,)
    assert by_path.reason == "the best copy outside a recycle bin or snapshot"
    snap = gf("/nas/photo/#snapshot/GMT+01_2023-05-01/2022/a.jpg", wh=(4000, 3000))
    only_bins = Group((binned, snap), ())
    assert propose(only_bins).keep == (snap.path,)  # nothing live: the rules decide


def test_an_edit_name_without_its_original_in_the_group_is_a_copy_like_any_other() -> None:
    g = group(gf("/a/IMG_1.jpg", wh=(4000, 3000)), gf("/a/IMG_2-edited.jpg", wh=(100, 100)),
              gf("/a/-edited.jpg", wh=(100, 100)))
    proposal = propose(g)
    assert proposal.keep == ("/a/IMG_1.jpg",)
    assert proposal.remove == ("/a/-edited.jpg", "/a/IMG_2-edited.jpg")


def test_takeout_year_folder_copy_is_kept_over_an_album_copy_at_a_shorter_path() -> None:
    """Takeout check: byte copies in "Photos from 2019" and an album ("Family") tied on
    every rule but the path, and the album's shorter path won, leaving the year folder, where
    Takeout puts every photo, with gaps."""
    from dedup_gui.engine.types import Pair

    year = gf("/t/Google Photos/Photos from 2019/IMG_20190612_101500.jpg")
    album = gf("/t/Google Photos/Family/IMG_20190612_101500.jpg")
    g = Group((album, year), (Pair(album.path, year.path, "identical bytes", 0, "identical"),))
    assert propose(g).keep == (year.path,) and propose(g).remove == (album.path,)
    german = gf("/t/Google Fotos/Fotos von 2019/IMG_20190612_101500.jpg")
    assert propose(Group((album, german), ())).keep == (german.path,)


def test_an_airdrop_copy_gives_way_to_the_import_folders_at_a_longer_path() -> None:
    """An iPhone check: byte copies of a HEIC tied on every rule but the path, and
    "AirDrop/IMG_0108.HEIC" was kept over the photo in the library's import folder. AirDrop
    delivers received copies, like a messenger's or a download folder."""
    from dedup_gui.engine.types import Pair

    imported = gf("/p/Pictures/iPhone import 2024-05/IMG_0108.HEIC")
    received = gf("/p/AirDrop/IMG_0108.HEIC")
    g = Group((received, imported),
              (Pair(received.path, imported.path, "identical bytes", 0, "identical"),))
    assert propose(g).keep == (imported.path,) and propose(g).remove == (received.path,)


def test_a_backup_of_an_exports_folder_gives_way_to_the_exports_folder() -> None:
    """A photographer's check: byte copies in Pictures/Exports and Backup/Exports tied on
    every rule but the path (one derived folder each), the backup's shorter path won and
    the working folder was emptied into the backup. A backup of exports is a copy further."""
    from dedup_gui.engine.actions.origin_path import derived_kinds
    from dedup_gui.engine.types import Pair

    working = gf("/p/Pictures/Exports/IMG_2410-2.jpg")
    backup = gf("/p/Backup/Exports/IMG_2410-2.jpg")
    g = Group((backup, working), (Pair(backup.path, working.path, "identical bytes", 0,
                                       "identical"),))
    assert propose(g).keep == (working.path,) and propose(g).remove == (backup.path,)
    assert derived_kinds("/p/WhatsApp/WhatsApp Images/Sent/a.jpg") == 1  # one kind, named twice
    assert derived_kinds("/p/My edits/Edit/a.jpg") == 1


def test_a_shared_albums_download_gives_way_to_the_phones_file(tmp_path: Path) -> None:
    """A family's check: the father's phone file and the shared album's download of the same
    photo, saved from the same picture at a higher quality with the camera data (no lattice
    to read: resave_lattice.py), tied on all but size; "largest file" kept the download."""
    from dedup_gui.engine.actions.origin_path import derived_kinds
    from dedup_gui.engine.actions.provenance import assess
    from dedup_gui.engine.actions.provenance_facts import read_facts
    from dedup_gui.engine.types import Pair

    picture = photo(12, (640, 480))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "samsung", "SM-S911B"
    phone, album = tmp_path / "Dad/20230602_091244.jpg", \
        tmp_path / "Shared album/20230602_091244.jpg"
    for path, quality in ((phone, 88), (album, 96)):
        path.parent.mkdir(parents=True)
        picture.save(path, "JPEG", quality=quality, exif=exif)
    files = tuple(GroupFile(str(p), p.stat().st_size, p.stat().st_mtime_ns, 640, 480, "JPEG")
                  for p in (album, phone))
    g = Group(files, (Pair(str(album), str(phone), "same picture re-saved", 2, "resaved"),))
    provenance = assess(g, {f.path: read_facts(f.path) for f in g.files})
    assert propose(g, provenance=provenance).keep == (str(phone),)
    for name in ("Shared album", "Shared Albums", "iCloud Photos/Shared/SharedAlbums",
                 "Google Photos/Shared with me"):
        assert derived_kinds(f"/p/{name}/a.jpg") == 1, name
    assert derived_kinds("/volume1/share/Photos/DCIM/a.jpg") == 0  # a NAS share's own photos


def test_a_multi_page_tiff_or_an_animation_is_never_proposed_as_a_copy_of_a_still(
        tmp_path: Path) -> None:
    """A hostile-input check: a three-page TIFF whose first page is a photo grouped with the
    photo's JPEG and was proposed for the Trash as a format conversion, its other pages with
    it. It is kept beside the JPEG; its byte copy is not; a one-page TIFF is a copy as ever."""
    import shutil

    from dedup_gui.engine.types import Pair

    pages = [Image.new("RGB", (64, 48), c) for c in ("red", "green", "blue")]
    tiff = tmp_path / "scan.tif"
    pages[0].save(tiff, save_all=True, append_images=pages[1:])
    shutil.copy(tiff, tmp_path / "scan copy.tif")
    pages[0].save(tmp_path / "one.tif")
    still = gf(str(tmp_path / "photo.jpg"), size=10**6, wh=(4000, 3000))

    def tif(path: Path) -> GroupFile:
        return gf(str(path), size=path.stat().st_size, wh=(64, 48), fmt="TIFF")

    many, twin, one = tif(tiff), tif(tmp_path / "scan copy.tif"), tif(tmp_path / "one.tif")
    g = Group(tuple(sorted((still, many, twin, one), key=lambda f: f.path)),
              (Pair(many.path, twin.path, "identical bytes", 0, "identical"),))
    proposal = propose(g)
    assert proposal.keep[0] == still.path and many.path in proposal.keep
    assert set(proposal.remove) == {one.path, twin.path}  # "scan copy.tif": a copy's name
    assert proposal.reason.endswith(
        "; also kept, more pages or frames than the others: scan.tif (3 pictures)")


def test_the_files_kept_beside_are_read_back_from_the_reason() -> None:
    """The cards and the card order read which files were kept beside the keeper, and why,
    from the reason (a name that holds another as a substring must not count)."""
    from dedup_gui.engine.actions.kept_beside import read_beside

    reason = ("highest resolution; also kept, your own edit: IMG_1-edited.jpg; also kept, "
              "more pages or frames than the others: scan.tif (3 pictures), b.gif (12 pictures)")
    assert read_beside(reason) == {
        "IMG_1-edited.jpg": "your own edit", "scan.tif": "more pages or frames than the others",
        "b.gif": "more pages or frames than the others"}
    assert "1-edited.jpg" not in read_beside(reason) and read_beside("largest file") == {}


def test_the_reason_names_the_rule_a_larger_file_lost_on_first() -> None:
    """A meme-saver's group read "kept by the rule largest file" while a larger file was marked
    Remove: that file lost first, on its folder (a messenger's), and the words named only the
    rule that set the keeper apart from the runner-up."""
    larger = gf("/lib/Telegram/Telegram Images/IMG_20231010_104700_1.jpg", 115_010)
    keeper, other = gf("/lib/Reddit/i_d50f184c.jpg", 110_785), gf("/lib/Reddit/r_2.jpg", 92_569)
    proposal = propose(group(larger, keeper, other))
    assert proposal.keep == (keeper.path,)
    assert proposal.reason == "likelier original by folder and name, then largest file"
    assert propose(group(keeper, other)).reason == "largest file"  # nothing lost earlier
