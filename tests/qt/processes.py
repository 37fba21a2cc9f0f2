"""The processes below this one, read from /proc (psutil is not a dependency): what a stopped
scan must not leave behind."""

from __future__ import annotations

import os
from pathlib import Path


def _processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, start time) of every process, zombies included (not reaped yet: still
    there). The start time tells a process from a later one that got its pid."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # gone meanwhile
                continue
            fields = stat.rsplit(")", 1)[1].split()
            found[int(entry)] = (int(fields[1]), int(fields[19]))
    return found


def descendants(pid: int) -> dict[tuple[int, int], int]:
    """Every process below `pid`: (pid, start time) -> depth (1: a child, 2: a grandchild...)."""
    processes = _processes()
    children: dict[int, list[int]] = {}
    for child, (parent, _start) in processes.items():
        children.setdefault(parent, []).append(child)
    found, frontier, depth = {}, [pid], 0
    while frontier:
        depth += 1
        frontier = [c for p in frontier for c in children.get(p, ())]
        found.update({(c, processes[c][1]): depth for c in frontier})
    return found


def alive(keys: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of these processes still exist, anywhere (an orphan is no longer our descendant)."""
    return keys & {(pid, start) for pid, (_parent, start) in _processes().items()}
