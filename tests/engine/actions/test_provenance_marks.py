"""Labels consistent with the marks (issue 16): only the kept file (or a byte-identical twin of
it) reads "original"; every other file says how it relates to the kept one, and the keeper
reason uses the same words as the cards."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.actions.keep_rules import DEFAULT_CHAIN, propose
from dedup_gui.engine.actions.keeper_reason import _PHRASES
from dedup_gui.engine.actions.origin_path import derived_kinds
from dedup_gui.engine.actions.proposals import proposals_for
from dedup_gui.engine.actions.provenance_marks import (
    IDENTICAL_COPY,
    relabel_for_keeper,
)
from dedup_gui.engine.tiers import IDENTICAL
from dedup_gui.engine.types import Group, GroupFile, Pair
from tests.engine.actions.test_provenance import (
    camera_jpeg,
    cropped,
    group_of,
    labels_of,
    meme,
    save,
)
from tests.images import photo

SIZE = (640, 480)


def stickered(image: Image.Image) -> Image.Image:
    """An emoji-like sticker: a yellow face drawn over one corner of the photo."""
    copy = image.copy()
    draw = ImageDraw.Draw(copy)
    draw.ellipse((420, 40, 580, 200), fill=(255, 214, 0), outline=(120, 80, 0), width=4)
    draw.ellipse((465, 90, 485, 115), fill=(0, 0, 0))
    draw.ellipse((515, 90, 535, 115), fill=(0, 0, 0))
    draw.arc((455, 110, 545, 170), 20, 160, fill=(0, 0, 0), width=5)
    return copy


def edits_of(source: Image.Image, root: Path) -> dict[str, Path]:
    """The edits people report from the real window, each saved the way apps save them (the
    sticker and caption copies keep the camera EXIF, as editors often do)."""
    return {
        "original": camera_jpeg(source, root / "DCIM/100CANON/IMG_0001.JPG"),
        "whatsapp": save(source, root / "WhatsApp/IMG-20240101-WA0001.jpg", quality=70),
        "sticker": camera_jpeg(stickered(source), root / "Pictures/IMG_0001_sticker.jpg"),
        "caption": camera_jpeg(meme(source, 0.3), root / "Pictures/meme.jpg"),
        "smaller": save(source.resize((400, 300), Image.Resampling.LANCZOS),
                        root / "Telegram/IMG_0001.jpg", quality=85),
        "crop": save(cropped(source, (0.1, 0.1, 0.8, 0.85), False),
                     root / "Pictures/IMG_0001_crop.jpg", quality=92),
    }


def test_only_the_kept_file_reads_original_and_the_reason_matches_the_cards(
        tmp_path: Path) -> None:
    files = edits_of(photo(7, SIZE), tmp_path)
    group = group_of(*files.values())
    proposals, provenance = proposals_for([group])
    keeper = proposals[0].keep[0]
    assert keeper == str(files["original"])
    for name, path in files.items():
        label = provenance[str(path)].label
        assert (label == p.ORIGINAL) == (str(path) == keeper), (name, label)
    # with the camera data kept it is the person's edit, kept beside: "Edited", for a
    # "caption" with the camera data may be a clipped sky (camera_edits.py)
    assert provenance[str(files["caption"])].label == p.EDITED
    assert provenance[str(files["crop"])].label == p.CROPPED
    reason = proposals[0].reason
    assert "identical" not in reason  # nothing here is byte-identical to the keeper
    # the sticker and caption copies kept the camera data: kept beside, most likely the
    # person's own (camera_edits.py); the reason names them there, the others by what they are
    beside = {str(files["sticker"]), str(files["caption"])}
    assert set(proposals[0].keep) == {keeper, *beside}
    assert reason.endswith("also kept, edits that kept the camera data (most likely yours): "
                           "meme.jpg and IMG_0001_sticker.jpg")
    for path in files.values():
        if str(path) != keeper and str(path) not in beside:
            one, several = _PHRASES[provenance[str(path)].label]
            assert one in reason or several in reason, (path, reason)


def test_a_removed_file_nothing_was_found_against_is_a_copy_of_the_kept_one() -> None:
    big, small = _file("a/big.jpg", 1000, 800), _file("b/small.jpg", 500, 400)
    twin, png = _file("c/twin.jpg", 500, 400), _file("d/same.png", 500, 400, "PNG")
    group = Group((big, small, twin, png), (Pair(small.path, twin.path, "same bytes", 0,
                                                 IDENTICAL),))
    assessed = {big.path: p.Provenance((), 0), small.path: p.Provenance((p.SMALLER,), 10),
                twin.path: p.Provenance((p.SMALLER,), 10), png.path: p.Provenance((), 0)}
    # A person (or a rule chain) keeps the small file: the big one is still the original (it
    # is what the small one was made from), the small one's byte-identical twin is an
    # identical copy, and a PNG with the same pixels is a format conversion.
    labels = relabel_for_keeper(group, assessed, [small.path])
    assert labels[small.path].labels == (p.SMALLER,)
    assert labels[big.path].labels == (p.ORIGINAL,)
    assert labels[twin.path].labels == (IDENTICAL_COPY,)
    assert labels[png.path].labels == (p.CONVERTED,)
    # Judged again for another keeper, from the group-wide labels, not the relative ones.
    again = relabel_for_keeper(group, labels, [big.path])
    assert again[big.path].label == p.ORIGINAL
    assert again[small.path].labels == (p.SMALLER,)
    assert again[png.path].labels == (p.SMALLER,)  # smaller than this keeper
    assert [again[f.path].score for f in group.files] == [0, 10, 10, 0]  # ranking unchanged


def test_a_smaller_label_is_dropped_next_to_a_smaller_keeper() -> None:
    big, small = _file("a/big.jpg", 1000, 800), _file("b/small.jpg", 500, 400)
    group = Group((big, small), ())
    assessed = {big.path: p.Provenance((p.UPSCALED,), 100),
                small.path: p.Provenance((p.SMALLER,), 10)}
    proposal = propose(group, DEFAULT_CHAIN, provenance=assessed)
    assert proposal.keep == (small.path,)
    labels = relabel_for_keeper(group, assessed, proposal.keep)
    assert labels[big.path].labels == (p.UPSCALED,)
    assert proposal.reason.endswith("the other is an upscale")


def test_a_byte_identical_copy_is_called_identical_in_the_reason(tmp_path: Path) -> None:
    original = camera_jpeg(photo(8, SIZE), tmp_path / "DCIM/IMG_0008.JPG")
    twin = tmp_path / "backup/IMG_0008.JPG"
    twin.parent.mkdir()
    shutil.copy2(original, twin)
    plain = group_of(original, twin)
    group = Group(plain.files, (Pair(str(original), str(twin), "same bytes", 0, IDENTICAL),))
    proposals, provenance = proposals_for([group])
    assert proposals[0].keep == (str(original),)
    assert provenance[str(twin)].labels == (IDENTICAL_COPY,)


def _file(path: str, width: int, height: int, fmt: str = "JPEG") -> GroupFile:
    return GroupFile(f"/photos/{path}", width * height // 4, 0, width, height, fmt)


def test_camera_data_outweighs_pixels_an_upscale_can_fake(tmp_path: Path) -> None:
    """A sharpened upscale (as AI upscalers make) without the camera data: more pixels and as
    much detail per pixel, but a re-save cannot give camera data back."""
    source = photo(10, SIZE)
    original = camera_jpeg(source, tmp_path / "a/IMG_0010.JPG")
    big = source.resize((1280, 960), Image.Resampling.LANCZOS)
    upscale = save(big.filter(ImageFilter.UnsharpMask(2, 250, 0)), tmp_path / "b/IMG_0010.jpg",
                   quality=92)
    group = group_of(original, upscale)
    proposals, provenance = proposals_for([group])
    assert proposals[0].keep == (str(original),)
    assert provenance[str(upscale)].label == p.STRIPPED
    assert provenance[str(original)].label == p.ORIGINAL  # not "smaller re-save": it won
    assert proposals[0].reason == ("kept: the original camera photo; the other is a re-save "
                                   "without camera data")


def clipped(image: Image.Image) -> Image.Image:
    """A photo whose top and right parts are clipped to flat black, white and grey (blown
    highlights, crushed shadows): flat like a frame, but of several colours on every side."""
    w, h = image.size
    canvas = image.copy()
    draw = ImageDraw.Draw(canvas)
    top, right = h // 3, w * 2 // 3
    for i, shade in enumerate(((0, 0, 0), (255, 255, 255), (128, 128, 128))):
        draw.rectangle((i * w // 3, 0, (i + 1) * w // 3, top), fill=shade)
    for i, shade in enumerate(((255, 255, 255), (0, 0, 0), (120, 20, 10))):
        draw.rectangle((right, top + i * (h - top) // 3, w, top + (i + 1) * (h - top) // 3),
                       fill=shade)
    return canvas


def test_clipped_highlights_are_no_frame_and_the_crop_is_not_the_keeper(tmp_path: Path) -> None:
    source = clipped(photo(11, SIZE))
    original = camera_jpeg(source, tmp_path / "DCIM/IMG_0011.JPG")
    crop = camera_jpeg(source.crop((0, 160, 426, 480)), tmp_path / "Pictures/IMG_0011.jpg")
    proposals, provenance = proposals_for([group_of(original, crop)])
    # the crop kept its camera data: kept beside, most likely the person's (camera_edits.py)
    assert proposals[0].keep == (str(original), str(crop))
    assert provenance[str(crop)].label == p.CROPPED


def test_an_edits_folder_is_where_edited_copies_land() -> None:
    assert derived_kinds("/home/me/Desktop/edits/IMG_1.jpg") == 1
    assert derived_kinds("/home/me/Pictures/Edit/IMG_1.jpg") == 1
    assert derived_kinds("/home/me/Credits/IMG_1.jpg") == 0  # no word "edit" in it


def tone_edited(original: Path, path: Path, camera: bool = True) -> Path:
    """Contrast and saturation raised, saved at quality 97 (with the original's camera EXIF,
    as editors keep it, or without, as a messenger shares it)."""
    with Image.open(original) as decoded:
        brighter = ImageEnhance.Color(ImageEnhance.Contrast(decoded).enhance(1.4)).enhance(1.3)
        exif = decoded.getexif() if camera else Image.Exif()
    return save(brighter, path, quality=97, exif=exif)


def test_a_tone_edit_is_told_by_its_combed_histogram(tmp_path: Path) -> None:
    """Contrast and saturation raised, camera data kept, exported at a higher quality (more
    bytes): the histogram comb the edit leaves says which is the copy. A plain re-save of the
    same pixels is no tone edit."""
    source = photo(13, SIZE)
    original = camera_jpeg(source, tmp_path / "a/IMG_0013.JPG")
    edited = tone_edited(original, tmp_path / "b/IMG_0013.JPG")
    with Image.open(original) as decoded:
        resave = camera_jpeg(decoded.copy(), tmp_path / "c/IMG_0013.JPG")
    assert edited.stat().st_size > original.stat().st_size  # "largest file" would keep it
    proposals, provenance = proposals_for([group_of(original, edited)])
    assert proposals[0].keep[0] == str(original)
    assert provenance[str(edited)].label == p.FILTERED
    _, plain = proposals_for([group_of(original, resave)])
    assert p.FILTERED not in plain[str(original)].labels + plain[str(resave)].labels


def _camera_exif(size: tuple[int, int]) -> Image.Exif:
    """What a camera writes, with the pixel size it stored (PixelX/YDimension)."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS 80D"
    sub = exif.get_ifd(0x8769)
    sub[0xA002], sub[0xA003] = size
    return exif


def test_an_upscale_that_kept_the_camera_exif_is_told_by_the_size_the_camera_wrote(
        tmp_path: Path) -> None:
    """Camera data on both, and a sharpened upscale as detailed per pixel as the original: the
    pixels cannot tell them apart, but the EXIF the upscaler copied still says 640×480."""
    source = photo(10, SIZE)
    exif = _camera_exif(SIZE)
    original = tmp_path / "DCIM/IMG_0010.JPG"
    original.parent.mkdir(parents=True)
    source.save(original, "JPEG", quality=92, exif=exif)
    big = source.resize((1280, 960), Image.Resampling.LANCZOS)
    upscale = tmp_path / "DCIM/IMG_0011.JPG"  # a name that says nothing
    big.filter(ImageFilter.UnsharpMask(2, 250, 0)).save(upscale, "JPEG", quality=95, exif=exif)
    turned = tmp_path / "DCIM/IMG_0012.JPG"  # a lossless-style turn keeps the tags: no upscale
    source.rotate(90, expand=True).save(turned, "JPEG", quality=92, exif=exif)
    proposals, provenance = proposals_for([group_of(original, upscale)])
    assert proposals[0].keep == (str(original),)
    assert provenance[str(upscale)].label == p.UPSCALED
    _, turned_labels = proposals_for([group_of(turned, original)])
    assert p.UPSCALED not in turned_labels[str(turned)].labels


def test_a_rule_above_most_original_that_keeps_a_copy_says_the_original_goes(
        tmp_path: Path) -> None:
    """"Largest file" first keeps a padded, bigger copy of a camera photo: the photo's card
    reads "original" (not "smaller re-save" of its own copy) and the reason says the original
    is marked Remove (a real-window check: the reason said only "largest file")."""
    from dedup_gui.engine.actions.keep_rules import Rule, RuleKind
    from tests.engine.actions.test_provenance import padded

    source = photo(21, SIZE)
    original = camera_jpeg(source, tmp_path / "DCIM/IMG_0021.JPG")
    framed = save(padded(source, 0.4), tmp_path / "Downloads/framed.png")
    group = group_of(original, framed)
    chain = (Rule(RuleKind.LARGEST_FILE), *DEFAULT_CHAIN)
    (proposal,), provenance = proposals_for([group], chain=chain)
    assert proposal.keep == (str(framed),) and proposal.remove == (str(original),)
    assert provenance[str(original)].labels == (p.ORIGINAL,)
    assert provenance[str(framed)].labels != (p.ORIGINAL,)
    assert proposal.reason == "largest file (the original, IMG_0021.JPG, is marked Remove)"
    (default,), _ = proposals_for([group])  # the default chain keeps the photo, as before
    assert default.keep == (str(original),) and "marked Remove" not in default.reason


def test_a_google_photos_edit_reads_as_the_persons_own_edit() -> None:
    """Kept beside its original (own_edits.py), the -edited file read "Cropped" or "another
    version of the kept photo" (a Takeout check); it says what it is, and the keeper's
    sentence too. Its byte-identical album copy is an identical copy."""
    from dedup_gui.engine.actions.keeper_reason import keeper_sentence
    from dedup_gui.engine.actions.own_edits import GOOGLE_EDIT as OWN_EDIT
    from dedup_gui.engine.actions.provenance import CROPPED, Provenance
    from dedup_gui.engine.types import Pair

    original = GroupFile("/t/2019/IMG_1.jpg", 9, 1, 4000, 3000, "JPEG")
    edit = GroupFile("/t/2019/IMG_1-edited.jpg", 8, 1, 3600, 2700, "JPEG")
    album = GroupFile("/t/Family/IMG_1-edited.jpg", 8, 1, 3600, 2700, "JPEG")
    group = Group((original, edit, album),
                  (Pair(edit.path, album.path, "identical bytes", 0, "identical"),))
    assessed = {original.path: Provenance((), 0, True), edit.path: Provenance((CROPPED,), 3),
                album.path: Provenance((CROPPED,), 3)}
    both = relabel_for_keeper(group, assessed, [original.path, edit.path])
    assert both[edit.path].labels == (OWN_EDIT, CROPPED)
    assert both[album.path].label == "identical copy"
    alone = relabel_for_keeper(group, assessed, [original.path])
    assert alone[edit.path].label == OWN_EDIT
    assert keeper_sentence(original.path, [edit.path], alone) == (
        "kept: the original camera photo; the other is your own edit of it")


def test_an_edit_that_kept_the_camera_data_is_kept_beside_its_original(tmp_path: Path) -> None:
    """A returning-user check: a photo edited in place (contrast raised, EXIF kept) while its
    old byte copy sat in a backup folder. The backup was kept as "the original camera photo"
    and the edit, the only copy of the person's work, proposed as a filtered copy. The same
    edit without camera data (as a messenger or an app shares it) and a plain smaller re-save
    that kept it are still proposed."""
    source = photo(13, SIZE)  # the tone edit test's photo and edit: its comb is measured
    backup = camera_jpeg(source, tmp_path / "Backup 2021/IMG_1018.JPG")
    edited = tone_edited(backup, tmp_path / "2019/Holiday/IMG_1018.JPG")
    shared = tone_edited(backup, tmp_path / "Shared/IMG-20210101-WA0001.jpg", camera=False)
    with Image.open(backup) as decoded:
        small = save(decoded.resize((320, 240)), tmp_path / "web/IMG_1018.JPG",
                     quality=85, exif=decoded.getexif())
    proposals, provenance = proposals_for([group_of(backup, edited, small, shared)])
    assert provenance[str(edited)].label == p.FILTERED and provenance[str(edited)].camera
    assert proposals[0].keep == (str(backup), str(edited))
    assert proposals[0].remove == tuple(sorted((str(small), str(shared))))
    assert proposals[0].reason.endswith(
        "; also kept, an edit that kept the camera data (most likely yours): "
        "Holiday/IMG_1018.JPG")  # the backup has that name too: its folder tells them apart
    assert "the others are" in proposals[0].reason  # the two proposed, not the edit


def test_a_file_kept_beside_is_named_so_that_no_other_file_reads_as_it() -> None:
    """A real-window check: the backup and the in-place edit were both IMG_1018.jpg, and the
    backup's card read "kept too: an edit ..." as well as the edit's."""
    from dedup_gui.engine.actions.kept_beside import also_kept, beside_why, name_in

    edit = GroupFile("/h/2019/Holiday/IMG_1018.jpg", 9, 0, 10, 10, "JPEG")
    backup = GroupFile("/h/Backup 2021/IMG_1018.jpg", 9, 0, 10, 10, "JPEG")
    deep = GroupFile("/x/Holiday/IMG_1018.jpg", 9, 0, 10, 10, "JPEG")
    other = GroupFile("/h/Backup 2021/IMG_1019.jpg", 9, 0, 10, 10, "JPEG")
    group = Group((edit, backup, other), ())
    assert name_in(group, edit) == "Holiday/IMG_1018.jpg"
    assert name_in(group, other) == "IMG_1019.jpg"
    assert name_in(Group((edit, deep), ()), edit) == "2019/Holiday/IMG_1018.jpg"
    reason = also_kept("kept: the original", "why", [name_in(group, edit), "IMG_1019.jpg"])
    assert beside_why(reason, edit.path) == beside_why(reason, other.path) == "why"
    assert beside_why(reason, backup.path) is None


def test_only_an_edit_of_the_picture_with_the_camera_data_counts_as_the_persons() -> None:
    from dedup_gui.engine.actions.camera_edits import is_camera_edit
    from dedup_gui.engine.actions.provenance import Provenance

    assert is_camera_edit(Provenance((p.FILTERED,), 10, camera=True))
    assert is_camera_edit(Provenance((p.CROPPED, p.SMALLER), 10, camera=True))
    assert not is_camera_edit(Provenance((p.FILTERED,), 10, camera=False))  # a messenger's
    assert not is_camera_edit(Provenance((p.SMALLER, p.LOWER_QUALITY), 5, camera=True))
    assert not is_camera_edit(Provenance((p.EDITED, p.UPSCALED), 10, camera=True))  # Topaz
    assert is_camera_edit(Provenance((), 0, camera=True, assessed=(p.GREYSCALE,)))
    # a contrast edit in place blew the sky out to one white: read as a caption band, and the
    # edit was marked Remove as "a meme of it" (a real-window check); camera data says whose
    assert is_camera_edit(Provenance((p.CAPTIONED,), 10, camera=True))
    assert not is_camera_edit(Provenance((p.CAPTIONED,), 10, camera=False))  # a meme site's


@pytest.mark.parametrize(("tint", "read_as"), [((0.97, 0.99, 1.0), p.CAPTIONED),
                                               ((1.0, 1.0, 1.0), p.SCREENSHOT)])
def test_a_contrast_edit_that_blew_the_sky_out_is_kept_beside(
        tmp_path: Path, tint: tuple[float, float, float], read_as: str) -> None:
    """A contrast edit in place, camera data kept, clipped a pale sky to one flat white: the
    edge reads as a caption band (more clipped, as a photo inside a screenshot's frame), and
    the edit was marked Remove as "a meme of it" (a real-window check). With the camera data
    kept, it is the person's own: kept beside."""
    pixels = np.asarray(photo(21, SIZE)).copy()
    sky = np.linspace(228, 242, SIZE[0])[None, :, None] + \
        np.random.default_rng(0).normal(0, 2, (SIZE[1] // 3, SIZE[0], 1))
    pixels[: SIZE[1] // 3] = np.clip(sky * np.array(tint), 0, 255).astype(np.uint8)
    backup = camera_jpeg(Image.fromarray(pixels), tmp_path / "Backup 2021/IMG_1018.jpg")
    edit = tone_edited(backup, tmp_path / "2019/IMG_1018.jpg")
    group = group_of(backup, edit)
    provenance = labels_of(group)
    assert read_as in provenance[str(edit)].labels  # what made it a copy before
    proposal = propose(group, DEFAULT_CHAIN, provenance=provenance)
    assert proposal.keep == (str(backup), str(edit)) and proposal.remove == ()
    assert proposal.reason == ("kept: the original camera photo; also kept, an edit that kept "
                               "the camera data (most likely yours): 2019/IMG_1018.jpg")
    card = relabel_for_keeper(group, provenance, proposal.keep)[str(edit)]
    assert card.label == p.EDITED and read_as not in card.labels  # not "a meme", kept
    # its Facebook download (no camera data, smaller) goes, and reads as the edit it copies,
    # not "Captioned/meme" (a DSLR check)
    with Image.open(edit) as decoded:
        shared = save(decoded.resize((480, 360)), tmp_path / "Facebook/FB_IMG_1.jpg", quality=85)
    files = group_of(backup, edit, shared).files
    group = Group(files, (Pair(str(edit), str(shared), "re-saved", 0, "resaved"),))
    provenance = labels_of(group)
    frames = {p.CAPTIONED, p.SCREENSHOT, p.PADDED}
    assert frames & set(provenance[str(shared)].labels)
    proposal = propose(group, DEFAULT_CHAIN, provenance=provenance)
    assert proposal.remove == (str(shared),)
    card = relabel_for_keeper(group, provenance, proposal.keep)[str(shared)]
    assert card.label == p.EDITED and not frames & set(card.labels)


def test_a_kept_camera_edit_reads_as_the_edit_it_is_not_as_a_smaller_re_save() -> None:
    """A photographer's check: Lightroom exports (2048 px, a colour edit, camera data kept)
    were kept as their edits but read "Origin: Smaller re-save"."""
    from dedup_gui.engine.actions.provenance import Provenance

    original = GroupFile("/p/Camera/DSC_0102.JPG", 9, 0, 3000, 2000, "JPEG")
    export = GroupFile("/p/Exports/DSC_0102.jpg", 5, 0, 2048, 1365, "JPEG")
    group = Group((original, export), (Pair(original.path, export.path, "re-saved", 2,
                                            "resaved"),))
    assessed = {original.path: Provenance((), 0, camera=True),
                export.path: Provenance((p.SMALLER, p.EDITED), 10, camera=True)}
    proposal = propose(group, DEFAULT_CHAIN, provenance=assessed)
    assert proposal.keep == (original.path, export.path)
    labels = relabel_for_keeper(group, assessed, proposal.keep)
    assert labels[export.path].labels == (p.EDITED, p.SMALLER)
    assert labels[original.path].label == p.ORIGINAL
