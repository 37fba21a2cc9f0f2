"""benchmarks/make_eval_set.py writes a usable, reproducible labelled set (on generated photos)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

from dedup_gui.engine.evaluation.truth import load_truth
from tests.images import photo, save

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "make_eval_set.py"


def make_set(sources: Path, out: Path) -> dict:
    run = subprocess.run([sys.executable, str(SCRIPT), str(sources), "--any", "--out", str(out),
                          "--seed", "7"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_set_is_labelled_consistently_and_reproducible(tmp_path: Path) -> None:
    for seed in range(6):
        save(photo(seed, (480, 360)), tmp_path / "src" / f"p{seed}.jpg", quality=92)
    counts = make_set(tmp_path / "src", tmp_path / "one")
    truth = load_truth(tmp_path / "one/groups.json", tmp_path / "one/images")
    manifest = json.loads((tmp_path / "one/manifest.json").read_text())
    on_disk = {str(p.relative_to(tmp_path / "one/images"))
               for p in (tmp_path / "one/images").rglob("*") if p.is_file()}
    assert on_disk == {f["path"] for f in manifest["files"]}
    assert counts["files"] == len(on_disk)
    assert truth.files <= on_disk and len(truth.groups) == counts["groups"] > 0
    for group in truth.groups:  # one source per group, and every source in one group at most
        sources = {f["source"] for f in manifest["files"] if f["path"] in group}
        assert len(sources) == 1
    distractors = {f["path"] for f in manifest["files"] if f["role"] == "distractor"}
    assert not distractors & truth.files
    for record in manifest["files"]:
        with Image.open(tmp_path / "one/images" / record["path"]) as image:
            image.load()
    make_set(tmp_path / "src", tmp_path / "two")
    for name in on_disk:
        assert (tmp_path / "one/images" / name).read_bytes() == \
            (tmp_path / "two/images" / name).read_bytes()
