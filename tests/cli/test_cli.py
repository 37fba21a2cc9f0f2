"""The CLI as users run it: a subprocess, real folders, real output files, real exit codes."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dedup_gui.engine.export.results import CSV_COLUMNS, KEEPER_COLUMNS
from tests.library import EXPECTED_GROUPS, make_library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("library"))


def dedup(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    if args[:1] == ("scan",):  # synthetic photos: hashes only (see tests/engine/test_pipeline)
        args = (*args, "--no-embeddings")
    return subprocess.run([sys.executable, "-m", "dedup_gui", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_scan_writes_json_and_csv_and_prints_a_summary(library: Path, tmp_path: Path) -> None:
    run = dedup("scan", str(library), "--json", str(tmp_path / "out.json"),
                "--csv", str(tmp_path / "out.csv"), "--cache", str(tmp_path / "c.db"))
    assert run.returncode == 0, run.stderr
    assert "2 duplicate groups with 6 files" in run.stdout
    assert "broken.jpg" in run.stdout
    data = json.loads((tmp_path / "out.json").read_text())
    found = [[str(Path(f["path"]).relative_to(library)) for f in g["files"]]
             for g in data["groups"]]
    assert found == EXPECTED_GROUPS
    first = data["groups"][0]["files"][0]
    assert {"path", "size", "width", "height", "format", "mtime", "match"} <= set(first)
    assert (first["width"], first["height"], first["format"]) == (800, 600, "JPEG")
    assert data["groups"][0]["files"][1]["match"] == "identical bytes"
    assert data["summary"]["reclaimable_bytes"] > 0
    with (tmp_path / "out.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS + KEEPER_COLUMNS
    assert len(rows) == 6
    for group in data["groups"]:  # one keeper per group, with the reason and every label
        assert sum(f["keep"] for f in group["files"]) == 1
        assert group["keeper_reason"] and all(f["origin"] for f in group["files"])
    assert {r["keep"] for r in rows} == {"true", "false"}
    assert rows[-1]["match"].startswith("same picture re-saved (phash distance")


def test_cache_path_from_the_environment_and_no_cache(library: Path, tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    first = dedup("scan", str(library), env={"DEDUP_GUI_CACHE": str(db)})
    assert first.returncode == 0 and db.is_file()
    assert "from cache or byte copies" in first.stdout  # an empty cache: byte copies only
    warm = dedup("scan", str(library), env={"DEDUP_GUI_CACHE": str(db)})
    assert "0 decoded" in warm.stdout
    other = tmp_path / "unused.db"
    run = dedup("scan", str(library), "--no-cache", env={"DEDUP_GUI_CACHE": str(other)})
    assert run.returncode == 0 and not other.exists()
    assert "from cache" not in run.stdout  # no cache: what was not decoded is a byte copy
    assert run.stdout.startswith("10 files (1 could not be read), ")  # not "images"


@pytest.mark.parametrize("args, message", [
    (["scan", "/no/such/folder"], "not found: /no/such/folder"),
    (["scan", ".", "--hash", "md5"], "invalid choice"),
    (["scan", ".", "--threshold", "x"], "invalid int value"),
    (["scan", ".", "--threshold", "99"], "threshold must be between 0 and 64"),
    (["scan", ".", "--json", "/no/such/dir/out.json"], "output folder does not exist"),
    (["scan", "/no/such/folder", "--json", "/tmp"], "not found: /no/such/folder"),
    (["scan", ".", "--csv", "/tmp"], "is a folder, not a file: /tmp"),
    (["scan", ".", "--json", "-", "--csv", "-"], "only one of --json and --csv"),
    (["scan", ".", "--threshold", "64"], "--threshold 64 would group unrelated pictures"),
    (["scan", ".", "--threshold", "17"], "use at most 16 (default 10)"),
    (["scan", ".", "--tiers", ",,"], "--tiers names no kind of match"),
    (["scan", ".", "--cache", "a", "--no-cache"], "not allowed with argument"),
    (["frobnicate"], "invalid choice"),
    (["compare", "/no/such.jpg", "/no/other.jpg"], "not a file: /no/such.jpg"),
    (["query", "/no/such.jpg", "."], "not a file: /no/such.jpg"),
    (["query", __file__, ".", "--metric", "hamming"], "invalid choice"),
    (["scan"], "the following arguments are required"),
])
def test_bad_arguments_give_one_line_and_exit_2(args: list[str], message: str) -> None:
    run = dedup(*args)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_json_to_standard_output_leaves_nothing_else_there(library: Path,
                                                           tmp_path: Path) -> None:
    """--json - writes the JSON to standard output and the summary to standard error, so a
    script can pipe it (it wrote a file named "-": a curator's check); so does --csv -."""
    run = dedup("scan", str(library), "--json", "-", "--cache", str(tmp_path / "c.db"))
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)["groups"]) == 2
    assert "2 duplicate groups" in run.stderr
    run = dedup("scan", str(library), "--csv", "-", "--cache", str(tmp_path / "c.db"))
    assert run.returncode == 0 and run.stdout.startswith("group,")


def test_version() -> None:
    run = dedup("--version")
    assert run.returncode == 0 and run.stdout.startswith("dedup-gui ")


def test_a_damaged_cache_is_reported_and_the_scan_still_works(library: Path,
                                                              tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    db.write_bytes(b"garbage" * 1000)
    run = dedup("scan", str(library), "--cache", str(db))
    assert run.returncode == 0
    assert "damaged" in run.stderr
    assert "2 duplicate groups" in run.stdout


def test_the_summary_counts_the_same_space_to_free_as_the_json(tmp_path: Path) -> None:
    """One definition of reclaimable bytes: the printed summary (no --json) is the keeper
    proposal's, not "all but the largest file", which here would keep a stripped PNG copy and
    count the camera original as space to free."""
    from PIL import Image

    from dedup_gui.text import human_bytes
    from tests.images import photo

    library = tmp_path / "library"
    (library / "DCIM").mkdir(parents=True)
    (library / "Downloads").mkdir()
    original = photo(7, (800, 600))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS 80D"
    original.save(library / "DCIM/IMG_0001.JPG", "JPEG", quality=90, exif=exif)
    Image.open(library / "DCIM/IMG_0001.JPG").save(library / "Downloads/IMG_0001.png")
    plain = dedup("scan", str(library), "--cache", str(tmp_path / "c.db"))
    exported = dedup("scan", str(library), "--cache", str(tmp_path / "c.db"),
                     "--json", str(tmp_path / "out.json"))
    assert plain.returncode == exported.returncode == 0, plain.stderr
    data = json.loads((tmp_path / "out.json").read_text())
    [group] = data["groups"]
    kept = [Path(f["path"]).name for f in group["files"] if f["keep"]]
    assert kept == ["IMG_0001.JPG"]
    expected = f"{human_bytes(data['summary']['reclaimable_bytes'])} reclaimable"
    assert expected in plain.stdout
    assert expected in exported.stdout


def test_the_app_without_a_display_says_what_to_run_instead() -> None:
    """On a server, bare dedup-gui made Qt abort (exit 134) with lines about xcb plugins."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    run = subprocess.run([sys.executable, "-m", "dedup_gui"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert run.returncode == 2
    assert "no display to open the app on" in run.stderr and "dedup-gui scan DIR" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_folders_on_the_command_line_open_the_app_with_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`dedup-gui FOLDER` (the menu entry's %F: a folder dropped on the launcher) said
    "invalid choice" (a packager's check). It opens the app with the folders added; a
    command's name, an option or a path that does not exist still goes to the CLI."""
    import dedup_gui.__main__ as entry
    import dedup_gui.qt.app as app

    photos = tmp_path / "Pictures"
    photos.mkdir()
    opened: list[list[str]] = []
    monkeypatch.setattr(app, "run_app", lambda folders=(): opened.append(list(folders)) or 0)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert entry.main([str(photos)]) == 0 and opened == [[str(photos)]]
    assert entry.opens_folders([str(photos), str(tmp_path)])
    assert not entry.opens_folders(["scan", str(photos)])
    assert not entry.opens_folders([str(tmp_path / "missing")])
    assert not entry.opens_folders(["--version"])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scan").mkdir()  # a folder named like a command: the command wins
    assert not entry.opens_folders(["scan"])



def test_an_output_that_cannot_be_written_names_the_file_and_leaves_nothing_behind(
        tmp_path: Path) -> None:
    """A hostile-input check on a full disk: "could not write output: No space left on device:
    None", and an empty out.json left there. The message names the file; a write that fails
    half-way leaves neither the file nor its partial copy; one that works leaves the file."""
    from dedup_gui.cli.errors import UsageError
    from dedup_gui.cli.scan import _written

    target = tmp_path / "out.json"

    def fills_the_disk(path: Path) -> None:
        path.write_bytes(b'{"groups": [')
        raise OSError(28, "No space left on device")

    with pytest.raises(UsageError, match=r"could not write .*out\.json: No space left on device"):
        _written(target, fills_the_disk)
    assert list(tmp_path.iterdir()) == []
    _written(target, lambda path: path.write_bytes(b"{}"))
    assert list(tmp_path.iterdir()) == [target] and target.read_bytes() == b"{}"
