"""Signals for every file: from the cache when unchanged, else decoded on all cores.

A file needs its hashes, its capture metadata and, when embeddings are on, its embedding; whatever
is cached is not computed again, and a file that needs several is decoded once (the capture comes
from the EXIF that decode parses). Exact copies are decoded once: the other copies take the same
values, except the capture: a copy's Takeout JSON is its own, so a copy whose capture is not
cached has it read alone (headers only). The per-picture facts verification asks
(picture_facts.py) are only written: verification reads those it needs (store/picture_facts.py).
The decodes themselves, when they are verification's, are kept for this scan's verification
within a byte budget (handoff.py; SignalJob.pictures), never cached.
Results go to the cache in small transactions while decoding goes on, so cancelling keeps what
was done.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from dedup_gui.engine.parallel import Mapper, map_batches
from dedup_gui.engine.progress import STAGE_SIGNALS, CancelToken, ProgressCallback, report
from dedup_gui.engine.signals.batch import Computed, Task, compute_batch
from dedup_gui.engine.signals.capture import CAPTURE_READER
from dedup_gui.engine.signals.handoff import Pictures, asked
from dedup_gui.engine.signals.hashing import hash_algo_key
from dedup_gui.engine.signals.picture_facts import FACTS_VERSION, PictureFacts
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.picture_facts import put_facts
from dedup_gui.engine.store.rows import interned
from dedup_gui.engine.types import Capture, FileEntry, ImageSignals

T = TypeVar("T")

_SAVE_EVERY_S = 1.0


@dataclass(frozen=True, slots=True)
class SignalJob:
    files: Sequence[FileEntry]
    digests: Mapping[str, str]
    hash_size: int
    workers: int | None = None
    model: str | None = None  # the embedding model id; None: hashes only
    mapper: Mapper = map_batches  # where decoding runs: local processes, or engine/cluster.py
    pictures: Pictures | None = None  # filled with verification's decodes (handoff.py)


@dataclass(slots=True)
class Collected:
    """path -> signals (or read error), path -> embedding blob, path -> capture, and how many
    files were decoded."""

    signals: dict[str, ImageSignals | str] = field(default_factory=dict)
    embeddings: dict[str, bytes] = field(default_factory=dict)
    decoded: int = 0
    captures: dict[str, Capture] = field(default_factory=dict)
    facts: dict[str, PictureFacts] = field(default_factory=dict)  # only while unsaved


def _copy_from_exact_twins(job: SignalJob, found: Collected) -> Collected:
    """A file whose exact copy has cached values takes them (identical bytes, identical pixels);
    returns what was copied (to cache under the copies' own paths). A warm rescan copies
    nothing and builds nothing."""
    copied = Collected()
    for values, into in ((found.signals, copied.signals), (found.embeddings, copied.embeddings)):
        if _has_all(job, values):
            continue
        missing = [e.path for e in job.files if e.path not in values and e.path in job.digests]
        if not missing:
            continue
        by_digest = _twin_values(values, job.digests, {job.digests[p] for p in missing})
        for path in missing:
            if (digest := job.digests[path]) in by_digest:
                values[path] = into[path] = by_digest[digest]
    return copied


def _twin_values(values: Mapping[str, T], digests: Mapping[str, str], wanted: set[str]
                 ) -> dict[str, T]:
    """digest -> the value of the last file (in `values`' order) with that digest, for the
    `wanted` digests only: 1,000 new files added to 500k cached ones build a map of the few
    digests they have, not of every file's (~0.5 s, twice)."""
    found: dict[str, T] = {}
    digest_of = digests.get
    for path, value in values.items():
        if (digest := digest_of(path)) in wanted:
            found[digest] = value  # type: ignore[index]  # in `wanted`: not None
    return found


def _has_all(job: SignalJob, values: Mapping[str, object]) -> bool:
    """Whether `values` (read for the job's files, so keyed by some of their paths) has one for
    every file: then no file is walked to find what is missing (500k files: ~0.2 s a walk)."""
    return len(values) == len(job.files)


Plan = dict[str, tuple[Task, list[FileEntry]]]


def _tasks(job: SignalJob, found: Collected) -> Plan:
    """Representative path -> (what to compute, every file that shares its decoded values)."""
    plan: Plan = {}
    if _has_all(job, found.signals) and _has_all(job, found.captures) and (
            job.model is None or _has_all(job, found.embeddings)):
        return plan  # a warm rescan: every value of every file cached
    first_of_digest: dict[str, str] = {}
    for entry in job.files:
        need_hashes = entry.path not in found.signals
        signals = found.signals.get(entry.path)
        need_embedding = (job.model is not None and entry.path not in found.embeddings
                          and not isinstance(signals, str))
        need_capture = entry.path not in found.captures and not isinstance(signals, str)
        if not (need_hashes or need_embedding):
            if need_capture:
                plan[entry.path] = (Task(entry.path, False, False, True), [entry])
            continue
        digest = job.digests.get(entry.path)
        key = first_of_digest.setdefault(digest, entry.path) if digest else entry.path
        if key not in plan:
            plan[key] = (Task(key, need_hashes, need_embedding, need_capture), [])
        elif need_capture and key != entry.path:  # a copy: its own capture, headers only
            plan[entry.path] = (Task(entry.path, False, False, True), [entry])
        plan[key][1].append(entry)
    return plan


def collect_signals(job: SignalJob, cache: Cache, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> Collected:
    """Signals, embeddings and captures for all files, computing only what the cache lacks."""
    algo = hash_algo_key(job.hash_size)
    found = Collected(cache.signals(job.files, algo))
    if job.model is not None:
        found.embeddings = cache.embeddings(job.files, job.model)
    found.captures = cache.captures(job.files, CAPTURE_READER)
    by_path: dict[str, FileEntry] = {}
    _flush(cache, job, _copy_from_exact_twins(job, found), algo, by_path)
    plan = _asking(_tasks(job, found), job.pictures)
    pending = {entry.path for _, files in plan.values() for entry in files}
    total = len(job.files)
    report(progress, STAGE_SIGNALS, total - len(pending), total)
    unsaved = Collected()
    last_save = time.monotonic()
    try:
        for batch, results in job.mapper(compute_batch, [t for t, _ in plan.values()],
                                         job.hash_size, workers=job.workers, cancel=cancel):
            for task, computed in zip(batch, results, strict=True):
                _store(task, plan[task.path][1], computed, found, unsaved, job.pictures)
                pending.difference_update(entry.path for entry in plan[task.path][1])
            found.decoded += sum(task.decodes for task in batch)
            report(progress, STAGE_SIGNALS, total - len(pending), total)
            if time.monotonic() - last_save > _SAVE_EVERY_S:
                _flush(cache, job, unsaved, algo, by_path)
                last_save = time.monotonic()
    finally:
        _flush(cache, job, unsaved, algo, by_path)
    return found


def _asking(plan: Plan, pictures: Pictures | None) -> Plan:
    """The plan with its first RGB decodes (as many as handoff.asked says) asked to hand
    their picture back; unchanged without a budget (and a warm rescan plans nothing)."""
    if pictures is None or not pictures.budget or not plan:
        return plan
    rgb = [key for key, (task, _) in plan.items() if task.embedding]
    sizes = [plan[key][1][0].size for key in rgb]
    for key in rgb[:asked(sizes, pictures.budget)]:
        task, files = plan[key]
        plan[key] = (replace(task, picture=True), files)
    return plan


def _store(task: Task, files: list[FileEntry], computed: Computed, found: Collected,
           unsaved: Collected, pictures: Pictures | None = None) -> None:
    """The decoded values go to every file sharing the bytes; the capture to the task's own;
    the picture (when handed back) to `pictures`, if it fits."""
    if computed.picture is not None and pictures is not None:
        pictures.offer([entry.path for entry in files], computed.picture)
    for entry in files if task.decodes else ():
        path = entry.path
        if computed.error is not None:
            found.signals[path] = unsaved.signals[path] = computed.error
        if computed.signals is not None:
            found.signals[path] = unsaved.signals[path] = computed.signals
        if computed.embedding is not None:
            found.embeddings[path] = unsaved.embeddings[path] = computed.embedding
        if computed.facts is not None:
            unsaved.facts[path] = computed.facts
    if computed.capture is not None:
        found.captures[task.path] = unsaved.captures[task.path] = interned(computed.capture)


def _flush(cache: Cache, job: SignalJob, unsaved: Collected, algo: str,
           by_path: dict[str, FileEntry]) -> None:
    """Write what is unsaved. `by_path` (path -> entry) is filled on the first write only: a
    warm rescan writes nothing, and new files are written every second while decoding goes
    on (500k files: one map, not one per write)."""
    if not (unsaved.signals or unsaved.embeddings or unsaved.captures or unsaved.facts):
        return
    if not by_path:
        by_path.update((entry.path, entry) for entry in job.files)
    cache.put_signals(((by_path[p], v) for p, v in unsaved.signals.items()), algo)
    if job.model is not None:
        cache.put_embeddings(((by_path[p], v) for p, v in unsaved.embeddings.items()), job.model)
    cache.put_captures(((by_path[p], v) for p, v in unsaved.captures.items()), CAPTURE_READER)
    put_facts(cache, ((by_path[p], (v.framed, v.plain)) for p, v in unsaved.facts.items()),
              FACTS_VERSION)
    unsaved.facts.clear()
    unsaved.signals.clear()
    unsaved.embeddings.clear()
    unsaved.captures.clear()
