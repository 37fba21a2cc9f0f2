"""The "marks of their own" rule (dedup_gui/engine/grouping/own_marks.py) measured on pairs.

Run: `PYTHONPATH=. python benchmarks/marks_probe.py --sets SET_DIR ... [--scan-json F]`
(SET_DIR holds groups.json and images/: the labelled true pairs the rule calls two pictures;
F is `dedup-gui scan LIB --json F`: each grouped pair it would call two pictures. Scan with
this build and the rule's pairs are already apart: scan with an earlier one, or read the
numbers as what is left).
"""

from __future__ import annotations

from dedup_gui.engine.grouping.own_marks import may_carry_marks, own_marks


def _labelled_pairs(root: str) -> list[tuple[str, str]]:
    import itertools
    import json
    import os
    with open(os.path.join(root, "groups.json"), encoding="utf-8") as file:
        groups = json.load(file)
    images = os.path.join(root, "images")
    return [(os.path.join(images, a), os.path.join(images, b))
            for group in groups for a, b in itertools.combinations(group, 2)]


def _grouped_pairs(scan_json: str) -> list[tuple[str, str]]:
    import itertools
    import json
    with open(scan_json, encoding="utf-8") as file:
        result = json.load(file)
    return [(a["path"], b["path"]) for group in result["groups"]
            for a, b in itertools.combinations(group["files"], 2)]


def _called_two(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    from dedup_gui.engine.grouping.picture_cache import PictureCache
    load = PictureCache()
    found = []
    for a, b in pairs:
        first, second = load(a), load(b)
        if first is None or second is None:
            continue
        if may_carry_marks(first) and may_carry_marks(second) and own_marks(first, second):
            found.append((a, b))
    return found


def main() -> None:
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=[])
    parser.add_argument("--scan-json")
    args = parser.parse_args()
    for root in args.sets:
        pairs = _labelled_pairs(root)
        called = _called_two(pairs)
        print(f"{root}: {len(called)} of {len(pairs)} true pairs called two pictures")
        for a, b in called:
            print("   ", a, "|", b)
    if args.scan_json:
        pairs = _grouped_pairs(args.scan_json)
        called = _called_two(pairs)
        print(f"{args.scan_json}: {len(called)} of {len(pairs)} grouped pairs called two pictures")
        for a, b in called:
            print("   ", a, "|", b)


if __name__ == "__main__":
    main()

