"""The committed embedding model is the file its card describes, and it runs without torch.

A model re-exported without updating models/README.md (or a file corrupted by a bad merge or a
Git LFS pointer) would silently change every cached embedding; the sha256 check catches that.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np

from dedup_gui.engine.signals.embedding import runtime

ort = runtime()  # with telemetry off: a test run leaves no device id in the real cache folder
MODELS = Path(__file__).resolve().parents[3] / "models"
MODEL = MODELS / "effnet_lite0_gem_pca320_s160_int8.onnx"
DIMS = 320
CARD = MODELS / "README.md"


def card_field(name: str) -> str:
    """The value in the card's `| name | `value` |` table row."""
    match = re.search(rf"^\| {name} \| `([^`]+)`", CARD.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"models/README.md has no '{name}' row"
    return match.group(1)


def test_sha256_matches_card() -> None:
    digest = hashlib.sha256(MODEL.read_bytes()).hexdigest()
    assert digest == card_field("sha256")


def test_model_id_file_matches_card() -> None:
    assert (MODELS / "MODEL_ID").read_text(encoding="utf-8").strip() == card_field("model id")


def test_runs_with_onnxruntime_and_returns_unit_vectors() -> None:
    session = ort.InferenceSession(str(MODEL), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["image"]
    assert [o.name for o in session.get_outputs()] == ["embedding"]
    side = session.get_inputs()[0].shape[-1]
    pixels = np.random.default_rng(0).uniform(0, 255, (2, 3, side, side)).astype(np.float32)
    (embedding,) = session.run(["embedding"], {"image": pixels})
    assert embedding.shape == (2, DIMS)
    assert embedding.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(embedding, axis=1), 1.0, atol=1e-5)


def test_card_names_this_file_and_the_old_one_is_gone() -> None:
    assert card_field("file") == f"models/{MODEL.name}"
    assert sorted(MODELS.glob("*.onnx")) == [MODEL]  # v1 and v2 are gone


def test_input_side_is_fixed_and_on_the_card() -> None:
    """The app reads the side from the file (embedding.input_side); the card must say the same."""
    session = ort.InferenceSession(str(MODEL), providers=["CPUExecutionProvider"])
    shape = session.get_inputs()[0].shape
    assert isinstance(shape[0], str) and shape[1:] == [3, shape[3], shape[3]]
    assert card_field("input side") == f"{shape[3]}×{shape[3]}"


def test_declared_output_is_batch_by_320() -> None:
    session = ort.InferenceSession(str(MODEL), providers=["CPUExecutionProvider"])
    (output,) = session.get_outputs()
    assert output.shape[1] == DIMS
    assert isinstance(output.shape[0], str)  # dynamic batch
