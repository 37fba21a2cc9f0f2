"""Paths in exported text: valid UTF-8 for any file name, and the exact name read back."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup_gui.engine.pathtext import (
    clean,
    path_fields,
    path_from,
    path_list_fields,
    paths_from,
    readable,
)

LATIN1 = os.fsdecode(b"/photos/caf\xe9.jpg")  # as Python gives a Latin-1 name on Linux

# Linux file names: any bytes but NUL, "/" separating the parts.
names = st.lists(st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"\0", b"x")),
                 min_size=1, max_size=3).map(lambda parts: os.fsdecode(b"/" + b"/".join(parts)))


def strict_json(data: object) -> object:
    """Written as the exports write it, read back as any strict RFC 8259 reader would."""
    text = json.dumps(data, ensure_ascii=False)
    return json.loads(text.encode("utf-8").decode("utf-8", errors="strict"))


def test_a_utf8_path_is_written_as_it_is() -> None:
    assert path_fields("path", "/photos/été 写真.jpg") == {"path": "/photos/été 写真.jpg"}


def test_a_latin1_name_is_readable_and_exact() -> None:
    fields = path_fields("path", LATIN1)
    assert fields == {"path": "/photos/caf\ufffd.jpg", "path_bytes_b64": "L3Bob3Rvcy9jYWbpLmpwZw=="}
    assert path_from(strict_json(fields)) == LATIN1
    assert os.fsencode(path_from(fields)) == b"/photos/caf\xe9.jpg"


@given(names)
def test_any_linux_name_round_trips_through_strict_json(path: str) -> None:
    assert path_from(strict_json(path_fields("path", path))) == path


@given(st.lists(names, max_size=4))
def test_lists_of_paths_round_trip(paths: list[str]) -> None:
    fields = path_list_fields("companions", paths)
    assert paths_from(strict_json(fields), "companions") == paths
    assert ("companions_bytes_b64" in fields) == any(readable(p) != p for p in paths)


@given(names)
def test_any_linux_name_round_trips_through_a_strict_csv(path: str) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=("path", "path_bytes_b64"))
    writer.writeheader()
    writer.writerow({"path_bytes_b64": "", **path_fields("path", path)})
    data = buffer.getvalue().encode("utf-8").decode("utf-8", errors="strict")
    (row,) = csv.DictReader(io.StringIO(data, newline=""))
    assert path_from(row) == path


def test_free_text_is_made_readable_everywhere_inside() -> None:
    text = {"roots": [LATIN1], "note": (f"cannot read {LATIN1}", 3), "ok": "été"}
    assert strict_json(clean(text)) == {"roots": ["/photos/caf\ufffd.jpg"],
                                        "note": ["cannot read /photos/caf\ufffd.jpg", 3],
                                        "ok": "été"}


def test_a_damaged_exact_form_is_an_error_not_a_wrong_path() -> None:
    with pytest.raises(ValueError, match="not base64"):
        path_from({"path": "x", "path_bytes_b64": "not base64!"})
    with pytest.raises(ValueError, match="length"):
        paths_from({"p": ["a", "b"], "p_bytes_b64": [None]}, "p")
