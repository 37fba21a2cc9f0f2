"""The per-file signal stage as a map on a Dask cluster, for libraries beyond one machine.

Dataset curators with millions of images can spread decoding over many machines: each batch of
files goes to a Dask worker, which runs exactly what a local worker process runs
(signals.batch.compute_batch) and sends back the hashes, embedding and capture; this process
writes them to the same SQLite cache the desktop app reads. Only the decoding moves: discovery,
exact-copy hashing, comparing and grouping stay here, so the groups are the local scan's.

Workers must reach the files under the same paths (a shared or mounted file system) and have
dedup-gui installed (`pip install "dedup-gui[dask]"`). `distributed` is an optional extra and is
imported only when a cluster is asked for, so the app and its bundle never load it.

ADDRESS is a scheduler address (tcp://host:8786), or "local" for a LocalCluster on this machine
with one single-threaded worker process per core (the ONNX model runs one thread per worker, as
locally), which is useful to try it out and what the tests run.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from dedup_gui.engine.parallel import Mapper, batches, default_workers
from dedup_gui.engine.progress import CancelToken

T = TypeVar("T")
R = TypeVar("R")

LOCAL = "local"
# Bigger than a local batch: a round trip to a remote worker costs milliseconds, not microseconds.
CLUSTER_BATCH = 32


class ClusterUnavailable(RuntimeError):
    """Dask is not installed, or the scheduler cannot be reached: the message says which."""


def require_dask() -> Any:
    """The `distributed` module, or ClusterUnavailable saying how to install it."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        if getattr(sys, "frozen", False):  # the app bundle: no pip to run (a packaging check)
            raise ClusterUnavailable(
                "this app bundle does not include Dask: scanning on a cluster needs dedup-gui "
                "installed with Python and its 'dask' extra (pip install \"dedup-gui[dask]\"; "
                "README: Scanning on a cluster)") from None
        raise ClusterUnavailable(
            "scanning on a Dask cluster needs the optional 'dask' extra: "
            "pip install \"dedup-gui[dask]\"") from None


def cluster_mapper(address: str, local_workers: int | None = None) -> Mapper:
    """A map_batches twin that runs the batches on the Dask cluster at `address` ("local": a
    LocalCluster of `local_workers` processes). The client lives as long as one map."""
    distributed = require_dask()

    def mapper(func: Callable[..., list[R]], items: Sequence[T], *args: Any,
               workers: int | None = None, batch_size: int = 8,
               cancel: CancelToken | None = None) -> Iterator[tuple[Sequence[T], list[R]]]:
        del workers  # the cluster's own
        chunks = batches(items, max(batch_size, CLUSTER_BATCH))
        if not chunks:
            return
        with _client(distributed, address, local_workers) as client:
            yield from _map_on(client, distributed, func, chunks, args, cancel)

    return mapper


def _client(distributed: Any, address: str, workers: int | None) -> _Closing:
    """A client on the scheduler, or on a fresh LocalCluster (closed with the client)."""
    try:
        if address == LOCAL:
            cluster = distributed.LocalCluster(
                n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=40)
            return _Closing(distributed.Client(cluster), cluster)
        return _Closing(distributed.Client(address, timeout=10), None)
    except OSError as error:
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: {error}"
                                 ) from None
    except (ValueError, TypeError) as error:  # "missing port number in address ..."
        raise ClusterUnavailable(f"not a Dask scheduler address: {address!r} ({error}); "
                                 "give tcp://host:8786, or 'local'") from None


def require_scheduler(address: str) -> None:
    """Connect to the scheduler at `address` once, before the scan: a scan whose files were
    all cached never asked it, so a wrong address passed unnoticed until new files came (a
    curator's check). ClusterUnavailable says what is wrong."""
    if not address.strip():
        raise ClusterUnavailable("--dask needs a scheduler address (tcp://host:8786) or 'local'")
    if address != LOCAL:
        with _client(require_dask(), address, None):
            pass


class _Closing:
    """Closes the client, and the LocalCluster it started, when the map ends or is dropped."""

    def __init__(self, client: Any, cluster: Any) -> None:
        self.client = client
        self.cluster = cluster

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *_: object) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _map_on(client: Any, distributed: Any, func: Callable[..., list[R]],
            chunks: list[Sequence[T]], args: tuple, cancel: CancelToken | None
            ) -> Iterator[tuple[Sequence[T], list[R]]]:
    """Submit every batch (the scheduler queues them), yield in completion order; cancel drops
    what has not run yet."""
    futures = {client.submit(func, chunk, *args, pure=False): chunk for chunk in chunks}
    done = distributed.as_completed(list(futures))
    try:
        for future in done:
            if cancel is not None:
                cancel.raise_if_cancelled()
            yield futures[future], future.result()
    finally:
        client.cancel(list(futures))
