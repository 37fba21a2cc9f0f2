"""The scan's JSON and CSV: valid UTF-8 for any file name, and every path read back exactly."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

from dedup_gui.engine.export.results import (
    JSON_FORMAT_VERSION,
    path_from_record,
    read_results_json,
    write_csv,
    write_json,
)
from dedup_gui.engine.pathtext import path_list_fields
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from tests.images import photo, save

NAMES = [b"plain.jpg", b"caf\xe9.jpg", b"\xff\xfe raw.jpg", "été 写真.jpg".encode(),
         b"line\nbreak.jpg", b'with, "comma".jpg']


def odd_library(root: Path) -> list[str]:
    """One photo under six names (Latin-1, invalid bytes, Unicode, newline, CSV quoting), one
    copy inside a folder whose name is not UTF-8, and a broken file with such a name."""
    original = save(photo(7, (320, 240)), root / "original.jpg", quality=90)
    folder = os.path.join(os.fsencode(root), b"d\xe9j\xe0")
    os.mkdir(folder)
    paths = [os.fsdecode(os.path.join(os.fsencode(root), n)) for n in NAMES]
    paths.append(os.fsdecode(os.path.join(folder, b"copy.jpg")))
    for path in paths:
        shutil.copy(original, path)
    Path(os.fsdecode(os.path.join(folder, b"bris\xe9.jpg"))).write_bytes(b"not a picture")
    return sorted([str(original), *paths])


def scan(root: Path):
    return run_scan(ScanParams((str(root),), embeddings=False), Cache(None))


def test_json_is_strict_utf8_and_reads_back_every_path_exactly(tmp_path: Path) -> None:
    expected = odd_library(tmp_path / "lib")
    result = scan(tmp_path / "lib")
    out = tmp_path / "out.json"
    write_json(result, out, {"roots": [os.fsdecode(os.fsencode(tmp_path / "lib") + b"/d\xe9j\xe0")],
                             "hash": "phash"})
    data = json.loads(out.read_bytes().decode("utf-8", errors="strict"))
    assert data["format_version"] == JSON_FORMAT_VERSION == 3
    assert data["params"]["roots"][0].endswith("/d\ufffdj\ufffd")
    files = data["groups"][0]["files"]
    assert sorted(path_from_record(f) for f in files) == expected
    assert sum("path_bytes_b64" in f for f in files) == 3  # only the names that are not UTF-8

    back = read_results_json(out)
    assert sorted(f["path"] for f in back["groups"][0]["files"]) == expected
    assert {(p["a"], p["b"]) for p in back["groups"][0]["pairs"]} == \
        {(p.a, p.b) for p in result.groups[0].pairs}
    assert [i["path"] for i in back["issues"]] == [i.path for i in result.issues]
    assert back["params"]["roots"][0].endswith(os.fsdecode(b"/d\xe9j\xe0"))
    assert not any(k.endswith("_bytes_b64") for f in back["groups"][0]["files"] for k in f)


def test_json_has_one_line_per_file_and_pair(tmp_path: Path) -> None:
    """Written fast (C encoder per record) and still readable: one file or pair per line, even
    for a name holding a line break."""
    odd_library(tmp_path / "lib")
    result = scan(tmp_path / "lib")
    out = tmp_path / "out.json"
    write_json(result, out, {"roots": [str(tmp_path / "lib")]})
    lines = out.read_text(encoding="utf-8").splitlines()
    data = json.loads("\n".join(lines))
    group = data["groups"][0]
    for record in group["files"] + group["pairs"]:
        assert json.dumps(record, ensure_ascii=False) in {line.strip().rstrip(",")
                                                          for line in lines}
    assert lines[0] == "{" and lines[1] == ' "format_version": 3,'


def test_csv_is_strict_utf8_and_reads_back_every_path_exactly(tmp_path: Path) -> None:
    expected = odd_library(tmp_path / "lib")
    out = tmp_path / "out.csv"
    write_csv(scan(tmp_path / "lib"), out)
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8", errors="strict"),
                                           newline="")))
    assert sorted(path_from_record(r) for r in rows) == expected
    assert {r["path"] for r in rows if r["path_bytes_b64"]} == {
        str(tmp_path / "lib" / "caf\ufffd.jpg"), str(tmp_path / "lib" / "\ufffd\ufffd raw.jpg"),
        str(tmp_path / "lib" / "d\ufffdj\ufffd" / "copy.jpg")}


def test_companion_lists_are_read_back_exactly(tmp_path: Path) -> None:
    """A file's companions (issue 14's capture units) as path_list_fields writes them."""
    raw = os.fsdecode(b"/lib/IMG_1.CR2")
    latin1 = os.fsdecode(b"/lib/caf\xe9.xmp")
    file = {"path": "/lib/IMG_1.JPG", **path_list_fields("companions", [raw, latin1])}
    out = tmp_path / "r.json"
    out.write_text(json.dumps({"format_version": 2, "groups": [{"files": [file], "pairs": []}]},
                              ensure_ascii=False), encoding="utf-8")
    back = read_results_json(out)
    assert back["groups"][0]["files"][0] == {"path": "/lib/IMG_1.JPG",
                                             "companions": [raw, latin1]}
