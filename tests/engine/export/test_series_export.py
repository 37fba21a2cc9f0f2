"""Similar-shot series in the JSON export: apart from the duplicate groups, with the best shot
and what "keep the best of each series" would move."""

from __future__ import annotations

import json

from dedup_gui.engine.export.results import summary, write_json
from dedup_gui.engine.types import Capture, GroupFile, Pair, ScanResult, ScanStats, Series


def test_series_are_exported_apart_and_never_counted_as_duplicates(tmp_path) -> None:
    shots = tuple(GroupFile(f"/p/IMG_{i}.JPG", 1000 + i, 0, 40, 30, "JPEG",
                            capture=Capture(i * 300_000_000, False, "Canon", "EOS R6"))
                  for i in range(3))
    pair = Pair(shots[0].path, shots[1].path, "similar shot (taken 0.3 s apart)", 2, "similar")
    series = Series(shots, (pair,), shots[1].path, "sharpest of 3, 0% clipped")
    result = ScanResult((), (), ScanStats(files=3), series=(series,))
    out = tmp_path / "r.json"
    write_json(result, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["groups"] == [] and summary(result)["reclaimable_bytes"] == 0
    (exported,) = data["similar_series"]
    assert exported["best"] == "/p/IMG_1.JPG"
    assert exported["others"] == ["/p/IMG_0.JPG", "/p/IMG_2.JPG"]
    assert exported["pairs"][0]["tier"] == "similar"
