"""Results files read back as engine objects (File ▸ Open results): format 3 keeps the person's
marks and decisions; older files give what they hold; every path exact, whatever its bytes."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from dedup_gui.engine.export.results import Keepers, Review, to_json_dict, write_json
from dedup_gui.engine.export.results_read import ResultsFileError, load_results
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from tests.images import photo, resized_copy, save


def library(root: Path) -> list[str]:
    """Two groups: one photo under four names (one not UTF-8), another photo twice."""
    one = save(photo(1, (320, 240)), root / "a/one.jpg", quality=90)
    save(resized_copy(photo(1, (320, 240)), 0.5), root / "b/one_small.jpg", quality=85)
    shutil.copy(one, root / "b/one_copy.jpg")
    shutil.copy(one, os.fsdecode(os.fsencode(root / "b") + b"/caf\xe9.jpg"))
    two = save(photo(2, (320, 240)), root / "a/two.jpg", quality=90)
    shutil.copy(two, root / "c_two.jpg")
    return [str(one), str(two)]


def without_capture(groups):
    """What a results file holds: the capture data (dates, camera) is read again on opening."""
    return tuple(replace(g, files=tuple(replace(f, capture=None) for f in g.files))
                 for g in groups)


def test_saved_marks_and_decisions_read_back_exactly(tmp_path: Path) -> None:
    library(tmp_path / "lib")
    result = run_scan(ScanParams((str(tmp_path / "lib"),), embeddings=False), Cache(None))
    assert len(result.groups) == 2
    marks = [{f.path for f in g.files[1:]} for g in result.groups]
    odd = next(f.path for g in result.groups for f in g.files if "caf" in f.path)
    keepers = Keepers(marks, ["largest file", "chosen by you"], {odd: "re-saved copy"})
    review = Review(frozenset({1}), frozenset({0, 1}), frozenset({odd}))
    out = tmp_path / "saved.json"
    write_json(result, out, {"roots": [str(tmp_path / "lib")]}, keepers, review)

    saved = load_results(out)
    assert saved.result.groups == without_capture(result.groups)  # sizes, mtimes, pairs: exact
    assert saved.marks == marks
    assert saved.reasons == ["largest file", "chosen by you"]
    assert saved.dismissed == {1} and saved.opened == {0, 1} and saved.moved == {odd}
    assert saved.labels == {odd: "re-saved copy"}
    assert saved.roots == [str(tmp_path / "lib")]


def test_older_files_without_marks_still_open(tmp_path: Path) -> None:
    library(tmp_path / "lib")
    result = run_scan(ScanParams((str(tmp_path / "lib"),), embeddings=False), Cache(None))
    data = to_json_dict(result)  # `dedup-gui scan --json` without keepers
    data["format_version"] = 2
    out = tmp_path / "old.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    saved = load_results(out)
    assert saved.result.groups == without_capture(result.groups)
    assert saved.marks == [None, None] and not saved.dismissed and not saved.moved


@pytest.mark.parametrize("text", ['{"groups": [{"files": [{}]}]}', "[1, 2]", "not json"])
def test_a_file_that_is_not_results_says_so(tmp_path: Path, text: str) -> None:
    out = tmp_path / "other.json"
    out.write_text(text, encoding="utf-8")
    with pytest.raises(ResultsFileError, match="not a dedup-gui results file"):
        load_results(out)
