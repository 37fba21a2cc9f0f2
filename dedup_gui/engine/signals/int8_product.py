"""An exact small-integer matrix product on onnxruntime's integer kernels (the cosine prefilter).

Why: the all-pairs cosine search of a cold scan is a matrix product of the whole library with
itself (500k × 500k × 320), and numpy has no integer matrix product that is faster than its
float32 one. onnxruntime, shipped anyway for the embedding model, multiplies uint8 by int8 with
integer SIMD (MLAS): 3.5× float32 BLAS on the 2-core dev machine (2048 × 50,000 × 320: 0.21 s
against 0.61 s). search/int8_prefilter.py uses it to find candidate pairs with a proven error
bound, then computes their cosines exactly, so the search stays exact.

The product is exact (int32 accumulation of at most 320 products of |63 × 127|, far below 2³¹),
but some x86 kernels without VNNI sum pairs of uint8 × int8 products in int16 and saturate:
the rows are therefore kept to 7 bits (a uint8 row value 1..127 with zero point 64, so two
products sum to at most 2 × 127 × 127 = 32,258 < 32,767). Each process checks the kernel once
against numpy on worst-case and random values; on any failure or error `int8_product()` is
None and the caller keeps the float32 path.

The graph is one MatMulInteger node, written here as protobuf bytes: the onnx package is only a
model-building extra, not a run-time dependency.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np

from dedup_gui.engine.signals.embedding import runtime

ROW_ZERO = 64  # uint8 row value that means 0: rows hold -63..63 as 1..127
ROW_LIMIT = 63  # largest |row value| (7 bits: see the module note on saturation)
COLUMN_LIMIT = 127  # largest |column value| (int8)
_UINT8, _INT8, _INT32 = 2, 3, 6  # ONNX TensorProto data types

IntProduct = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _number(field: int, value: int) -> bytes:
    return _varint(field << 3) + _varint(value)


def _message(field: int, payload: bytes | str) -> bytes:
    data = payload.encode() if isinstance(payload, str) else payload
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _value_info(name: str, data_type: int, dims: tuple[str, str]) -> bytes:
    shape = b"".join(_message(1, _message(2, dim)) for dim in dims)
    tensor_type = _number(1, data_type) + _message(2, shape)
    return _message(1, name) + _message(2, _message(1, tensor_type))


def model_bytes() -> bytes:
    """ModelProto of Y = MatMulInteger(A, B, a_zero_point = ROW_ZERO): A (m, k) uint8,
    B (k, n) int8, Y (m, n) int32 (IR version 8, opset 13)."""
    node = b"".join(_message(1, name) for name in ("A", "B", "a_zero_point")) + \
        _message(2, "Y") + _message(4, "MatMulInteger")
    zero = _number(2, _UINT8) + _message(8, "a_zero_point") + _message(9, bytes([ROW_ZERO]))
    graph = _message(1, node) + _message(2, "int8_product") + _message(5, zero) + \
        _message(11, _value_info("A", _UINT8, ("m", "k"))) + \
        _message(11, _value_info("B", _INT8, ("k", "n"))) + \
        _message(12, _value_info("Y", _INT32, ("m", "n")))
    return _number(1, 8) + _message(8, _number(2, 13)) + _message(7, graph)


def int8_product() -> IntProduct | None:
    """(rows uint8 (m, k), columns int8 (k, n)) -> (rows - ROW_ZERO) @ columns as int32, or
    None where onnxruntime cannot run it exactly here (module note, checked once a process).
    A new session each call: its memory arena keeps the products it returned (the
    prefilter's int32 blocks in flight, 16 MB each) until the session goes, so it goes with
    the caller's search, not with the process (a 500k scan's verification held it for
    nothing)."""
    if not _kernel_exact():
        return None
    try:
        return _Product(_session())
    except Exception:  # as in _kernel_exact: the float path stays
        return None


class _Product:
    """The product on one session (int8_product)."""

    def __init__(self, session: object) -> None:
        self.session = session

    def __call__(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        return self.session.run(None, {"A": rows, "B": columns})[0]  # type: ignore[attr-defined]


def _session() -> object:
    ort = runtime()
    options = ort.SessionOptions()
    options.inter_op_num_threads = 1
    # One thread a product: the search runs a product a core at once (int8_prefilter's
    # _overlapped), and an idle kernel thread must not spin on a core the scan needs.
    options.intra_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model_bytes(), options, providers=["CPUExecutionProvider"])


@cache
def _kernel_exact() -> bool:
    """Whether this machine's kernel gives the exact product (once a process: _exact)."""
    try:
        return _exact(_Product(_session()))
    except Exception:  # any failure means "no integer kernel here": the float path stays
        return False


def _exact(product: IntProduct) -> bool:
    """Whether the kernel gives numpy's int64 product on saturating and random values."""
    rng = np.random.default_rng(0)
    worst_rows = np.full((64, 320), ROW_ZERO + ROW_LIMIT, np.uint8)
    worst_rows[1::2] = ROW_ZERO - ROW_LIMIT
    worst_columns = np.full((320, 96), COLUMN_LIMIT, np.int8)
    worst_columns[:, 1::2] = -COLUMN_LIMIT
    cases = [(worst_rows, worst_columns),
             (rng.integers(ROW_ZERO - ROW_LIMIT, ROW_ZERO + ROW_LIMIT + 1, (257, 320), np.uint8),
              rng.integers(-COLUMN_LIMIT, COLUMN_LIMIT + 1, (320, 1031), np.int8))]
    for rows, columns in cases:
        expected = (rows.astype(np.int64) - ROW_ZERO) @ columns.astype(np.int64)
        got = product(rows, np.ascontiguousarray(columns))
        if got.shape != expected.shape or not np.array_equal(got, expected):
            return False
    return True
