"""`dedup-gui evaluate` as users run it: a subprocess on a small generated library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.library import EXPECTED_GROUPS, make_library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("library"))


def evaluate(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "dedup_gui", "evaluate", "--no-embeddings", "--no-cache",
               "-q", *args]
    return subprocess.run(command, capture_output=True, text=True, env=dict(os.environ),
                          timeout=120)


def test_groups_truth_report_and_json(library: Path, tmp_path: Path) -> None:
    truth = tmp_path / "groups.json"
    # one true pair that a hash scan cannot find: photo3 is not a copy of two.jpg
    truth.write_text(json.dumps([*EXPECTED_GROUPS, ["a/two.jpg", "other/photo3.jpg"]]))
    out = tmp_path / "report.json"
    run = evaluate("--truth", str(truth), str(library), "--json", str(out))
    assert run.returncode == 0, run.stderr
    assert "precision 1.000  recall 0.875" in run.stdout  # 7 of 6 + 1 + 1 true pairs
    assert "7 of 8 true pairs found" in run.stdout and "recall: the share of" in run.stdout
    assert "false negatives (true, not found): 1" in run.stdout
    assert "other/photo3.jpg" in run.stdout and "no match at these thresholds" in run.stdout
    assert "unreadable: " in run.stdout and "broken.jpg" in run.stdout
    data = json.loads(out.read_text())
    assert data["pairs"]["found"] == 7 and data["pairs"]["expected"] == 8
    assert data["settings"]["embeddings"] is False
    assert (data["groups"]["exact"], data["groups"]["missed"]) == (2, 1)
    assert {"map", "ndcg", "jaccard"} <= set(data["retrieval"])
    assert data["false_negatives"][0]["evidence"]["hash_distance"] > 10


def test_imagededup_mapping_truth(library: Path, tmp_path: Path) -> None:
    mapping = {name: [other for other in group if other != name]
               for group in EXPECTED_GROUPS for name in group}
    mapping["other/photo3.jpg"] = []
    truth = tmp_path / "mapping.json"
    truth.write_text(json.dumps(mapping))
    run = evaluate("--truth", str(truth), str(library))
    assert run.returncode == 0, run.stderr
    assert "precision 1.000  recall 1.000  F1 1.000" in run.stdout
    assert "MAP 1.000  NDCG 1.000  Jaccard 1.000" in run.stdout
    assert "2 exact, 0 merged with others, 0 split, 0 missed" in run.stdout


@pytest.mark.parametrize(("content", "message"), [
    ("[[1, 2]]", "group 1 is not a list of paths"),
    ("{oops", "is not valid JSON"),
    ('[["x/none.jpg", "y/none.jpg"]]', "none of the 2 files in"),
])
def test_a_bad_truth_file_is_one_line_and_exit_2(library: Path, tmp_path: Path,
                                                 content: str, message: str) -> None:
    truth = tmp_path / "bad.json"
    truth.write_text(content)
    run = evaluate("--truth", str(truth), str(library))
    assert run.returncode == 2
    assert run.stderr.startswith("dedup-gui: error: ") and message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert run.stdout == ""


def test_truth_is_required(library: Path) -> None:
    run = evaluate(str(library))
    assert run.returncode == 2 and "--truth" in run.stderr


def test_a_truth_without_groups_says_only_false_positives_are_measured(
        library: Path, tmp_path: Path) -> None:
    """An empty truth reported "recall 1.000" and nothing else (a curator's check)."""
    truth = tmp_path / "groups.json"
    truth.write_text("[]")
    run = evaluate("--truth", str(truth), str(library))
    assert run.returncode == 0
    assert "holds no group of duplicates: only false positives can be measured" in run.stderr
