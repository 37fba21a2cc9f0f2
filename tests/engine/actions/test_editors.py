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
