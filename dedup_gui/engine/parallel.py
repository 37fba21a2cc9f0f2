"""Run a batch function over many items on all cores, with progress, cancel and bounded memory.

Decoding is CPU-bound Python/C work that holds the GIL for long stretches, so it needs processes.
Workers start through 'forkserver' on Linux (a clean process to fork from, so a Qt GUI's threads
are never forked) and 'spawn' elsewhere. Small jobs run in-process: starting workers costs more
than decoding a handful of files. Only a few batches are in flight at once, so cancel takes effect
within one batch per worker (well under a second) and results stream back as they finish.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from itertools import islice
from typing import Any, TypeVar

from dedup_gui.engine.progress import CancelToken

T = TypeVar("T")
R = TypeVar("R")

# map_batches' shape: (func, items, *args, workers=, batch_size=, cancel=) -> (batch, results)
# in completion order. engine/cluster.py gives one that runs on a Dask cluster.
Mapper = Callable[..., Iterator[tuple[Sequence[Any], list[Any]]]]

IN_PROCESS_BELOW = 24
LOOKAHEAD = 32  # waiting batches a free worker chooses from (map_refilled with needs)
_POLL_S = 0.05


def default_workers() -> int:
    """All cores the process may use (cgroup/affinity aware where the OS tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _context(preload: str) -> multiprocessing.context.BaseContext:
    """Forkserver on Linux, preloading the worker's module once so each worker forks warm."""
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([preload])
    return context


def warm_up(modules: Sequence[str]) -> None:
    """Start the process workers fork from now, importing `modules` there, for a caller that
    will soon start pools whose workers run them. Why: the first pool otherwise starts it and
    waits for its imports (~0.3 s), and a second pool's workers import their own module after
    forking (verification's: ~0.25 s each); started during discovery and the cache reads, it
    is ready when the pools start (1,000 photos added to a 500k library). Returns at once:
    the imports run in that process. Linux only (elsewhere workers are spawned afresh); a
    no-op once it runs."""
    if not sys.platform.startswith("linux"):
        return
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(list(modules))
    try:
        forkserver.ensure_running()
    except (OSError, ValueError):  # the first pool starts it as before
        return


def batches(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def map_batches(func: Callable[..., list[R]], items: Sequence[T], *args: Any,
                workers: int | None = None, batch_size: int = 8,
                cancel: CancelToken | None = None, in_process_below: int | None = None
                ) -> Iterator[tuple[Sequence[T], list[R]]]:
    """Yield (batch, func(batch, *args)) for every batch, in completion order; in this process
    when fewer items than `in_process_below` (IN_PROCESS_BELOW: what a decode costs against
    starting workers; a caller whose items cost more says so).

    Raises Cancelled (from the token) between batches; pending batches are dropped and running
    ones finish in the background without blocking the caller.
    """
    workers = workers or default_workers()
    chunks = batches(items, batch_size)
    least = IN_PROCESS_BELOW if in_process_below is None else in_process_below
    if workers <= 1 or len(items) < least:
        for chunk in chunks:
            if cancel is not None:
                cancel.raise_if_cancelled()
            yield chunk, func(chunk, *args)
        return
    handed = [chunks]
    yield from _map_in_pool(func, lambda: handed.pop() if handed else [], args, workers, cancel)


def map_refilled(func: Callable[..., list[R]], refill: Callable[[], Sequence[Sequence[T]]],
                 *args: Any, workers: int | None = None, cancel: CancelToken | None = None,
                 needs: Callable[[Sequence[T]], set[Hashable]] | None = None
                 ) -> Iterator[tuple[Sequence[T], list[R]]]:
    """map_batches over the batches `refill()` hands out, all with the same workers: it is
    asked first, then after each result while no handed-out batch waits to start (never
    while nothing came back: it may be costly), until it has none and none are running.
    Why: a caller whose next work depends on results (verify_pool's waves) would otherwise
    start a pool per wave, leave cores idle while each wave's last batches finish, and lose
    what workers keep between batches (their decoded pictures) with each pool. With `needs`
    (what a batch uses: its files), each batch goes to the worker with room that was handed
    most of them before, so what a worker keeps is used again (not decoded by the other).
    Cancel as map_batches; the caller decides whether the work is worth starting workers for."""
    yield from _map_in_pool(func, refill, args, workers or default_workers(), cancel, needs)


class _Lanes:
    """Where batches run: one pool of `workers` processes, or (given `needs`) one
    single-process pool per worker. Then a worker with room takes, of the next LOOKAHEAD
    waiting batches, the one whose needs it was handed most of before, less what another
    worker was; one that another worker was handed more of only when it is idle (else that
    worker takes it when it has room). Two batches in flight a worker."""

    def __init__(self, func: Callable[..., Any], workers: int,
                 needs: Callable[[Sequence[Any]], set[Hashable]] | None) -> None:
        context = _context(func.__module__)
        lanes = workers if needs is not None else 1
        self.pools = [ProcessPoolExecutor(max_workers=workers // lanes, mp_context=context)
                      for _ in range(lanes)]
        self.depth = 2 * workers // lanes
        self.room = [self.depth] * lanes
        self.held: list[set[Hashable]] = [set() for _ in range(lanes)]
        self.needs = needs
        self.lane: dict[Future, int] = {}

    def submit(self, func: Callable[..., Any], queue: deque[Sequence[Any]],
               args: tuple) -> tuple[Future, Sequence[Any]] | None:
        """The next batch taken from `queue` and started on a worker (class doc); None when
        no worker takes one now."""
        for lane in sorted(range(len(self.room)), key=lambda k: -self.room[k]):
            if self.room[lane] == 0:
                break
            if self.needs is None:
                chunk, need = queue.popleft(), set()
            else:
                index, need = self._pick(lane, queue)
                if index is None:
                    continue
                chunk = queue[index]
                del queue[index]
            self.held[lane] |= need
            self.room[lane] -= 1
            future = self.pools[lane].submit(func, chunk, *args)
            self.lane[future] = lane
            return future, chunk
        return None

    def _pick(self, lane: int, queue: deque[Sequence[Any]]
              ) -> tuple[int | None, set[Hashable]]:
        """The index in `queue` of the batch `lane` takes (class doc) and its needs."""
        assert self.needs is not None
        others = [held for k, held in enumerate(self.held) if k != lane]
        found: tuple[int, int, set[Hashable]] | None = None  # (score, index, needs)
        for index, chunk in enumerate(islice(queue, LOOKAHEAD)):
            need = self.needs(chunk)
            score = len(need & self.held[lane]) - max((len(need & h) for h in others), default=0)
            if found is None or score > found[0]:
                found = (score, index, need)
        if found is None or (found[0] < 0 and self.room[lane] < self.depth):
            return None, set()
        return found[1], found[2]

    def done(self, future: Future) -> None:
        self.room[self.lane.pop(future)] += 1

    def shutdown(self, wait: bool) -> None:
        for pool in self.pools:
            pool.shutdown(wait=wait, cancel_futures=True)


def _map_in_pool(func: Callable[..., list[R]], refill: Callable[[], Sequence[Sequence[T]]],
                 args: tuple, workers: int, cancel: CancelToken | None,
                 needs: Callable[[Sequence[T]], set[Hashable]] | None = None
                 ) -> Iterator[tuple[Sequence[T], list[R]]]:
    lanes = _Lanes(func, workers, needs)
    pending: dict[Future, Sequence[T]] = {}
    queue: deque[Sequence[T]] = deque()
    fresh = True  # results came back since refill() was last asked
    try:
        while True:
            if fresh and not queue:
                queue.extend(refill())
            fresh = False
            while queue and (started := lanes.submit(func, queue, args)) is not None:
                pending[started[0]] = started[1]
            if not pending:
                return
            if cancel is not None:
                cancel.raise_if_cancelled()
            done, _ = wait(pending, timeout=_POLL_S, return_when=FIRST_COMPLETED)
            for future in done:
                fresh = True
                lanes.done(future)
                yield pending.pop(future), future.result()
    finally:
        lanes.shutdown(wait=not pending)
