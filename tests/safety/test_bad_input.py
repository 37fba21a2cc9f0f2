"""Bad input, each kind a real file in one library (tests/safety/bad_library.py), scanned whole:
every file gets the right result (it joins its photo's group) or an Issue with a clear reason,
and nothing stops the scan. Also: folders and files that vanish mid-scan, a rescan from the
cache, the command line on the same library, and file names that are not UTF-8."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pillow_heif
import pytest

from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.progress import STAGE_DISCOVER, STAGE_SIGNALS, ProgressEvent
from dedup_gui.engine.signals import scanner
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import ScanResult
from tests.images import photo
from tests.safety.bad_library import LATIN1_NAME, encode, make_bad_library, write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bad_library(tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Path, list[list[str]], dict[str, str]]:
    root = tmp_path_factory.mktemp("bad") / "library"
    groups, issues = make_bad_library(root)
    return root, groups, issues


def relative(result: ScanResult, root: Path) -> tuple[list[list[str]], dict[str, str]]:
    groups = sorted(sorted(os.path.relpath(f.path, root) for f in g.files) for g in result.groups)
    issues = {os.path.relpath(i.path, root): i.reason for i in result.issues}
    return groups, issues


def scan(root: Path, cache: Cache, **params: object) -> ScanResult:
    return run_scan(ScanParams((str(root),), embeddings=False, workers=2, **params), cache)


@pytest.fixture(scope="module")
def first_scan(bad_library, tmp_path_factory: pytest.TempPathFactory) -> tuple[ScanResult, Path]:
    root = bad_library[0]
    db = tmp_path_factory.mktemp("cache") / "cache.sqlite3"
    cache = Cache(db)
    try:
        return scan(root, cache), db
    finally:
        cache.close()


def test_every_hard_copy_joins_its_photos_group(bad_library, first_scan) -> None:
    root, expected_groups, _ = bad_library
    groups, _ = relative(first_scan[0], root)
    assert groups == sorted(expected_groups)
    if pillow_heif.libheif_info().get("HEIF"):
        assert "one/phone.heic" in groups[0]


def test_every_broken_file_is_an_issue_with_its_reason(bad_library, first_scan) -> None:
    root, _, expected_issues = bad_library
    result = first_scan[0]
    assert relative(result, root)[1] == expected_issues
    assert result.stats.failed == len(expected_issues) - 1  # the loop is a folder issue
    assert result.warnings == ()


def test_a_rescan_reads_everything_from_the_cache_and_agrees(bad_library, first_scan) -> None:
    root = bad_library[0]
    cache = Cache(first_scan[1])
    try:
        again = scan(root, cache)
    finally:
        cache.close()
    assert relative(again, root) == relative(first_scan[0], root)
    assert again.stats.decoded == 0 and again.warnings == ()


def test_the_embedding_scan_agrees(bad_library) -> None:
    root, expected_groups, expected_issues = bad_library
    result = run_scan(ScanParams((str(root),), workers=1), Cache(None))
    assert relative(result, root) == (sorted(expected_groups), expected_issues)


def _small_library(root: Path) -> None:
    data = encode(photo(21, (320, 240)), "JPEG", quality=90)
    for folder in ("a", "b", "c"):
        write(root / folder / "copy.jpg", data)
    write(root / "c" / "other.jpg", encode(photo(22, (320, 240)), "JPEG", quality=90))


def test_a_folder_that_vanishes_mid_walk_is_an_issue(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _small_library(tmp_path)
    monkeypatch.setattr(scanner, "_REPORT_SECONDS", 0.0)  # an event per folder, unthrottled
    removed: list[str] = []

    def remove_c(event: ProgressEvent) -> None:  # at a/: the root is listed, c/ not yet walked
        if event.stage == STAGE_DISCOVER and event.detail == str(tmp_path / "a"):
            shutil.rmtree(tmp_path / "c")
            removed.append("c")

    result = run_scan(ScanParams((str(tmp_path),), embeddings=False), Cache(None), remove_c)
    assert removed == ["c"]
    assert relative(result, tmp_path) == (
        [["a/copy.jpg", "b/copy.jpg"]], {"c": "can't open folder: it disappeared during the scan"})


def test_a_file_that_vanishes_before_it_is_read_is_an_issue(tmp_path: Path) -> None:
    _small_library(tmp_path)
    other = tmp_path / "c" / "other.jpg"

    def remove_other(event: ProgressEvent) -> None:
        if event.stage == STAGE_SIGNALS and other.exists():
            other.unlink()

    result = run_scan(ScanParams((str(tmp_path),), embeddings=False), Cache(None), remove_other)
    assert relative(result, tmp_path) == (
        [["a/copy.jpg", "b/copy.jpg", "c/copy.jpg"]], {"c/other.jpg": "file not found"})


def test_the_command_line_reports_every_issue_and_exits_cleanly(bad_library,
                                                                tmp_path: Path) -> None:
    root, expected_groups, expected_issues = bad_library
    broken = Path(os.fsdecode(os.fsencode(tmp_path / "extra") + b"/" + LATIN1_NAME))
    write(broken, b"not a picture")  # a name that is not UTF-8 is printed, not a crash
    out = tmp_path / "result.json"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "dedup_gui", "scan", str(root), str(broken.parent), "--json",
         str(out), "--no-embeddings", "--cache", str(tmp_path / "c.db"), "--workers", "2"],
        capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr
    assert os.fsencode(broken) + b": not an image" in done.stdout
    report = json.loads(out.read_bytes().decode("utf-8", "surrogateescape"))
    issues = {os.path.relpath(i["path"], root): i["reason"] for i in report["issues"]}
    assert {k: v for k, v in issues.items() if not k.startswith("..")} == expected_issues
    assert len(report["groups"]) == len(expected_groups)
