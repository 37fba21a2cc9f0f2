"""Add the per-picture facts (signals/picture_facts.py) to a cache made before them, for
measuring: a cold scan writes them with the signals, so a first scan from a cache made by an
older tree (bench_scale.py --fresh-pairs on /tmp/dedup-scale/cache-20000.sqlite3) is measured
as the tree's own cold scan would be only once they are there. The app never does this: an
old cache gets them on demand, for the files verification checks.

    python benchmarks/facts_backfill.py LIBRARY CACHE   # CACHE: a copy, it is written to

Decodes every file as the signal worker does (one process), keeps the facts where that decode
is verification's own, and prints how many files got them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dedup_gui.engine.signals.embedding import decode_side
from dedup_gui.engine.signals.imageio import ImageLoadError, load_image
from dedup_gui.engine.signals.picture_facts import (
    FACTS_VERSION,
    VERIFY_SIDE,
    picture_facts,
)
from dedup_gui.engine.signals.scanner import discover
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.store.picture_facts import put_facts

BATCH = 1000


def main(root: str, cache_path: str) -> int:
    started = time.perf_counter()
    cache = Cache(Path(cache_path))
    files = discover([root]).files
    side, batch, kept = decode_side(1), [], 0
    for entry in files:
        try:
            loaded = load_image(entry.path, mode="RGB", min_side=side, alike_side=VERIFY_SIDE)
        except ImageLoadError:
            continue
        if loaded.alike:
            facts = picture_facts(loaded.image)
            batch.append((entry, (facts.framed, facts.plain)))
        if len(batch) >= BATCH:
            put_facts(cache, batch, FACTS_VERSION)
            kept, batch = kept + len(batch), []
    put_facts(cache, batch, FACTS_VERSION)
    kept += len(batch)
    print(f"{kept} of {len(files)} files got their facts in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
