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


def _lacking(job: SignalJob, found: Collected) -> list[FileEntry]:
    """The files some value is missing for, in the library's order (a warm rescan: none, told
    by counts): what follows looks at these alone (1,000 new among 500k: ~1 s less)."""
    signals, captures = found.signals, found.captures
    embeddings = found.embeddings if job.model is not None else signals
    if _has_all(job, signals) and _has_all(job, captures) and _has_all(job, embeddings):
        return []
    return [e for e in job.files
            if e.path not in signals or e.path not in embeddings or e.path not in captures]


def _copy_from_exact_twins(job: SignalJob, found: Collected, lacking: Sequence[FileEntry]
                           ) -> Collected:
    """A file whose exact copy has cached values takes them (identical bytes, identical pixels);
    returns what was copied (to cache under the copies' own paths). Only files of a lacking
    copy's size can be its twins, so only those are looked at."""
    copied, digests = Collected(), job.digests
    copies = [e for e in lacking if e.path in digests]
    sizes = {e.size for e in copies}
    kin = [e.path for e in job.files if e.size in sizes] if copies else []
    for values, into in ((found.signals, copied.signals), (found.embeddings, copied.embeddings)):
        missing = [e.path for e in copies if e.path not in values]
        if not missing:
            continue
        by_digest = _twin_values(kin, values, digests, {digests[p] for p in missing})
        for path in missing:
            if (digest := digests[path]) in by_digest:
                values[path] = into[path] = by_digest[digest]
    return copied


def _twin_values(paths: Sequence[str], values: Mapping[str, T], digests: Mapping[str, str],
                 wanted: set[str]) -> dict[str, T]:
    """digest -> the value of the last of `paths` (in their order) that has a value and that
    digest, for the `wanted` digests only (not a map of every file's digest)."""
    found: dict[str, T] = {}
    digest_of = digests.get
    for path in paths:
        if path in values and (digest := digest_of(path)) in wanted:
            found[digest] = values[path]  # type: ignore[index]  # in `wanted`: not None
    return found


def _has_all(job: SignalJob, values: Mapping[str, object]) -> bool:
    """Whether `values` (read for the job's files, so keyed by some of their paths) has one for
    every file: then no file is walked to find what is missing (500k files: ~0.2 s a walk)."""
    return len(values) == len(job.files)


@dataclass(slots=True)
class Plan:
    """What a scan computes: representative path -> its Task, and the files that share a
    representative's decoded values where they are more than itself (exact copies). Why not
    a tuple and a list for every task: a cold scan of 500k files held ~250 bytes a file more
    through the whole signal stage (and a set of every pending path for the progress count,
    ~100 more), at the peak of the process tree's memory."""

    tasks: dict[str, Task] = field(default_factory=dict)
    shared: dict[str, list[str]] = field(default_factory=dict)
    # copies whose capture is read alone while their values come with a representative's:
    # each is one file in two tasks, counted once
    read_alone: set[str] = field(default_factory=set)

    def files(self, key: str) -> list[str] | tuple[str]:
        """The paths that take the values of `key`'s task."""
        return self.shared.get(key) or (key,)

    def share(self, key: str, path: str) -> None:
        self.shared.setdefault(key, [key]).append(path)

    def count(self) -> int:
        """Files this plan gives values to, each once."""
        return len(self.tasks) + sum(len(p) - 1 for p in self.shared.values()) - \
            len(self.read_alone)

    def done(self, task: Task) -> int:
        """Files a finished task completes (a copy read alone is counted with its values)."""
        if task.decodes:
            return len(self.files(task.path))
        return 0 if task.path in self.read_alone else 1


def _tasks(job: SignalJob, found: Collected, lacking: Sequence[FileEntry]) -> Plan:
    """Representative path -> what to compute, and every file that shares its values (of the
    `lacking` files: the others need nothing)."""
    plan = Plan()
    first_of_digest: dict[str, str] = {}
    for entry in lacking:
        need_hashes = entry.path not in found.signals
        signals = found.signals.get(entry.path)
        need_embedding = (job.model is not None and entry.path not in found.embeddings
                          and not isinstance(signals, str))
        need_capture = entry.path not in found.captures and not isinstance(signals, str)
        if not (need_hashes or need_embedding):
            if need_capture:
                plan.tasks[entry.path] = Task(entry.path, False, False, True)
            continue
        digest = job.digests.get(entry.path)
        key = first_of_digest.setdefault(digest, entry.path) if digest else entry.path
        if key not in plan.tasks:
            plan.tasks[key] = Task(key, need_hashes, need_embedding, need_capture)
            continue
        if need_capture:  # a copy: its own capture, headers only
            plan.tasks[entry.path] = Task(entry.path, False, False, True)
            plan.read_alone.add(entry.path)
        plan.share(key, entry.path)
    return plan


def collect_signals(job: SignalJob, cache: Cache, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> Collected:
    """Signals, embeddings and captures for all files, computing only what the cache lacks."""
    algo = hash_algo_key(job.hash_size)
    found = Collected(cache.signals(job.files, algo))
    if job.model is not None:
        found.embeddings = cache.embeddings(job.files, job.model)
    found.captures = cache.captures(job.files, CAPTURE_READER)
    lacking = _lacking(job, found)
    by_path = {entry.path: entry for entry in lacking}  # every file a value is written for
    _flush(cache, job, _copy_from_exact_twins(job, found, lacking), algo, by_path)
    plan = _asking(_tasks(job, found, lacking), job, by_path)
    total = len(job.files)
    done = total - plan.count()
    report(progress, STAGE_SIGNALS, done, total)
    unsaved = Collected()
    last_save = time.monotonic()
    try:
        for batch, results in job.mapper(compute_batch, list(plan.tasks.values()),
                                         job.hash_size, workers=job.workers, cancel=cancel):
            for task, computed in zip(batch, results, strict=True):
                _store(task, plan.files(task.path), computed, found, unsaved, job.pictures)
                done += plan.done(task)
            found.decoded += sum(task.decodes for task in batch)
            report(progress, STAGE_SIGNALS, done, total)
            if time.monotonic() - last_save > _SAVE_EVERY_S:
                _flush(cache, job, unsaved, algo, by_path)
                last_save = time.monotonic()
    finally:
        _flush(cache, job, unsaved, algo, by_path)
    return found


def _asking(plan: Plan, job: SignalJob, by_path: Mapping[str, FileEntry]) -> Plan:
    """The plan with its first RGB decodes (as many as handoff.asked says) asked to hand
    their picture back; unchanged without a budget (and a warm rescan plans nothing)."""
    pictures = job.pictures
    if pictures is None or not pictures.budget or not plan.tasks:
        return plan
    rgb = [key for key, task in plan.tasks.items() if task.embedding]
    for key in rgb[:asked([by_path[key].size for key in rgb], pictures.budget)]:
        plan.tasks[key] = replace(plan.tasks[key], picture=True)
    return plan


def _store(task: Task, files: Sequence[str], computed: Computed, found: Collected,
           unsaved: Collected, pictures: Pictures | None = None) -> None:
    """The decoded values go to every file sharing the bytes; the capture to the task's own;
    the picture (when handed back) to `pictures`, if it fits."""
    if computed.picture is not None and pictures is not None:
        pictures.offer(list(files), computed.picture)
    for path in files if task.decodes else ():
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
           by_path: Mapping[str, FileEntry]) -> None:
    """Write what is unsaved; `by_path`: path -> entry of every lacking file."""
    if not (unsaved.signals or unsaved.embeddings or unsaved.captures or unsaved.facts):
        return
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
