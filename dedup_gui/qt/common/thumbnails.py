"""Thumbnails decoded off the UI thread, newest request first, kept in a small LRU cache.

`get(path, mtime_ns)` answers at once: the pixmap when cached, else None (and the file is queued).
When it is decoded `ready(path)` fires and the caller asks again. Requests form a stack trimmed to
the most recent few, so scrolling fast through 20,000 groups decodes only what ends up on screen.
Decoding uses the engine's one safe loader (orientation, draft mode, pixel limit); a file that
fails gets a placeholder and is not tried again until its mtime changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPalette, QPixmap

from dedup_gui.qt.common import appearance

Key = tuple[str, int]

MAX_PENDING = 96


def placeholder(side: int, broken: bool = False) -> QPixmap:
    """A square in the palette's picture background (light or dark), crossed when broken."""
    palette = QGuiApplication.palette()
    pixmap = QPixmap(side, side)
    pixmap.fill(appearance.picture_background(palette))
    if broken:
        painter = QPainter(pixmap)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(8, 8, side - 8, side - 8)
        painter.drawLine(side - 8, 8, 8, side - 8)
        painter.end()
    return pixmap


def on_square(pixmap: QPixmap, side: int) -> QPixmap:
    """`pixmap` (shrunk to fit when larger) centred on a transparent `side` square: icons of
    one size, so a list or grid lines up names whatever each picture's shape (a grid that
    sizes tiles by the first pushed a tall picture's label out of its tile)."""
    if pixmap.size() == QSize(side, side):
        return pixmap
    if max(pixmap.width(), pixmap.height()) > side:
        pixmap = pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
    canvas = QPixmap(side, side)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.drawPixmap((side - pixmap.width()) // 2, (side - pixmap.height()) // 2, pixmap)
    painter.end()
    return canvas


def decode_thumbnail(path: str, side: int) -> QImage | None:
    """A QImage that fits in side × side, or None when the file cannot be read."""
    from dedup_gui.engine.signals.imageio import ImageLoadError, load_image

    try:
        loaded = load_image(path, mode="RGB", min_side=side)
    except (ImageLoadError, OSError, ValueError):
        return None
    image = loaded.image
    image.thumbnail((side, side))
    data = image.tobytes()
    qimage = QImage(data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888)
    return qimage.copy()  # own the pixels: `data` dies with this frame


class _Drain(QRunnable):
    """Decodes queued keys until the queue is empty."""

    def __init__(self, loader: ThumbnailLoader) -> None:
        super().__init__()
        self.loader = loader

    def run(self) -> None:
        while (key := self.loader._next_key()) is not None:
            side = self.loader.side
            image = decode_thumbnail(key[0], side)
            self.loader._decoded.emit(key, (image, side))


class ThumbnailLoader(QObject):
    ready = Signal(object)  # the path; not Signal(str), which mangles names that are not UTF-8
    # key, (QImage | None, the side it was decoded for) (worker thread -> main thread)
    _decoded = Signal(object, object)

    def __init__(self, side: int, capacity: int = 600, threads: int = 2,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.capacity = capacity
        self._threads = threads
        self._cache: OrderedDict[Key, QPixmap | None] = OrderedDict()
        self._pending: OrderedDict[Key, None] = OrderedDict()
        self._in_flight: set[Key] = set()
        self._lock = threading.Lock()
        self._drains = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._decoded.connect(self._on_decoded)

    def get(self, path: str, mtime_ns: int) -> QPixmap | None:
        """The cached thumbnail (None while loading or when the file cannot be read)."""
        key = (path, mtime_ns)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        self._request(key)
        return None

    def failed(self, path: str, mtime_ns: int) -> bool:
        key = (path, mtime_ns)
        return key in self._cache and self._cache[key] is None

    def _request(self, key: Key) -> None:
        with self._lock:
            if key in self._in_flight:
                return
            self._pending[key] = None
            self._pending.move_to_end(key)
            while len(self._pending) > MAX_PENDING:
                self._pending.popitem(last=False)
            start = self._drains < self._threads
            if start:
                self._drains += 1
        if start:
            self.pool.start(_Drain(self))

    def _next_key(self) -> Key | None:
        with self._lock:
            if not self._pending:
                self._drains -= 1
                return None
            key, _ = self._pending.popitem(last=True)
            self._in_flight.add(key)
            return key

    @Slot(object, object)
    def _on_decoded(self, key: Key, decoded: tuple[QImage | None, int]) -> None:
        image, side = decoded
        with self._lock:
            self._in_flight.discard(key)
        if side != self.side:  # decoded for the size before: not kept; asking again decodes
            self.ready.emit(key[0])
            return
        self._cache[key] = QPixmap.fromImage(image) if image is not None else None
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        self.ready.emit(key[0])

    def forget(self, paths: set[str]) -> None:
        """Drop what is cached for `paths` (put back by Undo: a picture asked for while the
        file was in the Trash was cached as unreadable, and the restored photo read "Cannot
        show this image" until a restart: a real-window check)."""
        for key in [k for k in self._cache if k[0] in paths]:
            del self._cache[key]

    def set_side(self, side: int) -> None:
        """A new size (View ▸ Larger pictures, or the group view fitting its cards): the cached
        thumbnails of the old one go; those still waiting are asked for again at the new size.
        Why: the similar shots' cards had asked for theirs when the group view's first fit
        came, and four of five showed "…" until another series was opened (a first-user
        check)."""
        if side != self.side:
            self.side = side
            with self._lock:
                waiting = list(self._pending)
            self.clear()
            for key in waiting:
                self._request(key)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
        self._cache.clear()

    def shutdown(self, timeout_ms: int = 3000) -> None:
        with self._lock:
            self._pending.clear()
        self.pool.waitForDone(timeout_ms)
