"""`dedup-gui compare A B`: every signal's distance between two images, and the verdict."""

from __future__ import annotations

import argparse
import os
import sys

from dedup_gui.cli.errors import EXIT_ERROR, EXIT_OK, UsageError


def add_parser(commands: argparse._SubParsersAction) -> None:
    compare = commands.add_parser("compare", help="compare two images signal by signal")
    compare.add_argument("a", metavar="A")
    compare.add_argument("b", metavar="B")
    compare.set_defaults(run=run)


def require_files(*names: str) -> None:
    for name in names:
        if not os.path.isfile(name):
            raise UsageError(f"not a file: {name}")


def run(args: argparse.Namespace) -> int:
    from dedup_gui.engine.compare import compare_images
    from dedup_gui.engine.signals.imageio import ImageLoadError

    require_files(args.a, args.b)
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
