"""CNN embeddings: the shipped ONNX model, opened once per process, run in batches.

The model (models/README.md) takes plain RGB pixels 0..255 at a fixed square side (scaling is
inside the graph) and returns L2-normalised vectors, so cosine similarity is a dot product. The
side is read from the model file, so a re-exported model cannot be fed the wrong size. Images are
prepared as the model card says: shorter side to that side, centre crop. Embeddings are stored as
float16 (half the cache size; cosine changes < 1e-3).

Worker processes each run a single-threaded session (two processes × one thread measured fastest
on 2 cores); the main process uses all cores when it embeds on its own (compare, query).

onnxruntime is imported here only (a test checks), through `runtime()`, with its telemetry off:
on import it otherwise writes a device id (Microsoft/DeveloperTools/.onnxruntime/deviceid and a
database) into the user's cache folder and starts an uploader; a photo tool leaves no identifier
behind. Every process that embeds (the CLI, the engine child process, each scan worker) imports
it through here, so the switch is on before any session in all of them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

MODEL_FILE = "effnet_lite0_gem_pca320_s160_int8.onnx"
MODEL_ENV = "DEDUP_GUI_MODEL"
DEFAULT_SIDE = 224  # for a model whose input side is not fixed in the file
# Images are decoded at least this large even for a smaller model input: the photo region
# (views.py) is found in the decoded pixels, and a 160-px decode found the photo inside
# screenshots and pads less often (photos_augly_dev2 recall 0.865 vs 0.910, 160-px model).
MIN_DECODE_SIDE = 224
BATCH = 16
# Read by onnxruntime when it is imported (1.32 here): "1" keeps its telemetry from starting
# at all; disable_telemetry_events() after the import only stops events, not the device id.
TELEMETRY_ENV = "ORT_DISABLE_TELEMETRY"


def models_dir() -> Path:
    """models/ next to the package (source checkout) or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "models"
    return Path(__file__).resolve().parents[3] / "models"  # dedup_gui/engine/signals/ -> root


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
def runtime():
    """onnxruntime, imported with its telemetry switched off (the module docstring says why).
    The variable is set even over a user's "0": it is inherited by the processes we start."""
    os.environ[TELEMETRY_ENV] = "1"
    import onnxruntime as ort

    ort.disable_telemetry_events()
    return ort


@cache
def _session(threads: int):
    ort = runtime()
    path = model_path()
    if not path.is_file():
        raise FileNotFoundError(f"embedding model not found: {path}")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


@cache
def input_side(threads: int = 0) -> int:
    """The square input side the model file declares (its last input dimension).

    `threads` names the session to ask: pass what `embed` will get, so a worker opens one.
    """
    side = _session(threads).get_inputs()[0].shape[-1]
    return side if isinstance(side, int) else DEFAULT_SIDE


def decode_side(threads: int = 0) -> int:
    """The short side to decode an image at for `embed` (a JPEG draft may stop there)."""
    return max(MIN_DECODE_SIDE, input_side(threads))


def model_input(image: Image.Image, side: int) -> np.ndarray:
    """(3, side, side) float32 RGB pixels: shorter side to `side`, centre crop."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    fitted = ImageOps.fit(rgb, (side, side), Image.Resampling.BILINEAR)
    return np.asarray(fitted, dtype=np.float32).transpose(2, 0, 1)


def embed(images: Sequence[Image.Image], threads: int = 0) -> np.ndarray:
    """(N, D) float32 unit vectors for `images`, in batches of BATCH."""
    session = _session(threads)
    name = session.get_inputs()[0].name
    side = input_side(threads)
    out = []
    for start in range(0, len(images), BATCH):
        batch = np.stack([model_input(im, side) for im in images[start:start + BATCH]])
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
