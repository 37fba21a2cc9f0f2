"""Ground truth for evaluation: which files are duplicates of which, read from a JSON file.

Two formats are accepted, both with paths relative to the scanned folder:

- a list of groups, as in ../shared/datasets/*/groups.json: `[["a.jpg", "b/a.jpg"], ...]`
  (files in no group are not duplicates of anything);
- imagededup's mapping, file -> its duplicates: `{"a.jpg": ["b/a.jpg"], "c.jpg": []}`;
- a groups file that names the originals: `{"groups": [[...], ...], "originals": ["a.jpg"]}`;
- a data set's manifest.json: `{"files": [{"path": ..., "role": "original"}, {"path": ...,
  "variant_of" | "copy_of" | "of": the original}, ...]}` (groups: each original with the files
  made from it).

The last two also say which file of a group is the original, so `evaluate` can measure whether
the keeper proposal keeps it.

A path that is not UTF-8 (a Latin-1 name on Linux) can be given exactly, in a group or a list of
duplicates, the way the scan's JSON writes it: `{"path": "caf\ufffd.jpg", "path_bytes_b64":
"Y2Fm6S5qcGc="}` (engine/pathtext.py); JSON escapes of the surrogates Python uses ("caf\udce9")
work too, and are the only way for a mapping's keys.

Both become the same `Truth`: the set of duplicate pairs, the groups (for the mapping, its
connected components) and the files the truth names. A bad file gives one `TruthError` line that
says what is wrong and where, never a traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path, PurePosixPath

from dedup_gui.engine.pathtext import path_from

GROUPS, MAPPING, MANIFEST = "groups", "mapping", "manifest"
_SOURCE_KEYS = ("variant_of", "copy_of", "of")
_DERIVED_ROLES = frozenset({"variant", "copy", "exact copy", "exact_copy", "resave", "upscale",
                            "crop"})  # roles made from an original, which must name it


class TruthError(ValueError):
    """The ground-truth file cannot be used; the message is one line for people."""


@dataclass(frozen=True, slots=True)
class Truth:
    """Duplicate pairs (sorted path tuples), groups of two or more, and every file named."""

    pairs: frozenset[tuple[str, str]]
    groups: tuple[tuple[str, ...], ...]
    files: frozenset[str]
    format: str
    originals: frozenset[str] = frozenset()  # files known to be the original of their group

    def partners(self) -> dict[str, set[str]]:
        """file -> the files it is a duplicate of (only files with at least one)."""
        found: dict[str, set[str]] = {}
        for a, b in self.pairs:
            found.setdefault(a, set()).add(b)
            found.setdefault(b, set()).add(a)
        return found


def load_truth(path: str | os.PathLike, root: str | os.PathLike | None = None) -> Truth:
    """Read a ground-truth JSON file. `root`: the scanned folder, to make absolute paths
    relative (paths outside it are an error)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise TruthError(f"cannot read truth file {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise TruthError(f"truth file {path} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise TruthError(f"truth file {path} is not valid JSON: {error.msg} "
                         f"(line {error.lineno}, column {error.colno})") from None
    try:
        return parse_truth(data, root)
    except TruthError as error:
        raise TruthError(f"truth file {path}: {error}") from None


def parse_truth(data: object, root: str | os.PathLike | None = None) -> Truth:
    """Truth from decoded JSON: a list of groups or a file -> duplicates mapping."""
    if isinstance(data, list):
        return _from_groups(data, root)
    if isinstance(data, dict) and isinstance(data.get("files"), list):
        return _from_manifest(data["files"], root)
    if isinstance(data, dict) and isinstance(data.get("groups"), list):
        return _with_originals(_from_groups(data["groups"], root), data.get("originals"), root)
    if isinstance(data, dict):
        return _from_mapping(data, root)
    raise TruthError("expected a list of groups of paths or a mapping of file to duplicates, "
                     f"got a JSON {type(data).__name__}")


def _from_groups(data: list, root: str | os.PathLike | None) -> Truth:
    groups = []
    for index, group in enumerate(data):
        paths = _paths(group)
        if paths is None:
            raise TruthError(f"group {index + 1} is not a list of paths")
        groups.append(tuple(dict.fromkeys(normalise(p, root) for p in paths)))
    files = frozenset(p for group in groups for p in group)
    pairs = frozenset(_sorted_pair(a, b) for g in groups for a, b in combinations(g, 2))
    return Truth(pairs, tuple(g for g in groups if len(g) > 1), files, GROUPS)


def _with_originals(truth: Truth, originals: object, root: str | os.PathLike | None) -> Truth:
    if originals is None:
        return truth
    if not isinstance(originals, list) or not all(isinstance(p, str) for p in originals):
        raise TruthError("\"originals\" is not a list of paths")
    return replace(truth, originals=frozenset(normalise(p, root) for p in originals))


def _from_manifest(files: list, root: str | os.PathLike | None) -> Truth:
    """Groups from a manifest: each original with every file that names it as its source."""
    members: dict[str, list[str]] = {}
    originals = set()
    for index, entry in enumerate(files):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise TruthError(f"manifest file {index + 1} has no path")
        path = normalise(entry["path"], root)
        source = next((entry[k] for k in _SOURCE_KEYS if isinstance(entry.get(k), str)), None)
        if entry.get("role") == "original":
            originals.add(path)
            members.setdefault(path, []).insert(0, path)
        elif source is not None:
            members.setdefault(normalise(source, root), []).append(path)
        elif entry.get("role") in _DERIVED_ROLES:  # a copy of nothing: the file is wrong
            raise TruthError(f"manifest file {index + 1} ({entry['path']}) is a "
                             f"{entry['role']!r} but names no original: give it "
                             f"\"variant_of\", \"copy_of\" or \"of\"")
    groups = [group if group[0] in originals else [] for group in members.values()]
    truth = _from_groups([g for g in groups if len(g) > 1], None)
    return replace(truth, format=MANIFEST, originals=frozenset(originals))


def _from_mapping(data: dict, root: str | os.PathLike | None) -> Truth:
    pairs = set()
    files = set()
    for key, duplicates in data.items():
        paths = _paths(duplicates)
        if paths is None:
            raise TruthError(f"the duplicates of {key!r} are not a list of paths")
        file = normalise(key, root)
        files.add(file)
        for other in map(lambda p: normalise(p, root), paths):
            files.add(other)
            if other != file:
                pairs.add(_sorted_pair(file, other))
    return Truth(frozenset(pairs), connected_groups(pairs), frozenset(files), MAPPING)


def _paths(entries: object) -> list[str] | None:
    """A JSON list of paths (strings, or exact-path objects) as paths; None if it is not one."""
    if not isinstance(entries, list):
        return None
    paths = [_path(entry) for entry in entries]
    return None if any(p is None for p in paths) else paths


def _path(entry: object) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and isinstance(entry.get("path"), str):
        try:
            return path_from(entry)
        except (ValueError, TypeError):
            raise TruthError(f"{entry!r}: path_bytes_b64 is not base64 of a path") from None
    return None


def connected_groups(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, ...], ...]:
    """Connected components of a pair graph, each sorted, sorted by first member."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        parent[find(a)] = find(b)
    components: dict[str, list[str]] = {}
    for node in parent:
        components.setdefault(find(node), []).append(node)
    return tuple(sorted(tuple(sorted(c)) for c in components.values()))


def normalise(path: str, root: str | os.PathLike | None = None) -> str:
    """A truth path as a clean relative POSIX path; absolute paths must lie under `root`."""
    if not path.strip():
        raise TruthError("an empty path")
    if os.path.isabs(path):
        if root is None:
            raise TruthError(f"absolute path {path!r} (paths must be relative to the folder)")
        relative = os.path.relpath(path, os.fspath(root))
        if relative.startswith(".."):
            raise TruthError(f"{path!r} is not inside the scanned folder {os.fspath(root)}")
        path = relative
    clean = PurePosixPath(os.path.normpath(path.replace("\\", "/")).replace("\\", "/"))
    if clean.parts[:1] == ("..",):
        raise TruthError(f"{path!r} points outside the scanned folder")
    return str(clean)


def relative_to_root(paths: Iterable[str], root: str) -> dict[str, str]:
    """Scanned path -> its path relative to `root`, POSIX style (how truth files name them)."""
    return {p: os.path.relpath(p, root).replace(os.sep, "/") for p in paths}


def _sorted_pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)
