"""A JPEG re-saved from another at finer quality, with the same camera data: it is read as the
re-save (resave_lattice.py), so the file it was made from is kept (a family's first-user check:
a shared-album download at quality 96 beat the phone's own file by "largest file")."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from dedup_gui.engine.actions import provenance as p
from dedup_gui.engine.actions.keep_rules import DEFAULT_CHAIN, propose
from dedup_gui.engine.actions.provenance_facts import read_facts
from dedup_gui.engine.actions.resave_lattice import DERIVED_BELOW, distances, resaved_from
from tests.engine.actions.test_provenance import group_of
from tests.images import photo


def camera(image: Image.Image, path: Path, quality: int) -> Path:
    """A phone's file: make, model and date in EXIF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0132] = "samsung", "SM-S911B", "2024:07:04 15:30:12"
    image.save(path, "JPEG", quality=quality, exif=exif)
    return path


def resave(source: Path, path: Path, quality: int) -> Path:
    """Decoded and saved again, camera data kept (a download, an editor's plain save)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        image.convert("RGB").save(path, "JPEG", quality=quality, exif=image.getexif())
    return path


@pytest.fixture
def picture() -> Image.Image:
    return photo(41, (1024, 768))


def test_a_finer_resave_with_the_camera_data_gives_way_to_its_source(
        tmp_path: Path, picture: Image.Image) -> None:
    phone = camera(picture, tmp_path / "Dad/20240704_153012.jpg", 80)
    download = resave(phone, tmp_path / "Shared/20240704_153012.jpg", 96)
    assert download.stat().st_size > phone.stat().st_size  # "largest file" kept it before
    group = group_of(phone, download)
    provenance = p.assess(group, {f.path: read_facts(f.path) for f in group.files})
    assert provenance[str(download)].labels == (p.RESAVED_FROM,)
    assert provenance[str(phone)].labels == ()
    proposal = propose(group, DEFAULT_CHAIN, provenance=provenance)
    assert proposal.keep == (str(phone),)
    assert proposal.reason == "kept: the original camera photo; the other is a re-save of it"


def test_two_files_saved_from_one_picture_are_not_read_as_a_resave(
        tmp_path: Path, picture: Image.Image) -> None:
    """Siblings (both saved from the same pixels) and an original beside its own coarser
    re-save spread evenly around the other's lattice: nothing is said, largest file decides."""
    coarse = camera(picture, tmp_path / "a/IMG_0101.JPG", 80)
    fine = camera(picture, tmp_path / "b/IMG_0101.JPG", 96)
    original = camera(picture, tmp_path / "c/IMG_0202.JPG", 95)
    its_copy = resave(original, tmp_path / "d/IMG_0202.JPG", 75)
    for copy, source in ((fine, coarse), (original, its_copy)):
        (measured,) = distances(str(copy), [str(source)])
        assert DERIVED_BELOW < measured < 0.35
        assert not resaved_from(str(copy), [str(source)])
    group = group_of(coarse, fine)
    provenance = p.assess(group, {f.path: read_facts(f.path) for f in group.files})
    assert all(p.RESAVED_FROM not in v.labels for v in provenance.values()), provenance
    assert propose(group, DEFAULT_CHAIN, provenance=provenance).keep == (str(fine),)


def test_a_chain_of_resaves_reads_each_as_one(tmp_path: Path, picture: Image.Image) -> None:
    phone = camera(picture, tmp_path / "Mom/IMG_0456.JPG", 75)
    first = resave(phone, tmp_path / "Kid/IMG_0456.JPG", 90)
    second = resave(first, tmp_path / "Backup/IMG_0456.JPG", 98)
    assert resaved_from(str(first), [str(phone)])
    assert resaved_from(str(second), [str(first), str(phone)])
    group = group_of(phone, first, second)
    provenance = p.assess(group, {f.path: read_facts(f.path) for f in group.files})
    assert propose(group, DEFAULT_CHAIN, provenance=provenance).keep == (str(phone),)


def test_what_cannot_be_compared_says_nothing(tmp_path: Path, picture: Image.Image) -> None:
    phone = camera(picture, tmp_path / "IMG_1.JPG", 80)
    png = tmp_path / "IMG_1.png"
    picture.save(png)
    smaller = tmp_path / "small.jpg"
    Image.open(phone).resize((512, 384)).save(smaller, quality=96)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(phone.read_bytes()[:2000])
    finer = resave(phone, tmp_path / "fine.jpg", 96)
    assert not resaved_from(str(png), [str(phone)])  # no JPEG lattice of its own
    assert not resaved_from(str(finer), [str(png)])  # a source without one
    assert not resaved_from(str(smaller), [str(phone)])  # another size: another grid
    assert not resaved_from(str(broken), [str(phone)])
    assert not resaved_from(str(finer), [str(tmp_path / "gone.jpg")])
    assert not resaved_from(str(phone), [str(finer)])  # the source is the coarser one
    assert resaved_from(str(finer), [str(phone)])


def test_two_files_saved_from_one_coarser_file_are_cousins_not_a_resave(
        tmp_path: Path, picture: Image.Image, monkeypatch: pytest.MonkeyPatch) -> None:
    """A picture at quality 72 saved again at 92, and flipped at 86 (eval_plain: the 92 was
    read as a re-save of the 86, whose steps are half the 72's, and the flip was kept)."""
    from dedup_gui.engine.actions import resave_lattice

    old = tmp_path / "old.jpg"
    picture.save(old, "JPEG", quality=72)
    ancestor = Image.open(old).convert("RGB")
    original = tmp_path / "Pictures/IMG_1.jpg"
    flipped = tmp_path / "edits/IMG_2.jpg"
    for path, image, quality in ((original, ancestor, 92),
                                 (flipped, ancestor.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                                  86)):
        path.parent.mkdir(parents=True)
        image.save(path, "JPEG", quality=quality)
    assert not resaved_from(str(original), [str(flipped)])
    monkeypatch.setattr(resave_lattice, "ANCESTOR_SHARE", 0.0)  # the lattice alone: misread
    assert resaved_from(str(original), [str(flipped)])

