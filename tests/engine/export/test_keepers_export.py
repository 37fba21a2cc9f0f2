"""JSON and CSV carry, per file, whether it is kept and how it was made, and per group why."""

from __future__ import annotations

import csv
import io

from dedup_gui.engine.export.results import Keepers, to_json_dict, write_csv
from dedup_gui.engine.types import Group, GroupFile, Pair, ScanResult, ScanStats


def _result() -> ScanResult:
    files = (GroupFile("/p/DCIM/a.jpg", 10, 1, 8, 8, "JPEG"),
             GroupFile("/p/shot.png", 20, 2, 9, 9, "PNG"))
    group = Group(files, (Pair(files[0].path, files[1].path, "cosine 0.95", -1, "edited"),))
    return ScanResult((group,), (), ScanStats(files=2))


KEEPERS = Keepers([{"/p/shot.png"}], ["kept: the original; the other is a screenshot of it"],
                  {"/p/DCIM/a.jpg": "original", "/p/shot.png": "screenshot of the photo"})


def test_json_has_keep_origin_and_the_keeper_reason() -> None:
    group = to_json_dict(_result(), keepers=KEEPERS)["groups"][0]
    assert group["keeper_reason"] == KEEPERS.reasons[0]
    assert [(f["keep"], f["origin"]) for f in group["files"]] == [
        (True, "original"), (False, "screenshot of the photo")]
    plain = to_json_dict(_result())["groups"][0]  # without a proposal: the old format
    assert "keeper_reason" not in plain and "keep" not in plain["files"][0]


def test_csv_has_keep_origin_and_the_keeper_reason() -> None:
    out = io.StringIO()
    write_csv(_result(), out, KEEPERS)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["keep"], r["origin"]) for r in rows] == [
        ("true", "original"), ("false", "screenshot of the photo")]
    assert {r["keeper_reason"] for r in rows} == {KEEPERS.reasons[0]}
