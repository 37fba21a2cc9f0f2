"""Provenance facts of grouped files, cached in the scan's SQLite file by path, size and mtime.

Why per group afterwards and not during the scan: only grouped files need facts (typically a few
per cent of a library), the facts need a full-resolution decode the scan avoids (it decodes a
draft), and keeping them in their own table leaves the scan's signal rows untouched. A warm
rescan then reads one row per group (`provenance_for`: the group's assessment, keyed by its
members' paths, sizes and mtimes) and neither decodes nor compares pixels.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from dedup_gui.engine.actions.provenance import Provenance, assess
from dedup_gui.engine.actions.provenance_facts import FACTS_VERSION, FileFacts, read_facts
from dedup_gui.engine.actions.provenance_overlay import load_picture
from dedup_gui.engine.actions.provenance_pool import Assessed, assess_items, runs_of
from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.rows import from_db, to_db
from dedup_gui.engine.types import Group, GroupFile

TABLE = "provenance_facts"
GROUP_TABLE = "provenance_groups"
ASSESS_VERSION = 18  # bump when provenance.py labels or scores (or containment.py) change
_CREATE_GROUPS = f"CREATE TABLE IF NOT EXISTS {GROUP_TABLE} (key TEXT PRIMARY KEY, result TEXT)"
_CREATE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (path TEXT PRIMARY KEY, size INTEGER, "
           "mtime_ns INTEGER, version INTEGER, facts TEXT)")


def facts_for(files: Iterable[GroupFile], cache: Cache | None = None,
              reader: Callable[[str], FileFacts | None] = read_facts
              ) -> dict[str, FileFacts | None]:
    """path -> facts of every file (None: unreadable), read from `cache` where still valid,
    computed and stored otherwise."""
    wanted = {f.path: f for f in files}
    found = _cached(wanted, cache) if cache is not None else {}
    fresh = {path: reader(path) for path in wanted if path not in found}
    if cache is not None and fresh:
        _store(cache, [(wanted[p], facts) for p, facts in fresh.items()])
    return {**found, **fresh}


def _cached(wanted: dict[str, GroupFile], cache: Cache) -> dict[str, FileFacts | None]:
    found: dict[str, FileFacts | None] = {}
    try:
        cache.db.execute(_CREATE)
        paths = list(wanted)
        for start in range(0, len(paths), 500):
            chunk = [to_db(p) for p in paths[start:start + 500]]
            marks = ",".join("?" * len(chunk))
            rows = cache.db.execute(f"SELECT path, size, mtime_ns, version, facts FROM {TABLE} "
                                    f"WHERE path IN ({marks})", chunk).fetchall()
            for path, size, mtime_ns, version, text in rows:
                file = wanted[from_db(path)]
                if (size, mtime_ns, version) == (file.size, file.mtime_ns, FACTS_VERSION):
                    found[file.path] = FileFacts.from_dict(json.loads(text)) if text else None
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return {}
    return found


def _store(cache: Cache, items: list[tuple[GroupFile, FileFacts | None]]) -> None:
    rows = [(to_db(f.path), f.size, f.mtime_ns, FACTS_VERSION,
             json.dumps(facts.as_dict()) if facts else None) for f, facts in items]
    try:
        with cache.db.conn:
            cache.db.execute(_CREATE)
            cache.db.conn.executemany(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?, ?)",
                                      rows)
    except sqlite3.Error as error:  # a read-only or full cache: the facts are simply not kept
        cache.noticed(error)


def provenance_for(groups: Sequence[Group], cache: Cache | None = None,
                   reader: Callable[[str], FileFacts | None] | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   cancel: CancelToken | None = None, workers: int | None = None
                   ) -> dict[str, Provenance]:
    """path -> Provenance of every grouped file. A group whose files are all unchanged since
    it was last assessed is one row read (a warm rescan compares no pixels); the others get
    their facts (cached per file) and are assessed on all cores (provenance_pool.py), a few
    groups at a time so the pictures decoded for the facts can serve the overlay test and then
    be dropped. `progress(done, total)` counts groups; `cancel` stops between runs (Cancelled);
    a `reader` (tests) reads facts in this process."""
    keys = [group_key(g) for g in groups]
    stored = _stored_groups(keys, cache) if cache is not None else {}
    result: dict[str, Provenance] = {}
    for assessed in stored.values():
        result.update(assessed)
    todo = [(key, g) for key, g in zip(keys, groups, strict=True) if key not in stored]
    if progress is not None:
        progress(len(stored), len(groups))
    files = {f.path: f for _, g in todo for f in g.files}
    for done, found in _assessed(todo, cache, reader, cancel, workers):
        if cache is not None:
            _store_found(cache, files, found)
        for _, assessed, _ in found:
            result.update(assessed)
        if progress is not None:
            progress(len(stored) + done, len(groups))
    return result


def _assessed(todo: list[tuple[str, Group]], cache: Cache | None,
              reader: Callable[[str], FileFacts | None] | None, cancel: CancelToken | None,
              workers: int | None) -> Iterator[tuple[int, list[Assessed]]]:
    """(groups done, their assessments) run by run: with a `reader`, in this process (facts
    through facts_for); otherwise with the cached facts handed to provenance_pool."""
    if reader is not None:
        done = 0
        for run in runs_of([(key, group, {}) for key, group in todo]):
            if cancel is not None:
                cancel.raise_if_cancelled()
            facts = facts_for((f for _, g, _ in run for f in g.files), cache, reader)
            done += len(run)
            yield done, [(key, assess(group, facts, load_picture), {}) for key, group, _ in run]
        return
    wanted = {f.path: f for _, g in todo for f in g.files}
    known = _cached(wanted, cache) if cache is not None and wanted else {}
    items = [(key, g, {f.path: known[f.path] for f in g.files if f.path in known})
             for key, g in todo]
    yield from assess_items(items, cancel, workers)


def _store_found(cache: Cache, files: Mapping[str, GroupFile], found: list[Assessed]) -> None:
    """The facts read fresh and the groups' assessments, kept for the next rescan."""
    fresh = [(files[path], facts) for _, _, read in found for path, facts in read.items()]
    if fresh:
        _store(cache, fresh)
    _store_groups(cache, {key: assessed for key, assessed, _ in found})


def group_key(group: Group) -> str:
    """Names the group's exact membership, every file's version and companions (a RAW or Live
    video beside a file counts: origin_path.origin_penalty), and the rules' version."""
    stamp = "\n".join(f"{f.path}\t{f.size}\t{f.mtime_ns}\t{'|'.join(f.companions)}"
                      for f in sorted(group.files, key=lambda f: f.path))
    data = f"{FACTS_VERSION}.{ASSESS_VERSION}\n{stamp}".encode("utf-8", "surrogateescape")
    return hashlib.sha1(data).hexdigest()


def _stored_groups(keys: list[str], cache: Cache) -> dict[str, dict[str, Provenance]]:
    found = {}
    try:
        cache.db.execute(_CREATE_GROUPS)
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = cache.db.execute(f"SELECT key, result FROM {GROUP_TABLE} WHERE key IN "
                                    f"({marks})", chunk).fetchall()
            for key, text in rows:
                found[key] = {path: Provenance(tuple(labels), score, camera)
                              for path, labels, score, camera in json.loads(text)}
    except (sqlite3.Error, ValueError, TypeError):
        return {}
    return found


def _store_groups(cache: Cache, fresh: dict[str, dict[str, Provenance]]) -> None:
    rows = [(key, json.dumps([[path, list(p.labels), p.score, p.camera]
                              for path, p in assessed.items()], ensure_ascii=False))
            for key, assessed in fresh.items()]
    try:
        with cache.db.conn:
            cache.db.execute(_CREATE_GROUPS)
            cache.db.conn.executemany(f"INSERT OR REPLACE INTO {GROUP_TABLE} VALUES (?, ?)", rows)
    except (sqlite3.Error, UnicodeEncodeError):
        pass
