"""Handing a file to the desktop: open it, show it selected in its folder, copy its path. Used
by the review's cards, Find similar and the Insights window; nothing here changes a file."""

from __future__ import annotations

import os

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication


def show_in_file_manager(path: str) -> bool:
    """Ask the desktop's file manager to show `path` selected (freedesktop FileManager1 over
    D-Bus); False when there is none to ask."""
    try:
        from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage
    except ImportError:
        return False
    service = "org.freedesktop.FileManager1"
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected() or not bus.interface().isServiceRegistered(service).value():
        return False
    call = QDBusMessage.createMethodCall(service, "/org/freedesktop/FileManager1", service,
                                         "ShowItems")
    call.setArguments([[QUrl.fromLocalFile(path).toString()], ""])
    reply = bus.call(call, QDBus.CallMode.Block, 3000)
    return reply.type() != QDBusMessage.MessageType.ErrorMessage


def open_url(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


def reveal(path: str) -> None:
    """The file selected in its folder, or at least its folder opened."""
    if not show_in_file_manager(path):
        open_url(QUrl.fromLocalFile(os.path.dirname(path)))


def copy_path(path: str) -> None:
    QGuiApplication.clipboard().setText(path)


def open_file(path: str) -> bool:
    """The file in the desktop's default application."""
    return open_url(QUrl.fromLocalFile(path))
