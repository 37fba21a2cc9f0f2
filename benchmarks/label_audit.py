"""How right the origin labels are: each label a grouped file gets, read against the manifest of
how that file was made (every labelled set: the two dev sets, bursts, eval_plain, eval_scenes).

    PYTHONPATH=. .venv/bin/python benchmarks/label_audit.py SET_DIR [SET_DIR ...] [--cache DIR]

A label is *implausible* when it is given to an original, or when no edit in the file's
manifest entry can explain it (EXPLAINS: "upscaled" needs a scale or resize up, or an upscale;
"filtered/colour-changed" a tone or colour edit; "screenshot of the photo" a screenshot;
...). The labels are read as the scan's proposals show them (proposals_for, relative to the
keeper). Labels that describe any re-save ("smaller re-save", "lower-quality re-save", "re-save
without camera data", "format conversion", "copy") are not audited: every variant is one;
"re-saved copy" is audited on originals only.
Prints, per label, how often it is given and how often it is implausible, with examples.
label_accuracy.py measures the overlay label alone, with its recall.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from dedup_gui.engine.actions.proposals import proposals_for
from dedup_gui.engine.evaluation.run import truth_root
from dedup_gui.engine.evaluation.truth import relative_to_root
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache

ANY_VARIANT: set[str] = set()
TONE = {"color_jitter", "brightness", "contrast", "saturation", "grayscale", "sharpen", "blur",
        "pixelization"}
EXPLAINS = {
    "upscaled": {"scale>1", "resize>1", "upscale"},
    "softened (blurred or upscaled)": {"blur", "pixelization", "scale>1", "resize>1", "upscale"},
    "heavily compressed re-save": {"encoding_quality", "resave"},
    "filtered/colour-changed": TONE,
    "captioned/meme": {"meme_format", "caption/band", "pad"},
    "padded/bordered": {"pad", "pad_square", "pad/square", "pad/border", "meme_format",
                        "caption/band", "overlay_onto_screenshot", "screenshot"},
    "screenshot of the photo": {"overlay_onto_screenshot", "screenshot"},
    "greyscale": {"grayscale", "saturation"},
    "cropped": {"crop", "rotate", "overlay_onto_screenshot"},
    "rotated/flipped": {"rotate", "hflip", "vflip"},
    "text/sticker overlay": {"overlay_text", "overlay_emoji", "caption/overlay"},
    # every variant was saved from another file: implausible only on an original
    "re-saved copy": ANY_VARIANT,
}


def edits_of(entry: dict, entries: dict[str, dict]) -> set[str]:
    """The manifest's edits of one file; a scale or resize says which way it went."""
    edits = set()
    for step in entry.get("transforms") or []:
        name, params = step["name"], step.get("params", {})
        if name == "scale":
            name = "scale>1" if params.get("factor", 1) > 1 else "scale<1"
        elif name == "resize":
            source = entries.get(entry.get("variant_of"), {}).get("size")
            size = entry.get("size")
            name = "resize>1" if source and size and size[0] * size[1] > \
                source[0] * source[1] else "resize<=1"
        edits.add(name)
    for step in entry.get("edits", []):
        edits.add(step["edit"] + (f"/{step['style']}" if step.get("style") else ""))
    return edits


def audit(folder: Path, cache_dir: Path, tally: dict[str, list]) -> None:
    """Scan `folder`/images (cached in `cache_dir`) and add its labels to `tally`
    (label -> [given, implausible examples])."""
    entries = {e["path"]: e for e in json.loads((folder / "manifest.json").read_text())["files"]}
    cache = Cache(cache_dir / f"{folder.name}.db")
    try:
        params = ScanParams(roots=(str(folder / "images"),))
        result = run_scan(params, cache)
        _, provenance = proposals_for(result.groups, cache)
    finally:
        cache.close()
    names = relative_to_root((f.path for g in result.groups for f in g.files),
                             truth_root(params.roots))
    for path, name in sorted(names.items(), key=lambda item: item[1]):
        entry = entries.get(name, {})
        edits = edits_of(entry, entries)
        labels = provenance[path].labels if path in provenance else ()
        for label in (x for x in labels if x in EXPLAINS):
            row = tally.setdefault(label, [0, []])
            row[0] += 1
            explains = EXPLAINS[label]
            if entry.get("role") == "original" or \
                    (explains is not ANY_VARIANT and not explains & edits):
                row[1].append(f"{folder.name}/{name} [{entry.get('role')}: "
                              f"{'+'.join(sorted(edits)) or 'none'}] {labels}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "label_audit_cache")
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    tally: dict[str, list] = {}
    for folder in args.sets:
        audit(folder, args.cache, tally)
    for label, (given, wrong) in sorted(tally.items(), key=lambda item: -item[1][0]):
        on_originals = sum("[original:" in w for w in wrong)
        print(f"{label}: given {given}, implausible {len(wrong)}"
              f" ({on_originals} on originals)")
        for example in wrong[:args.examples]:
            print(f"    {example}")


if __name__ == "__main__":
    main()
