"""CNN embeddings: the shipped ONNX model, opened once per process, run in batches.

The model (models/README.md) takes plain RGB pixels 0..255 at 224×224 (scaling is inside the
graph) and returns L2-normalised vectors, so cosine similarity is a dot product. Images are
prepared as the model card says: shorter side to 224, centre crop. Embeddings are stored as
float16 (half the cache size; cosine changes < 1e-3).

Worker processes each run a single-threaded session (two processes × one thread measured fastest
on 2 cores); the main process uses all cores when it embeds on its own (compare, query).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

MODEL_FILE = "effnet_lite0_gem_pca320_int8.onnx"
MODEL_ENV = "DEDUP_GUI_MODEL"
INPUT_SIDE = 224
BATCH = 16


def models_dir() -> Path:
    """models/ next to the package (source checkout) or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "models"
    return Path(__file__).resolve().parents[2] / "models"


def model_path() -> Path:
    return Path(os.environ.get(MODEL_ENV) or models_dir() / MODEL_FILE)


# Bump when what is fed to the model changes (the views, the crop): cached vectors then go stale.
VIEW_VERSION = 2


@cache
def model_id() -> str:
    """Names the model and its input views in the cache key: a change recomputes embeddings."""
    id_file = model_path().with_name("MODEL_ID")
    if os.environ.get(MODEL_ENV) or not id_file.is_file():
        return f"file:{model_path().name}+views{VIEW_VERSION}"
    return f"{id_file.read_text(encoding='utf-8').strip()}+views{VIEW_VERSION}"


@cache
def _session(threads: int):
    import onnxruntime as ort

    path = model_path()
    if not path.is_file():
        raise FileNotFoundError(f"embedding model not found: {path}")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def model_input(image: Image.Image) -> np.ndarray:
    """(3, 224, 224) float32 RGB pixels: shorter side to 224, centre crop."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    fitted = ImageOps.fit(rgb, (INPUT_SIDE, INPUT_SIDE), Image.Resampling.BILINEAR)
    return np.asarray(fitted, dtype=np.float32).transpose(2, 0, 1)


def embed(images: Sequence[Image.Image], threads: int = 0) -> np.ndarray:
    """(N, D) float32 unit vectors for `images`, in batches of BATCH."""
    session = _session(threads)
    name = session.get_inputs()[0].name
    out = []
    for start in range(0, len(images), BATCH):
        batch = np.stack([model_input(im) for im in images[start:start + BATCH]])
        out.append(session.run(None, {name: batch})[0])
    if not out:
        return np.empty((0, embedding_size()), np.float32)
    return np.concatenate(out).astype(np.float32)


@cache
def embedding_size() -> int:
    return int(_session(0).get_outputs()[0].shape[1])


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)
