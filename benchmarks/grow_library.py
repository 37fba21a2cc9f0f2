"""A large cached library grown from a scanned one, for bench_scale.py --grow: the warm path of
500k files measured without the hour a cold scan of 500k real pictures takes on 2 cores.

The grown library is R replicas of the source library's files (`REPLICA_FILES` of them, a
library bench_scale.py made and scanned at 20k). Replica k holds every source file again, as
real files: the source's bytes plus an 8-byte trailer after the JPEG's end naming k, so all
500k files are distinct (exact copies stay exact copies only inside a replica) and decode to the
source's pixels. Its cache rows are the ones a scan would store, written directly:

- size and mtime: the new file's own (os.stat), so the warm rescan reuses them as it would;
- the exact-copy digest: blake2b-256 of the new bytes (what exact.py computes);
- the four 64-bit hashes: the source's XOR a random mask per replica and hash kind, so Hamming
  distances inside a replica are the source's exactly and across replicas are like unrelated
  pictures' (about 32 of 64);
- the embedding: the source's times one random orthogonal matrix per replica that keeps the
  library's mean direction (block rotations of 16 PCA dimensions, then a reflection back onto
  the mean): cosines inside a replica are the source's (up to float16 rounding of the stored
  value), and a file in one replica against another replica's is an unrelated pair whose
  cosine distribution bench_scale.py --grow reports next to the source's unrelated pairs;
- width, height, format and capture: the source's.

So near-copy structure and density are the source library's, repeated; nothing is decoded on a
warm rescan, which is exactly the path users wait on. A cold scan of these files would NOT give
these signals (the pixels are the source's): the stored pairs are made by the real code on the
first scan after growing, from these signals.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import numpy as np

REPLICA_FILES = 20_000
BLOCK = 16
TRAILER = b"DGREPL%02d"


def source_rows(cache: Path, root: Path) -> dict[str, dict[str, tuple]]:
    """The source cache's rows of files under `root`'s f??? folders, by table and path."""
    db = sqlite3.connect(cache)
    prefix = str(root) + os.sep + "f"
    tables = {
        "signals": "SELECT path, algo, width, height, format, error, phash, dhash, ahash, "
                   "whash FROM signals",
        "embeddings": "SELECT path, model, vector FROM embeddings",
        "captures": "SELECT path, reader, taken_ns, has_offset, make, model, serial, "
                    "unique_id, source FROM captures",
    }
    out = {name: {row[0]: row[1:] for row in db.execute(sql) if row[0].startswith(prefix)}
           for name, sql in tables.items()}
    db.close()
    return out


def rotation(dims: int, mean: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An orthogonal matrix Q with Q @ mean_dir = mean_dir: random rotations inside blocks of
    BLOCK consecutive (PCA-ordered, so alike in variance) dimensions, then the Householder
    reflection that takes the rotated mean direction back onto itself."""
    rotate = np.zeros((dims, dims))
    for start in range(0, dims, BLOCK):
        size = min(BLOCK, dims - start)
        q, r = np.linalg.qr(rng.standard_normal((size, size)))
        rotate[start:start + size, start:start + size] = q * np.sign(np.diag(r))
    unit = mean / np.linalg.norm(mean)
    moved = rotate @ unit
    v = moved - unit
    if np.linalg.norm(v) < 1e-9:
        return rotate
    v /= np.linalg.norm(v)
    reflect = np.eye(dims) - 2 * np.outer(v, v)
    return reflect @ rotate


def grow(source_root: Path, source_cache: Path, target: Path, cache_path: Path,
         replicas: int, seed: int = 18) -> list[str]:
    """Write `replicas` replicas of the source files under target/rNN and their cache rows
    into `cache_path` (made by the engine's Cache, so the schema is the product's). Files
    already written are rewritten only when missing. Returns the replica roots."""
    from dedup_gui.engine.store.cache import Cache

    rows = source_rows(source_cache, source_root)
    paths = sorted(rows["signals"])
    if len(paths) < REPLICA_FILES:
        raise SystemExit(f"{source_cache} holds {len(paths)} files of {source_root}; "
                         f"scan a {REPLICA_FILES:,}-file library first (bench_scale --images)")
    vectors = np.stack([np.frombuffer(rows["embeddings"][p][1], np.float16) for p in paths])
    mean = vectors.astype(np.float64).mean(axis=0)
    Cache(cache_path).close()
    db = sqlite3.connect(cache_path)
    rng = np.random.default_rng(seed)
    roots = []
    for k in range(replicas):
        root = target / f"r{k:02d}"
        roots.append(str(root))
        turn = rotation(vectors.shape[1], mean, rng)
        masks = [int(m) for m in rng.integers(0, 2**63, size=4, dtype=np.int64)]
        masks = [(m << 1) | int(rng.integers(0, 2)) for m in masks]
        turned = (vectors.astype(np.float64) @ turn.T).astype(np.float16)
        _write_replica(db, rows, paths, source_root, root, k, turned, masks)
    db.close()
    return roots


def _write_replica(db: sqlite3.Connection, rows: dict, paths: list[str], source_root: Path,
                   root: Path, k: int, vectors: np.ndarray, masks: list[int]) -> None:
    signals, embeddings, captures, digests = [], [], [], []
    trailer = TRAILER % k
    for number, source in enumerate(paths):
        path = root / os.path.relpath(source, source_root)
        data = Path(source).read_bytes() + trailer
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        st = path.stat()
        key = (str(path), st.st_size, st.st_mtime_ns)
        algo, width, height, kind, error, *hashes = rows["signals"][source]
        hashes = [_xor(h, m) for h, m in zip(hashes, masks, strict=True)]
        signals.append((key[0], algo, *key[1:], width, height, kind, error, *hashes))
        model = rows["embeddings"][source][0]
        embeddings.append((*key[:1], model, *key[1:], vectors[number].tobytes()))
        if source in rows["captures"]:
            captures.append((*key[:1], rows["captures"][source][0], *key[1:],
                             *rows["captures"][source][1:]))
        digests.append((*key, "blake2b-256", hashlib.blake2b(data, digest_size=32).hexdigest()))
    with db:
        db.executemany("INSERT OR REPLACE INTO signals (path, algo, size, mtime_ns, width, "
                       "height, format, error, phash, dhash, ahash, whash) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?,?)", signals)
        db.executemany("INSERT OR REPLACE INTO embeddings (path, model, size, mtime_ns, vector)"
                       " VALUES (?,?,?,?,?)", embeddings)
        db.executemany("INSERT OR REPLACE INTO captures (path, reader, size, mtime_ns, taken_ns,"
                       " has_offset, make, model, serial, unique_id, source) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?)", captures)
        db.executemany("INSERT OR REPLACE INTO content_hashes (path, size, mtime_ns, algo, "
                       "digest) VALUES (?,?,?,?,?)", digests)


def _xor(blob: bytes | None, mask: int) -> bytes | None:
    """A 64-bit hash blob XOR a mask (a read error's row has no hashes)."""
    if blob is None:
        return None
    return (int.from_bytes(blob, "big") ^ (mask & (2 ** (8 * len(blob)) - 1))).to_bytes(
        len(blob), "big")


def cross_cosines(cache_path: Path, replicas: int, pairs: int = 20000) -> dict[str, np.ndarray]:
    """Embedding cosines of random pairs inside replica 0 and across replicas (different
    source files), for the report next to the source's unrelated pairs."""
    db = sqlite3.connect(cache_path)
    blobs = [b for (b,) in db.execute("SELECT vector FROM embeddings ORDER BY path")]
    db.close()
    matrix = np.frombuffer(b"".join(blobs), np.float16).reshape(len(blobs), -1)
    matrix = matrix.astype(np.float32)
    rng = np.random.default_rng(3)
    per = len(blobs) // replicas
    a, b = rng.integers(0, per, size=(2, pairs))
    keep = a != b
    inside = np.einsum("ij,ij->i", matrix[a[keep]], matrix[b[keep]])
    other = rng.integers(1, replicas, size=keep.sum()) * per if replicas > 1 else 0
    across = np.einsum("ij,ij->i", matrix[a[keep]], matrix[b[keep] + other])
    return {"inside replica 0 (any two files)": inside,
            "across replicas (different source files)": across}
