"""map_batches and map_refilled: results from real worker processes, in-process fallback, one pool
for work handed out as results come in, and a prompt cancel."""

from __future__ import annotations

import os
import sys
import time

import pytest

from dedup_gui.engine.parallel import IN_PROCESS_BELOW, map_batches, map_refilled
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


def _cancelled_within_a_second(results, token: CancelToken) -> None:
    """Once the pool runs, cancelling `token` ends `results` with Cancelled within 1 s."""
    next(results)  # the pool is running
    token.cancel()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        for _ in results:
            pass
    assert time.monotonic() - started < 1.0


def test_cancel_stops_a_pool_within_a_second() -> None:
    token = CancelToken()
    results = map_batches(slow_square, list(range(400)), workers=2, batch_size=4, cancel=token)
    _cancelled_within_a_second(results, token)


def test_refilled_work_runs_in_one_pool_and_follows_the_results() -> None:
    """Each result hands out the next item (a chain of waves, as verify_pool's): every wave
    runs, in the same two workers, and refill() is asked only when a result came back."""
    asked: list[int] = []
    waves = [[[1], [2]]]

    def refill() -> list[list[int]]:
        asked.append(1)
        return waves.pop() if waves else []

    seen, pids = [], set()
    for _, results in map_refilled(square_with_pid, refill, workers=2):
        for square, pid in results:
            seen.append(square)
            pids.add(pid)
            if square < 10_000:
                waves.append([[square + 1]])
    # 1 -> 2 -> 5 -> 26 -> 677 and 2 -> 5 -> 26 -> 677, squared
    assert sorted(seen) == [1, 4, 4, 25, 25, 676, 676, 677 ** 2, 677 ** 2]
    assert len(pids) <= 2 and os.getpid() not in pids
    assert len(asked) <= len(seen) + 1


def test_cancel_stops_a_refilled_pool_within_a_second() -> None:
    token = CancelToken()
    work = [[[i] for i in range(400)]]
    results = map_refilled(slow_square, lambda: work.pop() if work else [], workers=2,
                           cancel=token)
    _cancelled_within_a_second(results, token)


def pid_of(batch: list[str]) -> list[tuple[str, int]]:
    time.sleep(0.05)
    return [(item, os.getpid()) for item in batch]


def test_a_refilled_batch_goes_back_to_the_worker_that_had_what_it_needs() -> None:
    """Waves of a batch needing "a" and one needing "b", handed out in either order: each
    comes back to the worker it went to first (what that worker keeps is used again), and
    the two share the work (one pool for both sends them to whichever worker asks first)."""
    waves = [[["a"], ["b"]] if k % 2 else [["b"], ["a"]] for k in range(6)]
    ran: dict[str, set[int]] = {"a": set(), "b": set()}
    for _, results in map_refilled(pid_of, lambda: waves.pop() if waves else [], workers=2,
                                   needs=set):
        for item, pid in results:
            ran[item].add(pid)
    assert len(ran["a"]) == len(ran["b"]) == 1 and ran["a"] != ran["b"]


def test_a_worker_with_nothing_to_do_takes_what_another_had() -> None:
    """Every batch needs "a": the worker that has it does not get them all while the other
    idles."""
    work = [[["a"] for _ in range(12)]]
    pids = {pid for _, results in map_refilled(pid_of, lambda: work.pop() if work else [],
                                                workers=2, needs=set)
            for _, pid in results}
    assert len(pids) == 2


def modules_loaded(batch: list[str]) -> list[bool]:
    """In a worker: which of these modules it has imported (this module imports none)."""
    return [name in sys.modules for name in batch]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forkserver: Linux only")
@pytest.mark.parametrize("warmed", [True, False])
def test_workers_forked_after_a_warm_up_have_its_modules_already(warmed: bool) -> None:
    """parallel.warm_up starts the process workers fork from, importing the modules given:
    a pool started later forks workers that have them (a fresh interpreter, so no earlier
    pool of this test session started that process)."""
    import subprocess
    from pathlib import Path

    module = "dedup_gui.engine.grouping.verify_pool"
    code = ("from dedup_gui.engine import parallel\n"
            "from tests.engine.test_parallel import modules_loaded\n"
            f"if {warmed}: parallel.warm_up([{module!r}])\n"
            f"items = [{module!r}] * {IN_PROCESS_BELOW}\n"
            "found = {x for _, r in parallel.map_batches(modules_loaded, items, workers=2)"
            " for x in r}\n"
            "print(sorted(found))\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("[True]" if warmed else "[False]")
