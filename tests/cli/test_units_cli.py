"""Capture units through the CLI: companions in the JSON and CSV, and --raw-jpeg-duplicates."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from dedup_gui.engine.export.results import COMPANION_SEPARATOR
from tests.cli.test_cli import dedup
from tests.images import photo, save
from tests.units import raw_bytes, xmp


def shot(root: Path) -> Path:
    lead = save(photo(3, (160, 120)), root / "a/IMG_1.JPG", quality=90)
    (root / "a/IMG_1.CR2").write_bytes(raw_bytes(3))
    (root / "a/IMG_1.JPG.xmp").write_bytes(xmp(2))
    (root / "b").mkdir()
    shutil.copy(lead, root / "b/IMG_1.JPG")
    return lead


def scan_outputs(root: Path, *flags: str) -> tuple[dict, list[dict]]:
    run = dedup("scan", str(root), "--json", str(root / "out.json"), "--csv",
                str(root / "out.csv"), "--no-cache", *flags)
    assert run.returncode == 0, run.stderr
    with (root / "out.csv").open(encoding="utf-8") as handle:
        return json.loads((root / "out.json").read_text(encoding="utf-8")), list(
            csv.DictReader(handle))


def test_json_and_csv_list_each_files_companions(tmp_path: Path) -> None:
    lead = shot(tmp_path)
    data, rows = scan_outputs(tmp_path)
    files = {f["path"]: f for f in data["groups"][0]["files"]}
    assert files[str(lead)]["companions"] == [str(lead.with_name("IMG_1.CR2")),
                                              str(lead.with_name("IMG_1.JPG.xmp"))]
    assert files[str(tmp_path / "b/IMG_1.JPG")]["companions"] == []
    cells = {row["path"]: row["companions"] for row in rows}
    assert cells[str(lead)].split(COMPANION_SEPARATOR) == ["IMG_1.CR2", "IMG_1.JPG.xmp"]
    assert data["params"]["raw_jpeg_duplicates"] is False


def test_raw_jpeg_duplicates_flag_leaves_the_raw_out_of_the_unit(tmp_path: Path) -> None:
    lead = shot(tmp_path)
    data, _ = scan_outputs(tmp_path, "--raw-jpeg-duplicates")
    files = {f["path"]: f for f in data["groups"][0]["files"]}
    assert files[str(lead)]["companions"] == [str(lead.with_name("IMG_1.JPG.xmp"))]
    assert data["params"]["raw_jpeg_duplicates"] is True
