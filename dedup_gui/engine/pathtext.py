"""File paths in exported text (JSON, CSV): readable UTF-8 for people, exact bytes for programs.

A Linux file name is bytes. A name written by a system with another encoding (b"caf\\xe9.jpg",
Latin-1) is not valid UTF-8, and Python hands it over as a str with surrogate escapes (PEP 383).
Such a str cannot be written as UTF-8: a JSON or CSV file holding it is invalid UTF-8, and strict
readers (json.load, jq, spreadsheets) reject the whole file. So every path an export writes under
a key K becomes two fields:

- K: the readable form, each byte that is not UTF-8 replaced by U+FFFD (lossy, for people);
- K + "_bytes_b64": only where the path is not valid UTF-8, the base64 of the path's bytes as the
  file system gives them (os.fsencode), from which `path_from` rebuilds Python's exact str.

A list of paths under K gets K + "_bytes_b64" as a list of the same length, null where a path is
valid UTF-8. Paths that are valid UTF-8 (nearly all) look exactly as before.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping, Sequence
from typing import Any

EXACT_SUFFIX = "_bytes_b64"


def is_text(path: str) -> bool:
    """Whether `path` can be written as UTF-8 as it is (no surrogate escapes)."""
    if path.isascii():  # nearly every path; 20x faster than the encode below
        return True
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def readable(text: str) -> str:
    """`text` with every byte that is not UTF-8 shown as U+FFFD; unchanged when it is text."""
    if is_text(text):
        return text
    try:
        return os.fsencode(text).decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate no file system gave (e.g. from JSON "\\ud800")
        return text.encode("utf-8", "replace").decode("utf-8")


def exact(path: str) -> str | None:
    """Base64 of the path's file-system bytes, or None when the readable form is exact."""
    if is_text(path):
        return None
    return base64.b64encode(os.fsencode(path)).decode("ascii")


def from_exact(encoded: str) -> str:
    """The path Python uses for the file whose name's bytes are base64 `encoded`."""
    try:
        return os.fsdecode(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError):
        raise ValueError(f"{encoded!r} is not base64 of a path") from None


def path_fields(key: str, path: str) -> dict[str, str]:
    """`{key: readable}` plus `{key_bytes_b64: exact}` where the path is not UTF-8."""
    if path.isascii():
        return {key: path}
    encoded = exact(path)
    fields = {key: readable(path)}
    if encoded is not None:
        fields[key + EXACT_SUFFIX] = encoded
    return fields


def path_list_fields(key: str, paths: Sequence[str]) -> dict[str, list[str | None]]:
    """A list of paths: readable forms, and where any is not UTF-8, the exact forms beside
    (None for those that are)."""
    fields: dict[str, list[str | None]] = {key: [readable(p) for p in paths]}
    encoded = [exact(p) for p in paths]
    if any(e is not None for e in encoded):
        fields[key + EXACT_SUFFIX] = encoded
    return fields


def path_from(record: Mapping[str, Any], key: str = "path") -> str:
    """The exact path under `key` of a record written with `path_fields` (a JSON object or a
    CSV row; an empty exact cell counts as absent)."""
    encoded = record.get(key + EXACT_SUFFIX)
    return from_exact(encoded) if encoded else record[key]


def paths_from(record: Mapping[str, Any], key: str) -> list[str]:
    """The exact paths of a list written with `path_list_fields`."""
    encoded = record.get(key + EXACT_SUFFIX) or [None] * len(record[key])
    if len(encoded) != len(record[key]):
        raise ValueError(f"{key}{EXACT_SUFFIX} does not match {key} in length")
    return [from_exact(e) if e else p for p, e in zip(record[key], encoded, strict=True)]


def clean(value: Any) -> Any:
    """Every string inside `value` (dicts, lists, tuples) made readable: for free text such as
    warnings and settings, which may quote a path but are not read back as one."""
    if isinstance(value, str):
        return readable(value)
    if isinstance(value, Mapping):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value
