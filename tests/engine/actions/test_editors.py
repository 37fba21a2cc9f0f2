"""Files saved by a photo editor, named in EXIF Software, are the person's edits: kept beside
the file they were made from (provenance.EDITED, camera_edits.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.actions.keep_rules import DEFAULT_CHAIN, propose
from dedup_gui.engine.actions.provenance_facts import read_facts
from dedup_gui.engine.types import Group
from tests.engine.actions.test_provenance import group_of
from tests.images import photo


@pytest.mark.parametrize("software", ["Krita 5.2.2", "Photopea", "DxO PhotoLab 7",
                                      "PhotoScape X", "MyHeritage"])
def test_a_restoration_saved_by_an_editor_is_kept_beside_its_scan(
        tmp_path: Path, software: str) -> None:
    """A digitised-prints check: a scan (TIFF, the scanner's make and model) and its colour
    restoration saved as JPEG by an editor whose name the list lacked: their grey levels agree
    (a "re-saved" pair), the codecs differ (no tone comb read across them), so the restoration
    was a "format conversion" of the scan and proposed for the Trash."""
    from PIL import ImageEnhance

    from dedup_gui.engine.types import Pair

    picture = photo(41, (1024, 768))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "EPSON", "Perfection V600"
    scan = tmp_path / "Scans/Album1_p03.tif"
    scan.parent.mkdir()
    picture.save(scan, compression="tiff_lzw", exif=exif)
    exif[0x0131] = software
    restored = tmp_path / "Restored/Album1_p03.jpg"
    restored.parent.mkdir()
    ImageEnhance.Color(picture).enhance(1.3).save(restored, quality=95, exif=exif)
    files = group_of(scan, restored).files
    group = Group(files, (Pair(str(scan), str(restored), "same picture re-saved", 2,
                               "resaved"),))
    provenance = p.assess(group, {f.path: read_facts(f.path) for f in group.files})
    assert p.EDITED in provenance[str(restored)].labels
    assert set(propose(group, DEFAULT_CHAIN, provenance=provenance).keep) == \
        {str(scan), str(restored)}


def test_an_edit_exported_smaller_is_kept_and_a_plain_smaller_copy_is_not(
        tmp_path: Path) -> None:
    """A couple's check: brightened, warmer and more saturated 2048-px exports that kept the
    camera data (no editor named) read "smaller re-save" of their originals and were proposed:
    the tone test compared pictures of one size only (tone_shift.py)."""
    from PIL import ImageEnhance

    from dedup_gui.engine.types import Pair

    picture = photo(52, (1600, 1200))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "FUJIFILM", "X-T4"
    original = tmp_path / "Camera card 1/DSCF0011.JPG"
    original.parent.mkdir()
    picture.save(original, quality=92, exif=exif)
    (tmp_path / "Exports").mkdir()
    edits = {"bright": ImageEnhance.Brightness(picture).enhance(1.15),
             "contrast": ImageEnhance.Contrast(picture).enhance(1.25),
             "saturated": ImageEnhance.Color(picture).enhance(1.4)}
    paths = []
    for name, edited in edits.items():
        paths.append(tmp_path / f"Exports/DSCF0011-{name}.jpg")
        edited.resize((800, 600), Image.Resampling.LANCZOS).save(paths[-1], quality=90,
                                                                   exif=exif)
    plain = tmp_path / "Exports/DSCF0011-small.jpg"
    picture.resize((800, 600), Image.Resampling.LANCZOS).save(plain, quality=90, exif=exif)
    files = group_of(original, plain, *paths).files
    group = Group(files, tuple(Pair(str(original), f.path, "same picture re-saved", 2,
                                    "resaved") for f in files if f.path != str(original)))
    provenance = p.assess(group, {f.path: read_facts(f.path) for f in group.files})
    for path in paths:
        assert p.FILTERED in provenance[str(path)].labels, path
    assert provenance[str(plain)].labels == (p.SMALLER,)
    proposal = propose(group, DEFAULT_CHAIN, provenance=provenance)
    assert set(proposal.keep) == {str(original), *map(str, paths)}
    assert proposal.remove == (str(plain),)


def test_the_original_of_a_kept_edit_is_kept_too(tmp_path: Path) -> None:
    """A couple's check: both iPhones 14 fired at one instant (an "edited copy" pair), the
    partner's file kept by "largest file", my brightened 2048-px export of mine kept as my
    edit, and my own original proposed: its re-saved pair with the kept export made it read as
    a copy of the export. An edit is made from its original, not the other way round."""
    from PIL import ImageEnhance

    from dedup_gui.engine.types import Pair

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 14"
    (tmp_path / "My iPhone").mkdir()
    (tmp_path / "Partner iPhone").mkdir()
    (tmp_path / "Exports").mkdir()
    mine, partners = tmp_path / "My iPhone/IMG_1205.JPG", tmp_path / "Partner iPhone/IMG_7706.JPG"
    export = tmp_path / "Exports/IMG_1205.jpg"
    photo(61, (1600, 1200)).save(mine, quality=92, exif=exif)
    photo(62, (1600, 1200)).save(partners, quality=94, exif=exif)  # the larger file
    bright = ImageEnhance.Brightness(Image.open(mine)).enhance(1.2)
    bright.resize((800, 600), Image.Resampling.LANCZOS).save(export, quality=90, exif=exif)
    files = group_of(mine, partners, export).files
    group = Group(files, (Pair(str(export), str(mine), "same picture re-saved", 4, "resaved"),
                          Pair(str(export), str(partners), "edited copy", 20, "edited"),
                          Pair(str(mine), str(partners), "edited copy", 22, "edited")))
    provenance = p.assess(group, {f.path: read_facts(f.path) for f in group.files})
    proposal = propose(group, DEFAULT_CHAIN, provenance=provenance)
    assert set(proposal.keep) == {str(mine), str(partners), str(export)}
