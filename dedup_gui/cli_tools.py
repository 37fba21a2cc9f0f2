"""`dedup-gui compare A B` and `dedup-gui query IMAGE DIR...`: thin front ends over the engine."""

from __future__ import annotations

import argparse
import os
import sys

from dedup_gui import paths
from dedup_gui.cli import EXIT_ERROR, EXIT_OK, UsageError
from dedup_gui.engine.cache import Cache
from dedup_gui.engine.imageio import ImageLoadError
from dedup_gui.terminal import TerminalProgress


def _require_files(*names: str) -> None:
    for name in names:
        if not os.path.isfile(name):
            raise UsageError(f"not a file: {name}")


def run_compare(args: argparse.Namespace) -> int:
    from dedup_gui.engine.compare import compare_images

    _require_files(args.a, args.b)
    try:
        result = compare_images(args.a, args.b)
    except ImageLoadError as error:
        print(f"dedup-gui: cannot read an image: {error.reason}", file=sys.stderr)
        return EXIT_ERROR
    print(f"identical bytes: {'yes' if result.identical else 'no'}")
    for kind, distance in result.hash_distances.items():
        print(f"{kind} distance: {distance} / 64")
    print(f"embedding cosine: {result.cosine:.3f}")
    print(f"verdict: {result.verdict}")
    return EXIT_OK


def run_query(args: argparse.Namespace) -> int:
    from dedup_gui.engine.compare import query_similar

    _require_files(args.image)
    for folder in args.folders:
        if not os.path.exists(folder):
            raise UsageError(f"not found: {folder}")
    if args.k < 1:
        raise UsageError("-k must be at least 1")
    cache = Cache(None if args.no_cache else paths.cache_path(args.cache))
    progress = TerminalProgress(sys.stderr)
    try:
        matches = query_similar(args.image, args.folders, cache, k=args.k, metric=args.metric,
                                progress=progress)
    except ImageLoadError as error:
        print(f"dedup-gui: cannot read {args.image}: {error.reason}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        progress.finish()
        cache.close()
    label = "votes" if args.metric == "vote" else f"{args.metric} distance"
    for match in matches:
        score = f"{match.score:.0f}" if args.metric == "vote" else f"{match.score:.4f}"
        print(f"{match.rank}. {match.path}  ({label} {score})")
    if not matches:
        print("no images found in the given folders")
    return EXIT_OK
