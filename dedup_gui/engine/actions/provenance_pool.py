"""Groups assessed for provenance on all cores: the facts need a full-resolution decode.

Why: provenance_facts.read_facts decodes every grouped file at its full size (the detail, JPEG
grid and histogram facts are native-resolution measures), which cost a 12-MP camera photo about
175 ms; done in the scan's own process after the scan, a cold scan of bench_scan's camera
library (100 files, 86 grouped) spent 15 s on it, longer than the scan itself (12 s), with one
core of two idle. Each group's assessment depends only on its own files' facts and pictures, so
runs of groups go to the engine's worker pool (parallel.map_batches), each run with the facts
the cache already holds for it; the parent stores what comes back and reports progress.

A run holds about RUN_FILES decoded pictures (<= 512 px) in its worker. A handful of files is
assessed in-process (POOL_FROM): starting workers costs more than reading them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from PIL import Image

from dedup_gui.engine.actions.provenance import Provenance, assess
from dedup_gui.engine.actions.provenance_facts import FileFacts, read_facts
from dedup_gui.engine.actions.provenance_overlay import load_picture
from dedup_gui.engine.parallel import default_workers, map_batches
from dedup_gui.engine.progress import CancelToken
from dedup_gui.engine.types import Group

RUN_FILES = 16  # files of one run: its decoded pictures are held until its groups are assessed
POOL_FROM = 12  # files to read from which the worker pool pays for its start (~0.5 s)

Known = dict[str, FileFacts | None]  # facts the cache already holds, by path
Item = tuple[str, Group, Known]  # (group key, group, its files' cached facts)
Assessed = tuple[str, dict[str, Provenance], Known]  # (key, assessment, facts read fresh)


def assess_runs(runs: Sequence[Sequence[Item]]) -> list[Assessed]:
    """In a worker (or in-process): every group of `runs` assessed, reading the facts the cache
    did not hold; the pictures decoded for a run's facts serve its overlay test."""
    out: list[Assessed] = []
    for run in runs:
        decoded: dict[str, Image.Image] = {}
        reader = partial(read_facts, pictures=decoded)

        def picture(path: str, decoded: dict[str, Image.Image] = decoded) -> Image.Image | None:
            return decoded[path] if path in decoded else load_picture(path)

        for key, group, known in run:
            fresh = {f.path: reader(f.path) for f in group.files if f.path not in known}
            out.append((key, assess(group, {**known, **fresh}, picture), fresh))
    return out


def runs_of(items: Sequence[Item]) -> list[list[Item]]:
    """Groups in runs of about RUN_FILES files to read (a group is never split)."""
    runs: list[list[Item]] = []
    run: list[Item] = []
    files = 0
    for item in items:
        run.append(item)
        files += sum(f.path not in item[2] for f in item[1].files)
        if files >= RUN_FILES:
            runs.append(run)
            run, files = [], 0
    if run:
        runs.append(run)
    return runs


def assess_items(items: Sequence[Item], cancel: CancelToken | None = None,
                 workers: int | None = None) -> Iterator[tuple[int, list[Assessed]]]:
    """(groups done so far, the assessments of a run) for every run of `items`, in completion
    order; on the pool when there are enough files to read. Raises Cancelled from `cancel`."""
    runs = runs_of(items)
    to_read = sum(f.path not in known for _, group, known in items for f in group.files)
    workers = workers or default_workers()
    done = 0
    if workers <= 1 or to_read < POOL_FROM or len(runs) < 2:
        for run in runs:
            if cancel is not None:
                cancel.raise_if_cancelled()
            found = assess_runs([run])
            done += len(found)
            yield done, found
        return
    for _, found in map_batches(assess_runs, runs, workers=workers, batch_size=1,
                                cancel=cancel, in_process_below=2):
        done += len(found)
        yield done, found
