"""map_batches: results from real worker processes, in-process fallback, and a prompt cancel."""

from __future__ import annotations

import os
import time

import pytest

from dedup_gui.engine.parallel import IN_PROCESS_BELOW, map_batches
from dedup_gui.engine.progress import Cancelled, CancelToken


def square_with_pid(batch: list[int]) -> list[tuple[int, int]]:
    return [(value * value, os.getpid()) for value in batch]


def slow_square(batch: list[int]) -> list[int]:
    time.sleep(0.2)
    return [value * value for value in batch]


def test_every_item_comes_back_once_from_worker_processes() -> None:
    items = list(range(200))
    seen = {}
    pids = set()
    for batch, results in map_batches(square_with_pid, items, workers=2, batch_size=8):
        for item, (square, pid) in zip(batch, results, strict=True):
            seen[item] = square
            pids.add(pid)
    assert seen == {i: i * i for i in items}
    assert os.getpid() not in pids, "work ran in worker processes"


def test_small_jobs_run_in_process() -> None:
    items = list(range(IN_PROCESS_BELOW - 1))
    pids = {pid for _, results in map_batches(square_with_pid, items, workers=2)
            for _, pid in results}
    assert pids == {os.getpid()}


def test_cancel_stops_a_pool_within_a_second() -> None:
    token = CancelToken()
    results = map_batches(slow_square, list(range(400)), workers=2, batch_size=4, cancel=token)
    next(results)  # the pool is running
    token.cancel()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        for _ in results:
            pass
    assert time.monotonic() - started < 1.0
