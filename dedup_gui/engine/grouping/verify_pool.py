"""The refuting rules' pixel checks, run ahead of the verification walk on all cores.

Why: verify_edges (verify.py) walks the pairs in order on one core, because exposures are
transitive (a verdict can rest on earlier ones). But the checks of the refuting rules
(refute.py: frames, placement, displacement) are pure functions of two pictures, memoised by
(path, path, level), and they were most of the walk's time (bench_scan's camera library: 5.5 of
5.5 s, 40 ms a pair, a third of it decoding). So, before the walk:

1. The pairs the walk will check with pixels are found by a dry run (verify_waves.DryRun)
   over the memo: a pair whose verdict the memo already holds (a warm rescan, a regroup) costs
   nothing. A pair whose exposures have a capture gets the full pixel verdict (PIXELS: its
   answer can refute through the captured side: a messenger re-save, EXIF stripped, against
   its original), and where its pixels differ the refuting rules' checks in a later wave;
   one with none, the refuting rules' checks; one the capture rule decides, or
   without a capture and maybe plain, none (the walk decides those in the parent).
2. Their checks run in the engine's worker pool (parallel.map_refilled), the pairs ordered by
   connected component so a batch shares its files; the same workers serve every wave, each
   keeps a PictureCache across batches, and a batch goes to the worker that was handed most
   of its pictures before (so the other does not decode them again). The pictures the scan's
   signal stage decoded (signals/handoff.py) travel with the batches that need them, so a
   worker decodes only the others.
3. The memo gets every verdict the workers found; the walk then reads it, unchanged.
4. The pool works in waves (verify_waves.py says which pair waits for which): as verdicts
   come in, the dry run is asked again and what it newly finds starts at once, in the same
   pool (a pool per wave paid its start-up and its lost decodes each time, and left a core
   idle while a wave's last batches ran). Without the waves the pool checked half as many
   pairs again as the walk (bench_scan's camera library: 270 checks instead of 182).

The verdicts are the same as the walk's own: the workers run refute() and the pixel verdict
itself on the same loader. A check the walk then does not use (its pair decided by an
exposure the dry run could not foresee) is computed, stored in the memo, unused. A pool that
breaks leaves the walk to compute what is missing, as does a first wave too small to pay for
starting workers (parallel.IN_PROCESS_BELOW, an "edited copy" check counted as
EDITED_WEIGHT: its placement and displacement searches cost several decodes).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool

from dedup_gui.engine import parallel
from dedup_gui.engine.grouping import refute as rules
from dedup_gui.engine.grouping.disjoint import DisjointSets
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.pixel_verdict import memoised_pixel_verdict
from dedup_gui.engine.grouping.pixels import FULL
from dedup_gui.engine.grouping.verdict import Memo, Verdict
from dedup_gui.engine.grouping.verify_waves import PIXELS, Check, DryRun
from dedup_gui.engine.parallel import default_workers
from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.signals.handoff import Picture
from dedup_gui.engine.tiers import EDITED, Edge
from dedup_gui.engine.types import Capture

WORKER_PICTURES = 96  # pictures a worker keeps decoded between batches (~0.5 MB each)
BATCH_MAX = 24  # pairs a batch at most: cancel within ~1 s
EDITED_WEIGHT = 4  # an "edited copy" check (54-116 ms a pair) against a frame test (~2 decodes)

Bundle = tuple[Sequence[Check], dict[str, Picture]]  # a batch and the decodes it may use
_pictures: PictureCache | None = None  # the worker's decoded pictures


def prefetch_edges(edges: Mapping[tuple[int, int], Edge], captures: Sequence[Capture | None],
                   paths: Sequence[str], suspects: Sequence[bool], memo: Memo,
                   cancel: CancelToken | None = None, workers: int | None = None,
                   decoded: Mapping[str, Picture] | None = None,
                   crowded: Collection[int] | None = None) -> None:
    """The refuting checks verify_edges will ask for, computed in the pool into `memo`, wave
    after wave (verify_waves.DryRun), all in one pool; left to the walk when the first does not pay.
    `decoded`: pictures the workers take instead of decoding (signals/handoff.py); `crowded`:
    as verify_edges'."""
    dry_run = DryRun(edges, captures, paths, suspects, crowded)

    def wave() -> list[Check]:
        return dry_run(memo)

    prefetch(wave(), memo, cancel, workers, more=wave, decoded=decoded)


def by_file(checks: Sequence[Check]) -> list[Check]:
    """`checks` ordered by connected component (largest first, so the pool ends level), and
    within one by file: consecutive pairs share pictures."""
    index: dict[str, int] = {}
    for a, b, _ in checks:
        index.setdefault(a, len(index))
        index.setdefault(b, len(index))
    sets = DisjointSets(len(index))
    for a, b, _ in checks:
        sets.join(index[a], index[b])
    parts: dict[int, list[Check]] = {}
    for check in checks:
        parts.setdefault(sets.root(index[check[0]]), []).append(check)
    ordered = sorted(parts.values(), key=lambda part: (-len(part), part[0]))
    return [check for part in ordered for check in sorted(part)]


def prefetch(checks: Sequence[Check], memo: Memo, cancel: CancelToken | None = None,
             workers: int | None = None, more: Callable[[], Sequence[Check]] | None = None,
             decoded: Mapping[str, Picture] | None = None) -> int:
    """Run `checks` (a DryRun's wave) in the worker pool and put their verdicts in `memo`, then,
    in the same pool, what `more()` gives as the verdicts come in (the next waves: the DryRun
    again, less what was handed out); the number of verdicts added. One pool for every wave
    (parallel.map_refilled): its workers keep their decoded pictures, and a wave's pairs start
    as soon as the verdicts they wait for are in, not when the whole wave is (measured on
    bench_verify's camera library: four waves of 64, 18, 10 and 4 pairs, each in a fresh pool
    and the last in the walk, decoded 87 pictures 147 times; in one pool, each batch sent to
    the worker that has its pictures (_files), 99-102 times). `decoded`: pictures that travel
    with the batches that use them (bundles). Raises Cancelled from `cancel`."""
    workers = workers or default_workers()
    if workers <= 1 or _work(checks) < parallel.IN_PROCESS_BELOW:
        return 0  # the walk checks a handful faster than workers start (and in-process, a
        # worker's picture cache would outlive the scan)
    handed: set[Check] = set()
    first = [checks]

    def refill() -> list[Sequence[Check]]:
        fresh = [c for c in (first.pop() if first else more() if more else ()) if c not in handed]
        handed.update(fresh)
        return [[bundle] for bundle in
                bundles(by_file(fresh), _batch_size(len(fresh), workers), decoded or {})]

    added = 0
    try:
        for _, found in parallel.map_refilled(check_batch, refill, rules.DISPLACEMENT_RULE,
                                              workers=workers, cancel=cancel, needs=_files):
            for key, verdict in found:
                if key not in memo:
                    memo[key] = verdict
                    added += 1
    except BrokenProcessPool:
        pass  # a worker died (out of memory, killed): the walk computes what is missing
    return added


def bundles(checks: Sequence[Check], size: int, decoded: Mapping[str, Picture]
            ) -> list[Bundle]:
    """`checks` cut into batches of `size`, each with the decoded pictures of its files."""
    return [(chunk, {path: decoded[path] for a, b, _ in chunk for path in (a, b)
                     if path in decoded}) for chunk in parallel.batches(checks, size)]


def _files(batch: Sequence[Bundle]) -> set[Hashable]:
    """The pictures a batch decodes: each batch goes to the worker that has most of them."""
    return {path for checks, _ in batch for a, b, _ in checks for path in (a, b)}


def _work(checks: Sequence[Check]) -> int:
    return sum(EDITED_WEIGHT if tier == EDITED else 1 for _, _, tier in checks)


def _batch_size(count: int, workers: int) -> int:
    """Pairs a batch for `count` pairs handed out at once: about four batches a worker, so the
    workers end level, and at most BATCH_MAX (cancel within ~1 s); a few pairs (a later wave)
    one a batch (a worker keeps its decoded pictures between batches)."""
    return max(1, min(BATCH_MAX, count // (4 * workers)))


class _Recording(dict):
    """A memo that lists what was written to it."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[tuple[tuple[str, str, int], Verdict]] = []

    def __setitem__(self, key: tuple[str, str, int], value: Verdict) -> None:
        super().__setitem__(key, value)
        self.written.append((key, value))


def check_batch(bundle: Sequence[Bundle], displacement: bool
                ) -> list[tuple[tuple[str, str, int], Verdict]]:
    """In a worker: refute() on each pair of the (one) bundle (no Chain: the DryRun chose the
    pairs), with the parent's DISPLACEMENT_RULE, taking the bundle's pictures instead of
    decoding them; the memo entries it made."""
    global _pictures
    if _pictures is None:
        _pictures = PictureCache(WORKER_PICTURES)
    rules.DISPLACEMENT_RULE, saved = displacement, rules.DISPLACEMENT_RULE
    memo = _Recording()
    (checks, decoded), = bundle
    _pictures.decoded = decoded
    try:
        for a, b, tier in checks:
            if tier == PIXELS:
                memoised_pixel_verdict(a, b, FULL, _pictures, memo)
            else:
                rules.refute(a, b, tier, _pictures, memo)
    finally:
        rules.DISPLACEMENT_RULE = saved
        _pictures.decoded = {}  # a later batch brings its own
    return memo.written
