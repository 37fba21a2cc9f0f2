"""`dedup-gui query IMAGE DIR...`: the library images nearest to one image."""

from __future__ import annotations

import argparse
import sys

from dedup_gui.cli.compare import require_files
from dedup_gui.cli.errors import EXIT_ERROR, EXIT_OK, UsageError
from dedup_gui.cli.options import add_cache_options, open_cache, require_inputs, terminal_progress
from dedup_gui.engine.search.similarity import METRICS


def add_parser(commands: argparse._SubParsersAction) -> None:
    query = commands.add_parser("query", help="find the library images nearest to one image")
    query.add_argument("image", metavar="IMAGE")
    query.add_argument("folders", nargs="+", metavar="DIR")
    query.add_argument("-k", type=int, default=5, help="how many matches (default: 5)")
    query.add_argument("--metric", choices=(*METRICS, "vote"), default="cosine",
                       help="distance to rank by, or 'vote' of all five (default: cosine)")
    add_cache_options(query)
    query.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dedup_gui.engine.compare import query_similar
    from dedup_gui.engine.signals.imageio import ImageLoadError

    require_files(args.image)
    require_inputs(args.folders)
    if args.k < 1:
        raise UsageError("-k must be at least 1")
    cache = open_cache(args)
    progress = terminal_progress(args)
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
