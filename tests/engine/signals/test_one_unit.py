"""unit_of: one file's capture unit found outside a scan, by the scan's own pairing rules."""

from __future__ import annotations

from pathlib import Path

from dedup_gui.engine.signals.one_unit import unit_of
from tests.images import photo, save
from tests.raws import write_dng


def test_a_photo_its_raw_and_its_sidecar_are_one_unit_from_either_side(tmp_path: Path) -> None:
    picture = photo(7)
    jpeg = save(picture, tmp_path / "IMG_0007.JPG", quality=90)
    raw = tmp_path / "IMG_0007.dng"
    write_dng(raw, picture)
    sidecar = tmp_path / "IMG_0007.xmp"
    sidecar.write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    other = save(photo(8), tmp_path / "IMG_0008.JPG", quality=90)
    assert unit_of(str(jpeg))[0] == (str(raw), str(sidecar))
    assert set(unit_of(str(raw))[0]) == {str(jpeg), str(sidecar)}
    assert unit_of(str(other))[0] == ()
    assert unit_of(str(tmp_path / "gone" / "IMG_0009.JPG"))[0] == ()  # no folder: alone
