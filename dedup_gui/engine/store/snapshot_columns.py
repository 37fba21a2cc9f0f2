"""The columns of a library snapshot (snapshot.py): each cache table's values for the snapshot's
files, as arrays and string tables, and back.

Why columns: a warm rescan of 500k files made ~2M row tuples and then ~2M value objects from
them (~8 s of the read). From arrays the same objects are made in one pass per table, and the
values nobody asks for (embeddings with embeddings off) are never made.

Each encoder takes `paths` (the snapshot's files, in order) and the map a scan read, and returns
its named byte parts (name -> bytes, or (name, bytes) pairs made as they are written), or None
when the values do not fit the columns (a hash wider than 64 bits: that table is then read
from SQLite as before). Each decoder gets a `part(name)` reader and answers `values(rows)`:
the value of each of those snapshot rows, which must be present.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from sys import intern

import numpy as np

from dedup_gui.engine.store.rows import _FORMATS, NOTHING_KNOWN, row_to_capture
from dedup_gui.engine.types import (
    HASH_KINDS,
    Capture,
    ImageSignals,
    make_image_signals,
    positional_maker,
)

Parts = dict[str, bytes]
PartReader = Callable[[str], bytes]
EMBEDDING_CHUNK = 16_384  # rows of float16 vectors per part: ~10 MB, never the whole matrix
_K0, _K1, _K2, _K3 = HASH_KINDS
_make_capture = positional_maker(Capture)
_UNKNOWN = row_to_capture(NOTHING_KNOWN)


def _strings(values: Sequence[str]) -> bytes:
    return json.dumps(list(values)).encode()


def _table(codes: dict[str, int], text: str) -> int:
    """The code of `text` in a string table being built."""
    return codes.setdefault(text, len(codes))


def present(part: PartReader, name: str) -> np.ndarray:
    return np.frombuffer(part(f"{name}.present"), bool)


# -- content hashes ------------------------------------------------------------------------
def encode_digests(paths: Sequence[str], digests: Mapping[str, str]) -> Parts:
    values = [digests.get(p) for p in paths]
    return {"digests.present": np.array([v is not None for v in values], bool).tobytes(),
            "digests.text": "\0".join(v or "" for v in values).encode("utf-8")}


class Digests:
    def __init__(self, part: PartReader) -> None:
        self._text = part("digests.text").decode("utf-8").split("\0")

    def values(self, rows: np.ndarray) -> list[str]:
        text = self._text
        return [text[i] for i in rows.tolist()]


# -- signals -------------------------------------------------------------------------------
def encode_signals(paths: Sequence[str], signals: Mapping[str, ImageSignals | str]
                   ) -> Parts | None:
    n = len(paths)
    have, error = np.zeros(n, bool), np.full(n, -1, np.int64)
    size, kind = np.zeros((n, 2), np.int64), np.zeros(n, np.int64)
    hashes = np.zeros((n, 4), np.uint64)
    texts: dict[str, int] = {}
    for row, path in enumerate(paths):
        value = signals.get(path)
        if value is None:
            continue
        have[row] = True
        if isinstance(value, str):
            error[row] = _table(texts, value)
            continue
        words = [value.hashes[k] for k in HASH_KINDS]
        if any(w >> 64 for w in words):
            return None  # a hash wider than the column: this table stays in SQLite alone
        size[row] = value.width, value.height
        kind[row] = _table(texts, value.format)
        hashes[row] = words
    return {"signals.present": have.tobytes(), "signals.error": error.tobytes(),
            "signals.size": size.tobytes(), "signals.format": kind.tobytes(),
            "signals.hashes": hashes.tobytes(), "signals.texts": _strings(texts)}


class Signals:
    def __init__(self, part: PartReader) -> None:
        self._error = np.frombuffer(part("signals.error"), np.int64)
        self._size = np.frombuffer(part("signals.size"), np.int64).reshape(-1, 2)
        self._format = np.frombuffer(part("signals.format"), np.int64)
        self._hashes = np.frombuffer(part("signals.hashes"), np.uint64).reshape(-1, 4)
        texts = json.loads(part("signals.texts"))
        self._texts = [_FORMATS.setdefault(t, t) for t in texts]  # shared, as rows.py's

    def values(self, rows: np.ndarray) -> list[ImageSignals | str]:
        texts, make = self._texts, make_image_signals
        width, height = self._size[rows].T.tolist()
        columns = (self._error[rows].tolist(), width, height, self._format[rows].tolist(),
                   *self._hashes[rows].T.tolist())
        return [texts[e] if e >= 0 else
                make(w, h, texts[f], {_K0: a, _K1: b, _K2: c, _K3: d})
                for e, w, h, f, a, b, c, d in zip(*columns, strict=True)]


# -- captures ------------------------------------------------------------------------------
_TEXT_FIELDS = ("make", "model", "serial", "unique_id", "source")


def encode_captures(paths: Sequence[str], captures: Mapping[str, Capture]) -> Parts:
    n = len(paths)
    have, known = np.zeros(n, bool), np.zeros(n, bool)
    taken, offset = np.zeros(n, np.int64), np.zeros(n, bool)
    text = np.zeros((n, len(_TEXT_FIELDS)), np.int64)
    texts: dict[str, int] = {}
    for row, path in enumerate(paths):
        value = captures.get(path)
        if value is None:
            continue
        have[row], offset[row] = True, value.has_offset
        if value.taken_ns is not None:
            known[row], taken[row] = True, value.taken_ns
        text[row] = [_table(texts, getattr(value, name)) for name in _TEXT_FIELDS]
    return {"captures.present": have.tobytes(), "captures.known": known.tobytes(),
            "captures.taken": taken.tobytes(), "captures.offset": offset.tobytes(),
            "captures.text": text.tobytes(), "captures.texts": _strings(texts)}


class Captures:
    def __init__(self, part: PartReader) -> None:
        self._known = np.frombuffer(part("captures.known"), bool)
        self._taken = np.frombuffer(part("captures.taken"), np.int64)
        self._offset = np.frombuffer(part("captures.offset"), bool)
        self._text = np.frombuffer(part("captures.text"), np.int64).reshape(-1,
                                                                            len(_TEXT_FIELDS))
        self._texts = [intern(t) for t in json.loads(part("captures.texts"))]

    def values(self, rows: np.ndarray) -> list[Capture]:
        """As rows.row_to_capture makes them: one shared value for a file without metadata,
        camera strings shared (interned)."""
        texts, make = self._texts, _make_capture
        empty = texts.index("") if "" in texts else -1
        columns = (self._known[rows].tolist(), self._taken[rows].tolist(),
                   self._offset[rows].tolist(), self._text[rows].tolist())
        out = []
        for known, taken, offset, (m, model, serial, uid, source) in zip(*columns, strict=True):
            if not known and not offset and m == model == serial == uid == source == empty:
                out.append(_UNKNOWN)
                continue
            out.append(make(taken if known else None, offset, texts[m], texts[model],
                            texts[serial], texts[uid], texts[source]))
        return out


# -- embeddings ----------------------------------------------------------------------------
def encode_embeddings(paths: Sequence[str], embeddings: Mapping[str, bytes]
                      ) -> Iterable[tuple[str, bytes]] | None:
    """The parts, the chunks made one at a time as they are written (500k files: 320 MB
    of vectors, never joined at once)."""
    blobs = [embeddings.get(p) for p in paths]
    lengths = {len(b) for b in blobs if b is not None}
    if len(lengths) > 1:
        return None  # one model gives one length; anything else is read from SQLite
    width = lengths.pop() if lengths else 0
    head = {"embeddings.present": np.array([b is not None for b in blobs], bool).tobytes(),
            "embeddings.width": str(width).encode()}
    blank = bytes(width)
    chunks = ((f"embeddings.{number}",
               b"".join(blank if b is None else b for b in blobs[start:start + EMBEDDING_CHUNK]))
              for number, start in enumerate(range(0, len(blobs), EMBEDDING_CHUNK)))
    return chain(head.items(), chunks)


class Embeddings:
    """Each chunk is read when a row of it is first asked for, and let go after."""

    def __init__(self, part: PartReader) -> None:
        self._part = part
        self._width = int(part("embeddings.width"))

    def values(self, rows: np.ndarray) -> list[bytes]:
        order = np.argsort(rows, kind="stable")  # chunk by chunk, then back in rows' order
        ordered: list[bytes] = []
        width, chunk_rows = self._width, rows[order] // EMBEDDING_CHUNK
        for number in np.unique(chunk_rows).tolist():
            blob = self._part(f"embeddings.{number}")
            offsets = (rows[order][chunk_rows == number] - number * EMBEDDING_CHUNK) * width
            ordered += [blob[o:o + width] for o in offsets.tolist()]
        if np.all(order[1:] > order[:-1]):  # ascending already (files and snapshot by path)
            return ordered
        out: list[bytes] = [b""] * len(rows)
        for position, value in zip(order.tolist(), ordered, strict=True):
            out[position] = value
        return out


ENCODERS = {"content_hashes": encode_digests, "signals": encode_signals,
            "captures": encode_captures, "embeddings": encode_embeddings}
DECODERS = {"content_hashes": Digests, "signals": Signals, "captures": Captures,
            "embeddings": Embeddings}
PRESENT = {"content_hashes": "digests", "signals": "signals", "captures": "captures",
           "embeddings": "embeddings"}
